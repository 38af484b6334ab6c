#!/usr/bin/env python3
"""Regenerate the socket-option catalog from ``data/abi/sockopts.json``.

Writes two things, both committed (the package never reads ``data/``):

* ``src/macres/_sockopt_catalog.py``: one row per option of both platforms
  (``UNSUPPORTED:`` entries left out), with its level, number, C shape,
  access, buffer size, alias target and notes;
* the block between ``# BEGIN GENERATED SOCKOPTS`` and ``# END GENERATED
  SOCKOPTS`` in ``src/macres/sockopt.py``: one typed constant per option
  name of either platform (``SO_REUSEADDR: Final[SockOpt[bool]] = ...``);
* the block between ``# BEGIN GENERATED RE-EXPORTS`` and ``# END GENERATED
  RE-EXPORTS`` in ``src/macres/socket.py``: the same constants, imported by
  name and added to its ``__all__``.

Run from the project root::

    python tools/gen_sockopts.py [--check]

``--check`` exits 1 when a file differs from what would be generated.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "abi" / "sockopts.json"
CATALOG = ROOT / "src" / "macres" / "_sockopt_catalog.py"
MODULE = ROOT / "src" / "macres" / "sockopt.py"
BEGIN = "# BEGIN GENERATED SOCKOPTS (tools/gen_sockopts.py)\n"
END = "# END GENERATED SOCKOPTS\n"
SOCKET = ROOT / "src" / "macres" / "socket.py"
REEXPORT_BEGIN = "# BEGIN GENERATED RE-EXPORTS (tools/gen_sockopts.py)\n"
REEXPORT_END = "# END GENERATED RE-EXPORTS\n"

sys.path.insert(0, str(ROOT / "src"))
from macres.raw.sockopt_codecs import PYTHON_TYPES  # noqa: E402

PLATFORMS = ("linux", "darwin")

# Buffer sizes for options whose value has no fixed size.
SIZES: dict[tuple[str, str], int] = {
    ("linux", "SO_BINDTODEVICE"): 16,  # IFNAMSIZ
    ("linux", "SO_PEERSEC"): 4096,
    ("linux", "TCP_CONGESTION"): 16,  # TCP_CA_NAME_MAX
    ("linux", "TCP_ULP"): 16,  # TCP_ULP_NAME_MAX
    ("linux", "SO_GET_FILTER"): 8 * 4096,  # BPF_MAXINSNS sock_filter entries
    ("linux", "SO_MEMINFO"): 4 * 64,
    ("linux", "SO_PEERGROUPS"): 4 * 1024,
    ("linux", "IP_OPTIONS"): 40,
    ("linux", "IP_PKTOPTIONS"): 1024,
    ("linux", "TCP_FASTOPEN_KEY"): 32,
    ("linux", "TCP_SAVED_SYN"): 512,
    ("linux", "IPV6_2292PKTOPTIONS"): 1024,
    ("linux", "IPV6_HOPOPTS"): 2048,
    ("linux", "IPV6_RXHOPOPTS"): 2048,
    ("linux", "IPV6_RTHDRDSTOPTS"): 2048,
    ("linux", "IPV6_RTHDR"): 2048,
    ("linux", "IPV6_DSTOPTS"): 2048,
    ("linux", "IPV6_RXDSTOPTS"): 2048,
    ("darwin", "SO_BINDTODEVICE"): 16,
    ("darwin", "IP_OPTIONS"): 40,
    ("darwin", "IP_RETOPTS"): 40,
    ("darwin", "IPV6_HOPOPTS"): 2048,
    ("darwin", "IPV6_3542HOPOPTS"): 2048,
    ("darwin", "IPV6_DSTOPTS"): 2048,
    ("darwin", "IPV6_3542DSTOPTS"): 2048,
    ("darwin", "IPV6_RTHDR"): 2048,
    ("darwin", "IPV6_3542RTHDR"): 2048,
    ("darwin", "IPV6_RTHDRDSTOPTS"): 2048,
    ("darwin", "IP_DUMMYNET_GET"): 4096,
}

# Shapes whose codec reads a ctypes struct of the ABI module: the catalog carries the
# struct's size from the ABI table, so building the SockOpt does not import that module
# (raw/_linux.py on darwin).  test_abi checks the ctypes struct against the same table.
ABI_SIZED: dict[str, str] = {"tcp_info": "linux_x86_64"}

# C shapes kept as raw bytes although the JSON names a struct: say so in the notes.
BYTES_NOTE = "macres: value kept as raw bytes of the C struct (no typed codec)."

# Shapes whose getsockopt optlen counts something other than bytes.
OPTLEN_UNITS: dict[tuple[str, str], int] = {("linux", "SO_GET_FILTER"): 8}

# darwin SO_LINGER (0x80) counts clock ticks; the header itself maps SO_LINGER to
# SO_LINGER_SEC (0x1080) under _POSIX_C_SOURCE.  macres does the same so that
# SO_LINGER means seconds on both platforms.
LINGER_NOTE = (
    "macres: SO_LINGER uses SO_LINGER_SEC (0x1080, seconds) on darwin, as <sys/socket.h> "
    "does under _POSIX_C_SOURCE; the C SO_LINGER (0x80) counts clock ticks. "
)

# What to use instead of an option the running platform lacks.
COUNTERPARTS: dict[tuple[str, str], str] = {
    ("linux", "SO_NOSIGPIPE"): "MSG_NOSIGNAL on each send",
    ("linux", "SO_LINGER_SEC"): "SO_LINGER (seconds on Linux)",
    ("linux", "SO_NREAD"): "ioctl FIONREAD",
    ("linux", "TCP_NOPUSH"): "TCP_CORK",
    ("linux", "TCP_KEEPALIVE"): "TCP_KEEPIDLE",
    ("linux", "TCP_CONNECTION_INFO"): "TCP_INFO",
    ("linux", "LOCAL_PEERCRED"): "SO_PEERCRED",
    ("linux", "LOCAL_PEERPID"): "SO_PEERCRED",
    ("linux", "IP_DONTFRAG"): "IP_MTU_DISCOVER with IP_PMTUDISC_DO",
    ("linux", "IP_BOUND_IF"): "SO_BINDTOIFINDEX",
    ("linux", "IPV6_BOUND_IF"): "SO_BINDTOIFINDEX",
    ("linux", "IP_RECVDSTADDR"): "IP_PKTINFO",
    ("linux", "IP_MULTICAST_IFINDEX"): "IP_MULTICAST_IF",
    ("linux", "IPV6_HOPLIMIT"): "IPV6_UNICAST_HOPS",
    ("linux", "IPV6_NEXTHOP"): "an IPV6_NEXTHOP control message",
    ("darwin", "SO_PEERCRED"): "LOCAL_PEERCRED",
    ("darwin", "TCP_INFO"): "TCP_CONNECTION_INFO",
    ("darwin", "TCP_CORK"): "TCP_NOPUSH",
    ("darwin", "TCP_KEEPIDLE"): "TCP_KEEPALIVE",
    ("darwin", "IP_MTU_DISCOVER"): "IP_DONTFRAG",
    ("darwin", "SO_BINDTOIFINDEX"): "IP_BOUND_IF",
    ("darwin", "IPV6_ADD_MEMBERSHIP"): "IPV6_JOIN_GROUP",
    ("darwin", "IPV6_DROP_MEMBERSHIP"): "IPV6_LEAVE_GROUP",
    ("darwin", "SO_ACCEPTCONN"): "getsockopt on a listening socket is not available; track listen() yourself",
}

# The second level of a name defined at two levels gets this suffix in Python.
LEVEL_SUFFIX = {"IPPROTO_IPV6": "_V6"}


def load() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(SOURCE.read_text())
    return entries


def abi_struct_size(table: str, struct: str) -> int:
    """The size of C struct *struct* in ABI table *table* (``linux_x86_64``)."""
    data = json.loads((SOURCE.parent / f"{table}.json").read_text())
    return int(data["structs"][struct]["size"])


def rows(entries: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """One catalog row per supported entry, in the JSON's order."""
    out: list[tuple[object, ...]] = []
    for e in entries:
        notes = str(e["notes"])
        if notes.startswith("UNSUPPORTED:"):
            continue
        platform, name, ctype = str(e["platform"]), str(e["name"]), str(e["type"])
        number = int(str(e["value"]))
        m = re.match(r"ALIAS:([A-Z0-9_]+)", notes)
        alias = m.group(1) if m else None
        if (platform, name) == ("darwin", "SO_LINGER"):
            sec = next(x for x in entries if x["platform"] == "darwin" and x["name"] == "SO_LINGER_SEC")
            number, alias, notes = int(str(sec["value"])), "SO_LINGER_SEC", LINGER_NOTE + notes
        if ctype not in PYTHON_TYPES and ctype != "bytes":
            notes = f"{notes} {BYTES_NOTE}"
        size = SIZES.get((platform, name))
        if size is None and ctype in ABI_SIZED:
            size = abi_struct_size(ABI_SIZED[ctype], ctype)
        unit = OPTLEN_UNITS.get((platform, name), 1)
        out.append(
            (platform, str(e["level"]), int(str(e["level_value"])), name, number, ctype,
             str(e["access"]), size, unit, alias, notes)
        )  # fmt: skip
    return out


def python_type(ctype: str) -> str:
    return PYTHON_TYPES.get(ctype, "bytes")


def constants(catalog: list[tuple[object, ...]]) -> list[tuple[str, str, str, str]]:
    """(Python name, level name, C name, annotation) for every option name of either platform."""
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    levels_of: dict[str, set[str]] = {}
    for row in catalog:
        platform, level, name, ctype = str(row[0]), str(row[1]), str(row[3]), str(row[5])
        by_key.setdefault((level, name), {})[platform] = python_type(ctype)
        levels_of.setdefault(name, set()).add(level)
    out = []
    for (level, name), types in sorted(by_key.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        pyname = name
        if len(levels_of[name]) > 1 and level in LEVEL_SUFFIX:
            pyname = name + LEVEL_SUFFIX[level]
        kinds = set(types.values())
        if len(kinds) == 1:
            annotation = kinds.pop()
        elif kinds == {"bool", "int"}:
            annotation = "int"  # a bool is an int: True/False set, get returns the platform's form
        else:
            # The platforms take different shapes (IP_ADD_MEMBERSHIP: ip_mreqn or ip_mreq on
            # Linux, ip_mreq on darwin): the constant takes either, each codec checks its own.
            parts = {p for k in kinds for p in k.split(" | ")}
            annotation = " | ".join(sorted(parts))
        out.append((pyname, level, name, annotation))
    return out


def render_catalog(catalog: list[tuple[object, ...]]) -> str:
    out = [
        (
            '"""The socket-option catalog of both platforms: generated, do not edit.\n\n'
            "Source: ``data/abi/sockopts.json`` through ``tools/gen_sockopts.py``\n"
            "(entries marked ``UNSUPPORTED:`` are left out).  :mod:`macres.sockopt`\n"
            'builds its ``SockOpt`` values from these rows.\n"""\n\n'
        ),
        "from __future__ import annotations\n\n",
        "from typing import Final, TypeAlias\n\n",
        "#: platform, level name, level, name, number, C shape, access, buffer size\n",
        "#: (None: the shape's own), optlen unit, alias target, notes.\n",
        "Row: TypeAlias = tuple[str, str, int, str, int, str, str, int | None, int, str | None, str]\n\n",
        "ROWS: Final[tuple[Row, ...]] = (\n",
    ]
    for row in catalog:
        out.append("    (" + ", ".join(repr(v) for v in row) + "),\n")
    out.append(")\n\n")
    out.append("#: What to use on a platform that lacks an option: (platform, name) -> counterpart.\n")
    out.append("COUNTERPARTS: Final = {\n")
    for key in sorted(COUNTERPARTS):
        out.append(f"    {key!r}: {COUNTERPARTS[key]!r},\n")
    out.append("}\n")
    return "".join(out)


def render_block(consts: list[tuple[str, str, str, str]]) -> str:
    out = [BEGIN, "# Source: data/abi/sockopts.json.  Do not edit by hand.\n"]
    for pyname, level, name, annotation in consts:
        line = f"{pyname}: Final[SockOpt[{annotation}]] = _lookup({level!r}, {name!r})\n"
        if len(line) > 111:  # 110 characters and the newline
            line = f"{pyname}: Final[SockOpt[{annotation}]] = _lookup(\n    {level!r}, {name!r}\n)\n"
        out.append(line)
    out.append("\n__all__ += [\n")
    for pyname, *_ in consts:
        out.append(f"    {pyname!r},\n")
    out.append("]\n")
    out.append(END)
    return "".join(out)


def render_reexports(consts: list[tuple[str, str, str, str]]) -> str:
    out = [REEXPORT_BEGIN, "from .sockopt import (  # every option constant of the catalog\n"]
    out += [f"    {pyname},\n" for pyname, *_ in consts]
    out.append(")\n\n__all__ += [\n")
    out += [f"    {pyname!r},\n" for pyname, *_ in consts]
    out.append("]\n")
    out.append(REEXPORT_END)
    return "".join(out)


def splice(text: str, block: str, begin: str = BEGIN, end: str = END) -> str:
    start, stop = text.index(begin), text.index(end) + len(end)
    return text[:start] + block + text[stop:]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    catalog = rows(load())
    consts = constants(catalog)
    wanted = {
        CATALOG: render_catalog(catalog),
        MODULE: splice(MODULE.read_text(), render_block(consts)),
        SOCKET: splice(SOCKET.read_text(), render_reexports(consts), REEXPORT_BEGIN, REEXPORT_END),
    }
    stale = []
    for path, text in wanted.items():
        current = path.read_text() if path.exists() else ""
        if current != text:
            if check:
                stale.append(path)
            else:
                path.write_text(text)
    if stale:
        for path in stale:
            where = path.relative_to(ROOT)
            print(f"{where} is out of date: run python tools/gen_sockopts.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
