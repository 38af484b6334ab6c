"""Bindings of the dir area: calls relative to a directory descriptor, and reading directories: openat, fstatat, readdir_r, ..."""

from __future__ import annotations

__all__: list[str] = []
