"""A readiness queue that owns its kernel object: epoll on Linux, kqueue on macOS, one API.

``EventQueue()`` is a handle-owning object like the others (``with``,
``close()``, ``closed``, ``fileno()``; a collected open queue closes and
warns).  Register anything with ``fileno()`` (a macres object, a stdlib
socket or file, an event source) or a descriptor number, for ``READ`` and/or
``WRITE`` readiness, with a value of your own; :meth:`EventQueue.wait`
returns one frozen :class:`Event` per ready registration::

    with macres.EventQueue[str]() as queue:
        queue.register(sock, READ, "client")
        for event in queue.wait(timeout=1.0):
            print(event.data, event.readable, event.eof)

Readiness is level-triggered: an object stays reported while it is ready.
``edge=True`` reports a change only once (``EPOLLET``, ``EV_CLEAR``);
``oneshot=True`` reports once and then disarms the registration until
:meth:`~EventQueue.modify` re-arms it (``EPOLLONESHOT``, ``EV_DISPATCH``).
On macOS, reading and writing are two kqueue filters: a one-shot
registration for both disarms each direction separately.

A registration is keyed by the object registered (or the number).  Closing a
registered macres object without unregistering it never lets its number
fire for whatever reuses it: each registration hands the kernel a token
used once in the life of the queue, never the descriptor number; an event
whose registration is gone, or whose macres object is closed, is dropped.
(On Linux epoll forgets a closed descriptor only when no other descriptor
shares its open file, e.g. a dup or a forked child's copy; until then the
queue drops what that entry reports, and removes it where the number allows.)
Plain numbers and foreign objects are yours to unregister before closing,
as with :mod:`selectors`.

Closing the queue from another thread wakes a thread blocked in ``wait``,
which raises :class:`~macres.ClosedResourceError`.  ``wait`` is the core's
(``macres._backend``): C in the compiled core, ``macres/_pure/event.py``
as the reference.
"""

from __future__ import annotations

import errno
import itertools
import os
import threading
import typing
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Final, NamedTuple, overload

import attrs
from typing_extensions import TypeVar

from . import raw
from ._backend import core
from ._errors import ClosedResourceError
from ._handle import FdHandle, Handle, HasFileno, fileno_of

__all__ = ["READ", "WRITE", "Event", "EventQueue"]

T = TypeVar("T", default=None)

#: Interest in reading (the value of ``selectors.EVENT_READ``).
READ: Final = 1
#: Interest in writing (the value of ``selectors.EVENT_WRITE``).
WRITE: Final = 2

#: One ready registration, as :meth:`EventQueue.wait` reports it (the core's value type).
Event = core.Event

_abi = raw.ABI
_EPOLL: Final = raw.SYSTEM == "linux"
# kqueue's numbers, where the platform has them (read through getattr: the
# Linux ABI module has no kqueue constants).
_EVFILT_READ: Final = int(getattr(_abi, "EVFILT_READ", 0))
_EVFILT_WRITE: Final = int(getattr(_abi, "EVFILT_WRITE", 0))
_EVFILT_USER: Final = int(getattr(_abi, "EVFILT_USER", 0))
_EV_ADD: Final = int(getattr(_abi, "EV_ADD", 0))
_EV_DELETE: Final = int(getattr(_abi, "EV_DELETE", 0))
_EV_ENABLE: Final = int(getattr(_abi, "EV_ENABLE", 0))
_EV_CLEAR: Final = int(getattr(_abi, "EV_CLEAR", 0))
_EV_DISPATCH: Final = int(getattr(_abi, "EV_DISPATCH", 0))
#: Errors of removing a kernel entry that is already gone.
_GONE: Final = (errno.ENOENT, errno.EBADF)


class _Registration(NamedTuple):
    """What the queue keeps per registration; the core's wait reads the first three fields."""

    obj: int | HasFileno
    data: Any
    interest: int
    fd: int
    edge: bool
    oneshot: bool
    token: int
    key: object


class _Keep:
    """The default of :meth:`EventQueue.modify`'s *data*: keep the value registered."""

    def __repr__(self) -> str:
        return "KEEP"


_KEEP: Final = _Keep()


def _key(obj: object) -> object:
    """A registration's key: the number itself, or the object's identity."""
    if isinstance(obj, int) and not isinstance(obj, bool):
        return ("fd", obj)
    return id(obj)


def _interest(events: int) -> int:
    e = int(events)
    if not e or e & ~(READ | WRITE):
        raise ValueError(f"events must be READ, WRITE or READ | WRITE, got {events!r}")
    return e


# -- the kernel's side, per platform -------------------------------------------
def _epoll_bits(interest: int, edge: bool, oneshot: bool) -> int:
    bits = (_abi.EPOLLIN | _abi.EPOLLRDHUP if interest & READ else 0) | (_abi.EPOLLOUT if interest & WRITE else 0)
    return bits | (_abi.EPOLLET if edge else 0) | (_abi.EPOLLONESHOT if oneshot else 0)


def _kernel_set(queue: int, fd: int, reg: _Registration, old: _Registration | None) -> None:
    """Make the kernel report *reg* (add it, or change *old* into it)."""
    if _EPOLL:
        op = _abi.EPOLL_CTL_ADD if old is None else _abi.EPOLL_CTL_MOD
        raw.epoll_ctl(queue, op, fd, _epoll_bits(reg.interest, reg.edge, reg.oneshot), reg.token)
        return
    flags = _EV_ADD | _EV_ENABLE | (_EV_CLEAR if reg.edge else 0) | (_EV_DISPATCH if reg.oneshot else 0)
    changes = [
        raw.Kevent(ident=fd, filter=f, flags=flags, udata=reg.token)
        for bit, f in ((READ, _EVFILT_READ), (WRITE, _EVFILT_WRITE))
        if reg.interest & bit
    ]
    raw.kevent(queue, changes, 0, 0)
    if old is not None:
        _kernel_delete(queue, fd, old.interest & ~reg.interest)


def _kernel_delete(queue: int, fd: int, interest: int) -> None:
    """Stop the kernel reporting *fd* (for the *interest* bits, on kqueue); an entry already gone is no error."""
    try:
        if _EPOLL:
            raw.epoll_ctl(queue, _abi.EPOLL_CTL_DEL, fd)
            return
        for bit, f in ((READ, _EVFILT_READ), (WRITE, _EVFILT_WRITE)):
            if interest & bit:
                raw.kevent(queue, [raw.Kevent(ident=fd, filter=f, flags=_EV_DELETE)], 0, 0)
    except OSError as exc:
        if exc.errno not in _GONE:
            raise


def _open_queue() -> tuple[int, FdHandle | None]:
    """Create the kernel queue, close-on-exec, with its waker: (descriptor, waker handle or None)."""
    if not _EPOLL:
        kq = raw.kqueue()
        try:
            raw.fcntl(kq, _abi.F_SETFD, _abi.FD_CLOEXEC)
            raw.kevent(kq, [raw.Kevent(ident=0, filter=_EVFILT_USER, flags=_EV_ADD)], 0, 0)
        except BaseException:
            os.close(kq)
            raise
        return kq, None
    epfd = raw.epoll_create1(_abi.EPOLL_CLOEXEC)
    waker = core.FdHandle()
    try:
        waker._adopt(raw.eventfd(0, _abi.EFD_CLOEXEC | _abi.EFD_NONBLOCK))
        raw.epoll_ctl(epfd, _abi.EPOLL_CTL_ADD, waker._handle, _abi.EPOLLIN, 0)
    except BaseException:
        waker.close()
        os.close(epfd)
        raise
    return epfd, waker


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class EventQueue(core.EventQueueBase[T]):
    """A readiness queue (epoll or kqueue) that closes itself; see the module docstring.

    ``EventQueue[T]`` types the values registered with it; ``EventQueue()``
    is ``EventQueue[None]``, whose registrations take no value.  ``wait``
    comes from the core.  Every method raises
    :class:`~macres.ClosedResourceError` after :meth:`close`.
    """

    #: ``READ`` and ``WRITE``, also here: ``queue.register(sock, queue.READ)``.
    READ: ClassVar[int] = READ
    WRITE: ClassVar[int] = WRITE

    _keys: dict[object, _Registration]
    _fds: dict[int, _Registration]
    _tokens: Iterator[int]
    _lock: threading.Lock

    def __init__(self) -> None:
        """Create the queue: ``epoll_create1(EPOLL_CLOEXEC)`` (Linux) or ``kqueue()`` (macOS).

        Raises:
            OSError: EMFILE, ENFILE, ENOMEM.
        """
        self._keys = {}
        self._fds = {}
        self._tokens = itertools.count(1)  # 0 is the waker's
        self._lock = threading.Lock()
        handle, waker = _open_queue()
        self._setup(handle, waker, {})

    # -- registrations -------------------------------------------------------
    @overload
    def register(
        self: EventQueue[None],
        obj: int | HasFileno,
        events: int = READ,
        data: None = None,
        *,
        edge: bool = False,
        oneshot: bool = False,
    ) -> None: ...
    @overload
    def register(
        self, obj: int | HasFileno, events: int, data: T, *, edge: bool = False, oneshot: bool = False
    ) -> None: ...
    def register(
        self,
        obj: int | HasFileno,
        events: int = READ,
        data: Any = None,
        *,
        edge: bool = False,
        oneshot: bool = False,
    ) -> None:
        """Report *obj* when it is ready for *events* (``READ``, ``WRITE`` or both), with *data*.

        ``epoll_ctl(EPOLL_CTL_ADD)`` on Linux, ``kevent(EV_ADD)`` per
        direction on macOS.  A macres object is held open for the call (its
        number cannot be reused meanwhile).  A closed macres object or a
        closed stdlib object still registered under the same number is
        replaced.

        Raises:
            KeyError: *obj*, or another registration of the same descriptor, is registered already.
            ValueError: *events* is not READ, WRITE or both; a negative descriptor.
            TypeError: *obj* is neither a descriptor number nor has ``fileno()``.
            ClosedResourceError: the queue, or the macres object *obj*, is closed.
            OSError: the kernel refused (EPERM: epoll cannot watch a regular file; EBADF).
        """
        interest = _interest(events)
        key = _key(obj)
        with self._lock:
            if key in self._keys:
                raise KeyError(f"{obj!r} is already registered")

            def add(fd: int) -> None:
                self._check_fd(fd)
                self._purge_number(obj, fd)
                reg = _Registration(obj, data, interest, fd, bool(edge), bool(oneshot), next(self._tokens), key)
                self._insert(reg)
                try:
                    self._call(_kernel_set, fd, reg, None)
                except BaseException:
                    self._remove(reg)
                    raise

            self._with_number(obj, add)

    def modify(
        self,
        obj: int | HasFileno,
        events: int,
        data: T | _Keep = _KEEP,
        *,
        edge: bool = False,
        oneshot: bool = False,
    ) -> None:
        """Change what *obj* is reported for, and its value (kept when not given); re-arm a one-shot.

        ``epoll_ctl(EPOLL_CTL_MOD)`` on Linux; ``kevent(EV_ADD | EV_ENABLE)``
        and ``EV_DELETE`` for a direction dropped, on macOS.

        Raises:
            KeyError: *obj* is not registered.
            ValueError: *events* is not READ, WRITE or both.
            ClosedResourceError: the queue, or the macres object *obj*, is closed.
            OSError: the kernel refused.
        """
        interest = _interest(events)
        with self._lock:
            old = self._lookup(obj)

            def change(fd: int) -> None:
                new = old._replace(
                    data=old.data if isinstance(data, _Keep) else data,
                    interest=interest,
                    edge=bool(edge),
                    oneshot=bool(oneshot),
                )
                self._insert(new)
                try:
                    self._call(_kernel_set, fd, new, old)
                except BaseException:
                    self._insert(old)
                    raise

            self._with_number(obj, change)

    def unregister(self, obj: int | HasFileno) -> None:
        """Stop reporting *obj* (``epoll_ctl(EPOLL_CTL_DEL)``, ``kevent(EV_DELETE)``).

        A closed object is forgotten without a kernel call (the kernel
        dropped its entry, or the queue drops what it reports); a number
        already closed is no error, as with :mod:`selectors`.

        Raises:
            KeyError: *obj* is not registered.
            ClosedResourceError: the queue is closed.
            OSError: the kernel refused.
        """
        with self._lock:
            reg = self._lookup(obj)
            self._remove(reg)
            if self._is_stale(reg):
                return
            self._with_number(obj, lambda fd: self._call(_kernel_delete, fd, reg.interest))

    def __contains__(self, obj: object) -> bool:
        """Whether *obj* is registered (a closed macres object stays until unregistered)."""
        return _key(obj) in self._keys

    def __len__(self) -> int:
        """How many registrations the queue holds."""
        return len(self._keys)

    def close(self) -> None:
        """Close the queue and drop its registrations; a second call does nothing.

        A thread blocked in :meth:`wait` wakes and raises
        ClosedResourceError.

        Raises:
            OSError: the release itself failed (the descriptor is gone anyway).
        """
        try:
            super().close()
        finally:
            self._drop_all()

    def detach(self) -> int:
        """Give the queue's descriptor away unclosed and drop the registrations; waiters wake as for close().

        Raises:
            ClosedResourceError: already closed or detached.
        """
        try:
            return super().detach()
        finally:
            if self._closing:
                self._drop_all()

    def _drop_all(self) -> None:
        self._keys.clear()
        self._fds.clear()
        self._regs.clear()

    # -- bookkeeping -----------------------------------------------------------
    def _check_fd(self, fd: int) -> None:
        if self._closing:
            raise self._closed_error()
        if fd < 0:
            raise ValueError(f"invalid file descriptor: {fd}")

    def _with_number(self, obj: int | HasFileno, fn: Callable[[int], None]) -> None:
        """Run ``fn(fd)`` with *obj*'s number; a macres object is held open meanwhile.

        The handle of every macres object with ``fileno()`` is that
        descriptor, so ``_call`` hands it over as one operation of the
        object: a close in another thread waits for it to finish.
        """
        if isinstance(obj, Handle):
            if not callable(getattr(obj, "fileno", None)):
                raise TypeError(f"obj must be a descriptor number or an object with fileno(), not {type(obj).__name__}")
            obj._call(fn)
        else:
            fn(fileno_of(obj, "obj"))

    def _lookup(self, obj: object) -> _Registration:
        if self._closing:
            raise self._closed_error()
        reg = self._keys.get(_key(obj))
        if reg is None:
            raise KeyError(f"{obj!r} is not registered")
        return reg

    def _insert(self, reg: _Registration) -> None:
        self._regs[reg.token] = reg
        self._keys[reg.key] = reg
        self._fds[reg.fd] = reg

    def _remove(self, reg: _Registration) -> None:
        self._regs.pop(reg.token, None)
        if self._keys.get(reg.key) is reg:
            del self._keys[reg.key]
        if self._fds.get(reg.fd) is reg:
            del self._fds[reg.fd]

    @staticmethod
    def _is_stale(reg: _Registration) -> bool:
        """Whether *reg*'s object no longer holds its number: a closed macres or stdlib object."""
        obj = reg.obj
        if isinstance(obj, Handle):
            return obj.closed
        if isinstance(obj, int):
            return False
        try:
            return bool(obj.fileno() != reg.fd)
        except (OSError, ValueError):  # a closed stdlib file raises ValueError
            return True

    def _purge_number(self, obj: object, fd: int) -> None:
        """Before registering *fd*: drop a stale registration of the same number, refuse a live one."""
        old = self._fds.get(fd)
        if old is None:
            return
        if not self._is_stale(old):
            raise KeyError(f"descriptor {fd} of {obj!r} is already registered (as {old.obj!r})")
        self._remove(old)

    def _forget(self, token: int) -> None:
        """Drop registration *token*, whose macres object was closed while registered (called by wait).

        On Linux the kernel entry is removed too when no live registration
        holds its number: ``EPOLL_CTL_DEL`` of the number then finds only
        an entry left behind by this registration (when the number was
        given the same open file again) or nothing.
        """
        with self._lock:
            reg: _Registration | None = self._regs.get(token)
            if reg is None:
                return
            self._remove(reg)
            if _EPOLL and reg.fd not in self._fds:
                try:
                    self._call(_kernel_delete, reg.fd, reg.interest)
                except (OSError, ClosedResourceError):
                    pass
