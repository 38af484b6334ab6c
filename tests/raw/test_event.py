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
