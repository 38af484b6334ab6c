"""A Unix-socket server that knows who is calling: the kernel tells it the peer's uid.

    python examples/peer_server.py SOCKET_PATH [--once] [--timeout SECONDS] [--allow-uid UID ...]

Over an ``AF_UNIX`` socket the kernel records the credentials of the process
at the other end when it connects, and no client can forge them.  That is
how local daemons decide who may talk to them without passwords.  The
options differ by platform:

* Linux: ``SOL_SOCKET``/``SO_PEERCRED``, a ``struct ucred`` (pid, uid, gid);
* macOS: ``SOL_LOCAL``/``LOCAL_PEERCRED``, a ``struct xucred`` (uid and
  groups, the first group being the effective gid) plus ``LOCAL_PEERPID``.

macres's typed option catalog has both on every platform; the one the running
system lacks has ``available`` False.  So the server asks the catalog which
option exists here instead of testing ``sys.platform``, and mypy checks both
branches whichever platform it checks for: ``getsockopt(SO_PEERCRED)`` is a
``Ucred``, ``getsockopt(LOCAL_PEERCRED)`` an ``Xucred``.

Protocol: a client connects and reads one line, ``uid=U gid=G pid=P`` when
its uid is allowed (by default only the server's own effective uid), or
``denied uid=U`` otherwise; then the server closes the connection.  The
server prints ``listening on PATH`` once it accepts connections, and one
line per client.  ``--once`` serves one client and exits; ``--timeout``
bounds every wait (accept, send), so a test can never hang on it.  The
socket file is removed on exit, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

import macres
from macres.socket import AF_UNIX, SOCK_STREAM
from macres.sockopt import LOCAL_PEERCRED, LOCAL_PEERPID, SO_PEERCRED


@dataclasses.dataclass(frozen=True)
class Peer:
    """Who is at the other end of a connection, as the kernel recorded it at connect time."""

    uid: int
    gid: int | None  # None: the platform did not say
    pid: int | None


def peer_credentials(conn: macres.Socket) -> Peer:
    """The credentials of *conn*'s peer, from whichever option this platform has.

    Raises:
        macres.UnsupportedOperation: the platform has neither option.
        OSError: the socket is not a connected AF_UNIX socket.
    """
    if SO_PEERCRED.available:  # Linux
        cred = conn.getsockopt(SO_PEERCRED)  # a Ucred: pid, uid, gid
        return Peer(uid=cred.uid, gid=cred.gid, pid=cred.pid)
    if LOCAL_PEERCRED.available:  # macOS
        xcred = conn.getsockopt(LOCAL_PEERCRED)  # an Xucred: version, uid, groups
        gid = xcred.groups[0] if xcred.groups else None  # cr_groups[0] is the effective gid
        pid = conn.getsockopt(LOCAL_PEERPID) if LOCAL_PEERPID.available else None
        return Peer(uid=xcred.uid, gid=gid, pid=pid)
    raise macres.UnsupportedOperation("peer credentials (SO_PEERCRED, LOCAL_PEERCRED)", macres.raw.SYSTEM)


def serve(path: str, *, once: bool, timeout: float | None, allowed: set[int]) -> int:
    """Listen on *path* and answer each client with its credentials; return the exit status."""
    with macres.Socket(AF_UNIX, SOCK_STREAM) as listener:
        listener.bind(path)  # creates the socket file
        try:
            listener.listen()
            listener.timeout = timeout  # accept waits at most this long (None: for ever)
            print(f"listening on {path}", flush=True)
            while True:
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    print(f"peer_server: no client within {timeout} s", file=sys.stderr)
                    return 1
                with conn:  # closed after each client, whatever happens
                    conn.timeout = timeout
                    answer(conn, allowed)
                if once:
                    return 0
        finally:
            os.unlink(path)  # a socket file outlives its socket


def answer(conn: macres.Socket, allowed: set[int]) -> None:
    """Check one client's credentials and send it the verdict."""
    peer = peer_credentials(conn)
    if peer.uid in allowed:
        reply = f"uid={peer.uid} gid={_text(peer.gid)} pid={_text(peer.pid)}\n"
    else:
        reply = f"denied uid={peer.uid}\n"
    print(f"client: {reply.strip()}", flush=True)
    try:
        conn.sendall(reply.encode())
    except (BrokenPipeError, ConnectionResetError):  # the client left early: its loss
        pass


def _text(value: int | None) -> str:
    return "?" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve; return the exit status."""
    parser = argparse.ArgumentParser(description="A Unix-socket server that reports each client's uid.")
    parser.add_argument("path", help="where to create the socket (must not exist)")
    parser.add_argument("--once", action="store_true", help="serve a single client, then exit")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds to wait for a client or a send (default: for ever)",
    )
    parser.add_argument(
        "--allow-uid",
        type=int,
        action="append",
        metavar="UID",
        help="a uid that may connect (repeatable; default: this server's effective uid)",
    )
    args = parser.parse_args(argv)
    allowed = set(args.allow_uid) if args.allow_uid else {macres.Process.current().euid}
    try:
        return serve(args.path, once=args.once, timeout=args.timeout, allowed=allowed)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"peer_server: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
