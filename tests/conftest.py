"""Suite-wide fixtures and helpers.

Every test must leave descriptors, child processes and MappedRegion
mappings as it found them: the suite runs with macres's own leak-checking
plugin on (``macres_leaks = true`` in pyproject.toml), which fails a
leaking test's teardown and names what leaked with its creation traceback.
"""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings


settings.register_profile(
    "macres",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("MACRES_HYPOTHESIS_PROFILE", "macres"))

_FD_DIR = pathlib.Path("/proc/self/fd") if pathlib.Path("/proc/self/fd").is_dir() else pathlib.Path("/dev/fd")


def open_fds() -> set[int]:
    """The descriptor numbers open in this process now."""
    fds = set()
    for entry in os.listdir(_FD_DIR):
        fd = int(entry)
        try:
            os.fstat(fd)
        except OSError:  # the listing's own descriptor, closed by now
            continue
        fds.add(fd)
    return fds


def children() -> set[int]:
    """The pids of this process's children (Linux: /proc task children lists)."""
    pids: set[int] = set()
    task = pathlib.Path("/proc/self/task")
    if not task.is_dir():
        return pids
    for t in task.iterdir():
        try:
            pids.update(int(p) for p in (t / "children").read_text().split())
        except OSError:
            continue
    return pids


def _describe(fds: set[int]) -> str:
    out = []
    for fd in sorted(fds):
        try:
            out.append(f"{fd} -> {os.readlink(_FD_DIR / str(fd))}")
        except OSError:
            out.append(str(fd))
    return ", ".join(out)


def is_root() -> bool:
    """Whether the suite runs as root."""
    return os.geteuid() == 0


@pytest.fixture
def tmp(tmp_path: pathlib.Path) -> pathlib.Path:
    """A fresh directory for the test's files."""
    return tmp_path
