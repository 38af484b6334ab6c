"""The table of bindings: the 126 Go functions, from ``_bindings.tsv``.

``_bindings.tsv`` is the project's binding table, kept only here
(``data/README.md`` says where it comes from).  Columns: Go name, darwin libc symbol, C prototype, area,
what Linux glibc has (``same``, ``enosys``, ``alt:NAME`` or ``none``) and
the name in :mod:`macres.raw`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, NamedTuple

from ._platform import SYSTEM


class Row(NamedTuple):
    """One line of the table."""

    go_name: str
    darwin_symbol: str
    prototype: str
    area: str
    linux: str
    python_name: str


def _load() -> tuple[Row, ...]:
    # A plain read: importlib.resources would import pathlib, tempfile and zipfile (~7 ms).
    with open(os.path.join(os.path.dirname(__file__), "_bindings.tsv"), encoding="utf-8") as f:
        text = f.read()
    rows = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rows.append(Row(*line.split("\t")))
    return tuple(rows)


def _by_name(rows: tuple[Row, ...]) -> dict[str, tuple[Row, ...]]:
    out: dict[str, tuple[Row, ...]] = {}
    for row in rows:
        out[row.python_name] = (*out.get(row.python_name, ()), row)
    return out


ROWS: Final = _load()
#: The rows of each python name (ioctl, fcntl and ptrace have two).
BY_NAME: Final[Mapping[str, tuple[Row, ...]]] = _by_name(ROWS)


def supported_here(name: str) -> bool:
    """Whether binding *name* can work on this platform (by the table)."""
    if SYSTEM == "darwin":
        return True
    rows = BY_NAME.get(name)
    if rows is None:  # a helper symbol outside the table (epoll, renameat2, ...)
        return True
    return rows[0].linux == "same"


#: The Linux helpers outside the table, and what darwin offers instead.
DARWIN_COUNTERPARTS: Final[Mapping[str, str]] = {
    "epoll_create1": "kqueue",
    "epoll_ctl": "kevent",
    "epoll_wait": "kevent",
    "eventfd": "kqueue EVFILT_USER",
    "timerfd_create": "kqueue EVFILT_TIMER",
    "timerfd_settime": "kqueue EVFILT_TIMER",
    "timerfd_gettime": "kqueue EVFILT_TIMER",
    "signalfd": "kqueue EVFILT_SIGNAL",
    "inotify_init1": "kqueue EVFILT_VNODE",
    "inotify_add_watch": "kqueue EVFILT_VNODE",
    "inotify_rm_watch": "kqueue EV_DELETE",
    "pidfd_open": "kqueue EVFILT_PROC",
    "copy_file_range": "fcopyfile",
    "memfd_create": "shm_open",
}


def counterpart(name: str) -> str | None:
    """The call this platform offers instead of *name*, or None."""
    rows = BY_NAME.get(name)
    if SYSTEM == "darwin":
        return None if rows else DARWIN_COUNTERPARTS.get(name)
    if not rows:
        return None
    how = rows[0].linux
    return how[4:] if how.startswith("alt:") else None
