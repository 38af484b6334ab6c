"""Tests of the typed socket-option catalog (macres.sockopt).

Oracles: ``data/abi/sockopts.json`` for the catalog of both platforms, the ABI
tables and the ctypes structs of ``raw/_linux.py``/``raw/_darwin.py`` for
the codec layouts, the stdlib ``socket`` module for values, and the running
kernel for every option a loopback or Unix socket can be asked about.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import pathlib
import socket
import struct
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _support import ABI_DIR, REPO
from hypothesis import given
from hypothesis import strategies as st

import macres
from macres import raw, sockopt
from macres._sockopt_catalog import ROWS
from macres.raw import _darwin, _linux
from macres.raw.sockopt_codecs import PYTHON_TYPES, codec
from macres.sockopt import (
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
)

LINUX = raw.SYSTEM == "linux"
IS_ROOT = os.geteuid() == 0

linux_only = pytest.mark.skipif(not LINUX, reason="checks the Linux kernel's answers")


def json_entries() -> list[dict[str, Any]]:
    """The entries of abi/sockopts.json."""
    entries: list[dict[str, Any]] = json.loads((ABI_DIR / "sockopts.json").read_text())
    return entries


def abi_table(platform: str) -> dict[str, Any]:
    """One ABI table (linux_x86_64 or darwin_amd64)."""
    name = "linux_x86_64" if platform == "linux" else "darwin_amd64"
    table: dict[str, Any] = json.loads((ABI_DIR / f"{name}.json").read_text())
    return table


# -- the catalog against sockopts.json ------------------------------------------


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_catalog_matches_sockopts_json(platform: str) -> None:
    """Every supported JSON entry is one SockOpt with its level, number, shape and access.

    The one deliberate difference: darwin ``SO_LINGER`` is an alias of
    ``SO_LINGER_SEC`` (seconds, 0x1080) instead of the tick-counting 0x80.
    """
    expected = []
    for e in json_entries():
        if e["platform"] != platform or e["notes"].startswith("UNSUPPORTED:"):
            continue
        number = e["value"]
        if (platform, e["name"]) == ("darwin", "SO_LINGER"):
            number = 0x1080
        expected.append((e["level"], e["level_value"], e["name"], number, e["type"], e["access"]))
    actual = [
        (o.level_name, o.level, o.name, o.number, o.codec.ctype, o.access)
        for o in sockopt.options(platform=platform)
    ]
    assert expected == actual
    assert {"linux": 255, "darwin": 153}[platform] == len(actual)


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_unsupported_entries_are_left_out(platform: str) -> None:
    """No option marked UNSUPPORTED in sockopts.json is in the platform's catalog."""
    unsupported = {
        (e["level"], e["name"])
        for e in json_entries()
        if e["platform"] == platform and e["notes"].startswith("UNSUPPORTED:")
    }
    present = {(o.level_name, o.name) for o in sockopt.options(platform=platform)}
    assert unsupported
    assert set() == unsupported & present


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_aliases_stay_aliases(platform: str) -> None:
    """``ALIAS:X`` entries name X in ``alias_of`` and share X's level and number."""
    opts = sockopt.options(platform=platform)
    by_name = {(o.level_name, o.name): o for o in opts}
    aliases = [o for o in opts if o.alias_of is not None]
    json_aliases = {
        e["name"] for e in json_entries() if e["platform"] == platform and e["notes"].startswith("ALIAS:")
    }
    assert json_aliases | ({"SO_LINGER"} if platform == "darwin" else set()) == {o.name for o in aliases}
    for o in aliases:
        target = by_name[(o.level_name, o.alias_of)]  # type: ignore[index]
        assert (o.level, o.number) == (target.level, target.number)


def test_darwin_so_linger_means_seconds() -> None:
    """darwin SO_LINGER is SO_LINGER_SEC's number, and its notes say why."""
    darwin = {o.name: o for o in sockopt.options(platform="darwin") if o.level_name == "SOL_SOCKET"}
    assert darwin["SO_LINGER_SEC"].number == darwin["SO_LINGER"].number == 0x1080
    assert "SO_LINGER_SEC" in darwin["SO_LINGER"].notes and "ticks" in darwin["SO_LINGER"].notes


def test_generated_files_are_current() -> None:
    """tools/gen_sockopts.py --check finds nothing to regenerate."""
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "gen_sockopts.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (0, "") == (result.returncode, result.stderr)


def test_package_does_not_read_the_tables() -> None:
    """Importing the catalog opens no ABI table: the data is in the package."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "import macres.sockopt\n"
        "print([p for p in opened if p.endswith('.json')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "[]" == out.strip()


# -- the module constants -------------------------------------------------------------


def constant_names() -> list[str]:
    """The generated option constants of macres.sockopt."""
    return [n for n in sockopt.__all__ if isinstance(getattr(sockopt, n), SockOpt)]


def test_constants_cover_every_name_of_both_platforms() -> None:
    """One constant per (level, name) of either platform; MCAST_* at IPv6 carry _V6."""
    keys = {(row[1], row[3]) for row in ROWS}
    consts = {(getattr(sockopt, n).level_name, getattr(sockopt, n).name) for n in constant_names()}
    assert keys == consts
    assert len(keys) == len(constant_names())
    assert sockopt.MCAST_JOIN_GROUP.level_name == "IPPROTO_IP"
    assert sockopt.MCAST_JOIN_GROUP_V6.level_name == "IPPROTO_IPV6"
    assert sockopt.MCAST_JOIN_GROUP_V6.name == "MCAST_JOIN_GROUP"


def test_constants_are_the_running_platforms_entries() -> None:
    """A constant is the running platform's entry when it has the option, else unavailable."""
    here = {(o.level_name, o.name): o for o in sockopt.options()}
    for name in constant_names():
        opt = getattr(sockopt, name)
        key = (opt.level_name, opt.name)
        if key in here:
            assert opt is here[key] and opt.available and opt.platform == raw.SYSTEM
        else:
            assert not opt.available and opt.platform != raw.SYSTEM


def test_options_filters_by_level() -> None:
    """options(level) returns exactly the running platform's options at that level."""
    everything = sockopt.options()
    tcp = sockopt.options(socket.IPPROTO_TCP)
    assert [o for o in everything if o.level == socket.IPPROTO_TCP] == tcp
    assert tcp and all(o.available for o in everything)
    assert sockopt.TCP_NODELAY in tcp
    with pytest.raises(ValueError):
        sockopt.options(platform="windows")


def test_unavailable_option_raises_unsupported_operation() -> None:
    """An option of the other platform raises UnsupportedOperation naming the counterpart."""
    opt = sockopt.SO_NOSIGPIPE if LINUX else sockopt.SO_PEERCRED
    with socket.socket() as s:
        with pytest.raises(macres.UnsupportedOperation) as info:
            opt.get(s.fileno())
        assert info.value.errno == errno.ENOSYS
        assert ("MSG_NOSIGNAL" if LINUX else "LOCAL_PEERCRED") in str(info.value)
        with pytest.raises(macres.UnsupportedOperation):
            opt.set(s.fileno(), True)  # type: ignore[arg-type]


def test_access_is_enforced_before_any_call() -> None:
    """A get-only option refuses set and a set-only one refuses get, without a system call.

    fd -1 would give EBADF if the call were made; the refusal is ENOPROTOOPT.
    """
    get_only = next(o for o in sockopt.options() if o.access == "get")
    set_only = next(o for o in sockopt.options() if o.access == "set")
    with pytest.raises(OSError) as info:
        get_only.set(-1, get_only.codec.decode(bytes(get_only.codec.size)))
    assert (errno.ENOPROTOOPT, True) == (info.value.errno, "read-only" in str(info.value))
    with pytest.raises(OSError) as info:
        set_only.get(-1)
    assert (errno.ENOPROTOOPT, True) == (info.value.errno, "set-only" in str(info.value))
    assert not get_only.writable and get_only.readable
    assert set_only.writable and not set_only.readable


def test_wrong_value_type_is_refused_before_any_call() -> None:
    """TypeError for a value of the wrong type, OverflowError out of range, both with fd -1."""
    with pytest.raises(TypeError):
        sockopt.SO_REUSEADDR.set(-1, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sockopt.SO_LINGER.set(-1, (1, 5))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sockopt.SO_RCVBUF.set(-1, 1.5)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        sockopt.SO_RCVBUF.set(-1, 1 << 31)
    with pytest.raises(ValueError):
        sockopt.SO_RCVTIMEO.set(-1, -1.0)
    with pytest.raises(ValueError):
        sockopt.SO_RCVTIMEO.set(-1, float("nan"))
    with pytest.raises(OverflowError):
        sockopt.SO_LINGER.set(-1, Linger(True, -1))


# -- codec layouts against the ABI tables and the ctypes structs ----------------------

STRUCT_SHAPES = [
    "linger", "timeval", "ip_mreq", "ipv6_mreq", "in6_pktinfo", "icmp6_filter",
    "sockaddr_in", "sockaddr_in6",
]  # fmt: skip


@pytest.mark.parametrize("platform", ["linux", "darwin"])
@pytest.mark.parametrize("shape", STRUCT_SHAPES + ["ucred", "xucred", "tcp_info", "tcp_connection_info"])
def test_codec_sizes_match_the_abi_tables(platform: str, shape: str) -> None:
    """A struct codec asks for exactly the C struct's size, as the ABI table and ctypes say."""
    structs = abi_table(platform)["structs"]
    if shape not in structs:
        pytest.skip(f"{platform} has no struct {shape}")
    mod = _linux if platform == "linux" else _darwin
    c = codec(platform, shape)
    assert structs[shape]["size"] == c.size == ctypes.sizeof(mod.STRUCTS[shape])


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_group_req_sizes(platform: str) -> None:
    """group_req/group_source_req: 136/264 bytes on Linux, packed 132/260 on darwin."""
    sizes = (codec(platform, "group_req").size, codec(platform, "group_source_req").size)
    assert {"linux": (136, 264), "darwin": (132, 260)}[platform] == sizes


def _filled(cls: type[ctypes.Structure]) -> ctypes.Structure:
    """A ctypes struct with every integer field set to a distinct small value."""
    obj = cls()
    for i, (name, ctype, *bits) in enumerate(cls._fields_):
        if bits:
            continue  # bitfields are checked through the word that holds them
        if issubclass(ctype, ctypes.Array):
            arr = getattr(obj, name)
            for j in range(len(arr)):
                arr[j] = (i * 7 + j) % 100 if not issubclass(ctype._type_, ctypes.c_char) else b"x"
        elif not name.startswith("_") and issubclass(ctype, (ctypes._SimpleCData,)):
            setattr(obj, name, i + 1)
    return obj


@pytest.mark.parametrize(
    ("platform", "shape", "check"),
    [
        ("linux", "linger", lambda c, v: (bool(c.l_onoff), c.l_linger) == (v.onoff, v.seconds)),
        ("darwin", "linger", lambda c, v: (bool(c.l_onoff), c.l_linger) == (v.onoff, v.seconds)),
        ("linux", "ucred", lambda c, v: (c.pid, c.uid, c.gid) == (v.pid, v.uid, v.gid)),
        ("darwin", "xucred", lambda c, v: (c.cr_version, c.cr_uid) == (v.version, v.uid)),
        ("linux", "timeval", lambda c, v: c.tv_sec * 1_000_000 + c.tv_usec == round(v * 1e6)),
        ("darwin", "timeval", lambda c, v: c.tv_sec * 1_000_000 + c.tv_usec == round(v * 1e6)),
        ("linux", "ipv6_mreq", lambda c, v: c.ipv6mr_interface == v.interface),
        ("darwin", "in6_pktinfo", lambda c, v: c.ipi6_ifindex == v.ifindex),
        ("linux", "tcp_info", lambda c, v: all(getattr(c, f) == getattr(v, f) for f in _TCP_INFO_PUBLIC)),
        (
            "darwin",
            "tcp_connection_info",
            lambda c, v: all(getattr(c, f) == getattr(v, f) for f in _TCP_CONN_PUBLIC(c)),
        ),
    ],
)
def test_codec_decodes_the_ctypes_layout(
    platform: str, shape: str, check: Callable[[Any, Any], bool]
) -> None:
    """Decoding the bytes of a filled ctypes struct of the platform module gives its fields."""
    mod = _linux if platform == "linux" else _darwin
    cls = mod.STRUCTS[shape]
    c = _filled(cls)
    if shape == "xucred":
        c.cr_ngroups = 3  # type: ignore[attr-defined]
    value = codec(platform, shape).decode(bytes(c))
    assert check(c, value)
    if shape == "xucred":
        assert tuple(c.cr_groups[:3]) == value.groups  # type: ignore[attr-defined]


_TCP_INFO_PUBLIC = [n for n, *_ in _linux.CTcpInfo._fields_ if not n.startswith("_")]


#: Shapes whose codec covers every byte of the platform's ctypes struct.
CTYPES_SHAPES = [
    (platform, shape)
    for platform, mod in (("linux", _linux), ("darwin", _darwin))
    for shape in (
        "linger", "timeval", "ip_mreq", "ip_mreqn", "ipv6_mreq", "in6_pktinfo", "icmp6_filter",
        "sockaddr_in", "sockaddr_in6", "ucred", "xucred", "tcp_info", "tcp_connection_info",
    )
    if shape in mod.STRUCTS
]


@pytest.mark.parametrize(("platform", "shape"), CTYPES_SHAPES, ids=[f"{p}-{s}" for p, s in CTYPES_SHAPES])
def test_codec_re_encodes_the_ctypes_bytes(platform: str, shape: str) -> None:
    """encode(decode(b)) == b for the bytes of a filled ctypes struct of the platform module.

    Every field gets a distinct value, so a field read from or written to the
    wrong offset changes the bytes.
    """
    mod = _linux if platform == "linux" else _darwin
    c = _filled(mod.STRUCTS[shape])
    family = {"sockaddr_in": mod.AF_INET, "sockaddr_in6": mod.AF_INET6}.get(shape)
    if family is not None:
        prefix = "sin6" if shape == "sockaddr_in6" else "sin"
        setattr(c, f"{prefix}_family", int(family))
        if mod.HAS_SA_LEN:
            setattr(c, f"{prefix}_len", ctypes.sizeof(c))
        if shape == "sockaddr_in":
            c.sin_zero[:] = bytes(8)  # type: ignore[attr-defined]
    if shape == "linger":
        c.l_onoff = 1  # type: ignore[attr-defined]
    if shape == "xucred":
        c.cr_ngroups = 16  # type: ignore[attr-defined]
    if shape == "timeval":
        c.tv_usec = 123_456  # type: ignore[attr-defined]
    data = bytes(c)
    the_codec = codec(platform, shape)
    assert data == the_codec.encode(the_codec.decode(data)).ljust(len(data), b"\0")


def _TCP_CONN_PUBLIC(c: ctypes.Structure) -> list[str]:
    """The whole (non-bitfield, non-padding) fields of darwin's tcp_connection_info."""
    return [f[0] for f in type(c)._fields_ if len(f) == 2 and not f[0].startswith("_")]


def test_tcp_info_fields_are_the_abi_structs() -> None:
    """TcpInfo carries every named tcp_info field of the ABI (plus the decoded wscale/flag bits)."""
    fields = {a.name for a in TcpInfo.__attrs_attrs__}
    assert set(_TCP_INFO_PUBLIC) | {"tcpi_snd_wscale", "tcpi_rcv_wscale", "tcpi_flags"} == fields


def test_tcp_connection_info_fields_are_the_abi_structs() -> None:
    """TcpConnectionInfo has every field of darwin's tcp_connection_info, at its offset."""
    layout = abi_table("darwin")["structs"]["tcp_connection_info"]["fields"]
    fields = [a.name for a in TcpConnectionInfo.__attrs_attrs__]
    assert set(layout) | {"tcpi_tfo_flags"} == set(fields)
    # Encode distinct values and read each one back at the table's offset.
    value = TcpConnectionInfo(*range(1, len(fields) + 1))
    data = codec("darwin", "tcp_connection_info").encode(value)
    for name, spec in layout.items():
        got = int.from_bytes(data[spec["offset"] : spec["offset"] + spec["size"]], "little")
        assert getattr(value, name) == got


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_ip_mreq_source_field_order(platform: str) -> None:
    """ip_mreq_source: Linux {multiaddr, interface, sourceaddr}, darwin {multiaddr, sourceaddr, interface}."""
    data = codec(platform, "ip_mreq_source").encode(IpMreqSource("224.1.1.1", "10.0.0.2", "10.0.0.3"))
    second = socket.inet_aton("10.0.0.3" if platform == "darwin" else "10.0.0.2")
    assert socket.inet_aton("224.1.1.1") + second == data[:8]


def test_darwin_sockaddrs_carry_a_length_byte() -> None:
    """darwin group_req writes sin_len/sin_family bytes and packs gr_group at offset 4."""
    data = codec("darwin", "group_req").encode(GroupReq(3, "224.0.0.9"))
    assert (3, 16, int(_darwin.AF_INET)) == (int.from_bytes(data[:4], "little"), data[4], data[5])
    linux = codec("linux", "group_req").encode(GroupReq(3, "ff02::9"))
    assert int(_linux.AF_INET6) == int.from_bytes(linux[8:10], "little")


def test_bool_decodes_flag_values() -> None:
    """A darwin yes/no option reading back its flag bit (SO_REUSEADDR reads 4) is True."""
    c = codec("darwin", "bool")
    assert (True, False) == (c.decode(struct.pack("=i", 4)), c.decode(struct.pack("=i", 0)))


def test_short_answers_are_errors() -> None:
    """A kernel answer shorter than the value needs raises OSError(EPROTO); tcp_info may be short."""
    with pytest.raises(OSError) as info:
        codec("linux", "linger").decode(b"\1\0\0\0")
    assert errno.EPROTO == info.value.errno
    with pytest.raises(OSError):
        codec("linux", "int").decode(b"")
    short = codec("linux", "tcp_info").decode(bytes([1]) + bytes(103))  # a 2.6-era tcp_info
    assert (1, 0) == (short.tcpi_state, short.tcpi_received_ce_bytes)


# -- hypothesis round trips of every codec ------------------------------------------

INT_MIN, INT_MAX, UINT_MAX = -(1 << 31), (1 << 31) - 1, (1 << 32) - 1
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
u32 = st.integers(0, UINT_MAX)
c_int = st.integers(INT_MIN, INT_MAX)


def _tcp_info_values() -> st.SearchStrategy[TcpInfo]:
    sizes = {n: ctypes.sizeof(t) for n, t, *_ in _linux.CTcpInfo._fields_}
    kw = {n: st.integers(0, (1 << (8 * sizes[n])) - 1) for n in _TCP_INFO_PUBLIC}
    nibble = st.integers(0, 15)
    kw.update(tcpi_snd_wscale=nibble, tcpi_rcv_wscale=nibble, tcpi_flags=st.integers(0, 255))
    return st.builds(TcpInfo, **kw)


def _tcp_connection_info_values() -> st.SearchStrategy[TcpConnectionInfo]:
    names = [a.name for a in TcpConnectionInfo.__attrs_attrs__]
    widths = [8, 8, 8] + [32] * 13 + [64] * 7
    fields = {n: st.integers(0, (1 << w) - 1) for n, w in zip(names, widths, strict=True)}
    return st.builds(TcpConnectionInfo, **fields)


def values_of(platform: str, shape: str, size: int | None) -> st.SearchStrategy[Any]:
    """The Python values a codec of *shape* must round-trip."""
    c = codec(platform, shape, size)
    simple: dict[str, st.SearchStrategy[Any]] = {
        "bool": st.booleans(),
        "int": st.integers(INT_MIN, INT_MAX),
        "fd": st.integers(0, INT_MAX),
        "uint": u32,
        "icmp_filter": u32,
        "u64": st.integers(0, (1 << 64) - 1),
        "str": st.text(st.characters(codec="ascii", exclude_characters="\0"), max_size=c.size - 1),
        "timeval": st.integers(0, 10**15).map(lambda us: us / 1_000_000),
        "linger": st.builds(Linger, st.booleans(), st.integers(0, 327 if platform == "darwin" else INT_MAX)),
        "ucred": st.builds(Ucred, st.integers(INT_MIN, INT_MAX), u32, u32),
        "xucred": st.builds(Xucred, u32, u32, st.lists(u32, max_size=16).map(tuple)),
        "in_addr": ipv4,
        "ip_mreq": st.builds(IpMreq, ipv4, ipv4),
        "ip_mreqn": st.builds(IpMreqn, ipv4, ipv4, c_int) | st.builds(IpMreq, ipv4, ipv4),
        "ip_mreq_source": st.builds(IpMreqSource, ipv4, ipv4, ipv4),
        "ipv6_mreq": st.builds(Ipv6Mreq, ipv6, u32),
        "group_req": st.builds(GroupReq, u32, ipv4 | ipv6),
        "group_source_req": st.builds(GroupSourceReq, u32, ipv4 | ipv6, ipv4 | ipv6),
        "in6_pktinfo": st.builds(In6Pktinfo, ipv6, u32),
        "ip6_mtuinfo": st.builds(
            Ip6MtuInfo, st.tuples(ipv6, st.integers(0, 65535), u32, u32), u32
        ),
        "icmp6_filter": st.builds(Icmp6Filter, st.integers(0, (1 << 256) - 1)),
        "so_timestamping": st.builds(SoTimestamping, c_int, c_int),
        "sock_txtime": st.builds(SockTxtime, st.integers(INT_MIN, INT_MAX), u32),
        "tcp_info": _tcp_info_values(),
        "tcp_connection_info": _tcp_connection_info_values(),
        "sockaddr": st.tuples(ipv4, st.integers(0, 65535)) | st.tuples(ipv6, st.integers(0, 65535), u32, u32),
        "sockaddr_in": st.tuples(ipv4, st.integers(0, 65535)),
        "sockaddr_in6": st.tuples(ipv6, st.integers(0, 65535), u32, u32),
        "u32_array": st.lists(u32, max_size=c.size // 4).map(tuple),
        "audit_token": st.lists(u32, max_size=8).map(tuple),
        "uuid": st.uuids(),
    }
    if shape in simple:
        return simple[shape]
    assert shape not in PYTHON_TYPES, f"no strategy for {shape}"
    return st.binary(max_size=c.size)


CODEC_KEYS = sorted({(row[0], row[5], row[7]) for row in ROWS}, key=str)
CODEC_IDS = [f"{p}-{s}-{n}" for p, s, n in CODEC_KEYS]


@pytest.mark.parametrize(("platform", "shape", "size"), CODEC_KEYS, ids=CODEC_IDS)
def test_codec_round_trip(platform: str, shape: str, size: int | None) -> None:
    """decode(encode(v)) == v for every value of the shape's domain, on both platforms."""
    c = codec(platform, shape, size)

    @given(values_of(platform, shape, size))
    def round_trip(value: Any) -> None:
        data = c.encode(value)
        assert len(data) <= c.size
        assert value == c.decode(data)

    round_trip()


# -- the running kernel: every gettable option on a matching socket ---------------------


@contextlib.contextmanager
def _tcp_pair(family: socket.AddressFamily) -> Iterator[socket.socket]:
    host = "127.0.0.1" if family == socket.AF_INET else "::1"
    with socket.socket(family, socket.SOCK_STREAM) as srv:
        srv.bind((host, 0))
        srv.listen()
        with socket.create_connection(srv.getsockname()[:2]) as client:
            peer, _ = srv.accept()
            with peer:
                yield client


@contextlib.contextmanager
def _udp(family: socket.AddressFamily, *, connect: bool = True) -> Iterator[socket.socket]:
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        if connect:
            s.bind(("127.0.0.1" if family == socket.AF_INET else "::1", 0))
            s.connect(s.getsockname())
        yield s


@contextlib.contextmanager
def _unix() -> Iterator[socket.socket]:
    a, b = socket.socketpair()
    with a, b:
        yield a


@contextlib.contextmanager
def _plain(family: int, kind: int, proto: int = 0) -> Iterator[socket.socket]:
    with socket.socket(family, kind, proto) as s:
        yield s


SOCKETS: dict[str, Callable[[], contextlib.AbstractContextManager[socket.socket]]] = {
    "tcp4": lambda: _tcp_pair(socket.AF_INET),
    "tcp6": lambda: _tcp_pair(socket.AF_INET6),
    "udp4": lambda: _udp(socket.AF_INET),
    "udp6": lambda: _udp(socket.AF_INET6),
    "unix": _unix,
    "fresh_tcp4": lambda: _plain(socket.AF_INET, socket.SOCK_STREAM),
    "fresh_udp6": lambda: _udp(socket.AF_INET6, connect=False),
    "raw_icmp": lambda: _plain(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
    "raw_icmp6": lambda: _plain(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6),
    "udplite": lambda: _plain(socket.AF_INET, socket.SOCK_DGRAM, 136),
}

#: The sockets each level's options are read on.
LEVEL_SOCKETS = {
    "SOL_SOCKET": ("tcp4", "udp4", "unix"),
    "IPPROTO_TCP": ("tcp4", "tcp6"),
    "IPPROTO_IP": ("udp4", "tcp4"),
    "IPPROTO_IPV6": ("udp6", "tcp6"),
    "IPPROTO_UDP": ("udp4", "udp6"),
    "IPPROTO_UDPLITE": ("udplite",),
    "IPPROTO_ICMPV6": ("raw_icmp6",),
    "SOL_RAW": ("raw_icmp",),
}

ENOTSUP = errno.EOPNOTSUPP
INET = ("tcp4", "udp4")

#: Errors the notes in sockopts.json document for a get on these sockets:
#: option -> {socket kind: errno}.  Anything else fails the test.
EXPECTED_GET_ERRORS: dict[str, dict[str, int]] = {
    # AF_UNIX (and netlink) only: EOPNOTSUPP on INET sockets.
    "SO_PASSCRED": dict.fromkeys(INET, ENOTSUP),
    "SO_PASSSEC": dict.fromkeys(INET, ENOTSUP),
    "SO_PASSPIDFD": dict.fromkeys(INET, ENOTSUP),
    "SO_PASSRIGHTS": dict.fromkeys(INET, ENOTSUP),
    # Peer credentials that only AF_UNIX records: ENODATA elsewhere.
    "SO_PEERGROUPS": dict.fromkeys(INET, errno.ENODATA),
    "SO_PEERPIDFD": dict.fromkeys(INET, errno.ENODATA),
    # EINVAL when the buffer is longer than the address: a Unix peer's is shorter than 16.
    "SO_PEERNAME": {"unix": errno.EINVAL},
    # No LSM provides a peer context here.
    "SO_PEERSEC": dict.fromkeys(("tcp4", "udp4", "unix"), errno.ENOPROTOOPT),
    # TCP only.
    "SO_TXREHASH": {"udp4": ENOTSUP, "unix": ENOTSUP},
    "IP_PKTOPTIONS": {"udp4": errno.ENOPROTOOPT},
    "IPV6_2292PKTOPTIONS": {"udp6": errno.ENOPROTOOPT},
    # Source filters need a membership first.
    "IP_MSFILTER": {"udp4": errno.EINVAL, "tcp4": errno.EINVAL},
    "MCAST_MSFILTER": {"udp4": errno.EINVAL, "tcp4": errno.EINVAL, "udp6": errno.EADDRNOTAVAIL,
                       "tcp6": errno.EADDRNOTAVAIL},
    # netfilter conntrack: no entry (TCP) / not a TCP socket (UDP).
    "SO_ORIGINAL_DST": {"tcp4": errno.ENOENT, "udp4": errno.ENOPROTOOPT},
    "IP6T_SO_ORIGINAL_DST": {"tcp6": errno.ENOENT, "udp6": errno.ENOPROTOOPT},
    # Raw sockets only.
    "IPV6_CHECKSUM": {"udp6": errno.ENOPROTOOPT, "tcp6": errno.ENOPROTOOPT},
    "IPV6_HDRINCL": {"udp6": errno.ENOPROTOOPT, "tcp6": errno.ENOPROTOOPT},
    # No flow labels were requested.
    "IPV6_FLOWLABEL_MGR": {"udp6": errno.ENOENT, "tcp6": errno.ENOENT},
    # Repair mode only.
    "TCP_REPAIR_QUEUE": {"tcp4": errno.EINVAL, "tcp6": errno.EINVAL},
    "TCP_QUEUE_SEQ": {"tcp4": errno.EINVAL, "tcp6": errno.EINVAL},
    "TCP_REPAIR_WINDOW": {"tcp4": errno.EPERM, "tcp6": errno.EPERM},
    # TCP-AO needs CONFIG_TCP_AO, which this kernel lacks.
    "TCP_AO_INFO": {"tcp4": errno.ENOPROTOOPT, "tcp6": errno.ENOPROTOOPT},
    "TCP_AO_GET_KEYS": {"tcp4": errno.ENOPROTOOPT, "tcp6": errno.ENOPROTOOPT},
    "TCP_AO_REPAIR": {"tcp4": errno.ENOPROTOOPT, "tcp6": errno.ENOPROTOOPT},
}

#: Errors allowed whatever the socket: options newer than some kernels, and
#: UDP-Lite, which recent kernels dropped.
KERNEL_VERSION_ERRORS = {errno.ENOPROTOOPT}
NEWER_OPTIONS = {
    "SO_PASSRIGHTS", "SO_INQ", "SO_RCVPRIORITY", "TCP_RTO_MAX_MS", "TCP_RTO_MIN_US", "TCP_DELACK_MAX_US",
    "TCP_IS_MPTCP", "SO_PEERPIDFD", "SO_PASSPIDFD", "IP_PROTOCOL", "IP_LOCAL_PORT_RANGE", "SO_RCVMARK",
    "SO_TXREHASH", "SO_RESERVE_MEM", "SO_BUF_LOCK", "SO_NETNS_COOKIE", "SO_PREFER_BUSY_POLL",
}  # fmt: skip

PY_TYPES: dict[str, Any] = {
    "bool": bool, "int": int, "str": str, "bytes": bytes, "float": float, "Linger": Linger, "Ucred": Ucred,
    "SockAddr": tuple, "tuple[int, ...]": tuple, "TcpInfo": TcpInfo, "Ip6MtuInfo": Ip6MtuInfo,
    "SoTimestamping": SoTimestamping, "SockTxtime": SockTxtime, "Icmp6Filter": Icmp6Filter,
}  # fmt: skip


def _gettable(level: str) -> list[SockOpt[Any]]:
    return [o for o in sockopt.options() if o.readable and o.level_name == level]


GET_CASES = [(level, o.name) for level in LEVEL_SOCKETS for o in (_gettable(level) if LINUX else [])]


def _read_on(opt: SockOpt[Any], kind: str) -> str | None:
    """Read *opt* on a fresh *kind* socket; None when it is fine, else what went wrong."""
    try:
        cm = SOCKETS[kind]()
        s = cm.__enter__()
    except PermissionError:
        assert not IS_ROOT, f"root could not create a {kind} socket"
        return None  # raw sockets need CAP_NET_RAW: PermissionError unprivileged, as expected
    except OSError as exc:
        assert (kind, errno.EPROTONOSUPPORT) == ("udplite", exc.errno)
        return None  # this kernel has no UDP-Lite (removed upstream)
    name, documented = opt.name, EXPECTED_GET_ERRORS.get(opt.name, {}).get(kind)
    try:
        try:
            value = opt.get(s.fileno())
        except OSError as exc:
            if documented is None and name in NEWER_OPTIONS and exc.errno in KERNEL_VERSION_ERRORS:
                return None  # newer than this kernel
            if exc.errno != documented:
                return f"{kind}: undocumented error {exc!r}"
            return None
        if name == "SO_PEERPIDFD":
            os.close(value)  # a new pidfd the caller owns
        if documented is not None:
            return f"{kind}: expected errno {errno.errorcode[documented]}, got {value!r}"
        expected = PY_TYPES.get(PYTHON_TYPES.get(opt.codec.ctype, "bytes"), bytes)
        if not isinstance(value, expected) or (expected is bool and type(value) is not bool):
            return f"{kind}: {value!r} is not a {expected.__name__}"
        return None
    finally:
        cm.__exit__(None, None, None)


@linux_only
@pytest.mark.parametrize(("level", "name"), GET_CASES, ids=[f"{lv}-{n}" for lv, n in GET_CASES])
def test_every_gettable_option_reads_on_a_matching_socket(level: str, name: str) -> None:
    """On each socket its level is read on, a get returns the declared Python type,
    or fails with the errno the option's notes document for that socket."""
    opt = next(o for o in sockopt.options() if (o.level_name, o.name) == (level, name))
    problems = [p for kind in LEVEL_SOCKETS[level] if (p := _read_on(opt, kind)) is not None]
    assert [] == problems


@linux_only
def test_typed_get_agrees_with_the_stdlib() -> None:
    """Typed gets read what socket.getsockopt reads for int, bool, linger, timeval and tcp_info."""
    with _tcp_pair(socket.AF_INET) as s:
        fd = s.fileno()
        sockopt.SO_KEEPALIVE.set(fd, True)
        sockopt.SO_LINGER.set(fd, Linger(True, 7))
        sockopt.SO_RCVTIMEO.set(fd, 2.5)
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == sockopt.SO_RCVBUF.get(fd)
        assert bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)) is sockopt.SO_KEEPALIVE.get(fd)
        assert struct.unpack("ii", s.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)) == (1, 7)
        sec, usec = struct.unpack("qq", s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16))
        assert sec + usec / 1e6 == sockopt.SO_RCVTIMEO.get(fd)
        info = sockopt.TCP_INFO.get(fd)
        assert 1 == info.tcpi_state  # TCP_ESTABLISHED
        std = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        assert std[0] == info.tcpi_state and struct.unpack_from("I", std, 16)[0] == info.tcpi_snd_mss
        assert ("127.0.0.1", s.getpeername()[1]) == sockopt.SO_PEERNAME.get(fd)


@linux_only
def test_peer_credentials() -> None:
    """SO_PEERCRED on a socketpair names this process; SO_PEERGROUPS lists its groups."""
    with _unix() as s:
        assert Ucred(os.getpid(), os.getuid(), os.getgid()) == sockopt.SO_PEERCRED.get(s.fileno())
        assert set(os.getgroups()) <= set(sockopt.SO_PEERGROUPS.get(s.fileno())) | {os.getgid()}


@linux_only
def test_so_peername_ipv6_fits_the_first_buffer() -> None:
    """SO_PEERNAME gives the stdlib's 4-tuple for an IPv6 peer."""
    with _tcp_pair(socket.AF_INET6) as s:
        assert s.getpeername() == sockopt.SO_PEERNAME.get(s.fileno())


# -- round trips through the kernel ----------------------------------------------------

#: option -> (socket kind, domain the kernel keeps as set).
INT_ROUND_TRIPS: dict[str, tuple[str, st.SearchStrategy[int]]] = {
    "SO_PRIORITY": ("udp4", st.integers(0, 6)),
    "SO_RCVLOWAT": ("udp4", st.integers(1, INT_MAX)),
    "SO_PEEK_OFF": ("unix", st.integers(-1, INT_MAX)),
    "SO_BUSY_POLL": ("udp4", st.integers(0, INT_MAX)),
    "SO_MAX_PACING_RATE": ("tcp4", st.integers(0, (1 << 64) - 1)),
    "SO_INCOMING_CPU": ("udp4", st.integers(-1, INT_MAX)),
    "SO_BUF_LOCK": ("tcp4", st.integers(0, 3)),
    "SO_TXREHASH": ("tcp4", st.integers(0, 1)),
    "IP_TOS": ("udp4", st.integers(0, 255)),
    "IP_TTL": ("udp4", st.integers(1, 255)),
    "IP_MTU_DISCOVER": ("udp4", st.integers(0, 5)),
    "IP_PMTUDISC": ("udp4", st.integers(0, 5)),
    "IP_MINTTL": ("udp4", st.integers(0, 255)),
    "IP_MULTICAST_TTL": ("udp4", st.integers(0, 255)),
    "IPV6_UNICAST_HOPS": ("udp6", st.integers(0, 255)),
    "IPV6_MULTICAST_HOPS": ("udp6", st.integers(0, 255)),
    "IPV6_MTU_DISCOVER": ("udp6", st.integers(0, 5)),
    "IPV6_TCLASS": ("udp6", st.integers(0, 255)),
    "IPV6_MINHOPCOUNT": ("udp6", st.integers(0, 255)),
    "TCP_KEEPIDLE": ("tcp4", st.integers(1, 32767)),
    "TCP_KEEPINTVL": ("tcp4", st.integers(1, 32767)),
    "TCP_KEEPCNT": ("tcp4", st.integers(1, 127)),
    "TCP_SYNCNT": ("tcp4", st.integers(1, 127)),
    "TCP_LINGER2": ("tcp4", st.integers(1, 120) | st.just(-1)),
    "TCP_USER_TIMEOUT": ("tcp4", st.integers(0, INT_MAX)),
    "TCP_NOTSENT_LOWAT": ("tcp4", st.integers(0, INT_MAX)),
    "TCP_SAVE_SYN": ("tcp4", st.integers(0, 2)),
    "TCP_TX_DELAY": ("tcp4", st.integers(0, (1 << 28) - 1)),
    "UDP_SEGMENT": ("udp4", st.integers(0, 65535 - 28)),
    "UDP_ENCAP": ("udp4", st.sampled_from([0, 2])),
}

#: Options whose value the kernel adjusts -> the adjustment, which
#: test_buffer_sizes_are_doubled and test_tcp_adjusted_values check.
ADJUSTED: dict[str, str] = {
    "SO_SNDBUF": "doubled, capped at net.core.wmem_max, at least 4608",
    "SO_RCVBUF": "doubled, capped at net.core.rmem_max, at least 2304",
    "TCP_DEFER_ACCEPT": "stored as SYN-ACK retransmits: reads back rounded up",
    "TCP_WINDOW_CLAMP": "raised to SOCK_MIN_RCVBUF/2 (1152)",
    "TCP_RTO_MAX_MS": "rounded to the kernel tick",
    "TCP_RTO_MIN_US": "rounded to the kernel tick",
    "TCP_DELACK_MAX_US": "rounded to the kernel tick",
}

#: Privileged int options: root keeps any value, others get EPERM.
PRIVILEGED_INTS: dict[str, tuple[str, st.SearchStrategy[int]]] = {
    "SO_PRIORITY": ("udp4", st.integers(7, INT_MAX)),
    "SO_MARK": ("udp4", st.integers(0, UINT_MAX)),
}

#: Settable yes/no options the kernel does not keep as set on the socket used, and why.
BOOL_EXCEPTIONS: dict[str, str] = {
    "SO_BSDCOMPAT": "a no-op: always reads 0",
    "TCP_THIN_DUPACK": "a no-op in current kernels: always reads 0",
    "TCP_QUICKACK": "not sticky: the stack leaves quick-ACK mode on its own",
    "IP_HDRINCL": "raw sockets only (ENOPROTOOPT)",
    "IP_NODEFRAG": "raw sockets only (ENOPROTOOPT)",
    "IP_ROUTER_ALERT": "SOCK_RAW only (EINVAL)",
    "IPV6_HDRINCL": "raw sockets only (ENOPROTOOPT)",
}

BOOL_SOCKETS = {
    "SO_PASSCRED": "unix", "SO_PASSSEC": "unix", "SO_PASSPIDFD": "unix", "SO_PASSRIGHTS": "unix",
    "IPV6_V6ONLY": "fresh_udp6", "TCP_FASTOPEN_CONNECT": "fresh_tcp4", "TCP_FASTOPEN_NO_COOKIE": "fresh_tcp4",
}  # fmt: skip
DEFAULT_SOCKET = {"SOL_SOCKET": "tcp4", "IPPROTO_TCP": "tcp4", "IPPROTO_IP": "udp4", "IPPROTO_IPV6": "udp6",
                  "IPPROTO_UDP": "udp4"}  # fmt: skip

BOOL_CASES = [
    o.name
    for o in (sockopt.options() if LINUX else [])
    if o.access == "both" and o.codec.ctype == "bool" and o.level_name in DEFAULT_SOCKET
]


@linux_only
@pytest.mark.parametrize("name", BOOL_CASES)
def test_bool_round_trip(name: str) -> None:
    """set(True) then get is True, set(False) then get is False, or the documented exception."""
    opt = next(o for o in sockopt.options() if o.name == name and o.level_name in DEFAULT_SOCKET)
    kind = BOOL_SOCKETS.get(name, DEFAULT_SOCKET[opt.level_name])
    seen = []
    for value in (True, False):
        with SOCKETS[kind]() as s:
            try:
                opt.set(s.fileno(), value)
                seen.append(opt.get(s.fileno()))
            except OSError as exc:
                if name in NEWER_OPTIONS and exc.errno == errno.ENOPROTOOPT:
                    pytest.skip(f"{name} is newer than this kernel")
                assert name in BOOL_EXCEPTIONS, f"{name}: {exc!r}"
                return
    if name in BOOL_EXCEPTIONS:
        assert [True, False] != seen or name == "TCP_QUICKACK", f"{name} now keeps its value"
    else:
        assert [True, False] == seen


INT_CASES = sorted(INT_ROUND_TRIPS)


@linux_only
@pytest.mark.parametrize("name", INT_CASES)
def test_int_round_trip(name: str) -> None:
    """Over the option's domain, the value read back is the value set."""
    opt = next(o for o in sockopt.options() if o.name == name)
    kind, domain = INT_ROUND_TRIPS[name]

    @given(domain)
    def round_trip(value: int) -> None:
        with SOCKETS[kind]() as s:
            try:
                opt.set(s.fileno(), value)
            except OSError as exc:
                if name in NEWER_OPTIONS:
                    assert exc.errno == errno.ENOPROTOOPT
                    return
                raise
            assert value == opt.get(s.fileno())

    round_trip()


def test_int_round_trip_domains_cover_the_settable_ints() -> None:
    """Every settable int at SOL_SOCKET/IP/IPv6/TCP/UDP is round-tripped, adjusted, or excused."""
    excused = {
        # value depends on state, privilege or hardware, not on what was set:
        "SO_BINDTOIFINDEX": "needs an existing interface; unprivileged may only bind once",
        "SO_RESERVE_MEM": "needs memcg socket accounting (EOPNOTSUPP here)",
        "IP_UNICAST_IF": "needs an interface that can route (EADDRNOTAVAIL on lo)",
        "IPV6_UNICAST_IF": "needs an interface that can route (EADDRNOTAVAIL on lo)",
        "IPV6_MULTICAST_IF": "needs a multicast-capable interface index",
        "IPV6_ADDRFORM": "converts a connected v4-mapped socket; not a stored value",
        "IPV6_ROUTER_ALERT": "raw IPPROTO_RAW sockets only",
        "IPV6_CHECKSUM": "raw sockets only",
        "IPV6_MTU": "get reads the path MTU, not the cap set",
        "IPV6_ADDR_PREFERENCES": "flag pairs are normalised (PUBLIC|TMP conflicts)",
        "IP_LOCAL_PORT_RANGE": "checked by test_ip_local_port_range",
        "TCP_MAXSEG": "get reads the current MSS",
        "TCP_REPAIR": "checked by test_tcp_repair_needs_privilege",
        "TCP_REPAIR_QUEUE": "repair mode only",
        "TCP_QUEUE_SEQ": "repair mode only",
        "TCP_FASTOPEN": "listening sockets only, checked by test_tcp_fastopen_queue_length",
        "TCP_TIMESTAMP": "settable in repair mode only",
        "SO_MARK": "privileged: test_privileged_int_round_trip",
    }
    settable = {
        o.name
        for o in sockopt.options(platform="linux")
        if o.access == "both" and o.codec.ctype in ("int", "uint", "u64") and o.level_name in DEFAULT_SOCKET
        and o.alias_of is None
    }  # fmt: skip
    assert set() == settable - set(INT_ROUND_TRIPS) - set(ADJUSTED) - set(excused)


@linux_only
@given(st.integers(2304, 1 << 21))
def test_buffer_sizes_are_doubled(value: int) -> None:
    """Linux doubles SO_RCVBUF/SO_SNDBUF (capped at [rw]mem_max): the kernel's value is read back."""
    rmax = int(pathlib.Path("/proc/sys/net/core/rmem_max").read_text())
    wmax = int(pathlib.Path("/proc/sys/net/core/wmem_max").read_text())
    with _udp(socket.AF_INET) as s:
        sockopt.SO_RCVBUF.set(s.fileno(), value)
        sockopt.SO_SNDBUF.set(s.fileno(), value)
        assert max(2 * min(value, rmax), 2304) == sockopt.SO_RCVBUF.get(s.fileno())
        assert max(2 * min(value, wmax), 4608) == sockopt.SO_SNDBUF.get(s.fileno())


@linux_only
@given(st.integers(1, 100_000))
def test_tcp_adjusted_values(value: int) -> None:
    """TCP_DEFER_ACCEPT reads back rounded up (to its longest schedule at most);
    TCP_WINDOW_CLAMP at least 1152; RTO and delayed-ACK limits rounded up to a tick."""
    with _tcp_pair(socket.AF_INET) as s:
        fd = s.fileno()
        sockopt.TCP_DEFER_ACCEPT.set(fd, INT_MAX)
        longest = sockopt.TCP_DEFER_ACCEPT.get(fd)
        sockopt.TCP_DEFER_ACCEPT.set(fd, value)
        assert min(value, longest) <= sockopt.TCP_DEFER_ACCEPT.get(fd) <= longest
        sockopt.TCP_WINDOW_CLAMP.set(fd, value)
        assert max(value, 1152) == sockopt.TCP_WINDOW_CLAMP.get(fd)
        # (option, value set, one tick of at most 10 ms in the option's unit)
        for opt, v, tick in (
            (sockopt.TCP_RTO_MIN_US, value * 10, 10_000),
            (sockopt.TCP_DELACK_MAX_US, value * 10, 10_000),
            (sockopt.TCP_RTO_MAX_MS, 1000 + value % 119_000, 10),
        ):
            try:
                opt.set(fd, v)
            except OSError as exc:
                assert exc.errno in (errno.EINVAL, errno.ENOPROTOOPT)  # below the floor, or older kernel
                continue
            assert v <= opt.get(fd) < v + tick


@linux_only
@given(st.integers(1024, 65535).flatmap(lambda lo: st.tuples(st.just(lo), st.integers(lo, 65535))))
def test_ip_local_port_range(bounds: tuple[int, int]) -> None:
    """IP_LOCAL_PORT_RANGE keeps low | high << 16 when low <= high."""
    lo, hi = bounds
    with _udp(socket.AF_INET, connect=False) as s:
        sockopt.IP_LOCAL_PORT_RANGE.set(s.fileno(), lo | hi << 16)
        assert lo | hi << 16 == sockopt.IP_LOCAL_PORT_RANGE.get(s.fileno())


@linux_only
def test_tcp_fastopen_queue_length() -> None:
    """TCP_FASTOPEN takes a queue length on a listener (Linux); a connected socket refuses it."""
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        sockopt.TCP_FASTOPEN.set(srv.fileno(), 5)
        assert 5 == sockopt.TCP_FASTOPEN.get(srv.fileno())
    with _tcp_pair(socket.AF_INET) as s, pytest.raises(OSError) as info:
        sockopt.TCP_FASTOPEN.set(s.fileno(), 5)
    assert errno.EINVAL == info.value.errno


def _in_unprivileged_child(fn: Callable[[], int]) -> int:
    """Run *fn* in a forked child that dropped to uid/gid 65534; return its exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code = fn()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@linux_only
@pytest.mark.parametrize("name", sorted(PRIVILEGED_INTS))
def test_privileged_int_round_trip(name: str) -> None:
    """Root keeps any value of a privileged option; an unprivileged process gets PermissionError."""
    opt = getattr(sockopt, name)
    kind, domain = PRIVILEGED_INTS[name]
    if IS_ROOT:

        @given(domain)
        def round_trip(value: int) -> None:
            with SOCKETS[kind]() as s:
                opt.set(s.fileno(), value)
                assert value == opt.get(s.fileno())

        round_trip()

        def unprivileged() -> int:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    opt.set(s.fileno(), 7 if name == "SO_PRIORITY" else 1)
                except PermissionError:
                    return 0
                return 1

        assert 0 == _in_unprivileged_child(unprivileged)
    else:
        with SOCKETS[kind]() as s, pytest.raises(PermissionError):
            opt.set(s.fileno(), 7 if name == "SO_PRIORITY" else 1)


@linux_only
def test_tcp_repair_needs_privilege() -> None:
    """TCP_REPAIR: root may turn repair mode on and off; others get PermissionError."""
    if not IS_ROOT:
        with _tcp_pair(socket.AF_INET) as s, pytest.raises(PermissionError):
            sockopt.TCP_REPAIR.set(s.fileno(), 1)
        return
    with _tcp_pair(socket.AF_INET) as s:
        sockopt.TCP_REPAIR.set(s.fileno(), 1)
        assert 1 == sockopt.TCP_REPAIR.get(s.fileno())
        sockopt.TCP_REPAIR.set(s.fileno(), 0)
        assert 0 == sockopt.TCP_REPAIR.get(s.fileno())


TIMEVAL_CASES = [
    o.name for o in (sockopt.options() if LINUX else []) if o.codec.ctype == "timeval" and o.access == "both"
]


@linux_only
@pytest.mark.parametrize("name", TIMEVAL_CASES)
def test_timeval_round_trip(name: str) -> None:
    """A timeout reads back rounded up to the kernel tick (at most 10 ms); 0 stays 0 (no timeout)."""
    opt = next(o for o in sockopt.options() if o.name == name)

    @given(st.integers(0, 10**9).map(lambda us: us / 1_000_000))
    def round_trip(value: float) -> None:
        with _udp(socket.AF_INET) as s:
            opt.set(s.fileno(), value)
            got = opt.get(s.fileno())
            assert value <= got < value + 0.010
            if value == 0:
                assert 0.0 == got

    round_trip()


@linux_only
@given(st.integers(0, INT_MAX))
def test_linger_round_trip(seconds: int) -> None:
    """Linger(True, s) reads back as set; Linger(False, s) turns lingering off and keeps the old time."""
    with _tcp_pair(socket.AF_INET) as s:
        fd = s.fileno()
        sockopt.SO_LINGER.set(fd, Linger(True, seconds))
        assert Linger(True, seconds) == sockopt.SO_LINGER.get(fd)
        sockopt.SO_LINGER.set(fd, Linger(False, 0))
        assert Linger(False, seconds) == sockopt.SO_LINGER.get(fd)


@linux_only
def test_str_options() -> None:
    """TCP_CONGESTION and SO_BINDTODEVICE take and give names; too long is ValueError."""
    with _tcp_pair(socket.AF_INET) as s:
        fd = s.fileno()
        sockopt.TCP_CONGESTION.set(fd, "reno")
        assert "reno" == sockopt.TCP_CONGESTION.get(fd)
        sockopt.SO_BINDTODEVICE.set(fd, "lo")
        assert "lo" == sockopt.SO_BINDTODEVICE.get(fd)
        sockopt.SO_BINDTODEVICE.set(fd, "")
        assert "" == sockopt.SO_BINDTODEVICE.get(fd)
        with pytest.raises(ValueError):
            sockopt.SO_BINDTODEVICE.set(fd, "x" * 16)
        with pytest.raises(ValueError):
            sockopt.TCP_CONGESTION.set(fd, "re\0no")


@linux_only
def test_struct_options_set_on_the_kernel() -> None:
    """Multicast membership structs, SO_TIMESTAMPING and SO_TXTIME are accepted by the kernel."""
    with _udp(socket.AF_INET, connect=False) as s:
        fd = s.fileno()
        sockopt.IP_ADD_MEMBERSHIP.set(fd, IpMreqn("224.0.0.251", "0.0.0.0", 1))
        sockopt.IP_DROP_MEMBERSHIP.set(fd, IpMreq("224.0.0.251", "127.0.0.1"))  # lo, by address
        sockopt.MCAST_JOIN_GROUP.set(fd, GroupReq(1, "224.0.0.252"))
        sockopt.MCAST_LEAVE_GROUP.set(fd, GroupReq(1, "224.0.0.252"))
        sockopt.IP_ADD_SOURCE_MEMBERSHIP.set(fd, IpMreqSource("232.1.1.1", "127.0.0.1", "127.0.0.2"))
        sockopt.IP_DROP_SOURCE_MEMBERSHIP.set(fd, IpMreqSource("232.1.1.1", "127.0.0.1", "127.0.0.2"))
        sockopt.IP_MULTICAST_IF.set(fd, "127.0.0.1")
        assert "127.0.0.1" == sockopt.IP_MULTICAST_IF.get(fd)
        sockopt.SO_TIMESTAMPING.set(fd, SoTimestamping(0x10))
        assert 0x10 == sockopt.SO_TIMESTAMPING.get(fd).flags
        sockopt.SO_TXTIME.set(fd, SockTxtime(1, 0))  # CLOCK_MONOTONIC
        assert SockTxtime(1, 0) == sockopt.SO_TXTIME.get(fd)
    with _udp(socket.AF_INET6, connect=False) as s:
        fd = s.fileno()
        sockopt.IPV6_ADD_MEMBERSHIP.set(fd, Ipv6Mreq("ff02::fb", 1))
        sockopt.IPV6_DROP_MEMBERSHIP.set(fd, Ipv6Mreq("ff02::fb", 1))
        sockopt.MCAST_JOIN_SOURCE_GROUP_V6.set(fd, GroupSourceReq(1, "ff3e::1234", "::1"))
        sockopt.MCAST_LEAVE_SOURCE_GROUP_V6.set(fd, GroupSourceReq(1, "ff3e::1234", "::1"))
        sockopt.IPV6_PKTINFO.set(fd, In6Pktinfo("::1", 0))


@linux_only
@pytest.mark.skipif(not IS_ROOT, reason="raw ICMPv6 sockets need CAP_NET_RAW")
@given(st.integers(0, (1 << 256) - 1))
def test_icmp6_filter_round_trip(bits: int) -> None:
    """ICMP6_FILTER keeps its 256 bits (Linux polarity: a set bit blocks the type)."""
    with _plain(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6) as s:
        sockopt.ICMP6_FILTER.set(s.fileno(), Icmp6Filter(bits))
        assert Icmp6Filter(bits) == sockopt.ICMP6_FILTER.get(s.fileno())


@linux_only
def test_closed_descriptor_is_ebadf() -> None:
    """A get on a closed descriptor number fails with EBADF from the kernel."""
    s = socket.socket()
    fd = s.fileno()
    s.close()
    with pytest.raises(OSError) as info:
        sockopt.SO_TYPE.get(fd)
    assert errno.EBADF == info.value.errno


def test_uuid_codec_shape() -> None:
    """darwin LOCAL_PEERUUID decodes to a uuid.UUID."""
    opt = next(o for o in sockopt.options(platform="darwin") if o.name == "LOCAL_PEERUUID")
    u = uuid.uuid4()
    assert u == opt.codec.decode(u.bytes)


#: Options whose set needs a capability: (option, socket kind, value).
PRIVILEGED_SETS: list[tuple[str, str, Any]] = [
    ("SO_DEBUG", "udp4", True),
    ("SO_PREFER_BUSY_POLL", "udp4", True),
    ("SO_RCVBUFFORCE", "udp4", 65536),
    ("SO_SNDBUFFORCE", "udp4", 65536),
    ("SO_MARK", "udp4", 1),
    ("SO_PRIORITY", "udp4", 7),
    ("IP_TRANSPARENT", "udp4", True),
    ("IPV6_TRANSPARENT", "udp6", True),
    ("TCP_REPAIR", "tcp4", 1),
]


@linux_only
@pytest.mark.skipif(not IS_ROOT, reason="needs root to compare with an unprivileged child")
@pytest.mark.parametrize(("name", "kind", "value"), PRIVILEGED_SETS, ids=[p[0] for p in PRIVILEGED_SETS])
def test_privileged_sets(name: str, kind: str, value: Any) -> None:
    """Root may set a privileged option; a child that dropped to nobody gets PermissionError."""
    opt = getattr(sockopt, name)
    with SOCKETS[kind]() as s:
        opt.set(s.fileno(), value)

    def unprivileged() -> int:
        with SOCKETS[kind]() as s:
            try:
                opt.set(s.fileno(), value)
            except PermissionError:
                return 0
            return 1

    assert 0 == _in_unprivileged_child(unprivileged)


def _sock_fprog(program: ctypes.Array[ctypes.c_uint8]) -> bytes:
    """struct sock_fprog {unsigned short len; struct sock_filter *filter;} for *program*."""
    return struct.pack("=H6xQ", len(program) // 8, ctypes.addressof(program))


@linux_only
def test_socket_filter_attach_read_detach() -> None:
    """SO_GET_FILTER counts optlen in instructions: macres reads back the exact program."""
    accept_all = bytes.fromhex("0600000000ffffff0600000000ffffff")  # two "ret #0xffffff00": accept
    program = (ctypes.c_uint8 * len(accept_all)).from_buffer_copy(accept_all)
    with _udp(socket.AF_INET) as s:
        fd = s.fileno()
        sockopt.SO_ATTACH_FILTER.set(fd, _sock_fprog(program))
        assert accept_all == sockopt.SO_GET_FILTER.get(fd)
        sockopt.SO_DETACH_FILTER.set(fd, 0)
        assert b"" == sockopt.SO_GET_FILTER.get(fd)
        with pytest.raises(FileNotFoundError):  # ENOENT: no filter attached
            sockopt.SO_DETACH_FILTER.set(fd, 0)


@linux_only
@given(st.integers(1, 40))
def test_ip_options_round_trip(nops: int) -> None:
    """IP_OPTIONS keeps the options set, padded with end-of-list bytes to a multiple of 4."""
    options = b"\x01" * nops  # NOP options
    with _udp(socket.AF_INET, connect=False) as s:
        sockopt.IP_OPTIONS.set(s.fileno(), options)
        assert options.ljust(-(-nops // 4) * 4, b"\0") == sockopt.IP_OPTIONS.get(s.fileno())


@linux_only
@given(st.binary(min_size=16, max_size=16) | st.binary(min_size=32, max_size=32))
def test_tcp_fastopen_key_round_trip(key: bytes) -> None:
    """A listener's TCP_FASTOPEN_KEY (primary, or primary + backup) reads back as set."""
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        sockopt.TCP_FASTOPEN_KEY.set(srv.fileno(), key)
        assert key == sockopt.TCP_FASTOPEN_KEY.get(srv.fileno())


@linux_only
@pytest.mark.skipif(not IS_ROOT, reason="raw ICMP sockets need CAP_NET_RAW")
@given(u32)
def test_icmp_filter_round_trip(mask: int) -> None:
    """SOL_RAW ICMP_FILTER keeps its 32-bit mask on a raw ICMP socket."""
    with _plain(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
        sockopt.ICMP_FILTER.set(s.fileno(), mask)
        assert mask == sockopt.ICMP_FILTER.get(s.fileno())


def _padded_ext_header(units: int) -> bytes:
    """An IPv6 options header of (units + 1) * 8 bytes holding one PadN option."""
    size = (units + 1) * 8
    return bytes([0, units, 1, size - 4]) + bytes(size - 4)


@linux_only
@pytest.mark.skipif(not IS_ROOT, reason="sticky IPv6 option headers need CAP_NET_RAW")
@pytest.mark.parametrize("name", ["IPV6_HOPOPTS", "IPV6_DSTOPTS", "IPV6_RTHDRDSTOPTS"])
def test_ipv6_option_headers_round_trip(name: str) -> None:
    """A sticky IPv6 options header reads back byte for byte; an empty one clears it."""
    opt = getattr(sockopt, name)

    @given(st.integers(0, 30))
    def round_trip(units: int) -> None:
        header = _padded_ext_header(units)
        with _udp(socket.AF_INET6, connect=False) as s:
            opt.set(s.fileno(), header)
            assert header == opt.get(s.fileno())
            opt.set(s.fileno(), b"")
            assert b"" == opt.get(s.fileno())

    round_trip()


@linux_only
def test_objects_with_fileno_are_accepted() -> None:
    """get/set take an object with fileno() (a stdlib socket) as well as a number."""
    with _udp(socket.AF_INET) as s:
        sockopt.SO_REUSEADDR.set(s, True)
        assert sockopt.SO_REUSEADDR.get(s) is True
        assert sockopt.SO_REUSEADDR.get(s.fileno()) is True


def _close_at_the_option_call(victim: macres.Socket, newcomers: list[macres.Socket]) -> None:
    """From the next getsockopt/setsockopt call this thread makes (Python or C, raw or stdlib) on:
    close *victim* in another thread, then open a socket, which takes the lowest free number."""

    def hook(frame: Any, event: str, arg: Any) -> None:
        name = getattr(arg, "__name__", None) if event == "c_call" else frame.f_code.co_name
        if event in ("call", "c_call") and name in ("getsockopt", "setsockopt"):
            sys.setprofile(None)
            closer = threading.Thread(target=victim.close)
            closer.start()
            closer.join()
            newcomers.append(macres.Socket(socket.AF_INET, socket.SOCK_STREAM))

    sys.setprofile(hook)


@pytest.mark.parametrize("op", ["get", "set"])
def test_option_on_an_object_holds_its_descriptor(op: str) -> None:
    """SockOpt.get/set(sock) use the socket's number inside its in-flight protocol: a close in
    another thread right at the option call cannot send the call to a socket that reused the number."""
    newcomers: list[macres.Socket] = []
    victim = macres.Socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        _close_at_the_option_call(victim, newcomers)
        try:
            if op == "get":
                assert sockopt.SO_TYPE.get(victim) == socket.SOCK_DGRAM  # the victim's, not the newcomer's
            else:
                sockopt.SO_KEEPALIVE.set(victim, True)
        finally:
            sys.setprofile(None)
        [newcomer] = newcomers  # the race happened
        assert victim.closed
        assert sockopt.SO_KEEPALIVE.get(newcomer) is False
        assert sockopt.SO_TYPE.get(newcomer) == socket.SOCK_STREAM
    finally:
        victim.close()
        for s in newcomers:
            s.close()


def test_option_refuses_objects_without_a_descriptor() -> None:
    """A Process (its handle is a pid or pidfd) or a MappedRegion (an address) is no descriptor: TypeError."""
    with macres.MappedRegion.anonymous(4096) as region:
        for obj in (macres.Process.current(), region, 3.0, True):
            with pytest.raises(TypeError, match="fd"):
                sockopt.SO_TYPE.get(obj)  # type: ignore[arg-type]
            with pytest.raises(TypeError, match="fd"):
                sockopt.SO_KEEPALIVE.set(obj, True)  # type: ignore[arg-type]


@pytest.mark.parametrize(("platform", "shape", "size"), CODEC_KEYS, ids=CODEC_IDS)
def test_codec_refuses_a_wrong_type(platform: str, shape: str, size: int | None) -> None:
    """Every codec raises TypeError for a value that is not of its Python type."""
    c = codec(platform, shape, size)
    pytype = PYTHON_TYPES.get(shape, "bytes")
    right = {"str": str, "bytes": bytes, "float": float}.get(pytype)
    for wrong in (None, object(), 1.5, "1", b"\0\0\0\0"):
        if right is not None and isinstance(wrong, right):
            continue  # the right type (its value is checked elsewhere)
        with pytest.raises(TypeError):
            c.encode(wrong)


def test_darwin_specific_refusals() -> None:
    """darwin takes only ip_mreq for IP_ADD_MEMBERSHIP and at most 327 s of linger (a short of ticks)."""
    darwin = {
        o.name: o for o in sockopt.options(platform="darwin") if o.level_name in ("IPPROTO_IP", "SOL_SOCKET")
    }
    with pytest.raises(TypeError):
        darwin["IP_ADD_MEMBERSHIP"].codec.encode(IpMreqn("224.0.0.1", "0.0.0.0", 1))
    assert 8 == len(darwin["IP_ADD_MEMBERSHIP"].codec.encode(IpMreq("224.0.0.1")))
    linger = darwin["SO_LINGER"].codec
    assert Linger(True, 327) == linger.decode(linger.encode(Linger(True, 327)))
    with pytest.raises(OverflowError):
        darwin["SO_LINGER"].codec.encode(Linger(True, 328))


def test_longer_answers_are_read_up_to_what_the_type_knows() -> None:
    """A tcp_info longer than TcpInfo knows (a newer kernel) decodes its known prefix."""
    c = codec("linux", "tcp_info")
    known = c.encode(TcpInfo(*range(len(TcpInfo.__attrs_attrs__))))  # distinct small values
    decoded = c.decode(known + b"\xff" * 64)
    assert c.decode(known) == decoded


@linux_only
def test_a_positive_timeout_below_a_microsecond_never_becomes_no_timeout() -> None:
    """SO_RCVTIMEO/SO_SNDTIMEO of 0 < t < 1 us is 1 us (the kernel's 0 means no timeout): a recv times out at once."""
    a, b = socket.socketpair()
    with a, b:
        for opt, name in ((sockopt.SO_RCVTIMEO, socket.SO_RCVTIMEO), (sockopt.SO_SNDTIMEO, socket.SO_SNDTIMEO)):
            opt.set(a.fileno(), 1e-7)
            assert struct.unpack("qq", a.getsockopt(socket.SOL_SOCKET, name, 16)) != (0, 0)  # the kernel rounds up to its tick
            opt.set(a.fileno(), 0.0)
            assert struct.unpack("qq", a.getsockopt(socket.SOL_SOCKET, name, 16)) == (0, 0)
        sockopt.SO_RCVTIMEO.set(a.fileno(), 1e-9)
        with pytest.raises(BlockingIOError):  # EAGAIN: timed out (the socket itself is blocking)
            os.read(a.fileno(), 1)
