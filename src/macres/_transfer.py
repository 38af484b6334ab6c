"""Moving bytes between descriptors in the kernel: the copy engine and the socket sendfile loop.

Both work on descriptor numbers the caller holds (inside the objects'
``_call``).  Each tries the platform's zero-copy calls in order and falls
back to the next when one refuses (``UnsupportedOperation``, EXDEV, EINVAL,
ENOSYS, EOPNOTSUPP, ENOTSOCK, ...) before moving a byte:

* file to file: ``fcopyfile(COPYFILE_DATA)`` (macOS, whole files), then
  ``copy_file_range`` (Linux), then ``sendfile`` (Linux takes any output
  descriptor), then ``pread``/``write``, each by data extents
  (``SEEK_DATA``/``SEEK_HOLE``), so holes stay holes; a source whose
  ``st_size`` is 0 (procfs) by sendfile or pread/write until EOF;
* file to socket: ``sendfile`` (both platforms), then ``pread``/``send``;
* anything else: ``read``/``write``.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable
from typing import Final

from . import raw
from ._errors import UnsupportedOperation
from ._poll import wait as _wait_ready

__all__ = ["CHUNK", "Progress", "copy_fds", "send_file"]

#: ``progress(copied, total)``: *total* is None when the source's size is unknown.
Progress = Callable[[int, "int | None"], object]

#: Bytes per kernel call when a progress callback is given (it is called once per chunk).
CHUNK: Final = 8 << 20
#: Bytes per kernel call without one (below Linux's 2 GiB per-call limit).
_BIG: Final = 1 << 30
#: Buffer of the read/write fallback.
_BUFFER: Final = 1 << 20
#: Errors with which a zero-copy call says "not for these descriptors": try the next way.
_REFUSED: Final = frozenset(
    {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOTSOCK, errno.EBADF,
     errno.ESPIPE, errno.EPERM}
)  # fmt: skip
_SEEK_DATA: Final = int(raw.ABI.SEEK_DATA)
_SEEK_HOLE: Final = int(raw.ABI.SEEK_HOLE)
_COPYFILE_DATA: Final[int | None] = getattr(raw.ABI, "COPYFILE_DATA", None)
_F_GETFL: Final = int(raw.ABI.F_GETFL)
_O_APPEND: Final = int(raw.ABI.O_APPEND)


class _Refused(Exception):
    """A zero-copy call refused the descriptors before moving anything."""


def _refused(exc: OSError) -> bool:
    return isinstance(exc, UnsupportedOperation) or exc.errno in _REFUSED


class _Copy:
    """One copy's state: where each side is, how much went, who hears about it."""

    __slots__ = (
        "count", "done", "dst", "holes", "in_off", "out_off", "progress", "src", "step", "stop", "total", "wrote",
    )  # fmt: skip

    def __init__(self, src: int, dst: int, in_off: int | None, out_off: int | None, count: int | None,
                 total: int | None, progress: Progress | None) -> None:  # fmt: skip
        self.src, self.dst = src, dst
        self.in_off, self.out_off = in_off, out_off
        self.count, self.total, self.progress = count, total, progress
        self.done = 0
        #: Whether a call moved bytes (a skipped hole moves none): until then a refusal may fall back.
        self.wrote = False
        #: Whether holes may be skipped: only where the destination has no bytes yet.
        self.holes = False
        #: Where the current pass ends (a data extent's end, as a *done* count); None: at *count*.
        self.stop: int | None = None
        self.step = CHUNK if progress is not None else _BIG

    def _end(self) -> int | None:
        return self.count if self.stop is None else self.stop

    def want(self, limit: int | None = None) -> int:
        end = self._end()
        n = self.step if end is None else min(self.step, end - self.done)
        return n if limit is None else min(n, limit)

    def finished(self) -> bool:
        end = self._end()
        return end is not None and self.done >= end

    def moved(self, n: int, *, wrote: bool = True) -> None:
        """*n* more bytes are done (*wrote* False: skipped as a hole): offsets move, *progress* hears."""
        self.wrote = self.wrote or wrote
        self.done += n
        if self.in_off is not None:
            self.in_off += n
        if self.out_off is not None:
            self.out_off += n
        if self.progress is not None:
            self.progress(self.done, self.total)


def _offset(fd: int) -> int | None:
    try:
        return raw.lseek(fd, 0, os.SEEK_CUR)
    except OSError:
        return None


def copy_fds(src: int, dst: int, count: int | None, progress: Progress | None) -> int:
    """Copy *count* bytes (None: to end of file) from *src*'s file offset to *dst*'s; return the count.

    Both file offsets end after what was copied, as with ``read``/``write``;
    an ``O_APPEND`` *dst*'s at its end, where its bytes went.  A regular
    source whose ``st_size`` is 0 (``/proc`` and ``/sys`` files, which have
    content all the same) is read until EOF.  An exception from *progress*
    stops the copy there and propagates (the bytes copied so far stay written).
    """
    st_src = os.fstat(src)
    st_dst = os.fstat(dst)
    in_off = _offset(src) if stat.S_ISREG(st_src.st_mode) else None
    out_off = _offset(dst) if stat.S_ISREG(st_dst.st_mode) else None
    append = out_off is not None and bool(raw.fcntl(dst, _F_GETFL, 0) & _O_APPEND)
    if append:  # every write lands at the end, whatever the offset says
        out_off = st_dst.st_size
    total: int | None = None
    if in_off is not None and st_src.st_size > 0:
        total = max(st_src.st_size - in_off, 0)
        if count is not None:
            total = min(total, count)
        count = total  # a regular file: its size now is what is copied
    copy = _Copy(src, dst, in_off, out_off, count, total, progress)
    copy.holes = not append and out_off is not None and out_off >= st_dst.st_size
    try:
        if in_off is not None and out_off is not None:
            _files(copy, st_src.st_size)
        elif in_off is not None:
            _file_to_stream(copy)
        else:
            _streams(copy)
    finally:  # the file offsets say what was copied, also after an error
        if copy.in_off is not None:
            raw.lseek(src, copy.in_off, os.SEEK_SET)
        if append:
            raw.lseek(dst, 0, os.SEEK_END)
        elif copy.out_off is not None:
            raw.lseek(dst, copy.out_off, os.SEEK_SET)
    return copy.done


def _files(copy: _Copy, size: int) -> None:
    """Regular file to regular file: fcopyfile, else copy_file_range by extents, else sendfile, else pread/pwrite.

    A source of unknown size (``st_size`` 0: procfs, sysfs) goes by
    sendfile, else pread/write, until EOF: copy_file_range and fcopyfile
    take the size at its word and would copy nothing.
    """
    if copy.total == 0:
        return
    if _COPYFILE_DATA is not None and copy.in_off == 0 and copy.out_off == 0 and copy.holes and copy.total == size:
        try:  # macOS: a whole file into an empty one, as the library copies it (holes kept)
            raw.fcopyfile(copy.src, copy.dst, _COPYFILE_DATA)
        except OSError as exc:
            if not _refused(exc):
                raise
        else:
            copy.moved(size)
            return
    for way in (_copy_file_range, _sendfile_file, _pread_write):
        try:
            if copy.total is None:  # no size to find extents in: to EOF
                way(copy)
            else:
                _by_extents(copy, way)
        except _Refused:  # nothing written yet; a hole skipped stays skipped for the next way
            continue
        return


def _extents(copy: _Copy) -> list[tuple[int, int]]:
    """The data ranges of the source between its offset and the end of the copy (SEEK_DATA/SEEK_HOLE).

    One range for all of it where the file system does not say, or where
    the destination has bytes there that a skipped hole would leave behind.
    """
    assert copy.in_off is not None and copy.count is not None
    start, end = copy.in_off, copy.in_off + copy.count - copy.done
    if not copy.holes:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    pos = start
    try:
        while pos < end:
            try:
                data = raw.lseek(copy.src, pos, _SEEK_DATA)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # only a hole to the end
                    break
                raise
            if data >= end:
                break
            hole = min(raw.lseek(copy.src, data, _SEEK_HOLE), end)
            out.append((data, hole))
            pos = hole
    except OSError:
        return [(start, end)]
    return out


def _by_extents(copy: _Copy, way: Callable[[_Copy], None]) -> None:
    """*way* over the source's data extents: holes are skipped (the offsets move past them) and the size set at the end."""
    assert copy.in_off is not None and copy.out_off is not None and copy.count is not None
    end = copy.in_off + copy.count - copy.done
    out_end = copy.out_off + copy.count - copy.done
    try:
        for data, hole in _extents(copy):
            if data > copy.in_off:  # a hole: the destination's offsets move past it
                copy.moved(data - copy.in_off, wrote=False)
            copy.stop = copy.done + hole - copy.in_off
            way(copy)
            if copy.in_off < hole:  # EOF early: the file shrank under the copy
                return
    finally:
        copy.stop = None
    if copy.in_off < end:  # a hole to the end: the destination gets its size, not its blocks
        if os.fstat(copy.dst).st_size < out_end:
            raw.ftruncate(copy.dst, out_end)
        copy.moved(end - copy.in_off, wrote=False)


def _copy_file_range(copy: _Copy) -> None:
    """copy_file_range from the file at its offset to the destination at its offset, up to the pass's end."""
    assert copy.in_off is not None and copy.out_off is not None
    while not copy.finished():
        try:
            n = raw.copy_file_range(copy.src, copy.in_off, copy.dst, copy.out_off, copy.want())
        except OSError as exc:
            if not copy.wrote and _refused(exc):
                raise _Refused from exc
            raise
        if n == 0:  # EOF
            return
        copy.moved(n)


def _sendfile_file(copy: _Copy) -> None:
    """sendfile from the file into the destination at its offset (Linux takes a file there; macOS a socket only)."""
    assert copy.out_off is not None
    raw.lseek(copy.dst, copy.out_off, os.SEEK_SET)
    _file_to_stream(copy)


def _file_to_stream(copy: _Copy) -> None:
    """sendfile from the file at its offset into the destination's position, else pread/write.

    A refusal before any byte moved falls back to pread/write for a stream,
    and is the caller's to handle (:class:`_Refused`) for a file.
    """
    assert copy.in_off is not None
    while not copy.finished():
        try:
            n = raw.sendfile(copy.dst, copy.src, copy.in_off, copy.want())
        except OSError as exc:
            if not copy.wrote and _refused(exc):
                if copy.out_off is not None:
                    raise _Refused from exc
                _pread_write(copy)
                return
            raise
        if n == 0:
            return
        copy.moved(n)


def _pread_write(copy: _Copy) -> None:
    """The portable loop: pread from the file, write at the destination's offset."""
    assert copy.in_off is not None
    if copy.out_off is not None:
        raw.lseek(copy.dst, copy.out_off, os.SEEK_SET)
    buf = bytearray(_BUFFER)
    view = memoryview(buf)
    while not copy.finished():
        n = os.preadv(copy.src, [view[: copy.want(_BUFFER)]], copy.in_off)
        if n == 0:
            return
        _write_all(copy.dst, view[:n])
        copy.moved(n)


def _streams(copy: _Copy) -> None:
    """read/write between descriptors that are not both files (a pipe as the source)."""
    buf = bytearray(_BUFFER)
    view = memoryview(buf)
    while not copy.finished():
        n = os.readv(copy.src, [view[: copy.want(_BUFFER)]])
        if n == 0:
            return
        _write_all(copy.dst, view[:n])
        copy.moved(n)


def _write_all(fd: int, data: memoryview) -> None:
    while data:
        data = data[os.write(fd, data) :]


# -- Socket.sendfile --------------------------------------------------------------------
def send_file(
    sock: int,
    src: int,
    offset: int,
    count: int | None,
    timeout: float | None,
    closed_error: Callable[[], Exception | None],
) -> int:
    """Send *count* bytes (None: to end of file) of *src* from *offset* to the socket *sock*; return the count.

    sendfile(2) for a regular file (until EOF where its ``st_size`` is 0, as
    for procfs files), falling back to ``pread``/``send`` where the socket
    refuses it; ``read``/``send`` from the file offset for
    anything else.  EAGAIN follows the socket's timeout: 0.0 returns what
    went (BlockingIOError if nothing did), a positive timeout waits that long
    for room each time (TimeoutError), None blocks.
    """
    st = os.fstat(src)
    regular = stat.S_ISREG(st.st_mode)
    if not regular and offset:
        raise ValueError(f"offset {offset} on a descriptor that is not a regular file: it is read from its position")
    if not regular and timeout == 0.0:
        raise ValueError("sendfile from a stream to a non-blocking socket could lose what it read: set a timeout")
    if regular and st.st_size > 0:  # st_size 0 (procfs, sysfs) may have content: send until EOF
        end = st.st_size if count is None else min(st.st_size, offset + count)
        count = max(end - offset, 0)
    sent = 0
    use_sendfile = regular
    view = memoryview(bytearray(_BUFFER))
    pending = view[:0]
    while True:
        try:
            if pending:  # read, not yet sent
                k = raw.sendto(sock, pending, 0)
                pending, sent = pending[k:], sent + k
                continue
            want = _BIG if count is None else min(_BIG, count - sent)
            if want <= 0:
                return sent
            if use_sendfile:
                try:
                    n = raw.sendfile(sock, src, offset + sent, want)
                except OSError as exc:
                    if sent == 0 and not isinstance(exc, BlockingIOError) and _refused(exc):
                        use_sendfile = False  # this socket takes no sendfile: pread/send
                        continue
                    raise
                if n == 0:
                    return sent
                sent += n
                continue
            want = min(want, _BUFFER)
            n = os.preadv(src, [view[:want]], offset + sent) if regular else os.readv(src, [view[:want]])
            if n == 0:
                return sent
            pending = view[:n]
        except BlockingIOError:
            if not timeout:  # 0.0: what went; a file's unsent bytes are read again by the next call
                if sent:
                    return sent
                raise
            error = closed_error()
            if error is not None:
                raise error from None
            _wait_ready(sock, True, time.monotonic() + timeout)
