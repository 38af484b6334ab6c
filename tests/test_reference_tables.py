"""The reference tables the suite checks against are in the repository.

``data/abi/`` holds the ABI tables and the socket-option catalog source,
with their provenance (``data/abi/README.md``); the binding table is
``src/macres/raw/_bindings.tsv``.  The ABI, contract and socket-option
tests are generated from them, so a missing table must fail here, loudly,
rather than shrink the suite.  (``.ci/run`` compares these copies with the
shared originals when those are checked out beside the repository.)
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from _support import ABI_DIR, BINDINGS_TABLE, REPO

ABI_TABLES = ("darwin_amd64", "darwin_arm64", "linux_x86_64")


@pytest.mark.parametrize("platform", ABI_TABLES)
def test_abi_table_is_in_the_repository(platform: str) -> None:
    """data/abi/<platform>.json exists and holds its platform's structs and constants."""
    table = json.loads((ABI_DIR / f"{platform}.json").read_text())

    assert platform == table["platform"]
    assert table["source"]
    assert len(table["structs"]) > 30
    assert len(table["constants"]) > 30


def test_sockopt_catalog_source_is_in_the_repository() -> None:
    """data/abi/sockopts.json exists with its 446 entries (264 Linux, 182 darwin)."""
    entries = json.loads((ABI_DIR / "sockopts.json").read_text())
    platforms = [e["platform"] for e in entries]

    assert (264, 182) == (platforms.count("linux"), platforms.count("darwin"))


def test_provenance_is_in_the_repository() -> None:
    """Both READMEs are there: the ABI tables' sources and checks, and what data/ holds."""
    abi_readme = (ABI_DIR / "README.md").read_text()
    data_readme = (REPO / "data" / "README.md").read_text()

    assert "## Where the numbers come from" in abi_readme
    assert "golang/sys" in abi_readme
    for path in sorted(ABI_DIR.iterdir()):
        assert f"abi/{path.name}" in data_readme, f"data/README.md does not describe {path.name}"
    assert "src/macres/raw/_bindings.tsv" in data_readme


def test_binding_table_is_in_the_repository() -> None:
    """The one binding table is the package's, with the 126 Go functions."""
    lines = BINDINGS_TABLE.read_text().splitlines()
    rows = [line for line in lines if line.strip() and not line.startswith("#")]

    assert 126 == len(rows)
    assert all(6 == len(row.split("\t")) for row in rows)


def test_no_test_or_tool_reads_outside_the_repository() -> None:
    """No test or generator reaches for ``../shared``: a plain clone must test everything."""
    offenders = []
    for folder in ("tests", "tools"):
        for path in sorted((REPO / folder).rglob("*.py")):
            text = path.read_text()
            if re.search(r'\.\./shared|/ *"shared"', text):
                offenders.append(str(path.relative_to(REPO)))
    this = pathlib.Path(__file__).resolve().relative_to(REPO)

    assert [] == [o for o in offenders if o != str(this)]
