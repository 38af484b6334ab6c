"""How each binding is implemented, recorded where the binding is defined.

A binding is ``ctypes`` unless decorated with :func:`stdlib`, which says it
calls CPython's own C implementation of the same libc call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

_F = TypeVar("_F", bound=Callable[..., object])

#: binding name -> the stdlib function it calls, for those that do.
STDLIB: dict[str, str] = {}


def stdlib(via: str) -> Callable[[_F], _F]:
    """Mark a binding as implemented by the stdlib function *via* (e.g. ``"os.preadv"``)."""

    def mark(fn: _F) -> _F:
        STDLIB[fn.__name__] = via
        return fn

    return mark
