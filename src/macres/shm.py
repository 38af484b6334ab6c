"""Shared memory as FileDescriptors: memfd (Linux) and POSIX ``shm_open`` (Linux and macOS).

A shared memory object is a file that lives in memory: size it with
:meth:`FileDescriptor.ftruncate` and map it with
``MappedRegion.from_file(fd)`` (``MAP_SHARED``), in as many processes as
hold a descriptor for it: a child that inherits it (``pass_fds``, fork)
or, for ``shm_open``, any process that opens the same name.  Writes
through one mapping are seen through every other at once.

Every descriptor is close-on-exec unless ``inheritable=True``.
"""

from __future__ import annotations

import os
from typing import Final

from . import raw
from ._errors import UnsupportedOperation
from .fd import FileDescriptor
from .raw import StrOrBytesPath

__all__ = [
    "F_SEAL_GROW", "F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_WRITE", "add_seals", "get_seals", "memfd",
    "shm_open", "shm_unlink",
]  # fmt: skip

_abi = raw.ABI

#: The seals of a memfd (Linux, ``fcntl(F_ADD_SEALS)``); None where the kernel has none (macOS).
F_SEAL_SEAL: Final[int | None] = getattr(_abi, "F_SEAL_SEAL", None)
F_SEAL_SHRINK: Final[int | None] = getattr(_abi, "F_SEAL_SHRINK", None)
F_SEAL_GROW: Final[int | None] = getattr(_abi, "F_SEAL_GROW", None)
F_SEAL_WRITE: Final[int | None] = getattr(_abi, "F_SEAL_WRITE", None)
_F_ADD_SEALS: Final[int | None] = getattr(_abi, "F_ADD_SEALS", None)
_F_GET_SEALS: Final[int | None] = getattr(_abi, "F_GET_SEALS", None)


def _own(number: int, inheritable: bool) -> FileDescriptor:
    """A FileDescriptor owning *number*, close-on-exec unless *inheritable*; *number* is closed if that fails."""
    try:
        os.set_inheritable(number, inheritable)
        return FileDescriptor(number)
    except BaseException:
        os.close(number)
        raise


def memfd(name: str = "macres", *, allow_sealing: bool = False, inheritable: bool = False) -> FileDescriptor:
    """``memfd_create(name, MFD_CLOEXEC [| MFD_ALLOW_SEALING])``: an anonymous in-memory file, size 0.

    *name* only labels it (``/proc/<pid>/fd``); it has no path, and lives
    while a descriptor or mapping refers to it.  ``allow_sealing=True``
    lets :func:`add_seals` freeze its size or contents.

    Raises:
        UnsupportedOperation: macOS (use :func:`shm_open`).  OSError: EMFILE, EINVAL.
        ValueError: NUL byte.
    """
    flags = _abi.MFD_CLOEXEC | (_abi.MFD_ALLOW_SEALING if allow_sealing else 0)
    return _own(raw.memfd_create(name, flags), inheritable)


def shm_open(
    name: StrOrBytesPath,
    *,
    create: bool = True,
    exclusive: bool = False,
    readonly: bool = False,
    mode: int = 0o600,
    inheritable: bool = False,
) -> FileDescriptor:
    """``shm_open(name, O_RDWR|O_CREAT, mode)``: open (by default create) the POSIX shared memory object *name*.

    *name* is ``"/something"``: other processes open the same object by
    it until :func:`shm_unlink`.  ``exclusive=True`` fails if it exists
    (``O_EXCL``), ``create=False`` if it does not; ``readonly=True`` opens
    it ``O_RDONLY``.  A new object has size 0.

    Raises:
        FileExistsError: ``exclusive`` and it exists.  FileNotFoundError: ``create=False``
        and it does not.  PermissionError: EACCES.  OSError: ENAMETOOLONG, EINVAL.
        ValueError: NUL byte; ``exclusive`` without ``create``.
    """
    if exclusive and not create:
        raise ValueError("exclusive=True needs create=True")
    flags = _abi.O_RDONLY if readonly else _abi.O_RDWR
    if create:
        flags |= _abi.O_CREAT | (_abi.O_EXCL if exclusive else 0)
    return _own(raw.shm_open(name, flags, mode), inheritable)


def shm_unlink(name: StrOrBytesPath) -> None:
    """``shm_unlink(name)``: remove the name; open descriptors and mappings keep the memory.

    Raises:
        FileNotFoundError: no such object.  PermissionError: EACCES.  ValueError: NUL byte.
    """
    raw.shm_unlink(name)


def add_seals(fd: FileDescriptor, seals: int) -> None:
    """``fcntl(fd, F_ADD_SEALS, seals)``: seal a memfd made with ``allow_sealing=True`` (``F_SEAL_*``).

    Sealed operations fail from then on with EPERM, in every process.

    Raises:
        PermissionError: EPERM (``F_SEAL_SEAL`` set, or ``F_SEAL_WRITE`` with
        a writable shared mapping alive).  OSError: EINVAL (not a memfd that allows sealing).
        UnsupportedOperation: macOS.  ClosedResourceError: *fd* is closed.
    """
    fd.fcntl(_sealing(_F_ADD_SEALS), seals)


def get_seals(fd: FileDescriptor) -> int:
    """``fcntl(fd, F_GET_SEALS)``: the ``F_SEAL_*`` bits set on a memfd.

    Raises:
        OSError: EINVAL (not a memfd).  UnsupportedOperation: macOS.
        ClosedResourceError: *fd* is closed.
    """
    return fd.fcntl(_sealing(_F_GET_SEALS))


def _sealing(cmd: int | None) -> int:
    if cmd is None:
        raise UnsupportedOperation("fcntl(F_ADD_SEALS)", raw.SYSTEM, None)
    return cmd
