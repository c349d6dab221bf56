"""Custom icons: what an image file holds, bounded before Graphviz ever decodes it.

A blueprint's icon is untrusted: a 1 MB PNG can declare 16000 x 16000 pixels (1 GB once
decoded), a file can carry megabytes after its image ends, a JPEG can be valid in ways a
short header reader does not expect (fill bytes before a marker, a standalone marker, the
size late in the file). So the header is read by Pillow, a well-kept image library that
knows every such form, and an icon is refused unless it is at most MAX_ICON_BYTES, declares
at most MAX_ICON_SIDE pixels a side, and decodes (JPEGs at 1/8 scale: enough to find damage,
cheap). Only the image itself, up to its end marker, is handed to Graphviz and embedded (a
JPEG without the fill bytes and standalone markers that carry nothing).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from pathlib import Path

from .record import Record, _set

MAX_ICON_BYTES = 2 * 1024 * 1024
MAX_ICON_SIDE = 4096  # pixels: at most 64 MB once decoded, and plenty for an icon
_PNG = b"\x89PNG\r\n\x1a\n"


class BadImage(Exception):
    """Why an icon cannot be drawn, in words that follow "icon 'x.png' "."""


class Image(Record):
    __slots__ = ("kind", "width", "height")
    kind: str  # "png" or "jpeg"
    width: int
    height: int

    def __init__(self, kind: str, width: int, height: int) -> None:
        _set(self, "kind", kind)
        _set(self, "width", width)
        _set(self, "height", height)

    @property
    def mime(self) -> str:
        return f"image/{self.kind}"


def size(data: bytes) -> tuple[int, int]:
    """Pixel width and height of a PNG or JPEG (a PNG from its IHDR, a JPEG by Pillow)."""
    if data[:8] == _PNG and data[12:16] == b"IHDR" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        data = _jpeg_image(data)
    return _open(data)[1:3]


def inspect(data: bytes) -> tuple[Image, bytes]:
    """Check an icon's bytes completely; return what it is and the image alone (what
    Graphviz gets and the SVG embeds). Raise BadImage saying what is wrong."""
    if len(data) > MAX_ICON_BYTES:
        raise BadImage(f"is larger than {MAX_ICON_BYTES // 2**20} MB")
    if data[:2] == b"\xff\xd8":
        data = _jpeg_image(data)
    # a PNG's declared size first: a bomb is named by its size, before Pillow sees it
    kind, width, height = ("png", *size(data)) if data[:8] == _PNG else _open(data)
    if width > MAX_ICON_SIDE or height > MAX_ICON_SIDE or not width or not height:
        raise BadImage(f"declares {width} x {height} pixels; an icon may have at most "
                       f"{MAX_ICON_SIDE} pixels a side")
    if kind == "png":
        data = data[:_png_end(data)]
    _decode(data)
    return Image(kind, width, height), data


def _open(data: bytes) -> tuple[str, int, int]:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as img:
                return ("png" if img.format == "PNG" else "jpeg"), img.width, img.height
    except PILImage.DecompressionBombError:
        raise BadImage("declares far too many pixels (a decompression bomb)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        if data[:8] == _PNG or data[:2] == b"\xff\xd8":
            raise BadImage("is damaged (its header cannot be read)") from None
        raise BadImage("is not a PNG or JPEG image") from None


def _decode(data: bytes) -> None:
    from PIL import Image as PILImage

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as img:
                if img.format == "JPEG":
                    img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
                img.load()
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise BadImage(f"is damaged ({exc})") from None


def _png_end(data: bytes) -> int:
    """The offset just after the IEND chunk."""
    i = 8
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        i += 12 + int(length)
        if kind == b"IEND":
            return min(i, len(data))
    raise BadImage("is damaged (the PNG has no end chunk)")


# A JFIF APP0 segment: version 1.1, no density units, 1:1, no thumbnail.
_JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


# Outside segments, 0xFF is always followed by a marker or a stuffed 0x00: no false match.
_APP14_ADOBE = re.compile(rb"\xff\xee[\x00-\xff]{2}Adobe", re.DOTALL)


def _adobe(data: bytes) -> bool:
    """Whether the JPEG has an Adobe APP14 segment (its colours are CMYK or RGB, which a
    JFIF segment would misname)."""
    return _APP14_ADOBE.search(data) is not None


# Markers that stand alone, without a length: TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}


def _jpeg_image(data: bytes) -> bytes:
    """The JPEG's marker stream up to its end marker (EOI), without what carries nothing:
    fill bytes before a marker and standalone TEM/RST markers between segments (valid, and
    drawn by Graphviz, but refused by Pillow). Segments are skipped by their length; the
    entropy-coded data after a SOS runs to the next marker (0xFF00 is a stuffed byte,
    0xFFD0-D7 a restart inside it)."""
    out = [data[:2]]
    i = 2
    n = len(data)
    first = True
    while i < n:
        if data[i] != 0xFF:
            raise BadImage("is damaged (no JPEG marker where one belongs)")
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            continue
        if i + 2 > n:
            break
        start = i - 2
        if first and marker != 0xE0:
            # Graphviz (2.43) knows a JPEG only by a JFIF segment (APP0) right after its
            # start: a camera's (Exif first) gets a plain one, or it would not be drawn.
            if _adobe(data):
                raise BadImage("is an Adobe (CMYK or RGB) JPEG, which Graphviz does not draw; "
                               "save it as a PNG or an ordinary JPEG")
            out.append(_JFIF)
        first = False
        i += int(struct.unpack(">H", data[i:i + 2])[0])
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            while i + 1 < n and not (data[i] == 0xFF and data[i + 1] not in (
                    0x00, *range(0xD0, 0xD8))):
                i += 1
        out.append(b"\xff" + data[start + 1:i])
    return b"".join(out)  # no end marker: the file ends the image (libjpeg accepts it)


def read_icon(path: str | Path) -> tuple[bytes, Image]:
    """An icon file's image bytes (without anything after the image) and what it is; only
    a regular file is read, never past MAX_ICON_BYTES. BadImage says why not."""
    from .regular import NotRegular, TooLarge, read_regular

    try:
        data = read_regular(path, MAX_ICON_BYTES)
    except TooLarge:
        raise BadImage(f"is larger than {MAX_ICON_BYTES // 2**20} MB") from None
    except NotRegular as exc:
        raise BadImage(f"is {exc}, not an image file") from None
    except FileNotFoundError:
        raise BadImage("does not exist") from None
    except OSError as exc:
        raise BadImage(f"cannot be read ({exc.strerror})") from None
    info, image = inspect(data)
    return image, info
