"""The contract of ``macres.raw`` over the whole binding table.

``raw.BINDINGS`` mirrors the binding table ``raw/_bindings.tsv`` (126 Go functions);
every python name is exported, callable, fully annotated and documented;
``raw.available`` agrees with the table's Linux column; and every binding
this platform lacks raises :class:`macres.UnsupportedOperation` (ENOSYS)
naming the counterpart the table gives.
"""

from __future__ import annotations

import errno
import importlib
import inspect
import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from _support import BINDINGS_TABLE

import macres
from macres import _backend, raw


class Row(NamedTuple):
    """One line of bindings.tsv."""

    go_name: str
    symbol: str
    prototype: str
    area: str
    linux: str
    python_name: str


def rows() -> list[Row]:
    """The rows of the repository's table, in order."""
    text = BINDINGS_TABLE.read_text()
    return [Row(*line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def names() -> list[str]:
    """The python names of the table, each once, in order."""
    return list(dict.fromkeys(r.python_name for r in rows()))


def first_row(name: str) -> Row:
    """The first row of python name *name*."""
    return next(r for r in rows() if r.python_name == name)


def unavailable_here() -> list[str]:
    """The python names the table says Linux lacks (none on darwin)."""
    if sys.platform != "linux":
        return []
    return [n for n in names() if first_row(n).linux != "same"]


def test_table_has_126_go_functions() -> None:
    """The table lists 126 Go functions over 123 python names."""
    assert len(rows()) == 126
    assert len(names()) == 123


def test_bindings_mirror_the_table() -> None:
    """raw.BINDINGS has one entry per row: Go name, python name, prototype and area as tabled."""
    got = [(b.go_name, b.python_name, b.prototype, b.area) for b in raw.BINDINGS]
    want = [(r.go_name, r.python_name, r.prototype, r.area) for r in rows()]
    assert got == want


def test_binding_details_are_consistent() -> None:
    """Symbol, counterpart and implementation of each entry agree with the table and this platform."""
    for b, r in zip(raw.BINDINGS, rows(), strict=True):
        if sys.platform == "darwin":
            assert b.counterpart is None
        else:
            assert b.symbol == r.python_name
            assert b.counterpart == (r.linux[4:] if r.linux.startswith("alt:") else None)
        assert b.available is raw.available(b.python_name)
        if b.implementation == "core":  # the compiled core's function, with a pure reference
            assert _backend.compiled is not None, b
            assert getattr(raw, b.python_name) is getattr(_backend.compiled, b.python_name), b
            assert raw.reference(b.python_name) is not getattr(raw, b.python_name), b
        elif b.implementation != "ctypes":
            kind, _, via = b.implementation.partition(":")
            assert kind == "stdlib", b
            module, _, attr = via.rpartition(".")
            target: object = importlib.import_module(module)
            for part in attr.split("."):
                target = getattr(target, part)
            assert callable(target), b


@pytest.mark.parametrize("name", names())
def test_name_is_exported_callable_and_documented(name: str) -> None:
    """Each name is in raw.__all__, callable, fully annotated, documented with its C call and its errors."""
    assert name in raw.__all__, f"{name} is not exported"
    fn = getattr(raw, name)
    assert callable(fn)
    # A binding the compiled core implements carries its types on its pure
    # reference, which must take the same parameters.
    sig = inspect.signature(raw.reference(name))
    assert list(inspect.signature(fn).parameters) == list(sig.parameters), f"{name}: the core's parameters differ"
    for param in sig.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}: parameter {param.name} lacks a type"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: return type missing"
    doc = inspect.getdoc(fn) or ""
    assert re.search(rf"\b{re.escape(name)}\b", doc), f"{name}: the docstring does not name {name}"
    says_what_it_raises = "Raises:" in doc or re.search(r"never fails|cannot fail", doc, re.IGNORECASE)
    assert says_what_it_raises, f"{name}: the docstring has no Raises: section (nor says it never fails)"


@pytest.mark.parametrize("name", names())
def test_available_agrees_with_table(name: str) -> None:
    """raw.available is True exactly where the table says this platform has the call."""
    expected = True if sys.platform == "darwin" else first_row(name).linux == "same"
    assert raw.available(name) is expected


def test_available_rejects_unknown_names() -> None:
    """A name outside the table is a KeyError, not a silent False."""
    with pytest.raises(KeyError):
        raw.available("no_such_binding")


# Plausible arguments for the bindings Linux lacks: the stub must raise
# before any argument reaches the kernel, so the values only need to pass
# the argument checks.  Types are read from the annotations.
_PATH = "/nonexistent/macres-contract"


def _argument_for(annotation: str) -> Any:
    text = annotation.replace(" ", "")
    if "Sequence[int]" in text or "list[int]" in text:
        return [1, 1]  # a two-level sysctl name: CTL_KERN, KERN_OSTYPE
    if "Path" in text or text in ("str|bytes", "bytes|str"):
        return _PATH
    if "Buffer" in text or "bytearray" in text:
        return bytearray(64)
    if "Sequence" in text or "Iterable" in text or text.startswith("list"):
        return []
    if text.startswith(("int", "bool")):
        return 0
    if text.startswith("float"):
        return 0.0
    if text.startswith("str"):
        return "nobody"
    if "None" in text:
        return None
    raise AssertionError(f"no plausible argument for annotation {annotation!r}")


def plausible_call(fn: Callable[..., Any]) -> Callable[[], Any]:
    """A thunk calling *fn* with a plausible value for each required parameter."""
    args: list[Any] = []
    for param in inspect.signature(fn).parameters.values():
        if param.default is not inspect.Parameter.empty:
            continue
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        annotation = param.annotation if isinstance(param.annotation, str) else repr(param.annotation)
        args.append(_argument_for(annotation))
    return lambda: fn(*args)


@pytest.mark.parametrize("name", unavailable_here())
def test_unavailable_binding_raises_unsupported_naming_counterpart(name: str) -> None:
    """Calling a binding Linux lacks raises UnsupportedOperation (ENOSYS) naming the table's counterpart."""
    how = first_row(name).linux
    with pytest.raises(macres.UnsupportedOperation) as info:
        plausible_call(getattr(raw, name))()
    exc = info.value
    assert isinstance(exc, OSError)
    assert exc.errno == errno.ENOSYS
    assert exc.name == name
    assert name in str(exc)
    if how.startswith("alt:"):
        counterpart = how[4:]
        assert exc.counterpart == counterpart
        assert counterpart in str(exc)
    else:  # enosys stubs in glibc, or no counterpart at all
        assert exc.counterpart is None
        assert "no counterpart" in str(exc)


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux column names the counterparts")
def test_counterparts_named_by_the_issue() -> None:
    """The counterparts the table gives are the ones the issue lists (epoll, umount2, ...)."""
    want = {
        "kqueue": "epoll_create1",
        "kevent": "epoll_ctl+epoll_wait",
        "unmount": "umount2",
        "exchangedata": "renameat2(RENAME_EXCHANGE)",
        "issetugid": "getauxval(AT_SECURE)",
    }
    for name, counterpart in want.items():
        assert first_row(name).linux == f"alt:{counterpart}"
        with pytest.raises(macres.UnsupportedOperation, match=re.escape(counterpart)):
            plausible_call(getattr(raw, name))()
