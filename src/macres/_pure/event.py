"""EventQueue's lifecycle and its hot path, wait, in Python: the reference of ``_core_event.c``.

The queue's handle is its epoll (Linux) or kqueue (macOS) descriptor.  The
object layer (``macres/event.py``) makes the kernel object, registers and
unregisters; this base waits and turns what the kernel reports into
:class:`Event` values.  What both share:

* Every registration has a *token*, a number never used twice in the life
  of the queue, handed to the kernel as the event's data (epoll's
  ``data.u64``, kqueue's ``udata``).  ``_regs`` maps a token to its record,
  a tuple ``(obj, data, interest, ...)``: what was registered, the user's
  value, and ``READ``/``WRITE`` bits.  An event whose token is not in
  ``_regs`` was unregistered and is dropped; so is one whose object is a
  macres handle that was closed (``_forget`` then drops the record): its
  number may already belong to another file.
* Closing the queue from another thread wakes a thread blocked in
  :meth:`~EventQueueBase.wait`, which then raises ClosedResourceError.  On
  Linux the waker is an eventfd, itself an owned handle registered under
  token 0, that close() writes to; a waiter holds a reference to it as to
  the queue, so it stays open (and registered) until the last waiter is
  out.  On macOS close() triggers an ``EVFILT_USER`` event of the queue
  itself (ident 0, udata 0).
"""

from __future__ import annotations

import math
import os
import sys
import time
from operator import index
from typing import Any, Final, Generic, TypeVar

import attrs
from typing_extensions import Self

from .. import raw
from .._errors import ClosedResourceError
from .._handle import HasFileno
from .handle import FdHandle, Handle

__all__ = ["READ", "WRITE", "Event", "EventQueueBase"]

T = TypeVar("T")

#: Interest bits of a registration (the values of ``selectors.EVENT_READ``/``EVENT_WRITE``).
READ: Final = 1
WRITE: Final = 2
_INT_MAX: Final = (1 << 31) - 1
_WAKE: Final = (1).to_bytes(8, sys.byteorder)
_abi = raw.ABI
_EPOLL: Final = raw.SYSTEM == "linux"
# epoll: what makes an event readable, writable, EOF, an error.
_E_READ: Final = _abi.EPOLLIN | _abi.EPOLLHUP | _abi.EPOLLERR | _abi.EPOLLRDHUP
_E_WRITE: Final = _abi.EPOLLOUT | _abi.EPOLLHUP | _abi.EPOLLERR
_E_EOF: Final = _abi.EPOLLHUP | _abi.EPOLLRDHUP
_E_ERROR: Final = _abi.EPOLLERR
# kqueue (macOS; read where they exist, 0 elsewhere).
_EVFILT_READ: Final = int(getattr(_abi, "EVFILT_READ", 0))
_EVFILT_WRITE: Final = int(getattr(_abi, "EVFILT_WRITE", 0))
_EVFILT_USER: Final = int(getattr(_abi, "EVFILT_USER", 0))
_EV_EOF: Final = int(getattr(_abi, "EV_EOF", 0))
_EV_ERROR: Final = int(getattr(_abi, "EV_ERROR", 0))
_NOTE_TRIGGER: Final = int(getattr(_abi, "NOTE_TRIGGER", 0))


@attrs.frozen
class Event(Generic[T]):
    """What :meth:`EventQueue.wait` reports for one registration.

    ``obj`` is what was registered (the object or the number), ``data``
    the value given with it.  ``readable``/``writable`` say which of the
    registered directions is ready; ``eof`` that the other end hung up (a
    pipe's writer closed, a socket's peer shut down: reads reach EOF after
    the data left), ``error`` that the descriptor has an error pending (a
    pipe's reader is gone; a socket's error, which ``recv``/``send`` or
    ``SO_ERROR`` reports).  ``EPOLLHUP``/``EPOLLRDHUP``/``EPOLLERR`` on
    Linux, ``EV_EOF`` (with a socket error in ``fflags``) on macOS.
    """

    obj: int | HasFileno
    data: T
    readable: bool
    writable: bool
    eof: bool = False
    error: bool = False


def _max_events(value: int) -> int:
    n = index(value)
    if n > _INT_MAX:
        raise OverflowError(f"max_events {n} does not fit a C int")
    if n < 1:
        raise ValueError(f"max_events must be at least 1, got {n}")
    return n


def _real(value: object) -> float:
    """*value* as a C double, as ``PyFloat_AsDouble`` takes it: a str is no number here."""
    kind = type(value)
    if not hasattr(kind, "__float__") and not hasattr(kind, "__index__"):
        raise TypeError(f"must be real number, not {kind.__name__}")
    return float(value)  # type: ignore[arg-type]


def _deadline(timeout: float | None) -> float | None:
    """The monotonic instant *timeout* seconds from now (None: none)."""
    if timeout is None:
        return None
    t = _real(timeout)
    if math.isnan(t):
        raise ValueError("timeout must not be NaN")
    if t < 0:
        raise ValueError(f"timeout must not be negative, got {t}")
    return time.monotonic() + t


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


#: What one kernel report becomes before it meets the registrations:
#: (token, readable, writable, eof, error).
_Report = tuple[int, bool, bool, bool, bool]


def _poll_epoll(handle: int, n: int, deadline: float | None) -> list[_Report]:
    """``epoll_wait`` (EINTR retried by the raw layer with what is left of the timeout)."""
    timeout = _remaining(deadline)
    if timeout is not None and not math.isfinite(timeout):
        timeout = None
    elif timeout is not None:
        timeout = min(timeout, _INT_MAX / 1000)
    got = raw.epoll_wait(handle, n, timeout)
    return [
        (token, bool(m & _E_READ), bool(m & _E_WRITE), bool(m & _E_EOF), bool(m & _E_ERROR)) for m, token in got
    ]


def _poll_kqueue(handle: int, n: int, deadline: float | None) -> list[_Report]:
    """``kevent``, its read and write filters of one token merged into one report."""
    timeout = _remaining(deadline)
    if timeout is not None and not math.isfinite(timeout):
        timeout = None
    merged: dict[int, list[bool]] = {}
    for ev in raw.kevent(handle, [], n, timeout):
        if ev.filter == _EVFILT_USER:
            merged.setdefault(0, [False] * 4)
            continue
        eof = bool(ev.flags & _EV_EOF)
        error = bool(ev.flags & _EV_ERROR) or (eof and ev.fflags != 0)
        r = merged.setdefault(ev.udata, [False] * 4)
        r[0] |= ev.filter == _EVFILT_READ
        r[1] |= ev.filter == _EVFILT_WRITE
        r[2] |= eof
        r[3] |= error
    return [(token, r[0], r[1], r[2], r[3]) for token, r in merged.items()]


_poll = _poll_epoll if _EPOLL else _poll_kqueue


class EventQueueBase(FdHandle, Generic[T]):
    """EventQueue's lifecycle and its hot path, :meth:`wait`."""

    __slots__ = ("_regs", "_waker")

    _regs: dict[int, Any]
    _waker: FdHandle | None


    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls)
        self._regs = {}
        self._waker = None
        return self

    def _setup(self, handle: int, waker: FdHandle | None, regs: dict[int, Any]) -> None:
        """Adopt the queue descriptor *handle*, its *waker* (Linux: an eventfd registered under token 0;
        None on macOS) and the registrations *regs* (token -> record).

        Raises:
            RuntimeError: this object already owns a handle.
            TypeError: *waker* is not an FdHandle or None, or *regs* not a dict.
        """
        if not self._closing or self._claim:
            raise RuntimeError("this object already owns a handle")
        if waker is not None and not isinstance(waker, FdHandle):
            raise TypeError(f"the waker must be an FdHandle or None, not {type(waker).__name__}")
        if type(regs) is not dict:
            raise TypeError(f"the registrations must be a dict, not {type(regs).__name__}")
        self._waker = waker
        self._regs = regs
        self._adopt(handle)

    def _forget(self, token: int) -> None:
        """Drop the registration *token*, whose object was closed behind the queue's back."""
        self._regs.pop(token, None)

    def wait(self, timeout: float | None = None, max_events: int = 64) -> list[Event[T]]:
        """Wait until registered objects are ready; return one :class:`Event` per ready registration.

        ``epoll_wait(2)`` on Linux, ``kevent(2)`` on macOS.  *timeout* is in
        seconds (None: until something is ready; 0: poll); an empty list means
        it expired.  At most *max_events* events come back; more stay ready
        for the next call.  Events of registrations that were removed, or
        whose macres object was closed, are dropped (and the wait goes on
        with what is left of the timeout).  EINTR is retried, after the
        signal's handler ran (PEP 475).

        Raises:
            ClosedResourceError: the queue was closed, also by another thread while waiting.
            ValueError: *max_events* below 1; a negative or NaN timeout.
            OverflowError: *max_events* beyond a C int.
        """
        n = _max_events(max_events)
        deadline = _deadline(timeout)
        handle = self._enter()
        waker = self._waker
        try:
            if waker is not None:
                waker._enter()
        except BaseException:
            self._exit()
            raise
        try:
            events = self._wait(handle, min(n, 2 * len(self._regs) + 1), deadline)
        except BaseException:
            if waker is not None:
                waker._exit()
            self._exit()
            raise
        if waker is not None:
            waker._exit()
        self._exit()
        return events

    def _wait(self, handle: int, n: int, deadline: float | None) -> list[Event[T]]:
        regs = self._regs
        while True:
            reports = _poll(handle, n, deadline)
            if self._closing:
                raise self._closed_error()
            events: list[Event[T]] = []
            for token, ready_r, ready_w, eof, error in reports:
                record = regs.get(token)
                if record is None:
                    continue
                obj, data, interest = record[0], record[1], record[2]
                if isinstance(obj, Handle) and obj._closing:
                    self._forget(token)
                    continue
                readable = ready_r and bool(interest & READ)
                writable = ready_w and bool(interest & WRITE)
                if readable or writable:
                    events.append(Event(obj, data, readable, writable, eof, error))
            if events or not reports or (deadline is not None and time.monotonic() >= deadline):
                return events

    def _release(self, handle: int) -> None:
        """close(2) on the queue, then on its waker: a queue finalized while open never woke it."""
        try:
            super()._release(handle)
        finally:
            waker = self._waker
            if waker is not None:
                waker.close()

    def close(self) -> None:
        """Close the queue; a second call does nothing.

        A thread blocked in :meth:`wait` wakes and raises
        ClosedResourceError; the descriptor is released when the last such
        thread is out.

        Raises:
            OSError: the release itself failed (the descriptor is gone anyway).
        """
        try:
            handle = self._enter()
        except ClosedResourceError:
            return
        try:
            Handle.close(self)  # marks it closed; the release waits for the reference held here
            self._wake(handle)
        finally:
            self._exit()

    def detach(self) -> int:
        """Give the queue descriptor away unclosed and mark this object closed; waiters wake as for close().

        Raises:
            ClosedResourceError: already closed or detached.
        """
        handle = self._enter()
        try:
            number = Handle.detach(self)
            self._wake(handle)
        finally:
            self._exit()
        return number

    def _wake(self, handle: int) -> None:
        """Wake every thread blocked in wait (the queue is marked closed already)."""
        waker = self._waker
        if waker is not None:
            try:
                waker._call(os.write, _WAKE)
            except (BlockingIOError, ClosedResourceError):  # the counter is full: signalled already
                pass
            finally:
                waker.close()  # its release waits for the last waiter
        elif not _EPOLL:
            raw.kevent(handle, [raw.Kevent(ident=0, filter=_EVFILT_USER, fflags=_NOTE_TRIGGER)], 0, 0)
