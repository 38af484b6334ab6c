"""Bindings of the ids area: user and group ids, supplementary groups, login name.

uid_t and gid_t are unsigned 32-bit; the ``setre*id`` calls take -1 for
"unchanged", passed as all ones.  glibc applies every ``set*id`` call to
all threads of the process (POSIX semantics), as macOS does.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from ctypes import c_char_p, c_int, c_size_t, c_uint, c_void_p

from . import _args
from ._errcheck import check_int
from ._libc import function

__all__ = [
    "getegid", "geteuid", "getgid", "getgroups", "getuid", "issetugid",
    "setegid", "seteuid", "setgid", "setgroups", "setlogin", "setregid",
    "setreuid", "setuid",
]  # fmt: skip

_id_t = c_uint
# The count is int on macOS and size_t on Linux: size_t fills the whole
# register either way, which an int-reading callee also accepts.
_getgroups = function("getgroups", c_int, (c_int, c_void_p), check_int)
_setgroups = function("setgroups", c_int, (c_size_t, c_void_p), check_int)
_getegid = function("getegid", _id_t, (), None)
_geteuid = function("geteuid", _id_t, (), None)
_getgid = function("getgid", _id_t, (), None)
_getuid = function("getuid", _id_t, (), None)
_issetugid = function("issetugid", c_int, (), None)
_setegid = function("setegid", c_int, (_id_t,), check_int)
_seteuid = function("seteuid", c_int, (_id_t,), check_int)
_setgid = function("setgid", c_int, (_id_t,), check_int)
_setlogin = function("setlogin", c_int, (c_char_p,), check_int)
_setregid = function("setregid", c_int, (_id_t, _id_t), check_int)
_setreuid = function("setreuid", c_int, (_id_t, _id_t), check_int)
_setuid = function("setuid", c_int, (_id_t,), check_int)


def getgroups() -> list[int]:
    """``getgroups(gidsetsize, grouplist)``: the supplementary group ids of the caller.

    Asks for the count first, then fetches; retried if the list grew in
    between.  Whether the effective gid is included is the system's choice
    (macOS includes it, Linux only if it is a supplementary group).

    References: ``getgroups(2)``.

    Raises:
        OSError: the call failed.
    """
    while True:
        n: int = _getgroups(0, None)
        groups = (_id_t * max(n, 1))()
        try:
            got: int = _getgroups(n, groups)
        except OSError as e:
            if e.errno == errno.EINVAL:  # the list grew since the count
                continue
            raise
        return list(groups[:got])


def setgroups(groups: Sequence[int]) -> None:
    """``setgroups(ngroups, gidset)``: replace the supplementary groups.  Needs privileges.

    References: ``setgroups(2)``.

    Raises:
        PermissionError: EPERM, the caller lacks the privilege.
        OSError: EINVAL (more than ``NGROUPS_MAX``).
        OverflowError: a gid out of range.  TypeError: not a sequence of ints.
    """
    if not isinstance(groups, Sequence):
        raise TypeError(f"groups must be a sequence of ints, not {type(groups).__name__}")
    ids = [_args.c_uint(g, "gid") for g in groups]
    array = (_id_t * max(len(ids), 1))(*ids)
    _setgroups(len(ids), array)


def getegid() -> int:
    """``getegid()``: the effective group id.  Never fails.  References: ``getegid(2)``."""
    return _getegid()  # type: ignore[no-any-return]


def geteuid() -> int:
    """``geteuid()``: the effective user id.  Never fails.  References: ``geteuid(2)``."""
    return _geteuid()  # type: ignore[no-any-return]


def getgid() -> int:
    """``getgid()``: the real group id.  Never fails.  References: ``getgid(2)``."""
    return _getgid()  # type: ignore[no-any-return]


def getuid() -> int:
    """``getuid()``: the real user id.  Never fails.  References: ``getuid(2)``."""
    return _getuid()  # type: ignore[no-any-return]


def issetugid() -> int:
    """``issetugid()`` (macOS): 1 if the process is tainted by a set-id exec or id change, else 0.

    References: ``issetugid(2)`` on macOS.

    Raises:
        UnsupportedOperation: on Linux, which offers ``getauxval(AT_SECURE)`` instead.
    """
    return _issetugid()  # type: ignore[no-any-return]


def setegid(egid: int) -> None:
    """``setegid(egid)``: set the effective group id.

    References: ``setegid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: *egid* out of range.
    """
    _setegid(_args.c_uint(egid, "egid"))


def seteuid(euid: int) -> None:
    """``seteuid(euid)``: set the effective user id.

    References: ``seteuid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: *euid* out of range.
    """
    _seteuid(_args.c_uint(euid, "euid"))


def setgid(gid: int) -> None:
    """``setgid(gid)``: set the group ids (real, effective and saved when privileged).

    References: ``setgid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: *gid* out of range.
    """
    _setgid(_args.c_uint(gid, "gid"))


def setlogin(name: str | bytes) -> None:
    """``setlogin(name)`` (macOS): set the login name of the session.  Needs privileges.

    References: ``setlogin(2)`` on macOS.

    Raises:
        UnsupportedOperation: on Linux, where glibc's stub always fails with ENOSYS.
        PermissionError: EPERM.  ValueError: a NUL byte in *name*.
    """
    _setlogin(_args.path(name))


def setregid(rgid: int, egid: int) -> None:
    """``setregid(rgid, egid)``: set the real and effective group ids; -1 keeps one.

    References: ``setregid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: an id out of range.
    """
    _setregid(_args.owner(rgid, "rgid"), _args.owner(egid, "egid"))


def setreuid(ruid: int, euid: int) -> None:
    """``setreuid(ruid, euid)``: set the real and effective user ids; -1 keeps one.

    References: ``setreuid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: an id out of range.
    """
    _setreuid(_args.owner(ruid, "ruid"), _args.owner(euid, "euid"))


def setuid(uid: int) -> None:
    """``setuid(uid)``: set the user ids (real, effective and saved when privileged).

    References: ``setuid(2)``.

    Raises:
        PermissionError: EPERM.  OverflowError: *uid* out of range.
    """
    _setuid(_args.c_uint(uid, "uid"))
