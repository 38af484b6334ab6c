"""A 1 ms SIGALRM storm during blocking calls: EINTR is retried, or the handler's exception propagates.

Each scenario blocks the main thread in one call (read, write, accept,
connect, recv, wait, flock) until a helper thread unblocks it, while
``setitimer`` fires SIGALRM every millisecond; the helper waits until the
kernel shows the main thread asleep in a system call and signals have
arrived since (bounded polling, no sleep deciding the outcome).

* With a handler that only counts, the call must return its normal result
  (PEP 475: EINTR retried after the handler ran), and signals must have
  arrived while it was blocked.
* With a handler that raises, the call must raise that exception, leaving
  the objects usable; the scenario is then unblocked and cleaned up.

The old handler and the old timer are restored in ``finally`` every time.

The storm tests (``storm_child.py``, in a fresh interpreter) aim the
raising handler at acquiring and releasing handles instead: tens of
thousands of ``with macres.open(...)``, ``pipe()``, ``Socket.pair()``,
``MappedRegion.anonymous(...)``, ``dup()``, ``close()``, ``Process(pid)``,
``Process.spawn``, ``accept``, ``recv_fds``, ``Socket.from_fd`` and Directory
listings (finished, or abandoned in a reference cycle), each interrupted at
a random point, and the kernel's count of descriptors and mappings
afterwards must equal the count before, as it does for the builtin ``open``
under the same storm; no child may be left, and no descriptor closed by
both ``from_fd``'s object and its caller.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from _support import needs_proc_syscall, sleeping_in_kernel, wait_until

import macres
from macres import _backend

pytestmark = pytest.mark.serial


class Boom(Exception):
    """What the raising handler raises."""


@contextlib.contextmanager
def alarm_storm(handler: Callable[[int, Any], None]) -> Iterator[None]:
    """SIGALRM every millisecond with *handler*; the previous handler and timer come back after."""
    old_handler = signal.signal(signal.SIGALRM, handler)
    old_timer = signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, *old_timer)
        signal.signal(signal.SIGALRM, old_handler)


@attrs.define
class Scenario:
    """A blocking call, what unblocks it, and what its result must be."""

    call: Callable[[], Any]
    unblock: Callable[[], None]
    check: Callable[[Any], None]
    stack: contextlib.ExitStack


def _pipe_read(stack: contextlib.ExitStack) -> Scenario:
    r, w = macres.pipe()
    stack.enter_context(r)
    stack.enter_context(w)
    return Scenario(lambda: r.read(5), lambda: w.write_all(b"hello"), lambda got: _eq(got, b"hello"), stack)


def _pipe_write(stack: contextlib.ExitStack) -> Scenario:
    r, w = macres.pipe()
    stack.enter_context(r)
    stack.enter_context(w)
    w.blocking = False
    filled = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            filled += w.write(b"x" * 65536)
    w.blocking = True
    drained = bytearray()

    def drain() -> None:
        while len(drained) < filled:
            drained.extend(r.read(65536))

    def check(n: int) -> None:
        assert n > 0
        drain_rest = r.read(n)
        assert drain_rest == b"y" * len(drain_rest)

    return Scenario(lambda: w.write(b"y" * 4096), drain, check, stack)


def _accept(stack: contextlib.ExitStack) -> Scenario:
    server = stack.enter_context(macres.Socket(socket.AF_INET, socket.SOCK_STREAM))
    server.bind(("127.0.0.1", 0))
    server.listen()
    address = server.getsockname()
    client = stack.enter_context(socket.socket())

    def check(result: tuple[macres.Socket, Any]) -> None:
        conn, peer = result
        with conn:
            assert peer == client.getsockname()

    return Scenario(server.accept, lambda: client.connect(address), check, stack)


def _connect(stack: contextlib.ExitStack) -> Scenario:
    """An AF_UNIX connect blocks while the listener's backlog is full (Linux)."""
    d = stack.enter_context(tempfile.TemporaryDirectory())
    path = os.path.join(d, "s")
    server = stack.enter_context(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
    server.bind(path)
    server.listen(0)
    while True:  # fill the backlog with non-blocking connects
        filler = stack.enter_context(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
        filler.setblocking(False)
        try:
            filler.connect(path)
        except BlockingIOError:
            break
    client = stack.enter_context(macres.Socket(socket.AF_UNIX, socket.SOCK_STREAM))
    accepted: list[socket.socket] = []

    def unblock() -> None:
        conn, _ = server.accept()
        accepted.append(stack.enter_context(conn))

    def check(result: None) -> None:
        assert result is None
        assert client.getpeername() == path

    return Scenario(lambda: client.connect(path), unblock, check, stack)


def _recv(stack: contextlib.ExitStack) -> Scenario:
    a, b = macres.Socket.pair()
    stack.enter_context(a)
    stack.enter_context(b)
    return Scenario(lambda: a.recv(5), lambda: b.sendall(b"hello"), lambda got: _eq(got, b"hello"), stack)


def _wait(stack: contextlib.ExitStack) -> Scenario:
    r, w = macres.pipe()
    stack.enter_context(r)
    stack.enter_context(w)
    # The child exits when the pipe says so: unblock writes to it.
    null = stack.enter_context(macres.open(os.devnull, "w"))
    proc = stack.enter_context(macres.Process.spawn(["head", "-c", "1"], stdin=r, stdout=null))
    return Scenario(proc.wait, lambda: w.write_all(b"!"), lambda status: _eq(status.returncode, 0), stack)


def _flock(stack: contextlib.ExitStack) -> Scenario:
    f = stack.enter_context(tempfile.NamedTemporaryFile())  # noqa: SIM115 - closed by the stack
    holder = stack.enter_context(open(f.name, "rb"))  # noqa: SIM115 - closed by the stack
    fcntl.flock(holder, fcntl.LOCK_EX)
    fd = stack.enter_context(macres.open(f.name))

    def check(result: None) -> None:
        assert result is None
        with pytest.raises(BlockingIOError):  # we hold it now
            fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)

    return Scenario(lambda: fd.flock(macres.LOCK_EX), lambda: fcntl.flock(holder, fcntl.LOCK_UN), check, stack)


def _eq(got: object, want: object) -> None:
    assert got == want


SCENARIOS: dict[str, Callable[[contextlib.ExitStack], Scenario]] = {
    "read": _pipe_read,
    "write": _pipe_write,
    "accept": _accept,
    "connect": _connect,
    "recv": _recv,
    "wait": _wait,
    "flock": _flock,
}


def _later(fn: Callable[[], None], count: list[int]) -> threading.Thread:
    """Run *fn* in a thread once the calling thread sleeps in the kernel and two more signals came since."""
    caller = threading.get_native_id()
    first: list[int] = []

    def interrupted_while_blocked() -> bool:
        if not sleeping_in_kernel(caller):
            return False
        first.append(count[0])
        return count[0] - first[0] >= 2

    def run() -> None:
        wait_until(interrupted_while_blocked, "the call blocks and signals interrupt it")
        fn()

    t = threading.Thread(target=run)
    t.start()
    return t


# connect: Linux abandons an AF_UNIX connect interrupted by a signal (it is
# not in progress in the kernel, as PEP 475 assumes for TCP), so waiting for
# writability alone would report success on an unconnected socket;
# the getpeername() in _connect's check guards raw.connect's retry.
@needs_proc_syscall
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_storm_retries_and_returns_the_result(name: str) -> None:
    """With a counting handler, the blocked call returns its normal result; signals did arrive meanwhile."""
    count = [0]

    def handler(signum: int, frame: Any) -> None:
        count[0] += 1

    with contextlib.ExitStack() as stack:
        scenario = SCENARIOS[name](stack)
        helper = _later(scenario.unblock, count)
        try:
            with alarm_storm(handler):
                result = scenario.call()
        finally:
            helper.join()
        scenario.check(result)
        assert count[0] > 0


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_storm_propagates_the_handlers_exception(name: str) -> None:
    """A handler that raises makes the blocked call raise that exception; cleanup still leaves nothing open."""
    armed = [False]

    def handler(signum: int, frame: Any) -> None:
        if armed[0]:
            armed[0] = False
            raise Boom

    with contextlib.ExitStack() as stack:
        scenario = SCENARIOS[name](stack)
        with alarm_storm(handler):
            with pytest.raises(Boom):
                armed[0] = True
                scenario.call()
        assert not armed[0]
        scenario.unblock()
        # The objects still work: the same call now completes.
        result = scenario.call()
        scenario.check(result)
        if name == "accept":
            result[0].close()


STORM_CHILD = os.path.join(os.path.dirname(__file__), "storm_child.py")
#: Iterations and seconds per storm (whichever ends first; short of STORM_MIN_INTERRUPTED
#: it goes on, up to ten times both); a run takes well under a second.
STORM_ITERATIONS = 10_000
STORM_SECONDS = 2.0
#: Fewer interrupted iterations than this and the storm proved nothing.
STORM_MIN_INTERRUPTED = 100
STORM_OPS = (
    "builtin-open", "open", "pipe", "socket-pair", "region", "dup", "close",
    "process", "spawn", "accept", "recv-fds", "from-fd", "listing", "abandoned-listing",
)  # fmt: skip


#: Where the pure core cannot reach zero, and why (measured: 10,000 iterations, 2,000-8,000 interrupted).
PURE_SHORTFALL = {
    # send_fds holds the sent object through its in-flight protocol, whose
    # _exit is Python there: a handler raising at its first bytecode leaves
    # the object held, and its close() never releases (about 1 per run).
    "recv-fds": "the pure in-flight protocol's _enter/_exit are Python: ~1 descriptor held per 10,000",
    # Handle._acquire and detach() are Python there: a handler raising
    # between the claim and _opened() (or in detach) leaves the number with
    # the object, whose finalizer closes it after the caller did (25-222).
    "from-fd": "the pure core's _acquire/detach run bytecode: the number can be closed by both (25-222 per 10,000)",
}


@pytest.mark.parametrize("op", STORM_OPS)
def test_signal_storm_leaks_no_descriptor_and_no_mapping(op: str, request: pytest.FixtureRequest) -> None:
    """A raising handler landing at random points of acquire, use and release leaves nothing open.

    ``builtin-open`` is the control: the stdlib's own file under the same storm.
    """
    if _backend.NAME == "pure" and op in PURE_SHORTFALL:
        request.applymarker(pytest.mark.xfail(reason=PURE_SHORTFALL[op], strict=False))
    proc = subprocess.run(
        [sys.executable, STORM_CHILD, op, str(STORM_ITERATIONS), str(STORM_SECONDS), str(STORM_MIN_INTERRUPTED)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(proc.stdout.splitlines()[-1])
    assert report["interrupted"] >= STORM_MIN_INTERRUPTED, report
    leaked = {
        "descriptors": report["fds"],
        "mappings": report["map_bytes"] // report["region"],
        "children": report["children"],
        "closed twice": report["double"],
        "signals left blocked": report["blocked"],
    }
    assert leaked == {"descriptors": 0, "mappings": 0, "children": 0, "closed twice": 0, "signals left blocked": []}, report
