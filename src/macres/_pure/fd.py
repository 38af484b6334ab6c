"""FileDescriptor's hot calls, in Python: the reference of ``_core_fd.c``.

Each method checks its arguments, then makes one call through
:meth:`Handle._call` (the lifecycle protocol, written once).  The calls are
CPython's ``os`` functions, which make the same system calls the compiled
core makes.
"""

from __future__ import annotations

import errno
import operator
import os
import stat
import sys
from functools import partial
from typing import Final

from typing_extensions import Buffer, Self

from .. import raw
from ..raw import INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, StrOrBytesPath
from ..raw._platform import os_preadv
from .handle import FdHandle
from .values import Stat, stat_of

__all__ = ["FileDescriptorBase"]

#: The most one read or write moves (macOS refuses more than INT_MAX bytes).
IO_MAX: Final = INT_MAX
_SEEK_SET: Final = os.SEEK_SET
_SEEK_CUR: Final = os.SEEK_CUR
_O_CLOEXEC: Final = os.O_CLOEXEC
_O_APPEND: Final = os.O_APPEND
_os_read = os.read
_os_readv = os.readv
_os_write = os.write
_os_pread = os.pread
_os_pwrite = os.pwrite
_os_lseek = os.lseek
_os_fstat = os.fstat
_os_open = os.open
_os_pipe = os.pipe
_os_dup = os.dup
_os_set_inheritable = os.set_inheritable
_os_preadv = os_preadv  # None without it: the raw layer's ctypes pread serves


# The builtin open's mode letters -> open(2) flags, before O_CLOEXEC.
_MODE_FLAGS: Final[dict[str, int]] = {
    "r": os.O_RDONLY,
    "r+": os.O_RDWR,
    "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    "w+": os.O_RDWR | os.O_CREAT | os.O_TRUNC,
    "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "a+": os.O_RDWR | os.O_CREAT | os.O_APPEND,
    "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL,
    "x+": os.O_RDWR | os.O_CREAT | os.O_EXCL,
}


def _at_end(fd: FileDescriptorBase, path: StrOrBytesPath) -> None:
    """Put *fd*'s offset at the end as the builtin open does for "a" (ESPIPE, a pipe or a tty: no error); close it on failure."""
    try:
        _os_lseek(fd._handle, 0, os.SEEK_END)
    except OSError as exc:
        if exc.errno == errno.ESPIPE:
            return
        fd.close()
        raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None


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


_SSIZE_MAX: Final = sys.maxsize


def ssize(value: int, what: str = "size") -> int:
    """*value* as a C ``ssize_t``, as the compiled core converts it.

    Raises:
        TypeError: not an integer.  OverflowError: beyond ``ssize_t``.
    """
    v = operator.index(value)
    if not -_SSIZE_MAX - 1 <= v <= _SSIZE_MAX:
        raise OverflowError(f"Python int too large to convert to C ssize_t ({what})")
    return v


def c_int(value: int, what: str) -> int:
    """*value* as a C ``int``, as the compiled core converts it.

    Raises:
        TypeError: not an integer (named).  OverflowError: beyond ``int``.
    """
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None
    if not INT_MIN <= v <= INT_MAX:
        raise OverflowError(f"{what} {v} does not fit a C int")
    return v


def _size(n: int) -> int:
    n = ssize(n)
    if n < 0:
        raise ValueError(f"size must not be negative, got {n}")
    return min(n, IO_MAX)


def _offset(offset: int) -> int:
    offset = operator.index(offset)
    if not LONG_MIN <= offset <= LONG_MAX:
        raise OverflowError("Python int too large to convert to C long long (offset)")
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    return offset


def writable(buf: Buffer) -> memoryview:
    """A writable, flat byte view of *buf*, with the compiled core's errors.

    Raises:
        TypeError: *buf* is read-only or not a buffer.
        ValueError: *buf* is not C-contiguous.
    """
    view = memoryview(buf)
    if view.readonly:
        view.release()
        raise TypeError("a writable buffer is required: Object is not writable.")
    return _flat(view)


def readable(buf: Buffer) -> memoryview:
    """A flat byte view of *buf*, with the compiled core's errors.

    Raises:
        TypeError: *buf* is not a buffer.  ValueError: *buf* is not C-contiguous.
    """
    return _flat(memoryview(buf))


def _flat(view: memoryview) -> memoryview:
    if not view.c_contiguous:
        view.release()
        raise ValueError("buffer must be C-contiguous")
    if view.format == "B" and view.ndim == 1:
        return view
    with view:
        return view.cast("B")


def _write(fd: int, view: memoryview, offset: int = -1) -> int:
    return _os_write(fd, view[:IO_MAX]) if offset < 0 else _os_pwrite(fd, view[:IO_MAX], offset)


def _readinto(fd: int, view: memoryview) -> int:
    if not view:  # read(2) of nothing, as the compiled core makes it (readv of nothing skips the checks)
        return len(_os_read(fd, 0))
    return _os_readv(fd, (view[:IO_MAX],))


def _pread_into(fd: int, view: memoryview, offset: int) -> int:
    if not view:
        return len(_os_pread(fd, 0, offset))
    if _os_preadv is None:  # pread(2) through the raw layer's ctypes binding
        return raw.reference("pread")(fd, view, offset)  # type: ignore[return-value]
    return _os_preadv(fd, (view[:IO_MAX],), offset)


#: The first read of _readall when fstat gives no size, and its least growth.
_READ_CHUNK: Final = 8192
_S_ISREG = stat.S_ISREG


def _readall(fd: int) -> bytes:
    """read(2) at the file offset until EOF, in chunks that grow as FileIO.readall's do."""
    size = _READ_CHUNK
    try:
        st = _os_fstat(fd)
        pos = _os_lseek(fd, 0, _SEEK_CUR)
    except OSError:
        pass
    else:
        if _S_ISREG(st.st_mode) and 0 <= pos <= st.st_size:
            size = st.st_size - pos + 1
    chunks: list[bytes] = []
    got = 0
    while True:
        try:
            chunk = _os_read(fd, min(size - got, IO_MAX))
        except BlockingIOError:
            if got:
                break
            raise
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        if got == size:
            more = size >> 3 if size >= 65536 else size + 256
            size += max(more, _READ_CHUNK)
    return b"".join(chunks)


class FileDescriptorBase(FdHandle):
    """FileDescriptor's lifecycle and hot calls."""

    __slots__ = ()

    def read(self, n: int | None = -1) -> bytes:
        """Read up to *n* bytes at the file offset (read(2)); ``b""`` at EOF.

        A negative *n* or None reads until EOF, as :meth:`readall` does.

        Raises:
            OSError: the call failed (BlockingIOError on an empty non-blocking pipe).
        """
        if n is None:
            return self._call(_readall)
        n = ssize(n)
        if n < 0:
            return self._call(_readall)
        return self._call(_os_read, min(n, IO_MAX))

    def readall(self) -> bytes:
        """Read from the file offset until EOF (read(2) in a loop); return the bytes.

        The first read(2) asks for what fstat(2) says is left plus one byte;
        later ones grow, as ``io.FileIO.readall``'s do.  A non-blocking
        descriptor that has no more data returns what was read.

        Raises:
            OSError: the call failed (BlockingIOError when nothing at all was
            available on a non-blocking descriptor).
        """
        return self._call(_readall)

    def readinto(self, buf: Buffer) -> int:
        """Read into the writable *buf* at the file offset (read(2)); return the count (0 at EOF).

        Raises:
            TypeError: *buf* is read-only.  OSError: the call failed.
        """
        with writable(buf) as view:
            return self._call(_readinto, view)

    def write(self, data: Buffer) -> int:
        """Write *data* at the file offset (write(2)); return how many bytes went.

        May write fewer bytes than given (pipes, sockets, signals): see ``write_all``.

        Raises:
            OSError: the call failed (BrokenPipeError, BlockingIOError, ...).
        """
        with readable(data) as view:
            return self._call(_write, view)

    def pread(self, n: int, offset: int) -> bytes:
        """Read up to *n* bytes at *offset* without moving the file offset (pread(2)).

        Raises:
            ValueError: *n* or *offset* is negative.
            OSError: the call failed (ESPIPE on a pipe).
            OverflowError: *offset* does not fit off_t.
        """
        return self._call(_os_pread, _size(n), _offset(offset))

    def pread_into(self, buf: Buffer, offset: int) -> int:
        """Read into the writable *buf* at *offset* (pread(2)); return the count.

        Zero-copy: the bytes land in *buf* directly.

        Raises:
            ValueError: *offset* is negative.  TypeError: *buf* is read-only.
            OSError: the call failed.  OverflowError: *offset* does not fit off_t.
        """
        offset = _offset(offset)
        with writable(buf) as view:
            return self._call(_pread_into, view, offset)

    def pwrite(self, data: Buffer, offset: int) -> int:
        """Write *data* at *offset* without moving the file offset (pwrite(2)).

        Raises:
            ValueError: *offset* is negative.  OSError: the call failed.
            OverflowError: *offset* does not fit off_t.
        """
        offset = _offset(offset)
        with readable(data) as view:
            return self._call(_write, view, offset)

    def seek(self, offset: int, whence: int = _SEEK_SET) -> int:
        """Move the file offset (lseek(2)); return the new offset.

        Raises:
            OSError: ESPIPE (pipe), EINVAL (bad *whence*, negative result).
            OverflowError: *offset* does not fit off_t.
        """
        offset = operator.index(offset)
        if not LONG_MIN <= offset <= LONG_MAX:
            raise OverflowError("Python int too large to convert to C long long (offset)")
        return self._call(_os_lseek, offset, c_int(whence, "whence"))

    def tell(self) -> int:
        """Return the file offset (``lseek(fd, 0, SEEK_CUR)``).

        Raises:
            OSError: ESPIPE on a pipe.
        """
        return self._call(_os_lseek, 0, _SEEK_CUR)

    def fstat(self) -> Stat:
        """Return the file's Stat (fstat(2)).

        Raises:
            OSError: the call failed.
        """
        return stat_of(self._call(_os_fstat))

    @classmethod
    def open(
        cls,
        path: StrOrBytesPath,
        flags: int | str = "r",
        mode: int = 0o666,
        *,
        dir_fd: int | FdHandle | None = None,
        inheritable: bool = False,
    ) -> Self:
        """Open *path* and return its FileDescriptor (``open(2)``/``openat(2)``).

        *flags* is a string with the builtin ``open``'s meaning ("r", "r+", "w",
        "w+", "a", "a+", "x", "x+", optionally with "b"; no text mode) or an int
        of ``O_*`` bits.  A mode string with "a" puts the file offset at the
        end, as the builtin open does (``lseek(SEEK_END)``); ``O_APPEND`` as an
        int leaves it at 0, as ``os.open`` does.  *mode* is the permission of
        a created file (before the umask).  *dir_fd* (a number, a
        FileDescriptor or a Directory) makes a relative *path* relative to
        that directory.  The descriptor is close-on-exec (``O_CLOEXEC`` is
        added) unless *inheritable* is true.

        Raises:
            ValueError: an invalid mode string, a NUL byte in *path*.
            OSError: the call failed (``FileNotFoundError``, ``PermissionError``,
            ``FileExistsError`` for "x", ...), with *path* as ``filename``.
            OverflowError: *flags* or *mode* out of range.
            ClosedResourceError: *dir_fd* is a closed object.
        """
        oflags = _mode_flags(flags) if isinstance(flags, str) else c_int(flags, "flags")
        mode = c_int(mode, "mode")
        if mode < 0:
            raise OverflowError(f"mode {mode} does not fit mode_t")
        if not inheritable:
            oflags |= _O_CLOEXEC
        if isinstance(dir_fd, FdHandle):
            self = dir_fd._call(lambda dfd: cls._open_at(path, oflags, mode, dfd))
        else:
            self = cls._open_at(path, oflags, mode, None if dir_fd is None else c_int(dir_fd, "dir_fd"))
        if isinstance(flags, str) and oflags & _O_APPEND:
            _at_end(self, path)
        return self

    @classmethod
    def _open_at(cls, path: StrOrBytesPath, flags: int, mode: int, dir_fd: int | None) -> Self:
        self = cls.__new__(cls)
        # os.open (a C function) adds O_CLOEXEC; _acquire owns its result in the same C-level call.
        self._acquire(_os_open if dir_fd is None else partial(_os_open, dir_fd=dir_fd), path, flags, mode)
        if not flags & _O_CLOEXEC:  # exactly *flags*: clear what os.open added
            _os_set_inheritable(self._handle, True)
        return self

    @classmethod
    def _pipe(cls, inheritable: bool = False) -> tuple[Self, Self]:
        """Return ``(reader, writer)`` of a new pipe, close-on-exec unless *inheritable*.

        Both ends are owned in the same step as they are made (``os.pipe``
        through :meth:`Handle._acquire_pair`).

        Raises:
            OSError: EMFILE, ENFILE.
        """
        reader, writer = cls.__new__(cls), cls.__new__(cls)
        reader._acquire_pair(writer, _os_pipe)  # pipe2(O_CLOEXEC) on Linux; pipe + FD_CLOEXEC on macOS
        if inheritable:
            _os_set_inheritable(reader._handle, True)
            _os_set_inheritable(writer._handle, True)
        return reader, writer

    def dup(self, *, inheritable: bool = False) -> Self:
        """Return a new descriptor for the same open file (``fcntl(F_DUPFD_CLOEXEC)``, or ``dup(2)`` when *inheritable*).

        The copy shares the file offset, status flags and flock locks, and is
        close-on-exec unless *inheritable*.  It is owned in the same step as
        it is made: nothing can interrupt in between and leak it.

        Raises:
            OSError: EMFILE.  ClosedResourceError: closed.
        """
        copy = type(self).__new__(type(self))
        self._call(_dup_into, copy, inheritable)
        return copy


def _dup_into(fd: int, copy: FdHandle, inheritable: bool) -> None:
    copy._acquire(_os_dup, fd)  # fcntl(F_DUPFD_CLOEXEC), in C
    if inheritable:
        _os_set_inheritable(copy._handle, True)
