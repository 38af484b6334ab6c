"""Bindings of the memory area: mmap, munmap, mprotect, msync, mlock and friends.

These calls take raw addresses.  The range checks of every other binding
still apply (lengths, flags and offsets that do not fit their C types raise
``OverflowError``, negative lengths ``ValueError``, and an address must fit
``uintptr_t``), but no check can tell a valid address from a wrong one: a
wrong address unmaps or re-protects memory the interpreter is using and
crashes it later, far from the cause.  :class:`macres.MappedRegion` exists
to hide these calls; use it unless you are building something like it.
"""

from __future__ import annotations

import ctypes
import functools
from ctypes import c_char_p, c_int, c_size_t, c_ssize_t, c_uint, c_void_p

from . import _args
from ._errcheck import MAP_FAILED, check_int, check_ptr
from ._libc import function

__all__ = [
    "madvise", "memory_view", "mlock", "mlockall", "mmap", "mprotect", "msync",
    "munlock", "munlockall", "munmap",
    "memfd_create", "shm_open", "shm_unlink",
]  # fmt: skip

_off_t = ctypes.c_int64
_mmap = function(
    "mmap", c_void_p, (c_void_p, c_size_t, c_int, c_int, c_int, _off_t), lambda f: check_ptr(f, failed=MAP_FAILED)
)
_munmap = function("munmap", c_int, (c_void_p, c_size_t), check_int)
_mprotect = function("mprotect", c_int, (c_void_p, c_size_t, c_int), check_int)
_msync = function("msync", c_int, (c_void_p, c_size_t, c_int), check_int)
_mlock = function("mlock", c_int, (c_void_p, c_size_t), check_int)
_munlock = function("munlock", c_int, (c_void_p, c_size_t), check_int)
_mlockall = function("mlockall", c_int, (c_int,), check_int)
_munlockall = function("munlockall", c_int, (), check_int)
_madvise = function("madvise", c_int, (c_void_p, c_size_t, c_int), check_int)

# CPython's own constructor of a memoryview over foreign memory: the view has
# no exporting object (``view.obj is None``), so nothing reachable from it
# can write where a read-only view may not.
_from_memory = ctypes.pythonapi.PyMemoryView_FromMemory
_from_memory.restype = ctypes.py_object
_from_memory.argtypes = (c_void_p, c_ssize_t, c_int)
_PYBUF_READ = 0x100
_PYBUF_WRITE = 0x200


def _address(value: int) -> int:
    return _args.c_ulong(value, "address")


def mmap(address: int, length: int, prot: int, flags: int, fd: int, offset: int) -> int:
    """``mmap(addr, len, prot, flags, fd, offset)``: map memory; return its address.

    *address* 0 lets the kernel choose (the usual case); *fd* is -1 for
    ``MAP_ANON``.

    Safety: unsafe with ``MAP_FIXED``: the new mapping silently replaces
    whatever was mapped at *address*, including the interpreter's own
    memory.  The result is a bare address: nothing unmaps it, and reading or
    writing it through ctypes after :func:`munmap` crashes the process.

    References: ``mmap(2)`` on Linux and macOS.

    Raises:
        OSError: ENOMEM, EACCES (the descriptor's mode forbids *prot*),
            EINVAL (bad flags, zero length, unaligned offset), ENODEV.
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    result: int = _mmap(
        _address(address),
        _args.size(length, "length"),
        _args.c_int(prot, "prot"),
        _args.c_int(flags, "flags"),
        _args.c_int(fd, "fd"),
        _args.offset(offset),
    )
    return result


def munmap(address: int, length: int) -> None:
    """``munmap(addr, len)``: remove the mappings in the range.

    Safety: unsafe.  Any Python object still pointing into the range (a
    memoryview from :func:`memory_view`, a ctypes array) crashes the
    interpreter when used afterwards; unmapping memory the interpreter
    allocated crashes it too.  The kernel only checks alignment.

    References: ``munmap(2)`` on Linux and macOS.

    Raises:
        OSError: EINVAL (unaligned *address*, zero length).
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _munmap(_address(address), _args.size(length, "length"))


def mprotect(address: int, length: int, prot: int) -> None:
    """``mprotect(addr, len, prot)``: change the protection of whole pages.

    Safety: unsafe.  Removing ``PROT_READ``/``PROT_WRITE`` from memory that
    Python objects read or write (a memoryview, the interpreter's own heap)
    makes the next access kill the process with SIGSEGV.

    References: ``mprotect(2)`` on Linux and macOS.

    Raises:
        OSError: EINVAL (unaligned *address*, bad *prot*), ENOMEM (range not
            mapped), EACCES (a shared file mapping whose descriptor lacks the mode).
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _mprotect(_address(address), _args.size(length, "length"), _args.c_int(prot, "prot"))


def msync(address: int, length: int, flags: int) -> None:
    """``msync(addr, len, flags)``: write a shared mapping's dirty pages back to its file.

    *flags* is ``MS_SYNC`` or ``MS_ASYNC``, optionally with ``MS_INVALIDATE``.

    Safety: unsafe.  Harmless to valid memory, but the range is not checked
    against the caller's own mappings: a wrong address syncs (or, with
    ``MS_INVALIDATE``/``MS_KILLPAGES`` on macOS, discards) someone else's
    pages.

    References: ``msync(2)`` on Linux and macOS.

    Raises:
        OSError: EINVAL (unaligned *address*, bad *flags*), ENOMEM (not mapped),
            EBUSY (``MS_INVALIDATE`` on locked pages).
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _msync(_address(address), _args.size(length, "length"), _args.c_int(flags, "flags"))


def mlock(address: int, length: int) -> None:
    """``mlock(addr, len)``: keep the pages of the range in RAM.

    Safety: locks whatever is mapped at *address*; cannot corrupt memory,
    but pins it against the process's ``RLIMIT_MEMLOCK``.

    References: ``mlock(2)`` on Linux and macOS.

    Raises:
        OSError: ENOMEM (range not mapped, or beyond ``RLIMIT_MEMLOCK``),
            EPERM (no privilege and a zero limit), EAGAIN.
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _mlock(_address(address), _args.size(length, "length"))


def munlock(address: int, length: int) -> None:
    """``munlock(addr, len)``: let the pages of the range be paged out again.

    Safety: as for :func:`mlock`, the address is not checked against the
    caller's own mappings.

    References: ``munlock(2)`` on Linux, ``mlock(2)`` on macOS.

    Raises:
        OSError: ENOMEM (range not mapped), EINVAL.
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _munlock(_address(address), _args.size(length, "length"))


def mlockall(flags: int) -> None:
    """``mlockall(flags)``: lock every page of the process (``MCL_CURRENT``, ``MCL_FUTURE``).

    With ``MCL_FUTURE`` every later mapping is locked as it is made, and
    fails with ENOMEM (or EAGAIN) once ``RLIMIT_MEMLOCK`` is reached.

    References: ``mlockall(2)`` on Linux and macOS.

    Raises:
        OSError: ENOMEM, EPERM, EINVAL (bad *flags*).  OverflowError: *flags* out of range.
    """
    _mlockall(_args.c_int(flags, "flags"))


def munlockall() -> None:
    """``munlockall()``: unlock every page of the process and end ``MCL_FUTURE``.

    References: ``mlockall(2)`` on Linux, ``munlockall(2)`` on macOS.

    Raises:
        OSError: the call failed.
    """
    _munlockall()


def madvise(address: int, length: int, advice: int) -> None:
    """``madvise(addr, len, advice)``: tell the kernel how the range will be used.

    Not in Go's table: an extra helper for :meth:`macres.MappedRegion.madvise`.

    Safety: unsafe.  Some advice changes contents or reachability, not only
    performance: ``MADV_DONTNEED``/``MADV_FREE`` discard private pages (they
    read back as zeros), ``MADV_DONTFORK`` leaves the range unmapped in a
    forked child, ``MADV_GUARD_INSTALL`` and ``MADV_HWPOISON`` make every
    later access kill the process.

    References: ``madvise(2)`` on Linux and macOS.

    Raises:
        OSError: EINVAL (unaligned *address*, unknown *advice*), ENOMEM (not
            mapped), EPERM, EAGAIN.
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    _madvise(_address(address), _args.size(length, "length"), _args.c_int(advice, "advice"))


def memory_view(address: int, length: int, readonly: bool) -> memoryview:
    """Return a one-dimensional unsigned-byte memoryview of *length* bytes at *address*.

    Not a libc call: a helper (CPython's ``PyMemoryView_FromMemory``) that
    turns a mapping made by :func:`mmap` into something Python can slice.
    The view has no exporting object (``view.obj is None``).  With
    *readonly* the view refuses writes; otherwise writes go to the memory.

    Safety: unsafe.  The view does not keep the memory mapped: after
    :func:`munmap`, or after :func:`mprotect` removes a permission the view
    relies on, touching the view (or any slice of it) crashes the process.
    :class:`macres.MappedRegion` tracks its views to prevent exactly that.

    Raises:
        ValueError: negative *length*.  OverflowError: an argument out of range.
    """
    view: memoryview = _from_memory(
        _address(address), _args.size(length, "length"), _PYBUF_READ if readonly else _PYBUF_WRITE
    )
    return view


# -- shared memory objects (issue 16): helpers outside Go's table --------------
_memfd_create = function("memfd_create", c_int, (c_char_p, c_uint), check_int)
# mode is variadic in shm_open's C prototype: passed as an extra argument (see openat).
_shm_open = function("shm_open", c_int, (c_char_p, c_int), functools.partial(check_int, paths=(0,)))
_shm_unlink = function("shm_unlink", c_int, (c_char_p,), functools.partial(check_int, paths=(0,)))


def memfd_create(name: _args.StrOrBytesPath, flags: int) -> int:
    """``memfd_create(name, flags)``: make an anonymous file in memory; return its descriptor.

    *name* only labels it (``/proc/self/fd``); ``MFD_CLOEXEC`` and
    ``MFD_ALLOW_SEALING`` in *flags*.  Linux only: macOS raises
    :class:`~macres.UnsupportedOperation` (its counterpart is ``shm_open``).
    A helper outside Go's table.  References: memfd_create(2).

    Raises:
        OSError: EINVAL (bad flags, name too long), EMFILE.  ValueError: NUL byte.
        OverflowError: *flags* out of range.  UnsupportedOperation: macOS.
    """
    return _memfd_create(_args.path(name), _args.c_uint(flags, "flags"))  # type: ignore[no-any-return]


def shm_open(name: _args.StrOrBytesPath, flags: int, mode: int = 0o600) -> int:
    """``shm_open(name, oflag, mode)``: open the POSIX shared memory object *name*; return its descriptor.

    *name* is ``/something`` (one slash, at the start, for portability;
    macOS allows 31 bytes).  *flags* are ``O_RDONLY``/``O_RDWR`` with
    ``O_CREAT``, ``O_EXCL``, ``O_TRUNC``; the descriptor is close-on-exec on
    both systems.  A helper outside Go's table.  References: shm_open(3) on
    Linux, shm_open(2) on macOS.

    Raises:
        FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  PermissionError: EACCES.
        OSError: ENAMETOOLONG, EINVAL.  ValueError: NUL byte.  OverflowError: a number out of range.
    """
    return _shm_open(  # type: ignore[no-any-return]
        _args.path(name), _args.c_int(flags, "flags"), c_uint(_args.mode(mode))
    )


def shm_unlink(name: _args.StrOrBytesPath) -> None:
    """``shm_unlink(name)``: remove the shared memory object *name*; mappings and descriptors stay valid.

    A helper outside Go's table.

    Raises:
        FileNotFoundError: ENOENT.  PermissionError: EACCES.  ValueError: NUL byte.
    """
    _shm_unlink(_args.path(name))
