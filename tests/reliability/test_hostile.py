"""Hostile surroundings: descriptors closed behind macres's back, close racing other threads, fork.

Closed behind macres's back (``os.close(obj.fileno())`` by other code).
What macres promises, and these tests check:

* While the number stays free, every operation reports it as
  ``ClosedResourceError`` chained to the kernel's ``OSError(EBADF)``
  (STYLE.md: EBADF on an owned handle means the handle is gone), never a
  crash and never a silent success.
* ``close()`` then reports ``EBADF`` once and marks the object closed;
  from then on the number is never used again by this object: later
  operations raise ``ClosedResourceError`` without a system call, and
  neither a second ``close()`` nor garbage collection closes the file that
  takes the number next.
* An object collected while its number is already closed releases
  nothing else and raises nothing (a ``ResourceWarning`` as for any
  unclosed object).

What macres cannot promise: if the number is reused (by any ``open``,
``socket``...) between the foreign close and the object's next use, the
kernel gives no way to tell the new file from the old one: the object's
operations act on the new file, and its ``close()`` (or collection) closes
it.  That is the foreign code's bug, and the stdlib has the same limit.

Close racing operations: thousands of rounds (bounded in time) in which
one thread runs operations while another closes the object and at once
opens new descriptors, which take the freed number when it is freed too
early.  The operation thread must only ever see success or
``ClosedResourceError``: an error from the new file (EBADF on a read-only
file, ENOTSOCK for a socket) would prove it touched a reused number, and
the new file must never receive the old object's writes.

Fork: a child forked while the parent holds macres objects can use and
close its inherited copies, and the parent's objects keep working.  Forks
go through ``tests/_support.in_child``, under the suite's one
``FORK_LOCK`` (no two forks overlap, and no helper thread of this module
runs then), so the child never inherits a lock some other thread held; the
child only runs the test's few calls and leaves with ``os._exit``.
A forked copy of a spawned Process does not own the child: closing the
copy releases only its own pidfd (the test at the end).
"""

from __future__ import annotations

import errno
import gc
import os
import pathlib
import socket
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from _support import in_child, linux_only

import macres

from ..conftest import open_fds

RACE_SECONDS = 1.5
RACE_ROUNDS = 3000


def signal_state(pid: int) -> tuple[str, int, int]:
    """The state letter and the pending-signal masks (thread, process) of *pid*, from /proc/PID/status."""
    lines = pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = dict(line.split(":\t", 1) for line in lines)
    return fields["State"].split()[0], int(fields["SigPnd"], 16), int(fields["ShdPnd"], 16)


# -- closed behind macres's back ---------------------------------------------------------------
def _file(tmp_path: Any) -> macres.FileDescriptor:
    path = tmp_path / "f"
    path.write_bytes(b"data")
    return macres.open(path, "r+")


OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "read": lambda fd: fd.read(1),
    "pread": lambda fd: fd.pread(1, 0),
    "write": lambda fd: fd.write(b"x"),
    "fstat": lambda fd: fd.fstat(),
    "fsync": lambda fd: fd.fsync(),
    "ftruncate": lambda fd: fd.ftruncate(0),
    "flock": lambda fd: fd.flock(macres.LOCK_SH),
    "seek": lambda fd: fd.seek(0),
    "dup": lambda fd: fd.dup(),
    "inheritable": lambda fd: fd.inheritable,
}


def assert_closed_by_ebadf(info: pytest.ExceptionInfo[macres.ClosedResourceError]) -> None:
    """The ClosedResourceError carries the kernel's EBADF as its cause."""
    cause = info.value.__cause__
    assert isinstance(cause, OSError) and errno.EBADF == cause.errno, repr(cause)


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_foreign_close_is_reported_as_closed(tmp_path: Any, op: str) -> None:
    """After os.close behind its back, each operation raises ClosedResourceError from OSError(EBADF)."""
    fd = _file(tmp_path)
    os.close(fd.fileno())
    try:
        with pytest.raises(macres.ClosedResourceError) as info:
            OPERATIONS[op](fd)
        assert_closed_by_ebadf(info)
    finally:
        with pytest.raises(OSError):
            fd.close()


def test_ebadf_from_an_open_descriptor_stays_an_oserror(tmp_path: Any) -> None:
    """A write on a descriptor opened read-only is EBADF from the kernel, but nothing closed it: OSError."""
    path = tmp_path / "f"
    path.write_bytes(b"data")
    with macres.open(path, "r") as fd:
        with pytest.raises(OSError) as info:
            fd.write(b"x")
        assert errno.EBADF == info.value.errno
        assert not isinstance(info.value, macres.ClosedResourceError)
        assert fd.read(4) == b"data"  # still open, still ours


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_close_after_a_foreign_close_reports_ebadf_once(tmp_path: Any, op: str) -> None:
    """After os.close behind its back and a failed operation, close() reports EBADF and marks it closed."""
    fd = _file(tmp_path)
    os.close(fd.fileno())
    with pytest.raises((OSError, macres.ClosedResourceError)):
        OPERATIONS[op](fd)
    with pytest.raises(OSError) as info:
        fd.close()
    assert errno.EBADF == info.value.errno
    assert fd.closed
    fd.close()  # once: the number is not closed again


@pytest.mark.parametrize("kind", ["file", "socket", "directory"])
def test_after_the_reported_close_the_number_is_never_touched(tmp_path: Any, kind: str) -> None:
    """close() reports EBADF; the file that takes the number next survives close() and collection."""
    if kind == "file":
        obj: Any = _file(tmp_path)
    elif kind == "socket":
        obj, peer = macres.Socket.pair()
        peer.close()
    else:
        obj = macres.opendir(tmp_path)
    number = obj.fileno()
    os.close(number)
    with pytest.raises(OSError) as info:
        obj.close()
    assert info.value.errno == errno.EBADF
    newcomer = os.open(os.devnull, os.O_RDONLY)
    try:
        assert newcomer == number  # the lowest free number
        obj.close()
        with pytest.raises(macres.ClosedResourceError):
            obj.fileno()
        del obj
        gc.collect()
        os.fstat(newcomer)  # still open
    finally:
        os.close(newcomer)


def test_collected_after_foreign_close_raises_nothing(tmp_path: Any) -> None:
    """An object collected after its number was closed elsewhere warns and raises nothing."""
    fd = _file(tmp_path)
    os.close(fd.fileno())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del fd
        gc.collect()
    assert [w.category for w in caught] == [ResourceWarning]


def test_socket_operations_report_a_foreign_close_as_closed() -> None:
    """A Socket whose number was closed elsewhere: send, recv, options: ClosedResourceError from EBADF."""
    a, b = macres.Socket.pair()
    with b:
        os.close(a.fileno())
        try:
            calls = (lambda: a.send(b"x"), lambda: a.recv(1), a.getsockname, lambda: a.getsockopt(macres.socket.SO_TYPE))
            for call in calls:
                with pytest.raises(macres.ClosedResourceError) as info:
                    call()
                assert_closed_by_ebadf(info)
        finally:
            with pytest.raises(OSError):
                a.close()


# -- close racing operations ---------------------------------------------------------------------
def _race(
    make: Callable[[], tuple[Any, Callable[[], Any], Callable[[], None]]],
    opener: Callable[[], int],
    wake: Callable[[], None] | None = None,
) -> int:
    """Run rounds of (operate in a thread | close, then open at once); return the rounds run.

    *wake* ends an operation that may block forever once the object is
    closed (a pipe read after the data runs out): the deferred close waits
    for it, so the round calls *wake* before joining the thread.
    """
    deadline = time.monotonic() + RACE_SECONDS
    rounds = 0
    errors: list[BaseException] = []
    while rounds < RACE_ROUNDS and time.monotonic() < deadline:
        obj, operate, cleanup = make()
        started = threading.Event()

        def worker() -> None:
            started.set()
            try:
                while True:
                    operate()
            except macres.ClosedResourceError:
                pass
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        t = threading.Thread(target=worker)
        t.start()
        started.wait()
        obj.close()
        newcomers = [opener() for _ in range(2)]
        if wake is not None:
            wake()
        t.join(timeout=30)
        assert not t.is_alive(), f"round {rounds}: the operating thread did not return"
        for fd in newcomers:
            os.close(fd)
        cleanup()
        rounds += 1
        assert not errors, f"round {rounds}: an operation reached a reused number: {errors[0]!r}"
    return rounds


def test_close_races_file_operations(tmp_path: Any) -> None:
    """pwrite/fstat racing close never reach the read-only file that takes the number."""
    path = tmp_path / "f"
    path.write_bytes(b"0")
    other = tmp_path / "other"
    other.write_bytes(b"B" * 8)

    def make() -> tuple[Any, Callable[[], Any], Callable[[], None]]:
        fd = macres.open(path, "r+")

        def operate() -> None:
            fd.pwrite(b"A", 0)
            fd.fstat()

        return fd, operate, lambda: None

    rounds = _race(make, lambda: os.open(other, os.O_RDONLY))
    assert rounds >= 50
    assert other.read_bytes() == b"B" * 8


def test_close_races_pipe_reads() -> None:
    """A read racing close on a pipe with data never reads from a reused number."""

    def make() -> tuple[Any, Callable[[], Any], Callable[[], None]]:
        r, w = macres.pipe()
        w.write(b"x" * 4096)

        def operate() -> None:
            r.read(1)
            r.fstat()

        writers.append(w)
        return r, operate, w.close

    writers: list[Any] = []
    # The reader drains 4096 bytes and then blocks in read(2) until the
    # writer closes: close the writer to wake it.
    assert _race(make, lambda: os.open(os.devnull, os.O_WRONLY), wake=lambda: writers.pop().close()) >= 50


def test_close_races_socket_operations() -> None:
    """send/getsockopt racing close never reach the regular file that takes the number (ENOTSOCK)."""

    def make() -> tuple[Any, Callable[[], Any], Callable[[], None]]:
        a, b = macres.Socket.pair(socket.AF_UNIX, socket.SOCK_DGRAM)

        def operate() -> None:
            try:
                a.send(b"x")
            except BlockingIOError:
                pass
            a.getsockopt(macres.socket.SO_TYPE)

        b.blocking = False
        a.blocking = False
        return a, operate, b.close

    assert _race(make, lambda: os.open(os.devnull, os.O_RDONLY)) >= 50


# -- fork ------------------------------------------------------------------------------------------
def test_fork_child_uses_and_closes_inherited_objects(tmp_path: Any) -> None:
    """The child writes through and closes its copies; the parent sees the writes and its objects still work."""
    fd = macres.open(tmp_path / "f", "w+")
    r, w = macres.pipe()
    a, b = macres.Socket.pair()
    region = macres.MappedRegion.anonymous(4096, shared=True)
    private = macres.MappedRegion.anonymous(4096)
    directory = macres.opendir(tmp_path)
    private[0] = 7

    def child() -> None:
        fd.pwrite(b"child", 0)
        w.write(b"via pipe")
        a.sendall(b"via socket")
        region[0:5] = b"child"
        assert private[0] == 7
        private[0] = 9  # copy-on-write: the parent keeps 7
        assert "f" in {e.name for e in directory}
        for obj in (fd, r, w, a, b, region, private, directory):
            obj.close()

    before = open_fds()
    in_child(child)
    assert open_fds() == before
    with fd, r, w, a, b, region, private, directory:
        assert fd.pread(5, 0) == b"child"
        assert r.read(8) == b"via pipe"
        assert b.recv(10) == b"via socket"
        assert region[0:5] == b"child" and private[0] == 7
        fd.pwrite(b"parent", 0)
        w.write(b"!")
        assert r.read(1) == b"!"
        b.sendall(b"?")
        assert a.recv(1) == b"?"
        private[1] = 1
        assert "f" in {e.name for e in directory}


def test_fork_child_exits_without_closing(tmp_path: Any) -> None:
    """A child that _exits holding its copies closes nothing of the parent's."""
    fd = macres.open(tmp_path / "f", "w+")
    a, b = macres.Socket.pair()

    def child() -> None:
        fd.write(b"c")

    in_child(child)
    with fd, a, b:
        a.sendall(b"x")
        assert b.recv(1) == b"x"
        assert fd.pread(1, 0) == b"c"


@linux_only
def test_fork_child_closing_a_process_leaves_the_parents_child_alone() -> None:
    """A forked child that closes its copy of a spawned Process must not end the parent's child."""
    proc = macres.Process.spawn(["sleep", "30"])
    with proc:
        in_child(proc.close)
        # A signal is generated when kill(2) returns, and in_child waited for the forked child's exit:
        # had it signalled, the sleeper would now have the signal pending or be no longer asleep.
        assert ("S", 0, 0) == signal_state(proc.pid)
        assert proc.poll() is None
