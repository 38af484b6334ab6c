"""Zero-copy transfer: FileDescriptor.copy_to, macres.fs.copy and Socket.sendfile (issue 16).

Copies are compared byte for byte; strace witnesses which call moved the
bytes; the fallbacks are forced by making a zero-copy call refuse, as a file
system or kernel would (EXDEV, EINVAL, ENOSYS).
"""

from __future__ import annotations

import errno
import os
import pathlib
import socket
import stat
import threading

import pytest

import macres
from _strace import kernel_calls, names, needs_strace
from _support import linux_only
from macres import _transfer, raw

CHUNK = _transfer.CHUNK


def _data(size: int) -> bytes:
    """*size* bytes that differ at every offset (a shifted copy would not compare equal)."""
    return bytes((i * 7 + i // 251) & 0xFF for i in range(size)) if size < 1 << 16 else os.urandom(size)


def _refusing(number: int, calls: list[str], name: str) -> object:
    def refuse(*args: object) -> int:
        calls.append(name)
        raise OSError(number, os.strerror(number))

    return refuse


# -- macres.fs.copy and FileDescriptor.copy_to --------------------------------------------
@pytest.mark.parametrize("size", [0, 1, 4095, 65537, CHUNK + 12345])
def test_fs_copy_is_byte_for_byte(tmp_path: pathlib.Path, size: int) -> None:
    """fs.copy makes an equal file for sizes of 0, 1, and not a multiple of a page or a chunk; it returns the size."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.write_bytes(_data(size))
    assert macres.fs.copy(src, dst) == size
    assert dst.read_bytes() == src.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dst", "src"]  # no temporary left


def test_copy_to_uses_and_advances_both_offsets(tmp_path: pathlib.Path) -> None:
    """copy_to copies *count* bytes from the source's offset to the destination's; both offsets end after them."""
    data = _data(100_000)
    (tmp_path / "src").write_bytes(data)
    (tmp_path / "dst").write_bytes(b"k" * 10)
    with macres.open(tmp_path / "src") as src, macres.open(tmp_path / "dst", "r+") as dst:
        src.seek(1000)
        dst.seek(5)
        assert src.copy_to(dst, 50_000) == 50_000
        assert (src.tell(), dst.tell()) == (51_000, 50_005)
        assert src.copy_to(dst) == 49_000  # the rest
    assert (tmp_path / "dst").read_bytes() == b"k" * 5 + data[1000:]


def test_copy_over_existing_bytes_does_not_keep_them_in_holes(tmp_path: pathlib.Path) -> None:
    """A sparse source copied over a destination's bytes leaves zeros where the source has holes, not the old bytes."""
    src = tmp_path / "sparse"
    with open(src, "wb") as f:
        f.truncate(1 << 20)
        f.seek(512 << 10)
        f.write(b"data")
    (tmp_path / "dst").write_bytes(b"\xff" * (1 << 20))
    with macres.open(src) as s, macres.open(tmp_path / "dst", "r+") as d:
        s.copy_to(d)
    assert (tmp_path / "dst").read_bytes() == src.read_bytes()


def _sparse(path: pathlib.Path, size: int) -> None:
    with open(path, "wb") as f:
        f.truncate(size)
        for at in (0, size // 2, size - 4096):
            f.seek(at)
            f.write(b"x" * 4096)


def test_sparse_file_stays_sparse(tmp_path: pathlib.Path) -> None:
    """A 64 MiB file with 12 KiB of data is copied with about as many blocks as the source (holes kept)."""
    src, dst = tmp_path / "sparse", tmp_path / "copy"
    _sparse(src, 64 << 20)
    blocks = os.stat(src).st_blocks
    if blocks * 512 >= 64 << 20:
        pytest.skip("this file system stores no holes")
    macres.fs.copy(src, dst)
    assert dst.read_bytes() == src.read_bytes()
    assert os.stat(dst).st_size == 64 << 20
    assert os.stat(dst).st_blocks <= blocks * 2  # a dense copy would have 131072 blocks


def test_sparse_file_ending_in_a_hole_keeps_its_size(tmp_path: pathlib.Path) -> None:
    """A source whose last bytes are a hole is copied with its full size (the destination is extended, not written)."""
    src, dst = tmp_path / "tail", tmp_path / "copy"
    with open(src, "wb") as f:
        f.write(b"head")
        f.truncate(8 << 20)
    macres.fs.copy(src, dst)
    assert dst.read_bytes() == src.read_bytes()


@needs_strace
@linux_only
def test_copy_file_range_moves_the_bytes(tmp_path: pathlib.Path) -> None:
    """strace: fs.copy of a file moves it with copy_file_range, and no read or write carries its bytes."""
    src = tmp_path / "src"
    src.write_bytes(_data(1 << 20))
    calls = kernel_calls(
        f"macres.fs.copy({str(src)!r}, {str(tmp_path / 'dst')!r})",
        "import macres",
        trace="copy_file_range,sendfile,read,write,pread64,pwrite64",
    )
    moved = [c for c in calls if c.name == "copy_file_range" and not c.failed]
    assert moved, names(calls)
    assert sum(int(c.result) for c in moved) == 1 << 20
    assert [c for c in calls if c.name in ("write", "pwrite64", "sendfile")] == []
    assert (tmp_path / "dst").read_bytes() == src.read_bytes()


@needs_strace
@linux_only
def test_copy_to_a_pipe_goes_through_sendfile(tmp_path: pathlib.Path) -> None:
    """strace: a file copied to a pipe moves with sendfile (copy_file_range takes no pipe); the reader gets it all."""
    src = tmp_path / "src"
    src.write_bytes(_data(40_000))
    calls = kernel_calls(
        "n = f.copy_to(w)\nw.close()\nassert r.read(100_000) == data and n == len(data)",
        f"import macres\nr, w = macres.pipe()\nf = macres.open({str(src)!r})\ndata = open({str(src)!r}, 'rb').read()",
        trace="copy_file_range,sendfile,write",
    )
    assert [c.name for c in calls if not c.failed] == ["sendfile"]


@pytest.mark.parametrize("leading_hole", [False, True])
def test_copy_falls_back_to_sendfile_then_to_read_write(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, leading_hole: bool) -> None:
    """copy_file_range refused (EXDEV) -> sendfile; sendfile refused too (EINVAL) -> pread/write; the copy is equal,
    holes kept; also when the refusal comes after a leading hole was skipped."""
    if leading_hole:
        data = _leading_hole(tmp_path / "src")
    else:
        data = _data(3 * (1 << 20) + 7)
        (tmp_path / "src").write_bytes(data)
    calls: list[str] = []
    sparse = _holes_kept(tmp_path / "src")
    monkeypatch.setattr(raw, "copy_file_range", _refusing(errno.EXDEV, calls, "copy_file_range"))
    assert macres.fs.copy(tmp_path / "src", tmp_path / "a") == len(data)
    assert (tmp_path / "a").read_bytes() == data
    monkeypatch.setattr(raw, "sendfile", _refusing(errno.EINVAL, calls, "sendfile"))
    assert macres.fs.copy(tmp_path / "src", tmp_path / "b") == len(data)
    assert (tmp_path / "b").read_bytes() == data
    assert calls == ["copy_file_range", "copy_file_range", "sendfile"]
    assert (_holes_kept(tmp_path / "a"), _holes_kept(tmp_path / "b")) == (sparse, sparse)  # the fallbacks skip holes too


def test_an_error_past_the_first_byte_is_raised(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a refusal before anything moved falls back: ENOSPC stays an error and no partial file is left."""
    (tmp_path / "src").write_bytes(_data(3 * CHUNK))
    real = raw.copy_file_range
    seen: list[int] = []

    def full_disk(*args: object) -> int:
        if seen:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        seen.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(raw, "copy_file_range", full_disk)
    with pytest.raises(OSError) as info:
        macres.fs.copy(tmp_path / "src", tmp_path / "dst", progress=lambda done, total: None)
    assert info.value.errno == errno.ENOSPC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_copy_from_a_pipe_reads_and_writes(tmp_path: pathlib.Path) -> None:
    """A pipe as the source is read to its end and written to the file (no zero-copy call takes it)."""
    data = _data(200_000)
    r, w = macres.pipe()
    writer = threading.Thread(target=lambda: (w.write_all(data), w.close()))
    writer.start()
    try:
        with macres.open(tmp_path / "dst", "w") as dst:
            assert r.copy_to(dst) == len(data)
    finally:
        writer.join()
        r.close()
    assert (tmp_path / "dst").read_bytes() == data


def test_progress_is_called_per_chunk(tmp_path: pathlib.Path) -> None:
    """progress(copied, total) is called once per 8 MiB chunk, growing to (size, size)."""
    size = 2 * CHUNK + 100
    (tmp_path / "src").write_bytes(_data(size))
    seen: list[tuple[int, int | None]] = []
    macres.fs.copy(tmp_path / "src", tmp_path / "dst", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(CHUNK, size), (2 * CHUNK, size), (size, size)]


def test_progress_exception_stops_the_copy_and_leaves_no_destination(tmp_path: pathlib.Path) -> None:
    """An exception from progress stops the copy after that chunk; no destination or temporary file remains."""
    (tmp_path / "src").write_bytes(_data(3 * CHUNK))
    seen: list[int] = []

    def stop(done: int, total: int | None) -> None:
        seen.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        macres.fs.copy(tmp_path / "src", tmp_path / "dst", progress=stop)
    assert seen == [CHUNK]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_failed_copy_leaves_an_existing_destination_as_it_was(tmp_path: pathlib.Path) -> None:
    """A copy stopped by progress leaves the old *dst* untouched (the temporary name is renamed only at the end)."""
    (tmp_path / "src").write_bytes(_data(2 * CHUNK))
    (tmp_path / "dst").write_bytes(b"old")

    def stop(done: int, total: int | None) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        macres.fs.copy(tmp_path / "src", tmp_path / "dst", progress=stop)
    assert (tmp_path / "dst").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dst", "src"]


def test_copy_refuses_a_directory_and_a_missing_source(tmp_path: pathlib.Path) -> None:
    """A directory or missing source raises, naming it, and creates nothing."""
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError):
        macres.fs.copy(tmp_path / "d", tmp_path / "x")
    with pytest.raises(FileNotFoundError):
        macres.fs.copy(tmp_path / "missing", tmp_path / "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_copy_metadata_on_request(tmp_path: pathlib.Path) -> None:
    """metadata=True copies mode and times (and xattrs where the file system takes them); without it, neither."""
    src = tmp_path / "src"
    src.write_bytes(b"meta")
    src.chmod(0o604)
    os.utime(src, ns=(1_000_000_123, 2_000_000_456))
    xattrs = _xattrs_work(src)
    if xattrs:
        os.setxattr(src, "user.macres", b"v")
    macres.fs.copy(src, tmp_path / "with", metadata=True)
    macres.fs.copy(src, tmp_path / "without")
    st, plain = os.stat(tmp_path / "with"), os.stat(tmp_path / "without")
    assert stat.S_IMODE(st.st_mode) == 0o604
    assert (st.st_atime_ns, st.st_mtime_ns) == (1_000_000_123, 2_000_000_456)
    assert stat.S_IMODE(plain.st_mode) != 0o604
    assert plain.st_mtime_ns != 2_000_000_456
    if xattrs:
        assert os.getxattr(tmp_path / "with", "user.macres") == b"v"
        assert "user.macres" not in os.listxattr(tmp_path / "without")


def _xattrs_work(path: pathlib.Path) -> bool:
    try:
        os.setxattr(path, "user.macres-probe", b"1")
        os.removexattr(path, "user.macres-probe")
    except OSError:
        return False
    return True


def test_copy_to_a_closed_descriptor_is_refused(tmp_path: pathlib.Path) -> None:
    """copy_to a closed FileDescriptor raises ClosedResourceError before any call; a negative count ValueError."""
    (tmp_path / "src").write_bytes(b"x")
    with macres.open(tmp_path / "src") as src:
        dst = macres.open(tmp_path / "dst", "w")
        dst.close()
        with pytest.raises(macres.ClosedResourceError):
            src.copy_to(dst)
        with pytest.raises(ValueError, match="negative"):
            src.copy_to(1, -1)


# -- Socket.sendfile ------------------------------------------------------------------------
def _receive(sock: macres.Socket | socket.socket, size: int) -> bytes:
    got = bytearray()
    while len(got) < size:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        got += chunk
    return bytes(got)


@pytest.mark.parametrize(("offset", "count"), [(0, None), (7, 100_000), (123_456, None), (0, 0)])
def test_sendfile_over_a_socketpair(tmp_path: pathlib.Path, offset: int, count: int | None) -> None:
    """Socket.sendfile sends the range [offset, offset+count) (to the end for None) and returns its length."""
    data = _data(300_001)
    (tmp_path / "f").write_bytes(data)
    want = data[offset:] if count is None else data[offset : offset + count]
    a, b = macres.Socket.pair()
    result: list[int] = []
    with a, b, macres.open(tmp_path / "f") as f:
        sender = threading.Thread(target=lambda: (result.append(a.sendfile(f, offset, count)), a.shutdown(socket.SHUT_WR)))
        sender.start()
        got = _receive(b, len(want) + 1)
        sender.join()
        assert f.tell() == 0  # the file offset did not move
    assert result == [len(want)]
    assert got == want


@linux_only
def test_sendfile_of_a_file_of_size_zero_sends_to_its_end() -> None:
    """Socket.sendfile of a procfs file (st_size 0, content all the same) sends it to EOF, or *count* bytes."""
    with open("/proc/version", "rb") as f:
        want = f.read()
    for count, expected in ((None, want), (5, want[:5])):
        a, b = macres.Socket.pair()
        result: list[int] = []
        with a, b, macres.open("/proc/version") as f:
            sender = threading.Thread(target=lambda: (result.append(a.sendfile(f, 0, count)), a.shutdown(socket.SHUT_WR)))
            sender.start()
            got = _receive(b, len(want) + 1)
            sender.join()
        assert (result, got) == ([len(expected)], expected)


def test_sendfile_over_loopback_tcp(tmp_path: pathlib.Path) -> None:
    """Socket.sendfile over a TCP connection on 127.0.0.1 delivers the file, 3 MiB."""
    data = _data(3 << 20)
    (tmp_path / "f").write_bytes(data)
    with macres.Socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with macres.Socket() as client, macres.open(tmp_path / "f") as f:
            client.connect(server.getsockname())
            peer, _ = server.accept()
            with peer:
                result: list[int] = []
                sender = threading.Thread(target=lambda: (result.append(client.sendfile(f)), client.shutdown(socket.SHUT_WR)))
                sender.start()
                got = _receive(peer, len(data) + 1)
                sender.join()
    assert result == [len(data)]
    assert got == data


@needs_strace
@linux_only
def test_sendfile_reaches_the_kernel(tmp_path: pathlib.Path) -> None:
    """strace: Socket.sendfile of a file is sendfile(2) calls, and no write or send carries the bytes."""
    (tmp_path / "f").write_bytes(_data(100_000))
    calls = kernel_calls(
        "assert a.sendfile(f) == 100_000",
        f"import macres\na, b = macres.Socket.pair()\na.setsockopt(1, 7, 1 << 20)\nf = macres.open({str(tmp_path / 'f')!r})",
        trace="sendfile,write,sendto,sendmsg",
    )
    assert {c.name for c in calls} == {"sendfile"}


def test_sendfile_non_blocking_returns_what_went(tmp_path: pathlib.Path) -> None:
    """Timeout 0.0: sendfile returns the count sent before the socket filled, then BlockingIOError while full."""
    data = _data(8 << 20)
    (tmp_path / "f").write_bytes(data)
    a, b = macres.Socket.pair()
    with a, b, macres.open(tmp_path / "f") as f:
        a.timeout = 0.0
        sent = a.sendfile(f)
        assert 0 < sent < len(data)
        with pytest.raises(BlockingIOError):
            a.sendfile(f, sent)
        got = _receive(b, sent)
        assert got == data[:sent]


def test_sendfile_timeout(tmp_path: pathlib.Path) -> None:
    """A positive timeout with a peer that never reads ends in TimeoutError."""
    (tmp_path / "f").write_bytes(_data(8 << 20))
    a, b = macres.Socket.pair()
    with a, b, macres.open(tmp_path / "f") as f:
        a.timeout = 0.05
        with pytest.raises(TimeoutError):
            a.sendfile(f)


def test_sendfile_falls_back_to_pread_send(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the socket refuses sendfile (EINVAL), pread/send deliver the same bytes."""
    data = _data(2_000_003)
    (tmp_path / "f").write_bytes(data)
    calls: list[str] = []
    monkeypatch.setattr(raw, "sendfile", _refusing(errno.EINVAL, calls, "sendfile"))
    a, b = macres.Socket.pair()
    result: list[int] = []
    with a, b, macres.open(tmp_path / "f") as f:
        sender = threading.Thread(target=lambda: (result.append(a.sendfile(f, 3)), a.shutdown(socket.SHUT_WR)))
        sender.start()
        got = _receive(b, len(data))
        sender.join()
    assert calls == ["sendfile"]
    assert result == [len(data) - 3]
    assert got == data[3:]


def test_sendfile_from_a_pipe(tmp_path: pathlib.Path) -> None:
    """A pipe is read from its position and sent until its end; an offset on it is refused."""
    data = _data(500_000)
    r, w = macres.pipe()
    a, b = macres.Socket.pair()
    writer = threading.Thread(target=lambda: (w.write_all(data), w.close()))
    result: list[int] = []
    with a, b, r:
        with pytest.raises(ValueError, match="offset"):
            a.sendfile(r, 1)
        writer.start()
        sender = threading.Thread(target=lambda: (result.append(a.sendfile(r)), a.shutdown(socket.SHUT_WR)))
        sender.start()
        got = _receive(b, len(data) + 1)
        sender.join()
        writer.join()
    assert result == [len(data)]
    assert got == data


def test_sendfile_refuses_bad_arguments(tmp_path: pathlib.Path) -> None:
    """Negative offset or count raise ValueError; a closed file ClosedResourceError; nothing is sent."""
    (tmp_path / "f").write_bytes(b"abc")
    a, b = macres.Socket.pair()
    with a, b:
        f = macres.open(tmp_path / "f")
        with pytest.raises(ValueError):
            a.sendfile(f, -1)
        with pytest.raises(ValueError):
            a.sendfile(f, 0, -1)
        f.close()
        with pytest.raises(macres.ClosedResourceError):
            a.sendfile(f)
        b.timeout = 0.0
        with pytest.raises(BlockingIOError):
            b.recv(1)


def test_darwin_sendfile_returns_the_partial_count() -> None:
    """darwin's sendfile(fd, s, offset, &len, NULL, 0): file first; EAGAIN or EINTR after some bytes is their count."""
    from macres.raw import _darwin

    seen: list[tuple[object, ...]] = []

    def partial(in_fd: int, out_fd: int, offset: int, length: object, hdtr: object, flags: int) -> int:
        seen.append((in_fd, out_fd, offset, hdtr, flags))
        length._obj.value = 1234  # type: ignore[attr-defined]  # the byref'd off_t the kernel updates
        raise BlockingIOError(_darwin.EAGAIN, "busy")

    assert _darwin.sendfile(partial, 7, 3, 100, 5000) == 1234
    assert seen == [(3, 7, 100, None, 0)]

    def nothing(in_fd: int, out_fd: int, offset: int, length: object, hdtr: object, flags: int) -> int:
        length._obj.value = 0  # type: ignore[attr-defined]
        raise BlockingIOError(_darwin.EAGAIN, "busy")

    with pytest.raises(BlockingIOError):
        _darwin.sendfile(nothing, 7, 3, 0, 10)


def test_copy_with_metadata_tries_clonefile_first(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """metadata=True asks clonefile (macOS) for the copy and uses it; without metadata, or refused (ENOTSUP), it copies."""
    import shutil

    data = _data(70_000)
    (tmp_path / "src").write_bytes(data)
    calls: list[str] = []

    def clone(src: str, dst: str, flags: int = 0) -> None:  # what clonefile does: a new file, all metadata
        calls.append(os.path.basename(dst))
        shutil.copy2(src, dst)

    monkeypatch.setattr(raw, "clonefile", clone)
    seen: list[tuple[int, int | None]] = []
    assert macres.fs.copy(tmp_path / "src", tmp_path / "a", metadata=True, progress=lambda d, t: seen.append((d, t))) == 70_000
    assert len(calls) == 1 and calls[0].startswith(".macres-copy-") and seen == [(70_000, 70_000)]
    macres.fs.copy(tmp_path / "src", tmp_path / "b")
    assert len(calls) == 1
    monkeypatch.setattr(raw, "clonefile", _refusing(errno.ENOTSUP, calls, "clonefile"))
    macres.fs.copy(tmp_path / "src", tmp_path / "c", metadata=True)
    assert calls[1:] == ["clonefile"]
    for name in "abc":
        assert (tmp_path / name).read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "c", "src"]


# -- the review's copy findings -------------------------------------------------------------
#: Files that have content while their st_size is 0, and whose content does not change between reads.
PSEUDO_FILES = ["/proc/version", "/proc/sys/kernel/osrelease", "/proc/self/cmdline"]


@linux_only
@pytest.mark.parametrize("path", PSEUDO_FILES)
def test_a_file_of_size_zero_is_copied_to_its_end(tmp_path: pathlib.Path, path: str) -> None:
    """fs.copy and copy_to read a regular file whose st_size is 0 (procfs) until EOF, as shutil.copyfile does."""
    if os.stat(path).st_size != 0 or not stat.S_ISREG(os.stat(path).st_mode):
        pytest.skip(f"{path} is not a regular file of size 0 here")
    import shutil

    shutil.copyfile(path, tmp_path / "shutil")
    expected = (tmp_path / "shutil").read_bytes()
    assert expected  # the file has content: the point of the test
    assert macres.fs.copy(path, tmp_path / "copy") == len(expected)
    assert (tmp_path / "copy").read_bytes() == expected
    with macres.open(path) as src, macres.open(tmp_path / "to", "w") as dst:
        assert src.copy_to(dst) == len(expected)
        assert (src.tell(), dst.tell()) == (len(expected), len(expected))
    assert (tmp_path / "to").read_bytes() == expected


@linux_only
def test_a_file_of_size_zero_honours_an_explicit_count(tmp_path: pathlib.Path) -> None:
    """copy_to(count=N) from a procfs file copies N bytes and leaves both offsets after them."""
    with open("/proc/version", "rb") as f:
        expected = f.read()
    with macres.open("/proc/version") as src, macres.open(tmp_path / "to", "w") as dst:
        assert src.copy_to(dst, 5) == 5
        assert (src.tell(), dst.tell()) == (5, 5)
        assert src.copy_to(dst, 1 << 20) == len(expected) - 5  # the rest, then EOF
    assert (tmp_path / "to").read_bytes() == expected


@pytest.mark.parametrize("nth", [1, 2], ids=["temporary", "source"])
def test_a_failing_close_leaves_dst_as_it_was(tmp_path: pathlib.Path, nth: int) -> None:
    """close(2) of the temporary file (1st) or of the source (2nd) failing with EIO: dst keeps its bytes, no temporary remains."""
    from macres.testing import Fault, faults

    (tmp_path / "src").write_bytes(b"new content")
    (tmp_path / "dst").write_bytes(b"old content that must survive")
    with pytest.raises(OSError) as info, faults(Fault("close", errno.EIO, nth=nth)) as log:
        macres.fs.copy(tmp_path / "src", tmp_path / "dst")
    assert info.value.errno == errno.EIO
    assert log.calls["close"] >= nth
    assert (tmp_path / "dst").read_bytes() == b"old content that must survive"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dst", "src"]


def _leading_hole(path: pathlib.Path) -> bytes:
    """An 8 MiB file of holes but for 4 KiB of data at 2 MiB and at 5 MiB (a hole first and last); return its bytes."""
    with open(path, "wb") as f:
        f.truncate(8 << 20)
        for at in (2 << 20, 5 << 20):
            f.seek(at)
            f.write(_data(4096))
    return path.read_bytes()


def _holes_kept(path: pathlib.Path) -> bool:
    """Whether *path* starts with a hole and holds less than 1 MiB of its 8 (a dense copy holds all 8)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.lseek(fd, 0, os.SEEK_DATA) > 0 and os.fstat(fd).st_blocks * 512 < 1 << 20
    finally:
        os.close(fd)


@linux_only
def test_a_leading_hole_copied_across_file_systems(tmp_path: pathlib.Path) -> None:
    """A sparse file starting with a hole copies byte for byte from tmp_path to /dev/shm (copy_file_range: EXDEV), holes kept."""
    shm = pathlib.Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("no writable /dev/shm")
    if os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("/dev/shm is on the file system of tmp_path: nothing crosses")
    data = _leading_hole(tmp_path / "src")
    dst = shm / f"macres-test-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        assert macres.fs.copy(tmp_path / "src", dst) == len(data)
        assert dst.read_bytes() == data
        assert _holes_kept(dst) or not _holes_kept(tmp_path / "src")
        dst.unlink()
        with macres.open(tmp_path / "src") as s, macres.open(dst, "w") as d:
            assert s.copy_to(d) == len(data)
            assert d.tell() == len(data)
        assert dst.read_bytes() == data
    finally:
        dst.unlink(missing_ok=True)


FIFO_COPY = """
import os, shutil, sys
import macres
try:
    macres.fs.copy(sys.argv[1], sys.argv[2])
except shutil.SpecialFileError as exc:
    print("refused:", exc)
"""


def test_a_fifo_source_is_refused_without_blocking(tmp_path: pathlib.Path) -> None:
    """fs.copy of a FIFO with no writer raises SpecialFileError at once (a child with a timeout: it used to block in open)."""
    import subprocess
    import sys

    os.mkfifo(tmp_path / "fifo")
    proc = subprocess.run(
        [sys.executable, "-c", FIFO_COPY, str(tmp_path / "fifo"), str(tmp_path / "dst")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (proc.returncode, proc.stdout) == (0, f"refused: `{tmp_path / 'fifo'}` is a named pipe\n"), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_a_device_source_is_refused(tmp_path: pathlib.Path) -> None:
    """fs.copy of a character device (/dev/null) raises SpecialFileError, an OSError, and creates nothing."""
    import shutil

    with pytest.raises(shutil.SpecialFileError, match="character device") as info:
        macres.fs.copy(os.devnull, tmp_path / "dst")
    assert isinstance(info.value, OSError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("length", [241, 242, 255])
def test_copy_to_a_name_of_any_valid_length(tmp_path: pathlib.Path, length: int) -> None:
    """A destination name up to NAME_MAX (255 bytes) is copied to: the temporary name does not grow with it."""
    (tmp_path / "src").write_bytes(b"long")
    dst = tmp_path / ("n" * length)
    assert macres.fs.copy(tmp_path / "src", dst) == 4
    assert dst.read_bytes() == b"long"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([dst.name, "src"])


def test_copy_errors_name_dst_not_the_temporary_file(tmp_path: pathlib.Path) -> None:
    """A missing directory for dst, a directory as dst, a name over NAME_MAX: each error names dst as given."""
    (tmp_path / "src").write_bytes(b"x")
    (tmp_path / "dir").mkdir()
    cases: list[tuple[object, type[OSError]]] = [
        (tmp_path / "nodir" / "dst", FileNotFoundError),
        (str(tmp_path / "dir"), IsADirectoryError),
        (bytes(tmp_path / ("n" * 256)), OSError),
    ]
    for dst, kind in cases:
        with pytest.raises(kind) as info:
            macres.fs.copy(tmp_path / "src", dst)  # type: ignore[arg-type]
        assert info.value.filename == os.fspath(dst)  # type: ignore[arg-type]
        assert info.value.filename2 is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "src"]


def test_copy_to_an_append_destination_ends_at_its_end(tmp_path: pathlib.Path) -> None:
    """copy_to into an O_APPEND file appends and leaves its offset at the end, as write(2) does."""
    data = _data(10_240)
    (tmp_path / "src").write_bytes(data)
    (tmp_path / "dst").write_bytes(b"8 bytes.")
    with macres.open(tmp_path / "src") as s, macres.open(tmp_path / "dst", "a+") as d:
        d.seek(0)
        assert s.copy_to(d) == len(data)
        assert d.tell() == 8 + len(data)
    assert (tmp_path / "dst").read_bytes() == b"8 bytes." + data


@pytest.mark.parametrize("flags", ["a", os.O_WRONLY | os.O_APPEND], ids=["mode a", "int O_APPEND"])
def test_copy_to_an_append_destination_keeps_the_source_holes_as_zeros(tmp_path: pathlib.Path, flags: str | int) -> None:
    """A sparse source appended to an O_APPEND file arrives whole: its holes are written as zeros, not skipped."""
    data = _leading_hole(tmp_path / "src")
    for start in (b"", b"head"):
        (tmp_path / "dst").write_bytes(start)
        with macres.open(tmp_path / "src") as s, macres.open(tmp_path / "dst", flags) as d:
            assert s.copy_to(d) == len(data)
            assert d.tell() == len(start) + len(data)
        assert (tmp_path / "dst").read_bytes() == start + data
