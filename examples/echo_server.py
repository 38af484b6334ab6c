"""An echo server on loopback that runs the same code under asyncio or trio, and stops cleanly on SIGTERM.

    python examples/echo_server.py [--loop asyncio|trio] [--port PORT] [--idle SECONDS]

It listens on 127.0.0.1 (``--port 0``, the default, takes a free port) and
prints ``listening on 127.0.0.1:PORT`` once it accepts connections.  Every
client gets back what it sends, for as long as it keeps sending: a client
silent for ``--idle`` seconds is closed by the server.  That timeout cancels
a waiting ``recv``, which loses nothing (macres.aio's promise): the bytes a
client sends just after its timer fired are never read and dropped.

``SIGTERM`` or ``SIGINT`` stops the server: they reach a ``SignalSource``
(a signalfd on Linux, a kqueue on macOS) that one task awaits; it closes the
listener and every connection, which wakes the tasks waiting on them with
``ClosedResourceError``.  The ``with`` blocks then leave nothing open, so
the server runs clean under ``python -X dev -W error``.  On exit it prints
``served N clients, B bytes`` and exits with status 0.

The connection code is written once: ``macres.aio.AsyncSocket`` waits
through whichever loop runs.  Only starting tasks and timing out differ
between the two libraries, in the two small functions below.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import signal
from collections.abc import Awaitable, Callable

import macres
from macres.aio import AsyncSocket, AsyncSource


@dataclasses.dataclass
class Totals:
    """What the server did, for the last line it prints."""

    clients: int = 0
    bytes: int = 0


async def recv_within(conn: AsyncSocket, seconds: float, loop: str) -> bytes | None:
    """Up to 64 KiB from *conn*, or None when *seconds* passed first (the cancelled recv took nothing)."""
    if loop == "asyncio":
        try:
            return await asyncio.wait_for(conn.recv(65536), seconds)
        except asyncio.TimeoutError:
            return None
    import trio

    with trio.move_on_after(seconds):
        return await conn.recv(65536)
    return None


async def echo(conn: AsyncSocket, idle: float, loop: str, totals: Totals) -> None:
    """Send back what *conn* sends until it closes, stays silent for *idle* seconds, or the server stops."""
    with conn:  # closes the connection however this ends
        try:
            while data := await recv_within(conn, idle, loop):
                await conn.sendall(data)
                totals.bytes += len(data)
        except (macres.ClosedResourceError, ConnectionResetError, BrokenPipeError):
            pass  # the server is stopping, or the client went away


async def serve(listener: macres.Socket, idle: float, loop: str, start: Callable[[Awaitable[None]], None]) -> Totals:
    """Accept clients on *listener* and *start* a task echoing each, until SIGTERM or SIGINT closes everything."""
    totals = Totals()
    connections: set[AsyncSocket] = set()
    server = AsyncSocket(listener)

    async def stop_on_signal(source: macres.SignalSource) -> None:
        await AsyncSource.signals(source).read()
        listener.close()  # wakes the accept below
        for conn in list(connections):
            conn.close()  # wakes the recv or send of its task

    async def one(conn: AsyncSocket) -> None:
        try:
            await echo(conn, idle, loop, totals)
        finally:
            connections.discard(conn)

    with macres.SignalSource([signal.SIGTERM, signal.SIGINT]) as source:
        start(stop_on_signal(source))
        address = listener.getsockname()
        assert isinstance(address, tuple)  # AF_INET: (host, port)
        print(f"listening on {address[0]}:{address[1]}", flush=True)
        while True:
            try:
                conn, _ = await server.accept()
            except macres.ClosedResourceError:
                return totals
            totals.clients += 1
            connections.add(conn)
            start(one(conn))


async def run_asyncio(listener: macres.Socket, idle: float) -> Totals:
    tasks: set[asyncio.Task[None]] = set()

    def start(work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    totals = await serve(listener, idle, "asyncio", start)
    await asyncio.gather(*tasks)  # every connection closed: each task ends
    return totals


async def run_trio(listener: macres.Socket, idle: float) -> Totals:
    import trio

    async with trio.open_nursery() as nursery:

        def start(work: Awaitable[None]) -> None:
            async def task() -> None:
                await work

            nursery.start_soon(task)

        return await serve(listener, idle, "trio", start)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--loop", choices=["asyncio", "trio"], default="asyncio")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--idle", type=float, default=30.0, help="close a client silent this many seconds")
    args = p.parse_args(argv)
    with macres.Socket() as listener:
        listener.setsockopt(macres.sockopt.SO_REUSEADDR, True)
        listener.bind(("127.0.0.1", args.port))
        listener.listen()
        if args.loop == "asyncio":
            totals = asyncio.run(run_asyncio(listener, args.idle))
        else:
            import trio

            totals = trio.run(run_trio, listener, args.idle)
    print(f"served {totals.clients} clients, {totals.bytes} bytes", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
