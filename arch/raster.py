"""Part of render: the child process that lays a graph out once and writes every format.

It does what `dot -Kdot -Tpng -Tsvg -O GRAPH` does, through the same Graphviz libraries
(those of that `dot`, through ctypes), with two differences.

The order of the boxes. Graphviz 2.43 keeps a graph's subgraphs in the order of their ids,
and the id of a named one is the address of its name in memory: the same graph was laid
out one way by `dot` and another by this process (whose memory Python had used first),
and by one Python and another (a generated 300-node poster: 328 defects and 1.92 as wide
as high by `dot`, 323 and 2.25 here, 327 and 2.26 in another). Here every object gets a
counted id (libcgraph keeps its name in its own table, as for an anonymous one), so the
subgraphs go in the order written, in every process. render.py lays out every graph,
whatever the formats, through this (the 44 pictures of the project's corpus are laid out
exactly as `dot` lays them out).

The PNG. Graphviz draws it with
cairo (quickly: about 15% of `dot -Tpng`'s time on the seed) and then has libpng try every
row filter on every row and compress at zlib's level 6, which takes most of the rest. Here
Graphviz's cairo renderer draws into pixels this process owns (`gvRenderContext`), so they
are exactly those of `dot -Tpng`, and they are written as a PNG of the same mode (RGB when
every pixel is opaque, as cairo writes it, else RGBA) without row filters at ZLIB_LEVEL:
about half of dot's PNG time on the seed (docs/benchmarks.md).

It runs as a separate process, as dot did (render.py starts it), so a crash, a hang or a
timeout in Graphviz stays out of archgen. It imports nothing but the standard library
(importing Pillow took about 0.02 s of every render: cairo's premultiplied BGRA becomes
RGB(A) by slicing, the few partly covered pixels divided one by one). Whenever the
fast path cannot be taken, Graphviz's own writer takes over: the `dot` it is given runs
instead, unchanged, when that dot's libraries are not beside it (a wrapper, as some tests
use, or another installation) or lack its calls, on a big-endian machine; Graphviz
writes the PNG itself for a picture of 32767 pixels a side or more (it scales such a
picture down to fit cairo, and says so), one on a clear background, or a graph without
a dpi.

    python raster.py DOT GRAPH FORMAT...   (writes GRAPH.FORMAT for each, like dot -O)
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
import sys
import zlib

# typing is not imported when run (with the `re` it imports: 0.007 s of every layout);
# mypy reads a module constant of this name as typing's
TYPE_CHECKING = False
if TYPE_CHECKING:  # not imported when run: a layout of SVG alone starts in about 0.01 s
    from collections.abc import Iterator
    from typing import Any, BinaryIO

# zlib's level for the PNG's unfiltered rows. On the seed at 96 dpi (9.2 megapixels): level
# 3 compresses in 0.04 s to 10-17% more bytes than libpng's file; level 6 takes twice that
# for 16% fewer bytes; libpng's filters and level 6 take about 0.25 s (docs/benchmarks.md).
ZLIB_LEVEL = 3
# cairo's image surfaces: below this many pixels a side (Graphviz's CAIRO_XMAX).
CAIRO_MAX = 32767
_BAND_ROWS = 64  # rows converted and compressed at a time: bounded memory beside the surface
_IDAT_BYTES = 1 << 20  # compressed bytes per IDAT chunk

_SVG_SIZE = rb'<svg width="(\d+)pt" height="(\d+)pt"'  # (re: imported only for a PNG)


class Unavailable(Exception):
    """The fast path cannot be taken here: dot itself writes the files."""


def libgvc_of(dot: str) -> str | None:
    """The Graphviz library of this `dot`: libgvc in PREFIX/lib or PREFIX/lib/* for the
    PREFIX/bin it is in (as installed or as linked, e.g. Debian's /usr/bin/dot); None when
    there is none (a wrapper, a dot of another kind). A `dot` that is a script (a wrapper
    that adds limits or a sandbox) is run as it is: its libraries would bypass it."""
    try:
        with open(os.path.realpath(dot), "rb") as program:
            if program.read(4) != b"\x7fELF":
                return None
    except OSError:
        return None
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
        try:
            self._declare(gvc, cairo)
        except AttributeError as exc:  # a library of another kind, or too old to draw this way
            raise Unavailable(str(exc)) from None
        self.gvc, self.cairo = gvc, cairo
        try:
            self.disc = _counted_ids(gvc)
        except ValueError as exc:  # no such symbol in this library
            raise Unavailable(str(exc)) from None

    @staticmethod
    def _declare(gvc: ctypes.CDLL, cairo: ctypes.CDLL) -> None:
        p, s = ctypes.c_void_p, ctypes.c_char_p
        gvc.gvContext.restype = p
        gvc.agmemread.restype = p  # libcgraph's, found through libgvc
        gvc.agmemread.argtypes = [s]
        gvc.agread.restype = p
        gvc.agread.argtypes = [p, p]
        gvc.gvLayout.argtypes = [p, p, s]
        gvc.gvRenderFilename.argtypes = [p, p, s, s]
        gvc.gvRenderContext.argtypes = [p, p, s, p]
        gvc.agget.restype = s
        gvc.agget.argtypes = [p, s]
        gvc.gvRenderData.argtypes = [p, p, s, ctypes.POINTER(ctypes.c_char_p),
                                     ctypes.POINTER(ctypes.c_uint)]
        gvc.gvFreeRenderData.argtypes = [ctypes.c_char_p]
        cairo.cairo_image_surface_create_for_data.restype = p
        cairo.cairo_image_surface_create_for_data.argtypes = [p] + [ctypes.c_int] * 4
        cairo.cairo_create.restype = p
        cairo.cairo_create.argtypes = [p]
        cairo.cairo_destroy.argtypes = [p]
        cairo.cairo_surface_destroy.argtypes = [p]


# libcgraph's id discipline (Agiddisc_t): its calls, as ctypes declares them. IDTYPE is
# uint64_t in Graphviz 2.43.
_ID = ctypes.c_uint64
_ID_CALLS: list[tuple[str, Any]] = [
    ("open", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)),
    ("map", ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                             ctypes.POINTER(_ID), ctypes.c_int)),
    ("alloc", ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_int, _ID)),
    ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, _ID)),
    ("print", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, _ID)),
    ("close", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ("idregister", ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p))]


class _IdDisc(ctypes.Structure):
    _fields_ = _ID_CALLS


class _Disc(ctypes.Structure):  # Agdisc_t: memory, ids, input
    _fields_ = [("mem", ctypes.c_void_p), ("id", ctypes.POINTER(_IdDisc)),
                ("io", ctypes.c_void_p)]


def _counted_ids(gvc: ctypes.CDLL) -> _Disc:
    """A discipline for agread whose ids are counted (1, 3, 5...) for every object, named
    or not: it maps no name itself, so libcgraph keeps each name in its own table with the
    next counted id, as it does for anonymous objects. Graphviz's default gives a named
    object the address of its name (see the docstring above). Memory and input are
    Graphviz's defaults. Kept in the process for good: libcgraph calls it while a graph
    lives."""
    count = [1]

    def map_id(state: Any, kind: int, name: Any, found: Any, create: int) -> int:
        if name:
            return 0
        found[0] = count[0]
        count[0] += 2
        return 1

    calls = dict(_ID_CALLS)
    ids = _IdDisc(calls["open"](lambda graph, disc: 1), calls["map"](map_id),
                  calls["alloc"](lambda state, kind, wanted: 0),
                  calls["free"](lambda state, kind, old: None),
                  calls["print"](lambda state, kind, old: None),
                  calls["close"](lambda state: None),
                  calls["idregister"](lambda state, kind, obj: None))
    _KEPT.append(ids)
    return _Disc(ctypes.addressof(ctypes.c_char.in_dll(gvc, "AgMemDisc")), ctypes.pointer(ids),
                 ctypes.addressof(ctypes.c_char.in_dll(gvc, "AgIoDisc")))


_KEPT: list[_IdDisc] = []  # the callbacks libcgraph holds pointers to


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


_PARTIAL = rb"[^\x00\xff]"


def _rows(pixels: memoryview, width: int, first: int, end: int, alpha: bool
          ) -> Iterator[memoryview]:
    """Rows first to end (excluded) of cairo's premultiplied BGRA pixels as straight RGBA
    scanlines (RGB without `alpha`), a band of rows at a time. An opaque pixel's colour is
    as stored, a clear one's 0 as cairo writes it; a partly covered pixel's colour is
    divided by its alpha as cairo's PNG writer divides it (rounded)."""
    import re  # for a PNG only: its import is a third of a start

    channels = 4 if alpha else 3
    stride, line = width * 4, width * channels
    for top in range(first, end, _BAND_ROWS):
        rows = min(_BAND_ROWS, end - top)
        source = pixels[top * stride:(top + rows) * stride].tobytes()
        band = bytearray(rows * line)
        band[0::channels] = source[2::4]  # slices of bytes: copied in C, as fast as Pillow
        band[1::channels] = source[1::4]
        band[2::channels] = source[0::4]
        if alpha:
            band[3::4] = source[3::4]
            for match in re.finditer(_PARTIAL, source[3::4]):
                i = match.start() * 4
                b, g, r, a = source[i:i + 4]
                band[i:i + 3] = bytes((r * 255 + a // 2) // a for r in (r, g, b))
        view = memoryview(band)
        for start in range(0, len(band), line):
            yield view[start:start + line]


def write_png(out: BinaryIO, pixels: memoryview, width: int, height: int,
              alpha: bool | None = None) -> None:
    """A PNG of cairo's ARGB32 pixels (a stride of 4 bytes a pixel), as cairo writes it:
    8-bit RGB when every pixel is opaque, else RGBA (`alpha`: whether any pixel is not
    opaque, if known); here without row filters, zlib at ZLIB_LEVEL. The two halves of the
    picture are compressed side by side (zlib lets go of Python's lock while it works),
    as one zlib stream: the first half ends on a byte boundary
    (a sync flush), where the second half's deflate data follows. The same pixels give the
    same bytes."""
    if alpha is None:
        alpha, _ = alpha_census(pixels)
    halves = [(0, (height + 1) // 2), ((height + 1) // 2, height)]
    done: list[tuple[bytes, int, int]] = [(b"", 1, 0), (b"", 1, 0)]

    def deflate(half: int) -> None:
        first, end = halves[half]
        z = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, -15)  # raw: the header is added once
        parts, adler, size = [], 1, 0
        for row in _rows(pixels, width, first, end, alpha):
            parts += [z.compress(b"\0"), z.compress(row)]  # the row's filter: none
            adler = zlib.adler32(row, zlib.adler32(b"\0", adler))
            size += 1 + len(row)
        parts.append(z.flush(zlib.Z_SYNC_FLUSH if half == 0 else zlib.Z_FINISH))
        done[half] = (b"".join(parts), adler, size)

    failed: list[Exception] = []

    def second_half() -> None:  # what fails here is raised in the caller's thread, below
        try:
            deflate(1)
        except Exception as exc:
            failed.append(exc)

    import threading  # only for a PNG: 0.003 s of a layout of SVG alone

    second = threading.Thread(target=second_half)
    second.start()
    try:
        deflate(0)
    finally:
        second.join()
    if failed:
        raise failed[0]
    (top, top_adler, _), (bottom, bottom_adler, bottom_size) = done
    stream = (zlib.compress(b"", ZLIB_LEVEL)[:2] + top + bottom
              + struct.pack(">I", adler32_combine(top_adler, bottom_adler, bottom_size)))
    out.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)))
    for start in range(0, len(stream), _IDAT_BYTES):
        out.write(_chunk(b"IDAT", stream[start:start + _IDAT_BYTES]))
    out.write(_chunk(b"IEND", b""))


def adler32_combine(first: int, second: int, second_size: int) -> int:
    """The Adler-32 of two pieces of data from each one's (zlib's adler32_combine)."""
    base = 65521
    rem = second_size % base
    low = (first & 0xFFFF) + (second & 0xFFFF) + base - 1
    high = (rem * (first & 0xFFFF)) + (first >> 16) + (second >> 16) + base - rem
    return (low % base) | ((high % base) << 16)


def _size(lib: _Graphviz, gvc: Any, g: Any, svg: str | None) -> tuple[int, int]:
    """The picture's size in pixels, as Graphviz sizes its PNG: the SVG's width and height
    in points are those pixels (both are the graph's size at its dpi). Read from the SVG
    file `svg` when it was written, else from one drawn for it."""
    import re

    if svg is not None:
        with open(svg, "rb") as file:
            head = file.read(4096)
    else:
        data, length = ctypes.c_char_p(), ctypes.c_uint()
        if lib.gvc.gvRenderData(gvc, g, b"svg", ctypes.byref(data), ctypes.byref(length)):
            raise Unavailable("no svg")
        try:
            head = ctypes.string_at(data, min(length.value, 4096))
        finally:
            lib.gvc.gvFreeRenderData(data)
    size = re.search(_SVG_SIZE, head)
    if size is None:
        raise Unavailable("no size")
    return int(size[1]), int(size[2])


def _dpi(lib: _Graphviz, g: Any) -> float:
    """The graph's dpi attribute (archgen always sets it), 0 when it has none."""
    try:
        return float(lib.gvc.agget(g, b"dpi") or 0)
    except ValueError:
        return 0


def _png(lib: _Graphviz, gvc: Any, g: Any, path: str, svg: str | None) -> bool:
    """Graphviz's cairo renderer draws the layout into pixels of ours, as it draws them for
    `dot -Tpng`; write_png writes them. Graphviz's own PNG writer writes what this does not:
    a picture too large for cairo (scaled down to fit, as Graphviz says), one on a clear
    background (partly covered pixels all over), a graph without a dpi (whose resolution
    would be the device's)."""
    def graphviz_own() -> bool:
        return bool(lib.gvc.gvRenderFilename(gvc, g, b"png", os.fsencode(path)) == 0)

    width, height = _size(lib, gvc, g, svg)
    if not 0 < width < CAIRO_MAX or not 0 < height < CAIRO_MAX or _dpi(lib, g) <= 0:
        return graphviz_own()
    try:  # zeroed, as cairo's own surface starts, and mapped only as it is drawn on
        pixels = mmap.mmap(-1, width * height * 4)
    except OSError as exc:
        sys.stderr.write(f"Error: no memory for a {width} x {height} picture: {exc.strerror}\n")
        return False
    cairo = lib.cairo
    surface = cairo.cairo_image_surface_create_for_data(
        ctypes.addressof(ctypes.c_char.from_buffer(pixels)), 0, width, height, width * 4)
    cr = cairo.cairo_create(surface)
    try:
        # With a context of ours, the cairo renderer draws into our surface whatever the
        # device; svg:cairo's writes nothing itself (it would make its SVG surface only
        # without one), and it finishes our surface, which leaves our pixels as they are.
        drawn = lib.gvc.gvRenderContext(gvc, g, b"svg:cairo", cr) == 0
    finally:
        cairo.cairo_destroy(cr)
        cairo.cairo_surface_destroy(surface)
    if drawn:
        with memoryview(pixels) as view:
            alpha, partial = alpha_census(view)
            # more than a partly covered edge: a clear background
            if partial <= 2 * (width + height):
                with open(path, "wb") as out:
                    write_png(out, view, width, height, alpha)
                return True
    pixels.close()  # before Graphviz draws a surface of its own: never both pictures at once
    return graphviz_own()


def render(dot: str, graph: str, formats: list[str]) -> int:
    """Lay `graph` out once and write GRAPH.FORMAT for each format; the exit status."""
    lib = _Graphviz(dot)
    gvc = lib.gvc.gvContext()
    with open(graph, "rb"):  # what stops the reading (a folder, no access) said as Python says it
        pass
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    file = libc.fopen(os.fsencode(graph), b"r")  # agread reads a C stream, as dot does
    if not file:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), graph)
    try:
        g = lib.gvc.agread(file, ctypes.byref(lib.disc))
    finally:
        libc.fclose(file)
    if not g:  # Graphviz said why on stderr
        return 1
    if lib.gvc.gvLayout(gvc, g, b"dot") != 0:
        return 1
    code = 0
    svg = f"{graph}.svg" if "svg" in formats else None
    for fmt in sorted(formats, key=lambda f: f != "svg"):  # the SVG first: it gives the size
        path = f"{graph}.{fmt}"
        if fmt == "png":
            ok = _png(lib, gvc, g, path, svg)
        else:
            # the path's own bytes: a folder name need not be UTF-8 (os.fsencode, as dot gets it)
            ok = lib.gvc.gvRenderFilename(gvc, g, fmt.encode(), os.fsencode(path)) == 0
        if not ok:
            code = 1
            break
    # As dot ends, any error Graphviz said (agerr) makes the exit status non-zero. Nothing is
    # freed: the process ends here.
    return max(code, int(lib.gvc.agerrors()))


def main(argv: list[str]) -> None:
    dot, graph, *formats = argv
    try:
        code = render(dot, graph, formats)
    except Unavailable:
        os.execv(dot, [dot, "-Kdot", *(f"-T{fmt}" for fmt in formats), "-O", graph])
    except Exception as exc:  # said in one line, as dot says an error: archgen quotes it
        said = " ".join(str(exc).split()) or type(exc).__name__
        sys.stderr.write(f"Error: {said}\n")
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(min(code, 1) if code >= 0 else 1)  # every file is closed: Graphviz closes each


if __name__ == "__main__":
    main(sys.argv[1:])
