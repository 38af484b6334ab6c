"""Linux x86_64 (glibc) ABI: ctypes structs, libc symbol names and constants.

This module holds data only.  It imports on any platform and loads no
library, so the test suite can compare it with ``abi/linux_x86_64.json``.
Struct members are declared in C order with fixed-width types; padding and
reserved members the table leaves out are declared with a leading
underscore so that sizes and offsets come out as the C compiler lays them.
"""

from __future__ import annotations

import ctypes
import enum
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

from ._snapshot import active as _snapshot_active
from ._snapshot import kept as _kept
from ._lazy_enums import install as _install_enums
from ._types import DirEntry, Rusage, Stat, StatFS

from ctypes import (
    c_char,
    c_int16,
    c_int32,
    c_int64,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)

#: The platform's name in the ABI tables.
PLATFORM: Final = "linux_x86_64"
#: The C library to load.
LIBC_NAME: Final = "libc.so.6"


def libc_symbols(arch: str) -> Mapping[str, str]:
    """Return the libc symbols that differ from the binding names (none on glibc)."""
    del arch
    return {}



class CTimespec(ctypes.Structure):
    """``struct timespec``."""

    _fields_ = (("tv_sec", c_int64), ("tv_nsec", c_int64))


class CTimeval(ctypes.Structure):
    """``struct timeval``."""

    _fields_ = (("tv_sec", c_int64), ("tv_usec", c_int64))


class CStat(ctypes.Structure):
    """``struct stat`` (glibc x86_64)."""

    _fields_ = (
        ("st_dev", c_uint64),
        ("st_ino", c_uint64),
        ("st_nlink", c_uint64),
        ("st_mode", c_uint32),
        ("st_uid", c_uint32),
        ("st_gid", c_uint32),
        ("_pad0", c_int32),
        ("st_rdev", c_uint64),
        ("st_size", c_int64),
        ("st_blksize", c_int64),
        ("st_blocks", c_int64),
        ("st_atim", CTimespec),
        ("st_mtim", CTimespec),
        ("st_ctim", CTimespec),
        ("_reserved", c_int64 * 3),
    )


class CFsid(ctypes.Structure):
    """``fsid_t``."""

    _fields_ = (("__val", c_int32 * 2),)


class CStatfs(ctypes.Structure):
    """``struct statfs`` (64-bit fields on x86_64)."""

    _fields_ = (
        ("f_type", c_int64),
        ("f_bsize", c_int64),
        ("f_blocks", c_uint64),
        ("f_bfree", c_uint64),
        ("f_bavail", c_uint64),
        ("f_files", c_uint64),
        ("f_ffree", c_uint64),
        ("f_fsid", CFsid),
        ("f_namelen", c_int64),
        ("f_frsize", c_int64),
        ("f_flags", c_int64),
        ("f_spare", c_int64 * 4),
    )


class CDirent(ctypes.Structure):
    """``struct dirent``."""

    _fields_ = (
        ("d_ino", c_uint64),
        ("d_off", c_int64),
        ("d_reclen", c_uint16),
        ("d_type", c_uint8),
        ("d_name", c_char * 256),
    )


class CEpollEvent(ctypes.Structure):
    """``struct epoll_event``: packed on x86_64, ``data`` at offset 4."""

    _pack_ = 1
    _fields_ = (("events", c_uint32), ("data", c_uint64))


class CFdSet(ctypes.Structure):
    """``fd_set``: FD_SETSIZE bits in longs."""

    _fields_ = (("fds_bits", c_int64 * 16),)


class CFlock(ctypes.Structure):
    """``struct flock`` (fcntl record locks)."""

    _fields_ = (
        ("l_type", c_int16),
        ("l_whence", c_int16),
        ("l_start", c_int64),
        ("l_len", c_int64),
        ("l_pid", c_int32),
    )


class CIovec(ctypes.Structure):
    """``struct iovec``."""

    _fields_ = (("iov_base", c_void_p), ("iov_len", c_uint64))


class CMsghdr(ctypes.Structure):
    """``struct msghdr`` (``msg_iovlen`` and ``msg_controllen`` are size_t)."""

    _fields_ = (
        ("msg_name", c_void_p),
        ("msg_namelen", c_uint32),
        ("msg_iov", ctypes.POINTER(CIovec)),
        ("msg_iovlen", c_uint64),
        ("msg_control", c_void_p),
        ("msg_controllen", c_uint64),
        ("msg_flags", c_int32),
    )


class CCmsghdr(ctypes.Structure):
    """``struct cmsghdr`` (``cmsg_len`` is size_t)."""

    _fields_ = (
        ("cmsg_len", c_uint64),
        ("cmsg_level", c_int32),
        ("cmsg_type", c_int32),
    )


class CPollfd(ctypes.Structure):
    """``struct pollfd``."""

    _fields_ = (("fd", c_int32), ("events", c_int16), ("revents", c_int16))


class CRlimit(ctypes.Structure):
    """``struct rlimit`` (rlim_t is unsigned 64-bit)."""

    _fields_ = (("rlim_cur", c_uint64), ("rlim_max", c_uint64))


class CRusage(ctypes.Structure):
    """``struct rusage``; ``ru_maxrss`` is in KiB on Linux."""

    _fields_ = (
        ("ru_utime", CTimeval),
        ("ru_stime", CTimeval),
        ("ru_maxrss", c_int64),
        ("ru_ixrss", c_int64),
        ("ru_idrss", c_int64),
        ("ru_isrss", c_int64),
        ("ru_minflt", c_int64),
        ("ru_majflt", c_int64),
        ("ru_nswap", c_int64),
        ("ru_inblock", c_int64),
        ("ru_oublock", c_int64),
        ("ru_msgsnd", c_int64),
        ("ru_msgrcv", c_int64),
        ("ru_nsignals", c_int64),
        ("ru_nvcsw", c_int64),
        ("ru_nivcsw", c_int64),
    )


class CSigsetT(ctypes.Structure):
    """glibc ``sigset_t`` (1024 bits)."""

    _fields_ = (("__val", c_uint64 * 16),)


class CSockaddr(ctypes.Structure):
    """``struct sockaddr``."""

    _fields_ = (("sa_family", c_uint16), ("sa_data", c_char * 14))


class CSockaddrIn(ctypes.Structure):
    """``struct sockaddr_in``; port and address in network byte order."""

    _fields_ = (
        ("sin_family", c_uint16),
        ("sin_port", c_uint16),
        ("sin_addr", c_uint32),
        ("sin_zero", c_uint8 * 8),
    )


class CSockaddrIn6(ctypes.Structure):
    """``struct sockaddr_in6``; port and flowinfo in network byte order."""

    _fields_ = (
        ("sin6_family", c_uint16),
        ("sin6_port", c_uint16),
        ("sin6_flowinfo", c_uint32),
        ("sin6_addr", c_uint8 * 16),
        ("sin6_scope_id", c_uint32),
    )


class CSockaddrUn(ctypes.Structure):
    """``struct sockaddr_un`` (no length byte on Linux)."""

    _fields_ = (("sun_family", c_uint16), ("sun_path", c_char * 108))


class CSockaddrStorage(ctypes.Structure):
    """``struct sockaddr_storage``: room for any address."""

    _fields_ = (
        ("ss_family", c_uint16),
        ("__ss_padding", c_uint8 * 118),
        ("__ss_align", c_uint64),
    )


class CSockaddrLl(ctypes.Structure):
    """``struct sockaddr_ll`` (AF_PACKET)."""

    _fields_ = (
        ("sll_family", c_uint16),
        ("sll_protocol", c_uint16),
        ("sll_ifindex", c_int32),
        ("sll_hatype", c_uint16),
        ("sll_pkttype", c_uint8),
        ("sll_halen", c_uint8),
        ("sll_addr", c_uint8 * 8),
    )


class CSockaddrNl(ctypes.Structure):
    """``struct sockaddr_nl`` (AF_NETLINK)."""

    _fields_ = (
        ("nl_family", c_uint16),
        ("nl_pad", c_uint16),
        ("nl_pid", c_uint32),
        ("nl_groups", c_uint32),
    )


class CLinger(ctypes.Structure):
    """``struct linger``; ``l_linger`` in seconds on Linux."""

    _fields_ = (("l_onoff", c_int32), ("l_linger", c_int32))


class CUcred(ctypes.Structure):
    """``struct ucred`` (SO_PEERCRED)."""

    _fields_ = (("pid", c_int32), ("uid", c_uint32), ("gid", c_uint32))


class CInPktinfo(ctypes.Structure):
    """``struct in_pktinfo``."""

    _fields_ = (
        ("ipi_ifindex", c_int32),
        ("ipi_spec_dst", c_uint32),
        ("ipi_addr", c_uint32),
    )


class CIn6Pktinfo(ctypes.Structure):
    """``struct in6_pktinfo``."""

    _fields_ = (("ipi6_addr", c_uint8 * 16), ("ipi6_ifindex", c_uint32))


class CIpMreq(ctypes.Structure):
    """``struct ip_mreq``."""

    _fields_ = (("imr_multiaddr", c_uint32), ("imr_interface", c_uint32))


class CIpMreqn(ctypes.Structure):
    """``struct ip_mreqn``."""

    _fields_ = (
        ("imr_multiaddr", c_uint32),
        ("imr_address", c_uint32),
        ("imr_ifindex", c_int32),
    )


class CIpv6Mreq(ctypes.Structure):
    """``struct ipv6_mreq``."""

    _fields_ = (("ipv6mr_multiaddr", c_uint8 * 16), ("ipv6mr_interface", c_uint32))


class CIcmp6Filter(ctypes.Structure):
    """``struct icmp6_filter``: a set bit blocks that ICMPv6 type on Linux."""

    _fields_ = (("icmp6_filt", c_uint32 * 8),)


class CUtsname(ctypes.Structure):
    """``struct utsname``."""

    _fields_ = (
        ("sysname", c_char * 65),
        ("nodename", c_char * 65),
        ("release", c_char * 65),
        ("version", c_char * 65),
        ("machine", c_char * 65),
        ("domainname", c_char * 65),
    )


class CWinsize(ctypes.Structure):
    """``struct winsize`` (TIOCGWINSZ)."""

    _fields_ = (
        ("ws_row", c_uint16),
        ("ws_col", c_uint16),
        ("ws_xpixel", c_uint16),
        ("ws_ypixel", c_uint16),
    )


class CTcpInfo(ctypes.Structure):
    """``struct tcp_info`` as of the kernel headers of the ABI table.

    The kernel copies ``min(optlen, its own size)``: fields past what the
    running kernel knows stay zero.  The two bitfield bytes are kept whole.
    """

    _fields_ = (
        ("tcpi_state", c_uint8),
        ("tcpi_ca_state", c_uint8),
        ("tcpi_retransmits", c_uint8),
        ("tcpi_probes", c_uint8),
        ("tcpi_backoff", c_uint8),
        ("tcpi_options", c_uint8),
        ("_tcpi_wscale", c_uint8),
        ("_tcpi_flags", c_uint8),
        ("tcpi_rto", c_uint32),
        ("tcpi_ato", c_uint32),
        ("tcpi_snd_mss", c_uint32),
        ("tcpi_rcv_mss", c_uint32),
        ("tcpi_unacked", c_uint32),
        ("tcpi_sacked", c_uint32),
        ("tcpi_lost", c_uint32),
        ("tcpi_retrans", c_uint32),
        ("tcpi_fackets", c_uint32),
        ("tcpi_last_data_sent", c_uint32),
        ("tcpi_last_ack_sent", c_uint32),
        ("tcpi_last_data_recv", c_uint32),
        ("tcpi_last_ack_recv", c_uint32),
        ("tcpi_pmtu", c_uint32),
        ("tcpi_rcv_ssthresh", c_uint32),
        ("tcpi_rtt", c_uint32),
        ("tcpi_rttvar", c_uint32),
        ("tcpi_snd_ssthresh", c_uint32),
        ("tcpi_snd_cwnd", c_uint32),
        ("tcpi_advmss", c_uint32),
        ("tcpi_reordering", c_uint32),
        ("tcpi_rcv_rtt", c_uint32),
        ("tcpi_rcv_space", c_uint32),
        ("tcpi_total_retrans", c_uint32),
        ("tcpi_pacing_rate", c_uint64),
        ("tcpi_max_pacing_rate", c_uint64),
        ("tcpi_bytes_acked", c_uint64),
        ("tcpi_bytes_received", c_uint64),
        ("tcpi_segs_out", c_uint32),
        ("tcpi_segs_in", c_uint32),
        ("tcpi_notsent_bytes", c_uint32),
        ("tcpi_min_rtt", c_uint32),
        ("tcpi_data_segs_in", c_uint32),
        ("tcpi_data_segs_out", c_uint32),
        ("tcpi_delivery_rate", c_uint64),
        ("tcpi_busy_time", c_uint64),
        ("tcpi_rwnd_limited", c_uint64),
        ("tcpi_sndbuf_limited", c_uint64),
        ("tcpi_delivered", c_uint32),
        ("tcpi_delivered_ce", c_uint32),
        ("tcpi_bytes_sent", c_uint64),
        ("tcpi_bytes_retrans", c_uint64),
        ("tcpi_dsack_dups", c_uint32),
        ("tcpi_reord_seen", c_uint32),
        ("tcpi_rcv_ooopack", c_uint32),
        ("tcpi_snd_wnd", c_uint32),
        ("tcpi_rcv_wnd", c_uint32),
        ("tcpi_rehash", c_uint32),
        ("tcpi_total_rto", c_uint16),
        ("tcpi_total_rto_recoveries", c_uint16),
        ("tcpi_total_rto_time", c_uint32),
        ("tcpi_received_ce", c_uint32),
        ("tcpi_delivered_e1_bytes", c_uint32),
        ("tcpi_delivered_e0_bytes", c_uint32),
        ("tcpi_delivered_ce_bytes", c_uint32),
        ("tcpi_received_e1_bytes", c_uint32),
        ("tcpi_received_e0_bytes", c_uint32),
        ("tcpi_received_ce_bytes", c_uint32),
    )


#: The ctypes struct for every struct of the ABI table, by its C name.
STRUCTS: Final[Mapping[str, type[ctypes.Structure]]] = {
    "cmsghdr": CCmsghdr,
    "dirent": CDirent,
    "epoll_event": CEpollEvent,
    "fd_set": CFdSet,
    "flock": CFlock,
    "fsid": CFsid,
    "icmp6_filter": CIcmp6Filter,
    "in6_pktinfo": CIn6Pktinfo,
    "in_pktinfo": CInPktinfo,
    "iovec": CIovec,
    "ip_mreq": CIpMreq,
    "ip_mreqn": CIpMreqn,
    "ipv6_mreq": CIpv6Mreq,
    "linger": CLinger,
    "msghdr": CMsghdr,
    "pollfd": CPollfd,
    "rlimit": CRlimit,
    "rusage": CRusage,
    "sigset_t": CSigsetT,
    "sockaddr": CSockaddr,
    "sockaddr_in": CSockaddrIn,
    "sockaddr_in6": CSockaddrIn6,
    "sockaddr_ll": CSockaddrLl,
    "sockaddr_nl": CSockaddrNl,
    "sockaddr_storage": CSockaddrStorage,
    "sockaddr_un": CSockaddrUn,
    "stat": CStat,
    "statfs": CStatfs,
    "tcp_info": CTcpInfo,
    "timespec": CTimespec,
    "timeval": CTimeval,
    "ucred": CUcred,
    "utsname": CUtsname,
    "winsize": CWinsize,
}

def stat_value(c: CStat) -> Stat:
    """Return the :class:`Stat` value of a filled ``struct stat``."""
    return Stat.from_fields(
        c.st_mode,
        c.st_ino,
        c.st_dev,
        c.st_nlink,
        c.st_uid,
        c.st_gid,
        c.st_size,
        c.st_atim.tv_sec * 1_000_000_000 + c.st_atim.tv_nsec,
        c.st_mtim.tv_sec * 1_000_000_000 + c.st_mtim.tv_nsec,
        c.st_ctim.tv_sec * 1_000_000_000 + c.st_ctim.tv_nsec,
        c.st_blksize,
        c.st_blocks,
        c.st_rdev,
    )


def statfs_value(c: CStatfs) -> StatFS:
    """Return the :class:`StatFS` value of a filled ``struct statfs``."""
    return StatFS(
        f_type=c.f_type,
        f_bsize=c.f_bsize,
        f_blocks=c.f_blocks,
        f_bfree=c.f_bfree,
        f_bavail=c.f_bavail,
        f_files=c.f_files,
        f_ffree=c.f_ffree,
        f_fsid=(c.f_fsid.__val[0], c.f_fsid.__val[1]),
        f_flags=c.f_flags,
        f_namelen=c.f_namelen,
        f_frsize=c.f_frsize,
    )


def dirent_value(c: CDirent) -> DirEntry:
    """Return the :class:`DirEntry` value of a filled ``struct dirent``."""
    return DirEntry(
        d_ino=c.d_ino,
        d_type=c.d_type,
        d_name=c.d_name,
        d_reclen=c.d_reclen,
        d_off=c.d_off,
    )


def rusage_value(c: CRusage) -> Rusage:
    """Return the :class:`Rusage` of a filled ``struct rusage`` (float seconds, as ``resource`` computes them)."""
    return Rusage(
        c.ru_utime.tv_sec + c.ru_utime.tv_usec * 0.000001,
        c.ru_stime.tv_sec + c.ru_stime.tv_usec * 0.000001,
        c.ru_maxrss,
        c.ru_ixrss,
        c.ru_idrss,
        c.ru_isrss,
        c.ru_minflt,
        c.ru_majflt,
        c.ru_nswap,
        c.ru_inblock,
        c.ru_oublock,
        c.ru_msgsnd,
        c.ru_msgrcv,
        c.ru_nsignals,
        c.ru_nvcsw,
        c.ru_nivcsw,
    )


#: ``mode_t`` is 32 bits on Linux.
MODE_T: Final = ctypes.c_uint32
#: ``dev_t`` is an unsigned 64-bit integer on Linux.
DEV_T: Final = ctypes.c_uint64
#: Units and quirks the object layer normalises.
RUSAGE_MAXRSS_UNIT: Final = 1024  # ru_maxrss is KiB on Linux
HAS_SA_LEN: Final = False  # sockaddrs carry no length byte
#: ``epoll_ctl`` operations (``<sys/epoll.h>``) for the epoll helpers; the
#: ABI tables have no epoll group (the event bits are ``select.EPOLL*``).
EPOLL_CTL_ADD: Final = 1
EPOLL_CTL_DEL: Final = 2
EPOLL_CTL_MOD: Final = 3

# BEGIN GENERATED CONSTANTS (tools/gen_constants.py)
# Source: data/abi/linux_x86_64.json.  Do not edit by hand.

# -- access
F_OK: Final = 0
R_OK: Final = 4
W_OK: Final = 2
X_OK: Final = 1

# -- at
AT_EACCESS: Final = 512
AT_EMPTY_PATH: Final = 4096
AT_FDCWD: Final = -100
AT_NO_AUTOMOUNT: Final = 2048
AT_RECURSIVE: Final = 32768
AT_REMOVEDIR: Final = 512
AT_STATX_DONT_SYNC: Final = 16384
AT_STATX_FORCE_SYNC: Final = 8192
AT_STATX_SYNC_AS_STAT: Final = 0
AT_SYMLINK_FOLLOW: Final = 1024
AT_SYMLINK_NOFOLLOW: Final = 256

# -- clock
if TYPE_CHECKING:

    class ClockId(enum.IntEnum):
        """CLOCK_* clock ids."""

        CLOCK_REALTIME = 0
        CLOCK_MONOTONIC = 1
        CLOCK_PROCESS_CPUTIME_ID = 2
        CLOCK_THREAD_CPUTIME_ID = 3
        CLOCK_MONOTONIC_RAW = 4
        CLOCK_REALTIME_COARSE = 5
        CLOCK_MONOTONIC_COARSE = 6
        CLOCK_BOOTTIME = 7
        CLOCK_REALTIME_ALARM = 8
        CLOCK_BOOTTIME_ALARM = 9
        CLOCK_TAI = 11

    CLOCK_BOOTTIME: Final = ClockId.CLOCK_BOOTTIME
    CLOCK_BOOTTIME_ALARM: Final = ClockId.CLOCK_BOOTTIME_ALARM
    CLOCK_MONOTONIC: Final = ClockId.CLOCK_MONOTONIC
    CLOCK_MONOTONIC_COARSE: Final = ClockId.CLOCK_MONOTONIC_COARSE
    CLOCK_MONOTONIC_RAW: Final = ClockId.CLOCK_MONOTONIC_RAW
    CLOCK_PROCESS_CPUTIME_ID: Final = ClockId.CLOCK_PROCESS_CPUTIME_ID
    CLOCK_REALTIME: Final = ClockId.CLOCK_REALTIME
    CLOCK_REALTIME_ALARM: Final = ClockId.CLOCK_REALTIME_ALARM
    CLOCK_REALTIME_COARSE: Final = ClockId.CLOCK_REALTIME_COARSE
    CLOCK_TAI: Final = ClockId.CLOCK_TAI
    CLOCK_THREAD_CPUTIME_ID: Final = ClockId.CLOCK_THREAD_CPUTIME_ID

# -- errno
E2BIG: Final = 7
EACCES: Final = 13
EADDRINUSE: Final = 98
EADDRNOTAVAIL: Final = 99
EADV: Final = 68
EAFNOSUPPORT: Final = 97
EAGAIN: Final = 11
EALREADY: Final = 114
EBADE: Final = 52
EBADF: Final = 9
EBADFD: Final = 77
EBADMSG: Final = 74
EBADR: Final = 53
EBADRQC: Final = 56
EBADSLT: Final = 57
EBFONT: Final = 59
EBUSY: Final = 16
ECANCELED: Final = 125
ECHILD: Final = 10
ECHRNG: Final = 44
ECOMM: Final = 70
ECONNABORTED: Final = 103
ECONNREFUSED: Final = 111
ECONNRESET: Final = 104
EDEADLK: Final = 35
EDEADLOCK: Final = 35
EDESTADDRREQ: Final = 89
EDOM: Final = 33
EDOTDOT: Final = 73
EDQUOT: Final = 122
EEXIST: Final = 17
EFAULT: Final = 14
EFBIG: Final = 27
EFSBADCRC: Final = 74
EFSCORRUPTED: Final = 117
EHOSTDOWN: Final = 112
EHOSTUNREACH: Final = 113
EHWPOISON: Final = 133
EIDRM: Final = 43
EILSEQ: Final = 84
EINPROGRESS: Final = 115
EINTR: Final = 4
EINVAL: Final = 22
EIO: Final = 5
EISCONN: Final = 106
EISDIR: Final = 21
EISNAM: Final = 120
EKEYEXPIRED: Final = 127
EKEYREJECTED: Final = 129
EKEYREVOKED: Final = 128
EL2HLT: Final = 51
EL2NSYNC: Final = 45
EL3HLT: Final = 46
EL3RST: Final = 47
ELIBACC: Final = 79
ELIBBAD: Final = 80
ELIBEXEC: Final = 83
ELIBMAX: Final = 82
ELIBSCN: Final = 81
ELNRNG: Final = 48
ELOOP: Final = 40
EMEDIUMTYPE: Final = 124
EMFILE: Final = 24
EMLINK: Final = 31
EMSGSIZE: Final = 90
EMULTIHOP: Final = 72
ENAMETOOLONG: Final = 36
ENAVAIL: Final = 119
ENETDOWN: Final = 100
ENETRESET: Final = 102
ENETUNREACH: Final = 101
ENFILE: Final = 23
ENOANO: Final = 55
ENOBUFS: Final = 105
ENOCSI: Final = 50
ENODATA: Final = 61
ENODEV: Final = 19
ENOENT: Final = 2
ENOEXEC: Final = 8
ENOKEY: Final = 126
ENOLCK: Final = 37
ENOLINK: Final = 67
ENOMEDIUM: Final = 123
ENOMEM: Final = 12
ENOMSG: Final = 42
ENONET: Final = 64
ENOPKG: Final = 65
ENOPROTOOPT: Final = 92
ENOSPC: Final = 28
ENOSR: Final = 63
ENOSTR: Final = 60
ENOSYS: Final = 38
ENOTBLK: Final = 15
ENOTCONN: Final = 107
ENOTDIR: Final = 20
ENOTEMPTY: Final = 39
ENOTNAM: Final = 118
ENOTRECOVERABLE: Final = 131
ENOTSOCK: Final = 88
ENOTSUP: Final = 95
ENOTTY: Final = 25
ENOTUNIQ: Final = 76
ENXIO: Final = 6
EOPNOTSUPP: Final = 95
EOVERFLOW: Final = 75
EOWNERDEAD: Final = 130
EPERM: Final = 1
EPFNOSUPPORT: Final = 96
EPIPE: Final = 32
EPROTO: Final = 71
EPROTONOSUPPORT: Final = 93
EPROTOTYPE: Final = 91
ERANGE: Final = 34
EREMCHG: Final = 78
EREMOTE: Final = 66
EREMOTEIO: Final = 121
ERESTART: Final = 85
ERFKILL: Final = 132
EROFS: Final = 30
ESHUTDOWN: Final = 108
ESOCKTNOSUPPORT: Final = 94
ESPIPE: Final = 29
ESRCH: Final = 3
ESRMNT: Final = 69
ESTALE: Final = 116
ESTRPIPE: Final = 86
ETIME: Final = 62
ETIMEDOUT: Final = 110
ETOOMANYREFS: Final = 109
ETXTBSY: Final = 26
EUCLEAN: Final = 117
EUNATCH: Final = 49
EUSERS: Final = 87
EWOULDBLOCK: Final = 11
EXDEV: Final = 18
EXFULL: Final = 54

# -- fcntl
FD_CLOEXEC: Final = 1
F_ADD_SEALS: Final = 1033
F_CREATED_QUERY: Final = 1028
F_DUPFD: Final = 0
F_DUPFD_CLOEXEC: Final = 1030
F_DUPFD_QUERY: Final = 1027
F_EXLCK: Final = 4
F_GETFD: Final = 1
F_GETFL: Final = 3
F_GETLEASE: Final = 1025
F_GETLK: Final = 5
F_GETLK64: Final = 5
F_GETOWN: Final = 9
F_GETOWN_EX: Final = 16
F_GETPIPE_SZ: Final = 1032
F_GETSIG: Final = 11
F_GET_FILE_RW_HINT: Final = 1037
F_GET_RW_HINT: Final = 1035
F_GET_SEALS: Final = 1034
F_LOCK: Final = 1
F_NOTIFY: Final = 1026
F_OFD_GETLK: Final = 36
F_OFD_SETLK: Final = 37
F_OFD_SETLKW: Final = 38
F_RDLCK: Final = 0
F_SEAL_EXEC: Final = 32
F_SEAL_FUTURE_WRITE: Final = 16
F_SEAL_GROW: Final = 4
F_SEAL_SEAL: Final = 1
F_SEAL_SHRINK: Final = 2
F_SEAL_WRITE: Final = 8
F_SETFD: Final = 2
F_SETFL: Final = 4
F_SETLEASE: Final = 1024
F_SETLK: Final = 6
F_SETLK64: Final = 6
F_SETLKW: Final = 7
F_SETLKW64: Final = 7
F_SETOWN: Final = 8
F_SETOWN_EX: Final = 15
F_SETPIPE_SZ: Final = 1031
F_SETSIG: Final = 10
F_SET_FILE_RW_HINT: Final = 1038
F_SET_RW_HINT: Final = 1036
F_SHLCK: Final = 8
F_TEST: Final = 3
F_TLOCK: Final = 2
F_ULOCK: Final = 0
F_UNLCK: Final = 2
F_WRLCK: Final = 1

# -- flock
if TYPE_CHECKING:

    class LockOp(enum.IntFlag):
        """LOCK_* operations of flock(2)."""

        LOCK_SH = 1
        LOCK_EX = 2
        LOCK_NB = 4
        LOCK_UN = 8

    LOCK_EX: Final = LockOp.LOCK_EX
    LOCK_NB: Final = LockOp.LOCK_NB
    LOCK_SH: Final = LockOp.LOCK_SH
    LOCK_UN: Final = LockOp.LOCK_UN

# -- ip
IP_ADD_MEMBERSHIP: Final = 35
IP_ADD_SOURCE_MEMBERSHIP: Final = 39
IP_BIND_ADDRESS_NO_PORT: Final = 24
IP_BLOCK_SOURCE: Final = 38
IP_CHECKSUM: Final = 23
IP_DEFAULT_MULTICAST_LOOP: Final = 1
IP_DEFAULT_MULTICAST_TTL: Final = 1
IP_DF: Final = 16384
IP_DROP_MEMBERSHIP: Final = 36
IP_DROP_SOURCE_MEMBERSHIP: Final = 40
IP_FREEBIND: Final = 15
IP_HDRINCL: Final = 3
IP_IPSEC_POLICY: Final = 16
IP_LOCAL_PORT_RANGE: Final = 51
IP_MAXPACKET: Final = 65535
IP_MAX_MEMBERSHIPS: Final = 20
IP_MF: Final = 8192
IP_MINTTL: Final = 21
IP_MSFILTER: Final = 41
IP_MSS: Final = 576
IP_MTU: Final = 14
IP_MTU_DISCOVER: Final = 10
IP_MULTICAST_ALL: Final = 49
IP_MULTICAST_IF: Final = 32
IP_MULTICAST_LOOP: Final = 34
IP_MULTICAST_TTL: Final = 33
IP_NODEFRAG: Final = 22
IP_OFFMASK: Final = 8191
IP_OPTIONS: Final = 4
IP_ORIGDSTADDR: Final = 20
IP_PASSSEC: Final = 18
IP_PKTINFO: Final = 8
IP_PKTOPTIONS: Final = 9
IP_PMTUDISC: Final = 10
IP_PMTUDISC_DO: Final = 2
IP_PMTUDISC_DONT: Final = 0
IP_PMTUDISC_INTERFACE: Final = 4
IP_PMTUDISC_OMIT: Final = 5
IP_PMTUDISC_PROBE: Final = 3
IP_PMTUDISC_WANT: Final = 1
IP_PROTOCOL: Final = 52
IP_RECVERR: Final = 11
IP_RECVERR_RFC4884: Final = 26
IP_RECVFRAGSIZE: Final = 25
IP_RECVOPTS: Final = 6
IP_RECVORIGDSTADDR: Final = 20
IP_RECVRETOPTS: Final = 7
IP_RECVTOS: Final = 13
IP_RECVTTL: Final = 12
IP_RETOPTS: Final = 7
IP_RF: Final = 32768
IP_ROUTER_ALERT: Final = 5
IP_TOS: Final = 1
IP_TRANSPARENT: Final = 19
IP_TTL: Final = 2
IP_UNBLOCK_SOURCE: Final = 37
IP_UNICAST_IF: Final = 50
IP_USER_FLOW: Final = 13
IP_XFRM_POLICY: Final = 17

# -- ipproto
IPPROTO_AH: Final = 51
IPPROTO_BEETPH: Final = 94
IPPROTO_COMP: Final = 108
IPPROTO_DCCP: Final = 33
IPPROTO_DSTOPTS: Final = 60
IPPROTO_EGP: Final = 8
IPPROTO_ENCAP: Final = 98
IPPROTO_ESP: Final = 50
IPPROTO_ETHERNET: Final = 143
IPPROTO_FRAGMENT: Final = 44
IPPROTO_GRE: Final = 47
IPPROTO_HOPOPTS: Final = 0
IPPROTO_ICMP: Final = 1
IPPROTO_ICMPV6: Final = 58
IPPROTO_IDP: Final = 22
IPPROTO_IGMP: Final = 2
IPPROTO_IP: Final = 0
IPPROTO_IPIP: Final = 4
IPPROTO_IPV6: Final = 41
IPPROTO_L2TP: Final = 115
IPPROTO_MH: Final = 135
IPPROTO_MPLS: Final = 137
IPPROTO_MPTCP: Final = 262
IPPROTO_MTP: Final = 92
IPPROTO_NONE: Final = 59
IPPROTO_PIM: Final = 103
IPPROTO_PUP: Final = 12
IPPROTO_RAW: Final = 255
IPPROTO_ROUTING: Final = 43
IPPROTO_RSVP: Final = 46
IPPROTO_SCTP: Final = 132
IPPROTO_SMC: Final = 256
IPPROTO_TCP: Final = 6
IPPROTO_TP: Final = 29
IPPROTO_UDP: Final = 17
IPPROTO_UDPLITE: Final = 136

# -- ipv6
IPV6_2292DSTOPTS: Final = 4
IPV6_2292HOPLIMIT: Final = 8
IPV6_2292HOPOPTS: Final = 3
IPV6_2292PKTINFO: Final = 2
IPV6_2292PKTOPTIONS: Final = 6
IPV6_2292RTHDR: Final = 5
IPV6_ADDRFORM: Final = 1
IPV6_ADDR_PREFERENCES: Final = 72
IPV6_ADD_MEMBERSHIP: Final = 20
IPV6_AUTHHDR: Final = 10
IPV6_AUTOFLOWLABEL: Final = 70
IPV6_CHECKSUM: Final = 7
IPV6_DONTFRAG: Final = 62
IPV6_DROP_MEMBERSHIP: Final = 21
IPV6_DSTOPTS: Final = 59
IPV6_FLOW: Final = 17
IPV6_FLOWINFO_MASK: Final = 4294967055
IPV6_FLOWLABEL_MASK: Final = 4294905600
IPV6_FREEBIND: Final = 78
IPV6_HDRINCL: Final = 36
IPV6_HOPLIMIT: Final = 52
IPV6_HOPOPTS: Final = 54
IPV6_IPSEC_POLICY: Final = 34
IPV6_JOIN_ANYCAST: Final = 27
IPV6_JOIN_GROUP: Final = 20
IPV6_LEAVE_ANYCAST: Final = 28
IPV6_LEAVE_GROUP: Final = 21
IPV6_MINHOPCOUNT: Final = 73
IPV6_MTU: Final = 24
IPV6_MTU_DISCOVER: Final = 23
IPV6_MULTICAST_ALL: Final = 29
IPV6_MULTICAST_HOPS: Final = 18
IPV6_MULTICAST_IF: Final = 17
IPV6_MULTICAST_LOOP: Final = 19
IPV6_NEXTHOP: Final = 9
IPV6_ORIGDSTADDR: Final = 74
IPV6_PATHMTU: Final = 61
IPV6_PKTINFO: Final = 50
IPV6_PMTUDISC_DO: Final = 2
IPV6_PMTUDISC_DONT: Final = 0
IPV6_PMTUDISC_INTERFACE: Final = 4
IPV6_PMTUDISC_OMIT: Final = 5
IPV6_PMTUDISC_PROBE: Final = 3
IPV6_PMTUDISC_WANT: Final = 1
IPV6_RECVDSTOPTS: Final = 58
IPV6_RECVERR: Final = 25
IPV6_RECVERR_RFC4884: Final = 31
IPV6_RECVFRAGSIZE: Final = 77
IPV6_RECVHOPLIMIT: Final = 51
IPV6_RECVHOPOPTS: Final = 53
IPV6_RECVORIGDSTADDR: Final = 74
IPV6_RECVPATHMTU: Final = 60
IPV6_RECVPKTINFO: Final = 49
IPV6_RECVRTHDR: Final = 56
IPV6_RECVTCLASS: Final = 66
IPV6_ROUTER_ALERT: Final = 22
IPV6_ROUTER_ALERT_ISOLATE: Final = 30
IPV6_RTHDR: Final = 57
IPV6_RTHDRDSTOPTS: Final = 55
IPV6_RTHDR_LOOSE: Final = 0
IPV6_RTHDR_STRICT: Final = 1
IPV6_RTHDR_TYPE_0: Final = 0
IPV6_RXDSTOPTS: Final = 59
IPV6_RXHOPOPTS: Final = 54
IPV6_TCLASS: Final = 67
IPV6_TRANSPARENT: Final = 75
IPV6_UNICAST_HOPS: Final = 16
IPV6_UNICAST_IF: Final = 76
IPV6_USER_FLOW: Final = 14
IPV6_V6ONLY: Final = 26
IPV6_VERSION: Final = 96
IPV6_VERSION_MASK: Final = 240
IPV6_XFRM_POLICY: Final = 35

# -- limits
FD_SETSIZE: Final = 1024
IFNAMSIZ: Final = 16
NAME_MAX: Final = 255
PATH_MAX: Final = 4096

# -- madvise
if TYPE_CHECKING:

    class Advice(enum.IntEnum):
        """MADV_* advice of madvise(2)."""

        MADV_NORMAL = 0
        MADV_RANDOM = 1
        MADV_SEQUENTIAL = 2
        MADV_WILLNEED = 3
        MADV_DONTNEED = 4
        MADV_FREE = 8
        MADV_REMOVE = 9
        MADV_DONTFORK = 10
        MADV_DOFORK = 11
        MADV_MERGEABLE = 12
        MADV_UNMERGEABLE = 13
        MADV_HUGEPAGE = 14
        MADV_NOHUGEPAGE = 15
        MADV_DONTDUMP = 16
        MADV_DODUMP = 17
        MADV_WIPEONFORK = 18
        MADV_KEEPONFORK = 19
        MADV_COLD = 20
        MADV_PAGEOUT = 21
        MADV_POPULATE_READ = 22
        MADV_POPULATE_WRITE = 23
        MADV_DONTNEED_LOCKED = 24
        MADV_COLLAPSE = 25
        MADV_HWPOISON = 100
        MADV_GUARD_INSTALL = 102
        MADV_GUARD_REMOVE = 103

    MADV_COLD: Final = Advice.MADV_COLD
    MADV_COLLAPSE: Final = Advice.MADV_COLLAPSE
    MADV_DODUMP: Final = Advice.MADV_DODUMP
    MADV_DOFORK: Final = Advice.MADV_DOFORK
    MADV_DONTDUMP: Final = Advice.MADV_DONTDUMP
    MADV_DONTFORK: Final = Advice.MADV_DONTFORK
    MADV_DONTNEED: Final = Advice.MADV_DONTNEED
    MADV_DONTNEED_LOCKED: Final = Advice.MADV_DONTNEED_LOCKED
    MADV_FREE: Final = Advice.MADV_FREE
    MADV_GUARD_INSTALL: Final = Advice.MADV_GUARD_INSTALL
    MADV_GUARD_REMOVE: Final = Advice.MADV_GUARD_REMOVE
    MADV_HUGEPAGE: Final = Advice.MADV_HUGEPAGE
    MADV_HWPOISON: Final = Advice.MADV_HWPOISON
    MADV_KEEPONFORK: Final = Advice.MADV_KEEPONFORK
    MADV_MERGEABLE: Final = Advice.MADV_MERGEABLE
    MADV_NOHUGEPAGE: Final = Advice.MADV_NOHUGEPAGE
    MADV_NORMAL: Final = Advice.MADV_NORMAL
    MADV_PAGEOUT: Final = Advice.MADV_PAGEOUT
    MADV_POPULATE_READ: Final = Advice.MADV_POPULATE_READ
    MADV_POPULATE_WRITE: Final = Advice.MADV_POPULATE_WRITE
    MADV_RANDOM: Final = Advice.MADV_RANDOM
    MADV_REMOVE: Final = Advice.MADV_REMOVE
    MADV_SEQUENTIAL: Final = Advice.MADV_SEQUENTIAL
    MADV_UNMERGEABLE: Final = Advice.MADV_UNMERGEABLE
    MADV_WILLNEED: Final = Advice.MADV_WILLNEED
    MADV_WIPEONFORK: Final = Advice.MADV_WIPEONFORK

# -- map
if TYPE_CHECKING:

    class MapFlags(enum.IntFlag):
        """MAP_* flags of mmap(2)."""

        MAP_FILE = 0
        MAP_SHARED = 1
        MAP_PRIVATE = 2
        MAP_SHARED_VALIDATE = 3
        MAP_DROPPABLE = 8
        MAP_TYPE = 15
        MAP_FIXED = 16
        MAP_HUGE_SHIFT = 26
        MAP_ANON = 32
        MAP_ANONYMOUS = 32
        MAP_HUGE_MASK = 63
        MAP_32BIT = 64
        MAP_ABOVE4G = 128
        MAP_GROWSDOWN = 256
        MAP_DENYWRITE = 2048
        MAP_EXECUTABLE = 4096
        MAP_LOCKED = 8192
        MAP_NORESERVE = 16384
        MAP_POPULATE = 32768
        MAP_NONBLOCK = 65536
        MAP_STACK = 131072
        MAP_HUGETLB = 262144
        MAP_SYNC = 524288
        MAP_FIXED_NOREPLACE = 1048576
        MAP_HUGE_16KB = 939524096
        MAP_HUGE_64KB = 1073741824
        MAP_HUGE_512KB = 1275068416
        MAP_HUGE_1MB = 1342177280
        MAP_HUGE_2MB = 1409286144
        MAP_HUGE_8MB = 1543503872
        MAP_HUGE_16MB = 1610612736
        MAP_HUGE_32MB = 1677721600
        MAP_HUGE_256MB = 1879048192
        MAP_HUGE_512MB = 1946157056
        MAP_HUGE_1GB = 2013265920
        MAP_HUGE_2GB = 2080374784
        MAP_HUGE_16GB = 2281701376

    MAP_32BIT: Final = MapFlags.MAP_32BIT
    MAP_ABOVE4G: Final = MapFlags.MAP_ABOVE4G
    MAP_ANON: Final = MapFlags.MAP_ANON
    MAP_ANONYMOUS: Final = MapFlags.MAP_ANONYMOUS
    MAP_DENYWRITE: Final = MapFlags.MAP_DENYWRITE
    MAP_DROPPABLE: Final = MapFlags.MAP_DROPPABLE
    MAP_EXECUTABLE: Final = MapFlags.MAP_EXECUTABLE
    MAP_FILE: Final = MapFlags.MAP_FILE
    MAP_FIXED: Final = MapFlags.MAP_FIXED
    MAP_FIXED_NOREPLACE: Final = MapFlags.MAP_FIXED_NOREPLACE
    MAP_GROWSDOWN: Final = MapFlags.MAP_GROWSDOWN
    MAP_HUGETLB: Final = MapFlags.MAP_HUGETLB
    MAP_HUGE_16GB: Final = MapFlags.MAP_HUGE_16GB
    MAP_HUGE_16KB: Final = MapFlags.MAP_HUGE_16KB
    MAP_HUGE_16MB: Final = MapFlags.MAP_HUGE_16MB
    MAP_HUGE_1GB: Final = MapFlags.MAP_HUGE_1GB
    MAP_HUGE_1MB: Final = MapFlags.MAP_HUGE_1MB
    MAP_HUGE_256MB: Final = MapFlags.MAP_HUGE_256MB
    MAP_HUGE_2GB: Final = MapFlags.MAP_HUGE_2GB
    MAP_HUGE_2MB: Final = MapFlags.MAP_HUGE_2MB
    MAP_HUGE_32MB: Final = MapFlags.MAP_HUGE_32MB
    MAP_HUGE_512KB: Final = MapFlags.MAP_HUGE_512KB
    MAP_HUGE_512MB: Final = MapFlags.MAP_HUGE_512MB
    MAP_HUGE_64KB: Final = MapFlags.MAP_HUGE_64KB
    MAP_HUGE_8MB: Final = MapFlags.MAP_HUGE_8MB
    MAP_HUGE_MASK: Final = MapFlags.MAP_HUGE_MASK
    MAP_HUGE_SHIFT: Final = MapFlags.MAP_HUGE_SHIFT
    MAP_LOCKED: Final = MapFlags.MAP_LOCKED
    MAP_NONBLOCK: Final = MapFlags.MAP_NONBLOCK
    MAP_NORESERVE: Final = MapFlags.MAP_NORESERVE
    MAP_POPULATE: Final = MapFlags.MAP_POPULATE
    MAP_PRIVATE: Final = MapFlags.MAP_PRIVATE
    MAP_SHARED: Final = MapFlags.MAP_SHARED
    MAP_SHARED_VALIDATE: Final = MapFlags.MAP_SHARED_VALIDATE
    MAP_STACK: Final = MapFlags.MAP_STACK
    MAP_SYNC: Final = MapFlags.MAP_SYNC
    MAP_TYPE: Final = MapFlags.MAP_TYPE

# -- mcl
if TYPE_CHECKING:

    class MclFlags(enum.IntFlag):
        """MCL_* flags of mlockall(2)."""

        MCL_CURRENT = 1
        MCL_FUTURE = 2
        MCL_ONFAULT = 4

    MCL_CURRENT: Final = MclFlags.MCL_CURRENT
    MCL_FUTURE: Final = MclFlags.MCL_FUTURE
    MCL_ONFAULT: Final = MclFlags.MCL_ONFAULT

# -- mode
S_IEXEC: Final = 64
S_IFBLK: Final = 24576
S_IFCHR: Final = 8192
S_IFDIR: Final = 16384
S_IFIFO: Final = 4096
S_IFLNK: Final = 40960
S_IFMT: Final = 61440
S_IFREG: Final = 32768
S_IFSOCK: Final = 49152
S_IREAD: Final = 256
S_IRGRP: Final = 32
S_IROTH: Final = 4
S_IRUSR: Final = 256
S_IRWXG: Final = 56
S_IRWXO: Final = 7
S_IRWXU: Final = 448
S_ISGID: Final = 1024
S_ISUID: Final = 2048
S_ISVTX: Final = 512
S_IWGRP: Final = 16
S_IWOTH: Final = 2
S_IWRITE: Final = 128
S_IWUSR: Final = 128
S_IXGRP: Final = 8
S_IXOTH: Final = 1
S_IXUSR: Final = 64

# -- msg
if TYPE_CHECKING:

    class MsgFlags(enum.IntFlag):
        """MSG_* flags of send(2)/recv(2)."""

        MSG_OOB = 1
        MSG_PEEK = 2
        MSG_DONTROUTE = 4
        MSG_TRYHARD = 4
        MSG_CTRUNC = 8
        MSG_PROXY = 16
        MSG_TRUNC = 32
        MSG_DONTWAIT = 64
        MSG_EOR = 128
        MSG_WAITALL = 256
        MSG_FIN = 512
        MSG_SYN = 1024
        MSG_CONFIRM = 2048
        MSG_RST = 4096
        MSG_ERRQUEUE = 8192
        MSG_NOSIGNAL = 16384
        MSG_MORE = 32768
        MSG_WAITFORONE = 65536
        MSG_BATCH = 262144
        MSG_SOCK_DEVMEM = 33554432
        MSG_ZEROCOPY = 67108864
        MSG_FASTOPEN = 536870912
        MSG_CMSG_CLOEXEC = 1073741824

    MSG_BATCH: Final = MsgFlags.MSG_BATCH
    MSG_CMSG_CLOEXEC: Final = MsgFlags.MSG_CMSG_CLOEXEC
    MSG_CONFIRM: Final = MsgFlags.MSG_CONFIRM
    MSG_CTRUNC: Final = MsgFlags.MSG_CTRUNC
    MSG_DONTROUTE: Final = MsgFlags.MSG_DONTROUTE
    MSG_DONTWAIT: Final = MsgFlags.MSG_DONTWAIT
    MSG_EOR: Final = MsgFlags.MSG_EOR
    MSG_ERRQUEUE: Final = MsgFlags.MSG_ERRQUEUE
    MSG_FASTOPEN: Final = MsgFlags.MSG_FASTOPEN
    MSG_FIN: Final = MsgFlags.MSG_FIN
    MSG_MORE: Final = MsgFlags.MSG_MORE
    MSG_NOSIGNAL: Final = MsgFlags.MSG_NOSIGNAL
    MSG_OOB: Final = MsgFlags.MSG_OOB
    MSG_PEEK: Final = MsgFlags.MSG_PEEK
    MSG_PROXY: Final = MsgFlags.MSG_PROXY
    MSG_RST: Final = MsgFlags.MSG_RST
    MSG_SOCK_DEVMEM: Final = MsgFlags.MSG_SOCK_DEVMEM
    MSG_SYN: Final = MsgFlags.MSG_SYN
    MSG_TRUNC: Final = MsgFlags.MSG_TRUNC
    MSG_TRYHARD: Final = MsgFlags.MSG_TRYHARD
    MSG_WAITALL: Final = MsgFlags.MSG_WAITALL
    MSG_WAITFORONE: Final = MsgFlags.MSG_WAITFORONE
    MSG_ZEROCOPY: Final = MsgFlags.MSG_ZEROCOPY

# -- msync
if TYPE_CHECKING:

    class MsyncFlags(enum.IntFlag):
        """MS_* flags of msync(2)."""

        MS_ASYNC = 1
        MS_INVALIDATE = 2
        MS_SYNC = 4

    MS_ASYNC: Final = MsyncFlags.MS_ASYNC
    MS_INVALIDATE: Final = MsyncFlags.MS_INVALIDATE
    MS_SYNC: Final = MsyncFlags.MS_SYNC

# -- open
if TYPE_CHECKING:

    class OpenFlags(enum.IntFlag):
        """O_* flags of open(2) and fcntl(F_GETFL)."""

        O_LARGEFILE = 0
        O_RDONLY = 0
        O_WRONLY = 1
        O_RDWR = 2
        O_ACCMODE = 3
        O_CREAT = 64
        O_EXCL = 128
        O_NOCTTY = 256
        O_TRUNC = 512
        O_APPEND = 1024
        O_NDELAY = 2048
        O_NONBLOCK = 2048
        O_DSYNC = 4096
        O_ASYNC = 8192
        O_DIRECT = 16384
        O_DIRECTORY = 65536
        O_NOFOLLOW = 131072
        O_NOATIME = 262144
        O_CLOEXEC = 524288
        O_FSYNC = 1052672
        O_RSYNC = 1052672
        O_SYNC = 1052672
        O_PATH = 2097152
        O_TMPFILE = 4259840

    O_ACCMODE: Final = OpenFlags.O_ACCMODE
    O_APPEND: Final = OpenFlags.O_APPEND
    O_ASYNC: Final = OpenFlags.O_ASYNC
    O_CLOEXEC: Final = OpenFlags.O_CLOEXEC
    O_CREAT: Final = OpenFlags.O_CREAT
    O_DIRECT: Final = OpenFlags.O_DIRECT
    O_DIRECTORY: Final = OpenFlags.O_DIRECTORY
    O_DSYNC: Final = OpenFlags.O_DSYNC
    O_EXCL: Final = OpenFlags.O_EXCL
    O_FSYNC: Final = OpenFlags.O_FSYNC
    O_LARGEFILE: Final = OpenFlags.O_LARGEFILE
    O_NDELAY: Final = OpenFlags.O_NDELAY
    O_NOATIME: Final = OpenFlags.O_NOATIME
    O_NOCTTY: Final = OpenFlags.O_NOCTTY
    O_NOFOLLOW: Final = OpenFlags.O_NOFOLLOW
    O_NONBLOCK: Final = OpenFlags.O_NONBLOCK
    O_PATH: Final = OpenFlags.O_PATH
    O_RDONLY: Final = OpenFlags.O_RDONLY
    O_RDWR: Final = OpenFlags.O_RDWR
    O_RSYNC: Final = OpenFlags.O_RSYNC
    O_SYNC: Final = OpenFlags.O_SYNC
    O_TMPFILE: Final = OpenFlags.O_TMPFILE
    O_TRUNC: Final = OpenFlags.O_TRUNC
    O_WRONLY: Final = OpenFlags.O_WRONLY

# -- pathconf
_PC_2_SYMLINKS: Final = 20
_PC_ALLOC_SIZE_MIN: Final = 18
_PC_ASYNC_IO: Final = 10
_PC_CHOWN_RESTRICTED: Final = 6
_PC_FILESIZEBITS: Final = 13
_PC_LINK_MAX: Final = 0
_PC_MAX_CANON: Final = 1
_PC_MAX_INPUT: Final = 2
_PC_NAME_MAX: Final = 3
_PC_NO_TRUNC: Final = 7
_PC_PATH_MAX: Final = 4
_PC_PIPE_BUF: Final = 5
_PC_PRIO_IO: Final = 11
_PC_REC_INCR_XFER_SIZE: Final = 14
_PC_REC_MAX_XFER_SIZE: Final = 15
_PC_REC_MIN_XFER_SIZE: Final = 16
_PC_REC_XFER_ALIGN: Final = 17
_PC_SOCK_MAXBUF: Final = 12
_PC_SYMLINK_MAX: Final = 19
_PC_SYNC_IO: Final = 9
_PC_VDISABLE: Final = 8

# -- poll
if TYPE_CHECKING:

    class PollFlags(enum.IntFlag):
        """POLL* event bits of poll(2)."""

        POLLIN = 1
        POLLPRI = 2
        POLLOUT = 4
        POLLERR = 8
        POLLHUP = 16
        POLLNVAL = 32
        POLLRDHUP = 8192

    POLLERR: Final = PollFlags.POLLERR
    POLLHUP: Final = PollFlags.POLLHUP
    POLLIN: Final = PollFlags.POLLIN
    POLLNVAL: Final = PollFlags.POLLNVAL
    POLLOUT: Final = PollFlags.POLLOUT
    POLLPRI: Final = PollFlags.POLLPRI
    POLLRDHUP: Final = PollFlags.POLLRDHUP

# -- prio
if TYPE_CHECKING:

    class PrioWhich(enum.IntEnum):
        """PRIO_* targets of getpriority(2)."""

        PRIO_PROCESS = 0
        PRIO_PGRP = 1
        PRIO_USER = 2

    PRIO_PGRP: Final = PrioWhich.PRIO_PGRP
    PRIO_PROCESS: Final = PrioWhich.PRIO_PROCESS
    PRIO_USER: Final = PrioWhich.PRIO_USER

# -- prot
if TYPE_CHECKING:

    class Prot(enum.IntFlag):
        """PROT_* memory protections of mmap(2)/mprotect(2)."""

        PROT_NONE = 0
        PROT_READ = 1
        PROT_WRITE = 2
        PROT_EXEC = 4
        PROT_GROWSDOWN = 16777216
        PROT_GROWSUP = 33554432

    PROT_EXEC: Final = Prot.PROT_EXEC
    PROT_GROWSDOWN: Final = Prot.PROT_GROWSDOWN
    PROT_GROWSUP: Final = Prot.PROT_GROWSUP
    PROT_NONE: Final = Prot.PROT_NONE
    PROT_READ: Final = Prot.PROT_READ
    PROT_WRITE: Final = Prot.PROT_WRITE

# -- ptrace
PTRACE_ARCH_PRCTL: Final = 30
PTRACE_ATTACH: Final = 16
PTRACE_CONT: Final = 7
PTRACE_DETACH: Final = 17
PTRACE_EVENTMSG_SYSCALL_ENTRY: Final = 1
PTRACE_EVENTMSG_SYSCALL_EXIT: Final = 2
PTRACE_EVENT_CLONE: Final = 3
PTRACE_EVENT_EXEC: Final = 4
PTRACE_EVENT_EXIT: Final = 6
PTRACE_EVENT_FORK: Final = 1
PTRACE_EVENT_SECCOMP: Final = 7
PTRACE_EVENT_STOP: Final = 128
PTRACE_EVENT_VFORK: Final = 2
PTRACE_EVENT_VFORK_DONE: Final = 5
PTRACE_GETEVENTMSG: Final = 16897
PTRACE_GETFPREGS: Final = 14
PTRACE_GETFPXREGS: Final = 18
PTRACE_GETREGS: Final = 12
PTRACE_GETREGSET: Final = 16900
PTRACE_GETSIGINFO: Final = 16898
PTRACE_GETSIGMASK: Final = 16906
PTRACE_GET_RSEQ_CONFIGURATION: Final = 16911
PTRACE_GET_SYSCALL_INFO: Final = 16910
PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG: Final = 16913
PTRACE_GET_THREAD_AREA: Final = 25
PTRACE_INTERRUPT: Final = 16903
PTRACE_KILL: Final = 8
PTRACE_LISTEN: Final = 16904
PTRACE_OLDSETOPTIONS: Final = 21
PTRACE_O_EXITKILL: Final = 1048576
PTRACE_O_MASK: Final = 3145983
PTRACE_O_SUSPEND_SECCOMP: Final = 2097152
PTRACE_O_TRACECLONE: Final = 8
PTRACE_O_TRACEEXEC: Final = 16
PTRACE_O_TRACEEXIT: Final = 64
PTRACE_O_TRACEFORK: Final = 2
PTRACE_O_TRACESECCOMP: Final = 128
PTRACE_O_TRACESYSGOOD: Final = 1
PTRACE_O_TRACEVFORK: Final = 4
PTRACE_O_TRACEVFORKDONE: Final = 32
PTRACE_PEEKDATA: Final = 2
PTRACE_PEEKSIGINFO: Final = 16905
PTRACE_PEEKSIGINFO_SHARED: Final = 1
PTRACE_PEEKTEXT: Final = 1
PTRACE_PEEKUSR: Final = 3
PTRACE_POKEDATA: Final = 5
PTRACE_POKETEXT: Final = 4
PTRACE_POKEUSR: Final = 6
PTRACE_SECCOMP_GET_FILTER: Final = 16908
PTRACE_SECCOMP_GET_METADATA: Final = 16909
PTRACE_SEIZE: Final = 16902
PTRACE_SETFPREGS: Final = 15
PTRACE_SETFPXREGS: Final = 19
PTRACE_SETOPTIONS: Final = 16896
PTRACE_SETREGS: Final = 13
PTRACE_SETREGSET: Final = 16901
PTRACE_SETSIGINFO: Final = 16899
PTRACE_SETSIGMASK: Final = 16907
PTRACE_SET_SYSCALL_INFO: Final = 16914
PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG: Final = 16912
PTRACE_SET_THREAD_AREA: Final = 26
PTRACE_SINGLEBLOCK: Final = 33
PTRACE_SINGLESTEP: Final = 9
PTRACE_SYSCALL: Final = 24
PTRACE_SYSCALL_INFO_ENTRY: Final = 1
PTRACE_SYSCALL_INFO_EXIT: Final = 2
PTRACE_SYSCALL_INFO_NONE: Final = 0
PTRACE_SYSCALL_INFO_SECCOMP: Final = 3
PTRACE_SYSEMU: Final = 31
PTRACE_SYSEMU_SINGLESTEP: Final = 32
PTRACE_TRACEME: Final = 0

# -- rlimit
RLIMIT_AS: Final = 9
RLIMIT_CORE: Final = 4
RLIMIT_CPU: Final = 0
RLIMIT_DATA: Final = 2
RLIMIT_FSIZE: Final = 1
RLIMIT_LOCKS: Final = 10
RLIMIT_MEMLOCK: Final = 8
RLIMIT_MSGQUEUE: Final = 12
RLIMIT_NICE: Final = 13
RLIMIT_NOFILE: Final = 7
RLIMIT_NPROC: Final = 6
RLIMIT_RSS: Final = 5
RLIMIT_RTPRIO: Final = 14
RLIMIT_RTTIME: Final = 15
RLIMIT_SIGPENDING: Final = 11
RLIMIT_STACK: Final = 3
RLIM_INFINITY: Final = 18446744073709551615

# -- rusage
if TYPE_CHECKING:

    class RusageWho(enum.IntEnum):
        """RUSAGE_* targets of getrusage(2)."""

        RUSAGE_CHILDREN = -1
        RUSAGE_SELF = 0
        RUSAGE_THREAD = 1

    RUSAGE_CHILDREN: Final = RusageWho.RUSAGE_CHILDREN
    RUSAGE_SELF: Final = RusageWho.RUSAGE_SELF
    RUSAGE_THREAD: Final = RusageWho.RUSAGE_THREAD

# -- scm
SCM_CREDENTIALS: Final = 2
SCM_DEVMEM_DMABUF: Final = 79
SCM_DEVMEM_LINEAR: Final = 78
SCM_INQ: Final = 84
SCM_PIDFD: Final = 4
SCM_RIGHTS: Final = 1
SCM_SECURITY: Final = 3
SCM_TIMESTAMP: Final = 29
SCM_TIMESTAMPING: Final = 37
SCM_TIMESTAMPING_OPT_STATS: Final = 54
SCM_TIMESTAMPING_PKTINFO: Final = 58
SCM_TIMESTAMPNS: Final = 35
SCM_TSTAMP_ACK: Final = 2
SCM_TSTAMP_SCHED: Final = 1
SCM_TSTAMP_SND: Final = 0
SCM_TS_OPT_ID: Final = 81
SCM_TXTIME: Final = 61
SCM_WIFI_STATUS: Final = 41

# -- seek
if TYPE_CHECKING:

    class Whence(enum.IntEnum):
        """SEEK_* origins of lseek(2)."""

        SEEK_SET = 0
        SEEK_CUR = 1
        SEEK_END = 2
        SEEK_DATA = 3
        SEEK_HOLE = 4
        SEEK_MAX = 4

    SEEK_CUR: Final = Whence.SEEK_CUR
    SEEK_DATA: Final = Whence.SEEK_DATA
    SEEK_END: Final = Whence.SEEK_END
    SEEK_HOLE: Final = Whence.SEEK_HOLE
    SEEK_MAX: Final = Whence.SEEK_MAX
    SEEK_SET: Final = Whence.SEEK_SET

# -- shut
if TYPE_CHECKING:

    class Shut(enum.IntEnum):
        """SHUT_* directions of shutdown(2)."""

        SHUT_RD = 0
        SHUT_WR = 1
        SHUT_RDWR = 2

    SHUT_RD: Final = Shut.SHUT_RD
    SHUT_RDWR: Final = Shut.SHUT_RDWR
    SHUT_WR: Final = Shut.SHUT_WR

# -- sigmask
if TYPE_CHECKING:

    class SigmaskHow(enum.IntEnum):
        """SIG_* actions of sigprocmask(2)."""

        SIG_BLOCK = 0
        SIG_UNBLOCK = 1
        SIG_SETMASK = 2

    SIG_BLOCK: Final = SigmaskHow.SIG_BLOCK
    SIG_SETMASK: Final = SigmaskHow.SIG_SETMASK
    SIG_UNBLOCK: Final = SigmaskHow.SIG_UNBLOCK

# -- signal
if TYPE_CHECKING:

    class Signal(enum.IntEnum):
        """SIG* signal numbers."""

        SIGHUP = 1
        SIGINT = 2
        SIGQUIT = 3
        SIGILL = 4
        SIGTRAP = 5
        SIGABRT = 6
        SIGIOT = 6
        SIGBUS = 7
        SIGFPE = 8
        SIGKILL = 9
        SIGUSR1 = 10
        SIGSEGV = 11
        SIGUSR2 = 12
        SIGPIPE = 13
        SIGALRM = 14
        SIGTERM = 15
        SIGSTKFLT = 16
        SIGCHLD = 17
        SIGCLD = 17
        SIGCONT = 18
        SIGSTOP = 19
        SIGTSTP = 20
        SIGTTIN = 21
        SIGTTOU = 22
        SIGURG = 23
        SIGXCPU = 24
        SIGXFSZ = 25
        SIGVTALRM = 26
        SIGPROF = 27
        SIGWINCH = 28
        SIGIO = 29
        SIGPOLL = 29
        SIGPWR = 30
        SIGSYS = 31

    SIGABRT: Final = Signal.SIGABRT
    SIGALRM: Final = Signal.SIGALRM
    SIGBUS: Final = Signal.SIGBUS
    SIGCHLD: Final = Signal.SIGCHLD
    SIGCLD: Final = Signal.SIGCLD
    SIGCONT: Final = Signal.SIGCONT
    SIGFPE: Final = Signal.SIGFPE
    SIGHUP: Final = Signal.SIGHUP
    SIGILL: Final = Signal.SIGILL
    SIGINT: Final = Signal.SIGINT
    SIGIO: Final = Signal.SIGIO
    SIGIOT: Final = Signal.SIGIOT
    SIGKILL: Final = Signal.SIGKILL
    SIGPIPE: Final = Signal.SIGPIPE
    SIGPOLL: Final = Signal.SIGPOLL
    SIGPROF: Final = Signal.SIGPROF
    SIGPWR: Final = Signal.SIGPWR
    SIGQUIT: Final = Signal.SIGQUIT
    SIGSEGV: Final = Signal.SIGSEGV
    SIGSTKFLT: Final = Signal.SIGSTKFLT
    SIGSTOP: Final = Signal.SIGSTOP
    SIGSYS: Final = Signal.SIGSYS
    SIGTERM: Final = Signal.SIGTERM
    SIGTRAP: Final = Signal.SIGTRAP
    SIGTSTP: Final = Signal.SIGTSTP
    SIGTTIN: Final = Signal.SIGTTIN
    SIGTTOU: Final = Signal.SIGTTOU
    SIGURG: Final = Signal.SIGURG
    SIGUSR1: Final = Signal.SIGUSR1
    SIGUSR2: Final = Signal.SIGUSR2
    SIGVTALRM: Final = Signal.SIGVTALRM
    SIGWINCH: Final = Signal.SIGWINCH
    SIGXCPU: Final = Signal.SIGXCPU
    SIGXFSZ: Final = Signal.SIGXFSZ

# -- so
SOMAXCONN: Final = 4096
SO_ACCEPTCONN: Final = 30
SO_ATTACH_BPF: Final = 50
SO_ATTACH_FILTER: Final = 26
SO_ATTACH_REUSEPORT_CBPF: Final = 51
SO_ATTACH_REUSEPORT_EBPF: Final = 52
SO_BINDTODEVICE: Final = 25
SO_BINDTOIFINDEX: Final = 62
SO_BPF_EXTENSIONS: Final = 48
SO_BROADCAST: Final = 6
SO_BSDCOMPAT: Final = 14
SO_BUF_LOCK: Final = 72
SO_BUSY_POLL: Final = 46
SO_BUSY_POLL_BUDGET: Final = 70
SO_CNX_ADVICE: Final = 53
SO_COOKIE: Final = 57
SO_DEBUG: Final = 1
SO_DETACH_BPF: Final = 27
SO_DETACH_FILTER: Final = 27
SO_DETACH_REUSEPORT_BPF: Final = 68
SO_DEVMEM_DMABUF: Final = 79
SO_DEVMEM_DONTNEED: Final = 80
SO_DEVMEM_LINEAR: Final = 78
SO_DOMAIN: Final = 39
SO_DONTROUTE: Final = 5
SO_EE_CODE_TXTIME_INVALID_PARAM: Final = 1
SO_EE_CODE_TXTIME_MISSED: Final = 2
SO_EE_CODE_ZEROCOPY_COPIED: Final = 1
SO_EE_ORIGIN_ICMP: Final = 2
SO_EE_ORIGIN_ICMP6: Final = 3
SO_EE_ORIGIN_LOCAL: Final = 1
SO_EE_ORIGIN_NONE: Final = 0
SO_EE_ORIGIN_TIMESTAMPING: Final = 4
SO_EE_ORIGIN_TXSTATUS: Final = 4
SO_EE_ORIGIN_TXTIME: Final = 6
SO_EE_ORIGIN_ZEROCOPY: Final = 5
SO_EE_RFC4884_FLAG_INVALID: Final = 1
SO_ERROR: Final = 4
SO_GET_FILTER: Final = 26
SO_INCOMING_CPU: Final = 49
SO_INCOMING_NAPI_ID: Final = 56
SO_INQ: Final = 84
SO_KEEPALIVE: Final = 9
SO_LINGER: Final = 13
SO_LOCK_FILTER: Final = 44
SO_MARK: Final = 36
SO_MAX_PACING_RATE: Final = 47
SO_MEMINFO: Final = 55
SO_NETNS_COOKIE: Final = 71
SO_NOFCS: Final = 43
SO_NO_CHECK: Final = 11
SO_OOBINLINE: Final = 10
SO_ORIGINAL_DST: Final = 80
SO_PASSCRED: Final = 16
SO_PASSPIDFD: Final = 76
SO_PASSRIGHTS: Final = 83
SO_PASSSEC: Final = 34
SO_PEEK_OFF: Final = 42
SO_PEERCRED: Final = 17
SO_PEERGROUPS: Final = 59
SO_PEERNAME: Final = 28
SO_PEERPIDFD: Final = 77
SO_PEERSEC: Final = 31
SO_PREFER_BUSY_POLL: Final = 69
SO_PRIORITY: Final = 12
SO_PROTOCOL: Final = 38
SO_RCVBUF: Final = 8
SO_RCVBUFFORCE: Final = 33
SO_RCVLOWAT: Final = 18
SO_RCVMARK: Final = 75
SO_RCVPRIORITY: Final = 82
SO_RCVTIMEO: Final = 20
SO_RCVTIMEO_NEW: Final = 66
SO_RCVTIMEO_OLD: Final = 20
SO_RESERVE_MEM: Final = 73
SO_REUSEADDR: Final = 2
SO_REUSEPORT: Final = 15
SO_RXQ_OVFL: Final = 40
SO_SECURITY_AUTHENTICATION: Final = 22
SO_SECURITY_ENCRYPTION_NETWORK: Final = 24
SO_SECURITY_ENCRYPTION_TRANSPORT: Final = 23
SO_SELECT_ERR_QUEUE: Final = 45
SO_SNDBUF: Final = 7
SO_SNDBUFFORCE: Final = 32
SO_SNDLOWAT: Final = 19
SO_SNDTIMEO: Final = 21
SO_SNDTIMEO_NEW: Final = 67
SO_SNDTIMEO_OLD: Final = 21
SO_TIMESTAMP: Final = 29
SO_TIMESTAMPING: Final = 37
SO_TIMESTAMPING_NEW: Final = 65
SO_TIMESTAMPING_OLD: Final = 37
SO_TIMESTAMPNS: Final = 35
SO_TIMESTAMPNS_NEW: Final = 64
SO_TIMESTAMPNS_OLD: Final = 35
SO_TIMESTAMP_NEW: Final = 63
SO_TIMESTAMP_OLD: Final = 29
SO_TXREHASH: Final = 74
SO_TXTIME: Final = 61
SO_TYPE: Final = 3
SO_VM_SOCKETS_BUFFER_MAX_SIZE: Final = 2
SO_VM_SOCKETS_BUFFER_MIN_SIZE: Final = 1
SO_VM_SOCKETS_BUFFER_SIZE: Final = 0
SO_VM_SOCKETS_CONNECT_TIMEOUT: Final = 6
SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW: Final = 8
SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD: Final = 6
SO_VM_SOCKETS_NONBLOCK_TXRX: Final = 7
SO_VM_SOCKETS_PEER_HOST_VM_ID: Final = 3
SO_VM_SOCKETS_TRUSTED: Final = 5
SO_WIFI_STATUS: Final = 41
SO_ZEROCOPY: Final = 60

# -- socket_family
if TYPE_CHECKING:

    class AddressFamily(enum.IntEnum):
        """AF_* address families."""

        AF_UNSPEC = 0
        AF_FILE = 1
        AF_LOCAL = 1
        AF_UNIX = 1
        AF_INET = 2
        AF_AX25 = 3
        AF_IPX = 4
        AF_APPLETALK = 5
        AF_NETROM = 6
        AF_BRIDGE = 7
        AF_ATMPVC = 8
        AF_X25 = 9
        AF_INET6 = 10
        AF_ROSE = 11
        AF_NETBEUI = 13
        AF_SECURITY = 14
        AF_KEY = 15
        AF_NETLINK = 16
        AF_ROUTE = 16
        AF_PACKET = 17
        AF_ASH = 18
        AF_ECONET = 19
        AF_ATMSVC = 20
        AF_RDS = 21
        AF_SNA = 22
        AF_IRDA = 23
        AF_PPPOX = 24
        AF_WANPIPE = 25
        AF_LLC = 26
        AF_IB = 27
        AF_MPLS = 28
        AF_CAN = 29
        AF_TIPC = 30
        AF_BLUETOOTH = 31
        AF_IUCV = 32
        AF_RXRPC = 33
        AF_ISDN = 34
        AF_PHONET = 35
        AF_IEEE802154 = 36
        AF_CAIF = 37
        AF_ALG = 38
        AF_NFC = 39
        AF_VSOCK = 40
        AF_KCM = 41
        AF_QIPCRTR = 42
        AF_SMC = 43
        AF_XDP = 44
        AF_MCTP = 45
        AF_MAX = 46

    AF_ALG: Final = AddressFamily.AF_ALG
    AF_APPLETALK: Final = AddressFamily.AF_APPLETALK
    AF_ASH: Final = AddressFamily.AF_ASH
    AF_ATMPVC: Final = AddressFamily.AF_ATMPVC
    AF_ATMSVC: Final = AddressFamily.AF_ATMSVC
    AF_AX25: Final = AddressFamily.AF_AX25
    AF_BLUETOOTH: Final = AddressFamily.AF_BLUETOOTH
    AF_BRIDGE: Final = AddressFamily.AF_BRIDGE
    AF_CAIF: Final = AddressFamily.AF_CAIF
    AF_CAN: Final = AddressFamily.AF_CAN
    AF_ECONET: Final = AddressFamily.AF_ECONET
    AF_FILE: Final = AddressFamily.AF_FILE
    AF_IB: Final = AddressFamily.AF_IB
    AF_IEEE802154: Final = AddressFamily.AF_IEEE802154
    AF_INET: Final = AddressFamily.AF_INET
    AF_INET6: Final = AddressFamily.AF_INET6
    AF_IPX: Final = AddressFamily.AF_IPX
    AF_IRDA: Final = AddressFamily.AF_IRDA
    AF_ISDN: Final = AddressFamily.AF_ISDN
    AF_IUCV: Final = AddressFamily.AF_IUCV
    AF_KCM: Final = AddressFamily.AF_KCM
    AF_KEY: Final = AddressFamily.AF_KEY
    AF_LLC: Final = AddressFamily.AF_LLC
    AF_LOCAL: Final = AddressFamily.AF_LOCAL
    AF_MAX: Final = AddressFamily.AF_MAX
    AF_MCTP: Final = AddressFamily.AF_MCTP
    AF_MPLS: Final = AddressFamily.AF_MPLS
    AF_NETBEUI: Final = AddressFamily.AF_NETBEUI
    AF_NETLINK: Final = AddressFamily.AF_NETLINK
    AF_NETROM: Final = AddressFamily.AF_NETROM
    AF_NFC: Final = AddressFamily.AF_NFC
    AF_PACKET: Final = AddressFamily.AF_PACKET
    AF_PHONET: Final = AddressFamily.AF_PHONET
    AF_PPPOX: Final = AddressFamily.AF_PPPOX
    AF_QIPCRTR: Final = AddressFamily.AF_QIPCRTR
    AF_RDS: Final = AddressFamily.AF_RDS
    AF_ROSE: Final = AddressFamily.AF_ROSE
    AF_ROUTE: Final = AddressFamily.AF_ROUTE
    AF_RXRPC: Final = AddressFamily.AF_RXRPC
    AF_SECURITY: Final = AddressFamily.AF_SECURITY
    AF_SMC: Final = AddressFamily.AF_SMC
    AF_SNA: Final = AddressFamily.AF_SNA
    AF_TIPC: Final = AddressFamily.AF_TIPC
    AF_UNIX: Final = AddressFamily.AF_UNIX
    AF_UNSPEC: Final = AddressFamily.AF_UNSPEC
    AF_VSOCK: Final = AddressFamily.AF_VSOCK
    AF_WANPIPE: Final = AddressFamily.AF_WANPIPE
    AF_X25: Final = AddressFamily.AF_X25
    AF_XDP: Final = AddressFamily.AF_XDP

# -- socket_type
SOCK_CLOEXEC: Final = 524288
SOCK_DCCP: Final = 6
SOCK_DGRAM: Final = 2
SOCK_NONBLOCK: Final = 2048
SOCK_PACKET: Final = 10
SOCK_RAW: Final = 3
SOCK_RDM: Final = 4
SOCK_SEQPACKET: Final = 5
SOCK_STREAM: Final = 1

# -- sol
SOL_AAL: Final = 265
SOL_ALG: Final = 279
SOL_ATM: Final = 264
SOL_CAIF: Final = 278
SOL_CAN_BASE: Final = 100
SOL_CAN_RAW: Final = 101
SOL_DCCP: Final = 269
SOL_DECNET: Final = 261
SOL_ICMPV6: Final = 58
SOL_IP: Final = 0
SOL_IPV6: Final = 41
SOL_IRDA: Final = 266
SOL_IUCV: Final = 277
SOL_KCM: Final = 281
SOL_LLC: Final = 268
SOL_MCTP: Final = 285
SOL_MPTCP: Final = 284
SOL_NETBEUI: Final = 267
SOL_NETLINK: Final = 270
SOL_NFC: Final = 280
SOL_PACKET: Final = 263
SOL_PNPIPE: Final = 275
SOL_PPPOL2TP: Final = 273
SOL_RAW: Final = 255
SOL_RDS: Final = 276
SOL_RXRPC: Final = 272
SOL_SMC: Final = 286
SOL_SOCKET: Final = 1
SOL_TCP: Final = 6
SOL_TIPC: Final = 271
SOL_TLS: Final = 282
SOL_UDP: Final = 17
SOL_VSOCK: Final = 287
SOL_X25: Final = 262
SOL_XDP: Final = 283

# -- tcp
TCP_AO_KEYF_EXCLUDE_OPT: Final = 2
TCP_AO_KEYF_IFINDEX: Final = 1
TCP_AO_MAXKEYLEN: Final = 80
TCP_BPF_DELACK_MAX: Final = 1003
TCP_BPF_IW: Final = 1001
TCP_BPF_RTO_MIN: Final = 1004
TCP_BPF_SNDCWND_CLAMP: Final = 1002
TCP_BPF_SYN: Final = 1005
TCP_BPF_SYN_IP: Final = 1006
TCP_BPF_SYN_MAC: Final = 1007
TCP_CC_INFO: Final = 26
TCP_CM_INQ: Final = 36
TCP_CONGESTION: Final = 13
TCP_COOKIE_IN_ALWAYS: Final = 1
TCP_COOKIE_MAX: Final = 16
TCP_COOKIE_MIN: Final = 8
TCP_COOKIE_OUT_NEVER: Final = 2
TCP_COOKIE_PAIR_SIZE: Final = 32
TCP_COOKIE_TRANSACTIONS: Final = 15
TCP_CORK: Final = 3
TCP_DEFER_ACCEPT: Final = 9
TCP_FASTOPEN: Final = 23
TCP_FASTOPEN_CONNECT: Final = 30
TCP_FASTOPEN_KEY: Final = 33
TCP_FASTOPEN_NO_COOKIE: Final = 34
TCP_INFO: Final = 11
TCP_INQ: Final = 36
TCP_KEEPCNT: Final = 6
TCP_KEEPIDLE: Final = 4
TCP_KEEPINTVL: Final = 5
TCP_LINGER2: Final = 8
TCP_MAXSEG: Final = 2
TCP_MAXWIN: Final = 65535
TCP_MAX_WINSHIFT: Final = 14
TCP_MD5SIG: Final = 14
TCP_MD5SIG_EXT: Final = 32
TCP_MD5SIG_FLAG_IFINDEX: Final = 2
TCP_MD5SIG_FLAG_PREFIX: Final = 1
TCP_MD5SIG_MAXKEYLEN: Final = 80
TCP_MSS: Final = 512
TCP_MSS_DEFAULT: Final = 536
TCP_MSS_DESIRED: Final = 1220
TCP_NODELAY: Final = 1
TCP_NOTSENT_LOWAT: Final = 25
TCP_QUEUE_SEQ: Final = 21
TCP_QUICKACK: Final = 12
TCP_REPAIR: Final = 19
TCP_REPAIR_OFF: Final = 0
TCP_REPAIR_OFF_NO_WP: Final = -1
TCP_REPAIR_ON: Final = 1
TCP_REPAIR_OPTIONS: Final = 22
TCP_REPAIR_QUEUE: Final = 20
TCP_REPAIR_WINDOW: Final = 29
TCP_SAVED_SYN: Final = 28
TCP_SAVE_SYN: Final = 27
TCP_SYNCNT: Final = 7
TCP_S_DATA_IN: Final = 4
TCP_S_DATA_OUT: Final = 8
TCP_THIN_DUPACK: Final = 17
TCP_THIN_LINEAR_TIMEOUTS: Final = 16
TCP_TIMESTAMP: Final = 24
TCP_TX_DELAY: Final = 37
TCP_ULP: Final = 31
TCP_USER_TIMEOUT: Final = 18
TCP_V4_FLOW: Final = 1
TCP_V6_FLOW: Final = 5
TCP_WINDOW_CLAMP: Final = 10
TCP_ZEROCOPY_RECEIVE: Final = 35

# -- unmount
MNT_DETACH: Final = 2
MNT_EXPIRE: Final = 4
MNT_FORCE: Final = 1
UMOUNT_NOFOLLOW: Final = 8

# -- wait
if TYPE_CHECKING:

    class WaitOptions(enum.IntFlag):
        """W* option bits of wait4(2)."""

        WNOHANG = 1
        WSTOPPED = 2
        WUNTRACED = 2
        WEXITED = 4
        WCONTINUED = 8
        WNOWAIT = 16777216

    WCONTINUED: Final = WaitOptions.WCONTINUED
    WEXITED: Final = WaitOptions.WEXITED
    WNOHANG: Final = WaitOptions.WNOHANG
    WNOWAIT: Final = WaitOptions.WNOWAIT
    WSTOPPED: Final = WaitOptions.WSTOPPED
    WUNTRACED: Final = WaitOptions.WUNTRACED

__WALL: Final = 1073741824
__WCLONE: Final = 2147483648
__WNOTHREAD: Final = 536870912

#: Every constant group of the ABI table, by group, as plain ints.
CONSTANTS: Final[Mapping[str, Mapping[str, int]]] = {
    'access': {
        'F_OK': 0,
        'R_OK': 4,
        'W_OK': 2,
        'X_OK': 1,
    },
    'at': {
        'AT_EACCESS': 512,
        'AT_EMPTY_PATH': 4096,
        'AT_FDCWD': -100,
        'AT_NO_AUTOMOUNT': 2048,
        'AT_RECURSIVE': 32768,
        'AT_REMOVEDIR': 512,
        'AT_STATX_DONT_SYNC': 16384,
        'AT_STATX_FORCE_SYNC': 8192,
        'AT_STATX_SYNC_AS_STAT': 0,
        'AT_SYMLINK_FOLLOW': 1024,
        'AT_SYMLINK_NOFOLLOW': 256,
    },
    'clock': {
        'CLOCK_BOOTTIME': 7,
        'CLOCK_BOOTTIME_ALARM': 9,
        'CLOCK_MONOTONIC': 1,
        'CLOCK_MONOTONIC_COARSE': 6,
        'CLOCK_MONOTONIC_RAW': 4,
        'CLOCK_PROCESS_CPUTIME_ID': 2,
        'CLOCK_REALTIME': 0,
        'CLOCK_REALTIME_ALARM': 8,
        'CLOCK_REALTIME_COARSE': 5,
        'CLOCK_TAI': 11,
        'CLOCK_THREAD_CPUTIME_ID': 3,
    },
    'errno': {
        'E2BIG': 7,
        'EACCES': 13,
        'EADDRINUSE': 98,
        'EADDRNOTAVAIL': 99,
        'EADV': 68,
        'EAFNOSUPPORT': 97,
        'EAGAIN': 11,
        'EALREADY': 114,
        'EBADE': 52,
        'EBADF': 9,
        'EBADFD': 77,
        'EBADMSG': 74,
        'EBADR': 53,
        'EBADRQC': 56,
        'EBADSLT': 57,
        'EBFONT': 59,
        'EBUSY': 16,
        'ECANCELED': 125,
        'ECHILD': 10,
        'ECHRNG': 44,
        'ECOMM': 70,
        'ECONNABORTED': 103,
        'ECONNREFUSED': 111,
        'ECONNRESET': 104,
        'EDEADLK': 35,
        'EDEADLOCK': 35,
        'EDESTADDRREQ': 89,
        'EDOM': 33,
        'EDOTDOT': 73,
        'EDQUOT': 122,
        'EEXIST': 17,
        'EFAULT': 14,
        'EFBIG': 27,
        'EFSBADCRC': 74,
        'EFSCORRUPTED': 117,
        'EHOSTDOWN': 112,
        'EHOSTUNREACH': 113,
        'EHWPOISON': 133,
        'EIDRM': 43,
        'EILSEQ': 84,
        'EINPROGRESS': 115,
        'EINTR': 4,
        'EINVAL': 22,
        'EIO': 5,
        'EISCONN': 106,
        'EISDIR': 21,
        'EISNAM': 120,
        'EKEYEXPIRED': 127,
        'EKEYREJECTED': 129,
        'EKEYREVOKED': 128,
        'EL2HLT': 51,
        'EL2NSYNC': 45,
        'EL3HLT': 46,
        'EL3RST': 47,
        'ELIBACC': 79,
        'ELIBBAD': 80,
        'ELIBEXEC': 83,
        'ELIBMAX': 82,
        'ELIBSCN': 81,
        'ELNRNG': 48,
        'ELOOP': 40,
        'EMEDIUMTYPE': 124,
        'EMFILE': 24,
        'EMLINK': 31,
        'EMSGSIZE': 90,
        'EMULTIHOP': 72,
        'ENAMETOOLONG': 36,
        'ENAVAIL': 119,
        'ENETDOWN': 100,
        'ENETRESET': 102,
        'ENETUNREACH': 101,
        'ENFILE': 23,
        'ENOANO': 55,
        'ENOBUFS': 105,
        'ENOCSI': 50,
        'ENODATA': 61,
        'ENODEV': 19,
        'ENOENT': 2,
        'ENOEXEC': 8,
        'ENOKEY': 126,
        'ENOLCK': 37,
        'ENOLINK': 67,
        'ENOMEDIUM': 123,
        'ENOMEM': 12,
        'ENOMSG': 42,
        'ENONET': 64,
        'ENOPKG': 65,
        'ENOPROTOOPT': 92,
        'ENOSPC': 28,
        'ENOSR': 63,
        'ENOSTR': 60,
        'ENOSYS': 38,
        'ENOTBLK': 15,
        'ENOTCONN': 107,
        'ENOTDIR': 20,
        'ENOTEMPTY': 39,
        'ENOTNAM': 118,
        'ENOTRECOVERABLE': 131,
        'ENOTSOCK': 88,
        'ENOTSUP': 95,
        'ENOTTY': 25,
        'ENOTUNIQ': 76,
        'ENXIO': 6,
        'EOPNOTSUPP': 95,
        'EOVERFLOW': 75,
        'EOWNERDEAD': 130,
        'EPERM': 1,
        'EPFNOSUPPORT': 96,
        'EPIPE': 32,
        'EPROTO': 71,
        'EPROTONOSUPPORT': 93,
        'EPROTOTYPE': 91,
        'ERANGE': 34,
        'EREMCHG': 78,
        'EREMOTE': 66,
        'EREMOTEIO': 121,
        'ERESTART': 85,
        'ERFKILL': 132,
        'EROFS': 30,
        'ESHUTDOWN': 108,
        'ESOCKTNOSUPPORT': 94,
        'ESPIPE': 29,
        'ESRCH': 3,
        'ESRMNT': 69,
        'ESTALE': 116,
        'ESTRPIPE': 86,
        'ETIME': 62,
        'ETIMEDOUT': 110,
        'ETOOMANYREFS': 109,
        'ETXTBSY': 26,
        'EUCLEAN': 117,
        'EUNATCH': 49,
        'EUSERS': 87,
        'EWOULDBLOCK': 11,
        'EXDEV': 18,
        'EXFULL': 54,
    },
    'fcntl': {
        'FD_CLOEXEC': 1,
        'F_ADD_SEALS': 1033,
        'F_CREATED_QUERY': 1028,
        'F_DUPFD': 0,
        'F_DUPFD_CLOEXEC': 1030,
        'F_DUPFD_QUERY': 1027,
        'F_EXLCK': 4,
        'F_GETFD': 1,
        'F_GETFL': 3,
        'F_GETLEASE': 1025,
        'F_GETLK': 5,
        'F_GETLK64': 5,
        'F_GETOWN': 9,
        'F_GETOWN_EX': 16,
        'F_GETPIPE_SZ': 1032,
        'F_GETSIG': 11,
        'F_GET_FILE_RW_HINT': 1037,
        'F_GET_RW_HINT': 1035,
        'F_GET_SEALS': 1034,
        'F_LOCK': 1,
        'F_NOTIFY': 1026,
        'F_OFD_GETLK': 36,
        'F_OFD_SETLK': 37,
        'F_OFD_SETLKW': 38,
        'F_RDLCK': 0,
        'F_SEAL_EXEC': 32,
        'F_SEAL_FUTURE_WRITE': 16,
        'F_SEAL_GROW': 4,
        'F_SEAL_SEAL': 1,
        'F_SEAL_SHRINK': 2,
        'F_SEAL_WRITE': 8,
        'F_SETFD': 2,
        'F_SETFL': 4,
        'F_SETLEASE': 1024,
        'F_SETLK': 6,
        'F_SETLK64': 6,
        'F_SETLKW': 7,
        'F_SETLKW64': 7,
        'F_SETOWN': 8,
        'F_SETOWN_EX': 15,
        'F_SETPIPE_SZ': 1031,
        'F_SETSIG': 10,
        'F_SET_FILE_RW_HINT': 1038,
        'F_SET_RW_HINT': 1036,
        'F_SHLCK': 8,
        'F_TEST': 3,
        'F_TLOCK': 2,
        'F_ULOCK': 0,
        'F_UNLCK': 2,
        'F_WRLCK': 1,
    },
    'flock': {
        'LOCK_EX': 2,
        'LOCK_NB': 4,
        'LOCK_SH': 1,
        'LOCK_UN': 8,
    },
    'ip': {
        'IP_ADD_MEMBERSHIP': 35,
        'IP_ADD_SOURCE_MEMBERSHIP': 39,
        'IP_BIND_ADDRESS_NO_PORT': 24,
        'IP_BLOCK_SOURCE': 38,
        'IP_CHECKSUM': 23,
        'IP_DEFAULT_MULTICAST_LOOP': 1,
        'IP_DEFAULT_MULTICAST_TTL': 1,
        'IP_DF': 16384,
        'IP_DROP_MEMBERSHIP': 36,
        'IP_DROP_SOURCE_MEMBERSHIP': 40,
        'IP_FREEBIND': 15,
        'IP_HDRINCL': 3,
        'IP_IPSEC_POLICY': 16,
        'IP_LOCAL_PORT_RANGE': 51,
        'IP_MAXPACKET': 65535,
        'IP_MAX_MEMBERSHIPS': 20,
        'IP_MF': 8192,
        'IP_MINTTL': 21,
        'IP_MSFILTER': 41,
        'IP_MSS': 576,
        'IP_MTU': 14,
        'IP_MTU_DISCOVER': 10,
        'IP_MULTICAST_ALL': 49,
        'IP_MULTICAST_IF': 32,
        'IP_MULTICAST_LOOP': 34,
        'IP_MULTICAST_TTL': 33,
        'IP_NODEFRAG': 22,
        'IP_OFFMASK': 8191,
        'IP_OPTIONS': 4,
        'IP_ORIGDSTADDR': 20,
        'IP_PASSSEC': 18,
        'IP_PKTINFO': 8,
        'IP_PKTOPTIONS': 9,
        'IP_PMTUDISC': 10,
        'IP_PMTUDISC_DO': 2,
        'IP_PMTUDISC_DONT': 0,
        'IP_PMTUDISC_INTERFACE': 4,
        'IP_PMTUDISC_OMIT': 5,
        'IP_PMTUDISC_PROBE': 3,
        'IP_PMTUDISC_WANT': 1,
        'IP_PROTOCOL': 52,
        'IP_RECVERR': 11,
        'IP_RECVERR_RFC4884': 26,
        'IP_RECVFRAGSIZE': 25,
        'IP_RECVOPTS': 6,
        'IP_RECVORIGDSTADDR': 20,
        'IP_RECVRETOPTS': 7,
        'IP_RECVTOS': 13,
        'IP_RECVTTL': 12,
        'IP_RETOPTS': 7,
        'IP_RF': 32768,
        'IP_ROUTER_ALERT': 5,
        'IP_TOS': 1,
        'IP_TRANSPARENT': 19,
        'IP_TTL': 2,
        'IP_UNBLOCK_SOURCE': 37,
        'IP_UNICAST_IF': 50,
        'IP_USER_FLOW': 13,
        'IP_XFRM_POLICY': 17,
    },
    'ipproto': {
        'IPPROTO_AH': 51,
        'IPPROTO_BEETPH': 94,
        'IPPROTO_COMP': 108,
        'IPPROTO_DCCP': 33,
        'IPPROTO_DSTOPTS': 60,
        'IPPROTO_EGP': 8,
        'IPPROTO_ENCAP': 98,
        'IPPROTO_ESP': 50,
        'IPPROTO_ETHERNET': 143,
        'IPPROTO_FRAGMENT': 44,
        'IPPROTO_GRE': 47,
        'IPPROTO_HOPOPTS': 0,
        'IPPROTO_ICMP': 1,
        'IPPROTO_ICMPV6': 58,
        'IPPROTO_IDP': 22,
        'IPPROTO_IGMP': 2,
        'IPPROTO_IP': 0,
        'IPPROTO_IPIP': 4,
        'IPPROTO_IPV6': 41,
        'IPPROTO_L2TP': 115,
        'IPPROTO_MH': 135,
        'IPPROTO_MPLS': 137,
        'IPPROTO_MPTCP': 262,
        'IPPROTO_MTP': 92,
        'IPPROTO_NONE': 59,
        'IPPROTO_PIM': 103,
        'IPPROTO_PUP': 12,
        'IPPROTO_RAW': 255,
        'IPPROTO_ROUTING': 43,
        'IPPROTO_RSVP': 46,
        'IPPROTO_SCTP': 132,
        'IPPROTO_SMC': 256,
        'IPPROTO_TCP': 6,
        'IPPROTO_TP': 29,
        'IPPROTO_UDP': 17,
        'IPPROTO_UDPLITE': 136,
    },
    'ipv6': {
        'IPV6_2292DSTOPTS': 4,
        'IPV6_2292HOPLIMIT': 8,
        'IPV6_2292HOPOPTS': 3,
        'IPV6_2292PKTINFO': 2,
        'IPV6_2292PKTOPTIONS': 6,
        'IPV6_2292RTHDR': 5,
        'IPV6_ADDRFORM': 1,
        'IPV6_ADDR_PREFERENCES': 72,
        'IPV6_ADD_MEMBERSHIP': 20,
        'IPV6_AUTHHDR': 10,
        'IPV6_AUTOFLOWLABEL': 70,
        'IPV6_CHECKSUM': 7,
        'IPV6_DONTFRAG': 62,
        'IPV6_DROP_MEMBERSHIP': 21,
        'IPV6_DSTOPTS': 59,
        'IPV6_FLOW': 17,
        'IPV6_FLOWINFO_MASK': 4294967055,
        'IPV6_FLOWLABEL_MASK': 4294905600,
        'IPV6_FREEBIND': 78,
        'IPV6_HDRINCL': 36,
        'IPV6_HOPLIMIT': 52,
        'IPV6_HOPOPTS': 54,
        'IPV6_IPSEC_POLICY': 34,
        'IPV6_JOIN_ANYCAST': 27,
        'IPV6_JOIN_GROUP': 20,
        'IPV6_LEAVE_ANYCAST': 28,
        'IPV6_LEAVE_GROUP': 21,
        'IPV6_MINHOPCOUNT': 73,
        'IPV6_MTU': 24,
        'IPV6_MTU_DISCOVER': 23,
        'IPV6_MULTICAST_ALL': 29,
        'IPV6_MULTICAST_HOPS': 18,
        'IPV6_MULTICAST_IF': 17,
        'IPV6_MULTICAST_LOOP': 19,
        'IPV6_NEXTHOP': 9,
        'IPV6_ORIGDSTADDR': 74,
        'IPV6_PATHMTU': 61,
        'IPV6_PKTINFO': 50,
        'IPV6_PMTUDISC_DO': 2,
        'IPV6_PMTUDISC_DONT': 0,
        'IPV6_PMTUDISC_INTERFACE': 4,
        'IPV6_PMTUDISC_OMIT': 5,
        'IPV6_PMTUDISC_PROBE': 3,
        'IPV6_PMTUDISC_WANT': 1,
        'IPV6_RECVDSTOPTS': 58,
        'IPV6_RECVERR': 25,
        'IPV6_RECVERR_RFC4884': 31,
        'IPV6_RECVFRAGSIZE': 77,
        'IPV6_RECVHOPLIMIT': 51,
        'IPV6_RECVHOPOPTS': 53,
        'IPV6_RECVORIGDSTADDR': 74,
        'IPV6_RECVPATHMTU': 60,
        'IPV6_RECVPKTINFO': 49,
        'IPV6_RECVRTHDR': 56,
        'IPV6_RECVTCLASS': 66,
        'IPV6_ROUTER_ALERT': 22,
        'IPV6_ROUTER_ALERT_ISOLATE': 30,
        'IPV6_RTHDR': 57,
        'IPV6_RTHDRDSTOPTS': 55,
        'IPV6_RTHDR_LOOSE': 0,
        'IPV6_RTHDR_STRICT': 1,
        'IPV6_RTHDR_TYPE_0': 0,
        'IPV6_RXDSTOPTS': 59,
        'IPV6_RXHOPOPTS': 54,
        'IPV6_TCLASS': 67,
        'IPV6_TRANSPARENT': 75,
        'IPV6_UNICAST_HOPS': 16,
        'IPV6_UNICAST_IF': 76,
        'IPV6_USER_FLOW': 14,
        'IPV6_V6ONLY': 26,
        'IPV6_VERSION': 96,
        'IPV6_VERSION_MASK': 240,
        'IPV6_XFRM_POLICY': 35,
    },
    'limits': {
        'FD_SETSIZE': 1024,
        'IFNAMSIZ': 16,
        'NAME_MAX': 255,
        'PATH_MAX': 4096,
    },
    'madvise': {
        'MADV_COLD': 20,
        'MADV_COLLAPSE': 25,
        'MADV_DODUMP': 17,
        'MADV_DOFORK': 11,
        'MADV_DONTDUMP': 16,
        'MADV_DONTFORK': 10,
        'MADV_DONTNEED': 4,
        'MADV_DONTNEED_LOCKED': 24,
        'MADV_FREE': 8,
        'MADV_GUARD_INSTALL': 102,
        'MADV_GUARD_REMOVE': 103,
        'MADV_HUGEPAGE': 14,
        'MADV_HWPOISON': 100,
        'MADV_KEEPONFORK': 19,
        'MADV_MERGEABLE': 12,
        'MADV_NOHUGEPAGE': 15,
        'MADV_NORMAL': 0,
        'MADV_PAGEOUT': 21,
        'MADV_POPULATE_READ': 22,
        'MADV_POPULATE_WRITE': 23,
        'MADV_RANDOM': 1,
        'MADV_REMOVE': 9,
        'MADV_SEQUENTIAL': 2,
        'MADV_UNMERGEABLE': 13,
        'MADV_WILLNEED': 3,
        'MADV_WIPEONFORK': 18,
    },
    'map': {
        'MAP_32BIT': 64,
        'MAP_ABOVE4G': 128,
        'MAP_ANON': 32,
        'MAP_ANONYMOUS': 32,
        'MAP_DENYWRITE': 2048,
        'MAP_DROPPABLE': 8,
        'MAP_EXECUTABLE': 4096,
        'MAP_FILE': 0,
        'MAP_FIXED': 16,
        'MAP_FIXED_NOREPLACE': 1048576,
        'MAP_GROWSDOWN': 256,
        'MAP_HUGETLB': 262144,
        'MAP_HUGE_16GB': 2281701376,
        'MAP_HUGE_16KB': 939524096,
        'MAP_HUGE_16MB': 1610612736,
        'MAP_HUGE_1GB': 2013265920,
        'MAP_HUGE_1MB': 1342177280,
        'MAP_HUGE_256MB': 1879048192,
        'MAP_HUGE_2GB': 2080374784,
        'MAP_HUGE_2MB': 1409286144,
        'MAP_HUGE_32MB': 1677721600,
        'MAP_HUGE_512KB': 1275068416,
        'MAP_HUGE_512MB': 1946157056,
        'MAP_HUGE_64KB': 1073741824,
        'MAP_HUGE_8MB': 1543503872,
        'MAP_HUGE_MASK': 63,
        'MAP_HUGE_SHIFT': 26,
        'MAP_LOCKED': 8192,
        'MAP_NONBLOCK': 65536,
        'MAP_NORESERVE': 16384,
        'MAP_POPULATE': 32768,
        'MAP_PRIVATE': 2,
        'MAP_SHARED': 1,
        'MAP_SHARED_VALIDATE': 3,
        'MAP_STACK': 131072,
        'MAP_SYNC': 524288,
        'MAP_TYPE': 15,
    },
    'mcl': {
        'MCL_CURRENT': 1,
        'MCL_FUTURE': 2,
        'MCL_ONFAULT': 4,
    },
    'mode': {
        'S_IEXEC': 64,
        'S_IFBLK': 24576,
        'S_IFCHR': 8192,
        'S_IFDIR': 16384,
        'S_IFIFO': 4096,
        'S_IFLNK': 40960,
        'S_IFMT': 61440,
        'S_IFREG': 32768,
        'S_IFSOCK': 49152,
        'S_IREAD': 256,
        'S_IRGRP': 32,
        'S_IROTH': 4,
        'S_IRUSR': 256,
        'S_IRWXG': 56,
        'S_IRWXO': 7,
        'S_IRWXU': 448,
        'S_ISGID': 1024,
        'S_ISUID': 2048,
        'S_ISVTX': 512,
        'S_IWGRP': 16,
        'S_IWOTH': 2,
        'S_IWRITE': 128,
        'S_IWUSR': 128,
        'S_IXGRP': 8,
        'S_IXOTH': 1,
        'S_IXUSR': 64,
    },
    'msg': {
        'MSG_BATCH': 262144,
        'MSG_CMSG_CLOEXEC': 1073741824,
        'MSG_CONFIRM': 2048,
        'MSG_CTRUNC': 8,
        'MSG_DONTROUTE': 4,
        'MSG_DONTWAIT': 64,
        'MSG_EOR': 128,
        'MSG_ERRQUEUE': 8192,
        'MSG_FASTOPEN': 536870912,
        'MSG_FIN': 512,
        'MSG_MORE': 32768,
        'MSG_NOSIGNAL': 16384,
        'MSG_OOB': 1,
        'MSG_PEEK': 2,
        'MSG_PROXY': 16,
        'MSG_RST': 4096,
        'MSG_SOCK_DEVMEM': 33554432,
        'MSG_SYN': 1024,
        'MSG_TRUNC': 32,
        'MSG_TRYHARD': 4,
        'MSG_WAITALL': 256,
        'MSG_WAITFORONE': 65536,
        'MSG_ZEROCOPY': 67108864,
    },
    'msync': {
        'MS_ASYNC': 1,
        'MS_INVALIDATE': 2,
        'MS_SYNC': 4,
    },
    'open': {
        'O_ACCMODE': 3,
        'O_APPEND': 1024,
        'O_ASYNC': 8192,
        'O_CLOEXEC': 524288,
        'O_CREAT': 64,
        'O_DIRECT': 16384,
        'O_DIRECTORY': 65536,
        'O_DSYNC': 4096,
        'O_EXCL': 128,
        'O_FSYNC': 1052672,
        'O_LARGEFILE': 0,
        'O_NDELAY': 2048,
        'O_NOATIME': 262144,
        'O_NOCTTY': 256,
        'O_NOFOLLOW': 131072,
        'O_NONBLOCK': 2048,
        'O_PATH': 2097152,
        'O_RDONLY': 0,
        'O_RDWR': 2,
        'O_RSYNC': 1052672,
        'O_SYNC': 1052672,
        'O_TMPFILE': 4259840,
        'O_TRUNC': 512,
        'O_WRONLY': 1,
    },
    'pathconf': {
        '_PC_2_SYMLINKS': 20,
        '_PC_ALLOC_SIZE_MIN': 18,
        '_PC_ASYNC_IO': 10,
        '_PC_CHOWN_RESTRICTED': 6,
        '_PC_FILESIZEBITS': 13,
        '_PC_LINK_MAX': 0,
        '_PC_MAX_CANON': 1,
        '_PC_MAX_INPUT': 2,
        '_PC_NAME_MAX': 3,
        '_PC_NO_TRUNC': 7,
        '_PC_PATH_MAX': 4,
        '_PC_PIPE_BUF': 5,
        '_PC_PRIO_IO': 11,
        '_PC_REC_INCR_XFER_SIZE': 14,
        '_PC_REC_MAX_XFER_SIZE': 15,
        '_PC_REC_MIN_XFER_SIZE': 16,
        '_PC_REC_XFER_ALIGN': 17,
        '_PC_SOCK_MAXBUF': 12,
        '_PC_SYMLINK_MAX': 19,
        '_PC_SYNC_IO': 9,
        '_PC_VDISABLE': 8,
    },
    'poll': {
        'POLLERR': 8,
        'POLLHUP': 16,
        'POLLIN': 1,
        'POLLNVAL': 32,
        'POLLOUT': 4,
        'POLLPRI': 2,
        'POLLRDHUP': 8192,
    },
    'prio': {
        'PRIO_PGRP': 1,
        'PRIO_PROCESS': 0,
        'PRIO_USER': 2,
    },
    'prot': {
        'PROT_EXEC': 4,
        'PROT_GROWSDOWN': 16777216,
        'PROT_GROWSUP': 33554432,
        'PROT_NONE': 0,
        'PROT_READ': 1,
        'PROT_WRITE': 2,
    },
    'ptrace': {
        'PTRACE_ARCH_PRCTL': 30,
        'PTRACE_ATTACH': 16,
        'PTRACE_CONT': 7,
        'PTRACE_DETACH': 17,
        'PTRACE_EVENTMSG_SYSCALL_ENTRY': 1,
        'PTRACE_EVENTMSG_SYSCALL_EXIT': 2,
        'PTRACE_EVENT_CLONE': 3,
        'PTRACE_EVENT_EXEC': 4,
        'PTRACE_EVENT_EXIT': 6,
        'PTRACE_EVENT_FORK': 1,
        'PTRACE_EVENT_SECCOMP': 7,
        'PTRACE_EVENT_STOP': 128,
        'PTRACE_EVENT_VFORK': 2,
        'PTRACE_EVENT_VFORK_DONE': 5,
        'PTRACE_GETEVENTMSG': 16897,
        'PTRACE_GETFPREGS': 14,
        'PTRACE_GETFPXREGS': 18,
        'PTRACE_GETREGS': 12,
        'PTRACE_GETREGSET': 16900,
        'PTRACE_GETSIGINFO': 16898,
        'PTRACE_GETSIGMASK': 16906,
        'PTRACE_GET_RSEQ_CONFIGURATION': 16911,
        'PTRACE_GET_SYSCALL_INFO': 16910,
        'PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG': 16913,
        'PTRACE_GET_THREAD_AREA': 25,
        'PTRACE_INTERRUPT': 16903,
        'PTRACE_KILL': 8,
        'PTRACE_LISTEN': 16904,
        'PTRACE_OLDSETOPTIONS': 21,
        'PTRACE_O_EXITKILL': 1048576,
        'PTRACE_O_MASK': 3145983,
        'PTRACE_O_SUSPEND_SECCOMP': 2097152,
        'PTRACE_O_TRACECLONE': 8,
        'PTRACE_O_TRACEEXEC': 16,
        'PTRACE_O_TRACEEXIT': 64,
        'PTRACE_O_TRACEFORK': 2,
        'PTRACE_O_TRACESECCOMP': 128,
        'PTRACE_O_TRACESYSGOOD': 1,
        'PTRACE_O_TRACEVFORK': 4,
        'PTRACE_O_TRACEVFORKDONE': 32,
        'PTRACE_PEEKDATA': 2,
        'PTRACE_PEEKSIGINFO': 16905,
        'PTRACE_PEEKSIGINFO_SHARED': 1,
        'PTRACE_PEEKTEXT': 1,
        'PTRACE_PEEKUSR': 3,
        'PTRACE_POKEDATA': 5,
        'PTRACE_POKETEXT': 4,
        'PTRACE_POKEUSR': 6,
        'PTRACE_SECCOMP_GET_FILTER': 16908,
        'PTRACE_SECCOMP_GET_METADATA': 16909,
        'PTRACE_SEIZE': 16902,
        'PTRACE_SETFPREGS': 15,
        'PTRACE_SETFPXREGS': 19,
        'PTRACE_SETOPTIONS': 16896,
        'PTRACE_SETREGS': 13,
        'PTRACE_SETREGSET': 16901,
        'PTRACE_SETSIGINFO': 16899,
        'PTRACE_SETSIGMASK': 16907,
        'PTRACE_SET_SYSCALL_INFO': 16914,
        'PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG': 16912,
        'PTRACE_SET_THREAD_AREA': 26,
        'PTRACE_SINGLEBLOCK': 33,
        'PTRACE_SINGLESTEP': 9,
        'PTRACE_SYSCALL': 24,
        'PTRACE_SYSCALL_INFO_ENTRY': 1,
        'PTRACE_SYSCALL_INFO_EXIT': 2,
        'PTRACE_SYSCALL_INFO_NONE': 0,
        'PTRACE_SYSCALL_INFO_SECCOMP': 3,
        'PTRACE_SYSEMU': 31,
        'PTRACE_SYSEMU_SINGLESTEP': 32,
        'PTRACE_TRACEME': 0,
    },
    'rlimit': {
        'RLIMIT_AS': 9,
        'RLIMIT_CORE': 4,
        'RLIMIT_CPU': 0,
        'RLIMIT_DATA': 2,
        'RLIMIT_FSIZE': 1,
        'RLIMIT_LOCKS': 10,
        'RLIMIT_MEMLOCK': 8,
        'RLIMIT_MSGQUEUE': 12,
        'RLIMIT_NICE': 13,
        'RLIMIT_NOFILE': 7,
        'RLIMIT_NPROC': 6,
        'RLIMIT_RSS': 5,
        'RLIMIT_RTPRIO': 14,
        'RLIMIT_RTTIME': 15,
        'RLIMIT_SIGPENDING': 11,
        'RLIMIT_STACK': 3,
        'RLIM_INFINITY': 18446744073709551615,
    },
    'rusage': {
        'RUSAGE_CHILDREN': -1,
        'RUSAGE_SELF': 0,
        'RUSAGE_THREAD': 1,
    },
    'scm': {
        'SCM_CREDENTIALS': 2,
        'SCM_DEVMEM_DMABUF': 79,
        'SCM_DEVMEM_LINEAR': 78,
        'SCM_INQ': 84,
        'SCM_PIDFD': 4,
        'SCM_RIGHTS': 1,
        'SCM_SECURITY': 3,
        'SCM_TIMESTAMP': 29,
        'SCM_TIMESTAMPING': 37,
        'SCM_TIMESTAMPING_OPT_STATS': 54,
        'SCM_TIMESTAMPING_PKTINFO': 58,
        'SCM_TIMESTAMPNS': 35,
        'SCM_TSTAMP_ACK': 2,
        'SCM_TSTAMP_SCHED': 1,
        'SCM_TSTAMP_SND': 0,
        'SCM_TS_OPT_ID': 81,
        'SCM_TXTIME': 61,
        'SCM_WIFI_STATUS': 41,
    },
    'seek': {
        'SEEK_CUR': 1,
        'SEEK_DATA': 3,
        'SEEK_END': 2,
        'SEEK_HOLE': 4,
        'SEEK_MAX': 4,
        'SEEK_SET': 0,
    },
    'shut': {
        'SHUT_RD': 0,
        'SHUT_RDWR': 2,
        'SHUT_WR': 1,
    },
    'sigmask': {
        'SIG_BLOCK': 0,
        'SIG_SETMASK': 2,
        'SIG_UNBLOCK': 1,
    },
    'signal': {
        'SIGABRT': 6,
        'SIGALRM': 14,
        'SIGBUS': 7,
        'SIGCHLD': 17,
        'SIGCLD': 17,
        'SIGCONT': 18,
        'SIGFPE': 8,
        'SIGHUP': 1,
        'SIGILL': 4,
        'SIGINT': 2,
        'SIGIO': 29,
        'SIGIOT': 6,
        'SIGKILL': 9,
        'SIGPIPE': 13,
        'SIGPOLL': 29,
        'SIGPROF': 27,
        'SIGPWR': 30,
        'SIGQUIT': 3,
        'SIGSEGV': 11,
        'SIGSTKFLT': 16,
        'SIGSTOP': 19,
        'SIGSYS': 31,
        'SIGTERM': 15,
        'SIGTRAP': 5,
        'SIGTSTP': 20,
        'SIGTTIN': 21,
        'SIGTTOU': 22,
        'SIGURG': 23,
        'SIGUSR1': 10,
        'SIGUSR2': 12,
        'SIGVTALRM': 26,
        'SIGWINCH': 28,
        'SIGXCPU': 24,
        'SIGXFSZ': 25,
    },
    'so': {
        'SOMAXCONN': 4096,
        'SO_ACCEPTCONN': 30,
        'SO_ATTACH_BPF': 50,
        'SO_ATTACH_FILTER': 26,
        'SO_ATTACH_REUSEPORT_CBPF': 51,
        'SO_ATTACH_REUSEPORT_EBPF': 52,
        'SO_BINDTODEVICE': 25,
        'SO_BINDTOIFINDEX': 62,
        'SO_BPF_EXTENSIONS': 48,
        'SO_BROADCAST': 6,
        'SO_BSDCOMPAT': 14,
        'SO_BUF_LOCK': 72,
        'SO_BUSY_POLL': 46,
        'SO_BUSY_POLL_BUDGET': 70,
        'SO_CNX_ADVICE': 53,
        'SO_COOKIE': 57,
        'SO_DEBUG': 1,
        'SO_DETACH_BPF': 27,
        'SO_DETACH_FILTER': 27,
        'SO_DETACH_REUSEPORT_BPF': 68,
        'SO_DEVMEM_DMABUF': 79,
        'SO_DEVMEM_DONTNEED': 80,
        'SO_DEVMEM_LINEAR': 78,
        'SO_DOMAIN': 39,
        'SO_DONTROUTE': 5,
        'SO_EE_CODE_TXTIME_INVALID_PARAM': 1,
        'SO_EE_CODE_TXTIME_MISSED': 2,
        'SO_EE_CODE_ZEROCOPY_COPIED': 1,
        'SO_EE_ORIGIN_ICMP': 2,
        'SO_EE_ORIGIN_ICMP6': 3,
        'SO_EE_ORIGIN_LOCAL': 1,
        'SO_EE_ORIGIN_NONE': 0,
        'SO_EE_ORIGIN_TIMESTAMPING': 4,
        'SO_EE_ORIGIN_TXSTATUS': 4,
        'SO_EE_ORIGIN_TXTIME': 6,
        'SO_EE_ORIGIN_ZEROCOPY': 5,
        'SO_EE_RFC4884_FLAG_INVALID': 1,
        'SO_ERROR': 4,
        'SO_GET_FILTER': 26,
        'SO_INCOMING_CPU': 49,
        'SO_INCOMING_NAPI_ID': 56,
        'SO_INQ': 84,
        'SO_KEEPALIVE': 9,
        'SO_LINGER': 13,
        'SO_LOCK_FILTER': 44,
        'SO_MARK': 36,
        'SO_MAX_PACING_RATE': 47,
        'SO_MEMINFO': 55,
        'SO_NETNS_COOKIE': 71,
        'SO_NOFCS': 43,
        'SO_NO_CHECK': 11,
        'SO_OOBINLINE': 10,
        'SO_ORIGINAL_DST': 80,
        'SO_PASSCRED': 16,
        'SO_PASSPIDFD': 76,
        'SO_PASSRIGHTS': 83,
        'SO_PASSSEC': 34,
        'SO_PEEK_OFF': 42,
        'SO_PEERCRED': 17,
        'SO_PEERGROUPS': 59,
        'SO_PEERNAME': 28,
        'SO_PEERPIDFD': 77,
        'SO_PEERSEC': 31,
        'SO_PREFER_BUSY_POLL': 69,
        'SO_PRIORITY': 12,
        'SO_PROTOCOL': 38,
        'SO_RCVBUF': 8,
        'SO_RCVBUFFORCE': 33,
        'SO_RCVLOWAT': 18,
        'SO_RCVMARK': 75,
        'SO_RCVPRIORITY': 82,
        'SO_RCVTIMEO': 20,
        'SO_RCVTIMEO_NEW': 66,
        'SO_RCVTIMEO_OLD': 20,
        'SO_RESERVE_MEM': 73,
        'SO_REUSEADDR': 2,
        'SO_REUSEPORT': 15,
        'SO_RXQ_OVFL': 40,
        'SO_SECURITY_AUTHENTICATION': 22,
        'SO_SECURITY_ENCRYPTION_NETWORK': 24,
        'SO_SECURITY_ENCRYPTION_TRANSPORT': 23,
        'SO_SELECT_ERR_QUEUE': 45,
        'SO_SNDBUF': 7,
        'SO_SNDBUFFORCE': 32,
        'SO_SNDLOWAT': 19,
        'SO_SNDTIMEO': 21,
        'SO_SNDTIMEO_NEW': 67,
        'SO_SNDTIMEO_OLD': 21,
        'SO_TIMESTAMP': 29,
        'SO_TIMESTAMPING': 37,
        'SO_TIMESTAMPING_NEW': 65,
        'SO_TIMESTAMPING_OLD': 37,
        'SO_TIMESTAMPNS': 35,
        'SO_TIMESTAMPNS_NEW': 64,
        'SO_TIMESTAMPNS_OLD': 35,
        'SO_TIMESTAMP_NEW': 63,
        'SO_TIMESTAMP_OLD': 29,
        'SO_TXREHASH': 74,
        'SO_TXTIME': 61,
        'SO_TYPE': 3,
        'SO_VM_SOCKETS_BUFFER_MAX_SIZE': 2,
        'SO_VM_SOCKETS_BUFFER_MIN_SIZE': 1,
        'SO_VM_SOCKETS_BUFFER_SIZE': 0,
        'SO_VM_SOCKETS_CONNECT_TIMEOUT': 6,
        'SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW': 8,
        'SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD': 6,
        'SO_VM_SOCKETS_NONBLOCK_TXRX': 7,
        'SO_VM_SOCKETS_PEER_HOST_VM_ID': 3,
        'SO_VM_SOCKETS_TRUSTED': 5,
        'SO_WIFI_STATUS': 41,
        'SO_ZEROCOPY': 60,
    },
    'socket_family': {
        'AF_ALG': 38,
        'AF_APPLETALK': 5,
        'AF_ASH': 18,
        'AF_ATMPVC': 8,
        'AF_ATMSVC': 20,
        'AF_AX25': 3,
        'AF_BLUETOOTH': 31,
        'AF_BRIDGE': 7,
        'AF_CAIF': 37,
        'AF_CAN': 29,
        'AF_ECONET': 19,
        'AF_FILE': 1,
        'AF_IB': 27,
        'AF_IEEE802154': 36,
        'AF_INET': 2,
        'AF_INET6': 10,
        'AF_IPX': 4,
        'AF_IRDA': 23,
        'AF_ISDN': 34,
        'AF_IUCV': 32,
        'AF_KCM': 41,
        'AF_KEY': 15,
        'AF_LLC': 26,
        'AF_LOCAL': 1,
        'AF_MAX': 46,
        'AF_MCTP': 45,
        'AF_MPLS': 28,
        'AF_NETBEUI': 13,
        'AF_NETLINK': 16,
        'AF_NETROM': 6,
        'AF_NFC': 39,
        'AF_PACKET': 17,
        'AF_PHONET': 35,
        'AF_PPPOX': 24,
        'AF_QIPCRTR': 42,
        'AF_RDS': 21,
        'AF_ROSE': 11,
        'AF_ROUTE': 16,
        'AF_RXRPC': 33,
        'AF_SECURITY': 14,
        'AF_SMC': 43,
        'AF_SNA': 22,
        'AF_TIPC': 30,
        'AF_UNIX': 1,
        'AF_UNSPEC': 0,
        'AF_VSOCK': 40,
        'AF_WANPIPE': 25,
        'AF_X25': 9,
        'AF_XDP': 44,
    },
    'socket_type': {
        'SOCK_CLOEXEC': 524288,
        'SOCK_DCCP': 6,
        'SOCK_DGRAM': 2,
        'SOCK_NONBLOCK': 2048,
        'SOCK_PACKET': 10,
        'SOCK_RAW': 3,
        'SOCK_RDM': 4,
        'SOCK_SEQPACKET': 5,
        'SOCK_STREAM': 1,
    },
    'sol': {
        'SOL_AAL': 265,
        'SOL_ALG': 279,
        'SOL_ATM': 264,
        'SOL_CAIF': 278,
        'SOL_CAN_BASE': 100,
        'SOL_CAN_RAW': 101,
        'SOL_DCCP': 269,
        'SOL_DECNET': 261,
        'SOL_ICMPV6': 58,
        'SOL_IP': 0,
        'SOL_IPV6': 41,
        'SOL_IRDA': 266,
        'SOL_IUCV': 277,
        'SOL_KCM': 281,
        'SOL_LLC': 268,
        'SOL_MCTP': 285,
        'SOL_MPTCP': 284,
        'SOL_NETBEUI': 267,
        'SOL_NETLINK': 270,
        'SOL_NFC': 280,
        'SOL_PACKET': 263,
        'SOL_PNPIPE': 275,
        'SOL_PPPOL2TP': 273,
        'SOL_RAW': 255,
        'SOL_RDS': 276,
        'SOL_RXRPC': 272,
        'SOL_SMC': 286,
        'SOL_SOCKET': 1,
        'SOL_TCP': 6,
        'SOL_TIPC': 271,
        'SOL_TLS': 282,
        'SOL_UDP': 17,
        'SOL_VSOCK': 287,
        'SOL_X25': 262,
        'SOL_XDP': 283,
    },
    'tcp': {
        'TCP_AO_KEYF_EXCLUDE_OPT': 2,
        'TCP_AO_KEYF_IFINDEX': 1,
        'TCP_AO_MAXKEYLEN': 80,
        'TCP_BPF_DELACK_MAX': 1003,
        'TCP_BPF_IW': 1001,
        'TCP_BPF_RTO_MIN': 1004,
        'TCP_BPF_SNDCWND_CLAMP': 1002,
        'TCP_BPF_SYN': 1005,
        'TCP_BPF_SYN_IP': 1006,
        'TCP_BPF_SYN_MAC': 1007,
        'TCP_CC_INFO': 26,
        'TCP_CM_INQ': 36,
        'TCP_CONGESTION': 13,
        'TCP_COOKIE_IN_ALWAYS': 1,
        'TCP_COOKIE_MAX': 16,
        'TCP_COOKIE_MIN': 8,
        'TCP_COOKIE_OUT_NEVER': 2,
        'TCP_COOKIE_PAIR_SIZE': 32,
        'TCP_COOKIE_TRANSACTIONS': 15,
        'TCP_CORK': 3,
        'TCP_DEFER_ACCEPT': 9,
        'TCP_FASTOPEN': 23,
        'TCP_FASTOPEN_CONNECT': 30,
        'TCP_FASTOPEN_KEY': 33,
        'TCP_FASTOPEN_NO_COOKIE': 34,
        'TCP_INFO': 11,
        'TCP_INQ': 36,
        'TCP_KEEPCNT': 6,
        'TCP_KEEPIDLE': 4,
        'TCP_KEEPINTVL': 5,
        'TCP_LINGER2': 8,
        'TCP_MAXSEG': 2,
        'TCP_MAXWIN': 65535,
        'TCP_MAX_WINSHIFT': 14,
        'TCP_MD5SIG': 14,
        'TCP_MD5SIG_EXT': 32,
        'TCP_MD5SIG_FLAG_IFINDEX': 2,
        'TCP_MD5SIG_FLAG_PREFIX': 1,
        'TCP_MD5SIG_MAXKEYLEN': 80,
        'TCP_MSS': 512,
        'TCP_MSS_DEFAULT': 536,
        'TCP_MSS_DESIRED': 1220,
        'TCP_NODELAY': 1,
        'TCP_NOTSENT_LOWAT': 25,
        'TCP_QUEUE_SEQ': 21,
        'TCP_QUICKACK': 12,
        'TCP_REPAIR': 19,
        'TCP_REPAIR_OFF': 0,
        'TCP_REPAIR_OFF_NO_WP': -1,
        'TCP_REPAIR_ON': 1,
        'TCP_REPAIR_OPTIONS': 22,
        'TCP_REPAIR_QUEUE': 20,
        'TCP_REPAIR_WINDOW': 29,
        'TCP_SAVED_SYN': 28,
        'TCP_SAVE_SYN': 27,
        'TCP_SYNCNT': 7,
        'TCP_S_DATA_IN': 4,
        'TCP_S_DATA_OUT': 8,
        'TCP_THIN_DUPACK': 17,
        'TCP_THIN_LINEAR_TIMEOUTS': 16,
        'TCP_TIMESTAMP': 24,
        'TCP_TX_DELAY': 37,
        'TCP_ULP': 31,
        'TCP_USER_TIMEOUT': 18,
        'TCP_V4_FLOW': 1,
        'TCP_V6_FLOW': 5,
        'TCP_WINDOW_CLAMP': 10,
        'TCP_ZEROCOPY_RECEIVE': 35,
    },
    'unmount': {
        'MNT_DETACH': 2,
        'MNT_EXPIRE': 4,
        'MNT_FORCE': 1,
        'UMOUNT_NOFOLLOW': 8,
    },
    'wait': {
        'WCONTINUED': 8,
        'WEXITED': 4,
        'WNOHANG': 1,
        'WNOWAIT': 16777216,
        'WSTOPPED': 2,
        'WUNTRACED': 2,
        '__WALL': 1073741824,
        '__WCLONE': 2147483648,
        '__WNOTHREAD': 536870912,
    },
}

if not TYPE_CHECKING:
    #: class name -> (group, base, docstring), in the order of the groups above: made on first use.
    __getattr__, __dir__ = _install_enums(globals(), CONSTANTS, {
        'ClockId': ('clock', 'IntEnum', 'CLOCK_* clock ids.'),
        'LockOp': ('flock', 'IntFlag', 'LOCK_* operations of flock(2).'),
        'Advice': ('madvise', 'IntEnum', 'MADV_* advice of madvise(2).'),
        'MapFlags': ('map', 'IntFlag', 'MAP_* flags of mmap(2).'),
        'MclFlags': ('mcl', 'IntFlag', 'MCL_* flags of mlockall(2).'),
        'MsgFlags': ('msg', 'IntFlag', 'MSG_* flags of send(2)/recv(2).'),
        'MsyncFlags': ('msync', 'IntFlag', 'MS_* flags of msync(2).'),
        'OpenFlags': ('open', 'IntFlag', 'O_* flags of open(2) and fcntl(F_GETFL).'),
        'PollFlags': ('poll', 'IntFlag', 'POLL* event bits of poll(2).'),
        'PrioWhich': ('prio', 'IntEnum', 'PRIO_* targets of getpriority(2).'),
        'Prot': ('prot', 'IntFlag', 'PROT_* memory protections of mmap(2)/mprotect(2).'),
        'RusageWho': ('rusage', 'IntEnum', 'RUSAGE_* targets of getrusage(2).'),
        'Whence': ('seek', 'IntEnum', 'SEEK_* origins of lseek(2).'),
        'Shut': ('shut', 'IntEnum', 'SHUT_* directions of shutdown(2).'),
        'SigmaskHow': ('sigmask', 'IntEnum', 'SIG_* actions of sigprocmask(2).'),
        'Signal': ('signal', 'IntEnum', 'SIG* signal numbers.'),
        'AddressFamily': ('socket_family', 'IntEnum', 'AF_* address families.'),
        'WaitOptions': ('wait', 'IntFlag', 'W* option bits of wait4(2).'),
    })
# END GENERATED CONSTANTS

#: Sockets: ``CMSG_ALIGN`` rounds control-message headers and data to ``sizeof(size_t)``.
CMSG_ALIGNMENT: Final = 8
#: Linux has abstract ``AF_UNIX`` names (``sun_path`` starting with a NUL).
UNIX_ABSTRACT_NAMES: Final = True
#: Type flag making ``socket``/``socketpair`` close-on-exec atomically (0: set FD_CLOEXEC after).
ATOMIC_SOCK_CLOEXEC: Final = SOCK_CLOEXEC
#: ``recvmsg`` flag making received ``SCM_RIGHTS`` descriptors close-on-exec (0: set FD_CLOEXEC after).
ATOMIC_MSG_CMSG_CLOEXEC: Final = CONSTANTS["msg"]["MSG_CMSG_CLOEXEC"]  # MSG_CMSG_CLOEXEC, as a plain int

# -- what the argument of fcntl and ioctl is, for the object layer's checks ----------
#: ``fcntl`` commands whose argument is a pointer, with the size of what it points to.
FCNTL_POINTER_COMMANDS: Final[Mapping[int, int]] = {
    F_GETLK: ctypes.sizeof(CFlock),
    F_SETLK: ctypes.sizeof(CFlock),
    F_SETLKW: ctypes.sizeof(CFlock),
    F_OFD_GETLK: ctypes.sizeof(CFlock),
    F_OFD_SETLK: ctypes.sizeof(CFlock),
    F_OFD_SETLKW: ctypes.sizeof(CFlock),
    F_GETOWN_EX: 8,  # struct f_owner_ex
    F_SETOWN_EX: 8,
    17: 8,  # F_GETOWNER_UIDS: uid_t[2]
    F_GET_RW_HINT: 8,  # uint64_t
    F_SET_RW_HINT: 8,
    F_GET_FILE_RW_HINT: 8,
    F_SET_FILE_RW_HINT: 8,
}
#: ``fcntl`` commands whose argument is an int value (or nothing).
FCNTL_VALUE_COMMANDS: Final = frozenset({
    F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG,
    F_SETLEASE, F_GETLEASE, F_NOTIFY, F_DUPFD_QUERY, F_CREATED_QUERY, F_DUPFD_CLOEXEC,
    F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS,
})  # fmt: skip
#: The ``_IOC`` encoding of ioctl requests (``<asm-generic/ioctl.h>``): the kernel
#: reads through the pointer (``_IOC_WRITE``), writes through it (``_IOC_READ``),
#: and its size.  Linux has no bit for "takes a value" (darwin's ``IOC_VOID``).
IOC_IN: Final = 1 << 30
IOC_OUT: Final = 2 << 30
IOC_VOID: Final = 0
IOC_DIRMASK: Final = 3 << 30
IOCPARM_MASK: Final = 0x3FFF
#: Requests older than the encoding that take a pointer (``<asm-generic/ioctls.h>``,
#: ``<linux/sockios.h>``, ``<linux/fs.h>``), with the size of what it points to.
IOCTL_POINTER_REQUESTS: Final[Mapping[int, int]] = {
    0x5401: 36, 0x5402: 36, 0x5403: 36, 0x5404: 36,  # TCGETS, TCSETS, TCSETSW, TCSETSF: struct termios
    0x540F: 4, 0x5410: 4,  # TIOCGPGRP, TIOCSPGRP: pid_t
    0x5411: 4,  # TIOCOUTQ (SIOCOUTQ): int
    0x5412: 1,  # TIOCSTI: char
    0x5413: ctypes.sizeof(CWinsize), 0x5414: ctypes.sizeof(CWinsize),  # TIOCGWINSZ, TIOCSWINSZ
    0x5415: 4, 0x5416: 4, 0x5417: 4, 0x5418: 4,  # TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET: int
    0x5419: 4, 0x541A: 4,  # TIOCGSOFTCAR, TIOCSSOFTCAR: int
    0x541B: 4,  # FIONREAD (TIOCINQ, SIOCINQ): int
    0x5420: 4,  # TIOCPKT: int
    0x5421: 4,  # FIONBIO: int
    0x5423: 4, 0x5424: 4,  # TIOCSETD, TIOCGETD: int
    0x5429: 4,  # TIOCGSID: pid_t
    0x5452: 4,  # FIOASYNC: int
    0x5460: 8,  # FIOQSIZE: loff_t
    0x8901: 4, 0x8902: 4, 0x8903: 4, 0x8904: 4,  # FIOSETOWN, SIOCSPGRP, FIOGETOWN, SIOCGPGRP: int
    0x8905: 4,  # SIOCATMARK: int
    0x8906: 16, 0x8907: 16,  # SIOCGSTAMP, SIOCGSTAMPNS: struct timeval / timespec
    0x125D: 4, 0x125E: 4,  # BLKROSET, BLKROGET: int
    0x1260: 8,  # BLKGETSIZE: unsigned long
    0x1263: 8, 0x1265: 8,  # BLKRAGET, BLKFRAGET: long
    0x1267: 2,  # BLKSECTGET: unsigned short
    0x1268: 4,  # BLKSSZGET: int
}  # fmt: skip
#: Requests whose argument is a value (or nothing), including two whose encoding
#: claims a pointer (TIOCSIG and FICLONE take theirs by value).
IOCTL_VALUE_REQUESTS: Final = frozenset({
    0x5409, 0x540A, 0x540B,  # TCSBRK, TCXONC, TCFLSH
    0x540C, 0x540D, 0x540E,  # TIOCEXCL, TIOCNXCL, TIOCSCTTY
    0x541D, 0x5422, 0x5425,  # TIOCCONS, TIOCNOTTY, TCSBRKP
    0x5427, 0x5428, 0x5437,  # TIOCSBRK, TIOCCBRK, TIOCVHANGUP
    0x5441,  # TIOCGPTPEER: open flags
    0x5450, 0x5451,  # FIONCLEX, FIOCLEX
    0x40045436,  # TIOCSIG: a signal number
    0x40049409,  # FICLONE: a descriptor
    0x125F, 0x1261, 0x1262, 0x1264,  # BLKRRPART, BLKFLSBUF, BLKRASET, BLKFRASET
    0x4C00, 0x4C01, 0x4C06, 0x4C07, 0x4C08, 0x4C09,  # LOOP_SET_FD .. LOOP_SET_BLOCK_SIZE
    0x4C80, 0x4C81, 0x4C82,  # LOOP_CTL_ADD, LOOP_CTL_REMOVE, LOOP_CTL_GET_FREE
})  # fmt: skip

# -- sizes and storage, for MappedRegion.from_file ------------------------------------
#: ioctl requests whose answers, multiplied, are a block device's size in bytes:
#: (request, bytes of the unsigned answer).  BLKGETSIZE64 (``<linux/fs.h>``).
BLOCK_DEVICE_SIZE_IOCTLS: Final = ((0x80081272, 8),)
#: ``statfs`` ``f_type`` of file systems whose holes take storage even when a
#: mapping only reads them: tmpfs (``TMPFS_MAGIC``), where a read fault on a hole
#: of a full file system is SIGBUS.
READ_ALLOCATING_FS_TYPES: Final = frozenset({0x01021994})


#: ``os.posix_fallocate`` (absent from the stdlib's typing on macOS, where this module is also imported for its tables).
_posix_fallocate: Callable[[int, int, int], None] = getattr(os, "posix_fallocate", None) or (lambda *_: None)


def preallocate(fcntl: Callable[..., int], fd: int, offset: int, length: int) -> None:
    """``posix_fallocate(fd, offset, length)``: the holes of the range get their blocks (*fcntl* is unused here)."""
    del fcntl
    _posix_fallocate(fd, offset, length)


# -- fsync(full=True) ---------------------------------------------------------------
#: Linux has no ``F_FULLFSYNC`` (its fsync reaches the device): nothing to fall back from.
FULLFSYNC_FALLBACK_ERRNOS: Final[frozenset[int]] = frozenset()


# -- event sources: Linux helpers outside Go's table -------------------------
# The ABI tables have no groups for these; the values are the kernel's UAPI
# headers' (<sys/epoll.h>, <sys/eventfd.h>, <sys/timerfd.h>, <sys/signalfd.h>,
# <sys/inotify.h>, <linux/pidfd.h>), the same CPython exposes as select.EPOLL*
# and os.EFD_* (tests/raw/test_event.py compares them).  _darwin.py names them
# too, so that code using the helpers type-checks on both platforms.
#: ``epoll_ctl(2)`` event bits.
EPOLLIN: Final = 0x001
EPOLLPRI: Final = 0x002
EPOLLOUT: Final = 0x004
EPOLLERR: Final = 0x008
EPOLLHUP: Final = 0x010
EPOLLRDHUP: Final = 0x2000
EPOLLEXCLUSIVE: Final = 1 << 28
EPOLLONESHOT: Final = 1 << 30
EPOLLET: Final = 1 << 31
EPOLL_CLOEXEC: Final = 0o2000000
#: ``eventfd(2)`` flags.
EFD_SEMAPHORE: Final = 1
EFD_CLOEXEC: Final = 0o2000000
EFD_NONBLOCK: Final = 0o4000
#: ``timerfd_create(2)`` and ``timerfd_settime(2)`` flags.
TFD_CLOEXEC: Final = 0o2000000
TFD_NONBLOCK: Final = 0o4000
TFD_TIMER_ABSTIME: Final = 1
TFD_TIMER_CANCEL_ON_SET: Final = 2
#: ``signalfd(2)`` flags.
SFD_CLOEXEC: Final = 0o2000000
SFD_NONBLOCK: Final = 0o4000
#: ``inotify_init1(2)`` flags and ``inotify_add_watch(2)`` mask bits.
IN_CLOEXEC: Final = 0o2000000
IN_NONBLOCK: Final = 0o4000
IN_ACCESS: Final = 0x00000001
IN_MODIFY: Final = 0x00000002
IN_ATTRIB: Final = 0x00000004
IN_CLOSE_WRITE: Final = 0x00000008
IN_CLOSE_NOWRITE: Final = 0x00000010
IN_OPEN: Final = 0x00000020
IN_MOVED_FROM: Final = 0x00000040
IN_MOVED_TO: Final = 0x00000080
IN_CREATE: Final = 0x00000100
IN_DELETE: Final = 0x00000200
IN_DELETE_SELF: Final = 0x00000400
IN_MOVE_SELF: Final = 0x00000800
IN_UNMOUNT: Final = 0x00002000
IN_Q_OVERFLOW: Final = 0x00004000
IN_IGNORED: Final = 0x00008000
IN_ONLYDIR: Final = 0x01000000
IN_DONT_FOLLOW: Final = 0x02000000
IN_EXCL_UNLINK: Final = 0x04000000
IN_MASK_CREATE: Final = 0x10000000
IN_MASK_ADD: Final = 0x20000000
IN_ISDIR: Final = 0x40000000
IN_ONESHOT: Final = 0x80000000
#: ``pidfd_open(2)`` flag, and its system call number (the same on every
#: architecture: it is newer than the unified syscall table).
PIDFD_NONBLOCK: Final = 0o4000
SYS_pidfd_open: Final = 434


class CItimerspec(ctypes.Structure):
    """``struct itimerspec`` (timerfd_settime, timerfd_gettime)."""

    _fields_ = (("it_interval", CTimespec), ("it_value", CTimespec))


class CSignalfdSiginfo(ctypes.Structure):
    """``struct signalfd_siginfo``: what ``read(2)`` of a signalfd returns, 128 bytes per signal."""

    _fields_ = (
        ("ssi_signo", c_uint32),
        ("ssi_errno", c_int32),
        ("ssi_code", c_int32),
        ("ssi_pid", c_uint32),
        ("ssi_uid", c_uint32),
        ("ssi_fd", c_int32),
        ("ssi_tid", c_uint32),
        ("ssi_band", c_uint32),
        ("ssi_overrun", c_uint32),
        ("ssi_trapno", c_uint32),
        ("ssi_status", c_int32),
        ("ssi_int", c_int32),
        ("ssi_ptr", c_uint64),
        ("ssi_utime", c_uint64),
        ("ssi_stime", c_uint64),
        ("ssi_addr", c_uint64),
        ("ssi_addr_lsb", c_uint16),
        ("_pad2", c_uint16),
        ("ssi_syscall", c_int32),
        ("ssi_call_addr", c_uint64),
        ("ssi_arch", c_uint32),
        ("_pad", c_uint8 * 28),
    )


class CInotifyEvent(ctypes.Structure):
    """``struct inotify_event`` without its name: ``len`` bytes of NUL-padded name follow it."""

    _fields_ = (("wd", c_int32), ("mask", c_uint32), ("cookie", c_uint32), ("len", c_uint32))


# -- zero-copy transfer, range locks and extended attributes (issue 16) ------------
# sendfile(2), copy_file_range(2) and the *xattr(2) calls are outside Go's table,
# and their prototypes differ from darwin's: the argument types of each are named
# here, and a small function adapts the portable raw call to them.  Values are the
# kernel's UAPI headers' (<linux/xattr.h>, <fcntl.h>).
#: ``ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)``.
SENDFILE_PROTOTYPE: Final = (ctypes.c_ssize_t, (ctypes.c_int, ctypes.c_int, c_void_p, ctypes.c_size_t))


def sendfile(call: Callable[..., int], out_fd: int, in_fd: int, offset: int, count: int) -> int:
    """``sendfile(out_fd, in_fd, &offset, count)``: the count sent; *in_fd*'s file offset does not move.

    Linux reports a partial count rather than EINTR or EAGAIN once some
    bytes went, so a raised error means nothing was sent.
    """
    off = c_int64(offset)
    return int(call(out_fd, in_fd, ctypes.byref(off), count))


#: ``setxattr(2)`` flags: fail if the attribute exists / does not exist.
XATTR_CREATE: Final = 1
XATTR_REPLACE: Final = 2
#: The errno of "no such attribute": Linux's ENODATA (darwin says ENOATTR).
XATTR_MISSING_ERRNO: Final = ENODATA
#: The C argument types after each xattr call's own (target, name, value, size):
#: Linux's setxattr takes flags, nothing else takes more.
XATTR_EXTRA_ARGTYPES: Final[Mapping[str, tuple[type[ctypes.c_int], ...]]] = {
    "get": (), "set": (ctypes.c_int,), "list": (), "remove": (),
}  # fmt: skip


def xattr_symbol(op: str, on_fd: bool, follow_symlinks: bool) -> str:
    """The libc function of xattr call *op*: ``f*`` on a descriptor, ``l*`` for a path not followed."""
    if on_fd:
        return f"f{op}xattr"
    return f"{op}xattr" if follow_symlinks else f"l{op}xattr"


def xattr_extra(op: str, follow_symlinks: bool, flags: int) -> tuple[int, ...]:
    """The trailing C arguments of xattr call *op*: setxattr's *flags* (symlinks pick the ``l*`` function)."""
    del follow_symlinks
    return (flags,) if op == "set" else ()


#: The byte-range lock commands (get, set, set-and-wait): open-file-description
#: locks, owned by the open file description rather than the process, so threads
#: and processes sharing one descriptor exclude each other, and closing another
#: descriptor of the file does not drop them.  ``F_OFD_GETLK`` reports ``l_pid``
#: -1: the owner is a description, not a process.
RANGE_LOCK_COMMANDS: Final = (F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW)
#: What the range lock commands are, for messages and documentation.
RANGE_LOCK_KIND: Final = "open file description (F_OFD_SETLK)"
#: Where the kernel lists every lock of the system with its owner's pid ("" where there is none).
LOCKS_TABLE: Final[str] = "/proc/locks"


def fd_path(fcntl: Callable[..., int], fd: int) -> str | None:
    """The path *fd* was opened by, as ``/proc/self/fd`` says, or None (*fcntl* is unused here)."""
    del fcntl
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None

# -- directories and shared memory (issue 16): flags outside the ABI tables ---
#: renameat2(2) flags (linux/fs.h): fail if the target exists; swap the two names.
RENAME_NOREPLACE: Final = 1
RENAME_EXCHANGE: Final = 2
#: The C function behind raw.renameat2: the Linux call itself.
RENAMEAT2_SYMBOL: Final = "renameat2"
#: memfd_create(2) flags (linux/memfd.h).
MFD_CLOEXEC: Final = 1
MFD_ALLOW_SEALING: Final = 2

# -- process inspection (macres.procinfo): /proc readers ------------------------
# Each reader takes a pid and its identity (the start time, field 22 of
# /proc/PID/stat, in clock ticks since boot) and reads every file once, with
# os.open/os.read into bytes.  A reader whose file is not stat reads stat after
# it: if the start time changed, the pid was reused meanwhile and the reader
# raises ProcessLookupError rather than report another process.  _darwin.py
# has the same names over libproc.
#: Clock ticks per second of /proc's times, and the page size of its memory counts.
PROC_CLK_TCK: Final = os.sysconf("SC_CLK_TCK")
PROC_PAGE_SIZE: Final = os.sysconf("SC_PAGE_SIZE")
_PROC_FLAGS: Final = os.O_RDONLY | os.O_CLOEXEC
_PROC_STATUS_NAMES: Final = {
    b"R": "running", b"S": "sleeping", b"D": "disk-sleep", b"T": "stopped", b"t": "tracing-stop",
    b"Z": "zombie", b"X": "dead", b"x": "dead", b"K": "wake-kill", b"W": "waking", b"I": "idle",
    b"P": "parked",
}  # fmt: skip


def bind_libproc(lib: object) -> None:
    """Nothing to bind on Linux: the readers read /proc (darwin's readers get libproc from here)."""
    del lib


def _proc_gone(pid: int) -> ProcessLookupError:
    return ProcessLookupError(ESRCH, f"process {pid} is gone")


def _proc_reused(pid: int) -> ProcessLookupError:
    return ProcessLookupError(ESRCH, f"process {pid} is gone (its pid now names another process)")


def _proc_denied(pid: int, what: str, exc: OSError) -> PermissionError:
    return PermissionError(exc.errno, f"process {pid}: reading its {what} is not permitted")


#: The files of /proc/PID a snapshot block (ProcessInfo.oneshot) keeps.
_PROC_KEPT: Final = frozenset({"stat", "status", "statm", "cmdline", "environ"})


def _proc_read(pid: int, name: str) -> bytes:
    """The whole of /proc/PID/NAME: one open, reads until the end, one close (once per snapshot block)."""
    if name in _PROC_KEPT and _snapshot_active():
        return _kept(("proc", pid, name), lambda: _proc_read_file(pid, name))
    return _proc_read_file(pid, name)


def _proc_read_file(pid: int, name: str) -> bytes:
    try:
        fd = os.open(f"/proc/{pid}/{name}", _PROC_FLAGS)
    except (FileNotFoundError, ProcessLookupError):  # gone; ESRCH: a file of its memory, and it has none (a zombie)
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, name, exc) from None
    try:
        data = os.read(fd, 8192)
        if len(data) == 8192:  # cmdline, environ: larger than one read
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
    except ProcessLookupError:  # the process exited between the open and the read
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, name, exc) from None
    finally:
        os.close(fd)
    return data


def _proc_read_checked(pid: int, ident: int, name: str) -> bytes:
    """/proc/PID/NAME, then /proc/PID/stat to check that *pid* still names the process started at *ident*.

    The hot path of cmdline and memory: both files read inline, each with one
    open, one read and one close (stat is under 1 KiB; NAME is read on only
    when it filled the first read).  In a snapshot block, both as kept.
    """
    if _snapshot_active():
        data = _proc_read(pid, name)
        _proc_check(pid, ident)
        return data
    prefix = f"/proc/{pid}/"
    try:
        fd = os.open(prefix + name, _PROC_FLAGS)
    except FileNotFoundError:
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, name, exc) from None
    try:
        data = os.read(fd, 8192)
        if len(data) == 8192:
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
    except ProcessLookupError:
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, name, exc) from None
    finally:
        os.close(fd)
    try:
        fd = os.open(prefix + "stat", _PROC_FLAGS)
    except FileNotFoundError:
        raise _proc_gone(pid) from None
    try:
        stat = os.read(fd, 4096)
    except ProcessLookupError:
        raise _proc_gone(pid) from None
    finally:
        os.close(fd)
    if int(stat[stat.rfind(b")") + 2 :].split(None, 20)[19]) != ident:
        raise _proc_reused(pid)
    return data


def _proc_stat(pid: int, ident: int | None, *, maxsplit: int = -1) -> list[bytes]:
    """Fields 3.. of /proc/PID/stat (field 22, the start time, is index 19), checked against *ident*."""
    data = _proc_read(pid, "stat")
    fields = data[data.rfind(b")") + 2 :].split(None, maxsplit)
    if ident is not None and int(fields[19]) != ident:
        raise _proc_reused(pid)
    return fields


def _proc_check(pid: int, ident: int) -> None:
    """Raise ProcessLookupError unless *pid* still names the process started at *ident*."""
    _proc_stat(pid, ident, maxsplit=20)


def proc_identity(pid: int) -> int:
    """The start time of process *pid* in clock ticks since boot (field 22 of /proc/PID/stat)."""
    return int(_proc_stat(pid, None, maxsplit=20)[19])


def _pidfd_pid(pidfd: int) -> int:
    """The pid a pidfd names (``Pid:`` of /proc/self/fdinfo/PIDFD): -1 once that process was reaped."""
    try:
        data = _proc_read(os.getpid(), f"fdinfo/{pidfd}")
    except ProcessLookupError:
        raise OSError(EBADF, f"descriptor {pidfd} is not open") from None
    at = data.find(b"\nPid:")
    if at < 0:
        raise ValueError(f"descriptor {pidfd} is not a pidfd")
    return int(data[at + 5 : data.find(b"\n", at + 5)])


def proc_pidfd_identity(pidfd: int) -> tuple[int, int]:
    """(pid, identity) of the process *pidfd* names: the start time is read while the pidfd shows the process there.

    The pidfd names one process for ever; its pid is read from its fdinfo,
    the start time from /proc/PID/stat, then the fdinfo again: if the
    process was still there, the pid was not reused in between, so the
    identity is that process's.
    """
    pid = _pidfd_pid(pidfd)
    if pid > 0:
        ident = proc_identity(pid)
        if _pidfd_pid(pidfd) == pid:
            return pid, ident
    raise ProcessLookupError(ESRCH, f"the process of pidfd {pidfd} is gone")


def proc_pids() -> list[int]:
    """Every pid /proc lists, in increasing order."""
    return sorted(int(name) for name in os.listdir("/proc") if name.isdigit())


_PROC_BOOT_TIME: list[float] = []


def proc_create_time(pid: int, ident: int) -> float:
    """When the process started, in seconds since the epoch: boot time (``btime`` of /proc/stat) plus *ident*."""
    _proc_check(pid, ident)
    if not _PROC_BOOT_TIME:
        with open("/proc/stat", "rb") as f:
            for line in f:
                if line.startswith(b"btime"):
                    _PROC_BOOT_TIME.append(float(line.split()[1]))
                    break
    return ident / PROC_CLK_TCK + _PROC_BOOT_TIME[0]


def proc_name(pid: int, ident: int) -> str:
    """The command name (``comm``, from /proc/PID/stat); when the kernel cut it at 15 bytes, argv[0]'s base name it begins."""
    data = _proc_read(pid, "stat")
    rpar = data.rfind(b")")
    if int(data[rpar + 2 :].split(None, 20)[19]) != ident:
        raise _proc_reused(pid)
    name = os.fsdecode(data[data.find(b"(") + 1 : rpar])
    if len(name) >= 15:
        try:
            argv = proc_cmdline(pid, ident)
        except PermissionError:
            return name
        if argv:
            full = os.path.basename(argv[0])
            if full.startswith(name):
                return full
    return name


def proc_cmdline(pid: int, ident: int) -> list[str]:
    """The arguments (/proc/PID/cmdline, split at NULs; at spaces where the process rewrote them as one string)."""
    data = _proc_read_checked(pid, ident, "cmdline")
    if not data:  # a zombie or a kernel thread
        return []
    text = os.fsdecode(data)
    sep = "\0" if text.endswith("\0") else " "
    if text.endswith(sep):
        text = text[:-1]
    argv = text.split(sep)
    if sep == "\0" and len(argv) == 1 and " " in text:
        argv = text.split(" ")
    return argv


def proc_environ(pid: int, ident: int) -> dict[str, str]:
    """The environment the process started with (/proc/PID/environ); empty for zombies and kernel threads, as cmdline."""
    try:
        data = _proc_read(pid, "environ")
    except ProcessLookupError:  # a zombie has no memory to read (ESRCH at the open); gone is told by the check
        data = b""
    _proc_check(pid, ident)
    env: dict[str, str] = {}
    for entry in os.fsdecode(data).split("\0"):
        key, eq, value = entry.partition("=")
        if eq:
            env[key] = value
    return env


def _proc_link(pid: int, ident: int, name: str) -> str | None:
    try:
        target = os.readlink(f"/proc/{pid}/{name}")
    except FileNotFoundError:  # gone, or a zombie or kernel thread has none
        target = None
    except PermissionError as exc:
        _proc_check(pid, ident)
        raise _proc_denied(pid, name, exc) from None
    _proc_check(pid, ident)
    return target


def proc_exe(pid: int, ident: int) -> str | None:
    """The executable's path (/proc/PID/exe); None for kernel threads and zombies."""
    return _proc_link(pid, ident, "exe")


def proc_cwd(pid: int, ident: int) -> str | None:
    """The working directory (/proc/PID/cwd); None for zombies."""
    return _proc_link(pid, ident, "cwd")


def proc_status(pid: int, ident: int) -> str:
    """The scheduler state as a word ("running", "sleeping", "zombie", ...), from field 3 of /proc/PID/stat."""
    state = _proc_stat(pid, ident, maxsplit=20)[0]
    return _PROC_STATUS_NAMES.get(state, state.decode("ascii", "replace"))


def proc_ppid(pid: int, ident: int) -> int:
    """The parent's pid (field 4 of /proc/PID/stat)."""
    return int(_proc_stat(pid, ident, maxsplit=20)[1])


def proc_ids(pid: int, ident: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(real, effective, saved) uids and gids, from the ``Uid:`` and ``Gid:`` lines of /proc/PID/status."""
    data = _proc_read(pid, "status")
    _proc_check(pid, ident)
    u = data.find(b"\nUid:")
    g = data.find(b"\nGid:")
    uids = data[u + 5 : data.find(b"\n", u + 5)].split()
    gids = data[g + 5 : data.find(b"\n", g + 5)].split()
    return (int(uids[0]), int(uids[1]), int(uids[2])), (int(gids[0]), int(gids[1]), int(gids[2]))


def proc_num_threads(pid: int, ident: int) -> int:
    """The number of threads (field 20 of /proc/PID/stat)."""
    return int(_proc_stat(pid, ident, maxsplit=20)[17])


def proc_threads(pid: int, ident: int) -> list[tuple[int, float, float]]:
    """(thread id, user seconds, system seconds) of every thread, from /proc/PID/task/TID/stat."""
    try:
        tids = sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, "threads", exc) from None
    threads = []
    for tid in tids:
        try:
            data = _proc_read(pid, f"task/{tid}/stat")
        except ProcessLookupError:  # the thread ended meanwhile
            continue
        fields = data[data.rfind(b")") + 2 :].split(None, 14)
        threads.append((tid, int(fields[11]) / PROC_CLK_TCK, int(fields[12]) / PROC_CLK_TCK))
    _proc_check(pid, ident)
    return threads


def proc_cpu_times(pid: int, ident: int) -> tuple[float, float, float, float]:
    """User, system, reaped children's user and system seconds (fields 14-17 of /proc/PID/stat)."""
    f = _proc_stat(pid, ident, maxsplit=20)
    tck = PROC_CLK_TCK
    return int(f[11]) / tck, int(f[12]) / tck, int(f[13]) / tck, int(f[14]) / tck


def proc_memory(pid: int, ident: int) -> tuple[int, int]:
    """Resident and virtual size in bytes (/proc/PID/statm: the exact sums; stat's rss is a per-CPU estimate)."""
    size, resident, _ = _proc_read_checked(pid, ident, "statm").split(None, 2)
    return int(resident) * PROC_PAGE_SIZE, int(size) * PROC_PAGE_SIZE


def proc_num_fds(pid: int, ident: int) -> int:
    """The number of open descriptors (entries of /proc/PID/fd)."""
    try:
        n = len(os.listdir(f"/proc/{pid}/fd"))
    except FileNotFoundError:
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, "descriptors", exc) from None
    _proc_check(pid, ident)
    return n


_PROC_FILE_KINDS: Final = {
    0o100000: "file", 0o040000: "directory", 0o020000: "character-device", 0o060000: "block-device",
    0o010000: "pipe", 0o140000: "socket", 0o120000: "symlink",
}  # fmt: skip


def proc_fds(pid: int, ident: int) -> list[tuple[int, str, str | None]]:
    """(descriptor, kind, path or None) of every open descriptor, from the links of /proc/PID/fd.

    Kinds: file, directory, character-device, block-device, pipe, socket,
    event (an anonymous inode: epoll, eventfd, timerfd, signalfd, inotify,
    pidfd) and other.  A path is given for descriptors opened by path.
    """
    base = f"/proc/{pid}/fd"
    try:
        names = os.listdir(base)
    except FileNotFoundError:
        raise _proc_gone(pid) from None
    except PermissionError as exc:
        raise _proc_denied(pid, "descriptors", exc) from None
    out: list[tuple[int, str, str | None]] = []
    for name in sorted(names, key=int):
        link = f"{base}/{name}"
        try:
            target = os.readlink(link)
            if target.startswith("/"):
                mode = os.stat(link).st_mode
                kind = _PROC_FILE_KINDS.get(mode & 0o170000, "other")
                out.append((int(name), kind, target))
                continue
        except FileNotFoundError:  # closed meanwhile
            continue
        except PermissionError as exc:
            raise _proc_denied(pid, "descriptors", exc) from None
        if target.startswith("socket:"):
            out.append((int(name), "socket", None))
        elif target.startswith("pipe:"):
            out.append((int(name), "pipe", None))
        elif target.startswith("anon_inode:"):
            out.append((int(name), "event", None))
        else:
            out.append((int(name), "other", None))
    _proc_check(pid, ident)
    return out


def proc_table() -> list[tuple[int, int, int]]:
    """(pid, parent's pid, identity) of every process, from one scan of every /proc/PID/stat."""
    table = []
    for other in proc_pids():
        try:
            f = _proc_stat(other, None, maxsplit=20)
        except (ProcessLookupError, PermissionError):
            continue
        table.append((other, int(f[1]), int(f[19])))
    return table


def proc_children(pid: int, ident: int) -> list[tuple[int, int]]:
    """(pid, identity) of every process whose parent is *pid*, from a scan of every /proc/PID/stat."""
    kids = [(other, start) for other, parent, start in proc_table() if parent == pid and start >= ident]
    _proc_check(pid, ident)
    return kids
