"""macres: operating-system resources as Python objects that clean up after themselves.

File descriptors, directories, processes, memory maps and sockets are
objects that close deterministically (``with macres.open(...) as fd``),
over :mod:`macres.raw`, a complete, typed binding of the libc calls of Go's
darwin syscall table.

``import macres`` loads none of them: the first use of a public name loads
the library (PEP 562), so a program that only imports macres (a command's
``--help``) pays for nothing; after that first use the package is a plain
module, whose attributes CPython reads at full speed.
"""

from __future__ import annotations

# typing.TYPE_CHECKING without importing typing (~8 ms); mypy treats the name alike.
TYPE_CHECKING = False

if TYPE_CHECKING:
    # What mypy sees: the same names, from the same places, as a plain import.
    from ._errors import ClosedResourceError, UnsupportedOperation
    from ._handle import HasFileno
    from .raw import Stat, StatFS
    from .fd import (
        LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, O_ACCMODE, O_APPEND, O_ASYNC, O_CLOEXEC, O_CREAT,
        O_DIRECTORY, O_DSYNC, O_EXCL, O_NDELAY, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR,
        O_SYNC, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET,
        FileDescriptor, LockHolder, open, pipe,
    )  # fmt: skip
    from .directory import Directory, DirectoryEntry, FileType, opendir, walk
    from . import aio as aio
    from . import fs
    from .memory import (
        MADV_DONTNEED, MADV_FREE, MADV_NORMAL, MADV_PAGEOUT, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MAP_32BIT, MAP_ANON,
        MAP_ANONYMOUS, MAP_FILE, MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, MCL_CURRENT, MCL_FUTURE, MS_ASYNC,
        MS_INVALIDATE, MS_SYNC, MappedRegion, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, mlockall, munlockall,
    )  # fmt: skip
    from .socket import Socket
    from .process import DEVNULL, PIPE, RLIM_INFINITY, STDOUT, Child, CurrentProcess, ExitStatus, Process, ResourceUsage, TimeoutExpired
    from .procinfo import ProcessInfo, process_iter
    from .event import Event, EventQueue
    from .sources import Change, FileWatch, ProcessExit, SignalInfo, SignalSource, Timer, UserEvent, WatchEvent

__version__ = "0.1.0"

__all__ = ["ClosedResourceError", "HasFileno", "Stat", "StatFS", "UnsupportedOperation", "__version__"]
__all__ += ["Socket"]
__all__ += ["DEVNULL", "PIPE", "RLIM_INFINITY", "STDOUT", "Child", "CurrentProcess", "ExitStatus", "Process", "ResourceUsage", "TimeoutExpired"]
__all__ += ["ProcessInfo", "process_iter"]
__all__ += ["Change", "Event", "EventQueue", "FileWatch", "ProcessExit", "SignalInfo", "SignalSource", "Timer", "UserEvent", "WatchEvent"]
__all__ += [
    "Directory", "DirectoryEntry", "FileDescriptor", "FileType", "LockHolder", "fs", "opendir", "walk", "LOCK_EX", "LOCK_NB", "LOCK_SH", "LOCK_UN", "O_ACCMODE", "O_APPEND",
    "O_ASYNC", "O_CLOEXEC", "O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL", "O_NDELAY",
    "O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY", "O_RDWR", "O_SYNC", "O_TRUNC",
    "O_WRONLY", "SEEK_CUR", "SEEK_DATA", "SEEK_END", "SEEK_HOLE", "SEEK_SET", "open", "pipe",
]  # fmt: skip
__all__ += [
    "MADV_DONTNEED", "MADV_FREE", "MADV_NORMAL", "MADV_PAGEOUT", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MAP_32BIT", "MAP_ANON",
    "MAP_ANONYMOUS", "MAP_FILE", "MAP_FIXED", "MAP_NORESERVE", "MAP_PRIVATE", "MAP_SHARED", "MCL_CURRENT", "MCL_FUTURE", "MS_ASYNC",
    "MS_INVALIDATE", "MS_SYNC", "MappedRegion", "PROT_EXEC", "PROT_NONE", "PROT_READ", "PROT_WRITE", "mlockall", "munlockall",
]  # fmt: skip

if not TYPE_CHECKING:
    # At run time each name comes from its submodule on first access, then is
    # kept in this module's globals (so __getattr__ runs once per name).  The
    # TYPE_CHECKING block above is what mypy checks; __getattr__ stays hidden
    # from it so that a misspelt ``macres.nmae`` is still a type error.
    _FROM: dict[str, str] = {"fs": ""}  # name -> submodule ("": the name is the submodule)
    for _module, _names in (
        ("_errors", "ClosedResourceError UnsupportedOperation"),
        ("_handle", "HasFileno"),
        ("raw", "Stat StatFS"),
        ("socket", "Socket"),
        ("process", "DEVNULL PIPE RLIM_INFINITY STDOUT Child CurrentProcess ExitStatus Process ResourceUsage TimeoutExpired"),
        ("procinfo", "ProcessInfo process_iter"),
        ("event", "Event EventQueue"),
        ("sources", "Change FileWatch ProcessExit SignalInfo SignalSource Timer UserEvent WatchEvent"),
        ("fd", "FileDescriptor LockHolder open pipe"),
        ("directory", "Directory DirectoryEntry FileType opendir walk"),
        ("fd", "LOCK_EX LOCK_NB LOCK_SH LOCK_UN SEEK_CUR SEEK_DATA SEEK_END SEEK_HOLE SEEK_SET"),
        ("fd", "O_ACCMODE O_APPEND O_ASYNC O_CLOEXEC O_CREAT O_DIRECTORY O_DSYNC O_EXCL O_NDELAY O_NOCTTY"),
        ("fd", "O_NOFOLLOW O_NONBLOCK O_RDONLY O_RDWR O_SYNC O_TRUNC O_WRONLY"),
        ("memory", "MappedRegion mlockall munlockall MCL_CURRENT MCL_FUTURE MS_ASYNC MS_INVALIDATE MS_SYNC"),
        ("memory", "MADV_DONTNEED MADV_FREE MADV_NORMAL MADV_PAGEOUT MADV_RANDOM MADV_SEQUENTIAL"),
        ("memory", "MADV_WILLNEED MAP_32BIT MAP_ANON MAP_ANONYMOUS MAP_FILE MAP_FIXED MAP_NORESERVE"),
        ("memory", "MAP_PRIVATE MAP_SHARED"),
        ("memory", "PROT_EXEC PROT_NONE PROT_READ PROT_WRITE"),
    ):
        _FROM.update(dict.fromkeys(_names.split(), _module))
    del _module, _names

    #: Submodules reachable as attributes (``macres.raw``) after ``import macres``, before and after the first use.
    _SUBMODULES = frozenset(("directory", "event", "fd", "fs", "memory", "process", "procinfo", "raw", "shm", "socket", "sockopt", "sources"))
    #: Submodules with costly imports of their own (asyncio, hypothesis, argparse): reachable once
    #: imported (``import macres.aio``), never through ``import macres`` alone, whatever ran before.
    _IMPORT_FIRST = frozenset(("aio", "cli", "testing"))
    #: What the first use loads: every submodule a public name comes from, sockopt and shm (all of _SUBMODULES).
    _LIBRARY = ("_errors", "_handle", "raw", "fd", "directory", "fs", "memory", "process", "procinfo", "socket", "sockopt", "event", "sources", "shm")

    def __getattr__(name: str) -> object:
        """Import a submodule on request; load the library on the first use of a public name.

        A public name binds them all at once and removes this function:
        CPython does not specialise attribute reads on a module that defines
        ``__getattr__`` (each ``macres.open`` would cost about 275 more
        instructions), so after the first use ``macres.X`` is an ordinary
        module attribute.  A submodule (``macres.raw``, ``from . import raw``
        inside the package) is imported alone.
        """
        from importlib import import_module

        if name in _SUBMODULES:
            return import_module(f"{__name__}.{name}")
        if name in _IMPORT_FIRST:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}: import {__name__}.{name} first")
        if name not in _FROM:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        g = globals()
        modules = {module: import_module(f"{__name__}.{module}") for module in _LIBRARY}
        for public, module in _FROM.items():
            g[public] = getattr(modules[module], public) if module else modules[public]
        g.pop("__getattr__", None)
        g.pop("__dir__", None)
        return g[name]

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(__all__) | _SUBMODULES)
