"""The one lifecycle every handle-owning object shares.

A handle is an integer the object owns: a descriptor, a mapping's address,
a pidfd.  The rules (DESIGN.md, "Object layer"):

* ``close()`` is idempotent, ``closed`` tells, ``with`` closes on exit,
  ``detach()`` hands the handle out unclosed.
* After ``close()`` every operation raises :class:`ClosedResourceError`
  and never reaches the kernel: a closed number may already belong to
  another file.
* A close that races operations in other threads never lets them touch a
  reused number.  Each operation registers itself while it runs
  (:meth:`Handle._enter` / :meth:`Handle._exit`); ``close()`` marks the
  object closing and, while operations are in flight, only interrupts them
  (sockets shut down to wake blocked readers); the last operation out
  performs the real release.  Exactly one thread can release: it must pop
  the single token from ``_claim`` first.  The in-flight list and the token
  rely on ``list.append``/``list.pop`` being atomic, as they are in CPython
  (with the GIL and in the free-threaded build alike).
* An object collected while open releases its handle and emits
  ``ResourceWarning`` with ``source=``, as the stdlib does.

What a blocked operation sees when another thread closes: the operation
keeps the handle alive until it returns.  A socket is shut down first, so a
blocked ``recv``/``accept`` returns at once (``recv`` gives ``b""``,
``accept`` raises an ``OSError``).  A plain descriptor (a pipe, a tty)
cannot be woken portably: the blocked read finishes when data or EOF
arrives, and only then is the descriptor closed.  Every later operation
raises :class:`ClosedResourceError`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import TracebackType
from operator import index as _index
from typing import ClassVar, Protocol, Union

import attrs
from typing_extensions import Self

from ._errors import ClosedResourceError

__all__ = ["FdHandle", "Handle", "HasFileno", "fileno_of"]

#: Called with every object as it adopts a handle, when set: the hook of
#: :mod:`macres.testing`'s opt-in registry.  None costs ``_adopt`` one check.
_on_adopt: Callable[[Handle], None] | None = None


class HasFileno(Protocol):
    """Anything with a ``fileno()``: a macres handle, a stdlib socket or file."""

    def fileno(self) -> int: ...


def fileno_of(value: Union[int, HasFileno], what: str = "fd") -> int:
    """The descriptor number of an int or of an object with ``fileno()``, as ``selectors`` takes them.

    Raises:
        TypeError: *value* is neither (a bool counts as neither).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    fileno = getattr(value, "fileno", None)
    if fileno is None or isinstance(value, bool):
        raise TypeError(f"{what} must be a descriptor number or an object with fileno(), not {type(value).__name__}")
    return _index(fileno())


@attrs.define(eq=False, init=False, repr=False)
class Handle:
    """Base of every object that owns an OS handle (see the module docstring)."""

    _handle: int = -1
    _closing: bool = True
    _inflight: list[None] = attrs.Factory(list)
    _claim: list[int] = attrs.Factory(list)

    #: What the handle is, for messages ("file descriptor", "mapping", ...).
    _kind: ClassVar[str] = "handle"

    def _adopt(self, handle: int) -> None:
        """Take ownership of *handle*; called once by the subclass constructor."""
        self._inflight = []
        self._claim = [handle]
        self._handle = handle
        self._closing = False
        if _on_adopt is not None:
            _on_adopt(self)

    # -- subclass hooks -------------------------------------------------
    def _release(self, handle: int) -> None:
        """Really release *handle* (close(2), munmap(2), ...).  Called exactly once."""
        raise NotImplementedError

    def _interrupt(self, handle: int) -> None:
        """Wake operations blocked on *handle* before a deferred release (sockets)."""

    # -- operations -----------------------------------------------------
    def _enter(self) -> int:
        """Register an operation and return the handle; raise if closed."""
        self._inflight.append(None)
        if self._closing:
            self._exit()
            raise self._closed_error()
        return self._handle

    def _exit(self) -> None:
        """Unregister an operation; the last one out after a close releases."""
        self._inflight.pop()
        if self._closing and not self._inflight:
            self._finish()

    def _closed_error(self) -> ClosedResourceError:
        return ClosedResourceError(f"I/O operation on a closed {self._kind}")

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
        """Whether :meth:`close` or :meth:`detach` happened."""
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
        if self._inflight:
            handle = self._handle
            if self._claim and handle >= 0:
                self._interrupt(handle)
            if self._inflight:
                return  # the last operation out releases
        # _finish(), inlined: close() is on every object's path.
        try:
            handle = self._claim.pop()
        except IndexError:  # another thread released, or it was detached
            return
        self._handle = -1
        self._release(handle)

    def detach(self) -> int:
        """Give the handle away unclosed and mark this object closed.

        Raises:
            ClosedResourceError: already closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        self._closing = True
        try:
            handle = self._claim.pop()
        except IndexError:
            raise self._closed_error() from None
        self._handle = -1
        return handle

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self, _warn: object = warnings.warn) -> None:
        # Globals may be gone at interpreter shutdown: everything used here is
        # bound as a default or reached through self.  Every object runs this
        # when collected, so a closed one (the common case) leaves at once.
        try:
            if self._closing or not self._claim:
                return
        except AttributeError:  # never adopted a handle
            return
        try:
            _warn(f"unclosed {self!r}", ResourceWarning, source=self)  # type: ignore[operator]
        except Exception:  # noqa: BLE001 - a finalizer never raises
            pass
        self._closing = True
        try:
            self._finish()
        except Exception:  # noqa: BLE001 - a finalizer never raises
            pass

    def __reduce_ex__(self, protocol: object) -> str:
        raise TypeError(f"cannot pickle {type(self).__name__}: it owns an OS handle")

    def __repr__(self) -> str:
        state = "closed" if self._closing else f"{self._handle}"
        return f"<macres.{type(self).__name__} {state}>"


@attrs.define(eq=False, init=False, repr=False)
class FdHandle(Handle):
    """A :class:`Handle` whose handle is a file descriptor."""

    _kind: ClassVar[str] = "file descriptor"

    def _release(self, handle: int) -> None:
        from . import raw

        raw.close(handle)

    def fileno(self) -> int:
        """Return the descriptor number, for select, selectors, asyncio and socket.

        Raises:
            ClosedResourceError: closed or detached.
        """
        if self._closing:
            raise self._closed_error()
        return self._handle
