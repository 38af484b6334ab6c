"""The three process types and Popen's conveniences: CurrentProcess, Process(pid), Child with PIPE/communicate.

Oracles: ``subprocess.Popen`` (poll, returncode), psutil and ``/proc`` (who
is whose parent, zombies, pidfds), ``os.waitpid`` (a Process never reaps),
and what the children themselves print.  Deadlock-prone exchanges run with a
timeout so that a regression fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import pickle
import selectors
import signal
import subprocess
import sys
import textwrap

import psutil
import pytest

from _support import linux_only

import macres
from macres.event import READ
from macres.process import Child, CurrentProcess, Process, TimeoutExpired

PY = [sys.executable, "-I", "-S", "-c"]
#: The longest a test waits for something that should take milliseconds.
BOUND = 60.0
MiB = 1 << 20


def gone(pid: int) -> bool:
    """No process has *pid*, not even a zombie (psutil and /proc agree)."""
    return not psutil.pid_exists(pid) and not pathlib.Path(f"/proc/{pid}").exists()


# -- the current process ------------------------------------------------------------------


def test_current_process_after_fork_signals_and_names_the_child_not_the_parent() -> None:
    """A CurrentProcess made before os.fork() names the child in the child: its pid, its signals, its queries."""
    code = textwrap.dedent(
        """
        import os, signal, macres
        me = macres.Process.current()
        hits = []
        signal.signal(signal.SIGUSR1, lambda *_: hits.append(os.getpid()))
        parent = os.getpid()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            me.kill(signal.SIGUSR1)
            me.send_signal(signal.SIGUSR1)
            facts = [me.pid == os.getpid() != parent, hits == [os.getpid()] * 2, me.ppid == parent,
                     me.pgid == os.getpgid(0), me.rlimit(7) == tuple(x & (2**64 - 1) for x in __import__("resource").getrlimit(7))]
            os.write(w, repr(facts).encode())
            os._exit(0)
        os.close(w)
        child_facts = os.read(r, 1000).decode()
        os.waitpid(pid, 0)
        print(child_facts, hits == [], me.pid == parent)
        """
    )
    done = subprocess.run([sys.executable, "-X", "dev", "-W", "error", "-c", code], capture_output=True, text=True,
                          timeout=BOUND, check=False)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split() == ["[True,", "True,", "True,", "True,", "True]", "True", "True"]


def test_current_process_holds_nothing() -> None:
    """Process.current() opens no descriptor, is one shared value, and has no lifecycle to forget."""
    before = sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    me = Process.current()
    assert isinstance(me, CurrentProcess) and me is Process.current() and me == CurrentProcess()
    assert not hasattr(me, "close") and not hasattr(me, "fileno") and not hasattr(me, "__enter__")
    assert repr(me) == f"<macres.CurrentProcess pid={os.getpid()} current>"
    if before is not None:
        assert sorted(os.listdir("/proc/self/fd")) == before


# -- any process by pid -------------------------------------------------------------------


def test_wait_for_a_grandchild_through_its_pidfd() -> None:
    """Process(pid) of a process that is not our child: wait() times out while it runs, returns once it is gone; kill() reaches it."""
    code = "import subprocess, sys; p = subprocess.Popen(['sleep', '60']); print(p.pid, flush=True); sys.stdin.read(); print(p.wait())"
    with Process.spawn(PY + [code], stdin=macres.PIPE, stdout=macres.PIPE) as middle:
        assert middle.stdout is not None
        line = b""
        while not line.endswith(b"\n"):
            chunk = middle.stdout.read(100)
            assert chunk, "the middle process ended early"
            line += chunk
        pid = int(line)
        assert psutil.Process(pid).ppid() == middle.pid != os.getpid()  # not ours
        with Process(pid) as grandchild:
            with pytest.raises(TimeoutError):
                grandchild.wait(0.05)
            assert not grandchild.exited()
            grandchild.kill()  # SIGKILL through the pidfd
            grandchild.wait(BOUND)
            assert grandchild.exited()
        out, err = middle.communicate(timeout=BOUND)
    assert out == f"{-signal.SIGKILL}\n".encode()  # its parent saw SIGKILL (the pid line was read before)
    assert err is None


def test_a_process_object_waits_without_reaping() -> None:
    """Process(pid) of our own posix_spawn child: one object kills, another waits; the zombie is still ours to reap."""
    pid = os.posix_spawnp("sleep", ["sleep", "60"], os.environ)
    try:
        with Process(pid) as watcher, Process(pid) as killer:
            assert watcher.fileno() != killer.fileno()
            killer.kill()
            watcher.wait(BOUND)
            assert watcher.exited() and psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    finally:
        _, status = os.waitpid(pid, 0)  # ChildProcessError here would mean the Process reaped it
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL


@linux_only
def test_fileno_is_a_pidfd_usable_in_selectors() -> None:
    """fileno() of a Child and of a Process is a pidfd of that pid (fdinfo), readable in a selector once the process exits."""
    with Process.spawn(["sleep", "60"]) as child, Process(child.pid) as other, selectors.DefaultSelector() as sel:
        for obj in (child, other):
            assert f"Pid:\t{child.pid}\n" in pathlib.Path(f"/proc/self/fdinfo/{obj.fileno()}").read_text()
            sel.register(obj, selectors.EVENT_READ, obj)
        assert sel.select(0) == []
        child.terminate()
        ready: set[object] = set()
        while len(ready) < 2:
            events = sel.select(BOUND)
            assert events, "no exit seen"
            ready |= {key.data for key, _ in events}
        assert ready == {child, other}
        for obj in (child, other):
            sel.unregister(obj)
        assert child.wait().signal == signal.SIGTERM


def test_the_event_queue_waits_for_a_process() -> None:
    """A Child registered directly, and a ProcessExit made from it, are both reported by EventQueue once it exits."""
    with macres.EventQueue[str]() as queue, Process.spawn(["sleep", "60"]) as child, macres.ProcessExit(child) as ended:
        assert ended.pid == child.pid and ended.fileno() != child.fileno()
        queue.register(child, READ, "child")
        queue.register(ended, READ, "exit source")
        assert queue.wait(0) == []
        child.kill()
        seen: set[str] = set()
        while len(seen) < 2:
            events = queue.wait(BOUND)
            assert events, "no exit reported"
            seen |= {e.data for e in events}
        assert seen == {"child", "exit source"} and ended.exited()
        queue.unregister(child)
        queue.unregister(ended)


def test_asyncio_waits_for_a_child_through_its_fileno() -> None:
    """loop.add_reader(child.fileno()) fires once the child exits: an event loop can wait for a process."""

    async def main() -> int | None:
        loop = asyncio.get_running_loop()
        with Process.spawn(["sleep", "60"]) as child:
            exited = loop.create_future()
            loop.add_reader(child.fileno(), lambda: exited.done() or exited.set_result(None))
            try:
                assert not exited.done()
                child.kill()
                await asyncio.wait_for(exited, BOUND)
            finally:
                loop.remove_reader(child.fileno())
            return child.wait().signal

    assert asyncio.run(main()) == signal.SIGKILL


def test_process_exit_of_a_closed_process_is_refused() -> None:
    """ProcessExit(process) duplicates the object's own descriptor: a closed object is ClosedResourceError."""
    handle = Process(os.getppid())
    handle.close()
    with pytest.raises(macres.ClosedResourceError):
        macres.ProcessExit(handle)


# -- a child: Popen's conveniences --------------------------------------------------------


def test_communicate_more_than_a_pipe_buffer_on_stdout_and_stderr() -> None:
    """3 MiB on stdout and 2 MiB on stderr, stderr written first: served together, nothing lost, no deadlock."""
    code = "import sys; sys.stderr.buffer.write(b'e' * (2 << 20)); sys.stderr.flush(); sys.stdout.buffer.write(b'o' * (3 << 20))"
    with Process.spawn(PY + [code], stdout=macres.PIPE, stderr=macres.PIPE) as child:
        out, err = child.communicate(timeout=BOUND)
        assert child.stdout is not None and child.stdout.closed  # read to its end, then closed
    assert out == b"o" * 3 * MiB and err == b"e" * 2 * MiB
    assert child.returncode == 0


def test_communicate_input_larger_than_a_pipe_buffer() -> None:
    """4 MiB through cat: the input is written while the output is read, so neither pipe stalls the other."""
    data = bytes(range(256)) * (4 * MiB // 256)
    with Process.spawn(["cat"], stdin=macres.PIPE, stdout=macres.PIPE) as child:
        out, err = child.communicate(data, timeout=BOUND)
        assert child.stdin is not None and child.stdin.closed
    assert out == data and err is None and child.returncode == 0


def test_a_timeout_then_communicate_again_loses_nothing() -> None:
    """communicate(timeout) raises TimeoutExpired with what was read so far; a second call returns everything."""
    gate_r, gate_w = macres.pipe()
    code = (
        "import os, sys; sys.stdout.buffer.write(b'a' * 200000); sys.stdout.flush(); sys.stderr.buffer.write(b'b' * 100000);"
        f" sys.stderr.flush(); os.read({gate_r.fileno()}, 1); sys.stdout.buffer.write(b'c' * 200000)"
    )
    with gate_r, gate_w:
        with Process.spawn(PY + [code], stdout=macres.PIPE, stderr=macres.PIPE, pass_fds=[gate_r]) as child:
            gate_r.close()
            with pytest.raises(TimeoutExpired) as info:
                child.communicate(timeout=0.2)
            early = info.value
            assert isinstance(early, subprocess.TimeoutExpired) and isinstance(early, TimeoutError)
            assert early.timeout == 0.2 and early.cmd == child.args
            with pytest.raises(ValueError):
                child.communicate(b"late input")
            assert child.poll() is None  # untouched by the timeout
            gate_w.write(b"!")
            out, err = child.communicate(timeout=BOUND)
    assert out == b"a" * 200000 + b"c" * 200000 and err == b"b" * 100000
    assert out.startswith(early.output or b"") and err.startswith(early.stderr or b"")
    assert child.returncode == 0


def test_timeout_expired_pickles() -> None:
    """TimeoutExpired keeps its command, timeout and partial output through pickle."""
    error = TimeoutExpired(["x"], 1.5, b"out", b"err")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.cmd, back.timeout, back.output, back.stderr) == (TimeoutExpired, ["x"], 1.5, b"out", b"err")


def test_devnull_and_stderr_to_stdout() -> None:
    """stdin=DEVNULL reads EOF; stderr=STDOUT joins stdout's pipe; subprocess's constants mean the same."""
    code = "import sys; print(len(sys.stdin.read())); sys.stdout.flush(); print('to stderr', file=sys.stderr)"
    for pipe, devnull, stdout in ((macres.PIPE, macres.DEVNULL, macres.STDOUT), (subprocess.PIPE, subprocess.DEVNULL, subprocess.STDOUT)):
        with Process.spawn(PY + [code], stdin=devnull, stdout=pipe, stderr=stdout) as child:
            assert child.stdin is None and child.stderr is None and child.stdout is not None
            assert child.communicate(timeout=BOUND) == (b"0\nto stderr\n", None)


def test_communicate_without_pipes_waits() -> None:
    """With no PIPE stream communicate only waits: (None, None); input without stdin=PIPE is refused."""
    with Process.spawn(["true"]) as child:
        with pytest.raises(ValueError):
            child.communicate(b"nobody reads this")
        assert child.communicate(timeout=BOUND) == (None, None)
        assert child.returncode == 0


def test_poll_and_returncode_compare_as_popen() -> None:
    """poll() and returncode are Popen's ints: None while running, the exit code, -signal; the ExitStatus is exit_status."""
    for argv in (["true"], ["false"], ["sh", "-c", "exit 7"], ["sh", "-c", "kill -TERM $$"]):
        with subprocess.Popen(argv) as popen:
            popen.wait()
        with Process.spawn(argv) as child:
            status = child.wait()
            assert child.poll() == popen.poll() == popen.returncode == child.returncode == status.returncode
            assert (child.poll() != 0) == (popen.returncode != 0)
            assert child.exit_status == status
    with Process.spawn(["sleep", "60"]) as sleeper:
        assert sleeper.poll() is None and sleeper.returncode is None and sleeper.exit_status is None


def test_a_child_reaped_elsewhere_reads_as_popen_reads_it() -> None:
    """A child someone else reaped: poll() and returncode give 0 on every call, as Popen's; exit_status None; wait raises.

    Popen documents that the status cannot be known then and reports 0;
    macres does the same for poll()/returncode, keeps exit_status None (no
    status is invented) and wait() raises ChildProcessError each time.
    Signals do nothing, and the answers stay after close.
    """
    with subprocess.Popen(["true"]) as popen:
        os.waitpid(popen.pid, 0)  # the reap that is not Popen's
        assert popen.poll() == popen.returncode == popen.wait() == 0
    with Process.spawn(["true"]) as child:
        os.waitpid(child.pid, 0)  # nor the Child's
        for _ in range(3):
            assert child.poll() == child.returncode == 0
        assert child.exit_status is None
        for _ in range(2):
            with pytest.raises(ChildProcessError, match="reaped elsewhere"):
                child.wait()
            with pytest.raises(ChildProcessError):
                child.wait(timeout=BOUND)
        assert child.communicate(timeout=BOUND) == (None, None)
        child.kill()
        child.terminate()
        child.send_signal(signal.SIGTERM)
    assert child.poll() == child.returncode == 0 and child.exit_status is None
    assert "returncode=0" in repr(child)


def test_kill_sends_sigkill_by_default() -> None:
    """kill() with no signal is SIGKILL (Popen's kill); send_signal and terminate send what they say."""
    with Process.spawn(["sleep", "60"]) as child:
        child.kill()
        assert child.wait().signal == signal.SIGKILL
        assert child.returncode == -signal.SIGKILL
    with Process.spawn(["sleep", "60"]) as child:
        child.send_signal(signal.SIGINT)
        assert child.wait().signal == signal.SIGINT
    with Process.spawn(["sleep", "60"]) as child:
        child.terminate()
        assert child.wait().signal == signal.SIGTERM


def test_wait_timeout_is_timeout_expired() -> None:
    """Child.wait(timeout) raises TimeoutExpired, which is also the builtin TimeoutError; the child runs on."""
    with Process.spawn(["sleep", "60"]) as child:
        with pytest.raises(TimeoutError) as info:
            child.wait(0.05)
        assert isinstance(info.value, subprocess.TimeoutExpired) and child.poll() is None


def test_no_zombie_and_no_open_end_after_with() -> None:
    """Leaving with: a running child and one that already exited are both reaped; the PIPE ends are closed."""
    with Process.spawn(["sleep", "60"], stdin=macres.PIPE, stdout=macres.PIPE, stderr=macres.PIPE) as running:
        ends = [running.stdin, running.stdout, running.stderr]
        assert psutil.Process(running.pid).status() != psutil.STATUS_ZOMBIE
    with Process.spawn(["true"], stdout=macres.PIPE) as finished:
        assert finished.stdout is not None and finished.stdout.read(10) == b""  # EOF: it has exited
        pid = finished.pid
        zombie_seen = False
        for _ in range(10000):  # bounded: until the kernel shows it as a zombie
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                zombie_seen = True
                break
            os.sched_yield()
        assert zombie_seen
    for child in (running, finished):
        assert gone(child.pid) and child.closed and child.returncode is not None
    assert all(end is not None and end.closed for end in [*ends, finished.stdout])
    assert running.exit_status is not None and running.exit_status.signal == signal.SIGTERM


def test_a_failed_spawn_closes_the_pipes_it_made() -> None:
    """A program that cannot start leaves no child and none of the pipes spawn opened."""
    before = sorted(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    with pytest.raises(FileNotFoundError):
        Process.spawn(["/nonexistent/program"], stdin=macres.PIPE, stdout=macres.PIPE, stderr=macres.DEVNULL)
    if before is not None:
        assert sorted(os.listdir("/proc/self/fd")) == before


def test_repr_names_the_type_and_state() -> None:
    """Each type says what it is: a running or reaped Child, an open or closed Process."""
    with Process.spawn(["sleep", "60"]) as child:
        assert repr(child) == f"<macres.Child pid={child.pid} running>"
        child.kill()
        child.wait()
        assert repr(child) == f"<macres.Child pid={child.pid} returncode=-9>"
    with Process(os.getppid()) as held:
        assert repr(held) == f"<macres.Process pid={os.getppid()} open>"
    assert repr(held) == f"<macres.Process pid={os.getppid()} closed>"
    assert repr(child) == f"<macres.Child pid={child.pid} returncode=-9 closed>"
    assert isinstance(child, Child) and not isinstance(child, Process)


def test_info_names_the_process_each_role_holds() -> None:
    """info() gives the live figures of the held process (psutil agrees); a reaped or closed one is refused."""
    argv = [sys.executable, "-c", "import sys; sys.stdin.read()", "info-marker"]
    r, w = macres.pipe()
    with r, w, macres.Process.spawn(argv, stdin=r.fileno()) as child:
        with macres.Process(child.pid) as by_pid:
            for held in (child, by_pid):
                info = held.info()
                assert info.pid == child.pid
                assert info.cmdline() == psutil.Process(child.pid).cmdline() == argv
            w.close()
            child.wait()
            with pytest.raises(ProcessLookupError):
                child.info()
        with pytest.raises(macres.ClosedResourceError):
            by_pid.info()
    assert macres.Process.current().info().pid == os.getpid()
    assert macres.Process.current().info().cmdline() == psutil.Process().cmdline()
