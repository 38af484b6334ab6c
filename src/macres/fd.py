"""File descriptors and directories as objects that close themselves.

``macres.open(path, "r+")`` returns a :class:`FileDescriptor`, ``macres.pipe()``
two of them, ``macres.opendir(path)`` a :class:`Directory`.  All share the
lifecycle of :mod:`macres._handle`: ``close()`` is idempotent, ``with``
closes, a collected object closes and warns, an operation after close raises
:class:`~macres.ClosedResourceError` and never reaches the kernel, and a
close racing an operation in another thread defers the real close(2) until
that operation returns (so it can never touch a reused number).  A read
blocked on a pipe or a tty is not woken by ``close()``: it returns when data
or EOF arrives; only then is the descriptor closed.

Every descriptor macres creates is close-on-exec unless ``inheritable=True``
is asked for.

Speed: where ``macres.raw`` implements a call with CPython's own function
(``raw.BINDINGS`` says ``stdlib:os.pread`` and so on), the methods call that
function directly: the descriptor they pass is known to be valid, so the raw
wrapper's range check is redundant, and its extra frame would cost about 10%
of a 4 KiB ``pread``.  CPython's ``os`` also serves where it makes a call
atomically close-on-exec (``os.open`` adds ``O_CLOEXEC``, ``os.pipe`` uses
``pipe2`` and ``os.dup2`` uses ``dup3`` on Linux) and for the calls outside
Go's table (``futimens`` via ``os.utime``, ``fdatasync``, ``isatty``).
Everything else goes through ``macres.raw``.  The per-call methods (read,
readinto, write, pread, pread_into, pwrite, seek, tell, fstat) also inline
:meth:`Handle._enter`/:meth:`Handle._exit`, the same steps in the same
order, which saves two method calls per operation.
"""

from __future__ import annotations

import contextlib
import enum
import operator
import os
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Final, Union

import attrs
from typing_extensions import Buffer, Self, TypeAlias

from . import raw
from ._errors import UnsupportedOperation
from ._handle import FdHandle
from .raw import Stat, StatFS
from .raw._types import _set_stat_extra, _set_stat_result

__all__ = [
    "Directory", "DirectoryEntry", "FileDescriptor", "FileType", "LOCK_EX", "LOCK_NB", "LOCK_SH", "LOCK_UN", "O_ACCMODE", "O_APPEND",
    "O_ASYNC", "O_CLOEXEC", "O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL", "O_NDELAY",
    "O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY", "O_RDWR", "O_SYNC", "O_TRUNC",
    "O_WRONLY", "SEEK_CUR", "SEEK_DATA", "SEEK_END", "SEEK_HOLE", "SEEK_SET", "open", "opendir",
    "pipe",
]  # fmt: skip

_abi = raw.ABI

#: What a path argument accepts.
StrOrBytesPath: TypeAlias = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

# -- constants users combine (the same names on macOS and Linux) --------------
LOCK_SH: Final = _abi.LOCK_SH
LOCK_EX: Final = _abi.LOCK_EX
LOCK_NB: Final = _abi.LOCK_NB
LOCK_UN: Final = _abi.LOCK_UN
O_RDONLY: Final = _abi.O_RDONLY
O_WRONLY: Final = _abi.O_WRONLY
O_RDWR: Final = _abi.O_RDWR
O_ACCMODE: Final = _abi.O_ACCMODE
O_APPEND: Final = _abi.O_APPEND
O_ASYNC: Final = _abi.O_ASYNC
O_CLOEXEC: Final = _abi.O_CLOEXEC
O_CREAT: Final = _abi.O_CREAT
O_DIRECTORY: Final = _abi.O_DIRECTORY
O_DSYNC: Final = _abi.O_DSYNC
O_EXCL: Final = _abi.O_EXCL
O_NDELAY: Final = _abi.O_NDELAY
O_NOCTTY: Final = _abi.O_NOCTTY
O_NOFOLLOW: Final = _abi.O_NOFOLLOW
O_NONBLOCK: Final = _abi.O_NONBLOCK
O_SYNC: Final = _abi.O_SYNC
O_TRUNC: Final = _abi.O_TRUNC
SEEK_SET: Final = _abi.SEEK_SET
SEEK_CUR: Final = _abi.SEEK_CUR
SEEK_END: Final = _abi.SEEK_END
SEEK_DATA: Final = _abi.SEEK_DATA
SEEK_HOLE: Final = _abi.SEEK_HOLE

_INT_MAX: Final = (1 << 31) - 1
_F_FULLFSYNC: Final[int | None] = getattr(_abi, "F_FULLFSYNC", None)
_fdatasync = getattr(os, "fdatasync", None)

# The stdlib functions behind raw's @stdlib bindings (see the module docstring).
_os_read = os.read
_os_pread = os.pread
#: CPython has os.preadv on macOS only from 3.11 (on macOS 11+); raw.pread serves without it.
_os_preadv: Callable[..., int] | None = getattr(os, "preadv", None)
_os_pwrite = os.pwrite
_os_write = os.write
_os_readv = os.readv
_os_writev = os.writev
_os_lseek = os.lseek
_os_fstat = os.fstat
_new_stat = object.__new__
_SEEK_CUR: Final = int(SEEK_CUR)

_os_close = os.close
_new = object.__new__

# builtin open's mode letters -> open(2) flags, before O_CLOEXEC.  Plain ints:
# arithmetic on the IntFlag members costs more than the open(2) call.
_MODE_FLAGS: Final[dict[str, int]] = {
    "r": int(O_RDONLY),
    "r+": int(O_RDWR),
    "w": int(O_WRONLY | O_CREAT | O_TRUNC),
    "w+": int(O_RDWR | O_CREAT | O_TRUNC),
    "a": int(O_WRONLY | O_CREAT | O_APPEND),
    "a+": int(O_RDWR | O_CREAT | O_APPEND),
    "x": int(O_WRONLY | O_CREAT | O_EXCL),
    "x+": int(O_RDWR | O_CREAT | O_EXCL),
}
_CLOEXEC: Final = int(O_CLOEXEC)


def _mode_flags(mode: str) -> int:
    """Translate a builtin-``open`` mode string ("r", "w+", "ab", "rb+", ...) into O_* flags."""
    flags = _MODE_FLAGS.get(mode)
    if flags is not None:
        return flags
    chars = mode.replace("b", "", 1)
    if len(chars) == 2 and chars[0] == "+":  # "+r" is accepted by the builtin too
        chars = chars[1] + "+"
    flags = _MODE_FLAGS.get(chars)
    if flags is None or "b" in chars:
        raise ValueError(f"invalid mode {mode!r}: expected r, r+, w, w+, a, a+, x or x+, optionally with b")
    return flags


def _negative(value: int, what: str) -> None:
    """Raise ValueError when *value* is negative (called on error paths only)."""
    if isinstance(value, int) and value < 0:
        raise ValueError(f"{what} must not be negative, got {value}")


def _descriptor(fd: int) -> int:
    """Check a descriptor number handed to a constructor."""
    fd = operator.index(fd)
    if fd < 0:
        raise ValueError(f"file descriptor must not be negative, got {fd}")
    if fd > _INT_MAX:
        raise OverflowError(f"file descriptor {fd} does not fit a C int")
    return fd


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class FileDescriptor(FdHandle):
    """An open file descriptor that closes itself (``with``, ``close()`` or collection).

    Create one with :func:`macres.open`, :func:`macres.pipe`,
    :meth:`Directory.open`, :meth:`dup`, or by adopting a number you own:
    ``FileDescriptor(fd)`` takes over *fd* and will close it.

    Every method raises :class:`~macres.ClosedResourceError` after
    :meth:`close` or :meth:`detach`, and ``OSError`` (the builtin subclass for
    the errno) when the call fails.
    """

    def __init__(self, fd: int) -> None:
        """Adopt the open descriptor *fd*; this object now owns and will close it.

        Raises:
            ValueError: *fd* is negative.  OverflowError: *fd* does not fit a C int.
            TypeError: *fd* is not an integer.
        """
        self._adopt(_descriptor(fd))

    def _release(self, handle: int) -> None:
        _os_close(handle)  # raw.close is os.close; the number is known valid

    # -- reading and writing ----------------------------------------------
    def read(self, n: int) -> bytes:
        """Read up to *n* bytes at the file offset (``read(2)``); ``b""`` at EOF.

        Raises:
            ValueError: *n* is negative.  OSError: the call failed
            (``BlockingIOError`` on an empty non-blocking pipe).
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_read(self._handle, n)
        except OSError:
            _negative(n, "size")
            raise
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def readinto(self, buf: Buffer) -> int:
        """Read into the writable *buf* at the file offset; return the count (0 at EOF).

        Raises:
            TypeError: *buf* is read-only.  OSError: the call failed.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_readv(self._handle, (buf,))
        except BufferError as exc:  # as io.FileIO.readinto reports a read-only buffer
            raise TypeError(f"a writable buffer is required: {exc}") from None
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def write(self, data: Buffer) -> int:
        """Write *data* at the file offset (``write(2)``); return how many bytes went.

        May write fewer bytes than given (pipes, sockets, signals): see :meth:`write_all`.

        Raises:
            OSError: the call failed (``BrokenPipeError``, ``BlockingIOError``, ...).
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_write(self._handle, data)
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def write_all(self, data: Buffer) -> None:
        """Write all of *data*, calling ``write(2)`` until every byte went.

        Raises:
            OSError: a call failed; some bytes may have been written.
        """
        fd = self._enter()
        try:
            view = memoryview(data).cast("B")
            with view:
                done = _os_write(fd, view)
                total = len(view)
                while done < total:
                    done += _os_write(fd, view[done:])
        finally:
            self._exit()

    def pread(self, n: int, offset: int) -> bytes:
        """Read up to *n* bytes at *offset* without moving the file offset (``pread(2)``).

        Raises:
            ValueError: *n* or *offset* is negative.
            OSError: the call failed (``ESPIPE`` on a pipe).
            OverflowError: *offset* does not fit ``off_t``.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_pread(self._handle, n, offset)
        except OSError:
            _negative(n, "size")
            _negative(offset, "offset")
            raise
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def pread_into(self, buf: Buffer, offset: int) -> int:
        """Read into the writable *buf* at *offset* (``pread(2)``); return the count.

        Zero-copy: the bytes land in *buf* directly.

        Raises:
            ValueError: *offset* is negative.  TypeError: *buf* is read-only.
            OSError: the call failed.  OverflowError: *offset* does not fit ``off_t``.
        """
        if offset < 0:  # preadv(2) on Linux would read at the file offset instead
            raise ValueError(f"offset must not be negative, got {offset}")
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            if _os_preadv is None:
                return raw.pread(self._handle, buf, offset)
            return _os_preadv(self._handle, (buf,), offset)
        except BufferError as exc:  # as io.FileIO.readinto reports a read-only buffer
            raise TypeError(f"a writable buffer is required: {exc}") from None
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def pwrite(self, data: Buffer, offset: int) -> int:
        """Write *data* at *offset* without moving the file offset (``pwrite(2)``).

        Raises:
            ValueError: *offset* is negative.  OSError: the call failed.
            OverflowError: *offset* does not fit ``off_t``.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_pwrite(self._handle, data, offset)
        except OSError:
            _negative(offset, "offset")
            raise
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def readv(self, buffers: Sequence[Buffer]) -> int:
        """Fill the writable *buffers* in order (``readv(2)``); return the total count.

        Raises:
            TypeError: a buffer is read-only.
            OSError: the call failed (EINVAL for more than IOV_MAX buffers).
        """
        fd = self._enter()
        try:
            return _os_readv(fd, buffers)
        except BufferError as exc:  # as io.FileIO.readinto reports a read-only buffer
            raise TypeError(f"a writable buffer is required: {exc}") from None
        finally:
            self._exit()

    def writev(self, buffers: Sequence[Buffer]) -> int:
        """Write *buffers* in order with one ``writev(2)``; return the total count.

        Raises:
            OSError: the call failed (EINVAL for more than IOV_MAX buffers).
        """
        fd = self._enter()
        try:
            return _os_writev(fd, buffers)
        finally:
            self._exit()

    def seek(self, offset: int, whence: int = SEEK_SET) -> int:
        """Move the file offset (``lseek(2)``); return the new offset.

        Raises:
            OSError: ESPIPE (pipe), EINVAL (bad *whence*, negative result).
            OverflowError: *offset* does not fit ``off_t``.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_lseek(self._handle, offset, whence)
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def tell(self) -> int:
        """Return the file offset.

        Raises:
            OSError: ESPIPE on a pipe.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            return _os_lseek(self._handle, 0, _SEEK_CUR)
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    # -- metadata ------------------------------------------------------------
    def fstat(self) -> Stat:
        """Return the file's :class:`~macres.Stat` (``fstat(2)``).

        Raises:
            OSError: the call failed.
        """
        inflight = self._inflight  # Handle._enter/_exit inlined (module docstring, "Speed")
        inflight.append(None)
        try:
            if self._closing:
                raise self._closed_error()
            value = _new_stat(Stat)  # raw.fstat's calls, with raw.stat_of inlined
            _set_stat_result(value, _os_fstat(self._handle))
            _set_stat_extra(value, None)
            return value
        finally:
            inflight.pop()
            if self._closing and not inflight:
                self._finish()

    def fstatfs(self) -> StatFS:
        """Return the :class:`~macres.StatFS` of the file system holding the file.

        Raises:
            OSError: the call failed.
        """
        fd = self._enter()
        try:
            return raw.fstatfs(fd)
        finally:
            self._exit()

    def ftruncate(self, length: int) -> None:
        """Set the file's size to *length* bytes (``ftruncate(2)``).

        Raises:
            ValueError: *length* is negative.  OSError: EINVAL (not a regular
            file or not open for writing), EFBIG.
        """
        if length < 0:
            raise ValueError(f"length must not be negative, got {length}")
        fd = self._enter()
        try:
            raw.ftruncate(fd, length)
        finally:
            self._exit()

    def fchmod(self, mode: int) -> None:
        """Change the file's permission bits (``fchmod(2)``).

        Raises:
            OSError: EPERM.  OverflowError: *mode* does not fit ``mode_t``.
        """
        fd = self._enter()
        try:
            raw.fchmod(fd, mode)
        finally:
            self._exit()

    def fchown(self, uid: int, gid: int) -> None:
        """Change the file's owner and group (``fchown(2)``); -1 leaves one unchanged.

        Raises:
            OSError: EPERM.  OverflowError: an id out of range.
        """
        fd = self._enter()
        try:
            raw.fchown(fd, uid, gid)
        finally:
            self._exit()

    def fchflags(self, flags: int) -> None:
        """Set BSD file flags (``UF_*``/``SF_*``) with ``fchflags(2)`` (macOS).

        Raises:
            UnsupportedOperation: on Linux.  OSError: the call failed.
        """
        fd = self._enter()
        try:
            raw.fchflags(fd, flags)
        finally:
            self._exit()

    def fchdir(self) -> None:
        """Make this directory the process's working directory (``fchdir(2)``).

        Raises:
            OSError: ENOTDIR when the descriptor is not a directory.
        """
        fd = self._enter()
        try:
            raw.fchdir(fd)
        finally:
            self._exit()

    def utimens(self, times_ns: tuple[int, int] | None = None) -> None:
        """Set access and modification times in integer nanoseconds; None means now.

        ``futimens(3)`` through CPython's ``os.utime`` (the Go table's
        ``futimes`` has only microseconds: see :meth:`futimes`).

        Raises:
            OSError: the call failed (EPERM, EROFS).  TypeError: *times_ns* is
            not a pair of ints.
        """
        fd = self._enter()
        try:
            if times_ns is None:
                os.utime(fd)
            else:
                os.utime(fd, ns=times_ns)
        finally:
            self._exit()

    def futimes(self, times: tuple[float, float] | None = None) -> None:
        """Set access and modification times in float seconds (``futimes(2)``, microseconds).

        Raises:
            OSError: the call failed.
        """
        fd = self._enter()
        try:
            if times is None:
                raw.futimes(fd, None)
            else:
                a, m = (round(t * 1_000_000) for t in times)
                raw.futimes(fd, (divmod(a, 1_000_000), divmod(m, 1_000_000)))
        finally:
            self._exit()

    def fpathconf(self, name: int | str) -> int | None:
        """Return a configurable limit of the file (``fpathconf(2)``); None for "no limit".

        *name* is a ``_PC_*`` number or its name (``"PC_NAME_MAX"`` or
        ``"NAME_MAX"``, as ``os.fpathconf`` accepts).

        Raises:
            ValueError: unknown *name*.  OSError: EINVAL for this file.
        """
        number = _pathconf_name(name)
        fd = self._enter()
        try:
            return raw.fpathconf(fd, number)
        finally:
            self._exit()

    # -- locking and syncing ---------------------------------------------------
    def flock(self, operation: int) -> None:
        """Apply or remove an advisory whole-file lock (``flock(2)``, ``LOCK_*``).

        Raises:
            BlockingIOError: ``LOCK_NB`` and another descriptor holds a conflicting lock.
            OSError: EINVAL for a bad *operation*.
        """
        fd = self._enter()
        try:
            raw.flock(fd, operation)
        finally:
            self._exit()

    @contextlib.contextmanager
    def locked(self, exclusive: bool = True, blocking: bool = True) -> Iterator[Self]:
        """Hold a ``flock(2)`` lock for the ``with`` block; unlock on exit, also on errors.

        ``exclusive=False`` takes a shared lock; ``blocking=False`` fails at
        once instead of waiting.  When locking fails the descriptor stays
        open and usable.  Closing the descriptor inside the block releases
        the lock too.

        Raises:
            BlockingIOError: ``blocking=False`` and the lock is held elsewhere.
            OSError: the lock call failed.
        """
        op = LOCK_EX if exclusive else LOCK_SH
        self.flock(op if blocking else op | LOCK_NB)
        try:
            yield self
        finally:
            if not self._closing:
                self.flock(LOCK_UN)

    def fsync(self, full: bool = False) -> None:
        """Flush the file's data and metadata to the device (``fsync(2)``).

        ``full=True`` asks the drive itself to flush its cache: ``F_FULLFSYNC``
        on macOS (falling back to ``fsync`` where the file system refuses it
        with ENOTSUP or EINVAL); plain ``fsync`` elsewhere, where fsync already
        reaches the device.

        Raises:
            OSError: EIO, EINVAL (a descriptor that cannot sync, such as a pipe).
        """
        fd = self._enter()
        try:
            if full and _F_FULLFSYNC is not None:
                try:
                    raw.fcntl(fd, _F_FULLFSYNC, 0)
                    return
                except OSError as exc:
                    if exc.errno not in _FULLFSYNC_REFUSED:
                        raise
            raw.fsync(fd)
        finally:
            self._exit()

    def fdatasync(self) -> None:
        """Flush the file's data, and only the metadata needed to read it (``fdatasync(2)``).

        Raises:
            UnsupportedOperation: the platform has no fdatasync (macOS; use :meth:`fsync`).
            OSError: the call failed.
        """
        if _fdatasync is None:
            raise UnsupportedOperation("fdatasync", raw.SYSTEM, "fsync")
        fd = self._enter()
        try:
            _fdatasync(fd)
        finally:
            self._exit()

    # -- descriptor flags -----------------------------------------------------
    @property
    def inheritable(self) -> bool:
        """Whether a program run with exec(2) inherits the descriptor (FD_CLOEXEC clear).

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        fd = self._enter()
        try:
            return not raw.fcntl(fd, _abi.F_GETFD, 0) & _abi.FD_CLOEXEC
        finally:
            self._exit()

    @inheritable.setter
    def inheritable(self, value: bool) -> None:
        fd = self._enter()
        try:
            flags = raw.fcntl(fd, _abi.F_GETFD, 0)
            new = flags & ~_abi.FD_CLOEXEC if value else flags | _abi.FD_CLOEXEC
            if new != flags:
                raw.fcntl(fd, _abi.F_SETFD, new)
        finally:
            self._exit()

    @property
    def blocking(self) -> bool:
        """Whether reads and writes wait (O_NONBLOCK clear); shared with every dup.

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        fd = self._enter()
        try:
            return not raw.fcntl(fd, _abi.F_GETFL, 0) & O_NONBLOCK
        finally:
            self._exit()

    @blocking.setter
    def blocking(self, value: bool) -> None:
        fd = self._enter()
        try:
            flags = raw.fcntl(fd, _abi.F_GETFL, 0)
            new = flags & ~O_NONBLOCK if value else flags | O_NONBLOCK
            if new != flags:
                raw.fcntl(fd, _abi.F_SETFL, new)
        finally:
            self._exit()

    def fcntl(self, cmd: int, arg: int | Buffer = 0) -> int:
        """``fcntl(2)`` with an int *arg* or a writable buffer passed by address.

        Raises:
            OSError: the call failed.  OverflowError: an int out of range.
        """
        fd = self._enter()
        try:
            return raw.fcntl(fd, cmd, arg)
        finally:
            self._exit()

    def ioctl(self, request: int, arg: int | Buffer = 0) -> int:
        """``ioctl(2)`` with an int *arg* or a writable buffer passed by address.

        The buffer must be at least as large as *request* implies.

        Raises:
            OSError: ENOTTY and the like.  OverflowError: an int out of range.
        """
        fd = self._enter()
        try:
            return raw.ioctl(fd, request, arg)
        finally:
            self._exit()

    def isatty(self) -> bool:
        """Whether the descriptor is a terminal (``isatty(3)``)."""
        fd = self._enter()
        try:
            return os.isatty(fd)
        finally:
            self._exit()

    # -- duplicates ---------------------------------------------------------
    def dup(self, *, inheritable: bool = False) -> FileDescriptor:
        """Return a new descriptor for the same open file (``fcntl(F_DUPFD_CLOEXEC)``).

        The copy shares the file offset, status flags and ``flock`` locks,
        and is close-on-exec unless *inheritable*.

        Raises:
            OSError: EMFILE.
        """
        fd = self._enter()
        try:
            if inheritable:
                return FileDescriptor(raw.dup(fd))
            return FileDescriptor(raw.fcntl(fd, _abi.F_DUPFD_CLOEXEC, 0))
        finally:
            self._exit()

    def dup2(self, target: FileDescriptor, *, inheritable: bool = False) -> None:
        """Make *target* refer to this descriptor's open file (``dup2(2)``).

        *target* keeps its number and identity; the file it had open is
        closed.  It becomes close-on-exec unless *inheritable* (atomically
        with ``dup3`` on Linux).  Both objects stay in use for the call, so
        neither can be closed under it.

        Raises:
            ClosedResourceError: either object is closed.  OSError: the call failed.
            TypeError: *target* is not a FileDescriptor.
        """
        if not isinstance(target, FileDescriptor):
            raise TypeError(f"dup2 target must be a FileDescriptor, not {type(target).__name__}")
        fd = self._enter()
        try:
            t = target._enter()
            try:
                if fd != t:
                    os.dup2(fd, t, inheritable=inheritable)
            finally:
                target._exit()
        finally:
            self._exit()


_FULLFSYNC_REFUSED: Final = frozenset({_abi.ENOTSUP, _abi.EINVAL})


def _pathconf_name(name: int | str) -> int:
    """A ``_PC_*`` number from an int or a name ("PC_NAME_MAX", "NAME_MAX", "_PC_NAME_MAX")."""
    if isinstance(name, str):
        key = name if name.startswith("_PC_") else "_" + name if name.startswith("PC_") else "_PC_" + name
        number = _abi.CONSTANTS.get("pathconf", {}).get(key, getattr(_abi, key, None))
        if not isinstance(number, int):
            raise ValueError(f"unknown pathconf name {name!r}")
        return number
    return operator.index(name)


def _open(
    path: StrOrBytesPath, flags: int, mode: int, dir_fd: int | None, inheritable: bool
) -> FileDescriptor:
    """Open with CPython's ``os.open`` (always close-on-exec) or raw open/openat."""
    if not inheritable:
        if dir_fd is None:
            return FileDescriptor(os.open(path, flags, mode))
        return FileDescriptor(os.open(path, flags, mode, dir_fd=dir_fd))
    if dir_fd is None:
        return FileDescriptor(raw.open(path, flags, mode))
    return FileDescriptor(raw.openat(dir_fd, path, flags, mode))


def open(  # noqa: A001 - the module's purpose
    path: StrOrBytesPath,
    flags: int | str = "r",
    mode: int = 0o666,
    *,
    dir_fd: int | FdHandle | None = None,
    inheritable: bool = False,
) -> FileDescriptor:
    """Open *path* and return its :class:`FileDescriptor` (``open(2)``/``openat(2)``).

    *flags* is a string with the builtin ``open``'s meaning ("r", "r+", "w",
    "w+", "a", "a+", "x", "x+", optionally with "b"; no text mode) or an int
    of ``O_*`` bits.  *mode* is the permission of a created file (before the
    umask).  *dir_fd* (a number, a :class:`FileDescriptor` or a
    :class:`Directory`) makes a relative *path* relative to that directory.
    The descriptor is close-on-exec (``O_CLOEXEC`` is added) unless
    *inheritable* is true.

    Raises:
        ValueError: an invalid mode string, a NUL byte in *path*.
        OSError: the call failed (``FileNotFoundError``, ``PermissionError``,
        ``FileExistsError`` for "x", ...), with *path* as ``filename``.
        OverflowError: *flags* or *mode* out of range.
        ClosedResourceError: *dir_fd* is a closed object.
    """
    oflags = _MODE_FLAGS.get(flags) if flags.__class__ is str else None
    if oflags is None:
        oflags = _mode_flags(flags) if isinstance(flags, str) else operator.index(flags)
    if not inheritable:
        oflags |= _CLOEXEC
        if dir_fd is None:  # the common case, kept short: see issue 8's open+close target
            fdo = _new(FileDescriptor)
            fdo._adopt(os.open(path, oflags, mode))
            return fdo
    if dir_fd is None:
        return _open(path, oflags, mode, None, inheritable)
    if isinstance(dir_fd, FdHandle):
        dfd = dir_fd._enter()
        try:
            return _open(path, oflags, mode, dfd, inheritable)
        finally:
            dir_fd._exit()
    return _open(path, oflags, mode, operator.index(dir_fd), inheritable)


def pipe(*, inheritable: bool = False) -> tuple[FileDescriptor, FileDescriptor]:
    """Return ``(reader, writer)``, the two ends of a new pipe.

    Both are close-on-exec unless *inheritable*.  CPython's ``os.pipe``
    creates them with ``pipe2(O_CLOEXEC)`` on Linux, so a fork in another
    thread never inherits them; macOS has no pipe2, and there (as for
    ``inheritable=True``, which uses ``raw.pipe``) the flag is set right
    after ``pipe(2)``.

    Raises:
        OSError: EMFILE, ENFILE.
    """
    if inheritable:
        r, w = raw.pipe()
    else:
        r, w = os.pipe()
    return FileDescriptor(r), FileDescriptor(w)


class FileType(enum.IntEnum):
    """The ``DT_*`` file types a directory entry reports (the same values on macOS and Linux)."""

    UNKNOWN = 0
    FIFO = 1
    CHR = 2
    DIR = 4
    BLK = 6
    REG = 8
    LNK = 10
    SOCK = 12
    WHT = 14


_FILE_TYPES: Final[dict[int, FileType]] = {t.value: t for t in FileType}


@attrs.frozen
class DirectoryEntry:
    """One name in a directory, as ``readdir_r(3)`` reports it.

    ``name`` is decoded with ``os.fsdecode`` (``os.fsencode(entry.name)``
    gives the bytes back); ``inode`` is ``d_ino``; ``type`` is the
    :class:`FileType` the file system reports (``FileType.UNKNOWN`` where
    it does not say: ask :meth:`Directory.stat` then).
    """

    name: str
    inode: int
    type: FileType


_STREAM_FLAGS: Final = int(O_RDONLY | O_DIRECTORY | O_CLOEXEC)


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Directory(FdHandle):
    """An open directory: list it, and open, stat, unlink and touch names relative to it.

    The handle is the directory's descriptor (``fileno()``), so it can be
    given as ``dir_fd`` and ``close()`` releases exactly that one number.
    Each iteration reads through its own ``DIR *`` stream on its own open
    file description (``openat(fd, ".")`` then ``fdopendir``), so
    iterations start at the first entry, do not disturb each other, and
    the stream is closed with ``closedir(3)`` when the iteration ends, is
    abandoned or the directory is closed.  Iteration skips ``.`` and ``..``
    and yields :class:`DirectoryEntry` values in the directory's order.

    Relative names are resolved against this directory even if it is
    renamed or the working directory changes (the ``*at`` calls).
    """

    def __init__(self, fd: int) -> None:
        """Adopt *fd*, an open directory descriptor; this object now owns and will close it.

        Raises:
            ValueError: *fd* is negative.  OverflowError: *fd* does not fit a C int.
        """
        self._adopt(_descriptor(fd))

    def _release(self, handle: int) -> None:
        _os_close(handle)

    def __iter__(self) -> Iterator[DirectoryEntry]:
        """Yield the directory's entries except ``.`` and ``..`` (``readdir_r(3)``).

        Raises:
            ClosedResourceError: the directory is closed (also between entries).
            OSError: opening the stream or reading it failed.
        """
        fd = self._enter()
        try:
            stream_fd = os.open(".", _STREAM_FLAGS, dir_fd=fd)
            try:
                dirp = raw.fdopendir(stream_fd)
            except BaseException:
                _os_close(stream_fd)
                raise
        finally:
            self._exit()
        try:  # from here the stream owns stream_fd: closedir closes both, once
            while True:
                self._enter()
                try:
                    entry = raw.readdir_r(dirp)
                finally:
                    self._exit()
                if entry is None:
                    return
                name = entry.d_name
                if name == b"." or name == b"..":
                    continue
                yield DirectoryEntry(os.fsdecode(name), entry.d_ino, _FILE_TYPES.get(entry.d_type, FileType.UNKNOWN))
        finally:
            raw.closedir(dirp)

    def open(
        self, name: StrOrBytesPath, flags: int | str = "r", mode: int = 0o666, *, inheritable: bool = False
    ) -> FileDescriptor:
        """Open *name* relative to this directory (``openat(2)``); see :func:`macres.open`.

        Raises:
            ValueError: an invalid mode string, a NUL byte.  OSError: the call failed.
        """
        return open(name, flags, mode, dir_fd=self, inheritable=inheritable)

    def stat(self, name: StrOrBytesPath, follow_symlinks: bool = True) -> Stat:
        """Return the :class:`~macres.Stat` of *name* relative to this directory (``fstatat(2)``).

        ``follow_symlinks=False`` describes a symbolic link itself.

        Raises:
            FileNotFoundError: no such name.  ValueError: NUL byte.
        """
        fd = self._enter()
        try:
            return raw.fstatat(fd, name, 0 if follow_symlinks else _abi.AT_SYMLINK_NOFOLLOW)
        finally:
            self._exit()

    def unlink(self, name: StrOrBytesPath, directory: bool = False) -> None:
        """Remove *name* relative to this directory (``unlinkat(2)``).

        ``directory=True`` removes an empty directory (``AT_REMOVEDIR``).

        Raises:
            FileNotFoundError: no such name.  IsADirectoryError/PermissionError:
            a directory without ``directory=True``.  OSError: ENOTEMPTY.
            ValueError: NUL byte.
        """
        fd = self._enter()
        try:
            raw.unlinkat(fd, name, _abi.AT_REMOVEDIR if directory else 0)
        finally:
            self._exit()

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
        fd = self._enter()
        try:
            raw.utimensat(fd, name, times, 0 if follow_symlinks else _abi.AT_SYMLINK_NOFOLLOW)
        finally:
            self._exit()

    def fstat(self) -> Stat:
        """Return the :class:`~macres.Stat` of the directory itself.

        Raises:
            OSError: the call failed.
        """
        fd = self._enter()
        try:
            return raw.fstat(fd)
        finally:
            self._exit()


def opendir(path: StrOrBytesPath, *, dir_fd: int | FdHandle | None = None) -> Directory:
    """Open the directory *path* (relative to *dir_fd* if given) as a :class:`Directory`.

    The descriptor is close-on-exec.

    Raises:
        FileNotFoundError: no such path.  NotADirectoryError: not a directory.
        PermissionError: EACCES.  ValueError: NUL byte.
    """
    fdo = open(path, _STREAM_FLAGS, dir_fd=dir_fd)
    return Directory(fdo.detach())
