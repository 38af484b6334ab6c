"""Bindings of the process area: process calls: wait4, kill, fork, execve, priorities, rlimits, rusage, sessions"""

from __future__ import annotations

__all__: list[str] = []
