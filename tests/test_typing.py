"""``mypy --strict`` over ``tests/typing/``, for Linux and for macOS, as CI runs it.

The files in ``tests/typing/`` are never executed: their functions pin the
types users rely on with ``assert_type``, and their lines marked ``# type:
ignore[...]`` are mistakes mypy must reject (``warn_unused_ignores``, part
of ``--strict``, fails the run when mypy stops rejecting one).  This test
is what turns a broken annotation into a failing test.
"""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import pytest
from _support import REPO

TYPING = REPO / "tests" / "typing"


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_typing_checks_pass_mypy_strict(platform: str, tmp_path: pathlib.Path) -> None:
    """Every file of tests/typing passes ``mypy --strict --platform PLATFORM`` (own cache)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it is in the dev extra)")
    files = sorted(str(p.relative_to(REPO)) for p in TYPING.glob("*.py"))
    mypy = [sys.executable, "-m", "mypy", "--strict", "--platform", platform, "--cache-dir", str(tmp_path)]
    proc = subprocess.run(
        [*mypy, *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert (0, "") == (proc.returncode, proc.stderr), proc.stdout
    assert f"Success: no issues found in {len(files)} source files" in proc.stdout
