"""The one place where C results become Python results or exceptions.

Each checker factory takes the unchecked twin of a C function and returns a
ctypes ``errcheck``.  Failures raise ``OSError(errno, strerror[, filename])``
so Python picks the builtin subclass.  EINTR is retried as PEP 475 does: the
loop runs Python bytecode between attempts, so a signal handler runs there,
and an exception it raises propagates.  ``close`` is never retried.
"""

from __future__ import annotations

import errno as _errno
import os
from ctypes import get_errno
from typing import Any

from .._errors import oserror
from ._libc import CFunction, Checker

_EINTR = _errno.EINTR
#: ``MAP_FAILED``, ``(void *)-1``, as ctypes returns it for ``c_void_p``.
MAP_FAILED = (1 << 64) - 1


def _filenames(args: tuple[Any, ...], paths: tuple[int, ...]) -> tuple[object, object]:
    names = [os.fsdecode(args[i]) if isinstance(args[i], bytes) else args[i] for i in paths]
    names += [None, None]
    return names[0], names[1]


def check_int(plain: CFunction, *, paths: tuple[int, ...] = (), retry: bool = True) -> Checker:
    """Checker for calls that return -1 and set errno (most of libc).

    *paths* are the argument positions that hold file names, reported in the
    exception.  ``retry=False`` reports EINTR instead of retrying (close).
    """

    def check(result: Any, func: Any, args: tuple[Any, ...]) -> Any:
        while result == -1:
            err = get_errno()
            if err != _EINTR or not retry:
                raise oserror(err, *_filenames(args, paths))
            result = plain(*args)
        return result

    return check


def check_errno(plain: CFunction, *, paths: tuple[int, ...] = ()) -> Checker:
    """Checker for calls where -1 is also a valid result (getpriority).

    The binding sets errno to 0 before the call; -1 with errno still 0 is
    a result, not a failure.
    """

    def check(result: Any, func: Any, args: tuple[Any, ...]) -> Any:
        if result == -1:
            err = get_errno()
            if err:
                raise oserror(err, *_filenames(args, paths))
        return result

    return check


def check_ptr(plain: CFunction, *, paths: tuple[int, ...] = (), failed: int | None = None) -> Checker:
    """Checker for calls that return a pointer: NULL, or *failed* (MAP_FAILED), is an error."""

    def check(result: Any, func: Any, args: tuple[Any, ...]) -> Any:
        while result is None or result == failed:
            err = get_errno()
            if err != _EINTR:
                raise oserror(err, *_filenames(args, paths))
            result = plain(*args)
        return result

    return check


def check_status(plain: CFunction, *, paths: tuple[int, ...] = ()) -> Checker:
    """Checker for calls that return the error number itself (readdir_r)."""

    def check(result: Any, func: Any, args: tuple[Any, ...]) -> Any:
        if result:
            raise oserror(result, *_filenames(args, paths))
        return result

    return check


def raise_errno(err: int, filename: object = None, filename2: object = None) -> None:
    """Raise the ``OSError`` for *err* (for checks done outside ctypes)."""
    raise oserror(err, filename, filename2)
