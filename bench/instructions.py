#!/usr/bin/env python3
"""Instructions per call: macres beside the stdlib, counted by valgrind's callgrind.

    python bench/instructions.py                  # every row and the import cost (about a minute)
    python bench/instructions.py --quick          # a few rows, few calls: CI's smoke run
    python bench/instructions.py --only fstat,pread_4k,import --jobs 2

Counts user-space instructions (callgrind's ``Ir``), which do not move with
machine load the way wall time does.  The kernel's share of a system call is
not counted: it is the part macres and the stdlib have in common, so what
differs between the columns is the wrapping around the call.

The rows and their contenders (stdlib, macres object, macres raw) are
bench/run.py's ``per_call_ops``, imported rather than copied, so both
benchmarks always measure the same closures.

How a per-call count is isolated.  Each row runs in its own
``valgrind --tool=callgrind --instr-atstart=no`` process: interpreter start-up,
``import macres`` and the row's set-up run uninstrumented (several times
faster than instrumented).  The worker then warms every contender up (3.11's
adaptive interpreter specialises a loop's bytecode in its first runs), starts
instrumentation, discards one instrumented round, and measures *windows*:
callgrind's client requests ``CALLGRIND_ZERO_STATS`` before a loop of *n*
calls (``for _ in itertools.repeat(None, n)``) and
``CALLGRIND_DUMP_STATS_AT(label)`` after it, made through
bench/callgrind_requests.c, compiled here at run time like bench/floor.c and
loaded with ctypes.  Each round interleaves the contenders with an *empty*
closure (a Python function doing nothing) framed in exactly the same way,
and a contender's count per call is ``(I(window of fn) - I(window of
empty)) / n``: the loop, the closure call and the two ctypes calls framing
the window cancel, leaving the closure's body (the operation plus the few
bytecodes that load it and its arguments).  A contender that is not a Python
function (run.py's ``os.getpid``, a bound method) is called from a closure,
so it too is measured as a closure's body.  The table shows the median over
the rounds; ``±`` is the largest max-min over the rounds among the row's
contenders.

Why client requests rather than two iteration counts per contender,
``(I(n2) - I(n1)) / (n2 - n1)``: that needs two whole instrumented
processes per contender, each paying start-up plus macres's import and
first use (hundreds of millions of instructions, seconds under callgrind),
and anything in start-up that differs between the two processes lands in
the difference.  A window holds only the loop; one process serves a whole
row; its contenders are measured side by side, round after round.  The cost
is a C compiler and <valgrind/callgrind.h> (part of valgrind's package),
checked for up front.  Workers run with ``PYTHONHASHSEED=0``,
``random.seed(0)`` and the garbage collector off, so rounds and runs repeat
to within about an instruction per call.  What the data itself changes still
shows: getrusage's count moves by about 50 per counter the kernel returns
above 256 (CPython caches smaller ints), e.g. context switches under load.

Import cost, from cached bytecode (written under a scratch
``PYTHONPYCACHEPREFIX`` first): ``python -X importtime -c "import M"`` in fresh interpreters
(the median of the cumulative time on the module's own line, os being
loaded at start-up by site), and callgrind's count for a whole fresh
interpreter doing ``import macres`` (and ``import macres;
macres.open(path).close()``, import plus first use) minus one doing
nothing.  Results also go to bench/results/ as JSON.  Nothing here asserts
on speed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import ctypes
import gc
import importlib.util
import itertools
import json
import os
import pathlib
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
Contender = Callable[[], object]
Rows = list[dict[str, Any]]
Count = int | None
PerCallOps = Callable[[ExitStack, pathlib.Path], dict[str, dict[str, Contender | None]]]

#: Each row's name in bench/run.py and its label in the table, in table order.
LABELS: dict[str, str] = {
    "getpid": "getpid",
    "fstat": "fstat",
    "pread_into_4k": "pread 4 KiB into a buffer",
    "pread_4k": "pread 4 KiB as bytes",
    "pwrite_4k": "pwrite 4 KiB",
    "read_64k": "seek + read 64 KiB",
    "sendrecv_64": "socketpair send + recv_into 64 B",
    "sendrecv_64k": "socketpair send + recv_into 64 KiB",
    "getsockopt_int": "getsockopt int",
    "setsockopt_int": "setsockopt int",
    "kill0": "kill(pid, 0)",
    "getrusage": "getrusage",
    "map_read_4k": "4 KiB slice of a 64 MiB map, random offsets",
    "open_close": "open + close",
    "event_wait": "EventQueue.wait: 10 ready of 1,000",
    "list_100": "list a 100-entry directory (name, inode, type)",
    "proc_cmdline": "procinfo cmdline of a child (stdlib: psutil)",
    "proc_memory": "procinfo memory of a child (stdlib: psutil)",
    "proc_cpu_times": "procinfo cpu_times of a child (stdlib: psutil)",
    "proc_iter_name_rss": "name + rss of every process (stdlib: psutil)",
}
FULL_ROWS = [r for r in LABELS if r not in ("sendrecv_64k", "proc_iter_name_rss")]
QUICK_ROWS = ["fstat", "pread_into_4k", "sendrecv_64", "open_close"]
CONTENDERS = ("stdlib", "object", "raw")
STDLIB_MODULES = ("os", "socket", "mmap", "resource", "select", "signal", "subprocess")
EMPTY = "empty"
WORKER_ENV = {"PYTHONHASHSEED": "0"}


@dataclass(frozen=True)
class Settings:
    """What one run measures and how hard."""

    rows: list[str]
    calls: int
    rounds: int
    imports: bool
    import_runs: int
    import_counts: int
    jobs: int
    quick: bool


# -- shared with bench/run.py --------------------------------------------------
def load_per_call_ops() -> PerCallOps:
    """bench/run.py's ``per_call_ops``, loaded from its file (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    ops: PerCallOps = module.per_call_ops
    return ops


# -- the worker: runs inside valgrind, one row ---------------------------------
class Callgrind:
    """The client requests of bench/callgrind_requests.c, through ctypes."""

    def __init__(self, helper: pathlib.Path) -> None:
        self.lib = ctypes.CDLL(str(helper))
        self.lib.cg_dump.argtypes = [ctypes.c_char_p]
        if not self.lib.cg_running():
            raise SystemExit("the worker must run under valgrind --tool=callgrind")

    def start(self) -> None:
        """Instrument from now on."""
        self.lib.cg_start()

    def stop(self) -> None:
        """Stop instrumenting (the exit then runs faster)."""
        self.lib.cg_stop()

    def window(self, fn: Contender, n: int, label: bytes | None) -> None:
        """Count *n* calls of *fn* alone, into a dump labelled *label* (None: just the calls)."""
        zero, dump = self.lib.cg_zero, self.lib.cg_dump
        if label is not None:
            zero()
        for _ in itertools.repeat(None, n):
            fn()
        if label is not None:
            dump(label)


def _empty() -> None:
    """The baseline closure: a call that does nothing."""


def as_closure(fn: Contender) -> Contender:
    """*fn* if it is a Python function, else a closure calling it (``os.getpid``, a bound method).

    The empty closure's call is subtracted from every window, so a contender
    that is a builtin or bound method itself would get its own call taken off
    too; wrapped, every number is the cost of a closure's body.
    """
    return fn if isinstance(fn, types.FunctionType) else lambda: fn()


def live_contenders(contenders: dict[str, Contender | None]) -> tuple[dict[str, Contender], dict[str, str]]:
    """The contenders that run here (each called 100 times), and why the others do not."""
    live: dict[str, Contender] = {}
    skipped: dict[str, str] = {}
    for name, maybe in contenders.items():
        if maybe is None:
            skipped[name] = "bench/run.py has none for this row"
            continue
        fn = as_closure(maybe)
        try:
            for _ in range(100):
                fn()
        except Exception as exc:  # noqa: BLE001 - an API not built yet is reported, not fatal
            skipped[name] = f"{type(exc).__name__}: {exc}"
            continue
        live[name] = fn
    return live, skipped


def run_worker(row: str, helper: pathlib.Path, calls: int, rounds: int) -> int:
    """Measure one row's contenders and the empty closure; print what was skipped as JSON."""
    cg = Callgrind(helper)
    random.seed(0)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        path = pathlib.Path(tmp) / "data"
        path.write_bytes(bytes(range(256)) * 4096)
        live, skipped = live_contenders(load_per_call_ops()(stack, path)[row])
        measured: dict[str, Contender] = {EMPTY: _empty, **live}
        gc.collect()
        gc.disable()
        for fn in measured.values():  # warm the window loop itself, uninstrumented
            cg.window(fn, calls, None)
        cg.start()
        for r in range(-1, rounds):  # round -1 is instrumented but discarded
            for name, fn in measured.items():
                cg.window(fn, calls, f"{row}|{name}|{r}".encode())
        cg.stop()
        gc.enable()
    print(json.dumps({"skipped": skipped}))
    return 0


# -- the parent: starts valgrind processes -----------------------------------
def build_helper(tmpdir: pathlib.Path) -> pathlib.Path | None:
    """Compile bench/callgrind_requests.c to a shared object; None without cc or the header."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return None
    out = tmpdir / "callgrind_requests.so"
    cmd = [cc, "-O2", "-shared", "-fPIC", "-o", str(out), str(HERE / "callgrind_requests.c")]
    done = subprocess.run(cmd, capture_output=True, check=False)
    return out if done.returncode == 0 else None


def valgrind(out: pathlib.Path, argv: list[str], *, atstart: bool) -> subprocess.CompletedProcess[str]:
    """Run *argv* under callgrind, its counts going to *out* (and *out*.N per dump)."""
    cmd = ["valgrind", "--tool=callgrind", "-q", f"--callgrind-out-file={out}"]
    if not atstart:
        cmd.append("--instr-atstart=no")
    env = {**os.environ, **WORKER_ENV}
    return subprocess.run(cmd + argv, capture_output=True, text=True, env=env, timeout=900, check=False)


def read_dump(path: pathlib.Path) -> tuple[str, int]:
    """A callgrind output file's trigger (the dump's label) and its total instructions."""
    trigger, total = "", -1
    with open(path) as f:
        for line in f:
            if line.startswith("desc: Trigger: "):
                trigger = line.split(": ", 2)[2].strip().removeprefix("Client Request: ")
            elif line.startswith("summary: "):
                total = int(line.split()[1])
    return trigger, total


def read_dumps(folder: pathlib.Path) -> dict[str, int]:
    """Every labelled window dumped into *folder*: label -> instructions."""
    dumps = (read_dump(p) for p in folder.iterdir())
    return {label: total for label, total in dumps if "|" in label}


def measure_row(row: str, s: Settings, helper: pathlib.Path, tmp: pathlib.Path) -> dict[str, Any]:
    """One row: its worker under callgrind, then the per-call counts from the dumps."""
    folder = tmp / f"row-{row}"
    folder.mkdir()
    argv = [sys.executable, str(HERE / "instructions.py"), "--worker", row]
    argv += ["--helper", str(helper), "--calls", str(s.calls), "--rounds", str(s.rounds)]
    try:
        done = valgrind(folder / "cg.out", argv, atstart=False)
    except subprocess.TimeoutExpired:
        return {"op": row, "error": "worker timed out"}
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        return {"op": row, "error": f"worker exited {done.returncode}: {tail}"}
    try:
        skipped: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])["skipped"]
        return per_call_row(row, read_dumps(folder), s, skipped)
    except (ValueError, KeyError, IndexError) as exc:
        return {"op": row, "error": f"unreadable worker output ({type(exc).__name__}: {exc})"}


def per_call_row(row: str, counts: dict[str, int], s: Settings, skipped: dict[str, str]) -> dict[str, Any]:
    """Per-call instructions of each contender: window minus empty window, over *calls*, median of rounds."""
    out: dict[str, Any] = {"op": row, "label": LABELS.get(row, row), "calls": s.calls, "rounds": s.rounds}
    empty = [counts[f"{row}|{EMPTY}|{r}"] for r in range(s.rounds)]
    out["empty call"] = statistics.median(empty) / s.calls
    spreads = []
    for name in CONTENDERS:
        windows = [counts.get(f"{row}|{name}|{r}") for r in range(s.rounds)]
        if None in windows:
            out[name] = None
            continue
        per = [(w - e) / s.calls for w, e in zip(windows, empty, strict=True) if w is not None]
        out[name] = statistics.median(per)
        out[f"{name} rounds"] = per
        spreads.append(max(per) - min(per))
    out["spread"] = max(spreads, default=None)
    std = out["stdlib"]
    out["object/stdlib"] = out["object"] / std if out["object"] and std else None
    out["raw/stdlib"] = out["raw"] / std if out["raw"] and std else None
    out["skipped"] = skipped
    return out


# -- import cost -------------------------------------------------------------
IMPORTTIME = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)\s*$")


def parse_importtime(stderr: str, module: str) -> float | None:
    """Cumulative ms on *module*'s least-nested ``-X importtime`` line, if it has one."""
    lines = map(IMPORTTIME.match, stderr.splitlines())
    found = [(len(m[2]), int(m[1])) for m in lines if m and m[3] == module]
    return min(found)[1] / 1000 if found else None


def import_ms(module: str, runs: int) -> float | None:
    """Median wall ms of ``import module`` over *runs* fresh interpreters (one warm-up run first)."""
    samples: list[float] = []
    for i in range(runs + 1):
        cmd = [sys.executable, "-X", "importtime", "-c", f"import {module}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        ms = parse_importtime(done.stderr, module) if done.returncode == 0 else None
        if ms is not None and i:
            samples.append(ms)
    return statistics.median(samples) if samples else None


def import_programs(s: Settings) -> dict[str, str]:
    """The fresh-interpreter programs whose instructions are counted, by name."""
    programs = {EMPTY: "import sys", "macres": "import sys, macres"}
    programs["macres + open/close"] = "import sys, macres; macres.open(sys.argv[1]).close()"
    if not s.quick:
        programs.update({m: f"import sys, {m}" for m in STDLIB_MODULES})
    return programs


def count_program(name: str, code: str, run: int, path: pathlib.Path, tmp: pathlib.Path) -> tuple[str, Count]:
    """Instructions of a whole fresh interpreter running *code* (``python -c code path``)."""
    out = tmp / f"import-{re.sub(r'[^a-z]+', '-', name)}-{run}.out"
    try:
        done = valgrind(out, [sys.executable, "-c", code, str(path)], atstart=True)
    except subprocess.TimeoutExpired:
        return name, None
    return name, read_dump(out)[1] if done.returncode == 0 else None


def import_rows(counts: dict[str, list[Count]], wall: dict[str, float | None]) -> Rows:
    """Import rows: wall ms, and median instructions minus the empty interpreter's."""
    empty = [c for c in counts.get(EMPTY, []) if c is not None]
    base = statistics.median(empty) if empty else None
    rows = []
    for name in [n for n in counts if n != EMPTY] + [m for m in wall if m not in counts]:
        got = [c for c in counts.get(name, []) if c is not None]
        instr = statistics.median(got) - base if got and base is not None else None
        spread = max(got) - min(got) if got else None
        row = {"what": name, "wall ms": wall.get(name), "instructions": instr, "spread": spread}
        rows.append(row | {"counts": got, "empty counts": empty})
    return rows


# -- running it all ----------------------------------------------------------
def run_all(s: Settings, helper: pathlib.Path, tmp: pathlib.Path) -> tuple[Rows, Rows]:
    """Import wall times first (on a quiet machine), then every valgrind process, *jobs* at a time."""
    # Import costs as users pay them: from cached bytecode.  Fresh interpreters
    # here write and read their .pyc files under tmp, also where the
    # environment says PYTHONDONTWRITEBYTECODE (then every import would
    # compile macres from source while the stdlib's .pyc files were read).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    wall: dict[str, float | None] = {}
    if s.imports:
        wall = {m: import_ms(m, s.import_runs) for m in ("macres", *STDLIB_MODULES)}
    path = tmp / "data"
    path.write_bytes(bytes(4096))
    progs = import_programs(s) if s.imports else {}
    for code in progs.values():  # natively first, so every .pyc is written before counting
        subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, check=False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=s.jobs) as pool:
        # the long whole-interpreter counts first, so the pool ends evenly
        runs = [(name, code, r) for r in range(s.import_counts) for name, code in progs.items()]
        imports = [pool.submit(count_program, *run, path, tmp) for run in runs]
        rows = [pool.submit(measure_row, row, s, helper, tmp) for row in s.rows]
        counts: dict[str, list[Count]] = {}
        for fut in imports:
            name, n = fut.result()
            counts.setdefault(name, []).append(n)
        per_call = [f.result() for f in rows]
    return per_call, import_rows(counts, wall) if s.imports else []


def fmt(v: float | None, spec: str = ",.0f") -> str:
    """A number for the table, or '-'."""
    return "-" if v is None else format(v, spec)


def print_tables(per_call: Rows, imports: Rows) -> None:
    """The per-call table, then the import table."""
    head = f"{'operation':<44}{'stdlib':>9}{'object':>9}{'raw':>9}{'obj/std':>9}{'raw/std':>9}{'±':>6}"
    print(head)
    for r in per_call:
        if "error" in r:
            print(f"{LABELS.get(r['op'], r['op']):<44}  error: {r['error']}")
            continue
        cells = "".join(f"{fmt(r[k]):>9}" for k in CONTENDERS)
        ratios = f"{fmt(r['object/stdlib'], '.2f'):>9}{fmt(r['raw/stdlib'], '.2f'):>9}"
        print(f"{r['label']:<44}{cells}{ratios}{fmt(r['spread'], '.1f'):>6}")
    for r in per_call:
        for name, why in r.get("skipped", {}).items():
            if not why.startswith("bench/run.py has none"):
                print(f"  {r['op']}: {name} skipped ({why})")
    empties = [r["empty call"] for r in per_call if "empty call" in r]
    if empties:
        empty = statistics.median(empties)
        print(f"(instructions per call, the empty closure call's {empty:.0f} subtracted)")
    if imports:
        print(f"\n{'import':<24}{'wall ms':>9}{'instructions':>16}{'±':>13}")
        for r in imports:
            cells = f"{fmt(r['wall ms'], '.1f'):>9}{fmt(r['instructions']):>16}{fmt(r['spread']):>13}"
            print(f"{r['what']:<24}{cells}")
        print("(wall: -X importtime cumulative, median; os is loaded at start-up by site;")
        print(" instructions: a fresh interpreter doing it minus one doing nothing)")


def settings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    """Settings from the command line; unknown row names are an error."""
    wanted = args.only.split(",") if args.only else (QUICK_ROWS if args.quick else FULL_ROWS) + ["import"]
    unknown = [w for w in wanted if w not in LABELS and w != "import"]
    if unknown:
        parser.error(f"unknown row(s) {', '.join(unknown)}; rows: {', '.join(LABELS)}, import")
    return Settings(
        rows=[w for w in wanted if w != "import"],
        calls=200 if args.quick else 2000,
        rounds=3 if args.quick else 5,
        imports="import" in wanted,
        import_runs=3 if args.quick else 9,
        import_counts=1 if args.quick else 3,
        jobs=max(1, args.jobs),
        quick=args.quick,
    )


def header() -> dict[str, Any]:
    """Where and when: the JSON result's first keys."""
    done = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=False)
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "platform": f"{platform.system()} {platform.machine()} {platform.release()}",
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
        "valgrind": done.stdout.strip(),
    }


def write_json(result: dict[str, Any]) -> pathlib.Path:
    """Write *result* to bench/results/instructions-DATE[-quick].json; return the path."""
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    target = out / f"instructions-{time.strftime('%Y%m%d-%H%M%S')}{'-quick' if result['quick'] else ''}.json"
    target.write_text(json.dumps(result, indent=2))
    return target


def main(argv: list[str] | None = None) -> int:
    """Parse the command line; run a worker, or the whole benchmark."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="a few rows, few calls (CI smoke run)")
    p.add_argument("--only", help="comma-separated rows; 'import' for the import cost")
    p.add_argument("--jobs", type=int, default=2, help="valgrind processes at once (default 2)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--helper", type=pathlib.Path, help=argparse.SUPPRESS)
    p.add_argument("--calls", type=int, help=argparse.SUPPRESS)
    p.add_argument("--rounds", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.helper, args.calls, args.rounds)
    s = settings(args, p)
    if shutil.which("valgrind") is None:
        print(f"valgrind is not installed: no instruction counts{' (quick run skipped)' if s.quick else ''}")
        return 0 if s.quick else 1
    started = time.monotonic()
    result = header() | {"quick": s.quick, "calls": s.calls, "rounds": s.rounds}
    with tempfile.TemporaryDirectory() as tmp:
        helper = build_helper(pathlib.Path(tmp))
        if helper is None:
            print("cannot compile bench/callgrind_requests.c (needs a C compiler and <valgrind/callgrind.h>)")
            return 0 if s.quick else 1
        print(f"macres instructions on {result['platform']}, Python {result['python']}, {result['valgrind']}")
        per_call, imports = run_all(s, helper, pathlib.Path(tmp))
    result |= {"per_call": per_call, "imports": imports, "seconds": time.monotonic() - started}
    print_tables(per_call, imports)
    target = write_json(result)
    print(f"\n{result['seconds']:.0f} s; written to {target.relative_to(HERE.parent)}")
    return 1 if any("error" in r for r in per_call) else 0


if __name__ == "__main__":
    raise SystemExit(main())
