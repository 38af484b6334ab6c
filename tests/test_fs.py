"""Tests of macres.fs, the path-level calls, with os and the file system as oracles."""

from __future__ import annotations

import errno
import os
import pathlib
import stat as stat_mod

import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
from macres import UnsupportedOperation, fs

from .conftest import is_root
from .test_fd import assert_stat_equal


def test_stat_and_lstat_equal_os(tmp_path: pathlib.Path) -> None:
    """fs.stat follows symlinks and fs.lstat does not, field by field as os reports."""
    target = tmp_path / "t"
    target.write_bytes(b"abc")
    os.symlink("t", tmp_path / "l")
    assert_stat_equal(fs.stat(tmp_path / "l"), os.stat(tmp_path / "l"))
    assert_stat_equal(fs.lstat(tmp_path / "l"), os.lstat(tmp_path / "l"))
    assert stat_mod.S_ISLNK(fs.lstat(tmp_path / "l").st_mode)
    assert_stat_equal(fs.stat(bytes(target)), os.stat(target))
    with pytest.raises(FileNotFoundError) as info:
        fs.stat(tmp_path / "missing")
    assert info.value.filename == str(tmp_path / "missing")


def test_statfs_equals_statvfs(tmp_path: pathlib.Path) -> None:
    """fs.statfs agrees with os.statvfs on sizes and counts."""
    ours, theirs = fs.statfs(tmp_path), os.statvfs(tmp_path)
    assert (ours.f_bsize, ours.f_blocks, ours.f_files) == (theirs.f_bsize, theirs.f_blocks, theirs.f_files)


def test_access(tmp_path: pathlib.Path) -> None:
    """access answers with a bool for "no" and raises for a bad mode."""
    f = tmp_path / "f"
    f.write_bytes(b"")
    f.chmod(0o644)
    assert fs.access(f)
    assert fs.access(f, fs.R_OK | fs.W_OK) == os.access(f, os.R_OK | os.W_OK)
    assert fs.access(f, fs.X_OK) is os.access(f, os.X_OK) is False  # no x bit: even root may not exec
    assert fs.access(tmp_path, fs.X_OK)
    assert not fs.access(tmp_path / "missing")
    assert not fs.access(f / "below")  # ENOTDIR
    with pytest.raises(OSError) as info:
        fs.access(f, 0o100)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(ValueError):
        fs.access("a\0b")


@given(mode=st.integers(0, 0o7777))
def test_chmod_sets_mode(tmp_path_factory: pytest.TempPathFactory, mode: int) -> None:
    """chmod sets the permission bits os.stat sees."""
    f = tmp_path_factory.mktemp("chmod") / "f"
    f.write_bytes(b"")
    fs.chmod(f, mode)
    assert stat_mod.S_IMODE(os.stat(f).st_mode) == mode


def test_chown_and_lchown(tmp_path: pathlib.Path) -> None:
    """chown changes the target; lchown the symlink itself; -1 keeps a value."""
    f = tmp_path / "f"
    f.write_bytes(b"")
    os.symlink("f", tmp_path / "l")
    fs.chown(f, os.getuid(), -1)
    assert os.stat(f).st_uid == os.getuid()
    if not is_root():
        with pytest.raises(PermissionError):
            fs.chown(f, 0, 0)
        return
    fs.chown(f, 65534, -1)
    assert (os.stat(f).st_uid, os.stat(f).st_gid) == (65534, os.getgid())
    fs.lchown(tmp_path / "l", 65533, 65533)
    assert (os.lstat(tmp_path / "l").st_uid, os.lstat(tmp_path / "l").st_gid) == (65533, 65533)
    assert os.stat(f).st_uid == 65534
    with pytest.raises(OverflowError):
        fs.chown(f, 2**32, 0)


def test_links_rename_readlink(tmp_path: pathlib.Path) -> None:
    """link, symlink, readlink, rename and unlink change the tree as os sees it."""
    a = tmp_path / "a"
    a.write_bytes(b"data")
    fs.link(a, tmp_path / "hard")
    assert os.stat(a).st_nlink == 2
    assert os.path.samefile(a, tmp_path / "hard")
    fs.symlink("a", tmp_path / "soft")
    assert fs.readlink(tmp_path / "soft") == "a" == os.readlink(tmp_path / "soft")
    assert fs.readlink(bytes(tmp_path / "soft")) == b"a"
    fs.rename(a, tmp_path / "b")
    assert not a.exists() and (tmp_path / "b").read_bytes() == b"data"
    fs.unlink(tmp_path / "b")
    assert os.stat(tmp_path / "hard").st_nlink == 1
    with pytest.raises(FileExistsError):
        fs.symlink("x", tmp_path / "hard")
    with pytest.raises(FileNotFoundError):
        fs.unlink(tmp_path / "b")
    with pytest.raises(OSError) as info:
        fs.readlink(tmp_path / "hard")
    assert info.value.errno == errno.EINVAL


def test_mkdir_rmdir_mkfifo(tmp_path: pathlib.Path) -> None:
    """mkdir/rmdir make and remove directories; mkfifo makes a FIFO; modes obey the umask."""
    d = tmp_path / "d"
    fs.mkdir(d, 0o700)
    assert stat_mod.S_ISDIR(os.stat(d).st_mode)
    assert stat_mod.S_IMODE(os.stat(d).st_mode) == 0o700
    with pytest.raises(FileExistsError):
        fs.mkdir(d)
    (d / "x").write_bytes(b"")
    with pytest.raises(OSError) as info:
        fs.rmdir(d)
    assert info.value.errno == errno.ENOTEMPTY
    os.unlink(d / "x")
    fs.rmdir(d)
    assert not d.exists()
    fs.mkfifo(tmp_path / "fifo", 0o600)
    assert stat_mod.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)


@given(n=st.integers(0, 1 << 40))
def test_truncate_sets_the_size(tmp_path_factory: pytest.TempPathFactory, n: int) -> None:
    """truncate(path, n) then os.stat(path).st_size == n."""
    f = tmp_path_factory.mktemp("trunc") / "f"
    f.write_bytes(b"something")
    fs.truncate(f, n)
    assert os.stat(f).st_size == n


def test_truncate_refuses_negative(tmp_path: pathlib.Path) -> None:
    """A negative length is ValueError and leaves the file alone."""
    f = tmp_path / "f"
    f.write_bytes(b"abc")
    with pytest.raises(ValueError):
        fs.truncate(f, -1)
    assert f.read_bytes() == b"abc"


def test_pathconf(tmp_path: pathlib.Path) -> None:
    """pathconf by name and number agrees with os.pathconf."""
    expected = os.pathconf(tmp_path, "PC_NAME_MAX")
    assert fs.pathconf(tmp_path, "PC_NAME_MAX") == expected
    assert fs.pathconf(tmp_path, macres.raw.ABI._PC_NAME_MAX) == expected
    with pytest.raises(ValueError):
        fs.pathconf(tmp_path, "BOGUS")


@pytest.mark.serial
def test_getcwd_and_chdir(tmp_path: pathlib.Path) -> None:
    """chdir moves the cwd, getcwd reports it as os.getcwd does (str and bytes)."""
    old = os.getcwd()
    try:
        fs.chdir(tmp_path)
        assert fs.getcwd() == os.getcwd() == str(tmp_path)
        assert fs.getcwd(as_bytes=True) == os.getcwdb()
        with pytest.raises(FileNotFoundError):
            fs.chdir(tmp_path / "missing")
    finally:
        os.chdir(old)


@given(times=st.tuples(st.integers(0, 2**33), st.integers(0, 999_999), st.integers(0, 2**33), st.integers(0, 999_999)))
def test_utimes_float_seconds(tmp_path_factory: pytest.TempPathFactory, times: tuple[int, int, int, int]) -> None:
    """utimes sets times to the microsecond, as os.stat reports them."""
    f = tmp_path_factory.mktemp("ut") / "f"
    f.write_bytes(b"")
    a = times[0] + times[1] / 1e6
    m = times[2] + times[3] / 1e6
    fs.utimes(f, (a, m))
    st_ = os.stat(f)
    assert st_.st_atime_ns == round(a * 1e6) * 1000
    assert st_.st_mtime_ns == round(m * 1e6) * 1000


def test_utimes_now(tmp_path: pathlib.Path) -> None:
    """utimes(path) sets both times to the current time (later than a time set in the past)."""
    f = tmp_path / "f"
    f.write_bytes(b"")
    os.utime(f, ns=(0, 0))
    fs.utimes(f)
    assert os.stat(f).st_mtime_ns > 0


def test_macos_only_calls(tmp_path: pathlib.Path) -> None:
    """chflags and exchangedata raise UnsupportedOperation where the platform lacks them."""
    f = tmp_path / "f"
    f.write_bytes(b"")
    if not macres.raw.available("chflags"):
        with pytest.raises(UnsupportedOperation):
            fs.chflags(f, 0)
    else:
        fs.chflags(f, 0)
    if not macres.raw.available("exchangedata"):
        with pytest.raises(UnsupportedOperation):
            fs.exchangedata(f, f)


def test_nul_in_paths_is_value_error(tmp_path: pathlib.Path) -> None:
    """Every path function refuses a NUL byte with ValueError before any call."""
    bad = str(tmp_path / "a\0b")
    for call in (
        lambda: fs.stat(bad), lambda: fs.lstat(bad), lambda: fs.chmod(bad, 0o600), lambda: fs.mkdir(bad),
        lambda: fs.unlink(bad), lambda: fs.rename(bad, tmp_path / "x"), lambda: fs.symlink("x", bad),
        lambda: fs.truncate(bad, 0), lambda: fs.utimes(bad), lambda: fs.readlink(bad),
        lambda: fs.statfs(bad), lambda: fs.pathconf(bad, "PC_NAME_MAX"), lambda: fs.mkfifo(bad),
    ):  # fmt: skip
        with pytest.raises(ValueError):
            call()
    assert os.listdir(tmp_path) == []
