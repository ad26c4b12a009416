#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The decoder as a user meets it: a pasted token, its verdict, Clear, a repair, 360 px."""

import subprocess
import sys
import time

from ak_atspi import App, StoredProject, _xdotool, run_tests

# A project of these tests' own, so that no other test's project shares its App ID.
PROJECT = StoredProject('Decoder Test')
LABEL = PROJECT.label
OTHER_CERT = '77aa66bb55cc44dd33ee22ff11009988'
# No stored project has it.
UNKNOWN_APP_ID = 'ffeeddccbbaa99887766554433221100'

TOKEN_ENTRY = 'Token to decode'
CERTIFICATE_ENTRY = 'Check with a certificate (not stored)'
REPAIR = r'(?i)^replace spaces with \+$'
EMPTY_STATE = r'^Press Ctrl\+Shift\+V anywhere in the window to paste a token, or drag and drop'


def build(app, *args, certificate=None, app_id=PROJECT.app_id, salt=1):
    """A reproducible RTC token: with the stored project's certificate unless one is given."""
    source = (['--project', LABEL] if certificate is None
              else ['--app-id', app_id, '--app-certificate', certificate])
    # The certificates here are test values, not secrets: argv is fine for them.
    result = app.cli('build', 'rtc', *source, '--channel', 'demo', '--uid', '42',
                     '--issue-ts', '1900000000', '--salt', str(salt), '--expire', '86400', *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def open_decoder(app):
    app.key('ctrl+2')
    app.click(app.find_matching('page tab', r'^_?Decode$'))
    return app.find('text', TOKEN_ENTRY)


def verdict(app, pattern):
    """The signature row, found by the verdict that is its title."""
    return app.find_matching('list item', pattern)


def test_verdict_is_the_row_title():
    with App() as app:
        PROJECT.add(app.cli)
        try:
            entry = open_decoder(app)
            app.set_text(entry, build(app))
            verdict(app, '^Signature valid — primary certificate of “%s”$' % LABEL)

            app.set_text(entry, build(app, '--secondary'))
            verdict(app, '^Signature valid — secondary certificate of “%s”$' % LABEL)

            app.set_text(entry, build(app, certificate=OTHER_CERT))
            verdict(app, '^Signature does not match the primary or secondary certificate of '
                         '“%s”$' % LABEL)

            app.set_text(entry, build(app, certificate=OTHER_CERT, app_id=UNKNOWN_APP_ID))
            row = verdict(app, '^Not checked — no certificate for this App ID$')
            # The explanation is under it, not instead of it.
            assert any(UNKNOWN_APP_ID in (name or '') for role, name in app.names(row)
                       if role == 'label'), app.names(row)
        finally:
            PROJECT.remove(app.cli)


def test_clear_forgets_the_pasted_certificate():
    with App() as app:
        PROJECT.add(app.cli)
        try:
            entry = open_decoder(app)
            app.find_matching('label', EMPTY_STATE)
            token = build(app)
            app.set_text(entry, token)
            verdict(app, '^Signature valid — primary certificate of “%s”$' % LABEL)
            assert not app.find_all('label', pattern=EMPTY_STATE)

            app.set_text(app.find('text', CERTIFICATE_ENTRY), OTHER_CERT)
            verdict(app, '^Signature does not match the pasted certificate$')

            app.click(app.find('push button', 'Clear'))
            app.wait_until(lambda: app.text(entry) == '', what='an empty token entry')
            app.find_matching('label', EMPTY_STATE)
            assert not app.find_all('list item', pattern='^Signature ')

            # The same token again is checked against the stored project, not the old paste,
            # and the certificate entry shows again, empty.
            app.set_text(entry, token)
            verdict(app, '^Signature valid — primary certificate of “%s”$' % LABEL)
            certificate = app.find('text', CERTIFICATE_ENTRY)
            assert app.text(certificate) == '', 'the certificate stayed after Clear'
        finally:
            PROJECT.remove(app.cli)


def test_spaces_for_plus_signs_are_repaired():
    with App() as app:
        # A salt whose token has "+" signs: what a URL's query decoding turns into spaces.
        token = next(t for t in (build(app, certificate=OTHER_CERT, app_id=UNKNOWN_APP_ID,
                                       salt=salt) for salt in range(1, 40)) if '+' in t)
        entry = open_decoder(app)
        app.set_text(entry, token.replace('+', ' '))
        repair = app.find_matching('push button', REPAIR)
        assert not app.find_all('list item', pattern='^Not checked')

        app.click(repair)
        verdict(app, '^Not checked — no certificate for this App ID$')
        app.wait_until(lambda: app.text(entry) == token, what='the repaired token in the entry')
        app.wait_until(lambda: not app.find_all('push button', pattern=REPAIR),
                       what='the repair button to go')

        # Text that is no token with "+" either is not offered a repair.
        app.set_text(entry, token[:40].replace('+', ' '))
        app.idle(1)
        assert not app.find_all('push button', pattern=REPAIR)
        assert not app.find_all('list item', pattern='^Not checked')


# Another app's window that offers a text to drag, as a browser or an editor would.
DRAG_SOURCE = r"""
import sys, gi
gi.require_version('Gtk', '4.0')
from gi.repository import Gdk, Gtk
text = sys.stdin.read()
def activate(app):
    window = Gtk.ApplicationWindow(application=app, title='ak-drag-source')
    window.set_default_size(200, 100)
    label = Gtk.Label(label='Drag me')
    source = Gtk.DragSource(actions=Gdk.DragAction.COPY)
    source.connect('prepare', lambda s, x, y: Gdk.ContentProvider.new_for_value(text))
    label.add_controller(source)
    window.set_child(label)
    window.present()
app = Gtk.Application()
app.connect('activate', activate)
app.run([])
"""


def drag_text(app, source_xy, target):
    """Drags from the source window onto the middle of @target with the real pointer."""
    x0, y0 = source_xy
    x, y, width, height = app.extents(target)
    x, y = x + width // 2, y + height // 2
    _xdotool('mousemove', x0, y0)
    time.sleep(0.3)
    _xdotool('mousedown', 1)
    time.sleep(0.2)
    for i in range(1, 21):
        _xdotool('mousemove', x0 + (x - x0) * i // 20, y0 + (y - y0) * i // 20)
        time.sleep(0.05)
    time.sleep(0.5)
    _xdotool('mousemove', x + 1, y)
    time.sleep(0.3)
    _xdotool('mouseup', 1)
    app.idle(1)


def test_dropped_token_replaces_the_text():
    with App(width=900, height=700) as app:
        token = build(app, certificate=OTHER_CERT, app_id=UNKNOWN_APP_ID)
        entry = open_decoder(app)
        source = subprocess.Popen([sys.executable, '-c', DRAG_SOURCE], stdin=subprocess.PIPE,
                                  text=True)
        try:
            source.stdin.write(token)
            source.stdin.close()
            wid = app.wait_until(lambda: _xdotool('search', '--name', '^ak-drag-source$').split(),
                                 what='the drag source window')[0]
            _xdotool('windowmove', '--sync', wid, 1000, 100)
            app.idle(0.5)

            # Onto the empty state, which names drag and drop.
            drag_text(app, (1100, 150), app.find_matching('label', EMPTY_STATE))
            app.wait_until(lambda: app.text(entry) == token, what='the dropped token')
            verdict(app, '^Not checked — no certificate for this App ID$')

            # Onto the token shown: it is replaced, not made longer.
            app.set_text(entry, build(app, certificate=OTHER_CERT, app_id=UNKNOWN_APP_ID, salt=2))
            drag_text(app, (1100, 150), entry)
            app.wait_until(lambda: app.text(entry) == token, what='the token replaced by the drop')
        finally:
            source.terminate()
            source.wait(timeout=10)


def fits_narrow(app, what):
    app.resize(360, 640)
    app.idle(1)
    width, height = app.window_size()
    assert width <= 360 and height <= 640, '%s makes the window %dx%d' % (what, width, height)


def test_decoder_and_diagnose_fit_360_px():
    with App() as app:
        entry = open_decoder(app)
        fits_narrow(app, 'the empty decoder')
        app.set_text(entry, build(app, certificate=OTHER_CERT, app_id=UNKNOWN_APP_ID))
        verdict(app, '^Not checked')
        app.set_text(app.find('text', CERTIFICATE_ENTRY), OTHER_CERT)
        verdict(app, '^Signature valid — the pasted certificate$')
        fits_narrow(app, 'a decoded token')
        app.set_text(entry, build(app, certificate=OTHER_CERT, salt=3).replace('+', ' ')
                     .replace('A', 'A '))
        fits_narrow(app, 'a malformed token')

        app.resize(1000, 700)
        app.click(app.find_matching('page tab', r'^D_?iagnose$'))
        app.idle(1)
        fits_narrow(app, 'the Diagnose view')


run_tests(globals())
