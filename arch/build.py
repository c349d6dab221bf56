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
from .errors import ArchError, Pos, Problem
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


def check(path: str, options: Options = Options()) -> Blueprint:
    """Every check a render makes before drawing (`validate` makes the same): load and
    validate the blueprint and every alternative, the size limits, icons named like an
    output file; the blueprint with the options applied."""
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
    return bp


def chosen(bp: Blueprint, options: Options) -> list[Blueprint]:
    """The blueprints to draw: as written, one variant, or both the blueprint and all."""
    if options.all_variants:
        return [bp] + [apply_variant(bp, alt_id) for alt_id in variant_ids(bp)]
    if options.variant is not None:
        return [apply_variant(bp, options.variant)]
    return [bp]


def check_files(paths: Sequence[str], options: Options = Options()
                ) -> list[tuple[str, list[Blueprint] | ArchError]]:
    """`check` for many files, with the blueprints each one draws, in the order of `paths`;
    a file that would write the same files as an earlier one is an error."""
    result: list[tuple[str, list[Blueprint] | ArchError]] = []
    stems: dict[str, str] = {}
    for path in paths:
        try:
            drawn = chosen(check(path, options), options)
        except ArchError as exc:
            result.append((path, exc))
            continue
        clash = next((bp.output.name for bp in drawn if bp.output.name in stems), None)
        if clash is not None:
            # Two blueprints writing the same files: the second would silently win.
            result.append((path, ArchError.at(None, f"{path}: writes {clash}.* like "
                                                    f"{stems[clash]}",
                                              "give one of them another `output.name`")))
            continue
        stems.update((bp.output.name, path) for bp in drawn)
        result.append((path, drawn))
    return result


def prepare(path: str, options: Options = Options()) -> list[tuple[Blueprint, str]]:
    """Check, pick the variants, and compile each: the blueprints to draw, with their
    programs."""
    return [(b, compile_blueprint(b, row_order=options.row_order, arrange=options.arrange))
            for b in chosen(check(path, options), options)]


def fallbacks(options: Options) -> list[tuple[bool, bool, str]]:
    """The programs to try, in order, when Graphviz fails on the layout's invisible edges:
    (row_order, arrange, compile flag of that program). Each leaves out more than the one
    before, and none puts back what the caller's options left out."""
    steps = [(options.row_order, options.arrange, "")]
    if options.row_order and options.arrange:
        steps.append((False, True, "--no-row-order"))
    if options.arrange:
        steps.append((False, False, "--no-layout"))
    return steps


def _graphviz_failed(exc: ArchError) -> bool:
    """Whether dot itself failed (not a timeout, a missing dot, or a bad blueprint)."""
    message = exc.problems[0].message if exc.problems else ""
    return message.startswith(("the render failed: Graphviz", "Graphviz's dot crashed",
                               "Graphviz wrote an incomplete"))


_LEFT_OUT = {"--no-row-order": "the points that keep the rows in order",
             "--no-layout": "the layout's invisible edges"}


@dataclass(frozen=True)
class Outcome:
    path: str
    rendered: tuple[Rendered, ...] = ()
    error: ArchError | None = None
    notes: tuple[Problem, ...] = ()  # the blueprint's (a type from another provider)


def render_files(paths: Sequence[str], out_dir: str | Path, options: Options = Options(),
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[Outcome]:
    """Render every blueprint (and its variants); outcomes come in the order of `paths`."""
    tasks: list[tuple[str, Blueprint]] = []
    errors: dict[str, ArchError] = {}
    notes: dict[str, tuple[Problem, ...]] = {}
    for path, checked in check_files(paths, options):
        if isinstance(checked, ArchError):
            errors[path] = checked
        else:
            tasks.extend((path, bp) for bp in checked)
            notes[path] = checked[0].notes if checked else ()
    if tasks:
        try:
            check_dot()
        except ArchError as exc:
            errors.update({path: exc for path, _ in tasks})
            tasks = []

    def one(task: tuple[str, Blueprint]) -> Rendered | ArchError:
        return _render_with_fallbacks(task[1], options, out_dir, timeout)

    done: dict[str, list[Rendered]] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (path, _), result in zip(tasks, pool.map(one, tasks), strict=True):
            if isinstance(result, ArchError):
                previous = errors.get(path)
                errors[path] = ArchError((previous.problems if previous else ()) +
                                         result.problems)
            else:
                done.setdefault(path, []).append(result)
    return [Outcome(p, tuple(done.get(p, ())), errors.get(p), notes.get(p, ())) for p in paths]


def _render_with_fallbacks(bp: Blueprint, options: Options, out_dir: str | Path,
                           timeout: float) -> Rendered | ArchError:
    """Render bp; when Graphviz itself fails (2.43 sometimes cannot route the layout's
    invisible edges into nested boxes), draw it again with less of the layout, and say so."""
    error: ArchError | None = None
    for row_order, arrange, flag in fallbacks(options):
        try:
            rendered = render(bp, compile_blueprint(bp, row_order=row_order, arrange=arrange),
                              out_dir, timeout)
        except ArchError as exc:
            if not _graphviz_failed(exc):
                return exc
            error = exc
            continue
        if not flag:
            return rendered
        note = (f"Graphviz could not route {_LEFT_OUT[flag]}; drawn without them "
                f"(archgen compile {flag} shows that program)")
        return dataclasses.replace(rendered, notes=(note,))
    assert error is not None  # fallbacks() is never empty
    return error
