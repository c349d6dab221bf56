"""Many blueprints at once: the whole path for each file, renders run side by side.

Every blueprint is loaded, validated and compiled first, in order, with the variants asked
for; the renders (each its own Python + Graphviz process) then run in parallel. A bad
blueprint is reported and skipped; the others still render.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .compile import compile_blueprint
from .errors import ArchError, Pos
from .model import Blueprint, load_blueprint
from .render import DEFAULT_TIMEOUT, Rendered, check_dot, render
from .variants import apply_variant, check_variants, variant_ids

MAX_NODES = 5000
MAX_EDGES = 20000


@dataclass(frozen=True)
class Options:
    """What the command line may change: formats, resolution, and which variants to draw."""

    formats: tuple[str, ...] = ()
    dpi: int | None = None
    variant: str | None = None  # one alternative's id
    all_variants: bool = False  # the blueprint as written and every variant
    max_nodes: int = MAX_NODES  # a larger blueprint is refused before any layout
    max_edges: int = MAX_EDGES
    row_order: bool = True  # keep the top-level rows in order (see compile_blueprint)
    arrange: bool = True  # the layout's invisible edges at all


def prepare(path: str, options: Options = Options()) -> list[tuple[Blueprint, str]]:
    """Load, validate (every alternative too), apply the options, pick the variants, and
    compile each: the blueprints to draw, with their programs."""
    bp = load_blueprint(path)
    nodes, _, edges = bp.counts()
    for count, limit, what, option in ((nodes, options.max_nodes, "nodes", "--max-nodes"),
                                       (edges, options.max_edges, "edges", "--max-edges")):
        if count > limit:
            raise ArchError.at(Pos(bp.file), f"the blueprint has {count} {what}, more than "
                                             f"the limit of {limit}",
                               f"{option} N raises the limit (layout time grows quickly)")
    output = bp.output
    if options.formats:
        output = dataclasses.replace(output, formats=options.formats)
    if options.dpi is not None:
        output = dataclasses.replace(output, dpi=options.dpi)
    bp = dataclasses.replace(bp, output=output)
    variants = check_variants(bp)
    outputs = {name for b in (bp, *variants) for name in b.output.file_names()}
    for n in bp.custom_icon_nodes():
        if n.icon in outputs:  # the program writes its picture where it reads the icon
            raise ArchError.at(n.pos, f"icon {n.icon!r} has the name of an output file",
                               "rename the icon, or set `output.name`")
    if options.all_variants:
        chosen = [bp] + [apply_variant(bp, alt_id) for alt_id in variant_ids(bp)]
    elif options.variant is not None:
        chosen = [apply_variant(bp, options.variant)]
    else:
        chosen = [bp]
    return [(b, compile_blueprint(b, row_order=options.row_order, arrange=options.arrange))
            for b in chosen]


def _graphviz_failed(exc: ArchError) -> bool:
    """Whether dot itself failed (not a timeout, a missing dot, or a bad blueprint)."""
    message = exc.problems[0].message if exc.problems else ""
    return message.startswith(("the render failed: Graphviz", "Graphviz's dot crashed",
                               "Graphviz wrote an incomplete"))


@dataclass(frozen=True)
class Outcome:
    path: str
    rendered: tuple[Rendered, ...] = ()
    error: ArchError | None = None


def render_files(paths: Sequence[str], out_dir: str | Path, options: Options = Options(),
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[Outcome]:
    """Render every blueprint (and its variants); outcomes come in the order of `paths`."""
    tasks: list[tuple[str, Blueprint, str]] = []
    errors: dict[str, ArchError] = {}
    stems: dict[str, str] = {}
    for path in paths:
        try:
            prepared = prepare(path, options)
        except ArchError as exc:
            errors[path] = exc
            continue
        clash = next((bp.output.name for bp, _ in prepared if bp.output.name in stems), None)
        if clash is not None:
            # Two blueprints writing the same files: the second would silently win.
            errors[path] = ArchError.at(None, f"{path}: writes {clash}.* like {stems[clash]}",
                                        "give one of them another `output.name`")
            continue
        for bp, source in prepared:
            stems[bp.output.name] = path
            tasks.append((path, bp, source))
    if tasks:
        try:
            check_dot()
        except ArchError as exc:
            errors.update({path: exc for path, _, _ in tasks})
            tasks = []

    def one(task: tuple[str, Blueprint, str]) -> Rendered | ArchError:
        _, bp, source = task
        try:
            return render(bp, source, out_dir, timeout)
        except ArchError as exc:
            if not options.row_order or not _graphviz_failed(exc):
                return exc
        # Graphviz 2.43 sometimes cannot route the layout's invisible edges into nested
        # boxes and fails: draw again without the row points, then without any layout edge.
        for row_order, arrange, what, flag in (
                (False, True, "the points that keep the rows in order", "--no-row-order"),
                (False, False, "the layout's invisible edges", "--no-layout")):
            try:
                again = render(bp, compile_blueprint(bp, row_order=row_order, arrange=arrange),
                               out_dir, timeout)
            except ArchError as exc:
                if not _graphviz_failed(exc) or not arrange:
                    return exc
                continue
            note = (f"Graphviz could not route {what}; drawn without them "
                    f"(archgen compile {flag} shows that program)")
            return dataclasses.replace(again, notes=(note,))
        raise AssertionError("unreachable")

    done: dict[str, list[Rendered]] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (path, _, _), result in zip(tasks, pool.map(one, tasks), strict=True):
            if isinstance(result, ArchError):
                previous = errors.get(path)
                errors[path] = ArchError((previous.problems if previous else ()) +
                                         result.problems)
            else:
                done.setdefault(path, []).append(result)
    return [Outcome(p, tuple(done.get(p, ())), errors.get(p)) for p in paths]
