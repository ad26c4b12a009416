#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks build-aux/testlog-summary.py on hand-made meson test logs (TAP output).

The summary line is what CI reads to decide whether a submission is green, so a
miscount here would hide failures: each case pins one counting rule.
"""

import json
import os
import subprocess
import sys
import tempfile

SUMMARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                       "build-aux", "testlog-summary.py")


def entry(name, result, stdout="", returncode=0):
    return {"name": name, "stdout": stdout, "result": result, "returncode": returncode,
            "starttime": 0.0, "duration": 0.1, "env": {}, "command": [name]}


def tap(*lines):
    return "\n".join(lines) + "\n"


# name, log entries, intro-tests protocols (None: no introspection data), extra args,
# expected last line, expected exit status
CASES = [
    ("all-tap-pass",
     [entry("agora-keys / codec", "OK", tap("1..3", "ok 1 /ak/a", "ok 2 /ak/b", "ok 3 /ak/c"))],
     {"codec": "tap"}, [], "3 passed, 0 failed", 0),
    ("tap-failures-counted-per-line",
     [entry("agora-keys / codec", "FAIL",
            tap("1..3", "ok 1 /ak/a", "not ok 2 /ak/b", "not ok 3 /ak/c"), 1)],
     {"codec": "tap"}, [], "1 passed, 2 failed", 1),
    ("tap-skip-directive",
     [entry("agora-keys / codec", "OK",
            tap("1..2", "ok 1 /ak/a", "ok 2 /ak/b # SKIP no keyring"))],
     {"codec": "tap"}, [], "1 passed, 0 failed, 1 skipped", 0),
    ("tap-todo-is-not-a-failure",
     [entry("agora-keys / codec", "OK",
            tap("1..2", "ok 1 /ak/a", "not ok 2 /ak/b # TODO later"))],
     {"codec": "tap"}, [], "1 passed, 0 failed, 1 skipped", 0),
    ("tap-crash-without-not-ok",
     [entry("agora-keys / codec", "ERROR", tap("1..5", "ok 1 /ak/a", "ok 2 /ak/b"), -11)],
     {"codec": "tap"}, [], "2 passed, 1 failed", 1),
    ("tap-timeout",
     [entry("agora-keys / codec", "TIMEOUT", tap("1..5", "ok 1 /ak/a"), -15)],
     {"codec": "tap"}, [], "1 passed, 1 failed", 1),
    ("exitcode-tests-count-once",
     [entry("agora-keys / desktop", "OK", "ok 1 looks like tap\n"),
      entry("agora-keys / metainfo", "FAIL", "", 3),
      entry("agora-keys / schema", "SKIP", "", 77)],
     {"desktop": "exitcode", "metainfo": "exitcode", "schema": "exitcode"}, [],
     "1 passed, 1 failed, 1 skipped", 1),
    ("suite-prefixed-names",
     [entry("agora-keys:core / codec", "OK", tap("1..2", "ok 1 a", "ok 2 b")),
      entry("agora-keys:ui / window", "OK", "")],
     {"codec": "tap", "window": "exitcode"}, [], "3 passed, 0 failed", 0),
    ("tap-detected-without-introspection",
     [entry("agora-keys / codec", "OK", tap("1..2", "ok 1 a", "ok 2 b")),
      entry("agora-keys / plain", "OK", "ok then\n")],
     None, [], "3 passed, 0 failed", 0),
    ("fuzz-pass-counted",
     [entry("agora-keys / codec", "OK", tap("1..1", "ok 1 a"))],
     {"codec": "tap"}, ["--extra", "fuzz=ok"], "2 passed, 0 failed", 0),
    ("fuzz-crash-counted",
     [entry("agora-keys / codec", "OK", tap("1..1", "ok 1 a"))],
     {"codec": "tap"}, ["--extra", "fuzz=fail"], "1 passed, 1 failed", 1),
    ("runner-killed-counts-as-failure",
     [entry("agora-keys / codec", "OK", tap("1..1", "ok 1 a"))],
     {"codec": "tap"}, ["--runner-status", "124"], "1 passed, 1 failed", 1),
    ("empty-log-is-a-failure",
     [], {}, [], "0 passed, 1 failed", 1),
]


# Several logs in one summary, as build-aux/test passes them (plain run, sanitizers,
# valgrind): name, [(build dir, log name, entries, protocols)], extra args, expected
# last line, expected exit status, a text the failure list must contain (or None).
CODEC_OK = [entry("agora-keys:core / codec", "OK", tap("1..2", "ok 1 a", "ok 2 b"))]
CODEC_FAIL = [entry("agora-keys:core / codec", "FAIL", tap("1..2", "ok 1 a", "not ok 2 b"), 1)]
MULTI_CASES = [
    ("logs-add-up",
     [("_build-test", "testlog.json", CODEC_OK, {"codec": "tap"}),
      ("_build-asan", "testlog.json", CODEC_OK, {"codec": "tap"}),
      ("_build-test", "testlog-valgrind.json", CODEC_OK, {"codec": "tap"})],
     ["--runner-status", "0", "--runner-status", "0", "--runner-status", "0",
      "--extra", "fuzz=ok"], "7 passed, 0 failed", 0, None),
    ("failure-named-after-its-log",
     [("_build-test", "testlog.json", CODEC_OK, {"codec": "tap"}),
      ("_build-asan", "testlog.json", CODEC_FAIL, {"codec": "tap"})],
     [], "3 passed, 1 failed", 1, "[_build-asan] agora-keys:core / codec: not ok 2 b"),
    ("valgrind-log-named-by-logbase",
     [("_build-test", "testlog.json", CODEC_OK, {"codec": "tap"}),
      ("_build-test", "testlog-valgrind.json", CODEC_FAIL, {"codec": "tap"})],
     [], "3 passed, 1 failed", 1, "[_build-test/testlog-valgrind] agora-keys:core / codec"),
    ("runner-status-belongs-to-its-log",
     [("_build-test", "testlog.json", CODEC_FAIL, {"codec": "tap"}),
      ("_build-asan", "testlog.json", CODEC_OK, {"codec": "tap"})],
     ["--runner-status", "1", "--runner-status", "124"], "3 passed, 2 failed", 1,
     "[_build-asan] test runner exited with status 124"),
    ("empty-second-log-is-a-failure",
     [("_build-test", "testlog.json", CODEC_OK, {"codec": "tap"}),
      ("_build-asan", "testlog.json", [], {"codec": "tap"})],
     [], "2 passed, 1 failed", 1, "no test ran"),
    ("sanitizer-reports-counted",
     [("_build-test", "testlog.json", CODEC_OK, {"codec": "tap"})],
     ["--extra", "sanitizer-reports=fail", "--extra", "valgrind-reports=ok"],
     "3 passed, 1 failed", 1, "sanitizer-reports: FAIL"),
]


def write_log(build, log_name, entries, protocols):
    os.makedirs(os.path.join(build, "meson-logs"), exist_ok=True)
    log = os.path.join(build, "meson-logs", log_name)
    with open(log, "w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(e) + "\n")
    if protocols is not None:
        os.makedirs(os.path.join(build, "meson-info"), exist_ok=True)
        with open(os.path.join(build, "meson-info", "intro-tests.json"), "w",
                  encoding="utf-8") as f:
            json.dump([{"name": n, "protocol": p} for n, p in protocols.items()], f)
    return log


def run_case(tmp, name, entries, protocols, extra):
    log = write_log(os.path.join(tmp, name), "testlog.json", entries, protocols)
    return subprocess.run([sys.executable, SUMMARY, log] + extra,
                          capture_output=True, text=True, check=False)


def run_multi_case(tmp, name, logs, extra):
    """Each log followed by its --runner-status, the rest after: as build-aux/test calls it."""
    paths = [write_log(os.path.join(tmp, name, build), log_name, entries, protocols)
             for build, log_name, entries, protocols in logs]
    statuses = [extra[i + 1] for i, arg in enumerate(extra) if arg == "--runner-status"]
    rest = [arg for i, arg in enumerate(extra)
            if arg != "--runner-status" and (i == 0 or extra[i - 1] != "--runner-status")]
    argv = []
    for i, path in enumerate(paths):
        argv.append(path)
        if i < len(statuses):
            argv += ["--runner-status", statuses[i]]
    return subprocess.run([sys.executable, SUMMARY] + argv + rest,
                          capture_output=True, text=True, check=False)


def last_line(proc):
    """The last line the summary printed, or "" when it printed nothing."""
    lines = proc.stdout.splitlines()
    return lines[-1] if lines else ""


def report(number, name, passed, want, output):
    """Prints case @number's TAP line (and, when it failed, @want and @output as comments);
    returns 1 for a failure, else 0."""
    if passed:
        print("ok %d /ak/testlog-summary/%s" % (number, name))
        return 0
    print("not ok %d /ak/testlog-summary/%s" % (number, name))
    print("# " + want)
    for line in output.splitlines():
        print("# " + line)
    return 1


def main():
    print("1..%d" % (len(CASES) + len(MULTI_CASES) + 1))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        number = 0
        for name, entries, protocols, extra, want_line, want_status in CASES:
            number += 1
            proc = run_case(tmp, name, entries, protocols, extra)
            got_line = last_line(proc)
            failures += report(number, name,
                               got_line == want_line and proc.returncode == want_status,
                               "want %r (exit %d), got %r (exit %d)"
                               % (want_line, want_status, got_line, proc.returncode),
                               proc.stderr)

        for name, logs, extra, want_line, want_status, want_text in MULTI_CASES:
            number += 1
            proc = run_multi_case(tmp, name, logs, extra)
            failures += report(number, name,
                               last_line(proc) == want_line and proc.returncode == want_status
                               and (want_text is None or want_text in proc.stdout),
                               "want %r (exit %d) and %r, got (exit %d):"
                               % (want_line, want_status, want_text, proc.returncode),
                               proc.stdout + proc.stderr)

        number += 1
        proc = subprocess.run([sys.executable, SUMMARY, os.path.join(tmp, "missing.json")],
                              capture_output=True, text=True, check=False)
        got_line = last_line(proc)
        failures += report(number, "missing-log-is-a-failure",
                           got_line == "0 passed, 1 failed" and proc.returncode == 1,
                           "got %r (exit %d)" % (got_line, proc.returncode), "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
