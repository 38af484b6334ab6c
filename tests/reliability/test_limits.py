"""Resource limits: EMFILE from every call that makes descriptors, EFBIG from writes past RLIMIT_FSIZE.

RLIMIT_NOFILE: the soft limit is lowered (only the soft one, restored in
``finally``) and the free numbers below it are filled, so that exactly
*n* descriptors can still be created.  Each call that makes descriptors
must then fail with ``OSError(EMFILE)`` (``ENFILE`` is not expected) and
leave no half-built object: the process's descriptors and children are
exactly what they were.  Calls that need two numbers (pipe, socketpair)
are also tried with one free number.

RLIMIT_FSIZE: with SIGXFSZ ignored (as Python starts; set explicitly and
restored), a write that crosses the limit writes up to it, the next one
raises ``OSError(EFBIG)``, and the data before the limit is intact.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import macres

from ..conftest import children, open_fds

pytestmark = pytest.mark.serial


@contextlib.contextmanager
def free_descriptors(n: int) -> Iterator[None]:
    """Lower RLIMIT_NOFILE's soft limit and fill holes until exactly *n* new descriptors fit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    fillers: list[int] = []
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(open_fds()) + 1 + n, hard))
        while True:  # take every free number below the limit
            try:
                fillers.append(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC))
            except OSError as exc:
                assert exc.errno == errno.EMFILE
                break
        for fd in fillers[len(fillers) - n :] if n else []:  # give back the n highest
            os.close(fd)
        if n:
            del fillers[len(fillers) - n :]
        yield
    finally:
        for fd in fillers:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _expect_emfile(call: Callable[[], Any], free: int = 0) -> None:
    before_fds, before_kids = open_fds(), children()
    with free_descriptors(free):
        with pytest.raises(OSError) as info:
            result = call()
            _close(result)  # reached only on the bug being tested: do not leak it
    assert info.value.errno == errno.EMFILE, info.value
    assert open_fds() == before_fds
    assert children() == before_kids


def _close(result: Any) -> None:
    for obj in result if isinstance(result, tuple) else (result,):
        if hasattr(obj, "close"):
            obj.close()


@pytest.fixture
def path(tmp_path: Any) -> str:
    p = tmp_path / "f"
    p.write_bytes(b"data")
    return str(p)


def test_open(path: str) -> None:
    """macres.open and opendir raise EMFILE and hold nothing."""
    _expect_emfile(lambda: macres.open(path))
    _expect_emfile(lambda: macres.open(path, inheritable=True))
    _expect_emfile(lambda: macres.opendir(os.path.dirname(path)))


def test_directory_open_and_iteration(path: str) -> None:
    """Directory.open and iterating a Directory (a new stream descriptor) raise EMFILE."""
    with macres.opendir(os.path.dirname(path)) as d:
        _expect_emfile(lambda: d.open("f"))
        _expect_emfile(lambda: list(d))
        assert [e.name for e in d] == ["f"]  # still works afterwards


@pytest.mark.parametrize("free", [0, 1])
def test_pipe(free: int) -> None:
    """pipe needs two numbers: with none or one free, EMFILE and no end left open."""
    _expect_emfile(macres.pipe, free)
    _expect_emfile(lambda: macres.pipe(inheritable=True), free)


@pytest.mark.parametrize("free", [0, 1])
def test_socket_and_pair(free: int) -> None:
    """Socket() with none free, Socket.pair() with none or one free: EMFILE, nothing open."""
    if free == 0:
        _expect_emfile(lambda: macres.Socket(socket.AF_INET, socket.SOCK_STREAM))
        _expect_emfile(lambda: macres.Socket(socket.AF_UNIX, socket.SOCK_DGRAM))
    _expect_emfile(macres.Socket.pair, free)


def test_dup(path: str) -> None:
    """dup (both kinds) raises EMFILE; the original stays usable."""
    with macres.open(path) as fd:
        _expect_emfile(fd.dup)
        _expect_emfile(lambda: fd.dup(inheritable=True))
        assert fd.pread(4, 0) == b"data"


def test_accept() -> None:
    """accept with a connection pending but no number free: EMFILE; the connection can be accepted later."""
    with macres.Socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as client:
            _expect_emfile(server.accept)
            conn, _ = server.accept()
            with conn:
                client.sendall(b"x")
                assert conn.recv(1) == b"x"


def test_recv_fds_without_room() -> None:
    """recv_fds with no number free: the kernel drops the descriptor (MSG_CTRUNC), recv_fds says so, nothing leaks."""
    a, b = macres.Socket.pair()
    with a, b, macres.open(os.devnull) as payload:
        a.send_fds(b"F", [payload])
        before = open_fds()
        with free_descriptors(0):
            try:
                msg, fds = b.recv_fds(1, 1)
            except OSError as exc:  # the descriptor was lost (EMSGSIZE), or a clear EMFILE
                assert exc.errno in (errno.EMSGSIZE, errno.EMFILE)
                msg, fds = b"F", []
        assert msg == b"F" and fds == []
        assert open_fds() == before


def test_spawn() -> None:
    """Process.spawn with no number for the pidfd (or the exec pipe): EMFILE, and no child is left behind."""
    _expect_emfile(lambda: macres.Process.spawn(["true"]))
    _expect_emfile(lambda: macres.Process.spawn(["true"], cwd="/"))


def test_process_handle() -> None:
    """Process(pid) needs a pidfd on Linux: EMFILE there, nothing held."""
    if macres.raw.SYSTEM != "linux":
        pytest.skip("only Linux handles hold a descriptor")
    _expect_emfile(lambda: macres.Process(os.getppid()))


def test_mapping_from_file_needs_no_descriptor(path: str) -> None:
    """MappedRegion.from_file makes no descriptor: it works with none free."""
    with macres.open(path) as fd:
        with free_descriptors(0):
            with macres.MappedRegion.from_file(fd) as region:
                assert region[:4] == b"data"


# -- RLIMIT_FSIZE ------------------------------------------------------------------------
LIMIT = 4096


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """RLIMIT_FSIZE's soft limit at *limit* with SIGXFSZ ignored; both restored after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)


def test_write_past_the_limit(tmp_path: Any) -> None:
    """write stops at the limit, then EFBIG; write_all raises EFBIG; the data before the limit is intact."""
    data = bytes(range(256)) * 40  # 10240 bytes
    with macres.open(tmp_path / "w", "w+") as fd:
        with file_size_limit(LIMIT):
            assert fd.write(data) == LIMIT
            with pytest.raises(OSError) as info:
                fd.write(data)
            assert info.value.errno == errno.EFBIG
            with pytest.raises(OSError) as info:
                fd.pwrite(b"x", LIMIT)
            assert info.value.errno == errno.EFBIG
            with pytest.raises(OSError) as info:
                fd.ftruncate(LIMIT + 1)
            assert info.value.errno == errno.EFBIG
            fd.seek(0)
            with pytest.raises(OSError) as info:
                fd.write_all(data)
            assert info.value.errno == errno.EFBIG
        assert fd.fstat().st_size == LIMIT
        assert fd.pread(LIMIT + 10, 0) == data[:LIMIT]


def test_writev_past_the_limit(tmp_path: Any) -> None:
    """writev and a mapping of the file behave the same way: the limit is a clean error."""
    with macres.open(tmp_path / "v", "w+") as fd:
        with file_size_limit(LIMIT):
            assert fd.writev([b"a" * 3000, b"b" * 3000]) == LIMIT
            with pytest.raises(OSError) as info:
                fd.writev([b"c"])
            assert info.value.errno == errno.EFBIG
        assert fd.pread(LIMIT, 0) == b"a" * 3000 + b"b" * (LIMIT - 3000)
