"""Part of render: the child process that lays a graph out once and writes every format.

It does what `dot -Kdot -Tpng -Tsvg -O GRAPH` does, through the same Graphviz libraries,
with one difference: the PNG. Graphviz draws it with cairo (quickly: ~15% of `dot -Tpng`'s
time on the seed) and then has libpng try every row filter and compress at zlib's level 6,
which takes most of the rest. Here Graphviz's cairo renderer draws into a surface this
process owns (`gvRenderContext`), so the pixels are exactly those of `dot -Tpng`, and they
are written as a PNG without row filters at ZLIB_LEVEL: about half of dot's PNG time on
the shipped pictures, and a smaller file (docs/benchmarks.md).

It runs as a separate process (render.py starts it as it started dot), so a crash, a hang
or a timeout in Graphviz stays out of archgen. It imports nothing of archgen (only the
standard library and Pillow, which undoes cairo's premultiplied alpha), and it runs the
`dot` it is given, unchanged, whenever the fast path cannot be taken: when that dot's own
Graphviz libraries are not found next to it (a `dot` of another layout, or a wrapper, as the
tests use), when Pillow cannot be imported, on a big-endian machine, and for a picture of
32767 pixels a side or more (Graphviz scales such a picture down to fit cairo and says so:
its own PNG is written then, as before).

    python raster.py DOT GRAPH FORMAT...   (writes GRAPH.FORMAT for each, like dot -O)
"""

from __future__ import annotations

import ctypes
import os
import re
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast

# zlib's level for the PNG: without row filters, level 6 makes a file about 15% smaller
# than libpng's (adaptive filters, level 6) in about half the time (measured on the seed).
ZLIB_LEVEL = 3
# cairo's image surfaces: below this many pixels a side (Graphviz's CAIRO_XMAX).
CAIRO_MAX = 32767
_BAND_ROWS = 64  # rows converted and compressed at a time: bounded memory beside the surface
_IDAT_BYTES = 1 << 20  # compressed bytes per IDAT chunk
_GD_DISABLED = b"GD Warning: GD image support has been disabled"

_SVG_SIZE = re.compile(rb'<svg width="(\d+)pt" height="(\d+)pt"')


class Unavailable(Exception):
    """The fast path cannot be taken here: dot itself writes the files."""


def libgvc_of(dot: str) -> str | None:
    """The Graphviz library of this `dot`: libgvc in PREFIX/lib or PREFIX/lib/* for the
    PREFIX/bin it is in (as installed or as linked, e.g. Debian's /usr/bin/dot); None when
    there is none (a wrapper, a dot of another kind)."""
    for bin_dir in dict.fromkeys([os.path.dirname(os.path.abspath(dot)),
                                  os.path.dirname(os.path.realpath(dot))]):
        lib = os.path.join(os.path.dirname(bin_dir), "lib")
        try:
            folders = [lib] + sorted(os.path.join(lib, name) for name in os.listdir(lib))
        except OSError:
            continue
        for folder in folders:
            if os.path.isfile(os.path.join(folder, "libgvc.so.6")):
                return os.path.join(folder, "libgvc.so.6")
    return None


class _Graphviz:
    """The few calls of libgvc and libcairo this needs, through ctypes."""

    def __init__(self, dot: str) -> None:
        if sys.byteorder != "little":  # cairo's ARGB32 is native-endian: read as BGRA here
            raise Unavailable("big-endian")
        found = libgvc_of(dot)
        if found is None:
            raise Unavailable("no libgvc next to this dot")
        try:
            gvc = ctypes.CDLL(found)
            cairo = ctypes.CDLL("libcairo.so.2")
        except OSError as exc:
            raise Unavailable(str(exc)) from None
        p, s = ctypes.c_void_p, ctypes.c_char_p
        gvc.gvContext.restype = p
        gvc.agmemread.restype = p  # libcgraph's, found through libgvc
        gvc.agmemread.argtypes = [s]
        gvc.gvLayout.argtypes = [p, p, s]
        gvc.gvRenderFilename.argtypes = [p, p, s, s]
        gvc.gvRenderContext.argtypes = [p, p, s, p]
        gvc.gvRenderData.argtypes = [p, p, s, ctypes.POINTER(ctypes.c_char_p),
                                     ctypes.POINTER(ctypes.c_uint)]
        gvc.gvFreeRenderData.argtypes = [ctypes.c_char_p]
        cairo.cairo_image_surface_create.restype = p
        cairo.cairo_image_surface_create.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        cairo.cairo_surface_status.argtypes = [p]
        cairo.cairo_create.restype = p
        cairo.cairo_create.argtypes = [p]
        cairo.cairo_destroy.argtypes = [p]
        cairo.cairo_surface_destroy.argtypes = [p]
        cairo.cairo_surface_flush.argtypes = [p]
        cairo.cairo_image_surface_get_data.restype = p
        cairo.cairo_image_surface_get_data.argtypes = [p]
        cairo.cairo_image_surface_get_stride.argtypes = [p]
        self.gvc, self.cairo = gvc, cairo


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def alpha_census(pixels: memoryview) -> tuple[bool, int]:
    """Of cairo's ARGB32 data (B, G, R, A bytes here): whether any pixel is not opaque, and
    how many are partly covered (neither opaque nor clear)."""
    step = 1 << 20  # bytes at a time (a copy, then every 4th byte: faster than a strided view)
    seen, partial = False, 0
    for i in range(0, len(pixels), step):
        alpha = pixels[i:i + step].tobytes()[3::4]
        seen = seen or bool(alpha.translate(None, b"\xff"))
        partial += len(alpha.translate(None, b"\x00\xff"))
    return seen, partial


_PARTIAL = re.compile(rb"[^\x00\xff]")


def _rows(pixels: memoryview, width: int, height: int, alpha: bool) -> Iterator[memoryview]:
    """cairo's premultiplied BGRA pixels as straight RGBA scanlines (RGB without `alpha`),
    converted by Pillow a band of rows at a time. A partly covered pixel's colour is
    divided by its alpha as cairo's PNG writer divides it (rounded; Pillow truncates)."""
    from PIL import Image

    mode, raw = ("RGBA", "BGRa") if alpha else ("RGB", "BGRX")
    stride, line = width * 4, width * len(mode)
    for top in range(0, height, _BAND_ROWS):
        rows = min(_BAND_ROWS, height - top)
        source = pixels[top * stride:(top + rows) * stride]
        band = Image.frombuffer(mode, (width, rows), cast(bytes, source), "raw", raw, stride,
                                1).tobytes()
        if alpha:
            fixed = bytearray(band)
            for match in _PARTIAL.finditer(source.tobytes()[3::4]):
                i = match.start() * 4
                b, g, r, a = source[i:i + 4]
                fixed[i:i + 3] = bytes((r * 255 + a // 2) // a for r in (r, g, b))
            band = bytes(fixed)
        view = memoryview(band)
        for start in range(0, len(band), line):
            yield view[start:start + line]


def write_png(out: BinaryIO, pixels: memoryview, width: int, height: int,
              alpha: bool | None = None) -> None:
    """A PNG of cairo's ARGB32 pixels (a stride of 4 bytes a pixel), as cairo writes it:
    8-bit RGB when every pixel is opaque, else RGBA (`alpha`: whether any pixel is not
    opaque, if known); here without row filters, zlib at ZLIB_LEVEL, written as it is
    compressed. The same pixels give the same bytes."""
    if alpha is None:
        alpha, _ = alpha_census(pixels)
    out.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)))
    z = zlib.compressobj(ZLIB_LEVEL)
    pending = bytearray()
    for row in _rows(pixels, width, height, alpha):
        pending += z.compress(b"\0")  # the row's filter: none
        pending += z.compress(row)
        if len(pending) >= _IDAT_BYTES:
            out.write(_chunk(b"IDAT", bytes(pending)))
            pending.clear()
    pending += z.flush()
    out.write(_chunk(b"IDAT", bytes(pending)) + _chunk(b"IEND", b""))


def _size(lib: _Graphviz, gvc: Any, g: Any) -> tuple[int, int]:
    """The picture's size in pixels, as Graphviz sizes its PNG: the SVG's width and height
    in points are those pixels (both are the graph's size at its dpi)."""
    data, length = ctypes.c_char_p(), ctypes.c_uint()
    if lib.gvc.gvRenderData(gvc, g, b"svg", ctypes.byref(data), ctypes.byref(length)) != 0:
        raise Unavailable("no svg")
    try:
        head = ctypes.string_at(data, min(length.value, 4096))
    finally:
        lib.gvc.gvFreeRenderData(data)
    size = _SVG_SIZE.search(head)
    if size is None:
        raise Unavailable("no size")
    return int(size[1]), int(size[2])


def _png(lib: _Graphviz, gvc: Any, g: Any, path: str) -> bool:
    """Graphviz's cairo renderer draws into a surface of ours; written by write_png. A
    picture cairo cannot hold, Graphviz writes itself (scaled down, as it says)."""
    width, height = _size(lib, gvc, g)
    if width >= CAIRO_MAX or height >= CAIRO_MAX:
        return bool(lib.gvc.gvRenderFilename(gvc, g, b"png", path.encode()) == 0)
    cairo = lib.cairo
    surface = cairo.cairo_image_surface_create(0, width, height)  # CAIRO_FORMAT_ARGB32
    if cairo.cairo_surface_status(surface) != 0:
        cairo.cairo_surface_destroy(surface)
        sys.stderr.write(f"Error: cannot allocate a {width} x {height} picture\n")
        return False
    cr = cairo.cairo_create(surface)
    try:
        # The gd device is a vehicle only: with a context of ours, cairo draws into it and
        # the device gets the pixels, which it cannot write as a GD file (libgd's GD format is
        # disabled; if it is not, its file goes to our stdout, which is discarded).
        if _quietly(lambda: lib.gvc.gvRenderContext(gvc, g, b"gd:cairo:gd", cr)) != 0:
            # no gd plugin to carry the pixels (or the drawing failed): Graphviz's own PNG
            return bool(lib.gvc.gvRenderFilename(gvc, g, b"png", path.encode()) == 0)
        cairo.cairo_surface_flush(surface)
        if cairo.cairo_image_surface_get_stride(surface) != width * 4:  # cairo's ARGB32 has none
            return bool(lib.gvc.gvRenderFilename(gvc, g, b"png", path.encode()) == 0)
        data = cairo.cairo_image_surface_get_data(surface)
        pixels = memoryview((ctypes.c_ubyte * (width * 4 * height)).from_address(data)).cast("B")
        alpha, partial = alpha_census(pixels)
        if partial > 2 * (width + height):  # more than a partly covered edge: a clear background
            return bool(lib.gvc.gvRenderFilename(gvc, g, b"png", path.encode()) == 0)
        with open(path, "wb") as out:
            write_png(out, pixels, width, height, alpha)
        return True
    finally:
        cairo.cairo_destroy(cr)
        cairo.cairo_surface_destroy(surface)


def _quietly(call: Callable[[], int]) -> int:
    """Run `call` with Graphviz's stderr caught, and pass on all it said but libgd's line
    about its GD format (that device only carries the pixels here)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with _scratch_file() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            result = call()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        said = caught.read()
    for line in said.splitlines(keepends=True):
        if not line.startswith(_GD_DISABLED):
            os.write(2, line)
    return result


def _scratch_file() -> BinaryIO:
    """A file in memory where the system has them (no module to import), else on disk."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("graphviz-said"), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def render(dot: str, graph: str, formats: list[str]) -> int:
    """Lay `graph` out once and write GRAPH.FORMAT for each format; the exit status."""
    lib = _Graphviz(dot)
    try:
        import PIL.Image  # noqa: F401  (Pillow undoes cairo's premultiplied alpha)
    except ImportError as exc:
        raise Unavailable(str(exc)) from None
    gvc = lib.gvc.gvContext()
    with open(graph, "rb") as file:
        g = lib.gvc.agmemread(file.read())
    if not g:  # Graphviz said why on stderr
        return 1
    if lib.gvc.gvLayout(gvc, g, b"dot") != 0:
        return 1
    code = 0
    for fmt in formats:
        path = f"{graph}.{fmt}"
        if fmt == "png":
            ok = _png(lib, gvc, g, path)
        else:
            ok = lib.gvc.gvRenderFilename(gvc, g, fmt.encode(), path.encode()) == 0
        if not ok:
            code = 1
            break
    # As dot ends, any error Graphviz said (agerr) makes the exit status non-zero. Nothing is
    # freed: the process ends here, and agclose() of a graph from agmemread() reaches the
    # reader's discipline on a stack long gone (glibc then aborts on the damaged heap).
    return max(code, int(lib.gvc.agerrors()))


def main(argv: list[str]) -> None:
    dot, graph, *formats = argv
    try:
        code = render(dot, graph, formats)
    except Unavailable:
        os.execv(dot, [dot, "-Kdot", *(f"-T{fmt}" for fmt in formats), "-O", graph])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(min(code, 1) if code >= 0 else 1)  # every file is closed: Graphviz closes each


if __name__ == "__main__":
    main(sys.argv[1:])
