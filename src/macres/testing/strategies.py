"""hypothesis strategies for code that uses macres (needs ``hypothesis``, a test dependency).

Valid inputs, to test that code accepts what macres accepts:

* :func:`option_values` ``(opt)``: values of a :class:`~macres.sockopt.SockOpt`'s
  type that its codec encodes (``SO_LINGER`` -> ``Linger``, ``TCP_NODELAY``
  -> ``bool``...); :func:`sockopts` the options of the running platform.
* :func:`open_modes` (``"r"``, ``"w+b"``...), :func:`open_flags` (``O_*`` ints),
  :func:`protections` (``PROT_*`` combinations), :func:`mapping_sizes`.
* :func:`file_names` (one path component, valid on macOS and Linux),
  :func:`addresses` ``(family)`` for ``Socket.bind``/``connect``
  (loopback only, port 0: the kernel picks one).

Invalid inputs, each documented to raise before any system call:

* :func:`invalid_option_values` ``(opt)`` -> ``TypeError``/``ValueError``/``OverflowError``
* :func:`invalid_open_modes` -> ``ValueError`` (or ``TypeError`` for non-strings)
* :func:`invalid_paths` (a NUL inside) -> ``ValueError``
* :func:`invalid_addresses` ``(family)`` -> ``TypeError``/``ValueError``/``OverflowError``
  (or ``OSError`` for names that resolve to nothing).

And :func:`anything`: ints of every size, bytes, strings, None, floats
(NaN, infinities) and buffers, for fuzzing.
"""

from __future__ import annotations

import mmap
import os
import socket as _stdsocket
from typing import Any, Final, TypeVar

from hypothesis import strategies as st

from .. import fd as _fd
from .. import memory as _memory
from ..raw import INT_MAX, INT_MIN, UINT_MAX, ULONG_MAX
from ..sockopt import (
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
    SockOpt,
    SockTxtime,
    SoTimestamping,
    TcpConnectionInfo,
    TcpInfo,
    Ucred,
    Xucred,
    options,
)

__all__ = [
    "addresses", "anything", "file_names", "invalid_addresses", "invalid_open_modes", "invalid_option_values",
    "invalid_paths", "mapping_sizes", "open_flags", "open_modes", "option_values", "protections", "sockopts",
]  # fmt: skip

T = TypeVar("T")


_ipv4 = st.ip_addresses(v=4).map(str)
_ipv6 = st.ip_addresses(v=6).map(str)
_u32 = st.integers(0, UINT_MAX)
_c_int = st.integers(INT_MIN, INT_MAX)
_port = st.integers(0, 65535)


def _small_fields(cls: type[T]) -> st.SearchStrategy[T]:
    """A value class whose fields are all unsigned integers: every field in 0..15 fits any width."""
    fields = [a.name for a in cls.__attrs_attrs__]  # type: ignore[attr-defined]
    return st.builds(cls, **{name: st.integers(0, 15) for name in fields})


def _shape_values(ctype: str, size: int, darwin: bool) -> st.SearchStrategy[Any]:
    if ctype == "bool":
        return st.booleans()
    if ctype == "int":
        return _c_int
    if ctype == "fd":
        return st.integers(0, INT_MAX)
    if ctype in ("uint", "icmp_filter"):
        return _u32
    if ctype == "u64":
        return st.integers(0, ULONG_MAX)
    if ctype == "str":
        return st.text(st.characters(codec="ascii", exclude_characters="\0"), max_size=size - 1)
    if ctype == "timeval":
        return st.integers(0, 10**9 * 1_000_000).map(lambda us: us / 1_000_000)
    if ctype == "linger":
        return st.builds(Linger, st.booleans(), st.integers(0, 327 if darwin else INT_MAX))
    if ctype in ("u32_array", "audit_token"):
        return st.lists(_u32, max_size=size // 4).map(tuple)
    table: dict[str, st.SearchStrategy[Any]] = {
        "ucred": st.builds(Ucred, _c_int, _u32, _u32),
        "xucred": st.builds(Xucred, _u32, _u32, st.lists(_u32, max_size=16).map(tuple)),
        "in_addr": _ipv4,
        "ip_mreq": st.builds(IpMreq, _ipv4, _ipv4),
        "ip_mreqn": st.builds(IpMreqn, _ipv4, _ipv4, _c_int) | st.builds(IpMreq, _ipv4, _ipv4),
        "ip_mreq_source": st.builds(IpMreqSource, _ipv4, _ipv4, _ipv4),
        "ipv6_mreq": st.builds(Ipv6Mreq, _ipv6, _u32),
        "group_req": st.builds(GroupReq, _u32, _ipv4 | _ipv6),
        "group_source_req": st.builds(GroupSourceReq, _u32, _ipv4 | _ipv6, _ipv4 | _ipv6),
        "in6_pktinfo": st.builds(In6Pktinfo, _ipv6, _u32),
        "ip6_mtuinfo": st.builds(Ip6MtuInfo, st.tuples(_ipv6, _port, _u32, _u32), _u32),
        "icmp6_filter": st.builds(Icmp6Filter, st.integers(0, (1 << 256) - 1)),
        "so_timestamping": st.builds(SoTimestamping, _c_int, _c_int),
        "sock_txtime": st.builds(SockTxtime, _c_int, _u32),
        "tcp_info": _small_fields(TcpInfo),
        "tcp_connection_info": _small_fields(TcpConnectionInfo),
        "sockaddr": st.tuples(_ipv4, _port) | st.tuples(_ipv6, _port, _u32, _u32),
        "sockaddr_in": st.tuples(_ipv4, _port),
        "sockaddr_in6": st.tuples(_ipv6, _port, _u32, _u32),
        "uuid": st.uuids(),
    }
    if ctype in table:
        return table[ctype]
    return st.binary(max_size=size)  # a C struct kept as bytes


def option_values(opt: SockOpt[T]) -> st.SearchStrategy[T]:
    """Values of *opt*'s Python type that its codec encodes without error.

    The kernel may still refuse some of them (EINVAL, EPERM): they are valid
    for the type, not for every socket.  Read-only options get values too
    (what ``get`` could return).
    """
    codec = opt.codec
    strategy: st.SearchStrategy[T] = _shape_values(codec.ctype, codec.size, opt.platform == "darwin")
    return strategy


def _int_shape_bounds(ctype: str) -> tuple[int, int] | None:
    return {
        "bool": None,
        "int": (INT_MIN, INT_MAX),
        "fd": (0, INT_MAX),
        "uint": (0, UINT_MAX),
        "icmp_filter": (0, UINT_MAX),
        "u64": (0, ULONG_MAX),
    }.get(ctype)


def invalid_option_values(opt: SockOpt[Any]) -> st.SearchStrategy[object]:
    """Values *opt*'s ``set`` refuses before any call: TypeError, ValueError or OverflowError.

    Objects of the wrong type (None, floats for integer options, a dict),
    and for integer options numbers outside the C type's range.
    """
    codec = opt.codec
    wrong_type: st.SearchStrategy[object] = st.one_of(st.none(), st.dictionaries(st.text(), st.integers(), max_size=2))
    if codec.ctype == "timeval":
        return wrong_type | st.floats(max_value=-1e-3) | st.just(float("nan"))
    bounds = _int_shape_bounds(codec.ctype)
    if bounds is None:
        return wrong_type
    lo, hi = bounds
    return wrong_type | st.floats() | st.integers(max_value=lo - 1) | st.integers(min_value=hi + 1)


def sockopts(*, readable: bool | None = None, writable: bool | None = None) -> st.SearchStrategy[SockOpt[Any]]:
    """Options of the running platform's catalog (optionally only readable/writable ones)."""
    found = [
        o
        for o in options()
        if (readable is None or o.readable == readable) and (writable is None or o.writable == writable)
    ]
    return st.sampled_from(found)


_MODES: Final = ("r", "r+", "w", "w+", "a", "a+", "x", "x+")


def open_modes(*, creating: bool | None = None) -> st.SearchStrategy[str]:
    """Mode strings ``macres.open`` accepts: the builtin's, with an optional ``b`` anywhere.

    ``creating=False`` keeps the modes that never create or truncate
    (``r``, ``r+``); True the others.
    """
    bases = [m for m in _MODES if creating is None or (m[0] != "r") == creating]

    def with_b(base: str, where: int | None) -> str:
        return base if where is None else base[:where] + "b" + base[where:]

    return st.builds(
        with_b, st.sampled_from(bases), st.none() | st.integers(0, 2)
    )  # "rb", "br", "r+b", "rb+"...


def invalid_open_modes() -> st.SearchStrategy[str]:
    """Strings ``macres.open`` refuses with ValueError (text mode, unknown letters, doubled letters)."""
    valid = set(_MODES) | {m[:i] + "b" + m[i:] for m in _MODES for i in range(len(m) + 1)}
    valid |= {"+" + m[0] for m in _MODES if len(m) == 2} | {"+" + m[0] + "b" for m in _MODES} | {"b+" + m[0] for m in _MODES}
    return st.text(max_size=5).filter(lambda s: s not in valid) | st.sampled_from(["rt", "wt", "U", "", "rr", "rbb", "r+w"])


def open_flags() -> st.SearchStrategy[int]:
    """``O_*`` combinations for ``macres.open(path, flags)``: an access mode plus optional flags."""
    access = st.sampled_from([int(_fd.O_RDONLY), int(_fd.O_WRONLY), int(_fd.O_RDWR)])
    extras = [_fd.O_APPEND, _fd.O_CREAT, _fd.O_EXCL, _fd.O_TRUNC, _fd.O_NONBLOCK, _fd.O_CLOEXEC, _fd.O_NOFOLLOW]
    bits = st.lists(st.sampled_from([int(e) for e in extras]), unique=True)
    return st.builds(lambda a, b: a | sum(b), access, bits)


def protections() -> st.SearchStrategy[int]:
    """``PROT_*`` combinations ``MappedRegion`` accepts (``PROT_NONE`` included)."""
    bits = [int(_memory.PROT_READ), int(_memory.PROT_WRITE), int(_memory.PROT_EXEC)]
    return st.lists(st.sampled_from(bits), unique=True).map(sum)


def mapping_sizes(max_pages: int = 4) -> st.SearchStrategy[int]:
    """Sizes for ``MappedRegion.anonymous``: 1 byte to *max_pages* pages, page boundaries favoured."""
    page = mmap.PAGESIZE
    return st.integers(1, max_pages * page) | st.integers(1, max_pages).map(lambda n: n * page)


def file_names(*, max_size: int = 32) -> st.SearchStrategy[str]:
    """One path component valid on macOS and Linux: no NUL or ``/``, not ``.``/``..``, UTF-8 encodable."""
    chars = st.characters(exclude_categories=["Cs"], exclude_characters="\0/")
    return st.text(chars, min_size=1, max_size=max_size).filter(
        lambda s: s not in (".", "..") and len(os.fsencode(s)) <= 255
    )


def invalid_paths() -> st.SearchStrategy[str | bytes]:
    """Paths with a NUL inside, as ``str`` or ``bytes``: every path-taking call raises ValueError."""
    text = st.builds(lambda a, b: a + "\0" + b, st.text(max_size=8), st.text(max_size=8))
    return text | text.map(lambda s: s.encode("utf-8", "surrogatepass"))


def addresses(family: int) -> st.SearchStrategy[Any]:
    """Loopback addresses of *family* (AF_INET, AF_INET6) with port 0, as ``bind`` takes them.

    For AF_UNIX use a path in a temporary directory (the strategies cannot
    know one); :func:`file_names` gives valid last components.
    """
    if family == _stdsocket.AF_INET:
        return st.just(("127.0.0.1", 0))
    if family == _stdsocket.AF_INET6:
        return st.just(("::1", 0)) | st.just(("::1", 0, 0, 0))
    raise ValueError(f"no loopback addresses for family {family}")


def invalid_addresses(family: int) -> st.SearchStrategy[object]:
    """Addresses ``Socket.bind``/``connect`` of *family* refuse: before any call, or the kernel (too long)."""
    junk: st.SearchStrategy[object] = st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=3))
    if family == _stdsocket.AF_UNIX:
        # A NUL is no error here: a leading one names a Linux abstract socket.
        return junk | st.text(st.characters(codec="ascii", min_codepoint=1), min_size=200, max_size=300)
    host = "127.0.0.1" if family == _stdsocket.AF_INET else "::1"
    bad_port = st.integers(max_value=-1) | st.integers(min_value=65536)
    return junk | st.tuples(st.just(host), bad_port) | st.tuples(st.just(host)) | st.tuples(_port, st.just(host))


def anything() -> st.SearchStrategy[object]:
    """Arbitrary arguments for fuzzing: ints of every size, bytes, strings, None, floats, buffers."""
    ints = st.integers() | st.sampled_from(
        [0, -1, 1, 2, 3, INT_MAX, INT_MAX + 1, INT_MIN, INT_MIN - 1, UINT_MAX, ULONG_MAX, 1 << 64, -(1 << 63)]
    )
    return st.one_of(
        ints,
        st.binary(max_size=64),
        st.text(max_size=16),
        st.none(),
        st.floats(),
        st.booleans(),
        st.binary(max_size=64).map(bytearray),
        st.binary(max_size=64).map(lambda b: memoryview(b)),
        st.binary(max_size=16).map(lambda b: memoryview(bytearray(b))),
    )
