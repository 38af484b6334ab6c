"""Socket addresses: the stdlib's Python forms to ``struct sockaddr_*`` and back.

The forms are the ones :mod:`socket` uses:

* ``AF_INET``: ``(host, port)``; *host* a dotted-quad string, ``""`` for
  ``INADDR_ANY`` or ``"<broadcast>"``.
* ``AF_INET6``: ``(host, port, flowinfo, scope_id)``; a 2-tuple or 3-tuple
  is accepted and the missing fields are 0.  *host* is a numeric IPv6
  string, ``""`` for ``in6addr_any``; a ``%scope`` suffix (number or
  interface name) gives the scope id when the tuple's is 0.  Decoded hosts
  carry no ``%scope`` suffix (the stdlib adds one for link-local
  addresses); the scope is in the fourth field.
* ``AF_UNIX``: a path as ``str``, ``bytes`` or ``os.PathLike``.  On Linux a
  name starting with a NUL is an abstract name and is decoded as ``bytes``
  (``b"\\0name"``); every other name is decoded as ``str``; an unnamed
  socket decodes as ``""`` and ``""`` encodes as "no name" (``bind`` then
  autobinds on Linux).
* ``AF_UNSPEC``: ``None``, a bare ``struct sockaddr`` (``connect`` with it
  dissolves a datagram socket's association).
* The Linux families the stdlib knows, in its forms: ``AF_NETLINK``
  ``(pid, groups)``; ``AF_VSOCK`` ``(cid, port)``; ``AF_QIPCRTR`` ``(node,
  port)``; ``AF_PACKET`` ``(ifname, proto[, pkttype[, hatype[, addr]]])``,
  decoded as all five (the interface named, ``""`` for index 0);
  ``AF_TIPC`` ``(addr_type, v1, v2, v3[, scope])``, decoded as all five as
  the stdlib does; ``AF_ALG`` ``(type, name[, feat[, mask]])``, decoded as
  all four.  Numbers are range-checked (``OverflowError``) where the stdlib
  would silently truncate them.  Their ``struct sockaddr`` bytes are
  accepted too.
* Any other family (and ``AF_CAN``/``AF_BLUETOOTH``, whose form depends on
  the protocol): the ``struct sockaddr`` bytes themselves, passed through
  unchanged, so every family stays reachable.

Hosts are numeric only: the raw layer does no name resolution (the stdlib
would call ``getaddrinfo``, which may block on DNS).  A host name raises
``ValueError``; the object layer resolves names before calling down.

Every check happens here, before a system call: a wrong form is a
``TypeError``, a bad host or a path too long or holding a NUL is a
``ValueError``, a port, flowinfo or scope id out of range an
``OverflowError`` (as the stdlib raises for ports).
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket as _socket
import struct
from collections.abc import Callable
from operator import index
from typing import Final, Union

from typing_extensions import Buffer
from typing import TypeAlias

from ._platform import abi

__all__ = ["Address", "AddressArg", "address_family", "decode_sockaddr", "encode_sockaddr"]

#: What the raw layer returns for an address: AF_INET, AF_INET6, AF_UNIX, then
#: AF_NETLINK/AF_VSOCK/AF_QIPCRTR, AF_PACKET, AF_TIPC, AF_ALG; bytes for the rest.
Address: TypeAlias = tuple[str, int] | tuple[str, int, int, int] | str | bytes | tuple[int, int] | tuple[str, int, int, int, bytes] | tuple[int, int, int, int, int] | tuple[str, str, int, int]
#: What the raw layer accepts as an address (the family decides which form applies).
AddressArg: TypeAlias = Union[
    tuple[str, int],
    tuple[str, int, int],
    tuple[str, int, int, int],
    tuple[int, int],
    tuple[str, int, int, int, bytes],
    tuple[int, int, int, int],
    tuple[int, int, int, int, int],
    tuple[str, str],
    tuple[str, str, int],
    tuple[str, str, int, int],
    str,
    bytes,
    bytearray,
    "os.PathLike[str]",
    "os.PathLike[bytes]",
    Buffer,
    None,
]

_AF_UNSPEC: Final = int(abi.AF_UNSPEC)
_AF_INET: Final = int(abi.AF_INET)
_AF_INET6: Final = int(abi.AF_INET6)
_AF_UNIX: Final = int(abi.AF_UNIX)

_SIZEOF_STORAGE: Final = ctypes.sizeof(abi.CSockaddrStorage)
_SIZEOF_SOCKADDR: Final = ctypes.sizeof(abi.CSockaddr)
_SIZEOF_IN: Final = ctypes.sizeof(abi.CSockaddrIn)
_SIZEOF_IN6: Final = ctypes.sizeof(abi.CSockaddrIn6)
_SUN_PATH_OFFSET: Final = abi.CSockaddrUn.sun_path.offset
_SUN_PATH_SIZE: Final = abi.CSockaddrUn.sun_path.size
#: Offset and size of the family field (after the length byte on BSD).
_FAMILY_OFFSET: Final = 1 if abi.HAS_SA_LEN else 0
_FAMILY_FORMAT: Final = "=B" if abi.HAS_SA_LEN else "=H"
_FAMILY_SIZE: Final = struct.calcsize(_FAMILY_FORMAT)

_PORT_MAX: Final = 0xFFFF
_FLOWINFO_MAX: Final = (1 << 20) - 1
_SCOPE_MAX: Final = (1 << 32) - 1


def _port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"port must be an int, not {type(value).__name__}")
    if not 0 <= value <= _PORT_MAX:
        raise OverflowError(f"port must be 0-65535, got {value}")
    return value


def _uint(value: object, what: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    v = index(value)
    if not 0 <= v <= limit:
        raise OverflowError(f"{what} must be 0-{limit}, got {v}")
    return v


def _host(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"host must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError("embedded null character in host")
    return value


def _inet_pton(family: int, host: str) -> bytes:
    try:
        return _socket.inet_pton(family, host)
    except (OSError, ValueError):
        kind = "IPv4" if family == _AF_INET else "IPv6"
        raise ValueError(
            f"{host!r} is not a numeric {kind} address (macres.raw resolves no host names)"
        ) from None


def _tuple(address: object, family: str, sizes: tuple[int, ...]) -> tuple[object, ...]:
    if not isinstance(address, tuple):
        raise TypeError(f"{family} address must be tuple, not {type(address).__name__}")
    if len(address) not in sizes:
        want = " or ".join(str(s) for s in sizes)
        raise TypeError(f"{family} address must be a tuple of {want} items, not {len(address)}")
    return address


def _encode_inet(address: object) -> tuple[ctypes.Structure, int]:
    host_obj, port_obj = _tuple(address, "AF_INET", (2,))
    host = _host(host_obj)
    port = _port(port_obj)
    if host == "":
        packed = bytes(4)
    elif host == "<broadcast>":
        packed = b"\xff\xff\xff\xff"
    else:
        packed = _inet_pton(_AF_INET, host)
    sa = abi.CSockaddrIn()
    if abi.HAS_SA_LEN:
        sa.sin_len = _SIZEOF_IN
    sa.sin_family = _AF_INET
    sa.sin_port = _socket.htons(port)
    sa.sin_addr = struct.unpack("=I", packed)[0]
    return sa, _SIZEOF_IN


def _scope(suffix: str) -> int:
    if suffix.isdigit():
        return _uint(int(suffix), "scope_id", _SCOPE_MAX)
    try:
        return _socket.if_nametoindex(suffix)
    except OSError:
        raise ValueError(f"unknown interface {suffix!r} in IPv6 scope") from None


def _encode_inet6(address: object) -> tuple[ctypes.Structure, int]:
    fields = _tuple(address, "AF_INET6", (2, 3, 4))
    host = _host(fields[0])
    port = _port(fields[1])
    flowinfo = _uint(fields[2], "flowinfo", _FLOWINFO_MAX) if len(fields) > 2 else 0
    scope_id = _uint(fields[3], "scope_id", _SCOPE_MAX) if len(fields) > 3 else 0
    host, pct, suffix = host.partition("%")
    if pct:
        if not suffix:
            raise ValueError("empty scope after '%' in IPv6 address")
        scope_from_host = _scope(suffix)
        scope_id = scope_id or scope_from_host
    packed = bytes(16) if host == "" else _inet_pton(_AF_INET6, host)
    sa = abi.CSockaddrIn6()
    if abi.HAS_SA_LEN:
        sa.sin6_len = _SIZEOF_IN6
    sa.sin6_family = _AF_INET6
    sa.sin6_port = _socket.htons(port)
    sa.sin6_flowinfo = _socket.htonl(flowinfo)
    ctypes.memmove(sa.sin6_addr, packed, 16)
    sa.sin6_scope_id = scope_id
    return sa, _SIZEOF_IN6


def _encode_unix(address: object) -> tuple[ctypes.Structure, int]:
    if isinstance(address, (bytearray, memoryview)):
        path = bytes(address)
    elif isinstance(address, (str, bytes, os.PathLike)):
        path = os.fsencode(address)
    else:
        raise TypeError(f"AF_UNIX address must be str, bytes or os.PathLike, not {type(address).__name__}")
    abstract = path[:1] == b"\0"
    if abstract and not abi.UNIX_ABSTRACT_NAMES:
        raise ValueError("abstract AF_UNIX names (leading NUL) exist only on Linux")
    if not abstract and b"\0" in path:
        raise ValueError("embedded null byte in AF_UNIX path")
    if len(path) > _SUN_PATH_SIZE:
        raise ValueError(f"AF_UNIX path too long: {len(path)} bytes, at most {_SUN_PATH_SIZE}")
    sa = abi.CSockaddrUn()
    length = _SUN_PATH_OFFSET + len(path)
    if abi.HAS_SA_LEN:
        sa.sun_len = length
    sa.sun_family = _AF_UNIX
    ctypes.memmove(ctypes.addressof(sa) + _SUN_PATH_OFFSET, path, len(path))
    return sa, length


def _encode_unspec(address: object) -> tuple[ctypes.Structure, int]:
    if address is not None:
        raise TypeError(f"AF_UNSPEC address must be None, not {type(address).__name__}")
    sa = abi.CSockaddr()
    if abi.HAS_SA_LEN:
        sa.sa_len = _SIZEOF_SOCKADDR
    sa.sa_family = _AF_UNSPEC
    return sa, _SIZEOF_SOCKADDR


def _encode_other(family: int, address: object) -> tuple[ctypes.Structure, int]:
    if address is None or isinstance(address, (str, tuple, int)):
        raise TypeError(f"an address of family {family} must be the sockaddr's bytes, not {type(address).__name__}")
    view = memoryview(address)  # type: ignore[arg-type]  # TypeError for non-buffers
    data = view.tobytes()
    if not _FAMILY_OFFSET + _FAMILY_SIZE <= len(data) <= _SIZEOF_STORAGE:
        raise ValueError(f"a sockaddr is {_FAMILY_OFFSET + _FAMILY_SIZE} to {_SIZEOF_STORAGE} bytes, not {len(data)}")
    (got,) = struct.unpack_from(_FAMILY_FORMAT, data, _FAMILY_OFFSET)
    if got != family:
        raise ValueError(f"sockaddr bytes hold family {got}, not {family}")
    sa = abi.CSockaddrStorage()
    ctypes.memmove(ctypes.addressof(sa), data, len(data))
    return sa, len(data)


# -- the Linux families the stdlib knows ------------------------------------
# Their layouts are Linux's uapi headers (the same on every architecture); a
# family the running platform lacks is simply not registered.  Encoders
# return the sockaddr bytes, decoders take them, zero-padded to a sockaddr_storage
# (None: no form for these bytes, which are kept as they are).

_U32_MAX: Final = (1 << 32) - 1


def _family(name: str) -> int | None:
    value = getattr(abi, name, None)
    return None if value is None else int(value)


def _fields(address: object, family: str, form: str, sizes: tuple[int, ...]) -> tuple[object, ...]:
    if not isinstance(address, tuple):
        raise TypeError(f"{family} address must be tuple, not {type(address).__name__}")
    if len(address) not in sizes:
        raise TypeError(f"{family} address must be a tuple {form}, not {len(address)} items")
    return address


def _pair_codec(family: int, name: str, form: str, pack: str) -> tuple[_Encoder, _Decoder]:
    """AF_NETLINK (pid, groups), AF_VSOCK (cid, port), AF_QIPCRTR (node, port): two u32s."""
    layout = struct.Struct(pack)
    first, second = form.strip("()").split(", ")
    swap = name == "AF_VSOCK"  # sockaddr_vm stores the port before the cid

    def encode(address: object) -> bytes:
        a, b = _fields(address, name, form, (2,))
        x, y = _uint(a, first, _U32_MAX), _uint(b, second, _U32_MAX)
        return layout.pack(family, *((y, x) if swap else (x, y)))

    def decode(data: bytes) -> Address | None:
        x, y = layout.unpack_from(data)[1:]
        return (y, x) if swap else (x, y)

    return encode, decode


_SLL: Final = struct.Struct("=HHiHBB8s")  # struct sockaddr_ll


def _packet_codec(family: int) -> tuple[_Encoder, _Decoder]:
    """AF_PACKET: (ifname, proto[, pkttype[, hatype[, addr]]]); the interface by name."""

    def encode(address: object) -> bytes:
        fields = _fields(address, "AF_PACKET", "(ifname, proto[, pkttype[, hatype[, addr]]])", (2, 3, 4, 5))
        ifname = fields[0]
        if not isinstance(ifname, str):
            raise TypeError(f"AF_PACKET interface name must be str, not {type(ifname).__name__}")
        proto = _uint(fields[1], "proto", 0xFFFF)
        pkttype = _uint(fields[2], "pkttype", 0xFF) if len(fields) > 2 else 0  # PACKET_HOST
        hatype = _uint(fields[3], "hatype", 0xFFFF) if len(fields) > 3 else 0
        haddr = memoryview(fields[4]).tobytes() if len(fields) > 4 else b""  # type: ignore[arg-type]
        if len(haddr) > 8:
            raise ValueError("Hardware address must be 8 bytes or less")
        try:
            index = _socket.if_nametoindex(ifname)
        except OSError as exc:
            raise OSError(exc.errno or errno.ENODEV, f"no network interface named {ifname!r}") from None
        return _SLL.pack(family, _socket.htons(proto), index, hatype, pkttype, len(haddr), haddr)

    def decode(data: bytes) -> Address | None:
        _, proto, index, hatype, pkttype, halen, haddr = _SLL.unpack_from(data)
        ifname = ""
        if index:
            try:
                ifname = _socket.if_indextoname(index)
            except OSError:  # gone meanwhile: the stdlib says "" too
                pass
        return ifname, _socket.ntohs(proto), pkttype, hatype, haddr[: min(halen, 8)]

    return encode, decode


_TIPC: Final = struct.Struct("=HBB12s")  # struct sockaddr_tipc: family, addrtype, scope, the address union
_TIPC_ADDR_NAMESEQ: Final = 1  # linux/tipc.h
_TIPC_ADDR_NAME: Final = 2
_TIPC_ADDR_ID: Final = 3
_TIPC_CLUSTER_SCOPE: Final = 2


def _tipc_codec(family: int) -> tuple[_Encoder, _Decoder]:
    """AF_TIPC: (addr_type, v1, v2, v3[, scope]), decoded as five numbers as the stdlib does."""

    def encode(address: object) -> bytes:
        fields = _fields(address, "AF_TIPC", "(addr_type, v1, v2, v3[, scope])", (4, 5))
        atype = _uint(fields[0], "addr_type", 0xFF)
        v1, v2, v3 = (_uint(v, "v", _U32_MAX) for v in fields[1:4])
        scope = _uint(fields[4], "scope", 0xFF) if len(fields) > 4 else _TIPC_CLUSTER_SCOPE
        if atype == _TIPC_ADDR_NAMESEQ:  # nameseq: type, lower, upper
            union = struct.pack("=III", v1, v2, v3)
        elif atype == _TIPC_ADDR_NAME:  # name: {type, instance}, domain (v3 is ignored)
            union = struct.pack("=III", v1, v2, 0)
        elif atype == _TIPC_ADDR_ID:  # id: ref, node (v1 is the node)
            union = struct.pack("=III", v2, v1, 0)
        else:
            raise ValueError(f"AF_TIPC addr_type must be 1 (NAMESEQ), 2 (NAME) or 3 (ID), not {atype}")
        return _TIPC.pack(family, atype, scope, union)

    def decode(data: bytes) -> Address | None:
        _, atype, scope, union = _TIPC.unpack_from(data)
        a, b, c = struct.unpack("=III", union)
        if atype == _TIPC_ADDR_NAMESEQ:
            return atype, a, b, c, scope
        if atype == _TIPC_ADDR_NAME:
            return atype, a, b, b, scope  # the instance twice, as the stdlib gives it
        if atype == _TIPC_ADDR_ID:
            return atype, b, a, 0, scope
        return None

    return encode, decode


_ALG: Final = struct.Struct("=H14sII64s")  # struct sockaddr_alg


def _alg_field(value: object, what: str, size: int) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"AF_ALG {what} must be str, not {type(value).__name__}")
    data = value.encode()
    if b"\0" in data:
        raise ValueError(f"embedded null character in AF_ALG {what}")
    if len(data) >= size:
        raise ValueError(f"AF_ALG {what} too long: {len(data)} bytes, at most {size - 1}")
    return data


def _c_string(field: bytes) -> str:
    """A NUL-terminated char array's text (UTF-8, as the stdlib's ``s#``)."""
    return field.partition(b"\0")[0].decode(errors="surrogateescape")


def _alg_codec(family: int) -> tuple[_Encoder, _Decoder]:
    """AF_ALG: (type, name[, feat[, mask]]), decoded as all four."""

    def encode(address: object) -> bytes:
        fields = _fields(address, "AF_ALG", "(type, name[, feat[, mask]])", (2, 3, 4))
        kind, name = _alg_field(fields[0], "type", 14), _alg_field(fields[1], "name", 64)
        feat = _uint(fields[2], "feat", _U32_MAX) if len(fields) > 2 else 0
        mask = _uint(fields[3], "mask", _U32_MAX) if len(fields) > 3 else 0
        return _ALG.pack(family, kind, feat, mask, name)

    def decode(data: bytes) -> Address | None:
        _, kind, feat, mask, name = _ALG.unpack_from(data)
        return _c_string(kind), _c_string(name), feat, mask

    return encode, decode


_Encoder = Callable[[object], bytes]
_Decoder = Callable[[bytes], Address | None]


def _family_codecs() -> dict[int, tuple[_Encoder, _Decoder]]:
    codecs: dict[int, tuple[_Encoder, _Decoder]] = {}
    pairs = (
        ("AF_NETLINK", "(pid, groups)", "=HxxII"),  # sockaddr_nl: family, pad, pid, groups
        ("AF_QIPCRTR", "(node, port)", "=HxxII"),  # sockaddr_qrtr: family, node, port
        ("AF_VSOCK", "(cid, port)", "=HxxII4x"),  # sockaddr_vm: family, reserved, port, cid, flags, zero
    )
    for name, form, pack in pairs:
        family = _family(name)
        if family is not None:
            codecs[family] = _pair_codec(family, name, form, pack)
    for name, make in (("AF_PACKET", _packet_codec), ("AF_TIPC", _tipc_codec), ("AF_ALG", _alg_codec)):
        family = _family(name)
        if family is not None:
            codecs[family] = make(family)
    return codecs


#: family -> (encoder, decoder) for the families above that the running platform has.
_FAMILY_CODECS: Final = _family_codecs()


def _encode_known(family: int, address: object) -> tuple[ctypes.Structure, int]:
    if isinstance(address, (bytes, bytearray, memoryview)):  # the sockaddr bytes, as for any family
        return _encode_other(family, address)
    data = _FAMILY_CODECS[family][0](address)
    sa = abi.CSockaddrStorage()
    ctypes.memmove(ctypes.addressof(sa), data, len(data))
    return sa, len(data)


def encode(family: int, address: object) -> tuple[ctypes.Structure, int]:
    """Return (sockaddr struct, length to pass) for *address* of *family*.

    Raises:
        TypeError: the form does not fit the family.  ValueError: a bad host
        or path.  OverflowError: a port, flowinfo, scope id or family out of range.
    """
    if family == _AF_INET:
        return _encode_inet(address)
    if family == _AF_INET6:
        return _encode_inet6(address)
    if family == _AF_UNIX:
        return _encode_unix(address)
    if family == _AF_UNSPEC:
        return _encode_unspec(address)
    if family in _FAMILY_CODECS:
        return _encode_known(family, address)
    if isinstance(family, bool) or not isinstance(family, int):
        raise TypeError(f"family must be an int, not {type(family).__name__}")
    _uint(family, "family", 0xFF if abi.HAS_SA_LEN else 0xFFFF)
    return _encode_other(family, address)


def encode_sockaddr(family: int, address: AddressArg) -> bytes:
    """Return the ``struct sockaddr_*`` bytes for *address* of *family* (as ``bind`` gets them).

    Raises:
        TypeError: the form does not fit the family.  ValueError: a bad host
        (names are not resolved) or path.  OverflowError: a number out of range.
    """
    sa, length = encode(family, address)
    return ctypes.string_at(ctypes.addressof(sa), length)


def decode(sa: ctypes.Structure, length: int) -> Address | None:
    """Return the Python form of the first *length* bytes of a filled *sa*; None if *length* is 0."""
    if length <= 0:
        return None
    length = min(length, ctypes.sizeof(sa))
    base = ctypes.addressof(sa)
    if length < _FAMILY_OFFSET + _FAMILY_SIZE:
        return ctypes.string_at(base, length)
    (family,) = struct.unpack(_FAMILY_FORMAT, ctypes.string_at(base + _FAMILY_OFFSET, _FAMILY_SIZE))
    if family == _AF_INET and length >= _SIZEOF_IN:
        sin = abi.CSockaddrIn.from_address(base)
        host = _socket.inet_ntop(_AF_INET, struct.pack("=I", sin.sin_addr))
        return host, _socket.ntohs(sin.sin_port)
    if family == _AF_INET6 and length >= _SIZEOF_IN6:
        sin6 = abi.CSockaddrIn6.from_address(base)
        host = _socket.inet_ntop(_AF_INET6, bytes(sin6.sin6_addr))
        return host, _socket.ntohs(sin6.sin6_port), _socket.ntohl(sin6.sin6_flowinfo), sin6.sin6_scope_id
    if family == _AF_UNIX:
        n = max(0, min(length - _SUN_PATH_OFFSET, _SUN_PATH_SIZE))
        path = ctypes.string_at(base + _SUN_PATH_OFFSET, n)
        if path[:1] == b"\0" and abi.UNIX_ABSTRACT_NAMES:
            return path
        return os.fsdecode(path.partition(b"\0")[0])
    data = ctypes.string_at(base, length)
    codec = _FAMILY_CODECS.get(family)
    if codec is not None:
        # The kernel may return less than the struct (AF_PACKET stops after the
        # hardware address): the rest reads as zeros, as in the stdlib's buffer.
        decoded = codec[1](data.ljust(_SIZEOF_STORAGE, b"\0"))
        if decoded is not None:
            return decoded
    return data


def decode_sockaddr(data: Buffer) -> Address | None:
    """Return the Python form of the ``struct sockaddr_*`` bytes *data* (None when empty).

    Families without a Python form (see the module docstring), and structs
    too short for their family, come back as the bytes themselves.

    Raises:
        ValueError: *data* is longer than a ``struct sockaddr_storage``.
        TypeError: *data* is not a buffer.
    """
    raw = memoryview(data).tobytes()
    if len(raw) > _SIZEOF_STORAGE:
        raise ValueError(f"a sockaddr is at most {_SIZEOF_STORAGE} bytes, not {len(raw)}")
    sa = abi.CSockaddrStorage()
    ctypes.memmove(ctypes.addressof(sa), raw, len(raw))
    return decode(sa, len(raw))


def address_family(address: Address) -> int:
    """Return the family of an address as the raw layer decodes it, where its form tells.

    ``(host, port)`` is AF_INET, ``(host, port, flowinfo, scope_id)``
    AF_INET6, ``(ifname, proto, pkttype, hatype, addr)`` AF_PACKET, ``(type,
    name, feat, mask)`` AF_ALG, five numbers AF_TIPC, a ``str`` (or, on
    Linux, ``bytes`` starting with a NUL) AF_UNIX; other ``bytes`` are a
    ``struct sockaddr`` whose family field is read.

    Raises:
        ValueError: *address* is no decoded address, or a pair of numbers
        (AF_NETLINK, AF_VSOCK and AF_QIPCRTR share that form).
    """
    if isinstance(address, tuple) and address:
        head = address[0]
        if len(address) == 2 and isinstance(head, str):
            return _AF_INET
        if len(address) == 4 and isinstance(head, str):
            return _AF_INET6 if not isinstance(address[1], str) else _known("AF_ALG", address)
        if len(address) == 5 and isinstance(head, str):
            return _known("AF_PACKET", address)
        if len(address) == 5 and all(isinstance(v, int) for v in address):
            return _known("AF_TIPC", address)
    elif isinstance(address, str):
        return _AF_UNIX
    elif isinstance(address, bytes):
        if address[:1] == b"\0" and abi.UNIX_ABSTRACT_NAMES:
            return _AF_UNIX
        if len(address) >= _FAMILY_OFFSET + _FAMILY_SIZE:
            return int(struct.unpack_from(_FAMILY_FORMAT, address, _FAMILY_OFFSET)[0])
    raise ValueError(f"not a decoded socket address whose form names its family: {address!r}")


def _known(name: str, address: object) -> int:
    family = _family(name)
    if family is None:
        raise ValueError(f"not a decoded socket address of this platform: {address!r}")
    return family


def storage() -> ctypes.Structure:
    """Return a zeroed ``struct sockaddr_storage`` for calls that fill in an address."""
    return abi.CSockaddrStorage()


#: ``sizeof(struct sockaddr_storage)``: the length to offer calls that fill an address.
STORAGE_SIZE: Final = _SIZEOF_STORAGE
