"""Label text: Graphviz escaping, HTML labels, widths and wrapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from arch.build import Options, prepare
from arch.labels import (
    LONG_LABEL_LINES,
    LONG_LABEL_WIDTH,
    TITLE_WIDTH,
    gv_text,
    html_group_label,
    html_text,
    html_title,
    text_width,
    wrap,
    wrap_balanced,
)
from arch.render import render

from .helpers import read_svg, write


def test_gv_text_escapes_backslash_and_leading_angle() -> None:
    assert gv_text("a\\b") == "a\\\\b"
    assert gv_text("<internal>") == "\\<internal>"
    assert gv_text("x <y>") == "x <y>"
    assert gv_text("a\r\nb\nc") == "a\\nb\\nc"


def test_wrap_breaks_long_labels_at_spaces_and_long_words_at_case_changes() -> None:
    assert wrap("short", 7.8) == "short"
    assert wrap("CloudFormation (JSON/YAML templates)", 7.8) == \
        "CloudFormation\n(JSON/YAML\ntemplates)"
    assert wrap("already\nbroken by the author", 2) == "already\nbroken by the author"
    assert wrap("averyveryverylongwordwithoutspaces", 5) == "averyveryverylongwordwithoutspaces"
    assert wrap("two  spaces and\u3000more words here", 5).replace("\n", " ") == \
        "two  spaces and\u3000more words here"
    assert text_width("MW") > text_width("il")
    # A word much wider than a line breaks where its case changes; nothing is inserted.
    assert wrap("HorizontalPodAutoscaler", 7.8) == "HorizontalPod\nAutoscaler"
    assert wrap("hpa HorizontalPodAutoscaler v2", 7.8) == "hpa Horizontal\nPodAutoscaler\nv2"
    assert wrap("CustomResourceDefinition", 7.8) == "Custom\nResource\nDefinition"
    assert wrap("APIGatewayRestApiEndpoint", 7.8) == "APIGateway\nRestApi\nEndpoint"
    assert wrap("CloudFormation", 7.8) == "CloudFormation"  # a little wider: whole


def test_html_text_escapes_markup_and_doubles_backslashes() -> None:
    assert html_text("<b>a & b</b>\\") == "&lt;b&gt;a &amp; b&lt;/b&gt;\\\\"


@pytest.mark.parametrize("text", ["<a href='x'>\"q\" & ]]</a>", "&amp; already", "] ]] \\]",
                                  "plain words", "é 😀 < > \u00a0", ""])
def test_html_text_escapes_as_the_standard_library_does(text: str) -> None:
    """Its own table (importing html took 1 ms of every render) writes what html.escape
    writes, and `]` as an entity."""
    import html

    assert html_text(text) == html.escape(text).replace("\\", "\\\\").replace("]", "&#93;")


def test_html_group_label_puts_the_icon_left_of_each_line() -> None:
    label = html_group_label("VPC\nprivate", ("aws/vpc.png", None))
    assert label.startswith("<<TABLE") and label.endswith("</TABLE>>")
    assert '<IMG SRC="aws/vpc.png" SCALE="TRUE"/>' in label and "BGCOLOR" not in label
    assert 'VPC<BR ALIGN="LEFT"/>private' in label


@pytest.mark.graphviz
def test_a_text_of_only_closing_brackets_is_drawn(tmp_path: Path) -> None:
    """Graphviz 2.43 refuses an HTML element holding only `]` or `]]`: the title, caption,
    group and node labels are drawn as written all the same."""
    path = write(tmp_path, 'blueprint: 1\ntitle: "]"\ndescription: "]]"\nprovider: aws\n'
                           'groups: [{id: g, label: "]", nodes: [{id: a, type: EC2, '
                           'label: "]]"}]}]\n', "p.yaml")
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    svg = read_svg(tmp_path / "out" / "p.svg")
    assert svg.graph_text[:2] == ["]", "]]"]
    assert svg.clusters["cluster_g"] == ["]"] and svg.nodes["g.a"] == ["]]"]


@pytest.mark.graphviz
def test_a_long_title_description_and_edge_label_wrap(tmp_path: Path) -> None:
    # A paragraph of description was one line that set the picture's width (2,295 pt for
    # 1,100 of nodes); a sentence on an edge, one line pushing its ends apart.
    sentence = ("Browser events are collected by a small API, enriched with geo and device "
                "data, streamed through Kinesis into the raw bucket within a minute, "
                "compacted nightly by Glue and queried by analysts through Athena.")
    title = ("Clickstream ingestion, enrichment, compaction and analytics platform for the "
             "marketing and sales teams")
    label = "updates the partitions of the curated table after each nightly run"
    path = write(tmp_path, f"blueprint: 1\ntitle: {title}\ndescription: {sentence}\n"
                           f"provider: aws\nnodes: [Glue, Athena]\n"
                           f"edges: [{{from: glue, to: athena, label: {label}}}]\n", "p.yaml")
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    svg = read_svg(tmp_path / "out" / "p.svg")
    heading = [line for line in svg.graph_text if line.strip()]
    edge = svg.edges[0][1]
    assert len(heading) >= 4 and len(edge) >= 2  # 2+ lines of title, 2+ of description
    assert " ".join(heading) == f"{title} {sentence}" and " ".join(edge) == label
    assert max(text_width(line) for line in heading[:2]) <= 45  # ems of 28 pt
    assert max(text_width(line) for line in heading[2:]) <= 80  # ems of 15 pt
    assert max(text_width(line) for line in edge) <= 20  # ems of 11 pt


@pytest.mark.graphviz
def test_a_long_label_widens_its_measure_to_stay_a_few_lines_and_is_noted(
        tmp_path: Path) -> None:
    """At 16 characters a line, a 329-character node label was a column of 30 lines (as
    tall as five icons), which dot laid the diagram out around: its measure widens up to
    LONG_LABEL_WIDTH, every word drawn, and validate notes what still takes many lines."""
    long = " ".join(["Propensity model trained weekly on sessions and orders"] * 6)
    edge = "batch predictions written every night to the scores table"  # 4 lines at 20 em
    path = write(tmp_path, f"blueprint: 1\ntitle: t\nprovider: aws\nnodes:\n"
                           f"  - {{id: a, type: Lambda, label: {long}}}\n  - SQS\n"
                           f"  - {{id: b, type: SNS, label: {edge} {edge}}}\n"
                           f"edges: [{{from: a, to: sqs, label: {edge} {edge}}}]\n", "p.yaml")
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    svg = read_svg(tmp_path / "out" / "p.svg")
    node, short_node, on_edge = svg.nodes["a"], svg.nodes["b"], svg.edges[0][1]
    assert " ".join(node) == long and " ".join(on_edge) == f"{edge} {edge}"
    assert len(node) <= 9 and len(short_node) <= LONG_LABEL_LINES
    assert len(on_edge) <= LONG_LABEL_LINES
    assert max(text_width(line) for line in node + on_edge) <= LONG_LABEL_WIDTH
    # only the node label that still takes more than LONG_LABEL_LINES lines is noted, at it
    assert [n.pos and (n.pos.line, n.pos.col) for n in bp.notes
            if "lines" in n.message] == [(5, 34)]


def test_a_title_wraps_into_lines_of_even_width_not_a_lone_last_word() -> None:
    title = ("Cold-chain monitoring for refrigerated trucks — Functions instead of Stream "
             "Analytics")  # a variant's title: greedily, `Analytics` alone on line 2
    assert wrap(title, TITLE_WIDTH).split("\n")[-1] == "Analytics"
    lines = wrap_balanced(title, TITLE_WIDTH).split("\n")
    assert lines == ["Cold-chain monitoring for refrigerated trucks",
                     "— Functions instead of Stream Analytics"]
    assert " ".join(lines) == title
    heading = html_title(title, None, "light").split("<B>")[1].split("</B>")[0]
    assert heading.split("<BR/>") == lines


@pytest.mark.parametrize("title", ["Short", "One two three four five six seven eight nine ten "
                                   "eleven twelve thirteen fourteen fifteen sixteen seventeen",
                                   "x" * 80 + " and more", "Written\nby hand"])
def test_a_balanced_wrap_keeps_every_word_and_the_number_of_lines(title: str) -> None:
    greedy, balanced = wrap(title, TITLE_WIDTH), wrap_balanced(title, TITLE_WIDTH)
    assert balanced.count("\n") == greedy.count("\n")
    assert balanced.replace("\n", " ") == greedy.replace("\n", " ")
    assert max(text_width(x) for x in balanced.split("\n")) <= max(
        TITLE_WIDTH, max(text_width(w) for w in title.split()))
