"""Socket-option value codecs: Python values <-> the bytes getsockopt/setsockopt move.

One :class:`Codec` per C shape of ``abi/sockopts.json`` (``bool``, ``int``,
``timeval``, ``linger``, ``ip_mreq``, ``tcp_info``, ...) and platform.  The
object layer (:mod:`macres.sockopt`) holds a codec in each ``SockOpt`` and
never touches ctypes or struct layouts itself.

Layouts are written with :mod:`struct` from the ABI tables (and checked
against them and against the ctypes structs of ``raw/_linux.py`` by the
tests), so the darwin codecs can be built and tested on Linux too;
``tcp_info`` is decoded through ``_linux.CTcpInfo``.  The ABI modules are
imported when a codec first needs one of their facts (an address family,
``HAS_SA_LEN``, ``CTcpInfo``), so building the running platform's codecs
never imports the other platform's module.

Rules every codec follows:

* ``encode`` checks the value's type (``TypeError``) and range
  (``OverflowError`` for integers that do not fit the C type,
  ``ValueError`` for other bad values) before any system call.
* ``decode`` takes the bytes the kernel returned (``optlen`` of them).  A
  result shorter than the C type needs raises ``OSError(EPROTO)``, except
  for structs that grow with kernel versions (``tcp_info``): their missing
  tail reads as zero, and a longer result is read up to what the value type
  knows.
* Booleans decode any non-zero value as ``True`` (darwin yes/no options read
  back the flag bit, ``SO_REUSEADDR`` reads 4).
"""

from __future__ import annotations

import ctypes
import errno
import importlib
import math
import struct
import sys
from collections.abc import Callable, Mapping
from operator import index
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Generic, SupportsIndex, TypeAlias, TypeVar, Union, final

import attrs

from ._args import INT_MAX, INT_MIN, LONG_MAX, UINT_MAX, ULONG_MAX

if TYPE_CHECKING:
    import uuid

# ipaddress and uuid are imported by the codecs that use them, when a value is
# first encoded or decoded: a program that never reads an address option never
# loads them.

__all__ = [
    "Codec",
    "Data",
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
    "SockTxtime",
    "SoTimestamping",
    "TcpConnectionInfo",
    "TcpInfo",
    "Ucred",
    "Xucred",
    "codec",
    "PYTHON_TYPES",
]

T = TypeVar("T")

#: An IPv4 address ``(host, port)`` or IPv6 address
#: ``(host, port, flowinfo, scope_id)``, as the stdlib ``socket`` writes them.
SockAddr: TypeAlias = Union["tuple[str, int]", "tuple[str, int, int, int]"]

#: What decoders take: the bytes the kernel wrote (a slice of the get buffer).
Data: TypeAlias = bytes | bytearray

_BYTEORDER: Final = sys.byteorder  # x86_64 and arm64 are both little-endian


@final
@attrs.frozen
class Codec(Generic[T]):
    """How one C shape of option value becomes a Python value and back.

    ``sizes`` are the buffer sizes ``getsockopt`` asks for, in order: the
    first one normally; the next ones only after ``EINVAL`` (Linux
    ``SO_PEERNAME`` refuses a buffer longer than the address).
    """

    ctype: str
    sizes: tuple[int, ...]
    encode: Callable[[T], bytes] = attrs.field(repr=False)
    decode: Callable[[Data], T] = attrs.field(repr=False)

    @property
    def size(self) -> int:
        """The buffer size ``getsockopt`` asks for first."""
        return self.sizes[0]


# -- value classes -----------------------------------------------------------


@final
@attrs.frozen
class Linger:
    """``struct linger``: linger on close for *seconds* when *onoff*.

    Seconds on both platforms: on darwin macres reads and writes it through
    ``SO_LINGER_SEC`` (the C ``SO_LINGER`` there counts clock ticks).
    """

    onoff: bool
    seconds: int


@final
@attrs.frozen
class Ucred:
    """Linux ``struct ucred`` (``SO_PEERCRED``): the peer's pid, uid and gid."""

    pid: int
    uid: int
    gid: int


@final
@attrs.frozen
class Xucred:
    """darwin ``struct xucred`` (``LOCAL_PEERCRED``): version, effective uid and groups."""

    version: int
    uid: int
    groups: tuple[int, ...]


@final
@attrs.frozen
class IpMreq:
    """``struct ip_mreq``: IPv4 multicast group and local interface address."""

    multiaddr: str
    interface: str = "0.0.0.0"


@final
@attrs.frozen
class IpMreqn:
    """Linux ``struct ip_mreqn``: group, local address and interface index."""

    multiaddr: str
    address: str = "0.0.0.0"
    ifindex: int = 0


@final
@attrs.frozen
class IpMreqSource:
    """``struct ip_mreq_source``: group, local interface and source address.

    The C field order differs (Linux: multiaddr, interface, sourceaddr;
    darwin: multiaddr, sourceaddr, interface); the codec writes each
    platform's order.
    """

    multiaddr: str
    interface: str
    sourceaddr: str


@final
@attrs.frozen
class Ipv6Mreq:
    """``struct ipv6_mreq``: IPv6 multicast group and interface index."""

    multiaddr: str
    interface: int = 0


@final
@attrs.frozen
class GroupReq:
    """``struct group_req`` (RFC 3678): interface index and group address (IPv4 or IPv6)."""

    interface: int
    group: str


@final
@attrs.frozen
class GroupSourceReq:
    """``struct group_source_req``: interface index, group and source addresses."""

    interface: int
    group: str
    source: str


@final
@attrs.frozen
class In6Pktinfo:
    """``struct in6_pktinfo``: IPv6 source address and interface index."""

    addr: str
    ifindex: int


@final
@attrs.frozen
class Ip6MtuInfo:
    """``struct ip6_mtuinfo``: destination address and path MTU."""

    addr: SockAddr
    mtu: int


@final
@attrs.frozen
class Icmp6Filter:
    """``struct icmp6_filter`` as a 256-bit mask: bit N is ICMPv6 type N.

    The meaning of a set bit differs: Linux/glibc blocks that type, darwin
    (KAME) passes it.  macres keeps the kernel's bits unchanged.
    """

    bits: int


@final
@attrs.frozen
class SoTimestamping:
    """Linux ``struct so_timestamping``: ``SOF_TIMESTAMPING_*`` flags and PHC index."""

    flags: int
    bind_phc: int = 0


@final
@attrs.frozen
class SockTxtime:
    """Linux ``struct sock_txtime``: clock id and ``SOF_TXTIME_*`` flags."""

    clockid: int
    flags: int = 0


@final
@attrs.frozen
class TcpInfo:
    """Linux ``struct tcp_info`` (``TCP_INFO``), field names as in ``<linux/tcp.h>``.

    Fields past what the running kernel fills read as 0.  The two nibbles of
    the wscale byte are ``tcpi_snd_wscale``/``tcpi_rcv_wscale``; the flag
    bits after them are ``tcpi_flags``.
    """

    tcpi_state: int
    tcpi_ca_state: int
    tcpi_retransmits: int
    tcpi_probes: int
    tcpi_backoff: int
    tcpi_options: int
    tcpi_snd_wscale: int
    tcpi_rcv_wscale: int
    tcpi_flags: int
    tcpi_rto: int
    tcpi_ato: int
    tcpi_snd_mss: int
    tcpi_rcv_mss: int
    tcpi_unacked: int
    tcpi_sacked: int
    tcpi_lost: int
    tcpi_retrans: int
    tcpi_fackets: int
    tcpi_last_data_sent: int
    tcpi_last_ack_sent: int
    tcpi_last_data_recv: int
    tcpi_last_ack_recv: int
    tcpi_pmtu: int
    tcpi_rcv_ssthresh: int
    tcpi_rtt: int
    tcpi_rttvar: int
    tcpi_snd_ssthresh: int
    tcpi_snd_cwnd: int
    tcpi_advmss: int
    tcpi_reordering: int
    tcpi_rcv_rtt: int
    tcpi_rcv_space: int
    tcpi_total_retrans: int
    tcpi_pacing_rate: int
    tcpi_max_pacing_rate: int
    tcpi_bytes_acked: int
    tcpi_bytes_received: int
    tcpi_segs_out: int
    tcpi_segs_in: int
    tcpi_notsent_bytes: int
    tcpi_min_rtt: int
    tcpi_data_segs_in: int
    tcpi_data_segs_out: int
    tcpi_delivery_rate: int
    tcpi_busy_time: int
    tcpi_rwnd_limited: int
    tcpi_sndbuf_limited: int
    tcpi_delivered: int
    tcpi_delivered_ce: int
    tcpi_bytes_sent: int
    tcpi_bytes_retrans: int
    tcpi_dsack_dups: int
    tcpi_reord_seen: int
    tcpi_rcv_ooopack: int
    tcpi_snd_wnd: int
    tcpi_rcv_wnd: int
    tcpi_rehash: int
    tcpi_total_rto: int
    tcpi_total_rto_recoveries: int
    tcpi_total_rto_time: int
    tcpi_received_ce: int
    tcpi_delivered_e1_bytes: int
    tcpi_delivered_e0_bytes: int
    tcpi_delivered_ce_bytes: int
    tcpi_received_e1_bytes: int
    tcpi_received_e0_bytes: int
    tcpi_received_ce_bytes: int


@final
@attrs.frozen
class TcpConnectionInfo:
    """darwin ``struct tcp_connection_info`` (``TCP_CONNECTION_INFO``).

    RTO and RTTs in milliseconds, windows in bytes; ``tcpi_tfo_flags`` is
    the word of ``tcpi_tfo_*`` bitfields.
    """

    tcpi_state: int
    tcpi_snd_wscale: int
    tcpi_rcv_wscale: int
    tcpi_options: int
    tcpi_flags: int
    tcpi_rto: int
    tcpi_maxseg: int
    tcpi_snd_ssthresh: int
    tcpi_snd_cwnd: int
    tcpi_snd_wnd: int
    tcpi_snd_sbbytes: int
    tcpi_rcv_wnd: int
    tcpi_rttcur: int
    tcpi_srtt: int
    tcpi_rttvar: int
    tcpi_tfo_flags: int
    tcpi_txpackets: int
    tcpi_txbytes: int
    tcpi_txretransmitbytes: int
    tcpi_rxpackets: int
    tcpi_rxbytes: int
    tcpi_rxoutoforderbytes: int
    tcpi_txretransmitpackets: int


# -- helpers -------------------------------------------------------------------


def _short(ctype: str, got: int, need: int) -> OSError:
    return OSError(errno.EPROTO, f"getsockopt returned {got} bytes, a {ctype} needs {need}")


def _need(data: Data, ctype: str, need: int) -> None:
    if len(data) < need:
        raise _short(ctype, len(data), need)


def _int_of(value: object, what: str) -> int:
    if isinstance(value, int):  # the common case, without the protocol check's cost
        return int(value)
    if not isinstance(value, SupportsIndex):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return index(value)


def _ranged(value: object, lo: int, hi: int, what: str) -> int:
    v = _int_of(value, what)
    if not lo <= v <= hi:
        raise OverflowError(f"{what} {v} is out of range [{lo}, {hi}]")
    return v


def _ipv4(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be an IPv4 address str, not {type(value).__name__}")
    import ipaddress

    try:
        return ipaddress.IPv4Address(value).packed
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def _ipv6(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be an IPv6 address str, not {type(value).__name__}")
    import ipaddress

    try:
        return ipaddress.IPv6Address(value).packed
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def _str4(packed: Data) -> str:
    import ipaddress

    return str(ipaddress.IPv4Address(bytes(packed)))


def _str6(packed: Data) -> str:
    import ipaddress

    return str(ipaddress.IPv6Address(bytes(packed)))


def _check(value: object, cls: type[Any], ctype: str) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"a {ctype} option takes a {cls.__name__}, not {type(value).__name__}")


# -- scalar codecs -----------------------------------------------------------------


def _bool_codec() -> Codec[bool]:
    def encode(value: bool) -> bytes:
        if not isinstance(value, bool):
            raise TypeError(f"a bool option takes True or False, not {type(value).__name__}")
        return (1 if value else 0).to_bytes(4, _BYTEORDER)

    def decode(data: Data) -> bool:
        if not data:
            raise _short("bool", 0, 1)
        return any(data)

    return Codec("bool", (4,), encode, decode)


def _int_codec(ctype: str, nbytes: int, lo: int, hi: int, *, signed: bool) -> Codec[int]:
    from_bytes = int.from_bytes

    def encode(value: int) -> bytes:
        return _ranged(value, lo, hi, f"{ctype} option value").to_bytes(nbytes, _BYTEORDER, signed=signed)

    def decode(data: Data) -> int:
        n = len(data)
        if n == nbytes:  # the common case, without a slice
            return from_bytes(data, _BYTEORDER, signed=signed)
        if n == 0:
            raise _short(ctype, 0, nbytes)
        if n > nbytes:
            return int.from_bytes(data[:nbytes], _BYTEORDER, signed=signed)
        # A shorter answer (a u8 for IP_TOS, a clamped u32 for a u64): unsigned.
        return int.from_bytes(data, _BYTEORDER, signed=False)

    return Codec(ctype, (nbytes,), encode, decode)


def _str_codec(size: int) -> Codec[str]:
    def encode(value: str) -> bytes:
        _check(value, str, "str")
        raw = value.encode("utf-8", "surrogateescape")
        if b"\0" in raw:
            raise ValueError("embedded null character in option string")
        if len(raw) >= size:
            raise ValueError(f"option string of {len(raw)} bytes does not fit {size - 1}")
        return raw

    def decode(data: Data) -> str:
        return data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")

    return Codec("str", (size,), encode, decode)


def _bytes_codec(ctype: str, size: int) -> Codec[bytes]:
    def encode(value: bytes) -> bytes:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"a {ctype} option takes bytes, not {type(value).__name__}")
        return bytes(value)

    def decode(data: Data) -> bytes:
        return bytes(data)

    return Codec(ctype, (size,), encode, decode)


def _u32_array_codec(ctype: str, size: int) -> Codec[tuple[int, ...]]:
    def encode(value: tuple[int, ...]) -> bytes:
        _check(value, tuple, ctype)
        return b"".join(_ranged(v, 0, UINT_MAX, "array element").to_bytes(4, _BYTEORDER) for v in value)

    def decode(data: Data) -> tuple[int, ...]:
        n = len(data) // 4
        return struct.unpack(f"={n}I", data[: 4 * n])

    return Codec(ctype, (size,), encode, decode)


def _uuid_codec() -> Codec[uuid.UUID]:
    def encode(value: uuid.UUID) -> bytes:
        import uuid

        _check(value, uuid.UUID, "uuid")
        return value.bytes

    def decode(data: Data) -> uuid.UUID:
        import uuid

        _need(data, "uuid", 16)
        return uuid.UUID(bytes=bytes(data[:16]))

    return Codec("uuid", (16,), encode, decode)


def _timeval_codec(usec_format: str) -> Codec[float]:
    fmt = "=q" + usec_format + ("4x" if usec_format == "i" else "")

    def encode(value: float) -> bytes:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"a timeval option takes float seconds, not {type(value).__name__}")
        if math.isnan(value) or value < 0:
            raise ValueError(f"a timeout must be a non-negative number of seconds, not {value}")
        if value * 1_000_000 > LONG_MAX:
            raise OverflowError(f"timeout {value} s does not fit a struct timeval")
        # A positive timeout below 1 us is 1 us: 0 would tell the kernel to wait for ever.
        sec, usec = divmod(max(round(value * 1_000_000), 1 if value > 0 else 0), 1_000_000)
        return struct.pack(fmt, sec, usec)

    def decode(data: Data) -> float:
        _need(data, "timeval", 16)
        sec, usec = struct.unpack(fmt, data[:16])
        return float((int(sec) * 1_000_000 + int(usec)) / 1_000_000)

    return Codec("timeval", (16,), encode, decode)


def _linger_codec(max_seconds: int) -> Codec[Linger]:
    def encode(value: Linger) -> bytes:
        _check(value, Linger, "linger")
        if not isinstance(value.onoff, bool):
            raise TypeError(f"Linger.onoff must be a bool, not {type(value.onoff).__name__}")
        seconds = _ranged(value.seconds, 0, max_seconds, "Linger.seconds")
        return struct.pack("=ii", 1 if value.onoff else 0, seconds)

    def decode(data: Data) -> Linger:
        _need(data, "linger", 8)
        onoff, seconds = struct.unpack("=ii", data[:8])
        return Linger(onoff != 0, seconds)

    return Codec("linger", (8,), encode, decode)


# -- address structs ---------------------------------------------------------------


def _sockaddr_pack(abi: ModuleType, host: str, size: int) -> bytes:
    """A ``sockaddr_in``/``sockaddr_in6`` (port 0) for *host*, padded to *size*."""
    if not isinstance(host, str):
        raise TypeError(f"a group/source address must be a str, not {type(host).__name__}")
    if ":" in host:
        family, packed, length = int(abi.AF_INET6), _ipv6(host, "address"), 28
        body = struct.pack("=HI16sI", 0, 0, packed, 0)
    else:
        family, packed, length = int(abi.AF_INET), _ipv4(host, "address"), 16
        body = struct.pack("=H4s8x", 0, packed)
    head = struct.pack("=BB", length, family) if abi.HAS_SA_LEN else struct.pack("=H", family)
    return (head + body).ljust(size, b"\0")


def _sockaddr_unpack(abi: ModuleType, data: Data, family: int | None = None) -> SockAddr:
    """Decode a ``sockaddr_in``/``sockaddr_in6``.

    *family* fixes the layout for fields typed ``sockaddr_in6``/``sockaddr_in``
    (Linux leaves ``ip6m_addr`` of ``IPV6_PATHMTU`` zeroed, family 0 included);
    without it the address's own family decides.
    """
    _need(data, "sockaddr", 2)
    if family is None:
        family = data[1] if abi.HAS_SA_LEN else int.from_bytes(data[:2], _BYTEORDER)
    if family == abi.AF_INET:
        _need(data, "sockaddr_in", 8)
        port, addr = struct.unpack("!H4s", data[2:8])
        return (_str4(addr), port)
    if family == abi.AF_INET6:
        _need(data, "sockaddr_in6", 28)
        port, flowinfo, addr = struct.unpack("!HI16s", data[2:24])
        return (_str6(addr), port, flowinfo, int.from_bytes(data[24:28], _BYTEORDER))
    raise OSError(errno.EAFNOSUPPORT, f"option returned an address of family {family}, not AF_INET/AF_INET6")


def _sockaddr_codec(platform: str, ctype: str, sizes: tuple[int, ...]) -> Codec[SockAddr]:
    def encode(value: SockAddr) -> bytes:
        if not isinstance(value, tuple) or len(value) not in (2, 4):
            raise TypeError("an address option takes (host, port) or (host, port, flowinfo, scope_id)")
        host = value[0]
        port = _ranged(value[1], 0, 0xFFFF, "port")
        raw = bytearray(_sockaddr_pack(_abi(platform), host, 28 if ":" in host else 16))
        raw[2:4] = port.to_bytes(2, "big")
        if len(value) == 4:
            if ":" not in host:
                raise ValueError("a 4-tuple address must be IPv6")
            raw[4:8] = _ranged(value[2], 0, UINT_MAX, "flowinfo").to_bytes(4, "big")
            raw[24:28] = _ranged(value[3], 0, UINT_MAX, "scope_id").to_bytes(4, _BYTEORDER)
        return bytes(raw)

    field = {"sockaddr_in": "AF_INET", "sockaddr_in6": "AF_INET6"}.get(ctype)

    def decode(data: Data) -> SockAddr:
        abi = _abi(platform)
        return _sockaddr_unpack(abi, data, None if field is None else int(getattr(abi, field)))

    return Codec(ctype, sizes, encode, decode)


def _in_addr_codec() -> Codec[str]:
    def encode(value: str) -> bytes:
        return _ipv4(value, "in_addr")

    def decode(data: Data) -> str:
        _need(data, "in_addr", 4)
        return _str4(data[:4])

    return Codec("in_addr", (4,), encode, decode)


def _ip_mreq_codec() -> Codec[IpMreq]:
    def encode(value: IpMreq) -> bytes:
        _check(value, IpMreq, "ip_mreq")
        return _ipv4(value.multiaddr, "multiaddr") + _ipv4(value.interface, "interface")

    def decode(data: Data) -> IpMreq:
        _need(data, "ip_mreq", 8)
        return IpMreq(_str4(data[0:4]), _str4(data[4:8]))

    return Codec("ip_mreq", (8,), encode, decode)


def _ip_mreqn_codec() -> Codec[IpMreq | IpMreqn]:
    # Linux takes a struct ip_mreqn (12 bytes) or a plain struct ip_mreq (8).
    plain = _ip_mreq_codec()

    def encode(value: IpMreq | IpMreqn) -> bytes:
        if isinstance(value, IpMreq):
            return plain.encode(value)
        _check(value, IpMreqn, "ip_mreqn")
        ifindex = _ranged(value.ifindex, INT_MIN, INT_MAX, "ifindex")
        group, address = _ipv4(value.multiaddr, "multiaddr"), _ipv4(value.address, "address")
        return group + address + struct.pack("=i", ifindex)

    def decode(data: Data) -> IpMreq | IpMreqn:
        if len(data) < 12:
            return plain.decode(data)
        return IpMreqn(_str4(data[0:4]), _str4(data[4:8]), struct.unpack("=i", data[8:12])[0])

    return Codec("ip_mreqn", (12,), encode, decode)


def _ip_mreq_source_codec(source_second: bool) -> Codec[IpMreqSource]:
    def encode(value: IpMreqSource) -> bytes:
        _check(value, IpMreqSource, "ip_mreq_source")
        group = _ipv4(value.multiaddr, "multiaddr")
        interface = _ipv4(value.interface, "interface")
        source = _ipv4(value.sourceaddr, "sourceaddr")
        return group + (source + interface if source_second else interface + source)

    def decode(data: Data) -> IpMreqSource:
        _need(data, "ip_mreq_source", 12)
        a, b, c = _str4(data[0:4]), _str4(data[4:8]), _str4(data[8:12])
        return IpMreqSource(a, c, b) if source_second else IpMreqSource(a, b, c)

    return Codec("ip_mreq_source", (12,), encode, decode)


def _ipv6_mreq_codec() -> Codec[Ipv6Mreq]:
    def encode(value: Ipv6Mreq) -> bytes:
        _check(value, Ipv6Mreq, "ipv6_mreq")
        interface = _ranged(value.interface, 0, UINT_MAX, "interface")
        return _ipv6(value.multiaddr, "multiaddr") + struct.pack("=I", interface)

    def decode(data: Data) -> Ipv6Mreq:
        _need(data, "ipv6_mreq", 20)
        return Ipv6Mreq(_str6(data[:16]), struct.unpack("=I", data[16:20])[0])

    return Codec("ipv6_mreq", (20,), encode, decode)


def _in6_pktinfo_codec() -> Codec[In6Pktinfo]:
    def encode(value: In6Pktinfo) -> bytes:
        _check(value, In6Pktinfo, "in6_pktinfo")
        return _ipv6(value.addr, "addr") + struct.pack("=I", _ranged(value.ifindex, 0, UINT_MAX, "ifindex"))

    def decode(data: Data) -> In6Pktinfo:
        _need(data, "in6_pktinfo", 20)
        return In6Pktinfo(_str6(data[:16]), struct.unpack("=I", data[16:20])[0])

    return Codec("in6_pktinfo", (20,), encode, decode)


def _group_codecs(abi: ModuleType) -> tuple[Codec[GroupReq], Codec[GroupSourceReq]]:
    # Linux pads gr_interface to 8 bytes; darwin packs the struct to 4.
    head = 4 if abi.HAS_SA_LEN else 8
    ss = 128

    def encode_group(value: GroupReq) -> bytes:
        _check(value, GroupReq, "group_req")
        index_ = _ranged(value.interface, 0, UINT_MAX, "interface")
        return index_.to_bytes(4, _BYTEORDER).ljust(head, b"\0") + _sockaddr_pack(abi, value.group, ss)

    def decode_group(data: Data) -> GroupReq:
        _need(data, "group_req", head + ss)
        return GroupReq(int.from_bytes(data[:4], _BYTEORDER), _sockaddr_unpack(abi, data[head:])[0])

    def encode_source(value: GroupSourceReq) -> bytes:
        _check(value, GroupSourceReq, "group_source_req")
        index_ = _ranged(value.interface, 0, UINT_MAX, "interface")
        return (
            index_.to_bytes(4, _BYTEORDER).ljust(head, b"\0")
            + _sockaddr_pack(abi, value.group, ss)
            + _sockaddr_pack(abi, value.source, ss)
        )

    def decode_source(data: Data) -> GroupSourceReq:
        _need(data, "group_source_req", head + 2 * ss)
        return GroupSourceReq(
            int.from_bytes(data[:4], _BYTEORDER),
            _sockaddr_unpack(abi, data[head : head + ss])[0],
            _sockaddr_unpack(abi, data[head + ss :])[0],
        )

    return (
        Codec("group_req", (head + ss,), encode_group, decode_group),
        Codec("group_source_req", (head + 2 * ss,), encode_source, decode_source),
    )


def _ip6_mtuinfo_codec(platform: str) -> Codec[Ip6MtuInfo]:
    def encode(value: Ip6MtuInfo) -> bytes:
        _check(value, Ip6MtuInfo, "ip6_mtuinfo")
        addr = _sockaddr_codec(platform, "sockaddr_in6", (28,)).encode(value.addr).ljust(28, b"\0")
        return addr + struct.pack("=I", _ranged(value.mtu, 0, UINT_MAX, "mtu"))

    def decode(data: Data) -> Ip6MtuInfo:
        _need(data, "ip6_mtuinfo", 32)
        abi = _abi(platform)
        addr = _sockaddr_unpack(abi, data[:28], int(abi.AF_INET6))
        return Ip6MtuInfo(addr, struct.unpack("=I", data[28:32])[0])

    return Codec("ip6_mtuinfo", (32,), encode, decode)


# -- other structs ---------------------------------------------------------------


def _ucred_codec() -> Codec[Ucred]:
    def encode(value: Ucred) -> bytes:
        _check(value, Ucred, "ucred")
        return struct.pack(
            "=iII",
            _ranged(value.pid, INT_MIN, INT_MAX, "pid"),
            _ranged(value.uid, 0, UINT_MAX, "uid"),
            _ranged(value.gid, 0, UINT_MAX, "gid"),
        )

    def decode(data: Data) -> Ucred:
        _need(data, "ucred", 12)
        return Ucred(*struct.unpack("=iII", data[:12]))

    return Codec("ucred", (12,), encode, decode)


_XUCRED: Final = struct.Struct("=IIh2x16I")  # cr_version, cr_uid, cr_ngroups, cr_groups[16]


def _xucred_codec() -> Codec[Xucred]:
    def encode(value: Xucred) -> bytes:
        _check(value, Xucred, "xucred")
        groups = [_ranged(g, 0, UINT_MAX, "group") for g in value.groups]
        if len(groups) > 16:
            raise ValueError(f"an xucred holds at most 16 groups, not {len(groups)}")
        return _XUCRED.pack(
            _ranged(value.version, 0, UINT_MAX, "version"),
            _ranged(value.uid, 0, UINT_MAX, "uid"),
            len(groups),
            *(groups + [0] * (16 - len(groups))),
        )

    def decode(data: Data) -> Xucred:
        _need(data, "xucred", _XUCRED.size)
        version, uid, ngroups, *groups = _XUCRED.unpack(data[: _XUCRED.size])
        return Xucred(version, uid, tuple(groups[: max(0, min(ngroups, 16))]))

    return Codec("xucred", (_XUCRED.size,), encode, decode)


def _icmp6_filter_codec() -> Codec[Icmp6Filter]:
    # 8 native u32 words; bit N of the mask is bit N % 32 of word N // 32.
    def encode(value: Icmp6Filter) -> bytes:
        _check(value, Icmp6Filter, "icmp6_filter")
        bits = _ranged(value.bits, 0, (1 << 256) - 1, "icmp6_filter bits")
        return struct.pack("=8I", *((bits >> (32 * i)) & UINT_MAX for i in range(8)))

    def decode(data: Data) -> Icmp6Filter:
        _need(data, "icmp6_filter", 32)
        words = struct.unpack("=8I", data[:32])
        return Icmp6Filter(sum(w << (32 * i) for i, w in enumerate(words)))

    return Codec("icmp6_filter", (32,), encode, decode)


def _pair_codec(ctype: str, cls: type[Any], fmt: str, fields: tuple[str, str]) -> Codec[Any]:
    layout = struct.Struct(fmt)
    lo_hi = {"i": (INT_MIN, INT_MAX), "I": (0, UINT_MAX)}

    def encode(value: Any) -> bytes:
        _check(value, cls, ctype)
        return layout.pack(
            *(
                _ranged(getattr(value, f), *lo_hi[c], f"{cls.__name__}.{f}")
                for f, c in zip(fields, fmt[1:], strict=True)
            )
        )

    def decode(data: Data) -> Any:
        _need(data, ctype, layout.size)
        return cls(*layout.unpack(data[: layout.size]))

    return Codec(ctype, (layout.size,), encode, decode)


_tcp_info_struct: tuple[Any, tuple[str, ...], int] | None = None


def _tcp_info() -> tuple[Any, tuple[str, ...], int]:
    """``_linux.CTcpInfo``, its public field names and its size, loaded on first use."""
    global _tcp_info_struct
    if _tcp_info_struct is None:
        c = _abi("linux").CTcpInfo
        _tcp_info_struct = (c, tuple(n for n, _ in c._fields_ if not n.startswith("_")), ctypes.sizeof(c))
    return _tcp_info_struct


def _tcp_info_codec(size: int | None) -> Codec[TcpInfo]:
    # With *size* (the catalog's, from the ABI table) building the codec does not
    # import _linux; the struct is loaded when a value is first encoded or decoded.
    def encode(value: TcpInfo) -> bytes:
        _check(value, TcpInfo, "tcp_info")
        ctcp, fields, _ = _tcp_info()
        c = ctcp()
        for name in fields:
            setattr(c, name, getattr(value, name))
        c._tcpi_wscale = (value.tcpi_rcv_wscale << 4) | (value.tcpi_snd_wscale & 0xF)
        c._tcpi_flags = value.tcpi_flags
        return bytes(c)

    def decode(data: Data) -> TcpInfo:
        # The kernel fills min(optlen, its size): older kernels leave the tail zero.
        _need(data, "tcp_info", 8)
        ctcp, fields, known = _tcp_info()
        c = ctcp.from_buffer_copy(bytes(data[:known]).ljust(known, b"\0"))
        wscale = c._tcpi_wscale
        values: dict[str, int] = {name: getattr(c, name) for name in fields}
        values.update(tcpi_snd_wscale=wscale & 0xF, tcpi_rcv_wscale=wscale >> 4, tcpi_flags=c._tcpi_flags)
        return TcpInfo(**values)

    return Codec("tcp_info", (size or _tcp_info()[2],), encode, decode)


# state, snd_wscale, rcv_wscale, pad, options, flags, rto, maxseg, snd_ssthresh,
# snd_cwnd, snd_wnd, snd_sbbytes, rcv_wnd, rttcur, srtt, rttvar, tfo word, 7 x u64
_TCP_CONNECTION_INFO: Final = struct.Struct("=BBBx13I7Q")


def _tcp_connection_info_codec() -> Codec[TcpConnectionInfo]:
    names = [a.name for a in attrs.fields(TcpConnectionInfo)]

    def encode(value: TcpConnectionInfo) -> bytes:
        _check(value, TcpConnectionInfo, "tcp_connection_info")
        return _TCP_CONNECTION_INFO.pack(*(getattr(value, n) for n in names))

    def decode(data: Data) -> TcpConnectionInfo:
        _need(data, "tcp_connection_info", _TCP_CONNECTION_INFO.size)
        return TcpConnectionInfo(*_TCP_CONNECTION_INFO.unpack(data[: _TCP_CONNECTION_INFO.size]))

    return Codec("tcp_connection_info", (_TCP_CONNECTION_INFO.size,), encode, decode)


# -- the table -------------------------------------------------------------------

#: The Python type each C shape becomes (as written in annotations).
#: C shapes not listed are ``bytes``.
PYTHON_TYPES: Final[Mapping[str, str]] = {
    "bool": "bool",
    "int": "int",
    "uint": "int",
    "u64": "int",
    "fd": "int",
    "icmp_filter": "int",
    "str": "str",
    "timeval": "float",
    "linger": "Linger",
    "ucred": "Ucred",
    "xucred": "Xucred",
    "in_addr": "str",
    "ip_mreq": "IpMreq",
    "ip_mreqn": "IpMreq | IpMreqn",
    "ip_mreq_source": "IpMreqSource",
    "ipv6_mreq": "Ipv6Mreq",
    "group_req": "GroupReq",
    "group_source_req": "GroupSourceReq",
    "in6_pktinfo": "In6Pktinfo",
    "ip6_mtuinfo": "Ip6MtuInfo",
    "icmp6_filter": "Icmp6Filter",
    "so_timestamping": "SoTimestamping",
    "sock_txtime": "SockTxtime",
    "tcp_info": "TcpInfo",
    "tcp_connection_info": "TcpConnectionInfo",
    "sockaddr": "SockAddr",
    "sockaddr_in": "SockAddr",
    "sockaddr_in6": "SockAddr",
    "u32_array": "tuple[int, ...]",
    "audit_token": "tuple[int, ...]",
    "uuid": "UUID",
}

#: Buffer sizes of the shapes kept as raw bytes: the C struct's size, or room
#: for a variable-length answer.  Options may override them (catalog ``size``).
BYTES_SIZES: Final[Mapping[str, int]] = {
    "bytes": 1024,
    "sock_fprog": 16,
    "tcp_md5sig": 216,
    "tcp_repair_opt": 8,
    "tcp_repair_window": 20,
    "tcp_zerocopy_receive": 64,
    "tcp_cc_info": 104,
    "tcp_ao_add": 280,
    "tcp_ao_del": 48,
    "tcp_ao_info_opt": 48,
    "tcp_ao_getsockopt": 48,
    "tcp_ao_repair": 16,
    "in6_flowlabel_req": 32,
    "group_filter": 4096,
    "ip_msfilter": 4096,
    "msfilterreq": 4096,
    "so_nke": 48,
    "so_np_extensions": 8,
}

_PLATFORMS: Final = ("linux", "darwin")
_ABIS: dict[str, ModuleType] = {}


def _abi(platform: str) -> ModuleType:
    """The ABI module of *platform* (``raw._linux`` or ``raw._darwin``), imported on first use."""
    abi = _ABIS.get(platform)
    if abi is None:
        if platform not in _PLATFORMS:
            raise KeyError(platform)
        abi = _ABIS[platform] = importlib.import_module(f"{__package__}._{platform}")
    return abi


def codec(platform: str, ctype: str, size: int | None = None) -> Codec[Any]:
    """Return the codec of C shape *ctype* on *platform* (``"linux"``/``"darwin"``).

    *size* overrides the buffer size of variable-length shapes (``str``,
    ``bytes``, ``u32_array``, ``tcp_info`` and the structs kept as bytes).

    Raises:
        KeyError: unknown platform.
    """
    if platform not in _PLATFORMS:
        raise KeyError(platform)
    darwin = platform == "darwin"
    if ctype == "bool":
        return _bool_codec()
    if ctype in ("int", "fd"):
        lo = 0 if ctype == "fd" else INT_MIN
        return _int_codec(ctype, 4, lo, INT_MAX, signed=True)
    if ctype in ("uint", "icmp_filter"):
        return _int_codec(ctype, 4, 0, UINT_MAX, signed=False)
    if ctype == "u64":
        return _int_codec(ctype, 8, 0, ULONG_MAX, signed=False)
    if ctype == "str":
        return _str_codec(size or 256)
    if ctype == "timeval":
        return _timeval_codec("i" if darwin else "q")
    if ctype == "linger":
        # darwin keeps l_linger in a short of ticks (hz = 100): 327 s at most.
        return _linger_codec(327 if darwin else INT_MAX)
    if ctype in ("sockaddr", "sockaddr_in", "sockaddr_in6"):
        sizes = {"sockaddr": (28, 16), "sockaddr_in": (16,), "sockaddr_in6": (28,)}[ctype]
        return _sockaddr_codec(platform, ctype, sizes)
    if ctype in ("u32_array", "audit_token"):
        return _u32_array_codec(ctype, size or (32 if ctype == "audit_token" else 256))
    simple: dict[str, Callable[[], Codec[Any]]] = {
        "in_addr": _in_addr_codec,
        "ip_mreq": _ip_mreq_codec,
        "ip_mreqn": _ip_mreqn_codec,
        "ipv6_mreq": _ipv6_mreq_codec,
        "in6_pktinfo": _in6_pktinfo_codec,
        "ucred": _ucred_codec,
        "xucred": _xucred_codec,
        "icmp6_filter": _icmp6_filter_codec,
        "uuid": _uuid_codec,
        "tcp_connection_info": _tcp_connection_info_codec,
    }
    if ctype in simple:
        return simple[ctype]()
    if ctype == "ip_mreq_source":
        return _ip_mreq_source_codec(source_second=darwin)
    if ctype == "tcp_info":
        return _tcp_info_codec(size)
    if ctype == "group_req":
        return _group_codecs(_abi(platform))[0]
    if ctype == "group_source_req":
        return _group_codecs(_abi(platform))[1]
    if ctype == "ip6_mtuinfo":
        return _ip6_mtuinfo_codec(platform)
    if ctype == "so_timestamping":
        return _pair_codec(ctype, SoTimestamping, "=ii", ("flags", "bind_phc"))
    if ctype == "sock_txtime":
        return _pair_codec(ctype, SockTxtime, "=iI", ("clockid", "flags"))
    return _bytes_codec(ctype, size or BYTES_SIZES.get(ctype, BYTES_SIZES["bytes"]))
