#!/usr/bin/env python3
"""Spawning: Process.spawn + wait beside subprocess.run, in wall time and in the parent's system calls.

    python bench/spawn.py            # 9 rounds of 200 spawns per contender
    python bench/spawn.py --quick    # CI's smoke run

Wall: each contender starts and reaps ``/bin/true`` in interleaved rounds
(machine noise hits all alike), with 0 and 500 inheritable descriptors open;
the table gives the median microseconds per spawn and macres/stdlib.
Calls: the system calls the parent makes for one spawn and wait, counted by
``strace -f`` (the child's own calls are left out), for ``Process.spawn``
and ``subprocess.Popen``, with 0 and 500 descriptors open.  Nothing here
asserts on time.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import macres
from macres._backend import NAME as CORE

TRUE = "/bin/true"
_BEGIN, _END = "/macres-bench-begin", "/macres-bench-end"


@contextmanager
def open_descriptors(count: int) -> Iterator[None]:
    """*count* inheritable descriptors on /dev/null, open for the block."""
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(count)]
    try:
        for fd in fds:
            os.set_inheritable(fd, True)
        yield
    finally:
        for fd in fds:
            os.close(fd)


def ours() -> None:
    with macres.Process.spawn([TRUE]) as p:
        p.wait()


def theirs() -> None:
    subprocess.run([TRUE], check=False)


def wall(count: int, n: int, rounds: int) -> tuple[float, float]:
    """Median microseconds per spawn+wait for (macres, stdlib) with *count* descriptors open."""
    contenders: dict[str, Callable[[], None]] = {"macres": ours, "stdlib": theirs}
    samples: dict[str, list[float]] = {k: [] for k in contenders}
    with open_descriptors(count):
        for fn in contenders.values():
            fn()
        for _ in range(rounds):
            for k, fn in contenders.items():
                gc.disable()
                try:
                    t0 = time.perf_counter_ns()
                    for _ in range(n):
                        fn()
                    samples[k].append((time.perf_counter_ns() - t0) / n / 1000)
                finally:
                    gc.enable()
    return statistics.median(samples["macres"]), statistics.median(samples["stdlib"])


_LINE = re.compile(r"^(\d+)\s+(\w+)\(")


def parent_calls(body: str, count: int) -> list[str] | None:
    """The names of the calls the parent makes in *body*, under strace (None without strace)."""
    if shutil.which("strace") is None:
        return None
    program = "\n".join(
        (
            "import os, subprocess, macres",
            f"fds = [os.open(os.devnull, os.O_RDONLY) for _ in range({count})]",
            "[os.set_inheritable(fd, True) for fd in fds]",
            f"macres.Process.spawn([{TRUE!r}]).close(); subprocess.run([{TRUE!r}])",  # warm both
            f"os.access({_BEGIN!r}, os.F_OK)",
            body,
            f"os.access({_END!r}, os.F_OK)",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "trace")
        done = subprocess.run(
            ["strace", "-qq", "-f", "-o", out, sys.executable, "-c", program], capture_output=True, check=False
        )
        if done.returncode != 0:
            return None
        with open(out, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    names: list[str] = []
    parent = None
    for line in lines:
        m = _LINE.match(line)
        if m is None:
            continue
        if _BEGIN in line:
            parent = m[1]
            continue
        if _END in line:
            break
        if parent is not None and m[1] == parent:
            names.append(m[2])
    return names


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="few spawns (CI smoke run)")
    args = p.parse_args(argv)
    n, rounds = (20, 3) if args.quick else (200, 9)
    print(f"spawn + wait of {TRUE}, {CORE} core, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
    print(f"{'descriptors open':<18}{'macres us':>11}{'subprocess.run us':>19}{'macres/stdlib':>15}")
    for count in (0, 500):
        mine, std = wall(count, n, rounds)
        print(f"{count:<18}{mine:>11.0f}{std:>19.0f}{mine / std:>15.2f}")
    print()
    print(f"{'parent system calls per spawn+wait':<40}{'0 open':>8}{'500 open':>10}")
    for label, body in (
        ("Process.spawn + wait + close", f"p = macres.Process.spawn([{TRUE!r}]); p.wait(); p.close()"),
        ("subprocess.Popen + wait", f"q = subprocess.Popen([{TRUE!r}]); q.wait()"),
    ):
        counts = [parent_calls(body, count) for count in (0, 500)]
        if counts[0] is None or counts[1] is None:
            print(f"{label:<40}  (strace is not available)")
            continue
        print(f"{label:<40}{len(counts[0]):>8}{len(counts[1]):>10}   {' '.join(counts[1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
