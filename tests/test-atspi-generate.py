#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate and Local Server as a user meets them: a result that says what it is and when it
is stale, lifetimes checked on their field, presets, Preferences, and a 360 px window."""

import re
import subprocess

from ak_atspi import App, StoredProject, run_tests

PROJECT = StoredProject('Generate Test')
LABEL = PROJECT.label

CHANNEL = 'Channel name'
UID = 'uid (0 lets any user join)'
TOKEN_LIFETIME = 'Token lifetime'
PRIVILEGE_LIFETIME = 'Privilege lifetime'
STALE = r'^Inputs changed — press Generate again'
SUMMARY = r'^RTC token · channel “%s” · uid %s · signed with the %s certificate of “%s”$'
LASTS = r'(?i)\blasts?\b'


def _texts(node, depth=0):
    if node is None or depth > 4:
        return []
    return [node.name or ''] + [t for c in node for t in _texts(c, depth + 1)]


def _focused_text(app):
    """The focused list entry's label (its first text; a check mark image follows)."""
    return next((t for t in _texts(app.focused()) if t), '')


def scroll_to(app, node):
    """Turns the mouse wheel over its scrolled view until @node is inside it, as a user would."""
    pane = scroll_pane_of(app, node)
    if pane is None or pane.getRoleName() != 'scroll pane':
        return
    for _ in range(20):
        x, y, w, h = app.extents(node)
        px, py, pw, ph = app.extents(pane)
        if py <= y and y + h <= py + ph:
            app.idle(0.5)
            return
        subprocess.run(['xdotool', 'mousemove', '--sync', str(px + pw // 2), str(py + ph // 2),
                        'click', '4' if y < py else '5'], check=True, timeout=30)
        app.idle(0.2)
    raise AssertionError('could not scroll to %s %r' % (node.getRoleName(), node.name))


def choose(app, combo_name, item_pattern):
    """Opens a combo row's list and picks the entry from the keyboard, as a user can."""
    combo = app.find('combo box', combo_name)
    scroll_to(app, combo)
    app.click(combo)
    app.idle(0.5)
    app.key('Home')
    seen = []
    for _ in range(12):
        if re.search(item_pattern, _focused_text(app).strip()):
            app.key('Return')
            app.idle(0.5)
            return
        seen.append(_focused_text(app))
        app.key('Down')
    raise AssertionError('no %r in the list of %r: %r' % (item_pattern, combo_name, seen))


def open_generate(app, project=None):
    """The Generate view, with @project picked if given: its Channel name field."""
    app.key('ctrl+2')
    channel = app.find('text', CHANNEL)
    if project is not None:
        choose(app, 'Project', '^%s$' % re.escape(project.label))
    return channel


def wait_fresh(app, what):
    """Waits for the result to be current again: no stale mark."""
    app.wait_until(lambda: not app.find_all('label', pattern=STALE), what=what)


def fill_and_generate(app, channel='demo', uid='42'):
    app.set_text(app.find('text', CHANNEL), channel)
    uid_entry = app.find('text', UID)
    app.set_text(uid_entry, uid)
    app.click(uid_entry)
    app.key('ctrl+Return')


def inside(app, node, area):
    x, y, w, h = app.extents(node)
    ax, ay, aw, ah = app.extents(area)
    return w > 0 and h > 0 and ay <= y and y + h <= ay + ah and ax <= x and x + w <= ax + aw


def scroll_pane_of(app, node):
    parent = node.parent
    while parent is not None and parent.getRoleName() not in ('scroll pane', 'frame'):
        parent = parent.parent
    return parent


def test_result_says_what_it_is_in_view_and_goes_stale():
    # Narrow and short: the result is below the fold unless it is scrolled to.
    with PROJECT, App(width=360, height=640) as app:
        open_generate(app, PROJECT)
        # The very first Ctrl+Enter after launch.
        fill_and_generate(app)
        summary = app.find_matching('label', SUMMARY % ('demo', '42', 'primary',
                                                        re.escape(LABEL)))
        pane = scroll_pane_of(app, summary)
        app.wait_until(lambda: inside(app, summary, pane),
                       what='the result summary scrolled into view')
        token = app.find_matching('label', r'^007[A-Za-z0-9+/=]{60,}$')
        assert inside(app, token, pane), 'the token is not in view'
        assert not app.find_all('label', pattern=STALE)
        app.find_matching('push button', r'^(_Copy )?Copy$')

        # Any input makes it stale, and saying so; changing it back makes it current.
        app.set_text(app.find('text', UID), '43')
        app.find_matching('label', STALE)
        app.find_matching('push button', r'Copy Old Token$')
        app.set_text(app.find('text', UID), '42')
        wait_fresh(app, 'the stale mark to go')


def test_kind_and_certificate_make_it_stale():
    with PROJECT, App() as app:
        open_generate(app, PROJECT)
        fill_and_generate(app)
        app.find_matching('label', SUMMARY % ('demo', '42', 'primary', re.escape(LABEL)))
        choose(app, 'Kind', '^RTM$')
        app.find_matching('label', STALE)
        choose(app, 'Kind', '^RTC$')
        wait_fresh(app, 'the stale mark to go')
        # The secondary certificate is named as such.
        choose(app, 'Certificate', '^Secondary$')
        app.find_matching('label', STALE)
        regenerate = app.find_matching('push button', r'^(_Regenerate )?Regenerate$')
        scroll_to(app, regenerate)
        app.click(regenerate)
        app.find_matching('label', SUMMARY % ('demo', '42', 'secondary', re.escape(LABEL)))
        wait_fresh(app, 'a fresh result')


def test_countdown_names_privileges_and_token():
    with PROJECT, App() as app:
        open_generate(app, PROJECT)
        app.set_text(app.find('text', TOKEN_LIFETIME), '1h')
        app.set_text(app.find('text', PRIVILEGE_LIFETIME), '10m')
        fill_and_generate(app)
        app.find_matching('list item',
                          r'^Privileges expire in 0:(09:5\d|10:00) · token in 0:59:\d\d')


def test_lifetimes_checked_on_their_field():
    with PROJECT, App() as app:
        open_generate(app)
        lifetime = app.find('text', TOKEN_LIFETIME)
        privilege = app.find('text', PRIVILEGE_LIFETIME)
        app.find_matching('label', r'^The token lasts 1 h, until ')

        # The privilege lifetime follows the token lifetime...
        app.set_text(lifetime, '2h')
        app.wait_until(lambda: app.text(privilege) == '2h', what='the privileges to follow')

        for text, error in (('0', r'^Token lifetime: A lifetime of 0 makes a token that has '
                                  r'already expired'),
                            ('99999999999', r'^Token lifetime: “99999999999” is too long'),
                            ('4000000000', r'^Token lifetime: “4000000000” is too long'),
                            ('soon', r'^Token lifetime: “soon” is not a duration')):
            app.set_text(lifetime, text)
            app.find_matching('label', error)
            # Nothing contradicts it, and no API name shows.
            assert not app.find_all('label', pattern=LASTS), \
                'a summary shows with the error for %r' % text
            assert not [n for r, n in app.names() if n and '_expire' in n], app.names()
            assert 'invalid' in app.states(lifetime) or 'invalid-entry' in app.states(lifetime), \
                app.states(lifetime)

        # A preset, which the privileges follow too.
        presets = app.find('push button', 'Lifetime presets')
        scroll_to(app, presets)
        app.click(presets)
        app.find('menu item', '5 minutes')
        app.find('menu item', '10 minutes')
        app.activate(app.find('menu item', '1 minute'))
        app.wait_until(lambda: app.text(lifetime) == '1m', what='the 1 minute preset')
        app.wait_until(lambda: app.text(privilege) == '1m', what='the privileges to follow')
        app.find_matching('label', r'^The token lasts 1 min, until ')
        # ...until given their own value.
        app.set_text(privilege, '30m')
        app.set_text(lifetime, '1h')
        app.idle(0.5)
        assert app.text(privilege) == '30m', app.text(privilege)


def test_hints_do_not_move_the_form():
    with App(width=360, height=640) as app:
        channel = open_generate(app)
        app.set_text(channel, 'demo')
        generate = app.find_matching('push button', r'^(_Generate )?Generate$')
        lifetime = app.find('text', TOKEN_LIFETIME)

        def positions():
            return [app.extents(n)[1] for n in (channel, lifetime, generate)]

        app.find_matching('label', r'^Enter an App ID and its certificate')
        before = positions()
        # A problem hint goes and comes back...
        app.set_text(app.find('text', 'App ID'), PROJECT.app_id)
        app.set_text(app.find('text', 'App Certificate (used once, not stored)'),
                     PROJECT.primary)
        app.wait_until(lambda: not app.find_all('label', pattern=r'^Enter an App ID and its'),
                       what='the hint to go')
        during = positions()
        app.set_text(app.find('text', 'App ID'), '')
        app.set_text(app.find('text', 'App Certificate (used once, not stored)'), '')
        # ...and a lifetime error replaces the lifetime summary.
        app.set_text(lifetime, '0')
        app.find_matching('label', r'^Token lifetime: A lifetime of 0')
        after = positions()
        for a, b in ((before, during), (before, after)):
            assert all(abs(x - y) <= 1 for x, y in zip(a, b)), \
                'the form moved under the pointer: %r -> %r' % (a, b)


def test_preferences_refuse_a_bad_default_lifetime():
    with App() as app:
        app.key('ctrl+comma')
        entry = app.find('text', 'Default token lifetime')
        app.set_text(entry, 'abc')
        app.find_matching('label', r'^“abc” is not a duration')
        app.set_text(entry, '0')
        app.find_matching('label', r'^A lifetime of 0')
        app.key('Escape')
        app.wait_until(lambda: not app.find_all('text', 'Default token lifetime'),
                       what='Preferences to close')
        # Nothing bad was saved: Generate still starts from the last good default.
        app.key('ctrl+2')
        assert app.text(app.find('text', TOKEN_LIFETIME)) == '1h'
        app.key('ctrl+comma')
        assert app.text(app.find('text', 'Default token lifetime')) == '1h'


def test_local_server_copy_buttons():
    with PROJECT, App() as app:
        app.key('ctrl+2')
        app.click(app.find_matching('page tab', r'^_?(_Local Server )?Local Server$'))
        assert not app.find_all('page tab', pattern=r'(?i)^_?serve$')
        # The only stored project is chosen already.
        app.set_text(app.find('text', 'Port (0 picks a free one)'), '0')
        app.click(app.find_matching('list item', r'^Serving'))
        app.find('label', 'Server URL')
        curl = app.find_matching('push button', r'(?i)copy the curl command$')
        fetch = app.find_matching('push button', r'(?i)copy the fetch code$')
        assert curl.name != fetch.name
        snippets = [app.text(n) for n in app.find_all('label')
                    if (app.text(n) or '').startswith(('curl ', 'const response'))]
        assert len(snippets) == 2, snippets
        curl_text = next(t for t in snippets if t.startswith('curl '))
        # One argument per line, continued with a backslash.
        assert all(line.endswith(' \\') for line in curl_text.splitlines()[:3]), curl_text


# A 360 px window on every Tokens view: test-atspi-window.py, test_narrow_window_stays_narrow.


run_tests(globals())
