"""Tests of the ``macres`` command: each subcommand as a subprocess on real inputs.

Output is parsed (JSON where offered) and checked against os, resource,
socket and the file system; bad input must be exactly one line on stderr,
exit status 1 and no traceback.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import select
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import macres

from _strace import kernel_calls, needs_strace
from _support import wait_until
from macres import cli


#: Blocks in open(FIFO, O_WRONLY) until a reader comes, then says who released it and writes.
FIFO_WRITER = """
import os, sys
fifo, marker = sys.argv[1], sys.argv[2]
fd = os.open(fifo, os.O_WRONLY)
who = "this test:" if os.path.exists(marker) else "something else:"
try:
    os.write(fd, b"hello")
    print("released by", who, "wrote")
except BrokenPipeError:
    print("released by", who, "EPIPE")
"""


def run(*args: str, check_status: int | None = 0) -> subprocess.CompletedProcess[str]:
    """Run ``python -m macres ARGS`` and return it; check the exit status unless None."""
    proc = subprocess.run(
        [sys.executable, "-m", "macres", *args], capture_output=True, text=True, timeout=120, check=False
    )
    if check_status is not None:
        assert proc.returncode == check_status, proc.stdout + proc.stderr
    return proc


def run_json(*args: str) -> Any:
    """Run a subcommand with ``--json``; it must succeed with nothing on stderr."""
    proc = run(*args, "--json")
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit status 1, one line on stderr naming *words*, no traceback."""
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("macres")
    for word in words:
        assert word in lines[0]


# -- bindings -----------------------------------------------------------------------------
class TestBindings:
    """Tests for ``macres bindings``."""

    def test_table_lists_every_binding(self) -> None:
        """The table has one row per Go function and a summary with the platform."""
        from macres import raw

        proc = run("bindings")
        for b in raw.BINDINGS:
            assert b.go_name in proc.stdout
        assert f"{len(raw.BINDINGS)} bindings" in proc.stdout
        assert raw.SYSTEM in proc.stdout.splitlines()[-1]

    def test_json_matches_raw_bindings(self) -> None:
        """``--json`` gives every binding with its availability as raw.BINDINGS says."""
        from macres import raw

        data = run_json("bindings")
        assert [d["go_name"] for d in data] == [b.go_name for b in raw.BINDINGS]
        assert [d["available"] for d in data] == [b.available for b in raw.BINDINGS]

    def test_area_filters(self) -> None:
        """``--area fd`` lists only that area."""
        data = run_json("bindings", "--area", "fd")
        assert data
        assert {d["area"] for d in data} == {"fd"}

    def test_unknown_area(self) -> None:
        """An unknown area is one line naming the areas, status 1."""
        assert_one_line_error(run("bindings", "--area", "nope", check_status=None), "nope", "fd")


# -- stat ---------------------------------------------------------------------------------
class TestStat:
    """Tests for ``macres stat``."""

    def test_regular_file_against_os(self, tmp_path: Path) -> None:
        """Size, mode, inode, links and times equal os.stat; NAME_MAX equals os.pathconf."""
        path = tmp_path / "f"
        path.write_bytes(b"x" * 1234)
        path.chmod(0o640)
        os.utime(path, ns=(1_000_000_000_123, 2_000_000_000_456))
        [report] = run_json("stat", str(path))
        st = os.stat(path)
        assert report["path"] == str(path)
        assert report["stat"]["type"] == "regular file"
        assert report["stat"]["size"] == 1234
        assert report["stat"]["mode"] == st.st_mode
        assert report["stat"]["inode"] == st.st_ino
        assert report["stat"]["links"] == st.st_nlink
        assert report["stat"]["modify"] == 2_000_000_000_456
        assert report["stat"]["access"] == 1_000_000_000_123
        assert report["pathconf"]["NAME_MAX"] == os.pathconf(path, "PC_NAME_MAX")
        if report["statfs"]["files"] <= 0xFFFFFFFF:  # macOS statvfs counts are 32-bit
            assert report["statfs"]["files"] == os.statvfs(path).f_files
        assert report["lock"] == []

    def test_human_output(self, tmp_path: Path) -> None:
        """The human form names the path, the type, the mode string and the three sections."""
        path = tmp_path / "f"
        path.write_bytes(b"abc")
        path.chmod(0o644)
        out = run("stat", str(path)).stdout
        assert out.splitlines()[0] == str(path)
        for text in ("regular file", "-rw-r--r--", "file system", "limits (fpathconf)", "NAME_MAX"):
            assert text in out
        [locks] = [line for line in out.splitlines() if line.split()[:1] == ["locks"]]
        assert locks.split() == ["locks", "none"]

    @pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="no /proc/locks (Linux only): macOS reports F_GETLK")
    def test_flock_held_elsewhere(self, tmp_path: Path) -> None:
        """A flock this process holds is reported with its kind and this pid, from /proc/locks."""
        path = tmp_path / "locked"
        path.write_bytes(b"")
        with open(path, "rb") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            [report] = run_json("stat", str(path))
            assert report["lock"] == [{"kind": "flock", "type": "write", "pid": os.getpid(), "start": 0, "length": 0}]
            fcntl.flock(f, fcntl.LOCK_UN)
            fcntl.flock(f, fcntl.LOCK_SH)
            [report] = run_json("stat", str(path))
            assert report["lock"] == [{"kind": "flock", "type": "read", "pid": os.getpid(), "start": 0, "length": 0}]

    def test_posix_lock_holder_pid(self, tmp_path: Path) -> None:
        """A POSIX record lock this process holds is reported with this pid, type and range."""
        path = tmp_path / "record"
        path.write_bytes(b"\0" * 100)
        with open(path, "r+b") as f:
            fcntl.lockf(f, fcntl.LOCK_EX, 10, 30)
            [report] = run_json("stat", str(path))
        assert report["lock"] == [{"kind": "posix", "type": "write", "pid": os.getpid(), "start": 30, "length": 10}]

    @pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="no /proc/locks (Linux only)")
    def test_ofd_lock_holder_pids(self, tmp_path: Path) -> None:
        """An OFD lock (pid -1 in /proc/locks) is reported with the pids whose fdinfo lists it, and in the text."""
        path = tmp_path / "ofd"
        path.write_bytes(b"\0" * 100)
        with macres.open(path, "r+") as fd, fd.lock_range(5, 20, exclusive=False):
            [report] = run_json("stat", str(path))
            text = run("stat", str(path)).stdout
        assert report["lock"] == [
            {"kind": "ofd", "type": "read", "pid": None, "pids": [os.getpid()], "start": 5, "length": 20}
        ]
        assert f"ofd read lock by an open file description (the kernel says pid -1; held in pids {os.getpid()})" in text

    @needs_strace
    def test_takes_no_lock_to_find_holders(self, tmp_path: Path) -> None:
        """strace: ``macres stat`` makes no flock call and no fcntl that sets a lock, while one is held."""
        path = tmp_path / "held"
        path.write_bytes(b"x")
        calls = kernel_calls(
            f"from macres.cli import main\nassert main(['stat', '--json', {str(path)!r}]) == 0",
            setup=f"import fcntl\nheld = open({str(path)!r}, 'rb')\nfcntl.flock(held, fcntl.LOCK_EX)",
            trace="flock,fcntl",
        )
        assert [c for c in calls if c.name == "flock" or "SETLK" in c.args] == []

    def test_directory_symlink_and_fifo(self, tmp_path: Path) -> None:
        """A directory, a symlink (followed, target named) and a FIFO (not blocking) are reported."""
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        link = tmp_path / "link"
        link.symlink_to(tmp_path)
        reports = run_json("stat", str(tmp_path), str(link), str(fifo))
        assert [r["stat"]["type"] for r in reports] == ["directory", "directory", "fifo"]
        assert reports[1]["symlink"] == str(tmp_path)

    @pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs /proc/PID/wchan to see the open")
    def test_fifo_writer_blocked_in_open_stays_blocked(self, tmp_path: Path) -> None:
        """``macres stat FIFO`` does not open it: a writer blocked in open() is not released by it.

        Opening the FIFO for reading would release the writer, whose first
        write then fails with EPIPE once the reader is gone.  The writer
        says who released it: this test (after a marker file exists) or
        something before.
        """
        fifo, marker = tmp_path / "fifo", tmp_path / "stat-done"
        os.mkfifo(fifo)
        command = [sys.executable, "-c", FIFO_WRITER, str(fifo), str(marker)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as writer:
            try:
                wchan = Path(f"/proc/{writer.pid}/wchan")
                deadline = time.monotonic() + 60
                while wchan.read_text() != "wait_for_partner":  # blocked in open(fifo, O_WRONLY)
                    assert writer.poll() is None and time.monotonic() < deadline, "the writer never blocked"
                    time.sleep(0.005)
                [report] = run_json("stat", str(fifo))
                assert wchan.read_text() == "wait_for_partner"  # still there: nothing opened the FIFO
                assert report["stat"]["type"] == "fifo"
                assert report["opened"].startswith("no (a fifo")
                marker.touch()
                reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
                try:
                    assert select.select([reader], [], [], 60)[0] == [reader]
                    assert os.read(reader, 100) == b"hello"
                finally:
                    os.close(reader)
                out, _ = writer.communicate(timeout=60)
            finally:
                if writer.poll() is None:
                    writer.kill()
        assert out.split() == ["released", "by", "this", "test:", "wrote"]

    @needs_strace
    def test_fifo_is_never_opened(self, tmp_path: Path) -> None:
        """strace: ``macres stat`` on a FIFO and on a character device opens neither, by path or by link."""
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        (tmp_path / "link").symlink_to(fifo)
        paths = [str(fifo), str(tmp_path / "link"), "/dev/null"]
        calls = kernel_calls(
            f"from macres.cli import main\nassert main(['stat', '--json', *{paths!r}]) == 0",
            trace="open,openat,openat2",
        )
        opened = [c.args for c in calls if any(f'"{p}"' in c.args for p in paths)]
        assert opened == []

    def test_socket_file_uses_path_calls(self, tmp_path: Path) -> None:
        """A Unix socket cannot be opened: stat and statfs come from the path calls."""
        path = tmp_path / "sock"
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(path))
            [report] = run_json("stat", str(path))
        assert report["stat"]["type"] == "socket"
        assert report["opened"].startswith("no (")
        assert report["stat"]["inode"] == os.stat(path).st_ino

    def test_missing_path_is_one_line(self, tmp_path: Path) -> None:
        """A missing path is one line naming it, status 1; the other paths are still reported."""
        good = tmp_path / "good"
        good.write_bytes(b"")
        proc = run("stat", str(tmp_path / "missing"), str(good), check_status=None)
        assert_one_line_error(proc, "missing", "No such file")
        assert str(good) in proc.stdout

    def test_nul_in_path_is_one_line(self) -> None:
        """A path argparse accepts but the kernel cannot take is one line, status 1."""
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from macres.cli import main; sys.exit(main(['stat', 'a\\0b']))"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert_one_line_error(proc, "stat")


# -- proc ---------------------------------------------------------------------------------
_MASK = (1 << 64) - 1


class TestProc:
    """Tests for ``macres proc``."""

    def test_this_test_process_by_pid(self) -> None:
        """Ids, priority and RLIMIT_NOFILE of this process, read by the command, equal os/resource."""
        data = run_json("proc", str(os.getpid()))
        ids = data["ids"]
        assert ids["pid"] == os.getpid()
        assert ids["pgid"] == os.getpgid(0)
        assert ids["sid"] == os.getsid(0)
        assert ids["priority"] == os.getpriority(os.PRIO_PROCESS, 0)
        if sys.platform == "linux":
            assert ids["ppid"] == os.getppid()
            assert ids["uid"] == os.getuid()
            assert set(ids["groups"]) == set(os.getgroups())
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            nofile = data["limits"]["RLIMIT_NOFILE"]
            assert (nofile["soft"], nofile["hard"]) == (soft, hard)
            assert nofile["unit"] == "descriptors"
        assert data["usage"] is None
        assert "reaped" in data["usage_error"]

    def test_itself(self) -> None:
        """Without a pid the command reports itself: its parent is this process, usage is known."""
        data = run_json("proc")
        assert data["ids"]["ppid"] == os.getpid()
        assert data["ids"]["uid"] == os.getuid()
        assert data["usage"]["ru_maxrss"] > 1 << 20  # bytes: a Python process is over 1 MiB
        for name, limit in data["limits"].items():
            assert name.startswith("RLIMIT_")
            assert "error" in limit or {"soft", "hard", "unit"} <= set(limit)

    def test_limits_against_resource(self) -> None:
        """Every limit Python's resource module knows equals what the command read of itself (inherited)."""
        data = run_json("proc")
        compared = 0
        for names, limit in data["limits"].items():
            for name in names.split("/"):
                if hasattr(resource, name):
                    soft, hard = resource.getrlimit(getattr(resource, name))
                    want = [None if v == resource.RLIM_INFINITY else v for v in (soft, hard)]
                    assert [limit["soft"], limit["hard"]] == want, name
                    compared += 1
        assert compared >= 8

    def test_human_output(self) -> None:
        """The human form has the three sections and human units."""
        out = run("proc").stdout
        assert "(this process)" in out.splitlines()[0]
        for text in ("resource usage", "limits", "RLIMIT_NOFILE", "max resident", "MiB"):
            assert text in out
        assert "unlimited" in out or " s " in out

    def test_no_such_pid(self) -> None:
        """A pid no process has is one line, status 1."""
        with open("/proc/sys/kernel/pid_max") if os.path.exists("/proc/sys/kernel/pid_max") else open(os.devnull) as f:
            text = f.read().strip()
        pid = int(text) if text else 99_999
        assert_one_line_error(run("proc", str(pid), check_status=None), "no process", str(pid))

    @pytest.mark.skipif(sys.platform != "linux", reason="compares with /proc")
    def test_live_figures_of_a_child(self, tmp_path: Path) -> None:
        """The live figures of a child blocked on stdin equal /proc's and psutil's: argv, cwd, exe, memory, descriptors."""
        import psutil

        argv = [sys.executable, "-c", "import sys; print(flush=True); sys.stdin.readline()", "marker"]
        with subprocess.Popen(argv, cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
            try:
                assert child.stdout is not None
                child.stdout.readline()
                stat = f"/proc/{child.pid}/stat"
                wait_until(lambda: Path(stat).read_text().rsplit(")", 1)[1].split()[0] == "S", "the child sleeps")
                data = run_json("proc", str(child.pid))
                ps = psutil.Process(child.pid)
                fds = sorted(map(int, os.listdir(f"/proc/{child.pid}/fd")))
                vms = ps.memory_info().vms
            finally:
                child.kill()
        live = data["live"]
        assert {} == data["live_unavailable"]
        assert argv == live["cmdline"]
        assert str(tmp_path) == live["cwd"]
        assert os.path.realpath(sys.executable) == live["exe"]
        assert os.getpid() == live["ppid"]
        assert "sleeping" == live["status"]
        assert ps.create_time() == live["create_time"]
        assert vms == live["memory"]["vms"]
        assert fds == [d["fd"] for d in live["descriptors"]] and len(fds) == live["num_fds"]
        assert {"kind": "pipe", "path": None, "fd": 0} == live["descriptors"][0]

    def test_live_figures_human(self) -> None:
        """The human form shows the live figures of the process with units."""
        out = run("proc", str(os.getpid())).stdout
        assert "live figures" in out
        for text in ("cmdline", "memory       rss", "cpu times    user", str(os.getcwd())):
            assert text in out

    def test_live_figures_refused(self) -> None:
        """A figure the system refuses is reported with its reason, not as a failure (pid 1's exe where refused)."""
        try:
            os.readlink("/proc/1/exe")
        except PermissionError:
            pass
        else:
            pytest.skip("this process may read pid 1's exe: nothing is refused")
        data = run_json("proc", "1")
        assert data["live"]["exe"] is None
        assert "EACCES" in data["live_unavailable"]["exe"]
        assert "process 1" in data["live_unavailable"]["exe"]

    @pytest.mark.parametrize("pid", ["abc", "-5", "0", "99999999999999999999"])
    def test_bad_pid(self, pid: str) -> None:
        """A pid that is not a positive pid_t is one line, status 1."""
        assert_one_line_error(run("proc", "--", pid, check_status=None), "proc")


def test_human_units() -> None:
    """Limits print as unlimited, binary units and seconds."""
    inf = 1 << 63
    assert cli.human_limit(inf, "bytes", inf) == "unlimited"
    assert cli.human_limit(8 << 20, "bytes", inf) == "8 MiB"
    assert cli.human_limit(1536, "bytes", inf) == "1.5 KiB"
    assert cli.human_limit(3 << 30, "bytes", inf) == "3 GiB"
    assert cli.human_limit(100, "bytes", inf) == "100 bytes"
    assert cli.human_limit(60, "seconds", inf) == "60 s"
    assert cli.human_limit(1024, "descriptors", inf) == "1024"


# -- sockopts -------------------------------------------------------------------------------
class TestSockopts:
    """Tests for ``macres sockopts``."""

    @pytest.mark.parametrize(("family", "kind"), [("inet", "stream"), ("inet", "dgram"), ("unix", "stream")])
    def test_json_values_against_socket_module(self, family: str, kind: str) -> None:
        """SO_TYPE, SO_RCVBUF and SO_REUSEADDR equal a fresh stdlib socket's; every row has a value or a reason."""
        data = run_json("sockopts", "--family", family, "--type", kind)
        by_name = {d["name"]: d for d in data}
        fam = {"inet": socket.AF_INET, "unix": socket.AF_UNIX}[family]
        typ = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM}[kind]
        with socket.socket(fam, typ) as s:
            assert by_name["SO_TYPE"]["value"] == s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
            assert by_name["SO_RCVBUF"]["value"] == s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
            assert by_name["SO_REUSEADDR"]["value"] is False
        for d in data:
            assert ("value" in d) != ("reason" in d), d
            assert d["access"] in ("get", "set", "both")
            if d["access"] == "set":
                assert "reason" in d

    def test_levels_follow_the_socket(self) -> None:
        """A Unix socket lists no IP or TCP options, a TCP socket no UDP ones; --all lists every level."""
        unix = {d["level"] for d in run_json("sockopts", "--family", "unix")}
        assert "IPPROTO_TCP" not in unix and "IPPROTO_IP" not in unix
        tcp = {d["level"] for d in run_json("sockopts")}
        assert {"SOL_SOCKET", "IPPROTO_IP", "IPPROTO_TCP"} <= tcp
        assert "IPPROTO_UDP" not in tcp
        every = {d["level"] for d in run_json("sockopts", "--all")}
        assert tcp < every

    def test_human_table(self) -> None:
        """The human table has the header and the typed SO_LINGER value."""
        out = run("sockopts").stdout
        assert out.splitlines()[0].split() == ["level", "option", "type", "access", "value"]
        assert "SO_LINGER" in out and "Linger(" in out

    def test_unknown_family(self) -> None:
        """An unknown family is one line, status 1."""
        assert_one_line_error(run("sockopts", "--family", "appletalk", check_status=None), "family")


# -- selftest -----------------------------------------------------------------------------
class TestSelftest:
    """Tests for ``macres selftest``."""

    def test_json_all_pass_here(self) -> None:
        """On this machine every check passes or skips with a reason; the header names platform and versions."""
        data = run_json("selftest")
        env = data["environment"]
        for key in ("macres", "python", "platform", "os", "kernel", "machine", "libc"):
            assert env[key]
        assert platform_word() in env["platform"]
        failed = [r for r in data["results"] if r["status"] == "fail"]
        assert not failed, failed
        areas = {r["area"] for r in data["results"]}
        assert {"abi", "fd", "files", "process", "memory", "socket", "event", "async", "lifecycle"} == areas
        for r in data["results"]:
            assert r["detail"], r
        assert data["summary"]["failed"] == 0
        assert data["summary"]["passed"] + data["summary"]["skipped"] == len(data["results"])

    def test_human_output(self) -> None:
        """One aligned line per check, a header and the summary line."""
        proc = run("selftest", "--area", "fd")
        lines = proc.stdout.splitlines()
        assert lines[0] == "macres selftest"
        header = next(i for i, line in enumerate(lines) if line.startswith("area"))
        rows = [line for line in lines[header + 2 :] if line.startswith("fd ")]
        assert len(rows) >= 5
        column = lines[header].index("result")
        assert all(row[column : column + 4] == "pass" for row in rows)
        assert lines[-1].endswith("0 failed, 0 skipped")

    def test_failure_gives_status_1(self) -> None:
        """A failing check is marked FAIL with its reason, listed again, and the status is 1."""
        code = (
            "import sys\n"
            "from macres import _selftest as t, cli\n"
            "def broken(ctx):\n"
            "    t.expect_equal('answer', 41, 42)\n"
            "    return ''\n"
            "t.CHECKS.append(t.Check('abi', 'a forced failure', broken))\n"
            "sys.exit(cli.main(sys.argv[1:]))\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, "selftest", "--area", "abi", "-v"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "FAIL" in proc.stdout
        assert "answer: macres 41 != expected 42" in proc.stdout
        assert "Failures" in proc.stdout and "Traceback" in proc.stdout  # -v prints the traceback
        proc = subprocess.run(
            [sys.executable, "-c", code, "selftest", "--area", "abi", "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 1
        data = json.loads(proc.stdout)
        [failed] = [r for r in data["results"] if r["status"] == "fail"]
        assert failed["name"] == "a forced failure" and "broken" in failed["traceback"]

    def test_unknown_area(self) -> None:
        """An unknown area is one line, status 1."""
        assert_one_line_error(run("selftest", "--area", "gpu", check_status=None), "gpu")


def platform_word() -> str:
    """The system name macres uses for this platform."""
    return "darwin" if sys.platform == "darwin" else "linux"


# -- the command as a whole ---------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [(), ("frobnicate",), ("bindings", "--colour"), ("stat",), ("sockopts", "--type", "raw")],
    ids=["no command", "unknown command", "unknown option", "missing path", "bad choice"],
)
def test_usage_errors_are_one_line(args: tuple[str, ...]) -> None:
    """Every usage error is one line on stderr and status 1, never argparse's usage block."""
    assert_one_line_error(run(*args, check_status=None))


def test_help_lists_subcommands() -> None:
    """``--help`` names every subcommand and exits 0."""
    out = run("--help").stdout
    for name in ("bindings", "stat", "proc", "sockopts", "selftest"):
        assert name in out


def test_console_script() -> None:
    """The installed ``macres`` script runs the same main."""
    script = shutil.which("macres") or os.path.join(os.path.dirname(sys.executable), "macres")
    if not os.path.exists(script):
        pytest.skip("the console script is not installed in this environment")
    proc = subprocess.run([script, "bindings", "--area", "fd", "--json"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert {d["area"] for d in json.loads(proc.stdout)} == {"fd"}


# -- the selftest machinery, in process -----------------------------------------------------
class TestSelftestMachinery:
    """Tests for macres._selftest's guard buffer, result conversion and leak check."""

    def test_guard_catches_a_write_past_the_struct(self) -> None:
        """A C call that writes 8 bytes past the struct fails the check, naming both sizes."""
        import ctypes

        from macres import _selftest

        size = ctypes.sizeof(_selftest._abi.CTimeval)
        with pytest.raises(_selftest.Failure, match=f"wrote {size + 8} bytes .* {size}-byte struct"):
            _selftest._guarded(_selftest._abi.CTimeval, lambda addr: ctypes.memset(addr, 0, size + 8))

    def test_guard_reports_the_extent(self) -> None:
        """A call writing only the first 4 bytes is within the struct: the extent is 4, the struct is returned."""
        import ctypes

        from macres import _selftest

        struct, extent = _selftest._guarded(_selftest._abi.CTimeval, lambda addr: ctypes.memset(addr, 7, 4))

        assert 4 == extent
        assert bytes(struct)[:4] == b"\x07" * 4

    def test_results_from_outcomes(self, tmp_path: Path) -> None:
        """A detail is pass, Skip is skip with its reason, Failure and other errors fail with a traceback."""
        from macres import _selftest as t

        ctx = t.Context(str(tmp_path))

        def skipper(_: t.Context) -> str:
            raise t.Skip("not here")

        def crasher(_: t.Context) -> str:
            raise KeyError("boom")

        def wrong(_: t.Context) -> str:
            t.expect_equal("answer", 41, 42)
            return ""

        results = [t._run_one(t.Check("abi", name, f), ctx) for name, f in
                   [("ok", lambda _: "fine"), ("skip", skipper), ("crash", crasher), ("wrong", wrong)]]

        assert [(r.status, r.detail) for r in results] == [
            ("pass", "fine"),
            ("skip", "not here"),
            ("fail", "KeyError: 'boom'"),
            ("fail", "answer: macres 41 != expected 42"),
        ]
        assert results[0].traceback is None and results[2].traceback and "crasher" in results[2].traceback

    def test_leak_check_sees_an_open_descriptor(self) -> None:
        """A descriptor opened after the 'before' snapshot is reported as left open."""
        from macres import _selftest

        before = _selftest._open_fds()
        r, w = os.pipe()
        try:
            result = _selftest._leak_check(before)
        finally:
            os.close(r)
            os.close(w)

        assert "fail" == result.status
        assert str(r) in result.detail and str(w) in result.detail
        assert "pass" == _selftest._leak_check(before).status

    def test_every_area_has_checks(self) -> None:
        """Each area of the report has at least one registered check (run adds the leak check to lifecycle)."""
        from macres import _selftest

        areas = {c.area for c in _selftest.CHECKS}

        assert set(_selftest.AREAS) == areas
