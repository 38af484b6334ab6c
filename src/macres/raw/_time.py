"""Bindings of the time area: clock calls: gettimeofday, settimeofday, adjtime"""

from __future__ import annotations

__all__: list[str] = []
