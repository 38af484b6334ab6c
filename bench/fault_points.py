#!/usr/bin/env python3
"""What an inactive fault point costs: instructions per hot call, with and without the points compiled in.

    python bench/fault_points.py                  # fstat, pread_into_4k, sendrecv_64, open_close
    python bench/fault_points.py --only fstat --quick

Every system call of the compiled core asks ``macres.testing.faults``'s
plan first, through one flag test that is false while no plan is active
(``mr_fault`` in src/macres/_core.h).  This builds the compiled core twice
into scratch copies of src/, once as shipped and once with
``-DMACRES_NO_FAULT_POINTS`` (the flag test compiled out), runs
bench/instructions.py's rows on each, and prints the object and raw
columns side by side with the difference per call.  The Python call sites
cost nothing while inactive (arming swaps them in), so only the compiled
core is measured.  Nothing here asserts on speed.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ROWS = "fstat,pread_into_4k,sendrecv_64,open_close"


def build(into: pathlib.Path, defines: str) -> pathlib.Path:
    """Copy the sources to *into* and build the compiled core there; return its src/."""
    into.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, into / name)
    shutil.copytree(ROOT / "src", into / "src", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    env = dict(os.environ, CFLAGS=f"{os.environ.get('CFLAGS', '')} {defines}".strip())
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=into, env=env, check=True, capture_output=True
    )
    return into / "src"


def measure(src: pathlib.Path, rows: str, quick: bool) -> dict[str, dict[str, float]]:
    """bench/instructions.py's per-call counts for *rows* with macres from *src*: {row: {contender: count}}."""
    before = set((ROOT / "bench" / "results").glob("instructions-*.json"))
    argv = [sys.executable, str(ROOT / "bench" / "instructions.py"), "--only", rows]
    if quick:
        argv.append("--quick")
    env = dict(os.environ, PYTHONPATH=str(src))
    subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    (result,) = set((ROOT / "bench" / "results").glob("instructions-*.json")) - before
    data = json.loads(result.read_text())
    result.unlink()
    out: dict[str, dict[str, float]] = {}
    for row in data["per_call"]:
        out[row["op"]] = {k: v for k, v in row.items() if k in ("object", "raw", "stdlib") and isinstance(v, (int, float))}
    return out


def main(argv: list[str] | None = None) -> int:
    """Build both cores, measure both, print the table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--only", default=ROWS, help=f"comma-separated rows of bench/instructions.py (default {ROWS})")
    p.add_argument("--quick", action="store_true", help="fewer calls and rounds")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        with_points = build(pathlib.Path(tmp, "with"), "")
        without = build(pathlib.Path(tmp, "without"), "-DMACRES_NO_FAULT_POINTS")
        counts = {"with": measure(with_points, args.only, args.quick), "without": measure(without, args.only, args.quick)}
    print(f"{'row':<16} {'column':<8} {'without':>9} {'with':>9} {'cost':>6}")
    for row, columns in counts["with"].items():
        for column in ("object", "raw"):
            if column in columns and column in counts["without"].get(row, {}):
                a, b = counts["without"][row][column], columns[column]
                print(f"{row:<16} {column:<8} {a:>9,.0f} {b:>9,.0f} {b - a:>+6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
