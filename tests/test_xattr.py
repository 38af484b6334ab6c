"""Extended attributes on FileDescriptor and in macres.fs, against the stdlib's os.*xattr where it has them (issue 16).

The ``user.`` namespace is refused by some file systems (tmpfs before
Linux 6.6, or mounted without it): each test probes the directory it uses
(pytest's tmp_path, else the project's own directory) and skips with the
reason when neither takes one.
"""

from __future__ import annotations

import errno
import os
import pathlib
import tempfile
from collections.abc import Iterator

import pytest

import macres
from _support import REPO
from macres import raw


def _refusal(directory: pathlib.Path) -> str | None:
    """Why *directory*'s file system takes no ``user.`` attribute, or None when it does."""
    with tempfile.NamedTemporaryFile(dir=directory) as f:
        try:
            raw.fsetxattr(f.fileno(), "user.macres-probe", b"1")
        except OSError as exc:
            return f"{directory}: the file system refuses user.* attributes ({os.strerror(exc.errno or 0)})"
    return None


@pytest.fixture
def where(tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    """A directory whose file system takes user.* attributes: tmp_path, else one in the project."""
    first = _refusal(tmp_path)
    if first is None:
        yield tmp_path
        return
    if _refusal(REPO) is not None:
        pytest.skip(f"{first}; and {_refusal(REPO)}")
    with tempfile.TemporaryDirectory(dir=REPO) as d:
        yield pathlib.Path(d)


def test_round_trip_on_a_descriptor(where: pathlib.Path) -> None:
    """set, get, list and remove through a FileDescriptor agree with os.getxattr/os.listxattr."""
    path = where / "f"
    path.write_bytes(b"")
    with macres.open(path, "r+") as f:
        f.setxattr("user.a", b"\x00binary\xff")
        f.setxattr(b"user.b", bytearray(b"two"))
        assert f.getxattr("user.a") == b"\x00binary\xff" == os.getxattr(path, "user.a")
        assert sorted(f.listxattr()) == ["user.a", "user.b"] == sorted(os.listxattr(path))
        f.setxattr("user.a", b"")  # empty values are values
        assert f.getxattr("user.a") == b""
        f.removexattr("user.a")
        assert f.listxattr() == ["user.b"]


def test_round_trip_on_paths(where: pathlib.Path) -> None:
    """macres.fs.setxattr/getxattr/listxattr/removexattr on a path; a large value comes back whole."""
    path = where / "f"
    path.write_bytes(b"")
    big = os.urandom(3000)
    macres.fs.setxattr(path, "user.big", big)
    assert macres.fs.getxattr(path, "user.big") == big
    assert macres.fs.listxattr(path) == ["user.big"]
    macres.fs.removexattr(path, "user.big")
    assert macres.fs.listxattr(path) == []


def test_missing_attribute_is_enodata_on_both_platforms(where: pathlib.Path) -> None:
    """A missing attribute is OSError(ENODATA) for get and remove (darwin's ENOATTR is translated), naming the path.

    The FileDescriptor's calls name it too (from /proc/self/fd; F_GETPATH on macOS).
    """
    path = where / "f"
    path.write_bytes(b"")
    with pytest.raises(OSError) as info:
        macres.fs.getxattr(path, "user.none")
    assert (info.value.errno, info.value.filename) == (errno.ENODATA, str(path))
    with macres.open(path) as f:
        for call in (lambda: f.getxattr("user.none"), lambda: f.removexattr("user.none")):
            with pytest.raises(OSError) as info:
                call()
            assert (info.value.errno, info.value.filename) == (errno.ENODATA, str(path))


def test_create_and_replace_flags(where: pathlib.Path) -> None:
    """XATTR_CREATE fails on an existing attribute (EEXIST), XATTR_REPLACE on a missing one (ENODATA)."""
    path = where / "f"
    path.write_bytes(b"")
    with macres.open(path, "r+") as f:
        with pytest.raises(OSError) as info:
            f.setxattr("user.x", b"1", macres.fs.XATTR_REPLACE)
        assert info.value.errno == errno.ENODATA
        f.setxattr("user.x", b"1", macres.fs.XATTR_CREATE)
        with pytest.raises(FileExistsError):
            f.setxattr("user.x", b"2", macres.fs.XATTR_CREATE)
        f.setxattr("user.x", b"3", macres.fs.XATTR_REPLACE)
        assert f.getxattr("user.x") == b"3"


@pytest.mark.skipif(raw.SYSTEM != "linux", reason="Linux refuses user.* on symlinks; darwin allows them")
def test_symlink_itself_is_not_followed_on_request(where: pathlib.Path) -> None:
    """follow_symlinks=False looks at the link (lgetxattr): its target's attribute is not seen there."""
    (where / "target").write_bytes(b"")
    (where / "link").symlink_to(where / "target")
    macres.fs.setxattr(where / "link", "user.t", b"via link")  # followed: set on the target
    assert macres.fs.getxattr(where / "target", "user.t") == b"via link"
    assert macres.fs.listxattr(where / "link", follow_symlinks=False) == []
    with pytest.raises(OSError) as info:
        macres.fs.getxattr(where / "link", "user.t", follow_symlinks=False)
    assert info.value.errno == errno.ENODATA


def test_bad_names_are_refused_before_any_call(where: pathlib.Path) -> None:
    """An empty name or a NUL in it is ValueError; a closed descriptor ClosedResourceError."""
    path = where / "f"
    path.write_bytes(b"")
    f = macres.open(path)
    with f:
        with pytest.raises(ValueError):
            f.getxattr("")
        with pytest.raises(ValueError):
            f.setxattr("user.a\0b", b"")
    with pytest.raises(macres.ClosedResourceError):
        f.listxattr()


# -- darwin's signatures, checked here through its ABI module ------------------------------------
def test_darwin_calls_take_position_and_options() -> None:
    """darwin: no l* functions; getxattr/setxattr get position 0 and options, list/remove options (XATTR_NOFOLLOW)."""
    from macres.raw import _darwin

    assert _darwin.xattr_symbol("get", False, False) == "getxattr"
    assert _darwin.xattr_symbol("list", True, True) == "flistxattr"
    assert _darwin.xattr_extra("get", True, 0) == (0, 0)
    assert _darwin.xattr_extra("set", False, _darwin.XATTR_CREATE) == (0, _darwin.XATTR_CREATE | _darwin.XATTR_NOFOLLOW)
    assert _darwin.xattr_extra("remove", False, 0) == (_darwin.XATTR_NOFOLLOW,)
    assert len(_darwin.XATTR_EXTRA_ARGTYPES["get"]) == 2 and len(_darwin.XATTR_EXTRA_ARGTYPES["list"]) == 1


def test_darwin_enoattr_becomes_enodata(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call failing with darwin's ENOATTR (93) is raised as ENODATA, the name Linux code checks."""
    from macres.raw import _xattr

    def enoattr(*args: object) -> int:
        raise OSError(93, "Attribute not found", "/some/path")

    monkeypatch.setattr(_xattr, "_MISSING", 93)
    monkeypatch.setattr(_xattr, "_function", lambda op, on_fd, follow: enoattr)
    with pytest.raises(OSError) as info:
        raw.getxattr("/some/path", "user.x")
    assert (info.value.errno, info.value.filename) == (errno.ENODATA, "/some/path")
