"""Bindings of the ids area: user and group ids: getuid, setuid, getgroups, ..."""

from __future__ import annotations

__all__: list[str] = []
