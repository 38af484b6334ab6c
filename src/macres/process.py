"""Processes: the current one, others by pid, and spawned children that cannot become zombies.

:class:`Process` is one of three things:

* ``Process.current()``: the calling process (``RUSAGE_SELF``, credentials,
  rlimits through ``getrlimit``/``setrlimit``).
* ``Process(pid)``: a handle to an existing process, which it does not own.
* ``Process.spawn(argv, ...)``: a child this object owns.  ``with`` (or
  :meth:`Process.close`) ends it: a child still running gets ``SIGTERM``,
  then ``SIGKILL`` after a grace period, and is reaped, so no zombie
  survives, also when the block raises.  A handle collected unclosed kills
  and reaps its child with a ``ResourceWarning``.

PID reuse.  A pid is only a number: once a process is reaped, the kernel may
give its pid to a new process, and ``kill(pid)`` would signal a stranger.

* Linux: the handle holds a pidfd (``pidfd_open(2)``), opened at
  construction, and signals go through ``pidfd_send_signal(2)``.  A pidfd
  names one process for ever: signalling it after that process is gone
  raises :class:`ProcessLookupError`, never reaching a process that reused
  the pid.  The pidfd is this object's :class:`~macres._handle.Handle`:
  :meth:`close` releases it.  Waiting with a timeout polls the pidfd, which
  becomes readable when the process exits.
* macOS has no pidfd.  An owned child cannot be reused while it is
  unreaped, and this object refuses to signal it once it reaped it
  (:class:`ProcessLookupError`); signalling and reaping are serialised by a
  lock.  Waiting with a timeout uses kqueue ``EVFILT_PROC``/``NOTE_EXIT``.
  For ``Process(pid)`` handles to processes that are *not* our children
  there is no guarantee on macOS: the pid may be reused between exit and
  signal.
* For ``Process(pid)`` handles on Linux, the guarantee starts when the
  handle is made: if *pid* was already reused before ``Process(pid)``, the
  handle names the new process.  Queries that take a pid (``pgid``,
  ``sid``, priorities, ``prlimit``) first probe the pidfd, so they raise
  :class:`ProcessLookupError` once the original process is gone; the window
  between probe and query remains.

Errors: :class:`ProcessLookupError` for gone (or reaped) processes,
:class:`PermissionError` for others' processes, :class:`ChildProcessError`
when waiting on a process that is not our child, :class:`ValueError` for
invalid signals or priorities, :class:`~macres.ClosedResourceError` after
:meth:`Process.close`.
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
import sys
import threading
import time
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import starmap
from typing import Any, ClassVar, Final, TypeVar, Union

import attrs
from typing import TypeAlias

from . import raw
from ._backend import core
from ._errors import UnsupportedOperation
from ._handle import FdHandle, HasFileno, fileno_of

__all__ = ["RLIM_INFINITY", "ExitStatus", "Process", "ResourceUsage"]

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
_kq: Any = select if hasattr(select, "kqueue") else None

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


#: An object's in-flight protocol, called from C (no bytecode between the call and its bookkeeping).
_ENTER: Final = operator.methodcaller("_enter")
_EXIT: Final = operator.methodcaller("_exit")


#: A standard stream of a spawned child: inherit (None), a descriptor, or an object with fileno().
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


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Process(core.ProcessBase):
    """A process: the current one, a handle to one by pid, or a child this object owns.

    See the module documentation for the PID-reuse guarantees.  ``kill``
    and ``rusage`` come from the core.
    """

    _owned: bool = False
    #: The pid of the process that spawned the child: a forked copy of this
    #: object does not own the child and must not stop or reap it.
    _owner: int = 0
    #: Seconds between SIGTERM and SIGKILL in close(); None waits for ever.
    _grace: float | None = 5.0
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    _kind: ClassVar[str] = "process"
    #: "No limit" for :meth:`rlimit` and :meth:`set_rlimit`.
    RLIM_INFINITY: ClassVar[int] = RLIM_INFINITY

    def __init__(self, pid: int) -> None:
        """Make a handle to the existing process *pid*; it does not own the process.

        On Linux a pidfd is opened now, so the handle names this process
        and no later one with the same pid.  ``close()`` releases the pidfd
        and never signals the process.

        Raises:
            ProcessLookupError: no process has that pid.
            ValueError: *pid* <= 0 (those name process groups).  OverflowError: *pid* too large.
        """
        pid = _check_pid(pid)
        self._fields(owned=False, grace=5.0)
        self._own(pid, current=pid == _own_pid[0])

    def _fields(self, *, owned: bool, grace: float | None) -> None:
        self._owned = owned
        self._owner = _own_pid[0] if owned else 0
        self._grace = grace
        self._lock = threading.Lock()

    def _own(self, pid: int, *, current: bool) -> None:
        """Take *pid* as this object's process: open its pidfd (Linux) and adopt it.

        The pidfd is owned inside the C call that opens it
        (:meth:`~macres._handle.Handle._acquire`), so an exception raised by
        a signal handler finds it owned by this object (closed by the caller
        or the finalizer) or not opened at all: never a bare number.
        """
        if not current and _pidfd_open is not None:
            self._configure(pid, current, True)
            try:
                self._acquire(_pidfd_open, pid)
                return
            except OSError as e:
                if e.errno != errno.ENOSYS:  # a kernel without pidfds keeps the pid
                    raise
        self._configure(pid, current, False)
        self._adopt(pid)

    # -- construction -------------------------------------------------------
    @classmethod
    def current(cls) -> Process:
        """The calling process.  Holds no OS resource, never warns, and follows a fork (``pid`` is the child's there)."""
        self = cls.__new__(cls)
        self._fields(owned=False, grace=5.0)
        self._own(_own_pid[0], current=True)
        return self

    @classmethod
    def spawn(
        cls,
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
    ) -> Process:
        """Start ``argv`` (``argv[0]`` looked up in ``PATH``) as a child this object owns.

        The parent makes a fixed number of system calls whatever the number
        of descriptors it has open (Linux: ``vfork``, the child marks every
        descriptor close-on-exec with ``close_range``; macOS:
        ``posix_spawn`` with ``POSIX_SPAWN_CLOEXEC_DEFAULT``), safe in a
        threaded interpreter (no Python code runs in the child).
        Only the standard streams and *pass_fds* are inherited: each stream
        is None (inherit this process's), a descriptor or an object with
        ``fileno()`` such as a :class:`~macres.FileDescriptor`; each of
        *pass_fds* (numbers or such objects) keeps its number in the child
        and is inheritable there even if it is close-on-exec here; every
        other descriptor is closed in the child, also one another thread
        opens meanwhile.  A macres
        object given as a stream or in *pass_fds* is held open through its
        in-flight protocol until the child has its copy: a ``close()`` in
        another thread meanwhile takes effect after the spawn, so its number
        cannot be reused by another file the child would then receive.
        *env* replaces the environment (a mapping; default: this
        process's); ``argv[0]`` is looked up in its ``PATH`` (else this
        process's), as ``subprocess`` does.  *start_new_session* (or
        *new_session*) runs ``setsid``; *process_group* puts the child in
        that group (0: a new group led by the child).  *cwd*, *umask*,
        *rlimits* (``{RLIMIT_NOFILE: (soft, hard)}``), *extra_groups*,
        *group* and *user* (ids or names) are set in the child, in that
        order, before exec.  The child starts with an empty signal mask and
        ``SIGPIPE``/``SIGXFSZ`` at their defaults (Python ignores them).

        *grace* is how long :meth:`close` waits after ``SIGTERM`` before
        ``SIGKILL`` (None or ``inf``: wait for ever).

        An exception raised meanwhile by a signal handler (KeyboardInterrupt)
        leaves no child behind: a child already started is killed and
        reaped before it propagates.

        Raises:
            FileNotFoundError/PermissionError/OSError: the program could not be
                started, or a step before exec failed (chdir, setuid, ...: the message
                names it); the failed child is reaped.
            TypeError: *argv* is a string, *env* not a mapping, *grace* not a number.
            KeyError: an unknown user or group name.
            ValueError: empty *argv*, both *new_session* and *process_group*, a
                descriptor that is both a stream target and in *pass_fds*, a
                negative descriptor, a NaN *grace*.
            ClosedResourceError: a macres object given as a stream or in *pass_fds* is closed.
            OSError: EBADF for a stream or pass_fd that is not open (from the child).
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
        lent = [s for s in (stdin, stdout, stderr, *keep_list) if isinstance(s, FdHandle)]
        self = cls.__new__(cls)
        self._fields(owned=True, grace=grace)
        entered: list[int] = []
        started: list[int] = []
        # The finally's exits, built before anything is entered: there they
        # run in one C call, with no bytecode before the first _exit.
        exiting = map(_EXIT, map(operator.itemgetter(0), zip(lent, entered, strict=False)))
        try:
            entered.extend(map(_ENTER, lent))  # entered[i] is lent[i]'s number, held until the finally
            borrowed = {id(h): fd for h, fd in zip(lent, entered, strict=True)}
            streams = [None if s is None else _fd_number(s, name, borrowed)
                       for s, name in ((stdin, "stdin"), (stdout, "stdout"), (stderr, "stderr"))]  # fmt: skip
            keep = sorted({_fd_number(fd, "pass_fds", borrowed) for fd in keep_list})
            _spawn_child(started, args, env=env, cwd=cwd, stdin=streams[0], stdout=streams[1], stderr=streams[2],
                         pass_fds=keep, user=user, group=group, extra_groups=extra_groups, umask=umask,
                         rlimits=rlimits, start_new_session=new_session, process_group=process_group)  # fmt: skip
            self._own(started[0], current=False)
        except BaseException:
            if started:
                self._abandon(started[0])
            raise
        finally:
            collections.deque(exiting, maxlen=0)
        return self

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
        """The release's first step (the core closes the pidfd after it): an owned child still unreaped is killed and reaped.

        Also runs late in interpreter shutdown (a Process still open in a
        reference cycle at exit), when the module's globals are gone: what
        it uses is bound as a default or reached through self, as in the
        stdlib's ``socket._real_close`` (and in :meth:`_kill_and_reap`).
        """
        if self._owned and self._status is None and self._owner == _own_pid[0]:
            self._kill_and_reap(handle)

    def close(self) -> None:
        """Release the handle.  An owned child still running gets SIGTERM, SIGKILL after the grace period, and is reaped.

        After this, every operation raises :class:`~macres.ClosedResourceError`
        (``pid``, ``status`` and a reaped child's ``rusage()`` stay readable).
        A child reaped behind this object's back (``os.waitpid(-1)``,
        ``SIGCHLD`` ignored) is not an error here.  In a forked copy of the
        spawning process, close only releases the copy's pidfd: the child
        belongs to the process that spawned it.  ``detach()`` instead
        hands out the pidfd (the pid on macOS) and with it the duty to reap.
        An exception raised by a signal handler during the grace period
        propagates once the child is killed and reaped.

        Raises:
            OSError: releasing the pidfd failed (it is gone anyway).
        """
        try:
            if not self.closed and self._owned and self._status is None and self._owner == _own_pid[0]:
                try:
                    self.stop()
                except ChildProcessError:  # reaped behind our back (waitpid(-1), SIGCHLD ignored)
                    pass
        finally:
            super().close()

    def stop(self, grace: float | None = None) -> ExitStatus:
        """End a child: SIGTERM, wait up to *grace* seconds, then SIGKILL; reap it.

        Returns its exit status (at once if it had already ended).  *grace*
        defaults to the value given to :meth:`spawn` (``inf``: wait for
        ever).  If the wait is interrupted (KeyboardInterrupt), the child is
        killed and reaped before the exception propagates.

        Raises:
            ChildProcessError: not our child (nothing is signalled).
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
                self._send(handle, _signal.SIGTERM)
                self._send(handle, _signal.SIGCONT)  # a stopped child handles SIGTERM only once resumed
            except ProcessLookupError:
                pass
            return self._wait(handle, grace, False)
        except TimeoutError:
            pass
        except BaseException:
            self._kill_and_reap(handle)
            raise
        self._kill_and_reap(handle)
        final = self._exit_status
        if final is None:
            raise ChildProcessError(errno.ECHILD, f"process {self._pid} was reaped elsewhere")
        return final

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
        if self._has_pidfd and _pidfd_kill is not None and self._status is None:
            try:
                _pidfd_kill(handle, _sigkill)
            except _gone:
                pass
        with self._lock:
            if self._status is not None:
                return
            try:
                if not self._has_pidfd or _pidfd_kill is None:
                    _kill(self._pid, _sigkill)
            except _gone:
                pass
            try:
                if _finalizing():  # interpreter shutdown: no one reads the status, and os.wait4's rusage needs an import
                    _waitpid(self._pid, 0)
                    return
                self._wait4(0)  # records the status and usage
            except _gone:  # reaped behind our back: nothing is left
                return

    # -- identity -----------------------------------------------------------
    @property
    def _exit_status(self) -> ExitStatus | None:
        status: int | None = self._status  # the raw wait status the core recorded
        return None if status is None else ExitStatus.from_status(status)

    @property
    def status(self) -> ExitStatus | None:
        """The final :class:`ExitStatus` once this object reaped the process (also after close), else None."""
        return self._exit_status

    def _alive(self, handle: int) -> None:
        """Raise ProcessLookupError if the process this handle names is gone."""
        if self._status is not None:
            raise ProcessLookupError(errno.ESRCH, f"process {self._pid} was reaped")
        if self._has_pidfd and not self._owned and _pidfd_send_signal is not None:
            try:
                _pidfd_send_signal(handle, 0)
            except PermissionError:  # someone else's process: it exists
                pass

    def _queried(self, fn: Callable[..., T], /, *args: Any) -> T:
        """``fn(pid, *args)`` as one registered operation (``_call``), once the process is known to be there.

        *pid* is 0 for the current process (the calls take 0 as "the caller").
        """
        result: T = self._call(self._checked, fn, *args)
        return result

    def _checked(self, handle: int, fn: Callable[..., T], /, *args: Any) -> T:
        self._alive(handle)
        return fn(0 if self._is_current else self._pid, *args)

    @property
    def ppid(self) -> int:
        """The parent's pid.

        Raises:
            ProcessLookupError: gone.  UnsupportedOperation: another process on macOS.
        """
        return self._queried(self._parent)

    def _parent(self, pid: int) -> int:
        if self._is_current:
            return raw.getppid()
        if self._owned:
            return self._owner
        return int(_proc_status(self._pid)["PPid"][0])

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

    # -- signals ------------------------------------------------------------
    def _send(self, handle: int, sig: int) -> None:
        if self._has_pidfd and _pidfd_send_signal is not None:
            if self._status is not None:
                raise ProcessLookupError(errno.ESRCH, f"process {self._pid} was reaped")
            _pidfd_send_signal(handle, sig)
            return
        if self._is_current:  # our own pid cannot be reused while we run
            os.kill(self.pid, sig)  # raw.kill's call; pid (the one after a fork) and sig are already checked
            return
        # No pidfd: reaping takes the same lock, so a reaped child's pid is never signalled.
        with self._lock:
            if self._status is not None:
                raise ProcessLookupError(errno.ESRCH, f"process {self._pid} was reaped")
            raw.kill(self._pid, sig)

    def terminate(self) -> None:
        """Send ``SIGTERM`` (see :meth:`kill`)."""
        self.kill(_signal.SIGTERM)

    def interrupt(self) -> None:
        """Send ``SIGINT`` (see :meth:`kill`)."""
        self.kill(_signal.SIGINT)

    # -- priority -----------------------------------------------------------
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

    # -- resource usage -----------------------------------------------------
    @classmethod
    def children_rusage(cls) -> ResourceUsage:
        """The summed usage of every reaped child of the calling process (``RUSAGE_CHILDREN``)."""
        return ResourceUsage.from_raw(raw.getrusage(raw.ABI.RUSAGE_CHILDREN))

    # -- waiting ------------------------------------------------------------
    def _reap(self, options: int, *, block: bool = True) -> ExitStatus | None:
        """wait4 on the pid under the lock (the core records a final status with the reap).

        ``with`` takes the lock: an exception raised by a signal handler
        cannot come between the acquire and the block that releases it.
        With *block* false and another thread reaping (a blocking
        :meth:`wait`), the status known so far is returned at once.

        Raises:
            ChildProcessError: not our child (the current process is none).
        """
        if self._is_current:
            raise ChildProcessError(errno.ECHILD, "a process cannot wait for itself")
        lock = self._lock
        if not block and lock.locked():
            return self._exit_status
        with lock:
            status = self._wait4(options)
        return None if status is None else ExitStatus.from_status(status)

    def poll(self) -> ExitStatus | None:
        """The exit status if the child has ended (reaping it), else None.  Never blocks.

        Raises:
            ChildProcessError: not our child.  ClosedResourceError: closed.
        """
        return self._call(self._poll)

    def _poll(self, handle: int) -> ExitStatus | None:
        return self._reap(raw.ABI.WNOHANG, block=False)

    def wait(self, timeout: float | None = None, *, untraced: bool = False) -> ExitStatus:
        """Wait for the child to end, reap it and return its :class:`ExitStatus` (via ``wait4``).

        Without *timeout* (None or ``inf``) on Linux this is one blocking
        ``wait4``, as ``subprocess.Popen.wait`` makes.  With *timeout*
        (seconds) it raises :class:`TimeoutError` when the child is still
        running then; the child is not touched.  Those waits poll the pidfd
        on Linux; on macOS every wait uses a kqueue ``EVFILT_PROC`` filter
        (the lock that keeps signals from a reaped pid is not held while
        waiting).  Signals arriving meanwhile run their handlers and the
        wait goes on (PEP 475).  With *untraced* a stop (``stopped``) or a
        resume (``continued``) is reported too; it is not final, and those
        waits poll with short sleeps.

        Raises:
            TimeoutError: *timeout* passed.  ChildProcessError: not our child.
            ClosedResourceError: closed.  TypeError: *timeout* not a number.
            ValueError: *timeout* is NaN.
        """
        return self._call(self._wait, _check_seconds(timeout, "timeout"), untraced)

    def _wait(self, handle: int, timeout: float | None, untraced: bool) -> ExitStatus:
        if timeout is None and not untraced and self._has_pidfd:
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
        status = self._reap(options, block=False)  # ECHILD at once for a non-child
        notify = not untraced and (self._has_pidfd or _kq is not None)
        delay = 0.001
        while status is None:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if notify:
                if not self._wait_exit(handle, remaining):
                    raise TimeoutError(f"process {self._pid} still runs after {timeout} s")
                status = self._reap(options)  # it has ended: a blocking waiter holding the lock returns at once
                continue
            if remaining == 0.0:
                raise TimeoutError(f"process {self._pid} still runs after {timeout} s")
            time.sleep(delay if remaining is None else min(delay, remaining))
            delay = min(delay * 2, 0.05)
            status = self._reap(options, block=False)
        return status

    def _wait_exit(self, handle: int, timeout: float | None) -> bool:
        """Block until the process exits or *timeout* passes; True if it exited."""
        if self._has_pidfd:
            poller = select.poll()
            poller.register(handle, select.POLLIN)
            ms = None if timeout is None else min(math.ceil(timeout * 1000), _POLL_MAX_MS)
            return bool(poller.poll(ms))
        queues: list[Any] = []
        try:
            kq = _keep(queues, _kq.kqueue)
            event = _kq.kevent(
                self._pid,
                filter=_kq.KQ_FILTER_PROC,
                flags=_kq.KQ_EV_ADD | _kq.KQ_EV_ONESHOT,
                fflags=_kq.KQ_NOTE_EXIT,
            )
            try:
                return bool(kq.control([event], 1, timeout))
            except ProcessLookupError:  # already exited: nothing left to watch
                return True
        finally:
            if queues:
                queues[0].close()

    # -- limits -------------------------------------------------------------
    def rlimit(self, resource: int) -> tuple[int, int]:
        """``(soft, hard)`` limit of *resource* (``RLIMIT_*``); :data:`RLIM_INFINITY` means none.

        The current process uses ``getrlimit``; another process ``prlimit``
        (Linux).

        Raises:
            UnsupportedOperation: another process where there is no prlimit (macOS).
            ProcessLookupError: gone.  OSError: EINVAL for an unknown resource.
        """
        return self._queried(self._get_rlimit, resource)

    def _get_rlimit(self, pid: int, resource: int) -> tuple[int, int]:
        if self._is_current:
            lim = raw.getrlimit(resource)
            return lim.rlim_cur, lim.rlim_max
        if _prlimit is None:
            raise UnsupportedOperation("prlimit", raw.SYSTEM)
        soft, hard = _prlimit(pid, resource)
        return _to_rlim(soft), _to_rlim(hard)

    def set_rlimit(self, resource: int, soft: int, hard: int) -> None:
        """Set the limits of *resource*; raising *hard* needs privileges.

        Raises:
            UnsupportedOperation: another process where there is no prlimit (macOS).
            PermissionError: raising the hard limit.  OSError: EINVAL (soft above hard).
            ProcessLookupError: gone.
        """
        self._queried(self._put_rlimit, resource, soft, hard)

    def _put_rlimit(self, pid: int, resource: int, soft: int, hard: int) -> None:
        if self._is_current:
            raw.setrlimit(resource, raw.Rlimit(soft, hard))
            return
        if _prlimit is None:
            raise UnsupportedOperation("prlimit", raw.SYSTEM)
        _prlimit(pid, resource, (_from_rlim(soft), _from_rlim(hard)))

    # -- credentials --------------------------------------------------------
    def _ids(self, key: str, index: int) -> int:
        return int(self._queried(_proc_status)[key][index])

    @property
    def uid(self) -> int:
        """The real user id (another process: Linux only, from /proc)."""
        return raw.getuid() if self._is_current else self._ids("Uid", 0)

    @property
    def euid(self) -> int:
        """The effective user id (another process: Linux only, from /proc)."""
        return raw.geteuid() if self._is_current else self._ids("Uid", 1)

    @property
    def gid(self) -> int:
        """The real group id (another process: Linux only, from /proc)."""
        return raw.getgid() if self._is_current else self._ids("Gid", 0)

    @property
    def egid(self) -> int:
        """The effective group id (another process: Linux only, from /proc)."""
        return raw.getegid() if self._is_current else self._ids("Gid", 1)

    @property
    def groups(self) -> list[int]:
        """The supplementary group ids (another process: Linux only, from /proc)."""
        if self._is_current:
            return raw.getgroups()
        return [int(g) for g in self._queried(_proc_status).get("Groups", [])]

    def drop_privileges(self, uid: int, gid: int, groups: Iterable[int] = ()) -> None:
        """Permanently become *uid*/*gid* with supplementary *groups*: the current process only.

        Calls ``setgroups``, ``setgid``, ``setuid`` in that order (after
        ``setuid`` the others would be refused), then verifies real and
        effective ids and the groups, and that root cannot be regained.
        Applies to every thread.

        Raises:
            OSError: a step failed (PermissionError when not privileged); the
                process may be left partly changed, so treat this as fatal.
            RuntimeError: the result differs from what was asked.
            ValueError: not the current process.
        """
        if not self._is_current:
            raise ValueError("drop_privileges changes the calling process only")
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
        if self.closed:
            state = "closed"
        elif (status := self._exit_status) is not None:
            state = f"returncode={status.returncode}"
        elif self._is_current:
            state = "current"
        else:
            state = "owned" if self._owned else "handle"
        return f"<macres.Process pid={self.pid} {state}>"


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
    """The spawn engine: start *argv* with descriptor numbers as streams; return the pid (also left in *started*).

    The pid lands in *started* inside the core's call, before any Python
    code runs (:func:`_keep`), so a caller's ``except`` always sees the
    child.  Streams are numbers or None (inherit); *pass_fds* numbers keep
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
        return _keep(
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
