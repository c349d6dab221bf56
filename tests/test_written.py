"""What archgen writes: an SVG that parses as XML whatever the text drawn, or nothing; a full
disk said plainly."""

from __future__ import annotations

import importlib
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from arch import files

from .helpers import invoke, png, read_svg, write

# Text that is valid in a blueprint and hard on XML, DOT or HTML labels (right-to-left text
# without controls of direction: those are refused, test_load.py).
TEXTS = [
    "a < b & c > d", "]]> <![CDATA[ x ]]>", "&amp; &#0; &#x1; &lt;", "\"quotes' and `ticks`",
    "tab\there", "two\nlines", "carriage\rreturn", "שלום right-to-left مرحبا", "e\u0301 ç ß",
    "emoji \U0001F600 astral \U00010348", "\u00a0no-break\u2028line-sep", "\\ backslash \\n",
    "{braces} [brackets] |pipes|", "<b>not html</b>", "\ufeffbom", "\ufffd replacement",
]


@pytest.mark.graphviz
def test_every_svg_parses_as_xml_whatever_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(_yaml(TEXTS), encoding="utf-8")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "-f", "svg"])
    assert result.exit_code == 0, result.stderr
    svg = tmp_path / "out" / "bp.svg"
    ET.parse(svg)  # well-formed
    drawn = read_svg(svg)
    drawn_text = " ".join(line for texts in drawn.nodes.values() for line in texts)
    for text in ("a < b & c > d", "<b>not html</b>", "&amp; &#0; &#x1; &lt;"):
        assert text in drawn_text


def _yaml(texts: list[str]) -> str:
    """Each text as a YAML double-quoted scalar, escapes written out."""
    def dq(t: str) -> str:
        out = []
        for ch in t:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif ch == "\r":
                out.append("\\r")
            elif ord(ch) > 0x7E or ord(ch) < 0x20:
                out.append(f"\\U{ord(ch):08x}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    nodes = "".join(f"  - {{type: aws.compute.EC2, id: n{i}, label: {dq(t)}}}\n"
                    for i, t in enumerate(texts))
    return (f"blueprint: 1\ntitle: {dq('T <&> x')}\ndescription: {dq('&#0; ]]>')}\n"
            f"nodes:\n{nodes}edges:\n  - {{from: n0, to: n1, label: {dq('<&>')}}}\n")


@pytest.mark.graphviz
def test_an_svg_that_is_not_xml_is_never_written(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = files.finish_svg
    monkeypatch.setattr(files, "finish_svg",
                        lambda svg, read: real(svg, read).replace(b"</svg>", b"<g></svg>"))
    path = write(tmp_path, "blueprint: 1\ntitle: X\nnodes: [aws.compute.EC2]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "-f", "svg"])
    assert result.exit_code == 1
    assert "the SVG is not well-formed XML (mismatched tag" in result.stderr
    assert not (tmp_path / "out").exists()  # the folder it made is removed again


def test_xml_problem_names_the_place() -> None:
    assert files.xml_problem(b"<svg><g></svg>") == "mismatched tag: line 1, column 10"
    assert files.xml_problem(b"<svg>\x01</svg>") is not None
    assert files.xml_problem(b"<svg/>") is None


@pytest.mark.parametrize(("tail", "problem"), [
    (b'"/></svg>', None),
    (b'"/><g></svg>', "mismatched tag: line 1, column 62"),  # the place in the whole file
    (b'<"/></svg>', "not well-formed (invalid token): line 1, column 54"),  # in the base64
    (b'"/></svg>junk', "junk after document element: line 1, column 63"),
])
def test_xml_problem_of_an_svg_with_embedded_icons(tail: bytes, problem: str | None) -> None:
    svg = b'<svg><image href="data:image/png;base64,iVBORw0KGgo+/=' + tail
    assert files.xml_problem(svg) == problem


def test_a_full_disk_while_dot_writes_is_said_plainly(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexit 1\n")  # what a dot out of space may do
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    class Full:
        f_bavail = 0
        f_frsize = 4096

    render_module = importlib.import_module("arch.render")
    monkeypatch.setattr(render_module.os, "statvfs", lambda path: Full())
    path = write(tmp_path, "blueprint: 1\ntitle: X\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bp.png").write_bytes(b"old")
    result = invoke(["render", str(path), "-o", str(out), "-f", "png"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:1:1: error: the disk holding {str(out)!r} is "
                                    f"full: Graphviz could not write the files; nothing was "
                                    f"changed")
    assert [p.name for p in out.iterdir()] == ["bp.png"]
    assert (out / "bp.png").read_bytes() == b"old"


def test_a_file_graphviz_did_not_write_names_the_custom_icons(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexit 0\n")  # says nothing, writes nothing
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "logo.png").write_bytes(png())
    path = write(tmp_path, "blueprint: 1\ntitle: X\nnodes: [{icon: logo.png, label: L}]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "-f", "svg"])
    assert result.exit_code == 1
    assert ("error: Graphviz wrote no bp.svg (it was to draw the custom icons logo.png: one "
            "of them may be what it could not draw)") in result.stderr
