#!/usr/bin/env python3
"""Medians over several bench/run.py results, to see through a shared machine's noise.

    python bench/summary.py bench/results/bench-*.json    # the runs to combine
    python bench/summary.py --last 3                      # the 3 newest full runs

Prints, per operation, the median over the runs of each contender's median
nanoseconds and of the ratios macres/stdlib (ratios are taken per run,
so each compares contenders measured side by side), and the load average
each run started with.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per operation: medians over *runs* of the per-call columns."""
    ops: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        for row in run.get("per_call", []):
            ops.setdefault(row["op"], []).append(row)
    keys = ("raw", "object", "stdlib", "C", "raw/stdlib", "object/stdlib")
    return [{"op": op, **{k: _median([r.get(k) for r in rows]) for k in keys}} for op, rows in ops.items()]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("files", nargs="*", type=pathlib.Path)
    p.add_argument("--last", type=int, default=0, help="use the N newest full (not --quick) runs")
    args = p.parse_args(argv)
    files: list[pathlib.Path] = list(args.files)
    if args.last:
        full = sorted(f for f in (HERE / "results").glob("bench-*.json") if not f.stem.endswith("-quick"))
        files += full[-args.last :]
    if not files:
        p.error("no result files given")
    runs = [json.loads(f.read_text()) for f in files]
    loads = ", ".join(f"{r['loadavg'][0]:.2f}" for r in runs)
    print(f"{len(runs)} run(s), load at start: {loads}")
    print(f"{'operation':<16}{'raw ns':>10}{'object ns':>11}{'stdlib ns':>11}{'C ns':>9}{'raw/std':>9}{'obj/std':>9}")
    for r in summarise(runs):
        print(
            f"{r['op']:<16}{_fmt(r['raw'], '.0f'):>10}{_fmt(r['object'], '.0f'):>11}{_fmt(r['stdlib'], '.0f'):>11}"
            f"{_fmt(r['C'], '.0f'):>9}{_fmt(r['raw/stdlib'], '.2f'):>9}{_fmt(r['object/stdlib'], '.2f'):>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
