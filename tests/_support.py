"""Helpers shared by the test modules: forked children, privilege probes, platform marks.

Tests that change process-wide state (ids, rlimits, the clock's
permissions, chroot) run the change in a forked child that only runs the
check and ``os._exit``s, reporting through its exit status and a pipe.
:data:`FORK_LOCK` serialises those forks suite-wide: a fork copies only the
calling thread, so no two forks overlap and no child inherits a lock some
other test thread held at that moment.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import platform
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator

import pytest

import macres
from macres import raw

#: The repository's root (the directory holding ``tests/``).
REPO = pathlib.Path(__file__).resolve().parent.parent
#: The ABI tables and the socket-option catalog source (``data/README.md`` says where they come from).
ABI_DIR = REPO / "data" / "abi"
#: The binding table, the one copy the package reads at run time.
BINDINGS_TABLE = REPO / "src" / "macres" / "raw" / "_bindings.tsv"

#: The unprivileged user and group the tests drop to.
NOBODY = 65534
#: Serialises every fork the suite makes (see the module docstring).
FORK_LOCK = threading.Lock()

#: Seconds a bounded wait polls before it fails the test.
BOUND = 10.0
#: The system call numbers of poll(2) and ppoll(2) on this machine (what a socket with a timeout waits in).
POLL_SYSCALLS = {"x86_64": {7, 271}, "aarch64": {73}}.get(platform.machine(), set())
#: futex(2): where a thread waiting for the GIL or a lock sleeps.
FUTEX_SYSCALLS = {"x86_64": {202}, "aarch64": {98}}.get(platform.machine(), set())

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the privileged call for real")
linux_only = pytest.mark.skipif(raw.SYSTEM != "linux", reason="exercises Linux behaviour")
needs_proc_syscall = pytest.mark.skipif(
    not os.path.exists(f"/proc/self/task/{threading.get_native_id()}/syscall"),
    reason="needs /proc/<pid>/task/<tid>/syscall to see that a thread is blocked in the kernel",
)


def wait_until(predicate: Callable[[], bool], what: str, bound: float = BOUND) -> None:
    """Bounded polling on observable state: return once *predicate* holds, fail after *bound* seconds."""
    deadline = time.monotonic() + bound
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.0005)


def _syscall_of(tid: int) -> list[str] | None:
    """The fields of ``/proc/self/task/TID/syscall`` while thread *tid* sleeps (state S), else None."""
    try:
        with open(f"/proc/self/task/{tid}/syscall") as f:
            fields = f.read().split()
        with open(f"/proc/self/task/{tid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    if state != "S" or not fields or fields[0] == "running":
        return None
    return fields


def sleeping_in_kernel(tid: int) -> bool:
    """Whether thread *tid* sleeps in a system call other than futex(2) (the kernel's word, as below).

    A thread waiting for the GIL sleeps in futex, so futex does not count.
    """
    fields = _syscall_of(tid)
    return fields is not None and int(fields[0]) not in FUTEX_SYSCALLS


def blocked_in_kernel(tid: int, fd: int | None) -> bool:
    """Whether thread *tid* sleeps in a system call on *fd* (in poll(2)/ppoll(2) when *fd* is None).

    The kernel's word (``/proc/self/task/TID/syscall`` and ``.../stat``), not
    the thread's own bookkeeping.
    """
    fields = _syscall_of(tid)
    if fields is None:
        return False
    if fd is None:
        return int(fields[0]) in POLL_SYSCALLS
    return len(fields) > 1 and int(fields[1], 16) == fd


def wait_blocked(thread: threading.Thread, fd: int | None) -> None:
    """Wait until *thread* sleeps in the kernel on *fd* (see :func:`blocked_in_kernel`); fail if it ended."""
    tid = thread.native_id
    assert tid is not None, "the thread has not started"
    wait_until(lambda: blocked_in_kernel(tid, fd) or not thread.is_alive(), "the thread blocks in the kernel")
    assert thread.is_alive(), "the call returned instead of blocking"


def pidfds_of(pid: int) -> list[int]:
    """The descriptors of this process that are pidfds of process *pid* (``/proc/self/fdinfo``, Linux)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}") != "anon_inode:[pidfd]":
                continue
            with open(f"/proc/self/fdinfo/{name}") as f:
                if f"Pid:\t{pid}\n" in f.read():
                    found.append(int(name))
        except OSError:  # closed meanwhile (the listing's own descriptor, another thread's)
            continue
    return found


@contextlib.contextmanager
def no_warnings() -> Iterator[None]:
    """Fail if the body warns, finalizers included.

    Warnings are recorded, not raised: a warning raised as an error inside a
    finalizer goes to ``sys.unraisablehook`` (or is lost if the finalizer
    swallows it) and would never reach the test, so ``simplefilter("error")``
    cannot check a collection.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert [] == [f"{w.category.__name__}: {w.message}" for w in caught]


def in_child(body: Callable[[], None]) -> None:
    """Run *body* in a forked child; fail with the child's exception if it raised."""
    r, w = os.pipe()
    with FORK_LOCK:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                os.close(r)
                body()
            except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
                code = 1
                try:
                    os.write(w, f"{type(exc).__name__}: {exc}".encode()[:4000])
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 4096):
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, b"".join(chunks).decode(errors="replace")


def drop_privileges() -> None:
    """In a child: become uid/gid 65534 with no supplementary groups."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


#: The fields of a stat both macres.Stat and os.stat_result report.
STAT_FIELDS = (
    "st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
    "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev",
)  # fmt: skip


def assert_stat_equal(ours: macres.Stat, theirs: os.stat_result) -> None:
    """Every field macres reports equals os's."""
    for field in STAT_FIELDS:
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.st_mtime == pytest.approx(theirs.st_mtime)


def raise_after_blocking(monkeypatch: pytest.MonkeyPatch) -> Callable[[int, Iterable[int]], set[int | signal.Signals]]:
    """Make ``signal.pthread_sigmask`` raise KeyboardInterrupt once it has blocked a non-empty set (a handler run inside its Python wrapper); return the real one."""
    real = signal.pthread_sigmask

    def block_then_raise(how: int, mask: Iterable[int]) -> set[int | signal.Signals]:
        old = real(how, mask)
        if how == signal.SIG_BLOCK and set(mask):
            raise KeyboardInterrupt
        return old

    monkeypatch.setattr(signal, "pthread_sigmask", block_then_raise)
    return real
