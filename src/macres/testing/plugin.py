"""pytest plugin: fail tests that leak descriptors, mappings or child processes.

Installed with macres (entry point ``macres``) and inert until enabled::

    pytest --macres-leaks

or in the configuration (``[tool.pytest.ini_options]`` / ``pytest.ini``)::

    macres_leaks = true

``--no-macres-leaks`` turns an ini setting off for one run, ``-p no:macres``
keeps the plugin from loading at all.

When enabled, the registry of :mod:`macres.testing` records every macres
object with its creation traceback, and each test is checked after its
teardown (so objects its fixtures close in teardown are not leaks):
anything opened since the test's setup began and still open, after a
garbage collection, fails the test's teardown (reported by pytest as an
error) with one entry per leak:

* a macres object still open, with the traceback where it was created;
* a descriptor opened some other way (``os.open``, ``socket.socket``, a
  file object...), as the OS lists it;
* a child process not reaped;
* a mapping a ``MappedRegion`` still holds.

Resources held by fixtures of a wider scope (module, session, ...) belong
to the fixture, not to the first test that uses it: what each such fixture
opens while it is set up is recorded and not counted against any test
until the fixture is torn down.  An object that is only collected (never
closed) is not a leak here: collection closes it, with the
``ResourceWarning`` Python's warning filters decide about.

A test that leaks every descriptor the process may have (EMFILE) is
reported like any other: the checker keeps one descriptor in reserve and
lends it to the check, which needs one to list ``/proc/self/fd``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Generator
from typing import Final, TypeVar

import attrs
import pytest

from .. import testing

__all__ = ["LeakChecker"]

_NAME: Final = "macres-leak-checker"
_T = TypeVar("_T")
#: The errors of a full descriptor table: the process's (EMFILE) and the system's (ENFILE).
_TABLE_FULL: Final = frozenset({errno.EMFILE, errno.ENFILE})


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--macres-leaks``/``--no-macres-leaks`` and the ``macres_leaks`` ini option."""
    group = parser.getgroup("macres", "macres resource leak checks")
    group.addoption(
        "--macres-leaks",
        action="store_true",
        dest="macres_leaks",
        default=None,
        help="fail tests that leak descriptors, mappings or child processes (macres.testing.plugin)",
    )
    group.addoption(
        "--no-macres-leaks",
        action="store_false",
        dest="macres_leaks",
        help="turn the macres leak check off even if the ini file enables it",
    )
    parser.addini("macres_leaks", type="bool", default=False, help="enable the macres leak check (--macres-leaks)")


def _wanted(config: pytest.Config) -> bool:
    option = config.getoption("macres_leaks", default=None)
    if option is not None:
        return bool(option)
    return bool(config.getini("macres_leaks"))


def pytest_configure(config: pytest.Config) -> None:
    """Register the checker when the option asks for it; otherwise only declare the marker."""
    config.addinivalue_line(
        "markers", "macres_no_leak_check: the macres leak check skips this test (it leaks on purpose)"
    )
    if _wanted(config) and not config.pluginmanager.has_plugin(_NAME):
        config.pluginmanager.register(LeakChecker(), _NAME)


@attrs.frozen
class _Held:
    """What a wider-scoped fixture opened while it was set up."""

    descriptors: frozenset[int]
    children: frozenset[int]
    mappings: frozenset[int]
    #: Registry serials of the macres objects it made: first < serial <= last.
    serials: range


def _spare() -> int:
    """A descriptor kept in reserve (see the module docstring), or -1 while the table is full."""
    try:
        return os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in _TABLE_FULL:
            return -1
        raise


class LeakChecker:
    """The enabled plugin: the registry on for the session, a leak check around every test."""

    def __init__(self) -> None:
        self._was_enabled = testing.enabled()
        testing.enable()
        self._held: dict[pytest.FixtureDef[object], _Held] = {}
        self._spare = _spare()

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if not self._was_enabled:
            testing.disable()
        if self._spare >= 0:
            os.close(self._spare)
            self._spare = -1

    def _checking(self, fn: Callable[[], _T]) -> _T | None:
        """``fn()`` (a look at the process), lent the spare descriptor if the table is full; None if even that fails."""
        if self._spare < 0:
            self._spare = _spare()
        try:
            return fn()
        except OSError as exc:
            if exc.errno not in _TABLE_FULL or self._spare < 0:
                raise
        os.close(self._spare)
        self._spare = -1
        try:
            return fn()
        except OSError as exc:
            if exc.errno not in _TABLE_FULL:
                raise
            return None
        finally:
            self._spare = _spare()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        if item.get_closest_marker("macres_no_leak_check") is None:
            # No collection here: garbage of earlier tests that is freed later only
            # closes what the snapshot counted, which can never look like a leak.
            snap = self._checking(lambda: testing.snapshot(collect=False))
            if snap is not None:  # None: the table is full even for the check (an earlier test's leak, reported)
                item.stash[_SNAPSHOT] = snap
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(
        self, fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
    ) -> Generator[None, object, object]:
        """Record what a fixture of a scope wider than a test opens: it is the fixture's, not the test's."""
        if fixturedef.scope == "function":
            return (yield)
        before = self._checking(lambda: testing.snapshot(collect=False))
        try:
            return (yield)
        finally:
            after = self._checking(lambda: testing.snapshot(collect=False))
            if before is not None and after is not None:
                self._held[fixturedef] = _Held(
                    after.descriptors - before.descriptors,
                    after.children - before.children,
                    after.mappings - before.mappings,
                    range(before.serial + 1, after.serial + 1),
                )

    def pytest_fixture_post_finalizer(self, fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest) -> None:
        """A wider-scoped fixture was torn down: what it held counts as anyone's again."""
        self._held.pop(fixturedef, None)

    def _leaks_since(self, snap: testing.Snapshot) -> testing.LeakReport:
        held = list(self._held.values())
        spare = {self._spare} if self._spare >= 0 else set()
        snap = attrs.evolve(
            snap,
            descriptors=snap.descriptors.union(spare, *(h.descriptors for h in held)),
            children=snap.children.union(*(h.children for h in held)),
            mappings=snap.mappings.union(*(h.mappings for h in held)),
        )
        report = testing.leaks_since(snap)
        objects = tuple(o for o in report.objects if not any(o.serial in h.serials for h in held))
        return attrs.evolve(report, objects=objects) if objects != report.objects else report

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
        result = yield  # every fixture is torn down first; an error there propagates as usual
        snap = item.stash.get(_SNAPSHOT, None)
        if snap is not None:
            del item.stash[_SNAPSHOT]
            leaks = self._checking(lambda: self._leaks_since(snap))
            if leaks:
                pytest.fail(f"macres leak check: {item.nodeid} leaked\n{leaks.format()}", pytrace=False)
        return result


_SNAPSHOT: Final = pytest.StashKey[testing.Snapshot]()
