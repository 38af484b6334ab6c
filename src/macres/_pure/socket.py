"""Socket's hot calls and typed int/bool options, in Python: the reference of ``_core_socket.c``.

Timeouts follow the stdlib: ``_timeout`` None blocks in the kernel, 0.0
never waits (BlockingIOError), a positive number keeps the descriptor
non-blocking and waits with ``poll(2)`` until a deadline.  An operation
that fails once ``close()`` began (a blocked call woken by its shutdown)
raises ClosedResourceError chained to the OSError (:meth:`Handle._call`).

Each method checks its arguments, then runs one function through
``_call``; the functions below take the descriptor first.
"""

from __future__ import annotations

import errno
import operator
import os
import _socket as _socket_module
import socket as _stdsocket
import time
from collections.abc import Callable
from typing import Any, ClassVar, Final, TypeVar

from typing_extensions import Buffer, Self

from .. import raw
from .._poll import wait as _wait_ready
from ..raw import Address
from ..raw import INT_MAX, INT_MIN, UINT_MAX
from .fd import IO_MAX, c_int, readable, ssize, writable
from .handle import FdHandle

__all__ = ["SockOptSpec", "SocketBase"]

T = TypeVar("T")

_MAX_OPTLEN: Final = 1 << 16
#: Timeouts are shorter than this many seconds, as the stdlib's (2**63 ns).
_TIMEOUT_LIMIT: Final = 2.0**63 / 1e9
#: SOCK_CLOEXEC where accept4 sets it atomically (Linux), else 0.
_SOCK_CLOEXEC: Final = int(raw.ABI.ATOMIC_SOCK_CLOEXEC)
_EAGAIN: Final = (errno.EAGAIN, errno.EWOULDBLOCK)
_SHUT_RDWR: Final = int(raw.ABI.SHUT_RDWR)
_raw_recvfrom = raw.recvfrom
_raw_sendto = raw.sendto
_raw_getsockopt = raw.getsockopt
_raw_setsockopt = raw.setsockopt
_raw_shutdown = raw.shutdown
_getdefaulttimeout = _stdsocket.getdefaulttimeout

# The kinds of SockOptSpec.fast (as in the compiled core).
OPT_SLOW: Final = 0
OPT_INT: Final = 1
OPT_FD: Final = 2
OPT_UINT: Final = 3
OPT_BOOL: Final = 4
_RANGES: Final[dict[int, tuple[str, int, int]]] = {
    OPT_INT: ("int", INT_MIN, INT_MAX),
    OPT_FD: ("fd", 0, INT_MAX),
    OPT_UINT: ("uint", 0, UINT_MAX),
}


class SockOptSpec:
    """What the socket calls need of a typed option (the compiled core keeps it in C fields)."""

    __slots__ = ("_spec",)

    _spec: tuple[int, int, int, bool, bool, bool]

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = object.__new__(cls)
        object.__setattr__(self, "_spec", (0, 0, OPT_SLOW, False, False, False))
        return self

    def _bind_spec(self, level: int, number: int, fast: int, readable: bool, writable: bool, available: bool) -> None:
        """Record what Socket.getsockopt/setsockopt need to serve this option directly.

        *fast* is 0 (the option's codec decides), 1 int, 2 fd, 3 uint, 4 bool.

        Raises:
            ValueError: an unknown *fast* kind.
        """
        if not OPT_SLOW <= fast <= OPT_BOOL:
            raise ValueError("unknown fast-path kind")
        object.__setattr__(self, "_spec", (level, number, fast, bool(readable), bool(writable), bool(available)))

    def get(self, fd: int) -> Any:  # the typed option's own codec (SockOpt overrides)
        raise NotImplementedError

    def set(self, fd: int, value: Any) -> None:  # SockOpt's name, though it shadows the builtin
        raise NotImplementedError


def _decode_int(data: bytes, fast: int) -> int | bool:
    """An int/bool option's value from the bytes the kernel returned (see the int codecs)."""
    n = len(data)
    if n == 0:
        ctype = "bool" if fast == OPT_BOOL else _RANGES[fast][0]
        raise OSError(errno.EPROTO, f"getsockopt returned 0 bytes, a {ctype} needs {1 if fast == OPT_BOOL else 4}")
    if fast == OPT_BOOL:
        return any(data)
    if n >= 4:
        return int.from_bytes(data[:4], "little", signed=fast != OPT_UINT)
    return int.from_bytes(data, "little")  # a shorter answer (a u8 for IP_TOS): unsigned


def _encode_int(value: object, fast: int) -> bytes:
    """The 4 bytes of an int/bool option's value, after the codec's checks."""
    if fast == OPT_BOOL:
        if not isinstance(value, bool):
            raise TypeError(f"a bool option takes True or False, not {type(value).__name__}")
        return int(value).to_bytes(4, "little")
    ctype, lo, hi = _RANGES[fast]
    if not isinstance(value, int) and not hasattr(type(value), "__index__"):
        raise TypeError(f"{ctype} option value must be an int, not {type(value).__name__}")
    v = operator.index(value)  # type: ignore[arg-type]
    if not lo <= v <= hi:
        raise OverflowError(f"{ctype} option value {v} is out of range [{lo}, {hi}]")
    return (v & 0xFFFFFFFF).to_bytes(4, "little")


def _get_int(fd: int, level: int, name: int, fast: int) -> int | bool:
    buf = bytearray(4)
    n = _raw_getsockopt(fd, level, name, buf)
    return _decode_int(bytes(buf[:n]), fast)


def _get_bytes(fd: int, level: int, name: int, buflen: int) -> bytes:
    buf = bytearray(buflen)
    n = _raw_getsockopt(fd, level, name, buf)
    return bytes(buf[:n])


#: Linux or-s SOCK_NONBLOCK/SOCK_CLOEXEC into the type; the type proper is the low bits.
_TYPE_MASK: Final = 0xF
_SOCK_NONBLOCK: Final = int(getattr(raw.ABI, "SOCK_NONBLOCK", 0)) if raw.ABI.ATOMIC_SOCK_CLOEXEC else 0
_c_socket = _socket_module.socket  # the stdlib's C socket: it closes what it owns
_c_socketpair = _socket_module.socketpair
#: ``sock.detach()`` as a C callable, for :meth:`Handle._acquire`.
_detach = operator.methodcaller("detach")


def _new_socket_args(family: int, type: int, proto: int) -> tuple[int, int, int, float | None]:
    """The checked family, type and proto of a new socket, and the timeout it gets."""
    family, type, proto = c_int(family, "family"), c_int(type, "type"), c_int(proto, "proto")
    return family, type, proto, 0.0 if type & _SOCK_NONBLOCK else _getdefaulttimeout()


def _recv(fd: int, buf: Buffer, flags: int) -> int:
    return _raw_recvfrom(fd, buf, flags)[0]


def _send(fd: int, data: Buffer, flags: int) -> int:
    return _raw_sendto(fd, data, flags)


class SocketBase(FdHandle):
    """Socket's lifecycle (shut down to wake blocked calls on close) and hot calls."""

    __slots__ = ("_family", "_proto", "_timeout", "_type")

    _family: int
    _type: int
    _proto: int
    _timeout: float | None

    _kind: ClassVar[str] = "socket"
    _interrupts: ClassVar[bool] = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls)
        self._family = self._type = self._proto = 0
        self._timeout = None
        return self

    def _configure(self, family: int, type: int, proto: int, timeout: float | None) -> None:
        """Record the socket's family, type and protocol, and its timeout (None blocks).

        Raises:
            TypeError, OverflowError: a number of the wrong type or beyond a C int;
                an infinite timeout or one of 2**63 ns or more.
            ValueError: a negative or NaN timeout.
        """
        family, type, proto = c_int(family, "family"), c_int(type, "type"), c_int(proto, "proto")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
                raise TypeError(f"must be real number, not {type_name(timeout)}")
            timeout = float(timeout)
            if not timeout >= 0:
                raise ValueError("timeout must be a non-negative number or None")
            if not timeout < _TIMEOUT_LIMIT:
                raise OverflowError("timeout is too large: it must be shorter than 2**63 ns (None blocks)")
        self._family, self._type, self._proto, self._timeout = family, type, proto, timeout

    def _open(self, family: int, type: int, proto: int) -> None:
        """socket(2), close-on-exec, owned by this new object in the same step as it is made.

        *type* may carry Linux's SOCK_NONBLOCK (timeout 0.0); otherwise the
        timeout is socket.getdefaulttimeout() (the descriptor non-blocking if
        set).  The stdlib's C socket makes the descriptor exactly so and
        owns it until :meth:`Handle._acquire` detaches it into ``_claim``.

        Raises:
            OSError: EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE, EACCES.
            OverflowError: an argument out of range.  RuntimeError: already owns a socket.
        """
        self._check_unowned()
        family, type, proto, timeout = _new_socket_args(family, type, proto)
        self._configure(family, type & _TYPE_MASK, proto, timeout)
        self._acquire(_detach, _c_socket(family, type, proto))

    @classmethod
    def _pair(cls, family: int, type: int, proto: int) -> tuple[Self, Self]:
        """socketpair(2): two connected, close-on-exec sockets, each owned as :meth:`_open` owns one.

        Raises:
            OSError: EOPNOTSUPP/EAFNOSUPPORT (only AF_UNIX makes pairs), EMFILE.
            OverflowError: an argument out of range.
        """
        family, type, proto, timeout = _new_socket_args(family, type, proto)
        first, second = cls.__new__(cls), cls.__new__(cls)
        for s in (first, second):
            s._configure(family, type & _TYPE_MASK, proto, timeout)
        a, b = _c_socketpair(family, type, proto)  # each owned by a stdlib socket until detached
        first._acquire(_detach, a)
        second._acquire(_detach, b)
        return first, second

    def _interrupt(self, handle: int) -> None:
        """Wake threads blocked on the socket: shut it down (ENOTCONN and the like are fine).

        close() calls this holding a reference, but the number it read may
        be stale: an operation can leave as the last one out just before that
        reference is taken.  So the number shut down is the one taken from
        the release token (``_claim``), held for the call: while it is held
        no release can happen, and if it is gone the socket is released
        already and nothing is shut down.  Whoever is last out after it is
        put back releases, as ever.
        """
        try:
            mine = self._claim.pop()
        except IndexError:  # released (or detached): the number is no longer ours
            return
        try:
            _raw_shutdown(mine, _SHUT_RDWR)
        except OSError:
            pass
        finally:
            self._claim.append(mine)

    def _resolved(self, address: Any) -> Any:
        """*address* with host names resolved (Socket overrides; here: as given)."""
        return address

    def _sockaddr(self, address: Any) -> bytes:
        """The ``struct sockaddr`` bytes of *address* (after :meth:`_resolved`) for this family.

        Raises:
            TypeError, ValueError, OverflowError: a malformed address.
        """
        return raw.encode_sockaddr(self._family, self._resolved(address))

    # -- the timeout rules ------------------------------------------------
    def _timed(self, fd: int, writing: bool, fn: Callable[..., T], *args: Any) -> T:
        """``fn(fd, *args)`` under the timeout rules."""
        timeout = self._timeout
        if not timeout:  # None blocks in the kernel; 0.0 never waits
            return fn(fd, *args)
        deadline = time.monotonic() + timeout
        while True:
            try:
                result: T = fn(fd, *args)
                return result
            except BlockingIOError:
                if self._closing:  # woken by close(): a shut-down listener stays "ready" forever
                    raise self._closed_error() from None
            _wait_ready(fd, writing, deadline)

    def _call_timed(self, writing: bool, fn: Callable[..., T], /, *args: Any) -> T:
        """Return ``fn(fd, *args)`` run as one registered operation under the timeout rules.

        With a positive timeout, a BlockingIOError waits (poll for writing or
        reading) and calls again until the deadline (TimeoutError).
        """
        result: T = self._call(self._timed, writing, fn, *args)
        return result

    # -- data -------------------------------------------------------------
    def send(self, data: Buffer, flags: int = 0) -> int:
        """send(2): send *data* (maybe partly); return the count sent.

        Raises:
            BlockingIOError: timeout 0.0 and no room.  TimeoutError: the timeout passed.
            BrokenPipeError, ConnectionResetError, OSError: the call failed.
        """
        flags = c_int(flags, "flags")
        with readable(data) as view:
            return self._call_timed(True, _send, view[:IO_MAX], flags)

    def sendall(self, data: Buffer, flags: int = 0) -> None:
        """Send all of *data*; the timeout covers the whole transfer.

        Raises:
            TimeoutError: the timeout passed (some data may have been sent).
            BlockingIOError: timeout 0.0 and no room.  OSError: the call failed.
        """
        flags = c_int(flags, "flags")
        self._call(self._sendall, readable(data), flags)

    def _sendall(self, fd: int, view: memoryview, flags: int) -> None:
        with view:
            timeout = self._timeout
            deadline = time.monotonic() + timeout if timeout else 0.0
            done, total = 0, len(view)
            while True:
                while True:
                    try:
                        done += _send(fd, view[done:], flags)
                        break
                    except BlockingIOError:
                        if not deadline:
                            raise
                        if self._closing:
                            raise self._closed_error() from None
                        _wait_ready(fd, True, deadline)
                if done >= total:
                    return

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        """recv(2): up to *bufsize* bytes; ``b""`` at end of stream.

        Raises:
            ValueError: *bufsize* negative.  BlockingIOError: timeout 0.0 and nothing there.
            TimeoutError: the timeout passed.  OSError: the call failed.
        """
        bufsize, flags = ssize(bufsize, "bufsize"), c_int(flags, "flags")
        if bufsize < 0:
            raise ValueError(f"negative buffersize in recv: {bufsize}")
        buf = bytearray(bufsize)  # what is asked for, as socket.recv allocates it
        n = self._call_timed(False, _recv, buf, flags)
        return bytes(buf) if n == len(buf) else bytes(memoryview(buf)[:n])

    def recvfrom(self, bufsize: int, flags: int = 0) -> tuple[bytes, Address | None]:
        """recvfrom(2): ``(data, sender address)``; the address is None when the kernel gives none.

        Raises:
            ValueError: *bufsize* negative.  BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
        """
        bufsize, flags = ssize(bufsize, "bufsize"), c_int(flags, "flags")
        if bufsize < 0:
            raise ValueError(f"negative buffersize in recvfrom: {bufsize}")
        buf = bytearray(bufsize)
        n, address = self._call_timed(False, _raw_recvfrom, buf, flags)
        return bytes(memoryview(buf)[:n]), address

    def _into(self, buffer: Buffer, nbytes: int, flags: int) -> memoryview:
        """The part of the writable *buffer* to receive into, after the checks."""
        nbytes = ssize(nbytes, "nbytes")
        if nbytes < 0:
            raise ValueError(f"size must not be negative, got {nbytes}")
        view = writable(buffer)
        if nbytes > len(view):
            n = len(view)
            view.release()
            raise ValueError(f"buffer holds {n} bytes, fewer than the {nbytes} asked for")
        return view[:nbytes] if nbytes else view

    def recv_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> int:
        """recv(2) into the writable *buffer* (at most *nbytes*, 0 for all of it); return the count.

        Raises:
            TypeError: read-only buffer.  ValueError: *nbytes* negative or past the buffer.
            BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
        """
        flags = c_int(flags, "flags")
        with self._into(buffer, nbytes, flags) as view:
            return self._call_timed(False, _recv, view[:IO_MAX], flags)

    def recvfrom_into(self, buffer: Buffer, nbytes: int = 0, flags: int = 0) -> tuple[int, Address | None]:
        """recvfrom(2) into *buffer* (at most *nbytes*, 0 for all of it): ``(count, sender address)``.

        Raises:
            TypeError: read-only buffer.  ValueError: *nbytes* negative or past the buffer.
            BlockingIOError, TimeoutError, OSError: as :meth:`recv`.
        """
        flags = c_int(flags, "flags")
        with self._into(buffer, nbytes, flags) as view:
            return self._call_timed(False, _raw_recvfrom, view[:IO_MAX], flags)

    def sendto(self, data: Buffer, flags_or_address: Any, address: Any = None, /) -> int:
        """sendto(2): one datagram to *address*; return the count.

        Called as ``sendto(data, address)`` or ``sendto(data, flags, address)``.

        Raises:
            TypeError, ValueError, OverflowError: a malformed address, before any call.
            BlockingIOError, TimeoutError, OSError: as :meth:`send`.
        """
        if address is None:
            flags, address = 0, flags_or_address
        else:
            flags = c_int(flags_or_address, "flags")
        if address is None:
            raise TypeError("sendto() needs an address")
        self._sockaddr(address)  # the address's errors come first, as in the compiled core
        with readable(data) as view:
            return self._call_timed(True, _raw_sendto, view[:IO_MAX], flags, self._family, self._resolved(address))

    def accept(self) -> tuple[Self, Address | None]:
        """accept(2): return ``(connection, peer address)``; the connection is close-on-exec.

        On Linux this is ``accept4(SOCK_CLOEXEC)``: the descriptor is never
        inheritable, not even for an instant.  macOS has no accept4: there
        FD_CLOEXEC is set by the next call, and a fork+exec in another thread
        between the two inherits the connection.  The new socket's timeout
        is the default timeout, as in the stdlib.

        Raises:
            BlockingIOError: timeout 0.0 and nothing pending.  TimeoutError: the timeout passed.
            ClosedResourceError: the socket was closed (also while waiting here).
            OSError: EINVAL (not listening), EMFILE, ECONNABORTED.
        """
        timeout = _getdefaulttimeout()
        conn = type(self).__new__(type(self))
        # The new descriptor is in *pending* from inside the accept call
        # (raw.accept_into) until conn's _acquire pops it into conn's claim,
        # also inside one C call: a signal handler's exception finds it
        # owned by one of the two, and the except closes what is pending.
        pending: list[int] = []
        try:
            address = self._call_timed(False, raw.accept_into, pending, _SOCK_CLOEXEC)
            fd = pending[0]
            if not _SOCK_CLOEXEC:  # no accept4 (macOS): close the window at once
                os.set_inheritable(fd, False)  # one ioctl(FIOCLEX)
                # There the connection inherits the listener's O_NONBLOCK: set the mode.
                os.set_blocking(fd, timeout is None)
            elif timeout is not None:  # accept4's descriptor is blocking
                os.set_blocking(fd, False)  # one ioctl(FIONBIO), as the stdlib's
            conn._configure(self._family, self._type, self._proto, timeout)
            conn._acquire(pending.pop)
        except BaseException:
            while pending:
                os.close(pending.pop())
            raise
        return conn, address

    # -- options -----------------------------------------------------------
    def getsockopt(self, opt: Any, name: int | None = None, buflen: int | None = None, /) -> Any:
        """The typed form ``getsockopt(opt)`` returns the option's value (SO_RCVBUF -> int);
        the raw form ``getsockopt(level, name)`` a C int and ``getsockopt(level, name, buflen)``
        up to *buflen* bytes, as the stdlib.

        Raises:
            UnsupportedOperation: a typed option this platform lacks.
            OSError: ENOPROTOOPT and what the kernel says.
            ValueError: *buflen* negative or over 65536.
        """
        if isinstance(opt, SockOptSpec):
            if name is not None:
                raise TypeError("getsockopt(opt) takes a SockOpt alone")
            level, number, fast, readable, _, available = opt._spec
            if fast != OPT_SLOW and readable and available:
                return self._call(_get_int, level, number, fast)
            return self._call(opt.get)
        if name is None:
            raise TypeError("getsockopt() needs a SockOpt or (level, name)")
        level, name = c_int(opt, "level"), c_int(name, "option name")
        if buflen is None:
            return self._call(_get_int, level, name, OPT_INT)
        buflen = ssize(buflen, "buflen")
        if not 0 <= buflen <= _MAX_OPTLEN:
            raise ValueError(f"buflen must be 0-{_MAX_OPTLEN}, got {buflen}")
        return self._call(_get_bytes, level, name, buflen)

    def setsockopt(self, opt: Any, name: Any, value: Any = None, /) -> None:
        """The typed form ``setsockopt(opt, value)`` encodes *value* with the option's codec;
        the raw form ``setsockopt(level, name, value)`` takes a C int or the option's bytes.

        Raises:
            UnsupportedOperation: a typed option this platform lacks.
            TypeError: a value of the wrong type (before any call).
            OverflowError: an int outside a C int.  OSError: what the kernel says.
        """
        if isinstance(opt, SockOptSpec):
            if value is not None:
                raise TypeError("setsockopt(opt, value) takes two arguments")
            level, number, fast, _, writable_, available = opt._spec
            if fast != OPT_SLOW and writable_ and available:
                self._call(_raw_setsockopt, level, number, _encode_int(name, fast))
            else:
                self._call(opt.set, name)
            return
        level, number = c_int(opt, "level"), c_int(name, "option name")
        if isinstance(value, int):
            if not INT_MIN <= value <= INT_MAX:
                raise OverflowError(f"option value {value} does not fit a C int")
            data = (value & 0xFFFFFFFF).to_bytes(4, "little")
        elif value is None:
            raise TypeError("setsockopt() needs (opt, value) or (level, name, value)")
        else:
            with readable(value) as view:
                data = view.tobytes()
        self._call(_raw_setsockopt, level, number, data)


def type_name(value: object) -> str:
    return type(value).__name__
