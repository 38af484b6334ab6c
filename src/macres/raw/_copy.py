"""Bindings of zero-copy transfer, outside Go's table: sendfile, copy_file_range, fcopyfile, clonefile.

:func:`sendfile` exists on both platforms with different prototypes
(``raw/_linux.py`` and ``raw/_darwin.py`` adapt them); :func:`copy_file_range`
is Linux's (4.5+, glibc 2.27+); :func:`fcopyfile` and :func:`clonefile` are
macOS's.  Each raises :class:`~macres.UnsupportedOperation` where the platform
lacks it, naming the counterpart.
"""

from __future__ import annotations

import ctypes
from typing import Any
from ctypes import byref, c_int, c_int64, c_size_t, c_ssize_t, c_uint, c_void_p

from . import _args
from ._errcheck import check_int
from ._libc import function
from ._platform import abi

__all__ = ["clonefile", "copy_file_range", "fcopyfile", "sendfile"]

_SENDFILE_RESTYPE, _SENDFILE_ARGTYPES = abi.SENDFILE_PROTOTYPE
# Not retried in the checker: darwin reports a partial count with EINTR, which
# the platform's adapter returns; a bare EINTR is retried in sendfile() below.
_sendfile = function("sendfile", _SENDFILE_RESTYPE, _SENDFILE_ARGTYPES, lambda f: check_int(f, retry=False))
_copy_file_range = function(
    "copy_file_range", c_ssize_t, (c_int, c_void_p, c_int, c_void_p, c_size_t, c_uint), check_int
)
_fcopyfile = function("fcopyfile", c_int, (c_int, c_int, c_void_p, ctypes.c_uint32), check_int)
_clonefile = function(
    "clonefile", c_int, (ctypes.c_char_p, ctypes.c_char_p, c_uint), lambda f: check_int(f, paths=(0, 1))
)


def sendfile(out_fd: int, in_fd: int, offset: int, count: int) -> int:
    """``sendfile``: send up to *count* bytes of the file *in_fd* from *offset* to the socket *out_fd*; return the count sent.

    A helper outside Go's table, with one signature on both platforms
    (Linux's ``sendfile(out_fd, in_fd, &offset, count)``, macOS's
    ``sendfile(in_fd, out_fd, offset, &len, NULL, 0)``).  The file offset
    of *in_fd* does not move.  A partial send returns its count; an error
    means nothing was sent.  EINTR with nothing sent is retried (PEP 475).
    *count* 0 sends nothing on Linux and to end of file on macOS: pass the
    count you mean.

    References: ``sendfile(2)`` on Linux and macOS.

    Raises:
        BlockingIOError: a non-blocking socket has no room (EAGAIN).
        OSError: EINVAL (a descriptor of the wrong kind), ENOTSOCK (macOS: *out_fd*
            not a socket), EPIPE, ENOTCONN.
        ValueError: negative *offset* or *count*.  OverflowError: out of range.
    """
    out_fd = _args.c_int(out_fd, "out_fd")
    in_fd = _args.c_int(in_fd, "in_fd")
    offset = _args.offset(offset)
    count = _args.size(count, "count")
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    while True:
        try:
            return abi.sendfile(_sendfile, out_fd, in_fd, offset, count)
        except InterruptedError:
            continue


def copy_file_range(fd_in: int, offset_in: int | None, fd_out: int, offset_out: int | None, count: int, flags: int = 0) -> int:
    """``copy_file_range(fd_in, &off_in, fd_out, &off_out, len, flags)``: copy bytes in the kernel; return the count.

    A Linux helper outside Go's table.  An offset of None uses and advances
    that descriptor's file offset; an int is used and the file offset does
    not move.  0 means *fd_in* is at end of file.  The file system may
    share blocks (reflink) or copy them; holes are read as zeros.

    References: ``copy_file_range(2)`` on Linux.

    Raises:
        UnsupportedOperation: on macOS (its counterpart is fcopyfile), and where glibc lacks it.
        OSError: EXDEV (different file systems, before Linux 5.3 or on some
            file systems since 5.19), EINVAL (not regular files, overlapping
            ranges, or the file system refuses), ENOSYS, EOPNOTSUPP, EBADF, ENOSPC.
        ValueError: negative offsets or *count*.  OverflowError: out of range.
    """
    fd_in = _args.c_int(fd_in, "fd_in")
    fd_out = _args.c_int(fd_out, "fd_out")
    count = _args.size(count, "count")
    flags = _args.c_uint(flags, "flags")
    offsets: list[Any] = []
    for given, what in ((offset_in, "offset_in"), (offset_out, "offset_out")):
        if given is None:
            offsets.append(None)
            continue
        value = _args.offset(given, what)
        if value < 0:
            raise ValueError(f"{what} must not be negative, got {value}")
        offsets.append(byref(c_int64(value)))
    return int(_copy_file_range(fd_in, offsets[0], fd_out, offsets[1], count, flags))


def fcopyfile(from_fd: int, to_fd: int, flags: int) -> None:
    """``fcopyfile(from, to, NULL, flags)``: copy data and/or metadata between open files (macOS).

    A helper outside Go's table.  *flags* is ``COPYFILE_*`` bits of
    ``macres.raw.ABI`` (``COPYFILE_DATA``, ``COPYFILE_ALL``, ...).  Data is
    copied from *from_fd*'s file offset to *to_fd*'s.

    References: ``copyfile(3)`` on macOS.

    Raises:
        UnsupportedOperation: on Linux (there is no counterpart: use copy_file_range).
        OSError: EINVAL, ENOTSUP, ENOSPC, EBADF.  OverflowError: out of range.
    """
    from_fd = _args.c_int(from_fd, "from_fd")
    to_fd = _args.c_int(to_fd, "to_fd")
    _fcopyfile(from_fd, to_fd, None, _args.c_uint(flags, "flags"))


def clonefile(src: _args.StrOrBytesPath, dst: _args.StrOrBytesPath, flags: int = 0) -> None:
    """``clonefile(src, dst, flags)``: create *dst* as a copy-on-write clone of *src* (macOS, APFS).

    A helper outside Go's table.  *dst* must not exist; *flags* is
    ``CLONE_NOFOLLOW`` and ``CLONE_NOOWNERCOPY`` bits.

    References: ``clonefile(2)`` on macOS.

    Raises:
        UnsupportedOperation: on Linux (there is no counterpart: use copy_file_range).
        FileExistsError: *dst* exists.  OSError: EXDEV (other volume), ENOTSUP
            (the file system cannot clone).  ValueError: NUL byte.
    """
    _clonefile(_args.path(src), _args.path(dst), _args.c_uint(flags, "flags"))
