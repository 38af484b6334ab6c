"""The process that runs one fuzz batch (started by test_fuzz.py; see its docstring for what is excluded).

Usage: ``python fuzz_child.py SANDBOX`` with the pickled batch on stdin.
Before any call it makes itself harmless: it runs in its own session, moves
into SANDBOX, limits its address space, and when it runs as root becomes
uid/gid 65534 (nobody), so no generated call can touch files outside
world-writable places or signal other users' processes.  Every path-like
argument is reduced to one name inside SANDBOX.  Each call gets 0.2 s: a
call still blocked then (a read on an empty pipe it made itself) is stopped
by SIGALRM, whose handler raises ``Blocked`` (which checks that an
interrupted call lets a handler's exception through).

Results go to ``SANDBOX/report.pickle`` as ``[(call, qualname, outcome), ...]``;
before each call its description is written to ``SANDBOX/last`` so that a
crash can be traced to the call that caused it.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401 - imported before the privilege drop: later imports may not read the stdlib
import inspect
import os
import pickle
import resource
import signal
import socket
import sys
import traceback
from typing import Any

import macres
from macres import raw

#: The exceptions the documentation allows (ClosedResourceError is a ValueError,
#: UnsupportedOperation an OSError), and MemoryError for sizes beyond the 4 GiB
#: address space this process gives itself (buffers are allocated before the call).
ALLOWED = (OSError, ValueError, TypeError, OverflowError, BufferError, MemoryError)

#: Parameter names whose str/bytes values are paths (or AF_UNIX addresses).
PATH_PARAMS = frozenset({"path", "path1", "path2", "old", "new", "name", "address", "cwd"})

#: fcntl commands and ioctl requests that would direct signals at other processes or inject tty input.
_BAD_FCNTL = {8, 15, 10, 16}  # F_SETOWN, F_SETOWN_EX, F_SETSIG, F_GETOWN_EX writes a struct
_BAD_IOCTL = {0x8901, 0x8902, 0x5412, 0x540E, 0x5410, 0x541C}  # FIOSETOWN SIOCSPGRP TIOCSTI TIOCSCTTY TIOCSPGRP TIOCCONS


class Blocked(Exception):
    """Raised by the SIGALRM handler when a call blocks longer than its time."""


def _blocked(signum: int, frame: Any) -> None:
    raise Blocked


def decode(value: Any, targets: dict[str, Any]) -> Any:
    """Undo test_fuzz.encode: memoryviews, lists, tuples, and "@name" references to live objects."""
    if isinstance(value, tuple) and value and value[0] == "__mv__":
        _, data, writable = value
        return memoryview(bytearray(data) if writable else data)
    if isinstance(value, tuple) and value and value[0] == "__ref__":
        return targets.get(value[1])
    if isinstance(value, list):
        return [decode(v, targets) for v in value]
    if isinstance(value, tuple):
        return tuple(decode(v, targets) for v in value)
    return value


def sanitize_path(value: Any) -> Any:
    """Reduce a str/bytes path to one name in the sandbox (NULs kept: they must raise ValueError)."""
    if isinstance(value, str):
        name = value.replace("/", "_")
        return "x" if name in ("", ".", "..") else name
    if isinstance(value, (bytes, bytearray)):
        name = bytes(value).replace(b"/", b"_")
        return b"x" if name in (b"", b".", b"..") else name
    if isinstance(value, tuple):
        return tuple(sanitize_path(v) for v in value)
    return value


def sanitize(function: str, params: list[str], args: list[Any]) -> list[Any]:
    out = []
    for i, given in enumerate(args):
        name = params[i] if i < len(params) else ""
        value = given
        if name in PATH_PARAMS:
            value = sanitize_path(value)
        if function.endswith(("ioctl", "fcntl")) and name == "arg":
            # An int arg may be a pointer and a buffer must be as large as the request implies
            # (documented Safety): only ints below mmap_min_addr, which the kernel answers EFAULT.
            value = value % 65536 if isinstance(value, int) and not isinstance(value, bool) else 0
        if function.endswith("fcntl") and name == "cmd" and isinstance(value, int) and value in _BAD_FCNTL:
            value = 1  # F_GETFD
        if function.endswith("ioctl") and name == "request" and isinstance(value, int) and value in _BAD_IOCTL:
            value = 0x541B  # FIONREAD
        out.append(value)
    return out


def make_targets(sandbox: str) -> dict[str, Any]:
    """The objects the object-layer batch calls methods on."""
    targets: dict[str, Any] = {}
    path = os.path.join(sandbox, "file")
    targets["file"] = macres.open(path, "w+")
    targets["file"].write(bytes(range(256)) * 16)
    targets["pipe_r"], targets["pipe_w"] = macres.pipe()
    targets["sock_a"], targets["sock_b"] = macres.Socket.pair()
    targets["udp"] = macres.Socket(macres.socket.AF_INET, macres.socket.SOCK_DGRAM)
    targets["dir"] = macres.opendir(sandbox)
    targets["region"] = macres.MappedRegion.anonymous(8192)
    targets["fregion"] = macres.MappedRegion.from_file(targets["file"])
    targets["proc"] = macres.Process.current()
    return targets


def run_call(kind: str, call: Any, targets: dict[str, Any]) -> Any:
    if kind == "raw":
        name, args = call
        fn = getattr(raw, name)
        params = list(inspect.signature(fn).parameters)
        return fn(*sanitize(name, params, decode(args, targets)))
    target, name, args = call
    obj = targets[target] if target in targets else _FUNCTIONS[target]
    if name == "=":  # a property assignment
        attr, value = decode(args, targets)
        setattr(obj, attr, value)
        return None
    fn = getattr(obj, name) if name else obj
    if not callable(fn):
        return fn  # a property read
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = []
    result = fn(*sanitize(name or target, params, decode(args, targets)))
    _keep(result, targets)
    return result


def _keep(result: Any, targets: dict[str, Any]) -> None:
    """New objects join the targets, so later calls use them too (and they are closed at the end)."""
    items = result if isinstance(result, (tuple, list)) else (result,)
    for item in items:
        if isinstance(item, macres.FileDescriptor):
            targets.setdefault("new_fd", item)
        elif isinstance(item, macres.Socket):
            targets.setdefault("new_sock", item)
        elif isinstance(item, macres.MappedRegion):
            targets.setdefault("new_region", item)


_FUNCTIONS: dict[str, Any] = {
    "macres.open": macres.open,
    "macres.opendir": macres.opendir,
    "macres.pipe": macres.pipe,
    "macres.FileDescriptor": macres.FileDescriptor,
    "macres.Directory": macres.Directory,
    "macres.Socket": macres.Socket,
    "macres.Socket.pair": macres.Socket.pair,
    "macres.Socket.from_fd": macres.Socket.from_fd,
    "macres.MappedRegion.anonymous": macres.MappedRegion.anonymous,
    "macres.MappedRegion.from_file": macres.MappedRegion.from_file,
    "macres.Process": macres.Process,
    "macres.fs.access": macres.fs.access,
    "macres.fs.stat": macres.fs.stat,
    "macres.fs.lstat": macres.fs.lstat,
    "macres.fs.statfs": macres.fs.statfs,
    "macres.fs.truncate": macres.fs.truncate,
    "macres.fs.utimes": macres.fs.utimes,
    "macres.fs.pathconf": macres.fs.pathconf,
}


def qualname(kind: str, call: Any, targets: dict[str, Any]) -> str:
    """``raw.read``, ``FileDescriptor.dup2``, ``open``: what a finding is filed under."""
    if kind == "raw":
        return f"raw.{call[0]}"
    target, name, _ = call
    if target in targets:
        return f"{type(targets[target]).__name__}.{name}"
    return target.removeprefix("macres.")  # MappedRegion.from_file, open, fs.stat


def describe(kind: str, call: Any) -> str:
    try:
        return f"{kind} {call!r}"[:2000]
    except Exception:  # noqa: BLE001 - a description never fails the run
        return f"{kind} <unprintable call>"


def main() -> None:
    sandbox = sys.argv[1]
    kind, batch = pickle.load(sys.stdin.buffer)
    os.chdir(sandbox)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (min(4 << 30, hard) if hard != resource.RLIM_INFINITY else 4 << 30, hard))
    for host in ("127.0.0.1", "::1", "localhost"):  # warm the resolver's lazy imports too
        try:
            socket.getaddrinfo(host, 0)
        except OSError:
            pass
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    targets = make_targets(sandbox) if kind == "objects" else {}
    signal.signal(signal.SIGALRM, _blocked)
    last = os.path.join(sandbox, "last")
    results = []
    for call in batch:
        with open(last, "w") as f:  # a fresh descriptor each time: calls may close any number
            f.write(describe(kind, call))
        outcome: str
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            try:
                run_call(kind, call, targets)
                outcome = "ok"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except Blocked:
            outcome = "blocked"
        except ALLOWED as exc:
            outcome = type(exc).__name__
        except BaseException as exc:  # noqa: BLE001 - what the test reports
            outcome = f"BAD {type(exc).__name__}\n" + "".join(traceback.format_exception(exc))[-3000:]
        finally:
            os.chdir(sandbox)
        results.append((describe(kind, call), qualname(kind, call, targets), outcome))
    for obj in list(targets.values()):
        try:
            obj.close()
        except Exception:  # noqa: BLE001 - closing after fuzzing may fail (views, foreign closes)
            pass
    with open(os.path.join(sandbox, "report.pickle"), "wb") as f:
        pickle.dump(results, f)
    os._exit(0)


if __name__ == "__main__":
    main()
