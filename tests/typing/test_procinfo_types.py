"""Types of macres.procinfo that users rely on, pinned for mypy (never executed)."""

from __future__ import annotations

from typing_extensions import assert_type

import macres
from macres.procinfo import CpuTimes, DescriptorKind, Ids, MemoryInfo, OpenDescriptor, ProcessStatus, ThreadTimes


def process_info_types(pid: int) -> None:
    """Each method's result type."""
    info = macres.ProcessInfo(pid)
    assert_type(info.pid, int)
    assert_type(info.identity, int)
    assert_type(info.name(), str)
    assert_type(info.exe(), str | None)
    assert_type(info.cmdline(), list[str])
    assert_type(info.environ(), dict[str, str])
    assert_type(info.cwd(), str | None)
    assert_type(info.status(), ProcessStatus | str)
    assert_type(info.ppid(), int)
    assert_type(info.uids(), Ids)
    assert_type(info.gids().saved, int)
    assert_type(info.num_threads(), int)
    assert_type(info.threads(), list[ThreadTimes])
    assert_type(info.create_time(), float)
    assert_type(info.cpu_times(), CpuTimes)
    assert_type(info.cpu_times().user, float)
    assert_type(info.memory(), MemoryInfo)
    assert_type(info.memory().rss, int)
    assert_type(info.num_fds(), int)
    assert_type(info.open_descriptors(), list[OpenDescriptor])
    assert_type(info.open_descriptors()[0].kind, DescriptorKind)
    assert_type(info.open_descriptors()[0].path, str | None)
    assert_type(info.children(), list[macres.ProcessInfo])
    assert_type(info.is_running(), bool)
    assert_type(macres.ProcessInfo.from_pidfd(3), macres.ProcessInfo)
    for other in macres.process_iter():
        assert_type(other, macres.ProcessInfo)


def mistakes(info: macres.ProcessInfo) -> None:
    """What mypy must reject: records are frozen, a pid is an int."""
    info.memory().rss = 0  # type: ignore[misc]
    macres.ProcessInfo("1")  # type: ignore[arg-type]
    info.pid = 2  # type: ignore[misc]
