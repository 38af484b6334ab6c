"""Bindings of the process area: wait4, kill, fork, execve, exit, priorities, rlimits, rusage, sessions.

pid arguments are C ``pid_t`` (32-bit signed) and are range-checked, so a
pid ctypes would truncate never reaches ``kill``.  ``fork`` is CPython's
``os.fork``: the same ``fork(2)``, made while holding the interpreter lock
(see its docstring for why a ctypes fork would be unsafe).
"""

from __future__ import annotations

import ctypes
import os
import resource
from collections.abc import Sequence
from ctypes import byref, c_char_p, c_int, c_long, c_uint, c_void_p
from operator import index
from typing import Final, NoReturn, Union

from typing_extensions import Buffer
from typing import TypeAlias

from . import _args
from ._errcheck import check_errno, check_int
from ._libc import function
from ._platform import SYSTEM, abi
from ._registry import compiled, stdlib
from ._types import Rlimit, Rusage, rusage_of

__all__ = [
    "execve", "exit", "fork", "getdtablesize", "getpgid", "getpgrp", "getpid",
    "getppid", "getpriority", "getrlimit", "getrusage", "getsid", "kill",
    "ptrace", "setpgid", "setpriority", "setprivexec", "setrlimit", "setsid",
    "umask", "wait4",
]  # fmt: skip

#: One argument or environment string of :func:`execve`.
ExecArg: TypeAlias = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

_pid_t = c_int
# CPython's fork, bound once: a module-level call site (macres.testing.faults arms it).
_os_fork = os.fork
_wait4 = function("wait4", _pid_t, (_pid_t, c_void_p, c_int, c_void_p), check_int)
_kill = function("kill", c_int, (_pid_t, c_int), check_int)
_getdtablesize = function("getdtablesize", c_int, (), None)
_getpgid = function("getpgid", _pid_t, (_pid_t,), check_int)
_getpgrp = function("getpgrp", _pid_t, (), None)
_getpriority = function("getpriority", c_int, (c_int, c_uint), check_errno)
_setpriority = function("setpriority", c_int, (c_int, c_uint, c_int), check_int)
_getrlimit = function("getrlimit", c_int, (c_int, c_void_p), check_int)
_setrlimit = function("setrlimit", c_int, (c_int, c_void_p), check_int)
_getrusage = function("getrusage", c_int, (c_int, c_void_p), check_int)
_getsid = function("getsid", _pid_t, (_pid_t,), check_int)
_setpgid = function("setpgid", c_int, (_pid_t, _pid_t), check_int)
_setprivexec = function("setprivexec", c_int, (c_int,), check_int)
_setsid = function("setsid", _pid_t, (), check_int)
_umask = function("umask", abi.MODE_T, (abi.MODE_T,), None)
_execve = function("execve", c_int, (c_char_p, c_void_p, c_void_p), lambda f: check_int(f, paths=(0,)))
_exit = function("exit", None, (c_int,), None)
if SYSTEM == "linux":
    # glibc: long ptrace(enum __ptrace_request, pid_t, void *addr, void *data);
    # PEEK requests return the word read, so -1 is a valid result.
    _ptrace = function("ptrace", c_long, (c_int, _pid_t, c_void_p, c_void_p), check_errno)
    _PTRACE_DATA_MIN, _PTRACE_DATA_MAX, _PTRACE_DATA_MASK = _args.LONG_MIN, _args.ULONG_MAX, _args.ULONG_MAX
else:
    # darwin: int ptrace(int request, pid_t pid, caddr_t addr, int data);
    _ptrace = function("ptrace", c_int, (c_int, _pid_t, c_void_p, c_int), check_errno)
    _PTRACE_DATA_MIN, _PTRACE_DATA_MAX, _PTRACE_DATA_MASK = _args.INT_MIN, _args.INT_MAX, -1


_os_kill = os.kill
_os_getpid = os.getpid
_os_getppid = os.getppid
_getrusage_c = resource.getrusage
_RUSAGE_SELF: Final = int(abi.RUSAGE_SELF)
_RUSAGE_CHILDREN: Final = int(abi.RUSAGE_CHILDREN)
_INT_MIN: Final = _args.INT_MIN
_INT_MAX: Final = _args.INT_MAX


def _pid(value: int, what: str = "pid") -> int:
    return _args.c_int(value, what)


def wait4(pid: int, options: int) -> tuple[int, int, Rusage]:
    """``wait4(pid, stat_loc, options, rusage)``: wait for a child to change state.

    *pid* is a child's pid, -1 for any child, 0 or ``-pgid`` for a process
    group; *options* are ``WNOHANG``/``WUNTRACED``/``WCONTINUED`` bits.
    Returns ``(pid, status, rusage)``: *status* is the raw wait status
    (decode it with ``os.WIFEXITED`` and friends, or
    ``os.waitstatus_to_exitcode``) and *rusage* the child's resource usage
    (``ru_maxrss`` in the platform's unit).  With ``WNOHANG`` and no child
    ready, returns ``(0, 0, <all-zero Rusage>)``.  EINTR is retried.

    References: ``wait4(2)`` on Linux and macOS.

    Raises:
        ChildProcessError: ECHILD, no such child.
        OSError: EINVAL for bad *options*.  OverflowError: an argument out of range.
    """
    status = c_int(0)
    ru = abi.CRusage()
    got: int = _wait4(_pid(pid), byref(status), _args.c_int(options, "options"), byref(ru))
    return got, status.value, abi.rusage_value(ru)


@compiled
@stdlib("os.kill")
def kill(pid: int, sig: int) -> None:
    """``kill(pid, sig)``: send signal *sig* (0 only probes) to a process or group.

    *pid* > 0 names a process, 0 the caller's group, -1 every process the
    caller may signal, ``-pgid`` a group: the caller chooses, C-faithfully.

    References: ``kill(2)`` on Linux and macOS.

    Raises:
        ProcessLookupError: ESRCH.  PermissionError: EPERM.
        OSError: EINVAL for an invalid signal.  OverflowError: an argument out of range.
    """
    # os.kill range-checks the pid (pid_t) itself but truncates a signal to int.
    if sig.__class__ is not int or not _INT_MIN <= sig <= _INT_MAX:
        sig = _args.c_int(sig, "signal")
    _os_kill(pid, sig)


def getdtablesize() -> int:
    """``getdtablesize()``: the size of the descriptor table (the ``RLIMIT_NOFILE`` soft limit).  Never fails.

    References: ``getdtablesize(2)`` on macOS, ``getdtablesize(3)`` on Linux.
    """
    return _getdtablesize()  # type: ignore[no-any-return]


def getpgid(pid: int) -> int:
    """``getpgid(pid)``: the process group of *pid* (0: the caller).

    References: ``getpgid(2)``.

    Raises:
        ProcessLookupError: ESRCH.  OverflowError: *pid* out of range.
    """
    return _getpgid(_pid(pid))  # type: ignore[no-any-return]


def getpgrp() -> int:
    """``getpgrp()``: the caller's process group.  Never fails.

    References: ``getpgrp(2)``.
    """
    return _getpgrp()  # type: ignore[no-any-return]


@compiled
@stdlib("os.getpid")
def getpid() -> int:
    """``getpid()``: the caller's process id.  Never fails.

    Uses ``os.getpid``: the same call, faster than ctypes.

    References: ``getpid(2)``.
    """
    return _os_getpid()


@stdlib("os.getppid")
def getppid() -> int:
    """``getppid()``: the parent's process id.  Never fails.

    Uses ``os.getppid``: the same call, faster than ctypes.

    References: ``getppid(2)``.
    """
    return _os_getppid()


def getpriority(which: int, who: int) -> int:
    """``getpriority(which, who)``: the nice value (-20..19 on Linux, -20..20 on macOS).

    *which* is ``PRIO_PROCESS``, ``PRIO_PGRP`` or ``PRIO_USER``; *who* 0
    means the caller.  -1 is a valid result: errno is cleared before the
    call and only a set errno counts as failure.

    References: ``getpriority(2)``.

    Raises:
        ProcessLookupError: ESRCH, nothing matched.  OSError: EINVAL for *which*.
        OverflowError: an argument out of range.
    """
    which = _args.c_int(which, "which")
    who = _args.c_uint(who, "who")
    ctypes.set_errno(0)
    return _getpriority(which, who)  # type: ignore[no-any-return]


def setpriority(which: int, who: int, prio: int) -> None:
    """``setpriority(which, who, prio)``: set the nice value; the kernel clamps *prio* to its range.

    Lowering the value (raising priority) needs privileges.

    References: ``setpriority(2)``.

    Raises:
        PermissionError: EACCES/EPERM.  ProcessLookupError: ESRCH.
        OverflowError: an argument out of range.
    """
    _setpriority(_args.c_int(which, "which"), _args.c_uint(who, "who"), _args.c_int(prio, "prio"))


def getrlimit(resource: int) -> Rlimit:
    """``getrlimit(resource, rlp)``: the soft and hard limit of *resource* (``RLIMIT_*``).

    ``RLIM_INFINITY`` is ``abi.RLIM_INFINITY`` (the C value, unsigned).

    References: ``getrlimit(2)``.

    Raises:
        OSError: EINVAL for an unknown *resource*.  OverflowError: out of range.
    """
    rl = abi.CRlimit()
    _getrlimit(_args.c_int(resource, "resource"), byref(rl))
    return Rlimit(rl.rlim_cur, rl.rlim_max)


def setrlimit(resource: int, limit: Rlimit) -> None:
    """``setrlimit(resource, rlp)``: set the limits of *resource* to *limit*.

    Takes the :class:`Rlimit` that :func:`getrlimit` returns, so
    ``setrlimit(r, attrs.evolve(getrlimit(r), rlim_cur=n))`` changes one side.
    Raising the hard limit needs privileges.

    References: ``setrlimit(2)``.

    Raises:
        PermissionError: EPERM.  OSError: EINVAL (soft above hard, unknown resource).
        OverflowError: a limit outside ``0..2**64-1``.  TypeError: *limit* is not an Rlimit.
    """
    if not isinstance(limit, Rlimit):
        raise TypeError(f"limit must be an Rlimit, not {type(limit).__name__}")
    rl = abi.CRlimit(_args.c_ulong(limit.rlim_cur, "rlim_cur"), _args.c_ulong(limit.rlim_max, "rlim_max"))
    _setrlimit(_args.c_int(resource, "resource"), byref(rl))


@compiled
def getrusage(who: int) -> Rusage:
    """``getrusage(who, r_usage)``: resource usage of ``RUSAGE_SELF`` or ``RUSAGE_CHILDREN``.

    Times are float seconds; ``ru_maxrss`` is in the platform's unit
    (``abi.RUSAGE_MAXRSS_UNIT`` bytes).

    References: ``getrusage(2)``.

    Raises:
        OSError: EINVAL for an unknown *who*.  OverflowError: out of range.
    """
    if who in (_RUSAGE_SELF, _RUSAGE_CHILDREN):
        # resource.getrusage makes the same call and converts the times the
        # same way; it is used only for the two values it cannot refuse
        # (it reports EINVAL as ValueError).
        return rusage_of(_getrusage_c(who))
    ru = abi.CRusage()
    _getrusage(_args.c_int(who, "who"), byref(ru))
    return abi.rusage_value(ru)


def getsid(pid: int) -> int:
    """``getsid(pid)``: the session id of *pid* (0: the caller).

    References: ``getsid(2)``.

    Raises:
        ProcessLookupError: ESRCH.  OverflowError: *pid* out of range.
    """
    return _getsid(_pid(pid))  # type: ignore[no-any-return]


def setpgid(pid: int, pgid: int) -> None:
    """``setpgid(pid, pgid)``: move *pid* (0: the caller) into group *pgid* (0: its own pid).

    References: ``setpgid(2)``.

    Raises:
        PermissionError: EPERM (other session, session leader), EACCES (child already exec'd).
        ProcessLookupError: ESRCH.  OverflowError: an argument out of range.
    """
    _setpgid(_pid(pid), _pid(pgid, "pgid"))


def setprivexec(flag: int) -> int:
    """``setprivexec(flag)`` (macOS): mark the process for private exec; returns the old value.

    References: ``setprivexec(2)`` on macOS.

    Raises:
        UnsupportedOperation: on Linux, which has no such call.
        OSError: the call failed.
    """
    return _setprivexec(_args.c_int(flag, "flag"))  # type: ignore[no-any-return]


def setsid() -> int:
    """``setsid()``: start a new session and process group led by the caller; returns its id.

    References: ``setsid(2)``.

    Raises:
        PermissionError: EPERM, the caller already leads a process group.
    """
    return _setsid()  # type: ignore[no-any-return]


def umask(mask: int) -> int:
    """``umask(cmask)``: set the file mode creation mask; return the previous one.  Never fails.

    References: ``umask(2)``.

    Raises:
        OverflowError: *mask* does not fit ``mode_t``.
    """
    return _umask(_args.mode(mask))  # type: ignore[no-any-return]


@stdlib("os.fork")
def fork() -> int:
    """``fork()``: duplicate the calling process; returns 0 in the child, the child's pid in the parent.

    Implemented with ``os.fork``, the same ``fork(2)``: CPython holds the
    interpreter lock and the import lock across the call and runs
    ``os.register_at_fork`` handlers.  A ctypes call would release the
    interpreter lock around ``fork()``: if another thread took it in that
    window, the child would inherit the lock held by a thread that does not
    exist there and hang forever.

    Danger: only the calling thread exists in the child.  Locks held by
    other threads at the time of the fork (in libc's malloc, in stdio, in
    Python objects) stay locked forever in the child.  In a process that
    may have threads the child must only call async-signal-safe functions:
    in practice :func:`execve` or ``os._exit``.  To start a program, use
    ``macres.Process.spawn`` (vfork and exec, or ``posix_spawn``), not fork.

    References: ``fork(2)``.

    Raises:
        BlockingIOError: EAGAIN (process limit).  MemoryError/OSError: ENOMEM.
    """
    return _os_fork()


def _cstrings(items: Sequence[ExecArg], what: str) -> tuple[ctypes.Array[c_char_p], list[bytes]]:
    """A NULL-terminated ``char *[]`` of *items* and the bytes objects it points into."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(f"{what} must be a sequence of str or bytes, not {type(items).__name__}")
    encoded = []
    for item in items:
        data = os.fsencode(item)
        if b"\0" in data:
            raise ValueError(f"embedded null byte in {what}")
        encoded.append(data)
    array = (c_char_p * (len(encoded) + 1))(*encoded, None)
    return array, encoded


def execve(path: _args.StrOrBytesPath, argv: Sequence[ExecArg], env: Sequence[ExecArg]) -> NoReturn:
    """``execve(path, argv, envp)``: replace the process image with the program at *path*.

    *argv* and *env* are sequences of ``str``/``bytes`` (``env`` entries
    are ``"NAME=value"``); they are encoded with ``os.fsencode`` and passed
    as NULL-terminated ``char *`` arrays.  No ``PATH`` search.  On success
    it never returns: Python's cleanup does not run, buffered Python files
    are not flushed and the descriptors without ``FD_CLOEXEC`` stay open
    in the new program.

    References: ``execve(2)``.

    Raises:
        OSError: the exec failed (``FileNotFoundError``, ``PermissionError``, E2BIG, ...).
        ValueError: a NUL byte in *path*, an argument or an environment entry.
        TypeError: *argv*/*env* is not a sequence of str or bytes.
    """
    cpath = _args.path(path)
    cargv, _keep_argv = _cstrings(argv, "argv")
    cenv, _keep_env = _cstrings(env, "env")
    _execve(cpath, cargv, cenv)
    raise AssertionError("execve returned without an error")  # pragma: no cover


def exit(status: int) -> NoReturn:
    """``exit(status)``: terminate the process through the C library.

    C ``atexit`` handlers run and C ``stdio`` buffers are flushed, but
    Python's own cleanup is skipped entirely: no ``finally`` blocks, no
    ``atexit`` functions registered in Python, no flushing of Python file
    objects (``sys.stdout`` included), no finalizers.  The exit status seen
    by the parent is ``status & 0xff``.  Prefer ``sys.exit``, or
    ``os._exit`` in a forked child.

    References: ``exit(3)``.

    Raises:
        OverflowError: *status* does not fit a C int.
    """
    _exit(_args.c_int(status, "status"))
    raise AssertionError("exit returned")  # pragma: no cover


def ptrace(request: int, pid: int, addr: int | Buffer = 0, data: int = 0) -> int:
    """``ptrace(request, pid, addr, data)``: trace or control another process.

    *addr* is an int (an address in the tracee, or a request-specific
    value) or a writable buffer passed by address (Go's ``ptrace1Ptr``, for
    requests such as ``PTRACE_GETREGS`` that write into the caller's
    memory).  Linux's glibc declares ``long ptrace(request, pid, void
    *addr, void *data)`` and returns the word read by ``PTRACE_PEEK*``
    requests (so -1 is a valid result and errno decides); macOS declares
    ``int ptrace(int, pid_t, caddr_t, int)``.

    Safety: unsafe, this call takes raw addresses.  Requests that write through
    *addr* or *data* (``PTRACE_GETREGS``, ``PTRACE_GETSIGINFO``, ``PT_*``
    variants) write as many bytes as the kernel's struct for the request,
    wherever the integer points: a wrong address or a too-small buffer
    corrupts this process's memory and can crash the interpreter.  Writing
    the tracee's memory (``POKE*``) changes another program at will.

    References: ``ptrace(2)`` on Linux and macOS.

    Raises:
        PermissionError: EPERM (not allowed to trace).  ProcessLookupError: ESRCH.
        OSError: EIO/EFAULT/EINVAL.  OverflowError: an argument out of range.
    """
    request = _args.c_int(request, "request")
    pid = _pid(pid)
    caddr: object
    if isinstance(addr, int):
        caddr = _args.c_ulong(addr, "addr")
    else:
        caddr, _ = _args.wbuffer(addr)
    data = index(data)
    if not _PTRACE_DATA_MIN <= data <= _PTRACE_DATA_MAX:
        raise OverflowError(f"data {data} does not fit the ptrace data argument")
    ctypes.set_errno(0)
    return _ptrace(request, pid, caddr, data & _PTRACE_DATA_MASK)  # type: ignore[no-any-return]
