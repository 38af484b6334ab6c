"""Bindings of the fs area: path-level file-system calls: access, chmod, link, rename, stat, statfs, ...

Every path argument is ``str``, ``bytes`` or ``os.PathLike``, encoded with
``os.fsencode``; a failure names the path(s) in the ``OSError``.  Calls the
running platform lacks (``chflags``, ``revoke``, ``exchangedata`` and
``undelete`` on Linux) raise :class:`~macres.UnsupportedOperation`.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
from ctypes import byref, c_char_p, c_int, c_long, c_size_t, c_ssize_t, c_uint, c_void_p
from typing import Literal, overload

from . import _args
from ._errcheck import check_int, check_ptr, raise_errno
from ._libc import function
from ._platform import abi
from ._registry import compiled, stdlib
from ._types import Stat, StatFS, stat_of

__all__ = [
    "access", "chdir", "chflags", "chmod", "chown", "chroot", "exchangedata",
    "getcwd", "lchown", "link", "lstat", "mkdir", "mkfifo", "mknod", "pathconf",
    "readlink", "rename", "revoke", "rmdir", "stat", "statfs", "symlink",
    "truncate", "undelete", "unlink", "utimes",
]  # fmt: skip


#: Checkers naming the first path, or both, in the exception.
_one = functools.partial(check_int, paths=(0,))
_two = functools.partial(check_int, paths=(0, 1))
_off_t = ctypes.c_int64
# CPython's calls, bound once: module-level call sites (macres.testing.faults arms them).
_os_stat = os.stat
_os_lstat = os.lstat
_access = function("access", c_int, (c_char_p, c_int), _one)
_chdir = function("chdir", c_int, (c_char_p,), _one)
_chflags = function("chflags", c_int, (c_char_p, c_uint), _one)
_chmod = function("chmod", c_int, (c_char_p, abi.MODE_T), _one)
_chown = function("chown", c_int, (c_char_p, c_uint, c_uint), _one)
_chroot = function("chroot", c_int, (c_char_p,), _one)
_exchangedata = function("exchangedata", c_int, (c_char_p, c_char_p, c_uint), _two)
_lchown = function("lchown", c_int, (c_char_p, c_uint, c_uint), _one)
_link = function("link", c_int, (c_char_p, c_char_p), _two)
_mkdir = function("mkdir", c_int, (c_char_p, abi.MODE_T), _one)
_mkfifo = function("mkfifo", c_int, (c_char_p, abi.MODE_T), _one)
_mknod = function("mknod", c_int, (c_char_p, abi.MODE_T, abi.DEV_T), _one)
_pathconf = function("pathconf", c_long, (c_char_p, c_int), None)
_readlink = function("readlink", c_ssize_t, (c_char_p, c_void_p, c_size_t), _one)
_rename = function("rename", c_int, (c_char_p, c_char_p), _two)
_revoke = function("revoke", c_int, (c_char_p,), _one)
_rmdir = function("rmdir", c_int, (c_char_p,), _one)
_symlink = function("symlink", c_int, (c_char_p, c_char_p), _two)
_truncate = function("truncate", c_int, (c_char_p, _off_t), _one)
_undelete = function("undelete", c_int, (c_char_p,), _one)
_unlink = function("unlink", c_int, (c_char_p,), _one)
_getcwd = function("getcwd", c_void_p, (c_void_p, c_size_t), check_ptr)
_statfs = function("statfs", c_int, (c_char_p, c_void_p), _one)
_utimes = function("utimes", c_int, (c_char_p, c_void_p), _one)


def access(path: _args.StrOrBytesPath, mode: int) -> None:
    """``access(path, mode)``: check the real user's access (``F_OK`` or ``R_OK|W_OK|X_OK``).

    Returns nothing when access is allowed; a denial is an exception, as
    every failure of the raw layer is.

    Raises:
        PermissionError: EACCES.  FileNotFoundError: ENOENT.  OSError: other failures.
        ValueError: NUL byte in *path*.  OverflowError: *mode* out of range.
    """
    _access(_args.path(path), _args.c_int(mode, "mode"))


def chdir(path: _args.StrOrBytesPath) -> None:
    """``chdir(path)``: make *path* the process's working directory.

    Raises:
        OSError: ENOENT, ENOTDIR, EACCES.  ValueError: NUL byte in *path*.
    """
    _chdir(_args.path(path))


def chflags(path: _args.StrOrBytesPath, flags: int) -> None:
    """``chflags(path, flags)``: set BSD file flags (``UF_*``/``SF_*``) on *path*.

    Raises:
        UnsupportedOperation: on Linux, where glibc's stub always fails with ENOSYS.
        OSError: the call failed.  ValueError: NUL byte.  OverflowError: *flags* out of range.
    """
    _chflags(_args.path(path), _args.c_uint(flags, "flags"))


def chmod(path: _args.StrOrBytesPath, mode: int) -> None:
    """``chmod(path, mode)``: change the permission bits of *path* (follows symlinks).

    Raises:
        OSError: EPERM, ENOENT.  ValueError: NUL byte.  OverflowError: *mode* out of range.
    """
    _chmod(_args.path(path), _args.mode(mode))


def chown(path: _args.StrOrBytesPath, uid: int, gid: int) -> None:
    """``chown(path, owner, group)``: change the owner of *path* (follows symlinks); -1 keeps one.

    Raises:
        PermissionError: EPERM (not privileged).  OSError: ENOENT and the like.
        ValueError: NUL byte.  OverflowError: an id out of range.
    """
    _chown(_args.path(path), _args.owner(uid, "uid"), _args.owner(gid, "gid"))


def chroot(path: _args.StrOrBytesPath) -> None:
    """``chroot(dirname)``: make *path* the process's root directory (privileged).

    The working directory is not changed: ``chdir("/")`` after it.

    Raises:
        PermissionError: EPERM (not privileged).  OSError: ENOENT, ENOTDIR.
        ValueError: NUL byte.
    """
    _chroot(_args.path(path))


def exchangedata(path1: _args.StrOrBytesPath, path2: _args.StrOrBytesPath, options: int = 0) -> None:
    """``exchangedata(path1, path2, options)``: swap the contents of two files atomically (macOS).

    Raises:
        UnsupportedOperation: on Linux (its counterpart is ``renameat2(RENAME_EXCHANGE)``).
        OSError: the call failed.  ValueError: NUL byte.  OverflowError: *options* out of range.
    """
    _exchangedata(_args.path(path1), _args.path(path2), _args.c_uint(options, "options"))


def lchown(path: _args.StrOrBytesPath, uid: int, gid: int) -> None:
    """``lchown(path, owner, group)``: like :func:`chown`, but changes a symlink itself.

    Raises:
        PermissionError: EPERM.  OSError: ENOENT and the like.
        ValueError: NUL byte.  OverflowError: an id out of range.
    """
    _lchown(_args.path(path), _args.owner(uid, "uid"), _args.owner(gid, "gid"))


def link(path1: _args.StrOrBytesPath, path2: _args.StrOrBytesPath) -> None:
    """``link(path1, path2)``: make *path2* a new hard link to the file *path1*.

    Raises:
        FileExistsError: *path2* exists.  OSError: ENOENT, EXDEV, EPERM.  ValueError: NUL byte.
    """
    _link(_args.path(path1), _args.path(path2))


def mkdir(path: _args.StrOrBytesPath, mode: int = 0o777) -> None:
    """``mkdir(path, mode)``: create a directory (*mode* is masked by the umask).

    Raises:
        FileExistsError: EEXIST.  OSError: ENOENT, EACCES.
        ValueError: NUL byte.  OverflowError: *mode* out of range.
    """
    _mkdir(_args.path(path), _args.mode(mode))


def mkfifo(path: _args.StrOrBytesPath, mode: int = 0o666) -> None:
    """``mkfifo(path, mode)``: create a named pipe (*mode* is masked by the umask).

    Raises:
        FileExistsError: EEXIST.  OSError: ENOENT, EACCES.
        ValueError: NUL byte.  OverflowError: *mode* out of range.
    """
    _mkfifo(_args.path(path), _args.mode(mode))


def mknod(path: _args.StrOrBytesPath, mode: int, dev: int = 0) -> None:
    """``mknod(path, mode, dev)``: create a file system node: a device (privileged), FIFO or file.

    *mode* holds the file type (``S_IFCHR``, ``S_IFBLK``, ``S_IFIFO``,
    ``S_IFREG``) and the permission bits; *dev* is the device number as
    the platform encodes it (``os.makedev``).

    Raises:
        PermissionError: EPERM for a device when not privileged.  FileExistsError: EEXIST.
        OSError: EINVAL and the like.  ValueError: NUL byte.  OverflowError: *mode*/*dev* out of range.
    """
    _mknod(_args.path(path), _args.mode(mode), _args.dev(dev))


def pathconf(path: _args.StrOrBytesPath, name: int) -> int | None:
    """``pathconf(path, name)``: return a limit (``_PC_*``) of the file *path*; None where it has none.

    Raises:
        OSError: EINVAL for an unknown *name*, ENOENT.  ValueError: NUL byte.
        OverflowError: *name* out of range.
    """
    encoded = _args.path(path)
    cname = _args.c_int(name, "name")
    ctypes.set_errno(0)
    result: int = _pathconf(encoded, cname)
    if result == -1:
        err = ctypes.get_errno()
        if err:
            raise_errno(err, os.fsdecode(encoded))
        return None
    return result


@overload
def readlink(path: str | os.PathLike[str]) -> str: ...
@overload
def readlink(path: bytes | os.PathLike[bytes]) -> bytes: ...
def readlink(path: _args.StrOrBytesPath) -> str | bytes:
    """``readlink(path, buf, bufsize)``: return the target of the symbolic link *path*.

    The result has the type of *path* (``str`` decoded with
    ``os.fsdecode``, or ``bytes``).  The buffer grows until the target
    fits, so a long target is never truncated.

    Raises:
        OSError: EINVAL (not a symlink), ENOENT.  ValueError: NUL byte.
    """
    as_bytes = isinstance(os.fspath(path), bytes)
    encoded = _args.path(path)
    size = 256
    while True:
        buf = ctypes.create_string_buffer(size)
        n: int = _readlink(encoded, buf, size)
        if n < size:
            target = buf.raw[:n]
            return target if as_bytes else os.fsdecode(target)
        size *= 4


@overload
def getcwd() -> str: ...
@overload
def getcwd(*, as_bytes: Literal[False]) -> str: ...
@overload
def getcwd(*, as_bytes: Literal[True]) -> bytes: ...
@overload
def getcwd(*, as_bytes: bool) -> str | bytes: ...
def getcwd(*, as_bytes: bool = False) -> str | bytes:
    """``getcwd(buf, size)``: return the working directory's absolute path.

    ``str`` (decoded with ``os.fsdecode``) by default, ``bytes`` with
    ``as_bytes=True`` (as ``os.getcwdb``).  The buffer grows on ERANGE, so
    deep paths are returned whole.

    Raises:
        FileNotFoundError: the working directory was removed.  PermissionError: EACCES.
    """
    size = int(abi.PATH_MAX)
    while True:
        buf = ctypes.create_string_buffer(size)
        try:
            _getcwd(buf, size)
        except OSError as exc:
            if exc.errno != errno.ERANGE:
                raise
            size *= 4
            continue
        return buf.value if as_bytes else os.fsdecode(buf.value)


@compiled
@stdlib("os.lstat")
def lstat(path: _args.StrOrBytesPath) -> Stat:
    """``lstat(path, buf)``: return the :class:`Stat` of *path*, not following a final symlink.

    Uses ``os.lstat``, the same call, which fills its result faster than ctypes.

    Raises:
        FileNotFoundError: ENOENT.  OSError: ENOTDIR, EACCES.  ValueError: NUL byte.
    """
    _args.path(path)
    return stat_of(_os_lstat(path))


@compiled
@stdlib("os.stat")
def stat(path: _args.StrOrBytesPath) -> Stat:
    """``stat(path, buf)``: return the :class:`Stat` of the file *path* names (follows symlinks).

    Uses ``os.stat``, the same call, which fills its result faster than ctypes.

    Raises:
        FileNotFoundError: ENOENT.  OSError: ENOTDIR, ELOOP, EACCES.  ValueError: NUL byte.
    """
    _args.path(path)
    return stat_of(_os_stat(path))


def statfs(path: _args.StrOrBytesPath) -> StatFS:
    """``statfs(path, buf)``: return the :class:`StatFS` of the file system holding *path*.

    Raises:
        FileNotFoundError: ENOENT.  OSError: the call failed.  ValueError: NUL byte.
    """
    st = abi.CStatfs()
    _statfs(_args.path(path), byref(st))
    return abi.statfs_value(st)


def rename(old: _args.StrOrBytesPath, new: _args.StrOrBytesPath) -> None:
    """``rename(old, new)``: rename *old* to *new*, replacing *new* atomically if it exists.

    Raises:
        OSError: ENOENT, EXDEV, EISDIR, ENOTEMPTY.  ValueError: NUL byte.
    """
    _rename(_args.path(old), _args.path(new))


def revoke(path: _args.StrOrBytesPath) -> None:
    """``revoke(path)``: invalidate every open descriptor of the terminal *path* (macOS).

    Raises:
        UnsupportedOperation: on Linux, where glibc's stub always fails with ENOSYS.
        OSError: the call failed.  ValueError: NUL byte.
    """
    _revoke(_args.path(path))


def rmdir(path: _args.StrOrBytesPath) -> None:
    """``rmdir(path)``: remove an empty directory.

    Raises:
        OSError: ENOTEMPTY, ENOTDIR, ENOENT.  ValueError: NUL byte.
    """
    _rmdir(_args.path(path))


def symlink(path1: _args.StrOrBytesPath, path2: _args.StrOrBytesPath) -> None:
    """``symlink(path1, path2)``: create the symbolic link *path2* whose target is *path1*.

    *path1* need not exist: it is stored as given.

    Raises:
        FileExistsError: *path2* exists.  OSError: ENOENT, EACCES.  ValueError: NUL byte.
    """
    _symlink(_args.path(path1), _args.path(path2))


def truncate(path: _args.StrOrBytesPath, length: int) -> None:
    """``truncate(path, length)``: set the size of the file *path*.

    Raises:
        OSError: EINVAL (negative length), EISDIR, ENOENT.  ValueError: NUL byte.
        OverflowError: *length* out of range.
    """
    _truncate(_args.path(path), _args.offset(length, "length"))


def undelete(path: _args.StrOrBytesPath) -> None:
    """``undelete(path)``: remove a whiteout entry of a union mount (macOS).

    Raises:
        UnsupportedOperation: on Linux, which has no such call.
        OSError: the call failed.  ValueError: NUL byte.
    """
    _undelete(_args.path(path))


def unlink(path: _args.StrOrBytesPath) -> None:
    """``unlink(path)``: remove a directory entry (not a directory).

    Raises:
        FileNotFoundError: ENOENT.  IsADirectoryError / PermissionError: a directory.
        ValueError: NUL byte.
    """
    _unlink(_args.path(path))


def utimes(path: _args.StrOrBytesPath, times: tuple[tuple[int, int], tuple[int, int]] | None = None) -> None:
    """``utimes(path, times)``: set the access and modification times of *path*.

    *times* is ``((atime_sec, atime_usec), (mtime_sec, mtime_usec))``;
    None sets both to now.

    Raises:
        OSError: EINVAL (microseconds out of range), ENOENT, EPERM.  ValueError: NUL byte.
        OverflowError: a number out of range.
    """
    encoded = _args.path(path)
    if times is None:
        _utimes(encoded, None)
        return
    tv = (abi.CTimeval * 2)()
    for i, (sec, usec) in enumerate(times):
        tv[i].tv_sec = _args.c_long(sec, "seconds")
        tv[i].tv_usec = _args.c_int(usec, "microseconds")
    _utimes(encoded, tv)
