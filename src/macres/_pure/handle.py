"""The one lifecycle, in Python: the reference of ``_core_handle.c``.

A handle is an integer the object owns: a descriptor, a mapping's address,
a pidfd.  The rules (DESIGN.md, "Object layer"):

* ``close()`` is idempotent, ``closed`` tells, ``with`` closes on exit,
  ``detach()`` hands the handle out unclosed.
* After ``close()`` every operation raises :class:`ClosedResourceError`
  and never reaches the kernel: a closed number may already belong to
  another file.
* An operation holds a reference while it runs (:meth:`Handle._enter` /
  :meth:`Handle._exit`, or all in one with :meth:`Handle._call`);
  ``close()`` marks the object closed and the last reference out performs
  the real release, exactly once.  ``close()`` holds a reference itself
  while it interrupts a socket's blocked operations, so the number it shuts
  down cannot have been released and reused in between.  The in-flight list
  relies on ``list.append``/``list.pop`` being atomic, as they are in CPython.
* A task awaiting readiness (macres.aio) marks the object awaited and
  holds a reference (:meth:`Handle._await_enter`); ``close()`` finding
  references held on an awaited object calls the close hook
  (:func:`set_close_hook`) before anything is released, and the hook wakes
  those tasks.  An object never awaited pays one test in ``close()``, and
  only when references are held.  The finalizer calls it too.
* An object collected while open releases its handle and emits
  ``ResourceWarning`` with ``source=``; under ``-W error`` the warning's
  exception reaches ``sys.unraisablehook``, as the stdlib's does.

Exceptions from signal handlers.  A handler (``KeyboardInterrupt``, any
handler that raises) runs between two bytecodes of the main thread, at the
interpreter's periodic checks: on entering a function, on a backward jump,
and right after every call returns.  It never runs inside a call to a C
function that calls no Python code.  So the two steps that must not be
split are each done by one such call, built from C-level parts:

* Ownership is the list ``_claim``: every handle in it is this object's
  and not yet released.  Acquiring appends the C call's result to it
  inside that call (``_claim.extend(starmap(os.open, ...))``, see
  :meth:`_acquire`); releasing pops a handle and releases it inside one
  call (``any(map(os.close, iter(_claim.pop, None)))``, see :meth:`_drain`),
  which is why a descriptor's ``_release`` is ``os.close`` itself.
* Everything else only decides *when* to release, and may be interrupted:
  a ``close()`` cut short is finished by the next ``close()`` or by the
  finalizer, which releases whatever is still claimed.

What remains: a handler that raises as a finalizer starts, before it
releases (only a second signal can do that, the first being what dropped
the object), and a ``_release`` written in Python (a region's, a
process's), which a handler can interrupt between its own steps.  The
compiled core has neither: its state is one atomic word and its
acquisitions and releases run no bytecode.
"""

from __future__ import annotations

import errno
import fcntl
import os
import warnings
from contextlib import suppress
from collections.abc import Callable, Iterable
from itertools import chain, starmap
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from typing_extensions import Self

from .._errors import ClosedResourceError

_EBADF = errno.EBADF

__all__ = ["FdHandle", "Handle", "get_adopt_hook", "get_close_hook", "get_fault_hook", "set_adopt_hook", "set_close_hook", "set_fault_hook"]

T = TypeVar("T")

#: Called with every object as it adopts a handle, when set (macres.testing's registry).
_hook: Callable[[Handle], object] | None = None


def set_adopt_hook(hook: Callable[[Handle], object] | None) -> None:
    """Call *hook(obj)* with every object as it adopts a handle (None: no hook).

    Raises:
        TypeError: *hook* is neither callable nor None.
    """
    global _hook
    if hook is not None and not callable(hook):
        raise TypeError("the adopt hook must be callable or None")
    _hook = hook


def get_adopt_hook() -> Callable[[Handle], object] | None:
    """The hook :func:`set_adopt_hook` installed, or None."""
    return _hook


#: The compiled core's fault hook, kept for parity: the pure core's calls are
#: Python call sites, which macres.testing.faults arms directly.
_fault_hook: Callable[[str, int], int] | None = None


def set_fault_hook(hook: Callable[[str, int], int] | None) -> None:
    """Keep *hook(call, length)* as the compiled core does (None: no hook).

    The compiled core asks it before each of its system calls; the pure
    core makes its calls through ``os`` and ``macres.raw``, whose call sites
    ``macres.testing.faults`` arms itself, so here it is only kept.

    Raises:
        TypeError: *hook* is neither callable nor None.
    """
    global _fault_hook
    if hook is not None and not callable(hook):
        raise TypeError("the fault hook must be callable or None")
    _fault_hook = hook


def get_fault_hook() -> Callable[[str, int], int] | None:
    """The hook :func:`set_fault_hook` kept, or None."""
    return _fault_hook


#: Called with an awaited object as it closes, while references are held (macres.aio's waiters).
_close_hook: Callable[[Handle], object] | None = None


def set_close_hook(hook: Callable[[Handle], object] | None) -> None:
    """Call *hook(obj)* as an awaited object closes, before its release, while tasks wait on it (None: no hook).

    Raises:
        TypeError: *hook* is neither callable nor None.
    """
    global _close_hook
    if hook is not None and not callable(hook):
        raise TypeError("the close hook must be callable or None")
    _close_hook = hook


def get_close_hook() -> Callable[[Handle], object] | None:
    """The hook :func:`set_close_hook` installed, or None."""
    return _close_hook


def _notify_waiters(obj: Handle) -> None:
    """Call the close hook, which wakes the tasks awaiting *obj*; its failure is reported as unraisable."""
    hook = _close_hook
    if hook is None:
        return
    try:
        hook(obj)
    except Exception as exc:  # noqa: BLE001 - the close goes on; reported as the C core reports it
        _Unraisable(exc)  # dropped at once: its finalizer's error goes to sys.unraisablehook


class _Unraisable:
    """Hands an exception to ``sys.unraisablehook``: the error its finalizer raises is reported there."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __del__(self) -> None:
        raise self.exc


class Handle:
    """Base of every object that owns an OS handle (see the module docstring)."""

    __slots__ = ("__weakref__", "_awaited", "_claim", "_closing", "_handle", "_inflight")

    _handle: int
    _closing: bool
    #: Set (never cleared) once a task awaited readiness (:meth:`_await_enter`).
    _awaited: bool
    _inflight: list[None]
    _claim: list[int]

    #: What the handle is, for messages ("file descriptor", "mapping", ...).
    _kind: ClassVar[str] = "handle"
    #: Whether close() interrupts operations in flight and their errors then
    #: become ClosedResourceError (sockets).
    _interrupts: ClassVar[bool] = False

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = object.__new__(cls)
        self._handle = -1
        self._closing = True  # owns nothing until _adopt
        self._awaited = False
        self._inflight = []
        self._claim = []
        return self

    # -- taking ownership -----------------------------------------------
    def _adopt(self, handle: int) -> None:
        """Take ownership of *handle*; called once by the constructor.

        The caller got *handle* from a call made before: prefer
        :meth:`_acquire`, which leaves no gap between the two.

        Raises:
            RuntimeError: this object already owns a handle.
        """
        self._check_unowned()
        self._claim.append(handle)
        self._opened()

    def _acquire(self, call: Callable[..., int], *args: Any) -> int:
        """Own the handle ``call(*args)`` returns, with no bytecode between the call and the ownership.

        *call* must be a C function that runs no Python code (``os.open``,
        ``fcntl.fcntl``): its result lands in ``_claim`` inside the same
        C-level call, so a signal handler that raises can only come before
        (nothing acquired) or after (the object owns it).  Returns the handle.

        Raises:
            Whatever *call* raises; RuntimeError: this object already owns a handle.
        """
        self._check_unowned()
        self._claim.extend(starmap(call, (args,)))
        self._opened()
        return self._handle

    def _acquire_pair(self, other: Handle, call: Callable[..., Iterable[int]], *args: Any) -> None:
        """Own the first of the two handles ``call(*args)`` returns and give *other* the second.

        As :meth:`_acquire`: both land in this object's ``_claim`` inside the
        call (``os.pipe``), and the second moves to *other*'s inside another
        (``other._claim.extend(map(self._claim.pop, (-1,)))``), so each is
        owned at every bytecode.

        Raises:
            Whatever *call* raises; RuntimeError: an object already owns a handle.
        """
        self._check_unowned()
        other._check_unowned()
        self._claim.extend(chain.from_iterable(starmap(call, (args,))))
        other._claim.extend(map(self._claim.pop, (-1,)))
        try:
            self._opened()
        except BaseException:
            # *other* owns its handle all the same; the first error is the one reported.
            with suppress(Exception):
                other._opened()
            raise
        other._opened()

    @classmethod
    def _take(cls, source: Handle) -> Self:
        """Move the handle of the open, idle *source* into a new object of this class; *source* ends closed.

        The handle moves between the two ``_claim`` lists inside one C-level
        call, so it has an owner at every bytecode.

        Raises:
            ClosedResourceError: *source* is closed.  RuntimeError: *source* is in use.
            TypeError: *source* holds another kind of handle.
        """
        if not isinstance(source, Handle) or source._kind != cls._kind:
            raise TypeError(f"{cls.__name__} cannot take the handle of a {type(source).__name__}")
        self = cls.__new__(cls)
        if source._closing:
            raise source._closed_error()
        if source._inflight or len(source._claim) != 1:
            raise RuntimeError(f"cannot take the handle of {source!r}: it is in use")
        source._closing = True
        self._claim.extend(map(source._claim.pop, (-1,)))
        source._handle = -1
        self._opened()
        return self

    def _check_unowned(self) -> None:
        if not self._closing or self._claim or self._handle != -1:
            raise RuntimeError("this object already owns a handle")

    def _opened(self) -> None:
        """The handle now in ``_claim`` becomes the object's: operations may start."""
        self._handle = self._claim[0]
        self._closing = False
        hook = _hook
        if hook is not None:  # its error propagates; the object owns the handle all the same
            hook(self)

    # -- subclass hooks -------------------------------------------------
    def _release(self, handle: int) -> None:
        """Really release *handle* (close(2), munmap(2), ...).  Called exactly once.

        Best a C function (FdHandle's is ``os.close``): see the module docstring.
        """
        raise NotImplementedError(f"{type(self).__name__} does not say how to release its handle")

    def _interrupt(self, handle: int) -> None:
        """Wake operations blocked on *handle* before a deferred release (sockets)."""

    def _closed_elsewhere(self) -> bool:
        """True when the handle is a descriptor that is no longer open (closed behind this object's back)."""
        return False

    # -- operations -----------------------------------------------------
    def _closed_error(self) -> ClosedResourceError:
        return ClosedResourceError(f"I/O operation on a closed {self._kind}")

    def _enter(self) -> int:
        """Register an operation and return the handle; raise ClosedResourceError if closed."""
        self._inflight.append(None)
        if self._closing:
            self._exit()
            raise self._closed_error()
        return self._handle

    def _await_enter(self) -> int:
        """As :meth:`_enter`, for a task about to wait for readiness: close() then calls the close hook to wake it."""
        self._awaited = True  # marked before the reference: a close() that sees the reference sees the mark
        return self._enter()

    def _exit(self) -> None:
        """Unregister an operation; the last one out after a close releases.

        Raises:
            RuntimeError: no operation is registered.
        """
        try:
            self._inflight.pop()
        except IndexError:
            raise RuntimeError("_exit() without _enter()") from None
        if self._closing and not self._inflight:
            self._drain()

    def _call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Return ``fn(handle, *args, **kwargs)`` run as one registered operation.

        On a socket, an OSError caused by close() shutting it down is
        reported as ClosedResourceError.
        """
        inflight = self._inflight
        try:
            # Registered inside the try: a signal handler raising right after
            # the append still finds the except clause that unregisters.
            inflight.append(None)
            if self._closing:
                raise self._closed_error()
            result = fn(self._handle, *args, **kwargs)
        except BaseException as exc:
            inflight.pop()
            if self._closing and not inflight:
                try:
                    self._drain()
                except Exception:  # noqa: BLE001 - the operation's own error is the one to report
                    pass
            if isinstance(exc, OSError) and (
                (self._interrupts and self._closing) or (exc.errno == _EBADF and self._closed_elsewhere())
            ):
                raise self._closed_error() from exc
            raise
        inflight.pop()
        if self._closing and not inflight:
            self._drain()
        return result

    def _drain(
        self,
        _any: Callable[[Iterable[object]], bool] = any,
        _map: type[map[object]] = map,
        _iter: Callable[..., Iterable[int]] = iter,
        _empty: type[Exception] = IndexError,
        _eintr: type[Exception] = InterruptedError,
    ) -> None:
        """Release every handle still in ``_claim``.

        Each is popped and released inside one C-level call (``any`` over
        ``map(self._release, iter(_claim.pop, None))``), so no signal handler
        runs between the two; a pop from the empty list ends it (IndexError).
        Safe to call again, and from several threads: each handle is popped
        once.  What it uses is bound as a default or reached through
        ``self``, as in the stdlib's ``socket._real_close``: it runs late in
        interpreter shutdown too, when module globals and builtins are gone.

        Raises:
            OSError: a release failed (the handle is gone anyway).
        """
        claim = self._claim
        while claim:
            try:
                _any(_map(self._release, _iter(claim.pop, None)))
            except _empty:  # claim emptied: everything released
                return
            except _eintr:  # close(2) interrupted: the descriptor is gone anyway, never retried
                continue

    # -- the public lifecycle -------------------------------------------
    @property
    def closed(self) -> bool:
        """Whether close() or detach() happened."""
        return self._closing

    def close(self) -> None:
        """Release the handle; a second call does nothing.

        Operations running in other threads finish first (sockets are shut
        down to wake them); later operations raise ClosedResourceError.

        Raises:
            OSError: the release itself failed (the handle is gone anyway).
        """
        inflight = self._inflight
        try:
            if not self._closing:
                self._closing = True
                if inflight and (self._awaited or self._interrupts):
                    try:
                        inflight.append(None)  # held while waking and interrupting: the number stays ours
                        if self._awaited:
                            _notify_waiters(self)  # may drop the references of idle async watches
                        if self._interrupts and len(inflight) > 1:
                            self._interrupt(self._handle)
                    finally:
                        inflight.pop()
        finally:
            if not inflight:  # the last one out releases; this also finishes a close cut short
                self._drain()

    def detach(self) -> int:
        """Give the handle away unclosed and mark this object closed.

        Raises:
            ClosedResourceError: already closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        self._closing = True
        try:
            return self._claim.pop()
        except IndexError:
            raise self._closed_error() from None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(
        self,
        _warn: Callable[..., None] = warnings.warn,
        _warning: type[Warning] = ResourceWarning,
        _oserror: type[Exception] = OSError,
        _noattr: type[Exception] = AttributeError,
        _notify: Callable[[Handle], None] = _notify_waiters,
    ) -> None:
        # Globals may be gone at interpreter shutdown: what is used here is
        # bound as a default or reached through self (see _drain).
        try:
            claim = self._claim
        except _noattr:  # never set up
            return
        try:
            if not self._closing:
                _warn(f"unclosed {self!r}", _warning, source=self)
        finally:
            # Whatever is still claimed: an open object, a close cut short by a
            # signal handler, an operation that never unregistered.  Nothing
            # can be in flight in an object being finalized; an idle async
            # watch may hold a reference, and the close hook drops it.
            was_open = not self._closing
            self._closing = True
            if was_open and self._awaited and self._inflight:
                _notify(self)
            if claim:
                try:
                    self._drain()
                except _oserror:  # released behind our back: not reported from a finalizer, as the stdlib's
                    pass

    def __reduce_ex__(self, protocol: object) -> str:
        raise TypeError(f"cannot pickle {type(self).__name__}: it owns an OS handle")

    def __repr__(self) -> str:
        state = "closed" if self._closing else f"{self._handle}"
        return f"<macres.{type(self).__name__} {state}>"


class FdHandle(Handle):
    """A :class:`Handle` whose handle is a file descriptor: closed with close(2)."""

    __slots__ = ()

    _kind: ClassVar[str] = "file descriptor"

    #: close(2) itself, a C function: popping a descriptor and closing it run
    #: in one C-level call (:meth:`Handle._drain`).  Never retried on EINTR.
    _release = staticmethod(os.close)  # type: ignore[assignment]

    def _closed_elsewhere(self, _fcntl: Callable[[int, int], int] = fcntl.fcntl, _getfd: int = fcntl.F_GETFD) -> bool:
        """True when ``fcntl(F_GETFD)`` says the descriptor is not open: some other code closed it.

        Asked only after a call failed with EBADF, which an open descriptor
        also gives (a write on one opened read-only).
        """
        try:
            _fcntl(self._handle, _getfd)
        except OSError:
            return True
        return False

    def fileno(self) -> int:
        """Return the descriptor number, for select, selectors, asyncio and socket.

        Raises:
            ClosedResourceError: closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        return self._handle
