"""Values the raw layer returns: frozen attrs classes with the C field names.

They are platform-neutral; fields a platform lacks are ``None`` there
(``st_birthtime`` on Linux).  Each platform module fills them from its own
ctypes structs.
"""

from __future__ import annotations

import attrs

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


@attrs.frozen
class Stat:
    """What ``stat(2)``/``fstat(2)`` report, with the C field names.

    Times are float seconds (``st_mtime``) and integer nanoseconds
    (``st_mtime_ns``).  ``st_birthtime``, ``st_flags`` and ``st_gen`` exist
    on macOS and are ``None`` on Linux.
    """

    st_mode: int
    st_ino: int
    st_dev: int
    st_nlink: int
    st_uid: int
    st_gid: int
    st_size: int
    st_atime_ns: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_blksize: int
    st_blocks: int
    st_rdev: int
    st_birthtime_ns: int | None = None
    st_flags: int | None = None
    st_gen: int | None = None

    @property
    def st_atime(self) -> float:
        """Last access, float seconds."""
        return self.st_atime_ns / 1e9

    @property
    def st_mtime(self) -> float:
        """Last modification, float seconds."""
        return self.st_mtime_ns / 1e9

    @property
    def st_ctime(self) -> float:
        """Last status change, float seconds."""
        return self.st_ctime_ns / 1e9

    @property
    def st_birthtime(self) -> float | None:
        """Creation time in float seconds (macOS), else None."""
        return None if self.st_birthtime_ns is None else self.st_birthtime_ns / 1e9


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
class Rusage:
    """``struct rusage`` as the C library reports it.

    ``ru_utime``/``ru_stime`` are float seconds; ``ru_maxrss`` is in the
    platform's unit (KiB on Linux, bytes on macOS): the object layer's
    ``ResourceUsage`` normalises it to bytes.
    """

    ru_utime: float
    ru_stime: float
    ru_maxrss: int
    ru_ixrss: int
    ru_idrss: int
    ru_isrss: int
    ru_minflt: int
    ru_majflt: int
    ru_nswap: int
    ru_inblock: int
    ru_oublock: int
    ru_msgsnd: int
    ru_msgrcv: int
    ru_nsignals: int
    ru_nvcsw: int
    ru_nivcsw: int


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
