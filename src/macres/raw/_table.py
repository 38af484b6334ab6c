"""The table of bindings: the 126 Go functions, from ``_bindings.tsv``.

``_bindings.tsv`` is a copy of the project's ``bindings.tsv`` (a test keeps
the two equal).  Columns: Go name, darwin libc symbol, C prototype, area,
what Linux glibc has (``same``, ``enosys``, ``alt:NAME`` or ``none``) and
the name in :mod:`macres.raw`.
"""

from __future__ import annotations

import importlib.resources
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
    text = importlib.resources.files(__package__).joinpath("_bindings.tsv").read_text()
    rows = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rows.append(Row(*line.split("\t")))
    return tuple(rows)


ROWS: Final = _load()
#: The rows of each python name (ioctl, fcntl and ptrace have two).
BY_NAME: Final[Mapping[str, tuple[Row, ...]]] = {
    name: tuple(r for r in ROWS if r.python_name == name) for name in dict.fromkeys(r.python_name for r in ROWS)
}


def supported_here(name: str) -> bool:
    """Whether binding *name* can work on this platform (by the table)."""
    if SYSTEM == "darwin":
        return True
    rows = BY_NAME.get(name)
    if rows is None:  # a helper symbol outside the table (epoll, renameat2, ...)
        return True
    return rows[0].linux == "same"


def counterpart(name: str) -> str | None:
    """The call this platform offers instead of *name*, or None."""
    rows = BY_NAME.get(name)
    if SYSTEM == "darwin" or not rows:
        return None
    how = rows[0].linux
    return how[4:] if how.startswith("alt:") else None
