"""Bindings of the event area: readiness calls: select, and kqueue/kevent (macOS).

``kqueue`` and ``kevent`` exist on macOS only; on Linux they raise
:class:`~macres.UnsupportedOperation` naming epoll, the Linux counterpart.
:func:`epoll_create1`, :func:`epoll_ctl` and :func:`epoll_wait` are Linux
helpers outside Go's table (they raise ``UnsupportedOperation`` on macOS),
so that Linux code has the readiness queue kqueue gives macOS.
Both ``select`` and ``kevent`` retry EINTR as PEP 475 does, with the
timeout recomputed so that the total wait is never longer than asked.

The event sources' Linux helpers, also outside Go's table, are here too:
:func:`eventfd`, :func:`timerfd_create`/:func:`timerfd_settime`/
:func:`timerfd_gettime`, :func:`signalfd`, :func:`inotify_init1`/
:func:`inotify_add_watch`/:func:`inotify_rm_watch` and :func:`pidfd_open`
(a system call glibc before 2.36 does not wrap).  On macOS each raises
``UnsupportedOperation`` naming the kqueue filter that does its work
(``EVFILT_USER``, ``EVFILT_TIMER``, ``EVFILT_SIGNAL``, ``EVFILT_VNODE``,
``EVFILT_PROC``).  :func:`inotify_events` and :func:`signalfd_siginfos`
decode what ``read(2)`` returns from those descriptors.
"""

from __future__ import annotations

import ctypes
import errno
import math
import time
from collections.abc import Iterable, Sequence
from ctypes import byref, c_int, c_long, c_uint, c_void_p
from operator import index
from typing import Any

import attrs
from typing_extensions import Buffer

from . import _args
from ._errcheck import check_int, raise_errno
from ._libc import function, unsupported
from ._platform import SYSTEM, abi
from ._types import Kevent, Timespec

__all__ = [
    "InotifyEvent", "Kevent", "SignalfdSiginfo", "epoll_create1", "epoll_ctl", "epoll_wait", "eventfd",
    "inotify_add_watch", "inotify_events", "inotify_init1", "inotify_rm_watch", "kevent", "kqueue",
    "pidfd_open", "select", "signalfd", "signalfd_siginfos", "timerfd_create", "timerfd_gettime",
    "timerfd_settime",
]  # fmt: skip

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


# -- the event sources' Linux helpers ------------------------------------------
_eventfd = function("eventfd", c_int, (c_uint, c_int), check_int)
_timerfd_create = function("timerfd_create", c_int, (c_int, c_int), check_int)
_timerfd_settime = function("timerfd_settime", c_int, (c_int, c_int, c_void_p, c_void_p), check_int)
_timerfd_gettime = function("timerfd_gettime", c_int, (c_int, c_void_p), check_int)
_signalfd = function("signalfd", c_int, (c_int, c_void_p, c_int), check_int)
_inotify_init1 = function("inotify_init1", c_int, (c_int,), check_int)
_inotify_add_watch = function(
    "inotify_add_watch", c_int, (c_int, ctypes.c_char_p, ctypes.c_uint32), lambda plain: check_int(plain, paths=(1,))
)
_inotify_rm_watch = function("inotify_rm_watch", c_int, (c_int, c_int), check_int)
#: ``long syscall(long number, ...)``, for pidfd_open (Linux only: never called elsewhere).
_syscall = function("syscall", c_long, (c_long, c_int, c_uint), check_int)
#: The structs these helpers read and write (Linux), else None.
_CITIMERSPEC: Any = getattr(abi, "CItimerspec", None)
_CSIGINFO: Any = getattr(abi, "CSignalfdSiginfo", None)
_CINOTIFY: Any = getattr(abi, "CInotifyEvent", None)
#: Signal numbers a ``sigset_t`` holds: 1 .. _NSIG - 1 (glibc's _NSIG is 65 on Linux).
_NSIG = 65


def eventfd(initval: int = 0, flags: int = 0) -> int:
    """``eventfd(initval, flags)``: create an event counter descriptor; return it (Linux).

    A helper outside Go's table.  *flags* is ``EFD_CLOEXEC``,
    ``EFD_NONBLOCK`` and ``EFD_SEMAPHORE`` bits.  Reading the descriptor
    returns the 8-byte counter (and resets it); writing 8 bytes adds to it.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_USER`` event).
        OSError: EINVAL (unknown flag), EMFILE, ENFILE, ENOMEM.
        OverflowError: *initval* beyond an unsigned int, *flags* beyond an int.
    """
    return _eventfd(_args.c_uint(initval, "initval"), _args.c_int(flags, "flags"))  # type: ignore[no-any-return]


def timerfd_create(clockid: int, flags: int = 0) -> int:
    """``timerfd_create(clockid, flags)``: create a timer descriptor, disarmed; return it (Linux).

    A helper outside Go's table.  *clockid* is ``CLOCK_MONOTONIC``,
    ``CLOCK_REALTIME``, ``CLOCK_BOOTTIME``, ...; *flags* ``TFD_CLOEXEC`` and
    ``TFD_NONBLOCK`` bits.  Reading it returns the 8-byte count of
    expirations since the last read.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_TIMER`` event).
        OSError: EINVAL (unknown clock or flag), EMFILE, ENFILE, EPERM (an alarm clock without CAP_WAKE_ALARM).
        OverflowError: an argument beyond an int.
    """
    return _timerfd_create(_args.c_int(clockid, "clockid"), _args.c_int(flags, "flags"))  # type: ignore[no-any-return]


def _itimerspec(interval: Timespec, value: Timespec) -> Any:
    spec = _CITIMERSPEC()
    for field, ts in (("it_interval", interval), ("it_value", value)):
        c = getattr(spec, field)
        c.tv_sec = _args.c_long(ts.tv_sec, "tv_sec")
        c.tv_nsec = _args.c_long(ts.tv_nsec, "tv_nsec")
    return spec


def _timespecs(spec: Any) -> tuple[Timespec, Timespec]:
    i, v = spec.it_interval, spec.it_value
    return Timespec(i.tv_sec, i.tv_nsec), Timespec(v.tv_sec, v.tv_nsec)


def timerfd_settime(fd: int, flags: int, interval: Timespec, value: Timespec) -> tuple[Timespec, Timespec]:
    """``timerfd_settime(fd, flags, new, old)``: arm or disarm a timer descriptor (Linux).

    A helper outside Go's table.  *value* is the first expiration (relative,
    or absolute with ``TFD_TIMER_ABSTIME``; zero disarms), *interval* the
    period after it (zero: a one-shot timer).  Returns the previous
    ``(interval, value)`` setting, as :func:`timerfd_gettime` would have.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_TIMER`` event).
        OSError: EBADF, EINVAL (not a timer descriptor; tv_nsec outside 0..999999999; an unknown flag).
        OverflowError: a field beyond a C long.
    """
    if _CITIMERSPEC is None:
        raise unsupported("timerfd_settime")
    new = _itimerspec(interval, value)
    old = _CITIMERSPEC()
    _timerfd_settime(_args.c_int(fd, "fd"), _args.c_int(flags, "flags"), byref(new), byref(old))
    return _timespecs(old)


def timerfd_gettime(fd: int) -> tuple[Timespec, Timespec]:
    """``timerfd_gettime(fd, curr)``: the timer's ``(interval, time until the next expiration)`` (Linux).

    A helper outside Go's table; both zero for a disarmed timer.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_TIMER`` event).
        OSError: EBADF, EINVAL (not a timer descriptor).
    """
    if _CITIMERSPEC is None:
        raise unsupported("timerfd_gettime")
    cur = _CITIMERSPEC()
    _timerfd_gettime(_args.c_int(fd, "fd"), byref(cur))
    return _timespecs(cur)


def signalfd(fd: int, signals: Iterable[int], flags: int = 0) -> int:
    """``signalfd(fd, mask, flags)``: a descriptor that reads the *signals* (Linux).

    A helper outside Go's table.  *fd* -1 creates a new descriptor, an
    existing signalfd gets the new mask; *flags* is ``SFD_CLOEXEC`` and
    ``SFD_NONBLOCK`` bits.  The signals must be blocked (``pthread_sigmask``)
    for the descriptor to receive them instead of their handlers; reading it
    returns a 128-byte ``struct signalfd_siginfo`` per signal
    (:func:`signalfd_siginfos` decodes them).

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_SIGNAL`` event).
        ValueError: a signal outside 1..64.  OSError: EBADF, EINVAL, EMFILE, ENFILE, ENOMEM.
        OverflowError: *fd* or *flags* beyond an int.
    """
    csigset = abi.STRUCTS.get("sigset_t")
    if _CSIGINFO is None or csigset is None:
        raise unsupported("signalfd")
    mask = csigset()
    words = (ctypes.c_uint64 * (ctypes.sizeof(mask) // 8)).from_buffer(mask)
    for sig in signals:
        n = index(sig)
        if not 1 <= n < _NSIG:
            raise ValueError(f"signal {n} is outside 1..{_NSIG - 1}")
        words[(n - 1) // 64] |= 1 << ((n - 1) % 64)
    return _signalfd(_args.c_int(fd, "fd"), byref(mask), _args.c_int(flags, "flags"))  # type: ignore[no-any-return]


@attrs.frozen
class SignalfdSiginfo:
    """One ``struct signalfd_siginfo``: a signal a signalfd delivered, with the C field names.

    ``ssi_signo`` is the signal, ``ssi_pid``/``ssi_uid`` its sender (for
    ``kill``), ``ssi_code`` the ``si_code`` (``SI_USER``, ``CLD_EXITED``,
    ...), ``ssi_status`` a child's exit status for ``SIGCHLD``.
    """

    ssi_signo: int
    ssi_errno: int
    ssi_code: int
    ssi_pid: int
    ssi_uid: int
    ssi_fd: int
    ssi_tid: int
    ssi_band: int
    ssi_overrun: int
    ssi_trapno: int
    ssi_status: int
    ssi_int: int
    ssi_ptr: int
    ssi_utime: int
    ssi_stime: int
    ssi_addr: int


def signalfd_siginfos(data: Buffer) -> list[SignalfdSiginfo]:
    """Decode what ``read(2)`` of a signalfd returned: one value per 128-byte record (Linux).

    Raises:
        UnsupportedOperation: on macOS.
        ValueError: *data* is not a whole number of records.
    """
    if _CSIGINFO is None:
        raise unsupported("signalfd")
    raw = memoryview(data).cast("B")
    size = ctypes.sizeof(_CSIGINFO)
    if len(raw) % size:
        raise ValueError(f"{len(raw)} bytes are not a whole number of {size}-byte signalfd_siginfo records")
    names = [f.name for f in attrs.fields(SignalfdSiginfo)]
    out = []
    for start in range(0, len(raw), size):
        c = _CSIGINFO.from_buffer_copy(raw[start : start + size])
        out.append(SignalfdSiginfo(*(getattr(c, n) for n in names)))
    return out


def inotify_init1(flags: int = 0) -> int:
    """``inotify_init1(flags)``: create an inotify instance; return its descriptor (Linux).

    A helper outside Go's table.  *flags* is ``IN_CLOEXEC`` and
    ``IN_NONBLOCK`` bits.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_VNODE`` event).
        OSError: EINVAL, EMFILE (the per-user instance limit too), ENFILE, ENOMEM.
        OverflowError: *flags* beyond an int.
    """
    return _inotify_init1(_args.c_int(flags, "flags"))  # type: ignore[no-any-return]


def inotify_add_watch(fd: int, path: _args.StrOrBytesPath, mask: int) -> int:
    """``inotify_add_watch(fd, path, mask)``: watch *path* for the ``IN_*`` events of *mask*; return the watch (Linux).

    A helper outside Go's table.  Watching a path already watched returns
    the same watch descriptor (its mask replaced, or extended with
    ``IN_MASK_ADD``).

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_VNODE`` event).
        OSError: ENOENT, EACCES, ENOTDIR (``IN_ONLYDIR``), EEXIST (``IN_MASK_CREATE``),
        ENOSPC (the watch limit), EINVAL (an empty mask), EBADF.
        ValueError: a NUL byte in *path*.  OverflowError: *fd* or *mask* out of range.
    """
    return _inotify_add_watch(  # type: ignore[no-any-return]
        _args.c_int(fd, "fd"), _args.path(path), _args.c_uint(mask, "mask")
    )


def inotify_rm_watch(fd: int, wd: int) -> None:
    """``inotify_rm_watch(fd, wd)``: remove a watch; an ``IN_IGNORED`` event follows (Linux).

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EV_DELETE``).
        OSError: EBADF, EINVAL (not a watch of this instance).
        OverflowError: an argument beyond an int.
    """
    _inotify_rm_watch(_args.c_int(fd, "fd"), _args.c_int(wd, "wd"))


@attrs.frozen
class InotifyEvent:
    """One ``struct inotify_event``: what happened (``mask``, ``IN_*`` bits) under watch ``wd``.

    ``name`` is the entry of a watched directory the event is about (raw
    bytes, without its NUL padding), ``b""`` for the watched path itself;
    ``cookie`` pairs an ``IN_MOVED_FROM`` with its ``IN_MOVED_TO``.
    """

    wd: int
    mask: int
    cookie: int
    name: bytes


def inotify_events(data: Buffer) -> list[InotifyEvent]:
    """Decode what ``read(2)`` of an inotify descriptor returned (Linux).

    Raises:
        UnsupportedOperation: on macOS.
        ValueError: *data* ends inside a record.
    """
    if _CINOTIFY is None:
        raise unsupported("inotify_init1")
    raw = memoryview(data).cast("B")
    head = ctypes.sizeof(_CINOTIFY)
    out = []
    at = 0
    while at < len(raw):
        if at + head > len(raw):
            raise ValueError(f"an inotify record header is cut off at byte {at} of {len(raw)}")
        c = _CINOTIFY.from_buffer_copy(raw[at : at + head])
        end = at + head + c.len
        if end > len(raw):
            raise ValueError(f"an inotify record's name is cut off at byte {len(raw)} (it ends at {end})")
        out.append(InotifyEvent(c.wd, c.mask, c.cookie, bytes(raw[at + head : end]).rstrip(b"\0")))
        at = end
    return out


def pidfd_open(pid: int, flags: int = 0) -> int:
    """``pidfd_open(pid, flags)``: a descriptor referring to process *pid*; return it (Linux 5.3+).

    A helper outside Go's table, made with ``syscall(SYS_pidfd_open, ...)``
    (glibc wraps it only from 2.36).  The descriptor is close-on-exec; it
    becomes readable when the process terminates.  *flags* is 0 or
    ``PIDFD_NONBLOCK``.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is a kqueue ``EVFILT_PROC`` event),
        and where the kernel lacks the call (ENOSYS).
        ProcessLookupError: no such process.  OSError: EINVAL, EMFILE, ENFILE, ENOMEM.
        OverflowError: an argument out of range.
    """
    if SYSTEM != "linux":
        raise unsupported("pidfd_open")
    p = _args.c_int(pid, "pid")
    f = _args.c_uint(flags, "flags")
    try:
        return _syscall(abi.SYS_pidfd_open, p, f)  # type: ignore[no-any-return]
    except OSError as exc:
        if exc.errno == errno.ENOSYS:
            raise unsupported("pidfd_open") from exc
        raise
