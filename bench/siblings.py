"""Siblings alike (issue 13), counted on the SVG archgen draws: information, no defect.

    python bench/siblings.py OUT_DIR FILE.yaml...   draw each blueprint as written (SVG) into
                                                    OUT_DIR and print, per picture, BAD/OF:

- rows out: boxes set in rows (Plan.rows, rule 5) whose units (children joined by an edge
  inside the box count as one), taken row after row, are not drawn in reading order: a
  unit wholly above one before it where their widths overlap, or wholly left of it where
  their heights overlap and its top is no lower; of the boxes of more than one unit;
- unlike: sibling boxes of one kind in a box (every kind of subnet counts as one) with as many
  children (two or more) whose children are not set the same way as most such siblings':
  in a line along the flow, in a line across it, or otherwise (a grid);
- out of line: sets of sibling boxes of one kind where two side by side have tops more than
  4 pt apart, or two one over the other left sides so;
- order: sets of sibling boxes of one kind where one is drawn before one written earlier;
- defects: arch/measure.py's, beside them.

Set VERBOSE=1 to print the boxes counted. Each blueprint's arrangement is chosen afresh
(arrange.choose_all) unless XDG_CACHE_HOME holds it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from arch.arrange import choose_all  # noqa: E402
from arch.build import Options, render_files  # noqa: E402
from arch.check import check  # noqa: E402
from arch.compile import COPY_HEADS, LAST_OUT, LED_ROWS  # noqa: E402
from arch.layout import plan_layout  # noqa: E402
from arch.measure import Box, Drawing, measure_svg, read_svg  # noqa: E402
from arch.model import Blueprint, Group, Node  # noqa: E402
from arch.order import box_rows_out as _rows_out  # noqa: E402
from arch.order import drawn_before as _before  # noqa: E402
from arch.order import drawn_box as _box  # noqa: E402

SLACK = 4.0  # points
LINE = 20.0  # children whose middles are this near across the flow stand in a line
VERBOSE = bool(os.environ.get("VERBOSE"))
COUNTS = ("rows out", "unlike", "out of line", "order")


def _family(kind: str) -> str:
    return "subnet" if kind.endswith("subnet") else kind


def _mid(b: Box) -> tuple[float, float]:
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def _set_as(d: Drawing, g: Group, along: int) -> str | None:
    """How a box's children are set: 'row' along the flow, 'column' across it, 'grid'."""
    children: list[Node | Group] = [*g.nodes, *g.groups]
    mids = [_mid(b) for c in children if (b := _box(d, c.path)) is not None]
    if len(mids) < 2:
        return None
    spread = [max(m[i] for m in mids) - min(m[i] for m in mids) for i in (0, 1)]
    return "row" if spread[1 - along] <= LINE else "column" if spread[along] <= LINE else "grid"


def count(bp: Blueprint, d: Drawing, rows: dict[str, list[list[str]]]
          ) -> dict[str, tuple[int, int]]:
    """Each count (COUNTS): (bad, of)."""
    along = 0 if bp.direction in ("LR", "RL") else 1
    out = {k: [0, 0] for k in COUNTS}

    def tally(name: str, bad: bool, what: object) -> None:
        out[name][0] += bad
        out[name][1] += 1
        if bad and VERBOSE:
            print(f"  {name}: {what}")

    groups = {g.path: g for g in bp.walk_groups()}
    for box, box_rows in rows.items():
        if box in groups and (bad := _rows_out(bp, d, box, box_rows)) is not None:
            tally("rows out", bad, (box, box_rows))
    for holder in (g.groups for g in bp.walk_groups()):  # the top level: rows (rule 1)
        families: dict[str, list[Group]] = {}
        for sub in holder:
            families.setdefault(_family(sub.kind), []).append(sub)
        for same in families.values():
            if len(same) < 2:
                continue
            names = [s.path for s in same]
            boxes = [b for s in same if (b := _box(d, s.path)) is not None]
            tally("order", any(_before(b, a) for i, a in enumerate(boxes) for b in boxes[i + 1:]),
                  names)
            tally("out of line", any(
                (min(a[3], b[3]) > max(a[1], b[1]) and abs(a[1] - b[1]) > SLACK)
                or (min(a[2], b[2]) > max(a[0], b[0]) and abs(a[0] - b[0]) > SLACK)
                for i, a in enumerate(boxes) for b in boxes[i + 1:]), names)
            by_size: dict[int, list[str]] = {}
            for s in same:
                if (set_as := _set_as(d, s, along)) is not None:
                    by_size.setdefault(len(s.nodes) + len(s.groups), []).append(set_as)
            for ways in by_size.values():
                if len(ways) > 1:
                    most = max(ways.count(w) for w in ways)
                    for n in range(len(ways)):
                        tally("unlike", n >= most, (names, ways))
    return {k: (v[0], v[1]) for k, v in out.items()}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    totals = {k: [0, 0] for k in (*COUNTS, "defects")}
    for f in sys.argv[2:]:
        bp = check(f)
        choice, copies = choose_all(bp)
        plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                           stacked=choice[5], led=bool(choice[6] & LED_ROWS),
                           heads=bool(choice[6] & COPY_HEADS),
                           leave_last=bool(choice[6] & LAST_OUT))
        svg = next((r.files[0] for o in render_files([f], out, Options(formats=("svg",)))
                    for r in o.rendered), None)
        if svg is None:
            print("FAIL", f)
            continue
        data = svg.read_bytes()
        counts = count(bp, read_svg(data), plan.rows)
        counts["defects"] = (measure_svg(data).defects, 0)
        print(Path(f).stem, bp.direction,
              "  ".join(f"{k} {a}/{b}" for k, (a, b) in counts.items()))
        for k, (a, b) in counts.items():
            totals[k][0] += a
            totals[k][1] += b
    print("TOTAL", "  ".join(f"{k} {a}/{b}" for k, (a, b) in totals.items()))


if __name__ == "__main__":
    main()
