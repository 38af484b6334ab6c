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

The hot calls (read, readinto, write, pread, pread_into, pwrite, seek,
tell, fstat) and the lifecycle come from the core (``macres._backend``):
the compiled core's C methods, or the pure-Python reference.  Every other
method here is one call through :meth:`Handle._call`, which holds the
descriptor for the duration of the call.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import operator
import os
import stat
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Final

import attrs
from typing_extensions import Buffer, Self

from . import raw
from ._backend import core
from ._errors import UnsupportedOperation
from . import _locks, _transfer
from ._handle import FdHandle, HasFileno, fileno_of
from ._locks import LockHolder
from .raw import StatFS
from .raw import INT_MAX, pathconf_name

__all__ = [
    "FileDescriptor", "LOCK_EX", "LockHolder", "LOCK_NB", "LOCK_SH", "LOCK_UN", "O_ACCMODE", "O_APPEND",
    "O_ASYNC", "O_CLOEXEC", "O_CREAT", "O_DIRECTORY", "O_DSYNC", "O_EXCL", "O_NDELAY",
    "O_NOCTTY", "O_NOFOLLOW", "O_NONBLOCK", "O_RDONLY", "O_RDWR", "O_SYNC", "O_TRUNC",
    "O_WRONLY", "SEEK_CUR", "SEEK_DATA", "SEEK_END", "SEEK_HOLE", "SEEK_SET", "open",
    "pipe",
]  # fmt: skip

_abi = raw.ABI


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

_F_FULLFSYNC: Final[int | None] = getattr(_abi, "F_FULLFSYNC", None)
_fdatasync = getattr(os, "fdatasync", None)

_os_readv = os.readv
_os_writev = os.writev
_os_write = os.write


def _descriptor(fd: int) -> int:
    """Check a descriptor number handed to a constructor."""
    fd = operator.index(fd)
    if fd < 0:
        raise ValueError(f"file descriptor must not be negative, got {fd}")
    if fd > INT_MAX:
        raise OverflowError(f"file descriptor {fd} does not fit a C int")
    return fd


def _write_all(fd: int, data: Buffer) -> None:
    with memoryview(data) as view, view.cast("B") as flat:
        done, total = 0, len(flat)
        while done < total:
            done += _os_write(fd, flat[done:])


def _readv(fd: int, buffers: Sequence[Buffer]) -> int:
    try:
        return _os_readv(fd, buffers)
    except BufferError as exc:  # as io.FileIO.readinto reports a read-only buffer
        raise TypeError(f"a writable buffer is required: {exc}") from None


def _get_flag(fd: int, get: int, bit: int) -> bool:
    return bool(raw.fcntl(fd, get, 0) & bit)


def _set_flag(fd: int, get: int, set_: int, bit: int, on: bool) -> None:
    flags = raw.fcntl(fd, get, 0)
    new = flags | bit if on else flags & ~bit
    if new != flags:
        raw.fcntl(fd, set_, new)


def _utimens(fd: int, times_ns: tuple[int, int] | None) -> None:
    if times_ns is None:
        os.utime(fd)
    else:
        os.utime(fd, ns=times_ns)


def _fsync(fd: int, full: bool) -> None:
    if full and _F_FULLFSYNC is not None:
        try:
            raw.fcntl(fd, _F_FULLFSYNC, 0)
            return
        except OSError as exc:
            if exc.errno not in _abi.FULLFSYNC_FALLBACK_ERRNOS:  # raw/_darwin.py says why these
                raise
    raw.fsync(fd)


# -- fcntl and ioctl: an int where the call takes a value, a buffer where it takes a pointer
_IOC_POINTER: Final = _abi.IOC_IN | _abi.IOC_OUT


def _fcntl_size(cmd: int) -> int | None:
    """The bytes a pointer argument of *cmd* points to, or None when *cmd* takes an int value.

    Raises:
        ValueError: *cmd* is not a command macres knows here.
    """
    if cmd in _abi.FCNTL_VALUE_COMMANDS:
        return None
    size = _abi.FCNTL_POINTER_COMMANDS.get(cmd)
    if size is None:
        raise ValueError(
            f"fcntl command {cmd} is unknown here: its argument could be read as an address "
            "(macres.raw.fcntl passes any command, unchecked)"
        )
    return size


def _ioctl_size(request: int) -> int | None:
    """The bytes a pointer argument of *request* points to, or None when *request* takes a value.

    The platform's exceptions first, then the request's encoding: a size
    with a direction means a pointer; darwin's ``IOC_VOID`` a value.

    Raises:
        ValueError: nothing says what *request* takes.  OverflowError: not an unsigned long.
    """
    if not 0 <= request < 1 << 64:
        raise OverflowError(f"ioctl request {request} does not fit an unsigned long")
    if request in _abi.IOCTL_VALUE_REQUESTS:
        return None
    size = _abi.IOCTL_POINTER_REQUESTS.get(request)
    if size is not None:
        return size
    size = (request >> 16) & _abi.IOCPARM_MASK
    if request & _IOC_POINTER and size:
        return size
    if _abi.IOC_VOID and request & _abi.IOC_DIRMASK == _abi.IOC_VOID:
        return None
    raise ValueError(
        f"ioctl request {request:#x} is unknown here: its argument could be read as an address "
        "(macres.raw.ioctl passes any request, unchecked)"
    )


def _checked_call(
    call: Callable[[int, int, int | Buffer], int],
    fd: int,
    what: str,
    number: int,
    size: int | None,
    arg: int | Buffer,
) -> int:
    """``call(fd, number, arg)`` once *arg* is what *number* takes.

    That is an int value when *size* is None, and otherwise a writable
    buffer of *size* bytes or more, held (it cannot be resized) until the
    call returns.
    """
    if size is None:
        if not isinstance(arg, int):
            raise TypeError(f"{what} {number:#x} takes an int value, not {type(arg).__name__}")
        return call(fd, number, arg)
    if isinstance(arg, int):
        raise TypeError(
            f"{what} {number:#x} takes a pointer: pass a writable buffer of {size} bytes or more, "
            "not an int (the kernel would use it as an address)"
        )
    with memoryview(arg) as view, view.cast("B") as flat:
        if flat.readonly:
            raise TypeError(f"{what} {number:#x} needs a writable buffer")
        if flat.nbytes < size:
            raise ValueError(f"{what} {number:#x} needs a buffer of {size} bytes or more, got {flat.nbytes}")
        return call(fd, number, flat)


def _fcntl(fd: int, cmd: int, arg: int | Buffer) -> int:
    return _checked_call(raw.fcntl, fd, "fcntl command", cmd, _fcntl_size(cmd), arg)


def _ioctl(fd: int, request: int, arg: int | Buffer) -> int:
    return _checked_call(raw.ioctl, fd, "ioctl request", request, _ioctl_size(request), arg)


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class FileDescriptor(core.FileDescriptorBase):
    """An open file descriptor that closes itself (``with``, ``close()`` or collection).

    Create one with :func:`macres.open`, :func:`macres.pipe`,
    :meth:`Directory.open`, :meth:`dup`, or by adopting a number you own:
    ``FileDescriptor(fd)`` takes over *fd* and will close it.

    The hot calls (``read``, ``readinto``, ``write``, ``pread``,
    ``pread_into``, ``pwrite``, ``seek``, ``tell``, ``fstat``) and ``dup``
    come from the core.  Every method raises :class:`~macres.ClosedResourceError` after
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

    # -- reading and writing ----------------------------------------------
    def write_all(self, data: Buffer) -> None:
        """Write all of *data*, calling ``write(2)`` until every byte went.

        Raises:
            OSError: a call failed; some bytes may have been written.
        """
        self._call(_write_all, data)

    def readv(self, buffers: Sequence[Buffer]) -> int:
        """Fill the writable *buffers* in order (``readv(2)``); return the total count.

        Raises:
            TypeError: a buffer is read-only.
            OSError: the call failed (EINVAL for more than IOV_MAX buffers).
        """
        return self._call(_readv, buffers)

    def writev(self, buffers: Sequence[Buffer]) -> int:
        """Write *buffers* in order with one ``writev(2)``; return the total count.

        Raises:
            OSError: the call failed (EINVAL for more than IOV_MAX buffers).
        """
        return self._call(_os_writev, buffers)

    # -- metadata ------------------------------------------------------------
    def fstatfs(self) -> StatFS:
        """Return the :class:`~macres.StatFS` of the file system holding the file.

        Raises:
            OSError: the call failed.
        """
        return self._call(raw.fstatfs)

    def ftruncate(self, length: int) -> None:
        """Set the file's size to *length* bytes (``ftruncate(2)``).

        Raises:
            ValueError: *length* is negative.  OSError: EINVAL (not a regular
            file or not open for writing), EFBIG.
        """
        if length < 0:
            raise ValueError(f"length must not be negative, got {length}")
        self._call(raw.ftruncate, length)

    def fchmod(self, mode: int) -> None:
        """Change the file's permission bits (``fchmod(2)``).

        Raises:
            OSError: EPERM.  OverflowError: *mode* does not fit ``mode_t``.
        """
        self._call(raw.fchmod, mode)

    def fchown(self, uid: int, gid: int) -> None:
        """Change the file's owner and group (``fchown(2)``); -1 leaves one unchanged.

        Raises:
            OSError: EPERM.  OverflowError: an id out of range.
        """
        self._call(raw.fchown, uid, gid)

    def fchflags(self, flags: int) -> None:
        """Set BSD file flags (``UF_*``/``SF_*``) with ``fchflags(2)`` (macOS).

        Raises:
            UnsupportedOperation: on Linux.  OSError: the call failed.
        """
        self._call(raw.fchflags, flags)

    def fchdir(self) -> None:
        """Make this directory the process's working directory (``fchdir(2)``).

        Raises:
            OSError: ENOTDIR when the descriptor is not a directory.
        """
        self._call(raw.fchdir)

    def utimens(self, times_ns: tuple[int, int] | None = None) -> None:
        """Set access and modification times in integer nanoseconds; None means now.

        ``futimens(3)`` through CPython's ``os.utime`` (the Go table's
        ``futimes`` has only microseconds: see :meth:`futimes`).

        Raises:
            OSError: the call failed (EPERM, EROFS).  TypeError: *times_ns* is
            not a pair of ints.
        """
        self._call(_utimens, times_ns)

    def futimes(self, times: tuple[float, float] | None = None) -> None:
        """Set access and modification times in float seconds (``futimes(2)``, microseconds).

        Raises:
            OSError: the call failed.
        """
        timevals = None
        if times is not None:
            a, m = (round(t * 1_000_000) for t in times)
            timevals = (divmod(a, 1_000_000), divmod(m, 1_000_000))
        self._call(raw.futimes, timevals)

    def fpathconf(self, name: int | str) -> int | None:
        """Return a configurable limit of the file (``fpathconf(2)``); None for "no limit".

        *name* is a ``_PC_*`` number or its name (``"PC_NAME_MAX"`` or
        ``"NAME_MAX"``, as ``os.fpathconf`` accepts).

        Raises:
            ValueError: unknown *name*.  OSError: EINVAL for this file.
        """
        return self._call(raw.fpathconf, pathconf_name(name))

    # -- locking and syncing ---------------------------------------------------
    def flock(self, operation: int) -> None:
        """Apply or remove an advisory whole-file lock (``flock(2)``, ``LOCK_*``).

        Raises:
            BlockingIOError: ``LOCK_NB`` and another descriptor holds a conflicting lock.
            OSError: EINVAL for a bad *operation*.  Each names the file (its path, else ``fd N``).
        """
        self._call(_locks.flock, operation)

    @contextlib.contextmanager
    def locked(self, exclusive: bool = True, blocking: bool = True, timeout: float | None = None) -> Iterator[Self]:
        """Hold a ``flock(2)`` lock for the ``with`` block; unlock on exit, also on errors.

        ``exclusive=False`` takes a shared lock; ``blocking=False`` fails at
        once instead of waiting; *timeout* (seconds) waits at most that long,
        retrying ``LOCK_NB`` with a pause growing from 1 ms to 50 ms (flock
        has no timed wait).  When locking fails the descriptor stays open and
        usable.  Closing the descriptor inside the block releases the lock
        too.  flock locks belong to the open file description: descriptors
        inherited or duplicated from this one share it and exclude nothing
        among themselves (see :meth:`lock_range`).  Blocks do not nest: an
        inner ``locked()`` on the same descriptor converts the one lock, and
        its exit releases it while the outer block still runs.

        Raises:
            BlockingIOError: ``blocking=False`` and the lock is held elsewhere.
            TimeoutError: still held elsewhere after *timeout*.
            OSError: the lock call failed.  ValueError: a negative *timeout*.
            Each names the file: its path where the platform can say it, else ``fd N``.
        """
        op = LOCK_EX if exclusive else LOCK_SH
        if blocking and timeout is not None:
            self._call(_locks.flock_wait, op, timeout)
        else:
            self.flock(op if blocking else op | LOCK_NB)
        try:
            yield self
        finally:
            if not self.closed:
                self.flock(LOCK_UN)

    # -- byte-range locks (raw.ABI.RANGE_LOCK_COMMANDS: OFD locks on Linux, POSIX on macOS)
    def lock(
        self,
        start: int = 0,
        length: int = 0,
        *,
        exclusive: bool = True,
        blocking: bool = True,
        timeout: float | None = None,
    ) -> None:
        """Take a shared or exclusive lock on bytes ``[start, start+length)`` (``length`` 0: to the end, however far).

        Linux: an open-file-description lock (``fcntl(F_OFD_SETLK)``,
        ``F_OFD_SETLKW`` to wait): it belongs to this open file description,
        so other descriptions conflict with it (another ``open`` of the file,
        in this process too), while descriptors sharing this one (``dup``,
        inherited across ``fork``, passed over a socket) hold it together;
        it is released by :meth:`unlock` or when the last descriptor of the
        description closes.  macOS: a POSIX record lock (``F_SETLK``/``F_SETLKW``):
        it belongs to the *process*: descriptors and threads of one process
        never conflict with each other, a forked child does not inherit it,
        and closing *any* descriptor of the file in the process releases it.
        Taking a lock over a range already held by this owner converts it.
        *timeout* retries ``F_SETLK`` with a pause growing from 1 ms to 50 ms.

        Raises:
            BlockingIOError: held elsewhere and ``blocking=False``.
            TimeoutError: still held elsewhere after *timeout*.
            OSError: EBADF (an exclusive lock needs the file open for writing,
                a shared one for reading), ENOLCK, EDEADLK (macOS).  Each names the file.
            ValueError: a negative *start*, *length* or *timeout*.
        """
        self._call(_locks.lock, start, length, exclusive, blocking, timeout)

    def unlock(self, start: int = 0, length: int = 0) -> None:
        """Release the locks this owner holds on ``[start, start+length)`` (``fcntl(F_OFD_SETLK, F_UNLCK)``; ``F_SETLK`` on macOS).

        Raises:
            OSError: the call failed (the file is named).  ValueError: a negative *start* or *length*.
        """
        self._call(_locks.unlock, start, length)

    @contextlib.contextmanager
    def lock_range(
        self,
        start: int = 0,
        length: int = 0,
        *,
        exclusive: bool = True,
        blocking: bool = True,
        timeout: float | None = None,
    ) -> Iterator[Self]:
        """Hold a byte-range lock (see :meth:`lock`) for the ``with`` block; unlock the range on exit, also on errors.

        Ranges are not counted: an inner block over bytes the outer one
        holds unlocks them on its exit, as ``fcntl`` locks of one owner do.

        Raises:
            BlockingIOError, TimeoutError, OSError, ValueError: as :meth:`lock`.
        """
        self.lock(start, length, exclusive=exclusive, blocking=blocking, timeout=timeout)
        try:
            yield self
        finally:
            if not self.closed:
                self.unlock(start, length)

    def lock_holder(self, start: int = 0, length: int = 0, *, exclusive: bool = True) -> LockHolder | None:
        """The lock that would stop this owner from locking the range (shared, or *exclusive*), or None.

        ``fcntl(F_OFD_GETLK)`` on Linux: its ``pid`` is None, since the
        owner is an open file description (the kernel reports -1; read
        ``/proc/locks`` or ``macres stat`` for the rest); ``F_GETLK`` on
        macOS, with the owner's pid.  Locks of this owner never conflict with
        itself, so they are not reported.

        Raises:
            OSError: the call failed (the file is named).  ValueError: a negative *start* or *length*.
        """
        return self._call(_locks.holder, start, length, exclusive)

    def fsync(self, full: bool = False) -> None:
        """Flush the file's data and metadata to the device (``fsync(2)``).

        ``full=True`` asks the drive itself to flush its cache: ``F_FULLFSYNC``
        on macOS, falling back to ``fsync`` where the descriptor cannot take
        it (EBADF for pipes and sockets; ENOTSUP, EOPNOTSUPP, ENOTTY, ENODEV
        or EINVAL from file systems and drivers); plain ``fsync`` elsewhere,
        where fsync already reaches the device.

        Raises:
            OSError: EIO, EINVAL (a descriptor that cannot sync, such as a pipe).
        """
        self._call(_fsync, full)

    def fdatasync(self) -> None:
        """Flush the file's data, and only the metadata needed to read it (``fdatasync(2)``).

        Raises:
            UnsupportedOperation: the platform has no fdatasync (macOS; use :meth:`fsync`).
            OSError: the call failed.
        """
        if _fdatasync is None:
            raise UnsupportedOperation("fdatasync", raw.SYSTEM, "fsync")
        self._call(_fdatasync)

    # -- descriptor flags -----------------------------------------------------
    @property
    def inheritable(self) -> bool:
        """Whether a program run with exec(2) inherits the descriptor (FD_CLOEXEC clear).

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        return not self._call(_get_flag, _abi.F_GETFD, _abi.FD_CLOEXEC)

    @inheritable.setter
    def inheritable(self, value: bool) -> None:
        self._call(_set_flag, _abi.F_GETFD, _abi.F_SETFD, _abi.FD_CLOEXEC, not value)

    @property
    def blocking(self) -> bool:
        """Whether reads and writes wait (O_NONBLOCK clear); shared with every dup.

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        return not self._call(_get_flag, _abi.F_GETFL, O_NONBLOCK)

    @blocking.setter
    def blocking(self, value: bool) -> None:
        self._call(_set_flag, _abi.F_GETFL, _abi.F_SETFL, O_NONBLOCK, not value)

    def fcntl(self, cmd: int, arg: int | Buffer = 0) -> int:
        """``fcntl(fildes, cmd, arg)``: an int value, or a buffer for a command that takes a struct.

        A command that takes a pointer (``F_GETLK``, ``F_SETLK``,
        ``F_OFD_*``, ``F_GETPATH`` on macOS, ...) needs a writable buffer at
        least as large as its struct, passed in place (the kernel fills it);
        every other command this platform has takes an int, passed as the
        value.  A command macres does not know is refused, since its
        argument could be an address: ``macres.raw.fcntl`` (unsafe) passes
        anything.

        Raises:
            TypeError: an int for a pointer command, a buffer for a value
                command, or a read-only buffer.
            ValueError: an unknown command, or a buffer smaller than the struct.
            OSError: the call failed.  OverflowError: an int out of range.
        """
        return self._call(_fcntl, operator.index(cmd), arg)

    def ioctl(self, request: int, arg: int | Buffer = 0) -> int:
        """``ioctl(fildes, request, arg)``: an int value, or a buffer for a request that takes a pointer.

        What *request* takes comes from its encoding (``_IOR``/``_IOW``:
        a pointer to that many bytes; ``_IO`` on macOS: a value) and, for
        Linux requests older than the encoding (``FIONREAD``,
        ``TIOCGWINSZ``, ``TCSBRK``, ...), from a table.  A pointer request
        needs a writable buffer at least that large, passed in place (the
        kernel reads and fills it); a value request an int, passed as the
        value.  A request nothing describes is refused, since its argument
        could be an address: ``macres.raw.ioctl`` (unsafe) passes anything.

        Raises:
            TypeError: an int for a pointer request, a buffer for a value
                request, or a read-only buffer.
            ValueError: an unknown request, or a buffer smaller than it needs.
            OSError: ENOTTY and the like.  OverflowError: an int out of range.
        """
        return self._call(_ioctl, operator.index(request), arg)

    def isatty(self) -> bool:
        """Whether the descriptor is a terminal (``isatty(3)``)."""
        return self._call(os.isatty)

    # -- the io bridge: what io's buffered and text wrappers ask of a raw file --
    def readable(self) -> bool:
        """Whether the descriptor was opened for reading (``fcntl(F_GETFL)`` & ``O_ACCMODE``).

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        return self._call(_access_mode) != O_WRONLY

    def writable(self) -> bool:
        """Whether the descriptor was opened for writing (``fcntl(F_GETFL)`` & ``O_ACCMODE``).

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        return self._call(_access_mode) != O_RDONLY

    def seekable(self) -> bool:
        """Whether the file offset can move: ``lseek(fd, 0, SEEK_CUR)`` succeeds (as ``io.FileIO``).

        Raises:
            ClosedResourceError: closed.
        """
        return self._call(_seekable)

    def flush(self) -> None:
        """Do nothing: write(2) leaves no bytes in this process (``io.FileIO.flush``).

        Raises:
            ClosedResourceError: closed.
        """
        if self.closed:
            raise self._closed_error()

    def truncate(self, size: int | None = None) -> int:
        """Set the file's size to *size*, or to the file offset when None (``ftruncate(2)``); return it.

        The file offset does not move, as ``io.FileIO.truncate``.

        Raises:
            ValueError: *size* is negative.  OSError: EINVAL (not a regular
            file or not open for writing).
        """
        if size is not None and size < 0:
            raise ValueError(f"size must not be negative, got {size}")
        return self._call(_truncate, size)

    @property
    def mode(self) -> str:
        """The ``io.FileIO`` mode of the descriptor's flags: "rb", "wb", "ab", "rb+" or "ab+".

        Raises:
            ClosedResourceError: closed.  OSError: the fcntl call failed.
        """
        return self._call(_file_mode)

    def open_file(
        self,
        mode: str = "r",
        buffering: int = -1,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
        *,
        closefd: bool = True,
    ) -> typing.IO[typing.Any]:
        """Return a buffered (``"rb"``, ``"wb"``, ``"rb+"``) or text (``"r"``, ``"w"``, ``"r+"``) file over this descriptor.

        The arguments mean what they mean to the builtin ``open`` (and
        ``os.fdopen``), except that the descriptor is already open: "w", "a"
        and "x" only pick the writing side (nothing is truncated or
        created; appending is the descriptor's ``O_APPEND``).  The result is
        an ``io.BufferedReader``, ``io.BufferedWriter`` or
        ``io.BufferedRandom`` (for "+", which needs a seekable descriptor),
        wrapped in an ``io.TextIOWrapper`` for text.  ``buffering=1``
        line-buffers text; -1 picks the file's ``st_blksize``;
        ``buffering=0`` is refused: this object is the unbuffered file.

        Ownership, ``closefd=True`` (the default): the descriptor is handed
        over, as to ``os.fdopen``.  This FileDescriptor ends closed
        (:meth:`detach`) and the file object, over an ``io.FileIO`` of the
        same number, closes it, so io's wrappers run at the builtin
        ``open``'s speed.

        Ownership, ``closefd=False``: the file object reads and writes
        through this FileDescriptor, which stays open and the owner.
        Closing the file object flushes it and leaves this object open;
        closing this object first makes the file object's calls raise
        ``ValueError`` (bytes still buffered for writing are lost, as when
        an ``io.FileIO`` is closed under its buffer) and its ``close()``
        do nothing.  The number is closed once, by this object.

        Everything that can be refused (the mode, the side of the
        descriptor, the encoding, the newline) is checked before anything
        changes hands: an error leaves this FileDescriptor open and its own.

        Raises:
            ValueError: an invalid *mode* or *newline*, *buffering* 0, or text
                arguments for a binary mode.  ClosedResourceError: closed.
            io.UnsupportedOperation: the descriptor is not open for the
                *mode* asked, or "+" on a descriptor that cannot seek.
            LookupError: an unknown *encoding*.
            IsADirectoryError: a directory, with ``closefd=True``.
        """
        return _open_file(self, mode, buffering, encoding, errors, newline, closefd)

    # -- copying in the kernel ---------------------------------------------------
    def copy_to(
        self,
        dst: FileDescriptor | int | HasFileno,
        count: int | None = None,
        *,
        progress: Callable[[int, int | None], object] | None = None,
    ) -> int:
        """Copy *count* bytes (None: to end of file) from this descriptor's file offset to *dst*'s; return the count.

        The bytes stay in the kernel where the platform can: ``fcopyfile``
        (macOS, whole files), ``copy_file_range`` (Linux: the file system
        may share blocks, and holes in the source stay holes where *dst* has
        no bytes yet), ``sendfile`` (to a socket, or a pipe on Linux), and a
        ``read``/``write`` loop where none applies (EXDEV, EINVAL, ENOSYS,
        a pipe as the source); between files each skips the source's holes.  A regular source whose ``st_size`` is 0
        (``/proc``, ``/sys``) is read until EOF, or *count*.  Both file
        offsets end after what was copied; an ``O_APPEND`` *dst*'s at its end,
        where the bytes went (holes are then written as zeros).  *progress*
        is called as ``progress(copied, total)`` after each chunk of 8 MiB
        (*total* None when the source has no size); an exception it raises
        stops the copy there and propagates, what was copied stays.
        *dst* stays in use (it cannot be closed) for the call.

        Raises:
            ClosedResourceError: this or *dst* is closed.  ValueError: a negative *count*.
            OSError: a call failed (EBADF: a side not open for it; ENOSPC).
        """
        if count is not None and count < 0:
            raise ValueError(f"count must not be negative, got {count}")
        if isinstance(dst, FdHandle):
            target = dst
            return self._call(lambda s: target._call(lambda d: _transfer.copy_fds(s, d, count, progress)))
        return self._call(_transfer.copy_fds, fileno_of(dst, "dst"), count, progress)

    # -- extended attributes (errors name the file: its path where the platform can say it, else ``fd N``)
    def getxattr(self, name: str | bytes) -> bytes:
        """The value of the extended attribute *name* (``fgetxattr(2)``).

        Raises:
            OSError: ENODATA when there is none (on macOS too, whose ENOATTR is
                translated), ENOTSUP where the file system has none.
            ValueError: an empty name or a NUL byte.
        """
        value: bytes = self._call(_xattr, raw.fgetxattr, name)
        return value

    def setxattr(self, name: str | bytes, value: Buffer, flags: int = 0) -> None:
        """Set the extended attribute *name* to *value* (``fsetxattr(2)``).

        *flags* is 0, :data:`macres.fs.XATTR_CREATE` (fail if it exists) or
        :data:`macres.fs.XATTR_REPLACE` (fail unless it exists).

        Raises:
            FileExistsError: ``XATTR_CREATE`` and it exists.  OSError: ENODATA
                (``XATTR_REPLACE`` and none), ENOTSUP, EPERM, E2BIG, ENOSPC.
            ValueError: an empty name or a NUL byte.
        """
        self._call(_xattr, raw.fsetxattr, name, value, flags)

    def listxattr(self) -> list[str]:
        """The names of the file's extended attributes (``flistxattr(2)``).

        Raises:
            OSError: ENOTSUP where the file system has none.
        """
        return self._call(_xattr, raw.flistxattr)

    def removexattr(self, name: str | bytes) -> None:
        """Remove the extended attribute *name* (``fremovexattr(2)``).

        Raises:
            OSError: ENODATA when there is none, ENOTSUP, EPERM.  ValueError: an empty name or a NUL byte.
        """
        self._call(_xattr, raw.fremovexattr, name)

    # -- duplicates (dup comes from the core) -----------------------------------
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
        self._call(lambda fd: target._call(_dup2, fd, inheritable))


_T = typing.TypeVar("_T")


def _xattr(fd: int, call: Callable[..., _T], *args: object) -> _T:
    """``call(fd, *args)``, an ``f*xattr`` call, whose error names the file (as :mod:`macres.fs`'s do)."""
    try:
        return call(fd, *args)
    except OSError as exc:
        raise _locks.named(exc, fd) from None


def _access_mode(fd: int) -> int:
    return raw.fcntl(fd, _abi.F_GETFL, 0) & O_ACCMODE


def _seekable(fd: int) -> bool:
    try:
        raw.lseek(fd, 0, SEEK_CUR)
    except OSError:
        return False
    return True


def _truncate(fd: int, size: int | None) -> int:
    if size is None:
        size = raw.lseek(fd, 0, SEEK_CUR)
    raw.ftruncate(fd, size)
    return size


def _file_mode(fd: int) -> str:
    flags = raw.fcntl(fd, _abi.F_GETFL, 0)
    access = flags & O_ACCMODE
    if flags & O_APPEND:
        return "ab+" if access == O_RDWR else "ab"
    return {O_RDONLY: "rb", O_WRONLY: "wb"}.get(access, "rb+")


_NEWLINES: Final = (None, "", "\n", "\r", "\r\n")
_RAW_METHODS: Final = (
    "readinto", "readall", "read", "write", "seek", "tell", "truncate", "fileno", "isatty",
    "readable", "writable", "seekable", "flush",
)  # fmt: skip


class _BorrowedFile:
    """The raw file of ``open_file(closefd=False)``: a FileDescriptor's calls, and a close() that leaves it open.

    Each call is the FileDescriptor's own bound method, set on the instance
    (io calls them without a Python frame in between); ``close()`` removes
    them, so that afterwards the class's ``_refuse`` answers every call.
    """

    def __init__(self, fd: FileDescriptor) -> None:
        self._fd = fd
        for name in _RAW_METHODS:
            setattr(self, name, getattr(fd, name))

    @property
    def closed(self) -> bool:
        """Whether this file or its FileDescriptor was closed."""
        return "fileno" not in self.__dict__ or self._fd.closed

    @property
    def mode(self) -> str:
        """The FileDescriptor's :attr:`~FileDescriptor.mode`."""
        return self._fd.mode if not self.closed else self._refuse()

    def close(self) -> None:
        """Mark this file closed; the FileDescriptor stays open."""
        for name in _RAW_METHODS:
            self.__dict__.pop(name, None)

    def _refuse(self, *args: object) -> typing.NoReturn:
        raise ValueError("I/O operation on a closed file (its FileDescriptor stays open: closefd=False)")

    readinto = readall = read = write = seek = tell = truncate = fileno = _refuse
    isatty = readable = writable = seekable = flush = _refuse


def _open_file(
    fd: FileDescriptor,
    mode: str,
    buffering: int,
    encoding: str | None,
    errors: str | None,
    newline: str | None,
    closefd: bool,
) -> typing.IO[typing.Any]:
    """FileDescriptor.open_file: io.open's choice of wrappers, over *fd*."""
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str, not {type(mode).__name__}")
    chars = set(mode)
    sides = chars & set("rwax")
    if len(chars) != len(mode) or not chars <= set("rwaxbt+") or len(sides) != 1 or {"b", "t"} <= chars:
        raise ValueError(f"invalid mode {mode!r}")
    binary = "b" in chars
    if binary and (encoding is not None or errors is not None or newline is not None):
        raise ValueError("binary mode takes no encoding, errors or newline")
    if newline not in _NEWLINES:
        raise ValueError(f"illegal newline value: {newline!r}")
    buffering = operator.index(buffering)
    if buffering == 0:
        raise ValueError("buffering=0 is the FileDescriptor itself: use it directly")
    # What can fail is checked while this object still holds the descriptor.
    if encoding is not None:
        codecs.lookup(encoding)
    reading, writing = "r" in chars or "+" in chars, "r" not in chars or "+" in chars
    if reading and not fd.readable():
        raise io.UnsupportedOperation("File or stream is not readable.")
    if writing and not fd.writable():
        raise io.UnsupportedOperation("File or stream is not writable.")
    if "+" in chars and not fd.seekable():
        raise io.UnsupportedOperation("File or stream is not seekable.")
    st = fd.fstat()
    if closefd:  # the hand-over: an io.FileIO owns the number, and io's wrappers take their fast path over it
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        return io.open(fd.detach(), mode, buffering, encoding, errors, newline, closefd=True)  # noqa: UP020 - open here is macres.open
    line_buffering = buffering == 1 and not binary
    if buffering < 0 or buffering == 1:
        buffering = st.st_blksize if st.st_blksize > 1 else io.DEFAULT_BUFFER_SIZE
    rawfile: typing.Any = _BorrowedFile(fd)
    buffer: io.BufferedIOBase
    if "+" in chars:
        buffer = io.BufferedRandom(rawfile, buffering)
    elif "r" in chars:
        buffer = io.BufferedReader(rawfile, buffering)
    else:
        buffer = io.BufferedWriter(rawfile, buffering)
    if binary:
        return typing.cast("typing.IO[typing.Any]", buffer)
    try:
        text = io.TextIOWrapper(buffer, encoding, errors, newline, line_buffering)
    except BaseException:
        buffer.detach()  # leaves nothing that a collection could close
        raise
    text.mode = mode  # type: ignore[misc]  # as io.open sets it
    return text


def _dup2(t: int, fd: int, inheritable: bool) -> None:
    if fd != t:
        os.dup2(fd, t, inheritable=inheritable)




#: ``macres.open(path, flags="r", mode=0o666, *, dir_fd=None, inheritable=False)``: open
#: *path* and return its :class:`FileDescriptor` (``open(2)``/``openat(2)``), close-on-exec
#: unless *inheritable*; *flags* is a builtin-``open`` mode string or ``O_*`` bits.  The
#: core adopts the descriptor in the same step as it opens it.  See ``FileDescriptor.open``.
open = FileDescriptor.open


def pipe(*, inheritable: bool = False) -> tuple[FileDescriptor, FileDescriptor]:
    """Return ``(reader, writer)``, the two ends of a new pipe.

    Both are close-on-exec unless *inheritable*: made with
    ``pipe2(O_CLOEXEC)`` on Linux, so a fork in another thread never
    inherits them; macOS has no pipe2, and there the flag is set right after
    ``pipe(2)``.  With ``inheritable=True`` neither end is close-on-exec.
    The core owns both ends in the same step as it makes them.

    Raises:
        OSError: EMFILE, ENFILE.
    """
    return FileDescriptor._pipe(inheritable)


if not typing.TYPE_CHECKING:
    # Directory and its values moved to macres.directory (which imports this
    # module); still reachable here, where they were first, on first use.
    _MOVED: Final = frozenset(("Directory", "DirectoryEntry", "FileType", "opendir"))

    def __getattr__(name: str) -> object:
        if name in _MOVED:
            from . import directory

            return getattr(directory, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
