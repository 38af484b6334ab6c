"""The ``macres`` command line (also ``python -m macres``)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
