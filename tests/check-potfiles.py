#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks po/POTFILES.in against the sources (TAP output).

A source file with translatable strings that is missing from POTFILES.in ships
strings no translator ever sees; a listed file that no longer exists breaks
the update-po targets.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), os.pardir))
SCANNED_DIRS = ["src", "data"]
SCANNED_SUFFIXES = (".c", ".h", ".ui", ".in")
MARKERS = [
    re.compile(r'\b(?:N_|C_|NC_|_)\s*\(\s*"'),
    re.compile(r'\bg_dngettext\s*\(|\bngettext\s*\('),
    re.compile(r'translatable\s*=\s*"yes"'),
]


# The keywords and format flags of meson's 'glib' gettext preset, which po/meson.build uses.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]


def xgettext_warnings(listed):
    """Runs xgettext like the update-pot target; returns its warnings, or None without it.

    A warning usually means a message translators would receive cut short, such as a
    format macro (G_GSIZE_FORMAT) inside _(): xgettext cannot expand it. Use %zu, or
    PRIu64 from <inttypes.h>, which gettext understands.
    """
    xgettext = shutil.which("xgettext")
    if xgettext is None:
        return None
    existing = [p for p in listed if os.path.isfile(os.path.join(ROOT, p))]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([xgettext, *XGETTEXT_ARGS, "--directory", ROOT,
                               "--output", os.path.join(tmp, "check.pot"), *existing],
                              capture_output=True, text=True, check=False)
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    if proc.returncode != 0 and not lines:
        lines = ["xgettext exited with status %d" % proc.returncode]
    return [l for l in lines if "warning" in l or proc.returncode != 0]


def read_potfiles():
    listed = []
    with open(os.path.join(ROOT, "po", "POTFILES.in"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                listed.append(line)
    return listed


def translatable_sources():
    found = []
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SCANNED_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                if any(m.search(text) for m in MARKERS):
                    found.append(os.path.relpath(path, ROOT))
    return found


def main():
    listed = read_potfiles()
    wanted = translatable_sources()
    checks = [
        ("sorted", listed == sorted(listed), "POTFILES.in is not sorted"),
        ("no-duplicates", len(listed) == len(set(listed)), "POTFILES.in lists a file twice"),
    ]
    missing_files = [p for p in listed if not os.path.isfile(os.path.join(ROOT, p))]
    checks.append(("listed-files-exist", not missing_files,
                   "listed but missing: " + " ".join(missing_files)))
    unlisted = [p for p in wanted if p not in listed]
    checks.append(("translatable-files-listed", not unlisted,
                   "translatable strings in unlisted files: " + " ".join(unlisted)))

    warnings = xgettext_warnings(listed)
    if warnings is None:
        checks.append(("xgettext-clean", None, "xgettext is not installed"))
    else:
        checks.append(("xgettext-clean", not warnings, "\n# ".join(warnings)))

    print("1..%d" % len(checks))
    failed = 0
    for number, (name, ok, why) in enumerate(checks, 1):
        if ok is None:
            print("ok %d /ak/potfiles/%s # SKIP %s" % (number, name, why))
            continue
        print("%s %d /ak/potfiles/%s" % ("ok" if ok else "not ok", number, name))
        if not ok:
            failed += 1
            print("# " + why)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
