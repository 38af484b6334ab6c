"""Suite-wide fixtures: every test must leave descriptors and children as it found them."""

from __future__ import annotations

import gc
import os
import pathlib
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from macres import memory

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


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail a test that leaves descriptors open, children unreaped or MappedRegions mapped."""
    gc.collect()
    fds_before, kids_before = open_fds(), children()
    maps_before = memory.live_mappings()
    yield
    gc.collect()
    leaked = open_fds() - fds_before
    leaked_maps = {a: n for a, n in memory.live_mappings().items() if a not in maps_before}
    deadline = time.monotonic() + 2.0
    kids = children() - kids_before
    while kids and time.monotonic() < deadline:  # a child may still be exiting
        time.sleep(0.01)
        kids = children() - kids_before
    assert not leaked, f"test leaked descriptors: {_describe(leaked)}"
    assert not kids, f"test left child processes: {sorted(kids)}"
    assert not leaked_maps, f"test left MappedRegion mappings: {[f'{a:#x}+{n}' for a, n in leaked_maps.items()]}"


def is_root() -> bool:
    """Whether the suite runs as root."""
    return os.geteuid() == 0


@pytest.fixture
def tmp(tmp_path: pathlib.Path) -> pathlib.Path:
    """A fresh directory for the test's files."""
    return tmp_path
