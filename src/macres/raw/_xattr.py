"""Bindings of extended attributes, outside Go's table: get, set, list and remove, on paths and descriptors.

One signature on both platforms: darwin's resource-fork *position* (0) and
*options* (``XATTR_NOFOLLOW``), and Linux's ``l*`` functions for a symlink
itself, are chosen by ``raw/_darwin.py``/``raw/_linux.py``.  A missing
attribute raises ``OSError`` with ``errno.ENODATA`` on both (darwin's
``ENOATTR`` is translated).  Names are ``str`` (encoded with
``os.fsencode``) or ``bytes``; values are bytes.
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable
from ctypes import c_char_p, c_int, c_size_t, c_ssize_t, c_void_p
from typing import Any, Final

from typing_extensions import Buffer

from .._errors import oserror
from . import _args
from ._errcheck import check_int
from ._libc import function
from ._platform import abi

__all__ = [
    "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "listxattr", "removexattr", "setxattr",
]  # fmt: skip

_MISSING: Final = abi.XATTR_MISSING_ERRNO
_ENODATA: Final = errno.ENODATA
_ERANGE: Final = errno.ERANGE
#: The C argument types of each call before the platform's extra ones.
_BASE: Final[dict[str, tuple[Any, ...]]] = {
    "get": (c_char_p, c_void_p, c_size_t),
    "set": (c_char_p, c_void_p, c_size_t),
    "list": (c_void_p, c_size_t),
    "remove": (c_char_p,),
}
_RESTYPE: Final = {"get": c_ssize_t, "set": c_int, "list": c_ssize_t, "remove": c_int}
_functions: dict[str, Callable[..., Any]] = {}


def _function(op: str, on_fd: bool, follow_symlinks: bool) -> Callable[..., Any]:
    """The checked C function of xattr call *op* here, made once."""
    name = abi.xattr_symbol(op, on_fd, follow_symlinks)
    fn = _functions.get(name)
    if fn is None:
        target = c_int if on_fd else c_char_p
        argtypes = (target, *_BASE[op], *abi.XATTR_EXTRA_ARGTYPES[op])
        check: Callable[[Any], Any] = check_int if on_fd else (lambda f: check_int(f, paths=(0,)))
        fn = _functions[name] = function(name, _RESTYPE[op], argtypes, check)
    return fn


def _target(on_fd: bool, value: Any) -> Any:
    return _args.c_int(value, "fd") if on_fd else _args.path(value)


def _name(name: str | bytes) -> bytes:
    encoded = os.fsencode(name)
    if not encoded or b"\0" in encoded:
        raise ValueError(f"an attribute name must be non-empty and free of NUL bytes, got {name!r}")
    return encoded


def _call(op: str, on_fd: bool, follow: bool, target: Any, *args: Any, flags: int = 0) -> int:
    try:
        return int(_function(op, on_fd, follow)(target, *args, *abi.xattr_extra(op, follow, flags)))
    except OSError as exc:
        if exc.errno == _MISSING and _MISSING != _ENODATA:  # darwin's ENOATTR
            raise oserror(_ENODATA, exc.filename) from None
        raise


def _get(on_fd: bool, target: Any, name: str | bytes, follow: bool) -> bytes:
    t, n = _target(on_fd, target), _name(name)
    while True:  # the value can grow between the size query and the read: ERANGE asks again
        size = _call("get", on_fd, follow, t, n, None, 0)
        buf = ctypes.create_string_buffer(size or 1)
        try:
            got = _call("get", on_fd, follow, t, n, buf, size)
        except OSError as exc:
            if exc.errno == _ERANGE:
                continue
            raise
        return buf.raw[:got]


def _set(on_fd: bool, target: Any, name: str | bytes, value: Buffer, flags: int, follow: bool) -> None:
    t, n = _target(on_fd, target), _name(name)
    data, size = _args.rbuffer(value)
    _call("set", on_fd, follow, t, n, data, size, flags=_args.c_int(flags, "flags"))


def _list(on_fd: bool, target: Any, follow: bool) -> list[str]:
    t = _target(on_fd, target)
    while True:
        size = _call("list", on_fd, follow, t, None, 0)
        if size == 0:
            return []
        buf = ctypes.create_string_buffer(size)
        try:
            got = _call("list", on_fd, follow, t, buf, size)
        except OSError as exc:
            if exc.errno == _ERANGE:
                continue
            raise
        return [os.fsdecode(n) for n in buf.raw[:got].split(b"\0") if n]


def _remove(on_fd: bool, target: Any, name: str | bytes, follow: bool) -> None:
    _call("remove", on_fd, follow, _target(on_fd, target), _name(name))


def fgetxattr(fd: int, name: str | bytes) -> bytes:
    """``fgetxattr(fd, name, value, size)``: the value of the extended attribute *name* of an open file.

    References: ``getxattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENODATA (no such attribute, on both platforms), ENOTSUP
            (the file system has no extended attributes), EACCES.
        ValueError: an empty name or a NUL byte.
    """
    return _get(True, fd, name, True)


def getxattr(path: _args.StrOrBytesPath, name: str | bytes, follow_symlinks: bool = True) -> bytes:
    """``getxattr(path, name, value, size)``: the value of the extended attribute *name* of *path*.

    ``follow_symlinks=False`` reads the link itself (``lgetxattr`` on
    Linux, ``XATTR_NOFOLLOW`` on macOS).

    References: ``getxattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENODATA (no such attribute), ENOTSUP, ENOENT.  ValueError: a NUL byte.
    """
    return _get(False, path, name, follow_symlinks)


def fsetxattr(fd: int, name: str | bytes, value: Buffer, flags: int = 0) -> None:
    """``fsetxattr(fd, name, value, size, flags)``: set the extended attribute *name* of an open file.

    *flags* is 0, ``ABI.XATTR_CREATE`` (fail if it exists) or
    ``ABI.XATTR_REPLACE`` (fail if it does not).

    References: ``setxattr(2)`` on Linux and macOS.

    Raises:
        FileExistsError: ``XATTR_CREATE`` and it exists.  OSError: ENODATA
            (``XATTR_REPLACE`` and it does not), ENOTSUP, ENOSPC, E2BIG, EPERM.
        ValueError: an empty name or a NUL byte.
    """
    _set(True, fd, name, value, flags, True)


def setxattr(
    path: _args.StrOrBytesPath, name: str | bytes, value: Buffer, flags: int = 0, follow_symlinks: bool = True
) -> None:
    """``setxattr(path, name, value, size, flags)``: set the extended attribute *name* of *path*.

    References: ``setxattr(2)`` on Linux and macOS.

    Raises:
        FileExistsError: ``XATTR_CREATE`` and it exists.  OSError: ENODATA, ENOTSUP, ENOENT, EPERM.
        ValueError: an empty name or a NUL byte.
    """
    _set(False, path, name, value, flags, follow_symlinks)


def flistxattr(fd: int) -> list[str]:
    """``flistxattr(fd, list, size)``: the names of the extended attributes of an open file.

    References: ``listxattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENOTSUP, EBADF.
    """
    return _list(True, fd, True)


def listxattr(path: _args.StrOrBytesPath, follow_symlinks: bool = True) -> list[str]:
    """``listxattr(path, list, size)``: the names of the extended attributes of *path*.

    References: ``listxattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENOTSUP, ENOENT.  ValueError: a NUL byte.
    """
    return _list(False, path, follow_symlinks)


def fremovexattr(fd: int, name: str | bytes) -> None:
    """``fremovexattr(fd, name)``: remove the extended attribute *name* of an open file.

    References: ``removexattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENODATA (no such attribute), ENOTSUP, EPERM.
        ValueError: an empty name or a NUL byte.
    """
    _remove(True, fd, name, True)


def removexattr(path: _args.StrOrBytesPath, name: str | bytes, follow_symlinks: bool = True) -> None:
    """``removexattr(path, name)``: remove the extended attribute *name* of *path*.

    References: ``removexattr(2)`` on Linux and macOS.

    Raises:
        OSError: ENODATA (no such attribute), ENOTSUP, ENOENT.  ValueError: a NUL byte.
    """
    _remove(False, path, name, follow_symlinks)
