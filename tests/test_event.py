"""EventQueue and the event sources: readiness through the queue, stale numbers, wake-up on close, sources.

Each test runs on the core the suite runs on (the suite runs once per
core); :func:`test_cores_agree_on_wait` drives the compiled core's and the
pure reference's EventQueueBase side by side.  Timing never decides an
outcome: waits are bounded by BOUND seconds, and what is waited for is an
observable state (an event, a thread blocked in the kernel, a count).
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import os
import pickle
import selectors
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from _support import raise_after_blocking

import macres
from macres import ClosedResourceError, Event, EventQueue, raw
from macres._backend import compiled
from macres.event import READ, WRITE
from macres.sources import (
    Change,
    FileWatch,
    ProcessExit,
    SignalInfo,
    SignalSource,
    Timer,
    UserEvent,
    WatchEvent,
)

#: Upper bound of every wait, in seconds; reaching it fails the test.
BOUND = 10.0
linux_only = pytest.mark.skipif(raw.SYSTEM != "linux", reason="exercises Linux behaviour")


def wait_for(queue: EventQueue[Any], want: Callable[[list[Event[Any]]], bool]) -> list[Event[Any]]:
    """Wait until the events seen so far satisfy *want*; every event seen, in order."""
    seen: list[Event[Any]] = []
    deadline = time.monotonic() + BOUND
    while not want(seen):
        left = deadline - time.monotonic()
        assert left > 0, f"timed out; saw {seen}"
        seen += queue.wait(left)
    return seen


def until(predicate: Callable[[], bool], what: str) -> None:
    """Bounded polling of observable state."""
    deadline = time.monotonic() + BOUND
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.0005)


def blocked_in_kernel(tid: int, fd: int) -> bool:
    """Whether thread *tid* sleeps in a system call whose first argument is *fd*."""
    try:
        with open(f"/proc/self/task/{tid}/syscall") as f:
            fields = f.read().split()
        with open(f"/proc/self/task/{tid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state == "S" and len(fields) > 1 and fields[0] != "running" and int(fields[1], 16) == fd


needs_proc = pytest.mark.skipif(
    not os.path.exists(f"/proc/self/task/{threading.get_native_id()}/syscall"),
    reason="needs /proc/<pid>/task/<tid>/syscall to see that a thread is blocked in the kernel",
)


@pytest.fixture
def queue() -> Iterator[EventQueue[str]]:
    """A queue whose registrations carry strings, closed after the test."""
    with EventQueue[str]() as q:
        yield q


@pytest.fixture
def pipe() -> Iterator[tuple[macres.FileDescriptor, macres.FileDescriptor]]:
    """A pipe's two ends, closed after the test."""
    r, w = macres.pipe()
    with r, w:
        yield r, w


def summary(events: list[Event[Any]]) -> list[tuple[Any, bool, bool, bool, bool]]:
    """(data, readable, writable, eof, error) of each event, sorted by data."""
    return sorted((e.data, e.readable, e.writable, e.eof, e.error) for e in events)


# ====================================================================== the queue
def test_pipe_readiness_level_triggered(queue: EventQueue[str], pipe: Any) -> None:
    """A write end is writable at once; a read end readable after a write, again and again until drained."""
    r, w = pipe
    queue.register(r, READ, "r")
    queue.register(w, WRITE, "w")
    assert summary(queue.wait(0)) == [("w", False, True, False, False)]
    w.write(b"x")
    for _ in range(2):  # level-triggered: still ready
        assert summary(queue.wait(0)) == [("r", True, False, False, False), ("w", False, True, False, False)]
    [event] = [e for e in queue.wait(0) if e.data == "r"]
    assert event.obj is r
    assert r.read(10) == b"x"
    assert summary(queue.wait(0)) == [("w", False, True, False, False)]


def test_writer_closing_is_eof_and_reader_closing_an_error(queue: EventQueue[str]) -> None:
    """A pipe's read end reports EOF when the writer closes; the write end an error when the reader closes."""
    r, w = macres.pipe()
    with r, w:
        queue.register(r, READ, "r")
        w.close()
        assert summary(queue.wait(BOUND)) == [("r", True, False, True, False)]
        assert r.read(1) == b""
    r, w = macres.pipe()
    with r, w:
        queue.register(w, WRITE, "w")
        r.close()
        [event] = queue.wait(BOUND)
        assert event.writable and event.error and not event.readable
        queue.unregister(w)


def test_socket_readiness_and_peer_shutdown(queue: EventQueue[str]) -> None:
    """Sockets (macres and stdlib) report reading, writing and the peer's shutdown as EOF."""
    a, b = macres.Socket.pair()
    s1, s2 = socket.socketpair()
    with a, b, s1, s2:
        queue.register(a, READ | WRITE, "macres")
        queue.register(s1, READ, "stdlib")
        assert summary(queue.wait(0)) == [("macres", False, True, False, False)]
        b.sendall(b"ping")
        s2.sendall(b"pong")
        assert summary(queue.wait(0)) == [("macres", True, True, False, False), ("stdlib", True, False, False, False)]
        assert a.recv(4) == b"ping" and s1.recv(4) == b"pong"
        b.shutdown(socket.SHUT_WR)
        s2.shutdown(socket.SHUT_WR)
        got = summary(queue.wait(0))
        assert got == [("macres", True, True, True, False), ("stdlib", True, False, True, False)]
        queue.unregister(s1)


def test_register_takes_numbers_and_any_fileno(queue: EventQueue[str], pipe: Any) -> None:
    """A bare number and an object with fileno() register like macres objects; the event carries what was given."""
    _, w = pipe
    queue.register(w.fileno(), WRITE, "number")
    [event] = queue.wait(0)
    assert event.obj == w.fileno() and event.data == "number"
    assert w.fileno() in queue and len(queue) == 1
    with pytest.raises(KeyError):
        queue.register(w, WRITE, "same descriptor")  # same number: refused, as selectors refuses it
    queue.unregister(w.fileno())
    assert len(queue) == 0


def test_register_errors(queue: EventQueue[str], pipe: Any, tmp_path: Path) -> None:
    """Twice, bad interests, no fileno, a negative number, a closed object, a regular file (epoll)."""
    r, w = pipe
    queue.register(r, READ, "r")
    with pytest.raises(KeyError):
        queue.register(r, READ, "again")
    for bad in (0, 4, -1, READ | WRITE | 8):
        with pytest.raises(ValueError):
            queue.register(w, bad, "w")
    with pytest.raises(TypeError):
        queue.register(object(), READ, "x")  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        queue.register(macres.Process.current(), READ, "no fileno")  # type: ignore[call-overload]
    with pytest.raises(ValueError):
        queue.register(-1, READ, "negative")
    closed_r, closed_w = macres.pipe()
    closed_r.close()
    closed_w.close()
    with pytest.raises(ClosedResourceError):
        queue.register(closed_r, READ, "closed")
    with pytest.raises(KeyError):
        queue.unregister(w)
    with pytest.raises(KeyError):
        queue.modify(w, READ)
    if raw.SYSTEM == "linux":
        path = tmp_path / "f"
        path.write_bytes(b"")
        with macres.open(path) as f:
            with pytest.raises(PermissionError):
                queue.register(f, READ, "file")
            assert f not in queue
    assert len(queue) == 1


def test_modify_changes_interest_and_keeps_or_replaces_data(queue: EventQueue[str], pipe: Any) -> None:
    """modify() switches READ to WRITE; data stays unless given."""
    _, w = pipe
    queue.register(w, READ, "w")
    assert queue.wait(0) == []
    queue.modify(w, WRITE)
    assert summary(queue.wait(0)) == [("w", False, True, False, False)]
    queue.modify(w, READ | WRITE, "new")
    assert summary(queue.wait(0)) == [("new", False, True, False, False)]


def test_unregister_stops_reports(queue: EventQueue[str], pipe: Any) -> None:
    """After unregister nothing is reported for the object; it can be registered again."""
    r, w = pipe
    w.write(b"x")
    queue.register(r, READ, "r")
    assert len(queue.wait(0)) == 1
    queue.unregister(r)
    assert queue.wait(0) == [] and r not in queue
    queue.register(r, READ, "again")
    assert summary(queue.wait(0)) == [("again", True, False, False, False)]


def test_edge_triggered_reports_a_change_once(queue: EventQueue[str], pipe: Any) -> None:
    """edge=True: ready data is reported once, and again only when more arrives."""
    r, w = pipe
    queue.register(r, READ, "r", edge=True)
    w.write(b"a")
    assert summary(queue.wait(0)) == [("r", True, False, False, False)]
    assert queue.wait(0) == []  # still readable, not reported again
    w.write(b"b")
    assert summary(queue.wait(0)) == [("r", True, False, False, False)]
    assert r.read(10) == b"ab"


def test_oneshot_reports_once_until_rearmed(queue: EventQueue[str], pipe: Any) -> None:
    """oneshot=True: one report, then none (even with more data) until modify() re-arms it."""
    r, w = pipe
    queue.register(r, READ, "r", oneshot=True)
    w.write(b"a")
    assert len(queue.wait(0)) == 1
    w.write(b"b")
    assert queue.wait(0) == []
    queue.modify(r, READ, oneshot=True)
    assert summary(queue.wait(0)) == [("r", True, False, False, False)]
    assert queue.wait(0) == []


def test_max_events_caps_and_the_rest_come_next(queue: EventQueue[str]) -> None:
    """At most max_events come back; the other ready registrations are reported by the next wait."""
    pipes = [macres.pipe() for _ in range(5)]
    try:
        for i, (r, w) in enumerate(pipes):
            queue.register(r, READ, str(i))
            w.write(b"x")
        first = queue.wait(0, max_events=2)
        assert len(first) == 2
        assert {e.data for e in queue.wait(0, max_events=64)} == {str(i) for i in range(5)}
    finally:
        for r, w in pipes:
            r.close()
            w.close()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_events": 0}, ValueError),
        ({"max_events": -5}, ValueError),
        ({"max_events": 1 << 31}, OverflowError),
        ({"max_events": 1.5}, TypeError),
        ({"timeout": -0.5}, ValueError),
        ({"timeout": math.nan}, ValueError),
        ({"timeout": "1"}, TypeError),
    ],
)
def test_wait_refuses_bad_arguments(queue: EventQueue[str], kwargs: dict[str, Any], error: type[Exception]) -> None:
    """Bad counts and timeouts are refused before any call."""
    with pytest.raises(error):
        queue.wait(**kwargs)


def test_wait_times_out_with_nothing(queue: EventQueue[str], pipe: Any) -> None:
    """A wait with nothing ready returns [] once its timeout passed (never earlier)."""
    r, _ = pipe
    queue.register(r, READ, "r")
    start = time.monotonic()
    assert queue.wait(0.02) == []
    assert time.monotonic() - start >= 0.02


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_wait_runs_signal_handlers_and_lets_their_exceptions_out(queue: EventQueue[str], pipe: Any) -> None:
    """A signal during wait runs its handler; the wait goes on (PEP 475), or ends with the handler's exception."""
    r, w = pipe
    queue.register(r, READ, "r")

    class Interrupted(Exception):
        """Raised by the handler."""

    def writes(signum: int, frame: Any) -> None:
        w.write(b"x")  # the only thing that ends the wait

    def raises(signum: int, frame: Any) -> None:
        raise Interrupted

    old = signal.getsignal(signal.SIGALRM)
    try:
        signal.signal(signal.SIGALRM, writes)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        assert summary(queue.wait(BOUND)) == [("r", True, False, False, False)]
        assert r.read(1) == b"x"
        signal.signal(signal.SIGALRM, raises)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Interrupted):
            queue.wait(BOUND)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    w.write(b"y")
    assert len(queue.wait(0)) == 1  # the queue is whole after the exception


# -- a closed object's number reused -------------------------------------------------
def reuse_number(number: int) -> tuple[macres.FileDescriptor, macres.FileDescriptor, list[macres.FileDescriptor]]:
    """A new pipe whose read end gets *number* (lower free numbers are taken by fillers, returned)."""
    fillers: list[macres.FileDescriptor] = []
    while True:
        r, w = macres.pipe()
        if r.fileno() == number:
            return r, w, fillers
        assert r.fileno() < number and len(fillers) < 64, "the number was not reused"
        fillers += [r, w]


@pytest.mark.parametrize("shared", [False, True], ids=["last-close", "description-shared"])
def test_closed_object_number_reused_is_never_reported(queue: EventQueue[str], shared: bool) -> None:
    """Register, close (no unregister), reuse the number, make both files ready: nothing is reported for "old".

    With *shared*, a dup keeps the closed object's open file alive, so
    epoll keeps its entry: the queue must drop what it reports.
    """
    old_r, old_w = macres.pipe()
    number = old_r.fileno()
    queue.register(old_r, READ, "old")
    keep = old_r.dup() if shared else None
    old_r.close()
    new_r, new_w, fillers = reuse_number(number)
    try:
        new_w.write(b"new data")
        if shared:
            old_w.write(b"old data")  # the old file is ready too; epoll still has its entry
        assert queue.wait(0) == []
        assert queue.wait(0.01) == []
        queue.register(new_r, READ, "new")
        assert summary(queue.wait(0)) == [("new", True, False, False, False)]
        assert summary(queue.wait(0)) == [("new", True, False, False, False)]  # the stale entry is gone for good
        assert old_r not in queue  # its registration was replaced or dropped
    finally:
        for f in (new_r, new_w, old_w, *fillers, *([keep] if keep else [])):
            f.close()


def test_unregistering_a_closed_object_makes_no_kernel_call(queue: EventQueue[str]) -> None:
    """A closed macres object is forgotten without touching the number, which may be another file's now."""
    r, w = macres.pipe()
    queue.register(r, READ, "old")
    number = r.fileno()
    r.close()
    new_r, new_w, fillers = reuse_number(number)
    try:
        queue.register(new_r.fileno(), READ, "number")  # the closed object's registration gives way
        assert r not in queue
        new_w.write(b"x")
        assert summary(queue.wait(0)) == [("number", True, False, False, False)]
    finally:
        for f in (new_r, new_w, w, *fillers):
            f.close()


def test_stale_registration_dropped_even_if_never_reused(queue: EventQueue[str]) -> None:
    """unregister() of a closed object works and leaves the queue empty."""
    r, w = macres.pipe()
    with w:
        queue.register(r, READ, "r")
        r.close()
        assert r in queue
        queue.unregister(r)
        assert len(queue) == 0


# -- closing the queue -----------------------------------------------------------
@needs_proc
@pytest.mark.parametrize("how", ["close", "detach"])
def test_close_from_another_thread_wakes_wait(how: str) -> None:
    """A thread blocked in wait() (no timeout) wakes when another thread closes the queue, with ClosedResourceError."""
    q = EventQueue()
    started, done = threading.Event(), threading.Event()
    outcome: list[BaseException | list[Any]] = []
    tid: list[int] = []

    def waiter() -> None:
        tid.append(threading.get_native_id())
        started.set()
        try:
            outcome.append(q.wait())
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            outcome.append(exc)
        done.set()

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    assert started.wait(BOUND)
    number = q.fileno()
    until(lambda: blocked_in_kernel(tid[0], number), "the waiter is blocked in the kernel")
    detached = None
    if how == "close":
        q.close()
    else:
        detached = q.detach()
    assert done.wait(BOUND), "close() did not wake the waiter"
    thread.join(BOUND)
    assert len(outcome) == 1 and isinstance(outcome[0], ClosedResourceError)
    if detached is not None:
        os.close(detached)
    assert q.closed


def test_closed_queue_refuses_everything(pipe: Any) -> None:
    """After close every method raises ClosedResourceError and the registrations are gone."""
    r, _ = pipe
    q: EventQueue[str] = EventQueue()
    q.register(r, READ, "r")
    q.close()
    q.close()  # idempotent
    assert len(q) == 0
    for call in (
        q.wait,
        q.fileno,
        q.detach,
        lambda: q.register(r, READ, "r"),
        lambda: q.modify(r, READ),
        lambda: q.unregister(r),
    ):
        with pytest.raises(ClosedResourceError):
            call()


def test_collected_open_queue_warns_and_closes_its_waker() -> None:
    """A queue collected while open warns once (ResourceWarning) and leaves no descriptor behind."""
    before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    q = EventQueue()
    with pytest.warns(ResourceWarning):
        del q  # the last reference: finalised at once
    gc.collect()
    if before is not None:
        assert set(os.listdir("/proc/self/fd")) == before


def test_queue_in_a_queue(queue: EventQueue[str], pipe: Any) -> None:
    """A queue is itself readable when it has something ready: it nests in another queue and in selectors."""
    r, w = pipe
    with EventQueue[int]() as inner:
        inner.register(r, READ, 1)
        queue.register(inner, READ, "inner")
        assert queue.wait(0) == []
        w.write(b"x")
        assert summary(queue.wait(BOUND)) == [("inner", True, False, False, False)]
        assert [e.data for e in inner.wait(0)] == [1]
        queue.unregister(inner)


def test_event_is_a_frozen_value() -> None:
    """Event compares by value, hashes, pickles, refuses assignment and shows its fields."""
    a = Event(3, "d", True, False)
    b = Event(obj=3, data="d", readable=True, writable=False, eof=False, error=False)
    assert a == b and hash(a) == hash(b) and a != Event(3, "d", True, True)
    assert (a.eof, a.error) == (False, False)
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(AttributeError):
        a.data = "x"  # type: ignore[misc]
    assert repr(a) == "Event(obj=3, data='d', readable=True, writable=False, eof=False, error=False)"
    assert Event[int] is not None  # subscriptable at run time too


# ============================================================================ the cores agree
@pytest.mark.skipif(compiled is None, reason="no compiled core to compare with")
@linux_only
def test_cores_agree_on_wait() -> None:
    """Both cores' EventQueueBase.wait report the same events, drop the same ones, refuse the same arguments.

    Each core's queue watches read ends that are that core's FdHandles:
    one with data, one whose writer closed, one closed while registered
    (a dup keeps its epoll entry alive and ready), and an entry whose token
    is no registration's.
    """
    from macres._pure import event as pure
    from macres._pure import handle as pure_handle

    assert compiled is not None
    results = {}
    for name, queue_type, handle_type in (
        ("compiled", compiled.EventQueueBase, compiled.FdHandle),
        ("pure", pure.EventQueueBase, pure_handle.FdHandle),
    ):
        q = queue_type()
        regs: dict[int, tuple[Any, ...]] = {}
        ends = []
        for _ in range(3):
            r, w = os.pipe()
            h = handle_type()
            h._adopt(r)
            ends.append((h, w))
        keep = os.dup(ends[2][0].fileno())
        try:
            epfd = raw.epoll_create1(raw.ABI.EPOLL_CLOEXEC)
            q._setup(epfd, None, regs)
            for token, (h, _) in enumerate(ends, 1):
                regs[token] = (h, f"r{token}", READ)
                raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, h.fileno(), raw.ABI.EPOLLIN | raw.ABI.EPOLLRDHUP, token)
            raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, ends[0][1], raw.ABI.EPOLLOUT, 99)  # no registration's token
            os.write(ends[0][1], b"x")
            os.close(ends[1][1])
            os.write(ends[2][1], b"x")
            ends[2][0].close()
            outcome: dict[str, Any] = {"events": summary(q.wait(0)), "left": sorted(regs)}
            for kwargs in (
                {"max_events": 0}, {"max_events": 1 << 31}, {"max_events": "2"},
                {"timeout": -1.0}, {"timeout": math.nan}, {"timeout": "x"},
            ):  # fmt: skip
                with pytest.raises(Exception) as info:
                    q.wait(**kwargs)
                outcome[repr(kwargs)] = (info.type.__name__, str(info.value))
            q.close()
            for call in (q.wait, q.fileno, q.detach):
                with pytest.raises(ClosedResourceError) as closed:
                    call()
                outcome[call.__name__] = str(closed.value)
            results[name] = outcome
        finally:
            q.close()
            os.close(keep)
            for h, w in ends:
                h.close()
                if w != ends[1][1]:
                    os.close(w)
    assert results["compiled"] == results["pure"]
    assert results["pure"]["events"] == [("r1", True, False, False, False), ("r2", True, False, True, False)]
    assert results["pure"]["left"] == [1, 2]


# ============================================================================ the sources
def test_user_event_triggered_by_another_thread(queue: EventQueue[str]) -> None:
    """A thread triggers the event; the queue reports it; read() consumes it once."""
    with UserEvent() as ev:
        queue.register(ev, READ, "user")
        assert queue.wait(0) == [] and ev.read() is False
        thread = threading.Thread(target=ev.trigger)
        thread.start()
        assert [e.data for e in wait_for(queue, bool)] == ["user"]
        thread.join(BOUND)
        ev.trigger()
        assert ev.read() is True and ev.read() is False
        assert queue.wait(0) == []
        queue.unregister(ev)


def test_one_shot_timer_expires_once(queue: EventQueue[str]) -> None:
    """A one-shot timer becomes readable, counts one expiration, and is disarmed after it."""
    with Timer(0.001) as timer:
        queue.register(timer, READ, "timer")
        wait_for(queue, bool)
        assert timer.read() == 1
        assert timer.read() == 0 and queue.wait(0) == []
        if raw.SYSTEM == "linux":
            assert raw.timerfd_gettime(timer.fileno()) == (raw.Timespec(0, 0), raw.Timespec(0, 0))
        queue.unregister(timer)


def test_periodic_timer_counts_expirations(queue: EventQueue[str]) -> None:
    """A periodic timer's read() counts every period since the last read: wait until 3 (bounded)."""
    with Timer(0.002, periodic=True) as timer:
        queue.register(timer, READ, "timer")
        count = 0
        deadline = time.monotonic() + BOUND
        while count < 3:
            assert time.monotonic() < deadline, f"only {count} expirations"
            if queue.wait(deadline - time.monotonic()):
                count += timer.read()
        timer.cancel()
        assert timer.read() == 0
        if raw.SYSTEM == "linux":
            assert raw.timerfd_gettime(timer.fileno())[1] == raw.Timespec(0, 0)
        timer.set(0.001)
        wait_for(queue, bool)
        assert timer.read() == 1
        queue.unregister(timer)


@pytest.mark.parametrize(
    ("seconds", "periodic", "error"),
    [(-1.0, False, ValueError), (math.nan, False, ValueError), (math.inf, True, ValueError), (0.0, True, ValueError),
     (1e12, False, OverflowError)],
)  # fmt: skip
def test_timer_refuses_bad_times(seconds: float, periodic: bool, error: type[Exception]) -> None:
    """Negative, NaN, infinite, zero-period and too long times are refused before any descriptor is made."""
    with pytest.raises(error):
        Timer(seconds, periodic=periodic)


SIGNAL_CHILD = textwrap.dedent(
    """
    import json, os, signal, sys
    import macres
    from macres.event import READ
    with macres.SignalSource([signal.SIGUSR1]) as source, macres.EventQueue() as queue:
        queue.register(source, READ)
        os.kill(os.getpid(), signal.SIGUSR1)  # to the process: its default action would end it
        events = queue.wait(10)
        infos = source.read()
    blocked = signal.SIGUSR1 in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    print(json.dumps({"events": len(events), "signals": [i.signal for i in infos],
                      "pid": infos[0].pid == os.getpid(), "blocked_after": blocked}))
    """
)


@linux_only
def test_signal_reaches_its_source_not_the_default_handler() -> None:
    """SIGUSR1 sent to a process holding a SignalSource arrives there; the process lives on; close unblocks it."""
    proc = subprocess.run([sys.executable, "-c", SIGNAL_CHILD], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result == {"events": 1, "signals": [signal.SIGUSR1], "pid": True, "blocked_after": False}


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_signal_source_takes_over_a_python_handler_and_gives_it_back(queue: EventQueue[str]) -> None:
    """While open, a signal to this thread reaches the source, not the installed handler; after close, the handler."""
    ran: list[int] = []
    old = signal.signal(signal.SIGUSR2, lambda signum, frame: ran.append(signum))
    try:
        with SignalSource([signal.SIGUSR2]) as source:
            queue.register(source, READ, "signal")
            signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)
            wait_for(queue, bool)
            [info] = source.read()
            assert info.signal == signal.SIGUSR2 and info.count == 1
            assert source.read() == [] and source.signals == frozenset({signal.SIGUSR2})
            queue.unregister(source)
        assert ran == []
        assert signal.SIGUSR2 not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)
        until(lambda: ran == [signal.SIGUSR2], "the restored handler ran")
    finally:
        signal.signal(signal.SIGUSR2, old)


DRAIN_CHILD = textwrap.dedent(
    """
    import json, signal, threading
    import macres
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    with macres.SignalSource([signal.SIGUSR1, signal.SIGUSR2]):
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)  # pending at close: drained, not delivered
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    print(json.dumps({"usr1": signal.SIGUSR1 in mask, "usr2": signal.SIGUSR2 in mask}))
    """
)


@linux_only
def test_signal_source_unblocks_only_what_it_blocked_and_drains_on_close() -> None:
    """Closing unblocks only what the source blocked; a signal pending at close is drained, not delivered (subprocess)."""
    proc = subprocess.run([sys.executable, "-c", DRAIN_CHILD], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, f"status {proc.returncode}: {proc.stderr}"
    assert json.loads(proc.stdout) == {"usr1": True, "usr2": False}


def test_signal_source_refuses_bad_signals() -> None:
    """No signals, SIGKILL, SIGSTOP and numbers outside 1..NSIG-1 are refused, and nothing stays blocked."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    for bad in ([], [signal.SIGKILL], [signal.SIGSTOP], [0], [signal.NSIG], [signal.SIGUSR1, 0]):
        with pytest.raises(ValueError):
            SignalSource(bad)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before


@linux_only
def test_signal_source_blocking_interrupted_leaves_nothing_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception raised as the source's block returns (a handler inside ``signal.pthread_sigmask``) unblocks what it blocked."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    real = raise_after_blocking(monkeypatch)
    try:
        with pytest.raises(KeyboardInterrupt):
            SignalSource([signal.SIGUSR2])
        assert real(signal.SIG_BLOCK, []) == before
    finally:
        real(signal.SIG_SETMASK, before)


def watch_until(watch: FileWatch, want: Callable[[list[WatchEvent]], bool]) -> list[WatchEvent]:
    """Read the watch through a queue until what was read satisfies *want*."""
    seen: list[WatchEvent] = []
    with EventQueue() as q:
        q.register(watch, READ)
        deadline = time.monotonic() + BOUND
        while not want(seen):
            assert time.monotonic() < deadline, f"timed out; saw {seen}"
            if q.wait(deadline - time.monotonic()):
                seen += watch.read()
    return seen


@linux_only
def test_file_watch_reports_create_modify_rename_delete_with_names(tmp_path: Path) -> None:
    """inotify: creating, writing, renaming and deleting in a watched directory, named; the directory's own deletion."""
    directory = tmp_path / "watched"
    directory.mkdir()
    with FileWatch(directory) as watch:
        assert watch.paths == [os.fspath(directory)]
        (directory / "a").write_bytes(b"1")
        got = watch_until(watch, lambda s: any(e.changes & Change.MODIFY for e in s))
        assert (os.fspath(directory), "a", Change.CREATE, False) in [(e.path, e.name, e.changes, e.is_dir) for e in got]
        os.rename(directory / "a", directory / "b")
        moved = watch_until(watch, lambda s: any(e.changes & Change.MOVED_TO for e in s))
        [src] = [e for e in moved if e.changes & Change.MOVED_FROM]
        [dst] = [e for e in moved if e.changes & Change.MOVED_TO]
        assert (src.name, dst.name) == ("a", "b") and src.cookie == dst.cookie != 0
        os.unlink(directory / "b")
        deleted = watch_until(watch, lambda s: any(e.changes & Change.DELETE for e in s))
        assert [e.name for e in deleted if e.changes & Change.DELETE] == ["b"]
        (directory / "sub").mkdir()
        made = watch_until(watch, lambda s: bool(s))
        assert made[0].is_dir is True and made[0].name == "sub"
        (directory / "sub").rmdir()
        directory.rmdir()
        gone = watch_until(watch, lambda s: any(e.changes & Change.DELETE_SELF for e in s))
        assert [e.name for e in gone if e.changes & Change.DELETE_SELF] == [None]
        until(lambda: (watch.read(), not watch.paths)[1], "the kernel dropped the watch (IN_IGNORED)")


def test_file_watch_of_a_file(tmp_path: Path) -> None:
    """A watched file reports its own modification and deletion (names are None: it is the watched path)."""
    path = tmp_path / "f"
    path.write_bytes(b"")
    with FileWatch() as watch:
        watch.add(os.fsencode(path))
        watch.add(os.fsencode(path))  # again: no change
        assert watch.paths == [os.fsencode(path)]
        with open(path, "ab") as f:
            f.write(b"more")
        got = watch_until(watch, lambda s: any(e.changes & Change.MODIFY for e in s))
        assert got[0].path == os.fsencode(path) and got[0].name is None
        path.unlink()
        gone = watch_until(watch, lambda s: any(e.changes & Change.DELETE_SELF for e in s))
        assert gone
        with pytest.raises(KeyError):
            watch.remove(tmp_path / "never")


def test_file_watch_remove_and_errors(tmp_path: Path) -> None:
    """remove() stops the reports; watching a missing path is FileNotFoundError and closes nothing else."""
    with FileWatch(tmp_path) as watch:
        watch.remove(tmp_path)
        (tmp_path / "x").write_bytes(b"")
        assert watch.read() == [] and watch.paths == []
        with pytest.raises(FileNotFoundError):
            watch.add(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        FileWatch(tmp_path / "missing")


def spawn_waiting_child() -> tuple[int, int]:
    """A child blocked reading a pipe: (pid, write end that ends it when closed)."""
    r, w = os.pipe()
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", "import sys; sys.stdin.buffer.read()"], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, r, 0), (os.POSIX_SPAWN_CLOSE, w)])  # fmt: skip
    os.close(r)
    return pid, w


def test_process_exit_of_a_spawned_child(queue: EventQueue[str]) -> None:
    """Readable once the child exits, and not before; it neither waits for nor reaps the child."""
    pid, w = spawn_waiting_child()
    try:
        with ProcessExit(pid) as exit_source:
            assert exit_source.pid == pid and not exit_source.exited()
            queue.register(exit_source, READ, "exit")
            assert queue.wait(0) == []
            os.close(w)
            w = -1
            assert [e.data for e in wait_for(queue, bool)] == ["exit"]
            assert exit_source.exited()
            assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # exited, not reaped
            queue.unregister(exit_source)
    finally:
        if w >= 0:
            os.close(w)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_process_exit_of_a_forked_child_that_already_exited() -> None:
    """A child that exited but is not reaped makes the source readable at once."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(7)
    try:
        until(lambda: psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, "the child exited")
        with ProcessExit(pid) as exit_source, EventQueue() as q:
            q.register(exit_source, READ)
            assert len(q.wait(BOUND)) == 1 and exit_source.exited()
            q.unregister(exit_source)
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 7


def test_process_exit_refuses_missing_processes() -> None:
    """A pid no process has is ProcessLookupError; a non-positive one ValueError."""
    limit = Path("/proc/sys/kernel/pid_max")
    beyond = int(limit.read_text()) + 1 if limit.exists() else 100_000  # macOS: PID_MAX is 99999
    with pytest.raises(ProcessLookupError):
        ProcessExit(beyond)
    for bad in (0, -1):
        with pytest.raises(ValueError):
            ProcessExit(bad)


# -- sources in selectors and asyncio --------------------------------------------------
def test_sources_in_selectors(tmp_path: Path) -> None:
    """UserEvent, Timer and FileWatch register with selectors.DefaultSelector and show up when ready."""
    with UserEvent() as ev, Timer(0.001) as timer, FileWatch(tmp_path) as watch, selectors.DefaultSelector() as sel:
        sel.register(ev, selectors.EVENT_READ, "user")
        sel.register(timer, selectors.EVENT_READ, "timer")
        sel.register(watch, selectors.EVENT_READ, "watch")
        ev.trigger()
        (tmp_path / "new").write_bytes(b"")
        seen: set[str] = set()
        deadline = time.monotonic() + BOUND
        while seen != {"user", "timer", "watch"}:
            assert time.monotonic() < deadline
            seen |= {key.data for key, _ in sel.select(deadline - time.monotonic())}
        for source in (ev, timer, watch):
            sel.unregister(source)
        assert ev.read() and timer.read() == 1 and watch.read()


def test_sources_in_asyncio_add_reader() -> None:
    """loop.add_reader on a source's fileno() calls back when it becomes readable."""

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        got: list[str] = []
        done = asyncio.Event()
        with UserEvent() as ev, Timer(0.001) as timer:

            def on(name: str, source: UserEvent | Timer) -> None:
                source.read()
                loop.remove_reader(source.fileno())
                got.append(name)
                if len(got) == 2:
                    done.set()

            loop.add_reader(ev.fileno(), on, "user", ev)
            loop.add_reader(timer.fileno(), on, "timer", timer)
            loop.call_soon(ev.trigger)
            await asyncio.wait_for(done.wait(), BOUND)
        return sorted(got)

    assert asyncio.run(main()) == ["timer", "user"]


def test_closed_sources_refuse_everything(tmp_path: Path) -> None:
    """After close every source method raises ClosedResourceError; close is idempotent."""
    sources: list[Any] = [UserEvent(), Timer(100), SignalSource([signal.SIGUSR1]), FileWatch(tmp_path), ProcessExit(os.getpid())]
    for s in sources:
        s.close()
        s.close()
        assert s.closed
        with pytest.raises(ClosedResourceError):
            s.fileno()
    calls = [sources[0].trigger, sources[0].read, sources[1].read, sources[1].cancel, lambda: sources[1].set(1),
             sources[2].read, sources[3].read, lambda: sources[3].add(tmp_path), sources[4].exited]  # fmt: skip
    for call in calls:
        with pytest.raises(ClosedResourceError):
            call()


def test_signal_info_and_watch_event_are_values() -> None:
    """The sources' reports are frozen, comparable values."""
    assert SignalInfo(10) == SignalInfo(10, 1, None)
    assert WatchEvent("p", "n", Change.CREATE) == WatchEvent("p", "n", Change.CREATE, None, 0)
    assert hash(SignalInfo(10, 2)) == hash(SignalInfo(10, 2))


def test_eventqueue_and_selectors_agree_on_many_descriptors() -> None:
    """1,000 registered pipes, 10 ready: both find the same 10 (the speed itself is bench/run.py's)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2200 and (hard != resource.RLIM_INFINITY and hard < 2200):
        pytest.skip("needs 2,200 descriptors")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2200), hard))
    pipes = [os.pipe() for _ in range(1000)]
    try:
        with EventQueue[int]() as q, selectors.DefaultSelector() as sel:
            for i, (r, _) in enumerate(pipes):
                q.register(r, READ, i)
                sel.register(r, selectors.EVENT_READ, i)
            for _, w in pipes[::100]:
                os.write(w, b"x")
            want = sorted(key.data for key, _ in sel.select(0))
            assert sorted(e.data for e in q.wait(0)) == want == list(range(0, 1000, 100))
    finally:
        for r, w in pipes:
            os.close(r)
            os.close(w)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
