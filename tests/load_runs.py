"""Issue 12's flake check: `make test` N times in a row while `stress-ng --cpu 2` loads both cores.

    python -m tests.load_runs --runs 10            # what the README reports
    python -m tests.load_runs --runs 1 --no-stress PYTEST_ARGS=tests/test_calendar.py

Each run holds the suite lock (/tmp/hoso-suite.lock, as `flock /tmp/hoso-suite.lock make test`
does, so full suites of people sharing the machine do not overlap) and is timed from when it has
the lock: wall seconds, and the CPU seconds (user + system) of the run and every process it
started; half of those is what the wall would be on two idle cores. The load runs only while a
run holds the lock and stops with it, whatever happens. The first failing run ends the check
(exit 1).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = "/tmp/hoso-suite.lock"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stress_ng() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["stress-ng", "--cpu", "2", "--quiet"], stdin=subprocess.DEVNULL)


def one_run(number: int, make_args: list[str], stress: bool, lock_path: str) -> bool:
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the load and the timer start once the lock is ours
        load = stress_ng() if stress else None
        try:
            before, start = children_cpu(), time.monotonic()
            proc = subprocess.run(["make", "test", *make_args], cwd=ROOT, capture_output=True, text=True)
            wall, cpu = time.monotonic() - start, children_cpu() - before
        finally:
            if load is not None:
                load.terminate()
                load.wait()
    tail = [line for line in proc.stdout.splitlines() if " passed" in line or " failed" in line]
    print(f"run {number}: exit {proc.returncode}, {wall:.0f} s wall, {cpu:.0f} s CPU "
          f"(~{cpu / 2:.0f} s on two idle cores): {tail[-1] if tail else ''}", flush=True)
    if proc.returncode != 0:
        print(proc.stdout[-6000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
    return proc.returncode == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-stress", action="store_true", help="no stress-ng (the machine's own load only)")
    ap.add_argument("--lock", default=LOCK, help="the suite lock's path")
    ap.add_argument("make_args", nargs="*", help="passed to make test, e.g. PYTEST_ARGS=--durations=0")
    args = ap.parse_args(argv)
    if not args.no_stress and shutil.which("stress-ng") is None:
        print("stress-ng is not installed (apt-get install stress-ng)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped check stops its load too
    for number in range(1, args.runs + 1):
        if not one_run(number, args.make_args, not args.no_stress, args.lock):
            return 1
    print(f"{args.runs} runs in a row passed" + ("" if args.no_stress else " under stress-ng --cpu 2"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
