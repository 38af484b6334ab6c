"""The one lifecycle every handle-owning object shares, and the fileno protocol.

:class:`Handle` and :class:`FdHandle` are the core's (``macres._backend``):
the compiled core's C types, or the pure-Python reference
(``macres/_pure/handle.py``, which documents the protocol).  The objects of
``fd.py``, ``socket.py``, ``memory.py`` and ``process.py`` stand on them.
"""

from __future__ import annotations

from operator import index as _index
from typing import Protocol

from ._backend import core

__all__ = ["FdHandle", "Handle", "HasFileno", "fileno_of"]

Handle = core.Handle
FdHandle = core.FdHandle


class HasFileno(Protocol):
    """Anything with a ``fileno()``: a macres handle, a stdlib socket or file."""

    def fileno(self) -> int: ...


def fileno_of(value: int | HasFileno, what: str = "fd") -> int:
    """The descriptor number of an int or of an object with ``fileno()``, as ``selectors`` takes them.

    Raises:
        TypeError: *value* is neither (a bool counts as neither).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    fileno = getattr(value, "fileno", None)
    if fileno is None or isinstance(value, bool):
        raise TypeError(f"{what} must be a descriptor number or an object with fileno(), not {type(value).__name__}")
    return _index(fileno())
