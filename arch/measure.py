"""How good a layout is, read from the SVG Graphviz drew: archgen's own yardstick.

`make bench` prints these numbers for every shipped blueprint, and a test holds each one
at or below its recorded count, so layout quality can only improve. The defects counted:

- crossings: pairs of edges whose lines cross, away (more than 15 pt) from an end they share;
- edges through nodes: an edge that runs over a node that is not one of its ends;
- edges through boxes: an edge that runs through a box holding neither of its ends;
- label problems: an edge label over a node or over another edge label, more than 40 pt
  from its own edge, and a node's text over another node.

And beside them the width / height of the picture and the detours (how much longer an edge
is than the straight line between its ends), and, as information that is no defect, edge
labels and edge lines over a box's title, edge labels on or touching a box's border line or
title, edges whose
arrow points against a reading direction (up against TB, left against LR), edges that loop
around the poster (their line strays outside the box of their two ends) and the longest
edge. Units are points, y grows downwards.

Edges to a box (lhead/ltail) are cut by Graphviz at the box's border: such an end is the box.
Text is not measured by Graphviz in the SVG, so text boxes are estimated from the label
widths archgen wraps labels by.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from .labels import text_width

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom
Matrix = tuple[float, float, float, float, float, float]  # SVG's a b c d e f

_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

SHARED_END = 15.0  # a crossing this near an end both edges share is where they meet
SHRINK = 2.0  # a node or box is entered only this far past its outline
LABEL_NEAR = 40.0  # an edge label further than this from its edge is lost
ON_BORDER = 2.5  # an end this near a box's border was cut there: the box is the end
# an edge label this near a box's border line or title touches it, and reads as the box's (a
# user's shop: 'replication' 0.5 pt inside zone B's top border, beside its title; the
# azure-web seed's 'secrets' 0 pt from "Security & operations")
TOUCH = 3.0
# an edge label this near a box's title (points across, up or down) reads as a line of the
# title, beside it or stacked over or under it: dot ranks a TB label in the band above the
# box its edge enters, one rank gap (12-14 pt) over the title (a user's 'build marts' 13 pt
# over "Orchestration", 29 pt from its own arc; 'flow logs' 12 pt over "Regional
# services"; `azure-web`'s 'secrets' 9 pt over "Security & operations"); 18-23 pt over it
# still reads so ('store PDF' over "Data subnet")
TITLE_NEAR = (15.0, 24.0)
DETOUR = 1.8  # an edge longer than this many times the straight line is a detour
AGAINST_PT = 40.0  # an arrow this much further back than where its edge leaves runs against
# an edge whose line strays this share of the drawing's diagonal outside the box of its two
# ends loops around what lies between them (a user's hub and spoke: HR DB -> backup NAS
# over the whole poster, 0.09 of the diagonal above the NAS)
LOOP_OUT = 0.08


@dataclass
class Shape:
    """A node as drawn: its whole box (icon and text) and the box of its icon alone."""

    name: str
    box: Box
    icon: Box
    texts: list[Box]


@dataclass
class Frame:
    """A cluster as drawn: its box, its title's box, and whether any of it shows."""

    name: str
    box: Box
    visible: bool
    titles: list[Box]


@dataclass
class Line:
    """An edge as drawn: the polyline from tail to head (arrow tips included), its label."""

    tail: str
    head: str
    points: list[Point]
    label: Box | None
    # where its one arrowhead is: 1 at the last point, -1 at the first, 0 none or both
    arrow: int = 0
    # whether the first and the last point are an arrow's tip, added to the curve
    tips: tuple[bool, bool] = (False, False)
    # the control points of the Bezier curve Graphviz draws (without the tips)
    control: list[Point] = field(default_factory=list)


@dataclass
class Drawing:
    width: float
    height: float
    # drawn units per point: dot's SVG at a dpi other than 72 scales its graph (measured in
    # the drawn units) but not its viewBox
    scale: float = 1.0
    nodes: dict[str, Shape] = field(default_factory=dict)
    frames: dict[str, Frame] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Score:
    width: float
    height: float
    crossings: int
    through_nodes: int
    through_boxes: int
    label_over_node: int
    label_over_label: int
    label_far: int
    text_over_node: int
    detour_max: float
    detours: int  # edges with a detour above 1.8
    label_distance_max: float  # the furthest edge label from its edge
    # edge labels over a box's title: not a defect (the referee reports them apart), but
    # the arrangement's choice prefers a drawing with fewer (arrange._rank)
    label_over_title: int = 0
    # edges whose line runs over a box's title text ("App 10.0.10.0/24" struck through by
    # the line from its subnet's task up to the NAT gateway): not a defect either (the
    # referee does not count it), but a reader sees it; the choice weighs it after the
    # labels on titles (arrange._rank)
    line_over_title: int = 0
    # edge labels on or within TOUCH of a visible box's border line, or within TITLE_NEAR
    # of a box's title (a label set beside a line that leaves a box, at the box's edge; a
    # label dot ranked against a box's border or in the band over its title): no defect,
    # but the choice of where labels go weighs them (arrange._labels_aside,
    # arrange._labels_clear)
    label_on_box: int = 0
    # edges whose arrow points against a reading direction, by more than AGAINST_PT from
    # where the edge leaves to its arrow's tip: up (against TB), down (BT), left (LR),
    # right (RL). No defect (the referee does not count them), but a TB poster whose
    # users stand at the bottom with their arrows climbing to the CDN reads bottom-up:
    # the arrangement's choice weighs them (arrange._rank)
    against: tuple[int, int, int, int] = (0, 0, 0, 0)
    # edges that loop: their line strays more than LOOP_OUT of the diagonal of what is drawn
    # outside the box of their two ends, over or under what lies between them. No defect
    # (the referee counts none for a loop that crosses nothing), but a reader must follow
    # it around the poster; and the longest edge, in diagonals of what is drawn
    loops: int = 0
    longest: float = 0.0

    def against_flow(self, direction: str) -> int:
        """Edges drawn against `direction` (LR, RL, TB, BT)."""
        return self.against[("TB", "BT", "LR", "RL").index(direction)]

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 0.0

    @property
    def label_problems(self) -> int:
        return self.label_over_node + self.label_over_label + self.label_far + \
            self.text_over_node

    @property
    def defects(self) -> int:
        return self.crossings + self.through_nodes + self.through_boxes + self.label_problems

    def summary(self) -> str:
        return (f"defects {self.defects:3d} ({self.crossings} crossings, "
                f"{self.through_nodes} through nodes, {self.through_boxes} through boxes, "
                f"{self.label_problems} labels)  w/h {self.aspect:.2f}  "
                f"detour max {self.detour_max:.2f} ({self.detours} > {DETOUR})  "
                f"label distance max {self.label_distance_max:.0f}  "
                f"labels on titles {self.label_over_title}  "
                f"lines over titles {self.line_over_title}  "
                f"labels on boxes {self.label_on_box}  "
                f"against TB/BT/LR/RL {'/'.join(map(str, self.against))}  "
                f"loops {self.loops}  longest {self.longest:.2f} diag")


# ---------------------------------------------------------------------------- geometry

def _union(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _bounds(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _shrunk(b: Box, d: float) -> Box:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return (min(b[0] + d, cx), min(b[1] + d, cy), max(b[2] - d, cx), max(b[3] - d, cy))


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _meets(a: Box, b: Box) -> bool:
    """Whether two closed boxes share a point (touching counts, unlike _overlap): the
    test before clipping, which counts a segment along a box's border."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _contains(outer: Box, inner: Box, slack: float = 1.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _inside(p: Point, b: Box) -> bool:
    return b[0] <= p[0] <= b[2] and b[1] <= p[1] <= b[3]


def _to_box(p: Point, b: Box) -> float:
    """Distance from a point to a box (0 inside it)."""
    return math.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]), max(b[1] - p[1], 0.0, p[1] - b[3]))


def _to_border(p: Point, b: Box) -> float:
    if _inside(p, b):
        return min(p[0] - b[0], b[2] - p[0], p[1] - b[1], b[3] - p[1])
    return _to_box(p, b)


def _clip(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a-b has a point in the (closed) box: Liang-Barsky clipping."""
    lo, hi = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]),
                 (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo > hi:
            return False
    return True


def _enters(points: list[Point], box: Box) -> bool:
    if box[0] >= box[2] or box[1] >= box[3]:
        return False
    x0, y0, x1, y1 = box
    return any(_clip(a, b, box) for a, b in zip(points, points[1:], strict=False)
               if (a[0] >= x0 or b[0] >= x0) and (a[0] <= x1 or b[0] <= x1)
               and (a[1] >= y0 or b[1] >= y0) and (a[1] <= y1 or b[1] <= y1))


def runs_through(points: list[Point], box: Box) -> bool:
    """Whether a line (its points as a polyline, as the referee reads it) has a point in a
    box."""
    return _enters(points, box)


def _segment_to_box(a: Point, b: Point, box: Box) -> float:
    if _clip(a, b, box):
        return 0.0
    best = min(_to_box(a, box), _to_box(b, box))
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    for c in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        t = 0.0 if length == 0 else max(0.0, min(1.0, ((c[0] - a[0]) * dx +
                                                       (c[1] - a[1]) * dy) / length))
        best = min(best, math.hypot(a[0] + t * dx - c[0], a[1] + t * dy - c[1]))
    return best


def _crossing(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """Where two segments cross properly (not where they only touch or run together)."""
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    s1, s2, s3, s4 = side(a, b, c), side(a, b, d), side(c, d, a), side(c, d, b)
    if s1 * s2 >= 0 or s3 * s4 >= 0:
        return None
    t = s3 / (s3 - s4)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def _length(points: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))


# ---------------------------------------------------------------------------- reading SVG

def _matrix(text: str | None) -> Matrix:
    m = _IDENTITY
    for op, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip()) if x]
        if op == "translate":
            n: Matrix = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif op == "scale":
            n = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        elif op == "matrix" and len(v) == 6:
            n = (v[0], v[1], v[2], v[3], v[4], v[5])
        else:  # Graphviz writes rotate(0) only
            continue
        m = _times(m, n)
    return m


def _times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    return (a * n[0] + c * n[1], b * n[0] + d * n[1], a * n[2] + c * n[3],
            b * n[2] + d * n[3], a * n[4] + c * n[5] + e, b * n[4] + d * n[5] + f)


def _at(m: Matrix, p: Point) -> Point:
    return (m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5])


def _number(text: str | None) -> float:
    found = re.match(r"\s*(-?[\d.]+(?:[eE][-+]?\d+)?)", text or "")
    return float(found.group(1)) if found else 0.0


def _shows(el: ET.Element, paint: str) -> bool:
    value = el.get(paint)
    if paint == "fill" and value is None:
        return True  # SVG fills black by default
    return value is not None and value.lower() not in ("none", "transparent", "")


def _path(d: str) -> tuple[list[Point], list[Point]]:
    """The points of a path Graphviz wrote (absolute M, L, C; Beziers sampled into short
    segments), and its control points."""
    tokens = re.findall(r"[MLCZmlcz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", d)
    points: list[Point] = []
    control: list[Point] = []
    command, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i].upper()
            i += 1
            continue
        if command == "C" and i + 6 <= len(tokens) and points:
            v = [float(t) for t in tokens[i:i + 6]]
            p0, p1, p2, p3 = points[-1], (v[0], v[1]), (v[2], v[3]), (v[4], v[5])
            steps = max(2, min(64, math.ceil((math.dist(p0, p1) + math.dist(p1, p2) +
                                              math.dist(p2, p3)) / 6)))
            for k in range(1, steps + 1):
                t = k / steps
                u = 1 - t
                w = (u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t)
                points.append((w[0] * p0[0] + w[1] * p1[0] + w[2] * p2[0] + w[3] * p3[0],
                               w[0] * p0[1] + w[1] * p1[1] + w[2] * p2[1] + w[3] * p3[1]))
            control += [p1, p2, p3]
            i += 6
        elif i + 2 <= len(tokens):
            p = (float(tokens[i]), float(tokens[i + 1]))
            points.append(p)
            control.append(p)
            i += 2
            if command == "M":
                command = "L"
        else:
            break
    return points, control


def _text_box(el: ET.Element, m: Matrix) -> Box | None:
    text = "".join(el.itertext()).replace("\xa0", " ")
    if not text.strip():
        return None
    size = _number(el.get("font-size")) or 14.0
    width = text_width(text) * size
    x, y = _number(el.get("x")), _number(el.get("y"))
    anchor = el.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return _bounds([_at(m, (left, y - 0.75 * size)), _at(m, (left + width, y + 0.25 * size))])


def _shape_box(el: ET.Element, m: Matrix) -> Box | None:
    tag = el.tag.removeprefix(_NS)
    if tag in ("image", "use"):
        x, y = _number(el.get("x")), _number(el.get("y"))
        w, h = _number(el.get("width")), _number(el.get("height"))
        return _bounds([_at(m, (x, y)), _at(m, (x + w, y + h))]) if w > 0 and h > 0 else None
    if not (_shows(el, "stroke") or _shows(el, "fill")):
        return None
    if tag in ("polygon", "polyline"):
        points = _numbers(el.get("points"))
    elif tag == "path":
        points = _path(el.get("d", ""))[1]
    elif tag == "ellipse":
        cx, cy, rx, ry = (_number(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
        points = [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    else:
        return None
    return _bounds([_at(m, p) for p in points]) if points else None


def _numbers(text: str | None) -> list[Point]:
    v = [float(x) for x in re.findall(r"-?[\d.]+(?:[eE][-+]?\d+)?", text or "")]
    return [(v[i], v[i + 1]) for i in range(0, len(v) - 1, 2)]


def _drawn(g: ET.Element, m: Matrix) -> Iterator[tuple[ET.Element, Matrix]]:
    """The elements a Graphviz group draws, with the transform each is drawn under."""
    for child in g:
        tag = child.tag.removeprefix(_NS)
        cm = _times(m, _matrix(child.get("transform"))) if child.get("transform") else m
        if tag in ("g", "a", "switch"):
            yield from _drawn(child, cm)
        elif tag not in ("title", "desc", "metadata"):
            yield child, cm


def _title(g: ET.Element) -> str:
    el = g.find(f"{_NS}title")
    return (el.text or "").strip() if el is not None else ""


def read_svg(data: bytes) -> Drawing:
    """What a Graphviz SVG shows: its nodes, clusters and visible edges."""
    root = ET.fromstring(data)
    view = [float(x) for x in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if x]
    if len(view) == 4:
        drawing = Drawing(view[2], view[3])
    else:
        drawing = Drawing(_number(root.get("width")), _number(root.get("height")))
    edges: list[tuple[str, list[Point], list[list[Point]], Box | None, list[Point]]] = []

    def walk(el: ET.Element, m: Matrix) -> None:
        for g in el:
            if g.tag.removeprefix(_NS) not in ("g", "a", "switch"):
                continue
            gm = _times(m, _matrix(g.get("transform"))) if g.get("transform") else m
            kind = g.get("class", "")
            if kind == "node":
                _read_node(drawing, g, gm)
            elif kind == "cluster":
                _read_frame(drawing, g, gm)
            elif kind == "edge":
                edges.append(_read_edge(g, gm))
            else:
                if kind == "graph":
                    drawing.scale = abs(gm[0]) or 1.0
                walk(g, gm)

    walk(root, _IDENTITY)
    for title, points, arrows, label, control in edges:
        if len(points) < 2:
            continue
        tail, head = _ends(title, drawing.nodes)
        tipped = _with_tips(points, arrows)
        at_end, at_start = tipped[-1] != points[-1], tipped[0] != points[0]
        drawing.lines.append(Line(tail, head, tipped, label, at_end - at_start,
                                  (at_start, at_end), control))
    return drawing


def _read_node(drawing: Drawing, g: ET.Element, m: Matrix) -> None:
    icon: Box | None = None
    texts: list[Box] = []
    for el, em in _drawn(g, m):
        if el.tag == f"{_NS}text":
            box = _text_box(el, em) if _shows(el, "fill") else None
            if box:
                texts.append(box)
        else:
            shape = _shape_box(el, em)
            if shape:
                icon = _union(icon, shape)
    whole = icon
    for t in texts:
        whole = _union(whole, t)
    if whole is not None:
        drawing.nodes[_title(g)] = Shape(_title(g), whole, icon or whole, texts)


def _read_frame(drawing: Drawing, g: ET.Element, m: Matrix) -> None:
    box: Box | None = None
    visible = False
    titles: list[Box] = []
    for el, em in _drawn(g, m):
        tag = el.tag.removeprefix(_NS)
        if tag == "text":
            t = _text_box(el, em)
            if t:
                titles.append(t)
        elif tag in ("polygon", "path") and box is None:
            points = _numbers(el.get("points")) if tag == "polygon" else _path(el.get("d", ""))[1]
            if points:
                box = _bounds([_at(em, p) for p in points])
                visible = _shows(el, "stroke") or _shows(el, "fill")
    if box is not None:
        drawing.frames[_title(g)] = Frame(_title(g), box, visible, titles)


def _read_edge(g: ET.Element, m: Matrix
               ) -> tuple[str, list[Point], list[list[Point]], Box | None, list[Point]]:
    points: list[Point] = []
    control: list[Point] = []
    arrows: list[list[Point]] = []
    label: Box | None = None
    for el, em in _drawn(g, m):
        tag = el.tag.removeprefix(_NS)
        if tag == "path" and not points and _shows(el, "stroke"):
            drawn, given = _path(el.get("d", ""))
            points, control = [_at(em, p) for p in drawn], [_at(em, p) for p in given]
        elif tag == "polygon" and (_shows(el, "stroke") or _shows(el, "fill")):
            arrows.append([_at(em, p) for p in _numbers(el.get("points"))])
        elif tag == "text" and _shows(el, "fill"):
            t = _text_box(el, em)
            if t:
                label = _union(label, t)  # the lines of one label
    return _title(g), points, arrows, label, control


def _ends(title: str, nodes: dict[str, Shape]) -> tuple[str, str]:
    for sep in ("->", "--"):
        parts = title.split(sep)
        for k in range(1, len(parts)):
            tail, head = sep.join(parts[:k]), sep.join(parts[k:])
            if tail in nodes and head in nodes:
                return tail, head
    return title, ""


def _with_tips(points: list[Point], arrows: list[list[Point]]) -> list[Point]:
    """The polyline carried on to the tip of each arrowhead: an arrow belongs to the end it
    touches, and its tip is its corner furthest from that end."""
    head: Point | None = None
    tail: Point | None = None
    for arrow in arrows:
        if len(arrow) < 3:
            continue
        near_head = min(math.dist(p, points[-1]) for p in arrow)
        near_tail = min(math.dist(p, points[0]) for p in arrow)
        if min(near_head, near_tail) > 6:
            continue
        end = points[-1] if near_head <= near_tail else points[0]
        tip = max(arrow, key=lambda p: math.dist(p, end))
        if near_head <= near_tail:
            head = tip
        else:
            tail = tip
    return ([tail] if tail else []) + points + ([head] if head else [])


# ---------------------------------------------------------------------------- scoring

@dataclass
class _End:
    key: str  # "node NAME" or "frame NAME"
    box: Box
    frames: set[str]  # the clusters that hold this end


def _ends_of(drawing: Drawing) -> list[tuple[_End, _End]]:
    """What each line runs between: a node, or a box where the line is cut at its border."""
    members = {f: {n for n, s in drawing.nodes.items()
                   if _inside(((s.icon[0] + s.icon[2]) / 2, (s.icon[1] + s.icon[3]) / 2),
                              frame.box)}
               for f, frame in drawing.frames.items()}
    holders = {f: {o for o, other in drawing.frames.items() if _contains(other.box, frame.box)}
               for f, frame in drawing.frames.items()}

    def end(name: str, p: Point) -> _End:
        shape = drawing.nodes.get(name)
        if shape is None:
            return _End("? " + name, (p[0], p[1], p[0], p[1]), set())
        to_node = _to_box(p, shape.box)
        cut = [(_to_border(p, drawing.frames[f].box), f) for f, held in members.items()
               if name in held]
        cut = [c for c in cut if c[0] <= ON_BORDER and c[0] < to_node]
        if cut:
            frame = min(cut)[1]
            return _End("frame " + frame, drawing.frames[frame].box, holders[frame])
        return _End("node " + name, shape.box, {f for f, held in members.items() if name in held})

    return [(end(e.tail, e.points[0]), end(e.head, e.points[-1])) for e in drawing.lines]


def score(drawing: Drawing) -> Score:
    """Count the defects of a drawing (see the module's docstring)."""
    lines = drawing.lines
    # the diagonal of what is drawn, in the lines' own units (dot's SVG at a dpi other than
    # 72 scales its graph but not its viewBox)
    drawn = [s.box for s in drawing.nodes.values()] + [f.box for f in drawing.frames.values()]
    drawn += [_bounds(e.points) for e in lines]
    extent = _bounds([p for b in drawn for p in ((b[0], b[1]), (b[2], b[3]))]) if drawn else None
    diagonal = max(math.hypot(extent[2] - extent[0], extent[3] - extent[1]) if extent else 0.0,
                   1.0)
    ends = _ends_of(drawing)
    crossings = _crossings(lines, ends)

    # each edge's bounding box first: clipping every segment against every node and box
    # took 15 s for one drawing of 150 nodes and 590 edges (the search draws several)
    hulls = [_bounds(e.points) for e in lines]
    shapes = [(name, _shrunk(shape.box, SHRINK)) for name, shape in drawing.nodes.items()]
    frames = [(name, _shrunk(frame.box, SHRINK)) for name, frame in drawing.frames.items()
              if frame.visible]
    titles = [_shrunk(t, 1.0) for frame in drawing.frames.values() for t in frame.titles]
    through_nodes = 0
    for e, hull in zip(lines, hulls, strict=True):
        for name, box in shapes:
            if name not in (e.tail, e.head) and _meets(hull, box) and _enters(e.points, box):
                through_nodes += 1
    through_boxes = 0
    for e, hull, (a, b) in zip(lines, hulls, ends, strict=True):
        skip = a.frames | b.frames
        for name, box in frames:
            if name not in skip and _meets(hull, box) and _enters(e.points, box):
                through_boxes += 1

    detours = [_length(e.points) / max(math.dist(e.points[0], e.points[-1]), 1.0)
               for e, (a, b) in zip(lines, ends, strict=True)
               if a.key != b.key and math.dist(e.points[0], e.points[-1]) > 1e-6]

    labels = [(k, _shrunk(e.label, 1.0), e.label) for k, e in enumerate(lines) if e.label]
    over_node = sum(1 for _, lb, _ in labels for s in drawing.nodes.values()
                    if _overlap(lb, _shrunk(s.box, 1.0)))
    over_label = sum(1 for i, (_, a, _) in enumerate(labels) for _, b, _ in labels[i + 1:]
                     if _overlap(a, b))
    distances = [label_distance(lines[k]) for k, _, _ in labels]
    text_pairs: set[tuple[str, str]] = set()
    for a_name, a_shape in drawing.nodes.items():
        for b_name, b_shape in drawing.nodes.items():
            if a_name != b_name and _overlap(a_shape.box, b_shape.box) and any(
                    _overlap(_shrunk(t, 1.0), _shrunk(b_shape.box, 1.0)) for t in a_shape.texts):
                text_pairs.add((min(a_name, b_name), max(a_name, b_name)))

    return Score(
        width=drawing.width, height=drawing.height, crossings=crossings,
        through_nodes=through_nodes, through_boxes=through_boxes,
        label_over_node=over_node, label_over_label=over_label,
        label_far=sum(1 for d in distances if d > LABEL_NEAR),
        text_over_node=len(text_pairs),
        detour_max=max(detours, default=1.0),
        detours=sum(1 for d in detours if d > DETOUR),
        label_distance_max=max(distances, default=0.0),
        label_over_title=sum(1 for _, lb, _ in labels for f in drawing.frames.values()
                             for t in f.titles if _overlap(lb, _shrunk(t, 1.0))),
        line_over_title=sum(1 for e, hull in zip(lines, hulls, strict=True)
                            for t in titles if _meets(hull, t) and _enters(e.points, t)),
        label_on_box=len(on_boxes(drawing)),
        against=_against(lines),
        loops=sum(1 for e in lines if _stray(e.points) > LOOP_OUT * diagonal),
        longest=max((_length(e.points) for e in lines), default=0.0) / diagonal,
    )


def _stray(points: list[Point]) -> float:
    """How far a line runs outside the box of its two ends."""
    (ax, ay), (bx, by) = points[0], points[-1]
    left, right, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    return max((max(left - x, x - right, top - y, y - bottom) for x, y in points),
               default=0.0)


def label_distance(line: Line) -> float:
    """How far a line's label is from the line as drawn (0 without a label)."""
    if line.label is None:
        return 0.0
    label = line.label
    return min(_segment_to_box(p, q, label)
               for p, q in zip(line.points, line.points[1:], strict=False))


def far_labels(drawing: Drawing) -> list[tuple[str, str]]:
    """The edges (tail, head) whose labels are more than LABEL_NEAR from their drawn lines."""
    return [(e.tail, e.head) for e in drawing.lines if label_distance(e) > LABEL_NEAR]


def cut_ends(drawing: Drawing) -> list[tuple[bool, bool]]:
    """For each line, whether its tail and its head are cut at a box's border (lhead /
    ltail: the box is that end)."""
    return [(a.key.startswith("frame "), b.key.startswith("frame "))
            for a, b in _ends_of(drawing)]


def far_box_labels(drawing: Drawing) -> list[tuple[str, str]]:
    """The edges (tail, head) to or from a box (cut at its border) whose labels are more
    than LABEL_NEAR from their drawn lines."""
    return [(e.tail, e.head) for e, (a, b) in zip(drawing.lines, _ends_of(drawing), strict=True)
            if (a.key.startswith("frame ") or b.key.startswith("frame "))
            and label_distance(e) > LABEL_NEAR]


def on_boxes(drawing: Drawing) -> list[int]:
    """The lines (indexes) whose labels touch a box: within TOUCH of a visible box's border
    line or within TITLE_NEAR of a box's title."""
    frames = [f.box for f in drawing.frames.values() if f.visible]
    titles = [t for f in drawing.frames.values() for t in f.titles]
    return [k for k, e in enumerate(drawing.lines)
            if e.label is not None and touches(e.label, frames, titles, drawing.scale)]


def touches(label: Box, frames: list[Box], titles: list[Box], scale: float = 1.0) -> bool:
    """Whether a label's box, grown by TOUCH, meets the border line of one of `frames`
    (neither inside the box nor outside it), or grown by TITLE_NEAR points (`scale` drawn
    units a point) meets one of `titles`."""
    grown = _shrunk(label, -TOUCH)
    across, up = TITLE_NEAR[0] * scale, TITLE_NEAR[1] * scale
    near = (label[0] - across, label[1] - up, label[2] + across, label[3] + up)
    return any(_overlap(grown, box) and not _contains(box, grown, 0.0) for box in frames) \
        or any(_overlap(near, t) for t in titles)


def _against(lines: list[Line]) -> tuple[int, int, int, int]:
    """Edges with one arrow whose tip stands more than AGAINST_PT up from where the edge
    leaves, down, left, right (y grows downwards): those drawn against TB, BT, LR, RL."""
    up = down = left = right = 0
    for e in lines:
        if not e.arrow:
            continue
        (fx, fy), (tx, ty) = (e.points[0], e.points[-1])[::e.arrow]
        up += ty < fy - AGAINST_PT
        down += ty > fy + AGAINST_PT
        left += tx < fx - AGAINST_PT
        right += tx > fx + AGAINST_PT
    return up, down, left, right


def _crossings(lines: list[Line], ends: list[tuple[_End, _End]]) -> int:
    """Pairs of edges that cross away from an end they share (segments bucketed in a grid
    of 48 pt cells, so a large drawing is not every segment against every other)."""
    cell = 48.0
    grid: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}
    for k, e in enumerate(lines):
        for a, b in zip(e.points, e.points[1:], strict=False):
            for gx in range(math.floor(min(a[0], b[0]) / cell),
                            math.floor(max(a[0], b[0]) / cell) + 1):
                for gy in range(math.floor(min(a[1], b[1]) / cell),
                                math.floor(max(a[1], b[1]) / cell) + 1):
                    grid.setdefault((gx, gy), []).append((k, a, b))
    crossed: set[tuple[int, int]] = set()
    near: dict[tuple[int, int], list[Box]] = {}
    for bucket in grid.values():
        for x, (i, a, b) in enumerate(bucket):
            for j, c, d in bucket[x + 1:]:
                pair = (min(i, j), max(i, j))
                if i == j or pair in crossed:
                    continue
                p = _crossing(a, b, c, d)
                if p is None:
                    continue
                if pair not in near:
                    near[pair] = _shared(lines, ends, *pair)
                if all(_to_box(p, box) > SHARED_END for box in near[pair]):
                    crossed.add(pair)
    return len(crossed)


def _shared(lines: list[Line], ends: list[tuple[_End, _End]], i: int, j: int) -> list[Box]:
    """Where two edges meet at an end they share: its box and where each stops at it."""
    boxes: list[Box] = []
    for end_i, at_i in zip(ends[i], (lines[i].points[0], lines[i].points[-1]), strict=True):
        for end_j, at_j in zip(ends[j], (lines[j].points[0], lines[j].points[-1]),
                               strict=True):
            if end_i.key == end_j.key:
                boxes += [end_i.box, (*at_i, *at_i), (*at_j, *at_j)]
    return boxes


def measure_svg(data: bytes) -> Score:
    return score(read_svg(data))
