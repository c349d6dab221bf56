"""The model's own rules: paths, the edges Graphviz cannot draw, output files, icons used."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from arch.model import (
    Output,
    enclosing,
    group_and_member,
    inside,
    join,
    parent_of,
    within,
)
from arch.validate import parse_blueprint

from .conftest import ROOT
from .helpers import png


def test_paths_join_and_contain() -> None:
    assert join("", "vpc") == "vpc" and join("vpc.web", "ec2") == "vpc.web.ec2"
    assert parent_of("vpc.web.ec2") == "vpc.web" and parent_of("vpc") == ""
    assert inside("vpc.web", "vpc") and not inside("vpc", "vpc")
    assert not inside("vpc2.web", "vpc")  # a prefix of the name is not a parent
    assert within("vpc", "vpc") and within("vpc.web", "vpc") and not within("vpc2", "vpc")
    assert list(enclosing("a.b.c")) == ["a.b.c", "a.b", "a"]


@pytest.mark.parametrize("a,b,joined", [
    ("g", "g.n", ("g", "g.n")),
    ("g.sub.n", "g", ("g", "g.sub.n")),
    ("g", "g", ("g", "g")),
    ("g", "h.n", None),
    ("g2", "g.n", None),  # g2 is a node here, not a group
])
def test_an_edge_may_not_join_a_group_and_its_member(
        a: str, b: str, joined: tuple[str, str] | None) -> None:
    assert group_and_member(a, b, {"g", "h", "g.sub"}) == joined


def test_output_file_names_follow_the_formats() -> None:
    assert Output("bp", ("png", "svg")).file_names() == ("bp.png", "bp.svg")


def test_custom_icons_of_nodes_and_alternatives(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(png())
    bp = parse_blueprint("blueprint: 1\ntitle: T\nprovider: aws\n"
                         "nodes: [EC2, {icon: a.png, label: A}]\n"
                         "alternatives:\n  - {id: x, label: X, replace: [ec2], "
                         "with: {icon: b.png, label: B}}\n", "t.yaml", str(tmp_path))
    assert [n.icon for n in bp.custom_icon_nodes()] == ["a.png", "b.png"]


def test_the_model_does_not_import_the_catalog_or_diagrams() -> None:
    tree = ast.parse((ROOT / "arch" / "model.py").read_text())
    imported = {(n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if "catalog" in m or "diagrams" in m}
