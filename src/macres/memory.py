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
  protection allows writing.  Views are counted exactly, through the buffer
  protocol: every memoryview made from a view (slices, casts,
  ``memoryview(view)``, ``toreadonly()``) and every buffer exported from
  one (``numpy.frombuffer``, ``pickle.PickleBuffer``, ctypes
  ``from_buffer``...) keeps its export alive until released.  While one is
  alive, an ``mprotect`` that removes a permission it relies on raises
  ``BufferError`` (``PROT_READ`` for any view, ``PROT_WRITE`` for writable
  ones), and ``close()`` closes the region at once (every region operation
  then raises ``ClosedResourceError``) but leaves the ``munmap`` for when the
  last view is released.  Copies (``bytes(view)``) do not count.

The checks, the views and the lifecycle come from the core
(``macres._backend``): the compiled core's C type, or the pure-Python
reference.

A page fault that needs storage the file system cannot give is SIGBUS as
well, so :meth:`MappedRegion.from_file` gives the holes of a sparse file
their storage before mapping them where a fault would need it (writing a
shared mapping; on tmpfs, any access), and checks a block device's size.

What remains outside the class's control, as with the stdlib ``mmap``: a
file-backed region whose file is truncated below the mapped range, or gets
new holes punched into it (by any process), raises SIGBUS on access to the
lost pages.
"""

from __future__ import annotations

import mmap as _stdlib_mmap
import operator
import stat
import sys
import typing
from typing import Final

import attrs
from typing_extensions import Self

from . import raw
from ._backend import core
from ._handle import FdHandle, HasFileno, fileno_of

__all__ = [
    "MADV_DONTNEED", "MADV_FREE", "MADV_NORMAL", "MADV_PAGEOUT", "MADV_RANDOM",
    "MADV_SEQUENTIAL", "MADV_WILLNEED", "MAP_32BIT", "MAP_ANON", "MAP_ANONYMOUS", "MAP_FILE",
    "MAP_FIXED", "MAP_NORESERVE", "MAP_PRIVATE", "MAP_SHARED", "MCL_CURRENT", "MCL_FUTURE",
    "MS_ASYNC", "MS_INVALIDATE", "MS_SYNC", "MappedRegion", "PROT_EXEC", "PROT_NONE",
    "PROT_READ", "PROT_WRITE", "live_mappings", "mlockall", "munlockall",
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


def live_mappings() -> dict[int, int]:
    """Return ``{address: length}`` of every mapping a MappedRegion holds now.

    For leak checks: a region that was closed is absent, unless views of it
    are still alive (the munmap waits for them).
    """
    return core.live_mappings()


def _end_of(number: int, st: raw.Stat) -> int | None:
    """The size of what *number* opens: a regular file's, a shared memory object's or a block device's; None for anything else."""
    if stat.S_ISREG(st.st_mode) or stat.S_IFMT(st.st_mode) == 0:
        # no type bits: a POSIX shared memory object on macOS (pshm_stat gives the mode and the size only)
        return st.st_size
    if not stat.S_ISBLK(st.st_mode):
        return None
    size = 1
    for request, width in _abi.BLOCK_DEVICE_SIZE_IOCTLS:
        answer = bytearray(width)
        raw.ioctl(number, request, answer)
        size *= int.from_bytes(answer, sys.byteorder)
    return size


def _store_holes(number: int, mode: int, start: int, stop: int, shared_write: bool) -> None:
    """Give the holes of bytes [start, stop) of the file their storage before they are mapped, or refuse.

    Needed where a page fault would take storage: writing a shared
    mapping, and any access on a file system whose holes take a page when
    read (tmpfs).  *mode* is the descriptor's O_ACCMODE, or -1 if not read
    yet.

    Raises:
        OSError: ENOSPC, EDQUOT (no room).
        ValueError: storage is needed and the descriptor is read-only.
    """
    if not shared_write and raw.fstatfs(number).f_type not in _abi.READ_ALLOCATING_FS_TYPES:
        return  # holes read as zeros and private writes go to anonymous memory: no storage needed
    if mode == -1:
        mode = raw.fcntl(number, _abi.F_GETFL) & _abi.O_ACCMODE
    if mode != _abi.O_RDWR:
        if shared_write or mode == _abi.O_WRONLY:
            return  # mmap refuses this descriptor itself (EACCES)
        raise ValueError(
            "the file has holes, and on this file system even reading one through a mapping takes "
            "storage, which a full file system answers with SIGBUS: open it for reading and writing "
            "(so that the holes get their storage first), or read it with pread"
        )
    raw.preallocate(number, start, stop - start)


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


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class MappedRegion(core.MappedRegionBase):
    """A memory mapping that unmaps on close and refuses what could crash the interpreter.

    Make one with :meth:`anonymous` or :meth:`from_file`.  ``len(region)``,
    ``region[i]``, ``region[a:b]`` (bytes) and ``region[a:b] = data`` (the
    same length) read and write it, checking the pages' protection first;
    :meth:`view` gives a memoryview, and :meth:`mprotect` changes the
    protection (both from the core).

    Views and closing: while a view (or a slice, cast or buffer made from
    it) is alive, a permission-removing :meth:`mprotect` raises
    ``BufferError``, and :meth:`close` closes the region at once but
    unmaps only when the last view is released.  Release views with
    ``view.release()`` (slices too), ``with region.view() as v:``, or by
    dropping every reference to them.  :meth:`detach` refuses while views
    are alive.
    """

    def __init__(self) -> None:
        raise TypeError("use MappedRegion.anonymous() or MappedRegion.from_file()")

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
        flags = (MAP_SHARED if shared else MAP_PRIVATE) | MAP_ANON
        return cls._map(size, p, flags, -1, 0, shared=shared, file_backed=False)

    @classmethod
    def _map(cls, size: int, prot: int, flags: int, fd: int, offset: int, *, shared: bool, file_backed: bool) -> Self:
        # mmap(2) and the region owning the mapping in one step: see the core.
        return cls._mmap(size, prot, flags, fd, offset, shared=shared, file_backed=file_backed)

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
        file).  *size* ``None`` maps from *offset* to the end of the file,
        or of the block device (its size from ``BLKGETSIZE64`` on Linux,
        ``DKIOCGETBLOCKCOUNT`` times ``DKIOCGETBLOCKSIZE`` on macOS).
        *prot* ``None`` means what the descriptor allows: ``PROT_READ``,
        plus ``PROT_WRITE`` when it is open for writing or the map is
        private.  With ``shared=False`` writes are copy-on-write and never
        reach the file.

        Sparse files: a page fault that needs storage the file system
        cannot give (it is full, or over quota) kills the process with
        SIGBUS, so a file with holes gets their storage for the mapped
        pages first (``posix_fallocate``; ``F_PREALLOCATE`` on macOS)
        wherever an access could need it: in a shared writable region, and
        on tmpfs, where even reading a hole takes a page, in any region.
        No room is then an ``OSError`` (ENOSPC) here instead of a crash
        later, and the file's size and contents stay as they were.  Where
        that would be needed but the descriptor is read-only, the mapping
        is refused.

        Do not shrink the file below the mapped range, or punch holes into
        it, while the region is open: the kernel answers an access to the
        lost pages with SIGBUS, which no check here can prevent (the stdlib
        ``mmap`` has the same limit).

        Raises:
            ValueError: *offset* is negative or not a multiple of the page
                size; *size* is 0 or reaches beyond the end of the file or
                block device (or is ``None`` for something that is neither);
                the range has holes on tmpfs and the descriptor is read-only.
            OSError: ENOSPC or EDQUOT (no storage for the holes), EBADF,
                ENODEV (not mappable).
            PermissionError: *prot* asks for more than the descriptor's mode
                allows (EACCES).
            ClosedResourceError: *fd* is a closed macres object.
        """
        offset = _index(offset, "offset")
        if offset % _PAGE:
            raise ValueError(f"offset {offset} is not a multiple of the page size {_PAGE}")
        if isinstance(fd, FdHandle):
            return fd._call(lambda number: cls._map_file(number, size, offset, prot, shared))
        return cls._map_file(fileno_of(fd), size, offset, prot, shared)

    @classmethod
    def _map_file(cls, number: int, size: int | None, offset: int, prot: int | None, shared: bool) -> Self:
        st = raw.fstat(number)
        end = _end_of(number, st)
        what = "file" if stat.S_ISREG(st.st_mode) else "device"
        if size is None:
            if end is None:
                raise ValueError("size is required to map what is neither a regular file nor a block device")
            size = end - offset
            if size <= 0:
                raise ValueError(f"nothing to map: the {what} has {end} bytes, offset is {offset}")
        size = _index(size, "size")
        if size == 0:
            raise ValueError("cannot map 0 bytes")
        if end is not None and offset + size > end:
            raise ValueError(f"offset {offset} + size {size} reaches beyond the end of the {what} ({end} bytes)")
        mode = -1  # the descriptor's O_ACCMODE, read when needed
        if prot is None:
            mode = raw.fcntl(number, _abi.F_GETFL) & _abi.O_ACCMODE
            p = _RW if mode != _abi.O_RDONLY or not shared else _R
        else:
            p = _prot(prot)
        if stat.S_ISREG(st.st_mode) and st.st_blocks * 512 < st.st_size:  # it has holes
            stop = min(-(-(offset + size) // _PAGE) * _PAGE, st.st_size)  # whole pages: a fault takes one
            _store_holes(number, mode, offset, stop, shared and bool(p & _W))
        flags = MAP_SHARED if shared else MAP_PRIVATE
        return cls._map(size, p, flags, number, offset, shared=shared, file_backed=True)

    # -- attributes ------------------------------------------------------------
    @property
    def prot(self) -> int:
        """The current protection: of every page, or the permissions all pages share when mixed.

        Raises:
            ClosedResourceError: closed.
        """
        return _abi.Prot(self._prot_bits)

    def __repr__(self) -> str:
        if self.closed:
            return "<macres.MappedRegion closed>"
        kind = "file" if self._file_backed else "anonymous"
        share = "shared" if self.shared else "private"
        return f"<macres.MappedRegion {kind} {share} {self._handle:#x} size={self._size}>"

    # -- the calls -----------------------------------------------------------
    def _whole_pages(self, offset: int, length: int | None) -> tuple[int, int]:
        """The page-aligned start and length covering bytes [offset, offset+length)."""
        offset, length = self._range(offset, length, False)
        start = offset - offset % _PAGE
        return start, length + offset - start

    def msync(self, flags: int = MS_SYNC, offset: int = 0, length: int | None = None) -> None:
        """``msync(addr, len, flags)``: write dirty pages of a shared file mapping to the file.

        The range is widened to whole pages.  On an anonymous or private
        mapping the call does nothing useful and succeeds.

        Raises:
            ValueError: range outside the region.
            OSError: EINVAL (bad *flags*), EBUSY (MS_INVALIDATE on locked pages).
            ClosedResourceError: closed.
        """
        start, n = self._whole_pages(offset, length)
        self._call(lambda address: raw.msync(address + start, n, flags))

    def mlock(self, offset: int = 0, length: int | None = None) -> None:
        """``mlock(addr, len)``: keep the pages of the range in RAM (widened to whole pages).

        Raises:
            OSError: ENOMEM or EAGAIN (beyond ``RLIMIT_MEMLOCK``), EPERM
                (unprivileged with a zero limit).
            ValueError: range outside the region.  ClosedResourceError: closed.
        """
        start, n = self._whole_pages(offset, length)
        self._call(lambda address: raw.mlock(address + start, n))

    def munlock(self, offset: int = 0, length: int | None = None) -> None:
        """``munlock(addr, len)``: let the pages of the range be paged out again.

        Raises:
            OSError: the call failed.  ValueError: range outside the region.
            ClosedResourceError: closed.
        """
        start, n = self._whole_pages(offset, length)
        self._call(lambda address: raw.munlock(address + start, n))

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
        a = operator.index(advice)
        if a not in _SAFE_ADVICE:
            raise ValueError(f"advice {advice!r} is unknown here or could crash the process")
        start, n = self._range(offset, length, True)
        self._call(lambda address: raw.madvise(address + start, n, a))


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
