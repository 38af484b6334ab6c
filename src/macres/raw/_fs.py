"""Bindings of the fs area: path-level file-system calls: access, chmod, link, rename, stat, statfs, ..."""

from __future__ import annotations

__all__: list[str] = []
