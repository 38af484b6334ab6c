"""What ``import macres`` loads: its names on first use, nothing of the other platform.

``import macres`` binds no submodule: each public name comes from its
submodule when first read (PEP 562), so ctypes, attrs, typing_extensions and
the ABI tables load only once a program touches them.  The other platform's
ABI module (``raw._darwin`` on Linux, ``raw._linux`` on darwin) loads only
when asked for by name, or through ``sockopt.options(platform=...)``.  Each
check runs in a fresh interpreter, since this one has imported everything.
"""

from __future__ import annotations

import enum
import importlib
import json
import pickle
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import macres
from macres import raw, sockopt
from macres.raw import _darwin, _linux

#: The ABI module of the platform the suite does not run on.
OTHER_ABI = "macres.raw._linux" if sys.platform == "darwin" else "macres.raw._darwin"
OTHER = "linux" if sys.platform == "darwin" else "darwin"

#: What ``import macres`` must not load: each costs milliseconds a program may never need.
HEAVY = ("attrs", "attr", "typing_extensions", "ctypes", OTHER_ABI)


def fresh(code: str) -> Any:
    """Run *code* in a new interpreter and return the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_import_macres_loads_no_submodule_and_nothing_heavy() -> None:
    """After ``import macres`` none of attrs, typing_extensions, ctypes or a macres submodule is loaded."""
    loaded = fresh(
        """
        import json, sys
        before = set(sys.modules)
        import macres
        print(json.dumps(sorted(set(sys.modules) - before)))
        """
    )
    assert [m for m in loaded if m.startswith("macres.")] == []
    assert [m for m in HEAVY if m in loaded] == []


def test_every_public_name_resolves_from_a_cold_start() -> None:
    """Each name of ``__all__`` reads from a fresh ``import macres``, as the object its submodule defines."""
    result = fresh(
        """
        import importlib, json
        import macres
        wrong = []
        for name in macres.__all__:
            value = getattr(macres, name)
            if name == "__version__":
                continue
            home = importlib.import_module(f"macres.{macres._FROM[name] or name}")
            if value is not (home if macres._FROM[name] == "" else getattr(home, name)):
                wrong.append(name)
        star = {}
        exec("from macres import *", star)
        print(json.dumps({"wrong": wrong, "star": sorted(set(star) - {"__builtins__"}), "all": macres.__all__}))
        """
    )
    assert result["wrong"] == []
    assert result["star"] == sorted(result["all"])


def test_public_names_in_this_interpreter() -> None:
    """``__all__`` is unchanged, ``dir()`` lists it, and an unknown name is an AttributeError."""
    assert isinstance(macres.__version__, str)
    assert len(macres.__all__) == len(set(macres.__all__)) == 92
    assert set(macres.__all__) <= set(dir(macres))
    for name in macres.__all__:
        assert getattr(macres, name) is getattr(macres, name)
    assert macres.Stat is raw.Stat and macres.open is importlib.import_module("macres.fd").open
    with pytest.raises(AttributeError, match="no attribute 'nmae'"):
        macres.nmae  # type: ignore[attr-defined]  # noqa: B018


def test_submodules_are_attributes_after_import_macres() -> None:
    """``macres.raw``, ``macres.fs``, ... work after a bare ``import macres`` and are the imported modules."""
    result = fresh(
        """
        import json, sys
        import macres
        names = ["raw", "fd", "fs", "memory", "process", "socket", "sockopt"]
        same = {n: getattr(macres, n) is sys.modules[f"macres.{n}"] for n in names}
        import macres.raw as r
        print(json.dumps({"same": same, "raw": r is macres.raw, "fstat": callable(macres.raw.fstat)}))
        """
    )
    assert all(result["same"].values()), result["same"]
    assert result["raw"] and result["fstat"]


def test_first_use_leaves_a_plain_module() -> None:
    """The first public name read loads the library and removes the module's __getattr__.

    CPython does not specialise attribute reads on a module that defines
    ``__getattr__``; after the first use ``macres.X`` must be an ordinary
    attribute.  A submodule read first (``macres.shm``) is imported alone.
    """
    result = fresh(
        """
        import json
        import macres
        shm = macres.shm.__name__
        before = "__getattr__" in vars(macres)
        macres.open
        after = "__getattr__" in vars(macres)
        names = all(name in vars(macres) for name in macres.__all__)
        print(json.dumps({"before": before, "after": after, "names": names, "shm": shm}))
        """
    )
    assert result == {"before": True, "after": False, "names": True, "shm": "macres.shm"}


@pytest.mark.parametrize("first_use", [False, True])
def test_submodules_are_reachable_alike_before_and_after_the_first_use(first_use: bool) -> None:
    """Every library submodule is an attribute after ``import macres``, before and after a public name was read;
    aio, cli and testing (costly imports) are attributes only once imported, in either case."""
    result = fresh(
        f"""
        import json
        import macres
        if {first_use!r}:
            macres.PIPE
        library = {{}}
        for name in ("directory", "event", "fd", "fs", "memory", "process", "procinfo", "raw", "shm", "socket", "sockopt", "sources"):
            library[name] = getattr(macres, name).__name__
        refused = {{}}
        for name in ("aio", "cli", "testing"):
            try:
                getattr(macres, name)
            except AttributeError:
                refused[name] = True
            else:
                refused[name] = False
        import macres.aio
        print(json.dumps({{"library": library, "refused": refused, "aio": macres.aio.__name__}}))
        """
    )
    assert all(module == f"macres.{name}" for name, module in result["library"].items()), result
    assert result["refused"] == {"aio": True, "cli": True, "testing": True}
    assert result["aio"] == "macres.aio"


def test_using_macres_loads_nothing_of_the_other_platform() -> None:
    """raw, sockets, options, files, maps, processes and the CLI never import the other ABI module."""
    loaded = fresh(
        f"""
        import json, sys
        import macres
        macres.raw.fstat
        from macres import sockopt
        with macres.open({__file__!r}) as f:
            f.fstat()
        with macres.Socket(macres.socket.AF_INET, macres.socket.SOCK_STREAM) as s:
            s.getsockopt(sockopt.SO_REUSEADDR)
            try:
                s.getsockopt(sockopt.{"SO_NOSIGPIPE" if OTHER == "darwin" else "TCP_INFO"})
            except macres.UnsupportedOperation:
                pass
        import macres.cli
        macres.memory, macres.process, macres.fs, macres.cli, sockopt.options()
        macres.raw.BINDINGS, macres.raw.available("open")
        print(json.dumps(sorted(sys.modules)))
        """
    )
    assert OTHER_ABI not in loaded


def test_other_platform_catalog_loads_when_asked() -> None:
    """``sockopt.options(platform=other)`` builds the other platform's catalog on demand, unavailable here."""
    result = fresh(
        f"""
        import json, sys
        from macres import sockopt
        before = {OTHER_ABI!r} in sys.modules
        opts = sockopt.options(platform={OTHER!r})
        group = next(o for o in opts if o.name == "MCAST_JOIN_GROUP" and o.level_name == "IPPROTO_IP")
        print(json.dumps({{
            "before": before,
            "platforms": sorted({{o.platform for o in opts}}),
            "available": any(o.available for o in opts),
            "count": len(opts),
            "group_size": group.codec.size,
        }}))
        """
    )
    assert result["before"] is False
    assert result["platforms"] == [OTHER] and result["available"] is False
    assert result["count"] == {"linux": 255, "darwin": 153}[OTHER]
    assert result["group_size"] == {"linux": 136, "darwin": 132}[OTHER]


def test_other_platform_constants_are_the_catalog_entries() -> None:
    """A constant only the other platform has is the same value ``options(platform=...)`` lists."""
    only_other = sockopt.SO_NOSIGPIPE if OTHER == "darwin" else sockopt.TCP_INFO
    assert only_other.platform == OTHER and not only_other.available
    assert any(o is only_other for o in sockopt.options(platform=OTHER))
    here = sockopt.SO_REUSEADDR
    assert here.platform == raw.SYSTEM and any(o is here for o in sockopt.options())


def test_tcp_info_size_from_the_catalog_is_the_ctypes_struct() -> None:
    """The catalog's TCP_INFO buffer size (kept so darwin need not import _linux) is sizeof(CTcpInfo)."""
    import ctypes

    tcp_info = next(o for o in sockopt.options(platform="linux") if o.name == "TCP_INFO")
    assert tcp_info.codec.size == ctypes.sizeof(_linux.CTcpInfo)


@pytest.mark.parametrize("module", [_linux, _darwin], ids=["linux", "darwin"])
def test_enum_constants_are_created_on_first_use(module: Any) -> None:
    """Each ABI enum class and its member constants come into being together, as declared.

    Every constant of an enum group is a member of the class its module names,
    the class is a module attribute listed by ``dir()``, and members pickle.
    """
    listed = set(dir(module))
    for members in module.CONSTANTS.values():
        for name, number in members.items():
            value = getattr(module, name)
            assert value == number and name in listed
            if isinstance(value, enum.Enum):
                cls = type(value)
                assert cls.__module__ == module.__name__ and getattr(module, cls.__name__) is cls
                assert cls.__name__ in listed and cls[value.name] is value
                assert pickle.loads(pickle.dumps(value)) is value
    assert issubclass(module.OpenFlags, enum.IntFlag) and issubclass(module.Signal, enum.IntEnum)
    assert module.OpenFlags.__doc__ == "O_* flags of open(2) and fcntl(F_GETFL)."
    with pytest.raises(AttributeError):
        module.NOT_A_CONSTANT  # noqa: B018


def test_racing_threads_get_one_enum_class() -> None:
    """Threads reading an ABI enum for the first time at once all get the same class."""
    result = fresh(
        """
        import json, threading
        from macres.raw import _linux, _darwin
        seen = []
        barrier = threading.Barrier(8)
        def read(module):
            barrier.wait()
            seen.append((module.__name__, id(module.Signal), id(type(module.SIGTERM))))
        threads = [threading.Thread(target=read, args=(m,)) for m in (_linux, _darwin) * 4]
        for t in threads: t.start()
        for t in threads: t.join()
        print(json.dumps({name: len({x[1:] for x in seen if x[0] == name}) for name, *_ in seen}))
        """
    )
    assert result == {"macres.raw._linux": 1, "macres.raw._darwin": 1}


def test_bindings_table_and_availability_agree() -> None:
    """``raw.BINDINGS`` is listed by ``dir()``, keeps its identity, and available() agrees with it."""
    assert "BINDINGS" in dir(raw) and "BINDINGS" in raw.__all__
    assert raw.BINDINGS is raw.BINDINGS and len(raw.BINDINGS) == 126
    assert all(raw.available(b.python_name) == b.available for b in raw.BINDINGS)
    with pytest.raises(AttributeError):
        raw.NOT_A_BINDING  # noqa: B018
