"""Build macres's optional compiled core (macres._core).

Everything else is in pyproject.toml.  The extension is optional: where no C
compiler (or no Python headers) is found, the build goes on without it and
macres runs on its pure-Python layer (macres/_pure), which implements the
same contract.  ``MACRES_PURE=1`` at run time forces the pure layer anyway.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCES = [
    "src/macres/_core.c",
    "src/macres/_core_handle.c",
    "src/macres/_core_fd.c",
    "src/macres/_core_socket.c",
    "src/macres/_core_region.c",
    "src/macres/_core_process.c",
    "src/macres/_core_values.c",
    "src/macres/_core_event.c",
    "src/macres/_core_dir.c",
    "src/macres/_core_spawn.c",
]


class OptionalBuildExt(build_ext):
    """build_ext that reports a failed compile and goes on: the pure layer serves then."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - no compiler at all: set-up itself fails
            self._skip(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001 - a compile or link error
            self._skip(exc)

    @staticmethod
    def _skip(exc: BaseException) -> None:
        print(
            f"macres: the compiled core was not built ({exc}); macres will run on its pure-Python layer",
            file=sys.stderr,
        )


setup(
    ext_modules=[
        Extension(
            "macres._core",
            sources=SOURCES,
            depends=["src/macres/_core.h"],
            extra_compile_args=["-std=c11", "-O2", "-Wall", "-Wno-missing-field-initializers"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
