#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Judge the report files AddressSanitizer, LeakSanitizer and UBSan wrote (log_path=DIR/asan).

build-aux/test runs the sanitizer build with LSAN_OPTIONS=exitcode=0, so that a leak does
not change a process's exit status and every process, CLI children included, writes its
reports to DIR/asan.PID. This script then prints every report that is not a leak listed in
the suppression file's '# stack:' entries (see tests/lsan.supp) and exits 1 if there is one.
Memory errors and undefined behaviour are never suppressed here.

Usage: sanitizer-reports.py DIR SUPPRESSIONS
"""

import os
import re
import sys

FRAME_RE = re.compile(r"^\s+#\d+ 0x[0-9a-f]+\s+(?:in (\S+) (\S+)|\((\S+)\))")


def load_rules(path):
    """[(stack regex, companion regex or None)] from '# stack:' lines, each optionally
    preceded by a '# stack-with:' line: then the rule holds only in a process that also
    leaked a stack matching the companion (the same third-party bug's other half)."""
    rules = []
    companion = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("# stack-with:"):
                companion = re.compile(line.split(":", 1)[1].strip())
            elif line.startswith("# stack:"):
                rules.append((re.compile(line.split(":", 1)[1].strip()), companion))
                companion = None
    return rules


def frame_name(line):
    """A frame as the rules see it: function, function@file.c:line, or module+0xoffset."""
    m = FRAME_RE.match(line)
    if not m:
        return None
    function, where, module = m.groups()
    if module is not None:
        return os.path.basename(module.rstrip(")"))
    if where.startswith("(") or where.startswith("/lib") or where.startswith("/usr"):
        return function
    # Our code: "../src/core/x.c:12" -> "fn@x.c:12"; other source paths keep the function.
    if "/src/" in where or "/tests/" in where or where.startswith("../src") \
            or where.startswith("../tests"):
        return "%s@%s" % (function, os.path.basename(where))
    return function


def leak_stack(block):
    frames = []
    for line in block.splitlines()[1:]:
        name = frame_name(line)
        if name is None:
            continue
        if name.startswith("__interceptor_") or name.startswith("malloc") \
                or name in ("calloc", "realloc"):
            continue
        frames.append(name)
    return " < ".join(frames)


def split_reports(text):
    """Yields (kind, block): 'leak' blocks one by one, anything else as one 'error' block."""
    if "ERROR: LeakSanitizer" not in text:
        if text.strip():
            yield "error", text
        return
    head, _, rest = text.partition("ERROR: LeakSanitizer")
    if "ERROR: AddressSanitizer" in head or "runtime error" in head:
        yield "error", head
    for block in re.split(r"\n(?=(?:Direct|Indirect) leak of )", rest)[1:]:
        block = block.split("\nSUMMARY:", 1)[0]
        yield "leak", block


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    report_dir, supp = argv
    rules = load_rules(supp)
    shown = 0
    suppressed = 0
    names = sorted(os.listdir(report_dir)) if os.path.isdir(report_dir) else []
    for name in names:
        with open(os.path.join(report_dir, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        reports = list(split_reports(text))
        stacks = [leak_stack(b) for k, b in reports if k == "leak"]
        for kind, block in reports:
            if kind == "leak":
                stack = leak_stack(block)
                if any(r.search(stack)
                       and (c is None or any(c.search(other) for other in stacks))
                       for r, c in rules):
                    suppressed += 1
                    continue
            shown += 1
            print("--- %s (%s)" % (name, kind))
            print(block.rstrip())
    print("sanitizer reports: %d shown, %d known third-party leaks (tests/lsan.supp '# stack:')"
          % (shown, suppressed))
    return 1 if shown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
