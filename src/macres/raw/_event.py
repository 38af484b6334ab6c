"""Bindings of the event area: readiness calls: select, and kqueue/kevent (macOS)"""

from __future__ import annotations

__all__: list[str] = []
