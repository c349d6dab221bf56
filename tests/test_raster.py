"""The PNG of a render: Graphviz's own cairo drawing, written by raster.py instead of libpng.

Compared by what a PNG shows (size, mode, decoded pixels), never by its bytes."""

from __future__ import annotations

import ctypes
import io
import mmap
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from PIL import Image, ImageChops

from arch import raster
from arch.build import Options, prepare
from arch.program import graph_of
from arch.render import raster_command, render

from .helpers import write

SMALL = """\
blueprint: 1
title: Small
theme: {theme}
provider: aws
groups:
  - id: app
    label: Application
    nodes: [{{id: web, type: EC2, label: Web server}}, {{id: db, type: RDS}}]
nodes: [{{id: users, type: onprem.client.Users}}]
edges: ['web -> db', {{from: users, to: web, label: HTTPS}}]
"""


def _dots_own_png(tmp_path: Path, source: str) -> Image.Image:
    """The picture `dot -Tpng` draws from the program's graph (what diagrams would write)."""
    graph = graph_of(source)
    (tmp_path / "dot").mkdir()
    (tmp_path / "dot" / "g.gv").write_text(graph.source, encoding="utf-8")
    subprocess.run(["dot", "-Kdot", "-Tpng", "-o", "g.png", "g.gv"], cwd=tmp_path / "dot",
                   check=True, capture_output=True)
    return Image.open(tmp_path / "dot" / "g.png")


def _row_filters(path: Path, width: int, height: int, channels: int) -> set[int]:
    """The filter bytes of a PNG's rows (8 bits a channel, not interlaced): raster.py
    writes 0 on every row, libpng chooses among all five."""
    data, pos = path.read_bytes(), 8
    idat = b""
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + size]
        pos += size + 12
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    return {raw[row * stride] for row in range(height)}


@pytest.mark.graphviz
@pytest.mark.parametrize("theme,dpi", [("light", 96), ("dark", 40)])
def test_png_has_the_pixels_of_dots_own_png(theme: str, dpi: int, tmp_path: Path) -> None:
    """Same size at the asked resolution, same mode (RGB where cairo's drawing is opaque),
    same pixels, in the light and the dark theme; and no word of the gd device carrying
    the pixels among Graphviz's warnings."""
    path = write(tmp_path, SMALL.format(theme=theme))
    [(bp, source)] = prepare(str(path), Options(formats=("png",), dpi=dpi))
    rendered = render(bp, source, tmp_path / "out")
    ours = Image.open(tmp_path / "out" / "bp.png")
    theirs = _dots_own_png(tmp_path, source)
    assert (ours.size, ours.mode) == (theirs.size, theirs.mode)
    assert ImageChops.difference(ours.convert("RGBA"), theirs.convert("RGBA")).getbbox(
        alpha_only=False) is None
    assert round(ours.info["dpi"][0]) == dpi
    assert rendered.warnings == ()


@pytest.mark.graphviz
def test_png_size_follows_the_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.format(theme="light"))
    sizes = {}
    for dpi in (36, 72):
        [(bp, source)] = prepare(str(path), Options(formats=("png",), dpi=dpi))
        render(bp, source, tmp_path / str(dpi))
        sizes[dpi] = Image.open(tmp_path / str(dpi) / "bp.png").size
    assert all(abs(sizes[72][i] - 2 * sizes[36][i]) <= 1 for i in (0, 1))


@pytest.mark.graphviz
def test_png_is_written_alike_every_time(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL.format(theme="dark"))
    for run in ("a", "b"):
        [(bp, source)] = prepare(str(path), Options(formats=("png", "svg")))
        render(bp, source, tmp_path / run)
    assert (tmp_path / "a" / "bp.png").read_bytes() == (tmp_path / "b" / "bp.png").read_bytes()
    png = Image.open(tmp_path / "a" / "bp.png")
    assert _row_filters(tmp_path / "a" / "bp.png", *png.size, len(png.getbands())) == {0}


@pytest.mark.graphviz
def test_a_dot_without_its_graphviz_libraries_draws_the_files_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `dot` with no libgvc beside it (a wrapper, another installation) is run as before,
    with every -T from one layout."""
    real = shutil.which("dot")
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/ran"\nexec "{real}" "$@"\n')
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    path = write(tmp_path, SMALL.format(theme="light"))
    [(bp, source)] = prepare(str(path), Options(formats=("png", "svg")))
    render(bp, source, tmp_path / "out")
    assert (tmp_path / "ran").read_text().split()[:3] == ["-Kdot", "-Tpng", "-Tsvg"]
    assert Image.open(tmp_path / "out" / "bp.png").size == _dots_own_png(tmp_path, source).size


@pytest.mark.graphviz
def test_a_picture_too_large_for_cairo_is_left_to_graphviz(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At cairo's limit Graphviz scales the picture down and writes its own PNG, as it did
    before; below it, raster.py writes the PNG. Run here, in-process, to see which."""
    path = write(tmp_path, SMALL.format(theme="light"))
    [(_, source)] = prepare(str(path), Options(formats=("png",), dpi=20))
    (tmp_path / "g").write_text(graph_of(source).source, encoding="utf-8")
    written: list[tuple[int, int]] = []
    real_write = raster.write_png

    def spy(out: io.BufferedWriter, pixels: memoryview, width: int, height: int,
            alpha: bool | None = None) -> None:
        written.append((width, height))
        real_write(out, pixels, width, height, alpha)

    monkeypatch.setattr(raster, "write_png", spy)
    dot = shutil.which("dot")
    assert dot is not None
    assert raster.render(dot, str(tmp_path / "g"), ["png"]) == 0
    size = Image.open(tmp_path / "g.png").size
    assert written == [size]
    monkeypatch.setattr(raster, "CAIRO_MAX", min(size))
    assert raster.render(dot, str(tmp_path / "g"), ["png"]) == 0
    assert written == [size]  # not called again: Graphviz wrote this one
    assert Image.open(tmp_path / "g.png").size == size


@pytest.mark.graphviz
def test_a_clear_background_or_no_dpi_is_left_to_graphviz(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Partly covered pixels all over (every edge of every shape, over nothing) would be
    divided by their alpha one by one in Python: Graphviz writes that PNG itself."""
    written: list[str] = []
    real_write = raster.write_png

    def spy(out: io.BufferedWriter, pixels: memoryview, width: int, height: int,
            alpha: bool | None = None) -> None:
        written.append(background)
        real_write(out, pixels, width, height, alpha)

    monkeypatch.setattr(raster, "write_png", spy)
    dot = shutil.which("dot")
    assert dot is not None
    modes = {}
    for background in ("white", "transparent", "white; dpi=0"):
        (tmp_path / "g").write_text(f'digraph {{ dpi=72; bgcolor={background}; a -> b -> c }}')
        assert raster.render(dot, str(tmp_path / "g"), ["png"]) == 0
        modes[background] = Image.open(tmp_path / "g.png").mode
    assert written == ["white"]  # not a graph without a dpi either: its PNG is at dot's 96
    assert (modes["white"], modes["transparent"]) == ("RGB", "RGBA")


def _cairo(*pixels: tuple[int, int, int, int]) -> memoryview:
    """cairo's ARGB32 bytes on a little-endian machine (B, G, R, A; premultiplied) of
    straight (R, G, B, A) pixels."""
    return memoryview(b"".join(bytes((b * a // 255, g * a // 255, r * a // 255, a))
                               for r, g, b, a in pixels))


def test_write_png_undoes_premultiplied_alpha() -> None:
    out = io.BytesIO()
    raster.write_png(out, _cairo((255, 0, 0, 255), (0, 255, 0, 128), (0, 0, 0, 0),
                                 (10, 20, 30, 255), (20, 0, 0, 141), (0, 0, 0, 255)), 3, 2)
    image = Image.open(io.BytesIO(out.getvalue()))
    assert (image.size, image.mode) == ((3, 2), "RGBA")
    assert image.getpixel((0, 0)) == (255, 0, 0, 255)
    assert image.getpixel((1, 0)) == (0, 255, 0, 128)  # green, half covered
    assert image.getpixel((2, 0)) == (0, 0, 0, 0)
    assert image.getpixel((0, 1)) == (10, 20, 30, 255)
    # 20 * 141 // 255 = 11 stored; 11 * 255 / 141 = 19.9: rounded, as cairo writes it
    assert image.getpixel((1, 1)) == (20, 0, 0, 141)


def test_write_png_of_an_opaque_picture_is_rgb_without_row_filters() -> None:
    out = io.BytesIO()
    pixels = [(255, 255, 255, 255)] * 5 + [(1, 2, 3, 255)]
    raster.write_png(out, _cairo(*pixels), 3, 2)
    data = out.getvalue()
    image = Image.open(io.BytesIO(data))
    assert (image.size, image.mode) == ((3, 2), "RGB")
    assert image.getpixel((2, 1)) == (1, 2, 3)
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    rows = zlib.decompress(idat)
    assert [rows[i] for i in range(0, len(rows), 3 * 3 + 1)] == [0, 0]  # filter: none


def test_write_png_of_a_single_row() -> None:
    """The halves compressed side by side: one of them may hold no row."""
    out = io.BytesIO()
    raster.write_png(out, _cairo((1, 2, 3, 255), (4, 5, 6, 255)), 2, 1)
    image = Image.open(io.BytesIO(out.getvalue()))
    assert (image.size, image.mode, image.getpixel((1, 0))) == ((2, 1), "RGB", (4, 5, 6))


@pytest.mark.parametrize("first,second", [
    (b"", b""), (b"a", b""), (b"", b"b"), (b"\xff" * 70000, b"\x00\x01" * 40000),
    (bytes(range(256)) * 300, bytes(range(255, -1, -1)) * 500)])
def test_adler32_of_two_halves_is_that_of_the_whole(first: bytes, second: bytes) -> None:
    assert raster.adler32_combine(zlib.adler32(first), zlib.adler32(second),
                                  len(second)) == zlib.adler32(first + second)


@pytest.mark.graphviz
def test_a_folder_name_that_is_not_utf8_gets_every_format(tmp_path: Path) -> None:
    """Linux names are bytes: a folder named in Latin-1 (b'\\xe9') reaches Graphviz as the
    same bytes, for the PNG and for the formats Graphviz writes beside it."""
    path = write(tmp_path, SMALL.format(theme="light"))
    out = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    [(bp, source)] = prepare(str(path), Options(formats=("png", "svg")))
    render(bp, source, out)
    assert sorted(p.name for p in out.iterdir()) == ["bp.png", "bp.svg"]
    assert Image.open(out / "bp.png").mode == "RGB"


@pytest.mark.graphviz
def test_what_goes_wrong_in_the_drawing_process_is_one_line(tmp_path: Path) -> None:
    """A failure raster.py did not foresee (here: its graph is a folder) is said in one line,
    as dot would say it, not as a Python traceback that archgen would quote."""
    dot = shutil.which("dot")
    assert dot is not None
    (tmp_path / "g").mkdir()
    ran = subprocess.run(raster_command(dot, tmp_path / "g", ["png", "svg"]),
                         capture_output=True, text=True, cwd=tmp_path)
    said = ran.stderr.strip().splitlines()
    assert ran.returncode == 1
    assert len(said) == 1 and said[0].startswith("Error: ") and "Traceback" not in said[0]


def test_a_failure_compressing_the_second_half_is_raised_as_it_happened(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The second half is compressed in a thread: what fails there reaches the caller (and
    raster.main's one line), not a thread's traceback on stderr that archgen would quote."""
    real_rows = raster._rows

    def rows(pixels: memoryview, width: int, first: int, end: int, alpha: bool
             ) -> Iterator[memoryview]:
        if first > 0:
            raise MemoryError("no memory for the second half")
        yield from real_rows(pixels, width, first, end, alpha)

    monkeypatch.setattr(raster, "_rows", rows)
    with pytest.raises(MemoryError, match="second half"):
        raster.write_png(io.BytesIO(), _cairo(*[(1, 2, 3, 255)] * 4), 2, 2)
    assert capsys.readouterr().err == ""


class _Mapping(mmap.mmap):
    made: list[mmap.mmap] = []

    def __new__(cls, *args: Any) -> _Mapping:
        made = super().__new__(cls, *args)
        cls.made.append(made)
        return made


@pytest.mark.graphviz
def test_graphviz_draws_its_own_png_after_our_pixels_are_let_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture on a clear background is drawn again by Graphviz (a surface of its own): our
    drawing is unmapped first, or the process would hold both pictures at once."""
    dot = shutil.which("dot")
    assert dot is not None
    lib = raster._Graphviz(dot)
    gvc = lib.gvc.gvContext()
    g = lib.gvc.agmemread(b"digraph { dpi=72; bgcolor=transparent; a -> b -> c }")
    assert lib.gvc.gvLayout(gvc, g, b"dot") == 0
    open_when_graphviz_drew: list[bool] = []

    class Gvc:
        def __getattr__(self, name: str) -> Any:
            return getattr(lib.gvc, name)

        def gvRenderFilename(self, *args: Any) -> int:  # noqa: N802  (libgvc's name)
            open_when_graphviz_drew.extend(not m.closed for m in _Mapping.made)
            return int(lib.gvc.gvRenderFilename(*args))

    monkeypatch.setattr(_Mapping, "made", [])
    monkeypatch.setattr(mmap, "mmap", _Mapping)  # the module raster.py maps with
    ours = SimpleNamespace(gvc=Gvc(), cairo=lib.cairo)
    assert raster._png(cast(raster._Graphviz, ours), gvc, g, str(tmp_path / "g.png"), None)
    assert open_when_graphviz_drew == [False]
    assert Image.open(tmp_path / "g.png").mode == "RGBA"


@pytest.mark.graphviz
def test_a_libgvc_without_graphvizs_calls_leaves_the_files_to_dot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library named libgvc beside the `dot` that lacks the calls raster.py makes (another
    kind of library, or an old Graphviz): that dot draws the files, as before."""
    ctypes.CDLL("libz.so.1")  # zlib's, which every Debian has: loaded to learn its path
    zlib_file = next(line.split()[-1] for line in Path("/proc/self/maps").read_text()
                     .splitlines() if "/libz.so" in line)
    real = shutil.which("dot")
    assert real is not None
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "lib").mkdir()
    (prefix / "lib" / "libgvc.so.6").symlink_to(zlib_file)
    # dot's own program (not a script, which is run as it is for another reason), with the
    # wrong library beside it
    shutil.copy(os.path.realpath(real), prefix / "bin" / "dot")
    assert raster.libgvc_of(str(prefix / "bin" / "dot")) == str(prefix / "lib" / "libgvc.so.6")
    monkeypatch.setenv("PATH", f"{prefix / 'bin'}:{os.environ['PATH']}")
    path = write(tmp_path, SMALL.format(theme="light"))
    [(bp, source)] = prepare(str(path), Options(formats=("png", "svg")))
    render(bp, source, tmp_path / "out")
    png = Image.open(tmp_path / "out" / "bp.png")
    assert png.size == _dots_own_png(tmp_path, source).size
    assert _row_filters(tmp_path / "out" / "bp.png", *png.size, len(png.getbands())) != {0}, \
        "libpng's rows (dot wrote it), not raster.py's unfiltered ones"


def test_a_dot_that_is_a_script_is_run_as_it_is_not_bypassed(tmp_path: Path) -> None:
    real = shutil.which("dot")
    assert real is not None
    found = raster.libgvc_of(real)
    if found is None:
        pytest.skip("this Graphviz has no libgvc beside its dot")
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "libgvc.so.6").symlink_to(found)
    wrapper = tmp_path / "bin" / "dot"
    wrapper.write_text(f"#!/bin/sh\nulimit -v 4000000\nexec {real} \"$@\"\n")
    wrapper.chmod(0o755)
    assert raster.libgvc_of(str(wrapper)) is None  # its limits would be bypassed
    (tmp_path / "bin" / "dot").unlink()
    (tmp_path / "bin" / "dot").symlink_to(os.path.realpath(real))
    assert raster.libgvc_of(str(tmp_path / "bin" / "dot")) is not None  # a link to dot is dot


# Two boxes, the second's name written (as a value) before either box: `dot` (Graphviz
# 2.43) gives a named box the address of its name as its id and orders boxes by id, so it
# drew cluster_b first; raster.py counts ids, so boxes go in the order written.
NAMED_EARLY = """digraph G {
  node [tooltip="cluster_b"];
  x;
  subgraph cluster_a { a }
  subgraph cluster_b { b }
  x -> a;
  x -> b;
}
"""


@pytest.mark.graphviz
def test_boxes_are_laid_out_in_the_order_written_whether_or_not_a_png_is_drawn(
        tmp_path: Path) -> None:
    """The SVG of a render alone and with a PNG come from the same layout: before, SVG alone
    was `dot`'s, which orders boxes by where their names lie in memory (a generated
    300-node poster: 1.92 as wide as high alone, 2.25 with a PNG)."""
    dot = shutil.which("dot")
    assert dot is not None
    drawn = {}
    for formats in (["svg"], ["png", "svg"]):
        folder = tmp_path / "-".join(formats)
        folder.mkdir()
        (folder / "g").write_text(NAMED_EARLY)
        subprocess.run(raster_command(dot, folder / "g", formats), check=True, cwd=folder)
        drawn[folder.name] = (folder / "g.svg").read_text()
        boxes = re.findall(r'class="cluster">\s*<title>([^<]*)</title>', drawn[folder.name])
        assert boxes == ["cluster_a", "cluster_b"], formats
    assert drawn["svg"] == drawn["png-svg"]
