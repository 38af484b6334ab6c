"""macres.testing.stateful.ResourceMachine: leaks and descriptors closed behind their objects fail the machine."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import Bundle, consumes, rule, run_state_machine_as_test

import macres
from macres.testing.stateful import ResourceMachine

SETTINGS = settings(max_examples=15, stateful_step_count=8, deadline=None, database=None)
#: A failing machine is reported as found: shrinking it would only cost time here.
FIRST_FAILURE = settings(SETTINGS, phases=[Phase.generate], report_multiple_bugs=False)


class Files(ResourceMachine):
    """Opens and closes files; closes what it holds at teardown (unless told to forget some)."""

    forget = False
    steal = False
    files = Bundle("files")

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.held: list[macres.FileDescriptor] = []
        self.stolen: list[macres.FileDescriptor] = []

    @rule(target=files)
    def open_one(self) -> macres.FileDescriptor:
        fd = macres.open(os.path.join(self.dir.name, "f"), "a+")
        self.held.append(fd)
        return fd

    @rule(fd=consumes(files))
    def close_one(self, fd: macres.FileDescriptor) -> None:
        fd.close()

    @rule(fd=files)
    def use_one(self, fd: macres.FileDescriptor) -> None:
        if not fd.closed:
            fd.write(b"x")
            if self.steal:  # other code closes the number behind the object
                os.close(fd.fileno())
                self.stolen.append(fd)

    def teardown(self) -> None:
        try:
            for fd in self.stolen:
                fd.detach()  # its number is gone: never close it again
            if not self.forget:
                for fd in self.held:
                    fd.close()
            super().teardown()
        finally:
            for fd in self.held:
                fd.close()
            self.dir.cleanup()


def test_a_careful_machine_passes() -> None:
    """A machine that closes everything it opened runs clean."""
    run_state_machine_as_test(Files, settings=SETTINGS)


def test_a_machine_that_leaks_fails_at_teardown() -> None:
    """A machine that keeps a file open fails with the leak report, naming where the file was opened."""

    class Leaky(Files):
        forget = True

    with pytest.raises(AssertionError, match="open_one"):
        run_state_machine_as_test(Leaky, settings=FIRST_FAILURE)


def test_a_descriptor_closed_behind_its_object_fails_the_step() -> None:
    """os.close on an object's number is caught after the step: closing the object would close it twice."""

    class Stealing(Files):
        steal = True

    with pytest.raises(AssertionError, match="closed by other code"):
        run_state_machine_as_test(Stealing, settings=FIRST_FAILURE)
