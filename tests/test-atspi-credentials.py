#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Credentials page as a user meets it: delete and Undo from the toast, changes made by
other programs, the "+" menu, a row's "Generate Token…", and Edit's Save."""

import contextlib
import os
import time

from ak_atspi import App, StoredProject, run_tests, TIME_SCALE

# Each test names its own project; they share this one's App ID and certificates.
PROJECT = StoredProject('Credentials')
UNDO = r'^(_Undo )?Undo$'


def label(what):
    return 'Credentials %s %d' % (what, os.getpid())


def add_project(app, name):
    PROJECT.add(app.cli, label=name)


def remove_project(app, name):
    PROJECT.remove(app.cli, label=name)


@contextlib.contextmanager
def stored(app, *names):
    """Projects named @names in the keyring for the block's length, removed however it ends."""
    try:
        for name in names:
            add_project(app, name)
        yield
    finally:
        for name in reversed(names):
            remove_project(app, name)


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
    with App() as app, stored(app, name):
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
        assert PROJECT.primary in shown.stdout, shown.stdout
        assert PROJECT.secondary in shown.stdout, shown.stdout


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
    with App() as app, stored(app, first, name):
        row_menu(app, name, 'Generate Token…')
        picker = app.find('combo box', 'Project')
        app.find('label', name, root=picker)


def test_edit_saves_only_a_change():
    name = label('Edit')
    with App() as app, stored(app, name):
        row_menu(app, name, 'Edit…')
        app.find('label', 'Edit Project')
        save = app.find_matching('push button', r'^(_Save )?Save$')
        app.wait_until(lambda: 'sensitive' not in app.states(save),
                       what='Save to be insensitive before any change')
        app.set_text(app.find('text', 'Notes'), 'changed')
        app.wait_until(lambda: 'sensitive' in app.states(save),
                       what='Save to be sensitive after a change')
        app.key('Escape')


def test_screenshots_at_360():
    out = os.environ.get('AK_SCREENSHOT_DIR')
    if not out:
        return
    name = label('Shot')
    for style in ('light', 'dark'):
        env = {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark' if style == 'dark' else 'prefer-light'}
        with App(env=env, width=360, height=640) as app, stored(app, name):
            row_of(app, name)
            app.idle(1)
            app.screenshot(os.path.join(out, 'credentials-360-%s.png' % style))


run_tests(globals())
