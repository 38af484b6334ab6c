#!/usr/bin/env python3
"""Regenerate the constant blocks of ``raw/_linux.py`` and ``raw/_darwin.py``.

The numbers come from ``data/abi/*.json`` (public headers, see
``data/abi/README.md``).  Each platform module keeps a block between ``# BEGIN GENERATED
CONSTANTS`` and ``# END GENERATED CONSTANTS``; everything else in the module
(the ctypes structs, the symbol table) is written by hand.  Run from the
project root::

    python tools/gen_constants.py [--check]

``--check`` exits 1 when a module differs from what would be generated.
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ABI = ROOT / "data" / "abi"
RAW = ROOT / "src" / "macres" / "raw"
BEGIN = "# BEGIN GENERATED CONSTANTS (tools/gen_constants.py)\n"
END = "# END GENERATED CONSTANTS\n"

# Groups that become enum classes: (class name, base, docstring).  A group
# whose values are bits becomes an IntFlag, a group of choices an IntEnum.
# Groups with negative or all-ones members stay plain ints.
#
# Creating an enum class costs a tenth of a millisecond or more, and a program
# uses few of them: each class and its member constants are declared for mypy
# under ``if TYPE_CHECKING:`` and created at run time by the module's
# ``__getattr__`` when one of its names is first read (from ``CONSTANTS``).
ENUMS: dict[str, tuple[str, str, str]] = {
    "open": ("OpenFlags", "IntFlag", "O_* flags of open(2) and fcntl(F_GETFL)."),
    "prot": ("Prot", "IntFlag", "PROT_* memory protections of mmap(2)/mprotect(2)."),
    "map": ("MapFlags", "IntFlag", "MAP_* flags of mmap(2)."),
    "msync": ("MsyncFlags", "IntFlag", "MS_* flags of msync(2)."),
    "mcl": ("MclFlags", "IntFlag", "MCL_* flags of mlockall(2)."),
    "flock": ("LockOp", "IntFlag", "LOCK_* operations of flock(2)."),
    "msg": ("MsgFlags", "IntFlag", "MSG_* flags of send(2)/recv(2)."),
    "poll": ("PollFlags", "IntFlag", "POLL* event bits of poll(2)."),
    "wait": ("WaitOptions", "IntFlag", "W* option bits of wait4(2)."),
    "seek": ("Whence", "IntEnum", "SEEK_* origins of lseek(2)."),
    "prio": ("PrioWhich", "IntEnum", "PRIO_* targets of getpriority(2)."),
    "shut": ("Shut", "IntEnum", "SHUT_* directions of shutdown(2)."),
    "madvise": ("Advice", "IntEnum", "MADV_* advice of madvise(2)."),
    "clock": ("ClockId", "IntEnum", "CLOCK_* clock ids."),
    "rusage": ("RusageWho", "IntEnum", "RUSAGE_* targets of getrusage(2)."),
    "sigmask": ("SigmaskHow", "IntEnum", "SIG_* actions of sigprocmask(2)."),
    "socket_family": ("AddressFamily", "IntEnum", "AF_* address families."),
    "signal": ("Signal", "IntEnum", "SIG* signal numbers."),
}


def load(platform: str) -> dict[str, dict[str, int]]:
    data = json.loads((ABI / f"{platform}.json").read_text())
    groups: dict[str, dict[str, int]] = data["constants"]
    return groups


def render(groups: dict[str, dict[str, int]], platform: str) -> str:
    out = [BEGIN, f"# Source: data/abi/{platform}.json.  Do not edit by hand.\n"]
    seen: dict[str, int] = {}
    for group in sorted(groups):
        members = groups[group]
        out.append(f"\n# -- {group}\n")
        enum = ENUMS.get(group)
        if enum is not None:
            cls, base, doc = enum
            out.append(f"if TYPE_CHECKING:\n\n    class {cls}(enum.{base}):\n        \"\"\"{doc}\"\"\"\n\n")
            for name in sorted(members, key=lambda n: (members[n], n)):
                if not name.startswith("_"):  # a leading _ is private in a class
                    out.append(f"        {name} = {members[name]}\n")
            out.append("\n")
        plain = []
        for name in sorted(members):
            value = members[name]
            if name in seen:
                if seen[name] != value:
                    raise SystemExit(f"{platform}: {name} has two values")
                continue
            seen[name] = value
            if enum is not None and not name.startswith("_"):
                out.append(f"    {name}: Final = {enum[0]}.{name}\n")
            else:
                plain.append(f"{name}: Final = {value}\n")
        if enum is not None and plain:
            out.append("\n")
        out.extend(plain)
    out.append("\n#: Every constant group of the ABI table, by group, as plain ints.\n")
    out.append("CONSTANTS: Final[Mapping[str, Mapping[str, int]]] = {\n")
    for group in sorted(groups):
        out.append(f"    {group!r}: {{\n")
        for name in sorted(groups[group]):
            out.append(f"        {name!r}: {groups[group][name]},\n")
        out.append("    },\n")
    out.append("}\n")
    enums = [
        f"        {ENUMS[g][0]!r}: ({g!r}, {ENUMS[g][1]!r}, {ENUMS[g][2]!r}),\n" for g in sorted(groups) if g in ENUMS
    ]
    out.append(LAZY_ENUMS.format(enums="".join(enums)))
    out.append(END)
    return "".join(out)


# The run-time half of the enum groups (see ENUMS).
LAZY_ENUMS = '''
if not TYPE_CHECKING:
    #: class name -> (group, base, docstring), in the order of the groups above: made on first use.
    __getattr__, __dir__ = _install_enums(globals(), CONSTANTS, {{
{enums}    }})
'''


def splice(path: pathlib.Path, block: str) -> str:
    text = path.read_text()
    head, sep, rest = text.partition(BEGIN)
    if not sep:
        raise SystemExit(f"{path}: no '{BEGIN.strip()}' marker")
    _, sep, tail = rest.partition(END)
    if not sep:
        raise SystemExit(f"{path}: no '{END.strip()}' marker")
    return head + block + tail


def main(argv: list[str]) -> int:
    check = "--check" in argv
    darwin = load("darwin_amd64")
    if darwin != load("darwin_arm64"):
        raise SystemExit("darwin amd64 and arm64 constants differ: split _darwin.py by arch")
    status = 0
    for module, groups, platform in (
        ("_linux.py", load("linux_x86_64"), "linux_x86_64"),
        ("_darwin.py", darwin, "darwin_amd64"),
    ):
        path = RAW / module
        new = splice(path, render(groups, platform))
        if path.read_text() != new:
            if check:
                print(f"{path} is out of date: run tools/gen_constants.py")
                status = 1
            else:
                path.write_text(new)
                print(f"wrote {path}")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
