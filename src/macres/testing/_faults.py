"""Fault injection: make chosen calls fail, or move fewer bytes, the way the kernel would.

``with faults(plan):`` arms every call site macres has (the compiled core's
system calls, the raw layer's ctypes functions, and the CPython ``os``
functions the raw layer, the pure core and the objects call) so that each
call asks the plan first.  A planned call does not reach the kernel: it
fails with the planned errno, or runs with a smaller byte count (a short
read or write), and everything above it (the raw layer's checks and EINTR
retries, the objects' lifecycle and error handling, the caller's code) runs
as it would for a real failure.  Nothing above the call is faked.

Names (the call sites):

* each binding of :mod:`macres.raw` by its name (``open``, ``read``,
  ``write``, ``pread``, ``pwrite``, ``fsync``, ``fstat``, ``ftruncate``,
  ``flock``, ``close``, ``connect``, ``accept``, ``socket``, ...);
* the calls the objects make beside them: ``readv``, ``writev`` and
  ``preadv`` (answer to ``read``, ``write`` and ``pread`` as well),
  ``openat`` (answers to ``open``), ``send`` and ``recv`` (``sendto`` and
  ``recvfrom`` answer to them too: the pure core sends with sendto),
  ``getdents64`` (a directory listing; on the pure core the start of its
  ``os.scandir``);
* an area of the binding table for all its calls: ``fd``, ``fs``,
  ``dir``, ``socket``, ``memory``, ``process``, ``event``, ``ids``,
  ``system``, ``time``.

:func:`known_calls` lists them; an unknown name is refused with
``ValueError``.  Short transfers apply to ``read``, ``readv``, ``pread``,
``preadv``, ``write``, ``writev``, ``pwrite``, ``send``, ``sendto``,
``recv`` and ``recvfrom``.  An injected ``EINTR`` interrupts one attempt:
the retry path runs (the core's and the raw layer's PEP 475 loops; inside
CPython's ``os`` functions, which retry internally, the call is made again)
and the retry reaches the kernel.  ``close`` fails *after* the real close,
as close(2) does: the descriptor is gone either way.

Scope: a plan applies to the thread that entered it (``all_threads=True``:
to every thread without a plan of its own); the innermost plan wins.
While no plan is active anywhere the call sites are not armed: the
compiled core tests one flag per call, the Python call sites are the plain
functions.  While armed, a Python wrapper replaces each Python call site
(so a signal handler may run between popping a descriptor and closing it
in the pure core's close).
"""

from __future__ import annotations

import _socket
import contextlib
import ctypes
import difflib
import errno as _errno
import fcntl
import functools
import os
import resource
import signal
import socket
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from .. import _backend
from ..raw import _libc, _table

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["Fault", "FaultLog", "FaultPlan", "fault_plans", "faults", "known_calls"]

_EINTR: Final = _errno.EINTR

#: Call sites that answer to a second, more general name.
_FAMILY: Final[Mapping[str, str]] = {
    "readv": "read",
    "preadv": "pread",
    "writev": "write",
    "pwritev": "pwrite",
    "openat": "open",
    "sendto": "send",
    "recvfrom": "recv",
    "accept4": "accept",
    "pidfd_send_signal": "kill",
}
#: The areas of call sites outside the binding table.
_AREA: Final[Mapping[str, str]] = {
    "send": "socket", "recv": "socket", "readv": "fd", "preadv": "fd", "pwritev": "fd", "getdents64": "dir",
    "pidfd_send_signal": "process",
}  # fmt: skip
#: The calls a short-transfer fault applies to.
TRANSFERS: Final = frozenset({"read", "readv", "pread", "preadv", "write", "writev", "pwrite", "send", "sendto", "recv", "recvfrom"})
#: Calls whose fault comes after the real call (close(2) releases the descriptor even when it fails).
_AFTER: Final = frozenset({"close"})


def _area(name: str) -> str | None:
    rows = _table.BY_NAME.get(name)
    return rows[0].area if rows else _AREA.get(name)


@functools.cache
def _names(site: str) -> frozenset[str]:
    """Every plan name call site *site* answers to: itself, its family, their areas."""
    names = {site}
    family = _FAMILY.get(site)
    if family is not None:
        names.add(family)
    for name in tuple(names):
        area = _area(name)
        if area is not None:
            names.add(area)
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def known_calls() -> frozenset[str]:
    """Every name a fault may use: binding names, the extra call sites, the areas."""
    names = {row.python_name for row in _table.ROWS}
    names.update(row.area for row in _table.ROWS)
    names.update(_FAMILY, _FAMILY.values(), _AREA)
    names.update(name for _, name in _libc.CALLS.values())
    names.update(site for _, site, _ in _STDLIB.values())
    return frozenset(names)


def _check_call(call: str) -> str:
    if call not in known_calls():
        near = difflib.get_close_matches(call, sorted(known_calls()), n=3)
        hint = f" (did you mean {', '.join(map(repr, near))}?)" if near else ""
        raise ValueError(f"unknown call {call!r} for a fault{hint}: see macres.testing.known_calls()")
    return call


def _errno_name(err: int) -> str:
    name = _errno.errorcode.get(err)
    return f"errno.{name}" if name else str(err)


@attrs.frozen(repr=False)
class Fault:
    """One planned fault: the *nth* call named *call* fails with *errno*, or moves at most *short* bytes.

    *nth* counts from 1 the calls that answer to *call* inside the plan's
    scope; None means every such call.  Exactly one of *errno* and *short*
    is given.

    Raises:
        ValueError: an unknown call name, neither or both of errno and
            short, a short fault on a call that moves no bytes, nth < 1.
    """

    call: str = attrs.field(converter=_check_call)
    errno: int | None = None
    nth: int | None = attrs.field(default=None, kw_only=True)
    short: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (self.errno is None) == (self.short is None):
            raise ValueError("a fault has either an errno or a short byte count")
        if self.errno is not None and self.errno <= 0:
            raise ValueError(f"errno must be positive, got {self.errno}")
        if self.short is not None:
            if self.short < 1:
                raise ValueError(f"a short transfer moves at least 1 byte, got {self.short}")
            if self.call in known_calls() - TRANSFERS - {a for a in map(_area, TRANSFERS) if a}:
                raise ValueError(f"{self.call!r} moves no bytes: a short fault needs one of {sorted(TRANSFERS)}")
        if self.nth is not None and self.nth < 1:
            raise ValueError(f"nth counts from 1, got {self.nth}")

    def __repr__(self) -> str:
        what = _errno_name(self.errno) if self.errno is not None else f"short={self.short}"
        when = "" if self.nth is None else f", nth={self.nth}"
        return f"Fault({self.call!r}, {what}{when})"


def _as_faults(faults: Iterable[Fault]) -> tuple[Fault, ...]:
    return tuple(faults)


@attrs.frozen(repr=False)
class FaultPlan:
    """The faults one scope injects (what :func:`fault_plans` draws)."""

    faults: tuple[Fault, ...] = attrs.field(converter=_as_faults)

    def __repr__(self) -> str:
        return f"FaultPlan([{', '.join(map(repr, self.faults))}])"

    def __len__(self) -> int:
        return len(self.faults)


@attrs.define(eq=False)
class FaultLog:
    """What happened inside a :func:`faults` scope."""

    #: How many attempts each call site made (an interrupted attempt and its retry are two).
    calls: Counter[str] = attrs.field(factory=Counter)
    #: Each fault delivered, in order, with the call site it hit.
    injected: list[tuple[str, Fault]] = attrs.field(factory=list)


class _Scope:
    """An active plan: its faults, their counters, its log."""

    def __init__(self, plan: tuple[Fault, ...]) -> None:
        self.faults = plan
        self.counts = [0] * len(plan)
        self.log = FaultLog()
        self.lock = threading.Lock()

    def decide(self, site: str) -> Fault | None:
        names = _names(site)
        hit = None
        with self.lock:
            self.log.calls[site] += 1
            for i, fault in enumerate(self.faults):
                if fault.call not in names or (fault.short is not None and site not in TRANSFERS):
                    continue
                self.counts[i] += 1
                if hit is None and (fault.nth is None or fault.nth == self.counts[i]):
                    hit = fault
            if hit is not None:
                self.log.injected.append((site, hit))
        return hit


class _Local(threading.local):
    def __init__(self) -> None:
        self.scopes: list[_Scope] = []
        #: The call site whose last attempt got an injected EINTR: its retry passes.
        self.interrupted: str | None = None


_local = _Local()
_all_threads: list[_Scope] = []


def _consult(site: str) -> Fault | None:
    """The fault for this attempt of *site* in this thread, or None."""
    local = _local
    scopes = local.scopes or _all_threads
    if local.interrupted == site:  # the retry of an interrupted attempt: it reaches the kernel
        local.interrupted = None
        if scopes:
            with scopes[-1].lock:
                scopes[-1].log.calls[site] += 1
        return None
    if not scopes:
        return None
    fault = scopes[-1].decide(site)
    if fault is not None and fault.errno == _EINTR and site not in _AFTER:
        local.interrupted = site
    return fault


def _core_hook(call: str, length: int) -> int:
    """The compiled core's question before a system call: -errno, or the byte count to move."""
    fault = _consult(call)
    if fault is None:
        return max(length, 0)
    if fault.short is not None:
        return min(fault.short, length) if length >= 0 else 0
    assert fault.errno is not None
    return -fault.errno


# -- the Python call sites --------------------------------------------------
def _oserror(err: int, site: str, args: tuple[Any, ...]) -> OSError:
    paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))] if site in _PATH_SITES else []
    return OSError(err, os.strerror(err), *paths[:2]) if paths else OSError(err, os.strerror(err))


def _short_buffers(buffers: Iterable[Any], limit: int, keep: list[memoryview]) -> list[memoryview]:
    out = []
    for buf in buffers:
        view = memoryview(buf).cast("B")
        keep.append(view)
        part = view[:limit]
        keep.append(part)
        out.append(part)
        limit -= len(part)
        if limit <= 0:
            break
    return out


def _stdlib_site(fn: Callable[..., Any], site: str, shape: str) -> Callable[..., Any]:
    """*fn* (a CPython ``os``/``fcntl`` function) asking the plan first."""

    def call(*args: Any, **kwargs: Any) -> Any:
        fault = _consult(site)
        if fault is None:
            return fn(*args, **kwargs)
        if fault.short is not None:
            keep: list[memoryview] = []
            try:
                new = list(args)
                if shape == "count":
                    new[1] = min(new[1], fault.short)
                elif shape == "buffer":
                    new[1] = _short_buffers((new[1],), fault.short, keep)[0]
                elif shape == "buffers":
                    new[1] = _short_buffers(new[1], fault.short, keep)
                return fn(*new, **kwargs)
            finally:
                for view in reversed(keep):
                    view.release()
        assert fault.errno is not None
        if site in _AFTER:
            fn(*args, **kwargs)
        elif fault.errno == _EINTR:  # CPython retries EINTR inside the call (PEP 475): so does this
            _local.interrupted = None
            return fn(*args, **kwargs)
        raise _oserror(fault.errno, site, args)

    call.__name__ = getattr(fn, "__name__", site)
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    return call


def _ctypes_site(fn: Any, site: str) -> Callable[..., Any]:
    """The ctypes function *fn* asking the plan first; its own checker handles a planned failure."""
    check = fn.errcheck
    status = getattr(check, "__qualname__", "").startswith("check_status")
    fail: object = None if fn.restype in (ctypes.c_void_p, ctypes.c_char_p) else -1

    def call(*args: Any) -> Any:
        fault = _consult(site)
        if fault is None:
            return fn(*args)
        if fault.short is not None:
            new = list(args)
            if site in _CTYPES_TRANSFERS:  # (fd, buf, nbyte, ...)
                new[2] = min(new[2], fault.short)
            return fn(*new)
        assert fault.errno is not None
        if site in _AFTER and fn(*args) == -1:
            return -1 if check is None else check(-1, fn, args)  # the real failure first
        ctypes.set_errno(fault.errno)
        result = fault.errno if status else fail
        if check is None:  # the binding reads errno itself (and retries EINTR itself)
            return result
        result = check(result, fn, args)  # raises, or retried EINTR with the real call
        _local.interrupted = None
        return result

    call.__name__ = getattr(fn, "__name__", site)
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    return call


def _stdlib_table() -> dict[int, tuple[Callable[..., Any], str, str]]:
    """The CPython functions macres calls, by ``id``: (function, call site, how a short transfer shortens it)."""
    entries: list[tuple[object, str, str]] = [
        (os.open, "openat", ""), (os.close, "close", ""), (os.read, "read", "count"), (os.readv, "readv", "buffers"),
        (os.write, "write", "buffer"), (os.writev, "writev", "buffers"), (os.pread, "pread", "count"),
        (os.pwrite, "pwrite", "buffer"), (os.lseek, "lseek", ""), (os.fstat, "fstat", ""), (os.stat, "stat", ""),
        (os.lstat, "lstat", ""), (os.fsync, "fsync", ""), (os.ftruncate, "ftruncate", ""), (os.dup, "dup", ""),
        (os.dup2, "dup2", ""), (os.pipe, "pipe", ""), (os.kill, "kill", ""), (os.fork, "fork", ""), (os.wait4, "wait4", ""),
        (os.unlink, "unlink", ""), (os.rename, "rename", ""), (os.mkdir, "mkdir", ""), (os.rmdir, "rmdir", ""),
        (os.fchmod, "fchmod", ""), (os.fchown, "fchown", ""), (os.truncate, "truncate", ""),
        (os.scandir, "getdents64", ""), (fcntl.fcntl, "fcntl", ""), (fcntl.flock, "flock", ""), (fcntl.ioctl, "ioctl", ""),
        (socket.socket.send, "sendto", "buffer"), (socket.socket.setsockopt, "setsockopt", ""),
        (_socket.socket, "socket", ""), (_socket.socketpair, "socketpair", ""), (resource.getrusage, "getrusage", ""),
        (getattr(signal, "pidfd_send_signal", None), "pidfd_send_signal", ""), (getattr(os, "preadv", None), "preadv", "buffers"), (getattr(os, "pwritev", None), "pwritev", "buffers"),
    ]  # fmt: skip
    return {id(fn): (fn, site, shape) for fn, site, shape in entries if callable(fn)}


_STDLIB: Final = _stdlib_table()
_CTYPES_TRANSFERS: Final = frozenset({"read", "write", "pread", "pwrite", "sendto", "recvfrom"})
_PATH_SITES: Final = frozenset({"open", "openat", "stat", "lstat", "unlink", "rename", "mkdir", "rmdir", "truncate"})


def _site_for(value: object) -> Callable[..., Any] | None:
    """A wrapper for *value* when it is a call site, else None."""
    entry = _libc.CALLS.get(id(value))
    if entry is not None and entry[0] is value:
        return _ctypes_site(value, entry[1])
    std = _STDLIB.get(id(value))
    if std is not None and std[0] is value:
        return _stdlib_site(std[0], std[1], std[2])
    unchecked = _UNCHECKED.get(id(value))
    if unchecked is not None and unchecked[0] is value:
        return _unchecked_site(*unchecked)
    return None


def _unchecked_table() -> dict[int, tuple[Any, str, int]]:
    """ctypes functions with no checker, by ``id``: (function, call site, the failure result)."""
    from .._pure import region

    return {id(fn): (fn, site, failed) for fn, site, failed in [(region._mmap_unchecked, "mmap", region._MAP_FAILED)]}


_UNCHECKED: Final = _unchecked_table()


def _unchecked_site(fn: Any, site: str, failed: int) -> Callable[..., Any]:
    """The unchecked ctypes function *fn* asking the plan first: a planned error returns *failed* with errno set."""

    def call(*args: Any) -> Any:
        fault = _consult(site)
        if fault is None or fault.errno is None:
            return fn(*args)
        ctypes.set_errno(fault.errno)
        return failed

    call.__name__ = getattr(fn, "__name__", site)
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    return call


# -- arming ------------------------------------------------------------------
_arm_lock = threading.Lock()
_armed = 0
#: What arming replaced: (namespace, key, original); restored on disarming.
_swapped: list[tuple[Any, str, object]] = []


def _modules() -> list[Any]:
    return [
        module
        for name, module in list(sys.modules.items())
        if (name == "macres" or name.startswith("macres.")) and not name.startswith("macres.testing") and module is not None
    ]


#: The call sites found in the loaded modules: (namespace, key, original, wrapper),
#: kept for as long as the same macres modules are loaded.
_found: tuple[tuple[str, ...], list[tuple[Any, str, object, object]]] = ((), [])


def _find_sites(modules: list[Any]) -> list[tuple[Any, str, object, object]]:
    wrappers: dict[int, Callable[..., Any]] = {}

    def wrap(value: object) -> Callable[..., Any] | None:
        if id(value) not in wrappers:
            site = _site_for(value)
            if site is None:
                return None
            wrappers[id(value)] = site
        return wrappers[id(value)]

    found: list[tuple[Any, str, object, object]] = []
    for module in modules:
        namespace = vars(module)
        for key, value in list(namespace.items()):
            site = wrap(value)
            if site is not None:
                found.append((namespace, key, value, site))
            elif isinstance(value, type) and value.__module__ == module.__name__:
                for attr, member in list(vars(value).items()):  # FdHandle._release = staticmethod(os.close)
                    if isinstance(member, staticmethod) and (site := wrap(member.__func__)) is not None:
                        found.append((value, attr, member, staticmethod(site)))
    return found


def _arm_sites() -> None:
    global _found
    modules = _modules()
    names = tuple(m.__name__ for m in modules)
    if names != _found[0]:
        _found = (names, _find_sites(modules))
    for namespace, key, original, site in _found[1]:
        if isinstance(namespace, dict):
            if namespace.get(key) is original:
                namespace[key] = site
                _swapped.append((namespace, key, original))
        elif vars(namespace).get(key) is original:
            setattr(namespace, key, site)
            _swapped.append((namespace, key, original))


def _disarm_sites() -> None:
    while _swapped:
        namespace, key, original = _swapped.pop()
        if isinstance(namespace, dict):
            namespace[key] = original
        else:
            setattr(namespace, key, original)


def _arm() -> None:
    global _armed
    with _arm_lock:
        _armed += 1
        if _armed == 1:
            _arm_sites()
            _backend.core.set_fault_hook(_core_hook)


def _disarm() -> None:
    global _armed
    with _arm_lock:
        _armed -= 1
        if _armed == 0:
            _backend.core.set_fault_hook(None)
            _disarm_sites()


# -- the public face ---------------------------------------------------------
FaultSpec = Fault | FaultPlan | Mapping[str, int]


def _flatten(specs: Iterable[FaultSpec]) -> tuple[Fault, ...]:
    out: list[Fault] = []
    for spec in specs:
        if isinstance(spec, Fault):
            out.append(spec)
        elif isinstance(spec, FaultPlan):
            out.extend(spec.faults)
        elif isinstance(spec, Mapping):
            out.extend(Fault(call, err) for call, err in spec.items())
        else:
            raise TypeError(f"a fault plan is made of Fault, FaultPlan or {{call: errno}}, not {type(spec).__name__}")
    return tuple(out)


@contextlib.contextmanager
def faults(*plan: FaultSpec, all_threads: bool = False) -> Iterator[FaultLog]:
    """Inject *plan* into the calls this thread makes inside the ``with`` block; yield its :class:`FaultLog`.

    *plan* is any mix of :class:`Fault`, :class:`FaultPlan` and
    ``{call: errno}`` mappings (every such call fails)::

        with faults({"fsync": errno.EIO}, Fault("write", short=3, nth=1)) as log:
            ...

    ``all_threads=True`` applies the plan to every thread that has no plan
    of its own.

    Raises:
        ValueError: an unknown call name (see :func:`known_calls`).
        TypeError: a part of *plan* that is not a fault.
    """
    scope = _Scope(_flatten(plan))
    stack = _all_threads if all_threads else _local.scopes
    _arm()
    stack.append(scope)
    try:
        yield scope.log
    finally:
        stack.remove(scope)
        if not all_threads:
            _local.interrupted = None
        _disarm()


def fault_plans(
    calls: Iterable[str] = ("open", "read", "write", "fsync", "close"),
    *,
    errors: Iterable[int] = (_errno.EIO,),
    interrupts: bool = True,
    short: bool = True,
    max_faults: int = 3,
    max_nth: int = 8,
) -> SearchStrategy[FaultPlan]:
    """A hypothesis strategy of :class:`FaultPlan`: which of *calls* fail, on which attempt, and how.

    Each fault picks a call from *calls*, an error from *errors* (or
    ``EINTR`` when *interrupts*, or a short transfer when *short* and the
    call moves bytes) and the attempt it hits (1 to *max_nth*, or every
    attempt).  Plans shrink towards fewer faults, the first call and error
    given, the first attempt.

    Raises:
        ValueError: an unknown call name, no calls, or no errors.
    """
    from hypothesis import strategies as st

    names = tuple(_check_call(c) for c in calls)
    errs = tuple(errors)
    if not names or not errs:
        raise ValueError("fault_plans needs at least one call and one error")
    when = st.one_of(st.integers(1, max_nth), st.none())

    def one(call: str) -> SearchStrategy[Fault]:
        kinds = [st.builds(Fault, st.just(call), st.sampled_from(errs), nth=when)]
        if interrupts:
            kinds.append(st.builds(Fault, st.just(call), st.just(_EINTR), nth=when))
        if short and call in TRANSFERS:
            kinds.append(st.builds(Fault, st.just(call), short=st.integers(1, 64), nth=when))
        return st.one_of(kinds)

    fault = st.sampled_from(names).flatmap(one)
    return st.lists(fault, max_size=max_faults).map(FaultPlan)
