#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Credentials page as a user meets it: delete and Undo from the toast, changes made by
other programs, the "+" menu, a row's "Generate Token…", and Edit's Save."""

import os
import time

from ak_atspi import App, run_tests, TIME_SCALE

APP_ID = '6a1c0de2d3c4b5a6978877665544a0c2'
PRIMARY = '0123456789abcdef0123456789abcdef'
SECONDARY = 'fedcba9876543210fedcba9876543210'
UNDO = r'^(_Undo )?Undo$'


def label(what):
    return 'Credentials %s %d' % (what, os.getpid())


def add_project(app, name):
    result = app.cli('credential', 'add', 'project', '--label', name, '--app-id', APP_ID,
                     input='%s\n%s\n' % (PRIMARY, SECONDARY))
    assert result.returncode == 0, result.stderr


def remove_project(app, name):
    app.cli('credential', 'remove', '--kind', 'project', name)


def row_of(app, name, timeout=10):
    return app.find('list item', '%s, project' % name, timeout=timeout)


def row_menu(app, name, item):
    """Opens the row's menu with a real click, then activates @item in it. (GTK 4.8 reports a
    popover's items at coordinates relative to the popover, so they are activated as a screen
    reader does, rather than clicked.)"""
    row = row_of(app, name)
    app.click(app.find('push button', 'More Actions', root=row))
    app.activate(app.find_matching('menu item', r'^(_?%s )?%s$' % (item, item)))


def gone(app, role, name):
    return not any(n == (role, name) for n in app.names())


def test_delete_then_undo_from_the_toast():
    name = label('Undo')
    with App() as app:
        add_project(app, name)
        try:
            row_menu(app, name, 'Delete')
            # At once, with no dialog to confirm.
            app.wait_until(lambda: gone(app, 'list item', '%s, project' % name),
                           what='the row to go')
            assert not any(role == 'dialog' for role, _ in app.names())
            shown = app.cli('credential', 'show', '--kind', 'project', name)
            assert shown.returncode != 0, 'still in the keyring after Delete'

            # The toast's own button, as a user clicks it: click() asserts it is sensitive.
            undo = app.find_matching('push button', UNDO)
            assert 'sensitive' in app.states(undo)
            app.click(undo)
            row_of(app, name)

            # Secrets included.
            shown = app.cli('credential', 'show', '--reveal', '--kind', 'project', name)
            assert shown.returncode == 0, shown.stderr
            assert PRIMARY in shown.stdout and SECONDARY in shown.stdout, shown.stdout
        finally:
            remove_project(app, name)


def wait_timed(app, fn, what):
    """Waits (generously) and says how long it took; the budget is for the eye, not CI."""
    start = time.monotonic()
    app.wait_until(fn, timeout=10 * TIME_SCALE, what=what)
    return time.monotonic() - start


def in_generate_picker(app, name):
    app.key('ctrl+2')
    app.click(app.find_matching('page tab', r'^_?Generate$'))
    picker = app.find('combo box', 'Project')
    app.click(picker)
    found = app.find_all('label', name)
    app.key('Escape')
    app.key('ctrl+1')
    return bool(found)


def test_changes_from_outside_show_up():
    name = label('Outside')
    with App() as app:
        app.find('push button', 'Add')
        try:
            add_project(app, name)
            took = wait_timed(app, lambda: not gone(app, 'list item', '%s, project' % name),
                              'the project added by the command line')
            print('# row shown %.2f s after the command line added it' % took)
            assert took < 2 * TIME_SCALE + 1, took
            assert in_generate_picker(app, name), 'not in the Generate picker'

            remove_project(app, name)
            took = wait_timed(app, lambda: gone(app, 'list item', '%s, project' % name),
                              'the project removed by the command line')
            print('# row gone %.2f s after the command line removed it' % took)
            assert not in_generate_picker(app, name), 'still in the Generate picker'
        finally:
            remove_project(app, name)


def test_plus_offers_both_kinds():
    with App() as app:
        app.click(app.find('push button', 'Add'))
        app.find_matching('menu item', r'^(_Project… )?Project…$')
        customer = app.find_matching('menu item', r'^(_Customer Credential… )?Customer Credential…$')
        app.activate(customer)
        app.find('label', 'Add Customer Credential')
        app.key('Escape')


def test_generate_token_from_a_row():
    first = label('A first')
    name = label('Generate')
    with App() as app:
        add_project(app, first)
        add_project(app, name)
        try:
            row_menu(app, name, 'Generate Token…')
            picker = app.find('combo box', 'Project')
            app.find('label', name, root=picker)
        finally:
            remove_project(app, name)
            remove_project(app, first)


def test_edit_saves_only_a_change():
    name = label('Edit')
    with App() as app:
        add_project(app, name)
        try:
            row_menu(app, name, 'Edit…')
            app.find('label', 'Edit Project')
            save = app.find_matching('push button', r'^(_Save )?Save$')
            app.wait_until(lambda: 'sensitive' not in app.states(save),
                           what='Save to be insensitive before any change')
            app.set_text(app.find('text', 'Notes'), 'changed')
            app.wait_until(lambda: 'sensitive' in app.states(save),
                           what='Save to be sensitive after a change')
            app.key('Escape')
        finally:
            remove_project(app, name)


def test_screenshots_at_360():
    out = os.environ.get('AK_SCREENSHOT_DIR')
    if not out:
        return
    name = label('Shot')
    for style in ('light', 'dark'):
        env = {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark' if style == 'dark' else 'prefer-light'}
        with App(env=env, width=360, height=640) as app:
            add_project(app, name)
            try:
                row_of(app, name)
                app.idle(1)
                app.screenshot(os.path.join(out, 'credentials-360-%s.png' % style))
            finally:
                remove_project(app, name)


run_tests(globals())
