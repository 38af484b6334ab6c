"""macres.aio: awaitable Socket, pipe and event-source calls under asyncio and under trio.

Every test runs under both libraries (the ``lib`` fixture) and on the core
the suite runs on (the suite runs once per core).  Nothing is timed: a
task is known to be waiting once the loop has run a few rounds with
nothing it could read (single-threaded loops are deterministic there), and
every run is bounded by ``BOUND`` seconds so a hang fails instead of
hanging the suite.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import random
import select
import signal
import socket
import subprocess
import struct
import sys
import termios
import threading
import tty
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import psutil
import pytest

from _strace import kernel_calls, needs_strace

import macres
from macres import ClosedResourceError
from macres._backend import core
from macres.aio._loop import read_bytes
from macres.aio import AsyncChild, AsyncFile, AsyncProcess, AsyncSocket, AsyncSource, BusyResourceError, wait_poll, wait_readable
from macres.sources import Change, FileWatch, ProcessExit, SignalSource, Timer, UserEvent

trio = pytest.importorskip("trio")

#: The most any one test's loop may run, in seconds: a bound, never an outcome.
BOUND = 60.0

LIBS = ["asyncio", "trio"]


# -- running the same test under either library ------------------------------------------
class Lib:
    """The few primitives a test needs, for asyncio or for trio."""

    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        """Run *main* to completion, failing after BOUND seconds."""
        if self.name == "asyncio":

            async def bounded() -> Any:
                return await asyncio.wait_for(main(), BOUND)

            return asyncio.run(bounded())

        async def bounded_trio() -> Any:
            with trio.fail_after(BOUND):
                return await main()

        return trio.run(bounded_trio)

    async def rounds(self, n: int = 5) -> None:
        """Let every other ready task run up to its next wait, *n* times over."""
        for _ in range(n):
            if self.name == "asyncio":
                await asyncio.sleep(0)
            else:
                await trio.lowlevel.checkpoint()

    async def gather(self, *fns: Callable[[], Awaitable[Any]]) -> list[Any]:
        """Run the functions as concurrent tasks; return their results in order (the first error propagates)."""
        if self.name == "asyncio":
            return list(await asyncio.gather(*(fn() for fn in fns)))
        results: list[Any] = [None] * len(fns)

        async def one(i: int, fn: Callable[[], Awaitable[Any]]) -> None:
            results[i] = await fn()

        async with trio.open_nursery() as nursery:
            for i, fn in enumerate(fns):
                nursery.start_soon(one, i, fn)
        return results

    async def cancel_after(self, fn: Callable[[], Awaitable[Any]], rounds: int) -> bool:
        """Start *fn* as a task, let the loop run *rounds* rounds, cancel it; True if it finished first."""
        done = False

        async def body() -> None:
            nonlocal done
            await fn()
            done = True

        if self.name == "asyncio":
            task = asyncio.ensure_future(body())
            await self.rounds(rounds)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            return done
        scope = trio.CancelScope()

        async def scoped() -> None:
            with scope:
                await body()

        async with trio.open_nursery() as nursery:
            nursery.start_soon(scoped)
            await self.rounds(rounds)
            scope.cancel()
        return done


@pytest.fixture(params=LIBS)
def lib(request: pytest.FixtureRequest) -> Lib:
    return Lib(request.param)


def listener() -> macres.Socket:
    sock = macres.Socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    return sock


# -- echo ------------------------------------------------------------------------------
CLIENTS = 200


def test_echo_server_with_200_concurrent_clients(lib: Lib) -> None:
    """200 loopback clients, each sending and receiving at once: every byte comes back, in order."""
    rng = random.Random(15)
    payloads = [rng.randbytes(rng.randrange(1, 20000)) for _ in range(CLIENTS)]
    echoed: list[bytes] = []

    async def main() -> None:
        with listener() as lst:
            server = AsyncSocket(lst)
            address = lst.getsockname()

            async def serve_one(conn: AsyncSocket) -> None:
                with conn:
                    while data := await conn.recv(rng.randrange(1, 8192)):
                        await conn.sendall(data)

            async def serve() -> None:
                conns = [(await server.accept())[0] for _ in range(CLIENTS)]  # one accepting task, as in trio
                await lib.gather(*[(lambda c=c: serve_one(c)) for c in conns])

            async def client(payload: bytes) -> bytes:
                with AsyncSocket(macres.Socket()) as sock:
                    await sock.connect(address)

                    async def send() -> None:
                        view = memoryview(payload)
                        while view:
                            n = min(len(view), 3000)
                            await sock.sendall(view[:n])
                            view = view[n:]
                        sock.socket.shutdown(socket.SHUT_WR)

                    async def receive() -> bytes:
                        got = bytearray()
                        while data := await sock.recv(65536):
                            got += data
                        return bytes(got)

                    _, got = await lib.gather(send, receive)
                    return got  # type: ignore[no-any-return]

            results = await lib.gather(serve, *[(lambda p=p: client(p)) for p in payloads])
            echoed.extend(results[1:])
            threads.append(psutil.Process().num_threads())

    threads = [psutil.Process().num_threads()]
    lib.run(main)
    assert threads[0] == threads[1]  # no thread did any of the waiting
    assert len(echoed) == CLIENTS
    assert sum(map(len, echoed)) == sum(map(len, payloads))
    assert echoed == payloads


# -- cancellation ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cancelled_operations_lose_and_invent_no_byte(lib: Lib, seed: int) -> None:
    """Sends and receives cancelled at random points: the bytes received are exactly those the completed sends reported."""
    rng = random.Random(seed)
    sent = bytearray()
    received = bytearray()
    outcomes = {"send_done": 0, "send_cancelled": 0, "recv_done": 0, "recv_cancelled": 0}

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            b.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)  # sends wait for room often
            reader, writer = AsyncSocket(a), AsyncSocket(b)
            counter = 0

            async def send() -> None:
                nonlocal counter
                chunk = bytes((counter + i) % 251 for i in range(rng.randrange(1, 40000)))
                n = await writer.send(chunk)
                sent.extend(chunk[:n])
                counter += n

            async def recv() -> None:
                received.extend(await reader.recv(rng.randrange(1, 30000)))

            async def attempt(which: str, fn: Callable[[], Awaitable[None]]) -> None:
                done = await lib.cancel_after(fn, rng.randrange(0, 6))
                outcomes[which + ("_done" if done else "_cancelled")] += 1

            for _ in range(300):  # a send and a receive at once, in random order, each cancelled at a random point
                pair = [lambda: attempt("send", send), lambda: attempt("recv", recv)]
                rng.shuffle(pair)
                await lib.gather(*pair)
            b.shutdown(socket.SHUT_WR)
            while data := await reader.recv(65536):
                received.extend(data)

    lib.run(main)
    assert all(outcomes.values()), outcomes  # both operations both completed and were cancelled
    assert len(received) == len(sent)
    assert received == sent


def _unread(fd: int) -> int:
    """The bytes the kernel holds unread for *fd* (``FIONREAD``): the witness that a read ran."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]


async def _cancel_after_its_read(read: Callable[[], Awaitable[Any]], feed: Callable[[], None], fd: int | Callable[[], bool]) -> None:
    """asyncio: start *read*, let it wait, *feed* it, let the loop's callback read, then cancel the task before it resumes.

    *fd*: the descriptor whose unread bytes (none left) show that the read
    ran, or a function that tells it.
    """
    ran = fd if callable(fd) else lambda: not _unread(fd)
    task = asyncio.ensure_future(read())
    await asyncio.sleep(0)  # the task starts, finds nothing and waits
    feed()
    for _ in range(50):  # bounded: a few rounds at most
        await asyncio.sleep(0)
        if ran():
            break
    assert ran()  # the loop's callback read ...
    assert not task.done()  # ... and the task has not resumed yet: this one runs before its wake-up
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def _next_socket_read(kind: str, sa: AsyncSocket) -> Callable[[], Awaitable[bytes]]:
    """The awaited receive of *kind* on *sa*, as a function returning the bytes it got."""

    async def recv() -> bytes:
        return await sa.recv(100)

    async def recv_into() -> bytes:
        buf = bytearray(100)
        return bytes(buf[: await sa.recv_into(buf)])

    async def recvfrom() -> bytes:
        return (await sa.recvfrom(100))[0]

    async def recv_fds() -> bytes:
        data, fds = await sa.recv_fds(100, 4)
        assert fds == []
        return data

    return {"recv": recv, "recv_into": recv_into, "recvfrom": recvfrom, "recv_fds": recv_fds}[kind]


@pytest.mark.parametrize("kind", ["recv", "recv_into", "recvfrom", "recv_fds"])
def test_bytes_a_cancelled_recv_had_taken_go_to_the_next_receive(kind: str) -> None:
    """asyncio: a recv whose read the loop's callback ran, its task cancelled before it resumed, leaves the bytes to the next receive."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)
            b.send(b"x")
            assert await sa.recv(10) == b"x"  # tried first: nothing waited yet
            await _cancel_after_its_read(lambda: sa.recv(100), lambda: b.send(b"hello"), a.fileno())
            b.send(b"!")
            read = _next_socket_read(kind, sa)
            assert await read() == b"hello"
            assert await read() == b"!"

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_kept_bytes_come_out_in_order_and_in_pieces() -> None:
    """asyncio: kept bytes come out as small as each receive asks, and before newer bytes."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)
            await _cancel_after_its_read(lambda: sa.recv(100), lambda: b.send(b"abc"), a.fileno())
            b.send(b"def")
            assert [await sa.recv(2), await sa.recv(2), await sa.recv(100)] == [b"ab", b"c", b"def"]

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_an_error_a_cancelled_recv_met_is_raised_by_the_next_receive() -> None:
    """asyncio: a reset the loop's callback met for a recv cancelled before it resumed is raised by the next recv, once."""

    async def main() -> None:
        with listener() as lst, macres.Socket() as client:
            client.connect(lst.getsockname())
            conn, _ = lst.accept()
            with conn:
                sc = AsyncSocket(client)
                errors: list[BaseException] = []

                def recv(size: int) -> bytes:  # the socket's recv, watched: the witness that the callback ran it
                    try:
                        return client.recv(size)
                    except ConnectionResetError as e:
                        errors.append(e)
                        raise

                def reset() -> None:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    conn.close()  # linger 0: RST

                await _cancel_after_its_read(lambda: read_bytes(client, recv, 100), reset, lambda: bool(errors))
                with pytest.raises(ConnectionResetError):
                    await sc.recv(100)
                assert await sc.recv(100) == b""  # the reset is reported once, then end of stream

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_bytes_a_cancelled_pipe_read_had_taken_go_to_the_next_read() -> None:
    """asyncio: the same for a pipe's read; readinto and read take the kept bytes first."""

    async def main() -> None:
        r, w = macres.pipe()
        with r, w:
            ar = AsyncFile(r)
            await _cancel_after_its_read(lambda: ar.read(100), lambda: w.write(b"hello"), r.fileno())
            w.write(b"world")
            buf = bytearray(3)
            assert buf[: await ar.readinto(buf)] == b"hel"
            assert [await ar.read(100), await ar.read(100)] == [b"lo", b"world"]

    asyncio.run(asyncio.wait_for(main(), BOUND))


PING_PONG = """
import asyncio, trio, macres
from macres.aio import AsyncSocket

async def ping_pong(n):
    a, b = macres.Socket.pair()
    with a, b:
        sa, sb = AsyncSocket(a), AsyncSocket(b)

        async def echo():
            for _ in range(n):
                await sb.sendall(await sb.recv(100))

        async def ping():
            for _ in range(n):
                await sa.sendall(b"ping")
                assert await sa.recv(100) == b"ping"

        if LIB == "asyncio":
            await asyncio.gather(echo(), ping())
        else:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(echo)
                nursery.start_soon(ping)

def run(n):
    asyncio.run(ping_pong(n)) if LIB == "asyncio" else trio.run(ping_pong, n)

run(5)
"""


@needs_strace
def test_a_ping_pong_under_asyncio_reads_without_failing_first() -> None:
    """200 round trips make 400 reads, and next to no recv that fails with EAGAIN (the kernel's count, by strace).

    asyncio reads in the loop's callback when it reports the socket ready.
    (trio tries first, as trio's own sockets do: its scheduler often runs the
    reader after the bytes came, and waiting first costs more than a failed
    recv there, by callgrind's count.)
    """
    name = "asyncio"
    calls = kernel_calls("run(200)\n", f"LIB = {name!r}\n" + PING_PONG, trace="recvfrom,recvmsg,read")
    reads = [c for c in calls if c.name in ("recvfrom", "recvmsg") and ", 100, " in c.args]  # ours (trio reads its own wakeup socket)
    failed = [c for c in reads if "EAGAIN" in c.result]
    assert len(reads) - len(failed) == 400
    assert len(failed) <= 4, f"{len(failed)} of {len(reads)} reads failed first"


def test_cancelled_pipe_read_loses_no_byte(lib: Lib) -> None:
    """A pipe read cancelled while waiting consumes nothing: the next read gets the bytes written meanwhile."""
    out: list[bytes] = []

    async def main() -> None:
        r, w = macres.pipe()
        with r, w:
            reader = AsyncFile(r)
            assert not await lib.cancel_after(lambda: reader.read(10), 3)
            w.write(b"kept")
            out.append(await reader.read(10))

    lib.run(main)
    assert out == [b"kept"]


# -- closing wakes the waiters --------------------------------------------------------
def test_close_wakes_every_waiter_with_closed_resource_error(lib: Lib) -> None:
    """Tasks waiting to accept, receive, send, read a pipe and read a source all wake with ClosedResourceError."""
    errors: list[BaseException] = []

    async def main() -> None:
        lst = listener()
        a, b = macres.Socket.pair()
        r, w = macres.pipe()
        event = UserEvent()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        sa = AsyncSocket(a)
        while True:  # fill a's buffer, so that a send waits
            try:
                a.send(b"x" * 65536)
            except BlockingIOError:
                break
        waiters: list[Callable[[], Awaitable[Any]]] = [
            lambda: AsyncSocket(lst).accept(),
            lambda: sa.recv(10),
            lambda: sa.send(b"y" * 65536),
            lambda: AsyncFile(r).read(10),
            lambda: AsyncSource.user_event(event).read(),
        ]
        objects = [lst, a, r, event]

        async def expect_closed(fn: Callable[[], Awaitable[Any]]) -> None:
            try:
                await fn()
            except ClosedResourceError as exc:
                errors.append(exc)

        async def closer() -> None:
            await lib.rounds()
            for obj in objects:
                obj.close()

        try:
            await lib.gather(*[(lambda f=f: expect_closed(f)) for f in waiters], closer)
        finally:
            for obj in (*objects, b, w):
                obj.close()

    lib.run(main)
    assert len(errors) == 5
    assert all(type(e) is ClosedResourceError for e in errors)


def test_close_from_another_thread_wakes_the_waiter_and_releases(lib: Lib) -> None:
    """A socket closed by another thread wakes the task waiting on it; its number is released once the task is out."""
    seen: list[BaseException] = []
    numbers: list[int] = []

    async def main() -> None:
        a, b = macres.Socket.pair()
        with b:
            numbers.append(a.fileno())
            sa = AsyncSocket(a)
            thread = threading.Thread(target=a.close)

            async def wait() -> None:
                try:
                    await sa.recv(10)
                except ClosedResourceError as exc:
                    seen.append(exc)

            async def close_elsewhere() -> None:
                await lib.rounds()
                thread.start()

            await lib.gather(wait, close_elsewhere)
            thread.join(BOUND)

    lib.run(main)
    assert len(seen) == 1
    with pytest.raises(OSError):
        os.fstat(numbers[0])


def test_closed_number_reused_in_the_same_loop(lib: Lib) -> None:
    """An object awaited, then closed while idle, leaves no registration: a new object on the same number works."""
    got: list[bytes] = []

    async def main() -> None:
        a, b = macres.Socket.pair()
        with b:
            sa = AsyncSocket(a)

            async def send_later() -> None:
                await lib.rounds()
                b.send(b"1")

            assert (await lib.gather(lambda: sa.recv(1), send_later))[0] == b"1"  # it waited: the loop watched it
            number = a.fileno()
            a.close()
            with pytest.raises(OSError):
                os.fstat(number)  # released now, though the loop watched it
            c, d = macres.Socket.pair()
            with c, d:
                assert number in (c.fileno(), d.fileno())
                reused = c if c.fileno() == number else d
                other = d if reused is c else c
                sr = AsyncSocket(reused)

                async def later() -> None:
                    await lib.rounds()
                    other.send(b"2")

                results = await lib.gather(lambda: sr.recv(1), later)
                got.append(results[0])

    lib.run(main)
    assert got == [b"2"]


def test_operations_after_close_raise_closed_resource_error(lib: Lib) -> None:
    """An AsyncSocket over a closed socket raises ClosedResourceError and waits for nothing."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        b.close()
        sa = AsyncSocket(a)
        a.close()
        with pytest.raises(ClosedResourceError):
            await sa.recv(1)
        with pytest.raises(ClosedResourceError):
            await wait_readable(a)

    lib.run(main)


def test_one_reader_at_a_time(lib: Lib) -> None:
    """A second task receiving on the same socket while one waits raises BusyResourceError."""
    busy: list[BaseException] = []

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)

            async def first() -> bytes:
                return await sa.recv(1)

            async def second() -> None:
                await lib.rounds()
                try:
                    await sa.recv(1)
                except BusyResourceError as exc:
                    busy.append(exc)
                b.send(b"x")

            assert (await lib.gather(first, second))[0] == b"x"

    lib.run(main)
    assert len(busy) == 1


# -- the other calls -----------------------------------------------------------------------
def test_datagrams_and_descriptor_passing(lib: Lib) -> None:
    """sendto/recvfrom over UDP, recv_into, and send_fds/recv_fds hand a working descriptor over."""

    async def main() -> None:
        with macres.Socket(socket.AF_INET, socket.SOCK_DGRAM) as u1, macres.Socket(socket.AF_INET, socket.SOCK_DGRAM) as u2:
            u1.bind(("127.0.0.1", 0))
            u2.bind(("127.0.0.1", 0))
            a1, a2 = AsyncSocket(u1), AsyncSocket(u2)
            results = await lib.gather(lambda: a2.recvfrom(100), lambda: a1.sendto(b"dgram", u2.getsockname()))
            assert results[0] == (b"dgram", u1.getsockname())
            assert results[1] == 5
        a, b = macres.Socket.pair()
        r, w = macres.pipe()
        with a, b, r, w:
            sa, sb = AsyncSocket(a), AsyncSocket(b)
            results = await lib.gather(lambda: sb.recv_fds(10, 1), lambda: sa.send_fds(b"fd", [w]))
            data, fds = results[0]
            assert data == b"fd" and len(fds) == 1
            with fds[0] as passed:
                passed.write(b"via")
            assert r.read(3) == b"via"
            buf = bytearray(5)
            results = await lib.gather(lambda: sb.recv_into(buf), lambda: sa.sendall(b"hello"))
            assert results[0] == 5 and buf == b"hello"

    lib.run(main)


def test_connect_refused_raises(lib: Lib) -> None:
    """A connect to a closed port raises ConnectionRefusedError (the SO_ERROR the wait reveals)."""

    async def main() -> None:
        with listener() as lst:
            address = lst.getsockname()
        with AsyncSocket(macres.Socket()) as sock:
            with pytest.raises(ConnectionRefusedError):
                await sock.connect(address)

    lib.run(main)


def test_pipe_write_all_and_read_concurrently(lib: Lib) -> None:
    """1 MiB through a pipe: write_all waits for room while the reader drains; every byte arrives in order."""
    data = random.Random(7).randbytes(1 << 20)
    got = bytearray()

    async def main() -> None:
        r, w = macres.pipe()
        with r:
            reader, writer = AsyncFile(r), AsyncFile(w)

            async def write() -> None:
                with writer:
                    await writer.write_all(data)

            async def read() -> None:
                buf = bytearray(65536)
                while n := await reader.readinto(buf):
                    got.extend(buf[:n])

            await lib.gather(write, read)

    lib.run(main)
    assert got == data


def test_async_file_refuses_what_cannot_wait(tmp_path: Any) -> None:
    """A regular file is refused (always ready), and so is read() without a size."""
    with macres.open(tmp_path / "f", os.O_RDWR | os.O_CREAT) as f:
        with pytest.raises(ValueError, match="regular file"):
            AsyncFile(f)
        assert f.blocking  # nothing changed
    r, w = macres.pipe()
    with r, w:
        with pytest.raises(ValueError):
            AsyncFile(r).read(-1)
        assert not r.blocking  # documented: the wrapper leaves the descriptor non-blocking


def test_wrappers_refuse_other_objects() -> None:
    """AsyncSocket takes a macres Socket, AsyncFile a FileDescriptor."""
    with socket.socket() as s, pytest.raises(TypeError):
        AsyncSocket(s)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncFile(0)  # type: ignore[arg-type]


# -- event sources -------------------------------------------------------------------------
def test_timer_user_event_and_process_exit_are_awaitable(lib: Lib) -> None:
    """A timer's read awaits an expiration, a user event's read its trigger, a ProcessExit the exit."""
    got: list[Any] = []

    async def main() -> None:
        with Timer(0.001) as timer, UserEvent() as event:
            got.append(await AsyncSource.timer(timer).read())

            async def trigger() -> None:
                await lib.rounds()
                event.trigger()

            got.append((await lib.gather(AsyncSource.user_event(event).read, trigger))[0])
            assert event.read() is False  # the read consumed the trigger
        proc = subprocess.Popen([sys.executable, "-c", "pass"])
        try:
            with ProcessExit(proc.pid) as exit_:
                got.append(await AsyncSource.process_exit(exit_).read())
        finally:
            proc.wait()

    lib.run(main)
    assert got == [1, True, True]


@pytest.mark.skipif(sys.platform != "linux" or not hasattr(signal, "pthread_kill"), reason="signalfd and pthread_kill")
def test_signal_source_is_awaitable(lib: Lib) -> None:
    """SIGUSR2 sent to this thread reaches the awaiting SignalSource read, not the Python handler."""
    ran: list[int] = []
    infos: list[Any] = []
    old = signal.signal(signal.SIGUSR2, lambda signum, frame: ran.append(signum))
    try:

        async def main() -> None:
            with SignalSource([signal.SIGUSR2]) as source:

                async def send() -> None:
                    await lib.rounds()
                    signal.pthread_kill(threading.get_ident(), signal.SIGUSR2)

                infos.extend((await lib.gather(AsyncSource.signals(source).read, send))[0])

        lib.run(main)
    finally:
        signal.signal(signal.SIGUSR2, old)
    assert [i.signal for i in infos] == [signal.SIGUSR2]
    assert ran == []


def test_cancelled_source_read_loses_no_trigger(lib: Lib) -> None:
    """A user event read cancelled while waiting leaves the next trigger to the next read."""
    got: list[bool] = []

    async def main() -> None:
        with UserEvent() as event:
            source = AsyncSource.user_event(event)
            assert not await lib.cancel_after(source.read, 3)
            event.trigger()
            got.append(await source.read())

    lib.run(main)
    assert got == [True]


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs pidfd_open")
def test_wait_poll_awaits_a_child_through_fileno_and_poll(lib: Lib) -> None:
    """Anything with fileno() (here a pidfd) and poll() (Popen's) is awaitable with wait_poll: the exit code comes back."""
    codes: list[int] = []

    class Child:
        def __init__(self, proc: subprocess.Popen[bytes]) -> None:
            self.proc = proc
            self.pidfd = os.pidfd_open(proc.pid)

        def fileno(self) -> int:
            return self.pidfd

        def poll(self) -> int | None:
            return self.proc.poll()

    async def main() -> None:
        r, w = macres.pipe()
        with r:
            proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(7)"], stdin=r.fileno())
            child = Child(proc)
            try:

                async def release() -> None:
                    await lib.rounds()
                    w.close()  # the child's stdin ends: it exits

                codes.append((await lib.gather(lambda: wait_poll(child), release))[0])
            finally:
                w.close()
                proc.wait()
                os.close(child.pidfd)

    lib.run(main)
    assert codes == [7]


def test_wait_readable_takes_any_fileno(lib: Lib) -> None:
    """wait_readable serves a stdlib socket too (registered for that one wait)."""
    order: list[str] = []

    async def main() -> None:
        s1, s2 = socket.socketpair()
        with s1, s2:

            async def wait() -> None:
                await wait_readable(s1)
                order.append("ready")

            async def send() -> None:
                await lib.rounds()
                order.append("sent")
                s2.send(b"x")

            await lib.gather(wait, send)

    lib.run(main)
    assert order == ["sent", "ready"]


def test_no_running_loop_is_refused() -> None:
    """Outside asyncio and trio, an awaitable call raises RuntimeError before touching the socket."""
    a, b = macres.Socket.pair()
    with a, b:
        b.send(b"x")
        coro = AsyncSocket(a).recv(1)
        with pytest.raises(RuntimeError, match="no running"):
            coro.send(None)
        assert a.recv(1) == b"x"  # nothing was consumed


# -- the close hook in the lifecycle -------------------------------------------------------
def test_close_hook_runs_only_for_awaited_objects_with_references() -> None:
    """close() calls the hook once for an awaited object with references held, never for one nobody awaited."""
    calls: list[object] = []
    old = core.get_close_hook()
    core.set_close_hook(calls.append)
    try:
        r, w = macres.pipe()
        r._enter()  # a reference held, but never awaited
        r.close()
        r._exit()
        w._await_enter()  # awaited and referenced
        w.close()
        assert calls == [w]
        w._exit()
        with pytest.raises(OSError):
            os.fstat(w._handle if w._handle >= 0 else -1)
        u, v = macres.pipe()
        u._await_enter()
        u._exit()
        u.close()  # awaited once, nothing held now: no hook
        v.close()
        assert calls == [w]
    finally:
        core.set_close_hook(old)
    with pytest.raises(TypeError):
        core.set_close_hook(42)  # type: ignore[arg-type]


def test_awaited_object_dropped_unclosed_is_collected_and_unwatched(lib: Lib) -> None:
    """An awaited socket dropped without close is still collected (ResourceWarning), its number released and unwatched."""
    import gc
    import weakref

    got: list[bytes] = []

    async def main() -> None:
        a, b = macres.Socket.pair()
        with b:
            sa = AsyncSocket(a)

            async def send_later() -> None:
                await lib.rounds()
                b.send(b"1")

            await lib.gather(lambda s=sa: s.recv(1), send_later)  # it waited: an idle watch stays behind under asyncio
            number = a.fileno()
            ref = weakref.ref(a)
            with pytest.warns(ResourceWarning):
                del a, sa
                gc.collect()
            assert ref() is None
            with pytest.raises(OSError):
                os.fstat(number)
            c, d = macres.Socket.pair()
            with c, d:
                reused = c if c.fileno() == number else d
                other = d if reused is c else c
                sr = AsyncSocket(reused)

                async def later() -> None:
                    await lib.rounds()
                    other.send(b"2")

                got.append((await lib.gather(lambda: sr.recv(1), later))[0])

    lib.run(main)
    assert got == [b"2"]


def test_file_watch_is_awaitable(lib: Lib, tmp_path: Any) -> None:
    """A file created in a watched directory reaches the awaiting FileWatch read."""
    changes: list[Any] = []

    async def main() -> None:
        with FileWatch(tmp_path) as watch:

            async def create() -> None:
                await lib.rounds()
                (tmp_path / "new").write_bytes(b"x")

            changes.extend((await lib.gather(AsyncSource.file_watch(watch).read, create))[0])

    lib.run(main)
    assert changes
    if sys.platform == "linux":  # macOS reports a directory's new entry as a write, without its name
        assert changes[0].changes & Change.CREATE and changes[0].name == "new"


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs openpty")
def test_tty_read_and_write(lib: Lib) -> None:
    """A pseudo-terminal's two ends: a line written on the master is read on the slave, and back."""
    lines: list[bytes] = []

    async def main() -> None:
        m, s = os.openpty()
        with macres.FileDescriptor(m) as master, macres.FileDescriptor(s) as slave:
            tty.setraw(s)
            am, asl = AsyncFile(master), AsyncFile(slave)

            async def read_slave() -> bytes:
                return await asl.read(100)

            async def write_master() -> None:
                await lib.rounds()
                await am.write_all(b"to the slave")

            lines.append((await lib.gather(read_slave, write_master))[0])
            lines.append((await lib.gather(lambda: am.read(100), lambda: asl.write_all(b"and back")))[0])

    lib.run(main)
    assert lines == [b"to the slave", b"and back"]


def test_one_socket_awaited_by_successive_loops() -> None:
    """A socket awaited under one asyncio loop, then another, then trio: each takes over the idle watch left behind."""
    a, b = macres.Socket.pair()
    with a, b:
        sa = AsyncSocket(a)

        async def one_wait(lib: Lib, payload: bytes) -> bytes:
            async def send_later() -> None:
                await lib.rounds()
                b.send(payload)

            return (await lib.gather(lambda: sa.recv(10), send_later))[0]  # type: ignore[no-any-return]

        got = [Lib(name).run(lambda name=name, p=p: one_wait(Lib(name), p)) for name, p in
               [("asyncio", b"one"), ("asyncio", b"two"), ("trio", b"three"), ("asyncio", b"four")]]
        assert got == [b"one", b"two", b"three", b"four"]
        number = a.fileno()
    with pytest.raises(OSError):
        os.fstat(number)  # the watch of the last, closed loop let go at close


def test_async_child_and_process_wait_for_the_exit_without_threads(lib: Lib) -> None:
    """AsyncChild.wait reaps and decodes; AsyncProcess.wait sees the same exit by pid; both only after the child ends."""
    seen: list[object] = []

    async def main() -> None:
        r, w = macres.pipe()
        with r, w, macres.Process.spawn([sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(5)"], stdin=r.fileno()) as child:
            r.close()
            with macres.Process(child.pid) as by_pid:

                async def release() -> None:
                    await lib.rounds()
                    seen.append(("released", child.returncode, by_pid.exited()))
                    w.close()  # the child's stdin ends: it exits

                async def child_wait() -> None:
                    status = await AsyncChild(child).wait()
                    seen.append(("reaped", status.returncode))

                async def by_pid_wait() -> None:
                    await AsyncProcess(by_pid).wait()
                    seen.append("exited")

                await lib.gather(child_wait, by_pid_wait, release)
        assert psutil.Process().children() == []

    lib.run(main)
    assert seen[0] == ("released", None, False)
    assert sorted(map(str, seen[1:])) == ["('reaped', 5)", "exited"]


def test_awaiting_a_child_reaped_elsewhere_raises_child_process_error(lib: Lib) -> None:
    """A child someone else reaped: AsyncChild.wait raises ChildProcessError (as Child.wait), it does not await for ever."""
    errors: list[BaseException] = []

    async def main() -> None:
        with macres.Process.spawn(["true"]) as child:
            os.waitpid(child.pid, 0)  # the reap that is not the Child's
            try:
                await AsyncChild(child).wait()
            except ChildProcessError as exc:
                errors.append(exc)
            assert child.poll() == 0 and child.exit_status is None

    lib.run(main)
    assert [type(e) for e in errors] == [ChildProcessError]


def test_closing_a_child_wakes_its_waiter(lib: Lib) -> None:
    """A child closed (stopped and reaped) while a task awaits it wakes that task with ClosedResourceError."""
    errors: list[BaseException] = []

    async def main() -> None:
        child = macres.Process.spawn([sys.executable, "-c", "import time; time.sleep(60)"])
        try:

            async def waiter() -> None:
                try:
                    await AsyncChild(child).wait()
                except ClosedResourceError as exc:
                    errors.append(exc)

            async def closer() -> None:
                await lib.rounds()
                child.close()

            await lib.gather(waiter, closer)
        finally:
            child.close()

    lib.run(main)
    assert [type(e) for e in errors] == [ClosedResourceError]


# -- found by review: end of stream, a close from a thread, busy, bare numbers ------------
def test_a_cancelled_read_that_met_the_end_of_stream_leaves_it_to_the_next_read() -> None:
    """asyncio: the callback's read returned b"" (the peer shut down) and its task was cancelled: the next read gives b""."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            results: list[bytes] = []

            def recv(size: int) -> bytes:  # the socket's recv, watched: the witness that the callback ran it
                results.append(a.recv(size))
                return results[-1]

            sa = AsyncSocket(a)
            await _cancel_after_its_read(lambda: read_bytes(a, recv, 100), lambda: b.shutdown(socket.SHUT_WR), lambda: results == [b""])
            assert await sa.recv(100) == b""
            buf = bytearray(10)
            assert await sa.recv_into(buf) == 0

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_a_close_from_another_thread_with_a_readiness_report_queued_unregisters_once() -> None:
    """asyncio: an idle watch whose readiness report is queued when another thread closes the socket: no loop error, closed."""
    errors: list[dict[str, Any]] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        a, b = macres.Socket.pair()
        with b:
            sa = AsyncSocket(a)
            task = asyncio.ensure_future(sa.recv(10))
            await asyncio.sleep(0)  # waits: the watch is made
            b.send(b"1")
            assert await task == b"1"  # the watch stays registered, idle
            b.send(b"2")  # readable: the next poll queues the watch's callback
            await asyncio.sleep(0)
            closer = threading.Thread(target=a.close)
            closer.start()
            closer.join()
            for _ in range(20):  # bounded: the queued callbacks run
                await asyncio.sleep(0)
            assert a.closed

    asyncio.run(asyncio.wait_for(main(), BOUND))
    assert errors == []


def test_a_second_sender_or_receiver_is_refused_even_when_its_call_would_not_wait(lib: Lib) -> None:
    """While one task waits to send (or receive), another's send (or recv) raises BusyResourceError at once, even with room (or data) there.

    Without the refusal the second sendall's bytes land in the middle of the first one's.
    """

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sa = AsyncSocket(a)
            big = bytes(range(256)) * 4096  # 1 MiB: the first sendall waits for room
            got = bytearray()

            async def first() -> None:
                await sa.sendall(big)

            async def second() -> None:
                while not _waiting_to_write(a):
                    await lib.rounds(1)
                got.extend(b.recv(65536))  # room for more: a send would not wait now
                with pytest.raises(BusyResourceError):
                    await sa.sendall(b"XYZ")
                b.setblocking(False)
                while len(got) < len(big):  # bounded: the first sendall's bytes only
                    try:
                        got.extend(b.recv(1 << 20))
                    except BlockingIOError:
                        await lib.rounds(1)

            await lib.gather(first, second)
            assert bytes(got) == big

        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)

            async def reader() -> bytes:
                return await sa.recv(10)

            async def intruder() -> None:
                await lib.rounds(3)  # the reader waits
                b.send(b"data")
                with pytest.raises(BusyResourceError):
                    await sa.recv(10)

            assert (await lib.gather(reader, intruder))[0] == b"data"

    lib.run(main)


def _waiting_to_write(sock: macres.Socket) -> bool:
    """Whether a task waits for *sock* to be writable (the kernel's view: its send buffer is full)."""
    return bool(struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0] > 0) and not select.select([], [sock], [], 0)[1]


def test_two_waits_on_one_bare_number_are_refused_with_macres_busy(lib: Lib) -> None:
    """wait_readable on the same stdlib socket from two tasks: the second raises macres.aio.BusyResourceError (asyncio and trio)."""

    async def main() -> None:
        a, b = socket.socketpair()
        with a, b:

            async def first() -> None:
                await wait_readable(a)

            async def second() -> None:
                await lib.rounds(3)
                with pytest.raises(BusyResourceError):
                    await wait_readable(a)
                b.send(b"x")

            await lib.gather(first, second)

    lib.run(main)


def test_a_wait_on_the_bare_number_does_not_orphan_an_objects_idle_watch() -> None:
    """asyncio: AsyncSocket.recv after wait_readable(sock.fileno()) on the same socket still wakes for its data."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)
            task = asyncio.ensure_future(sa.recv(10))
            await asyncio.sleep(0)
            b.send(b"one")
            assert await task == b"one"  # an idle watch stays registered
            b.send(b"two")
            await wait_readable(a.fileno())
            assert await sa.recv(10) == b"two"
            task = asyncio.ensure_future(sa.recv(10))
            await asyncio.sleep(0)
            b.send(b"three")
            assert await task == b"three"

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_kept_bytes_answer_a_peek_and_a_negative_size_is_refused_first() -> None:
    """asyncio: with bytes kept, recv(n, MSG_PEEK) shows them without taking them; recv(-1) raises ValueError and keeps them."""

    async def main() -> None:
        a, b = macres.Socket.pair()
        with a, b:
            sa = AsyncSocket(a)
            await _cancel_after_its_read(lambda: sa.recv(100), lambda: b.send(b"first"), a.fileno())
            with pytest.raises(ValueError):
                await sa.recv(-1)  # refused at once: nothing in the kernel to wake a wait
            b.send(b"second")
            assert await sa.recv(3, socket.MSG_PEEK) == b"fir"
            assert await sa.recv(100) == b"first"
            assert await sa.recv(100) == b"second"

    asyncio.run(asyncio.wait_for(main(), BOUND))


def test_a_trio_connect_in_a_cancelled_scope_starts_nothing() -> None:
    """trio: connect in an already cancelled scope raises Cancelled before connect(2): the listener has no connection."""

    async def main() -> None:
        with listener() as lst, macres.Socket() as client:
            with trio.CancelScope() as scope:
                scope.cancel()
                await AsyncSocket(client).connect(lst.getsockname())
            assert scope.cancelled_caught
            lst.timeout = 0.0
            with pytest.raises(BlockingIOError):
                lst.accept()

    trio.run(main)
