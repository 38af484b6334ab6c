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
from typing import Final, Literal, TypeVar

import attrs

from . import raw
from .raw._errcheck import check_int
from .raw._libc import function

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
AREAS: Final = ("abi", "fd", "process", "memory", "socket", "lifecycle")


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
        for check in CHECKS:
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
        try:
            child.kill(signal.SIGTERM)
        except ProcessLookupError:
            pass
        else:
            raise Failure("signalling a reaped child did not raise ProcessLookupError")
    return "SIGTERM delivered and decoded; a reaped child refuses signals"


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
