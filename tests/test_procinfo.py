"""Tests for :mod:`macres.procinfo`: every figure against psutil and /proc.

Three subjects: this test process, a child spawned with a known argv, cwd,
environment, open file, socket and pipe (blocked reading its stdin, so its
figures hold still), and pid 1 where it is readable.  Errors: a vanished
pid, a pid whose identity does not match (what a reused pid looks like),
and a process the caller may not look at (an unprivileged forked child).
"""

from __future__ import annotations

import errno
import os
import platform
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from _strace import kernel_calls, needs_strace
from _support import drop_privileges, in_child, linux_only, needs_root, wait_until
from macres import procinfo
from macres.procinfo import DescriptorKind, ProcessInfo, ProcessStatus, process_iter

#: The child: opens a file, a listening loopback socket and a pipe, says "ready", then blocks on stdin.
CHILD = textwrap.dedent(
    """
    import os, socket, sys
    f = open(sys.argv[1], "w")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen()
    r, w = os.pipe()
    print(f.fileno(), s.fileno(), r, w, flush=True)
    sys.stdin.readline()
    """
)


class Child:
    """A spawned child and what it opened."""

    def __init__(self, popen: subprocess.Popen[str], argv: list[str], cwd: Path, path: Path, fds: list[int]) -> None:
        self.popen, self.argv, self.cwd, self.path = popen, argv, cwd, path
        self.file_fd, self.sock_fd, self.pipe_r, self.pipe_w = fds

    @property
    def pid(self) -> int:
        """The child's pid."""
        return self.popen.pid


@pytest.fixture
def child(tmp_path: Path) -> Iterator[Child]:
    """A child with a known argv, cwd and environment and an open file, socket and pipe."""
    path = tmp_path / "held open"
    argv = [sys.executable, "-c", CHILD, str(path), "an argument with spaces"]
    env = {**os.environ, "MACRES_PROCINFO_TEST": "value=with=equals"}
    with subprocess.Popen(argv, cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as popen:
        try:
            assert popen.stdout is not None
            fds = [int(n) for n in popen.stdout.readline().split()]
            wait_until(lambda: _reading_stdin(popen.pid), "the child blocks reading its stdin")
            yield Child(popen, argv, tmp_path, path, fds)
        finally:
            popen.kill()


#: read(2)'s system call number, for seeing that the child sleeps in it.
READ_SYSCALL = {"x86_64": 0, "aarch64": 63}.get(platform.machine(), -1)


def _reading_stdin(pid: int) -> bool:
    """Whether process *pid* sleeps in read(0, ...) (the kernel's word: /proc/PID/syscall and stat)."""
    try:
        fields = _proc(pid, "syscall").split()
        state = _stat_fields(pid)[0]
    except OSError:
        return False
    return state == b"S" and len(fields) > 1 and fields[0] == str(READ_SYSCALL).encode() and int(fields[1], 16) == 0


def _proc(pid: int, name: str) -> bytes:
    with open(f"/proc/{pid}/{name}", "rb") as f:
        return f.read()


def _stat_fields(pid: int) -> list[bytes]:
    data = _proc(pid, "stat")
    return data[data.rfind(b")") + 2 :].split()


def _status_ids(pid: int, key: bytes) -> tuple[int, int, int]:
    for line in _proc(pid, "status").splitlines():
        if line.startswith(key + b":"):
            real, effective, saved = (int(v) for v in line.split()[1:4])
            return real, effective, saved
    raise AssertionError(f"no {key!r} line")


METHODS = (
    "name", "exe", "cmdline", "environ", "cwd", "status", "ppid", "uids", "gids", "num_threads", "threads",
    "create_time", "cpu_times", "memory", "num_fds", "open_descriptors", "children",
)  # fmt: skip


# -- this process -------------------------------------------------------------------------
@linux_only
class TestThisProcess:
    """The test process, against psutil and /proc."""

    def test_identity_fields(self) -> None:
        """name, exe, cmdline, cwd, ppid, uids, gids and create_time equal psutil's and /proc's."""
        info = ProcessInfo(os.getpid())
        ps = psutil.Process()

        assert ps.name() == info.name()
        assert os.readlink("/proc/self/exe") == info.exe() == ps.exe()
        assert ps.cmdline() == info.cmdline()
        assert _proc(os.getpid(), "cmdline").split(b"\0")[:-1] == [os.fsencode(a) for a in info.cmdline()]
        assert os.getcwd() == info.cwd() == ps.cwd()
        assert os.getppid() == info.ppid() == ps.ppid()
        assert tuple(ps.uids()) == tuple(attrs_values(info.uids())) == os.getresuid()
        assert tuple(ps.gids()) == tuple(attrs_values(info.gids())) == os.getresgid()
        assert ps.create_time() == info.create_time()
        assert int(_stat_fields(os.getpid())[19]) == info.identity

    def test_environ(self) -> None:
        """The environment equals psutil's (what the process started with)."""
        assert psutil.Process().environ() == ProcessInfo(os.getpid()).environ()

    def test_status_running(self) -> None:
        """A process reading its own state is running."""
        assert ProcessStatus.RUNNING == ProcessInfo(os.getpid()).status()

    def test_cpu_times_between_two_psutil_reads(self) -> None:
        """Live CPU times lie between psutil's read just before and just after."""
        ps = psutil.Process()
        info = ProcessInfo(os.getpid())
        before = ps.cpu_times()
        ours = info.cpu_times()
        after = ps.cpu_times()

        assert before.user <= ours.user <= after.user
        assert before.system <= ours.system <= after.system
        assert before.children_user <= ours.children_user <= after.children_user
        assert before.children_system <= ours.children_system <= after.children_system

    def test_cpu_times_are_live(self) -> None:
        """CPU time spent between two calls shows in the second (bounded busy loop)."""
        info = ProcessInfo(os.getpid())
        first = info.cpu_times()
        wait_until(lambda: sum(range(10_000)) >= 0 and info.cpu_times().user > first.user, "user time grows")

    def test_memory_is_live(self) -> None:
        """Touching 64 MiB raises rss by at least that; vms equals /proc/PID/statm's size."""
        info = ProcessInfo(os.getpid())
        page = os.sysconf("SC_PAGE_SIZE")
        before = info.memory().rss
        block = bytearray(64 << 20)  # zero-filled: every page touched
        during = info.memory()
        statm = _proc(os.getpid(), "statm").split()
        del block

        assert during.rss >= before + (60 << 20)
        assert int(statm[0]) * page == during.vms

    def test_threads(self) -> None:
        """threads() lists every task of /proc/self/task, and psutil's ids; num_threads counts them."""
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            info = ProcessInfo(os.getpid())
            ours = info.threads()
            tasks = sorted(int(t) for t in os.listdir("/proc/self/task"))
            ps_ids = sorted(t.id for t in psutil.Process().threads())
            count = info.num_threads()
        finally:
            stop.set()
            thread.join()

        assert tasks == [t.id for t in ours] == ps_ids
        assert len(tasks) == count
        assert thread.native_id in tasks
        assert all(t.user >= 0 and t.system >= 0 for t in ours)

    def test_open_descriptors(self, tmp_path: Path) -> None:
        """A file, a directory, a pipe, a socket and /dev/null opened here show with their kinds and paths."""
        path = tmp_path / "file"
        fds = [
            os.open(path, os.O_CREAT | os.O_RDWR),
            os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY),
            os.open(os.devnull, os.O_RDONLY),
            *os.pipe(),
        ]
        sock = socket.socket()
        sock_fd = sock.fileno()
        try:
            info = ProcessInfo(os.getpid())
            by_fd = {d.fd: d for d in info.open_descriptors()}
            listed = set(map(int, os.listdir("/proc/self/fd")))
            count = info.num_fds()
            files = {f.path for f in psutil.Process().open_files()}
        finally:
            sock.close()
            for fd in fds:
                os.close(fd)

        assert (DescriptorKind.FILE, str(path)) == (by_fd[fds[0]].kind, by_fd[fds[0]].path)
        assert (DescriptorKind.DIRECTORY, str(tmp_path)) == (by_fd[fds[1]].kind, by_fd[fds[1]].path)
        assert (DescriptorKind.CHARACTER_DEVICE, os.devnull) == (by_fd[fds[2]].kind, by_fd[fds[2]].path)
        assert DescriptorKind.PIPE == by_fd[fds[3]].kind == by_fd[fds[4]].kind
        assert DescriptorKind.SOCKET == by_fd[sock_fd].kind
        # listdir's own descriptor is in its listing but closed by the time ours reads the links
        assert set(by_fd) <= listed and len(listed - set(by_fd)) <= 1
        assert count == len(by_fd) + 1  # listdir's descriptor, open while it counts
        assert files <= {d.path for d in by_fd.values() if d.kind is DescriptorKind.FILE}


def attrs_values(ids: procinfo.Ids) -> tuple[int, int, int]:
    """(real, effective, saved)."""
    return ids.real, ids.effective, ids.saved


# -- a spawned child ----------------------------------------------------------------------
@linux_only
class TestChild:
    """A child with known argv, cwd, environment and descriptors, blocked on stdin."""

    def test_known_fields(self, child: Child) -> None:
        """argv, cwd, environment, executable, parent and state are the ones the child was given."""
        info = ProcessInfo(child.pid)
        ps = psutil.Process(child.pid)

        assert child.argv == info.cmdline() == ps.cmdline()
        assert str(child.cwd) == info.cwd() == ps.cwd()
        assert "value=with=equals" == info.environ()["MACRES_PROCINFO_TEST"]
        assert ps.environ() == info.environ()
        assert os.path.realpath(sys.executable) == info.exe() == ps.exe()
        assert os.getpid() == info.ppid() == ps.ppid()
        assert ps.name() == info.name()
        assert ProcessStatus.SLEEPING == info.status() == ps.status()
        assert ps.create_time() == info.create_time()
        assert (os.getuid(), os.geteuid(), os.getuid()) == attrs_values(info.uids())

    def test_figures_equal_psutil_and_proc(self, child: Child) -> None:
        """A blocked child's memory, CPU times and per-thread times equal psutil's and /proc's once they settle."""
        info = ProcessInfo(child.pid)
        ps = psutil.Process(child.pid)
        tck = os.sysconf("SC_CLK_TCK")
        page = os.sysconf("SC_PAGE_SIZE")

        def agree() -> bool:
            """psutil, ours, /proc and psutil again, read back to back, all say the same."""
            before = ps.memory_info(), ps.cpu_times()
            mem, cpu = info.memory(), info.cpu_times()
            statm, fields = _proc(child.pid, "statm").split(), _stat_fields(child.pid)
            after = ps.memory_info(), ps.cpu_times()
            figures = [
                (m.rss, m.vms, c.user, c.system)
                for m, c in (before, (mem, cpu), after)
            ]
            figures.append((int(statm[1]) * page, int(statm[0]) * page, int(fields[11]) / tck, int(fields[12]) / tck))
            threads = [(t.id, t.user, t.system) for t in info.threads()]
            ps_threads = [(t.id, t.user_time, t.system_time) for t in ps.threads()]
            return len(set(figures)) == 1 and threads == ps_threads

        wait_until(agree, "the child's figures agree with psutil's and /proc's")
        assert ps.num_threads() == info.num_threads() == len(info.threads())

    def test_descriptors(self, child: Child) -> None:
        """The child's file, socket and pipe ends show with their kinds; files and sockets agree with psutil."""
        info = ProcessInfo(child.pid)
        ps = psutil.Process(child.pid)
        by_fd = {d.fd: d for d in info.open_descriptors()}
        listed = sorted(map(int, os.listdir(f"/proc/{child.pid}/fd")))

        assert listed == sorted(by_fd)
        assert len(listed) == info.num_fds() == ps.num_fds()
        assert (DescriptorKind.FILE, str(child.path)) == (by_fd[child.file_fd].kind, by_fd[child.file_fd].path)
        assert DescriptorKind.SOCKET == by_fd[child.sock_fd].kind
        assert DescriptorKind.PIPE == by_fd[child.pipe_r].kind == by_fd[child.pipe_w].kind
        files = {d.path for d in by_fd.values() if d.kind is DescriptorKind.FILE}
        assert {f.path for f in ps.open_files()} <= files
        sockets = {d.fd for d in by_fd.values() if d.kind is DescriptorKind.SOCKET}
        assert {c.fd for c in ps.net_connections(kind="all")} <= sockets

    def test_children(self, child: Child) -> None:
        """This process's children include the child, named with its identity; psutil agrees."""
        kids = ProcessInfo(os.getpid()).children()

        assert ProcessInfo(child.pid) in kids
        assert {p.pid for p in psutil.Process().children()} == {k.pid for k in kids}
        assert [] == ProcessInfo(child.pid).children()

    def test_descendants(self) -> None:
        """children(recursive=True) lists a grandchild after its parent; psutil lists the same pids."""
        parent_code = (
            "import subprocess, sys;"
            "p = subprocess.Popen([sys.executable, '-c', 'import sys; sys.stdin.read()'], stdin=subprocess.PIPE);"
            "print(p.pid, flush=True); sys.stdin.readline(); p.stdin.close(); p.wait()"
        )
        with subprocess.Popen(
            [sys.executable, "-c", parent_code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        ) as child:
            try:
                assert child.stdout is not None and child.stdin is not None
                grandchild = int(child.stdout.readline())
                mine = ProcessInfo(os.getpid())
                found = [p.pid for p in mine.children(recursive=True)]
                theirs = {p.pid for p in psutil.Process().children(recursive=True)}
                direct = [p.pid for p in mine.children()]
            finally:
                assert child.stdin is not None
                child.stdin.write("\n")
                child.stdin.close()

        assert found.index(child.pid) < found.index(grandchild)
        assert theirs == set(found)
        assert child.pid in direct and grandchild not in direct

    def test_zombie(self) -> None:
        """An exited, unreaped child is a zombie: no exe, no cwd, no argv; still inspectable by pid."""
        with subprocess.Popen([sys.executable, "-c", "pass"]) as popen:
            info = ProcessInfo(popen.pid)
            wait_until(lambda: _stat_fields(popen.pid)[0] == b"Z", "the child is a zombie")

            assert ProcessStatus.ZOMBIE == info.status() == psutil.Process(popen.pid).status()
            assert [] == info.cmdline()
            assert None is info.exe()
            assert os.getpid() == info.ppid()
            assert 0 == info.num_fds()
            assert {} == info.environ()  # as argv: none to read, and not "gone" (psutil: ZombieProcess for both)
            with info.oneshot():
                assert {} == info.environ() and [] == info.cmdline()
            assert info.is_running()
        with pytest.raises(ProcessLookupError, match=f"process {popen.pid} is gone"):  # reaped: now it is gone
            info.environ()


# -- pid 1 --------------------------------------------------------------------------------
@linux_only
class TestInit:
    """pid 1, where the system lets this process read it."""

    def test_fields(self) -> None:
        """Name, argv, parent, ids and start time of pid 1 equal psutil's."""
        info = ProcessInfo(1)
        ps = psutil.Process(1)

        assert ps.name() == info.name()
        assert ps.cmdline() == info.cmdline()
        assert 0 == info.ppid() == ps.ppid()
        assert tuple(ps.uids()) == attrs_values(info.uids()) == _status_ids(1, b"Uid")
        assert tuple(ps.gids()) == attrs_values(info.gids()) == _status_ids(1, b"Gid")
        assert ps.create_time() == info.create_time()
        assert info.status() in set(ProcessStatus)

    @pytest.mark.parametrize("method", ["exe", "cwd"])
    def test_links_as_proc_shows_them(self, method: str) -> None:
        """exe and cwd of pid 1 are the links' targets, or PermissionError naming pid 1 when readlink is refused."""
        try:
            want: str | None = os.readlink(f"/proc/1/{method}")
        except PermissionError:
            with pytest.raises(PermissionError, match="process 1:"):
                getattr(ProcessInfo(1), method)()
            return
        assert want == getattr(ProcessInfo(1), method)()


# -- errors -------------------------------------------------------------------------------
def _reaped_pid() -> int:
    with subprocess.Popen([sys.executable, "-c", "pass"]) as popen:
        pass
    return popen.pid


@linux_only
class TestErrors:
    """Gone, reused and refused processes."""

    def test_no_such_pid(self) -> None:
        """A pid no process has raises ProcessLookupError naming it."""
        pid = _reaped_pid()
        with pytest.raises(ProcessLookupError, match=f"process {pid} is gone") as caught:
            ProcessInfo(pid)
        assert errno.ESRCH == caught.value.errno

    @pytest.mark.parametrize("method", METHODS)
    def test_vanished(self, method: str) -> None:
        """Every method of an object whose process was reaped raises ProcessLookupError."""
        with subprocess.Popen([sys.executable, "-c", "pass"]) as popen:
            info = ProcessInfo(popen.pid)
        assert not info.is_running()
        with pytest.raises(ProcessLookupError, match=f"process {popen.pid}"):
            getattr(info, method)()

    @pytest.mark.parametrize("method", METHODS)
    def test_reused_pid(self, method: str) -> None:
        """A live pid whose start time is not the object's identity (a reused pid) raises ProcessLookupError."""
        pid = os.getpid()
        stale = ProcessInfo(pid, identity=ProcessInfo(pid).identity - 1)

        assert not stale.is_running()
        with pytest.raises(ProcessLookupError, match="now names another process"):
            getattr(stale, method)()

    def test_reused_pid_not_reported_as_children(self) -> None:
        """The children of a stale identity are never listed (the read is refused, not answered)."""
        stale = ProcessInfo(os.getpid(), identity=ProcessInfo(os.getpid()).identity + 1)
        with pytest.raises(ProcessLookupError):
            stale.children()
        with pytest.raises(ProcessLookupError):
            stale.children(recursive=True)

    @pytest.mark.skipif(os.geteuid() == 0, reason="as root, test_permission_error drops privileges in a child instead")
    def test_permission_error_unprivileged(self) -> None:
        """Unprivileged, pid 1's environment is refused exactly when /proc refuses it, with PermissionError naming pid 1."""
        try:
            _proc(1, "environ")
        except PermissionError:
            with pytest.raises(PermissionError, match="process 1:"):
                ProcessInfo(1).environ()
        else:
            pytest.skip("this user may read pid 1's environment: nothing is refused")

    def test_negative_pid(self) -> None:
        """A negative pid is a ValueError; a non-integer a TypeError."""
        with pytest.raises(ValueError, match="-3"):
            ProcessInfo(-3)
        with pytest.raises(TypeError):
            ProcessInfo(1.5)  # type: ignore[arg-type]

    @needs_root
    @pytest.mark.parametrize("method", ["environ", "exe", "cwd", "open_descriptors", "num_fds"])
    def test_permission_error(self, method: str) -> None:
        """An unprivileged process asking for a root process's private figures gets PermissionError naming the pid."""
        target, target_ppid = os.getpid(), os.getppid()

        def body() -> None:
            drop_privileges()
            info = ProcessInfo(target)
            assert target_ppid == info.ppid()  # public figures stay readable
            try:
                getattr(info, method)()
            except PermissionError as exc:
                assert f"process {target}:" in str(exc), exc
                assert exc.errno in (errno.EACCES, errno.EPERM)
            else:
                raise AssertionError(f"{method} of a root process was not refused")

        in_child(body)


# -- from a pidfd ------------------------------------------------------------------------
needs_pidfd = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs pidfd_open (Linux 5.3+, Python 3.9+)")


@linux_only
@needs_pidfd
class TestFromPidfd:
    """ProcessInfo.from_pidfd: the identity of exactly the process a pidfd names."""

    def test_names_the_pidfd_process(self, child: Child) -> None:
        """The object made from a pidfd equals the one made from the pid, and reads that process."""
        pidfd = os.pidfd_open(child.pid)
        try:
            info = ProcessInfo.from_pidfd(pidfd)
        finally:
            os.close(pidfd)

        assert ProcessInfo(child.pid) == info
        assert child.argv == info.cmdline()

    def test_reaped(self) -> None:
        """A pidfd whose process was reaped raises ProcessLookupError (fdinfo says Pid: -1)."""
        with subprocess.Popen([sys.executable, "-c", "pass"]) as popen:
            pidfd = os.pidfd_open(popen.pid)
        try:
            with pytest.raises(ProcessLookupError, match=f"pidfd {pidfd}"):
                ProcessInfo.from_pidfd(pidfd)
        finally:
            os.close(pidfd)

    def test_not_a_pidfd(self) -> None:
        """Another descriptor is a ValueError; a closed number an OSError with EBADF."""
        r, w = os.pipe()
        os.close(w)
        try:
            with pytest.raises(ValueError, match="not a pidfd"):
                ProcessInfo.from_pidfd(r)
        finally:
            os.close(r)
        with pytest.raises(OSError, match="not open") as caught:
            ProcessInfo.from_pidfd(w)
        assert errno.EBADF == caught.value.errno


# -- every process ------------------------------------------------------------------------
@linux_only
def test_process_iter_covers_psutil_pids() -> None:
    """process_iter yields every pid psutil lists before and after it (modulo processes that came and went)."""
    before = set(psutil.pids())
    infos = list(process_iter())
    after = set(psutil.pids())
    ours = {p.pid for p in infos}

    assert before & after <= ours
    assert ours <= before | after
    assert len(ours) == len(infos)
    me = next(p for p in infos if p.pid == os.getpid())
    assert ProcessInfo(os.getpid()) == me


@linux_only
def test_process_iter_skips_vanishing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pid listed but gone before its identity is read is skipped, not raised."""
    gone = _reaped_pid()
    real = procinfo._abi.proc_pids
    monkeypatch.setattr(procinfo._abi, "proc_pids", lambda: [gone, *real()])
    pids = [p.pid for p in process_iter()]

    assert gone not in pids
    assert os.getpid() in pids


@linux_only
def test_process_iter_names_equal_psutil() -> None:
    """The name of every process equals psutil's, read just before or just after (kernel workers rename themselves)."""
    compared = 0
    for info in process_iter():
        try:
            ps = psutil.Process(info.pid)
            before = ps.name()
            name = info.name()
            after = ps.name()
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
        assert name in (before, after)
        compared += 1
    assert compared >= 2


def test_values_are_frozen() -> None:
    """Records are frozen attrs values."""
    import attrs

    for cls in (procinfo.CpuTimes, procinfo.MemoryInfo, procinfo.Ids, procinfo.ThreadTimes, procinfo.OpenDescriptor):
        assert attrs.has(cls)
    mem = procinfo.MemoryInfo(1, 2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mem.rss = 3  # type: ignore[misc]
    info = ProcessInfo(os.getpid())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        info.pid = 1  # type: ignore[misc]


# -- oneshot ---------------------------------------------------------------------------------------
ONESHOT_FIGURES = ("name", "status", "ppid", "num_threads", "cpu_times", "create_time", "memory", "cmdline", "uids", "is_running")


@linux_only
@needs_strace
@pytest.mark.parametrize("oneshot", [True, False])
def test_oneshot_reads_each_proc_file_once(child: Child, oneshot: bool) -> None:
    """Ten figures in a oneshot block open /proc/PID/stat once (and statm, cmdline, status once each); outside, once per figure."""
    setup = f"import contextlib\nfrom macres.procinfo import ProcessInfo\ninfo = ProcessInfo({child.pid})\n"
    body = "with " + ("info.oneshot()" if oneshot else "contextlib.nullcontext()") + ":\n"
    body += "".join(f"    info.{name}()\n" for name in ONESHOT_FIGURES)
    opened = [c.args.split('"')[1] for c in kernel_calls(body, setup, trace="openat,open")]
    counts = {name: opened.count(f"/proc/{child.pid}/{name}") for name in ("stat", "statm", "cmdline", "status")}
    if oneshot:
        assert counts == {"stat": 1, "statm": 1, "cmdline": 1, "status": 1}
    else:
        assert counts["stat"] >= 8


def test_oneshot_figures_are_those_of_the_first_read(child: Child) -> None:
    """Inside a block a figure keeps its first value though the process changed; after the block it is read afresh."""
    info = ProcessInfo(child.pid)
    outside = [getattr(info, name)() for name in ("name", "ppid", "cmdline", "uids", "create_time")]
    with info.oneshot():
        assert [getattr(info, name)() for name in ("name", "ppid", "cmdline", "uids", "create_time")] == outside
        assert info.status() is ProcessStatus.SLEEPING
        os.kill(child.pid, signal.SIGSTOP)
        try:
            wait_until(lambda: _stat_fields(child.pid)[0] == b"T", "the kernel shows the child stopped")
            assert info.status() is ProcessStatus.SLEEPING  # the block's figure
            seen_elsewhere: list[object] = []
            thread = threading.Thread(target=lambda: seen_elsewhere.append(info.status()))
            thread.start()
            thread.join()
            assert seen_elsewhere == [ProcessStatus.STOPPED]  # another thread reads afresh
            with info.oneshot():  # nested: the outer block's figures
                assert info.status() is ProcessStatus.SLEEPING
            assert info.status() is ProcessStatus.SLEEPING  # the inner block's end ended nothing
        finally:
            os.kill(child.pid, signal.SIGCONT)
        stopped_in_block = info.status()
    assert stopped_in_block is ProcessStatus.SLEEPING
    wait_until(lambda: _stat_fields(child.pid)[0] != b"T", "the kernel shows the child resumed")
    os.kill(child.pid, signal.SIGSTOP)
    try:
        wait_until(lambda: _stat_fields(child.pid)[0] == b"T", "the kernel shows the child stopped")
        assert info.status() is ProcessStatus.STOPPED  # outside a block: afresh
    finally:
        os.kill(child.pid, signal.SIGCONT)


def test_oneshot_still_refuses_a_process_gone_before_its_first_read(tmp_path: Path) -> None:
    """A figure first asked for after the process ended raises ProcessLookupError in a block too; one read before still answers."""
    with subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.readline()"], stdin=subprocess.PIPE) as popen:
        info = ProcessInfo(popen.pid)
        with info.oneshot():
            name = info.name()
            assert popen.stdin is not None
            popen.stdin.close()
            popen.wait()
            assert info.name() == name
            with pytest.raises(ProcessLookupError):
                info.memory()
