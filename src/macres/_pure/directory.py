"""Directory listing in Python: the reference of ``_core_dir.c``.

A listing goes through ``os.scandir`` on a descriptor, which reads the
kernel's entries in batches (``readdir(3)`` over ``getdents64``/
``getdirentries``).  ``os.scandir(fd)`` works on a duplicate of *fd*
whose offset it shares, so an iteration first opens its own open file
description (``openat(fd, ".")``): iterations do not disturb each other,
and the numbers it uses are its own, never the Directory's after a close
(it holds two while it runs: its own and scandir's duplicate).
Each entry's type comes from ``d_type`` through ``os.DirEntry``'s
``is_dir``/``is_file``/``is_symlink`` (no call unless the file system
reports ``DT_UNKNOWN``); the other kinds (fifo, socket, devices) take one
``lstat``, which the compiled core does not need.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterator
from typing import Final

import attrs

from .._filetype import FileType
from .handle import FdHandle

__all__ = ["DirectoryBase", "DirectoryEntry"]

_FLAGS: Final = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_TYPES: Final[dict[int, FileType]] = {t.value: t for t in FileType}


def _file_type(value: int) -> FileType:
    """*value* as a FileType (the member itself passes unconverted: the listing's common case).

    Raises:
        ValueError: not a FileType value.
    """
    return value if type(value) is FileType else FileType(value)


@attrs.frozen
class DirectoryEntry:
    """One name in a directory: ``name`` (str, ``os.fsdecode``), ``inode`` (``d_ino``) and ``type``.

    ``type`` is the :class:`FileType` the file system reports, or that
    ``fstatat(AT_SYMLINK_NOFOLLOW)`` gives where it reports ``DT_UNKNOWN``
    (``FileType.UNKNOWN`` where even that fails).
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    inode: int = attrs.field(validator=attrs.validators.instance_of(int))
    type: FileType = attrs.field(converter=_file_type)

    @inode.validator
    def _inode_fits(self, attribute: object, value: int) -> None:
        if not 0 <= value < 1 << 64:
            raise OverflowError(f"inode {value} does not fit 64 unsigned bits")


def _entry(e: os.DirEntry[str]) -> DirectoryEntry:
    if e.is_dir(follow_symlinks=False):
        t = FileType.DIR
    elif e.is_file(follow_symlinks=False):
        t = FileType.REG
    elif e.is_symlink():
        t = FileType.LNK
    else:
        try:
            t = _TYPES.get(stat.S_IFMT(e.stat(follow_symlinks=False).st_mode) >> 12, FileType.UNKNOWN)
        except OSError:
            t = FileType.UNKNOWN
    return DirectoryEntry(e.name, e.inode(), t)


#: Where the listing starts: a module name, so macres.testing.faults can fail it as ``getdents64``.
_scandir = os.scandir


def _scan(fd: int) -> list[DirectoryEntry]:
    """The entries of the directory *fd* from its start (its offset is shared: the caller owns it alone)."""
    os.lseek(fd, 0, os.SEEK_SET)
    with _scandir(fd) as it:
        return [_entry(e) for e in it]


class DirectoryBase(FdHandle):
    """Directory's lifecycle and listing."""

    __slots__ = ()

    def __iter__(self) -> Iterator[DirectoryEntry]:
        """Yield the entries except ``.`` and ``..``, read through an own description (``openat``, ``os.scandir``).

        Raises:
            ClosedResourceError: the directory is closed (at once, and also between entries).
            OSError: opening or reading failed.
        """
        if self.closed:  # at iter(), as the compiled core: not at the generator's first step
            raise self._closed_error()
        return _iterate(self)

    def _read_all(self) -> list[DirectoryEntry]:
        """The entries read through the directory's own descriptor from its start (for a caller that alone reads it).

        Raises:
            ClosedResourceError: the directory is closed.  OSError: the read failed.
        """
        return self._call(_scan)


def _iterate(d: DirectoryBase, _close: Callable[[int], None] = os.close) -> Iterator[DirectoryEntry]:
    """The iteration's generator.  What its finally uses is bound as a default: a listing
    abandoned in a reference cycle closes its descriptor at interpreter exit too, when
    module globals are gone."""
    own: list[int] = []
    try:
        # the descriptor lands in *own* inside the C call (see handle.py).
        # os.scandir reads a duplicate of it, but its entries' is_dir/stat
        # (DT_UNKNOWN, fifos, ...) use own[0]: it stays open to the end.
        d._call(lambda fd: own.extend(map(functools.partial(os.open, dir_fd=fd), (".",), (_FLAGS,))))
        with _scandir(own[0]) as it:
            for e in it:
                if d._closing:
                    raise d._closed_error()
                yield _entry(e)
    finally:
        for fd in own:
            _close(fd)
