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

import ctypes
import itertools
import errno as _errno
import select as _select
import socket as _stdsocket
import struct
import sys
from collections.abc import Iterable, Sequence
from ctypes import byref, c_char, c_int, c_size_t, c_ssize_t, c_uint32, c_void_p
from typing import Final

from typing_extensions import Buffer

from .._errors import oserror
from . import _args, _sockaddr
from ._errcheck import check_int
from ._registry import compiled
from ._libc import function
from ._platform import abi
from ._sockaddr import Address, AddressArg, address_family, decode_sockaddr, encode_sockaddr

__all__ = [
    "Address", "AddressArg", "CMSG_LEN", "CMSG_SPACE", "accept", "accept_into", "address_family", "decode_sockaddr", "encode_sockaddr", "bind", "connect", "getpeername", "getsockname",
    "getsockopt", "listen", "recvfrom", "recvmsg", "recvmsg_kept_control", "sendmsg", "sendto", "setsockopt",
    "shutdown", "socket", "socketpair",
]  # fmt: skip

_socklen_t = c_uint32
_no_retry = lambda f: check_int(f, retry=False)  # noqa: E731
_socket = function("socket", c_int, (c_int, c_int, c_int), check_int)
_socketpair = function("socketpair", c_int, (c_int, c_int, c_int, c_void_p), check_int)
_bind = function("bind", c_int, (c_int, c_void_p, _socklen_t), check_int)
_connect = function("connect", c_int, (c_int, c_void_p, _socklen_t), _no_retry)
_accept = function("accept", c_int, (c_int, c_void_p, c_void_p), check_int)
#: Linux's accept with flags (a helper symbol outside the binding table; darwin has none).
_accept4 = function("accept4", c_int, (c_int, c_void_p, c_void_p, c_int), check_int)
#: Unchecked twins for accept_into: their result reaches a list inside the C call.
_accept_plain = function("accept", c_int, (c_int, c_void_p, c_void_p), None)
_accept4_plain = function("accept4", c_int, (c_int, c_void_p, c_void_p, c_int), None)
_listen = function("listen", c_int, (c_int, c_int), check_int)
_shutdown = function("shutdown", c_int, (c_int, c_int), check_int)
_getsockname = function("getsockname", c_int, (c_int, c_void_p, c_void_p), check_int)
_getpeername = function("getpeername", c_int, (c_int, c_void_p, c_void_p), check_int)
_getsockopt = function("getsockopt", c_int, (c_int, c_int, c_int, c_void_p, c_void_p), check_int)
_setsockopt = function("setsockopt", c_int, (c_int, c_int, c_int, c_void_p, _socklen_t), check_int)
_recvfrom = function(
    "recvfrom", c_ssize_t, (c_int, c_void_p, c_size_t, c_int, c_void_p, c_void_p), check_int
)
_sendto = function("sendto", c_ssize_t, (c_int, c_void_p, c_size_t, c_int, c_void_p, _socklen_t), check_int)
_recvmsg = function("recvmsg", c_ssize_t, (c_int, c_void_p, c_int), check_int)
_sendmsg = function("sendmsg", c_ssize_t, (c_int, c_void_p, c_int), check_int)



class _Borrowed(_stdsocket.socket):
    """A stdlib socket object over a descriptor it does not own, for CPython's setsockopt and send.

    A ctypes call costs about 0.8 us here and CPython's ``setsockopt`` 0.3 us,
    for the same libc call.  The object never closes its descriptor: its
    finalizer (which for a stdlib socket closes) does nothing, and nothing
    calls ``close``.  Only the descriptor number is used by those two
    methods, so one object per number serves whatever socket has it now.
    """

    __slots__ = ()

    def __del__(self) -> None:  # the stdlib's finalizer would close the descriptor
        pass


_from_bytes = int.from_bytes
_NATIVE: Final = sys.byteorder
_AF_UNIX: Final = int(_stdsocket.AF_UNIX)
_SOCK_STREAM: Final = int(_stdsocket.SOCK_STREAM)
#: descriptor number -> its borrowed stdlib socket object (bounded by the fd table).
_BORROWED: dict[int, _Borrowed] = {}
_FD_MAX: Final = _args.INT_MAX
#: send(2) and setsockopt(2) as CPython makes them, called on a borrowed
#: object: module-level call sites (macres.testing.faults arms them).
_socket_send = _stdsocket.socket.send
_socket_setsockopt = _stdsocket.socket.setsockopt


def _borrow(fd: int) -> _Borrowed | None:
    """The borrowed object for *fd* (0 <= fd <= INT_MAX), made on first use; None to use ctypes.

    Making one with a family, type and protocol given changes nothing on the
    descriptor (CPython may check that it is a socket: on a non-socket, None,
    and ctypes serves, checking the other arguments before the kernel says
    ENOTSOCK), unless ``socket.setdefaulttimeout`` is set: then it would
    switch the descriptor to non-blocking, so ctypes serves instead.
    """
    sock = _BORROWED.get(fd)
    if sock is None:
        if _stdsocket.getdefaulttimeout() is not None:
            return None
        try:
            made = _Borrowed(_AF_UNIX, _SOCK_STREAM, 0, fd)
        except OSError:  # not a socket (or not open)
            return None
        sock = _BORROWED.setdefault(fd, made)
    return sock


def stdlib_socket(fd: int) -> _stdsocket.socket | None:
    """The borrowed stdlib socket object for descriptor *fd*, or None where ctypes must serve.

    For :mod:`macres.sockopt`, which calls its ``getsockopt``/``setsockopt``
    int forms directly on the hot path (CPython's int form of getsockopt
    passes a zeroed C int, as a zeroed 4-byte buffer would be).  The object
    must not be closed, detached or given away.
    """
    if fd.__class__ is int and 0 <= fd <= _FD_MAX:
        return _BORROWED.get(fd) or _borrow(fd)
    return None


#: The largest ``socklen_t`` value passed to the kernel.
_SOCKLEN_MAX: Final = (1 << 31) - 1
_STORAGE_SIZE: Final = _sockaddr.STORAGE_SIZE
_SOL_SOCKET: Final = int(abi.SOL_SOCKET)
_SO_ERROR: Final = int(abi.SO_ERROR)

# -- control messages: CMSG_ALIGN is 8 on Linux, 4 on darwin ---------------
_ALIGN: Final = abi.CMSG_ALIGNMENT
_CMSG_HDR: Final = ctypes.sizeof(abi.CCmsghdr)


def _cmsg_align(n: int) -> int:
    return (n + _ALIGN - 1) & ~(_ALIGN - 1)


_CMSG_DATA: Final = _cmsg_align(_CMSG_HDR)


def CMSG_LEN(length: int) -> int:
    """``CMSG_LEN(length)``: ``cmsg_len`` of a control message carrying *length* data bytes.

    Raises:
        ValueError: *length* is negative.  OverflowError: the result exceeds socklen_t.
    """
    return _socklen(_CMSG_DATA + _args.size(length, "length"), "control message length")


def CMSG_SPACE(length: int) -> int:
    """``CMSG_SPACE(length)``: buffer bytes a control message with *length* data bytes occupies.

    Raises:
        ValueError: *length* is negative.  OverflowError: the result exceeds socklen_t.
    """
    return _socklen(_CMSG_DATA + _cmsg_align(_args.size(length, "length")), "control message space")


def _socklen(n: int, what: str) -> int:
    if n > _SOCKLEN_MAX:
        raise OverflowError(f"{what} {n} does not fit socklen_t")
    return n


def _address(family: int, address: AddressArg) -> tuple[object, int]:
    sa, length = _sockaddr.encode(family, address)
    return byref(sa), length


def socket(domain: int, type: int, protocol: int = 0) -> int:
    """``socket(domain, type, protocol)``: create a socket and return its descriptor.

    No close-on-exec flag is added: *type* is the caller's (``SOCK_CLOEXEC``
    and ``SOCK_NONBLOCK`` may be or-ed in on Linux).

    Raises:
        OSError: EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE, EACCES.  OverflowError: an int out of range.
    """
    return _socket(  # type: ignore[no-any-return]
        _args.c_int(domain, "domain"), _args.c_int(type, "type"), _args.c_int(protocol, "protocol")
    )


def socketpair(domain: int, type: int, protocol: int = 0) -> tuple[int, int]:
    """``socketpair(domain, type, protocol, socket_vector)``: return two connected descriptors.

    Raises:
        OSError: EAFNOSUPPORT (only AF_UNIX makes pairs), EMFILE.  OverflowError: an int out of range.
    """
    fds = (c_int * 2)()
    _socketpair(_args.c_int(domain, "domain"), _args.c_int(type, "type"), _args.c_int(protocol, "protocol"), fds)
    return fds[0], fds[1]


def bind(fd: int, family: int, address: AddressArg) -> None:
    """``bind(socket, address, address_len)``: give the socket *address* of *family*.

    *family* decides the address form (see :mod:`macres.raw` socket notes):
    ``(host, port)`` for AF_INET, ``(host, port[, flowinfo, scope_id])`` for
    AF_INET6, a path for AF_UNIX; hosts must be numeric.

    Raises:
        OSError: EADDRINUSE, EACCES, EINVAL (already bound).
        TypeError, ValueError, OverflowError: a bad address, before the call.
    """
    fd = _args.c_int(fd, "fd")
    ptr, length = _address(family, address)
    _bind(fd, ptr, length)


def connect(fd: int, family: int, address: AddressArg) -> None:
    """``connect(socket, address, address_len)``: connect to *address* of *family*.

    AF_UNSPEC with ``None`` dissolves a datagram socket's association.
    EINTR: PEP 475 assumes the connection goes on in the kernel, which holds
    for TCP but not for a Linux AF_UNIX connect (abandoned, the socket left
    unconnected).  So the binding calls connect again: success or EISCONN
    means connected; EALREADY/EINPROGRESS means in progress, and it waits
    until the socket is writable and reports ``SO_ERROR``.

    Raises:
        OSError: ECONNREFUSED, ETIMEDOUT, ENOENT (AF_UNIX), EINPROGRESS
        (``BlockingIOError``, non-blocking sockets), EISCONN.
        TypeError, ValueError, OverflowError: a bad address, before the call.
    """
    fd = _args.c_int(fd, "fd")
    ptr, length = _address(family, address)
    try:
        _connect(fd, ptr, length)
        return
    except InterruptedError:
        pass
    while True:  # Python code runs between attempts: signal handlers run, and may raise
        try:
            _connect(fd, ptr, length)
            return
        except InterruptedError:
            continue
        except OSError as exc:
            if exc.errno == _errno.EISCONN:
                return
            if exc.errno not in (_errno.EALREADY, _errno.EINPROGRESS):
                raise
        _finish_connect(fd)
        return


def _finish_connect(fd: int) -> None:
    poller = _select.poll()
    poller.register(fd, _select.POLLOUT)
    poller.poll()  # PEP 475: retried on EINTR by the stdlib
    err = bytearray(4)
    getsockopt(fd, _SOL_SOCKET, _SO_ERROR, err)
    (code,) = struct.unpack("i", err)
    if code:
        raise oserror(code)


def accept(fd: int, flags: int = 0) -> tuple[int, Address | None]:
    """``accept(socket, address, address_len)``: return ``(new_fd, peer address)``.

    The new descriptor is inheritable, as in C, unless *flags* say
    otherwise: non-zero *flags* (``SOCK_CLOEXEC``, ``SOCK_NONBLOCK``) make
    the call Linux's ``accept4(socket, address, address_len, flags)``, which
    sets them atomically.  darwin has no accept4 (``ABI.ATOMIC_SOCK_CLOEXEC``
    is 0 there, and *flags* 0 is plain accept).  The address is in the
    stdlib's form for the listening socket's family (``""`` for an unnamed
    AF_UNIX peer).

    Raises:
        OSError: EAGAIN (``BlockingIOError``), EINVAL (not listening, or bad
        *flags*), EMFILE, ECONNABORTED.
        UnsupportedOperation: non-zero *flags* where there is no accept4 (darwin).
        OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    sa = _sockaddr.storage()
    length = _socklen_t(_STORAGE_SIZE)
    new = _accept4(fd, byref(sa), byref(length), flags) if flags else _accept(fd, byref(sa), byref(length))
    return new, _sockaddr.decode(sa, length.value)


def accept_into(fd: int, box: list[int], flags: int = 0) -> Address | None:
    """:func:`accept` whose new descriptor is appended to *box* inside the C call; return the peer address.

    The ``accept``/``accept4`` call runs through ``box.extend`` with no
    Python code between the kernel's answer and the list, so an exception
    raised by a signal handler (KeyboardInterrupt) finds the descriptor in
    *box* or not accepted at all: the caller closes what *box* holds if it
    does not take it.  EINTR is retried; *flags* as in :func:`accept`.

    Raises:
        OSError: as :func:`accept`.  UnsupportedOperation: non-zero *flags* on darwin.
        OverflowError: an int out of range.
    """
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    sa = _sockaddr.storage()
    length = _socklen_t(_STORAGE_SIZE)
    call, args = (
        (_accept4_plain, (fd, byref(sa), byref(length), flags)) if flags else (_accept_plain, (fd, byref(sa), byref(length)))
    )
    try:
        while True:
            box.extend(itertools.starmap(call, (args,)))
            if box[-1] != -1:
                return _sockaddr.decode(sa, length.value)
            box.pop()
            err = ctypes.get_errno()
            if err != _errno.EINTR:
                raise oserror(err)
    except BaseException:
        if box and box[-1] == -1:  # a failed call's answer, not a descriptor
            box.pop()
        raise


def listen(fd: int, backlog: int) -> None:
    """``listen(socket, backlog)``: mark the socket as accepting connections.

    Raises:
        OSError: EOPNOTSUPP, EINVAL, EDESTADDRREQ.  OverflowError: an int out of range.
    """
    _listen(_args.c_int(fd, "fd"), _args.c_int(backlog, "backlog"))


def shutdown(fd: int, how: int) -> None:
    """``shutdown(socket, how)``: stop receiving (SHUT_RD), sending (SHUT_WR) or both.

    Raises:
        OSError: ENOTCONN, EINVAL, ENOTSOCK.  OverflowError: an int out of range.
    """
    _shutdown(_args.c_int(fd, "fd"), _args.c_int(how, "how"))


def getsockname(fd: int) -> Address | None:
    """``getsockname(socket, address, address_len)``: the socket's own address, stdlib form.

    Raises:
        OSError: ENOTSOCK, EBADF.
    """
    sa = _sockaddr.storage()
    length = _socklen_t(_STORAGE_SIZE)
    _getsockname(_args.c_int(fd, "fd"), byref(sa), byref(length))
    return _sockaddr.decode(sa, length.value)


def getpeername(fd: int) -> Address | None:
    """``getpeername(socket, address, address_len)``: the connected peer's address, stdlib form.

    Raises:
        OSError: ENOTCONN, ENOTSOCK, EBADF.
    """
    sa = _sockaddr.storage()
    length = _socklen_t(_STORAGE_SIZE)
    _getpeername(_args.c_int(fd, "fd"), byref(sa), byref(length))
    return _sockaddr.decode(sa, length.value)


@compiled
def getsockopt(fd: int, level: int, name: int, buf: Buffer) -> int:
    """``getsockopt(socket, level, option_name, option_value, option_len)``.

    Fills the writable *buf* (``option_len`` starts as its length) and
    returns the length the kernel reported, which never exceeds the
    buffer's (the kernel truncates a longer value).  The kernel sees the
    buffer's contents (some options read their query from it).

    Raises:
        OSError: ENOPROTOOPT for an unknown option, ENOTSOCK, EBADF, EINVAL.
        TypeError: *buf* is read-only.  OverflowError: an int out of range.
    """
    # Not CPython's getsockopt: the kernel reads the buffer's contents for some
    # options (IPV6_FLOWLABEL_MGR, the netfilter queries), and CPython passes
    # an uninitialised buffer of its own where this passes *buf*.
    fd = _args.c_int(fd, "fd")
    level = _args.c_int(level, "level")
    name = _args.c_int(name, "option name")
    ptr: object
    if type(buf) is bytearray:  # without the memoryview checks
        n = len(buf)
        ptr = byref(c_char.from_buffer(buf)) if n else None
    else:
        cbuf, n = _args.wbuffer(buf)
        ptr = cbuf if n else None
    optlen = _socklen_t(_socklen(n, "buffer length"))
    _getsockopt(fd, level, name, ptr, byref(optlen))
    return min(optlen.value, n)


@compiled
def setsockopt(fd: int, level: int, name: int, value: Buffer) -> None:
    """``setsockopt(socket, level, option_name, option_value, option_len)``.

    *value* is the option's bytes (an ``int`` option is a 4-byte C int in
    native byte order: ``struct.pack("i", v)`` or a ``ctypes.c_int``).
    Non-empty ``bytes`` go through CPython's ``socket.setsockopt``, the
    same call without ctypes' cost.

    Raises:
        OSError: ENOPROTOOPT, EINVAL (wrong length or value), EPERM, ENOTSOCK, EBADF.
        TypeError: *value* is not a buffer.  OverflowError: an int out of range.
    """
    if fd.__class__ is int and 0 <= fd <= _FD_MAX and type(value) is bytes and value:  # the common case
        sock = _BORROWED.get(fd) or _borrow(fd)
        if sock is not None:  # CPython's call (it range-checks level and name)
            if len(value) == 4:  # a C int: CPython's int form passes the same 4 bytes, without
                # first failing to parse an int (which builds and drops a TypeError)
                _socket_setsockopt(sock, level, name, _from_bytes(value, _NATIVE, signed=True))
            else:
                _socket_setsockopt(sock, level, name, value)
            return
    fd = _args.c_int(fd, "fd")
    level = _args.c_int(level, "level")
    name = _args.c_int(name, "option name")
    ptr, n = _args.rbuffer(value)
    _setsockopt(fd, level, name, ptr if n else None, _socklen(n, "option length"))


@compiled
def recvfrom(fd: int, buf: Buffer, flags: int = 0, nbytes: int | None = None) -> tuple[int, Address | None]:
    """``recvfrom(socket, buffer, length, flags, address, address_len)``.

    Receives into the writable *buf* (at most *nbytes*, default its length)
    and returns ``(count, sender address)``; the address is None when the
    kernel reports none (a connected stream socket).

    Raises:
        OSError: EAGAIN (``BlockingIOError``), ECONNRESET, ENOTCONN.
        TypeError: *buf* is read-only.  ValueError: *buf* is smaller than *nbytes*.
    """
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    cbuf, n = _args.wbuffer(buf, nbytes)
    sa = _sockaddr.storage()
    length = _socklen_t(_STORAGE_SIZE)
    count: int = _recvfrom(fd, cbuf, n, flags, byref(sa), byref(length))
    return count, _sockaddr.decode(sa, length.value)


@compiled
def sendto(fd: int, data: Buffer, flags: int = 0, family: int = 0, address: AddressArg = None) -> int:
    """``sendto(socket, buffer, length, flags, dest_addr, dest_len)``: return the count sent.

    With *address* None no destination is passed (a connected socket);
    otherwise *family* decides the address form, as for :func:`bind`.

    Raises:
        OSError: EAGAIN (``BlockingIOError``), EPIPE, EMSGSIZE, EDESTADDRREQ, EISCONN.
        TypeError, ValueError, OverflowError: a bad address, before the call.
    """
    if address is None and fd.__class__ is int and 0 <= fd <= _FD_MAX:
        # No destination: CPython's send(2) on the borrowed object is the same
        # call as sendto(fd, buf, len, flags, NULL, 0), without ctypes' cost.
        sock = _BORROWED.get(fd) or _borrow(fd)
        if sock is not None:
            try:
                return _socket_send(sock, data, flags)
            except BufferError:  # not contiguous: reported below as ever
                pass
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    if address is None:
        ptr: object = None
        length = 0
    else:
        ptr, length = _address(family, address)
    if type(data) is bytes:
        return _sendto(fd, data, len(data), flags, ptr, length)  # type: ignore[no-any-return]
    cbuf, n = _args.rbuffer(data)
    return _sendto(fd, cbuf, n, flags, ptr, length)  # type: ignore[no-any-return]


def _iovec(buffers: tuple[Buffer, ...], writable: bool, keep: list[object]) -> ctypes.Array[abi.CIovec]:
    """The iovec array of *buffers* (the caller's one snapshot); *keep* holds the exports alive."""
    iov = (abi.CIovec * _args.c_int(len(buffers), "buffer count"))()
    for i, data in enumerate(buffers):
        ptr: object
        if writable:
            ptr, length = _args.wbuffer(data)
        else:
            raw, length = _args.rbuffer(data)
            ptr = ctypes.c_char_p(raw) if isinstance(raw, bytes) else raw
        keep.append(ptr)
        iov[i].iov_base = ctypes.cast(ptr, c_void_p)
        iov[i].iov_len = length
    return iov


def _control(ancdata: Iterable[tuple[int, int, Buffer]]) -> bytearray:
    items = []
    for item in ancdata:
        if not isinstance(item, tuple) or len(item) != 3:
            raise TypeError("ancillary data items must be (level, type, data) tuples")
        level, kind, data = item
        view = memoryview(data)
        if not view.c_contiguous:
            raise ValueError("ancillary data must be C-contiguous")
        items.append((_args.c_int(level, "cmsg_level"), _args.c_int(kind, "cmsg_type"), view.cast("B")))
    total = 0
    for _, _, view in items:
        total = _socklen(total + CMSG_SPACE(len(view)), "ancillary data size")
    control = bytearray(total)
    offset = 0
    for level, kind, view in items:
        hdr = abi.CCmsghdr.from_buffer(control, offset)
        hdr.cmsg_len = CMSG_LEN(len(view))
        hdr.cmsg_level = level
        hdr.cmsg_type = kind
        del hdr
        start = offset + _CMSG_DATA
        control[start : start + len(view)] = view
        offset += CMSG_SPACE(len(view))
    return control


def _parse_control(control: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    offset = 0
    end = len(control)
    while offset + _CMSG_HDR <= end:
        hdr = abi.CCmsghdr.from_buffer_copy(control, offset)
        clen = hdr.cmsg_len
        if clen < _CMSG_HDR:
            break
        stop = min(offset + clen, end)
        out.append((hdr.cmsg_level, hdr.cmsg_type, control[offset + _CMSG_DATA : stop]))
        offset += _cmsg_align(clen)
    return out


def recvmsg_kept_control(keep: list[object]) -> list[tuple[int, int, bytes]]:
    """recvmsg_kept_control: the ``(cmsg_level, cmsg_type, data)`` items the kernel wrote into the control buffer :func:`recvmsg` put in *keep*.

    Empty when *keep* is, when the call did not happen or failed (the
    buffer starts zeroed), or when no control message arrived.  Parsing
    the same *keep* twice gives the same items: the caller closes the
    descriptors once.  Never fails on a *keep* :func:`recvmsg` filled.
    """
    if not keep:
        return []
    msg, ctrl, ancbufsize = keep
    if not isinstance(msg, abi.CMsghdr) or not isinstance(ctrl, ctypes.Array) or not isinstance(ancbufsize, int):
        raise TypeError("keep is not a list recvmsg filled")
    used = min(msg.msg_controllen, ancbufsize)
    return _parse_control(ctypes.string_at(ctypes.addressof(ctrl), used)) if used else []


def sendmsg(
    fd: int,
    buffers: Sequence[Buffer],
    ancdata: Iterable[tuple[int, int, Buffer]] = (),
    flags: int = 0,
    family: int = 0,
    address: AddressArg = None,
) -> int:
    """``sendmsg(socket, message, flags)``: send *buffers* gathered, with ancillary data.

    *ancdata* holds ``(cmsg_level, cmsg_type, data)`` items, each laid out
    with ``CMSG_SPACE`` padding (``(SOL_SOCKET, SCM_RIGHTS,
    array("i", fds))`` passes descriptors).  *family*/*address* name a
    destination as for :func:`sendto`.  Returns the count of data bytes sent.
    *buffers* and *ancdata* are read once, into a snapshot, before anything
    else: a list that changes meanwhile (another thread, an ``__index__``
    hook of another argument) cannot make the kernel read past what was
    measured.

    Raises:
        OSError: EAGAIN (``BlockingIOError``), EMSGSIZE (too many buffers), EBADF
        (a bad descriptor in SCM_RIGHTS), EPIPE.
        TypeError, ValueError, OverflowError: a bad buffer, item or address, before the call.
    """
    # One snapshot of each sequence, before any hook can run: the lists may change under us.
    bufs, items = tuple(buffers), tuple(ancdata)
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    keep: list[object] = []
    msg = abi.CMsghdr()
    if address is not None:
        sa, length = _sockaddr.encode(family, address)
        keep.append(sa)
        msg.msg_name = ctypes.addressof(sa)
        msg.msg_namelen = length
    iov = _iovec(bufs, False, keep)
    msg.msg_iov = iov
    msg.msg_iovlen = len(iov)
    control = _control(items)
    if control:
        cbuf = (ctypes.c_char * len(control)).from_buffer(control)
        keep.append(cbuf)
        msg.msg_control = ctypes.addressof(cbuf)
        msg.msg_controllen = len(control)
    return _sendmsg(fd, byref(msg), flags)  # type: ignore[no-any-return]


def recvmsg(
    fd: int, buffers: Sequence[Buffer], ancbufsize: int = 0, flags: int = 0, control: list[object] | None = None
) -> tuple[int, list[tuple[int, int, bytes]], int, Address | None]:
    """``recvmsg(socket, message, flags)``: receive into the writable *buffers* (scatter).

    Returns ``(count, ancdata, msg_flags, address)`` like the stdlib's
    ``recvmsg_into``: *ancdata* is a list of ``(cmsg_level, cmsg_type,
    data)`` read from a control buffer of *ancbufsize* bytes (use
    :func:`CMSG_SPACE` to size it); ``msg_flags`` has ``MSG_CTRUNC`` when it
    was too small, ``MSG_TRUNC`` when a datagram was cut.

    Descriptors received with ``SCM_RIGHTS`` are open in this process: the
    caller owns every number in the returned data and must close them.
    *buffers* is read once, into a snapshot, before the call (see :func:`sendmsg`).

    *control*, a list, receives before the call the message header and the
    control buffer the kernel writes into: when an exception (one raised
    by a signal handler) cuts the way from the kernel's answer to the
    caller's bookkeeping, :func:`recvmsg_kept_control` reads from *control*
    the control messages that did arrive, so that the caller can close
    the descriptors in them.

    Raises:
        OSError: EAGAIN (``BlockingIOError``), ECONNRESET, EMSGSIZE (too many buffers).
        TypeError: a read-only buffer.  ValueError: *ancbufsize* negative.
    """
    bufs = tuple(buffers)  # one snapshot, before any hook can run: the list may change under us
    fd = _args.c_int(fd, "fd")
    flags = _args.c_int(flags, "flags")
    ancbufsize = _socklen(_args.size(ancbufsize, "ancbufsize"), "ancbufsize")
    keep: list[object] = []
    msg = abi.CMsghdr()
    sa = _sockaddr.storage()
    msg.msg_name = ctypes.addressof(sa)
    msg.msg_namelen = _STORAGE_SIZE
    iov = _iovec(bufs, True, keep)
    msg.msg_iov = iov
    msg.msg_iovlen = len(iov)
    ctrl = (c_size_t * ((ancbufsize + 7) // 8))()  # aligned for any cmsghdr; zeros: no message
    if ancbufsize:
        msg.msg_control = ctypes.addressof(ctrl)
        msg.msg_controllen = ancbufsize
    if control is not None:
        control[:] = (msg, ctrl, ancbufsize)  # one C call: a failed or retried call leaves zeros
    count: int = _recvmsg(fd, byref(msg), flags)
    used = min(msg.msg_controllen, ancbufsize) if ancbufsize else 0
    ancdata = _parse_control(ctypes.string_at(ctypes.addressof(ctrl), used)) if used else []
    return count, ancdata, msg.msg_flags, _sockaddr.decode(sa, msg.msg_namelen)
