"""Fuzzing macres.raw and the public objects with arbitrary arguments: never a crash, only documented errors.

hypothesis draws batches of calls (a binding or a method, and arguments
from ``macres.testing.strategies.anything()``: ints of every size, bytes,
strings, None, floats, NaN, bools, read-only and writable buffers, lists,
references to live objects); each batch runs in a fresh subprocess
(``fuzz_child.py``, which sandboxes itself: own session, cwd in a scratch
directory, path arguments reduced to names in it, address space limited,
uid/gid 65534 when started as root, 0.2 s per call).  The test fails when

* the interpreter dies from a signal (or exits other than normally), or
* a call raises anything but ``OSError`` (with ``macres.UnsupportedOperation``),
  ``ValueError`` (with ``macres.ClosedResourceError``), ``TypeError``,
  ``OverflowError`` or ``BufferError``; or ``MemoryError`` when a size asks
  for more memory than the child's 4 GiB address space (``recv(2**32 - 1)``
  allocates its buffer first, as the stdlib's does), and ``IndexError``
  from ``region[i]`` (documented, as for every sequence).

Arguments are drawn mostly to fit each parameter's annotation (ints for
ints, buffers for buffers, names for paths, address tuples, time pairs),
so calls reach the kernel, and partly from anything at all.

Not fuzzed, because the documentation calls them unsafe or because they
would act beyond the fuzzing process:

* raw addresses: ``mmap`` (MAP_FIXED can replace any mapping), ``munmap``,
  ``mprotect``, ``msync``, ``mlock``, ``munlock``, ``madvise``,
  ``memory_view``, ``ptrace``, ``readdir_r``/``closedir`` (a raw ``DIR *``),
  and buffers for ``ioctl``/``fcntl`` (the request decides how much the
  kernel writes: their int argument is fuzzed only below the lowest
  mappable address, and requests/commands that aim signals at other
  processes or push terminal input are replaced);
* process control: ``fork``, ``exit``, ``execve``, ``kill`` (never signal
  pids other than our own children), ``Process.kill``/``terminate``/
  ``interrupt``/``stop``/``spawn``, ``setpriority`` (any pid),
  ``setrlimit``/``Process.set_rlimit`` (RLIMIT_CPU and RLIMIT_FSIZE kill
  by signal by design);
* credentials and the machine: the setuid family (``setuid``, ``seteuid``,
  ``setreuid``, ``setgid``, ``setegid``, ``setregid``, ``setgroups``,
  ``Process.drop_privileges``), ``chroot``, ``sync``, ``settimeofday``,
  ``adjtime``, ``mlockall``/``munlockall``, ``unmount``, ``sysctl``,
  ``mknod`` (device nodes), ``setlogin``, ``revoke``.

atheris is not used: the hypothesis harness covers the same argument space
and shrinks failures to one call.
"""

from __future__ import annotations

import inspect
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import macres
from macres import raw
from macres.testing import strategies as mst

CHILD = os.path.join(os.path.dirname(__file__), "fuzz_child.py")
BATCH = (60, 150)
EXAMPLES = 40

# A long word list reads better as one string.
UNSAFE_RAW = frozenset(
    """mmap munmap mprotect msync mlock munlock madvise memory_view ptrace readdir_r closedir fork exit execve
    kill setpriority setrlimit setuid seteuid setreuid setgid setegid setregid setgroups chroot sync
    settimeofday adjtime mlockall munlockall unmount sysctl mknod setlogin revoke""".split()  # noqa: SIM905
)
RAW_NAMES = sorted({b.python_name for b in raw.BINDINGS} - UNSAFE_RAW)

TARGET_CLASSES = {
    "file": macres.FileDescriptor,
    "pipe_r": macres.FileDescriptor,
    "pipe_w": macres.FileDescriptor,
    "sock_a": macres.Socket,
    "sock_b": macres.Socket,
    "udp": macres.Socket,
    "dir": macres.Directory,
    "region": macres.MappedRegion,
    "fregion": macres.MappedRegion,
}
UNSAFE_METHODS = frozenset({"anonymous", "from_file", "pair", "from_fd", "current", "spawn"})
PROCESS_METHODS = [
    "children_rusage", "egid", "euid", "getpriority", "getpriority_pgrp", "getpriority_user", "gid",
    "groups", "pgid", "pid", "ppid", "rlimit", "rusage", "sid", "uid",
]  # fmt: skip
FUNCTIONS = [
    "macres.open", "macres.opendir", "macres.pipe", "macres.FileDescriptor", "macres.Directory", "macres.Socket",
    "macres.Socket.pair", "macres.Socket.from_fd", "macres.MappedRegion.anonymous",
    "macres.MappedRegion.from_file", "macres.Process", "macres.fs.access", "macres.fs.stat", "macres.fs.lstat",
    "macres.fs.statfs", "macres.fs.truncate", "macres.fs.utimes", "macres.fs.pathconf",
]  # fmt: skip
SETTABLE = {"file": ["blocking", "inheritable"], "pipe_r": ["blocking", "inheritable"], "sock_a": ["blocking", "timeout"], "udp": ["blocking", "timeout"]}


def _methods(cls: type) -> list[str]:
    names = [n for n in dir(cls) if not n.startswith("_") and n not in UNSAFE_METHODS and n.islower()]
    if cls is macres.MappedRegion:
        names += ["__getitem__", "__setitem__", "__len__"]
    return sorted(names)


OBJECT_CALLS = [(t, m) for t, cls in TARGET_CLASSES.items() for m in _methods(cls)]
OBJECT_CALLS += [("proc", m) for m in PROCESS_METHODS] + [(f, "") for f in FUNCTIONS]


def encode(value: Any) -> Any:
    """Make a drawn value picklable (memoryviews become tagged tuples)."""
    if isinstance(value, memoryview):
        return ("__mv__", value.tobytes(), not value.readonly)
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return tuple(encode(v) for v in value)
    return value


_small_ints = st.integers(-101, 40)  # descriptor numbers, AT_FDCWD, flags
_refs = st.sampled_from(sorted(TARGET_CLASSES) + ["proc"]).map(lambda n: ("__ref__", n))
_names = st.sampled_from(["file", "x", "dir", "sub", "fifo", "a\0b", "", "."])
_scalar = mst.anything() | _small_ints | _names
_value = _scalar | st.lists(_scalar, max_size=3) | st.tuples(_scalar, _scalar)

_ints = _small_ints | st.integers() | st.sampled_from([0, 1, -1, 4096, (1 << 31) - 1, 1 << 31, -(1 << 31), (1 << 64) - 1, 1 << 64])
_buffers = (
    st.binary(max_size=64)
    | st.binary(max_size=64).map(bytearray)
    | st.binary(max_size=64).map(lambda b: memoryview(bytearray(b)))
    | st.binary(max_size=8).map(lambda b: memoryview(b))
)
_times = st.none() | st.tuples(st.tuples(_ints, _ints), st.tuples(_ints, _ints)) | st.tuples(st.floats(), st.floats())
_addresses = (
    st.none()
    | _names
    | st.tuples(st.sampled_from(["127.0.0.1", "::1", "", "0.0.0.0", "256.1.1.1"]), _ints)
    | st.tuples(st.just("::1"), _ints, _ints, _ints)
)


def _typed(annotation: str, refs: bool = True) -> st.SearchStrategy[Any]:
    """Values that fit a parameter's annotation (the deep paths), or anything at all."""
    a = annotation.replace("_args.", "")
    if "Path" in a:
        typed: st.SearchStrategy[Any] = _names
    elif a.startswith(("Sequence[Buffer]", "Sequence[int | HasFileno]")):
        typed = st.lists(_buffers if "Buffer" in a else (_small_ints | _refs), max_size=4)
    elif a.startswith("Iterable[tuple[int, int, Buffer]]"):
        typed = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 70), _buffers), max_size=2)
    elif a.startswith(("Sequence[int]", "Iterable[int]")):
        typed = st.lists(_small_ints, max_size=4)
    elif "Buffer" in a:
        typed = _buffers | (_ints if "int" in a else _buffers)
    elif "Address" in a:
        typed = _addresses
    elif a.startswith("tuple[") or "tuple[float" in a:
        typed = _times
    elif a.startswith(("float", "int | None", "float | None")):
        typed = st.none() | st.floats(0, 0.05) | _ints
    elif a == "bool":
        typed = st.booleans()
    elif "int" in a:
        typed = _ints
    else:
        typed = _value
    other = _value | _refs if refs else _value
    return st.integers(0, 9).flatmap(lambda i: typed if i else other)  # nine in ten well typed


def _params(fn: Any) -> list[str]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return ["Any"] * 3
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [str(p.annotation) for p in sig.parameters.values() if p.name not in ("self", "cls") and p.kind in positional]


def _args(annotations: list[str], refs: bool = True) -> st.SearchStrategy[list[Any]]:
    typed = st.tuples(*[_typed(a, refs) for a in annotations]).map(list)
    shorter = st.integers(0, len(annotations)).flatmap(
        lambda n: st.tuples(*[_typed(a, refs) for a in annotations[:n]]).map(list)
    )
    return st.integers(0, 9).flatmap(
        lambda i: typed if i < 8 else shorter if i == 8 else st.lists(_value, max_size=len(annotations) + 1)
    )


RAW_PARAMS = {n: _params(getattr(raw, n)) for n in RAW_NAMES}
raw_call = st.sampled_from(RAW_NAMES).flatmap(
    lambda n: st.tuples(st.just(n), _args(RAW_PARAMS[n], refs=False).map(encode))
)


def _callable_of(target: str, method: str) -> Any:
    if not method:
        obj: Any = macres
        for part in target.split(".")[1:]:
            obj = getattr(obj, part)
        return obj
    cls = macres.CurrentProcess if target == "proc" else TARGET_CLASSES[target]
    return getattr(cls, method, None)


OBJECT_PARAMS = {(t, m): _params(_callable_of(t, m)) for t, m in OBJECT_CALLS}


@st.composite
def object_call(draw: st.DrawFn) -> tuple[str, str, Any]:
    if draw(st.integers(0, 9)) == 0:
        target = draw(st.sampled_from(sorted(SETTABLE)))
        return (target, "=", encode([draw(st.sampled_from(SETTABLE[target])), draw(_value | st.booleans())]))
    target, method = draw(st.sampled_from(OBJECT_CALLS))
    args = draw(_args(OBJECT_PARAMS[(target, method)]))
    return (target, method, encode(args))


#: Findings reported to the lead and not fixed yet: (qualname, exception type) -> what is wrong.
#: The fuzz tests skip exactly these; delete an entry when its fix lands and the test guards it.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


#: Exceptions beyond the general list that a call documents (the sequence protocol's IndexError).
DOCUMENTED_EXTRA: dict[str, frozenset[str]] = {
    "MappedRegion.__getitem__": frozenset({"IndexError"}),
    "MappedRegion.__setitem__": frozenset({"IndexError"}),
}


def _known(qualname: str, outcome: str) -> bool:
    exc_type = outcome.split("\n", 1)[0].removeprefix("BAD ")
    return (qualname, exc_type) in KNOWN_BUGS or exc_type in DOCUMENTED_EXTRA.get(qualname, ())


def run_batch(kind: str, batch: list[Any]) -> list[tuple[str, str, str]]:
    """Run *batch* in a sandboxed child; fail on a signal death or an undocumented exception."""
    sandbox = tempfile.mkdtemp(prefix="macres-fuzz-")
    try:
        os.chmod(sandbox, 0o777)
        proc = subprocess.run(
            [sys.executable, CHILD, sandbox],
            input=pickle.dumps((kind, batch)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            timeout=120,
            check=False,
        )
        last = _read(os.path.join(sandbox, "last"))
        if proc.returncode < 0:
            pytest.fail(f"the interpreter died from {signal.Signals(-proc.returncode).name} in: {last}")
        assert proc.returncode == 0, f"exit {proc.returncode} after {last}:\n{proc.stderr.decode()[-3000:]}"
        with open(os.path.join(sandbox, "report.pickle"), "rb") as f:
            results: list[tuple[str, str, str]] = pickle.load(f)
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
    bad = [(call, outcome) for call, qual, outcome in results if outcome.startswith("BAD") and not _known(qual, outcome)]
    assert not bad, "undocumented exception:\n" + "\n".join(f"{c}\n{o}" for c, o in bad[:3])
    return results


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return "<no call started>"


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@FUZZ_SETTINGS
@given(st.lists(raw_call, min_size=BATCH[0], max_size=BATCH[1]))
def test_fuzz_raw_layer(batch: list[Any]) -> None:
    """Arbitrary arguments to every safe binding of macres.raw: no crash, documented errors only."""
    run_batch("raw", batch)


@FUZZ_SETTINGS
@given(st.lists(object_call(), min_size=BATCH[0], max_size=BATCH[1]))
def test_fuzz_objects(batch: list[Any]) -> None:
    """Arbitrary arguments to the public objects' methods and constructors: no crash, documented errors only."""
    run_batch("objects", batch)


def test_harness_reports_a_crash() -> None:
    """run_batch fails, naming the call, when a call of the batch kills the child with a signal.

    ``kill(0, SIGSEGV)`` signals the child's own process group (it runs in a
    new session), which is just the child: the death a crash would be.
    """
    segv = int(signal.SIGSEGV)
    batch = [("getpid", []), ("kill", [0, segv]), ("getpid", [])]
    with pytest.raises(pytest.fail.Exception, match=rf"died from SIGSEGV in: raw \('kill', \[0, {segv}\]\)"):
        run_batch("raw", batch)


def test_harness_reports_an_undocumented_exception() -> None:
    """run_batch fails, showing the call and the exception, when a call raises outside the documented list."""
    batch = [("file", "fstat", []), ("file", "no_such_method", [])]  # AttributeError: no such method
    reported = r"undocumented exception:\s+objects \('file', 'no_such_method', \[\]\)\s+BAD AttributeError"
    with pytest.raises(AssertionError, match=reported):
        run_batch("objects", batch)


def test_harness_passes_documented_errors() -> None:
    """A batch of calls that succeed or raise documented errors comes back as one outcome per call."""
    batch = [("getpid", []), ("close", [-1]), ("read", [-1, bytearray(1)]), ("getpid", ["extra"])]
    results = run_batch("raw", batch)

    assert ["ok", "OSError", "OSError", "TypeError"] == [outcome for _, _, outcome in results]


def test_fuzz_covers_the_catalogue() -> None:
    """Every binding is fuzzed or listed as unsafe; every public method of the objects is reachable."""
    assert set(RAW_NAMES) | (UNSAFE_RAW & {b.python_name for b in raw.BINDINGS}) == {b.python_name for b in raw.BINDINGS}
    assert len(RAW_NAMES) > 80
    assert ("file", "pwrite") in OBJECT_CALLS and ("sock_a", "send_fds") in OBJECT_CALLS


def test_mapped_region_from_file_rejects_a_non_descriptor() -> None:
    """MappedRegion.from_file(b"") is a TypeError, as for every other wrong type."""
    with pytest.raises(TypeError):
        macres.MappedRegion.from_file(b"")  # type: ignore[arg-type]


def test_send_fds_rejects_a_non_descriptor() -> None:
    """Socket.send_fds with a str among the fds is a TypeError."""
    a, b = macres.Socket.pair()
    with a, b, pytest.raises(TypeError):
        a.send_fds(b"x", ["0"])  # type: ignore[list-item]


def test_dup2_rejects_a_non_descriptor() -> None:
    """FileDescriptor.dup2(b"") is a TypeError."""
    r, w = macres.pipe()
    with r, w, pytest.raises(TypeError):
        r.dup2(b"")  # type: ignore[arg-type]
