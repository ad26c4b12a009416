#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up time and idle memory of Agora Keys against a bare AdwApplicationWindow, for
# build-aux/bench, which runs this inside a private D-Bus session (with an unlocked
# gnome-keyring) and Xvfb. Both programs print "first-frame <g_get_monotonic_time ()>" on
# stderr once their window's first frame is rendered (Agora Keys under AK_REPORT_FIRST_FRAME=1).
# g_get_monotonic_time () and time.monotonic_ns () read the same CLOCK_MONOTONIC, so the
# start-up time is from just before the launch to the end of that frame.
#
# Usage: bench-startup.py [--runs N] [--idle SECONDS] [--budget RATIO] BARE_WINDOW AGORA_KEYS
# Prints a table of medians and ratios; exits 1 when a ratio is over the budget, 2 when a
# program did not draw a frame or died.

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time

FIRST_FRAME_TIMEOUT = 60.0


class BenchError(Exception):
    pass


def read_rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError(f"no VmRSS for process {pid}")


def measure(name, argv, idle_seconds):
    """Launches argv; returns (ms to the first frame, RSS in KiB after idle_seconds idle)."""
    first_frame = []
    seen = threading.Event()
    stderr_tail = []

    def drain(stream):
        # Read to the end, so that a chatty program can never block on a full pipe.
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("first-frame ") and not first_frame:
                first_frame.append(int(line.split()[1]))
                seen.set()
            else:
                stderr_tail.append(line)
                del stderr_tail[:-20]

    launched_us = time.monotonic_ns() // 1000
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    reader = threading.Thread(target=drain, args=(proc.stderr,), daemon=True)
    reader.start()
    try:
        if not seen.wait(FIRST_FRAME_TIMEOUT):
            raise BenchError(f"{name}: no first frame within {FIRST_FRAME_TIMEOUT:.0f} s")
        time.sleep(idle_seconds)
        if proc.poll() is not None:
            raise BenchError(f"{name}: exited with status {proc.returncode} while idle")
        rss_kib = read_rss_kib(proc.pid)
    except BenchError as error:
        tail = "\n".join("  " + line for line in stderr_tail)
        raise BenchError(f"{error}\n{tail}" if tail else str(error)) from None
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(5)
    return (first_frame[0] - launched_us) / 1000, rss_kib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=1.5)
    parser.add_argument("--budget", type=float, default=1.3)
    parser.add_argument("bare", help="the bare window program")
    parser.add_argument("app", help="the agora-keys program")
    args = parser.parse_args()

    programs = [("bare window", [args.bare]), ("Agora Keys", [args.app])]
    results = {name: ([], []) for name, _ in programs}
    load = os.getloadavg()[0]
    try:
        # One unmeasured launch each first: the page cache, fontconfig's cache and the
        # bus-activated services (the keyring, the portal) are then warm for both.
        for name, argv in programs:
            measure(name, argv, 0.2)
        for run in range(args.runs):
            # Alternate who goes first, so that neither always follows the other.
            for name, argv in programs if run % 2 == 0 else reversed(programs):
                frame_ms, rss_kib = measure(name, argv, args.idle)
                results[name][0].append(frame_ms)
                results[name][1].append(rss_kib)
    except (BenchError, OSError, ValueError) as error:
        print(f"start-up bench: {error}")
        return 2

    frame = {name: statistics.median(times) for name, (times, _) in results.items()}
    rss = {name: statistics.median(sizes) / 1024 for name, (_, sizes) in results.items()}
    frame_ratio = frame["Agora Keys"] / frame["bare window"]
    rss_ratio = rss["Agora Keys"] / rss["bare window"]

    print(f"start-up and memory (median of {args.runs}, Xvfb, GSK_RENDERER=cairo, "
          f"RSS after {args.idle:g} s idle)")
    print(f"{'':16}{'first frame':>13}{'RSS idle':>13}")
    for name, _ in programs:
        print(f"{name:16}{frame[name]:>10.0f} ms{rss[name]:>9.1f} MiB")
    print(f"{'ratio':16}{frame_ratio:>13.2f}{rss_ratio:>13.2f}   (budget {args.budget:.2f})")
    for name, _ in programs:
        times = ", ".join(f"{t:.0f}" for t in results[name][0])
        print(f"  {name} runs: {times} ms")
    if load > os.cpu_count() / 2:
        # Wall-clock start-up on a shared machine is mostly waiting for a core.
        print(f"  note: load average {load:.1f} on {os.cpu_count()} cores before the runs; "
              "the times are noisy")

    over = [what for what, ratio in (("start-up", frame_ratio), ("memory", rss_ratio))
            if ratio > args.budget]
    if over:
        print(f"OVER BUDGET: {' and '.join(over)} above {args.budget:.2f}x the bare window")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
