"""The kill, rusage and reaping of Process and Child, in Python: the reference of ``_core_process.c``.

The handle is a descriptor that becomes readable when the process exits: a
pidfd on Linux, a kqueue with ``EVFILT_PROC``/``NOTE_EXIT`` on macOS; the
release closes it.  The current process is no ProcessBase (it holds
nothing).  ``kill`` uses ``pidfd_send_signal`` where there is one, which
reaches that process or nothing; otherwise (macOS) it goes to ``_send``,
which the object layer defines to serialise signals with reaping.

``_wait4`` reaps and records a final status.  The compiled core does both in
one C call; here an exception raised by a signal handler between the two
bytecodes can still lose the status (the child is reaped all the same).
"""

from __future__ import annotations

import operator
import os
import resource
import signal
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, ClassVar, Final

from typing_extensions import Self

from . import values
from .handle import Handle
from .values import ResourceUsage, usage_of

__all__ = ["CurrentProcessBase", "ProcessBase"]

_NSIG: Final = signal.NSIG
_SIGKILL: Final = signal.SIGKILL
_RUSAGE_SELF: Final = resource.RUSAGE_SELF
_os_kill = os.kill
_os_wait4 = os.wait4
_getrusage = resource.getrusage
_pidfd_send_signal: Callable[[int, int], None] | None = getattr(signal, "pidfd_send_signal", None)

# ResourceUsage takes ru_maxrss's unit from the ABI module, imported on first
# use: resolve it now, so that reaping a child late in interpreter shutdown
# (Process._kill_and_reap, from a finalizer) imports nothing.
values._maxrss_unit()

#: This process's pid, refreshed in a forked child.
_current_pid: list[int] = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _current_pid.__setitem__(0, os.getpid()))


def _signal(sig: int) -> int:
    value = operator.index(sig)  # any size: one out of range is refused below
    if not 0 <= value < _NSIG:
        raise ValueError(f"invalid signal number {value}")
    return value


class ProcessBase(Handle):
    """The lifecycle of Process and Child (a descriptor that becomes readable at exit) and their hot calls."""

    __slots__ = ("_pid", "_status", "_usage")

    _pid: int
    _status: int | None  # the raw wait status once reaped
    _usage: ResourceUsage | None

    _kind: ClassVar[str] = "process"

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls)
        self._pid = 0
        self._status = self._usage = None
        return self

    @property
    def pid(self) -> int:
        """The process id (kept after close, for messages)."""
        return self._pid

    def _configure(self, pid: int) -> None:
        """Record which process the handle names."""
        self._pid = operator.index(pid)

    def _reaped(self, status: Any, usage: ResourceUsage | None) -> None:
        """Record the final ExitStatus and ResourceUsage of a reaped child."""
        self._status, self._usage = status, usage

    def fileno(self) -> int:
        """The descriptor that becomes readable when the process exits (pidfd; kqueue on macOS).

        Raises:
            ClosedResourceError: closed or detached.
        """
        return self._call(int)

    def _release(self, handle: int, _close: Callable[[int], None] = os.close) -> None:
        """Release the handle: :meth:`_end_child` first, then ``close(2)`` on the descriptor, whatever it raised."""
        try:
            self._end_child(handle)
        finally:
            try:
                _close(handle)
            except InterruptedError:  # the descriptor is gone anyway; never retried
                pass

    def _drain(
        self,
        _any: Callable[[Iterable[object]], bool] = any,
        _map: type[map[object]] = map,
        _iter: Callable[..., Iterable[int]] = iter,
        _empty: type[Exception] = IndexError,
        _eintr: type[Exception] = InterruptedError,
        _close: Callable[[int], None] = os.close,
    ) -> None:
        """:meth:`_release` with the handle claimed until its ``close(2)``: :meth:`_end_child`, then pop and close in one C call.

        :meth:`_release` is Python: a signal handler raising between its
        first bytecode and its ``close(2)`` would leave the pidfd popped
        from ``_claim`` and never closed.  Here the handle stays claimed
        while the child is ended (a later drain, or the finalizer, ends it
        again), and the pidfd leaves ``_claim`` inside the ``close(2)`` call,
        as in :meth:`Handle._drain`, whose shutdown rules apply.
        """
        claim = self._claim
        try:
            if claim:
                self._end_child(claim[-1])
        except _empty:  # drained meanwhile
            return
        finally:
            while claim:
                try:
                    _any(_map(_close, _iter(claim.pop, None)))
                except _empty:
                    break
                except _eintr:  # close(2) interrupted: the descriptor is gone anyway, never retried
                    continue

    def _end_child(self, handle: int) -> None:
        """Stop and reap an owned child before the release (the object layer's; here nothing)."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() is the object layer's (it stops and reaps the child); if an
        # exception came before it did anything, the handle is closed here and
        # the release stops and reaps the child.
        try:
            self.close()
        except BaseException:
            if not self._closing:
                try:
                    Handle.close(self)
                except Exception:  # noqa: BLE001 - the first exception is the one to report
                    pass
            raise

    def _send(self, handle: int, sig: int) -> None:
        """Signal the process where there is no pidfd (macOS; the object layer serialises it with reaping)."""
        raise NotImplementedError("signalling a process without a pidfd is the object layer's (_send)")

    def kill(self, sig: int = _SIGKILL) -> None:
        """Send signal *sig* (a ``signal.Signals`` or int; 0 only probes; ``SIGKILL`` by default, as ``Popen.kill``).

        On Linux it goes through the pidfd (``pidfd_send_signal``): it
        reaches this process or nothing.  Once this object knows the child's
        status (it reaped it, or found it reaped elsewhere) it does nothing,
        also after close, as ``Popen`` once ``returncode`` is set; else after
        close, ClosedResourceError.

        Raises:
            ProcessLookupError: the process is gone.
            PermissionError: another user's process.  ValueError: not a signal number.
            ClosedResourceError: the handle was closed.
        """
        sig = _signal(sig)
        if self._status is None:  # a known status: nothing to signal
            self._call(self._kill, sig)

    def _kill(self, handle: int, sig: int) -> None:
        if _pidfd_send_signal is not None:
            if self._status is None:  # a known status: nothing to signal
                _pidfd_send_signal(handle, sig)
        else:
            self._send(handle, sig)

    def _wait4(self, options: int) -> int | None:
        """``wait4(pid, status, options, rusage)`` on this process's pid; the raw status, or None when WNOHANG found no change.

        A final status (the child exited or a signal ended it) is recorded
        with the child's usage; once recorded it is returned without a
        system call.  EINTR runs the signal handlers and retries (PEP 475).

        Raises:
            ChildProcessError: not a child of this process, or reaped elsewhere.
            OSError: EINVAL for bad *options*.  OverflowError: *options* out of range.
        """
        recorded: int | None = self._status
        if recorded is not None:
            return recorded
        pid, status, ru = _os_wait4(self._pid, options)
        if pid == 0:
            return None
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            self._status, self._usage = status, usage_of(ru)
        return status

    def rusage(self) -> ResourceUsage:
        """The resource usage ``wait4`` reported for this child once this object reaped it (readable after close too).

        Raises:
            ValueError: not reaped by this object (the system reports usage
                only for oneself and for reaped children).
            ClosedResourceError: closed before the child was reaped.
        """
        usage = self._usage
        if usage is not None:
            return usage
        return self._call(self._rusage)

    def _rusage(self, handle: int) -> ResourceUsage:
        if self._usage is None:
            raise ValueError(f"the resource usage of process {self._pid} is known only once this handle reaped it")
        return self._usage


class CurrentProcessBase:
    """The calling process's hot calls, kill and rusage; it holds nothing."""

    __slots__ = ()

    @property
    def pid(self) -> int:
        """The calling process's id (the child's own after a fork)."""
        return _current_pid[0]

    def kill(self, sig: int) -> None:
        """``kill(getpid(), sig)``: send *sig* to the calling process (0 only probes); there is no default signal here.

        After a fork it signals the child itself.

        Raises:
            ValueError: not a signal number.
        """
        _os_kill(_current_pid[0], _signal(sig))

    def rusage(self) -> ResourceUsage:
        """The calling process's resource usage (``getrusage(RUSAGE_SELF)``), ``ru_maxrss`` in bytes."""
        return usage_of(_getrusage(_RUSAGE_SELF))
