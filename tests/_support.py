"""Helpers shared by the test modules: forked children, privilege probes, platform marks.

Tests that change process-wide state (ids, rlimits, the clock's
permissions, chroot) run the change in a forked child that only runs the
check and ``os._exit``s, reporting through its exit status and a pipe.
:data:`FORK_LOCK` serialises those forks suite-wide: a fork copies only the
calling thread, so no two forks overlap and no child inherits a lock some
other test thread held at that moment.
"""

from __future__ import annotations

import os
import pathlib
import threading
from collections.abc import Callable

import pytest

from macres import raw

#: The repository's root (the directory holding ``tests/``).
REPO = pathlib.Path(__file__).resolve().parent.parent
#: The ABI tables and the socket-option catalog source (``data/README.md`` says where they come from).
ABI_DIR = REPO / "data" / "abi"
#: The binding table, the one copy the package reads at run time.
BINDINGS_TABLE = REPO / "src" / "macres" / "raw" / "_bindings.tsv"

#: The unprivileged user and group the tests drop to.
NOBODY = 65534
#: Serialises every fork the suite makes (see the module docstring).
FORK_LOCK = threading.Lock()

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the privileged call for real")
linux_only = pytest.mark.skipif(raw.SYSTEM != "linux", reason="exercises Linux behaviour")


def in_child(body: Callable[[], None]) -> None:
    """Run *body* in a forked child; fail with the child's exception if it raised."""
    r, w = os.pipe()
    with FORK_LOCK:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                os.close(r)
                body()
            except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
                code = 1
                try:
                    os.write(w, f"{type(exc).__name__}: {exc}".encode()[:4000])
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 4096):
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, b"".join(chunks).decode(errors="replace")


def drop_privileges() -> None:
    """In a child: become uid/gid 65534 with no supplementary groups."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
