"""Tests for the process area of macres.raw, against os, resource and real child processes.

Children are started with ``os.posix_spawn`` (safe with threads) and always
reaped.  Calls that change process-wide state (fork, setsid, setpgid,
setrlimit, exit, execve) or need privileges (setpriority below 0, raising a
hard limit) run in a child made by ``raw.fork`` that only runs the check and
then ``os._exit``s, reporting through its exit status and a pipe; the
unprivileged variants first drop to uid/gid 65534.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support import FORK_LOCK, drop_privileges, in_child, linux_only, needs_root

import macres
from macres import raw




def spawn(*argv: str) -> int:
    """Start *argv* with posix_spawnp and return its pid (the caller reaps it)."""
    return os.posix_spawnp(argv[0], list(argv), dict(os.environ))


@pytest.fixture
def sleeper() -> Iterator[int]:
    """A ``sleep 60`` child, killed and reaped at the end if the test did not."""
    pid = spawn("sleep", "60")
    try:
        yield pid
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):  # the test reaped it
            pass


# -- identity --------------------------------------------------------------


def test_getpid_getppid_getpgrp() -> None:
    """getpid/getppid/getpgrp agree with os."""
    assert raw.getpid() == os.getpid()
    assert raw.getppid() == os.getppid()
    assert raw.getpgrp() == os.getpgrp()


def test_getpgid_getsid(sleeper: int) -> None:
    """getpgid/getsid of the caller and of a child agree with os."""
    assert raw.getpgid(0) == os.getpgid(0)
    assert raw.getpgid(sleeper) == os.getpgid(sleeper)
    assert raw.getsid(0) == os.getsid(0)
    assert raw.getsid(sleeper) == os.getsid(sleeper)


def test_getpgid_getsid_of_missing_process() -> None:
    """A pid that names no process raises ProcessLookupError."""
    pid = spawn("true")
    os.waitpid(pid, 0)  # reaped: the pid names nothing now (until reuse, far away)
    with pytest.raises(ProcessLookupError):
        raw.getpgid(pid)
    with pytest.raises(ProcessLookupError):
        raw.getsid(pid)


def test_getdtablesize_is_the_nofile_soft_limit() -> None:
    """getdtablesize is the RLIMIT_NOFILE soft limit."""
    assert raw.getdtablesize() == resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def test_umask_round_trip() -> None:
    """umask returns the previous mask, as os.umask sees it."""
    old = os.umask(0o022)
    try:
        assert raw.umask(0o077) == 0o022
        assert os.umask(0o022) == 0o077
    finally:
        os.umask(old)


# -- priority and limits ---------------------------------------------------


def test_getpriority_matches_os() -> None:
    """getpriority agrees with os.getpriority for the process, group and user."""
    assert raw.getpriority(raw.ABI.PRIO_PROCESS, 0) == os.getpriority(os.PRIO_PROCESS, 0)
    assert raw.getpriority(raw.ABI.PRIO_PGRP, 0) == os.getpriority(os.PRIO_PGRP, 0)
    assert raw.getpriority(raw.ABI.PRIO_USER, os.getuid()) == os.getpriority(os.PRIO_USER, os.getuid())


def test_getpriority_minus_one_is_a_result() -> None:
    """A nice value of -1 is returned, not raised: errno decides (root lowers it in a child)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to set a negative nice value")

    def body() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, -1)
        except PermissionError:
            os._exit(0)  # no CAP_SYS_NICE in this container: nothing to check
        assert raw.getpriority(raw.ABI.PRIO_PROCESS, 0) == -1

    in_child(body)


def test_getpriority_of_missing_process() -> None:
    """getpriority of a reaped pid raises ProcessLookupError (ESRCH)."""
    pid = spawn("true")
    os.waitpid(pid, 0)
    with pytest.raises(ProcessLookupError):
        raw.getpriority(raw.ABI.PRIO_PROCESS, pid)


def test_setpriority_raises_nice_in_child(sleeper: int) -> None:
    """setpriority raising a child's nice value shows in os.getpriority."""
    raw.setpriority(raw.ABI.PRIO_PROCESS, sleeper, 7)
    assert os.getpriority(os.PRIO_PROCESS, sleeper) == 7
    assert raw.getpriority(raw.ABI.PRIO_PROCESS, sleeper) == 7


@needs_root
def test_setpriority_below_zero_as_root() -> None:
    """As root, setpriority to -5 takes effect (skipped without CAP_SYS_NICE)."""
    r, w = os.pipe()

    def body() -> None:
        try:
            raw.setpriority(raw.ABI.PRIO_PROCESS, 0, -5)
        except PermissionError:
            os.write(w, b"nocap")
            return
        assert os.getpriority(os.PRIO_PROCESS, 0) == -5

    try:
        in_child(body)
        os.close(w)
        w = -1
        if os.read(r, 16) == b"nocap":
            pytest.skip("root without CAP_SYS_NICE cannot lower the nice value here")
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


@needs_root
def test_setpriority_below_zero_unprivileged_is_refused() -> None:
    """As uid 65534, setpriority below the current value raises PermissionError."""

    def body() -> None:
        drop_privileges()
        with pytest.raises(PermissionError):
            raw.setpriority(raw.ABI.PRIO_PROCESS, 0, -5)

    in_child(body)


def _rlim(value: int) -> int:
    """resource's limit (-1 for infinity on Linux) as the C rlim_t."""
    return value % (1 << 64)


def test_getrlimit_matches_resource() -> None:
    """getrlimit agrees with resource.getrlimit for every resource there is."""
    for name in ("RLIMIT_NOFILE", "RLIMIT_CORE", "RLIMIT_STACK", "RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE"):
        res = getattr(resource, name)
        soft, hard = resource.getrlimit(res)
        assert raw.getrlimit(getattr(raw.ABI, name)) == raw.Rlimit(_rlim(soft), _rlim(hard)), name


def test_getrlimit_unknown_resource() -> None:
    """An unknown resource raises OSError EINVAL."""
    with pytest.raises(OSError) as info:
        raw.getrlimit(9999)
    assert info.value.errno == errno.EINVAL


def test_setrlimit_lowers_soft_limit_in_child() -> None:
    """setrlimit lowering RLIMIT_NOFILE's soft limit shows in resource.getrlimit (in a child)."""

    def body() -> None:
        lim = raw.getrlimit(raw.ABI.RLIMIT_NOFILE)
        raw.setrlimit(raw.ABI.RLIMIT_NOFILE, attrs.evolve(lim, rlim_cur=64))
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (64, _signed(lim.rlim_max))
        assert raw.getdtablesize() == 64

    in_child(body)


def _signed(value: int) -> int:
    """A C rlim_t as resource reports it (RLIM_INFINITY is -1 on Linux)."""
    return resource.RLIM_INFINITY if value == raw.ABI.RLIM_INFINITY else value


def test_setrlimit_soft_above_hard_is_invalid() -> None:
    """A soft limit above the hard one raises EINVAL, and nothing changes."""
    lim = raw.getrlimit(raw.ABI.RLIMIT_CORE)
    if lim.rlim_max == raw.ABI.RLIM_INFINITY:
        bad = raw.Rlimit(raw.ABI.RLIM_INFINITY, 0)
    else:
        bad = raw.Rlimit(lim.rlim_max + 1, lim.rlim_max)
    with pytest.raises(OSError) as info:
        raw.setrlimit(raw.ABI.RLIMIT_CORE, bad)
    assert info.value.errno == errno.EINVAL
    assert raw.getrlimit(raw.ABI.RLIMIT_CORE) == lim


def has_capability(bit: int) -> bool:
    """Whether this process has Linux capability *bit* in its effective set."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> bit & 1)
    except OSError:
        pass
    return os.geteuid() == 0


CAP_SYS_RESOURCE = 24


@pytest.mark.skipif(
    os.geteuid() != 0 or not has_capability(CAP_SYS_RESOURCE),
    reason="raising a hard limit needs root with CAP_SYS_RESOURCE",
)
def test_setrlimit_raise_hard_as_root() -> None:
    """As root, a lowered hard limit can be raised again (in a child)."""

    def body() -> None:
        raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(0, 0))
        raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(0, 4096))
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 4096)

    in_child(body)


@needs_root
def test_setrlimit_raise_hard_as_nobody_is_refused() -> None:
    """As uid 65534, lowering a hard limit works and raising it raises PermissionError."""

    def body() -> None:
        raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(0, 4096))
        drop_privileges()
        raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(0, 1024))
        with pytest.raises(PermissionError):
            raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(0, 4096))
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 1024)

    in_child(body)


def test_setrlimit_wants_an_rlimit() -> None:
    """setrlimit takes an Rlimit: a tuple is a TypeError, a negative limit an OverflowError."""
    with pytest.raises(TypeError):
        raw.setrlimit(raw.ABI.RLIMIT_CORE, (0, 0))  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        raw.setrlimit(raw.ABI.RLIMIT_CORE, raw.Rlimit(-1, 0))


# -- resource usage --------------------------------------------------------


_MONOTONIC = ("ru_utime", "ru_stime", "ru_maxrss", "ru_minflt", "ru_majflt", "ru_inblock", "ru_oublock")


def test_getrusage_self_between_two_resource_readings() -> None:
    """getrusage(RUSAGE_SELF) lies between two resource.getrusage readings, field by field."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    mine = raw.getrusage(raw.ABI.RUSAGE_SELF)
    after = resource.getrusage(resource.RUSAGE_SELF)
    for name in _MONOTONIC:
        assert getattr(before, name) <= getattr(mine, name) <= getattr(after, name), name


def test_getrusage_children_matches_resource() -> None:
    """getrusage(RUSAGE_CHILDREN) equals resource's after a child is reaped."""
    pid = spawn("true")
    os.waitpid(pid, 0)
    assert raw.getrusage(raw.ABI.RUSAGE_CHILDREN) == _from_resource(resource.getrusage(resource.RUSAGE_CHILDREN))


def _from_resource(r: resource.struct_rusage) -> raw.Rusage:
    return raw.Rusage(*r[:16])  # struct_rusage has the 16 fields in struct rusage order


def test_getrusage_invalid_who() -> None:
    """An unknown who raises OSError EINVAL."""
    with pytest.raises(OSError) as info:
        raw.getrusage(12345)
    assert info.value.errno == errno.EINVAL


# -- kill and wait4 --------------------------------------------------------


def test_wait4_exit_code_and_rusage() -> None:
    """wait4 returns the child's pid, an exit status os decodes to 7, and its rusage."""
    pid = spawn("/bin/sh", "-c", "exit 7")
    got, status, ru = raw.wait4(pid, 0)
    assert got == pid
    assert os.waitstatus_to_exitcode(status) == 7
    assert isinstance(ru, raw.Rusage)
    assert ru.ru_maxrss > 0  # sh touched some memory


def test_wait4_wnohang_then_kill(sleeper: int) -> None:
    """wait4(WNOHANG) on a running child returns pid 0; after SIGTERM it reports the signal."""
    assert raw.wait4(sleeper, raw.ABI.WNOHANG)[:2] == (0, 0)
    raw.kill(sleeper, 0)  # probe: it exists
    raw.kill(sleeper, signal.SIGTERM)
    got, status, _ = raw.wait4(sleeper, 0)
    assert got == sleeper
    assert os.waitstatus_to_exitcode(status) == -signal.SIGTERM
    with pytest.raises(ProcessLookupError):
        raw.kill(sleeper, 0)


def test_wait4_untraced_sees_a_stop(sleeper: int) -> None:
    """wait4(WUNTRACED) reports SIGSTOP; WCONTINUED reports the SIGCONT."""
    os.kill(sleeper, signal.SIGSTOP)
    got, status, _ = raw.wait4(sleeper, raw.ABI.WUNTRACED)
    assert got == sleeper and os.WIFSTOPPED(status) and os.WSTOPSIG(status) == signal.SIGSTOP
    os.kill(sleeper, signal.SIGCONT)
    got, status, _ = raw.wait4(sleeper, raw.ABI.WCONTINUED)
    assert got == sleeper and os.WIFCONTINUED(status)


def test_wait4_retries_eintr_and_runs_handlers() -> None:
    """A blocking wait4 interrupted by a storm of SIGALRMs runs the handler each time and still returns the status."""
    hits = []
    old = signal.signal(signal.SIGALRM, lambda *_: hits.append(1))
    pid = spawn("/bin/sh", "-c", "sleep 0.3; exit 5")
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.005, 0.005)
        try:
            got, status, _ = raw.wait4(pid, 0)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
    finally:
        signal.signal(signal.SIGALRM, old)
    assert got == pid and os.waitstatus_to_exitcode(status) == 5
    assert hits


def test_wait4_propagates_a_handler_exception() -> None:
    """If a signal handler raises during wait4, the exception propagates (PEP 475) and the child is still there."""

    class Interrupted(Exception):
        pass

    def handler(*_: object) -> None:
        raise Interrupted

    old = signal.signal(signal.SIGALRM, handler)
    pid = spawn("sleep", "60")
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Interrupted):
            raw.wait4(pid, 0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, old)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_wait4_no_child() -> None:
    """wait4 on a pid that is not our child raises ChildProcessError."""
    with pytest.raises(ChildProcessError):
        raw.wait4(os.getppid(), raw.ABI.WNOHANG)


def test_kill_invalid_signal(sleeper: int) -> None:
    """An out-of-table signal number raises OSError EINVAL."""
    with pytest.raises(OSError) as info:
        raw.kill(sleeper, 100000)
    assert info.value.errno == errno.EINVAL


@needs_root
def test_kill_as_nobody_is_refused(sleeper: int) -> None:
    """As uid 65534, signalling root's child raises PermissionError."""

    def body() -> None:
        drop_privileges()
        with pytest.raises(PermissionError):
            raw.kill(sleeper, 0)

    in_child(body)


# -- fork, sessions, groups, exec, exit -----------------------------------


def test_fork_child_exit_status() -> None:
    """raw.fork returns 0 in the child and its pid in the parent; the child's _exit code arrives."""
    with FORK_LOCK:
        pid = raw.fork()
        if pid == 0:  # pragma: no cover - the child
            os._exit(42 if raw.getppid() != 0 else 1)
    got, status = os.waitpid(pid, 0)
    assert got == pid
    assert os.waitstatus_to_exitcode(status) == 42


def test_setsid_in_child() -> None:
    """setsid in a child makes it the leader of a new session and group."""

    def body() -> None:
        me = os.getpid()
        assert raw.setsid() == me
        assert os.getsid(0) == me and os.getpgrp() == me
        with pytest.raises(PermissionError):  # a group leader cannot do it again
            raw.setsid()

    in_child(body)


def test_setpgid_in_child_and_after_exec(sleeper: int) -> None:
    """setpgid(0, 0) in a child makes a group; setpgid on an exec'd child is refused (EACCES)."""

    def body() -> None:
        raw.setpgid(0, 0)
        assert os.getpgrp() == os.getpid()

    in_child(body)
    with pytest.raises(PermissionError) as info:
        raw.setpgid(sleeper, sleeper)
    assert info.value.errno == errno.EACCES


def test_execve_in_child() -> None:
    """execve in a forked child runs /bin/sh with argv and env; its exit code arrives."""
    with FORK_LOCK:
        pid = raw.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                raw.execve("/bin/sh", ["sh", "-c", 'exit "$CODE"'], [b"CODE=7"])
            finally:
                os._exit(99)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 7


def test_execve_missing_program() -> None:
    """execve of a missing file raises FileNotFoundError naming it (and returns to the caller)."""
    with pytest.raises(FileNotFoundError) as info:
        raw.execve("/nonexistent/macres-program", ["x"], [])
    assert info.value.filename == "/nonexistent/macres-program"


def test_exit_skips_python_buffers() -> None:
    """raw.exit in a child delivers the status, and Python's unflushed file buffer is lost."""
    r, w = os.pipe()
    with FORK_LOCK:
        pid = raw.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.close(r)
                f = os.fdopen(w, "w", buffering=4096)
                f.write("lost")
                raw.exit(5)
            finally:
                os._exit(99)
    os.close(w)
    data = os.read(r, 16)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 5
    assert data == b""


def test_ptrace_attach_and_peek(sleeper: int) -> None:
    """ptrace attaches to a child, which stops; PEEKUSER reads a word; detach lets it go."""
    if raw.SYSTEM != "linux":
        pytest.skip("request numbers and PEEK semantics are Linux's")
    try:
        raw.ptrace(raw.ABI.PTRACE_ATTACH, sleeper, 0, 0)
    except PermissionError:
        pytest.skip("tracing is not permitted here (no CAP_SYS_PTRACE or a seccomp filter)")
    got, status, _ = raw.wait4(sleeper, 0)
    assert got == sleeper and os.WIFSTOPPED(status)
    word = raw.ptrace(raw.ABI.PTRACE_PEEKUSR, sleeper, 0, 0)  # offset 0 of struct user: r15
    assert isinstance(word, int)
    with pytest.raises(OSError) as info:  # an unaligned offset into struct user
        raw.ptrace(raw.ABI.PTRACE_PEEKUSR, sleeper, 3, 0)
    assert info.value.errno == errno.EIO
    raw.ptrace(raw.ABI.PTRACE_DETACH, sleeper, 0, 0)


def test_ptrace_unknown_process() -> None:
    """ptrace on a reaped pid raises ProcessLookupError."""
    pid = spawn("true")
    os.waitpid(pid, 0)
    with pytest.raises(ProcessLookupError):
        raw.ptrace(raw.ABI.PTRACE_ATTACH if raw.SYSTEM == "linux" else 10, pid, 0, 0)


@linux_only
def test_setprivexec_is_unsupported() -> None:
    """setprivexec raises UnsupportedOperation (ENOSYS) on Linux."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.setprivexec(1)
    assert info.value.errno == errno.ENOSYS


# -- bad input -------------------------------------------------------------

_out_of_int = st.one_of(st.integers(max_value=-(2**31) - 1), st.integers(min_value=2**31))
_not_ints = st.one_of(st.text(max_size=3), st.floats(), st.none(), st.binary(max_size=3))


@given(pid=_out_of_int)
def test_pids_out_of_range_overflow(pid: int) -> None:
    """A pid that does not fit pid_t raises OverflowError before any call is made."""
    for call in (lambda: raw.kill(pid, 0), lambda: raw.getpgid(pid), lambda: raw.getsid(pid),
                 lambda: raw.wait4(pid, raw.ABI.WNOHANG), lambda: raw.setpgid(pid, 0),
                 lambda: raw.ptrace(-1, pid, 0, 0)):  # fmt: skip
        with pytest.raises(OverflowError):
            call()


@given(sig=_out_of_int)
def test_signals_out_of_range_overflow(sig: int) -> None:
    """A signal that does not fit a C int raises OverflowError (nothing is signalled)."""
    with pytest.raises(OverflowError):
        raw.kill(os.getpid(), sig)


@given(value=_not_ints)
def test_wrong_types_raise_type_error(value: object) -> None:
    """Non-integers for pid, signal, which or resource raise TypeError."""
    for call in (lambda: raw.kill(value, 0), lambda: raw.kill(os.getpid(), value), lambda: raw.getpgid(value),
                 lambda: raw.getpriority(value, 0), lambda: raw.getrlimit(value),
                 lambda: raw.umask(value), lambda: raw.wait4(value, 0)):  # type: ignore[arg-type]  # fmt: skip
        with pytest.raises(TypeError):
            call()


@given(prefix=st.binary(max_size=5), suffix=st.binary(max_size=5), where=st.sampled_from(["path", "argv", "env"]))
def test_execve_nul_raises_value_error(prefix: bytes, suffix: bytes, where: str) -> None:
    """A NUL in execve's path, an argument or an environment entry raises ValueError (no exec)."""
    bad = prefix + b"\0" + suffix
    path: bytes = bad if where == "path" else b"/nonexistent/macres-program"
    argv = [b"true", bad] if where == "argv" else [b"true"]
    env = [b"A=" + bad] if where == "env" else []
    with pytest.raises(ValueError, match="null"):
        raw.execve(path, argv, env)


@given(argv=st.one_of(st.text(max_size=4), st.binary(max_size=4), st.integers(), st.just([1, 2])))
def test_execve_wrong_types(argv: object) -> None:
    """execve wants sequences of str/bytes: a bare string, an int or a list of ints is a TypeError."""
    with pytest.raises(TypeError):
        raw.execve("/nonexistent/macres-program", argv, [])  # type: ignore[arg-type]


@given(value=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**64)))
def test_ptrace_addr_out_of_range(value: int) -> None:
    """An address outside 0..2**64-1 raises OverflowError."""
    with pytest.raises(OverflowError):
        raw.ptrace(-1, os.getpid(), value, 0)
