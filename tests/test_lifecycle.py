"""The shared lifecycle of handle-owning objects, exercised through FileDescriptor (and Directory).

Oracles: the process's descriptor table (/proc/self/fd), os.fstat on the
numbers, a second file that grabs a freed number, and a child interpreter
for shutdown behaviour.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import gc
import inspect
import json
import os
import pathlib
import pickle
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any

import pytest
from _support import needs_proc_syscall, no_warnings, wait_blocked
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import macres
from macres import ClosedResourceError, Directory, FileDescriptor

from ._strace import needs_strace
from .conftest import open_fds


def is_open(fd: int) -> bool:
    """Whether *fd* is an open descriptor of this process."""
    try:
        os.fstat(fd)
    except OSError as exc:
        assert exc.errno == errno.EBADF
        return False
    return True


@pytest.fixture
def path(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "f"
    p.write_bytes(b"0123456789")
    return p


# -- close, with, detach, fileno --------------------------------------------------------


def test_close_is_idempotent(path: pathlib.Path) -> None:
    """close() twice is fine; closed says so; the number is really closed once."""
    f = macres.open(path)
    fd = f.fileno()
    assert not f.closed
    f.close()
    assert f.closed
    assert not is_open(fd)
    f.close()
    assert f.closed


def test_with_closes_on_exit_and_on_exception(path: pathlib.Path) -> None:
    """The with block closes the descriptor normally and when the body raises."""
    with macres.open(path) as f:
        fd = f.fileno()
        assert is_open(fd)
    assert f.closed and not is_open(fd)
    with pytest.raises(KeyError), macres.open(path) as g:
        fd = g.fileno()
        raise KeyError("boom")
    assert g.closed and not is_open(fd)


def test_detach_hands_out_the_number(path: pathlib.Path) -> None:
    """detach() returns the open number, marks the object closed and never closes it."""
    f = macres.open(path)
    fd = f.detach()
    assert f.closed
    assert is_open(fd)
    with pytest.raises(ClosedResourceError):
        f.detach()
    with pytest.raises(ClosedResourceError):
        f.fileno()
    f.close()  # nothing to do
    del f
    gc.collect()
    assert is_open(fd)
    assert os.pread(fd, 4, 0) == b"0123"
    os.close(fd)
    g = macres.open(path)
    g.close()
    with pytest.raises(ClosedResourceError):
        g.detach()


def test_fileno_after_close_raises(path: pathlib.Path) -> None:
    """fileno() raises ClosedResourceError, a ValueError, after close."""
    f = macres.open(path)
    f.close()
    with pytest.raises(ClosedResourceError):
        f.fileno()
    with pytest.raises(ValueError):
        f.fileno()
    assert "closed" in repr(f)


def test_explicit_close_reports_errors_and_the_finalizer_does_not(path: pathlib.Path) -> None:
    """close() raises the OSError of close(2); the finalizer swallows it (but still warns)."""
    fd = os.open(path, os.O_RDONLY)
    f = FileDescriptor(fd)
    os.close(fd)  # behind the object's back
    with pytest.raises(OSError) as info:
        f.close()
    assert info.value.errno == errno.EBADF
    assert f.closed
    fd = os.open(path, os.O_RDONLY)
    g = FileDescriptor(fd)
    os.close(fd)
    with pytest.warns(ResourceWarning):
        del g
        gc.collect()


# -- garbage collection ----------------------------------------------------------------------


@pytest.mark.parametrize("make", ["open", "pipe", "opendir", "dup"])
def test_collected_while_open_closes_and_warns(path: pathlib.Path, make: str) -> None:
    """An object collected while open closes its number and warns with source= the object."""
    holder: list[Any] = []
    if make == "open":
        holder.append(macres.open(path))
    elif make == "pipe":
        holder.extend(macres.pipe())
    elif make == "opendir":
        holder.append(macres.opendir(path.parent))
    else:
        with macres.open(path) as f:
            holder.append(f.dup())
    numbers = [h.fileno() for h in holder]
    kinds = {type(h) for h in holder}
    with pytest.warns(ResourceWarning, match="unclosed") as record:
        holder.clear()
        gc.collect()
    sources = [w.source for w in record if issubclass(w.category, ResourceWarning)]
    assert len(sources) == len(numbers)
    assert {type(s) for s in sources} == kinds
    assert all(s.closed for s in sources)
    for n in numbers:
        assert not is_open(n)


_DROPPED = {
    "file": "macres.open(os.devnull)",
    "pipe": "macres.pipe()",
    "directory": "macres.opendir('/')",
    "socket": "macres.Socket.pair()",
    "region": "macres.MappedRegion.anonymous(4096)",
    "process": "macres.Process.spawn(['true'])",
}


@pytest.mark.parametrize("kind", sorted(_DROPPED))
def test_warning_as_error_reaches_the_unraisable_hook_and_the_object_still_closes(kind: str) -> None:
    """Under ``-W error::ResourceWarning`` a dropped open object's warning reaches sys.unraisablehook, as the stdlib's.

    The finalizer must not swallow it (a test suite running with warnings as
    errors, as this project's does, would never fail on a leak), and the
    handle is released all the same.
    """
    code = (
        "import gc, json, os, sys\n"
        "seen = []\n"
        "sys.unraisablehook = lambda u: seen.append([type(u.exc_value).__name__, str(u.exc_value)])\n"
        "import macres\n"
        "def fds():\n"
        "    return len(os.listdir('/proc/self/fd'))\n"
        "before = fds()\n"
        f"{_DROPPED[kind]}\n"
        "gc.collect()\n"
        "print(json.dumps({'seen': seen, 'fds': fds() - before, 'maps': len(macres.testing.live_mappings())}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", "import macres.testing\n" + code],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["seen"], f"the ResourceWarning of a dropped {kind} never reached sys.unraisablehook"
    assert {name for name, _ in report["seen"]} == {"ResourceWarning"}, report
    assert all(message.startswith("unclosed <macres.") for _, message in report["seen"]), report
    assert (report["fds"], report["maps"]) == (0, 0), report


def test_collected_after_close_does_not_warn(path: pathlib.Path) -> None:
    """Closed or detached objects are collected silently."""
    f = macres.open(path)
    f.close()
    g = macres.open(path)
    os.close(g.detach())
    with no_warnings():
        del f, g
        gc.collect()


def test_interpreter_shutdown_with_open_objects_is_quiet(path: pathlib.Path) -> None:
    """Objects still open (even in a reference cycle) at interpreter exit close without tracebacks."""
    code = (
        "import macres, sys\n"
        f"f = macres.open({str(path)!r})\n"
        "r, w = macres.pipe()\n"
        f"d = macres.opendir({str(path.parent)!r})\n"
        "cycle = [f, r, w, d]\n"
        "cycle.append(cycle)\n"
        "sys.modules['keep'] = cycle\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Exception ignored" not in proc.stderr


_AT_EXIT = """
import builtins, json, os, sys
import macres
from macres import MappedRegion, Process, Socket

made = {"fds": [], "maps": [], "pids": []}

def track(*objs):
    for o in objs:
        if isinstance(o, MappedRegion):
            made["maps"].append(o._handle)
        elif isinstance(o, Process):
            made["pids"].append(o.pid)
            made["fds"].append(o._handle)  # its pidfd
        else:
            made["fds"].append(o.fileno())
    return objs

def is_open(fd):
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True

def started_listing():  # an iteration abandoned after its first entry: its stream's and directory's descriptors
    before = set(os.listdir("/proc/self/fd"))
    it = iter(macres.opendir("/"))
    next(it)
    new = {int(n) for n in set(os.listdir("/proc/self/fd")) - before}
    made["fds"].extend(n for n in new if is_open(n))  # not listdir's own, closed by now
    return it

def every_kind():
    return track(
        macres.open(os.devnull), *macres.pipe(), macres.opendir("/"), *Socket.pair(),
        MappedRegion.anonymous(3 * 4096, macres.PROT_READ), Process.spawn(["sleep", "60"]),
    ) + (started_listing(),)

class Node:
    pass

in_main = every_kind()                      # module globals
builtins._macres_kept = every_kind()        # builtins: cleared last
cycle = Node()
cycle.me, cycle.objs = cycle, every_kind()  # a reference cycle only sys keeps
sys._macres_cycle = cycle
del cycle
print(json.dumps(made), flush=True)
os.access("/macres-exit-begins", os.F_OK)
"""


@needs_strace
@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="tells processes by their pidfd (Linux)")
def test_objects_left_open_at_exit_are_released_by_the_interpreter_shutdown() -> None:
    """Descriptors, directories, sockets, regions, child processes and abandoned listings' streams left open at exit are released.

    Held by module globals, by builtins (cleared last) and by a reference
    cycle only ``sys`` keeps, so some are released late in shutdown, after
    module globals and the import system are gone.  strace is the witness:
    after the script's last line, a close(2) of every descriptor, a
    munmap(2) of every region, and each child killed and reaped (wait4); and
    no error is reported on the way.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "trace")
        proc = subprocess.run(
            ["strace", "-qq", "-o", out, "-e", "trace=access,close,munmap,pidfd_send_signal,kill,wait4",
             sys.executable, "-W", "ignore::ResourceWarning", "-c", _AT_EXIT],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        with open(out, encoding="utf-8", errors="replace") as f:
            trace = f.read().splitlines()
    made = json.loads(proc.stdout.splitlines()[-1])
    try:
        after = trace[next(i for i, line in enumerate(trace) if "/macres-exit-begins" in line) :]
        closed = {int(m[1]) for line in after if (m := re.match(r"close\((\d+)\)\s+= 0", line))}
        unmapped = {int(m[1], 16) for line in after if (m := re.match(r"munmap\((0x[0-9a-f]+),", line))}
        reaped = {int(m[1]) for line in after if (m := re.match(r"wait4\((\d+),.*\)\s+= \d+", line))}
        assert sorted(set(made["fds"]) - closed) == []
        assert sorted(set(made["maps"]) - unmapped) == []
        assert sorted(set(made["pids"]) - reaped) == []
        assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    finally:
        for pid in made["pids"]:  # a child left running by a failure here must not outlive the test
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# -- after close, nothing reaches the kernel --------------------------------------------------

FD_CALLS: dict[str, Callable[[FileDescriptor], object]] = {
    "read": lambda f: f.read(1),
    "readall": lambda f: f.readall(),
    "readable": lambda f: f.readable(),
    "writable": lambda f: f.writable(),
    "seekable": lambda f: f.seekable(),
    "flush": lambda f: f.flush(),
    "truncate": lambda f: f.truncate(0),
    "mode": lambda f: f.mode,
    "open_file": lambda f: f.open_file("rb"),
    "readinto": lambda f: f.readinto(bytearray(1)),
    "write": lambda f: f.write(b"X"),
    "write_all": lambda f: f.write_all(b"X"),
    "pread": lambda f: f.pread(1, 0),
    "pread_into": lambda f: f.pread_into(bytearray(1), 0),
    "pwrite": lambda f: f.pwrite(b"X", 0),
    "readv": lambda f: f.readv([bytearray(1)]),
    "writev": lambda f: f.writev([b"X"]),
    "seek": lambda f: f.seek(0, os.SEEK_END),
    "tell": lambda f: f.tell(),
    "fstat": lambda f: f.fstat(),
    "fstatfs": lambda f: f.fstatfs(),
    "ftruncate": lambda f: f.ftruncate(0),
    "fchmod": lambda f: f.fchmod(0),
    "fchown": lambda f: f.fchown(-1, -1),
    "fchflags": lambda f: f.fchflags(0),
    "fchdir": lambda f: f.fchdir(),
    "utimens": lambda f: f.utimens((0, 0)),
    "futimes": lambda f: f.futimes((0.0, 0.0)),
    "fpathconf": lambda f: f.fpathconf("PC_NAME_MAX"),
    "flock": lambda f: f.flock(macres.LOCK_EX),
    "locked": lambda f: f.locked().__enter__(),
    "lock": lambda f: f.lock(0, 1),
    "unlock": lambda f: f.unlock(),
    "lock_range": lambda f: f.lock_range(0, 1, timeout=1.0).__enter__(),
    "lock_holder": lambda f: f.lock_holder(),
    "copy_to": lambda f: f.copy_to(1),
    "getxattr": lambda f: f.getxattr("user.x"),
    "setxattr": lambda f: f.setxattr("user.x", b"X"),
    "listxattr": lambda f: f.listxattr(),
    "removexattr": lambda f: f.removexattr("user.x"),
    "fsync": lambda f: f.fsync(full=True),
    "fdatasync": lambda f: f.fdatasync(),
    "inheritable": lambda f: f.inheritable,
    "set inheritable": lambda f: setattr(f, "inheritable", True),
    "blocking": lambda f: f.blocking,
    "set blocking": lambda f: setattr(f, "blocking", False),
    "fcntl": lambda f: f.fcntl(macres.raw.ABI.F_SETFD, 0),
    "ioctl": lambda f: f.ioctl(0x5421, 1),  # FIONBIO on Linux
    "isatty": lambda f: f.isatty(),
    "dup": lambda f: f.dup(),
    "dup2": lambda f: f.dup2(f),
    "fileno": lambda f: f.fileno(),
    "detach": lambda f: f.detach(),
}

DIR_CALLS: dict[str, Callable[[Directory], object]] = {
    "__iter__": lambda d: list(d),
    "open": lambda d: d.open("f", "w"),
    "stat": lambda d: d.stat("f"),
    "unlink": lambda d: d.unlink("f"),
    "utime": lambda d: d.utime("f", (0, 0)),
    "fstat": lambda d: d.fstat(),
    "opendir": lambda d: d.opendir("."),
    "mkdir": lambda d: d.mkdir("sub"),
    "rmdir": lambda d: d.rmdir("f"),
    "rename": lambda d: d.rename("f", "g"),
    "link": lambda d: d.link("f", "g"),
    "symlink": lambda d: d.symlink("f", "g"),
    "readlink": lambda d: d.readlink("f"),
    "walk": lambda d: list(d.walk()),
    "fileno": lambda d: d.fileno(),
    "detach": lambda d: d.detach(),
}


#: The kinds a class method has in a class's namespace: Python's, and a C type's.
_CLASS_METHODS = (classmethod, type(dict.__dict__["fromkeys"]))


def _public(cls: type) -> set[str]:
    """The operations of *cls*'s objects: public names, less close/closed and constructors (class methods)."""
    skip = {"close", "closed"}
    constructors = {n for n in dir(cls) if isinstance(inspect.getattr_static(cls, n), _CLASS_METHODS)}
    return {n for n in dir(cls) if not n.startswith("_") and n not in skip | constructors}


def test_every_method_is_in_the_closed_table() -> None:
    """The tables below cover every public FileDescriptor and Directory operation."""
    covered = {n.removeprefix("set ") for n in FD_CALLS}
    assert _public(FileDescriptor) <= covered, _public(FileDescriptor) - covered
    assert _public(Directory) | {"__iter__"} <= set(DIR_CALLS)


@pytest.mark.parametrize("name", sorted(FD_CALLS))
def test_every_operation_after_close_raises_and_touches_nothing(tmp_path: pathlib.Path, name: str) -> None:
    """After close, every operation raises ClosedResourceError, even when another file now has the number."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    victim.chmod(0o644)
    f = macres.open(tmp_path / "mine", "w+")
    number = f.fileno()
    f.close()
    other = os.open(victim, os.O_RDWR)  # very likely the freed number
    try:
        before = os.fstat(other)
        flags = os.get_inheritable(other), os.get_blocking(other)
        with pytest.raises(ClosedResourceError):
            FD_CALLS[name](f)
        after = os.fstat(other)
        assert victim.read_bytes() == b"precious"
        assert os.lseek(other, 0, os.SEEK_CUR) == 0
        assert (before.st_mode, before.st_size, before.st_mtime_ns, before.st_uid) == (
            after.st_mode, after.st_size, after.st_mtime_ns, after.st_uid,
        )  # fmt: skip
        assert (os.get_inheritable(other), os.get_blocking(other)) == flags
        if other == number:
            assert f.closed
    finally:
        os.close(other)


@pytest.mark.parametrize("name", sorted(DIR_CALLS))
def test_every_directory_operation_after_close_raises(tmp_path: pathlib.Path, name: str) -> None:
    """After close, Directory operations raise ClosedResourceError and leave the file system alone."""
    (tmp_path / "f").write_bytes(b"keep")
    d = macres.opendir(tmp_path)
    d.close()
    with pytest.raises(ClosedResourceError):
        DIR_CALLS[name](d)
    assert (tmp_path / "f").read_bytes() == b"keep"


def test_pickling_and_copying_are_refused(path: pathlib.Path) -> None:
    """An object owning a descriptor cannot be pickled or copied (the copy would double-close)."""
    with macres.open(path) as f, macres.opendir(path.parent) as d:
        for obj in (f, d):
            with pytest.raises(TypeError, match="pickle"):
                pickle.dumps(obj)
            with pytest.raises(TypeError):
                copy.copy(obj)
            with pytest.raises(TypeError):
                copy.deepcopy(obj)


# -- threads -----------------------------------------------------------------------------------


def test_close_racing_reads_never_reads_a_reused_number(tmp_path: pathlib.Path) -> None:
    """A close racing reads in another thread: no read ever returns the bytes of the file that reuses the number."""
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.write_bytes(b"A" * 256)
    b.write_bytes(b"B" * 256)
    reused = 0
    for _ in range(200):
        f = macres.open(a)
        number = f.fileno()
        started = threading.Event()
        seen: list[bytes] = []
        errors: list[BaseException] = []

        def reader(f: FileDescriptor = f) -> None:
            try:
                while True:
                    seen.append(f.pread(256, 0))
                    started.set()
            except ClosedResourceError:
                pass
            except BaseException as exc:  # noqa: BLE001 - pragma: no cover - every error is reported below
                errors.append(exc)
            finally:
                started.set()

        t = threading.Thread(target=reader)
        t.start()
        started.wait(5)
        f.close()
        other = os.open(b, os.O_RDONLY)
        try:
            reused += other == number
            t.join(10)
            assert not t.is_alive(), "reader did not stop after close"
        finally:
            os.close(other)
        assert not errors, errors
        assert seen and all(s == b"A" * 256 for s in seen)
    # Rounds where the close landed while a read was in flight keep the number
    # busy until that read returns, so the second file got another number:
    # the race was really exercised.
    assert reused < 200


@needs_proc_syscall
def test_close_of_a_blocked_pipe_reader_is_deferred() -> None:
    """close() while another thread blocks in read(): the read completes, then the descriptor is closed."""
    r, w = macres.pipe()
    with w:
        got: list[bytes] = []
        t = threading.Thread(target=lambda: got.append(r.read(10)))
        t.start()
        number = r.fileno()
        wait_blocked(t, number)  # the kernel says the read sleeps in read(2) on the pipe
        r.close()
        assert r.closed
        assert is_open(number)  # still in use by the blocked read
        w.write(b"late")
        t.join(10)
        assert not t.is_alive()
        assert got == [b"late"]
        with pytest.raises(ClosedResourceError):
            r.read(1)
        with pytest.raises(BrokenPipeError):  # the read end is really gone now
            w.write(b"x")


# -- a stateful model of descriptors ---------------------------------------------------------------


class DescriptorMachine(RuleBasedStateMachine):
    """Random sequences of open/dup/dup2/detach/close/read/write/lock/GC against a model of the fd table."""

    def __init__(self) -> None:
        super().__init__()
        gc.collect()
        self.tmp = tempfile.mkdtemp()
        self.path = os.path.join(self.tmp, "f")
        with open(self.path, "wb") as fh:
            fh.write(b"0123456789")
        self.baseline = len(open_fds())
        # every object created, with whether the model says it is open
        self.objects: list[tuple[FileDescriptor, bool]] = []

    def _pick(self, data: st.DataObject) -> int:
        return data.draw(st.integers(0, len(self.objects) - 1))

    def _expect(self, index: int, action: Callable[[FileDescriptor], object]) -> object:
        obj, open_ = self.objects[index]
        if open_:
            return action(obj)
        with pytest.raises(ClosedResourceError):
            action(obj)
        return None

    @rule()
    def open_file(self) -> None:
        self.objects.append((macres.open(self.path, "r+"), True))

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def dup(self, data: st.DataObject) -> None:
        i = self._pick(data)
        new = self._expect(i, lambda f: f.dup())
        if new is not None:
            assert isinstance(new, FileDescriptor)
            self.objects.append((new, True))

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def dup2(self, data: st.DataObject) -> None:
        i, j = self._pick(data), self._pick(data)
        src, src_open = self.objects[i]
        dst, dst_open = self.objects[j]
        if src_open and dst_open:
            number = dst.fileno()
            src.dup2(dst)
            assert dst.fileno() == number
        else:
            with pytest.raises(ClosedResourceError):
                src.dup2(dst)

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def detach(self, data: st.DataObject) -> None:
        i = self._pick(data)
        number = self._expect(i, lambda f: f.detach())
        if number is not None:
            assert isinstance(number, int)
            os.close(number)
            self.objects[i] = (self.objects[i][0], False)

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        i = self._pick(data)
        self.objects[i][0].close()
        self.objects[i] = (self.objects[i][0], False)

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def read(self, data: st.DataObject) -> None:
        got = self._expect(self._pick(data), lambda f: f.pread(4, 6))
        assert got in (None, b"6789")

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def write(self, data: st.DataObject) -> None:
        self._expect(self._pick(data), lambda f: f.pwrite(b"0", 0))

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def lock(self, data: st.DataObject) -> None:
        def lock_once(f: FileDescriptor) -> None:
            with f.locked(blocking=False):
                pass

        self._expect(self._pick(data), lock_once)

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def collect(self, data: st.DataObject) -> None:
        i = self._pick(data)
        obj, open_ = self.objects.pop(i)
        if open_:
            with pytest.warns(ResourceWarning):
                del obj
                gc.collect()
        else:
            with no_warnings():
                del obj
                gc.collect()

    @invariant()
    def descriptor_count_matches_the_model(self) -> None:
        expected = sum(open_ for _, open_ in self.objects)
        assert len(open_fds()) == self.baseline + expected
        for obj, open_ in self.objects:
            assert obj.closed is not open_

    def teardown(self) -> None:
        for obj, _ in self.objects:
            obj.close()
        self.objects.clear()
        gc.collect()
        try:
            assert len(open_fds()) == self.baseline
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


DescriptorMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestDescriptorMachine = DescriptorMachine.TestCase


def test_pipe_owns_both_ends_when_the_adopt_hook_fails_for_the_reader() -> None:
    """A failing adopt hook on the reader: pipe() raises that error, and the writer still owns its end."""
    from macres._backend import core

    class HookFailed(Exception):
        pass

    adopted: list[Any] = []

    def hook(obj: Any) -> None:
        adopted.append(obj)
        if len(adopted) == 1:
            raise HookFailed("the reader's hook")

    before = set(open_fds())
    old = core.get_adopt_hook()
    core.set_adopt_hook(hook)
    try:
        with pytest.raises(HookFailed):
            macres.pipe()
    finally:
        core.set_adopt_hook(old)
    assert len(adopted) == 2 and all(not h.closed for h in adopted)  # both ends owned
    with pytest.warns(ResourceWarning, match="unclosed"):
        adopted.clear()
        gc.collect()
    assert set(open_fds()) == before
