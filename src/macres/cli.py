"""The ``macres`` command: inspect the bindings and this machine's resources.

Subcommands print aligned tables for people and ``--json`` for scripts.
Bad input is one line on stderr and exit status 1, never a traceback.

* ``macres bindings [--area AREA] [--json]``: the libc calls ``macres.raw``
  binds and which work here.
* ``macres stat PATH...``: what ``fstat``, ``fstatfs`` and ``fpathconf``
  report about each path, and the locks held on it with their owners' pids
  (``/proc/locks`` on Linux; ``F_GETLK`` on macOS): it takes none itself.
* ``macres proc [PID]``: ids, priority, credentials, the live figures
  (name, argv, memory, CPU times, descriptors, ...), resource usage and
  every resource limit of a process (default: this one).
* ``macres sockopts [--family F] [--type T] [--json]``: every catalogued
  socket option of such a socket, with its value or why there is none.
* ``macres selftest [--json]``: every object end to end on this machine and
  the ABI against the kernel; exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import errno
import json
import os
import stat as _stat
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from . import raw

if TYPE_CHECKING:
    from .fd import FileDescriptor  # imported by the commands that open files

_abi = raw.ABI


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 1."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: message`` and exit with status 1."""
        self.exit(1, f"{self.prog}: {message}\n")


class UsageError(Exception):
    """Bad input found after parsing: printed as one line, exit status 1."""


# -- formatting -----------------------------------------------------------------------
def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    return "\n".join(lines)


def _pairs(rows: Sequence[tuple[str, str]], indent: str = "  ") -> str:
    width = max((len(k) for k, _ in rows), default=0)
    return "\n".join(f"{indent}{k.ljust(width)}  {v}".rstrip() for k, v in rows)


def _dump(value: object) -> None:
    json.dump(value, sys.stdout, indent=2)
    print()


def _jsonable(value: object) -> Any:
    """A JSON-ready form: attrs values become objects, bytes hex, UUIDs strings."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    from uuid import UUID

    if isinstance(value, UUID):
        return str(value)
    cls = type(value)
    if attrs.has(cls):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(cls)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _show(value: object, limit: int = 72) -> str:
    """A one-line human form of an option value, cut at *limit* characters."""
    if isinstance(value, bool):
        text = "on" if value else "off"
    elif isinstance(value, (bytes, bytearray)):
        text = f"{len(value)} bytes: {bytes(value).hex()}" if value else "(empty)"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_UNITS = (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10))


def human_bytes(n: int) -> str:
    """``n`` bytes in the largest binary unit it reaches: ``8 MiB``, ``1.5 GiB``, ``512 bytes``."""
    for unit, size in _UNITS:
        if n >= size:
            value = n / size
            return f"{n // size} {unit}" if n % size == 0 else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _errtext(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return f"{name}: {exc.strerror or os.strerror(exc.errno)}"
    return f"{type(exc).__name__}: {exc}"


def _fail(exc: BaseException, what: str) -> str:
    """The one stderr line for an OSError about *what*."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{what}: {exc.strerror}"
    return f"{what}: {exc}"


# -- bindings -----------------------------------------------------------------------------
def _availability(b: raw.Binding) -> str:
    if b.available:
        return "available"
    if b.counterpart:
        return f"unavailable (use {b.counterpart})"
    return "unavailable"


def cmd_bindings(args: argparse.Namespace) -> int:
    """Print the table of bindings, optionally of one area."""
    rows = [b for b in raw.BINDINGS if args.area is None or b.area == args.area]
    if not rows:
        areas = ", ".join(sorted({b.area for b in raw.BINDINGS}))
        raise UsageError(f"no area {args.area!r} (areas: {areas})")
    if args.json:
        keys = ("go_name", "python_name", "symbol", "area", "prototype", "available", "implementation", "counterpart")
        _dump([{k: getattr(b, k) for k in keys} for b in rows])
        return 0
    header = ("go", "macres.raw", "area", "here", "implementation", "C prototype")
    body = [(b.go_name, b.python_name, b.area, _availability(b), b.implementation, b.prototype) for b in rows]
    print(_table(body, header))
    here = sum(b.available for b in rows)
    print(f"\n{len(rows)} bindings, {here} available on {raw.SYSTEM} {raw.ARCH}")
    return 0


# -- stat ---------------------------------------------------------------------------------
_FILE_TYPES = (
    (_stat.S_ISREG, "regular file"),
    (_stat.S_ISDIR, "directory"),
    (_stat.S_ISLNK, "symbolic link"),
    (_stat.S_ISCHR, "character device"),
    (_stat.S_ISBLK, "block device"),
    (_stat.S_ISFIFO, "fifo"),
    (_stat.S_ISSOCK, "socket"),
)

# Linux statfs f_type magic numbers of common file systems (linux/magic.h).
_FS_MAGIC = {
    0xEF53: "ext2/3/4", 0x01021994: "tmpfs", 0x794C7630: "overlayfs", 0x58465342: "xfs",
    0x9123683E: "btrfs", 0x9FA0: "proc", 0x62656572: "sysfs", 0x6969: "nfs", 0x1CD1: "devpts",
    0x4D44: "vfat", 0x65735546: "fuse", 0x2FC12FC1: "zfs", 0x858458F6: "ramfs", 0x27E0EB: "cgroup",
    0x63677270: "cgroup2", 0x73717368: "squashfs", 0x01021997: "9p", 0xFF534D42: "cifs",
}  # fmt: skip


def _file_type(mode: int) -> str:
    for test, name in _FILE_TYPES:
        if test(mode):
            return name
    return f"unknown ({_stat.S_IFMT(mode):#o})"


def _owner(uid: int, gid: int) -> tuple[str, str]:
    import grp
    import pwd

    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = "?"
    try:
        group = grp.getgrgid(gid).gr_name
    except KeyError:
        group = "?"
    return f"{uid} ({user})", f"{gid} ({group})"


def _when(ns: int | None) -> str:
    if ns is None:
        return "-"
    sec, frac = divmod(ns, 1_000_000_000)
    local = time.localtime(sec)
    return time.strftime("%Y-%m-%d %H:%M:%S", local) + f".{frac:09d} " + time.strftime("%z", local)


def _device(dev: int) -> str:
    return f"{dev} ({os.major(dev)},{os.minor(dev)})"


def _stat_rows(st: raw.Stat) -> list[tuple[str, str, object]]:
    uid, gid = _owner(st.st_uid, st.st_gid)
    rows: list[tuple[str, str, object]] = [
        ("type", _file_type(st.st_mode), _file_type(st.st_mode)),
        ("mode", f"{_stat.S_IMODE(st.st_mode):04o} ({_stat.filemode(st.st_mode)})", st.st_mode),
        ("size", f"{st.st_size} ({human_bytes(st.st_size)})", st.st_size),
        ("blocks", f"{st.st_blocks} of 512 bytes, I/O block {st.st_blksize}", st.st_blocks),
        ("inode", str(st.st_ino), st.st_ino),
        ("device", _device(st.st_dev), st.st_dev),
        ("links", str(st.st_nlink), st.st_nlink),
        ("uid", uid, st.st_uid),
        ("gid", gid, st.st_gid),
    ]
    if _stat.S_ISCHR(st.st_mode) or _stat.S_ISBLK(st.st_mode):
        rows.append(("rdev", _device(st.st_rdev), st.st_rdev))
    rows += [
        ("access", _when(st.st_atime_ns), st.st_atime_ns),
        ("modify", _when(st.st_mtime_ns), st.st_mtime_ns),
        ("change", _when(st.st_ctime_ns), st.st_ctime_ns),
    ]
    if st.st_birthtime_ns is not None:
        rows.append(("birth", _when(st.st_birthtime_ns), st.st_birthtime_ns))
    if st.st_flags is not None:
        rows.append(("flags", f"{st.st_flags:#x}", st.st_flags))
    if st.st_gen is not None:
        rows.append(("generation", str(st.st_gen), st.st_gen))
    return rows


def _statfs_rows(fs: raw.StatFS) -> list[tuple[str, str, object]]:
    kind = fs.f_fstypename or _FS_MAGIC.get(fs.f_type, "unknown")
    unit = fs.f_frsize or fs.f_bsize
    rows: list[tuple[str, str, object]] = [
        ("type", f"{kind} ({fs.f_type:#x})", kind),
        ("block size", f"{fs.f_bsize}" + (f", fragment {fs.f_frsize}" if fs.f_frsize else ""), fs.f_bsize),
        ("blocks", f"{fs.f_blocks} ({human_bytes(fs.f_blocks * unit)})", fs.f_blocks),
        ("free", f"{fs.f_bfree} ({human_bytes(fs.f_bfree * unit)})", fs.f_bfree),
        ("available", f"{fs.f_bavail} ({human_bytes(fs.f_bavail * unit)})", fs.f_bavail),
        ("files", f"{fs.f_files}, {fs.f_ffree} free", fs.f_files),
        ("fsid", f"{fs.f_fsid[0] & 0xFFFFFFFF:#x}, {fs.f_fsid[1] & 0xFFFFFFFF:#x}", list(fs.f_fsid)),
        ("flags", f"{fs.f_flags:#x}", fs.f_flags),
    ]
    if fs.f_namelen is not None:
        rows.append(("name length", str(fs.f_namelen), fs.f_namelen))
    if fs.f_iosize is not None:
        rows.append(("I/O size", str(fs.f_iosize), fs.f_iosize))
    if fs.f_mntonname:
        rows.append(("mounted on", fs.f_mntonname, fs.f_mntonname))
    if fs.f_mntfromname:
        rows.append(("mounted from", fs.f_mntfromname, fs.f_mntfromname))
    return rows


def _pathconf_rows(limit: Callable[[int], int | None]) -> list[tuple[str, str, object]]:
    rows: list[tuple[str, str, object]] = []
    for key, number in sorted(_abi.CONSTANTS["pathconf"].items()):
        name = key[len("_PC_") :]
        try:
            value = limit(number)
        except OSError as exc:
            rows.append((name, f"- ({_errtext(exc)})", None))
            continue
        rows.append((name, "no limit" if value is None else str(value), value))
    return rows


#: The lock kinds of ``/proc/locks`` and the names macres stat gives them.
_LOCK_KINDS = {"FLOCK": "flock", "POSIX": "posix", "OFDLCK": "ofd"}


def _lock_table(st: raw.Stat, table: str) -> list[dict[str, Any]]:
    """The locks on the file of *st* that the kernel's lock table (``/proc/locks``) lists, with their owners.

    Each line is ``N: KIND ADVISORY|MANDATORY READ|WRITE PID MAJ:MIN:INODE START END|EOF``
    (waiters, ``N: -> ...``, hold nothing and are left out).  An
    open-file-description lock (OFDLCK) has pid -1: its owner is a
    description, so the processes holding it are found in the ``lock:``
    lines of ``/proc/PID/fdinfo/FD`` (those this user may read).  Nothing is
    locked or opened to find them.
    """
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    found: list[dict[str, Any]] = []
    with open(table, encoding="ascii", errors="replace") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 8 or fields[1] == "->" or fields[5] != device:
                continue
            start = int(fields[6])
            length = 0 if fields[7] == "EOF" else int(fields[7]) - start + 1
            pid = int(fields[4])
            found.append(
                {"kind": _LOCK_KINDS.get(fields[1], fields[1].lower()), "type": fields[3].lower(),
                 "pid": pid if pid > 0 else None, "start": start, "length": length}
            )  # fmt: skip
    if any(lock["pid"] is None for lock in found):
        holders = _description_holders(device)
        for lock in found:
            if lock["pid"] is None:
                key = (lock["type"], lock["start"], lock["length"])
                lock["pids"] = sorted(pid for pid, held in holders if held == key)
    return found


def _description_holders(device: str) -> list[tuple[int, tuple[str, int, int]]]:
    """(pid, (type, start, length)) for each OFD lock on *device* that a process's fdinfo lists."""
    out: list[tuple[int, tuple[str, int, int]]] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fdinfo")
        except OSError:  # gone, or not ours to read
            continue
        seen: set[tuple[str, int, int]] = set()
        for fd in fds:
            try:
                with open(f"/proc/{entry}/fdinfo/{fd}", encoding="ascii", errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            for line in text.splitlines():
                fields = line.split()
                if len(fields) >= 9 and fields[0] == "lock:" and fields[2] == "OFDLCK" and fields[6] == device:
                    start = int(fields[7])
                    length = 0 if fields[8] == "EOF" else int(fields[8]) - start + 1
                    seen.add((fields[4].lower(), start, length))
        out.extend((int(entry), key) for key in seen)
    return out


def _record_lock(fd: FileDescriptor) -> list[dict[str, Any]]:
    """Where there is no lock table: ``F_GETLK`` for a conflicting POSIX record lock and its pid (taking nothing).

    flock locks cannot be seen there without taking one, so they are not reported.
    """
    holder = fd.lock_holder()
    if holder is None:
        return []
    kind = "write" if holder.exclusive else "read"
    return [{"kind": "posix", "type": kind, "pid": holder.pid, "start": holder.start, "length": holder.length}]


def _lock_text(locks: list[dict[str, Any]] | None) -> str:
    if locks is None:
        return "unknown (no lock table here, and the file was not opened)"
    if not locks:
        return "none"
    parts = []
    for lock in locks:
        extent = "to end of file" if lock["length"] == 0 else f"{lock['length']} bytes"
        if lock["pid"] is not None:
            owner = f"pid {lock['pid']}"
        else:
            pids = ", ".join(map(str, lock.get("pids", []))) or "none visible"
            owner = f"an open file description (the kernel says pid -1; held in pids {pids})"
        parts.append(f"{lock['kind']} {lock['type']} lock by {owner} from byte {lock['start']}, {extent}")
    return "; ".join(parts)


def _stat_one(path: str) -> dict[str, Any]:
    """The report of one path; OSError when it cannot be looked at.

    Only regular files and directories are opened (for the fstat family and
    the lock probe).  Opening anything else acts on it: opening a FIFO for
    reading releases a writer blocked in open(2), which then gets EPIPE
    once it is closed again, and opening a device can reset or claim it.
    Those are looked at through the path calls.
    """
    import macres

    flags = macres.O_RDONLY | macres.O_NONBLOCK | macres.O_NOCTTY
    report: dict[str, Any] = {"path": path}
    lst = raw.lstat(path)  # FileNotFoundError etc. for a bad path, before anything else
    if _stat.S_ISLNK(lst.st_mode):
        report["symlink"] = os.readlink(path)
    target = raw.stat(path) if _stat.S_ISLNK(lst.st_mode) else lst  # what open would reach
    fd: FileDescriptor | None = None
    if _stat.S_ISREG(target.st_mode) or _stat.S_ISDIR(target.st_mode):
        try:
            fd = macres.open(path, flags)
        except OSError as exc:  # unreadable: the path calls
            why = _errtext(exc)
    else:
        why = f"a {_file_type(target.st_mode)}, and opening one acts on it"
    if fd is None:
        report["opened"] = f"no ({why}); path calls used"
        st, fs = raw.stat(path), raw.statfs(path)
        pathconf = _pathconf_rows(lambda n: raw.pathconf(path, n))
        locks = None
    else:
        with fd:
            report["opened"] = "yes (O_RDONLY|O_NONBLOCK): FileDescriptor.fstat, fstatfs, fpathconf"
            st, fs = fd.fstat(), fd.fstatfs()
            pathconf = _pathconf_rows(fd.fpathconf)
            locks = None if _abi.LOCKS_TABLE else _record_lock(fd)
    if _abi.LOCKS_TABLE:  # every kind, with pids, without opening or locking anything
        locks = _lock_table(st, _abi.LOCKS_TABLE)
    report["stat"] = _stat_rows(st)
    report["statfs"] = _statfs_rows(fs)
    report["pathconf"] = pathconf
    report["lock_text"] = _lock_text(locks)
    report["lock"] = locks
    return report


def _stat_text(report: dict[str, Any]) -> str:
    lines = [f"{report['path']}" + (f" -> {report['symlink']}" if "symlink" in report else "")]
    head: list[tuple[str, str]] = [("opened", report["opened"]), ("locks", report["lock_text"])]
    lines.append(_pairs(head))
    for title, key in (("file", "stat"), ("file system", "statfs"), ("limits (fpathconf)", "pathconf")):
        lines.append(f"  {title}")
        lines.append(_pairs([(k, v) for k, v, _ in report[key]], indent="    "))
    return "\n".join(lines)


def _stat_json(report: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"path": report["path"], "opened": report["opened"]}
    if "symlink" in report:
        out["symlink"] = report["symlink"]
    for key in ("stat", "statfs", "pathconf"):
        out[key] = {k: _jsonable(v) for k, _, v in report[key]}
    out["lock"] = _jsonable(report["lock"])
    return out


def cmd_stat(args: argparse.Namespace) -> int:
    """Report each path; a path that cannot be looked at is one line on stderr."""
    status = 0
    reports = []
    for path in args.paths:
        try:
            reports.append(_stat_one(path))
        except (OSError, ValueError) as exc:
            print(_fail(exc, f"macres stat: {path or repr(path)}"), file=sys.stderr)
            status = 1
    if args.json:
        _dump([_stat_json(r) for r in reports])
    elif reports:
        print("\n\n".join(_stat_text(r) for r in reports))
    return status


# -- proc ----------------------------------------------------------------------------------
_RLIMIT_UNITS = {
    "RLIMIT_AS": "bytes", "RLIMIT_CORE": "bytes", "RLIMIT_DATA": "bytes", "RLIMIT_FSIZE": "bytes",
    "RLIMIT_MEMLOCK": "bytes", "RLIMIT_MSGQUEUE": "bytes", "RLIMIT_RSS": "bytes", "RLIMIT_STACK": "bytes",
    "RLIMIT_CPU": "seconds", "RLIMIT_RTTIME": "microseconds",
    "RLIMIT_NOFILE": "descriptors", "RLIMIT_NPROC": "processes", "RLIMIT_SIGPENDING": "signals",
    "RLIMIT_LOCKS": "locks", "RLIMIT_NICE": "nice ceiling (20 - n)", "RLIMIT_RTPRIO": "priority",
}  # fmt: skip
# Flags or aliases in the rlimit group that are not limits of their own.
_NOT_LIMITS = frozenset({"RLIM_INFINITY", "RLIMIT_CPU_USAGE_MONITOR"})


def human_limit(value: int, unit: str, infinity: int) -> str:
    """A limit in human units: ``unlimited``, ``8 MiB``, ``60 s``, ``1024``."""
    if value == infinity:
        return "unlimited"
    if unit == "bytes":
        return human_bytes(value)
    if unit == "seconds":
        return f"{value} s"
    if unit == "microseconds":
        return f"{value} us"
    return str(value)


def _rlimit_names() -> list[tuple[str, int]]:
    """(names, number) of every limit, aliases joined (darwin's RLIMIT_AS is RLIMIT_RSS)."""
    by_number: dict[int, list[str]] = {}
    for name, number in _abi.CONSTANTS["rlimit"].items():
        if name not in _NOT_LIMITS:
            by_number.setdefault(number, []).append(name)
    return sorted(("/".join(sorted(names)), number) for number, names in by_number.items())


def _attempt(func: Callable[[], object]) -> object:
    """The value of *func()*, or the exception it raised (shown as the reason)."""
    try:
        return func()
    except (OSError, ValueError) as exc:
        return exc


def _proc_report(pid: int | None) -> dict[str, Any]:
    from .process import RLIM_INFINITY, Process

    with contextlib.ExitStack() as stack:
        proc = Process.current() if pid is None else stack.enter_context(Process(pid))
        ids: dict[str, object] = {
            "pid": proc.pid,
            "ppid": _attempt(lambda: proc.ppid),
            "pgid": _attempt(lambda: proc.pgid),
            "sid": _attempt(lambda: proc.sid),
            "priority": _attempt(proc.getpriority),
            "uid": _attempt(lambda: proc.uid),
            "euid": _attempt(lambda: proc.euid),
            "gid": _attempt(lambda: proc.gid),
            "egid": _attempt(lambda: proc.egid),
            "groups": _attempt(lambda: proc.groups),
        }
        usage = _attempt(proc.rusage)
        limits = []
        for name, number in _rlimit_names():
            unit = _RLIMIT_UNITS.get(name.split("/")[0], "")
            got = _attempt(lambda: proc.rlimit(number))
            limits.append((name, unit, got))
    return {"ids": ids, "usage": usage, "limits": limits, "infinity": RLIM_INFINITY}


def _info_report(pid: int | None) -> dict[str, object]:
    """The live figures of :class:`macres.procinfo.ProcessInfo`, each a value or the exception that refused it."""
    from .procinfo import ProcessInfo

    info = ProcessInfo(os.getpid() if pid is None else pid)
    with info.oneshot():  # one read of each source: figures from one moment
        return {
            "name": _attempt(info.name),
            "exe": _attempt(info.exe),
            "cmdline": _attempt(info.cmdline),
            "cwd": _attempt(info.cwd),
            "status": _attempt(info.status),
            "ppid": _attempt(info.ppid),
            "uids": _attempt(info.uids),
            "gids": _attempt(info.gids),
            "create_time": _attempt(info.create_time),
            "cpu_times": _attempt(info.cpu_times),
            "memory": _attempt(info.memory),
            "num_threads": _attempt(info.num_threads),
            "num_fds": _attempt(info.num_fds),
            "descriptors": _attempt(info.open_descriptors),
            "children": _attempt(lambda: [c.pid for c in info.children()]),
        }


def _info_text(name: str, value: object) -> str:
    """One line of the live figures for people."""
    from .procinfo import CpuTimes, Ids, MemoryInfo

    if isinstance(value, Exception):
        return f"- ({_errtext(value)})"
    if value is None:
        return "-"
    if name == "cmdline" and isinstance(value, list):
        return " ".join(value) or "(none)"
    if name == "create_time" and isinstance(value, float):
        return _when(int(value * 1_000_000_000))
    if isinstance(value, CpuTimes):
        return f"user {value.user:.2f} s, system {value.system:.2f} s"
    if isinstance(value, MemoryInfo):
        return f"rss {human_bytes(value.rss)}, vms {human_bytes(value.vms)}"
    if isinstance(value, Ids):
        return f"real {value.real}, effective {value.effective}, saved {value.saved}"
    if name == "descriptors" and isinstance(value, list):
        kinds: dict[str, int] = {}
        for d in value:
            kinds[d.kind.value] = kinds.get(d.kind.value, 0) + 1
        return ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "(none)"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, list):
        return " ".join(map(str, value)) or "(none)"
    return str(value)


_RUSAGE_FIELDS = (
    "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
    "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
)  # fmt: skip


def _usage_rows(usage: Any) -> list[tuple[str, str, object]]:
    return [
        ("user time", f"{usage.ru_utime:.6f} s", usage.ru_utime),
        ("system time", f"{usage.ru_stime:.6f} s", usage.ru_stime),
        ("max resident", human_bytes(usage.ru_maxrss), usage.ru_maxrss),
        ("minor faults", str(usage.ru_minflt), usage.ru_minflt),
        ("major faults", str(usage.ru_majflt), usage.ru_majflt),
        ("blocks in", str(usage.ru_inblock), usage.ru_inblock),
        ("blocks out", str(usage.ru_oublock), usage.ru_oublock),
        ("signals", str(usage.ru_nsignals), usage.ru_nsignals),
        ("voluntary switches", str(usage.ru_nvcsw), usage.ru_nvcsw),
        ("involuntary switches", str(usage.ru_nivcsw), usage.ru_nivcsw),
    ]


def cmd_proc(args: argparse.Namespace) -> int:
    """Report one process (default: this one)."""
    if args.pid is not None and args.pid <= 0:
        raise UsageError(f"pid must be positive, not {args.pid}")
    try:
        report = _proc_report(args.pid)
        live = _info_report(args.pid)
    except ProcessLookupError:
        raise UsageError(f"no process {args.pid}") from None
    except OverflowError:
        raise UsageError(f"no process {args.pid} (out of range)") from None
    infinity = report["infinity"]
    if args.json:
        ids = {k: (None if isinstance(v, Exception) else v) for k, v in report["ids"].items()}
        unavailable = {k: _errtext(v) for k, v in report["ids"].items() if isinstance(v, Exception)}
        usage = report["usage"]
        limits: dict[str, object] = {}
        for name, unit, got in report["limits"]:
            if isinstance(got, Exception):
                limits[name] = {"unit": unit, "error": _errtext(got)}
            else:
                soft, hard = got
                limits[name] = {
                    "unit": unit,
                    "soft": None if soft == infinity else soft,
                    "hard": None if hard == infinity else hard,
                }
        _dump(
            {
                "ids": ids,
                "unavailable": unavailable,
                "usage": None if isinstance(usage, Exception) else {f: getattr(usage, f) for f in _RUSAGE_FIELDS},
                "usage_error": _errtext(usage) if isinstance(usage, Exception) else None,
                "limits": limits,
                "live": {k: (None if isinstance(v, Exception) else _jsonable(v)) for k, v in live.items()},
                "live_unavailable": {k: _errtext(v) for k, v in live.items() if isinstance(v, Exception)},
            }
        )
        return 0

    def text(v: object) -> str:
        if isinstance(v, Exception):
            return f"- ({_errtext(v)})"
        if isinstance(v, list):
            return " ".join(map(str, v)) or "(none)"
        return str(v)

    ids = report["ids"]
    print(f"process {ids['pid']}" + (" (this process)" if args.pid is None else ""))
    print(_pairs([(k, text(v)) for k, v in ids.items()]))
    print("live figures")
    print(_pairs([(k.replace("_", " "), _info_text(k, v)) for k, v in live.items()]))
    print("resource usage")
    usage = report["usage"]
    if isinstance(usage, Exception):
        print(f"  - ({_errtext(usage)})")
    else:
        print(_pairs([(k, v) for k, v, _ in _usage_rows(usage)]))
    print("limits")
    rows = []
    for name, unit, got in report["limits"]:
        if isinstance(got, Exception):
            rows.append((name, "-", "-", f"({_errtext(got)})"))
        else:
            soft, hard = got
            rows.append((name, human_limit(soft, unit, infinity), human_limit(hard, unit, infinity), unit))
    print("\n".join("  " + line for line in _table(rows, ("resource", "soft", "hard", "unit")).splitlines()))
    return 0


# -- sockopts ------------------------------------------------------------------------------
_FAMILIES = {"inet": "AF_INET", "inet6": "AF_INET6", "unix": "AF_UNIX"}
_TYPES = {"stream": "SOCK_STREAM", "dgram": "SOCK_DGRAM"}


def _levels(family: str, kind: str) -> set[str]:
    """The option levels that apply to such a socket."""
    levels = {"SOL_SOCKET"}
    if family == "unix":
        levels.add("SOL_LOCAL")
    else:
        levels.add("IPPROTO_IP" if family == "inet" else "IPPROTO_IPV6")
        levels.add("IPPROTO_TCP" if kind == "stream" else "IPPROTO_UDP")
    return levels


def cmd_sockopts(args: argparse.Namespace) -> int:
    """List every catalogued option of a new socket of the given family and type, with its value."""
    from . import sockopt
    from .socket import Socket

    family = int(getattr(_abi, _FAMILIES[args.family]))
    kind = int(getattr(_abi, _TYPES[args.type]))
    levels = None if args.all else _levels(args.family, args.type)
    rows = []
    with Socket(family, kind) as sock:
        fd = sock.fileno()
        for opt in sockopt.options():
            if levels is not None and opt.level_name not in levels:
                continue
            entry: dict[str, Any] = {
                "level": opt.level_name,
                "name": opt.name,
                "number": opt.number,
                "type": opt.codec.ctype,
                "access": opt.access,
                "alias_of": opt.alias_of,
            }
            if not opt.readable:
                entry["reason"] = "set-only: cannot be read"
            else:
                try:
                    entry["value"] = opt.get(fd)
                except (OSError, ValueError) as exc:
                    entry["reason"] = _errtext(exc)
            rows.append(entry)
    if args.json:
        _dump(
            [{k: (_jsonable(v) if k == "value" else v) for k, v in entry.items()} for entry in rows]
        )
        return 0
    body = [
        (
            e["level"],
            e["name"] + (f" (= {e['alias_of']})" if e["alias_of"] else ""),
            e["type"],
            e["access"],
            _show(e["value"]) if "value" in e else f"- ({e['reason']})",
        )
        for e in rows
    ]
    print(_table(body, ("level", "option", "type", "access", "value")))
    read = sum("value" in e for e in rows)
    print(f"\n{len(rows)} options of a new {args.family} {args.type} socket on {raw.SYSTEM}, {read} read")
    return 0


# -- selftest ------------------------------------------------------------------------------
_MARK = {"pass": "pass", "fail": "FAIL", "skip": "skip"}


def cmd_selftest(args: argparse.Namespace) -> int:
    """Run the checks of :mod:`macres._selftest`; exit status 1 if any failed."""
    from . import _selftest

    areas = frozenset(args.area) if args.area else None
    if areas is not None:
        unknown = sorted(areas - set(_selftest.AREAS))
        if unknown:
            raise UsageError(f"no area {unknown[0]!r} (areas: {', '.join(_selftest.AREAS)})")
    env = _selftest.environment()
    results = _selftest.run(areas)
    counts = {s: sum(r.status == s for r in results) for s in ("pass", "fail", "skip")}
    if args.json:
        _dump(
            {
                "environment": env,
                "results": [attrs.asdict(r) for r in results],
                "summary": {"passed": counts["pass"], "failed": counts["fail"], "skipped": counts["skip"]},
            }
        )
        return 1 if counts["fail"] else 0
    print("macres selftest")
    print(_pairs(list(env.items())))
    print()
    print(_table([(r.area, r.name, _MARK[r.status], r.detail) for r in results], ("area", "check", "result", "detail")))
    print(
        f"\n{len(results)} checks: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped"
    )
    failed = [r for r in results if r.status == "fail"]
    if failed:
        print("\nFailures (please include this whole output in a bug report):")
        for r in failed:
            print(f"\n[{r.area}] {r.name}: {r.detail}")
            if r.traceback and args.verbose:
                print(r.traceback.rstrip())
        if not args.verbose:
            print("\n(run `macres selftest --verbose` for the tracebacks)")
    return 1 if failed else 0


# -- the parser ----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``macres`` command."""
    parser = _Parser(prog="macres", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("bindings", help="the libc calls macres.raw binds, and which work here")
    p.add_argument("--area", help="only this area (fd, fs, dir, process, ids, memory, socket, event, time, system)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_bindings)

    p = sub.add_parser("stat", help="fstat, fstatfs, fpathconf limits and lock holders of files")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stat)

    p = sub.add_parser("proc", help="ids, priority, credentials, usage and limits of a process")
    p.add_argument("pid", nargs="?", type=int, metavar="PID", help="default: this process")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_proc)

    p = sub.add_parser("sockopts", help="every catalogued option of a socket, with its value")
    p.add_argument("--family", choices=sorted(_FAMILIES), default="inet")
    p.add_argument("--type", choices=sorted(_TYPES), default="stream")
    p.add_argument("--all", action="store_true", help="every level, not only those of such a socket")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_sockopts)

    p = sub.add_parser("selftest", help="check every object and the ABI on this machine")
    p.add_argument("--area", action="append", metavar="AREA", help="only this area (repeatable): abi, fd, files, process, memory, socket, event, async, lifecycle")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="print the traceback of each failure")
    p.set_defaults(func=cmd_selftest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
        sys.stdout.flush()
    except UsageError as exc:
        print(f"macres {args.command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `macres bindings | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except (OSError, ValueError) as exc:
        print(_fail(exc, f"macres {args.command}"), file=sys.stderr)
        return 1
    return status

