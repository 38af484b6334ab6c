"""Awaiting an event source, and anything with ``fileno()`` and ``poll()``."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

import attrs

from ..sources import FileWatch, ProcessExit, SignalInfo, SignalSource, Timer, UserEvent, WatchEvent
from ._loop import retry

__all__ = ["AsyncSource", "wait_poll"]

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")

_Readable = Timer | UserEvent | SignalSource | FileWatch


class _Pollable(Protocol[R_co]):
    def fileno(self) -> int: ...

    def poll(self) -> R_co | None: ...


def _read_or_block(source: _Readable | ProcessExit) -> Any:
    got = source.exited() if isinstance(source, ProcessExit) else source.read()
    if not got:
        raise BlockingIOError
    return got


@attrs.frozen(eq=False)
class AsyncSource(Generic[T]):
    """An event source borrowed for asyncio or trio: :meth:`read` awaits what it delivers.

    Every source is non-blocking already; nothing about it changes.  A
    cancelled read consumes nothing: no expiration, trigger, signal or
    change is lost.  Closing the source wakes the waiting task with
    :class:`~macres.ClosedResourceError`.
    """

    #: The source borrowed: still the caller's to close.
    source: Timer | UserEvent | SignalSource | FileWatch | ProcessExit

    async def read(self) -> T:
        """Await the source's next delivery: a Timer's expirations (> 0), True for a
        UserEvent (and for a ProcessExit, once exited), a SignalSource's signals and a
        FileWatch's changes (non-empty lists).

        Raises:
            ClosedResourceError: closed (also while waiting).
        """
        result: T = await retry(self.source, False, _read_or_block, self.source)
        return result

    @staticmethod
    def timer(source: Timer) -> AsyncSource[int]:
        """Typed constructor for a Timer: ``read()`` gives its expirations."""
        return AsyncSource(source)

    @staticmethod
    def user_event(source: UserEvent) -> AsyncSource[bool]:
        """Typed constructor for a UserEvent: ``read()`` gives True."""
        return AsyncSource(source)

    @staticmethod
    def signals(source: SignalSource) -> AsyncSource[list[SignalInfo]]:
        """Typed constructor for a SignalSource: ``read()`` gives the signals received."""
        return AsyncSource(source)

    @staticmethod
    def file_watch(source: FileWatch) -> AsyncSource[list[WatchEvent]]:
        """Typed constructor for a FileWatch: ``read()`` gives the changes."""
        return AsyncSource(source)

    @staticmethod
    def process_exit(source: ProcessExit) -> AsyncSource[bool]:
        """Typed constructor for a ProcessExit: ``read()`` gives True once the process exited."""
        return AsyncSource(source)


def _poll_or_block(obj: _Pollable[R]) -> R:
    got = obj.poll()
    if got is None:
        raise BlockingIOError
    return got


async def wait_poll(obj: _Pollable[R]) -> R:
    """Await ``obj.poll()`` returning something other than None, waiting for ``obj.fileno()`` to be readable between calls.

    For anything whose descriptor becomes readable when ``poll()`` has an
    answer: a child process with a pidfd (``fileno()``) and ``poll()``
    returns its exit code.  Returns that answer.

    Raises:
        Whatever ``poll()`` raises; ClosedResourceError: a macres object closed while waiting.
    """
    return await retry(obj, False, _poll_or_block, obj)
