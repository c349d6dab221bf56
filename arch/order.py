"""Whether a drawing keeps a box's children in the order written (rule 5's rows): counted
by arrange.py (which of two drawings to keep) and bench/siblings.py (how many are out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import enclosing

if TYPE_CHECKING:
    from .measure import Box, Drawing
    from .model import Blueprint

SLACK = 4.0  # points two parts may overlap by and still be in order


def drawn_box(d: Drawing, path: str) -> Box | None:
    """The drawn box of a group (its frame) or a node (its icon)."""
    if f"cluster_{path}" in d.frames:
        return d.frames[f"cluster_{path}"].box
    return d.nodes[path].icon if path in d.nodes else None


def drawn_before(b: Box, a: Box) -> bool:
    """Whether b is drawn before a in reading order: wholly above it where their widths
    overlap, or wholly left of it where their heights overlap and its top is no lower (in
    a grid, the first of the second row may stand left of a taller one in the first)."""
    overlap_y = min(a[3], b[3]) > max(a[1], b[1])
    overlap_x = min(a[2], b[2]) > max(a[0], b[0])
    return ((overlap_x and b[3] <= a[1] + SLACK)
            or (overlap_y and b[2] <= a[0] + SLACK and b[1] <= a[1] + SLACK))


def _child(box: str, path: str) -> str | None:
    """The child of `box` that is `path` or holds it."""
    return next((p for p in enclosing(path)
                 if p.startswith(box + ".") and "." not in p[len(box) + 1:]), None)


def box_rows_out(bp: Blueprint, d: Drawing, box: str, rows: list[list[str]]) -> bool | None:
    """Whether a box's units (children joined by an edge inside the box count as one),
    taken row after row, are drawn out of the order written (None: one unit)."""
    unit = {p: p for row in rows for p in row}

    def find(p: str) -> str:
        while unit[p] != p:
            p = unit[p]
        return p

    for e in bp.edges:
        tail, head = _child(box, e.src), _child(box, e.dst)
        if tail in unit and head in unit and tail != head:
            unit[find(tail)] = find(head)
    flat: list[Box] = []
    for row in rows:
        seen: list[str] = []
        for p in row:
            if find(p) not in seen:
                seen.append(find(p))
                drawn = [b for q in row if find(q) == find(p)
                         if (b := drawn_box(d, q)) is not None]
                if drawn:
                    flat.append((min(b[0] for b in drawn), min(b[1] for b in drawn),
                                 max(b[2] for b in drawn), max(b[3] for b in drawn)))
    if len(flat) < 2:
        return None
    return any(drawn_before(b, a) for i, a in enumerate(flat) for b in flat[i + 1:])


def rows_out(bp: Blueprint, d: Drawing, rows: dict[str, list[list[str]]]) -> int:
    """How many boxes (Plan.rows) have their units drawn out of the order written."""
    boxes = {g.path for g in bp.walk_groups()}
    return sum(bool(box_rows_out(bp, d, box, box_rows))
               for box, box_rows in rows.items() if box in boxes)
