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

Resources held by fixtures of a wider scope (module, session) are set up
before the test's snapshot and are not counted against it.  An object
that is only collected (never closed) is not a leak here: collection closes
it, with the ``ResourceWarning`` Python's warning filters decide about.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Final

import pytest

from .. import testing

__all__ = ["LeakChecker"]

_NAME: Final = "macres-leak-checker"


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


class LeakChecker:
    """The enabled plugin: the registry on for the session, a leak check around every test."""

    def __init__(self) -> None:
        self._was_enabled = testing.enabled()
        testing.enable()

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if not self._was_enabled:
            testing.disable()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        if item.get_closest_marker("macres_no_leak_check") is None:
            # No collection here: garbage of earlier tests that is freed later only
            # closes what the snapshot counted, which can never look like a leak.
            item.stash[_SNAPSHOT] = testing.snapshot(collect=False)
        return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
        result = yield  # every fixture is torn down first; an error there propagates as usual
        snap = item.stash.get(_SNAPSHOT, None)
        if snap is not None:
            del item.stash[_SNAPSHOT]
            leaks = testing.leaks_since(snap)
            if leaks:
                pytest.fail(f"macres leak check: {item.nodeid} leaked\n{leaks.format()}", pytrace=False)
        return result


_SNAPSHOT: Final = pytest.StashKey[testing.Snapshot]()
