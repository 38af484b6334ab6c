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
  the real release, exactly once (whoever pops the single token from
  ``_claim``).  ``close()`` holds a reference itself while it interrupts a
  socket's blocked operations, so the number it shuts down cannot have been
  released and reused in between.  The in-flight list and the token rely on
  ``list.append``/``list.pop`` being atomic, as they are in CPython.
* An object collected while open releases its handle and emits
  ``ResourceWarning`` with ``source=``; under ``-W error`` the warning's
  exception reaches ``sys.unraisablehook``, as the stdlib's does.

The compiled core keeps the same state in one atomic word, which no signal
handler can split; here a ``KeyboardInterrupt`` landing between two
bytecodes of these methods can still leave a reference counted.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from typing_extensions import Self

from .._errors import ClosedResourceError

__all__ = ["FdHandle", "Handle", "get_adopt_hook", "set_adopt_hook"]

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


class Handle:
    """Base of every object that owns an OS handle (see the module docstring)."""

    __slots__ = ("__weakref__", "_claim", "_closing", "_handle", "_inflight")

    _handle: int
    _closing: bool
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
        self._inflight = []
        self._claim = []
        return self

    def _adopt(self, handle: int) -> None:
        """Take ownership of *handle*; called once by the constructor.

        Raises:
            RuntimeError: this object already owns a handle.
        """
        if not self._closing or self._claim or self._handle != -1:
            raise RuntimeError("this object already owns a handle")
        self._inflight = []
        self._claim = [handle]
        self._handle = handle
        self._closing = False
        hook = _hook
        if hook is not None:  # its error propagates; the object owns the handle all the same
            hook(self)

    # -- subclass hooks -------------------------------------------------
    def _release(self, handle: int) -> None:
        """Really release *handle* (close(2), munmap(2), ...).  Called exactly once."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to release its handle")

    def _interrupt(self, handle: int) -> None:
        """Wake operations blocked on *handle* before a deferred release (sockets)."""

    def _holds_nothing(self) -> bool:
        """Whether the handle owns no resource, so that collecting it unclosed is no leak."""
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
            self._finish()

    def _exit_after_error(self) -> None:
        """:meth:`_exit` on an error path: the operation's own error is the one to report."""
        try:
            self._exit()
        except Exception:  # noqa: BLE001, S110 - the handle is gone anyway
            pass

    def _call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Return ``fn(handle, *args, **kwargs)`` run as one registered operation.

        On a socket, an OSError caused by close() shutting it down is
        reported as ClosedResourceError.
        """
        handle = self._enter()
        try:
            result = fn(handle, *args, **kwargs)
        except OSError as exc:
            self._exit_after_error()
            if self._interrupts and self._closing:
                raise self._closed_error() from exc
            raise
        except BaseException:
            self._exit_after_error()
            raise
        self._exit()
        return result

    def _finish(self) -> None:
        try:
            handle = self._claim.pop()
        except IndexError:  # another thread released, or it was detached
            return
        self._handle = -1
        self._release(handle)

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
        if self._closing:
            return
        self._closing = True
        inflight = self._inflight
        inflight.append(None)  # held while interrupting: the number stays ours
        try:
            if self._interrupts and len(inflight) > 1:
                self._interrupt(self._handle)
        finally:
            self._exit()

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

    def __del__(self, _warn: Callable[..., None] = warnings.warn) -> None:
        # Globals may be gone at interpreter shutdown: what is used here is
        # bound as a default or reached through self.
        try:
            if self._closing:
                return
        except AttributeError:  # never set up
            return
        try:
            if not self._holds_nothing():
                _warn(f"unclosed {self!r}", ResourceWarning, source=self)
        finally:
            try:
                self.close()
            except OSError:  # released behind our back: not reported from a finalizer, as the stdlib's
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

    def _release(self, handle: int, _close: Callable[[int], None] = os.close) -> None:
        try:
            _close(handle)
        except InterruptedError:  # the descriptor is gone anyway; never retried
            pass

    def fileno(self) -> int:
        """Return the descriptor number, for select, selectors, asyncio and socket.

        Raises:
            ClosedResourceError: closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        return self._handle
