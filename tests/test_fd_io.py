"""The io bridge: FileDescriptor as io's raw file, read(-1) to EOF, and open_file's ownership.

Oracles: the builtin ``open`` and ``io.FileIO`` on the same file; strace for
the close(2) calls that reach the kernel.
"""

from __future__ import annotations

import codecs
import errno
import gc
import io
import os
import pathlib
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import macres
from _strace import kernel_calls, needs_strace
from macres import ClosedResourceError, FileDescriptor

NEWLINES = ("\n", "\r\n", "\r")
#: Text with every newline convention mixed in, and non-ASCII to cross buffer edges mid-character.
LINES = st.lists(
    st.tuples(st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=40),
              st.sampled_from(NEWLINES)),
    max_size=30,
).map(lambda parts: "".join(text + end for text, end in parts))  # fmt: skip
NEWLINE_ARGS = (None, "", "\n", "\r", "\r\n")
#: Buffer sizes small enough that lines and characters cross buffer edges.
BUFFER_SIZES = st.sampled_from((2, 7, 64, io.DEFAULT_BUFFER_SIZE))


def make_file(path: pathlib.Path, data: bytes = b"") -> pathlib.Path:
    path.write_bytes(data)
    return path


# -- io's wrappers over a FileDescriptor read and write what the builtin open does ----------------


@given(text=LINES, tail=st.text(max_size=5), newline=st.sampled_from(NEWLINE_ARGS), size=BUFFER_SIZES)
def test_text_lines_equal_builtin_open(
    tmp_path: pathlib.Path, text: str, tail: str, newline: str | None, size: int
) -> None:
    """TextIOWrapper(BufferedReader(fd)) and open_file("r") read the lines the builtin open reads."""
    path = make_file(tmp_path / "lines", (text + tail).encode("utf-8", "surrogatepass"))
    with open(path, encoding="utf-8", errors="surrogatepass", newline=newline) as f:
        expected = f.readlines()
    with macres.open(path) as fd:
        with io.TextIOWrapper(io.BufferedReader(fd, size), "utf-8", "surrogatepass", newline) as f:
            assert expected == f.readlines()
    with macres.open(path) as fd, fd.open_file("r", size, "utf-8", "surrogatepass", newline) as f:
        assert expected == list(f)


@given(data=st.binary(max_size=3000), size=BUFFER_SIZES)
def test_binary_lines_equal_builtin_open(tmp_path: pathlib.Path, data: bytes, size: int) -> None:
    """BufferedReader(fd).readlines() and read() equal the builtin open's in "rb"."""
    path = make_file(tmp_path / "bin", data)
    with open(path, "rb") as f:
        expected = f.readlines()
    with macres.open(path) as fd:
        with io.BufferedReader(fd, size) as f:
            assert expected == f.readlines()
    with macres.open(path) as fd, fd.open_file("rb", size) as f:
        assert data == f.read()


@given(chunks=st.lists(st.binary(max_size=300), max_size=20), size=BUFFER_SIZES)
def test_buffered_writer_writes_builtin_bytes(tmp_path: pathlib.Path, chunks: list[bytes], size: int) -> None:
    """BufferedWriter(fd) leaves the bytes the builtin open("wb") leaves, once closed."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    with open(theirs, "wb", buffering=size) as f:
        for chunk in chunks:
            f.write(chunk)
    with io.BufferedWriter(macres.open(ours, "w"), size) as f:
        for chunk in chunks:
            f.write(chunk)
    assert theirs.read_bytes() == ours.read_bytes()


@given(text=LINES, newline=st.sampled_from(NEWLINE_ARGS))
def test_text_writer_writes_builtin_bytes(tmp_path: pathlib.Path, text: str, newline: str | None) -> None:
    """open_file("w") writes, with newline translation, the bytes the builtin open("w") writes."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    with open(theirs, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    with macres.open(ours, "w") as fd, fd.open_file("w", encoding="utf-8", newline=newline) as f:
        f.write(text)
    assert theirs.read_bytes() == ours.read_bytes()


SEEK_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.binary(max_size=40)),
        st.tuples(st.just("read"), st.integers(-1, 60)),
        st.tuples(st.just("seek"), st.integers(0, 120), st.just(os.SEEK_SET)),
        st.tuples(st.just("seek"), st.integers(-10, 10), st.just(os.SEEK_CUR)),
        st.tuples(st.just("seek"), st.integers(-30, 0), st.just(os.SEEK_END)),
        st.tuples(st.just("tell")),
        st.tuples(st.just("flush")),
        st.tuples(st.just("truncate")),
    ),
    max_size=25,
)


@given(start=st.binary(max_size=100), ops=SEEK_OPS, size=BUFFER_SIZES)
def test_buffered_random_follows_builtin(
    tmp_path: pathlib.Path, start: bytes, ops: list[tuple[object, ...]], size: int
) -> None:
    """BufferedRandom(fd) answers reads, writes, seek, tell and truncate as the builtin open("rb+")."""
    ours, theirs = make_file(tmp_path / "ours", start), make_file(tmp_path / "theirs", start)

    def run(f: io.BufferedRandom) -> list[object]:
        results: list[object] = []
        for name, *args in ops:
            try:
                results.append(getattr(f, str(name))(*args))
            except OSError as exc:  # a seek before the start: EINVAL from both
                results.append(exc.errno)
        return results

    with open(theirs, "rb+", buffering=size) as f:
        expected = run(f)  # type: ignore[arg-type]
    with io.BufferedRandom(macres.open(ours, "r+"), size) as g:
        assert expected == run(g)
    assert theirs.read_bytes() == ours.read_bytes()


# -- the raw file's own answers ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["r", "r+", "w", "w+", "a", "a+"])
def test_raw_answers_equal_fileio(tmp_path: pathlib.Path, mode: str) -> None:
    """readable, writable, seekable, mode and isatty answer as an io.FileIO opened with the same mode."""
    path = make_file(tmp_path / "f", b"x")
    with macres.open(path, mode) as fd:
        with io.FileIO(path, mode) as oracle:
            assert (oracle.readable(), oracle.writable(), oracle.seekable(), oracle.mode, oracle.isatty()) == (
                fd.readable(), fd.writable(), fd.seekable(), fd.mode, fd.isatty()
            )  # fmt: skip
            fd.flush()


def test_pipe_ends_are_not_seekable() -> None:
    """A pipe's reader is readable only, its writer writable only, neither seekable (lseek: ESPIPE)."""
    r, w = macres.pipe()
    with r, w:
        assert (True, False, False, "rb") == (r.readable(), r.writable(), r.seekable(), r.mode)
        assert (False, True, False, "wb") == (w.readable(), w.writable(), w.seekable(), w.mode)


def test_truncate_keeps_the_offset(tmp_path: pathlib.Path) -> None:
    """truncate() cuts at the offset and returns it, truncate(n) at n; the offset stays, as io.FileIO."""
    with macres.open(make_file(tmp_path / "f", b"0123456789"), "r+") as fd:
        fd.seek(4)
        assert 4 == fd.truncate()
        assert 7 == fd.truncate(7)
        assert (4, b"0123\0\0\0") == (fd.tell(), fd.pread(100, 0))
        with pytest.raises(ValueError):
            fd.truncate(-1)


def test_io_calls_after_close_raise_closed_resource_error(tmp_path: pathlib.Path) -> None:
    """Every call io makes on a raw file raises ClosedResourceError once the descriptor is closed."""
    fd = macres.open(make_file(tmp_path / "f", b"x"))
    fd.close()
    for call in (fd.readable, fd.writable, fd.seekable, fd.flush, fd.readall, fd.read, fd.truncate, fd.isatty):
        with pytest.raises(ClosedResourceError):
            call()
    with pytest.raises(ClosedResourceError):
        fd.mode  # noqa: B018


# -- read(-1) and readall read to EOF ----------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 8191, 8192, 8193, 300_000])
@pytest.mark.parametrize("how", ["read(-1)", "read()", "read(None)", "readall()"])
def test_read_all_of_regular_file(tmp_path: pathlib.Path, size: int, how: str) -> None:
    """read(-1), read(), read(None) and readall() return the rest of a file from the offset, then b''."""
    data = os.urandom(size)
    with macres.open(make_file(tmp_path / "f", data)) as fd:
        fd.seek(size // 3)
        assert data[size // 3 :] == eval(f"fd.{how}")
        assert b"" == fd.read(-1)
        assert size == fd.tell()


def test_read_all_beyond_fstat_size(tmp_path: pathlib.Path) -> None:
    """A file whose fstat size says 0 (a /proc file) is read whole: the size is a hint only."""
    path = pathlib.Path("/proc/self/mountinfo")
    if not path.exists():
        pytest.skip("no /proc/self/mountinfo")
    with open(path, "rb") as f:
        expected = f.read()
    assert len(expected) > 0
    with macres.open(path) as fd:
        assert 0 == fd.fstat().st_size
        got = fd.read(-1)
    assert expected == got


def test_read_all_of_file_grown_past_hint(tmp_path: pathlib.Path) -> None:
    """Bytes appended through another descriptor before the read are read too (each read grows the buffer)."""
    path = make_file(tmp_path / "f", b"a" * 100)
    with macres.open(path) as fd, macres.open(path, "a") as appender:
        appender.write_all(b"b" * 100_000)
        assert b"a" * 100 + b"b" * 100_000 == fd.readall()


def test_read_all_of_pipe_until_writer_closes() -> None:
    """read(-1) on a pipe returns every chunk a writer sends, and returns when the writer closes (EOF)."""
    r, w = macres.pipe()
    chunks = [os.urandom(n) for n in (1, 5000, 70_000, 3)]
    wrote = threading.Event()

    def writer() -> None:
        with w:
            for chunk in chunks:
                w.write_all(chunk)
            wrote.set()

    t = threading.Thread(target=writer)
    t.start()
    try:
        with r:
            assert b"".join(chunks) == r.read(-1)
            assert wrote.is_set()
    finally:
        t.join(10)
    assert not t.is_alive()


def test_read_all_of_nonblocking_pipe() -> None:
    """Non-blocking: read(-1) returns what is there; with nothing there it raises BlockingIOError (EAGAIN)."""
    r, w = macres.pipe()
    with r, w:
        r.blocking = False
        with pytest.raises(BlockingIOError):
            r.read(-1)
        w.write_all(b"waiting")
        assert b"waiting" == r.read(-1)


def test_read_all_of_empty_file(tmp_path: pathlib.Path) -> None:
    """An empty file reads as b'' through read(-1) and io.BufferedReader.read()."""
    with macres.open(make_file(tmp_path / "empty")) as fd:
        assert b"" == fd.read(-1)
        with io.BufferedReader(fd) as f:
            assert b"" == f.read()


def test_read_size_errors() -> None:
    """read takes an int or None: a float is TypeError, a size beyond ssize_t OverflowError."""
    r, w = macres.pipe()
    with r, w:
        with pytest.raises(TypeError):
            r.read(1.5)  # type: ignore[arg-type]
        with pytest.raises(OverflowError):
            r.read(1 << 64)


# -- ownership: who closes what -----------------------------------------------------------------------


def test_io_wrapper_close_closes_the_descriptor(tmp_path: pathlib.Path) -> None:
    """io.BufferedReader(fd).close() calls fd.close(): io's wrappers own their raw file, as over io.FileIO."""
    fd = macres.open(make_file(tmp_path / "f", b"x"))
    with io.BufferedReader(fd) as f:
        assert b"x" == f.read()
    assert fd.closed


def test_open_file_closefd_true_hands_the_descriptor_over(tmp_path: pathlib.Path) -> None:
    """open_file(): the FileDescriptor ends closed and an io.FileIO of its number owns it; closing the file closes it."""
    path = tmp_path / "f"
    fd = macres.open(path, "w")
    n = fd.fileno()
    f = fd.open_file("w", encoding="ascii")
    assert fd.closed
    assert (io.FileIO, n, True) == (type(f.buffer.raw), f.fileno(), f.buffer.raw.closefd)
    f.write("kept")
    fd.close()  # idempotent: the number is the file's now
    f.flush()
    assert b"kept" == path.read_bytes()
    f.close()
    assert not os.path.exists(f"/proc/self/fd/{n}") or os.readlink(f"/proc/self/fd/{n}") != str(path)


def test_open_file_collected(tmp_path: pathlib.Path) -> None:
    """Collected unclosed: a handed-over number is closed with io's ResourceWarning; a borrowed one stays open."""
    fd = macres.open(make_file(tmp_path / "f", b"x"))
    n = fd.fileno()
    f = fd.open_file("rb")
    with pytest.warns(ResourceWarning):
        del f
        gc.collect()
    with pytest.raises(OSError) as info:
        os.fstat(n)
    assert errno.EBADF == info.value.errno
    with macres.open(make_file(tmp_path / "f", b"x")) as fd:
        g = fd.open_file("rb", closefd=False)
        del g
        gc.collect()
        assert b"x" == fd.pread(1, 0)


def test_open_file_closefd_false_leaves_the_descriptor_open(tmp_path: pathlib.Path) -> None:
    """open_file(closefd=False): closing the file object flushes and leaves the FileDescriptor usable."""
    path = make_file(tmp_path / "f", b"")
    with macres.open(path, "r+") as fd:
        f = fd.open_file("r+", encoding="ascii", closefd=False)
        f.write("abc\n")
        f.close()
        assert not fd.closed
        assert b"abc\n" == fd.pread(10, 0)
        raw = f.buffer.raw
        assert raw.closed
        for call in (raw.readinto, raw.write, raw.fileno, raw.seek, raw.flush):
            with pytest.raises(ValueError):
                call(bytearray(1))
        with pytest.raises(ValueError):
            f.readline()
        f.close()  # idempotent


def test_descriptor_closed_under_the_file(tmp_path: pathlib.Path) -> None:
    """closefd=False, the FileDescriptor closed first: the file object's calls raise ValueError, its close() does nothing."""
    for size in (1, -1):
        fd = macres.open(make_file(tmp_path / "f", b"line\n" * 3))
        f = fd.open_file("r", size, closefd=False)
        assert "line\n" == f.readline()  # the rest is buffered
        fd.close()
        assert f.closed
        with pytest.raises(ValueError):
            f.read()
        with pytest.raises(ValueError):
            f.fileno()
        f.close()
        with pytest.raises(ClosedResourceError):
            io.BufferedReader(fd)  # a new wrapper over a closed descriptor refuses at once
    fd = macres.open(make_file(tmp_path / "f", b"line\n" * 3))
    with fd.open_file() as f:
        fd.close()  # handed over: closing the FileDescriptor again changes nothing
        assert ["line\n"] * 3 == f.readlines()


def test_open_file_failure_leaves_the_descriptor_open(tmp_path: pathlib.Path) -> None:
    """A wrapper that cannot be built (unknown encoding, wrong side of the descriptor) leaves the FileDescriptor open."""
    with macres.open(make_file(tmp_path / "f", b"x")) as fd:
        with pytest.raises(LookupError):
            fd.open_file("r", encoding="no-such-codec")
        gc.collect()  # the abandoned buffer is collected: it must not close fd
        with pytest.raises(io.UnsupportedOperation):
            fd.open_file("w")
        with pytest.raises(ValueError):
            fd.open_file("r", newline="\t")
        gc.collect()
        assert not fd.closed
        assert b"x" == fd.pread(1, 0)
    r, w = macres.pipe()
    with r, w:
        for closefd in (True, False):
            with pytest.raises(io.UnsupportedOperation):
                r.open_file("rb+", closefd=closefd)  # BufferedRandom needs a seekable raw file
            with pytest.raises(io.UnsupportedOperation):
                w.open_file("rb", closefd=closefd)
        assert not (r.closed or w.closed)
    with macres.opendir(tmp_path) as d, macres.open(tmp_path, "r") as dfd:
        with pytest.raises(IsADirectoryError):
            dfd.open_file("rb")
        assert not d.closed and not dfd.closed


@pytest.mark.parametrize(
    ("mode", "kwargs"),
    [("", {}), ("rw", {}), ("rr", {}), ("rbt", {}), ("q", {}), ("rb", {"encoding": "utf-8"}),
     ("rb", {"newline": "\n"}), ("r", {"buffering": 0})],
)  # fmt: skip
def test_open_file_refuses_bad_arguments(tmp_path: pathlib.Path, mode: str, kwargs: dict[str, object]) -> None:
    """Invalid modes, text arguments in binary mode and buffering=0 are ValueError; the descriptor stays open."""
    with macres.open(make_file(tmp_path / "f", b"x")) as fd:
        with pytest.raises(ValueError):
            fd.open_file(mode, **kwargs)  # type: ignore[arg-type]
        assert not fd.closed


def test_open_file_types_and_buffering(tmp_path: pathlib.Path) -> None:
    """Each mode gets the wrapper io.open gives it; text has the mode and line buffering asked for."""
    with macres.open(make_file(tmp_path / "f", b"x"), "r+") as fd:
        kinds = {
            "rb": io.BufferedReader, "wb": io.BufferedWriter, "ab": io.BufferedWriter,
            "rb+": io.BufferedRandom, "r": io.TextIOWrapper,
        }  # fmt: skip
        for mode, kind in kinds.items():
            f = fd.open_file(mode, closefd=False)
            assert type(f) is kind
            f.close()
            with fd.dup().open_file(mode) as g:
                assert type(g) is kind
        with fd.open_file("r+", 1, encoding="ascii", closefd=False) as f:
            assert isinstance(f, io.TextIOWrapper)
            assert ("r+", True) == (f.mode, f.line_buffering)
            assert codecs.lookup("ascii").name == codecs.lookup(f.encoding).name


SETUP = """
import gc, io, macres
p = {path!r}
fd = macres.open(p)
n = fd.fileno()
"""
#: After the body, a new open must reuse number n; a second close(n) would close that file.
REUSE = """
again = os.open(p, os.O_RDONLY)
assert again == n, (again, n)
os.fstat(again)  # still open: nobody closed the reused number
os.close(again)
"""


@needs_strace
@pytest.mark.parametrize(
    "body",
    [
        "f = fd.open_file(); f.close(); fd.close()",  # the file object closes fd
        "f = fd.open_file(); fd.close(); f.close()",  # fd closed under the file object
        "f = fd.open_file(closefd=False); f.close(); fd.close()",
        "f = fd.open_file(closefd=False); fd.close(); f.close()",
        "f = io.BufferedReader(fd); del f; gc.collect(); fd.close()",  # collected
    ],
)
def test_strace_one_close_per_number(tmp_path: pathlib.Path, body: str) -> None:
    """strace: whoever closes first, the number reaches close(2) exactly once, and a reused number is left alone."""
    path = make_file(tmp_path / "f", b"x\n")
    calls = kernel_calls(body + "\n" + REUSE, SETUP.format(path=str(path)), trace="close,openat")
    opened = [c for c in calls if c.name == "openat" and not c.failed]
    number = opened[0].result.split()[0]
    closes = [c for c in calls if c.name == "close" and c.args.strip() == number]
    assert 2 == len(closes)  # one for fd, one for the reused number's os.close
    assert all(not c.failed for c in closes)
    assert not any(c.result.startswith("-1 EBADF") for c in calls)


def test_proc_shows_the_number_gone(tmp_path: pathlib.Path) -> None:
    """/proc: after the file object closes, its descriptor's number is gone from /proc/self/fd."""
    fd = macres.open(make_file(tmp_path / "f", b"x"))
    n = fd.fileno()
    f = fd.open_file("rb")
    assert os.path.exists(f"/proc/self/fd/{n}")
    f.close()
    with pytest.raises(OSError) as info:
        os.fstat(n)
    assert errno.EBADF == info.value.errno
    assert isinstance(fd, FileDescriptor)
