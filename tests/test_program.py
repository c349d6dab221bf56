"""The compiled program run in archgen's process: the graph it hands over, and its bounds."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from arch import program
from arch.build import Options, prepare
from arch.program import NotCompilerOutput, graph_of

from .conftest import ROOT
from .helpers import write

SEED = ROOT / "blueprints" / "aws-web-app.yaml"


@pytest.mark.graphviz
def test_the_graph_is_the_programs_diagram() -> None:
    [(bp, source)] = prepare(str(SEED), Options(formats=("svg", "png")))
    graph = graph_of(source)
    assert graph.filename == bp.output.name
    assert graph.formats == ("svg", "png")
    assert graph.source.startswith('digraph "AWS web application" {')
    for n in bp.walk_nodes():
        assert f'"{n.path}" [label=' in graph.source or f"{n.path} [label=" in graph.source


@pytest.mark.graphviz
def test_renders_side_by_side_keep_their_own_graphs(tmp_path: Path) -> None:
    """diagrams keeps the open diagram in a context variable: each run has its own."""
    other = write(tmp_path, "blueprint: 1\ntitle: Other\nnodes: [{id: lonely, type: EC2}]\n"
                            "provider: aws\n")
    sources = [prepare(str(SEED))[0][1], prepare(str(other))[0][1]] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        graphs = list(pool.map(graph_of, sources))
    for i, graph in enumerate(graphs):
        seed = i % 2 == 0
        assert ("AWS web application" in graph.source) == seed
        assert ("lonely" in graph.source) != seed
    assert len({g.source for g in graphs}) == 2


@pytest.mark.parametrize("text,error", [
    ("import subprocess\n", "may import only diagrams and os"),
    ("open('/etc/passwd')\n", "name 'open' is not defined"),
    ("__import__('socket')\n", "may import only diagrams and os"),
])
def test_without_the_check_it_still_has_no_builtins_and_few_imports(
        text: str, error: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The allow-list comes first; behind it, the program runs without builtins and can
    import only diagrams and os."""
    monkeypatch.setattr(program, "check_program", ast.parse)
    with pytest.raises((ImportError, NameError), match=error):
        graph_of(text)


def test_a_program_drawing_nothing_is_refused() -> None:
    with pytest.raises(NotCompilerOutput, match="no `with Diagram"):
        graph_of("from diagrams import Diagram\n")
