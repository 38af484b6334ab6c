"""How each binding is implemented, recorded where the binding is defined.

A binding is ``ctypes`` unless decorated: :func:`stdlib` says it calls
CPython's own C implementation of the same libc call, :func:`compiled` that
the compiled core (``macres._core``) implements it when the compiled core
runs, the decorated definition being the pure reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from .. import _backend

_F = TypeVar("_F", bound=Callable[..., object])

#: binding name -> the stdlib function it calls, for those that do.
STDLIB: dict[str, str] = {}
#: binding name -> its pure-Python definition, for those the compiled core implements.
PURE: dict[str, Callable[..., object]] = {}


def stdlib(via: str) -> Callable[[_F], _F]:
    """Mark a binding as implemented by the stdlib function *via* (e.g. ``"os.preadv"``)."""

    def mark(fn: _F) -> _F:
        STDLIB[fn.__name__] = via
        return fn

    return mark


def compiled(fn: _F) -> _F:
    """Use the compiled core's function of the same name when the compiled core runs.

    The decorated definition stays the reference (and the fallback); it is
    kept in :data:`PURE`, where the differential tests find it.
    """
    PURE[fn.__name__] = fn
    if _backend.compiled is None:
        return fn
    return cast(_F, getattr(_backend.compiled, fn.__name__))


def implementation(name: str) -> str:
    """How binding *name* is implemented here: ``"core"``, ``"stdlib:os.x"`` or ``"ctypes"``."""
    if name in PURE and _backend.compiled is not None:
        return "core"
    if name in STDLIB:
        return f"stdlib:{STDLIB[name]}"
    return "ctypes"
