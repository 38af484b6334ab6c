"""Native async for macres objects: asyncio and trio, through the running loop's own readiness, no threads.

The pattern is trio's socket wrappers: a small wrapper per object that
*borrows* it and has the same method names, awaitable::

    conn = macres.aio.AsyncSocket(sock)     # sets the socket non-blocking
    data = await conn.recv(4096)            # asyncio or trio, whichever runs

:class:`AsyncSocket` (accept, connect, recv, recv_into, recvfrom, recv_fds,
send, sendall, sendto, send_fds), :class:`AsyncFile` (read, readinto,
write, write_all on pipes, FIFOs, ttys), :class:`AsyncSource` (an event
source's read), :class:`AsyncChild` and :class:`AsyncProcess` (a process's
exit, through its pidfd or kqueue) and, for anything with ``fileno()``, :func:`wait_readable`,
:func:`wait_writable` and :func:`wait_poll`.

Each call is the object's own non-blocking call, tried first; only when it
would block does the task wait, with ``loop.add_reader``/``add_writer``
under asyncio or ``trio.lowlevel.wait_readable``/``wait_writable`` under
trio; under asyncio a stream's read runs in the loop's readiness callback,
as asyncio's transports read.  Rules: a cancelled call loses nothing (a
cancelled send sent nothing; bytes a cancelled read took go to the next
awaited read of the object); closing the object, from any task or thread, wakes every
task waiting on it with :class:`~macres.ClosedResourceError`; one task at a
time may wait to read, and one to write (:class:`BusyResourceError`).
Neither asyncio nor trio is imported to run this: the running one is found.
"""

from __future__ import annotations

from ._file import AsyncFile as AsyncFile
from ._loop import BusyResourceError as BusyResourceError
from ._loop import wait_readable as wait_readable
from ._loop import wait_writable as wait_writable
from ._process import AsyncChild as AsyncChild
from ._process import AsyncProcess as AsyncProcess
from ._socket import AsyncSocket as AsyncSocket
from ._source import AsyncSource as AsyncSource
from ._source import wait_poll as wait_poll

__all__ = ["AsyncChild", "AsyncFile", "AsyncProcess", "AsyncSocket", "AsyncSource", "BusyResourceError", "wait_poll", "wait_readable", "wait_writable"]
