"""Tests for the time area of macres.raw: gettimeofday, settimeofday, adjtime.

The suite runs as root, so nothing here may change the clock: settimeofday
and adjtime are only called with arguments the C library or the kernel
rejects before touching the clock, with a NULL delta (a query), or in a
forked child that dropped to uid 65534 and holds no capabilities.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import sys
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macres import raw

NOBODY = 65534
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1

# Exit codes of the unprivileged child.
OK, CALL_SUCCEEDED, OTHER_ERROR, STILL_PRIVILEGED, DROP_FAILED = 0, 1, 2, 3, 4


def _effective_capabilities() -> int | None:
    """CapEff of this process (Linux), or None where /proc does not tell."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except OSError:
        pass
    return None


def run_unprivileged(check: Callable[[], int]) -> int:
    """Run *check* in a forked child as uid/gid 65534 without capabilities; return its exit code.

    The child refuses to run *check* (STILL_PRIVILEGED) unless it is
    verifiably unprivileged, so a call that would change the clock cannot.
    """
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        code = DROP_FAILED
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            code = STILL_PRIVILEGED
            caps = _effective_capabilities()
            if os.geteuid() != 0 and (caps == 0 or (caps is None and sys.platform != "linux")):
                code = check()
        except BaseException:  # noqa: BLE001 - in the forked child every failure becomes an exit code
            code = OTHER_ERROR
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), f"child ended with status {status:#x}"
    return os.WEXITSTATUS(status)


def expect_errno(call: Callable[[], object], err: int) -> int:
    """Exit code for the child: OK when *call* fails with *err*."""
    try:
        call()
    except OSError as exc:
        return OK if exc.errno == err else OTHER_ERROR
    except BaseException:  # noqa: BLE001 - run in the child: every failure becomes an exit code
        return OTHER_ERROR
    return CALL_SUCCEEDED


def test_gettimeofday_agrees_with_time_ns() -> None:
    """gettimeofday lies between two time.time_ns() readings (same clock, microseconds)."""
    before = time.time_ns() // 1000
    tv = raw.gettimeofday()
    after = time.time_ns() // 1000
    assert isinstance(tv, raw.Timeval)
    assert 0 <= tv.tv_usec < 1_000_000
    assert before <= tv.tv_sec * 1_000_000 + tv.tv_usec <= after


@pytest.mark.parametrize("usec", [1_000_000, 2_000_000, -1, INT_MAX, INT_MIN])
def test_settimeofday_rejects_bad_microseconds(usec: int) -> None:
    """An out-of-range tv_usec is EINVAL, checked before any clock change, even as root."""
    now = raw.gettimeofday()
    with pytest.raises(OSError) as info:
        raw.settimeofday(now.tv_sec, usec)
    assert info.value.errno == errno.EINVAL


@given(
    sec=st.integers(min_value=0, max_value=1 << 40),
    usec=st.one_of(st.integers(min_value=INT_MIN, max_value=-1), st.integers(1_000_000, INT_MAX)),
)
def test_settimeofday_any_bad_microseconds_is_einval(sec: int, usec: int) -> None:
    """Every tv_usec outside [0, 1e6) that fits a C int is refused with EINVAL."""
    with pytest.raises(OSError) as info:
        raw.settimeofday(sec, usec)
    assert info.value.errno == errno.EINVAL


@pytest.mark.parametrize(
    ("sec", "usec", "exc"),
    [
        (1 << 63, 0, OverflowError),
        (-(1 << 63) - 1, 0, OverflowError),
        (0, 1 << 31, OverflowError),
        (0, INT_MIN - 1, OverflowError),
        (1.5, 0, TypeError),
        (0, "1", TypeError),
    ],
)
def test_settimeofday_range_checks(sec: object, usec: object, exc: type[Exception]) -> None:
    """Values ctypes would truncate, and non-integers, are refused before the call."""
    with pytest.raises(exc):
        raw.settimeofday(sec, usec)  # type: ignore[arg-type]


def test_settimeofday_unprivileged_is_permission_error() -> None:
    """An unprivileged caller setting the current time gets PermissionError (EPERM)."""

    def check() -> int:
        now = raw.gettimeofday()
        try:
            raw.settimeofday(now.tv_sec, now.tv_usec)
        except PermissionError:
            return OK
        except BaseException:  # noqa: BLE001 - run in the child: every failure becomes an exit code
            return OTHER_ERROR
        return CALL_SUCCEEDED

    assert run_unprivileged(check) == OK


def _pending_adjustment_us() -> int:
    """The pending adjtime slew in microseconds, read with adjtimex(ADJ_OFFSET_SS_READ) (the oracle)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    timex = (ctypes.c_int64 * 26)()  # struct timex is 208 bytes on x86_64
    timex[0] = 0xA001  # modes = ADJ_OFFSET_SS_READ (read only)
    assert libc.adjtimex(timex) != -1, os.strerror(ctypes.get_errno())
    return int(timex[1])  # offset: the long at byte 8


@pytest.mark.skipif(sys.platform != "linux", reason="darwin's adjtime has no query mode (NULL delta is EFAULT)")
def test_adjtime_query_reports_pending_adjustment() -> None:
    """adjtime(None) returns the pending slew that adjtimex reports, without changing it."""
    low = _pending_adjustment_us()
    tv = raw.adjtime(None)
    high = _pending_adjustment_us()
    assert isinstance(tv, raw.Timeval)
    assert abs(tv.tv_usec) < 1_000_000
    assert tv.tv_sec * tv.tv_usec >= 0  # glibc gives both parts the same sign
    total = tv.tv_sec * 1_000_000 + tv.tv_usec
    assert min(low, high) <= total <= max(low, high)


@pytest.mark.skipif(sys.platform != "linux", reason="darwin's adjtime has no query mode (NULL delta is EFAULT)")
def test_adjtime_query_needs_no_privilege() -> None:
    """An unprivileged process may query the pending adjustment."""

    def check() -> int:
        try:
            tv = raw.adjtime(None)
        except BaseException:  # noqa: BLE001 - run in the child: every failure becomes an exit code
            return OTHER_ERROR
        return OK if isinstance(tv, raw.Timeval) else OTHER_ERROR

    assert run_unprivileged(check) == OK


def test_adjtime_unprivileged_is_permission_error() -> None:
    """An unprivileged caller asking for a (zero) slew gets PermissionError (EPERM)."""
    assert run_unprivileged(lambda: expect_errno(lambda: raw.adjtime((0, 0)), errno.EPERM)) == OK


@pytest.mark.skipif(sys.platform != "linux", reason="the limit of about 2145 seconds is glibc's")
@pytest.mark.parametrize("delta", [(100_000, 0), (-100_000, 0), (2146, 0), (0, INT_MAX)])
def test_adjtime_too_large_is_einval(delta: tuple[int, int]) -> None:
    """A delta beyond glibc's limit is EINVAL (tried unprivileged, so no clock can change)."""
    assert run_unprivileged(lambda: expect_errno(lambda: raw.adjtime(delta), errno.EINVAL)) == OK


@pytest.mark.parametrize(
    ("delta", "exc"),
    [((1 << 63, 0), OverflowError), ((0, 1 << 31), OverflowError), ((0.5, 0), TypeError)],
)
def test_adjtime_range_checks(delta: tuple[int, int], exc: type[Exception]) -> None:
    """Members ctypes would truncate, and non-integers, are refused before the call."""
    with pytest.raises(exc):
        raw.adjtime(delta)
