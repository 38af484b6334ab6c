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
* Any other family: the ``struct sockaddr`` bytes themselves, passed
  through unchanged, so every family stays reachable.

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
import os
import socket as _socket
import struct
from operator import index
from typing import Final, Union

from typing_extensions import Buffer, TypeAlias

from ._platform import abi

__all__ = ["Address", "AddressArg", "address_family", "decode_sockaddr", "encode_sockaddr"]

#: What the raw layer returns for an address.
Address: TypeAlias = Union[tuple[str, int], tuple[str, int, int, int], str, bytes]
#: What the raw layer accepts as an address (the family decides which form applies).
AddressArg: TypeAlias = Union[
    tuple[str, int],
    tuple[str, int, int],
    tuple[str, int, int, int],
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
    return ctypes.string_at(base, length)


def decode_sockaddr(data: Buffer) -> Address | None:
    """Return the Python form of the ``struct sockaddr_*`` bytes *data* (None when empty).

    Families other than AF_INET, AF_INET6 and AF_UNIX (and structs too
    short for their family) come back as the bytes themselves.

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
    """Return the family of an address as the raw layer decodes it.

    ``(host, port)`` is AF_INET, a 4-tuple AF_INET6, a ``str`` (or, on
    Linux, ``bytes`` starting with a NUL) AF_UNIX; other ``bytes`` are a
    ``struct sockaddr`` whose family field is read.

    Raises:
        ValueError: *address* is no decoded address.
    """
    if isinstance(address, tuple):
        if len(address) == 2:
            return _AF_INET
        if len(address) == 4:
            return _AF_INET6
    elif isinstance(address, str):
        return _AF_UNIX
    elif isinstance(address, bytes):
        if address[:1] == b"\0" and abi.UNIX_ABSTRACT_NAMES:
            return _AF_UNIX
        if len(address) >= _FAMILY_OFFSET + _FAMILY_SIZE:
            return int(struct.unpack_from(_FAMILY_FORMAT, address, _FAMILY_OFFSET)[0])
    raise ValueError(f"not a decoded socket address: {address!r}")


def storage() -> ctypes.Structure:
    """Return a zeroed ``struct sockaddr_storage`` for calls that fill in an address."""
    return abi.CSockaddrStorage()


#: ``sizeof(struct sockaddr_storage)``: the length to offer calls that fill an address.
STORAGE_SIZE: Final = _SIZEOF_STORAGE
