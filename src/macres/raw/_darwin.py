"""darwin (macOS x86_64 and arm64) ABI: ctypes structs, libc symbol names and constants.

This module holds data only.  It imports on any platform and loads no
library, so the test suite can compare it with ``abi/darwin_*.json`` on
Linux.  Struct members are declared in C order (xnu ``bsd/sys/*.h``,
``bsd/netinet/*.h``) with fixed-width types; padding and reserved members
the table leaves out are declared with a leading underscore so that sizes
and offsets come out as the C compiler lays them.  amd64 and arm64 share
every layout and constant; they differ only in the symbols of the stat
family (:func:`libc_symbols`).
"""

from __future__ import annotations

import ctypes
import enum
import os
from collections.abc import Callable, Mapping
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
from typing import TYPE_CHECKING, Any, Final

from ._snapshot import kept as _kept
from ._lazy_enums import install as _install_enums
from ._types import DirEntry, Rusage, Stat, StatFS

#: The platform's name in the ABI tables (amd64 and arm64 lay out alike).
PLATFORM: Final = "darwin_amd64"
#: The C library to load.
LIBC_NAME: Final = "/usr/lib/libSystem.B.dylib"

# On x86_64 the unsuffixed stat-family symbols keep the old 32-bit-inode
# structs; the *64 symbols use the layouts below.  arm64 has only the
# unsuffixed names, which use these layouts.
_AMD64_SYMBOLS: Final[Mapping[str, str]] = {
    "stat": "stat64",
    "fstat": "fstat64",
    "lstat": "lstat64",
    "fstatat": "fstatat64",
    "statfs": "statfs64",
    "fstatfs": "fstatfs64",
    "getfsstat": "getfsstat64",
    # The directory calls fill the 64-bit-inode struct dirent only under
    # their $INODE64 names on x86_64.
    "readdir_r": "readdir_r$INODE64",
    "opendir": "opendir$INODE64",
    "fdopendir": "fdopendir$INODE64",
}


def libc_symbols(arch: str) -> Mapping[str, str]:
    """Return the libc symbols that differ from the binding names on *arch*.

    ``amd64`` binds the 64-bit-inode ``*64`` symbols of the stat family;
    ``arm64`` binds every name as it is.
    """
    return _AMD64_SYMBOLS if arch == "amd64" else {}


class CTimespec(ctypes.Structure):
    """``struct timespec``."""

    _fields_ = (("tv_sec", c_int64), ("tv_nsec", c_int64))


class CTimeval(ctypes.Structure):
    """``struct timeval``: ``tv_usec`` is a 4-byte ``suseconds_t`` then 4 bytes of padding."""

    _fields_ = (("tv_sec", c_int64), ("tv_usec", c_int32), ("_pad", c_int32))


class CStat(ctypes.Structure):
    """``struct stat`` with 64-bit inodes (``__DARWIN_STRUCT_STAT64``)."""

    _fields_ = (
        ("st_dev", c_int32),
        ("st_mode", c_uint16),
        ("st_nlink", c_uint16),
        ("st_ino", c_uint64),
        ("st_uid", c_uint32),
        ("st_gid", c_uint32),
        ("st_rdev", c_int32),
        ("_pad0", c_int32),
        ("st_atimespec", CTimespec),
        ("st_mtimespec", CTimespec),
        ("st_ctimespec", CTimespec),
        ("st_birthtimespec", CTimespec),
        ("st_size", c_int64),
        ("st_blocks", c_int64),
        ("st_blksize", c_int32),
        ("st_flags", c_uint32),
        ("st_gen", c_uint32),
        ("st_lspare", c_int32),
        ("st_qspare", c_int64 * 2),
    )


class CFsid(ctypes.Structure):
    """``fsid_t``."""

    _fields_ = (("val", c_int32 * 2),)


class CStatfs(ctypes.Structure):
    """``struct statfs`` with 64-bit inodes (``__DARWIN_STRUCT_STATFS64``)."""

    _fields_ = (
        ("f_bsize", c_uint32),
        ("f_iosize", c_int32),
        ("f_blocks", c_uint64),
        ("f_bfree", c_uint64),
        ("f_bavail", c_uint64),
        ("f_files", c_uint64),
        ("f_ffree", c_uint64),
        ("f_fsid", CFsid),
        ("f_owner", c_uint32),
        ("f_type", c_uint32),
        ("f_flags", c_uint32),
        ("f_fssubtype", c_uint32),
        ("f_fstypename", c_char * 16),
        ("f_mntonname", c_char * 1024),
        ("f_mntfromname", c_char * 1024),
        ("f_flags_ext", c_uint32),
        ("f_reserved", c_uint32 * 7),
    )


class CDirent(ctypes.Structure):
    """``struct dirent`` with 64-bit inodes (``__DARWIN_STRUCT_DIRENTRY``)."""

    _fields_ = (
        ("d_ino", c_uint64),
        ("d_seekoff", c_uint64),
        ("d_reclen", c_uint16),
        ("d_namlen", c_uint16),
        ("d_type", c_uint8),
        ("d_name", c_char * 1024),
    )


class CKevent(ctypes.Structure):
    """``struct kevent``: declared under ``#pragma pack(4)``; same offsets as natural layout."""

    _pack_ = 4
    _fields_ = (
        ("ident", c_uint64),
        ("filter", c_int16),
        ("flags", c_uint16),
        ("fflags", c_uint32),
        ("data", c_int64),
        ("udata", c_void_p),
    )


class CFdSet(ctypes.Structure):
    """``fd_set``: FD_SETSIZE (1024) bits in 32-bit words."""

    _fields_ = (("fds_bits", c_int32 * 32),)


class CFlock(ctypes.Structure):
    """``struct flock`` (fcntl record locks): offsets first on darwin."""

    _fields_ = (
        ("l_start", c_int64),
        ("l_len", c_int64),
        ("l_pid", c_int32),
        ("l_type", c_int16),
        ("l_whence", c_int16),
    )


class CIovec(ctypes.Structure):
    """``struct iovec``."""

    _fields_ = (("iov_base", c_void_p), ("iov_len", c_uint64))


class CMsghdr(ctypes.Structure):
    """``struct msghdr`` (``msg_iovlen`` is int, ``msg_controllen`` socklen_t on darwin)."""

    _fields_ = (
        ("msg_name", c_void_p),
        ("msg_namelen", c_uint32),
        ("msg_iov", ctypes.POINTER(CIovec)),
        ("msg_iovlen", c_int32),
        ("msg_control", c_void_p),
        ("msg_controllen", c_uint32),
        ("msg_flags", c_int32),
    )


class CCmsghdr(ctypes.Structure):
    """``struct cmsghdr`` (``cmsg_len`` is socklen_t; data aligned to 4 bytes)."""

    _fields_ = (
        ("cmsg_len", c_uint32),
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
    """``struct rusage``; ``ru_maxrss`` is in bytes on darwin."""

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


class CSockaddr(ctypes.Structure):
    """``struct sockaddr`` (with the BSD length byte)."""

    _fields_ = (("sa_len", c_uint8), ("sa_family", c_uint8), ("sa_data", c_char * 14))


class CSockaddrIn(ctypes.Structure):
    """``struct sockaddr_in``; port and address in network byte order."""

    _fields_ = (
        ("sin_len", c_uint8),
        ("sin_family", c_uint8),
        ("sin_port", c_uint16),
        ("sin_addr", c_uint32),
        ("sin_zero", c_uint8 * 8),
    )


class CSockaddrIn6(ctypes.Structure):
    """``struct sockaddr_in6``; port and flowinfo in network byte order."""

    _fields_ = (
        ("sin6_len", c_uint8),
        ("sin6_family", c_uint8),
        ("sin6_port", c_uint16),
        ("sin6_flowinfo", c_uint32),
        ("sin6_addr", c_uint8 * 16),
        ("sin6_scope_id", c_uint32),
    )


class CSockaddrUn(ctypes.Structure):
    """``struct sockaddr_un`` (104-byte path, length byte first)."""

    _fields_ = (("sun_len", c_uint8), ("sun_family", c_uint8), ("sun_path", c_char * 104))


class CSockaddrStorage(ctypes.Structure):
    """``struct sockaddr_storage``: room for any address (xnu ``_SS_*`` sizes)."""

    _fields_ = (
        ("ss_len", c_uint8),
        ("ss_family", c_uint8),
        ("__ss_pad1", c_uint8 * 6),
        ("__ss_align", c_int64),
        ("__ss_pad2", c_uint8 * 112),
    )


class CSockaddrDl(ctypes.Structure):
    """``struct sockaddr_dl`` (AF_LINK): name, then link-level address, in ``sdl_data``."""

    _fields_ = (
        ("sdl_len", c_uint8),
        ("sdl_family", c_uint8),
        ("sdl_index", c_uint16),
        ("sdl_type", c_uint8),
        ("sdl_nlen", c_uint8),
        ("sdl_alen", c_uint8),
        ("sdl_slen", c_uint8),
        ("sdl_data", c_char * 12),
    )


class CLinger(ctypes.Structure):
    """``struct linger``; ``l_linger`` is in ticks for SO_LINGER, seconds for SO_LINGER_SEC."""

    _fields_ = (("l_onoff", c_int32), ("l_linger", c_int32))


class CXucred(ctypes.Structure):
    """``struct xucred`` (LOCAL_PEERCRED)."""

    _fields_ = (
        ("cr_version", c_uint32),
        ("cr_uid", c_uint32),
        ("cr_ngroups", c_int16),
        ("cr_groups", c_uint32 * 16),
    )


class CInPktinfo(ctypes.Structure):
    """``struct in_pktinfo``."""

    _fields_ = (
        ("ipi_ifindex", c_uint32),
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
    """``struct icmp6_filter``: a set bit lets that ICMPv6 type pass on darwin."""

    _fields_ = (("icmp6_filt", c_uint32 * 8),)


class CUtsname(ctypes.Structure):
    """``struct utsname`` (256-byte fields, no domainname)."""

    _fields_ = (
        ("sysname", c_char * 256),
        ("nodename", c_char * 256),
        ("release", c_char * 256),
        ("version", c_char * 256),
        ("machine", c_char * 256),
    )


class CWinsize(ctypes.Structure):
    """``struct winsize`` (TIOCGWINSZ)."""

    _fields_ = (
        ("ws_row", c_uint16),
        ("ws_col", c_uint16),
        ("ws_xpixel", c_uint16),
        ("ws_ypixel", c_uint16),
    )


class CTermios(ctypes.Structure):
    """``struct termios`` (tcflag_t and speed_t are unsigned long, NCCS is 20)."""

    _fields_ = (
        ("c_iflag", c_uint64),
        ("c_oflag", c_uint64),
        ("c_cflag", c_uint64),
        ("c_lflag", c_uint64),
        ("c_cc", c_uint8 * 20),
        ("c_ispeed", c_uint64),
        ("c_ospeed", c_uint64),
    )


class CTcpConnectionInfo(ctypes.Structure):
    """``struct tcp_connection_info`` (TCP_CONNECTION_INFO).

    The fifteen 1-bit ``tcpi_tfo_*`` flags share one 32-bit word at offset
    52 (low bits first, as clang lays them on little-endian targets).
    """

    _fields_ = (
        ("tcpi_state", c_uint8),
        ("tcpi_snd_wscale", c_uint8),
        ("tcpi_rcv_wscale", c_uint8),
        ("_pad1", c_uint8),
        ("tcpi_options", c_uint32),
        ("tcpi_flags", c_uint32),
        ("tcpi_rto", c_uint32),
        ("tcpi_maxseg", c_uint32),
        ("tcpi_snd_ssthresh", c_uint32),
        ("tcpi_snd_cwnd", c_uint32),
        ("tcpi_snd_wnd", c_uint32),
        ("tcpi_snd_sbbytes", c_uint32),
        ("tcpi_rcv_wnd", c_uint32),
        ("tcpi_rttcur", c_uint32),
        ("tcpi_srtt", c_uint32),
        ("tcpi_rttvar", c_uint32),
        ("tcpi_tfo_cookie_req", c_uint32, 1),
        ("tcpi_tfo_cookie_rcv", c_uint32, 1),
        ("tcpi_tfo_syn_loss", c_uint32, 1),
        ("tcpi_tfo_syn_data_sent", c_uint32, 1),
        ("tcpi_tfo_syn_data_acked", c_uint32, 1),
        ("tcpi_tfo_syn_data_rcv", c_uint32, 1),
        ("tcpi_tfo_cookie_req_rcv", c_uint32, 1),
        ("tcpi_tfo_cookie_sent", c_uint32, 1),
        ("tcpi_tfo_cookie_invalid", c_uint32, 1),
        ("tcpi_tfo_cookie_wrong", c_uint32, 1),
        ("tcpi_tfo_no_cookie_rcv", c_uint32, 1),
        ("tcpi_tfo_heuristics_disable", c_uint32, 1),
        ("tcpi_tfo_send_blackhole", c_uint32, 1),
        ("tcpi_tfo_recv_blackhole", c_uint32, 1),
        ("tcpi_tfo_onebyte_proxy", c_uint32, 1),
        ("_pad2", c_uint32, 17),
        ("tcpi_txpackets", c_uint64),
        ("tcpi_txbytes", c_uint64),
        ("tcpi_txretransmitbytes", c_uint64),
        ("tcpi_rxpackets", c_uint64),
        ("tcpi_rxbytes", c_uint64),
        ("tcpi_rxoutoforderbytes", c_uint64),
        ("tcpi_txretransmitpackets", c_uint64),
    )


#: The ctypes struct for every struct of the ABI table, by its C name.
STRUCTS: Final[Mapping[str, type[ctypes.Structure]]] = {
    "cmsghdr": CCmsghdr,
    "dirent": CDirent,
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
    "kevent": CKevent,
    "linger": CLinger,
    "msghdr": CMsghdr,
    "pollfd": CPollfd,
    "rlimit": CRlimit,
    "rusage": CRusage,
    "sockaddr": CSockaddr,
    "sockaddr_dl": CSockaddrDl,
    "sockaddr_in": CSockaddrIn,
    "sockaddr_in6": CSockaddrIn6,
    "sockaddr_storage": CSockaddrStorage,
    "sockaddr_un": CSockaddrUn,
    "stat": CStat,
    "statfs": CStatfs,
    "tcp_connection_info": CTcpConnectionInfo,
    "termios": CTermios,
    "timespec": CTimespec,
    "timeval": CTimeval,
    "utsname": CUtsname,
    "winsize": CWinsize,
    "xucred": CXucred,
}


def _ns(ts: CTimespec) -> int:
    return int(ts.tv_sec) * 1_000_000_000 + int(ts.tv_nsec)


def stat_value(c: CStat) -> Stat:
    """Return the :class:`Stat` value of a filled ``struct stat`` (with birth time, flags, gen)."""
    return Stat.from_fields(
        c.st_mode,
        c.st_ino,
        c.st_dev,
        c.st_nlink,
        c.st_uid,
        c.st_gid,
        c.st_size,
        _ns(c.st_atimespec),
        _ns(c.st_mtimespec),
        _ns(c.st_ctimespec),
        c.st_blksize,
        c.st_blocks,
        c.st_rdev,
        st_birthtime_ns=_ns(c.st_birthtimespec),
        st_flags=c.st_flags,
        st_gen=c.st_gen,
    )


def statfs_value(c: CStatfs) -> StatFS:
    """Return the :class:`StatFS` value of a filled ``struct statfs`` (names decoded with fsdecode)."""
    return StatFS(
        f_type=c.f_type,
        f_bsize=c.f_bsize,
        f_blocks=c.f_blocks,
        f_bfree=c.f_bfree,
        f_bavail=c.f_bavail,
        f_files=c.f_files,
        f_ffree=c.f_ffree,
        f_fsid=(c.f_fsid.val[0], c.f_fsid.val[1]),
        f_flags=c.f_flags,
        f_iosize=c.f_iosize,
        f_owner=c.f_owner,
        f_fstypename=os.fsdecode(c.f_fstypename),
        f_mntonname=os.fsdecode(c.f_mntonname),
        f_mntfromname=os.fsdecode(c.f_mntfromname),
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


#: ``mode_t`` is 16 bits on darwin.
MODE_T: Final = ctypes.c_uint16
#: Units and quirks the object layer normalises.
RUSAGE_MAXRSS_UNIT: Final = 1  # ru_maxrss is bytes on darwin
HAS_SA_LEN: Final = True  # sockaddrs start with a length byte

#: ``dev_t`` is a signed 32-bit integer on darwin.
DEV_T: Final = ctypes.c_int32


def dirent_value(c: CDirent) -> DirEntry:
    """Return the :class:`DirEntry` value of a filled 64-bit-inode ``struct dirent``."""
    return DirEntry(
        d_ino=c.d_ino,
        d_type=c.d_type,
        d_name=c.d_name,
        d_reclen=c.d_reclen,
        d_seekoff=c.d_seekoff,
        d_namlen=c.d_namlen,
    )


#: Sockets: ``__DARWIN_ALIGN32`` rounds control-message headers and data to 4 bytes.
CMSG_ALIGNMENT: Final = 4
#: darwin has no abstract ``AF_UNIX`` names.
UNIX_ABSTRACT_NAMES: Final = False
#: darwin has no ``SOCK_CLOEXEC``: callers set ``FD_CLOEXEC`` with fcntl after the call.
ATOMIC_SOCK_CLOEXEC: Final = 0
#: darwin has no ``MSG_CMSG_CLOEXEC``: callers set ``FD_CLOEXEC`` on received descriptors.
ATOMIC_MSG_CMSG_CLOEXEC: Final = 0

#: Linux's ``epoll_ctl`` operations, named here too so code using the epoll
#: helpers type-checks on both platforms; the helpers raise
#: ``UnsupportedOperation`` on darwin (kqueue/kevent are its queue).
EPOLL_CTL_ADD: Final = 1
EPOLL_CTL_DEL: Final = 2
EPOLL_CTL_MOD: Final = 3


# BEGIN GENERATED CONSTANTS (tools/gen_constants.py)
# Source: data/abi/darwin_amd64.json.  Do not edit by hand.

# -- access
F_OK: Final = 0
R_OK: Final = 4
W_OK: Final = 2
X_OK: Final = 1

# -- at
AT_EACCESS: Final = 16
AT_FDCWD: Final = -2
AT_FDONLY: Final = 1024
AT_REALDEV: Final = 512
AT_REMOVEDIR: Final = 128
AT_SYMLINK_FOLLOW: Final = 64
AT_SYMLINK_NOFOLLOW: Final = 32
AT_SYMLINK_NOFOLLOW_ANY: Final = 2048

# -- chflags
SF_APPEND: Final = 262144
SF_ARCHIVED: Final = 65536
SF_DATALESS: Final = 1073741824
SF_FIRMLINK: Final = 8388608
SF_IMMUTABLE: Final = 131072
SF_NOUNLINK: Final = 1048576
SF_RESTRICTED: Final = 524288
SF_SETTABLE: Final = 1073676288
SF_SUPPORTED: Final = 10420224
SF_SYNTHETIC: Final = 3221225472
UF_APPEND: Final = 4
UF_COMPRESSED: Final = 32
UF_DATAVAULT: Final = 128
UF_HIDDEN: Final = 32768
UF_IMMUTABLE: Final = 2
UF_NODUMP: Final = 1
UF_OPAQUE: Final = 8
UF_SETTABLE: Final = 65535
UF_TRACKED: Final = 64

# -- clock
if TYPE_CHECKING:

    class ClockId(enum.IntEnum):
        """CLOCK_* clock ids."""

        CLOCK_REALTIME = 0
        CLOCK_MONOTONIC_RAW = 4
        CLOCK_MONOTONIC_RAW_APPROX = 5
        CLOCK_MONOTONIC = 6
        CLOCK_UPTIME_RAW = 8
        CLOCK_UPTIME_RAW_APPROX = 9
        CLOCK_PROCESS_CPUTIME_ID = 12
        CLOCK_THREAD_CPUTIME_ID = 16

    CLOCK_MONOTONIC: Final = ClockId.CLOCK_MONOTONIC
    CLOCK_MONOTONIC_RAW: Final = ClockId.CLOCK_MONOTONIC_RAW
    CLOCK_MONOTONIC_RAW_APPROX: Final = ClockId.CLOCK_MONOTONIC_RAW_APPROX
    CLOCK_PROCESS_CPUTIME_ID: Final = ClockId.CLOCK_PROCESS_CPUTIME_ID
    CLOCK_REALTIME: Final = ClockId.CLOCK_REALTIME
    CLOCK_THREAD_CPUTIME_ID: Final = ClockId.CLOCK_THREAD_CPUTIME_ID
    CLOCK_UPTIME_RAW: Final = ClockId.CLOCK_UPTIME_RAW
    CLOCK_UPTIME_RAW_APPROX: Final = ClockId.CLOCK_UPTIME_RAW_APPROX

# -- errno
E2BIG: Final = 7
EACCES: Final = 13
EADDRINUSE: Final = 48
EADDRNOTAVAIL: Final = 49
EAFNOSUPPORT: Final = 47
EAGAIN: Final = 35
EALREADY: Final = 37
EAUTH: Final = 80
EBADARCH: Final = 86
EBADEXEC: Final = 85
EBADF: Final = 9
EBADMACHO: Final = 88
EBADMSG: Final = 94
EBADRPC: Final = 72
EBUSY: Final = 16
ECANCELED: Final = 89
ECHILD: Final = 10
ECONNABORTED: Final = 53
ECONNREFUSED: Final = 61
ECONNRESET: Final = 54
EDEADLK: Final = 11
EDESTADDRREQ: Final = 39
EDEVERR: Final = 83
EDOM: Final = 33
EDQUOT: Final = 69
EEXIST: Final = 17
EFAULT: Final = 14
EFBIG: Final = 27
EFTYPE: Final = 79
EHOSTDOWN: Final = 64
EHOSTUNREACH: Final = 65
EIDRM: Final = 90
EILSEQ: Final = 92
EINPROGRESS: Final = 36
EINTR: Final = 4
EINVAL: Final = 22
EIO: Final = 5
EISCONN: Final = 56
EISDIR: Final = 21
ELOOP: Final = 62
EMFILE: Final = 24
EMLINK: Final = 31
EMSGSIZE: Final = 40
EMULTIHOP: Final = 95
ENAMETOOLONG: Final = 63
ENEEDAUTH: Final = 81
ENETDOWN: Final = 50
ENETRESET: Final = 52
ENETUNREACH: Final = 51
ENFILE: Final = 23
ENOATTR: Final = 93
ENOBUFS: Final = 55
ENODATA: Final = 96
ENODEV: Final = 19
ENOENT: Final = 2
ENOEXEC: Final = 8
ENOLCK: Final = 77
ENOLINK: Final = 97
ENOMEM: Final = 12
ENOMSG: Final = 91
ENOPOLICY: Final = 103
ENOPROTOOPT: Final = 42
ENOSPC: Final = 28
ENOSR: Final = 98
ENOSTR: Final = 99
ENOSYS: Final = 78
ENOTBLK: Final = 15
ENOTCONN: Final = 57
ENOTDIR: Final = 20
ENOTEMPTY: Final = 66
ENOTRECOVERABLE: Final = 104
ENOTSOCK: Final = 38
ENOTSUP: Final = 45
ENOTTY: Final = 25
ENXIO: Final = 6
EOPNOTSUPP: Final = 102
EOVERFLOW: Final = 84
EOWNERDEAD: Final = 105
EPERM: Final = 1
EPFNOSUPPORT: Final = 46
EPIPE: Final = 32
EPROCLIM: Final = 67
EPROCUNAVAIL: Final = 76
EPROGMISMATCH: Final = 75
EPROGUNAVAIL: Final = 74
EPROTO: Final = 100
EPROTONOSUPPORT: Final = 43
EPROTOTYPE: Final = 41
EPWROFF: Final = 82
EQFULL: Final = 106
ERANGE: Final = 34
EREMOTE: Final = 71
EROFS: Final = 30
ERPCMISMATCH: Final = 73
ESHLIBVERS: Final = 87
ESHUTDOWN: Final = 58
ESOCKTNOSUPPORT: Final = 44
ESPIPE: Final = 29
ESRCH: Final = 3
ESTALE: Final = 70
ETIME: Final = 101
ETIMEDOUT: Final = 60
ETOOMANYREFS: Final = 59
ETXTBSY: Final = 26
EUSERS: Final = 68
EWOULDBLOCK: Final = 35
EXDEV: Final = 18

# -- evfilt_ev
EVFILT_AIO: Final = -3
EVFILT_EXCEPT: Final = -15
EVFILT_FS: Final = -9
EVFILT_MACHPORT: Final = -8
EVFILT_PROC: Final = -5
EVFILT_READ: Final = -1
EVFILT_SIGNAL: Final = -6
EVFILT_TIMER: Final = -7
EVFILT_USER: Final = -10
EVFILT_VM: Final = -12
EVFILT_VNODE: Final = -4
EVFILT_WRITE: Final = -2
EV_ADD: Final = 1
EV_CLEAR: Final = 32
EV_DELETE: Final = 2
EV_DISABLE: Final = 8
EV_DISPATCH: Final = 128
EV_DISPATCH2: Final = 384
EV_ENABLE: Final = 4
EV_EOF: Final = 32768
EV_ERROR: Final = 16384
EV_FLAG0: Final = 4096
EV_FLAG1: Final = 8192
EV_ONESHOT: Final = 16
EV_OOBAND: Final = 8192
EV_POLL: Final = 4096
EV_RECEIPT: Final = 64
EV_SYSFLAGS: Final = 61440
EV_UDATA_SPECIFIC: Final = 256
EV_VANISHED: Final = 512

# -- fcntl
FD_CLOEXEC: Final = 1
F_ADDFILESIGS: Final = 61
F_ADDFILESIGS_FOR_DYLD_SIM: Final = 83
F_ADDFILESIGS_INFO: Final = 103
F_ADDFILESIGS_RETURN: Final = 97
F_ADDFILESUPPL: Final = 104
F_ADDSIGS: Final = 59
F_ALLOCATEALL: Final = 4
F_ALLOCATECONTIG: Final = 2
F_BARRIERFSYNC: Final = 85
F_CHECK_LV: Final = 98
F_CHKCLEAN: Final = 41
F_DUPFD: Final = 0
F_DUPFD_CLOEXEC: Final = 67
F_FINDSIGS: Final = 78
F_FLUSH_DATA: Final = 40
F_FREEZE_FS: Final = 53
F_FULLFSYNC: Final = 51
F_GETCODEDIR: Final = 72
F_GETFD: Final = 1
F_GETFL: Final = 3
F_GETLK: Final = 7
F_GETLKPID: Final = 66
F_GETNOSIGPIPE: Final = 74
F_GETOWN: Final = 5
F_GETPATH: Final = 50
F_GETPATH_MTMINFO: Final = 71
F_GETPATH_NOFIRMLINK: Final = 102
F_GETPROTECTIONCLASS: Final = 63
F_GETPROTECTIONLEVEL: Final = 77
F_GETSIGSINFO: Final = 105
F_GLOBAL_NOCACHE: Final = 55
F_LOG2PHYS: Final = 49
F_LOG2PHYS_EXT: Final = 65
F_NOCACHE: Final = 48
F_NODIRECT: Final = 62
F_PATHPKG_CHECK: Final = 52
F_PEOFPOSMODE: Final = 3
F_PREALLOCATE: Final = 42
F_PUNCHHOLE: Final = 99
F_RDADVISE: Final = 44
F_RDAHEAD: Final = 45
F_RDLCK: Final = 1
F_SETBACKINGSTORE: Final = 70
F_SETFD: Final = 2
F_SETFL: Final = 4
F_SETLK: Final = 8
F_SETLKW: Final = 9
F_SETLKWTIMEOUT: Final = 10
F_SETNOSIGPIPE: Final = 73
F_SETOWN: Final = 6
F_SETPROTECTIONCLASS: Final = 64
F_SETSIZE: Final = 43
F_SINGLE_WRITER: Final = 76
F_SPECULATIVE_READ: Final = 101
F_THAW_FS: Final = 54
F_TRANSCODEKEY: Final = 75
F_TRIM_ACTIVE_FILE: Final = 100
F_UNLCK: Final = 2
F_VOLPOSMODE: Final = 4
F_WRLCK: Final = 3

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
IP_ADD_MEMBERSHIP: Final = 12
IP_ADD_SOURCE_MEMBERSHIP: Final = 70
IP_BLOCK_SOURCE: Final = 72
IP_BOUND_IF: Final = 25
IP_DEFAULT_MULTICAST_LOOP: Final = 1
IP_DEFAULT_MULTICAST_TTL: Final = 1
IP_DF: Final = 16384
IP_DONTFRAG: Final = 28
IP_DROP_MEMBERSHIP: Final = 13
IP_DROP_SOURCE_MEMBERSHIP: Final = 71
IP_DUMMYNET_CONFIGURE: Final = 60
IP_DUMMYNET_DEL: Final = 61
IP_DUMMYNET_FLUSH: Final = 62
IP_DUMMYNET_GET: Final = 64
IP_FAITH: Final = 22
IP_FW_ADD: Final = 40
IP_FW_DEL: Final = 41
IP_FW_FLUSH: Final = 42
IP_FW_GET: Final = 44
IP_FW_RESETLOG: Final = 45
IP_FW_ZERO: Final = 43
IP_HDRINCL: Final = 2
IP_IPSEC_POLICY: Final = 21
IP_MAXPACKET: Final = 65535
IP_MAX_GROUP_SRC_FILTER: Final = 512
IP_MAX_MEMBERSHIPS: Final = 4095
IP_MAX_SOCK_MUTE_FILTER: Final = 128
IP_MAX_SOCK_SRC_FILTER: Final = 128
IP_MF: Final = 8192
IP_MIN_MEMBERSHIPS: Final = 31
IP_MSFILTER: Final = 74
IP_MSS: Final = 576
IP_MULTICAST_IF: Final = 9
IP_MULTICAST_IFINDEX: Final = 66
IP_MULTICAST_LOOP: Final = 11
IP_MULTICAST_TTL: Final = 10
IP_MULTICAST_VIF: Final = 14
IP_NAT__XXX: Final = 55
IP_OFFMASK: Final = 8191
IP_OLD_FW_ADD: Final = 50
IP_OLD_FW_DEL: Final = 51
IP_OLD_FW_FLUSH: Final = 52
IP_OLD_FW_GET: Final = 54
IP_OLD_FW_RESETLOG: Final = 56
IP_OLD_FW_ZERO: Final = 53
IP_OPTIONS: Final = 1
IP_PKTINFO: Final = 26
IP_PORTRANGE: Final = 19
IP_PORTRANGE_DEFAULT: Final = 0
IP_PORTRANGE_HIGH: Final = 1
IP_PORTRANGE_LOW: Final = 2
IP_RECVDSTADDR: Final = 7
IP_RECVIF: Final = 20
IP_RECVOPTS: Final = 5
IP_RECVPKTINFO: Final = 26
IP_RECVRETOPTS: Final = 6
IP_RECVTOS: Final = 27
IP_RECVTTL: Final = 24
IP_RETOPTS: Final = 8
IP_RF: Final = 32768
IP_RSVP_OFF: Final = 16
IP_RSVP_ON: Final = 15
IP_RSVP_VIF_OFF: Final = 18
IP_RSVP_VIF_ON: Final = 17
IP_STRIPHDR: Final = 23
IP_TOS: Final = 3
IP_TRAFFIC_MGT_BACKGROUND: Final = 65
IP_TTL: Final = 4
IP_UNBLOCK_SOURCE: Final = 73

# -- ipproto
IPPROTO_3PC: Final = 34
IPPROTO_ADFS: Final = 68
IPPROTO_AH: Final = 51
IPPROTO_AHIP: Final = 61
IPPROTO_APES: Final = 99
IPPROTO_ARGUS: Final = 13
IPPROTO_AX25: Final = 93
IPPROTO_BHA: Final = 49
IPPROTO_BLT: Final = 30
IPPROTO_BRSATMON: Final = 76
IPPROTO_CFTP: Final = 62
IPPROTO_CHAOS: Final = 16
IPPROTO_CMTP: Final = 38
IPPROTO_CPHB: Final = 73
IPPROTO_CPNX: Final = 72
IPPROTO_DDP: Final = 37
IPPROTO_DGP: Final = 86
IPPROTO_DIVERT: Final = 254
IPPROTO_DONE: Final = 257
IPPROTO_DSTOPTS: Final = 60
IPPROTO_EGP: Final = 8
IPPROTO_EMCON: Final = 14
IPPROTO_ENCAP: Final = 98
IPPROTO_EON: Final = 80
IPPROTO_ESP: Final = 50
IPPROTO_ETHERIP: Final = 97
IPPROTO_FRAGMENT: Final = 44
IPPROTO_GGP: Final = 3
IPPROTO_GMTP: Final = 100
IPPROTO_GRE: Final = 47
IPPROTO_HELLO: Final = 63
IPPROTO_HMP: Final = 20
IPPROTO_HOPOPTS: Final = 0
IPPROTO_ICMP: Final = 1
IPPROTO_ICMPV6: Final = 58
IPPROTO_IDP: Final = 22
IPPROTO_IDPR: Final = 35
IPPROTO_IDRP: Final = 45
IPPROTO_IGMP: Final = 2
IPPROTO_IGP: Final = 85
IPPROTO_IGRP: Final = 88
IPPROTO_IL: Final = 40
IPPROTO_INLSP: Final = 52
IPPROTO_INP: Final = 32
IPPROTO_IP: Final = 0
IPPROTO_IPCOMP: Final = 108
IPPROTO_IPCV: Final = 71
IPPROTO_IPEIP: Final = 94
IPPROTO_IPIP: Final = 4
IPPROTO_IPPC: Final = 67
IPPROTO_IPV4: Final = 4
IPPROTO_IPV6: Final = 41
IPPROTO_IRTP: Final = 28
IPPROTO_KRYPTOLAN: Final = 65
IPPROTO_LARP: Final = 91
IPPROTO_LEAF1: Final = 25
IPPROTO_LEAF2: Final = 26
IPPROTO_MAX: Final = 256
IPPROTO_MAXID: Final = 52
IPPROTO_MEAS: Final = 19
IPPROTO_MHRP: Final = 48
IPPROTO_MICP: Final = 95
IPPROTO_MTP: Final = 92
IPPROTO_MUX: Final = 18
IPPROTO_ND: Final = 77
IPPROTO_NHRP: Final = 54
IPPROTO_NONE: Final = 59
IPPROTO_NSP: Final = 31
IPPROTO_NVPII: Final = 11
IPPROTO_OSPFIGP: Final = 89
IPPROTO_PGM: Final = 113
IPPROTO_PIGP: Final = 9
IPPROTO_PIM: Final = 103
IPPROTO_PRM: Final = 21
IPPROTO_PUP: Final = 12
IPPROTO_PVP: Final = 75
IPPROTO_RAW: Final = 255
IPPROTO_RCCMON: Final = 10
IPPROTO_RDP: Final = 27
IPPROTO_ROUTING: Final = 43
IPPROTO_RSVP: Final = 46
IPPROTO_RVD: Final = 66
IPPROTO_SATEXPAK: Final = 64
IPPROTO_SATMON: Final = 69
IPPROTO_SCCSP: Final = 96
IPPROTO_SCTP: Final = 132
IPPROTO_SDRP: Final = 42
IPPROTO_SEP: Final = 33
IPPROTO_SRPC: Final = 90
IPPROTO_ST: Final = 7
IPPROTO_SVMTP: Final = 82
IPPROTO_SWIPE: Final = 53
IPPROTO_TCF: Final = 87
IPPROTO_TCP: Final = 6
IPPROTO_TP: Final = 29
IPPROTO_TPXX: Final = 39
IPPROTO_TRUNK1: Final = 23
IPPROTO_TRUNK2: Final = 24
IPPROTO_TTP: Final = 84
IPPROTO_UDP: Final = 17
IPPROTO_VINES: Final = 83
IPPROTO_VISA: Final = 70
IPPROTO_VMTP: Final = 81
IPPROTO_WBEXPAK: Final = 79
IPPROTO_WBMON: Final = 78
IPPROTO_WSN: Final = 74
IPPROTO_XNET: Final = 15
IPPROTO_XTP: Final = 36

# -- ipv6
IPV6_2292DSTOPTS: Final = 23
IPV6_2292HOPLIMIT: Final = 20
IPV6_2292HOPOPTS: Final = 22
IPV6_2292NEXTHOP: Final = 21
IPV6_2292PKTINFO: Final = 19
IPV6_2292PKTOPTIONS: Final = 25
IPV6_2292RTHDR: Final = 24
IPV6_3542DSTOPTS: Final = 50
IPV6_3542HOPLIMIT: Final = 47
IPV6_3542HOPOPTS: Final = 49
IPV6_3542NEXTHOP: Final = 48
IPV6_3542PKTINFO: Final = 46
IPV6_3542RTHDR: Final = 51
IPV6_ADDR_MC_FLAGS_PREFIX: Final = 32
IPV6_ADDR_MC_FLAGS_TRANSIENT: Final = 16
IPV6_ADDR_MC_FLAGS_UNICAST_BASED: Final = 48
IPV6_AUTOFLOWLABEL: Final = 59
IPV6_BINDV6ONLY: Final = 27
IPV6_BOUND_IF: Final = 125
IPV6_CHECKSUM: Final = 26
IPV6_DEFAULT_MULTICAST_HOPS: Final = 1
IPV6_DEFAULT_MULTICAST_LOOP: Final = 1
IPV6_DEFHLIM: Final = 64
IPV6_DONTFRAG: Final = 62
IPV6_DSTOPTS: Final = 50
IPV6_FAITH: Final = 29
IPV6_FLOWINFO_MASK: Final = 4294967055
IPV6_FLOWLABEL_MASK: Final = 4294905600
IPV6_FLOW_ECN_MASK: Final = 12288
IPV6_FRAGTTL: Final = 60
IPV6_FW_ADD: Final = 30
IPV6_FW_DEL: Final = 31
IPV6_FW_FLUSH: Final = 32
IPV6_FW_GET: Final = 34
IPV6_FW_ZERO: Final = 33
IPV6_HLIMDEC: Final = 1
IPV6_HOPLIMIT: Final = 47
IPV6_HOPOPTS: Final = 49
IPV6_IPSEC_POLICY: Final = 28
IPV6_JOIN_GROUP: Final = 12
IPV6_LEAVE_GROUP: Final = 13
IPV6_MAXHLIM: Final = 255
IPV6_MAXOPTHDR: Final = 2048
IPV6_MAXPACKET: Final = 65535
IPV6_MAX_GROUP_SRC_FILTER: Final = 512
IPV6_MAX_MEMBERSHIPS: Final = 4095
IPV6_MAX_SOCK_SRC_FILTER: Final = 128
IPV6_MIN_MEMBERSHIPS: Final = 31
IPV6_MMTU: Final = 1280
IPV6_MSFILTER: Final = 74
IPV6_MULTICAST_HOPS: Final = 10
IPV6_MULTICAST_IF: Final = 9
IPV6_MULTICAST_LOOP: Final = 11
IPV6_NEXTHOP: Final = 48
IPV6_PATHMTU: Final = 44
IPV6_PKTINFO: Final = 46
IPV6_PORTRANGE: Final = 14
IPV6_PORTRANGE_DEFAULT: Final = 0
IPV6_PORTRANGE_HIGH: Final = 1
IPV6_PORTRANGE_LOW: Final = 2
IPV6_PREFER_TEMPADDR: Final = 63
IPV6_RECVDSTOPTS: Final = 40
IPV6_RECVHOPLIMIT: Final = 37
IPV6_RECVHOPOPTS: Final = 39
IPV6_RECVPATHMTU: Final = 43
IPV6_RECVPKTINFO: Final = 61
IPV6_RECVRTHDR: Final = 38
IPV6_RECVTCLASS: Final = 35
IPV6_RTHDR: Final = 51
IPV6_RTHDRDSTOPTS: Final = 57
IPV6_RTHDR_LOOSE: Final = 0
IPV6_RTHDR_STRICT: Final = 1
IPV6_RTHDR_TYPE_0: Final = 0
IPV6_SOCKOPT_RESERVED1: Final = 3
IPV6_TCLASS: Final = 36
IPV6_UNICAST_HOPS: Final = 4
IPV6_USE_MIN_MTU: Final = 42
IPV6_V6ONLY: Final = 27
IPV6_VERSION: Final = 96
IPV6_VERSION_MASK: Final = 240

# -- limits
FD_SETSIZE: Final = 1024
IFNAMSIZ: Final = 16
NAME_MAX: Final = 255
PATH_MAX: Final = 1024

# -- madvise
if TYPE_CHECKING:

    class Advice(enum.IntEnum):
        """MADV_* advice of madvise(2)."""

        MADV_NORMAL = 0
        MADV_RANDOM = 1
        MADV_SEQUENTIAL = 2
        MADV_WILLNEED = 3
        MADV_DONTNEED = 4
        MADV_FREE = 5
        MADV_ZERO_WIRED_PAGES = 6
        MADV_FREE_REUSABLE = 7
        MADV_FREE_REUSE = 8
        MADV_CAN_REUSE = 9
        MADV_PAGEOUT = 10

    MADV_CAN_REUSE: Final = Advice.MADV_CAN_REUSE
    MADV_DONTNEED: Final = Advice.MADV_DONTNEED
    MADV_FREE: Final = Advice.MADV_FREE
    MADV_FREE_REUSABLE: Final = Advice.MADV_FREE_REUSABLE
    MADV_FREE_REUSE: Final = Advice.MADV_FREE_REUSE
    MADV_NORMAL: Final = Advice.MADV_NORMAL
    MADV_PAGEOUT: Final = Advice.MADV_PAGEOUT
    MADV_RANDOM: Final = Advice.MADV_RANDOM
    MADV_SEQUENTIAL: Final = Advice.MADV_SEQUENTIAL
    MADV_WILLNEED: Final = Advice.MADV_WILLNEED
    MADV_ZERO_WIRED_PAGES: Final = Advice.MADV_ZERO_WIRED_PAGES

# -- map
if TYPE_CHECKING:

    class MapFlags(enum.IntFlag):
        """MAP_* flags of mmap(2)."""

        MAP_FILE = 0
        MAP_SHARED = 1
        MAP_COPY = 2
        MAP_PRIVATE = 2
        MAP_FIXED = 16
        MAP_RENAME = 32
        MAP_NORESERVE = 64
        MAP_RESERVED0080 = 128
        MAP_NOEXTEND = 256
        MAP_HASSEMAPHORE = 512
        MAP_NOCACHE = 1024
        MAP_JIT = 2048
        MAP_ANON = 4096
        MAP_ANONYMOUS = 4096
        MAP_RESILIENT_CODESIGN = 8192
        MAP_RESILIENT_MEDIA = 16384
        MAP_32BIT = 32768
        MAP_TRANSLATED_ALLOW_EXECUTE = 131072
        MAP_UNIX03 = 262144

    MAP_32BIT: Final = MapFlags.MAP_32BIT
    MAP_ANON: Final = MapFlags.MAP_ANON
    MAP_ANONYMOUS: Final = MapFlags.MAP_ANONYMOUS
    MAP_COPY: Final = MapFlags.MAP_COPY
    MAP_FILE: Final = MapFlags.MAP_FILE
    MAP_FIXED: Final = MapFlags.MAP_FIXED
    MAP_HASSEMAPHORE: Final = MapFlags.MAP_HASSEMAPHORE
    MAP_JIT: Final = MapFlags.MAP_JIT
    MAP_NOCACHE: Final = MapFlags.MAP_NOCACHE
    MAP_NOEXTEND: Final = MapFlags.MAP_NOEXTEND
    MAP_NORESERVE: Final = MapFlags.MAP_NORESERVE
    MAP_PRIVATE: Final = MapFlags.MAP_PRIVATE
    MAP_RENAME: Final = MapFlags.MAP_RENAME
    MAP_RESERVED0080: Final = MapFlags.MAP_RESERVED0080
    MAP_RESILIENT_CODESIGN: Final = MapFlags.MAP_RESILIENT_CODESIGN
    MAP_RESILIENT_MEDIA: Final = MapFlags.MAP_RESILIENT_MEDIA
    MAP_SHARED: Final = MapFlags.MAP_SHARED
    MAP_TRANSLATED_ALLOW_EXECUTE: Final = MapFlags.MAP_TRANSLATED_ALLOW_EXECUTE
    MAP_UNIX03: Final = MapFlags.MAP_UNIX03

# -- mcl
if TYPE_CHECKING:

    class MclFlags(enum.IntFlag):
        """MCL_* flags of mlockall(2)."""

        MCL_CURRENT = 1
        MCL_FUTURE = 2

    MCL_CURRENT: Final = MclFlags.MCL_CURRENT
    MCL_FUTURE: Final = MclFlags.MCL_FUTURE

# -- mnt
MNT_ASYNC: Final = 64
MNT_AUTOMOUNTED: Final = 4194304
MNT_CMDFLAGS: Final = 983040
MNT_CPROTECT: Final = 128
MNT_DEFWRITE: Final = 33554432
MNT_DONTBROWSE: Final = 1048576
MNT_DOVOLFS: Final = 32768
MNT_DWAIT: Final = 4
MNT_EXPORTED: Final = 256
MNT_EXT_ROOT_DATA_VOL: Final = 1
MNT_FORCE: Final = 524288
MNT_IGNORE_OWNERSHIP: Final = 2097152
MNT_JOURNALED: Final = 8388608
MNT_LOCAL: Final = 4096
MNT_MULTILABEL: Final = 67108864
MNT_NOATIME: Final = 268435456
MNT_NOBLOCK: Final = 131072
MNT_NODEV: Final = 16
MNT_NOEXEC: Final = 4
MNT_NOSUID: Final = 8
MNT_NOUSERXATTR: Final = 16777216
MNT_NOWAIT: Final = 2
MNT_QUARANTINE: Final = 1024
MNT_QUOTA: Final = 8192
MNT_RDONLY: Final = 1
MNT_RELOAD: Final = 262144
MNT_REMOVABLE: Final = 512
MNT_ROOTFS: Final = 16384
MNT_SNAPSHOT: Final = 1073741824
MNT_STRICTATIME: Final = 2147483648
MNT_SYNCHRONOUS: Final = 2
MNT_UNION: Final = 32
MNT_UNKNOWNPERMISSIONS: Final = 2097152
MNT_UPDATE: Final = 65536
MNT_WAIT: Final = 1

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
S_IFWHT: Final = 57344
S_IREAD: Final = 256
S_IRGRP: Final = 32
S_IROTH: Final = 4
S_IRUSR: Final = 256
S_IRWXG: Final = 56
S_IRWXO: Final = 7
S_IRWXU: Final = 448
S_ISGID: Final = 1024
S_ISTXT: Final = 512
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
        MSG_EOR = 8
        MSG_TRUNC = 16
        MSG_CTRUNC = 32
        MSG_WAITALL = 64
        MSG_DONTWAIT = 128
        MSG_EOF = 256
        MSG_WAITSTREAM = 512
        MSG_FLUSH = 1024
        MSG_HOLD = 2048
        MSG_SEND = 4096
        MSG_HAVEMORE = 8192
        MSG_RCVMORE = 16384
        MSG_NEEDSA = 65536
        MSG_NOSIGNAL = 524288

    MSG_CTRUNC: Final = MsgFlags.MSG_CTRUNC
    MSG_DONTROUTE: Final = MsgFlags.MSG_DONTROUTE
    MSG_DONTWAIT: Final = MsgFlags.MSG_DONTWAIT
    MSG_EOF: Final = MsgFlags.MSG_EOF
    MSG_EOR: Final = MsgFlags.MSG_EOR
    MSG_FLUSH: Final = MsgFlags.MSG_FLUSH
    MSG_HAVEMORE: Final = MsgFlags.MSG_HAVEMORE
    MSG_HOLD: Final = MsgFlags.MSG_HOLD
    MSG_NEEDSA: Final = MsgFlags.MSG_NEEDSA
    MSG_NOSIGNAL: Final = MsgFlags.MSG_NOSIGNAL
    MSG_OOB: Final = MsgFlags.MSG_OOB
    MSG_PEEK: Final = MsgFlags.MSG_PEEK
    MSG_RCVMORE: Final = MsgFlags.MSG_RCVMORE
    MSG_SEND: Final = MsgFlags.MSG_SEND
    MSG_TRUNC: Final = MsgFlags.MSG_TRUNC
    MSG_WAITALL: Final = MsgFlags.MSG_WAITALL
    MSG_WAITSTREAM: Final = MsgFlags.MSG_WAITSTREAM

# -- msync
if TYPE_CHECKING:

    class MsyncFlags(enum.IntFlag):
        """MS_* flags of msync(2)."""

        MS_ASYNC = 1
        MS_INVALIDATE = 2
        MS_KILLPAGES = 4
        MS_DEACTIVATE = 8
        MS_SYNC = 16

    MS_ASYNC: Final = MsyncFlags.MS_ASYNC
    MS_DEACTIVATE: Final = MsyncFlags.MS_DEACTIVATE
    MS_INVALIDATE: Final = MsyncFlags.MS_INVALIDATE
    MS_KILLPAGES: Final = MsyncFlags.MS_KILLPAGES
    MS_SYNC: Final = MsyncFlags.MS_SYNC

# -- note
NOTE_ABSOLUTE: Final = 8
NOTE_ATTRIB: Final = 8
NOTE_BACKGROUND: Final = 64
NOTE_CHILD: Final = 4
NOTE_CRITICAL: Final = 32
NOTE_DELETE: Final = 1
NOTE_EXEC: Final = 536870912
NOTE_EXIT: Final = 2147483648
NOTE_EXITSTATUS: Final = 67108864
NOTE_EXIT_CSERROR: Final = 262144
NOTE_EXIT_DECRYPTFAIL: Final = 65536
NOTE_EXIT_DETAIL: Final = 33554432
NOTE_EXIT_DETAIL_MASK: Final = 458752
NOTE_EXIT_MEMORY: Final = 131072
NOTE_EXIT_REPARENTED: Final = 524288
NOTE_EXTEND: Final = 4
NOTE_FFAND: Final = 1073741824
NOTE_FFCOPY: Final = 3221225472
NOTE_FFCTRLMASK: Final = 3221225472
NOTE_FFLAGSMASK: Final = 16777215
NOTE_FFNOP: Final = 0
NOTE_FFOR: Final = 2147483648
NOTE_FORK: Final = 1073741824
NOTE_FUNLOCK: Final = 256
NOTE_LEEWAY: Final = 16
NOTE_LINK: Final = 16
NOTE_LOWAT: Final = 1
NOTE_MACHTIME: Final = 256
NOTE_MACH_CONTINUOUS_TIME: Final = 128
NOTE_NONE: Final = 128
NOTE_NSECONDS: Final = 4
NOTE_OOB: Final = 2
NOTE_PCTRLMASK: Final = -1048576
NOTE_PDATAMASK: Final = 1048575
NOTE_REAP: Final = 268435456
NOTE_RENAME: Final = 32
NOTE_REVOKE: Final = 64
NOTE_SECONDS: Final = 1
NOTE_SIGNAL: Final = 134217728
NOTE_TRACK: Final = 1
NOTE_TRACKERR: Final = 2
NOTE_TRIGGER: Final = 16777216
NOTE_USECONDS: Final = 2
NOTE_VM_ERROR: Final = 268435456
NOTE_VM_PRESSURE: Final = 2147483648
NOTE_VM_PRESSURE_SUDDEN_TERMINATE: Final = 536870912
NOTE_VM_PRESSURE_TERMINATE: Final = 1073741824
NOTE_WRITE: Final = 2

# -- open
if TYPE_CHECKING:

    class OpenFlags(enum.IntFlag):
        """O_* flags of open(2) and fcntl(F_GETFL)."""

        O_RDONLY = 0
        O_DP_GETRAWENCRYPTED = 1
        O_WRONLY = 1
        O_DP_GETRAWUNENCRYPTED = 2
        O_RDWR = 2
        O_ACCMODE = 3
        O_NDELAY = 4
        O_NONBLOCK = 4
        O_APPEND = 8
        O_SHLOCK = 16
        O_EXLOCK = 32
        O_ASYNC = 64
        O_FSYNC = 128
        O_SYNC = 128
        O_NOFOLLOW = 256
        O_CREAT = 512
        O_TRUNC = 1024
        O_EXCL = 2048
        O_EVTONLY = 32768
        O_NOCTTY = 131072
        O_DIRECTORY = 1048576
        O_SYMLINK = 2097152
        O_DSYNC = 4194304
        O_CLOEXEC = 16777216
        O_ALERT = 536870912
        O_NOFOLLOW_ANY = 536870912
        O_POPUP = 2147483648

    O_ACCMODE: Final = OpenFlags.O_ACCMODE
    O_ALERT: Final = OpenFlags.O_ALERT
    O_APPEND: Final = OpenFlags.O_APPEND
    O_ASYNC: Final = OpenFlags.O_ASYNC
    O_CLOEXEC: Final = OpenFlags.O_CLOEXEC
    O_CREAT: Final = OpenFlags.O_CREAT
    O_DIRECTORY: Final = OpenFlags.O_DIRECTORY
    O_DP_GETRAWENCRYPTED: Final = OpenFlags.O_DP_GETRAWENCRYPTED
    O_DP_GETRAWUNENCRYPTED: Final = OpenFlags.O_DP_GETRAWUNENCRYPTED
    O_DSYNC: Final = OpenFlags.O_DSYNC
    O_EVTONLY: Final = OpenFlags.O_EVTONLY
    O_EXCL: Final = OpenFlags.O_EXCL
    O_EXLOCK: Final = OpenFlags.O_EXLOCK
    O_FSYNC: Final = OpenFlags.O_FSYNC
    O_NDELAY: Final = OpenFlags.O_NDELAY
    O_NOCTTY: Final = OpenFlags.O_NOCTTY
    O_NOFOLLOW: Final = OpenFlags.O_NOFOLLOW
    O_NOFOLLOW_ANY: Final = OpenFlags.O_NOFOLLOW_ANY
    O_NONBLOCK: Final = OpenFlags.O_NONBLOCK
    O_POPUP: Final = OpenFlags.O_POPUP
    O_RDONLY: Final = OpenFlags.O_RDONLY
    O_RDWR: Final = OpenFlags.O_RDWR
    O_SHLOCK: Final = OpenFlags.O_SHLOCK
    O_SYMLINK: Final = OpenFlags.O_SYMLINK
    O_SYNC: Final = OpenFlags.O_SYNC
    O_TRUNC: Final = OpenFlags.O_TRUNC
    O_WRONLY: Final = OpenFlags.O_WRONLY

# -- pathconf
_PC_2_SYMLINKS: Final = 15
_PC_ALLOC_SIZE_MIN: Final = 16
_PC_ASYNC_IO: Final = 17
_PC_AUTH_OPAQUE_NP: Final = 14
_PC_CASE_PRESERVING: Final = 12
_PC_CASE_SENSITIVE: Final = 11
_PC_CHOWN_RESTRICTED: Final = 7
_PC_EXTENDED_SECURITY_NP: Final = 13
_PC_FILESIZEBITS: Final = 18
_PC_LINK_MAX: Final = 1
_PC_MAX_CANON: Final = 2
_PC_MAX_INPUT: Final = 3
_PC_MIN_HOLE_SIZE: Final = 27
_PC_NAME_CHARS_MAX: Final = 10
_PC_NAME_MAX: Final = 4
_PC_NO_TRUNC: Final = 8
_PC_PATH_MAX: Final = 5
_PC_PIPE_BUF: Final = 6
_PC_PRIO_IO: Final = 19
_PC_REC_INCR_XFER_SIZE: Final = 20
_PC_REC_MAX_XFER_SIZE: Final = 21
_PC_REC_MIN_XFER_SIZE: Final = 22
_PC_REC_XFER_ALIGN: Final = 23
_PC_SYMLINK_MAX: Final = 24
_PC_SYNC_IO: Final = 25
_PC_VDISABLE: Final = 9
_PC_XATTR_SIZE_BITS: Final = 26

# -- poll
if TYPE_CHECKING:

    class PollFlags(enum.IntFlag):
        """POLL* event bits of poll(2)."""

        POLLIN = 1
        POLLPRI = 2
        POLLOUT = 4
        POLLWRNORM = 4
        POLLERR = 8
        POLLHUP = 16
        POLLNVAL = 32
        POLLRDNORM = 64
        POLLRDBAND = 128
        POLLWRBAND = 256

    POLLERR: Final = PollFlags.POLLERR
    POLLHUP: Final = PollFlags.POLLHUP
    POLLIN: Final = PollFlags.POLLIN
    POLLNVAL: Final = PollFlags.POLLNVAL
    POLLOUT: Final = PollFlags.POLLOUT
    POLLPRI: Final = PollFlags.POLLPRI
    POLLRDBAND: Final = PollFlags.POLLRDBAND
    POLLRDNORM: Final = PollFlags.POLLRDNORM
    POLLWRBAND: Final = PollFlags.POLLWRBAND
    POLLWRNORM: Final = PollFlags.POLLWRNORM

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

    PROT_EXEC: Final = Prot.PROT_EXEC
    PROT_NONE: Final = Prot.PROT_NONE
    PROT_READ: Final = Prot.PROT_READ
    PROT_WRITE: Final = Prot.PROT_WRITE

# -- ptrace
PT_ATTACH: Final = 10
PT_ATTACHEXC: Final = 14
PT_CONTINUE: Final = 7
PT_DENY_ATTACH: Final = 31
PT_DETACH: Final = 11
PT_FIRSTMACH: Final = 32
PT_FORCEQUOTA: Final = 30
PT_KILL: Final = 8
PT_READ_D: Final = 2
PT_READ_I: Final = 1
PT_READ_U: Final = 3
PT_SIGEXC: Final = 12
PT_STEP: Final = 9
PT_THUPDATE: Final = 13
PT_TRACE_ME: Final = 0
PT_WRITE_D: Final = 5
PT_WRITE_I: Final = 4
PT_WRITE_U: Final = 6

# -- rlimit
RLIMIT_AS: Final = 5
RLIMIT_CORE: Final = 4
RLIMIT_CPU: Final = 0
RLIMIT_CPU_USAGE_MONITOR: Final = 2
RLIMIT_DATA: Final = 2
RLIMIT_FSIZE: Final = 1
RLIMIT_MEMLOCK: Final = 6
RLIMIT_NOFILE: Final = 8
RLIMIT_NPROC: Final = 7
RLIMIT_RSS: Final = 5
RLIMIT_STACK: Final = 3
RLIM_INFINITY: Final = 9223372036854775807

# -- rusage
if TYPE_CHECKING:

    class RusageWho(enum.IntEnum):
        """RUSAGE_* targets of getrusage(2)."""

        RUSAGE_CHILDREN = -1
        RUSAGE_SELF = 0

    RUSAGE_CHILDREN: Final = RusageWho.RUSAGE_CHILDREN
    RUSAGE_SELF: Final = RusageWho.RUSAGE_SELF

# -- scm
SCM_CREDS: Final = 3
SCM_RIGHTS: Final = 1
SCM_TIMESTAMP: Final = 2
SCM_TIMESTAMP_MONOTONIC: Final = 4

# -- seek
if TYPE_CHECKING:

    class Whence(enum.IntEnum):
        """SEEK_* origins of lseek(2)."""

        SEEK_SET = 0
        SEEK_CUR = 1
        SEEK_END = 2
        SEEK_HOLE = 3
        SEEK_DATA = 4

    SEEK_CUR: Final = Whence.SEEK_CUR
    SEEK_DATA: Final = Whence.SEEK_DATA
    SEEK_END: Final = Whence.SEEK_END
    SEEK_HOLE: Final = Whence.SEEK_HOLE
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

        SIG_BLOCK = 1
        SIG_UNBLOCK = 2
        SIG_SETMASK = 3

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
        SIGEMT = 7
        SIGFPE = 8
        SIGKILL = 9
        SIGBUS = 10
        SIGSEGV = 11
        SIGSYS = 12
        SIGPIPE = 13
        SIGALRM = 14
        SIGTERM = 15
        SIGURG = 16
        SIGSTOP = 17
        SIGTSTP = 18
        SIGCONT = 19
        SIGCHLD = 20
        SIGTTIN = 21
        SIGTTOU = 22
        SIGIO = 23
        SIGXCPU = 24
        SIGXFSZ = 25
        SIGVTALRM = 26
        SIGPROF = 27
        SIGWINCH = 28
        SIGINFO = 29
        SIGUSR1 = 30
        SIGUSR2 = 31

    SIGABRT: Final = Signal.SIGABRT
    SIGALRM: Final = Signal.SIGALRM
    SIGBUS: Final = Signal.SIGBUS
    SIGCHLD: Final = Signal.SIGCHLD
    SIGCONT: Final = Signal.SIGCONT
    SIGEMT: Final = Signal.SIGEMT
    SIGFPE: Final = Signal.SIGFPE
    SIGHUP: Final = Signal.SIGHUP
    SIGILL: Final = Signal.SIGILL
    SIGINFO: Final = Signal.SIGINFO
    SIGINT: Final = Signal.SIGINT
    SIGIO: Final = Signal.SIGIO
    SIGIOT: Final = Signal.SIGIOT
    SIGKILL: Final = Signal.SIGKILL
    SIGPIPE: Final = Signal.SIGPIPE
    SIGPROF: Final = Signal.SIGPROF
    SIGQUIT: Final = Signal.SIGQUIT
    SIGSEGV: Final = Signal.SIGSEGV
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
SOMAXCONN: Final = 128
SO_ACCEPTCONN: Final = 2
SO_BROADCAST: Final = 32
SO_DEBUG: Final = 1
SO_DONTROUTE: Final = 16
SO_DONTTRUNC: Final = 8192
SO_ERROR: Final = 4103
SO_KEEPALIVE: Final = 8
SO_LABEL: Final = 4112
SO_LINGER: Final = 128
SO_LINGER_SEC: Final = 4224
SO_NETSVC_MARKING_LEVEL: Final = 4377
SO_NET_SERVICE_TYPE: Final = 4374
SO_NKE: Final = 4129
SO_NOADDRERR: Final = 4131
SO_NOSIGPIPE: Final = 4130
SO_NOTIFYCONFLICT: Final = 4134
SO_NP_EXTENSIONS: Final = 4227
SO_NREAD: Final = 4128
SO_NUMRCVPKT: Final = 4370
SO_NWRITE: Final = 4132
SO_OOBINLINE: Final = 256
SO_PEERLABEL: Final = 4113
SO_RANDOMPORT: Final = 4226
SO_RCVBUF: Final = 4098
SO_RCVLOWAT: Final = 4100
SO_RCVTIMEO: Final = 4102
SO_REUSEADDR: Final = 4
SO_REUSEPORT: Final = 512
SO_REUSESHAREUID: Final = 4133
SO_SNDBUF: Final = 4097
SO_SNDLOWAT: Final = 4099
SO_SNDTIMEO: Final = 4101
SO_TIMESTAMP: Final = 1024
SO_TIMESTAMP_MONOTONIC: Final = 2048
SO_TRACKER_ATTRIBUTE_FLAGS_APP_APPROVED: Final = 1
SO_TRACKER_ATTRIBUTE_FLAGS_DOMAIN_SHORT: Final = 4
SO_TRACKER_ATTRIBUTE_FLAGS_TRACKER: Final = 2
SO_TRACKER_TRANSPARENCY_VERSION: Final = 3
SO_TYPE: Final = 4104
SO_UPCALLCLOSEWAIT: Final = 4135
SO_USELOOPBACK: Final = 64
SO_WANTMORE: Final = 16384
SO_WANTOOBFLAG: Final = 32768

# -- socket_family
if TYPE_CHECKING:

    class AddressFamily(enum.IntEnum):
        """AF_* address families."""

        AF_UNSPEC = 0
        AF_LOCAL = 1
        AF_UNIX = 1
        AF_INET = 2
        AF_SYS_CONTROL = 2
        AF_IMPLINK = 3
        AF_PUP = 4
        AF_CHAOS = 5
        AF_NS = 6
        AF_ISO = 7
        AF_OSI = 7
        AF_ECMA = 8
        AF_DATAKIT = 9
        AF_CCITT = 10
        AF_SNA = 11
        AF_DLI = 13
        AF_LAT = 14
        AF_HYLINK = 15
        AF_APPLETALK = 16
        AF_ROUTE = 17
        AF_LINK = 18
        AF_COIP = 20
        AF_CNT = 21
        AF_IPX = 23
        AF_SIP = 24
        AF_NDRV = 27
        AF_E164 = 28
        AF_ISDN = 28
        AF_INET6 = 30
        AF_NATM = 31
        AF_SYSTEM = 32
        AF_NETBIOS = 33
        AF_PPP = 34
        AF_RESERVED_36 = 36
        AF_IEEE80211 = 37
        AF_UTUN = 38
        AF_VSOCK = 40
        AF_MAX = 41

    AF_APPLETALK: Final = AddressFamily.AF_APPLETALK
    AF_CCITT: Final = AddressFamily.AF_CCITT
    AF_CHAOS: Final = AddressFamily.AF_CHAOS
    AF_CNT: Final = AddressFamily.AF_CNT
    AF_COIP: Final = AddressFamily.AF_COIP
    AF_DATAKIT: Final = AddressFamily.AF_DATAKIT
    AF_DLI: Final = AddressFamily.AF_DLI
    AF_E164: Final = AddressFamily.AF_E164
    AF_ECMA: Final = AddressFamily.AF_ECMA
    AF_HYLINK: Final = AddressFamily.AF_HYLINK
    AF_IEEE80211: Final = AddressFamily.AF_IEEE80211
    AF_IMPLINK: Final = AddressFamily.AF_IMPLINK
    AF_INET: Final = AddressFamily.AF_INET
    AF_INET6: Final = AddressFamily.AF_INET6
    AF_IPX: Final = AddressFamily.AF_IPX
    AF_ISDN: Final = AddressFamily.AF_ISDN
    AF_ISO: Final = AddressFamily.AF_ISO
    AF_LAT: Final = AddressFamily.AF_LAT
    AF_LINK: Final = AddressFamily.AF_LINK
    AF_LOCAL: Final = AddressFamily.AF_LOCAL
    AF_MAX: Final = AddressFamily.AF_MAX
    AF_NATM: Final = AddressFamily.AF_NATM
    AF_NDRV: Final = AddressFamily.AF_NDRV
    AF_NETBIOS: Final = AddressFamily.AF_NETBIOS
    AF_NS: Final = AddressFamily.AF_NS
    AF_OSI: Final = AddressFamily.AF_OSI
    AF_PPP: Final = AddressFamily.AF_PPP
    AF_PUP: Final = AddressFamily.AF_PUP
    AF_RESERVED_36: Final = AddressFamily.AF_RESERVED_36
    AF_ROUTE: Final = AddressFamily.AF_ROUTE
    AF_SIP: Final = AddressFamily.AF_SIP
    AF_SNA: Final = AddressFamily.AF_SNA
    AF_SYSTEM: Final = AddressFamily.AF_SYSTEM
    AF_SYS_CONTROL: Final = AddressFamily.AF_SYS_CONTROL
    AF_UNIX: Final = AddressFamily.AF_UNIX
    AF_UNSPEC: Final = AddressFamily.AF_UNSPEC
    AF_UTUN: Final = AddressFamily.AF_UTUN
    AF_VSOCK: Final = AddressFamily.AF_VSOCK

# -- socket_type
SOCK_DGRAM: Final = 2
SOCK_RAW: Final = 3
SOCK_RDM: Final = 4
SOCK_SEQPACKET: Final = 5
SOCK_STREAM: Final = 1

# -- sol
SOL_LOCAL: Final = 0
SOL_SOCKET: Final = 65535

# -- tcp
TCP_CONNECTIONTIMEOUT: Final = 32
TCP_CONNECTION_INFO: Final = 262
TCP_ENABLE_ECN: Final = 260
TCP_FASTOPEN: Final = 261
TCP_KEEPALIVE: Final = 16
TCP_KEEPCNT: Final = 258
TCP_KEEPINTVL: Final = 257
TCP_MAXHLEN: Final = 60
TCP_MAXOLEN: Final = 40
TCP_MAXSEG: Final = 2
TCP_MAXWIN: Final = 65535
TCP_MAX_SACK: Final = 4
TCP_MAX_WINSHIFT: Final = 14
TCP_MINMSS: Final = 216
TCP_MSS: Final = 512
TCP_NODELAY: Final = 1
TCP_NOOPT: Final = 8
TCP_NOPUSH: Final = 4
TCP_NOTSENT_LOWAT: Final = 513
TCP_RXT_CONNDROPTIME: Final = 128
TCP_RXT_FINDROP: Final = 256
TCP_SENDMOREACKS: Final = 259

# -- unmount

# -- wait
if TYPE_CHECKING:

    class WaitOptions(enum.IntFlag):
        """W* option bits of wait4(2)."""

        WNOHANG = 1
        WUNTRACED = 2
        WEXITED = 4
        WSTOPPED = 8
        WCONTINUED = 16
        WNOWAIT = 32
        WCOREFLAG = 128

    WCONTINUED: Final = WaitOptions.WCONTINUED
    WCOREFLAG: Final = WaitOptions.WCOREFLAG
    WEXITED: Final = WaitOptions.WEXITED
    WNOHANG: Final = WaitOptions.WNOHANG
    WNOWAIT: Final = WaitOptions.WNOWAIT
    WSTOPPED: Final = WaitOptions.WSTOPPED
    WUNTRACED: Final = WaitOptions.WUNTRACED

#: Every constant group of the ABI table, by group, as plain ints.
CONSTANTS: Final[Mapping[str, Mapping[str, int]]] = {
    'access': {
        'F_OK': 0,
        'R_OK': 4,
        'W_OK': 2,
        'X_OK': 1,
    },
    'at': {
        'AT_EACCESS': 16,
        'AT_FDCWD': -2,
        'AT_FDONLY': 1024,
        'AT_REALDEV': 512,
        'AT_REMOVEDIR': 128,
        'AT_SYMLINK_FOLLOW': 64,
        'AT_SYMLINK_NOFOLLOW': 32,
        'AT_SYMLINK_NOFOLLOW_ANY': 2048,
    },
    'chflags': {
        'SF_APPEND': 262144,
        'SF_ARCHIVED': 65536,
        'SF_DATALESS': 1073741824,
        'SF_FIRMLINK': 8388608,
        'SF_IMMUTABLE': 131072,
        'SF_NOUNLINK': 1048576,
        'SF_RESTRICTED': 524288,
        'SF_SETTABLE': 1073676288,
        'SF_SUPPORTED': 10420224,
        'SF_SYNTHETIC': 3221225472,
        'UF_APPEND': 4,
        'UF_COMPRESSED': 32,
        'UF_DATAVAULT': 128,
        'UF_HIDDEN': 32768,
        'UF_IMMUTABLE': 2,
        'UF_NODUMP': 1,
        'UF_OPAQUE': 8,
        'UF_SETTABLE': 65535,
        'UF_TRACKED': 64,
    },
    'clock': {
        'CLOCK_MONOTONIC': 6,
        'CLOCK_MONOTONIC_RAW': 4,
        'CLOCK_MONOTONIC_RAW_APPROX': 5,
        'CLOCK_PROCESS_CPUTIME_ID': 12,
        'CLOCK_REALTIME': 0,
        'CLOCK_THREAD_CPUTIME_ID': 16,
        'CLOCK_UPTIME_RAW': 8,
        'CLOCK_UPTIME_RAW_APPROX': 9,
    },
    'errno': {
        'E2BIG': 7,
        'EACCES': 13,
        'EADDRINUSE': 48,
        'EADDRNOTAVAIL': 49,
        'EAFNOSUPPORT': 47,
        'EAGAIN': 35,
        'EALREADY': 37,
        'EAUTH': 80,
        'EBADARCH': 86,
        'EBADEXEC': 85,
        'EBADF': 9,
        'EBADMACHO': 88,
        'EBADMSG': 94,
        'EBADRPC': 72,
        'EBUSY': 16,
        'ECANCELED': 89,
        'ECHILD': 10,
        'ECONNABORTED': 53,
        'ECONNREFUSED': 61,
        'ECONNRESET': 54,
        'EDEADLK': 11,
        'EDESTADDRREQ': 39,
        'EDEVERR': 83,
        'EDOM': 33,
        'EDQUOT': 69,
        'EEXIST': 17,
        'EFAULT': 14,
        'EFBIG': 27,
        'EFTYPE': 79,
        'EHOSTDOWN': 64,
        'EHOSTUNREACH': 65,
        'EIDRM': 90,
        'EILSEQ': 92,
        'EINPROGRESS': 36,
        'EINTR': 4,
        'EINVAL': 22,
        'EIO': 5,
        'EISCONN': 56,
        'EISDIR': 21,
        'ELOOP': 62,
        'EMFILE': 24,
        'EMLINK': 31,
        'EMSGSIZE': 40,
        'EMULTIHOP': 95,
        'ENAMETOOLONG': 63,
        'ENEEDAUTH': 81,
        'ENETDOWN': 50,
        'ENETRESET': 52,
        'ENETUNREACH': 51,
        'ENFILE': 23,
        'ENOATTR': 93,
        'ENOBUFS': 55,
        'ENODATA': 96,
        'ENODEV': 19,
        'ENOENT': 2,
        'ENOEXEC': 8,
        'ENOLCK': 77,
        'ENOLINK': 97,
        'ENOMEM': 12,
        'ENOMSG': 91,
        'ENOPOLICY': 103,
        'ENOPROTOOPT': 42,
        'ENOSPC': 28,
        'ENOSR': 98,
        'ENOSTR': 99,
        'ENOSYS': 78,
        'ENOTBLK': 15,
        'ENOTCONN': 57,
        'ENOTDIR': 20,
        'ENOTEMPTY': 66,
        'ENOTRECOVERABLE': 104,
        'ENOTSOCK': 38,
        'ENOTSUP': 45,
        'ENOTTY': 25,
        'ENXIO': 6,
        'EOPNOTSUPP': 102,
        'EOVERFLOW': 84,
        'EOWNERDEAD': 105,
        'EPERM': 1,
        'EPFNOSUPPORT': 46,
        'EPIPE': 32,
        'EPROCLIM': 67,
        'EPROCUNAVAIL': 76,
        'EPROGMISMATCH': 75,
        'EPROGUNAVAIL': 74,
        'EPROTO': 100,
        'EPROTONOSUPPORT': 43,
        'EPROTOTYPE': 41,
        'EPWROFF': 82,
        'EQFULL': 106,
        'ERANGE': 34,
        'EREMOTE': 71,
        'EROFS': 30,
        'ERPCMISMATCH': 73,
        'ESHLIBVERS': 87,
        'ESHUTDOWN': 58,
        'ESOCKTNOSUPPORT': 44,
        'ESPIPE': 29,
        'ESRCH': 3,
        'ESTALE': 70,
        'ETIME': 101,
        'ETIMEDOUT': 60,
        'ETOOMANYREFS': 59,
        'ETXTBSY': 26,
        'EUSERS': 68,
        'EWOULDBLOCK': 35,
        'EXDEV': 18,
    },
    'evfilt_ev': {
        'EVFILT_AIO': -3,
        'EVFILT_EXCEPT': -15,
        'EVFILT_FS': -9,
        'EVFILT_MACHPORT': -8,
        'EVFILT_PROC': -5,
        'EVFILT_READ': -1,
        'EVFILT_SIGNAL': -6,
        'EVFILT_TIMER': -7,
        'EVFILT_USER': -10,
        'EVFILT_VM': -12,
        'EVFILT_VNODE': -4,
        'EVFILT_WRITE': -2,
        'EV_ADD': 1,
        'EV_CLEAR': 32,
        'EV_DELETE': 2,
        'EV_DISABLE': 8,
        'EV_DISPATCH': 128,
        'EV_DISPATCH2': 384,
        'EV_ENABLE': 4,
        'EV_EOF': 32768,
        'EV_ERROR': 16384,
        'EV_FLAG0': 4096,
        'EV_FLAG1': 8192,
        'EV_ONESHOT': 16,
        'EV_OOBAND': 8192,
        'EV_POLL': 4096,
        'EV_RECEIPT': 64,
        'EV_SYSFLAGS': 61440,
        'EV_UDATA_SPECIFIC': 256,
        'EV_VANISHED': 512,
    },
    'fcntl': {
        'FD_CLOEXEC': 1,
        'F_ADDFILESIGS': 61,
        'F_ADDFILESIGS_FOR_DYLD_SIM': 83,
        'F_ADDFILESIGS_INFO': 103,
        'F_ADDFILESIGS_RETURN': 97,
        'F_ADDFILESUPPL': 104,
        'F_ADDSIGS': 59,
        'F_ALLOCATEALL': 4,
        'F_ALLOCATECONTIG': 2,
        'F_BARRIERFSYNC': 85,
        'F_CHECK_LV': 98,
        'F_CHKCLEAN': 41,
        'F_DUPFD': 0,
        'F_DUPFD_CLOEXEC': 67,
        'F_FINDSIGS': 78,
        'F_FLUSH_DATA': 40,
        'F_FREEZE_FS': 53,
        'F_FULLFSYNC': 51,
        'F_GETCODEDIR': 72,
        'F_GETFD': 1,
        'F_GETFL': 3,
        'F_GETLK': 7,
        'F_GETLKPID': 66,
        'F_GETNOSIGPIPE': 74,
        'F_GETOWN': 5,
        'F_GETPATH': 50,
        'F_GETPATH_MTMINFO': 71,
        'F_GETPATH_NOFIRMLINK': 102,
        'F_GETPROTECTIONCLASS': 63,
        'F_GETPROTECTIONLEVEL': 77,
        'F_GETSIGSINFO': 105,
        'F_GLOBAL_NOCACHE': 55,
        'F_LOG2PHYS': 49,
        'F_LOG2PHYS_EXT': 65,
        'F_NOCACHE': 48,
        'F_NODIRECT': 62,
        'F_PATHPKG_CHECK': 52,
        'F_PEOFPOSMODE': 3,
        'F_PREALLOCATE': 42,
        'F_PUNCHHOLE': 99,
        'F_RDADVISE': 44,
        'F_RDAHEAD': 45,
        'F_RDLCK': 1,
        'F_SETBACKINGSTORE': 70,
        'F_SETFD': 2,
        'F_SETFL': 4,
        'F_SETLK': 8,
        'F_SETLKW': 9,
        'F_SETLKWTIMEOUT': 10,
        'F_SETNOSIGPIPE': 73,
        'F_SETOWN': 6,
        'F_SETPROTECTIONCLASS': 64,
        'F_SETSIZE': 43,
        'F_SINGLE_WRITER': 76,
        'F_SPECULATIVE_READ': 101,
        'F_THAW_FS': 54,
        'F_TRANSCODEKEY': 75,
        'F_TRIM_ACTIVE_FILE': 100,
        'F_UNLCK': 2,
        'F_VOLPOSMODE': 4,
        'F_WRLCK': 3,
    },
    'flock': {
        'LOCK_EX': 2,
        'LOCK_NB': 4,
        'LOCK_SH': 1,
        'LOCK_UN': 8,
    },
    'ip': {
        'IP_ADD_MEMBERSHIP': 12,
        'IP_ADD_SOURCE_MEMBERSHIP': 70,
        'IP_BLOCK_SOURCE': 72,
        'IP_BOUND_IF': 25,
        'IP_DEFAULT_MULTICAST_LOOP': 1,
        'IP_DEFAULT_MULTICAST_TTL': 1,
        'IP_DF': 16384,
        'IP_DONTFRAG': 28,
        'IP_DROP_MEMBERSHIP': 13,
        'IP_DROP_SOURCE_MEMBERSHIP': 71,
        'IP_DUMMYNET_CONFIGURE': 60,
        'IP_DUMMYNET_DEL': 61,
        'IP_DUMMYNET_FLUSH': 62,
        'IP_DUMMYNET_GET': 64,
        'IP_FAITH': 22,
        'IP_FW_ADD': 40,
        'IP_FW_DEL': 41,
        'IP_FW_FLUSH': 42,
        'IP_FW_GET': 44,
        'IP_FW_RESETLOG': 45,
        'IP_FW_ZERO': 43,
        'IP_HDRINCL': 2,
        'IP_IPSEC_POLICY': 21,
        'IP_MAXPACKET': 65535,
        'IP_MAX_GROUP_SRC_FILTER': 512,
        'IP_MAX_MEMBERSHIPS': 4095,
        'IP_MAX_SOCK_MUTE_FILTER': 128,
        'IP_MAX_SOCK_SRC_FILTER': 128,
        'IP_MF': 8192,
        'IP_MIN_MEMBERSHIPS': 31,
        'IP_MSFILTER': 74,
        'IP_MSS': 576,
        'IP_MULTICAST_IF': 9,
        'IP_MULTICAST_IFINDEX': 66,
        'IP_MULTICAST_LOOP': 11,
        'IP_MULTICAST_TTL': 10,
        'IP_MULTICAST_VIF': 14,
        'IP_NAT__XXX': 55,
        'IP_OFFMASK': 8191,
        'IP_OLD_FW_ADD': 50,
        'IP_OLD_FW_DEL': 51,
        'IP_OLD_FW_FLUSH': 52,
        'IP_OLD_FW_GET': 54,
        'IP_OLD_FW_RESETLOG': 56,
        'IP_OLD_FW_ZERO': 53,
        'IP_OPTIONS': 1,
        'IP_PKTINFO': 26,
        'IP_PORTRANGE': 19,
        'IP_PORTRANGE_DEFAULT': 0,
        'IP_PORTRANGE_HIGH': 1,
        'IP_PORTRANGE_LOW': 2,
        'IP_RECVDSTADDR': 7,
        'IP_RECVIF': 20,
        'IP_RECVOPTS': 5,
        'IP_RECVPKTINFO': 26,
        'IP_RECVRETOPTS': 6,
        'IP_RECVTOS': 27,
        'IP_RECVTTL': 24,
        'IP_RETOPTS': 8,
        'IP_RF': 32768,
        'IP_RSVP_OFF': 16,
        'IP_RSVP_ON': 15,
        'IP_RSVP_VIF_OFF': 18,
        'IP_RSVP_VIF_ON': 17,
        'IP_STRIPHDR': 23,
        'IP_TOS': 3,
        'IP_TRAFFIC_MGT_BACKGROUND': 65,
        'IP_TTL': 4,
        'IP_UNBLOCK_SOURCE': 73,
    },
    'ipproto': {
        'IPPROTO_3PC': 34,
        'IPPROTO_ADFS': 68,
        'IPPROTO_AH': 51,
        'IPPROTO_AHIP': 61,
        'IPPROTO_APES': 99,
        'IPPROTO_ARGUS': 13,
        'IPPROTO_AX25': 93,
        'IPPROTO_BHA': 49,
        'IPPROTO_BLT': 30,
        'IPPROTO_BRSATMON': 76,
        'IPPROTO_CFTP': 62,
        'IPPROTO_CHAOS': 16,
        'IPPROTO_CMTP': 38,
        'IPPROTO_CPHB': 73,
        'IPPROTO_CPNX': 72,
        'IPPROTO_DDP': 37,
        'IPPROTO_DGP': 86,
        'IPPROTO_DIVERT': 254,
        'IPPROTO_DONE': 257,
        'IPPROTO_DSTOPTS': 60,
        'IPPROTO_EGP': 8,
        'IPPROTO_EMCON': 14,
        'IPPROTO_ENCAP': 98,
        'IPPROTO_EON': 80,
        'IPPROTO_ESP': 50,
        'IPPROTO_ETHERIP': 97,
        'IPPROTO_FRAGMENT': 44,
        'IPPROTO_GGP': 3,
        'IPPROTO_GMTP': 100,
        'IPPROTO_GRE': 47,
        'IPPROTO_HELLO': 63,
        'IPPROTO_HMP': 20,
        'IPPROTO_HOPOPTS': 0,
        'IPPROTO_ICMP': 1,
        'IPPROTO_ICMPV6': 58,
        'IPPROTO_IDP': 22,
        'IPPROTO_IDPR': 35,
        'IPPROTO_IDRP': 45,
        'IPPROTO_IGMP': 2,
        'IPPROTO_IGP': 85,
        'IPPROTO_IGRP': 88,
        'IPPROTO_IL': 40,
        'IPPROTO_INLSP': 52,
        'IPPROTO_INP': 32,
        'IPPROTO_IP': 0,
        'IPPROTO_IPCOMP': 108,
        'IPPROTO_IPCV': 71,
        'IPPROTO_IPEIP': 94,
        'IPPROTO_IPIP': 4,
        'IPPROTO_IPPC': 67,
        'IPPROTO_IPV4': 4,
        'IPPROTO_IPV6': 41,
        'IPPROTO_IRTP': 28,
        'IPPROTO_KRYPTOLAN': 65,
        'IPPROTO_LARP': 91,
        'IPPROTO_LEAF1': 25,
        'IPPROTO_LEAF2': 26,
        'IPPROTO_MAX': 256,
        'IPPROTO_MAXID': 52,
        'IPPROTO_MEAS': 19,
        'IPPROTO_MHRP': 48,
        'IPPROTO_MICP': 95,
        'IPPROTO_MTP': 92,
        'IPPROTO_MUX': 18,
        'IPPROTO_ND': 77,
        'IPPROTO_NHRP': 54,
        'IPPROTO_NONE': 59,
        'IPPROTO_NSP': 31,
        'IPPROTO_NVPII': 11,
        'IPPROTO_OSPFIGP': 89,
        'IPPROTO_PGM': 113,
        'IPPROTO_PIGP': 9,
        'IPPROTO_PIM': 103,
        'IPPROTO_PRM': 21,
        'IPPROTO_PUP': 12,
        'IPPROTO_PVP': 75,
        'IPPROTO_RAW': 255,
        'IPPROTO_RCCMON': 10,
        'IPPROTO_RDP': 27,
        'IPPROTO_ROUTING': 43,
        'IPPROTO_RSVP': 46,
        'IPPROTO_RVD': 66,
        'IPPROTO_SATEXPAK': 64,
        'IPPROTO_SATMON': 69,
        'IPPROTO_SCCSP': 96,
        'IPPROTO_SCTP': 132,
        'IPPROTO_SDRP': 42,
        'IPPROTO_SEP': 33,
        'IPPROTO_SRPC': 90,
        'IPPROTO_ST': 7,
        'IPPROTO_SVMTP': 82,
        'IPPROTO_SWIPE': 53,
        'IPPROTO_TCF': 87,
        'IPPROTO_TCP': 6,
        'IPPROTO_TP': 29,
        'IPPROTO_TPXX': 39,
        'IPPROTO_TRUNK1': 23,
        'IPPROTO_TRUNK2': 24,
        'IPPROTO_TTP': 84,
        'IPPROTO_UDP': 17,
        'IPPROTO_VINES': 83,
        'IPPROTO_VISA': 70,
        'IPPROTO_VMTP': 81,
        'IPPROTO_WBEXPAK': 79,
        'IPPROTO_WBMON': 78,
        'IPPROTO_WSN': 74,
        'IPPROTO_XNET': 15,
        'IPPROTO_XTP': 36,
    },
    'ipv6': {
        'IPV6_2292DSTOPTS': 23,
        'IPV6_2292HOPLIMIT': 20,
        'IPV6_2292HOPOPTS': 22,
        'IPV6_2292NEXTHOP': 21,
        'IPV6_2292PKTINFO': 19,
        'IPV6_2292PKTOPTIONS': 25,
        'IPV6_2292RTHDR': 24,
        'IPV6_3542DSTOPTS': 50,
        'IPV6_3542HOPLIMIT': 47,
        'IPV6_3542HOPOPTS': 49,
        'IPV6_3542NEXTHOP': 48,
        'IPV6_3542PKTINFO': 46,
        'IPV6_3542RTHDR': 51,
        'IPV6_ADDR_MC_FLAGS_PREFIX': 32,
        'IPV6_ADDR_MC_FLAGS_TRANSIENT': 16,
        'IPV6_ADDR_MC_FLAGS_UNICAST_BASED': 48,
        'IPV6_AUTOFLOWLABEL': 59,
        'IPV6_BINDV6ONLY': 27,
        'IPV6_BOUND_IF': 125,
        'IPV6_CHECKSUM': 26,
        'IPV6_DEFAULT_MULTICAST_HOPS': 1,
        'IPV6_DEFAULT_MULTICAST_LOOP': 1,
        'IPV6_DEFHLIM': 64,
        'IPV6_DONTFRAG': 62,
        'IPV6_DSTOPTS': 50,
        'IPV6_FAITH': 29,
        'IPV6_FLOWINFO_MASK': 4294967055,
        'IPV6_FLOWLABEL_MASK': 4294905600,
        'IPV6_FLOW_ECN_MASK': 12288,
        'IPV6_FRAGTTL': 60,
        'IPV6_FW_ADD': 30,
        'IPV6_FW_DEL': 31,
        'IPV6_FW_FLUSH': 32,
        'IPV6_FW_GET': 34,
        'IPV6_FW_ZERO': 33,
        'IPV6_HLIMDEC': 1,
        'IPV6_HOPLIMIT': 47,
        'IPV6_HOPOPTS': 49,
        'IPV6_IPSEC_POLICY': 28,
        'IPV6_JOIN_GROUP': 12,
        'IPV6_LEAVE_GROUP': 13,
        'IPV6_MAXHLIM': 255,
        'IPV6_MAXOPTHDR': 2048,
        'IPV6_MAXPACKET': 65535,
        'IPV6_MAX_GROUP_SRC_FILTER': 512,
        'IPV6_MAX_MEMBERSHIPS': 4095,
        'IPV6_MAX_SOCK_SRC_FILTER': 128,
        'IPV6_MIN_MEMBERSHIPS': 31,
        'IPV6_MMTU': 1280,
        'IPV6_MSFILTER': 74,
        'IPV6_MULTICAST_HOPS': 10,
        'IPV6_MULTICAST_IF': 9,
        'IPV6_MULTICAST_LOOP': 11,
        'IPV6_NEXTHOP': 48,
        'IPV6_PATHMTU': 44,
        'IPV6_PKTINFO': 46,
        'IPV6_PORTRANGE': 14,
        'IPV6_PORTRANGE_DEFAULT': 0,
        'IPV6_PORTRANGE_HIGH': 1,
        'IPV6_PORTRANGE_LOW': 2,
        'IPV6_PREFER_TEMPADDR': 63,
        'IPV6_RECVDSTOPTS': 40,
        'IPV6_RECVHOPLIMIT': 37,
        'IPV6_RECVHOPOPTS': 39,
        'IPV6_RECVPATHMTU': 43,
        'IPV6_RECVPKTINFO': 61,
        'IPV6_RECVRTHDR': 38,
        'IPV6_RECVTCLASS': 35,
        'IPV6_RTHDR': 51,
        'IPV6_RTHDRDSTOPTS': 57,
        'IPV6_RTHDR_LOOSE': 0,
        'IPV6_RTHDR_STRICT': 1,
        'IPV6_RTHDR_TYPE_0': 0,
        'IPV6_SOCKOPT_RESERVED1': 3,
        'IPV6_TCLASS': 36,
        'IPV6_UNICAST_HOPS': 4,
        'IPV6_USE_MIN_MTU': 42,
        'IPV6_V6ONLY': 27,
        'IPV6_VERSION': 96,
        'IPV6_VERSION_MASK': 240,
    },
    'limits': {
        'FD_SETSIZE': 1024,
        'IFNAMSIZ': 16,
        'NAME_MAX': 255,
        'PATH_MAX': 1024,
    },
    'madvise': {
        'MADV_CAN_REUSE': 9,
        'MADV_DONTNEED': 4,
        'MADV_FREE': 5,
        'MADV_FREE_REUSABLE': 7,
        'MADV_FREE_REUSE': 8,
        'MADV_NORMAL': 0,
        'MADV_PAGEOUT': 10,
        'MADV_RANDOM': 1,
        'MADV_SEQUENTIAL': 2,
        'MADV_WILLNEED': 3,
        'MADV_ZERO_WIRED_PAGES': 6,
    },
    'map': {
        'MAP_32BIT': 32768,
        'MAP_ANON': 4096,
        'MAP_ANONYMOUS': 4096,
        'MAP_COPY': 2,
        'MAP_FILE': 0,
        'MAP_FIXED': 16,
        'MAP_HASSEMAPHORE': 512,
        'MAP_JIT': 2048,
        'MAP_NOCACHE': 1024,
        'MAP_NOEXTEND': 256,
        'MAP_NORESERVE': 64,
        'MAP_PRIVATE': 2,
        'MAP_RENAME': 32,
        'MAP_RESERVED0080': 128,
        'MAP_RESILIENT_CODESIGN': 8192,
        'MAP_RESILIENT_MEDIA': 16384,
        'MAP_SHARED': 1,
        'MAP_TRANSLATED_ALLOW_EXECUTE': 131072,
        'MAP_UNIX03': 262144,
    },
    'mcl': {
        'MCL_CURRENT': 1,
        'MCL_FUTURE': 2,
    },
    'mnt': {
        'MNT_ASYNC': 64,
        'MNT_AUTOMOUNTED': 4194304,
        'MNT_CMDFLAGS': 983040,
        'MNT_CPROTECT': 128,
        'MNT_DEFWRITE': 33554432,
        'MNT_DONTBROWSE': 1048576,
        'MNT_DOVOLFS': 32768,
        'MNT_DWAIT': 4,
        'MNT_EXPORTED': 256,
        'MNT_EXT_ROOT_DATA_VOL': 1,
        'MNT_FORCE': 524288,
        'MNT_IGNORE_OWNERSHIP': 2097152,
        'MNT_JOURNALED': 8388608,
        'MNT_LOCAL': 4096,
        'MNT_MULTILABEL': 67108864,
        'MNT_NOATIME': 268435456,
        'MNT_NOBLOCK': 131072,
        'MNT_NODEV': 16,
        'MNT_NOEXEC': 4,
        'MNT_NOSUID': 8,
        'MNT_NOUSERXATTR': 16777216,
        'MNT_NOWAIT': 2,
        'MNT_QUARANTINE': 1024,
        'MNT_QUOTA': 8192,
        'MNT_RDONLY': 1,
        'MNT_RELOAD': 262144,
        'MNT_REMOVABLE': 512,
        'MNT_ROOTFS': 16384,
        'MNT_SNAPSHOT': 1073741824,
        'MNT_STRICTATIME': 2147483648,
        'MNT_SYNCHRONOUS': 2,
        'MNT_UNION': 32,
        'MNT_UNKNOWNPERMISSIONS': 2097152,
        'MNT_UPDATE': 65536,
        'MNT_WAIT': 1,
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
        'S_IFWHT': 57344,
        'S_IREAD': 256,
        'S_IRGRP': 32,
        'S_IROTH': 4,
        'S_IRUSR': 256,
        'S_IRWXG': 56,
        'S_IRWXO': 7,
        'S_IRWXU': 448,
        'S_ISGID': 1024,
        'S_ISTXT': 512,
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
        'MSG_CTRUNC': 32,
        'MSG_DONTROUTE': 4,
        'MSG_DONTWAIT': 128,
        'MSG_EOF': 256,
        'MSG_EOR': 8,
        'MSG_FLUSH': 1024,
        'MSG_HAVEMORE': 8192,
        'MSG_HOLD': 2048,
        'MSG_NEEDSA': 65536,
        'MSG_NOSIGNAL': 524288,
        'MSG_OOB': 1,
        'MSG_PEEK': 2,
        'MSG_RCVMORE': 16384,
        'MSG_SEND': 4096,
        'MSG_TRUNC': 16,
        'MSG_WAITALL': 64,
        'MSG_WAITSTREAM': 512,
    },
    'msync': {
        'MS_ASYNC': 1,
        'MS_DEACTIVATE': 8,
        'MS_INVALIDATE': 2,
        'MS_KILLPAGES': 4,
        'MS_SYNC': 16,
    },
    'note': {
        'NOTE_ABSOLUTE': 8,
        'NOTE_ATTRIB': 8,
        'NOTE_BACKGROUND': 64,
        'NOTE_CHILD': 4,
        'NOTE_CRITICAL': 32,
        'NOTE_DELETE': 1,
        'NOTE_EXEC': 536870912,
        'NOTE_EXIT': 2147483648,
        'NOTE_EXITSTATUS': 67108864,
        'NOTE_EXIT_CSERROR': 262144,
        'NOTE_EXIT_DECRYPTFAIL': 65536,
        'NOTE_EXIT_DETAIL': 33554432,
        'NOTE_EXIT_DETAIL_MASK': 458752,
        'NOTE_EXIT_MEMORY': 131072,
        'NOTE_EXIT_REPARENTED': 524288,
        'NOTE_EXTEND': 4,
        'NOTE_FFAND': 1073741824,
        'NOTE_FFCOPY': 3221225472,
        'NOTE_FFCTRLMASK': 3221225472,
        'NOTE_FFLAGSMASK': 16777215,
        'NOTE_FFNOP': 0,
        'NOTE_FFOR': 2147483648,
        'NOTE_FORK': 1073741824,
        'NOTE_FUNLOCK': 256,
        'NOTE_LEEWAY': 16,
        'NOTE_LINK': 16,
        'NOTE_LOWAT': 1,
        'NOTE_MACHTIME': 256,
        'NOTE_MACH_CONTINUOUS_TIME': 128,
        'NOTE_NONE': 128,
        'NOTE_NSECONDS': 4,
        'NOTE_OOB': 2,
        'NOTE_PCTRLMASK': -1048576,
        'NOTE_PDATAMASK': 1048575,
        'NOTE_REAP': 268435456,
        'NOTE_RENAME': 32,
        'NOTE_REVOKE': 64,
        'NOTE_SECONDS': 1,
        'NOTE_SIGNAL': 134217728,
        'NOTE_TRACK': 1,
        'NOTE_TRACKERR': 2,
        'NOTE_TRIGGER': 16777216,
        'NOTE_USECONDS': 2,
        'NOTE_VM_ERROR': 268435456,
        'NOTE_VM_PRESSURE': 2147483648,
        'NOTE_VM_PRESSURE_SUDDEN_TERMINATE': 536870912,
        'NOTE_VM_PRESSURE_TERMINATE': 1073741824,
        'NOTE_WRITE': 2,
    },
    'open': {
        'O_ACCMODE': 3,
        'O_ALERT': 536870912,
        'O_APPEND': 8,
        'O_ASYNC': 64,
        'O_CLOEXEC': 16777216,
        'O_CREAT': 512,
        'O_DIRECTORY': 1048576,
        'O_DP_GETRAWENCRYPTED': 1,
        'O_DP_GETRAWUNENCRYPTED': 2,
        'O_DSYNC': 4194304,
        'O_EVTONLY': 32768,
        'O_EXCL': 2048,
        'O_EXLOCK': 32,
        'O_FSYNC': 128,
        'O_NDELAY': 4,
        'O_NOCTTY': 131072,
        'O_NOFOLLOW': 256,
        'O_NOFOLLOW_ANY': 536870912,
        'O_NONBLOCK': 4,
        'O_POPUP': 2147483648,
        'O_RDONLY': 0,
        'O_RDWR': 2,
        'O_SHLOCK': 16,
        'O_SYMLINK': 2097152,
        'O_SYNC': 128,
        'O_TRUNC': 1024,
        'O_WRONLY': 1,
    },
    'pathconf': {
        '_PC_2_SYMLINKS': 15,
        '_PC_ALLOC_SIZE_MIN': 16,
        '_PC_ASYNC_IO': 17,
        '_PC_AUTH_OPAQUE_NP': 14,
        '_PC_CASE_PRESERVING': 12,
        '_PC_CASE_SENSITIVE': 11,
        '_PC_CHOWN_RESTRICTED': 7,
        '_PC_EXTENDED_SECURITY_NP': 13,
        '_PC_FILESIZEBITS': 18,
        '_PC_LINK_MAX': 1,
        '_PC_MAX_CANON': 2,
        '_PC_MAX_INPUT': 3,
        '_PC_MIN_HOLE_SIZE': 27,
        '_PC_NAME_CHARS_MAX': 10,
        '_PC_NAME_MAX': 4,
        '_PC_NO_TRUNC': 8,
        '_PC_PATH_MAX': 5,
        '_PC_PIPE_BUF': 6,
        '_PC_PRIO_IO': 19,
        '_PC_REC_INCR_XFER_SIZE': 20,
        '_PC_REC_MAX_XFER_SIZE': 21,
        '_PC_REC_MIN_XFER_SIZE': 22,
        '_PC_REC_XFER_ALIGN': 23,
        '_PC_SYMLINK_MAX': 24,
        '_PC_SYNC_IO': 25,
        '_PC_VDISABLE': 9,
        '_PC_XATTR_SIZE_BITS': 26,
    },
    'poll': {
        'POLLERR': 8,
        'POLLHUP': 16,
        'POLLIN': 1,
        'POLLNVAL': 32,
        'POLLOUT': 4,
        'POLLPRI': 2,
        'POLLRDBAND': 128,
        'POLLRDNORM': 64,
        'POLLWRBAND': 256,
        'POLLWRNORM': 4,
    },
    'prio': {
        'PRIO_PGRP': 1,
        'PRIO_PROCESS': 0,
        'PRIO_USER': 2,
    },
    'prot': {
        'PROT_EXEC': 4,
        'PROT_NONE': 0,
        'PROT_READ': 1,
        'PROT_WRITE': 2,
    },
    'ptrace': {
        'PT_ATTACH': 10,
        'PT_ATTACHEXC': 14,
        'PT_CONTINUE': 7,
        'PT_DENY_ATTACH': 31,
        'PT_DETACH': 11,
        'PT_FIRSTMACH': 32,
        'PT_FORCEQUOTA': 30,
        'PT_KILL': 8,
        'PT_READ_D': 2,
        'PT_READ_I': 1,
        'PT_READ_U': 3,
        'PT_SIGEXC': 12,
        'PT_STEP': 9,
        'PT_THUPDATE': 13,
        'PT_TRACE_ME': 0,
        'PT_WRITE_D': 5,
        'PT_WRITE_I': 4,
        'PT_WRITE_U': 6,
    },
    'rlimit': {
        'RLIMIT_AS': 5,
        'RLIMIT_CORE': 4,
        'RLIMIT_CPU': 0,
        'RLIMIT_CPU_USAGE_MONITOR': 2,
        'RLIMIT_DATA': 2,
        'RLIMIT_FSIZE': 1,
        'RLIMIT_MEMLOCK': 6,
        'RLIMIT_NOFILE': 8,
        'RLIMIT_NPROC': 7,
        'RLIMIT_RSS': 5,
        'RLIMIT_STACK': 3,
        'RLIM_INFINITY': 9223372036854775807,
    },
    'rusage': {
        'RUSAGE_CHILDREN': -1,
        'RUSAGE_SELF': 0,
    },
    'scm': {
        'SCM_CREDS': 3,
        'SCM_RIGHTS': 1,
        'SCM_TIMESTAMP': 2,
        'SCM_TIMESTAMP_MONOTONIC': 4,
    },
    'seek': {
        'SEEK_CUR': 1,
        'SEEK_DATA': 4,
        'SEEK_END': 2,
        'SEEK_HOLE': 3,
        'SEEK_SET': 0,
    },
    'shut': {
        'SHUT_RD': 0,
        'SHUT_RDWR': 2,
        'SHUT_WR': 1,
    },
    'sigmask': {
        'SIG_BLOCK': 1,
        'SIG_SETMASK': 3,
        'SIG_UNBLOCK': 2,
    },
    'signal': {
        'SIGABRT': 6,
        'SIGALRM': 14,
        'SIGBUS': 10,
        'SIGCHLD': 20,
        'SIGCONT': 19,
        'SIGEMT': 7,
        'SIGFPE': 8,
        'SIGHUP': 1,
        'SIGILL': 4,
        'SIGINFO': 29,
        'SIGINT': 2,
        'SIGIO': 23,
        'SIGIOT': 6,
        'SIGKILL': 9,
        'SIGPIPE': 13,
        'SIGPROF': 27,
        'SIGQUIT': 3,
        'SIGSEGV': 11,
        'SIGSTOP': 17,
        'SIGSYS': 12,
        'SIGTERM': 15,
        'SIGTRAP': 5,
        'SIGTSTP': 18,
        'SIGTTIN': 21,
        'SIGTTOU': 22,
        'SIGURG': 16,
        'SIGUSR1': 30,
        'SIGUSR2': 31,
        'SIGVTALRM': 26,
        'SIGWINCH': 28,
        'SIGXCPU': 24,
        'SIGXFSZ': 25,
    },
    'so': {
        'SOMAXCONN': 128,
        'SO_ACCEPTCONN': 2,
        'SO_BROADCAST': 32,
        'SO_DEBUG': 1,
        'SO_DONTROUTE': 16,
        'SO_DONTTRUNC': 8192,
        'SO_ERROR': 4103,
        'SO_KEEPALIVE': 8,
        'SO_LABEL': 4112,
        'SO_LINGER': 128,
        'SO_LINGER_SEC': 4224,
        'SO_NETSVC_MARKING_LEVEL': 4377,
        'SO_NET_SERVICE_TYPE': 4374,
        'SO_NKE': 4129,
        'SO_NOADDRERR': 4131,
        'SO_NOSIGPIPE': 4130,
        'SO_NOTIFYCONFLICT': 4134,
        'SO_NP_EXTENSIONS': 4227,
        'SO_NREAD': 4128,
        'SO_NUMRCVPKT': 4370,
        'SO_NWRITE': 4132,
        'SO_OOBINLINE': 256,
        'SO_PEERLABEL': 4113,
        'SO_RANDOMPORT': 4226,
        'SO_RCVBUF': 4098,
        'SO_RCVLOWAT': 4100,
        'SO_RCVTIMEO': 4102,
        'SO_REUSEADDR': 4,
        'SO_REUSEPORT': 512,
        'SO_REUSESHAREUID': 4133,
        'SO_SNDBUF': 4097,
        'SO_SNDLOWAT': 4099,
        'SO_SNDTIMEO': 4101,
        'SO_TIMESTAMP': 1024,
        'SO_TIMESTAMP_MONOTONIC': 2048,
        'SO_TRACKER_ATTRIBUTE_FLAGS_APP_APPROVED': 1,
        'SO_TRACKER_ATTRIBUTE_FLAGS_DOMAIN_SHORT': 4,
        'SO_TRACKER_ATTRIBUTE_FLAGS_TRACKER': 2,
        'SO_TRACKER_TRANSPARENCY_VERSION': 3,
        'SO_TYPE': 4104,
        'SO_UPCALLCLOSEWAIT': 4135,
        'SO_USELOOPBACK': 64,
        'SO_WANTMORE': 16384,
        'SO_WANTOOBFLAG': 32768,
    },
    'socket_family': {
        'AF_APPLETALK': 16,
        'AF_CCITT': 10,
        'AF_CHAOS': 5,
        'AF_CNT': 21,
        'AF_COIP': 20,
        'AF_DATAKIT': 9,
        'AF_DLI': 13,
        'AF_E164': 28,
        'AF_ECMA': 8,
        'AF_HYLINK': 15,
        'AF_IEEE80211': 37,
        'AF_IMPLINK': 3,
        'AF_INET': 2,
        'AF_INET6': 30,
        'AF_IPX': 23,
        'AF_ISDN': 28,
        'AF_ISO': 7,
        'AF_LAT': 14,
        'AF_LINK': 18,
        'AF_LOCAL': 1,
        'AF_MAX': 41,
        'AF_NATM': 31,
        'AF_NDRV': 27,
        'AF_NETBIOS': 33,
        'AF_NS': 6,
        'AF_OSI': 7,
        'AF_PPP': 34,
        'AF_PUP': 4,
        'AF_RESERVED_36': 36,
        'AF_ROUTE': 17,
        'AF_SIP': 24,
        'AF_SNA': 11,
        'AF_SYSTEM': 32,
        'AF_SYS_CONTROL': 2,
        'AF_UNIX': 1,
        'AF_UNSPEC': 0,
        'AF_UTUN': 38,
        'AF_VSOCK': 40,
    },
    'socket_type': {
        'SOCK_DGRAM': 2,
        'SOCK_RAW': 3,
        'SOCK_RDM': 4,
        'SOCK_SEQPACKET': 5,
        'SOCK_STREAM': 1,
    },
    'sol': {
        'SOL_LOCAL': 0,
        'SOL_SOCKET': 65535,
    },
    'tcp': {
        'TCP_CONNECTIONTIMEOUT': 32,
        'TCP_CONNECTION_INFO': 262,
        'TCP_ENABLE_ECN': 260,
        'TCP_FASTOPEN': 261,
        'TCP_KEEPALIVE': 16,
        'TCP_KEEPCNT': 258,
        'TCP_KEEPINTVL': 257,
        'TCP_MAXHLEN': 60,
        'TCP_MAXOLEN': 40,
        'TCP_MAXSEG': 2,
        'TCP_MAXWIN': 65535,
        'TCP_MAX_SACK': 4,
        'TCP_MAX_WINSHIFT': 14,
        'TCP_MINMSS': 216,
        'TCP_MSS': 512,
        'TCP_NODELAY': 1,
        'TCP_NOOPT': 8,
        'TCP_NOPUSH': 4,
        'TCP_NOTSENT_LOWAT': 513,
        'TCP_RXT_CONNDROPTIME': 128,
        'TCP_RXT_FINDROP': 256,
        'TCP_SENDMOREACKS': 259,
    },
    'unmount': {
        'MNT_FORCE': 524288,
    },
    'wait': {
        'WCONTINUED': 16,
        'WCOREFLAG': 128,
        'WEXITED': 4,
        'WNOHANG': 1,
        'WNOWAIT': 32,
        'WSTOPPED': 8,
        'WUNTRACED': 2,
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

class CFstore(ctypes.Structure):
    """``fstore_t`` (``fcntl(F_PREALLOCATE)``, ``<sys/fcntl.h>``): not in the ABI tables."""

    _fields_ = (
        ("fst_flags", c_uint32),
        ("fst_posmode", c_int32),
        ("fst_offset", c_int64),
        ("fst_length", c_int64),
        ("fst_bytesalloc", c_int64),
    )


def preallocate(fcntl: Callable[..., int], fd: int, offset: int, length: int) -> None:
    """``fcntl(fd, F_PREALLOCATE, &fstore)`` reserving *length* bytes, all or nothing (macOS has no call that fills holes)."""
    del offset  # F_PEOFPOSMODE counts from the physical end of file
    store = CFstore(fst_flags=F_ALLOCATEALL, fst_posmode=F_PEOFPOSMODE, fst_length=length)
    fcntl(fd, F_PREALLOCATE, ctypes.byref(store))


# -- what the argument of fcntl and ioctl is, for the object layer's checks ----------
#: ``fcntl`` commands whose argument is a pointer, with the size of what it points to
#: (``<sys/fcntl.h>``).  The code-signing and other private commands are left out:
#: their structs hold addresses.
FCNTL_POINTER_COMMANDS: Final[Mapping[int, int]] = {
    F_GETLK: ctypes.sizeof(CFlock),
    F_SETLK: ctypes.sizeof(CFlock),
    F_SETLKW: ctypes.sizeof(CFlock),
    F_GETLKPID: ctypes.sizeof(CFlock),
    90: ctypes.sizeof(CFlock),  # F_OFD_SETLK
    91: ctypes.sizeof(CFlock),  # F_OFD_SETLKW
    92: ctypes.sizeof(CFlock),  # F_OFD_GETLK
    94: ctypes.sizeof(CFlock),  # F_OFD_GETLKPID
    F_SETLKWTIMEOUT: ctypes.sizeof(CFlock) + ctypes.sizeof(CTimespec),  # struct flocktimeout
    93: ctypes.sizeof(CFlock) + ctypes.sizeof(CTimespec),  # F_OFD_SETLKWTIMEOUT
    F_PREALLOCATE: ctypes.sizeof(CFstore),
    F_SETSIZE: 8,  # off_t
    F_RDADVISE: 12,  # struct radvisory, packed to 4
    F_LOG2PHYS: 20,  # struct log2phys, packed to 4
    F_LOG2PHYS_EXT: 20,
    F_GETPATH: PATH_MAX,
    F_GETPATH_NOFIRMLINK: PATH_MAX,
    F_GETPATH_MTMINFO: PATH_MAX,
    F_PUNCHHOLE: 24,  # fpunchhole_t
    F_TRIM_ACTIVE_FILE: 16,  # ftrimactivefile_t
    F_SPECULATIVE_READ: 24,  # fspecread_t
}
#: ``fcntl`` commands whose argument is an int value (or nothing).
FCNTL_VALUE_COMMANDS: Final = frozenset({
    F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETOWN, F_SETOWN, F_FLUSH_DATA, F_CHKCLEAN,
    F_RDAHEAD, F_NOCACHE, F_FULLFSYNC, F_FREEZE_FS, F_THAW_FS, F_GLOBAL_NOCACHE, F_NODIRECT,
    F_GETPROTECTIONCLASS, F_SETPROTECTIONCLASS, F_DUPFD_CLOEXEC, F_SETNOSIGPIPE, F_GETNOSIGPIPE,
    F_SINGLE_WRITER, F_GETPROTECTIONLEVEL, 79, F_BARRIERFSYNC,  # 79: F_GETDEFAULTPROTLEVEL
    95, 96, 106, 107,  # F_SETCONFINED, F_GETCONFINED, F_SETLEASE, F_GETLEASE
})  # fmt: skip
#: The encoding of ioctl requests (``<sys/ioccom.h>``): the kernel copies the
#: request's size in through the pointer (``IOC_IN``), out (``IOC_OUT``), or
#: passes the argument as a value (``IOC_VOID``).
IOC_IN: Final = 0x80000000
IOC_OUT: Final = 0x40000000
IOC_VOID: Final = 0x20000000
IOC_DIRMASK: Final = 0xE0000000
IOCPARM_MASK: Final = 0x1FFF
#: Every darwin request carries its encoding: no exceptions to list.
IOCTL_POINTER_REQUESTS: Final[Mapping[int, int]] = {}
IOCTL_VALUE_REQUESTS: Final[frozenset[int]] = frozenset()

# -- sizes and storage, for MappedRegion.from_file ------------------------------------
#: ioctl requests whose answers, multiplied, are a block device's size in bytes:
#: (request, bytes of the unsigned answer).  DKIOCGETBLOCKCOUNT
#: (``_IOR('d', 25, uint64_t)``) and DKIOCGETBLOCKSIZE (``_IOR('d', 24,
#: uint32_t)``), ``<sys/disk.h>``.
BLOCK_DEVICE_SIZE_IOCTLS: Final = ((0x40086419, 8), (0x40046418, 4))
#: No darwin file system makes a mapping's read of a hole take storage.
READ_ALLOCATING_FS_TYPES: Final[frozenset[int]] = frozenset()

# -- fsync(full=True) ---------------------------------------------------------------
#: Errors of ``fcntl(F_FULLFSYNC)`` that mean "not for this descriptor" rather than
#: "the flush failed", so a plain ``fsync`` is the best there is: xnu answers EBADF
#: for anything but a vnode (pipes, sockets: ``sys_fcntl_nocancel``), and the file
#: system or driver's ``VNOP_IOCTL`` answers ENOTSUP, ENOTTY or EINVAL (xnu retries
#: F_BARRIERFSYNC on exactly those three), ENODEV (``/dev/null``: ``mmioctl``) or
#: EOPNOTSUPP (a FIFO: its socket's ``pru_control``).  A descriptor that is really
#: bad fails the fsync with EBADF in turn.
FULLFSYNC_FALLBACK_ERRNOS: Final = frozenset({EBADF, EINVAL, ENODEV, ENOTSUP, ENOTTY, EOPNOTSUPP})


# -- event sources: Linux's helper constants, named here too ------------------
# darwin has no epoll, eventfd, timerfd, signalfd, inotify or pidfd: its
# kqueue's EVFILT_USER, EVFILT_TIMER, EVFILT_SIGNAL, EVFILT_VNODE and
# EVFILT_PROC filters (in the constants above) do their work, and the
# helpers raise UnsupportedOperation naming them.  The names exist, with
# Linux's values, only so that code using the helpers type-checks on both
# platforms, as EPOLL_CTL_* above.
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
EFD_SEMAPHORE: Final = 1
EFD_CLOEXEC: Final = 0o2000000
EFD_NONBLOCK: Final = 0o4000
TFD_CLOEXEC: Final = 0o2000000
TFD_NONBLOCK: Final = 0o4000
TFD_TIMER_ABSTIME: Final = 1
TFD_TIMER_CANCEL_ON_SET: Final = 2
SFD_CLOEXEC: Final = 0o2000000
SFD_NONBLOCK: Final = 0o4000
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
PIDFD_NONBLOCK: Final = 0o4000
SYS_pidfd_open: Final = 434


# -- zero-copy transfer, range locks and extended attributes (issue 16) ------------
# sendfile(2), fcopyfile(3), clonefile(2) and the *xattr(2) calls are outside Go's
# table, and their prototypes differ from Linux's: the argument types of each are
# named here, and a small function adapts the portable raw call to them.  Values
# from <sys/xattr.h>, <copyfile.h> and <sys/clonefile.h> (the ABI tables have no
# groups for them).
#: ``int sendfile(int fd, int s, off_t offset, off_t *len, struct sf_hdtr *hdtr, int flags)``:
#: file first, then socket; *len* in: the count (0 for to end of file), out: the count sent.
SENDFILE_PROTOTYPE: Final = (ctypes.c_int, (ctypes.c_int, ctypes.c_int, c_int64, c_void_p, c_void_p, ctypes.c_int))


def sendfile(call: Callable[..., int], out_fd: int, in_fd: int, offset: int, count: int) -> int:
    """``sendfile(in_fd, out_fd, offset, &len, NULL, 0)``: the count sent; *in_fd*'s file offset does not move.

    darwin fails with EAGAIN (non-blocking socket) or EINTR after sending
    part of the range, and says how much in *len*: that part is the result,
    so a raised error means nothing was sent.  *call* must not retry EINTR.
    """
    sent = c_int64(count)
    try:
        call(in_fd, out_fd, offset, ctypes.byref(sent), None, 0)
    except OSError as exc:
        if exc.errno in (EAGAIN, EINTR) and sent.value > 0:
            return sent.value
        raise
    return sent.value


#: ``fcopyfile(3)``/``copyfile(3)`` flags: what to copy.
COPYFILE_ACL: Final = 1 << 0
COPYFILE_STAT: Final = 1 << 1
COPYFILE_XATTR: Final = 1 << 2
COPYFILE_DATA: Final = 1 << 3
COPYFILE_SECURITY: Final = COPYFILE_STAT | COPYFILE_ACL
COPYFILE_METADATA: Final = COPYFILE_SECURITY | COPYFILE_XATTR
COPYFILE_ALL: Final = COPYFILE_METADATA | COPYFILE_DATA
COPYFILE_CLONE: Final = 1 << 24
COPYFILE_DATA_SPARSE: Final = 1 << 27
#: ``clonefile(2)`` flags.
CLONE_NOFOLLOW: Final = 0x0001
CLONE_NOOWNERCOPY: Final = 0x0002

#: ``setxattr(2)`` options: do not follow a symlink, fail if the attribute exists / does not.
XATTR_NOFOLLOW: Final = 0x0001
XATTR_CREATE: Final = 0x0002
XATTR_REPLACE: Final = 0x0004
#: The errno of "no such attribute": darwin's ENOATTR (Linux says ENODATA).
XATTR_MISSING_ERRNO: Final = ENOATTR
#: The C argument types after each xattr call's own (target, name, value, size):
#: darwin's getxattr and setxattr take a resource-fork position and options;
#: listxattr and removexattr take options.
XATTR_EXTRA_ARGTYPES: Final[Mapping[str, tuple[type[ctypes.c_int] | type[c_uint32], ...]]] = {
    "get": (c_uint32, ctypes.c_int), "set": (c_uint32, ctypes.c_int), "list": (ctypes.c_int,), "remove": (ctypes.c_int,),
}  # fmt: skip


def xattr_symbol(op: str, on_fd: bool, follow_symlinks: bool) -> str:
    """The libc function of xattr call *op*: ``f*`` on a descriptor (darwin has no ``l*``: see :func:`xattr_extra`)."""
    del follow_symlinks
    return f"f{op}xattr" if on_fd else f"{op}xattr"


def xattr_extra(op: str, follow_symlinks: bool, flags: int) -> tuple[int, ...]:
    """The trailing C arguments of xattr call *op*: position 0 and options (``XATTR_NOFOLLOW`` for a symlink itself)."""
    options = flags | (0 if follow_symlinks else XATTR_NOFOLLOW)
    return (0, options) if op in ("get", "set") else (options,)


#: The byte-range lock commands (get, set, set-and-wait): POSIX record locks.
#: They belong to the process: two descriptors of one process never conflict,
#: threads do not exclude each other, a forked child does not inherit them, and
#: closing *any* descriptor of the file releases all of the process's locks on it.
RANGE_LOCK_COMMANDS: Final = (F_GETLK, F_SETLK, F_SETLKW)
#: What the range lock commands are, for messages and documentation.
RANGE_LOCK_KIND: Final = "POSIX record (F_SETLK, per process)"
#: darwin has no system-wide lock table to read: "".
LOCKS_TABLE: Final[str] = ""
#: ``MAXPATHLEN``: the buffer ``F_GETPATH`` fills.
MAXPATHLEN: Final = 1024


def fd_path(fcntl: Callable[..., int], fd: int) -> str | None:
    """The path of *fd* by ``fcntl(fd, F_GETPATH, buf)``, or None."""
    buf = ctypes.create_string_buffer(MAXPATHLEN)
    try:
        fcntl(fd, F_GETPATH, buf)
    except OSError:
        return None
    return os.fsdecode(buf.value)

# -- directories and shared memory (issue 16): flags outside the ABI tables ---
#: renameatx_np(2) flags (sys/stdio.h): RENAME_EXCL fails if the target
#: exists, RENAME_SWAP swaps the two names; named as Linux's renameat2 flags.
RENAME_NOREPLACE: Final = 0x00000004
RENAME_EXCHANGE: Final = 0x00000002
#: The C function behind raw.renameat2: same arguments, macOS 10.12+.
RENAMEAT2_SYMBOL: Final = "renameatx_np"
#: macOS has no memfd_create (raw.memfd_create raises UnsupportedOperation):
#: its flags are 0 here so that callers combine them everywhere.
MFD_CLOEXEC: Final = 0
MFD_ALLOW_SEALING: Final = 0

# -- process inspection (macres.procinfo): libproc and sysctl readers -----------
# The same reader names as _linux.py, over libproc (xnu bsd/sys/proc_info.h,
# libproc.h) and sysctl(KERN_PROCARGS2).  A process's identity is its start
# time in microseconds since the epoch (pbi_start_tvsec, pbi_start_tvusec):
# readers that get a proc_bsdinfo check it in the same call
# (PROC_PIDTASKALLINFO carries both), the others call PROC_PIDTBSDINFO after
# their read.  Sizes are checked against xnu's header and Rust's libc
# (tests/raw/test_procinfo_abi.py).  The functions are bound on first use,
# so importing this module still loads no library.
MAXCOMLEN: Final = 16
MAXTHREADNAMESIZE: Final = 64
PROC_PIDPATHINFO_MAXSIZE: Final = 4 * MAXPATHLEN
PROC_ALL_PIDS: Final = 1
#: Linux's /proc units, named here too (darwin's times are Mach units or nanoseconds, sizes bytes).
PROC_CLK_TCK: Final = os.sysconf("SC_CLK_TCK")
PROC_PAGE_SIZE: Final = os.sysconf("SC_PAGE_SIZE")
PROC_PPID_ONLY: Final = 6
PROC_PIDLISTFDS: Final = 1
PROC_PIDTASKALLINFO: Final = 2
PROC_PIDTBSDINFO: Final = 3
PROC_PIDTASKINFO: Final = 4
PROC_PIDTHREADINFO: Final = 5
PROC_PIDLISTTHREADS: Final = 6
PROC_PIDVNODEPATHINFO: Final = 9
PROC_PIDFDVNODEPATHINFO: Final = 2
PROX_FDTYPE_VNODE: Final = 1
PROX_FDTYPE_SOCKET: Final = 2
PROX_FDTYPE_PSHM: Final = 3
PROX_FDTYPE_PSEM: Final = 4
PROX_FDTYPE_KQUEUE: Final = 5
PROX_FDTYPE_PIPE: Final = 6
PROX_FDTYPE_FSEVENTS: Final = 7
SIDL: Final = 1
SRUN: Final = 2
SSLEEP: Final = 3
SSTOP: Final = 4
SZOMB: Final = 5
CTL_KERN: Final = 1
KERN_ARGMAX: Final = 8
KERN_PROCARGS2: Final = 49


class CProcBsdinfo(ctypes.Structure):
    """``struct proc_bsdinfo`` (PROC_PIDTBSDINFO), 136 bytes."""

    _fields_ = (
        ("pbi_flags", c_uint32),
        ("pbi_status", c_uint32),
        ("pbi_xstatus", c_uint32),
        ("pbi_pid", c_uint32),
        ("pbi_ppid", c_uint32),
        ("pbi_uid", c_uint32),
        ("pbi_gid", c_uint32),
        ("pbi_ruid", c_uint32),
        ("pbi_rgid", c_uint32),
        ("pbi_svuid", c_uint32),
        ("pbi_svgid", c_uint32),
        ("rfu_1", c_uint32),
        ("pbi_comm", c_char * MAXCOMLEN),
        ("pbi_name", c_char * (2 * MAXCOMLEN)),
        ("pbi_nfiles", c_uint32),
        ("pbi_pgid", c_uint32),
        ("pbi_pjobc", c_uint32),
        ("e_tdev", c_uint32),
        ("e_tpgid", c_uint32),
        ("pbi_nice", c_int32),
        ("pbi_start_tvsec", c_uint64),
        ("pbi_start_tvusec", c_uint64),
    )


class CProcTaskinfo(ctypes.Structure):
    """``struct proc_taskinfo`` (PROC_PIDTASKINFO), 96 bytes; times in Mach absolute time units."""

    _fields_ = (
        ("pti_virtual_size", c_uint64),
        ("pti_resident_size", c_uint64),
        ("pti_total_user", c_uint64),
        ("pti_total_system", c_uint64),
        ("pti_threads_user", c_uint64),
        ("pti_threads_system", c_uint64),
        ("pti_policy", c_int32),
        ("pti_faults", c_int32),
        ("pti_pageins", c_int32),
        ("pti_cow_faults", c_int32),
        ("pti_messages_sent", c_int32),
        ("pti_messages_received", c_int32),
        ("pti_syscalls_mach", c_int32),
        ("pti_syscalls_unix", c_int32),
        ("pti_csw", c_int32),
        ("pti_threadnum", c_int32),
        ("pti_numrunning", c_int32),
        ("pti_priority", c_int32),
    )


class CProcTaskallinfo(ctypes.Structure):
    """``struct proc_taskallinfo`` (PROC_PIDTASKALLINFO), 232 bytes: both of the above in one call."""

    _fields_ = (("pbsd", CProcBsdinfo), ("ptinfo", CProcTaskinfo))


class CProcThreadinfo(ctypes.Structure):
    """``struct proc_threadinfo`` (PROC_PIDTHREADINFO), 112 bytes; times in nanoseconds."""

    _fields_ = (
        ("pth_user_time", c_uint64),
        ("pth_system_time", c_uint64),
        ("pth_cpu_usage", c_int32),
        ("pth_policy", c_int32),
        ("pth_run_state", c_int32),
        ("pth_flags", c_int32),
        ("pth_sleep_time", c_int32),
        ("pth_curpri", c_int32),
        ("pth_priority", c_int32),
        ("pth_maxpriority", c_int32),
        ("pth_name", c_char * MAXTHREADNAMESIZE),
    )


class CVinfoStat(ctypes.Structure):
    """``struct vinfo_stat``, 136 bytes."""

    _fields_ = (
        ("vst_dev", c_uint32),
        ("vst_mode", c_uint16),
        ("vst_nlink", c_uint16),
        ("vst_ino", c_uint64),
        ("vst_uid", c_uint32),
        ("vst_gid", c_uint32),
        ("vst_atime", c_int64),
        ("vst_atimensec", c_int64),
        ("vst_mtime", c_int64),
        ("vst_mtimensec", c_int64),
        ("vst_ctime", c_int64),
        ("vst_ctimensec", c_int64),
        ("vst_birthtime", c_int64),
        ("vst_birthtimensec", c_int64),
        ("vst_size", c_int64),
        ("vst_blocks", c_int64),
        ("vst_blksize", c_int32),
        ("vst_flags", c_uint32),
        ("vst_gen", c_uint32),
        ("vst_rdev", c_uint32),
        ("vst_qspare", c_int64 * 2),
    )


class CVnodeInfo(ctypes.Structure):
    """``struct vnode_info``, 152 bytes."""

    _fields_ = (("vi_stat", CVinfoStat), ("vi_type", c_int32), ("vi_pad", c_int32), ("vi_fsid", CFsid))


class CVnodeInfoPath(ctypes.Structure):
    """``struct vnode_info_path``, 1176 bytes."""

    _fields_ = (("vip_vi", CVnodeInfo), ("vip_path", c_char * MAXPATHLEN))


class CProcVnodepathinfo(ctypes.Structure):
    """``struct proc_vnodepathinfo`` (PROC_PIDVNODEPATHINFO), 2352 bytes: working and root directory."""

    _fields_ = (("pvi_cdir", CVnodeInfoPath), ("pvi_rdir", CVnodeInfoPath))


class CProcFileinfo(ctypes.Structure):
    """``struct proc_fileinfo``, 24 bytes."""

    _fields_ = (
        ("fi_openflags", c_uint32),
        ("fi_status", c_uint32),
        ("fi_offset", c_int64),
        ("fi_type", c_int32),
        ("fi_guardflags", c_uint32),
    )


class CVnodeFdinfowithpath(ctypes.Structure):
    """``struct vnode_fdinfowithpath`` (proc_pidfdinfo PROC_PIDFDVNODEPATHINFO), 1200 bytes."""

    _fields_ = (("pfi", CProcFileinfo), ("pvip", CVnodeInfoPath))


class CProcFdinfo(ctypes.Structure):
    """``struct proc_fdinfo`` (PROC_PIDLISTFDS entries), 8 bytes."""

    _fields_ = (("proc_fd", c_int32), ("proc_fdtype", c_uint32))


class CMachTimebaseInfo(ctypes.Structure):
    """``struct mach_timebase_info``: Mach absolute time units times numer/denom are nanoseconds."""

    _fields_ = (("numer", c_uint32), ("denom", c_uint32))


class _LibProc:
    """libproc's and sysctl's functions with their prototypes (``libproc.h``, ``sys/sysctl.h``), bound once."""

    def __init__(self, lib: Any) -> None:
        c_int, c_void = ctypes.c_int, c_void_p
        self.pidinfo = lib.proc_pidinfo
        self.pidinfo.argtypes = (c_int, c_int, c_uint64, c_void, c_int)
        self.pidinfo.restype = c_int
        self.pidfdinfo = lib.proc_pidfdinfo
        self.pidfdinfo.argtypes = (c_int, c_int, c_int, c_void, c_int)
        self.pidfdinfo.restype = c_int
        self.listpids = lib.proc_listpids
        self.listpids.argtypes = (c_uint32, c_uint32, c_void, c_int)
        self.listpids.restype = c_int
        self.pidpath = lib.proc_pidpath
        self.pidpath.argtypes = (c_int, c_void, c_uint32)
        self.pidpath.restype = c_int
        self.sysctl = lib.sysctl
        self.sysctl.argtypes = (c_void, ctypes.c_uint, c_void, ctypes.POINTER(ctypes.c_size_t), c_void, ctypes.c_size_t)
        self.sysctl.restype = c_int
        timebase = CMachTimebaseInfo()
        lib.mach_timebase_info.argtypes = (c_void,)
        lib.mach_timebase_info(ctypes.byref(timebase))
        #: Seconds per Mach absolute time unit (1e-9 on x86_64; 125/3 ns on Apple silicon).
        self.tick = timebase.numer / timebase.denom / 1e9 if timebase.denom else 1e-9


#: The C library macres.raw loaded (bind_libproc), then its functions (_lp), each once.
_LIBRARY: list[Any] = []
_LIBPROC: list[_LibProc] = []


def bind_libproc(lib: object) -> None:
    """Give the readers libSystem, which holds libproc and sysctl (raw/_libc.py calls it with its ``LIBC``)."""
    _LIBRARY[:] = [lib]


def _lp() -> _LibProc:
    if not _LIBPROC:
        _LIBPROC.append(_LibProc(_LIBRARY[0]))
    return _LIBPROC[0]


def _proc_gone(pid: int) -> ProcessLookupError:
    return ProcessLookupError(ESRCH, f"process {pid} is gone")


def _proc_reused(pid: int) -> ProcessLookupError:
    return ProcessLookupError(ESRCH, f"process {pid} is gone (its pid now names another process)")


def _proc_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _proc_error(pid: int, what: str, err: int) -> OSError:
    """The typed error for a failed libproc or sysctl call about *pid*."""
    if err in (EPERM, EACCES):
        return PermissionError(err, f"process {pid}: reading its {what} is not permitted")
    if err == ESRCH or not _proc_exists(pid):
        return _proc_gone(pid)
    return OSError(err or EIO, f"process {pid}: {what}: {os.strerror(err or EIO)}")


def _pidinfo(pid: int, flavor: int, arg: int, buf: ctypes.Structure | ctypes.Array[Any], what: str) -> int:
    """``proc_pidinfo(pid, flavor, arg, buf, sizeof buf)``: the bytes written; typed errors."""
    size = ctypes.sizeof(buf)
    n = _lp().pidinfo(pid, flavor, arg, ctypes.byref(buf), size)
    if n <= 0:
        raise _proc_error(pid, what, ctypes.get_errno())
    return int(n)


def _bsdinfo(pid: int, ident: int | None) -> CProcBsdinfo:
    """PROC_PIDTBSDINFO (once per snapshot block), checked against *ident* unless None."""
    info = _kept(("bsdinfo", pid), lambda: _read_bsdinfo(pid))
    if ident is not None and info.pbi_start_tvsec * 1_000_000 + info.pbi_start_tvusec != ident:
        raise _proc_reused(pid)
    return info


def _read_bsdinfo(pid: int) -> CProcBsdinfo:
    info = CProcBsdinfo()
    if _pidinfo(pid, PROC_PIDTBSDINFO, 0, info, "process info") < ctypes.sizeof(info):
        raise _proc_gone(pid)
    return info


def _proc_check(pid: int, ident: int) -> CProcBsdinfo:
    """Raise ProcessLookupError unless *pid* still names the process started at *ident*."""
    return _bsdinfo(pid, ident)


def _taskallinfo(pid: int, ident: int) -> CProcTaskallinfo | None:
    """PROC_PIDTASKALLINFO (once per snapshot block) checked against *ident*; None for a zombie (it has no task left)."""
    info = _kept(("taskallinfo", pid), lambda: _read_taskallinfo(pid, ident))
    if info is None:
        return None
    bsd = info.pbsd
    if bsd.pbi_start_tvsec * 1_000_000 + bsd.pbi_start_tvusec != ident:
        raise _proc_reused(pid)
    return info


def _read_taskallinfo(pid: int, ident: int) -> CProcTaskallinfo | None:
    info = CProcTaskallinfo()
    n = _lp().pidinfo(pid, PROC_PIDTASKALLINFO, 0, ctypes.byref(info), ctypes.sizeof(info))
    if n < ctypes.sizeof(info):
        err = ctypes.get_errno()
        if _bsdinfo(pid, ident).pbi_status == SZOMB:
            return None
        raise _proc_error(pid, "task info", err)
    return info


def proc_identity(pid: int) -> int:
    """The start time of process *pid* in microseconds since the epoch (``pbi_start_tvsec``, ``pbi_start_tvusec``)."""
    info = _bsdinfo(pid, None)
    return int(info.pbi_start_tvsec * 1_000_000 + info.pbi_start_tvusec)


def proc_pidfd_identity(pidfd: int) -> tuple[int, int]:
    """darwin has no pidfds (kqueue's EVFILT_PROC watches a pid): raises OSError(ENOSYS)."""
    raise OSError(ENOSYS, f"pidfd {pidfd}: darwin has no pidfds; name the process by pid")


def _listpids(kind: int, arg: int) -> list[int]:
    lp = _lp()
    for _ in range(8):  # more processes may appear between the size query and the listing
        need = lp.listpids(kind, arg, None, 0)
        if need < 0:
            raise OSError(ctypes.get_errno(), "proc_listpids")
        count = need // 4 + 64
        buf = (ctypes.c_int32 * count)()
        got = lp.listpids(kind, arg, ctypes.byref(buf), ctypes.sizeof(buf))
        if got < 0:
            raise OSError(ctypes.get_errno(), "proc_listpids")
        if got < ctypes.sizeof(buf):
            return sorted({p for p in buf[: got // 4] if p >= 0})
    return sorted({p for p in buf if p >= 0})


def proc_pids() -> list[int]:
    """Every pid (``proc_listpids(PROC_ALL_PIDS)``), in increasing order."""
    return _listpids(PROC_ALL_PIDS, 0)


def proc_create_time(pid: int, ident: int) -> float:
    """When the process started, in seconds since the epoch (its identity)."""
    _proc_check(pid, ident)
    return ident / 1_000_000


def _procargs(pid: int, ident: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment from ``sysctl({CTL_KERN, KERN_PROCARGS2, pid})`` (once per snapshot block): argc, exec path, argv, env."""
    argv, env = _kept(("procargs", pid), lambda: _read_procargs(pid, ident))
    _proc_check(pid, ident)
    return list(argv), dict(env)


def _read_procargs(pid: int, ident: int) -> tuple[list[str], dict[str, str]]:
    lp = _lp()
    argmax = ctypes.c_int(0)
    size = ctypes.c_size_t(ctypes.sizeof(argmax))
    mib = (ctypes.c_int * 3)(CTL_KERN, KERN_ARGMAX, 0)
    if lp.sysctl(ctypes.byref(mib), 2, ctypes.byref(argmax), ctypes.byref(size), None, 0) != 0:
        raise OSError(ctypes.get_errno(), "sysctl(KERN_ARGMAX)")
    buf = ctypes.create_string_buffer(argmax.value)
    size = ctypes.c_size_t(argmax.value)
    mib = (ctypes.c_int * 3)(CTL_KERN, KERN_PROCARGS2, pid)
    if lp.sysctl(ctypes.byref(mib), 3, ctypes.byref(buf), ctypes.byref(size), None, 0) != 0:
        err = ctypes.get_errno()
        if _bsdinfo(pid, ident).pbi_status == SZOMB:
            return [], {}
        raise _proc_error(pid, "arguments", EPERM if err == EINVAL else err)
    return parse_procargs(buf.raw[: size.value])  # checked against ident by _procargs, after the read


def parse_procargs(data: bytes) -> tuple[list[str], dict[str, str]]:
    """argv and environment from a ``KERN_PROCARGS2`` buffer: int argc, exec path, NUL padding, argv, env, NUL."""
    if len(data) < 4:
        return [], {}
    argc = int.from_bytes(data[:4], "little", signed=True)  # amd64 and arm64
    end = data.find(b"\0", 4)  # the exec path, then NUL padding
    if end < 0:
        return [], {}
    pos = end
    while pos < len(data) and data[pos] == 0:
        pos += 1
    items = data[pos:].split(b"\0")
    argv = [os.fsdecode(a) for a in items[:argc]]
    env: dict[str, str] = {}
    for item in items[argc:]:
        if not item:
            break
        key, eq, value = os.fsdecode(item).partition("=")
        if eq:
            env[key] = value
    return argv, env


def proc_cmdline(pid: int, ident: int) -> list[str]:
    """The arguments (``sysctl(KERN_PROCARGS2)``); empty for a zombie."""
    return _procargs(pid, ident)[0]


def proc_environ(pid: int, ident: int) -> dict[str, str]:
    """The environment the process started with (``sysctl(KERN_PROCARGS2)``)."""
    return _procargs(pid, ident)[1]


def proc_name(pid: int, ident: int) -> str:
    """The command name (``pbi_name``, else ``pbi_comm``); when cut at 15 bytes, argv[0]'s base name it begins."""
    info = _bsdinfo(pid, ident)
    given: bytes = info.pbi_name or info.pbi_comm
    name = os.fsdecode(given)
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


def proc_exe(pid: int, ident: int) -> str | None:
    """The executable's path (``proc_pidpath``); None for a zombie."""
    buf = ctypes.create_string_buffer(PROC_PIDPATHINFO_MAXSIZE)
    n = _lp().pidpath(pid, ctypes.byref(buf), PROC_PIDPATHINFO_MAXSIZE)
    if n <= 0:
        err = ctypes.get_errno()
        if _bsdinfo(pid, ident).pbi_status == SZOMB:
            return None
        raise _proc_error(pid, "exe", err)
    _proc_check(pid, ident)
    return os.fsdecode(buf.raw[:n])


def proc_cwd(pid: int, ident: int) -> str | None:
    """The working directory (``proc_pidinfo(PROC_PIDVNODEPATHINFO)``); None for a zombie."""
    info = CProcVnodepathinfo()
    n = _lp().pidinfo(pid, PROC_PIDVNODEPATHINFO, 0, ctypes.byref(info), ctypes.sizeof(info))
    if n <= 0:
        err = ctypes.get_errno()
        if _bsdinfo(pid, ident).pbi_status == SZOMB:
            return None
        raise _proc_error(pid, "cwd", err)
    _proc_check(pid, ident)
    return os.fsdecode(info.pvi_cdir.vip_path) or None


_PROC_STATUS_NAMES: Final = {SIDL: "idle", SRUN: "running", SSLEEP: "sleeping", SSTOP: "stopped", SZOMB: "zombie"}


def proc_status(pid: int, ident: int) -> str:
    """The scheduler state as a word, from ``pbi_status``."""
    status = int(_bsdinfo(pid, ident).pbi_status)
    return _PROC_STATUS_NAMES.get(status, str(status))


def proc_ppid(pid: int, ident: int) -> int:
    """The parent's pid (``pbi_ppid``)."""
    return int(_bsdinfo(pid, ident).pbi_ppid)


def proc_ids(pid: int, ident: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(real, effective, saved) uids and gids (``pbi_ruid``, ``pbi_uid``, ``pbi_svuid`` and the gids alike)."""
    i = _bsdinfo(pid, ident)
    return (i.pbi_ruid, i.pbi_uid, i.pbi_svuid), (i.pbi_rgid, i.pbi_gid, i.pbi_svgid)


def proc_num_threads(pid: int, ident: int) -> int:
    """The number of threads (``pti_threadnum``); 0 for a zombie."""
    info = _taskallinfo(pid, ident)
    return 0 if info is None else int(info.ptinfo.pti_threadnum)


def proc_threads(pid: int, ident: int) -> list[tuple[int, float, float]]:
    """(thread id, user seconds, system seconds) of every thread (PROC_PIDLISTTHREADS, PROC_PIDTHREADINFO)."""
    count = proc_num_threads(pid, ident) + 16
    ids = (c_uint64 * count)()
    n = _pidinfo(pid, PROC_PIDLISTTHREADS, 0, ids, "threads") // 8
    out = []
    lp = _lp()
    for tid in ids[:n]:
        info = CProcThreadinfo()
        if lp.pidinfo(pid, PROC_PIDTHREADINFO, tid, ctypes.byref(info), ctypes.sizeof(info)) <= 0:
            continue  # the thread ended meanwhile
        out.append((int(tid), info.pth_user_time / 1e9, info.pth_system_time / 1e9))
    _proc_check(pid, ident)
    return out


def proc_cpu_times(pid: int, ident: int) -> tuple[float, float, float, float]:
    """User and system seconds (``pti_total_user``, ``pti_total_system``); darwin keeps no children's times per process."""
    info = _taskallinfo(pid, ident)
    if info is None:
        return 0.0, 0.0, 0.0, 0.0
    tick = _lp().tick
    return info.ptinfo.pti_total_user * tick, info.ptinfo.pti_total_system * tick, 0.0, 0.0


def proc_memory(pid: int, ident: int) -> tuple[int, int]:
    """Resident and virtual size in bytes (``pti_resident_size``, ``pti_virtual_size``); zeros for a zombie."""
    info = _taskallinfo(pid, ident)
    if info is None:
        return 0, 0
    return int(info.ptinfo.pti_resident_size), int(info.ptinfo.pti_virtual_size)


def _fdlist(pid: int) -> list[tuple[int, int]]:
    lp = _lp()
    need = lp.pidinfo(pid, PROC_PIDLISTFDS, 0, None, 0)
    if need <= 0:
        raise _proc_error(pid, "descriptors", ctypes.get_errno())
    count = need // ctypes.sizeof(CProcFdinfo) + 32
    buf = (CProcFdinfo * count)()
    n = _pidinfo(pid, PROC_PIDLISTFDS, 0, buf, "descriptors") // ctypes.sizeof(CProcFdinfo)
    return [(int(e.proc_fd), int(e.proc_fdtype)) for e in buf[:n]]


def proc_num_fds(pid: int, ident: int) -> int:
    """The number of open descriptors (``proc_pidinfo(PROC_PIDLISTFDS)``)."""
    n = len(_fdlist(pid))
    _proc_check(pid, ident)
    return n


#: vnode types (``vi_type``, ``enum vtype`` of sys/vnode.h) and descriptor types, as kinds.
_VNODE_KINDS: Final = {1: "file", 2: "directory", 3: "block-device", 4: "character-device", 5: "symlink", 6: "socket", 7: "pipe"}
_FD_KINDS: Final = {
    PROX_FDTYPE_SOCKET: "socket", PROX_FDTYPE_PSHM: "shared-memory", PROX_FDTYPE_PSEM: "semaphore",
    PROX_FDTYPE_KQUEUE: "event", PROX_FDTYPE_PIPE: "pipe", PROX_FDTYPE_FSEVENTS: "event",
}  # fmt: skip


def proc_fds(pid: int, ident: int) -> list[tuple[int, str, str | None]]:
    """(descriptor, kind, path or None) of every open descriptor (PROC_PIDLISTFDS, ``proc_pidfdinfo(PROC_PIDFDVNODEPATHINFO)``)."""
    lp = _lp()
    out: list[tuple[int, str, str | None]] = []
    for fd, fdtype in sorted(_fdlist(pid)):
        if fdtype != PROX_FDTYPE_VNODE:
            out.append((fd, _FD_KINDS.get(fdtype, "other"), None))
            continue
        info = CVnodeFdinfowithpath()
        if lp.pidfdinfo(pid, fd, PROC_PIDFDVNODEPATHINFO, ctypes.byref(info), ctypes.sizeof(info)) <= 0:
            err = ctypes.get_errno()
            if err == EBADF:  # closed meanwhile
                continue
            raise _proc_error(pid, "descriptors", err)
        path = os.fsdecode(info.pvip.vip_path) or None
        out.append((fd, _VNODE_KINDS.get(info.pvip.vip_vi.vi_type, "other"), path))
    _proc_check(pid, ident)
    return out


def proc_table() -> list[tuple[int, int, int]]:
    """(pid, parent's pid, identity) of every process (``proc_listpids``, then PROC_PIDTBSDINFO of each)."""
    table = []
    for other in proc_pids():
        try:
            info = _bsdinfo(other, None)
        except (ProcessLookupError, PermissionError):
            continue
        table.append((other, int(info.pbi_ppid), int(info.pbi_start_tvsec * 1_000_000 + info.pbi_start_tvusec)))
    return table


def proc_children(pid: int, ident: int) -> list[tuple[int, int]]:
    """(pid, identity) of every process whose parent is *pid* (``proc_listpids(PROC_PPID_ONLY, pid)``)."""
    kids = []
    for other in _listpids(PROC_PPID_ONLY, pid):
        try:
            info = _bsdinfo(other, None)
        except (ProcessLookupError, PermissionError):
            continue
        start = int(info.pbi_start_tvsec * 1_000_000 + info.pbi_start_tvusec)
        if info.pbi_ppid == pid and start >= ident:
            kids.append((other, start))
    _proc_check(pid, ident)
    return kids
