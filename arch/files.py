"""Finishing the files Graphviz wrote, so they travel: part of the render stage.

- SVG: every icon embedded once as a data URI (a <symbol> in <defs>) and drawn with <use>,
  so the file opens anywhere; the size fixed so that `dpi` does not scale the picture out of
  its own viewBox (Graphviz writes scale(dpi/72) inside a viewBox sized at 72 dpi).
- PNG: the resolution recorded in a pHYs chunk, so viewers and documents size it right.
- DOT: icon paths made relative to the diagrams resources folder; no absolute path stays.

Each function takes bytes and returns bytes, the same for the same input.
"""

from __future__ import annotations

import base64
import re
import struct
import xml.parsers.expat
import zlib
from collections.abc import Callable
from pathlib import Path

from . import images

_IMAGE = re.compile(
    r'<image xlink:href="(?P<href>[^"]*)" width="(?P<w>[\d.]+)px" height="(?P<h>[\d.]+)px" '
    r'preserveAspectRatio="xMinYMin meet" x="(?P<x>[-\d.]+)" y="(?P<y>[-\d.]+)"/>')
_SVG_SIZE = re.compile(
    r'<svg width="[\d.]+pt" height="[\d.]+pt"\s+viewBox="(?P<vx>[-\d.]+) (?P<vy>[-\d.]+) '
    r'(?P<vw>[\d.]+) (?P<vh>[\d.]+)"')
_SCALE = re.compile(r'(<g id="graph0" class="graph" transform=")scale\([\d. ]+\)')


def image_size(data: bytes) -> tuple[int, int]:
    """Pixel width and height of a PNG or JPEG."""
    try:
        return images.size(data)
    except images.BadImage:
        raise ValueError("not a PNG or JPEG image") from None


_SVG_PT = re.compile(rb'<svg width="(?P<w>[\d.]+)pt" height="(?P<h>[\d.]+)pt"')


def pixel_size(fmt: str, data: bytes) -> tuple[int, int] | None:
    """The size a browser shows a finished file at: PNG and JPEG pixels, SVG points at
    96 px per inch (CSS pixels); None for PDF and DOT, which no browser shows as an image."""
    if fmt in ("png", "jpg"):
        return image_size(data)
    if fmt == "svg":
        size = _SVG_PT.search(data[:4096])
        if size is not None:
            return round(float(size["w"]) * 4 / 3), round(float(size["h"]) * 4 / 3)
    return None


def complete(fmt: str, data: bytes) -> bool:
    """Whether a file Graphviz wrote is whole: its format's end marker is there (a killed
    or failing dot can leave half a file behind with no error)."""
    tail = data.rstrip()
    if fmt == "png":
        return data[:8] == b"\x89PNG\r\n\x1a\n" and data[-8:-4] == b"IEND"
    if fmt == "jpg":
        return data[:2] == b"\xff\xd8" and tail.endswith(b"\xff\xd9")
    if fmt == "pdf":
        return data[:5] == b"%PDF-" and b"%%EOF" in data[-1024:]
    if fmt == "svg":
        return tail.endswith(b"</svg>")
    if fmt == "dot":
        return tail.endswith(b"}")
    return bool(data)


def _mime(data: bytes) -> str:
    return "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"


def finish_svg(svg: bytes, read: Callable[[str], bytes]) -> bytes:
    """Embed every icon once and undo the dpi scaling; `read` returns an icon's bytes."""
    text = svg.decode("utf-8")
    symbols: dict[str, str] = {}  # href -> symbol id, in order of first use
    defs: list[str] = []

    def use(match: re.Match[str]) -> str:
        href = match["href"]
        if href not in symbols:
            data = read(href)
            pw, ph = image_size(data)
            symbols[href] = f"archgen-icon-{len(symbols) + 1}"
            encoded = base64.b64encode(data).decode("ascii")
            defs.append(
                f'<symbol id="{symbols[href]}" viewBox="0 0 {pw} {ph}" '
                f'preserveAspectRatio="xMinYMin meet"><image width="{pw}" height="{ph}" '
                f'xlink:href="data:{_mime(data)};base64,{encoded}"/></symbol>')
        return (f'<use xlink:href="#{symbols[href]}" x="{match["x"]}" y="{match["y"]}" '
                f'width="{match["w"]}" height="{match["h"]}"/>')

    text = _IMAGE.sub(use, text)
    size = _SVG_SIZE.search(text)
    if size is not None:
        text = (text[:size.start()]
                + f'<svg width="{size["vw"]}pt" height="{size["vh"]}pt"\n viewBox="{size["vx"]} '
                  f'{size["vy"]} {size["vw"]} {size["vh"]}"' + text[size.end():])
    text = _SCALE.sub(r"\1scale(1 1)", text, count=1)
    if defs:
        opening = re.search(r"<svg\b[^>]*>", text)
        assert opening is not None
        text = (text[:opening.end()] + "\n<defs>\n" + "\n".join(defs) + "\n</defs>"
                + text[opening.end():])
    return text.encode("utf-8")


# An embedded icon's base64, from its comma to its closing quote: most of a finished SVG.
_PAYLOAD = re.compile(rb'(="data:image/(?:png|jpeg);base64,)[A-Za-z0-9+/=]+(?=")')


def xml_problem(data: bytes) -> str | None:
    """Why a file is not well-formed XML, or None when it is (expat fetches nothing: the
    DTD Graphviz names is not read). The icons' base64 is first left out, which makes the
    parse of a finished SVG five times faster and cannot hide a fault: letters, digits,
    + / and = between a comma and a quote are markup nowhere (a name cannot hold the comma),
    and text, attribute values and comments take them all. Only when that shorter text is
    not well-formed is the whole parsed, to name the exact place."""
    if _expat_problem(_PAYLOAD.sub(rb"\1", data)) is None:
        return None
    return _expat_problem(data)


def _expat_problem(data: bytes) -> str | None:
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return str(exc)
    return None


# The time cairo stamps a PDF with (it ignores SOURCE_DATE_EPOCH before 1.17).
_PDF_TIMES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[0-9]{4,14}[-+Z0-9']{0,7}\)")


def finish_pdf(pdf: bytes) -> bytes:
    """The same picture, the same bytes: the time stamps blanked out with as many spaces,
    so that every offset in the cross-reference table still holds."""
    return _PDF_TIMES.sub(lambda m: b" " * len(m[0]), pdf)


def finish_png(png: bytes, dpi: int) -> bytes:
    """Record `dpi` in a pHYs chunk right after IHDR (replacing one Graphviz wrote)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return png
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    out = [png[:8]]
    i = 8
    while i < len(png):
        length, kind = struct.unpack(">I4s", png[i:i + 8])
        end = i + 12 + length
        if kind != b"pHYs":
            out.append(png[i:end])
        if kind == b"IHDR":
            out.append(chunk)
        i = end
    return b"".join(out)


def finish_jpg(jpg: bytes, dpi: int) -> bytes:
    """Record `dpi` in the JFIF header (Graphviz's gd writer always says 96 dots per inch,
    whatever the size it drew at); a JPEG without a JFIF header is left as it is."""
    if jpg[:4] != b"\xff\xd8\xff\xe0" or jpg[6:11] != b"JFIF\x00" or len(jpg) < 18:
        return jpg
    density = min(dpi, 0xFFFF)  # two bytes each way
    return jpg[:13] + struct.pack(">BHH", 1, density, density) + jpg[18:]


def finish_dot(dot: bytes, resources: Path) -> bytes:
    """Icon paths relative to diagrams' resources folder instead of this machine's path."""
    root = str(resources).rstrip("/")
    # icon paths become relative; imagepath loses the folder (it is this machine's)
    text = dot.decode("utf-8").replace(root + "/", "").replace(root, "")
    return text.encode("utf-8")
