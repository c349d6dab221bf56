"""Where an edge label set at one end of its line lands (arch/ends.py), against Graphviz."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest

from arch.ends import end_for, where
from arch.measure import read_svg

from .test_measure import edge, node, svg

GRAPH = "digraph {{ rankdir=LR; a -> c; a -> b [{}]; c -> b; x -> b; }}"


@pytest.mark.graphviz
@pytest.mark.parametrize(("attrs", "which"), [
    ('headlabel="copy", labelangle=40, labeldistance=3', "head"),
    ('taillabel="copy", labelangle=-70, labeldistance=5', "tail"),
    ('headlabel="copy", labelangle=-120.5, labeldistance=12', "head"),
    ('taillabel="copy", labelangle=170, labeldistance=8, dir=back', "tail"),  # arrow at tail
    ('headlabel="copy", labelangle=10, labeldistance=20, arrowhead=none', "head"),
])
def test_an_end_label_lands_where_graphviz_sets_it(attrs: str, which: str) -> None:
    """ends.where (Graphviz's place_portlabel: from the arrow's tip or the curve's end,
    at labelangle from the line's way out, y up) and end_for, its inverse, within a point
    of where dot draws the label's text, with and without arrowheads, near and far."""
    dot = shutil.which("dot")
    assert dot is not None
    drawing = read_svg(subprocess.run([dot, "-Tsvg"], input=GRAPH.format(attrs).encode(),
                                      capture_output=True, check=True).stdout)
    [line] = [e for e in drawing.lines if (e.tail, e.head) == ("a", "b")]
    assert line.label is not None
    angle = attrs.split("labelangle=")[1].split(",")[0]
    distance = attrs.split("labeldistance=")[1].split(",")[0]
    size = (line.label[2] - line.label[0], line.label[3] - line.label[1])
    box = where(line, (which, angle, distance), size, drawing.scale)
    drawn = ((line.label[0] + line.label[2]) / 2, (line.label[1] + line.label[3]) / 2)
    assert math.dist(drawn, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)) < 1.0
    back = end_for(line, which, drawn, drawing.scale)
    assert back[0] == which and abs(float(back[2]) - float(distance)) < 0.1
    assert abs((float(back[1]) - float(angle) + 180) % 360 - 180) < 1.0


def test_a_spot_beside_the_line_is_clear_of_boxes_titles_and_nodes() -> None:
    """clear_end: the label of a line that runs down across a box's top border is set
    beside the line's middle where that is clear, and not on the border nor the title."""
    from arch.ends import clear_end
    from arch.measure import touches

    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">Serving</text></g>')
    drawing = read_svg(svg(titled, node("a", 230, -420), node("b", 230, -140),
                           edge("a", "b", (250, -420), (250, -300), (250, -180),
                                label="copy", at=(250, -296))))
    k = next(k for k, e in enumerate(drawing.lines) if e.label)
    line = drawing.lines[k]
    assert line.label is not None
    frames = [f.box for f in drawing.frames.values() if f.visible]
    titles = [t for f in drawing.frames.values() for t in f.titles]
    assert touches(line.label, frames, titles)
    end = clear_end(drawing, k)
    assert end is not None
    size = (line.label[2] - line.label[0], line.label[3] - line.label[1])
    box = where(line, end, size)
    assert not touches(box, frames, titles)
    assert not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]
                   for b in (s.box for s in drawing.nodes.values()))
    assert abs((box[0] + box[2]) / 2 - 250) < 60  # beside the line, not far from it
