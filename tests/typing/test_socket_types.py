"""Static checks of Socket's typed option methods: ``mypy --strict tests/typing``.

mypy must infer the value type of ``sock.getsockopt(opt)`` from the option,
pick the raw overloads for ``(level, name[, buflen])``, and reject a value of
the wrong type (lines marked ``# type: ignore[...]``; ``--strict`` fails the
run if mypy stops reporting them).  Nothing here runs: tests/test_typing.py
runs mypy over this folder.
"""

from __future__ import annotations

import socket

from typing_extensions import assert_type

from macres.socket import SO_LINGER, SO_RCVBUF, SO_REUSEADDR, TCP_NODELAY, Linger, Socket


def check(sock: Socket) -> None:
    """Never called: mypy checks the types."""
    assert_type(sock.getsockopt(SO_REUSEADDR), bool)
    assert_type(sock.getsockopt(SO_RCVBUF), int)
    assert_type(sock.getsockopt(SO_LINGER), Linger)
    assert_type(sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE), int)
    assert_type(sock.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8), bytes)
    sock.setsockopt(TCP_NODELAY, True)
    sock.setsockopt(SO_LINGER, Linger(onoff=True, seconds=1))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, b"\1\0\0\0")
    sock.setsockopt(SO_LINGER, 5)  # type: ignore[misc]
    sock.setsockopt(SO_RCVBUF, "big")  # type: ignore[misc]
