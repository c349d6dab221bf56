"""archgen: YAML blueprints of cloud architectures -> mingrammer/diagrams code -> PNG/SVG.

The pipeline, one module a stage: load -> model (validate) -> compile -> render; `build`
runs it for many files. The library API is what the CLI uses:

    from arch import load_blueprint, compile_blueprint, render
"""

from __future__ import annotations

__version__ = "0.1.0"

from .compile import compile_blueprint
from .errors import ArchError, Pos, Problem
from .model import Blueprint, load_blueprint, parse_blueprint
from .render import render

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
