"""Byte-range locks, lock holders and lock waits with a timeout (issue 16).

On Linux the range locks are open-file-description locks: they exclude
other descriptions (another ``open`` of the file, in this process, another
thread or another process) and are shared by every descriptor of one
description (``dup``, inherited across ``fork``).  Holders are
cross-checked with the kernel's own table, ``/proc/locks``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pathlib
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

import macres
from _strace import kernel_calls, needs_strace
from _support import in_child, linux_only, needs_proc_syscall, wait_blocked
from macres import LockHolder

#: macOS's POSIX record locks belong to the process: descriptions of one process never conflict there.
ofd_only = pytest.mark.skipif(macres.raw.SYSTEM != "linux", reason="POSIX record locks on macOS are per process")


@pytest.fixture
def path(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "locked"
    p.write_bytes(b"\0" * 4096)
    return p


def _proc_locks(path: pathlib.Path) -> list[list[str]]:
    """The /proc/locks lines (split) of *path*'s file, holders only."""
    st = os.stat(path)
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    with open("/proc/locks") as f:
        return [line.split()[1:] for line in f if line.split()[5:6] == [device] and "->" not in line]


@ofd_only
def test_independent_opens_exclude_each_other(path: pathlib.Path) -> None:
    """Two opens of one file in one process: an exclusive range excludes the other, which names the file and the holder."""
    with macres.open(path, "r+") as a, macres.open(path, "r+") as b:
        a.lock(100, 50)
        with pytest.raises(BlockingIOError) as info:
            b.lock(120, 1, blocking=False)
        assert info.value.filename == str(path)
        assert b.lock_holder(0, 0) == LockHolder(pid=None, exclusive=True, start=100, length=50)
        assert b.lock_holder(0, 100) is None  # bytes 0..99 are free
        b.lock(0, 100)  # so they can be taken
        assert a.lock_holder(0, 0) == LockHolder(pid=None, exclusive=True, start=0, length=100)
        a.unlock(100, 50)
        b.lock(100, 50, blocking=False)


@ofd_only
def test_shared_locks_share(path: pathlib.Path) -> None:
    """Shared locks coexist; an exclusive one is refused while they stand and the holder is reported shared."""
    with macres.open(path, "r+") as a, macres.open(path, "r+") as b, macres.open(path, "r+") as c:
        a.lock(exclusive=False)
        b.lock(exclusive=False, blocking=False)
        assert c.lock_holder(exclusive=False) is None
        holder = c.lock_holder()
        assert holder is not None and not holder.exclusive
        with pytest.raises(BlockingIOError):
            c.lock(blocking=False)


@linux_only
def test_ofd_lock_is_in_proc_locks_with_pid_minus_one(path: pathlib.Path) -> None:
    """/proc/locks lists the lock as OFDLCK with pid -1 and its range; lock_holder says pid None accordingly."""
    with macres.open(path, "r+") as a, macres.open(path, "r+") as b:
        a.lock(10, 20, exclusive=False)
        assert _proc_locks(path) == [["OFDLCK", "ADVISORY", "READ", "-1", _proc_locks(path)[0][4], "10", "29"]]
        assert b.lock_holder(0, 0) == LockHolder(pid=None, exclusive=False, start=10, length=20)
    assert _proc_locks(path) == []  # released with the last descriptor of the description


@ofd_only
@needs_proc_syscall
def test_threads_with_their_own_opens_exclude_each_other(path: pathlib.Path) -> None:
    """A thread waiting for a range another thread's description holds sleeps in fcntl until it is released."""
    acquired = threading.Event()
    with macres.open(path, "r+") as a, macres.open(path, "r+") as b:
        a.lock(0, 10)

        def waiter() -> None:
            b.lock(5, 1)
            acquired.set()

        thread = threading.Thread(target=waiter)
        thread.start()
        try:
            wait_blocked(thread, b.fileno())  # F_OFD_SETLKW on b, in the kernel
            assert not acquired.is_set()
        finally:
            a.unlock(0, 10)
            thread.join(10)
        assert acquired.is_set()
        assert a.lock_holder(5, 1) == LockHolder(pid=None, exclusive=True, start=5, length=1)


@ofd_only
def test_threads_sharing_one_descriptor_share_its_lock(path: pathlib.Path) -> None:
    """OFD semantics: another thread using the same descriptor owns the lock too (it is the description's)."""
    outcome: list[object] = []
    with macres.open(path, "r+") as a, macres.open(path, "r+") as other:
        a.lock(0, 10)

        def same_description() -> None:
            outcome.append(a.lock_holder(0, 10))
            a.lock(0, 10, blocking=False)  # converts its own lock: no conflict
            outcome.append("locked")

        thread = threading.Thread(target=same_description)
        thread.start()
        thread.join(10)
        assert outcome == [None, "locked"]
        with pytest.raises(BlockingIOError):
            other.lock(0, 10, blocking=False)


@ofd_only
def test_forked_child_shares_the_inherited_description(path: pathlib.Path) -> None:
    """A forked child holds the parent's lock through the inherited descriptor, and is excluded through its own open."""
    with macres.open(path, "r+") as a:
        a.lock(0, 100)

        def child() -> None:
            assert a.lock_holder(0, 100) is None  # the lock is this description's, which the child shares
            own = macres.open(path, "r+")
            assert own.lock_holder(0, 100) == LockHolder(pid=None, exclusive=True, start=0, length=100)
            try:
                own.lock(50, 1, blocking=False)
            except BlockingIOError:
                return
            raise AssertionError("the child's own open took a range the parent's description holds")

        in_child(child)


_HOLDER = """
import fcntl, sys
f = open(sys.argv[1], "r+b")
fcntl.lockf(f, fcntl.LOCK_EX, 30, 200)
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def other_process(path: pathlib.Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding a POSIX write lock on bytes 200..229 until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    yield proc
    assert proc.stdin is not None
    if not proc.stdin.closed:
        proc.stdin.close()
    proc.wait(30)
    proc.stdout.close()


def test_another_process_is_reported_with_its_pid(path: pathlib.Path, other_process: subprocess.Popen[str]) -> None:
    """The holder in another process comes with that process's pid and range, as /proc/locks lists it."""
    with macres.open(path, "r+") as f:
        holder = f.lock_holder(0, 0)
        assert holder == LockHolder(pid=other_process.pid, exclusive=True, start=200, length=30)
        if os.path.exists("/proc/locks"):
            [line] = _proc_locks(path)
            assert (line[0], line[2], int(line[3]), line[5], line[6]) == ("POSIX", "WRITE", other_process.pid, "200", "229")
        with pytest.raises(BlockingIOError) as info:
            f.lock(210, 5, exclusive=False, blocking=False)
        assert info.value.filename == str(path)
        f.lock(0, 200)  # up to the held range is free


def test_timeout_gives_up_naming_the_file(path: pathlib.Path, other_process: subprocess.Popen[str]) -> None:
    """A lock with a timeout that the other process keeps raises TimeoutError naming the file; the descriptor stays usable."""
    with macres.open(path, "r+") as f:
        with pytest.raises(TimeoutError) as info:
            f.lock(200, 1, timeout=0.05)
        assert info.value.filename == str(path)
        assert info.value.errno == errno.ETIMEDOUT
        with pytest.raises(BlockingIOError), f.lock_range(0, 0, timeout=0.0):  # 0: do not wait at all
            pass
        assert f.read(4) == b"\0\0\0\0"


def test_timeout_succeeds_once_the_holder_lets_go(path: pathlib.Path, other_process: subprocess.Popen[str]) -> None:
    """A timed wait takes the lock once the other process exits within the timeout."""
    with macres.open(path, "r+") as f:
        assert other_process.stdin is not None
        other_process.stdin.close()  # the holder exits, its lock goes
        with f.lock_range(200, 30, timeout=30):
            assert f.lock_holder(200, 30) is None
    other_process.wait(30)


def test_lock_range_guard_unlocks_on_error(path: pathlib.Path) -> None:
    """The guard releases its range when the block raises; closing inside the block is fine too."""
    with macres.open(path, "r+") as a, macres.open(path, "r+") as b:
        with pytest.raises(RuntimeError), a.lock_range(0, 10):
            raise RuntimeError
        b.lock(0, 10, blocking=False)
        b.unlock(0, 10)
        with a.lock_range(0, 10):
            a.close()
        b.lock(0, 10, blocking=False)


def test_lock_errors_name_the_file(path: pathlib.Path) -> None:
    """An exclusive lock on a read-only descriptor is EBADF naming the file; bad ranges are ValueError."""
    with macres.open(path, "r") as f:
        with pytest.raises(OSError) as info:
            f.lock(0, 1)
        assert (info.value.errno, info.value.filename) == (errno.EBADF, str(path))
        with pytest.raises(ValueError):
            f.lock(-1, 1)
        with pytest.raises(ValueError):
            f.lock_holder(0, -5)
        with pytest.raises(ValueError):
            f.lock(0, 1, exclusive=False, timeout=-1)
    with pytest.raises(macres.ClosedResourceError):
        f.lock()


# -- flock with a timeout ---------------------------------------------------------------------
def test_locked_timeout_gives_up(path: pathlib.Path) -> None:
    """locked(timeout=...) on a file another description holds raises TimeoutError naming it; the holder keeps it."""
    with macres.open(path) as a, macres.open(path) as b, a.locked():
        with pytest.raises(TimeoutError) as info, b.locked(timeout=0.05):
            pass
        assert info.value.filename == str(path)
        with pytest.raises(BlockingIOError):
            fcntl.flock(b.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)


def test_locked_timeout_takes_the_lock_when_released(path: pathlib.Path) -> None:
    """A timed flock wait succeeds once the holder releases (released by a thread after the wait began)."""
    with macres.open(path) as a, macres.open(path) as b:
        a.flock(macres.LOCK_EX)
        release = threading.Timer(0.02, a.flock, (macres.LOCK_UN,))
        release.start()
        try:
            with b.locked(timeout=30):
                with pytest.raises(BlockingIOError):
                    fcntl.flock(a.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        finally:
            release.join()


@needs_strace
def test_locked_timeout_does_not_spin(path: pathlib.Path) -> None:
    """strace: waiting 0.3 s for a held flock makes a bounded number of attempts (backoff), not thousands."""
    calls = kernel_calls(
        "try:\n    with b.locked(timeout=0.3):\n        pass\nexcept TimeoutError:\n    pass\nelse:\n    raise SystemExit(1)",
        f"import macres\na = macres.open({str(path)!r})\nb = macres.open({str(path)!r})\na.flock(macres.LOCK_EX)",
        trace="flock",
    )
    attempts = [c for c in calls if "LOCK_NB" in c.args]
    assert 3 <= len(attempts) <= 20, len(attempts)


def test_darwin_names_the_file_with_f_getpath() -> None:
    """darwin: the path in lock errors comes from fcntl(F_GETPATH) into a MAXPATHLEN buffer; None when it fails."""
    from macres.raw import _darwin

    def getpath(fd: int, cmd: int, buf: bytearray) -> int:
        assert (fd, cmd, len(buf)) == (5, _darwin.F_GETPATH, _darwin.MAXPATHLEN)
        buf[:12] = b"/private/x\0\0"
        return 0

    def refuse(fd: int, cmd: int, buf: bytearray) -> int:
        raise OSError(errno.EBADF, "bad")

    assert _darwin.fd_path(getpath, 5) == "/private/x"
    assert _darwin.fd_path(refuse, 5) is None
    assert _darwin.RANGE_LOCK_COMMANDS == (_darwin.F_GETLK, _darwin.F_SETLK, _darwin.F_SETLKW)
