"""Bindings of the system area: system-wide calls: sync, unmount, sysctl"""

from __future__ import annotations

__all__: list[str] = []
