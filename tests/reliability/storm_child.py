"""A signal storm against acquiring and releasing handles: run by test_signals.py in a fresh interpreter.

``python storm_child.py OP ITERATIONS SECONDS [WANT]`` repeats one operation
(see :data:`OPS`) up to ITERATIONS times or for SECONDS, whichever ends
first, and past that (up to ten times both) until WANT iterations were
interrupted.  An interval ``ITIMER_REAL`` timer fires every two typical
durations of the operation, and the SIGALRM handler raises once per
iteration: the exception lands at a random point of the acquire, the
``with`` body, the close.  The harness catches it inside the iteration, so
it never escapes the loop.

Afterwards the timer is off, the handler restored, garbage collected, and
the child prints one JSON line: the iterations run, how many were
interrupted, how many descriptors (``/proc/self/fd``) and bytes of
read-only anonymous mappings (``/proc/self/maps``: only the regions made
here have that protection) are open beyond the baseline, and the signals
left blocked in this thread.  These are the kernel's counts, not macres's
bookkeeping.

``builtin-open`` is the control: the builtin ``open`` under the same storm.
"""

from __future__ import annotations

import errno
import gc
import json
import mmap
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable

import socket
import shutil
import tempfile

import macres
from macres.memory import MappedRegion
from macres.process import Process
from macres.socket import Socket
from macres.testing import child_processes

#: The size of each region; read-only so that only these regions count (see the module docstring).
REGION = 3 * mmap.PAGESIZE


class Boom(Exception):
    """What the handler raises."""


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _readonly_anonymous_bytes() -> int:
    total = 0
    with open("/proc/self/maps", encoding="ascii") as f:
        for line in f:
            fields = line.split()
            if fields[1] == "r--p" and fields[4] == "0" and len(fields) == 5:
                start, end = (int(x, 16) for x in fields[0].split("-"))
                total += end - start
    return total


def _ops(
    base: macres.FileDescriptor,
    resources: list[macres.FileDescriptor | Socket],
    counts: dict[str, int],
    between: list[Callable[[], None]],
) -> dict[str, Callable[[], None]]:
    """The operations by name; *resources* get what they share (closed after the storm), *between* what runs unarmed between iterations."""
    def builtin_open() -> None:
        with open(os.devnull, "rb", buffering=0):
            pass

    def open_() -> None:
        with macres.open(os.devnull):
            pass

    def pipe() -> None:
        r, w = macres.pipe()
        with r, w:
            pass

    def socket_pair() -> None:
        a, b = Socket.pair()
        with a, b:
            pass

    def region() -> None:
        with MappedRegion.anonymous(REGION, macres.PROT_READ):
            pass

    def dup() -> None:
        with base.dup():
            pass

    def close() -> None:
        f = macres.open(os.devnull)
        f.close()

    parent = os.getppid()

    def process() -> None:
        with Process(parent):
            pass

    def spawn() -> None:
        with Process.spawn(["true"]):
            pass

    listener = Socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"\0macres-storm-{os.getpid()}")
    listener.listen(64)
    listener.timeout = 0.0
    address = listener.getsockname()

    def drain_accept() -> None:
        while True:  # bounded by the backlog: each round drains what the last left
            try:
                conn, _ = listener.accept()
            except BlockingIOError:
                return
            conn.close()

    def accept() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(address)
            drain_accept()

    sender, receiver = Socket.pair()
    receiver.timeout = 0.0
    sent = macres.open(os.devnull)

    def drain_fds() -> None:
        while True:
            try:
                _, fds = receiver.recv_fds(1, 1)
            except BlockingIOError:
                return
            for f in fds:
                f.close()

    def recv_fds() -> None:
        sender.send_fds(b"x", [sent])
        drain_fds()

    canaries: list[int] = []

    def check_canaries() -> None:
        """A canary sits where from_fd's caller closed a refused number: gone means closed a second time."""
        while canaries:
            try:
                os.fstat(canaries[-1])
            except OSError:
                counts["double"] += 1
                canaries.pop()
            else:
                os.close(canaries.pop())

    between.append(check_canaries)

    def from_fd() -> None:
        fds: list[int] = []
        try:
            fds.extend(map(os.dup, (sender.fileno(),)))  # in C: the harness keeps what it made
            s = Socket.from_fd(fds[0])
        except BaseException:
            if fds:  # "on failure fd stays the caller's": close it, and watch the number
                try:
                    os.close(fds[0])
                except OSError:
                    # The handler ran after from_fd returned, before the assignment: the
                    # Socket owned the number and, dropped at once, closed it (the window
                    # the stdlib's socket(fileno=) has too).  Nothing ran in between to
                    # take the number, so nothing else was closed.
                    pass
                canaries.extend(map(os.dup2, (base.fileno(),), fds))
            raise
        s.close()

    tmp = tempfile.mkdtemp()
    for i in range(3):
        open(os.path.join(tmp, str(i)), "w").close()
    directory = macres.opendir(tmp)

    def listing() -> None:
        for _ in directory:
            pass

    def abandoned_listing() -> None:
        it = iter(directory)
        next(it)
        cycle = [it]
        cycle.append(cycle)  # collected by the garbage collector, not by refcount

    resources.extend([listener, sender, receiver, sent, directory])
    counts["tmp"] = tmp  # type: ignore[assignment]

    return {
        "builtin-open": builtin_open,
        "open": open_,
        "pipe": pipe,
        "socket-pair": socket_pair,
        "region": region,
        "dup": dup,
        "close": close,
        "process": process,
        "spawn": spawn,
        "accept": accept,
        "recv-fds": recv_fds,
        "from-fd": from_fd,
        "listing": listing,
        "abandoned-listing": abandoned_listing,
    }


OPS = (
    "builtin-open", "open", "pipe", "socket-pair", "region", "dup", "close",
    "process", "spawn", "accept", "recv-fds", "from-fd", "listing", "abandoned-listing",
)  # fmt: skip


def main(name: str, iterations: int, seconds: float, want: int = 0) -> None:
    warnings.simplefilter("ignore", ResourceWarning)  # objects dropped by the storm close when collected
    unraisable = []
    sys.unraisablehook = lambda hook_args: unraisable.append(type(hook_args.exc_value).__name__)
    base = macres.open(os.devnull)
    resources: list[macres.FileDescriptor | Socket] = []
    counts = {"double": 0}
    between: list[Callable[[], None]] = []
    op = _ops(base, resources, counts, between)[name]
    for _ in range(200):  # warm up and measure a typical duration
        op()
    start = time.perf_counter()
    for _ in range(200):
        signal.setitimer(signal.ITIMER_REAL, 10.0)
        op()
        signal.setitimer(signal.ITIMER_REAL, 0)
    span = 1.2 * (time.perf_counter() - start) / 200
    gc.collect()
    fds, maps = _fds(), _readonly_anonymous_bytes()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())

    armed = [False]

    def handler(signum: int, frame: object) -> None:
        if armed[0]:
            armed[0] = False
            raise Boom

    interval = max(50e-6, 2 * span)
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, interval, interval)
    # The storm runs for *iterations* or *seconds*, whichever ends first; until
    # *want* iterations were interrupted it goes on, up to ten times both.
    deadline = time.monotonic() + seconds
    last_chance = time.monotonic() + 10 * seconds

    def going() -> bool:
        now = time.monotonic()
        if done < iterations and now < deadline:
            return True
        return interrupted < want and done < 10 * iterations and now < last_chance

    done = interrupted = 0
    exhausted = False
    try:
        while going():
            done += 1
            for f in between:  # unarmed
                f()
            try:
                armed[0] = True
                op()
                armed[0] = False  # a signal after this point does nothing
            except Boom:
                interrupted += 1
            except OSError as exc:  # leaked up to the limit: stop and report
                if exc.errno != errno.EMFILE:
                    raise
                exhausted = True
                break
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    blocked = sorted(set(signal.pthread_sigmask(signal.SIG_BLOCK, ())) - set(mask))
    gc.collect()
    for f in between:
        f()
    base.close()
    gc.collect()
    children = len(child_processes())
    for r in resources:
        r.close()
    shutil.rmtree(counts.pop("tmp"))  # type: ignore[arg-type]
    report = {
        "iterations": done,
        "interrupted": interrupted,
        "exhausted": exhausted,
        "unraisable": len(unraisable),
        "fds": _fds() - fds + 1 + len(resources),  # + base and the shared resources, closed since
        "children": children,
        "double": counts["double"],
        "blocked": blocked,
        "map_bytes": _readonly_anonymous_bytes() - maps,
        "region": REGION,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
