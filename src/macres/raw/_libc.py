"""Load the C library and build checked ctypes prototypes from it.

Every binding gets its C function through :func:`function`, which attaches
one of the checkers of :mod:`._errcheck`; a symbol this platform lacks (or
has only as an ENOSYS stub) becomes a callable raising
:class:`~macres.UnsupportedOperation` instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any, Final

from .._errors import UnsupportedOperation
from . import _table
from ._platform import ARCH, SYSTEM, abi

#: The loaded C library; errno is captured after every call.
LIBC: Final = ctypes.CDLL(abi.LIBC_NAME, use_errno=True)
_SYMBOLS: Final = abi.libc_symbols(ARCH)
abi.bind_libproc(LIBC)  # macOS: libproc and sysctl for macres.procinfo's readers, bound on their first use

#: A ctypes errcheck: (result, function, arguments) -> result.
Checker = Callable[[Any, Any, tuple[Any, ...]], Any]
CFunction = Callable[..., Any]

#: Every C function :func:`function` made, by ``id``: (the function, its binding
#: name).  macres.testing.faults finds the call sites of a fault plan here:
#: while a plan is active the bindings reach these functions through a
#: wrapper that asks the plan first; inactive, nothing stands in between.
CALLS: Final[dict[int, tuple[CFunction, str]]] = {}


def symbol(name: str) -> str:
    """Return the libc symbol bound for binding *name* on this platform."""
    return _SYMBOLS.get(name, name)


def unsupported(name: str) -> UnsupportedOperation:
    """Return the error for calling binding *name*, which this platform lacks."""
    return UnsupportedOperation(name, SYSTEM, _table.counterpart(name))


def _stub(name: str) -> CFunction:
    def call(*args: object) -> Any:
        raise unsupported(name)

    call.__name__ = name
    return call


def function(
    name: str,
    restype: Any,
    argtypes: Sequence[Any],
    check: Callable[[CFunction], Checker] | None,
) -> CFunction:
    """Return libc's *name* with its prototype and the checker made by *check*.

    *check* receives an unchecked twin of the function (for EINTR retries,
    which must not recurse through the checker) and returns the errcheck.
    """
    if not _table.supported_here(name):
        return _stub(name)
    sym = symbol(name)
    try:
        fast = LIBC[sym]
        plain = LIBC[sym]
    except AttributeError:
        return _stub(name)
    for fn in (fast, plain):
        fn.restype = restype
        fn.argtypes = tuple(argtypes)
    if check is not None:
        fast.errcheck = check(plain)
    CALLS[id(fast)] = (fast, name)
    return fast
