"""Bindings of the event area: readiness calls: select, and kqueue/kevent (macOS).

``kqueue`` and ``kevent`` exist on macOS only; on Linux they raise
:class:`~macres.UnsupportedOperation` naming epoll, the Linux counterpart.
:func:`epoll_create1`, :func:`epoll_ctl` and :func:`epoll_wait` are Linux
helpers outside Go's table (they raise ``UnsupportedOperation`` on macOS),
so that Linux code has the readiness queue kqueue gives macOS.
Both ``select`` and ``kevent`` retry EINTR as PEP 475 does, with the
timeout recomputed so that the total wait is never longer than asked.
"""

from __future__ import annotations

import ctypes
import errno
import math
import time
from collections.abc import Sequence
from ctypes import byref, c_int, c_void_p
from operator import index

from . import _args
from ._errcheck import check_int, raise_errno
from ._libc import function, unsupported
from ._platform import abi
from ._types import Kevent

__all__ = ["Kevent", "epoll_create1", "epoll_ctl", "epoll_wait", "kevent", "kqueue", "select"]

_EINTR = errno.EINTR
_select = function("select", c_int, (c_int, c_void_p, c_void_p, c_void_p, c_void_p), None)
_kqueue = function("kqueue", c_int, (), check_int)
_kevent = function("kevent", c_int, (c_int, c_void_p, c_int, c_void_p, c_int, c_void_p), None)
#: ``struct kevent`` where the platform has it (macOS), else None.
_CKEVENT = abi.STRUCTS.get("kevent")
_epoll_create1 = function("epoll_create1", c_int, (c_int,), check_int)
_epoll_ctl = function("epoll_ctl", c_int, (c_int, c_int, c_int, c_void_p), check_int)
_epoll_wait = function("epoll_wait", c_int, (c_int, c_void_p, c_int, c_int), None)
#: ``struct epoll_event`` where the platform has it (Linux), else None.
_CEPOLL_EVENT = abi.STRUCTS.get("epoll_event")


def _timeout(timeout: float | None) -> float | None:
    """Check a timeout in seconds: None waits forever; negative or NaN -> ValueError."""
    if timeout is None:
        return None
    t = float(timeout)
    if math.isnan(t):
        raise ValueError("timeout must not be NaN")
    if t < 0:
        raise ValueError(f"timeout must not be negative, got {t}")
    _args.c_long(int(t), "timeout")  # OverflowError for what a time_t cannot hold
    return t


def _split(seconds: float, scale: int) -> tuple[int, int]:
    """(whole seconds, fraction in 1/scale units) of a non-negative time."""
    sec = int(seconds)
    frac = round((seconds - sec) * scale)
    if frac >= scale:
        sec, frac = sec + 1, frac - scale
    return sec, frac


def _fds(fds: Sequence[int], what: str) -> list[int]:
    """Descriptors for an ``fd_set``: each must satisfy 0 <= fd < FD_SETSIZE."""
    out = []
    for fd in fds:
        v = index(fd)
        if not 0 <= v < abi.FD_SETSIZE:
            raise ValueError(f"{what} descriptor {v} is outside 0..{abi.FD_SETSIZE - 1}, what an fd_set can hold")
        out.append(v)
    return out


def _fd_set(fds: list[int]) -> ctypes.Structure | None:
    """Build an ``fd_set`` with *fds* set (None for an empty list: C's NULL).

    Both supported platforms are little-endian, so descriptor *n* is bit
    ``n % 8`` of byte ``n // 8`` whatever the width of ``fds_bits``' words.
    """
    if not fds:
        return None
    fdset = abi.CFdSet()
    raw = (ctypes.c_uint8 * ctypes.sizeof(fdset)).from_buffer(fdset)
    for fd in fds:
        raw[fd >> 3] |= 1 << (fd & 7)
    return fdset


def _is_set(fdset: ctypes.Structure | None, fd: int) -> bool:
    if fdset is None:
        return False
    raw = (ctypes.c_uint8 * ctypes.sizeof(fdset)).from_buffer(fdset)
    return bool(raw[fd >> 3] & (1 << (fd & 7)))


def select(
    nfds: int,
    rlist: Sequence[int],
    wlist: Sequence[int],
    xlist: Sequence[int],
    timeout: float | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """``select(nfds, readfds, writefds, errorfds, timeout)``: wait until descriptors are ready.

    Only descriptors below *nfds* are examined, as in C.  Returns the
    descriptors of each list that are ready (in the lists' order); three
    empty lists when *timeout* (seconds; None waits forever) expired.

    Every descriptor is checked before an ``fd_set`` is built: one that is
    negative or not below ``FD_SETSIZE`` raises ``ValueError`` (C would
    write past the set), and so does an *nfds* above ``FD_SETSIZE``.

    Raises:
        OSError: EBADF (a descriptor is not open), EINVAL.
        ValueError: a descriptor or *nfds* an ``fd_set`` cannot hold; a
        negative or NaN timeout.  OverflowError: *nfds* or *timeout* out of range.
        TypeError: a descriptor that is not an integer.
    """
    n = _args.c_int(nfds, "nfds")
    if n > abi.FD_SETSIZE:
        raise ValueError(f"nfds {n} is larger than FD_SETSIZE ({abi.FD_SETSIZE})")
    r, w, x = _fds(rlist, "read"), _fds(wlist, "write"), _fds(xlist, "error")
    t = _timeout(timeout)
    deadline = None if t is None else time.monotonic() + t
    while True:
        rset, wset, xset = _fd_set(r), _fd_set(w), _fd_set(x)
        tv = None
        if deadline is not None:
            sec, usec = _split(max(0.0, deadline - time.monotonic()), 1_000_000)
            tv = abi.CTimeval(tv_sec=sec, tv_usec=usec)
        result = _select(
            n,
            None if rset is None else byref(rset),
            None if wset is None else byref(wset),
            None if xset is None else byref(xset),
            None if tv is None else byref(tv),
        )
        if result != -1:
            break
        err = ctypes.get_errno()
        if err != _EINTR:
            raise_errno(err)
    if result == 0:
        return [], [], []
    return (
        [fd for fd in r if _is_set(rset, fd)],
        [fd for fd in w if _is_set(wset, fd)],
        [fd for fd in x if _is_set(xset, fd)],
    )


def kqueue() -> int:
    """``kqueue()``: create a kernel event queue; return its descriptor (macOS).

    Raises:
        UnsupportedOperation: on Linux (its counterpart is ``epoll_create1``).
        OSError: EMFILE, ENFILE, ENOMEM.
    """
    return _kqueue()  # type: ignore[no-any-return]


def _bounded(value: int, lo: int, hi: int, what: str) -> int:
    v = index(value)
    if not lo <= v <= hi:
        raise OverflowError(f"{what} {v} is outside {lo}..{hi}")
    return v


def kevent(kq: int, changes: Sequence[Kevent], nevents: int, timeout: float | None = None) -> list[Kevent]:
    """``kevent(kq, changelist, nchanges, eventlist, nevents, timeout)``: change and wait for events (macOS).

    Applies *changes* to the queue *kq*, then waits up to *timeout*
    seconds (None: forever; 0: poll) for at most *nevents* events and
    returns them.  After EINTR the call is retried with no changes (they
    were applied before the wait) and the remaining timeout.

    Raises:
        UnsupportedOperation: on Linux (its counterpart is ``epoll_ctl`` + ``epoll_wait``).
        OSError: EBADF, EINVAL, ENOENT (deleting an unknown event), ...
        ValueError: negative *nevents*, negative or NaN timeout.
        OverflowError: a field out of the range of its C type.
    """
    if _CKEVENT is None:
        raise unsupported("kevent")
    fd = _args.c_int(kq, "kq")
    count = _args.c_int(_args.size(nevents, "nevents"), "nevents")
    nchanges = _args.c_int(len(changes), "number of changes")
    clist = (_CKEVENT * max(nchanges, 1))()
    for i, ev in enumerate(changes):
        c = clist[i]
        c.ident = _args.c_ulong(ev.ident, "ident")
        c.filter = _bounded(ev.filter, -(1 << 15), (1 << 15) - 1, "filter")
        c.flags = _bounded(ev.flags, 0, (1 << 16) - 1, "flags")
        c.fflags = _args.c_uint(ev.fflags, "fflags")
        c.data = _args.c_long(ev.data, "data")
        c.udata = _args.c_ulong(ev.udata, "udata")
    elist = (_CKEVENT * max(count, 1))()
    t = _timeout(timeout)
    deadline = None if t is None else time.monotonic() + t
    while True:
        ts = None
        if deadline is not None:
            sec, nsec = _split(max(0.0, deadline - time.monotonic()), 1_000_000_000)
            ts = abi.CTimespec(tv_sec=sec, tv_nsec=nsec)
        got: int = _kevent(fd, clist, nchanges, elist, count, None if ts is None else byref(ts))
        if got != -1:
            break
        err = ctypes.get_errno()
        if err != _EINTR:
            raise_errno(err)
        nchanges = 0
    return [
        Kevent(
            ident=e.ident,
            filter=e.filter,
            flags=e.flags,
            fflags=e.fflags,
            data=e.data,
            udata=e.udata or 0,
        )
        for e in elist[:got]
    ]


def epoll_create1(flags: int = 0) -> int:
    """``epoll_create1(flags)``: create an epoll instance; return its descriptor (Linux).

    A helper outside Go's table: the Linux counterpart of :func:`kqueue`.
    *flags* is 0 or ``EPOLL_CLOEXEC`` (the value of ``O_CLOEXEC``).

    Raises:
        UnsupportedOperation: on macOS (use :func:`kqueue`).
        OSError: EINVAL (unknown flag), EMFILE, ENFILE, ENOMEM.
        OverflowError: *flags* out of range.
    """
    return _epoll_create1(_args.c_int(flags, "flags"))  # type: ignore[no-any-return]


def epoll_ctl(epfd: int, op: int, fd: int, events: int = 0, data: int = 0) -> None:
    """``epoll_ctl(epfd, op, fd, event)``: add, change or remove *fd* in the epoll instance (Linux).

    A helper outside Go's table.  *op* is ``EPOLL_CTL_ADD``/``MOD``/``DEL``
    and *events* ``EPOLLIN``, ``EPOLLOUT``, ... bits (``select.EPOLL*``
    hold the values: the ABI tables list none); *data* is the 64-bit value
    :func:`epoll_wait` hands back for *fd* (often *fd* itself).

    Raises:
        UnsupportedOperation: on macOS (use :func:`kevent`).
        OSError: EBADF, EEXIST (already added), ENOENT (not added), EPERM (fd does not support epoll).
        OverflowError: a number out of the range of its C type.
    """
    if _CEPOLL_EVENT is None:
        raise unsupported("epoll_ctl")
    event = _CEPOLL_EVENT()
    event.events = _args.c_uint(events, "events")
    event.data = _args.c_ulong(data, "data")
    _epoll_ctl(_args.c_int(epfd, "epfd"), _args.c_int(op, "op"), _args.c_int(fd, "fd"), byref(event))


def epoll_wait(epfd: int, maxevents: int, timeout: float | None = None) -> list[tuple[int, int]]:
    """``epoll_wait(epfd, events, maxevents, timeout)``: wait for ready descriptors (Linux).

    A helper outside Go's table.  Waits up to *timeout* seconds (None:
    forever; 0: poll; rounded up to whole milliseconds) and returns at most
    *maxevents* ``(events, data)`` pairs.  EINTR is retried with the
    remaining timeout (PEP 475).

    Raises:
        UnsupportedOperation: on macOS (use :func:`kevent`).
        OSError: EBADF, EINVAL (not an epoll descriptor).
        ValueError: *maxevents* below 1; a negative or NaN timeout.
        OverflowError: a number out of range.
    """
    if _CEPOLL_EVENT is None:
        raise unsupported("epoll_wait")
    fd = _args.c_int(epfd, "epfd")
    count = _args.c_int(maxevents, "maxevents")
    if count < 1:
        raise ValueError(f"maxevents must be at least 1, got {count}")
    t = _timeout(timeout)
    deadline = None if t is None else time.monotonic() + t
    events = (_CEPOLL_EVENT * count)()
    while True:
        ms = -1
        if deadline is not None:
            ms = min(math.ceil(max(0.0, deadline - time.monotonic()) * 1000), _args.INT_MAX)
        got: int = _epoll_wait(fd, events, count, ms)
        if got != -1:
            break
        err = ctypes.get_errno()
        if err != _EINTR:
            raise_errno(err)
    return [(e.events, e.data) for e in events[:got]]
