"""The checks ``macres selftest`` runs: every object end to end, and the ABI against the kernel.

Each check exercises one thing on this machine and compares it with an
oracle that does not go through macres: the stdlib (``os``, ``resource``,
``socket``, ``fcntl``), the file system, or a child process.  A check
returns a short detail on success, raises :class:`Skip` with the reason
when this machine cannot run it (no IPv6, ``mlock`` refused by the limit),
and fails with any other exception, whose type, message and traceback go
into the report.  The output is meant to be pasted into a bug report, so
it starts with :func:`environment`.

The ABI checks use the raw layer's private prototypes (the C functions
with their pointer arguments) so that a buffer larger than the struct,
filled with guard bytes, shows whether the kernel writes past the size
macres believes the struct has.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import importlib
import importlib.util
import mmap
import os
import platform
import resource
import select
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import IO, TYPE_CHECKING, Final, Literal, TypeVar

import attrs

from . import raw
from .raw._errcheck import check_int
from .raw._libc import function

if TYPE_CHECKING:
    from ._handle import HasFileno
    from .sources import FileWatch, WatchEvent

__all__ = ["CHECKS", "Check", "Context", "Result", "Skip", "environment", "run"]

Status = Literal["pass", "fail", "skip"]
_abi = raw.ABI


class Skip(Exception):
    """Raised by a check that cannot run here; the message is the reason."""


class Failure(Exception):
    """Raised by a check whose oracle disagrees; the message says how."""


@attrs.frozen
class Result:
    """The outcome of one check: ``area``/``name`` say what, ``detail`` what was seen or why."""

    area: str
    name: str
    status: Status
    detail: str
    traceback: str | None = None


@attrs.define
class Context:
    """What checks share during a run: a private temporary directory."""

    tmp: str

    def path(self, name: str) -> str:
        """A path inside the run's temporary directory."""
        return os.path.join(self.tmp, name)


@attrs.frozen
class Check:
    """One registered check: its area, its name, and the function that runs it."""

    area: str
    name: str
    func: Callable[[Context], str]


CHECKS: list[Check] = []

#: Areas in report order.
AREAS: Final = ("abi", "fd", "files", "process", "memory", "socket", "event", "async", "lifecycle")
_ORDER: Final = {area: i for i, area in enumerate(AREAS)}


def _check(area: str, name: str) -> Callable[[Callable[[Context], str]], Callable[[Context], str]]:
    def register(func: Callable[[Context], str]) -> Callable[[Context], str]:
        CHECKS.append(Check(area, name, func))
        return func

    return register


def expect(condition: bool, message: str) -> None:
    """Raise :class:`Failure` with *message* unless *condition* (checks never use ``assert``)."""
    if not condition:
        raise Failure(message)


def expect_equal(what: str, ours: object, oracle: object) -> None:
    """Raise :class:`Failure` naming *what* unless macres's value equals the oracle's."""
    if ours != oracle:
        raise Failure(f"{what}: macres {ours!r} != expected {oracle!r}")


def _module(name: str) -> ModuleType:
    """Import ``macres.<name>``; Skip when this build has no such module (ImportError inside it fails)."""
    full = f"{__package__}.{name}"
    if importlib.util.find_spec(full) is None:
        raise Skip(f"macres.{name} is not part of this build")
    return importlib.import_module(full)


# -- the report header -------------------------------------------------------------------
def _os_version() -> str:
    if raw.SYSTEM == "darwin":
        release, _, machine = platform.mac_ver()
        return f"macOS {release or '?'} ({machine or platform.machine()})"
    try:
        info = platform.freedesktop_os_release()
    except OSError:
        return "Linux (no os-release)"
    return info.get("PRETTY_NAME") or info.get("NAME", "Linux")


def environment() -> dict[str, str]:
    """What a bug report needs to know about this machine, Python and macres."""
    from . import __version__, _backend

    uname = platform.uname()
    core = "compiled (macres._core)" if _backend.compiled is not None else f"pure Python ({_backend.REASON})"
    libc_name, libc_version = platform.libc_ver()
    return {
        "macres": f"{__version__} ({os.path.dirname(os.path.abspath(__file__))})",
        "core": core,
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "platform": f"{raw.SYSTEM} {raw.ARCH}, ABI module {_abi.__name__}",
        "os": _os_version(),
        "kernel": f"{uname.system} {uname.release} {uname.version}",
        "machine": uname.machine,
        "libc": f"{_abi.LIBC_NAME}" + (f" ({libc_name} {libc_version})" if libc_name else ""),
        "user": f"uid {os.getuid()} euid {os.geteuid()}" + (" (root)" if os.geteuid() == 0 else ""),
    }


# -- running ------------------------------------------------------------------------------
def _open_fds() -> set[int]:
    from .testing import open_descriptors

    return open_descriptors()


def _run_one(check: Check, ctx: Context) -> Result:
    try:
        detail = check.func(ctx)
    except Skip as exc:
        return Result(check.area, check.name, "skip", str(exc))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a line of the report
        reason = str(exc) if isinstance(exc, Failure) else f"{type(exc).__name__}: {exc}"
        return Result(check.area, check.name, "fail", reason, traceback.format_exc())
    return Result(check.area, check.name, "pass", detail)


def run(areas: frozenset[str] | None = None) -> list[Result]:
    """Run the checks (of *areas*, default all) in a fresh temporary directory; return every result.

    The last check of a full run compares this process's open descriptors
    and children with what it had before the checks: macres objects must
    leave nothing behind, also when a check failed half-way.
    """
    results: list[Result] = []
    fds_before = _open_fds()
    with tempfile.TemporaryDirectory(prefix="macres-selftest-") as tmp:
        ctx = Context(tmp)
        for check in sorted(CHECKS, key=lambda c: _ORDER.get(c.area, len(AREAS))):  # stable: registration order within an area
            if areas is None or check.area in areas:
                results.append(_run_one(check, ctx))
    if areas is None or "lifecycle" in areas:
        results.append(_leak_check(fds_before))
    return results


def _leak_check(fds_before: set[int]) -> Result:
    name = "no descriptors or children left behind"
    leaked = sorted(_open_fds() - fds_before)
    zombies: list[int] = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        zombies.append(pid)
    if leaked or zombies:
        what = []
        if leaked:
            what.append(f"descriptors {leaked} still open")
        if zombies:
            what.append(f"unreaped children {zombies} (reaped now)")
        return Result("lifecycle", name, "fail", "; ".join(what))
    return Result("lifecycle", name, "pass", f"{len(fds_before)} descriptors before and after, no children")


# -- helpers for the ABI checks ------------------------------------------------------------
_GUARD: Final = 256

# The C calls with their pointer arguments, so a guard buffer can stand in for the struct.
# The raw layer may take the stdlib's path for a call; these always go through ctypes.
_c_int, _c_void_p = ctypes.c_int, ctypes.c_void_p
_fstat = function("fstat", _c_int, (_c_int, _c_void_p), check_int)
_fstatfs = function("fstatfs", _c_int, (_c_int, _c_void_p), check_int)
_getrlimit = function("getrlimit", _c_int, (_c_int, _c_void_p), check_int)
_getrusage = function("getrusage", _c_int, (_c_int, _c_void_p), check_int)
_gettimeofday = function("gettimeofday", _c_int, (_c_void_p, _c_void_p), check_int)
_getsockname = function("getsockname", _c_int, (_c_int, _c_void_p, _c_void_p), check_int)


_S = TypeVar("_S", bound=ctypes.Structure)


def _guarded(struct: type[_S], call: Callable[[int], object]) -> tuple[_S, int]:
    """Call *call(address)* on a buffer *_GUARD* bytes larger than *struct*, twice.

    The buffer is filled with 0xA5, then with 0x5A; a byte that changed in
    either run was written.  Returns the struct as the first run filled it
    and how far into the buffer the C library wrote.  Raises
    :class:`Failure` when it wrote past the struct.
    """
    size = ctypes.sizeof(struct)
    extent = 0
    first: _S | None = None
    for fill in (0xA5, 0x5A):
        buf = (ctypes.c_ubyte * (size + _GUARD))(*([fill] * (size + _GUARD)))
        call(ctypes.addressof(buf))
        data = bytes(buf)
        changed = [i for i, b in enumerate(data) if b != fill]
        if changed:
            extent = max(extent, changed[-1] + 1)
        if first is None:
            first = struct.from_buffer_copy(data[:size])
    expect(
        extent <= size,
        f"the C library wrote {extent} bytes into a buffer for a {size}-byte struct {struct.__name__}: "
        "macres's struct is too small for this system",
    )
    if first is None:  # pragma: no cover - the loop always runs
        raise Failure("no result")
    return first, extent


def _extent(size: int, extent: int) -> str:
    return f"sizeof {size}, written {extent}, {_GUARD} guard bytes intact"


@contextmanager
def _temp_file(ctx: Context, name: str, data: bytes = b"") -> Iterator[tuple[str, int]]:
    """A file with *data*, open O_RDWR with os.open; closed on exit."""
    path = ctx.path(name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        if data:
            os.write(fd, data)
        yield path, fd
    finally:
        os.close(fd)


_STAT_FIELDS: Final = (
    "st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
    "st_atime_ns", "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev",
)  # fmt: skip


def _compare_stat(ours: raw.Stat, theirs: os.stat_result) -> None:
    for field in _STAT_FIELDS:
        expect_equal(field, getattr(ours, field), getattr(theirs, field))
    for field in ("st_flags", "st_gen"):
        if hasattr(theirs, field):
            expect_equal(field, getattr(ours, field), getattr(theirs, field))
    birth = getattr(theirs, "st_birthtime", None)
    if birth is not None and ours.st_birthtime_ns is not None:
        expect(abs(ours.st_birthtime_ns / 1e9 - birth) < 1e-6, f"st_birthtime: {ours.st_birthtime} != {birth}")


# -- ABI: the platform module, structs, constants -----------------------------------------
@_check("abi", "platform module matches the machine")
def _platform_module(ctx: Context) -> str:
    system = platform.system().lower()
    expect_equal("system", raw.SYSTEM, system)
    machine = platform.machine()
    expected_arch = {"x86_64": "amd64" if system == "darwin" else "x86_64", "arm64": "arm64"}.get(machine, machine)
    expect_equal("arch", raw.ARCH, expected_arch)
    return f"{_abi.__name__} for {raw.SYSTEM} {raw.ARCH}"


@_check("abi", "bindings resolve in the C library")
def _bindings(ctx: Context) -> str:
    expect_equal("number of Go functions", len(raw.BINDINGS), 126)
    here = [b for b in raw.BINDINGS if b.available]
    for b in here:
        expect(callable(getattr(raw, b.python_name, None)), f"raw.{b.python_name} is missing")
    stdlib = sum(1 for b in here if b.implementation != "ctypes")
    return f"{len(here)} of {len(raw.BINDINGS)} available here ({stdlib} through the stdlib's C path)"


@_check("abi", "struct stat: raw.fstat/stat/lstat fields equal os's")
def _stat_fields(ctx: Context) -> str:
    with _temp_file(ctx, "stat", b"x" * 5000) as (path, fd):
        os.utime(path, ns=(1_234_567_891_123_456_789, 1_334_567_891_987_654_321))
        _compare_stat(raw.fstat(fd), os.fstat(fd))
        _compare_stat(raw.stat(path), os.stat(path))
        link = ctx.path("stat-link")
        os.symlink(path, link)
        try:
            _compare_stat(raw.lstat(link), os.lstat(link))
        finally:
            os.unlink(link)
    _compare_stat(raw.stat(ctx.tmp), os.stat(ctx.tmp))
    return f"{len(_STAT_FIELDS)} fields of a file, a symlink and a directory, nanosecond times"


@_check("abi", "struct stat: layout and size (ctypes fstat into a guarded buffer)")
def _stat_size(ctx: Context) -> str:
    with _temp_file(ctx, "stat-size", b"abc" * 1000) as (path, fd):
        os.utime(path, ns=(1_234_567_891_123_456_789, 1_334_567_891_987_654_321))
        cst, extent = _guarded(_abi.CStat, lambda addr: _fstat(fd, addr))
        _compare_stat(_abi.stat_value(cst), os.fstat(fd))
        _compare_stat(raw.fstatat(_abi.AT_FDCWD, path), os.stat(path))
    return f"every field decoded from macres's struct equals os.fstat; {_extent(ctypes.sizeof(_abi.CStat), extent)}"


@_check("abi", "struct statfs: raw.fstatfs against os.fstatvfs, size")
def _statfs(ctx: Context) -> str:
    with _temp_file(ctx, "statfs") as (_, fd):
        ours = raw.fstatfs(fd)
        theirs = os.fstatvfs(fd)
        _, extent = _guarded(_abi.CStatfs, lambda addr: _fstatfs(fd, addr))
    frsize = ours.f_frsize if ours.f_frsize else ours.f_bsize
    # macOS's statvfs has 32-bit block and file counts: Libc scales f_frsize up (and
    # the counts down) to fit, so totals agree to within one of its fragments.
    total, their_total = ours.f_blocks * frsize, theirs.f_blocks * theirs.f_frsize
    expect(
        abs(total - their_total) < max(theirs.f_frsize, 1),
        f"f_blocks: macres {ours.f_blocks} x {frsize} bytes, os {theirs.f_blocks} x {theirs.f_frsize}",
    )
    if ours.f_files <= 0xFFFFFFFF:
        expect_equal("f_files", ours.f_files, theirs.f_files)
    if ours.f_namelen is not None:
        expect_equal("f_namelen", ours.f_namelen, theirs.f_namemax)
    kind = ours.f_fstypename or f"type {ours.f_type:#x}"
    return f"{kind}, {ours.f_blocks} blocks of {frsize}; {_extent(ctypes.sizeof(_abi.CStatfs), extent)}"


@_check("abi", "struct flock: F_GETLK sees a lock Python's fcntl.lockf holds in a child")
def _flock_struct(ctx: Context) -> str:
    path = ctx.path("flock")
    with open(path, "wb") as f:
        f.write(b"\0" * 100)
    code = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "fcntl.lockf(fd, fcntl.LOCK_EX, 10, 20)\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as child:
        try:
            line = child.stdout.readline() if child.stdout else b""
            expect_equal("child", line.strip(), b"locked")
            fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
            try:
                lock = _abi.CFlock()
                lock.l_type = _abi.F_WRLCK
                lock.l_whence = os.SEEK_SET
                lock.l_start = 0
                lock.l_len = 0
                raw.fcntl(fd, _abi.F_GETLK, memoryview(lock).cast("B"))
            finally:
                os.close(fd)
        finally:
            if child.stdin:
                child.stdin.close()
            child.wait()
    expect_equal("l_type", lock.l_type, _abi.F_WRLCK)
    expect_equal("l_pid", lock.l_pid, child.pid)
    expect_equal("(l_start, l_len)", (lock.l_start, lock.l_len), (20, 10))
    return f"l_type, l_pid, l_start, l_len as the child set them (sizeof {ctypes.sizeof(_abi.CFlock)})"


@_check("abi", "struct rlimit: raw.getrlimit equals resource.getrlimit")
def _rlimits(ctx: Context) -> str:
    names = [n for n in _abi.CONSTANTS["rlimit"] if n != "RLIM_INFINITY" and hasattr(resource, n)]
    for name in names:
        number = _abi.CONSTANTS["rlimit"][name]
        expect_equal(f"resource.{name}", number, getattr(resource, name))
        lim = raw.getrlimit(number)
        soft, hard = resource.getrlimit(number)
        mask = (1 << 64) - 1  # RLIM_INFINITY is -1 to resource, all ones to C
        expect_equal(f"{name} (soft, hard)", (lim.rlim_cur & mask, lim.rlim_max & mask), (soft & mask, hard & mask))
    nofile = _abi.CONSTANTS["rlimit"]["RLIMIT_NOFILE"]
    _, extent = _guarded(_abi.CRlimit, lambda addr: _getrlimit(nofile, addr))
    return f"{len(names)} limits; {_extent(ctypes.sizeof(_abi.CRlimit), extent)}"


@_check("abi", "struct rusage: raw.getrusage between two resource.getrusage calls")
def _rusage(ctx: Context) -> str:
    self_ = _abi.RUSAGE_SELF
    before = resource.getrusage(resource.RUSAGE_SELF)
    ours = raw.getrusage(self_)
    after = resource.getrusage(resource.RUSAGE_SELF)
    for field in ("ru_maxrss", "ru_minflt", "ru_majflt", "ru_inblock", "ru_oublock", "ru_nvcsw", "ru_nivcsw"):
        low, mine, high = getattr(before, field), getattr(ours, field), getattr(after, field)
        expect(low <= mine <= high, f"{field}: macres {mine} outside {low}..{high}")
    for field in ("ru_utime", "ru_stime"):
        low, mine, high = getattr(before, field), getattr(ours, field), getattr(after, field)
        expect(low - 1e-6 <= mine <= high + 1e-6, f"{field}: macres {mine} outside {low}..{high}")
    _, extent = _guarded(_abi.CRusage, lambda addr: _getrusage(self_, addr))
    return f"16 fields in order; {_extent(ctypes.sizeof(_abi.CRusage), extent)}"


@_check("abi", "struct timeval: raw.gettimeofday between two time.time calls")
def _timeval(ctx: Context) -> str:
    low = time.time()
    tv = raw.gettimeofday()
    high = time.time()
    mine = tv.tv_sec + tv.tv_usec / 1e6
    expect(0 <= tv.tv_usec < 1_000_000, f"tv_usec {tv.tv_usec} out of range")
    expect(low - 2e-6 <= mine <= high + 2e-6, f"gettimeofday {mine} outside {low}..{high}")
    _, extent = _guarded(_abi.CTimeval, lambda addr: _gettimeofday(addr, None))
    return _extent(ctypes.sizeof(_abi.CTimeval), extent)


def _sockaddr_round_trip(family: int, address: raw.AddressArg, struct: type[ctypes.Structure]) -> str:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        raw.bind(s.fileno(), family, address)  # macres encodes...
        expect_equal("getsockname", raw.getsockname(s.fileno()), s.getsockname())  # ...and decodes
        s.listen(1)
        with socket.socket(family, socket.SOCK_STREAM) as c:
            raw.connect(c.fileno(), family, s.getsockname())
            expect_equal("getpeername", raw.getpeername(c.fileno()), c.getpeername())
            expect_equal("client getsockname", raw.getsockname(c.fileno()), c.getsockname())
            conn, _ = s.accept()
            conn.close()
        storage = (ctypes.c_ubyte * 256)()
        length = ctypes.c_uint32(128)
        _getsockname(s.fileno(), ctypes.addressof(storage), ctypes.byref(length))
        if family != socket.AF_UNIX:
            expect_equal("address length", length.value, ctypes.sizeof(struct))
        if _abi.HAS_SA_LEN:
            expect_equal("sa_len", storage[0], length.value)
            expect_equal("sa_family", storage[1], family)
        else:
            expect_equal("sa_family", storage[0] | storage[1] << 8, family)
        return f"{s.getsockname()!r}: bind, getsockname, connect, getpeername; length {length.value}"


@_check("abi", "sockaddr_in: encode and decode round trip against the socket module")
def _sockaddr_in(ctx: Context) -> str:
    return _sockaddr_round_trip(socket.AF_INET, ("127.0.0.1", 0), _abi.CSockaddrIn)


@_check("abi", "sockaddr_in6: encode and decode round trip against the socket module")
def _sockaddr_in6(ctx: Context) -> str:
    if not socket.has_ipv6:
        raise Skip("Python was built without IPv6")
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        raise Skip(f"no IPv6 loopback here: {exc}") from None
    return _sockaddr_round_trip(socket.AF_INET6, ("::1", 0, 0, 0), _abi.CSockaddrIn6)


@_check("abi", "sockaddr_un: encode and decode round trip against the socket module")
def _sockaddr_un(ctx: Context) -> str:
    return _sockaddr_round_trip(socket.AF_UNIX, ctx.path("sock"), _abi.CSockaddrUn)


@_check("abi", "struct kevent / epoll_event: a readable pipe reported with its data")
def _readiness(ctx: Context) -> str:
    r, w = os.pipe()
    try:
        if raw.available("kqueue"):
            kq = raw.kqueue()
            try:
                token = 0x5EED_0000_BEEF
                # darwin only: getattr, as mypy --platform linux does not know the names
                evfilt_read, ev_add = int(getattr(_abi, "EVFILT_READ")), int(getattr(_abi, "EV_ADD"))  # noqa: B009
                raw.kevent(kq, [raw.Kevent(r, evfilt_read, ev_add, udata=token)], 0)
                expect_equal("nothing ready yet", raw.kevent(kq, [], 4, 0), [])
                os.write(w, b"12345")
                events = raw.kevent(kq, [], 4, 5.0)
            finally:
                os.close(kq)
            expect_equal("events", len(events), 1)
            ev = events[0]
            got = (ev.ident, ev.filter, ev.data, ev.udata)
            expect_equal("(ident, filter, data, udata)", got, (r, evfilt_read, 5, token))
            return "kqueue: EVFILT_READ with ident, data (bytes ready) and udata intact"
        epfd = raw.epoll_create1(os.O_CLOEXEC)  # EPOLL_CLOEXEC is O_CLOEXEC
        try:
            token = 0x5EED_0000_BEEF
            epollin = int(getattr(select, "EPOLLIN", 1))
            raw.epoll_ctl(epfd, _abi.EPOLL_CTL_ADD, r, epollin, token)
            expect_equal("nothing ready yet", raw.epoll_wait(epfd, 4, 0), [])
            os.write(w, b"12345")
            ready = raw.epoll_wait(epfd, 4, 5.0)
        finally:
            os.close(epfd)
        expect_equal("(events, data)", ready, [(epollin, token)])
        return "epoll (Linux has no kqueue): EPOLLIN with the 64-bit data intact"
    finally:
        os.close(r)
        os.close(w)


@_check("abi", "fd_set: raw.select sees readable and writable pipe ends, low and high numbers")
def _fdset(ctx: Context) -> str:
    r, w = os.pipe()
    # Copies above 64 and 32 apart put the bits in other words of the set, whatever their width.
    high_r = fcntl.fcntl(r, fcntl.F_DUPFD, 100)
    high_w = fcntl.fcntl(w, fcntl.F_DUPFD, 133)
    fds = (r, w, high_r, high_w)
    try:
        for fd in fds:
            os.set_inheritable(fd, False)
        nfds = max(fds) + 1
        expect_equal("idle", raw.select(nfds, [r, high_r], [], [], 0), ([], [], []))
        os.write(w, b"x")
        got = raw.select(nfds, [r, high_r], [w, high_w], [], 5.0)
        expect_equal("ready", tuple(sorted(x) for x in got), (sorted([r, high_r]), sorted([w, high_w]), []))
    finally:
        for fd in fds:
            os.close(fd)
    return f"descriptors {sorted(fds)}; sizeof(fd_set) {ctypes.sizeof(_abi.CFdSet)}"


@_check("abi", "struct iovec: writev and readv through a pipe")
def _iovec(ctx: Context) -> str:
    r, w = os.pipe()
    try:
        expect_equal("writev", raw.writev(w, [b"abc", b"", bytearray(b"defg")]), 7)
        first, second = bytearray(2), bytearray(10)
        expect_equal("readv", raw.readv(r, [first, second]), 7)
    finally:
        os.close(r)
        os.close(w)
    expect_equal("buffers", (bytes(first), bytes(second[:5])), (b"ab", b"cdefg"))
    return "3 buffers out, 2 in, split where the iovecs end"


@_check("abi", "struct timespec / timeval: utimensat and futimes set what os.stat reads")
def _times(ctx: Context) -> str:
    with _temp_file(ctx, "times") as (path, fd):
        raw.utimensat(_abi.AT_FDCWD, path, ((1_000_000_001, 123_456_789), (1_100_000_002, 987_654_321)))
        st = os.stat(path)
        expect_equal("utimensat (atime_ns, mtime_ns)", (st.st_atime_ns, st.st_mtime_ns),
                     (1_000_000_001_123_456_789, 1_100_000_002_987_654_321))
        raw.futimes(fd, ((1_200_000_003, 250_000), (1_300_000_004, 500_000)))
        st = os.fstat(fd)
        expect_equal("futimes (atime_ns, mtime_ns)", (st.st_atime_ns, st.st_mtime_ns),
                     (1_200_000_003_250_000_000, 1_300_000_004_500_000_000))
    return "nanoseconds through utimensat, microseconds through futimes"


@_check("abi", "struct dirent: each entry's inode and type equal lstat's")
def _dirent(ctx: Context) -> str:
    import macres

    sub = ctx.path("dirent")
    os.mkdir(sub)
    for name in ("file", "\u00e9t\u00e9", "x" * 200):
        with open(os.path.join(sub, name), "w"):
            pass
    os.mkdir(os.path.join(sub, "dir"))
    os.symlink("file", os.path.join(sub, "link"))
    types = {stat.S_IFREG: macres.FileType.REG, stat.S_IFDIR: macres.FileType.DIR, stat.S_IFLNK: macres.FileType.LNK}
    with macres.opendir(sub) as d:
        entries = list(d)
    expect_equal("names", sorted(e.name for e in entries), sorted(os.listdir(sub)))
    for e in entries:
        st = os.lstat(os.path.join(sub, e.name))
        expect_equal(f"{e.name[:20]} inode", e.inode, st.st_ino)
        if e.type != macres.FileType.UNKNOWN:
            expect_equal(f"{e.name[:20]} type", e.type, types[stat.S_IFMT(st.st_mode)])
    return f"{len(entries)} entries (a 200-character and a non-ASCII name among them)"


@_check("abi", "sysctl: kern.osrelease equals uname's release")
def _sysctl(ctx: Context) -> str:
    if not raw.available("sysctl"):
        raise Skip(f"no sysctl(3) on {raw.SYSTEM}")
    ctl_kern, kern_osrelease = 1, 2  # <sys/sysctl.h>: the same on every BSD
    release = raw.sysctl([ctl_kern, kern_osrelease]).rstrip(b"\0").decode()
    expect_equal("kern.osrelease", release, os.uname().release)
    return f"kern.osrelease {release}"


@_check("abi", "arguments out of range are refused before reaching C")
def _arguments(ctx: Context) -> str:
    cases: list[tuple[str, Callable[[], object], type[Exception]]] = [
        ("fstat(2**31)", lambda: raw.fstat(1 << 31), OverflowError),
        ("getrlimit(2**40)", lambda: raw.getrlimit(1 << 40), OverflowError),
        ("open('a\\0b')", lambda: raw.open("a\0b", _abi.O_RDONLY), ValueError),
        ("pread(0, buf, 2**63)", lambda: raw.pread(0, bytearray(1), 1 << 63), OverflowError),
        ("mmap(0, -1, ...)", lambda: raw.mmap(0, -1, _abi.PROT_READ, _abi.MAP_PRIVATE | _abi.MAP_ANON, -1, 0), ValueError),
        ("kill(0, 2**40)", lambda: raw.kill(0, 1 << 40), OverflowError),
    ]
    for what, call, expected in cases:
        try:
            call()
        except expected:
            continue
        except Exception as exc:  # noqa: BLE001 - report the wrong kind of refusal
            raise Failure(f"{what} raised {type(exc).__name__}: {exc}, expected {expected.__name__}") from None
        raise Failure(f"{what} was not refused")
    return f"{len(cases)} bad calls refused with OverflowError/ValueError"


def _python_constants(module: ModuleType) -> dict[str, int]:
    found = {}
    for name in dir(module):
        value = getattr(module, name)
        if name.isupper() and isinstance(value, int) and not isinstance(value, bool):
            found[name] = int(value)
    return found


_ORACLES: Final = (errno, os, signal, socket, mmap, resource, fcntl, select, stat, time)


def _constants_check(module: ModuleType) -> Callable[[Context], str]:
    def check(ctx: Context) -> str:
        ours: dict[str, int] = {}
        for members in _abi.CONSTANTS.values():
            ours.update(members)
        theirs = _python_constants(module)
        common = sorted(set(ours) & set(theirs))
        if not common:
            raise Skip(f"Python's {module.__name__} shares no name with the ABI tables here")
        wrong = [f"{n}={ours[n]} (Python {theirs[n]})" for n in common if (ours[n] - theirs[n]) % (1 << 64)]
        expect(not wrong, f"{len(wrong)} of {len(common)} differ: " + ", ".join(wrong))
        return f"{len(common)} names equal"

    return check


for _oracle in _ORACLES:
    _check("abi", f"constants equal Python's {_oracle.__name__} module")(_constants_check(_oracle))


@_check("abi", "ids and priority: raw equals os")
def _ids(ctx: Context) -> str:
    pairs = [
        ("getpid", raw.getpid(), os.getpid()),
        ("getppid", raw.getppid(), os.getppid()),
        ("getuid", raw.getuid(), os.getuid()),
        ("geteuid", raw.geteuid(), os.geteuid()),
        ("getgid", raw.getgid(), os.getgid()),
        ("getegid", raw.getegid(), os.getegid()),
        ("getpgrp", raw.getpgrp(), os.getpgrp()),
        ("getpgid", raw.getpgid(0), os.getpgid(0)),
        ("getsid", raw.getsid(0), os.getsid(0)),
        ("getpriority", raw.getpriority(_abi.PRIO_PROCESS, 0), os.getpriority(os.PRIO_PROCESS, 0)),
        ("umask", _umask_raw(), _umask_os()),
    ]
    for name, ours, theirs in pairs:
        expect_equal(name, ours, theirs)
    groups, pygroups = set(raw.getgroups()), set(os.getgroups())
    if raw.SYSTEM == "darwin":  # Python asks for the extended list (getgroups$DARWIN_EXTSN); the kernel's is a subset
        expect(groups <= pygroups, f"getgroups {sorted(groups)} not within os.getgroups {sorted(pygroups)}")
    else:
        expect_equal("getgroups", groups, pygroups)
    return f"{len(pairs) + 1} calls"


def _umask_raw() -> int:
    old = raw.umask(0o022)
    raw.umask(old)
    return old


def _umask_os() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


# -- FileDescriptor and Directory ------------------------------------------------------
@_check("fd", "open, write, pwrite/pread, seek, fstat")
def _fd_io(ctx: Context) -> str:
    import macres

    path = ctx.path("fd-io")
    with macres.open(path, "w+") as fd:
        expect_equal("write", fd.write(b"hello, kernel"), 13)
        expect_equal("pwrite", fd.pwrite(b"K", 7), 1)
        expect_equal("pread", fd.pread(6, 7), b"Kernel")
        expect_equal("seek", fd.seek(0), 0)
        expect_equal("read", fd.read(5), b"hello")
        expect_equal("fstat size", fd.fstat().st_size, os.stat(path).st_size)
        expect_equal("fstat ino", fd.fstat().st_ino, os.stat(path).st_ino)
        expect(not fd.inheritable, "a new descriptor is inheritable (O_CLOEXEC missing)")
    expect(fd.closed, "not closed after with")
    with open(path, "rb") as f:
        expect_equal("file contents", f.read(), b"hello, Kernel")
    return "13 bytes through write/pwrite, read back with pread/read and the builtin open; close-on-exec"


@_check("fd", "ftruncate and fstatfs")
def _fd_truncate(ctx: Context) -> str:
    import macres

    path = ctx.path("fd-trunc")
    with macres.open(path, "w+") as fd:
        fd.ftruncate(1 << 20)
        expect_equal("size after growing", os.stat(path).st_size, 1 << 20)
        fd.ftruncate(10)
        expect_equal("size after shrinking", os.stat(path).st_size, 10)
        fs = fd.fstatfs()
        expect_equal("fstatfs vs statfs f_type", fs.f_type, raw.statfs(path).f_type)
        if fs.f_files <= 0xFFFFFFFF:  # macOS's statvfs counts are 32-bit
            expect_equal("f_files", fs.f_files, os.statvfs(path).f_files)
    return "grown to 1 MiB and cut to 10 bytes, checked with os.stat"


@_check("fd", "fsync, fsync(full=True), fdatasync")
def _fd_sync(ctx: Context) -> str:
    import macres

    with macres.open(ctx.path("fd-sync"), "w") as fd:
        fd.write(b"durable")
        fd.fsync()
        fd.fsync(full=True)
        try:
            fd.fdatasync()
        except macres.UnsupportedOperation as exc:
            return f"fsync and full fsync; fdatasync: {exc}"
    return "fsync, full fsync and fdatasync on a regular file"


@_check("fd", "flock: exclusive lock seen from another open file, LOCK_NB probe")
def _fd_flock(ctx: Context) -> str:
    import macres

    path = ctx.path("fd-lock")
    with macres.open(path, "w") as holder, macres.open(path, "r") as prober:
        with holder.locked():
            try:
                prober.flock(macres.LOCK_SH | macres.LOCK_NB)
            except BlockingIOError:
                pass
            else:
                raise Failure("a shared LOCK_NB lock succeeded while another open file held LOCK_EX")
        prober.flock(macres.LOCK_EX | macres.LOCK_NB)
        prober.flock(macres.LOCK_UN)
    return "LOCK_NB refused while held, granted after unlock"


@_check("fd", "fpathconf limits equal os.fpathconf")
def _fd_pathconf(ctx: Context) -> str:
    import macres

    names = ["PC_NAME_MAX", "PC_PATH_MAX", "PC_LINK_MAX", "PC_PIPE_BUF", "PC_NO_TRUNC", "PC_CHOWN_RESTRICTED"]
    with macres.open(ctx.tmp, macres.O_RDONLY | macres.O_DIRECTORY) as fd:
        for name in names:
            expect_equal(name, _outcome(lambda: fd.fpathconf(name)), _outcome(lambda: os.fpathconf(fd.fileno(), name)))
    return ", ".join(names)


@_check("fd", "pipe, dup and Directory listing")
def _fd_pipe_dir(ctx: Context) -> str:
    import macres

    r, w = macres.pipe()
    with r, w:
        with w.dup() as w2:
            w2.write_all(b"ping")
        w.close()
        expect_equal("pipe read", r.read(10), b"ping")
        expect_equal("EOF", r.read(10), b"")
    for name in ("a", "b", "c"):
        with open(ctx.path(f"dir-{name}"), "w"):
            pass
    with macres.opendir(ctx.tmp) as d:
        names = sorted(e.name for e in d)
    expect_equal("directory entries", names, sorted(os.listdir(ctx.tmp)))
    return f"pipe through a dup; {len(names)} entries equal os.listdir"


def _outcome(call: Callable[[], int | None]) -> object:
    """A pathconf answer as comparable data: the value (None for "no limit") or the errno it failed with."""
    try:
        value = call()
    except OSError as exc:
        return f"error {errno.errorcode.get(exc.errno or 0, exc.errno)}"
    return None if value == -1 else value


# -- byte-range locks, extended attributes, copies, walks, shared memory -------------------
#: The longest any one wait of a check may take, in seconds: a bound on a hang, never an outcome.
_BOUND: Final = 30.0

#: A child that answers one line per command about the byte-range locks it can take (fcntl.lockf, LOCK_NB).
_LOCK_CHILD: Final = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
print("ready", flush=True)
while line := sys.stdin.readline():
    op, kind, start, length = line.split()
    mode = fcntl.LOCK_EX if kind == "ex" else fcntl.LOCK_SH
    start, length = int(start), int(length)
    if op == "try":
        try:
            fcntl.lockf(fd, mode | fcntl.LOCK_NB, length, start)
        except OSError:
            print("held", flush=True)
            continue
        fcntl.lockf(fd, fcntl.LOCK_UN, length, start)
        print("free", flush=True)
    elif op == "hold":
        fcntl.lockf(fd, mode | fcntl.LOCK_NB, length, start)
        print("holding", flush=True)
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, length, start)
        print("released", flush=True)
"""


def _line(stream: IO[bytes] | None, timeout: float = _BOUND) -> bytes:
    """One line from a child's pipe, waiting at most *timeout* seconds for it to start."""
    if stream is None:  # pragma: no cover - every caller passes a PIPE
        raise Failure("the child has no pipe")
    ready, _, _ = select.select([stream], [], [], timeout)
    expect(bool(ready), f"the child said nothing within {timeout} s")
    return stream.readline().strip()


@_check("files", "byte-range locks: lock, lock_range, unlock, lock_holder against a child's fcntl.lockf")
def _files_range_locks(ctx: Context) -> str:
    import macres

    path = ctx.path("range-locks")
    with open(path, "wb") as f:
        f.write(b"\0" * 200)
    with subprocess.Popen([_PY, "-c", _LOCK_CHILD, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        try:
            expect_equal("child", _line(child.stdout), b"ready")

            def ask(command: str) -> bytes:
                assert child.stdin is not None
                child.stdin.write(command.encode() + b"\n")
                child.stdin.flush()
                return _line(child.stdout)

            with macres.open(path, "r+") as fd:
                fd.lock(10, 20)
                expect_equal("child's exclusive lock of bytes 10-29, which we hold", ask("try ex 10 20"), b"held")
                expect_equal("child's shared lock of bytes 25-34, overlapping ours", ask("try sh 25 10"), b"held")
                expect_equal("child's exclusive lock of bytes 30-39, beside ours", ask("try ex 30 10"), b"free")
                fd.unlock(10, 20)
                expect_equal("child's exclusive lock of bytes 10-29 after unlock", ask("try ex 10 20"), b"free")
                with fd.lock_range(50, 10, exclusive=False):
                    expect_equal("child's shared lock beside our shared one", ask("try sh 50 10"), b"free")
                    expect_equal("child's exclusive lock over our shared one", ask("try ex 50 10"), b"held")
                expect_equal("child's exclusive lock after the lock_range block", ask("try ex 50 10"), b"free")
                expect_equal("child", ask("hold ex 100 10"), b"holding")
                holder = fd.lock_holder(100, 10)
                expect_equal("lock_holder of the child's lock", holder, macres.LockHolder(child.pid, True, 100, 10))
                try:
                    fd.lock(100, 10, blocking=False)
                except BlockingIOError:
                    pass
                else:
                    raise Failure("lock(blocking=False) succeeded over the child's exclusive lock")
                expect_equal("child", ask("release ex 100 10"), b"released")
                expect_equal("lock_holder after the child released", fd.lock_holder(100, 10), None)
                fd.lock(100, 10, blocking=False)
                fd.unlock(100, 10)
        finally:
            if child.stdin:
                child.stdin.close()
            child.wait(timeout=_BOUND)
    return f"a child's LOCK_NB attempts refused and granted as our ranges say; lock_holder names pid {child.pid}"


def _xattr_oracle(path: str, name: str) -> tuple[bytes | None, list[str]] | None:
    """*path*'s attribute *name* (None: none) and names as read without macres; None where nothing can read them.

    ``os.getxattr``/``os.listxattr`` on Linux; the ``xattr`` command on macOS.
    """
    getxattr = getattr(os, "getxattr", None)
    listxattr = getattr(os, "listxattr", None)
    if getxattr is not None and listxattr is not None:
        names: list[str] = listxattr(path)
        return (getxattr(path, name) if name in names else None), names
    import shutil

    tool = shutil.which("xattr")
    if tool is None:
        return None
    listed = subprocess.run([tool, path], capture_output=True, timeout=_BOUND, check=False)
    if listed.returncode != 0:
        return None
    names = os.fsdecode(listed.stdout).split()
    if name not in names:
        return None, names
    value = subprocess.run([tool, "-p", name, path], capture_output=True, timeout=_BOUND, check=False)
    return value.stdout.rstrip(b"\n"), names


@_check("files", "extended attributes: set, get, list, remove on a descriptor and a path")
def _files_xattr(ctx: Context) -> str:
    import macres
    from . import fs

    name = "user.macres.selftest"
    with _temp_file(ctx, "xattr") as (path, _), macres.open(path, "r+") as fd:
        try:
            fd.setxattr(name, b"first value")
        except OSError as exc:
            if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
                raise Skip(f"the file system under {ctx.tmp} takes no extended attributes ({exc.strerror})") from None
            raise
        expect_equal("getxattr", fd.getxattr(name), b"first value")
        expect(name in fd.listxattr(), f"listxattr {fd.listxattr()} lacks {name}")
        seen = _xattr_oracle(path, name)
        if seen is not None:
            expect_equal("the value read without macres", seen[0], b"first value")
        try:
            fs.setxattr(path, name, b"other", fs.XATTR_CREATE)
        except FileExistsError:
            pass
        else:
            raise Failure("XATTR_CREATE replaced an existing attribute")
        fs.setxattr(path, name, b"second value", fs.XATTR_REPLACE)
        expect_equal("fs.getxattr after XATTR_REPLACE", fs.getxattr(path, name), b"second value")
        expect_equal("fd.getxattr after fs.setxattr", fd.getxattr(name), b"second value")
        if seen is not None:
            again = _xattr_oracle(path, name)
            expect_equal("the value read without macres", again[0] if again else None, b"second value")
        fd.removexattr(name)
        expect(name not in fs.listxattr(path), f"{name} still listed after removexattr")
        try:
            fd.getxattr(name)
        except OSError as exc:
            expect_equal("errno of a removed attribute", errno.errorcode.get(exc.errno or 0), "ENODATA")
        else:
            raise Failure("getxattr of a removed attribute returned a value")
        if seen is not None:
            gone = _xattr_oracle(path, name)
            expect(gone is not None and gone[0] is None, f"{name} still there without macres: {gone}")
    oracle = "checked against os.getxattr" if hasattr(os, "getxattr") else "checked with the xattr command"
    return f"{name}: set, XATTR_CREATE refused, XATTR_REPLACE, listed, removed (ENODATA); " + (
        oracle if seen is not None else "no reader outside macres here"
    )


def _same_file_bytes(a: str, b: str) -> None:
    """Raise Failure unless files *a* and *b* hold the same bytes (read with the builtin open)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        offset = 0
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
                raise Failure(f"{os.path.basename(b)} differs from {os.path.basename(a)} at byte {offset + at}")
            if not x:
                return
            offset += len(x)


@_check("files", "fs.copy of a sparse 9 MiB file: the same bytes; metadata=True keeps mode and mtime")
def _files_copy(ctx: Context) -> str:
    from . import fs

    src, plain, full = ctx.path("copy-src"), ctx.path("copy-plain"), ctx.path("copy-full")
    size = (9 << 20) + 123
    with open(src, "wb") as f:
        f.write(b"head" * 1000)
        f.seek(4 << 20)
        f.write(os.urandom(1 << 16))  # data between two holes
        f.seek(size - 5)
        f.write(b"tail!")
    os.chmod(src, 0o640)
    mtime_ns = 1_222_222_222_987_654_321
    os.utime(src, ns=(1_111_111_111_123_456_789, mtime_ns))
    try:
        expect_equal("bytes copied", fs.copy(src, plain), size)
        _same_file_bytes(src, plain)
        expect_equal("size of the copy", os.stat(plain).st_size, size)
        expect_equal("bytes copied with metadata", fs.copy(src, full, metadata=True), size)
        st = os.stat(full)  # before reading it: a read may move its atime, never its mtime
        expect_equal("mode with metadata=True", oct(stat.S_IMODE(st.st_mode)), oct(0o640))
        expect_equal("mtime_ns with metadata=True", st.st_mtime_ns, mtime_ns)
        _same_file_bytes(src, full)
        blocks = os.stat(plain).st_blocks * 512
    finally:
        for p in (src, plain, full):
            if os.path.exists(p):
                os.unlink(p)
    return f"{size} bytes equal byte for byte ({blocks >> 10} KiB allocated in the copy); mode 0o640 and mtime kept"


@_check("files", "copy_to between descriptors: a file range to a file and to a TCP socket, offsets after")
def _files_copy_to(ctx: Context) -> str:
    import macres

    data = os.urandom(200_000)
    src, dst = ctx.path("copy-to-src"), ctx.path("copy-to-dst")
    with open(src, "wb") as f:
        f.write(data)
    try:
        with macres.open(src) as a, macres.open(dst, "w") as b:
            a.seek(1000)
            expect_equal("bytes copied to a file", a.copy_to(b, 50_000), 50_000)
            expect_equal("source offset after", os.lseek(a.fileno(), 0, os.SEEK_CUR), 51_000)
            expect_equal("destination offset after", os.lseek(b.fileno(), 0, os.SEEK_CUR), 50_000)
            expect_equal("bytes to the end", a.copy_to(b), len(data) - 51_000)
            with socket.create_server(("127.0.0.1", 0)) as server:
                with socket.create_connection(server.getsockname(), timeout=_BOUND) as out:
                    out.setblocking(True)  # 4096 bytes fit a new connection's buffers: the copy never waits
                    conn, _ = server.accept()
                    with conn:
                        conn.settimeout(_BOUND)
                        a.seek(7)
                        expect_equal("bytes copied to a socket", a.copy_to(out, 4096), 4096)
                        got = b""
                        while len(got) < 4096 and (chunk := conn.recv(4096 - len(got))):
                            got += chunk
                        expect_equal("bytes the socket's peer received", got, data[7 : 7 + 4096])
        with open(dst, "rb") as f:
            expect(f.read() == data[1000:], "the destination file does not hold bytes 1000.. of the source")
    finally:
        os.unlink(src)
        if os.path.exists(dst):
            os.unlink(dst)
    return "50000 bytes from offset 1000, then the rest, to a file; 4096 bytes to a loopback TCP socket"


def _tree(steps: Iterator[tuple[str, list[str], list[str]]], top: str) -> dict[str, tuple[list[str], list[str]]]:
    return {os.path.relpath(p, top): (sorted(d), sorted(f)) for p, d, f in steps}


@_check("files", "walk: the same directories and names as os.walk, top-down, bottom-up, pruned, following links")
def _files_walk(ctx: Context) -> str:
    from .directory import walk

    top = ctx.path("walk")
    for d in ("a/b/c", "a/e", "d"):
        os.makedirs(os.path.join(top, d))
    for f in ("f0", "a/f1", "a/b/f2", "a/b/f3", "a/e/f4"):
        with open(os.path.join(top, f), "w"):
            pass
    os.symlink("a", os.path.join(top, "link-to-a"))
    os.symlink("missing", os.path.join(top, "broken"))

    ours: list[tuple[str, list[str], list[str]]] = []
    for path, dirs, files, directory in walk(top):
        expect_equal(f"inode of {os.path.relpath(path, top)}", directory.fstat().st_ino, os.stat(path).st_ino)
        ours.append((path, list(dirs), list(files)))
    expect_equal("top-down walk", _tree(iter(ours), top), _tree(os.walk(top), top))

    order = [os.path.relpath(p, top) for p, _, _, _ in walk(top, topdown=False)]
    expect_equal("bottom-up walk", sorted(order), sorted(_tree(os.walk(top), top)))
    for i, rel in enumerate(order):
        ancestors = [o for o in order[:i] if rel != "." and (o == "." or rel.startswith(o + os.sep))]
        expect(not ancestors, f"bottom-up: {rel} came after {ancestors}, which hold it")

    def pruned_ours() -> Iterator[tuple[str, list[str], list[str]]]:
        for path, dirs, files, _ in walk(top):
            dirs[:] = [d for d in dirs if d != "b"]
            yield path, dirs, files

    def pruned_os() -> Iterator[tuple[str, list[str], list[str]]]:
        for path, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d != "b"]
            yield path, dirs, files

    expect_equal("walk with 'b' pruned", _tree(pruned_ours(), top), _tree(pruned_os(), top))
    followed = ((p, d, f) for p, d, f, _ in walk(top, follow_symlinks=True))
    expect_equal("walk following symlinks", _tree(followed, top), _tree(os.walk(top, followlinks=True), top))
    return f"{len(ours)} directories, {sum(len(f) for _, _, f in ours)} other names, symlinks listed as os.walk lists them"


@_check("files", "shm: shm_open, map, read back through a second mapping and the stdlib's mmap; unlinked")
def _files_shm(ctx: Context) -> str:
    from . import shm
    from .memory import MappedRegion

    name = f"/macres-{os.getpid() % 1_000_000}-{os.urandom(3).hex()}"  # macOS allows 31 bytes
    size = 2 * mmap.PAGESIZE
    unlinked = False
    try:
        with shm.shm_open(name, exclusive=True) as first:
            first.ftruncate(size)  # sized once: macOS refuses a second ftruncate
            expect_equal("size (os.fstat)", os.fstat(first.fileno()).st_size, size)
            with MappedRegion.from_file(first, size) as one:
                one[0:5] = b"hello"
                one[size - 5 : size] = b"world"
                with shm.shm_open(name, create=False) as second, MappedRegion.from_file(second, size) as two:
                    expect_equal("read through a second mapping", (two[0:5], two[size - 5 : size]), (b"hello", b"world"))
                    two[100:103] = b"abc"
                    expect_equal("a write through the second mapping, seen in the first", one[100:103], b"abc")
                    with mmap.mmap(second.fileno(), size) as std:
                        expect_equal("read through the stdlib's mmap", std[0:5], b"hello")
                        std[200:203] = b"xyz"
                    expect_equal("a write through the stdlib's mmap, seen in ours", one[200:203], b"xyz")
                shm.shm_unlink(name)
                unlinked = True
                expect_equal("the mapping after shm_unlink", one[0:5], b"hello")
            # Last, as the macres.shm docstring shows it: a mapping that takes its size from the object.
            # (macOS's fstat of a shared memory object gives no file type, only the size.)
            try:
                whole = MappedRegion.from_file(first)
            except ValueError as exc:
                st = os.fstat(first.fileno())
                raise Failure(f"MappedRegion.from_file(fd) without a size: {exc} (fstat: mode {st.st_mode:#o}, size {st.st_size})") from None
            with whole:
                expect_equal("a mapping sized by fstat", (len(whole), whole[0:5]), (size, b"hello"))
        try:
            shm.shm_open(name, create=False).close()
        except FileNotFoundError:
            pass
        else:
            raise Failure(f"{name} could still be opened after shm_unlink")
        if os.path.isdir("/dev/shm"):
            expect(not os.path.exists("/dev/shm" + name), f"/dev/shm{name} still exists after shm_unlink")
    finally:
        if not unlinked:
            try:
                shm.shm_unlink(name)
            except FileNotFoundError:
                pass
    return f"{name}: {size} bytes, writes seen across two of our mappings and the stdlib's, one sized by fstat; gone after shm_unlink"


# -- Process ---------------------------------------------------------------------------
_PY: Final = sys.executable


@_check("process", "spawn and wait: exit code")
def _proc_exit(ctx: Context) -> str:
    process = _module("process")
    with process.Process.spawn([_PY, "-c", "raise SystemExit(7)"]) as child:
        status = child.wait(timeout=60)
    expect(status.exited, f"not exited: {status}")
    expect_equal("exit code", status.code, 7)
    return f"exit code 7 through wait4 ({status.returncode})"


@_check("process", "kill and wait: terminated by SIGTERM")
def _proc_kill(ctx: Context) -> str:
    process = _module("process")
    with process.Process.spawn([_PY, "-c", "import time; time.sleep(600)"]) as child:
        child.kill(signal.SIGTERM)
        status = child.wait(timeout=60)
        expect(status.signaled, f"not ended by a signal: {status}")
        expect_equal("signal", status.signal, signal.SIGTERM)
        child.kill(signal.SIGTERM)  # reaped: a no-op, as Popen's once returncode is set
        expect_equal("returncode after a signal to the reaped child", child.returncode, -signal.SIGTERM)
    expect_equal("poll after close", child.poll(), -signal.SIGTERM)
    return "SIGTERM delivered and decoded; signals to a reaped child do nothing, as Popen's"


@_check("process", "rusage of a child: maxrss in bytes")
def _proc_rusage(ctx: Context) -> str:
    process = _module("process")
    size = 64 << 20
    code = f"b = bytearray({size}); b[::4096] = b'x' * len(b[::4096]); sum(range(200000))"
    with process.Process.spawn([_PY, "-c", code]) as child:
        status = child.wait(timeout=60)
        usage = child.rusage()
    expect_equal("exit code", status.code, 0)
    expect(usage.ru_maxrss >= size, f"ru_maxrss {usage.ru_maxrss} bytes < the {size} bytes the child touched")
    expect(usage.ru_maxrss < 1 << 40, f"ru_maxrss {usage.ru_maxrss} is absurd (unit wrong?)")
    expect(usage.ru_utime >= 0 and usage.ru_stime >= 0, f"negative times {usage.ru_utime}, {usage.ru_stime}")
    expect(usage.ru_minflt > 0, "no page faults counted")
    return f"maxrss {usage.ru_maxrss >> 20} MiB (touched {size >> 20} MiB), {usage.ru_minflt} minor faults"


@_check("process", "priority: setpriority on a child, read back by os.getpriority")
def _proc_priority(ctx: Context) -> str:
    process = _module("process")
    me = process.Process.current()
    expect_equal("own priority", me.getpriority(), os.getpriority(os.PRIO_PROCESS, 0))
    with process.Process.spawn([_PY, "-c", "import time; time.sleep(600)"]) as child:
        target = min(me.getpriority() + 3, 19)
        child.setpriority(target)
        expect_equal("child priority", child.getpriority(), target)
        expect_equal("os.getpriority", os.getpriority(os.PRIO_PROCESS, child.pid), target)
    return f"child niced to {target}"


@_check("process", "current process: ids, session, rlimits equal os/resource")
def _proc_current(ctx: Context) -> str:
    process = _module("process")
    me = process.Process.current()
    expect_equal("pid", me.pid, os.getpid())
    expect_equal("ppid", me.ppid, os.getppid())
    expect_equal("pgid", me.pgid, os.getpgid(0))
    expect_equal("sid", me.sid, os.getsid(0))
    expect_equal("uid", me.uid, os.getuid())
    expect_equal("egid", me.egid, os.getegid())
    nofile = _abi.CONSTANTS["rlimit"]["RLIMIT_NOFILE"]
    mask = (1 << 64) - 1
    soft, hard = me.rlimit(nofile)
    pysoft, pyhard = resource.getrlimit(resource.RLIMIT_NOFILE)
    expect_equal("RLIMIT_NOFILE", (soft & mask, hard & mask), (pysoft & mask, pyhard & mask))
    usage = me.rusage()
    expect(usage.ru_maxrss > 0, "own maxrss is 0")
    return f"pid {os.getpid()}, RLIMIT_NOFILE {pysoft}/{pyhard}, maxrss {usage.ru_maxrss >> 20} MiB"


@_check("process", "spawn: stdout on a pipe, pass_fds inherited, nothing else")
def _proc_streams(ctx: Context) -> str:
    import macres

    process = _module("process")
    code = (
        "import os, sys\n"
        "os.write(int(sys.argv[1]), b'passed')\n"
        "try:\n"
        "    os.fstat(int(sys.argv[2]))\n"
        "except OSError:\n"
        "    print('closed')\n"
        "else:\n"
        "    print('leaked')\n"
    )
    out_r, out_w = macres.pipe()
    fd_r, fd_w = macres.pipe()
    stray_r, stray_w = macres.pipe(inheritable=True)  # inheritable, but not passed: must not reach the child
    with out_r, out_w, fd_r, fd_w, stray_r, stray_w:
        argv = [_PY, "-c", code, str(fd_w.fileno()), str(stray_w.fileno())]
        with process.Process.spawn(argv, stdout=out_w, pass_fds=[fd_w.fileno()]) as child:
            out_w.close()
            fd_w.close()
            status = child.wait(timeout=60)
        expect_equal("exit code", status.code, 0)
        expect_equal("stdout", out_r.read(100), b"closed\n")
        expect_equal("passed descriptor", fd_r.read(100), b"passed")
    return "stdout redirected, a pass_fd written by the child, an unlisted inheritable descriptor closed"


# -- MappedRegion ------------------------------------------------------------------------
# -- process inspection (macres.procinfo): children made by subprocess, oracles os/resource --
@_check("process", "procinfo: a child's argv, cwd, environment, parent and executable")
def _procinfo_child(ctx: Context) -> str:
    procinfo = _module("procinfo")
    argv = [_PY, "-c", "import sys; print(flush=True); sys.stdin.readline()", "an argument"]
    env = {**os.environ, "MACRES_SELFTEST": "a=b"}
    with subprocess.Popen(argv, cwd=ctx.tmp, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        try:
            assert child.stdout is not None
            child.stdout.readline()
            info = procinfo.ProcessInfo(child.pid)
            expect_equal("cmdline", info.cmdline(), argv)
            expect_equal("cwd", os.path.realpath(info.cwd() or ""), os.path.realpath(ctx.tmp))
            expect_equal("environ", info.environ().get("MACRES_SELFTEST"), "a=b")
            expect_equal("ppid", info.ppid(), os.getpid())
            exe = info.exe() or ""
            expect(os.access(exe, os.X_OK), f"exe {exe!r} is not an executable file")
            expect_equal("uids", (info.uids().real, info.uids().effective), (os.getuid(), os.geteuid()))
            expect(info in procinfo.ProcessInfo(os.getpid()).children(), "the child is not among this process's children")
            started = info.create_time()
            expect(abs(started - time.time()) < 600, f"create_time {started} is not about now")
        finally:
            child.kill()
    try:
        info.cmdline()
    except ProcessLookupError:
        pass
    else:
        raise Failure("a reaped child's cmdline did not raise ProcessLookupError")
    return f"pid {info.pid}: argv, cwd, environ, ppid, exe {exe}, started {time.time() - started:.2f} s ago"


@_check("process", "procinfo: this process's memory, CPU times, threads and descriptors against os/resource")
def _procinfo_self(ctx: Context) -> str:
    procinfo = _module("procinfo")
    info = procinfo.ProcessInfo(os.getpid())
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu = info.cpu_times()
    after = resource.getrusage(resource.RUSAGE_SELF)
    tick = 0.011  # Linux counts in clock ticks of 10 ms
    expect(before.ru_utime - tick <= cpu.user <= after.ru_utime + tick, f"user {cpu.user} s not near getrusage's")
    expect(before.ru_stime - tick <= cpu.system <= after.ru_stime + tick, f"system {cpu.system} s not near getrusage's")
    mem = info.memory()
    peak = after.ru_maxrss * (1024 if raw.SYSTEM == "linux" else 1)
    expect(0 < mem.rss <= max(peak, mem.rss) and mem.rss <= mem.vms, f"rss {mem.rss}, vms {mem.vms}, peak {peak}")
    expect(mem.rss < 1 << 40, f"rss {mem.rss} is absurd (unit wrong?)")
    threads = info.threads()
    expect(len(threads) == info.num_threads() >= 1, f"{len(threads)} threads listed, {info.num_threads()} counted")
    with _temp_file(ctx, "procinfo") as (path, fd):
        found = {d.fd: d for d in info.open_descriptors()}
        expect(fd in found, f"descriptor {fd} not listed")
        expect_equal("kind", found[fd].kind.value, "file")
        expect_equal("path", os.path.realpath(found[fd].path or ""), os.path.realpath(path))
    expect(info in list(procinfo.process_iter()), "process_iter does not yield this process")
    return f"rss {mem.rss >> 20} MiB, user {cpu.user:.2f} s, {len(threads)} threads, {len(found)} descriptors"


@_check("process", "Process(pid) of a process that is not our child: readable in select at its exit, wait returns")
def _proc_not_a_child(ctx: Context) -> str:
    from ._errors import UnsupportedOperation
    from .process import Process

    # sh leaves a sleep behind and exits: the sleep's parent is no longer this process's child.
    started = subprocess.run(
        ["/bin/sh", "-c", "sleep 30 </dev/null >/dev/null 2>&1 & echo $!"],
        capture_output=True, timeout=_BOUND, check=True,
    )  # fmt: skip
    pid = int(started.stdout)
    ended = ours = False
    try:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        else:
            ours = True
            raise Skip(f"pid {pid} became this process's child (a subreaper?): no stranger to watch")
        try:
            held = Process(pid)
        except UnsupportedOperation as exc:
            raise Skip(str(exc)) from None
        with held:
            expect_equal("readable in select.select before the exit", select.select([held], [], [], 0)[0], [])
            expect(not held.exited(), "exited() before the process ended")
            os.kill(pid, signal.SIGTERM)
            ended = True
            ready, _, _ = select.select([held], [], [], _BOUND)
            expect(ready == [held], f"not readable in select.select within {_BOUND} s of its end")
            held.wait(timeout=_BOUND)
            expect(held.exited(), "exited() is False after the exit")
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        else:
            raise Failure(f"pid {pid} is a zombie of this process")
    finally:
        if not ended:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if ours:
            os.waitpid(pid, 0)
    return f"pid {pid} (sh's background sleep): select, wait and exited() after SIGTERM; nothing to reap here"


#: Writes its stdin twice to stdout and reversed twice to stderr, interleaved, in 64 KiB pieces.
_ECHO_TWICE: Final = """
import sys
data = sys.stdin.buffer.read()
out, err = sys.stdout.buffer, sys.stderr.buffer
back = data[::-1]
for _ in range(2):
    for i in range(0, len(data), 65536):
        out.write(data[i:i + 65536])
        out.flush()
        err.write(back[i:i + 65536])
        err.flush()
"""


@_check("process", "Child.communicate: 2 MiB in, 4 MiB on stdout and 4 MiB on stderr at once")
def _proc_communicate(ctx: Context) -> str:
    from .process import PIPE, Process

    data = os.urandom(2 << 20)
    with Process.spawn([_PY, "-c", _ECHO_TWICE], stdin=PIPE, stdout=PIPE, stderr=PIPE) as child:
        out, err = child.communicate(data, timeout=_BOUND)
        expect_equal("exit code", child.returncode, 0)
    expect_equal("stdout length", len(out or b""), 2 * len(data))
    expect_equal("stderr length", len(err or b""), 2 * len(data))
    expect(out == data * 2, "stdout is not the input twice")
    expect(err == data[::-1] * 2, "stderr is not the reversed input twice")
    return f"{len(data) >> 20} MiB in; {len(out or b'') >> 20} MiB out and {len(err or b'') >> 20} MiB err, interleaved"


_SHOW_SPAWN: Final = """
import json, os
mask = os.umask(0)
os.umask(mask)
with open("made-by-child", "w"):
    pass
print(json.dumps({"cwd": os.getcwd(), "env": dict(os.environ), "umask": mask}))
"""


@_check("process", "spawn options: cwd, env and umask as the child sees them")
def _proc_spawn_options(ctx: Context) -> str:
    import json

    from .process import PIPE, Process

    where = ctx.path("spawn-cwd")
    os.mkdir(where)
    env = {"MACRES_SELFTEST": "spawned", "MACRES_SELFTEST_SPACE": "a b=c"}
    before = _umask_os()
    with Process.spawn([_PY, "-c", _SHOW_SPAWN], cwd=where, env=env, umask=0o037, stdout=PIPE) as child:
        out, _ = child.communicate(timeout=_BOUND)
        expect_equal("exit code", child.returncode, 0)
    seen = json.loads(out or b"{}")
    expect_equal("cwd", os.path.realpath(seen["cwd"]), os.path.realpath(where))
    for key, value in env.items():
        expect_equal(f"${key}", seen["env"].get(key), value)
    # Python itself may add LC_CTYPE (PEP 538), and macOS __CF_* variables: only ours must not leak through.
    leaked = sorted(k for k in os.environ if k not in env and k in seen["env"] and not k.startswith(("LC_", "__")))
    expect(not leaked, f"variables of this process reached a child given its own env: {leaked}")
    expect_equal("umask in the child", oct(seen["umask"]), oct(0o037))
    made = os.stat(os.path.join(where, "made-by-child"))
    expect_equal("mode of a file the child made with 0o666", oct(stat.S_IMODE(made.st_mode)), oct(0o640))
    expect_equal("this process's umask after the spawn", oct(_umask_os()), oct(before))
    return f"cwd, {len(env)} variables and nothing else of ours, umask 0o037 (a new file 0o640)"


@_check("process", "procinfo: figures read in a oneshot() block equal those read one call at a time")
def _procinfo_oneshot(ctx: Context) -> str:
    from .procinfo import ProcessInfo, ProcessStatus

    argv = [_PY, "-c", "import sys; print(flush=True); sys.stdin.readline()"]
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        try:
            _line(child.stdout)
            os.kill(child.pid, signal.SIGSTOP)  # stopped: no figure can move
            info = ProcessInfo(child.pid)
            deadline = time.monotonic() + _BOUND
            while info.status() != ProcessStatus.STOPPED:
                expect(time.monotonic() < deadline, f"status {info.status()!r}, not stopped, {_BOUND} s after SIGSTOP")
                time.sleep(0.001)

            def figures() -> dict[str, object]:
                return {
                    "name": info.name(), "exe": info.exe(), "cmdline": info.cmdline(), "cwd": info.cwd(),
                    "status": info.status(), "ppid": info.ppid(), "uids": info.uids(), "gids": info.gids(),
                    "num_threads": info.num_threads(), "threads": info.threads(), "create_time": info.create_time(),
                    "cpu_times": info.cpu_times(), "memory": info.memory(), "num_fds": info.num_fds(),
                    "is_running": info.is_running(),
                }  # fmt: skip

            one_by_one = figures()
            with info.oneshot():
                inside = figures()
                again = figures()
            for key, value in one_by_one.items():
                expect_equal(f"{key} in a oneshot block", inside[key], value)
                expect_equal(f"{key} read twice in the block", again[key], value)
            expect_equal("ppid", inside["ppid"], os.getpid())
            expect_equal("cmdline", inside["cmdline"], argv)
        finally:
            child.kill()
    return f"{len(inside)} figures of a stopped child, equal inside and outside the block"


@_check("memory", "anonymous map: write, read, view")
def _mem_anon(ctx: Context) -> str:
    memory = _module("memory")
    with memory.MappedRegion.anonymous(3 * mmap.PAGESIZE) as region:
        expect_equal("zeroed", region[0:4], b"\0\0\0\0")
        region[10:15] = b"hello"
        with region.view() as v:
            expect_equal("view", bytes(v[10:15]), b"hello")
            v[0] = 0x41
        expect_equal("read", region[0:1], b"A")
    return f"{len(b'hello')} bytes through slicing and a view in a 3-page map"


@_check("memory", "mprotect: PROT_READ refuses writes, restoring allows them")
def _mem_mprotect(ctx: Context) -> str:
    memory = _module("memory")
    with memory.MappedRegion.anonymous(2 * mmap.PAGESIZE) as region:
        region[0:3] = b"abc"
        region.mprotect(memory.PROT_READ)
        try:
            region[0:1] = b"x"
        except PermissionError:
            pass
        else:
            raise Failure("a write to a PROT_READ region was allowed")
        expect_equal("read after PROT_READ", region[0:3], b"abc")
        region.mprotect(memory.PROT_READ | memory.PROT_WRITE)
        region[0:1] = b"x"
        expect_equal("written after restoring", region[0:3], b"xbc")
    return "PROT_READ write refused with PermissionError, no signal"


@_check("memory", "file map: msync writes reach the file")
def _mem_file(ctx: Context) -> str:
    import macres

    memory = _module("memory")
    path = ctx.path("mapped")
    with macres.open(path, "w+") as fd:
        fd.ftruncate(mmap.PAGESIZE)
        with memory.MappedRegion.from_file(fd) as region:
            region[100:105] = b"synced"[:5]
            region.msync(memory.MS_SYNC)
            expect_equal("file after msync", fd.pread(5, 100), b"synce")
    with open(path, "rb") as f:
        f.seek(100)
        expect_equal("file after unmap", f.read(5), b"synce")
    return "MAP_SHARED write seen by pread after msync(MS_SYNC)"


@_check("memory", "a live view blocks dropping PROT_WRITE and defers the unmap")
def _mem_views(ctx: Context) -> str:
    memory = _module("memory")
    region = memory.MappedRegion.anonymous(mmap.PAGESIZE)
    try:
        view = region.view()
        try:
            region.mprotect(memory.PROT_READ)
        except BufferError:
            pass
        else:
            raise Failure("mprotect(PROT_READ) succeeded while a writable view was alive")
        address = region.address
        region.close()
        expect(region.closed, "close() did not close the region while a view was alive")
        expect(address in memory.live_mappings(), "the mapping was unmapped while a view was alive")
        view[0] = 0x5A  # the memory is still mapped: this must not fault
        view.release()
        expect(address not in memory.live_mappings(), "the mapping stayed after the last view was released")
    finally:
        region.close()
    return "BufferError for mprotect while the view lives; close() closes, the unmap waits for view.release()"


@_check("memory", "mlock and munlock")
def _mem_mlock(ctx: Context) -> str:
    memory = _module("memory")
    with memory.MappedRegion.anonymous(mmap.PAGESIZE) as region:
        try:
            region.mlock()
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.ENOMEM, errno.EAGAIN):
                soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
                raise Skip(f"mlock refused ({exc.strerror}); RLIMIT_MEMLOCK is {soft}") from None
            raise
        region.munlock()
    return "one page locked and unlocked"


# -- Socket -------------------------------------------------------------------------------
@_check("socket", "socketpair: send and recv")
def _sock_pair(ctx: Context) -> str:
    from .socket import Socket

    a, b = Socket.pair()
    with a, b:
        a.sendall(b"ping")
        expect_equal("recv", b.recv(10), b"ping")
        b.shutdown(socket.SHUT_WR)
        expect_equal("EOF", a.recv(10), b"")
    return "AF_UNIX stream pair, shutdown gives EOF"


@_check("socket", "TCP on loopback: listen, connect, accept, addresses")
def _sock_tcp(ctx: Context) -> str:
    from .socket import Socket

    with Socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = server.getsockname()
        with Socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(address)
            conn, peer = server.accept()
            with conn:
                expect_equal("peer", peer, client.getsockname())
                expect_equal("getpeername", client.getpeername(), address)
                client.sendall(b"x" * 100_000)
                client.shutdown(socket.SHUT_WR)
                got = bytearray()
                while chunk := conn.recv(65536):
                    got += chunk
                expect_equal("bytes received", len(got), 100_000)
    return f"100000 bytes over {address!r}"


@_check("socket", "typed options: SO_REUSEADDR, TCP_NODELAY, SO_LINGER, SO_RCVBUF, SO_TYPE")
def _sock_options(ctx: Context) -> str:
    from . import sockopt
    from .socket import Socket

    with Socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(sockopt.SO_REUSEADDR, True)
        expect_equal("SO_REUSEADDR", s.getsockopt(sockopt.SO_REUSEADDR), True)
        s.setsockopt(sockopt.TCP_NODELAY, True)
        expect_equal("TCP_NODELAY", s.getsockopt(sockopt.TCP_NODELAY), True)
        s.setsockopt(sockopt.SO_LINGER, sockopt.Linger(True, 3))
        expect_equal("SO_LINGER", s.getsockopt(sockopt.SO_LINGER), sockopt.Linger(True, 3))
        expect_equal("SO_TYPE", s.getsockopt(sockopt.SO_TYPE), socket.SOCK_STREAM)
        rcvbuf = s.getsockopt(sockopt.SO_RCVBUF)
        with socket.socket(fileno=os.dup(s.fileno())) as std:
            expect_equal("SO_RCVBUF (socket module)", rcvbuf, std.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
            expect_equal("SO_REUSEADDR (socket module)", std.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0, True)
    return f"set and read back, checked against the socket module (SO_RCVBUF {rcvbuf})"


@_check("socket", "option catalog: every readable option of a TCP socket decodes")
def _sock_catalog(ctx: Context) -> str:
    from . import sockopt

    read = refused = 0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        for opt in sockopt.options():
            if not opt.readable or opt.level_name not in ("SOL_SOCKET", "IPPROTO_IP", "IPPROTO_TCP"):
                continue
            try:
                opt.get(s.fileno())
            except OSError:
                refused += 1  # not for this socket, or needs privileges: the kernel's answer
                continue
            read += 1
    expect(read > 10, f"only {read} options could be read")
    return f"{read} decoded, {refused} refused by the kernel for this socket"


@_check("socket", "peer credentials of a socketpair are this process's")
def _sock_peercred(ctx: Context) -> str:
    from . import sockopt
    from .socket import Socket

    a, b = Socket.pair()
    with a, b:
        if sockopt.SO_PEERCRED.available:
            cred = b.getsockopt(sockopt.SO_PEERCRED)
            expect_equal("SO_PEERCRED (pid, uid, gid)", (cred.pid, cred.uid, cred.gid),
                         (os.getpid(), os.geteuid(), os.getegid()))
            return f"SO_PEERCRED pid {cred.pid} uid {cred.uid} gid {cred.gid}"
        xcred = b.getsockopt(sockopt.LOCAL_PEERCRED)
        expect_equal("LOCAL_PEERCRED uid", xcred.uid, os.geteuid())
        expect(os.getegid() in xcred.groups, f"LOCAL_PEERCRED groups {xcred.groups} lack gid {os.getegid()}")
        pid = b.getsockopt(sockopt.LOCAL_PEERPID)
        expect_equal("LOCAL_PEERPID", pid, os.getpid())
        return f"LOCAL_PEERCRED uid {xcred.uid}, {len(xcred.groups)} groups; LOCAL_PEERPID {pid}"


@_check("socket", "fd passing: SCM_RIGHTS over a socketpair")
def _sock_fds(ctx: Context) -> str:
    import macres
    from .socket import Socket

    a, b = Socket.pair()
    r, w = macres.pipe()
    with a, b, r, w:
        a.send_fds(b"fd", [w])
        data, fds = b.recv_fds(10, 4)
        expect_equal("data", data, b"fd")
        expect_equal("descriptors received", len(fds), 1)
        with fds[0] as received:
            expect(not received.inheritable, "a received descriptor is inheritable")
            expect(received.fileno() != w.fileno(), "received the same number")
            received.write(b"through the copy")
        expect_equal("read through the pipe", r.read(100), b"through the copy")
    return "a pipe's write end passed, written through the received copy"


# -- EventQueue and the event sources: oracles select.select, os, signal --------------------
def _readable(obj: int | HasFileno, timeout: float = 0.0) -> bool:
    """Whether *obj* is readable, as ``select.select`` sees it, waiting at most *timeout* seconds."""
    return bool(select.select([obj], [], [], timeout)[0])


@_check("event", "EventQueue: a pipe's readiness and EOF with the value registered, as select.select sees them")
def _ev_queue(ctx: Context) -> str:
    from .event import READ, WRITE, EventQueue

    r, w = os.pipe()
    try:
        token = object()  # a value of ours: the very object comes back
        with EventQueue[object]() as queue:
            queue.register(r, READ, token)
            queue.register(w, WRITE, "write end")
            first = queue.wait(timeout=0)
            expect_equal("(obj, data, readable, writable) with nothing written",
                         [(e.obj, e.data, e.readable, e.writable) for e in first], [(w, "write end", False, True)])
            expect_equal("select.select with nothing written", select.select([r], [w], [], 0), ([], [w], []))
            queue.unregister(w)
            os.write(w, b"12345")
            events = queue.wait(timeout=_BOUND)
            expect_equal("events once written", len(events), 1)
            ev = events[0]
            expect(ev.obj == r and ev.data is token, f"event {ev!r} is not the pipe's with our value")
            expect(ev.readable and not ev.writable and not ev.eof, f"event {ev!r}: not readable only")
            expect_equal("select.select once written", select.select([r], [], [], 0)[0], [r])
            expect_equal("still reported (level-triggered)", [e.data for e in queue.wait(timeout=0)], [token])
            expect_equal("read", os.read(r, 100), b"12345")
            expect_equal("after the read", queue.wait(timeout=0), [])
            os.close(w)
            w = -1
            events = queue.wait(timeout=_BOUND)
            expect_equal("events once the writer closed", len(events), 1)
            expect(events[0].eof and events[0].data is token, f"event {events[0]!r} after the writer closed: no EOF")
            expect_equal("read at EOF", os.read(r, 100), b"")
            queue.unregister(r)
            expect_equal("registrations left", len(queue), 0)
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    return "writable, then readable with our value (level-triggered), then EOF; select.select agrees"


@_check("event", "Timer: a one-shot expires once, a periodic one counts its expirations, cancel and set")
def _ev_timer(ctx: Context) -> str:
    from .sources import Timer

    with Timer(0.001) as once:
        expect(_readable(once, _BOUND), f"a 1 ms timer was not readable within {_BOUND} s")
        expect_equal("expirations of a one-shot timer", once.read(), 1)
        expect(not _readable(once), "a one-shot timer is readable again after its read")
        expect_equal("expirations read again", once.read(), 0)
        once.set(0.001)
        expect(_readable(once, _BOUND), "a timer re-armed with set() did not expire")
        expect_equal("expirations after set()", once.read(), 1)
    period = 0.002
    start = time.monotonic()  # before arming: no more than (now - start) / period expirations are possible
    with Timer(period, periodic=True) as tick:
        count = reads = 0
        deadline = start + _BOUND
        while count < 3:
            expect(time.monotonic() < deadline, f"a {period} s periodic timer expired {count} times in {_BOUND} s")
            if _readable(tick, deadline - time.monotonic()):
                got = tick.read()
                expect(got >= 1, "readable, but read() counted no expiration")
                count += got
                reads += 1
        elapsed = time.monotonic() - start
        expect(count <= elapsed / period + 1, f"{count} expirations in {elapsed:.4f} s of a {period} s period")
        tick.cancel()
        expect(not _readable(tick), "readable after cancel()")
        expect_equal("expirations after cancel()", tick.read(), 0)
    return f"one-shot: 1 expiration, again after set(); periodic: {count} expirations in {reads} reads, none after cancel()"


@_check("event", "UserEvent: triggered from another thread, read once")
def _ev_user(ctx: Context) -> str:
    import threading

    from .sources import UserEvent

    with UserEvent() as event:
        expect(not _readable(event), "readable before any trigger")
        expect_equal("read before any trigger", event.read(), False)
        def trigger_twice() -> None:
            event.trigger()
            event.trigger()

        helper = threading.Thread(target=trigger_twice)
        helper.start()
        helper.join(_BOUND)
        expect(not helper.is_alive(), f"trigger() did not return within {_BOUND} s")
        expect(_readable(event, _BOUND), "not readable after the other thread's trigger")
        expect_equal("read after two triggers", event.read(), True)
        expect_equal("read again", event.read(), False)
        expect(not _readable(event), "still readable after the read")
    return "two triggers in another thread: readable, one read True, then not readable"


def _threads_here() -> int:
    """This process's threads: /proc's count where there is one (C threads too), else Python's."""
    import threading

    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _alone() -> bool:
    """Whether this is the process's only thread, once threads that were joined have left (at most 1 s)."""
    deadline = time.monotonic() + 1.0  # a joined thread's exit can lag behind its join
    while _threads_here() > 1:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


@_check("event", "SignalSource: a signal sent with os.kill arrives there, not at its handler; restored on close")
def _ev_signal(ctx: Context) -> str:
    import threading

    from .event import READ, EventQueue
    from .sources import SignalSource

    if threading.current_thread() is not threading.main_thread():
        raise Skip("signal dispositions can only be changed in the main thread")
    sig = signal.SIGUSR1
    ran: list[int] = []
    # A handler of ours stands in for the default action, which would end this process.
    old_handler = signal.signal(sig, lambda signum, frame: ran.append(signum))
    handler = signal.getsignal(sig)
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    linux = raw.SYSTEM == "linux"
    # On Linux a signal to the process reaches the source only if every thread blocks it.
    sender = "os.kill" if not linux or _alone() else "signal.pthread_kill (other threads run here)"
    try:
        with SignalSource([sig]) as source, EventQueue() as queue:
            queue.register(source, READ)
            expect(not _readable(source), "readable before any signal")
            if linux:
                expect(sig in signal.pthread_sigmask(signal.SIG_BLOCK, []), f"{sig.name} is not blocked while open")
            else:
                expect_equal(f"{sig.name}'s disposition while open", signal.getsignal(sig), signal.SIG_IGN)
            if sender == "os.kill":
                os.kill(os.getpid(), sig)
            else:
                signal.pthread_kill(threading.get_ident(), sig)
            expect(bool(queue.wait(timeout=_BOUND)), f"no event within {_BOUND} s of the signal")
            infos = source.read()
            expect_equal("signals read", [i.signal for i in infos], [sig])
            if linux:
                expect_equal("sender's pid", infos[0].pid, os.getpid())
            expect_equal("read again", source.read(), [])
            queue.unregister(source)
        expect(not ran, "the handler ran while the source was open")
        expect_equal("signal mask after close", signal.pthread_sigmask(signal.SIG_BLOCK, []), old_mask)
        expect(signal.getsignal(sig) is handler, f"{sig.name}'s handler is {signal.getsignal(sig)!r} after close")
        if sig not in old_mask:
            os.kill(os.getpid(), sig)
            deadline = time.monotonic() + _BOUND
            while not ran and time.monotonic() < deadline:
                time.sleep(0.001)
            expect_equal("signals the handler got after close", ran, [sig])
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)  # our handler still catches what was pending
        signal.signal(sig, signal.SIG_DFL if old_handler is None else old_handler)
    how = "blocked" if linux else "ignored"
    return f"{sig.name} sent with {sender}: read from the source, {how} while open, the handler back after close"


def _watch_until(watch: FileWatch, want: Callable[[list[WatchEvent]], bool], what: str) -> list[WatchEvent]:
    """Read *watch* until what was read satisfies *want*, for at most _BOUND seconds."""
    seen: list[WatchEvent] = []
    deadline = time.monotonic() + _BOUND
    while not want(seen):
        remaining = deadline - time.monotonic()
        expect(remaining > 0, f"{what}: not reported within {_BOUND} s; saw {seen}")
        if _readable(watch, remaining):
            seen += watch.read()
    return seen


@_check("event", "FileWatch: create, modify, rename and delete of files made with os")
def _ev_watch(ctx: Context) -> str:
    from .sources import Change, FileWatch

    linux = raw.SYSTEM == "linux"  # inotify names the entries; kqueue reports on each watched vnode
    top = ctx.path("watched")
    os.mkdir(top)
    a, b = os.path.join(top, "a"), os.path.join(top, "b")

    def saw(events: list[WatchEvent], path: str, name: str | None, change: Change) -> bool:
        return any(e.path == path and e.name == name and e.changes & change for e in events)

    with FileWatch(top) as watch:
        expect_equal("paths", watch.paths, [top])
        fd = os.open(a, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            if linux:
                _watch_until(watch, lambda s: saw(s, top, "a", Change.CREATE), "CREATE of a")
            else:
                _watch_until(watch, lambda s: saw(s, top, None, Change.MODIFY), "MODIFY of the directory (a created)")
                watch.add(a)
            os.write(fd, b"data")
        finally:
            os.close(fd)
        if linux:
            _watch_until(watch, lambda s: saw(s, top, "a", Change.MODIFY), "MODIFY of a")
        else:
            _watch_until(watch, lambda s: saw(s, a, None, Change.MODIFY), "MODIFY of the file a")
        os.rename(a, b)
        if linux:
            moved = _watch_until(watch, lambda s: saw(s, top, "b", Change.MOVED_TO), "MOVED_TO b")
            cookies = {e.name: e.cookie for e in moved if e.changes & (Change.MOVED_FROM | Change.MOVED_TO)}
            expect(cookies.get("a") == cookies.get("b") != 0, f"MOVED_FROM a and MOVED_TO b unpaired: {moved}")
        else:
            _watch_until(watch, lambda s: saw(s, a, None, Change.MOVE_SELF) and saw(s, top, None, Change.MODIFY),
                         "MOVE_SELF of the file and MODIFY of the directory")  # fmt: skip
        os.unlink(b)
        if linux:
            _watch_until(watch, lambda s: saw(s, top, "b", Change.DELETE), "DELETE of b")
        else:
            _watch_until(watch, lambda s: saw(s, a, None, Change.DELETE_SELF), "DELETE_SELF of the file")
    if linux:
        return "CREATE, MODIFY, MOVED_FROM/MOVED_TO (one cookie) and DELETE, each with its name"
    return "the directory's MODIFY; the file's MODIFY, MOVE_SELF and DELETE_SELF"


@_check("event", "ProcessExit: readable once a child exits, by pid and by Process; the child left to its parent")
def _ev_process_exit(ctx: Context) -> str:
    from ._errors import UnsupportedOperation
    from .process import Process
    from .sources import ProcessExit

    code = "import sys; sys.stdin.buffer.read(); sys.exit(4)"
    with subprocess.Popen([_PY, "-c", code], stdin=subprocess.PIPE) as child:
        try:
            try:
                by_pid = ProcessExit(child.pid)
            except UnsupportedOperation as exc:
                raise Skip(str(exc)) from None
            with by_pid, Process(child.pid) as held, ProcessExit(held) as by_object:
                for source in (by_pid, by_object):
                    expect(not _readable(source), "readable while the child runs")
                    expect(not source.exited(), "exited() while the child runs")
                assert child.stdin is not None
                child.stdin.close()  # the child reads to EOF and exits
                for source in (by_pid, by_object):
                    expect(_readable(source, _BOUND), f"not readable within {_BOUND} s of the exit")
                    expect(source.exited(), "exited() is False once readable")
                    expect_equal("pid", source.pid, child.pid)
        finally:
            if child.stdin:
                child.stdin.close()
            status = child.wait(timeout=_BOUND)
    expect_equal("exit code (Popen.wait: the sources reaped nothing)", status, 4)
    return f"pid {child.pid}: not readable while it ran, readable after; Popen reaped it with code 4"


# -- macres.aio under asyncio and trio: the peers are the loops' own sockets -----------------
_ECHOED: Final = 1 << 20


async def _asyncio_echo(payload: bytes) -> bytes:
    """*payload* sent by a stdlib socket through asyncio's own calls, echoed by a macres AsyncSocket."""
    import asyncio

    from .aio import AsyncSocket
    from .socket import Socket

    loop = asyncio.get_running_loop()
    with Socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        server = AsyncSocket(listener)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.setblocking(False)
            address = listener.getsockname()
            assert isinstance(address, tuple)
            (conn, _), _ = await asyncio.gather(server.accept(), loop.sock_connect(client, address))
            with conn:

                async def echo() -> None:
                    while chunk := await conn.recv(65536):
                        await conn.sendall(chunk)

                async def send() -> None:
                    await loop.sock_sendall(client, payload)
                    client.shutdown(socket.SHUT_WR)

                async def receive() -> bytes:
                    got = bytearray()
                    while len(got) < len(payload) and (chunk := await loop.sock_recv(client, 65536)):
                        got += chunk
                    return bytes(got)

                _, _, echoed = await asyncio.gather(echo(), send(), receive())
                return echoed


@_check("async", "AsyncSocket under asyncio: accept, then 1 MiB echoed to a stdlib socket driven by the loop")
def _aio_asyncio_echo(ctx: Context) -> str:
    import asyncio

    payload = os.urandom(_ECHOED)
    echoed = asyncio.run(asyncio.wait_for(_asyncio_echo(payload), _BOUND))
    expect_equal("bytes echoed", len(echoed), len(payload))
    expect(echoed == payload, "the echo differs from what was sent")
    return f"{len(payload)} bytes through accept, recv and sendall"


@_check("async", "AsyncSocket under trio: accept, then 1 MiB echoed to a trio socket")
def _aio_trio_echo(ctx: Context) -> str:
    try:
        trio = importlib.import_module("trio")
    except ImportError as exc:
        raise Skip(f"trio is not importable here ({exc}); the asyncio echo runs without it") from None
    from .aio import AsyncSocket
    from .socket import Socket

    payload = os.urandom(_ECHOED)

    async def main() -> bytes:
        with trio.fail_after(_BOUND), Socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            server = AsyncSocket(listener)
            with trio.socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
                async with trio.open_nursery() as nursery:
                    nursery.start_soon(client.connect, listener.getsockname())
                    conn, _ = await server.accept()
                got = bytearray()
                with conn:

                    async def echo() -> None:
                        while chunk := await conn.recv(65536):
                            await conn.sendall(chunk)

                    async def send() -> None:
                        view = memoryview(payload)
                        while view:
                            view = view[await client.send(view[:65536]) :]
                        client.shutdown(socket.SHUT_WR)

                    async def receive() -> None:
                        while len(got) < len(payload) and (chunk := await client.recv(65536)):
                            got.extend(chunk)

                    async with trio.open_nursery() as nursery:
                        for fn in (echo, send, receive):
                            nursery.start_soon(fn)
                return bytes(got)

    echoed: bytes = trio.run(main)
    expect_equal("bytes echoed", len(echoed), len(payload))
    expect(echoed == payload, "the echo differs from what was sent")
    return f"trio {trio.__version__}: {len(payload)} bytes through accept, recv and sendall"


def _unread(fd: int) -> int:
    """The bytes the kernel holds unread for socket *fd* (``FIONREAD``)."""
    import struct
    import termios

    return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])


@_check("async", "a cancelled AsyncSocket.recv loses nothing: timed out, and cancelled after the loop read for it")
def _aio_cancelled_recv(ctx: Context) -> str:
    import asyncio

    from .aio import AsyncSocket
    from .socket import Socket

    async def main() -> tuple[bytes, bool]:
        a, b = Socket.pair()
        with a, b:
            sa = AsyncSocket(a)
            try:
                await asyncio.wait_for(sa.recv(100), 0.01)
            except asyncio.TimeoutError:
                pass
            else:
                raise Failure("recv returned with nothing sent")
            b.sendall(b"first")
            expect_equal("the recv after a timed-out one", await asyncio.wait_for(sa.recv(100), _BOUND), b"first")
            # The loop's callback reads for a waiting recv; cancel its task before it resumes.
            task = asyncio.ensure_future(sa.recv(100))
            await asyncio.sleep(0)
            b.sendall(b"hello")
            for _ in range(50):  # a few rounds of the loop at most
                await asyncio.sleep(0)
                if not _unread(a.fileno()):
                    break
            read_for_it = not _unread(a.fileno()) and not task.done()
            task.cancel()
            try:
                got = await task
            except asyncio.CancelledError:
                got = b""
            b.sendall(b"!")  # sent last: once it is read, every byte before it was too, or lost
            while not got.endswith(b"!"):
                chunk = await asyncio.wait_for(sa.recv(100), _BOUND)
                expect(bool(chunk), f"end of stream after {got!r}")
                got += chunk
            return got, read_for_it

    got, read_for_it = asyncio.run(asyncio.wait_for(main(), _BOUND))
    expect_equal("bytes after the cancelled recv", got, b"hello!")
    when = "after the loop had read its bytes" if read_for_it else "while it waited"
    return f"a timed-out recv took nothing; a recv cancelled {when} left b'hello' to the next"


@_check("async", "AsyncChild.wait and AsyncProcess.wait of a spawned child under asyncio")
def _aio_child(ctx: Context) -> str:
    import asyncio

    from .aio import AsyncChild, AsyncProcess
    from .process import PIPE, ExitStatus, Process

    code = "import sys; sys.stdin.buffer.read(); sys.exit(6)"
    with Process.spawn([_PY, "-c", code], stdin=PIPE) as child, Process(child.pid) as by_pid:

        async def main() -> ExitStatus:
            waiter = asyncio.ensure_future(AsyncChild(child).wait())
            watcher = asyncio.ensure_future(AsyncProcess(by_pid).wait())
            for _ in range(5):
                await asyncio.sleep(0)
            expect(not waiter.done() and not watcher.done(), "a wait returned while the child still ran")
            assert child.stdin is not None
            child.stdin.close()  # the child reads to EOF and exits
            await asyncio.wait_for(watcher, _BOUND)
            return await asyncio.wait_for(waiter, _BOUND)

        status = asyncio.run(main())
        expect_equal("exit code", status.code, 6)
        expect_equal("returncode", child.returncode, 6)
        try:
            os.waitpid(child.pid, os.WNOHANG)
        except ChildProcessError:
            pass
        else:
            raise Failure("the child was not reaped by AsyncChild.wait")
    return "pending while the child ran; exit code 6, reaped (waitpid: no such child)"


# -- the lifecycle every object shares ------------------------------------------------------
@_check("lifecycle", "a closed object refuses every operation, close is idempotent")
def _closed_refuses(ctx: Context) -> str:
    import macres
    from .socket import Socket

    fd = macres.open(ctx.path("closed"), "w")
    a, b = Socket.pair()
    for obj in (fd, a, b):
        obj.close()
        obj.close()
    for what, call in (
        ("read", lambda: fd.read(1)),
        ("fstat", fd.fstat),
        ("fileno", fd.fileno),
        ("send", lambda: a.send(b"x")),
        ("getsockopt", lambda: b.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)),
    ):
        try:
            call()
        except macres.ClosedResourceError:
            continue
        raise Failure(f"{what} on a closed object did not raise ClosedResourceError")
    return "read, fstat, fileno, send, getsockopt after close: ClosedResourceError"


@_check("lifecycle", "an object collected while open closes its descriptor and warns")
def _collected(ctx: Context) -> str:
    import gc
    import warnings

    import macres

    fd = macres.open(ctx.path("collected"), "w")
    number = fd.fileno()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del fd
        gc.collect()
    expect(any(issubclass(w.category, ResourceWarning) for w in caught), "no ResourceWarning")
    try:
        os.fstat(number)
    except OSError as exc:
        expect_equal("errno", exc.errno, errno.EBADF)
    else:
        raise Failure(f"descriptor {number} is still open after collection")
    return f"descriptor {number} closed, ResourceWarning emitted"
