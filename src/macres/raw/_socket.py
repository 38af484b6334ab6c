"""Bindings of the socket area: socket calls: socket, bind, connect, accept, send/recv, sendmsg/recvmsg, options"""

from __future__ import annotations

__all__: list[str] = []
