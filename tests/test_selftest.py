"""Tests of the selftest checks for files, the newer process features, event sources and macres.aio.

Two kinds.  The areas run as ``macres selftest --area ... --json`` in a
subprocess on each core and pass here, the leak check after them included.
And representative checks fail when what they check is broken: the macres
call is monkeypatched in this process to misbehave, the check function is run
directly (``_selftest._run_one``), once as it is (the control: it passes)
and once broken (it fails, saying what the oracle saw).
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import macres
from macres import _selftest
from macres._selftest import AREAS, CHECKS, Check, Context, Result

#: The areas added after the first 58 checks (the process area gained checks too).
NEW_AREAS = ("files", "event", "async")
CORES = ["compiled", "pure"]


def core_env(core: str) -> dict[str, str]:
    """The environment that makes a subprocess pick *core*; skips when the compiled core is not built."""
    if core == "compiled" and importlib.util.find_spec("macres._core") is None:
        pytest.skip("the compiled core is not built here")
    return {**os.environ, "MACRES_PURE": "1" if core == "pure" else "0"}


def selftest(core: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m macres selftest ARGS`` on *core*."""
    return subprocess.run(
        [sys.executable, "-m", "macres", "selftest", *args],
        capture_output=True, text=True, timeout=120, check=False, env=core_env(core),
    )  # fmt: skip


def xattrs_work_in(directory: str) -> bool:
    """Whether the file system of *directory* takes user extended attributes (the oracle: os.setxattr)."""
    setxattr = getattr(os, "setxattr", None)
    if setxattr is None:
        return True  # macOS: every local file system does
    path = os.path.join(directory, "xattr-probe")
    with open(path, "w"):
        pass
    try:
        setxattr(path, "user.probe", b"1")
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    finally:
        os.unlink(path)
    return True


def allowed_skip(result: dict[str, Any]) -> bool:
    """A skip this machine may give: no trio, or no extended attributes where the selftest's files live."""
    if result["name"].startswith("AsyncSocket under trio"):
        return importlib.util.find_spec("trio") is None
    if result["name"].startswith("extended attributes"):
        import tempfile

        return not xattrs_work_in(tempfile.gettempdir())
    return False


# -- the areas, as the command runs them -------------------------------------------------
@pytest.mark.parametrize("core", CORES)
def test_the_new_areas_pass_here_and_leave_nothing_behind(core: str) -> None:
    """files, process, event and async run on this core, every check passes, and the leak check after them too."""
    areas = ["files", "process", "event", "async", "lifecycle"]
    proc = selftest(core, *[a for area in areas for a in ("--area", area)], "--json")

    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["environment"]["core"].startswith(core)
    results = data["results"]
    expected = [c.name for a in areas for c in CHECKS if c.area == a] + ["no descriptors or children left behind"]
    assert [r["name"] for r in results] == expected  # report order: AREAS, then registration order
    for r in results:
        assert r["detail"], r
        assert r["status"] == "pass" or (r["status"] == "skip" and allowed_skip(r)), r
    assert {r["area"] for r in results} == set(areas)
    assert data["summary"]["failed"] == 0


@pytest.mark.parametrize("area", NEW_AREAS)
def test_each_new_area_is_a_filter_of_its_own(area: str) -> None:
    """``--area X`` runs exactly X's checks, each on its own line, marked pass."""
    proc = selftest("pure", "--area", area)

    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("area"))
    table = lines[header + 2 : lines.index("", header)]
    column = lines[header].index("result")

    assert [row.split()[0] for row in table] == [area] * len([c for c in CHECKS if c.area == area])
    assert all(row[column : column + 4] in ("pass", "skip") for row in table)
    assert lines[-1].startswith(f"{len(table)} checks:") and "0 failed" in lines[-1]


def test_an_unknown_area_names_the_new_ones() -> None:
    """The usage error for an unknown area lists every area, the new ones included."""
    proc = selftest("pure", "--area", "gpu")

    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    for area in AREAS:
        assert area in proc.stderr


def test_help_lists_every_area() -> None:
    """``macres selftest --help`` names every area the --area filter takes."""
    out = subprocess.run([sys.executable, "-m", "macres", "selftest", "--help"], capture_output=True, text=True,
                         timeout=60, check=True).stdout  # fmt: skip
    assert "(repeatable): " + ", ".join(AREAS) in " ".join(out.split())


def test_results_follow_the_area_order_not_the_registration_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check registered late for an early area is still reported with that area."""
    monkeypatch.setattr(_selftest, "CHECKS", [
        Check("event", "first registered", lambda _: "e"),
        Check("fd", "second", lambda _: "f"),
        Check("abi", "third", lambda _: "a"),
        Check("fd", "fourth", lambda _: "g"),
    ])  # fmt: skip

    results = _selftest.run(frozenset({"abi", "fd", "event"}))

    assert [(r.area, r.name) for r in results] == [
        ("abi", "third"), ("fd", "second"), ("fd", "fourth"), ("event", "first registered"),
    ]  # fmt: skip


def test_areas_are_in_report_order_with_event_after_socket() -> None:
    """event comes right after socket, and lifecycle (with the leak check) stays last."""
    assert AREAS.index("event") == AREAS.index("socket") + 1
    assert AREAS[-1] == "lifecycle"
    assert set(NEW_AREAS) <= set(AREAS)


# -- the checks fail when what they check is broken --------------------------------------------
def named(area: str, prefix: str) -> Check:
    """The registered check of *area* whose name starts with *prefix*."""
    [check] = [c for c in CHECKS if c.area == area and c.name.startswith(prefix)]
    return check


def outcome(check: Check, tmp_path: Path) -> Result:
    """Run *check* in this process, as ``macres selftest`` would."""
    sub = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    sub.mkdir()
    return _selftest._run_one(check, Context(str(sub)))


def assert_fails_when_broken(check: Check, tmp_path: Path, breaks: Callable[[], contextlib.AbstractContextManager[Any]], says: str) -> None:
    """*check* passes as macres is, and fails with a detail containing *says* while *breaks* is in effect."""
    control = outcome(check, tmp_path)
    assert control.status == "pass", control

    with breaks():
        broken = outcome(check, tmp_path)

    assert broken.status == "fail", broken
    assert says in broken.detail, broken.detail


@contextlib.contextmanager
def patched(target: object, name: str, value: object) -> Iterator[None]:
    """*target.name* replaced by *value* for the block."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(target, name, value)
        yield


def test_timer_check_fails_when_a_one_shot_timer_counts_wrong(tmp_path: Path) -> None:
    """Timer.read reporting 2 expirations of a one-shot timer fails the Timer check."""
    from macres.sources import Timer

    real = Timer.read

    def doubled(self: Timer) -> int:
        return 2 * real(self)

    assert_fails_when_broken(named("event", "Timer:"), tmp_path, lambda: patched(Timer, "read", doubled),
                             "expirations of a one-shot timer: macres 2 != expected 1")  # fmt: skip


def test_event_queue_check_fails_when_the_value_is_lost(tmp_path: Path) -> None:
    """An EventQueue whose events lose the registered value fails the EventQueue check."""
    from macres.event import Event, EventQueue

    real = EventQueue.wait

    def forgetful(self: EventQueue[Any], *args: Any, **kwargs: Any) -> list[Event[Any]]:
        return [Event(e.obj, None, e.readable, e.writable, e.eof, e.error) for e in real(self, *args, **kwargs)]

    assert_fails_when_broken(named("event", "EventQueue:"), tmp_path, lambda: patched(EventQueue, "wait", forgetful),
                             "with nothing written")  # fmt: skip


def test_process_exit_check_fails_when_exited_lies(tmp_path: Path) -> None:
    """ProcessExit.exited() saying True while the child runs fails the ProcessExit check."""
    from macres.sources import ProcessExit

    assert_fails_when_broken(named("event", "ProcessExit:"), tmp_path,
                             lambda: patched(ProcessExit, "exited", lambda self: True), "exited() while the child runs")  # fmt: skip


def test_file_watch_check_fails_when_events_go_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FileWatch that drops renames fails the FileWatch check (within the check's bound, shortened here)."""
    from macres.sources import Change, FileWatch, WatchEvent

    real = FileWatch.read
    renames = Change.MOVED_FROM | Change.MOVED_TO | Change.MOVE_SELF

    def no_renames(self: FileWatch) -> list[WatchEvent]:
        return [e for e in real(self) if not e.changes & renames]

    monkeypatch.setattr(_selftest, "_BOUND", 1.0)
    assert_fails_when_broken(named("event", "FileWatch:"), tmp_path, lambda: patched(FileWatch, "read", no_renames),
                             "not reported within 1.0 s")  # fmt: skip


BROKEN_SIGNAL_SOURCE = textwrap.dedent(
    """
    import json, sys, tempfile
    from macres import _selftest
    from macres.sources import SignalSource
    if sys.argv[1] == "broken":
        SignalSource._restore = lambda self: None  # neither unblocks nor gives the handler back
    [check] = [c for c in _selftest.CHECKS if c.name.startswith("SignalSource:")]
    with tempfile.TemporaryDirectory() as tmp:
        result = _selftest._run_one(check, _selftest.Context(tmp))
    print(json.dumps({"status": result.status, "detail": result.detail}))
    """
)


@pytest.mark.parametrize("core", CORES)
def test_signal_check_fails_when_close_restores_nothing(core: str) -> None:
    """A SignalSource that leaves its signal blocked (Linux) or ignored (macOS) after close fails the check (subprocess)."""
    env = core_env(core)
    runs = {
        how: subprocess.run(
            [sys.executable, "-c", BROKEN_SIGNAL_SOURCE, how], capture_output=True, text=True, timeout=60, check=False, env=env
        )
        for how in ("as is", "broken")
    }
    for proc in runs.values():
        assert proc.returncode == 0, proc.stderr  # the check cleaned up: the process lived to print
    control, broken = (json.loads(runs[how].stdout) for how in ("as is", "broken"))

    assert control["status"] == "pass", control
    assert broken["status"] == "fail"
    assert "after close" in broken["detail"], broken


def test_process_by_pid_check_fails_when_the_exit_is_missed(tmp_path: Path) -> None:
    """Process.exited() that never turns True fails the check of a process that is not our child."""
    from macres.process import Process

    assert_fails_when_broken(named("process", "Process(pid) of a process that is not our child"), tmp_path,
                             lambda: patched(Process, "exited", lambda self: False), "exited() is False after the exit")  # fmt: skip


def test_communicate_check_fails_when_a_byte_is_lost(tmp_path: Path) -> None:
    """Child.communicate losing stdout's last byte fails the communicate check."""
    from macres.process import Child

    real = Child.communicate

    def lossy(self: Child, *args: Any, **kwargs: Any) -> tuple[bytes | None, bytes | None]:
        out, err = real(self, *args, **kwargs)
        return (out or b"")[:-1], err

    assert_fails_when_broken(named("process", "Child.communicate"), tmp_path, lambda: patched(Child, "communicate", lossy),
                             "stdout length")  # fmt: skip


def test_spawn_options_check_fails_when_the_umask_is_dropped(tmp_path: Path) -> None:
    """A spawn that ignores umask= fails the spawn options check: the child reports this process's umask."""
    from macres.process import Process

    real = Process.spawn

    def no_umask(argv: Any, **kwargs: Any) -> Any:
        kwargs.pop("umask", None)
        return real(argv, **kwargs)

    assert_fails_when_broken(named("process", "spawn options"), tmp_path,
                             lambda: patched(Process, "spawn", staticmethod(no_umask)), "umask in the child")  # fmt: skip


def test_oneshot_check_fails_when_the_block_reads_other_figures(tmp_path: Path) -> None:
    """A oneshot block whose figures differ from the per-call ones fails the oneshot check."""
    from macres.procinfo import ProcessInfo

    real_oneshot, real_ppid = ProcessInfo.oneshot, ProcessInfo.ppid
    inside: list[bool] = []

    @contextlib.contextmanager
    def stale(self: ProcessInfo) -> Iterator[None]:
        with real_oneshot(self):
            inside.append(True)
            try:
                yield
            finally:
                inside.pop()

    def ppid(self: ProcessInfo) -> int:
        return 1 if inside else real_ppid(self)

    @contextlib.contextmanager
    def breaks() -> Iterator[None]:
        with patched(ProcessInfo, "oneshot", stale), patched(ProcessInfo, "ppid", ppid):
            yield

    assert_fails_when_broken(named("process", "procinfo: figures read in a oneshot() block"), tmp_path, breaks,
                             "ppid in a oneshot block")  # fmt: skip


def test_range_lock_check_fails_when_lock_takes_nothing(tmp_path: Path) -> None:
    """FileDescriptor.lock that takes no lock fails the check: the child's LOCK_NB attempt succeeds."""
    assert_fails_when_broken(named("files", "byte-range locks"), tmp_path,
                             lambda: patched(macres.FileDescriptor, "lock", lambda self, *a, **k: None),
                             "child's exclusive lock of bytes 10-29, which we hold: macres b'free' != expected b'held'")  # fmt: skip


def test_xattr_check_fails_when_a_value_is_misread(tmp_path: Path) -> None:
    """getxattr returning other bytes than were set fails the extended-attribute check."""
    if not xattrs_work_in(str(tmp_path)):
        pytest.skip(f"the file system of {tmp_path} takes no user extended attributes")
    assert_fails_when_broken(named("files", "extended attributes"), tmp_path,
                             lambda: patched(macres.FileDescriptor, "getxattr", lambda self, name: b"other"),
                             "getxattr: macres b'other' != expected b'first value'")  # fmt: skip


def test_copy_check_fails_when_metadata_is_not_copied(tmp_path: Path) -> None:
    """fs.copy(metadata=True) that copies no mode or times fails the copy check (os.stat is the oracle)."""
    from macres import fs

    assert_fails_when_broken(named("files", "fs.copy"), tmp_path,
                             lambda: patched(fs, "_copy_metadata", lambda source, out, st: None), "with metadata=True")  # fmt: skip


def test_walk_check_fails_when_a_name_is_missing(tmp_path: Path) -> None:
    """A walk that leaves out one file name per directory fails the walk check (os.walk is the oracle)."""
    from macres import directory

    real = directory.walk

    def short(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for path, dirs, files, d in real(*args, **kwargs):
            yield path, dirs, files[1:], d

    assert_fails_when_broken(named("files", "walk:"), tmp_path, lambda: patched(directory, "walk", short), "top-down walk")


def test_cancelled_recv_check_fails_when_taken_bytes_are_dropped(tmp_path: Path) -> None:
    """Bytes a cancelled recv had taken, dropped instead of kept for the next recv, fail the check."""
    from macres.aio import _loop

    assert_fails_when_broken(named("async", "a cancelled AsyncSocket.recv"), tmp_path,
                             lambda: patched(_loop, "_keep", lambda obj, future: None),
                             "bytes after the cancelled recv: macres b'!' != expected b'hello!'")  # fmt: skip


def test_async_child_check_fails_when_wait_returns_early(tmp_path: Path) -> None:
    """An AsyncChild.wait that returns before the child ends fails the check."""
    from macres.aio import AsyncChild
    from macres.process import ExitStatus

    async def early(self: AsyncChild) -> ExitStatus:
        return ExitStatus.from_status(0)

    assert_fails_when_broken(named("async", "AsyncChild.wait"), tmp_path, lambda: patched(AsyncChild, "wait", early),
                             "a wait returned while the child still ran")  # fmt: skip


def test_readme_names_every_area() -> None:
    """The README's row for the command lists the areas --area takes, in report order."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| `macres selftest")]

    assert ", ".join(f"`{a}`" for a in AREAS) in row
