"""Enum classes of the ABI modules, made on first use (PEP 562).

Each ABI module (``_darwin.py``, ``_linux.py``) declares its constant groups
as plain ints in ``CONSTANTS`` and names the groups that are enums; making
the 18 enum classes at import would cost several milliseconds that most
programs never use.  :func:`install` gives such a module the ``__getattr__``
and ``__dir__`` that make a class, and bind its members, when a name of it
is first read.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, MutableMapping

__all__ = ["install"]


def install(
    namespace: MutableMapping[str, object],
    constants: Mapping[str, Mapping[str, int]],
    enums: Mapping[str, tuple[str, str, str]],
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for the module whose globals are *namespace*.

    *enums* maps a class name to ``(group, base, docstring)``: the class is
    ``enum.<base>`` over ``constants[group]``.  Each constant takes the class
    of the first group that names it, unless the module already binds it as
    a plain int (as its declarations do).
    """
    owner_of: dict[str, str] = {}
    for cls_name, (group, _, _) in enums.items():
        for name in constants[group]:
            if not name.startswith("_") and name not in namespace:
                owner_of.setdefault(name, cls_name)
    module = str(namespace["__name__"])

    def make(cls_name: str) -> object:
        group, base, doc = enums[cls_name]
        values = constants[group]
        members = sorted((n for n in values if not n.startswith("_")), key=lambda n: (values[n], n))
        made = getattr(enum, base)(cls_name, [(n, values[n]) for n in members], module=module, qualname=cls_name)
        made.__doc__ = doc
        cls = namespace.setdefault(cls_name, made)  # one class, also when two threads race
        for name, owner in owner_of.items():
            if owner == cls_name:
                namespace.setdefault(name, cls[name])  # type: ignore[index]
        return cls

    def getattr_(name: str) -> object:
        cls_name = name if name in enums else owner_of.get(name)
        if cls_name is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        make(cls_name)
        return namespace[name]

    def dir_() -> list[str]:
        return sorted({*namespace, *enums, *owner_of})

    return getattr_, dir_
