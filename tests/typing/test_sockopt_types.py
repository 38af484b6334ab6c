"""Static checks of the sockopt catalog's types: ``mypy --strict tests/typing``.

mypy must infer each option's value type, and must reject a wrong value:
the lines marked ``# type: ignore[arg-type]`` are errors mypy reports, and
``warn_unused_ignores`` (part of ``--strict``) fails the run if it stops
reporting them.  Nothing here runs: tests/test_typing.py runs mypy over this
folder.
"""

from __future__ import annotations

import socket
from typing import Any
from uuid import UUID

from typing_extensions import assert_type

from macres.sockopt import (
    IP_ADD_MEMBERSHIP,
    IPV6_JOIN_GROUP,
    LOCAL_PEERCRED,
    LOCAL_PEERUUID,
    MCAST_JOIN_GROUP_V6,
    SO_KEEPALIVE,
    SO_LINGER,
    SO_NOSIGPIPE,
    SO_PEERCRED,
    SO_PEERNAME,
    SO_RCVBUF,
    SO_RCVTIMEO,
    SO_REUSEADDR,
    TCP_CONGESTION,
    TCP_CONNECTION_INFO,
    TCP_FASTOPEN,
    TCP_INFO,
    TCP_NODELAY,
    GroupSourceReq,
    IpMreq,
    IpMreqn,
    Ipv6Mreq,
    Linger,
    SockAddr,
    SockOpt,
    TcpConnectionInfo,
    TcpInfo,
    Ucred,
    Xucred,
    options,
)


def typed_gets(fd: int) -> None:
    """Each option's get has the option's value type."""
    assert_type(SO_REUSEADDR.get(fd), bool)
    assert_type(SO_KEEPALIVE.get(fd), bool)
    assert_type(TCP_NODELAY.get(fd), bool)
    assert_type(SO_RCVBUF.get(fd), int)
    assert_type(SO_LINGER.get(fd), Linger)
    assert_type(SO_RCVTIMEO.get(fd), float)
    assert_type(SO_PEERCRED.get(fd), Ucred)
    assert_type(SO_PEERNAME.get(fd), SockAddr)
    assert_type(TCP_INFO.get(fd), TcpInfo)
    assert_type(TCP_CONGESTION.get(fd), str)
    # darwin-only names are typed on Linux too (and the reverse).
    assert_type(SO_NOSIGPIPE.get(fd), bool)
    assert_type(LOCAL_PEERCRED.get(fd), Xucred)
    assert_type(LOCAL_PEERUUID.get(fd), UUID)
    assert_type(TCP_CONNECTION_INFO.get(fd), TcpConnectionInfo)
    # A queue length on Linux, a flag on darwin: typed with the wider int.
    assert_type(TCP_FASTOPEN.get(fd), int)
    assert_type(SO_REUSEADDR, SockOpt[bool])
    with socket.socket() as sock:  # anything with fileno() works too
        assert_type(SO_LINGER.get(sock), Linger)
        SO_REUSEADDR.set(sock, True)
    assert_type(options(), list[SockOpt[Any]])


def typed_sets(fd: int) -> None:
    """Values of the option's type are accepted."""
    SO_REUSEADDR.set(fd, True)
    SO_LINGER.set(fd, Linger(onoff=True, seconds=5))
    SO_RCVTIMEO.set(fd, 2.5)
    SO_RCVBUF.set(fd, 65536)
    TCP_FASTOPEN.set(fd, 5)
    IP_ADD_MEMBERSHIP.set(fd, IpMreq("224.0.0.1"))
    IP_ADD_MEMBERSHIP.set(fd, IpMreqn("224.0.0.1", ifindex=1))
    IPV6_JOIN_GROUP.set(fd, Ipv6Mreq("ff02::1", 1))
    MCAST_JOIN_GROUP_V6.set(fd, GroupSourceReq(1, "ff3e::1", "::1"))  # type: ignore[arg-type]


def rejected_sets(fd: int) -> None:
    """Values of another type are errors mypy reports."""
    SO_REUSEADDR.set(fd, "yes")  # type: ignore[arg-type]
    SO_LINGER.set(fd, 5)  # type: ignore[arg-type]
    SO_LINGER.set(fd, (True, 5))  # type: ignore[arg-type]
    SO_RCVBUF.set(fd, "64k")  # type: ignore[arg-type]
    TCP_NODELAY.set(fd, None)  # type: ignore[arg-type]
    SO_RCVTIMEO.set(fd, "1s")  # type: ignore[arg-type]


def rejected_reads(fd: int) -> None:
    """A value is used as its type: treating a Linger as an int is an error."""
    seconds: int = SO_LINGER.get(fd)  # type: ignore[assignment]
    del seconds

