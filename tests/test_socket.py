"""Tests for macres.Socket, with the stdlib socket module and the kernel as oracles.

All traffic stays on loopback; every loop and thread is bounded in count and time.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import errno
import fcntl
import gc
import math
import os
import pathlib
import selectors
import socket
import threading
import warnings
from collections.abc import Callable, Iterator

import pytest
from _support import needs_proc_syscall, no_warnings, wait_blocked
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import macres
from macres import ClosedResourceError, FileDescriptor, Socket, raw
from macres import socket as msocket

from ._strace import Call, kernel_calls, needs_strace
from .raw.test_socket import run_hostile
from .conftest import open_fds

JOIN = 10.0  # seconds a helper thread may take before the test fails


def _has_ipv6() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


FAMILIES = [
    pytest.param(socket.AF_INET, "127.0.0.1", id="ipv4"),
    pytest.param(
        socket.AF_INET6, "::1", id="ipv6", marks=pytest.mark.skipif(not _has_ipv6(), reason="no IPv6 loopback")
    ),
]


def cloexec(fd: int) -> bool:
    """Whether FD_CLOEXEC is set on *fd* (the kernel's answer)."""
    return bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)


def run_thread(target: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Start *target* in a daemon thread; its result or exception lands in the returned list."""
    out: list[object] = []

    def body() -> None:
        try:
            out.append(target())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out.append(exc)

    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t, out


@pytest.fixture
def tcp_pair() -> Iterator[tuple[Socket, Socket]]:
    """A connected TCP pair over 127.0.0.1: (client, server side)."""
    with Socket(socket.AF_INET, socket.SOCK_STREAM) as ls:
        ls.bind(("127.0.0.1", 0))
        ls.listen()
        c = Socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(ls.getsockname())
        s, _ = ls.accept()
    with c, s:
        yield c, s


@pytest.fixture
def unix_pair() -> Iterator[tuple[Socket, Socket]]:
    """A connected AF_UNIX stream pair."""
    a, b = Socket.pair()
    with a, b:
        yield a, b


# -- creation and the lifecycle ------------------------------------------------------


def test_new_sockets_are_cloexec(tcp_pair: tuple[Socket, Socket]) -> None:
    """Created, paired and accepted sockets are all close-on-exec."""
    c, s = tcp_pair
    assert cloexec(c.fileno()) and cloexec(s.fileno())
    a, b = Socket.pair()
    with a, b:
        assert cloexec(a.fileno()) and cloexec(b.fileno())
    with Socket(socket.AF_INET6 if _has_ipv6() else socket.AF_INET, socket.SOCK_DGRAM) as u:
        assert cloexec(u.fileno())


def test_attributes_match_stdlib(tcp_pair: tuple[Socket, Socket]) -> None:
    """family/type/proto are what the stdlib reads from the same descriptor."""
    c, _ = tcp_pair
    with socket.socket(fileno=os.dup(c.fileno())) as oracle:
        assert (c.family, c.type) == (oracle.family, oracle.type)
        assert c.proto == oracle.proto or c.proto == 0
    assert c.family == socket.AF_INET and c.type == socket.SOCK_STREAM


def test_close_is_idempotent_and_final(unix_pair: tuple[Socket, Socket]) -> None:
    """After close every operation raises ClosedResourceError; repr says [closed]."""
    a, _ = unix_pair
    fd = a.fileno()
    a.close()
    a.close()
    assert a.closed
    with pytest.raises(OSError) as info:
        os.fstat(fd)
    assert info.value.errno == errno.EBADF
    for op in (
        lambda: a.send(b"x"),
        lambda: a.recv(1),
        a.fileno,
        a.getsockname,
        lambda: a.getsockopt(msocket.SO_TYPE),
        lambda: a.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
        lambda: setattr(a, "timeout", 1.0),
        a.detach,
    ):
        with pytest.raises(ClosedResourceError):
            op()
    assert "[closed]" in repr(a)


def test_collected_socket_warns_and_closes() -> None:
    """A socket dropped while open closes its descriptor and warns ResourceWarning."""
    s = Socket(socket.AF_INET, socket.SOCK_DGRAM)
    fd = s.fileno()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del s
        gc.collect()
    assert any(issubclass(w.category, ResourceWarning) for w in caught)
    with pytest.raises(OSError):
        os.fstat(fd)


def test_repr_like_stdlib(tcp_pair: tuple[Socket, Socket]) -> None:
    """repr shows fd, family, type and both addresses, as the stdlib's does."""
    c, _ = tcp_pair
    text = repr(c)
    assert f"fd={c.fileno()}" in text
    assert f"laddr={c.getsockname()!r}" in text and f"raddr={c.getpeername()!r}" in text
    with Socket(socket.AF_INET) as unbound:
        assert "raddr" not in repr(unbound)


def test_sock_nonblock_type_flag() -> None:
    """SOCK_NONBLOCK in the type gives timeout 0.0 and is masked out of .type (Linux)."""
    if not hasattr(socket, "SOCK_NONBLOCK"):
        pytest.skip("no SOCK_NONBLOCK here")
    with Socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK) as s:
        assert s.type == socket.SOCK_STREAM
        assert s.timeout == 0.0 and not s.blocking
        assert not os.get_blocking(s.fileno())


def test_default_timeout_is_honoured() -> None:
    """New and accepted sockets start with socket.getdefaulttimeout(), as in the stdlib."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(3.5)
    try:
        with Socket() as s:
            assert s.timeout == 3.5
            assert not os.get_blocking(s.fileno())
    finally:
        socket.setdefaulttimeout(old)
    with Socket() as s:
        assert s.timeout is None and os.get_blocking(s.fileno())


# -- stream and datagram traffic ---------------------------------------------------------


@pytest.mark.parametrize(("family", "host"), FAMILIES)
def test_tcp_echo(family: int, host: str) -> None:
    """A threaded echo server over loopback returns what the client sends, both ways."""
    with Socket(family, socket.SOCK_STREAM) as ls:
        ls.bind((host, 0))
        ls.listen(1)
        ls.timeout = JOIN

        def serve() -> int:
            conn, _ = ls.accept()
            with conn:
                conn.timeout = JOIN
                total = 0
                while data := conn.recv(4096):
                    conn.sendall(data)
                    total += len(data)
                return total

        t, out = run_thread(serve)
        payload = os.urandom(100_000)
        with Socket(family, socket.SOCK_STREAM) as c:
            c.timeout = JOIN
            c.connect(ls.getsockname())
            assert c.getpeername() == ls.getsockname()
            back = bytearray()

            def drain() -> None:
                while len(back) < len(payload):
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    back.extend(chunk)

            reader, rout = run_thread(drain)
            c.sendall(payload)
            reader.join(JOIN)
            assert not reader.is_alive() and rout == [None]
            c.shutdown(socket.SHUT_WR)
            assert bytes(back) == payload
        t.join(JOIN)
        assert out == [len(payload)]


@pytest.mark.parametrize(("family", "host"), FAMILIES)
def test_udp_sendto_recvfrom(family: int, host: str) -> None:
    """Datagrams between a Socket and a stdlib socket carry the right sender addresses."""
    with Socket(family, socket.SOCK_DGRAM) as u, socket.socket(family, socket.SOCK_DGRAM) as peer:
        u.bind((host, 0))
        peer.bind((host, 0))
        u.timeout = peer_timeout = JOIN
        peer.settimeout(peer_timeout)
        assert u.sendto(b"one", peer.getsockname()) == 3
        assert u.sendto(b"two", 0, peer.getsockname()) == 3
        assert peer.recvfrom(16) == (b"one", u.getsockname())
        assert peer.recvfrom(16) == (b"two", u.getsockname())
        peer.sendto(b"reply", u.getsockname())
        assert u.recvfrom(16) == (b"reply", peer.getsockname())
        peer.sendto(b"into", u.getsockname())
        buf = bytearray(8)
        assert u.recvfrom_into(buf) == (4, peer.getsockname())
        assert bytes(buf[:4]) == b"into"


def test_unix_pair_stream_and_datagram() -> None:
    """Socket.pair moves bytes both ways for stream and datagram types; names are unnamed."""
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        a, b = Socket.pair(socket.AF_UNIX, kind)
        with a, b:
            assert a.send(b"ping") == 4
            assert b.recv(10) == b"ping"
            buf = bytearray(10)
            b.send(memoryview(b"pong"))
            assert a.recv_into(buf, 2) == 2 and bytes(buf[:2]) == b"po"
            assert a.getsockname() == "" and a.type == kind and a.family == socket.AF_UNIX


def test_zero_length_datagram_is_consumed() -> None:
    """recv on a datagram socket consumes an empty datagram (read(2) would leave it pending)."""
    a, b = Socket.pair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b:
        b.timeout = JOIN
        a.send(b"")
        a.send(b"next")
        assert b.recv(16) == b""
        assert b.recv(16) == b"next"


def test_recv_argument_errors(unix_pair: tuple[Socket, Socket]) -> None:
    """A negative size is ValueError, a read-only buffer TypeError, before any data moves."""
    a, b = unix_pair
    b.send(b"data")
    with pytest.raises(ValueError):
        a.recv(-1)
    with pytest.raises(ValueError):
        a.recvfrom(-1)
    with pytest.raises(TypeError):
        a.recv_into(b"read-only")
    with pytest.raises(TypeError):
        a.recv_into(b"read-only", 2)
    with pytest.raises(ValueError):
        a.recv_into(bytearray(2), 3)
    assert a.recv(16) == b"data"


def test_unix_path_server(tmp_path: pathlib.Path) -> None:
    """A path-bound AF_UNIX listener accepts a stdlib client; addresses match the stdlib's."""
    path = str(tmp_path / "srv")
    with Socket(socket.AF_UNIX) as ls:
        ls.bind(path)
        ls.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
            conn, peer = ls.accept()
            with conn:
                assert peer == ""
                assert conn.getsockname() == path == client.getpeername()
                client.sendall(b"over unix")
                assert conn.recv(64) == b"over unix"


@pytest.mark.skipif(not raw.ABI.UNIX_ABSTRACT_NAMES, reason="abstract names are Linux-only")
def test_unix_abstract_server() -> None:
    """An abstract-named listener works and reports its name as bytes, like the stdlib."""
    name = b"\0macres-sock-" + os.urandom(6).hex().encode()
    with Socket(socket.AF_UNIX) as ls:
        ls.bind(name)
        ls.listen()
        assert ls.getsockname() == name
        with Socket(socket.AF_UNIX) as c:
            c.connect(name)
            conn, _ = ls.accept()
            with conn:
                assert c.getpeername() == name
                c.send(b"abstract")
                assert conn.recv(16) == b"abstract"


def test_sendmsg_recvmsg(unix_pair: tuple[Socket, Socket]) -> None:
    """sendmsg gathers buffers; recvmsg returns data, ancillary items, flags and address."""
    a, b = unix_pair
    r, w = os.pipe()
    try:
        assert a.sendmsg([b"ab", b"cd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))]) == 4
        data, anc, flags, address = b.recvmsg(16, socket.CMSG_SPACE(4))
        [(level, kind, payload)] = anc
        [got] = array.array("i", payload)
        os.close(got)
        assert (data, level, kind, flags, address) == (b"abcd", socket.SOL_SOCKET, socket.SCM_RIGHTS, 0, None)
        bufs = [bytearray(2), bytearray(2)]
        a.send(b"wxyz")
        assert b.recvmsg_into(bufs)[0] == 4 and bufs == [bytearray(b"wx"), bytearray(b"yz")]
    finally:
        os.close(r)
        os.close(w)


def test_connect_refused_and_connect_ex() -> None:
    """connect to a closed port raises ConnectionRefusedError; connect_ex returns ECONNREFUSED."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        addr = probe.getsockname()
    with Socket() as c:
        with pytest.raises(ConnectionRefusedError):
            c.connect(addr)
    with Socket() as c:
        c.timeout = JOIN
        assert c.connect_ex(addr) == errno.ECONNREFUSED


@pytest.mark.skipif(raw.SYSTEM != "linux", reason="a full AF_UNIX backlog makes connect EAGAIN on Linux")
def test_timeout_connect_waits_for_full_unix_backlog(tmp_path: pathlib.Path) -> None:
    """With a timeout, connect to a full AF_UNIX backlog waits until accepted, or times out."""
    path = str(tmp_path / "s")
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(socket.socket(socket.AF_UNIX))
        server.bind(path)
        server.listen(0)
        for _ in range(1000):  # bounded: the backlog fills after a few
            filler = stack.enter_context(socket.socket(socket.AF_UNIX))
            filler.setblocking(False)
            try:
                filler.connect(path)
            except BlockingIOError:
                break
        with Socket(socket.AF_UNIX) as late:
            late.timeout = 0.05
            with pytest.raises(TimeoutError):
                late.connect(path)
        client = stack.enter_context(Socket(socket.AF_UNIX))
        client.timeout = JOIN

        def unblock() -> None:
            threading.Event().wait(0.1)
            stack.enter_context(server.accept()[0])

        t, out = run_thread(unblock)
        client.connect(path)
        t.join(JOIN)
        assert out == [None]
        assert client.getpeername() == path


def test_host_names_are_resolved() -> None:
    """The object layer resolves "localhost" as the stdlib does (the raw layer refuses names)."""
    with Socket() as ls:
        ls.bind(("localhost", 0))
        host, port = ls.getsockname()  # type: ignore[misc]
        assert host == "127.0.0.1"
        ls.listen()
        with Socket() as c:
            c.connect(("localhost", port))
            conn, _ = ls.accept()
            conn.close()


@pytest.mark.skipif(not _has_ipv6(), reason="no IPv6 loopback")
def test_ipv6_names_resolve_keeping_tuple_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """An AF_INET6 name resolves through getaddrinfo; the tuple's flowinfo/scope_id are kept."""
    asked: list[object] = []

    def fake(host: str, port: int, *args: object) -> list[tuple[object, ...]]:
        asked.append((host, port))
        return [(socket.AF_INET6, socket.SOCK_DGRAM, 17, "", ("::1", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with Socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind(("loopback6.test", 0))
        host, port, _, _ = s.getsockname()  # type: ignore[misc]
        assert host == "::1" and asked == [("loopback6.test", 0)]
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as peer:
            peer.bind(("::1", 0))
            s.sendto(b"named", ("peer6.test", peer.getsockname()[1], 0, 0))
            assert peer.recv(8) == b"named"
            assert s._resolved(("x.test", 1, 5)) == ("::1", 1, 5, 0)
            assert s._resolved(("x.test", 1, 5, 7)) == ("::1", 1, 5, 7)


@pytest.mark.parametrize(
    ("family", "address", "error"),
    [
        (socket.AF_INET, ["127.0.0.1", 80], TypeError),
        (socket.AF_INET, ("127.0.0.1",), TypeError),
        (socket.AF_INET, ("127.0.0.1", "80"), TypeError),
        (socket.AF_INET, ("127.0.0.1", 70000), OverflowError),
        (socket.AF_INET, "127.0.0.1", TypeError),
        (socket.AF_INET, ("a\0b", 1), ValueError),
        (socket.AF_INET6, ("::1", 1, 2**20, 0), OverflowError),
        (socket.AF_INET6, ("::1", 1, 0, 0, 0), TypeError),
        (socket.AF_UNIX, "x" * 300, ValueError),
        (socket.AF_UNIX, "a\0b", ValueError),
        (socket.AF_UNIX, 12, TypeError),
    ],
)
def test_bad_addresses(family: int, address: object, error: type[Exception]) -> None:
    """Malformed addresses raise TypeError/ValueError/OverflowError, never an OSError from a call."""
    kind = socket.SOCK_DGRAM
    with Socket(family, kind) as s:
        for op in (s.bind, s.connect, lambda a: s.sendto(b"x", a)):
            with pytest.raises(error) as info:
                op(address)  # type: ignore[operator]
            assert not isinstance(info.value, OSError)


@pytest.mark.parametrize("kind", ["len", "iter", "index"])
@pytest.mark.parametrize("call", ["send", "recv"])
def test_sendmsg_recvmsg_into_measure_the_buffer_list_once(call: str, kind: str) -> None:
    """Socket.sendmsg/recvmsg_into take one snapshot of the buffer list (see the raw test): in a child."""
    run_hostile("socket", call, kind)


# -- addresses of every family the stdlib knows, against the stdlib on the same socket -------


def _oracle(s: Socket) -> socket.socket:
    """The stdlib's view of *s*: a stdlib socket over a duplicate of its descriptor."""
    return socket.socket(fileno=os.dup(s.fileno()))


def _privileged(make: Callable[[], Socket]) -> Socket:
    try:
        return make()
    except PermissionError as exc:
        pytest.skip(f"needs CAP_NET_RAW: {exc}")
    except OSError as exc:
        if exc.errno in (errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT):
            pytest.skip(f"this kernel has no such socket: {exc}")
        raise


@pytest.mark.skipif(not hasattr(socket, "AF_NETLINK"), reason="no AF_NETLINK here")
def test_netlink_addresses_are_the_stdlibs() -> None:
    """A netlink socket binds (0, 0) and names itself (pid, groups), as the stdlib does for the same socket."""
    with _privileged(lambda: Socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)) as s, _oracle(s) as oracle:
        assert s.getsockname() == oracle.getsockname() == (0, 0)
        s.bind((0, 0))
        name = s.getsockname()
        assert name == oracle.getsockname() and name != (0, 0)
        assert repr(name) in repr(s)


@pytest.mark.skipif(not hasattr(socket, "AF_VSOCK"), reason="no AF_VSOCK here")
def test_vsock_addresses_are_the_stdlibs() -> None:
    """A vsock socket names itself (cid, port) as the stdlib does."""
    with _privileged(lambda: Socket(socket.AF_VSOCK, socket.SOCK_STREAM)) as s, _oracle(s) as oracle:
        assert s.getsockname() == oracle.getsockname()
        assert s.getsockname() == (socket.VMADDR_CID_ANY, socket.VMADDR_PORT_ANY)


#: An Ethernet type the kernel's stacks leave alone (IEEE local experimental).
_ETH_P_EXPERIMENTAL = 0x88B5


@pytest.mark.skipif(not hasattr(socket, "AF_PACKET"), reason="no AF_PACKET here")
def test_packet_addresses_are_the_stdlibs() -> None:
    """AF_PACKET on loopback: bind, getsockname, sendto and recvfrom/recvmsg take and give the stdlib's 5-tuples."""
    proto = socket.htons(_ETH_P_EXPERIMENTAL)
    ours = _privileged(lambda: Socket(socket.AF_PACKET, socket.SOCK_DGRAM, proto))
    with ours, socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, proto) as theirs:
        ours.bind(("lo", _ETH_P_EXPERIMENTAL))
        theirs.bind(("lo", _ETH_P_EXPERIMENTAL))
        with _oracle(ours) as oracle:
            assert ours.getsockname() == oracle.getsockname() == theirs.getsockname()
        ours.timeout = JOIN
        theirs.settimeout(JOIN)
        destination = ("lo", _ETH_P_EXPERIMENTAL, 0, 0, bytes(6))
        for payload in (b"first", b"second"):
            assert ours.sendto(payload, destination) == len(payload)
        got = [ours.recvfrom(64), ours.recvmsg(64)[::3], theirs.recvfrom(64), theirs.recvmsg(64)[::3]]
        assert [data for data, _ in got] == [b"first", b"second"] * 2
        assert got[0][1] == got[2][1] and got[1][1] == got[3][1]
        assert got[0][1][:2] == ("lo", _ETH_P_EXPERIMENTAL)


@pytest.mark.skipif(raw.SYSTEM != "linux", reason="abstract names are Linux's")
def test_unix_abstract_and_autobind_addresses_are_the_stdlibs() -> None:
    """Abstract names (bytes with a leading NUL) and autobind ("" binds a fresh abstract name), both ways."""
    name = b"\0macres-test-%d" % os.getpid()
    with Socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s, Socket(socket.AF_UNIX, socket.SOCK_DGRAM) as peer:
        s.bind(name)
        peer.bind("")
        with _oracle(s) as oracle, _oracle(peer) as peer_oracle:
            assert s.getsockname() == oracle.getsockname() == name
            auto = peer.getsockname()
            assert auto == peer_oracle.getsockname() and isinstance(auto, bytes) and auto[:1] == b"\0"
            peer.sendto(b"a", name)
            peer.sendto(b"b", name)
            assert s.recvfrom(4) == (b"a", auto)
            assert oracle.recvfrom(4) == (b"b", auto)


@pytest.mark.skipif(not socket.has_ipv6 or not _has_ipv6(), reason="no IPv6 loopback")
def test_ipv6_address_fields_are_the_stdlibs() -> None:
    """AF_INET6 takes 2-, 3- and 4-tuples and gives (host, port, flowinfo, scope_id) as the stdlib, also from accept."""
    for address in (("::1", 0), ("::1", 0, 0), ("::1", 0, 0, 0)):
        with Socket(socket.AF_INET6, socket.SOCK_STREAM) as ls, _oracle(ls) as oracle:
            ls.bind(address)
            assert ls.getsockname() == oracle.getsockname()
            host, port, flowinfo, scope_id = ls.getsockname()  # type: ignore[misc]
            assert (host, flowinfo, scope_id) == ("::1", 0, 0)
            ls.listen()
            with socket.create_connection(("::1", port)) as client:
                conn, peer = ls.accept()
                with conn, _oracle(conn) as conn_oracle:
                    assert peer == client.getsockname() == conn.getpeername() == conn_oracle.getpeername()


# -- descriptor passing --------------------------------------------------------------------


def test_send_fds_recv_fds(unix_pair: tuple[Socket, Socket]) -> None:
    """A pipe end sent as a FileDescriptor arrives as an owned, close-on-exec FileDescriptor."""
    a, b = unix_pair
    r, w = macres.pipe()
    with r, w:
        assert a.send_fds(b"fds", [w, r.fileno()]) == 3
        data, fds = b.recv_fds(16, 4)
        assert data == b"fds" and len(fds) == 2
        with fds[0] as got_w, fds[1] as got_r:
            assert all(isinstance(f, FileDescriptor) for f in fds)
            assert cloexec(got_w.fileno()) and cloexec(got_r.fileno())
            assert got_w.fileno() not in (r.fileno(), w.fileno())
            got_w.write(b"through the socket")
            assert r.read(64) == b"through the socket"
            w.write(b"back")
            assert got_r.read(16) == b"back"
        assert w.fstat().st_ino == r.fstat().st_ino  # the originals are still open here


def test_recv_fds_refuses_to_lose_descriptors(unix_pair: tuple[Socket, Socket]) -> None:
    """More descriptors than maxfds: OSError(EMSGSIZE), the ones that arrived closed, none left behind."""
    a, b = unix_pair
    r, w = os.pipe()
    try:
        before = open_fds()
        a.send_fds(b"x", [r, w, r])
        with pytest.raises(OSError) as info:
            b.recv_fds(1, 1)
        assert info.value.errno == errno.EMSGSIZE
        assert open_fds() == before
    finally:
        os.close(r)
        os.close(w)


def _set_if_possible(sock: Socket, name: str) -> None:
    opt = getattr(msocket, name)
    if not opt.available:
        pytest.skip(f"{name} does not exist on {raw.SYSTEM}")
    try:
        sock.setsockopt(opt, True)
    except OSError as exc:
        pytest.skip(f"this kernel refuses {name}: {exc}")


@pytest.mark.parametrize("options", [("SO_PASSCRED",), ("SO_PASSPIDFD",), ("SO_PASSCRED", "SO_PASSPIDFD")])
def test_recv_fds_on_a_socket_that_asks_for_credentials(unix_pair: tuple[Socket, Socket], options: tuple[str, ...]) -> None:
    """With SO_PASSCRED (credentials come first) or SO_PASSPIDFD (a pidfd), every descriptor sent still arrives,
    and the pidfd nobody asked for is closed."""
    a, b = unix_pair
    for name in options:
        _set_if_possible(b, name)
    r, w = macres.pipe()
    with r, w:
        before = open_fds()
        assert a.send_fds(b"creds", [r, w]) == 5
        data, fds = b.recv_fds(8, 2)
        with contextlib.ExitStack() as stack:
            for f in fds:
                stack.enter_context(f)
            assert data == b"creds" and len(fds) == 2
            assert [os.fstat(f.fileno()).st_ino for f in fds] == [r.fstat().st_ino, w.fstat().st_ino]
            assert len(open_fds()) == len(before) + 2
        assert open_fds() == before


def test_send_fds_refuses_closed_handle(unix_pair: tuple[Socket, Socket]) -> None:
    """A closed macres handle in fds raises ClosedResourceError and sends nothing."""
    a, b = unix_pair
    r, w = macres.pipe()
    r.close()
    with w:
        with pytest.raises(ClosedResourceError):
            a.send_fds(b"x", [w, r])
    b.timeout = 0.0
    with pytest.raises(BlockingIOError):
        b.recv(1)


def test_send_fds_refuses_handles_that_are_no_descriptors(unix_pair: tuple[Socket, Socket]) -> None:
    """A Process (pid or pidfd) or a MappedRegion (an address) in fds is a TypeError naming the item; nothing is sent."""
    a, b = unix_pair
    b.timeout = 0.0
    r, w = macres.pipe()
    with r, w, macres.Process(os.getppid()) as parent, macres.MappedRegion.anonymous(4096) as region:
        for bad in (parent, macres.Process.current(), region, True, 2.5):
            with pytest.raises(TypeError, match=r"fds\[1\]"):
                a.send_fds(b"x", [w, bad])  # type: ignore[list-item]
            with pytest.raises(BlockingIOError):
                b.recv(1)
        assert a.send_fds(b"x", [w, r.fileno()]) == 1  # descriptor owners and numbers pass
        data, got = b.recv_fds(1, 2)
        for f in got:
            f.close()
        assert data == b"x" and len(got) == 2


# -- timeouts and blocking --------------------------------------------------------------------


def test_timeout_raises_timeouterror(unix_pair: tuple[Socket, Socket]) -> None:
    """recv with a short timeout and no data raises TimeoutError (socket.timeout)."""
    a, _ = unix_pair
    a.timeout = 0.05
    assert a.blocking and a.timeout == 0.05
    with pytest.raises(TimeoutError):
        a.recv(1)
    with pytest.raises(socket.timeout):
        a.recvfrom(1)
    with Socket() as ls:
        ls.bind(("127.0.0.1", 0))
        ls.listen()
        ls.timeout = 0.05
        with pytest.raises(TimeoutError):
            ls.accept()


def test_sendall_timeout_when_peer_never_reads(unix_pair: tuple[Socket, Socket]) -> None:
    """sendall into a full socket raises TimeoutError once the whole-call timeout passes."""
    a, _ = unix_pair
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    a.timeout = 0.1
    with pytest.raises(TimeoutError):
        a.sendall(b"x" * 10_000_000)


def test_nonblocking_raises_blockingioerror(unix_pair: tuple[Socket, Socket]) -> None:
    """blocking=False: recv, accept and a full send raise BlockingIOError at once."""
    a, _ = unix_pair
    a.blocking = False
    assert a.timeout == 0.0 and not os.get_blocking(a.fileno())
    with pytest.raises(BlockingIOError):
        a.recv(1)
    with pytest.raises(BlockingIOError):
        for _ in range(10_000):  # bounded: the buffer fills long before
            a.send(b"x" * 65536)
    a.blocking = True
    assert a.timeout is None and os.get_blocking(a.fileno())
    with Socket() as ls:
        ls.bind(("127.0.0.1", 0))
        ls.listen()
        ls.blocking = False
        with pytest.raises(BlockingIOError):
            ls.accept()


def test_timeout_validation(unix_pair: tuple[Socket, Socket]) -> None:
    """A negative, NaN or non-numeric timeout is refused."""
    a, _ = unix_pair
    with pytest.raises(ValueError):
        a.timeout = -1
    with pytest.raises(ValueError):
        a.timeout = float("nan")
    with pytest.raises(TypeError):
        a.timeout = "1"  # type: ignore[assignment]
    a.timeout = 2
    assert a.timeout == 2.0


# -- close while another thread is blocked ---------------------------------------------------


@needs_proc_syscall
@pytest.mark.parametrize("timeout", [None, JOIN])
def test_close_wakes_blocked_recv(unix_pair: tuple[Socket, Socket], timeout: float | None) -> None:
    """close() from another thread wakes a recv blocked in the kernel (b""), then really closes the fd."""
    a, _ = unix_pair
    a.timeout = timeout
    fd = a.fileno()
    t, out = run_thread(lambda: a.recv(16))
    wait_blocked(t, None if timeout else fd)  # in recv(2), or in poll(2) with a timeout
    a.close()
    t.join(JOIN)
    assert not t.is_alive()
    assert [b""] == out
    with pytest.raises(OSError):
        os.fstat(fd)


@needs_proc_syscall
def test_close_wakes_blocked_sendall(unix_pair: tuple[Socket, Socket]) -> None:
    """A sendall blocked on a full socket is woken by close() and raises ClosedResourceError."""
    a, _ = unix_pair
    t, out = run_thread(lambda: a.sendall(b"x" * 50_000_000))  # far more than the socket buffers hold
    wait_blocked(t, a.fileno())
    a.close()
    t.join(JOIN)
    assert not t.is_alive()
    assert len(out) == 1 and isinstance(out[0], ClosedResourceError)


@needs_proc_syscall
@pytest.mark.skipif(raw.SYSTEM == "darwin", reason="macOS cannot shut down a listening socket")
@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_UNIX])
@pytest.mark.parametrize("timeout", [None, JOIN])
def test_close_wakes_blocked_accept(family: int, timeout: float | None) -> None:
    """close() wakes a thread blocked in accept, which raises ClosedResourceError."""
    ls = Socket(family)
    ls.bind(("127.0.0.1", 0) if family == socket.AF_INET else "")
    ls.listen()
    ls.timeout = timeout
    fd = ls.fileno()
    t, out = run_thread(ls.accept)
    wait_blocked(t, None if timeout else fd)  # in accept(2), or in poll(2) with a timeout
    ls.close()
    t.join(JOIN)
    assert not t.is_alive()
    assert len(out) == 1 and isinstance(out[0], ClosedResourceError)
    with pytest.raises(OSError):
        os.fstat(fd)


#: Run under strace, which holds every shutdown(2) 0.3 s at its entry: an operation in flight
#: leaves while close() is inside shutdown, and a new pair takes the lowest free numbers.
_CLOSE_RACE = r"""
import os, threading, time
from macres import Socket

SHUTDOWN = {"x86_64": "48", "aarch64": "210"}[os.uname().machine]
victim, victim_peer = Socket.pair()
number = victim.fileno()
in_op, leave = threading.Event(), threading.Event()


def operation(fd):  # an operation in flight on the victim, in another thread
    in_op.set()
    leave.wait(30)


op = threading.Thread(target=victim._call, args=(operation,))
op.start()
assert in_op.wait(30)
closer = threading.Thread(target=victim.close)
closer.start()
deadline = time.monotonic() + 30
while True:  # until the closer sits in shutdown(2), held there by strace
    try:
        with open(f"/proc/self/task/{closer.native_id}/syscall") as f:
            if f.read().split()[0] == SHUTDOWN:
                break
    except (FileNotFoundError, ProcessLookupError):
        pass
    assert closer.is_alive() and time.monotonic() < deadline, "close() never reached shutdown(2)"
    time.sleep(0.001)
leave.set()  # the operation leaves now: it must not be the one that releases the number
op.join(30)
newcomer, peer = Socket.pair()  # the victim's number, if it was released
closer.join(30)
newcomer.sendall(b"ok")  # EPIPE if the delayed shutdown hit it
peer.sendall(b"ok")
print(newcomer.recv(2), peer.recv(2), newcomer.fileno() != number, victim.closed)
for s in (victim_peer, newcomer, peer):
    s.close()
"""


@needs_strace
@pytest.mark.skipif(os.uname().machine not in ("x86_64", "aarch64"), reason="knows shutdown's number on x86_64/aarch64")
def test_close_never_shuts_down_a_reused_number() -> None:
    """close() racing an operation: the operation leaves while close is inside shutdown(2) (strace holds it
    there), a new socket pair is made at once, and that pair is untouched: close's shutdown only ever
    reaches its own descriptor, which stays open (referenced by close) until shutdown returns."""
    import subprocess
    import sys

    proc = subprocess.run(
        ["strace", "-qq", "-f", "-o", os.devnull, "-e", "trace=shutdown", "-e", "inject=shutdown:delay_enter=300000",
         sys.executable, "-c", _CLOSE_RACE],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["b'ok'", "b'ok'", "True", "True"]


# -- interop -----------------------------------------------------------------------------------


def test_detach_to_stdlib_and_back(tcp_pair: tuple[Socket, Socket]) -> None:
    """socket.socket(fileno=sock.detach()) works; Socket.from_fd takes a stdlib one over."""
    c, s = tcp_pair
    std = socket.socket(fileno=c.detach())
    with std:
        assert c.closed
        std.sendall(b"from stdlib")
        assert s.recv(32) == b"from stdlib"
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    fd = ls.detach()
    with Socket.from_fd(fd) as taken:
        assert taken.fileno() == fd
        assert (taken.family, taken.type, taken.proto) == (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        assert cloexec(fd)
    with pytest.raises(OSError):
        os.fstat(fd)


def test_from_fd_refuses_non_sockets() -> None:
    """from_fd on a pipe raises ENOTSOCK and leaves the descriptor with the caller."""
    r, w = os.pipe()
    try:
        with pytest.raises(OSError) as info:
            Socket.from_fd(r)
        assert info.value.errno == errno.ENOTSOCK
        os.fstat(r)
    finally:
        os.close(r)
        os.close(w)
    with pytest.raises(ValueError):
        Socket.from_fd(-1)
    for wrong in (3.0, "3", None, True):
        with pytest.raises(TypeError):
            Socket.from_fd(wrong)  # type: ignore[arg-type]


@pytest.mark.parametrize("make", [Socket, Socket.pair])
@pytest.mark.parametrize(("args", "name"), [((2.0,), "family"), ((1, 1.5), "type"), ((1, 1, "0"), "proto")])
def test_constructor_arguments_are_checked_at_the_door(
    make: Callable[..., object], args: tuple[object, ...], name: str
) -> None:
    """A family, type or protocol that is no int is a TypeError naming it, before any call."""
    with pytest.raises(TypeError, match=name):
        make(*args)


def test_from_fd_nonblocking_unix() -> None:
    """A non-blocking AF_UNIX descriptor becomes a Socket with timeout 0.0 and family AF_UNIX."""
    a, b = socket.socketpair()
    a.setblocking(False)
    with b, Socket.from_fd(a.detach()) as s:
        assert s.family == socket.AF_UNIX and s.timeout == 0.0
        b.send(b"hi")
        assert s.recv(4) == b"hi"


def test_selectors_and_asyncio(unix_pair: tuple[Socket, Socket]) -> None:
    """selectors and an asyncio reader see readiness through fileno()."""
    a, b = unix_pair
    with selectors.DefaultSelector() as sel:
        sel.register(a, selectors.EVENT_READ)
        assert sel.select(0) == []
        b.send(b"ready")
        [(key, events)] = sel.select(JOIN)
        assert key.fileobj is a and events == selectors.EVENT_READ
        assert a.recv(8) == b"ready"

    async def main() -> bytes:
        loop = asyncio.get_running_loop()
        got: asyncio.Future[bytes] = loop.create_future()
        a.blocking = False
        loop.add_reader(a.fileno(), lambda: got.done() or got.set_result(a.recv(16)))
        try:
            b.send(b"async")
            return await asyncio.wait_for(got, JOIN)
        finally:
            loop.remove_reader(a.fileno())

    assert asyncio.run(main()) == b"async"


def test_asyncio_sock_methods(unix_pair: tuple[Socket, Socket]) -> None:
    """asyncio's loop.sock_sendall/sock_recv drive non-blocking Sockets (debug checks included)."""
    a, b = unix_pair
    a.setblocking(False)
    b.setblocking(False)
    assert a.gettimeout() == 0.0 and not a.getblocking()
    payload = os.urandom(300_000)  # more than the socket buffers hold: both sides must wait

    async def main() -> bytes:
        loop = asyncio.get_running_loop()
        sender = asyncio.ensure_future(loop.sock_sendall(a, payload))
        got = bytearray()
        while len(got) < len(payload):
            got += await asyncio.wait_for(loop.sock_recv(b, 65536), JOIN)
        await asyncio.wait_for(sender, JOIN)
        return bytes(got)

    assert asyncio.run(main(), debug=True) == payload
    a.settimeout(None)
    assert a.getblocking() and a.timeout is None


# -- options -------------------------------------------------------------------------------------


def test_typed_and_raw_options(tcp_pair: tuple[Socket, Socket]) -> None:
    """Typed options return their Python type; the raw forms agree with the stdlib."""
    c, _ = tcp_pair
    c.setsockopt(msocket.TCP_NODELAY, True)
    assert c.getsockopt(msocket.TCP_NODELAY) is True
    with socket.socket(fileno=os.dup(c.fileno())) as oracle:
        assert oracle.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        assert oracle.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 4) == oracle.getsockopt(
            socket.SOL_SOCKET, socket.SO_KEEPALIVE, 4
        )
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"\0\0\0\0")
        assert oracle.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
    assert c.getsockopt(msocket.SO_TYPE) == socket.SOCK_STREAM
    with pytest.raises(OverflowError):
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 2**31)
    with pytest.raises(ValueError):
        c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, -1)
    with pytest.raises(OSError) as info:
        c.getsockopt(socket.SOL_SOCKET, 9999)
    assert info.value.errno == errno.ENOPROTOOPT


def test_options_listed_from_socket_module() -> None:
    """macres.socket re-exports the catalog: options() and constants like SO_REUSEADDR, every name of macres.sockopt."""
    assert msocket.SO_REUSEADDR in msocket.options(socket.SOL_SOCKET)
    assert all(o.level == socket.IPPROTO_TCP for o in msocket.options(socket.IPPROTO_TCP))
    assert set(macres.sockopt.__all__) <= set(msocket.__all__)
    assert all(getattr(msocket, name) is getattr(macres.sockopt, name) for name in macres.sockopt.__all__)


@pytest.mark.parametrize("module", ["socket.py", "sockopt.py", "_pure/socket.py"])
def test_socket_modules_import_by_name(module: str) -> None:
    """No star import, and no private module of another package (raw's internals) imported by the socket layer."""
    import ast

    tree = ast.parse((pathlib.Path(macres.__file__).parent / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert all(alias.name != "*" for alias in node.names), ast.dump(node)
            if (node.module or "").split(".")[0] == "raw":  # raw's public names only
                named = [node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]
                assert not any("._" in name for name in named), ast.dump(node)


# -- what reaches the kernel, against the stdlib's socket (strace) --------------------------------

#: Both kinds of socket over one listener each, a pair of each, and a pending connection per listener.
_KERNEL_SETUP = """
import socket
from macres import Socket
ours_l = Socket(socket.AF_INET, socket.SOCK_STREAM); ours_l.bind(("127.0.0.1", 0)); ours_l.listen()
theirs_l = socket.socket(socket.AF_INET, socket.SOCK_STREAM); theirs_l.bind(("127.0.0.1", 0)); theirs_l.listen()
clients = [socket.create_connection(ours_l.getsockname()), socket.create_connection(theirs_l.getsockname())]
ours, ours_peer = Socket.pair()
theirs, theirs_peer = socket.socketpair()
"""


def _is_subsequence(ours: list[str], theirs: list[str]) -> bool:
    it = iter(theirs)
    return all(name in it for name in ours)


def _socket_calls(calls: list[Call]) -> list[Call]:
    """The calls that act on descriptors (not the allocator's or the interpreter's own)."""
    return [c for c in calls if c.name not in ("mmap", "munmap", "brk", "futex", "rt_sigaction", "newfstatat", "getpid")]


@needs_strace
@pytest.mark.parametrize(
    ("ours", "theirs", "setup"),
    [
        pytest.param("ours_l.accept()", "theirs_l.accept()", "", id="accept"),
        pytest.param(
            "ours_l.accept()", "theirs_l.accept()", "socket.setdefaulttimeout(5.0)", id="accept-default-timeout"
        ),
        pytest.param(
            "ours_l.settimeout(5.0); ours_l.accept()",
            "theirs_l.settimeout(5.0); theirs_l.accept()",
            "",
            id="accept-listener-timeout",
        ),
        pytest.param("ours.settimeout(1.0)", "theirs.settimeout(1.0)", "", id="settimeout"),
        pytest.param(
            "ours.settimeout(1.0); ours.settimeout(2.0); ours.settimeout(None); ours.settimeout(None)",
            "theirs.settimeout(1.0); theirs.settimeout(2.0); theirs.settimeout(None); theirs.settimeout(None)",
            "",
            id="settimeout-changes",
        ),
        pytest.param(
            "ours.setblocking(False); ours.setblocking(True)",
            "theirs.setblocking(False); theirs.setblocking(True)",
            "",
            id="setblocking",
        ),
        pytest.param(
            "Socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK).close()",
            "socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK).close()",
            "",
            id="sock-nonblock",
        ),
        pytest.param(
            "Socket(socket.AF_INET, socket.SOCK_DGRAM).close()",
            "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()",
            "socket.setdefaulttimeout(5.0)",
            id="new-with-default-timeout",
        ),
    ],
)
def test_no_call_the_stdlib_does_not_make(ours: str, theirs: str, setup: str) -> None:
    """The same operation costs no system call the stdlib's socket does not make, in the same order.

    accept is ``accept4(SOCK_CLOEXEC)`` (no fcntl after it: a fork+exec in
    between would inherit the connection); settimeout is at most one
    ``ioctl(FIONBIO)``; a ``SOCK_NONBLOCK`` type adds nothing to socket(2).
    """
    mine = _socket_calls(kernel_calls(ours, _KERNEL_SETUP + setup))
    stdlib = _socket_calls(kernel_calls(theirs, _KERNEL_SETUP + setup))
    assert _is_subsequence([c.name for c in mine], [c.name for c in stdlib]), (mine, stdlib)
    for call in mine:
        if call.name in ("accept4", "socket"):
            assert "SOCK_CLOEXEC" in call.args, call
        assert call.name != "fcntl", call  # no close-on-exec or blocking mode set after the fact


def test_from_fd_makes_the_descriptor_cloexec() -> None:
    """An inheritable socket descriptor taken over by from_fd is close-on-exec, as documented."""
    std = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    fd = std.detach()
    os.set_inheritable(fd, True)
    with Socket.from_fd(fd) as s:
        assert s.fileno() == fd and cloexec(fd)


@pytest.mark.parametrize("value", [math.inf, 1e300, 2**63, 9_223_372_036.854_776])
def test_timeout_too_large_is_refused_at_once_as_the_stdlib_does(
    unix_pair: tuple[Socket, Socket], value: float
) -> None:
    """An infinite or huge timeout raises OverflowError when set (the stdlib's error), naming it."""
    a, b = unix_pair
    with socket.socket() as oracle, pytest.raises(OverflowError):
        oracle.settimeout(value)
    for setter in (a.settimeout, lambda v: setattr(a, "timeout", v)):
        with pytest.raises(OverflowError, match="timeout"):
            setter(value)
    assert a.timeout is None  # unchanged: nothing was set
    b.send(b"x")
    assert a.recv(1) == b"x"


def _in_poll(tid: int) -> bool:
    """Whether thread *tid* of this process sits in poll(2)/ppoll(2) now (its /proc syscall line)."""
    with open(f"/proc/self/task/{tid}/syscall") as f:
        number = f.read().split()[0]
    return number in {str(n) for n in _POLL_SYSCALLS}


#: poll and ppoll on x86_64 and aarch64 (aarch64 has only ppoll).
_POLL_SYSCALLS = (7, 271, 73) if os.uname().machine == "x86_64" else (73,)


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc/self/task to see a thread wait")
def test_longest_timeout_the_stdlib_takes_waits(unix_pair: tuple[Socket, Socket]) -> None:
    """A timeout of about 292 years (the stdlib's largest) waits for data, in poll, and gets it."""
    a, b = unix_pair
    a.settimeout(9_223_372_036.0)
    started = threading.Event()
    tid: list[int] = []

    def receive() -> bytes:
        tid.append(threading.get_native_id())
        started.set()
        return a.recv(4)

    t, out = run_thread(receive)
    assert started.wait(JOIN)
    for _ in range(10_000):  # until the receiver waits in poll, or has ended (in error)
        if out or _in_poll(tid[0]):
            break
        threading.Event().wait(0.001)
    b.send(b"late")
    t.join(JOIN)
    assert out == [b"late"]


# -- hypothesis: data survives the trip ------------------------------------------------------------


@settings(max_examples=40)
@given(st.lists(st.binary(max_size=70_000), min_size=1, max_size=4))
def test_sendall_recv_round_trip(chunks: list[bytes]) -> None:
    """Whatever bytes go into sendall come out of recv in order, unchanged."""
    a, b = Socket.pair()
    with a, b:
        b.timeout = JOIN
        expected = b"".join(chunks)

        def send() -> None:
            for chunk in chunks:
                a.sendall(chunk)
            a.shutdown(socket.SHUT_WR)

        t, out = run_thread(send)
        got = bytearray()
        for _ in range(100_000):  # bounded; ends at EOF long before
            data = b.recv(32768)
            if not data:
                break
            got.extend(data)
        t.join(JOIN)
        assert not t.is_alive() and out == [None]
        assert bytes(got) == expected


# -- a stateful model: sockets and passed descriptors against the fd table ---------------------


class SocketMachine(RuleBasedStateMachine):
    """Random pair/send_fds/recv_fds/detach/from_fd/close/GC sequences against a model of the fd table."""

    def __init__(self) -> None:
        super().__init__()
        gc.collect()
        self.baseline = len(open_fds())
        # every object created, with whether the model says it is open
        self.objects: list[tuple[Socket | FileDescriptor | None, bool]] = []
        self.pairs: list[tuple[int, int]] = []

    def _pick(self, data: st.DataObject) -> int:
        return data.draw(st.integers(0, len(self.objects) - 1))

    @rule(kind=st.sampled_from([socket.SOCK_STREAM, socket.SOCK_DGRAM]))
    def pair(self, kind: int) -> None:
        a, b = Socket.pair(socket.AF_UNIX, kind)
        self.pairs.append((len(self.objects), len(self.objects) + 1))
        self.objects += [(a, True), (b, True)]

    @precondition(lambda self: self.pairs)
    @rule(data=st.data())
    def pass_descriptor(self, data: st.DataObject) -> None:
        i, j = data.draw(st.sampled_from(self.pairs))
        k = self._pick(data)
        (a, a_open), (b, b_open), (payload, p_open) = self.objects[i], self.objects[j], self.objects[k]
        if not (isinstance(a, Socket) and isinstance(b, Socket) and payload is not None):
            return  # collected
        if not (a_open and p_open):
            with pytest.raises(ClosedResourceError):
                a.send_fds(b"!", [payload])
            return
        if not b_open:
            return  # the peer is closed (or lives on in an adopted object): nothing to receive with
        b.timeout = JOIN
        assert a.send_fds(b"!", [payload]) == 1
        got, fds = b.recv_fds(1, 1)
        assert got == b"!" and len(fds) == 1
        assert cloexec(fds[0].fileno())
        assert os.fstat(fds[0].fileno()).st_ino == os.fstat(payload.fileno()).st_ino
        self.objects.append((fds[0], True))

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def detach_and_adopt(self, data: st.DataObject) -> None:
        i = self._pick(data)
        obj, open_ = self.objects[i]
        if obj is None:
            return
        if not open_:
            with pytest.raises(ClosedResourceError):
                obj.detach()
            return
        number = obj.detach()
        self.objects[i] = (obj, False)
        if isinstance(obj, Socket):
            self.objects.append((Socket.from_fd(number), True))
        else:
            self.objects.append((FileDescriptor(number), True))

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        i = self._pick(data)
        obj = self.objects[i][0]
        if obj is not None:
            obj.close()
            self.objects[i] = (obj, False)

    @precondition(lambda self: self.objects)
    @rule(data=st.data())
    def collect(self, data: st.DataObject) -> None:
        i = self._pick(data)
        obj, open_ = self.objects[i]
        if obj is None:
            return
        self.objects[i] = (None, False)
        if open_:
            with pytest.warns(ResourceWarning):
                del obj
                gc.collect()
        else:
            with no_warnings():
                del obj
                gc.collect()

    @invariant()
    def descriptor_count_matches_the_model(self) -> None:
        expected = sum(open_ for _, open_ in self.objects)
        assert len(open_fds()) == self.baseline + expected
        for obj, open_ in self.objects:
            assert obj is None or obj.closed is not open_

    def teardown(self) -> None:
        for obj, _ in self.objects:
            if obj is not None:
                obj.close()
        self.objects.clear()
        gc.collect()
        assert len(open_fds()) == self.baseline


SocketMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None)
TestSocketMachine = SocketMachine.TestCase
