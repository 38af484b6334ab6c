"""A hypothesis state machine base that watches the macres objects a machine makes.

Subclass :class:`ResourceMachine` instead of ``RuleBasedStateMachine``
(it is one)::

    class Files(ResourceMachine):
        ...rules that open, use and close macres objects...

        def teardown(self) -> None:
            close_what_the_machine_holds()
            super().teardown()  # last: the leak check

    TestFiles = Files.TestCase

After every step it checks that no object the machine made lost its
descriptor to other code (an ``os.close`` of its number, or a number that
now belongs to another file): closing the object would close that number a
second time.  At teardown it checks that nothing the machine made is still
open: descriptors, children, mappings (:func:`macres.testing.leaks_since`),
each with the stack that created it.  The registry
(:func:`macres.testing.enable`) is on while the machine runs.

Needs hypothesis.
"""

from __future__ import annotations

import os
import weakref

from hypothesis.stateful import RuleBasedStateMachine, invariant

from .. import testing
from .._handle import FdHandle

__all__ = ["ResourceMachine"]


class ResourceMachine(RuleBasedStateMachine):
    """A ``RuleBasedStateMachine`` that fails on a leaked object or a descriptor closed behind its object."""

    def __init__(self) -> None:
        super().__init__()
        self.__was_enabled = testing.enabled()
        if not self.__was_enabled:
            testing.enable()
        self.__before = testing.snapshot(collect=False)
        #: id(object) -> (weak reference, (st_dev, st_ino) of its file when first seen).
        self.__files: dict[int, tuple[weakref.ReferenceType[FdHandle], tuple[int, int]]] = {}

    @invariant()
    def macres_descriptors_are_their_objects(self) -> None:
        """Every open descriptor object made by the machine still has its number, on the same file."""
        for entry in testing.live(self.__before.serial):
            obj = entry.obj
            if not isinstance(obj, FdHandle) or obj.closed:
                continue
            number = obj.fileno()
            try:
                st = os.fstat(number)
            except OSError:
                raise AssertionError(
                    f"descriptor {number} of {obj!r} was closed by other code: closing the object "
                    f"would close the number a second time\n{entry.format()}"
                ) from None
            identity = (st.st_dev, st.st_ino)
            seen = self.__files.get(id(obj))
            if seen is None or seen[0]() is not obj:
                self.__files[id(obj)] = (weakref.ref(obj), identity)
            elif seen[1] != identity:
                raise AssertionError(
                    f"descriptor {number} of {obj!r} now refers to another file: its number was closed "
                    f"by other code and reused\n{entry.format()}"
                )

    def teardown(self) -> None:
        """Fail when anything the machine made is still open (call it last from a subclass's teardown)."""
        try:
            report = testing.leaks_since(self.__before)
            assert not report, report.format()
        finally:
            if not self.__was_enabled:
                testing.disable()
