#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks build-aux/sanitizer-reports.py with tests/lsan.supp on hand-made report files.

The script decides whether the sanitizer run of build-aux/test passes: a leak of the
sanitizer runtime itself must not fail it, and no leak through our code may pass it.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, os.pardir, "build-aux", "sanitizer-reports.py")
SUPPRESSIONS = os.path.join(HERE, "lsan.supp")

HEADER = "=================================================================\n" \
         "==4242==ERROR: LeakSanitizer: detected memory leaks\n\n"
FOOTER = "\nSUMMARY: AddressSanitizer: 32 byte(s) leaked in 1 allocation(s).\n"

# GCC 12's libsanitizer on glibc 2.36, as a fresh Debian 12 machine printed it: a thread that
# started while the process exited, caught inside pthread_getattr_np(). With libc6-dbg the
# glibc frames carry their internal names and files; without it, the exported names.
THREAD_START = """Direct leak of 32 byte(s) in 1 object(s) allocated from:
    #0 0x7f2a4c8b78d5 in __interceptor_realloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:85
    #1 0x7f2a4c6a51e0 in __GI___pthread_attr_setaffinity_np nptl/pthread_attr_setaffinity.c:51
    #2 0x7f2a4c6a85bd in __pthread_getattr_np nptl/pthread_getattr_np.c:194
    #3 0x7f2a4c8c8a1b in __sanitizer::GetThreadStackTopAndBottom(bool, unsigned long*, unsigned long*) ../../../../src/libsanitizer/sanitizer_common/sanitizer_linux_libcdep.cpp:150
    #4 0x7f2a4c8c8f4d in __sanitizer::GetThreadStackAndTls(bool, unsigned long*, unsigned long*, unsigned long*, unsigned long*) ../../../../src/libsanitizer/sanitizer_common/sanitizer_linux_libcdep.cpp:614
    #5 0x7f2a4c8bba37 in __asan::AsanThread::SetThreadStackAndTls(__asan::AsanThread::InitOptions const*) ../../../../src/libsanitizer/asan/asan_thread.cpp:306
    #6 0x7f2a4c8bbc21 in __asan::AsanThread::Init(__asan::AsanThread::InitOptions const*) ../../../../src/libsanitizer/asan/asan_thread.cpp:250
    #7 0x7f2a4c8bc10e in __asan::AsanThread::ThreadStart(unsigned long) ../../../../src/libsanitizer/asan/asan_thread.cpp:278
    #8 0x7f2a4c6a3fd3 in start_thread nptl/pthread_create.c:442
    #9 0x7f2a4c7245bb in clone3 ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
"""

THREAD_START_NO_DEBUG = """Direct leak of 32 byte(s) in 1 object(s) allocated from:
    #0 0x7f2a4c8b78d5 in __interceptor_realloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:85
    #1 0x7f2a4c6a51e0 in pthread_attr_setaffinity_np@@GLIBC_2.32 (/lib/x86_64-linux-gnu/libc.so.6+0x871e0)
    #2 0x7f2a4c6a85bd in pthread_getattr_np@@GLIBC_2.32 (/lib/x86_64-linux-gnu/libc.so.6+0x8a5bd)
    #3 0x7f2a4c8c8a1b  (/lib/x86_64-linux-gnu/libasan.so.8+0xd4a1b)
    #4 0x7f2a4c8bc10e  (/lib/x86_64-linux-gnu/libasan.so.8+0xc810e)
    #5 0x7f2a4c6a3fd3 in start_thread nptl/pthread_create.c:442
"""

# The same glibc frames under a function of ours: not the runtime's, so shown.
OURS_VIA_GETATTR = """Direct leak of 32 byte(s) in 1 object(s) allocated from:
    #0 0x7f2a4c8b78d5 in __interceptor_realloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:85
    #1 0x7f2a4c6a51e0 in __GI___pthread_attr_setaffinity_np nptl/pthread_attr_setaffinity.c:51
    #2 0x7f2a4c6a85bd in __pthread_getattr_np nptl/pthread_getattr_np.c:194
    #3 0x55d1c0a1b2c3 in ak_stack_bounds ../src/core/ak-thing.c:42
    #4 0x7f2a4c6a3fd3 in start_thread nptl/pthread_create.c:442
"""

OURS = """Direct leak of 24 byte(s) in 1 object(s) allocated from:
    #0 0x7f2a4c8b79cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x7f2a4c4d1b98 in g_malloc (/lib/x86_64-linux-gnu/libglib-2.0.so.0+0x5bb98)
    #2 0x55d1c0a1b2c3 in ak_json_parse_untrusted ../src/core/ak-json.c:300
    #3 0x55d1c0a1a111 in main ../tests/test-json.c:20
"""

USE_AFTER_FREE = """=================================================================
==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010
READ of size 1 at 0x602000000010 thread T0
    #0 0x55d1c0a1b2c3 in ak_json_check_untrusted ../src/core/ak-json.c:120
"""

# name, {file name: contents}, expected exit status, words the output must hold
CASES = [
    ("no-reports", {}, 0, ["0 shown"]),
    ("sanitizer-thread-start-leak", {"asan.100": HEADER + THREAD_START + FOOTER}, 0,
     ["0 shown, 1 known"]),
    ("sanitizer-thread-start-leak-without-libc-symbols",
     {"asan.101": HEADER + THREAD_START_NO_DEBUG + FOOTER}, 0, ["0 shown, 1 known"]),
    ("our-leak-beside-it",
     {"asan.102": HEADER + THREAD_START + "\n" + OURS + FOOTER}, 1,
     ["1 shown, 1 known", "ak_json_parse_untrusted"]),
    ("getattr-under-our-code-is-ours", {"asan.103": HEADER + OURS_VIA_GETATTR + FOOTER}, 1,
     ["1 shown", "ak_stack_bounds"]),
    ("memory-error-never-suppressed", {"asan.104": USE_AFTER_FREE}, 1,
     ["1 shown", "heap-use-after-free"]),
]


def run_case(name, files, status, words):
    with tempfile.TemporaryDirectory() as tmp:
        for file_name, text in files.items():
            with open(os.path.join(tmp, file_name), "w", encoding="utf-8") as f:
                f.write(text)
        result = subprocess.run([sys.executable, SCRIPT, tmp, SUPPRESSIONS],
                                capture_output=True, text=True, check=False)
    problems = []
    if result.returncode != status:
        problems.append("exit status %d, expected %d" % (result.returncode, status))
    for word in words:
        if word not in result.stdout:
            problems.append("output lacks %r" % word)
    return problems, result.stdout + result.stderr


def main():
    print("1..%d" % (len(CASES) + 1))
    failed = 0
    for number, (name, files, status, words) in enumerate(CASES, 1):
        problems, output = run_case(name, files, status, words)
        if problems:
            failed += 1
            print("not ok %d /ak/sanitizer-reports/%s" % (number, name))
            for line in problems + output.splitlines():
                print("# " + line)
        else:
            print("ok %d /ak/sanitizer-reports/%s" % (number, name))

    # LeakSanitizer reads the same file: the rule it applies itself is there too.
    with open(SUPPRESSIONS, encoding="utf-8") as f:
        rules = [line.strip() for line in f if line.startswith("leak:")]
    number = len(CASES) + 1
    if "leak:pthread_getattr_np" in rules:
        print("ok %d /ak/sanitizer-reports/lsan-rule-for-thread-start" % number)
    else:
        failed += 1
        print("not ok %d /ak/sanitizer-reports/lsan-rule-for-thread-start" % number)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
