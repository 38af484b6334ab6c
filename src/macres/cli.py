"""The ``macres`` command: inspect the bindings and this machine's resources.

Subcommands print aligned tables for people and ``--json`` for scripts.
Bad input is one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import raw


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def _availability(b: raw.Binding) -> str:
    if b.available:
        return "available"
    if b.counterpart:
        return f"unavailable (use {b.counterpart})"
    return "unavailable"


def cmd_bindings(args: argparse.Namespace) -> int:
    """Print the table of bindings, optionally of one area."""
    rows = [b for b in raw.BINDINGS if args.area is None or b.area == args.area]
    if not rows:
        areas = ", ".join(sorted({b.area for b in raw.BINDINGS}))
        print(f"macres: no area {args.area!r} (areas: {areas})", file=sys.stderr)
        return 1
    if args.json:
        keys = ("go_name", "python_name", "symbol", "area", "prototype", "available", "implementation", "counterpart")
        json.dump([{k: getattr(b, k) for k in keys} for b in rows], sys.stdout, indent=2)
        print()
        return 0
    header = ("go", "macres.raw", "area", "here", "implementation", "C prototype")
    body = [(b.go_name, b.python_name, b.area, _availability(b), b.implementation, b.prototype) for b in rows]
    print(_table(body, header))
    here = sum(b.available for b in rows)
    print(f"\n{len(rows)} bindings, {here} available on {raw.SYSTEM} {raw.ARCH}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``macres`` command."""
    parser = argparse.ArgumentParser(prog="macres", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("bindings", help="the libc calls macres.raw binds, and which work here")
    p.add_argument("--area", help="only this area (fd, fs, dir, process, ids, memory, socket, event, time, system)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_bindings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except OSError as exc:
        print(f"macres: {exc}", file=sys.stderr)
        return 1
    return status
