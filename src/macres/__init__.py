"""macres: operating-system resources as Python objects that clean up after themselves.

File descriptors, directories, processes, memory maps and sockets are
objects that close deterministically (``with macres.open(...) as fd``),
over :mod:`macres.raw`, a complete, typed binding of the libc calls of Go's
darwin syscall table.
"""

from __future__ import annotations

from ._errors import ClosedResourceError, UnsupportedOperation
from .raw import Stat, StatFS
from .fd import (
    LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O_ACCMODE, O_APPEND, O_ASYNC, O_CLOEXEC, O_CREAT,
    O_DIRECTORY, O_DSYNC, O_EXCL, O_NDELAY, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR,
    O_SYNC, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET,
    Directory, DirectoryEntry, FileDescriptor, FileType, open, opendir, pipe,
)  # fmt: skip
from . import fs
from .socket import Socket

__version__ = "0.1.0"

__all__ = ["ClosedResourceError", "Stat", "StatFS", "UnsupportedOperation", "__version__"]
__all__ += ["Socket"]
__all__ += [
    "Directory", "DirectoryEntry", "FileDescriptor", "FileType", "fs", "opendir", "LOCK_EX", "LOCK_NB", "LOCK_SH", "LOCK_UN", "O_ACCMODE", "O_APPEND",
    "O_ASYNC", "O_CLOEXEC", "O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL", "O_NDELAY",
    "O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY", "O_RDWR", "O_SYNC", "O_TRUNC",
    "O_WRONLY", "SEEK_CUR", "SEEK_DATA", "SEEK_END", "SEEK_HOLE", "SEEK_SET", "open", "pipe",
]  # fmt: skip
