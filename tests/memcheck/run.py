"""Run tests/memcheck/drive_core.py under valgrind's memcheck and judge the report.

    python tests/memcheck/run.py [--python PYTHON] [--timeout SECONDS] [--log DIR] [-- PYTEST_ARG...]

The driver calls every entry point of the compiled core (macres._core);
memcheck watches every access it makes.  With pytest arguments, the run is
``python -m pytest -p no:xdist -q ARG...`` instead: a part of the suite
under memcheck, judged the same way.  The interpreter runs with
PYTHONMALLOC=malloc, so each Python object is its own malloc block and a
use after free, an overrun or a leaked object is seen at the byte.

What fails the run:

* any invalid read, write or free, overlapping copy or bad jump, wherever
  it is reported: a reference the core drops once too often frees an object
  that CPython's own code reads later, with no core frame on the stack;
* a use of uninitialised memory whose stack, or whose origin (memcheck's
  --track-origins, on by default for the driver), has a frame in the core;
* a block definitely lost that the core allocated (a core frame on the
  allocation's stack);
* the driver itself failing (an entry point not reached, an assertion), or
  a test failing.

Suppressed (tests/memcheck/glibc.supp): glibc's vectorised wmemcmp, which
reads whole vectors past the end of a string and which valgrind does not
replace as it replaces memcmp.

What is reported and not counted: uninitialised values and definite leaks
with no core frame anywhere.  CPython 3.11 has some of its own (for
example _PyLong_New leaves the digit of 0 unset, which maybe_small_long
reads); they are listed by kind and innermost function, so a new one shows.

Exit status: 0 clean, 1 errors found or the driver failed, 2 valgrind missing.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

HERE = pathlib.Path(__file__).resolve().parent
DRIVER = HERE / "drive_core.py"
SUPPRESSIONS = HERE / "glibc.supp"
#: A frame in the compiled core: its shared object, or one of its sources when there is debug information.
CORE_OBJ = re.compile(r"(^|/)_core\.[^/]*\.so$")
CORE_FILE = re.compile(r"^_core(_\w+)?\.[ch]$")
#: Kinds that are errors wherever they happen.
ACCESS_KINDS = {"InvalidRead", "InvalidWrite", "InvalidFree", "MismatchedFree", "Overlap", "InvalidJump",
                "InvalidMemPool", "FishyValue"}  # fmt: skip
UNINIT_KINDS = {"UninitCondition", "UninitValue", "SyscallParam", "ClientCheck"}
LEAK_KINDS = {"Leak_DefinitelyLost"}


@dataclass
class Frame:
    fn: str
    where: str
    core: bool


@dataclass
class Error:
    kind: str
    what: str
    stack: list[Frame]
    origin: list[Frame] = field(default_factory=list)
    aux: str = ""

    @property
    def in_core(self) -> bool:
        return any(f.core for f in self.stack) or any(f.core for f in self.origin)

    def format(self) -> str:
        lines = [f"{self.kind}: {self.what}"]
        lines += [f"    {f.fn}  {f.where}" for f in self.stack[:25]]
        if self.origin:
            lines.append(f"  {self.aux}")
            lines += [f"    {f.fn}  {f.where}" for f in self.origin[:15]]
        return "\n".join(lines)


def _frames(stack: ET.Element | None) -> list[Frame]:
    frames = []
    for fr in stack.findall("frame") if stack is not None else []:
        fn = fr.findtext("fn") or fr.findtext("ip") or "?"
        obj = fr.findtext("obj") or ""
        file = fr.findtext("file") or ""
        where = f"{file}:{fr.findtext('line')}" if file else obj
        frames.append(Frame(fn, where, bool(CORE_OBJ.search(obj) or CORE_FILE.match(file))))
    return frames


def parse(xml_path: pathlib.Path) -> list[Error]:
    errors = []
    for e in ET.parse(xml_path).getroot().iter("error"):
        kind = e.findtext("kind") or "?"
        what = e.findtext("what") or e.findtext("xwhat/text") or ""
        stacks = e.findall("stack")
        errors.append(Error(kind, what, _frames(stacks[0] if stacks else None),
                            _frames(stacks[1]) if len(stacks) > 1 else [], e.findtext("auxwhat") or ""))  # fmt: skip
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose macres to check")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("--log", type=pathlib.Path, help="keep valgrind's text and XML reports in this directory")
    parser.add_argument("--origins", choices=("yes", "no"),
                        help="memcheck's --track-origins (default: yes for the driver, no for pytest, twice as fast)")
    parser.add_argument("pytest_args", nargs="*", help="run these tests under memcheck instead of the driver")
    args = parser.parse_args()
    target = [str(DRIVER)] if not args.pytest_args else ["-m", "pytest", "-p", "no:xdist", "-q", *args.pytest_args]
    origins = args.origins or ("no" if args.pytest_args else "yes")
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("memcheck: valgrind is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="macres-memcheck-") as tmp:
        logdir = args.log or pathlib.Path(tmp)
        logdir.mkdir(parents=True, exist_ok=True)
        xml, text = logdir / "memcheck.xml", logdir / "memcheck.log"
        cmd = [
            valgrind, "--tool=memcheck", "--xml=yes", f"--xml-file={xml}", f"--log-file={text}",
            f"--track-origins={origins}", "--leak-check=full", "--show-leak-kinds=definite",
            "--errors-for-leak-kinds=definite", "--num-callers=40", "--child-silent-after-fork=yes",
            f"--suppressions={SUPPRESSIONS}",
            args.python, *target,
        ]  # fmt: skip
        env = dict(os.environ, PYTHONMALLOC="malloc")
        env.pop("PYTHONDEVMODE", None)
        env.pop("PYTEST_ADDOPTS", None)
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, env=env, timeout=args.timeout, check=False)
        except subprocess.TimeoutExpired:
            print(f"memcheck: the driver did not finish within {args.timeout:.0f} s", file=sys.stderr)
            return 1
        elapsed = time.monotonic() - started
        if not xml.exists():
            print(f"memcheck: valgrind wrote no report (status {proc.returncode})", file=sys.stderr)
            return 1
        errors = parse(xml)
    failing = [e for e in errors if e.kind in ACCESS_KINDS or (e.kind in UNINIT_KINDS | LEAK_KINDS and e.in_core)]
    failing += [e for e in errors if e.kind not in ACCESS_KINDS | UNINIT_KINDS | LEAK_KINDS and e.in_core]
    outside = Counter(
        f"{e.kind} in {e.stack[0].fn if e.stack else '?'}" + (f" (from {e.origin[1].fn})" if len(e.origin) > 1 else "")
        for e in errors
        if e not in failing
    )
    for e in failing:
        print(e.format(), file=sys.stderr)
        print(file=sys.stderr)
    if outside:
        print(f"memcheck: {sum(outside.values())} reports from CPython itself, not counted:")
        for what, n in sorted(outside.items()):
            print(f"    {n:3d} x {what}")
    ran = "driver" if not args.pytest_args else "pytest"
    print(f"memcheck: {len(failing)} errors in or caused by macres._core; {ran} status {proc.returncode}; "
          f"{elapsed:.0f} s under valgrind")  # fmt: skip
    return 1 if failing or proc.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
