"""The values of the core, in Python: the reference of ``_core_values.c``.

:class:`Stat` wraps the ``os.stat_result`` CPython builds and reads its
fields on access; :class:`Rusage` is ``struct rusage`` in the C units;
:class:`ResourceUsage` the same numbers with ``ru_maxrss`` in bytes.
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Callable, Sequence
from typing import Final

import attrs

__all__ = ["ResourceUsage", "Rusage", "Stat", "rusage_of", "stat_of", "usage_of"]


@functools.cache
def _maxrss_unit() -> int:
    """Bytes per unit of ``ru_maxrss`` (KiB on Linux, bytes on macOS), from the ABI module."""
    from ..raw._platform import abi  # here, not at import: macres.raw imports this module

    return int(abi.RUSAGE_MAXRSS_UNIT)

_S64: Final = (-(1 << 63), (1 << 63) - 1)
_U64: Final = (-(1 << 63), (1 << 64) - 1)  # a negative value keeps its bits (an id of -1)
#: Nanoseconds whose whole seconds fit a C long long.
_NS: Final = (_S64[0] * 1_000_000_000, _S64[1] * 1_000_000_000 + 999_999_999)
#: The C field each integer of a Stat lands in, as the compiled core keeps them.
_STAT_RANGES: Final[dict[str, tuple[int, int]]] = {
    "st_mode": _S64, "st_ino": _U64, "st_dev": _U64, "st_nlink": _S64, "st_uid": _S64, "st_gid": _S64,
    "st_size": _S64, "st_atime_ns": _NS, "st_mtime_ns": _NS, "st_ctime_ns": _NS,
    "st_blksize": _S64, "st_blocks": _S64, "st_rdev": _U64,
}  # fmt: skip


def _stat_field(name: str, value: object) -> int:
    """*value* as the compiled core stores field *name*: TypeError, OverflowError as it raises them."""
    if name.endswith("_ns") and not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    v = operator.index(value)  # type: ignore[arg-type]
    lo, hi = _STAT_RANGES[name]
    if not lo <= v <= hi:
        raise OverflowError(f"{name} {v} does not fit the C field")
    return v + (1 << 64) if v < 0 and _STAT_RANGES[name] is _U64 else v


def _seconds(ns: int) -> float:
    """Float seconds of integer nanoseconds, as CPython's os.stat computes them (sec + nsec * 1e-9)."""
    sec, nsec = divmod(ns, 1_000_000_000)
    return sec + nsec * 1e-9


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

    def __attrs_post_init__(self) -> None:
        # The compiled core converts every field to its C field when the value is built: so here.
        # A result whose fields are not already those ints is rebuilt from them (rarely: os.stat's are).
        r = self._result
        fields = {name: _stat_field(name, getattr(r, name)) for name in _STAT_RANGES}
        given = zip(_STAT_RANGES, map(r.__getattribute__, _STAT_RANGES), strict=True)
        if any(type(v) is not int or v != fields[n] for n, v in given):
            seq = (*(fields[n] for n in ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size")),
                   *(fields[n] // 1_000_000_000 for n in ("st_atime_ns", "st_mtime_ns", "st_ctime_ns")))  # fmt: skip
            rest = {n: fields[n] for n in _STAT_RANGES if n not in ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size")}
            object.__setattr__(self, "_result", os.stat_result(seq, rest))
        if self._extra is not None:
            kinds = ("st_atime_ns", "st_ino", "st_ino")  # birthtime: nanoseconds; flags, gen: unsigned
            extra = tuple(
                None if v is None else _stat_field(k, v) for k, v in zip(kinds, self._extra, strict=False)
            )
            object.__setattr__(self, "_extra", extra)

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
            "st_atime": _seconds(st_atime_ns),
            "st_mtime": _seconds(st_mtime_ns),
            "st_ctime": _seconds(st_ctime_ns),
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
        return _seconds(self._result.st_atime_ns)

    @property
    def st_mtime(self) -> float:
        """Last modification, float seconds."""
        return _seconds(self._result.st_mtime_ns)

    @property
    def st_ctime(self) -> float:
        """Last status change, float seconds."""
        return _seconds(self._result.st_ctime_ns)

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
            return None if ns is None else _seconds(ns)
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


_RUSAGE_FIELDS: Final = (
    "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
    "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
)  # fmt: skip


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

    def __attrs_post_init__(self) -> None:
        # As the compiled core keeps them: float seconds, C integers.
        for name, value in zip(_RUSAGE_FIELDS, _normalised(attrs.astuple(self)), strict=True):
            object.__setattr__(self, name, value)


def _normalised(fields: Sequence[float]) -> tuple[float, ...]:
    """The 16 struct rusage fields as the compiled core keeps them: two floats, fourteen ints.

    Raises:
        TypeError: a time that is not a real number, a count that is not an integer.
        ValueError: not 16 fields, or a NaN time.  OverflowError: a count beyond a C long long.
    """
    values = tuple(fields)
    if len(values) != 16:
        raise ValueError(f"c_fields must have 16 items, not {len(values)}")
    counts = []
    for v in values[2:]:
        n = operator.index(v)  # type: ignore[arg-type]
        if not -(1 << 63) <= n < 1 << 63:
            raise OverflowError(f"resource usage count {n} does not fit a C long long")
        counts.append(n)
    utime, stime = _real(values[0]), _real(values[1])
    if utime != utime or stime != stime:  # a NaN would break equality and hashing
        raise ValueError("a CPU time must be a number of seconds, not NaN")
    return (utime, stime, *counts)


def _real(value: object) -> float:
    """*value* as a C double, as ``PyFloat_AsDouble`` takes it (``__float__`` or ``__index__``).

    Raises:
        TypeError: not a real number.
    """
    if isinstance(value, float):
        return float(value)
    kind = type(value)
    if hasattr(kind, "__float__"):
        return float(value)  # type: ignore[arg-type]
    if hasattr(kind, "__index__"):
        return float(operator.index(value))  # type: ignore[arg-type]
    raise TypeError(f"must be real number, not {kind.__name__}")


def _rusage_builder() -> Callable[[Sequence[float]], Rusage]:
    """Make :func:`rusage_of`: one slot store per field, unrolled (a loop costs a third more)."""
    names = [a.name for a in attrs.fields(Rusage)]
    env: dict[str, object] = {"_new": object.__new__, "_cls": Rusage}
    env.update({f"_set_{n}": Rusage.__dict__[n].__set__ for n in names})
    body = "".join(f"    _set_{n}(v, {n})\n" for n in names)
    src = f"def rusage_of(fields):\n    {', '.join(names)} = fields\n    v = _new(_cls)\n{body}    return v\n"
    exec(src, env)  # generated from the field names above, nothing else
    return env["rusage_of"]  # type: ignore[return-value]


#: ``rusage_of(fields)``: the :class:`Rusage` of the 16 fields in ``struct rusage``
#: order (a ``resource.struct_rusage`` will do), without attrs' frozen ``__init__``.
rusage_of: Final[Callable[[Sequence[float]], Rusage]] = _rusage_builder()





@attrs.frozen(repr=False)
class ResourceUsage:
    """Resource usage in normalised units.

    ``ru_utime``/``ru_stime`` are float seconds; ``ru_maxrss`` is in bytes
    on every platform (Linux reports KiB, macOS bytes); the other counters
    are the C integers.  Immutable, hashable and compared by value.

    The value keeps the 16 C fields in ``struct rusage`` order, in the C
    units, and converts ``ru_maxrss`` when read: building it costs one
    attribute, which keeps ``Process.current().rusage()`` as fast as
    ``resource.getrusage``.  Build one with :meth:`from_raw`.
    """

    _c: Sequence[float] = attrs.field(alias="c_fields", converter=_normalised)

    @classmethod
    def from_raw(cls, ru: Rusage) -> ResourceUsage:
        """Normalise a :class:`macres.raw.Rusage` (``ru_maxrss`` in ``RUSAGE_MAXRSS_UNIT``s)."""
        return cls(tuple(getattr(ru, name) for name in _RUSAGE_FIELDS))

    @property
    def ru_utime(self) -> float:
        """User CPU time, float seconds."""
        return float(self._c[0])

    @property
    def ru_stime(self) -> float:
        """System CPU time, float seconds."""
        return float(self._c[1])

    @property
    def ru_maxrss(self) -> int:
        """Peak resident set size in bytes (every platform)."""
        return int(self._c[2]) * _maxrss_unit()

    @property
    def ru_ixrss(self) -> int:
        """Integral shared text size (0 on Linux)."""
        return int(self._c[3])

    @property
    def ru_idrss(self) -> int:
        """Integral unshared data size (0 on Linux)."""
        return int(self._c[4])

    @property
    def ru_isrss(self) -> int:
        """Integral unshared stack size (0 on Linux)."""
        return int(self._c[5])

    @property
    def ru_minflt(self) -> int:
        """Page faults served without I/O."""
        return int(self._c[6])

    @property
    def ru_majflt(self) -> int:
        """Page faults that needed I/O."""
        return int(self._c[7])

    @property
    def ru_nswap(self) -> int:
        """Swaps (0 on Linux)."""
        return int(self._c[8])

    @property
    def ru_inblock(self) -> int:
        """Block input operations."""
        return int(self._c[9])

    @property
    def ru_oublock(self) -> int:
        """Block output operations."""
        return int(self._c[10])

    @property
    def ru_msgsnd(self) -> int:
        """IPC messages sent (0 on Linux)."""
        return int(self._c[11])

    @property
    def ru_msgrcv(self) -> int:
        """IPC messages received (0 on Linux)."""
        return int(self._c[12])

    @property
    def ru_nsignals(self) -> int:
        """Signals received (0 on Linux)."""
        return int(self._c[13])

    @property
    def ru_nvcsw(self) -> int:
        """Voluntary context switches."""
        return int(self._c[14])

    @property
    def ru_nivcsw(self) -> int:
        """Involuntary context switches."""
        return int(self._c[15])

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in _RUSAGE_FIELDS)
        return f"ResourceUsage({values})"


_new = object.__new__
_set_usage_c = ResourceUsage.__dict__["_c"].__set__


def usage_of(c_fields: Sequence[float]) -> ResourceUsage:
    """``ResourceUsage(c_fields)`` built without attrs' frozen ``__init__`` (a third of the cost)."""
    usage = _new(ResourceUsage)
    _set_usage_c(usage, c_fields)
    return usage
