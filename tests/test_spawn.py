"""Tests for the spawn engine under Process.spawn: inheritance, call counts, races, options, exec failures.

Run on both cores (the suite runs again with MACRES_PURE=1).  The witnesses
are independent of macres: the child's own /proc/self/fd listing, strace for
the parent's system calls, and /proc/<pid>/{status,stat,cwd,environ,limits}
for what the child was given.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import pathlib
import signal
import stat
import sys
import threading
from collections.abc import Iterator

import psutil
import pytest

from _strace import Call, kernel_calls, needs_strace
from _support import NOBODY, drop_privileges, in_child, linux_only, raise_after_blocking

from macres import raw
from macres._backend import NAME as CORE
from macres.process import Process

PY = [sys.executable, "-I", "-S", "-c"]
#: The child lists the descriptors it holds: those still open after the listing closed its own.
_LIST_FDS = """
import os, sys
names = os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd")
held = []
for n in sorted(map(int, names)):
    try:
        os.fstat(n)
    except OSError:
        continue
    held.append(n)
os.write(int(sys.argv[1]), " ".join(map(str, held)).encode())
"""


@contextlib.contextmanager
def inheritable_files(count: int) -> Iterator[list[int]]:
    """*count* descriptors open on /dev/null, inheritable (the kind a careless spawn leaks)."""
    fds: list[int] = []
    try:
        for _ in range(count):
            fds.append(os.open(os.devnull, os.O_RDONLY))
            os.set_inheritable(fds[-1], True)
        yield fds
    finally:
        for fd in fds:
            os.close(fd)


def descriptors_of_child(**kwargs: object) -> tuple[set[int], int]:
    """The descriptors a spawned child holds, and the number of the pipe end it reports them through (a pass_fd)."""
    r, w = os.pipe()
    report = w
    try:
        pass_fds = [w, *kwargs.pop("pass_fds", [])]  # type: ignore[misc]
        with Process.spawn([*PY, _LIST_FDS, str(w)], pass_fds=pass_fds, **kwargs) as p:  # type: ignore[arg-type]
            os.close(w)
            w = -1
            out = b""
            while chunk := os.read(r, 65536):
                out += chunk
            assert p.wait().code == 0
        return {int(n) for n in out.split()}, report
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def _no_zombies() -> None:
    zombies = [c.pid for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]
    assert zombies == []


# -- what the child inherits --------------------------------------------------------------------------


@pytest.mark.parametrize("open_count", [0, 500])
def test_the_child_holds_only_the_streams_and_pass_fds(open_count: int) -> None:
    """With 0 or 500 inheritable descriptors open here, the child holds 0, 1, 2 and the pass_fds: nothing else."""
    with inheritable_files(open_count) as fds:
        passed = fds[len(fds) // 2 :][:1]  # one of them, when there are any
        held, report = descriptors_of_child(pass_fds=passed)
    assert held == {0, 1, 2, report, *passed}


def test_a_pass_fd_close_on_exec_here_is_inherited(tmp_path: pathlib.Path) -> None:
    """A pass_fd that is close-on-exec in the parent keeps its number and is open in the child."""
    fd = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        assert not os.get_inheritable(fd)
        held, report = descriptors_of_child(pass_fds=[fd])
        assert held == {0, 1, 2, report, fd}
    finally:
        os.close(fd)


def test_swapped_streams_reach_the_child(tmp_path: pathlib.Path) -> None:
    """stdin=1 and stdout=0 swap: each source lands on the other number (a low source is moved before the dup2s)."""
    r, w = os.pipe()
    in_r, in_w = os.pipe()
    saved = (os.dup(0), os.dup(1))
    try:
        os.write(in_w, b"from the parent")
        os.close(in_w)
        os.dup2(in_r, 1)  # the child's stdin source: our 1
        os.dup2(w, 0)  # the child's stdout source: our 0
        with Process.spawn(["cat"], stdin=1, stdout=0) as p:
            os.dup2(saved[0], 0)
            os.dup2(saved[1], 1)
            os.close(w)
            w = -1
            assert os.read(r, 100) == b"from the parent"
            assert p.wait().code == 0
    finally:
        os.dup2(saved[0], 0)
        os.dup2(saved[1], 1)
        for fd in (*saved, r, in_r, w):
            if fd >= 0:
                os.close(fd)


def test_another_threads_new_descriptor_never_reaches_the_child() -> None:
    """A thread opening inheritable pipes without pause during 40 spawns: no child ever holds one."""
    stop = threading.Event()
    opened: list[int] = []

    def opener() -> None:
        while not stop.is_set() and len(opened) < 20000:
            opened.extend(os.pipe2(0))  # inheritable from birth: no O_CLOEXEC
            if len(opened) > 200:
                for fd in opened[:100]:
                    os.close(fd)
                del opened[:100]

    thread = threading.Thread(target=opener)
    thread.start()
    try:
        for _ in range(40):
            held, report = descriptors_of_child()
            assert held == {0, 1, 2, report}
    finally:
        stop.set()
        thread.join()
        for fd in opened:
            os.close(fd)


# -- what reaches the kernel -------------------------------------------------------------------------

_SETUP = """
import os, subprocess
from macres.process import Process
fds = [os.open(os.devnull, os.O_RDONLY) for _ in range({count})]
for fd in fds:
    os.set_inheritable(fd, True)
Process.spawn(['true']).wait()  # warm: the pure core imports its engine on first use
"""


def _parent_calls(body: str, count: int) -> tuple[list[Call], list[Call]]:
    """(the parent's calls, everyone's) while *body* runs, with *count* inheritable descriptors open."""
    calls = kernel_calls(body, _SETUP.format(count=count))
    parent = calls[0].pid  # the body starts in the parent
    return [c for c in calls if c.pid == parent], calls


@needs_strace
def test_spawn_makes_the_same_calls_with_0_and_500_descriptors_open() -> None:
    """The parent's calls for a spawn do not grow with the descriptors open (compiled core), and no call of parent or child is EBADF."""
    body = "p = Process.spawn(['true'])\np.wait()"  # the wait: strace logs the child's exec before the end marker
    few, few_all = _parent_calls(body, 0)
    many, many_all = _parent_calls(body, 500)
    if CORE == "compiled":  # the pure core's one-thread path lists the descriptors (documented in _pure/spawn.py)
        assert [c.name for c in few] == [c.name for c in many]
    assert [c.name for c in many_all if c.name == "execve" and not c.failed]  # the trace covers the child
    bad = [f"{c.name}({c.args}) = {c.result}" for c in few_all + many_all if "EBADF" in c.result]
    assert bad == []


@needs_strace
@pytest.mark.skipif(CORE != "compiled", reason="the pure core goes through Popen and makes more calls (documented)")
def test_compiled_spawn_makes_at_most_the_calls_of_popen() -> None:
    """The compiled core's spawn and wait (pidfd included) make no more parent calls than subprocess.Popen's, with 500 open."""
    ours, _ = _parent_calls("p = Process.spawn(['true'])\np.wait()", 500)
    theirs, _ = _parent_calls("q = subprocess.Popen(['true'])\nq.wait()", 500)
    assert len(ours) <= len(theirs), ([c.name for c in ours], [c.name for c in theirs])
    assert not [c for c in ours if c.name in ("fcntl", "close", "getdents64")]  # nothing per descriptor


# -- options, observed in the child through /proc ------------------------------------------------------


def _status(pid: int) -> dict[str, list[str]]:
    with open(f"/proc/{pid}/status") as f:
        return {k: v.split() for k, _, v in (line.partition(":") for line in f)}


@contextlib.contextmanager
def sleeping(**kwargs: object) -> Iterator[Process]:
    """A spawned ``sleep 60`` with *kwargs*, stopped and reaped on exit."""
    with Process.spawn(["sleep", "60"], **kwargs) as p:  # type: ignore[arg-type]
        yield p


def _wait_exec(pid: int) -> None:
    """Until the child runs sleep (its /proc is the exec'd program's, not a copy of ours)."""
    for _ in range(2000):
        try:
            if os.readlink(f"/proc/{pid}/exe").endswith("sleep"):
                return
        except OSError:
            pass
        threading.Event().wait(0.005)
    raise AssertionError(f"process {pid} did not exec sleep")


@linux_only
def test_cwd_env_umask_and_rlimits_are_the_childs(tmp_path: pathlib.Path) -> None:
    """cwd, env, umask and rlimits given to spawn are what /proc shows of the child."""
    soft, hard = 64, 128
    env = {"PATH": os.environ["PATH"], "MACRES_SPAWN": "yes"}
    with sleeping(cwd=tmp_path, env=env, umask=0o027, rlimits={raw.ABI.RLIMIT_NOFILE: (soft, hard)}) as p:
        _wait_exec(p.pid)
        assert os.readlink(f"/proc/{p.pid}/cwd") == str(tmp_path.resolve())
        with open(f"/proc/{p.pid}/environ", "rb") as f:
            assert sorted(f.read().rstrip(b"\0").split(b"\0")) == sorted(f"{k}={v}".encode() for k, v in env.items())
        assert _status(p.pid)["Umask"] == ["0027"]
        assert psutil.Process(p.pid).rlimit(psutil.RLIMIT_NOFILE) == (soft, hard)
        assert os.getcwd() != str(tmp_path) and os.umask(os.umask(0o022)) != 0o027  # ours are untouched


@linux_only
def test_process_group_and_session_are_the_childs() -> None:
    """process_group=0 makes the child a group leader in our session; start_new_session a session leader."""
    with sleeping(process_group=0) as p:
        _wait_exec(p.pid)
        assert (os.getpgid(p.pid), os.getsid(p.pid)) == (p.pid, os.getsid(0))
    with sleeping(start_new_session=True) as p:
        _wait_exec(p.pid)
        assert (os.getpgid(p.pid), os.getsid(p.pid)) == (p.pid, p.pid)
    with sleeping(process_group=os.getpgrp()) as p:  # an existing group of our session
        _wait_exec(p.pid)
        assert os.getpgid(p.pid) == os.getpgrp()
    with pytest.raises(ValueError, match="exclude"):
        Process.spawn(["true"], start_new_session=True, process_group=0)


@linux_only
def test_signal_mask_and_dispositions_start_clean() -> None:
    """The child starts with an empty signal mask and SIGPIPE at its default, though here SIGUSR1 is blocked and SIGPIPE ignored."""
    assert signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN
    old = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    try:
        with sleeping() as p:
            _wait_exec(p.pid)
            status = _status(p.pid)
            assert int(status["SigBlk"][0], 16) == 0
            assert not int(status["SigIgn"][0], 16) & (1 << (signal.SIGPIPE - 1))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@linux_only
def test_an_exception_right_after_blocking_signals_leaves_the_mask_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure engine blocks every signal around the start: an exception raised as that block returns leaves the mask as it was, and no child."""
    from macres import _pure

    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    real = raise_after_blocking(monkeypatch)
    try:
        with pytest.raises(KeyboardInterrupt):
            _engine_outcome(_pure.spawn, {})
        assert real(signal.SIG_BLOCK, []) == before
    finally:
        real(signal.SIG_SETMASK, before)
    _no_zombies()


@linux_only
@pytest.mark.skipif(os.geteuid() != 0, reason="changing a child's user and groups needs root")
def test_user_group_and_extra_groups_are_the_childs() -> None:
    """As root: user, group and extra_groups (ids or names) are the child's real, effective and saved ids."""
    with sleeping(user=NOBODY, group=NOBODY, extra_groups=[1, 2]) as p:
        _wait_exec(p.pid)
        status = _status(p.pid)
        assert status["Uid"] == [str(NOBODY)] * 4
        assert status["Gid"] == [str(NOBODY)] * 4
        assert sorted(map(int, status["Groups"])) == [1, 2]
    import grp
    import pwd

    user, group = pwd.getpwuid(NOBODY).pw_name, grp.getgrgid(1).gr_name
    with sleeping(user=user, group=group, extra_groups=[]) as p:
        _wait_exec(p.pid)
        status = _status(p.pid)
        assert (status["Uid"][0], status["Gid"][0], status.get("Groups", [])) == (str(NOBODY), "1", [])
    assert os.geteuid() == 0 and os.getgid() == 0  # ours are untouched
    with pytest.raises(KeyError):
        Process.spawn(["true"], user="macres-no-such-user")


def _has_cap_sys_resource() -> bool:
    """Whether this process may raise hard limits (CAP_SYS_RESOURCE, bit 24 of CapEff)."""
    try:
        return bool(int(_status(os.getpid())["CapEff"][0], 16) & (1 << 24))
    except (OSError, KeyError):
        return False


@linux_only
@pytest.mark.skipif(
    os.geteuid() != 0 or not _has_cap_sys_resource(),
    reason="raising a hard limit for a dropped user needs root with CAP_SYS_RESOURCE",
)
def test_rlimits_are_set_before_the_user_changes_on_the_compiled_core() -> None:
    """As root, a limit above our hard one is given to a child running as nobody (compiled core); the pure core refuses it."""
    current = psutil.Process().rlimit(psutil.RLIMIT_NOFILE)
    raised = (current[1] + 1, current[1] + 1)
    if CORE == "compiled":
        with sleeping(user=NOBODY, rlimits={raw.ABI.RLIMIT_NOFILE: raised}) as p:
            _wait_exec(p.pid)
            assert psutil.Process(p.pid).rlimit(psutil.RLIMIT_NOFILE) == raised
    else:
        with pytest.raises(PermissionError):
            Process.spawn(["sleep", "60"], user=NOBODY, rlimits={raw.ABI.RLIMIT_NOFILE: raised})


def test_user_change_is_refused_without_privileges() -> None:
    """As an ordinary user (a forked child dropped to nobody when we are root): user=0 is PermissionError, no child left."""

    def body() -> None:
        if os.geteuid() == 0:
            drop_privileges()
        with pytest.raises(PermissionError):
            Process.spawn(["true"], user=0)
        with pytest.raises(PermissionError):
            Process.spawn(["true"], extra_groups=[0])
        _no_zombies()

    in_child(body)


# -- failures ------------------------------------------------------------------------------------------


def test_a_missing_program_is_file_not_found_named_as_given() -> None:
    """A program that is nowhere: FileNotFoundError naming it; an absolute one too; no zombie remains."""
    for program in ("macres-no-such-program", "/nonexistent/macres-program"):
        with pytest.raises(FileNotFoundError) as info:
            Process.spawn([program, "x"])
        assert info.value.errno == errno.ENOENT and info.value.filename == program
    _no_zombies()


def test_a_file_that_is_not_executable_is_permission_error(tmp_path: pathlib.Path) -> None:
    """A program file without execute permission: PermissionError (EACCES); found through PATH the same."""
    program = tmp_path / "prog"
    program.write_text("#!/bin/sh\nexit 3\n")
    program.chmod(0o644)
    with pytest.raises(PermissionError):
        Process.spawn([str(program)])
    if os.geteuid() != 0 or os.access(program, os.X_OK) is False:
        with pytest.raises(PermissionError):
            Process.spawn(["prog"], env={"PATH": str(tmp_path)})
    _no_zombies()


def test_path_search_goes_past_a_file_it_cannot_run(tmp_path: pathlib.Path) -> None:
    """PATH is the env's: an unexecutable match is remembered and the search goes on to one that runs (execvpe's rule)."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "prog").write_text("#!/bin/sh\nexit 3\n")
    (second / "prog").write_text("#!/bin/sh\nexit 4\n")
    (second / "prog").chmod(stat.S_IRWXU)
    env = {"PATH": f"{tmp_path / 'none'}:{first}:{second}"}
    with Process.spawn(["prog"], env=env) as p:
        assert p.wait().code == 4


def test_a_missing_cwd_is_file_not_found_naming_it(tmp_path: pathlib.Path) -> None:
    """A cwd that does not exist: FileNotFoundError naming the directory, the program never runs, no zombie."""
    missing = tmp_path / "gone"
    marker = tmp_path / "ran"
    with pytest.raises(FileNotFoundError) as info:
        Process.spawn(["/bin/sh", "-c", f"touch {marker}"], cwd=missing)
    assert info.value.filename == str(missing)
    assert not marker.exists()
    _no_zombies()


def test_a_closed_stream_is_ebadf() -> None:
    """A stream source that is not open: OSError EBADF (the compiled core learns it from the child's dup2), no zombie."""
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info:
        Process.spawn(["true"], stdout=w)
    assert info.value.errno == errno.EBADF
    _no_zombies()


def test_refused_limits_raise() -> None:
    """A soft limit above the hard one is EINVAL from setrlimit, as an OSError; no zombie."""
    with pytest.raises(OSError) as info:
        Process.spawn(["true"], rlimits={raw.ABI.RLIMIT_NOFILE: (64, 32)})
    assert info.value.errno == errno.EINVAL
    _no_zombies()


def test_bad_option_values_are_refused_at_the_door() -> None:
    """An environment name with '=', a umask out of range, a pass_fd that is another stream's target: ValueError."""
    with pytest.raises(ValueError, match="environment"):
        Process.spawn(["true"], env={"A=B": "c"})
    with pytest.raises(ValueError, match="umask"):
        Process.spawn(["true"], umask=0o1000)
    with pytest.raises(ValueError, match="pass_fds"):
        Process.spawn(["true"], stdout=2, pass_fds=[1])
    _no_zombies()


# -- the two cores side by side ------------------------------------------------------------------------

_SHOW = b"pwd; umask; echo $A; ulimit -n; ulimit -Hn; test $(ps -o pgid= $$) = $$ && echo leader || echo member"
_CASES: dict[str, dict[str, object]] = {
    "runs with every option": {
        "cwd": b"/",
        "umask": 0o27,
        "envp": (b"A=1", b"PATH=/bin:/usr/bin"),
        "rlimits": ((raw.ABI.RLIMIT_NOFILE, 64, 96),),
        "pgroup": 0,
    },
    "PATH search past missing entries": {"executables": (b"/nonexistent/sh", b"/bin/sh")},
    "a new session": {"setsid": True},
    "missing program": {"executables": (b"/nonexistent/sh",)},
    "not executable": {"executables": (b"/etc/passwd",)},
    "missing cwd": {"cwd": b"/nonexistent"},
    "soft limit above hard": {"rlimits": ((raw.ABI.RLIMIT_NOFILE, 64, 32),)},
    "closed stream": {"stdin": 987},
    "closed pass_fd": {"pass_fds": (999,)},
    "cwd is a file": {"cwd": b"/etc/passwd"},
    "a process group of another session": {"pgroup": 1},
    "unsorted pass_fds": {"pass_fds": (9, 8)},
    "empty argv": {"argv": ()},
}


def _engine_outcome(spawn: object, over: dict[str, object]) -> tuple[object, ...]:
    """What one core's spawn does with these arguments: (exit code, output) or (exception type, errno, message, filename)."""
    r, w = os.pipe()
    args: dict[str, object] = {"executables": (b"/bin/sh",), "argv": (b"sh", b"-c", _SHOW), "envp": None,
                               "cwd": None, "stdin": -1, "stdout": w, "stderr": -1, "pass_fds": (), "setsid": False,
                               "pgroup": -1, "umask": -1, "uid": -1, "gid": -1, "groups": None, "rlimits": ()}  # fmt: skip
    args.update(over)
    try:
        try:
            pid, pidfd = spawn(*args.values())  # type: ignore[operator]
        except OSError as e:  # the message names the child's step that failed; the filename the program or cwd
            return type(e), e.errno, e.strerror, e.filename
        except ValueError as e:
            return type(e), str(e)
        try:  # the pidfd names the child (its fdinfo's Pid), or the engine says why there is none
            with open(f"/proc/self/fdinfo/{pidfd}") as info:
                assert f"Pid:\t{pid}\n" in info.read()
        finally:
            os.close(pidfd)
        os.close(w)
        w = -1
        out = b""
        while chunk := os.read(r, 4096):
            out += chunk
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), out
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


@linux_only
@pytest.mark.parametrize("case", list(_CASES))
def test_both_cores_spawn_alike(case: str) -> None:
    """The compiled engine and the pure one give the same exit and output, or the same exception and errno."""
    from macres import _pure

    try:
        compiled = importlib.import_module("macres._core")  # also when MACRES_PURE picks the pure core
    except ImportError:
        pytest.skip("the compiled core is not built")
    ours = _engine_outcome(compiled.spawn, _CASES[case])
    reference = _engine_outcome(_pure.spawn, _CASES[case])
    assert ours == reference
    _no_zombies()


# -- a child reaped elsewhere still counts as started ---------------------------------------------------

#: Spawns *count* short programs while SIGCHLD is taken by someone else (a reaping handler, or SIG_IGN:
#: the kernel reaps at exit); each program appends one line to a log.  Prints what spawn returned, the
#: lines the programs wrote, and the descriptors and zombies left, as JSON.
_REAPED_ELSEWHERE = """
import json, os, signal, sys
import psutil
from macres.process import Process

mode, log, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "handler":
    def reap(signum, frame):
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
    signal.signal(signal.SIGCHLD, reap)
else:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
fds = len(os.listdir("/proc/self/fd"))
outcomes = {}
after = set()
for i in range(count):
    try:
        child = Process.spawn(["/bin/sh", "-c", 'echo "$0" >> "$1"', str(i), log])
    except OSError as e:
        key = f"{type(e).__name__}: {e}"
        outcomes[key] = outcomes.get(key, 0) + 1
        continue
    outcomes["started"] = outcomes.get("started", 0) + 1
    with child:
        try:  # the program's exit, seen through the handle (the line is written by then)
            child.wait(timeout=60)
        except ChildProcessError:  # reaped elsewhere: documented; poll() then gives 0, as Popen's
            try:
                after.add(repr((child.poll(), child.returncode, child.exit_status)))
            except OSError as e:
                after.add(f"poll: {type(e).__name__}")
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
with open(log) as f:
    lines = len(f.read().splitlines())
zombies = [c.pid for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]
print(json.dumps({"outcomes": outcomes, "lines": lines, "after": sorted(after - {"(0, 0, None)"}), "fds": len(os.listdir("/proc/self/fd")) - fds,
                  "zombies": zombies}))
"""


@linux_only
@pytest.mark.parametrize("mode", ["handler", "SIG_IGN"])
def test_spawn_returns_a_child_for_every_program_started_when_sigchld_reaps_it(
    mode: str, tmp_path: pathlib.Path
) -> None:
    """With a SIGCHLD handler doing waitpid(-1, WNOHANG), or SIGCHLD ignored, 200 spawns give 200 Children and 200 runs.

    The runs are counted by the programs themselves (a log line each), so a
    spawn that raised for a program that ran is caught; no descriptor nor
    zombie is left.  In a subprocess with a timeout (it changes SIGCHLD).
    """
    import json
    import subprocess

    count = 200
    log = tmp_path / "runs.log"
    log.touch()
    proc = subprocess.run([sys.executable, "-c", _REAPED_ELSEWHERE, mode, str(log), str(count)],
                          capture_output=True, text=True, timeout=120, env=os.environ, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got == {"outcomes": {"started": count}, "lines": count, "after": [], "fds": 0, "zombies": []}


@linux_only
def test_a_child_reaped_before_its_pidfd_is_opened_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine reports pidfd_open's ESRCH (the child ran and was reaped elsewhere): spawn returns a closable Child.

    The engine is wrapped to reap the child first and report -ESRCH, as a
    SIG_IGN auto-reap between vfork and pidfd_open does.  The Child's handle
    reads as exited (readable at once), poll() and returncode give 0 as
    Popen's, exit_status stays None, wait() raises ChildProcessError.
    """
    import select

    from macres._backend import core

    real = core.spawn
    reaped: list[int] = []

    def reaped_first(*args: object) -> tuple[int, int]:
        pid, pidfd = real(*args)
        os.close(pidfd)
        os.waitpid(pid, 0)  # someone else's reap
        reaped.append(pid)
        return pid, -errno.ESRCH

    monkeypatch.setattr(core, "spawn", reaped_first)
    with Process.spawn(["true"]) as child:
        assert reaped == [child.pid]
        assert select.select([child.fileno()], [], [], 0)[0] == [child.fileno()]
        assert child.poll() == 0 and child.returncode == 0 and child.exit_status is None
        for _ in range(2):
            with pytest.raises(ChildProcessError):
                child.wait()
        child.kill()
        child.terminate()
        with pytest.raises(ProcessLookupError):
            child.info()
    assert child.closed and child.poll() == 0
    _no_zombies()


@linux_only
def test_the_engine_opens_the_pidfd_before_any_handler_runs() -> None:
    """The engine returns (pid, pidfd): a pidfd naming that child (fdinfo Pid), so no handler can reap it unwatched."""
    from macres._backend import core

    pid, pidfd = core.spawn((b"/bin/true",), (b"true",), None, None, -1, -1, -1, (), False, -1, -1, -1, -1, None, ())
    try:
        with open(f"/proc/self/fdinfo/{pidfd}") as info:
            assert f"Pid:\t{pid}\n" in info.read()  # the child, still unreaped
        assert os.get_inheritable(pidfd) is False
    finally:
        os.close(pidfd)
        os.waitpid(pid, 0)
