"""macres.testing: the registry of live objects, leak reports, and the pytest plugin (through pytester).

The plugin runs in a separate pytest process (``runpytest_subprocess``), so
what the inner tests leak on purpose never reaches this process.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import pathlib
import socket
import textwrap
from collections.abc import Iterator

import pytest
from _support import FORK_LOCK

import macres
from macres import testing


pytest_plugins = ["pytester"]


@pytest.fixture
def registry() -> Iterator[None]:
    """The registry enabled for one test, restored after."""
    was = testing.enabled()
    testing.enable()
    yield
    if not was:
        testing.disable()


def _make_pipe() -> tuple[macres.FileDescriptor, macres.FileDescriptor]:
    return macres.pipe()


def test_registry_lists_open_objects_with_their_creation_stack(registry: None, tmp_path: object) -> None:
    """live() lists each open object once, with a traceback naming the creating function and line."""
    snap = testing.snapshot()
    r, w = _make_pipe()
    try:
        found = testing.live(snap.serial)
        assert [o.obj for o in found] == [r, w]
        text = found[0].format()
        assert "_make_pipe" in text and "macres.pipe()" in text and repr(r) in text
        w.close()
        assert [o.obj for o in testing.live(snap.serial)] == [r]
    finally:
        r.close()
        w.close()
    assert testing.live(snap.serial) == []


def test_registry_forgets_collected_and_detached_objects(registry: None) -> None:
    """A detached object is not live; a collected one leaves the registry."""
    snap = testing.snapshot()
    fd = macres.open(os.devnull)
    number = fd.detach()
    os.close(number)
    assert testing.live(snap.serial) == []
    count = len(testing._entries)
    del fd
    assert len(testing._entries) == count - 1


def test_registry_disabled_records_nothing() -> None:
    """While disabled, new objects are not recorded (and cost one None check)."""
    was = testing.enabled()
    testing.disable()
    try:
        snap = testing.snapshot()
        with macres.open(os.devnull) as fd:
            assert not testing.enabled()
            assert all(o.obj is not fd for o in testing.live(snap.serial))
    finally:
        if was:
            testing.enable()


def test_current_process_is_not_a_leak(registry: None) -> None:
    """Process.current() holds no OS resource, so it never counts as leaked."""
    snap = testing.snapshot()
    me = macres.Process.current()
    assert testing.live(snap.serial) == []
    assert not testing.leaks_since(snap)
    del me


def test_enable_rejects_a_bad_limit() -> None:
    """A traceback limit below one is a ValueError."""
    with pytest.raises(ValueError):
        testing.enable(limit=0)


def test_leak_report_counts_the_os_view(registry: None) -> None:
    """Descriptors opened outside macres, macres objects and mappings all appear in the report."""
    snap = testing.snapshot()
    raw_fd = os.open(os.devnull, os.O_RDONLY)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    fd = macres.open(os.devnull)
    region = macres.MappedRegion.anonymous(100)
    try:
        report = testing.leaks_since(snap)
        assert report
        assert [o.obj for o in report.objects] == [fd, region]
        assert set(report.descriptors) == {raw_fd, sock.fileno()}
        assert report.children == () and report.mappings == ()
        text = report.format()
        assert "4 resource(s) leaked" in text
        assert f"descriptor {raw_fd} -> /dev/null" in text
        assert "MappedRegion" in text and "macres.open(os.devnull)" in text
    finally:
        os.close(raw_fd)
        sock.close()
        fd.close()
        region.close()
    assert not testing.leaks_since(snap)


def test_object_in_a_garbage_cycle_is_no_leak(registry: None) -> None:
    """An unclosed object only a reference cycle keeps is collected by the check (with its ResourceWarning)."""
    import warnings

    snap = testing.snapshot()
    cycle: list[object] = [macres.open(os.devnull)]
    cycle.append(cycle)
    del cycle
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = testing.leaks_since(snap)
    assert not report, report.format()
    assert [w.category for w in caught] == [ResourceWarning]


def test_leak_report_names_children(registry: None) -> None:
    """An unreaped child shows up, attributed to its Process object when macres owns it."""
    snap = testing.snapshot()
    proc = macres.Process.spawn(["sleep", "30"])
    try:
        report = testing.leaks_since(snap, child_grace=0)
        assert [o.obj for o in report.objects] == [proc]
        assert report.children == ()  # explained by the Process object
        assert report.descriptors == ()  # its pidfd too
    finally:
        proc.close()
    assert not testing.leaks_since(snap)


def test_os_views_match_the_stdlib() -> None:
    """open_descriptors sees a new os.pipe; child_processes sees a new child until it is reaped."""
    r, w = os.pipe()
    try:
        assert {r, w} <= testing.open_descriptors()
    finally:
        os.close(r)
        os.close(w)
    assert not {r, w} & testing.open_descriptors()
    with FORK_LOCK:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
    try:
        assert pid in testing.child_processes()
    finally:
        os.waitpid(pid, 0)
    assert pid not in testing.child_processes()


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads Linux's /proc")
def test_child_processes_without_the_kernels_children_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where /proc/self/task/*/children is missing (no CONFIG_PROC_CHILDREN), a zombie child is found in /proc/*/stat, as psutil finds it."""
    psutil = pytest.importorskip("psutil")
    pid = os.posix_spawnp("true", ["true"], os.environ)
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # a zombie now, still unreaped
        assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        expected = {child.pid for child in psutil.Process().children()}
        assert pid in expected
        assert testing.child_processes() == expected  # the kernel's children files
        monkeypatch.setattr(testing, "_CHILDREN_FILE", "children-missing-on-this-kernel")
        assert testing._children_from_tasks() is None
        assert testing.child_processes() == expected  # the /proc/*/stat scan
    finally:
        os.waitpid(pid, 0)
    assert pid not in testing.child_processes()


# -- the plugin ---------------------------------------------------------------------
LEAKY = textwrap.dedent(
    """
    import os
    import macres

    KEEP = []

    def make_leak():
        KEEP.append(macres.open(os.devnull))

    def test_leaks():
        make_leak()

    def test_leaks_raw_descriptor():
        KEEP.append(os.open(os.devnull, os.O_RDONLY))

    def test_clean():
        with macres.open(os.devnull) as fd:
            fd.fstat()
        r, w = macres.pipe()
        r.close()
        w.close()
    """
)


def _entry_point_installed() -> bool:
    return any(ep.name == "macres" for ep in importlib.metadata.entry_points(group="pytest11"))


needs_entry_point = pytest.mark.skipif(
    not _entry_point_installed(), reason="the pytest11 entry point is not installed (pip install -e .)"
)


@needs_entry_point
def test_plugin_fails_a_leaking_test_with_its_creation_traceback(pytester: pytest.Pytester) -> None:
    """With --macres-leaks, a test that leaks fails (teardown error) showing where the object was made."""
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("--macres-leaks", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaks*",
            "*macres leak check: test_leaky.py::test_leaks leaked*",
            "*<macres.FileDescriptor * created at (most recent call last):*",
            "*in make_leak*",
            "*KEEP.append(macres.open(os.devnull))*",
        ]
    )
    result.stdout.fnmatch_lines(["*test_leaks_raw_descriptor leaked*", "*descriptor * -> /dev/null, opened outside*"])
    assert "test_clean leaked" not in result.stdout.str()


@needs_entry_point
def test_plugin_is_inert_unless_enabled(pytester: pytest.Pytester) -> None:
    """Installed but not enabled, the plugin changes nothing: the leaking tests pass."""
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    assert "macres leak check" not in result.stdout.str()


@needs_entry_point
def test_plugin_ini_option_and_command_line_override(pytester: pytest.Pytester) -> None:
    """macres_leaks = true in the ini enables the check; --no-macres-leaks turns it off again."""
    pytester.makepyfile(test_leaky=LEAKY)
    pytester.makeini("[pytest]\nmacres_leaks = true\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=3, errors=2)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--no-macres-leaks").assert_outcomes(passed=3)


@needs_entry_point
def test_plugin_counts_mappings_children_and_fixture_teardown(pytester: pytest.Pytester) -> None:
    """A leaked region and a leaked child are named; what a fixture closes in teardown is no leak; the opt-out marker works."""
    pytester.makepyfile(
        test_more=textwrap.dedent(
            """
            import subprocess
            import pytest
            import macres

            KEEP = []

            @pytest.fixture
            def fd():
                f = macres.open(__file__)
                yield f
                f.close()

            def test_fixture_closes(fd):
                fd.fstat()

            def test_region():
                KEEP.append(macres.MappedRegion.anonymous(4096))

            def test_child():
                KEEP.append(subprocess.Popen(["sleep", "30"]))

            @pytest.mark.macres_no_leak_check
            def test_opted_out():
                KEEP.append(macres.open(__file__))

            def test_cleanup():
                for obj in KEEP:
                    if isinstance(obj, subprocess.Popen):
                        obj.kill()
                        obj.wait()
                    else:
                        obj.close()
            """
        )
    )
    result = pytester.runpytest_subprocess("--macres-leaks", "-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=5, errors=2)
    out = result.stdout.str()
    assert "test_fixture_closes leaked" not in out and "test_opted_out leaked" not in out
    result.stdout.fnmatch_lines(["*test_region leaked*", "*<macres.MappedRegion *created at*"])
    result.stdout.fnmatch_lines(["*test_child leaked*", "*child process *, not reaped*"])


COLLECTED_OPEN = textwrap.dedent(
    """
    import gc
    import macres

    def test_collects_an_open_file():
        f = macres.open(__file__)
        del f
        gc.collect()

    def test_collects_an_open_socket_pair():
        a, b = macres.Socket.pair()
        del a, b
        gc.collect()

    def test_collects_an_open_region():
        r = macres.MappedRegion.anonymous(4096)
        del r
        gc.collect()

    def test_collects_closed_objects():
        f = macres.open(__file__)
        f.close()
        del f
        gc.collect()
    """
)


@pytest.mark.parametrize("core", ["compiled", "pure"])
def test_the_projects_warning_filters_fail_a_test_that_leaks(
    pytester: pytest.Pytester, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, core: str
) -> None:
    """Under the suite's own filterwarnings (ResourceWarning as an error), a test whose macres object is
    collected open fails, on either core, without the leak plugin: the finalizer's warning reaches
    sys.unraisablehook, where pytest reports it, instead of being swallowed."""
    if core == "compiled" and importlib.util.find_spec("macres._core") is None:
        pytest.skip("the compiled core is not built here")
    monkeypatch.setenv("MACRES_PURE", "1" if core == "pure" else "0")
    filters = request.config.getini("filterwarnings")
    assert "error::ResourceWarning" in filters
    pytester.makeini("[pytest]\nfilterwarnings =\n" + "".join(f"    {f}\n" for f in filters))
    pytester.makepyfile(test_collected=COLLECTED_OPEN)

    result = pytester.runpytest_subprocess("-p", "no:macres", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*ResourceWarning: unclosed <macres.FileDescriptor*"])


@needs_entry_point
def test_plugin_does_not_blame_a_test_for_its_wider_scoped_fixtures(pytester: pytest.Pytester) -> None:
    """What a module- or session-scoped fixture opens belongs to the fixture, not to the first test using it.

    The fixtures are set up during the first test's setup, after its
    snapshot; they hold macres objects, a bare descriptor, a mapping and a
    child.  A leak of that test's own is still reported, with only its own
    object in the report.
    """
    pytester.makeconftest(
        textwrap.dedent(
            """
            import os, subprocess
            import pytest
            import macres

            @pytest.fixture(scope="session")
            def session_pipe():
                r, w = macres.pipe()
                yield r, w
                r.close()
                w.close()

            @pytest.fixture(scope="module")
            def module_things():
                raw = os.open(os.devnull, os.O_RDONLY)
                things = (macres.open(os.devnull), macres.MappedRegion.anonymous(4096), raw,
                          subprocess.Popen(["sleep", "30"]))
                yield things
                things[0].close()
                things[1].close()
                os.close(raw)
                things[3].kill()
                things[3].wait()
            """
        )
    )
    pytester.makepyfile(
        test_scoped=textwrap.dedent(
            """
            import os
            import macres

            KEEP = []

            def test_first_user(session_pipe, module_things):
                session_pipe[1].write(b"x")

            def test_second_user(session_pipe, module_things):
                assert session_pipe[0].read(1) == b"x"

            def test_own_leak_still_reported(module_things):
                KEEP.append(macres.open(os.devnull))

            def test_cleanup():
                KEEP.pop().close()
            """
        )
    )
    result = pytester.runpytest_subprocess("--macres-leaks", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, errors=1)
    out = result.stdout.str()
    assert "test_first_user leaked" not in out and "test_second_user leaked" not in out, out
    result.stdout.fnmatch_lines(["*test_own_leak_still_reported leaked*", "*1 resource(s) leaked:*"])


@needs_entry_point
def test_plugin_reports_a_test_that_leaked_up_to_the_descriptor_limit(pytester: pytest.Pytester) -> None:
    """A test that used up every descriptor is reported as leaking them; the check itself does not fail with EMFILE."""
    pytester.makepyfile(
        test_exhausts=textwrap.dedent(
            """
            import os, resource

            KEEP = []

            def test_uses_up_every_descriptor():
                soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + 20, hard))
                try:
                    while True:
                        KEEP.append(os.open(os.devnull, os.O_RDONLY))
                except OSError as exc:
                    assert exc.errno == 24  # EMFILE: the table is full

            def test_after():
                while KEEP:
                    os.close(KEEP.pop())
            """
        )
    )
    result = pytester.runpytest_subprocess("--macres-leaks", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*test_uses_up_every_descriptor leaked*", "*descriptor * -> /dev/null, opened outside*"])
    assert "Too many open files" not in result.stdout.str()


PYPROJECT = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"


@needs_entry_point
@pytest.mark.parametrize("kind", ["macres.open(os.devnull)", "macres.Socket.pair()", "macres.MappedRegion.anonymous(1)"])
def test_project_config_fails_a_test_that_drops_an_open_object(pytester: pytest.Pytester, kind: str) -> None:
    """Under this project's pytest configuration, a test that drops an open macres object fails.

    Collection closes the object, so the leak check has nothing to report:
    it is the ResourceWarning, an error by ``filterwarnings``, reaching
    ``sys.unraisablehook`` from the finalizer that fails the test.
    """
    pytester.makepyfile(
        test_dropped=textwrap.dedent(
            f"""
            import gc, os
            import macres

            def test_drops_an_open_object():
                {kind}
                gc.collect()

            def test_closes_what_it_opens():
                with macres.open(os.devnull):
                    pass
            """
        )
    )
    result = pytester.runpytest_subprocess("-c", str(PYPROJECT), "--rootdir", str(pytester.path))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*ResourceWarning: unclosed <macres.*", "*FAILED*test_drops_an_open_object*"])


@needs_entry_point
def test_plugin_absent_with_p_no(pytester: pytest.Pytester) -> None:
    """-p no:macres keeps the plugin out: its option is unknown."""
    result = pytester.runpytest_subprocess("-p", "no:macres", "--macres-leaks")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*unrecognized arguments: --macres-leaks*"])


# -- strategies: what they promise, checked against macres ------------------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from macres.testing import strategies as mst  # noqa: E402


@given(st.data())
def test_option_values_encode(data: st.DataObject) -> None:
    """Every value option_values draws for an option of the catalog encodes to at most the option's size."""
    opt = data.draw(mst.sockopts())
    value = data.draw(mst.option_values(opt))
    encoded = opt.codec.encode(value)
    assert len(encoded) <= max(opt.codec.sizes)


@given(st.data())
def test_invalid_option_values_are_refused_before_any_call(data: st.DataObject) -> None:
    """set() with an invalid value raises TypeError, ValueError or OverflowError; the option stays as it was."""
    opt = data.draw(mst.sockopts(writable=True))
    value = data.draw(mst.invalid_option_values(opt))
    with macres.Socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises((TypeError, ValueError, OverflowError)):
            opt.set(sock, value)


@given(mst.open_modes(), mst.file_names())
def test_open_modes_and_file_names_are_accepted(mode: str, name: str) -> None:
    """Each valid mode opens a new file with a generated name (created if the mode creates)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        if mode.replace("b", "")[0] == "r" or mode.replace("b", "") == "+r":
            pathlib_path = __import__("pathlib").Path(path)
            pathlib_path.write_bytes(b"x")
        with macres.open(path, mode) as fd:
            assert fd.fstat().st_size in (0, 1)


@given(mst.invalid_open_modes())
def test_invalid_open_modes_raise_value_error(mode: str) -> None:
    """A mode string outside the builtin's set is a ValueError, before any file is opened."""
    with pytest.raises(ValueError):
        macres.open(os.devnull, mode)


@given(mst.invalid_paths())
def test_invalid_paths_raise_value_error(path: str | bytes) -> None:
    """A NUL in a path is a ValueError for open, opendir and fs calls."""
    for call in (macres.open, macres.opendir, macres.fs.stat):
        with pytest.raises(ValueError):
            call(path)


@given(mst.mapping_sizes(), mst.protections())
def test_mapping_sizes_and_protections_map(size: int, prot: int) -> None:
    """MappedRegion.anonymous accepts every generated size and protection."""
    with macres.MappedRegion.anonymous(size, prot) as region:
        assert len(region) == size


@given(st.sampled_from([socket.AF_INET, socket.AF_INET6]), st.data())
def test_addresses_bind(family: int, data: st.DataObject) -> None:
    """Generated loopback addresses bind; invalid ones raise a documented error."""
    with macres.Socket(family, socket.SOCK_STREAM) as sock:
        sock.bind(data.draw(mst.addresses(family)))
    with macres.Socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises((TypeError, ValueError, OverflowError, OSError)):
            sock.bind(data.draw(mst.invalid_addresses(family)))


@given(mst.invalid_addresses(socket.AF_UNIX))
def test_invalid_unix_addresses(address: object) -> None:
    """Invalid AF_UNIX addresses (NULs, junk, too long) are refused with a documented error."""
    with macres.Socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        with pytest.raises((TypeError, ValueError, OverflowError, OSError)):
            sock.bind(address)  # type: ignore[arg-type]
