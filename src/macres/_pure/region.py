"""MappedRegion's lifecycle, checked access and views, in Python: the reference of ``_core_region.c``.

Every access checks the pages' protection first, so a read or write that
mprotect forbids raises PermissionError instead of faulting.  ``view()``
hands out memoryviews; while one (or anything made from it) is alive, an
mprotect that removes a permission it relies on raises BufferError, and
``close()`` closes at once but leaves the munmap for when the last view is
gone.

Re-entry: a signal handler or a finalizer (run by a collection that an
allocation inside an operation starts) may use the region while one of its
operations is half done in the same thread.  The lock is reentrant, so that
does not deadlock, and what an operation has checked cannot be undone under
it: an access or a view in the making pins its bytes (``_pins``), and a
re-entering mprotect that would take a permission they need away raises
BufferError as a live view makes it; an mprotect in the making caps
(``_caps``) what a re-entering access or view may rely on at the new
protection, and a second mprotect of the same pages is refused until it is
done.  The compiled core runs no Python code inside these windows.

How views are counted here: Python code cannot export a buffer before 3.12,
so each view is a fresh memoryview over the region's memory with no
exporting object, and the region counts the memoryviews referring to its
managed buffer (``sys.getrefcount``), leaving out those already released.
The compiled core counts exports exactly through the buffer protocol; the
two agree on what a program can observe (``live_mappings()`` sweeps the
deferred unmaps first).
"""

from __future__ import annotations

import ctypes
import gc
import mmap as _stdlib_mmap
import operator
import sys
import threading
import weakref
from itertools import starmap
from typing import Any, ClassVar, Final, overload

import attrs
from typing_extensions import Buffer, Self

from .. import raw
from .._errors import oserror
from .fd import c_int, readable, ssize
from .handle import Handle

__all__ = ["MappedRegionBase", "live_mappings"]

_R: Final = 1  # PROT_READ, the same on macOS and Linux
_W: Final = 2  # PROT_WRITE
_PROT_BITS: Final = 7
_PAGE: Final = _stdlib_mmap.PAGESIZE
_raw_munmap = raw.munmap
_MAP_FAILED: Final = (1 << 64) - 1 if ctypes.sizeof(ctypes.c_void_p) == 8 else (1 << 32) - 1
#: mmap(2) with no errcheck: a C function that runs no Python code (see MappedRegionBase._mmap).
_mmap_unchecked = ctypes.CDLL(None, use_errno=True).mmap
_mmap_unchecked.restype = ctypes.c_void_p
_mmap_unchecked.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int64)
#: munmap(2) with no errcheck, for the same reason (MappedRegionBase._drain).
_munmap_unchecked = ctypes.CDLL(None, use_errno=True).munmap
_munmap_unchecked.restype = ctypes.c_int
_munmap_unchecked.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_memory_view = raw.memory_view

_Key = int | slice

# -- the registry of live mappings ----------------------------------------------
#: address -> mapped length of every mapping a region made and has not unmapped.
_LIVE: dict[int, int] = {}
#: (address, length, exports) of regions released while views were alive:
#: unmapped by a later sweep, once those views are gone.
_ORPHANS: list[tuple[int, int, list[_Export]]] = []


def _unmap(address: int, length: int, _munmap: Any = _raw_munmap, _live: dict[int, int] = _LIVE) -> None:
    try:
        _munmap(address, length)
    finally:
        _live.pop(address, None)


def _sweep_orphans() -> None:
    """Unmap the mappings of released regions whose views have all gone."""
    for item in list(_ORPHANS):
        address, length, exports = item
        if not any(_alive(e) for e in exports):
            try:
                _ORPHANS.remove(item)
            except ValueError:  # another thread swept it
                continue
            _unmap(address, length)


def live_mappings() -> dict[int, int]:
    """Return ``{address: length}`` of every mapping a MappedRegion holds now."""
    _sweep_orphans()
    return dict(_LIVE)


# -- tracking the buffers handed out ---------------------------------------------
@attrs.define(eq=False)
class _Export:
    """One ``view()``: the managed buffer all memoryviews derived from it share."""

    owner: object
    view: weakref.ref[memoryview]
    start: int
    stop: int
    writable: bool


def _released(view: memoryview) -> bool:
    try:
        view.nbytes  # noqa: B018 - raises on a released view
    except ValueError:
        return True
    return False


# References to the managed buffer besides the memoryviews: the _Export's
# attribute and the argument of sys.getrefcount.
_BASE_REFS: Final = 2


def _alive(export: _Export) -> bool:
    """Whether any unreleased memoryview (or buffer export of one) still uses *export*."""
    n = sys.getrefcount(export.owner) - _BASE_REFS
    if n <= 0:
        return False
    view = export.view()
    if view is not None:
        if not _released(view):
            return True
        if sys.getrefcount(export.owner) - _BASE_REFS == 1:  # ``with r.view() as v`` left v bound
            return False
    del view
    # Released memoryviews keep their reference until they are collected.  A
    # memoryview with buffers exported from it is not visited by the
    # collector, so it shows up as a reference not in the list.
    views = [r for r in gc.get_referrers(export.owner) if type(r) is memoryview]
    n = sys.getrefcount(export.owner) - _BASE_REFS
    return n != len(views) or not all(_released(v) for v in views)


def _new_export(view: memoryview, start: int, stop: int, writable: bool) -> _Export:
    owners = gc.get_referents(view)
    if len(owners) != 1 or type(owners[0]).__name__ != "managedbuffer":  # pragma: no cover - CPython only
        raise RuntimeError("this Python does not expose memoryview buffers the way macres needs")
    return _Export(owners[0], weakref.ref(view), start, stop, writable)


#: (lo, hi, bits) of an access in progress (the bits it needs) or of an
#: mprotect in progress (the protection it sets).
_Span = tuple[int, int, int]


def _drop(spans: list[_Span], span: _Span) -> None:
    """Remove *span* from *spans*, if an exception did not come before it was added."""
    try:
        spans.remove(span)
    except ValueError:
        pass


def _off_t(value: int) -> int:
    v = operator.index(value)
    if not -(1 << 63) <= v < 1 << 63:
        raise OverflowError("Python int too large to convert to C long long (offset)")
    return v


def _nonnegative(value: int, what: str) -> int:
    v = ssize(value, what)
    if v < 0:
        raise ValueError(f"{what} must not be negative, got {v}")
    return v


def _prot(value: int) -> int:
    p = ssize(value, "prot")
    if p & ~_PROT_BITS or p < 0:
        raise ValueError(f"protection {value!r} has bits other than PROT_READ, PROT_WRITE and PROT_EXEC")
    return p


def _key(key: object) -> _Key:
    if isinstance(key, slice):
        return key
    try:
        i = operator.index(key)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"region indices must be integers or slices, not {type(key).__name__}") from None
    if not -sys.maxsize - 1 <= i <= sys.maxsize:
        raise IndexError("cannot fit 'int' into an index-sized integer")
    return i


class MappedRegionBase(Handle):
    """MappedRegion's lifecycle, checked access and counted views."""

    __slots__ = (
        "_caps", "_exports", "_file_backed", "_lock", "_mem", "_pages", "_pins", "_prot", "_prune_at",
        "_shared", "_size",
    )  # fmt: skip

    _size: int
    _prot: int  # the protection of every page, or -1 when pages differ
    _pages: bytearray | None  # per-page protection while they differ
    _mem: memoryview | None  # the region's own view, never handed out; made on first access
    _exports: list[_Export]
    _prune_at: int
    _lock: threading.RLock
    _pins: list[_Span]  # accesses and views in progress: the bytes and permissions they rely on
    _caps: list[_Span]  # mprotects in progress: the bytes and the protection they set
    _shared: bool
    _file_backed: bool

    _kind: ClassVar[str] = "mapping"

    @classmethod
    def _new(cls, address: int, size: int, prot: int, *, shared: bool, file_backed: bool) -> Self:
        """Adopt the mapping at *address* (*size* bytes asked for, whole pages mapped)."""
        self = cls._made(size, prot, shared, file_backed)
        _LIVE[address] = self._maplen
        self._adopt(address)
        return self

    @classmethod
    def _mmap(cls, size: int, prot: int, flags: int, fd: int, offset: int, *, shared: bool, file_backed: bool) -> Self:
        """mmap(NULL, *size* rounded up to whole pages, ...), owned by a new region in the same step as it is made.

        The unchecked ``mmap`` is a C function: :meth:`Handle._acquire`'s way,
        its result lands in ``_claim`` inside one C-level call (unless it is
        ``MAP_FAILED``), so no signal handler can come between.

        Raises:
            OSError: ENOMEM, EACCES, EINVAL, ENODEV.  ValueError: *size* negative, bad *prot*.
            OverflowError: *size* too large, an argument out of range.
        """
        self = cls._made(size, prot, shared, file_backed)
        maplen = self._maplen
        if maplen > sys.maxsize:
            raise OverflowError(f"size {self._size} is too large to map")
        args = (None, maplen, self._prot, c_int(flags, "flags"), c_int(fd, "fd"), _off_t(offset))
        claim = self._claim
        claim.extend(filter(_MAP_FAILED.__ne__, starmap(_mmap_unchecked, (args,))))
        if not claim:
            raise oserror(ctypes.get_errno())
        _LIVE[claim[0]] = maplen
        self._opened()
        return self

    @classmethod
    def _made(cls, size: int, prot: int, shared: bool, file_backed: bool) -> Self:
        size = _nonnegative(size, "size")
        p = _prot(prot)
        _sweep_orphans()
        self = cls.__new__(cls)
        self._size = size
        self._prot = p
        self._pages = None
        self._mem = None
        self._exports = []
        self._prune_at = 8
        self._lock = threading.RLock()  # reentrant: a finalizer or handler may touch the region
        self._pins = []
        self._caps = []
        self._shared = bool(shared)
        self._file_backed = bool(file_backed)
        return self

    # -- attributes ------------------------------------------------------------
    @property
    def _maplen(self) -> int:
        return -(-self._size // _PAGE) * _PAGE

    @property
    def address(self) -> int:
        """The start address of the mapping, for callers that pass it to C.

        Raises:
            ClosedResourceError: closed.
        """
        if self._closing:
            raise self._closed_error()
        return self._handle

    @property
    def _prot_bits(self) -> int:
        """The protection of every page, or what all pages share."""
        if self._closing:
            raise self._closed_error()
        with self._lock:
            if self._pages is None:
                return self._prot
            common = _PROT_BITS
            for p in set(self._pages):
                common &= p
            return common

    @property
    def page_size(self) -> int:
        """The page size: offsets of mprotect/madvise are multiples of it."""
        return _PAGE

    @property
    def shared(self) -> bool:
        """Whether the mapping is MAP_SHARED (writes reach the file / a forked child)."""
        return self._shared

    @property
    def _views(self) -> int:
        """Views handed out by view() and not yet released."""
        with self._lock:
            return len(self._live_exports())

    def __len__(self) -> int:
        if self._closing:
            raise self._closed_error()
        return self._size

    # -- checks ----------------------------------------------------------------
    def _allows(self, need: int, lo: int, hi: int) -> bool:
        """Whether every page of bytes [lo, hi) has all bits of *need*.

        Raises:
            ValueError: not ``0 <= lo < hi <= size``.
        """
        if not 0 <= lo < hi <= self._size:
            raise ValueError("_allows() needs 0 <= lo < hi <= size")
        return self._covers(need, lo, hi)

    def _covers(self, need: int, lo: int, hi: int) -> bool:
        pages = self._pages
        if pages is None:
            ok = self._prot & need == need
        else:
            ok = all(p & need == need for p in pages[lo // _PAGE : (hi - 1) // _PAGE + 1])
        # an mprotect in progress (re-entered from a handler): rely only on what it leaves
        return ok and all(p & need == need for a, b, p in self._caps if a < hi and lo < b)

    def _range(self, offset: int, length: int | None, aligned: bool) -> tuple[int, int]:
        """Check a range for mprotect/msync/mlock/madvise; return ``(offset, length)``."""
        offset = _nonnegative(offset, "offset")
        if offset > self._size:
            raise ValueError(f"offset {offset} is beyond the region's {self._size} bytes")
        length = self._size - offset if length is None else _nonnegative(length, "length")
        if length > self._size - offset:
            raise ValueError(f"offset {offset} + length {length} is beyond the region's {self._size} bytes")
        if aligned and length:
            if offset % _PAGE:
                raise ValueError(f"offset {offset} is not a multiple of the page size {_PAGE}")
            if length % _PAGE and offset + length != self._size:
                raise ValueError(
                    f"length {length} is not a multiple of the page size {_PAGE}: the call would "
                    "affect the whole last page, beyond the range asked for"
                )
        return offset, length

    def _span(self, key: _Key) -> tuple[_Key, int, int, int]:
        """``(key, count, lo, hi)``: *key* with plain ints, its byte count and the bytes [lo, hi) it touches.

        The access must use the returned key: an ``__index__`` that answers
        differently the second time must not move it onto a forbidden page.

        Raises:
            IndexError: an int *key* outside the region.
        """
        n = self._size
        if isinstance(key, slice):
            start, stop, step = key.indices(n)
            count = len(range(start, stop, step))
            checked = slice(start, stop if stop >= 0 else None, step)
            if count == 0:
                return checked, 0, 0, 0
            last = start + (count - 1) * step
            return checked, count, min(start, last), max(start, last) + 1
        i = key + n if key < 0 else key
        if not 0 <= i < n:
            raise IndexError("index out of range")
        return i, 1, i, i + 1

    def _check(self, need: int, lo: int, hi: int, what: str) -> None:
        if hi > lo and not self._covers(need, lo, hi):
            raise PermissionError(f"cannot {what} bytes {lo}..{hi}: the pages' protection forbids it")

    def _whole(self, handle: int) -> memoryview:
        mem = self._mem
        if mem is None:
            mem = self._mem = _memory_view(handle, self._size, readonly=False)
        return mem

    def _live_exports(self) -> list[_Export]:
        live = [e for e in self._exports if _alive(e)]
        self._exports = live
        self._prune_at = max(8, 2 * len(live))
        return live

    # -- reading and writing -----------------------------------------------------
    @overload
    def __getitem__(self, key: int) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> bytes: ...
    def __getitem__(self, key: _Key) -> int | bytes:
        """``region[i]`` -> int, ``region[a:b]`` -> bytes (a copy).

        Raises:
            PermissionError: a touched page lacks PROT_READ.
            IndexError: *i* out of range.  ClosedResourceError: closed.
        """
        return self._call(self._read, _key(key))

    def _read(self, handle: int, key: _Key) -> int | bytes:
        with self._lock:
            checked, count, lo, hi = self._span(key)
            pin, pins = (lo, hi, _R), self._pins
            try:
                pins.append(pin)
                self._check(_R, lo, hi, "read")
                if isinstance(checked, slice):
                    return self._whole(handle)[checked].tobytes() if count else b""
                value: int = self._whole(handle)[checked]
                return value
            finally:
                _drop(pins, pin)

    @overload
    def __setitem__(self, key: int, value: int) -> None: ...
    @overload
    def __setitem__(self, key: slice, value: Buffer) -> None: ...
    def __setitem__(self, key: _Key, value: int | Buffer) -> None:
        """``region[i] = byte``, ``region[a:b] = data`` (a bytes-like object of the same length).

        Raises:
            PermissionError: a touched page lacks PROT_WRITE.
            ValueError: *data* has another length, or a byte is out of 0..255.
            IndexError: *i* out of range.  ClosedResourceError: closed.
        """
        k = _key(key)
        if isinstance(k, slice):
            with readable(value) as flat:  # type: ignore[arg-type]
                self._call(self._write, k, flat)
            return
        self._call(self._write, k, value)

    def _write(self, handle: int, key: _Key, value: Any) -> None:
        with self._lock:
            checked, count, lo, hi = self._span(key)
            if isinstance(checked, slice):
                if len(value) != count:
                    raise ValueError(f"cannot assign {len(value)} bytes to a slice of {count} bytes")
            elif not isinstance(value, int):
                raise TypeError(f"a byte must be an int, not {type(value).__name__}")
            elif not 0 <= value <= 255:
                raise ValueError("byte must be in range(0, 256)")
            pin, pins = (lo, hi, _W), self._pins
            try:
                pins.append(pin)
                self._check(_W, lo, hi, "write")
                if count:
                    self._whole(handle)[checked] = value
            finally:
                _drop(pins, pin)

    def __delitem__(self, key: _Key) -> None:
        raise TypeError("cannot delete memory")

    def view(self, start: int = 0, stop: int | None = None) -> memoryview:
        """Return a memoryview of bytes [start, stop) that reads and writes the mapping.

        The view is writable when every page it covers has PROT_WRITE, and
        read-only otherwise.  While it (or anything made from it) is alive, an
        mprotect that removes a permission it relies on raises BufferError, and
        close() defers the munmap until it is released.

        Raises:
            PermissionError: a covered page lacks PROT_READ.
            ValueError: the range is outside the region.  ClosedResourceError: closed.
        """
        start = _nonnegative(start, "start")
        end = None if stop is None else _nonnegative(stop, "stop")
        return self._call(self._view, start, end)

    def _view(self, handle: int, start: int, stop: int | None) -> memoryview:
        with self._lock:
            if stop is None:
                stop = self._size
            if not start <= stop <= self._size:
                raise ValueError(f"view [{start}, {stop}) is outside the region's {self._size} bytes")
            pin, pins = (start, stop, _R | _W), self._pins  # until the export counts
            try:
                pins.append(pin)
                writable = True
                if stop > start:
                    if not self._covers(_R, start, stop):
                        raise PermissionError(f"cannot view bytes {start}..{stop}: the pages lack PROT_READ")
                    writable = self._covers(_W, start, stop)
                view = _memory_view(handle + start, stop - start, readonly=not writable)
                if len(self._exports) >= self._prune_at:
                    self._live_exports()
                self._exports.append(_new_export(view, start, stop, writable))
                return view
            finally:
                _drop(pins, pin)

    # -- mprotect ----------------------------------------------------------------
    def mprotect(self, prot: int, offset: int = 0, length: int | None = None) -> None:
        """mprotect(addr, len, prot): set the protection of whole pages of the region.

        *offset* must be a multiple of the page size and *length* too, unless
        the range reaches the end of the region.

        Raises:
            BufferError: a live view of the range needs a permission *prot*
                removes (PROT_READ for every view, PROT_WRITE for writable ones).
            ValueError: range outside the region or unaligned; *prot* has
                bits other than PROT_READ, PROT_WRITE and PROT_EXEC.
            PermissionError: EACCES (a shared file mapping whose descriptor
                was not open for writing).  ClosedResourceError: closed.
        """
        self._call(self._mprotect, _prot(prot), offset, length)

    def _mprotect(self, handle: int, p: int, offset: int, length: int | None) -> None:
        with self._lock:
            offset, length = self._range(offset, length, True)
            if length == 0:
                return
            end = offset + length
            for lo, hi, _ in self._caps:
                if lo < end and offset < hi:
                    raise BufferError(
                        f"cannot change the protection of bytes {offset}..{end}: an mprotect of bytes "
                        f"{lo}..{hi} is in progress (a signal handler or finalizer interrupted it)"
                    )
            cap, caps = (offset, end, p), self._caps
            try:
                caps.append(cap)
                self._refuse_drop(p, offset, end)
                raw.mprotect(handle + offset, length, p)
                self._set_pages(p, offset, end)
            finally:
                _drop(caps, cap)

    def _refuse_drop(self, p: int, offset: int, end: int) -> None:
        """Raise BufferError if a live view or an access in progress needs a permission *p* takes away."""
        for e in self._exports:
            # a view of no bytes (start == stop) reaches no page: it blocks nothing
            if e.start < e.stop and e.start < end and offset < e.stop and (not p & _R or (e.writable and not p & _W)) and _alive(e):
                raise BufferError(
                    f"cannot drop permissions of bytes {offset}..{end}: a view of bytes "
                    f"{e.start}..{e.stop} is alive; release it first"
                )
        for lo, hi, need in self._pins:
            if lo < end and offset < hi and need & ~p:
                raise BufferError(
                    f"cannot drop permissions of bytes {offset}..{end}: an access to bytes {lo}..{hi} "
                    "is in progress (a signal handler or finalizer interrupted it)"
                )

    def _set_pages(self, p: int, offset: int, end: int) -> None:
        """Record protection *p* for the pages of bytes [offset, end)."""
        npages = self._maplen // _PAGE
        first, last = offset // _PAGE, -(-end // _PAGE)
        pages = self._pages
        if pages is None:
            if first == 0 and last == npages:
                self._prot = p
                return
            pages = self._pages = bytearray([self._prot]) * npages
        pages[first:last] = bytes([p]) * (last - first)
        if pages.count(pages[0]) == npages:
            self._prot, self._pages = pages[0], None
        else:
            self._prot = -1

    # -- lifecycle ---------------------------------------------------------------
    def detach(self) -> int:
        """Give the mapping away unclosed: return its address; the caller must munmap it.

        Raises:
            BufferError: views are alive.  ClosedResourceError: already closed.
        """
        with self._lock:
            if not self._closing and (self._live_exports() or self._pins):
                raise BufferError(f"cannot detach {self!r}: views of it are alive")
            address = super().detach()
            mem, self._mem = self._mem, None
            if mem is not None:
                mem.release()
            _LIVE.pop(address, None)
            return address

    def _drain(  # type: ignore[override]
        self,
        _any: Any = any,
        _starmap: Any = starmap,
        _map: Any = map,
        _zip: Any = zip,
        _munmap: Any = _munmap_unchecked,
        _orphans: list[tuple[int, int, list[_Export]]] = _ORPHANS,
        _live: dict[int, int] = _LIVE,
        _page: int = _PAGE,
    ) -> None:
        """Release the claimed mapping: unmap it now, or leave it to the sweep while views are alive.

        Popping the address from ``_claim`` and unmapping it (or queueing it
        for the sweep) happen inside one C-level call, as :meth:`Handle._drain`
        does for descriptors: no signal handler runs between.  What it uses is
        bound as a default (it runs late in interpreter shutdown too).

        Raises:
            OSError: munmap failed (the mapping is the region's no more).
        """
        claim = self._claim
        if not claim:
            return
        with self._lock:
            mem, self._mem = self._mem, None
            if mem is not None:
                mem.release()
            live = self._live_exports() if self._exports else []
        address, maplen = claim[0], -(-self._size // _page) * _page
        if live:  # views are alive: unmap when they go
            _orphans.extend(_zip(_map(claim.pop, (-1,)), (maplen,), (live,)))
            return
        failed = _any(_starmap(_munmap, _zip(_map(claim.pop, (-1,)), (maplen,))))
        _live.pop(address, None)
        if failed:
            raise oserror(ctypes.get_errno())
