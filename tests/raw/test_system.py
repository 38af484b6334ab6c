"""Tests for the system area of macres.raw: sync, unmount, sysctl.

sync is checked against the kernel's own view of dirty pages
(``/proc/self/smaps``); unmount and sysctl are darwin calls, so on Linux
they must raise :class:`macres.UnsupportedOperation` after checking their
arguments like any binding.
"""

from __future__ import annotations

import errno
import mmap
import os
import pathlib
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
from macres import raw

INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
# Linux file systems whose pages are never written back, so sync cannot clean them.
NO_WRITEBACK = {"tmpfs", "ramfs", "hugetlbfs", "devtmpfs", "proc", "sysfs"}


def _fs_type(path: pathlib.Path) -> str | None:
    """The file system type holding *path*, from /proc/self/mountinfo (Linux)."""
    dev = os.stat(path).st_dev
    want = f"{os.major(dev)}:{os.minor(dev)}"
    try:
        lines = pathlib.Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if fields[2] == want:
            return fields[fields.index("-") + 1]
    return None


def _dirty_kib(inode: int) -> int:
    """KiB of this process's mappings of file *inode* whose page-table entries are dirty."""
    total, current = 0, False
    for line in pathlib.Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and not fields[0].endswith(":"):
            current = len(fields) >= 5 and fields[4] == str(inode)
        elif current and fields[0] in ("Shared_Dirty:", "Private_Dirty:"):
            total += int(fields[1])
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dirty pages are read from Linux /proc")
def test_sync_writes_back_dirty_mapped_pages(tmp_path: pathlib.Path) -> None:
    """After sync, pages dirtied through a shared mapping are clean (written back)."""
    candidates = [tmp_path, pathlib.Path(raw.__file__).resolve().parents[3]]
    where = next((d for d in candidates if _fs_type(d) not in NO_WRITEBACK | {None}), None)
    if where is None:
        pytest.skip("no directory on a file system with writeback (tmpfs only)")
    path = where / f"macres-sync-{os.getpid()}"
    size = 16 * mmap.PAGESIZE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.ftruncate(fd, size)
        inode = os.fstat(fd).st_ino
        with mmap.mmap(fd, size) as region:
            region[:] = b"\x5a" * size
            assert _dirty_kib(inode) > 0
            raw.sync()
            assert _dirty_kib(inode) == 0
            assert os.pread(fd, 4, size - 4) == b"\x5a" * 4
    finally:
        os.close(fd)
        path.unlink()


@pytest.mark.skipif(sys.platform != "linux", reason="Linux has no unmount(2)")
def test_unmount_is_unsupported_on_linux(tmp_path: pathlib.Path) -> None:
    """unmount raises UnsupportedOperation (ENOSYS) naming umount2, and touches nothing."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.unmount(tmp_path, 0)
    assert info.value.errno == errno.ENOSYS
    assert info.value.counterpart == "umount2"
    assert "umount2" in str(info.value)
    assert tmp_path.is_dir()


@pytest.mark.parametrize(
    ("path", "flags", "exc"),
    [("/a\0b", 0, ValueError), ("/", 1 << 31, OverflowError), ("/", INT_MIN - 1, OverflowError), (1.0, 0, TypeError)],
)
def test_unmount_checks_arguments_first(path: object, flags: int, exc: type[Exception]) -> None:
    """Bad arguments are refused before the call, on every platform."""
    with pytest.raises(exc):
        raw.unmount(path, flags)  # type: ignore[arg-type]


@pytest.mark.skipif(sys.platform != "darwin", reason="unmount exists on darwin only")
def test_unmount_not_a_mount_point(tmp_path: pathlib.Path) -> None:
    """Unmounting a plain directory fails (EINVAL as root, EPERM otherwise) with the path."""
    with pytest.raises(OSError) as info:
        raw.unmount(tmp_path, 0)
    assert info.value.errno in (errno.EINVAL, errno.EPERM)
    assert info.value.filename == str(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="Linux has no sysctl(3)")
@given(
    name=st.lists(st.integers(INT_MIN, INT_MAX), min_size=1, max_size=12),
    oldlen=st.one_of(st.none(), st.integers(0, 1 << 20)),
    new=st.one_of(st.none(), st.binary(max_size=64)),
)
def test_sysctl_is_unsupported_on_linux(name: list[int], oldlen: int | None, new: bytes | None) -> None:
    """Any well-formed sysctl call raises UnsupportedOperation (ENOSYS) with no counterpart."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.sysctl(name, oldlen, new)
    assert info.value.errno == errno.ENOSYS
    assert info.value.counterpart is None
    assert "no counterpart" in str(info.value)


@pytest.mark.parametrize(
    ("name", "oldlen", "exc"),
    [
        ([], None, ValueError),
        ([1] * 13, None, ValueError),
        ([1, 1 << 31], None, OverflowError),
        ([1, INT_MIN - 1], None, OverflowError),
        ([1, 1], -1, ValueError),
        ([1, 1], 1 << 63, OverflowError),
        ([1, 1.0], None, TypeError),
    ],
)
def test_sysctl_checks_arguments_first(name: list[int], oldlen: int | None, exc: type[Exception]) -> None:
    """A malformed name or length is refused before the call, on every platform."""
    with pytest.raises(exc):
        raw.sysctl(name, oldlen)


@pytest.mark.skipif(sys.platform != "darwin", reason="sysctl exists on darwin only")
def test_sysctl_reads_kern_ostype() -> None:
    """kern.ostype (CTL_KERN=1, KERN_OSTYPE=1) reads back as b"Darwin" with its NUL."""
    assert raw.sysctl([1, 1]) == b"Darwin\0"
    assert raw.sysctl([1, 1], 64) == b"Darwin\0"
    assert raw.sysctl([1, 1], 0) == b""
    with pytest.raises(OSError) as info:
        raw.sysctl([1, 1], 3)
    assert info.value.errno == errno.ENOMEM
