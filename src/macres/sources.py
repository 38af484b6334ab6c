"""Event sources: owned descriptors that become readable when something happens.

Each source is a handle-owning object (``with``, ``close()``, ``closed``; a
collected open source closes and warns) whose ``fileno()`` works in an
:class:`~macres.EventQueue`, in :mod:`selectors` and in asyncio
(``loop.add_reader``).  When it is readable, its ``read()`` (never
blocking) says what happened:

=================  =============================  ================================  ==========================
source             Linux                          macOS                             ``read()`` returns
=================  =============================  ================================  ==========================
:class:`UserEvent`   ``eventfd``                  a kqueue with ``EVFILT_USER``     whether it was triggered
:class:`Timer`       ``timerfd``                  a kqueue with ``EVFILT_TIMER``    the expirations
:class:`SignalSource` ``signalfd``, the signals   a kqueue with ``EVFILT_SIGNAL``,  the signals that arrived
                     blocked while it is open     the signals ignored while open
:class:`FileWatch`   ``inotify``                  a kqueue with ``EVFILT_VNODE``    what changed (names on Linux)
:class:`ProcessExit` a pidfd                      a kqueue with ``EVFILT_PROC``     (``exited()``)
=================  =============================  ================================  ==========================

A kqueue descriptor is itself readable while it holds a pending event, which
is what makes the macOS sources pollable.  Every method raises
:class:`~macres.ClosedResourceError` after ``close()``, and runs as one
operation of the object's lifecycle, so a close from another thread never
lets it touch a reused number.
"""

from __future__ import annotations

import enum
import errno
import math
import os
import select
import signal
import sys
import threading
import typing
import warnings
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any, ClassVar, Final

import attrs

from . import raw
from .raw import StrOrBytesPath
from ._backend import core
from .process import Child, Process, _Held, _open_exit_fd

__all__ = [
    "Change", "FileWatch", "ProcessExit", "SignalInfo", "SignalSource", "Timer", "UserEvent", "WatchEvent",
]  # fmt: skip

#: A signal disposition Python can restore.
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers

_abi = raw.ABI
_LINUX: Final = raw.SYSTEM == "linux"
_ONE: Final = (1).to_bytes(8, sys.byteorder)
_NS: Final = 1_000_000_000


def _kq(name: str) -> int:
    """A kqueue constant of the darwin ABI module (0 where the platform has none)."""
    return int(getattr(_abi, name, 0))


_EVFILT_USER, _EVFILT_TIMER, _EVFILT_SIGNAL = _kq("EVFILT_USER"), _kq("EVFILT_TIMER"), _kq("EVFILT_SIGNAL")
_EVFILT_VNODE, _EVFILT_PROC = _kq("EVFILT_VNODE"), _kq("EVFILT_PROC")
_EV_ADD, _EV_DELETE, _EV_CLEAR, _EV_ONESHOT = _kq("EV_ADD"), _kq("EV_DELETE"), _kq("EV_CLEAR"), _kq("EV_ONESHOT")
_NOTE_TRIGGER, _NOTE_NSECONDS, _NOTE_EXIT = _kq("NOTE_TRIGGER"), _kq("NOTE_NSECONDS"), _kq("NOTE_EXIT")
_NOTE_DELETE, _NOTE_WRITE, _NOTE_EXTEND = _kq("NOTE_DELETE"), _kq("NOTE_WRITE"), _kq("NOTE_EXTEND")
_NOTE_ATTRIB, _NOTE_LINK, _NOTE_RENAME, _NOTE_REVOKE = (
    _kq("NOTE_ATTRIB"), _kq("NOTE_LINK"), _kq("NOTE_RENAME"), _kq("NOTE_REVOKE"),
)  # fmt: skip


def _new_kqueue(changes: list[raw.Kevent]) -> int:
    """A close-on-exec kqueue with *changes* applied (macOS); closed again if they fail."""
    kq = raw.kqueue()
    try:
        raw.fcntl(kq, _abi.F_SETFD, _abi.FD_CLOEXEC)
        if changes:
            raw.kevent(kq, changes, 0, 0)
    except BaseException:
        os.close(kq)
        raise
    return kq


def _pending(kq: int, n: int) -> list[raw.Kevent]:
    """The events a kqueue holds now, without waiting (macOS)."""
    return raw.kevent(kq, [], n, 0)


def _adopt(obj: core.Handle, fd: int) -> None:
    """Make *obj* own *fd*; *fd* is closed if that fails before the object owns it."""
    try:
        obj._adopt(fd)
    except RuntimeError:
        os.close(fd)
        raise


def _ready(fd: int) -> bool:
    """Whether *fd* is readable now (``poll(2)`` with no wait)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _Source(core.Handle):
    """A source whose release does more than close(2): restores state, closes more descriptors."""

    __slots__ = ()

    def fileno(self) -> int:
        """Return the descriptor number, for EventQueue, select, selectors and asyncio.

        Raises:
            ClosedResourceError: closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        return self._handle

    def _release(self, handle: int) -> None:
        try:
            os.close(handle)
        except InterruptedError:  # the descriptor is gone anyway; never retried
            pass


# -- a user event ------------------------------------------------------------------
def _trigger(fd: int) -> None:
    if _LINUX:
        try:
            os.write(fd, _ONE)
        except BlockingIOError:  # the counter is full: it is triggered anyway
            pass
    else:
        raw.kevent(fd, [raw.Kevent(ident=1, filter=_EVFILT_USER, fflags=_NOTE_TRIGGER)], 0, 0)


def _consume(fd: int) -> bool:
    if _LINUX:
        try:
            return int.from_bytes(os.read(fd, 8), sys.byteorder) > 0
        except BlockingIOError:
            return False
    return bool(_pending(fd, 1))


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class UserEvent(core.FdHandle):
    """An event any thread (or a signal handler) triggers; readable from then until :meth:`read`.

    ``eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)`` on Linux; on macOS a kqueue
    holding one ``EVFILT_USER`` event (``EV_CLEAR``).
    """

    def __init__(self) -> None:
        """Create the event, not triggered.

        Raises:
            OSError: EMFILE, ENFILE, ENOMEM.
        """
        if _LINUX:
            fd = raw.eventfd(0, _abi.EFD_CLOEXEC | _abi.EFD_NONBLOCK)
        else:
            fd = _new_kqueue([raw.Kevent(ident=1, filter=_EVFILT_USER, flags=_EV_ADD | _EV_CLEAR)])
        _adopt(self, fd)

    def trigger(self) -> None:
        """Make the event readable (``write(2)`` of 1 to the eventfd; ``NOTE_TRIGGER`` on macOS).

        Triggers before a :meth:`read` count as one.

        Raises:
            ClosedResourceError: the event is closed.
        """
        self._call(_trigger)

    def read(self) -> bool:
        """Consume the triggers: whether the event was triggered since the last read (never blocks).

        ``read(2)`` of the eventfd's counter; ``kevent(2)`` polling on macOS.

        Raises:
            ClosedResourceError: the event is closed.
        """
        return self._call(_consume)


# -- a timer --------------------------------------------------------------------------
def _nanoseconds(seconds: float, periodic: bool) -> int:
    """A timer's period or delay in whole nanoseconds (at least 1: zero would disarm)."""
    s = float(seconds)
    if math.isnan(s) or math.isinf(s):
        raise ValueError(f"a timer needs a finite number of seconds, got {s}")
    if s < 0 or (periodic and s == 0):
        raise ValueError(f"a {'periodic ' if periodic else ''}timer needs {'positive' if periodic else 'non-negative'} seconds, got {s}")
    if s * _NS > (1 << 62):
        raise OverflowError(f"{s} seconds is too long for a timer")
    return max(1, round(s * _NS))


def _arm(fd: int, ns: int, periodic: bool) -> None:
    """Arm the timer; expirations not read yet are dropped (timerfd_settime resets its count)."""
    if _LINUX:
        value = raw.Timespec(ns // _NS, ns % _NS)
        raw.timerfd_settime(fd, 0, value if periodic else raw.Timespec(0, 0), value)
        return
    _disarm(fd)  # a new event: EV_ADD on the old one would keep its one-shot flag
    flags = _EV_ADD | (0 if periodic else _EV_ONESHOT)
    raw.kevent(fd, [raw.Kevent(ident=1, filter=_EVFILT_TIMER, flags=flags, fflags=_NOTE_NSECONDS, data=ns)], 0, 0)


def _disarm(fd: int) -> None:
    if _LINUX:
        raw.timerfd_settime(fd, 0, raw.Timespec(0, 0), raw.Timespec(0, 0))
        return
    try:
        raw.kevent(fd, [raw.Kevent(ident=1, filter=_EVFILT_TIMER, flags=_EV_DELETE)], 0, 0)
    except OSError as exc:
        if exc.errno != errno.ENOENT:  # a one-shot timer that fired is gone already
            raise
    _pending(fd, 1)  # an expiration not read yet goes with it, as with timerfd


def _expirations(fd: int) -> int:
    if _LINUX:
        try:
            return int.from_bytes(os.read(fd, 8), sys.byteorder)
        except BlockingIOError:
            return 0
    return sum(ev.data for ev in _pending(fd, 1))


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Timer(core.FdHandle):
    """A timer that makes its descriptor readable when it expires: once, or every period.

    ``timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)`` and
    ``timerfd_settime`` on Linux; on macOS a kqueue holding one
    ``EVFILT_TIMER`` event in nanoseconds (``EV_ONESHOT`` for a one-shot
    timer).  :meth:`read` returns how many times it expired since the last
    read, so a late reader misses no period.
    """

    def __init__(self, seconds: float, *, periodic: bool = False) -> None:
        """Create a timer that expires in *seconds*, and then every *seconds* if *periodic*.

        Raises:
            ValueError: *seconds* negative, NaN or infinite (or zero for a periodic timer).
            OverflowError: *seconds* too long.  OSError: EMFILE, ENFILE, ENOMEM.
        """
        ns = _nanoseconds(seconds, periodic)
        if _LINUX:
            fd = raw.timerfd_create(_abi.CLOCK_MONOTONIC, _abi.TFD_CLOEXEC | _abi.TFD_NONBLOCK)
        else:
            fd = _new_kqueue([])
        _adopt(self, fd)
        try:
            self._call(_arm, ns, periodic)
        except BaseException:
            self.close()
            raise

    def set(self, seconds: float, *, periodic: bool = False) -> None:
        """Re-arm the timer: it expires in *seconds* (and every *seconds* if *periodic*).

        Expirations not read yet are dropped.

        Raises:
            ValueError: as the constructor.  ClosedResourceError: the timer is closed.
        """
        self._call(_arm, _nanoseconds(seconds, periodic), periodic)

    def cancel(self) -> None:
        """Disarm the timer; expirations not read yet are dropped.

        Raises:
            ClosedResourceError: the timer is closed.
        """
        self._call(_disarm)

    def read(self) -> int:
        """Return the expirations since the last read (0 if none; never blocks).

        ``read(2)`` of the timerfd; the event's ``data`` on macOS.

        Raises:
            ClosedResourceError: the timer is closed.
        """
        return self._call(_expirations)


# -- signals ---------------------------------------------------------------------------
@attrs.frozen
class SignalInfo:
    """A signal a :class:`SignalSource` received.

    ``count`` is how many deliveries it stands for (always 1 on Linux, where
    each pending signal is read once; the kqueue's count on macOS); ``pid``
    the sender's pid where the kernel says (Linux, for ``kill`` and
    ``sigqueue``), else None.
    """

    signal: int
    count: int = 1
    pid: int | None = None


def _signal_number(value: int) -> int:
    n = int(value)
    if not 1 <= n < signal.NSIG:
        raise ValueError(f"signal {n} is outside 1..{signal.NSIG - 1}")
    if n in (signal.SIGKILL, signal.SIGSTOP):
        raise ValueError(f"signal {n} cannot be caught")
    return n


def _drain_signals(fd: int) -> list[SignalInfo]:
    """Read every signal a signalfd holds (Linux)."""
    out: list[SignalInfo] = []
    while True:
        try:
            data = os.read(fd, 128 * 16)
        except BlockingIOError:
            return out
        for info in raw.signalfd_siginfos(data):
            out.append(SignalInfo(info.ssi_signo, 1, info.ssi_pid if info.ssi_code <= 0 else None))


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class SignalSource(_Source):
    """Receives *signals* instead of their handlers, while it is open.

    Linux: the signals are blocked in the calling thread
    (``pthread_sigmask(SIG_BLOCK)``) and read from a
    ``signalfd(SFD_CLOEXEC | SFD_NONBLOCK)``; closing drains what is
    pending and unblocks those that were not blocked before.  A signal sent
    to the process reaches the source only if every thread blocks it: open
    the source before starting threads (they inherit the mask), and close it
    in the thread that opened it.

    macOS: a kqueue with an ``EVFILT_SIGNAL`` event per signal; the signals'
    dispositions are set to ``SIG_IGN`` while the source is open (the kqueue
    still records them; ``SIGCHLD`` keeps its own, as an ignored ``SIGCHLD``
    is not recorded) and restored on close.  Python changes dispositions only
    in the main thread: open and close the source there.
    """

    _signals: frozenset[int]
    #: Linux: the signals to unblock on close, and the thread whose mask holds them.
    _unblock: frozenset[int]
    _thread: int
    #: macOS: the dispositions to restore on close.
    _handlers: dict[int, _Handler]

    _kind: ClassVar[str] = "signal source"

    def __init__(self, signals: Iterable[int]) -> None:
        """Start receiving *signals* (numbers or ``signal.Signals``).

        Raises:
            ValueError: an empty set, a number outside 1..NSIG-1, SIGKILL or SIGSTOP;
            on macOS, not in the main thread.
            OSError: EMFILE, ENFILE, ENOMEM.
        """
        sigs = frozenset(_signal_number(s) for s in signals)
        if not sigs:
            raise ValueError("a SignalSource needs at least one signal")
        self._signals = sigs
        self._unblock = frozenset()
        self._thread = threading.get_ident()
        self._handlers = {}
        if _LINUX:
            # What to unblock on close is known before the block: a handler raising
            # inside signal.pthread_sigmask (Python around the C call) cannot lose it.
            self._unblock = sigs - frozenset(signal.pthread_sigmask(signal.SIG_BLOCK, ()))
            try:
                signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
                fd = raw.signalfd(-1, sigs, _abi.SFD_CLOEXEC | _abi.SFD_NONBLOCK)
            except BaseException:
                self._restore()
                raise
        else:
            try:
                for s in sorted(sigs):
                    if s != signal.SIGCHLD:  # recorded before the change, for the same reason as above
                        old = signal.getsignal(s)
                        self._handlers[s] = signal.SIG_DFL if old is None else old
                        signal.signal(s, signal.SIG_IGN)
                fd = _new_kqueue([raw.Kevent(ident=s, filter=_EVFILT_SIGNAL, flags=_EV_ADD) for s in sorted(sigs)])
            except BaseException:
                self._restore()
                raise
        _adopt(self, fd)

    @property
    def signals(self) -> frozenset[int]:
        """The signals this source receives."""
        return self._signals

    def read(self) -> list[SignalInfo]:
        """Return the signals received since the last read (empty if none; never blocks).

        ``read(2)`` of the signalfd's ``signalfd_siginfo`` records; the
        events' counts on macOS.

        Raises:
            ClosedResourceError: the source is closed.
        """
        if _LINUX:
            return self._call(_drain_signals)
        n = len(self._signals)
        return [SignalInfo(ev.ident, ev.data) for ev in self._call(_pending, n)]

    def _release(self, handle: int) -> None:
        try:
            if _LINUX:
                _drain_signals(handle)  # what arrived for the source is not handed to the default action
            super()._release(handle)
        finally:
            self._restore()

    def _restore(self) -> None:
        """Unblock (Linux) or restore the dispositions of (macOS) the signals, once."""
        unblock, self._unblock = self._unblock, frozenset()
        handlers, self._handlers = self._handlers, {}
        if unblock:
            if threading.get_ident() == self._thread:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, unblock)
            else:
                warnings.warn(
                    f"SignalSource closed in another thread than it was opened in: signals "
                    f"{sorted(unblock)} stay blocked in the thread that opened it",
                    RuntimeWarning,
                    stacklevel=2,
                )
        for s, old in handlers.items():
            signal.signal(s, old)


# -- file watching -------------------------------------------------------------------------
class Change(enum.IntFlag):
    """What a :class:`WatchEvent` reports (``IN_*`` on Linux, ``NOTE_*`` on macOS)."""

    #: An entry was created in a watched directory (``IN_CREATE``).
    CREATE = 0x001
    #: A file's contents changed (``IN_MODIFY``; ``NOTE_WRITE``/``NOTE_EXTEND``, also a
    #: directory's entries, on macOS).
    MODIFY = 0x002
    #: Metadata changed: permissions, times, links (``IN_ATTRIB``; ``NOTE_ATTRIB``/``NOTE_LINK``).
    ATTRIB = 0x004
    #: An entry was deleted from a watched directory (``IN_DELETE``).
    DELETE = 0x008
    #: An entry was renamed away from a watched directory (``IN_MOVED_FROM``).
    MOVED_FROM = 0x010
    #: An entry was renamed into a watched directory (``IN_MOVED_TO``).
    MOVED_TO = 0x020
    #: The watched path itself was deleted (``IN_DELETE_SELF``; ``NOTE_DELETE``/``NOTE_REVOKE``).
    DELETE_SELF = 0x040
    #: The watched path itself was renamed (``IN_MOVE_SELF``; ``NOTE_RENAME``).
    MOVE_SELF = 0x080
    #: Events were lost: the kernel's queue overflowed (``IN_Q_OVERFLOW``).
    OVERFLOW = 0x100


_IN_CHANGES: Final[tuple[tuple[int, Change], ...]] = (
    (_abi.IN_CREATE, Change.CREATE), (_abi.IN_MODIFY, Change.MODIFY), (_abi.IN_ATTRIB, Change.ATTRIB),
    (_abi.IN_DELETE, Change.DELETE), (_abi.IN_MOVED_FROM, Change.MOVED_FROM),
    (_abi.IN_MOVED_TO, Change.MOVED_TO), (_abi.IN_DELETE_SELF, Change.DELETE_SELF),
    (_abi.IN_MOVE_SELF, Change.MOVE_SELF), (_abi.IN_Q_OVERFLOW, Change.OVERFLOW),
)  # fmt: skip
_IN_MASK: Final = sum(bit for bit, _ in _IN_CHANGES if bit != _abi.IN_Q_OVERFLOW)
_NOTE_CHANGES: Final[tuple[tuple[int, Change], ...]] = (
    (_NOTE_WRITE | _NOTE_EXTEND, Change.MODIFY), (_NOTE_ATTRIB | _NOTE_LINK, Change.ATTRIB),
    (_NOTE_DELETE | _NOTE_REVOKE, Change.DELETE_SELF), (_NOTE_RENAME, Change.MOVE_SELF),
)  # fmt: skip
_NOTE_MASK: Final = _NOTE_WRITE | _NOTE_EXTEND | _NOTE_ATTRIB | _NOTE_LINK | _NOTE_DELETE | _NOTE_REVOKE | _NOTE_RENAME


@attrs.frozen
class WatchEvent:
    """One change a :class:`FileWatch` saw.

    ``path`` is the watched path as it was given (None for ``OVERFLOW``),
    ``name`` the entry of a watched directory the change is about (None for
    the watched path itself, and always on macOS, whose kernel gives no
    names); ``is_dir`` whether that entry is a directory (Linux; None where
    unknown); ``cookie`` pairs a ``MOVED_FROM`` with its ``MOVED_TO``.
    """

    path: str | bytes | None
    name: str | bytes | None
    changes: Change
    is_dir: bool | None = None
    cookie: int = 0


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class FileWatch(_Source):
    """Watches files and directories for creation, modification, deletion and renaming.

    Linux: an ``inotify_init1(IN_CLOEXEC | IN_NONBLOCK)`` instance, a watch
    per path (``inotify_add_watch``); names of a directory's entries are
    reported.  macOS: a kqueue with an ``EVFILT_VNODE`` event (``EV_CLEAR``)
    per path, each on a descriptor opened with ``O_EVTONLY`` that the watch
    owns; the kernel reports what happened to the watched file or directory
    itself (a directory is ``MODIFY``-ed when entries come or go), without
    names.
    """

    #: Linux: watch descriptor -> path; macOS: the path's descriptor -> path.
    _watches: dict[int, str | bytes]

    _kind: ClassVar[str] = "file watch"

    def __init__(self, *paths: StrOrBytesPath) -> None:
        """Create the watch, watching each of *paths* (more with :meth:`add`).

        Raises:
            OSError: EMFILE, ENFILE, ENOMEM (the per-user inotify limits too);
            for a path: as :meth:`add`.
        """
        self._watches = {}
        fd = raw.inotify_init1(_abi.IN_CLOEXEC | _abi.IN_NONBLOCK) if _LINUX else _new_kqueue([])
        _adopt(self, fd)
        try:
            for p in paths:
                self.add(p)
        except BaseException:
            self.close()
            raise

    def add(self, path: StrOrBytesPath) -> None:
        """Watch *path*, a file or directory (again: no change).

        ``inotify_add_watch``; ``open(O_EVTONLY)`` and ``kevent(EV_ADD)`` on macOS.

        Raises:
            FileNotFoundError, PermissionError, NotADirectoryError: as opening *path*.
            OSError: ENOSPC (Linux's watch limit).  ClosedResourceError: the watch is closed.
        """
        key = os.fspath(path)
        if key in self._watches.values():
            return
        self._call(self._add, key)

    def _add(self, handle: int, path: str | bytes) -> None:
        if _LINUX:
            self._watches[raw.inotify_add_watch(handle, path, _IN_MASK)] = path
            return
        fd = os.open(path, _kq("O_EVTONLY") | os.O_CLOEXEC)
        try:
            change = raw.Kevent(ident=fd, filter=_EVFILT_VNODE, flags=_EV_ADD | _EV_CLEAR, fflags=_NOTE_MASK)
            raw.kevent(handle, [change], 0, 0)
        except BaseException:
            os.close(fd)
            raise
        self._watches[fd] = path

    def remove(self, path: StrOrBytesPath) -> None:
        """Stop watching *path* (``inotify_rm_watch``; closing its descriptor on macOS).

        Raises:
            KeyError: *path* is not watched.  ClosedResourceError: the watch is closed.
        """
        key = os.fspath(path)
        for wd, p in list(self._watches.items()):
            if p == key:
                self._call(self._remove, wd)
                return
        raise KeyError(f"{key!r} is not watched")

    def _remove(self, handle: int, wd: int) -> None:
        del self._watches[wd]
        if not _LINUX:
            os.close(wd)  # removes its kevent too
            return
        try:
            raw.inotify_rm_watch(handle, wd)
        except OSError as exc:
            if exc.errno != errno.EINVAL:  # the kernel removed it already (the path was deleted)
                raise

    @property
    def paths(self) -> list[str | bytes]:
        """The paths watched now."""
        return list(self._watches.values())

    def read(self) -> list[WatchEvent]:
        """Return the changes since the last read, oldest first (empty if none; never blocks).

        ``read(2)`` of the inotify descriptor; ``kevent(2)`` on macOS.

        Raises:
            ClosedResourceError: the watch is closed.
        """
        return self._call(self._read)

    def _read(self, handle: int) -> list[WatchEvent]:
        out: list[WatchEvent] = []
        if not _LINUX:
            for ev in _pending(handle, max(1, len(self._watches))):
                changes = Change(0)
                for bits, change in _NOTE_CHANGES:
                    if ev.fflags & bits:
                        changes |= change
                out.append(WatchEvent(self._watches.get(ev.ident), None, changes))
            return out
        while True:
            try:
                data = os.read(handle, 65536)
            except BlockingIOError:
                return out
            for rec in raw.inotify_events(data):
                path = self._watches.get(rec.wd)
                if rec.mask & _abi.IN_IGNORED:
                    self._watches.pop(rec.wd, None)  # the watch is gone (removed, or its path deleted)
                    continue
                changes = Change(0)
                for bit, change in _IN_CHANGES:
                    if rec.mask & bit:
                        changes |= change
                name: str | bytes | None = None
                if rec.name:
                    name = rec.name if isinstance(path, bytes) else os.fsdecode(rec.name)
                is_dir = bool(rec.mask & _abi.IN_ISDIR) if name is not None else None
                out.append(WatchEvent(path, name, changes, is_dir, rec.cookie))

    def _release(self, handle: int) -> None:
        watches, self._watches = self._watches, {}
        try:
            super()._release(handle)
        finally:
            if not _LINUX:
                for fd in watches:
                    os.close(fd)


# -- process exit --------------------------------------------------------------------------
@typing.final
@attrs.define(eq=False, init=False, repr=False)
class ProcessExit(core.FdHandle):
    """Readable once a process has exited; it never waits for nor reaps the process.

    Linux: a pidfd (``pidfd_open``), which names this process and no later
    one with the same pid.  macOS: a kqueue with an ``EVFILT_PROC``
    ``NOTE_EXIT`` event for the pid; a process that already exited but is
    not reaped yet (which kqueue no longer attaches to) makes it readable at
    once.  Given a :class:`~macres.Process` or :class:`~macres.Child`, it
    watches a duplicate of that object's own descriptor (its ``fileno()``):
    the very process the object names, even if the pid was reused since.
    """

    _pid: int
    _exited: bool

    def __init__(self, process: int | Process | Child) -> None:
        """Watch *process* (a pid, or a Process/Child object) for its exit.

        Raises:
            ProcessLookupError: there is no such process (reaped already).
            ClosedResourceError: the Process/Child given is closed.
            ValueError: a pid that is not positive.  OSError: EMFILE, ENFILE, ENOMEM.
        """
        self._exited = False
        if isinstance(process, _Held):
            self._pid = process.pid
            fd = process._call(os.dup)  # close-on-exec, made under the object's in-flight protocol
        else:
            pid = int(process)
            if pid <= 0:
                raise ValueError(f"pid must be positive, got {pid}")
            self._pid = pid
            fd = _open_exit_fd(pid)
        _adopt(self, fd)

    @property
    def pid(self) -> int:
        """The process watched."""
        return self._pid

    def exited(self) -> bool:
        """Whether the process has exited (never blocks).

        ``poll(2)`` of the pidfd; the kqueue's pending event on macOS
        (remembered once seen).

        Raises:
            ClosedResourceError: closed.
        """
        if not self._exited:
            self._exited = self._call(_ready)
        return self._exited
