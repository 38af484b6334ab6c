"""Copy a file under an exclusive lock on the destination, and make the copy durable.

    python examples/safe_copy.py SOURCE DESTINATION [--force] [--no-wait]

What it does, and which macres calls do it:

* opens the source read-only and the destination write-only with
  ``macres.open`` (both close-on-exec, both closed by ``with`` whatever
  happens);
* refuses to replace an existing destination unless ``--force`` is given:
  without it the destination is created with ``O_EXCL``, so the check and
  the creation are one atomic step, not a race between ``exists()`` and
  ``open()``;
* takes an exclusive ``flock`` on the destination (``fd.locked()``) before
  touching its contents, so cooperating processes (another ``safe_copy``,
  a reader that takes ``flock(LOCK_SH)``) never see a half-written file;
  ``--no-wait`` fails at once instead of waiting for the lock.  (Readers
  that do not lock can; for them, copy to a temporary name and rename it);
* truncates only *after* the lock is held (opening with ``O_TRUNC`` would
  destroy the contents while someone else still holds the lock), then
  copies with ``pread_into`` (zero-copy reads into one reused buffer, at an
  explicit offset) and ``write_all`` (no short writes);
* ends with ``fsync(full=True)``: ``F_FULLFSYNC`` on macOS, which makes the
  drive flush its own cache, plain ``fsync`` on Linux; then fsyncs the
  directory so the new name survives a crash as well;
* prints how many bytes it copied.  Exit status 0 on success, 1 with one
  line on stderr on failure (and a destination it created is removed).
"""

from __future__ import annotations

import argparse
import os
import sys

import macres

#: Bytes per read: large enough to amortise the calls, small enough to stay in the cache.
CHUNK = 1 << 20


def copy(source: str, destination: str, *, force: bool, wait: bool) -> int:
    """Copy *source* to *destination* under an exclusive flock; return the number of bytes copied.

    Raises:
        FileExistsError: *destination* exists and *force* is false.
        BlockingIOError: *wait* is false and another process holds the lock.
        ValueError: *source* and *destination* are the same file.
        OSError: any other failure of open, read, write or fsync.
    """
    created = False
    try:
        with macres.open(source, "r") as src:
            st = src.fstat()
            dst, created = _open_destination(destination, st.st_mode & 0o777, force=force)
            with dst:
                dst_st = dst.fstat()
                if (dst_st.st_dev, dst_st.st_ino) == (st.st_dev, st.st_ino):
                    # Truncating the destination would destroy the source.
                    raise ValueError(f"{source!r} and {destination!r} are the same file")
                with dst.locked(exclusive=True, blocking=wait):
                    dst.ftruncate(0)  # only now: the lock is ours
                    total = _copy_data(src, dst)
                    dst.fsync(full=True)
        _sync_directory(os.path.dirname(os.path.abspath(destination)))
    except BaseException:
        # Leave nothing behind that we made, up to the last step: a close or
        # the directory's fsync that fails means the copy is not known durable.
        if created:
            os.unlink(destination)
        raise
    return total


def _open_destination(path: str, mode: int, *, force: bool) -> tuple[macres.FileDescriptor, bool]:
    """Open *path* for writing without truncating it; return it and whether this call created it.

    ``O_EXCL`` makes "create unless it exists" one atomic step.  Only with
    *force* is an existing file opened instead (still not truncated: that
    waits for the lock).
    """
    flags = macres.O_WRONLY | macres.O_CREAT
    try:
        return macres.open(path, flags | macres.O_EXCL, mode), True
    except FileExistsError:
        if not force:
            raise
    return macres.open(path, flags, mode), False


def _copy_data(src: macres.FileDescriptor, dst: macres.FileDescriptor) -> int:
    """Copy everything from *src* (from offset 0) to *dst* (at its file offset); return the byte count."""
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    offset = 0
    while True:
        n = src.pread_into(view, offset)  # fills the buffer in place, moves no file offset
        if n == 0:
            return offset
        dst.write_all(view[:n])  # loops over short writes
        offset += n


def _sync_directory(path: str) -> None:
    """fsync a directory so a newly created entry in it is durable too."""
    with macres.open(path, macres.O_RDONLY | macres.O_DIRECTORY) as directory:
        directory.fsync()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, copy, report; return the exit status."""
    parser = argparse.ArgumentParser(description="Copy a file under an exclusive flock, then fsync it.")
    parser.add_argument("source")
    parser.add_argument("destination")
    parser.add_argument("--force", action="store_true", help="replace an existing destination")
    parser.add_argument(
        "--no-wait", action="store_true", help="fail at once if another process holds the destination's lock"
    )
    args = parser.parse_args(argv)
    try:
        copied = copy(args.source, args.destination, force=args.force, wait=not args.no_wait)
    except FileExistsError:
        print(f"safe_copy: {args.destination} exists; use --force to replace it", file=sys.stderr)
        return 1
    except BlockingIOError:
        print(f"safe_copy: {args.destination} is locked by another process", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"safe_copy: {exc}", file=sys.stderr)
        return 1
    print(f"copied {copied} bytes from {args.source} to {args.destination}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
