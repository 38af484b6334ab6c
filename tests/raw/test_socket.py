"""Tests for the socket area of macres.raw, with the stdlib socket module as the oracle."""

from __future__ import annotations

import array
import errno
import ipaddress
import os
import pathlib
import socket
import stat
import struct
from collections.abc import Iterator

import pytest
from _support import blocked_in_kernel, needs_proc_syscall, wait_until
from hypothesis import given
from hypothesis import strategies as st

from macres import raw
from macres.raw import _sockaddr

A = raw.ABI


def _has_ipv6() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


HAS_IPV6 = _has_ipv6()
FAMILIES = [
    pytest.param(socket.AF_INET, "127.0.0.1", id="ipv4"),
    pytest.param(
        socket.AF_INET6, "::1", id="ipv6", marks=pytest.mark.skipif(not HAS_IPV6, reason="no IPv6 loopback")
    ),
]


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected AF_UNIX stream pair made by the stdlib."""
    a, b = socket.socketpair()
    with a, b:
        yield a, b


@pytest.fixture
def fds() -> Iterator[list[int]]:
    """Raw descriptors a test opens; closed afterwards."""
    opened: list[int] = []
    yield opened
    for fd in opened:
        try:
            os.close(fd)
        except OSError:
            pass


def _stdlib(fd: int) -> socket.socket:
    """A stdlib socket over a duplicate of *fd* (the oracle's view of it)."""
    return socket.socket(fileno=os.dup(fd))


# -- options ------------------------------------------------------------------


def test_getsockopt_reads_int_option(pair: tuple[socket.socket, socket.socket]) -> None:
    """getsockopt fills the buffer with SO_TYPE and returns the C int's length."""
    a, _ = pair
    buf = bytearray(4)
    assert raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_TYPE, buf) == 4
    assert struct.unpack("i", buf)[0] == a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)


def test_getsockopt_large_buffer_reports_real_length(pair: tuple[socket.socket, socket.socket]) -> None:
    """A buffer larger than the value gets the value's length back, not the buffer's."""
    a, _ = pair
    buf = bytearray(64)
    assert raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_RCVBUF, buf) == 4


def test_setsockopt_is_seen_by_stdlib(pair: tuple[socket.socket, socket.socket]) -> None:
    """setsockopt(SO_KEEPALIVE) is what the stdlib reads back."""
    a, _ = pair
    raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, struct.pack("i", 1))
    assert a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, bytearray(struct.pack("i", 0)))
    assert a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0


def test_sockopt_fast_path_never_closes_or_changes_the_descriptor(pair: tuple[socket.socket, socket.socket]) -> None:
    """The stdlib socket objects behind getsockopt/setsockopt own nothing: dropping them leaves the fd open and blocking."""
    import gc

    from macres.raw import _socket as raw_socket

    a, _ = pair
    fd = a.fileno()
    raw.getsockopt(fd, socket.SOL_SOCKET, socket.SO_TYPE, bytearray(4))
    raw.setsockopt(fd, socket.SOL_SOCKET, socket.SO_KEEPALIVE, struct.pack("i", 1))
    raw_socket._BORROWED.pop(fd, None)
    gc.collect()
    assert stat.S_ISSOCK(os.fstat(fd).st_mode)
    assert os.get_blocking(fd)
    assert a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    r, w = os.pipe()  # a descriptor that is no socket: ENOTSOCK, as from ctypes
    try:
        with pytest.raises(OSError) as info:
            raw.getsockopt(r, socket.SOL_SOCKET, socket.SO_TYPE, bytearray(4))
        assert info.value.errno == errno.ENOTSOCK
    finally:
        raw_socket._BORROWED.pop(r, None)
        os.close(r)
        os.close(w)


def test_sockopt_errors(pair: tuple[socket.socket, socket.socket]) -> None:
    """Unknown options, read-only buffers and out-of-range ints get the documented errors."""
    a, _ = pair
    with pytest.raises(OSError) as info:
        raw.getsockopt(a.fileno(), socket.SOL_SOCKET, 99999, bytearray(4))
    assert info.value.errno == errno.ENOPROTOOPT
    with pytest.raises(TypeError):
        raw.getsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_TYPE, b"1234")
    with pytest.raises(OverflowError):
        raw.setsockopt(2**32, socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"\0\0\0\0")
    with pytest.raises(OSError) as info:
        raw.setsockopt(a.fileno(), socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"")
    assert info.value.errno == errno.EINVAL


# -- creation -------------------------------------------------------------------


def test_socket_creates_what_it_was_asked(fds: list[int]) -> None:
    """socket() returns a socket descriptor of the requested family and type, inheritable as in C."""
    fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM, 0)
    fds.append(fd)
    assert stat.S_ISSOCK(os.fstat(fd).st_mode)
    assert os.get_inheritable(fd)
    with _stdlib(fd) as s:
        assert s.family == socket.AF_INET and s.type == socket.SOCK_DGRAM


def test_socket_cloexec_flag_is_honoured(fds: list[int]) -> None:
    """SOCK_CLOEXEC passed in the type makes a non-inheritable descriptor (Linux)."""
    fd = raw.socket(socket.AF_UNIX, socket.SOCK_STREAM | A.ATOMIC_SOCK_CLOEXEC)
    fds.append(fd)
    assert not os.get_inheritable(fd)


def test_socket_errors() -> None:
    """A family the kernel lacks is EAFNOSUPPORT; out-of-range ints OverflowError."""
    with pytest.raises(OSError) as info:
        raw.socket(4000, socket.SOCK_STREAM)
    assert info.value.errno == errno.EAFNOSUPPORT
    with pytest.raises(OverflowError):
        raw.socket(socket.AF_INET, 2**31)
    with pytest.raises(OSError) as info:
        raw.socketpair(socket.AF_INET, socket.SOCK_STREAM)
    assert info.value.errno == errno.EOPNOTSUPP


def test_socketpair_is_connected(fds: list[int]) -> None:
    """socketpair() returns two connected ends: bytes written to one arrive at the other."""
    a, b = raw.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    fds += [a, b]
    os.write(a, b"ping")
    assert os.read(b, 10) == b"ping"
    os.write(b, b"pong")
    assert os.read(a, 10) == b"pong"
    assert raw.getsockname(a) == ""
    assert raw.getpeername(a) == ""


# -- TCP / UDP over loopback --------------------------------------------------------


@pytest.mark.parametrize(("family", "host"), FAMILIES)
def test_tcp_connect_accept(fds: list[int], family: int, host: str) -> None:
    """bind/listen/connect/accept over loopback; names agree with the stdlib's view."""
    ls = raw.socket(family, socket.SOCK_STREAM)
    fds.append(ls)
    raw.bind(ls, family, (host, 0))
    raw.listen(ls, 8)
    addr = raw.getsockname(ls)
    with _stdlib(ls) as oracle:
        assert addr == oracle.getsockname()
    c = raw.socket(family, socket.SOCK_STREAM)
    fds.append(c)
    assert isinstance(addr, tuple)
    raw.connect(c, family, addr)
    s, peer = raw.accept(ls)
    fds.append(s)
    assert peer == raw.getsockname(c) == raw.getpeername(s)
    assert raw.getpeername(c) == addr
    with _stdlib(s) as oracle:
        assert oracle.getpeername() == peer
    assert raw.sendto(c, b"hello") == 5
    buf = bytearray(16)
    n, who = raw.recvfrom(s, buf)
    assert (n, bytes(buf[:n])) == (5, b"hello")
    assert who is None  # a connected stream reports no sender
    raw.shutdown(c, socket.SHUT_WR)
    assert raw.recvfrom(s, buf)[0] == 0


@pytest.mark.parametrize(("family", "host"), FAMILIES)
def test_udp_sendto_recvfrom(fds: list[int], family: int, host: str) -> None:
    """sendto/recvfrom carry datagrams with the sender's address, checked with the stdlib."""
    with socket.socket(family, socket.SOCK_DGRAM) as peer:
        peer.bind((host, 0))
        fd = raw.socket(family, socket.SOCK_DGRAM)
        fds.append(fd)
        raw.bind(fd, family, (host, 0))
        me = raw.getsockname(fd)
        assert raw.sendto(fd, memoryview(b"datagram"), 0, family, peer.getsockname()) == 8
        data, sender = peer.recvfrom(64)
        assert data == b"datagram" and sender == me
        peer.sendto(b"reply", me)
        buf = bytearray(64)
        n, sender = raw.recvfrom(fd, buf, 0, 3)
        assert bytes(buf[:n]) == b"rep"  # nbytes limits the read, the rest of the datagram is dropped
        assert sender == peer.getsockname()


def test_connect_unspec_dissolves_association(fds: list[int]) -> None:
    """connect(AF_UNSPEC, None) on a UDP socket forgets its peer."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind(("127.0.0.1", 0))
        fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
        fds.append(fd)
        raw.connect(fd, socket.AF_INET, peer.getsockname())
        assert raw.getpeername(fd) == peer.getsockname()
        raw.connect(fd, socket.AF_UNSPEC, None)
        with pytest.raises(OSError) as info:
            raw.getpeername(fd)
        assert info.value.errno == errno.ENOTCONN


def test_connect_refused(fds: list[int]) -> None:
    """connect to a closed loopback port raises ConnectionRefusedError."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        addr = probe.getsockname()
    fd = raw.socket(socket.AF_INET, socket.SOCK_STREAM)
    fds.append(fd)
    with pytest.raises(ConnectionRefusedError):
        raw.connect(fd, socket.AF_INET, addr)


def test_nonblocking_accept_and_recv(fds: list[int]) -> None:
    """A non-blocking accept or recvfrom with nothing pending raises BlockingIOError."""
    ls = raw.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
    fds.append(ls)
    raw.bind(ls, socket.AF_INET, ("127.0.0.1", 0))
    raw.listen(ls, 1)
    with pytest.raises(BlockingIOError):
        raw.accept(ls)
    a, b = raw.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    fds += [a, b]
    with pytest.raises(BlockingIOError):
        raw.recvfrom(a, bytearray(4), socket.MSG_DONTWAIT)


def test_listen_and_shutdown_errors(fds: list[int]) -> None:
    """listen on a datagram socket and shutdown of an unconnected one fail with their errnos."""
    fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
    fds.append(fd)
    with pytest.raises(OSError) as info:
        raw.listen(fd, 1)
    assert info.value.errno == errno.EOPNOTSUPP
    s = raw.socket(socket.AF_INET, socket.SOCK_STREAM)
    fds.append(s)
    with pytest.raises(OSError) as info:
        raw.shutdown(s, socket.SHUT_RDWR)
    assert info.value.errno == errno.ENOTCONN
    with pytest.raises(OSError) as info:
        raw.getpeername(s)
    assert info.value.errno == errno.ENOTCONN


def test_bind_in_use(fds: list[int]) -> None:
    """Binding a port another socket holds raises EADDRINUSE."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        fd = raw.socket(socket.AF_INET, socket.SOCK_STREAM)
        fds.append(fd)
        with pytest.raises(OSError) as info:
            raw.bind(fd, socket.AF_INET, holder.getsockname())
        assert info.value.errno == errno.EADDRINUSE


# -- AF_UNIX --------------------------------------------------------------------------


def test_unix_path_bind_connect(fds: list[int], tmp_path: pathlib.Path) -> None:
    """A path-named AF_UNIX socket: the file appears, names decode as str like the stdlib's."""
    path = tmp_path / "sock"
    ls = raw.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    fds.append(ls)
    raw.bind(ls, socket.AF_UNIX, path)
    assert stat.S_ISSOCK(os.stat(path).st_mode)
    raw.listen(ls, 1)
    assert raw.getsockname(ls) == str(path)
    with _stdlib(ls) as oracle:
        assert oracle.getsockname() == str(path)
    c = raw.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    fds.append(c)
    raw.connect(c, socket.AF_UNIX, os.fsencode(path))
    s, peer = raw.accept(ls)
    fds.append(s)
    assert peer == ""  # the client is unnamed
    assert raw.getpeername(c) == str(path)


@pytest.mark.skipif(not A.UNIX_ABSTRACT_NAMES, reason="abstract names are Linux-only")
def test_unix_abstract_names(fds: list[int]) -> None:
    """Abstract names (leading NUL) bind without a file and decode as bytes, as in the stdlib."""
    name = b"\0macres-test-" + os.urandom(6).hex().encode()
    fd = raw.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    fds.append(fd)
    raw.bind(fd, socket.AF_UNIX, name)
    assert raw.getsockname(fd) == name
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as peer:
        peer.sendto(b"abstract", name.decode())
        buf = bytearray(16)
        n, sender = raw.recvfrom(fd, buf)
        assert bytes(buf[:n]) == b"abstract"
        assert sender is None  # an unnamed sender: the stdlib says None too
        peer.bind(name + b"-peer")
        peer.sendto(b"named", name)
        n, sender = raw.recvfrom(fd, buf)
        assert bytes(buf[:n]) == b"named"
        assert sender == peer.getsockname() == name + b"-peer"


@pytest.mark.skipif(not A.UNIX_ABSTRACT_NAMES, reason="autobind is Linux-only")
def test_unix_autobind(fds: list[int]) -> None:
    """Binding "" autobinds to an abstract name on Linux, which the stdlib sees too."""
    fd = raw.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    fds.append(fd)
    raw.bind(fd, socket.AF_UNIX, "")
    name = raw.getsockname(fd)
    assert isinstance(name, bytes) and name.startswith(b"\0") and len(name) > 1
    with _stdlib(fd) as oracle:
        assert oracle.getsockname() == name


def test_netlink_takes_and_gives_the_stdlib_form(fds: list[int]) -> None:
    """AF_NETLINK: bind((pid, groups)) works, getsockname gives (pid, groups) as the stdlib; the bytes form still binds."""
    fd = raw.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    fds.append(fd)
    raw.bind(fd, socket.AF_NETLINK, (0, 0))
    name = raw.getsockname(fd)
    with _stdlib(fd) as oracle:
        assert name == oracle.getsockname()
    assert isinstance(name, tuple) and name[0] > 0 and name[1] == 0  # the kernel gave a port id
    fd2 = raw.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    fds.append(fd2)
    raw.bind(fd2, socket.AF_NETLINK, struct.pack("=HHII", socket.AF_NETLINK, 0, 0, 0))
    assert raw.address_family(raw.encode_sockaddr(socket.AF_NETLINK, (1, 2))) == socket.AF_NETLINK
    with pytest.raises(TypeError, match="AF_NETLINK"):
        raw.bind(fd2, socket.AF_NETLINK, (0,))  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match="groups"):
        raw.encode_sockaddr(socket.AF_NETLINK, (0, 2**32))


def test_unknown_family_passes_sockaddr_bytes() -> None:
    """A family without a Python form in the stdlib (AF_APPLETALK) is the sockaddr's bytes both ways."""
    sa = struct.pack("=H14s", socket.AF_APPLETALK, b"\1\2\3")
    assert raw.decode_sockaddr(sa) == sa
    assert raw.encode_sockaddr(socket.AF_APPLETALK, sa) == sa
    with pytest.raises(TypeError):
        raw.encode_sockaddr(socket.AF_APPLETALK, (1, 2))  # type: ignore[arg-type]


#: Families the stdlib knows, in its forms, and the uapi struct each must become (packed by hand here).
_UAPI_FORMS = [
    pytest.param(
        "AF_VSOCK", (3, 1234), struct.pack("=HHIIB3x", 40, 0, 1234, 3, 0), (3, 1234), id="vsock"
    ),
    pytest.param(
        "AF_QIPCRTR", (7, 9), struct.pack("=HxxII", 42, 7, 9), (7, 9), id="qipcrtr"
    ),
    pytest.param(  # nameseq: type, lower, upper; scope defaults to TIPC_CLUSTER_SCOPE
        "AF_TIPC", (1, 100, 2, 3), struct.pack("=HBBIII", 30, 1, 2, 100, 2, 3), (1, 100, 2, 3, 2), id="tipc-nameseq"
    ),
    pytest.param(  # name: type, instance, domain (v3 ignored); decoded with the instance twice
        "AF_TIPC", (2, 100, 5, 9, 3), struct.pack("=HBBIII", 30, 2, 3, 100, 5, 0), (2, 100, 5, 5, 3), id="tipc-name"
    ),
    pytest.param(  # id: ref, node (v1 is the node)
        "AF_TIPC", (3, 11, 22, 0, 1), struct.pack("=HBBIII", 30, 3, 1, 22, 11, 0), (3, 11, 22, 0, 1), id="tipc-id"
    ),
    pytest.param(
        "AF_ALG", ("hash", "sha256"), struct.pack("=H14sII64s", 38, b"hash", 0, 0, b"sha256"),
        ("hash", "sha256", 0, 0), id="alg",
    ),
    pytest.param(
        "AF_ALG", ("skcipher", "cbc(aes)", 1, 2**31), struct.pack("=H14sII64s", 38, b"skcipher", 1, 2**31, b"cbc(aes)"),
        ("skcipher", "cbc(aes)", 1, 2**31), id="alg-feat-mask",
    ),
]  # fmt: skip


@pytest.mark.skipif(raw.SYSTEM != "linux", reason="Linux address families")
@pytest.mark.parametrize(("family", "address", "packed", "decoded"), _UAPI_FORMS)
def test_linux_family_forms_are_the_uapi_structs(family: str, address: object, packed: bytes, decoded: object) -> None:
    """The stdlib's address forms of the families this kernel may lack encode to the uapi struct and back."""
    number = getattr(socket, family)
    assert raw.encode_sockaddr(number, address) == packed  # type: ignore[arg-type]
    assert raw.decode_sockaddr(packed) == decoded
    assert raw.encode_sockaddr(number, decoded) == packed or family == "AF_TIPC"  # type: ignore[arg-type]


@pytest.mark.skipif(raw.SYSTEM != "linux", reason="Linux address families")
@pytest.mark.parametrize(
    ("family", "address", "error"),
    [
        ("AF_VSOCK", [1, 2], TypeError),
        ("AF_VSOCK", (1, -2), OverflowError),
        ("AF_TIPC", (4, 1, 2, 3), ValueError),
        ("AF_TIPC", (1, 2, 3), TypeError),
        ("AF_ALG", ("hash", "x" * 64), ValueError),
        ("AF_ALG", ("h" * 14, "sha1"), ValueError),
        ("AF_ALG", ("hash", "sha\0"), ValueError),
        ("AF_ALG", (b"hash", "sha1"), TypeError),
        ("AF_PACKET", ("lo", 0x10000), OverflowError),
        ("AF_PACKET", ("lo", 0, 0, 0, b"123456789"), ValueError),
        ("AF_PACKET", (1, 0), TypeError),
        ("AF_PACKET", ("no-such-interface0", 0), OSError),
    ],
)
def test_linux_family_forms_are_checked_before_any_call(family: str, address: object, error: type[Exception]) -> None:
    """A malformed address of a known family raises before any call, naming what is wrong."""
    with pytest.raises(error):
        raw.encode_sockaddr(getattr(socket, family), address)  # type: ignore[arg-type]


# -- sendmsg / recvmsg ------------------------------------------------------------------


def test_cmsg_macros_match_stdlib() -> None:
    """CMSG_LEN/CMSG_SPACE agree with the stdlib's (which are the C macros)."""
    for n in (0, 1, 3, 4, 5, 8, 12, 100, 4096):
        assert raw.CMSG_LEN(n) == socket.CMSG_LEN(n)
        assert raw.CMSG_SPACE(n) == socket.CMSG_SPACE(n)
    with pytest.raises(ValueError):
        raw.CMSG_LEN(-1)
    with pytest.raises(OverflowError):
        raw.CMSG_SPACE(2**40)


def test_sendmsg_gathers_and_passes_fds(fds: list[int], pair: tuple[socket.socket, socket.socket]) -> None:
    """raw.sendmsg with SCM_RIGHTS: the stdlib receiver gets the data and working descriptors."""
    a, b = pair
    r, w = os.pipe()
    fds += [r, w]
    n = raw.sendmsg(a.fileno(), [b"ab", bytearray(b"cd"), memoryview(b"ef")],
                    [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r, w]))])
    assert n == 6
    data, anc, flags, _ = b.recvmsg(16, socket.CMSG_SPACE(8))
    assert data == b"abcdef" and flags == 0
    [(level, kind, payload)] = anc
    assert (level, kind) == (socket.SOL_SOCKET, socket.SCM_RIGHTS)
    got = array.array("i", payload)
    fds += list(got)
    assert len(got) == 2
    os.write(got[1], b"via passed fd")
    assert os.read(r, 64) == b"via passed fd"


def test_recvmsg_receives_fds_from_stdlib(fds: list[int], pair: tuple[socket.socket, socket.socket]) -> None:
    """raw.recvmsg scatters data and returns the SCM_RIGHTS payload the stdlib sent."""
    a, b = pair
    r, w = os.pipe()
    fds += [r, w]
    a.sendmsg([b"hello world"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [w]))])
    bufs = [bytearray(5), bytearray(20)]
    n, anc, flags, address = raw.recvmsg(b.fileno(), bufs, raw.CMSG_SPACE(4), A.ATOMIC_MSG_CMSG_CLOEXEC)
    received = [fd for _, _, data in anc for fd in array.array("i", data)]
    fds += received
    assert n == 11 and bytes(bufs[0]) + bytes(bufs[1][:6]) == b"hello world"
    assert flags & ~A.ATOMIC_MSG_CMSG_CLOEXEC == 0 and address is None
    [(level, kind, payload)] = anc
    assert (level, kind) == (socket.SOL_SOCKET, socket.SCM_RIGHTS)
    [got] = received
    assert got not in (r, w)
    assert not os.get_inheritable(got) or not A.ATOMIC_MSG_CMSG_CLOEXEC
    os.write(got, b"x")
    assert os.read(r, 1) == b"x"


def test_recvmsg_control_truncated(fds: list[int], pair: tuple[socket.socket, socket.socket]) -> None:
    """A control buffer too small for every fd sets MSG_CTRUNC and returns only whole entries."""
    a, b = pair
    r, w = os.pipe()
    fds += [r, w]
    raw.sendmsg(a.fileno(), [b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r, w, r, w]))])
    n, anc, flags, _ = raw.recvmsg(b.fileno(), [bytearray(1)], raw.CMSG_SPACE(4))
    assert n == 1 and flags & socket.MSG_CTRUNC
    got = [fd for _, _, data in anc for fd in array.array("i", data[: len(data) // 4 * 4])]
    fds += got
    assert 1 <= len(got) <= 2  # the kernel closed the ones that did not fit


def test_recvmsg_datagram_sender_and_trunc(fds: list[int]) -> None:
    """recvmsg on UDP reports the sender and MSG_TRUNC for a datagram bigger than the buffers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind(("127.0.0.1", 0))
        fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
        fds.append(fd)
        raw.bind(fd, socket.AF_INET, ("127.0.0.1", 0))
        raw.sendmsg(fd, [b"to ", b"peer"], (), 0, socket.AF_INET, peer.getsockname())
        assert peer.recvfrom(16) == (b"to peer", raw.getsockname(fd))
        peer.sendto(b"0123456789", raw.getsockname(fd))
        buf = bytearray(4)
        n, anc, flags, sender = raw.recvmsg(fd, [buf])
        assert (n, bytes(buf), anc) == (4, b"0123", [])
        assert flags & socket.MSG_TRUNC
        assert sender == peer.getsockname()


def test_sendmsg_bad_input_is_refused_before_the_call(pair: tuple[socket.socket, socket.socket]) -> None:
    """Malformed ancillary items, read-only receive buffers and bad sizes raise before any call."""
    a, b = pair
    with pytest.raises(TypeError):
        raw.sendmsg(a.fileno(), [b"x"], [(1, 2)])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        raw.sendmsg(a.fileno(), [b"x"], [(1, 2, "text")])  # type: ignore[list-item]
    with pytest.raises(OverflowError):
        raw.sendmsg(a.fileno(), [b"x"], [(2**31, 2, b"")])
    with pytest.raises(TypeError):
        raw.recvmsg(b.fileno(), [b"read-only"])
    with pytest.raises(ValueError):
        raw.recvmsg(b.fileno(), [bytearray(1)], -1)
    with pytest.raises(TypeError):
        raw.sendmsg(a.fileno(), [b"x"], (), 0, socket.AF_INET, "not a tuple")
    a.setblocking(False)
    b.setblocking(False)
    with pytest.raises(BlockingIOError):  # nothing was sent by the refused calls
        b.recv(1)


def test_sendmsg_bad_fd_in_rights(pair: tuple[socket.socket, socket.socket], fds: list[int]) -> None:
    """A closed descriptor in SCM_RIGHTS makes the kernel refuse with EBADF."""
    a, _ = pair
    r, w = os.pipe()
    os.close(r)
    fds.append(w)
    with pytest.raises(OSError) as info:
        raw.sendmsg(a.fileno(), [b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
    assert info.value.errno == errno.EBADF


# -- addresses: encode/decode ------------------------------------------------------------

ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
ports = st.integers(0, 65535)


def _in(packed_host: bytes, port: int) -> bytes:
    body = struct.pack("!H4s8x", port, packed_host)
    return (struct.pack("BB", 16, socket.AF_INET) if A.HAS_SA_LEN else struct.pack("=H", socket.AF_INET)) + body


@given(ipv4, ports)
def test_inet_round_trip(host: str, port: int) -> None:
    """(host, port) encodes to the sockaddr_in C would build and decodes back unchanged."""
    data = raw.encode_sockaddr(socket.AF_INET, (host, port))
    assert data == _in(socket.inet_aton(host), port)
    assert raw.decode_sockaddr(data) == (host, port)


@given(ipv6, ports, st.integers(0, 2**20 - 1), st.integers(0, 2**32 - 1))
def test_inet6_round_trip(host: str, port: int, flowinfo: int, scope_id: int) -> None:
    """(host, port, flowinfo, scope_id) survives encode -> decode, host in canonical form."""
    data = raw.encode_sockaddr(socket.AF_INET6, (host, port, flowinfo, scope_id))
    assert len(data) == 28
    got = raw.decode_sockaddr(data)
    assert isinstance(got, tuple) and len(got) == 4
    assert ipaddress.IPv6Address(got[0]) == ipaddress.IPv6Address(host)
    assert got[0] == socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, host))
    assert got[1:] == (port, flowinfo, scope_id)
    assert raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET6, (host, port))) == (got[0], port, 0, 0)


@given(st.binary(min_size=1, max_size=A.CSockaddrUn.sun_path.size).filter(lambda b: b"\0" not in b))
def test_unix_path_round_trip(path: bytes) -> None:
    """A filesystem path encodes without a NUL and decodes back as the fs-decoded str."""
    data = raw.encode_sockaddr(socket.AF_UNIX, path)
    assert len(data) == A.CSockaddrUn.sun_path.offset + len(path)
    assert raw.decode_sockaddr(data) == os.fsdecode(path)
    assert raw.encode_sockaddr(socket.AF_UNIX, os.fsdecode(path)) == data


@pytest.mark.skipif(not A.UNIX_ABSTRACT_NAMES, reason="abstract names are Linux-only")
@given(st.binary(max_size=A.CSockaddrUn.sun_path.size - 1))
def test_unix_abstract_round_trip(name: bytes) -> None:
    """An abstract name (any bytes after a NUL) decodes back as the same bytes."""
    data = raw.encode_sockaddr(socket.AF_UNIX, b"\0" + name)
    assert raw.decode_sockaddr(data) == b"\0" + name


def test_unix_unnamed_round_trip() -> None:
    """"" is the unnamed address: just the family, decoded back as ""."""
    data = raw.encode_sockaddr(socket.AF_UNIX, "")
    assert len(data) == A.CSockaddrUn.sun_path.offset
    assert raw.decode_sockaddr(data) == ""
    assert raw.decode_sockaddr(b"") is None


def test_special_ipv4_hosts() -> None:
    """"" is INADDR_ANY and "<broadcast>" INADDR_BROADCAST, as in the stdlib."""
    assert raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET, ("", 80))) == ("0.0.0.0", 80)
    assert raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET, ("<broadcast>", 1))) == ("255.255.255.255", 1)
    assert raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET6, ("", 80))) == ("::", 80, 0, 0)


def test_ipv6_scope_suffix() -> None:
    """A %scope suffix gives the scope id when the tuple's is 0; a loopback name works too."""
    got = raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET6, ("fe80::1%7", 1)))
    assert got == ("fe80::1", 1, 0, 7)
    got = raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET6, ("fe80::1%7", 1, 0, 9)))
    assert got == ("fe80::1", 1, 0, 9)
    lo = socket.if_nameindex()[0]
    got = raw.decode_sockaddr(raw.encode_sockaddr(socket.AF_INET6, (f"fe80::1%{lo[1]}", 1)))
    assert got == ("fe80::1", 1, 0, lo[0])
    with pytest.raises(ValueError):
        raw.encode_sockaddr(socket.AF_INET6, ("fe80::1%no-such-interface0", 1))
    with pytest.raises(ValueError):
        raw.encode_sockaddr(socket.AF_INET6, ("fe80::1%", 1))


BAD_ADDRESSES: list[tuple[int, object, type[Exception]]] = [
    (socket.AF_INET, ("localhost", 80), ValueError),  # names are not resolved
    (socket.AF_INET, ("127.1", 80), ValueError),
    (socket.AF_INET, ("::1", 80), ValueError),
    (socket.AF_INET, ("1.2.3.4\0", 80), ValueError),
    (socket.AF_INET, ["127.0.0.1", 80], TypeError),
    (socket.AF_INET, ("127.0.0.1",), TypeError),
    (socket.AF_INET, ("127.0.0.1", 80, 0, 0), TypeError),
    (socket.AF_INET, (b"127.0.0.1", 80), TypeError),
    (socket.AF_INET, ("127.0.0.1", "80"), TypeError),
    (socket.AF_INET, ("127.0.0.1", 80.0), TypeError),
    (socket.AF_INET, ("127.0.0.1", 65536), OverflowError),
    (socket.AF_INET, ("127.0.0.1", -1), OverflowError),
    (socket.AF_INET, "127.0.0.1:80", TypeError),
    (socket.AF_INET, None, TypeError),
    (socket.AF_INET6, ("127.0.0.1", 80), ValueError),
    (socket.AF_INET6, ("ip6-localhost", 80), ValueError),
    (socket.AF_INET6, ("::1", 80, 2**20), OverflowError),
    (socket.AF_INET6, ("::1", 80, 0, 2**32), OverflowError),
    (socket.AF_INET6, ("::1", 80, 0, 0, 0), TypeError),
    (socket.AF_UNIX, "x" * 200, ValueError),
    (socket.AF_UNIX, "a\0b", ValueError),
    (socket.AF_UNIX, 7, TypeError),
    (socket.AF_UNIX, ("path", 0), TypeError),
    (socket.AF_UNSPEC, ("127.0.0.1", 80), TypeError),
    (socket.AF_NETLINK, ("x", 1), TypeError),
    (socket.AF_NETLINK, b"\x01", ValueError),
    (socket.AF_NETLINK, struct.pack("=HHII", socket.AF_INET, 0, 0, 0), ValueError),
    (2**20, b"", OverflowError),
]


@pytest.mark.parametrize(("family", "address", "error"), BAD_ADDRESSES)
def test_bad_addresses_raise_before_the_call(
    fds: list[int], family: int, address: object, error: type[Exception]
) -> None:
    """Every malformed address gets its documented error and never reaches the kernel."""
    with pytest.raises(error):
        raw.encode_sockaddr(family, address)  # type: ignore[arg-type]
    fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
    os.close(fd)  # a closed number: a call that reached the kernel would say EBADF
    calls = [
        lambda: raw.bind(fd, family, address),  # type: ignore[arg-type]
        lambda: raw.connect(fd, family, address),  # type: ignore[arg-type]
    ]
    if address is not None:  # None is "no destination" for sendto/sendmsg
        calls.append(lambda: raw.sendto(fd, b"x", 0, family, address))  # type: ignore[arg-type]
        calls.append(lambda: raw.sendmsg(fd, [b"x"], (), 0, family, address))  # type: ignore[arg-type]
    for call in calls:
        with pytest.raises(error) as info:
            call()
        assert not isinstance(info.value, OSError)


@given(
    st.sampled_from([socket.AF_INET, socket.AF_INET6, socket.AF_UNIX]),
    st.one_of(
        st.none(), st.integers(), st.floats(), st.text(max_size=300), st.binary(max_size=300),
        st.tuples(st.text(max_size=50), st.integers()),
        st.tuples(st.text(max_size=50), st.integers(), st.integers(), st.integers()),
        st.lists(st.integers(), max_size=4).map(tuple),
    ),
)
def test_arbitrary_addresses_encode_or_raise_documented(family: int, address: object) -> None:
    """Any input either encodes to a decodable sockaddr or raises TypeError/ValueError/OverflowError."""
    try:
        data = raw.encode_sockaddr(family, address)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as e:
        assert not isinstance(e, OSError)
        return
    assert len(data) <= A.CSockaddrUn.sun_path.offset + A.CSockaddrUn.sun_path.size or family != socket.AF_UNIX
    decoded = raw.decode_sockaddr(data)
    assert decoded is not None
    assert raw.encode_sockaddr(family, decoded) == data or family == socket.AF_UNIX


@given(st.binary(max_size=_sockaddr.STORAGE_SIZE))
def test_decode_arbitrary_bytes_never_overruns(data: bytes) -> None:
    """Decoding any sockaddr bytes returns a value (or None for none) without reading past them."""
    got = raw.decode_sockaddr(data)
    assert got is None if not data else got is not None
    if isinstance(got, bytes) and got[:1] != b"\0":
        assert got == data


def test_decode_refuses_oversized() -> None:
    """More bytes than a sockaddr_storage is a ValueError."""
    with pytest.raises(ValueError):
        raw.decode_sockaddr(bytes(_sockaddr.STORAGE_SIZE + 1))


# -- bad descriptors and integers ------------------------------------------------------------

_CALLS = {
    "socket": lambda fd: raw.socket(socket.AF_INET, socket.SOCK_STREAM, fd),
    "bind": lambda fd: raw.bind(fd, socket.AF_INET, ("127.0.0.1", 0)),
    "connect": lambda fd: raw.connect(fd, socket.AF_INET, ("127.0.0.1", 9)),
    "accept": lambda fd: raw.accept(fd),
    "listen": lambda fd: raw.listen(fd, 1),
    "shutdown": lambda fd: raw.shutdown(fd, socket.SHUT_RDWR),
    "getsockname": lambda fd: raw.getsockname(fd),
    "getpeername": lambda fd: raw.getpeername(fd),
    "getsockopt": lambda fd: raw.getsockopt(fd, socket.SOL_SOCKET, socket.SO_TYPE, bytearray(4)),
    "setsockopt": lambda fd: raw.setsockopt(fd, socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"\0\0\0\0"),
    "recvfrom": lambda fd: raw.recvfrom(fd, bytearray(4)),
    "sendto": lambda fd: raw.sendto(fd, b"x"),
    "recvmsg": lambda fd: raw.recvmsg(fd, [bytearray(4)], 16),
    "sendmsg": lambda fd: raw.sendmsg(fd, [b"x"]),
}


@given(st.sampled_from(sorted(_CALLS)), st.one_of(st.integers(max_value=-(2**31) - 1), st.integers(min_value=2**31)))
def test_out_of_range_ints_raise_overflow(name: str, value: int) -> None:
    """A descriptor (or protocol) that ctypes would truncate raises OverflowError, never a call."""
    with pytest.raises(OverflowError):
        _CALLS[name](value)


@pytest.mark.parametrize("name", sorted(set(_CALLS) - {"socket"}))
def test_closed_descriptor_is_ebadf(name: str) -> None:
    """Every socket binding on a closed number reaches the kernel and reports EBADF."""
    fd = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
    os.close(fd)
    with pytest.raises(OSError) as info:
        _CALLS[name](fd)
    assert info.value.errno == errno.EBADF


@pytest.mark.parametrize("name", sorted(set(_CALLS) - {"socket"}))
def test_non_socket_descriptor_is_enotsock(name: str, fds: list[int]) -> None:
    """Every socket binding on a pipe reports ENOTSOCK."""
    r, w = os.pipe()
    fds += [r, w]
    with pytest.raises(OSError) as info:
        _CALLS[name](r)
    assert info.value.errno == errno.ENOTSOCK


@given(st.sampled_from(["recvfrom", "recvmsg", "getsockopt"]), st.sampled_from([b"ro", memoryview(b"ro"), "text", 3]))
def test_receive_into_unwritable_is_typeerror(name: str, buf: object) -> None:
    """A read-only or non-buffer receive buffer raises TypeError before any call."""
    fd = -1  # would be EBADF if it reached the kernel
    call = {
        "recvfrom": lambda: raw.recvfrom(fd, buf),  # type: ignore[arg-type]
        "recvmsg": lambda: raw.recvmsg(fd, [buf]),  # type: ignore[list-item]
        "getsockopt": lambda: raw.getsockopt(fd, socket.SOL_SOCKET, socket.SO_TYPE, buf),  # type: ignore[arg-type]
    }[name]
    with pytest.raises(TypeError):
        call()


_FUZZ = r"""
import array, random, socket, sys
from macres import raw

rng = random.Random(int(sys.argv[1]))
pair = list(raw.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM))
udp = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
closed = raw.socket(socket.AF_INET, socket.SOCK_DGRAM)
raw.close(closed)
fds = pair + [udp, closed, -1, 2**31, -(2**63), 2**64 + 3]
families = [socket.AF_INET, socket.AF_INET6, socket.AF_UNIX, socket.AF_UNSPEC, socket.AF_NETLINK, 4000, -1, 2**40]
addresses = [None, ("127.0.0.1", 0), ("127.0.0.1", 65535), ("::1", 9, 0, 0), ("127.0.0.1", -1), ("x", 2**70),
             "", "\0abstract", "x" * 200, b"\0\1\2", bytes(200), bytearray(16), memoryview(b"ab"), 7, 1.5,
             ("127.0.0.1",), ("1.2.3.4", 1, 2, 3, 4), [1, 2], object()]
buffers = [bytearray(0), bytearray(8), bytearray(70000), b"ro", memoryview(bytearray(16))[::2],
           array.array("i", [1, 2]), "text", None, 5]
ints = [0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**64, socket.MSG_DONTWAIT, socket.MSG_PEEK | socket.MSG_DONTWAIT]
anc = [[], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [closed]))], [(1, 2)], [(1, 2, b"x" * 5000)],
       [(2**40, 1, b"")], "junk", [None]]

def pick(xs):
    return rng.choice(xs)

calls = [
    lambda: raw.bind(pick(fds), pick(families), pick(addresses)),
    lambda: raw.connect(pick(fds), pick(families), pick(addresses)),
    lambda: raw.sendto(pick(fds), pick(buffers), socket.MSG_DONTWAIT, pick(families), pick(addresses)),
    lambda: raw.recvfrom(pick(fds), pick(buffers), socket.MSG_DONTWAIT, pick([None, 0, 4, -1, 2**70])),
    lambda: raw.sendmsg(pick(fds), [pick(buffers)], pick(anc), socket.MSG_DONTWAIT, pick(families), pick(addresses)),
    lambda: raw.recvmsg(pick(fds), [pick(buffers)], pick([0, 1, 15, 64, -1, 2**40]), socket.MSG_DONTWAIT),
    lambda: raw.getsockopt(pick(fds), pick(ints), pick(ints), pick(buffers)),
    lambda: raw.setsockopt(pick(fds), socket.SOL_SOCKET, pick([socket.SO_RCVBUF, socket.SO_SNDBUF]), pick(buffers)),
    lambda: raw.getsockname(pick(fds)),
    lambda: raw.getpeername(pick(fds)),
    lambda: raw.listen(pick(fds), pick(ints)),
    lambda: raw.encode_sockaddr(pick(families), pick(addresses)),
    lambda: raw.decode_sockaddr(pick(buffers)),
    lambda: raw.CMSG_SPACE(pick(ints)),
]
for _ in range(3000):
    try:
        rng.choice(calls)()
    except (OSError, ValueError, TypeError, OverflowError, MemoryError):
        pass
print("survived")
"""


#: Sequences that change between two measurements, and the calls to feed them to (in a child).
_HOSTILE = r"""
import socket, sys
from macres import raw, Socket


class LyingLen(list):
    # len() tells the truth once, then claims 500 more items than there are.
    calls = 0

    def __len__(self):
        self.calls += 1
        return list.__len__(self) + (0 if self.calls == 1 else 500)


class GrowsAfterIteration(list):
    # Iterating yields the items, then 500 more appear (as another thread appending would).
    def __iter__(self):
        yield from list(list.__iter__(self))
        self.extend([bytearray(64)] * 500)


class FlagsThatAppend:
    # flags whose __index__ appends 500 buffers to the list while the call converts its arguments.
    target = None

    def __index__(self):
        self.target.extend([bytearray(64)] * 500)
        return 0


def hostile(kind, items):
    if kind == "index":
        return list(items)
    return {"len": LyingLen, "iter": GrowsAfterIteration}[kind](items)


def flags_for(kind, seq):
    if kind != "index":
        return 0
    flags = FlagsThatAppend()
    flags.target = seq
    return flags


layer, call, kind = sys.argv[1:4]
a, b = socket.socketpair()
if layer == "socket":
    ours, peer = Socket.pair()
    fd = None
else:
    ours, peer = None, b
if call == "send":
    seq = hostile(kind, [b"hello"])
    flags = flags_for(kind, seq)
    if layer == "raw":
        n = raw.sendmsg(a.fileno(), seq, (), flags)
        got = b.recv(4096)
    else:
        n = ours.sendmsg(seq, (), flags)
        got = peer.recv(4096)
    print(n, got, list.__len__(seq))
else:
    buf = bytearray(4)
    seq = hostile(kind, [buf])
    flags = flags_for(kind, seq)
    if layer == "raw":
        a.send(b"abcdefgh")
        n = raw.recvmsg(b.fileno(), seq, 0, flags)[0]
    else:
        peer.send(b"abcdefgh")
        n = ours.recvmsg_into(seq, 0, flags)[0]
    print(n, bytes(buf), list.__len__(seq))
"""

#: What each call must give: the data of the one buffer that was there when it was measured.
HOSTILE_EXPECTED = {"send": "5 b'hello'", "recv": "4 b'abcd'"}
#: How long the list is afterwards: the growing kinds did grow (their hook ran).
HOSTILE_LENGTH = {"len": 1, "iter": 501, "index": 501}


def run_hostile(layer: str, call: str, kind: str) -> None:
    """Run one hostile-sequence call in a child (a crash is a failure, not a suite crash); check its output."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _HOSTILE, layer, call, kind], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert proc.stdout.strip() == f"{HOSTILE_EXPECTED[call]} {HOSTILE_LENGTH[kind]}"


@pytest.mark.parametrize("kind", ["len", "iter", "index"])
@pytest.mark.parametrize("call", ["send", "recv"])
def test_sendmsg_recvmsg_measure_the_buffer_list_once(call: str, kind: str) -> None:
    """A buffer list whose len() lies, that grows after being iterated, or that a flags hook grows,
    cannot make the kernel read iovecs past the array: one snapshot is measured and used."""
    run_hostile("raw", call, kind)


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzz_in_subprocess_never_kills_the_interpreter(seed: int, tmp_path: pathlib.Path) -> None:
    """Thousands of random, mostly invalid calls (loopback and closed fds only) raise but never crash.

    The child runs in a scratch directory: a relative AF_UNIX address it binds lands there.
    """
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _FUZZ, str(seed)], capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "survived"


@needs_proc_syscall
@pytest.mark.skipif(raw.SYSTEM != "linux", reason="a full AF_UNIX backlog blocks connect on Linux")
def test_connect_interrupted_by_signals_still_connects(tmp_path: pathlib.Path, fds: list[int]) -> None:
    """A blocked AF_UNIX connect hit by a SIGALRM storm ends connected (Linux abandons it on EINTR)."""
    import signal
    import threading

    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen(0)
        fillers: list[socket.socket] = []
        try:
            for _ in range(1000):  # bounded: the backlog fills after a few
                filler = socket.socket(socket.AF_UNIX)
                fillers.append(filler)
                filler.setblocking(False)
                try:
                    filler.connect(path)
                except BlockingIOError:
                    break
            client = raw.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            fds.append(client)
            count = [0]
            accepted: list[socket.socket] = []

            def handler(signum: int, frame: object) -> None:
                count[0] += 1

            caller = threading.get_native_id()
            counted_when_blocked: list[int] = []

            def interrupted_while_blocked() -> bool:
                if not blocked_in_kernel(caller, client):
                    return False
                counted_when_blocked.append(count[0])
                return count[0] - counted_when_blocked[0] >= 2

            def unblock() -> None:
                wait_until(interrupted_while_blocked, "connect blocks and signals interrupt it")
                accepted.append(server.accept()[0])

            old = signal.signal(signal.SIGALRM, handler)
            helper = threading.Thread(target=unblock)
            helper.start()
            try:
                signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
                raw.connect(client, socket.AF_UNIX, path)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                signal.signal(signal.SIGALRM, old)
                helper.join(10)
                for conn in accepted:
                    conn.close()
            assert count[0] > 0
            assert raw.getpeername(client) == path
        finally:
            for filler in fillers:
                filler.close()
