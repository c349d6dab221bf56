"""Rendering blueprint files: each checked and compiled (or recalled, remember.py), then
drawn, the renders side by side, each with its fallbacks. `archgen render` runs this;
`archgen build` (build.py) draws through render_many.

Kept apart from build.py (the manifest, the gallery, shards) and light: a remembered
render imports this module and what drawing needs, nothing else; the modules that check,
compile and arrange (and through them diagrams) are imported where they are first needed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import lifecycle
from .check import Options, chosen
from .check import check as check  # by name here: a test counts the checks
from .check import claim as check_claim
from .errors import ArchError, Problem
from .lifecycle import DEFAULT_TIMEOUT
from .record import Record, _set
from .render import Graph, GraphvizFailed, Rendered, Sheet, check_dot, draw, render

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from concurrent.futures import Future

    from .compile import Aside
    from .layout import Copies
    from .model import Blueprint


def prepare(path: str, options: Options = Options()) -> list[tuple[Blueprint, str]]:
    """Check, pick the variants, and compile each: the blueprints to draw, with their
    programs."""
    return [(b, program_of(b, options)) for b in chosen(check(path, options), options)]


def program_of(bp: Blueprint, options: Options = Options()) -> str:
    """A checked blueprint's program: its arrangement (arrange.py), then compiled."""
    from .compile import compile_blueprint

    bp, _ = _kept(bp, options)
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, _ = _arrangement(
        bp, options)
    return compile_blueprint(bp, row_order=options.row_order, arrange=options.arrange,
                             lanes=lanes, row_groups=groups, shape=shape, placing=placing,
                             copies=copies, beside=beside, stacked=stacked, aside=aside,
                             led=led)


def _kept(bp: Blueprint, options: Options) -> tuple[Blueprint, bool]:
    """A variant with the rows of its blueprint as written (arrange.keep_written), when
    archgen arranges it; and whether that is what every render gets."""
    from .arrange import keep_written

    return keep_written(bp) if options.arrange and options.row_order else (bp, True)


def _arrangement(bp: Blueprint, options: Options
                 ) -> tuple[tuple[str, bool, int, int, bool, bool, int], Copies, Aside, bool]:
    """The poster's shape, how the edges between its rows are drawn, the order copies
    are written in, and the edges whose labels are set beside their routes: arrange.py
    draws the candidates. And whether that is the choice every render of `bp` gets
    (arrange.choose_settled)."""
    from .arrange import CANDIDATES, choose_settled
    from .layout import BY_EDGES

    if options.arrange and options.row_order:
        return choose_settled(bp)
    return (*CANDIDATES[0], 0, BY_EDGES, False, False, 0), (), frozenset(), True


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


_LEFT_OUT = {"--no-row-order": "the points that keep the rows in order",
             "--no-layout": "the layout's invisible edges"}


class Outcome(Record):
    __slots__ = ("path", "rendered", "error", "notes")
    path: str
    rendered: tuple[Rendered, ...]
    error: ArchError | None
    notes: tuple[Problem, ...]  # the blueprint's (a type from another provider)

    def __init__(self, path: str, rendered: tuple[Rendered, ...] = (),
                 error: ArchError | None = None, notes: tuple[Problem, ...] = ()) -> None:
        _set(self, "path", path)
        _set(self, "rendered", rendered)
        _set(self, "error", error)
        _set(self, "notes", notes)


if TYPE_CHECKING:
    # A diagram to draw: a checked blueprint (compiled, then drawn), or what a render of it
    # remembered (remember.py: drawn as it is).
    Task = Blueprint | tuple[Sheet, Graph]


def render_files(paths: Sequence[str], out_dir: str | Path, options: Options = Options(),
                 jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 remembering: bool = False) -> list[Outcome]:
    """Render every blueprint (and its variants); outcomes come in the order of `paths`.
    `remembering` (`archgen render`): a blueprint whose checked, compiled work is
    remembered from an earlier render with the same inputs is drawn from it, and what the
    others' work gives is remembered (remember.py)."""
    return _render_files(paths, out_dir, options, jobs, timeout, remembering, remembering)


def _render_files(paths: Sequence[str], out_dir: str | Path, options: Options,
                  jobs: int | None, timeout: float, recalling: bool,
                  remembering: bool) -> list[Outcome]:
    from . import remember

    said = (options, timeout)  # every option of the render: what it remembers is by them
    tasks: list[tuple[str, Task]] = []
    errors: dict[str, ArchError] = {}
    notes: dict[str, tuple[Problem, ...]] = {}
    recalled: set[str] = set()
    # what to remember, by path: the bytes and icons checked (remember.icon_digests)
    worked: dict[str, tuple[bytes, list[list[str]] | None]] = {}
    stems: dict[str, str] = {}
    for path in paths:
        hit = remember.recall(path, said) if recalling else None
        if hit is not None:
            drawn: Sequence[Task] = hit.drawn
            names = [sheet.name for sheet, _ in hit.drawn]
            recalled.add(path)
        else:
            try:
                data = remember.read_blueprint(path) if remembering else None
                base = check(path, options)
                checked = chosen(base, options)
            except ArchError as exc:
                errors[path] = exc
                continue
            if data is not None:
                worked[path] = (data, remember.icon_digests(
                    (base.base_dir, n.icon) for n in base.custom_icon_nodes()
                    if n.icon is not None))
            drawn = checked
            names = [bp.output.name for bp in checked]
        clash = check_claim(path, names, stems)
        if clash is not None:
            errors[path] = clash
            continue
        tasks.extend((path, task) for task in drawn)
        notes[path] = hit.notes if hit is not None else checked[0].notes if checked else ()
    if tasks:
        try:
            check_dot()
        except ArchError as exc:
            errors.update({path: exc for path, _ in tasks})
            tasks = []

    done: dict[int, Rendered] = {}
    again: list[str] = []  # remembered, but Graphviz failed on it: worked out anew
    made = lifecycle.missing_folders(Path(out_dir))
    try:
        for i, result in render_many([task for _, task in tasks], out_dir, options, jobs,
                                     timeout):
            path = tasks[i][0]
            if isinstance(result, GraphvizFailed) and path in recalled:
                if path not in again:
                    again.append(path)
            elif isinstance(result, ArchError):
                previous = errors.get(path)
                errors[path] = ArchError((previous.problems if previous else ()) +
                                         result.problems)
            else:
                done[i] = result
    finally:
        lifecycle.remove_empty(made)  # every render failed: no folder either
    by_path: dict[str, list[Rendered]] = {}
    for i in sorted(done):  # in the order of the tasks, whichever finished first
        by_path.setdefault(tasks[i][0], []).append(done[i])
    for path, (data, icons) in worked.items():
        drawn_now = by_path.get(path, [])
        graphs = [(r.sheet, r.graph) for r in drawn_now if r.graph is not None]
        if path not in errors and graphs and len(graphs) == len(drawn_now):
            remember.remember(path, said, data, notes[path], graphs, icons)
    outcomes = {p: Outcome(p, tuple(by_path.get(p, ())), errors.get(p), notes.get(p, ()))
                for p in paths}
    if again:
        # What drew before failed now (a crash): the whole path again, as if never drawn,
        # with every fallback a render has (and nothing recalled: the entry may not go).
        for path in again:
            remember.forget(path, said)
        outcomes.update((o.path, o) for o in _render_files(again, out_dir, options, jobs,
                                                           timeout, False, remembering))
    return [outcomes[p] for p in paths]


def render_many(tasks: Sequence[Task], out_dir: str | Path,
                options: Options = Options(), jobs: int | None = None,
                timeout: float = DEFAULT_TIMEOUT) -> Iterator[tuple[int, Rendered | ArchError]]:
    """Render side by side (default one per CPU), each with its fallbacks; yield (index,
    result) as each finishes, so that a caller can record and report it at once."""
    if not tasks:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:  # one at a time (one blueprint, -j 1): no pool, whose import took 3 ms
        with lifecycle.rendering():
            for i, task in enumerate(tasks):
                yield i, _render_with_fallbacks(task, options, out_dir, timeout)
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with lifecycle.rendering(), ThreadPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[Rendered | ArchError], int] = {
            pool.submit(_render_with_fallbacks, task, options, out_dir, timeout): i
            for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _render_with_fallbacks(task: Task, options: Options, out_dir: str | Path,
                           timeout: float) -> Rendered | ArchError:
    """Render a task; when Graphviz itself fails (2.43 sometimes cannot route the layout's
    invisible edges into nested boxes), draw it again with less of the layout, and say so.
    A remembered graph is drawn as it is (it drew before: see render_files)."""
    if isinstance(task, tuple):
        sheet, graph = task
        try:
            return draw(sheet, lambda: graph, out_dir, timeout)
        except ArchError as exc:
            return exc
    from .compile import compile_blueprint

    bp, kept = _kept(task, options)
    error: ArchError | None = None
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, settled = _arrangement(
        bp, options)
    settled = settled and kept
    for row_order, arrange, flag in fallbacks(options):
        try:
            program = compile_blueprint(bp, row_order=row_order, arrange=arrange, lanes=lanes,
                                        row_groups=groups, shape=shape, placing=placing,
                                        copies=copies, beside=beside, stacked=stacked,
                                        aside=aside, led=led)
            rendered = render(bp, program, out_dir, timeout)
        except ArchError as exc:
            if not isinstance(exc, GraphvizFailed):
                return exc
            error = exc
            continue
        if not flag:
            # a choice made without all its drawings is this render's only: not remembered
            return rendered if settled else rendered.replace(graph=None)
        note = (f"Graphviz could not route {_LEFT_OUT[flag]}; drawn without them "
                f"(archgen compile {flag} shows that program)")
        return rendered.replace(notes=(note,), graph=None)  # nor a fallback
    assert error is not None  # fallbacks() is never empty
    if len(fallbacks(options)) == 1:
        return error
    tried = f"Graphviz failed on every program: the last one left out {_LEFT_OUT[flag]} " \
            f"(archgen compile {flag} shows it)"
    return ArchError([p.replace(hint=tried) for p in error.problems])
