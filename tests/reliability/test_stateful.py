"""Stateful model of every kind of macres object at once, checked against the OS after each step.

A hypothesis state machine creates, uses, duplicates, detaches, passes over
a socket, closes and drops (garbage collection) FileDescriptors (files and
pipes), Directories, MappedRegions (anonymous and file-backed), Socket pairs
and spawned Processes in random interleavings.  The model says which
descriptor numbers, mappings and children must exist; after every step the
process's own view (/proc/self/fd, MappedRegion's registry of mappings and
/proc/self/maps, /proc/self/task/*/children) must be exactly the baseline
plus the model.  Teardown closes what is left and the baseline must return.
"""

from __future__ import annotations

import gc
import os
import pathlib
import socket
import tempfile
import warnings
from typing import Any

import attrs
import pytest
from _support import pidfds_of
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import macres
from macres import memory, raw

from ..conftest import children, open_fds

MAX_OBJECTS = 24
MAX_PROCESSES = 2


def _mapped(address: int) -> bool:
    """Whether /proc/self/maps has *address* mapped (the OS's view; adjacent mappings may merge)."""
    try:
        text = pathlib.Path("/proc/self/maps").read_text()
    except OSError:
        return True  # no procfs: the registry is the only view
    for line in text.splitlines():
        start, end = (int(x, 16) for x in line.split(None, 1)[0].split("-"))
        if start <= address < end:
            return True
    return False


@attrs.define
class Item:
    """One live object of the model and what it holds."""

    obj: Any
    kind: str  # "file", "pipe_r", "pipe_w", "dir", "region", "sock", "proc"
    fd: int | None = None  # the descriptor it holds (a pidfd for a process)
    address: int | None = None
    pid: int | None = None
    peer: Item | None = None  # the other end of a pipe or socket pair


class ObjectsMachine(RuleBasedStateMachine):
    """Random interleavings across all macres objects; the OS view must match the model."""

    def __init__(self) -> None:
        super().__init__()
        gc.collect()
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "data")
        with open(self.path, "wb") as f:
            f.write(bytes(range(256)) * 32)
        self.base_fds = open_fds()
        self.base_maps = set(memory.live_mappings())
        self.base_kids = children()
        self.items: list[Item] = []
        self.raw_fds: set[int] = set()  # detached numbers the machine owns

    # -- helpers -------------------------------------------------------------------------
    def _add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    def _pick(self, data: st.DataObject, *kinds: str) -> Item | None:
        found = [i for i in self.items if not kinds or i.kind in kinds]
        if not found:
            return None
        return data.draw(st.sampled_from(found))

    def _forget(self, item: Item) -> None:
        self.items.remove(item)
        if item.peer is not None:
            item.peer.peer = None

    def _room(self) -> bool:
        return len(self.items) < MAX_OBJECTS

    # -- creation --------------------------------------------------------------------------
    @precondition(lambda self: self._room())
    @rule()
    def open_file(self) -> None:
        fd = macres.open(self.path, "r+")
        self._add(Item(fd, "file", fd=fd.fileno()))

    @precondition(lambda self: self._room())
    @rule()
    def make_pipe(self) -> None:
        r, w = macres.pipe()
        a = self._add(Item(r, "pipe_r", fd=r.fileno()))
        b = self._add(Item(w, "pipe_w", fd=w.fileno(), peer=a))
        a.peer = b

    @precondition(lambda self: self._room())
    @rule()
    def open_dir(self) -> None:
        d = macres.opendir(self.tmp.name)
        self._add(Item(d, "dir", fd=d.fileno()))

    @precondition(lambda self: self._room())
    @rule()
    def socket_pair(self) -> None:
        s1, s2 = macres.Socket.pair(socket.AF_UNIX, socket.SOCK_STREAM)
        a = self._add(Item(s1, "sock", fd=s1.fileno()))
        b = self._add(Item(s2, "sock", fd=s2.fileno(), peer=a))
        a.peer = b

    @precondition(lambda self: self._room())
    @rule(size=st.integers(1, 3 * memory._PAGE))
    def map_anonymous(self, size: int) -> None:
        region = macres.MappedRegion.anonymous(size)
        self._add(Item(region, "region", address=region.address))

    @precondition(lambda self: self._room())
    @rule(data=st.data())
    def map_file(self, data: st.DataObject) -> None:
        source = self._pick(data, "file")
        if source is None:
            return
        region = macres.MappedRegion.from_file(source.obj, 4096, shared=data.draw(st.booleans()))
        self._add(Item(region, "region", address=region.address))

    @precondition(lambda self: self._room() and sum(i.kind == "proc" for i in self.items) < MAX_PROCESSES)
    @rule()
    def spawn(self) -> None:
        proc = macres.Process.spawn(["sleep", "60"], grace=5.0)
        # The kernel's word on what the object holds.
        pidfds = pidfds_of(proc.pid) if raw.SYSTEM == "linux" else []
        assert len(pidfds) <= 1
        self._add(Item(proc, "proc", fd=pidfds[0] if pidfds else None, pid=proc.pid))

    # -- use ----------------------------------------------------------------------------------
    @rule(data=st.data(), payload=st.binary(min_size=1, max_size=64))
    def use(self, data: st.DataObject, payload: bytes) -> None:
        item = self._pick(data)
        if item is None:
            return
        obj = item.obj
        if item.kind == "file":
            offset = data.draw(st.integers(0, 8192))
            obj.pwrite(payload, offset)
            assert obj.pread(len(payload), offset) == payload
        elif item.kind in ("pipe_r", "pipe_w"):
            if item.peer is None:
                assert obj.fstat().st_mode
                return
            r, w = (obj, item.peer.obj) if item.kind == "pipe_r" else (item.peer.obj, obj)
            w.write(payload)
            assert r.read(len(payload)) == payload
        elif item.kind == "sock":
            if item.peer is None:
                assert obj.getsockname() is not None
                return
            obj.sendall(payload)
            got = b""
            while len(got) < len(payload):
                got += item.peer.obj.recv(len(payload) - len(got))
            assert got == payload
        elif item.kind == "dir":
            assert "data" in {e.name for e in obj}
        elif item.kind == "region":
            index = data.draw(st.integers(0, len(obj) - 1))
            obj[index] = payload[0]
            assert obj[index] == payload[0]
        elif item.kind == "proc":
            assert obj.poll() is None
        else:  # a duplicate, a received or an adopted descriptor
            assert obj.fstat().st_ino == os.fstat(item.fd).st_ino

    @precondition(lambda self: self._room())
    @rule(data=st.data())
    def dup(self, data: st.DataObject) -> None:
        item = self._pick(data, "file", "pipe_r", "pipe_w")
        if item is None:
            return
        copy = item.obj.dup()
        assert copy.fileno() != item.fd
        self._add(Item(copy, "file" if item.kind == "file" else "dup", fd=copy.fileno()))

    @precondition(lambda self: self._room())
    @rule(data=st.data())
    def pass_over_socket(self, data: st.DataObject) -> None:
        """Send a descriptor over a socket pair; the receiver gets a new owned FileDescriptor."""
        sender = self._pick(data, "sock")
        item = self._pick(data, "file", "pipe_r", "pipe_w", "dir", "sock")
        if sender is None or item is None or sender.peer is None:
            return
        sender.obj.send_fds(b"F", [item.obj])
        msg, fds = sender.peer.obj.recv_fds(1, 4)
        assert msg == b"F" and len(fds) == 1
        received = fds[0]
        assert received.fstat().st_ino == os.fstat(item.fd).st_ino
        self._add(Item(received, "passed", fd=received.fileno()))

    # -- endings ----------------------------------------------------------------------------
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        item = self._pick(data)
        if item is None:
            return
        item.obj.close()
        assert item.obj.closed
        with pytest.raises(macres.ClosedResourceError):
            if item.kind == "region":
                item.obj[0]
            elif item.kind == "proc":
                item.obj.wait()
            else:
                item.obj.fileno()
        if item.kind == "proc":  # what Popen keeps answering: the code close reaped
            assert item.obj.poll() == item.obj.returncode is not None
        item.obj.close()  # idempotent
        self._forget(item)

    @rule(data=st.data())
    def detach(self, data: st.DataObject) -> None:
        item = self._pick(data, "file", "pipe_r", "pipe_w", "dir", "sock", "passed", "region")
        if item is None:
            return
        # Drawn before detaching: a draw can end the example (hypothesis runs out of
        # data), and a detached number owned by nobody would leak.
        keep_raw = data.draw(st.booleans())
        length = len(item.obj) if item.kind == "region" else 0
        handle = item.obj.detach()
        assert item.obj.closed
        self._forget(item)
        if item.kind == "region":
            assert handle == item.address and handle not in memory.live_mappings()
            raw.munmap(handle, -(-length // memory._PAGE) * memory._PAGE)
        else:
            assert handle == item.fd
            if keep_raw:
                self.raw_fds.add(handle)  # closed later by close_raw, or adopted
            else:
                self._add(Item(macres.FileDescriptor(handle), "file_adopted", fd=handle))

    @rule(data=st.data())
    def close_raw(self, data: st.DataObject) -> None:
        if not self.raw_fds:
            return
        fd = data.draw(st.sampled_from(sorted(self.raw_fds)))
        os.close(fd)
        self.raw_fds.discard(fd)

    @rule(data=st.data())
    def drop(self, data: st.DataObject) -> None:
        """Drop the last reference: collection releases the resource and warns."""
        item = self._pick(data)
        if item is None:
            return
        self._forget(item)
        obj = item.obj
        item.obj = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del obj
            gc.collect()
        assert any(issubclass(w.category, ResourceWarning) for w in caught), [str(w.message) for w in caught]

    # -- the OS must agree with the model -------------------------------------------------------
    @invariant()
    def descriptors_match(self) -> None:
        expected = self.base_fds | {i.fd for i in self.items if i.fd is not None} | self.raw_fds
        assert open_fds() == expected

    @invariant()
    def mappings_match(self) -> None:
        regions = {i.address for i in self.items if i.kind == "region"}
        assert set(memory.live_mappings()) == self.base_maps | regions
        for address in regions:
            assert _mapped(address)

    @invariant()
    def children_match(self) -> None:
        assert children() == self.base_kids | {i.pid for i in self.items if i.pid is not None}

    def teardown(self) -> None:
        errors = []
        for item in self.items:
            try:
                item.obj.close()
            except Exception as exc:  # noqa: BLE001 - close the rest, then report
                errors.append(exc)
        self.items.clear()
        for fd in self.raw_fds:
            os.close(fd)
        self.raw_fds.clear()
        self.tmp.cleanup()
        gc.collect()
        assert not errors
        assert open_fds() == self.base_fds
        assert set(memory.live_mappings()) == self.base_maps
        assert children() == self.base_kids


ObjectsMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=40, deadline=None)
TestObjects = ObjectsMachine.TestCase
