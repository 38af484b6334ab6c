"""Bindings on open file descriptors: read, write, seek, stat, lock, sync.

Where CPython's ``os`` module makes the same libc call with the same
semantics, the binding uses it (it is faster than ctypes); ``raw.BINDINGS``
records which.
"""

from __future__ import annotations

import ctypes
import errno
import operator
import os
from collections.abc import Sequence
from ctypes import byref, c_int, c_long, c_size_t, c_ssize_t, c_uint, c_ulong, c_void_p
from typing import Final

from typing_extensions import Buffer

from . import _args
from ._errcheck import check_int, raise_errno
from ._libc import function
from ._platform import abi, os_preadv
from ._registry import compiled, stdlib
from ._types import Stat, StatFS, stat_of

__all__ = [
    "close", "dup", "dup2", "fchdir", "fchflags", "fchmod", "fchown", "fcntl",
    "flock", "fpathconf", "fstat", "fstatfs", "fsync", "ftruncate", "futimes",
    "ioctl", "lseek", "open", "pipe", "pread", "preallocate", "pwrite", "read", "readv", "write",
    "writev",
]  # fmt: skip

_off_t = ctypes.c_int64

# The @stdlib bindings pass their integers straight to CPython, whose argument
# parsing already raises OverflowError for a descriptor outside C int and an
# offset outside off_t (and TypeError for a non-integer): checking them again
# here would only add to every call.
_os_close = os.close
_os_open = os.open
_O_CLOEXEC: Final = int(abi.O_CLOEXEC)
_INT_MAX: Final = _args.INT_MAX
_os_fstat = os.fstat
_os_lseek = os.lseek
_os_preadv = os_preadv  # None without it: ctypes serves
_os_pread = os.pread
_os_pwrite = os.pwrite
_os_read = os.read
_os_readv = os.readv
_os_write = os.write
_index = operator.index
# open, fcntl and ioctl are variadic in C: argtypes name only the fixed
# parameters and the last argument is passed as a ctypes instance, so ctypes
# prepares a variadic call (darwin arm64 passes variadic arguments on the
# stack, not in the registers a fixed parameter would use).
_open = function("open", c_int, (ctypes.c_char_p, c_int), lambda f: check_int(f, paths=(0,)))
_close = function("close", c_int, (c_int,), lambda f: check_int(f, retry=False))
_dup = function("dup", c_int, (c_int,), check_int)
_dup2 = function("dup2", c_int, (c_int, c_int), check_int)
_pipe = function("pipe", c_int, (c_void_p,), check_int)
_read = function("read", c_ssize_t, (c_int, c_void_p, c_size_t), check_int)
_write = function("write", c_ssize_t, (c_int, c_void_p, c_size_t), check_int)
_pread = function("pread", c_ssize_t, (c_int, c_void_p, c_size_t, _off_t), check_int)
_pwrite = function("pwrite", c_ssize_t, (c_int, c_void_p, c_size_t, _off_t), check_int)
_writev = function("writev", c_ssize_t, (c_int, c_void_p, c_int), check_int)
_lseek = function("lseek", _off_t, (c_int, _off_t, c_int), check_int)
_fstatfs = function("fstatfs", c_int, (c_int, c_void_p), check_int)
_fchdir = function("fchdir", c_int, (c_int,), check_int)
_fchflags = function("fchflags", c_int, (c_int, c_uint), check_int)
_fchmod = function("fchmod", c_int, (c_int, abi.MODE_T), check_int)
_fchown = function("fchown", c_int, (c_int, c_uint, c_uint), check_int)
_flock = function("flock", c_int, (c_int, c_int), check_int)
_fpathconf = function("fpathconf", c_long, (c_int, c_int), None)
_fsync = function("fsync", c_int, (c_int,), check_int)
_ftruncate = function("ftruncate", c_int, (c_int, _off_t), check_int)
_futimes = function("futimes", c_int, (c_int, c_void_p), check_int)
_fcntl = function("fcntl", c_int, (c_int, c_int), check_int)
_ioctl = function("ioctl", c_int, (c_int, c_ulong), check_int)


@compiled
def open(path: _args.StrOrBytesPath, flags: int, mode: int = 0o666) -> int:
    """``open(path, oflag, mode)``: open a file and return its descriptor.

    Unlike ``os.open`` no ``O_CLOEXEC`` is added: the flags are the caller's.
    When they include ``O_CLOEXEC`` the call is ``os.open``'s (which adds
    nothing else and is faster than ctypes).

    Raises:
        OSError: the call failed (``FileNotFoundError``, ``PermissionError``, ...).
        ValueError: NUL byte in *path*.  OverflowError: *flags* or *mode* out of range.
    """
    if (flags.__class__ is int or isinstance(flags, int)) and flags & _O_CLOEXEC and mode.__class__ is int and 0 <= mode <= _INT_MAX:
        try:
            return _os_open(path, flags, mode)
        except OSError as exc:  # the file name as the ctypes path reports it: str
            raise OSError(exc.errno, exc.strerror, os.fsdecode(path)) from None
    return _open(_args.path(path), _args.c_int(flags, "flags"), c_uint(_args.c_uint(mode, "mode")))  # type: ignore[no-any-return]


@compiled
@stdlib("os.close")
def close(fd: int) -> None:
    """``close(fildes)``: close a descriptor.  Never retried on EINTR.

    Raises:
        OSError: EBADF and the like.  OverflowError: *fd* out of range.
    """
    _os_close(fd)


def dup(fd: int) -> int:
    """``dup(fildes)``: duplicate *fd* onto the lowest free number (inheritable, as in C).

    Raises:
        OSError: EBADF, EMFILE.  OverflowError: *fd* out of range.
    """
    return _dup(_args.c_int(fd, "fd"))  # type: ignore[no-any-return]


def dup2(fd: int, fd2: int) -> int:
    """``dup2(fildes, fildes2)``: make *fd2* a copy of *fd*; returns *fd2*.

    Raises:
        OSError: EBADF.  OverflowError: a number out of range.
    """
    return _dup2(_args.c_int(fd, "fd"), _args.c_int(fd2, "fd2"))  # type: ignore[no-any-return]


def pipe() -> tuple[int, int]:
    """``pipe(fildes)``: return ``(read_end, write_end)``, inheritable as in C.

    Raises:
        OSError: EMFILE, ENFILE.
    """
    fds = (c_int * 2)()
    _pipe(fds)
    return fds[0], fds[1]


@compiled
@stdlib("os.readv")
def read(fd: int, buf: Buffer, nbytes: int | None = None) -> int:
    """``read(fildes, buf, nbyte)``: read into the writable *buf*; return the count (0 at EOF).

    *nbytes* defaults to the buffer's length.  Reading the whole buffer uses
    ``os.readv`` with that one buffer (the same read, faster than ctypes).

    Raises:
        OSError: the call failed.  TypeError: *buf* is read-only.
        ValueError: *buf* is smaller than *nbytes*.
    """
    if nbytes is None:
        # The whole buffer: readv(2) with one buffer is the same read, and
        # CPython's os.readv makes it without ctypes' conversions.
        try:
            count = _os_readv(fd, (buf,))
        except BufferError:  # read-only or not contiguous: reported below as ever
            pass
        else:
            # readv(2) returns 0 for an empty iovec before looking at the file;
            # read(2) still reports EISDIR and the like: ask it (empty buffers only).
            return count if count or memoryview(buf).nbytes else len(_os_read(fd, 0))
    cbuf, n = _args.wbuffer(buf, nbytes)
    return _read(_args.c_int(fd, "fd"), cbuf, n)  # type: ignore[no-any-return]


@compiled
@stdlib("os.write")
def write(fd: int, data: Buffer) -> int:
    """``write(fildes, buf, nbyte)``: write *data*; return how many bytes were written.

    Uses ``os.write``: the same call, faster than ctypes.

    Raises:
        OSError: the call failed (EPIPE, EAGAIN, ...).
    """
    try:
        return _os_write(fd, data)  # the same write(2), made by CPython
    except BufferError:  # not contiguous: reported below as ever
        pass
    fd = _args.c_int(fd, "fd")
    ptr, n = _args.rbuffer(data)
    return _write(fd, ptr, n)  # type: ignore[no-any-return]


@compiled
@stdlib("os.preadv")
def pread(fd: int, buf: Buffer, offset: int) -> int:
    """``pread(fildes, buf, nbyte, offset)``: read into *buf* at *offset*; return the count.

    Uses ``os.preadv`` with one buffer: the same positioned read, faster than ctypes.
    A negative *offset* fails with EINVAL as pread(2) does (Linux's preadv
    would read at the current offset instead).

    Raises:
        OSError: the call failed (ESPIPE on a pipe, EINVAL for a negative offset).
        TypeError: *buf* is read-only.  OverflowError: *offset* out of range.
    """
    try:
        negative = offset < 0
    except TypeError:  # an __index__ object (os.preadv takes those) or not an integer
        offset = _index(offset)
        negative = offset < 0
    if negative:
        _args.offset(offset)  # beyond off_t: OverflowError, as for any offset
        raise_errno(errno.EINVAL)
    if _os_preadv is None:
        cbuf, n = _args.wbuffer(buf)
        return _pread(_args.c_int(fd, "fd"), cbuf, n, _args.offset(offset))  # type: ignore[no-any-return]
    try:
        count = _os_preadv(fd, (buf,), offset)
    except BufferError:  # read-only (TypeError) or not contiguous (ValueError), as the compiled core says
        _args.wbuffer(buf)
        raise
    # preadv(2) returns 0 for an empty iovec before looking at the file; pread(2) reports EISDIR.
    return count if count or memoryview(buf).nbytes else len(_os_pread(fd, 0, offset))


@stdlib("os.readv")
def readv(fd: int, buffers: Sequence[Buffer]) -> int:
    """``readv(fildes, iov, iovcnt)``: fill the writable buffers in order; return the count.

    Not in Go's table: an extra helper, the read counterpart of
    :func:`writev`, implemented by CPython's ``os.readv``.

    Raises:
        OSError: the call failed (EINVAL for more than IOV_MAX buffers).
        TypeError: a buffer is read-only.
    """
    return _os_readv(fd, buffers)


@compiled
@stdlib("os.pwrite")
def pwrite(fd: int, data: Buffer, offset: int) -> int:
    """``pwrite(fildes, buf, nbyte, offset)``: write *data* at *offset*; return the count.

    Raises:
        OSError: the call failed.  OverflowError: *offset* out of range.
    """
    try:
        return _os_pwrite(fd, data, offset)
    except BufferError:  # not contiguous: ValueError, as the compiled core says
        _args.rbuffer(data)
        raise


def writev(fd: int, buffers: Sequence[Buffer]) -> int:
    """``writev(fildes, iov, iovcnt)``: write the buffers in order; return the count.

    Raises:
        OSError: the call failed (EINVAL for more than IOV_MAX buffers).
    """
    fd = _args.c_int(fd, "fd")
    n = len(buffers)
    iov = (abi.CIovec * n)()
    keep: list[object] = []
    for i, data in enumerate(buffers):
        ptr, length = _args.rbuffer(data)
        cptr = ctypes.c_char_p(ptr) if isinstance(ptr, bytes) else ptr
        keep.append(cptr)
        iov[i].iov_base = ctypes.cast(cptr, c_void_p)
        iov[i].iov_len = length
    return _writev(fd, iov, _args.c_int(n, "buffer count"))  # type: ignore[no-any-return]


@compiled
@stdlib("os.lseek")
def lseek(fd: int, offset: int, whence: int) -> int:
    """``lseek(fildes, offset, whence)``: move the file offset; return the new one.

    Raises:
        OSError: ESPIPE, EINVAL.  OverflowError: an argument out of range.
    """
    return _os_lseek(fd, offset, whence)


@compiled
@stdlib("os.fstat")
def fstat(fd: int) -> Stat:
    """``fstat(fildes, buf)``: return the :class:`Stat` of an open file.

    Uses ``os.fstat``: the same call (``fstat64`` on macOS x86_64), and
    CPython fills its result faster than ctypes can.

    Raises:
        OSError: EBADF.  OverflowError: *fd* out of range.
    """
    return stat_of(_os_fstat(fd))


def fstatfs(fd: int) -> StatFS:
    """``fstatfs(fd, buf)``: return the :class:`StatFS` of the file system holding *fd*.

    Raises:
        OSError: EBADF.
    """
    st = abi.CStatfs()
    _fstatfs(_args.c_int(fd, "fd"), byref(st))
    return abi.statfs_value(st)


def fchdir(fd: int) -> None:
    """``fchdir(fildes)``: make the directory open on *fd* the working directory.

    Raises:
        OSError: EBADF, ENOTDIR.
    """
    _fchdir(_args.c_int(fd, "fd"))


def fchflags(fd: int, flags: int) -> None:
    """``fchflags(fd, flags)``: set BSD file flags (``UF_*``/``SF_*``) on an open file.

    Raises:
        UnsupportedOperation: on Linux, where glibc's stub always fails.
        OSError: the call failed.
    """
    _fchflags(_args.c_int(fd, "fd"), _args.c_uint(flags, "flags"))


def fchmod(fd: int, mode: int) -> None:
    """``fchmod(fildes, mode)``: change an open file's permission bits.

    Raises:
        OSError: EPERM, EBADF.  OverflowError: *mode* out of range.
    """
    _fchmod(_args.c_int(fd, "fd"), _args.mode(mode))


def fchown(fd: int, uid: int, gid: int) -> None:
    """``fchown(fildes, owner, group)``: change an open file's owner; -1 keeps one.

    Raises:
        OSError: EPERM, EBADF.  OverflowError: an id out of range.
    """
    _fchown(_args.c_int(fd, "fd"), _id(uid, "uid"), _id(gid, "gid"))


def _id(value: int, what: str) -> int:
    """uid_t/gid_t: -1 means "unchanged" and is passed as all ones."""
    return _args.UINT_MAX if value == -1 else _args.c_uint(value, what)


def flock(fd: int, operation: int) -> None:
    """``flock(fd, operation)``: apply or remove an advisory lock (``LOCK_*``).

    Raises:
        BlockingIOError: ``LOCK_NB`` and the lock is held elsewhere.
        OSError: EBADF, EINVAL.
    """
    _flock(_args.c_int(fd, "fd"), _args.c_int(operation, "operation"))


def fpathconf(fd: int, name: int) -> int | None:
    """``fpathconf(fildes, name)``: return a limit (``_PC_*``); None where it has none.

    Raises:
        OSError: EINVAL for an unknown *name*, EBADF.
    """
    ctypes.set_errno(0)
    result: int = _fpathconf(_args.c_int(fd, "fd"), _args.c_int(name, "name"))
    if result == -1:
        err = ctypes.get_errno()
        if err:
            raise OSError(err, os.strerror(err))
        return None
    return result


def fsync(fd: int) -> None:
    """``fsync(fildes)``: flush the file's data and metadata to the device.

    Raises:
        OSError: EBADF, EINVAL (not a file that can sync), EIO.
    """
    _fsync(_args.c_int(fd, "fd"))


def ftruncate(fd: int, length: int) -> None:
    """``ftruncate(fildes, length)``: set the file's size.

    Raises:
        OSError: EINVAL (negative length), EBADF, EFBIG.
    """
    _ftruncate(_args.c_int(fd, "fd"), _args.offset(length, "length"))


def futimes(fd: int, times: tuple[tuple[int, int], tuple[int, int]] | None = None) -> None:
    """``futimes(fildes, times)``: set access and modification times.

    *times* is ``((atime_sec, atime_usec), (mtime_sec, mtime_usec))``;
    None sets both to now.

    Raises:
        OSError: the call failed (EINVAL for microseconds out of range).
    """
    fd = _args.c_int(fd, "fd")
    if times is None:
        _futimes(fd, None)
        return
    tv = (abi.CTimeval * 2)()
    for i, (sec, usec) in enumerate(times):
        tv[i].tv_sec = _args.c_long(sec, "seconds")
        tv[i].tv_usec = _args.c_int(usec, "microseconds")
    _futimes(fd, tv)


def fcntl(fd: int, cmd: int, arg: int | Buffer = 0) -> int:
    """``fcntl(fildes, cmd, arg)``: an int *arg*, or a writable buffer passed by address.

    A buffer covers Go's ``fcntlPtr`` (e.g. ``F_GETLK`` with a ``struct
    flock``); it must be at least as large as the command expects.

    Safety: unsafe.  An int is passed as it is, and a command that takes a
    pointer (``F_GETLK``, ``F_GETPATH``, ...) uses it as an address: the
    kernel writes its struct wherever the int points, into the
    interpreter's own objects if that is where.  A buffer smaller than the
    command's struct is overrun the same way.
    :meth:`macres.FileDescriptor.fcntl` checks both.

    Raises:
        OSError: the call failed.  OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    cmd = _args.c_int(cmd, "cmd")
    if isinstance(arg, int):
        return _fcntl(fd, cmd, c_long(_args.c_long(arg, "arg")))  # type: ignore[no-any-return]
    cbuf, _ = _args.wbuffer(arg)
    return _fcntl(fd, cmd, cbuf)  # type: ignore[no-any-return]


def ioctl(fd: int, request: int, arg: int | Buffer = 0) -> int:
    """``ioctl(fildes, request, arg)``: an int *arg*, or a writable buffer passed by address.

    A buffer covers Go's ``ioctlPtr``.

    Safety: unsafe.  An int is passed as it is, and a request that takes a
    pointer (``FIONREAD``, ``TIOCGWINSZ``, any ``_IOR``/``_IOW`` request)
    uses it as an address: ``ioctl(fd, FIONREAD, id(obj) + 8)`` writes a C
    int into a Python object's header.  The kernel also reads or writes as
    many bytes as *request* implies, however small the buffer.
    :meth:`macres.FileDescriptor.ioctl` checks both.

    Raises:
        OSError: ENOTTY and the like.  OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    request = _args.c_ulong(request, "request")
    if isinstance(arg, int):
        return _ioctl(fd, request, c_long(_args.c_long(arg, "arg")))  # type: ignore[no-any-return]
    cbuf, _ = _args.wbuffer(arg)
    return _ioctl(fd, request, cbuf)  # type: ignore[no-any-return]


def preallocate(fd: int, offset: int, length: int) -> None:
    """``posix_fallocate(fd, offset, len)``, or ``fcntl(F_PREALLOCATE)`` on macOS: give a file storage now.

    Not in Go's table: a helper for :meth:`macres.MappedRegion.from_file`.
    On Linux the holes of bytes [offset, offset+length) get their blocks
    (the file grows if the range reaches past its end; contents stay), so
    writing there, through a mapping too, cannot fail later for want of
    space.  macOS has no call that fills holes: ``F_PREALLOCATE`` with
    ``F_ALLOCATEALL`` from the physical end of file reserves *length*
    bytes for the file on its volume, all or nothing.

    References: ``posix_fallocate(3)`` on Linux, ``fcntl(2)`` on macOS.

    Raises:
        OSError: ENOSPC or EDQUOT (no room), EBADF (not open for writing),
            ENODEV or ESPIPE (not a regular file), EOPNOTSUPP.
        ValueError: negative *offset* or *length*.  OverflowError: out of range.
    """
    fd = _args.c_int(fd, "fd")
    offset = _args.offset(offset)
    length = _args.offset(length, "length")
    if offset < 0 or length < 0:
        raise ValueError(f"offset and length must not be negative, got {offset} and {length}")
    abi.preallocate(_fcntl, fd, offset, length)
