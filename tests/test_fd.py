"""Tests of FileDescriptor, macres.open, macres.pipe and Directory, with os and the file system as oracles."""

from __future__ import annotations

import errno
import fcntl
import os
import pathlib
import stat as stat_mod
import struct
import subprocess
import sys
import termios

import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
import macres.testing
from _strace import kernel_calls, needs_strace
from _support import assert_stat_equal, linux_only
from macres import ClosedResourceError, Directory, FileDescriptor, UnsupportedOperation, raw
from macres.raw import _darwin

# -- helpers ------------------------------------------------------------------

def make_file(path: pathlib.Path, data: bytes = b"") -> pathlib.Path:
    path.write_bytes(data)
    return path


# -- macres.open: mode strings and flags ------------------------------------------

MODES = {
    # mode: (readable, writable, appends, creates, truncates, exclusive)
    "r": (True, False, False, False, False, False),
    "r+": (True, True, False, False, False, False),
    "w": (False, True, False, True, True, False),
    "w+": (True, True, False, True, True, False),
    "a": (False, True, True, True, False, False),
    "a+": (True, True, True, True, False, False),
    "x": (False, True, False, True, False, True),
    "x+": (True, True, False, True, False, True),
}


SPELLINGS = [(m, t) for m in sorted(MODES) for t in {m, m + "b", "b" + m, m[0] + "b" + m[1:], m[::-1]}]


@pytest.mark.parametrize(("mode", "text"), SPELLINGS)
def test_mode_strings_mean_what_builtin_open_means(tmp_path: pathlib.Path, mode: str, text: str) -> None:
    """Each mode string gives the access mode, append, create, truncate and exclusive behaviour of builtin open."""
    probe = os.open(os.devnull, os.O_RDWR)
    try:
        open(probe, text, closefd=False).close()  # the builtin accepts the spelling too
    finally:
        os.close(probe)
    readable, writable, appends, creates, truncates, exclusive = MODES[mode]
    existing = make_file(tmp_path / "existing", b"old")
    missing = tmp_path / "missing"
    if exclusive:
        with pytest.raises(FileExistsError):
            macres.open(existing, text)
    else:
        with macres.open(existing, text) as f:
            fl = fcntl.fcntl(f.fileno(), fcntl.F_GETFL)
            acc = fl & os.O_ACCMODE
            assert acc == (os.O_RDWR if readable and writable else os.O_WRONLY if writable else os.O_RDONLY)
            assert bool(fl & os.O_APPEND) == appends
            assert not os.get_inheritable(f.fileno())
        assert existing.read_bytes() == (b"" if truncates else b"old")
    if creates:
        macres.open(missing, text).close()
        assert missing.exists()
    else:
        with pytest.raises(FileNotFoundError) as info:
            macres.open(missing, text)
        assert info.value.filename == str(missing)


def test_append_mode_writes_at_the_end(tmp_path: pathlib.Path) -> None:
    """'a' writes land after the existing bytes even after a seek."""
    p = make_file(tmp_path / "f", b"abc")
    with macres.open(p, "a+") as f:
        f.seek(0)
        f.write(b"de")
        assert f.pread(5, 0) == b"abcde"


@pytest.mark.parametrize("mode", ["a", "ab", "ba", "a+", "a+b", "ab+", "+a"])
def test_append_modes_start_at_the_end_as_builtin_open(tmp_path: pathlib.Path, mode: str) -> None:
    """An "a" mode string puts the offset at the end, as builtin open's does (tell() == size; "a+" reads nothing)."""
    p = make_file(tmp_path / "f", b"hello")
    with open(p, mode if "b" in mode else mode + "b") as builtin, macres.open(p, mode) as f:
        assert f.tell() == builtin.tell() == 5
        if "+" in mode:
            assert f.read(-1) == builtin.read() == b""
    with macres.opendir(tmp_path) as d, d.open("f", mode) as g, macres.open("f", mode, dir_fd=d.fileno()) as h:
        assert g.tell() == h.tell() == 5  # relative to a directory object or number too


def test_append_as_int_flags_starts_at_zero_as_os_open(tmp_path: pathlib.Path) -> None:
    """O_APPEND given as int flags leaves the offset at 0, as os.open does."""
    p = make_file(tmp_path / "f", b"hello")
    fd = os.open(p, os.O_RDWR | os.O_APPEND)
    try:
        with macres.open(p, os.O_RDWR | os.O_APPEND) as f:
            assert f.tell() == os.lseek(fd, 0, os.SEEK_CUR) == 0
    finally:
        os.close(fd)


@linux_only
def test_append_mode_on_a_pipe_opens_as_builtin_open(tmp_path: pathlib.Path) -> None:
    """"a" on a pipe (which cannot seek: ESPIPE) opens all the same, as builtin open does, and writes."""
    r, w = os.pipe()
    try:
        with open(f"/proc/self/fd/{w}", "ab", buffering=0) as builtin, macres.open(f"/proc/self/fd/{w}", "a") as f:
            builtin.write(b"x")
            f.write(b"y")
        assert os.read(r, 10) == b"xy"
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.parametrize("mode", ["", "t", "rt", "rw", "r++", "rbb", "wx", "U", "rU", "q", "bb", "+", "b", "R"])
def test_bad_mode_strings_raise_value_error(tmp_path: pathlib.Path, mode: str) -> None:
    """Anything but r/w/a/x with optional + and b is a ValueError, and no file is created."""
    with pytest.raises(ValueError):
        macres.open(tmp_path / "f", mode)
    assert not (tmp_path / "f").exists()


def test_int_flags_and_cloexec(tmp_path: pathlib.Path) -> None:
    """Int flags are used as given, plus O_CLOEXEC unless inheritable=True."""
    p = tmp_path / "f"
    with macres.open(p, macres.O_RDWR | macres.O_CREAT, 0o600) as f:
        assert not os.get_inheritable(f.fileno())
        assert not f.inheritable
        assert stat_mod.S_IMODE(os.fstat(f.fileno()).st_mode) == 0o600 & ~_umask()
    with macres.open(p, "r", inheritable=True) as f:
        assert os.get_inheritable(f.fileno())
        assert f.inheritable
    with macres.open(p, macres.O_RDONLY, inheritable=True) as f:
        assert os.get_inheritable(f.fileno())


def _umask() -> int:
    old = os.umask(0o22)
    os.umask(old)
    return old


def test_open_refuses_nul_and_bad_types(tmp_path: pathlib.Path) -> None:
    """A NUL byte in the path is a ValueError, a non-int flags a TypeError."""
    with pytest.raises(ValueError):
        macres.open(str(tmp_path / "a\0b"), "w")
    with pytest.raises(ValueError):
        macres.open(bytes(tmp_path / "a") + b"\0", "w", inheritable=True)
    with pytest.raises(TypeError):
        macres.open(tmp_path / "a", 1.5)  # type: ignore[arg-type]


def test_open_relative_to_dir_fd(tmp_path: pathlib.Path) -> None:
    """dir_fd as a number, a FileDescriptor or a Directory resolves relative names there."""
    make_file(tmp_path / "f", b"data")
    dfd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with macres.open("f", dir_fd=dfd) as f:
            assert f.read(10) == b"data"
        with macres.open("f", dir_fd=dfd, inheritable=True) as f:
            assert f.read(10) == b"data"
    finally:
        os.close(dfd)
    with macres.open(tmp_path, macres.O_RDONLY | macres.O_DIRECTORY) as d, macres.open("f", dir_fd=d) as f:
        assert f.read(10) == b"data"
    with macres.opendir(tmp_path) as dd:
        with macres.open("f", dir_fd=dd, inheritable=True) as f:
            assert f.read(10) == b"data"
        dd.close()
        with pytest.raises(ClosedResourceError):
            macres.open("f", dir_fd=dd)


# -- adopting numbers -------------------------------------------------------------


def test_adopting_a_number_takes_ownership(tmp_path: pathlib.Path) -> None:
    """FileDescriptor(fd) closes fd on close()."""
    fd = os.open(make_file(tmp_path / "f"), os.O_RDONLY)
    f = FileDescriptor(fd)
    assert f.fileno() == fd
    f.close()
    with pytest.raises(OSError) as info:
        os.fstat(fd)
    assert info.value.errno == errno.EBADF


@pytest.mark.parametrize(
    ("value", "exc"), [(-1, ValueError), (-(2**40), ValueError), (2**31, OverflowError), (2**64, OverflowError), (1.0, TypeError), ("3", TypeError)]
)
def test_adopting_bad_numbers(value: object, exc: type[Exception]) -> None:
    """Negative numbers, numbers beyond a C int and non-integers are refused before anything is owned."""
    with pytest.raises(exc):
        FileDescriptor(value)  # type: ignore[arg-type]
    with pytest.raises(exc):
        Directory(value)  # type: ignore[arg-type]


# -- reading and writing ------------------------------------------------------------


def test_read_write_seek_tell(tmp_path: pathlib.Path) -> None:
    """read/write/seek/tell move bytes and the offset as os sees them."""
    with macres.open(tmp_path / "f", "w+") as f:
        assert f.write(b"hello world") == 11
        assert f.tell() == 11 == os.lseek(f.fileno(), 0, os.SEEK_CUR)
        assert f.seek(6) == 6
        assert f.read(100) == b"world"
        assert f.read(100) == b""
        assert f.seek(-5, macres.SEEK_END) == 6
        assert f.seek(2, macres.SEEK_CUR) == 8
        buf = bytearray(10)
        assert f.readinto(buf) == 3
        assert bytes(buf[:3]) == b"rld"
        f.seek(0)
        f.write_all(memoryview(b"HELLO"))
        f.write_all(bytearray(b""))
        assert os.pread(f.fileno(), 11, 0) == b"HELLO world"
        with pytest.raises(OSError) as info:
            f.seek(0, 99)
        assert info.value.errno == errno.EINVAL


def test_write_all_writes_everything_through_a_pipe() -> None:
    """write_all loops until every byte went, also through a pipe that takes less per write."""
    r, w = macres.pipe()
    with r, w:
        data = bytes(range(256)) * 1024  # 256 KiB: more than a pipe holds at once
        import threading

        got = bytearray()

        def drain() -> None:
            while chunk := r.read(65536):
                got.extend(chunk)

        t = threading.Thread(target=drain)
        t.start()
        w.write_all(data)
        w.close()
        t.join(timeout=30)
        assert not t.is_alive()
        assert bytes(got) == data


@given(
    chunks=st.lists(st.tuples(st.integers(0, 1 << 20), st.binary(min_size=0, max_size=3000)), max_size=8),
)
def test_pwrite_then_pread_round_trip(tmp_path_factory: pytest.TempPathFactory, chunks: list[tuple[int, bytes]]) -> None:
    """pwrite at arbitrary offsets then pread gives back what a bytearray model says; os.pread agrees."""
    path = tmp_path_factory.mktemp("rt") / "f"
    model = bytearray()
    with macres.open(path, "w+") as f:
        for offset, data in chunks:
            assert f.pwrite(data, offset) == len(data)
            if data:
                if len(model) < offset + len(data):
                    model.extend(bytes(offset + len(data) - len(model)))
                model[offset : offset + len(data)] = data
        assert f.tell() == 0  # positioned I/O leaves the offset alone
        assert f.fstat().st_size == len(model)
        for offset, data in chunks:
            n = len(data) + 7
            got = f.pread(n, offset)
            assert got == bytes(model[offset : offset + n]) == os.pread(f.fileno(), n, offset)
            buf = bytearray(n)
            k = f.pread_into(buf, offset)
            assert bytes(buf[:k]) == got
        assert f.pread(10, len(model) + 5) == b""


@given(sizes=st.lists(st.integers(0, 5000), min_size=1, max_size=12), data=st.data())
def test_readv_writev_over_buffer_lists(tmp_path_factory: pytest.TempPathFactory, sizes: list[int], data: st.DataObject) -> None:
    """writev writes the concatenation of any buffer list; readv scatters a file over any buffer list."""
    path = tmp_path_factory.mktemp("v") / "f"
    blobs = [data.draw(st.binary(min_size=n, max_size=n)) for n in sizes]
    kinds = [bytes, bytearray, memoryview]
    buffers = [kinds[i % 3](b) for i, b in enumerate(blobs)]
    whole = b"".join(blobs)
    with macres.open(path, "w+") as f:
        assert f.writev(buffers) == len(whole)
        assert path.read_bytes() == whole
        f.seek(0)
        outs = [bytearray(n) for n in reversed(sizes)]
        assert f.readv(outs) == len(whole)
        assert b"".join(outs) == whole


def test_negative_sizes_and_offsets_raise_value_error(tmp_path: pathlib.Path) -> None:
    """Negative counts, offsets and lengths are ValueError, the documented bad-input error."""
    with macres.open(make_file(tmp_path / "f", b"abc"), "r+") as f:
        with pytest.raises(ValueError):
            f.pread(-1, 0)
        with pytest.raises(ValueError):
            f.pread(1, -1)
        with pytest.raises(ValueError):
            f.pread_into(bytearray(1), -1)
        with pytest.raises(ValueError):
            f.pwrite(b"x", -1)
        with pytest.raises(ValueError):
            f.ftruncate(-1)
        with pytest.raises(OverflowError):
            f.pread(1, 2**64)
        with pytest.raises(TypeError):
            f.readinto(b"read-only")
        assert f.pread(3, 0) == b"abc"  # still usable


def test_read_only_descriptor_refuses_writes(tmp_path: pathlib.Path) -> None:
    """Writing to an 'r' descriptor fails with EBADF from the kernel."""
    with macres.open(make_file(tmp_path / "f"), "r") as f:
        with pytest.raises(OSError) as info:
            f.write(b"x")
        assert info.value.errno == errno.EBADF


# -- metadata -------------------------------------------------------------------------


@given(
    size=st.integers(0, 1 << 16),
    mode=st.integers(0, 0o777),
    times=st.tuples(st.integers(0, 2**33), st.integers(0, 999_999_999), st.integers(0, 2**33), st.integers(0, 999_999_999)),
)
def test_fstat_equals_os_stat(
    tmp_path_factory: pytest.TempPathFactory, size: int, mode: int, times: tuple[int, int, int, int]
) -> None:
    """fstat() (and fs.stat, Directory.stat) equal os.stat field by field after size, mode and time changes."""
    d = tmp_path_factory.mktemp("st")
    path = d / "f"
    with macres.open(path, "w+") as f:
        f.ftruncate(size)
        f.fchmod(mode)
        a = times[0] * 10**9 + times[1]
        m = times[2] * 10**9 + times[3]
        f.utimens((a, m))
        theirs = os.stat(path)
        assert theirs.st_size == size and stat_mod.S_IMODE(theirs.st_mode) == mode
        assert (theirs.st_atime_ns, theirs.st_mtime_ns) == (a, m)
        assert_stat_equal(f.fstat(), theirs)
        assert_stat_equal(macres.fs.stat(path), theirs)
        with macres.opendir(d) as dd:
            assert_stat_equal(dd.stat("f"), theirs)


@given(n=st.integers(0, 1 << 40))
def test_ftruncate_sets_the_size(tmp_path_factory: pytest.TempPathFactory, n: int) -> None:
    """ftruncate(n) then fstat().st_size == n == os.fstat's."""
    with macres.open(tmp_path_factory.mktemp("tr") / "f", "w+") as f:
        f.ftruncate(n)
        assert f.fstat().st_size == n == os.fstat(f.fileno()).st_size


def test_fstatfs_agrees_with_statvfs(tmp_path: pathlib.Path) -> None:
    """fstatfs reports the block size and totals os.statvfs reports."""
    with macres.open(tmp_path, macres.O_RDONLY) as f:
        ours = f.fstatfs()
        theirs = os.statvfs(tmp_path)
        assert ours.f_blocks == theirs.f_blocks
        assert ours.f_files == theirs.f_files
        assert ours.f_bsize == theirs.f_bsize
        assert macres.fs.statfs(tmp_path).f_blocks == theirs.f_blocks


def test_fchown_to_self_and_futimes(tmp_path: pathlib.Path) -> None:
    """fchown to the current ids is allowed; -1 keeps a value; futimes sets float seconds."""
    path = make_file(tmp_path / "f")
    with macres.open(path, "r+") as f:
        f.fchown(os.getuid(), -1)
        f.fchown(-1, os.getgid())
        st = os.stat(path)
        assert (st.st_uid, st.st_gid) == (os.getuid(), os.getgid())
        f.futimes((1.5, 2.25))
        st = os.stat(path)
        assert (st.st_atime_ns, st.st_mtime_ns) == (1_500_000_000, 2_250_000_000)
        f.futimes()
        f.utimens()
        assert os.stat(path).st_mtime > 1_000_000_000


def test_fchmod_refuses_out_of_range(tmp_path: pathlib.Path) -> None:
    """A mode beyond mode_t is OverflowError, not a truncated mode."""
    with macres.open(make_file(tmp_path / "f"), "r") as f:
        with pytest.raises(OverflowError):
            f.fchmod(2**40)


def test_fpathconf_by_number_and_name(tmp_path: pathlib.Path) -> None:
    """fpathconf accepts _PC_* numbers and names as os.fpathconf does."""
    with macres.open(tmp_path, macres.O_RDONLY) as f:
        expected = os.fpathconf(f.fileno(), "PC_NAME_MAX")
        assert f.fpathconf("PC_NAME_MAX") == expected
        assert f.fpathconf("NAME_MAX") == expected
        assert f.fpathconf(macres.raw.ABI._PC_NAME_MAX) == expected
        with pytest.raises(ValueError):
            f.fpathconf("NO_SUCH_LIMIT")


@pytest.mark.serial
def test_fchdir_changes_the_working_directory(tmp_path: pathlib.Path) -> None:
    """fchdir makes the directory the cwd (restored afterwards); a file is ENOTDIR."""
    old = os.getcwd()
    try:
        with macres.opendir(tmp_path) as d:
            with macres.open(tmp_path, macres.O_RDONLY) as f:
                f.fchdir()
            assert os.getcwd() == str(tmp_path)
            del d
        with macres.open(make_file(tmp_path / "f"), "r") as f, pytest.raises(NotADirectoryError):
            f.fchdir()
    finally:
        os.chdir(old)


def test_fchflags_is_unsupported_on_linux(tmp_path: pathlib.Path) -> None:
    """fchflags raises UnsupportedOperation where the platform lacks it."""
    if macres.raw.available("fchflags"):
        pytest.skip("fchflags exists here")
    with macres.open(make_file(tmp_path / "f"), "r") as f, pytest.raises(UnsupportedOperation):
        f.fchflags(0)


# -- locks and sync -----------------------------------------------------------------------


def test_flock_is_exclusive_between_two_descriptors(tmp_path: pathlib.Path) -> None:
    """An exclusive lock on one open file description blocks a second one until unlocked; the refusal names the file."""
    path = make_file(tmp_path / "f")
    with macres.open(path, "r") as a, macres.open(path, "r") as b:
        a.flock(macres.LOCK_EX)
        with pytest.raises(BlockingIOError) as info:
            b.flock(macres.LOCK_EX | macres.LOCK_NB)
        if raw.SYSTEM == "linux":  # the path comes from /proc/self/fd (F_GETPATH on macOS)
            assert info.value.filename == str(path)
        with pytest.raises(BlockingIOError):
            b.flock(macres.LOCK_SH | macres.LOCK_NB)
        with pytest.raises(BlockingIOError):  # the stdlib sees it too
            fcntl.flock(b.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        a.flock(macres.LOCK_UN)
        b.flock(macres.LOCK_EX | macres.LOCK_NB)
        with pytest.raises(BlockingIOError):
            a.flock(macres.LOCK_SH | macres.LOCK_NB)


def test_locked_releases_on_error_and_shared_locks_coexist(tmp_path: pathlib.Path) -> None:
    """locked() unlocks when the block raises; shared locks do not exclude each other."""
    path = make_file(tmp_path / "f")
    with macres.open(path, "r") as a, macres.open(path, "r") as b:
        with pytest.raises(RuntimeError), a.locked():
            with pytest.raises(BlockingIOError):
                fcntl.flock(b.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            raise RuntimeError("boom")
        fcntl.flock(b.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
        fcntl.flock(b.fileno(), fcntl.LOCK_UN)
        with a.locked(exclusive=False) as same, b.locked(exclusive=False, blocking=False):
            assert same is a


def test_locked_failure_leaves_descriptor_usable(tmp_path: pathlib.Path) -> None:
    """A non-blocking locked() that fails raises BlockingIOError naming the file, and the descriptor keeps working."""
    path = make_file(tmp_path / "f", b"x")
    with macres.open(path, "r") as a, macres.open(path, "r") as b:
        with a.locked():
            with pytest.raises(BlockingIOError) as info, b.locked(blocking=False):
                pytest.fail("entered a lock held elsewhere")  # pragma: no cover
            if raw.SYSTEM == "linux":  # the path comes from /proc/self/fd (F_GETPATH on macOS)
                assert info.value.filename == str(path)
            assert not b.closed
            assert b.pread(1, 0) == b"x"
        with b.locked(blocking=False):
            pass


def test_locked_block_may_close_the_descriptor(tmp_path: pathlib.Path) -> None:
    """Closing inside locked() releases the lock and the exit does not fail."""
    path = make_file(tmp_path / "f")
    with macres.open(path, "r") as b:
        a = macres.open(path, "r")
        with a.locked():
            a.close()
        fcntl.flock(b.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_fsync_variants(tmp_path: pathlib.Path) -> None:
    """fsync, fsync(full=True) and fdatasync succeed on a file; a pipe cannot sync (EINVAL)."""
    with macres.open(tmp_path / "f", "w") as f:
        f.write(b"data")
        f.fsync()
        f.fsync(full=True)
        if hasattr(os, "fdatasync"):
            f.fdatasync()
        else:
            with pytest.raises(UnsupportedOperation):
                f.fdatasync()
    r, w = macres.pipe()
    with r, w:
        with pytest.raises(OSError) as info:
            w.fsync()
        assert info.value.errno == errno.EINVAL


# -- descriptor flags, duplicates, fcntl/ioctl -----------------------------------------------


def test_inheritable_and_blocking_properties(tmp_path: pathlib.Path) -> None:
    """The properties read and write FD_CLOEXEC and O_NONBLOCK as os sees them."""
    r, w = macres.pipe()
    with r, w:
        assert not r.inheritable and not os.get_inheritable(r.fileno())
        r.inheritable = True
        assert r.inheritable and os.get_inheritable(r.fileno())
        r.inheritable = True
        r.inheritable = False
        assert not os.get_inheritable(r.fileno())
        assert r.blocking and os.get_blocking(r.fileno())
        r.blocking = False
        assert not r.blocking and not os.get_blocking(r.fileno())
        with pytest.raises(BlockingIOError):
            r.read(1)
        r.blocking = True
        assert os.get_blocking(r.fileno())


def test_dup_shares_the_file_and_is_cloexec(tmp_path: pathlib.Path) -> None:
    """dup gives a new close-on-exec number sharing the offset; inheritable=True clears the flag."""
    with macres.open(make_file(tmp_path / "f", b"abcdef"), "r") as f:
        with f.dup() as g:
            assert g.fileno() != f.fileno()
            assert not os.get_inheritable(g.fileno())
            assert g.read(2) == b"ab"
            assert f.read(2) == b"cd"  # shared offset
            assert os.fstat(g.fileno()).st_ino == os.fstat(f.fileno()).st_ino
        with f.dup(inheritable=True) as h:
            assert os.get_inheritable(h.fileno())


def test_dup2_redirects_target_keeping_its_number(tmp_path: pathlib.Path) -> None:
    """dup2(target): target keeps its number, now reads our file, and is close-on-exec by default."""
    a = make_file(tmp_path / "a", b"AAAA")
    b = make_file(tmp_path / "b", b"BBBB")
    with macres.open(a, "r") as fa, macres.open(b, "r") as fb:
        number = fb.fileno()
        fa.dup2(fb)
        assert fb.fileno() == number
        assert fb.pread(4, 0) == b"AAAA"
        assert not os.get_inheritable(number)
        fa.dup2(fb, inheritable=True)
        assert os.get_inheritable(number)
        fa.dup2(fa)  # onto itself: nothing changes
        assert fa.pread(4, 0) == b"AAAA"
        fb.close()
        with pytest.raises(ClosedResourceError):
            fa.dup2(fb)
        with pytest.raises(ClosedResourceError):
            fb.dup2(fa)


def test_fcntl_ioctl_isatty() -> None:
    """fcntl with ints and buffers, ioctl(FIONREAD) counting pipe bytes, isatty on a pipe and a pty."""
    r, w = macres.pipe()
    with r, w:
        w.write(b"12345")
        assert r.fcntl(fcntl.F_GETFD) & fcntl.FD_CLOEXEC
        buf = bytearray(4)
        r.ioctl(termios.FIONREAD, buf)
        assert struct.unpack("i", buf)[0] == 5
        assert not r.isatty()
        with pytest.raises(OSError) as info:
            r.ioctl(termios.TIOCGWINSZ, bytearray(8))
        assert info.value.errno == errno.ENOTTY
    master, slave = os.openpty()
    with FileDescriptor(master), FileDescriptor(slave) as s:
        assert s.isatty()


#: The audit's reproduction: FIONREAD's int-sized answer written through an int taken
#: as an address lands in a list's header (its type pointer) and kills the interpreter.
INT_AS_ADDRESS = """
import macres, termios
victim = [1, 2, 3]
r, w = macres.pipe()
w.write(b"12345")
for name, call in (
    ("ioctl", lambda: r.ioctl(termios.FIONREAD, id(victim) + 8)),
    ("fcntl", lambda: r.fcntl(macres.raw.ABI.F_GETLK, id(victim) + 8)),
):
    try:
        call()
    except TypeError:
        print(name, "refused")
print(type(victim).__name__, len(victim), sum(victim))
r.close()
w.close()
"""


def test_an_int_argument_is_never_used_as_an_address() -> None:
    """ioctl/fcntl refuse an int for a request that takes a pointer; nothing is written anywhere."""
    proc = subprocess.run([sys.executable, "-c", INT_AS_ADDRESS], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.split("\n")[:3] == ["ioctl refused", "fcntl refused", "list 3 6"]


def test_ioctl_takes_a_buffer_for_pointers_and_an_int_for_values() -> None:
    """FIONREAD fills a buffer; sizes, read-only buffers, ints and unknown requests are checked first."""
    tiocgptn = 0x80045430  # _IOR('T', 0x30, unsigned int): the size comes from the encoding
    r, w = macres.pipe()
    with r, w:
        w.write(b"12345")
        count = bytearray(4)
        assert r.ioctl(termios.FIONREAD, count) == 0
        assert struct.unpack("i", count)[0] == 5
        with pytest.raises(ValueError, match="4 bytes"):
            r.ioctl(termios.FIONREAD, bytearray(2))
        with pytest.raises(TypeError):
            r.ioctl(termios.FIONREAD, b"\0\0\0\0")  # read-only: the kernel writes it
        with pytest.raises(TypeError):
            r.ioctl(termios.FIONREAD, 4096)
        with pytest.raises(TypeError):
            r.ioctl(tiocgptn, 4096)
        with pytest.raises(OSError) as info:
            r.ioctl(tiocgptn, bytearray(4))  # checked, then the pipe answers
        assert info.value.errno == errno.ENOTTY
        with pytest.raises(TypeError):
            r.ioctl(termios.TCSBRK, bytearray(4))  # takes a value
        with pytest.raises(OSError) as info:
            r.ioctl(termios.TCSBRK, 12345)
        assert info.value.errno == errno.ENOTTY
        with pytest.raises(ValueError, match="unknown"):
            r.ioctl(0x54FF, 0)  # nothing says what it takes
        with pytest.raises(OverflowError):
            r.ioctl(-1, 0)


def test_fcntl_takes_a_struct_buffer_for_pointer_commands() -> None:
    """F_GETLK fills a struct flock in place; an int for it, a buffer for F_SETFD, an unknown command are refused."""
    r, w = macres.pipe()
    with r, w:
        query = macres.raw.ABI.CFlock()
        query.l_type = fcntl.F_WRLCK
        lock = bytearray(bytes(query))
        assert r.fcntl(fcntl.F_GETLK, lock) == 0
        assert macres.raw.ABI.CFlock.from_buffer(lock).l_type == fcntl.F_UNLCK  # filled in: nobody locks it
        with pytest.raises(ValueError, match="bytes or more"):
            r.fcntl(fcntl.F_GETLK, bytearray(len(lock) - 1))
        with pytest.raises(TypeError):
            r.fcntl(fcntl.F_GETLK, 0)
        with pytest.raises(TypeError):
            r.fcntl(fcntl.F_SETFD, bytearray(4))
        with pytest.raises(ValueError, match="unknown"):
            r.fcntl(99999, 0)
        r.fcntl(fcntl.F_SETFD, 0)
        assert os.get_inheritable(r.fileno())


def test_darwin_ioctl_arguments_come_from_the_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """With darwin's tables, _IOR/_IOW give a pointer of their size, _IO a value, no direction is refused."""
    import macres.fd

    monkeypatch.setattr(macres.fd, "_abi", _darwin)
    assert macres.fd._ioctl_size(0x4004667F) == 4  # FIONREAD: _IOR('f', 127, int)
    assert macres.fd._ioctl_size(0x40086419) == 8  # DKIOCGETBLOCKCOUNT: _IOR('d', 25, uint64_t)
    assert macres.fd._ioctl_size(0x80087467) == 8  # TIOCSWINSZ: _IOW('t', 103, struct winsize)
    assert macres.fd._ioctl_size(0x20007471) is None  # TIOCNOTTY: _IO('t', 113)
    with pytest.raises(ValueError):
        macres.fd._ioctl_size(0x541B)  # Linux's FIONREAD means nothing to darwin
    assert macres.fd._fcntl_size(_darwin.F_GETPATH) == _darwin.PATH_MAX
    assert macres.fd._fcntl_size(_darwin.F_FULLFSYNC) is None


@needs_strace
def test_ioctl_values_and_buffers_reach_the_kernel_as_given() -> None:
    """strace: an int is the ioctl's argument itself, a buffer is a pointer the kernel fills."""
    calls = kernel_calls(
        "r.ioctl(termios.FIONREAD, count)\ntry:\n    r.ioctl(termios.TCSBRK, 12345)\nexcept OSError:\n    pass",
        "import macres, termios\nr, w = macres.pipe()\nw.write(b'12345')\ncount = bytearray(4)",
        trace="ioctl",
    )
    assert [(c.name, c.args.split(", ", 1)[1], c.result.split()[0]) for c in calls] == [
        ("ioctl", "FIONREAD, [5]", "0"),
        ("ioctl", "TCSBRK, 12345", "-1"),
    ]


@pytest.mark.parametrize(
    ("error", "falls_back"),
    [("EBADF", True), ("ENOTTY", True), ("ENODEV", True), ("EOPNOTSUPP", True), ("ENOTSUP", True),
     ("EINVAL", True), ("EIO", False), ("ENOSPC", False)],
)  # fmt: skip
def test_full_fsync_falls_back_where_darwin_cannot_take_it(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, error: str, falls_back: bool
) -> None:
    """On darwin, F_FULLFSYNC refused for the kind of descriptor is followed by fsync; a failed flush is raised.

    xnu answers EBADF for pipes and sockets, drivers ENOTTY or ENODEV, a
    FIFO EOPNOTSUPP: those fall back; EIO and ENOSPC are the flush failing.
    """
    import macres.fd

    calls: list[tuple[str, int]] = []
    number = getattr(_darwin, error)

    def fcntl_refusing(fd: int, cmd: int, arg: int = 0) -> int:
        calls.append(("fcntl", cmd))
        raise OSError(number, os.strerror(number))

    with macres.open(tmp_path / "f", "w") as f:
        monkeypatch.setattr(macres.fd, "_abi", _darwin)
        monkeypatch.setattr(macres.fd, "_F_FULLFSYNC", _darwin.F_FULLFSYNC)
        monkeypatch.setattr(macres.raw, "fcntl", fcntl_refusing)
        monkeypatch.setattr(macres.raw, "fsync", lambda fd: calls.append(("fsync", fd)))
        if falls_back:
            f.fsync(full=True)
        else:
            with pytest.raises(OSError) as info:
                f.fsync(full=True)
            assert info.value.errno == number
        expected = [("fcntl", _darwin.F_FULLFSYNC)] + ([("fsync", f.fileno())] if falls_back else [])
        assert calls == expected
        monkeypatch.undo()


def test_pipe_ends(tmp_path: pathlib.Path) -> None:
    """pipe() returns close-on-exec reader and writer; EOF after the writer closes."""
    r, w = macres.pipe()
    with r:
        assert not os.get_inheritable(r.fileno()) and not os.get_inheritable(w.fileno())
        assert w.write(b"ping") == 4
        w.close()
        assert r.read(10) == b"ping"
        assert r.read(10) == b""
        with pytest.raises(OSError) as info:
            r.seek(0)
        assert info.value.errno == errno.ESPIPE
    r, w = macres.pipe(inheritable=True)
    with r, w:
        assert os.get_inheritable(r.fileno()) and os.get_inheritable(w.fileno())
