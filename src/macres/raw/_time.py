"""Bindings of the time area: the wall clock through gettimeofday, settimeofday and adjtime.

Times cross as ``(seconds, microseconds)`` integers and come back as
:class:`~macres.raw.Timeval`; the time zone arguments of the C calls are
obsolete and always passed as NULL.  settimeofday and adjtime change the
machine's clock and need privileges (root, or CAP_SYS_TIME on Linux).
"""

from __future__ import annotations

from ctypes import byref, c_int, c_void_p

from . import _args
from ._errcheck import check_int
from ._libc import function
from ._platform import abi
from ._types import Timeval

__all__ = ["adjtime", "gettimeofday", "settimeofday"]

_gettimeofday = function("gettimeofday", c_int, (c_void_p, c_void_p), check_int)
_settimeofday = function("settimeofday", c_int, (c_void_p, c_void_p), check_int)
_adjtime = function("adjtime", c_int, (c_void_p, c_void_p), check_int)


def _timeval(tv_sec: int, tv_usec: int) -> abi.CTimeval:
    """A ``struct timeval`` of range-checked seconds and microseconds."""
    return abi.CTimeval(tv_sec=_args.c_long(tv_sec, "tv_sec"), tv_usec=_args.c_int(tv_usec, "tv_usec"))


def gettimeofday() -> Timeval:
    """``gettimeofday(tp, NULL)``: return the wall-clock time as a :class:`Timeval`.

    Raises:
        OSError: the call failed (it cannot with a valid buffer).
    """
    tv = abi.CTimeval()
    _gettimeofday(byref(tv), None)
    return Timeval(tv.tv_sec, tv.tv_usec)


def settimeofday(tv_sec: int, tv_usec: int) -> None:
    """``settimeofday(tp, NULL)``: step the wall clock to *tv_sec* seconds and *tv_usec* microseconds.

    Changes the clock of the whole machine at once (a step, not a slew).

    Raises:
        PermissionError: EPERM, the caller may not set the time.
        OSError: EINVAL, *tv_usec* is outside ``0 <= tv_usec < 1_000_000``
        or the time is out of the clock's range.
        OverflowError: *tv_sec* does not fit a 64-bit ``time_t`` or *tv_usec* a C int.
    """
    tv = _timeval(tv_sec, tv_usec)
    _settimeofday(byref(tv), None)


def adjtime(delta: tuple[int, int] | None) -> Timeval:
    """``adjtime(delta, olddelta)``: slew the clock by *delta*; return the adjustment still pending before.

    *delta* is ``(seconds, microseconds)`` (either may be negative); the
    clock is sped up or slowed down until it has moved by that much, which
    replaces any adjustment still in progress.  ``None`` passes a NULL
    delta: glibc then only reports the pending adjustment (no privilege
    needed); darwin has no such query, its kernel needs root and fails a
    NULL delta with EFAULT.

    Raises:
        PermissionError: EPERM, the caller may not adjust the time.
        OSError: EINVAL, *delta* is too large (glibc: more than about 2145
        seconds); EFAULT, a None *delta* on darwin.
        OverflowError: a member of *delta* does not fit its C type.
    """
    old = abi.CTimeval()
    if delta is None:
        _adjtime(None, byref(old))
    else:
        sec, usec = delta
        tv = _timeval(sec, usec)
        _adjtime(byref(tv), byref(old))
    return Timeval(old.tv_sec, old.tv_usec)
