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
