#!/usr/bin/env python3
"""Benchmarks: macres side by side with the stdlib (and C, when a compiler is here).

    python bench/run.py            # the full suite (a few minutes)
    python bench/run.py --quick    # small sizes, for CI's smoke run
    python bench/run.py --only fstat,pread_4k

Each per-call operation is timed for every contender in interleaved rounds
(so machine noise hits all of them alike); the table shows the median
nanoseconds per call and the ratios macres/stdlib.  Results are also
written as JSON to bench/results/.  Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import json
import mmap
import os
import pathlib
import platform
import random
import resource
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import macres
from macres import raw

HERE = pathlib.Path(__file__).resolve().parent
Contender = Callable[[], object]


def _optional(build: Callable[[], Contender]) -> Contender | None:
    """A contender whose API may not exist in this version: None if it does not."""
    try:
        return build()
    except (AttributeError, ImportError, TypeError, NotImplementedError):
        return None


# -- the C floor -------------------------------------------------------------
class Floor:
    """Runs bench/floor.c's loops when a C compiler is present."""

    def __init__(self, tmpdir: pathlib.Path, path: pathlib.Path) -> None:
        self.path = path
        self.exe: pathlib.Path | None = None
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if cc:
            exe = tmpdir / "floor"
            cmd = [cc, "-O2", "-o", str(exe), str(HERE / "floor.c")]
            done = subprocess.run(cmd, capture_output=True, check=False)
            if done.returncode == 0:
                self.exe = exe

    def ns(self, op: str, n: int) -> float | None:
        if self.exe is None:
            return None
        cmd = [str(self.exe), op, str(n), str(self.path)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return float(done.stdout) if done.returncode == 0 else None


# -- per-call operations -----------------------------------------------------
def per_call_ops(stack: ExitStack, path: pathlib.Path) -> dict[str, dict[str, Contender | None]]:
    """Build every per-call operation with its contenders: raw, object, stdlib."""
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    stack.callback(os.close, fd)
    fio = io.FileIO(path, "r+")
    stack.callback(fio.close)
    obj = _optional(lambda: macres.open(path, "r+"))  # type: ignore[attr-defined,return-value]
    if obj is not None:
        stack.callback(obj.close)  # type: ignore[attr-defined]
    buf4k = bytearray(4096)
    buf64k = bytearray(65536)
    data4k = bytes(4096)

    a, b = socket.socketpair()
    stack.callback(a.close)
    stack.callback(b.close)
    for s in (a, b):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    ma = mb = None
    try:
        ma, mb = macres.Socket.pair()  # type: ignore[attr-defined]
        stack.callback(ma.close)
        stack.callback(mb.close)
    except (AttributeError, ImportError):
        pass
    small, big = bytes(64), bytes(65536)
    rbuf = bytearray(65536)

    def stdlib_sendrecv(n: int) -> Contender:
        payload = small if n == 64 else big
        view = memoryview(rbuf)

        def run() -> None:
            a.sendall(payload)
            got = 0
            while got < n:
                got += b.recv_into(view[got:n])

        return run

    def raw_sendrecv(n: int) -> Contender:
        payload = small if n == 64 else big
        view = memoryview(rbuf)
        fa, fb = a.fileno(), b.fileno()

        def run() -> None:
            sent = 0
            while sent < n:
                sent += raw_send(fa, payload, sent)
            got = 0
            while got < n:
                got += raw.recvfrom(fb, view[got:n], 0)[0]

        return run

    def raw_send(fdn: int, payload: bytes, sent: int) -> int:
        return raw.sendto(fdn, payload[sent:] if sent else payload, 0, None)  # type: ignore[attr-defined,no-any-return]

    def obj_sendrecv(n: int) -> Contender:
        if ma is None:
            raise AttributeError("Socket")
        payload = small if n == 64 else big
        view = memoryview(rbuf)

        def run() -> None:
            ma.sendall(payload)
            got = 0
            while got < n:
                got += mb.recv_into(view[got:n])

        return run

    me = os.getpid()
    proc = _optional(lambda: macres.Process.current())  # type: ignore[attr-defined,no-any-return]
    ops: dict[str, dict[str, Contender | None]] = {
        "getpid": {"raw": lambda: raw.getpid(), "object": _optional(lambda: lambda: proc.pid), "stdlib": os.getpid},  # type: ignore[attr-defined,union-attr]
        "fstat": {
            "raw": lambda: raw.fstat(fd),
            "object": _optional(lambda: obj.fstat),  # type: ignore[union-attr]
            "stdlib": lambda: os.fstat(fd),
        },
        "pread_into_4k": {
            "raw": lambda: raw.pread(fd, buf4k, 0),
            "object": _optional(lambda: lambda: obj.pread_into(buf4k, 0)),  # type: ignore[union-attr]
            "stdlib": lambda: os.preadv(fd, (buf4k,), 0),
        },
        "pread_4k": {
            "raw": None,
            "object": _optional(lambda: lambda: obj.pread(4096, 0)),  # type: ignore[union-attr]
            "stdlib": lambda: os.pread(fd, 4096, 0),
        },
        "pwrite_4k": {
            "raw": lambda: raw.pwrite(fd, data4k, 0),
            "object": _optional(lambda: lambda: obj.pwrite(data4k, 0)),  # type: ignore[union-attr]
            "stdlib": lambda: os.pwrite(fd, data4k, 0),
        },
        "read_64k": {
            "raw": lambda: (raw.lseek(fd, 0, 0), raw.read(fd, buf64k)),
            "object": _optional(lambda: lambda: (obj.seek(0), obj.readinto(buf64k))),  # type: ignore[union-attr]
            "stdlib": lambda: (fio.seek(0), fio.readinto(buf64k)),
        },
        "sendrecv_64": {
            "raw": _optional(lambda: raw_sendrecv(64)),
            "object": _optional(lambda: obj_sendrecv(64)),
            "stdlib": stdlib_sendrecv(64),
        },
        "sendrecv_64k": {
            "raw": _optional(lambda: raw_sendrecv(65536)),
            "object": _optional(lambda: obj_sendrecv(65536)),
            "stdlib": stdlib_sendrecv(65536),
        },
        "getsockopt_int": {
            "raw": _optional(lambda: _raw_getsockopt(a.fileno())),
            "object": _optional(lambda: _obj_getsockopt(ma)),
            "stdlib": lambda: a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
        },
        "setsockopt_int": {
            "raw": _optional(lambda: _raw_setsockopt(a.fileno())),
            "object": _optional(lambda: _obj_setsockopt(ma)),
            "stdlib": lambda: a.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
        },
        "kill0": {
            "raw": _optional(lambda: lambda: raw.kill(me, 0)),  # type: ignore[attr-defined]
            "object": _optional(lambda: lambda: proc.kill(0)),  # type: ignore[union-attr]
            "stdlib": lambda: os.kill(me, 0),
        },
        "getrusage": {
            "raw": _optional(lambda: lambda: raw.getrusage(0)),  # type: ignore[attr-defined]
            "object": _optional(lambda: lambda: proc.rusage()),  # type: ignore[union-attr]
            "stdlib": lambda: resource.getrusage(resource.RUSAGE_SELF),
        },
        "map_read_4k": _map_reads(stack),
        "event_wait": _event_waits(stack),
        "list_100": _dir_listing(stack, path.parent / "list_100", 100),
        "open_close": {
            "raw": lambda: raw.close(raw.open(path, os.O_RDONLY | os.O_CLOEXEC)),
            "object": _optional(lambda: lambda: macres.open(path).close()),  # type: ignore[attr-defined]
            "stdlib": lambda: os.close(os.open(path, os.O_RDONLY)),
        },
        **_procinfo_ops(stack),
    }
    return ops


def _make_dir(where: pathlib.Path, entries: int) -> pathlib.Path:
    """A directory of *entries* empty files (one in ten a subdirectory), made once."""
    if not where.exists():
        where.mkdir()
        for i in range(entries):
            target = where / f"entry-{i:06d}"
            if i % 10:
                target.touch()
            else:
                target.mkdir()
    return where


def _dir_listing(stack: ExitStack, where: pathlib.Path, entries: int) -> dict[str, Contender | None]:
    """List a directory, reading each entry's name, inode and type: Directory vs os.scandir."""
    _make_dir(where, entries)
    directory = _optional(lambda: macres.opendir(where))  # type: ignore[attr-defined]
    if directory is not None:
        stack.callback(directory.close)  # type: ignore[attr-defined]

    def stdlib() -> None:
        for e in os.scandir(where):
            _ = (e.name, e.inode(), e.is_dir(follow_symlinks=False))

    def obj() -> None:
        for e in directory:  # type: ignore[attr-defined]
            _ = (e.name, e.inode, e.type)

    return {"raw": None, "object": obj if directory is not None else None, "stdlib": stdlib}


def _make_tree(where: pathlib.Path, fanout: int, depth: int, files: int) -> pathlib.Path:
    """A tree *depth* levels deep, *fanout* subdirectories and *files* files in each directory."""
    if where.exists():
        return where
    where.mkdir()
    for i in range(files):
        (where / f"file-{i:03d}").touch()
    if depth:
        for i in range(fanout):
            _make_tree(where / f"dir-{i:03d}", fanout, depth - 1, files)
    return where


def directories(args: argparse.Namespace, tmpdir: pathlib.Path) -> list[dict[str, Any]]:
    """Wall ms of listing a big directory (Directory vs os.scandir) and of walking a tree (walk vs os.walk/os.fwalk)."""
    big = _make_dir(tmpdir / "listing", args.dir_entries)
    tree = _make_tree(tmpdir / "tree", 6, 3, 8)
    rows = []

    def listing(kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "stdlib (os.scandir)":
            for e in os.scandir(big):
                _ = (e.name, e.inode(), e.is_dir(follow_symlinks=False))
        else:
            with macres.opendir(big) as d:  # type: ignore[attr-defined]
                for e in d:
                    _ = (e.name, e.inode, e.type)
        return (time.perf_counter() - t0) * 1e3

    rows += _best_of_ms(f"list {args.dir_entries:,} entries (name, inode, type)",
                        ["object (Directory)", "stdlib (os.scandir)"], listing, args.rounds)  # fmt: skip

    def walking(kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "stdlib (os.walk)":
            for _ in os.walk(tree):
                pass
        elif kind == "stdlib (os.fwalk)":
            for _ in os.fwalk(tree):
                pass
        else:
            for _ in macres.walk(tree):  # type: ignore[attr-defined]
                pass
        return (time.perf_counter() - t0) * 1e3

    entries = sum(len(d) + len(f) for _, d, f in os.walk(tree))
    rows += _best_of_ms(f"walk a tree of {entries:,} entries",
                        ["object (walk)", "stdlib (os.walk)", "stdlib (os.fwalk)"], walking, args.rounds)  # fmt: skip
    return rows


def _best_of_ms(what: str, kinds: list[str], fn: Callable[[str], float], rounds: int) -> list[dict[str, Any]]:
    """Best wall ms of each contender over interleaved rounds (the least disturbed by load), and its ratio to the first stdlib one."""
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    for k in kinds:
        fn(k)  # warm up: the tree in the page cache, the interpreter specialised
    for _ in range(max(3, rounds)):
        for k in kinds:
            gc.disable()
            try:
                samples[k].append(fn(k))
            finally:
                gc.enable()
    base = min(samples[kinds[1]])
    return [{"what": what, "contender": k, "ms": min(v), "ratio": min(v) / base} for k, v in samples.items()]
def _procinfo_ops(stack: ExitStack) -> dict[str, dict[str, Contender | None]]:
    """procinfo beside psutil (in the stdlib column: the library people use) on a child blocked on stdin.

    raw: the platform reader (``raw.ABI.proc_memory(pid, identity)``); object:
    ``ProcessInfo``'s method; stdlib: ``psutil.Process``'s.  The child is not
    this process, so no shortcut for the caller's own pid can help either side.
    """
    try:
        import psutil
    except ImportError:
        psutil = None
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()", "a", "few", "arguments"], stdin=subprocess.PIPE)
    stack.callback(child.wait)
    stack.callback(child.stdin.close)  # type: ignore[union-attr]
    info = _optional(lambda: macres.ProcessInfo(child.pid))  # type: ignore[attr-defined]
    ps = psutil.Process(child.pid) if psutil is not None else None
    abi = raw.ABI
    ident = info.identity if info is not None else 0

    def ours_iter() -> object:
        found = []
        for p in macres.process_iter():  # type: ignore[attr-defined]
            try:  # what psutil.process_iter does with a process that ends meanwhile: skip it
                found.append((p.name(), p.memory().rss))
            except ProcessLookupError:
                continue
        return found

    def psutil_iter() -> object:
        return [(p.info["name"], p.info["memory_info"].rss) for p in psutil.process_iter(["name", "memory_info"])]  # type: ignore[union-attr]

    return {
        "proc_cmdline": {
            "raw": _optional(lambda: lambda: abi.proc_cmdline(child.pid, ident)),
            "object": _optional(lambda: info.cmdline),  # type: ignore[union-attr]
            "stdlib": _optional(lambda: ps.cmdline),  # type: ignore[union-attr]
        },
        "proc_memory": {
            "raw": _optional(lambda: lambda: abi.proc_memory(child.pid, ident)),
            "object": _optional(lambda: info.memory),  # type: ignore[union-attr]
            "stdlib": _optional(lambda: ps.memory_info),  # type: ignore[union-attr]
        },
        "proc_cpu_times": {
            "raw": _optional(lambda: lambda: abi.proc_cpu_times(child.pid, ident)),
            "object": _optional(lambda: info.cpu_times),  # type: ignore[union-attr]
            "stdlib": _optional(lambda: ps.cpu_times),  # type: ignore[union-attr]
        },
        "proc_iter_name_rss": {
            "raw": None,
            "object": ours_iter if info is not None else None,
            "stdlib": psutil_iter if psutil is not None else None,
        },
    }


def _map_reads(stack: ExitStack) -> dict[str, Contender | None]:
    """4 KiB slices at random page offsets of a 64 MiB anonymous map: MappedRegion vs mmap."""
    size = 64 << 20
    offsets = [random.randrange(0, size // 4096) * 4096 for _ in range(4096)]
    m = mmap.mmap(-1, size)
    stack.callback(m.close)
    m[:] = b"\x5a" * size
    std_next = itertools.cycle(offsets).__next__

    def stdlib() -> None:
        a = std_next()
        m[a : a + 4096]

    ops: dict[str, Contender | None] = {"raw": None, "object": None, "stdlib": stdlib}
    if hasattr(macres, "MappedRegion"):
        region = macres.MappedRegion.anonymous(size)
        stack.callback(region.close)
        region[0:size] = b"\x5a" * size
        obj_next = itertools.cycle(offsets).__next__

        def obj() -> None:
            a = obj_next()
            region[a : a + 4096]

        ops["object"] = obj
    return ops


#: EventQueue.wait's row: how many pipes are registered, and every how many one is ready.
EVENT_REGISTERED, EVENT_EVERY = 1000, 100


def _event_waits(stack: ExitStack) -> dict[str, Contender | None]:
    """A wait that finds 10 ready of 1,000 registered pipes: EventQueue vs selectors.DefaultSelector (raw: epoll_wait)."""
    ops: dict[str, Contender | None] = {"raw": None, "object": None, "stdlib": None}
    if not stack.enter_context(nofile(2 * EVENT_REGISTERED + 50)):
        return ops  # RLIMIT_NOFILE cannot hold the pipes
    pipes = [os.pipe() for _ in range(EVENT_REGISTERED)]
    for r, w in pipes:
        stack.callback(os.close, r)
        stack.callback(os.close, w)
    for _, w in pipes[::EVENT_EVERY]:
        os.write(w, b"x")
    sel = selectors.DefaultSelector()
    stack.callback(sel.close)
    for i, (r, _) in enumerate(pipes):
        sel.register(r, selectors.EVENT_READ, i)
    ops["stdlib"] = lambda: sel.select(0)
    queue = _optional(lambda: macres.EventQueue[int]())  # type: ignore[attr-defined,no-any-return]
    if queue is not None:
        stack.callback(queue.close)  # type: ignore[attr-defined]
        for i, (r, _) in enumerate(pipes):
            queue.register(r, 1, i)  # type: ignore[attr-defined]
        ops["object"] = lambda: queue.wait(0)  # type: ignore[attr-defined]
    if raw.SYSTEM == "linux" and hasattr(raw, "epoll_wait"):
        epfd = raw.epoll_create1(raw.ABI.EPOLL_CLOEXEC)
        stack.callback(os.close, epfd)
        for r, _ in pipes:
            raw.epoll_ctl(epfd, raw.ABI.EPOLL_CTL_ADD, r, 1, r)  # EPOLLIN
        ops["raw"] = lambda: raw.epoll_wait(epfd, 64, 0)
    return ops


def _raw_getsockopt(fdn: int) -> Contender:
    out = bytearray(4)
    raw.getsockopt  # noqa: B018 - AttributeError here means "not built yet"  # type: ignore[attr-defined]
    return lambda: raw.getsockopt(fdn, socket.SOL_SOCKET, socket.SO_SNDBUF, out)  # type: ignore[attr-defined]


def _raw_setsockopt(fdn: int) -> Contender:
    one = (1).to_bytes(4, sys.byteorder)
    raw.setsockopt  # noqa: B018  # type: ignore[attr-defined]
    return lambda: raw.setsockopt(fdn, socket.SOL_SOCKET, socket.SO_KEEPALIVE, one)  # type: ignore[attr-defined]


def _obj_getsockopt(sock: Any) -> Contender:
    from macres import sockopt  # type: ignore[attr-defined]

    opt = sockopt.SO_SNDBUF
    return lambda: sock.getsockopt(opt)


def _obj_setsockopt(sock: Any) -> Contender:
    from macres import sockopt  # type: ignore[attr-defined]

    opt = sockopt.SO_KEEPALIVE
    return lambda: sock.setsockopt(opt, True)


def time_round(fn: Contender, n: int) -> float:
    """Nanoseconds per call of *fn* over *n* calls."""
    t0 = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - t0) / n


def per_call(args: argparse.Namespace, stack: ExitStack, path: pathlib.Path, floor: Floor) -> list[dict[str, Any]]:
    rows = []
    ops = per_call_ops(stack, path)
    for name, contenders in ops.items():
        if args.only and name not in args.only:
            continue
        live = {}
        for k, fn in contenders.items():  # warm up, and prove each runs
            if fn is None:
                continue
            try:
                time_round(fn, 50)
            except Exception as exc:  # noqa: BLE001 - an API not built yet is reported, not fatal
                print(f"  {name}: {k} skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
                continue
            live[k] = fn
        samples: dict[str, list[float]] = {k: [] for k in live}
        n = args.calls
        if "64k" in name or name == "open_close":
            n = max(1, n // 10)
        elif name.startswith("list_"):
            n = max(1, n // 50)
        if name == "proc_iter_name_rss":  # every process of the machine per call
            n = max(1, n // 1000)
        for _ in range(args.rounds):
            for k, fn in live.items():
                gc.disable()
                try:
                    samples[k].append(time_round(fn, n))
                finally:
                    gc.enable()
        row: dict[str, Any] = {"op": name}
        for k in ("raw", "object", "stdlib"):
            row[k] = statistics.median(samples[k]) if k in samples else None
        row["C"] = floor.ns(name, n * 4)
        std = row["stdlib"]
        row["raw/stdlib"] = row["raw"] / std if row["raw"] and std else None
        row["object/stdlib"] = row["object"] / std if row["object"] and std else None
        rows.append(row)
    return rows


# -- throughput --------------------------------------------------------------
def throughput(args: argparse.Namespace, tmpdir: pathlib.Path) -> list[dict[str, Any]]:
    total = args.mib << 20
    chunk = 1 << 20
    big = tmpdir / "big"
    with open(big, "wb") as f:
        block = os.urandom(chunk)
        for _ in range(args.mib):
            f.write(block)
    buf = bytearray(chunk)
    rows = []

    def read_file(kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "stdlib (io.FileIO.readinto)":
            with io.FileIO(big) as f:
                while f.readinto(buf):
                    pass
        elif kind == "stdlib (os.read)":
            fdn = os.open(big, os.O_RDONLY)
            try:
                while os.read(fdn, chunk):
                    pass
            finally:
                os.close(fdn)
        else:
            with macres.open(big) as fdo:  # type: ignore[attr-defined]
                while fdo.readinto(buf):
                    pass
        return total / (time.perf_counter() - t0) / (1 << 20)

    kinds = ["stdlib (io.FileIO.readinto)", "stdlib (os.read)"]
    if hasattr(macres, "open"):
        kinds.insert(0, "object (FileDescriptor.readinto)")
    rows += _best_of(f"read {args.mib} MiB file", kinds, read_file, args.rounds)

    text = tmpdir / "lines.txt"
    with open(text, "w", encoding="utf-8") as f:
        line = "macres reads lines as the builtin open does, through io's own buffers\n"
        f.write(line * (total // len(line)))
    text_bytes = text.stat().st_size

    def read_lines(kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "stdlib (builtin open, text)":
            with open(text, encoding="utf-8") as f:
                for _ in f:
                    pass
        elif kind == "object (open_file, text: handed to io.FileIO)":
            with macres.open(text).open_file("r", encoding="utf-8") as f:  # type: ignore[attr-defined]
                for _ in f:
                    pass
        else:
            with macres.open(text) as fdo, fdo.open_file("r", encoding="utf-8", closefd=False) as f:  # type: ignore[attr-defined]
                for _ in f:
                    pass
        return text_bytes / (time.perf_counter() - t0) / (1 << 20)

    if hasattr(macres, "open") and hasattr(macres.FileDescriptor, "open_file"):  # type: ignore[attr-defined]
        kinds = ["stdlib (builtin open, text)", "object (open_file, text: handed to io.FileIO)",
                 "object (open_file, text, closefd=False: borrowed)"]  # fmt: skip
        rows += _best_of(f"read lines of a {args.mib} MiB text file", kinds, read_lines, args.rounds)

    def stream(kind: str) -> float:
        if kind.startswith("stdlib"):
            a, b = socket.socketpair()
        else:
            a, b = macres.Socket.pair()  # type: ignore[attr-defined]
        payload = bytes(chunk)
        view = memoryview(buf)

        def send() -> None:
            for _ in range(args.mib):
                a.sendall(payload)
            a.shutdown(socket.SHUT_WR)

        t0 = time.perf_counter()
        th = threading.Thread(target=send)
        th.start()
        got = 0
        while True:
            n = b.recv_into(view)
            if not n:
                break
            got += n
        th.join(timeout=60)
        dt = time.perf_counter() - t0
        a.close()
        b.close()
        assert got == total
        return total / dt / (1 << 20)

    kinds = ["stdlib (socket.socketpair)"]
    if hasattr(macres, "Socket"):
        kinds.insert(0, "object (Socket.pair)")
    rows += _best_of(f"stream {args.mib} MiB over a socketpair", kinds, stream, args.rounds)

    def fill(kind: str) -> float:
        block = b"\xa5" * chunk
        t0 = time.perf_counter()
        if kind.startswith("stdlib"):
            with mmap.mmap(-1, total) as m:
                for off in range(0, total, chunk):
                    m[off : off + chunk] = block
        else:
            with macres.MappedRegion.anonymous(total) as r:  # type: ignore[attr-defined]
                for off in range(0, total, chunk):
                    r[off : off + chunk] = block
        return total / (time.perf_counter() - t0) / (1 << 20)

    kinds = ["stdlib (mmap.mmap)"]
    if hasattr(macres, "MappedRegion"):
        kinds.insert(0, "object (MappedRegion)")
    rows += _best_of(f"fill a {args.mib} MiB anonymous map", kinds, fill, args.rounds)

    def map_fill_close(kind: str) -> float:
        size = min(total, 64 << 20)
        block = b"\xa5" * chunk
        t0 = time.perf_counter()
        for _ in range(4):
            if kind.startswith("stdlib"):
                m = mmap.mmap(-1, size)
                for off in range(0, size, chunk):
                    m[off : off + chunk] = block
                m.close()
            else:
                r = macres.MappedRegion.anonymous(size)  # type: ignore[attr-defined]
                for off in range(0, size, chunk):
                    r[off : off + chunk] = block
                r.close()
        return 4 * size / (time.perf_counter() - t0) / (1 << 20)

    mib = min(args.mib, 64)
    rows += _best_of(f"map {mib} MiB + fill + close, 4 times", kinds, map_fill_close, args.rounds)
    rows += _copies(args, big, total)
    return rows


def _copies(args: argparse.Namespace, big: pathlib.Path, total: int) -> list[dict[str, Any]]:
    """Copying the file, and sending it over a socketpair: macres's zero-copy paths beside the stdlib's."""
    if not hasattr(macres.FileDescriptor, "copy_to"):  # type: ignore[attr-defined]
        return []
    copy = big.with_name("copy")

    def copy_file(kind: str) -> float:
        copy.unlink(missing_ok=True)
        t0 = time.perf_counter()
        if kind == "stdlib (shutil.copyfile)":
            shutil.copyfile(big, copy)
        elif kind == "object (macres.fs.copy)":
            macres.fs.copy(big, copy)  # type: ignore[attr-defined]
        else:
            with macres.open(big) as src, macres.open(copy, "w") as dst:  # type: ignore[attr-defined]
                src.copy_to(dst)
        dt = time.perf_counter() - t0
        assert copy.stat().st_size == total
        return total / dt / (1 << 20)

    kinds = ["object (macres.fs.copy)", "object (FileDescriptor.copy_to)", "stdlib (shutil.copyfile)"]
    rows = _best_of(f"copy a {args.mib} MiB file", kinds, copy_file, args.rounds)
    copy.unlink(missing_ok=True)

    def send_file(kind: str) -> float:
        a, b = (socket.socketpair() if kind.startswith("stdlib") else macres.Socket.pair())  # type: ignore[attr-defined]
        view = memoryview(bytearray(1 << 20))
        with open(big, "rb") as f:
            sent: list[int] = []
            th = threading.Thread(target=lambda: (sent.append(a.sendfile(f)), a.shutdown(socket.SHUT_WR)))
            t0 = time.perf_counter()
            th.start()
            got = 0
            while n := b.recv_into(view):
                got += n
            th.join(timeout=60)
            dt = time.perf_counter() - t0
        a.close()
        b.close()
        assert got == total == sent[0]
        return total / dt / (1 << 20)

    kinds = ["object (Socket.sendfile)", "stdlib (socket.socket.sendfile)"]
    rows += _best_of(f"sendfile {args.mib} MiB over a socketpair", kinds, send_file, args.rounds)
    return rows + _small_copies(args, big.with_name("small"))


def _small_copies(args: argparse.Namespace, small: pathlib.Path) -> list[dict[str, Any]]:
    """fs.copy of many 4 KiB files beside shutil.copyfile: the per-file cost (opens, checks, rename), not the bytes."""
    small.write_bytes(os.urandom(4096))
    files = 50 if args.quick else 500
    copies = [small.with_name(f"small-copy-{i}") for i in range(files)]

    def copy_files(kind: str) -> float:
        copy = shutil.copyfile if kind.startswith("stdlib") else macres.fs.copy
        for c in copies:
            c.unlink(missing_ok=True)
        t0 = time.perf_counter()
        for c in copies:
            copy(small, c)
        return files * 4096 / (time.perf_counter() - t0) / (1 << 20)

    kinds = ["object (macres.fs.copy)", "stdlib (shutil.copyfile)"]
    rows = _best_of(f"copy {files} files of 4 KiB", kinds, copy_files, args.rounds)
    for c in copies:
        c.unlink(missing_ok=True)
    return rows


def _best_of(what: str, kinds: list[str], fn: Callable[[str], float], rounds: int) -> list[dict[str, Any]]:
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(max(1, rounds // 2)):
        for k in kinds:
            samples[k].append(fn(k))
    return [{"what": what, "contender": k, "MiB/s": statistics.median(v)} for k, v in samples.items()]


# -- scale and memory --------------------------------------------------------
@contextmanager
def nofile(at_least: int) -> Iterator[bool]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = at_least + 100
    ok = soft >= want
    if not ok and (hard == resource.RLIM_INFINITY or hard >= want):
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        ok = True
    try:
        yield ok
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def per_object_bytes(make: Callable[[], Any], close: Callable[[Any], None], n: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    objs = [make() for _ in range(n)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    for o in objs:
        close(o)
    return (after - before) / n


def scale(args: argparse.Namespace, path: pathlib.Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    n_open = args.open_at_once
    if hasattr(macres, "open"):
        with nofile(n_open) as ok:
            if ok:
                t0 = time.perf_counter()
                fds = [macres.open(path) for _ in range(n_open)]  # type: ignore[attr-defined]
                opened = time.perf_counter() - t0
                for f in fds:
                    f.close()
                rows.append({"what": f"{n_open} FileDescriptors open at once", "seconds": opened})
            else:
                rows.append({"what": f"{n_open} FileDescriptors open at once", "seconds": None, "why": "RLIMIT_NOFILE"})
    n = 1000
    pairs: list[tuple[str, Callable[[], Any], Callable[[Any], None]]] = [
        ("io.FileIO", lambda: io.FileIO(path), lambda o: o.close()),
        ("socket.socket", lambda: socket.socket(socket.AF_UNIX), lambda o: o.close()),
        ("mmap.mmap", lambda: mmap.mmap(-1, 4096), lambda o: o.close()),
    ]
    if hasattr(macres, "open"):
        pairs.append(("FileDescriptor", lambda: macres.open(path), lambda o: o.close()))  # type: ignore[attr-defined]
    if hasattr(macres, "Socket"):
        pairs.append(("Socket", lambda: macres.Socket(socket.AF_UNIX), lambda o: o.close()))  # type: ignore[attr-defined]
    if hasattr(macres, "MappedRegion"):
        pairs.append(("MappedRegion", lambda: macres.MappedRegion.anonymous(4096), lambda o: o.close()))  # type: ignore[attr-defined]
    with nofile(n + 100):
        for name, make, close in pairs:
            rows.append({"what": f"bytes per {name}", "bytes": per_object_bytes(make, close, n)})
    if hasattr(macres, "open"):
        cycles = args.cycles
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        t0 = time.perf_counter()
        for i in range(cycles):
            macres.open(path).close()  # type: ignore[attr-defined]
            if i == cycles // 10:
                early = tracemalloc.get_traced_memory()[0]
        end = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        rows.append(
            {
                "what": f"{cycles} open/close cycles",
                "seconds": time.perf_counter() - t0,
                "traced bytes growth after first 10%": end - early,
                "traced bytes growth overall": end - start,
            }
        )
    return rows


# -- output ------------------------------------------------------------------
def fmt(v: Any, spec: str = ".0f") -> str:
    return "-" if v is None else format(v, spec)


def print_per_call(rows: list[dict[str, Any]]) -> None:
    print(f"{'operation':<16}{'raw ns':>10}{'object ns':>11}{'stdlib ns':>11}{'C ns':>9}{'raw/std':>9}{'obj/std':>9}")
    for r in rows:
        print(
            f"{r['op']:<16}{fmt(r['raw']):>10}{fmt(r['object']):>11}{fmt(r['stdlib']):>11}{fmt(r['C']):>9}"
            f"{fmt(r['raw/stdlib'], '.2f'):>9}{fmt(r['object/stdlib'], '.2f'):>9}"
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    p.add_argument("--only", type=lambda s: set(s.split(",")), default=None, help="comma-separated per-call ops")
    p.add_argument("--no-throughput", action="store_true")
    p.add_argument("--no-scale", action="store_true")
    p.add_argument("--no-dirs", action="store_true", help="skip the directory listing and walk rows")
    p.add_argument("--no-echo", action="store_true", help="skip the async echo round trips (bench/echo.py)")
    args = p.parse_args(argv)
    args.calls = 200 if args.quick else 20000
    args.rounds = 3 if args.quick else 9
    args.mib = 8 if args.quick else 256
    args.open_at_once = 500 if args.quick else 10000
    args.cycles = 2000 if args.quick else 1_000_000
    args.dir_entries = 1000 if args.quick else 10_000

    result: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "platform": f"{platform.system()} {platform.machine()} {platform.release()}",
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
        "quick": args.quick,
    }
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        tmpdir = pathlib.Path(tmp)
        path = tmpdir / "data"
        path.write_bytes(os.urandom(1 << 20))
        floor = Floor(tmpdir, path)
        print(f"macres bench on {result['platform']}, Python {result['python']}, load {result['loadavg'][0]:.2f}")
        rows = per_call(args, stack, path, floor)
        result["per_call"] = rows
        print_per_call(rows)
        if not args.no_throughput and not args.only:
            tp = throughput(args, tmpdir)
            result["throughput"] = tp
            print()
            for r in tp:
                print(f"{r['what']:<40}{r['contender']:<36}{r['MiB/s']:>9.0f} MiB/s")
        if not args.no_dirs and not args.only and hasattr(macres, "walk"):
            dirs = directories(args, tmpdir)
            result["directories"] = dirs
            print()
            for r in dirs:
                print(f"{r['what']:<44}{r['contender']:<24}{r['ms']:>9.2f} ms{r['ratio']:>7.2f}x")
        if not args.no_echo and not args.only:
            sys.path.insert(0, str(HERE))
            import echo

            table = echo.rows(500 if args.quick else 20000, args.rounds)
            result["echo"] = table
            print()
            echo.print_rows(table)
        if not args.no_scale and not args.only:
            sc = scale(args, path)
            result["scale"] = sc
            print()
            for r in sc:
                rest = ", ".join(f"{k}: {fmt(v, '.3f') if isinstance(v, float) else v}" for k, v in r.items() if k != "what")
                print(f"{r['what']:<40}{rest}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    target = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}{'-quick' if args.quick else ''}.json"
    target.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {target.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
