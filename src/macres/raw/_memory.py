"""Bindings of the memory area: memory calls: mmap, munmap, mprotect, msync, mlock and friends"""

from __future__ import annotations

__all__: list[str] = []
