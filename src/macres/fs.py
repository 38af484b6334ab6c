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

if TYPE_CHECKING:
    from .fd import FileDescriptor
from .raw import getxattr, listxattr, removexattr, setxattr

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


def copy(
    src: StrOrBytesPath,
    dst: StrOrBytesPath,
    *,
    metadata: bool = False,
    progress: Callable[[int, int | None], object] | None = None,
) -> int:
    """Copy the file *src* to *dst* in the kernel; return the bytes copied.

    The data goes as :meth:`macres.FileDescriptor.copy_to` moves it
    (``copy_file_range`` on Linux, holes kept; ``fcopyfile`` on macOS; then
    ``sendfile``, then ``read``/``write``) into a new file with a temporary
    name in *dst*'s directory, which is renamed to *dst* (``rename(2)``,
    atomic) only once everything was copied: on any failure, an exception
    from *progress* included, the temporary file is removed and *dst* is as
    it was.  *dst* is replaced by a new file: an existing *dst*'s mode,
    owner and other links are not kept.  The new file's mode is 0o666 less
    the umask, unless *metadata*: then the mode (``fchmod``), access and
    modification times (``futimens``) and extended attributes (those the
    destination's file system takes; others are skipped) come from *src*.
    *progress* is called as ``progress(copied, total)`` after each chunk.
    With *metadata* on macOS, ``clonefile(2)`` is tried first: on APFS the
    copy shares the source's blocks and carries all of its metadata.

    Raises:
        FileNotFoundError: no *src*, or no directory for *dst*.
        IsADirectoryError: *src* or *dst* is a directory.
        OSError: ENOSPC, EACCES, EXDEV never (the temporary file is beside *dst*).
        ValueError: NUL byte.
    """
    from .fd import O_CLOEXEC, O_CREAT, O_EXCL, O_RDONLY, O_WRONLY
    from .fd import open as _open

    target = os.fsdecode(dst)
    head, tail = os.path.split(target)
    temporary = os.path.join(head, f".{tail}.{os.urandom(4).hex()}.tmp")
    with _open(src, O_RDONLY | O_CLOEXEC) as source:
        st = source.fstat()
        if st.st_mode & 0o170000 == 0o040000:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fsdecode(src))
        if metadata and _cloned(src, temporary, target, st.st_size, progress):
            return st.st_size
        with _open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) as out:
            try:
                copied = source.copy_to(out, progress=progress)
                if metadata:
                    _copy_metadata(source, out, st)
                raw.rename(temporary, target)
            except BaseException:
                try:
                    raw.unlink(temporary)
                except OSError:
                    pass
                raise
    return copied


#: Errors of clonefile that mean "cannot clone here": copy instead.
_CLONE_REFUSED: Final = frozenset({errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.EPERM})


def _cloned(
    src: StrOrBytesPath, temporary: str, target: str, size: int, progress: Callable[[int, int | None], object] | None
) -> bool:
    """Whether ``clonefile(src, temporary)`` (macOS, APFS) made the copy, data and metadata, and it is renamed to *target*.

    False where the platform or the file system cannot clone (Linux's stub,
    ENOTSUP, EXDEV): the caller copies.  A clone takes no time, so
    *progress* hears once, at the end.
    """
    try:
        raw.clonefile(src, temporary)
    except OSError as exc:
        if isinstance(exc, UnsupportedOperation) or exc.errno in _CLONE_REFUSED:
            return False
        raise
    try:
        if progress is not None:
            progress(size, size)
        raw.rename(temporary, target)
    except BaseException:
        raw.unlink(temporary)
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
