"""Tests for the fd area of macres.raw, against os as the oracle."""

from __future__ import annotations

import errno
import os
import pathlib

import pytest

from macres import raw


def test_open_read_write_close(tmp_path: pathlib.Path) -> None:
    """open/write/read/close move bytes as os.read sees them."""
    p = tmp_path / "f"
    fd = raw.open(p, raw.ABI.O_RDWR | raw.ABI.O_CREAT, 0o600)
    try:
        assert raw.write(fd, b"hello") == 5
        assert raw.lseek(fd, 0, raw.ABI.SEEK_SET) == 0
        buf = bytearray(16)
        assert raw.read(fd, buf) == 5
        assert bytes(buf[:5]) == b"hello"
        assert os.pread(fd, 5, 0) == b"hello"
    finally:
        raw.close(fd)
    with pytest.raises(OSError) as info:
        os.fstat(fd)
    assert info.value.errno == errno.EBADF


def test_open_missing_names_the_file(tmp_path: pathlib.Path) -> None:
    """A failing open raises FileNotFoundError carrying the path."""
    with pytest.raises(FileNotFoundError) as info:
        raw.open(tmp_path / "missing", raw.ABI.O_RDONLY)
    assert info.value.filename == str(tmp_path / "missing")


def test_fd_out_of_range_is_refused() -> None:
    """An fd that ctypes would truncate to a small number raises OverflowError."""
    with pytest.raises(OverflowError):
        raw.dup(2**32 + 1)
    with pytest.raises(TypeError):
        raw.dup(1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("module", "name", "fixed"),
    [("_fd", "_open", 2), ("_fd", "_fcntl", 2), ("_fd", "_ioctl", 2), ("_dir", "_openat", 3)],
)
def test_variadic_calls_declare_only_their_fixed_parameters(module: str, name: str, fixed: int) -> None:
    """open/openat/fcntl/ioctl are variadic in C: a declared last argument would break darwin arm64's calls.

    ctypes makes a variadic call only for arguments beyond ``argtypes``; on
    arm64 macOS those travel on the stack, where the C library reads them.
    """
    import importlib

    fn = getattr(importlib.import_module(f"macres.raw.{module}"), name)

    assert fixed == len(fn.argtypes)


def test_fcntl_and_ioctl_pass_ints_and_buffers(tmp_path: pathlib.Path) -> None:
    """fcntl's int form sets flags and its buffer form fills a struct flock; ioctl(FIONREAD) counts bytes."""
    import fcntl as std_fcntl
    import struct
    import termios

    r, w = os.pipe()
    try:
        flags = raw.fcntl(r, raw.ABI.F_GETFL)
        raw.fcntl(r, raw.ABI.F_SETFL, flags | os.O_NONBLOCK)
        assert std_fcntl.fcntl(r, std_fcntl.F_GETFL) & os.O_NONBLOCK
        os.write(w, b"abc")
        count = bytearray(4)
        raw.ioctl(r, termios.FIONREAD, count)
        assert struct.unpack("i", count)[0] == 3
    finally:
        os.close(r)
        os.close(w)
    fd = raw.open(tmp_path / "f", raw.ABI.O_RDWR | raw.ABI.O_CREAT, 0o640)
    try:
        assert os.stat(tmp_path / "f").st_mode & 0o777 == 0o640
        query = raw.ABI.CFlock()
        query.l_type = raw.ABI.F_WRLCK
        lock = bytearray(bytes(query))
        raw.fcntl(fd, raw.ABI.F_GETLK, lock)
        assert raw.ABI.F_UNLCK == raw.ABI.CFlock.from_buffer(lock).l_type  # nobody else holds a lock
    finally:
        raw.close(fd)


def test_pread_without_os_preadv_uses_ctypes(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where CPython lacks os.preadv (macOS before 3.11), the pure pread and pread_into read through ctypes alike."""
    import macres._pure.fd
    import macres.raw._fd

    monkeypatch.setattr(macres.raw._fd, "_os_preadv", None)
    monkeypatch.setattr(macres._pure.fd, "_os_preadv", None)
    pread = raw.reference("pread")
    p = tmp_path / "f"
    p.write_bytes(b"hello world")
    fd = os.open(p, os.O_RDONLY)
    try:
        buf = bytearray(5)
        assert pread(fd, buf, 6) == 5
        assert bytes(buf) == b"world"
        with pytest.raises(OSError) as info:
            pread(fd, buf, -1)
        assert info.value.errno == errno.EINVAL
        with pytest.raises(TypeError):
            pread(fd, b"read-only", 0)
    finally:
        os.close(fd)
    with macres._pure.fd.FileDescriptorBase.open(p) as f:
        buf = bytearray(5)
        assert f.pread_into(buf, 0) == 5
        assert bytes(buf) == b"hello"


def test_preallocate_gives_holes_their_blocks(tmp_path: pathlib.Path) -> None:
    """preallocate allocates the range of a sparse file, keeping size and contents; it needs a writable descriptor."""
    page = os.sysconf("SC_PAGE_SIZE")
    path = tmp_path / "sparse"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
    try:
        os.ftruncate(fd, 16 * page)
        os.pwrite(fd, b"keep", 3 * page)
        before = os.fstat(fd).st_blocks
        raw.preallocate(fd, 2 * page, 8 * page)
        assert os.fstat(fd).st_blocks * 512 >= before * 512 + 7 * page
        assert os.fstat(fd).st_size == 16 * page
        assert os.pread(fd, 4, 3 * page) == b"keep"
        with pytest.raises(ValueError):
            raw.preallocate(fd, -1, page)
    finally:
        os.close(fd)
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        with pytest.raises(OSError) as info:
            raw.preallocate(fd, 0, page)
        assert info.value.errno == errno.EBADF
    finally:
        os.close(fd)


def test_preallocate_on_darwin_asks_f_preallocate_for_all_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """On darwin, preallocate passes fstore_t to fcntl(F_PREALLOCATE): F_ALLOCATEALL from the physical end of file."""
    import ctypes

    from macres.raw import _darwin
    from macres.raw import _fd as raw_fd

    seen: list[tuple[int, int, bytes]] = []

    def fcntl(fd: int, cmd: int, store: object) -> int:
        seen.append((fd, cmd, bytes(ctypes.cast(store, ctypes.POINTER(_darwin.CFstore)).contents)))
        return 0

    monkeypatch.setattr(raw_fd, "abi", _darwin)
    monkeypatch.setattr(raw_fd, "_fcntl", fcntl)
    raw.preallocate(7, 4096, 12288)
    [(fd, cmd, store)] = seen
    fields = _darwin.CFstore.from_buffer_copy(store)
    assert (fd, cmd) == (7, 42)
    assert (fields.fst_flags, fields.fst_posmode, fields.fst_offset, fields.fst_length) == (4, 3, 0, 12288)
