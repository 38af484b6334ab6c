"""Memory mappings as objects: :class:`MappedRegion`, with mprotect, msync, mlock and madvise.

``MappedRegion.anonymous(size)`` maps fresh zeroed memory,
``MappedRegion.from_file(fd)`` maps a file; ``close()`` (or ``with``) unmaps.

The point of this module is that Python code cannot crash the interpreter
through a region, which the stdlib ``mmap`` module guarantees (without
mprotect or mlock) and the raw calls do not:

* Indexing, slicing and slice assignment check the current protection of
  every page they touch and raise ``PermissionError`` instead of touching
  memory the protection forbids (``PROT_NONE`` forbids everything).
* :meth:`MappedRegion.view` hands out memoryviews, writable only while the
  protection allows writing.  The region knows every buffer that still
  points into it, whatever was made from a view: slices, casts,
  ``memoryview(view)``, ``toreadonly()``, and buffers exported from any of
  them (``numpy.frombuffer``, ``pickle.PickleBuffer``, ctypes
  ``from_buffer``...).  While one is alive, ``close()`` raises
  ``BufferError``, and so does an ``mprotect`` that removes a permission it
  relies on (``PROT_READ`` for any view, ``PROT_WRITE`` for writable ones).
  Copies (``bytes(view)``, ``bytearray(view)``) do not count.

How the tracking works: each ``view()`` is a fresh memoryview over the
region's memory with no exporting object (``view.obj is None``), so nothing
reachable from it can write where it may not.  Every memoryview derived from
it shares its managed buffer, the object CPython keeps per exported buffer;
the region holds that object and counts the memoryviews referring to it,
leaving out those already released (``view.release()``).  A released view
that is still referenced does not block; an unreleased one does, as do
objects holding a buffer of it (they keep it unreleasable).

What remains outside the class's control, as with the stdlib ``mmap``: a
file-backed region whose file is truncated below the mapped range (by any
process) raises SIGBUS on access to the lost pages.
"""

from __future__ import annotations

import gc
import mmap as _stdlib_mmap
import operator
import stat
import sys
import threading
import typing
import weakref
from typing import Final, Union, overload

import attrs
from typing_extensions import Buffer, Self

from . import raw
from ._handle import FdHandle, Handle, HasFileno, fileno_of

__all__ = [
    "MADV_DONTNEED", "MADV_FREE", "MADV_NORMAL", "MADV_PAGEOUT", "MADV_RANDOM",
    "MADV_SEQUENTIAL", "MADV_WILLNEED", "MAP_32BIT", "MAP_ANON", "MAP_ANONYMOUS", "MAP_FILE",
    "MAP_FIXED", "MAP_NORESERVE", "MAP_PRIVATE", "MAP_SHARED", "MCL_CURRENT", "MCL_FUTURE",
    "MS_ASYNC", "MS_INVALIDATE", "MS_SYNC", "MappedRegion", "PROT_EXEC", "PROT_NONE",
    "PROT_READ", "PROT_WRITE", "mlockall", "munlockall",
]  # fmt: skip

_abi = raw.ABI

# -- constants (the names macOS and Linux share; the rest are in raw.ABI) ------
PROT_NONE: Final = _abi.PROT_NONE
PROT_READ: Final = _abi.PROT_READ
PROT_WRITE: Final = _abi.PROT_WRITE
PROT_EXEC: Final = _abi.PROT_EXEC
MAP_SHARED: Final = _abi.MAP_SHARED
MAP_PRIVATE: Final = _abi.MAP_PRIVATE
MAP_FIXED: Final = _abi.MAP_FIXED
MAP_ANON: Final = _abi.MAP_ANON
MAP_ANONYMOUS: Final = _abi.MAP_ANONYMOUS
MAP_FILE: Final = _abi.MAP_FILE
MAP_NORESERVE: Final = _abi.MAP_NORESERVE
MAP_32BIT: Final = _abi.MAP_32BIT
MS_ASYNC: Final = _abi.MS_ASYNC
MS_SYNC: Final = _abi.MS_SYNC
MS_INVALIDATE: Final = _abi.MS_INVALIDATE
MCL_CURRENT: Final = _abi.MCL_CURRENT
MCL_FUTURE: Final = _abi.MCL_FUTURE
MADV_NORMAL: Final = _abi.MADV_NORMAL
MADV_RANDOM: Final = _abi.MADV_RANDOM
MADV_SEQUENTIAL: Final = _abi.MADV_SEQUENTIAL
MADV_WILLNEED: Final = _abi.MADV_WILLNEED
MADV_DONTNEED: Final = _abi.MADV_DONTNEED
MADV_FREE: Final = _abi.MADV_FREE
MADV_PAGEOUT: Final = _abi.MADV_PAGEOUT

_R: Final = int(PROT_READ)
_W: Final = int(PROT_WRITE)
_X: Final = int(PROT_EXEC)
_RW: Final = _R | _W
_PROT_BITS: Final = _R | _W | _X
_PAGE: Final = _stdlib_mmap.PAGESIZE

#: Advice that would let Python code crash the process or a forked child:
#: guard pages and poisoned pages kill on access, MADV_DONTFORK leaves the
#: region unmapped in a child that still holds the object.
_UNSAFE_ADVICE: Final = frozenset({"MADV_HWPOISON", "MADV_SOFT_OFFLINE", "MADV_GUARD_INSTALL", "MADV_DONTFORK"})
_SAFE_ADVICE: Final = frozenset(int(a) for a in _abi.Advice if a.name not in _UNSAFE_ADVICE)


# -- the registry of live mappings ----------------------------------------------
#: address -> mapped length of every mapping a MappedRegion made and has not unmapped.
_LIVE: dict[int, int] = {}
#: (address, length, exports) of regions collected while views were alive:
#: unmapped by a later sweep, once those views are gone.
_ORPHANS: list[tuple[int, int, list[_Export]]] = []


def _unmap(address: int, length: int) -> None:
    try:
        raw.munmap(address, length)
    finally:
        _LIVE.pop(address, None)


def _sweep_orphans() -> None:
    """Unmap the mappings of collected regions whose views have all gone."""
    for item in list(_ORPHANS):
        address, length, exports = item
        if not any(_alive(e) for e in exports):
            try:
                _ORPHANS.remove(item)
            except ValueError:  # another thread swept it
                continue
            _unmap(address, length)


def live_mappings() -> dict[int, int]:
    """Return ``{address: length}`` of every mapping a MappedRegion holds now.

    For leak checks: a region that was closed is absent; one collected while
    views of it were alive stays until they are gone.
    """
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
        # Counted after seeing it released: if it is the only reference, no
        # unreleased view exists that another thread could derive one from.
        if sys.getrefcount(export.owner) - _BASE_REFS == 1:  # ``with r.view() as v`` left v bound
            return False
    del view
    # Slow path: released memoryviews keep their reference until they are
    # collected.  A memoryview with buffers exported from it is not visited
    # by the collector, so it shows up as a reference not in the list;
    # listing the visited ones keeps them alive, so a count equal to the
    # list means exactly these refer to the buffer.
    views = [r for r in gc.get_referrers(export.owner) if type(r) is memoryview]
    n = sys.getrefcount(export.owner) - _BASE_REFS
    return n != len(views) or not all(_released(v) for v in views)


def _new_export(view: memoryview, start: int, stop: int, writable: bool) -> _Export:
    owners = gc.get_referents(view)
    if len(owners) != 1 or type(owners[0]).__name__ != "managedbuffer":  # pragma: no cover - CPython only
        raise RuntimeError("this Python does not expose memoryview buffers the way macres needs")
    return _Export(owners[0], weakref.ref(view), start, stop, writable)


def _index(value: int, what: str) -> int:
    v = operator.index(value)
    if v < 0:
        raise ValueError(f"{what} must not be negative, got {v}")
    return v


def _prot(value: int) -> int:
    p = operator.index(value)
    if p & ~_PROT_BITS or p < 0:
        raise ValueError(f"protection {value!r} has bits other than PROT_READ, PROT_WRITE and PROT_EXEC")
    return p


_Key = Union[int, slice]


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class MappedRegion(Handle):
    """A memory mapping that unmaps on close and refuses what could crash the interpreter.

    Make one with :meth:`anonymous` or :meth:`from_file`.  ``len(region)``,
    ``region[i]``, ``region[a:b]`` (bytes) and ``region[a:b] = data`` (the
    same length) read and write it; :meth:`view` gives a memoryview.

    Views and closing: while a view (or a slice, cast or buffer made from
    it) is alive, :meth:`close` and permission-removing :meth:`mprotect`
    raise ``BufferError``.  To release views, call ``view.release()`` on
    each one (slices too), or drop every reference to them
    (``del view``); ``with region.view() as v:`` releases on exit.  An
    object holding a buffer of a view (``numpy.frombuffer(view)``) keeps
    it alive until that object goes.

    Threads: every operation holds the region's lock, so a close or an
    ``mprotect`` never runs in the middle of an access.
    """

    _kind: typing.ClassVar[str] = "mapping"

    # Set by _new (attrs generates no __init__; the defaults only satisfy it).
    _size: int = 0
    _maplen: int = 0
    _pages: bytearray = attrs.Factory(bytearray)
    _uniform: int = -1  # the protection of every page, or -1 when pages differ
    _mem: memoryview | None = None  # the region's own view, never handed out; made on first access
    _exports: list[_Export] = attrs.Factory(list)
    _prune_at: int = 8
    _lock: threading.Lock = attrs.Factory(threading.Lock)
    _shared: bool = False
    _file_backed: bool = False

    def __init__(self) -> None:
        raise TypeError("use MappedRegion.anonymous() or MappedRegion.from_file()")

    @classmethod
    def _new(cls, address: int, size: int, maplen: int, prot: int, *, shared: bool, file_backed: bool) -> Self:
        self = object.__new__(cls)
        self._size = size
        self._maplen = maplen
        self._pages = bytearray([prot]) * (maplen // _PAGE)
        self._uniform = prot
        self._exports = []
        self._prune_at = 8
        self._lock = threading.Lock()
        self._shared = shared
        self._file_backed = file_backed
        self._mem = None  # made by _whole() on first access: it is 300 of the object's bytes
        self._adopt(address)
        _LIVE[address] = maplen
        return self

    # -- construction --------------------------------------------------------
    @classmethod
    def anonymous(cls, size: int, prot: int = _RW, *, shared: bool = False) -> MappedRegion:
        """``mmap(NULL, size, prot, MAP_ANON|MAP_PRIVATE, -1, 0)``: map *size* zeroed bytes.

        With ``shared=True`` the memory is ``MAP_SHARED``: a forked child
        writes to the same pages as its parent.

        Raises:
            ValueError: *size* is not positive, or *prot* has bits other than
                PROT_READ, PROT_WRITE and PROT_EXEC.
            OverflowError: *size* is too large.  OSError: ENOMEM and the like.
        """
        size = _index(size, "size")
        if size == 0:
            raise ValueError("cannot map 0 bytes")
        p = _prot(prot)
        _sweep_orphans()
        maplen = -(-size // _PAGE) * _PAGE
        flags = (MAP_SHARED if shared else MAP_PRIVATE) | MAP_ANON
        address = raw.mmap(0, maplen, p, flags, -1, 0)
        try:
            return cls._new(address, size, maplen, p, shared=shared, file_backed=False)
        except BaseException:
            _unmap(address, maplen)
            raise

    @classmethod
    def from_file(
        cls,
        fd: int | HasFileno,
        size: int | None = None,
        offset: int = 0,
        prot: int | None = None,
        *,
        shared: bool = True,
    ) -> MappedRegion:
        """``mmap(NULL, size, prot, MAP_SHARED, fd, offset)``: map part of a file.

        *fd* is a :class:`~macres.FileDescriptor`, anything with
        ``fileno()``, or a descriptor number; the region does not take it
        over and keeps working after it is closed (the mapping holds the
        file).  *size* ``None`` maps from *offset* to the end of the file.
        *prot* ``None`` means what the descriptor allows: ``PROT_READ``,
        plus ``PROT_WRITE`` when it is open for writing or the map is
        private.  With ``shared=False`` writes are copy-on-write and never
        reach the file.

        Do not shrink the file below the mapped range while the region is
        open: the kernel answers an access to the lost pages with SIGBUS,
        which no check here can prevent (the stdlib ``mmap`` has the same
        limit).

        Raises:
            ValueError: *offset* is negative or not a multiple of the page
                size; *size* is 0 or reaches beyond the end of the file (or
                is ``None`` for something that is not a regular file).
            PermissionError: *prot* asks for more than the descriptor's mode
                allows (EACCES).  OSError: EBADF, ENODEV (not mappable).
            ClosedResourceError: *fd* is a closed macres object.
        """
        offset = _index(offset, "offset")
        if offset % _PAGE:
            raise ValueError(f"offset {offset} is not a multiple of the page size {_PAGE}")
        holder = fd if isinstance(fd, FdHandle) else None
        number = holder._enter() if holder is not None else fileno_of(fd)
        try:
            st = raw.fstat(number)
            if size is None:
                if not stat.S_ISREG(st.st_mode):
                    raise ValueError("size is required to map something that is not a regular file")
                size = st.st_size - offset
                if size <= 0:
                    raise ValueError(f"nothing to map: the file has {st.st_size} bytes, offset is {offset}")
            size = _index(size, "size")
            if size == 0:
                raise ValueError("cannot map 0 bytes")
            if stat.S_ISREG(st.st_mode) and offset + size > st.st_size:
                raise ValueError(
                    f"offset {offset} + size {size} reaches beyond the end of the file ({st.st_size} bytes)"
                )
            if prot is None:
                writable = raw.fcntl(number, _abi.F_GETFL) & _abi.O_ACCMODE != _abi.O_RDONLY
                p = _RW if writable or not shared else _R
            else:
                p = _prot(prot)
            _sweep_orphans()
            maplen = -(-size // _PAGE) * _PAGE
            address = raw.mmap(0, maplen, p, MAP_SHARED if shared else MAP_PRIVATE, number, offset)
        finally:
            if holder is not None:
                holder._exit()
        try:
            return cls._new(address, size, maplen, p, shared=shared, file_backed=True)
        except BaseException:
            _unmap(address, maplen)
            raise

    # -- attributes ------------------------------------------------------------
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
    def page_size(self) -> int:
        """The page size: offsets of mprotect/madvise are multiples of it."""
        return _PAGE

    @property
    def prot(self) -> int:
        """The current protection: of every page, or the permissions all pages share when mixed.

        Raises:
            ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            if self._uniform >= 0:
                return _abi.Prot(self._uniform)
            common = _PROT_BITS
            for p in set(self._pages):
                common &= p
            return _abi.Prot(common)

    @property
    def shared(self) -> bool:
        """Whether the mapping is MAP_SHARED (writes reach the file / a forked child)."""
        return self._shared

    def __len__(self) -> int:
        """The size in bytes, as asked for (the mapping itself is whole pages).

        Raises:
            ClosedResourceError: closed.
        """
        if self._closing:
            raise self._closed_error()
        return self._size

    def __repr__(self) -> str:
        if self._closing:
            return "<macres.MappedRegion closed>"
        kind = "file" if self._file_backed else "anonymous"
        share = "shared" if self._shared else "private"
        return f"<macres.MappedRegion {kind} {share} {self._handle:#x} size={self._size}>"

    # -- checks ----------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closing:
            raise self._closed_error()

    def _whole(self) -> memoryview:
        """Make the region's own view on first access (with the lock held); raise if closed."""
        if self._closing:
            raise self._closed_error()
        mem = self._mem = raw.memory_view(self._handle, self._size, readonly=False)
        return mem

    def _allows(self, need: int, lo: int, hi: int) -> bool:
        """Whether every page of bytes [lo, hi) has all bits of *need* (hi > lo)."""
        if self._uniform >= 0:
            return self._uniform & need == need
        return all(p & need == need for p in self._pages[lo // _PAGE : (hi - 1) // _PAGE + 1])

    def _checked_key(self, need: int, key: _Key, what: str) -> _Key:
        """Return *key* with plain ints, after checking the pages it touches allow *need*.

        The access must use the returned key: an ``__index__`` that answers
        differently the second time must not move it onto a forbidden page.
        A slice is checked over its whole span.
        """
        n = self._size
        checked: _Key
        if isinstance(key, slice):
            start, stop, step = key.indices(n)
            checked = slice(start, stop, step)
            count = len(range(start, stop, step))
            if count == 0:
                return checked
            last = start + (count - 1) * step
            lo, hi = min(start, last), max(start, last) + 1
        else:
            i = operator.index(key)
            if i < 0:
                i += n
            if not 0 <= i < n:
                raise IndexError("index out of range")
            checked, lo, hi = i, i, i + 1
        if not self._allows(need, lo, hi):
            raise PermissionError(f"cannot {what} bytes {lo}..{hi}: the pages' protection forbids it")
        return checked

    def _range(self, offset: int, length: int | None, *, aligned: bool) -> tuple[int, int]:
        offset = _index(offset, "offset")
        if offset > self._size:
            raise ValueError(f"offset {offset} is beyond the region's {self._size} bytes")
        length = self._size - offset if length is None else _index(length, "length")
        if offset + length > self._size:
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

    def _live_exports(self, *, collect: bool = False) -> list[_Export]:
        """The exports still alive; with *collect*, views only garbage keeps are collected first.

        A view in a reference cycle (a traceback holding the frame that
        held it, say) lives until the cycle collector runs; before refusing
        a close, running it once spares the caller a BufferError it could
        do nothing about.
        """
        live = [e for e in self._exports if _alive(e)]
        if live and collect:
            gc.collect()
            live = [e for e in live if _alive(e)]
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

        A slice is checked over its whole span: a stepped slice whose span
        includes a page without PROT_READ is refused even if no step lands on it.

        Raises:
            PermissionError: a touched page lacks PROT_READ.
            IndexError: *i* out of range.  ClosedResourceError: closed.
        """
        with self._lock:  # the hot path: no method calls besides the copy
            mem = self._mem
            if mem is None:
                mem = self._whole()
            u = self._uniform
            if u < 0 or not u & _R:
                key = self._checked_key(_R, key, "read")
            if isinstance(key, slice):
                return mem[key].tobytes()
            value: int = mem[key]
            return value

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
        with self._lock:
            mem = self._mem
            if mem is None:
                mem = self._whole()
            u = self._uniform
            if u < 0 or not u & _W:
                key = self._checked_key(_W, key, "write")
            if isinstance(key, slice):
                data = memoryview(value)  # type: ignore[arg-type]
                if data.format != "B" or data.ndim != 1:
                    data = data.cast("B")
                mem[key] = data
            else:
                mem[key] = value  # type: ignore[assignment]

    def view(self, start: int = 0, stop: int | None = None) -> memoryview:
        """Return a memoryview of bytes [start, stop) that reads and writes the mapping.

        The view is writable when every page it covers has PROT_WRITE, and
        read-only otherwise.  While it, or anything made from it, is alive,
        :meth:`close` and permission-removing :meth:`mprotect` raise
        ``BufferError``: release it with ``view.release()`` (or ``with``)
        or drop it.

        Raises:
            PermissionError: a covered page lacks PROT_READ.
            ValueError: the range is outside the region.  ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            start = _index(start, "start")
            stop = self._size if stop is None else _index(stop, "stop")
            if not start <= stop <= self._size:
                raise ValueError(f"view [{start}, {stop}) is outside the region's {self._size} bytes")
            writable = True
            if stop > start:
                if not self._allows(_R, start, stop):
                    raise PermissionError(f"cannot view bytes {start}..{stop}: the pages lack PROT_READ")
                writable = self._allows(_W, start, stop)
            view = raw.memory_view(self._handle + start, stop - start, readonly=not writable)
            if len(self._exports) >= self._prune_at:
                self._live_exports()
            self._exports.append(_new_export(view, start, stop, writable))
            return view

    # -- the calls -----------------------------------------------------------
    def mprotect(self, prot: int, offset: int = 0, length: int | None = None) -> None:
        """``mprotect(addr, len, prot)``: set the protection of whole pages of the region.

        *offset* must be a multiple of the page size and *length* too,
        unless the range reaches the end of the region.

        Raises:
            BufferError: a live view of the range needs a permission *prot*
                removes (PROT_READ for every view, PROT_WRITE for writable ones).
            ValueError: range outside the region or unaligned; *prot* has
                bits other than PROT_READ, PROT_WRITE and PROT_EXEC.
            PermissionError: EACCES (a shared file mapping whose descriptor
                was not open for writing).  ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            p = _prot(prot)
            offset, length = self._range(offset, length, aligned=True)
            if length == 0:
                return
            end = offset + length
            blocking = [
                e
                for e in self._exports
                if e.start < end and offset < e.stop and (not p & _R or (e.writable and not p & _W))
            ]
            blocking = [e for e in blocking if _alive(e)]
            if blocking:  # collect views that only garbage cycles keep, then look again
                gc.collect()
                blocking = [e for e in blocking if _alive(e)]
            if blocking:
                e = blocking[0]
                raise BufferError(
                    f"cannot drop permissions of bytes {offset}..{end}: a view of bytes "
                    f"{e.start}..{e.stop} is alive; release it first"
                )
            raw.mprotect(self._handle + offset, length, p)
            first, last = offset // _PAGE, -(-end // _PAGE)
            self._pages[first:last] = bytes([p]) * (last - first)
            self._uniform = p if self._pages.count(p) == len(self._pages) else -1

    def msync(self, flags: int = MS_SYNC, offset: int = 0, length: int | None = None) -> None:
        """``msync(addr, len, flags)``: write dirty pages of a shared file mapping to the file.

        The range is widened to whole pages.  On an anonymous or private
        mapping the call does nothing useful and succeeds.

        Raises:
            ValueError: range outside the region.
            OSError: EINVAL (bad *flags*), EBUSY (MS_INVALIDATE on locked pages).
            ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            offset, length = self._range(offset, length, aligned=False)
            start = offset - offset % _PAGE
            raw.msync(self._handle + start, length + offset - start, flags)

    def mlock(self, offset: int = 0, length: int | None = None) -> None:
        """``mlock(addr, len)``: keep the pages of the range in RAM (widened to whole pages).

        Raises:
            OSError: ENOMEM or EAGAIN (beyond ``RLIMIT_MEMLOCK``), EPERM
                (unprivileged with a zero limit).
            ValueError: range outside the region.  ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            offset, length = self._range(offset, length, aligned=False)
            start = offset - offset % _PAGE
            raw.mlock(self._handle + start, length + offset - start)

    def munlock(self, offset: int = 0, length: int | None = None) -> None:
        """``munlock(addr, len)``: let the pages of the range be paged out again.

        Raises:
            OSError: the call failed.  ValueError: range outside the region.
            ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            offset, length = self._range(offset, length, aligned=False)
            start = offset - offset % _PAGE
            raw.munlock(self._handle + start, length + offset - start)

    def madvise(self, advice: int, offset: int = 0, length: int | None = None) -> None:
        """``madvise(addr, len, advice)``: tell the kernel how the range will be used.

        Alignment as for :meth:`mprotect` (advice such as MADV_DONTNEED
        discards whole pages).  Advice that could crash the process or a
        forked child (MADV_DONTFORK, MADV_GUARD_INSTALL, MADV_HWPOISON) is
        refused; use ``macres.raw.madvise`` for those.

        Raises:
            ValueError: unknown or refused *advice*; range outside the region
                or unaligned.
            OSError: EINVAL, EAGAIN, EPERM from the kernel.  ClosedResourceError: closed.
        """
        with self._lock:
            self._check_open()
            a = operator.index(advice)
            if a not in _SAFE_ADVICE:
                raise ValueError(f"advice {advice!r} is unknown here or could crash the process")
            offset, length = self._range(offset, length, aligned=True)
            raw.madvise(self._handle + offset, length, a)

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        """``munmap(addr, len)``: unmap the region; a second call does nothing.

        Raises:
            BufferError: views are alive (see the class docstring for how to
                release them); the region stays open and usable.
        """
        with self._lock:
            if self._closing:
                return
            live = self._live_exports(collect=True)
            if live:
                raise BufferError(
                    f"cannot close {self!r}: {len(live)} view(s) of it are alive; "
                    "call release() on them (and on slices made from them) or drop them"
                )
            super().close()

    def detach(self) -> int:
        """Give the mapping away unclosed: return its address; the caller must munmap it.

        Raises:
            BufferError: views are alive.  ClosedResourceError: already closed.
        """
        with self._lock:
            if not self._closing and self._live_exports(collect=True):
                raise BufferError(f"cannot detach {self!r}: views of it are alive")
            address = super().detach()
            mem, self._mem = self._mem, None
            if mem is not None:
                mem.release()
            _LIVE.pop(address, None)
            return address

    def _release(self, handle: int) -> None:
        mem, self._mem = self._mem, None
        if mem is not None:
            mem.release()
        live = self._live_exports()
        if live:  # collected while views were alive: unmap when they go
            _ORPHANS.append((handle, self._maplen, live))
            return
        _unmap(handle, self._maplen)


def mlockall(flags: int) -> None:
    """``mlockall(flags)``: lock every page of the process in RAM.

    *flags* is ``MCL_CURRENT``, ``MCL_FUTURE`` or both.  With
    ``MCL_FUTURE``, later mappings fail once ``RLIMIT_MEMLOCK`` is reached.

    Raises:
        OSError: ENOMEM, EPERM, EINVAL.  OverflowError: *flags* out of range.
    """
    raw.mlockall(flags)


def munlockall() -> None:
    """``munlockall()``: unlock every page of the process and end ``MCL_FUTURE``.

    Raises:
        OSError: the call failed.
    """
    raw.munlockall()
