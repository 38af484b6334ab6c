"""macres: operating-system resources as Python objects that clean up after themselves.

File descriptors, directories, processes, memory maps and sockets are
objects that close deterministically (``with macres.open(...) as fd``),
over :mod:`macres.raw`, a complete, typed binding of the libc calls of Go's
darwin syscall table.
"""

from __future__ import annotations

from ._errors import ClosedResourceError, UnsupportedOperation
from ._handle import HasFileno
from .raw import Stat, StatFS
from .fd import (
    LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O_ACCMODE, O_APPEND, O_ASYNC, O_CLOEXEC, O_CREAT,
    O_DIRECTORY, O_DSYNC, O_EXCL, O_NDELAY, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR,
    O_SYNC, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET,
    Directory, DirectoryEntry, FileDescriptor, FileType, open, opendir, pipe,
)  # fmt: skip
from . import fs
from .memory import (
    MADV_DONTNEED, MADV_FREE, MADV_NORMAL, MADV_PAGEOUT, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MAP_32BIT, MAP_ANON,
    MAP_ANONYMOUS, MAP_FILE, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, MCL_CURRENT, MCL_FUTURE, MS_ASYNC,
    MS_INVALIDATE, MS_SYNC, MappedRegion, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, mlockall, munlockall,
)  # fmt: skip
from .socket import Socket
from .process import ExitStatus, Process, ResourceUsage

__version__ = "0.1.0"

__all__ = ["ClosedResourceError", "HasFileno", "Stat", "StatFS", "UnsupportedOperation", "__version__"]
__all__ += ["Socket"]
__all__ += ["ExitStatus", "Process", "ResourceUsage"]
__all__ += [
    "Directory", "DirectoryEntry", "FileDescriptor", "FileType", "fs", "opendir", "LOCK_EX", "LOCK_NB", "LOCK_SH", "LOCK_UN", "O_ACCMODE", "O_APPEND",
    "O_ASYNC", "O_CLOEXEC", "O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL", "O_NDELAY",
    "O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY", "O_RDWR", "O_SYNC", "O_TRUNC",
    "O_WRONLY", "SEEK_CUR", "SEEK_DATA", "SEEK_END", "SEEK_HOLE", "SEEK_SET", "open", "pipe",
]  # fmt: skip
__all__ += [
    "MADV_DONTNEED", "MADV_FREE", "MADV_NORMAL", "MADV_PAGEOUT", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MAP_32BIT", "MAP_ANON",
    "MAP_ANONYMOUS", "MAP_FILE", "MAP_FIXED", "MAP_NORESERVE", "MAP_PRIVATE", "MAP_SHARED", "MCL_CURRENT", "MCL_FUTURE", "MS_ASYNC",
    "MS_INVALIDATE", "MS_SYNC", "MappedRegion", "PROT_EXEC", "PROT_NONE", "PROT_READ", "PROT_WRITE", "mlockall", "munlockall",
]  # fmt: skip
