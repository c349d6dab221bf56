"""Many blueprints at once: the whole path for each file, renders run side by side.

Every blueprint is loaded, validated and compiled first, in order; the renders (each its own
Python + Graphviz process) then run in parallel. A bad blueprint is reported and skipped; the
others still render.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .compile import compile_blueprint
from .errors import ArchError
from .model import Blueprint, load_blueprint
from .render import DEFAULT_TIMEOUT, Rendered, check_dot, render


@dataclass(frozen=True)
class Options:
    """What the command line may change about a blueprint's own `output`."""

    formats: tuple[str, ...] = ()
    dpi: int | None = None


def prepare(path: str, options: Options = Options()) -> tuple[Blueprint, str]:
    """Load, validate, apply the options, compile: the blueprint and its program."""
    bp = load_blueprint(path)
    output = bp.output
    if options.formats:
        output = dataclasses.replace(output, formats=options.formats)
    if options.dpi is not None:
        output = dataclasses.replace(output, dpi=options.dpi)
    bp = dataclasses.replace(bp, output=output)
    return bp, compile_blueprint(bp)


@dataclass(frozen=True)
class Outcome:
    path: str
    rendered: Rendered | None = None
    error: ArchError | None = None


def render_files(paths: Sequence[str], out_dir: str | Path, options: Options = Options(),
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[Outcome]:
    """Render every blueprint; outcomes come back in the order of `paths`."""
    prepared: dict[str, tuple[Blueprint, str]] = {}
    outcomes: dict[str, Outcome] = {}
    stems: dict[str, str] = {}
    for path in paths:
        try:
            bp, source = prepare(path, options)
        except ArchError as exc:
            outcomes[path] = Outcome(path, error=exc)
            continue
        if bp.output.name in stems:
            # Two blueprints writing the same files: the second would silently win.
            outcomes[path] = Outcome(path, error=ArchError.at(
                None, f"{path}: writes {bp.output.name}.* like {stems[bp.output.name]}",
                "give one of them another `output.name`"))
            continue
        stems[bp.output.name] = path
        prepared[path] = (bp, source)
    if prepared:
        try:
            check_dot()
        except ArchError as exc:
            for path in prepared:
                outcomes[path] = Outcome(path, error=exc)
            prepared = {}

    def one(path: str) -> Outcome:
        bp, source = prepared[path]
        try:
            return Outcome(path, rendered=render(bp, source, out_dir, timeout))
        except ArchError as exc:
            return Outcome(path, error=exc)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(prepared) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for outcome in pool.map(one, list(prepared)):
            outcomes[outcome.path] = outcome
    return [outcomes[p] for p in paths]
