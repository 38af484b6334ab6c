"""The pure-Python reference of macres's core: the readable specification, and the fallback.

It implements the contract of the compiled core (``macres._core``, from
``src/macres/_core*.c``) name for name: the lifecycle base types, the hot
calls of each object, the values, and the hooks.  ``macres._backend``
chooses which one runs; the test suite runs on both, and a differential
test drives them side by side.

Submodules load on first use, so that ``macres.raw`` can take the values
from here without importing the object bases, which need ``macres.raw``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

#: The contract version (the compiled core's CONTRACT).
CONTRACT: Final = 7

_WHERE: Final[dict[str, str]] = {
    "Handle": "handle",
    "FdHandle": "handle",
    "set_adopt_hook": "handle",
    "get_adopt_hook": "handle",
    "set_close_hook": "handle",
    "get_close_hook": "handle",
    "set_fault_hook": "handle",
    "get_fault_hook": "handle",
    "FileDescriptorBase": "fd",
    "SocketBase": "socket",
    "SockOptSpec": "socket",
    "MappedRegionBase": "region",
    "live_mappings": "region",
    "ProcessBase": "process",
    "CurrentProcessBase": "process",
    "Stat": "values",
    "Rusage": "values",
    "ResourceUsage": "values",
    "EventQueueBase": "event",
    "Event": "event",
    "DirectoryBase": "directory",
    "DirectoryEntry": "directory",
    "spawn": "spawn",
}

if TYPE_CHECKING:
    from .directory import DirectoryBase as DirectoryBase
    from .directory import DirectoryEntry as DirectoryEntry
    from .event import Event as Event
    from .event import EventQueueBase as EventQueueBase
    from .fd import FileDescriptorBase as FileDescriptorBase
    from .handle import FdHandle as FdHandle
    from .handle import Handle as Handle
    from .handle import get_adopt_hook as get_adopt_hook
    from .handle import get_close_hook as get_close_hook
    from .handle import get_fault_hook as get_fault_hook
    from .handle import set_adopt_hook as set_adopt_hook
    from .handle import set_close_hook as set_close_hook
    from .handle import set_fault_hook as set_fault_hook
    from .process import CurrentProcessBase as CurrentProcessBase
    from .process import ProcessBase as ProcessBase
    from .region import MappedRegionBase as MappedRegionBase
    from .region import live_mappings as live_mappings
    from .socket import SockOptSpec as SockOptSpec
    from .socket import SocketBase as SocketBase
    from .spawn import spawn as spawn
    from .values import ResourceUsage as ResourceUsage
    from .values import Rusage as Rusage
    from .values import Stat as Stat


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_WHERE, "CONTRACT"])


__all__ = ["CONTRACT", *_WHERE]  # noqa: PLE0604 - the lazily loaded names
