#!/usr/bin/env python3
"""Benchmark: Child.communicate beside subprocess.Popen.communicate, in one run.

    python bench/communicate.py            # 8 interleaved rounds per case
    python bench/communicate.py --rounds 3

Each case spawns the same child through both, exchanges the same bytes and
waits for it; rounds alternate the two contenders so machine noise hits both
alike.  The table shows the median wall milliseconds and the ratio
macres/stdlib.  Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import macres

PY = [sys.executable, "-I", "-S", "-c"]
MiB = 1 << 20

#: name -> (argv, input or None, whether stderr is a pipe too)
CASES: dict[str, tuple[list[str], bytes | None, bool]] = {
    "true, no pipes": (["true"], None, False),
    "8 MiB out + 8 MiB err": (
        PY + ["import sys; o = sys.stdout.buffer; e = sys.stderr.buffer\nfor _ in range(128): o.write(b'o' * 65536); e.write(b'e' * 65536)"],
        None,
        True,
    ),
    "16 MiB through cat": (["cat"], bytes(16 * MiB), False),
}


def with_macres(argv: list[str], data: bytes | None, err: bool) -> None:
    pipe = macres.PIPE
    stdin = pipe if data is not None else None
    with macres.Process.spawn(argv, stdin=stdin, stdout=pipe if data is not None or err else None,
                              stderr=pipe if err else None) as child:  # fmt: skip
        child.communicate(data)


def with_popen(argv: list[str], data: bytes | None, err: bool) -> None:
    pipe = subprocess.PIPE
    stdin = pipe if data is not None else None
    with subprocess.Popen(argv, stdin=stdin, stdout=pipe if data is not None or err else None,
                          stderr=pipe if err else None) as popen:  # fmt: skip
        popen.communicate(data)


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    print(f"{'case':28} {'macres ms':>10} {'Popen ms':>10} {'ratio':>6}")
    for name, (cmd, data, err) in CASES.items():
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.rounds):
            ours.append(timed(lambda: with_macres(cmd, data, err)))
            theirs.append(timed(lambda: with_popen(cmd, data, err)))
        a, b = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
        print(f"{name:28} {a:10.2f} {b:10.2f} {a / b:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
