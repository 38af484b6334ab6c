"""Sockets as objects that close themselves, with typed socket options.

``Socket(AF_INET, SOCK_STREAM)`` creates a close-on-exec socket; it has
the stdlib's methods (``bind``, ``listen``, ``accept``, ``connect``,
``send``/``sendall``/``recv``/``recv_into``, ``sendto``/``recvfrom``/
``recvfrom_into``, ``sendmsg``/``recvmsg``/``recvmsg_into``, ``shutdown``,
``getsockname``/``getpeername``) and the lifecycle of every macres handle:
``close()`` is idempotent, ``with`` closes, an operation after close raises
:class:`~macres.ClosedResourceError`, a collected open socket closes and
warns.  ``send_fds``/``recv_fds`` pass descriptors (``SCM_RIGHTS``);
received ones arrive as owned, close-on-exec
:class:`~macres.FileDescriptor` objects.

Addresses are the stdlib's: ``(host, port)`` for AF_INET, ``(host, port,
flowinfo, scope_id)`` (or a 2-tuple) for AF_INET6, a ``str``/``bytes``
path for AF_UNIX (Linux abstract names start with a NUL and come back as
``bytes``).  A malformed address raises ``TypeError``/``ValueError``/
``OverflowError`` before any call.  Unlike :mod:`macres.raw`, host names
are resolved here, with :func:`socket.getaddrinfo` (its ``gaierror`` is an
``OSError``), as the stdlib does.

Timeouts follow the stdlib: ``timeout`` None blocks, ``0.0`` never waits
(``BlockingIOError``), a positive number of seconds waits at most that long
for each call (``sendall`` for the whole buffer) and then raises
``TimeoutError``.  A socket with a timeout keeps its descriptor in
non-blocking mode and waits with ``poll(2)`` (the stdlib's; ``select(2)``
cannot take descriptors past ``FD_SETSIZE``).  ``blocking`` is ``timeout
!= 0.0``; setting it sets ``timeout`` to None or 0.0.  New sockets start
with :func:`socket.getdefaulttimeout`.

Closing while other threads are blocked: ``close()`` shuts the socket down
(``SHUT_RDWR``) to wake them; a woken ``recv`` returns ``b""``, and an
operation that fails once the close began (a woken ``accept``, a ``send``
meeting the shutdown's EPIPE) raises :class:`~macres.ClosedResourceError`
instead of that ``OSError``; the descriptor is released when the last of
them returns, so none can touch a reused number.
On macOS a listening socket cannot be shut down, so a thread blocked in
``accept`` without a timeout keeps it open until a connection arrives.

Socket options: ``sock.getsockopt(SO_RCVBUF)`` takes a typed
:class:`~macres.sockopt.SockOpt` and returns its Python value (mypy knows
the type); every option of the catalog is importable from here
(``macres.socket.TCP_NODELAY``) and :func:`options` lists them.  The raw
forms ``getsockopt(level, name[, buflen])``/``setsockopt(level, name,
value)`` remain for anything else.

Interop: ``fileno()`` serves ``select``, ``selectors`` and ``asyncio``;
``socket.socket(fileno=sock.detach())`` hands the descriptor to the stdlib
and :meth:`Socket.from_fd` takes one over.
"""

from __future__ import annotations

import collections
import errno
import math
import operator
import os
import socket as _stdsocket
import struct
import time
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar, overload

import attrs
from typing_extensions import Buffer

from . import raw
from ._poll import wait as _wait_ready
from ._transfer import send_file as _send_file
from ._backend import core
from ._errors import oserror
from ._handle import FdHandle, Handle, HasFileno, fileno_of
from .fd import FileDescriptor
from .raw import Address, AddressArg
from .sockopt import (
    Access,
    Codec,
    FileNo,
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
    "AF_INET", "AF_INET6", "AF_UNIX", "AF_UNSPEC", "SHUT_RD", "SHUT_RDWR", "SHUT_WR",
    "SOCK_DGRAM", "SOCK_SEQPACKET", "SOCK_STREAM", "SOMAXCONN", "Socket",
    # macres.sockopt's names, re-exported (its option constants below)
    "Access", "Codec", "FileNo", "GroupReq", "GroupSourceReq", "Icmp6Filter", "In6Pktinfo",
    "Ip6MtuInfo", "IpMreq", "IpMreqSource", "IpMreqn", "Ipv6Mreq", "Linger", "SockAddr", "SockOpt",
    "SockTxtime", "SoTimestamping", "TcpConnectionInfo", "TcpInfo", "Ucred", "Xucred", "options",
]  # fmt: skip

# BEGIN GENERATED RE-EXPORTS (tools/gen_sockopts.py)
from .sockopt import (  # every option constant of the catalog
    ICMP6_FILTER,
    ICMP_FILTER,
    IP6T_SO_ORIGINAL_DST,
    IPV6_2292DSTOPTS,
    IPV6_2292HOPLIMIT,
    IPV6_2292HOPOPTS,
    IPV6_2292PKTINFO,
    IPV6_2292PKTOPTIONS,
    IPV6_2292RTHDR,
    IPV6_3542DSTOPTS,
    IPV6_3542HOPLIMIT,
    IPV6_3542HOPOPTS,
    IPV6_3542NEXTHOP,
    IPV6_3542PKTINFO,
    IPV6_3542RTHDR,
    IPV6_ADDRFORM,
    IPV6_ADDR_PREFERENCES,
    IPV6_ADD_MEMBERSHIP,
    IPV6_AUTOFLOWLABEL,
    IPV6_BINDV6ONLY,
    IPV6_BOUND_IF,
    IPV6_CHECKSUM,
    IPV6_DONTFRAG,
    IPV6_DROP_MEMBERSHIP,
    IPV6_DSTOPTS,
    IPV6_FLOWINFO,
    IPV6_FLOWINFO_SEND,
    IPV6_FLOWLABEL_MGR,
    IPV6_FREEBIND,
    IPV6_HDRINCL,
    IPV6_HOPLIMIT,
    IPV6_HOPOPTS,
    IPV6_IPSEC_POLICY,
    IPV6_JOIN_ANYCAST,
    IPV6_JOIN_GROUP,
    IPV6_LEAVE_ANYCAST,
    IPV6_LEAVE_GROUP,
    IPV6_MINHOPCOUNT,
    IPV6_MSFILTER,
    IPV6_MTU,
    IPV6_MTU_DISCOVER,
    IPV6_MULTICAST_ALL,
    IPV6_MULTICAST_HOPS,
    IPV6_MULTICAST_IF,
    IPV6_MULTICAST_LOOP,
    IPV6_NEXTHOP,
    IPV6_ORIGDSTADDR,
    IPV6_PATHMTU,
    IPV6_PKTINFO,
    IPV6_PORTRANGE,
    IPV6_PREFER_TEMPADDR,
    IPV6_RECVDSTOPTS,
    IPV6_RECVERR,
    IPV6_RECVERR_RFC4884,
    IPV6_RECVFRAGSIZE,
    IPV6_RECVHOPLIMIT,
    IPV6_RECVHOPOPTS,
    IPV6_RECVORIGDSTADDR,
    IPV6_RECVPATHMTU,
    IPV6_RECVPKTINFO,
    IPV6_RECVRTHDR,
    IPV6_RECVTCLASS,
    IPV6_ROUTER_ALERT,
    IPV6_ROUTER_ALERT_ISOLATE,
    IPV6_RTHDR,
    IPV6_RTHDRDSTOPTS,
    IPV6_RXDSTOPTS,
    IPV6_RXHOPOPTS,
    IPV6_TCLASS,
    IPV6_TRANSPARENT,
    IPV6_UNICAST_HOPS,
    IPV6_UNICAST_IF,
    IPV6_USE_MIN_MTU,
    IPV6_V6ONLY,
    IPV6_XFRM_POLICY,
    IP_ADD_MEMBERSHIP,
    IP_ADD_SOURCE_MEMBERSHIP,
    IP_BIND_ADDRESS_NO_PORT,
    IP_BLOCK_SOURCE,
    IP_BOUND_IF,
    IP_CHECKSUM,
    IP_DONTFRAG,
    IP_DROP_MEMBERSHIP,
    IP_DROP_SOURCE_MEMBERSHIP,
    IP_DUMMYNET_CONFIGURE,
    IP_DUMMYNET_DEL,
    IP_DUMMYNET_FLUSH,
    IP_DUMMYNET_GET,
    IP_FREEBIND,
    IP_HDRINCL,
    IP_IPSEC_POLICY,
    IP_LOCAL_PORT_RANGE,
    IP_MINTTL,
    IP_MSFILTER,
    IP_MTU,
    IP_MTU_DISCOVER,
    IP_MULTICAST_ALL,
    IP_MULTICAST_IF,
    IP_MULTICAST_IFINDEX,
    IP_MULTICAST_LOOP,
    IP_MULTICAST_TTL,
    IP_NODEFRAG,
    IP_OPTIONS,
    IP_ORIGDSTADDR,
    IP_PASSSEC,
    IP_PKTINFO,
    IP_PKTOPTIONS,
    IP_PMTUDISC,
    IP_PORTRANGE,
    IP_PROTOCOL,
    IP_RECVDSTADDR,
    IP_RECVERR,
    IP_RECVERR_RFC4884,
    IP_RECVFRAGSIZE,
    IP_RECVIF,
    IP_RECVOPTS,
    IP_RECVORIGDSTADDR,
    IP_RECVPKTINFO,
    IP_RECVRETOPTS,
    IP_RECVTOS,
    IP_RECVTTL,
    IP_RETOPTS,
    IP_ROUTER_ALERT,
    IP_STRIPHDR,
    IP_TOS,
    IP_TRAFFIC_MGT_BACKGROUND,
    IP_TRANSPARENT,
    IP_TTL,
    IP_UNBLOCK_SOURCE,
    IP_UNICAST_IF,
    IP_XFRM_POLICY,
    LOCAL_PEERCRED,
    LOCAL_PEEREPID,
    LOCAL_PEEREUUID,
    LOCAL_PEERPID,
    LOCAL_PEERTOKEN,
    LOCAL_PEERUUID,
    MCAST_BLOCK_SOURCE,
    MCAST_BLOCK_SOURCE_V6,
    MCAST_JOIN_GROUP,
    MCAST_JOIN_GROUP_V6,
    MCAST_JOIN_SOURCE_GROUP,
    MCAST_JOIN_SOURCE_GROUP_V6,
    MCAST_LEAVE_GROUP,
    MCAST_LEAVE_GROUP_V6,
    MCAST_LEAVE_SOURCE_GROUP,
    MCAST_LEAVE_SOURCE_GROUP_V6,
    MCAST_MSFILTER,
    MCAST_MSFILTER_V6,
    MCAST_UNBLOCK_SOURCE,
    MCAST_UNBLOCK_SOURCE_V6,
    PERSIST_TIMEOUT,
    SO_ACCEPTCONN,
    SO_ATTACH_BPF,
    SO_ATTACH_FILTER,
    SO_ATTACH_REUSEPORT_CBPF,
    SO_ATTACH_REUSEPORT_EBPF,
    SO_BINDTODEVICE,
    SO_BINDTOIFINDEX,
    SO_BPF_EXTENSIONS,
    SO_BROADCAST,
    SO_BSDCOMPAT,
    SO_BUF_LOCK,
    SO_BUSY_POLL,
    SO_BUSY_POLL_BUDGET,
    SO_CNX_ADVICE,
    SO_COOKIE,
    SO_DEBUG,
    SO_DETACH_BPF,
    SO_DETACH_FILTER,
    SO_DETACH_REUSEPORT_BPF,
    SO_DEVMEM_DONTNEED,
    SO_DOMAIN,
    SO_DONTROUTE,
    SO_DONTTRUNC,
    SO_ERROR,
    SO_GET_FILTER,
    SO_INCOMING_CPU,
    SO_INCOMING_NAPI_ID,
    SO_INQ,
    SO_KEEPALIVE,
    SO_LINGER,
    SO_LINGER_SEC,
    SO_LOCK_FILTER,
    SO_MARK,
    SO_MAX_PACING_RATE,
    SO_MEMINFO,
    SO_NETNS_COOKIE,
    SO_NETSVC_MARKING_LEVEL,
    SO_NET_SERVICE_TYPE,
    SO_NKE,
    SO_NOADDRERR,
    SO_NOFCS,
    SO_NOSIGPIPE,
    SO_NOTIFYCONFLICT,
    SO_NO_CHECK,
    SO_NP_EXTENSIONS,
    SO_NREAD,
    SO_NUMRCVPKT,
    SO_NWRITE,
    SO_OOBINLINE,
    SO_ORIGINAL_DST,
    SO_PASSCRED,
    SO_PASSPIDFD,
    SO_PASSRIGHTS,
    SO_PASSSEC,
    SO_PEEK_OFF,
    SO_PEERCRED,
    SO_PEERGROUPS,
    SO_PEERNAME,
    SO_PEERPIDFD,
    SO_PEERSEC,
    SO_PREFER_BUSY_POLL,
    SO_PRIORITY,
    SO_PROTOCOL,
    SO_RANDOMPORT,
    SO_RCVBUF,
    SO_RCVBUFFORCE,
    SO_RCVLOWAT,
    SO_RCVMARK,
    SO_RCVPRIORITY,
    SO_RCVTIMEO,
    SO_RCVTIMEO_NEW,
    SO_RCVTIMEO_OLD,
    SO_RESERVE_MEM,
    SO_RESOLVER_SIGNATURE,
    SO_REUSEADDR,
    SO_REUSEPORT,
    SO_REUSESHAREUID,
    SO_RXQ_OVFL,
    SO_SELECT_ERR_QUEUE,
    SO_SNDBUF,
    SO_SNDBUFFORCE,
    SO_SNDLOWAT,
    SO_SNDTIMEO,
    SO_SNDTIMEO_NEW,
    SO_SNDTIMEO_OLD,
    SO_TIMESTAMP,
    SO_TIMESTAMPING,
    SO_TIMESTAMPING_NEW,
    SO_TIMESTAMPING_OLD,
    SO_TIMESTAMPNS,
    SO_TIMESTAMPNS_NEW,
    SO_TIMESTAMPNS_OLD,
    SO_TIMESTAMP_MONOTONIC,
    SO_TIMESTAMP_NEW,
    SO_TIMESTAMP_OLD,
    SO_TXREHASH,
    SO_TXTIME,
    SO_TYPE,
    SO_UPCALLCLOSEWAIT,
    SO_USELOOPBACK,
    SO_WANTMORE,
    SO_WANTOOBFLAG,
    SO_WIFI_STATUS,
    SO_ZEROCOPY,
    TCP_AO_ADD_KEY,
    TCP_AO_DEL_KEY,
    TCP_AO_GET_KEYS,
    TCP_AO_INFO,
    TCP_AO_REPAIR,
    TCP_CC_INFO,
    TCP_CONGESTION,
    TCP_CONNECTIONTIMEOUT,
    TCP_CONNECTION_INFO,
    TCP_CORK,
    TCP_DEFER_ACCEPT,
    TCP_DELACK_MAX_US,
    TCP_ENABLE_ECN,
    TCP_FASTOPEN,
    TCP_FASTOPEN_CONNECT,
    TCP_FASTOPEN_KEY,
    TCP_FASTOPEN_NO_COOKIE,
    TCP_INFO,
    TCP_INQ,
    TCP_IS_MPTCP,
    TCP_KEEPALIVE,
    TCP_KEEPCNT,
    TCP_KEEPIDLE,
    TCP_KEEPINTVL,
    TCP_LINGER2,
    TCP_MAXSEG,
    TCP_MD5SIG,
    TCP_MD5SIG_EXT,
    TCP_NODELAY,
    TCP_NOOPT,
    TCP_NOPUSH,
    TCP_NOTSENT_LOWAT,
    TCP_QUEUE_SEQ,
    TCP_QUICKACK,
    TCP_REPAIR,
    TCP_REPAIR_OPTIONS,
    TCP_REPAIR_QUEUE,
    TCP_REPAIR_WINDOW,
    TCP_RTO_MAX_MS,
    TCP_RTO_MIN_US,
    TCP_RXT_CONNDROPTIME,
    TCP_RXT_FINDROP,
    TCP_SAVED_SYN,
    TCP_SAVE_SYN,
    TCP_SENDMOREACKS,
    TCP_SYNCNT,
    TCP_THIN_DUPACK,
    TCP_THIN_LINEAR_TIMEOUTS,
    TCP_TIMESTAMP,
    TCP_TX_DELAY,
    TCP_ULP,
    TCP_USER_TIMEOUT,
    TCP_WINDOW_CLAMP,
    TCP_ZEROCOPY_RECEIVE,
    UDPLITE_RECV_CSCOV,
    UDPLITE_SEND_CSCOV,
    UDP_CORK,
    UDP_ENCAP,
    UDP_GRO,
    UDP_NOCKSUM,
    UDP_NO_CHECK6_RX,
    UDP_NO_CHECK6_TX,
    UDP_SEGMENT,
)

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
# END GENERATED RE-EXPORTS

_abi = raw.ABI
T = TypeVar("T")

AF_UNSPEC: Final = int(_abi.AF_UNSPEC)
AF_INET: Final = int(_abi.AF_INET)
AF_INET6: Final = int(_abi.AF_INET6)
AF_UNIX: Final = int(_abi.AF_UNIX)
SOCK_STREAM: Final = int(_abi.SOCK_STREAM)
SOCK_DGRAM: Final = int(_abi.SOCK_DGRAM)
SOCK_SEQPACKET: Final = int(_abi.SOCK_SEQPACKET)
SHUT_RD: Final = int(_abi.SHUT_RD)
SHUT_WR: Final = int(_abi.SHUT_WR)
SHUT_RDWR: Final = int(_abi.SHUT_RDWR)
SOMAXCONN: Final = int(_abi.SOMAXCONN)

#: Linux or-s SOCK_NONBLOCK/SOCK_CLOEXEC into the type; the type proper is the low bits.
_TYPE_MASK: Final = 0xF
_SOL_SOCKET: Final = int(_abi.SOL_SOCKET)
_SCM_RIGHTS: Final = int(_abi.SCM_RIGHTS)
#: Control messages that carry descriptors: SCM_RIGHTS, and Linux's SCM_PIDFD (SO_PASSPIDFD).
_FD_MESSAGES: Final = frozenset({_SCM_RIGHTS, int(getattr(_abi, "SCM_PIDFD", _SCM_RIGHTS))})
_MSG_CTRUNC: Final = int(_abi.MSG_CTRUNC)
_SO_ERROR: Final = int(_abi.SO_ERROR)
_F_SETFD: Final = int(_abi.F_SETFD)
_F_GETFL: Final = int(_abi.F_GETFL)
_FD_CLOEXEC: Final = int(_abi.FD_CLOEXEC)
_O_NONBLOCK: Final = int(_abi.O_NONBLOCK)
_SOCK_CLOEXEC: Final = int(_abi.ATOMIC_SOCK_CLOEXEC)
#: Timeouts must be shorter than this many seconds: the stdlib's limit (2**63 ns).
_TIMEOUT_LIMIT: Final = 2.0**63 / 1e9
_MSG_CMSG_CLOEXEC: Final = int(_abi.ATOMIC_MSG_CMSG_CLOEXEC)
_INT_SIZE: Final = struct.calcsize("i")
#: recv_fds's control room before the descriptors: the messages Linux puts first when the
#: receiver asked for them, credentials (SO_PASSCRED: a 12-byte struct ucred) and a pidfd.
_RECV_FDS_ROOM: Final = raw.CMSG_SPACE(12) + raw.CMSG_SPACE(_INT_SIZE)
_EAGAIN: Final = errno.EAGAIN
_EISCONN: Final = errno.EISCONN
#: Seconds between connect attempts while an AF_UNIX backlog is full.
_CONNECT_RETRY: Final = 0.005


def _set_cloexec(fd: int) -> None:
    """FD_CLOEXEC on *fd*: one ``fcntl(F_SETFD)`` (FD_CLOEXEC is the only descriptor flag)."""
    raw.fcntl(fd, _F_SETFD, _FD_CLOEXEC)


#: ``set_blocking(fd, blocking)``: the stdlib's, one ``ioctl(FIONBIO)``.
_set_blocking: Final = os.set_blocking


def _check_timeout(value: float | None) -> float | None:
    """*value* as the seconds of a timeout, or None; refused here, before anything changes.

    Raises:
        TypeError: not a number.  ValueError: negative or NaN.
        OverflowError: infinite or beyond the stdlib's limit (``2**63`` ns).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be a number of seconds or None, not {type(value).__name__}")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if math.isnan(seconds):
        raise ValueError("timeout must not be NaN")
    if seconds < 0:
        raise ValueError("timeout must not be negative")
    if not seconds < _TIMEOUT_LIMIT:
        raise OverflowError(
            f"timeout {value!r} is too large: at most {_TIMEOUT_LIMIT:.0f} seconds, as the stdlib's (None blocks forever)"
        )
    return seconds


#: An object's in-flight protocol, called from C (no bytecode between the call and its bookkeeping).
_ENTER: Final = operator.methodcaller("_enter")
_EXIT: Final = operator.methodcaller("_exit")
_FIRST: Final = operator.itemgetter(0)


def _fd_numbers(anc: Iterable[tuple[int, int, bytes]]) -> tuple[list[int], list[int]]:
    """The descriptors in the control messages *anc*: (``SCM_RIGHTS``'s, the others' such as a pidfd)."""
    rights: list[int] = []
    others: list[int] = []
    for level, kind, payload in anc:
        if level == _SOL_SOCKET and kind in _FD_MESSAGES:
            whole = len(payload) - len(payload) % _INT_SIZE
            numbers = struct.unpack(f"{whole // _INT_SIZE}i", payload[:whole])
            (rights if kind == _SCM_RIGHTS else others).extend(numbers)
    return rights, others


def _close_popped(
    fds: list[int],
    _drain: Callable[..., object] = collections.deque,
    _close: Callable[[int], None] = os.close,
) -> None:
    """Close every descriptor in *fds*, each popped and closed inside one C-level call; errors are ignored."""
    while fds:
        try:
            _drain(map(_close, iter(fds.pop, None)), 0)
        except IndexError:  # emptied
            return
        except OSError:  # that one is gone anyway: on with the rest
            continue


def _close_all(fds: Iterable[int]) -> None:
    for fd in fds:
        try:
            raw.close(fd)
        except OSError:
            pass


def _getsockopt_int(fd: int, level: int, name: int) -> int:
    buf = bytearray(_INT_SIZE)
    n = raw.getsockopt(fd, level, name, buf)
    return int(struct.unpack("i", buf)[0]) if n == _INT_SIZE else int.from_bytes(buf[:n], "little")


@typing.final
@attrs.define(eq=False, init=False, repr=False)
class Socket(core.SocketBase):
    """A socket that closes itself; the stdlib's socket methods over :mod:`macres.raw`.

    See the module docstring for addresses, timeouts and closing rules.
    The data calls (``send``, ``sendall``, ``recv``, ``recv_into``,
    ``sendto``, ``recvfrom``, ``recvfrom_into``, ``accept``) and
    ``getsockopt``/``setsockopt`` come from the core.  Every method raises
    :class:`~macres.ClosedResourceError` after :meth:`close` or
    :meth:`detach`, and ``OSError`` when the call fails.
    """

    def __init__(self, family: int = AF_INET, type: int = SOCK_STREAM, proto: int = 0) -> None:
        """Create a socket (``socket(2)``), close-on-exec.

        *type* may carry Linux's ``SOCK_NONBLOCK`` (timeout 0.0); otherwise
        the timeout is :func:`socket.getdefaulttimeout`.

        Raises:
            OSError: EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE, EACCES.
            OverflowError: an argument out of range.  TypeError: an argument is no int (named).
        """
        self._open(family, type, proto)  # socket(2) and its owner in one step: see the core

    def _setup(
        self, fd: int, family: int, type: int, proto: int, nonblocking: bool, cloexec: bool, given: list[int] | None = None
    ) -> None:
        """Adopt *fd*: close-on-exec if *cloexec* says so, timeout as the stdlib sets it.

        With *given* (``[fd]``), *fd* moves from that list into the socket
        inside one C call (``_acquire(given.pop)``): an empty *given* tells
        the caller that the socket owns it.

        *nonblocking* is the descriptor's O_NONBLOCK state (a type with
        ``SOCK_NONBLOCK`` has it).  A non-blocking descriptor gets timeout
        0.0, a blocking one the default timeout (one ``ioctl(FIONBIO)`` when
        that is a number, as the stdlib).  If anything fails before the
        socket owns *fd*, *fd* is left open: the caller decides.
        """
        if cloexec:
            _set_cloexec(fd)
        timeout: float | None
        if nonblocking:
            timeout = 0.0
        else:
            timeout = _stdsocket.getdefaulttimeout()
            if timeout is not None:
                _set_blocking(fd, False)
        self._configure(int(family), int(type) & _TYPE_MASK, int(proto), timeout)
        if given is None:
            self._adopt(fd)
        else:
            self._acquire(given.pop)

    @classmethod
    def pair(cls, family: int = AF_UNIX, type: int = SOCK_STREAM, proto: int = 0) -> tuple[Socket, Socket]:
        """``socketpair(2)``: two connected, close-on-exec sockets.

        Raises:
            OSError: EOPNOTSUPP/EAFNOSUPPORT (only AF_UNIX makes pairs), EMFILE.
            OverflowError: an argument out of range.  TypeError: an argument is no int (named).
        """
        return cls._pair(family, type, proto)  # socketpair(2) and the two owners in one step

    @classmethod
    def from_fd(cls, fd: int) -> Socket:
        """Take ownership of the open socket descriptor *fd*: the Socket will close it.

        Family, type and protocol are asked of the kernel; the timeout is 0.0
        if *fd* is non-blocking, else the default.  The descriptor is made
        close-on-exec (``fcntl(F_SETFD, FD_CLOEXEC)``, whatever it was).  On
        failure *fd* stays the caller's (not closed).

        Raises:
            OSError: ENOTSOCK (not a socket), EBADF.  ValueError: *fd* negative.
            TypeError: *fd* is not an int (a bool or a float neither).
            OverflowError: *fd* beyond a C int.
        """
        if isinstance(fd, bool) or not isinstance(fd, int):
            raise TypeError(f"fd must be a descriptor number (int), not {type(fd).__name__}")
        if fd < 0:
            raise ValueError(f"file descriptor must not be negative, got {fd}")
        sock_type = SO_TYPE.get(fd)
        if SO_DOMAIN.available:
            family = SO_DOMAIN.get(fd)
        else:  # darwin: the family field of the socket's own address
            address = raw.getsockname(fd)
            family = raw.address_family(address) if address is not None else AF_UNSPEC
        proto = SO_PROTOCOL.get(fd) if SO_PROTOCOL.available else 0
        nonblocking = bool(raw.fcntl(fd, _F_GETFL, 0) & _O_NONBLOCK)
        self = cls.__new__(cls)
        # The number moves from *given* into the socket inside one C call
        # (_acquire(given.pop)); if anything fails after that, even an
        # exception raised by a signal handler, the socket gives it back
        # unclosed, so the caller alone closes it.
        given = [fd]
        try:
            self._setup(fd, family, sock_type, proto, nonblocking, True, given)
        except BaseException:
            if not given and not self.closed:
                self.detach()
            raise
        return self

    # -- the stdlib's attributes -------------------------------------------
    @property
    def family(self) -> int:
        """The address family (``AF_INET``, ...), as an ``AddressFamily`` member where one exists."""
        try:
            return _abi.AddressFamily(self._family)
        except ValueError:
            return self._family

    @property
    def type(self) -> int:
        """The socket type (``SOCK_STREAM``, ``SOCK_DGRAM``, ...) without creation flags."""
        return self._type

    @property
    def proto(self) -> int:
        """The protocol number (0 for the family's default)."""
        return self._proto

    @property
    def timeout(self) -> float | None:
        """Seconds each call may wait, None to block, 0.0 never to wait (stdlib semantics).

        Setting it costs what the stdlib's ``settimeout`` costs: one
        ``ioctl(FIONBIO)`` when the descriptor's mode changes (None against
        a number), nothing otherwise.

        Raises:
            ValueError: negative or NaN.  TypeError: not a number.
            OverflowError: infinite or too large (see :meth:`settimeout`).
            ClosedResourceError: closed (on set).
        """
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        seconds = _check_timeout(value)
        if (seconds is None) != (self._timeout is None):  # the descriptor's mode changes
            self._call(_set_blocking, seconds is None)
        elif self._closing:
            raise self._closed_error()
        self._configure(self._family, self._type, self._proto, seconds)

    @property
    def blocking(self) -> bool:
        """False when ``timeout`` is 0.0; setting True means timeout None, False 0.0."""
        return self._timeout != 0.0

    @blocking.setter
    def blocking(self, value: bool) -> None:
        self.timeout = None if value else 0.0

    # The stdlib's spellings, so code (and asyncio's debug checks) written
    # for socket.socket works unchanged.
    def gettimeout(self) -> float | None:
        """The :attr:`timeout`, as ``socket.socket.gettimeout``."""
        return self._timeout

    def settimeout(self, value: float | None) -> None:
        """Set the :attr:`timeout`, as ``socket.socket.settimeout``.

        As the stdlib's, an infinite timeout is refused (use None to block
        forever), and so is anything from ``2**63`` nanoseconds (292 years) up.

        Raises:
            ValueError: negative or NaN.  TypeError: not a number.
            OverflowError: infinite or too large.  ClosedResourceError: closed.
        """
        self.timeout = value

    def getblocking(self) -> bool:
        """The :attr:`blocking` flag, as ``socket.socket.getblocking``."""
        return self._timeout != 0.0

    def setblocking(self, flag: bool) -> None:
        """Set :attr:`blocking`, as ``socket.socket.setblocking``.

        Raises:
            ClosedResourceError: closed.
        """
        self.timeout = None if flag else 0.0

    # -- addresses ----------------------------------------------------------
    def _resolved(self, address: Any) -> Any:
        """*address* with a host name resolved (:func:`socket.getaddrinfo`) for AF_INET/AF_INET6.

        Raises:
            socket.gaierror: an unknown host.
        """
        family = self._family
        if family not in (AF_INET, AF_INET6) or not isinstance(address, tuple) or len(address) < 2:
            return address
        host, port = address[0], address[1]
        if not isinstance(host, str) or "\0" in host or not isinstance(port, int) or host in ("", "<broadcast>"):
            return address
        try:
            _stdsocket.inet_pton(family, host.partition("%")[0])
            return address  # numeric already
        except OSError:
            pass
        infos = _stdsocket.getaddrinfo(host, port, family, self._type, self._proto)
        resolved = infos[0][4]
        if family == AF_INET6:  # the tuple's flowinfo/scope_id win over the resolver's
            extra = tuple(address[2:4]) + tuple(resolved[2 + len(address[2:4]) : 4])
            return (str(resolved[0]), int(resolved[1]), *extra)
        return (str(resolved[0]), int(resolved[1]))

    # -- naming and connecting ---------------------------------------------------
    def bind(self, address: AddressArg) -> None:
        """``bind(2)``: give the socket a local *address* (stdlib form).

        Raises:
            OSError: EADDRINUSE, EACCES, EINVAL; ``gaierror`` for an unknown host.
            TypeError, ValueError, OverflowError: a malformed address, before any call.
        """
        self._call(raw.bind, self._family, self._resolved(address))

    def listen(self, backlog: int = SOMAXCONN) -> None:
        """``listen(2)``: accept connections, queueing up to *backlog*.

        Raises:
            OSError: EOPNOTSUPP (not a stream socket), EINVAL.
        """
        self._call(raw.listen, backlog)

    def connect(self, address: AddressArg) -> None:
        """``connect(2)`` to *address*; with a timeout, waits at most that long.

        Raises:
            ConnectionRefusedError, OSError: the connection failed.
            BlockingIOError: timeout 0.0 (EINPROGRESS: the connection goes on).
            TimeoutError: the timeout passed.  ``gaierror``: an unknown host.
            TypeError, ValueError, OverflowError: a malformed address, before any call.
        """
        self._call(self._connect, self._resolved(address))

    def _connect(self, fd: int, address: AddressArg) -> None:
        timeout = self._timeout
        if not timeout:
            raw.connect(fd, self._family, address)
            return
        # Non-blocking connect until connected or the deadline: EINPROGRESS/
        # EALREADY (TCP) -> wait for writable, SO_ERROR, connect again (EISCONN
        # ends it); EAGAIN (a full AF_UNIX backlog on Linux: nothing started,
        # nothing to poll for) -> retry after a short sleep.
        deadline = time.monotonic() + timeout
        while True:
            try:
                raw.connect(fd, self._family, address)
                return
            except BlockingIOError as exc:
                if self._closing:
                    raise self._closed_error() from None
                if exc.errno == _EAGAIN:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError("timed out") from None
                    time.sleep(min(_CONNECT_RETRY, remaining))
                    continue
            except OSError as exc:
                if exc.errno == _EISCONN:
                    return
                raise
            _wait_ready(fd, True, deadline)
            err = _getsockopt_int(fd, _SOL_SOCKET, _SO_ERROR)
            if err:
                raise oserror(err)

    def connect_ex(self, address: AddressArg) -> int:
        """Like :meth:`connect`, but return the errno (0 on success) instead of raising OSError.

        Raises:
            TypeError, ValueError, OverflowError: a malformed address.
            ClosedResourceError: closed.
        """
        try:
            self.connect(address)
        except OSError as exc:
            if exc.errno is None or isinstance(exc, _stdsocket.gaierror):
                raise
            return exc.errno
        return 0

    def shutdown(self, how: int) -> None:
        """``shutdown(2)``: stop receiving (SHUT_RD), sending (SHUT_WR) or both (SHUT_RDWR).

        Raises:
            OSError: ENOTCONN, EINVAL.
        """
        self._call(raw.shutdown, how)

    def getsockname(self) -> Address | None:
        """``getsockname(2)``: the local address (``""`` for an unnamed AF_UNIX socket).

        Raises:
            OSError: the call failed.
        """
        return self._call(raw.getsockname)

    def getpeername(self) -> Address | None:
        """``getpeername(2)``: the connected peer's address.

        Raises:
            OSError: ENOTCONN.
        """
        return self._call(raw.getpeername)

    # -- zero-copy ---------------------------------------------------------------------
    def sendfile(self, file: FileDescriptor | int | HasFileno, offset: int = 0, count: int | None = None) -> int:
        """Send *count* bytes (None: to its end) of *file* from *offset*; return the count sent (``sendfile(2)``).

        A regular file goes through ``sendfile(2)`` (Linux's, or macOS's with
        its own argument order), which reads at *offset* and leaves the
        file's offset where it was; where the socket refuses sendfile
        (EINVAL, ENOTSOCK, EOPNOTSUPP) ``pread``/``send`` do the same.  A
        regular file whose ``st_size`` is 0 (``/proc``) is sent until EOF.  A
        descriptor that is not a regular file (a pipe) is read from its
        position with ``read``/``send`` (*offset* must be 0).  The timeout
        rules of :meth:`send`: timeout 0.0 returns the count sent before the
        socket filled (``BlockingIOError`` if none was), a positive timeout
        waits that long each time the socket is full, None blocks.  *file*
        stays in use (it cannot be closed) for the call.

        Raises:
            BlockingIOError: timeout 0.0 and no room at all.  TimeoutError: a wait passed the timeout.
            ValueError: a negative *offset* or *count*, an *offset* on a stream, or a stream
                with timeout 0.0 (what was read and not sent would be lost).
            ClosedResourceError: this socket or *file* is closed.  OSError: EPIPE, ENOTCONN.
        """
        offset = operator.index(offset)
        if offset < 0 or (count is not None and count < 0):
            raise ValueError(f"offset and count must not be negative, got {offset} and {count}")
        timeout = self._timeout

        def send(sock: int, src: int) -> int:
            return _send_file(sock, src, offset, count, timeout, self._closing_error)

        if isinstance(file, FdHandle):
            held = file
            return self._call(lambda sock: held._call(lambda src: send(sock, src)))
        return self._call(send, fileno_of(file, "file"))

    def _closing_error(self) -> Exception | None:
        """The ClosedResourceError to raise instead of waiting, once a close began; else None."""
        return self._closed_error() if self._closing else None

    # -- messages --------------------------------------------------------------------
    def sendmsg(
        self,
        buffers: Sequence[Buffer],
        ancdata: Iterable[tuple[int, int, Buffer]] = (),
        flags: int = 0,
        address: AddressArg = None,
    ) -> int:
        """``sendmsg(2)``: send *buffers* gathered, with ``(level, type, data)`` ancillary items.

        Raises:
            TypeError, ValueError, OverflowError: a malformed item or address, before any call.
            BlockingIOError, TimeoutError, OSError: as :meth:`send`.
        """
        # One snapshot of each sequence, also across the retries of a timeout.
        bufs, items = tuple(buffers), tuple(ancdata)
        if address is None:
            return self._call_timed(True, raw.sendmsg, bufs, items, flags)
        return self._call_timed(True, raw.sendmsg, bufs, items, flags, self._family, self._resolved(address))

    def recvmsg(
        self, bufsize: int, ancbufsize: int = 0, flags: int = 0
    ) -> tuple[bytes, list[tuple[int, int, bytes]], int, Address | None]:
        """``recvmsg(2)``: ``(data, ancdata, msg_flags, address)`` as the stdlib returns them.

        Descriptors received with ``SCM_RIGHTS`` here are plain numbers the
        caller must close; :meth:`recv_fds` wraps them instead.

        Raises:
            ValueError: a negative size.  BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
        """
        if bufsize < 0:
            raise ValueError(f"negative buffer size in recvmsg: {bufsize}")
        buf = bytearray(bufsize)
        n, anc, msg_flags, address = self.recvmsg_into([buf], ancbufsize, flags)
        return bytes(memoryview(buf)[:n]), anc, msg_flags, address

    def recvmsg_into(
        self, buffers: Sequence[Buffer], ancbufsize: int = 0, flags: int = 0
    ) -> tuple[int, list[tuple[int, int, bytes]], int, Address | None]:
        """``recvmsg(2)`` scattering into *buffers*: ``(count, ancdata, msg_flags, address)``.

        Raises:
            TypeError: a read-only buffer.  ValueError: *ancbufsize* negative.
            BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
        """
        return self._call_timed(False, raw.recvmsg, tuple(buffers), ancbufsize, flags)  # one snapshot

    # -- descriptor passing -----------------------------------------------------------
    def send_fds(
        self,
        data: Buffer,
        fds: Sequence[int | HasFileno],
        flags: int = 0,
        address: AddressArg = None,
    ) -> int:
        """Send *data* with the descriptors *fds* (``SCM_RIGHTS``); return the data bytes sent.

        *fds* are descriptor numbers or descriptor-owning objects: macres's
        (FileDescriptor, Socket, Directory), which stay open (and their
        numbers valid) for the duration of the call, or others with
        ``fileno()`` (a stdlib socket or file).  Other macres objects are
        refused: a MappedRegion's handle is an address, and a Process's
        pidfd (its kqueue on macOS, which cannot be sent) stays with it.  The receiver gets its own duplicates; these stay open here.
        Send at least one byte on a stream socket: an empty message is
        indistinguishable from end of stream.

        Raises:
            ClosedResourceError: this socket or a handle in *fds* is closed.
            TypeError: an item of *fds* is no descriptor (named by its index).
            OverflowError: a number beyond a C int.
            OSError: EBADF (a bad number), ETOOMANYREFS, EMSGSIZE.
        """
        items = tuple(fds)  # one snapshot
        lent = [f for f in items if isinstance(f, FdHandle)]
        entered: list[int] = []  # entered[i] is lent[i]'s number, held until the finally
        # The finally's exits, built before anything is entered: there they
        # run in one C call, with no bytecode before the first _exit.
        exiting = map(_EXIT, map(_FIRST, zip(lent, entered, strict=False)))
        try:
            # Each _enter and the record of its number happen in one C call
            # (list.extend over map), so the finally exits exactly the objects
            # entered, whatever bytecode a signal handler's exception hits.
            entered.extend(map(_ENTER, lent))
            borrowed = {id(h): fd for h, fd in zip(lent, entered, strict=True)}
            numbers = []
            for i, f in enumerate(items):
                if isinstance(f, FdHandle):
                    numbers.append(borrowed[id(f)])
                elif isinstance(f, Handle):
                    raise TypeError(
                        f"fds[{i}] is a {type(f).__name__}, whose handle is no file descriptor:"
                        " send_fds takes descriptor numbers and descriptor-owning objects"
                    )
                else:
                    numbers.append(fileno_of(f, f"fds[{i}]"))
            packed = struct.pack(f"{len(numbers)}i", *numbers)
            ancdata = [(_SOL_SOCKET, _SCM_RIGHTS, packed)] if numbers else []
            return self.sendmsg([data], ancdata, flags, address)
        except struct.error as exc:
            raise OverflowError(f"descriptor out of range: {exc}") from None
        finally:
            collections.deque(exiting, 0)

    def recv_fds(self, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[FileDescriptor]]:
        """Receive up to *bufsize* bytes and up to *maxfds* descriptors (``SCM_RIGHTS``).

        Each received descriptor is a close-on-exec :class:`~macres.FileDescriptor`
        the caller owns (atomically with ``MSG_CMSG_CLOEXEC`` on Linux).  The
        control buffer has room for *maxfds* descriptors and for what the
        kernel adds before them on Linux: credentials (``SO_PASSCRED``) and a
        pidfd (``SO_PASSPIDFD``, closed here).  When descriptors are lost all
        the same (more arrived than *maxfds*, or other control messages filled
        the buffer: ``MSG_CTRUNC``), the ones that did arrive are closed and
        the call raises instead of returning fewer than were sent; the data
        of that message is consumed.

        Raises:
            ValueError: a negative size.  BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
            OSError: EMSGSIZE when descriptors were lost (``MSG_CTRUNC``, or more than *maxfds*).
        """
        if bufsize < 0 or maxfds < 0:
            raise ValueError("bufsize and maxfds must not be negative")
        buf = bytearray(bufsize)
        # CMSG_LEN, not CMSG_SPACE, for the descriptors: the kernel fills whole
        # ints up to the control length, and CMSG_SPACE's padding would admit
        # more.  The room before them is for credentials and a pidfd.
        ancbufsize = _RECV_FDS_ROOM + raw.CMSG_LEN(maxfds * _INT_SIZE)
        # Every received number has one keeper at every bytecode, so an
        # exception raised by a signal handler anywhere closes exactly the
        # ones nobody owns: the control buffer raw.recvmsg puts in *kept*
        # before the call, until *parsed*; then the *rights* and *others*
        # lists; each right then moves into its FileDescriptor's claim
        # inside one C call (_acquire(rights.pop)).
        kept: list[object] = []
        rights: list[int] = []
        others: list[int] = []  # descriptors nobody asked for (a pidfd)
        owned: list[FileDescriptor] = []
        parsed = False
        try:
            n, anc, msg_flags, _ = self._call_timed(
                False, raw.recvmsg, (buf,), ancbufsize, flags | _MSG_CMSG_CLOEXEC, kept
            )
            got_rights, got_others = _fd_numbers(anc)
            rights, others = got_rights[::-1], got_others  # popped from the end: in order
            parsed = True
            _close_popped(others)
            if msg_flags & _MSG_CTRUNC or len(rights) > maxfds:
                _close_popped(rights)
                raise OSError(
                    errno.EMSGSIZE,
                    f"recv_fds: descriptors were lost: more arrived than maxfds={maxfds} allows, or other"
                    " control messages filled the buffer (MSG_CTRUNC); the ones received were closed",
                )
            while rights:
                f = FileDescriptor.__new__(FileDescriptor)
                owned.append(f)  # before it owns anything: the except closes it either way
                if not _MSG_CMSG_CLOEXEC:
                    _set_cloexec(rights[-1])
                f._acquire(rights.pop)
        except BaseException:
            if not parsed:
                rights, others = _fd_numbers(raw.recvmsg_kept_control(kept))
            _close_popped(others)
            _close_popped(rights)
            for f in owned:
                f.close()
            raise
        return bytes(memoryview(buf)[:n]), owned

    # -- options ------------------------------------------------------------------------
    if typing.TYPE_CHECKING:
        # The core's getsockopt/setsockopt, typed: a SockOpt[T] gives and takes a T.
        @overload  # type: ignore[override]
        def getsockopt(self, opt: SockOpt[T], /) -> T: ...
        @overload
        def getsockopt(self, level: int, name: int, /) -> int: ...
        @overload
        def getsockopt(self, level: int, name: int, buflen: int, /) -> bytes: ...
        def getsockopt(self, *args: Any) -> Any: ...

        @overload  # type: ignore[override]
        def setsockopt(self, opt: SockOpt[T], value: T, /) -> None: ...
        @overload
        def setsockopt(self, level: int, name: int, value: int | Buffer, /) -> None: ...
        def setsockopt(self, *args: Any) -> None: ...

    # -- lifecycle ------------------------------------------------------------------------
    def __repr__(self, _error: Any = Exception) -> str:
        # Never raises, also late in interpreter shutdown (the finalizer's
        # "unclosed" warning), when module globals are gone: then the plain numbers.
        try:
            return self._call(self._describe)
        except ValueError:  # closed
            return f"<macres.Socket [closed] fd=-1, family={self.family!s}, type={self._type}, proto={self._proto}>"
        except _error:
            return f"<macres.Socket fd={self._handle}, family={self._family}, type={self._type}, proto={self._proto}>"

    def _describe(self, fd: int) -> str:
        parts = [f"<macres.Socket fd={fd}, family={self.family!s}, type={self._type}, proto={self._proto}"]
        for label, getter in (("laddr", raw.getsockname), ("raddr", raw.getpeername)):
            try:
                value = getter(fd)
            except Exception:  # noqa: BLE001 - repr never raises
                continue
            if value is not None:
                parts.append(f"{label}={value!r}")
        return ", ".join(parts) + ">"
