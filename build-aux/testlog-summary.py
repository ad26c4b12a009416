#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summarise meson testlog.json files as one line: 'N passed, N failed[, N skipped]'.

TAP tests count each of their own results; other tests count once. The counts are
built so that "failed" is non-zero exactly when meson itself reports a failure:
a TAP test that meson marked as failed without printing any 'not ok' line (a crash,
a timeout, a short plan, an unexpected TODO pass) adds one failure of its own.

Several logs (the plain run, the sanitizer run, the valgrind run) add up into one line;
the Nth --runner-status belongs to the Nth log. Failures are listed with the build
directory and log they come from.

Exit status: 0 when nothing failed, 1 otherwise (also when no test ran at all).
"""

import argparse
import json
import os
import re
import sys

PASS_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIP_RESULTS = {"SKIP"}
# Anything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS, INTERRUPT, RUNNING...) is a failure.

# The same shape meson's own TAP parser accepts: unindented, optional number,
# optional description, optional '# SKIP' / '# TODO' directive.
TAP_TEST_RE = re.compile(r"^(not ok|ok)\b\s*(?:\d+\s*)?[^#]*(?:#\s*(?i:(skip\S*|todo))\b)?")
TAP_PLAN_RE = re.compile(r"^1\.\.\d+")


class Counts:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failed_names = []

    def line(self):
        text = "%d passed, %d failed" % (self.passed, self.failed)
        if self.skipped:
            text += ", %d skipped" % self.skipped
        return text


def load_protocols(testlog_path):
    """Map test names to their protocol, from the build's introspection data."""
    info = os.path.join(os.path.dirname(os.path.abspath(testlog_path)),
                        os.pardir, "meson-info", "intro-tests.json")
    try:
        with open(info, encoding="utf-8") as f:
            tests = json.load(f)
    except (OSError, ValueError):
        return None
    return {t.get("name"): t.get("protocol", "exitcode") for t in tests}


def is_tap(entry, protocols):
    name = entry.get("name", "")
    if protocols is not None:
        # With several suites meson logs names as "project:suite / name".
        short = name.rsplit(" / ", 1)[-1]
        for candidate in (name, short):
            if candidate in protocols:
                return protocols[candidate] == "tap"
    stdout = entry.get("stdout") or ""
    return any(TAP_PLAN_RE.match(l) or l.startswith("TAP version") for l in stdout.splitlines())


def count_tap(entry, counts):
    name = entry.get("name", "?")
    result = entry.get("result", "ERROR")
    stdout = entry.get("stdout") or ""
    seen = 0
    failures = 0
    for line in stdout.splitlines():
        m = TAP_TEST_RE.match(line.rstrip())
        if not m:
            continue
        seen += 1
        ok = m.group(1) == "ok"
        directive = (m.group(2) or "").lower()
        if directive.startswith("skip") and ok:
            counts.skipped += 1
        elif directive == "todo" and not ok:
            # An expected failure: known, not a regression, yet not a pass either.
            counts.skipped += 1
        elif ok and directive != "todo":
            counts.passed += 1
        else:
            failures += 1
            counts.failed_names.append("%s: %s" % (name, line.strip()))
    counts.failed += failures

    if result in PASS_RESULTS:
        return
    if result in SKIP_RESULTS:
        if seen == 0:
            counts.skipped += 1
        return
    if failures == 0:
        counts.failed += 1
        counts.failed_names.append("%s: %s (exit status %s)"
                                   % (name, result, entry.get("returncode")))


def count_plain(entry, counts):
    result = entry.get("result", "ERROR")
    if result in PASS_RESULTS:
        counts.passed += 1
    elif result in SKIP_RESULTS:
        counts.skipped += 1
    else:
        counts.failed += 1
        counts.failed_names.append("%s: %s" % (entry.get("name", "?"), result))


def parse_extra(spec):
    name, sep, result = spec.partition("=")
    result = result.strip().upper()
    aliases = {"PASS": "OK", "PASSED": "OK", "FAILED": "FAIL", "SKIPPED": "SKIP"}
    result = aliases.get(result, result)
    if not sep or not name or result not in {"OK", "FAIL", "SKIP"}:
        raise argparse.ArgumentTypeError("expected NAME=ok|fail|skip, got %r" % spec)
    return {"name": name, "result": result}


def log_label(testlog_path):
    """'_build-asan' for _build-asan/meson-logs/testlog.json, with the log's own name
    when it is not the default one (meson test --logbase)."""
    logs_dir = os.path.dirname(os.path.abspath(testlog_path))
    build = os.path.basename(os.path.dirname(logs_dir))
    name = os.path.basename(testlog_path)
    if name != "testlog.json":
        build += "/" + (name[:-len(".json")] if name.endswith(".json") else name)
    return build


def summarise_log(testlog_path, runner_status, counts, label=None):
    """Adds one testlog's results to counts. Returns an error text or None."""
    entries = []
    problem = None
    failed_before = counts.failed
    names_before = len(counts.failed_names)
    try:
        with open(testlog_path, encoding="utf-8", errors="replace") as f:
            for lineno, raw in enumerate(f, 1):
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    entries.append(json.loads(raw))
                except ValueError:
                    problem = "%s:%d: not valid JSON" % (testlog_path, lineno)
    except OSError as e:
        problem = "cannot read %s: %s" % (testlog_path, e.strerror)

    protocols = load_protocols(testlog_path)
    for entry in entries:
        if is_tap(entry, protocols):
            count_tap(entry, counts)
        else:
            count_plain(entry, counts)

    # The runner knows of failures the log cannot show (killed by a timeout, a crash of
    # meson itself); never let those pass as green.
    if runner_status and counts.failed == failed_before:
        counts.failed += 1
        counts.failed_names.append("test runner exited with status %d" % runner_status)
    if not problem and not entries:
        problem = "%s: no test ran" % testlog_path
    if problem:
        counts.failed += 1
        counts.failed_names.append(problem)
    if label:
        counts.failed_names[names_before:] = ["[%s] %s" % (label, n)
                                              for n in counts.failed_names[names_before:]]


def summarise(testlog_paths, extras, runner_statuses=()):
    if isinstance(testlog_paths, str):
        testlog_paths = [testlog_paths]
    counts = Counts()
    several = len(testlog_paths) > 1
    for i, path in enumerate(testlog_paths):
        status = runner_statuses[i] if i < len(runner_statuses) else 0
        summarise_log(path, status, counts, log_label(path) if several else None)
    for extra in extras:
        count_plain(extra, counts)
    if counts.passed + counts.failed + counts.skipped == 0:
        counts.failed += 1
        counts.failed_names.append("no test ran")
    return counts


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testlog", nargs="+",
                        help="path to meson-logs/testlog.json; several add up")
    parser.add_argument("--extra", action="append", default=[], type=parse_extra,
                        metavar="NAME=ok|fail|skip",
                        help="count one more result that meson did not run")
    parser.add_argument("--runner-status", type=int, action="append", default=[],
                        metavar="STATUS",
                        help="exit status of the 'meson test' that wrote the Nth log (given "
                             "once per log, in order); non-zero counts as a failure when "
                             "that log shows none")
    # Logs and their --runner-status come interleaved (log1 --runner-status 0 log2 ...).
    args = parser.parse_intermixed_args(argv)
    if len(args.runner_status) > len(args.testlog):
        parser.error("more --runner-status than logs")

    counts = summarise(args.testlog, args.extra, args.runner_status)
    if counts.failed_names:
        print("Failures:")
        for name in counts.failed_names:
            print("  " + name)
    print(counts.line())
    return 1 if counts.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
