"""The type of a directory entry: ``FileType``, the ``DT_*`` values of ``struct dirent``.

Its own module because both cores need it: the compiled core's
DirectoryEntry loads it on first use, the pure core imports it.
"""

from __future__ import annotations

import enum

__all__ = ["FileType"]


class FileType(enum.IntEnum):
    """The ``DT_*`` file types a directory entry reports (the same values on macOS and Linux)."""

    UNKNOWN = 0
    FIFO = 1
    CHR = 2
    DIR = 4
    BLK = 6
    REG = 8
    LNK = 10
    SOCK = 12
    WHT = 14
