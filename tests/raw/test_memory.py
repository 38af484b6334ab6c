"""Tests for the memory area of macres.raw, with /proc/self/maps, smaps and files as oracles."""

from __future__ import annotations

import errno
import mmap as stdlib_mmap
import os
import pathlib
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macres import raw

PAGE = stdlib_mmap.PAGESIZE
A = raw.ABI
ANON_PRIVATE = A.MAP_PRIVATE | A.MAP_ANONYMOUS
RW = A.PROT_READ | A.PROT_WRITE


def maps_entry(address: int) -> str | None:
    """The /proc/self/maps line of the mapping that contains *address*, or None."""
    for line in pathlib.Path("/proc/self/maps").read_text().splitlines():
        start, end = (int(x, 16) for x in line.split()[0].split("-"))
        if start <= address < end:
            return line
    return None


def perms(address: int) -> str | None:
    """The permission column (e.g. ``rw-p``) of the mapping holding *address*."""
    line = maps_entry(address)
    return None if line is None else line.split()[1]


def smaps_field(address: int, field: str) -> int:
    """A kB field (``Locked``, ``Rss``) of the smaps entry holding *address*, in bytes."""
    inside = False
    for line in pathlib.Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            start, end = (int(x, 16) for x in head.split("-"))
            inside = start <= address < end
        elif inside and line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for {address:#x}")


@pytest.fixture
def anon() -> Iterator[int]:
    """Two private anonymous read-write pages, unmapped afterwards."""
    address = raw.mmap(0, 2 * PAGE, RW, ANON_PRIVATE, -1, 0)
    yield address
    raw.munmap(address, 2 * PAGE)


def test_mmap_appears_and_munmap_removes() -> None:
    """An anonymous mapping shows in /proc/self/maps as rw-p, and is gone after munmap."""
    address = raw.mmap(0, 3 * PAGE, RW, ANON_PRIVATE, -1, 0)
    try:
        assert address % PAGE == 0
        line = maps_entry(address)
        assert line is not None and line.split()[1] == "rw-p"
        assert perms(address + 3 * PAGE - 1) == "rw-p"
    finally:
        raw.munmap(address, 3 * PAGE)
    assert maps_entry(address) is None


def test_mmap_shared_anonymous_is_shared() -> None:
    """MAP_SHARED|MAP_ANON shows an 's' mapping, and a forked child's write reaches the parent."""
    address = raw.mmap(0, PAGE, RW, A.MAP_SHARED | A.MAP_ANONYMOUS, -1, 0)
    try:
        assert perms(address) == "rw-s"
        view = raw.memory_view(address, PAGE, readonly=False)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            view[0:5] = b"child"
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert bytes(view[0:5]) == b"child"
        view.release()
    finally:
        raw.munmap(address, PAGE)


def test_mprotect_changes_permissions(anon: int) -> None:
    """mprotect shows in /proc/self/maps, page by page."""
    raw.mprotect(anon, PAGE, A.PROT_READ)
    assert perms(anon) == "r--p"
    assert perms(anon + PAGE) == "rw-p"
    raw.mprotect(anon + PAGE, PAGE, A.PROT_NONE)
    assert perms(anon + PAGE) == "---p"
    raw.mprotect(anon, 2 * PAGE, RW)
    assert perms(anon) == "rw-p" and perms(anon + PAGE) == "rw-p"


def test_mprotect_unaligned_is_einval(anon: int) -> None:
    """The kernel refuses an address that is not page aligned."""
    with pytest.raises(OSError) as info:
        raw.mprotect(anon + 1, PAGE, A.PROT_READ)
    assert info.value.errno == errno.EINVAL


def test_msync_shared_file_reaches_the_file(tmp_path: pathlib.Path) -> None:
    """Bytes written to a shared file mapping are in the file after msync (seen by os.pread)."""
    path = tmp_path / "f"
    path.write_bytes(b"\0" * PAGE)
    fd = os.open(path, os.O_RDWR)
    try:
        address = raw.mmap(0, PAGE, RW, A.MAP_SHARED, fd, 0)
        try:
            view = raw.memory_view(address, PAGE, readonly=False)
            view[100:105] = b"hello"
            view.release()
            raw.msync(address, PAGE, A.MS_SYNC)
            assert os.pread(fd, 5, 100) == b"hello"
        finally:
            raw.munmap(address, PAGE)
    finally:
        os.close(fd)
    assert path.read_bytes()[100:105] == b"hello"


def test_private_file_mapping_never_reaches_the_file(tmp_path: pathlib.Path) -> None:
    """A MAP_PRIVATE file mapping is copy-on-write: msync leaves the file as it was."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * PAGE)
    fd = os.open(path, os.O_RDONLY)
    try:
        address = raw.mmap(0, PAGE, RW, A.MAP_PRIVATE, fd, 0)
        try:
            view = raw.memory_view(address, PAGE, readonly=False)
            assert bytes(view[:3]) == b"xxx"
            view[:3] = b"abc"
            assert bytes(view[:3]) == b"abc"
            view.release()
            raw.msync(address, PAGE, A.MS_SYNC)
            assert os.pread(fd, 3, 0) == b"xxx"
        finally:
            raw.munmap(address, PAGE)
    finally:
        os.close(fd)


def test_mmap_shared_writable_on_readonly_fd_is_permission_error(tmp_path: pathlib.Path) -> None:
    """A shared writable map of a descriptor opened read-only fails with EACCES."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * PAGE)
    fd = os.open(path, os.O_RDONLY)
    try:
        with pytest.raises(PermissionError):
            raw.mmap(0, PAGE, RW, A.MAP_SHARED, fd, 0)
    finally:
        os.close(fd)


def test_mmap_bad_descriptor_and_zero_length() -> None:
    """mmap reports EBADF for a closed descriptor and EINVAL for length 0."""
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info:
        raw.mmap(0, PAGE, A.PROT_READ, A.MAP_SHARED, r, 0)
    assert info.value.errno == errno.EBADF
    with pytest.raises(OSError) as info:
        raw.mmap(0, 0, A.PROT_READ, ANON_PRIVATE, -1, 0)
    assert info.value.errno == errno.EINVAL


def test_mlock_munlock(anon: int) -> None:
    """mlock makes smaps count the pages as Locked; munlock clears it."""
    assert smaps_field(anon, "Locked") == 0
    try:
        raw.mlock(anon, 2 * PAGE)
    except OSError as exc:  # pragma: no cover - depends on RLIMIT_MEMLOCK
        if exc.errno in (errno.ENOMEM, errno.EPERM, errno.EAGAIN):
            pytest.skip(f"RLIMIT_MEMLOCK too small to lock two pages: {exc}")
        raise
    assert smaps_field(anon, "Locked") == 2 * PAGE
    raw.munlock(anon, 2 * PAGE)
    assert smaps_field(anon, "Locked") == 0


def test_mlock_unmapped_is_enomem(anon: int) -> None:
    """Locking a range that is not mapped raises ENOMEM."""
    raw.munmap(anon + PAGE, PAGE)  # the fixture's munmap of both pages still succeeds
    with pytest.raises(OSError) as info:
        raw.mlock(anon + PAGE, PAGE)
    assert info.value.errno == errno.ENOMEM


def _vmlck() -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmLck:"):
            return int(line.split()[1])
    raise AssertionError("no VmLck in /proc/self/status")


def test_mlockall_munlockall_in_child() -> None:
    """mlockall(MCL_CURRENT) locks the process (VmLck > 0) and munlockall undoes it.

    Runs in a forked child that exits with a code: locking all of the test
    process's memory would outlive the test.
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            try:
                raw.mlockall(A.MCL_CURRENT)
            except OSError as exc:
                code = 3 if exc.errno in (errno.ENOMEM, errno.EPERM, errno.EAGAIN) else 4
            else:
                locked = _vmlck()
                raw.munlockall()
                code = 0 if locked > 0 and _vmlck() == 0 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 3:
        pytest.skip("RLIMIT_MEMLOCK too small for mlockall(MCL_CURRENT)")
    assert code == 0


def test_mlockall_bad_flags() -> None:
    """mlockall with no valid flag bits is EINVAL; out of range flags OverflowError."""
    with pytest.raises(OSError) as info:
        raw.mlockall(0)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(OverflowError):
        raw.mlockall(2**31)


def test_madvise_dontneed_zeroes_private_pages(anon: int) -> None:
    """MADV_DONTNEED on private anonymous memory discards it: it reads back as zeros."""
    view = raw.memory_view(anon, 2 * PAGE, readonly=False)
    view[:4] = b"data"
    raw.madvise(anon, 2 * PAGE, A.MADV_DONTNEED)
    assert bytes(view[:4]) == b"\0\0\0\0"
    view.release()


def test_madvise_unknown_advice_is_einval(anon: int) -> None:
    """The kernel rejects advice it does not know."""
    with pytest.raises(OSError) as info:
        raw.madvise(anon, PAGE, 12345)
    assert info.value.errno == errno.EINVAL


def test_memory_view_shape_and_readonly(anon: int) -> None:
    """memory_view gives a flat 'B' view with no exporter; read-only views refuse writes."""
    rw = raw.memory_view(anon, 2 * PAGE, readonly=False)
    ro = raw.memory_view(anon, 2 * PAGE, readonly=True)
    try:
        assert (rw.format, rw.ndim, rw.nbytes, rw.readonly) == ("B", 1, 2 * PAGE, False)
        assert rw.obj is None and ro.obj is None and ro.readonly
        rw[PAGE] = 42
        assert ro[PAGE] == 42
        with pytest.raises(TypeError):
            ro[0] = 1
    finally:
        rw.release()
        ro.release()


def test_no_mapping_leak_over_many_cycles() -> None:
    """Thousands of mmap/munmap cycles leave /proc/self/maps as it was."""
    before = len(pathlib.Path("/proc/self/maps").read_text().splitlines())
    for i in range(2000):
        address = raw.mmap(0, PAGE * (1 + i % 4), RW, ANON_PRIVATE, -1, 0)
        raw.munmap(address, PAGE * (1 + i % 4))
    after = len(pathlib.Path("/proc/self/maps").read_text().splitlines())
    assert after == before


def test_munmap_unaligned_is_einval(anon: int) -> None:
    """munmap of an address that is not page aligned is EINVAL and unmaps nothing."""
    with pytest.raises(OSError) as info:
        raw.munmap(anon + 1, PAGE)
    assert info.value.errno == errno.EINVAL
    assert perms(anon) == "rw-p"


LENGTH_CALLS = [
    lambda n: raw.mmap(0, n, 3, ANON_PRIVATE, -1, 0),
    lambda n: raw.munmap(PAGE, n),
    lambda n: raw.mprotect(PAGE, n, 0),
    lambda n: raw.msync(PAGE, n, 0),
    lambda n: raw.mlock(PAGE, n),
    lambda n: raw.munlock(PAGE, n),
    lambda n: raw.madvise(PAGE, n, 0),
    lambda n: raw.memory_view(PAGE, n, True),
]


@pytest.mark.parametrize("call", LENGTH_CALLS)
@given(n=st.integers(max_value=-1))
def test_negative_length_is_value_error(call: object, n: int) -> None:
    """A negative length raises ValueError before any C call."""
    with pytest.raises(ValueError):
        call(n)  # type: ignore[operator]


@pytest.mark.parametrize("call", LENGTH_CALLS)
@given(n=st.integers(min_value=2**63))
def test_huge_length_is_overflow_error(call: object, n: int) -> None:
    """A length beyond SSIZE_MAX raises OverflowError before any C call."""
    with pytest.raises(OverflowError):
        call(n)  # type: ignore[operator]


ADDRESS_CALLS = [
    lambda a: raw.mmap(a, PAGE, 3, ANON_PRIVATE, -1, 0),
    lambda a: raw.munmap(a, PAGE),
    lambda a: raw.mprotect(a, PAGE, 0),
    lambda a: raw.msync(a, PAGE, 0),
    lambda a: raw.mlock(a, PAGE),
    lambda a: raw.munlock(a, PAGE),
    lambda a: raw.madvise(a, PAGE, 0),
    lambda a: raw.memory_view(a, PAGE, True),
]


@pytest.mark.parametrize("call", ADDRESS_CALLS)
@given(a=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**64)))
def test_address_outside_uintptr_is_overflow_error(call: object, a: int) -> None:
    """An address that does not fit uintptr_t raises OverflowError."""
    with pytest.raises(OverflowError):
        call(a)  # type: ignore[operator]


@given(v=st.one_of(st.integers(max_value=-(2**31) - 1), st.integers(min_value=2**31)))
def test_int_arguments_out_of_range(v: int) -> None:
    """prot, flags, fd, advice out of the C int range raise OverflowError; offset out of off_t too."""
    for call in (
        lambda: raw.mmap(0, PAGE, v, ANON_PRIVATE, -1, 0),
        lambda: raw.mmap(0, PAGE, 3, v, -1, 0),
        lambda: raw.mmap(0, PAGE, 3, ANON_PRIVATE, v, 0),
        lambda: raw.mprotect(PAGE, PAGE, v),
        lambda: raw.msync(PAGE, PAGE, v),
        lambda: raw.madvise(PAGE, PAGE, v),
        lambda: raw.mlockall(v),
    ):
        with pytest.raises(OverflowError):
            call()
    with pytest.raises(OverflowError):
        raw.mmap(0, PAGE, 3, ANON_PRIVATE, -1, v * 2**33)


@pytest.mark.parametrize("bad", [1.0, "1", None, b"1"])
def test_wrong_types_are_type_errors(bad: object) -> None:
    """Non-integers are refused with TypeError instead of being passed to C."""
    with pytest.raises(TypeError):
        raw.mmap(0, bad, 3, ANON_PRIVATE, -1, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        raw.mprotect(bad, PAGE, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        raw.mlockall(bad)  # type: ignore[arg-type]


def test_readme_names_exactly_the_unsafe_raw_calls() -> None:
    """The README's exception to "no Python input crashes the interpreter" lists every raw call marked unsafe."""
    import inspect
    import pathlib
    import re

    import macres

    readme = (pathlib.Path(macres.__file__).resolve().parents[2] / "README.md").read_text()
    [paragraph] = [p for p in readme.split("\n\n") if "marked *unsafe*" in p]
    listed = set(re.findall(r"`raw\.(\w+)`", paragraph))
    marked = {
        name
        for name in raw.__all__
        if inspect.isfunction(getattr(raw, name)) and "Safety: unsafe" in (getattr(raw, name).__doc__ or "")
    }
    assert listed == marked
