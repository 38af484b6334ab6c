"""Processes in three roles, three types: the current one, any one by pid, and children that cannot become zombies.

* :class:`CurrentProcess` (``Process.current()``): the calling process.  It
  holds nothing (no close, no warning when collected), and its ``pid`` is
  read afresh after ``os.fork()``, so in a forked child it names the child.
* :class:`Process` (``Process(pid)``): any process, held by a descriptor
  that becomes readable when it exits (a pidfd on Linux, a kqueue with
  ``EVFILT_PROC``/``NOTE_EXIT`` on macOS), returned by ``fileno()`` for
  selectors, asyncio and :class:`~macres.EventQueue`.  ``wait()`` returns
  once it has exited, whoever its parent is; it never reaps nor ends it.
* :class:`Child` (``Process.spawn(argv, ...)``): a child this object owns.
  ``wait()`` reaps it and gives its :class:`ExitStatus` and usage;
  ``poll()``, ``returncode``, ``communicate()``, ``send_signal()``,
  ``terminate()`` and ``kill()`` (SIGKILL) are ``Popen``'s, with
  :data:`PIPE`, :data:`DEVNULL` and :data:`STDOUT` streams: signals do
  nothing once the exit code is known, ``poll()`` returns it after close,
  and a child reaped elsewhere (``SIGCHLD`` ignored, another ``waitpid``)
  reads 0 (``exit_status`` None, ``wait()`` raises ChildProcessError).  ``with`` (or
  :meth:`Child.close`) ends it: a child still running gets ``SIGTERM``, then
  ``SIGKILL`` after a grace period, and is reaped, so no zombie survives,
  also when the block raises.  A Child collected unclosed kills and reaps
  its child with a ``ResourceWarning``.

PID reuse.  A pid is only a number: once a process is reaped, the kernel may
give its pid to a new process, and ``kill(pid)`` would signal a stranger.

* Linux: Process and Child hold a pidfd (``pidfd_open(2)``), opened at
  construction, and signals go through ``pidfd_send_signal(2)``.  A pidfd
  names one process for ever: signalling it after that process is gone
  raises :class:`ProcessLookupError`, never reaching a process that reused
  the pid.  For ``Process(pid)`` the guarantee starts when the object is
  made: if *pid* was already reused before, it names the new process.
  Queries that take a pid (``pgid``, ``sid``, priorities, ``prlimit``)
  first probe the pidfd, so they raise :class:`ProcessLookupError` once the
  original process is gone; the window between probe and query remains.
* macOS has no pidfd.  A Child cannot be reused while it is unreaped, and
  the object sends nothing once it reaped it (as ``Popen``); signalling and
  reaping are serialised by a lock.  For ``Process(pid)`` of a process that is *not* our child there is
  no guarantee on macOS: the pid may be reused between exit and signal.

Errors: :class:`ProcessLookupError` for gone processes,
:class:`PermissionError` for others' processes, :class:`ValueError` for
invalid signals or priorities, :class:`TimeoutExpired` (a ``TimeoutError``
and a ``subprocess.TimeoutExpired``) when a wait times out,
:class:`~macres.ClosedResourceError` after ``close()``.
"""

from __future__ import annotations

import collections
import errno
import functools
import grp
import math
import operator
import os
import pwd
import resource as _resource
import select
import signal as _signal
import subprocess
import sys
import threading
import time
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, starmap
from typing import Any, ClassVar, Final, TypeVar, Union

import attrs
from typing import TypeAlias
from typing_extensions import Buffer

from . import raw
from ._backend import core
from ._errors import UnsupportedOperation
from .procinfo import ProcessInfo
from ._handle import FdHandle, HasFileno, fileno_of
from .fd import FileDescriptor
from .fd import open as _fd_open
from .fd import pipe as _fd_pipe

__all__ = [
    "DEVNULL", "PIPE", "RLIM_INFINITY", "STDOUT", "Child", "CurrentProcess", "ExitStatus", "Process",
    "ResourceUsage", "TimeoutExpired",
]  # fmt: skip

#: "No limit" for :meth:`Process.rlimit` / :meth:`Process.set_rlimit` (the C ``RLIM_INFINITY``).
RLIM_INFINITY: Final[int] = raw.ABI.RLIM_INFINITY

#: Nice values accepted by :meth:`Process.setpriority` (the kernel clamps to its own range).
PRIO_MIN: Final = -20
PRIO_MAX: Final = 20

# Feature detection, not platform tests: Linux has pidfds (3.9+, kernel
# 5.3+); macOS has kqueue.  Both are looked up once, typed by hand.
_pidfd_open: Callable[[int], int] | None = getattr(os, "pidfd_open", None)
_pidfd_send_signal: Callable[[int, int], None] | None = getattr(_signal, "pidfd_send_signal", None)
_prlimit: Callable[..., tuple[int, int]] | None = getattr(_resource, "prlimit", None)


def _kq(name: str) -> int:
    """A kqueue constant of the darwin ABI module (0 where the platform has none)."""
    return int(getattr(raw.ABI, name, 0))


_EVFILT_PROC, _EVFILT_USER, _EV_ADD = _kq("EVFILT_PROC"), _kq("EVFILT_USER"), _kq("EV_ADD")
_NOTE_EXIT, _NOTE_TRIGGER = _kq("NOTE_EXIT"), _kq("NOTE_TRIGGER")

#: poll(2)'s timeout is a C int of milliseconds.
_POLL_MAX_MS: Final = (1 << 31) - 1
#: This process's pid, refreshed in a forked child: owner checks and ``Process(pid)`` make no getpid call.
_own_pid: list[int] = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _own_pid.__setitem__(0, os.getpid()))

T = TypeVar("T")


def _keep(box: list[T], fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Append ``fn(*args, **kwargs)`` to *box* and return it; *fn* is a C function that acquires something.

    ``list.extend`` over ``starmap`` calls *fn* and stores its result in C,
    with no Python bytecode in between: an exception raised by a signal
    handler (KeyboardInterrupt) can come before the call or after the
    result is in *box*, never in between, so the caller's ``except`` or
    ``finally`` always sees what was acquired (a pid, a descriptor).
    """
    box.extend(starmap(functools.partial(fn, **kwargs), (args,)))
    return box[-1]


def _keep_all(box: list[int], fn: Callable[..., Iterable[int]], /, *args: Any) -> None:
    """Append every item of ``fn(*args)`` to *box* inside one C call, as :func:`_keep` (*fn* returns a tuple)."""
    box.extend(chain.from_iterable(starmap(fn, (args,))))


#: An object's in-flight protocol, called from C (no bytecode between the call and its bookkeeping).
_ENTER: Final = operator.methodcaller("_enter")
_EXIT: Final = operator.methodcaller("_exit")


#: A stream of :meth:`Child.spawn`: a new pipe whose other end is the Child's ``stdin``/``stdout``/``stderr``
#: (the value of ``subprocess.PIPE``, which works as well).
PIPE: Final = -1
#: For *stderr*: where the child's stdout goes (``subprocess.STDOUT``'s value).
STDOUT: Final = -2
#: A stream on ``/dev/null`` (``subprocess.DEVNULL``'s value).
DEVNULL: Final = -3

#: A standard stream of a spawned child: inherit (None), PIPE/DEVNULL/STDOUT, a descriptor, or an object with fileno().
Stream: TypeAlias = int | HasFileno | None
_Arg: TypeAlias = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


@attrs.frozen
class ExitStatus:
    """A decoded wait status.

    ``exited``/``code``: the process called ``exit(code)``.  ``signaled``/
    ``signal``/``core_dumped``: a signal ended it.  ``stopped``/
    ``stop_signal``: it is stopped (reported only when waiting with
    ``untraced=True``), ``continued``: it was resumed.  ``status`` is the
    raw value; :attr:`returncode` folds it the way ``subprocess`` and
    ``os.waitstatus_to_exitcode`` do.
    """

    exited: bool
    code: int | None
    signaled: bool
    signal: int | None
    core_dumped: bool
    stopped: bool
    stop_signal: int | None
    continued: bool
    status: int

    @classmethod
    def from_status(cls, status: int) -> ExitStatus:
        """Decode a raw ``wait4`` status with the platform's ``W*`` macros."""
        exited = os.WIFEXITED(status)
        signaled = os.WIFSIGNALED(status)
        stopped = os.WIFSTOPPED(status)
        return cls(
            exited=exited,
            code=os.WEXITSTATUS(status) if exited else None,
            signaled=signaled,
            signal=os.WTERMSIG(status) if signaled else None,
            core_dumped=signaled and os.WCOREDUMP(status),
            stopped=stopped,
            stop_signal=os.WSTOPSIG(status) if stopped else None,
            continued=os.WIFCONTINUED(status),
            status=status,
        )

    @property
    def returncode(self) -> int | None:
        """``code`` if it exited, ``-signal`` if a signal ended it, else None."""
        if self.exited:
            return self.code
        if self.signaled and self.signal is not None:
            return -self.signal
        return None


#: Resource usage in normalised units (``ru_maxrss`` in bytes): the core's value type.
ResourceUsage = core.ResourceUsage


_PID_MAX: Final = (1 << 31) - 1


def _check_pid(pid: int) -> int:
    if isinstance(pid, bool):
        raise TypeError("a pid must be an int, not bool")
    pid = operator.index(pid)
    if pid <= 0:
        raise ValueError(f"a process handle needs a positive pid, not {pid} (0 and negatives name groups)")
    if pid > _PID_MAX:
        raise OverflowError(f"pid {pid} does not fit pid_t")
    return pid


_NSIG: Final = _signal.NSIG


def _check_signal(sig: int) -> int:
    sig = operator.index(sig)
    if not 0 <= sig < _NSIG:
        raise ValueError(f"invalid signal number {sig}")
    return sig


def _check_priority(value: int) -> int:
    value = operator.index(value)
    if not PRIO_MIN <= value <= PRIO_MAX:
        raise ValueError(f"priority {value} is outside {PRIO_MIN}..{PRIO_MAX}")
    return value


def _to_rlim(value: int) -> int:
    """resource's limit (RLIM_INFINITY is -1 on Linux) as macres's C value."""
    return RLIM_INFINITY if value == _resource.RLIM_INFINITY else value


def _from_rlim(value: int) -> int:
    return _resource.RLIM_INFINITY if value == RLIM_INFINITY else value


def _check_seconds(value: float | None, name: str) -> float | None:
    """A duration in seconds: None or ``inf`` mean forever (None is returned), a negative one is 0.

    Raises:
        TypeError: not a real number.  ValueError: NaN.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds or None, not {type(value).__name__}")
    seconds = float(value)
    if math.isnan(seconds):
        raise ValueError(f"{name} must be a number of seconds, not NaN")
    return None if seconds == math.inf else max(0.0, seconds)


def _fd_number(value: int | HasFileno, name: str, borrowed: Mapping[int, int]) -> int:
    """The number of a descriptor argument: a macres handle's from *borrowed* (its entered number)."""
    fd = borrowed[id(value)] if isinstance(value, FdHandle) else fileno_of(value, name)
    if not 0 <= fd <= _PID_MAX:
        raise ValueError(f"{name}: invalid descriptor {fd}")
    return fd


def _proc_status(pid: int) -> dict[str, list[str]]:
    """Fields of Linux's /proc/<pid>/status; UnsupportedOperation elsewhere."""
    if raw.SYSTEM != "linux":
        raise UnsupportedOperation("querying another process's ids", raw.SYSTEM)
    try:
        with open(f"/proc/{pid}/status") as f:
            return {k: v.split() for k, _, v in (line.partition(":") for line in f)}
    except FileNotFoundError:
        raise ProcessLookupError(errno.ESRCH, os.strerror(errno.ESRCH)) from None


def _watch_exit_kqueue(pid: int) -> int:
    """``kqueue()`` with ``EVFILT_PROC``/``NOTE_EXIT`` for *pid*: a close-on-exec descriptor readable once *pid* exits (macOS).

    A process that already exited but is not reaped (kqueue no longer
    attaches to it) gets an ``EVFILT_USER`` event triggered at once, so the
    kqueue is readable at once.  The event is never consumed: the kqueue
    stays readable, as a pidfd does.

    Raises:
        ProcessLookupError: no such process.  OSError: EMFILE, ENFILE, ENOMEM.
    """
    kq = raw.kqueue()
    try:
        raw.fcntl(kq, raw.ABI.F_SETFD, raw.ABI.FD_CLOEXEC)
        try:
            raw.kevent(kq, [raw.Kevent(ident=pid, filter=_EVFILT_PROC, flags=_EV_ADD, fflags=_NOTE_EXIT)], 0, 0)
        except ProcessLookupError:
            if not _exists(pid):
                raise
            _trigger_user_event(kq)
    except BaseException:
        os.close(kq)
        raise
    return kq


def _exists(pid: int) -> bool:
    """Whether process *pid* exists, a zombie included (``kill(pid, 0)``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Opens the descriptor that becomes readable when a process exits: a pidfd, or a kqueue (macOS).
#: ``os.pidfd_open`` is a C function: the handle is owned inside the call (:meth:`Handle._acquire`).
_open_exit_fd: Callable[[int], int] = _pidfd_open if _pidfd_open is not None else _watch_exit_kqueue


def _exited_kqueue() -> int:
    """A close-on-exec kqueue with an ``EVFILT_USER`` event triggered: readable for ever, as an exited process's handle (macOS)."""
    kq = raw.kqueue()
    try:
        raw.fcntl(kq, raw.ABI.F_SETFD, raw.ABI.FD_CLOEXEC)
        _trigger_user_event(kq)
    except BaseException:
        os.close(kq)
        raise
    return kq


def _trigger_user_event(kq: int) -> None:
    """Add an ``EVFILT_USER`` event to *kq* and trigger it: the kqueue reads as ready for ever (macOS)."""
    user = [raw.Kevent(ident=1, filter=_EVFILT_USER, flags=_EV_ADD),
            raw.Kevent(ident=1, filter=_EVFILT_USER, fflags=_NOTE_TRIGGER)]  # fmt: skip
    raw.kevent(kq, user, 0, 0)


#: Opens a descriptor that is readable for ever: the handle of a child that was reaped before it
#: could be watched.  An eventfd whose counter is 1 (``eventfd(1, EFD_CLOEXEC)``, one C call), or a
#: kqueue with a triggered user event (macOS).
_eventfd: Callable[[int, int], int] | None = getattr(os, "eventfd", None)
_open_exited_fd: Callable[[], int] = (
    _exited_kqueue if _eventfd is None else functools.partial(_eventfd, 1, getattr(os, "EFD_CLOEXEC", 0))
)


def _readable(fd: int, timeout: float | None) -> bool:
    """``poll(2)`` *fd* for POLLIN up to *timeout* seconds (None: for ever); whether it is readable."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    ms = None if timeout is None else min(math.ceil(timeout * 1000), _POLL_MAX_MS)
    return bool(poller.poll(ms))


class TimeoutExpired(subprocess.TimeoutExpired, TimeoutError):
    """A wait or :meth:`Child.communicate` timed out: both ``subprocess.TimeoutExpired`` and the builtin ``TimeoutError``.

    ``output`` (``stdout``) and ``stderr`` hold what ``communicate`` read
    so far (None elsewhere); calling it again continues where it stopped
    and loses nothing.
    """

    __module__ = "macres"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.cmd, self.timeout, self.output, self.stderr))


class _Queries:
    """The queries every process type answers through ``_queried(fn, *args)``: ``fn(pid, *args)``."""

    __slots__ = ()

    #: "No limit" for :meth:`rlimit` and :meth:`set_rlimit`.
    RLIM_INFINITY: ClassVar[int] = RLIM_INFINITY

    def _queried(self, fn: Callable[..., T], /, *args: Any) -> T:
        raise NotImplementedError

    @property
    def pgid(self) -> int:
        """The process group id (``getpgid``).

        Raises:
            ProcessLookupError: gone.
        """
        return self._queried(raw.getpgid)

    @property
    def sid(self) -> int:
        """The session id (``getsid``).

        Raises:
            ProcessLookupError: gone.  PermissionError: another session (macOS).
        """
        return self._queried(raw.getsid)

    def setpgid(self, pgid: int) -> None:
        """``setpgid(pid, pgid)``: move the process into group *pgid* (0: its own pid).

        Raises:
            PermissionError: EPERM, or EACCES for a child that has already exec'd.
            ProcessLookupError: gone.
        """
        self._queried(raw.setpgid, pgid)

    def getpriority(self) -> int:
        """The nice value (``getpriority(PRIO_PROCESS, pid)``).

        Raises:
            ProcessLookupError: gone.
        """
        return self._queried(functools.partial(raw.getpriority, raw.ABI.PRIO_PROCESS))

    def setpriority(self, value: int) -> None:
        """Set the nice value (-20..20; the kernel clamps to its range).  Lowering it needs privileges.

        Raises:
            ValueError: *value* outside -20..20.  PermissionError: not allowed.
            ProcessLookupError: gone.
        """
        value = _check_priority(value)
        self._queried(functools.partial(raw.setpriority, raw.ABI.PRIO_PROCESS), value)

    @classmethod
    def getpriority_pgrp(cls, pgid: int = 0) -> int:
        """The nice value of process group *pgid* (``PRIO_PGRP``; 0: the caller's group).

        Raises:
            ProcessLookupError: no such group.
        """
        return raw.getpriority(raw.ABI.PRIO_PGRP, pgid)

    @classmethod
    def setpriority_pgrp(cls, pgid: int, value: int) -> None:
        """Set the nice value of every process in group *pgid* (``PRIO_PGRP``; 0: the caller's).

        Raises:
            ValueError: *value* outside -20..20.  PermissionError, ProcessLookupError.
        """
        raw.setpriority(raw.ABI.PRIO_PGRP, pgid, _check_priority(value))

    @classmethod
    def getpriority_user(cls, uid: int | None = None) -> int:
        """The nice value of user *uid*'s processes (``PRIO_USER``; None: the real uid).

        Raises:
            ProcessLookupError: the user has no processes.
        """
        return raw.getpriority(raw.ABI.PRIO_USER, raw.getuid() if uid is None else uid)

    @classmethod
    def setpriority_user(cls, uid: int, value: int) -> None:
        """Set the nice value of all of user *uid*'s processes (``PRIO_USER``).

        Raises:
            ValueError: *value* outside -20..20.  PermissionError, ProcessLookupError.
        """
        raw.setpriority(raw.ABI.PRIO_USER, uid, _check_priority(value))

    @classmethod
    def children_rusage(cls) -> ResourceUsage:
        """The summed usage of every reaped child of the calling process (``getrusage(RUSAGE_CHILDREN)``)."""
        return ResourceUsage.from_raw(raw.getrusage(raw.ABI.RUSAGE_CHILDREN))


@typing.final
@attrs.frozen(repr=False)
class CurrentProcess(_Queries, core.CurrentProcessBase):
    """The calling process (what :meth:`Process.current` returns).

    It holds no OS resource: nothing to close, nothing to warn about when
    collected.  Its ``pid`` is read afresh after ``os.fork()``: in the
    forked child, a CurrentProcess made before the fork names and signals
    the child itself.  Queries name the caller as pid 0 where the C call
    allows it (``getpgid(0)``, ``getpriority(PRIO_PROCESS, 0)``).
    ``pid``, ``kill(sig)`` (no default signal: this is oneself) and
    ``rusage()`` (``RUSAGE_SELF``) come from the core.
    """

    def _queried(self, fn: Callable[..., T], /, *args: Any) -> T:
        return fn(0, *args)

    def info(self) -> ProcessInfo:
        """The calling process's live figures as a :class:`~macres.ProcessInfo` (after a fork: the child's)."""
        return ProcessInfo(self.pid)

    def send_signal(self, sig: int) -> None:
        """``kill(getpid(), sig)``, :meth:`kill` under ``Popen``'s name.

        Raises:
            ValueError: not a signal number.
        """
        self.kill(sig)

    def terminate(self) -> None:
        """Send ``SIGTERM`` to the calling process."""
        self.kill(_signal.SIGTERM)

    def interrupt(self) -> None:
        """Send ``SIGINT`` to the calling process."""
        self.kill(_signal.SIGINT)

    @property
    def ppid(self) -> int:
        """The parent's pid (``getppid``)."""
        return raw.getppid()

    def rlimit(self, resource: int) -> tuple[int, int]:
        """``(soft, hard)`` limit of *resource* (``getrlimit``); :data:`RLIM_INFINITY` means none.

        Raises:
            OSError: EINVAL for an unknown resource.
        """
        lim = raw.getrlimit(resource)
        return lim.rlim_cur, lim.rlim_max

    def set_rlimit(self, resource: int, soft: int, hard: int) -> None:
        """``setrlimit``: set the limits of *resource*; raising *hard* needs privileges.

        :data:`RLIM_INFINITY` or ``resource.RLIM_INFINITY`` (-1) mean no limit,
        as for :meth:`Child.set_rlimit` and ``spawn(rlimits=...)``.

        Raises:
            PermissionError: raising the hard limit.  OSError: EINVAL (soft above hard).
            OverflowError: a limit out of ``rlim_t``'s range.
        """
        raw.setrlimit(resource, raw.Rlimit(_to_rlim(operator.index(soft)), _to_rlim(operator.index(hard))))

    @property
    def uid(self) -> int:
        """The real user id (``getuid``)."""
        return raw.getuid()

    @property
    def euid(self) -> int:
        """The effective user id (``geteuid``)."""
        return raw.geteuid()

    @property
    def gid(self) -> int:
        """The real group id (``getgid``)."""
        return raw.getgid()

    @property
    def egid(self) -> int:
        """The effective group id (``getegid``)."""
        return raw.getegid()

    @property
    def groups(self) -> list[int]:
        """The supplementary group ids (``getgroups``)."""
        return raw.getgroups()

    def drop_privileges(self, uid: int, gid: int, groups: Iterable[int] = ()) -> None:
        """Permanently become *uid*/*gid* with supplementary *groups*.

        Calls ``setgroups``, ``setgid``, ``setuid`` in that order (after
        ``setuid`` the others would be refused), then verifies real and
        effective ids and the groups, and that root cannot be regained.
        Applies to every thread.

        Raises:
            OSError: a step failed (PermissionError when not privileged); the
                process may be left partly changed, so treat this as fatal.
            RuntimeError: the result differs from what was asked.
        """
        wanted = sorted(set(groups))
        raw.setgroups(wanted)
        raw.setgid(gid)
        raw.setuid(uid)
        got = (raw.getuid(), raw.geteuid(), raw.getgid(), raw.getegid())
        if got != (uid, uid, gid, gid):
            raise RuntimeError(f"after drop_privileges the ids are {got}, not {(uid, uid, gid, gid)}")
        extra = set(raw.getgroups()) - set(wanted) - {gid}
        if extra:
            raise RuntimeError(f"after drop_privileges the process still has groups {sorted(extra)}")
        if uid != 0:
            try:
                raw.setuid(0)
            except PermissionError:
                pass
            else:
                raise RuntimeError("drop_privileges: root could be regained")

    def __repr__(self) -> str:
        return f"<macres.CurrentProcess pid={self.pid} current>"


@attrs.define(eq=False, init=False, repr=False)
class _Held(_Queries, core.ProcessBase):
    """What :class:`Process` and :class:`Child` share: a process held by a descriptor that becomes readable at its exit.

    ``kill``, ``fileno`` and ``rusage`` come from the core.
    """

    #: Serialises signals with reaping where there is no pidfd (macOS).
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    _kind: ClassVar[str] = "process"

    def _hold(self, pid: int) -> None:
        """Name *pid* and own the descriptor that watches its exit, opened inside the call that owns it.

        Raises:
            ProcessLookupError: no such process.  UnsupportedOperation: a Linux kernel without pidfds (before 5.3).
        """
        self._configure(pid)
        try:
            self._acquire(_open_exit_fd, pid)
        except OSError as e:
            if e.errno == errno.ENOSYS:
                raise UnsupportedOperation("pidfd_open (Linux 5.3 or later)", raw.SYSTEM) from e
            if e.errno in (errno.EINVAL, errno.ENOENT):  # pidfd_open of a thread that is not its process's leader
                raise ValueError(f"{pid} is the id of a thread, not of a process (a thread-group leader)") from e
            raise

    # -- signals ------------------------------------------------------------
    def send_signal(self, sig: int) -> None:
        """Send *sig* (0 only probes): :meth:`kill` with a signal, as ``Popen.send_signal``."""
        self.kill(sig)

    def terminate(self) -> None:
        """Send ``SIGTERM`` (see :meth:`kill`)."""
        self.kill(_signal.SIGTERM)

    def interrupt(self) -> None:
        """Send ``SIGINT`` (see :meth:`kill`)."""
        self.kill(_signal.SIGINT)

    def _send(self, handle: int, sig: int) -> None:
        """Signal by pid where there is no pidfd (macOS), under the lock reaping takes: a reaped pid is never signalled.

        Once the status is known (reaped here or elsewhere) nothing is sent, as ``Popen`` does.
        """
        with self._lock:
            if self._status is None:
                os.kill(self._pid, sig)  # raw.kill's call; sig is already checked

    # -- queries ------------------------------------------------------------
    def _alive(self, handle: int) -> None:
        """Raise ProcessLookupError if the process this handle names is gone."""
        if self._status is not None:
            raise ProcessLookupError(errno.ESRCH, f"process {self._pid} was reaped")

    def _queried(self, fn: Callable[..., T], /, *args: Any) -> T:
        """``fn(pid, *args)`` as one registered operation (``_call``), once the process is known to be there."""
        result: T = self._call(self._checked, fn, *args)
        return result

    def _checked(self, handle: int, fn: Callable[..., T], /, *args: Any) -> T:
        self._alive(handle)
        return fn(self._pid, *args)

    def info(self) -> ProcessInfo:
        """The process's live figures (name, cmdline, memory, CPU times, descriptors...) as a :class:`~macres.ProcessInfo`.

        On Linux it is named through this object's pidfd (``/proc/self/fdinfo``),
        so a reused pid can never be reported as this process; on macOS by pid
        and start time.

        Raises:
            ProcessLookupError: gone (or reaped).  ClosedResourceError: closed.
        """
        result: ProcessInfo = self._call(self._info)
        return result

    def _info(self, handle: int) -> ProcessInfo:
        self._alive(handle)
        try:
            return ProcessInfo.from_pidfd(handle)
        except OSError as exc:  # macOS: the handle is a kqueue, not a pidfd
            if exc.errno != errno.ENOSYS:
                raise
        return ProcessInfo(self._pid)

    def rlimit(self, resource: int) -> tuple[int, int]:
        """``(soft, hard)`` limit of *resource* (``prlimit``, Linux); :data:`RLIM_INFINITY` means none.

        Raises:
            UnsupportedOperation: there is no prlimit (macOS).
            ProcessLookupError: gone.  OSError: EINVAL for an unknown resource.
        """
        return self._queried(_get_rlimit, resource)

    def set_rlimit(self, resource: int, soft: int, hard: int) -> None:
        """Set the limits of *resource* (``prlimit``, Linux); raising *hard* needs privileges.

        Raises:
            UnsupportedOperation: there is no prlimit (macOS).
            PermissionError: raising the hard limit.  OSError: EINVAL (soft above hard).
            ProcessLookupError: gone.
        """
        self._queried(_put_rlimit, resource, soft, hard)

    def _ids(self, key: str, index: int) -> int:
        return int(self._queried(_proc_status)[key][index])

    @property
    def uid(self) -> int:
        """The real user id (Linux only, from /proc)."""
        return self._ids("Uid", 0)

    @property
    def euid(self) -> int:
        """The effective user id (Linux only, from /proc)."""
        return self._ids("Uid", 1)

    @property
    def gid(self) -> int:
        """The real group id (Linux only, from /proc)."""
        return self._ids("Gid", 0)

    @property
    def egid(self) -> int:
        """The effective group id (Linux only, from /proc)."""
        return self._ids("Gid", 1)

    @property
    def groups(self) -> list[int]:
        """The supplementary group ids (Linux only, from /proc)."""
        return [int(g) for g in self._queried(_proc_status).get("Groups", [])]

    # -- waiting ------------------------------------------------------------
    def _wait_exit(self, handle: int, timeout: float | None) -> bool:
        """Block until the process exits or *timeout* passes (``poll(2)`` on the handle); True if it exited."""
        return _readable(handle, timeout)

    def __repr__(self) -> str:
        return f"<macres.{type(self).__name__} pid={self.pid} {self._state()}>"

    def _state(self) -> str:
        return "closed" if self.closed else "open"


def _get_rlimit(pid: int, resource: int) -> tuple[int, int]:
    if _prlimit is None:
        raise UnsupportedOperation("prlimit", raw.SYSTEM)
    soft, hard = _prlimit(pid, resource)
    return _to_rlim(soft), _to_rlim(hard)


def _put_rlimit(pid: int, resource: int, soft: int, hard: int) -> None:
    if _prlimit is None:
        raise UnsupportedOperation("prlimit", raw.SYSTEM)
    _prlimit(pid, resource, (_from_rlim(soft), _from_rlim(hard)))


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Process(_Held):
    """Any process, by pid; this object never waits for it as a parent nor ends it.

    It holds the descriptor that becomes readable when the process exits:
    a pidfd on Linux (``pidfd_open``), a kqueue with ``EVFILT_PROC``/
    ``NOTE_EXIT`` registered on macOS.  :meth:`fileno` returns it, for
    ``select``, ``selectors``, asyncio and :class:`~macres.EventQueue`;
    :meth:`close` releases it and never signals the process.  On Linux
    signals go through the pidfd (``pidfd_send_signal``), so a reused pid
    cannot redirect them.  :meth:`Process.current` and :meth:`Process.spawn`
    make the other two roles, :class:`CurrentProcess` and :class:`Child`.
    """

    def __init__(self, pid: int) -> None:
        """Hold the existing process *pid* (it may be anyone's: a child, a parent, a stranger).

        On Linux the pidfd is opened now, so the object names this process
        and no later one with the same pid.

        Raises:
            ProcessLookupError: no process has that pid.
            ValueError: *pid* <= 0 (those name process groups), or *pid* is a
                thread id that is not its process's (Linux: pidfd_open's EINVAL/ENOENT).
            TypeError: *pid* is a bool or not an integer.  OverflowError: *pid* too large.
            UnsupportedOperation: a Linux kernel without pidfds.  OSError: EMFILE, ENFILE.
        """
        self._lock = threading.Lock()
        self._hold(_check_pid(pid))

    @staticmethod
    def current() -> CurrentProcess:
        """The calling process: a :class:`CurrentProcess`, which holds nothing and follows a fork."""
        return _CURRENT

    @staticmethod
    def spawn(
        argv: Sequence[_Arg],
        *,
        env: Mapping[str, str] | Mapping[bytes, bytes] | None = None,
        cwd: _Arg | None = None,
        stdin: Stream = None,
        stdout: Stream = None,
        stderr: Stream = None,
        pass_fds: Iterable[int | HasFileno] = (),
        new_session: bool = False,
        process_group: int | None = None,
        grace: float | None = 5.0,
        start_new_session: bool = False,
        user: _Id | None = None,
        group: _Id | None = None,
        extra_groups: Iterable[_Id] | None = None,
        umask: int | None = None,
        rlimits: Mapping[int, tuple[int, int]] | None = None,
    ) -> Child:
        """Start ``argv`` (``argv[0]`` looked up in ``PATH``) as a :class:`Child`, which owns and reaps it.

        The parent makes a fixed number of system calls whatever the number
        of descriptors it has open (Linux: ``vfork``, the child marks every
        descriptor close-on-exec with ``close_range``; macOS:
        ``posix_spawn`` with ``POSIX_SPAWN_CLOEXEC_DEFAULT``), safe in a
        threaded interpreter (no Python code runs in the child); every
        descriptor but the streams and *pass_fds* is closed in the child,
        also one another thread opens meanwhile.  The pure-Python core
        falls back to ``os.posix_spawn`` or ``subprocess`` (see
        ``macres._pure.spawn``).
        Only the standard streams and *pass_fds* are inherited: each stream
        is None (inherit this process's), :data:`PIPE` (a new pipe whose
        other end becomes :attr:`stdin`/:attr:`stdout`/:attr:`stderr`),
        :data:`DEVNULL` (``/dev/null``), for *stderr* :data:`STDOUT` (the
        child's stdout), a descriptor, or an object with ``fileno()`` such
        as a :class:`~macres.FileDescriptor`; each of *pass_fds* (numbers or
        such objects) keeps its number in the child and is inheritable there
        even if it is close-on-exec here; every other inheritable descriptor
        is closed in the child.  A macres object given as a stream or in
        *pass_fds* is held open through its in-flight protocol until the
        child has its copy: a ``close()`` in another thread meanwhile takes
        effect after the spawn, so its number cannot be reused by another
        file the child would then receive.  *env* replaces the environment
        (a mapping; default: this process's); ``argv[0]`` is looked up in
        its ``PATH`` (else this process's), as ``subprocess`` does.
        *start_new_session* (or *new_session*) runs ``setsid``;
        *process_group* puts the child in that group (0: a new group led by
        the child).  *cwd*, *umask*, *rlimits* (``{RLIMIT_NOFILE: (soft,
        hard)}``), *extra_groups*, *group* and *user* (ids or names) are set
        in the child, in that order, before exec.  The child starts with an
        empty signal mask and ``SIGPIPE``/``SIGXFSZ`` at their defaults
        (Python ignores them).

        *grace* is how long :meth:`close` waits after ``SIGTERM`` before
        ``SIGKILL`` (None or ``inf``: wait for ever).

        An exception raised meanwhile by a signal handler (KeyboardInterrupt)
        leaves no child behind: a child already started is killed and
        reaped before it propagates.  A program that started is always
        returned as a Child, also when something else reaps it first (a
        ``SIGCHLD`` handler's ``waitpid(-1)``, ``SIGCHLD`` ignored): the
        pidfd is opened before this thread's signal handlers can run, and a
        child already reaped reads as one reaped elsewhere (:meth:`Child.poll`).

        Raises:
            FileNotFoundError/PermissionError/OSError: the program could not be
                started, or a step before exec failed (chdir, setuid, ...: the message
                names it); the failed child is reaped.
            TypeError: *argv* is a string, *env* not a mapping, *grace* not a number.
            KeyError: an unknown user or group name.
            ValueError: empty *argv*, both *new_session* and *process_group*, a
                descriptor that is both a stream target and in *pass_fds*, a
                negative descriptor other than PIPE/DEVNULL/STDOUT, STDOUT
                for stdin or stdout, a NaN *grace*.
            ClosedResourceError: a macres object given as a stream or in *pass_fds* is closed.
            OSError: EBADF for a stream or pass_fd that is not open.
        """
        if isinstance(argv, (str, bytes)):
            raise TypeError("argv must be a sequence of arguments, not a single string")
        args = list(argv)
        if not args:
            raise ValueError("argv must not be empty")
        if env is not None and not isinstance(env, Mapping):
            raise TypeError(f"env must be a mapping of names to values or None, not {type(env).__name__}")
        new_session = new_session or start_new_session
        if new_session and process_group is not None:
            raise ValueError("new_session and process_group exclude each other (a session leader leads its group)")
        if process_group is not None:
            process_group = operator.index(process_group)
            if not 0 <= process_group <= _PID_MAX:
                raise ValueError(f"invalid process group {process_group}")
        if grace is not None:
            grace = _check_seconds(grace, "grace")
        keep_list = list(pass_fds)
        options = _SpawnOptions(user, group, extra_groups, umask, rlimits)
        self = Child.__new__(Child)
        self._fields(args, grace)
        made: list[FileDescriptor] = []  # the pipes and /dev/null this call opens: the child's ends are closed at the end
        try:
            given = _special_streams((stdin, stdout, stderr), made, self)
            self._start(args, env, cwd, given, keep_list, new_session, process_group, options)
        except BaseException:
            for end in (self.stdin, self.stdout, self.stderr):
                if end is not None:
                    end.close()
            self.stdin = self.stdout = self.stderr = None
            raise
        finally:
            for end in made:
                if end not in (self.stdin, self.stdout, self.stderr):
                    end.close()
        return self

    def _alive(self, handle: int, _probe: Callable[[int, int], None] | None = _pidfd_send_signal) -> None:
        if _probe is not None:  # a signal 0 through the pidfd: ESRCH once the process is gone
            try:
                _probe(handle, 0)
            except PermissionError:  # someone else's process: it exists
                pass

    @property
    def ppid(self) -> int:
        """The parent's pid (from /proc).

        Raises:
            ProcessLookupError: gone.  UnsupportedOperation: macOS.
        """
        return self._queried(_parent_of)

    def wait(self, timeout: float | None = None) -> None:
        """Return once the process has exited (``poll(2)`` on the pidfd; kevent ``NOTE_EXIT`` on macOS); it is not reaped.

        Works for any process, not only children; the exit status belongs
        to the parent, so none is returned (a :class:`Child` gives it).
        Signals arriving meanwhile run their handlers and the wait goes on.

        Raises:
            TimeoutError: still running after *timeout* seconds (None or ``inf``: for ever).
            ClosedResourceError: closed.  TypeError, ValueError: *timeout* not a number of seconds.
        """
        seconds = _check_seconds(timeout, "timeout")
        if not self._call(self._wait_exit, seconds):
            raise TimeoutError(f"process {self._pid} still runs after {timeout} s")

    def exited(self) -> bool:
        """Whether the process has exited (``poll(2)`` on the handle, without waiting).

        Raises:
            ClosedResourceError: closed.
        """
        return bool(self._call(self._wait_exit, 0.0))


def _parent_of(pid: int) -> int:
    return int(_proc_status(pid)["PPid"][0])


_CURRENT: Final = CurrentProcess()


@attrs.frozen
class _SpawnOptions:
    """What :meth:`Child.spawn` sets in the child before exec, beyond its streams and session."""

    user: _Id | None
    group: _Id | None
    extra_groups: Iterable[_Id] | None
    umask: int | None
    rlimits: Mapping[int, tuple[int, int]] | None


@attrs.define
class _Exchange:
    """What :meth:`Child.communicate` has sent and read so far: kept across a timeout, so nothing is lost."""

    data: memoryview | None
    sent: int = 0
    out: list[bytes] | None = None
    err: list[bytes] | None = None

    def result(self) -> tuple[bytes | None, bytes | None]:
        return (None if self.out is None else b"".join(self.out), None if self.err is None else b"".join(self.err))


#: How much communicate reads or writes per call: a pipe's default capacity.
_CHUNK: Final = 65536


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Child(_Held):
    """A child process this object owns: it waits for it, reaps it, and ends it on ``with`` exit or :meth:`close`.

    Made by :meth:`Process.spawn`.  :meth:`wait` gives the
    :class:`ExitStatus` (and :meth:`rusage` what the child used);
    :meth:`poll` and :attr:`returncode` are ``Popen``'s; ``with`` (or
    :meth:`close`) ends it: a child still running gets ``SIGTERM``, then
    ``SIGKILL`` after the grace period, and is reaped, so no zombie
    survives, also when the block raises.  A Child collected unclosed kills
    and reaps its child with a ``ResourceWarning``.  Streams given as
    :data:`PIPE` are :attr:`stdin`, :attr:`stdout`, :attr:`stderr`
    (:class:`~macres.FileDescriptor`), closed by :meth:`close`.
    """

    #: The argv it was started with (``Popen.args``).
    args: list[_Arg] = attrs.field(factory=list)
    #: The writing end of the child's stdin when it was :data:`PIPE`, else None.
    stdin: FileDescriptor | None = None
    #: The reading end of the child's stdout when it was :data:`PIPE`, else None.
    stdout: FileDescriptor | None = None
    #: The reading end of the child's stderr when it was :data:`PIPE`, else None.
    stderr: FileDescriptor | None = None
    #: The pid of the process that spawned the child: a forked copy of this
    #: object does not own the child and must not stop or reap it.
    _owner: int = 0
    #: Seconds between SIGTERM and SIGKILL in close(); None waits for ever.
    _grace: float | None = 5.0
    _exchange: _Exchange | None = None
    #: The child was reaped behind this object's back: its status is lost (returncode reads 0, as Popen's).
    _elsewhere: bool = False

    #: Start a child this object owns: the same call as :meth:`Process.spawn`.
    spawn = staticmethod(Process.spawn)

    def _fields(self, args: list[_Arg], grace: float | None) -> None:
        self.args = args
        self.stdin = self.stdout = self.stderr = None
        self._owner = _own_pid[0]
        self._grace = grace
        self._exchange = None
        self._elsewhere = False
        self._lock = threading.Lock()

    def _start(
        self,
        args: list[_Arg],
        env: Mapping[str, str] | Mapping[bytes, bytes] | None,
        cwd: _Arg | None,
        given: Sequence[int | HasFileno | None],
        keep_list: list[int | HasFileno],
        new_session: bool,
        process_group: int | None,
        options: _SpawnOptions,
    ) -> None:
        """Spawn with the streams *given* (STDOUT resolved here) and adopt the child's pid."""
        lent = [s for s in (*given, *keep_list) if isinstance(s, FdHandle)]
        entered: list[int] = []
        started: list[int] = []
        # The finally's exits, built before anything is entered: there they
        # run in one C call, with no bytecode before the first _exit.
        exiting = map(_EXIT, map(operator.itemgetter(0), zip(lent, entered, strict=False)))
        try:
            entered.extend(map(_ENTER, lent))  # entered[i] is lent[i]'s number, held until the finally
            borrowed = {id(h): fd for h, fd in zip(lent, entered, strict=True)}
            streams: list[int | None] = []
            for s, name in zip(given, ("stdin", "stdout", "stderr"), strict=True):
                if s is _TO_STDOUT:
                    streams.append(1 if streams[1] is None else streams[1])
                else:
                    streams.append(None if s is None else _fd_number(s, name, borrowed))
            keep = sorted({_fd_number(fd, "pass_fds", borrowed) for fd in keep_list})
            _spawn_child(started, args, env=env, cwd=cwd, stdin=streams[0], stdout=streams[1], stderr=streams[2],
                         pass_fds=keep, user=options.user, group=options.group, extra_groups=options.extra_groups,
                         umask=options.umask, rlimits=options.rlimits, start_new_session=new_session,
                         process_group=process_group)  # fmt: skip
            self._adopt_started(started)
        except BaseException:
            if len(started) > 1 and started[1] >= 0:  # the pidfd the core opened, not yet this object's
                os.close(started.pop())
            if started:
                self._abandon(started[0])
            raise
        finally:
            collections.deque(exiting, maxlen=0)

    def _adopt_started(self, started: list[int]) -> None:
        """Own the child the core started: *started* is ``[pid, pidfd]``, the pidfd or ``-errno``.

        The core's pidfd moves into this object inside one C call
        (``list.pop``).  Without one (macOS, -ENOSYS) the exit watch is
        opened here.  A child already reaped elsewhere (-ESRCH: SIGCHLD
        ignored, a handler's ``waitpid(-1)``) did start: this object then
        holds a descriptor readable for ever and knows its status is lost
        (:meth:`_mark_reaped_elsewhere`).

        Raises:
            UnsupportedOperation: a Linux kernel without pidfds.  OSError: EMFILE, ENFILE.
        """
        self._configure(started[0])
        if started[1] >= 0:
            self._acquire(started.pop)
            return
        err = -started.pop()
        try:
            if err != errno.ENOSYS:
                raise OSError(err, os.strerror(err))  # ESRCH is a ProcessLookupError
            self._hold(started[0])  # no pidfds: a kqueue (macOS), or UnsupportedOperation
        except ProcessLookupError:
            self._acquire(_open_exited_fd)
            self._mark_reaped_elsewhere()

    def _mark_reaped_elsewhere(self) -> None:
        """Record that the child was reaped behind this object's back: its status is lost.

        The core then holds status 0, so :attr:`returncode` and :meth:`poll`
        give 0 (as ``Popen`` does), signals do nothing and nothing waits for
        the child again; :attr:`exit_status` stays None and :meth:`wait`
        raises ChildProcessError.
        """
        self._elsewhere = True
        self._reaped(0, None)

    def _elsewhere_error(self) -> ChildProcessError:
        return ChildProcessError(errno.ECHILD, f"process {self._pid} was reaped elsewhere: its exit status is lost")

    def _abandon(self, pid: int) -> None:
        """A spawn that failed after the child started: kill and reap it, release the handle if adopted."""
        if self.closed:  # not adopted: the pid is still unreaped, so it is still the child's
            try:
                os.kill(pid, _signal.SIGKILL)
            finally:
                os.waitpid(pid, 0)
            return
        try:
            self._kill_and_reap(self._handle)
        finally:
            super().close()

    # -- lifecycle ----------------------------------------------------------
    def _end_child(self, handle: int, _own_pid: list[int] = _own_pid) -> None:
        """The release's first step (the core closes the descriptor after it): a child still unreaped is killed and reaped.

        Also runs late in interpreter shutdown (a Child still open in a
        reference cycle at exit), when the module's globals are gone: what
        it uses is bound as a default or reached through self, as in the
        stdlib's ``socket._real_close`` (and in :meth:`_kill_and_reap`).
        """
        if self._status is None and self._owner == _own_pid[0]:
            self._kill_and_reap(handle)

    def close(self) -> None:
        """Close the PIPE ends, then end the child: a child still running gets SIGTERM, SIGKILL after the grace period, and is reaped.

        After this, every operation raises :class:`~macres.ClosedResourceError`
        (``pid``, :attr:`exit_status`, :attr:`returncode` and a reaped
        child's ``rusage()`` stay readable).  A child reaped behind this
        object's back (``os.waitpid(-1)``, ``SIGCHLD`` ignored) is not an
        error here.  In a forked copy of the spawning process, close only
        releases the copy's descriptor: the child belongs to the process
        that spawned it.  ``detach()`` instead hands out the descriptor
        (pidfd or kqueue) and with it the duty to reap.  An exception raised
        by a signal handler during the grace period propagates once the
        child is killed and reaped.

        Raises:
            OSError: releasing the descriptor failed (it is gone anyway).
        """
        try:
            for end in (self.stdin, self.stdout, self.stderr):
                if end is not None:
                    end.close()
            if not self.closed and self._status is None and self._owner == _own_pid[0]:
                try:
                    self.stop()
                except ChildProcessError:  # reaped behind our back (waitpid(-1), SIGCHLD ignored)
                    pass
        finally:
            super().close()

    def stop(self, grace: float | None = None) -> ExitStatus:
        """End the child: SIGTERM, wait up to *grace* seconds, then SIGKILL; reap it.

        Returns its exit status (at once if it had already ended).  *grace*
        defaults to the value given to :meth:`spawn` (``inf``: wait for
        ever).  If the wait is interrupted (KeyboardInterrupt), the child is
        killed and reaped before the exception propagates.

        Raises:
            ChildProcessError: reaped elsewhere (nothing is signalled).
            ClosedResourceError: closed.  TypeError/ValueError: *grace* is not a number of seconds.
        """
        seconds = self._grace if grace is None else _check_seconds(grace, "grace")
        return self._call(self._stop, seconds)

    def _stop(self, handle: int, grace: float | None) -> ExitStatus:
        # Not blocking on the lock: a thread in a blocking wait() holds it until the child ends.
        status = self._reap(raw.ABI.WNOHANG, block=False)  # ChildProcessError before any signal
        if status is not None:
            return status
        try:
            try:
                self._deliver(handle, _signal.SIGTERM)
                self._deliver(handle, _signal.SIGCONT)  # a stopped child handles SIGTERM only once resumed
            except ProcessLookupError:
                pass
            return self._wait(handle, grace, False)
        except TimeoutError:
            pass
        except BaseException:
            self._kill_and_reap(handle)
            raise
        self._kill_and_reap(handle)
        final = self.exit_status
        if final is None:
            raise ChildProcessError(errno.ECHILD, f"process {self._pid} was reaped elsewhere")
        return final

    def _deliver(self, handle: int, sig: int) -> None:
        """Signal from inside an operation: through the pidfd, or :meth:`_send` (macOS)."""
        if _pidfd_send_signal is None:
            self._send(handle, sig)
            return
        if self._status is not None:
            raise ProcessLookupError(errno.ESRCH, f"process {self._pid} was reaped")
        _pidfd_send_signal(handle, sig)

    def _kill_and_reap(
        self,
        handle: int,
        _pidfd_kill: Callable[[int, int], None] | None = _pidfd_send_signal,
        _kill: Callable[[int, int], None] = os.kill,
        _waitpid: Callable[[int, int], tuple[int, int]] = os.waitpid,
        _finalizing: Callable[[], bool] = sys.is_finalizing,
        _sigkill: int = _signal.SIGKILL,
        _gone: tuple[type[OSError], ...] = (ProcessLookupError, ChildProcessError),
    ) -> None:
        """SIGKILL and a blocking reap: the last resort that never leaves a zombie.

        What it uses is bound as a default (see :meth:`_end_child`).  A pidfd
        is signalled before the lock is taken (a thread blocked in :meth:`wait`
        holds it and returns once the child dies); a bare pid only under the
        lock, so a reaped child's pid is never signalled.
        """
        if _pidfd_kill is not None and self._status is None:
            try:
                _pidfd_kill(handle, _sigkill)
            except _gone:
                pass
        with self._lock:
            if self._status is not None:
                return
            try:
                if _pidfd_kill is None:
                    _kill(self._pid, _sigkill)
            except _gone:
                pass
            try:
                if _finalizing():  # interpreter shutdown: no one reads the status, and os.wait4's rusage needs an import
                    _waitpid(self._pid, 0)
                    return
                self._wait4(0)  # records the status and usage
            except _gone:  # reaped behind our back: nothing is left
                self._mark_reaped_elsewhere()

    # -- status -------------------------------------------------------------
    @property
    def exit_status(self) -> ExitStatus | None:
        """The final :class:`ExitStatus` once this object reaped the child (also after close), else None.  No system call.

        It stays None for a child reaped elsewhere (``SIGCHLD`` ignored, another ``waitpid``): its status is lost.
        """
        status: int | None = self._status  # the raw wait status the core recorded
        return None if status is None or self._elsewhere else ExitStatus.from_status(status)

    @property
    def returncode(self) -> int | None:
        """``Popen.returncode``: the exit code, ``-signal`` if a signal ended it, None while not reaped.  No system call.

        A child found reaped elsewhere (``SIGCHLD`` ignored, another
        ``waitpid``) reads 0, as ``Popen`` reports it: its status is lost
        (:attr:`exit_status` stays None).  Readable after close.
        """
        status: int | None = self._status
        return None if status is None else os.waitstatus_to_exitcode(status)

    @property
    def ppid(self) -> int:
        """The parent's pid: the process that spawned the child."""
        return self._queried(self._parent)

    def _parent(self, pid: int) -> int:
        return self._owner

    # -- waiting ------------------------------------------------------------
    def _reap(self, options: int, *, block: bool = True) -> ExitStatus | None:
        """wait4 on the pid under the lock (the core records a final status with the reap).

        ``with`` takes the lock: an exception raised by a signal handler
        cannot come between the acquire and the block that releases it.
        With *block* false and another thread reaping (a blocking
        :meth:`wait`), the status known so far is returned at once.

        Raises:
            ChildProcessError: reaped elsewhere (recorded: :meth:`_mark_reaped_elsewhere`).
        """
        if self._elsewhere:
            raise self._elsewhere_error()
        lock = self._lock
        if not block and lock.locked():
            return self.exit_status
        try:
            with lock:
                status = self._wait4(options)
        except ChildProcessError:
            self._mark_reaped_elsewhere()
            raise self._elsewhere_error() from None
        return None if status is None else ExitStatus.from_status(status)

    def poll(self) -> int | None:
        """``Popen.poll``: the :attr:`returncode` if the child has ended (reaping it), else None.  Never blocks.

        ``p.poll() != 0`` is true only for a child that failed; the decoded
        status is :attr:`exit_status` afterwards.  Once the code is known it
        is returned without a system call, also after close.  A child
        reaped elsewhere (``SIGCHLD`` ignored, another ``waitpid``) gives 0,
        as ``Popen.poll`` does (its status is lost: :attr:`exit_status`
        stays None).

        Raises:
            ClosedResourceError: closed before the code was known.
        """
        if self._status is not None:
            return self.returncode
        try:
            self._call(self._poll)
        except ChildProcessError:  # reaped elsewhere: recorded, returncode reads 0
            pass
        return self.returncode

    def _poll(self, handle: int) -> ExitStatus | None:
        return self._reap(raw.ABI.WNOHANG, block=False)

    def wait(self, timeout: float | None = None, *, untraced: bool = False) -> ExitStatus:
        """Wait for the child to end, reap it and return its :class:`ExitStatus` (via ``wait4``).

        Without *timeout* (None or ``inf``) on Linux this is one blocking
        ``wait4``, as ``subprocess.Popen.wait`` makes.  With *timeout*
        (seconds) it raises :class:`TimeoutExpired` when the child is still
        running then; the child is not touched.  Those waits, and every wait
        on macOS, poll the handle (pidfd, or the kqueue's ``NOTE_EXIT``) and
        then reap.  Signals arriving meanwhile run their handlers and the
        wait goes on (PEP 475).  With *untraced* a stop (``stopped``) or a
        resume (``continued``) is reported too; it is not final, and those
        waits poll with short sleeps.

        Raises:
            TimeoutExpired: *timeout* passed (a TimeoutError).
            ChildProcessError: reaped elsewhere (``SIGCHLD`` ignored, another
                ``waitpid``): the status is lost, on every call; :meth:`poll` and
                :attr:`returncode` then give 0, as ``Popen``'s.
            ClosedResourceError: closed.  TypeError: *timeout* not a number.
            ValueError: *timeout* is NaN.
        """
        return self._call(self._wait, _check_seconds(timeout, "timeout"), untraced)

    def _wait(self, handle: int, timeout: float | None, untraced: bool) -> ExitStatus:
        if timeout is None and not untraced and _pidfd_send_signal is not None:
            # Signals go through the pidfd and never take the lock: holding it
            # through a blocking wait4 delays only other reapers, which then
            # find the recorded status.
            status = self._reap(0)
            assert status is not None  # a blocking wait4 returns a change
            return status
        # The reaps below do not wait for the lock while the child may still
        # run: a thread in a blocking wait() holds it until the child ends.
        options = raw.ABI.WUNTRACED | raw.ABI.WCONTINUED | raw.ABI.WNOHANG if untraced else raw.ABI.WNOHANG
        deadline = None if timeout is None else time.monotonic() + timeout
        status = self._reap(options, block=False)
        delay = 0.001
        while status is None:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not untraced:
                if not self._wait_exit(handle, remaining):
                    raise TimeoutExpired(self.args, timeout or 0.0)
                status = self._reap(options)  # it has ended: a blocking waiter holding the lock returns at once
                continue
            if remaining == 0.0:
                raise TimeoutExpired(self.args, timeout or 0.0)
            time.sleep(delay if remaining is None else min(delay, remaining))
            delay = min(delay * 2, 0.05)
            status = self._reap(options, block=False)
        return status

    # -- communicate --------------------------------------------------------
    def communicate(self, input: Buffer | None = None, timeout: float | None = None) -> tuple[bytes | None, bytes | None]:
        """``Popen.communicate``: send *input* to stdin, read stdout and stderr to their ends, wait for the child.

        Returns ``(stdout, stderr)``: the bytes read from each stream that is
        :data:`PIPE`, None for the others.  *input* goes to a PIPE stdin,
        which is then closed (closed at once without *input*).  The pipes
        are served together (``poll(2)`` over non-blocking ends), so outputs
        and inputs larger than a pipe's buffer cannot deadlock.  When
        *timeout* seconds pass first, :class:`TimeoutExpired` carries what
        was read so far; the child is untouched and a later call continues
        where this one stopped (without *input*: it is being sent already)
        and returns everything.  The ends reaching their end are closed.

        Raises:
            TimeoutExpired: *timeout* passed.  ValueError: *input* without a
                PIPE stdin, or given again after a timeout.
            ClosedResourceError: closed.  TypeError: *input* is not bytes-like.
        """
        seconds = _check_seconds(timeout, "timeout")
        deadline = None if seconds is None else time.monotonic() + seconds
        exchange = self._exchange
        if exchange is None:
            if input is not None and self.stdin is None:
                raise ValueError("communicate: input needs stdin=PIPE")
            data = None if input is None else memoryview(input).cast("B")
            exchange = _Exchange(data, 0, None if self.stdout is None else [], None if self.stderr is None else [])
            self._exchange = exchange
        elif input is not None:
            raise ValueError("communicate: the input cannot be given again once it is being sent")
        if not _pump(exchange, self.stdin, self.stdout, self.stderr, deadline):
            raise TimeoutExpired(self.args, timeout or 0.0, *exchange.result())
        try:
            self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        except TimeoutExpired:
            raise TimeoutExpired(self.args, timeout or 0.0, *exchange.result()) from None
        except ChildProcessError:  # reaped elsewhere: the output is complete, returncode reads 0 (as Popen)
            pass
        return exchange.result()

    def _state(self) -> str:
        code = self.returncode
        if self.closed:
            return "closed" if code is None else f"returncode={code} closed"
        return "running" if code is None else f"returncode={code}"


def _pump(
    exchange: _Exchange,
    stdin: FileDescriptor | None,
    stdout: FileDescriptor | None,
    stderr: FileDescriptor | None,
    deadline: float | None,
) -> bool:
    """Serve the pipes of :meth:`Child.communicate` until every one is done, or *deadline*; True when all are.

    Each end is held through its in-flight protocol while its number is
    used, and non-blocking only meanwhile.  An end that is done (EOF, all
    input sent, the reader gone) is closed at once: the child sees the end
    of its input while its outputs are still read.
    """
    wanted: list[tuple[FileDescriptor, list[bytes] | None]] = []  # (end, chunks; None: stdin)
    if stdin is not None and not stdin.closed:
        if exchange.data is None or exchange.sent >= len(exchange.data):
            stdin.close()
        else:
            wanted.append((stdin, None))
    for end, chunks in ((stdout, exchange.out), (stderr, exchange.err)):
        if end is not None and chunks is not None and not end.closed:
            wanted.append((end, chunks))
    ends: dict[int, tuple[FileDescriptor, list[bytes] | None]] = {}  # number -> (end, chunks), each held
    try:
        for end, chunks in wanted:
            ends[end._enter()] = (end, chunks)
        poller = select.poll()
        for fd, (_, chunks) in ends.items():
            os.set_blocking(fd, False)
            poller.register(fd, select.POLLOUT if chunks is None else select.POLLIN)
        while ends:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready = poller.poll(None if remaining is None else min(math.ceil(remaining * 1000), _POLL_MAX_MS))
            if not ready and deadline is not None and time.monotonic() >= deadline:
                return False
            for fd, _ in ready:
                end, chunks = ends[fd]
                if not _serve(fd, chunks, exchange):
                    continue
                poller.unregister(fd)
                os.set_blocking(fd, True)
                del ends[fd]
                end._exit()  # the hold ends first: closing a held end would wait for it (stdin's EOF with it)
                end.close()
        return True
    finally:
        for fd, (end, _) in ends.items():
            os.set_blocking(fd, True)
            end._exit()


def _serve(fd: int, chunks: list[bytes] | None, exchange: _Exchange) -> bool:
    """One non-blocking read into *chunks*, or write of the pending input (*chunks* None); True when the end is done."""
    if chunks is None:
        data = exchange.data
        assert data is not None
        try:
            exchange.sent += os.write(fd, data[exchange.sent : exchange.sent + _CHUNK])
        except BlockingIOError:
            return False
        except BrokenPipeError:  # the child closed its stdin: the rest is not wanted (as Popen)
            return True
        return exchange.sent >= len(data)
    try:
        chunk = os.read(fd, _CHUNK)
    except BlockingIOError:
        return False
    if chunk:
        chunks.append(chunk)
        return False
    return True


#: Marks a stderr that goes where stdout goes (STDOUT), resolved once stdout's number is known.
_TO_STDOUT: Final = object()


def _special_streams(
    streams: Sequence[Stream], made: list[FileDescriptor], child: Child
) -> list[int | HasFileno | None]:
    """Replace PIPE, DEVNULL and STDOUT in *streams* by what the child gets; the parent's PIPE ends go to *child*.

    What is opened is appended to *made* at once (closed by the caller).

    Raises:
        ValueError: STDOUT for stdin or stdout, or another negative number.
    """
    given: list[Any] = []
    for i, stream in enumerate(streams):
        if isinstance(stream, bool) or not isinstance(stream, int) or stream >= 0:
            given.append(stream)
        elif stream == PIPE:
            reader, writer = _fd_pipe()
            made += (reader, writer)
            ours, theirs = (writer, reader) if i == 0 else (reader, writer)
            if i == 0:
                child.stdin = ours
            elif i == 1:
                child.stdout = ours
            else:
                child.stderr = ours
            given.append(theirs)
        elif stream == DEVNULL:
            made.append(_fd_open(os.devnull, os.O_RDWR))
            given.append(made[-1])
        elif stream == STDOUT and i == 2:
            given.append(_TO_STDOUT)
        else:
            raise ValueError(f"{('stdin', 'stdout', 'stderr')[i]}: invalid descriptor {stream}")
    return given


# -- the spawn engine -----------------------------------------------------------------------------

#: A user or a group for a spawned child: its id, or its name (looked up in the parent).
_Id: TypeAlias = int | str


def _uid_of(user: _Id) -> int:
    """*user* as a uid (``pwd.getpwnam`` for a name).  KeyError: no such user."""
    if isinstance(user, str):
        return pwd.getpwnam(user).pw_uid
    uid = operator.index(user)
    if not 0 <= uid < (1 << 32) - 1:
        raise ValueError(f"invalid user id {uid}")
    return uid


def _gid_of(group: _Id) -> int:
    """*group* as a gid (``grp.getgrnam`` for a name).  KeyError: no such group."""
    if isinstance(group, str):
        return grp.getgrnam(group).gr_gid
    gid = operator.index(group)
    if not 0 <= gid < (1 << 32) - 1:
        raise ValueError(f"invalid group id {gid}")
    return gid


def _environment(env: Mapping[str, str] | Mapping[bytes, bytes] | None) -> tuple[bytes, ...] | None:
    """*env* as ``NAME=value`` bytes (None: this process's environment, read by the child)."""
    if env is None:
        return None
    if not isinstance(env, Mapping):
        raise TypeError(f"env must be a mapping of names to values or None, not {type(env).__name__}")
    items: list[bytes] = []
    for name, value in env.items():
        key = os.fsencode(name)
        if not key or b"=" in key:
            raise ValueError(f"illegal environment variable name {name!r}")
        items.append(key + b"=" + os.fsencode(value))
    return tuple(items)


def _executables(program: bytes, env: Mapping[str, str] | Mapping[bytes, bytes] | None) -> tuple[bytes, ...]:
    """The paths the child tries in turn: *program* itself if it has a slash, else each ``PATH`` entry's.

    ``PATH`` is *env*'s when given, else this process's (as
    ``subprocess.Popen`` does); no call is made, the child tries them.
    """
    if b"/" in program:
        return (program,)
    return tuple(os.path.join(os.fsencode(d), program) for d in os.get_exec_path(env))  # type: ignore[arg-type]


def _spawn_child(
    started: list[int],
    argv: Sequence[_Arg],
    *,
    env: Mapping[str, str] | Mapping[bytes, bytes] | None = None,
    cwd: _Arg | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
    pass_fds: Iterable[int] = (),
    user: _Id | None = None,
    group: _Id | None = None,
    extra_groups: Iterable[_Id] | None = None,
    umask: int | None = None,
    rlimits: Mapping[int, tuple[int, int]] | None = None,
    start_new_session: bool = False,
    process_group: int | None = None,
) -> int:
    """The spawn engine: start *argv* with descriptor numbers as streams; return the pid.

    ``[pid, pidfd]`` land in *started* inside the core's call, before any
    Python code runs (:func:`_keep_all`), so a caller's ``except`` always
    sees the child and its pidfd (``-errno`` when the core opened none:
    -ESRCH for a child already reaped elsewhere, -ENOSYS on macOS).  Streams are numbers or None (inherit); *pass_fds* numbers keep
    their number and become inheritable in the child; nothing else is
    inherited.  The compiled core makes a fixed number of system calls in
    the parent whatever the number of open descriptors (Linux: vfork and
    close_range in the child; macOS: posix_spawn with
    ``POSIX_SPAWN_CLOEXEC_DEFAULT``), see ``_core_spawn.c``.  In the child,
    in this order: session or group, streams, descriptors, *cwd*, *umask*,
    *rlimits* (``{RLIMIT_*: (soft, hard)}``), *extra_groups*, *group*,
    *user*, then exec with an empty signal mask and ``SIGPIPE``/``SIGXFSZ``
    at their defaults.

    Raises:
        FileNotFoundError/PermissionError/OSError: the program could not be
            started, or a step in the child failed (the message names it); the child is reaped.
        ValueError: a descriptor both in *pass_fds* and the target of another
            stream, bad ids, both *start_new_session* and *process_group*, an
            illegal environment name.  KeyError: an unknown user or group name.
    """
    args = tuple(map(os.fsencode, argv))
    if not args:
        raise ValueError("argv must not be empty")
    if start_new_session and process_group is not None:
        raise ValueError("start_new_session and process_group exclude each other (a session leader leads its group)")
    streams = tuple(-1 if s is None else s for s in (stdin, stdout, stderr))
    keep = tuple(sorted(set(pass_fds)))
    for fd in keep:
        if fd < 3 and streams[fd] not in (-1, fd):
            raise ValueError(f"descriptor {fd} is both in pass_fds and the target of a stream")
    limits: list[tuple[int, int, int]] = []
    for resource, (soft, hard) in (rlimits or {}).items():
        limits.append((operator.index(resource), _to_rlim(operator.index(soft)), _to_rlim(operator.index(hard))))
    if umask is not None and not 0 <= umask <= 0o777:
        raise ValueError(f"invalid umask {umask:#o}")
    envp = _environment(env)
    try:
        _keep_all(
            started, core.spawn, _executables(args[0], env), args, envp, None if cwd is None else os.fsencode(cwd),
            *streams, keep, start_new_session, -1 if process_group is None else process_group,
            -1 if umask is None else umask, -1 if user is None else _uid_of(user),
            -1 if group is None else _gid_of(group),
            None if extra_groups is None else tuple(map(_gid_of, extra_groups)), tuple(limits),
        )  # fmt: skip
    except OSError as e:
        if isinstance(e.filename, bytes):  # the program or cwd as the caller spelled it
            e.filename = os.fsdecode(e.filename)
        raise
    return started[0]
