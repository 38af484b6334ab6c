"""Choose the ABI module of the running platform, once.

This is the only module that looks at ``sys.platform``; mypy narrows the
chain, so ``mypy --platform darwin`` checks the darwin branch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Final

if sys.platform == "darwin":
    from . import _darwin as abi

    SYSTEM: Final[str] = "darwin"
    ARCH: Final[str] = "arm64" if os.uname().machine == "arm64" else "amd64"
elif sys.platform == "linux":
    from . import _linux as abi

    SYSTEM: Final[str] = "linux"
    ARCH: Final[str] = os.uname().machine  # what platform.machine() says, without importing platform
else:  # pragma: no cover - no other platform is supported
    raise ImportError(f"macres supports macOS and Linux, not {sys.platform}")

#: ``os.preadv`` where CPython has it (on macOS only from 3.11, on macOS 11+), else None.
os_preadv: Final[Callable[..., int] | None] = getattr(os, "preadv", None)

__all__ = ["ARCH", "SYSTEM", "abi", "os_preadv"]
