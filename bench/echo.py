#!/usr/bin/env python3
"""Echo round trips per second on loopback: macres.aio beside asyncio streams and trio sockets, in one run.

    python bench/echo.py            # 9 interleaved rounds of 20,000 round trips
    python bench/echo.py --quick    # CI's smoke run

Against asyncio, two contenders: streams (a protocol that keeps the
socket registered and reads into its own buffer) and ``loop.sock_recv``/
``sock_sendall`` (a call per operation, the pattern of macres.aio).  One
connection, one task on each side, a 64-byte message echoed back and
awaited before the next: each round trip is two sends, two receives and
two waits for readiness on each side's loop.  Rounds alternate between the
contenders so machine noise hits all of them alike; the table gives the
median round trips per second and the ratio macres/other (above 1.0:
macres is faster).  Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import time
from collections.abc import Callable
from typing import Any

import macres
from macres.aio import AsyncSocket

MESSAGE = b"m" * 64


# -- asyncio -----------------------------------------------------------------
async def _macres_asyncio(n: int) -> float:
    with macres.Socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        listener = AsyncSocket(lst)

        async def serve() -> None:
            conn, _ = await listener.accept()
            with conn:
                while data := await conn.recv(4096):
                    await conn.sendall(data)

        server = asyncio.ensure_future(serve())
        with AsyncSocket(macres.Socket()) as client:
            await client.connect(lst.getsockname())
            client.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t0 = time.perf_counter()
            for _ in range(n):
                await client.send(MESSAGE)
                got = 0
                while got < len(MESSAGE):
                    got += len(await client.recv(4096))
            elapsed = time.perf_counter() - t0
        await server
    return n / elapsed


async def _streams_asyncio(n: int) -> float:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(4096):
            writer.write(data)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    t0 = time.perf_counter()
    for _ in range(n):
        writer.write(MESSAGE)
        got = 0
        while got < len(MESSAGE):
            got += len(await reader.read(4096))
    elapsed = time.perf_counter() - t0
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    return n / elapsed


async def _sock_asyncio(n: int) -> float:
    """asyncio's own per-call socket API (loop.sock_*): the pattern macres.aio follows, minus the kept registration."""
    loop = asyncio.get_running_loop()
    with socket.socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        lst.setblocking(False)

        async def serve() -> None:
            conn, _ = await loop.sock_accept(lst)
            with conn:
                while data := await loop.sock_recv(conn, 4096):
                    await loop.sock_sendall(conn, data)

        server = asyncio.ensure_future(serve())
        with socket.socket() as client:
            client.setblocking(False)
            await loop.sock_connect(client, lst.getsockname())
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t0 = time.perf_counter()
            for _ in range(n):
                await loop.sock_sendall(client, MESSAGE)
                got = 0
                while got < len(MESSAGE):
                    got += len(await loop.sock_recv(client, 4096))
            elapsed = time.perf_counter() - t0
        await server
    return n / elapsed


# -- trio ----------------------------------------------------------------------
async def _macres_trio(n: int) -> float:
    import trio

    with macres.Socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        listener = AsyncSocket(lst)

        async def serve() -> None:
            conn, _ = await listener.accept()
            with conn:
                while data := await conn.recv(4096):
                    await conn.sendall(data)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(serve)
            with AsyncSocket(macres.Socket()) as client:
                await client.connect(lst.getsockname())
                client.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                t0 = time.perf_counter()
                for _ in range(n):
                    await client.send(MESSAGE)
                    got = 0
                    while got < len(MESSAGE):
                        got += len(await client.recv(4096))
                elapsed = time.perf_counter() - t0
    return n / elapsed


async def _trio_sockets(n: int) -> float:
    import trio

    with trio.socket.socket() as lst:
        await lst.bind(("127.0.0.1", 0))
        lst.listen()

        async def serve() -> None:
            conn, _ = await lst.accept()
            with conn:
                while data := await conn.recv(4096):
                    await conn.send(data)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(serve)
            with trio.socket.socket() as client:
                await client.connect(lst.getsockname())
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                t0 = time.perf_counter()
                for _ in range(n):
                    await client.send(MESSAGE)
                    got = 0
                    while got < len(MESSAGE):
                        got += len(await client.recv(4096))
                elapsed = time.perf_counter() - t0
    return n / elapsed


def _run_asyncio(fn: Callable[[int], Any]) -> Callable[[int], float]:
    return lambda n: asyncio.run(fn(n))


def _run_trio(fn: Callable[[int], Any]) -> Callable[[int], float]:
    def run(n: int) -> float:
        import trio

        result: float = trio.run(fn, n)
        return result

    return run


def rows(n: int, rounds: int) -> list[dict[str, Any]]:
    """The median round trips per second of each contender, and macres's ratio to the other of its loop."""
    ours_asyncio = _run_asyncio(_macres_asyncio)
    pairs: list[tuple[str, Callable[[int], float], str, Callable[[int], float]]] = [
        ("asyncio", ours_asyncio, "asyncio streams", _run_asyncio(_streams_asyncio)),
        ("asyncio", ours_asyncio, "asyncio loop.sock_*", _run_asyncio(_sock_asyncio)),
    ]
    try:
        import trio  # noqa: F401
    except ImportError:
        pass
    else:
        pairs.append(("trio", _run_trio(_macres_trio), "trio sockets", _run_trio(_trio_sockets)))
    out = []
    for loop, ours, other_name, other in pairs:
        ours(max(100, n // 10))  # warm up both
        other(max(100, n // 10))
        a: list[float] = []
        b: list[float] = []
        for _ in range(rounds):
            a.append(ours(n))
            b.append(other(n))
        ma, mb = statistics.median(a), statistics.median(b)
        out.append({"loop": loop, "macres": ma, "other": other_name, "other_rt_s": mb, "ratio": ma / mb})
    return out


def print_rows(table: list[dict[str, Any]]) -> None:
    print(f"{'echo round trips/s':<22}{'macres.aio':>12}  {'other':<22}{'':>10}{'macres/other':>14}")
    for r in table:
        print(f"{r['loop']:<22}{r['macres']:>12.0f}  {r['other']:<22}{r['other_rt_s']:>10.0f}{r['ratio']:>13.2f}x")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    args = p.parse_args(argv)
    n, rounds = (500, 3) if args.quick else (20000, 9)
    print_rows(rows(n, rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
