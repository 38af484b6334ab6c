"""Bindings of the socket area: socket, bind, connect, accept, send/recv, sendmsg/recvmsg, options.

Addresses cross this layer in the stdlib's Python forms (see
:mod:`._sockaddr`): ``(host, port)`` for ``AF_INET``, ``(host, port,
flowinfo, scope_id)`` for ``AF_INET6``, a ``str``/``bytes`` path for
``AF_UNIX``.  A call that takes an address also takes the address family
explicitly (``bind(fd, family, address)``), as C does through
``sa_family``: the family decides the form, so a wrong form is a
``TypeError``/``ValueError`` raised before any call.  Hosts are numeric
only; resolving names is the object layer's business.
"""

from __future__ import annotations

from ctypes import byref, c_int, c_uint32, c_void_p

from typing_extensions import Buffer

from . import _args
from ._errcheck import check_int
from ._libc import function

__all__ = ["getsockopt", "setsockopt"]

_socklen_t = c_uint32
_getsockopt = function("getsockopt", c_int, (c_int, c_int, c_int, c_void_p, c_void_p), check_int)
_setsockopt = function("setsockopt", c_int, (c_int, c_int, c_int, c_void_p, _socklen_t), check_int)

#: The largest ``socklen_t`` value passed to the kernel.
_SOCKLEN_MAX = (1 << 31) - 1


def _socklen(n: int, what: str) -> int:
    if n > _SOCKLEN_MAX:
        raise OverflowError(f"{what} {n} does not fit socklen_t")
    return n


def getsockopt(fd: int, level: int, name: int, buf: Buffer) -> int:
    """``getsockopt(socket, level, option_name, option_value, option_len)``.

    Fills the writable *buf* (``option_len`` starts as its length) and
    returns the length the kernel reported, which never exceeds the
    buffer's (the kernel truncates a longer value).

    Raises:
        OSError: ENOPROTOOPT for an unknown option, ENOTSOCK, EBADF, EINVAL.
        TypeError: *buf* is read-only.  OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    level = _args.c_int(level, "level")
    name = _args.c_int(name, "option name")
    cbuf, n = _args.wbuffer(buf)
    optlen = _socklen_t(_socklen(n, "buffer length"))
    _getsockopt(fd, level, name, cbuf if n else None, byref(optlen))
    return min(optlen.value, n)


def setsockopt(fd: int, level: int, name: int, value: Buffer) -> None:
    """``setsockopt(socket, level, option_name, option_value, option_len)``.

    *value* is the option's bytes (an ``int`` option is a 4-byte C int in
    native byte order: ``struct.pack("i", v)`` or a ``ctypes.c_int``).

    Raises:
        OSError: ENOPROTOOPT, EINVAL (wrong length or value), EPERM, ENOTSOCK, EBADF.
        TypeError: *value* is not a buffer.  OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    level = _args.c_int(level, "level")
    name = _args.c_int(name, "option name")
    ptr, n = _args.rbuffer(value)
    _setsockopt(fd, level, name, ptr if n else None, _socklen(n, "option length"))
