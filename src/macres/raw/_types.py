"""Values the raw layer returns: frozen attrs classes with the C field names.

They are platform-neutral; fields a platform lacks are ``None`` there
(``st_birthtime`` on Linux).  Each platform module fills them from its own
ctypes structs.  ``Stat`` and ``Rusage`` are the core's (see
``macres._backend``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import attrs

from .._backend import compiled, core

__all__ = ["DirEntry", "Kevent", "Rlimit", "Rusage", "Stat", "StatFS", "Timespec", "Timeval"]


@attrs.frozen
class Timespec:
    """``struct timespec``: seconds and nanoseconds."""

    tv_sec: int
    tv_nsec: int

    @property
    def ns(self) -> int:
        """The time in integer nanoseconds."""
        return self.tv_sec * 1_000_000_000 + self.tv_nsec


@attrs.frozen
class Timeval:
    """``struct timeval``: seconds and microseconds."""

    tv_sec: int
    tv_usec: int

    @property
    def seconds(self) -> float:
        """The time in float seconds."""
        return self.tv_sec + self.tv_usec / 1_000_000


#: ``stat(2)``'s value and ``struct rusage`` in the C units: the core's types
#: (C types in the compiled core, attrs classes in the pure reference).
Stat = core.Stat
Rusage = core.Rusage

if compiled is not None:
    #: A Stat from an ``os.stat_result`` (the fast constructor of each core).
    stat_of: Callable[[os.stat_result], Stat] = compiled.Stat
    _Rusage: Callable[..., Rusage] = compiled.Rusage
    #: A Rusage from the 16 fields in ``struct rusage`` order (a ``resource.struct_rusage`` will do).
    rusage_of: Callable[[Sequence[float]], Rusage] = lambda fields: _Rusage(*fields)  # noqa: E731
else:
    from .._pure.values import rusage_of as rusage_of
    from .._pure.values import stat_of as stat_of


@attrs.frozen
class StatFS:
    """What ``statfs(2)``/``fstatfs(2)`` report about a file system.

    ``f_fstypename``, ``f_mntonname`` and ``f_mntfromname`` exist on macOS;
    ``f_namelen`` and ``f_frsize`` on Linux; the others are ``None``.
    """

    f_type: int
    f_bsize: int
    f_blocks: int
    f_bfree: int
    f_bavail: int
    f_files: int
    f_ffree: int
    f_fsid: tuple[int, int]
    f_flags: int
    f_iosize: int | None = None
    f_owner: int | None = None
    f_fstypename: str | None = None
    f_mntonname: str | None = None
    f_mntfromname: str | None = None
    f_namelen: int | None = None
    f_frsize: int | None = None


@attrs.frozen
class Rlimit:
    """``struct rlimit``: soft and hard limit; ``RLIM_INFINITY`` means none."""

    rlim_cur: int
    rlim_max: int


@attrs.frozen
class DirEntry:
    """One ``struct dirent`` as ``readdir_r(3)`` fills it.

    ``d_name`` is the raw name (bytes, no NUL); ``d_type`` is a ``DT_*``
    value (``DT_UNKNOWN``, 0, where the file system does not say).
    ``d_off`` exists on Linux, ``d_seekoff`` and ``d_namlen`` on macOS; the
    others are ``None``.
    """

    d_ino: int
    d_type: int
    d_name: bytes
    d_reclen: int
    d_off: int | None = None
    d_seekoff: int | None = None
    d_namlen: int | None = None


@attrs.frozen
class Kevent:
    """One ``struct kevent`` (macOS): an event to register with or returned by ``kevent(2)``.

    ``ident`` is usually a descriptor, ``filter`` an ``EVFILT_*`` value,
    ``flags`` ``EV_*`` bits, ``fflags`` filter-specific ``NOTE_*`` bits,
    ``data`` a filter-specific value and ``udata`` an opaque pointer-sized
    integer handed back unchanged.
    """

    ident: int
    filter: int
    flags: int = 0
    fflags: int = 0
    data: int = 0
    udata: int = 0
