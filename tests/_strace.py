"""What reaches the kernel, witnessed by strace: the system calls a snippet of Python makes.

:func:`kernel_calls` runs *setup* and then *body* in a fresh interpreter under
``strace -f`` and returns the calls *body* made, in order, between two marker
calls (``access`` on paths no code uses), so the interpreter's start-up and
the setup do not count.  Tests that use it carry :data:`needs_strace`, which
skips them with the reason where strace is missing or cannot trace (no ptrace
in a container); CI installs strace.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

import attrs
import pytest

_BEGIN = "/macres-strace-begin"
_END = "/macres-strace-end"
#: ``PID name(args <unfinished ...>`` and ``PID <... name resumed>rest``: a call another process interrupted in the log.
_UNFINISHED = re.compile(r"^(?:\[pid\s+)?(?P<pid>\d+)\]?\s+(?P<head>.*)<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^(?:\[pid\s+)?(?P<pid>\d+)\]?\s+<\.\.\. \w+ resumed>(?P<tail>.*)$")
_LINE = re.compile(r"^(?:\[pid\s+(?P<pid>\d+)\]\s+|(?P<pid2>\d+)\s+)?(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<result>.*)$")


@attrs.frozen
class Call:
    """One completed system call: its name, its argument text and its result text as strace prints them."""

    name: str
    args: str
    result: str
    pid: int

    @property
    def failed(self) -> bool:
        """True when the call returned -1 (strace prints ``-1 ERRNO (text)``)."""
        return self.result.startswith("-1")


@functools.cache
def strace_problem() -> str | None:
    """Why strace cannot witness calls here, or None when it can."""
    exe = shutil.which("strace")
    if exe is None:
        return "strace is not installed (CI installs it: apt-get install strace)"
    proc = subprocess.run(
        [exe, "-qq", "-e", "trace=getpid", "true"], capture_output=True, text=True, timeout=60, check=False
    )
    if proc.returncode != 0:
        return f"strace cannot trace here: {proc.stderr.strip()[:200]}"
    return None


needs_strace = pytest.mark.skipif(strace_problem() is not None, reason=str(strace_problem()))


def kernel_calls(body: str, setup: str = "", *, trace: str = "all", env: dict[str, str] | None = None) -> list[Call]:
    """Run *setup* then *body* under strace; return the calls *body* made (all threads and children).

    *trace* is strace's ``-e trace=`` expression.  Raises AssertionError with
    the child's output when the snippet fails.
    """
    program = "\n".join(
        (
            "import os",
            textwrap.dedent(setup),
            f"os.access({_BEGIN!r}, os.F_OK)",
            textwrap.dedent(body),
            f"os.access({_END!r}, os.F_OK)",
        )
    )
    expression = trace if trace == "all" else f"{trace},access"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "trace")
        proc = subprocess.run(
            ["strace", "-qq", "-f", "-s", "256", "-e", f"trace={expression}", "-o", out, sys.executable, "-c", program],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, f"snippet failed under strace:\n{proc.stdout}\n{proc.stderr}"
        with open(out, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    calls: list[Call] = []
    inside = False
    pending: dict[str, str] = {}  # a blocking call interrupted in the log, by pid, until it resumes
    for raw_line in lines:
        line = raw_line
        if (u := _UNFINISHED.match(line)) is not None:
            pending[u["pid"]] = u["head"]
            continue
        if (r := _RESUMED.match(line)) is not None and r["pid"] in pending:
            line = f"{r['pid']} {pending.pop(r['pid'])}{r['tail']}"
        m = _LINE.match(line)
        if m is None:
            continue
        name, args = m["name"], m["args"]
        if name in ("access", "faccessat", "faccessat2") and _BEGIN in args:
            inside = True
            continue
        if name in ("access", "faccessat", "faccessat2") and _END in args:
            inside = False
            continue
        if inside:
            calls.append(Call(name, args, m["result"], int(m["pid"] or m["pid2"] or 0)))
    return calls


def names(calls: list[Call]) -> list[str]:
    """The names of *calls*, in order."""
    return [c.name for c in calls]
