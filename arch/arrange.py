"""Part of compile: of a few ways to draw the edges between top-level rows, the one that
keeps the rows in order with the fewest defects, found by letting dot draw each.

An edge between two rows either keeps its direction (with no weight: dot gives it a lane
of its own and it runs straight to its end) or has no say in the layout (constraint=false:
it never moves the rows, but dot routes it afterwards, often in a loop around the poster).
Lanes give far fewer defects, but they take part in dot's crossing count, and there they
can pull a row out of its place; giving each row's nodes one Graphviz `group` makes the
rows' own edges weigh more there. No rule tells beforehand which blueprint needs what, so
the candidates (CANDIDATES: lanes for all, for those into the next row down, for none;
with and without row groups) are drawn, measured (measure.py), and the first that keeps
the rows in order with the fewest defects wins; when none keeps them, the fewest defects.

At most five dot layouts (about 0.1 s each for the seed), only for a blueprint whose rows
have edges between them and that has at most 150 nodes. The choice is remembered in the
user's cache folder by the blueprint's content, archgen's code, diagrams and Graphviz
(`choice_key`), so drawing an unchanged blueprint again pays nothing, not even compiling
the candidates; the same blueprint always gets the same choice (dot and the measure are
deterministic).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .catalog import cache_dir
from .compile import compile_blueprint, top_rows
from .measure import Box, Drawing, measure_svg, read_svg
from .model import Blueprint
from .render import layout_svg

SLACK = 2.0  # points two rows may overlap by and still count as in order
# Above this many nodes a layout takes seconds: the first candidate is drawn, untried.
SEARCH_LIMIT = 150


# The programs tried, in order of preference on a tie: (lanes, row_groups) of
# compile_blueprint.
CANDIDATES: tuple[tuple[str, bool], ...] = (
    ("all", False), ("down", False), ("none", False), ("all", True), ("down", True))


def choose(bp: Blueprint, timeout: float = 60.0) -> tuple[str, bool]:
    """The candidate to compile `bp` with: (lanes, row_groups)."""
    if shutil.which("dot") is None or bp.counts()[0] > SEARCH_LIMIT:
        return CANDIDATES[0]
    # Remembered by what the candidates are made from, so that an unchanged blueprint
    # compiles none of them (the five programs cost a render more than the rest of archgen).
    remembered = cache_dir() / "arrangements" / choice_key(bp)[:32]
    try:
        known = int(remembered.read_text(encoding="utf-8"))
        if 0 <= known < len(CANDIDATES):
            return CANDIDATES[known]
    except (OSError, ValueError):
        pass
    sources = [compile_blueprint(bp, lanes=lanes, row_groups=groups)
               for lanes, groups in CANDIDATES]
    choice = 0 if len(set(sources)) == 1 else _search(bp, sources, timeout)  # 1: one row
    try:  # a cache that cannot be written only costs the next run the same layouts
        remembered.parent.mkdir(parents=True, exist_ok=True)
        tmp = remembered.with_name(f".{remembered.name}.{os.getpid()}.tmp")
        tmp.write_text(f"{choice}\n", encoding="utf-8")
        tmp.replace(remembered)
    except OSError:
        pass
    return CANDIDATES[choice]


def _search(bp: Blueprint, sources: list[str], timeout: float) -> int:
    """The index of the candidate that keeps the rows in order with the fewest defects."""
    rows = top_rows(bp)
    distinct = [i for i, source in enumerate(sources) if source not in sources[:i]]
    # side by side: each is a dot of its own, and after an edit they are all the wait
    with ThreadPoolExecutor(max_workers=min(len(distinct), os.cpu_count() or 1)) as pool:
        drawn = list(pool.map(lambda i: layout_svg(bp, sources[i], timeout), distinct))
    best: tuple[bool, int, int] | None = None
    for i, svg in zip(distinct, drawn, strict=True):
        if svg is None:
            continue  # dot fails on it; should every one fail, the renderer's fallbacks run
        rank = (not in_order(read_svg(svg), rows), measure_svg(svg).defects, i)
        if best is None or rank < best:
            best = rank
    return best[2] if best is not None else 0


# What a blueprint holds that never reaches its program: where it was written.
_NOT_IN_PROGRAMS = frozenset({"pos", "file", "base_dir", "notes"})


def _content(value: object) -> object:
    """A validated blueprint as plain data: every field that can reach a program."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__] + [
            _content(getattr(value, f.name)) for f in dataclasses.fields(value)
            if f.compare and f.name not in _NOT_IN_PROGRAMS]
    if isinstance(value, (tuple, list)):
        return [_content(v) for v in value]
    return value


def choice_key(bp: Blueprint) -> str:
    """What the candidates, and so the choice, are made from: the blueprint's content (not
    where it is written: moving lines or the file changes nothing), archgen's code, and the
    diagrams and Graphviz that draw them."""
    from .build import code_digest

    spec = importlib.util.find_spec("diagrams")
    diagrams = Path(spec.origin) if spec is not None and spec.origin else None
    parts = [_dot_identity(), code_digest(),
             f"{diagrams}:{diagrams.stat().st_mtime_ns}" if diagrams else "",
             json.dumps(_content(bp), ensure_ascii=False)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def in_order(drawing: Drawing, rows: list[list[str]]) -> bool:
    """Whether every part of each top-level row is drawn above every part of the next."""
    extents = [_extent(drawing, row) for row in rows]
    drawn = [e for e in extents if e is not None]
    return all(upper[3] <= lower[1] + SLACK for upper, lower in zip(drawn, drawn[1:],
                                                                     strict=False))


def _extent(drawing: Drawing, row: list[str]) -> Box | None:
    """The box around the drawn parts of a row (a part is a node or a group's frame)."""
    boxes = [drawing.frames[f"cluster_{p}"].box for p in row if f"cluster_{p}" in drawing.frames]
    boxes += [s.box for name, s in drawing.nodes.items() if name in row]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _dot_identity() -> str:
    """Which Graphviz draws: its program file (path, size, time), without running it."""
    dot = shutil.which("dot")
    if dot is None:
        return ""
    real = Path(dot).resolve()
    stat = real.stat()
    return f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
