"""Byte-range locks and lock waits with a timeout, on descriptor numbers the caller holds.

The range lock commands are the platform's (``raw.ABI.RANGE_LOCK_COMMANDS``):
open-file-description locks on Linux (``F_OFD_GETLK``/``F_OFD_SETLK``/
``F_OFD_SETLKW``), owned by the open file description, so threads and
processes sharing one descriptor exclude each other correctly; POSIX record
locks on macOS (``F_GETLK``/``F_SETLK``/``F_SETLKW``), owned by the process.
A wait with a timeout retries the non-blocking command with a growing pause
(1 ms doubling to 50 ms, never past the deadline), so it never spins.
Every error names the file: its path where the platform can say it.
"""

from __future__ import annotations

import errno
import operator
import time
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs

from . import raw

__all__ = ["LockHolder", "flock", "flock_wait", "holder", "lock", "named", "unlock"]

_abi = raw.ABI
_GETLK, _SETLK, _SETLKW = _abi.RANGE_LOCK_COMMANDS
_RDLCK: Final = int(_abi.F_RDLCK)
_WRLCK: Final = int(_abi.F_WRLCK)
_UNLCK: Final = int(_abi.F_UNLCK)
#: What F_SETLK answers for "held elsewhere": EAGAIN, or EACCES (POSIX allows both).
_HELD: Final = frozenset({errno.EAGAIN, errno.EACCES})
_FIRST_PAUSE: Final = 0.001
_LONGEST_PAUSE: Final = 0.05


@typing.final
@attrs.frozen
class LockHolder:
    """A lock that conflicts with a range, as ``fcntl(F_OFD_GETLK)`` (Linux) or ``F_GETLK`` (macOS) reports it.

    ``pid`` is the owner's process id where the kernel says it; None for an
    open-file-description lock, whose owner is a description shared by any
    number of processes (the kernel reports -1; ``/proc/locks`` shows -1
    too).  ``exclusive`` is True for a write lock, False for a read lock;
    ``start`` and ``length`` are its range in bytes, ``length`` 0 meaning
    to the end of the file however far it grows.
    """

    pid: int | None
    exclusive: bool
    start: int
    length: int


def _range(start: int, length: int) -> tuple[int, int]:
    start, length = operator.index(start), operator.index(length)
    if start < 0 or length < 0:
        raise ValueError(f"start and length must not be negative, got {start} and {length}")
    if start > raw.LONG_MAX or length > raw.LONG_MAX:
        raise OverflowError(f"start {start} or length {length} does not fit off_t")
    return start, length


def _named(exc: OSError, fd: int) -> OSError:
    """*exc* again (the same builtin subclass and message), naming the file of *fd*: its path, else ``fd N``."""
    if exc.filename is not None:
        return exc
    path = _abi.fd_path(raw.fcntl, fd)
    return OSError(exc.errno, exc.strerror, path if path is not None else f"fd {fd}")


def _fcntl(fd: int, cmd: int, kind: int, start: int, length: int) -> Any:
    lock = _abi.CFlock()
    lock.l_type, lock.l_whence, lock.l_start, lock.l_len = kind, 0, start, length
    raw.fcntl(fd, cmd, memoryview(lock).cast("B"))
    return lock


def lock(fd: int, start: int, length: int, exclusive: bool, blocking: bool, timeout: float | None) -> None:
    """Take a shared or exclusive lock on ``[start, start+length)`` of *fd*'s file.

    Raises:
        BlockingIOError: held elsewhere and ``blocking=False`` (or timeout 0).
        TimeoutError: still held elsewhere when *timeout* passed.
        OSError: EDEADLK (macOS), ENOLCK, EBADF (not open for that side).
    """
    start, length = _range(start, length)
    kind = _WRLCK if exclusive else _RDLCK
    try:
        if blocking and timeout is None:
            _fcntl(fd, _SETLKW, kind, start, length)
            return
        _retry(lambda: _fcntl(fd, _SETLK, kind, start, length), timeout if blocking else 0.0, fd)
    except OSError as exc:
        raise _named(exc, fd) from None


def _retry(attempt: Callable[[], object], timeout: float | None, fd: int) -> None:
    """Call *attempt* until it does not fail with "held", pausing with backoff, until *timeout* passes."""
    if timeout is not None and (timeout != timeout or timeout < 0):
        raise ValueError(f"timeout must be a non-negative number of seconds, got {timeout}")
    deadline = time.monotonic() + (timeout or 0.0)
    pause = _FIRST_PAUSE
    while True:
        try:
            attempt()
            return
        except OSError as exc:
            if exc.errno not in _HELD:
                raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if not timeout:
                    raise BlockingIOError(errno.EAGAIN, "the lock is held elsewhere") from None
                raise TimeoutError(errno.ETIMEDOUT, f"the lock is still held elsewhere after {timeout} s") from None
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, _LONGEST_PAUSE)


def unlock(fd: int, start: int, length: int) -> None:
    """Release this description's (Linux) or process's (macOS) locks on the range.

    Raises:
        OSError: the call failed (the file is named).
    """
    start, length = _range(start, length)
    try:
        _fcntl(fd, _SETLK, _UNLCK, start, length)
    except OSError as exc:
        raise _named(exc, fd) from None


def holder(fd: int, start: int, length: int, exclusive: bool) -> LockHolder | None:
    """The first lock that would conflict with taking the range (shared or *exclusive*), or None.

    Raises:
        OSError: the call failed (the file is named).
    """
    start, length = _range(start, length)
    try:
        got = _fcntl(fd, _GETLK, _WRLCK if exclusive else _RDLCK, start, length)
    except OSError as exc:
        raise _named(exc, fd) from None
    if got.l_type == _UNLCK:
        return None
    return LockHolder(got.l_pid if got.l_pid > 0 else None, got.l_type == _WRLCK, got.l_start, got.l_len)


def flock(fd: int, operation: int) -> None:
    """``flock(fd, operation)`` once.

    Raises:
        BlockingIOError: ``LOCK_NB`` and held elsewhere (the file is named).
        OSError: the call failed (the file is named).
    """
    try:
        raw.flock(fd, operation)
    except OSError as exc:
        raise _named(exc, fd) from None


#: For the other fd calls that name their file in errors (FileDescriptor's xattr calls).
named: Final = _named


def flock_wait(fd: int, operation: int, timeout: float) -> None:
    """``flock(fd, operation | LOCK_NB)`` retried with backoff until it succeeds or *timeout* passes.

    Raises:
        TimeoutError: still held elsewhere after *timeout* (the file is named).
        OSError: the call failed.
    """
    try:
        _retry(lambda: raw.flock(fd, operation | _abi.LOCK_NB), timeout, fd)
    except OSError as exc:
        raise _named(exc, fd) from None
