"""Part of arrange: where to set an edge label that touches a box, beside its drawn line.

Graphviz sets a label beside the middle of its edge's drawn route (`xlabel`) without
looking at box borders: where the route crosses a border there, the label lands on the
line (a user's hub and spoke: 'peering' across the hub's bottom border; `azure-web`'s
'secrets' on the corner of "Security & operations"). A label set at one end of its line
instead (`headlabel` / `taillabel` with `labelangle` and `labeldistance`) is placed where
those two say, measured from where the line ends, and moves nothing else: so a spot beside
the line can be found on the drawing with the label beside its route, clear of every node,
box border, title, other label and line, and written as the angle and distance that put
the label there (arrange._labels_clear draws it and keeps it only where the drawing ranks
better). Spots nearest the middle of the line come first, where a reader looks for it.
"""

from __future__ import annotations

import math

from .measure import TOUCH, Box, Drawing, Line, Point, runs_through, touches

# What Graphviz's labeldistance counts (PORT_LABEL_DISTANCE): points.
PORT_DISTANCE = 10.0
# Where along the line (share of its length) a spot is tried, the middle first.
ALONG = tuple(sorted((k / 20 for k in range(1, 20)), key=lambda s: (abs(s - 0.5), s)))
# Points between the line and the label beside it, and kept around the label, past TOUCH
# from a box: Graphviz's text is not the width archgen estimates (measure reads text at
# archgen's label widths).
GAP = 4.0

# An end label: which end of the line as dot draws it ("head" or "tail"), labelangle
# (degrees) and labeldistance (tens of points), as compile's Aside writes them.
End = tuple[str, str, str]


def _bezier(piece: tuple[Point, Point, Point, Point], t: float) -> Point:
    a, b, c, d = piece
    u = 1 - t
    return (u ** 3 * a[0] + 3 * u * u * t * b[0] + 3 * u * t * t * c[0] + t ** 3 * d[0],
            u ** 3 * a[1] + 3 * u * u * t * b[1] + 3 * u * t * t * c[1] + t ** 3 * d[1])


def anchor(line: Line, which: str) -> tuple[Point, Point]:
    """Where Graphviz measures an end label from (place_portlabel): the end, and a point
    the line leaves it towards. At an arrow, its tip and the curve's end; else the curve's
    end and its point 0.1 along its first (last) Bezier piece."""
    tip = line.tips[1] if which == "head" else line.tips[0]
    points = line.points[::-1] if which == "head" else line.points
    control = line.control[::-1] if which == "head" else line.control
    if tip:
        return points[0], points[1]
    if len(control) >= 4:
        return control[0], _bezier((control[0], control[1], control[2], control[3]), 0.1)
    return points[0], points[1]


def end_for(line: Line, which: str, centre: Point, scale: float = 1.0) -> End:
    """The labelangle and labeldistance that put an end label's centre at `centre` (y down,
    `scale` drawn units a point); Graphviz's angle is anticlockwise with y up."""
    at, toward = anchor(line, which)
    base = math.atan2(-(toward[1] - at[1]), toward[0] - at[0])
    aim = math.atan2(-(centre[1] - at[1]), centre[0] - at[0])
    angle = (math.degrees(aim - base) + 180.0) % 360.0 - 180.0
    distance = math.dist(at, centre) / (PORT_DISTANCE * scale)
    return which, f"{angle:.1f}", f"{distance:.2f}"


def where(line: Line, end: End, size: tuple[float, float], scale: float = 1.0) -> Box:
    """The box of a label of `size` (width, height) set at `end` of `line`, as Graphviz
    places it: its centre labeldistance * PORT_DISTANCE points from the end, at
    labelangle from the line's direction there."""
    which, angle, distance = end
    at, toward = anchor(line, which)
    turn = math.atan2(-(toward[1] - at[1]), toward[0] - at[0]) + math.radians(float(angle))
    reach = float(distance) * PORT_DISTANCE * scale
    cx, cy = at[0] + reach * math.cos(turn), at[1] - reach * math.sin(turn)
    w, h = size
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def clear_end(drawing: Drawing, k: int, cut: tuple[bool, bool] = (False, False)
              ) -> End | None:
    """A spot beside line `k` (GAP from it, on either side, the middle of the line first)
    for its label that no node, box border or title, other label or line meets, with GAP
    to spare, as an end label; None where there is none. Measured from an end not `cut`
    at a box's border (tail, head: measure.cut_ends): Graphviz places an end label before
    it cuts the line, from the node inside the box (a user's 'API activity' from the AWS
    box went to a Systems Manager deep inside it, 600 pt from the drawn line)."""
    line = drawing.lines[k]
    ends = [which for which, off in (("tail", cut[0]), ("head", cut[1])) if not off]
    if line.label is None or len(line.points) < 2 or not ends:
        return None
    w, h = line.label[2] - line.label[0], line.label[3] - line.label[1]
    gap = GAP * drawing.scale
    frames = [f.box for f in drawing.frames.values() if f.visible]
    titles = [t for f in drawing.frames.values() for t in f.titles]
    taken = [s.box for s in drawing.nodes.values()] + [
        e.label for j, e in enumerate(drawing.lines) if j != k and e.label is not None]
    routes = [e.points for e in drawing.lines]
    own = routes[k]
    lengths = [0.0]
    for a, b in zip(own, own[1:], strict=False):
        lengths.append(lengths[-1] + math.dist(a, b))
    for share in ALONG:
        at, (dx, dy) = _along(own, lengths, share * lengths[-1])
        nx, ny = -dy, dx  # a normal to the line there
        # the label's half depth across the line, the gap, and the room kept around it
        off = abs(nx) * w / 2 + abs(ny) * h / 2 + 2 * gap
        for side in (1, -1):
            centre = (at[0] + side * off * nx, at[1] + side * off * ny)
            box = (centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2)
            room = _grown(box, gap)
            if (touches(_grown(box, gap - TOUCH), frames, titles, drawing.scale)
                    or any(_overlap(room, b) for b in taken)
                    or any(runs_through(route, room) for route in routes)):
                continue
            which = min(ends, key=lambda e: math.dist(anchor(line, e)[0], centre))
            return end_for(line, which, centre, drawing.scale)
    return None


def _along(points: list[Point], lengths: list[float], d: float) -> tuple[Point, Point]:
    """The point `d` along a polyline and the unit direction there."""
    for k in range(1, len(points)):
        if lengths[k] >= d or k == len(points) - 1:
            a, b = points[k - 1], points[k]
            span = max(lengths[k] - lengths[k - 1], 1e-9)
            t = min(max((d - lengths[k - 1]) / span, 0.0), 1.0)
            length = math.dist(a, b) or 1.0
            return ((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])),
                    ((b[0] - a[0]) / length, (b[1] - a[1]) / length))
    return points[0], (1.0, 0.0)


def _grown(b: Box, d: float) -> Box:
    return (b[0] - d, b[1] - d, b[2] + d, b[3] + d)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
