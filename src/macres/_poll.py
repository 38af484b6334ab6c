"""Waiting for a descriptor with a deadline, for the socket timeouts of both layers."""

from __future__ import annotations

import math
import select
import time

__all__ = ["wait"]


def wait(fd: int, writing: bool, deadline: float) -> None:
    """Wait with ``poll(2)`` until *fd* is ready (or hung up) for writing or reading.

    *deadline* is a ``time.monotonic()`` instant; EINTR is retried by the stdlib.

    Raises:
        TimeoutError: the deadline passed first.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("timed out")
    poller = select.poll()
    poller.register(fd, select.POLLOUT if writing else select.POLLIN)
    if not poller.poll(math.ceil(remaining * 1000)):
        raise TimeoutError("timed out")
