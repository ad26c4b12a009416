#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs the build into a temporary DESTDIR and checks what lands there (TAP output).

Usage: check-install.py MESON BUILD_ROOT SOURCE_ROOT APP_ID PREFIX BINDIR DATADIR MANDIR LOCALEDIR GETTEXT_PACKAGE

A file missing from the install is a broken package: no launcher entry, no icon,
no settings schema or a command that is not on the PATH.
"""

import gettext
import os
import subprocess
import sys
import tempfile


def under(prefix, path):
    """An install directory from meson, which may be relative to the prefix or absolute."""
    return path if os.path.isabs(path) else os.path.join(prefix, path)


def linguas(source_root):
    path = os.path.join(source_root, "po", "LINGUAS")
    if not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def main():
    if len(sys.argv) != 11:
        print(__doc__, file=sys.stderr)
        return 2
    (meson, build_root, source_root, app_id, prefix, bindir, datadir, mandir, localedir,
     gettext_package) = sys.argv[1:]
    bindir = under(prefix, bindir)
    datadir = under(prefix, datadir)
    mandir = under(prefix, mandir)
    localedir = under(prefix, localedir)

    expected = [
        os.path.join(bindir, "agora-keys"),
        os.path.join(bindir, "agora-keys-cli"),
        os.path.join(datadir, "applications", app_id + ".desktop"),
        os.path.join(datadir, "metainfo", app_id + ".metainfo.xml"),
        os.path.join(datadir, "icons", "hicolor", "scalable", "apps", app_id + ".svg"),
        os.path.join(datadir, "icons", "hicolor", "symbolic", "apps", app_id + "-symbolic.svg"),
        os.path.join(datadir, "glib-2.0", "schemas", app_id + ".gschema.xml"),
        os.path.join(datadir, "dbus-1", "services", app_id + ".service"),
        os.path.join(mandir, "man1", "agora-keys-cli.1"),
    ]
    expected += [os.path.join(localedir, lang, "LC_MESSAGES", gettext_package + ".mo")
                 for lang in linguas(source_root)]

    with tempfile.TemporaryDirectory(prefix="ak-install-") as destdir:
        # No rebuild: the test depends on the installed targets, so they are built, and
        # a build started from inside a test would race the one meson test ran.
        proc = subprocess.run([meson, "install", "-C", build_root, "--destdir", destdir,
                               "--no-rebuild", "--quiet"],
                              capture_output=True, text=True, check=False)
        languages = linguas(source_root)
        print("1..%d" % (len(expected) + 2 + len(languages)))
        number = 1
        failed = 0
        if proc.returncode == 0:
            print("ok %d /ak/install/meson-install" % number)
        else:
            failed += 1
            print("not ok %d /ak/install/meson-install" % number)
            for line in (proc.stdout + proc.stderr).splitlines():
                print("# " + line)

        for path in expected:
            number += 1
            installed = destdir + path
            ok = os.path.isfile(installed) and os.path.getsize(installed) > 0
            if ok and os.sep + "bin" + os.sep in path:
                ok = os.access(installed, os.X_OK)
            print("%s %d /ak/install%s" % ("ok" if ok else "not ok", number, path))
            if not ok:
                failed += 1
                print("# missing, empty or not executable: " + path)

        # The service file must start the installed binary, not one in the build tree.
        number += 1
        service = destdir + expected[7]
        exec_line = ""
        if os.path.isfile(service):
            with open(service, encoding="utf-8") as f:
                exec_line = next((l.strip() for l in f if l.startswith("Exec=")), "")
        want = "Exec=%s --gapplication-service" % expected[0]
        ok = exec_line == want
        print("%s %d /ak/install/service-exec" % ("ok" if ok else "not ok", number))
        if not ok:
            failed += 1
            print("# service file has %r, wanted %r" % (exec_line, want))

        # Each installed catalogue must load and translate the CLI's usage text.
        for lang in languages:
            number += 1
            try:
                catalogue = gettext.translation(gettext_package, destdir + localedir, [lang])
                translated = catalogue.gettext("Commands:")
            except OSError as error:
                translated = "Commands:"
                print("# %s" % error)
            ok = translated != "Commands:"
            print("%s %d /ak/install/translation/%s" % ("ok" if ok else "not ok", number, lang))
            if not ok:
                failed += 1
                print("# the %s catalogue does not translate \"Commands:\"" % lang)

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
