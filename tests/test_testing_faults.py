"""macres.testing.faults: planned failures reach the object layer through the real call paths, on both cores."""

from __future__ import annotations

import errno
import os
import re
import runpy
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
import macres.testing
from _strace import kernel_calls, needs_strace
from macres import Socket, _backend
from macres.raw import _fd as raw_fd
from macres.testing import Fault, FaultPlan, fault_plans, faults, known_calls
from test_readme import BLOCKS
from test_testing import needs_entry_point

pytest_plugins = ["pytester"]

# -- one object-layer call per injectable call, each made three times ----------


class _Scenario:
    """Resources for one call and the object-level action that makes it once."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.path = str(tmp / "file")
        with open(self.path, "wb") as f:
            f.write(b"0123456789" * 10)
        self.closers: list[Callable[[], object]] = []

    def keep(self, obj: object) -> None:
        self.closers.append(obj.close)  # type: ignore[attr-defined]

    def close(self) -> None:
        for close in reversed(self.closers):
            close()

    def file(self) -> macres.FileDescriptor:
        fd = macres.open(self.path, "r+")
        self.keep(fd)
        return fd

    def pair(self) -> tuple[Socket, Socket]:
        a, b = Socket.pair()
        self.keep(a)
        self.keep(b)
        return a, b

    def listener(self) -> Socket:
        srv = Socket(socket.AF_INET, socket.SOCK_STREAM)
        self.keep(srv)
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        return srv


def _action(call: str, s: _Scenario) -> Callable[[], object]:
    """The object-layer call that makes *call* once (set up beforehand)."""
    if call in ("read", "write", "pread", "pwrite", "fstat", "fsync"):
        fd = s.file()
        return {
            "read": lambda: fd.read(4),
            "write": lambda: fd.write(b"ab"),
            "pread": lambda: fd.pread(4, 0),
            "pwrite": lambda: fd.pwrite(b"ab", 3),
            "fstat": fd.fstat,
            "fsync": fd.fsync,
        }[call]
    if call == "pread_into":
        fd = s.file()
        buf = bytearray(4)
        return lambda: fd.pread_into(buf, 0)
    if call == "open":
        return lambda: macres.open(s.path, "r").close()
    if call == "close":
        return lambda: macres.open(s.path, "r").close()
    if call in ("send", "recv", "recv_into"):
        a, b = s.pair()
        if call == "send":
            return lambda: (a.send(b"x"), b.recv(1))
        buf = bytearray(1)
        return lambda: (a.send(b"x"), b.recv(1) if call == "recv" else b.recv_into(buf))
    srv = s.listener()
    address = srv.getsockname()
    if call == "accept":

        def accept() -> None:
            with Socket(socket.AF_INET, socket.SOCK_STREAM) as client:
                client.connect(address)
                conn, _ = srv.accept()
                conn.close()

        return accept

    def connect() -> None:
        with Socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(address)
            srv.accept()[0].close()

    return connect


#: The call as the plan names it, the object-level action, the error asked for.
CALLS = [
    ("read", "read", errno.EIO),
    ("write", "write", errno.ENOSPC),
    ("pread", "pread", errno.EIO),
    ("pread", "pread_into", errno.EIO),
    ("pwrite", "pwrite", errno.EDQUOT),
    ("open", "open", errno.EMFILE),
    ("close", "close", errno.EIO),
    ("fsync", "fsync", errno.EIO),
    ("fstat", "fstat", errno.EOVERFLOW),
    ("send", "send", errno.ECONNRESET),
    ("recv", "recv", errno.ECONNRESET),
    ("recv", "recv_into", errno.ETIMEDOUT),
    ("accept", "accept", errno.ECONNABORTED),
    ("connect", "connect", errno.ECONNREFUSED),
]


@pytest.fixture
def scenario(tmp_path: Path) -> Iterator[_Scenario]:
    s = _Scenario(tmp_path)
    yield s
    s.close()


@pytest.mark.parametrize(("call", "action", "err"), CALLS, ids=[a for _, a, _ in CALLS])
def test_the_nth_call_fails_with_the_errno(call: str, action: str, err: int, scenario: _Scenario) -> None:
    """Fault(call, err, nth=2): the first and third calls succeed, the second raises OSError(err) through the object."""
    act = _action(action, scenario)
    outcomes = []
    with faults(Fault(call, err, nth=2)) as log:
        for _ in range(3):
            try:
                act()
                outcomes.append(0)
            except OSError as exc:
                outcomes.append(exc.errno)

    assert [0, err, 0] == outcomes
    assert [(call, Fault(call, err, nth=2))] == [(n if n == call else _family(n), f) for n, f in log.injected]


def _family(site: str) -> str:
    return {"openat": "open", "preadv": "pread", "readv": "read", "recvfrom": "recv", "sendto": "send", "accept4": "accept"}[site]


def test_a_failed_close_still_closes(scenario: _Scenario) -> None:
    """close(2) releases the descriptor even when it fails: the object is closed and its number is free."""
    fd = macres.open(scenario.path, "r")
    number = fd.fileno()
    with faults({"close": errno.EIO}), pytest.raises(OSError) as info:
        fd.close()

    assert (errno.EIO, True) == (info.value.errno, fd.closed)
    assert number not in macres.testing.open_descriptors()


def test_an_area_names_all_its_calls(scenario: _Scenario) -> None:
    """A plan on the area "socket" fails send and recv alike; file calls go on."""
    a, b = scenario.pair()
    fd = scenario.file()
    with faults({"socket": errno.ENETDOWN}):
        with pytest.raises(OSError) as sent:
            a.send(b"x")
        with pytest.raises(OSError) as received:
            b.recv(1)
        assert b"0123" == fd.pread(4, 0)

    assert (errno.ENETDOWN, errno.ENETDOWN) == (sent.value.errno, received.value.errno)


# -- short transfers -----------------------------------------------------------
@pytest.mark.parametrize("limit", [1, 2, 7])
def test_short_writes_make_write_all_loop(limit: int, scenario: _Scenario) -> None:
    """Each write moves at most LIMIT bytes: write_all loops until every byte is written, in order."""
    data = bytes(range(50))
    fd = scenario.file()
    fd.ftruncate(0)
    with faults(Fault("write", short=limit)) as log:
        fd.write_all(data)

    assert data == fd.pread(100, 0)
    assert -(-len(data) // limit) == log.calls["write"]


def test_a_short_write_returns_what_it_wrote(scenario: _Scenario) -> None:
    """One write under a short fault writes the first bytes only and says so."""
    fd = scenario.file()
    with faults(Fault("write", short=3)):
        count = fd.write(b"abcdefgh")

    assert (3, b"abc3456789") == (count, fd.pread(10, 0))


@pytest.mark.parametrize("limit", [1, 3])
def test_short_sends_make_sendall_loop(limit: int, scenario: _Scenario) -> None:
    """Each send moves at most LIMIT bytes: sendall loops and the peer receives every byte, in order."""
    a, b = scenario.pair()
    data = os.urandom(40)
    with faults(Fault("send", short=limit)) as log:
        a.sendall(data)
    a.shutdown(socket.SHUT_WR)
    got = b""
    for _ in range(100):
        chunk = b.recv(100)
        if not chunk:
            break
        got += chunk

    assert data == got
    assert -(-len(data) // limit) == log.calls["send"] + log.calls["sendto"]


def test_short_reads_return_fewer_bytes(scenario: _Scenario) -> None:
    """recv and read under a short fault return the first bytes; the rest waits for the next call."""
    a, b = scenario.pair()
    fd = scenario.file()
    a.send(b"abcdef")
    with faults(Fault("recv", short=2), Fault("read", short=3)):
        first, second = b.recv(100), b.recv(100)
        r1 = fd.read(100)

    assert (b"ab", b"cd", b"012") == (first, second, r1)
    assert b"ef" == b.recv(100)


def test_a_short_fault_needs_a_call_that_moves_bytes() -> None:
    """Fault("fsync", short=1) is refused: fsync moves no bytes."""
    with pytest.raises(ValueError, match="moves no bytes"):
        Fault("fsync", short=1)


# -- EINTR: the retry path runs and the call succeeds --------------------------
@pytest.mark.parametrize(("call", "action"), [("read", "read"), ("write", "write"), ("pread", "pread_into"), ("fsync", "fsync"), ("fstat", "fstat"), ("recv", "recv"), ("send", "send"), ("accept", "accept"), ("connect", "connect"), ("open", "open")])  # fmt: skip
def test_an_interrupted_call_is_retried_and_succeeds(call: str, action: str, scenario: _Scenario) -> None:
    """Every call is interrupted once (EINTR): the retry path makes it again and the object-level call succeeds."""
    act = _action(action, scenario)
    with faults(Fault(call, errno.EINTR)) as log:
        act()
        act()

    assert 2 == len(log.injected)
    assert all(fault.errno == errno.EINTR for _, fault in log.injected)


@needs_strace
def test_an_interrupted_fsync_reaches_the_kernel_once(tmp_path: Path) -> None:
    """strace: an fsync whose first attempt got EINTR succeeds with one fsync(2): the retry, not the planned attempt."""
    calls = kernel_calls(
        "with faults(Fault('fsync', errno.EINTR, nth=1)) as log:\n    fd.fsync()\nassert log.injected",
        f"import errno, macres\nfrom macres.testing import Fault, faults\nfd = macres.open({str(tmp_path / 'f')!r}, 'w')",
        trace="fsync",
        env=dict(os.environ),
    )

    assert [("fsync", "0")] == [(c.name, c.result) for c in calls]


@pytest.mark.skipif(_backend.compiled is None, reason="the pure core's fstat is os.fstat, which retries EINTR inside CPython")
def test_the_compiled_core_asks_again_after_eintr(scenario: _Scenario) -> None:
    """The retry of an interrupted core call asks the plan again (two attempts): the core's EINTR loop ran."""
    fd = scenario.file()
    with faults(Fault("fstat", errno.EINTR)) as log:
        fd.fstat()

    assert 2 == log.calls["fstat"]


# -- scope ---------------------------------------------------------------------
def test_nothing_leaks_out_of_the_scope(scenario: _Scenario) -> None:
    """After the block, calls reach the kernel again, the core's hook is gone and the call sites are the plain functions."""
    fd = scenario.file()
    with faults({"fd": errno.EIO}), pytest.raises(OSError):
        fd.fstat()
    fd.fstat()
    fd.fsync()

    assert (None, os.write, os.fstat) == (_backend.core.get_fault_hook(), raw_fd._os_write, raw_fd._os_fstat)


def test_a_scope_ends_on_an_exception_too(scenario: _Scenario) -> None:
    """An exception leaving the block ends the plan all the same."""
    fd = scenario.file()
    with pytest.raises(KeyError), faults({"fstat": errno.EIO}):
        raise KeyError("out")
    fd.fstat()


def test_other_threads_are_not_affected(scenario: _Scenario) -> None:
    """A thread-local plan leaves another thread's calls alone, while it is active."""
    fd = scenario.file()
    seen: list[object] = []
    with faults({"pread": errno.EIO}):
        worker = threading.Thread(target=lambda: seen.append(fd.pread(4, 0)))
        worker.start()
        worker.join(30)
        with pytest.raises(OSError):
            fd.pread(4, 0)

    assert [b"0123"] == seen


def test_all_threads_reaches_other_threads(scenario: _Scenario) -> None:
    """all_threads=True fails another thread's calls too."""
    fd = scenario.file()
    seen: list[object] = []

    def work() -> None:
        try:
            seen.append(fd.pread(4, 0))
        except OSError as exc:
            seen.append(exc.errno)

    with faults({"pread": errno.EIO}, all_threads=True):
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(30)

    assert [errno.EIO] == seen


def test_the_innermost_plan_wins(scenario: _Scenario) -> None:
    """Nested plans: the inner one decides while it is active, the outer one again after it."""
    fd = scenario.file()
    with faults({"fstat": errno.EIO}):
        with faults({"fstat": errno.EACCES}), pytest.raises(PermissionError):
            fd.fstat()
        with pytest.raises(OSError) as outer:
            fd.fstat()

    assert errno.EIO == outer.value.errno


# -- names ---------------------------------------------------------------------
def test_unknown_names_are_refused_with_a_suggestion() -> None:
    """A misspelt call is a ValueError that names the call it resembles."""
    with pytest.raises(ValueError, match="'write'"):
        Fault("wirte", errno.EIO)
    with pytest.raises(ValueError, match="unknown call"), faults({"bogus": errno.EIO}):
        pass


def test_known_calls_cover_the_bindings_and_areas() -> None:
    """Every binding name, the extra call sites and the areas are names a plan may use."""
    names = known_calls()

    assert {b.python_name for b in macres.raw.BINDINGS} <= names
    assert {"send", "recv", "readv", "preadv", "openat", "fd", "fs", "socket"} <= names


def test_a_plan_reads_back_as_python() -> None:
    """Fault and FaultPlan print as the expression that makes them (what hypothesis shows for a shrunk plan)."""
    plan = FaultPlan([Fault("write", errno.ENOSPC, nth=2), Fault("recv", short=3)])

    assert "FaultPlan([Fault('write', errno.ENOSPC, nth=2), Fault('recv', short=3)])" == repr(plan)
    assert plan == eval(repr(plan), {"FaultPlan": FaultPlan, "Fault": Fault, "errno": errno})


# -- leaks under faults --------------------------------------------------------
def test_the_registry_reports_what_a_fault_left_open(scenario: _Scenario) -> None:
    """Code that forgets to close when a call fails: leaks_since names the descriptor and where it was opened."""
    was = macres.testing.enabled()
    macres.testing.enable()
    kept: list[macres.FileDescriptor] = []

    def careless() -> None:
        fd = macres.open(scenario.path, "r")
        kept.append(fd)
        fd.fstat()  # fails: fd is never closed
        fd.close()

    try:
        before = macres.testing.snapshot()
        with faults({"fstat": errno.EIO}), pytest.raises(OSError):
            careless()
        report = macres.testing.leaks_since(before)
    finally:
        for fd in kept:
            fd.close()
        if not was:
            macres.testing.disable()

    assert [kept[0].closed] == [True]
    assert "careless" in report.format()


# -- hypothesis ----------------------------------------------------------------
@given(plan=fault_plans(["write", "fsync", "socket"], errors=[errno.EIO, errno.ENOSPC]))
def test_fault_plans_draw_valid_plans(plan: FaultPlan) -> None:
    """Drawn plans hold at most three faults on the calls asked for, each an error, EINTR or a short transfer."""
    assert len(plan) <= 3
    for fault in plan.faults:
        assert fault.call in ("write", "fsync", "socket")
        assert fault.errno in (errno.EIO, errno.ENOSPC, errno.EINTR) or (fault.short and fault.call == "write")


def test_fault_plans_refuse_unknown_calls() -> None:
    """fault_plans checks its names at once."""
    with pytest.raises(ValueError, match="unknown call"):
        fault_plans(["nope"])


@hypothesis.settings(max_examples=30, deadline=None)
@given(data=st.binary(min_size=1, max_size=200), plan=fault_plans(["write"], errors=[errno.ENOSPC]))
def test_write_all_is_all_or_an_error(data: bytes, plan: FaultPlan, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under any plan of ENOSPC, EINTR and short writes, write_all writes every byte or raises ENOSPC."""
    path = tmp_path_factory.mktemp("w") / "f"
    with macres.open(str(path), "w+") as fd:
        try:
            with faults(plan):
                fd.write_all(data)
        except OSError as exc:
            assert errno.ENOSPC == exc.errno
            return
        assert data == fd.pread(len(data) + 1, 0)


# -- the README's property test ------------------------------------------------
BUGGY_COPIER = '''
import macres

def copy(source, destination, *, force, wait):
    """A copier with a planted bug: it leaves its partial file behind when a call fails."""
    with macres.open(source, "r") as src, macres.open(destination, "x") as dst:
        while chunk := src.read(4096):
            dst.write_all(chunk)
        dst.fsync()
    return 0
'''


def _readme_property() -> str:
    (block,) = [b for b in BLOCKS if "import safe_copy" in b]
    return block


def test_the_readme_property_finds_a_planted_bug_with_a_shrunk_plan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The README's safe_copy property, run on a copier that keeps its partial file, fails with a one-fault plan."""
    buggy = types.ModuleType("safe_copy")
    exec(BUGGY_COPIER, buggy.__dict__)
    monkeypatch.setitem(sys.modules, "safe_copy", buggy)
    hypothesis.settings.register_profile("planted", report_multiple_bugs=False, database=None, derandomize=True)
    previous = hypothesis.settings._current_profile
    hypothesis.settings.load_profile("planted")
    try:
        with pytest.raises(AssertionError, match="left its file behind") as info:
            script = tmp_path / "readme_property.py"
            script.write_text(_readme_property())
            runpy.run_path(str(script))
    finally:
        hypothesis.settings.load_profile(previous or "default")

    report = "\n".join(getattr(info.value, "__notes__", []))
    plan = re.search(r"plan=(FaultPlan\(.*?\)\)?),?\n", report, re.S)
    assert plan is not None, report
    assert 1 == len(re.findall(r"\bFault\(", plan.group(1))), plan.group(1)


# -- the leak plugin, turned on in a project's configuration -------------------

CARELESS_UNDER_FAULTS = '''
import errno
import os
import macres
from macres.testing import faults

KEEP = []

def copy_header(path):
    fd = macres.open(path, "r")
    KEEP.append(fd)  # kept, and closed only on success: a fault leaks it
    header = fd.pread(16, 0)
    fd.close()
    return header

def test_fstat_fault_leaks():
    with faults({"pread": errno.EIO}):
        try:
            copy_header(os.devnull)
        except OSError:
            pass

def test_no_fault_no_leak():
    copy_header(os.devnull)
'''


@needs_entry_point
def test_the_plugin_in_pyproject_reports_what_a_fault_left_open(pytester: pytest.Pytester) -> None:
    """macres_leaks = true in a project's pyproject.toml: the test whose fault left a file open errors, naming where it was opened."""
    pytester.makepyprojecttoml("[tool.pytest.ini_options]\nmacres_leaks = true\n")
    pytester.makepyfile(test_careless=CARELESS_UNDER_FAULTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*macres leak check: test_careless.py::test_fstat_fault_leaks leaked*", "*in copy_header*"])


# -- the raw layer ---------------------------------------------------------------
def test_arming_reaches_every_c_function_of_the_raw_layer() -> None:
    """While a plan is active, no macres module holds a ctypes function of the raw layer unwrapped."""
    from macres.raw import _libc

    def plain_sites() -> list[str]:
        return [
            f"{name}.{key}"
            for name, module in list(sys.modules.items())
            if name.startswith("macres.") and not name.startswith("macres.testing")
            for key, value in list(vars(module).items())
            if id(value) in _libc.CALLS and _libc.CALLS[id(value)][0] is value
        ]

    before = plain_sites()
    with faults():
        during = plain_sites()

    assert ([], True) == (during, len(before) > 50)
    assert before == plain_sites()


@pytest.mark.parametrize(
    ("call", "run"),
    [
        ("ftruncate", lambda p, fd: macres.raw.ftruncate(fd, 1)),
        ("flock", lambda p, fd: macres.raw.flock(fd, macres.raw.ABI.LOCK_SH)),
        ("fchmod", lambda p, fd: macres.raw.fchmod(fd, 0o600)),
        ("stat", lambda p, fd: macres.raw.stat(p)),
        ("mkdir", lambda p, fd: macres.raw.mkdir(p + ".d", 0o700)),
        ("socket", lambda p, fd: macres.raw.close(macres.raw.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0))),
        ("pipe", lambda p, fd: [macres.raw.close(n) for n in macres.raw.pipe()]),
        ("dup", lambda p, fd: macres.raw.close(macres.raw.dup(fd))),
        ("lseek", lambda p, fd: macres.raw.lseek(fd, 0, os.SEEK_SET)),
        ("fs", lambda p, fd: macres.raw.stat(p)),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_raw_bindings_fail_as_planned(call: str, run: Callable[[str, int], object], scenario: _Scenario) -> None:
    """A raw binding, ctypes or stdlib underneath, raises the planned errno through its own checks; not outside the plan."""
    fd = scenario.file()
    with faults({call: errno.EACCES}), pytest.raises(PermissionError):
        run(scenario.path, fd.fileno())
    run(scenario.path, fd.fileno())


def test_the_core_refuses_a_fault_hook_that_cannot_be_called() -> None:
    """set_fault_hook takes a callable or None, on both cores, and nothing is installed outside a plan."""
    with pytest.raises(TypeError, match="callable"):
        _backend.core.set_fault_hook(42)  # type: ignore[arg-type]

    assert _backend.core.get_fault_hook() is None


@pytest.mark.parametrize(
    ("call", "run"),
    [
        ("socket", lambda: Socket(socket.AF_UNIX, socket.SOCK_STREAM).close()),
        ("socketpair", lambda: [s.close() for s in Socket.pair()]),
        ("getsockopt", lambda: _with_pair(lambda a: a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))),
        ("setsockopt", lambda: _with_pair(lambda a: a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536))),
        ("sendto", lambda: _with_pair(lambda a: macres.raw.sendto(a.fileno(), b"x"))),
        ("recvfrom", lambda: _with_pair(lambda a: macres.raw.recvfrom(a.fileno(), bytearray(1), socket.MSG_DONTWAIT))),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_socket_calls_fail_as_planned(call: str, run: Callable[[], object]) -> None:
    """Making, configuring and (raw) sending on sockets fail with the planned errno; outside the plan they work."""
    with faults({call: errno.ENOBUFS}), pytest.raises(OSError) as info:
        run()
    run() if call != "recvfrom" else None

    assert errno.ENOBUFS == info.value.errno


def _with_pair(body: Callable[[Socket], object]) -> object:
    a, b = Socket.pair()
    with a, b:
        return body(a)


# -- process, event and memory calls of the compiled core ----------------------
def _process_action(call: str, s: _Scenario) -> Callable[[], object]:
    """The object-layer call that makes *call* once: process, event queue and mapping calls."""
    if call in ("kill", "poll"):
        child = macres.Process.spawn(["sleep", "60"])
        s.keep(child)
        return (lambda: child.kill(0)) if call == "kill" else child.poll
    if call == "wait":
        queue = macres.EventQueue()
        s.keep(queue)
        return lambda: queue.wait(0)
    if call == "anonymous":
        return lambda: macres.MappedRegion.anonymous(4096).close()
    region = macres.MappedRegion.anonymous(4096, shared=True)
    s.keep(region)
    return (lambda: region.mprotect(macres.PROT_READ | macres.PROT_WRITE)) if call == "mprotect" else region.msync


#: The call as the plan names it, the object-level action, the error asked for.
PROCESS_CALLS = [
    ("kill", "kill", errno.EPERM),
    ("wait4", "poll", errno.EINVAL),  # not ECHILD: a Child records that as reaped elsewhere, for good (Popen's 0)
    ("epoll_wait", "wait", errno.EBADF),
    ("mmap", "anonymous", errno.ENOMEM),
    ("mprotect", "mprotect", errno.EACCES),
    ("msync", "msync", errno.EIO),
]


@pytest.mark.parametrize(("call", "action", "err"), PROCESS_CALLS, ids=[c for c, _, _ in PROCESS_CALLS])
def test_process_event_and_memory_calls_fail_with_the_errno(call: str, action: str, err: int, scenario: _Scenario) -> None:
    """Fault(call, err, nth=2) on a signal, a reap, a queue wait or a mapping call: only the second call raises OSError(err)."""
    act = _process_action(action, scenario)
    outcomes = []
    with faults(Fault(call, err, nth=2)) as log:
        for _ in range(3):
            try:
                act()
                outcomes.append(0)
            except OSError as exc:
                outcomes.append(exc.errno)

    assert [0, err, 0] == outcomes
    assert [Fault(call, err, nth=2)] == [fault for _, fault in log.injected]


@pytest.mark.parametrize(("call", "action"), [("epoll_wait", "wait"), ("wait4", "poll")])
def test_an_interrupted_wait_is_retried_and_succeeds(call: str, action: str, scenario: _Scenario) -> None:
    """EINTR on a queue wait or a reap: the retry path makes the call again and the object-level call succeeds."""
    act = _process_action(action, scenario)
    with faults(Fault(call, errno.EINTR)) as log:
        act()
        act()

    assert 2 == len(log.injected)
    assert all(fault.errno == errno.EINTR for _, fault in log.injected)


@pytest.mark.parametrize("call", ["getdents64", "dir"])
def test_a_getdents64_fault_fails_a_directory_listing(tmp_path: Path, call: str) -> None:
    """Fault('getdents64' or its area 'dir', EIO): a listing and a walk raise or report OSError(EIO), on both cores
    (the pure core's os.scandir answers as getdents64); outside the plan they list."""
    (tmp_path / "a").touch()
    errors: list[OSError] = []
    with macres.opendir(tmp_path) as d:
        with faults({call: errno.EIO}):
            with pytest.raises(OSError) as info:
                list(d)
            assert [] == list(macres.walk(tmp_path, onerror=errors.append))

        assert errno.EIO == info.value.errno
        assert [errno.EIO] == [e.errno for e in errors]
        assert ["a"] == [entry.name for entry in d]


def test_an_openat_plan_fails_every_open_on_both_cores(tmp_path: Path) -> None:
    """Fault('openat', EIO) fails macres.open, opendir, Directory.open, Directory.opendir and open(dir_fd=) alike on
    both cores (the pure core's os.open answers as openat), naming the path; 'open' plans still reach them all."""
    (tmp_path / "f").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    with macres.opendir(tmp_path) as d:
        opens: list[Callable[[], object]] = [
            lambda: macres.open(tmp_path / "f"),
            lambda: macres.opendir(tmp_path),
            lambda: d.open("f"),
            lambda: d.opendir("sub"),
            lambda: macres.open("f", dir_fd=d),
        ]
        for name in ("openat", "open"):
            for call in opens:
                with faults(Fault(name, errno.EIO)), pytest.raises(OSError) as info:
                    call()
                assert info.value.errno == errno.EIO
                assert info.value.filename is not None


def _signal_a_sleeping_child() -> None:
    with macres.Process.spawn(["sleep", "30"]) as child:
        child.terminate()


@pytest.mark.parametrize(
    ("call", "act"),
    [
        ("pipe", lambda: [end.close() for end in macres.pipe()]),
        ("kill", lambda: macres.Process.current().send_signal(0)),
        ("pidfd_send_signal", _signal_a_sleeping_child),
    ],
    ids=["pipe", "kill", "pidfd_send_signal"],
)
def test_an_injected_eintr_is_retried_by_calls_that_cannot_block(call: str, act: Callable[[], object]) -> None:
    """EINTR on pipe, kill or pidfd_send_signal is retried on both cores (CPython's os calls retry it): the call succeeds."""
    with faults(Fault(call, errno.EINTR, nth=1)) as log:
        act()
    assert [fault.errno for _, fault in log.injected] == [errno.EINTR]
