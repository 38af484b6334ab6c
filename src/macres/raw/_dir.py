"""Bindings of the dir area: calls relative to a directory descriptor, and reading directories: openat, fstatat, readdir_r, ...

The ``*at`` calls take a directory descriptor (or ``AT_FDCWD``) and a path
relative to it.  Reading a directory goes through a C ``DIR *`` stream,
passed around here as its address (an ``int``): :func:`opendir` and
:func:`fdopendir` create one, :func:`readdir_r` reads it and
:func:`closedir` frees it.  ``opendir`` and ``fdopendir`` are not in Go's
table; they are here because ``readdir_r`` and ``closedir`` are useless
without them.

Safety: a ``DIR *`` is a raw address.  Passing one that was closed, or a
number that never was a stream, is undefined behaviour (the interpreter
may crash); only NULL is refused.  The object layer's ``Directory`` owns
the stream and hides the address.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import os
from collections.abc import Callable
from typing import Final
from ctypes import POINTER, byref, c_char_p, c_int, c_uint, c_void_p

from .._errors import oserror
from . import _args
from ._errcheck import check_int, check_ptr, check_status
from ._libc import function
from ._platform import abi
from ._registry import compiled, stdlib
from ._types import DirEntry, Stat

__all__ = [
    "DirEntry", "closedir", "closedir_unchecked", "fdopendir", "fdopendir_into", "fstatat", "opendir", "openat",
    "readdir_r", "unlinkat", "utimensat",
    "linkat", "mkdirat", "readlinkat", "renameat", "renameat2", "symlinkat",
]  # fmt: skip

_path1 = functools.partial(check_int, paths=(1,))
# mode is a variadic argument in C: it is passed as an extra argument so
# that ctypes uses the variadic calling convention (it differs on arm64).
_openat = function("openat", c_int, (c_int, c_char_p, c_int), _path1)
_fstatat = function("fstatat", c_int, (c_int, c_char_p, c_void_p, c_int), _path1)
_unlinkat = function("unlinkat", c_int, (c_int, c_char_p, c_int), _path1)
_utimensat = function("utimensat", c_int, (c_int, c_char_p, c_void_p, c_int), _path1)
_readdir_r = function("readdir_r", c_int, (c_void_p, c_void_p, c_void_p), check_status)
# closedir frees the stream whatever it returns: never retried.
_closedir = function("closedir", c_int, (c_void_p,), functools.partial(check_int, retry=False))
_opendir = function("opendir", c_void_p, (c_char_p,), functools.partial(check_ptr, paths=(0,)))
_fdopendir = function("fdopendir", c_void_p, (c_int,), check_ptr)
#: Unchecked twins: their result reaches a list, or the stream leaves one, inside the C call.
_fdopendir_plain = function("fdopendir", c_void_p, (c_int,), None)
_closedir_plain = function("closedir", c_int, (c_void_p,), None)


def _dirp(value: int) -> int:
    """A ``DIR *`` argument: a non-NULL address that fits a pointer."""
    v = _args.c_ulong(value, "DIR pointer")
    if v == 0:
        raise ValueError("DIR pointer is NULL")
    return v


def openat(dirfd: int, path: _args.StrOrBytesPath, flags: int, mode: int = 0o666) -> int:
    """``openat(fd, path, oflag, mode)``: open *path* relative to the directory *dirfd*.

    *dirfd* may be ``AT_FDCWD``.  Returns the new descriptor; unlike
    ``os.open`` no ``O_CLOEXEC`` is added.

    Raises:
        OSError: ENOENT, EBADF, ENOTDIR and the like.  ValueError: NUL byte in *path*.
        OverflowError: a number out of range.
    """
    return _openat(  # type: ignore[no-any-return]
        _args.c_int(dirfd, "dirfd"), _args.path(path), _args.c_int(flags, "flags"), c_uint(_args.mode(mode))
    )


_NOFOLLOW = abi.AT_SYMLINK_NOFOLLOW


@compiled
@stdlib("os.stat")
def fstatat(dirfd: int, path: _args.StrOrBytesPath, flags: int = 0) -> Stat:
    """``fstatat(fd, path, buf, flag)``: return the :class:`Stat` of *path* relative to *dirfd*.

    ``AT_SYMLINK_NOFOLLOW`` in *flags* stats a symlink itself.

    Raises:
        FileNotFoundError: ENOENT.  OSError: EBADF, ENOTDIR, EINVAL (bad flag).
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    dirfd = _args.c_int(dirfd, "dirfd")
    encoded = _args.path(path)
    flags = _args.c_int(flags, "flags")
    if flags & ~_NOFOLLOW == 0:
        # os.stat is this same call (fstatat, or stat/lstat for AT_FDCWD), faster,
        # and its OSError names the path as given (bytes stay bytes).
        fd = None if dirfd == abi.AT_FDCWD else dirfd
        return Stat(os.stat(path, dir_fd=fd, follow_symlinks=not flags))
    st = abi.CStat()
    _fstatat(dirfd, encoded, byref(st), flags)
    return abi.stat_value(st)


def unlinkat(dirfd: int, path: _args.StrOrBytesPath, flags: int = 0) -> None:
    """``unlinkat(fd, path, flag)``: remove *path* relative to *dirfd*; ``AT_REMOVEDIR`` removes a directory.

    Raises:
        FileNotFoundError: ENOENT.  OSError: EISDIR/EPERM (a directory without
        ``AT_REMOVEDIR``), ENOTEMPTY, EBADF.  ValueError: NUL byte.
        OverflowError: a number out of range.
    """
    _unlinkat(_args.c_int(dirfd, "dirfd"), _args.path(path), _args.c_int(flags, "flags"))


def utimensat(
    dirfd: int,
    path: _args.StrOrBytesPath,
    times: tuple[tuple[int, int], tuple[int, int]] | None = None,
    flags: int = 0,
) -> None:
    """``utimensat(fd, path, times, flag)``: set access and modification times with nanoseconds.

    *times* is ``((atime_sec, atime_nsec), (mtime_sec, mtime_nsec))``;
    None sets both to now.  ``AT_SYMLINK_NOFOLLOW`` in *flags* changes a
    symlink itself.  The ``UTIME_NOW``/``UTIME_OMIT`` markers are not in
    the ABI tables macres is checked against, so macres does not name
    them; a nanosecond field is passed to C as given.

    Raises:
        OSError: EINVAL (nanoseconds out of range), ENOENT, EPERM, EBADF.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    fd = _args.c_int(dirfd, "dirfd")
    encoded = _args.path(path)
    cflags = _args.c_int(flags, "flags")
    if times is None:
        _utimensat(fd, encoded, None, cflags)
        return
    ts = (abi.CTimespec * 2)()
    for i, (sec, nsec) in enumerate(times):
        ts[i].tv_sec = _args.c_long(sec, "seconds")
        ts[i].tv_nsec = _args.c_long(nsec, "nanoseconds")
    _utimensat(fd, encoded, ts, cflags)


def opendir(path: _args.StrOrBytesPath) -> int:
    """``opendir(dirname)``: open a directory stream; return its ``DIR *`` address.

    A helper outside Go's table (``readdir_r`` and ``closedir`` need a
    stream).  The caller must :func:`closedir` it exactly once.

    Safety: the result is a raw address; using it after ``closedir`` is
    undefined behaviour.

    Raises:
        FileNotFoundError: ENOENT.  NotADirectoryError: ENOTDIR.  OSError: EMFILE, EACCES.
        ValueError: NUL byte.
    """
    return _opendir(_args.path(path))  # type: ignore[no-any-return]


def fdopendir(fd: int) -> int:
    """``fdopendir(fd)``: open a directory stream on the directory descriptor *fd*; return its ``DIR *`` address.

    A helper outside Go's table.  On success the stream owns *fd*:
    :func:`closedir` closes it, and the caller must not close *fd* itself.

    Safety: the result is a raw address; using it after ``closedir`` is
    undefined behaviour.

    Raises:
        OSError: EBADF, ENOTDIR.  OverflowError: *fd* out of range.
    """
    return _fdopendir(_args.c_int(fd, "fd"))  # type: ignore[no-any-return]


def fdopendir_into(fd: int, box: list[int]) -> int:
    """fdopendir_into: :func:`fdopendir` whose stream is appended to *box* inside the C call; return it.

    ``fdopendir`` runs through ``box.extend`` with no Python code between
    its answer and the list, so an exception raised by a signal handler
    (KeyboardInterrupt) finds the stream in *box* (owning *fd*) or not
    opened at all (*fd* still the caller's).  Release *box* with
    :data:`closedir_unchecked`.

    Raises:
        OSError: EBADF, ENOTDIR.  OverflowError: *fd* out of range.
    """
    fd = _args.c_int(fd, "fd")
    try:
        box.extend(itertools.starmap(_fdopendir_plain, ((fd,),)))
        if box[-1] is None:  # NULL
            box.pop()
            raise oserror(ctypes.get_errno())
    except BaseException:
        if box and box[-1] is None:
            box.pop()
        raise
    return box[-1]


#: closedir_unchecked: ``closedir(dirp)`` as the bare C function (ctypes, no Python code runs in
#: it): returns -1 on failure instead of raising, and frees the stream whatever it returns.  It is
#: what a release that must not be split can call: ``deque(map(closedir_unchecked,
#: iter(box.pop, None)), 0)`` pops and closes each stream of a :func:`fdopendir_into` box in one
#: C-level call (the object layer's Directory iterator).  Unsafe as :func:`closedir`.
closedir_unchecked: Final[Callable[[int], int]] = _closedir_plain


def readdir_r(dirp: int) -> DirEntry | None:
    """``readdir_r(dirp, entry, result)``: return the next entry of the stream, or None at its end.

    Entries come in the directory's order and include ``.`` and ``..``.
    ``readdir_r`` returns its error number instead of setting errno.

    Safety: unsafe.  *dirp* must be a live stream from :func:`opendir` or
    :func:`fdopendir`; a stale address is undefined behaviour.

    Raises:
        OSError: EBADF and the like.  ValueError: *dirp* is NULL.
        OverflowError: *dirp* does not fit a pointer.
    """
    entry = abi.CDirent()
    result = POINTER(abi.CDirent)()
    _readdir_r(_dirp(dirp), byref(entry), byref(result))
    if not result:
        return None
    return abi.dirent_value(entry)


def closedir(dirp: int) -> None:
    """``closedir(dirp)``: free the stream and close its descriptor.  Never retried.

    Safety: unsafe.  *dirp* must be a live stream; closing it twice is
    undefined behaviour (the object layer's ``Directory`` guarantees once).

    Raises:
        OSError: EBADF.  ValueError: *dirp* is NULL.  OverflowError: *dirp* does not fit a pointer.
    """
    _closedir(_dirp(dirp))



# -- names relative to directories (issue 16): helpers outside Go's table ------
# mkdirat, renameat, linkat, symlinkat and readlinkat are CPython's os calls
# with dir_fd (the same libc calls); renameat2 has no stdlib counterpart.
_renameat2 = function(
    abi.RENAMEAT2_SYMBOL, c_int, (c_int, c_char_p, c_int, c_char_p, c_uint), functools.partial(check_int, paths=(1, 3))
)


def _dir_fd(dirfd: int) -> int | None:
    """*dirfd* as os takes it: None for ``AT_FDCWD``."""
    fd = _args.c_int(dirfd, "dirfd")
    return None if fd == abi.AT_FDCWD else fd


@stdlib("os.mkdir")
def mkdirat(dirfd: int, path: _args.StrOrBytesPath, mode: int = 0o777) -> None:
    """``mkdirat(fd, path, mode)``: make the directory *path* relative to *dirfd* (mode less the umask).

    A helper outside Go's table.  References: mkdirat(2) on Linux and macOS.

    Raises:
        FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  OSError: EBADF, ENOTDIR.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    _args.path(path)
    os.mkdir(path, _args.mode(mode), dir_fd=_dir_fd(dirfd))


@stdlib("os.rename")
def renameat(olddirfd: int, old: _args.StrOrBytesPath, newdirfd: int, new: _args.StrOrBytesPath) -> None:
    """``renameat(fromfd, from, tofd, to)``: rename *old* (relative to *olddirfd*) to *new* (relative to *newdirfd*).

    A helper outside Go's table; replaces an existing *new* as rename(2) does.

    Raises:
        FileNotFoundError: ENOENT.  OSError: EXDEV, ENOTEMPTY, EISDIR, EBADF.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    _args.path(old)
    _args.path(new)
    os.rename(old, new, src_dir_fd=_dir_fd(olddirfd), dst_dir_fd=_dir_fd(newdirfd))


def renameat2(
    olddirfd: int, old: _args.StrOrBytesPath, newdirfd: int, new: _args.StrOrBytesPath, flags: int
) -> None:
    """``renameat2(olddirfd, old, newdirfd, new, flags)``: :func:`renameat` with flags.

    ``RENAME_NOREPLACE`` fails with EEXIST if *new* exists; ``RENAME_EXCHANGE``
    swaps the two names atomically.  On macOS the call is
    ``renameatx_np`` (``RENAME_EXCL``, ``RENAME_SWAP``; ``raw.ABI`` names
    them as Linux does).  A helper outside Go's table.

    Raises:
        FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  OSError: EINVAL
        (flags the file system does not support), EXDEV, EBADF.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    _renameat2(
        _args.c_int(olddirfd, "olddirfd"),
        _args.path(old),
        _args.c_int(newdirfd, "newdirfd"),
        _args.path(new),
        _args.c_uint(flags, "flags"),
    )


@stdlib("os.link")
def linkat(
    olddirfd: int, old: _args.StrOrBytesPath, newdirfd: int, new: _args.StrOrBytesPath, flags: int = 0
) -> None:
    """``linkat(fd1, name1, fd2, name2, flag)``: make *new* a hard link to *old*.

    ``AT_SYMLINK_FOLLOW`` in *flags* links what a symlink *old* points to
    (without it, the symlink itself).  A helper outside Go's table.

    Raises:
        FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  OSError: EXDEV,
        EPERM, EBADF.  ValueError: NUL byte.  OverflowError: a number out of range.
    """
    _args.path(old)
    _args.path(new)
    follow = bool(_args.c_int(flags, "flags") & abi.AT_SYMLINK_FOLLOW)
    os.link(old, new, src_dir_fd=_dir_fd(olddirfd), dst_dir_fd=_dir_fd(newdirfd), follow_symlinks=follow)


@stdlib("os.symlink")
def symlinkat(target: _args.StrOrBytesPath, dirfd: int, path: _args.StrOrBytesPath) -> None:
    """``symlinkat(name1, fd, name2)``: make *path* (relative to *dirfd*) a symbolic link to *target*.

    *target* is stored as given, never resolved.  A helper outside Go's table.

    Raises:
        FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  OSError: EBADF.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    _args.path(target)
    _args.path(path)
    os.symlink(target, path, dir_fd=_dir_fd(dirfd))


@stdlib("os.readlink")
def readlinkat(dirfd: int, path: _args.StrOrBytesPath) -> bytes:
    """``readlinkat(fd, path, buf, size)``: return the target of the symbolic link *path*, as bytes.

    A helper outside Go's table.

    Raises:
        FileNotFoundError: ENOENT.  OSError: EINVAL (not a symlink), EBADF.
        ValueError: NUL byte.  OverflowError: a number out of range.
    """
    return os.readlink(_args.path(path), dir_fd=_dir_fd(dirfd))
