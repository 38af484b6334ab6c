"""Tests for macres.MappedRegion: contents against a bytearray model, files against os.pread,
permissions against /proc/self/maps, and the view tracking that keeps Python from crashing."""

from __future__ import annotations

import ctypes
import errno
import gc
import mmap as stdlib_mmap
import os
import pathlib
import pickle
import random
import resource
import shutil
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable, Iterator

import pytest
from _support import no_warnings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

import macres
from macres import ClosedResourceError, MappedRegion, memory, raw

PAGE = stdlib_mmap.PAGESIZE
R, W, RW, NONE = macres.PROT_READ, macres.PROT_WRITE, macres.PROT_READ | macres.PROT_WRITE, macres.PROT_NONE


def perms(address: int) -> str | None:
    """The permission column of the /proc/self/maps line holding *address*, or None."""
    for line in pathlib.Path("/proc/self/maps").read_text().splitlines():
        start, end = (int(x, 16) for x in line.split()[0].split("-"))
        if start <= address < end:
            return line.split()[1]
    return None


def locked_bytes(address: int) -> int:
    """The smaps ``Locked`` size of the mapping holding *address*."""
    inside = False
    for line in pathlib.Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            start, end = (int(x, 16) for x in head.split("-"))
            inside = start <= address < end
        elif inside and line.startswith("Locked:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"{address:#x} is not mapped")


@pytest.fixture
def region() -> Iterator[MappedRegion]:
    """A private anonymous read-write region of three pages and a bit."""
    with MappedRegion.anonymous(3 * PAGE + 100) as r:
        yield r


@pytest.fixture
def datafile(tmp_path: pathlib.Path) -> pathlib.Path:
    """A file of three pages of known bytes."""
    path = tmp_path / "data"
    path.write_bytes(bytes(range(256)) * (3 * PAGE // 256))
    return path


# -- basics --------------------------------------------------------------------
def test_anonymous_is_zeroed_mapped_and_unmapped_on_close() -> None:
    """A new region reads zeros, shows rw-p in /proc/self/maps, and close() unmaps it."""
    r = MappedRegion.anonymous(5000)
    address = r.address
    assert len(r) == 5000 and r.page_size == PAGE and r.prot == RW
    assert r[0:5000] == bytes(5000)
    assert perms(address) == "rw-p"
    assert memory.live_mappings()[address] == 2 * PAGE
    r.close()
    assert r.closed and perms(address) is None and address not in memory.live_mappings()
    r.close()  # idempotent


def test_shared_anonymous_is_seen_by_forked_child() -> None:
    """shared=True maps MAP_SHARED memory: a child's write reaches the parent."""
    with MappedRegion.anonymous(PAGE, shared=True) as r:
        assert perms(r.address) == "rw-s"
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            r[0:5] = b"child"
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert r[0:5] == b"child"


def test_private_anonymous_is_not_shared_with_child() -> None:
    """A private region is copy-on-write across fork."""
    with MappedRegion.anonymous(PAGE) as r:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            r[0:5] = b"child"
            os._exit(0 if r[0:5] == b"child" else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert r[0:5] == bytes(5)


@pytest.mark.parametrize("size", [0, -1])
def test_anonymous_bad_size(size: int) -> None:
    """Size 0 or negative is a ValueError."""
    with pytest.raises(ValueError):
        MappedRegion.anonymous(size)


def test_anonymous_huge_size_and_bad_prot() -> None:
    """A size beyond SSIZE_MAX is an OverflowError; unknown protection bits a ValueError."""
    with pytest.raises(OverflowError):
        MappedRegion.anonymous(2**64)
    with pytest.raises(ValueError):
        MappedRegion.anonymous(PAGE, prot=0x1000)
    with pytest.raises(ValueError):
        MappedRegion.anonymous(PAGE, prot=-1)


def test_no_public_constructor_and_no_pickling(region: MappedRegion) -> None:
    """MappedRegion() cannot adopt an arbitrary address; pickling is refused."""
    with pytest.raises(TypeError):
        MappedRegion()
    with pytest.raises(TypeError):
        pickle.dumps(region)


def test_indexing(region: MappedRegion) -> None:
    """region[i] gives ints, negative indices count from the end, out of range is IndexError."""
    region[0] = 7
    region[-1] = 9
    assert region[0] == 7 and region[len(region) - 1] == 9 and region[-1] == 9
    with pytest.raises(IndexError):
        region[len(region)]
    with pytest.raises(IndexError):
        region[len(region)] = 1
    with pytest.raises(ValueError):
        region[0] = 256
    with pytest.raises(ValueError):
        region[0:3] = b"ab"
    region[0:8] = memoryview(bytearray(b"12345678")).cast("I")  # any contiguous buffer
    assert region[0:8] == b"12345678"


# -- contents against a model ------------------------------------------------------
SIZE = 2 * PAGE + 123


@given(writes=st.lists(st.tuples(st.integers(0, SIZE - 1), st.binary(min_size=1, max_size=600)), max_size=20))
def test_random_writes_read_back(writes: list[tuple[int, bytes]]) -> None:
    """Writes of random bytes at random offsets read back equal, as in a bytearray model."""
    model = bytearray(SIZE)
    with MappedRegion.anonymous(SIZE) as r:
        for offset, written in writes:
            data = written[: SIZE - offset]
            r[offset : offset + len(data)] = data
            model[offset : offset + len(data)] = data
            assert r[offset : offset + len(data)] == data
        assert r[:] == bytes(model)


@given(
    seed=st.integers(0, 2**32),
    start=st.none() | st.integers(-SIZE - 5, SIZE + 5),
    stop=st.none() | st.integers(-SIZE - 5, SIZE + 5),
    step=st.none() | st.integers(-300, 300).filter(bool),
)
def test_slices_agree_with_bytearray(seed: int, start: int | None, stop: int | None, step: int | None) -> None:
    """Any slice (negative, stepped, out of range) gives what a bytearray gives; so does assignment."""
    data = random.Random(seed).randbytes(SIZE)
    model = bytearray(data)
    with MappedRegion.anonymous(SIZE) as r:
        r[:] = data
        key = slice(start, stop, step)
        assert r[key] == bytes(model[key])
        replacement = bytes(reversed(model[key]))
        r[key] = replacement
        model[key] = replacement
        assert r[:] == bytes(model)


@given(seed=st.integers(0, 2**32), a=st.integers(0, SIZE), b=st.integers(0, SIZE))
def test_views_agree_with_slices(seed: int, a: int, b: int) -> None:
    """view(a, b) shows the same bytes as region[a:b], and writes through it are seen by slicing."""
    data = random.Random(seed).randbytes(SIZE)
    a, b = min(a, b), max(a, b)
    with MappedRegion.anonymous(SIZE) as r:
        r[:] = data
        with r.view(a, b) as v:
            assert v.tobytes() == r[a:b] and len(v) == b - a and not v.readonly
            if b > a:
                v[0] ^= 0xFF
                assert r[a] == data[a] ^ 0xFF


def test_view_range_checks(region: MappedRegion) -> None:
    """view() outside the region or reversed is a ValueError."""
    for start, stop in [(0, len(region) + 1), (10, 5), (-1, 5)]:
        with pytest.raises(ValueError):
            region.view(start, stop)


# -- files ----------------------------------------------------------------------------
def test_shared_file_msync_reaches_the_file(datafile: pathlib.Path) -> None:
    """Writes to a shared file mapping are visible through os.pread after msync."""
    fd = os.open(datafile, os.O_RDWR)
    try:
        with MappedRegion.from_file(fd) as r:
            assert len(r) == 3 * PAGE and r.prot == RW and r.shared
            assert r[0:4] == bytes([0, 1, 2, 3])
            r[PAGE + 10 : PAGE + 15] = b"hello"
            r.msync()
            assert os.pread(fd, 5, PAGE + 10) == b"hello"
            with r.view(2 * PAGE, 2 * PAGE + 3) as v:
                v[:] = b"abc"
            r.msync(macres.MS_ASYNC, 2 * PAGE + 1, 2)  # unaligned ranges are widened
            r.msync(macres.MS_SYNC, 2 * PAGE, PAGE)
            assert os.pread(fd, 3, 2 * PAGE) == b"abc"
    finally:
        os.close(fd)


def test_private_file_mapping_never_reaches_the_file(datafile: pathlib.Path) -> None:
    """A private mapping is copy-on-write: writes, msync and close leave the file unchanged."""
    before = datafile.read_bytes()
    fd = os.open(datafile, os.O_RDONLY)
    try:
        with MappedRegion.from_file(fd, shared=False) as r:
            assert r.prot == RW  # private maps of a read-only descriptor may be written
            r[0:10] = b"x" * 10
            r.msync()
            assert r[0:10] == b"x" * 10
            assert os.pread(fd, 10, 0) == before[:10]
    finally:
        os.close(fd)
    assert datafile.read_bytes() == before


def test_file_size_offset_rules(datafile: pathlib.Path) -> None:
    """size None maps to the end; the offset must be page aligned; size 0 or past the end is refused."""
    fd = os.open(datafile, os.O_RDWR)
    try:
        with MappedRegion.from_file(fd, offset=PAGE) as r:
            assert len(r) == 2 * PAGE and r[0] == os.pread(fd, 1, PAGE)[0]
        with MappedRegion.from_file(fd, size=10, offset=2 * PAGE) as r:
            assert len(r) == 10 and r[:] == os.pread(fd, 10, 2 * PAGE)
        for kwargs in (
            {"offset": 1},
            {"offset": -PAGE},
            {"size": 0},
            {"size": 3 * PAGE + 1},
            {"size": PAGE + 1, "offset": 2 * PAGE},
            {"offset": 3 * PAGE},
            {"offset": 4 * PAGE},
        ):
            with pytest.raises(ValueError):
                MappedRegion.from_file(fd, **kwargs)  # type: ignore[arg-type]
    finally:
        os.close(fd)


def test_empty_file_and_non_regular_file(tmp_path: pathlib.Path) -> None:
    """An empty file has nothing to map; a pipe needs a size and then fails with ENODEV."""
    (tmp_path / "empty").write_bytes(b"")
    fd = os.open(tmp_path / "empty", os.O_RDWR)
    try:
        with pytest.raises(ValueError):
            MappedRegion.from_file(fd)
    finally:
        os.close(fd)
    r, w = os.pipe()
    try:
        with pytest.raises(ValueError):
            MappedRegion.from_file(r)
        with pytest.raises(OSError) as info:
            MappedRegion.from_file(r, size=PAGE)
        assert info.value.errno in (errno.ENODEV, errno.EACCES, errno.EINVAL)
    finally:
        os.close(r)
        os.close(w)


def test_read_only_descriptor_gives_read_only_shared_region(datafile: pathlib.Path) -> None:
    """A shared map of an O_RDONLY descriptor defaults to PROT_READ: writes and writable views refused."""
    fd = os.open(datafile, os.O_RDONLY)
    try:
        with MappedRegion.from_file(fd) as r:
            assert r.prot == R and perms(r.address) == "r--s"
            with pytest.raises(PermissionError):
                r[0] = 1
            with r.view() as v:
                assert v.readonly
            with pytest.raises(PermissionError):
                r.mprotect(RW)  # the kernel: the descriptor was not open for writing
        with pytest.raises(PermissionError):
            MappedRegion.from_file(fd, prot=RW)
    finally:
        os.close(fd)


def test_region_outlives_its_file_descriptor(datafile: pathlib.Path) -> None:
    """A FileDescriptor (or any fileno() object) can be closed; the mapping keeps the file."""
    fd = macres.open(datafile, "r+")
    with fd:
        r = MappedRegion.from_file(fd)
    assert fd.closed
    with r:
        r[0:3] = b"xyz"
        r.msync()
        assert datafile.read_bytes()[:3] == b"xyz"
    with open(datafile, "rb") as f, MappedRegion.from_file(f) as r2:
        assert r2[0:3] == b"xyz"
    with pytest.raises(ClosedResourceError):
        MappedRegion.from_file(fd)


# -- the views' safety ----------------------------------------------------------------
DERIVED: dict[str, Callable[[memoryview], object]] = {
    "view itself": lambda v: v,
    "slice": lambda v: v[10:20],
    "slice of slice": lambda v: v[10:20][2:4],
    "cast": lambda v: v.cast("I"),
    "memoryview(view)": lambda v: memoryview(v),
    "toreadonly": lambda v: v.toreadonly(),
    "PickleBuffer": lambda v: pickle.PickleBuffer(v[1:5]),
    "ctypes from_buffer": lambda v: (ctypes.c_char * 8).from_buffer(v[8:16]),
    "PickleBuffer raw": lambda v: pickle.PickleBuffer(v).raw(),
}


@pytest.mark.parametrize("kind", sorted(DERIVED))
def test_any_derived_buffer_keeps_the_mapping_until_dropped(kind: str) -> None:
    """Whatever is made from a view blocks a permission-removing mprotect and, after close(), keeps the mapping.

    close() closes the region at once (its operations raise ClosedResourceError)
    and the munmap waits until the derived buffer is gone.
    """
    r = MappedRegion.anonymous(PAGE)
    address = r.address
    view = r.view()
    derived = DERIVED[kind](view)
    del view
    with pytest.raises(BufferError):
        r.mprotect(R)
    r.close()
    assert r.closed
    with pytest.raises(ClosedResourceError):
        r[0]
    assert address in memory.live_mappings() and perms(address) == "rw-p"
    del derived
    gc.collect()  # ctypes' from_buffer keeps its buffer in a reference cycle
    assert address not in memory.live_mappings()


@pytest.mark.parametrize("kind", ["slice", "cast", "memoryview(view)", "toreadonly"])
def test_released_derived_views_do_not_hold_the_region(kind: str) -> None:
    """Views released with release() (still referenced) no longer block mprotect nor keep the mapping."""
    r = MappedRegion.anonymous(PAGE)
    address = r.address
    view = r.view()
    derived = DERIVED[kind](view)
    view.release()
    with pytest.raises(BufferError):
        r.mprotect(R)
    assert isinstance(derived, memoryview)
    derived.release()
    r.mprotect(R)
    r.close()
    assert r.closed and view is not None and derived is not None
    assert address not in memory.live_mappings()


def test_copies_do_not_block_close(region: MappedRegion) -> None:
    """bytes(view) and bytearray(view) are copies: they do not keep the region open."""
    with region.view() as v:
        copies = (bytes(v), bytearray(v), v.tobytes(), v.tolist())
    region.close()
    assert len(copies[0]) == len(copies[1]) == 3 * PAGE + 100


def test_view_exposes_no_way_around_the_protection(region: MappedRegion) -> None:
    """Nothing reachable from a read-only view can write: its exporter (if any) gives read-only buffers too."""
    region.mprotect(R)
    with region.view() as v:
        assert v.readonly
        with pytest.raises(TypeError):
            v[0] = 1
        with pytest.raises(TypeError):
            (ctypes.c_char * 1).from_buffer(v)
        exporter = v.obj  # None in the pure core; the compiled core's exporter of this view
        if exporter is not None:
            with pytest.raises((TypeError, BufferError)):
                (ctypes.c_char * 1).from_buffer(exporter)
            with memoryview(exporter) as again:
                assert again.readonly


def test_close_with_live_view_then_release() -> None:
    """close() with a live view closes the region at once; the view works until released, then the unmap."""
    r = MappedRegion.anonymous(PAGE)
    address = r.address
    v = r.view()
    r.close()
    assert r.closed
    with pytest.raises(ClosedResourceError):
        r[0]
    with pytest.raises(ClosedResourceError):
        r.view()
    v[0] = 42
    assert v[0] == 42 and address in memory.live_mappings()
    v.release()
    assert address not in memory.live_mappings()
    with pytest.raises(ValueError):
        v[0]


@pytest.mark.parametrize("derived", ["view", "slice", "ctypes"])
def test_with_block_exception_is_never_replaced(derived: str) -> None:
    """A with block that raises while a view is alive propagates its own exception unchanged.

    The region closes at the end of the block; the munmap waits for the
    view (the kernel's /proc/self/maps still lists the pages) and happens
    when it is released.
    """
    error = KeyError("the body's own error")
    keep: list[object] = []
    with pytest.raises(KeyError) as info:
        with MappedRegion.anonymous(PAGE) as r:
            address = r.address
            v = r.view()
            if derived == "slice":
                keep.append(v[1:10])
                v.release()
            elif derived == "ctypes":
                keep.append((ctypes.c_char * 10).from_buffer(v))
            raise error
    assert info.value is error and error.__context__ is None and error.__cause__ is None
    assert r.closed
    assert perms(address) is not None and address in memory.live_mappings()
    keep.clear()
    v.release()
    assert address not in memory.live_mappings()  # the pure core unmaps here, at its sweep
    assert perms(address) is None


def test_mprotect_refused_while_views_need_the_permission(region: MappedRegion) -> None:
    """A writable view blocks dropping PROT_WRITE; any view blocks dropping PROT_READ; others pass."""
    v = region.view(0, PAGE)
    with pytest.raises(BufferError):
        region.mprotect(R)
    with pytest.raises(BufferError):
        region.mprotect(NONE, 0, PAGE)
    assert perms(region.address) == "rw-p"
    region.mprotect(R, PAGE, PAGE)  # a page the view does not cover
    assert perms(region.address + PAGE) == "r--p"
    region.mprotect(RW | macres.PROT_EXEC, 0, PAGE)  # adding is always fine
    region.mprotect(RW, 0, PAGE)
    v.release()
    region.mprotect(R, 0, PAGE)
    with region.view(0, PAGE) as ro:
        assert ro.readonly
        region.mprotect(RW, 0, PAGE)
        region.mprotect(R, 0, PAGE)  # a read-only view only needs PROT_READ
        with pytest.raises(BufferError):
            region.mprotect(NONE, 0, PAGE)


def test_an_empty_view_blocks_no_mprotect(region: MappedRegion) -> None:
    """A view of no bytes reaches no page: dropping every permission under it goes ahead."""
    with region.view(5, 5) as empty:
        assert empty.nbytes == 0
        region.mprotect(NONE, 0, PAGE)
        assert perms(region.address) == "---p"
    region.mprotect(RW, 0, PAGE)


def test_protection_is_enforced_on_access(region: MappedRegion) -> None:
    """Reads and writes the protection forbids raise PermissionError instead of touching memory."""
    region[0:3] = b"abc"
    region.mprotect(R)
    assert perms(region.address) == "r--p" and region.prot == R
    assert region[0:3] == b"abc"
    with pytest.raises(PermissionError):
        region[0] = 1
    with pytest.raises(PermissionError):
        region[0:3] = b"xyz"
    assert region.view().readonly
    gc.collect()
    region.mprotect(NONE)
    assert perms(region.address) == "---p" and region.prot == NONE
    with pytest.raises(PermissionError):
        region[0]
    with pytest.raises(PermissionError):
        region[0:1]
    with pytest.raises(PermissionError):
        region.view()
    region[5:5] = b""  # touching nothing is allowed
    assert region[5:5] == b"" and len(region.view(7, 7)) == 0
    region.mprotect(W)
    with pytest.raises(PermissionError):
        region[0]
    region[0] = 1
    region.mprotect(RW)
    assert region[0:3] == b"\x01bc"


def test_mixed_page_protection(region: MappedRegion) -> None:
    """With pages protected differently, access is checked page by page."""
    region.mprotect(NONE, PAGE, PAGE)
    assert perms(region.address + PAGE) == "---p"
    assert region.prot == NONE  # what every page allows
    region[0:PAGE] = b"a" * PAGE
    region[2 * PAGE :] = b"b" * (PAGE + 100)
    assert region[PAGE - 1] == ord("a") and region[2 * PAGE] == ord("b")
    for key in (slice(PAGE - 1, PAGE + 1), slice(0, None), PAGE, -2 * PAGE - 1, slice(None, None, -1)):
        with pytest.raises(PermissionError):
            region[key]
    with pytest.raises(PermissionError):  # a stepped slice is checked over its whole span
        region[0 : 3 * PAGE : 2 * PAGE]
    assert region[3 * PAGE + 50 : 2 * PAGE - 1 : -PAGE] == b"bb"
    with pytest.raises(PermissionError):
        region.view(PAGE - 1, PAGE + 1)
    with region.view(2 * PAGE) as v:
        assert not v.readonly and v[0] == ord("b")
    region.mprotect(R, 2 * PAGE)  # to the end: the length need not be whole pages
    assert region.prot == NONE
    with region.view(2 * PAGE) as v:
        assert v.readonly
    region.mprotect(RW)
    assert region.prot == RW and region[PAGE] == 0


def test_mprotect_range_checks(region: MappedRegion) -> None:
    """mprotect needs page-aligned offsets and whole pages (except up to the end), inside the region."""
    for offset, length in [(1, PAGE), (0, 10), (0, len(region) + 1), (4 * PAGE, None), (-PAGE, None)]:
        with pytest.raises(ValueError):
            region.mprotect(R, offset, length)
    assert perms(region.address) == "rw-p"
    region.mprotect(R, len(region), 0)  # empty range: nothing to do
    with pytest.raises(ValueError):
        region.mprotect(macres.raw.ABI.PROT_GROWSDOWN | R)


SURVIVE = """
import os, sys
import macres
r = macres.MappedRegion.anonymous(4096)
r.mprotect(macres.PROT_READ)
try:
    r[0] = 1
except PermissionError:
    pass
else:
    sys.exit(2)
r.mprotect(macres.PROT_NONE)
for attempt in (lambda: r[0], lambda: r[0:10], lambda: r.view()):
    try:
        attempt()
    except PermissionError:
        pass
    else:
        sys.exit(3)
v = None
r.mprotect(macres.PROT_READ | macres.PROT_WRITE)
v = r.view()
try:
    r.mprotect(macres.PROT_READ)
except BufferError:
    pass
else:
    sys.exit(4)
r.close()
v[0] = 7  # closed, but the mapping stays while the view lives
if v[0] != 7:
    sys.exit(5)
del v
print("survived")
"""


def test_forbidden_access_never_kills_the_interpreter() -> None:
    """In a fresh interpreter, writes to read-only and reads of PROT_NONE memory raise; it exits normally."""
    proc = subprocess.run(
        [sys.executable, "-c", SURVIVE], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "survived"


THREADS = """
import threading, sys
import macres
r = macres.MappedRegion.anonymous(3 * 4096)
stop = False
errors = []
def reader():
    while not stop:
        for key in (slice(0, 100), 5000, slice(None, None, 7)):
            try:
                r[key]
                r[key] = r[key]
            except PermissionError:
                pass
            except Exception as exc:
                errors.append(exc)
def protector():
    for i in range(3000):
        r.mprotect((macres.PROT_NONE, macres.PROT_READ, macres.PROT_READ | macres.PROT_WRITE)[i % 3], 4096 * (i % 2))
threads = [threading.Thread(target=reader) for _ in range(3)]
for t in threads:
    t.start()
protector()
stop = True
for t in threads:
    t.join()
r.mprotect(macres.PROT_READ | macres.PROT_WRITE)
r.close()
sys.exit(1 if errors else 0)
"""


def test_mprotect_racing_access_in_threads_never_crashes() -> None:
    """Threads reading and writing while another toggles protections only ever see PermissionError."""
    proc = subprocess.run(
        [sys.executable, "-c", THREADS], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_region_collected_with_live_view_keeps_memory_until_view_goes() -> None:
    """A region dropped while a view lives keeps the mapping for the view, warns, and unmaps after it goes."""
    r = MappedRegion.anonymous(PAGE)
    address = r.address
    v = r.view()
    v[0] = 9
    with pytest.warns(ResourceWarning):
        del r
        gc.collect()
        assert v[0] == 9 and perms(address) == "rw-p"
        assert address in memory.live_mappings()
        del v
        gc.collect()
    assert address not in memory.live_mappings()


# -- closed ---------------------------------------------------------------------------------
def test_everything_after_close_is_closed_resource_error() -> None:
    """Every operation on a closed region raises ClosedResourceError and never reaches the kernel."""
    r = MappedRegion.anonymous(PAGE)
    r.close()
    ops: list[Callable[[], object]] = [
        lambda: r[0],
        lambda: r[0:1],
        lambda: r.__setitem__(0, 1),
        lambda: r.view(),
        lambda: r.mprotect(R),
        lambda: r.msync(),
        lambda: r.mlock(),
        lambda: r.munlock(),
        lambda: r.madvise(macres.MADV_NORMAL),
        lambda: r.address,
        lambda: r.prot,
        lambda: len(r),
        lambda: r.detach(),
    ]
    for op in ops:
        with pytest.raises(ClosedResourceError):
            op()
    assert repr(r) == "<macres.MappedRegion closed>"


def test_detach_hands_the_mapping_out() -> None:
    """detach() returns the address unclosed (the caller unmaps it) and refuses while views live."""
    r = MappedRegion.anonymous(PAGE)
    with r.view():
        pass
    v = r.view()
    with pytest.raises(BufferError):
        r.detach()
    del v
    address = r.detach()
    assert r.closed and perms(address) == "rw-p" and address not in memory.live_mappings()
    raw.munmap(address, PAGE)


# -- mlock, madvise --------------------------------------------------------------------------
def test_mlock_munlock(region: MappedRegion) -> None:
    """mlock locks the region's pages (smaps Locked), munlock unlocks; offsets are widened to pages."""
    try:
        region.mlock()
    except OSError as exc:  # pragma: no cover - depends on RLIMIT_MEMLOCK
        if exc.errno in (errno.ENOMEM, errno.EPERM, errno.EAGAIN):
            pytest.skip(f"RLIMIT_MEMLOCK too small for four pages: {exc}")
        raise
    assert locked_bytes(region.address) == 4 * PAGE
    region.munlock(PAGE + 5, 10)
    assert locked_bytes(region.address) == PAGE
    region.munlock()
    assert locked_bytes(region.address) == 0
    region.mlock(PAGE + 1, 1)
    assert locked_bytes(region.address + PAGE) == PAGE
    region.munlock()
    with pytest.raises(ValueError):
        region.mlock(0, len(region) + 1)


def test_mlock_beyond_rlimit_memlock_is_the_documented_error() -> None:
    """Unprivileged, locking more than RLIMIT_MEMLOCK raises ENOMEM (EPERM with a zero limit).

    Runs in a forked child that drops to uid 65534 (root ignores the limit).
    """
    if os.geteuid() != 0:
        soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
        if soft == resource.RLIM_INFINITY:
            pytest.skip("RLIMIT_MEMLOCK is unlimited and the test cannot drop privileges")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            resource.setrlimit(resource.RLIMIT_MEMLOCK, (PAGE, PAGE))
            with MappedRegion.anonymous(64 * PAGE) as r:
                try:
                    r.mlock()
                except OSError as exc:
                    code = 0 if exc.errno in (errno.ENOMEM, errno.EAGAIN, errno.EPERM) else 2
                else:
                    code = 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_mlockall_munlockall_in_child() -> None:
    """macres.mlockall(MCL_CURRENT) locks the process, munlockall() unlocks it (in a forked child)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:

            def vmlck() -> int:
                for line in pathlib.Path("/proc/self/status").read_text().splitlines():
                    if line.startswith("VmLck:"):
                        return int(line.split()[1])
                return -1

            try:
                macres.mlockall(macres.MCL_CURRENT)
            except OSError:
                code = 3
            else:
                locked = vmlck()
                macres.munlockall()
                code = 0 if locked > 0 and vmlck() == 0 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 3:
        pytest.skip("RLIMIT_MEMLOCK too small for mlockall(MCL_CURRENT)")
    assert code == 0


def test_madvise(region: MappedRegion) -> None:
    """MADV_DONTNEED discards private pages (they read as zeros); unsafe or unknown advice is refused."""
    region[0:4] = b"data"
    region[PAGE : PAGE + 4] = b"keep"
    region.madvise(macres.MADV_WILLNEED)
    region.madvise(macres.MADV_DONTNEED, 0, PAGE)
    assert region[0:4] == bytes(4) and region[PAGE : PAGE + 4] == b"keep"
    for advice in ("MADV_DONTFORK", "MADV_HWPOISON", "MADV_GUARD_INSTALL"):
        if hasattr(raw.ABI, advice):
            with pytest.raises(ValueError):
                region.madvise(getattr(raw.ABI, advice))
    with pytest.raises(ValueError):
        region.madvise(12345)
    with pytest.raises(ValueError):
        region.madvise(macres.MADV_DONTNEED, 1, PAGE)
    with pytest.raises(ValueError):
        region.madvise(macres.MADV_DONTNEED, 0, 100)  # would discard the whole page
    region.madvise(macres.MADV_DONTNEED, 3 * PAGE)  # the tail up to the end is fine
    assert region[PAGE : PAGE + 4] == b"keep"


def test_msync_bad_flags(datafile: pathlib.Path) -> None:
    """msync with contradictory flags is the kernel's EINVAL."""
    fd = os.open(datafile, os.O_RDWR)
    try:
        with MappedRegion.from_file(fd) as r:
            with pytest.raises(OSError) as info:
                r.msync(macres.MS_SYNC | macres.MS_ASYNC)
            assert info.value.errno == errno.EINVAL
            with pytest.raises(ValueError):
                r.msync(macres.MS_SYNC, 0, 4 * PAGE)
    finally:
        os.close(fd)


# -- no leaks --------------------------------------------------------------------------------
def test_thousands_of_regions_leave_no_mapping() -> None:
    """Creating, using, viewing and closing thousands of regions leaves /proc/self/maps as it was."""
    gc.collect()
    before = len(pathlib.Path("/proc/self/maps").read_text().splitlines())
    live_before = memory.live_mappings()
    for i in range(3000):
        r = MappedRegion.anonymous(PAGE * (1 + i % 3), shared=bool(i % 2))
        r[0] = i % 256
        if i % 5 == 0:
            with r.view() as v:
                v[1] = 1
        if i % 7 == 0:
            r.mprotect(R)
        r.close()
    assert memory.live_mappings() == live_before
    after = len(pathlib.Path("/proc/self/maps").read_text().splitlines())
    assert after == before


class RegionMachine(RuleBasedStateMachine):
    """Map, write, read, view, drop views, mprotect and close, against a bytearray model.

    Invariants: contents equal the model; a closed region is unmapped once
    its last view is gone, and not before; views block exactly the
    mprotect calls they should.  The bundles hold numbers, not the
    views: hypothesis keeps bundle values for its report, which would keep
    "dropped" views alive.
    """

    regions = Bundle("regions")
    views = Bundle("views")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[int, bytearray] = {}
        self.prot: dict[int, int] = {}
        self.objs: dict[int, MappedRegion] = {}
        self.live_views: dict[int, dict[int, memoryview]] = {}
        self.address: dict[int, int] = {}
        self.next = 0

    @rule(target=regions, pages=st.integers(1, 3), extra=st.integers(0, 50), shared=st.booleans())
    def map(self, pages: int, extra: int, shared: bool) -> int:
        key = self.next
        self.next += 1
        r = MappedRegion.anonymous(pages * PAGE + extra, shared=shared)
        self.objs[key], self.model[key], self.prot[key] = r, bytearray(len(r)), int(RW)
        self.live_views[key] = {}
        self.address[key] = r.address
        assert perms(r.address) == ("rw-s" if shared else "rw-p")
        return key

    @rule(key=regions, offset=st.integers(0, 4 * PAGE), data=st.binary(min_size=1, max_size=300))
    def write(self, key: int, offset: int, data: bytes) -> None:
        r = self.objs[key]
        if r.closed:
            with pytest.raises(ClosedResourceError):
                r[0:1] = b"x"
            return
        offset %= len(r)
        data = data[: len(r) - offset]
        if self.prot[key] & W:
            r[offset : offset + len(data)] = data
            self.model[key][offset : offset + len(data)] = data
        else:
            with pytest.raises(PermissionError):
                r[offset : offset + len(data)] = data

    @rule(key=regions, a=st.integers(0, 4 * PAGE), b=st.integers(0, 4 * PAGE))
    def read(self, key: int, a: int, b: int) -> None:
        r = self.objs[key]
        if r.closed:
            with pytest.raises(ClosedResourceError):
                r[a:b]
            return
        if self.prot[key] & R or a >= min(b, len(r)):
            assert r[a:b] == bytes(self.model[key][a:b])
        else:
            with pytest.raises(PermissionError):
                r[a:b]

    @rule(target=views, key=regions)
    def view(self, key: int) -> tuple[int, int]:
        r = self.objs[key]
        vid = self.next
        self.next += 1
        if r.closed:
            with pytest.raises(ClosedResourceError):
                r.view()
            return key, vid
        if not self.prot[key] & R:
            with pytest.raises(PermissionError):
                r.view()
            return key, vid
        v = r.view()
        assert v.readonly == (not self.prot[key] & W)
        assert v.tobytes() == bytes(self.model[key])
        self.live_views[key][vid] = v
        return key, vid

    @rule(item=consumes(views), how=st.sampled_from(["release", "drop", "slice-then-drop"]))
    def drop_view(self, item: tuple[int, int], how: str) -> None:
        key, vid = item
        v = self.live_views[key].pop(vid, None)
        if v is None:
            return
        if self.objs[key].closed:  # the mapping stayed for the view
            assert v.tobytes() == bytes(self.model[key])
        if how == "release":
            v.release()
        elif how == "slice-then-drop":
            s = v[1:3]
            del v
            if not self.objs[key].closed:
                with pytest.raises(BufferError):
                    self.objs[key].mprotect(int(NONE))
            del s
        else:
            del v
        if self.objs[key].closed and not self.live_views[key]:
            assert self.address[key] not in memory.live_mappings()  # no region was mapped since: views live

    @rule(key=regions, prot=st.sampled_from([int(NONE), int(R), int(W), int(RW)]))
    def mprotect(self, key: int, prot: int) -> None:
        r = self.objs[key]
        if r.closed:
            with pytest.raises(ClosedResourceError):
                r.mprotect(prot)
            return
        views = self.live_views[key].values()
        blocked = any(not prot & R or (not v.readonly and not prot & W) for v in views)
        if blocked:
            with pytest.raises(BufferError):
                r.mprotect(prot)
        else:
            r.mprotect(prot)
            self.prot[key] = prot
            expected = ("r" if prot & R else "-") + ("w" if prot & W else "-") + "-" + ("s" if r.shared else "p")
            assert perms(r.address) == expected

    @rule(key=regions)
    def close(self, key: int) -> None:
        r = self.objs[key]
        was_open = not r.closed
        r.close()
        assert r.closed
        if was_open:  # (once unmapped, the address may belong to a newer region)
            assert (self.address[key] in memory.live_mappings()) == bool(self.live_views[key])

    @invariant()
    def contents_match(self) -> None:
        for key, r in self.objs.items():
            if not r.closed and self.prot[key] & R:
                assert r[:] == bytes(self.model[key])

    def teardown(self) -> None:
        for key, r in self.objs.items():
            for v in self.live_views[key].values():
                v.release()
            self.live_views[key].clear()
            r.close()


RegionMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
test_region_machine = RegionMachine.TestCase


def test_constants_are_reexported() -> None:
    """The PROT_*, MAP_*, MS_*, MCL_*, MADV_* names both platforms share come from raw.ABI."""
    for name in memory.__all__:
        if name.isupper():
            assert getattr(macres, name) == getattr(raw.ABI, name)
    assert macres.mlockall is memory.mlockall and macres.munlockall is memory.munlockall


def test_no_warnings_from_closed_regions() -> None:
    """A region closed properly emits no ResourceWarning when collected."""
    with no_warnings():
        r = MappedRegion.anonymous(PAGE)
        r.close()
        del r
        gc.collect()


def test_view_tracking_mechanism_self_check() -> None:
    """The CPython detail the tracking rests on holds: a view's managed buffer is reachable from it."""
    script = textwrap.dedent(
        """
        import gc, sys
        v = memoryview(b"abc")
        owners = gc.get_referents(v)
        assert len(owners) == 1 and type(owners[0]).__name__ == "managedbuffer", owners
        n = sys.getrefcount(owners[0])
        s = v[1:]
        assert sys.getrefcount(owners[0]) == n + 1
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_released_view_still_bound_needs_no_heap_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """``with r.view() as v`` then close(): decided from reference counts, without gc.get_referrers."""

    def forbidden(*objs: object) -> list[object]:
        raise AssertionError("gc.get_referrers was called")

    r = MappedRegion.anonymous(PAGE)
    with r.view() as v:
        v[0] = 1
    monkeypatch.setattr(gc, "get_referrers", forbidden)
    r.close()
    assert r.closed and v is not None


def test_view_bookkeeping_stays_small() -> None:
    """Thousands of views made and dropped leave nothing behind: no memory held for them, and no count.

    Observed from outside the region: the memory Python still holds after the
    views are gone (tracemalloc), and the mapping itself (/proc/self/maps),
    which after close() lives exactly as long as the five kept views.
    """
    r = MappedRegion.anonymous(PAGE)
    address = r.address
    keep = [r.view(0, 10) for _ in range(5)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(3000):
            v = r.view(i % PAGE, PAGE)
            if i % 2:
                v.release()
            del v
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 3000 * 16, f"{held} bytes still held for 3000 views that are gone"
    r.close()
    for v in keep:
        assert "rw-p" == perms(address), "unmapped while a view was alive"
        v.release()
    assert address not in memory.live_mappings()  # on the pure core this also sweeps the deferred munmap
    assert perms(address) is None


FUZZ = """
import gc, mmap, os, sys, tempfile
from hypothesis import given, settings, strategies as st, HealthCheck
import macres
from macres import raw

PAGE = mmap.PAGESIZE
INTS = st.one_of(
    st.sampled_from([0, 1, 7, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 3 * PAGE, -1, -PAGE, 2**31, 2**63, 2**64]),
    st.integers(-10, 4 * PAGE),
)
PROTS = st.one_of(st.integers(0, 7), INTS)
ADVICE = st.one_of(st.sampled_from([int(a) for a in raw.ABI.Advice]), INTS)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["get", "set", "slice", "setslice", "view", "write_view", "drop", "mprotect",
                         "msync", "mlock", "munlock", "madvise", "close", "fork_read"]),
        INTS, st.one_of(st.none(), INTS), PROTS, ADVICE,
    ),
    max_size=25,
)
EXPECTED = (ValueError, OSError, BufferError, IndexError, TypeError, OverflowError)
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "f")
with open(path, "wb") as f:
    f.write(b"z" * 3 * PAGE)

@settings(max_examples=int(sys.argv[1]), deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(["anon", "shared", "file", "private-file"]), ops=OPS)
def fuzz(kind, ops):
    if kind in ("anon", "shared"):
        r = macres.MappedRegion.anonymous(3 * PAGE - 5, shared=kind == "shared")
    else:
        fd = os.open(path, os.O_RDWR)
        r = macres.MappedRegion.from_file(fd, shared=kind == "file")
        os.close(fd)
    views = []
    for op, a, b, prot, advice in ops:
        try:
            if op == "get":
                r[a]
            elif op == "set":
                r[a] = 1
            elif op == "slice":
                r[a:b]
            elif op == "setslice":
                n = len(range(*slice(a, b).indices(len(r))))
                r[a:b] = b"q" * n
            elif op == "view":
                views.append(r.view(a, b))
            elif op == "write_view" and views:
                v = views[a % len(views)]
                if len(v) and not v.readonly:
                    v[0] = 3
                if len(v):
                    v[-1]
            elif op == "drop" and views:
                views.pop(a % len(views)).release()
            elif op == "mprotect":
                r.mprotect(prot, a, b)
            elif op == "msync":
                r.msync(prot, a, b)
            elif op == "mlock":
                r.mlock(a, b)
            elif op == "munlock":
                r.munlock(a, b)
            elif op == "madvise":
                r.madvise(advice, a, b)
            elif op == "close":
                r.close()
            elif op == "fork_read":
                pid = os.fork()
                if pid == 0:
                    try:
                        for v in views:
                            bytes(v)
                        r[0:len(r)]
                    except BaseException:
                        pass
                    os._exit(0)
                _, status = os.waitpid(pid, 0)
                assert os.waitstatus_to_exitcode(status) == 0, status
        except EXPECTED:
            pass
    for v in views:
        v.release()
    r.close()

fuzz()
print("alive")
"""


def test_fuzzing_a_region_never_kills_the_interpreter() -> None:
    """Random operations with valid and invalid arguments raise exceptions; the process never dies.

    Runs in a subprocess so that a crash shows as a signal exit status, and
    includes forked children reading views (MADV_DONTFORK must never apply).
    """
    examples = os.environ.get("MACRES_FUZZ_EXAMPLES", "400")
    proc = subprocess.run(
        [sys.executable, "-c", FUZZ, examples], capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-3000:])
    assert proc.stdout.strip().endswith("alive")


def test_views_kept_only_by_garbage_cycles_hold_until_collected() -> None:
    """A view that only an unreachable reference cycle holds counts until the collector frees it, then not."""

    class Holder:
        pass

    gc.disable()  # the cycle must survive until this test collects it
    try:
        r = MappedRegion.anonymous(PAGE)
        address = r.address
        h = Holder()
        h.view = r.view()  # type: ignore[attr-defined]
        h.me = h  # type: ignore[attr-defined]
        del h
        with pytest.raises(BufferError):
            r.mprotect(R)
        gc.collect()
        r.mprotect(R)
        r.mprotect(RW)
        h2 = Holder()
        h2.view = r.view()  # type: ignore[attr-defined]
        h2.me = h2  # type: ignore[attr-defined]
        del h2
        r.close()
        assert r.closed and address in memory.live_mappings()
        gc.collect()
        assert address not in memory.live_mappings()
    finally:
        gc.enable()


def test_index_that_changes_its_answer_cannot_reach_a_forbidden_page(region: MappedRegion) -> None:
    """An __index__ answering differently on a second call is evaluated once, before the check."""
    region.mprotect(NONE, PAGE, PAGE)

    class Shifty:
        def __init__(self) -> None:
            self.calls = 0

        def __index__(self) -> int:
            self.calls += 1
            return 0 if self.calls == 1 else PAGE

    assert region[Shifty()] == 0  # type: ignore[call-overload]
    assert region[Shifty() : 3] == bytes(3)  # type: ignore[misc]
    region[Shifty()] = 1  # type: ignore[call-overload]
    region[slice(Shifty(), 2)] = b"ab"  # type: ignore[call-overload]
    assert region[0:2] == b"ab"


# -- re-entry from signal handlers and finalizers --------------------------------------------
#: Runs one scenario in a fresh interpreter: a SIGALRM handler (every 50 µs) or a finalizer
#: (a collection made due at each allocation point in turn) touches the region while the
#: main code is inside one of its operations.  Bounded by a count of re-entries and by time.
REENTRY = """
import gc, signal, sys, time
import macres
P = macres.MappedRegion.anonymous(1).page_size
R, RW, NONE = macres.PROT_READ, macres.PROT_READ | macres.PROT_WRITE, macres.PROT_NONE
scenario, via = sys.argv[1], sys.argv[2]
r = macres.MappedRegion.anonymous(4 * P)
entries = [0]
kept = []

busy = []

def touch():
    if busy:  # a handler interrupting the handler: only the main code's operations are the subject
        return
    busy.append(1)
    try:
        touch_once()
    finally:
        busy.pop()

def touch_once():
    entries[0] += 1
    if scenario == "access":  # read, write and view the pages the main code uses
        r[0] = entries[0] & 0xFF
        r[P : P + 8] = b"re-entry"
        with r.view(0, 16) as v:
            v[1] = 1
    elif scenario == "protect":  # take away and give back every permission of page 0
        try:
            r.mprotect(NONE if entries[0] % 2 else RW, 0, P)
        except BufferError:  # refused: an access to the page is in progress
            pass
    elif scenario == "view" and not kept:  # keep a view made while the main code changes protections
        try:
            kept.append(r.view(0, P))
        except PermissionError:
            pass

def check_views():
    # a writable view must never outlive its page's PROT_WRITE: writing through it would fault
    for v in kept:
        if not v.readonly:
            v[0] = 1
    while kept:
        kept.pop().release()

class Finalized:
    __slots__ = ("cycle",)
    def __init__(self):
        self.cycle = self  # garbage only the collector frees
    def __del__(self):
        touch()

if via == "signal":
    signal.signal(signal.SIGALRM, lambda signum, frame: touch())
    signal.setitimer(signal.ITIMER_REAL, 0.00005, 0.00005)
deadline = time.monotonic() + 3
data = bytes(P)
i = 0
while entries[0] < 3000 and time.monotonic() < deadline:
    if via == "finalizer":
        # one cycle of garbage, and a collection due after 1 to 30 more allocations: the
        # finalizer runs at every allocation point of the operations below in turn
        gc.set_threshold(0)
        gc.collect(0)
        Finalized()
        gc.set_threshold(1 + i % 30)
    i += 1
    try:
        if scenario == "view":
            try:
                r.mprotect(R, 0, P)
            except BufferError:  # a view made by the re-entry is alive: correct refusal
                pass
            check_views()
            r.mprotect(RW, 0, P)
        else:
            r[0:P]
            r[0:16] = data[:16]
            r[P:2 * P] = data
            r[3]
            r[4] = 5
    except PermissionError:  # the re-entry took the permission away: a correct refusal
        pass
signal.setitimer(signal.ITIMER_REAL, 0)
gc.set_threshold(700)
r.mprotect(RW)
check_views()
r.close()
print("entries", entries[0])
"""


@pytest.mark.parametrize("via", ["signal", "finalizer"])
@pytest.mark.parametrize("scenario", ["access", "protect", "view"])
def test_reentry_from_handlers_and_finalizers_never_deadlocks_or_crashes(scenario: str, via: str) -> None:
    """Re-entry from a signal handler or finalizer into a region operation neither deadlocks nor crashes.

    ``access``: the re-entry reads, writes and views the region while a read
    or write is under way (a non-reentrant lock deadlocks here).
    ``protect``: the re-entry takes PROT_READ/PROT_WRITE away between the
    access's check and its copy (the access must fault neither way).
    ``view``: the re-entry makes a view while an mprotect is between its
    check of the live views and the call (the view must not stay writable
    on a page the mprotect makes read-only).
    """
    command = [sys.executable, "-c", REENTRY, scenario, via]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert int(proc.stdout.split()[-1]) > 0  # the re-entry did happen


# -- storage a page fault cannot get: full file systems, block devices ----------------------
@pytest.fixture
def small_tmpfs(tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    """A 256 KiB tmpfs mounted for the test (root only), unmounted after it."""
    if raw.SYSTEM != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def fill(directory: pathlib.Path) -> None:
    """Write a file into *directory* until its file system is full (ENOSPC)."""
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC)
    try:
        with pytest.raises(OSError) as info:
            while True:
                os.write(fd, bytes(PAGE))
        assert info.value.errno == errno.ENOSPC
    finally:
        os.close(fd)


#: Maps the sparse file argv[1] opened with flags argv[2] and writes (or reads) through it;
#: prints the error macres raised, or "wrote" — a SIGBUS ends the process instead.
MAP_SPARSE = """
import os, sys
import macres
path, flags, shared, access = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "shared", sys.argv[4]
with macres.open(path, flags) as fd:
    try:
        region = macres.MappedRegion.from_file(fd, shared=shared)
    except (OSError, ValueError) as exc:
        print(type(exc).__name__, getattr(exc, "errno", None))
        sys.exit(0)
with region:
    if access == "write":
        region[2 * 4096 : 2 * 4096 + 5] = b"hello"
    else:
        region[2 * 4096 : 2 * 4096 + 5]
print(access, "done")
"""


@pytest.mark.parametrize(
    ("flags", "shared", "access", "expected"),
    [
        (os.O_RDWR, "shared", "write", f"OSError {errno.ENOSPC}"),
        (os.O_RDWR, "private", "write", f"OSError {errno.ENOSPC}"),  # tmpfs: the read before the copy takes a page
        (os.O_RDWR, "shared", "read", f"OSError {errno.ENOSPC}"),
        (os.O_RDONLY, "shared", "read", "ValueError None"),  # holes cannot get storage through this descriptor
    ],
)
def test_sparse_file_on_a_full_tmpfs_is_an_error_not_sigbus(
    small_tmpfs: pathlib.Path, flags: int, shared: str, access: str, expected: str
) -> None:
    """Mapping holes of a sparse file on a full tmpfs raises at from_file; no access dies of SIGBUS."""
    fill(small_tmpfs)
    sparse = small_tmpfs / "sparse"
    fd = os.open(sparse, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
    os.ftruncate(fd, 64 * PAGE)
    os.close(fd)
    command = [sys.executable, "-c", MAP_SPARSE, str(sparse), str(flags), shared, access]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])  # -7: SIGBUS
    assert proc.stdout.strip() == expected
    assert os.stat(sparse).st_size == 64 * PAGE


def test_sparse_file_gets_storage_for_the_mapped_pages(tmp_path: pathlib.Path) -> None:
    """A writable shared mapping of a sparse file allocates the mapped pages first; size and contents stay."""
    path = tmp_path / "sparse"
    with macres.open(path, "w+") as fd:
        fd.ftruncate(64 * PAGE)
        fd.pwrite(b"data", 40 * PAGE)
        before = os.fstat(fd.fileno()).st_blocks
        with MappedRegion.from_file(fd, 8 * PAGE, 4 * PAGE) as region:
            after = os.fstat(fd.fileno()).st_blocks
            assert after * 512 >= before * 512 + 8 * PAGE  # the 8 mapped pages have blocks now
            assert region[:] == bytes(8 * PAGE)
            region[0:5] = b"hello"
            region.msync()
        assert os.pread(fd.fileno(), 5, 4 * PAGE) == b"hello"
        assert os.fstat(fd.fileno()).st_size == 64 * PAGE
        reads_allocate = fd.fstatfs().f_type in raw.ABI.READ_ALLOCATING_FS_TYPES
        with MappedRegion.from_file(fd, 4 * PAGE, 0, shared=False) as private:
            now = os.fstat(fd.fileno()).st_blocks
            if reads_allocate:  # tmpfs: even a private read of a hole takes a page
                assert now * 512 >= after * 512 + 4 * PAGE
            else:  # holes read as zeros and private writes stay in memory: nothing allocated
                assert now == after
            private[0] = 1


@pytest.fixture
def loop_device(tmp_path: pathlib.Path) -> Iterator[tuple[str, bytes]]:
    """A loop block device over a 64 KiB image (root only): its path and its contents."""
    if raw.SYSTEM != "linux" or os.geteuid() != 0 or shutil.which("losetup") is None:
        pytest.skip("making a loop device needs root and losetup on Linux")
    image = tmp_path / "image"
    data = bytes(range(256)) * 256
    image.write_bytes(data)
    proc = subprocess.run(["losetup", "-f", "--show", str(image)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot make a loop device here: {proc.stderr.strip()}")
    device = proc.stdout.strip()
    try:
        yield device, data
    finally:
        subprocess.run(["losetup", "-d", device], check=True)


def test_block_device_size_is_the_device_size(loop_device: tuple[str, bytes]) -> None:
    """from_file on a block device maps it whole by default and refuses a size past its end."""
    device, data = loop_device
    with macres.open(device, "r") as fd:
        with MappedRegion.from_file(fd) as region:
            assert len(region) == len(data)
            assert region[-PAGE:] == data[-PAGE:]
        with pytest.raises(ValueError, match="beyond the end of the device"):
            MappedRegion.from_file(fd, len(data) + PAGE)
        with pytest.raises(ValueError, match="beyond the end of the device"):
            MappedRegion.from_file(fd, PAGE, len(data))
        with MappedRegion.from_file(fd, PAGE, len(data) - PAGE) as tail:
            assert tail[:] == data[-PAGE:]


def test_a_file_whose_stat_has_no_type_bits_maps_its_size(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    """from_file without a size maps st_size where fstat reports no type bits, as macOS's pshm_stat does for shm_open objects."""
    path = tmp_path / "object"
    path.write_bytes(b"shared!" + bytes(8185))
    real = macres.raw.fstat

    def typeless(fd: int) -> macres.Stat:  # what macOS reports for a POSIX shared memory object
        st = real(fd)
        names = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
                 "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev")  # fmt: skip
        fields = [getattr(st, name) for name in names]
        fields[0] &= 0o7777
        return macres.Stat.from_fields(*fields)

    monkeypatch.setattr(macres.raw, "fstat", typeless)
    with macres.open(path, "r+") as f, MappedRegion.from_file(f) as region:
        assert len(region) == 8192
        assert region[:7] == b"shared!"
