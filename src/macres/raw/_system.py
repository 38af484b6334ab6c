"""Bindings of the system area: machine-wide calls: sync, unmount and sysctl.

``unmount`` and ``sysctl`` are darwin calls; on Linux they raise
:class:`macres.UnsupportedOperation` (umount2 is the Linux counterpart of
unmount; sysctl has none since glibc 2.32 dropped it).
"""

from __future__ import annotations

import ctypes
import errno as _errno
from collections.abc import Sequence
from ctypes import byref, c_char_p, c_int, c_size_t, c_uint, c_void_p
from typing import Final

from typing_extensions import Buffer

from . import _args
from ._errcheck import check_int
from ._libc import function

__all__ = ["sync", "sysctl", "unmount"]

#: The most components a sysctl name may have (``CTL_MAXNAME``).
CTL_MAXNAME: Final = 12
# Attempts at sizing a value that grows between the length query and the read.
_SIZE_RETRIES: Final = 8

_sync = function("sync", None, (), None)
_unmount = function("unmount", c_int, (c_char_p, c_int), lambda f: check_int(f, paths=(0,)))
_sysctl = function(
    "sysctl",
    c_int,
    (c_void_p, c_uint, c_void_p, c_void_p, c_void_p, c_size_t),
    check_int,
)


def sync() -> None:
    """``sync()``: schedule every file system's modified data and metadata to be written to disk.

    Raises:
        Nothing: the C call returns void and cannot fail.
    """
    _sync()


def unmount(path: _args.StrOrBytesPath, flags: int) -> None:
    """``unmount(dir, flags)``: unmount the file system mounted on *path* (darwin).

    *flags* is 0 or ``MNT_FORCE``.  Needs root.

    Raises:
        macres.UnsupportedOperation: on Linux, whose counterpart is umount2.
        PermissionError: EPERM, not root.  OSError: EBUSY (in use), EINVAL
        (not a mount point), ENOENT, with *path* as the filename.
        ValueError: NUL byte in *path*.  OverflowError: *flags* out of range.
    """
    _unmount(_args.path(path), _args.c_int(flags, "flags"))


def _mib(name: Sequence[int]) -> ctypes.Array[ctypes.c_int]:
    """The C array of a sysctl name, each component range-checked."""
    parts = [_args.c_int(part, "sysctl name component") for part in name]
    if not 1 <= len(parts) <= CTL_MAXNAME:
        raise ValueError(f"a sysctl name has 1 to {CTL_MAXNAME} components, not {len(parts)}")
    return (ctypes.c_int * len(parts))(*parts)


def sysctl(name: Sequence[int], oldlen: int | None = None, new: Buffer | None = None) -> bytes:
    """``sysctl(name, namelen, oldp, oldlenp, newp, newlen)``: read and/or set a kernel value (darwin).

    *name* is the numeric MIB (``[CTL_KERN, KERN_OSTYPE]``); the value is
    returned as the bytes the kernel copied out.  *oldlen* bounds the read:
    ``None`` asks the kernel for the size first (and retries if the value
    grows meanwhile), ``0`` reads nothing (returns ``b""``, for a set
    only), a positive number reads at most that many bytes.  *new*, when
    given, is written as the new value (needs root for most names).

    Raises:
        macres.UnsupportedOperation: on Linux, which has no sysctl call.
        OSError: ENOENT (no such name), ENOMEM (*oldlen* smaller than the
        value), ENOTDIR, EISDIR, EINVAL, EPERM (setting needs root).
        ValueError: an empty name or more than 12 components, a negative
        *oldlen*.  OverflowError: a component or *oldlen* out of range.
    """
    mib = _mib(name)
    if new is None:
        newp: bytes | ctypes.Array[ctypes.c_char] | None = None
        newlen = 0
    else:
        newp, newlen = _args.rbuffer(new)
    if oldlen is not None:
        want = _args.size(oldlen, "oldlen")
        return _read(mib, want, newp, newlen)
    for _ in range(_SIZE_RETRIES):
        size = c_size_t(0)
        _sysctl(mib, len(mib), None, byref(size), None, 0)
        try:
            return _read(mib, size.value, newp, newlen)
        except OSError as exc:
            if exc.errno != _errno.ENOMEM:
                raise
    return _read(mib, size.value, newp, newlen)


def _read(
    mib: ctypes.Array[ctypes.c_int],
    want: int,
    newp: bytes | ctypes.Array[ctypes.c_char] | None,
    newlen: int,
) -> bytes:
    """One sysctl call reading at most *want* bytes (none when *want* is 0)."""
    if want == 0:
        _sysctl(mib, len(mib), None, None, newp, newlen)
        return b""
    buf = ctypes.create_string_buffer(want)
    got = c_size_t(want)
    _sysctl(mib, len(mib), buf, byref(got), newp, newlen)
    return buf.raw[: got.value]
