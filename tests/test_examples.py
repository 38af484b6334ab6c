"""Tests of the programs in ``examples/``: each run as a subprocess on real inputs.

Every example runs under ``-X dev -W error`` so that a leaked descriptor
(ResourceWarning) or any other warning shows up on its stderr, which the
tests check line by line.  Oracles: the file system (contents, modes), the
kernel's lock table (``/proc/locks``), the pid and ids of the process that
connects, ``os.kill(pid, 0)`` for children that must be gone, and the
memory a child touches.  ``mypy --strict`` checks the examples for Linux and
macOS, so they stay typed on both.
"""

from __future__ import annotations

import concurrent.futures
import importlib.util
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

import macres
from macres.socket import AF_UNIX, SOCK_STREAM

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: How long any single example run may take before the test gives up on it.
LIMIT = 120.0


def command(example: str, *args: str) -> list[str]:
    """The argv that runs ``examples/EXAMPLE.py ARGS`` with warnings as errors."""
    return [sys.executable, "-X", "dev", "-W", "error", str(EXAMPLES / f"{example}.py"), *args]


def run(example: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run an example to completion and return it (output as text)."""
    return subprocess.run(
        command(example, *args), capture_output=True, text=True, timeout=LIMIT, cwd=cwd, check=False
    )


@contextmanager
def started(example: str, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start an example with piped, unbuffered output; kill and reap it if the test leaves early."""
    proc = subprocess.Popen(
        command(example, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=LIMIT)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def read_line(stream: IO[bytes] | None, timeout: float = LIMIT) -> str:
    """Read one line from an unbuffered pipe, waiting at most *timeout* seconds (bounds a hung example)."""
    assert stream is not None
    fd = stream.fileno()
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError(f"no complete line within {timeout} s, got {data!r}")
        chunk = os.read(fd, 1)
        if not chunk:
            break
        data += chunk
    return data.decode()


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    """Wait for a started example; return (exit status, rest of stdout, rest of stderr)."""
    out, err = proc.communicate(timeout=LIMIT)
    return proc.returncode, out.decode(), err.decode()


def assert_one_line_error(proc: subprocess.CompletedProcess[str], prefix: str, *words: str) -> None:
    """Exit status 1, exactly one line on stderr starting with *prefix* and naming *words*, no traceback."""
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(prefix + ": "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]


def gone(pid: int) -> bool:
    """Whether no process has *pid* any more (a reaped child's pid is free)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# -- safe_copy ------------------------------------------------------------------------------
class TestSafeCopy:
    """Tests for ``examples/safe_copy.py``."""

    def test_copies_the_bytes_and_the_mode(self, tmp_path: Path) -> None:
        """A source larger than one chunk arrives byte for byte, with its permission bits, and the count is reported."""
        data = os.urandom((5 << 19) + 12345)  # 2.5 MiB and a partial chunk
        src, dst = tmp_path / "src", tmp_path / "dst"
        src.write_bytes(data)
        src.chmod(0o640)
        proc = run("safe_copy", str(src), str(dst))
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        assert proc.stdout == f"copied {len(data)} bytes from {src} to {dst}\n"
        assert dst.read_bytes() == data
        assert dst.stat().st_mode & 0o777 == 0o640 & ~_umask()

    def test_copies_an_empty_file(self, tmp_path: Path) -> None:
        """An empty source gives an empty destination and "copied 0 bytes"."""
        src, dst = tmp_path / "empty", tmp_path / "copy"
        src.write_bytes(b"")
        proc = run("safe_copy", str(src), str(dst))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("copied 0 bytes")
        assert dst.read_bytes() == b""

    def test_refuses_to_clobber_without_force(self, tmp_path: Path) -> None:
        """An existing destination is left untouched and the one-line error names --force."""
        src, dst = tmp_path / "src", tmp_path / "dst"
        src.write_bytes(b"new contents")
        dst.write_bytes(b"precious")
        proc = run("safe_copy", str(src), str(dst))
        assert_one_line_error(proc, "safe_copy", str(dst), "--force")
        assert proc.stdout == ""
        assert dst.read_bytes() == b"precious"

    def test_force_replaces_a_longer_destination_exactly(self, tmp_path: Path) -> None:
        """With --force a longer destination is truncated: no tail of the old contents survives."""
        src, dst = tmp_path / "src", tmp_path / "dst"
        src.write_bytes(b"short")
        dst.write_bytes(b"a much longer old file\n" * 1000)
        proc = run("safe_copy", "--force", str(src), str(dst))
        assert proc.returncode == 0, proc.stderr
        assert dst.read_bytes() == b"short"

    def test_same_file_is_refused_even_with_force(self, tmp_path: Path) -> None:
        """Copying a file onto itself (here through a hard link) fails and leaves the data intact."""
        src = tmp_path / "src"
        src.write_bytes(b"keep me")
        link = tmp_path / "link"
        os.link(src, link)
        proc = run("safe_copy", "--force", str(src), str(link))
        assert_one_line_error(proc, "safe_copy", "same file")
        assert src.read_bytes() == b"keep me"

    def test_missing_source_creates_nothing(self, tmp_path: Path) -> None:
        """A missing source is one line naming it, and no destination appears."""
        proc = run("safe_copy", str(tmp_path / "nope"), str(tmp_path / "dst"))
        assert_one_line_error(proc, "safe_copy", "nope")
        assert not (tmp_path / "dst").exists()

    def test_no_wait_fails_while_another_process_holds_the_lock(self, tmp_path: Path) -> None:
        """--no-wait reports the lock held here (another open file description) and changes nothing."""
        src, dst = tmp_path / "src", tmp_path / "dst"
        src.write_bytes(b"new")
        dst.write_bytes(b"old contents")
        with macres.open(dst, "r+") as held, held.locked():
            proc = run("safe_copy", "--force", "--no-wait", str(src), str(dst))
        assert_one_line_error(proc, "safe_copy", "locked")
        assert dst.read_bytes() == b"old contents"

    def test_waits_for_the_lock_before_truncating(self, tmp_path: Path) -> None:
        """Without --no-wait the copy blocks in flock (the kernel lists it as a waiter) and truncates nothing until the lock is free."""
        locks = Path("/proc/locks")
        if not locks.exists():
            pytest.skip("no /proc/locks to see the blocked flock in")
        src, dst = tmp_path / "src", tmp_path / "dst"
        src.write_bytes(b"new")
        dst.write_bytes(b"old contents")
        with macres.open(dst, "r+") as held:
            held.flock(macres.LOCK_EX)
            with started("safe_copy", "--force", str(src), str(dst)) as proc:
                # A blocked flock shows in /proc/locks as "N: -> FLOCK ADVISORY WRITE PID ...".
                waiter = re.compile(rf"^\d+: -> FLOCK\s+ADVISORY\s+WRITE\s+{proc.pid}\s", re.MULTILINE)
                deadline = time.monotonic() + LIMIT
                while not waiter.search(locks.read_text()):
                    assert proc.poll() is None, "safe_copy ended while the lock was held"
                    assert time.monotonic() < deadline, "safe_copy never waited for the lock"
                    time.sleep(0.01)
                assert dst.read_bytes() == b"old contents"
                held.flock(macres.LOCK_UN)
                status, out, err = finish(proc)
        assert (status, err) == (0, ""), err
        assert out.startswith("copied 3 bytes")
        assert dst.read_bytes() == b"new"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- peer_server ----------------------------------------------------------------------------
@pytest.fixture
def sock_path(tmp_path: Path) -> Iterator[Path]:
    """Where a test's server socket goes: short enough for ``sun_path`` (104 bytes on macOS, 108 on Linux)."""
    path = tmp_path / "srv.sock"
    if len(os.fsencode(path)) < 100:
        yield path
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as short:  # macOS's per-user temp paths are long
        yield Path(short) / "srv.sock"


class TestPeerServer:
    """Tests for ``examples/peer_server.py``."""

    @staticmethod
    def ask(path: Path) -> bytes:
        """Connect to the server at *path* with a macres Socket and read its whole reply."""
        with macres.Socket(AF_UNIX, SOCK_STREAM) as client:
            client.timeout = LIMIT
            client.connect(str(path))
            reply = b""
            while chunk := client.recv(4096):
                reply += chunk
        return reply

    def test_reports_this_process_credentials(self, sock_path: Path) -> None:
        """The reply names the connecting process's uid, gid and pid; --once exits 0 and removes the socket file."""
        path = sock_path
        with started("peer_server", str(path), "--once", "--timeout", str(LIMIT)) as proc:
            assert read_line(proc.stdout) == f"listening on {path}\n"
            reply = self.ask(path)
            status, out, err = finish(proc)
        expected = f"uid={os.geteuid()} gid={os.getegid()} pid={os.getpid()}"
        assert reply.decode() == expected + "\n"
        assert (status, err) == (0, ""), err
        assert out == f"client: {expected}\n"
        assert not path.exists()

    def test_sees_another_process_as_the_peer(self, sock_path: Path) -> None:
        """A client in a separate process is reported with that process's pid, not the server's or the test's."""
        path = sock_path
        client_code = (
            "import socket, sys\n"
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
            "s.settimeout(float(sys.argv[2]))\n"
            "s.connect(sys.argv[1])\n"
            "data = b''\n"
            "while chunk := s.recv(4096):\n"
            "    data += chunk\n"
            "s.close()\n"
            "sys.stdout.write(data.decode())\n"
        )
        with started("peer_server", str(path), "--once", "--timeout", str(LIMIT)) as server:
            read_line(server.stdout)
            client = subprocess.Popen(
                [sys.executable, "-c", client_code, str(path), str(LIMIT)], stdout=subprocess.PIPE, text=True
            )
            with client:
                reply, _ = client.communicate(timeout=LIMIT)
            status, _, err = finish(server)
        assert client.returncode == 0
        assert reply == f"uid={os.geteuid()} gid={os.getegid()} pid={client.pid}\n"
        assert client.pid not in (server.pid, os.getpid())
        assert (status, err) == (0, ""), err

    def test_denies_a_uid_not_allowed(self, sock_path: Path) -> None:
        """With --allow-uid naming someone else, this process's uid is answered with "denied"."""
        other = 65534 if os.geteuid() != 65534 else 65533
        path = sock_path
        with started(
            "peer_server", str(path), "--once", "--timeout", str(LIMIT), "--allow-uid", str(other)
        ) as proc:
            read_line(proc.stdout)
            reply = self.ask(path)
            status, out, err = finish(proc)
        assert reply == f"denied uid={os.geteuid()}\n".encode()
        assert (status, err) == (0, ""), err
        assert out == f"client: denied uid={os.geteuid()}\n"

    def test_gives_up_when_no_client_comes(self, sock_path: Path) -> None:
        """--timeout bounds the wait for a client: exit 1, one line, socket file removed."""
        path = sock_path
        proc = run("peer_server", str(path), "--once", "--timeout", "0.2")
        assert proc.stdout == f"listening on {path}\n"
        assert_one_line_error(proc, "peer_server", "no client")
        assert not path.exists()

    def test_refuses_a_path_in_use_and_leaves_it(self, sock_path: Path) -> None:
        """An existing file at the path is an error (EADDRINUSE), and the file is not removed."""
        path = sock_path
        path.write_text("not a socket")
        proc = run("peer_server", str(path), "--once", "--timeout", "1")
        assert_one_line_error(proc, "peer_server", "in use")
        assert path.read_text() == "not a socket"

    def test_ctrl_c_removes_the_socket_file(self, sock_path: Path) -> None:
        """SIGINT while waiting in accept ends the server with status 130 and removes its socket file."""
        path = sock_path
        with started("peer_server", str(path), "--timeout", str(LIMIT)) as proc:
            read_line(proc.stdout)
            proc.send_signal(signal.SIGINT)
            status, _, err = finish(proc)
        assert (status, err) == (130, ""), err
        assert not path.exists()


# -- supervise ------------------------------------------------------------------------------
#: A child that fails (exit 3) until it has run three times, counting runs in a file, and touches 32 MiB.
FLAKY = (
    "import pathlib, sys\n"
    "p = pathlib.Path(sys.argv[1])\n"
    "n = int(p.read_text()) if p.exists() else 0\n"
    "p.write_text(str(n + 1))\n"
    "b = bytearray(32 << 20)\n"
    "b[::4096] = b'x' * len(range(0, len(b), 4096))\n"
    "sys.exit(0 if n >= 2 else 3)\n"
)


class TestSupervise:
    """Tests for ``examples/supervise.py``."""

    @staticmethod
    def runs(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
        """The --json report of a finished supervise run."""
        result: list[dict[str, Any]] = json.loads(proc.stdout)
        return result

    def test_restarts_until_success_and_reports_rusage(self, tmp_path: Path) -> None:
        """Two failures then a success: three runs, exit 3/3/0, distinct pids, maxrss in bytes covers the 32 MiB touched."""
        counter = tmp_path / "count"
        proc = run("supervise", "--json", "--backoff", "0", "--", sys.executable, "-c", FLAKY, str(counter))
        assert proc.returncode == 0, proc.stderr
        runs = self.runs(proc)
        assert [r["outcome"] for r in runs] == ["exit 3", "exit 3", "exit 0"]
        assert [r["exit_code"] for r in runs] == [3, 3, 0]
        assert counter.read_text() == "3"
        assert len({r["pid"] for r in runs}) == 3
        for r in runs:
            assert r["maxrss"] >= 32 << 20  # bytes: in KiB it would be 1024 times smaller
            assert r["utime"] >= 0 and r["stime"] >= 0 and r["utime"] + r["stime"] > 0
            assert gone(r["pid"])
        progress = proc.stderr.splitlines()
        assert progress == [
            line
            for r in runs
            for line in (f"run {r['number']}: pid {r['pid']} started", f"run {r['number']}: {r['outcome']}")
        ]

    def test_table_lists_every_run(self, tmp_path: Path) -> None:
        """Without --json the report is an aligned table: a header and one row per run."""
        counter = tmp_path / "count"
        proc = run("supervise", "--backoff", "0", "--", sys.executable, "-c", FLAKY, str(counter))
        assert proc.returncode == 0, proc.stderr
        header, *rows = proc.stdout.splitlines()
        assert header.split() == ["run", "pid", "outcome", "utime", "s", "stime", "s", "maxrss", "bytes"]
        assert [row.split()[0] for row in rows] == ["1", "2", "3"]
        assert [" ".join(row.split()[2:4]) for row in rows] == ["exit 3", "exit 3", "exit 0"]
        assert all(int(row.split()[-1]) >= 32 << 20 for row in rows)
        assert len({len(header), *(len(row) for row in rows)}) == 1  # right-aligned last column: equal widths

    def test_gives_up_after_the_restarts(self) -> None:
        """A command that always fails runs 1 + --restarts times and the supervisor exits 1."""
        proc = run(
            "supervise",
            "--json",
            "--restarts",
            "2",
            "--backoff",
            "0",
            "--",
            sys.executable,
            "-c",
            "raise SystemExit(5)",
        )
        assert proc.returncode == 1, proc.stderr
        assert [r["exit_code"] for r in self.runs(proc)] == [5, 5, 5]

    def test_timeout_terminates_the_child(self) -> None:
        """A run past --timeout is ended with SIGTERM, reaped and counted as a failure."""
        proc = run(
            "supervise",
            "--json",
            "--restarts",
            "0",
            "--timeout",
            "0.5",
            "--grace",
            str(LIMIT),
            "--",
            "sleep",
            "600",
        )
        assert proc.returncode == 1, proc.stderr
        [r] = self.runs(proc)
        assert r["timed_out"] and r["signal"] == signal.SIGTERM and r["exit_code"] is None
        assert r["outcome"] == "timeout, signal SIGTERM"
        assert gone(r["pid"])

    def test_grace_then_sigkill_for_a_child_ignoring_sigterm(self) -> None:
        """A child that ignores SIGTERM is killed with SIGKILL once --grace has passed."""
        child = [
            "sh",
            "-c",
            "trap '' TERM; exec sleep 600",
        ]  # exec: the ignored SIGTERM carries over to sleep
        proc = run("supervise", "--json", "--restarts", "0", "--timeout", "2", "--grace", "0.2", "--", *child)
        assert proc.returncode == 1, proc.stderr
        [r] = self.runs(proc)
        assert r["timed_out"] and r["signal"] == signal.SIGKILL
        assert gone(r["pid"])

    @pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
    def test_interrupt_stops_and_reaps_the_child(self, sig: signal.Signals) -> None:
        """Ctrl-C (or SIGTERM) to the supervisor: the running child is terminated and reaped, the run reported, status 130."""
        with started("supervise", "--json", "--", "sleep", "600") as proc:
            line = read_line(proc.stderr)
            match = re.fullmatch(r"run 1: pid (\d+) started\n", line)
            assert match, line
            child_pid = int(match.group(1))
            proc.send_signal(sig)
            status, out, err = finish(proc)
        assert status == 130, err
        [r] = json.loads(out)
        assert r["pid"] == child_pid and r["interrupted"] and r["signal"] == signal.SIGTERM
        assert err.splitlines() == ["run 1: interrupted, signal SIGTERM", "supervise: interrupted"]
        assert gone(child_pid)

    def test_missing_command_is_one_line(self) -> None:
        """A command that cannot be started is one line on stderr and exit status 1, without restarts."""
        proc = run("supervise", "--", "/nonexistent/program")
        assert_one_line_error(proc, "supervise", "/nonexistent/program")
        assert proc.stdout == ""


# -- shared_counter -------------------------------------------------------------------------
class TestSharedCounter:
    """Tests for ``examples/shared_counter.py``."""

    def test_workers_count_to_the_product(self, tmp_path: Path) -> None:
        """Three workers of 500 increments each: 1500 in the mapping, in the file, and as the file's bytes read here."""
        path = tmp_path / "counter"
        proc = run("shared_counter", str(path), "--workers", "3", "--increments", "500")
        assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
        assert proc.stdout == "counter: 1500 in the mapping, 1500 in the file, expected 1500\n"
        assert path.read_bytes() == (1500).to_bytes(8, "little")

    def test_a_worker_adds_to_the_counter_in_the_file(self, tmp_path: Path) -> None:
        """Worker mode maps an existing counter and adds its increments to whatever the file holds."""
        path = tmp_path / "counter"
        path.write_bytes((41).to_bytes(8, "little"))
        proc = run("shared_counter", str(path), "--worker", "7")
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
        assert path.read_bytes() == (48).to_bytes(8, "little")

    def test_a_failing_worker_fails_the_count(self, tmp_path: Path) -> None:
        """A worker that cannot open its file (a directory in the file's place) is one line and status 1."""
        path = tmp_path / "counter"
        path.mkdir()
        proc = run("shared_counter", str(path), "--worker", "1")
        assert_one_line_error(proc, "shared_counter", str(path))


# -- echo_server ---------------------------------------------------------------------------
def _listening_port(proc: subprocess.Popen[bytes]) -> int:
    line = read_line(proc.stdout)
    match = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
    assert match is not None, line
    return int(match[1])


def _echo_round(port: int, chunks: list[bytes]) -> socket.socket:
    """A client that sends each chunk and reads its echo back; returned still connected."""
    client = socket.create_connection(("127.0.0.1", port), timeout=LIMIT)
    for chunk in chunks:
        client.sendall(chunk)
        got = b""
        while len(got) < len(chunk):
            data = client.recv(1 << 20)
            assert data, "the server closed the connection early"
            got += data
        assert got == chunk
    return client


@pytest.mark.parametrize("loop", ["asyncio", "trio"])
class TestEchoServer:
    """Tests for ``examples/echo_server.py``, under each loop."""

    def test_echoes_concurrent_clients_and_stops_on_sigterm(self, loop: str) -> None:
        """Twenty clients at once get their bytes back; SIGTERM closes every connection and the server exits 0, clean."""
        with started("echo_server", "--loop", loop) as proc:
            port = _listening_port(proc)
            chunks = [[bytes([65 + i]) * size for size in (1, 1000, 100_000)] for i in range(20)]
            with concurrent.futures.ThreadPoolExecutor(20) as pool:
                clients = list(pool.map(lambda c: _echo_round(port, c), chunks))
            try:
                proc.send_signal(signal.SIGTERM)
                status, out, err = finish(proc)
                assert [c.recv(10) for c in clients] == [b""] * 20  # each connection closed by the server
            finally:
                for c in clients:
                    c.close()
        assert (status, err) == (0, ""), err
        assert out == f"served 20 clients, {20 * 101_001} bytes\n"

    def test_closes_a_silent_client_and_serves_on(self, loop: str) -> None:
        """A client silent for --idle seconds is closed; a client connected later is served."""
        with started("echo_server", "--loop", loop, "--idle", "0.2") as proc:
            port = _listening_port(proc)
            with socket.create_connection(("127.0.0.1", port), timeout=LIMIT) as silent:
                assert silent.recv(10) == b""  # closed by the server, not by this timeout
            _echo_round(port, [b"still here"]).close()
            proc.send_signal(signal.SIGINT)
            status, out, err = finish(proc)
        assert (status, out, err) == (0, "served 2 clients, 10 bytes\n", "")


# -- typing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_examples_type_check(platform: str, tmp_path: Path) -> None:
    """Every example passes ``mypy --strict`` for Linux and for macOS (own cache, so concurrent runs cannot clash)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--platform",
            platform,
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(EXAMPLES),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_example_is_a_typed_script() -> None:
    """Each example has a docstring, ``main(argv: list[str] | None = None) -> int`` and the ``SystemExit(main())`` guard."""
    scripts = sorted(EXAMPLES.glob("*.py"))
    assert scripts
    for script in scripts:
        text = script.read_text()
        assert text.startswith('"""'), script.name
        assert "def main(argv: list[str] | None = None) -> int:" in text, script.name
        assert text.rstrip().endswith('if __name__ == "__main__":\n    raise SystemExit(main())'), script.name
