"""Values the raw layer returns: frozen attrs classes with the C field names.

They are platform-neutral; fields a platform lacks are ``None`` there
(``st_birthtime`` on Linux).  Each platform module fills them from its own
ctypes structs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Final

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


def _stat_key(r: os.stat_result) -> tuple[object, ...]:
    """Every field of a stat result, for equality and hashing (its own == sees only ten)."""
    return (
        r.st_mode, r.st_ino, r.st_dev, r.st_nlink, r.st_uid, r.st_gid, r.st_size,
        r.st_atime_ns, r.st_mtime_ns, r.st_ctime_ns, r.st_blksize, r.st_blocks, r.st_rdev,
    )  # fmt: skip


@attrs.frozen(repr=False)
class Stat:
    """What ``stat(2)``/``fstat(2)`` report, with the C field names.

    Times are float seconds (``st_mtime``) and integer nanoseconds
    (``st_mtime_ns``).  ``st_birthtime``, ``st_flags`` and ``st_gen`` exist
    on macOS and are ``None`` on Linux.

    The value wraps the ``os.stat_result`` CPython builds, so that making
    one costs a single allocation: the fields are read from it on access.
    ``Stat(os.stat(path))`` turns a stdlib result into one;
    :meth:`from_fields` builds one from C fields.
    """

    _result: os.stat_result = attrs.field(eq=_stat_key)
    #: (birthtime_ns, flags, gen) when they came from a C struct, else None.
    _extra: tuple[int | None, int | None, int | None] | None = None

    @classmethod
    def from_fields(
        cls,
        st_mode: int,
        st_ino: int,
        st_dev: int,
        st_nlink: int,
        st_uid: int,
        st_gid: int,
        st_size: int,
        st_atime_ns: int,
        st_mtime_ns: int,
        st_ctime_ns: int,
        st_blksize: int,
        st_blocks: int,
        st_rdev: int,
        st_birthtime_ns: int | None = None,
        st_flags: int | None = None,
        st_gen: int | None = None,
    ) -> Stat:
        """Build a value from the fields of a C ``struct stat``."""
        seq = (
            st_mode, st_ino, st_dev, st_nlink, st_uid, st_gid, st_size,
            st_atime_ns // 1_000_000_000, st_mtime_ns // 1_000_000_000, st_ctime_ns // 1_000_000_000,
        )  # fmt: skip
        rest = {
            "st_atime": st_atime_ns / 1e9,
            "st_mtime": st_mtime_ns / 1e9,
            "st_ctime": st_ctime_ns / 1e9,
            "st_atime_ns": st_atime_ns,
            "st_mtime_ns": st_mtime_ns,
            "st_ctime_ns": st_ctime_ns,
            "st_blksize": st_blksize,
            "st_blocks": st_blocks,
            "st_rdev": st_rdev,
        }
        extra = None
        if st_birthtime_ns is not None or st_flags is not None or st_gen is not None:
            extra = (st_birthtime_ns, st_flags, st_gen)
        return cls(os.stat_result(seq, rest), extra)

    @property
    def st_mode(self) -> int:
        """File type and permission bits."""
        return self._result.st_mode

    @property
    def st_ino(self) -> int:
        """Inode number."""
        return self._result.st_ino

    @property
    def st_dev(self) -> int:
        """Device holding the file."""
        return self._result.st_dev

    @property
    def st_nlink(self) -> int:
        """Number of hard links."""
        return self._result.st_nlink

    @property
    def st_uid(self) -> int:
        """Owner's user id."""
        return self._result.st_uid

    @property
    def st_gid(self) -> int:
        """Owner's group id."""
        return self._result.st_gid

    @property
    def st_size(self) -> int:
        """Size in bytes."""
        return self._result.st_size

    @property
    def st_atime_ns(self) -> int:
        """Last access, integer nanoseconds."""
        return self._result.st_atime_ns

    @property
    def st_mtime_ns(self) -> int:
        """Last modification, integer nanoseconds."""
        return self._result.st_mtime_ns

    @property
    def st_ctime_ns(self) -> int:
        """Last status change, integer nanoseconds."""
        return self._result.st_ctime_ns

    @property
    def st_atime(self) -> float:
        """Last access, float seconds."""
        return self._result.st_atime

    @property
    def st_mtime(self) -> float:
        """Last modification, float seconds."""
        return self._result.st_mtime

    @property
    def st_ctime(self) -> float:
        """Last status change, float seconds."""
        return self._result.st_ctime

    @property
    def st_blksize(self) -> int:
        """Preferred I/O block size."""
        return self._result.st_blksize

    @property
    def st_blocks(self) -> int:
        """512-byte blocks allocated."""
        return self._result.st_blocks

    @property
    def st_rdev(self) -> int:
        """Device number, for device files."""
        return self._result.st_rdev

    @property
    def st_birthtime_ns(self) -> int | None:
        """Creation time in integer nanoseconds (macOS), else None.

        From the stdlib's result only float seconds are known, so the
        nanoseconds are rounded from them there.
        """
        if self._extra is not None:
            return self._extra[0]
        bt: float | None = getattr(self._result, "st_birthtime", None)
        return None if bt is None else round(bt * 1e9)

    @property
    def st_birthtime(self) -> float | None:
        """Creation time in float seconds (macOS), else None."""
        if self._extra is not None:
            ns = self._extra[0]
            return None if ns is None else ns / 1e9
        bt: float | None = getattr(self._result, "st_birthtime", None)
        return bt

    @property
    def st_flags(self) -> int | None:
        """BSD file flags (``UF_*``/``SF_*``, macOS), else None."""
        if self._extra is not None:
            return self._extra[1]
        flags: int | None = getattr(self._result, "st_flags", None)
        return flags

    @property
    def st_gen(self) -> int | None:
        """File generation number (macOS), else None."""
        if self._extra is not None:
            return self._extra[2]
        gen: int | None = getattr(self._result, "st_gen", None)
        return gen

    def __repr__(self) -> str:
        names = (
            "st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size",
            "st_atime_ns", "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev",
            "st_birthtime_ns", "st_flags", "st_gen",
        )  # fmt: skip
        return "Stat(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"


#: Slot setters of :class:`Stat`, for :func:`stat_of`.
_new = object.__new__
_set_stat_result = Stat.__dict__["_result"].__set__
_set_stat_extra = Stat.__dict__["_extra"].__set__


def stat_of(result: os.stat_result) -> Stat:
    """Return ``Stat(result)`` for a stdlib stat result, built without attrs' frozen ``__init__``.

    The same value, at about two thirds of the cost: the ``fstat`` hot paths use it.
    """
    value = _new(Stat)
    _set_stat_result(value, result)
    _set_stat_extra(value, None)
    return value


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


def _rusage_builder() -> Callable[[Sequence[float]], Rusage]:
    """Make :func:`rusage_of`: one slot store per field, unrolled (a loop costs a third more)."""
    names = [a.name for a in attrs.fields(Rusage)]
    env: dict[str, object] = {"_new": object.__new__, "_cls": Rusage}
    env.update({f"_set_{n}": Rusage.__dict__[n].__set__ for n in names})
    body = "".join(f"    _set_{n}(v, {n})\n" for n in names)
    src = f"def rusage_of(fields):\n    {', '.join(names)} = fields\n    v = _new(_cls)\n{body}    return v\n"
    exec(src, env)  # noqa: S102 - generated from the field names above, nothing else
    return env["rusage_of"]  # type: ignore[return-value]


#: ``rusage_of(fields)``: the :class:`Rusage` of the 16 fields in ``struct rusage``
#: order (a ``resource.struct_rusage`` will do), without attrs' frozen ``__init__``.
rusage_of: Final[Callable[[Sequence[float]], Rusage]] = _rusage_builder()


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
