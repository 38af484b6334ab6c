# mypy: ignore-errors
# (it calls the core with wrong types and arities on purpose)
"""Drive every entry point of the compiled core (macres._core), for memcheck.

``tests/memcheck/run.py`` runs this script under valgrind's memcheck; it can
also run alone (``python tests/memcheck/drive_core.py``), and with
``--leaks N`` it runs everything N times natively and fails when memory
keeps growing between rounds (reference leaks that valgrind cannot see:
an object kept alive by a stray reference is still reachable for it).

What it calls: every method, class method, property and slot of the core's
types (Handle, FdHandle, FileDescriptorBase, SocketBase, MappedRegionBase,
ProcessBase, _Span, Stat, Rusage, ResourceUsage, SockOptSpec) and every
function of the module, on their success paths and their error paths (bad
arguments, closed objects, EBADF, timeouts, close racing an operation,
finalizers of unclosed objects, resurrection by a recorded ResourceWarning,
a failing adopt hook).  Sockets use loopback and socketpairs only.

The script checks that it reached every method and function the module
defines (through sys.setprofile's c_call events, plus explicit marks for
slots and attributes), so a new entry point in the C code fails here until
it is driven too.  It asserts the results it relies on, but its job is to
run the C code's paths, not to re-test the contract (tests/ does that on
both cores).

Exit status 0 when everything ran; 1 with a message otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
# Imported here, not on first use inside a core call: sendto's host name goes through the idna codec,
# whose first lookup imports modules; CPython 3.11's own unset digit of a 0 int (_PyLong_New) met
# there would be reported with a core frame on the stack.  (macres.process no longer imports
# subprocess, which imported locale early.)
import encodings.idna  # noqa: F401
import locale  # noqa: F401
import errno
import gc
import math
import os
import mmap
import pathlib
import pickle
import signal
import socket as stdsocket
import struct
import sys
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import macres
import macres._backend as backend
from macres import raw

if backend.NAME != "compiled":
    sys.exit(f"drive_core: the compiled core is not in use ({backend.REASON}); nothing to drive")

from macres import _core  # after the check: a clear message instead of an ImportError
from macres import sockopt

PAGE = os.sysconf("SC_PAGESIZE")
CORE_TYPES = [
    _core.Handle, _core.FdHandle, _core.FileDescriptorBase, _core.SocketBase, _core.MappedRegionBase,
    _core.ProcessBase, _core.CurrentProcessBase, _core.Stat, _core.Rusage, _core.ResourceUsage, _core.SockOptSpec,
    _core.Event, _core.EventQueueBase, _core.DirectoryBase, _core.DirectoryEntry, _core._DirectoryIterator,
]  # fmt: skip
CORE_BY_NAME = {t.__name__: t for t in CORE_TYPES}


def _pidfds_work() -> bool:
    """Whether pidfd_open works here (valgrind answers ENOSYS: Process and Child then cannot be made)."""
    try:
        fd = os.pidfd_open(os.getpid())
    except (AttributeError, OSError):
        return sys.platform == "darwin"  # macOS holds processes by kqueue
    os.close(fd)
    return True


PIDFDS = _pidfds_work()

# -- coverage of the entry points ------------------------------------------------------------
#: "Type.name" or "name" (module functions) of every entry point reached.
HIT: set[str] = set()


def hit(*names: str) -> None:
    """Mark entry points reached in ways sys.setprofile does not report (slots, attributes, C-to-C calls)."""
    HIT.update(names)


def _owner(obj: Any, name: str) -> str | None:
    """The core type that defines *name* for *obj* (an instance or a class), if any."""
    mro = obj.__mro__ if isinstance(obj, type) else type(obj).__mro__
    for t in mro:
        if t in CORE_BY_NAME.values() and name in vars(t):
            return t.__name__
    return None


def _profile(frame: Any, event: str, arg: Any) -> None:
    if event != "c_call":
        return
    name = getattr(arg, "__name__", None)
    if name is None:
        return
    if getattr(arg, "__module__", None) == "macres._core" and getattr(arg, "__self__", None) in (None, _core):
        HIT.add(name)
        return
    owner = getattr(arg, "__self__", None)
    if owner is not None:
        t = _owner(owner, name)
        if t is not None:
            HIT.add(f"{t}.{name}")


def expected_entry_points() -> set[str]:
    """Every function of the module, and every method, attribute and slot its types define in C."""
    names = {n for n, v in vars(_core).items() if callable(v) and not isinstance(v, type)}
    slots = {"__getitem__", "__setitem__", "__len__", "__repr__", "__hash__", "__eq__", "__new__"}
    skip = {"__doc__", "__module__", "__dict__", "__weakref__", "_kind", "__ne__", "__lt__", "__le__", "__gt__",
            "__ge__", "__delitem__", "__del__", "__init__"}  # fmt: skip
    for t in CORE_TYPES:
        for n in vars(t):
            if n in skip or (n.startswith("__") and n.endswith("__") and n not in slots and n not in (
                    "__enter__", "__exit__", "__reduce__", "__reduce_ex__", "__init_subclass__")):
                continue
            names.add(f"{t.__name__}.{n}")
    names.add("_Span.getbuffer")
    names.add("_Span.releasebuffer")
    return names


# -- helpers -------------------------------------------------------------------------------------
def raises(exc: type[BaseException] | tuple[type[BaseException], ...], fn: Callable[..., Any], *a: Any,
           **k: Any) -> BaseException:  # fmt: skip
    """Call fn(*a, **k) and return the exception, which must be an *exc*."""
    try:
        fn(*a, **k)
    except exc as e:
        return e
    except BaseException as e:
        raise AssertionError(f"{fn!r}{a!r}{k!r} raised {type(e).__name__}: {e}, expected {exc}") from e
    raise AssertionError(f"{fn!r}{a!r}{k!r} did not raise {exc}")


def attempt(fn: Callable[..., Any], *a: Any, **k: Any) -> Any:
    """Call fn(*a, **k) for the paths it runs; an Exception is its answer too."""
    try:
        return fn(*a, **k)
    except Exception as e:  # noqa: BLE001
        return e


class Unraisable:
    """Collect what sys.unraisablehook sees (the finalizers' warnings under -W error)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __enter__(self) -> Unraisable:
        self._old = sys.unraisablehook
        sys.unraisablehook = lambda u: self.seen.append(f"{u.exc_type.__name__}: {u.exc_value}")
        return self

    def __exit__(self, *exc: object) -> None:
        sys.unraisablehook = self._old


@contextlib.contextmanager
def adopt_hook(hook: Callable[[Any], Any] | None) -> Iterator[None]:
    old = _core.get_adopt_hook()
    _core.set_adopt_hook(hook)
    try:
        yield
    finally:
        _core.set_adopt_hook(old)


def failing_hook(obj: Any) -> None:
    raise RuntimeError("adopt hook refuses")


def wait_inflight(obj: Any, thread: threading.Thread | None = None) -> None:
    """Wait until another thread's operation on *obj* has entered (and, likely, blocked in the kernel)."""
    deadline = time.monotonic() + 30
    while obj._inflight == 0 and time.monotonic() < deadline and (thread is None or thread.is_alive()):
        time.sleep(0.005)
    time.sleep(0.05)


def open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")} if os.path.isdir("/proc/self/fd") else set()


# Raw subclasses of the core's types: the core's own paths, without the object layer's Python code.
class PyHandle(_core.Handle):
    """kind HK_PYTHON: the release goes to a Python method."""

    _kind = "thing"
    released: list[int]

    def __init__(self) -> None:
        self.released = []

    def _release(self, handle: int) -> None:
        self.released.append(handle)
        if handle == 666:
            raise OSError(errno.EIO, "release failed")


class Fd(_core.FileDescriptorBase):
    pass


class RawSocket(_core.SocketBase):
    encoded: Any = b""

    def _sockaddr(self, address: Any) -> Any:
        return self.encoded


class RawProcess(_core.ProcessBase):
    sent: list[tuple[int, int]]

    def _send(self, handle: int, sig: int) -> None:
        self.sent.append((handle, sig))
        if sig == signal.SIGUSR2:
            raise ProcessLookupError(errno.ESRCH, "gone")

    def _release(self, handle: int) -> None:
        pass


class Region(_core.MappedRegionBase):
    pass


# -- Handle ----------------------------------------------------------------------------------------
def drive_handle() -> None:
    hit("Handle.__init_subclass__", "Handle.__new__", "Handle.__repr__")
    raises(TypeError, type, "Bad", (_core.Handle,), {}, extra=1)  # __init_subclass__ with arguments
    h = PyHandle()
    assert h.closed and h._closing and h._handle == -1 and h._inflight == 0
    hit("Handle.closed", "Handle._closing", "Handle._handle", "Handle._inflight")
    assert repr(h).endswith("closed>")
    h.close()  # owns nothing: nothing to do
    raises(macres.ClosedResourceError, h.detach)
    raises(macres.ClosedResourceError, h._enter)
    raises(macres.ClosedResourceError, h._call, lambda fd: fd)
    e = h._closed_error()
    assert isinstance(e, macres.ClosedResourceError) and "thing" in str(e), e
    raises(TypeError, h._call)
    raises(OverflowError, h._adopt, 2**70)
    raises(TypeError, h._adopt, "x")
    h._adopt(7)
    raises(RuntimeError, h._adopt, 8)
    assert repr(h).endswith(" 7>") and not h.closed and h._handle == 7
    assert h._enter() == 7 and h._inflight == 1
    h._exit()
    raises(RuntimeError, h._exit)
    assert h._call(lambda fd, *a, **k: (fd, a, k), 1, 2, k=3) == (7, (1, 2), {"k": 3})
    many = list(range(12))
    assert h._call(lambda fd, *a, **k: (fd, a, k), *many, x=1, y=2) == (7, tuple(many), {"x": 1, "y": 2})
    raises(ZeroDivisionError, h._call, lambda fd: 1 / 0)
    raises(TypeError, pickle.dumps, h)
    raises(TypeError, h.__reduce_ex__, 2)
    assert h.__enter__() is h
    ref = weakref.ref(h)

    # close while an operation is in flight: the operation's exit releases
    def close_inside(fd: int) -> int:
        h.close()
        assert h.closed and h.released == []
        return fd

    assert h._call(close_inside) == 7 and h.released == [7]
    raises(macres.ClosedResourceError, h.detach)
    h.__exit__(None, None, None)
    del h
    gc.collect()
    assert ref() is None

    # a release that fails: close() raises it, once; an in-flight exit reports it too
    h = PyHandle()
    h._adopt(666)
    raises(OSError, h.close)
    h.close()
    h = PyHandle()
    h._adopt(666)
    assert h._enter() == 666
    h.close()
    raises(OSError, h._exit)
    h = PyHandle()
    h._adopt(666)

    def fail_inside(fd: int) -> None:
        h.close()
        raise KeyError("operation's own error")

    raises(KeyError, h._call, fail_inside)
    h = PyHandle()
    h._adopt(666)
    raises(OSError, h._call, lambda fd: h.close())

    # detach gives the handle away
    h = PyHandle()
    h._adopt(9)
    assert h.detach() == 9 and h.closed and h.released == []
    with PyHandle() as h:
        h._adopt(10)
    assert h.released == [10]

    # a plain Handle (no _release method): the release's AttributeError is reported by close
    plain = _core.Handle()
    plain._adopt(11)
    raises((AttributeError, NotImplementedError), plain.close)
    raises(NotImplementedError, _core.Handle._release, plain, 11)
    hit("Handle.__exit__", "Handle.__enter__")


# -- adopt hook and finalizers ------------------------------------------------------------------------
def drive_hook_and_finalizers(tmp: pathlib.Path) -> None:
    raises(TypeError, _core.set_adopt_hook, 42)
    # the close hook: called by close() for an awaited handle with references held; its error is unraisable
    raises(TypeError, _core.set_close_hook, 42)
    old_close = _core.get_close_hook()
    closing: list[Any] = []
    try:
        _core.set_close_hook(closing.append)
        h = PyHandle()
        h._adopt(14)
        assert h._await_enter() == 14
        h.close()
        assert closing == [h] and h.released == []
        h._exit()
        assert h.released == [14]
        raises(macres.ClosedResourceError, h._await_enter)
        _core.set_close_hook(failing_hook)
        h = PyHandle()
        h._adopt(15)
        h._await_enter()
        with Unraisable() as unraisable:
            h.close()  # the hook's error is reported, the close goes on
        assert unraisable.seen == ["RuntimeError: adopt hook refuses"], unraisable.seen
        h._exit()
        assert h.released == [15]
        _core.set_close_hook(None)
        assert _core.get_close_hook() is None
    finally:
        _core.set_close_hook(old_close)
    seen: list[Any] = []
    with adopt_hook(seen.append):
        assert _core.get_adopt_hook() is not None
        h = PyHandle()
        h._adopt(12)
        assert seen == [h]
        h.close()
    assert _core.get_adopt_hook() is None
    with adopt_hook(None):
        pass

    before = open_fds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        with adopt_hook(failing_hook):
            h = PyHandle()
            raises(RuntimeError, h._adopt, 13)
            assert not h.closed
            del h
            raises(RuntimeError, Fd.open, tmp / "f", "w")
            # Both ends' adoptions call the hook; the second call is made with the first one's
            # exception still set, which CPython reports as SystemError (not a memory error: the
            # pipe's two descriptors are owned and closed all the same).
            raises((RuntimeError, SystemError), Fd._pipe)
            raises(RuntimeError, macres.Socket.pair)
            raises(RuntimeError, macres.MappedRegion.anonymous, PAGE)
            if PIDFDS:
                raises(RuntimeError, macres.Process, os.getpid())
            else:
                raises(RuntimeError, _core.ProcessBase.__new__(_core.ProcessBase)._acquire, os.dup, 0)
        gc.collect()
    assert open_fds() <= before, open_fds() - before

    # finalizers: ignored warning, recorded warning (resurrects the object), warning as error
    for make in (lambda: Fd.open(tmp / "f", "w"), lambda: macres.MappedRegion.anonymous(PAGE),
                 lambda: macres.Socket.pair()[0], lambda: _core.FileDescriptorBase.open(tmp / "f"),
                 *((lambda: macres.Process(os.getpid()), lambda: macres.Process.spawn(["true"])) if PIDFDS else ())):  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            obj = make()
            del obj
            gc.collect()
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always", ResourceWarning)
            obj = make()
            del obj
            gc.collect()
        for record in records:  # the warning's source keeps the object alive until here
            assert getattr(record.source, "closed", True), record.source
        records.clear()
        gc.collect()
        with warnings.catch_warnings(), Unraisable() as u:
            warnings.simplefilter("error", ResourceWarning)
            obj = make()
            del obj
            gc.collect()
        assert all("ResourceWarning" in s for s in u.seen), u.seen
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        h = PyHandle()
        h._adopt(666)
        del h  # a failing release in a finalizer is not reported
        gc.collect()
    hit("Handle.__del__")


# -- files ---------------------------------------------------------------------------------------------
def drive_files(tmp: pathlib.Path) -> None:
    path = tmp / "data"
    for cls in (Fd, macres.FileDescriptor, _core.FileDescriptorBase):
        f = cls.open(path, "w+")
        assert f.write(b"hello world") == 11
        assert f.tell() == 11
        assert f.seek(0) == 0 and f.read(5) == b"hello"
        assert f.seek(offset=-5, whence=os.SEEK_END) == 6
        assert f.read(n=100) == b"world" and f.read(10) == b""
        assert f.pread(5, 6) == b"world" and f.pread(n=3, offset=0) == b"hel" and f.pread(4, 100) == b""
        buf = bytearray(5)
        assert f.pread_into(buf, 0) == 5 and buf == b"hello"
        assert f.pread_into(buf=memoryview(buf)[1:], offset=6) == 4 and buf == b"hworl"
        assert f.seek(0) == 0 and f.readinto(buf) == 5 and f.readinto(bytearray()) == 0
        assert f.readinto(buf=memoryview(bytearray(3))) == 3
        assert f.pwrite(b"J", 0) == 1 and f.pwrite(data=memoryview(b"W"), offset=6) == 1
        assert f.write(data=bytearray(b"!")) == 1 and f.write(b"") == 0
        assert f.read(0) == b""
        st = f.fstat()
        assert st.st_size == 11, st
        assert f.fileno() >= 0
        # argument errors, before the closed check
        f.seek(0)
        assert f.read(-1) == f.pread(64, 0) and f.read() == b"" and f.read(None) == b""  # to EOF
        f.seek(3)
        assert f.readall() == f.pread(64, 3)
        raises(TypeError, f.read, "1")
        raises(OverflowError, f.read, 2**70)
        raises(TypeError, f.read, 1, 2)
        raises(TypeError, f.read, m=1)
        raises(TypeError, f.read, 1, n=1)
        raises(TypeError, f.readinto, b"read-only")
        raises(ValueError, f.readinto, memoryview(bytearray(8))[::2])
        raises(TypeError, f.readinto, 3)
        raises(TypeError, f.write, "str")
        raises(ValueError, f.write, memoryview(b"abcdef")[::2])
        raises(ValueError, f.pread, 1, -1)
        raises(ValueError, f.pread, -1, 0)
        raises(OverflowError, f.pread, 1, 2**64)
        raises(ValueError, f.pread_into, bytearray(1), -1)
        raises(TypeError, f.pread_into, b"x", 0)
        raises(ValueError, f.pwrite, b"x", -1)
        raises(OverflowError, f.pwrite, b"x", 2**63)
        raises(OSError, f.seek, 0, 99)
        raises(OverflowError, f.seek, 0, 2**40)
        raises(OverflowError, f.seek, 2**64)
        raises(OSError, f.seek, -100)
        f.close()
        f.close()
        for call in (lambda: f.read(1), lambda: f.readinto(bytearray(1)), lambda: f.write(b"x"),
                     lambda: f.pread(1, 0), lambda: f.pread_into(bytearray(1), 0), lambda: f.pwrite(b"x", 0),
                     f.tell, lambda: f.seek(0), f.fstat, f.fileno, f.detach):  # fmt: skip
            raises(macres.ClosedResourceError, call)
        raises(TypeError, f.read, "1")  # arguments first
    hit("FdHandle.fileno")

    # open's modes, flags and paths
    for mode in ("r", "rb", "r+", "rb+", "r+b", "+r", "w", "wb", "w+", "a", "ab", "a+"):
        with Fd.open(path, mode) as f:
            pass
    for mode in ("x", "xb+"):
        with Fd.open(tmp / f"new-{mode}", mode):
            pass
    with Fd.open(path, "a+") as f:  # an "a" mode string starts at the end (lseek)
        assert f.tell() == os.path.getsize(path)
    if os.path.isdir("/proc/self/fd"):  # "a" on a pipe: lseek's ESPIPE is no error
        r, w = os.pipe()
        with Fd.open(f"/proc/self/fd/{w}", "a"):
            pass
        os.close(r)
        os.close(w)
    for bad in ("", "b", "bb", "q", "rw", "rr", "r+b+", "r\0", "wbx", "rt", "+", "r++", "\u00e9"):
        raises(ValueError, Fd.open, path, bad)
    raises(FileExistsError, Fd.open, path, "x")
    raises(ValueError, Fd.open, path, "r\udcff")
    with Fd.open(path, os.O_RDONLY) as f, Fd.open(str(path).encode(), flags=os.O_RDWR, mode=0o600) as g:
        assert f.fileno() != g.fileno()
    with Fd.open(path, inheritable=True) as f:
        assert os.get_inheritable(f.fileno())
    with Fd.open(path, inheritable=0) as f:
        assert not os.get_inheritable(f.fileno())
    e = raises(FileNotFoundError, Fd.open, tmp / "missing")
    assert e.filename == str(tmp / "missing"), e.filename
    e = raises(FileNotFoundError, Fd.open, b"/nonexistent/\xff")
    assert e.filename == b"/nonexistent/\xff"
    raises(FileNotFoundError, Fd.open, "/nonexistent/\u00e9\udcff")
    raises(ValueError, Fd.open, "a\0b")
    raises(ValueError, Fd.open, b"a\0b")
    raises(TypeError, Fd.open, 3.5)
    raises(TypeError, Fd.open)
    raises(TypeError, Fd.open, path, "r", 0o666, None)
    raises(TypeError, Fd.open, path, bogus=1)
    raises(TypeError, Fd.open, path, path=path)
    raises(OverflowError, Fd.open, path, 2**40)
    raises(OverflowError, Fd.open, path, "r", -1)
    raises(OverflowError, Fd.open, path, "r", 2**40)
    raises(TypeError, Fd.open, path, 1.5)
    raises(ValueError, Fd.open, path, inheritable=Unboolable())
    # dir_fd: a number, an FdHandle, a closed object
    path.write_bytes(b"Jello")
    dfd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with Fd.open("data", dir_fd=dfd) as f:
            assert f.read(5) == b"Jello"
        with Fd.open(tmp, os.O_RDONLY | os.O_DIRECTORY) as d, Fd.open("data", dir_fd=d) as f:
            assert f.read(1) == b"J"
        d2 = macres.opendir(tmp)
        with Fd.open("data", "r", dir_fd=d2) as f:
            assert f.read(1) == b"J"
        raises(FileNotFoundError, Fd.open, "missing", dir_fd=d2)
        d2.close()
        raises(macres.ClosedResourceError, Fd.open, "data", dir_fd=d2)
        raises(OverflowError, Fd.open, "data", dir_fd=2**40)
        raises(TypeError, Fd.open, "data", dir_fd="x")
        raises(OSError, Fd.open, "data", dir_fd=-5)
    finally:
        os.close(dfd)

    # pipes: ESPIPE on pread/seek, EAGAIN on an empty non-blocking pipe
    r, w = Fd._pipe()
    with r, w:
        assert w.write(b"abc") == 3 and r.read(10) == b"abc"
        raises(OSError, r.pread, 1, 0)
        raises(OSError, w.pwrite, b"x", 0)
        raises(OSError, r.pread_into, bytearray(1), 0)
        raises(OSError, r.seek, 0)
        raises(OSError, r.tell)
        os.set_blocking(r.fileno(), False)
        raises(BlockingIOError, r.read, 1)
        raises(BlockingIOError, r.readinto, bytearray(1))
        os.set_blocking(r.fileno(), True)
        assert r.fstat().st_mode
    r, w = Fd._pipe(True)  # inheritable: plain pipe2(0)
    with r, w:
        assert os.get_inheritable(r.fileno()) and os.get_inheritable(w.fileno())
    raises(TypeError, _core.FileDescriptorBase._pipe, 1, 2)
    raises(TypeError, _core.FileDescriptorBase._pipe, bogus=1)

    # dup: the copy is owned as it is made; positional arguments are refused
    with Fd.open(tmp / "f", "w+") as f:
        with f.dup() as copy, f.dup(inheritable=True) as loose:
            assert type(copy) is Fd and not os.get_inheritable(copy.fileno()) and os.get_inheritable(loose.fileno())
        raises(TypeError, f.dup, True)
        raises(TypeError, f.dup, bogus=1)
        f.close()
        raises(macres.ClosedResourceError, f.dup)
    hit("FileDescriptorBase.dup")

    # _take: the handle moves to a new object of the same kind; the source ends closed
    src = Fd.open(tmp)
    moved = macres.Directory._take(src)
    with moved:
        assert src.closed and src._handle == -1 and not moved.closed
    raises(macres.ClosedResourceError, macres.Directory._take, src)
    busy = Fd.open(tmp)
    busy._enter()
    raises(RuntimeError, macres.Directory._take, busy)
    busy._exit()
    busy.close()
    raises(TypeError, macres.Directory._take, macres.MappedRegion.anonymous(PAGE))
    raises(TypeError, macres.Directory._take, "x")
    hit("Handle._take")

    # the finalizer releases what an operation that never unregistered left counted
    before = open_fds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        stuck = Fd.open(tmp / "f")
        stuck._enter()
        stuck.close()  # deferred: a reference is still counted
        del stuck
        gc.collect()
    assert open_fds() <= before, open_fds() - before
    pr, pw = macres.pipe()
    pr.close()
    raises(BrokenPipeError, pw.write, b"x")
    pw.close()

    # EBADF: the descriptor was closed behind the object's back
    a, b = os.pipe()
    f = Fd.__new__(Fd)
    f._adopt(a)
    os.close(a)
    e = raises(macres.ClosedResourceError, f.read, 1)  # EBADF and fcntl(F_GETFD) agree: closed elsewhere
    assert isinstance(e.__cause__, OSError) and e.__cause__.errno == errno.EBADF
    raises(macres.ClosedResourceError, f.write, b"x")
    raises(macres.ClosedResourceError, f.readinto, bytearray(1))
    raises(macres.ClosedResourceError, f.fstat)
    raises(macres.ClosedResourceError, f.seek, 0)
    e = raises(OSError, f.close)
    assert e.errno == errno.EBADF
    os.close(b)
    f = Fd.__new__(Fd)
    f._adopt(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del f  # EBADF in a finalizer is not reported
        gc.collect()

    # detach hands the descriptor out
    f = Fd.open(path)
    fd = f.detach()
    os.close(fd)
    f = macres.open(path)
    os.close(f.detach())


class Addr(tuple):  # type: ignore[type-arg]
    """Not exactly a tuple: the core leaves it to the Python address encoder."""


class Unboolable:
    def __bool__(self) -> bool:
        raise ValueError("no truth")


# -- raw functions -------------------------------------------------------------------------------------
def drive_raw(tmp: pathlib.Path) -> None:
    path = tmp / "raw"
    path.write_bytes(b"0123456789")
    link = tmp / "link"
    link.symlink_to(path)
    fd = _core.open(str(path), os.O_RDWR)
    try:
        assert isinstance(_core.fstat(fd), _core.Stat)
        raises(OSError, _core.fstat, -1)
        raises(OverflowError, _core.fstat, 2**40)
        raises(TypeError, _core.fstat, "0")
        assert _core.stat(path).st_size == 10 and _core.stat(str(path)).st_size == 10
        assert _core.stat(bytes(path)).st_size == 10
        assert _core.lstat(link).st_size != 10 or os.path.islink(link)
        e = raises(FileNotFoundError, _core.stat, tmp / "missing")
        assert e.filename == str(tmp / "missing")
        raises(FileNotFoundError, _core.lstat, b"/nonexistent")
        raises(FileNotFoundError, _core.stat, "/nonexistent/\u00e9")
        raises(ValueError, _core.stat, "a\0b")
        raises(TypeError, _core.stat, 3)
        raises(TypeError, _core.stat, None)
        assert _core.fstatat(-100, str(path)).st_size == 10  # AT_FDCWD
        assert _core.fstatat(dirfd=-100, path=link, flags=0x100).st_size != 10  # AT_SYMLINK_NOFOLLOW
        raises(TypeError, _core.fstatat, -100)
        raises(OverflowError, _core.fstatat, 2**40, "x")
        raises(OSError, _core.fstatat, 999, "x")
        raises(OverflowError, _core.fstatat, -100, "x", 2**40)

        buf = bytearray(4)
        assert _core.pread(fd, buf, 2) == 4 and buf == b"2345"
        assert _core.pread(fd=fd, buf=buf, offset=100) == 0
        raises(OSError, _core.pread, fd, buf, -1)
        raises(TypeError, _core.pread, fd, b"ro", 0)
        raises(ValueError, _core.pread, fd, memoryview(bytearray(4))[::2], 0)
        raises(OverflowError, _core.pread, fd, buf, 2**64)
        raises(OSError, _core.pread, -1, buf, 0)
        assert _core.pwrite(fd, b"ab", 0) == 2 and _core.pwrite(fd, memoryview(b"cd"), 8) == 2
        raises(OSError, _core.pwrite, -1, b"x", 0)
        raises(TypeError, _core.pwrite, fd, "str", 0)
        assert _core.lseek(fd, 0, os.SEEK_SET) == 0
        raises(OSError, _core.lseek, fd, 0, 99)
        raises(OverflowError, _core.lseek, fd, 2**64, 0)
        raises(OverflowError, _core.lseek, fd, 0, 2**40)
        assert _core.read(fd, buf) == 4 and buf == b"ab23"
        assert _core.read(fd, buf, 2) == 2 and _core.read(fd, buf, None) == 4
        assert _core.read(fd=fd, buf=bytearray(0)) == 0
        raises(ValueError, _core.read, fd, buf, 5)
        raises(ValueError, _core.read, fd, buf, -1)
        raises(TypeError, _core.read, fd, b"ro")
        raises(OSError, _core.read, -1, buf)
        raises(TypeError, _core.read, fd, buf, "1")
        assert _core.write(fd, b"xyz") == 3 and _core.write(fd=fd, data=b"") == 0
        raises(OSError, _core.write, -1, b"x")
        raises(TypeError, _core.write, fd)
    finally:
        _core.close(fd)
    raises(OSError, _core.close, fd)
    raises(OverflowError, _core.close, 2**40)
    fd2 = _core.open(bytes(path), os.O_RDONLY | os.O_CLOEXEC, 0o644)
    _core.close(fd2)
    fd2 = _core.open(path=path, flags=os.O_RDONLY)
    _core.close(fd2)
    e = raises(FileNotFoundError, _core.open, tmp / "missing", os.O_RDONLY)
    assert e.filename == str(tmp / "missing")
    raises(FileNotFoundError, _core.open, b"/nonexistent/\xff", 0)
    raises(OverflowError, _core.open, path, 0, 2**40)
    raises(OverflowError, _core.open, path, 0, -1)
    raises(TypeError, _core.open, path, 0, "x")
    raises(OverflowError, _core.open, path, 2**40)
    raises(ValueError, _core.open, "a\0", 0)

    # sockets
    a, b = stdsocket.socketpair()
    with a, b:
        v = bytearray(4)
        assert _core.getsockopt(a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_TYPE, v) == 4
        assert _core.getsockopt(a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_TYPE, bytearray()) == 0
        raises(TypeError, _core.getsockopt, a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_TYPE, b"ro..")
        raises(OSError, _core.getsockopt, a.fileno(), stdsocket.SOL_SOCKET, 9999, bytearray(4))
        raises(OSError, _core.getsockopt, -1, 1, 1, bytearray(4))
        raises(OverflowError, _core.getsockopt, a.fileno(), 2**40, 1, bytearray(4))
        _core.setsockopt(a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_SNDBUF, struct.pack("i", 65536))
        raises(OSError, _core.setsockopt, a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_SNDBUF, b"")
        raises(TypeError, _core.setsockopt, a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_SNDBUF, 5)
        raises(OSError, _core.setsockopt, -1, 1, 1, b"\0\0\0\0")
        assert _core.sendto(a.fileno(), b"hi") == 2 and _core.sendto(fd=a.fileno(), data=b"!", flags=0) == 1
        buf = bytearray(8)
        n, addr = _core.recvfrom(b.fileno(), buf)
        assert n == 3 and buf[:3] == b"hi!", (n, buf)
        raises(ValueError, _core.recvfrom, b.fileno(), buf, 0, 9)
        raises(ValueError, _core.recvfrom, b.fileno(), buf, 0, -1)
        raises(TypeError, _core.recvfrom, b.fileno(), b"ro")
        raises(BlockingIOError, _core.recvfrom, b.fileno(), buf, stdsocket.MSG_DONTWAIT, 2)
        raises(OSError, _core.recvfrom, -1, buf)
        raises(OSError, _core.sendto, -1, b"x")
        raises(TypeError, _core.sendto, a.fileno(), "str")
    u1 = stdsocket.socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM)
    u2 = stdsocket.socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM)
    with u1, u2:
        u2.bind(("127.0.0.1", 0))
        port = u2.getsockname()[1]
        af = int(stdsocket.AF_INET)
        assert _core.sendto(u1.fileno(), b"d1", 0, af, ("127.0.0.1", port)) == 2
        assert _core.sendto(u1.fileno(), b"d2", 0, af, Addr(("127.0.0.1", port))) == 2  # Python encodes
        assert _core.sendto(u1.fileno(), b"d3", family=af, address=("127.0.0.1", port), flags=0) == 2
        for want in (b"d1", b"d2", b"d3"):
            buf = bytearray(16)
            n, addr = _core.recvfrom(u2.fileno(), buf, 0, None)
            assert bytes(buf[:n]) == want and addr[0] == "127.0.0.1", (buf, addr)
        for bad in (("127.0.0.1",), ("127.0.0.1", -1), ("127.0.0.1", 2**70), ("", port), ("1.2.3.4.5", port),
                    ("a\0b", port), (b"127.0.0.1", port), ("127.0.0.1", "x"), "str", None, 5):  # fmt: skip
            attempt(_core.sendto, u1.fileno(), b"x", 0, af, bad)
        raises((TypeError, ValueError, OSError), _core.sendto, u1.fileno(), b"x", 0, 9999, ("127.0.0.1", port))
        raises(OverflowError, _core.sendto, u1.fileno(), b"x", 0, 2**40, ("127.0.0.1", port))
        raises(OverflowError, _core.sendto, u1.fileno(), b"x", 2**40)
    with contextlib.suppress(OSError):
        s6 = stdsocket.socket(stdsocket.AF_INET6, stdsocket.SOCK_DGRAM)
        r6 = stdsocket.socket(stdsocket.AF_INET6, stdsocket.SOCK_DGRAM)
        with s6, r6:
            r6.bind(("::1", 0))
            port = r6.getsockname()[1]
            af6 = int(stdsocket.AF_INET6)
            assert _core.sendto(s6.fileno(), b"six", 0, af6, ("::1", port)) == 3
            assert _core.sendto(s6.fileno(), b"six", 0, af6, ("::1", port, 0, 0)) == 3
            _core.sendto(s6.fileno(), b"six", 0, af6, ("::1", port, 1))
            for bad in (("::1", port, -1), ("::1", port, 2**21), ("::1", port, 0, -1), ("::1", port, 0, 2**33),
                        ("::1", port, "x"), ("::1", port, 0, "x"), ("::1%lo", port), ("::1", port, 0, 0, 0)):  # fmt: skip
                attempt(_core.sendto, s6.fileno(), b"x", 0, af6, bad)
            buf = bytearray(8)
            n, addr = _core.recvfrom(r6.fileno(), buf)
            assert addr[0] == "::1" and len(addr) == 4, addr
    # AF_UNIX datagrams: a path (str and bytes), an abstract name, an unbound sender
    sockpath = str(tmp / "u.sock")
    ru = stdsocket.socket(stdsocket.AF_UNIX, stdsocket.SOCK_DGRAM)
    su = stdsocket.socket(stdsocket.AF_UNIX, stdsocket.SOCK_DGRAM)
    with ru, su:
        ru.bind(sockpath)
        afu = int(stdsocket.AF_UNIX)
        assert _core.sendto(su.fileno(), b"u1", 0, afu, sockpath) == 2
        assert _core.sendto(su.fileno(), b"u2", 0, afu, sockpath.encode()) == 2
        n, addr = _core.recvfrom(ru.fileno(), bytearray(8))
        assert addr is None or addr in ("", b""), addr  # the sender is unbound
        _core.recvfrom(ru.fileno(), bytearray(8))
        su.bind(str(tmp / "s.sock"))
        _core.sendto(su.fileno(), b"u3", 0, afu, sockpath)
        n, addr = _core.recvfrom(ru.fileno(), bytearray(8))
        assert addr == str(tmp / "s.sock"), addr
        for bad in ("", "x" * 200, b"a\0b", "\u00e9" * 3, 5):
            attempt(_core.sendto, su.fileno(), b"x", 0, afu, bad)
    if sys.platform.startswith("linux"):
        ra = stdsocket.socket(stdsocket.AF_UNIX, stdsocket.SOCK_DGRAM)
        sa = stdsocket.socket(stdsocket.AF_UNIX, stdsocket.SOCK_DGRAM)
        with ra, sa:
            name = b"\0macres-memcheck-%d" % os.getpid()
            ra.bind(name)
            sa.bind(name + b"-s")
            _core.sendto(sa.fileno(), b"ab", 0, int(stdsocket.AF_UNIX), name)
            n, addr = _core.recvfrom(ra.fileno(), bytearray(8))
            assert addr == name + b"-s", addr

    # decode_sockaddr: every family it knows, short and long data
    sin = struct.pack("=H", stdsocket.AF_INET) + struct.pack("!H4s8x", 80, bytes([127, 0, 0, 1]))
    assert _core.decode_sockaddr(sin) == ("127.0.0.1", 80)
    sin6 = struct.pack("=H", stdsocket.AF_INET6) + struct.pack("!HI16sI", 443, 5, b"\0" * 15 + b"\1", 0)
    assert _core.decode_sockaddr(sin6)[:2] == ("::1", 443)
    sun = struct.pack("=H", stdsocket.AF_UNIX) + b"/tmp/x\0junk"
    assert _core.decode_sockaddr(sun) == "/tmp/x"
    assert _core.decode_sockaddr(struct.pack("=H", stdsocket.AF_UNIX) + b"\0abstract") == b"\0abstract"
    assert _core.decode_sockaddr(struct.pack("=H", stdsocket.AF_UNIX) + b"x" * 108) == "x" * 108
    assert _core.decode_sockaddr(struct.pack("=H", stdsocket.AF_UNIX) + b"\xff\xfe") == "\udcff\udcfe"
    assert _core.decode_sockaddr(struct.pack("=H", stdsocket.AF_UNIX)) == ""
    for data in (b"", b"\x02", sin[:8], sin6[:20], struct.pack("=H", 4242) + b"abc", memoryview(sin),
                 bytearray(sin), b"\xff" * 128):  # fmt: skip
        _core.decode_sockaddr(data)
    raises(ValueError, _core.decode_sockaddr, b"x" * 129)
    raises(TypeError, _core.decode_sockaddr, "str")
    raises(ValueError, _core.decode_sockaddr, memoryview(b"x" * 16)[::2])

    # processes
    _core.kill(os.getpid(), 0)
    raises(ProcessLookupError, _core.kill, 2**22 + 12345, 0)
    raises(OSError, _core.kill, os.getpid(), 9999)
    raises(TypeError, _core.kill, os.getpid())
    raises(OverflowError, _core.kill, 2**40, 0)
    raises(OverflowError, _core.kill, 1, 2**40)
    ru = _core.getrusage(0)
    assert isinstance(ru, _core.Rusage) and ru.ru_utime >= 0
    _core.getrusage(-1)
    raises(OSError, _core.getrusage, 99)
    raises(OverflowError, _core.getrusage, 2**40)
    assert _core.getpid() == os.getpid()
    assert raw.fstat is _core.fstat and raw.getpid is _core.getpid  # what the fuzz tests reach


# -- sockets --------------------------------------------------------------------------------------------
def drive_socket_construction() -> None:
    s = macres.Socket(stdsocket.AF_UNIX, stdsocket.SOCK_STREAM | stdsocket.SOCK_NONBLOCK)
    with s:
        assert s.timeout == 0.0 and s.type == stdsocket.SOCK_STREAM
        raises(RuntimeError, s._open, stdsocket.AF_UNIX, stdsocket.SOCK_STREAM, 0)
    raises(OSError, macres.Socket, -1)
    raises(OverflowError, macres.Socket, 2**40)
    raises(TypeError, macres.Socket._open, macres.Socket.__new__(macres.Socket), 1)
    old = stdsocket.getdefaulttimeout()
    stdsocket.setdefaulttimeout(2.5)
    try:
        a, b = macres.Socket.pair()
        with a, b:
            assert a.timeout == b.timeout == 2.5 and not os.get_blocking(a.fileno())
    finally:
        stdsocket.setdefaulttimeout(old)
    raises(OSError, macres.Socket.pair, stdsocket.AF_INET, stdsocket.SOCK_STREAM)
    raises(OverflowError, macres.Socket.pair, 2**40)
    raises(TypeError, _core.SocketBase._pair, 1, 2)
    hit("SocketBase._open", "SocketBase._pair")


def drive_sockets(tmp: pathlib.Path) -> None:
    drive_socket_construction()
    a, b = macres.Socket.pair()
    with a, b:
        assert a.send(b"ping") == 4 and b.recv(10) == b"ping"
        assert a.send(data=memoryview(b"xy"), flags=0) == 2 and b.recv(bufsize=1, flags=0) == b"x"
        assert b.recv(1, stdsocket.MSG_PEEK) == b"y" and b.recv(1) == b"y"
        a.sendall(b"z" * 10)
        a.sendall(data=bytearray(b"q"), flags=0)
        buf = bytearray(16)
        assert b.recv_into(buf, 4) == 4 and b.recv_into(buffer=buf, nbytes=0, flags=0) == 7
        a.send(b"abc")
        n, addr = b.recvfrom_into(buf)
        assert n == 3 and addr in (None, "", b""), addr
        a.send(b"abc")
        data, addr = b.recvfrom(10)
        assert data == b"abc"
        a.send(b"abc")
        assert b.recvfrom(bufsize=1, flags=0)[0] == b"a" and b.recvfrom_into(buffer=buf, nbytes=2)[0] == 2
        a.send(b"k")
        assert b.recv(0) == b"" and b.recv(1) == b"k"  # (with nothing there, recv(0) would block)
        # argument errors
        raises(ValueError, b.recv, -1)
        raises(ValueError, b.recvfrom, -1)
        raises(OverflowError, b.recv, 2**70)
        raises(ValueError, b.recv_into, buf, -1)
        raises(ValueError, b.recv_into, buf, 100)
        raises(TypeError, b.recv_into, b"ro")
        raises(ValueError, b.recvfrom_into, buf, 100)
        raises(TypeError, a.send, "str")
        raises(TypeError, a.sendall, 5)
        raises(OverflowError, a.send, b"x", 2**40)
        raises(OverflowError, a.sendall, b"x", 2**40)
        raises(OverflowError, b.recv, 1, 2**40)
        raises(OverflowError, b.recv_into, buf, 0, 2**40)
        raises(TypeError, a.sendto, b"x")
        raises(TypeError, a.sendto, b"x", 0, None)
        raises(TypeError, a.sendto, b"x", None)
        raises(TypeError, a.sendto, b"x", "addr", flags=0)
        raises(OverflowError, a.sendto, b"x", 2**40, "addr")
        raises(OSError, a.sendto, b"x", str(tmp / "nowhere"))
        # timeouts: 0.0 never waits, > 0 waits until the deadline
        b.settimeout(0.0)
        raises(BlockingIOError, b.recv, 1)
        raises(BlockingIOError, b.recv_into, buf)
        raises(BlockingIOError, b.recvfrom, 1)
        b.settimeout(0.05)
        raises(TimeoutError, b.recv, 1)
        raises(TimeoutError, b.recvfrom_into, buf)
        a.settimeout(0.05)
        total = 0
        with contextlib.suppress(TimeoutError):
            for _ in range(10000):  # fill the buffer until a send times out
                total += a.send(b"f" * 65536)
        raises(TimeoutError, a.sendall, b"f" * 65536)
        a.settimeout(0.0)
        raises(BlockingIOError, a.send, b"f" * 65536)
        raises(BlockingIOError, a.sendall, b"f" * 65536)
        # drain in a thread while sendall waits for room
        a.settimeout(5.0)
        b.settimeout(5.0)
        done = threading.Event()

        def drain() -> None:
            while not done.is_set():
                try:
                    if not b.recv(1 << 16):
                        return
                except (TimeoutError, OSError):
                    return

        t = threading.Thread(target=drain)
        t.start()
        a.sendall(b"g" * (1 << 18))
        done.set()
        a.send(b"end")
        t.join()
        # timeout attribute, _configure
        assert a._timeout == 5.0 and a._family == stdsocket.AF_UNIX and a._type == stdsocket.SOCK_STREAM
        assert a._proto == 0
        hit("SocketBase._timeout", "SocketBase._family", "SocketBase._type", "SocketBase._proto")
        a.settimeout(None)
        assert a._timeout is None
        raises(TypeError, a._configure, 1, 2, 3)
        raises(ValueError, a._configure, 1, 1, 0, -1.0)
        raises(ValueError, a._configure, 1, 1, 0, float("nan"))
        raises(TypeError, a._configure, 1, 1, 0, "x")
        raises(OverflowError, a._configure, 2**40, 1, 0, None)

        # options: typed (fast and Python paths), raw int, raw bytes
        assert isinstance(a.getsockopt(sockopt.SO_RCVBUF), int)
        assert a.getsockopt(sockopt.SO_TYPE) == stdsocket.SOCK_STREAM
        a.setsockopt(sockopt.SO_RCVBUF, 65536)
        a.setsockopt(sockopt.SO_KEEPALIVE, True)
        assert a.getsockopt(sockopt.SO_KEEPALIVE) is True
        a.setsockopt(sockopt.SO_LINGER, a.getsockopt(sockopt.SO_LINGER))
        raises(TypeError, a.setsockopt, sockopt.SO_KEEPALIVE, 1)
        raises(TypeError, a.setsockopt, sockopt.SO_RCVBUF, "x")
        raises(TypeError, a.setsockopt, sockopt.SO_RCVBUF, 1.5)
        raises(OverflowError, a.setsockopt, sockopt.SO_RCVBUF, 2**40)
        raises(OverflowError, a.setsockopt, sockopt.SO_RCVBUF, 2**70)
        raises(TypeError, a.setsockopt, sockopt.SO_RCVBUF, 1, 2)
        raises(TypeError, a.getsockopt, sockopt.SO_RCVBUF, 1)
        raises(OSError, a.getsockopt, sockopt.IP_ADD_MEMBERSHIP)  # set-only
        raises(OSError, a.setsockopt, sockopt.SO_ACCEPTCONN, 1)  # get-only
        raises(macres.UnsupportedOperation, a.getsockopt, sockopt.IP_DONTFRAG)  # another platform's
        raises(OSError, a.getsockopt, sockopt.SO_PEERCRED.__class__(  # a fast option the kernel refuses
            level=stdsocket.SOL_SOCKET, level_name="SOL_SOCKET", name="X", number=9999, codec=sockopt.SO_RCVBUF.codec,
            access="both", platforms=("linux", "darwin"), notes=""))
        uint_opt = next((o for o in vars(sockopt).values() if isinstance(o, sockopt.SockOpt) and o.available
                         and o.codec.ctype == "uint" and o.level == stdsocket.SOL_SOCKET and o.readable), None)
        if uint_opt is not None:
            with contextlib.suppress(OSError):
                a.getsockopt(uint_opt)
        assert isinstance(a.getsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF), int)
        assert len(a.getsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 4)) == 4
        assert a.getsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 0) == b""
        assert len(a.getsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 100)) == 4
        assert a.getsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, None) > 0
        raises(ValueError, a.getsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 65537)
        raises(ValueError, a.getsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, -1)
        raises(OSError, a.getsockopt, stdsocket.SOL_SOCKET, 9999)
        raises(OSError, a.getsockopt, stdsocket.SOL_SOCKET, 9999, 8)
        raises(TypeError, a.getsockopt, stdsocket.SOL_SOCKET)
        raises(TypeError, a.getsockopt)
        raises(TypeError, a.getsockopt, 1, 2, 3, 4)
        raises(OverflowError, a.getsockopt, 2**40, 1)
        a.setsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 65536)
        a.setsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_KEEPALIVE, True)
        a.setsockopt(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, struct.pack("i", 65536))
        raises(OSError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, b"")
        raises(OverflowError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 2**40)
        raises(OverflowError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 2**70)
        raises(TypeError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, None)
        raises(TypeError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, "x")
        raises(TypeError, a.setsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF)
        raises(TypeError, a.setsockopt, 1)
        raises(OSError, a.setsockopt, stdsocket.SOL_SOCKET, 9999, 1)

        # _call_timed: BlockingIOError waits, then the call is made again (a fresh pair: a's buffer is full)
        fresh_a, fresh_b = macres.Socket.pair()
        calls: list[tuple[Any, ...]] = []

        def flaky(fd: int, *args: Any) -> tuple[Any, ...]:
            calls.append(args)
            if len(calls) == 1:
                raise BlockingIOError(errno.EAGAIN, "again")
            return (fd, *args)

        fresh_a.settimeout(1.0)
        assert fresh_a._call_timed(True, flaky, 1, 2)[1:] == (1, 2) and len(calls) == 2
        calls.clear()
        many = tuple(range(12))
        assert fresh_a._call_timed(1, flaky, *many)[1:] == many
        fresh_b.settimeout(0.05)
        raises(TimeoutError, fresh_b._call_timed, False, lambda fd: raw.recvfrom(fd, bytearray(1), stdsocket.MSG_DONTWAIT))
        fresh_b.settimeout(0.0)
        raises(BlockingIOError, fresh_b._call_timed, False, lambda fd: raw.recvfrom(fd, bytearray(1), stdsocket.MSG_DONTWAIT))
        raises(ZeroDivisionError, fresh_a._call_timed, 0, lambda fd: 1 / 0)
        raises(TypeError, fresh_a._call_timed, True)
        raises(ValueError, fresh_a._call_timed, Unboolable(), flaky)
        fresh_a.close()
        fresh_b.close()
        a.settimeout(None)

        # the close-caused error becomes ClosedResourceError chained to the OSError
        def close_then_fail(fd: int) -> None:
            a.close()
            raise OSError(errno.EBADF, "stale")

        e = raises(macres.ClosedResourceError, a._call, close_then_fail)
        assert isinstance(e.__cause__, OSError) and e.__context__ is e.__cause__
        del e
        gc.collect()

    c, d = macres.Socket.pair()
    with c, d:
        c.settimeout(1.0)

        def close_then_block(fd: int) -> None:
            c.close()
            raise BlockingIOError(errno.EAGAIN, "again")

        raises(macres.ClosedResourceError, c._call_timed, False, close_then_block)
    for call in (lambda: c.send(b"x"), lambda: c.sendall(b"x"), lambda: c.recv(1), lambda: c.recv_into(bytearray(1)),
                 lambda: c.recvfrom(1), lambda: c.recvfrom_into(bytearray(1)), lambda: c.sendto(b"x", "p"),
                 c.accept, lambda: c.getsockopt(sockopt.SO_RCVBUF), lambda: c.getsockopt(1, 8),
                 lambda: c.getsockopt(1, 8, 4), lambda: c.setsockopt(sockopt.SO_RCVBUF, 1),
                 lambda: c.setsockopt(1, 8, 1), lambda: c.setsockopt(1, 8, b"\0\0\0\0"),
                 lambda: c.setsockopt(sockopt.SO_LINGER, (0, 0)), lambda: c.getsockopt(sockopt.SO_LINGER),
                 lambda: c._call_timed(0, lambda fd: 1)):  # fmt: skip
        raises(macres.ClosedResourceError, call)

    # UDP over loopback: sendto with the simple encoder, the Python encoder, flags
    u1 = macres.Socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM)
    u2 = macres.Socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM)
    with u1, u2:
        u2.bind(("127.0.0.1", 0))
        port = u2.getsockname()[1]
        assert u1.sendto(b"one", ("127.0.0.1", port)) == 3
        assert u1.sendto(b"two", 0, ("localhost", port)) == 3
        data, addr = u2.recvfrom(10)
        assert data == b"one" and addr[0] == "127.0.0.1"
        buf = bytearray(10)
        n, addr = u2.recvfrom_into(buf, 0, 0)
        assert n == 3 and addr[1] == u1.getsockname()[1], (addr, u1.getsockname())
        raises((TypeError, ValueError, OverflowError, OSError), u1.sendto, b"x", ("127.0.0.1", -1))
        raises((TypeError, ValueError, OverflowError, OSError), u1.sendto, b"x", "nonsense")
        raises(TypeError, u1.sendto, b"x", 0, ("127.0.0.1", port), 1)
        u2.settimeout(0.05)
        raises(TimeoutError, u2.recvfrom, 10)
    rs = RawSocket.__new__(RawSocket)
    fd = raw.socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM | stdsocket.SOCK_CLOEXEC, 0)
    rs._configure(int(stdsocket.AF_INET), int(stdsocket.SOCK_DGRAM), 0, None)
    rs._adopt(fd)
    with rs:
        rs.encoded = "not bytes"
        raises(TypeError, rs.sendto, b"x", "x")
        rs.encoded = b"\0" * 200
        raises(TypeError, rs.sendto, b"x", "x")
        rs.encoded = struct.pack("=H", stdsocket.AF_INET) + struct.pack("!H4s8x", 9, bytes([127, 0, 0, 1]))
        assert rs.sendto(b"x", "x") == 1
        rs.encoded = None
        raises(TypeError, rs.sendto, b"x", "x")

    # the core's own _sockaddr (through _resolved and the Python encoder)
    bare = _core.SocketBase.__new__(_core.SocketBase)
    fd = raw.socket(stdsocket.AF_INET, stdsocket.SOCK_DGRAM | stdsocket.SOCK_CLOEXEC, 0)
    bare._configure(int(stdsocket.AF_INET), int(stdsocket.SOCK_DGRAM), 0, None)
    bare._adopt(fd)
    with bare:
        assert bare._resolved(("127.0.0.1", 9)) == ("127.0.0.1", 9)
        assert isinstance(bare._sockaddr(("127.0.0.1", 9)), bytes)
        assert bare.sendto(b"x", Addr(("127.0.0.1", 9))) == 1
        raises((TypeError, ValueError, OverflowError), bare.sendto, b"x", Addr(("no such host", 9)))
        raises((TypeError, ValueError), bare._sockaddr, "nonsense")

    # TCP over loopback: accept with and without waiting, timeouts, a default timeout
    srv = macres.Socket(stdsocket.AF_INET, stdsocket.SOCK_STREAM)
    with srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(4)
        addr = srv.getsockname()
        srv.settimeout(0.0)
        raises(BlockingIOError, srv.accept)
        srv.settimeout(0.05)
        raises(TimeoutError, srv.accept)
        cli = stdsocket.create_connection(addr)
        with cli:
            srv.settimeout(None)
            conn, peer = srv.accept()
            with conn:
                assert peer == cli.getsockname() and conn.gettimeout() is None
                cli.sendall(b"tcp")
                assert conn.recv(3) == b"tcp"
                data, none = conn.recvfrom(3) if cli.send(b"abc") else (b"", None)
                assert data == b"abc" and none is None
        old = stdsocket.getdefaulttimeout()
        stdsocket.setdefaulttimeout(2.5)
        try:
            cli = stdsocket.create_connection(addr)
            with cli:
                srv.settimeout(2.0)
                conn, peer = srv.accept()
                with conn:
                    assert conn.gettimeout() == 2.5
        finally:
            stdsocket.setdefaulttimeout(old)
        with adopt_hook(failing_hook), warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            cli = stdsocket.create_connection(addr)
            with cli:
                raises(RuntimeError, srv.accept)
            gc.collect()
        # close wakes an accept blocked in another thread: ClosedResourceError (chained to EINVAL)
        srv.settimeout(None)
        errors: list[BaseException] = []

        def blocked_accept() -> None:
            try:
                srv.accept()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        t = threading.Thread(target=blocked_accept)
        t.start()
        wait_inflight(srv, t)
        srv.close()
        t.join(10)
        assert len(errors) == 1 and isinstance(errors[0], macres.ClosedResourceError), errors
        errors.clear()
    nl = macres.Socket(stdsocket.AF_INET, stdsocket.SOCK_STREAM)
    with nl:
        raises(OSError, nl.accept)  # EINVAL: not listening

    # close wakes a recv blocked in another thread; a sendall blocked on a full buffer
    e1, e2 = macres.Socket.pair()
    with e1, e2:
        got: list[Any] = []

        def blocked_recv() -> None:
            try:
                got.append(e1.recv(10))
            except BaseException as exc:  # noqa: BLE001
                got.append(exc)

        t = threading.Thread(target=blocked_recv)
        t.start()
        wait_inflight(e1, t)
        e1.close()
        t.join(10)
        assert got and (got[0] == b"" or isinstance(got[0], macres.ClosedResourceError)), got
        got.clear()

    s1, s2 = macres.Socket.pair()
    with s1, s2:

        def blocked_sendall() -> None:
            try:
                s1.sendall(b"s" * (1 << 22))
            except BaseException as exc:  # noqa: BLE001
                got.append(exc)

        t = threading.Thread(target=blocked_sendall)
        t.start()
        wait_inflight(s1, t)
        s1.close()
        t.join(10)
        assert got and isinstance(got[0], (macres.ClosedResourceError, OSError)), got

    # signal handlers run during waits (EINTR retried; a raising handler propagates)
    if hasattr(signal, "setitimer"):
        f1, f2 = macres.Socket.pair()
        old_handler = signal.signal(signal.SIGALRM, lambda *a: None)
        try:
            with f1, f2:
                f1.settimeout(0.3)
                signal.setitimer(signal.ITIMER_REAL, 0.05)
                raises(TimeoutError, f1.recv, 1)

                def boom(*a: Any) -> None:
                    raise KeyboardInterrupt

                signal.signal(signal.SIGALRM, boom)
                f1.settimeout(None)
                signal.setitimer(signal.ITIMER_REAL, 0.05)
                raises(KeyboardInterrupt, f1.recv, 1)
                signal.setitimer(signal.ITIMER_REAL, 0.05)
                pr, pw = Fd._pipe()
                with pr, pw:
                    raises(KeyboardInterrupt, pr.read, 1)
                f1.settimeout(2.0)
                signal.setitimer(signal.ITIMER_REAL, 0.05)
                raises(KeyboardInterrupt, f1.recv, 1)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
    hit("SocketBase.__new__")

    # SockOptSpec itself
    spec = _core.SockOptSpec()
    spec._bind_spec(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 1, 1, 1, 1)
    x, y = macres.Socket.pair()
    with x, y:
        assert x.getsockopt(spec) > 0
        x.setsockopt(spec, 65536)
        for kind in (2, 3, 4):
            spec._bind_spec(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, kind, 1, 1, 1)
            x.getsockopt(spec)
            with contextlib.suppress(TypeError, OverflowError, OSError):
                x.setsockopt(spec, True if kind == 4 else 65536)
        spec._bind_spec(stdsocket.SOL_SOCKET, stdsocket.SO_RCVBUF, 0, 1, 1, 1)
        raises(AttributeError, x.getsockopt, spec)  # the slow path calls spec.get
        raises(AttributeError, x.setsockopt, spec, 1)
    raises(TypeError, spec._bind_spec, 1, 2, 3)
    raises(ValueError, spec._bind_spec, 1, 2, 9, 1, 1, 1)
    raises(OverflowError, spec._bind_spec, 2**40, 2, 1, 1, 1, 1)
    hit("SockOptSpec.__new__")


# -- memory mappings ------------------------------------------------------------------------------
def drive_region_construction() -> None:
    M = macres.MappedRegion
    private = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    with M._mmap(1, mmap.PROT_READ, private, -1, 0, shared=False, file_backed=False) as r:
        assert r._maplen == PAGE and r.address in _core.live_mappings()
    raises(ValueError, M._mmap, -1, mmap.PROT_READ, private, -1, 0, shared=False, file_backed=False)
    raises(ValueError, M._mmap, 1, 64, private, -1, 0, shared=False, file_backed=False)
    raises(OverflowError, M._mmap, sys.maxsize, mmap.PROT_READ, private, -1, 0, shared=False, file_backed=False)
    raises(OverflowError, M._mmap, 1, mmap.PROT_READ, 2**40, -1, 0, shared=False, file_backed=False)
    raises(OSError, M._mmap, 1, mmap.PROT_READ, mmap.MAP_SHARED, 12345, 0, shared=True, file_backed=True)
    raises(TypeError, M._mmap, 1, mmap.PROT_READ)
    hit("MappedRegionBase._mmap")


def drive_regions(tmp: pathlib.Path) -> None:
    drive_region_construction()
    size = 3 * PAGE + 100
    r = macres.MappedRegion.anonymous(size)
    with r:
        assert len(r) == size and r._size == size and r._maplen == 4 * PAGE and r.page_size == PAGE
        assert not r.shared and not r._file_backed and r.address in _core.live_mappings()
        hit("MappedRegionBase.__len__", "MappedRegionBase._size", "MappedRegionBase._maplen",
            "MappedRegionBase.page_size", "MappedRegionBase.shared", "MappedRegionBase._file_backed",
            "MappedRegionBase.address", "MappedRegionBase._prot_bits", "MappedRegionBase._views")  # fmt: skip
        r[0] = 1
        r[-1] = 255
        r[5:10] = b"abcde"
        r[20:30:2] = b"12345"
        r[40:30:-2] = b"vwxyz"
        r[50:50] = b""
        r[0:5] = memoryview(b"ABCDE")
        r[100:110] = r.view(0, 10)  # overlapping source: a view of the region itself
        r[:] = bytes(size)
        r[1] = True
        assert r[0] == 0 and r[1] == 1 and r[-1] == 0 and r[5:10] == bytes(5) and r[::PAGE] == bytes(4)
        assert r[size:] == b"" and r[10:5] == b"" and r[::-1][:2] == bytes(2) and r[-3:] == bytes(3)
        assert r[2**70:] == b"" and r[-(2**70):2] == b"\x00\x01"
        it = iter(r)  # the sequence protocol (sq_item)
        assert [next(it) for _ in range(3)] == [0, 1, 0]
        assert list(zip(range(2), r, strict=False)) == [(0, 0), (1, 1)]
        hit("MappedRegionBase.__getitem__", "MappedRegionBase.__setitem__")
        raises(IndexError, r.__getitem__, size)
        raises(IndexError, r.__getitem__, -size - 1)
        raises(IndexError, r.__getitem__, 2**70)
        raises(TypeError, r.__getitem__, "x")
        raises(TypeError, r.__getitem__, 1.5)
        raises(IndexError, r.__setitem__, size, 0)
        raises(IndexError, r.__setitem__, 2**70, 0)
        raises(ValueError, r.__setitem__, 0, 256)
        raises(ValueError, r.__setitem__, 0, -1)
        raises(ValueError, r.__setitem__, 0, 2**70)
        raises(TypeError, r.__setitem__, 0, b"x")
        raises(TypeError, r.__setitem__, "x", 0)
        raises(ValueError, r.__setitem__, slice(0, 5), b"abc")
        raises(ValueError, r.__setitem__, slice(0, 5, 2), b"abcdef")
        raises(TypeError, r.__setitem__, slice(0, 5), "str")
        raises(TypeError, r.__setitem__, slice(0, 5), 5)
        raises(ValueError, r.__setitem__, slice(0, 5, 0), b"")
        raises(ValueError, r.__getitem__, slice(0, 5, 0))
        raises(TypeError, r.__delitem__, 0)
        raises(TypeError, r.__getitem__, slice("a", 2))
        # views: read/write through them, re-export, writable request on a read-only span
        v = r.view()
        assert r._views == 1 and len(v) == size and not v.readonly
        v[0] = 7
        assert r[0] == 7
        w = r.view(start=PAGE, stop=2 * PAGE)
        again = memoryview(w.obj)  # a second export of the same span
        assert r._views == 3
        again.release()
        empty = r.view(5, 5)
        assert len(empty) == 0
        empty.release()
        raises(ValueError, r.view, 10, 5)
        raises(ValueError, r.view, 0, size + 1)
        raises(ValueError, r.view, -1)
        raises(ValueError, r.view, 0, -1)
        raises(TypeError, r.view, "x")
        raises(TypeError, r.view, 0, 1, 2)
        # mprotect with views alive: dropping PROT_WRITE under a writable view is refused
        raises(BufferError, r.mprotect, macres.PROT_READ)
        raises(BufferError, r.mprotect, macres.PROT_NONE, PAGE, PAGE)
        v.release()
        w.release()
        rov = None
        r.mprotect(macres.PROT_READ, 0, PAGE)  # one page differs: a page table
        assert r._prot_bits == macres.PROT_READ
        raises(PermissionError, r.__setitem__, 0, 1)
        raises(PermissionError, r.__setitem__, slice(PAGE - 2, PAGE + 2), b"abcd")
        raises(PermissionError, r.__setitem__, slice(PAGE + 2, PAGE - 2, -1), b"abcd")
        rov = r.view(0, PAGE)
        assert rov.readonly
        raises(TypeError, memoryview(bytearray(1)).__setitem__, 0, rov)
        raises(TypeError, macres.FileDescriptor.readinto, Fd.open(tmp / "rov", "w+"), rov.obj)
        gc.collect()
        with contextlib.suppress(TypeError, BufferError):
            import ctypes

            ctypes.c_char.from_buffer(rov.obj)  # a writable request on a read-only span
        r.mprotect(macres.PROT_READ | macres.PROT_WRITE, PAGE, PAGE)  # nothing to refuse: ro view on page 0
        raises(BufferError, r.mprotect, macres.PROT_NONE, 0, PAGE)  # the read-only view needs PROT_READ
        rov.release()
        r.mprotect(macres.PROT_NONE, 2 * PAGE)  # to the end, unaligned length allowed
        raises(PermissionError, r.__getitem__, 2 * PAGE)
        raises(PermissionError, r.__getitem__, slice(2 * PAGE - 1, 2 * PAGE + 1))
        raises(PermissionError, r.__getitem__, slice(size - 1, 0, -PAGE))
        raises(PermissionError, r.view, 2 * PAGE)
        assert r._allows(macres.PROT_READ, PAGE, PAGE + 1) and not r._allows(macres.PROT_READ, 0, size)
        raises(ValueError, r._allows, 1, 5, 5)
        raises(ValueError, r._allows, 1, -1, 5)
        raises(ValueError, r._allows, 1, 0, size + 1)
        raises(TypeError, r._allows, 1, 2)
        raises(TypeError, r._allows, "x", 0, 1)
        assert r._range(PAGE, None, True) == (PAGE, size - PAGE) and r._range(offset=0, length=0, aligned=0) == (0, 0)
        raises(ValueError, r._range, 1, PAGE, True)
        raises(ValueError, r._range, 0, PAGE + 1, True)
        raises(ValueError, r._range, size + 1, None, False)
        raises(ValueError, r._range, 0, size + 1, False)
        raises(ValueError, r._range, -1, None, False)
        raises(ValueError, r._range, 0, -1, False)
        raises(ValueError, r._range, 0, 1, Unboolable())
        raises(TypeError, r._range, 0, 1)
        raises(ValueError, r.mprotect, 8)
        raises(ValueError, r.mprotect, -1)
        raises(ValueError, r.mprotect, macres.PROT_READ, 1)
        raises(ValueError, r.mprotect, macres.PROT_READ, 0, 1)
        raises(ValueError, r.mprotect, macres.PROT_READ, size + PAGE)
        raises(TypeError, r.mprotect)
        r.mprotect(macres.PROT_READ, PAGE, 0)  # an empty range does nothing
        r.mprotect(prot=macres.PROT_READ | macres.PROT_WRITE, offset=0, length=None)  # all pages alike again
        assert r._prot_bits == macres.PROT_READ | macres.PROT_WRITE
        # close with a view alive: closed at once, unmapped when the view goes
        address = r.address
        v = r.view(0, 8)
        raises(BufferError, r.detach)
        r.close()
        assert r.closed and address in _core.live_mappings() and v[0] == 7
        raises(macres.ClosedResourceError, memoryview, v.obj)
        raises(macres.ClosedResourceError, r.__getitem__, 0)
        raises(macres.ClosedResourceError, r.__setitem__, 0, 0)
        raises(macres.ClosedResourceError, r.__setitem__, slice(0, 1), b"x")
        raises(macres.ClosedResourceError, len, r)
        raises(macres.ClosedResourceError, r.view)
        raises(macres.ClosedResourceError, r.mprotect, macres.PROT_READ)
        raises(macres.ClosedResourceError, getattr, r, "address")
        raises(macres.ClosedResourceError, getattr, r, "_prot_bits")
        raises(macres.ClosedResourceError, r.detach)
        raises(macres.ClosedResourceError, next, iter(r))
        v.release()
        assert address not in _core.live_mappings()
    # a view dropped without release(), a cast of a view, a region dropped with a view alive
    r = macres.MappedRegion.anonymous(PAGE)
    v = r.view()
    c = v.cast("I")
    del v
    r.close()
    c[0] = 5
    del c
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        r = macres.MappedRegion.anonymous(PAGE)
        v = r.view()
        del r
        gc.collect()
        v[0] = 1
        v.release()
    # detach: the caller munmaps; a file-backed shared mapping; a raw region
    r = macres.MappedRegion.anonymous(PAGE, shared=True)
    r.mprotect(macres.PROT_READ, 0, PAGE)
    address = r.detach()
    assert r.closed and address not in _core.live_mappings()
    raw.munmap(address, PAGE)
    path = tmp / "mapped"
    path.write_bytes(b"m" * 5000)
    with macres.open(path, "r+") as f, macres.MappedRegion.from_file(f) as fr:
        assert fr.shared and fr._file_backed and fr[0:3] == b"mmm"
        fr[0] = ord("M")
    assert path.read_bytes()[:1] == b"M"
    raises(TypeError, _core.MappedRegionBase._new, 0, 1, 1)
    raises(ValueError, _core.MappedRegionBase._new, 0, -1, 1, shared=False, file_backed=False)
    raises(ValueError, _core.MappedRegionBase._new, 0, 1, 99, shared=False, file_backed=False)
    raises(ValueError, _core.MappedRegionBase._new, 0, 1, 1, shared=Unboolable(), file_backed=False)
    raises(TypeError, _core.MappedRegionBase._new, 0, 1, 1, False, False, bogus=1)
    address = raw.mmap(0, PAGE, macres.PROT_READ | macres.PROT_WRITE, macres.MAP_PRIVATE | macres.MAP_ANON, -1, 0)
    rr = Region._new(address, PAGE, macres.PROT_READ | macres.PROT_WRITE, shared=False, file_backed=False)
    with rr:
        rr[0:4] = b"raw!"
        assert repr(rr).startswith("<macres.Region ") and rr._file_backed is False
    bare = _core.MappedRegionBase()
    assert bare.closed and bare._views == 0
    with contextlib.suppress(macres.ClosedResourceError):
        len(bare)
    hit("MappedRegionBase.__new__", "_Span.getbuffer", "_Span.releasebuffer")


# -- processes -----------------------------------------------------------------------------------
def drive_processes() -> None:
    me = macres.Process.current()  # the current process holds nothing: no handle, no lifecycle
    me.kill(0)
    assert me.pid == os.getpid() and isinstance(me.rusage(), _core.ResourceUsage)
    cur = _core.CurrentProcessBase()
    cur.kill(0)
    cur.kill(signal.SIGCONT)
    raises(ValueError, cur.kill, -1)
    raises(ValueError, cur.kill, 2**70)
    raises(TypeError, cur.kill, "x")
    raises(TypeError, cur.kill)
    assert cur.pid == os.getpid() and isinstance(cur.rusage(), _core.ResourceUsage)
    hit("CurrentProcessBase.pid", "CurrentProcessBase.__new__")
    if not PIDFDS:
        drive_processes_without_pidfds()
        return
    own = macres.Process(os.getpid())  # a pidfd (Linux) or kqueue (macOS) naming this process
    with own:
        own.kill(0)
        own.kill(signal.SIGCONT)
        assert own.pid == os.getpid() and own._pid == os.getpid() and own.fileno() == own._handle
        raises(ValueError, own.rusage)  # not a reaped child
        raises(ValueError, own.kill, -1)
        raises(ValueError, own.kill, 4096)
        raises(ValueError, own.kill, 2**70)
        raises(TypeError, own.kill, "x")
        raises(TypeError, own.kill, 0, 0)
        assert own._status is None and own._usage is None
    hit("ProcessBase.pid", "ProcessBase._pid", "ProcessBase._status", "ProcessBase._usage", "ProcessBase.__new__",
        "ProcessBase.fileno")  # fmt: skip
    raises(macres.ClosedResourceError, own.kill, 0)
    raises(macres.ClosedResourceError, own.rusage)
    raises(macres.ClosedResourceError, own.fileno)
    child = macres.Process.spawn(["sleep", "30"])
    try:
        child.kill(0)
        raises(ValueError, child.rusage)
        child.kill()  # SIGKILL by default
        assert child.wait().signal == signal.SIGKILL
        assert child.kill(0) is None  # reaped: a no-op without a system call, as Popen's
        raises(ValueError, child.kill, -1)  # still checked
        assert child.rusage() is child.rusage()
    finally:
        child.close()
    assert isinstance(child.rusage(), _core.ResourceUsage)  # readable after close
    assert child.kill() is None  # the status is known: a no-op also after close
    other = macres.Process(os.getppid())
    with other:
        other.kill(0)
        raises(ValueError, other.rusage)
    drive_raw_processes()


def drive_processes_without_pidfds() -> None:
    """Where pidfd_open is missing (valgrind knows no such call), the core's paths driven with stand-in descriptors."""
    own = _core.ProcessBase.__new__(_core.ProcessBase)
    own._configure(os.getpid())
    own._acquire(os.dup, 0)
    with own:
        attempt(own.kill, 0)  # pidfd_send_signal on a descriptor that is no pidfd: an OSError
        attempt(own.kill)
        assert own.pid == os.getpid() == own._pid and own.fileno() == own._handle
        raises(ValueError, own.rusage)
        raises(ValueError, own.kill, -1)
        raises(TypeError, own.kill, "x")
        raises(TypeError, own.kill, 0, 0)
        assert own._status is None and own._usage is None
    hit("ProcessBase.pid", "ProcessBase._pid", "ProcessBase._status", "ProcessBase._usage", "ProcessBase.__new__",
        "ProcessBase.fileno")  # fmt: skip
    raises(macres.ClosedResourceError, own.kill, 0)
    raises(macres.ClosedResourceError, own.fileno)
    pid = os.posix_spawnp("sleep", ["sleep", "30"], os.environ)
    child = _core.ProcessBase.__new__(_core.ProcessBase)
    child._configure(pid)
    child._acquire(os.dup, 0)
    try:
        assert child._wait4(os.WNOHANG) is None
        raises(ValueError, child.rusage)
        os.kill(pid, signal.SIGKILL)
        assert os.WTERMSIG(child._wait4(0)) == signal.SIGKILL
        assert child.kill(0) is None  # reaped: a no-op without a system call
        assert child.rusage() is child.rusage()
    finally:
        child.close()
    assert isinstance(child.rusage(), _core.ResourceUsage)
    assert child.kill() is None  # the status is known: a no-op also after close
    drive_raw_processes()


def drive_raw_processes() -> None:
    # a raw process whose handle is no descriptor: Linux signals the "pidfd" (EBADF), macOS goes to _send
    p = RawProcess.__new__(RawProcess)
    p.sent = []
    p._configure(4242)
    p._adopt(4242)
    if sys.platform == "linux":
        raises(OSError, p.kill, signal.SIGUSR1)
    else:
        p.kill(signal.SIGUSR1)
        raises(ProcessLookupError, p.kill, signal.SIGUSR2)
        assert p.sent == [(4242, signal.SIGUSR1), (4242, signal.SIGUSR2)]
    raises(TypeError, p._configure, "x")
    raises(NotImplementedError, _core.ProcessBase._send, p, 4242, 0)
    plainp = _core.ProcessBase.__new__(_core.ProcessBase)
    plainp._configure(4245)
    r, w = os.pipe()
    os.close(w)
    plainp._adopt(r)
    plainp.close()  # the core's release: _end_child (nothing here), then close(2)
    assert plainp.closed
    raises(OSError, os.fstat, r)
    assert plainp._end_child(4245) is None  # the object layer's hook; nothing in the core
    withfd = _core.ProcessBase.__new__(_core.ProcessBase)
    withfd._configure(4246)
    r, w = os.pipe()
    os.close(w)
    withfd._release(r)  # _end_child, then close(2) on the descriptor
    raises(OSError, os.fstat, r)
    raises(OverflowError, p._configure, 2**40)
    raises(TypeError, p._reaped, None)
    usage = _core.getrusage(0)
    ru = _core.ResourceUsage.from_raw(usage)
    p._reaped("exited", ru)
    assert p._status == "exited" and p.rusage() is ru
    p._reaped(None, None)
    p.close()
    # a reference cycle through the reaped status: the collector clears it (tp_traverse, tp_clear)
    q = RawProcess.__new__(RawProcess)
    q.sent = []
    q._configure(4243)
    q._adopt(4243)
    q._reaped([q], None)
    q.close()
    ref = weakref.ref(q)
    del q
    gc.collect()
    assert ref() is None
    # an unclosed process handle collected with its status set
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        q = RawProcess.__new__(RawProcess)
        q.sent = []
        q._configure(4244)
        q._adopt(os.dup(0) if os.isatty(0) else os.open(os.devnull, os.O_RDONLY))
        q._reaped("done", ru)
        assert q.kill(0) is None and q.sent == []  # "reaped": a no-op before any call (no _send either)
        q._release = lambda handle: os.close(handle)  # type: ignore[method-assign]
        del q
        gc.collect()
    bare = _core.ProcessBase()
    assert bare.closed
    raises(macres.ClosedResourceError, bare.kill, 0)
    raises(macres.ClosedResourceError, bare.fileno)
    del bare
    # the pid after fork: the child's own (pthread_atfork refresh)
    if hasattr(os, "fork"):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.write(w, str(macres.Process.current().pid).encode())
            finally:
                os._exit(0)
        os.close(w)
        got = os.read(r, 32)
        os.close(r)
        os.waitpid(pid, 0)
        assert int(got) == pid, (got, pid)


# -- spawning -------------------------------------------------------------------------------------
def _spawn_args(**over: Any) -> tuple[Any, ...]:
    """core.spawn's arguments for /bin/true, with *over* replacing some by name."""
    args = {"executables": (b"/nonexistent/true", b"/bin/true"), "argv": (b"true",), "envp": (b"A=1",),
            "cwd": b"/", "stdin": -1, "stdout": -1, "stderr": -1, "pass_fds": (), "setsid": False,
            "pgroup": -1, "umask": 0o22, "uid": -1, "gid": -1, "groups": None, "rlimits": ()}  # fmt: skip
    args.update(over)
    return tuple(args.values())


def _spawned(started: Any) -> None:
    """Close the pidfd and reap a child the driver spawned; valgrind turns vfork into fork, so an exec failure may come back as 127."""
    pid, pidfd = started
    assert isinstance(pid, int) and pid > 0
    assert pidfd >= 0 or pidfd in (-errno.ENOSYS, -errno.ESRCH), pidfd
    if pidfd >= 0:
        os.close(pidfd)
    os.waitpid(pid, 0)


def drive_spawn() -> None:
    r, w = os.pipe()
    try:
        _spawned(_core.spawn(*_spawn_args(envp=None, cwd=None, stdout=w, pass_fds=(r,), setsid=True,
                                          rlimits=((resource_nofile(), 64, 64),), groups=None)))  # fmt: skip
        _spawned(_core.spawn(*_spawn_args(stdin=1, stdout=0, pgroup=0, umask=-1)))
    finally:
        os.close(r)
        os.close(w)
    for bad in (_spawn_args(executables=(b"/nonexistent/a",)), _spawn_args(cwd=b"/nonexistent"),
                _spawn_args(rlimits=((resource_nofile(), 64, 32),))):  # fmt: skip
        try:
            _spawned(_core.spawn(*bad))
        except OSError:
            pass
    raises(TypeError, _core.spawn, *_spawn_args(argv=[b"true"]))
    raises(TypeError, _core.spawn, *_spawn_args(cwd="/"))
    raises(TypeError, _core.spawn, *_spawn_args(groups=[1]))
    raises(TypeError, _core.spawn, *_spawn_args(rlimits=((1, 2),)))
    raises(TypeError, _core.spawn, *_spawn_args(pass_fds=("x",)))
    raises(ValueError, _core.spawn, *_spawn_args(argv=()))
    raises(ValueError, _core.spawn, *_spawn_args(argv=(b"a\0b",)))
    raises(ValueError, _core.spawn, *_spawn_args(envp=(b"A=1", "B=2")))
    raises(ValueError, _core.spawn, *_spawn_args(cwd=b"/\0"))
    raises(ValueError, _core.spawn, *_spawn_args(pass_fds=(5, 4)))
    raises(OverflowError, _core.spawn, *_spawn_args(groups=(-1,)))
    raises(TypeError, _core.spawn, 1, 2)
    hit("spawn")


def resource_nofile() -> int:
    return raw.ABI.RLIMIT_NOFILE


# -- values ---------------------------------------------------------------------------------------
def drive_values(tmp: pathlib.Path) -> None:
    path = tmp / "v"
    path.write_bytes(b"values")
    st = _core.stat(path)
    fields = [getattr(st, n) for n in dir(st) if n.startswith("st_")]
    assert len(fields) == 20 and st.st_size == 6 and st.st_birthtime is None
    hit(*(f"Stat.{n}" for n in dir(st) if n.startswith("st_")))
    assert repr(st).startswith("Stat(st_mode=") and hash(st) == hash(_core.stat(path))
    assert st == _core.stat(path) and st != 5 and st != _core.stat(tmp)
    assert not (st != _core.stat(path))  # noqa: SIM202 - __ne__ itself
    raises(TypeError, lambda: st < st)
    assert pickle.loads(pickle.dumps(st)) == st and st.__reduce__()[0] == _core.Stat.from_fields
    hit("Stat.__repr__", "Stat.__hash__", "Stat.__eq__", "Stat.__new__")
    s2 = _core.Stat(os.stat(path))
    assert s2 == st
    s3 = _core.Stat(os.stat(path), (1_500_000_000_123_456_789, 7, 8))
    assert s3.st_birthtime_ns == 1_500_000_000_123_456_789 and s3.st_flags == 7 and s3.st_gen == 8
    assert s3.st_birthtime > 1.5e9 and s3 != st
    s4 = _core.Stat(result=os.stat(path), extra=None)
    assert s4 == st

    class WithBirth:
        def __getattr__(self, name: str) -> Any:
            if name == "st_birthtime":
                return -1.25
            if name in ("st_flags", "st_gen"):
                return 3
            return getattr(os.stat(path), name)

    assert _core.Stat(WithBirth()).st_birthtime_ns == -1_250_000_000
    raises(TypeError, _core.Stat, os.stat(path), (1, 2))
    raises(TypeError, _core.Stat, os.stat(path), [1, 2, 3])
    raises(AttributeError, _core.Stat, object())
    raises(TypeError, _core.Stat)
    raises(TypeError, _core.Stat, os.stat(path), None, 3)

    class BadBirth(WithBirth):
        def __getattr__(self, name: str) -> Any:
            return "x" if name == "st_birthtime" else super().__getattr__(name)

    raises(TypeError, _core.Stat, BadBirth())

    class HugeBirth(WithBirth):
        def __getattr__(self, name: str) -> Any:
            return 1e300 if name == "st_birthtime" else super().__getattr__(name)

    raises((OverflowError, ValueError), _core.Stat, HugeBirth())
    key = list(st.__reduce__()[1])
    assert _core.Stat.from_fields(*key) == st and _core.Stat.from_fields(*key[:13]) == st
    big = key[:]
    big[7] = 10**20 + 5  # a time past the fast path (sec beyond 9e9)
    big[8] = -(10**20) - 5
    big[4] = -1
    big[5] = 2**32 - 1
    big[1] = 2**63 + 1
    big[13:16] = [10**19, 2**63, 0]
    b = _core.Stat.from_fields(*big)
    assert b.st_atime_ns == 10**20 + 5 and b.st_mtime_ns == -(10**20) - 5
    assert b.st_birthtime_ns == 10**19 and b.st_flags == 2**63 and b.st_ino == 2**63 + 1
    repr(b), hash(b), b.st_atime, b.st_birthtime
    assert pickle.loads(pickle.dumps(b)) == b
    kw = dict(zip(["st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
                   "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev"], key, strict=False))  # fmt: skip
    assert _core.Stat.from_fields(**kw) == st
    raises(TypeError, _core.Stat.from_fields, *key[:12])
    raises(TypeError, _core.Stat.from_fields, *key, 1, 2, 3, 4)
    raises(TypeError, _core.Stat.from_fields, *key[:13], bogus=1)
    for i, bad in ((0, "x"), (0, 2**64), (0, -(2**64)), (6, 2**64), (7, 1.5), (7, "x"), (12, -(2**64)),
                   (13, 1.5), (14, -(2**64)), (15, "x"), (10, 2**64), (11, "x")):  # fmt: skip
        args = key[:13] + [None, None, None]
        args[i] = bad
        raises((TypeError, OverflowError, ValueError), _core.Stat.from_fields, *args)

    class Divmod:
        def __divmod__(self, other: Any) -> Any:
            return 5

    args = key[:13]
    args[7] = Divmod()
    raises(TypeError, _core.Stat.from_fields, *args)

    # Rusage and ResourceUsage
    ru = _core.getrusage(0)
    c_fields = ru.__reduce__()[1]
    assert len(c_fields) == 16 and _core.Rusage(*c_fields) == ru
    names = [n for n in dir(ru) if n.startswith("ru_")]
    assert _core.Rusage(**dict(zip([
        "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
        "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
    ], c_fields, strict=True))) == ru  # fmt: skip
    hit(*(f"Rusage.{n}" for n in names), *(f"ResourceUsage.{n}" for n in names))
    for n in names:
        getattr(ru, n)
    assert repr(ru).startswith("Rusage(ru_utime=") and hash(ru) == hash(_core.Rusage(*c_fields))
    assert pickle.loads(pickle.dumps(ru)) == ru and ru != 5 and not (ru != ru)  # noqa: SIM202 - __ne__
    raises(TypeError, lambda: ru < ru)
    hit("Rusage.__repr__", "Rusage.__hash__", "Rusage.__eq__", "Rusage.__new__")
    raises(TypeError, _core.Rusage, *c_fields[:15])
    raises(TypeError, _core.Rusage, "x", *c_fields[1:])
    raises(TypeError, _core.Rusage, c_fields[0], "x", *c_fields[2:])
    raises(TypeError, _core.Rusage, *c_fields[:15], "x")
    raises(OverflowError, _core.Rusage, *c_fields[:15], 2**70)
    nu = _core.ResourceUsage(c_fields)
    assert nu == _core.ResourceUsage.from_raw(ru) and nu.ru_maxrss == ru.ru_maxrss * (1024 if sys.platform.startswith("linux") else 1)
    for n in names:
        getattr(nu, n)
    assert nu != ru and repr(nu).startswith("ResourceUsage(") and hash(nu) == hash(_core.ResourceUsage(c_fields))
    assert pickle.loads(pickle.dumps(nu)) == nu and nu.__reduce__()[0] is _core.ResourceUsage
    hit("ResourceUsage.__repr__", "ResourceUsage.__hash__", "ResourceUsage.__eq__", "ResourceUsage.__new__")
    assert _core.ResourceUsage(c_fields=list(c_fields)) == nu
    raises(ValueError, _core.ResourceUsage, c_fields[:15])
    raises(TypeError, _core.ResourceUsage, 5)
    raises(TypeError, _core.ResourceUsage)
    raises(TypeError, _core.ResourceUsage, ["x"] * 16)

    class RawLike:
        def __getattr__(self, name: str) -> Any:
            return getattr(ru, name)

    assert _core.ResourceUsage.from_raw(RawLike()) == nu
    raises(AttributeError, _core.ResourceUsage.from_raw, object())

    class BadRaw(RawLike):
        def __getattr__(self, name: str) -> Any:
            return "x" if name == "ru_nivcsw" else super().__getattr__(name)

    raises(TypeError, _core.ResourceUsage.from_raw, BadRaw())


# -- EventQueueBase and Event --------------------------------------------------------------------------------
def drive_events(tmp: pathlib.Path) -> None:
    ev = _core.Event(1, "d", True, False)
    ev2 = _core.Event(obj=1, data="d", readable=True, writable=False, eof=False, error=False)
    assert ev == ev2 and (ev != ev2) is False and ev != 5 and hash(ev) == hash(ev2)
    raises(TypeError, lambda: ev < ev2)
    assert repr(ev).startswith("Event(obj=1") and pickle.loads(pickle.dumps(ev)) == ev
    assert (ev.obj, ev.data, ev.readable, ev.writable, ev.eof, ev.error) == (1, "d", True, False, False, False)
    raises(AttributeError, setattr, ev, "data", 2)
    raises(TypeError, _core.Event, 1)
    raises(TypeError, hash, _core.Event(1, [], True, True))
    assert _core.Event[int] is not None and _core.EventQueueBase[int] is not None
    hit("Event.__new__", "Event.__repr__", "Event.__hash__", "Event.__eq__", "Event.__reduce__")
    hit(*(f"Event.{n}" for n in ("obj", "data", "readable", "writable", "eof", "error")))
    if raw.SYSTEM != "linux":
        return
    abi = raw.ABI
    r, w = os.pipe()
    h = _core.FdHandle()
    h._adopt(r)
    keep = os.dup(r)
    waker = _core.FdHandle()
    waker._adopt(raw.eventfd(0, abi.EFD_CLOEXEC | abi.EFD_NONBLOCK))
    epfd = raw.epoll_create1(abi.EPOLL_CLOEXEC)
    raw.epoll_ctl(epfd, abi.EPOLL_CTL_ADD, waker.fileno(), abi.EPOLLIN, 0)
    q = _core.EventQueueBase()
    regs: dict[int, Any] = {1: (h, "r", 1)}
    regs.update({n: (n, "unused", 1) for n in range(100, 140)})  # more than fit the stack buffers
    raises(TypeError, q._setup, epfd, 5, {})
    raises(TypeError, q._setup, epfd, None, [])
    raises(TypeError, q._setup, epfd)
    q._setup(epfd, waker, regs)
    raises(RuntimeError, q._setup, epfd, None, {})
    assert q._regs is regs and q._waker is waker
    hit("EventQueueBase._regs", "EventQueueBase._waker", "EventQueueBase.__new__")
    raw.epoll_ctl(epfd, abi.EPOLL_CTL_ADD, r, abi.EPOLLIN, 1)
    assert q.wait(0) == []
    os.write(w, b"x")
    assert [e.data for e in q.wait(0.5, 8)] == ["r"]
    assert [e.data for e in q.wait(timeout=None, max_events=100)] == ["r"]
    for bad, exc in (((-1,), ValueError), ((math.nan,), ValueError), (("x",), TypeError), ((0, 0), ValueError),
                     ((0, 1 << 40), OverflowError), ((0, "2"), TypeError), ((0, 1, 2), TypeError)):  # fmt: skip
        raises(exc, q.wait, *bad)
    raises(TypeError, q.wait, nope=1)
    regs[3] = "not a record"
    raw.epoll_ctl(epfd, abi.EPOLL_CTL_ADD, w, abi.EPOLLOUT, 3)
    raises(TypeError, q.wait, 0)
    regs[3] = (w, "bad interest", "x")
    raises(TypeError, q.wait, 0)
    raw.epoll_ctl(epfd, abi.EPOLL_CTL_DEL, w)
    del regs[3]
    h.close()  # closed while registered; the dup keeps its epoll entry ready
    assert q.wait(0) == [] and 1 not in regs
    q._forget(12345)
    raises(TypeError, q._forget, [])
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(attempt(q.wait)))
    t.start()
    wait_inflight(q, t)
    q.close()
    t.join(30)
    assert isinstance(box[0], macres.ClosedResourceError) and waker.closed
    q.close()
    raises(macres.ClosedResourceError, q.wait)
    raises(macres.ClosedResourceError, q.detach)
    os.close(keep)
    os.close(w)

    q2 = _core.EventQueueBase()
    q2._setup(raw.epoll_create1(0), None, {})
    os.close(q2.detach())

    class Sub(_core.EventQueueBase):
        pass

    with Unraisable(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        s = Sub()
        w2 = _core.FdHandle()
        w2._adopt(raw.eventfd(0, abi.EFD_CLOEXEC))
        s._setup(raw.epoll_create1(abi.EPOLL_CLOEXEC), w2, {1: (s, s, 1)})
        s.cycle = s
        del s, w2
        gc.collect()


# -- directories ---------------------------------------------------------------------------------------------
def drive_directories(tmp: pathlib.Path) -> None:
    """DirectoryBase's iteration and _read_all, the iterator's close and context, DirectoryEntry's value paths."""
    for i in range(300):  # more than one getdents64 batch of long names
        (tmp / f"{i:04d}-{'x' * 120}").write_bytes(b"")
    (tmp / "sub").mkdir()
    os.symlink("sub", tmp / "link")
    os.mkfifo(tmp / "fifo")
    d = macres.opendir(tmp)
    entries = list(d)
    assert len(entries) == 303
    assert sorted(entries, key=lambda e: e.name) == sorted(d._read_all(), key=lambda e: e.name)
    it = iter(d)
    next(it)
    it.close()
    it.close()
    raises(StopIteration, next, it)
    with iter(d) as it2:
        next(it2)
    hit("_DirectoryIterator.__enter__", "_DirectoryIterator.__exit__", "DirectoryBase.__iter__",
        "_DirectoryIterator.__next__", "_DirectoryIterator.__iter__")  # fmt: skip
    assert iter(it2) is it2
    it3 = iter(d)
    next(it3)
    del it3  # dealloc with its descriptor open
    it4 = iter(d)
    next(it4)
    d.close()
    raises(macres.ClosedResourceError, next, it4)
    raises(StopIteration, next, it4)
    raises(macres.ClosedResourceError, iter, d)
    raises(macres.ClosedResourceError, d._read_all)
    e = entries[0]
    E = _core.DirectoryEntry
    same = E(e.name, e.inode, int(e.type))
    assert same == e and (same != e) is False and hash(same) == hash(e)
    assert (e == 1) is False
    assert "DirectoryEntry(name=" in repr(e)
    assert pickle.loads(pickle.dumps(e)) == e
    assert e.__reduce__()[0] is E
    raises(ValueError, E, "x", 1, 3)
    raises(ValueError, E, "x", 1, 99)
    raises(TypeError, E, b"x", 1, 8)
    raises(TypeError, E)
    raises(OverflowError, E, "x", -1, 8)
    hit("DirectoryEntry.__new__", "DirectoryEntry.__repr__", "DirectoryEntry.__hash__", "DirectoryEntry.__eq__",
        "DirectoryEntry.name", "DirectoryEntry.inode", "DirectoryEntry.type", "DirectoryEntry.__reduce__")  # fmt: skip
    assert (e.name, e.inode, e.type) is not None
    f = macres.open(tmp / "fifo", os.O_RDONLY | os.O_NONBLOCK)
    not_dir = _core.DirectoryBase._take(f)
    raises(NotADirectoryError, iter, not_dir)
    raises(OSError, not_dir._read_all)  # ESPIPE (lseek) on Linux
    not_dir.close()


# -- the whole drive ---------------------------------------------------------------------------------------
def drive_fault_hook(tmp: pathlib.Path) -> None:
    """The fault hook (macres.testing.faults): failures, short transfers, EINTR, a raising or wrong hook."""
    raises(TypeError, _core.set_fault_hook, 42)
    answers: dict[str, Any] = {}

    def hook(call: str, length: int) -> Any:
        answer = answers.get(call, length if length >= 0 else 0)
        if isinstance(answer, list):  # one answer per attempt
            answer = answer.pop(0) if answer else (length if length >= 0 else 0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    try:
        _core.set_fault_hook(hook)
        assert _core.get_fault_hook() is hook
        f = Fd.open(tmp / "f", "w+")
        answers.update(fstat=-errno.EIO, write=3, pwrite=[-errno.EINTR], read="nan", pread=RuntimeError("hook"))
        raises(OSError, f.fstat)
        assert f.write(b"abcdef") == 3
        assert f.pwrite(b"xy", 0) == 2
        raises(TypeError, f.read, 2)
        raises(RuntimeError, f.pread, 2, 0)
        raises(RuntimeError, f.pread_into, bytearray(2), 0)
        answers.update(openat=-errno.EMFILE, dup=-errno.EMFILE, pipe=-errno.ENFILE, close=-errno.EIO)
        raises(OSError, Fd.open, tmp / "f", "r")
        raises(OSError, f.dup)
        raises(OSError, Fd._pipe)
        raises(OSError, f.close)
        raises(OSError, _core.close, os.open(tmp / "f", os.O_RDONLY))
        answers.clear()
        a, b = RawSocket._pair(stdsocket.AF_UNIX, stdsocket.SOCK_STREAM, 0)
        answers.update(send=1, recv=[-errno.EINTR])
        assert a.send(b"abc") == 1
        a.sendall(b"bc")
        assert b.recv(10) == b"abc"
        answers.update(send=-errno.EPIPE, recv=RuntimeError("hook"))
        raises(OSError, a.send, b"x")
        raises(RuntimeError, b.recv_into, bytearray(1))
        answers.clear()
        answers.update(sendto=1, recvfrom=[-errno.EINTR], getsockopt=-errno.ENOPROTOOPT, setsockopt=-errno.EINVAL)
        assert _core.sendto(a.fileno(), b"xy") == 1
        assert _core.recvfrom(b.fileno(), bytearray(4))[0] == 1
        raises(OSError, a.getsockopt, stdsocket.SOL_SOCKET, stdsocket.SO_TYPE)
        raises(OSError, _core.getsockopt, a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_TYPE, bytearray(4))
        raises(OSError, _core.setsockopt, a.fileno(), stdsocket.SOL_SOCKET, stdsocket.SO_SNDBUF, b"\0\0\1\0")
        answers.clear()
        a.close()
        b.close()
        answers.update(socket=-errno.EMFILE, socketpair=RuntimeError("hook"))
        raises(OSError, macres.Socket, stdsocket.AF_UNIX, stdsocket.SOCK_STREAM)
        raises(RuntimeError, RawSocket._pair, stdsocket.AF_UNIX, stdsocket.SOCK_STREAM, 0)
        answers.clear()
        # process, event-wait, mapping and listing calls: an errno, EINTR retried, a raising hook
        # a core ProcessBase over a stand-in descriptor: valgrind has no pidfd_open, and the hook answers first
        pid = os.posix_spawnp("sleep", ["sleep", "30"], os.environ)
        child = _core.ProcessBase.__new__(_core.ProcessBase)
        child._configure(pid)
        child._acquire(os.dup, 0)
        with child, macres.EventQueue() as queue:
            answers.update(pidfd_send_signal=-errno.EPERM, wait4=[-errno.EINTR], epoll_wait=[-errno.EINTR])
            raises(OSError, child.kill, 0)
            assert child._wait4(os.WNOHANG) is None
            assert queue.wait(0) == []
            answers.update(pidfd_send_signal=RuntimeError("hook"), wait4=-errno.ECHILD, epoll_wait=RuntimeError("hook"))
            raises(RuntimeError, child.kill, 0)
            raises(OSError, child._wait4, os.WNOHANG)
            raises(RuntimeError, queue.wait, 0)
            answers.clear()
            os.kill(pid, signal.SIGKILL)
            assert os.WTERMSIG(child._wait4(0)) == signal.SIGKILL
        me = macres.Process.current()
        answers.update(kill=-errno.EPERM, getrusage=RuntimeError("hook"))
        raises(OSError, me.kill, 0)
        raises(OSError, _core.kill, os.getpid(), 0)
        raises(RuntimeError, me.rusage)
        raises(RuntimeError, _core.getrusage, 0)
        answers.update(mmap=-errno.ENOMEM, mprotect=RuntimeError("hook"), getdents64=-errno.EIO)
        raises(OSError, macres.MappedRegion.anonymous, 4096)
        answers.pop("mmap")
        with macres.MappedRegion.anonymous(4096) as region:
            raises(RuntimeError, region.mprotect, macres.PROT_READ)
        with macres.opendir(tmp) as d:
            raises(OSError, list, d)
        answers.clear()
    finally:
        _core.set_fault_hook(None)
    assert _core.get_fault_hook() is None


STEPS: list[Callable[[pathlib.Path], None]] = [
    lambda tmp: drive_handle(),
    drive_hook_and_finalizers,
    drive_fault_hook,
    drive_files,
    drive_raw,
    drive_sockets,
    drive_regions,
    lambda tmp: drive_processes(),
    lambda tmp: drive_spawn(),
    drive_values,
    drive_events,
    drive_directories,
]


def drive_once() -> None:
    with tempfile.TemporaryDirectory(prefix="macres-memcheck-") as d:
        for step in STEPS:
            tmp = pathlib.Path(d) / str(STEPS.index(step))
            tmp.mkdir()
            step(tmp)
    gc.collect()


def _settle() -> None:
    """Collect garbage and empty CPython's method cache (it keeps up to 4096 attribute names alive)."""
    gc.collect()
    sys._clear_type_cache()
    gc.collect()


def check_leaks(rounds: int) -> int:
    """Run the drive *rounds* times natively; fail when the heap grows by a block or more per round.

    Every path of the drive runs once per round, so a reference leaked on any
    of them grows the heap by at least one block per round; valgrind cannot
    see such a leak when the object stays reachable (a type's cache, a list).
    """
    import tracemalloc

    if sys.getallocatedblocks() == 0:
        sys.exit("drive_core: --leaks needs pymalloc (unset PYTHONMALLOC)")
    for _ in range(3):  # warm caches: interned strings, imports, warnings registries
        drive_once()
    _settle()
    before = sys.getallocatedblocks()
    for _ in range(rounds):
        drive_once()
    _settle()
    growth = sys.getallocatedblocks() - before
    if growth < rounds:
        print(f"drive_core: the heap grew by {growth} blocks over {rounds} rounds: no leak (compiled core)")
        return 0
    print(f"drive_core: the heap grew by {growth} blocks over {rounds} rounds; where:", file=sys.stderr)
    tracemalloc.start(16)
    _settle()
    base = tracemalloc.take_snapshot()
    for _ in range(rounds):
        drive_once()
    _settle()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    here = [tracemalloc.Filter(True, __file__)]
    for stat in after.filter_traces(here).compare_to(base.filter_traces(here), "lineno")[:15]:
        if stat.count_diff >= rounds:
            print(f"  +{stat.count_diff} blocks, +{stat.size_diff} bytes: {stat.traceback}", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaks", type=int, metavar="N", help="run N rounds natively and fail on heap growth")
    args = parser.parse_args()
    if args.leaks:
        return check_leaks(args.leaks)
    sys.setprofile(_profile)
    threading.setprofile(_profile)
    try:
        drive_once()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    missing = sorted(expected_entry_points() - HIT)
    if missing:
        print("drive_core: entry points of macres._core not driven: " + ", ".join(missing), file=sys.stderr)
        return 1
    print(f"drive_core: drove {len(expected_entry_points())} entry points of the compiled core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
