"""Waiting for a descriptor with a deadline, for the socket timeouts of both layers."""

from __future__ import annotations

import math
import select
import time

__all__ = ["wait"]

#: The longest single poll(2), in milliseconds (its timeout is a C int).
_POLL_MAX_MS = (1 << 31) - 1


def wait(fd: int, writing: bool, deadline: float) -> None:
    """Wait with ``poll(2)`` until *fd* is ready (or hung up) for writing or reading.

    *deadline* is a ``time.monotonic()`` instant; EINTR is retried by the stdlib.

    Raises:
        TimeoutError: the deadline passed first.
    """
    poller = select.poll()
    poller.register(fd, select.POLLOUT if writing else select.POLLIN)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        # poll(2) takes an int of milliseconds: a longer wait is several polls.
        if poller.poll(min(math.ceil(remaining * 1000), _POLL_MAX_MS)):
            return
