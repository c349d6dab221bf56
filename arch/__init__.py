"""archgen: YAML blueprints of cloud architectures -> mingrammer/diagrams code -> PNG/SVG.

The pipeline, one module a stage: load -> validate (into the model) -> variants -> compile
-> render; `build` runs it for many files. The library API is what the CLI uses:

    from arch import load_blueprint, compile_blueprint, render
"""

from __future__ import annotations

__version__ = "0.1.0"

import sys
import types

from .errors import ArchError, Pos, Problem

# typing is not imported by what `archgen validate` runs (it took 2 ms of every command):
# the modules it imports name TYPE_CHECKING themselves (mypy reads it as typing's).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .compile import compile_blueprint
    from .model import Blueprint
    from .render import render
    from .validate import load_blueprint, parse_blueprint

# The stages are imported on first use (PEP 562): `archgen validate` must not pay for
# drawing's modules, nor `--help` and `archgen build` with nothing to draw for diagrams.
_LAZY = {"compile_blueprint": "compile", "Blueprint": "model", "load_blueprint": "validate",
         "parse_blueprint": "validate", "render": "render"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'arch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)


class _Package(types.ModuleType):
    """`arch.render` is the function, as the API says, however the module arch/render.py
    was first imported: importing a submodule sets the package's attribute of its name to
    the module, which this turns into the function."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "render" and isinstance(value, types.ModuleType):
            value = value.render
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "ArchError",
    "Blueprint",
    "Pos",
    "Problem",
    "__version__",
    "compile_blueprint",
    "load_blueprint",
    "parse_blueprint",
    "render",
]
