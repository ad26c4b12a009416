#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window as a screen reader, a keyboard user or a phone-sized screen meets it."""

import re

from ak_atspi import App, run_tests

PAGES = ['Credentials', 'Tokens', 'Requests']
VIEWS = {
    'Credentials': [],
    'Tokens': ['Generate', 'Decode', 'Diagnose', 'Local Server', 'Recent'],
    'Requests': ['Request', 'Check a Token Server', 'History'],
}
# A name read by a screen reader: no mnemonic underscore, no label said twice.
MNEMONIC = re.compile(r'(^|[\s(“"])_[^\s_]|__')
REPEATED = re.compile(r'^(.+) \1$')
HEADER_HEIGHT = 47


def choose_view(app, page, title):
    """Shows a page's sub-view as a person would: its tab, or, in a narrow window, the list
    that replaces the tabs (opened with a click, the entry chosen with the keyboard)."""
    tabs = app.find_all('page tab', title)
    if tabs:
        app.click(tabs[0])
        return
    names = {'Tokens': 'Token view', 'Requests': 'Requests view'}
    combo = app.find('combo box', names[page])
    app.click(combo)
    app.idle(0.3)
    app.key('Home')
    for _ in range(VIEWS[page].index(title)):
        app.key('Down')
    app.key('Return')
    app.find('label', title, root=combo)


def bad_names(app):
    return sorted({'%s %r' % (role, name) for role, name in app.names()
                   if name and (MNEMONIC.search(name) or REPEATED.match(name))})


def test_names_without_mnemonics():
    with App() as app:
        bad = set()
        for page in PAGES:
            app.click(app.find('page tab', page))
            for view in VIEWS[page]:
                choose_view(app, page, view)
                app.idle(0.3)
                bad.update(bad_names(app))
        # A dialog's buttons too.
        app.click(app.find('page tab', 'Credentials'))
        app.key('ctrl+n')
        app.find('push button', 'Cancel')
        bad.update(bad_names(app))
        app.key('Escape')
        assert not bad, 'names a screen reader would misread: ' + ', '.join(sorted(bad))


def test_page_shortcuts_focus_the_first_field():
    with App() as app:
        for key, page in (('ctrl+2', 'Tokens'), ('ctrl+3', 'Requests'), ('ctrl+1', 'Credentials')):
            app.key(key)
            app.wait_until(lambda: 'selected' in app.states(app.find('page tab', page)),
                           what='the %s page' % page)
            focused = app.wait_until(app.focused, what='a focused widget on ' + page)
            x, y, w, h = app.extents(focused)
            # Not the header's "+" (Enter there would open Add Project): a widget of the page.
            assert y >= HEADER_HEIGHT, '%s left focus in the header: %s %r' % (
                key, focused.getRoleName(), focused.name)
            if page != 'Credentials':  # an empty list's first widget is its Add button
                assert focused.getRoleName() in ('text', 'combo box', 'password text'), \
                    '%s focused %s %r, not a field' % (key, focused.getRoleName(), focused.name)


def test_narrow_window_stays_narrow():
    with App(width=360, height=640) as app:
        assert app.window_size()[0] <= 360, 'the window starts at %d px' % app.window_size()[0]
        for page in PAGES:
            app.click(app.find('page tab', page))
            app.idle(0.3)
            assert app.window_size()[0] <= 360, '%s made the window %d px wide' % (
                page, app.window_size()[0])
        # Every sub-view, chosen from the narrow window's own controls.
        for page in PAGES:
            app.click(app.find('page tab', page))
            for view in VIEWS[page]:
                choose_view(app, page, view)
                app.idle(0.3)
                width = app.window_size()[0]
                assert width <= 360, '%s › %s made the window %d px wide' % (page, view, width)


run_tests(globals())
