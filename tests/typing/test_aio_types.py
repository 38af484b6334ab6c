"""What mypy knows of macres.aio: each awaitable call's result type, and the mistakes it rejects."""

from __future__ import annotations

import subprocess

from typing_extensions import assert_type

import macres
from macres.aio import AsyncFile, AsyncSocket, AsyncSource, wait_poll
from macres.sources import FileWatch, SignalInfo, SignalSource, Timer, UserEvent, WatchEvent


async def sockets(sock: macres.Socket) -> None:
    a = AsyncSocket(sock)
    assert_type(await a.recv(10), bytes)
    assert_type(await a.recv_into(bytearray(10)), int)
    assert_type(await a.send(b"x"), int)
    conn, _ = await a.accept()
    assert_type(conn, AsyncSocket)
    data, fds = await a.recv_fds(10, 1)
    assert_type(fds, list[macres.FileDescriptor])
    await a.recv("ten")  # type: ignore[arg-type]
    AsyncSocket(object())  # type: ignore[arg-type]


async def files(fd: macres.FileDescriptor) -> None:
    f = AsyncFile(fd)
    assert_type(await f.read(10), bytes)
    assert_type(await f.write(b"x"), int)
    await f.write("text")  # type: ignore[arg-type]


async def sources(t: Timer, e: UserEvent, s: SignalSource, w: FileWatch) -> None:
    assert_type(await AsyncSource.timer(t).read(), int)
    assert_type(await AsyncSource.user_event(e).read(), bool)
    assert_type(await AsyncSource.signals(s).read(), list[SignalInfo])
    assert_type(await AsyncSource.file_watch(w).read(), list[WatchEvent])
    AsyncSource.timer(e)  # type: ignore[arg-type]


class Child:
    def __init__(self, proc: subprocess.Popen[bytes], pidfd: int) -> None:
        self.proc = proc
        self.pidfd = pidfd

    def fileno(self) -> int:
        return self.pidfd

    def poll(self) -> int | None:
        return self.proc.poll()


async def polled(child: Child) -> None:
    assert_type(await wait_poll(child), int)
    await wait_poll(object())  # type: ignore[arg-type]
