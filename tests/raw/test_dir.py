"""Tests for the dir area of macres.raw: *at calls and DIR* streams, against os and the file system."""

from __future__ import annotations

import errno
import os
import pathlib
import stat as stat_mod
import tempfile
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from macres import raw

# DT_* values are the same on Linux and macOS (<dirent.h>).
DT_FIFO, DT_CHR, DT_DIR, DT_REG, DT_LNK, DT_SOCK = 1, 2, 4, 8, 10, 12
DT_OF_MODE = {
    stat_mod.S_IFIFO: DT_FIFO,
    stat_mod.S_IFCHR: DT_CHR,
    stat_mod.S_IFDIR: DT_DIR,
    stat_mod.S_IFREG: DT_REG,
    stat_mod.S_IFLNK: DT_LNK,
    stat_mod.S_IFSOCK: DT_SOCK,
}


@pytest.fixture
def dirfd(tmp_path: pathlib.Path) -> Iterator[int]:
    """A descriptor open on tmp_path, closed after the test."""
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield fd
    finally:
        os.close(fd)


def read_all(dirp: int) -> list[raw.DirEntry]:
    """Every entry left in the stream *dirp*."""
    entries = []
    while (entry := raw.readdir_r(dirp)) is not None:
        entries.append(entry)
    return entries


def assert_same_stat(ours: raw.Stat, theirs: os.stat_result) -> None:
    """Every field of a raw.Stat equals the one os reports."""
    assert (ours.st_mode, ours.st_ino, ours.st_dev, ours.st_nlink) == (
        theirs.st_mode,
        theirs.st_ino,
        theirs.st_dev,
        theirs.st_nlink,
    )
    assert (ours.st_uid, ours.st_gid, ours.st_size, ours.st_rdev) == (
        theirs.st_uid,
        theirs.st_gid,
        theirs.st_size,
        theirs.st_rdev,
    )
    assert (ours.st_atime_ns, ours.st_mtime_ns, ours.st_ctime_ns) == (
        theirs.st_atime_ns,
        theirs.st_mtime_ns,
        theirs.st_ctime_ns,
    )
    assert (ours.st_blksize, ours.st_blocks) == (theirs.st_blksize, theirs.st_blocks)


# --- openat ----------------------------------------------------------------


def test_openat_creates_relative_to_the_directory(tmp_path: pathlib.Path, dirfd: int) -> None:
    """openat(O_CREAT) makes the file inside the directory of dirfd, with mode & ~umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    fd = raw.openat(dirfd, "new", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        assert os.write(fd, b"hello") == 5
        assert os.get_inheritable(fd)  # no O_CLOEXEC was added
    finally:
        os.close(fd)
    assert (tmp_path / "new").read_bytes() == b"hello"
    assert stat_mod.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o640 & ~mask
    fd = raw.openat(dirfd, b"new", os.O_RDONLY | os.O_CLOEXEC)
    try:
        assert os.read(fd, 10) == b"hello"
        assert not os.get_inheritable(fd)
    finally:
        os.close(fd)


def test_openat_fdcwd_and_absolute_paths(tmp_path: pathlib.Path) -> None:
    """AT_FDCWD resolves against the working directory; an absolute path ignores dirfd."""
    (tmp_path / "f").write_bytes(b"abc")
    fd = raw.openat(raw.ABI.AT_FDCWD, tmp_path / "f", os.O_RDONLY)
    try:
        assert os.read(fd, 3) == b"abc"
    finally:
        os.close(fd)


def test_openat_errors(tmp_path: pathlib.Path, dirfd: int) -> None:
    """openat reports EEXIST, ENOENT (naming the path), EBADF and ENOTDIR."""
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(FileExistsError) as info:
        raw.openat(dirfd, "f", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    assert info.value.filename == "f"
    with pytest.raises(FileNotFoundError):
        raw.openat(dirfd, "missing", os.O_RDONLY)
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info2:
        raw.openat(r, "f", os.O_RDONLY)
    assert info2.value.errno == errno.EBADF
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        with pytest.raises(NotADirectoryError):
            raw.openat(fd, "f", os.O_RDONLY)
    finally:
        os.close(fd)


# --- fstatat ---------------------------------------------------------------


def test_fstatat_matches_os_stat(tmp_path: pathlib.Path, dirfd: int) -> None:
    """fstatat equals os.stat(dir_fd=...) for each kind; AT_SYMLINK_NOFOLLOW equals os.lstat."""
    (tmp_path / "f").write_bytes(b"x" * 100)
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to("f")
    for name in ("f", "d", "fifo", "link", "."):
        assert_same_stat(raw.fstatat(dirfd, name), os.stat(name, dir_fd=dirfd))
        assert_same_stat(
            raw.fstatat(dirfd, name, raw.ABI.AT_SYMLINK_NOFOLLOW), os.stat(name, dir_fd=dirfd, follow_symlinks=False)
        )
    assert stat_mod.S_ISLNK(raw.fstatat(dirfd, "link", raw.ABI.AT_SYMLINK_NOFOLLOW).st_mode)
    assert_same_stat(raw.fstatat(raw.ABI.AT_FDCWD, tmp_path / "f"), os.stat(tmp_path / "f"))


def test_fstatat_errors(dirfd: int) -> None:
    """fstatat of a missing name raises FileNotFoundError; an unknown flag EINVAL."""
    with pytest.raises(FileNotFoundError) as info:
        raw.fstatat(dirfd, "missing")
    assert info.value.filename == "missing"
    with pytest.raises(OSError) as info2:
        raw.fstatat(dirfd, ".", 0x40000000)
    assert info2.value.errno == errno.EINVAL


# --- unlinkat --------------------------------------------------------------


def test_unlinkat_removes_files_and_directories(tmp_path: pathlib.Path, dirfd: int) -> None:
    """unlinkat removes a file; AT_REMOVEDIR removes an empty directory, and only that."""
    (tmp_path / "f").write_bytes(b"")
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError):
        raw.unlinkat(dirfd, "d")
    with pytest.raises(NotADirectoryError):
        raw.unlinkat(dirfd, "f", raw.ABI.AT_REMOVEDIR)
    (tmp_path / "d" / "inner").write_bytes(b"")
    with pytest.raises(OSError) as info:
        raw.unlinkat(dirfd, "d", raw.ABI.AT_REMOVEDIR)
    assert info.value.errno == errno.ENOTEMPTY
    raw.unlinkat(dirfd, "d/inner")
    raw.unlinkat(dirfd, "d", raw.ABI.AT_REMOVEDIR)
    raw.unlinkat(dirfd, b"f")
    assert os.listdir(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        raw.unlinkat(dirfd, "f")


# --- utimensat -------------------------------------------------------------


@given(
    atime=st.tuples(st.integers(0, 1 << 33), st.integers(0, 999_999_999)),
    mtime=st.tuples(st.integers(0, 1 << 33), st.integers(0, 999_999_999)),
)
def test_utimensat_sets_nanosecond_times(atime: tuple[int, int], mtime: tuple[int, int]) -> None:
    """utimensat sets both times to the nanosecond, as os.stat reads them."""
    with tempfile.TemporaryDirectory() as d:
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        try:
            open(os.path.join(d, "f"), "wb").close()
            raw.utimensat(fd, "f", (atime, mtime))
            s = os.stat("f", dir_fd=fd)
        finally:
            os.close(fd)
        assert s.st_atime_ns == atime[0] * 1_000_000_000 + atime[1]
        assert s.st_mtime_ns == mtime[0] * 1_000_000_000 + mtime[1]


def test_utimensat_none_means_now(tmp_path: pathlib.Path, dirfd: int) -> None:
    """times=None moves both times from a date in the past to the present."""
    (tmp_path / "f").write_bytes(b"")
    os.utime(tmp_path / "f", ns=(10**9, 10**9))
    raw.utimensat(dirfd, "f", None)
    s = os.stat(tmp_path / "f")
    assert s.st_atime_ns > 10**9 and s.st_mtime_ns > 10**9


def test_utimensat_nofollow_changes_the_link(tmp_path: pathlib.Path, dirfd: int) -> None:
    """AT_SYMLINK_NOFOLLOW sets the symlink's own times and leaves the target's alone."""
    (tmp_path / "f").write_bytes(b"")
    os.utime(tmp_path / "f", ns=(7 * 10**9, 7 * 10**9))
    (tmp_path / "link").symlink_to("f")
    raw.utimensat(dirfd, "link", ((5, 6), (8, 9)), raw.ABI.AT_SYMLINK_NOFOLLOW)
    assert os.lstat(tmp_path / "link").st_mtime_ns == 8 * 10**9 + 9
    assert os.stat(tmp_path / "f").st_mtime_ns == 7 * 10**9
    raw.utimensat(dirfd, "link", ((5, 6), (8, 9)))
    assert os.stat(tmp_path / "f").st_mtime_ns == 8 * 10**9 + 9


def test_utimensat_errors(tmp_path: pathlib.Path, dirfd: int) -> None:
    """Nanoseconds out of range are EINVAL; a missing file FileNotFoundError; huge seconds OverflowError."""
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(OSError) as info:
        raw.utimensat(dirfd, "f", ((0, 10**9 + 7), (0, 0)))
    assert info.value.errno == errno.EINVAL
    with pytest.raises(FileNotFoundError):
        raw.utimensat(dirfd, "missing", None)
    with pytest.raises(OverflowError):
        raw.utimensat(dirfd, "f", ((0, 0), (1 << 63, 0)))


# --- opendir, fdopendir, readdir_r, closedir -------------------------------


def test_readdir_lists_what_listdir_lists(tmp_path: pathlib.Path) -> None:
    """readdir_r returns every name os.listdir returns plus . and .., with matching inode and type."""
    (tmp_path / "f").write_bytes(b"")
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to("f")
    dirp = raw.opendir(tmp_path)
    try:
        entries = read_all(dirp)
        assert raw.readdir_r(dirp) is None  # the end stays the end
    finally:
        raw.closedir(dirp)
    names = sorted(e.d_name for e in entries)
    assert names == sorted([b".", b".."] + [os.fsencode(n) for n in os.listdir(tmp_path)])
    for e in entries:
        if e.d_name == b"..":
            continue
        s = os.lstat(os.path.join(os.fsencode(tmp_path), e.d_name))
        assert e.d_ino == s.st_ino
        if e.d_type != 0:  # DT_UNKNOWN: the file system does not say
            assert e.d_type == DT_OF_MODE[stat_mod.S_IFMT(s.st_mode)]
        assert e.d_reclen > 0
        if raw.SYSTEM == "linux":
            assert e.d_off is not None and e.d_seekoff is None and e.d_namlen is None
        else:
            assert e.d_namlen == len(e.d_name)


def test_dir_entry_is_a_frozen_value(tmp_path: pathlib.Path) -> None:
    """DirEntry is immutable and compares by value."""
    dirp = raw.opendir(os.fsencode(tmp_path))
    try:
        entry = raw.readdir_r(dirp)
    finally:
        raw.closedir(dirp)
    assert entry is not None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.d_ino = 1  # type: ignore[misc]
    assert entry == attrs.evolve(entry)


def test_fdopendir_takes_over_the_descriptor(tmp_path: pathlib.Path) -> None:
    """fdopendir reads the directory of fd, and closedir closes fd."""
    (tmp_path / "only").write_bytes(b"")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    dirp = raw.fdopendir(fd)
    try:
        names = {e.d_name for e in read_all(dirp)}
    finally:
        raw.closedir(dirp)
    assert names == {b".", b"..", b"only"}
    with pytest.raises(OSError) as info:
        os.fstat(fd)
    assert info.value.errno == errno.EBADF


@given(
    names=st.sets(
        st.binary(min_size=1, max_size=40).filter(lambda b: b"\0" not in b and b"/" not in b and b not in (b".", b"..")),
        max_size=30,
    )
)
def test_readdir_returns_any_set_of_names(names: set[bytes]) -> None:
    """Whatever byte names a directory holds, readdir_r returns exactly them (plus . and ..)."""
    with tempfile.TemporaryDirectory() as d:
        base = os.fsencode(d)
        for name in names:
            open(os.path.join(base, name), "wb").close()
        dirp = raw.opendir(base)
        try:
            got = [e.d_name for e in read_all(dirp)]
        finally:
            raw.closedir(dirp)
    assert sorted(got) == sorted(names | {b".", b".."})


def test_opendir_errors(tmp_path: pathlib.Path) -> None:
    """opendir of a missing path or a file raises the matching OSError subclass naming it."""
    with pytest.raises(FileNotFoundError) as info:
        raw.opendir(tmp_path / "missing")
    assert info.value.filename == str(tmp_path / "missing")
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(NotADirectoryError):
        raw.opendir(tmp_path / "f")


def test_fdopendir_errors(tmp_path: pathlib.Path) -> None:
    """fdopendir of a closed descriptor is EBADF, of a file ENOTDIR (and the fd stays the caller's)."""
    r, w = os.pipe()
    os.close(r)
    os.close(w)
    with pytest.raises(OSError) as info:
        raw.fdopendir(r)
    assert info.value.errno == errno.EBADF
    (tmp_path / "f").write_bytes(b"")
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        with pytest.raises(NotADirectoryError):
            raw.fdopendir(fd)
        os.fstat(fd)  # still open
    finally:
        os.close(fd)


@given(bad=st.one_of(st.integers(max_value=-1), st.integers(min_value=1 << 64)))
def test_dir_pointer_out_of_range_overflows(bad: int) -> None:
    """A DIR* that does not fit a pointer raises OverflowError before any call."""
    with pytest.raises(OverflowError):
        raw.readdir_r(bad)
    with pytest.raises(OverflowError):
        raw.closedir(bad)


def test_null_dir_pointer_is_refused() -> None:
    """readdir_r(0) and closedir(0) raise ValueError instead of crashing in C."""
    with pytest.raises(ValueError):
        raw.readdir_r(0)
    with pytest.raises(ValueError):
        raw.closedir(0)
    with pytest.raises(TypeError):
        raw.readdir_r(1.5)  # type: ignore[arg-type]


# --- bad input -------------------------------------------------------------


@given(prefix=st.text(max_size=10).filter(lambda s: "\0" not in s), suffix=st.text(max_size=10), as_bytes=st.booleans())
def test_nul_in_path_is_value_error(prefix: str, suffix: str, as_bytes: bool) -> None:
    """Every dir call taking a path raises ValueError for a NUL byte in it."""
    path: str | bytes = f"{prefix}\0{suffix}"
    if as_bytes:
        path = os.fsencode(path)
    at = raw.ABI.AT_FDCWD
    for call in (
        lambda: raw.openat(at, path, os.O_RDONLY),
        lambda: raw.fstatat(at, path),
        lambda: raw.unlinkat(at, path),
        lambda: raw.utimensat(at, path, None),
        lambda: raw.opendir(path),
    ):
        with pytest.raises(ValueError):
            call()


@given(bad=st.one_of(st.none(), st.floats(), st.integers(), st.lists(st.integers(), max_size=2)))
def test_non_path_is_type_error(bad: object) -> None:
    """A path that is not str, bytes or os.PathLike raises TypeError."""
    at = raw.ABI.AT_FDCWD
    for call in (
        lambda: raw.openat(at, bad, os.O_RDONLY),  # type: ignore[arg-type]
        lambda: raw.fstatat(at, bad),  # type: ignore[arg-type]
        lambda: raw.unlinkat(at, bad),  # type: ignore[arg-type]
        lambda: raw.utimensat(at, bad, None),  # type: ignore[arg-type]
        lambda: raw.opendir(bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError):
            call()


@given(bad=st.one_of(st.integers(max_value=-(1 << 31) - 1), st.integers(min_value=1 << 31)))
def test_out_of_range_descriptors_and_flags_overflow(bad: int) -> None:
    """A dirfd or flag word that does not fit a C int raises OverflowError (never truncated to a real fd)."""
    for call in (
        lambda: raw.openat(bad, "x", os.O_RDONLY),
        lambda: raw.openat(raw.ABI.AT_FDCWD, "x", bad),
        lambda: raw.fstatat(bad, "x"),
        lambda: raw.fstatat(raw.ABI.AT_FDCWD, "x", bad),
        lambda: raw.unlinkat(bad, "x"),
        lambda: raw.utimensat(bad, "x", None),
        lambda: raw.fdopendir(bad),
    ):
        with pytest.raises(OverflowError):
            call()


@given(mode=st.one_of(st.integers(max_value=-1), st.integers(min_value=1 << 32)))
def test_openat_mode_out_of_range_overflows(mode: int) -> None:
    """An openat mode outside mode_t raises OverflowError."""
    with pytest.raises(OverflowError):
        raw.openat(raw.ABI.AT_FDCWD, "x", os.O_RDONLY, mode)
