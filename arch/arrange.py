"""Part of compile: of a few arrangements of the top level, the one dot draws best, found
by letting dot draw each and measuring the drawings (measure.py).

Twelve things are chosen this way, because no size estimate or rule decides them reliably:

- The shape of a poster archgen makes up (a blueprint without `layout.rows`): how many rows
  its parts are packed into. The size estimate's packing is drawn first; while the drawing
  is too tall (LR: width / height under 1.2; TB: under 0.6) the next packing with one row
  fewer is drawn, while too wide (over 2.4) one with a row more, three drawings at most.
  A poster of many parts is placed by its edges (layout.placed_poster); since that is not
  always drawn better, the poster by the main flow rule and the one placed to read with
  the flow (layout.WITH_FLOW) are stepped through too (side by side), and only the best of
  the three goes on to the next step. Drawn TB, a poster of few parts around a box that
  holds most of the picture is also drawn read with the flow from above (its entry over
  the box: layout.above_the_box), taken only where that stays in range.
- How the edges between two top-level rows are drawn. Such an edge either keeps its
  direction (with no weight: dot gives it a lane of its own and it runs straight to its
  end) or has no say in the layout (constraint=false: it never moves the rows, but dot
  routes it afterwards, often in a loop around the poster). Lanes give far fewer defects,
  but they take part in dot's crossing count, and there they can pull a row out of its
  place; giving each row's nodes one Graphviz `group` makes the rows' own edges weigh more
  there (and chains the points that lead the rows, each a rank after the one before,
  which dot keeps in order). The
  candidates (CANDIDATES: lanes for all, for those into the next row down, for none; with
  and without row groups, the groups only for written rows) are drawn, but none after the
  first where it cannot be beaten, no lanes for none for written rows, and row groups only
  where the candidate without them keeps the rows or none does (_search).
- Drawn TB or BT, whether the labels of edges between boxes are set beside their routes
  (xlabel) rather than as ranks of the layout, which stood pipelines upright
  (_labels_beside): the choice drawn both ways, two drawings.
- Whether labels dot set far from the part of their edge it draws (edges to or from a
  whole box, then any) are set beside their drawn routes (xlabel) instead (_labels_aside):
  a drawing more for each kind where such a label is far (and one where no drawing of the
  choice was made and an edge to a box carries a label).
- Where labels that touch a box (on or within 3 pt of its border line or title), or are
  still far, go (_labels_clear): beside their routes, then, where they still touch one,
  at a clear spot beside their line written as an end label (ends.py); one or two
  drawings more where there are such labels.
- Three zones or more (not inside copies) two to a row or one under the other (Plan.grid,
  `stacked`): each drawn with its copies in order, the better kept, the grid on a tie
  (two to a row made a user's three zones a landscape, 1.08 -> 1.91 as wide as high, but
  three zones each a row of three subnets 3.21).
- Drawn LR, whether three zones or more alike stand as columns (compile's COLUMNS: side by
  side, each zone's subnets one under the other, the tiers in line, as AWS's reference
  posters draw them): kept only where zones and tiers come out in order and it ranks
  better (_as_columns; one drawing more where such zones exist).
- The order sibling copies (zones, regions) are written in, where dot draws them out of
  the order written (_copies_in_order): dot orders boxes on one rank by crossings, so the
  copies' own edges decide, and which order of writing comes out as written is found by
  drawing a few (COPY_TRIES a box).
- Drawn LR or RL without written rows, whether spokes at the top level (layout.top_spokes)
  are fanned beside their hub (layout.FANNED) rather than set in the main flow's row: the
  fanned drawing is finished like the search's choice and kept only where its spokes come
  out in the order written and it ranks better (_fanned; one drawing more, three or four
  where they come out in order).
- Where a box's rows or copies come out of the order written, whether each box's flow
  leaves from its last row, whether the rows are led top to bottom as written (drawn LR;
  as they always are in TB), whether copies are led into the node each ranks first, and
  whether dot counts crossings once (_rows_led): each kept where fewer boxes come out of
  order and the drawing is no worse; a drawing more for each, four at most.
- Drawn TB or BT, whether a pipeline of boxes cut into columns is read down instead
  (_read_down, compile's DOWN): kept where it is in range, with no more defects, and ranks
  better with the edges drawn against the direction weighed right after the defects; one
  drawing more where it applies.
- Where the top level is in rows, whether the rows' chains that double an edge leaving
  ranks free into a node no point leads (a WAF into its VPC's load balancer) ask as many
  ranks (_spanned, compile's SPAN): kept where it ranks better, on a tie the smaller
  picture; one drawing more where it applies.

The winner: written rows kept in order first, then a width / height in range, then the
fewest defects (in LR rows archgen made up kept in order only after that), then the width /
height nearest the best; on a tie, the earlier candidate.
At most five drawings for written rows (about 0.1 s each for the seed; no program is drawn
twice: Book), eleven for a poster
archgen makes up (three shapes of each of the three kinds, two more ways of drawing the
edges between rows; the 60-node event bus case draws eight, about 1 s, where it drew seven
before the kind read with the flow, nine in 3 s before that); two more
drawn TB with edge labels, one more for a TB pipeline that can be read down, and where
sibling copies come out of order up to COPY_TRIES more a box (COPY_TRIES_ALL a
blueprint). All only for a blueprint with more than one top-level row, at most 150 nodes
and at most 600 edges (a larger one gets the first candidate, its poster placed by its
edges; a poster archgen makes up of more than 150 nodes, up to 500, is drawn once with
lanes for the edges between its rows, LARGE_LANES, kept where the rows come out in order
and the poster in range, else (and over 500 nodes, undrawn) those edges get no say:
LARGE). The choice is remembered in the user's cache folder by the blueprint's content,
archgen's code, diagrams and Graphviz (`choice_key`), so drawing an unchanged blueprint
again pays nothing, not even compiling the candidates; the same blueprint always gets the
same choice (dot and the measure are deterministic).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import shutil
import threading
from typing import TYPE_CHECKING

from . import lifecycle
from .compile import (
    COLUMNS,
    COPY_HEADS,
    DOWN,
    LAST_OUT,
    LED_ROWS,
    NARROW,
    ONE_COUNT,
    SPAN,
    Aside,
    compile_blueprint,
    made_rows,
    poster_shapes,
    top_rows,
)
from .layout import (
    BY_EDGES,
    BY_RULE,
    FANNED,
    REPLICAS,
    WITH_FLOW,
    Copies,
    plan_layout,
    spokes,
    top_spokes,
)
from .model import Blueprint
from .regular import cache_dir, write_cache
from .remember import code_digest, diagrams_identity, dot_identity, prune
from .render import Refused, layout_svg

# Measuring drawings (measure.py, xml.etree) and drawing them side by side (a thread pool)
# are imported by the search: a remembered choice, every render but the first, needs neither.
if TYPE_CHECKING:
    from collections.abc import Iterator
    from concurrent.futures import ThreadPoolExecutor

    from .measure import Box, Drawing

SLACK = 2.0  # points two rows may overlap by and still count as in order
# Above this many nodes a layout takes seconds: the first candidate is drawn, untried.
SEARCH_LIMIT = 150
# Likewise above this many edges (40 nodes: 600 edges 0.4 s a layout, 1,200 3 s, 3,000 10 s).
SEARCH_EDGES = 600


# How the edges between rows are drawn, in order of preference on a tie: (lanes,
# row_groups) of compile_blueprint (which of them are drawn: _search).
CANDIDATES: tuple[tuple[str, bool], ...] = (
    ("all", False), ("down", False), ("none", False), ("all", True), ("down", True))
# A poster without layout.rows: at most this many packings into rows are drawn, starting
# from the size estimate's best and stepping to fewer rows while the drawing is too tall,
# to more while it is too wide.
POSTER_TRIES = 3
# Width / height a picture should have, and the best one, per direction.
ASPECT = {"LR": (1.2, 2.4, 1.6), "RL": (1.2, 2.4, 1.6), "TB": (0.6, 2.4, 1.0),
          "BT": (0.6, 2.4, 1.0)}

# How a drawing ranks (_rank): smaller is better, compared only between one blueprint's.
Rank = tuple[float, ...]
# lanes, row_groups, shape, placing, beside, stacked, led (compile_blueprint)
Arrangement = tuple[str, bool, int, int, bool, bool, int]


def _program(bp: Blueprint, a: Arrangement, copies: Copies = (), aside: Aside = frozenset(),
             led: int | None = None, beside: bool | None = None) -> str:
    """The program of an arrangement drawn with `copies` and `aside` (compile_blueprint),
    `led` and `beside` where a step tries other values than the arrangement's own."""
    return compile_blueprint(bp, lanes=a[0], row_groups=a[1], shape=a[2], placing=a[3],
                             copies=copies, beside=a[4] if beside is None else beside,
                             stacked=a[5], aside=aside, led=a[6] if led is None else led)


# What a poster archgen makes up of more than SEARCH_LIMIT nodes is drawn with, untried:
# the edges between its rows have no say ("none"). With lanes, nothing checks that dot
# keeps the rows in order, and it turned two of ten generated 300-node blueprints upside
# down (the VPC's row under the row placed after it: 570 -> 824 and 728 -> 967 defects);
# with none, every row of the ten stays in order (6,597 -> 6,064 defects in all).
LARGE: Arrangement = ("none", False, 0, BY_EDGES, False, False, 0)
# ... unless lanes for every edge between rows (LARGE_LANES) keep its rows in order and
# it in range, which a drawing of it tells (read, not measured: measuring a 300-node
# drawing takes as long as laying it out twice): generated 300-node posters, seeds 1-10
# 5,083 -> 4,521 defects, seeds 11-20 5,139 -> 4,772 (seventeen of twenty fewer; seed 18
# 2.64 -> 2.05 as wide as high: all twenty in range); 180 to 500 nodes (eighteen posters)
# 10,077 -> 9,403. Drawn with lanes, two of three 800-node posters had rows out of order
# (one with 4,038 -> 4,609 defects): those keep LARGE. Drawing and measuring both and
# keeping the better (_rank) gave 9,197 for the twenty 300-node posters instead of 9,293
# but took a first render from 1.0 to 1.7 s of processor time (now about 1.2).
LARGE_LANES: Arrangement = ("all", False, 0, BY_EDGES, False, False, 0)
# Up to this many nodes: over it a layout takes a second or more, and the drawing with
# lanes is mostly lost (800 nodes: two of three posters had rows out of order, the
# first render took 1.8 -> 3.7 s for nothing), so LARGE is drawn untried.
# Likewise over SEARCH_EDGES edges: 300 nodes with 1,730 edges took 23 s to draw with lanes
# before a render of 17 s.
LARGE_LANES_LIMIT = 500
# Other orders of writing a box's copies drawn at most, for each box whose copies dot drew
# out of the order written, and for the whole blueprint.
COPY_TRIES = 6
COPY_TRIES_ALL = 12
# The remembered choices (a line or two each, about 100 bytes): one for every blueprint
# content ever rendered grew without end; past these the least recently used go.
ARRANGEMENTS_MAX = 2000
ARRANGEMENTS_MAX_BYTES = 4 << 20


def keep_written(bp: Blueprint, timeout: float = 60.0) -> tuple[Blueprint, bool]:
    """A variant of a blueprint that writes no `layout.rows`, with the top-level rows
    archgen made and chose for the blueprint as written (without its alternatives panel;
    a replaced part's place goes to its replacement): drawn with its own search, the
    variant lost the panel's room and came out in other rows (a new user's three zones
    drawn TB: the users and the DNS jumped from above the region to its sides, and the
    users' edge arched over the whole region). Any other blueprint as it is. And whether
    that is what every render gets (choose_settled: the blueprint's choice was)."""
    from .variants import apply_variant

    if bp.variant_of is None or bp.layout.rows:
        return bp, True
    base, alt = bp.variant_of
    (_, _, shape, placing, _, _, led), _, _, settled = choose_settled(base, timeout)
    made = made_rows(base, shape, placing)
    if made is None:  # the base writes its rows, or a box inside holds them
        return bp, settled
    rows, placed, flow = made
    return apply_variant(base, alt, tuple(tuple(row) for row in rows), placed,
                         tuple(flow) if led & DOWN else (), bool(led & NARROW)), settled


def choose(bp: Blueprint, timeout: float = 60.0) -> Arrangement:
    """The arrangement to compile `bp` with (choose_all, without the copies' order)."""
    return choose_all(bp, timeout)[0]


def choose_all(bp: Blueprint, timeout: float = 60.0) -> tuple[Arrangement, Copies]:
    """The arrangement to compile `bp` with: first the poster's shape (when the blueprint
    writes no rows), then how the edges between its rows are drawn; then, where dot draws
    sibling copies (zones, regions) out of the order written, another order to write them
    in that it draws as written (_copies_in_order). Three zones or more are drawn two to a
    row and, where that is drawn worse, one under the other (see below)."""
    choice, copies, _, _ = choose_settled(bp, timeout)
    return choice, copies


def choose_settled(bp: Blueprint, timeout: float = 60.0
                   ) -> tuple[Arrangement, Copies, Aside, bool]:
    """choose_all, the edges whose labels are set beside their drawn routes (_labels_aside),
    and whether that is the choice every render of `bp` gets: not when it was made without
    all its drawings (see below), which is this render's only."""
    first: Arrangement = (*CANDIDATES[0], 0, BY_EDGES, False, False, 0)
    nodes, _, edges = bp.counts()
    if shutil.which("dot") is None:
        return first, (), frozenset(), False  # no drawing at all: a render fails anyway
    large = nodes > SEARCH_LIMIT and not bp.layout.rows
    if nodes > LARGE_LANES_LIMIT or edges > SEARCH_EDGES or (nodes > SEARCH_LIMIT
                                                             and not large):
        return (LARGE if large else first), (), frozenset(), True
    # Remembered by what the candidates are made from, so that an unchanged blueprint
    # compiles none of them (the programs cost a render more than the rest of archgen).
    key = choice_key(bp)[:32]
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    # one search a blueprint at a time: its variants' renders, side by side, each need its
    # choice (keep_written); the first searches and remembers, the others read it
    with lock:
        return _choose_large(bp, key, timeout) if large else _choose_settled(bp, key, timeout)


@dataclasses.dataclass
class Book:
    """What one search drew: each program's drawing (None: dot failed or refused it), and
    the programs whose drawing failed (a choice made without them is not remembered)."""

    drawn: dict[tuple[str, bool], bytes | None] = dataclasses.field(default_factory=dict)
    failed: list[str] = dataclasses.field(default_factory=list)
    drawing: dict[tuple[str, bool], threading.Lock] = dataclasses.field(default_factory=dict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


# A lock for each blueprint's choice (choose_settled), by its key.
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _remembered(key: str) -> tuple[Arrangement, Copies, Aside] | None:
    """The choice remembered for a blueprint's key (choice_key), if any."""
    remembered = cache_dir() / "arrangements" / key
    try:
        lines = remembered.read_text(encoding="utf-8").split("\n")
        known = lines[0].split()
        if known[0] in ("all", "down", "none") and len(known) == 7:
            copies, aside = json.loads(lines[1]), json.loads(lines[2])
            with contextlib.suppress(OSError):
                os.utime(remembered)  # used now: the last to go (remember.prune)
            return ((known[0], known[1] == "1", int(known[2]), int(known[3]),
                     known[4] == "1", known[5] == "1", int(known[6])),
                    tuple((box, tuple(order)) for box, order in copies),
                    frozenset(tuple(str(part) for part in placed) for placed in aside))
    except (OSError, ValueError, IndexError, TypeError):
        pass
    return None


def _remember(key: str, choice: Arrangement, copies: Copies, aside: Aside, timeout: float,
              book: Book) -> bool:
    """Keep a choice for the blueprint's key; whether it is the choice every render gets."""
    if lifecycle.remaining(timeout) <= 0 or book.failed:
        # The command's --timeout ran out: the layouts left undrawn chose nothing, and a
        # choice made without them would be every later render's, however long it may take.
        # Likewise a drawing that failed: dot could not start, ran out of memory or of the
        # time a layout has on a busy machine, and a choice made without it is not
        # remembered (one dot refuses for good only loses: _layout).
        return False
    remembered = cache_dir() / "arrangements" / key
    try:  # a cache that cannot be written only costs the next run the same layouts
        write_cache(remembered, (f"{choice[0]} {int(choice[1])} {choice[2]} {int(choice[3])} "
                                 f"{int(choice[4])} {int(choice[5])} {choice[6]}\n"
                                 f"{json.dumps(copies)}\n"
                                 f"{json.dumps(sorted(aside))}\n").encode())
        prune(remembered.parent, ARRANGEMENTS_MAX, ARRANGEMENTS_MAX_BYTES)
    except OSError:
        pass
    return True


def _choose_large(bp: Blueprint, key: str, timeout: float
                  ) -> tuple[Arrangement, Copies, Aside, bool]:
    """choose_settled for a poster archgen makes up of more than SEARCH_LIMIT nodes, its
    blueprint's lock held: LARGE_LANES where its drawing keeps the rows in order and is in
    range, else LARGE."""
    from .measure import read_svg

    known = _remembered(key)
    if known is not None:
        return (*known, True)
    book = Book()
    choice = LARGE
    svg = _layout(bp, compile_blueprint(bp, lanes=LARGE_LANES[0], row_groups=LARGE_LANES[1],
                                        shape=LARGE_LANES[2], placing=LARGE_LANES[3]),
                  timeout, book)
    if svg is not None:
        drawing = read_svg(svg)
        low, high, _ = ASPECT[bp.direction]
        if (in_order(drawing, top_rows(bp, LARGE_LANES[2], LARGE_LANES[3]), bp.direction)
                and low <= drawing.width / max(drawing.height, 1e-6) <= high):
            choice = LARGE_LANES
    return choice, (), frozenset(), _remember(key, choice, (), frozenset(), timeout, book)


def _choose_settled(bp: Blueprint, key: str, timeout: float
                    ) -> tuple[Arrangement, Copies, Aside, bool]:
    """choose_settled, its blueprint's lock held."""
    first: Arrangement = (*CANDIDATES[0], 0, BY_EDGES, False, False, 0)
    known = _remembered(key)
    if known is not None:
        return (*known, True)
    fewest, most = poster_shapes(bp)
    options = [(*c, 0, BY_EDGES) for c in CANDIDATES] + [
        (*CANDIDATES[0], s, p) for s in (fewest, most) for p in (BY_EDGES, BY_RULE, WITH_FLOW)]
    sources = [compile_blueprint(bp, lanes=a[0], row_groups=a[1], shape=a[2], placing=a[3])
               for a in options]
    book = Book()
    choice, svg = (first, None) if len(set(sources)) == 1 else _search(bp, fewest, most,
                                                                         timeout, book)
    choice, copies, aside, svg = _finish(bp, choice, svg, timeout, book)
    fan: Arrangement = (*CANDIDATES[0], 0, FANNED, False, False, 0)
    if top_spokes(bp) and compile_blueprint(bp, placing=FANNED) != compile_blueprint(bp):
        # top-level spokes fanned beside their hub (layout.fanned), each finished alike
        # (copies in order, rows led, labels aside: drawn plainly, a user's Azure hub
        # fanned had two labels far that set beside were not), kept where its spokes are
        # drawn in the order written (dot orders them by their own edges, whatever order
        # they are written in: a small hub's web, API and data spokes came out web, data,
        # API) and it ranks better, labels on borders weighed (the main flow's row set a
        # label on the hub's border)
        other = _fanned(bp, fan, timeout, book)
        if svg is None:  # (no step above drew the choice)
            svg = _layout(bp, _program(bp, choice, copies, aside), timeout, book)
        if other[3] is not None and (svg is None or _rank(
                bp, other[3], top_rows(bp, 0, FANNED), borders=True)[0] < _rank(
                bp, svg, top_rows(bp, choice[2], choice[3]), borders=True)[0]):
            choice, copies, aside, svg = other
    return choice, copies, aside, _remember(key, choice, copies, aside, timeout, book)


def _fanned(bp: Blueprint, fan: Arrangement, timeout: float, book: Book
            ) -> tuple[Arrangement, Copies, Aside, bytes | None]:
    """The fanned arrangement finished (_finish), its drawing None where dot drew its
    spokes out of the order written."""
    from .measure import read_svg

    def kept(svg: bytes | None) -> bool:
        return svg is not None and all(copies_kept(read_svg(svg), paths, bp.direction)
                                       for box, _, paths in copy_sets(bp, fanned=True)
                                       if not box)

    ordered = _copies_in_order(bp, fan, timeout, book)
    if not kept(ordered[1]):  # (the rest of its drawings would be for nothing)
        return fan, (), frozenset(), None
    choice, copies, aside, svg = _finish(bp, fan, None, timeout, book, ordered)
    return choice, copies, aside, svg if kept(svg) else None


def _finish(bp: Blueprint, choice: Arrangement, svg: bytes | None, timeout: float,
            book: Book, ordered: tuple[Copies, bytes | None, bool] | None = None
            ) -> tuple[Arrangement, Copies, Aside, bytes | None]:
    """The choice of the search made whole: copies in order (`ordered`: found already),
    three zones or more in a grid or stacked, labels beside (TB), rows led, labels aside;
    with its drawing (None: none made)."""
    copies, copies_svg, kept = ordered or _copies_in_order(bp, choice, timeout, book)
    svg = copies_svg or svg  # the drawing of `choice`, when one was made
    if plan_layout(bp).grid:
        # three zones or more two to a row (Plan.grid), or one under the other: each drawn
        # with its copies in order, the better kept, the grid on a tie. Two to a row took
        # a user's three zones from 1.08 to 1.91 as wide as high (13 -> 9 defects), but
        # made three zones of a public, an app and a data subnet each 3.21 (stacked 1.48).
        rows = top_rows(bp, choice[2], choice[3])
        stacked: Arrangement = (*choice[:5], True, choice[6])
        other, other_svg, other_kept = _copies_in_order(bp, stacked, timeout, book)
        if other_svg is not None and (svg is None or (not other_kept, _rank(
                bp, other_svg, rows)[0]) < (not kept, _rank(bp, svg, rows)[0])):
            choice, copies, svg = stacked, other, other_svg
    beside, beside_svg = _labels_beside(bp, choice, copies, timeout, book)
    if beside:
        choice, svg = (*choice[:4], True, *choice[5:]), beside_svg
    led, svg = _rows_led(bp, choice, copies, svg, timeout, book)
    choice = (*choice[:6], led)
    led, svg = _read_down(bp, choice, copies, svg, timeout, book)
    choice = (*choice[:6], led)
    led, svg = _as_columns(bp, choice, copies, svg, timeout, book)
    choice = (*choice[:6], led)
    aside, svg = _labels_aside(bp, choice, copies, svg, timeout, book)
    aside, svg = _labels_clear(bp, choice, copies, aside, svg, timeout, book)
    led, svg = _spanned(bp, choice, copies, aside, svg, timeout, book)
    choice = (*choice[:6], led)
    return choice, copies, aside, svg


def copy_sets(bp: Blueprint, fanned: bool = False) -> list[tuple[str, list[str], list[str]]]:
    """Each box with two or more children of one kind of copy (REPLICAS, or spokes of one
    hub: layout.spokes): its path, its groups' paths and those children's paths, in the
    order written. `fanned`: also the top level's spokes (path ''), fanned beside their
    hub (layout.FANNED)."""
    found = []
    spoke = spokes(bp)
    if fanned and len(same := [g.path for g in bp.groups if g.path in spoke]) > 1:
        found.append(("", [g.path for g in bp.groups], same))
    for g in bp.walk_groups():
        groups = [sub.path for sub in g.groups]
        for kind in sorted(REPLICAS):
            same = [sub.path for sub in g.groups if sub.kind == kind]
            if len(same) > 1:
                found.append((g.path, groups, same))
        if len(same := [sub.path for sub in g.groups if sub.path in spoke]) > 1:
            found.append((g.path, groups, same))
    return found


def copies_kept(drawing: Drawing, paths: list[str], direction: str, grid: bool = False
                ) -> bool:
    """Whether each copy is drawn after the one written before it: under it, or beside it
    in the reading direction (right of it; left in RL). In a grid of two to a row
    (Plan.grid), the first of a row is under the first of the row before."""
    boxes = [drawing.frames[f"cluster_{p}"].box for p in paths
             if f"cluster_{p}" in drawing.frames]
    for i, b in enumerate(boxes[1:], 1):
        a = boxes[i - 2] if grid and i % 2 == 0 else boxes[i - 1]
        beside = a[0] >= b[2] - SLACK if direction == "RL" else b[0] >= a[2] - SLACK
        if not (b[1] >= a[3] - SLACK or beside):
            return False
    return True


def _copies_in_order(bp: Blueprint, choice: Arrangement, timeout: float,
                     book: Book) -> tuple[Copies, bytes | None, bool]:
    """Where dot draws a box's copies out of the order written, the first of a few other
    orders of writing them (every order of three copies, else the reversed and rotated
    ones; COPY_TRIES a box) that it draws in the order written, box after box. dot orders
    boxes on one rank by crossings, and the copies' own edges (zone c's web servers feed
    the app servers of zones a and b) win over any invisible edge or `ordering` (tried:
    points chained on a rank before the copies, in a box of their own or not, with
    `group`, led from the top level); which order of writing comes out as written depends
    on the edges, so it is found by drawing. () when the copies are drawn as written, or
    when no order tried is. With it, the last drawing (None: no copies, or dot book)
    and whether every box's copies are drawn in order there."""
    from itertools import permutations

    from .measure import read_svg

    sets = copy_sets(bp, fanned=choice[3] == FANNED)
    if not sets:
        return (), None, True
    found: dict[str, tuple[str, ...]] = {}
    kinds = {g.path: g.kind for g in bp.walk_groups()}

    def drawing(copies: dict[str, tuple[str, ...]]) -> tuple[Drawing, bytes] | None:
        source = _program(bp, choice, tuple(sorted(copies.items())))
        svg = _layout(bp, source, timeout, book)
        return None if svg is None else (read_svg(svg), svg)

    first = drawing(found)
    if first is None:
        return (), None, False
    now, now_svg = first
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], stacked=choice[5])
    default = plan.order

    def kept(d: Drawing, box: str, paths: list[str]) -> bool:
        return copies_kept(d, paths, bp.direction, box in plan.grid)

    good: list[tuple[str, list[str]]] = []  # the copies drawn in order so far: they must stay so
    tries = COPY_TRIES_ALL
    for box, groups, paths in sets:
        if kept(now, box, paths):
            good.append((box, paths))
            continue
        if not box:
            # spokes fanned at the top level: dot drew a small hub's web, API and data
            # spokes web, data, API in all six orders of writing them (their own edges
            # decide), so no other order is drawn
            continue
        # Spokes of a hub (not zones or regions) inside a box likewise: a hub's three
        # spoke accounts drew alike in all six orders, two to a row or one under the
        # other (the hub and spokes case: ten drawings for nothing); only the order
        # guessed below is drawn, and in a grid none.
        hub = not any(kinds[p] in REPLICAS for p in paths)
        if hub and box in plan.grid:
            continue
        written = list(default.get(box, groups))
        slots = [i for i, p in enumerate(written) if p in paths]
        current = [written[i] for i in slots]
        orders = (list(permutations(paths)) if len(paths) <= 3 else
                  [tuple(reversed(paths))] + [tuple(paths[i:] + paths[:i])
                                              for i in range(1, len(paths))])
        # First the order that puts each copy where dot drew the one written in its place,
        # as if places, not copies, decided (not in a grid, Plan.grid, where the places are
        # not read so simply). Where that draws the copies as before, their own edges
        # decide, not the order: no other is drawn (a hub's three spoke accounts, stacked,
        # drew alike in all six orders: five drawings for nothing).
        drawn_first = drawn_order(now, paths, bp.direction)
        guess: tuple[str, ...] | None = None
        if box not in plan.grid and sorted(drawn_first) == sorted(current):
            placed = dict(zip([current.index(p) for p in drawn_first], paths, strict=True))
            guess = tuple(placed[i] for i in range(len(paths)))
            orders = [guess, *(o for o in orders if o != guess)]
        if hub:
            orders = [guess] if guess else []
        for order in [o for o in orders if list(o) != current][:COPY_TRIES]:
            if tries <= 0:
                break
            tries -= 1
            trial = list(written)
            for i, p in zip(slots, order, strict=True):
                trial[i] = p
            attempt = {**found, box: tuple(trial)}
            drawn = drawing(attempt)
            if drawn is not None and all(kept(drawn[0], b, p)
                                         for b, p in [*good, (box, paths)]):
                found, (now, now_svg) = attempt, drawn
                good.append((box, paths))
                break
            if order == guess and drawn is not None and drawn_order(
                    drawn[0], paths, bp.direction) == drawn_first:
                break
    return tuple(sorted(found.items())), now_svg, len(good) == len(sets)


def drawn_order(drawing: Drawing, paths: list[str], direction: str) -> list[str]:
    """The copies `paths` in the order they are drawn in: row by row, top to bottom (a box
    that overlaps a row's height is in it), each row in the reading direction."""
    boxes = {p: drawing.frames[f"cluster_{p}"].box for p in paths
             if f"cluster_{p}" in drawing.frames}
    rows: list[list[str]] = []
    for p in sorted(boxes, key=lambda p: (boxes[p][1], boxes[p][0])):
        if rows and boxes[p][1] < max(boxes[q][3] for q in rows[-1]) - SLACK:
            rows[-1].append(p)
        else:
            rows.append([p])
    return [p for row in rows
            for p in sorted(row, key=lambda p: boxes[p][0], reverse=direction == "RL")]


def _layout(bp: Blueprint, source: str, timeout: float, book: Book,
            whole: bool = False) -> bytes | None:
    """One candidate's layout (render.layout_svg); a failed one is noted in the book. One
    that dot refuses (render.Refused: `trouble in init_rank`, the same on every run; and,
    `whole`, an edge drawn in pieces) is None but no failure: a choice made without it is
    remembered (a placement of the 60-node event bus case that dot always refuses had it
    searched again on every render). A program the search drew before is not drawn again
    (the steps each draw the choice they start from: the seed's was drawn twice)."""
    with book.lock:
        once = book.drawing.setdefault((source, whole), threading.Lock())
    with once:  # (two threads of the search asking for one program: one draws it)
        if (source, whole) in book.drawn:
            return book.drawn[source, whole]
        try:
            svg = layout_svg(bp, source, timeout, whole=True) if whole else layout_svg(
                bp, source, timeout)  # (the tests' stand-ins for layout_svg take no `whole`)
        except Refused:
            svg = None
        else:
            if svg is None:
                book.failed.append(source)
        book.drawn[source, whole] = svg
    return svg


def _search(bp: Blueprint, fewest: int, most: int, timeout: float, book: Book
            ) -> tuple[Arrangement, bytes | None]:
    """The poster's shape, then the candidate for the edges between rows (see above). With
    the winner's drawing (None: none drawn)."""
    first: Arrangement = (*CANDIDATES[0], 0, BY_EDGES, False, False, 0)
    drawn: dict[str, tuple[Rank, float] | None] = {}
    svgs: dict[str, bytes] = {}

    def draw(a: Arrangement) -> tuple[Rank, float] | None:
        """The rank of an arrangement's drawing and its width / height (None: dot fails)."""
        source = compile_blueprint(bp, lanes=a[0], row_groups=a[1], shape=a[2], placing=a[3],
                                   beside=a[4])
        if source not in drawn:
            svg = _layout(bp, source, timeout, book)
            drawn[source] = None if svg is None else _rank(bp, svg, top_rows(bp, a[2], a[3]))
            if svg is not None:
                svgs[source] = svg
        return drawn[source]

    low, high, _ = ASPECT[bp.direction]

    def shapes(placing: int, fewest: int, most: int) -> list[tuple[int, int]]:
        """The shapes drawn for one kind of poster, stepping while out of range."""
        shape, tried = 0, []
        for _ in range(POSTER_TRIES if fewest < most else 1):
            tried.append(shape)
            done = draw((*CANDIDATES[0], shape, placing, False, False, 0))
            if done is None or low <= done[1] <= high:
                break
            # LR: too tall, fewer rows; too wide, more. TB lays rows side by side: reverse.
            step = (-1 if done[1] < low else 1) * (1 if bp.direction in ("LR", "RL") else -1)
            if not fewest <= shape + step <= most or shape + step in tried:
                break
            shape += step
        return [(s, placing) for s in tried]

    kinds = [(BY_EDGES, fewest, most)]
    only_in_range = False
    if compile_blueprint(bp, placing=BY_RULE) != compile_blueprint(bp):
        # a poster placed by its edges is not always drawn better than one by the main
        # flow rule (a generated 80-node blueprint: 44 defects against 51), nor than one
        # placed to read with the flow (a user's event bus: 23 against 6; the shipped
        # layout-event-bus case 15 against 56): all are drawn, side by side
        kinds.append((BY_RULE, *poster_shapes(bp, placing=BY_RULE)))
        kinds.append((WITH_FLOW, *poster_shapes(bp, placing=WITH_FLOW)))
    elif compile_blueprint(bp, placing=WITH_FLOW) != compile_blueprint(bp):
        # drawn TB, a few parts around the box that holds most of the picture, its
        # entry above it (layout.above_the_box): only where that stays in range
        kinds.append((WITH_FLOW, *poster_shapes(bp, placing=WITH_FLOW)))
        only_in_range = True
    with _side_by_side(len(kinds)) as pool:
        posters = [p for found in pool.map(lambda k: shapes(*k), kinds) for p in found]
    ranked = [(r[0], i, p) for i, p in enumerate(posters)
              if (r := draw((*CANDIDATES[0], *p, False, False, 0)))
              and not (only_in_range and p[1] == WITH_FLOW and not low <= r[1] <= high)]
    # the better poster of the two kinds (placed by edges, by the main flow rule): drawing
    # both again with every way of lanes cost six layouts and never changed the choice on
    # 53 pictures (shipped and variants, test cases, users', generated of 30-120 nodes)
    poster = min(ranked)[2] if ranked else (0, BY_EDGES)
    # How the edges between the rows are drawn (CANDIDATES), in order of preference on a
    # tie: none of the rest is drawn where the first cannot be beaten (rows kept, in range,
    # no defect, label or line on a title, or loop: only a width / height nearer the best
    # could win, and among 47 pictures none did; k8s-onprem, readme-example and three
    # posters archgen made up: two drawings fewer each).
    written = bp.layout.rows and not bp.layout.made
    candidates = [(*c, *poster, False, False, 0) for c in CANDIDATES]
    done = draw(candidates[0])
    if done is not None and not any(done[0][:-1]):
        candidates = candidates[:1]
    # Written rows: without lanes for none (dot routes those edges around the poster: in
    # the seed, its six variants and four other pictures of written rows it never won,
    # 23 to 27 defects in the seed's seven); a poster archgen made (which took layouts to
    # find) without the row groups.
    plain = [c for c in candidates[:3] if not (written and c[0] == "none")]
    # side by side: each is a dot of its own, and after an edit they are all the wait
    with _side_by_side(len(plain)) as pool:
        list(pool.map(draw, plain))
    if written and len(candidates) > 1:
        # With row groups where the candidate without them keeps the rows in order (they
        # weigh the rows' own edges more: the booking portal 4 -> 2 defects, the seed's
        # App Runner variant 13 -> 11), or where no candidate without them does (the
        # seed's rows written in another order: only row groups kept them). Not where
        # another keeps them and it does not: with groups it did not either, in the seed
        # and each of its six variants.
        kept = {}
        for c in plain:
            got = draw(c)
            kept[c[0]] = got is not None and not got[0][0]
        grouped = [c for c in candidates[3:] if kept.get(c[0]) or not any(kept.values())]
        if grouped:
            with _side_by_side(len(grouped)) as pool:
                list(pool.map(draw, grouped))
        plain += grouped
    candidates = plain
    finals = [(r[0], i, c) for i, c in enumerate(candidates) if (r := draw(c))]
    if not finals:
        return first, None
    won = min(finals)[2]
    return won, svgs.get(compile_blueprint(bp, lanes=won[0], row_groups=won[1], shape=won[2],
                                           placing=won[3], beside=won[4]))


@contextlib.contextmanager
def _side_by_side(tasks: int) -> Iterator[ThreadPoolExecutor]:
    """Threads for the search's drawings. When the command's --timeout stops it (in the
    main thread), it does not wait for the drawings under way: measuring a large one takes
    15 s (150 nodes, 590 edges), and `compile --timeout 2` took 29 s. Their processes and
    folders go with abort_all, and the command does not wait for them as it ends
    (__main__.run)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=min(tasks, os.cpu_count() or 1))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _labels_beside(bp: Blueprint, choice: Arrangement, copies: Copies, timeout: float,
                   book: Book) -> tuple[bool, bytes | None]:
    """Drawn TB or BT, whether the labels of the edges between boxes are better set beside
    their drawn routes (compile_blueprint's `beside`): as nodes of the layout, dot gives
    each a rank of its own between the boxes, and a pipeline of five stages in one
    project box stood upright (gcp-data-pipeline drawn TB: 0.57 as wide as high, 3
    defects; beside, 0.63 and none). Beside wins only when its drawing ranks better
    (_rank): a picture brought into range, or one with fewer defects or fewer labels on a
    box's title, not one only nearer the best width / height (k8s-onprem: 0.78 -> 0.79,
    and a label set on a box's title); elsewhere the labels stay ranks of the layout.
    Two drawings more. With the choice, the drawing of it (None: not drawn)."""
    if bp.direction not in ("TB", "BT") or not any(e.label for e in bp.edges):
        return False, None
    rows = top_rows(bp, choice[2], choice[3])
    ranks = []
    svgs = []
    for beside in (False, True):
        source = _program(bp, choice, copies, beside=beside)
        svg = _layout(bp, source, timeout, book)
        if svg is None:
            return False, None
        # not for fewer lines over titles or a width / height nearer 1
        ranks.append(_rank(bp, svg, rows)[0][:4])
        svgs.append(svg)
    return (True, svgs[1]) if ranks[1] < ranks[0] else (False, svgs[0])


def _rows_led(bp: Blueprint, choice: Arrangement, copies: Copies, svg: bytes | None,
              timeout: float, book: Book) -> tuple[int, bytes | None]:
    """How the rows of boxes are kept in the order written (compile_blueprint's `led`),
    with its drawing, step by step while a box is still out of order: each box's flow
    leaving from its last row, not its first (LAST_OUT); drawn LR, their rows led top to
    bottom (LED_ROWS); copies led into the node each ranks first (COPY_HEADS: a zone's NAT
    gateway chained over the app subnet the flow enters, drawn TB, where the point leading
    them into the app servers stood among the zones on the gateways' rank); dot's second
    crossing count off (ONE_COUNT, in LR with the rows led: it keeps what leads them),
    which undid the order led where edges from outside end at a box's nodes. Each kept
    only where fewer boxes (their rows, order.rows_out, or sets of copies, copies_kept)
    come out of order and the drawing ranks no worse in rows kept, range and defects
    (_rank) than the one the search chose, or as many and it ranks better than the step
    before. The last row first: after the rows led it left the GCP pipeline's serving box
    out of order, alone it puts every box in order. Led everywhere in LR, 60 boxes of 222
    out of order went to 54 but the defects from 243 to 248 (a generated blueprint 5 -> 6,
    a user's IoT stream 1 -> 3); the crossing count off everywhere, 56 -> 53 but 240 ->
    258; every box left from its last row, 59 -> 53 but 246 -> 261. One drawing more for
    each step where it applies (and one where the choice's drawing is not at hand)."""
    from .measure import read_svg
    from .order import rows_out

    def source(led: int) -> str:
        return _program(bp, choice, copies, led=led)

    rows = top_rows(bp, choice[2], choice[3])
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    if not any(sum(map(len, plan.rows.get(g.path, []))) > 1 for g in bp.walk_groups()):
        return 0, svg  # no box of two children or more
    led = 0
    svg = svg or _layout(bp, source(0), timeout, book)
    if svg is None:
        return 0, None
    sets = copy_sets(bp)

    def out(d: Drawing) -> int:
        """Boxes whose rows, and sets of copies, are drawn out of the order written."""
        return rows_out(bp, d, plan.rows) + sum(
            not copies_kept(d, paths, bp.direction, box in plan.grid) for box, _, paths in sets)

    now = (out(read_svg(svg)), _rank(bp, svg, rows)[0])
    searched = now[1]
    lr = bp.direction == "LR"
    for more in (LAST_OUT, LED_ROWS, COPY_HEADS, ONE_COUNT | (LED_ROWS if lr else 0)):
        if now[0] == 0 or (more == LED_ROWS and not lr):
            continue
        trial = source(led | more)
        if trial == source(led):
            continue
        other = _layout(bp, trial, timeout, book)
        if other is None:
            continue
        then = (out(read_svg(other)), _rank(bp, other, rows)[0])
        # not worse in any of the rank's first three: rows kept, in range, defects
        if not any(a > b for a, b in zip(then[1][:3], searched[:3], strict=True)) and then < now:
            led, svg, now = led | more, other, then
    return led, svg


def _read_down(bp: Blueprint, choice: Arrangement, copies: Copies, svg: bytes | None,
               timeout: float, book: Book) -> tuple[int, bytes | None]:
    """Drawn TB or BT, whether a pipeline of boxes cut into columns (Plan.flow) is better
    read down (compile's DOWN), with the drawing of the choice: as columns, each led from
    the top rank, the main flow steps from the foot of one column up to the head of the
    next (a user's serverless pipeline and GCP analytics pipeline: 5 edges drawn up each).
    Read down only where dot draws every edge whole (render.SPLIT_EDGE), the drawing is in
    range, has no more defects, and ranks better
    with the edges drawn against the direction weighed right after the defects, before
    closeness to the poster's shape (_rank's `against`). Where that drawing is too wide,
    also with only boxes of a few nodes on one rank (compile's NARROW: a user's event bus
    platform read down stood 2.70 as wide as high, so 1.61, 27 -> 8 defects), the better
    of the two. One drawing more where it applies, two where too wide (and one where the
    choice's drawing is not at hand)."""
    def source(led: int) -> str:
        return _program(bp, choice, copies, led=led)

    led = choice[6]
    if bp.layout.flow:  # a variant of a blueprint read down (keep_written): as that one
        return led | DOWN | (NARROW if bp.layout.narrow else 0), None
    trial = source(led | DOWN)
    if trial == source(led):
        return led, svg
    now = svg or _layout(bp, source(led), timeout, book)
    # neither drawing read down where dot draws an edge in pieces (render.SPLIT_EDGE): the
    # reader sees the edge twice, from inside its box, and Graphviz's warning
    other = _layout(bp, trial, timeout, book, whole=True)
    if now is None or other is None:
        return led, now
    # the rows are no columns any more: not ranked by their order
    (down, aspect), (then, _) = (_rank(bp, other, [], against=True),
                                 _rank(bp, now, [], against=True))
    read = led | DOWN
    narrow = source(led | DOWN | NARROW)
    if aspect > ASPECT[bp.direction][1] and narrow != trial:
        drawn = _layout(bp, narrow, timeout, book, whole=True)
        if drawn is not None and (ranked := _rank(bp, drawn, [], against=True)[0]) < down:
            read, other, down = led | DOWN | NARROW, drawn, ranked
    if down[0] or down[1] > then[1] or down >= then:  # out of range, more defects, no better
        return led, now
    return read, other


def _as_columns(bp: Blueprint, choice: Arrangement, copies: Copies, svg: bytes | None,
                timeout: float, book: Book) -> tuple[int, bytes | None]:
    """Drawn LR, whether three zones or more alike stand as columns (compile's COLUMNS:
    side by side, each zone's subnets one under the other, every tier in one line across
    the zones, as AWS's reference posters draw them), with the drawing of the choice: kept
    only where every zone's tiers and the zones come out in the order written and the
    drawing ranks better (_rank). One drawing more where it applies (and one where the
    choice's drawing is not at hand)."""
    from .measure import read_svg

    def source(led: int) -> str:
        return _program(bp, choice, copies, led=led)

    led = choice[6]
    trial = source(led | COLUMNS)
    if trial == source(led):  # no zones drawn as columns (layout.zone_columns)
        return led, svg
    now = svg or _layout(bp, source(led), timeout, book)
    other = _layout(bp, trial, timeout, book)
    if now is None or other is None:
        return led, now
    columns = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                          stacked=choice[5], columns=True).columns
    rows = top_rows(bp, choice[2], choice[3])
    if columns_kept(read_svg(other), columns) and \
            _rank(bp, other, rows)[0] < _rank(bp, now, rows)[0]:
        return led | COLUMNS, other
    return led, now


def columns_kept(drawing: Drawing, columns: dict[str, list[list[list[str]]]]) -> bool:
    """Whether zones drawn as columns (layout.Plan.columns) stand left to right in the
    order written, each zone's tiers top to bottom as written."""
    def box(paths: list[str]) -> Box | None:
        boxes = [drawing.nodes[p].box for p in paths if p in drawing.nodes]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    for zones in columns.values():
        spans = [box([n for tier in tiers for n in tier]) for tiers in zones]
        if any(a is None or b is None or b[0] < a[2] - SLACK
               for a, b in zip(spans, spans[1:], strict=False)):
            return False
        for tiers in zones:
            cells = [box(tier) for tier in tiers]
            if any(a is None or b is None or b[1] < a[3] - SLACK
                   for a, b in zip(cells, cells[1:], strict=False)):
                return False
    return True


def _spanned(bp: Blueprint, choice: Arrangement, copies: Copies, aside: Aside,
             svg: bytes | None, timeout: float, book: Book
             ) -> tuple[int, bytes | None]:
    """Whether the rows' chains that double an edge leaving ranks free between its ends,
    into a node no point leads, ask as many ranks (compile's SPAN), with the drawing of the
    choice: where the top level is in rows, the WAF beside a VPC feeds its load balancer
    (layout.into_leads leaves a rank free), and the row's chain between the two asks one,
    which wins between boxes (dot only weighs a minlen there): the zones' leading point
    takes the WAF's rank and the entry stands under the region. Asked everywhere, a user's
    hybrid Transit Gateway went from 0 to 1 defect (its Direct Connect's chain a rank
    longer), so it is kept only where it ranks better (_rank). One drawing more where it
    applies (and one where the choice's drawing is not at hand)."""
    def source(led: int) -> str:
        return _program(bp, choice, copies, aside, led=led)

    led = choice[6]
    trial = source(led | SPAN)
    if trial == source(led):
        return led, svg
    now = svg or _layout(bp, source(led), timeout, book)
    other = _layout(bp, trial, timeout, book)
    if now is None or other is None:
        return led, now
    from .measure import read_svg

    def ranked(svg: bytes) -> tuple[Rank, float]:
        # the rank, but on a tie a smaller picture over a width / height nearer the best:
        # the entry under the region adds its height (a shop of three zones with its
        # office beside the region, wider subnets than the test's: 1 = 1 defect, 1.78 ->
        # 2.06 as wide as high, 4.0 -> 3.6 million square points)
        drawing = read_svg(svg)
        return _rank(bp, svg, rows)[0][:-1], drawing.width * drawing.height

    rows = top_rows(bp, choice[2], choice[3])
    if ranked(other) < ranked(now):
        return led | SPAN, other
    return led, now


def _labels_aside(bp: Blueprint, choice: Arrangement, copies: Copies, svg: bytes | None,
                  timeout: float, book: Book) -> tuple[Aside, bytes | None]:
    """The edges whose labels are set beside their drawn routes (xlabel, compile's `aside`)
    because dot set them far (over measure.LABEL_NEAR) from the part of the edge it draws.
    A label is a rank of the layout, placed where the whole edge would run; an edge to or
    from a box is drawn only from the box's border, so its label can stay inside the box,
    by other edges (a user's `aws -> cloudtrail` label 1,167 pt from its stub, a VNet's
    'telemetry' 118 pt, beside another edge). Set beside, a label has no room of its own
    and can land on a box's border line: kept only where the drawing ranks better, labels
    on borders weighed as labels on titles (_rank). Then the far labels of other edges,
    whose lines dot bent away from their label's rank (the nested VPC's 'settle', 77 pt):
    kept only where, besides, no more labels land on a border (set beside, a label far
    only by archgen's estimate of text widths sat on three borders of two regions). Looked
    at where an edge to or from a box carries a label (one drawing, none when `svg`, the
    choice's, is at hand) or where the search drew the choice; one drawing more for each
    of the two kinds where labels are far. With the choice, the drawing of it (None: not
    drawn)."""
    from .measure import far_box_labels, far_labels, measure_svg, read_svg

    boxes = {g.path for g in bp.walk_groups()}
    if svg is None and not any(e.label and (e.src in boxes or e.dst in boxes)
                               for e in bp.edges):
        return frozenset(), None
    now = svg or _drawn_aside(bp, choice, copies, frozenset(), timeout, book)
    if now is None:
        return frozenset(), None
    rows = top_rows(bp, choice[2], choice[3])

    def better(drawn: bytes | None, than: bytes) -> bool:
        return drawn is not None and (_rank(bp, drawn, rows, borders=True)[0]
                                      < _rank(bp, than, rows, borders=True)[0])

    aside: Aside = frozenset()
    far = frozenset(far_box_labels(read_svg(now)))
    if far and better(drawn := _drawn_aside(bp, choice, copies, far, timeout, book),
                      now) and drawn is not None:
        aside, now = far, drawn
    rest = frozenset(far_labels(read_svg(now))) - aside
    if rest and better(drawn := _drawn_aside(bp, choice, copies, aside | rest, timeout,
                                             book), now) and drawn is not None and (
            measure_svg(drawn).label_on_box <= measure_svg(now).label_on_box):
        aside, now = aside | rest, drawn
    return aside, now


def _drawn_aside(bp: Blueprint, choice: Arrangement, copies: Copies, aside: Aside,
                 timeout: float, book: Book) -> bytes | None:
    """The drawing of the choice with the labels of `aside` set beside their routes."""
    source = _program(bp, choice, copies, aside)
    return _layout(bp, source, timeout, book)


def _labels_clear(bp: Blueprint, choice: Arrangement, copies: Copies, aside: Aside,
                  svg: bytes | None, timeout: float, book: Book
                  ) -> tuple[Aside, bytes | None]:
    """`aside` with the labels that touch a box (measure.on_boxes: within TOUCH of a box's
    border line or title), or are still far from their line, set where they touch
    nothing. Graphviz looks at no box border when it sets a label: dot ranks one against
    a border (a user's shop: 'replication' on zone B's top border, by its title), and one
    beside its route lands on the border the route crosses there (azure-web's 'secrets'
    on the corner of "Security & operations", a user's 'peering' across the hub's bottom
    border; a user's far 'API activity', set beside its route, sat on the logging
    account's corner, so it stayed far, _labels_aside). Those labels are set beside their
    routes (xlabel), and then those that still touch a box or are far are shown at one
    end of their line, where that drawing leaves them room (ends.clear_end: headlabel or
    taillabel, which moves nothing else, so the spot found is where it lands). Of the
    drawing as it was, with those labels beside their routes, and with some at ends, the
    best (_rank, labels on boxes weighed as on titles) is kept, the earlier on a tie. Two
    drawings more where a label touches a box or is far (and one where the choice's
    drawing is not at hand). With the drawing of the choice (None: none made)."""
    from .ends import clear_end
    from .measure import cut_ends, far_labels, on_boxes, read_svg

    def astray(drawing: Drawing) -> list[int]:
        far = set(far_labels(drawing))
        return sorted(set(on_boxes(drawing)) | {k for k, e in enumerate(drawing.lines)
                                                if (e.tail, e.head) in far})

    if not any(e.label for e in bp.edges):
        return aside, svg
    now = svg or _drawn_aside(bp, choice, copies, aside, timeout, book)
    if now is None:
        return aside, None
    drawing = read_svg(now)
    if not astray(drawing):
        return aside, now
    # Not the labels of edges between copies (zones, regions) that dot ranks (LR): set
    # beside their routes, the copies' insides came out unlike (two zones, only one with
    # a replication out: zone a's app subnet 9 pt above its data subnet, zone b's level)
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    apart = {(e.src, e.dst) for k, e in enumerate(bp.edges) if k in plan.apart}
    ranked_apart = bp.direction in ("LR", "RL") and not choice[4]

    def within(path: str, end: str) -> bool:  # an edge's end: a node, or a box around it
        return path == end or path.startswith(end + ".")

    def between_copies(tail: str, head: str) -> bool:
        return any(within(t, a) and within(h, b)
                   for a, b in apart for t, h in ((tail, head), (head, tail)))

    pairs = [(drawing.lines[k].tail, drawing.lines[k].head) for k in astray(drawing)]
    beside = aside | {p for p in pairs if not (ranked_apart and between_copies(*p))}
    tried = [(aside, now)]
    drawn = now if beside == aside else _drawn_aside(bp, choice, copies, beside, timeout,
                                                     book)
    if drawn is not None:
        if beside != aside:
            tried.append((beside, drawn))
        drawing = read_svg(drawn)
        cut = cut_ends(drawing)
        lines = drawing.lines
        # only labels set beside their routes: a rank of the layout moves what is around it
        ends = {(lines[k].tail, lines[k].head, end[0], str(end[1]), str(end[2]))
                for k in astray(drawing) if (lines[k].tail, lines[k].head) in beside
                and (end := clear_end(drawing, k, cut[k])) is not None}
        if ends:
            placed = beside | ends
            drawn = _drawn_aside(bp, choice, copies, placed, timeout, book)
            if drawn is not None:
                tried.append((placed, drawn))
    rows = top_rows(bp, choice[2], choice[3])
    ranked = [(_rank(bp, d, rows, borders=True)[0], k) for k, (_, d) in enumerate(tried)]
    return tried[min(ranked)[1]]


def _rank(bp: Blueprint, svg: bytes, rows: list[list[str]], borders: bool = False,
          against: bool = False) -> tuple[Rank, float]:
    """Smaller is better: written rows in order, a width / height in range (rows archgen
    made up in LR: then few defects, then those rows in order), few defects, few edge labels on
    a box's title, few edge lines over one, few edges that loop around the poster (measure:
    a generated 30-node blueprint, 5 = 5 defects, 1 loop -> 0), and then the width / height
    nearest the best. And the width / height itself. `borders`: edge labels on or touching
    a box's border line or title (measure's label_on_box) weigh instead of those over a
    title. `against`: a width / height in range, few defects, then few edges drawn against
    the direction (measure: up in TB), and only then the rest (_read_down)."""
    from .measure import measure_svg, read_svg

    score = measure_svg(svg)
    on_titles = score.label_on_box if borders else score.label_over_title
    low, high, ideal = ASPECT[bp.direction]
    aspect = max(score.aspect, 1e-6)
    outside = max(0.0, math.log(low / aspect), math.log(aspect / high))
    kept = in_order(read_svg(svg), rows, bp.direction)
    if against:  # the edges drawn against the direction, right after the defects
        return (outside > 0, score.defects, score.against_flow(bp.direction), not kept,
                on_titles, score.line_over_title, score.loops,
                abs(math.log(aspect / ideal))), aspect
    if not bp.layout.rows and bp.direction in ("LR", "RL"):
        # rows archgen made up, in LR: a landscape poster matters more, and their order
        # only after the defects (before them, a user's payments VPC took a drawing with
        # its rows kept and the region's services in a column on the left, 18 defects,
        # over one with them above the VPC, 10; a generated 80-node blueprint 36 -> 26; no
        # other LR picture measured changed). In TB a made-up row is a column, and the
        # main flow in the first column matters more than defects.
        return (outside > 0, score.defects, not kept, on_titles,
                score.line_over_title, score.loops, abs(math.log(aspect / ideal))), aspect
    if not bp.layout.rows:  # rows archgen made up: a landscape poster matters more
        return (outside > 0, not kept, score.defects, on_titles,
                score.line_over_title, score.loops, abs(math.log(aspect / ideal))), aspect
    return (not kept, outside > 0, score.defects, on_titles,
            score.line_over_title, score.loops, abs(math.log(aspect / ideal))), aspect


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
    parts = [dot_identity(), code_digest(), diagrams_identity(),
             json.dumps(_content(bp), ensure_ascii=False)]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def in_order(drawing: Drawing, rows: list[list[str]], direction: str = "LR") -> bool:
    """Whether every part of each top-level row is drawn above every part of the next; in
    TB and BT, where rows are columns, left of every part of the next."""
    extents = [_extent(drawing, row) for row in rows]
    drawn = [e for e in extents if e is not None]
    side = 0 if direction in ("TB", "BT") else 1  # the axis the rows follow one another on
    return all(before[side + 2] <= after[side] + SLACK
               for before, after in zip(drawn, drawn[1:], strict=False))


def _extent(drawing: Drawing, row: list[str]) -> Box | None:
    """The box around the drawn parts of a row (a part is a node or a group's frame)."""
    boxes = [drawing.frames[f"cluster_{p}"].box for p in row if f"cluster_{p}" in drawing.frames]
    boxes += [s.box for name, s in drawing.nodes.items() if name in row]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))
