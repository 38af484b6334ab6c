"""ABI conformance: macres's structs and constants against ``data/abi/*.json``.

For darwin amd64, darwin arm64 and Linux x86_64 every struct size, field
offset and field size in the table must equal ctypes' layout of macres's
struct for that platform, and every constant must equal ``CONSTANTS`` and
the module attribute of the same name.  Something the table lists that
macres lacks is a failure.  On Linux the constants are also compared with
the values CPython itself exposes, an oracle independent of the table.
"""

from __future__ import annotations

import __future__
import ast
import ctypes
import enum
import inspect
import errno
import fcntl
import json
import mmap
import os
import pathlib
import resource
import select
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Mapping
from functools import cache
from types import ModuleType
from typing import Any

import pytest
from _support import ABI_DIR, BINDINGS_TABLE, REPO

from macres.raw import _darwin, _linux

#: The platform module that defines each ABI table's platform.
MODULES: Mapping[str, ModuleType] = {
    "darwin_amd64": _darwin,
    "darwin_arm64": _darwin,
    "linux_x86_64": _linux,
}
PLATFORMS = sorted(MODULES)


@cache
def table(platform: str) -> dict[str, Any]:
    """The parsed ABI table of *platform*."""
    data: dict[str, Any] = json.loads((ABI_DIR / f"{platform}.json").read_text())
    return data


def struct_cases() -> list[tuple[str, str]]:
    """(platform, struct) for every struct of every table."""
    return [(p, s) for p in PLATFORMS for s in sorted(table(p)["structs"])]


def group_cases() -> list[tuple[str, str]]:
    """(platform, constant group) for every group of every table."""
    return [(p, g) for p in PLATFORMS for g in sorted(table(p)["constants"])]


def camel(c_name: str) -> str:
    """The class name macres gives a C struct: ``C`` + CamelCase (``sockaddr_in6`` -> ``CSockaddrIn6``)."""
    return "C" + "".join(part.capitalize() for part in c_name.split("_"))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_struct_of_the_table_is_defined(platform: str) -> None:
    """STRUCTS holds exactly the table's structs, each as the module's C<CamelCase> class."""
    module = MODULES[platform]
    expected = table(platform)["structs"]
    assert sorted(module.STRUCTS) == sorted(expected)
    for c_name, cls in module.STRUCTS.items():
        assert cls.__name__ == camel(c_name)
        assert getattr(module, camel(c_name)) is cls
        assert issubclass(cls, ctypes.Structure)


@pytest.mark.parametrize(("platform", "c_name"), struct_cases())
def test_struct_layout_matches_table(platform: str, c_name: str) -> None:
    """Size, and every field's offset and size, equal the table's (C layout)."""
    spec = table(platform)["structs"][c_name]
    cls = MODULES[platform].STRUCTS.get(c_name)
    assert cls is not None, f"{platform}: struct {c_name} is missing"
    assert ctypes.sizeof(cls) == spec["size"], f"{platform}: sizeof({c_name})"
    declared = {f[0]: f for f in cls._fields_}
    for name, where in spec["fields"].items():
        assert name in declared, f"{platform}: {c_name}.{name} is missing"
        field = getattr(cls, name)
        assert (field.offset, field.size) == (where["offset"], where["size"]), f"{platform}: {c_name}.{name}"


@pytest.mark.parametrize(("platform", "c_name"), struct_cases())
def test_struct_has_no_unlisted_public_member(platform: str, c_name: str) -> None:
    """Members the table omits are padding (leading underscore) or bitfields (not tabled)."""
    listed = table(platform)["structs"][c_name]["fields"]
    for field in MODULES[platform].STRUCTS[c_name]._fields_:
        name = field[0]
        is_bitfield = len(field) == 3
        assert name in listed or name.startswith("_") or is_bitfield, f"{platform}: {c_name}.{name}"


def test_darwin_tcp_connection_info_bitfields_share_one_word() -> None:
    """The fifteen tcpi_tfo_* flags are bits of the 32-bit word at offset 52, low bit first."""
    cls = _darwin.CTcpConnectionInfo
    names = [f[0] for f in cls._fields_ if f[0].startswith("tcpi_tfo_")]
    assert len(names) == 15
    for bit, name in enumerate(names):
        info = cls()
        setattr(info, name, 1)
        raw = bytes(info)
        assert int.from_bytes(raw[52:56], "little") == 1 << bit, name
        assert raw[:52] == bytes(52) and raw[56:] == bytes(len(raw) - 56)


def test_darwin_timeval_has_padding_after_usec() -> None:
    """darwin tv_usec is 4 bytes; the 4 bytes after it are padding, not part of the value."""
    tv = _darwin.CTimeval(5, 999_999)
    assert bytes(tv)[12:16] == bytes(4)
    assert ctypes.sizeof(_darwin.CTimeval) == 16


@pytest.mark.parametrize("platform", PLATFORMS)
def test_constants_table_is_complete(platform: str) -> None:
    """CONSTANTS has exactly the table's groups and members."""
    module = MODULES[platform]
    expected = table(platform)["constants"]
    assert sorted(module.CONSTANTS) == sorted(expected)
    for group, members in expected.items():
        assert dict(module.CONSTANTS[group]) == members, f"{platform}: group {group}"


@pytest.mark.parametrize(("platform", "group"), group_cases())
def test_constant_attributes_match_table(platform: str, group: str) -> None:
    """Every constant of the group is a module attribute equal to the table's value."""
    module = MODULES[platform]
    for name, value in table(platform)["constants"][group].items():
        assert hasattr(module, name), f"{platform}: {name} is missing"
        attr = getattr(module, name)
        assert isinstance(attr, int) and not isinstance(attr, bool), f"{platform}: {name} is {attr!r}"
        assert attr == value, f"{platform}: {name} is {attr}, the table says {value}"
        assert module.CONSTANTS[group][name] == value


def test_darwin_arches_share_one_module() -> None:
    """amd64 and arm64 tables agree on every struct and constant, so one module serves both."""
    amd64, arm64 = table("darwin_amd64"), table("darwin_arm64")
    assert amd64["structs"] == arm64["structs"]
    assert amd64["constants"] == arm64["constants"]


def _bindings_rows() -> list[list[str]]:
    text = BINDINGS_TABLE.read_text()
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_darwin_amd64_binds_the_64_bit_inode_symbols() -> None:
    """amd64 binds stat64, fstat64, ... and the $INODE64 directory calls; arm64 the plain names."""
    amd64 = dict(_darwin.libc_symbols("amd64"))
    sixty_four = {
        "stat": "stat64",
        "fstat": "fstat64",
        "lstat": "lstat64",
        "fstatat": "fstatat64",
        "statfs": "statfs64",
        "fstatfs": "fstatfs64",
        "getfsstat": "getfsstat64",
    }
    assert {k: amd64.get(k) for k in sixty_four} == sixty_four
    for name, symbol in amd64.items():  # anything else is a 64-bit-inode variant of the same call
        assert name in sixty_four or symbol == f"{name}$INODE64", (name, symbol)
    assert dict(_darwin.libc_symbols("arm64")) == {}
    assert dict(_linux.libc_symbols("x86_64")) == {}
    for row in _bindings_rows():  # the table's symbol column is darwin amd64's, without $INODE64
        symbol, python_name = row[1], row[5]
        assert amd64.get(python_name, python_name) in (symbol, f"{symbol}$INODE64"), python_name


@pytest.mark.parametrize(
    ("module", "platform", "mode_bits", "sa_len", "maxrss_unit", "libc"),
    [
        (_darwin, "darwin_amd64", 16, True, 1, "/usr/lib/libSystem.B.dylib"),
        (_linux, "linux_x86_64", 32, False, 1024, "libc.so.6"),
    ],
)
def test_platform_flags(
    module: ModuleType, platform: str, mode_bits: int, sa_len: bool, maxrss_unit: int, libc: str
) -> None:
    """The per-platform flags agree with the table: mode_t width, sa_len byte, ru_maxrss unit."""
    assert module.PLATFORM == platform
    assert module.LIBC_NAME == libc
    assert ctypes.sizeof(module.MODE_T) * 8 == mode_bits
    assert module.HAS_SA_LEN is sa_len
    assert ("sa_len" in table(platform)["structs"]["sockaddr"]["fields"]) is sa_len
    assert module.RUSAGE_MAXRSS_UNIT == maxrss_unit
    assert table(platform)["structs"]["stat"]["fields"]["st_mode"]["size"] * 8 == mode_bits


def _own_api(module: ModuleType) -> dict[str, object]:
    """The module's public non-struct, non-constant names: converters and platform flags."""
    constants = {name for members in module.CONSTANTS.values() for name in members}
    api: dict[str, object] = {}
    for name, value in vars(module).items():
        if name.startswith("_") or name in constants or isinstance(value, ModuleType):
            continue
        if isinstance(value, type) and issubclass(value, (ctypes.Structure, enum.Enum)):
            continue  # structs are compared with the tables, enums are generated
        if inspect.isfunction(value) and value.__module__ != module.__name__:
            continue
        if getattr(value, "__name__", None) == name and getattr(value, "__module__", None) != module.__name__:
            continue  # imported under its own name (Stat, Mapping, c_int32, ...)
        if getattr(ctypes, name, None) is value or isinstance(value, __future__._Feature):
            continue
        api[name] = value
    return api


def test_darwin_exposes_every_platform_api_of_linux() -> None:
    """Every converter and flag of _linux exists in _darwin with the same kind and parameters."""
    linux, darwin = _own_api(_linux), _own_api(_darwin)
    assert {"stat_value", "statfs_value", "libc_symbols", "MODE_T", "HAS_SA_LEN"} <= set(linux)
    for name, value in linux.items():
        assert name in darwin, f"_darwin lacks {name}"
        other = darwin[name]
        if inspect.isfunction(value):
            assert inspect.isfunction(other), name
            assert list(inspect.signature(other).parameters) == list(inspect.signature(value).parameters), name
        elif isinstance(value, type):
            assert isinstance(other, type) and issubclass(other, ctypes._SimpleCData), name
        else:
            both_mappings = isinstance(other, Mapping) and isinstance(value, Mapping)
            assert type(other) is type(value) or both_mappings, name


def test_darwin_converters_fill_darwin_fields() -> None:
    """stat_value and statfs_value carry darwin's extra fields: birth time, flags, names."""
    st = _darwin.CStat(st_mode=0o100644, st_ino=7, st_size=3, st_flags=2, st_gen=9)
    st.st_mtimespec.tv_sec, st.st_mtimespec.tv_nsec = 5, 6
    st.st_birthtimespec.tv_sec, st.st_birthtimespec.tv_nsec = 1, 2
    value = _darwin.stat_value(st)
    assert (value.st_mode, value.st_ino, value.st_size) == (0o100644, 7, 3)
    assert value.st_mtime_ns == 5_000_000_006
    assert value.st_birthtime_ns == 1_000_000_002
    assert (value.st_flags, value.st_gen) == (2, 9)
    fs = _darwin.CStatfs(f_bsize=4096, f_iosize=1 << 20, f_owner=501, f_flags=0x1000)
    fs.f_fstypename = b"apfs"
    fs.f_mntonname = b"/Volumes/\xc3\xa9"
    fs.f_mntfromname = b"/dev/disk3s1"
    fs.f_fsid.val[0], fs.f_fsid.val[1] = -5, 17
    info = _darwin.statfs_value(fs)
    assert (info.f_bsize, info.f_iosize, info.f_owner, info.f_flags) == (4096, 1 << 20, 501, 0x1000)
    assert (info.f_fstypename, info.f_mntonname, info.f_mntfromname) == ("apfs", "/Volumes/\u00e9", "/dev/disk3s1")
    assert info.f_fsid == (-5, 17)
    assert info.f_namelen is None and info.f_frsize is None


@pytest.mark.parametrize("module", [_darwin, _linux])
def test_platform_module_is_data_only(module: ModuleType) -> None:
    """The platform modules import nothing that loads a library, so both import anywhere."""
    source = pathlib.Path(str(module.__file__)).read_text()
    tree = ast.parse(source)
    allowed = {"__future__", "ctypes", "enum", "os", "collections.abc", "typing", "_types", "_lazy_enums", "_snapshot"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert {a.name for a in node.names} <= allowed, ast.unparse(node)
        elif isinstance(node, ast.ImportFrom):
            assert node.module in allowed, ast.unparse(node)
    assert "CDLL" not in source and "LoadLibrary" not in source


def _python_constants() -> dict[str, int]:
    """Every int constant CPython exposes in the modules an ABI table covers, by name."""
    found: dict[str, int] = {}
    for mod in (errno, os, socket, mmap, signal, resource, fcntl, stat, select, time):
        for name in dir(mod):
            value = getattr(mod, name)
            if isinstance(value, int) and not isinstance(value, bool) and name.isupper():
                found.setdefault(f"{mod.__name__}.{name}", int(value))
    for name, value in os.pathconf_names.items():
        found[f"os.pathconf_names.{name}"] = value
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="CPython's constants are this platform's, not Linux's")
def test_linux_constants_match_python() -> None:
    """Every _linux constant CPython also exposes has CPython's value (same bits when signed)."""
    ours: dict[str, int] = {}
    for members in _linux.CONSTANTS.values():
        ours.update(members)
    compared = 0
    for qualified, value in _python_constants().items():
        name = qualified.rsplit(".", 1)[1]
        if name not in ours:
            continue
        compared += 1
        # RLIM_INFINITY is -1 in Python and all ones unsigned in the table: same bits.
        assert (ours[name] - value) % (1 << 64) == 0, f"{qualified} is {value}, _linux says {ours[name]}"
    assert compared > 500  # the oracle must really cover the table


def test_generated_constants_are_up_to_date() -> None:
    """tools/gen_constants.py --check finds both platform modules as it would write them."""
    result = subprocess.run(
        [sys.executable, "tools/gen_constants.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
