"""Path-level file-system calls as typed functions: ``macres.fs.stat(path)``, ``macres.fs.rename(a, b)``, ...

Thin by design: most are the :mod:`macres.raw` bindings themselves (every
path is ``str``, ``bytes`` or ``os.PathLike``; failures raise ``OSError``
naming the path; results are :class:`~macres.Stat` / :class:`~macres.StatFS`
values).  Where a Python caller wants something else, the wrapper says so:
:func:`access` answers with a bool, :func:`utimes` takes float seconds,
:func:`pathconf` accepts a name, :func:`truncate` refuses negative sizes
with ``ValueError``.  ``chflags`` and ``exchangedata`` exist on macOS only;
elsewhere they raise :class:`~macres.UnsupportedOperation`.

:func:`copy` copies a file in the kernel (see
:meth:`macres.FileDescriptor.copy_to`), optionally with its metadata, and
never leaves a partial destination.  :func:`getxattr`, :func:`setxattr`,
:func:`listxattr` and :func:`removexattr` handle extended attributes with one
signature on Linux and macOS; a missing attribute is ENODATA on both.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from . import raw
from ._errors import UnsupportedOperation
from .raw import (
    chdir, chflags, chmod, chown, exchangedata, getcwd, lchown, link, lstat, mkdir, mkfifo,
    readlink, rename, rmdir, stat, statfs, symlink, unlink,
)  # fmt: skip
from .raw import StrOrBytesPath, pathconf_name

from .raw import getxattr, listxattr, removexattr, setxattr

if TYPE_CHECKING:
    from .fd import FileDescriptor

__all__ = [
    "F_OK", "R_OK", "W_OK", "X_OK", "XATTR_CREATE", "XATTR_REPLACE", "access", "chdir", "chflags", "chmod", "chown",
    "copy", "exchangedata", "getcwd", "getxattr", "lchown", "link", "listxattr", "lstat", "mkdir", "mkfifo",
    "pathconf", "readlink", "removexattr", "rename", "rmdir", "setxattr", "stat", "statfs", "symlink", "truncate",
    "unlink", "utimes",
]  # fmt: skip

F_OK: Final = raw.ABI.F_OK
R_OK: Final = raw.ABI.R_OK
W_OK: Final = raw.ABI.W_OK
X_OK: Final = raw.ABI.X_OK
#: ``setxattr`` flags: fail if the attribute exists / unless it exists (the platform's values).
XATTR_CREATE: Final = raw.ABI.XATTR_CREATE
XATTR_REPLACE: Final = raw.ABI.XATTR_REPLACE

#: errnos with which access(2) answers "no" rather than failing.
_DENIED: Final = frozenset(
    {errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EROFS, errno.ETXTBSY, errno.ELOOP}
)


def access(path: StrOrBytesPath, mode: int = F_OK) -> bool:
    """Whether the real user may access *path* as *mode* says (``access(2)``).

    *mode* is ``F_OK`` (exists) or an or of ``R_OK``, ``W_OK``, ``X_OK``.
    "No" (EACCES, EPERM, ENOENT, ENOTDIR, EROFS, ETXTBSY, ELOOP) is
    ``False``; other failures raise.

    Raises:
        OSError: the check itself failed (EINVAL for a bad *mode*, EIO).
        ValueError: NUL byte in *path*.
    """
    try:
        raw.access(path, mode)
    except OSError as exc:
        if exc.errno in _DENIED:
            return False
        raise
    return True


def pathconf(path: StrOrBytesPath, name: int | str) -> int | None:
    """Return a configurable limit of *path* (``pathconf(2)``); None for "no limit".

    *name* is a ``_PC_*`` number or its name (``"PC_NAME_MAX"`` or ``"NAME_MAX"``).

    Raises:
        ValueError: unknown *name*, NUL byte.  OSError: ENOENT, EINVAL.
    """
    return raw.pathconf(path, pathconf_name(name))


def truncate(path: StrOrBytesPath, length: int) -> None:
    """Set the size of the file *path* to *length* bytes (``truncate(2)``).

    Raises:
        ValueError: *length* is negative, NUL byte.  OSError: EISDIR, ENOENT, EFBIG.
        OverflowError: *length* does not fit ``off_t``.
    """
    if length < 0:
        raise ValueError(f"length must not be negative, got {length}")
    raw.truncate(path, length)


def utimes(path: StrOrBytesPath, times: tuple[float, float] | None = None) -> None:
    """Set *path*'s access and modification times in float seconds (``utimes(2)``, microseconds).

    None sets both to now.

    Raises:
        OSError: ENOENT, EPERM.  ValueError: NUL byte.  OverflowError: a time out of range.
    """
    if times is None:
        raw.utimes(path, None)
        return
    a, m = (round(t * 1_000_000) for t in times)
    raw.utimes(path, (divmod(a, 1_000_000), divmod(m, 1_000_000)))


#: Errors of copying an attribute that mean "not here", skipped by copy(metadata=True):
#: the destination's file system takes none or not that namespace (security.*, trusted.*).
_XATTR_SKIPPED: Final = frozenset({errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.EACCES})
#: The source is opened without waiting for a FIFO's writer; the temporary file is new.
_SOURCE_FLAGS: Final = raw.ABI.O_RDONLY | raw.ABI.O_CLOEXEC | raw.ABI.O_NONBLOCK
_TEMPORARY_FLAGS: Final = raw.ABI.O_WRONLY | raw.ABI.O_CREAT | raw.ABI.O_EXCL | raw.ABI.O_CLOEXEC
#: What shutil calls the file types copy refuses (st_mode & S_IFMT).
_KINDS: Final = {0o010000: "a named pipe", 0o020000: "a character device", 0o060000: "a block device", 0o140000: "a socket"}


def copy(
    src: StrOrBytesPath,
    dst: StrOrBytesPath,
    *,
    metadata: bool = False,
    progress: Callable[[int, int | None], object] | None = None,
) -> int:
    """Copy the regular file *src* to *dst* in the kernel; return the bytes copied.

    The data goes as :meth:`macres.FileDescriptor.copy_to` moves it
    (``copy_file_range`` on Linux, holes kept; ``fcopyfile`` on macOS; then
    ``sendfile``, then ``read``/``write``; a source whose ``st_size`` is 0,
    such as a ``/proc`` file, is read until EOF) into a new file with a
    fixed-length temporary name in *dst*'s directory.  That file is closed
    (its ``close(2)`` checked), the source too, and only then is it renamed
    to *dst* (``rename(2)``, atomic): on any failure, an exception from
    *progress* included, the temporary file is removed and *dst* is as it
    was.  *dst* is replaced by a new file: an existing *dst*'s mode, owner
    and other links are not kept.  The new file's mode is 0o666 less the
    umask, unless *metadata*: then the mode (``fchmod``), access and
    modification times (``futimens``) and extended attributes (those the
    destination's file system takes; others are skipped) come from *src*.
    *progress* is called as ``progress(copied, total)`` after each chunk.
    With *metadata* on macOS, ``clonefile(2)`` is tried first: on APFS the
    copy shares the source's blocks and carries all of its metadata.  The
    source is opened ``O_NONBLOCK`` and checked with ``fstat`` before a
    byte is read, so a FIFO or a device is refused at once.  Errors name
    *src* or *dst* as given, never the temporary file.

    Raises:
        FileNotFoundError: no *src*, or no directory for *dst*.
        IsADirectoryError: *src* or *dst* is a directory.
        shutil.SpecialFileError: *src* is not a regular file (a FIFO, a
            socket, a device): an ``OSError`` without an errno, as shutil raises.
        OSError: ENOSPC, EIO, EACCES, ENAMETOOLONG (*dst*'s own name); EXDEV never
            (the temporary file is beside *dst*).
        ValueError: NUL byte.
    """
    from .fd import open as _open  # the object layer, imported on first use (as before)

    target = os.fsdecode(dst)
    temporary = os.path.join(os.path.dirname(target), f".macres-copy-{os.urandom(8).hex()}")
    created = False
    try:
        source, st = _open_regular(src)
        with source:
            if metadata and _cloned(src, temporary):
                created = True
                if progress is not None:  # a clone takes no time: progress hears once, at the end
                    progress(st.st_size, st.st_size)
                copied = st.st_size
            else:
                with _open(temporary, _TEMPORARY_FLAGS, 0o666) as out:
                    created = True
                    copied = source.copy_to(out, progress=progress)
                    if metadata:
                        _copy_metadata(source, out, st)
        raw.rename(temporary, target)
    except BaseException as exc:
        if created:
            with contextlib.suppress(OSError):
                raw.unlink(temporary)
        if isinstance(exc, OSError) and exc.filename == temporary:
            raise _naming(exc, os.fspath(dst)) from None
        raise
    return copied


def _open_regular(src: StrOrBytesPath) -> tuple[FileDescriptor, raw.Stat]:
    """Open *src* for reading without blocking on a FIFO, refuse all but a regular file; return it and its ``fstat``.

    Raises:
        IsADirectoryError: a directory.  shutil.SpecialFileError: anything else not a regular file.
    """
    from .fd import open as _open  # the object layer, imported on first use (as before)

    source = _open(src, _SOURCE_FLAGS)
    try:
        st = source.fstat()
        kind = st.st_mode & 0o170000
        if kind == 0o040000:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fsdecode(src))
        if kind != 0o100000:
            import shutil  # only for this error

            raise shutil.SpecialFileError(f"`{os.fsdecode(src)}` is {_KINDS.get(kind, 'not a regular file')}")
        source.blocking = True  # O_NONBLOCK was for open: reads of the file wait as usual
    except BaseException:
        source.close()
        raise
    return source, st


def _naming(exc: OSError, name: StrOrBytesPath) -> OSError:
    """*exc* again (the builtin subclass for its errno, its traceback), naming *name* instead of the temporary file."""
    return OSError(exc.errno, exc.strerror, name).with_traceback(exc.__traceback__)


#: Errors of clonefile that mean "cannot clone here": copy instead.
_CLONE_REFUSED: Final = frozenset({errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.EPERM})


def _cloned(src: StrOrBytesPath, temporary: str) -> bool:
    """Whether ``clonefile(src, temporary)`` (macOS, APFS) made the copy, data and metadata.

    False where the platform or the file system cannot clone (Linux's stub,
    ENOTSUP, EXDEV): the caller copies.
    """
    try:
        raw.clonefile(src, temporary)
    except OSError as exc:
        if isinstance(exc, UnsupportedOperation) or exc.errno in _CLONE_REFUSED:
            return False
        raise
    return True


def _copy_metadata(source: FileDescriptor, out: FileDescriptor, st: raw.Stat) -> None:
    """Extended attributes, mode and times of *source* onto *out* (times last: the others change ctime only)."""
    try:
        names = source.listxattr()
    except OSError as exc:
        if exc.errno not in _XATTR_SKIPPED:
            raise
        names = []
    for name in names:
        try:
            out.setxattr(name, source.getxattr(name))
        except OSError as exc:
            if exc.errno not in _XATTR_SKIPPED:
                raise
    out.fchmod(st.st_mode & 0o7777)
    out.utimens((st.st_atime_ns, st.st_mtime_ns))
