"""Argument checks done before ctypes sees a value.

ctypes silently truncates integers (``2**32 + 1`` passed as an ``int`` fd
becomes fd 1), so every integer is range-checked here: out of range raises
``OverflowError``, a negative size ``ValueError``, a wrong type
``TypeError``.  Paths are encoded with ``os.fsencode`` and refuse NUL bytes;
buffers are exported through the buffer protocol.
"""

from __future__ import annotations

import ctypes
import os
from operator import index
from typing import Final, TypeAlias, Union

from typing_extensions import Buffer

from ._platform import abi

#: What a path argument accepts.
StrOrBytesPath: TypeAlias = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

INT_MIN: Final = -(1 << 31)
INT_MAX: Final = (1 << 31) - 1
UINT_MAX: Final = (1 << 32) - 1
LONG_MIN: Final = -(1 << 63)
LONG_MAX: Final = (1 << 63) - 1
ULONG_MAX: Final = (1 << 64) - 1
SSIZE_MAX: Final = LONG_MAX
MODE_MAX: Final = (1 << (8 * ctypes.sizeof(abi.MODE_T))) - 1


def c_int(value: int, what: str = "argument") -> int:
    """Return *value* as an int that fits a C ``int`` (fds, flags, signals)."""
    v = index(value)
    if not INT_MIN <= v <= INT_MAX:
        raise OverflowError(f"{what} {v} does not fit a C int")
    return v


def c_uint(value: int, what: str = "argument") -> int:
    """Return *value* as an int that fits a C ``unsigned int`` (uid_t, gid_t, mode_t)."""
    v = index(value)
    if not 0 <= v <= UINT_MAX:
        raise OverflowError(f"{what} {v} does not fit a C unsigned int")
    return v


def c_long(value: int, what: str = "argument") -> int:
    """Return *value* as an int that fits a 64-bit ``long``/``off_t``."""
    v = index(value)
    if not LONG_MIN <= v <= LONG_MAX:
        raise OverflowError(f"{what} {v} does not fit a 64-bit signed integer")
    return v


def c_ulong(value: int, what: str = "argument") -> int:
    """Return *value* as an int that fits a 64-bit unsigned ``long`` (ioctl requests)."""
    v = index(value)
    if not 0 <= v <= ULONG_MAX:
        raise OverflowError(f"{what} {v} does not fit a 64-bit unsigned integer")
    return v


def mode(value: int) -> int:
    """Return *value* as a ``mode_t`` of this platform (16 bits on macOS, 32 on Linux)."""
    v = index(value)
    if not 0 <= v <= MODE_MAX:
        raise OverflowError(f"mode {v:#o} does not fit mode_t")
    return v


def owner(value: int, what: str = "id") -> int:
    """Return a ``uid_t``/``gid_t`` for chown-like calls: -1 ("unchanged") becomes all ones."""
    v = index(value)
    return UINT_MAX if v == -1 else c_uint(v, what)


def dev(value: int) -> int:
    """Return *value* as a ``dev_t`` of this platform (signed 32 bits on macOS, unsigned 64 on Linux)."""
    v = index(value)
    bits = 8 * ctypes.sizeof(abi.DEV_T)
    signed = abi.DEV_T(-1).value < 0
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if not lo <= v <= hi:
        raise OverflowError(f"device number {v} does not fit dev_t")
    return v


def size(value: int, what: str = "size") -> int:
    """Return *value* as a ``size_t`` no larger than ``SSIZE_MAX``; negative -> ValueError."""
    v = index(value)
    if v < 0:
        raise ValueError(f"{what} must not be negative, got {v}")
    if v > SSIZE_MAX:
        raise OverflowError(f"{what} {v} is larger than SSIZE_MAX")
    return v


def offset(value: int, what: str = "offset") -> int:
    """Return *value* as an ``off_t`` (signed 64-bit)."""
    return c_long(value, what)


def pathconf_name(name: int | str) -> int:
    """A ``_PC_*`` number from an int or a name (``"PC_NAME_MAX"``, ``"NAME_MAX"`` or ``"_PC_NAME_MAX"``).

    Raises:
        ValueError: an unknown name.  TypeError: neither an int nor a str.
    """
    if isinstance(name, str):
        key = name if name.startswith("_PC_") else "_" + name if name.startswith("PC_") else "_PC_" + name
        number = abi.CONSTANTS.get("pathconf", {}).get(key, getattr(abi, key, None))
        if not isinstance(number, int):
            raise ValueError(f"unknown pathconf name {name!r}")
        return number
    return index(name)


def path(value: StrOrBytesPath) -> bytes:
    """Return *value* encoded with ``os.fsencode``; a NUL byte -> ValueError."""
    encoded = os.fsencode(value)
    if b"\0" in encoded:
        raise ValueError("embedded null byte in path")
    return encoded


def rbuffer(data: Buffer) -> tuple[bytes | ctypes.Array[ctypes.c_char], int]:
    """Return (pointer argument, length) for a readable buffer.

    ``bytes`` is passed as it is; a writable buffer is shared without a
    copy; a read-only non-bytes buffer is copied once.
    """
    if type(data) is bytes:
        return data, len(data)
    view = memoryview(data)
    if not view.c_contiguous:
        raise ValueError("buffer must be C-contiguous")
    n = view.nbytes
    if view.readonly:
        return view.tobytes(), n
    return (ctypes.c_char * n).from_buffer(view.cast("B") if view.format != "B" or view.ndim != 1 else view), n


def wbuffer(data: Buffer, nbytes: int | None = None) -> tuple[ctypes.Array[ctypes.c_char], int]:
    """Return (ctypes array, length) sharing a writable buffer's memory.

    *nbytes* limits the length; a buffer smaller than *nbytes* -> ValueError,
    a read-only one -> TypeError.
    """
    view = memoryview(data)
    if view.readonly:
        raise TypeError(f"a writable buffer is required, not {type(data).__name__}")
    if not view.c_contiguous:
        raise ValueError("buffer must be C-contiguous")
    n = view.nbytes
    if nbytes is not None:
        nbytes = size(nbytes)
        if nbytes > n:
            raise ValueError(f"buffer holds {n} bytes, fewer than the {nbytes} asked for")
        n = nbytes
    flat = view.cast("B") if view.format != "B" or view.ndim != 1 else view
    return (ctypes.c_char * n).from_buffer(flat), n
