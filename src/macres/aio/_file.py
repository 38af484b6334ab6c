"""The awaitable forms of a pipe's, a tty's or a character device's reads and writes."""

from __future__ import annotations

import stat
from asyncio import _get_running_loop as _running_asyncio
from collections.abc import Coroutine
from types import TracebackType
from typing import Any

import attrs
from typing_extensions import Buffer, Self

from ..fd import FileDescriptor
from ._loop import _kept, read_bytes, retry, take_kept, write_all

__all__ = ["AsyncFile"]


@attrs.frozen(eq=False)
class AsyncFile:
    """A :class:`~macres.FileDescriptor` on a pipe, FIFO, tty or socket, borrowed for asyncio or trio.

    Making one sets ``O_NONBLOCK`` on the descriptor (``blocking = False``)
    and leaves it so.  The flag belongs to the open file description: every
    dup shares it, and so does every other process holding it (a tty or a
    pipe inherited from a shell); set ``blocking = True`` again when done
    with such a descriptor.  Each call tries the non-blocking ``read(2)``/
    ``write(2)`` first and waits for readiness through the running loop only
    when it would block (under asyncio, ``read`` runs in the loop's
    readiness callback, as asyncio's transports read); a cancelled call
    loses nothing: bytes a cancelled ``read`` had taken go to the next read.  ``close()`` on
    the descriptor wakes every task waiting on it with
    :class:`~macres.ClosedResourceError`.

    Regular files and directories are refused: they are always "ready" and
    their reads block in the kernel whatever the flag.
    """

    #: The descriptor borrowed: still the caller's to close.
    file: FileDescriptor

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.file, FileDescriptor):
            raise TypeError(f"AsyncFile wraps a macres.FileDescriptor, not a {type(self.file).__name__}")
        mode = self.file.fstat().st_mode
        if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
            raise ValueError("a regular file or directory is always ready: read it in a worker thread instead")
        self.file.blocking = False

    def fileno(self) -> int:
        """The descriptor number.

        Raises:
            ClosedResourceError: the descriptor is closed.
        """
        return self.file.fileno()

    def close(self) -> None:
        """Close the descriptor; tasks waiting on it wake with ClosedResourceError."""
        self.file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.file.close()

    def read(self, size: int) -> Coroutine[Any, Any, bytes]:
        """Await ``read(2)`` of up to *size* bytes; ``b""`` at end of file.

        Raises:
            ValueError: *size* negative (reading to the end is many calls, which a cancellation could split).
            ClosedResourceError: closed.  OSError: the call failed.
        """
        if size < 0:
            raise ValueError(f"read() of an AsyncFile needs a size, got {size}")
        loop = _running_asyncio()
        if loop is not None or _kept:  # asyncio's path (and what was kept)
            return read_bytes(self.file, self.file.read, size, loop)
        return retry(self.file, False, self.file.read, size)

    def readinto(self, buffer: Buffer) -> Coroutine[Any, Any, int]:
        """Await ``read(2)`` into *buffer*; return the count (0 at end of file).

        Raises:
            TypeError: a read-only buffer.  ClosedResourceError: closed.  OSError: the call failed.
        """
        if _kept:
            return self._readinto_kept(buffer)
        return retry(self.file, False, self.file.readinto, buffer)

    async def _readinto_kept(self, buffer: Buffer) -> int:
        with memoryview(buffer) as whole, whole.cast("B") as view:
            if not view.readonly:
                data = await take_kept(self.file, len(view))
                if data is not None:
                    view[: len(data)] = data
                    return len(data)
        return await retry(self.file, False, self.file.readinto, buffer)

    def write(self, data: Buffer) -> Coroutine[Any, Any, int]:
        """Await ``write(2)`` of *data*, maybe partly; return the count written.

        Raises:
            BrokenPipeError, OSError: the call failed.  ClosedResourceError: closed.
        """
        return retry(self.file, True, self.file.write, data)

    def write_all(self, data: Buffer) -> Coroutine[Any, Any, None]:
        """Write all of *data*, awaiting room as often as needed (cancelled part way, a prefix may be written).

        Raises:
            BrokenPipeError, OSError: a call failed.  ClosedResourceError: closed.
        """
        return write_all(self.file, self.file.write, data)
