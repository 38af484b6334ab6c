"""Inspect any process by pid, the way psutil does: name, cmdline, memory, CPU times, descriptors.

:class:`ProcessInfo` names one process by its pid *and* its identity, the
start time captured when the object was made.  Every call reads the live
figures (Linux: the files of ``/proc/PID``, each once, with ``os.open`` and
``os.read``; macOS: ``proc_pidinfo``, ``proc_pidpath``, ``proc_listpids``
and ``sysctl(KERN_PROCARGS2)``) and checks the identity in the same read or
right after it, so a pid that was reused by another process is reported as
:class:`ProcessLookupError`, never as the old process.  It holds no OS
resource: it needs no closing, and two objects naming the same process are
equal.

Errors: :class:`ProcessLookupError` when the process is gone (or its pid
names another process), :class:`PermissionError` when the system refuses
to show it; both name the pid.  :func:`process_iter` yields every process,
skipping those that end while it runs.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import operator
import typing
from collections.abc import Iterator
from typing import Final

import attrs

from . import raw
from ._handle import HasFileno
from .raw import _snapshot

_abi = raw.ABI
_proc_identity: Final = _abi.proc_identity
_proc_memory: Final = _abi.proc_memory
_proc_cpu_times: Final = _abi.proc_cpu_times
_proc_cmdline: Final = _abi.proc_cmdline
_proc_name: Final = _abi.proc_name

__all__ = [
    "CpuTimes", "DescriptorKind", "Ids", "MemoryInfo", "OpenDescriptor", "ProcessInfo", "ProcessStatus",
    "ThreadTimes", "process_iter",
]  # fmt: skip


class ProcessStatus(str, enum.Enum):
    """A process's scheduler state, named as psutil names it."""

    RUNNING = "running"
    SLEEPING = "sleeping"
    DISK_SLEEP = "disk-sleep"
    STOPPED = "stopped"
    TRACING_STOP = "tracing-stop"
    ZOMBIE = "zombie"
    DEAD = "dead"
    WAKE_KILL = "wake-kill"
    WAKING = "waking"
    IDLE = "idle"
    PARKED = "parked"


class DescriptorKind(str, enum.Enum):
    """What an open descriptor refers to."""

    FILE = "file"
    DIRECTORY = "directory"
    CHARACTER_DEVICE = "character-device"
    BLOCK_DEVICE = "block-device"
    SYMLINK = "symlink"
    PIPE = "pipe"
    SOCKET = "socket"
    #: A kernel event object: epoll, eventfd, timerfd, signalfd, inotify, pidfd (Linux); kqueue, fsevents (macOS).
    EVENT = "event"
    #: POSIX shared memory (macOS ``shm_open``).
    SHARED_MEMORY = "shared-memory"
    #: POSIX semaphore (macOS ``sem_open``).
    SEMAPHORE = "semaphore"
    OTHER = "other"


@typing.final
@attrs.frozen
class CpuTimes:
    """CPU time a process used, in seconds: its own and that of its reaped children."""

    user: float
    system: float
    children_user: float
    children_system: float


@typing.final
@attrs.frozen
class MemoryInfo:
    """Memory of a process in bytes: resident set size and virtual size."""

    rss: int
    vms: int


@typing.final
@attrs.frozen
class Ids:
    """The real, effective and saved user (or group) ids of a process."""

    real: int
    effective: int
    saved: int


@typing.final
@attrs.frozen
class ThreadTimes:
    """One thread: its id and the CPU time it used, in seconds."""

    id: int
    user: float
    system: float


@typing.final
@attrs.frozen
class OpenDescriptor:
    """One open descriptor of a process: its number, its kind, and its path when it was opened by path."""

    fd: int
    kind: DescriptorKind
    path: str | None


def _kind(name: str) -> DescriptorKind:
    try:
        return DescriptorKind(name)
    except ValueError:
        return DescriptorKind.OTHER


def _status(name: str) -> ProcessStatus | str:
    try:
        return ProcessStatus(name)
    except ValueError:  # a state this table does not know: the kernel's letter
        return name


@typing.final
@attrs.frozen(init=False)
class ProcessInfo:
    """Live figures of one process, named by pid and start time (its identity).

    Every method reads the figure now; none caches, except inside a
    :meth:`oneshot` block.  Each raises
    :class:`ProcessLookupError` when the process is gone or its pid now names
    another process, and :class:`PermissionError` when the system refuses.
    """

    #: The process id.
    pid: int
    #: The process's start time in the platform's units (Linux: clock ticks since boot; macOS:
    #: microseconds since the epoch): what tells it from a later process given the same pid.
    identity: int

    def __init__(self, pid: int, identity: int | None = None) -> None:
        """Name process *pid*; its identity is read now (``/proc/PID/stat``, ``proc_pidinfo``) unless given.

        A given *identity* (another object's :attr:`identity`) is not read
        but checked by every call: when *pid* now names another process,
        the calls raise :class:`ProcessLookupError`.

        Raises:
            ProcessLookupError: no process has that pid.  ValueError: *pid* is negative.
        """
        pid = operator.index(pid)
        if pid < 0:
            raise ValueError(f"a pid is a non-negative int, not {pid}")
        self.__attrs_init__(pid, _proc_identity(pid) if identity is None else operator.index(identity))

    @classmethod
    def from_pidfd(cls, pidfd: int | HasFileno) -> ProcessInfo:
        """Name the process a Linux pidfd names, exactly: its start time is read while the pidfd shows it alive.

        The pidfd is only read (``/proc/self/fdinfo``), not kept: the caller
        keeps it open for the duration of this call.

        Raises:
            ProcessLookupError: the process was reaped.  ValueError: not a pidfd.
            OSError: ENOSYS on macOS (no pidfds); EBADF for a closed descriptor.
        """
        pid, ident = _abi.proc_pidfd_identity(pidfd if isinstance(pidfd, int) else pidfd.fileno())
        return cls(pid, ident)

    def oneshot(self) -> contextlib.AbstractContextManager[None]:
        """A block in which each figure source of each process is read at most once, as psutil's ``oneshot``.

        ``with info.oneshot(): info.name(); info.cpu_times(); info.memory()``
        reads ``/proc/PID/stat`` once instead of three times (macOS:
        ``proc_pidinfo`` once per flavor), and the identity check with it;
        the figures are those of the first read, so calls inside the block
        agree with one another (``is_running()`` included).  The block
        covers every :class:`ProcessInfo` (and :func:`process_iter`) in this
        thread or task, not only this one; blocks nest.
        """
        return _snapshot.snapshot()

    def name(self) -> str:
        """The command name (Linux: ``comm``, extended from argv[0] where the kernel cut it; macOS: ``pbi_name``)."""
        return _proc_name(self.pid, self.identity)

    def exe(self) -> str | None:
        """The path of the executable (``/proc/PID/exe``, ``proc_pidpath``); None when there is none (kernel threads, zombies)."""
        return _abi.proc_exe(self.pid, self.identity)

    def cmdline(self) -> list[str]:
        """The arguments (``/proc/PID/cmdline``, ``sysctl(KERN_PROCARGS2)``); empty for zombies and kernel threads."""
        return _proc_cmdline(self.pid, self.identity)

    def environ(self) -> dict[str, str]:
        """The environment the process started with (``/proc/PID/environ``, ``sysctl(KERN_PROCARGS2)``); empty for zombies, as :meth:`cmdline`."""
        return _abi.proc_environ(self.pid, self.identity)

    def cwd(self) -> str | None:
        """The working directory (``/proc/PID/cwd``, ``proc_pidinfo(PROC_PIDVNODEPATHINFO)``); None when unknown (zombies)."""
        return _abi.proc_cwd(self.pid, self.identity)

    def status(self) -> ProcessStatus | str:
        """The scheduler state (``/proc/PID/stat`` field 3, ``pbi_status``); a state not in :class:`ProcessStatus` comes as the kernel's letter."""
        return _status(_abi.proc_status(self.pid, self.identity))

    def ppid(self) -> int:
        """The parent's pid (``/proc/PID/stat`` field 4, ``pbi_ppid``)."""
        return _abi.proc_ppid(self.pid, self.identity)

    def uids(self) -> Ids:
        """Real, effective and saved user ids (``/proc/PID/status``, ``pbi_ruid``/``pbi_uid``/``pbi_svuid``)."""
        return Ids(*_abi.proc_ids(self.pid, self.identity)[0])

    def gids(self) -> Ids:
        """Real, effective and saved group ids (``/proc/PID/status``, ``pbi_rgid``/``pbi_gid``/``pbi_svgid``)."""
        return Ids(*_abi.proc_ids(self.pid, self.identity)[1])

    def num_threads(self) -> int:
        """The number of threads (``/proc/PID/stat`` field 20, ``pti_threadnum``)."""
        return _abi.proc_num_threads(self.pid, self.identity)

    def threads(self) -> list[ThreadTimes]:
        """Every thread with its CPU times (``/proc/PID/task/TID/stat``, ``PROC_PIDLISTTHREADS``/``PROC_PIDTHREADINFO``)."""
        return [ThreadTimes(*t) for t in _abi.proc_threads(self.pid, self.identity)]

    def create_time(self) -> float:
        """When the process started, in seconds since the epoch (from :attr:`identity`; Linux adds the boot time)."""
        return _abi.proc_create_time(self.pid, self.identity)

    def cpu_times(self) -> CpuTimes:
        """CPU seconds used so far (``/proc/PID/stat`` fields 14-17, ``proc_pidinfo(PROC_PIDTASKALLINFO)``)."""
        return CpuTimes(*_proc_cpu_times(self.pid, self.identity))

    def memory(self) -> MemoryInfo:
        """Resident and virtual size in bytes (``/proc/PID/statm``, ``pti_resident_size``/``pti_virtual_size``)."""
        rss, vms = _proc_memory(self.pid, self.identity)
        return MemoryInfo(rss, vms)

    def num_fds(self) -> int:
        """The number of open descriptors (``/proc/PID/fd``, ``proc_pidinfo(PROC_PIDLISTFDS)``)."""
        return _abi.proc_num_fds(self.pid, self.identity)

    def open_descriptors(self) -> list[OpenDescriptor]:
        """Every open descriptor with its kind and, when opened by path, its path (``/proc/PID/fd``, ``proc_pidfdinfo``)."""
        return [OpenDescriptor(fd, _kind(kind), path) for fd, kind, path in _abi.proc_fds(self.pid, self.identity)]

    def children(self, *, recursive: bool = False) -> list[ProcessInfo]:
        """The processes whose parent this one is, or with *recursive* all its descendants (parents before children).

        Direct children: a scan of every process's parent (``proc_listpids(PROC_PPID_ONLY)`` on macOS).
        Descendants: one scan of every process's parent and start time; a
        process older than its listed parent is left out (it was the child of
        an earlier process with that pid).
        """
        if not recursive:
            return [ProcessInfo(pid, ident) for pid, ident in _abi.proc_children(self.pid, self.identity)]
        by_parent: dict[int, list[tuple[int, int]]] = {}
        for pid, parent, ident in _abi.proc_table():
            by_parent.setdefault(parent, []).append((pid, ident))
        found: list[ProcessInfo] = []
        todo = [(self.pid, self.identity)]
        while todo:
            parent, parent_ident = todo.pop(0)
            for pid, ident in by_parent.get(parent, ()):
                if ident >= parent_ident and pid != parent:
                    found.append(ProcessInfo(pid, ident))
                    todo.append((pid, ident))
        if not self.is_running():
            raise ProcessLookupError(errno.ESRCH, f"process {self.pid} is gone")
        return found

    def is_running(self) -> bool:
        """Whether the process is still there under this pid (False once it is gone or its pid was reused)."""
        try:
            return _proc_identity(self.pid) == self.identity
        except ProcessLookupError:
            return False


def process_iter() -> Iterator[ProcessInfo]:
    """Yield a :class:`ProcessInfo` for every process (``/proc``, ``proc_listpids``), skipping those that end meanwhile."""
    for pid in _abi.proc_pids():
        try:
            ident = _proc_identity(pid)
        except (ProcessLookupError, PermissionError):
            continue
        yield ProcessInfo(pid, ident)
