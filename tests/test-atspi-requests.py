#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Requests page as a person meets it: the endpoint picker by keyboard, the request line
by Send, a custom request, a scheme the endpoint refuses, the two layouts, and the token
server checker's uid or account."""

from ak_atspi import App, run_tests


def open_requests(app):
    app.click(app.find('page tab', 'Requests'))
    app.find('push button', 'Endpoint')


def pick_endpoint(app, search, downs=0):
    """Opens the picker with a click, types into its search field, moves down the results
    with the arrow key and picks with Enter."""
    app.click(app.find('push button', 'Endpoint'))
    entry = app.find('entry', 'Search endpoints')
    app.wait_until(lambda: 'focused' in app.states(entry), what='the caret in the search field')
    app.type(search)
    app.idle(0.5)
    for _ in range(downs):
        app.key('Down')
    app.key('Return')
    app.missing('entry', 'Search endpoints')


def choose_in_combo(app, combo_name, item):
    """Opens the combo row's list with a click and picks the item with the arrow keys and
    Enter (its list may open past the window's edge, where a click cannot reach)."""
    combo = app.find('combo box', combo_name)
    app.click(combo)
    app.wait_until(lambda: app.find_all('label', item), what='the item %r' % item)
    for _ in range(12):
        focused = app.wait_until(app.focused, what='a focused item in the list')
        if item in [n for r, n in app.names(root=focused)]:
            app.key('Return')
            app.idle(0.3)
            return
        app.key('Down')
    raise AssertionError('the list of %r offers no %r' % (combo_name, item))


def request_line(app):
    return app.find_matching('label', r'^(GET|POST|PUT|PATCH|DELETE) https?://')


def test_picker_by_keyboard():
    with App() as app:
        open_requests(app)
        # "chan list" finds List channels, List kicking rules and Media Push's channel list,
        # in catalogue order: one Down picks the second.
        pick_endpoint(app, 'chan list', downs=1)
        app.find('label', 'List kicking rules')
        app.find('label', 'RTC channel management')
        app.find('label', 'GET /dev/v1/kicking-rule?appid={appid}')
        line = request_line(app)
        assert app.text(line) == 'GET https://api.agora.io/dev/v1/kicking-rule?appid={appid}', \
            app.text(line)
        # Where {appid} comes from is said, not just that it is missing.
        app.find_matching('label', r'^\{appid\} is a project’s App ID')
        # The list is grouped: a search for a product finds only its endpoints.
        app.click(app.find('push button', 'Endpoint'))
        app.find('entry', 'Search endpoints')
        app.type('cloud recording')
        app.idle(0.5)
        items = [n for r, n in app.names() if r == 'list item' and n]
        assert items and all('/cloud_recording/' in n or '/ncs/ip' in n for n in items), items
        app.key('Escape')
        app.missing('entry', 'Search endpoints')
        app.find('label', 'List kicking rules')


def test_editing_makes_a_custom_request():
    with App() as app:
        open_requests(app)
        pick_endpoint(app, 'list all projects')
        app.find('label', 'List all projects')
        app.wait_until(lambda: app.text(request_line(app))
                       == 'GET https://api.agora.io/dev/v1/projects', what='the request line')
        app.set_text(app.find('text', 'Path'), '/dev/v1/projectz')
        app.find('label', 'Custom request')
        app.find('label', 'Edited from Console · List all projects')
        app.missing('label', 'List all projects')
        app.wait_until(lambda: app.text(request_line(app))
                       == 'GET https://api.agora.io/dev/v1/projectz', what='the new request line')
        # Undoing the edit brings the endpoint back.
        app.set_text(app.find('text', 'Path'), '/dev/v1/projects')
        app.find('label', 'List all projects')
        # Another method is another request too.
        choose_in_combo(app, 'Method', 'DELETE')
        app.find('label', 'Custom request')
        app.wait_until(lambda: app.text(request_line(app))
                       == 'DELETE https://api.agora.io/dev/v1/projects', what='DELETE in the line')


def test_refused_scheme_is_flagged():
    with App() as app:
        open_requests(app)
        pick_endpoint(app, 'list all projects')
        assert not app.find_all(pattern=r'^This endpoint takes '), 'a warning for Basic'
        choose_in_combo(app, 'Scheme', 'Agora token (RTM)')
        warning = app.find_matching('label', r'^This endpoint takes Basic')
        assert 'Agora token (RTM)' in app.text(warning), app.text(warning)


def test_layouts():
    with App(width=1000, height=700) as app:
        open_requests(app)
        path = app.find('text', 'Path')
        send = app.find('push button', 'Send')
        response = app.find('text', 'Response body')
        px, py, pw, ph = app.extents(path)
        sx, sy, sw, sh = app.extents(send)
        rx, ry, rw, rh = app.extents(response)
        # Side by side: Send and the response right of the form, both in view.
        assert sx > px + pw and rx > px + pw, (app.extents(path), app.extents(send))
        assert sy + sh < 700 and ry < 700

        app.resize(360, 640)
        app.wait_until(lambda: app.extents(app.find('push button', 'Send'))[1]
                       > app.extents(app.find('text', 'Path'))[1] + 1,
                       what='Send under the form')
        # The wide header bar's minimum may hold the first step; a user dragging the edge
        # goes on, and so does the test.
        app.resize(360, 640)
        app.idle(0.5)
        width = app.window_size()[0]
        assert width <= 370, 'the Requests page made the window %d px wide' % width
        # The picker and a long endpoint do not widen it either.
        pick_endpoint(app, 'message history file')
        app.find('label', 'Message history file for one hour')
        app.idle(0.5)
        width = app.window_size()[0]
        assert width <= 370, 'the chosen endpoint made the window %d px wide' % width


def test_checker_uid_or_account():
    with App() as app:
        open_requests(app)
        app.click(app.find('page tab', 'Check a Token Server'))
        app.find('combo box', 'User identity')
        uid = app.find('text', 'uid (0 lets any user join)')
        app.set_text(uid, 'alice')
        app.find_matching('label', r'^The uid must be a whole number')
        choose_in_combo(app, 'User identity', 'String user account')
        account = app.find('text', 'User account')
        assert app.text(account) == 'alice', app.text(account)
        app.wait_until(lambda: not app.find_all('label', pattern=r'^The uid must be'),
                       what='the uid error to go')
        # Digits only: the protocol reads them as a uid, and the form says so.
        app.set_text(account, '42')
        app.find_matching('label', r'^agora-token-service reads an account of digits')
        # The lifetime takes Generate's units, and 0 is refused on the spot.
        lifetime = app.find('text', 'Token lifetime')
        app.set_text(lifetime, '0')
        app.find_matching('label', r'A lifetime of 0')
        app.set_text(lifetime, '10m')
        app.wait_until(lambda: not app.find_all('label', pattern=r'A lifetime of 0'),
                       what='the lifetime error to go')


run_tests(globals())
