"""The exceptions macres raises besides plain ``OSError``."""

from __future__ import annotations

import errno
import os

__all__ = ["ClosedResourceError", "UnsupportedOperation"]


class ClosedResourceError(ValueError):
    """The object was closed (or detached) by *your* code; no call reached the kernel.

    A ``ValueError``, as the stdlib raises for operations on closed files.
    """

    __module__ = "macres"


class UnsupportedOperation(OSError):
    """This platform has no such call; ``errno`` is ``ENOSYS``.

    ``name`` is the binding, ``platform`` the running platform and
    ``counterpart`` the nearest call this platform offers instead, if any.
    """

    __module__ = "macres"

    def __init__(self, name: str, platform: str, counterpart: str | None = None) -> None:
        hint = f"; use {counterpart} instead" if counterpart else "; there is no counterpart"
        super().__init__(errno.ENOSYS, f"{name} is not available on {platform}{hint}")
        self.name = name
        self.platform = platform
        self.counterpart = counterpart

    def __reduce__(self) -> tuple[type[UnsupportedOperation], tuple[str, str, str | None]]:
        return (type(self), (self.name, self.platform, self.counterpart))


def oserror(err: int, filename: object = None, filename2: object = None) -> OSError:
    """Build ``OSError(err, strerror[, filename[, None, filename2]])``.

    Python turns it into the builtin subclass for ``err``
    (``FileNotFoundError`` for ENOENT, ...).
    """
    if filename2 is not None:
        return OSError(err, os.strerror(err), filename, None, filename2)
    if filename is not None:
        return OSError(err, os.strerror(err), filename)
    return OSError(err, os.strerror(err))
