"""Directory: listings against os.scandir, walk against os.fwalk/os.walk, the *at operations, symlink races."""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import socket
import stat
import sys
import tempfile
from typing import AnyStr

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from _strace import kernel_calls, names, needs_strace
from _support import assert_stat_equal, drop_privileges, in_child

import macres
import macres.testing
from macres import ClosedResourceError, Directory, FileType, directory, raw

_TYPES = {t.value: t for t in FileType}


def _expected_type(entry: os.DirEntry[str]) -> FileType:
    """The FileType of a scandir entry, from lstat (the witness, independent of d_type)."""
    return _TYPES[stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode) >> 12]


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    """A tree with files, directories, symlinks (to a file, a directory, nowhere), a fifo and a socket."""
    root = tmp_path / "t"
    (root / "a" / "aa").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "f1").write_bytes(b"1")
    (root / "a" / "aa" / "f2").write_bytes(b"2")
    (root / "b" / "f3").write_bytes(b"3")
    (root / "top").write_bytes(b"t")
    os.symlink("top", root / "to-file")
    os.symlink("a", root / "to-dir")
    os.symlink("nowhere", root / "dangling")
    os.mkfifo(root / "fifo")
    return root


def test_listing_equals_scandir(tree: pathlib.Path) -> None:
    """Names, inodes and types (symlinks, fifo, socket included) equal os.scandir's, without . and .."""
    sock = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    try:
        os.chdir(tree)  # a short path for the socket's name
        sock.bind("sock")
    finally:
        os.chdir(cwd)
    with sock, macres.opendir(tree) as d:
        got = {(e.name, e.inode, e.type) for e in d}
    expected = {(e.name, e.inode(), _expected_type(e)) for e in os.scandir(tree)}
    assert expected == got
    assert {t for _, _, t in got} >= {FileType.REG, FileType.DIR, FileType.LNK, FileType.FIFO, FileType.SOCK}


def test_entries_are_values(tree: pathlib.Path) -> None:
    """A DirectoryEntry is an immutable value: equal entries hash alike, repr names its fields."""
    with macres.opendir(tree) as d:
        first = {e.name: e for e in d}
        second = {e.name: e for e in d}
    assert first == second
    top = first["top"]
    assert hash(top) == hash(second["top"])
    assert macres.DirectoryEntry("top", top.inode, FileType.REG) == top
    assert top != macres.DirectoryEntry("top", top.inode, FileType.DIR)
    assert repr(top) == f"DirectoryEntry(name='top', inode={top.inode}, type={FileType.REG!r})"
    with pytest.raises(AttributeError):
        top.name = "x"  # type: ignore[misc]
    with pytest.raises(OverflowError):
        macres.DirectoryEntry("x", -1, FileType.REG)


def test_iterations_are_independent_and_rewind(tmp_path: pathlib.Path) -> None:
    """Two interleaved iterations each see every entry; a new iteration starts from the first."""
    for i in range(2000):  # several getdents64 batches
        (tmp_path / f"{i:05d}").write_bytes(b"")
    with macres.opendir(tmp_path) as d:
        a, b = iter(d), iter(d)
        seen_a = [next(a).name for _ in range(700)]
        seen_b = [e.name for e in b]
        seen_a += [e.name for e in a]
        again = [e.name for e in d]
    assert sorted(seen_a) == sorted(seen_b) == sorted(again) == [f"{i:05d}" for i in range(2000)]


def test_iterator_close_releases_its_descriptor(tmp_path: pathlib.Path) -> None:
    """close() on an iterator closes its own descriptor at once, and the iteration ends."""
    for i in range(3):
        (tmp_path / str(i)).write_bytes(b"")
    with macres.opendir(tmp_path) as d:
        before = macres.testing.open_descriptors()
        it = iter(d)
        next(it)
        assert len(before) < len(macres.testing.open_descriptors())
        it.close()  # type: ignore[attr-defined]
        assert before == macres.testing.open_descriptors()
        assert list(it) == []


def test_close_between_batches_raises(tmp_path: pathlib.Path) -> None:
    """Closing the directory with entries still buffered: the next step raises, never yields a stale entry."""
    for i in range(100):
        (tmp_path / str(i)).write_bytes(b"")
    d = macres.opendir(tmp_path)
    it = iter(d)
    next(it)
    d.close()
    with pytest.raises(ClosedResourceError):
        next(it)
    with pytest.raises(ClosedResourceError):
        list(d)


@needs_strace
def test_listing_reads_in_batches_without_per_entry_calls(tmp_path: pathlib.Path) -> None:
    """Listing 3,000 regular files takes a few getdents64 calls and no stat call per entry (types from d_type)."""
    for i in range(3000):
        (tmp_path / f"{i:05d}").write_bytes(b"")
    calls = kernel_calls(
        "entries = list(d)\n",
        f"import macres\nd = macres.opendir({str(tmp_path)!r})\nlist(d)\n",
    )
    listed = names(calls)
    assert 2 <= listed.count("getdents64") <= 8
    stats = [n for n in listed if n in {"newfstatat", "statx", "lstat", "stat", "fstat", "fstatat64"}]
    assert len(stats) <= 1, listed  # the pure core's fdopendir checks the descriptor once


def _empty_file(path: pathlib.Path) -> pathlib.Path:
    path.write_bytes(b"")
    return path


# -- listing arbitrary names, *at calls on names, opendir ----------------------------------------

entry_names = st.sets(
    st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
        lambda s: s not in (".", "..") and len(s.encode()) < 200
    ),
    max_size=20,
)


@given(files=entry_names, dirs=entry_names)
def test_iteration_lists_what_scandir_lists(tmp_path_factory: pytest.TempPathFactory, files: set[str], dirs: set[str]) -> None:
    """Iterating a Directory yields os.scandir's names, inodes and types, without . and .."""
    assume(not files & dirs)
    d = tmp_path_factory.mktemp("ls")
    for n in files:
        (d / n).write_bytes(b"")
    for n in dirs:
        (d / n).mkdir()
    with macres.opendir(d) as dd:
        entries = list(dd)
        again = list(dd)  # a second iteration starts from the beginning
    expected = {e.name: e for e in os.scandir(d)}
    assert {e.name for e in entries} == set(expected) == files | dirs
    assert sorted(e.name for e in again) == sorted(e.name for e in entries)
    for e in entries:
        assert e.inode == expected[e.name].inode()
        if e.type is not FileType.UNKNOWN:
            assert (e.type is FileType.DIR) == expected[e.name].is_dir(follow_symlinks=False)
            assert (e.type is FileType.REG) == expected[e.name].is_file(follow_symlinks=False)


def test_abandoned_iteration_closes_its_stream(tmp_path: pathlib.Path) -> None:
    """Breaking out of an iteration, or never finishing it, closes the stream it opened."""
    for i in range(5):
        (tmp_path / str(i)).write_bytes(b"")
    with macres.opendir(tmp_path) as d:
        before = macres.testing.open_descriptors()
        it = iter(d)
        next(it)
        assert len(before) < len(macres.testing.open_descriptors())  # the stream's own descriptor(s)
        del it
        assert before == macres.testing.open_descriptors()
        for _ in d:
            break
        assert before == macres.testing.open_descriptors()


def test_directory_open_stat_unlink_utime(tmp_path: pathlib.Path) -> None:
    """open/stat/unlink/utime act on names relative to the directory, as os with dir_fd sees."""
    with macres.opendir(tmp_path) as d:
        with d.open("f", "w") as f:
            f.write(b"abc")
        assert (tmp_path / "f").read_bytes() == b"abc"
        assert d.stat("f").st_size == 3
        assert_stat_equal(d.stat("f"), os.stat("f", dir_fd=d.fileno()))
        assert_stat_equal(d.fstat(), os.stat(tmp_path))
        os.symlink("f", tmp_path / "l")
        assert stat.S_ISLNK(d.stat("l", follow_symlinks=False).st_mode)
        assert stat.S_ISREG(d.stat("l").st_mode)
        d.utime("f", (1_000_000_001, 2_000_000_002))
        st = os.stat(tmp_path / "f")
        assert (st.st_atime_ns, st.st_mtime_ns) == (1_000_000_001, 2_000_000_002)
        d.utime("l", (5_000_000_000, 6_000_000_000), follow_symlinks=False)
        assert os.lstat(tmp_path / "l").st_mtime_ns == 6_000_000_000
        d.utime("f")
        with pytest.raises(ValueError):
            d.utime("f", (-1, 0))
        (tmp_path / "sub").mkdir()
        with pytest.raises(OSError) as info:
            d.unlink("sub")
        assert info.value.errno in (errno.EISDIR, errno.EPERM)
        d.unlink("sub", directory=True)
        d.unlink("f")
        d.unlink("l")
        assert not list(d)
        with pytest.raises(FileNotFoundError):
            d.stat("f")
        with pytest.raises(ValueError):
            d.stat("a\0b")


def test_opendir_errors(tmp_path: pathlib.Path) -> None:
    """opendir: a file is NotADirectoryError, a missing path FileNotFoundError, NUL ValueError."""
    with pytest.raises(NotADirectoryError):
        macres.opendir(_empty_file(tmp_path / "f"))
    with pytest.raises(FileNotFoundError):
        macres.opendir(tmp_path / "missing")
    with pytest.raises(ValueError):
        macres.opendir("a\0b")


def test_opendir_relative_and_directory_is_cloexec(tmp_path: pathlib.Path) -> None:
    """opendir(name, dir_fd=...) opens relative to another directory; the descriptor is close-on-exec."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x").write_bytes(b"")
    with macres.opendir(tmp_path) as top, macres.opendir("sub", dir_fd=top) as sub:
        assert [e.name for e in sub] == ["x"]
        assert not os.get_inheritable(sub.fileno())


# -- walk ------------------------------------------------------------------------------------------


def _shape(steps: list[tuple[AnyStr, list[AnyStr], list[AnyStr]]]) -> list[tuple[AnyStr, list[AnyStr], list[AnyStr]]]:
    return [(p, sorted(ds), sorted(fs)) for p, ds, fs in steps]


@pytest.mark.parametrize("topdown", [True, False])
@pytest.mark.parametrize("follow", [False, True])
def test_walk_equals_fwalk_and_walk(tree: pathlib.Path, topdown: bool, follow: bool) -> None:
    """walk yields os.fwalk's paths in its order, with its dirnames and filenames (and os.walk's)."""
    ours = [(p, ds, fs) for p, ds, fs, _ in macres.walk(tree, topdown=topdown, follow_symlinks=follow)]
    theirs = [(p, ds, fs) for p, ds, fs, _ in os.fwalk(tree, topdown=topdown, follow_symlinks=follow)]
    stdlib = [(p, ds, fs) for p, ds, fs in os.walk(tree, topdown=topdown, followlinks=follow)]
    assert _shape(theirs) == _shape(ours)
    assert sorted(_shape(stdlib)) == sorted(_shape(ours))
    assert len(ours) == (6 if follow else 4)


@pytest.mark.parametrize("topdown", [True, False])
def test_a_bytes_top_walks_in_bytes_as_fwalk_does(tree: pathlib.Path, topdown: bool) -> None:
    """A bytes top gives bytes paths and names equal to os.fwalk's, an undecodable name included."""
    (tree / "b" / os.fsdecode(b"\xff-not-utf8")).write_bytes(b"")
    top = os.fsencode(tree)
    ours = [(p, ds, fs) for p, ds, fs, _ in macres.walk(top, topdown=topdown)]
    theirs = [(p, ds, fs) for p, ds, fs, _ in os.fwalk(top, topdown=topdown)]
    assert _shape(theirs) == _shape(ours)
    assert all(isinstance(x, bytes) for p, ds, fs in ours for x in [p, *ds, *fs])
    assert b"\xff-not-utf8" in {p: fs for p, _, fs in ours}[os.path.join(top, b"b")]


def test_pruning_the_bytes_dirnames_prunes_the_walk(tree: pathlib.Path) -> None:
    """Top-down, removing a bytes name from dirnames keeps the walk out of it, as with str."""
    paths = []
    for path, dirs, _, _ in macres.walk(os.fsencode(tree)):
        paths.append(os.path.relpath(path, os.fsencode(tree)))
        if b"a" in dirs:
            dirs.remove(b"a")
    assert sorted(paths) == [b".", b"b"]


def test_walk_following_symlinks_stops_at_loops(tmp_path: pathlib.Path) -> None:
    """follow_symlinks=True goes through symlinks to directories but never back into its own path."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink("..", tmp_path / "a" / "b" / "up")  # a loop: b/up is a
    os.symlink("a", tmp_path / "to-a")  # no loop: a second way into a
    paths = [os.path.relpath(p, tmp_path) for p, _, _, _ in macres.walk(tmp_path, follow_symlinks=True)]
    assert sorted(paths) == sorted([".", "a", "a/b", "to-a", "to-a/b"])


def test_walk_yields_the_open_directory_of_each_path(tree: pathlib.Path) -> None:
    """The Directory of each step is the directory at its path, and is closed once the walk moves on."""
    seen: list[Directory] = []
    for path, _, _, d in macres.walk(tree):
        assert os.stat(path).st_ino == d.fstat().st_ino
        seen.append(d)
    assert all(d.closed for d in seen)


def test_walk_of_a_directory_uses_dot_paths_and_leaves_it_open(tree: pathlib.Path) -> None:
    """Walking an open Directory yields paths from "."; the Directory stays open."""
    with macres.opendir(tree) as d:
        paths = [p for p, _, _, _ in d.walk()]
        assert not d.closed
    expected = ["." if p == str(tree) else os.path.join(".", os.path.relpath(p, tree)) for p, _, _ in os.walk(tree)]
    assert sorted(expected) == sorted(paths)
    assert paths[0] == "."


def test_walk_relative_to_dir_fd(tree: pathlib.Path) -> None:
    """walk(top, dir_fd=d) opens top relative to d; paths start with top as given."""
    with macres.opendir(tree) as d:
        paths = sorted(p for p, _, _, _ in macres.walk("a", dir_fd=d))
    assert ["a", os.path.join("a", "aa")] == paths


@needs_strace
def test_walk_opens_each_directory_relative_to_its_parent_without_following(tree: pathlib.Path) -> None:
    """Below top, every open is openat(parent descriptor, name, O_DIRECTORY|O_NOFOLLOW): no path is resolved twice."""
    calls = kernel_calls(
        "for _ in macres.walk(top): pass\n",
        f"import macres\ntop = {str(tree)!r}\nfor _ in macres.walk(top): pass\n",
    )
    opens = [c for c in calls if c.name in {"openat", "open"}]
    assert opens and opens[0].args.startswith("AT_FDCWD") and "O_NOFOLLOW" in opens[0].args
    below = [c for c in opens[1:] if not c.args.split(",")[1].strip().startswith('"."')]
    assert len(below) == 3  # a, a/aa, b (to-dir is a symlink: listed, not opened)
    for c in below:
        assert not c.args.startswith("AT_FDCWD") and "O_DIRECTORY" in c.args and "O_NOFOLLOW" in c.args, c


def test_walk_topdown_pruning(tree: pathlib.Path) -> None:
    """Removing a name from dirnames top-down skips that subtree."""
    paths = []
    for path, dirs, _, _ in macres.walk(tree):
        paths.append(path)
        if "a" in dirs:
            dirs.remove("a")
    assert sorted(paths) == sorted([str(tree), str(tree / "b")])


def test_walk_onerror(tmp_path: pathlib.Path) -> None:
    """A top that does not exist goes to onerror; without onerror the walk is just empty."""
    errors: list[OSError] = []
    assert list(macres.walk(tmp_path / "missing", onerror=errors.append)) == []
    assert [type(e) for e in errors] == [FileNotFoundError]
    assert list(macres.walk(tmp_path / "missing")) == []


def test_walk_reports_unreadable_directories(tree: pathlib.Path) -> None:
    """A subdirectory that cannot be opened goes to onerror and the walk goes on (as uid nobody when run as root)."""
    shared = pathlib.Path(tempfile.mkdtemp(prefix="macres-walk-"))  # reachable by nobody, unlike tmp_path
    try:
        shutil.copytree(tree, shared / "t", symlinks=True, ignore=lambda d, names: ["fifo"])
        for where, dirs, _ in os.walk(shared):
            for name in dirs:
                os.chmod(os.path.join(where, name), 0o755)
        shared.chmod(0o755)
        (shared / "t" / "b").chmod(0)

        def body() -> None:
            if os.geteuid() == 0:
                drop_privileges()
            errors: list[OSError] = []
            paths = [p for p, _, _, _ in macres.walk(shared / "t", onerror=errors.append)]
            assert [e.errno for e in errors] == [errno.EACCES], errors
            assert str(shared / "t" / "a" / "aa") in paths and str(shared / "t" / "b") not in paths, paths

        in_child(body)
    finally:
        (shared / "t" / "b").chmod(0o755)
        shutil.rmtree(shared)


def test_walk_never_follows_a_directory_replaced_by_a_symlink(tmp_path: pathlib.Path) -> None:
    """Swapping a listed subdirectory for a symlink before descent: the walk skips it, never reads the target."""
    root = tmp_path / "root"
    (root / "victim").mkdir(parents=True)
    (root / "victim" / "inside").write_bytes(b"")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"")
    walked = []
    for path, dirs, files, _ in macres.walk(root):
        walked.append((path, files))
        if path == str(root):
            assert dirs == ["victim"]
            (root / "victim").rename(tmp_path / "moved")  # between listing and descent
            os.symlink(outside, root / "victim")
    assert walked == [(str(root), [])]


def test_walk_skips_a_directory_replaced_by_a_file(tmp_path: pathlib.Path) -> None:
    """A subdirectory swapped for a regular file between listing and descent is skipped, without error."""
    root = tmp_path / "root"
    (root / "y").mkdir(parents=True)
    errors: list[OSError] = []
    paths = []
    for path, _, _, _ in macres.walk(root, onerror=errors.append):
        paths.append(path)
        if path == str(root):
            (root / "y").rmdir()
            (root / "y").write_bytes(b"")
    assert (paths, errors) == ([str(root)], [])


@pytest.mark.parametrize("topdown", [True, False])
def test_walk_stopped_early_leaks_nothing(tree: pathlib.Path, topdown: bool) -> None:
    """Abandoning a walk (generator close, or dropping it) closes every descriptor it opened."""
    before = macres.testing.open_descriptors()
    walker = macres.walk(tree, topdown=topdown)
    next(walker)
    next(walker)
    assert len(macres.testing.open_descriptors()) > len(before)
    walker.close()  # type: ignore[attr-defined]
    assert before == macres.testing.open_descriptors()
    for _ in macres.walk(tree, topdown=topdown):
        break
    assert before == macres.testing.open_descriptors()


def test_iterating_a_closed_directory_raises_at_iter(tree: pathlib.Path) -> None:
    """iter() of a closed Directory raises ClosedResourceError at once, on both cores (no generator that fails later)."""
    d = macres.opendir(tree)
    d.close()
    with pytest.raises(ClosedResourceError):
        iter(d)


def test_walk_of_a_closed_directory_raises(tree: pathlib.Path) -> None:
    """Walking a closed Directory raises ClosedResourceError."""
    d = macres.opendir(tree)
    d.close()
    with pytest.raises(ClosedResourceError):
        next(d.walk())


# -- the *at operations ----------------------------------------------------------------------------


def test_mkdir_rmdir(tmp_path: pathlib.Path) -> None:
    """mkdir makes a directory with mode less the umask; rmdir removes it; errors as os raises them."""
    with macres.opendir(tmp_path) as d:
        d.mkdir("m", 0o700)
        assert stat.S_IMODE(os.stat(tmp_path / "m").st_mode) == 0o700 & ~_umask()
        with pytest.raises(FileExistsError):
            d.mkdir("m")
        (tmp_path / "m" / "f").write_bytes(b"")
        with pytest.raises(OSError, match="not empty") as info:
            d.rmdir("m")
        assert info.value.errno == errno.ENOTEMPTY
        os.unlink(tmp_path / "m" / "f")
        d.rmdir("m")
        assert not (tmp_path / "m").exists()
        with pytest.raises(ValueError):
            d.mkdir("a\0b")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_opendir_of_a_subdirectory(tree: pathlib.Path) -> None:
    """opendir opens a subdirectory; follow_symlinks=False refuses a symlink (ENOTDIR on Linux, ELOOP); a file is ENOTDIR."""
    with macres.opendir(tree) as d:
        with d.opendir("a") as a:
            assert {e.name for e in a} == {"aa", "f1"}
        with d.opendir("to-dir") as via:
            assert via.fstat().st_ino == os.stat(tree / "a").st_ino
        with pytest.raises(OSError) as info:
            d.opendir("to-dir", follow_symlinks=False)
        assert info.value.errno in (errno.ENOTDIR, errno.ELOOP)
        with pytest.raises(NotADirectoryError):
            d.opendir("top")


def test_rename_within_and_across_directories(tree: pathlib.Path) -> None:
    """rename moves names relative to the directory, or into target; it replaces by default."""
    with macres.opendir(tree) as d, macres.opendir(tree / "b") as b:
        d.rename("top", "top2")
        assert (tree / "top2").read_bytes() == b"t"
        d.rename("top2", "moved", target=b)
        assert (tree / "b" / "moved").read_bytes() == b"t"
        b.rename("moved", "f3")  # replaces
        assert (tree / "b" / "f3").read_bytes() == b"t"
        with pytest.raises(FileNotFoundError):
            d.rename("missing", "x")


def test_rename_noreplace_and_exchange(tmp_path: pathlib.Path) -> None:
    """replace=False refuses an existing target (EEXIST); exchange=True swaps two names atomically."""
    (tmp_path / "x").write_bytes(b"x")
    (tmp_path / "y").write_bytes(b"y")
    with macres.opendir(tmp_path) as d:
        try:
            d.rename("x", "y", replace=False)
        except OSError as err:
            if err.errno == errno.EINVAL:
                pytest.skip("this file system has no RENAME_NOREPLACE")
            assert err.errno == errno.EEXIST
        else:
            pytest.fail("replace=False replaced an existing name")
        d.rename("x", "z", replace=False)
        d.rename("z", "y", exchange=True)
        with pytest.raises(ValueError):
            d.rename("z", "y", exchange=True, replace=False)
    assert ((tmp_path / "z").read_bytes(), (tmp_path / "y").read_bytes()) == (b"y", b"x")


def test_link_and_symlink_and_readlink(tree: pathlib.Path) -> None:
    """link makes a hard link (of a symlink itself, or its target with follow_symlinks); symlink and readlink round-trip."""
    with macres.opendir(tree) as d, macres.opendir(tree / "b") as b:
        d.link("top", "hard")
        assert os.stat(tree / "hard").st_ino == os.stat(tree / "top").st_ino
        assert os.stat(tree / "top").st_nlink == 2
        d.link("to-file", "hard-link-itself")
        assert os.path.islink(tree / "hard-link-itself")
        d.link("to-file", "followed", target=b, follow_symlinks=True)
        assert os.stat(tree / "b" / "followed").st_ino == os.stat(tree / "top").st_ino
        d.symlink("../somewhere/é", "s")
        assert os.readlink(tree / "s") == "../somewhere/é"
        assert d.readlink("s") == "../somewhere/é"
        assert d.readlink(b"s") == os.fsencode("../somewhere/é")
        with pytest.raises(FileExistsError):
            d.symlink("x", "s")
        with pytest.raises(OSError) as info:
            d.readlink("top")
        assert info.value.errno == errno.EINVAL


def test_names_resolve_against_the_directory_after_it_moves(tmp_path: pathlib.Path) -> None:
    """The *at calls follow the directory itself, not its old path."""
    (tmp_path / "old").mkdir()
    with macres.opendir(tmp_path / "old") as d:
        (tmp_path / "old").rename(tmp_path / "new")
        d.mkdir("m")
        d.symlink("t", "s")
        d.rename("s", "s2")
    assert sorted(os.listdir(tmp_path / "new")) == ["m", "s2"]


@needs_strace
def test_at_calls_reach_the_kernel_relative_to_the_descriptor(tmp_path: pathlib.Path) -> None:
    """mkdir, symlink, readlink, link and rename are the *at system calls on the directory's descriptor."""
    (tmp_path / "f").write_bytes(b"")
    calls = kernel_calls(
        "d.mkdir('m'); d.symlink('f', 's'); d.readlink('s'); d.link('f', 'h'); d.rename('h', 'h2', replace=False)\n",
        f"import macres\nd = macres.opendir({str(tmp_path)!r})\n",
    )
    at = [c for c in calls if c.name in {"mkdirat", "symlinkat", "readlinkat", "linkat", "renameat2"}]
    assert [c.name for c in at] == ["mkdirat", "symlinkat", "readlinkat", "linkat", "renameat2"]
    assert all(not c.failed for c in at)
    assert "RENAME_NOREPLACE" in at[-1].args


# -- the raw helpers -------------------------------------------------------------------------------


def test_raw_at_helpers(tmp_path: pathlib.Path) -> None:
    """mkdirat, symlinkat, readlinkat, linkat, renameat and renameat2 work relative to a descriptor and AT_FDCWD."""
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        raw.mkdirat(fd, "d", 0o755)
        raw.symlinkat("d", fd, "s")
        assert raw.readlinkat(fd, "s") == b"d"
        (tmp_path / "f").write_bytes(b"")
        raw.linkat(fd, "f", fd, "g")
        raw.renameat(fd, "g", fd, "h")
        raw.renameat2(fd, "h", fd, "f", raw.ABI.RENAME_EXCHANGE)
        raw.mkdirat(raw.ABI.AT_FDCWD, tmp_path / "e")
        assert sorted(os.listdir(tmp_path)) == ["d", "e", "f", "h", "s"]
        with pytest.raises(FileExistsError):
            raw.renameat2(fd, "f", fd, "h", raw.ABI.RENAME_NOREPLACE)
        with pytest.raises(OverflowError):
            raw.mkdirat(1 << 40, "x")
        with pytest.raises(ValueError):
            raw.symlinkat("x", fd, "a\0")
    finally:
        os.close(fd)


def test_directory_module_reexports() -> None:
    """Directory and its values are reachable from macres, macres.directory and (as before) macres.fd."""
    assert macres.Directory is directory.Directory is macres.fd.Directory
    assert macres.FileType is macres.fd.FileType
    assert macres.opendir is macres.fd.opendir
    assert sys.modules["macres.directory"] is directory
