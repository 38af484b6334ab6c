"""The darwin layouts and parsers behind macres.procinfo, checked where they cannot run.

Sizes and offsets are xnu's ``bsd/sys/proc_info.h`` (xnu-11417), laid out
by hand: fixed-width members, natural alignment, no packing; Rust's libc
(``src/unix/bsd/apple/mod.rs``) declares the same members.  The
``KERN_PROCARGS2`` parser gets a buffer built the way the kernel builds it.
"""

from __future__ import annotations

import ctypes

import pytest

from macres.raw import _darwin


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("CProcBsdinfo", 136),
        ("CProcTaskinfo", 96),
        ("CProcTaskallinfo", 232),
        ("CProcThreadinfo", 112),
        ("CVinfoStat", 136),
        ("CVnodeInfo", 152),
        ("CVnodeInfoPath", 1176),
        ("CProcVnodepathinfo", 2352),
        ("CProcFileinfo", 24),
        ("CVnodeFdinfowithpath", 1200),
        ("CProcFdinfo", 8),
        ("CMachTimebaseInfo", 8),
    ],
)
def test_struct_sizes(name: str, size: int) -> None:
    """Each struct has the size xnu's header gives it (the size proc_pidinfo checks its buffer against)."""
    assert size == ctypes.sizeof(getattr(_darwin, name))


@pytest.mark.parametrize(
    ("struct", "member", "offset"),
    [
        ("CProcBsdinfo", "pbi_comm", 48),
        ("CProcBsdinfo", "pbi_name", 64),
        ("CProcBsdinfo", "pbi_nfiles", 96),
        ("CProcBsdinfo", "pbi_start_tvsec", 120),
        ("CProcBsdinfo", "pbi_start_tvusec", 128),
        ("CProcTaskinfo", "pti_total_user", 16),
        ("CProcTaskinfo", "pti_threadnum", 84),
        ("CProcTaskallinfo", "ptinfo", 136),
        ("CVinfoStat", "vst_ino", 8),
        ("CVinfoStat", "vst_size", 88),
        ("CVinfoStat", "vst_qspare", 120),
        ("CVnodeInfo", "vi_type", 136),
        ("CVnodeInfo", "vi_fsid", 144),
        ("CVnodeInfoPath", "vip_path", 152),
        ("CProcVnodepathinfo", "pvi_rdir", 1176),
        ("CProcFileinfo", "fi_offset", 8),
        ("CVnodeFdinfowithpath", "pvip", 24),
        ("CProcThreadinfo", "pth_name", 48),
    ],
)
def test_member_offsets(struct: str, member: str, offset: int) -> None:
    """The members the readers use sit where xnu's header puts them."""
    assert offset == getattr(getattr(_darwin, struct), member).offset


def _procargs(argv: list[bytes], env: list[bytes], path: bytes = b"/bin/prog") -> bytes:
    """A KERN_PROCARGS2 buffer: argc, the exec path, NUL padding to a word, argv, env, then NULs."""
    head = len(argv).to_bytes(4, "little") + path + b"\0"
    head += b"\0" * (-len(head) % 8 + 8)
    return head + b"".join(a + b"\0" for a in argv) + b"".join(e + b"\0" for e in env) + b"\0" * 16


def test_parse_procargs() -> None:
    """argv and the environment come back split; an env entry without '=' is skipped; bytes decode like os.fsdecode."""
    data = _procargs([b"prog", b"an arg", b"", b"\xff"], [b"A=1", b"B=x=y", b"junk", b"C="])
    argv, env = _darwin.parse_procargs(data)

    assert ["prog", "an arg", "", "\udcff"] == argv
    assert {"A": "1", "B": "x=y", "C": ""} == env


def test_parse_procargs_short() -> None:
    """A buffer with no exec path or no arguments gives empty results rather than garbage."""
    assert ([], {}) == _darwin.parse_procargs(b"")
    assert ([], {}) == _darwin.parse_procargs(b"\0\0\0\0")
    assert ([], {}) == _darwin.parse_procargs(_procargs([], []))
