"""Remembered renders: what checking and compiling a blueprint gave, kept by what it is made of.

Rendering an unchanged blueprint again would read and check it, choose its arrangement,
compile it and run the program, only to hand Graphviz the same graph: most of a render of
an SVG (docs/benchmarks.md). So `archgen render` keeps what that work gave, for each
blueprint file and set of options, in the user's cache folder
(`$XDG_CACHE_HOME/archgen/renders`, else `~/.cache/archgen/renders`): the notes the check
said, and for each diagram drawn its Sheet (render.py) and the graph its program built. A
render that finds an entry made from the same inputs draws that graph: Graphviz lays it out
and writes the files, which are finished and moved into place as on any render. Graphviz's
work is never remembered.

The inputs (`_key`), any change of which is a miss: the blueprint's bytes, the path it was
named by and the working folder (errors point at that path; icons are found from it);
every option of the render (formats, dpi, variant or all variants, theme, the size limits,
the layout switches, --timeout); the bytes of each custom icon the blueprint names (the
entry lists them: each is read and compared on a hit); archgen's code (code_digest, as the
arrangement's choice_key), diagrams, PyYAML and Pillow (their package files), Graphviz (its
`dot` file) and Python.

Never remembered: a blueprint that fails (checked again on each render, its errors said as
ever), a diagram Graphviz drew only with a fallback, or whose arrangement was chosen
without all its drawings (arrange.choose_settled): those are worked out again each time.
An entry that is missing, cut short, damaged, of another version or unreadable is no
entry; one that cannot be written only costs the next render the same work. Entries are
written whole (a temporary file renamed over the old one), so renders side by side never
read half of one. The folder is bounded: one entry per blueprint file and options (an
edit replaces it), at most MAX_ENTRIES entries of at most MAX_ENTRY_BYTES each and
MAX_FOLDER_BYTES in all; past that the least recently used go.

Light on purpose: a remembered render imports none of PyYAML, the checks, the model, the
catalog, the compiler or diagrams, nor build.py (renders.py draws), typing or dataclasses
(what it builds are record.py's values).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .errors import Pos, Problem
from .limits import FORMATS
from .regular import MAX_BYTES, NotRegular, TooLarge, cache_dir, read_regular, write_cache
from .render import Graph, Sheet

ENTRY = 1  # the layout of an entry; bump when it changes
MAX_ENTRIES = 200
MAX_ENTRY_BYTES = 8 << 20  # a larger graph (thousands of nodes) is worked out each time
MAX_FOLDER_BYTES = 64 << 20  # the seed's entry takes 31 KB


def folder() -> Path:
    return cache_dir() / "renders"


# -- what archgen, diagrams and Graphviz are ---------------------------------------------


@lru_cache(maxsize=1)
def code_digest() -> str:
    """archgen's own code, so that a changed archgen (not only a new version number) redraws.
    Read once a process (a render of many files asked for it three times a file)."""
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:  # code and data (names.txt)
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def dot_identity() -> str:
    """Which Graphviz draws: its program file (path, size, time), without running it."""
    import shutil

    dot = shutil.which("dot")
    if dot is None:
        return ""
    real = Path(dot).resolve()
    stat = real.stat()
    return f"{real}:{stat.st_size}:{stat.st_mtime_ns}"


def diagrams_identity() -> str:
    """Which diagrams draws: its package file (path, time), without importing it."""
    return package_identity("diagrams")


def package_identity(name: str) -> str:
    """Which installed package a top-level name is: its file (path, time), without
    importing it."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return ""
    package = Path(spec.origin)
    return f"{package}:{package.stat().st_mtime_ns}"


# What the check and the compile read with besides archgen and diagrams: PyYAML parses the
# blueprint, Pillow samples its icons (a dark theme's tiles) and vouches for them.
_LIBRARIES = ("yaml", "PIL")


# -- the key --------------------------------------------------------------------------------


def _key(path: str, options: object, data: bytes) -> tuple[str, str]:
    """(the entry's file name, the key of its inputs): the name by the blueprint's path,
    the working folder and the options, so that an edit replaces the entry; the key by
    those, the blueprint's bytes and the tools (the icons are in the entry)."""
    import hashlib

    where = json.dumps([ENTRY, path, os.getcwd(), repr(options), sys.version])
    name = hashlib.sha256(where.encode()).hexdigest()[:32]
    key = hashlib.sha256()
    for part in (where, code_digest(), diagrams_identity(), dot_identity(),
                 *map(package_identity, _LIBRARIES)):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    key.update(data)
    return name, key.hexdigest()


def _icon_digest(base_dir: str, icon: str) -> str | None:
    """A custom icon's file (where it leads) and bytes; None when it cannot be read as the
    check reads it."""
    import hashlib

    from .images import MAX_ICON_BYTES  # the render imports it to finish the SVG anyway

    try:
        full = Path(base_dir) / icon
        data = read_regular(full, MAX_ICON_BYTES)
    except (OSError, NotRegular, TooLarge):
        return None
    return f"{os.path.realpath(full)}:{hashlib.sha256(data).hexdigest()}"


# -- reading and writing entries --------------------------------------------------------------


class Remembered:
    """A hit: the notes the check said, and each diagram to draw with its graph."""

    def __init__(self, notes: tuple[Problem, ...],
                 drawn: list[tuple[Sheet, Graph]]) -> None:
        self.notes = notes
        self.drawn = drawn


def _pos(item: list[object]) -> Pos:
    file, line, col, via = item
    if not (isinstance(file, str) and isinstance(line, int) and isinstance(col, int)
            and isinstance(via, str)):
        raise TypeError("not a position")
    return Pos(file, line, col, via)


def _problem(item: list[object]) -> Problem:
    pos, message, hint = item
    if not (isinstance(message, str) and (hint is None or isinstance(hint, str))):
        raise TypeError("not a problem")
    return Problem(None if pos is None else _pos(pos), message, hint)  # type: ignore[arg-type]


def _texts(items: object) -> tuple[str, ...]:
    if not (isinstance(items, list) and all(isinstance(i, str) for i in items)):
        raise TypeError("not texts")
    return tuple(items)


def _sheet(path: str, item: dict[str, object]) -> tuple[Sheet, Graph]:
    file, base_dir, name, dpi = item["file"], item["base_dir"], item["name"], item["dpi"]
    # the blueprint's own file and folder, and a file name of the output folder, as a
    # check makes them: nothing an entry says writes elsewhere
    if not (file == path and base_dir == str(Path(path).parent) and isinstance(name, str)
            and name not in ("", ".", "..") and "/" not in name and "\0" not in name
            and isinstance(dpi, int)):
        raise TypeError("not a sheet")
    icons = item["icons"]
    if not (isinstance(icons, list) and all(isinstance(i, str) for i, _ in icons)):
        raise TypeError("not icons")
    formats = _texts(item["formats"])
    if not (formats and set(formats) <= set(FORMATS)):
        raise TypeError("not formats")
    sheet = Sheet(path, base_dir, tuple((icon, _pos(pos)) for icon, pos in icons),
                  name, formats, dpi)
    graph = item["graph"]
    if not isinstance(graph, list):
        raise TypeError("not a graph")
    filename, drawn, source = graph
    # the graph is written as dot_dir/FILENAME and dot writes FILENAME.FORMAT: as compiled,
    # the output name and formats themselves (a path there was written wherever it led)
    if not (filename == name and _texts(drawn) == formats and isinstance(source, str)):
        raise TypeError("not a graph")
    return sheet, Graph(filename, formats, source)


def recall(path: str, options: object) -> Remembered | None:
    """What an earlier render of this blueprint file with these options remembered, if it
    was made from the same inputs; else None (the render works it out)."""
    try:
        data = read_regular(path, MAX_BYTES)
        name, key = _key(path, options, data)
        where = folder() / name
        entry = json.loads(read_regular(where, MAX_ENTRY_BYTES))
        if entry["entry"] != ENTRY or entry["key"] != key:
            return None
        for base_dir, icon, digest in entry["icons"]:
            if _icon_digest(base_dir, icon) != digest:
                return None
        found = Remembered(tuple(_problem(p) for p in entry["notes"]),
                           [_sheet(path, item) for item in entry["drawn"]])
        with contextlib.suppress(OSError):
            os.utime(where)  # used now: the last to go (prune)
        return found
    except (OSError, NotRegular, TooLarge, ValueError, TypeError, KeyError, IndexError,
            RecursionError):
        # no entry, or not one as this archgen writes them: the render works it out
        return None


def read_blueprint(path: str) -> bytes | None:
    """The blueprint's bytes as a render checks them (None: the check will say why not)."""
    try:
        return read_regular(path, MAX_BYTES)
    except (OSError, NotRegular, TooLarge):
        return None


def _plain_pos(pos: Pos | None) -> list[object] | None:
    return None if pos is None else [pos.file, pos.line, pos.col, pos.via]


def icon_digests(icons: Iterable[tuple[str, str]]) -> list[list[str]] | None:
    """The custom icons a check read (folder, path in it), each with its digest: taken
    when it was checked, and again when what it gave is remembered (`remember`). None when
    one cannot be read."""
    digests = []
    for base, icon in sorted(set(icons)):
        digest = _icon_digest(base, icon)
        if digest is None:
            return None
        digests.append([base, icon, digest])
    return digests


def remember(path: str, options: object, data: bytes, notes: tuple[Problem, ...],
             drawn: list[tuple[Sheet, Graph]], icons: list[list[str]] | None) -> None:
    """Keep what checking and compiling `path` gave: its bytes were `data` and its custom
    icons `icons` (icon_digests) when it was checked. Whatever goes wrong (a file gone
    meanwhile, a folder that cannot be written) only costs the next render the same
    work."""
    if read_blueprint(path) != data:
        return  # changed since it was checked: what was worked out is not its own
    try:
        name, key = _key(path, options, data)
        # An icon changed since it was checked (the compile and the arrangement read it
        # too: a dark theme's tile) would be vouched for with a graph not made from it.
        digests = icon_digests((base, icon) for base, icon, _ in icons or ())
        if icons is None or digests != icons:
            return
        entry = {
            "entry": ENTRY, "key": key, "icons": digests,
            "notes": [[_plain_pos(p.pos), p.message, p.hint] for p in notes],
            "drawn": [{"file": s.file, "base_dir": s.base_dir, "name": s.name, "dpi": s.dpi,
                       "formats": list(s.formats),
                       "icons": [[icon, _plain_pos(pos)] for icon, pos in s.icons],
                       "graph": [g.filename, list(g.formats), g.source]} for s, g in drawn],
        }
        text = json.dumps(entry).encode()  # ASCII: a file name's undecodable bytes too
        if len(text) > MAX_ENTRY_BYTES:
            return
        where = folder()
        write_cache(where / name, text)
        prune(where, MAX_ENTRIES, MAX_FOLDER_BYTES)
    except (OSError, ValueError):
        pass


def forget(path: str, options: object) -> None:
    """Drop the entry of this blueprint file and options (what it holds failed to draw)."""
    try:
        name, _ = _key(path, options, read_regular(path, MAX_BYTES))
        (folder() / name).unlink(missing_ok=True)
    except (OSError, NotRegular, TooLarge):
        pass


def prune(where: Path, most: int, most_bytes: int) -> None:
    """At most `most` entries and `most_bytes` in the folder: those used longest ago go
    first (a temporary file left by a killed render goes once it is an hour old). The
    rendered graphs' folder and the arrangements' (arrange.py) are kept so."""
    import time

    entries = []
    for item in os.scandir(where):
        try:
            stat = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if item.name.startswith("."):
            if stat.st_mtime < time.time() - 3600:
                Path(item.path).unlink(missing_ok=True)
            continue
        entries.append((stat.st_mtime_ns, stat.st_size, item.path))
    kept = total = 0
    for _, size, path in sorted(entries, reverse=True):  # the latest used first
        kept, total = kept + 1, total + size
        if kept > most or total > most_bytes:
            Path(path).unlink(missing_ok=True)
