"""The awaitable forms of a :class:`~macres.Socket`'s blocking calls."""

from __future__ import annotations

import asyncio
import errno
import socket as _stdsocket
from asyncio import _get_running_loop as _running_asyncio
from collections.abc import Coroutine, Sequence
from types import TracebackType
from typing import Any

import attrs
from typing_extensions import Buffer, Self

from .._errors import oserror
from .._handle import HasFileno
from ..fd import FileDescriptor
from ..raw import Address, AddressArg
from ..socket import Socket
from ._loop import _trio, _kept, peek_kept, read_bytes, retry, take_kept, wait_writable, write_all

__all__ = ["AsyncSocket"]

_SOL_SOCKET = _stdsocket.SOL_SOCKET
_SO_ERROR = _stdsocket.SO_ERROR
_SOCK_STREAM = _stdsocket.SOCK_STREAM
_MSG_PEEK = _stdsocket.MSG_PEEK
#: How long a connect that found an AF_UNIX listener's backlog full waits before it tries again.
_CONNECT_RETRY = 0.001


async def _sleep(seconds: float) -> None:
    if asyncio._get_running_loop() is not None:
        await asyncio.sleep(seconds)
    else:
        await _trio().sleep(seconds)


@attrs.frozen(eq=False)
class AsyncSocket:
    """A :class:`~macres.Socket` borrowed for asyncio or trio: its blocking calls, awaitable.

    Making one sets the socket's timeout to 0.0 (``O_NONBLOCK``), as
    asyncio's and trio's sockets do, and leaves it so; the socket's own
    synchronous calls then raise ``BlockingIOError`` instead of waiting.
    Each call tries the socket's non-blocking call first and waits for
    readiness (the running loop's: ``loop.add_reader``/``add_writer``, or
    ``trio.lowlevel.wait_readable``/``wait_writable``) only when it would
    block; under asyncio, ``recv`` on a stream socket runs in the loop's
    readiness callback instead, as asyncio's own transports read.  A
    cancelled call loses nothing: a cancelled ``send`` sent nothing, and
    bytes a cancelled ``recv`` had already taken are kept for the socket's
    next awaited receive (the socket's own synchronous ``recv`` does not
    see them).  ``close()`` on the socket (from
    any task or thread) wakes every task waiting on it with
    :class:`~macres.ClosedResourceError`.  One task at a time may wait to
    receive (or accept), and one to send: a second raises
    :class:`~macres.aio.BusyResourceError`.
    """

    #: The socket borrowed: still the caller's to close.
    socket: Socket
    _stream: bool = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.socket, Socket):
            raise TypeError(f"AsyncSocket wraps a macres.Socket, not a {type(self.socket).__name__}")
        self.socket.timeout = 0.0
        object.__setattr__(self, "_stream", self.socket.type == _SOCK_STREAM)

    # -- the borrowed socket's lifecycle, for convenience ---------------------------
    def fileno(self) -> int:
        """The socket's descriptor number.

        Raises:
            ClosedResourceError: the socket is closed.
        """
        return self.socket.fileno()

    def close(self) -> None:
        """Close the socket; tasks waiting on it wake with ClosedResourceError."""
        self.socket.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.socket.close()

    # -- connections ------------------------------------------------------------------
    async def accept(self) -> tuple[AsyncSocket, Address | None]:
        """Await ``accept(2)``: ``(connection, peer address)``, the connection wrapped (and non-blocking).

        Raises:
            ClosedResourceError: the socket is closed.  OSError: EINVAL (not listening), EMFILE.
        """
        conn, address = await retry(self.socket, False, self.socket.accept)
        return AsyncSocket(conn), address

    async def connect(self, address: AddressArg) -> None:
        """Await ``connect(2)`` to *address*: started non-blocking, finished when writable (``SO_ERROR``).

        A host name is resolved with ``getaddrinfo`` before the call, which
        blocks: pass numeric addresses.  A cancelled connect leaves the
        attempt to the kernel, as asyncio's does.

        Raises:
            ConnectionRefusedError, OSError: the connection failed.  ClosedResourceError: closed.
        """
        sock = self.socket
        if _running_asyncio() is None:
            await _trio().lowlevel.checkpoint_if_cancelled()  # trio: a cancelled scope starts nothing
        while True:
            try:
                sock.connect(address)
                return
            except BlockingIOError as exc:
                if exc.errno == errno.EAGAIN:  # an AF_UNIX listener's full backlog: nothing started
                    await _sleep(_CONNECT_RETRY)
                    continue
            await wait_writable(sock)
            err = sock.getsockopt(_SOL_SOCKET, _SO_ERROR)
            if err:
                raise oserror(err)
            return

    # -- data -------------------------------------------------------------------------
    def recv(self, bufsize: int, flags: int = 0) -> Coroutine[Any, Any, bytes]:
        """Await ``recv(2)``: up to *bufsize* bytes, ``b""`` at end of stream.

        Raises:
            ValueError: *bufsize* negative.  ClosedResourceError: closed.  OSError: the call failed.
        """
        if self._stream and not flags:
            loop = _running_asyncio()
            if loop is not None or _kept:  # asyncio's path (and what was kept)
                return read_bytes(self.socket, self.socket.recv, bufsize, loop)
        if _kept and self._stream and flags & _MSG_PEEK:
            return self._peek_kept(bufsize, flags)
        return retry(self.socket, False, self.socket.recv, bufsize, flags)

    async def _peek_kept(self, bufsize: int, flags: int) -> bytes:
        data = peek_kept(self.socket, bufsize)
        if data is not None:
            return data  # the next bytes are the kept ones
        return await retry(self.socket, False, self.socket.recv, bufsize, flags)

    def recv_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> Coroutine[Any, Any, int]:
        """Await ``recv(2)`` into *buffer*; return the count (0 at end of stream).

        Raises:
            TypeError: a read-only buffer.  ClosedResourceError: closed.  OSError: the call failed.
        """
        if _kept and self._stream and not flags:
            return self._recv_into_kept(buffer, nbytes)
        return retry(self.socket, False, self.socket.recv_into, buffer, nbytes, flags)

    async def _recv_into_kept(self, buffer: Buffer, nbytes: int) -> int:
        sock = self.socket
        with memoryview(buffer) as whole, whole.cast("B") as view:
            if not view.readonly and 0 <= nbytes <= len(view):
                data = await take_kept(sock, nbytes or len(view))
                if data is not None:
                    view[: len(data)] = data
                    return len(data)
        return await retry(sock, False, sock.recv_into, buffer, nbytes, 0)

    def recvfrom(self, bufsize: int, flags: int = 0) -> Coroutine[Any, Any, tuple[bytes, Address | None]]:
        """Await ``recvfrom(2)``: ``(data, sender address)``.

        Raises:
            ValueError: *bufsize* negative.  ClosedResourceError: closed.  OSError: the call failed.
        """
        if _kept and self._stream and not flags:
            return self._recvfrom_kept(bufsize)
        return retry(self.socket, False, self.socket.recvfrom, bufsize, flags)

    async def _recvfrom_kept(self, bufsize: int) -> tuple[bytes, Address | None]:
        sock = self.socket
        if bufsize >= 0:
            data = await take_kept(sock, bufsize)
            if data is not None:
                return data, None  # a stream socket's recvfrom names no sender
        return await retry(sock, False, sock.recvfrom, bufsize, 0)

    def recv_fds(self, bufsize: int, maxfds: int, flags: int = 0) -> Coroutine[Any, Any, tuple[bytes, list[FileDescriptor]]]:
        """Await :meth:`Socket.recv_fds <macres.Socket.recv_fds>`: data and owned descriptors (``SCM_RIGHTS``).

        Raises:
            ClosedResourceError: closed.  OSError: the call failed.
        """
        if _kept and self._stream and not flags:
            return self._recv_fds_kept(bufsize, maxfds)
        return retry(self.socket, False, self.socket.recv_fds, bufsize, maxfds, flags)

    async def _recv_fds_kept(self, bufsize: int, maxfds: int) -> tuple[bytes, list[FileDescriptor]]:
        sock = self.socket
        if bufsize >= 0:
            data = await take_kept(sock, bufsize)
            if data is not None:
                return data, []  # descriptors sent with these bytes went with the recv that took them
        return await retry(sock, False, sock.recv_fds, bufsize, maxfds, 0)

    def send(self, data: Buffer, flags: int = 0) -> Coroutine[Any, Any, int]:
        """Await ``send(2)``: send *data*, maybe partly; return the count sent.

        Raises:
            BrokenPipeError, ConnectionResetError, OSError: the call failed.  ClosedResourceError: closed.
        """
        return retry(self.socket, True, self.socket.send, data, flags)

    def sendall(self, data: Buffer, flags: int = 0) -> Coroutine[Any, Any, None]:
        """Send all of *data*, awaiting room as often as needed.

        Cancelled part way, a prefix of *data* may have been sent (as
        trio's ``sendall``); each ``send(2)`` itself is whole or nothing.

        Raises:
            BrokenPipeError, ConnectionResetError, OSError: a call failed.  ClosedResourceError: closed.
        """
        return write_all(self.socket, self.socket.send, data, flags)

    def sendto(self, data: Buffer, flags_or_address: Any, address: AddressArg = None, /) -> Coroutine[Any, Any, int]:
        """Await ``sendto(2)``: called as ``sendto(data, address)`` or ``sendto(data, flags, address)``.

        Raises:
            ClosedResourceError: closed.  OSError: the call failed.
        """
        if address is None:
            return retry(self.socket, True, self.socket.sendto, data, flags_or_address)
        return retry(self.socket, True, self.socket.sendto, data, flags_or_address, address)

    def send_fds(
        self, data: Buffer, fds: Sequence[int | HasFileno], flags: int = 0, address: AddressArg = None
    ) -> Coroutine[Any, Any, int]:
        """Await :meth:`Socket.send_fds <macres.Socket.send_fds>`: *data* with descriptors; return the bytes sent.

        Raises:
            ClosedResourceError: this socket or a handle in *fds* is closed.  OSError: the call failed.
        """
        return retry(self.socket, True, self.socket.send_fds, data, fds, flags, address)
