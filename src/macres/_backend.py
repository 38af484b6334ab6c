"""Which core runs: the compiled one (``macres._core``) or the pure-Python reference (``macres._pure``).

Both implement one contract: the handle lifecycle (``Handle`` and its
subtypes), the hot calls of FileDescriptor, Socket, MappedRegion and
Process, and the values ``Stat``, ``Rusage`` and ``ResourceUsage``.  The
compiled core is used when it was built and loads; ``MACRES_PURE=1`` in the
environment forces the pure layer.  ``macres selftest`` prints which one runs.

mypy checks against the pure layer, which carries the annotations; the
compiled core has the same names and signatures.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING, Final

#: The contract version this package expects of the compiled core (see _core.h).
CONTRACT: Final = 7


def _load() -> tuple[ModuleType | None, str]:
    """Return (the compiled core or None, why the pure layer runs instead)."""
    if os.environ.get("MACRES_PURE", "") not in ("", "0"):
        return None, "MACRES_PURE is set"
    try:
        module = importlib.import_module("macres._core")
    except ImportError as exc:
        return None, f"the compiled core is not available ({exc})"
    found = getattr(module, "CONTRACT", None)
    if found != CONTRACT:
        return None, f"the compiled core is stale (contract {found}, this package needs {CONTRACT}): rebuild it"
    return module, ""


#: The compiled core module, or None when the pure layer runs.
compiled, REASON = _load()
#: "compiled" or "pure".
NAME: Final = "compiled" if compiled is not None else "pure"

if TYPE_CHECKING:
    from . import _pure as core
else:
    core = compiled if compiled is not None else importlib.import_module("macres._pure")

__all__ = ["CONTRACT", "NAME", "REASON", "compiled", "core"]
