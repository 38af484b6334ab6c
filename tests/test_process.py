"""Tests for macres.Process: spawning, waiting, signals, priorities, usage, limits, credentials.

Oracles: ``os.waitstatus_to_exitcode``, ``os.getpriority``, ``resource``,
``/proc`` and what the children themselves print.  Every child is reaped
(the suite's fixture fails a test that leaves one); changes to ids happen
only in a forked child that ``os._exit``s.
"""

from __future__ import annotations

import errno
import gc
import math
import os
import pathlib
import resource
import select
import signal
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _support import FORK_LOCK, in_child, linux_only, needs_root, pidfds_of

import macres
from macres import raw
from macres._backend import core
from macres.process import RLIM_INFINITY, Child, CurrentProcess, ExitStatus, Process, ResourceUsage

PY = [sys.executable, "-I", "-S", "-c"]



def output_of(argv: list[str], **kwargs: object) -> tuple[ExitStatus, bytes]:
    """Spawn *argv* with stdout on a pipe; return its status and everything it wrote."""
    r, w = os.pipe()
    try:
        with Process.spawn(argv, stdout=w, **kwargs) as p:  # type: ignore[arg-type]
            os.close(w)
            w = -1
            chunks = []
            while chunk := os.read(r, 65536):
                chunks.append(chunk)
            return p.wait(), b"".join(chunks)
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def in_process_table(pid: int) -> bool:
    """Whether *pid* exists at all (a zombie counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def sleeper() -> Iterator[Child]:
    """An owned ``sleep 60`` child, stopped and reaped at the end."""
    with Process.spawn(["sleep", "60"], grace=1.0) as p:
        yield p


# -- exit statuses -----------------------------------------------------------


@settings(max_examples=10)
@given(code=st.integers(0, 255))
def test_exit_codes_decode_like_os(code: int) -> None:
    """Every exit code 0..255 is decoded as os.waitstatus_to_exitcode decodes the raw status."""
    with Process.spawn(["/bin/sh", "-c", f"exit {code}"]) as p:
        status = p.wait()
    assert status.exited and not status.signaled and not status.stopped
    assert status.code == code
    assert status.returncode == os.waitstatus_to_exitcode(status.status) == code


_TERMINATING = [signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGALRM, signal.SIGPIPE]  # fmt: skip


@settings(max_examples=8)
@given(sig=st.sampled_from(_TERMINATING))
def test_signals_decode_like_os(sig: signal.Signals) -> None:
    """A child ended by a signal reports signaled/signal, and returncode == os's -signal."""
    with Process.spawn(["sleep", "60"]) as p:
        p.kill(sig)
        status = p.wait()
    assert status.signaled and not status.exited
    assert status.signal == sig
    assert status.returncode == os.waitstatus_to_exitcode(status.status) == -sig


def test_core_dump_flag() -> None:
    """SIGABRT with RLIMIT_CORE raised in the child may dump core: core_dumped agrees with os.WCOREDUMP."""
    with Process.spawn(["sleep", "60"]) as p:
        p.kill(signal.SIGABRT)
        status = p.wait()
    assert status.signal == signal.SIGABRT
    assert status.core_dumped == os.WCOREDUMP(status.status)


def test_stopped_and_continued(sleeper: Child) -> None:
    """wait(untraced=True) reports a SIGSTOP and the SIGCONT; neither is final."""
    sleeper.kill(signal.SIGSTOP)
    stopped = sleeper.wait(untraced=True)
    assert stopped.stopped and stopped.stop_signal == signal.SIGSTOP and stopped.returncode is None
    assert sleeper.poll() is None
    sleeper.kill(signal.SIGCONT)
    resumed = sleeper.wait(5, untraced=True)
    assert resumed.continued and not resumed.stopped
    sleeper.terminate()
    assert sleeper.wait().signal == signal.SIGTERM


def test_poll_then_wait_return_the_same_status() -> None:
    """poll is None while the child runs; after it ends, wait and poll return the same status."""
    r, w = os.pipe()
    try:
        with Process.spawn(["/bin/sh", "-c", "read x; exit 4"], stdin=r) as p:
            assert p.poll() is None
            os.write(w, b"go\n")
            status = p.wait()
            assert status.code == 4
            assert p.poll() == 4 == p.returncode == status.returncode
            assert p.exit_status == status == p.wait(0)
    finally:
        os.close(r)
        os.close(w)


def test_wait_survives_a_signal_storm() -> None:
    """wait() keeps waiting through a storm of SIGALRMs (their handler runs) and returns the right status."""
    hits = []
    old = signal.signal(signal.SIGALRM, lambda *_: hits.append(1))
    try:
        with Process.spawn(PY + ["import time; time.sleep(0.3); raise SystemExit(9)"]) as p:
            signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
            try:
                status = p.wait()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
    finally:
        signal.signal(signal.SIGALRM, old)
    assert status.code == 9
    assert hits


# -- timeouts and the lifecycle ---------------------------------------------


def test_timeout_raises_and_the_child_is_reaped_at_exit() -> None:
    """wait(timeout) on a running child raises TimeoutError; leaving the block still reaps it."""
    with Process.spawn(["sleep", "60"], grace=1.0) as p:
        with pytest.raises(TimeoutError):
            p.wait(0.05)
        assert p.poll() is None
        pid = p.pid
    assert not in_process_table(pid)


def test_with_block_terminates_and_reaps() -> None:
    """Leaving the block sends SIGTERM to a running child and reaps it: no zombie in the process table."""
    with Process.spawn(["sleep", "60"]) as p:
        pid = p.pid
        assert in_process_table(pid)
    assert p.closed
    assert not in_process_table(pid)


def test_with_block_reaps_on_exception() -> None:
    """An exception inside the block still ends and reaps the child, and propagates."""
    with pytest.raises(RuntimeError, match="boom"):
        with Process.spawn(["sleep", "60"]) as p:
            pid = p.pid
            raise RuntimeError("boom")
    assert not in_process_table(pid)


def test_sigkill_after_grace_when_sigterm_is_ignored() -> None:
    """A child ignoring SIGTERM is killed with SIGKILL after the grace period."""
    r, w = os.pipe()
    try:
        code = "import signal, os; signal.signal(signal.SIGTERM, signal.SIG_IGN); os.write(1, b'x'); signal.pause()"
        with Process.spawn(PY + [code], stdout=w, grace=0.2) as p:
            assert os.read(r, 1) == b"x"  # the handler is in place
        assert p.exit_status is not None and p.exit_status.signal == signal.SIGKILL
    finally:
        os.close(r)
        os.close(w)
    assert not in_process_table(p.pid)


def test_stop_returns_the_status() -> None:
    """stop() ends a running child and returns the SIGTERM status; on a finished one, its status."""
    with Process.spawn(["sleep", "60"]) as p:
        assert p.stop().signal == signal.SIGTERM
        assert p.stop() == p.wait()


def test_unclosed_child_is_killed_and_reaped_with_a_warning() -> None:
    """An owned child collected unclosed warns ResourceWarning and is killed and reaped."""
    p = Process.spawn(["sleep", "60"])
    pid = p.pid
    with pytest.warns(ResourceWarning):
        del p
        gc.collect()
    assert not in_process_table(pid)


def test_kill_after_reap_is_a_noop_without_signalling(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the child was reaped, kill/terminate/send_signal do nothing (as Popen once returncode is set), also after close."""
    import macres.process as mod

    with Process.spawn(["true"]) as p:
        p.wait()

        def refuse(*args: object) -> None:
            raise AssertionError(f"a signal was sent: {args}")

        monkeypatch.setattr(mod, "_pidfd_send_signal", refuse)
        monkeypatch.setattr(raw, "kill", refuse)
        for sig in (0, signal.SIGTERM, signal.SIGKILL):
            p.kill(sig)
            p.send_signal(sig)
        p.terminate()
        p.interrupt()
    p.kill()
    p.terminate()
    assert p.returncode == 0


@linux_only
def test_handle_is_a_pidfd_for_that_child() -> None:
    """On Linux the handle is a pidfd naming the child (fdinfo Pid), which reads -1 once it is reaped."""
    with Process.spawn(["sleep", "60"]) as p:
        [pidfd] = pidfds_of(p.pid)
        fdinfo = pathlib.Path(f"/proc/self/fdinfo/{pidfd}")
        p.terminate()
        p.wait()
        assert "Pid:\t-1\n" in fdinfo.read_text()


def test_handle_to_a_child_reaped_elsewhere() -> None:
    """Process(pid) of a child someone else reaped: kill raises ProcessLookupError (the pidfd stays on the dead one)."""
    pid = os.posix_spawnp("sleep", ["sleep", "60"], os.environ)
    try:
        with Process(pid) as handle:
            handle.kill(0)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            with pytest.raises(ProcessLookupError):
                handle.kill(signal.SIGTERM)
            with pytest.raises(ProcessLookupError):
                handle.getpriority()
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def test_a_pid_is_an_int_and_names_a_process() -> None:
    """Process(True) is refused (TypeError, not pid 1); a thread id that is no process's is a ValueError naming it."""
    for flag in (True, False):
        with pytest.raises(TypeError, match="bool"):
            Process(flag)
    ready, done = threading.Event(), threading.Event()
    tid: list[int] = []

    def thread() -> None:
        tid.append(threading.get_native_id())
        ready.set()
        done.wait(60)

    t = threading.Thread(target=thread)
    t.start()
    try:
        assert ready.wait(60) and tid[0] != os.getpid()
        with pytest.raises(ValueError, match=f"{tid[0]} is the id of a thread"):
            Process(tid[0])
    finally:
        done.set()
        t.join(60)


def test_handle_close_does_not_touch_the_process() -> None:
    """Closing a Process(pid) handle neither signals nor reaps; its child stays ours to reap."""
    pid = os.posix_spawnp("sleep", ["sleep", "60"], os.environ)
    try:
        with Process(pid):
            pass
        assert os.waitpid(pid, os.WNOHANG) == (0, 0)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_a_process_by_pid_neither_reaps_nor_ends_and_the_current_one_holds_nothing() -> None:
    """The three roles have their own types: Process(pid) has no poll/stop (it is no parent); CurrentProcess no close or wait."""
    with Process(os.getppid()) as parent:
        assert type(parent) is Process
        assert not hasattr(parent, "poll") and not hasattr(parent, "stop") and not hasattr(parent, "communicate")
        with pytest.raises(TimeoutError):
            parent.wait(0.01)
        assert not parent.exited()
    me = Process.current()
    assert type(me) is CurrentProcess and me is Process.current()
    assert not hasattr(me, "close") and not hasattr(me, "wait") and not hasattr(me, "fileno")


def test_invalid_pids_and_signals() -> None:
    """Process(0)/Process(-1) are ValueError (they name groups), a huge pid OverflowError, bad signals ValueError."""
    for bad in (0, -1, -os.getpid()):
        with pytest.raises(ValueError):
            Process(bad)
    with pytest.raises(OverflowError):
        Process(2**31)
    with Process.spawn(["true"]) as p:
        for sig in (-1, signal.NSIG, 10**6):
            with pytest.raises(ValueError):
                p.kill(sig)
        p.wait()


def test_missing_program_leaves_no_child() -> None:
    """Spawning a missing program raises FileNotFoundError and leaves nothing behind (the fixture checks)."""
    with pytest.raises(FileNotFoundError):
        Process.spawn(["/nonexistent/macres-program"])
    with pytest.raises(ValueError):
        Process.spawn([])
    with pytest.raises(TypeError):
        Process.spawn("sleep 1")


def test_gone_pid_raises_process_lookup_error() -> None:
    """Process(pid) of a pid that names nothing raises ProcessLookupError."""
    with Process.spawn(["true"]) as p:
        p.wait()
    with pytest.raises(ProcessLookupError):
        Process(p.pid)


# -- identity ----------------------------------------------------------------


def test_current_identity_matches_os() -> None:
    """pid/ppid/pgid/sid of the current process agree with os."""
    me = Process.current()
    assert (me.pid, me.ppid, me.pgid, me.sid) == (os.getpid(), os.getppid(), os.getpgrp(), os.getsid(0))


def test_child_identity_and_sessions() -> None:
    """A child's ppid is us; new_session makes it a session leader; process_group=0 a group leader."""
    with Process.spawn(["sleep", "60"]) as plain:
        assert plain.ppid == os.getpid()
        assert (plain.pgid, plain.sid) == (os.getpgid(plain.pid), os.getsid(plain.pid)) == (os.getpgrp(), os.getsid(0))
    with Process.spawn(["sleep", "60"], new_session=True) as leader:
        assert leader.sid == leader.pid == leader.pgid
    with Process.spawn(["sleep", "60"], process_group=0) as grouped:
        assert grouped.pgid == grouped.pid and grouped.sid == os.getsid(0)
    with pytest.raises(ValueError):
        Process.spawn(["true"], new_session=True, process_group=0)


def test_setpgid_after_exec_is_refused(sleeper: Child) -> None:
    """setpgid on a child that already exec'd raises PermissionError (EACCES)."""
    with pytest.raises(PermissionError) as info:
        sleeper.setpgid(0)
    assert info.value.errno == errno.EACCES


@linux_only
def test_ppid_of_a_handle_from_proc() -> None:
    """Process(pid).ppid for a non-owned process reads /proc: our parent's parent agrees with /proc."""
    with Process(os.getppid()) as parent:
        stat = pathlib.Path(f"/proc/{os.getppid()}/stat").read_text()
        assert parent.ppid == int(stat.rsplit(")", 1)[1].split()[1])


# -- priority ----------------------------------------------------------------


def test_priority_round_trip_in_a_child(sleeper: Child) -> None:
    """setpriority(7) on a child shows in getpriority and os.getpriority; out of range is ValueError."""
    assert sleeper.getpriority() == os.getpriority(os.PRIO_PROCESS, sleeper.pid)
    sleeper.setpriority(7)
    assert sleeper.getpriority() == 7 == os.getpriority(os.PRIO_PROCESS, sleeper.pid)
    for bad in (-21, 21, 100):
        with pytest.raises(ValueError):
            sleeper.setpriority(bad)


@needs_root
def test_negative_priority_as_root(sleeper: Child) -> None:
    """As root (with CAP_SYS_NICE), a child's priority can be raised to -5."""
    try:
        sleeper.setpriority(-5)
    except PermissionError:
        pytest.skip("root without CAP_SYS_NICE here")
    assert os.getpriority(os.PRIO_PROCESS, sleeper.pid) == -5


def test_group_and_user_priority_match_os() -> None:
    """The PRIO_PGRP and PRIO_USER class methods agree with os.getpriority."""
    assert Process.getpriority_pgrp() == os.getpriority(os.PRIO_PGRP, 0)
    assert Process.getpriority_user() == os.getpriority(os.PRIO_USER, os.getuid())
    with Process.spawn(["sleep", "60"], process_group=0) as p:
        Process.setpriority_pgrp(p.pid, 3)
        assert Process.getpriority_pgrp(p.pid) == 3 == os.getpriority(os.PRIO_PROCESS, p.pid)


# -- resource usage ----------------------------------------------------------


def test_current_rusage_between_resource_readings() -> None:
    """Process.current().rusage() lies between two resource readings; ru_maxrss is bytes (KiB * unit)."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    usage = Process.current().rusage()
    after = resource.getrusage(resource.RUSAGE_SELF)
    unit = raw.ABI.RUSAGE_MAXRSS_UNIT
    assert before.ru_maxrss * unit <= usage.ru_maxrss <= after.ru_maxrss * unit
    assert before.ru_utime <= usage.ru_utime <= after.ru_utime
    assert before.ru_minflt <= usage.ru_minflt <= after.ru_minflt
    assert usage.ru_maxrss > 1 << 20  # a Python process: megabytes, not a few thousand


def test_reaped_child_rusage_is_bytes_and_cpu_time() -> None:
    """A CPU-burning Python child that allocates 64 MiB: positive, bounded CPU time; ru_maxrss in bytes."""
    code = "b = bytearray(64 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nn = 0\nfor i in range(2_000_000): n += i"
    before = Process.children_rusage()
    with Process.spawn(PY + [code]) as p:
        with pytest.raises(ValueError):
            p.rusage()  # not known before the reap
        assert p.wait().code == 0
        usage = p.rusage()
    assert isinstance(usage, ResourceUsage)
    assert 0 < usage.ru_utime + usage.ru_stime < 600
    assert 64 << 20 <= usage.ru_maxrss < 64 << 30
    after = Process.children_rusage()
    assert after.ru_utime + after.ru_stime >= before.ru_utime + before.ru_stime + usage.ru_utime
    assert after.ru_minflt >= before.ru_minflt + usage.ru_minflt
    theirs = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_maxrss == theirs.ru_maxrss * raw.ABI.RUSAGE_MAXRSS_UNIT
    assert p.rusage() == usage  # still readable after close


# -- limits -------------------------------------------------------------------


def test_current_rlimit_matches_resource() -> None:
    """rlimit of the current process agrees with resource; setting the same values is a no-op round trip."""
    me = Process.current()
    for res in (resource.RLIMIT_NOFILE, resource.RLIMIT_CORE, resource.RLIMIT_STACK):
        soft, hard = me.rlimit(res)
        expected = tuple(RLIM_INFINITY if v == resource.RLIM_INFINITY else v for v in resource.getrlimit(res))
        assert (soft, hard) == expected
        me.set_rlimit(res, soft, hard)
        assert me.rlimit(res) == (soft, hard)
    assert Process.RLIM_INFINITY == RLIM_INFINITY == raw.ABI.RLIM_INFINITY


def test_set_rlimit_lowers_soft_limit_in_a_child() -> None:
    """In a forked child, set_rlimit lowers RLIMIT_NOFILE's soft limit as resource sees it."""

    def body() -> None:
        me = Process.current()
        _, hard = me.rlimit(resource.RLIMIT_NOFILE)
        me.set_rlimit(resource.RLIMIT_NOFILE, 50, hard)
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == 50

    in_child(body)


def test_current_set_rlimit_takes_resources_infinity_as_the_other_rlimit_calls_do() -> None:
    """CurrentProcess.set_rlimit takes resource.RLIM_INFINITY (-1) as no limit, as Child.set_rlimit and spawn do.

    In a forked child: RLIMIT_CORE set to (0, infinity) through -1 and
    through macres.RLIM_INFINITY reads back the same through resource.
    """

    def body() -> None:
        me = Process.current()
        me.set_rlimit(resource.RLIMIT_CORE, 0, resource.RLIM_INFINITY)
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, resource.RLIM_INFINITY)
        me.set_rlimit(resource.RLIMIT_CORE, resource.RLIM_INFINITY, resource.RLIM_INFINITY)
        assert resource.getrlimit(resource.RLIMIT_CORE) == (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
        me.set_rlimit(resource.RLIMIT_CORE, 0, macres.RLIM_INFINITY)
        assert me.rlimit(resource.RLIMIT_CORE) == (0, macres.RLIM_INFINITY)

    if resource.getrlimit(resource.RLIMIT_CORE)[1] != resource.RLIM_INFINITY:
        pytest.skip("RLIMIT_CORE's hard limit is finite here: raising it to infinity needs privileges")
    assert macres.RLIM_INFINITY == RLIM_INFINITY
    with pytest.raises(OverflowError):
        Process.current().set_rlimit(resource.RLIMIT_CORE, 0, -2)
    in_child(body)


@linux_only
def test_rlimit_of_another_process_through_prlimit(sleeper: Child) -> None:
    """A child's limits are read and lowered through prlimit, as resource.prlimit sees them."""
    soft, hard = sleeper.rlimit(resource.RLIMIT_NOFILE)
    assert (soft, hard) == resource.prlimit(sleeper.pid, resource.RLIMIT_NOFILE)
    sleeper.set_rlimit(resource.RLIMIT_NOFILE, 32, hard)
    assert resource.prlimit(sleeper.pid, resource.RLIMIT_NOFILE) == (32, hard)


# -- descriptors and streams ------------------------------------------------

_LIST_FDS = "import os\nfds = []\nfor fd in range(256):\n    try: os.fstat(fd)\n    except OSError: continue\n    fds.append(fd)\nprint(*fds)"


def test_pass_fds_inherited_and_nothing_else() -> None:
    """pass_fds reach the child (even close-on-exec ones); other descriptors, even inheritable ones, do not."""
    cloexec_r, cloexec_w = os.pipe()  # close-on-exec (Python's default)
    inherit_r, inherit_w = raw.pipe()  # inheritable, as in C
    try:
        assert not os.get_inheritable(cloexec_r) and os.get_inheritable(inherit_r)
        status, out = output_of(PY + [_LIST_FDS], pass_fds=[cloexec_r, inherit_w])
        assert status.code == 0
        seen = {int(x) for x in out.split()}
        assert seen == {0, 1, 2, cloexec_r, inherit_w}
        assert os.get_inheritable(inherit_r) and not os.get_inheritable(cloexec_r)  # parent unchanged
    finally:
        for fd in (cloexec_r, cloexec_w, inherit_r, inherit_w):
            os.close(fd)


def test_pass_fd_is_the_same_file() -> None:
    """A passed descriptor keeps its number and refers to the same pipe: the child writes into it."""
    r, w = os.pipe()
    try:
        with Process.spawn(PY + [f"import os; os.write({w}, b'through')"], pass_fds=[w]) as p:
            assert p.wait().code == 0
        os.close(w)
        w = -1
        assert os.read(r, 100) == b"through"
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def test_stdin_stdout_redirection_with_macres_pipes() -> None:
    """stdin and stdout accept macres FileDescriptors: cat copies what we write to what we read."""
    in_r, in_w = macres.pipe()
    out_r, out_w = macres.pipe()
    with in_r, in_w, out_r, out_w:
        with Process.spawn(["cat"], stdin=in_r, stdout=out_w) as p:
            in_w.write(b"hello through cat\n")
            in_w.close()
            out_w.close()
            assert p.wait().code == 0
            assert out_r.read(100) == b"hello through cat\n"


def test_swapped_streams(capfd: pytest.CaptureFixture[str]) -> None:
    """stdout=2 and stderr=1 swap the child's streams (the numbers cross without clobbering)."""
    with Process.spawn(["/bin/sh", "-c", "echo out; echo err >&2"], stdout=2, stderr=1) as p:
        assert p.wait().code == 0
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("err\n", "out\n")


def test_env_and_cwd(tmp_path: pathlib.Path) -> None:
    """env replaces the environment; cwd starts the child in that directory (and still passes fds)."""
    status, out = output_of(["/bin/sh", "-c", 'echo "$MACRES_X"; pwd'], env={"MACRES_X": "42", "PATH": os.defpath},
                            cwd=tmp_path)  # fmt: skip
    assert status.code == 0
    assert out.decode().split("\n")[:2] == ["42", str(tmp_path.resolve())]
    r, w = os.pipe()
    try:
        with Process.spawn(PY + [f"import os; os.write({w}, os.getcwd().encode())"], cwd=tmp_path, pass_fds=[w]) as p:
            assert p.wait().code == 0
        assert p.rusage().ru_maxrss > 0
        os.close(w)
        w = -1
        assert os.read(r, 4096).decode() == str(tmp_path.resolve())
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def test_stream_and_pass_fd_errors() -> None:
    """A closed descriptor is EBADF, a bool or str stream TypeError, a negative one ValueError."""
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info:
        Process.spawn(["true"], pass_fds=[r])
    assert info.value.errno == errno.EBADF
    with pytest.raises(TypeError):
        Process.spawn(["true"], stdin=True)
    with pytest.raises(TypeError):
        Process.spawn(["true"], stdout="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Process.spawn(["true"], stderr=-5)
    with pytest.raises(ValueError):
        Process.spawn(["true"], stdout=macres.STDOUT)


# -- credentials -------------------------------------------------------------


def test_current_credentials_match_os() -> None:
    """uid/euid/gid/egid/groups of the current process agree with os."""
    me = Process.current()
    assert (me.uid, me.euid, me.gid, me.egid) == (os.getuid(), os.geteuid(), os.getgid(), os.getegid())
    assert sorted(me.groups) == sorted(os.getgroups())


@linux_only
def test_child_credentials_from_proc(sleeper: Child) -> None:
    """A child's ids (read from /proc) are ours."""
    assert (sleeper.uid, sleeper.euid, sleeper.gid, sleeper.egid) == (os.getuid(), os.geteuid(), os.getgid(), os.getegid())
    assert sorted(sleeper.groups) == sorted(os.getgroups())


@needs_root
def test_drop_privileges_in_a_child() -> None:
    """As root, drop_privileges leaves uid/gid 65534 with the asked groups; then root cannot come back."""

    def body() -> None:
        me = Process.current()
        me.drop_privileges(65534, 65534, groups=[65533])
        assert (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) == (65534,) * 4
        assert os.getgroups() == [65533]
        with pytest.raises(PermissionError):
            os.setuid(0)
        with pytest.raises(PermissionError):  # and a second drop, now unprivileged, is refused
            me.drop_privileges(0, 0)

    in_child(body)


def test_drop_privileges_only_for_the_current_process(sleeper: Child) -> None:
    """drop_privileges belongs to the current process only: a Child or a Process has none."""
    assert callable(Process.current().drop_privileges)
    assert not hasattr(sleeper, "drop_privileges")


# -- the lifecycle contract ----------------------------------------------------


def test_closed_process_refuses_operations() -> None:
    """After close every operation raises ClosedResourceError; close is idempotent; repr says closed."""
    p = Process.spawn(["sleep", "60"])
    p.close()
    p.close()
    assert "closed" in repr(p)
    for call in (p.wait, p.getpriority, lambda: p.pgid, p.fileno, p.info):
        with pytest.raises(macres.ClosedResourceError):
            call()
    # What Popen keeps answering once the code is known: the code, and signals that do nothing.
    assert p.poll() == p.returncode == -signal.SIGTERM
    p.kill(0)
    p.terminate()
    other = Process(os.getpid())  # not a child: no status, so a closed handle refuses signals
    other.close()
    for call in (lambda: other.kill(0), other.terminate, other.wait):
        with pytest.raises(macres.ClosedResourceError):
            call()


def test_wait_in_one_thread_close_in_another() -> None:
    """A wait() blocked in a thread returns the SIGTERM status when another thread closes the handle."""
    p = Process.spawn(["sleep", "60"])
    result: list[ExitStatus] = []
    t = threading.Thread(target=lambda: result.append(p.wait()))
    t.start()
    p.close()
    t.join(30)
    assert not t.is_alive()
    assert result and result[0].signal == signal.SIGTERM


def test_close_kills_a_child_another_thread_waits_for() -> None:
    """A thread blocked in wait() on a child that ignores SIGTERM does not keep close() from the SIGKILL after the grace period."""
    r, w = os.pipe()
    try:
        code = "import signal, os; signal.signal(signal.SIGTERM, signal.SIG_IGN); os.write(1, b'x'); signal.pause()"
        p = Process.spawn(PY + [code], stdout=w, grace=0.2)
        assert os.read(r, 1) == b"x"  # SIGTERM is ignored from here
    finally:
        os.close(r)
        os.close(w)
    result: list[ExitStatus] = []
    waiter = threading.Thread(target=lambda: result.append(p.wait()))
    waiter.start()
    closer = threading.Thread(target=p.close)
    closer.start()
    closer.join(30)
    waiter.join(30)
    assert not closer.is_alive() and not waiter.is_alive()
    assert p.exit_status is not None and p.exit_status.signal == signal.SIGKILL
    assert result == [p.exit_status]


@needs_root
def test_others_process_is_permission_error_but_queries_work() -> None:
    """As uid 65534, a handle to root's process answers pgid/getpriority but signalling raises PermissionError."""
    with Process.spawn(["sleep", "60"]) as target:
        pid = target.pid

        def body() -> None:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with Process(pid) as theirs:
                assert theirs.pgid == os.getpgid(pid)
                assert theirs.getpriority() == os.getpriority(os.PRIO_PROCESS, pid)
                with pytest.raises(PermissionError):
                    theirs.kill(0)
                with pytest.raises(PermissionError):
                    theirs.setpriority(5)

        in_child(body)


def test_stopped_child_is_still_ended_by_close() -> None:
    """A SIGSTOPped child is resumed after SIGTERM, so close ends it with SIGTERM, not the SIGKILL fallback."""
    with Process.spawn(["sleep", "60"], grace=30) as p:
        p.kill(signal.SIGSTOP)
        assert p.wait(untraced=True).stopped
    assert p.exit_status is not None and p.exit_status.signal == signal.SIGTERM


def test_child_reaped_behind_our_back() -> None:
    """If someone else reaps the child, wait raises ChildProcessError and close still succeeds."""
    with Process.spawn(["true"]) as p:
        os.waitpid(p.pid, 0)
        with pytest.raises(ChildProcessError):
            p.wait()
    assert p.closed


def test_resource_usage_is_a_frozen_value() -> None:
    """ResourceUsage compares and hashes by value, refuses assignment, and matches raw's children usage."""
    a = Process.children_rusage()
    b = ResourceUsage.from_raw(raw.getrusage(raw.ABI.RUSAGE_CHILDREN))
    assert a == b and hash(a) == hash(b)
    assert a.ru_maxrss == raw.getrusage(raw.ABI.RUSAGE_CHILDREN).ru_maxrss * raw.ABI.RUSAGE_MAXRSS_UNIT
    with pytest.raises(AttributeError):
        a.ru_utime = 1.0  # type: ignore[misc]
    assert "ru_maxrss=" in repr(a)


# -- audit: calls on closed numbers, call counts, lent descriptors, signals, fork, 3.10, validation ----------

from _strace import kernel_calls, needs_strace  # noqa: E402 - the audit's witnesses, kept with their tests

_SETUP = "import os, subprocess\nfrom macres.process import Process\n"
#: What a wait or a close may call: reaping, waiting for an exit, signalling, asking for one's own pid.
_WAIT_CALLS = "wait4,waitid,poll,ppoll,select,pselect6,epoll_wait,getpid,pidfd_open,pidfd_send_signal,kill"


def _traced(body: str, setup: str, extra: str = "") -> list[str]:
    """The names of the calls in _WAIT_CALLS (and *extra*) that *body* makes (kernel_calls adds access, its marker)."""
    return [c.name for c in kernel_calls(body, _SETUP + setup, trace=_WAIT_CALLS + extra) if c.name != "access"]


@needs_strace
def test_spawn_makes_no_call_on_a_closed_number() -> None:
    """No system call of a spawn (parent and child) fails with EBADF: the listing's own number is never probed after it is closed."""
    calls = kernel_calls("p = Process.spawn(['true'], pass_fds=[w])\np.wait()\np.close()", _SETUP + "r, w = os.pipe()")
    assert [c.name for c in calls if c.name == "execve" and not c.failed]  # the trace covers the child
    bad = [f"{c.name}({c.args}) = {c.result}" for c in calls if c.failed and "EBADF" in c.result]
    assert bad == []


@needs_strace
def test_signals_to_a_reaped_child_reach_no_kernel() -> None:
    """kill/terminate/send_signal of a reaped child make no system call at all (Popen's no-op), also after close."""
    body = "p.kill()\np.terminate()\np.send_signal(0)\np.close()\np.kill()\nassert p.poll() == 0"
    assert _traced(body, "p = Process.spawn(['true'])\np.wait()") == []


@needs_strace
def test_wait_on_a_running_child_makes_the_calls_popen_makes() -> None:
    """wait() on a running child: the same calls as subprocess.Popen.wait (one blocking wait4), no getpid."""
    ours = _traced("p.wait()", "p = Process.spawn(['sleep', '0.2'])")
    theirs = _traced("q.wait()", "q = subprocess.Popen(['sleep', '0.2'])")
    assert ours == theirs == ["wait4"]


@needs_strace
def test_closing_an_ended_child_makes_the_calls_popen_makes() -> None:
    """close() of an owned child that has ended reaps it as leaving Popen's block does (one wait4), no getpid; then the pidfd goes."""
    ended = "os.waitid(os.P_PID, {0}.pid, os.WEXITED | os.WNOWAIT)"  # ended, not yet reaped
    ours = _traced("p.close()", "p = Process.spawn(['true'])\n" + ended.format("p"), ",close")
    theirs = _traced("q.__exit__(None, None, None)", "q = subprocess.Popen(['true'])\n" + ended.format("q"), ",close")
    assert theirs == ["wait4"]
    assert ours == ["wait4", "close"]  # close: the pidfd, which Popen does not hold


@needs_strace
def test_a_handle_by_pid_asks_for_no_pid() -> None:
    """Process(pid) opens the pidfd and makes no getpid call (the own pid is cached across forks)."""
    assert _traced("h = Process(ppid)", "ppid = os.getppid()") == ["pidfd_open"]


@pytest.mark.parametrize("role", ["stdout", "pass_fds"])
def test_a_lent_descriptor_closed_during_spawn_is_not_reused(role: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FileDescriptor given to spawn and closed while the spawn runs stays the child's until the spawn ends: a file opened meanwhile never gets its number."""
    r, w = macres.pipe()
    number = w.fileno()
    opened: list[int] = []
    real = core.spawn

    def spawn_after_a_close(*args: object, **kwargs: object) -> int:
        w.close()  # another thread's close, at the worst moment
        opened.append(os.open(tmp_path / "other", os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "spawn", spawn_after_a_close)  # the spawn engine's entry in the running core
    code = "import os, sys; os.write(int(sys.argv[1]), b'to the pipe')"
    try:
        kwargs: dict[str, object] = {"stdout": w} if role == "stdout" else {"pass_fds": [w]}
        target = "1" if role == "stdout" else str(number)
        with Process.spawn(PY + [code, target], **kwargs) as p:  # type: ignore[arg-type]
            assert p.wait().code == 0
        assert opened[0] != number  # the number stayed the pipe's through the spawn
        assert w.closed
        assert r.read(100) == b"to the pipe"
        assert r.read(100) == b""  # and the deferred close happened: end of file
        assert (tmp_path / "other").read_bytes() == b""
    finally:
        for fd in opened:
            os.close(fd)
        r.close()
        w.close()


_STORM = """
import os, random, signal, sys, time
from macres.process import Process

class Tick(Exception):
    pass

armed = [False]

def handler(sig, frame):
    if armed[0]:
        armed[0] = False
        raise Tick

signal.signal(signal.SIGALRM, handler)
rng = random.Random(int(sys.argv[1]))
fds_before = len(os.listdir("/proc/self/fd"))
interrupted = 0
for i in range(int(sys.argv[2])):
    try:
        armed[0] = True
        signal.setitimer(signal.ITIMER_REAL, rng.uniform(10e-6, 800e-6))
        with Process.spawn(["true"]) as p:
            pass
    except Tick:
        interrupted += 1
    armed[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)
p = None
if sys.argv[3] == "pure":
    # The pure core: a close() cut short by the handler is finished by the finalizer,
    # which runs once the collector frees the cycle the exception's traceback made.
    import gc
    gc.collect()
print(interrupted, len(os.listdir("/proc/self/fd")) - fds_before, flush=True)
signal.pause()  # the test counts this process's children from outside, then kills it
"""


@linux_only
def test_a_signal_handlers_exception_during_with_spawn_leaves_no_child() -> None:
    """300 `with Process.spawn(['true'])` blocks, each hit once by a timer signal whose handler raises at a random point: no child running, no zombie, no exit hung on a lock."""
    psutil = pytest.importorskip("psutil")
    from macres import _backend

    core = "compiled" if _backend.compiled is not None else "pure"
    with subprocess.Popen([sys.executable, "-c", _STORM, "7", "300", core], stdout=subprocess.PIPE, text=True) as storm:
        try:
            assert storm.stdout is not None
            ready, _, _ = select.select([storm.stdout], [], [], 60)
            assert ready, "the storm hung (an exit blocked on a lock?)"
            interrupted, fds = (int(x) for x in storm.stdout.readline().split())
            children = psutil.Process(storm.pid).children()
            assert interrupted > 30  # the signal did land inside the blocks
            assert [(c.pid, c.status()) for c in children] == []
            if _backend.compiled is not None:  # the pure reference's handle lifecycle is not atomic against signals
                assert fds == 0
        finally:
            storm.kill()


def test_current_process_follows_a_fork_and_never_warns() -> None:
    """Process.current() made before fork names the child in the child (pid, repr, signals); collected, it warns nothing."""
    me = Process.current()
    r, w = os.pipe()
    with FORK_LOCK:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            got: list[int] = []
            signal.signal(signal.SIGUSR1, lambda *_: got.append(1))
            me.kill(signal.SIGUSR1)
            os.write(w, f"{me.pid == os.getpid()} {f'pid={os.getpid()} ' in repr(me)} {got == [1]}".encode())
            os._exit(0)
    os.close(w)
    try:
        assert os.read(r, 100) == b"True True True"
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del me
        for _ in range(3):
            Process.current()
        gc.collect()


def test_cwd_with_a_process_group(tmp_path: pathlib.Path) -> None:
    """spawn(cwd=..., process_group=0) runs the child in that directory, leading its own group (every Python, 3.10 included)."""
    code = "import os; print(os.getcwd()); print(os.getpgrp() == os.getpid())"
    status, out = output_of(PY + [code], cwd=tmp_path, process_group=0)
    assert status.code == 0
    assert out.decode().split() == [str(tmp_path.resolve()), "True"]


def test_infinite_grace_and_timeout_mean_for_ever() -> None:
    """grace=inf and wait(timeout=inf) wait without a deadline (no OverflowError); stop(grace=inf) too."""
    with Process.spawn(["sleep", "60"], grace=math.inf) as p:
        p.terminate()
        assert p.wait(math.inf).signal == signal.SIGTERM
    with Process.spawn(["sleep", "60"], grace=math.inf) as p:
        pass  # close: SIGTERM, then a wait without a deadline
    assert p.exit_status is not None and p.exit_status.signal == signal.SIGTERM
    with Process.spawn(["sleep", "60"]) as p:
        assert p.stop(grace=math.inf).signal == signal.SIGTERM


def test_bad_values_are_refused_at_the_door() -> None:
    """grace/timeout that are not numbers: TypeError; NaN: ValueError; env that is not a mapping: TypeError; each names the argument."""
    for bad, error in (("5", TypeError), (None, None), (math.nan, ValueError), (True, TypeError)):
        if error is None:
            continue
        with pytest.raises(error, match="grace"):
            Process.spawn(["true"], grace=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="env"):
        Process.spawn(["true"], env=["PATH=/bin"])  # type: ignore[arg-type]
    with Process.spawn(["true"]) as p:
        with pytest.raises(TypeError, match="timeout"):
            p.wait("1")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="timeout"):
            p.wait(math.nan)
        with pytest.raises(ValueError, match="grace"):
            p.stop(grace=math.nan)
        p.wait()
