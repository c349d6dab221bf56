"""Finished files: self-contained SVG, PNG resolution, no machine paths, reproducible."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from arch import styles
from arch.build import Options, render_files
from arch.files import finish_jpg, finish_png, finish_svg, image_size

from .conftest import BLUEPRINTS, ROOT
from .helpers import SVG, invoke, write

SEED = ROOT / "blueprints" / "aws-web-app.yaml"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a7c5a0c00000000049454e44ae426082")


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    chunks, i = {}, 8
    while i < len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        chunks[kind] = data[i + 8:i + 8 + length]
        i += 12 + length
    return chunks


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("all")
    outcomes = render_files([str(p) for p in BLUEPRINTS], out,
                            Options(formats=("png", "svg", "dot", "pdf")))
    assert all(o.error is None for o in outcomes)
    return out


@pytest.mark.graphviz
def test_svg_embeds_each_distinct_icon_once(rendered: Path) -> None:
    for svg in rendered.glob("*.svg"):
        root = ET.parse(svg).getroot()
        symbols = root.findall(f"{SVG}defs/{SVG}symbol")
        uses = list(root.iter(f"{SVG}use"))
        images = [i for i in root.iter(f"{SVG}image")]
        assert len(images) == len(symbols)  # an <image> only inside its <symbol>
        hrefs = [u.get("{http://www.w3.org/1999/xlink}href") for u in uses]
        assert set(hrefs) == {f"#{s.get('id')}" for s in symbols}
        payloads = [i.get("{http://www.w3.org/1999/xlink}href") for i in images]
        assert all(p and p.startswith("data:image/") for p in payloads)
        assert len(set(payloads)) == len(payloads)  # stored once


@pytest.mark.graphviz
def test_no_absolute_path_in_any_output(rendered: Path) -> None:
    for path in rendered.iterdir():
        data = path.read_bytes()
        assert str(ROOT).encode() not in data, path.name
        assert b"site-packages" not in data, path.name
        assert not re.search(rb'(href|image)="/', data), path.name


@pytest.mark.graphviz
def test_svg_is_not_scaled_out_of_its_viewbox(rendered: Path) -> None:
    root = ET.parse(rendered / "aws-web-app.svg").getroot()
    _, _, vw, vh = (float(x) for x in (root.get("viewBox") or "").split())
    assert root.get("width") == f"{vw:.2f}pt" and root.get("height") == f"{vh:.2f}pt"
    graph = root.find(f"{SVG}g")
    assert graph is not None and (graph.get("transform") or "").startswith("scale(1 1)")


@pytest.mark.graphviz
def test_png_records_its_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: D\nnodes: [aws.compute.EC2]\n")
    for dpi in (96, 200):
        [outcome] = render_files([str(path)], tmp_path / str(dpi),
                                 Options(formats=("png",), dpi=dpi))
        data = (tmp_path / str(dpi) / "bp.png").read_bytes()
        x, y, unit = struct.unpack(">IIB", png_chunks(data)[b"pHYs"])
        assert (x, y, unit) == (round(dpi / 0.0254), round(dpi / 0.0254), 1)
    w96, _ = image_size((tmp_path / "96" / "bp.png").read_bytes())
    w200, _ = image_size((tmp_path / "200" / "bp.png").read_bytes())
    assert abs(w200 / w96 - 200 / 96) < 0.05


@pytest.mark.graphviz
def test_jpg_records_its_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: D\nnodes: [aws.compute.EC2]\n")
    for dpi in (96, 144):
        [outcome] = render_files([str(path)], tmp_path / str(dpi),
                                 Options(formats=("jpg",), dpi=dpi))
        data = (tmp_path / str(dpi) / "bp.jpg").read_bytes()
        assert data[6:11] == b"JFIF\x00"
        assert struct.unpack(">BHH", data[13:18]) == (1, dpi, dpi)


def test_finish_jpg_leaves_the_image_data_alone() -> None:
    jfif = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    done = finish_jpg(jfif, 300)
    assert struct.unpack(">BHH", done[13:18]) == (1, 300, 300)
    assert done[:13] == jfif[:13] and done[18:] == jfif[18:]
    assert finish_jpg(b"\xff\xd8\xff\xdb rest", 300) == b"\xff\xd8\xff\xdb rest"


def test_finish_png_replaces_an_existing_phys() -> None:
    once = finish_png(PNG_1PX, 72)
    twice = finish_png(once, 300)
    assert twice.count(b"pHYs") == 1
    assert struct.unpack(">IIB", png_chunks(twice)[b"pHYs"])[0] == round(300 / 0.0254)
    assert png_chunks(twice)[b"IDAT"] == png_chunks(PNG_1PX)[b"IDAT"]


def test_finish_svg_on_a_small_document() -> None:
    svg = (b'<svg width="100pt" height="50pt"\n viewBox="0.00 0.00 75.00 37.50" x="1">\n'
           b'<g id="graph0" class="graph" transform="scale(1.33 1.33) rotate(0) translate(4 4)">'
           b'<image xlink:href="a.png" width="10px" height="10px" '
           b'preserveAspectRatio="xMinYMin meet" x="1" y="2"/>'
           b'<image xlink:href="a.png" width="20px" height="20px" '
           b'preserveAspectRatio="xMinYMin meet" x="3" y="-4.5"/></g></svg>')
    out = finish_svg(svg, lambda href: PNG_1PX).decode()
    assert out.count("<symbol") == 1 and out.count("<use ") == 2
    assert '<use xlink:href="#archgen-icon-1" x="3" y="-4.5" width="20" height="20"/>' in out
    assert '<svg width="75.00pt" height="37.50pt"' in out and "scale(1 1)" in out


@pytest.mark.graphviz
def test_every_file_is_byte_identical_on_a_second_render(rendered: Path,
                                                         tmp_path: Path) -> None:
    again = render_files([str(p) for p in BLUEPRINTS], tmp_path,
                         Options(formats=("png", "svg", "dot")))
    assert all(o.error is None for o in again)
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (rendered / path.name).read_bytes(), path.name


@pytest.mark.graphviz
def test_graphviz_warnings_are_kept_and_shown_with_verbose(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nodes no longer give Graphviz a reason to warn (fixedsize=shape lets a label be wider
    # than its icon), so the test brings back the node size that made it warn.
    plain = styles.node_attrs
    monkeypatch.setattr(styles, "node_attrs", lambda theme: {**plain(theme), "fixedsize": "true"})
    path = write(tmp_path, "blueprint: 1\ntitle: W\nnodes:\n  - {type: aws.compute.EC2, "
                           "label: Averyveryverylongwordthatcannotwrap}\n")
    quiet = invoke(["render", str(path), "-o", str(tmp_path / "a")])
    assert quiet.exit_code == 0
    assert re.search(r"note: Graphviz printed 1 warning line; --verbose shows them",
                     quiet.stderr)
    loud = invoke(["render", str(path), "-o", str(tmp_path / "b"), "--verbose"])
    assert "graphviz: Warning: node 'ec2'" in loud.stderr
    assert "size too small for label" in loud.stderr


@pytest.mark.graphviz
def test_shipped_blueprints_and_variants_render_without_graphviz_warnings(
        tmp_path: Path) -> None:
    outcomes = render_files([str(p) for p in BLUEPRINTS], tmp_path,
                            Options(formats=("svg",), all_variants=True))
    assert all(o.error is None for o in outcomes)
    rendered = [r for o in outcomes for r in o.rendered]
    assert len(rendered) > len(BLUEPRINTS)  # the variants are there too
    assert {r.sheet.name: r.warnings for r in rendered if r.warnings} == {}


@pytest.mark.graphviz
def test_pdf_holds_no_creation_time_and_its_offsets_still_hold(rendered: Path) -> None:
    """cairo stamps each PDF with the time it was drawn (it ignores SOURCE_DATE_EPOCH before
    1.17): the same blueprint would give other bytes every second. The stamp is blanked out
    in place, so the cross-reference table still points at every object."""
    pdfs = list(rendered.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert b"/CreationDate" not in data and b"/ModDate" not in data
        xref = data.rindex(b"\nxref\n") + 1
        count = int(data[xref:].split(b"\n")[1].split()[1])
        entries = data[xref:].split(b"\n")[2:2 + count]
        for number, entry in enumerate(entries):
            offset, _, kind = entry.split()
            if kind == b"n":
                assert data[int(offset):].startswith(f"{number} 0 obj".encode()), pdf.name
