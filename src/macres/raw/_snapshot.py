"""The figures of processes kept for one block: what ``ProcessInfo.oneshot()`` turns on.

Inside ``with snapshot():`` the platform readers (``_linux.py``: the files
of ``/proc/PID``; ``_darwin.py``: ``proc_pidinfo`` and ``KERN_PROCARGS2``)
read each source of each process once and answer later calls from what
they read, identity checks included; outside a block they read afresh
every time.  The block belongs to the context (a ``ContextVar``): another
thread or asyncio task reads afresh.  Blocks nest; the outermost one ends
the snapshot.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Any, Final, TypeVar

__all__ = ["kept", "snapshot"]

T = TypeVar("T")

#: What the readers read in the running block, by source; None outside a block.
_KEPT: Final[ContextVar[dict[Hashable, Any] | None]] = ContextVar("macres_process_snapshot", default=None)


def active() -> bool:
    """Whether a snapshot block runs in this context."""
    return _KEPT.get() is not None


def kept(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, once per *key* inside a snapshot block (an exception is not kept); afresh outside one."""
    store = _KEPT.get()
    if store is None:
        return read()
    try:
        value: T = store[key]
    except KeyError:
        value = store[key] = read()
    return value


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """A block in which each source of each process is read at most once (see the module)."""
    if _KEPT.get() is not None:
        yield
        return
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)
