"""Run a command, restart it when it fails, and report what each run cost.

    python examples/supervise.py [--restarts N] [--timeout S] [--grace S] [--backoff S] [--json] -- COMMAND [ARG ...]

Each run is a child started with ``macres.Process.spawn`` inside a ``with``
block.  That block is the whole point: however the block is left (the child
exited, a timeout, Ctrl-C, an exception in this script) a child that still
runs gets ``SIGTERM``, then ``SIGKILL`` after ``--grace`` seconds, and is
reaped, so the supervisor never leaves a zombie or an orphan behind.

A run fails when the child exits with a non-zero status, is killed by a
signal, or is still running after ``--timeout`` seconds (it is then stopped
as above).  A failed run is restarted up to ``--restarts`` times, waiting
``--backoff`` seconds, doubled after each failure.  At the end a table (or
``--json``) lists every run: pid, how it ended, and the resource usage that
``wait4`` reported for it: user and system CPU seconds and peak resident
set size in bytes (macres gives bytes on every platform; Linux itself counts
KiB).  Progress lines (``run 1: pid 1234 started``) go to stderr.

Exit status: 0 when the last run succeeded, 1 when every allowed run failed
or the command could not be started, 130 after Ctrl-C (or SIGTERM), which
stops the current child first.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import time

import macres


@dataclasses.dataclass(frozen=True)
class Run:
    """One run of the command: how it ended and what it used."""

    number: int
    pid: int
    exit_code: int | None  # set when the child called exit()
    signal: int | None  # set when a signal ended it
    timed_out: bool  # it outlived --timeout and was stopped
    interrupted: bool  # the supervisor was interrupted while it ran
    utime: float  # user CPU seconds
    stime: float  # system CPU seconds
    maxrss: int  # peak resident set size, bytes

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.interrupted

    @property
    def outcome(self) -> str:
        if self.exit_code is not None:
            ended = f"exit {self.exit_code}"
        elif self.signal is not None:
            ended = f"signal {_signal_name(self.signal)}"
        else:
            ended = "unknown"
        if self.timed_out:
            return f"timeout, {ended}"
        if self.interrupted:
            return f"interrupted, {ended}"
        return ended


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def run_once(argv: list[str], number: int, timeout: float | None, grace: float) -> Run:
    """Start *argv*, wait for it (at most *timeout* seconds), and return how the run went.

    Raises:
        OSError: the command could not be started (FileNotFoundError, PermissionError, ...).
        KeyboardInterrupt: a second Ctrl-C while the child was being stopped
            (the ``with`` block has still killed and reaped it).
    """
    timed_out = interrupted = False
    with macres.Process.spawn(argv, grace=grace) as child:
        try:
            print(f"run {number}: pid {child.pid} started", file=sys.stderr, flush=True)
            child.wait(timeout)  # polls a pidfd on Linux, kqueue on macOS: no busy loop
        except TimeoutError:
            timed_out = True
            child.stop()  # SIGTERM, up to `grace` seconds, then SIGKILL; reaps the child
        except KeyboardInterrupt:
            interrupted = True
            child.stop()
    # The with block has reaped the child; its status and the rusage that
    # wait4 returned stay readable after close.
    status = child.exit_status
    assert status is not None, "a closed spawned child has always been reaped"
    usage = child.rusage()
    return Run(
        number=number,
        pid=child.pid,
        exit_code=status.code,
        signal=status.signal,
        timed_out=timed_out,
        interrupted=interrupted,
        utime=usage.ru_utime,
        stime=usage.ru_stime,
        maxrss=usage.ru_maxrss,  # bytes on every platform
    )


def supervise(
    argv: list[str], runs: list[Run], *, restarts: int, timeout: float | None, grace: float, backoff: float
) -> None:
    """Run *argv* until it succeeds, is interrupted, or has failed ``1 + restarts`` times; append each run to *runs*.

    (*runs* is the caller's list so that it keeps the finished runs when a
    KeyboardInterrupt ends the loop during a backoff sleep.)
    """
    delay = backoff
    for number in range(1, restarts + 2):
        run = run_once(argv, number, timeout, grace)
        runs.append(run)
        print(f"run {number}: {run.outcome}", file=sys.stderr, flush=True)
        if run.succeeded or run.interrupted or number == restarts + 1:
            break
        time.sleep(delay)
        delay *= 2


def table(runs: list[Run]) -> str:
    """The runs as an aligned text table."""
    header = ("run", "pid", "outcome", "utime s", "stime s", "maxrss bytes")
    rows = [
        (str(r.number), str(r.pid), r.outcome, f"{r.utime:.3f}", f"{r.stime:.3f}", str(r.maxrss))
        for r in runs
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    left = {2}  # text columns align left, numbers right
    lines = [
        "  ".join(
            cell.ljust(w) if i in left else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, supervise, report; return the exit status."""
    parser = argparse.ArgumentParser(
        description="Run a command, restart it on failure, report rusage per run."
    )
    parser.add_argument("--restarts", type=int, default=3, help="restarts after failures (default 3)")
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds a run may take (default: no limit)"
    )
    parser.add_argument(
        "--grace", type=float, default=5.0, help="seconds between SIGTERM and SIGKILL (default 5)"
    )
    parser.add_argument(
        "--backoff", type=float, default=0.1, help="seconds before the first restart, doubled after each"
    )
    parser.add_argument("--json", action="store_true", help="print the runs as JSON instead of a table")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command and its arguments (after --)")
    args = parser.parse_args(argv)
    command: list[str] = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    if (
        args.restarts < 0
        or args.grace < 0
        or args.backoff < 0
        or (args.timeout is not None and args.timeout < 0)
    ):
        parser.error("--restarts, --timeout, --grace and --backoff must not be negative")

    # SIGTERM (a service manager stopping us) takes the same path as Ctrl-C:
    # KeyboardInterrupt, so the with block stops and reaps the current child.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    runs: list[Run] = []
    interrupted = False
    try:
        supervise(
            command,
            runs,
            restarts=args.restarts,
            timeout=args.timeout,
            grace=args.grace,
            backoff=args.backoff,
        )
    except OSError as exc:
        print(f"supervise: cannot start {command[0]}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # during a backoff sleep, or a second Ctrl-C while stopping a child
        interrupted = True
    if runs and runs[-1].interrupted:
        interrupted = True

    if args.json:
        print(json.dumps([{**dataclasses.asdict(r), "outcome": r.outcome} for r in runs], indent=2))
    elif runs:
        print(table(runs))
    if interrupted:
        print("supervise: interrupted", file=sys.stderr)
        return 130
    return 0 if runs[-1].succeeded else 1


if __name__ == "__main__":
    raise SystemExit(main())
