"""Tests for the ids area of macres.raw: user and group ids, against os.

Changing ids is irreversible for a process, so every set* call runs in a
child made by ``raw.fork`` that checks the effect with ``os`` and then
``os._exit``s.  As root the calls run for real; the unprivileged variants
first drop to uid/gid 65534 and expect ``PermissionError``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support import NOBODY, drop_privileges, in_child, linux_only, needs_root

import macres
from macres import raw




def test_getters_match_os() -> None:
    """getuid/geteuid/getgid/getegid agree with os."""
    assert raw.getuid() == os.getuid()
    assert raw.geteuid() == os.geteuid()
    assert raw.getgid() == os.getgid()
    assert raw.getegid() == os.getegid()


def test_getgroups_matches_os() -> None:
    """getgroups returns the same supplementary groups as os.getgroups."""
    assert sorted(raw.getgroups()) == sorted(os.getgroups())


@needs_root
def test_setgroups_and_getgroups_in_child() -> None:
    """As root, setgroups replaces the groups (many, and none) as os.getgroups sees them."""

    def body() -> None:
        many = list(range(1000, 1100))
        raw.setgroups(many)
        assert sorted(os.getgroups()) == many
        assert sorted(raw.getgroups()) == many
        raw.setgroups([])
        assert os.getgroups() == [] and raw.getgroups() == []

    in_child(body)


@needs_root
def test_setgid_setuid_in_child() -> None:
    """As root, setgid/setuid set real and effective ids; afterwards setuid(0) is refused."""

    def body() -> None:
        raw.setgroups([])
        raw.setgid(4321)
        assert (os.getgid(), os.getegid()) == (4321, 4321)
        raw.setuid(1234)
        assert (os.getuid(), os.geteuid()) == (1234, 1234)
        with pytest.raises(PermissionError):
            raw.setuid(0)

    in_child(body)


@needs_root
def test_seteuid_setegid_round_trip_in_child() -> None:
    """As root, seteuid/setegid change only the effective ids, and seteuid(0) restores root."""

    def body() -> None:
        raw.setegid(4321)
        assert (os.getgid(), os.getegid()) == (0, 4321)
        raw.seteuid(1234)
        assert (os.getuid(), os.geteuid()) == (0, 1234)
        raw.seteuid(0)  # the saved uid is still 0
        assert os.geteuid() == 0

    in_child(body)


@needs_root
def test_setreuid_setregid_keep_with_minus_one() -> None:
    """As root, setre[ug]id set both ids; -1 keeps one unchanged."""

    def body() -> None:
        raw.setregid(-1, 4321)
        assert (os.getgid(), os.getegid()) == (0, 4321)
        raw.setregid(555, 556)
        assert (os.getgid(), os.getegid()) == (555, 556)
        raw.setreuid(1234, -1)
        assert (os.getuid(), os.geteuid()) == (1234, 0)
        raw.setreuid(-1, 1235)
        assert (os.getuid(), os.geteuid()) == (1234, 1235)

    in_child(body)


@needs_root
def test_unprivileged_changes_are_refused() -> None:
    """As uid/gid 65534, every change to another id or to the groups raises PermissionError."""

    def body() -> None:
        drop_privileges()
        calls: list[Callable[[], None]] = [
            lambda: raw.setuid(0),
            lambda: raw.setgid(0),
            lambda: raw.seteuid(0),
            lambda: raw.setegid(0),
            lambda: raw.setreuid(0, 0),
            lambda: raw.setregid(0, 0),
            lambda: raw.setgroups([0]),
        ]
        for call in calls:
            with pytest.raises(PermissionError):
                call()
        raw.setuid(NOBODY)  # to one's own id is allowed
        raw.setgid(NOBODY)
        assert (os.getuid(), os.getgid()) == (NOBODY, NOBODY)

    in_child(body)


@linux_only
def test_issetugid_is_unsupported_and_names_getauxval() -> None:
    """issetugid raises UnsupportedOperation naming getauxval(AT_SECURE) on Linux."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.issetugid()
    assert info.value.errno == errno.ENOSYS
    assert "getauxval(AT_SECURE)" in str(info.value)


@linux_only
def test_setlogin_is_unsupported() -> None:
    """setlogin raises UnsupportedOperation (glibc's stub is ENOSYS)."""
    with pytest.raises(macres.UnsupportedOperation) as info:
        raw.setlogin("root")
    assert info.value.errno == errno.ENOSYS


def test_ids_out_of_range_overflow() -> None:
    """An id outside uid_t (or below -1 for setre*id) raises OverflowError before any call.

    Runs in a child: were the check ever lost, a truncated id would change
    the ids of that child only, never of the test run.
    """

    @given(value=st.one_of(st.integers(max_value=-2), st.integers(min_value=2**32)))
    def check(value: int) -> None:
        for call in (raw.setuid, raw.setgid, raw.seteuid, raw.setegid):
            with pytest.raises(OverflowError):
                call(value)
        with pytest.raises(OverflowError):
            raw.setreuid(value, -1)
        with pytest.raises(OverflowError):
            raw.setregid(-1, value)
        with pytest.raises(OverflowError):
            raw.setgroups([value])

    in_child(check)


def test_ids_wrong_types() -> None:
    """Non-integer ids, and a setgroups argument that is not a sequence of ints, raise TypeError."""

    @given(value=st.one_of(st.text(max_size=3), st.floats(), st.none()))
    def check(value: object) -> None:
        for call in (raw.setuid, raw.setgid, raw.seteuid, raw.setegid):
            with pytest.raises(TypeError):
                call(value)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            raw.setgroups([value])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            raw.setgroups(5)  # type: ignore[arg-type]

    in_child(check)
