"""Spawning a child, in Python: the reference of ``_core_spawn.c``.

:func:`spawn` takes the compiled core's arguments and gives the same
results through :class:`subprocess.Popen` (CPython's ``_posixsubprocess``:
vfork or fork, then exec, safe with threads), which already inherits only
the streams and ``pass_fds`` (``close_fds=True``, every other descriptor
closed in the child, so another thread's new descriptor never leaks), and
sets the cwd, the environment, the session, user, group, extra groups and
umask in the child.  It costs more system calls than the compiled core (an
error pipe, and up to Python 3.10 a scan of the child's descriptors), still
the same number whatever the number of descriptors open in the parent.

The child is started with every signal blocked in the calling thread, so
that an exception raised by a signal handler (KeyboardInterrupt) lands
before the fork, or when the mask is restored, where the child just started
is killed and reaped before the exception propagates: the pid is never lost
(the compiled core's single C call guarantees the same); a signal that
another thread receives can still run its handler inside Popen.  The child
empties its signal mask before exec, as the compiled core's does.

Its limits, documented rather than hidden:

* Where the process has one thread and only streams, pass_fds, env, the
  session or the group are asked for, the child is started with
  ``os.posix_spawn`` (vfork in the C library; Popen's ``preexec_fn`` would
  fork) and file actions that close every inheritable descriptor listed in
  ``/proc/self/fd``: no other thread exists to open one meanwhile (a thread
  started from C code could), and the parent's calls grow with the number
  of descriptors open (one ``fcntl`` each).  Otherwise Popen.

* What Popen cannot set is set by a ``preexec_fn`` made only of C
  callables (``signal.pthread_sigmask``, ``resource.setrlimit``, and
  ``os.setpgid`` for ``pgroup`` on Python 3.10, whose Popen has no
  ``process_group``), chained through ``functools.partial``: no bytecode of
  its own, but Popen then forks instead of vforking and runs the
  interpreter's after-fork hooks in the child.  The rlimits are set after
  the credentials change (raising a hard limit together with ``uid`` is
  refused here, allowed on the compiled core); a refused rlimit is
  checked in the parent first (EINVAL, EPERM), and a refusal the checks
  miss (a missing capability) is reported as OSError(EPERM).
* A stream or pass_fd that is not open is found by ``fstat`` in the parent
  (EBADF), where the compiled core learns it from the child's ``dup2``.
* Errors name the step as the compiled core's do ("(in the child, before
  exec: STEP)", no filename but the cwd for chdir).  Popen says only that
  a step before exec failed: the step named is the first of setsid,
  setpgid, setgroups, setgid, setuid that was asked for.  A process group
  is never set by ``os.posix_spawn``, which reports its failure as the
  exec's.
* The candidates in *executables* are looked at in the parent (``stat``,
  ``access``): the first that can run, else the first that exists (its exec
  fails with the error the compiled core reports, EACCES), else the last,
  is the one Popen's child execs.
"""

from __future__ import annotations

import collections
import errno
import functools
import operator
import os
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final

__all__ = ["spawn"]

_POPEN_HAS_PROCESS_GROUP: Final = sys.version_info >= (3, 11)
_FD_DIR: Final = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
#: The signal dispositions Python changes (SIG_IGN) and a child must not inherit.
_RESET_SIGNALS: Final = tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(signal, name)
)
_EVERY_SIGNAL: Final = frozenset(signal.valid_signals())
_PIDFD_OPEN: Final[Callable[[int], int] | None] = getattr(os, "pidfd_open", None)
_RLIM_INFINITY_C: Final = (1 << 64) - 1 if sys.platform.startswith("linux") else (1 << 63) - 1


def _rlim(value: int) -> int:
    return resource.RLIM_INFINITY if value == _RLIM_INFINITY_C else value


def _check_rlimit(resource_: int, soft: int, hard: int, uid: int) -> None:
    """What setrlimit would refuse, asked in the parent (the child's refusal has no errno in Popen)."""
    if _rlim(hard) != resource.RLIM_INFINITY and (_rlim(soft) == resource.RLIM_INFINITY or soft > hard):
        raise OSError(errno.EINVAL, f"{os.strerror(errno.EINVAL)} (in the child, before exec: setrlimit)")
    current = resource.getrlimit(resource_)[1]
    raising = current != resource.RLIM_INFINITY and (_rlim(hard) == resource.RLIM_INFINITY or hard > current)
    if raising and (os.geteuid() != 0 or uid > 0):
        raise OSError(errno.EPERM, f"{os.strerror(errno.EPERM)} (in the child, before exec: setrlimit)")


def _pick(executables: tuple[bytes, ...]) -> bytes:
    """The candidate the child execs: execvpe's choice, made by looking in the parent."""
    existing = [path for path in executables if os.path.exists(path)]
    for path in existing:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return existing[0] if existing else executables[-1]


def _in_child(calls: list[Callable[[], object]]) -> Callable[[], object]:
    """One C callable that runs *calls* in order (each a partial of a C function): Popen's preexec_fn."""
    return functools.partial(collections.deque, map(operator.methodcaller("__call__"), calls), 0)


def _inheritable_fds() -> tuple[list[int], int]:
    """The inheritable descriptors open now (from ``_FD_DIR``) and the highest number open.

    Every number is probed while the listing is still open: the listing's
    own descriptor is then one of them (close-on-exec, so never counted),
    and no number is probed after a close of ours, when it may already
    belong to another file.  ``with`` closes the listing in C.
    """
    inheritable: list[int] = []
    highest = 2
    with os.scandir(_FD_DIR) as listing:
        for entry in listing:
            if not entry.name.isdigit():
                continue
            fd = int(entry.name)
            highest = max(highest, fd)
            try:
                if os.get_inheritable(fd):
                    inheritable.append(fd)
            except OSError:  # closed by another thread since the listing
                continue
    return inheritable, highest


def _file_actions(streams: Sequence[int | None], pass_fds: Sequence[int]) -> list[tuple[int, ...]]:
    """posix_spawn file actions so that exactly the streams and *pass_fds* are inherited.

    Every source is first duplicated to a spare number above every open
    descriptor, then each target is made with ``dup2(spare, target)`` and
    the spares are closed.  The two-step copy handles a pass_fd that is
    close-on-exec in the parent (``dup2(fd, fd)`` would leave the flag set
    on older C libraries and on macOS) and streams that swap numbers
    (``stdin=1, stdout=0``).  Every other inheritable descriptor open in
    the parent is closed in the child.
    """
    targets: dict[int, int] = {}
    for target, source in enumerate(streams):
        if source is not None:
            targets[target] = source
    for fd in pass_fds:
        if fd in targets and targets[fd] != fd:
            raise ValueError(f"descriptor {fd} is both in pass_fds and the target of a stream")
        targets[fd] = fd
    inheritable, highest = _inheritable_fds()
    sources = sorted(set(targets.values()))
    spare = max([highest, *targets, *sources]) + 1
    hop = {source: spare + i for i, source in enumerate(sources)}
    actions: list[tuple[int, ...]] = [(os.POSIX_SPAWN_DUP2, s, hop[s]) for s in sources]
    actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in inheritable if fd > 2 and fd not in targets]
    actions += [(os.POSIX_SPAWN_DUP2, hop[s], t) for t, s in sorted(targets.items())]
    actions += [(os.POSIX_SPAWN_CLOSE, hop[s]) for s in sources]
    return actions


def _posix_spawn(path: bytes, argv: tuple[bytes, ...], env: Any, streams: Sequence[int | None],
                 pass_fds: Sequence[int], setsid: bool, pgroup: int) -> int:  # fmt: skip
    """The fast path: ``os.posix_spawn`` (vfork in the C library), the child's mask emptied by an attribute."""
    group: dict[str, Any] = {"setsid": setsid} if pgroup < 0 else {"setpgroup": pgroup}
    return os.posix_spawn(path, list(argv), os.environ if env is None else env,
                          file_actions=_file_actions(streams, pass_fds), setsigmask=(),
                          setsigdef=_RESET_SIGNALS, **group)  # fmt: skip


def spawn(
    executables: tuple[bytes, ...],
    argv: tuple[bytes, ...],
    envp: tuple[bytes, ...] | None,
    cwd: bytes | None,
    stdin: int,
    stdout: int,
    stderr: int,
    pass_fds: tuple[int, ...],
    setsid: bool,
    pgroup: int,
    umask: int,
    uid: int,
    gid: int,
    groups: tuple[int, ...] | None,
    rlimits: tuple[tuple[int, int, int], ...],
) -> tuple[int, int]:
    """Start the child and return ``(pid, pidfd)`` (see the module documentation); the compiled core's ``spawn``.

    *pidfd* is opened before the signal mask is restored, or is ``-errno``
    (:func:`_open_pidfd`): a child reaped elsewhere still counts as started.

    Raises:
        OSError: the program could not be started (FileNotFoundError,
            PermissionError, ...), or a step in the child failed; the child is reaped.
    """
    if not argv or not executables:
        raise ValueError("spawn: argv and executables must not be empty")
    if list(pass_fds) != sorted(set(pass_fds)) or any(fd < 0 for fd in pass_fds):
        raise ValueError("spawn: pass_fds must be sorted, distinct and not negative")
    # EBADF here, named as the compiled core's child names it: Popen would not report a pass_fd that is not open.
    for step, fds in (("dup2 of a stream", [fd for fd in (stdin, stdout, stderr) if fd >= 0]), ("pass_fds", pass_fds)):
        for fd in fds:
            try:
                os.fstat(fd)
            except OSError as e:
                raise _step_error(e.errno or errno.EBADF, step) from None
    env = None if envp is None else dict(item.partition(b"=")[::2] for item in envp)
    calls: list[Callable[[], object]] = [functools.partial(signal.pthread_sigmask, signal.SIG_SETMASK, ())]
    extra: dict[str, Any] = {}
    if pgroup >= 0:
        if _POPEN_HAS_PROCESS_GROUP:
            extra["process_group"] = pgroup
        else:
            calls.append(functools.partial(os.setpgid, 0, pgroup))
    for r, s, h in rlimits:
        _check_rlimit(r, s, h, uid)
        calls.append(functools.partial(resource.setrlimit, r, (_rlim(s), _rlim(h))))
    if uid >= 0:
        extra["user"] = uid
    if gid >= 0:
        extra["group"] = gid
    if groups is not None:
        extra["extra_groups"] = list(groups)
    # Alone in the process (one thread), nothing can open a descriptor between
    # the listing and the spawn: posix_spawn (vfork) with the listed closes.
    # posix_spawn reports a failed setpgid as the exec's error: a process group goes through Popen.
    fast = cwd is None and umask < 0 and uid < 0 and gid < 0 and groups is None and not rlimits and pgroup < 0
    fast = fast and threading.active_count() == 1
    pid = pidfd = -1
    # The mask to restore is read before anything is blocked: signal.pthread_sigmask
    # is Python around the C call, and a handler raising in it after the block
    # would otherwise leave every signal blocked for good.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, _EVERY_SIGNAL)
        if fast:
            streams = [None if fd < 0 else fd for fd in (stdin, stdout, stderr)]
            pid = _posix_spawn(_pick(executables), argv, env, streams, pass_fds, setsid, pgroup)
            pidfd = _open_pidfd(pid)
            return pid, pidfd
        popen = subprocess.Popen(
            list(argv),
            executable=_pick(executables),
            stdin=None if stdin < 0 else stdin,
            stdout=None if stdout < 0 else stdout,
            stderr=None if stderr < 0 else stderr,
            cwd=cwd,
            env=env,
            close_fds=True,
            pass_fds=pass_fds,
            start_new_session=setsid,
            restore_signals=True,
            umask=umask,
            preexec_fn=_in_child(calls),  # noqa: PLW1509 - C functions only: no bytecode runs in the child
            **extra,
        )
        # The caller owns the pid from here: a returncode makes Popen's
        # poll/__del__ never call waitpid on it (which could reap a reused pid).
        popen.returncode = 0
        pid = popen.pid
        pidfd = _open_pidfd(pid)
    except OSError as e:
        if e.filename is None and e.errno is not None and "(in the child" not in str(e.strerror):
            # Popen's "noexec": a step before exec failed, and Popen does not say which.
            raise _step_error(e.errno, _noexec_step(setsid, pgroup, groups, gid, uid)) from None
        if e.filename is not None and cwd is not None and e.filename == cwd and e.errno is not None:
            raise _step_error(e.errno, "chdir", cwd) from None  # Popen's "noexec:chdir"
        if e.filename is not None:  # the program as the caller named it, as the compiled core says
            e.filename = argv[0]
        raise
    except subprocess.SubprocessError as e:  # the preexec_fn failed: setpgid (3.10), or a limit the checks let through
        step = "setpgid" if pgroup >= 0 and not _POPEN_HAS_PROCESS_GROUP else "setrlimit"
        raise _step_error(errno.EPERM, step) from e
    finally:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held meanwhile is handled here
        except BaseException:
            if pidfd >= 0:
                os.close(pidfd)
            if pid > 0:  # the handler raised before the caller could record the child: end it here
                _kill_and_reap(pid)
            raise
    return pid, pidfd


def _open_pidfd(pid: int) -> int:
    """The child's pidfd, opened while signals are still blocked here, or ``-errno`` (the compiled core's value).

    -ESRCH: the child already exited and was reaped elsewhere (SIGCHLD
    ignored, another thread's ``waitpid(-1)``); -ENOSYS: no pidfds (macOS).
    """
    if _PIDFD_OPEN is None:
        return -errno.ENOSYS
    try:
        return _PIDFD_OPEN(pid)
    except OSError as e:
        return -(e.errno or errno.ENOSYS)


def _step_error(err: int, step: str, filename: bytes | None = None) -> OSError:
    """The compiled core's error for a step of the child before exec: ``strerror (in the child, before exec: STEP)``."""
    message = f"{os.strerror(err)} (in the child, before exec: {step})"
    return OSError(err, message) if filename is None else OSError(err, message, filename)


def _noexec_step(setsid: bool, pgroup: int, groups: tuple[int, ...] | None, gid: int, uid: int) -> str:
    """The step Popen's child failed at before exec: the first one asked for, in the compiled core's order.

    Popen reports only that the failure came before exec (its "noexec");
    the streams and pass_fds are checked in the parent first, and the cwd
    is told apart by Popen, so what remains are the credentials and the
    session or group.
    """
    asked = (("setsid", setsid), ("setpgid", pgroup >= 0), ("setgroups", groups is not None),
             ("setgid", gid >= 0), ("setuid", uid >= 0))  # fmt: skip
    return next((step for step, wanted in asked if wanted), "exec")


def _kill_and_reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # reaped elsewhere already
        return
    finally:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored, another thread)
            pass
