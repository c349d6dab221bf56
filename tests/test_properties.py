"""Property tests: whatever text a label holds, it is drawn as written and stays data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arch.build import Options, prepare
from arch.compile import compile_blueprint
from arch.labels import (
    DESCRIPTION_WIDTH,
    EDGE_LABEL_WIDTH,
    NODE_LABEL_WIDTH,
    TITLE_WIDTH,
    wrap,
    wrap_balanced,
    wrap_bounded,
)
from arch.render import render
from arch.validate import parse_blueprint

from .helpers import read_svg

# Any letter, mark, number, punctuation, symbol or space of any script; YAML cannot hold
# control characters, and NEL / line and paragraph separators are line breaks to YAML.
_CHARS = st.characters(categories=["L", "M", "N", "P", "S", "Zs"],
                       exclude_characters="\x85\u2028\u2029\ufeff\xa0")
_TRICKY = st.sampled_from(['"', "'", "\\", "<", ">", "{", "}", "&", "#", "\\n", "\\N", "<b>",
                           "&amp;", '"""', "); import os #", "日本", "ελ", "עב"])
_WORD = st.lists(st.one_of(_CHARS, _TRICKY), min_size=1, max_size=6).map("".join)
# Words joined by single spaces: Graphviz shows a run of spaces as spaces too, but
# splits lines at newlines, so a label is compared line by line.
LABEL = st.lists(_WORD, min_size=1, max_size=5).map(" ".join).filter(
    lambda s: s.strip() == s and s.strip() != "")


def _blueprint(labels: list[str]) -> str:
    title, caption, group, a, b, edge = labels
    data = {
        "blueprint": 1,
        "title": title,
        "description": caption,
        "provider": "aws",
        "nodes": [{"id": "a", "type": "EC2", "label": a}],
        "groups": [{"id": "g", "label": group, "nodes": [{"id": "b", "type": "S3", "label": b}]}],
        "edges": [{"from": "a", "to": "b", "label": edge}],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class _Blank(ast.NodeTransformer):
    """Every string constant becomes the same, and the `height` a node gets for the lines
    of its label is dropped (the compiler's own choice, made from the line count): what is
    left is the program's structure."""

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("S") if isinstance(node.value, str) else node

    def visit_Call(self, node: ast.Call) -> ast.Call:
        node.keywords = [k for k in node.keywords if k.arg != "height"]
        self.generic_visit(node)
        return node


def _shape(source: str) -> str:
    return ast.dump(_Blank().visit(ast.parse(source)))


REFERENCE = _shape(compile_blueprint(parse_blueprint(_blueprint(["x"] * 6), "p.yaml")))


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(LABEL, min_size=6, max_size=6))
def test_labels_never_change_the_program_structure(labels: list[str]) -> None:
    source = compile_blueprint(parse_blueprint(_blueprint(labels), "p.yaml"))
    assert _shape(source) == REFERENCE
    # and every label is in the program as data, exactly once per use
    tree = ast.parse(source)
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert not any(isinstance(c, str) and c.startswith("import") for c in constants)


@pytest.mark.graphviz
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.lists(LABEL, min_size=6, max_size=6))
def test_labels_survive_into_the_svg(labels: list[str], tmp_path: Path) -> None:
    title, caption, group, a, b, edge = labels
    path = tmp_path / "p.yaml"
    path.write_text(_blueprint(labels), encoding="utf-8")
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    svg = read_svg(tmp_path / "out" / "p.svg")
    assert svg.nodes["a"] == wrap_bounded(a, NODE_LABEL_WIDTH).split("\n")
    assert svg.nodes["g.b"] == wrap_bounded(b, NODE_LABEL_WIDTH).split("\n")
    assert svg.clusters["cluster_g"] == [group]
    assert svg.edges[0][1] == wrap_bounded(edge, EDGE_LABEL_WIDTH).split("\n")
    # the title at the narrowest measure that keeps its lines, as html_title wraps it
    heading = (wrap_balanced(title, TITLE_WIDTH).split("\n")
               + wrap(caption, DESCRIPTION_WIDTH).split("\n"))
    assert svg.graph_text[:len(heading)] == heading


def test_hypothesis_keeps_nothing_in_the_checkout() -> None:
    from hypothesis.configuration import storage_directory

    from .conftest import ROOT

    where = storage_directory("examples", intent_to_write=False).path
    assert where.is_absolute() and ROOT not in where.parents
