"""Choosing how the edges between top-level rows are drawn (arch/arrange.py)."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import signal
import threading
import time
from pathlib import Path

import pytest

from arch import arrange, lifecycle
from arch.build import Options, render_files
from arch.compile import LANES, compile_blueprint, poster_shapes, top_rows
from arch.layout import BY_EDGES, BY_RULE, WITH_FLOW, Copies
from arch.measure import Drawing, far_box_labels, far_labels, measure_svg, on_boxes, read_svg
from arch.model import Blueprint
from arch.render import Refused, layout_svg
from arch.validate import load_blueprint
from arch.variants import apply_variant

from .conftest import ROOT
from .test_measure import edge, frame, node, svg

SEED = ROOT / "blueprints" / "aws-web-app.yaml"


def test_rows_in_order_means_every_part_above_every_part_of_the_next_row() -> None:
    upper, lower = [frame("a", 0, -300, 200, -200), node("n", 300, -210)], \
        [frame("b", 0, -150, 200, -50)]
    assert arrange.in_order(read_svg(svg(*upper, *lower)), [["a", "n"], ["b"]])
    # n reaches down into the second row: out of order
    assert not arrange.in_order(read_svg(svg(*upper, *lower)), [["b"], ["a", "n"]])
    tall = node("n", 300, -120)  # its icon's bottom at y=-120, below b's top
    assert not arrange.in_order(read_svg(svg(upper[0], tall, *lower)), [["a", "n"], ["b"]])


def test_drawn_tb_rows_in_order_means_every_part_left_of_every_part_of_the_next() -> None:
    """In TB and BT rows are columns, left to right: the same two boxes side by side are in
    order as columns, and not as rows."""
    left, right = frame("a", 0, -300, 200, -100), frame("b", 250, -250, 450, -50)
    drawing = read_svg(svg(left, right))
    assert arrange.in_order(drawing, [["a"], ["b"]], "TB")
    assert not arrange.in_order(drawing, [["b"], ["a"]], "BT")
    assert not arrange.in_order(drawing, [["a"], ["b"]])  # LR: b is not under a


def test_of_two_drawings_alike_the_one_whose_edge_loops_around_ranks_worse() -> None:
    """Same defects, same size: the drawing whose edge from the right end climbs over the
    whole picture to the left end (a loop, measure.LOOP_OUT) ranks after the one whose
    edge runs straight along the bottom."""
    blueprint = load_blueprint(str(ROOT / "blueprints" / "readme-example.yaml"))
    ends = [node("db", 500, -100), node("nas", 0, -100)]
    straight = svg(*ends, edge("db", "nas", (500, -120), (40, -120)))
    around = svg(*ends, edge("db", "nas", (520, -140), (520, -370), (20, -370), (20, -140)))
    assert measure_svg(around).loops == 1 and measure_svg(straight).loops == 0
    assert measure_svg(around).defects == measure_svg(straight).defects == 0
    assert arrange._rank(blueprint, straight, [])[0] < arrange._rank(blueprint, around, [])[0]


@pytest.mark.graphviz
def test_the_seed_drawn_tb_keeps_its_rows_as_columns(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn TB the seed's rows are columns, left to right as written: every candidate was
    taken for out of order (rows measured top to bottom), and the data column was chosen
    left of the request column."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "seed.yaml"
    path.write_text(SEED.read_text(encoding="utf-8").replace("direction: LR", "direction: TB"),
                    encoding="utf-8")
    [outcome] = render_files([str(path)], tmp_path / "out", Options(formats=("svg",)))
    assert outcome.error is None
    [rendered] = outcome.rendered
    drawing = read_svg(rendered.files[0].read_bytes())
    assert arrange.in_order(drawing, top_rows(load_blueprint(str(path))), "TB")


@pytest.mark.graphviz
@pytest.mark.parametrize("variant", [None, "lightsail"])
def test_the_rows_are_kept_whenever_a_candidate_keeps_them(variant: str | None,
                                                           tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(SEED))
    bp = apply_variant(bp, variant) if variant else bp
    rows = top_rows(bp)
    kept = {}
    for lanes, groups in arrange.CANDIDATES:
        drawn = layout_svg(bp, compile_blueprint(bp, lanes=lanes, row_groups=groups))
        kept[(lanes, groups)] = drawn is not None and arrange.in_order(read_svg(drawn), rows)
    assert any(kept.values())  # true of the seed and this variant with Graphviz 2.42/2.43
    lanes, groups, shape, placing, _, _, _ = arrange.choose(bp)
    assert kept[(lanes, groups)] and shape == 0 and placing  # written rows: no other shape


@pytest.mark.graphviz
def test_the_choice_is_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    drawn: list[str] = []

    def counting(bp: object, source: str, timeout: float = 0) -> bytes | None:
        drawn.append(source)
        return layout_svg(bp, source, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", counting)
    bp = load_blueprint(str(SEED))
    first = arrange.choose(bp)
    # written rows: no shapes to try; lanes for all edges between rows (the rows out of
    # order), for those into the next row down, and those with row groups (not lanes for
    # none, nor all with row groups: _search); a drawing more with each box's flow leaving
    # from its last row, which puts the application layer in order (_rows_led); one for its
    # "deploy" on a box's corner, beside its line from an end (_labels_clear). Each
    # program drawn once (the search drew eight before).
    assert len(drawn) == len(set(drawn)) and 2 <= len(drawn) <= 5
    drawn.clear()
    assert arrange.choose(bp) == first and drawn == []  # the second time draws nothing


@pytest.mark.graphviz
def test_a_first_candidate_that_cannot_be_beaten_is_the_only_one_drawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's example drawn with lanes for every edge between its rows keeps them in
    order, in range, with no defect, label or line on a title, or loop: no other way of
    drawing those edges is (lanes for none drew the same, a drawing for nothing)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    drawn: list[str] = []

    def counting(bp: object, source: str, timeout: float = 0) -> bytes | None:
        drawn.append(source)
        return layout_svg(bp, source, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", counting)
    bp = load_blueprint(str(ROOT / "blueprints" / "readme-example.yaml"))
    lanes, groups, shape, placing, _, _, led = arrange.choose(bp)
    first = compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape,
                              placing=placing)
    assert (lanes, groups) == arrange.CANDIDATES[0] and drawn[0] == first
    assert compile_blueprint(bp, lanes="none") not in drawn
    # besides, one drawing with the rows led (_rows_led), which it keeps
    assert len(drawn) == 2 and led


@pytest.mark.graphviz
def test_a_choice_made_with_a_failed_drawing_is_not_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A drawing that fails may fail for a passing reason (dot could not start, memory, a
    busy machine's time per layout): the choice made without it is used for this render
    and searched again on the next, not remembered for every later one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    drawn: list[str] = []

    def second_fails(bp: object, source: str, timeout: float = 0) -> bytes | None:
        drawn.append(source)
        return None if len(drawn) == 2 else layout_svg(bp, source, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", second_fails)
    bp = load_blueprint(str(SEED))
    arrange.choose(bp)
    drawn.clear()

    def counting(bp: object, source: str, timeout: float = 0) -> bytes | None:
        drawn.append(source)
        return layout_svg(bp, source, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", counting)
    arrange.choose(bp)
    assert drawn  # searched again
    drawn.clear()
    arrange.choose(bp)
    assert drawn == []  # every drawing made: remembered


@pytest.mark.graphviz
def test_a_drawing_dot_refuses_is_no_failure_and_the_choice_is_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dot refuses some programs with an error of its own (`trouble in init_rank` on a
    placement of the 60-node event bus case, here a broken label), the same on every run:
    layout_svg says so (Refused), and a choice made without such a drawing is remembered,
    where the event bus case was searched again on every render."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(SEED))
    source = compile_blueprint(bp)
    broken = source.replace("</TD>", "</TX>", 1)
    assert broken != source
    with pytest.raises(Refused):
        layout_svg(bp, broken)
    drawn: list[str] = []

    def second_refused(bp: object, source: str, timeout: float = 0) -> bytes | None:
        drawn.append(source)
        if len(drawn) == 2:
            raise Refused("Error: trouble in init_rank")
        return layout_svg(bp, source, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", second_refused)
    arrange.choose(bp)
    assert len(drawn) > 2
    drawn.clear()
    arrange.choose(bp)
    assert drawn == []  # remembered


def test_one_row_has_nothing_to_choose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(arrange, "layout_svg", lambda *a: pytest.fail("drew a layout"))
    path = tmp_path / "chain.yaml"  # a flow of three parts, nothing else: one row
    path.write_text("blueprint: 1\ntitle: T\nprovider: aws\nnodes: [Users, CloudFront, S3]\n"
                    "edges: ['users -> cloudfront -> s3']\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    assert len(top_rows(bp)) == 1
    assert arrange.choose(bp) == (*arrange.CANDIDATES[0], 0, True, False, False, False)


@pytest.mark.graphviz
def test_a_remembered_choice_compiles_no_candidate(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(SEED))
    first = arrange.choose(bp)
    monkeypatch.setattr(arrange, "compile_blueprint",
                        lambda *a, **k: pytest.fail("compiled a candidate"))
    assert arrange.choose(bp) == first


def test_the_choice_is_keyed_by_content_not_by_where_it_is_written(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    moved = tmp_path / "elsewhere" / SEED.name
    moved.parent.mkdir()
    moved.write_text("# a comment moves every line down\n\n" + text, encoding="utf-8")
    edited = tmp_path / SEED.name
    edited.write_text(text.replace("label: Route 53", "label: Route 54"), encoding="utf-8")
    key = arrange.choice_key(load_blueprint(str(SEED)))
    assert arrange.choice_key(load_blueprint(str(moved))) == key
    assert arrange.choice_key(load_blueprint(str(edited))) != key


@pytest.mark.graphviz
def test_a_poster_without_rows_is_packed_into_a_landscape(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Sixty nodes in eight services around an event bus: the size estimate packs them into
    a tower (0.3 as wide as high); the drawings step to fewer rows until it is landscape."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-event-bus.yaml"))
    lanes, groups, shape, placing, _, _, _ = arrange.choose(bp)
    assert shape < 0 and not groups and placing
    drawn = layout_svg(bp, compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape,
                                             placing=placing))
    assert drawn is not None
    assert 1.2 <= measure_svg(drawn).aspect <= 2.4


def _seed_orders() -> list[list[list[str]]]:
    """The seed's rows in other orders: the one the issue found failing in init_rank, and
    two shuffles of rows and of parts in rows (fixed)."""
    rows = [list(r) for r in load_blueprint(str(SEED)).layout.rows]
    orders = [[rows[0], ["dashboards", "storage", "warehouse", "analytics", "events",
                         "nosql-regional"], ["monitoring", "rapid", "iac", "deploy"]],
              # every candidate drew the build row under the request row before the points
              # that lead the rows were chained (row groups)
              [["dashboards", "analytics", "warehouse", "storage", "nosql-regional", "events"],
               ["iac", "rapid", "deploy", "monitoring"], ["api", "cdn", "users", "dns", "vpc"]]]
    rng = random.Random(7)
    for _ in range(2):
        shuffled = [r[:] for r in rows]
        for r in shuffled:
            rng.shuffle(r)
        rng.shuffle(shuffled)
        orders.append(shuffled)
    return orders


@pytest.mark.graphviz
@pytest.mark.parametrize("order", _seed_orders(),
                         ids=["init-rank", "rows-swapped", "shuffle-1", "shuffle-2"])
def test_the_seed_in_other_row_orders_renders_with_its_rows_kept(
        order: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("  rows:\n"), text.index("  alternatives_label:")
    rows = "".join(f"    - [{', '.join(r)}]\n" for r in order)
    path = tmp_path / "seed.yaml"
    path.write_text(text[:start] + "  rows:\n" + rows + text[end:], encoding="utf-8")
    [outcome] = render_files([str(path)], tmp_path / "out", Options(formats=("svg",)))
    assert outcome.error is None
    [rendered] = outcome.rendered
    assert not rendered.notes  # drawn with its layout, no fallback
    bp = load_blueprint(str(path))
    drawing = read_svg(rendered.files[0].read_bytes())
    assert arrange.in_order(drawing, top_rows(bp))
    for row in order:  # each part in its place in the row, left to right as written
        lefts = [drawing.frames[f"cluster_{p}"].box[0] if f"cluster_{p}" in drawing.frames
                 else drawing.nodes[p].box[0] for p in row]
        assert lefts == sorted(lefts), dict(zip(row, lefts, strict=True))


@pytest.mark.graphviz
def test_services_and_a_bus_that_calls_them_back_make_a_landscape(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user's blueprint without rows: services write to a data box and publish to an
    event bus whose workflow calls a service back. The data box follows the services in the
    main flow (four edges join them, one the bus), the bus goes below, and the picture is a
    landscape (it was 0.91 as wide as high with the bus's box stacked on the services')."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-serverless-saas.yaml"))
    lanes, groups, shape, placing, _, _, _ = arrange.choose(bp)
    source = compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing)
    drawn = layout_svg(bp, source)
    assert drawn is not None
    assert 1.2 <= measure_svg(drawn).aspect <= 2.4
    rows = top_rows(bp, shape)
    assert rows[0] == ["users", "api", "compute", "data"]
    assert any("async" in row for row in rows[1:])
    assert arrange.in_order(read_svg(drawn), rows)


@pytest.mark.graphviz
def test_a_placed_poster_is_drawn_against_the_main_flow_rule(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten parts without rows: the poster placed by its edges is not always drawn better
    than the main flow rule's, nor than the one placed to read with the flow, so the
    search draws all three; the best one is drawn with every way of drawing the edges
    between rows; the choice is remembered. A handful of layouts: at most three shapes of
    each kind and two more ways of lanes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    drawn: list[str] = []

    def record(bp: object, source: str, *rest: object) -> bytes | None:
        drawn.append(source)
        return layout_svg(bp, source, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(arrange, "layout_svg", record)
    nodes = ", ".join(f"{{id: n{i}, type: EC2}}" for i in range(10))
    edges = ", ".join(f"n{i} -> n{(3 * i + 1) % 10}" for i in range(10))
    path = tmp_path / "ten.yaml"
    path.write_text(f"blueprint: 1\ntitle: T\nprovider: aws\nnodes: [{nodes}]\n"
                    f"edges: [{edges}]\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    assert compile_blueprint(bp, placing=BY_RULE) != compile_blueprint(bp)
    assert compile_blueprint(bp, placing=WITH_FLOW) != compile_blueprint(bp)
    choice = arrange.choose(bp)
    for placing in (BY_EDGES, BY_RULE, WITH_FLOW):  # each kind of poster is drawn
        fewest, most = poster_shapes(bp, placing=placing)
        assert any(compile_blueprint(bp, shape=shape, placing=placing) in drawn
                   for shape in range(fewest, most + 1)), placing
    for lanes in LANES:  # the winner's poster, every way of lanes
        assert compile_blueprint(bp, lanes=lanes, shape=choice[2], placing=choice[3]) in drawn
    assert len(drawn) <= 3 * arrange.POSTER_TRIES + len(LANES) - 1
    assert arrange.choose(bp) == choice  # remembered, with which kind of poster won


@pytest.mark.graphviz
def test_a_poster_around_an_event_bus_reads_from_its_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's 60 nodes in eight service boxes around a bus: the rows chosen read from the
    entry on (each of these parts before the next, in its row or a row above), where the
    poster placed by its edges alone, chosen before, set Payments and Orders before the API
    that feeds them in one row (23 crossings; with the flow 6)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-grocery-bus.yaml"))
    choice = arrange.choose(bp)
    rows = top_rows(bp, choice[2], choice[3])
    spot = {p: (r, i) for r, row in enumerate(rows) for i, p in enumerate(row)}
    flow = ["shoppers", "cdn", "waf", "api", "orders", "payments"]
    assert all(spot[a] < spot[b] for a, b in zip(flow, flow[1:], strict=False)), rows


def test_a_blueprint_of_many_edges_gets_the_first_candidate_undrawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """30 nodes joined by 601 edges: each layout of such a graph takes seconds (40 nodes and
    3,000 edges: 10 s, and the search's fourteen took minutes), so none is drawn."""
    def no_drawing(*args: object) -> bytes | None:
        raise AssertionError("drawn")

    monkeypatch.setattr(arrange, "layout_svg", no_drawing)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    nodes = ", ".join(f"{{id: n{i}, type: EC2}}" for i in range(30))
    pairs = [(a, b) for a in range(30) for b in range(30) if a != b][:arrange.SEARCH_EDGES + 1]
    edges = ", ".join(f"n{a} -> n{b}" for a, b in pairs)
    path = tmp_path / "dense.yaml"
    path.write_text(f"blueprint: 1\ntitle: T\nprovider: aws\nnodes: [{nodes}]\n"
                    f"edges: [{edges}]\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    assert bp.counts() == (30, 0, arrange.SEARCH_EDGES + 1)
    assert arrange.choose(bp) == (*arrange.CANDIDATES[0], 0, True, False, False, False)


def test_a_poster_with_many_edges_gets_no_lanes_undrawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over SEARCH_EDGES edges a poster archgen makes up is not drawn with lanes first, as
    over LARGE_LANES_LIMIT nodes: with lanes dot's time grows fast (300 nodes, 1,730 edges:
    23 s before a render of 17 s). It gets LARGE, undrawn."""
    def no_drawing(*args: object) -> bytes | None:
        raise AssertionError("drawn")

    monkeypatch.setattr(arrange, "layout_svg", no_drawing)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    count = arrange.SEARCH_LIMIT // 10 + 1
    boxes = "".join(f"  - {{id: b{i}, label: B{i}, nodes: ["
                    + ", ".join(f"{{id: n{i}x{k}, type: EC2}}" for k in range(10)) + "]}\n"
                    for i in range(count))
    ends = [(i, k, m) for i in range(count - 1) for k in range(10) for m in range(10)]
    edges = ", ".join(f"n{i}x{k} -> n{i + 1}x{m}" for i, k, m in ends[:arrange.SEARCH_EDGES + 1])
    path = tmp_path / "edges.yaml"
    path.write_text(f"blueprint: 1\ntitle: T\nprovider: aws\ngroups:\n{boxes}"
                    f"edges: [{edges}]\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    nodes, _, edge_count = bp.counts()
    assert arrange.SEARCH_LIMIT < nodes <= arrange.LARGE_LANES_LIMIT
    assert edge_count > arrange.SEARCH_EDGES
    assert arrange.choose(bp) == arrange.LARGE


def test_a_large_poster_archgen_makes_up_gets_lanes_where_its_rows_stay_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over SEARCH_LIMIT nodes a poster archgen makes up is drawn once, with lanes for the
    edges between its rows (LARGE_LANES), and keeps them where dot drew its rows in order
    and the poster in range; else its edges between rows get no say (LARGE: with lanes,
    two of three generated 800-node posters had rows out of order). The choice is
    remembered. Over LARGE_LANES_LIMIT nodes, and with written rows, nothing is drawn."""
    count = arrange.SEARCH_LIMIT // 10 + 1
    boxes = "".join(f"  - {{id: b{i}, label: B{i}, nodes: ["
                    + ", ".join(f"{{id: n{i}x{k}, type: EC2}}" for k in range(10)) + "]}\n"
                    for i in range(count))
    edges = ", ".join(f"n{i}x9 -> n{i + 1}x0" for i in range(count - 1))
    text = f"blueprint: 1\ntitle: T\nprovider: aws\ngroups:\n{boxes}edges: [{edges}]\n"
    path = tmp_path / "large.yaml"
    path.write_text(text, encoding="utf-8")
    bp = load_blueprint(str(path))
    assert bp.counts()[0] > arrange.SEARCH_LIMIT
    rows = top_rows(bp, 0, BY_EDGES)
    assert len(rows) > 1
    drawn: list[str] = []

    def drawing(reverse: bool, aspect: float) -> bytes:
        """Each row a band of boxes side by side, the rows one under the other."""
        height = 200 * len(rows)
        items = [frame(part, 100 * k, -height + 200 * r + 10, 100 * k + 90, -height + 200 * r + 190)
                 for r, row in enumerate(rows[::-1] if reverse else rows)
                 for k, part in enumerate(row)]
        return svg(*items, width=int(height * aspect), height=height)

    for case, (reverse, aspect, chosen) in enumerate([
            (False, 1.6, arrange.LARGE_LANES), (True, 1.6, arrange.LARGE),
            (False, 3.0, arrange.LARGE)]):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"cache{case}"))

        def layout(bp: object, source: str, timeout: float = 0, reverse: bool = reverse,
                   aspect: float = aspect) -> bytes:
            drawn.append(source)
            return drawing(reverse, aspect)

        monkeypatch.setattr(arrange, "layout_svg", layout)
        assert arrange.choose(bp) == chosen, case
        assert drawn == [compile_blueprint(bp, lanes="all", shape=0, placing=BY_EDGES)]
        assert arrange.choose(bp) == chosen  # remembered: nothing drawn again
        assert len(drawn) == 1
        drawn.clear()
    assert arrange.LARGE == ("none", False, 0, True, False, False, False)
    assert arrange.LARGE_LANES == ("all", False, 0, True, False, False, False)
    # over LARGE_LANES_LIMIT nodes nothing is drawn (a layout takes a second or more)
    many = arrange.LARGE_LANES_LIMIT // 10 + 1
    (tmp_path / "larger.yaml").write_text(
        "blueprint: 1\ntitle: T\nprovider: aws\ngroups:\n" + "".join(
            f"  - {{id: b{i}, label: B{i}, nodes: ["
            + ", ".join(f"{{id: n{i}x{k}, type: EC2}}" for k in range(10)) + "]}\n"
            for i in range(many))
        + "edges: [" + ", ".join(f"n{i}x9 -> n{i + 1}x0" for i in range(many - 1)) + "]\n",
        encoding="utf-8")
    larger = load_blueprint(str(tmp_path / "larger.yaml"))
    assert larger.counts()[0] > arrange.LARGE_LANES_LIMIT
    assert arrange.choose(larger) == arrange.LARGE and not drawn
    rows_text = "layout:\n  rows: [[" + ", ".join(f"b{i}" for i in range(count)) + "]]\n"
    (tmp_path / "rows.yaml").write_text(text + rows_text, encoding="utf-8")
    written = load_blueprint(str(tmp_path / "rows.yaml"))
    assert arrange.choose(written) == (*arrange.CANDIDATES[0], 0, True, False, False, False)
    assert not drawn


@pytest.mark.graphviz
def test_spoke_accounts_that_their_edges_order_get_one_other_order_at_most(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub and spokes case's three accounts around the Transit Gateway: dot draws them
    in the same order whatever order they are written in (their edges to the hub decide).
    Two to a row (a grid) no other order is drawn; one under the other only the order
    that puts each where dot drew the one written in its place (it too draws them as
    before). Every order of three was drawn in both before: ten drawings for nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    orders: list[tuple[bool, Copies]] = []

    def recording(bp: Blueprint, **options: object) -> str:
        source = compile_blueprint(bp, **options)  # type: ignore[arg-type]
        if options.get("copies"):
            orders.append((bool(options.get("stacked")), options["copies"]))  # type: ignore[arg-type]
        return source

    monkeypatch.setattr(arrange, "compile_blueprint", recording)
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-hub-spokes.yaml"))
    assert [paths for box, _, paths in arrange.copy_sets(bp) if box == "aws"]  # spokes
    arrange._copies_in_order(bp, (*arrange.CANDIDATES[0], 0, BY_EDGES, False, False, 0), 60.0,
                             arrange.Book())
    assert orders == []  # a grid
    arrange._copies_in_order(bp, (*arrange.CANDIDATES[0], 0, BY_EDGES, False, True, 0), 60.0,
                             arrange.Book())
    assert len(set(orders)) == 1 and all(stacked for stacked, _ in orders)


@pytest.mark.graphviz
def test_the_order_found_for_copies_is_remembered(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Zones that dot draws out of the order written (here one under the other: zone c on
    top) get another order of writing (the first tried that dot draws as written); two to
    a row, as chosen, they come out as written; a second choice draws nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (ROOT / "tests" / "cases" / "layout-three-az.yaml").read_text(encoding="utf-8")
    path = tmp_path / "zones.yaml"
    path.write_text(text.replace("- {from: alb, to: [web-1, web-2, web-3]}",
                                 "- {from: alb, to: [web-3]}\n  - {from: web-3, to: [app-1, app-2]}"
                                 "\n  - {from: app-3, to: [rds-1, rds-2]}"), encoding="utf-8")
    bp = load_blueprint(str(path))
    zones = ["vpc.az1", "vpc.az2", "vpc.az3"]
    stacked = (*arrange.CANDIDATES[0], 0, True, False, True, False)
    copies, _, kept = arrange._copies_in_order(bp, stacked, 60.0, arrange.Book())
    assert [box for box, _ in copies] == ["vpc"] and kept
    assert sorted(copies[0][1]) == zones
    drawn = read_svg(layout_svg(bp, compile_blueprint(bp, copies=copies, stacked=True)) or b"")
    assert arrange.copies_kept(drawn, zones, "LR")
    choice, copies = arrange.choose_all(bp)
    assert not choice[5]  # two to a row
    drawn = read_svg(layout_svg(bp, compile_blueprint(
        bp, lanes=choice[0], row_groups=choice[1], shape=choice[2], placing=choice[3],
        copies=copies)) or b"")
    assert arrange.copies_kept(drawn, zones, "LR", grid=True)
    monkeypatch.setattr(arrange, "layout_svg", lambda *a: pytest.fail("drew a layout"))
    assert arrange.choose_all(bp) == (choice, copies)


@pytest.mark.graphviz
def test_tb_labels_between_boxes_are_set_beside_where_that_draws_better(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """gcp-data-pipeline drawn TB: five stages in one project box, each edge label between
    two boxes a rank of its own, 0.57 as wide as high; set beside their routes (xlabel)
    the poster is at least 0.6, with no more defects, and the choice is remembered.
    k8s-onprem (TB, no better beside: only a width / height nearer 1) keeps its labels
    as ranks; an LR picture never tries."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = (ROOT / "blueprints" / "gcp-data-pipeline.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tb.yaml"
    path.write_text(text.replace("direction: LR", "direction: TB"), encoding="utf-8")
    bp = load_blueprint(str(path))
    choice = arrange.choose(bp)
    assert choice[4]
    beside = compile_blueprint(bp, lanes=choice[0], row_groups=choice[1], shape=choice[2],
                               placing=choice[3], beside=True)
    ranked = compile_blueprint(bp, lanes=choice[0], row_groups=choice[1], shape=choice[2],
                               placing=choice[3])
    assert "Edge(xlabel='read files'" in beside and "Edge(label='read files'" in ranked
    before = measure_svg(layout_svg(bp, ranked) or b"")
    after = measure_svg(layout_svg(bp, beside) or b"")
    assert before.aspect < 0.6 <= after.aspect and after.defects <= before.defects
    assert arrange.choose(bp) == choice
    assert not arrange.choose(load_blueprint(str(ROOT / "blueprints" / "k8s-onprem.yaml")))[4]
    lr = load_blueprint(str(ROOT / "blueprints" / "gcp-data-pipeline.yaml"))
    assert not arrange.choose(lr)[4]


@pytest.mark.graphviz
def test_a_far_label_of_an_edge_from_a_whole_box_is_set_beside_its_drawn_route(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's booking portal: `vnet -> insights` ('telemetry') is drawn from the VNet's
    border only; as a rank of the layout its label stood inside the VNet, beside another
    edge, 118 pt from its own line. Set beside the drawn route (xlabel) it is near it; the
    other box edge's label ('managed identity', near as a rank) stays a rank, and the
    choice is remembered. (The far-label step alone: labels on boxes are set clear after
    it, _labels_clear.)"""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(arrange, "_labels_clear", lambda *a: (a[3], a[4]))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-booking-portal.yaml"))
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, _ = \
        arrange.choose_settled(bp)
    assert ("vnet.workers.confirm", "ops.insights") in aside
    ranked, set_beside = (
        compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing,
                          copies=copies, beside=beside, stacked=stacked, aside=a,
                          led=led)
        for a in (frozenset(), aside))
    assert "xlabel='telemetry'" in set_beside and "xlabel='telemetry'" not in ranked
    assert "xlabel='managed identity'" not in set_beside
    before = read_svg(layout_svg(bp, ranked) or b"")
    after = read_svg(layout_svg(bp, set_beside) or b"")
    assert far_box_labels(before) == [("vnet.workers.confirm", "ops.insights")]
    assert far_labels(after) == []
    monkeypatch.setattr(arrange, "layout_svg", lambda *a: pytest.fail("drew a layout"))
    assert arrange.choose_settled(bp)[2] == aside


@pytest.mark.graphviz
def test_a_far_label_of_an_edge_between_nodes_is_set_beside_where_no_label_meets_a_border(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The nested VPC case: dot bent the line of zone b's `api -> queue` ('settle') away
    from its label's rank (77 pt by the referee); set beside its route the label is near,
    with fewer defects and no more labels on a box's border. Two regions' 'snapshots', far
    only by archgen's estimate of its width, would sit on three borders set beside: it
    stays a rank of the layout. (The far-label step alone: labels on boxes are set clear
    after it, _labels_clear.)"""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(arrange, "_labels_clear", lambda *a: (a[3], a[4]))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-nested-vpc.yaml"))
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, _ = \
        arrange.choose_settled(bp)
    settle = ("prod.euw1.vpc.az-b.app.api", "prod.euw1.queue")
    assert settle in aside
    before, after = (
        layout_svg(bp, compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape,
                                         placing=placing, copies=copies, beside=beside,
                                         stacked=stacked, aside=a, led=led))
        or b""
        for a in (frozenset(), aside))
    assert settle in far_labels(read_svg(before)) and far_labels(read_svg(after)) == []
    assert measure_svg(after).defects < measure_svg(before).defects
    assert measure_svg(after).label_on_box <= measure_svg(before).label_on_box
    two = load_blueprint(str(ROOT / "tests" / "cases" / "layout-two-regions.yaml"))
    assert arrange.choose_settled(two)[2] == frozenset()


SECRETS = """\
blueprint: 1
title: Secrets
provider: azure
direction: LR
nodes:
  - {id: users, type: azure.identity.Users, label: Shoppers}
groups:
  - id: region
    label: Region
    kind: region
    groups:
      - id: web
        label: Web tier
        nodes:
          - {id: appgw, type: ApplicationGateway, label: Application Gateway}
          - {id: webapp, type: azure.web.AppServices, label: Web app}
      - id: data
        label: Data
        nodes:
          - {id: sql, type: SQLDatabase, label: SQL}
      - id: ops
        label: Security & operations
        kind: generic
        nodes:
          - {id: keyvault, type: KeyVaults, label: Key Vault}
          - {id: insights, type: azure.monitor.ApplicationInsights, label: Insights}
edges:
  - users -> appgw -> webapp
  - {from: webapp, to: sql, label: orders}
  - {from: keyvault, to: webapp, label: secrets, style: dotted, direction: none}
  - {from: webapp, to: insights, label: telemetry, style: dotted}
"""


@pytest.mark.graphviz
def test_a_label_on_a_box_border_is_set_beside_its_line_where_it_touches_no_box(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """azure-web's 'secrets', cut down: dot set the label of the key vault's line up to the
    web app on the border of "Security & operations", by its title; set beside its route
    (xlabel) too, where the line crosses that border. Shown at one end of its line
    (taillabel, labelangle, labeldistance) at a spot beside the line that touches no box,
    nothing else moves; the choice is remembered."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "secrets.yaml"
    path.write_text(SECRETS, encoding="utf-8")
    bp = load_blueprint(str(path))
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, _ = \
        arrange.choose_settled(bp)
    secrets = ("region.ops.keyvault", "region.web.webapp")
    [placed] = [p for p in aside if p[:2] == secrets and len(p) == 5]

    def drawn(a: frozenset[tuple[str, ...]]) -> Drawing:
        return read_svg(layout_svg(bp, compile_blueprint(
            bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing, copies=copies,
            beside=beside, stacked=stacked, aside=a, led=led)) or b"")

    ranked = drawn(frozenset())
    set_beside = drawn(aside - {placed})
    at_end = drawn(aside)
    assert [(ranked.lines[k].tail, ranked.lines[k].head) for k in on_boxes(ranked)] == \
        [secrets]
    assert [(set_beside.lines[k].tail, set_beside.lines[k].head)
            for k in on_boxes(set_beside)] == [secrets]
    assert on_boxes(at_end) == [] and far_labels(at_end) == []
    assert measure_svg(layout_svg(bp, compile_blueprint(
        bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing, copies=copies,
        beside=beside, stacked=stacked, aside=aside, led=led)) or b"").defects == 0
    assert {n: s.icon for n, s in at_end.nodes.items()} == \
        {n: s.icon for n, s in set_beside.nodes.items()}  # nothing else moved
    source = compile_blueprint(bp, lanes=lanes, row_groups=groups, shape=shape,
                               placing=placing, copies=copies, beside=beside, stacked=stacked,
                               aside=aside, led=led)
    assert f"{placed[2]}label='secrets'" in source  # and neither label= nor xlabel=
    assert re.findall(r"\b\w*label='secrets'", source) == [f"{placed[2]}label='secrets'"]
    monkeypatch.setattr(arrange, "layout_svg", lambda *a: pytest.fail("drew a layout"))
    assert arrange.choose_settled(bp)[2] == aside


TRAINING = """\
blueprint: 1
title: Training
provider: gcp
direction: TB
groups:
  - id: store
    label: Storage
    nodes:
      - {id: bq, type: BigQuery, label: Warehouse}
  - id: serve
    label: Serving and insight
    nodes:
      - {id: looker, type: Looker}
      - {id: model, type: Vertex AI, label: Model}
edges:
  - bq -> looker
  - {from: bq, to: model, label: training data}
"""


@pytest.mark.graphviz
def test_a_label_in_the_band_over_a_box_title_is_set_clear_of_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's clickstream pipeline, cut down: drawn TB, dot ranks 'training data' in the
    gap over the box its edge enters, 13 pt over "Serving and insight", clear of the
    border but read as a line of the title (measure.TITLE_NEAR). It is set beside its line
    where it is clear of every title, still drawn (as an end label) and near its line."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "training.yaml"
    path.write_text(TRAINING, encoding="utf-8")
    bp = load_blueprint(str(path))
    (lanes, groups, shape, placing, beside, stacked, led), copies, aside, _ = \
        arrange.choose_settled(bp)

    def drawn(a: frozenset[tuple[str, ...]]) -> Drawing:
        return read_svg(layout_svg(bp, compile_blueprint(
            bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing, copies=copies,
            beside=beside, stacked=stacked, aside=a, led=led)) or b"")

    training = ("store.bq", "serve.model")
    ranked = drawn(frozenset())
    [on] = on_boxes(ranked)
    assert (ranked.lines[on].tail, ranked.lines[on].head) == training
    assert not measure_svg(layout_svg(bp, compile_blueprint(
        bp, lanes=lanes, row_groups=groups, shape=shape, placing=placing, copies=copies,
        beside=beside, stacked=stacked, led=led)) or b"").label_over_title  # near, not on
    assert any(p[:2] == training for p in aside)
    chosen = drawn(aside)
    assert on_boxes(chosen) == [] and far_labels(chosen) == []
    assert [e.label is not None for e in chosen.lines if (e.tail, e.head) == training] == [True]


@pytest.mark.graphviz
def test_a_choice_cut_short_by_the_deadline_is_not_remembered(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """When the command's --timeout runs out during the search, the layouts not drawn chose
    nothing: that choice is used for this render, not remembered for every later one (a
    120-node blueprint rendered with --timeout 1 left its first candidate cached, and every
    later render drew it instead of the one chosen)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    left = [0.0]  # seconds the command has left
    monkeypatch.setattr(lifecycle, "remaining", lambda timeout: left[0])
    bp = load_blueprint(str(SEED))
    arrange.choose(bp)
    assert list((tmp_path / "archgen" / "arrangements").glob("*")) == []
    left[0] = 60.0
    arrange.choose(bp)
    assert len(list((tmp_path / "archgen" / "arrangements").glob("*"))) == 1


@pytest.mark.graphviz
def test_a_timeout_during_the_search_does_not_wait_for_the_drawings_under_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's --timeout stops the search at once, not after the drawings its threads
    have under way (measuring a large one took 15 s: `compile --timeout 2` took 29 s)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    gate, finished = threading.Event(), []

    def held(bp: object, source: str, timeout: float = 0) -> bytes | None:
        if threading.current_thread() is not threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, 0.05)  # the deadline, while this one draws
            gate.wait(30)
            finished.append(source)
        return None

    monkeypatch.setattr(arrange, "layout_svg", held)
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-event-bus.yaml"))
    try:
        with pytest.raises(lifecycle.TimedOut), lifecycle.deadline(60.0):
            arrange.choose(bp)
        assert finished == []
    finally:
        gate.set()


def test_remembered_arrangements_are_bounded_least_recently_used_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # one choice for every blueprint content ever rendered grew without end
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(arrange, "ARRANGEMENTS_MAX", 2)
    blueprints = []
    for i in range(3):  # three contents: each its own choice
        path = tmp_path / f"b{i}.yaml"
        path.write_text("blueprint: 1\ntitle: T\nprovider: aws\nnodes:\n"
                        "  - {id: a, type: EC2}\n  - {id: b, type: S3}\n"
                        f"edges:\n  - {{from: a, to: b, label: copy {i}}}\n")
        blueprints.append(load_blueprint(str(path)))
    folder = tmp_path / "cache" / "archgen" / "arrangements"
    arrange.choose(blueprints[0])
    arrange.choose(blueprints[1])
    old = time.time() - 100
    for entry in folder.iterdir():
        os.utime(entry, (old, old))
    arrange.choose(blueprints[0])  # remembered, and so used later than the second
    arrange.choose(blueprints[2])
    kept = {entry.name for entry in folder.iterdir()}
    assert len(kept) == 2
    assert arrange.choice_key(blueprints[0])[:32] in kept
    assert arrange.choice_key(blueprints[1])[:32] not in kept


@pytest.mark.graphviz
def test_lr_rows_of_a_box_of_nodes_are_led_as_written_where_that_draws_better(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The readme example's application layer (API written before the background jobs, both
    feeding the database) as its own picture: left to dot the jobs stood over the API; led
    (compile's `led`, arrange._rows_led) the API is on top, with no more defects, and the
    choice is remembered. Without such a box (TB, or nothing to lead) nothing is drawn."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "app.yaml"
    path.write_text(
        "blueprint: 1\ntitle: T\nprovider: aws\ndirection: LR\n"
        "nodes:\n  - {id: dns, type: Route53}\n  - {id: cdn, type: CloudFront}\n"
        "groups:\n  - id: vpc\n    label: VPC\n    kind: vpc\n    nodes: [{id: alb, type: ALB}]\n"
        "    groups:\n      - id: app\n        label: App\n        nodes:\n"
        "          - {id: api, type: Fargate, label: API}\n"
        "          - {id: jobs, type: Lambda, label: Background jobs}\n"
        "      - id: data\n        label: Data\n        nodes: [{id: db, type: Aurora}]\n"
        "edges:\n  - dns -> cdn -> alb -> app\n  - {from: api, to: db, label: SQL}\n"
        "  - {from: jobs, to: db, label: batch updates}\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    choice = arrange.choose(bp)
    assert choice[6]
    drawn = {}
    for led in (False, True):
        svg_bytes = layout_svg(bp, compile_blueprint(
            bp, lanes=choice[0], row_groups=choice[1], shape=choice[2], placing=choice[3],
            beside=choice[4], stacked=choice[5], led=led)) or b""
        drawn[led] = (read_svg(svg_bytes), measure_svg(svg_bytes).defects)
    for led, above in ((False, "app.jobs"), (True, "app.api")):
        d = drawn[led][0]
        other = "app.api" if above == "app.jobs" else "app.jobs"
        assert d.nodes[f"vpc.{above}"].icon[3] <= d.nodes[f"vpc.{other}"].icon[1]
    assert drawn[True][1] <= drawn[False][1]
    assert arrange.choose(bp) == choice
    tb = tmp_path / "tb.yaml"
    tb.write_text(path.read_text(encoding="utf-8").replace("direction: LR", "direction: TB"),
                  encoding="utf-8")
    assert not arrange.choose(load_blueprint(str(tb)))[6]


@pytest.mark.graphviz
def test_boxes_rows_are_drawn_with_one_crossing_count_where_that_keeps_them_as_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The TB nested account case: its operations box's rows are led as written, but dot's
    second crossing count (after the boxes' insides) undid it where edges end at them;
    drawn with it off (ONE_COUNT) the box is in order, with no more defects."""
    from arch.compile import ONE_COUNT
    from arch.layout import plan_layout
    from arch.order import rows_out

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    bp = load_blueprint(str(ROOT / "tests" / "cases" / "layout-tb-nested-account.yaml"))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & ONE_COUNT
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    found = []
    for led in (choice[6] & ~ONE_COUNT, choice[6]):
        drawn = _drawn_led(bp, choice, copies, led)
        found.append((rows_out(bp, read_svg(drawn), plan.rows), measure_svg(drawn).defects))
    assert found[1][0] < found[0][0] and found[1][1] <= found[0][1]


# A user's clickstream pipeline drawn TB (usertest8, without its orchestration box): five
# stages, each a box or a node, and a monitoring box beside the flow.
_PIPELINE = """\
blueprint: 1
title: Clickstream analytics
provider: gcp
direction: TB
nodes:
  - {id: apps, type: Mobile App, label: Web and mobile apps}
groups:
  - id: ingest
    label: Ingestion
    nodes:
      - {id: pubsub, type: Pub/Sub, label: Events topic}
      - {id: gcs-raw, type: Cloud Storage, label: Raw landing bucket}
  - id: processing
    label: Processing
    nodes: [{id: dataflow, type: Dataflow, label: Streaming pipeline}]
  - id: warehouse
    label: Warehouse
    nodes:
      - {id: bq, type: BigQuery, label: Events dataset}
      - {id: bq-marts, type: BigQuery, label: Reporting marts}
  - id: serving
    label: Serving
    nodes: [{id: looker, type: Looker}, {id: analysts, type: Users, label: Analysts}]
  - id: monitoring
    label: Monitoring
    nodes:
      - {id: monitor, type: Cloud Monitoring}
      - {id: logging, type: Cloud Logging}
      - {id: alerts, type: Pub/Sub, label: Alert channel}
edges:
  - apps -> pubsub -> dataflow -> bq -> looker
  - analysts -> looker
  - {from: pubsub, to: gcs-raw, label: raw copy, style: dashed}
  - bq -> bq-marts
  - bq-marts -> looker
  - {from: dataflow, to: monitoring, style: dotted, label: metrics}
  - logging -> monitor -> alerts
alternatives:
  - id: dataproc
    label: Dataproc instead of Dataflow
    replace: [dataflow]
    with: {id: dataproc, type: Dataproc}
"""


@pytest.mark.graphviz
def test_a_tb_pipeline_of_boxes_is_read_down_where_that_draws_better(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As columns each led from the top rank, the pipeline's flow steps from the foot of
    one column up to the head of the next; read down (compile's DOWN: newrank, each box
    of nodes on one rank) every flow box stands under the one before, no edge is drawn
    up, with fewer defects and in range; the choice is remembered, and the variant is
    read down too. In LR nothing changes."""
    from arch.compile import DOWN

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "pipeline.yaml"
    path.write_text(_PIPELINE, encoding="utf-8")
    bp = load_blueprint(str(path))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & DOWN
    drawn = {}
    for led in (choice[6] & ~DOWN, choice[6]):
        source = compile_blueprint(bp, lanes=choice[0], row_groups=choice[1], shape=choice[2],
                                   placing=choice[3], copies=copies, beside=choice[4],
                                   stacked=choice[5], led=led)
        assert ("'newrank': 'true'" in source) == bool(led & DOWN)
        assert ("'rank': 'same'" in source) == bool(led & DOWN)
        drawn[led] = layout_svg(bp, source) or b""
    columns, down = measure_svg(drawn[choice[6] & ~DOWN]), measure_svg(drawn[choice[6]])
    assert columns.against_flow("TB") > 0 == down.against_flow("TB")
    assert down.defects < columns.defects and down.aspect >= 0.6
    frames = read_svg(drawn[choice[6]]).frames
    flow = ["ingest", "processing", "warehouse", "serving"]
    for above, below in zip(flow, flow[1:], strict=False):
        assert frames[f"cluster_{above}"].box[3] <= frames[f"cluster_{below}"].box[1]
    assert arrange.choose(bp) == choice
    variant, _ = arrange.keep_written(apply_variant(bp, "dataproc"))
    assert variant.layout.flow == ("apps", "ingest", "processing", "warehouse", "serving")
    assert arrange.choose(variant)[6] & DOWN
    lr = dataclasses.replace(bp, direction="LR")
    assert compile_blueprint(lr, led=DOWN) == compile_blueprint(lr)


@pytest.mark.graphviz
def test_read_down_an_edge_from_a_box_without_a_label_stands_on_no_rank_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read down, a dotted edge without a label from the warehouse box to the monitoring
    box's logging node, its two ends on one rank, was drawn by dot as two lines from
    inside the box with the warning "spline size > 1 not supported" (a user's store ->
    data-catalog), so the pipeline was not read down. It asks a rank now (compile's
    _off_flow): the monitoring box stands under the warehouse, the edge is drawn whole,
    and the pipeline is read down."""
    from arch.compile import DOWN

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "pipeline.yaml"
    path.write_text(_PIPELINE.replace(
        "  - logging -> monitor -> alerts\n",
        "  - logging -> monitor -> alerts\n  - {from: warehouse, to: logging, style: dotted}\n"),
        encoding="utf-8")
    bp = load_blueprint(str(path))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & DOWN
    source = compile_blueprint(bp, lanes=choice[0], row_groups=choice[1], shape=choice[2],
                               placing=choice[3], copies=copies, beside=choice[4],
                               stacked=choice[5], led=choice[6])
    assert "ltail='cluster_warehouse', style='dotted', minlen='1'" in source
    frames = read_svg(_drawn_led(bp, choice, copies, choice[6], whole=True)).frames
    assert frames["cluster_warehouse"].box[3] <= frames["cluster_monitoring"].box[1]


_TELEMETRY = """\
blueprint: 1
title: Telemetry
provider: gcp
direction: TB
nodes:
  - {id: sensors, type: generic.device.Mobile}
  - {id: tills, type: Server}
groups:
  - id: ingest
    label: Ingest
    nodes:
      - {id: iot, type: Cloud Functions}
      - {id: topic, type: Pub/Sub}
  - id: process
    label: Process
    nodes:
      - {id: stream, type: Dataflow}
      - {id: spark, type: Dataproc}
  - id: store
    label: Store
    nodes:
      - {id: bq, type: BigQuery}
  - id: serve
    label: Serve
    nodes:
      - {id: looker, type: Looker}
      - {id: api, type: Cloud Run}
  - id: ops
    label: Operations
    nodes:
      - {id: composer, type: Composer}
      - {id: logging, type: Cloud Logging}
edges:
  - sensors -> iot -> topic -> stream -> bq -> looker
  - tills -> topic
  - topic -> spark -> bq -> api
  - {from: composer, to: spark, style: dotted, label: schedules}
  - {from: serve, to: logging, style: dotted}
"""


@pytest.mark.graphviz
def test_read_down_a_box_beside_the_flow_stands_beside_the_step_it_feeds(
        tmp_path: Path) -> None:
    """Read down (compile's DOWN), an operations box that schedules a job of the
    processing box and collects the serving box's logs: both its edges kept their head at
    least at their tail's rank, which no rank satisfies, and dot set the box on the
    serving box's rank, its schedule drawn up the poster (a user's telemetry pipeline:
    450 pt). The edge from the later step is written from its head (_off_flow): the box
    stands beside the processing box, and the logs run up to it instead. A node off the
    flow that no edge enters (the tills) stands over the box it feeds, not beside it with
    its edge running back."""
    from arch.compile import DOWN

    path = tmp_path / "telemetry.yaml"
    path.write_text(_TELEMETRY, encoding="utf-8")
    bp = load_blueprint(str(path))
    source = compile_blueprint(bp, led=DOWN)
    assert "logging << Edge(lhead='cluster_serve', style='dotted', minlen='1') << looker" \
        in source
    assert "tills >> Edge(minlen='1') >> topic" in source
    drawn = layout_svg(bp, source, whole=True) or b""
    frames, nodes = read_svg(drawn).frames, read_svg(drawn).nodes
    ops, process = frames["cluster_ops"].box, frames["cluster_process"].box
    assert ops[1] < process[3] and process[1] < ops[3]  # side by side
    assert nodes["tills"].box[3] <= frames["cluster_ingest"].box[1]


@pytest.mark.graphviz
def test_copies_are_led_into_their_first_node_where_that_keeps_their_box_as_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three zones drawn TB under their VPC's internet gateway, each a public subnet (a NAT
    gateway) chained over the app subnet the load balancer feeds: the point that leads the
    zones, joined to each app server, stood on the NAT gateways' rank among the zones, and
    the zones came out before the gateway written over them. Led into each zone's NAT
    gateway (compile's COPY_HEADS, kept by arrange._rows_led), the gateway stands over the
    zones as written, with no more defects."""
    from arch.compile import COPY_HEADS
    from arch.layout import plan_layout
    from arch.order import rows_out

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "tb.yaml"
    path.write_text((ROOT / "tests" / "cases" / "layout-multi-az-web.yaml").read_text(
        encoding="utf-8").replace("provider: aws\n", "provider: aws\ndirection: TB\n"),
        encoding="utf-8")
    bp = load_blueprint(str(path))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & COPY_HEADS
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    led = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                      stacked=choice[5], heads=True).leads["region.vpc"]
    assert led == [f"region.vpc.az-{z}.public.nat-gateway" for z in "abc"]
    found = []
    for lead in (choice[6] & ~COPY_HEADS, choice[6]):
        drawn = _drawn_led(bp, choice, copies, lead)
        found.append((rows_out(bp, read_svg(drawn), plan.rows), measure_svg(drawn).defects))
    assert found[1][0] < found[0][0] and found[1][1] <= found[0][1]
    assert rows_out(bp, read_svg(drawn), {"region.vpc": plan.rows["region.vpc"]}) == 0


def _drawn_led(bp: Blueprint, choice: arrange.Arrangement, copies: Copies, led: int,
               whole: bool = False) -> bytes:
    """The drawing of a choice (choose_all) with its rows and copies led as `led` says
    (compile's LED_ROWS, COPY_HEADS, ONE_COUNT, DOWN...); b"" where dot drew none."""
    return layout_svg(bp, compile_blueprint(
        bp, lanes=choice[0], row_groups=choice[1], shape=choice[2], placing=choice[3],
        copies=copies, beside=choice[4], stacked=choice[5], led=led), whole=whole) or b""


def _rows_out_by_led(bp: Blueprint, leds: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """The blueprint's choice (choose_all) drawn with each `led`: boxes out of the order
    written (order.rows_out) and defects."""
    from arch.layout import plan_layout
    from arch.order import rows_out

    choice, copies = arrange.choose_all(bp)
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    found = {}
    for led in leds:
        drawn = _drawn_led(bp, choice, copies, led)
        found[led] = (rows_out(bp, read_svg(drawn), plan.rows), measure_svg(drawn).defects)
    return found


@pytest.mark.graphviz
def test_a_box_whose_flow_leaves_from_its_last_row_is_drawn_in_the_order_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's application layer as its own picture: EC2 and Lambda written over ECS and
    the cache, and an edge from the box to a database in the row below. Its flow left from
    the end of its first row (Lambda), and that edge pulled the first row under the second,
    led or not, with one crossing count or two; leaving from its last row (LAST_OUT,
    arrange._rows_led) the box is drawn as written, with no more defects."""
    from arch.compile import LAST_OUT, LED_ROWS, ONE_COUNT
    from arch.layout import plan_layout

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "app.yaml"
    path.write_text(
        "blueprint: 1\ntitle: T\nprovider: aws\ndirection: LR\nnodes:\n"
        "  - {id: users, type: Users}\n  - {id: cdn, type: CloudFront, label: CloudFront (edge)}\n"
        "  - {id: gateway, type: API Gateway}\n  - {id: athena, type: Athena}\n"
        "  - {id: redshift, type: Redshift, label: Redshift (big queries)}\n"
        "  - {id: quicksight, type: QuickSight}\n"
        "groups:\n  - id: vpc\n    label: VPC\n    kind: vpc\n    groups:\n"
        "      - id: app\n        label: Application layer\n        nodes:\n"
        "          - {id: ec2, type: EC2}\n          - {id: lambda, type: Lambda}\n"
        "          - {id: ecs, type: ECS}\n"
        "        groups: [{id: cache, label: Cache, nodes: [{type: ElastiCache}]}]\n"
        "  - {id: nosql, label: NoSQL database, nodes: [{type: DynamoDB}]}\n"
        "edges:\n  - {from: app, to: nosql, label: key-value}\n"
        "layout:\n  rows:\n    - [users, cdn, gateway, vpc]\n"
        "    - [athena, redshift, quicksight, nosql]\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    assert plan_layout(bp).rows["vpc.app"] == [["vpc.app.ec2", "vpc.app.lambda"],
                                               ["vpc.app.ecs", "vpc.app.cache"]]
    assert arrange.choose(bp)[6] == LAST_OUT
    found = _rows_out_by_led(bp, (0, LED_ROWS, LED_ROWS | ONE_COUNT, LAST_OUT))
    assert [found[led][0] for led in (0, LED_ROWS, LED_ROWS | ONE_COUNT)] == [1, 1, 1]
    assert found[LAST_OUT][0] == 0 and found[LAST_OUT][1] <= found[0][1]


@pytest.mark.graphviz
def test_boxes_rows_led_with_one_crossing_count_in_lr_where_neither_alone_keeps_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn LR, a box of three services (a topic, a share, a report job fed from a box
    beside it): led, dot's second crossing count undid the rows; with it off but the rows
    not led, nothing kept them. Both together (arrange._rows_led) keep them as written,
    with no more defects (a generated 30-node blueprint, 4 = 4 defects)."""
    from arch.compile import LED_ROWS, ONE_COUNT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "reports.yaml"
    path.write_text(
        "blueprint: 1\ntitle: T\nprovider: aws\ndirection: LR\n"
        "nodes: [{id: users, type: Users}]\ngroups:\n"
        "  - id: orders\n    label: Orders\n    nodes:\n"
        "      - {id: api, type: EKS}\n      - {id: db, type: Aurora}\n"
        "      - {id: replica, type: Aurora}\n      - {id: worker, type: EKS}\n"
        "      - {id: queue, type: SQS}\n    groups:\n"
        "      - {id: export, label: Export, nodes: [{id: job, type: Fargate},"
        " {id: dw, type: Redshift}]}\n"
        "  - id: reports\n    label: Reports\n    nodes: [{id: topic, type: SNS},"
        " {id: share, type: EFS}, {id: report, type: Lambda}]\n"
        "edges:\n  - dw -> report\n", encoding="utf-8")
    bp = load_blueprint(str(path))
    assert arrange.choose(bp)[6] == LED_ROWS | ONE_COUNT
    found = _rows_out_by_led(bp, (0, LED_ROWS, ONE_COUNT, LED_ROWS | ONE_COUNT))
    assert [found[led][0] for led in (0, LED_ROWS, ONE_COUNT)] == [1, 1, 1]
    assert found[LED_ROWS | ONE_COUNT][0] == 0
    assert found[LED_ROWS | ONE_COUNT][1] <= found[0][1]


@pytest.mark.graphviz
def test_a_step_that_only_draws_better_leaves_room_for_one_that_keeps_the_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's serverless pipeline drawn TB: its Lambda functions (written validate, enrich,
    register) and its Transform box came out of the order written. Left from their last
    rows (LAST_OUT) the boxes drew one defect fewer, still out of order; kept so, the
    drawing read down (DOWN), which keeps them in order, had a defect more than it and
    lost. Each step's defects are weighed against the search's drawing, not the step
    before (arrange._rows_led): dot's second crossing count off puts the boxes in order
    with as many defects as the search's drawing, and that is kept."""
    from arch.compile import LAST_OUT, ONE_COUNT
    from arch.layout import plan_layout
    from arch.order import rows_out

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "pipeline.yaml"
    path.write_text(
        "blueprint: 1\ntitle: Serverless partner-data pipeline\nprovider: aws\n"
        "direction: TB\nnodes: [{id: partner, type: Users, label: Partner SFTP uploads}]\n"
        "groups:\n  - id: ingest\n    label: Ingestion\n    nodes:\n"
        "      - {id: landing, type: S3 Bucket, label: landing bucket}\n"
        "      - {id: events, type: EventBridge, label: Object Created rule}\n"
        "  - id: orchestration\n    label: Orchestration\n"
        "    nodes: [{id: sfn, type: Step Functions, label: ingest-file state machine}]\n"
        "    groups:\n      - id: fns\n        label: Lambda functions\n        nodes:\n"
        "          - {id: validate, type: Lambda, label: validate-schema}\n"
        "          - {id: enrich, type: Lambda, label: enrich-records}\n"
        "          - {id: register, type: Lambda, label: register-partition}\n"
        "  - id: transform\n    label: Transform\n    nodes:\n"
        "      - {id: glue, type: Glue, label: Glue ETL job}\n"
        "      - {id: curated, type: S3 Bucket, label: curated bucket (Parquet)}\n"
        "      - {id: catalog, type: Glue Data Catalog}\n"
        "  - {id: analytics, label: Analytics, nodes: [Athena, QuickSight]}\n"
        "  - id: monitoring\n    label: Monitoring\n    nodes:\n      - CloudWatch\n"
        "      - {id: alarm, type: CloudWatch Alarm, label: failed executions}\n"
        "      - {id: oncall, type: SNS Topic, label: on-call topic}\n"
        "edges:\n  - partner -> landing -> events\n"
        "  - {from: events, to: sfn, label: starts execution}\n"
        "  - sfn -> validate\n  - sfn -> enrich\n  - sfn -> register\n"
        "  - {from: fns, to: glue, label: StartJobRun}\n"
        "  - {from: glue, to: curated, label: writes Parquet}\n"
        "  - {from: register, to: catalog, label: add partition}\n"
        "  - athena -> catalog\n  - {from: athena, to: curated, label: scans}\n"
        "  - {from: quicksight, to: athena, label: SQL}\n"
        "  - {from: sfn, to: cloudwatch, label: execution metrics, style: dotted}\n"
        "  - cloudwatch -> alarm -> oncall\n"
        "alternatives:\n  - {id: emr, label: EMR instead of Glue, note: Spark on EMR Serverless,"
        " replace: [glue], with: {id: emr, type: EMR, label: EMR Spark job}}\n",
        encoding="utf-8")
    bp = load_blueprint(str(path))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & (LAST_OUT | ONE_COUNT) == LAST_OUT | ONE_COUNT
    found = _rows_out_by_led(bp, (0, LAST_OUT))
    assert found[0][0] > 0 and found[LAST_OUT][0] > 0
    assert found[LAST_OUT][1] < found[0][1]
    drawn = layout_svg(bp, compile_blueprint(
        bp, lanes=choice[0], row_groups=choice[1], shape=choice[2], placing=choice[3],
        copies=copies, beside=choice[4], stacked=choice[5], led=choice[6])) or b""
    plan = plan_layout(bp, shape=choice[2], placing=choice[3], copies=copies,
                       stacked=choice[5])
    assert rows_out(bp, read_svg(drawn), plan.rows) == 0
    assert measure_svg(drawn).defects <= found[0][1]


# A user's event bus platform (usertest9, written LR) drawn TB: the bus, its producers and
# five teams' boxes it fans out to.
_BUS = """\
blueprint: 1
title: Order events on a central EventBridge bus
direction: TB
description: Every service publishes domain events to one bus; rules fan them out to the
  teams that react.
provider: aws

nodes:
  - {id: bus, type: EventBridge Event Bus, label: orders-bus}

groups:
  - id: producers
    label: Producers
    nodes:
      - {id: checkout, type: Lambda, label: Checkout service}
      - {id: payments, type: ECS, label: Payments service}
      - {id: inventory, type: Fargate, label: Inventory service}
      - {id: stripe, type: Stripe, label: Stripe webhooks}
      - {id: orders-table, type: DynamoDB Stream, label: Orders table stream}
      - {id: uploads, type: S3 Bucket, label: Returns uploads}
  - id: platform
    label: Event platform
    nodes:
      - {id: schemas, type: EventBridge Schema, label: Schema registry}
      - {id: archive, type: S3 Bucket, label: Event archive}
      - {id: dlq, type: SQS, label: Failed deliveries}
  - id: fulfil
    label: Fulfilment team
    nodes:
      - {id: pick, type: Step Functions, label: Pick and pack}
      - {id: ship-queue, type: SQS, label: Shipping queue}
      - {id: shipper, type: Lambda, label: Label printer}
  - id: notify
    label: Customer notifications
    nodes:
      - {id: notifier, type: Lambda, label: Notifier}
      - {id: topic, type: SNS, label: Order updates}
      - {id: email, type: SES}
      - {id: push, type: Pinpoint, label: Push}
  - id: analytics
    label: Analytics
    nodes:
      - {id: firehose, type: Firehose}
      - {id: lake, type: S3 Bucket, label: Events lake}
      - {id: athena, type: Athena}
      - {id: search, type: OpenSearch, label: Order search}
  - id: finance
    label: Finance
    nodes:
      - {id: ledger, type: Lambda, label: Ledger writer}
      - {id: ledger-db, type: Aurora, label: Ledger}

edges:
  - {from: [checkout, payments, inventory, stripe, orders-table, uploads], to: bus,
     label: PutEvents}
  - bus -> pick -> ship-queue -> shipper
  - bus -> notifier -> topic
  - topic -> email
  - topic -> push
  - bus -> firehose -> lake -> athena
  - bus -> search
  - bus -> ledger -> ledger-db
  - {from: bus, to: archive, label: archive, style: dashed}
  - {from: bus, to: dlq, label: retries exhausted, style: dashed}
  - {from: schemas, to: bus, style: dotted, direction: none}
"""


@pytest.mark.graphviz
def test_a_pipeline_read_down_too_wide_sets_only_boxes_of_a_few_nodes_on_one_rank(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read down with every box of nodes on one rank, the event bus platform stood 2.70 as
    wide as high; with only boxes of three nodes or fewer so (compile's NARROW) it is in
    range and read down, with fewer defects than as columns. Both drawings read down are
    refused where dot draws an edge in pieces (`whole`)."""
    from arch.compile import DOWN, NARROW

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "bus.yaml"
    path.write_text(_BUS, encoding="utf-8")
    bp = load_blueprint(str(path))
    asked: list[tuple[bool, bool]] = []  # (read down, whole) of each drawing

    def recorded(bp: Blueprint, source: str, timeout: float = 60.0,
                 whole: bool = False) -> bytes | None:
        asked.append(("'newrank': 'true'" in source, whole))
        return layout_svg(bp, source, timeout, whole=whole)

    monkeypatch.setattr(arrange, "layout_svg", recorded)
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & DOWN and choice[6] & NARROW
    assert [whole for down, whole in asked if down] == [True, True]
    scores = {}
    for led in (choice[6] & ~(DOWN | NARROW), choice[6] & ~NARROW, choice[6]):
        scores[led] = measure_svg(_drawn_led(bp, choice, copies, led))
    columns, wide, narrow = scores.values()
    assert wide.aspect > 2.4 >= narrow.aspect >= 0.6
    assert narrow.defects < columns.defects and narrow.against_flow("TB") == 0

_ENTRY_BESIDE = """\
blueprint: 1
title: Entry beside a region, office beside it
provider: aws
nodes:
  - {id: users, type: Users}
  - {id: cdn, type: CloudFront}
  - {id: waf, type: WAF}
groups:
  - id: region
    label: eu-west-1
    kind: region
    groups:
      - id: vpc
        label: VPC
        kind: vpc
        nodes:
          - {id: alb, type: Application Load Balancer}
        groups:
%s
  - id: office
    label: Office
    kind: data-center
    nodes:
      - {id: router, type: Router}
edges:
  - users -> cdn -> waf -> alb
  - {from: router, to: vpc, label: VPN, style: dashed}
%s
"""


def _entry_beside() -> str:
    """_ENTRY_BESIDE with three zones of a public, an app and a data subnet."""
    zones, edges = [], []
    for z in "abc":
        zones.append(f"""\
          - id: az-{z}
            label: AZ {z}
            kind: availability-zone
            groups:
              - {{id: public, label: Public, kind: public-subnet, nodes: [NAT Gateway]}}
              - {{id: app, label: App, kind: private-subnet, nodes: [{{id: svc, type: Fargate}}]}}
              - {{id: data, label: Data, kind: private-subnet, nodes: [Aurora]}}""")
        edges += [f"  - alb -> az-{z}.app.svc", f"  - az-{z}.app.svc -> az-{z}.data.aurora"]
    return _ENTRY_BESIDE % ("\n".join(zones), "\n".join(edges))


@pytest.mark.graphviz
def test_the_entry_beside_a_region_in_rows_leads_straight_into_its_load_balancer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The top level in rows (an office beside the region): the row's chain from the WAF
    into the load balancer asks one rank, the WAF's edge two (a rank free for the zones'
    leading point, layout.into_leads), and between boxes the chain won: the entry stood
    under the region. With the chain as long as the edge (compile's SPAN) the WAF stands
    before the region, level with it, no more defects; chosen and remembered. Into a
    node the point leads (two regions' load balancers) nothing changes."""
    from arch.compile import SPAN

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "entry.yaml"
    path.write_text(_entry_beside(), encoding="utf-8")
    bp = load_blueprint(str(path))
    choice, copies = arrange.choose_all(bp)
    assert choice[6] & SPAN
    chain = "waf - Edge(style='invis', weight='10', minlen='2') - alb"
    drawn = {}
    for led in (choice[6] & ~SPAN, choice[6]):
        source = compile_blueprint(bp, lanes=choice[0], row_groups=choice[1], shape=choice[2],
                                   placing=choice[3], copies=copies, beside=choice[4],
                                   stacked=choice[5], led=led)
        assert (chain in source) == bool(led & SPAN)
        drawn[led] = _drawn_led(bp, choice, copies, led)
    under, before = (read_svg(drawn[led]) for led in (choice[6] & ~SPAN, choice[6]))
    region = under.frames["cluster_region"].box
    assert under.nodes["waf"].box[1] >= region[3]  # under the region's box
    region, waf = before.frames["cluster_region"].box, before.nodes["waf"].box
    assert waf[2] <= region[0] and region[1] <= waf[1] and waf[3] <= region[3]
    assert measure_svg(drawn[choice[6]]).defects <= measure_svg(
        drawn[choice[6] & ~SPAN]).defects
    assert arrange.choose(bp) == choice
    two = load_blueprint(str(ROOT / "tests" / "cases" / "layout-two-regions.yaml"))
    assert compile_blueprint(two, led=SPAN) == compile_blueprint(two)
