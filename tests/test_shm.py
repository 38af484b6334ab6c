"""Shared memory: memfd and shm_open descriptors, mapped with MappedRegion in two processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

import macres
from macres import MappedRegion, raw, shm

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="memfd_create is Linux's")

_CHILD = """
import sys
import macres
from macres import MappedRegion, shm
how, what = sys.argv[1], sys.argv[2]
fd = macres.FileDescriptor(int(what)) if how == "fd" else shm.shm_open(what, create=False)
with fd, MappedRegion.from_file(fd) as region:
    assert region[100:106] == b"parent", region[100:106]
    region[0:10] = b"from child"
"""


def _child(how: str, what: str, pass_fds: tuple[int, ...] = ()) -> None:
    """Run the child that maps the object (by inherited descriptor or by name), reads the parent's bytes, writes its own."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, how, what], pass_fds=pass_fds, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def name() -> Iterator[str]:
    """A fresh shm name, unlinked after the test if it still exists."""
    value = f"/macres-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield value
    try:
        shm.shm_unlink(value)
    except FileNotFoundError:
        pass


@linux_only
def test_memfd_is_shared_with_a_child_through_mappings() -> None:
    """A memfd mapped here and in a child (inherited descriptor): each side sees the other's writes."""
    with shm.memfd("shared") as fd:
        fd.ftruncate(4096)
        with MappedRegion.from_file(fd) as region:
            region[100:106] = b"parent"
            _child("fd", str(fd.fileno()), pass_fds=(fd.fileno(),))
            assert region[0:10] == b"from child"


def test_shm_open_is_shared_by_name(name: str) -> None:
    """An object made with shm_open is opened by name in a child; writes meet in the mappings."""
    with shm.shm_open(name, exclusive=True) as fd:
        fd.ftruncate(4096)
        with MappedRegion.from_file(fd) as region:
            region[100:106] = b"parent"
            _child("name", name)
            assert region[0:10] == b"from child"
    with pytest.raises(FileExistsError):
        shm.shm_open(name, exclusive=True)
    shm.shm_unlink(name)
    with pytest.raises(FileNotFoundError):
        shm.shm_open(name, create=False)
    with pytest.raises(FileNotFoundError):
        shm.shm_unlink(name)


def test_shm_readonly_and_argument_checks(name: str) -> None:
    """readonly=True opens O_RDONLY (a writable mapping is refused); exclusive needs create."""
    with shm.shm_open(name) as fd:
        fd.ftruncate(4096)
    with shm.shm_open(name, create=False, readonly=True) as ro:
        assert ro.mode == "rb"
        with pytest.raises(PermissionError):
            MappedRegion.from_file(ro, prot=macres.PROT_READ | macres.PROT_WRITE)
    with pytest.raises(ValueError):
        shm.shm_open(name, create=False, exclusive=True)


@pytest.mark.parametrize("kind", ["memfd", "shm"])
def test_descriptors_are_close_on_exec_unless_asked(kind: str, name: str) -> None:
    """memfd and shm_open descriptors are close-on-exec; inheritable=True makes them inheritable."""
    if kind == "memfd" and sys.platform != "linux":
        pytest.skip("memfd_create is Linux's")

    def make(inheritable: bool) -> macres.FileDescriptor:
        if kind == "memfd":
            return shm.memfd(inheritable=inheritable)
        return shm.shm_open(name, inheritable=inheritable)

    with make(False) as a, make(True) as b:
        assert (a.inheritable, b.inheritable) == (False, True)


@linux_only
def test_memfd_is_named_and_sized_zero() -> None:
    """The memfd's name shows in /proc (memfd:NAME) and it starts empty."""
    with shm.memfd("label") as fd:
        assert os.readlink(f"/proc/self/fd/{fd.fileno()}").startswith("/memfd:label")
        assert fd.fstat().st_size == 0


@linux_only
def test_memfd_seals() -> None:
    """add_seals freezes the size (EPERM on ftruncate); get_seals reports them; without sealing nothing is added."""
    assert shm.F_SEAL_SHRINK is not None and shm.F_SEAL_GROW is not None and shm.F_SEAL_SEAL is not None
    with shm.memfd(allow_sealing=True) as fd:
        fd.ftruncate(4096)
        assert shm.get_seals(fd) == 0
        shm.add_seals(fd, shm.F_SEAL_SHRINK | shm.F_SEAL_GROW)
        assert shm.get_seals(fd) == shm.F_SEAL_SHRINK | shm.F_SEAL_GROW
        with pytest.raises(PermissionError):
            fd.ftruncate(0)
        with pytest.raises(PermissionError):
            fd.ftruncate(8192)
        assert fd.fstat().st_size == 4096
    with shm.memfd() as plain:
        assert shm.get_seals(plain) == shm.F_SEAL_SEAL  # the kernel seals sealing itself
        with pytest.raises(PermissionError):
            shm.add_seals(plain, shm.F_SEAL_SHRINK)


@linux_only
def test_raw_memfd_create_flags() -> None:
    """raw.memfd_create passes its flags: MFD_CLOEXEC sets FD_CLOEXEC, 0 does not; bad flags are EINVAL."""
    a = raw.memfd_create("a", raw.ABI.MFD_CLOEXEC)
    b = raw.memfd_create(b"b", 0)
    try:
        assert (os.get_inheritable(a), os.get_inheritable(b)) == (False, True)
    finally:
        os.close(a)
        os.close(b)
    with pytest.raises(OSError) as info:
        raw.memfd_create("c", 0x7FFF0000)
    assert info.value.errno == 22
    with pytest.raises(ValueError):
        raw.memfd_create("a\0b", 0)
