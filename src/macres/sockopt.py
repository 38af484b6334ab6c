"""Typed socket options: one :class:`SockOpt` value per option.

``SO_REUSEADDR`` is a ``SockOpt[bool]``, ``SO_LINGER`` a
``SockOpt[Linger]``, ``TCP_INFO`` a ``SockOpt[TcpInfo]``: ``opt.get(fd)``
returns the option's Python value and ``opt.set(fd, value)`` takes one,
and mypy knows the type.  The facts (level, number, C shape, access,
notes) come from ``abi/sockopts.json`` through ``tools/gen_sockopts.py``;
entries the kernel rejects (``UNSUPPORTED:``) are left out and aliases
stay aliases (same number, ``alias_of`` naming the first name).

Constants of both platforms
---------------------------
Every option name of Linux *and* darwin is a typed module constant, so code
type-checks on both.  A name the running platform lacks (``SO_NOSIGPIPE``
on Linux, ``TCP_INFO`` on macOS) is still a ``SockOpt`` of the right type,
with ``available`` False: its ``get``/``set`` raise
:class:`macres.UnsupportedOperation` naming the counterpart, so no
constant is ever ``None``.  :func:`options` lists only what the running
platform has.  Names no platform supports (all ``UNSUPPORTED:``) are not
declared at all.  When a name's value type differs between the platforms
(``TCP_FASTOPEN``: a queue length on Linux, a yes/no flag on darwin) the
constant is typed with the wider type (``int``).

Names defined at two levels
---------------------------
``MCAST_JOIN_GROUP`` and its relatives exist at ``IPPROTO_IP`` and
``IPPROTO_IPV6`` with the same number; the IPv6-level constants carry a
``_V6`` suffix (``MCAST_JOIN_GROUP_V6``).  ``opt.name`` stays the C name.

Traps handled
-------------
* darwin ``SO_LINGER`` counts clock ticks; macres's ``SO_LINGER`` there is
  ``SO_LINGER_SEC`` (seconds), as the header does under ``_POSIX_C_SOURCE``,
  so ``Linger.seconds`` is seconds on both platforms.
* darwin yes/no options read back the flag bit (``SO_REUSEADDR`` reads 4):
  any non-zero value decodes as ``True``.
* Linux doubles ``SO_RCVBUF``/``SO_SNDBUF`` on set: the value read back is
  what the kernel reports, not what was set.
* A set-only option refuses ``get`` (and a get-only one ``set``) with
  ``OSError(ENOPROTOOPT)`` before any system call, as the kernel would.
* Linux ``SO_PEERNAME`` refuses a buffer longer than the address: the
  codec asks for an IPv6-sized one, then an IPv4-sized one.
"""

from __future__ import annotations

import errno
import sys
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar, cast, final

import attrs

from . import raw
from ._backend import core
from ._errors import UnsupportedOperation
from ._sockopt_catalog import COUNTERPARTS, ROWS
from ._handle import FdHandle, Handle, HasFileno, fileno_of
from .raw.sockopt_codecs import (
    Codec,
    GroupReq,
    GroupSourceReq,
    Icmp6Filter,
    In6Pktinfo,
    Ip6MtuInfo,
    IpMreq,
    IpMreqn,
    IpMreqSource,
    Ipv6Mreq,
    Linger,
    SockAddr,
    SockTxtime,
    SoTimestamping,
    TcpConnectionInfo,
    TcpInfo,
    Ucred,
    Xucred,
    codec as _codec,
)

if TYPE_CHECKING:
    from uuid import UUID  # the value type of LOCAL_PEERUUID; uuid is imported when one is decoded

_raw_getsockopt = raw.getsockopt
_raw_setsockopt = raw.setsockopt
_from_bytes = int.from_bytes
_NATIVE: Final = sys.byteorder

__all__ = [
    "Access",
    "Codec",
    "FileNo",
    "GroupReq",
    "GroupSourceReq",
    "Icmp6Filter",
    "In6Pktinfo",
    "Ip6MtuInfo",
    "IpMreq",
    "IpMreqSource",
    "IpMreqn",
    "Ipv6Mreq",
    "Linger",
    "SockAddr",
    "SockOpt",
    "SockTxtime",
    "SoTimestamping",
    "TcpConnectionInfo",
    "TcpInfo",
    "Ucred",
    "Xucred",
    "options",
]

T = TypeVar("T")

#: Whether an option can be read (``get``), written (``set``) or both.
Access = Literal["get", "set", "both"]


#: A descriptor number, or an object with ``fileno()`` (a ``Socket``, a stdlib socket).
FileNo = int | HasFileno


def _number(fd: object) -> int:
    """The descriptor number of an int subclass or of a foreign object with ``fileno()`` (a stdlib socket).

    Raises:
        TypeError: a macres object whose handle is no descriptor, a bool, or no descriptor at all.
    """
    if isinstance(fd, Handle):  # an FdHandle never gets here
        raise TypeError(f"fd must be a descriptor, not a {type(fd).__name__} (its handle is no file descriptor)")
    return fileno_of(fd, "fd")  # type: ignore[arg-type]


#: The ctypes whose value the core's Socket.getsockopt/setsockopt code in C
#: (a 4-byte int), as SockOptSpec's kinds: see ``_core_socket.c``.
_FAST_KINDS: Final[dict[str, int]] = {"int": 1, "fd": 2, "uint": 3, "bool": 4}


@final
@attrs.frozen
class SockOpt(core.SockOptSpec, Generic[T]):
    """One socket option: where it lives, its number and how its value is coded.

    ``level``/``number`` are what ``getsockopt(2)`` takes; ``level_name`` and
    ``name`` the C names; ``codec`` turns a ``T`` into bytes and back;
    ``access`` says whether it can be read, written or both; ``platforms``
    lists the systems that have it; ``notes`` gives units, privileges and
    traps; ``alias_of`` names the option this one is a second name for.
    ``platform`` is the system this entry describes and ``available``
    whether it is the running one.
    """

    level: int
    level_name: str
    name: str
    number: int
    codec: Codec[T] = attrs.field(eq=False, repr=False)
    access: Access = attrs.field(validator=attrs.validators.in_(("get", "set", "both")))
    platforms: tuple[str, ...]
    notes: str = attrs.field(repr=False)
    alias_of: str | None = None
    platform: str = raw.SYSTEM
    available: bool = True
    optlen_unit: int = attrs.field(default=1, repr=False)

    def __attrs_post_init__(self) -> None:
        codec = self.codec
        simple = self.optlen_unit == 1 and codec.sizes == (4,)
        fast = _FAST_KINDS.get(codec.ctype, 0) if simple else 0
        self._bind_spec(self.level, self.number, fast, self.access != "set", self.access != "get", self.available)

    @property
    def readable(self) -> bool:
        """Whether :meth:`get` is defined for this option."""
        return self.access != "set"

    @property
    def writable(self) -> bool:
        """Whether :meth:`set` is defined for this option."""
        return self.access != "get"

    def get(self, fd: FileNo) -> T:
        """``getsockopt(fd, level, number)``: the option's current value, decoded.

        *fd* is a descriptor number or an object with ``fileno()``.  A macres
        object (a :class:`~macres.Socket`) is used through its in-flight
        protocol: a close in another thread waits for the call to finish,
        so the number cannot be reused by another socket meanwhile.

        Raises:
            UnsupportedOperation: the running platform lacks the option.
            OSError: ENOPROTOOPT for a set-only option (before any call), or
                what the kernel says (ENOPROTOOPT, EINVAL, ENOTCONN, EBADF...);
                EPROTO when it returns fewer bytes than the value needs.
            ClosedResourceError: *fd* is a closed macres object.
            TypeError: *fd* is no socket descriptor (a Process, a MappedRegion, a float).
        """
        if self.access == "set" or not self.available:
            raise self._refusal("get")
        if fd.__class__ is not int:
            if isinstance(fd, FdHandle):
                result: T = fd._call(self.get)
                return result
            fd = _number(fd)
        codec = self.codec
        size = codec.sizes[0]
        buf = bytearray(size)
        try:
            n = _raw_getsockopt(fd, self.level, self.number, buf)
            if n == 4 == size:  # a whole C int: the int and bool codecs' reading, without their frames
                ctype = codec.ctype
                if ctype == "int":
                    return _from_bytes(buf, _NATIVE, signed=True)  # type: ignore[return-value]
                if ctype == "bool":
                    return any(buf)  # type: ignore[return-value]
        except OSError as exc:
            if exc.errno != errno.EINVAL or len(codec.sizes) == 1:
                raise
            buf, n = self._get_smaller(fd, codec.sizes[1:], exc)
            size = len(buf)
        unit = self.optlen_unit
        if unit != 1:
            n *= unit
        return codec.decode(buf if n == size else buf[:n])

    def set(self, fd: FileNo, value: T) -> None:
        """``setsockopt(fd, level, number, value)``: encode *value* and set it.

        *fd* is a descriptor number or an object with ``fileno()``; a macres
        object is used through its in-flight protocol, as for :meth:`get`.

        Raises:
            UnsupportedOperation: the running platform lacks the option.
            TypeError: *value* is not of the option's type (before any call);
                *fd* is no socket descriptor (a Process, a MappedRegion, a float).
            OverflowError, ValueError: *value* is out of the C type's range.
            OSError: ENOPROTOOPT for a get-only option (before any call), or
                what the kernel says (EINVAL, EPERM, EOPNOTSUPP...).
            ClosedResourceError: *fd* is a closed macres object.
        """
        if self.access == "get" or not self.available:
            raise self._refusal("set")
        if fd.__class__ is not int:
            if isinstance(fd, FdHandle):
                fd._call(self.set, value)
                return
            fd = _number(fd)
        _raw_setsockopt(fd, self.level, self.number, self.codec.encode(value))

    def _get_smaller(self, fd: int, sizes: tuple[int, ...], first: OSError) -> tuple[bytearray, int]:
        for size in sizes:
            buf = bytearray(size)
            try:
                return buf, raw.getsockopt(fd, self.level, self.number, buf)
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
        raise first

    def _refusal(self, op: str) -> OSError:
        if not self.available:
            return UnsupportedOperation(
                f"socket option {self.name}", raw.SYSTEM, COUNTERPARTS.get((raw.SYSTEM, self.name))
            )
        what = "set-only: it cannot be read" if op == "get" else "read-only: it cannot be set"
        return OSError(errno.ENOPROTOOPT, f"socket option {self.name} is {what}")


# The SockOpt values are built on first use, one catalog row at a time: the
# running platform's options when the module constants are bound, another
# platform's only for the names the running one lacks, and the rest of its
# catalog when options(platform=...) asks for it.  So importing this module
# builds no codec of the other platform that would import its ABI module.

#: (level name, name) -> the platforms that have the option.
_PLATFORMS_OF: Final[dict[tuple[str, str], tuple[str, ...]]] = {}
#: platform -> the indexes of its rows in ROWS, in the catalog's order.
_ROWS_OF: Final[dict[str, list[int]]] = {}
#: (level name, name) -> the row its module constant is: the running platform's if it has one.
_NAMED: Final[dict[tuple[str, str], int]] = {}
for _i, _row in enumerate(ROWS):
    _key = (_row[1], _row[3])
    _PLATFORMS_OF[_key] = (*_PLATFORMS_OF.get(_key, ()), _row[0])
    _ROWS_OF.setdefault(_row[0], []).append(_i)
    if _row[0] == raw.SYSTEM or _key not in _NAMED:
        _NAMED[_key] = _i
del _i, _row, _key

_CODECS: Final[dict[tuple[str, str, int | None], Codec[Any]]] = {}
_OPTS: Final[dict[int, SockOpt[Any]]] = {}
_BY_PLATFORM: Final[dict[str, list[SockOpt[Any]]]] = {}


def _opt(index: int) -> SockOpt[Any]:
    """The SockOpt of ``ROWS[index]``, built the first time it is asked for."""
    opt = _OPTS.get(index)
    if opt is not None:
        return opt
    platform, level_name, level, name, number, ctype, access, size, unit, alias, notes = ROWS[index]
    key = (platform, ctype, size)
    codec = _CODECS.get(key)
    if codec is None:
        codec = _CODECS.setdefault(key, _codec(platform, ctype, size))
    opt = SockOpt(
        level=level,
        level_name=level_name,
        name=name,
        number=number,
        codec=codec,
        access=cast(Access, access),  # checked by the field's validator
        platforms=tuple(sorted(set(_PLATFORMS_OF[(level_name, name)]))),
        notes=notes,
        alias_of=alias,
        platform=platform,
        available=platform == raw.SYSTEM,
        optlen_unit=unit,
    )
    return _OPTS.setdefault(index, opt)  # one value per row, also when two threads race


def options(level: int | None = None, *, platform: str | None = None) -> list[SockOpt[Any]]:
    """The options of the running platform (or *platform*), at *level* if given.

    In the order of ``sockopts.json``; aliases included.  Entries of another *platform* are not
    ``available`` here (their ``get``/``set`` raise ``UnsupportedOperation``);
    they exist so the darwin catalog can be checked on Linux.  On darwin
    ``SOL_LOCAL`` and ``IPPROTO_IP`` are both level 0: ``opt.level_name``
    tells them apart.

    Raises:
        ValueError: *platform* is neither ``"linux"`` nor ``"darwin"``.
    """
    which = raw.SYSTEM if platform is None else platform
    if which not in ("linux", "darwin"):
        raise ValueError(f"platform must be 'linux' or 'darwin', not {which!r}")
    opts = _BY_PLATFORM.get(which)
    if opts is None:
        opts = _BY_PLATFORM.setdefault(which, [_opt(i) for i in _ROWS_OF.get(which, ())])
    return [o for o in opts if level is None or o.level == level]


def _lookup(level_name: str, name: str) -> SockOpt[Any]:
    """The running platform's entry, or another platform's (unavailable here)."""
    return _opt(_NAMED[(level_name, name)])


# BEGIN GENERATED SOCKOPTS (tools/gen_sockopts.py)
# Source: data/abi/sockopts.json.  Do not edit by hand.
ICMP6_FILTER: Final[SockOpt[Icmp6Filter]] = _lookup('IPPROTO_ICMPV6', 'ICMP6_FILTER')
ICMP_FILTER: Final[SockOpt[int]] = _lookup('SOL_RAW', 'ICMP_FILTER')
IP6T_SO_ORIGINAL_DST: Final[SockOpt[SockAddr]] = _lookup('IPPROTO_IPV6', 'IP6T_SO_ORIGINAL_DST')
IPV6_2292DSTOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_2292DSTOPTS')
IPV6_2292HOPLIMIT: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_2292HOPLIMIT')
IPV6_2292HOPOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_2292HOPOPTS')
IPV6_2292PKTINFO: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_2292PKTINFO')
IPV6_2292PKTOPTIONS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_2292PKTOPTIONS')
IPV6_2292RTHDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_2292RTHDR')
IPV6_3542DSTOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_3542DSTOPTS')
IPV6_3542HOPLIMIT: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_3542HOPLIMIT')
IPV6_3542HOPOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_3542HOPOPTS')
IPV6_3542NEXTHOP: Final[SockOpt[SockAddr]] = _lookup('IPPROTO_IPV6', 'IPV6_3542NEXTHOP')
IPV6_3542PKTINFO: Final[SockOpt[In6Pktinfo]] = _lookup('IPPROTO_IPV6', 'IPV6_3542PKTINFO')
IPV6_3542RTHDR: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_3542RTHDR')
IPV6_ADDRFORM: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_ADDRFORM')
IPV6_ADDR_PREFERENCES: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_ADDR_PREFERENCES')
IPV6_ADD_MEMBERSHIP: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_ADD_MEMBERSHIP')
IPV6_AUTOFLOWLABEL: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_AUTOFLOWLABEL')
IPV6_BINDV6ONLY: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_BINDV6ONLY')
IPV6_BOUND_IF: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_BOUND_IF')
IPV6_CHECKSUM: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_CHECKSUM')
IPV6_DONTFRAG: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_DONTFRAG')
IPV6_DROP_MEMBERSHIP: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_DROP_MEMBERSHIP')
IPV6_DSTOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_DSTOPTS')
IPV6_FLOWINFO: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_FLOWINFO')
IPV6_FLOWINFO_SEND: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_FLOWINFO_SEND')
IPV6_FLOWLABEL_MGR: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_FLOWLABEL_MGR')
IPV6_FREEBIND: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_FREEBIND')
IPV6_HDRINCL: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_HDRINCL')
IPV6_HOPLIMIT: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_HOPLIMIT')
IPV6_HOPOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_HOPOPTS')
IPV6_IPSEC_POLICY: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_IPSEC_POLICY')
IPV6_JOIN_ANYCAST: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_JOIN_ANYCAST')
IPV6_JOIN_GROUP: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_JOIN_GROUP')
IPV6_LEAVE_ANYCAST: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_LEAVE_ANYCAST')
IPV6_LEAVE_GROUP: Final[SockOpt[Ipv6Mreq]] = _lookup('IPPROTO_IPV6', 'IPV6_LEAVE_GROUP')
IPV6_MINHOPCOUNT: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MINHOPCOUNT')
IPV6_MSFILTER: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_MSFILTER')
IPV6_MTU: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MTU')
IPV6_MTU_DISCOVER: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MTU_DISCOVER')
IPV6_MULTICAST_ALL: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_MULTICAST_ALL')
IPV6_MULTICAST_HOPS: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MULTICAST_HOPS')
IPV6_MULTICAST_IF: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MULTICAST_IF')
IPV6_MULTICAST_LOOP: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_MULTICAST_LOOP')
IPV6_NEXTHOP: Final[SockOpt[SockAddr]] = _lookup('IPPROTO_IPV6', 'IPV6_NEXTHOP')
IPV6_ORIGDSTADDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_ORIGDSTADDR')
IPV6_PATHMTU: Final[SockOpt[Ip6MtuInfo]] = _lookup('IPPROTO_IPV6', 'IPV6_PATHMTU')
IPV6_PKTINFO: Final[SockOpt[In6Pktinfo]] = _lookup('IPPROTO_IPV6', 'IPV6_PKTINFO')
IPV6_PORTRANGE: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_PORTRANGE')
IPV6_PREFER_TEMPADDR: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_PREFER_TEMPADDR')
IPV6_RECVDSTOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVDSTOPTS')
IPV6_RECVERR: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVERR')
IPV6_RECVERR_RFC4884: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVERR_RFC4884')
IPV6_RECVFRAGSIZE: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVFRAGSIZE')
IPV6_RECVHOPLIMIT: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVHOPLIMIT')
IPV6_RECVHOPOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVHOPOPTS')
IPV6_RECVORIGDSTADDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVORIGDSTADDR')
IPV6_RECVPATHMTU: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVPATHMTU')
IPV6_RECVPKTINFO: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVPKTINFO')
IPV6_RECVRTHDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVRTHDR')
IPV6_RECVTCLASS: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_RECVTCLASS')
IPV6_ROUTER_ALERT: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_ROUTER_ALERT')
IPV6_ROUTER_ALERT_ISOLATE: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_ROUTER_ALERT_ISOLATE')
IPV6_RTHDR: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_RTHDR')
IPV6_RTHDRDSTOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_RTHDRDSTOPTS')
IPV6_RXDSTOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_RXDSTOPTS')
IPV6_RXHOPOPTS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_RXHOPOPTS')
IPV6_TCLASS: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_TCLASS')
IPV6_TRANSPARENT: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_TRANSPARENT')
IPV6_UNICAST_HOPS: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_UNICAST_HOPS')
IPV6_UNICAST_IF: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_UNICAST_IF')
IPV6_USE_MIN_MTU: Final[SockOpt[int]] = _lookup('IPPROTO_IPV6', 'IPV6_USE_MIN_MTU')
IPV6_V6ONLY: Final[SockOpt[bool]] = _lookup('IPPROTO_IPV6', 'IPV6_V6ONLY')
IPV6_XFRM_POLICY: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'IPV6_XFRM_POLICY')
IP_ADD_MEMBERSHIP: Final[SockOpt[IpMreq | IpMreqn]] = _lookup('IPPROTO_IP', 'IP_ADD_MEMBERSHIP')
IP_ADD_SOURCE_MEMBERSHIP: Final[SockOpt[IpMreqSource]] = _lookup('IPPROTO_IP', 'IP_ADD_SOURCE_MEMBERSHIP')
IP_BIND_ADDRESS_NO_PORT: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_BIND_ADDRESS_NO_PORT')
IP_BLOCK_SOURCE: Final[SockOpt[IpMreqSource]] = _lookup('IPPROTO_IP', 'IP_BLOCK_SOURCE')
IP_BOUND_IF: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_BOUND_IF')
IP_CHECKSUM: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_CHECKSUM')
IP_DONTFRAG: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_DONTFRAG')
IP_DROP_MEMBERSHIP: Final[SockOpt[IpMreq | IpMreqn]] = _lookup('IPPROTO_IP', 'IP_DROP_MEMBERSHIP')
IP_DROP_SOURCE_MEMBERSHIP: Final[SockOpt[IpMreqSource]] = _lookup('IPPROTO_IP', 'IP_DROP_SOURCE_MEMBERSHIP')
IP_DUMMYNET_CONFIGURE: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_DUMMYNET_CONFIGURE')
IP_DUMMYNET_DEL: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_DUMMYNET_DEL')
IP_DUMMYNET_FLUSH: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_DUMMYNET_FLUSH')
IP_DUMMYNET_GET: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_DUMMYNET_GET')
IP_FREEBIND: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_FREEBIND')
IP_HDRINCL: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_HDRINCL')
IP_IPSEC_POLICY: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_IPSEC_POLICY')
IP_LOCAL_PORT_RANGE: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_LOCAL_PORT_RANGE')
IP_MINTTL: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_MINTTL')
IP_MSFILTER: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_MSFILTER')
IP_MTU: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_MTU')
IP_MTU_DISCOVER: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_MTU_DISCOVER')
IP_MULTICAST_ALL: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_MULTICAST_ALL')
IP_MULTICAST_IF: Final[SockOpt[str]] = _lookup('IPPROTO_IP', 'IP_MULTICAST_IF')
IP_MULTICAST_IFINDEX: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_MULTICAST_IFINDEX')
IP_MULTICAST_LOOP: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_MULTICAST_LOOP')
IP_MULTICAST_TTL: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_MULTICAST_TTL')
IP_NODEFRAG: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_NODEFRAG')
IP_OPTIONS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_OPTIONS')
IP_ORIGDSTADDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_ORIGDSTADDR')
IP_PASSSEC: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_PASSSEC')
IP_PKTINFO: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_PKTINFO')
IP_PKTOPTIONS: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_PKTOPTIONS')
IP_PMTUDISC: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_PMTUDISC')
IP_PORTRANGE: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_PORTRANGE')
IP_PROTOCOL: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_PROTOCOL')
IP_RECVDSTADDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVDSTADDR')
IP_RECVERR: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVERR')
IP_RECVERR_RFC4884: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVERR_RFC4884')
IP_RECVFRAGSIZE: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVFRAGSIZE')
IP_RECVIF: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVIF')
IP_RECVOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVOPTS')
IP_RECVORIGDSTADDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVORIGDSTADDR')
IP_RECVPKTINFO: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVPKTINFO')
IP_RECVRETOPTS: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVRETOPTS')
IP_RECVTOS: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVTOS')
IP_RECVTTL: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_RECVTTL')
IP_RETOPTS: Final[SockOpt[bool | bytes]] = _lookup('IPPROTO_IP', 'IP_RETOPTS')
IP_ROUTER_ALERT: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_ROUTER_ALERT')
IP_STRIPHDR: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_STRIPHDR')
IP_TOS: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_TOS')
IP_TRAFFIC_MGT_BACKGROUND: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_TRAFFIC_MGT_BACKGROUND')
IP_TRANSPARENT: Final[SockOpt[bool]] = _lookup('IPPROTO_IP', 'IP_TRANSPARENT')
IP_TTL: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_TTL')
IP_UNBLOCK_SOURCE: Final[SockOpt[IpMreqSource]] = _lookup('IPPROTO_IP', 'IP_UNBLOCK_SOURCE')
IP_UNICAST_IF: Final[SockOpt[int]] = _lookup('IPPROTO_IP', 'IP_UNICAST_IF')
IP_XFRM_POLICY: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'IP_XFRM_POLICY')
LOCAL_PEERCRED: Final[SockOpt[Xucred]] = _lookup('SOL_LOCAL', 'LOCAL_PEERCRED')
LOCAL_PEEREPID: Final[SockOpt[int]] = _lookup('SOL_LOCAL', 'LOCAL_PEEREPID')
LOCAL_PEEREUUID: Final[SockOpt[UUID]] = _lookup('SOL_LOCAL', 'LOCAL_PEEREUUID')
LOCAL_PEERPID: Final[SockOpt[int]] = _lookup('SOL_LOCAL', 'LOCAL_PEERPID')
LOCAL_PEERTOKEN: Final[SockOpt[tuple[int, ...]]] = _lookup('SOL_LOCAL', 'LOCAL_PEERTOKEN')
LOCAL_PEERUUID: Final[SockOpt[UUID]] = _lookup('SOL_LOCAL', 'LOCAL_PEERUUID')
MCAST_BLOCK_SOURCE: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IP', 'MCAST_BLOCK_SOURCE')
MCAST_BLOCK_SOURCE_V6: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IPV6', 'MCAST_BLOCK_SOURCE')
MCAST_JOIN_GROUP: Final[SockOpt[GroupReq]] = _lookup('IPPROTO_IP', 'MCAST_JOIN_GROUP')
MCAST_JOIN_GROUP_V6: Final[SockOpt[GroupReq]] = _lookup('IPPROTO_IPV6', 'MCAST_JOIN_GROUP')
MCAST_JOIN_SOURCE_GROUP: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IP', 'MCAST_JOIN_SOURCE_GROUP')
MCAST_JOIN_SOURCE_GROUP_V6: Final[SockOpt[GroupSourceReq]] = _lookup(
    'IPPROTO_IPV6', 'MCAST_JOIN_SOURCE_GROUP'
)
MCAST_LEAVE_GROUP: Final[SockOpt[GroupReq]] = _lookup('IPPROTO_IP', 'MCAST_LEAVE_GROUP')
MCAST_LEAVE_GROUP_V6: Final[SockOpt[GroupReq]] = _lookup('IPPROTO_IPV6', 'MCAST_LEAVE_GROUP')
MCAST_LEAVE_SOURCE_GROUP: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IP', 'MCAST_LEAVE_SOURCE_GROUP')
MCAST_LEAVE_SOURCE_GROUP_V6: Final[SockOpt[GroupSourceReq]] = _lookup(
    'IPPROTO_IPV6', 'MCAST_LEAVE_SOURCE_GROUP'
)
MCAST_MSFILTER: Final[SockOpt[bytes]] = _lookup('IPPROTO_IP', 'MCAST_MSFILTER')
MCAST_MSFILTER_V6: Final[SockOpt[bytes]] = _lookup('IPPROTO_IPV6', 'MCAST_MSFILTER')
MCAST_UNBLOCK_SOURCE: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IP', 'MCAST_UNBLOCK_SOURCE')
MCAST_UNBLOCK_SOURCE_V6: Final[SockOpt[GroupSourceReq]] = _lookup('IPPROTO_IPV6', 'MCAST_UNBLOCK_SOURCE')
PERSIST_TIMEOUT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'PERSIST_TIMEOUT')
SO_ACCEPTCONN: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_ACCEPTCONN')
SO_ATTACH_BPF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_ATTACH_BPF')
SO_ATTACH_FILTER: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_ATTACH_FILTER')
SO_ATTACH_REUSEPORT_CBPF: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_ATTACH_REUSEPORT_CBPF')
SO_ATTACH_REUSEPORT_EBPF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_ATTACH_REUSEPORT_EBPF')
SO_BINDTODEVICE: Final[SockOpt[str]] = _lookup('SOL_SOCKET', 'SO_BINDTODEVICE')
SO_BINDTOIFINDEX: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_BINDTOIFINDEX')
SO_BPF_EXTENSIONS: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_BPF_EXTENSIONS')
SO_BROADCAST: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_BROADCAST')
SO_BSDCOMPAT: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_BSDCOMPAT')
SO_BUF_LOCK: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_BUF_LOCK')
SO_BUSY_POLL: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_BUSY_POLL')
SO_BUSY_POLL_BUDGET: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_BUSY_POLL_BUDGET')
SO_CNX_ADVICE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_CNX_ADVICE')
SO_COOKIE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_COOKIE')
SO_DEBUG: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_DEBUG')
SO_DETACH_BPF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_DETACH_BPF')
SO_DETACH_FILTER: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_DETACH_FILTER')
SO_DETACH_REUSEPORT_BPF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_DETACH_REUSEPORT_BPF')
SO_DEVMEM_DONTNEED: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_DEVMEM_DONTNEED')
SO_DOMAIN: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_DOMAIN')
SO_DONTROUTE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_DONTROUTE')
SO_DONTTRUNC: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_DONTTRUNC')
SO_ERROR: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_ERROR')
SO_GET_FILTER: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_GET_FILTER')
SO_INCOMING_CPU: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_INCOMING_CPU')
SO_INCOMING_NAPI_ID: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_INCOMING_NAPI_ID')
SO_INQ: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_INQ')
SO_KEEPALIVE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_KEEPALIVE')
SO_LINGER: Final[SockOpt[Linger]] = _lookup('SOL_SOCKET', 'SO_LINGER')
SO_LINGER_SEC: Final[SockOpt[Linger]] = _lookup('SOL_SOCKET', 'SO_LINGER_SEC')
SO_LOCK_FILTER: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_LOCK_FILTER')
SO_MARK: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_MARK')
SO_MAX_PACING_RATE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_MAX_PACING_RATE')
SO_MEMINFO: Final[SockOpt[tuple[int, ...]]] = _lookup('SOL_SOCKET', 'SO_MEMINFO')
SO_NETNS_COOKIE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NETNS_COOKIE')
SO_NETSVC_MARKING_LEVEL: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NETSVC_MARKING_LEVEL')
SO_NET_SERVICE_TYPE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NET_SERVICE_TYPE')
SO_NKE: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_NKE')
SO_NOADDRERR: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_NOADDRERR')
SO_NOFCS: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_NOFCS')
SO_NOSIGPIPE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_NOSIGPIPE')
SO_NOTIFYCONFLICT: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_NOTIFYCONFLICT')
SO_NO_CHECK: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_NO_CHECK')
SO_NP_EXTENSIONS: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_NP_EXTENSIONS')
SO_NREAD: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NREAD')
SO_NUMRCVPKT: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NUMRCVPKT')
SO_NWRITE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_NWRITE')
SO_OOBINLINE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_OOBINLINE')
SO_ORIGINAL_DST: Final[SockOpt[SockAddr]] = _lookup('IPPROTO_IP', 'SO_ORIGINAL_DST')
SO_PASSCRED: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_PASSCRED')
SO_PASSPIDFD: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_PASSPIDFD')
SO_PASSRIGHTS: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_PASSRIGHTS')
SO_PASSSEC: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_PASSSEC')
SO_PEEK_OFF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_PEEK_OFF')
SO_PEERCRED: Final[SockOpt[Ucred]] = _lookup('SOL_SOCKET', 'SO_PEERCRED')
SO_PEERGROUPS: Final[SockOpt[tuple[int, ...]]] = _lookup('SOL_SOCKET', 'SO_PEERGROUPS')
SO_PEERNAME: Final[SockOpt[SockAddr]] = _lookup('SOL_SOCKET', 'SO_PEERNAME')
SO_PEERPIDFD: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_PEERPIDFD')
SO_PEERSEC: Final[SockOpt[str]] = _lookup('SOL_SOCKET', 'SO_PEERSEC')
SO_PREFER_BUSY_POLL: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_PREFER_BUSY_POLL')
SO_PRIORITY: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_PRIORITY')
SO_PROTOCOL: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_PROTOCOL')
SO_RANDOMPORT: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_RANDOMPORT')
SO_RCVBUF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_RCVBUF')
SO_RCVBUFFORCE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_RCVBUFFORCE')
SO_RCVLOWAT: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_RCVLOWAT')
SO_RCVMARK: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_RCVMARK')
SO_RCVPRIORITY: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_RCVPRIORITY')
SO_RCVTIMEO: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_RCVTIMEO')
SO_RCVTIMEO_NEW: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_RCVTIMEO_NEW')
SO_RCVTIMEO_OLD: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_RCVTIMEO_OLD')
SO_RESERVE_MEM: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_RESERVE_MEM')
SO_RESOLVER_SIGNATURE: Final[SockOpt[bytes]] = _lookup('SOL_SOCKET', 'SO_RESOLVER_SIGNATURE')
SO_REUSEADDR: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_REUSEADDR')
SO_REUSEPORT: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_REUSEPORT')
SO_REUSESHAREUID: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_REUSESHAREUID')
SO_RXQ_OVFL: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_RXQ_OVFL')
SO_SELECT_ERR_QUEUE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_SELECT_ERR_QUEUE')
SO_SNDBUF: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_SNDBUF')
SO_SNDBUFFORCE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_SNDBUFFORCE')
SO_SNDLOWAT: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_SNDLOWAT')
SO_SNDTIMEO: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_SNDTIMEO')
SO_SNDTIMEO_NEW: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_SNDTIMEO_NEW')
SO_SNDTIMEO_OLD: Final[SockOpt[float]] = _lookup('SOL_SOCKET', 'SO_SNDTIMEO_OLD')
SO_TIMESTAMP: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMP')
SO_TIMESTAMPING: Final[SockOpt[SoTimestamping]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPING')
SO_TIMESTAMPING_NEW: Final[SockOpt[SoTimestamping]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPING_NEW')
SO_TIMESTAMPING_OLD: Final[SockOpt[SoTimestamping]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPING_OLD')
SO_TIMESTAMPNS: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPNS')
SO_TIMESTAMPNS_NEW: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPNS_NEW')
SO_TIMESTAMPNS_OLD: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMPNS_OLD')
SO_TIMESTAMP_MONOTONIC: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMP_MONOTONIC')
SO_TIMESTAMP_NEW: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMP_NEW')
SO_TIMESTAMP_OLD: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_TIMESTAMP_OLD')
SO_TXREHASH: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_TXREHASH')
SO_TXTIME: Final[SockOpt[SockTxtime]] = _lookup('SOL_SOCKET', 'SO_TXTIME')
SO_TYPE: Final[SockOpt[int]] = _lookup('SOL_SOCKET', 'SO_TYPE')
SO_UPCALLCLOSEWAIT: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_UPCALLCLOSEWAIT')
SO_USELOOPBACK: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_USELOOPBACK')
SO_WANTMORE: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_WANTMORE')
SO_WANTOOBFLAG: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_WANTOOBFLAG')
SO_WIFI_STATUS: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_WIFI_STATUS')
SO_ZEROCOPY: Final[SockOpt[bool]] = _lookup('SOL_SOCKET', 'SO_ZEROCOPY')
TCP_AO_ADD_KEY: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_AO_ADD_KEY')
TCP_AO_DEL_KEY: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_AO_DEL_KEY')
TCP_AO_GET_KEYS: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_AO_GET_KEYS')
TCP_AO_INFO: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_AO_INFO')
TCP_AO_REPAIR: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_AO_REPAIR')
TCP_CC_INFO: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_CC_INFO')
TCP_CONGESTION: Final[SockOpt[str]] = _lookup('IPPROTO_TCP', 'TCP_CONGESTION')
TCP_CONNECTIONTIMEOUT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_CONNECTIONTIMEOUT')
TCP_CONNECTION_INFO: Final[SockOpt[TcpConnectionInfo]] = _lookup('IPPROTO_TCP', 'TCP_CONNECTION_INFO')
TCP_CORK: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_CORK')
TCP_DEFER_ACCEPT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_DEFER_ACCEPT')
TCP_DELACK_MAX_US: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_DELACK_MAX_US')
TCP_ENABLE_ECN: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_ENABLE_ECN')
TCP_FASTOPEN: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_FASTOPEN')
TCP_FASTOPEN_CONNECT: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_FASTOPEN_CONNECT')
TCP_FASTOPEN_KEY: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_FASTOPEN_KEY')
TCP_FASTOPEN_NO_COOKIE: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_FASTOPEN_NO_COOKIE')
TCP_INFO: Final[SockOpt[TcpInfo]] = _lookup('IPPROTO_TCP', 'TCP_INFO')
TCP_INQ: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_INQ')
TCP_IS_MPTCP: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_IS_MPTCP')
TCP_KEEPALIVE: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_KEEPALIVE')
TCP_KEEPCNT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_KEEPCNT')
TCP_KEEPIDLE: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_KEEPIDLE')
TCP_KEEPINTVL: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_KEEPINTVL')
TCP_LINGER2: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_LINGER2')
TCP_MAXSEG: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_MAXSEG')
TCP_MD5SIG: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_MD5SIG')
TCP_MD5SIG_EXT: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_MD5SIG_EXT')
TCP_NODELAY: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_NODELAY')
TCP_NOOPT: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_NOOPT')
TCP_NOPUSH: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_NOPUSH')
TCP_NOTSENT_LOWAT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_NOTSENT_LOWAT')
TCP_QUEUE_SEQ: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_QUEUE_SEQ')
TCP_QUICKACK: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_QUICKACK')
TCP_REPAIR: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_REPAIR')
TCP_REPAIR_OPTIONS: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_REPAIR_OPTIONS')
TCP_REPAIR_QUEUE: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_REPAIR_QUEUE')
TCP_REPAIR_WINDOW: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_REPAIR_WINDOW')
TCP_RTO_MAX_MS: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_RTO_MAX_MS')
TCP_RTO_MIN_US: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_RTO_MIN_US')
TCP_RXT_CONNDROPTIME: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_RXT_CONNDROPTIME')
TCP_RXT_FINDROP: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_RXT_FINDROP')
TCP_SAVED_SYN: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_SAVED_SYN')
TCP_SAVE_SYN: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_SAVE_SYN')
TCP_SENDMOREACKS: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_SENDMOREACKS')
TCP_SYNCNT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_SYNCNT')
TCP_THIN_DUPACK: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_THIN_DUPACK')
TCP_THIN_LINEAR_TIMEOUTS: Final[SockOpt[bool]] = _lookup('IPPROTO_TCP', 'TCP_THIN_LINEAR_TIMEOUTS')
TCP_TIMESTAMP: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_TIMESTAMP')
TCP_TX_DELAY: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_TX_DELAY')
TCP_ULP: Final[SockOpt[str]] = _lookup('IPPROTO_TCP', 'TCP_ULP')
TCP_USER_TIMEOUT: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_USER_TIMEOUT')
TCP_WINDOW_CLAMP: Final[SockOpt[int]] = _lookup('IPPROTO_TCP', 'TCP_WINDOW_CLAMP')
TCP_ZEROCOPY_RECEIVE: Final[SockOpt[bytes]] = _lookup('IPPROTO_TCP', 'TCP_ZEROCOPY_RECEIVE')
UDPLITE_RECV_CSCOV: Final[SockOpt[int]] = _lookup('IPPROTO_UDPLITE', 'UDPLITE_RECV_CSCOV')
UDPLITE_SEND_CSCOV: Final[SockOpt[int]] = _lookup('IPPROTO_UDPLITE', 'UDPLITE_SEND_CSCOV')
UDP_CORK: Final[SockOpt[bool]] = _lookup('IPPROTO_UDP', 'UDP_CORK')
UDP_ENCAP: Final[SockOpt[int]] = _lookup('IPPROTO_UDP', 'UDP_ENCAP')
UDP_GRO: Final[SockOpt[bool]] = _lookup('IPPROTO_UDP', 'UDP_GRO')
UDP_NOCKSUM: Final[SockOpt[bool]] = _lookup('IPPROTO_UDP', 'UDP_NOCKSUM')
UDP_NO_CHECK6_RX: Final[SockOpt[bool]] = _lookup('IPPROTO_UDP', 'UDP_NO_CHECK6_RX')
UDP_NO_CHECK6_TX: Final[SockOpt[bool]] = _lookup('IPPROTO_UDP', 'UDP_NO_CHECK6_TX')
UDP_SEGMENT: Final[SockOpt[int]] = _lookup('IPPROTO_UDP', 'UDP_SEGMENT')

__all__ += [
    'ICMP6_FILTER',
    'ICMP_FILTER',
    'IP6T_SO_ORIGINAL_DST',
    'IPV6_2292DSTOPTS',
    'IPV6_2292HOPLIMIT',
    'IPV6_2292HOPOPTS',
    'IPV6_2292PKTINFO',
    'IPV6_2292PKTOPTIONS',
    'IPV6_2292RTHDR',
    'IPV6_3542DSTOPTS',
    'IPV6_3542HOPLIMIT',
    'IPV6_3542HOPOPTS',
    'IPV6_3542NEXTHOP',
    'IPV6_3542PKTINFO',
    'IPV6_3542RTHDR',
    'IPV6_ADDRFORM',
    'IPV6_ADDR_PREFERENCES',
    'IPV6_ADD_MEMBERSHIP',
    'IPV6_AUTOFLOWLABEL',
    'IPV6_BINDV6ONLY',
    'IPV6_BOUND_IF',
    'IPV6_CHECKSUM',
    'IPV6_DONTFRAG',
    'IPV6_DROP_MEMBERSHIP',
    'IPV6_DSTOPTS',
    'IPV6_FLOWINFO',
    'IPV6_FLOWINFO_SEND',
    'IPV6_FLOWLABEL_MGR',
    'IPV6_FREEBIND',
    'IPV6_HDRINCL',
    'IPV6_HOPLIMIT',
    'IPV6_HOPOPTS',
    'IPV6_IPSEC_POLICY',
    'IPV6_JOIN_ANYCAST',
    'IPV6_JOIN_GROUP',
    'IPV6_LEAVE_ANYCAST',
    'IPV6_LEAVE_GROUP',
    'IPV6_MINHOPCOUNT',
    'IPV6_MSFILTER',
    'IPV6_MTU',
    'IPV6_MTU_DISCOVER',
    'IPV6_MULTICAST_ALL',
    'IPV6_MULTICAST_HOPS',
    'IPV6_MULTICAST_IF',
    'IPV6_MULTICAST_LOOP',
    'IPV6_NEXTHOP',
    'IPV6_ORIGDSTADDR',
    'IPV6_PATHMTU',
    'IPV6_PKTINFO',
    'IPV6_PORTRANGE',
    'IPV6_PREFER_TEMPADDR',
    'IPV6_RECVDSTOPTS',
    'IPV6_RECVERR',
    'IPV6_RECVERR_RFC4884',
    'IPV6_RECVFRAGSIZE',
    'IPV6_RECVHOPLIMIT',
    'IPV6_RECVHOPOPTS',
    'IPV6_RECVORIGDSTADDR',
    'IPV6_RECVPATHMTU',
    'IPV6_RECVPKTINFO',
    'IPV6_RECVRTHDR',
    'IPV6_RECVTCLASS',
    'IPV6_ROUTER_ALERT',
    'IPV6_ROUTER_ALERT_ISOLATE',
    'IPV6_RTHDR',
    'IPV6_RTHDRDSTOPTS',
    'IPV6_RXDSTOPTS',
    'IPV6_RXHOPOPTS',
    'IPV6_TCLASS',
    'IPV6_TRANSPARENT',
    'IPV6_UNICAST_HOPS',
    'IPV6_UNICAST_IF',
    'IPV6_USE_MIN_MTU',
    'IPV6_V6ONLY',
    'IPV6_XFRM_POLICY',
    'IP_ADD_MEMBERSHIP',
    'IP_ADD_SOURCE_MEMBERSHIP',
    'IP_BIND_ADDRESS_NO_PORT',
    'IP_BLOCK_SOURCE',
    'IP_BOUND_IF',
    'IP_CHECKSUM',
    'IP_DONTFRAG',
    'IP_DROP_MEMBERSHIP',
    'IP_DROP_SOURCE_MEMBERSHIP',
    'IP_DUMMYNET_CONFIGURE',
    'IP_DUMMYNET_DEL',
    'IP_DUMMYNET_FLUSH',
    'IP_DUMMYNET_GET',
    'IP_FREEBIND',
    'IP_HDRINCL',
    'IP_IPSEC_POLICY',
    'IP_LOCAL_PORT_RANGE',
    'IP_MINTTL',
    'IP_MSFILTER',
    'IP_MTU',
    'IP_MTU_DISCOVER',
    'IP_MULTICAST_ALL',
    'IP_MULTICAST_IF',
    'IP_MULTICAST_IFINDEX',
    'IP_MULTICAST_LOOP',
    'IP_MULTICAST_TTL',
    'IP_NODEFRAG',
    'IP_OPTIONS',
    'IP_ORIGDSTADDR',
    'IP_PASSSEC',
    'IP_PKTINFO',
    'IP_PKTOPTIONS',
    'IP_PMTUDISC',
    'IP_PORTRANGE',
    'IP_PROTOCOL',
    'IP_RECVDSTADDR',
    'IP_RECVERR',
    'IP_RECVERR_RFC4884',
    'IP_RECVFRAGSIZE',
    'IP_RECVIF',
    'IP_RECVOPTS',
    'IP_RECVORIGDSTADDR',
    'IP_RECVPKTINFO',
    'IP_RECVRETOPTS',
    'IP_RECVTOS',
    'IP_RECVTTL',
    'IP_RETOPTS',
    'IP_ROUTER_ALERT',
    'IP_STRIPHDR',
    'IP_TOS',
    'IP_TRAFFIC_MGT_BACKGROUND',
    'IP_TRANSPARENT',
    'IP_TTL',
    'IP_UNBLOCK_SOURCE',
    'IP_UNICAST_IF',
    'IP_XFRM_POLICY',
    'LOCAL_PEERCRED',
    'LOCAL_PEEREPID',
    'LOCAL_PEEREUUID',
    'LOCAL_PEERPID',
    'LOCAL_PEERTOKEN',
    'LOCAL_PEERUUID',
    'MCAST_BLOCK_SOURCE',
    'MCAST_BLOCK_SOURCE_V6',
    'MCAST_JOIN_GROUP',
    'MCAST_JOIN_GROUP_V6',
    'MCAST_JOIN_SOURCE_GROUP',
    'MCAST_JOIN_SOURCE_GROUP_V6',
    'MCAST_LEAVE_GROUP',
    'MCAST_LEAVE_GROUP_V6',
    'MCAST_LEAVE_SOURCE_GROUP',
    'MCAST_LEAVE_SOURCE_GROUP_V6',
    'MCAST_MSFILTER',
    'MCAST_MSFILTER_V6',
    'MCAST_UNBLOCK_SOURCE',
    'MCAST_UNBLOCK_SOURCE_V6',
    'PERSIST_TIMEOUT',
    'SO_ACCEPTCONN',
    'SO_ATTACH_BPF',
    'SO_ATTACH_FILTER',
    'SO_ATTACH_REUSEPORT_CBPF',
    'SO_ATTACH_REUSEPORT_EBPF',
    'SO_BINDTODEVICE',
    'SO_BINDTOIFINDEX',
    'SO_BPF_EXTENSIONS',
    'SO_BROADCAST',
    'SO_BSDCOMPAT',
    'SO_BUF_LOCK',
    'SO_BUSY_POLL',
    'SO_BUSY_POLL_BUDGET',
    'SO_CNX_ADVICE',
    'SO_COOKIE',
    'SO_DEBUG',
    'SO_DETACH_BPF',
    'SO_DETACH_FILTER',
    'SO_DETACH_REUSEPORT_BPF',
    'SO_DEVMEM_DONTNEED',
    'SO_DOMAIN',
    'SO_DONTROUTE',
    'SO_DONTTRUNC',
    'SO_ERROR',
    'SO_GET_FILTER',
    'SO_INCOMING_CPU',
    'SO_INCOMING_NAPI_ID',
    'SO_INQ',
    'SO_KEEPALIVE',
    'SO_LINGER',
    'SO_LINGER_SEC',
    'SO_LOCK_FILTER',
    'SO_MARK',
    'SO_MAX_PACING_RATE',
    'SO_MEMINFO',
    'SO_NETNS_COOKIE',
    'SO_NETSVC_MARKING_LEVEL',
    'SO_NET_SERVICE_TYPE',
    'SO_NKE',
    'SO_NOADDRERR',
    'SO_NOFCS',
    'SO_NOSIGPIPE',
    'SO_NOTIFYCONFLICT',
    'SO_NO_CHECK',
    'SO_NP_EXTENSIONS',
    'SO_NREAD',
    'SO_NUMRCVPKT',
    'SO_NWRITE',
    'SO_OOBINLINE',
    'SO_ORIGINAL_DST',
    'SO_PASSCRED',
    'SO_PASSPIDFD',
    'SO_PASSRIGHTS',
    'SO_PASSSEC',
    'SO_PEEK_OFF',
    'SO_PEERCRED',
    'SO_PEERGROUPS',
    'SO_PEERNAME',
    'SO_PEERPIDFD',
    'SO_PEERSEC',
    'SO_PREFER_BUSY_POLL',
    'SO_PRIORITY',
    'SO_PROTOCOL',
    'SO_RANDOMPORT',
    'SO_RCVBUF',
    'SO_RCVBUFFORCE',
    'SO_RCVLOWAT',
    'SO_RCVMARK',
    'SO_RCVPRIORITY',
    'SO_RCVTIMEO',
    'SO_RCVTIMEO_NEW',
    'SO_RCVTIMEO_OLD',
    'SO_RESERVE_MEM',
    'SO_RESOLVER_SIGNATURE',
    'SO_REUSEADDR',
    'SO_REUSEPORT',
    'SO_REUSESHAREUID',
    'SO_RXQ_OVFL',
    'SO_SELECT_ERR_QUEUE',
    'SO_SNDBUF',
    'SO_SNDBUFFORCE',
    'SO_SNDLOWAT',
    'SO_SNDTIMEO',
    'SO_SNDTIMEO_NEW',
    'SO_SNDTIMEO_OLD',
    'SO_TIMESTAMP',
    'SO_TIMESTAMPING',
    'SO_TIMESTAMPING_NEW',
    'SO_TIMESTAMPING_OLD',
    'SO_TIMESTAMPNS',
    'SO_TIMESTAMPNS_NEW',
    'SO_TIMESTAMPNS_OLD',
    'SO_TIMESTAMP_MONOTONIC',
    'SO_TIMESTAMP_NEW',
    'SO_TIMESTAMP_OLD',
    'SO_TXREHASH',
    'SO_TXTIME',
    'SO_TYPE',
    'SO_UPCALLCLOSEWAIT',
    'SO_USELOOPBACK',
    'SO_WANTMORE',
    'SO_WANTOOBFLAG',
    'SO_WIFI_STATUS',
    'SO_ZEROCOPY',
    'TCP_AO_ADD_KEY',
    'TCP_AO_DEL_KEY',
    'TCP_AO_GET_KEYS',
    'TCP_AO_INFO',
    'TCP_AO_REPAIR',
    'TCP_CC_INFO',
    'TCP_CONGESTION',
    'TCP_CONNECTIONTIMEOUT',
    'TCP_CONNECTION_INFO',
    'TCP_CORK',
    'TCP_DEFER_ACCEPT',
    'TCP_DELACK_MAX_US',
    'TCP_ENABLE_ECN',
    'TCP_FASTOPEN',
    'TCP_FASTOPEN_CONNECT',
    'TCP_FASTOPEN_KEY',
    'TCP_FASTOPEN_NO_COOKIE',
    'TCP_INFO',
    'TCP_INQ',
    'TCP_IS_MPTCP',
    'TCP_KEEPALIVE',
    'TCP_KEEPCNT',
    'TCP_KEEPIDLE',
    'TCP_KEEPINTVL',
    'TCP_LINGER2',
    'TCP_MAXSEG',
    'TCP_MD5SIG',
    'TCP_MD5SIG_EXT',
    'TCP_NODELAY',
    'TCP_NOOPT',
    'TCP_NOPUSH',
    'TCP_NOTSENT_LOWAT',
    'TCP_QUEUE_SEQ',
    'TCP_QUICKACK',
    'TCP_REPAIR',
    'TCP_REPAIR_OPTIONS',
    'TCP_REPAIR_QUEUE',
    'TCP_REPAIR_WINDOW',
    'TCP_RTO_MAX_MS',
    'TCP_RTO_MIN_US',
    'TCP_RXT_CONNDROPTIME',
    'TCP_RXT_FINDROP',
    'TCP_SAVED_SYN',
    'TCP_SAVE_SYN',
    'TCP_SENDMOREACKS',
    'TCP_SYNCNT',
    'TCP_THIN_DUPACK',
    'TCP_THIN_LINEAR_TIMEOUTS',
    'TCP_TIMESTAMP',
    'TCP_TX_DELAY',
    'TCP_ULP',
    'TCP_USER_TIMEOUT',
    'TCP_WINDOW_CLAMP',
    'TCP_ZEROCOPY_RECEIVE',
    'UDPLITE_RECV_CSCOV',
    'UDPLITE_SEND_CSCOV',
    'UDP_CORK',
    'UDP_ENCAP',
    'UDP_GRO',
    'UDP_NOCKSUM',
    'UDP_NO_CHECK6_RX',
    'UDP_NO_CHECK6_TX',
    'UDP_SEGMENT',
]
# END GENERATED SOCKOPTS
