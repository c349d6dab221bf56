"""The layout measure (arch/measure.py) on small hand-drawn SVGs, and the regression test
that holds every shipped picture at or below its recorded defects."""

from __future__ import annotations

import json

import pytest

from arch.build import Options, render_files
from arch.labels import text_width
from arch.measure import far_box_labels, measure_svg, read_svg

from .conftest import BLUEPRINTS, ROOT

RECORD = ROOT / "tests" / "layout-scores.json"


def svg(*items: str, width: int = 600, height: int = 400) -> bytes:
    """A Graphviz-like SVG: the graph group flips y the way Graphviz does."""
    body = "\n".join(items)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="{width}pt" height="{height}pt" viewBox="0.00 0.00 {width}.00 {height}.00">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(0 {height})">
{body}
</g></svg>""".encode()


def node(name: str, x: float, y: float, size: float = 40) -> str:
    """A node: an icon of size x size whose top left is (x, y) in flipped coordinates."""
    return (f'<g class="node"><title>{name}</title><use xlink:href="#i" x="{x}" '
            f'y="{y - size}" width="{size}" height="{size}"/></g>')


def edge(tail: str, head: str, *points: tuple[float, float], label: str = "",
         at: tuple[float, float] = (0, 0)) -> str:
    d = "M" + " ".join(f"{x},{y}" for x, y in points[:1])
    d += "L" + " ".join(f"{x},{y}" for x, y in points[1:])
    text = (f'<text text-anchor="middle" x="{at[0]}" y="{at[1]}" font-size="11.00" '
            f'fill="#000">{label}</text>') if label else ""
    return (f'<g class="edge"><title>{tail}&#45;&gt;{head}</title>'
            f'<path fill="none" stroke="#000" d="{d}"/>{text}</g>')


def frame(name: str, x0: float, y0: float, x1: float, y1: float) -> str:
    return (f'<g class="cluster"><title>cluster_{name}</title><polygon fill="#fff" '
            f'stroke="#000" points="{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1} {x0},{y0}"/></g>')


def test_two_diagonals_of_a_square_cross_once_and_sides_only_touch() -> None:
    corners = {"a": (0, -300), "b": (300, -300), "c": (300, 0), "d": (0, 0)}
    parts = [node(n, x, y) for n, (x, y) in corners.items()]
    centre = {n: (x + 20, y - 20) for n, (x, y) in corners.items()}
    for t, h in ("ab", "bc", "cd", "da", "ac", "bd"):
        parts.append(edge(t, h, centre[t], centre[h]))
    score = measure_svg(svg(*parts))
    assert score.crossings == 1
    assert score.defects == 1
    assert score.detour_max == pytest.approx(1.0)


def test_an_edge_over_a_third_node_and_through_a_box_holding_neither_end() -> None:
    score = measure_svg(svg(
        node("a", 0, -200), node("m", 200, -200), node("b", 400, -200),
        frame("x", 180, -120, 280, -20), node("x1", 210, -40),
        edge("a", "b", (40, -220), (400, -220)),  # over m
        edge("a", "x1", (40, -200), (210, -60)),  # into its own end's box: fine
        edge("a", "b", (20, -160), (20, -100), (300, -100), (420, -160)),  # through box x
    ))
    assert (score.through_nodes, score.through_boxes) == (1, 1)


def test_an_edge_cut_at_a_box_border_ends_at_the_box() -> None:
    """lhead: Graphviz stops the edge at the box, which must not count as entering it."""
    score = measure_svg(svg(
        node("a", 0, -100), frame("g", 200, -200, 400, 0), node("g1", 300, -100),
        edge("a", "g1", (40, -120), (200, -120)),
    ))
    assert score.defects == 0
    drawing = read_svg(svg(node("a", 0, -100), frame("g", 200, -200, 400, 0)))
    assert set(drawing.frames) == {"cluster_g"}


def test_labels_far_from_their_edge_and_over_a_node_are_counted() -> None:
    score = measure_svg(svg(
        node("a", 0, -300), node("b", 300, -300), node("c", 0, -100), node("d", 300, -100),
        edge("a", "b", (40, -320), (300, -320), label="far away", at=(170, -150)),
        edge("c", "d", (40, -120), (300, -120), label="on d", at=(320, -120)),
    ))
    assert score.label_far == 1  # "on d" sits on its own edge's end
    assert score.label_over_node == 1
    assert score.label_distance_max > 100


def test_far_labels_of_edges_cut_at_a_box_border_and_labels_on_a_border_line() -> None:
    """far_box_labels: only edges drawn from or to a box's border (lhead/ltail) whose labels
    are far; a label over a box's border line is counted apart from defects."""
    parts = [frame("g", 0, -300, 200, -100), node("g1", 80, -180), node("x", 400, -200),
             node("y", 400, -50), node("z", 0, -50)]
    drawing = read_svg(svg(*parts,
                           edge("g1", "x", (200, -220), (400, -220), label="far", at=(100, -280)),
                           edge("z", "y", (40, -70), (400, -70), label="also far", at=(200, -20)),
                           edge("g1", "y", (200, -150), (400, -60), label="near", at=(300, -120))))
    assert far_box_labels(drawing) == [("g1", "x")]
    on = measure_svg(svg(*parts, edge("g1", "x", (200, -220), (400, -220), label="on the line",
                                      at=(200, -225))))
    off = measure_svg(svg(*parts, edge("g1", "x", (200, -220), (400, -220), label="beside",
                                       at=(300, -225))))
    assert (on.label_on_box, off.label_on_box) == (1, 0)
    assert on.defects == off.defects == 0


def test_a_label_touching_a_box_border_or_title_is_on_the_box() -> None:
    """label_on_box: a label within TOUCH (2 pt) of a box's border line, or within
    TITLE_NEAR of its title, reads as the box's (a user's 'replication' 0.5 pt inside zone
    B's top border, by its title), counted apart from defects; 5 pt off the line, or 16 pt
    right of the title, it is not."""
    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">Serving</text></g>')
    parts = [titled, node("a", 0, -150), node("b", 300, -150)]
    route = ((40, -170), (300, -170))

    def at(x: float, y: float) -> int:
        return measure_svg(svg(*parts, edge("a", "b", *route, label="copy",
                                            at=(x, y)))).label_on_box

    # the label's box runs from 0.75 of its 11 pt size above its baseline to 0.25 below
    top, bottom = 0.75 * 11, -0.25 * 11  # from the label's top, bottom to its baseline
    assert at(250, -300 - 1 + bottom) == 1  # its bottom 1 pt over the top border, outside
    assert at(250, -300 + 1 + top) == 1  # its top 1 pt under it, inside
    assert at(250, -300 - 5 + bottom) == 0 and at(250, -300 + 5 + top) == 0
    width = text_width("copy") * 11
    title_end = 106 + text_width("Serving") * 13
    assert at(title_end + 1 + width / 2, -285) == 1  # right of "Serving", 1 pt from it
    assert at(title_end + 14 + width / 2, -285) == 1  # reads on as the title
    assert at(title_end + 16 + width / 2, -285) == 0


def test_a_label_in_the_band_over_a_title_is_on_the_box() -> None:
    """label_on_box: a label stacked over or under a box's title, within TITLE_NEAR's 24 pt,
    reads as a line of the title (a user's 'build marts' 13 pt over "Orchestration", dot's
    rank gap; 'flow logs' over "Regional services"), though it is clear of the border and
    on its own line; 26 pt over the title, or beside it 16 pt away, it is not."""
    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">Serving</text></g>')
    parts = [titled, node("a", 100, -420), node("b", 200, -150)]
    title_top = -285 - 0.75 * 13
    title_end = 106 + text_width("Serving") * 13

    def at(x: float, y: float) -> int:
        # the line runs down through the label to b, entering the box right of the title
        route = ((x, -420), (x, y), (220, -150))
        return measure_svg(svg(*parts, edge("a", "b", *route, label="build marts",
                                            at=(x, y)))).label_on_box

    bottom = 0.25 * 11  # from the label's baseline to its bottom
    assert at(130, title_top - 12 - bottom) == 1  # dot's rank gap over the title
    assert at(130, title_top - 22 - bottom) == 1
    assert at(130, title_top - 26 - bottom) == 0
    width = text_width("build marts") * 11
    assert at(title_end + 16 + width / 2, title_top - 12 - bottom) == 0  # not over it


def test_a_long_way_round_is_a_detour() -> None:
    score = measure_svg(svg(node("a", 0, -300), node("b", 200, -300),
                            edge("a", "b", (40, -320), (40, 0), (200, 0), (200, -320))))
    assert score.detours == 1 and score.detour_max > 1.8


def test_edges_against_each_reading_direction_are_counted_by_their_arrow() -> None:
    """An arrow climbing from the shoppers at the bottom to the CDN above runs against TB;
    one that Graphviz writes from its head (dir=back: the arrowhead at the path's start)
    counts by where its arrow points, not by the order its ends are written in; an edge
    without an arrow, or within 40 pt across, counts for no direction."""
    score = measure_svg(svg(
        node("cdn", 0, -250), node("shoppers", 0, 0), node("waf", 200, -250),
        node("api", 400, -250),
        # shoppers -> cdn, upwards: the arrow's tip at the end of the path
        edge("shoppers", "cdn", (20, -40), (20, -240)).replace(
            "</g>", '<polygon fill="#000" stroke="#000" points="16,-240 20,-250 24,-240 '
            '16,-240"/></g>'),
        # api written first (dir=back), its arrowhead at the path's start: waf -> api, right
        edge("api", "waf", (400, -270), (240, -270)).replace(
            "</g>", '<polygon fill="#000" stroke="#000" points="400,-266 410,-270 400,-274 '
            '400,-266"/></g>'),
        edge("cdn", "waf", (40, -270), (200, -270)),  # no arrow: no direction
    ))
    assert score.against == (1, 0, 0, 1)  # up (against TB), right (against RL)
    assert score.against_flow("TB") == 1 and score.against_flow("BT") == 0
    assert score.against_flow("LR") == 0 and score.against_flow("RL") == 1
    assert score.defects == 0  # information, no defect


def test_an_edge_around_the_poster_is_a_loop_and_the_longest_is_measured() -> None:
    """The backup edge from the far right climbs over everything and comes down at the far
    left: it strays 170 pt (over 8% of the drawing's diagonal: 540 by 270 pt drawn) above
    the box of its two ends, a loop though it crosses nothing; an edge that bows 20 pt out
    of its box is none."""
    score = measure_svg(svg(
        node("db", 500, -100), node("nas", 0, -200), node("a", 200, -100),
        node("b", 300, -100),
        edge("db", "nas", (520, -140), (520, -370), (20, -370), (20, -200)),
        edge("a", "b", (240, -120), (270, -140), (300, -120)),
    ))
    assert score.loops == 1 and score.defects == 0
    assert score.longest == pytest.approx((230 + 500 + 170) / (540**2 + 270**2) ** 0.5)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every shipped blueprint and variant, drawn as SVG."""
    out = tmp_path_factory.mktemp("shipped")
    drawn: dict[str, bytes] = {}
    options = Options(formats=("svg",), all_variants=True)
    for outcome in render_files([str(p) for p in BLUEPRINTS], out, options):
        assert outcome.error is None, outcome.error
        for rendered in outcome.rendered:
            assert not rendered.notes, rendered.notes  # drawn with the layout, no fallback
            for file in rendered.files:
                drawn[file.stem] = file.read_bytes()
    return drawn


@pytest.mark.graphviz
def test_every_shipped_picture_is_no_worse_than_recorded(shipped: dict[str, bytes]) -> None:
    recorded = json.loads(RECORD.read_text())
    assert set(recorded) == set(shipped), "make bench: python bench/layout.py --record"
    worse = {name: (measure_svg(data).defects, recorded[name]["defects"])
             for name, data in shipped.items()
             if measure_svg(data).defects > recorded[name]["defects"]}
    assert not worse, f"defects (now, recorded): {worse}"


def test_an_edge_label_over_a_box_title_is_counted_apart_from_defects() -> None:
    """A label printed on a box's title is counted (label_over_title: arrange prefers the
    drawing with fewer), but is no defect; the same label beside the title is not."""
    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">Serving</text></g>')
    parts = [titled, node("a", 0, -150), node("b", 300, -150)]
    route = ((40, -170), (140, -295), (300, -170))  # over the box's top-left corner
    on = measure_svg(svg(*parts, edge("a", "b", *route, label="aggregates", at=(140, -288))))
    beside = measure_svg(svg(*parts, edge("a", "b", *route, label="aggregates",
                                          at=(250, -215))))
    assert on.label_over_title == 1 and beside.label_over_title == 0
    assert on.defects == beside.defects


def test_an_edge_line_over_a_box_title_is_counted_apart_from_defects() -> None:
    """A line that strikes through a box's title ("App 10.0.10.0/24", the edge from the
    subnet's task up to the NAT gateway) is counted (line_over_title: arrange weighs it
    after the labels on titles), but is no defect; the same line past the title is not."""
    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">App subnet</text>'
              '</g>')
    parts = [titled, node("task", 120, -120), node("nat", 120, -360)]
    through = measure_svg(svg(*parts, edge("task", "nat", (140, -160), (140, -360))))
    past = measure_svg(svg(*parts, node("nat2", 330, -360),
                           edge("task", "nat2", (160, -140), (350, -200), (350, -360))))
    assert through.line_over_title == 1 and past.line_over_title == 0
    assert through.defects == past.defects == 0


def test_of_two_drawings_alike_but_for_a_line_over_a_title_the_choice_takes_the_other(
        ) -> None:
    """arrange._rank: with the same defects, labels on titles and width / height, the
    drawing whose edges pass no box's title ranks first."""
    from arch.arrange import _rank
    from arch.validate import parse_blueprint

    blueprint = parse_blueprint("blueprint: 1\ntitle: T\nprovider: aws\nnodes: [EC2]\n", "t.yaml")
    titled = ('<g class="cluster"><title>cluster_s</title><polygon fill="#fff" stroke="#000" '
              'points="100,-300 400,-300 400,-100 100,-100 100,-300"/>'
              '<text text-anchor="start" x="106" y="-285" font-size="13.00">App subnet</text>'
              '</g>')
    parts = [titled, node("task", 120, -120), node("nat", 120, -360), node("nat2", 330, -360)]
    through = svg(*parts, edge("task", "nat", (140, -160), (140, -360)))
    past = svg(*parts, edge("task", "nat2", (160, -140), (350, -200), (350, -360)))
    assert _rank(blueprint, past, [])[0] < _rank(blueprint, through, [])[0]
