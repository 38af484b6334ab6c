"""macres: operating-system resources as Python objects that clean up after themselves.

File descriptors, directories, processes, memory maps and sockets are
objects that close deterministically (``with macres.open(...) as fd``),
over :mod:`macres.raw`, a complete, typed binding of the libc calls of Go's
darwin syscall table.
"""

from __future__ import annotations

from ._errors import ClosedResourceError, UnsupportedOperation
from .raw import Stat, StatFS

__version__ = "0.1.0"

__all__ = ["ClosedResourceError", "Stat", "StatFS", "UnsupportedOperation", "__version__"]
