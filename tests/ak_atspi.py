# SPDX-License-Identifier: GPL-3.0-or-later
"""User-door tests: drive the built Agora Keys window as a person or a screen reader does.

The app runs with GTK_A11Y=atspi inside the test's own D-Bus session (build-aux/test gives
every test a private bus, a throwaway gnome-keyring and Xvfb), and these helpers read its
real AT-SPI tree: a widget is found by its role and accessible name, as Orca announces it,
clicked with the real pointer (xdotool) or activated as a screen reader would, and the
screen is read back through the tree. Nothing here reaches into the app's code.

Run with Debian's /usr/bin/python3, where pyatspi lives.
"""

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback

import pyatspi

BUILD_ROOT = os.environ.get('AK_BUILD_ROOT') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '_build')
APP_BINARY = os.path.join(BUILD_ROOT, 'src', 'agora-keys')
CLI_BINARY = os.path.join(BUILD_ROOT, 'src', 'cli', 'agora-keys-cli')
# Instrumented runs (ASan, valgrind) are slower; waits stretch with them.
TIME_SCALE = max(1.0, float(os.environ.get('AK_TEST_TIME_SCALE', '1') or '1'))


def _xdotool(*args):
    return subprocess.run(['xdotool', *[str(a) for a in args]], check=True,
                          capture_output=True, text=True, timeout=30).stdout


def _role(node):
    try:
        return node.getRoleName()
    except Exception:
        return None


def _name(node):
    try:
        return node.name
    except Exception:
        return None


def _states(node):
    try:
        return {pyatspi.stateToString(s) for s in node.getState().getStates()}
    except Exception:
        return set()


def _on_screen(node):
    """GTK 4.8 sets SHOWING on the window only. A widget is on screen when it is visible, has
    a size, and contains its own centre: an unmapped one (a stack's hidden page) reports 0 x 0,
    or its old size but contains no point."""
    states = _states(node)
    if 'showing' in states:
        return True
    if 'visible' not in states:
        return False
    try:
        component = node.queryComponent()
        box = component.getExtents(pyatspi.DESKTOP_COORDS)
    except NotImplementedError:
        return True  # a node without geometry, such as a GtkStackPage
    except Exception:
        return False
    if box.width <= 0 or box.height <= 0:
        return False
    try:
        return bool(component.contains(box.x + box.width // 2, box.y + box.height // 2,
                                       pyatspi.DESKTOP_COORDS))
    except Exception:
        return False


def _children(node):
    try:
        return [c for c in node if c is not None]
    except Exception:
        return []


class App:
    """The built app in a real window. Use as a context manager, or call quit()."""

    def __init__(self, args=(), env=None, width=1000, height=700):
        self.log = tempfile.TemporaryFile(mode='w+')
        full_env = dict(os.environ)
        full_env.update({
            'GTK_A11Y': 'atspi',
            'GSETTINGS_BACKEND': 'memory',
            'GSETTINGS_SCHEMA_DIR': os.path.join(BUILD_ROOT, 'data'),
            'GSK_RENDERER': 'cairo',
        })
        full_env.pop('NO_AT_BRIDGE', None)
        full_env.update(env or {})
        self.env = full_env
        self.proc = subprocess.Popen([APP_BINARY, *args], env=full_env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.app = None
        self.window = None
        self.wid = None
        try:
            self.app = self.wait_until(self._find_app, timeout=30, what='the app on the AT-SPI bus')
            self.window = self.wait_until(
                lambda: next((c for c in _children(self.app) if _role(c) == 'frame'), None),
                timeout=30, what='the main window')
            self.wid = self.wait_until(self._find_xid, timeout=30, what='the X window')
            _xdotool('windowmove', self.wid, 0, 0)
            self.resize(width, height)
            self.focus_window()
        except Exception:
            self.quit()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.quit()
        return False

    def _find_app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for app in _children(desktop):
            try:
                if app.get_process_id() == self.proc.pid:
                    return app
            except Exception:
                continue
        if self.proc.poll() is not None:
            raise AssertionError('the app exited with %d:\n%s' % (self.proc.returncode, self.output()))
        return None

    def _find_xid(self):
        try:
            out = _xdotool('search', '--onlyvisible', '--pid', self.proc.pid)
        except subprocess.CalledProcessError:
            return None
        ids = out.split()
        return ids[0] if ids else None

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def quit(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10 * TIME_SCALE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # Waiting -------------------------------------------------------------------------

    def wait_until(self, fn, timeout=10, what='the condition'):
        deadline = time.monotonic() + timeout * TIME_SCALE
        last_error = None
        while True:
            try:
                value = fn()
                if value:
                    return value
            except AssertionError:
                raise
            except Exception as e:  # the tree changes under our feet
                last_error = e
            if time.monotonic() > deadline:
                extra = ' (last error: %r)' % last_error if last_error else ''
                raise AssertionError('timed out waiting for %s%s' % (what, extra))
            time.sleep(0.1)

    def idle(self, seconds=0.3):
        time.sleep(seconds * TIME_SCALE)

    # Finding -------------------------------------------------------------------------

    def _walk(self, root, showing, depth=0):
        if depth > 60:
            return
        for child in _children(root):
            if showing and not _on_screen(child):
                continue
            yield child
            yield from self._walk(child, showing, depth + 1)

    def _roots(self, root):
        if root is not None:
            return [root]
        # Dialogs, popovers and menus are further frames/windows of the same app.
        return _children(self.app)

    def find_all(self, role=None, name=None, root=None, showing=True, pattern=None):
        found = []
        for top in self._roots(root):
            if showing and not _on_screen(top):
                continue
            for node in [top, *self._walk(top, showing)]:
                if role is not None and _role(node) != role:
                    continue
                if name is not None and _name(node) != name:
                    continue
                if pattern is not None and not re.search(pattern, _name(node) or ''):
                    continue
                found.append(node)
        return found

    def find(self, role, name, timeout=10, root=None, showing=True):
        what = '%s %r' % (role, name)
        try:
            return self.wait_until(
                lambda: next(iter(self.find_all(role, name, root, showing)), None),
                timeout=timeout, what=what)
        except AssertionError as e:
            raise AssertionError('%s; showing now: %s' % (e, self._summary(role))) from None

    def find_matching(self, role, pattern, timeout=10, root=None, showing=True):
        try:
            return self.wait_until(
                lambda: next(iter(self.find_all(role, None, root, showing, pattern)), None),
                timeout=timeout, what='%s matching %r' % (role, pattern))
        except AssertionError as e:
            raise AssertionError('%s; showing now: %s' % (e, self._summary(role))) from None

    def missing(self, role, name, timeout=5, root=None):
        """Waits until no showing node has that role and name."""
        self.wait_until(lambda: not self.find_all(role, name, root),
                        timeout=timeout, what='%s %r to go' % (role, name))

    def _summary(self, role):
        names = sorted({n for r, n in self.names() if r == role})
        return ', '.join(repr(n) for n in names[:40]) or '(none)'

    def names(self, root=None):
        return [(_role(n), _name(n)) for n in self.find_all(root=root)]

    def states(self, node):
        return _states(node)

    def focused(self):
        for node in self.find_all():
            if 'focused' in _states(node):
                return node
        return None

    # Reading -------------------------------------------------------------------------

    def text(self, node):
        try:
            t = node.queryText()
            return t.getText(0, t.characterCount)
        except NotImplementedError:
            return _name(node)
        except Exception:
            return _name(node)

    def extents(self, node):
        box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return box.x, box.y, box.width, box.height

    # Acting --------------------------------------------------------------------------

    def _check_usable(self, node):
        states = _states(node)
        what = '%s %r' % (_role(node), _name(node))
        assert _on_screen(node), '%s is not on screen' % what
        assert 'sensitive' in states, '%s is insensitive: a user cannot use it' % what

    def focus_window(self):
        """Gives the keyboard to the app's active window: a dialog when one is open."""
        _xdotool('windowfocus', '--sync', self._active_xid())

    def _active_xid(self):
        # A modal dialog has the keyboard; else the window GTK calls active.
        active = None
        tops = [(top, _states(top)) for top in _children(self.app)]
        for top, states in tops:
            if 'active' in states:
                active = _name(top)
        for top, states in tops:
            if 'modal' in states and 'visible' in states:
                active = _name(top)
        try:
            ids = _xdotool('search', '--onlyvisible', '--pid', self.proc.pid).split()
        except subprocess.CalledProcessError:
            ids = []
        for xid in reversed(ids):
            try:
                if active is not None and _xdotool('getwindowname', xid).strip() == active:
                    return xid
            except subprocess.CalledProcessError:
                continue
        return self.wid

    def click(self, node, button=1):
        self._check_usable(node)
        x, y, w, h = self.extents(node)
        win_w, win_h = self.window_size()
        if not (0 <= x + w // 2 < win_w and 0 <= y + h // 2 < win_h):
            # Out of the scrolled view: focusing it scrolls it in, as Tab would.
            node.queryComponent().grabFocus()
            self.idle(0.5)
            x, y, w, h = self.extents(node)
        assert w > 0 and h > 0, '%s %r has no size' % (_role(node), _name(node))
        assert 0 <= x + w // 2 < win_w and 0 <= y + h // 2 < win_h, \
            '%s %r is outside the window (%d, %d)' % (_role(node), _name(node), x, y)
        _xdotool('mousemove', '--sync', x + w // 2, y + h // 2)
        _xdotool('click', button)
        self.idle(0.2)

    def activate(self, node):
        self._check_usable(node)
        action = node.queryAction()
        assert action.nActions > 0, '%s %r has no action' % (_role(node), _name(node))
        action.doAction(0)
        self.idle(0.2)

    def key(self, keys):
        self.focus_window()
        _xdotool('key', '--clearmodifiers', *keys.split())
        self.idle(0.2)

    def type(self, text):
        self.focus_window()
        _xdotool('type', '--delay', 2, '--', text)
        self.idle(0.2)

    def set_text(self, node, text):
        """Replaces an entry's contents, as selecting all and pasting would."""
        self._check_usable(node)
        assert 'editable' in _states(node), '%s %r is not editable' % (_role(node), _name(node))
        try:
            node.queryEditableText().setTextContents(text)
        except Exception:
            self.click(node)
            self.key('ctrl+a')
            if text:
                self.type(text)
            else:
                self.key('BackSpace')
        self.idle(0.2)

    def window_size(self):
        out = _xdotool('getwindowgeometry', self.wid)
        m = re.search(r'Geometry:\s*(\d+)x(\d+)', out)
        return int(m.group(1)), int(m.group(2))

    def resize(self, width, height):
        _xdotool('windowsize', '--sync', self.wid, width, height)
        self.idle(0.3)

    def screenshot(self, path):
        subprocess.run(['import', '-window', str(self.wid), path], check=False, timeout=30)

    def cli(self, *args, input=None, check=False):
        return subprocess.run([CLI_BINARY, *args], input=input, text=True, capture_output=True,
                              env=self.env, timeout=60 * TIME_SCALE, check=check)


def run_tests(namespace):
    """Runs every test_* function of a module and prints TAP; exits non-zero on failure."""
    tests = sorted((n, f) for n, f in namespace.items() if n.startswith('test_') and callable(f))
    print('1..%d' % len(tests), flush=True)
    failed = 0
    for i, (name, fn) in enumerate(tests, 1):
        try:
            fn()
            print('ok %d %s' % (i, name), flush=True)
        except Exception:
            failed += 1
            print('not ok %d %s' % (i, name), flush=True)
            for line in traceback.format_exc().splitlines():
                print('# ' + line, flush=True)
    sys.exit(1 if failed else 0)


# A project of a test's own in the keyring, added and removed through the command line.

def cli(*args, input=None):
    """agora-keys-cli outside any App (before its window opens, or after it is gone)."""
    env = dict(os.environ, GSETTINGS_BACKEND='memory')
    return subprocess.run([CLI_BINARY, *args], input=input, text=True, capture_output=True,
                          env=env, timeout=60 * TIME_SCALE)


class StoredProject:
    """A project of one test file's own: its label carries the process id, and its App ID and
    certificates come from @name, so that no other test's project shares them. add() and
    remove() go through @run (an App's cli, or the module's); as a context manager it is there
    before the window opens and removed after."""

    def __init__(self, name):
        def hex32(what):
            return hashlib.md5(('%s %s' % (name, what)).encode()).hexdigest()

        self.label = '%s %d' % (name, os.getpid())
        self.app_id = hex32('App ID')
        self.primary = hex32('primary certificate')
        self.secondary = hex32('secondary certificate')

    def add(self, run=cli, label=None):
        result = run('credential', 'add', 'project', '--label', label or self.label,
                     '--app-id', self.app_id, input='%s\n%s\n' % (self.primary, self.secondary))
        assert result.returncode == 0, result.stderr

    def remove(self, run=cli, label=None):
        run('credential', 'remove', '--kind', 'project', label or self.label)

    def __enter__(self):
        self.add()
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

