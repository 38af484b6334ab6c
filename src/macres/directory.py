"""Directories as objects: list them at ``os.scandir`` speed, walk them safely, and name files relative to them.

``macres.opendir(path)`` returns a :class:`Directory`.  Iterating it yields
:class:`DirectoryEntry` values (name, inode and type from the kernel's
batch reads, no call per entry); :func:`walk` goes down a tree through
directory descriptors as ``os.fwalk`` does, so a directory swapped for a
symlink mid-walk is never followed; the ``*at`` methods (open, stat,
mkdir, rename, link, symlink, readlink, unlink, utime) resolve names
against the directory itself, whatever happens to its path or the
working directory.  The listing comes from the core (``macres._backend``):
the compiled core's batch reader or the pure reference over ``os.scandir``.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import typing
from collections.abc import Callable, Generator, Iterator
from typing import Final

import attrs

from . import raw
from ._backend import core
from ._filetype import FileType
from ._handle import FdHandle
from .fd import FileDescriptor, _descriptor
from .fd import open as _open
from .raw import Stat, StrOrBytesPath

__all__ = ["Directory", "DirectoryEntry", "FileType", "WalkStep", "opendir", "walk"]

_abi = raw.ABI

#: One name in a directory (the core's value type): ``name``, ``inode``, ``type``.
DirectoryEntry = core.DirectoryEntry

#: ``os.open`` by a name of this module, read at each call, so macres.testing.faults can fail it as ``openat``.
_os_open = os.open
_FLAGS: Final = int(os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
_NOFOLLOW: Final = int(os.O_NOFOLLOW)
_DIR: Final = FileType.DIR
_LNK: Final = FileType.LNK

#: What :func:`walk` yields, as ``os.fwalk`` does: the directory's path
#: (joined from *top*), the names of its subdirectories (a list the caller
#: may prune when walking top-down), the other names, and the directory
#: itself (open until the walk moves on).
WalkStep = tuple[str, list[str], list[str], "Directory"]
#: What :func:`walk` yields for a bytes *top*: the same, the path and names as bytes.
_WalkStepBytes = tuple[bytes, list[bytes], list[bytes], "Directory"]


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Directory(core.DirectoryBase):
    """An open directory: list it, walk it, and open, make, rename, link and remove names relative to it.

    The handle is the directory's descriptor (``fileno()``), so it can be
    given as ``dir_fd`` and ``close()`` releases exactly that one number.
    Each iteration reads through its own open file description
    (``openat(fd, ".")``), in batches (``getdents64`` on Linux,
    ``readdir`` on macOS), so iterations start at the first entry, do not
    disturb each other, and their descriptor is closed when the iteration
    ends, is closed (``close()`` on the iterator), or is collected.
    Iteration skips ``.`` and ``..`` and yields :class:`DirectoryEntry`
    values in the directory's order; closing the directory makes the next
    step raise :class:`~macres.ClosedResourceError`.
    """

    def __init__(self, fd: int) -> None:
        """Adopt *fd*, an open directory descriptor; this object now owns and will close it.

        Raises:
            ValueError: *fd* is negative.  OverflowError: *fd* does not fit a C int.
        """
        self._adopt(_descriptor(fd))

    def open(
        self, name: StrOrBytesPath, flags: int | str = "r", mode: int = 0o666, *, inheritable: bool = False
    ) -> FileDescriptor:
        """Open *name* relative to this directory (``openat(2)``); see :func:`macres.open`.

        Raises:
            ValueError: an invalid mode string, a NUL byte.  OSError: the call failed.
        """
        return _open(name, flags, mode, dir_fd=self, inheritable=inheritable)

    def opendir(self, name: StrOrBytesPath, *, follow_symlinks: bool = True) -> Directory:
        """Open the subdirectory *name* (``openat(O_DIRECTORY)``; ``O_NOFOLLOW`` when *follow_symlinks* is False).

        Raises:
            NotADirectoryError: not a directory (also a symlink and ``follow_symlinks=False``
            on Linux; ELOOP on macOS).  OSError: ENOENT, EACCES.  ValueError: NUL byte.
        """
        return self._call(_open_dir, name, _FLAGS if follow_symlinks else _FLAGS | _NOFOLLOW)

    def stat(self, name: StrOrBytesPath, follow_symlinks: bool = True) -> Stat:
        """Return the :class:`~macres.Stat` of *name* relative to this directory (``fstatat(2)``).

        ``follow_symlinks=False`` describes a symbolic link itself.

        Raises:
            FileNotFoundError: no such name.  ValueError: NUL byte.
        """
        return self._call(raw.fstatat, name, 0 if follow_symlinks else _abi.AT_SYMLINK_NOFOLLOW)

    def unlink(self, name: StrOrBytesPath, directory: bool = False) -> None:
        """Remove *name* relative to this directory (``unlinkat(2)``).

        ``directory=True`` removes an empty directory (``AT_REMOVEDIR``).

        Raises:
            FileNotFoundError: no such name.  IsADirectoryError/PermissionError:
            a directory without ``directory=True``.  OSError: ENOTEMPTY.
            ValueError: NUL byte.
        """
        self._call(raw.unlinkat, name, _abi.AT_REMOVEDIR if directory else 0)

    def rmdir(self, name: StrOrBytesPath) -> None:
        """Remove the empty directory *name* (``unlinkat(AT_REMOVEDIR)``).

        Raises:
            FileNotFoundError: no such name.  NotADirectoryError: not a directory.
            OSError: ENOTEMPTY.  ValueError: NUL byte.
        """
        self._call(raw.unlinkat, name, _abi.AT_REMOVEDIR)

    def mkdir(self, name: StrOrBytesPath, mode: int = 0o777) -> None:
        """Make the directory *name* relative to this one (``mkdirat(2)``), *mode* less the umask.

        Raises:
            FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  ValueError: NUL byte.
        """
        self._call(_mkdirat, name, mode)

    def rename(
        self,
        old: StrOrBytesPath,
        new: StrOrBytesPath,
        *,
        target: Directory | None = None,
        replace: bool = True,
        exchange: bool = False,
    ) -> None:
        """Rename *old* to *new* (relative to *target*, default this directory) (``renameat(2)``).

        ``replace=False`` refuses an existing *new* atomically (``renameat2``
        ``RENAME_NOREPLACE``; ``renameatx_np`` ``RENAME_EXCL`` on macOS);
        ``exchange=True`` swaps the two names atomically (``RENAME_EXCHANGE``,
        ``RENAME_SWAP``).

        Raises:
            FileNotFoundError: ENOENT.  FileExistsError: EEXIST (``replace=False``).
            OSError: EXDEV, ENOTEMPTY, EINVAL (flags the file system lacks).
            ValueError: NUL byte; ``exchange`` with ``replace=False``.
            ClosedResourceError: either directory is closed.
        """
        if exchange and not replace:
            raise ValueError("exchange=True swaps the names: replace=False cannot apply")
        flags = _abi.RENAME_EXCHANGE if exchange else 0 if replace else _abi.RENAME_NOREPLACE
        _two(self, target, _renameat, old, new, flags)

    def link(
        self, old: StrOrBytesPath, new: StrOrBytesPath, *, target: Directory | None = None, follow_symlinks: bool = False
    ) -> None:
        """Make *new* (relative to *target*, default this directory) a hard link to *old* (``linkat(2)``).

        ``follow_symlinks=True`` links what a symlink *old* points to
        (``AT_SYMLINK_FOLLOW``); by default the symlink itself.

        Raises:
            FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  OSError: EXDEV, EPERM.
            ValueError: NUL byte.  ClosedResourceError: either directory is closed.
        """
        _two(self, target, raw.linkat, old, new, _abi.AT_SYMLINK_FOLLOW if follow_symlinks else 0)

    def symlink(self, target: StrOrBytesPath, name: StrOrBytesPath) -> None:
        """Make *name* a symbolic link whose content is *target*, stored as given (``symlinkat(2)``).

        Raises:
            FileExistsError: EEXIST.  FileNotFoundError: ENOENT.  ValueError: NUL byte.
        """
        self._call(_symlinkat, target, name)

    def readlink(self, name: StrOrBytesPath) -> str | bytes:
        """Return the content of the symbolic link *name* (``readlinkat(2)``): bytes for a bytes *name*, else str.

        Raises:
            FileNotFoundError: ENOENT.  OSError: EINVAL (not a symlink).  ValueError: NUL byte.
        """
        value = self._call(raw.readlinkat, name)
        return value if isinstance(os.fspath(name), bytes) else os.fsdecode(value)

    def utime(
        self, name: StrOrBytesPath, times_ns: tuple[int, int] | None = None, *, follow_symlinks: bool = True
    ) -> None:
        """Set *name*'s access and modification times in nanoseconds (``utimensat(2)``); None means now.

        Raises:
            FileNotFoundError: no such name.  ValueError: NUL byte, negative time.
            OSError: EPERM.
        """
        times = None
        if times_ns is not None:
            atime, mtime = times_ns
            if atime < 0 or mtime < 0:
                raise ValueError(f"times must not be negative, got {times_ns}")
            times = (divmod(atime, 1_000_000_000), divmod(mtime, 1_000_000_000))
        self._call(raw.utimensat, name, times, 0 if follow_symlinks else _abi.AT_SYMLINK_NOFOLLOW)

    def fstat(self) -> Stat:
        """Return the :class:`~macres.Stat` of the directory itself (``fstat(2)``).

        Raises:
            OSError: the call failed.
        """
        return self._call(raw.fstat)

    def walk(
        self,
        *,
        topdown: bool = True,
        onerror: Callable[[OSError], object] | None = None,
        follow_symlinks: bool = False,
    ) -> Iterator[WalkStep]:
        """Walk the tree below this directory; see :func:`walk` (paths start with ``"."``).

        Raises:
            ClosedResourceError: this directory is closed.
        """
        return walk(self, topdown=topdown, onerror=onerror, follow_symlinks=follow_symlinks)


# -- the calls, each run with the directory's descriptor held ------------------
def _open_dir(fd: int, name: StrOrBytesPath, flags: int) -> Directory:
    """A Directory owning ``openat(fd, name, flags)``, owned from inside the call (see the core's ``_acquire``)."""
    d = Directory.__new__(Directory)
    d._acquire(functools.partial(_os_open, dir_fd=fd), name, flags)
    return d


def _mkdirat(fd: int, name: StrOrBytesPath, mode: int) -> None:
    raw.mkdirat(fd, name, mode)


def _symlinkat(fd: int, target: StrOrBytesPath, name: StrOrBytesPath) -> None:
    raw.symlinkat(target, fd, name)


def _renameat(olddirfd: int, old: StrOrBytesPath, newdirfd: int, new: StrOrBytesPath, flags: int) -> None:
    if flags:
        raw.renameat2(olddirfd, old, newdirfd, new, flags)
    else:
        raw.renameat(olddirfd, old, newdirfd, new)


def _two(
    source: Directory,
    target: Directory | None,
    call: Callable[[int, StrOrBytesPath, int, StrOrBytesPath, int], None],
    old: StrOrBytesPath,
    new: StrOrBytesPath,
    flags: int,
) -> None:
    """Run ``call(source_fd, old, target_fd, new, flags)`` with both descriptors held."""
    if target is None or target is source:
        source._call(lambda fd: call(fd, old, fd, new, flags))
        return
    source._call(lambda fd: target._call(lambda tfd: call(fd, old, tfd, new, flags)))


def opendir(path: StrOrBytesPath, *, dir_fd: int | FdHandle | None = None) -> Directory:
    """Open the directory *path* (relative to *dir_fd* if given) as a :class:`Directory` (``openat(O_DIRECTORY)``).

    The descriptor is close-on-exec.

    Raises:
        FileNotFoundError: no such path.  NotADirectoryError: not a directory.
        PermissionError: EACCES.  ValueError: NUL byte.
    """
    return Directory._take(_open(path, _FLAGS, dir_fd=dir_fd))


# -- walk ---------------------------------------------------------------------
_GONE: Final = frozenset({errno.ELOOP, errno.ENOTDIR})


@typing.overload
def walk(
    top: bytes | os.PathLike[bytes],
    *,
    topdown: bool = True,
    onerror: Callable[[OSError], object] | None = None,
    follow_symlinks: bool = False,
    dir_fd: int | FdHandle | None = None,
) -> Iterator[_WalkStepBytes]: ...
@typing.overload
def walk(
    top: str | os.PathLike[str] | Directory,
    *,
    topdown: bool = True,
    onerror: Callable[[OSError], object] | None = None,
    follow_symlinks: bool = False,
    dir_fd: int | FdHandle | None = None,
) -> Iterator[WalkStep]: ...
def walk(
    top: StrOrBytesPath | Directory,
    *,
    topdown: bool = True,
    onerror: Callable[[OSError], object] | None = None,
    follow_symlinks: bool = False,
    dir_fd: int | FdHandle | None = None,
) -> Iterator[WalkStep] | Iterator[_WalkStepBytes]:
    """Walk the directory tree at *top* through directory descriptors, as ``os.fwalk`` does.

    Yields ``(path, dirnames, filenames, directory)`` for each directory
    (:data:`WalkStep`): *path* is *top* joined with the names on the way
    (``"."`` for a *top* that is a :class:`Directory`), *dirnames* the
    subdirectories (symlinks to directories included, as ``os.walk``
    lists them; prune the list top-down to skip them), *filenames* the
    rest, and *directory* the open :class:`Directory`, valid until the
    walk moves on.  ``topdown=False`` yields children first.

    Each subdirectory is opened relative to its parent with
    ``openat(O_DIRECTORY | O_NOFOLLOW)`` and must be the inode its entry
    named (``fstat``; ``fstatat`` settles a mount point), so a directory
    replaced by a symlink or moved between listing and descent is skipped,
    never followed.  ``follow_symlinks=True`` descends into symlinks to
    directories, except into one of the directories it is already inside
    (a symlink loop, which ``os.walk`` would follow until an error).  Errors
    listing or opening a directory go to *onerror* (an ``OSError``) and
    the walk goes on; without *onerror* they are ignored.  A name that is
    no longer a directory when opened is skipped silently.  Every
    descriptor the walk opened is closed when it moves on, ends, or is
    abandoned (``close()`` on the generator); a *top* Directory stays open.
    A bytes *top* gives bytes paths and names, as ``os.fwalk`` does.

    Raises:
        ClosedResourceError: *top* is a closed Directory.
    """
    if isinstance(top, Directory):
        return _walk_top(top, ".", False, topdown, onerror, follow_symlinks)
    path = os.fspath(top)
    try:
        root = _open(top, _FLAGS if follow_symlinks else _FLAGS | _NOFOLLOW, dir_fd=dir_fd)
    except OSError as err:
        if onerror is not None:
            onerror(err)
        return iter(())
    steps = _walk_top(Directory._take(root), os.fsdecode(path), True, topdown, onerror, follow_symlinks)
    return _as_bytes(steps) if isinstance(path, bytes) else steps


def _as_bytes(steps: Generator[WalkStep, None, None]) -> Iterator[_WalkStepBytes]:
    """The steps with the path and names encoded; the caller's pruning of the bytes *dirnames* reaches the walk."""
    encode, decode = os.fsencode, os.fsdecode
    try:
        for path, dirs, files, d in steps:
            names = [encode(n) for n in dirs]
            yield encode(path), names, [encode(n) for n in files], d
            dirs[:] = [decode(n) for n in names]
    finally:
        steps.close()  # the walk's descriptors close with this generator


def _walk_top(
    root: Directory,
    path: str,
    owned: bool,
    topdown: bool,
    onerror: Callable[[OSError], object] | None,
    follow: bool,
) -> Generator[WalkStep, None, None]:
    """Walk *root* at *path*, closing it at the end when the walk *owned* it."""
    try:
        st = root.fstat()
        inside = {(st.st_dev, st.st_ino)} if follow else None
        yield from _walk(root, path, st.st_dev, topdown, onerror, inside, owned)
    finally:
        if owned:
            root.close()


def _walk(
    d: Directory,
    path: str,
    dev: int,
    topdown: bool,
    onerror: Callable[[OSError], object] | None,
    inside: set[tuple[int, int]] | None,
    owned: bool = True,
) -> Iterator[WalkStep]:
    """Walk *d* at *path* (on device *dev*); *inside* holds the (dev, inode) of the directories
    the walk is in when it follows symlinks (None when it does not).  A Directory the walk
    *owned* is read through its own descriptor; the caller's through an iteration's own."""
    follow = inside is not None
    try:
        entries = d._read_all() if owned else list(d)
    except OSError as err:
        if onerror is not None:
            onerror(err)
        return
    dirs: list[str] = []
    files: list[str] = []
    inodes: dict[str, int] = {}
    for e in entries:
        t = e.type
        if t is _DIR:
            dirs.append(e.name)
            inodes[e.name] = e.inode
        elif t is _LNK and _is_dir_link(d, e.name):
            dirs.append(e.name)
        else:
            files.append(e.name)
    if topdown:
        yield path, dirs, files, d
    for name in dirs:
        inode = inodes.get(name)
        if inode is None and not follow:
            continue  # a symlink: listed, not followed
        try:
            sub = d.opendir(name, follow_symlinks=follow)
        except OSError as err:
            if err.errno not in _GONE and onerror is not None:
                onerror(err)
            continue
        with sub:
            st = sub.fstat()
            if inside is None:
                if not _same(d, name, inode, dev, st):
                    continue  # replaced since the listing
                yield from _walk(sub, os.path.join(path, name), st.st_dev, topdown, onerror, None)
                continue
            key = (st.st_dev, st.st_ino)
            if key in inside:
                continue  # a symlink back into the walk's own path
            inside.add(key)
            try:
                yield from _walk(sub, os.path.join(path, name), st.st_dev, topdown, onerror, inside)
            finally:
                inside.discard(key)
    if not topdown:
        yield path, dirs, files, d


def _is_dir_link(d: Directory, name: str) -> bool:
    try:
        return stat.S_ISDIR(d.stat(name).st_mode)
    except OSError:
        return False


def _same(parent: Directory, name: str, inode: int | None, dev: int, st: Stat) -> bool:
    """Whether *st* (the opened subdirectory) is what the listing named: same inode, or (a mount point) what fstatat says."""
    if st.st_ino == inode and st.st_dev == dev:
        return True
    try:
        now = parent.stat(name, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
