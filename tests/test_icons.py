"""Custom icons: every form Graphviz draws renders, the image alone is embedded, and a bad
icon (too big, a bomb, damaged, not a file) is refused at its line by validate and render
alike, in bounded memory."""

from __future__ import annotations

import base64
import io
import os
import resource
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from arch import icons, styles

from .helpers import invoke, png, write

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(out, "JPEG")
    return out.getvalue()


def _after_app0(extra: bytes) -> bytes:
    """A JPEG with `extra` right after its APP0 segment (where Graphviz still knows it)."""
    jpg = _jpeg()
    end = 4 + int.from_bytes(jpg[4:6], "big")
    return jpg[:end] + extra + jpg[end:]


def _exif_first() -> bytes:
    jpg = _jpeg()
    end = 4 + int.from_bytes(jpg[4:6], "big")  # without its APP0 (JFIF) segment
    exif = Image.Exif()
    exif[0x010E] = "a camera"
    segment = b"Exif\x00\x00" + exif.tobytes()
    return jpg[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + jpg[end:]


def _cmyk() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (40, 30), (200, 10, 30, 0)).save(out, "JPEG")
    return out.getvalue()


def _png_chunked(width: int, height: int, raw_rows: Callable[[], list[bytes]],
                 color_type: int = 0) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(raw_rows()))
            + chunk(b"IEND", b""))


def _bomb(side: int) -> bytes:
    """A real decompression bomb: side x side grey pixels of zero, about 600 KB."""
    def rows() -> list[bytes]:
        c = zlib.compressobj(1)
        row = b"\0" * (side + 1)
        return [c.compress(row) for _ in range(side)] + [c.flush()]
    return _png_chunked(side, side, rows)


def _declared(width: int, height: int) -> bytes:
    """A small file declaring a huge picture (its data would never fill it)."""
    return _png_chunked(width, height, lambda: [zlib.compress(b"\0" * 100)])


DRAWN = {
    # JPEG forms Graphviz draws that a short header reader got wrong
    "fill-bytes-before-a-marker.jpg": _after_app0(b"\xff\xff\xff"),
    "standalone-marker.jpg": _after_app0(b"\xff\x01"),
    "restart-marker-between-segments.jpg": _after_app0(b"\xff\xd0"),
    "size-late-in-the-file.jpg": _after_app0(b"\xff\xfe" + (60002).to_bytes(2, "big")
                                             + b"c" * 60000),
    # a camera's JPEG (Exif first, no JFIF): Graphviz draws it once given a JFIF segment
    "exif-first.jpg": _exif_first(),
    # trailing junk is left out of what is embedded
    "junk-after-the-end.png": png() + b"JUNK" * 50_000,
    "junk-after-the-end.jpg": _jpeg() + b"JUNK" * 50_000,
}


def _embedded(svg: Path) -> list[bytes]:
    root = ET.parse(svg).getroot()
    found = []
    for image in root.iter(f"{SVG}image"):
        href = image.get(XLINK) or ""
        if href.startswith("data:"):
            found.append(base64.b64decode(href.split(",", 1)[1]))
    return found


@pytest.mark.graphviz
@pytest.mark.parametrize("name", sorted(DRAWN))
def test_icon_forms_graphviz_draws_render_with_the_image_alone_embedded(
        name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(DRAWN[name])
    path = write(tmp_path, f"blueprint: 1\ntitle: I\nnodes: [{{icon: {name}, label: Mine}}]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "-f", "svg,png", "-v"])
    assert result.exit_code == 0, result.stderr
    assert "improper image" not in result.stderr  # Graphviz drew it
    [custom] = [d for d in _embedded(tmp_path / "out" / "bp.svg") if b"JFIF" in d[:16]
                or d[:8] == b"\x89PNG\r\n\x1a\n" and len(d) < 10_000 and b"IHDR" in d[:16]
                and Image.open(io.BytesIO(d)).size in ((4, 4), (40, 30))]
    assert b"JUNK" not in custom
    with Image.open(io.BytesIO(custom)) as img:
        img.load()
        assert img.size == ((40, 30) if name.endswith(".jpg") else (4, 4))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


BAD: dict[str, tuple[Callable[[Path], object], str]] = {
    "declared-16000-a-side": (lambda p: p.write_bytes(_declared(16000, 16000)),
                              "declares 16000 x 16000 pixels; an icon may have at most 4096"),
    "one-pixel-over": (lambda p: p.write_bytes(_declared(4097, 1)), "declares 4097 x 1 pixels"),
    "over-2-mb": (lambda p: p.write_bytes(png() + b"\0" * (2 * 2**20)), "is larger than 2 MB"),
    "cut-in-half": (lambda p: p.write_bytes(png(64, 64)[:60]), "is damaged"),
    "not-an-image": (lambda p: p.write_text("#!/bin/sh\necho hi\n"),
                     "is not a PNG or JPEG image"),
    "empty": (lambda p: p.write_bytes(b""), "is not a PNG or JPEG image"),
    "jpeg-cut-short": (lambda p: p.write_bytes(_jpeg()[:-200]), "is damaged"),
    "named-pipe": (_fifo, "is a named pipe (FIFO), not an image file"),
    "adobe-cmyk-jpeg": (lambda p: p.write_bytes(_cmyk()),
                        "is an Adobe (CMYK or RGB) JPEG, which Graphviz does not draw"),
    "folder": (lambda p: p.mkdir(), "is a folder, not an image file"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_icon_is_refused_at_its_line_by_validate_and_render(
        case: str, tmp_path: Path) -> None:
    make, said = BAD[case]
    make(tmp_path / "icon.png")
    path = write(tmp_path, "blueprint: 1\ntitle: I\nnodes:\n  - EC2\n"
                           "  - {icon: icon.png, label: Mine}\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bp.svg").write_text("old")
    for command in (["validate", str(path)], ["render", str(path), "-o", str(out)]):
        result = invoke(command)
        assert result.exit_code == 1
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{path}:5:12: error: icon 'icon.png' {said}"), first
        assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["bp.svg"]
    assert (out / "bp.svg").read_text() == "old"


@pytest.mark.graphviz
@pytest.mark.parametrize("icon,options", [
    ("bp/icon.png", []),  # a folder named like the blueprint's stem (and DOT file)
    (".bin/icon.png", []),  # where the dot wrapper used to live
    ("dot/icon.png", []),  # named like the work folder's parts
    ("run/icon.png", []),
])
def test_icon_layouts_that_are_valid_render(icon: str, options: list[str],
                                            tmp_path: Path) -> None:
    (tmp_path / icon).parent.mkdir(parents=True)
    (tmp_path / icon).write_bytes(png())
    path = write(tmp_path, f"blueprint: 1\ntitle: I\nnodes: [{{icon: '{icon}', label: M}}]\n")
    assert invoke(["validate", str(path)]).exit_code == 0
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "-f", "svg,png", *options])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bp.png", "bp.svg"]


def test_an_icon_named_like_a_variant_s_file_is_refused_before_anything_is_written(
        tmp_path: Path) -> None:
    (tmp_path / "bp--x.png").write_bytes(png())
    path = write(tmp_path, "blueprint: 1\ntitle: I\nnodes: [EC2, S3, {icon: bp--x.png, "
                           "label: M}]\nalternatives:\n  - {id: x, label: X, replace: [s3], "
                           "with: EFS}\n")
    validated = invoke(["validate", str(path)])
    rendered = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                       "--all-variants", "-f", "png"])
    assert validated.exit_code == rendered.exit_code == 1
    assert "has the name of an output file" in validated.stderr
    assert "has the name of an output file" in rendered.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


_AS_LIMIT = 512 * 2**20


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_AS_LIMIT, _AS_LIMIT))


@pytest.mark.graphviz
@pytest.mark.parametrize("icon,ok", [
    (lambda: _bomb(12000), False),  # 144 MB of pixels: 576 MB once Graphviz decodes it
    (lambda: _png_chunked(4096, 4096, lambda: [zlib.compress(b"\0" * 4097 * 4096, 1)]),
     True),  # the largest icon allowed still renders under the limit
], ids=["decompression-bomb", "largest-allowed"])
def test_rendering_an_icon_stays_under_512_mb_of_address_space(
        icon: Callable[[], bytes], ok: bool, tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(icon())
    path = write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [{icon: big.png, label: B}, EC2]\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "arch", "render", str(path), "-o", str(out),
                           "-f", "png,svg"], capture_output=True, text=True,
                          preexec_fn=_limited, timeout=300)
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    if ok:
        assert proc.returncode == 0, proc.stderr
        assert sorted(p.name for p in out.iterdir()) == ["bp.png", "bp.svg"]
    else:
        assert proc.returncode == 1
        assert proc.stderr.startswith(f"{path}:3:16: error: icon 'big.png' declares 12000 x "
                                      f"12000 pixels"), proc.stderr
        assert not out.exists() or list(out.iterdir()) == []


def _corner(data: bytes) -> tuple[int, int, int, int]:
    with Image.open(io.BytesIO(data)) as img:
        r, g, b, a = img.convert("RGBA").getpixel((2, 2))
        return int(r), int(g), int(b), int(a)


@pytest.mark.parametrize("name", sorted(icons.CHECKERED))
def test_diagrams_checkered_icons_have_their_painted_squares_made_transparent(name: str) -> None:
    """Each listed icon still has an opaque grey checkerboard in diagrams' resources (else
    the list is stale); cleaned, its squares are transparent and its logo is kept."""
    shipped = (icons.RESOURCES / name).read_bytes()
    r, g, b, a = _corner(shipped)
    assert a == 255 and min(r, g, b) >= 200 and max(r, g, b) - min(r, g, b) <= 6
    with Image.open(io.BytesIO(icons.unchecker(shipped))) as img:
        alphas = img.convert("RGBA").getchannel("A").tobytes()
    assert alphas[2 * img.width + 2] == 0
    assert 0.02 < sum(1 for x in alphas if x) / len(alphas) < 0.6  # the logo, not the page


@pytest.mark.graphviz
def test_a_checkered_icon_is_drawn_cleaned_and_tiled_in_the_dark_theme(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: Pay\ntheme: dark\n"
                           "nodes: [{id: paypal, type: Paypal}]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"), "-f", "svg,dot"])
    assert result.exit_code == 0, result.stderr
    [logo] = [d for d in _embedded(tmp_path / "out" / "bp.svg")
              if Image.open(io.BytesIO(d)).size == (256, 256)]
    assert _corner(logo)[3] == 0  # drawn without its squares
    dot = (tmp_path / "out" / "bp.dot").read_text(encoding="utf-8")
    assert "saas/payment/paypal.png" in dot and str(icons.RESOURCES) not in dot
    # judged as drawn: its dark wordmark is faint on the dark page, so it gets a tile
    paypal = icons.RESOURCES / "saas/payment/paypal.png"
    assert styles.tile(paypal, styles.THEMES["dark"].background, "dark") is not None
