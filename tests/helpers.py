"""Small helpers for tests: write a blueprint into tmp_path, read SVG structure."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def write(tmp_path: Path, text: str, name: str = "bp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@dataclass
class SvgGraph:
    """What a Graphviz SVG draws: clusters, nodes (with their text lines), edges."""

    clusters: dict[str, list[str]] = field(default_factory=dict)  # name -> label lines
    nodes: dict[str, list[str]] = field(default_factory=dict)  # node id -> label lines
    edges: list[tuple[str, list[str]]] = field(default_factory=list)  # "a->b", label lines
    graph_text: list[str] = field(default_factory=list)  # title and caption lines


def _texts(g: ET.Element) -> list[str]:
    return [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]


def read_svg(path: Path) -> SvgGraph:
    root = ET.parse(path).getroot()
    out = SvgGraph()
    graph = root.find(f"{SVG}g")
    assert graph is not None and graph.get("class") == "graph"
    for child in graph:
        if child.tag == f"{SVG}text":
            out.graph_text.append((child.text or "").replace("\xa0", " "))
    for g in graph.iter(f"{SVG}g"):
        kind = g.get("class")
        title_el = g.find(f"{SVG}title")
        title = title_el.text if title_el is not None and title_el.text else ""
        if kind == "cluster":
            out.clusters[title] = _texts(g)
        elif kind == "node":
            out.nodes[title] = _texts(g)
        elif kind == "edge":
            out.edges.append((title, _texts(g)))
    return out
