"""Tests for the socket area of macres.raw, with the stdlib socket module as the oracle."""

from __future__ import annotations

import errno
import socket
import struct
from collections.abc import Iterator

import pytest

from macres import raw


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected AF_UNIX stream pair made by the stdlib."""
    a, b = socket.socketpair()
    with a, b:
        yield a, b


def test_getsockopt_reads_int_option(pair: tuple[socket.socket, socket.socket]) -> None:
    """getsockopt fills the buffer with SO_TYPE and returns the C int's length."""
    a, _ = pair
    buf = bytearray(4)
    assert raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_TYPE, buf) == 4
    assert struct.unpack("i", buf)[0] == a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)


def test_getsockopt_large_buffer_reports_real_length(pair: tuple[socket.socket, socket.socket]) -> None:
    """A buffer larger than the value gets the value's length back, not the buffer's."""
    a, _ = pair
    buf = bytearray(64)
    assert raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_RCVBUF, buf) == 4


def test_setsockopt_is_seen_by_stdlib(pair: tuple[socket.socket, socket.socket]) -> None:
    """setsockopt(SO_KEEPALIVE) is what the stdlib reads back."""
    a, _ = pair
    raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, struct.pack("i", 1))
    assert a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, bytearray(struct.pack("i", 0)))
    assert a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0


def test_sockopt_errors(pair: tuple[socket.socket, socket.socket]) -> None:
    """Unknown options, read-only buffers and out-of-range ints get the documented errors."""
    a, _ = pair
    with pytest.raises(OSError) as info:
        raw.getsockopt(a.fileno(), socket.SOL_SOCKET, 99999, bytearray(4))
    assert info.value.errno == errno.ENOPROTOOPT
    with pytest.raises(TypeError):
        raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_TYPE, b"1234")
    with pytest.raises(OverflowError):
        raw.setsockopt(2**32, socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"\0\0\0\0")
    with pytest.raises(OSError) as info:
        raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"")
    assert info.value.errno == errno.EINVAL
