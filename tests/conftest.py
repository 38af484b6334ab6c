"""Suite-wide fixtures and helpers.

Every test must leave descriptors, child processes and MappedRegion
mappings as it found them: the suite runs with macres's own leak-checking
plugin on (``macres_leaks = true`` in pyproject.toml), which fails a
leaking test's teardown and names what leaked with its creation traceback.
"""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings

from macres import testing


settings.register_profile(
    "macres",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("MACRES_HYPOTHESIS_PROFILE", "macres"))

#: The descriptor numbers open in this process now (the plugin's view of the OS).
open_fds = testing.open_descriptors
#: The pids of this process's children.
children = testing.child_processes


def is_root() -> bool:
    """Whether the suite runs as root."""
    return os.geteuid() == 0


@pytest.fixture
def tmp(tmp_path: pathlib.Path) -> pathlib.Path:
    """A fresh directory for the test's files."""
    return tmp_path
