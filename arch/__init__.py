"""archgen: YAML blueprints of cloud architectures -> mingrammer/diagrams code -> PNG/SVG.

The pipeline, one module a stage: load -> validate (into the model) -> variants -> compile
-> render; `build` runs it for many files. The library API is what the CLI uses:

    from arch import load_blueprint, compile_blueprint, render
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from .errors import ArchError, Pos, Problem
from .render import render  # light; imported here so that `arch.render` is the function

if TYPE_CHECKING:
    from .compile import compile_blueprint
    from .model import Blueprint
    from .validate import load_blueprint, parse_blueprint

# The stages that need diagrams are imported on first use (PEP 562): `archgen build` with
# nothing to draw, and `--help`, must not pay for importing diagrams.
_LAZY = {"compile_blueprint": "compile", "Blueprint": "model", "load_blueprint": "validate",
         "parse_blueprint": "validate"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'arch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)

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
