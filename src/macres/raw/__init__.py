"""``macres.raw``: every libc call of Go's darwin syscall table, typed and checked.

One function per libc symbol (``raw.open``, ``raw.fstat``, ``raw.kevent``,
...): integers in, the C result out; out-parameters become return values;
buffers through the buffer protocol; paths as ``str``, ``bytes`` or
``os.PathLike``.  Failures raise ``OSError``; calls this platform lacks
raise :class:`macres.UnsupportedOperation`.  :data:`BINDINGS` describes
every binding and :func:`available` says whether one works here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from . import _libc, _table
from . import _fd, _dir, _event, _fs, _ids, _memory, _process, _socket, _system, _time
from . import _copy, _xattr
from ._fd import *  # noqa: F403
from ._dir import *  # noqa: F403
from ._event import *  # noqa: F403
from ._fs import *  # noqa: F403
from ._ids import *  # noqa: F403
from ._memory import *  # noqa: F403
from ._process import *  # noqa: F403
from ._socket import *  # noqa: F403
from ._system import *  # noqa: F403
from ._time import *  # noqa: F403
from ._copy import *  # noqa: F403
from ._xattr import *  # noqa: F403
from ._platform import ARCH, SYSTEM
from ._registry import PURE as _PURE
from ._registry import implementation as _implementation
from ._types import Rlimit, Rusage, Stat, StatFS, Timespec, Timeval

#: The C integer limits the bindings check arguments against, what a path
#: argument accepts, and pathconf's name lookup: for the object layer and callers.
from ._args import INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, UINT_MAX, ULONG_MAX, StrOrBytesPath, pathconf_name

#: The platform module's constants and structs, re-exported for callers.
from ._platform import abi as ABI


@attrs.frozen
class Binding:
    """One Go function of the table and how macres binds it here."""

    go_name: str
    python_name: str
    symbol: str
    prototype: str
    area: str
    available: bool
    implementation: str
    counterpart: str | None


def _binding(row: _table.Row) -> Binding:
    name = row.python_name
    return Binding(
        go_name=row.go_name,
        python_name=name,
        symbol=_libc.symbol(name) if SYSTEM == "darwin" else name,
        prototype=row.prototype,
        area=row.area,
        available=_table.supported_here(name) and hasattr(_libc.LIBC, _libc.symbol(name)),
        implementation=_implementation(name),
        counterpart=_table.counterpart(name),
    )


#: Every binding, one per Go function (126), in the table's order.
BINDINGS: Final[tuple[Binding, ...]] = tuple(_binding(r) for r in _table.ROWS)


_available: dict[str, bool] | None = None


def available(name: str) -> bool:
    """Whether binding *name* works on this platform (False for stubs that raise ENOSYS).

    Raises:
        KeyError: *name* is not a binding.
    """
    global _available
    if _available is None:
        _available = {b.python_name: b.available for b in BINDINGS}
    return _available[name]


def reference(name: str) -> Callable[..., object]:
    """The pure-Python definition of binding *name*: the reference the compiled core is tested against.

    It is the binding itself where the compiled core does not implement it
    (or does not run).

    Raises:
        KeyError: *name* is not a binding.
    """
    bound: Callable[..., object] = globals()[name]
    return _PURE.get(name, bound)


__all__ = [
    "ABI", "ARCH", "BINDINGS", "Binding", "Rlimit", "Rusage", "SYSTEM", "Stat",
    "StatFS", "Timespec", "Timeval", "available", "reference",
    "INT_MAX", "INT_MIN", "LONG_MAX", "LONG_MIN", "UINT_MAX", "ULONG_MAX", "StrOrBytesPath", "pathconf_name",
]  # fmt: skip
__all__ += _fd.__all__
__all__ += _dir.__all__
__all__ += _event.__all__
__all__ += _fs.__all__
__all__ += _ids.__all__
__all__ += _memory.__all__
__all__ += _process.__all__
__all__ += _socket.__all__
__all__ += _system.__all__
__all__ += _time.__all__
__all__ += _copy.__all__
__all__ += _xattr.__all__
