"""Several processes count together in one shared file mapping, serialised by flock.

    python examples/shared_counter.py PATH [--workers N] [--increments K] [--timeout S]

The counter is 8 bytes (little-endian) at the start of the file *PATH*.  The
parent creates the file, maps it with ``MappedRegion.from_file`` (a
``MAP_SHARED`` mapping, so every process that maps the file sees the same
page), and spawns *N* workers, each this same script with ``--worker K``.
Each worker maps the file too and adds 1 to the counter *K* times.

* Visibility: a shared mapping *is* the page cache page; a store by one
  process is seen by every other process that maps it, without any call.
* Atomicity: read-add-write is three steps, so two workers could both read 7
  and both write 8.  Each increment therefore holds an exclusive ``flock``
  on the file (``fd.locked()``); every worker opened the file itself, so
  the locks conflict between them.
* Durability: ``msync(MS_SYNC)`` writes the mapping's dirty pages to the
  file on disk; it is not needed for the other processes to see the data.

The parent waits for every worker (``with`` blocks: a worker still running
when the parent leaves, after a timeout or Ctrl-C, is stopped and reaped),
then reads the counter twice: through its own mapping and with ``pread``
from the file.  Both must equal N x K.  Exit status 0 when they do, 1
otherwise or when a worker failed.
"""

from __future__ import annotations

import argparse
import contextlib
import struct
import sys

import macres

#: The counter's layout in the file: one unsigned 64-bit little-endian integer.
COUNTER = struct.Struct("<Q")


def worker(path: str, increments: int) -> int:
    """Add 1 to the counter in *path* *increments* times, each under an exclusive flock."""
    with macres.open(path, "r+") as fd, macres.MappedRegion.from_file(fd, COUNTER.size) as region:
        for _ in range(increments):
            # fd.locked(): only one process at a time between here and the unlock;
            # region.view(): a memoryview straight into the shared page, released at the end.
            with fd.locked(), region.view() as view:
                (value,) = COUNTER.unpack_from(view)
                COUNTER.pack_into(view, 0, value + 1)
        region.msync(macres.MS_SYNC)  # write the page back to the file now
    return 0


def coordinate(path: str, workers: int, increments: int, timeout: float) -> int:
    """Create the counter, run the workers, check the total; return the exit status."""
    with macres.open(path, "w+") as fd:
        fd.write_all(COUNTER.pack(0))
        with macres.MappedRegion.from_file(fd) as region, contextlib.ExitStack() as children:
            procs = [
                children.enter_context(
                    macres.Process.spawn([sys.executable, __file__, path, "--worker", str(increments)])
                )
                for _ in range(workers)
            ]
            failed = 0
            for proc in procs:
                status = proc.wait(timeout)  # TimeoutError: the ExitStack stops and reaps them all
                if status.code != 0:
                    print(f"shared_counter: worker {proc.pid} failed ({status.returncode})", file=sys.stderr)
                    failed += 1
            (in_memory,) = COUNTER.unpack(region[0 : COUNTER.size])
        (in_file,) = COUNTER.unpack(fd.pread(COUNTER.size, 0))
    expected = workers * increments
    print(f"counter: {in_memory} in the mapping, {in_file} in the file, expected {expected}")
    return 0 if failed == 0 and in_memory == in_file == expected else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and coordinate (or, with --worker, count); return the exit status."""
    parser = argparse.ArgumentParser(description="Processes counting together in a shared file mapping.")
    parser.add_argument("path", help="the counter file (created or overwritten)")
    parser.add_argument("--workers", type=int, default=4, help="how many processes count (default 4)")
    parser.add_argument("--increments", type=int, default=1000, help="increments per worker (default 1000)")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for each worker (default 60)"
    )
    parser.add_argument("--worker", type=int, metavar="K", help=argparse.SUPPRESS)  # internal: be a worker
    args = parser.parse_args(argv)
    if args.workers < 1 or args.increments < 0:
        parser.error("--workers must be at least 1 and --increments not negative")
    try:
        if args.worker is not None:
            return worker(args.path, args.worker)
        return coordinate(args.path, args.workers, args.increments, args.timeout)
    except TimeoutError:
        print(f"shared_counter: a worker still ran after {args.timeout} s", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"shared_counter: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
