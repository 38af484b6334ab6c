"""Tools for testing code that uses macres: a registry of live objects, leak checks, strategies.

The registry is opt-in: :func:`enable` makes every macres object that
takes over a handle (``macres.open``, ``pipe``, ``Socket``,
``MappedRegion``, ``Process.spawn``, ``dup``, ``accept``, ...) record the
stack where it was created, until :func:`disable`.  :func:`live` lists
the recorded objects that are still open, oldest first, each with its
creation traceback.  While disabled the only cost is one ``None`` check
per created object.

Leak checks compare the process with a :func:`snapshot` taken earlier::

    snap = macres.testing.snapshot()
    run_the_code()
    leaks = macres.testing.leaks_since(snap)
    assert not leaks, leaks.format()

They count the operating system's view as well as macres's: descriptors
open now that were not open at the snapshot (also those opened without
macres: ``os.open``, ``socket.socket``...), child processes not reaped,
and mappings a :class:`~macres.MappedRegion` still holds.  Each leaked
descriptor is attributed to the macres object that holds it when there is
one, with that object's creation traceback (recorded only while the
registry is enabled).

What the OS view covers: descriptors through ``/proc/self/fd`` (Linux) or
``/dev/fd`` (macOS); children through ``/proc/self/task/*/children`` on
Linux (or, where the kernel lacks those, ``/proc/*/stat``) and ``pgrep -P``
elsewhere; mappings only as macres made them (the
process's full map also holds the allocator's and the interpreter's, which
come and go on their own).

The pytest plugin :mod:`macres.testing.plugin` runs this check around
every test when enabled (``pytest --macres-leaks``), and
:mod:`macres.testing.strategies` has hypothesis strategies.

Fault injection: :func:`faults` makes chosen calls fail inside a ``with``
block the way the kernel would (an errno, a short read or write, an EINTR
that the retry path absorbs), below everything macres and the code under
test do with the failure; :class:`Fault` and :class:`FaultPlan` describe
what fails, :func:`fault_plans` draws plans for hypothesis, and
:func:`known_calls` lists the names a plan may use.
:class:`macres.testing.stateful.ResourceMachine` is a hypothesis state
machine base that checks for leaks and for descriptors closed behind their
objects.
"""

from __future__ import annotations

import gc
import itertools
import os
import pathlib
import shutil
import subprocess
import sys
import time
import traceback
import weakref
from collections.abc import Callable, Iterable
from typing import Final

import attrs

from .._backend import core
from .._handle import FdHandle, Handle
from ..process import Child

from ._faults import Fault, FaultLog, FaultPlan, fault_plans, faults, known_calls

__all__ = [
    "Fault", "FaultLog", "FaultPlan", "LeakReport", "LiveObject", "Snapshot", "child_processes",
    "describe_descriptor", "disable", "enable", "enabled", "fault_plans", "faults", "known_calls",
    "leaks_since", "live", "live_mappings", "open_descriptors", "snapshot",
]  # fmt: skip

#: How many frames a creation traceback keeps by default (the innermost ones).
DEFAULT_LIMIT: Final = 32


@attrs.frozen
class LiveObject:
    """A registered macres object that is still open, and where it was created."""

    #: The object itself (a FileDescriptor, Socket, MappedRegion, Process, ...).
    obj: Handle
    #: The stack at creation, outermost frame first, innermost (the constructor's caller) last.
    stack: traceback.StackSummary
    #: Creation order: larger is newer (compare with :attr:`Snapshot.serial`).
    serial: int

    def format(self) -> str:
        """The object's repr and its creation traceback, as Python prints tracebacks."""
        lines = "".join(self.stack.format()).rstrip("\n")
        return f"{self.obj!r} created at (most recent call last):\n{lines}"


@attrs.define
class _Entry:
    ref: weakref.ReferenceType[Handle]
    stack: traceback.StackSummary
    serial: int


_entries: dict[int, _Entry] = {}
_serials = itertools.count(1)
_last_serial = 0
_limit: int | None = DEFAULT_LIMIT


def _forgetter(key: int) -> Callable[[weakref.ReferenceType[Handle]], None]:
    """The weakref callback dropping *key*'s entry, unless a newer object took the id."""

    def forget(ref: weakref.ReferenceType[Handle]) -> None:
        entry = _entries.get(key)
        if entry is not None and entry.ref is ref:
            _entries.pop(key, None)

    return forget


#: Where the core's own frames live (the pure reference's ``_adopt``): skipped in creation stacks.
_CORE_DIR: Final = os.path.dirname(core.__file__ or "") if core.__name__.endswith("_pure") else None


def _record(obj: Handle) -> None:
    """The core's adopt hook: remember *obj* and the stack that created it."""
    global _last_serial
    frame = sys._getframe(1)  # 1: the constructor adopting the handle (the compiled core has no frame)
    while frame.f_back is not None and _CORE_DIR and os.path.dirname(frame.f_code.co_filename) == _CORE_DIR:
        frame = frame.f_back  # the pure core's Handle._adopt
    stack = traceback.StackSummary.extract(traceback.walk_stack(frame), limit=_limit, lookup_lines=False)
    stack.reverse()
    key = id(obj)
    serial = _last_serial = next(_serials)
    ref = weakref.ref(obj, _forgetter(key))
    _entries[key] = _Entry(ref, stack, serial)


def enable(*, limit: int | None = DEFAULT_LIMIT) -> None:
    """Start recording every macres object created from now on, with its creation stack.

    *limit* is how many of the innermost frames each traceback keeps (None: all).
    Objects created before the call are not known to the registry.
    """
    global _limit
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be positive or None, got {limit}")
    _limit = limit
    core.set_adopt_hook(_record)


def disable() -> None:
    """Stop recording; the objects recorded so far stay listed by :func:`live` until closed."""
    core.set_adopt_hook(None)


def enabled() -> bool:
    """Whether the registry records new objects."""
    return core.get_adopt_hook() is _record


def live(since: int = 0) -> list[LiveObject]:
    """The recorded objects still open (and holding a resource), oldest first.

    *since* keeps only objects created after a :class:`Snapshot`'s ``serial``.
    """
    out = []
    for entry in list(_entries.values()):
        if entry.serial <= since:
            continue
        obj = entry.ref()
        if obj is None or obj.closed:
            continue
        out.append(LiveObject(obj, entry.stack, entry.serial))
    out.sort(key=lambda o: o.serial)
    return out


# -- the operating system's view ------------------------------------------------
_FD_DIR: Final = pathlib.Path("/proc/self/fd") if os.path.isdir("/proc/self/fd") else pathlib.Path("/dev/fd")


def open_descriptors() -> set[int]:
    """The descriptor numbers open in this process now (``/proc/self/fd`` or ``/dev/fd``)."""
    fds = set()
    for entry in os.listdir(_FD_DIR):
        fd = int(entry)
        try:
            os.fstat(fd)
        except OSError:  # the listing's own descriptor, closed by now
            continue
        fds.add(fd)
    return fds


def describe_descriptor(fd: int) -> str:
    """``"7 -> /tmp/file"``: the number and what it refers to, when the OS says."""
    try:
        return f"{fd} -> {os.readlink(_FD_DIR / str(fd))}"
    except OSError:
        return str(fd)


def child_processes() -> set[int]:
    """The pids of this process's children, reaped or not yet.

    Linux: ``/proc/self/task/*/children``, or where the kernel lacks those
    files (``CONFIG_PROC_CHILDREN`` unset) the processes whose
    ``/proc/PID/stat`` names this process as their parent.  Elsewhere
    ``pgrep -P``.
    """
    if os.path.isdir(_PROC_TASKS):
        pids = _children_from_tasks()
        return _children_from_stat() if pids is None else pids
    pgrep = shutil.which("pgrep")
    if pgrep is None:
        return set()
    out = subprocess.run([pgrep, "-P", str(os.getpid())], capture_output=True, text=True, check=False)
    return {int(p) for p in out.stdout.split()}  # pgrep never lists itself


_PROC_TASKS: Final = "/proc/self/task"
#: The per-thread file listing its children (absent without ``CONFIG_PROC_CHILDREN``).
_CHILDREN_FILE: Final = "children"


def _children_from_tasks() -> set[int] | None:
    """The children every thread of this process lists, or None when the kernel has no such file."""
    pids: set[int] = set()
    for tid in os.listdir(_PROC_TASKS):
        try:
            with open(os.path.join(_PROC_TASKS, tid, _CHILDREN_FILE)) as f:
                pids.update(int(p) for p in f.read().split())
        except FileNotFoundError:
            if os.path.isdir(os.path.join(_PROC_TASKS, tid)):
                return None  # the thread is there, its children file is not
        except OSError:  # the thread ended meanwhile
            continue
    return pids


def _children_from_stat() -> set[int]:
    """The pids whose ``/proc/PID/stat`` gives this process as the parent (zombies included)."""
    me = os.getpid()
    pids: set[int] = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()  # after "pid (comm) ": state, ppid, ...
        if len(fields) > 1 and int(fields[1]) == me:
            pids.add(int(name))
    return pids


def live_mappings() -> dict[int, int]:
    """``{address: length}`` of the mappings MappedRegion objects hold now."""
    from .. import memory

    return memory.live_mappings()


# -- leak checks ------------------------------------------------------------------
@attrs.frozen
class Snapshot:
    """What the process held at one moment: compare later with :func:`leaks_since`."""

    serial: int
    descriptors: frozenset[int]
    children: frozenset[int]
    mappings: frozenset[int]


def snapshot(*, collect: bool = True) -> Snapshot:
    """Record the descriptors, children and mappings open now (after a garbage collection)."""
    if collect:
        gc.collect()
    return Snapshot(
        _last_serial, frozenset(open_descriptors()), frozenset(child_processes()), frozenset(live_mappings())
    )


@attrs.frozen
class LeakReport:
    """What a test left behind; false when nothing."""

    #: macres objects created since the snapshot and still open (registry enabled only).
    objects: tuple[LiveObject, ...]
    #: Descriptors opened since the snapshot that no leaked macres object explains.
    descriptors: tuple[int, ...]
    #: Children started since the snapshot, not reaped, that no leaked Process explains.
    children: tuple[int, ...]
    #: ``(address, length)`` of MappedRegion mappings made since and still mapped, not explained above.
    mappings: tuple[tuple[int, int], ...]
    #: ``describe_descriptor`` of each leaked descriptor, taken when the leak was found.
    descriptions: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.objects or self.descriptors or self.children or self.mappings)

    def format(self) -> str:
        """A human-readable account: each leaked object with its creation traceback, then the rest."""
        parts = []
        n = len(self.objects) + len(self.descriptors) + len(self.children) + len(self.mappings)
        parts.append(f"{n} resource(s) leaked:")
        for obj in self.objects:
            parts.append(obj.format())
        for text in self.descriptions:
            parts.append(f"descriptor {text}, opened outside any live macres object")
        for pid in self.children:
            parts.append(f"child process {pid}, not reaped and not owned by a live macres Process")
        for address, length in self.mappings:
            parts.append(f"mapping {address:#x}+{length} held by a MappedRegion the registry did not record")
        return "\n".join(parts)


def _object_handles(objs: Iterable[LiveObject]) -> tuple[set[int], set[int], set[int]]:
    fds, pids, addresses = set(), set(), set()
    for live_obj in objs:
        obj = live_obj.obj
        handle = obj._handle
        if isinstance(obj, FdHandle) or obj._kind == "process":  # a Process or Child: a pidfd (a kqueue on macOS)
            fds.add(handle)
        if isinstance(obj, Child):
            pids.add(obj.pid)
        if obj._kind == "mapping":
            addresses.add(handle)
    return fds, pids, addresses


def leaks_since(snap: Snapshot, *, child_grace: float = 2.0) -> LeakReport:
    """What is open now that was not at *snap*.

    A garbage collection runs first when something looks leaked (objects
    kept only by reference cycles close when collected), so a clean check
    costs no collection.  Children that are exiting get up to
    *child_grace* seconds to be reaped by whoever owns them.
    """
    if not _leaks(snap, 0.0):  # the first report is dropped before collecting: it holds the objects
        return LeakReport((), (), (), ())
    gc.collect()
    return _leaks(snap, child_grace)


def _leaks(snap: Snapshot, child_grace: float) -> LeakReport:
    objects = tuple(live(snap.serial))
    obj_fds, obj_pids, obj_maps = _object_handles(objects)
    fds = open_descriptors() - snap.descriptors - obj_fds
    maps = {a: n for a, n in live_mappings().items() if a not in snap.mappings and a not in obj_maps}
    deadline = time.monotonic() + child_grace
    kids = child_processes() - snap.children - obj_pids
    while kids and time.monotonic() < deadline:
        time.sleep(0.01)
        kids = child_processes() - snap.children - obj_pids
    return LeakReport(
        objects,
        tuple(sorted(fds)),
        tuple(sorted(kids)),
        tuple(sorted(maps.items())),
        tuple(describe_descriptor(fd) for fd in sorted(fds)),
    )
