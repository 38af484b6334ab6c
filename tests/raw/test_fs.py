"""Tests for the fs area of macres.raw: path-level calls, against os and the file system.

Calls that change process-wide state (chroot, chdir into a removed
directory) or need privileges (chown to another user, mknod of a device)
run in a forked child that reports back and ``os._exit``s; the same calls
are checked for ``PermissionError`` in a child that first drops to the
unprivileged uid/gid 65534.
"""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import stat as stat_mod
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support import NOBODY, drop_privileges, in_child, linux_only, needs_root

import macres
from macres import raw



@pytest.fixture
def shared_dir() -> Iterator[pathlib.Path]:
    """A fresh directory every user can enter (pytest's tmp_path is root-only)."""
    d = pathlib.Path(tempfile.mkdtemp(prefix="macres-fs-"))
    d.chmod(0o755)
    try:
        yield d
    finally:
        shutil.rmtree(d)


def assert_same_stat(ours: raw.Stat, theirs: os.stat_result) -> None:
    """Every field of a raw.Stat equals the one os reports."""
    assert ours.st_mode == theirs.st_mode
    assert ours.st_ino == theirs.st_ino
    assert ours.st_dev == theirs.st_dev
    assert ours.st_nlink == theirs.st_nlink
    assert ours.st_uid == theirs.st_uid
    assert ours.st_gid == theirs.st_gid
    assert ours.st_size == theirs.st_size
    assert ours.st_atime_ns == theirs.st_atime_ns
    assert ours.st_mtime_ns == theirs.st_mtime_ns
    assert ours.st_ctime_ns == theirs.st_ctime_ns
    assert ours.st_blksize == theirs.st_blksize
    assert ours.st_blocks == theirs.st_blocks
    assert ours.st_rdev == theirs.st_rdev
    if sys.platform == "linux":
        assert ours.st_birthtime_ns is None and ours.st_flags is None and ours.st_gen is None
    else:
        assert ours.st_flags == theirs.st_flags


def make_file(path: pathlib.Path, data: bytes = b"data") -> pathlib.Path:
    """Write *data* to *path* and return it."""
    path.write_bytes(data)
    return path


# --- stat, lstat, statfs ---------------------------------------------------


def test_stat_matches_os_stat_for_each_kind(tmp_path: pathlib.Path) -> None:
    """stat of a file, a directory, a FIFO and a symlink's target equals os.stat field by field."""
    f = make_file(tmp_path / "f", b"x" * 5000)
    d = tmp_path / "d"
    d.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(f)
    for p in (f, d, fifo, link, pathlib.Path("/dev/null")):
        assert_same_stat(raw.stat(p), os.stat(p))
        assert_same_stat(raw.stat(os.fsencode(p)), os.stat(p))


def test_lstat_does_not_follow_symlinks(tmp_path: pathlib.Path) -> None:
    """lstat of a symlink describes the link (S_IFLNK), as os.lstat does; stat describes the target."""
    f = make_file(tmp_path / "f")
    link = tmp_path / "link"
    link.symlink_to(f)
    ours = raw.lstat(link)
    assert_same_stat(ours, os.lstat(link))
    assert stat_mod.S_ISLNK(ours.st_mode)
    assert stat_mod.S_ISREG(raw.stat(link).st_mode)
    assert_same_stat(raw.lstat(str(f)), os.lstat(f))


def test_stat_float_times_follow_the_nanoseconds(tmp_path: pathlib.Path) -> None:
    """st_mtime (float seconds) is the stdlib's float for st_mtime_ns, and set times come back exactly."""
    f = make_file(tmp_path / "f")
    os.utime(f, ns=(1_500_000_000_123_456_789, 1_600_000_000_987_654_321))
    s = raw.stat(f)
    assert s.st_atime_ns == 1_500_000_000_123_456_789
    assert s.st_mtime_ns == 1_600_000_000_987_654_321
    assert s.st_mtime == os.stat(f).st_mtime
    assert abs(s.st_mtime - s.st_mtime_ns / 1e9) < 1e-6


def test_stat_missing_raises_file_not_found_with_name(tmp_path: pathlib.Path) -> None:
    """stat and lstat of a missing path raise FileNotFoundError naming it."""
    missing = tmp_path / "missing"
    for fn in (raw.stat, raw.lstat):
        with pytest.raises(FileNotFoundError) as info:
            fn(missing)
        assert info.value.filename == str(missing)
    with pytest.raises(NotADirectoryError):
        raw.stat(make_file(tmp_path / "file") / "below")


def test_statfs_matches_statvfs(tmp_path: pathlib.Path) -> None:
    """statfs reports the sizes os.statvfs reports for the same file system."""
    for p in (tmp_path, pathlib.Path("/")):
        for _ in range(20):  # free counts move when others write; retry until a quiet moment
            ours = raw.statfs(p)
            vfs = os.statvfs(p)
            if (ours.f_bfree, ours.f_bavail, ours.f_ffree) == (vfs.f_bfree, vfs.f_bavail, vfs.f_ffree):
                break
        assert (ours.f_bfree, ours.f_bavail, ours.f_ffree) == (vfs.f_bfree, vfs.f_bavail, vfs.f_ffree)
        assert ours.f_bsize == vfs.f_bsize
        assert ours.f_blocks == vfs.f_blocks
        assert ours.f_files == vfs.f_files
        assert ours.f_flags & 1 == vfs.f_flag & os.ST_RDONLY
        if sys.platform == "linux":
            assert ours.f_frsize == vfs.f_frsize
            assert ours.f_namelen == vfs.f_namemax


def test_statfs_missing_raises(tmp_path: pathlib.Path) -> None:
    """statfs of a missing path raises FileNotFoundError naming it."""
    with pytest.raises(FileNotFoundError) as info:
        raw.statfs(tmp_path / "missing")
    assert info.value.filename == str(tmp_path / "missing")


# --- access, chmod, chown, lchown ------------------------------------------


def test_access_allows_and_refuses(tmp_path: pathlib.Path) -> None:
    """access returns None for an existing file and raises FileNotFoundError for a missing one."""
    f = make_file(tmp_path / "f")
    raw.access(f, raw.ABI.F_OK)
    raw.access(f, raw.ABI.R_OK | raw.ABI.W_OK)
    with pytest.raises(FileNotFoundError):
        raw.access(tmp_path / "missing", raw.ABI.F_OK)
    f.chmod(0o644)
    with pytest.raises(PermissionError):  # no execute bit at all: refused even to root
        raw.access(f, raw.ABI.X_OK)


def test_access_denied_for_unprivileged_user(shared_dir: pathlib.Path) -> None:
    """A user without read permission gets PermissionError from access(R_OK)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to uid 65534")
    f = make_file(shared_dir / "secret")
    f.chmod(0o600)

    def body() -> None:
        drop_privileges()
        raw.access(f, raw.ABI.F_OK)
        with pytest.raises(PermissionError):
            raw.access(f, raw.ABI.R_OK)

    in_child(body)


@given(mode=st.integers(0, 0o7777))
def test_chmod_sets_the_permission_bits(mode: int) -> None:
    """chmod sets exactly the bits os.stat then reports."""
    with tempfile.TemporaryDirectory() as d:
        f = make_file(pathlib.Path(d) / "f")
        raw.chmod(f, mode)
        assert stat_mod.S_IMODE(os.stat(f).st_mode) == mode


def test_chmod_follows_symlinks(tmp_path: pathlib.Path) -> None:
    """chmod through a symlink changes the target."""
    f = make_file(tmp_path / "f")
    link = tmp_path / "link"
    link.symlink_to(f)
    raw.chmod(link, 0o604)
    assert stat_mod.S_IMODE(os.stat(f).st_mode) == 0o604


@needs_root
def test_chown_and_lchown_as_root(tmp_path: pathlib.Path) -> None:
    """As root, chown gives a file to uid/gid 65534; -1 keeps a field; lchown changes only the link."""
    f = make_file(tmp_path / "f")
    link = tmp_path / "link"
    link.symlink_to(f)

    def body() -> None:
        raw.chown(f, NOBODY, NOBODY)
        s = os.stat(f)
        assert (s.st_uid, s.st_gid) == (NOBODY, NOBODY)
        raw.chown(f, 0, -1)
        s = os.stat(f)
        assert (s.st_uid, s.st_gid) == (0, NOBODY)
        raw.chown(f, -1, 0)
        assert os.stat(f).st_gid == 0
        raw.lchown(link, NOBODY, NOBODY)
        ls, ts = os.lstat(link), os.stat(f)
        assert (ls.st_uid, ls.st_gid) == (NOBODY, NOBODY)
        assert (ts.st_uid, ts.st_gid) == (0, 0)

    in_child(body)
    assert os.lstat(link).st_uid == NOBODY


def test_chown_refused_to_unprivileged_user(shared_dir: pathlib.Path) -> None:
    """A user who does not own a file gets PermissionError from chown and lchown."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to uid 65534")
    f = make_file(shared_dir / "f")
    link = shared_dir / "link"
    link.symlink_to(f)

    def body() -> None:
        drop_privileges()
        with pytest.raises(PermissionError):
            raw.chown(f, NOBODY, NOBODY)
        with pytest.raises(PermissionError):
            raw.lchown(link, NOBODY, NOBODY)

    in_child(body)
    assert os.stat(f).st_uid == 0


def test_chown_to_self_needs_no_privilege(tmp_path: pathlib.Path) -> None:
    """chown to the owner it already has succeeds for anyone."""
    f = make_file(tmp_path / "f")
    raw.chown(f, os.getuid(), os.getgid())
    raw.lchown(f, -1, -1)
    assert os.stat(f).st_uid == os.getuid()


# --- chdir, getcwd, chroot -------------------------------------------------


def test_chdir_and_getcwd(tmp_path: pathlib.Path) -> None:
    """chdir moves the working directory; getcwd reports it as os.getcwd/os.getcwdb do."""
    old = os.getcwd()
    try:
        raw.chdir(tmp_path)
        assert os.getcwd() == str(tmp_path.resolve())
        assert raw.getcwd() == os.getcwd()
        assert raw.getcwd(as_bytes=True) == os.getcwdb()
        assert raw.getcwd(as_bytes=False) == os.getcwd()
    finally:
        os.chdir(old)
    assert raw.getcwd() == old


def test_chdir_errors(tmp_path: pathlib.Path) -> None:
    """chdir into a missing path or a file raises the matching OSError subclass."""
    with pytest.raises(FileNotFoundError):
        raw.chdir(tmp_path / "missing")
    with pytest.raises(NotADirectoryError):
        raw.chdir(make_file(tmp_path / "f"))


def test_getcwd_longer_than_path_max(tmp_path: pathlib.Path) -> None:
    """getcwd grows its buffer: a working directory deeper than PATH_MAX comes back whole."""

    def body() -> None:
        os.chdir(tmp_path)
        part = "d" * 200
        for _ in range(raw.ABI.PATH_MAX // 200 + 3):
            os.mkdir(part)
            os.chdir(part)
        cwd = raw.getcwd()
        assert len(cwd) > raw.ABI.PATH_MAX
        assert cwd == os.getcwd()
        assert raw.getcwd(as_bytes=True) == os.getcwdb()

    in_child(body)


def test_getcwd_of_removed_directory(tmp_path: pathlib.Path) -> None:
    """getcwd in a directory that was removed raises FileNotFoundError, as os.getcwd does."""
    d = tmp_path / "gone"
    d.mkdir()

    def body() -> None:
        os.chdir(d)
        os.rmdir(d)
        with pytest.raises(FileNotFoundError):
            os.getcwd()
        with pytest.raises(FileNotFoundError):
            raw.getcwd()

    in_child(body)


@needs_root
def test_chroot_changes_the_root(tmp_path: pathlib.Path) -> None:
    """In a child, chroot into a directory makes its contents the whole file system."""
    make_file(tmp_path / "marker", b"inside")

    def body() -> None:
        raw.chroot(tmp_path)
        os.chdir("/")
        assert os.listdir("/") == ["marker"]
        with open("/marker", "rb") as f:
            assert f.read() == b"inside"

    in_child(body)


def test_chroot_refused_to_unprivileged_user(shared_dir: pathlib.Path) -> None:
    """chroot as uid 65534 raises PermissionError."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to uid 65534")

    def body() -> None:
        drop_privileges()
        with pytest.raises(PermissionError):
            raw.chroot(shared_dir)

    in_child(body)


def test_chroot_missing_raises(tmp_path: pathlib.Path) -> None:
    """chroot into a missing directory fails (ENOENT as root, EPERM otherwise) without effect."""
    with pytest.raises((FileNotFoundError, PermissionError)):
        raw.chroot(tmp_path / "missing")


# --- link, symlink, readlink, rename, unlink, rmdir, mkdir -----------------


def test_link_makes_a_second_name(tmp_path: pathlib.Path) -> None:
    """link gives a file a second name: same inode, link count 2."""
    f = make_file(tmp_path / "f")
    raw.link(f, tmp_path / "g")
    assert os.stat(tmp_path / "g").st_ino == os.stat(f).st_ino
    assert os.stat(f).st_nlink == 2
    with pytest.raises(FileExistsError) as info:
        raw.link(f, tmp_path / "g")
    assert info.value.filename == str(f)
    assert info.value.filename2 == str(tmp_path / "g")
    with pytest.raises(FileNotFoundError):
        raw.link(tmp_path / "missing", tmp_path / "h")


def test_symlink_and_readlink(tmp_path: pathlib.Path) -> None:
    """symlink stores its target as given; readlink returns it in the type of the path."""
    link = tmp_path / "link"
    raw.symlink("no/such/target", link)
    assert os.readlink(link) == "no/such/target"
    assert raw.readlink(link) == "no/such/target"
    assert raw.readlink(str(link)) == "no/such/target"
    assert raw.readlink(os.fsencode(link)) == b"no/such/target"
    with pytest.raises(FileExistsError):
        raw.symlink("x", link)


def test_readlink_long_target_is_not_truncated(tmp_path: pathlib.Path) -> None:
    """A target longer than readlink's first buffer comes back whole."""
    target = "/".join(["segment"] * 500)
    link = tmp_path / "link"
    os.symlink(target, link)
    assert raw.readlink(link) == target == os.readlink(link)


@given(target=st.binary(min_size=1, max_size=1024).filter(lambda b: b"\0" not in b))
def test_readlink_returns_any_target_bytes(target: bytes) -> None:
    """readlink(bytes) returns the exact bytes os.symlink stored, and str decodes them with fsdecode."""
    with tempfile.TemporaryDirectory() as d:
        link = os.path.join(os.fsencode(d), b"link")
        os.symlink(target, link)
        assert raw.readlink(link) == target == os.readlink(link)
        assert raw.readlink(os.fsdecode(link)) == os.fsdecode(target)


def test_readlink_errors(tmp_path: pathlib.Path) -> None:
    """readlink of a regular file raises EINVAL; of a missing path FileNotFoundError."""
    with pytest.raises(OSError) as info:
        raw.readlink(make_file(tmp_path / "f"))
    assert info.value.errno == errno.EINVAL
    with pytest.raises(FileNotFoundError):
        raw.readlink(tmp_path / "missing")


def test_rename_moves_and_replaces(tmp_path: pathlib.Path) -> None:
    """rename moves a file and atomically replaces an existing destination."""
    a = make_file(tmp_path / "a", b"A")
    b = make_file(tmp_path / "b", b"B")
    raw.rename(a, b)
    assert not a.exists()
    assert b.read_bytes() == b"A"
    with pytest.raises(FileNotFoundError) as info:
        raw.rename(a, b)
    assert info.value.filename == str(a)
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(IsADirectoryError):
        raw.rename(b, d)


def test_unlink_and_rmdir(tmp_path: pathlib.Path) -> None:
    """unlink removes files, rmdir empty directories; each refuses the other kind."""
    f = make_file(tmp_path / "f")
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(IsADirectoryError):
        raw.unlink(d)
    with pytest.raises(NotADirectoryError):
        raw.rmdir(f)
    make_file(d / "inner")
    with pytest.raises(OSError) as info:
        raw.rmdir(d)
    assert info.value.errno == errno.ENOTEMPTY
    raw.unlink(d / "inner")
    raw.rmdir(d)
    raw.unlink(f)
    assert os.listdir(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        raw.unlink(f)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@given(mode=st.integers(0, 0o777))
def test_mkdir_and_mkfifo_apply_the_umask(mode: int) -> None:
    """mkdir and mkfifo create the node with mode & ~umask."""
    mask = _umask()
    with tempfile.TemporaryDirectory() as d:
        raw.mkdir(os.path.join(d, "sub"), mode)
        s = os.stat(os.path.join(d, "sub"))
        assert stat_mod.S_ISDIR(s.st_mode)
        assert stat_mod.S_IMODE(s.st_mode) == mode & ~mask
        raw.mkfifo(os.path.join(d, "fifo"), mode)
        s = os.stat(os.path.join(d, "fifo"))
        assert stat_mod.S_ISFIFO(s.st_mode)
        assert stat_mod.S_IMODE(s.st_mode) == mode & ~mask
        os.chmod(os.path.join(d, "sub"), 0o700)


def test_mkdir_existing_raises(tmp_path: pathlib.Path) -> None:
    """mkdir of an existing path raises FileExistsError naming it; default mode is 0o777 & ~umask."""
    raw.mkdir(tmp_path / "d")
    assert stat_mod.S_IMODE(os.stat(tmp_path / "d").st_mode) == 0o777 & ~_umask()
    with pytest.raises(FileExistsError) as info:
        raw.mkdir(tmp_path / "d")
    assert info.value.filename == str(tmp_path / "d")
    with pytest.raises(FileExistsError):
        raw.mkfifo(tmp_path / "d")


def test_mknod_fifo_and_regular_file(tmp_path: pathlib.Path) -> None:
    """mknod creates FIFOs and regular files without privileges."""
    raw.mknod(tmp_path / "fifo", stat_mod.S_IFIFO | 0o600)
    assert stat_mod.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)
    raw.mknod(tmp_path / "reg", stat_mod.S_IFREG | 0o600)
    s = os.stat(tmp_path / "reg")
    assert stat_mod.S_ISREG(s.st_mode) and s.st_size == 0
    with pytest.raises(FileExistsError):
        raw.mknod(tmp_path / "reg", stat_mod.S_IFREG | 0o600)


@needs_root
def test_mknod_character_device_as_root(tmp_path: pathlib.Path) -> None:
    """As root (in a child), mknod makes a character device with /dev/null's numbers that reads as empty."""
    null = os.stat("/dev/null").st_rdev
    dev = tmp_path / "null"

    def body() -> None:
        raw.mknod(dev, stat_mod.S_IFCHR | 0o666, null)
        s = os.stat(dev)
        assert stat_mod.S_ISCHR(s.st_mode)
        assert s.st_rdev == null
        assert raw.stat(dev).st_rdev == null

    in_child(body)
    try:
        with open(dev, "rb") as f:
            assert f.read() == b""
    except PermissionError:  # a file system mounted nodev refuses to open it
        pass


def test_mknod_device_refused_to_unprivileged_user(shared_dir: pathlib.Path) -> None:
    """mknod of a character device as uid 65534 raises PermissionError."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to uid 65534")
    sub = shared_dir / "open"
    sub.mkdir()
    sub.chmod(0o777)
    null = os.stat("/dev/null").st_rdev

    def body() -> None:
        drop_privileges()
        with pytest.raises(PermissionError):
            raw.mknod(sub / "null", stat_mod.S_IFCHR | 0o666, null)

    in_child(body)
    assert not (sub / "null").exists()


# --- pathconf, truncate, utimes --------------------------------------------


def test_pathconf_matches_os_pathconf(tmp_path: pathlib.Path) -> None:
    """pathconf returns what os.pathconf returns; None where os says -1 (no limit)."""
    f = make_file(tmp_path / "f")
    for pname, number in os.pathconf_names.items():
        cname = "_" + pname
        if not hasattr(raw.ABI, cname):
            continue
        assert getattr(raw.ABI, cname) == number
        for p in (tmp_path, f):
            try:
                want: int | None = os.pathconf(p, pname)
            except OSError as exc:
                with pytest.raises(OSError) as info:
                    raw.pathconf(p, number)
                assert info.value.errno == exc.errno
                continue
            got = raw.pathconf(p, number)
            assert got == (None if want == -1 else want), pname


def test_pathconf_errors(tmp_path: pathlib.Path) -> None:
    """An unknown name raises EINVAL; a missing path FileNotFoundError naming it."""
    with pytest.raises(OSError) as info:
        raw.pathconf(tmp_path, 9999)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(FileNotFoundError) as info2:
        raw.pathconf(tmp_path / "missing", raw.ABI._PC_NAME_MAX)
    assert info2.value.filename == str(tmp_path / "missing")


@given(length=st.integers(0, 1 << 40))
def test_truncate_sets_the_size(length: int) -> None:
    """truncate sets the size os.stat reports (sparse, so large sizes are cheap)."""
    with tempfile.TemporaryDirectory() as d:
        f = make_file(pathlib.Path(d) / "f", b"12345")
        raw.truncate(f, length)
        assert os.stat(f).st_size == length


def test_truncate_errors(tmp_path: pathlib.Path) -> None:
    """A negative length is EINVAL from the kernel; a directory EISDIR; 2**63 does not fit off_t."""
    f = make_file(tmp_path / "f")
    with pytest.raises(OSError) as info:
        raw.truncate(f, -1)
    assert info.value.errno == errno.EINVAL
    with pytest.raises(IsADirectoryError):
        raw.truncate(tmp_path, 0)
    with pytest.raises(OverflowError):
        raw.truncate(f, 1 << 63)


@given(
    atime=st.tuples(st.integers(0, 1 << 33), st.integers(0, 999_999)),
    mtime=st.tuples(st.integers(0, 1 << 33), st.integers(0, 999_999)),
)
def test_utimes_sets_microsecond_times(atime: tuple[int, int], mtime: tuple[int, int]) -> None:
    """utimes sets access and modification times to the microsecond, as os.stat reads them."""
    with tempfile.TemporaryDirectory() as d:
        f = make_file(pathlib.Path(d) / "f")
        raw.utimes(f, (atime, mtime))
        s = os.stat(f)
        assert s.st_atime_ns == atime[0] * 1_000_000_000 + atime[1] * 1000
        assert s.st_mtime_ns == mtime[0] * 1_000_000_000 + mtime[1] * 1000


def test_utimes_none_means_now(tmp_path: pathlib.Path) -> None:
    """utimes(path, None) moves both times from a date in the past to the present."""
    f = make_file(tmp_path / "f")
    os.utime(f, ns=(10**9, 10**9))
    raw.utimes(f)
    s = os.stat(f)
    assert s.st_atime_ns > 10**9 and s.st_mtime_ns > 10**9
    assert s.st_mtime_ns <= os.stat(f).st_ctime_ns


def test_utimes_errors(tmp_path: pathlib.Path) -> None:
    """Microseconds out of range are EINVAL; a missing file FileNotFoundError."""
    f = make_file(tmp_path / "f")
    with pytest.raises(OSError) as info:
        raw.utimes(f, ((0, 1_000_000), (0, 0)))
    assert info.value.errno == errno.EINVAL
    with pytest.raises(FileNotFoundError):
        raw.utimes(tmp_path / "missing", None)
    with pytest.raises(OverflowError):
        raw.utimes(f, ((1 << 63, 0), (0, 0)))


# --- calls Linux lacks -----------------------------------------------------


@linux_only
def test_stubs_raise_unsupported(tmp_path: pathlib.Path) -> None:
    """chflags, revoke, exchangedata and undelete raise UnsupportedOperation (ENOSYS) on Linux."""
    f = make_file(tmp_path / "f")
    calls: list[tuple[str, Callable[[], object], str | None]] = [
        ("chflags", lambda: raw.chflags(f, 0), None),
        ("revoke", lambda: raw.revoke(f), None),
        ("exchangedata", lambda: raw.exchangedata(f, tmp_path / "g", 0), "renameat2(RENAME_EXCHANGE)"),
        ("undelete", lambda: raw.undelete(f), None),
    ]
    for name, call, counterpart in calls:
        with pytest.raises(macres.UnsupportedOperation) as info:
            call()
        assert info.value.errno == errno.ENOSYS
        assert info.value.name == name
        assert info.value.counterpart == counterpart
        if counterpart:
            assert counterpart in str(info.value)
        assert not raw.available(name)
    assert f.read_bytes() == b"data"


# --- bad input -------------------------------------------------------------

PATH_CALLS: list[tuple[str, Callable[[Any], object]]] = [
    ("access", lambda p: raw.access(p, 0)),
    ("chdir", raw.chdir),
    ("chflags", lambda p: raw.chflags(p, 0)),
    ("chmod", lambda p: raw.chmod(p, 0o600)),
    ("chown", lambda p: raw.chown(p, -1, -1)),
    ("chroot", raw.chroot),
    ("exchangedata", lambda p: raw.exchangedata(p, p)),
    ("lchown", lambda p: raw.lchown(p, -1, -1)),
    ("link", lambda p: raw.link(p, p)),
    ("lstat", raw.lstat),
    ("mkdir", raw.mkdir),
    ("mkfifo", raw.mkfifo),
    ("mknod", lambda p: raw.mknod(p, stat_mod.S_IFIFO)),
    ("pathconf", lambda p: raw.pathconf(p, 0)),
    ("readlink", raw.readlink),
    ("rename", lambda p: raw.rename(p, p)),
    ("revoke", raw.revoke),
    ("rmdir", raw.rmdir),
    ("stat", raw.stat),
    ("statfs", raw.statfs),
    ("symlink", lambda p: raw.symlink(p, p)),
    ("truncate", lambda p: raw.truncate(p, 0)),
    ("undelete", raw.undelete),
    ("unlink", raw.unlink),
    ("utimes", raw.utimes),
]


@pytest.mark.parametrize(("name", "call"), PATH_CALLS, ids=[n for n, _ in PATH_CALLS])
@given(
    prefix=st.text(max_size=20).filter(lambda s: "\0" not in s),
    suffix=st.text(max_size=20),
    as_bytes=st.booleans(),
)
def test_nul_in_path_is_value_error(
    name: str, call: Callable[[Any], object], prefix: str, suffix: str, as_bytes: bool
) -> None:
    """A path holding a NUL byte raises ValueError before any call is made."""
    path: str | bytes = f"/nonexistent-macres/{prefix}\0{suffix}"
    if as_bytes:
        path = os.fsencode(path)
    with pytest.raises(ValueError):
        call(path)


@pytest.mark.parametrize(("name", "call"), PATH_CALLS, ids=[n for n, _ in PATH_CALLS])
@given(bad=st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=2)))
def test_non_path_is_type_error(name: str, call: Callable[[Any], object], bad: object) -> None:
    """Something that is not str, bytes or os.PathLike raises TypeError."""
    with pytest.raises(TypeError):
        call(bad)


@given(value=st.one_of(st.integers(max_value=-2), st.integers(min_value=1 << 32)))
def test_out_of_range_ids_and_modes_overflow(value: int) -> None:
    """uid/gid outside uid_t (other than -1) and modes outside mode_t raise OverflowError."""
    p = "/nonexistent-macres/f"
    with pytest.raises(OverflowError):
        raw.chown(p, value, 0)
    with pytest.raises(OverflowError):
        raw.lchown(p, 0, value)
    with pytest.raises(OverflowError):
        raw.chmod(p, value)
    with pytest.raises(OverflowError):
        raw.mkdir(p, value)
    with pytest.raises(OverflowError):
        raw.mknod(p, value, 0)


@given(value=st.one_of(st.integers(max_value=-(1 << 31) - 1), st.integers(min_value=1 << 31)))
def test_out_of_range_ints_overflow(value: int) -> None:
    """An access mode or pathconf name that does not fit a C int raises OverflowError."""
    p = "/nonexistent-macres/f"
    with pytest.raises(OverflowError):
        raw.access(p, value)
    with pytest.raises(OverflowError):
        raw.pathconf(p, value)


@given(dev=st.one_of(st.integers(max_value=-1), st.integers(min_value=1 << 64)))
def test_out_of_range_device_numbers_overflow(dev: int) -> None:
    """A device number outside dev_t raises OverflowError (Linux dev_t is unsigned 64-bit)."""
    if sys.platform != "linux":
        pytest.skip("dev_t range differs on darwin")
    with pytest.raises(OverflowError):
        raw.mknod("/nonexistent-macres/f", stat_mod.S_IFCHR, dev)


@given(bad=st.one_of(st.floats(), st.text(max_size=3), st.none()))
def test_non_integer_arguments_are_type_errors(bad: object) -> None:
    """A float, str or None where an integer belongs raises TypeError."""
    p = "/nonexistent-macres/f"
    calls: list[Callable[[], object]] = [
        lambda: raw.chmod(p, bad),  # type: ignore[arg-type]
        lambda: raw.chown(p, bad, 0),  # type: ignore[arg-type]
        lambda: raw.truncate(p, bad),  # type: ignore[arg-type]
        lambda: raw.access(p, bad),  # type: ignore[arg-type]
        lambda: raw.utimes(p, ((bad, 0), (0, 0))),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()
