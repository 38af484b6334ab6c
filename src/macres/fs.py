"""Path-level file-system calls as typed functions: ``macres.fs.stat(path)``, ``macres.fs.rename(a, b)``, ...

Thin by design: most are the :mod:`macres.raw` bindings themselves (every
path is ``str``, ``bytes`` or ``os.PathLike``; failures raise ``OSError``
naming the path; results are :class:`~macres.Stat` / :class:`~macres.StatFS`
values).  Where a Python caller wants something else, the wrapper says so:
:func:`access` answers with a bool, :func:`utimes` takes float seconds,
:func:`pathconf` accepts a name, :func:`truncate` refuses negative sizes
with ``ValueError``.  ``chflags`` and ``exchangedata`` exist on macOS only;
elsewhere they raise :class:`~macres.UnsupportedOperation`.
"""

from __future__ import annotations

import errno
from typing import Final

from . import raw
from .raw import (
    chdir, chflags, chmod, chown, exchangedata, getcwd, lchown, link, lstat, mkdir, mkfifo,
    readlink, rename, rmdir, stat, statfs, symlink, unlink,
)  # fmt: skip
from .raw import StrOrBytesPath, pathconf_name

__all__ = [
    "F_OK", "R_OK", "W_OK", "X_OK", "access", "chdir", "chflags", "chmod", "chown",
    "exchangedata", "getcwd", "lchown", "link", "lstat", "mkdir", "mkfifo", "pathconf",
    "readlink", "rename", "rmdir", "stat", "statfs", "symlink", "truncate", "unlink", "utimes",
]  # fmt: skip

F_OK: Final = raw.ABI.F_OK
R_OK: Final = raw.ABI.R_OK
W_OK: Final = raw.ABI.W_OK
X_OK: Final = raw.ABI.X_OK

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
