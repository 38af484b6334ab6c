"""Tests for the event area of macres.raw: select against select.select, kqueue/kevent stubs on Linux."""

from __future__ import annotations

import ctypes
import errno
import math
import os
import select as select_mod
import signal
import socket
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
from macres import raw
from macres.raw import _darwin, _event

FD_SETSIZE = raw.ABI.FD_SETSIZE


@pytest.fixture
def pipes() -> Iterator[list[tuple[int, int]]]:
    """Four pipes, closed after the test."""
    made = [os.pipe() for _ in range(4)]
    try:
        yield made
    finally:
        for r, w in made:
            os.close(r)
            os.close(w)


def test_select_pipe_readiness(pipes: list[tuple[int, int]]) -> None:
    """A write end is writable at once; a read end is readable only after a write."""
    r, w = pipes[0]
    n = max(r, w) + 1
    assert raw.select(n, [r], [w], [], 0) == ([], [w], [])
    assert raw.select(n, [r], [], [], 0) == ([], [], [])
    os.write(w, b"x")
    assert raw.select(n, [r], [w], [], None) == ([r], [w], [])
    assert raw.select(n, [r], [w], [r, w], 0.5) == ([r], [w], [])


@given(data=st.data())
def test_select_agrees_with_select_select(pipes: list[tuple[int, int]], data: st.DataObject) -> None:
    """For any lists of pipe ends, some with data waiting, raw.select returns what select.select returns."""
    ends = [fd for pair in pipes for fd in pair]
    readers = [r for r, _ in pipes]
    for r in readers:  # drain what earlier examples left
        while select_mod.select([r], [], [], 0)[0]:
            os.read(r, 4096)
    for r, w in pipes:
        if data.draw(st.booleans(), label=f"write to pipe {r}"):
            os.write(w, b"x")
    rl = data.draw(st.lists(st.sampled_from(ends), unique=True), label="rlist")
    wl = data.draw(st.lists(st.sampled_from(ends), unique=True), label="wlist")
    xl = data.draw(st.lists(st.sampled_from(ends), unique=True), label="xlist")
    want = select_mod.select(rl, wl, xl, 0)
    got = raw.select(max(ends) + 1, rl, wl, xl, 0)
    assert [sorted(x) for x in got] == [sorted(x) for x in want]


def test_select_only_looks_below_nfds(pipes: list[tuple[int, int]]) -> None:
    """Descriptors at or above nfds are not examined, as in C."""
    r, w = pipes[0]
    os.write(w, b"x")
    assert raw.select(r, [r], [], [], 0) == ([], [], [])
    assert raw.select(r + 1, [r], [], [], 0) == ([r], [], [])


def test_select_exceptional_condition_is_tcp_urgent_data() -> None:
    """Out-of-band TCP data makes the receiving socket show up in the error list, as with select.select."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname()) as client:
            conn, _ = server.accept()
            with conn:
                fd = conn.fileno()
                assert raw.select(fd + 1, [], [], [fd], 0) == ([], [], [])
                client.send(b"!", socket.MSG_OOB)
                got = raw.select(fd + 1, [], [], [fd], None)
                assert got == ([], [], [fd])
                assert select_mod.select([], [], [fd], 0)[2] == [fd]


def test_select_timeout_expires_with_empty_lists(pipes: list[tuple[int, int]]) -> None:
    """With nothing ready, a small timeout returns three empty lists; nfds 0 just sleeps."""
    r, _ = pipes[0]
    assert raw.select(r + 1, [r], [], [], 0.01) == ([], [], [])
    assert raw.select(0, [], [], [], 0.001) == ([], [], [])


def test_select_closed_descriptor_is_ebadf(pipes: list[tuple[int, int]]) -> None:
    """A descriptor that is not open raises OSError(EBADF)."""
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info:
        raw.select(r + 1, [r], [], [], 0)
    assert info.value.errno == errno.EBADF


def _with_alarm(handler: signal.Handlers | object) -> signal.Handlers | object:
    old = signal.signal(signal.SIGALRM, handler)  # type: ignore[arg-type]
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    return old


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_select_retries_after_a_signal(pipes: list[tuple[int, int]]) -> None:
    """A signal interrupts the wait, its handler runs, and select goes on waiting (PEP 475)."""
    r, w = pipes[0]
    ran: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        ran.append(signum)
        os.write(w, b"x")  # the only thing that ends the wait

    old = _with_alarm(handler)
    try:
        got = raw.select(r + 1, [r], [], [], None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)  # type: ignore[arg-type]
    assert ran == [signal.SIGALRM]
    assert got == ([r], [], [])


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_select_propagates_a_handler_exception(pipes: list[tuple[int, int]]) -> None:
    """An exception raised by a signal handler during the wait propagates out of select."""
    r, _ = pipes[0]

    class Interrupted(Exception):
        """Raised by the test's handler."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted

    old = _with_alarm(handler)
    try:
        with pytest.raises(Interrupted):
            raw.select(r + 1, [r], [], [], None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)  # type: ignore[arg-type]


# --- bad input -------------------------------------------------------------


@given(fd=st.one_of(st.integers(max_value=-1), st.integers(min_value=FD_SETSIZE)), which=st.integers(0, 2))
def test_select_refuses_descriptors_outside_fd_set(fd: int, which: int) -> None:
    """A negative descriptor or one >= FD_SETSIZE raises ValueError in any of the three lists."""
    lists: list[list[int]] = [[], [], []]
    lists[which].append(fd)
    with pytest.raises(ValueError):
        raw.select(FD_SETSIZE, lists[0], lists[1], lists[2], 0)


@given(nfds=st.integers(FD_SETSIZE + 1, (1 << 31) - 1))
def test_select_refuses_nfds_above_fd_setsize(nfds: int) -> None:
    """nfds above FD_SETSIZE would make the kernel read past the sets: ValueError."""
    with pytest.raises(ValueError):
        raw.select(nfds, [], [], [], 0)


@given(nfds=st.one_of(st.integers(max_value=-(1 << 31) - 1), st.integers(min_value=1 << 31)))
def test_select_nfds_out_of_int_range_overflows(nfds: int) -> None:
    """An nfds that does not fit a C int raises OverflowError."""
    with pytest.raises(OverflowError):
        raw.select(nfds, [], [], [], 0)


def test_select_negative_nfds_is_einval() -> None:
    """A negative nfds reaches the kernel, which refuses it with EINVAL."""
    with pytest.raises(OSError) as info:
        raw.select(-1, [], [], [], 0)
    assert info.value.errno == errno.EINVAL


@given(timeout=st.one_of(st.floats(max_value=-1e-9), st.just(math.nan), st.just(-math.inf)))
def test_select_refuses_negative_or_nan_timeouts(timeout: float) -> None:
    """A negative or NaN timeout raises ValueError."""
    with pytest.raises(ValueError):
        raw.select(0, [], [], [], timeout)


@given(timeout=st.one_of(st.just(math.inf), st.floats(min_value=2.0**63, allow_infinity=False)))
def test_select_huge_timeouts_overflow(timeout: float) -> None:
    """A timeout beyond what time_t holds raises OverflowError."""
    with pytest.raises(OverflowError):
        raw.select(0, [], [], [], timeout)


@given(bad=st.one_of(st.floats(), st.text(max_size=2), st.none()))
def test_select_non_integer_descriptor_is_type_error(bad: object) -> None:
    """A descriptor that is not an integer raises TypeError."""
    with pytest.raises(TypeError):
        raw.select(1, [bad], [], [], 0)  # type: ignore[list-item]


# --- kqueue / kevent -------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="kqueue exists on macOS")
def test_kqueue_and_kevent_are_unsupported_on_linux() -> None:
    """kqueue and kevent raise UnsupportedOperation (ENOSYS) naming epoll."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.kqueue()
    assert info.value.errno == errno.ENOSYS
    assert info.value.counterpart == "epoll_create1"
    with pytest.raises(macres.UnsupportedOperation) as info2:
        raw.kevent(0, [raw.Kevent(ident=0, filter=-1)], 1, 0)
    assert info2.value.counterpart == "epoll_ctl+epoll_wait"
    assert "epoll_ctl+epoll_wait" in str(info2.value)
    assert not raw.available("kqueue") and not raw.available("kevent")


def test_kevent_value_is_frozen() -> None:
    """Kevent is an immutable value with zero defaults, comparable by value."""
    ev = raw.Kevent(ident=3, filter=-1)
    assert (ev.flags, ev.fflags, ev.data, ev.udata) == (0, 0, 0, 0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ev.ident = 4  # type: ignore[misc]
    assert ev == raw.Kevent(3, -1, 0, 0, 0, 0)


class FakeKevent:
    """Stands in for libc's kevent: records what it is handed and fills events in."""

    def __init__(self, events: list[tuple[int, int, int, int, int, int]], interrupt_first: bool) -> None:
        self.events = events
        self.interrupt = interrupt_first
        self.changes: list[list[tuple[int, int, int, int, int, int]]] = []
        self.timeouts: list[tuple[int, int] | None] = []

    def __call__(self, kq: int, clist: Any, nchanges: int, elist: Any, nevents: int, timeout: Any) -> int:
        """Record one call; the first one fails with EINTR when asked to."""
        self.changes.append(
            [(c.ident, c.filter, c.flags, c.fflags, c.data, c.udata or 0) for c in list(clist)[:nchanges]]
        )
        self.timeouts.append(None if timeout is None else (timeout._obj.tv_sec, timeout._obj.tv_nsec))
        if self.interrupt:
            self.interrupt = False
            ctypes.set_errno(errno.EINTR)
            return -1
        for slot, ev in zip(elist, self.events[:nevents], strict=False):  # elist has room for nevents
            slot.ident, slot.filter, slot.flags, slot.fflags, slot.data, slot.udata = ev
        return min(len(self.events), nevents)


@pytest.fixture
def fake_kevent(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeKevent]:
    """raw.kevent wired to darwin's struct kevent and a fake C function, so its marshalling runs anywhere."""
    fake = FakeKevent([(9, -2, 0x4000, 5, 1 << 40, 0xDEADBEEF), (10, -1, 0, 0, -3, 0)], interrupt_first=True)
    monkeypatch.setattr(_event, "_CKEVENT", _darwin.CKevent)
    monkeypatch.setattr(_event, "_kevent", fake)
    yield fake


def test_kevent_marshals_changes_and_events(fake_kevent: FakeKevent) -> None:
    """Changes reach C field by field; events come back as Kevent values; EINTR retries without the changes."""
    change = raw.Kevent(ident=3, filter=-1, flags=0x1 | 0x10, fflags=7, data=-4, udata=(1 << 64) - 1)
    got = raw.kevent(5, [change], 8, None)
    assert got == [raw.Kevent(9, -2, 0x4000, 5, 1 << 40, 0xDEADBEEF), raw.Kevent(10, -1, 0, 0, -3, 0)]
    assert fake_kevent.changes == [[(3, -1, 0x11, 7, -4, (1 << 64) - 1)], []]
    assert fake_kevent.timeouts == [None, None]


def test_kevent_timeout_becomes_a_timespec(fake_kevent: FakeKevent) -> None:
    """A timeout in seconds is handed to C as a timespec no longer than asked; nevents caps the events."""
    got = raw.kevent(5, [], 1, 2.5)
    assert got == [raw.Kevent(9, -2, 0x4000, 5, 1 << 40, 0xDEADBEEF)]
    for timeout in fake_kevent.timeouts:
        assert timeout is not None
        sec, nsec = timeout
        assert 0 <= sec * 10**9 + nsec <= 2_500_000_000 and 0 <= nsec < 10**9


@given(
    field=st.sampled_from(["ident", "filter", "flags", "fflags", "data", "udata"]),
    value=st.one_of(st.integers(max_value=-(1 << 63) - 1), st.integers(min_value=1 << 64)),
)
def test_kevent_field_out_of_range_overflows(field: str, value: int) -> None:
    """A Kevent field outside its C type raises OverflowError before the call (also beyond 16-bit filter/flags)."""
    with pytest.MonkeyPatch.context() as mp:
        fake = FakeKevent([], interrupt_first=False)
        mp.setattr(_event, "_CKEVENT", _darwin.CKevent)
        mp.setattr(_event, "_kevent", fake)
        with pytest.raises(OverflowError):
            raw.kevent(5, [attrs.evolve(raw.Kevent(0, 0), **{field: value})], 1, 0)
        with pytest.raises(OverflowError):
            raw.kevent(5, [raw.Kevent(0, 1 << 15)], 1, 0)
        with pytest.raises(OverflowError):
            raw.kevent(5, [raw.Kevent(0, 0, flags=1 << 16)], 1, 0)
        with pytest.raises(ValueError):
            raw.kevent(5, [], -1, 0)
        assert fake.changes == []


# --- epoll helpers (Linux) -------------------------------------------------

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="epoll is Linux's")


@pytest.fixture
def epfd() -> Iterator[int]:
    """An epoll descriptor made by raw.epoll_create1, closed after the test."""
    fd = raw.epoll_create1(select_mod.EPOLL_CLOEXEC)
    try:
        yield fd
    finally:
        os.close(fd)


@linux_only
def test_epoll_create1_flags(epfd: int) -> None:
    """EPOLL_CLOEXEC makes the descriptor non-inheritable; 0 leaves it inheritable; a bad flag is EINVAL."""
    assert not os.get_inheritable(epfd)
    fd = raw.epoll_create1()
    try:
        assert os.get_inheritable(fd)
    finally:
        os.close(fd)
    with pytest.raises(OSError) as info:
        raw.epoll_create1(1)
    assert info.value.errno == errno.EINVAL


@linux_only
def test_epoll_reports_what_select_epoll_reports(epfd: int, pipes: list[tuple[int, int]]) -> None:
    """Registered pipe ends come back with the same event bits select.epoll reports, with their data."""
    oracle = select_mod.epoll()
    try:
        for r, _ in pipes:
            raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, r, select_mod.EPOLLIN, r)
            oracle.register(r, select_mod.EPOLLIN)
        r0, w0 = pipes[0]
        raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, w0, select_mod.EPOLLOUT, (1 << 64) - 1)
        oracle.register(w0, select_mod.EPOLLOUT)
        assert raw.epoll_wait(epfd, 8, 0) == [(select_mod.EPOLLOUT, (1 << 64) - 1)]
        os.write(pipes[2][1], b"x")
        got = sorted(raw.epoll_wait(epfd, 8, None))
        want = sorted((ev, fd if fd != w0 else (1 << 64) - 1) for fd, ev in oracle.poll(0))
        assert got == want
        assert len(raw.epoll_wait(epfd, 1, 0)) == 1  # maxevents caps the answer
        raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_MOD, w0, select_mod.EPOLLIN, 7)
        raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_DEL, pipes[2][0])
        assert raw.epoll_wait(epfd, 8, 0.01) == []
    finally:
        oracle.close()


@linux_only
def test_epoll_ctl_errors(epfd: int, pipes: list[tuple[int, int]], tmp_path: Any) -> None:
    """Adding twice is EEXIST, removing what was never added ENOENT, a regular file EPERM."""
    r, _ = pipes[0]
    raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, r, select_mod.EPOLLIN)
    with pytest.raises(FileExistsError):
        raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, r, select_mod.EPOLLIN)
    with pytest.raises(FileNotFoundError):
        raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_DEL, pipes[1][0])
    path = tmp_path / "f"
    path.write_bytes(b"")
    fd = os.open(path, os.O_RDONLY)
    try:
        with pytest.raises(PermissionError):
            raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, fd, select_mod.EPOLLIN)
    finally:
        os.close(fd)
    with pytest.raises(OSError) as info:
        raw.epoll_wait(r, 1, 0)
    assert info.value.errno == errno.EINVAL


@linux_only
@given(
    maxevents=st.integers(max_value=0),
    timeout=st.one_of(st.floats(max_value=-1e-9), st.just(math.nan)),
)
def test_epoll_wait_refuses_bad_counts_and_timeouts(maxevents: int, timeout: float) -> None:
    """maxevents below 1 and negative or NaN timeouts raise ValueError (or OverflowError beyond a C int)."""
    with pytest.raises((ValueError, OverflowError)):
        raw.epoll_wait(0, maxevents, 0)
    with pytest.raises(ValueError):
        raw.epoll_wait(0, 1, timeout)


@linux_only
@given(data=st.one_of(st.integers(max_value=-1), st.integers(min_value=1 << 64)))
def test_epoll_ctl_data_out_of_range_overflows(data: int) -> None:
    """The data word must fit 64 unsigned bits."""
    with pytest.raises(OverflowError):
        raw.epoll_ctl(0, 1, 0, 0, data)


@linux_only
@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_epoll_wait_retries_after_a_signal(epfd: int, pipes: list[tuple[int, int]]) -> None:
    """A signal during epoll_wait runs its handler and the wait goes on (PEP 475)."""
    r, w = pipes[0]
    raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, r, select_mod.EPOLLIN, r)

    def handler(signum: int, frame: FrameType | None) -> None:
        os.write(w, b"x")

    old = _with_alarm(handler)
    try:
        got = raw.epoll_wait(epfd, 4, None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)  # type: ignore[arg-type]
    assert got == [(select_mod.EPOLLIN, r)]


# --- the event sources' Linux helpers --------------------------------------------------
def _u64(data: bytes) -> int:
    return int.from_bytes(data, sys.byteorder)


@pytest.fixture
def closing() -> Iterator[list[int]]:
    """Descriptors the test opens, closed after it."""
    fds: list[int] = []
    try:
        yield fds
    finally:
        for fd in fds:
            os.close(fd)


@linux_only
def test_eventfd_counts_and_semaphores(closing: list[int]) -> None:
    """The counter adds writes and a read returns and resets it; EFD_SEMAPHORE reads 1 at a time; flags hold."""
    fd = raw.eventfd(2, raw.ABI.EFD_CLOEXEC | raw.ABI.EFD_NONBLOCK)
    closing.append(fd)
    assert not os.get_inheritable(fd) and not os.get_blocking(fd)
    os.write(fd, (5).to_bytes(8, sys.byteorder))
    assert _u64(os.read(fd, 8)) == 7
    with pytest.raises(BlockingIOError):
        os.read(fd, 8)
    sem = raw.eventfd(2, raw.ABI.EFD_SEMAPHORE)
    closing.append(sem)
    assert os.get_inheritable(sem) and [_u64(os.read(sem, 8)) for _ in range(2)] == [1, 1]
    with pytest.raises(OSError) as info:
        raw.eventfd(0, 1 << 20)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(OverflowError):
        raw.eventfd(1 << 32, 0)


@linux_only
def test_timerfd_settime_and_gettime(closing: list[int]) -> None:
    """A timer set far away reads back (interval, remaining); settime returns the old setting; disarm is zeros."""
    fd = raw.timerfd_create(raw.ABI.CLOCK_MONOTONIC, raw.ABI.TFD_CLOEXEC | raw.ABI.TFD_NONBLOCK)
    closing.append(fd)
    assert not os.get_inheritable(fd)
    zero = raw.Timespec(0, 0)
    assert raw.timerfd_gettime(fd) == (zero, zero)
    assert raw.timerfd_settime(fd, 0, raw.Timespec(7, 5), raw.Timespec(100, 0)) == (zero, zero)
    interval, value = raw.timerfd_gettime(fd)
    assert interval == raw.Timespec(7, 5) and 99 * 10**9 < value.ns <= 100 * 10**9
    old_interval, old_value = raw.timerfd_settime(fd, 0, zero, zero)
    assert old_interval == raw.Timespec(7, 5) and 0 < old_value.ns <= 100 * 10**9
    assert raw.timerfd_gettime(fd) == (zero, zero)
    with pytest.raises(BlockingIOError):
        os.read(fd, 8)


@linux_only
def test_timerfd_expires_and_counts(closing: list[int]) -> None:
    """An absolute expiry in the past fires at once: one expiration to read (TFD_TIMER_ABSTIME)."""
    fd = raw.timerfd_create(raw.ABI.CLOCK_MONOTONIC)
    closing.append(fd)
    raw.timerfd_settime(fd, raw.ABI.TFD_TIMER_ABSTIME, raw.Timespec(0, 0), raw.Timespec(0, 1))
    assert _u64(os.read(fd, 8)) == 1  # blocking descriptor: returns once expired


@linux_only
def test_timerfd_errors(closing: list[int]) -> None:
    """Unknown clock, tv_nsec beyond a second, a descriptor that is no timer: EINVAL; fields beyond a long overflow."""
    fd = raw.timerfd_create(raw.ABI.CLOCK_MONOTONIC)
    closing.append(fd)
    other = raw.eventfd()
    closing.append(other)
    for call in (
        lambda: raw.timerfd_create(12345),
        lambda: raw.timerfd_settime(fd, 0, raw.Timespec(0, 0), raw.Timespec(0, 10**9)),
        lambda: raw.timerfd_gettime(other),
    ):
        with pytest.raises(OSError) as info:
            call()
        assert info.value.errno == errno.EINVAL
    with pytest.raises(OverflowError):
        raw.timerfd_settime(fd, 0, raw.Timespec(1 << 63, 0), raw.Timespec(0, 0))


@linux_only
@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_signalfd_reads_a_blocked_signal(closing: list[int]) -> None:
    """A signal blocked and sent to this thread is read from the signalfd with its sender; the mask can change."""
    import threading

    old = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    try:
        fd = raw.signalfd(-1, [signal.SIGUSR1], raw.ABI.SFD_CLOEXEC | raw.ABI.SFD_NONBLOCK)
        closing.append(fd)
        with pytest.raises(BlockingIOError):
            os.read(fd, 128)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
        [info] = raw.signalfd_siginfos(os.read(fd, 1024))
        assert (info.ssi_signo, info.ssi_pid, info.ssi_uid) == (signal.SIGUSR1, os.getpid(), os.getuid())
        assert raw.signalfd(fd, [signal.SIGUSR2], 0) == fd  # a new mask for the same descriptor
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@linux_only
def test_signalfd_refuses_bad_signals_and_records() -> None:
    """Signals outside 1..64 are ValueError before any call; a record cut short is ValueError."""
    for bad in (0, 65, -1):
        with pytest.raises(ValueError):
            raw.signalfd(-1, [bad])
    with pytest.raises(ValueError):
        raw.signalfd_siginfos(bytes(127))
    assert raw.signalfd_siginfos(b"") == []


@linux_only
def test_inotify_watches_and_decodes(tmp_path: Any, closing: list[int]) -> None:
    """A watch reports a created name; rm_watch yields IN_IGNORED; a missing path is ENOENT naming it."""
    fd = raw.inotify_init1(raw.ABI.IN_CLOEXEC | raw.ABI.IN_NONBLOCK)
    closing.append(fd)
    wd = raw.inotify_add_watch(fd, tmp_path, raw.ABI.IN_CREATE)
    assert raw.inotify_add_watch(fd, os.fsencode(tmp_path), raw.ABI.IN_CREATE) == wd  # the same watch
    (tmp_path / "new").write_bytes(b"")
    assert raw.inotify_events(os.read(fd, 4096)) == [raw.InotifyEvent(wd, raw.ABI.IN_CREATE, 0, b"new")]
    raw.inotify_rm_watch(fd, wd)
    [ignored] = raw.inotify_events(os.read(fd, 4096))
    assert (ignored.wd, ignored.mask, ignored.name) == (wd, raw.ABI.IN_IGNORED, b"")
    with pytest.raises(FileNotFoundError) as info:
        raw.inotify_add_watch(fd, tmp_path / "missing", raw.ABI.IN_CREATE)
    assert info.value.filename == str(tmp_path / "missing")
    with pytest.raises(OSError) as einval:
        raw.inotify_rm_watch(fd, wd)
    assert einval.value.errno == errno.EINVAL
    with pytest.raises(ValueError):
        raw.inotify_add_watch(fd, b"a\0b", raw.ABI.IN_CREATE)


def test_inotify_events_refuses_cut_records() -> None:
    """A header or a name cut short is ValueError (decoding needs no kernel: it runs anywhere the struct exists)."""
    if raw.SYSTEM != "linux":
        pytest.skip("struct inotify_event is Linux's")
    header = (7).to_bytes(4, sys.byteorder, signed=True) + (2).to_bytes(4, sys.byteorder) * 2
    assert raw.inotify_events(header + (4).to_bytes(4, sys.byteorder) + b"ab\0\0") == [raw.InotifyEvent(7, 2, 2, b"ab")]
    for cut in (header, header + (8).to_bytes(4, sys.byteorder) + b"ab"):
        with pytest.raises(ValueError):
            raw.inotify_events(cut)


@linux_only
def test_pidfd_open_of_a_child(closing: list[int]) -> None:
    """A child's pidfd is close-on-exec and becomes readable when it exits; no process: ESRCH; bad flags: EINVAL."""
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", "pass"], os.environ)
    try:
        fd = raw.pidfd_open(pid)
        closing.append(fd)
        assert not os.get_inheritable(fd)
        assert select_mod.select([fd], [], [], 10)[0] == [fd]
    finally:
        os.waitpid(pid, 0)
    with pytest.raises(ProcessLookupError):
        raw.pidfd_open(pid)  # reaped
    with pytest.raises(OSError) as info:
        raw.pidfd_open(os.getpid(), 1 << 20)
    assert info.value.errno == errno.EINVAL


def test_linux_helper_constants_are_the_kernels() -> None:
    """EPOLL*, EFD_* agree with CPython's; the darwin module names the same values (only for type-checking)."""
    from macres.raw import _linux

    pairs = [(n, getattr(select_mod, n)) for n in dir(select_mod) if n.startswith("EPOLL") and n.isupper()]
    pairs += [(n, getattr(os, n)) for n in ("EFD_CLOEXEC", "EFD_NONBLOCK", "EFD_SEMAPHORE") if hasattr(os, n)]
    pairs += [(n, getattr(os, n)) for n in dir(os) if n.startswith("TFD_")]
    compared = 0
    for name, value in pairs:
        if hasattr(_linux, name):
            assert getattr(_linux, name) == value, name
            compared += 1
    if sys.platform == "linux":
        assert compared >= 10
    names = [n for n in vars(_linux) if n.startswith(("EPOLL", "EFD_", "TFD_", "SFD_", "IN_", "PIDFD_", "SYS_pidfd"))]
    assert len(names) > 40
    for name in names:
        assert getattr(_darwin, name) == getattr(_linux, name), name


@pytest.mark.parametrize(
    ("name", "counterpart"),
    [("eventfd", "kqueue EVFILT_USER"), ("timerfd_create", "kqueue EVFILT_TIMER"), ("signalfd", "kqueue EVFILT_SIGNAL"),
     ("inotify_init1", "kqueue EVFILT_VNODE"), ("pidfd_open", "kqueue EVFILT_PROC"), ("epoll_create1", "kqueue"),
     ("epoll_wait", "kevent")],
)  # fmt: skip
def test_helpers_name_their_kqueue_counterpart_on_darwin(
    monkeypatch: pytest.MonkeyPatch, name: str, counterpart: str
) -> None:
    """On darwin each Linux helper raises UnsupportedOperation naming the kqueue filter that does its work."""
    from macres.raw import _libc, _table

    monkeypatch.setattr(_table, "SYSTEM", "darwin")
    err = _libc.unsupported(name)
    assert err.errno == errno.ENOSYS and err.counterpart == counterpart and counterpart in str(err)


def test_helpers_without_their_structs_are_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the platform module has no itimerspec, signalfd_siginfo or inotify_event (darwin), the calls refuse."""
    monkeypatch.setattr(_event, "_CITIMERSPEC", None)
    monkeypatch.setattr(_event, "_CSIGINFO", None)
    monkeypatch.setattr(_event, "_CINOTIFY", None)
    monkeypatch.setattr(_event, "SYSTEM", "darwin")
    for call in (
        lambda: raw.timerfd_settime(0, 0, raw.Timespec(0, 0), raw.Timespec(0, 0)),
        lambda: raw.timerfd_gettime(0),
        lambda: raw.signalfd(-1, [1]),
        lambda: raw.signalfd_siginfos(b""),
        lambda: raw.inotify_events(b""),
        lambda: raw.pidfd_open(1),
    ):
        with pytest.raises(macres.UnsupportedOperation):
            call()
