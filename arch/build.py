"""`archgen build`: many blueprints drawn incrementally into one output folder.

It keeps manifest.json (what was made from what) and index.html (a gallery) there, and
builds one share of the renders for a CI matrix (`Shard`); `merge` joins the shards'
folders. Each blueprint is checked and compiled as `archgen render` does (renders.py), the
renders run side by side.

The modules that draw (compile, render, and through them diagrams) are imported where they
are first needed: a build with nothing to draw must not pay for them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from . import __version__, lifecycle, limits
from .check import Options as Options
from .check import check as check
from .check import check_files as check_files
from .check import chosen as chosen
from .errors import ArchError, Pos
from .lifecycle import DEFAULT_TIMEOUT
from .progress import Progress as Progress
from .remember import code_digest as code_digest
from .render import check_dot

# render_files and the rest of `archgen render` live in renders.py (light for a remembered
# render); named here too, where the library's users have imported them from.
from .renders import Outcome as Outcome
from .renders import prepare as prepare
from .renders import program_of as program_of
from .renders import render_files as render_files
from .renders import render_many

if TYPE_CHECKING:
    from .model import Blueprint

# `archgen validate` checks through this module: what only drawing and building need (the
# thread pool, subprocess, shutil, html, hashlib, files) is imported where it is used.

MAX_NODES = limits.MAX_NODES
MAX_EDGES = limits.MAX_EDGES


# -- archgen build: incremental, with a manifest and a gallery, in shards ---------------------

MANIFEST = "manifest.json"  # what was made from what: the build's record, and the users'
GALLERY = "index.html"
TOOLS_CACHE = ".archgen-tools.json"  # Graphviz's version by the `dot` file's identity
BLUEPRINT_SUFFIXES = (".yaml", ".yml")
_FORMAT_ORDER = ("png", "svg", "jpg", "pdf", "dot")  # which picture the gallery shows first


class FileEntry(TypedDict):
    file: str
    blueprint: str
    variant: str | None
    format: str
    size: int
    sha256: str
    width: int | None  # pixels (files.pixel_size); None for PDF and DOT
    height: int | None
    inputs: str  # digest of everything the file was made from (`_inputs_key`)


class VariantEntry(TypedDict):
    variant: str | None  # None: the blueprint as written
    label: str | None


class BlueprintEntry(TypedDict):
    blueprint: str
    sha256: str
    icons: dict[str, str]  # path relative to the blueprint's folder -> sha256
    title: str
    description: str | None
    variants: list[VariantEntry]


class Manifest(TypedDict):
    manifest: int
    versions: dict[str, str | None]
    blueprints: list[BlueprintEntry]
    files: list[FileEntry]


@dataclass(frozen=True)
class Shard:
    """Share `index` (1-based) of `count`: a render belongs to one share by a hash of its
    blueprint's path and variant, so adding a blueprint moves no other render."""

    index: int
    count: int

    def holds(self, blueprint: str, variant: str | None) -> bool:
        import hashlib

        digest = hashlib.sha256(f"{blueprint}\n{variant or ''}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ()  # instead of each blueprint's output.formats
    jobs: int | None = None
    force: bool = False
    shard: Shard | None = None
    timeout: float = DEFAULT_TIMEOUT


@dataclass
class BuildReport:
    built: int = 0  # diagrams drawn (a blueprint or one variant, every format)
    unchanged: int = 0  # diagrams whose files were already there, made from the same inputs
    removed: int = 0  # files of an earlier build that nothing makes any more
    failed: int = 0  # blueprints that could not be read, and diagrams that could not be drawn
    seconds: float = 0.0

    def summary(self, verb: str = "built") -> str:
        return (f"{verb} {self.built}, unchanged {self.unchanged}, removed {self.removed}, "
                f"failed {self.failed} in {self.seconds:.1f} s")


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except OSError:
        return None


def _name(path: Path) -> str:
    """How a blueprint is named in the manifest: relative to the working folder (the same on
    every CI machine, so shards agree), in POSIX form; `../` where it lies outside, never a
    machine's absolute path (the manifest and the gallery are published)."""
    return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()


def find_blueprints(paths: Sequence[str], out_dir: Path) -> tuple[list[str], list[ArchError]]:
    """Every blueprint under the given files and folders (*.yaml, *.yml, hidden folders and
    the output folder left out), in a stable order, each once."""
    found: dict[str, None] = {}
    errors: list[ArchError] = []
    out = out_dir.resolve()
    for arg in paths:
        path = Path(arg)
        if path.is_file():
            found[_name(path)] = None
        elif path.is_dir():
            # An output folder inside the searched one is left out; one that holds it (`-o`
            # the blueprints' own folder, or `.`) is not: that left out every blueprint, and
            # the build drew nothing and said nothing.
            inside = path.resolve() in out.parents
            for item in sorted(path.rglob("*")):
                rel = item.relative_to(path).parts
                if (item.suffix in BLUEPRINT_SUFFIXES and item.is_file()
                        and not any(part.startswith(".") for part in rel)
                        and not (inside and out in item.resolve().parents)):
                    found[_name(item)] = None
        else:
            errors.append(ArchError.at(Pos(arg), "no such file or folder"))
    return list(found), errors


def _graphviz_version(out: Path) -> tuple[str | None, str | None]:
    """`dot -V`, remembered in the output folder by the dot file's identity, so that a build
    with nothing to draw does not start Graphviz. Returns the version and, when dot had to
    be asked, the record to remember: written with the manifest, never by a build that
    writes nothing else."""
    import shutil
    import subprocess

    dot = shutil.which("dot")
    if dot is None:
        return None, None
    real = Path(dot).resolve()
    stat = real.stat()
    identity = [str(real), stat.st_size, stat.st_mtime_ns]
    try:
        known = json.loads((out / TOOLS_CACHE).read_text(encoding="utf-8"))
        if known.get("dot") == identity and isinstance(known.get("version"), str):
            return str(known["version"]), None
    except (OSError, ValueError, AttributeError):
        pass
    try:
        said = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None, None
    words = said.split("version")
    version = words[1].split()[0] if len(words) > 1 and words[1].split() else said.strip()
    return version, json.dumps({"dot": identity, "version": version}) + "\n"


def _diagrams_version() -> str | None:
    """From the name of its dist-info folder (PEP 427), next to the package: a tenth of the
    time importlib.metadata takes to scan every installed distribution."""
    spec = find_spec("diagrams")
    if spec is not None and spec.origin is not None:
        for info in Path(spec.origin).parent.parent.glob("diagrams-*.dist-info"):
            return info.name[len("diagrams-"):-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diagrams")
    except PackageNotFoundError:
        return None


def _versions(out: Path) -> tuple[dict[str, str | None], str | None]:
    """The versions of the tools, and the Graphviz record to remember (see above)."""
    graphviz, record = _graphviz_version(out)
    return ({"archgen": __version__, "diagrams": _diagrams_version(), "graphviz": graphviz},
            record)


def _inputs_key(blueprint_sha: str, icons: dict[str, str], formats: Sequence[str],
                versions: dict[str, str | None], code: str) -> str:
    """Everything a file is made from besides its format: the blueprint's bytes, its icon
    files, the options (`-f`, or none), and the versions of archgen (and its code), diagrams
    and Graphviz."""
    text = json.dumps([blueprint_sha, icons, list(formats), versions, code], sort_keys=True)
    return _sha256(text.encode())


def _icon_hashes(blueprint: str, icons: Sequence[str]) -> dict[str, str] | None:
    """sha256 of each icon file (relative to the blueprint's folder); None if one is gone."""
    base = Path(blueprint).parent
    result: dict[str, str] = {}
    for icon in icons:
        try:
            result[icon] = _sha256((base / icon).read_bytes())
        except OSError:
            return None
    return result


def empty_manifest(versions: dict[str, str | None]) -> Manifest:
    return Manifest(manifest=1, versions=versions, blueprints=[], files=[])


def read_manifest(out: Path) -> Manifest | None:
    """The manifest an earlier build left, or None when there is none or it is not one (a
    file of another shape, hand-edited or cut short, is no record: nothing it names is
    trusted, removed or shown)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if _shaped(data, _MANIFEST_FIELDS) else None


_Fields = dict[str, Callable[[object], bool]]


def _text(v: object) -> bool:
    return isinstance(v, str)


def _text_or_none(v: object) -> bool:
    return v is None or isinstance(v, str)


def _count_or_none(v: object) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool))


def _texts(v: object) -> bool:
    return isinstance(v, dict) and all(isinstance(x, str) for x in (*v.keys(), *v.values()))


def _file_name(v: object) -> bool:
    """A file of this folder, never a path out of it."""
    return isinstance(v, str) and "/" not in v and "\0" not in v and v not in ("", ".", "..")


def _shaped(item: object, fields: _Fields) -> bool:
    return isinstance(item, dict) and all(k in item and ok(item[k]) for k, ok in fields.items())


def _each(fields: _Fields) -> Callable[[object], bool]:
    return lambda items: isinstance(items, list) and all(_shaped(i, fields) for i in items)


# Every field a build or a merge reads, of the type it is written with (the TypedDicts above).
_MANIFEST_FIELDS: _Fields = {
    "manifest": lambda v: v == 1,
    "versions": lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and _text_or_none(x) for k, x in v.items()),
    "blueprints": _each({"blueprint": _text, "sha256": _text, "icons": _texts, "title": _text,
                         "description": _text_or_none,
                         "variants": _each({"variant": _text_or_none, "label": _text_or_none})}),
    "files": _each({"file": _file_name, "blueprint": _text, "variant": _text_or_none,
                    "format": _text, "size": _count_or_none, "sha256": _text,
                    "width": _count_or_none, "height": _count_or_none, "inputs": _text}),
}


def _write_if_changed(path: Path, text: str) -> None:
    """Write atomically, and not at all when the file already holds `text`."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _sorted_manifest(versions: dict[str, str | None], blueprints: dict[str, BlueprintEntry],
                     entries: dict[str, FileEntry]) -> Manifest:
    """Blueprints by path; files by blueprint, variant as written, format: the same inputs
    give the same bytes, however the work was shared or ordered."""
    listed = {f["blueprint"] for f in entries.values()}
    bps = [blueprints[p] for p in sorted(listed & blueprints.keys())]
    order = {(b["blueprint"], v["variant"]): i for b in bps for i, v in enumerate(b["variants"])}

    def key(f: FileEntry) -> tuple[str, int, str, int, str]:
        fmt = _FORMAT_ORDER.index(f["format"]) if f["format"] in _FORMAT_ORDER else 99
        return (f["blueprint"], order.get((f["blueprint"], f["variant"]), 9999),
                f["variant"] or "", fmt, f["file"])

    return Manifest(manifest=1, versions=versions, blueprints=bps,
                    files=sorted(entries.values(), key=key))


def manifest_text(manifest: Manifest) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _file_entry(path: Path, blueprint: str, variant: str | None, fmt: str,
                inputs: str) -> FileEntry:
    from . import files

    data = path.read_bytes()
    size = files.pixel_size(fmt, data)
    return FileEntry(file=path.name, blueprint=blueprint, variant=variant, format=fmt,
                     size=len(data), sha256=_sha256(data), width=size[0] if size else None,
                     height=size[1] if size else None, inputs=inputs)


class _Builder:
    """One build into one output folder; `run` is the whole of it."""

    def __init__(self, out: Path, options: BuildOptions, progress: Progress) -> None:
        self.out = out
        self.options = options
        self.progress = progress
        self.report = BuildReport()
        self.versions, self._tools_record = _versions(out)
        self.code = code_digest()
        self.old = read_manifest(out) or empty_manifest(self.versions)
        self.old_files = {f["file"]: f for f in self.old["files"]}
        self.old_blueprints = {b["blueprint"]: b for b in self.old["blueprints"]}
        self.files: dict[str, FileEntry] = {}  # what this build vouches for, by file name
        self.blueprints: dict[str, BlueprintEntry] = {}
        self.owner: dict[str, str] = {}  # file name -> the blueprint that makes it
        self._hashes: dict[str, str | None] = {}

    def _on_disk(self, name: str) -> str | None:
        if name not in self._hashes:
            self._hashes[name] = _file_sha256(self.out / name)
        return self._hashes[name]

    def _in_share(self, blueprint: str, variant: str | None) -> bool:
        return self.options.shard is None or self.options.shard.holds(blueprint, variant)

    def _current(self, blueprint: str, variant: str | None, formats: Sequence[str],
                 inputs: str) -> list[FileEntry] | None:
        """The earlier build's files of one diagram, when every one is there, unchanged, and
        made from these inputs; else None (the diagram is drawn). No `formats`: those the
        earlier build made from these inputs (the blueprint's own, as no -f is in them)."""
        if self.options.force:
            return None
        found = {f["format"]: f for f in self.old_files.values() if f["blueprint"] == blueprint
                 and f["variant"] == variant and f["inputs"] == inputs}
        entries = [found.get(fmt) for fmt in formats or found]
        if not entries or any(e is None or self._on_disk(e["file"]) != e["sha256"]
                              for e in entries):
            return None
        return [e for e in entries if e is not None]

    def _claim(self, blueprint: str, names: Sequence[str]) -> ArchError | None:
        """Two blueprints writing the same file: the second is refused, not silently lost."""
        for name in names:
            other = self.owner.get(name)
            if other is not None and other != blueprint:
                return ArchError.at(Pos(blueprint), f"writes {name} like {other}",
                                    "give one of them another `output.name`")
        for name in names:
            self.owner[name] = blueprint
        return None

    def _keep(self, entries: Sequence[FileEntry]) -> None:
        for e in entries:
            self.files[e["file"]] = e

    def _keep_old(self, blueprint: str, variant: str | None = None, every: bool = True) -> None:
        """A blueprint or diagram that failed keeps its earlier files: nothing is lost, and a
        later build still knows they are archgen's."""
        entries = [f for f in self.old_files.values() if f["blueprint"] == blueprint
                   and (every or f["variant"] == variant)]
        self._keep(entries)
        if entries and blueprint in self.old_blueprints:
            self.blueprints.setdefault(blueprint, self.old_blueprints[blueprint])

    def _fail(self, error: ArchError) -> None:
        self.report.failed += 1
        self.progress.failed(error)

    def _unchanged(self, blueprint: str) -> bool:
        """The fast path: the blueprint's bytes and icons are what the manifest says, and
        every file it makes is there, from the same inputs. Reads files; imports nothing."""
        entry = self.old_blueprints.get(blueprint)
        if entry is None or self.options.force:
            return False
        try:
            data = Path(blueprint).read_bytes()
        except OSError:
            return False
        icons = _icon_hashes(blueprint, sorted(entry["icons"]))
        if _sha256(data) != entry["sha256"] or icons != entry["icons"]:
            return False
        inputs = _inputs_key(entry["sha256"], icons, self.options.formats, self.versions,
                             self.code)
        kept: list[FileEntry] = []
        diagrams = 0
        for v in entry["variants"]:
            if not self._in_share(blueprint, v["variant"]):
                continue
            current = self._current(blueprint, v["variant"], self.options.formats, inputs)
            if current is None:
                return False
            kept += current
            diagrams += 1
        if self._claim(blueprint, [e["file"] for e in kept]) is not None:
            return False  # the slow path reports it
        self._keep(kept)
        self.blueprints[blueprint] = entry
        self.report.unchanged += diagrams
        return True

    def _plan(self, blueprint: str) -> list[tuple[str | None, Blueprint, str]]:
        """The slow path: read and check the blueprint (as `render` does); return the
        diagrams of this share to draw (variant, blueprint, inputs key)."""
        from .variants import find_alternative, variant_ids

        try:
            data = Path(blueprint).read_bytes()
            # Checking one blueprint answers to --timeout too, as a render does.
            with lifecycle.deadline(self.options.timeout):
                base = check(blueprint, Options(formats=self.options.formats))
                drawn = chosen(base, Options(all_variants=True))
        except lifecycle.TimedOut:
            if self._in_share(blueprint, None):  # one share reports it, as below
                self._fail(ArchError.at(Pos(blueprint), f"checking it took longer than --timeout "
                                                        f"{self.options.timeout:g} s",
                                        "a very large blueprint may need --timeout SECONDS"))
            self._keep_old(blueprint)
            return []
        except OSError as exc:
            self._fail(ArchError.at(Pos(blueprint), f"cannot read it: {exc.strerror}"))
            self._keep_old(blueprint)
            return []
        except ArchError as exc:
            if self._in_share(blueprint, None):  # one share reports a bad blueprint
                self._fail(exc)
            self._keep_old(blueprint)
            return []
        if base.notes and self._in_share(blueprint, None):
            self.progress.noted(base.notes)
        icon_files = sorted({n.icon for n in base.custom_icon_nodes() if n.icon is not None})
        icons = _icon_hashes(blueprint, icon_files) or {}
        variants = [None, *variant_ids(base)]
        sha = _sha256(data)
        self.blueprints[blueprint] = BlueprintEntry(
            blueprint=blueprint, sha256=sha, icons=icons, title=base.title,
            description=base.description,
            variants=[VariantEntry(variant=v, label=None if v is None
                                   else find_alternative(base, v).label) for v in variants])
        inputs = _inputs_key(sha, icons, self.options.formats, self.versions, self.code)
        share = [(v, bp) for v, bp in zip(variants, drawn, strict=True)
                 if self._in_share(blueprint, v)]
        clash = self._claim(blueprint, [n for _, bp in share for n in bp.output.file_names()])
        if clash is not None:
            self._fail(clash)
            self._keep_old(blueprint)
            return []
        todo: list[tuple[str | None, Blueprint, str]] = []
        for v, bp in share:
            current = self._current(blueprint, v, bp.output.formats, inputs)
            if current is not None:
                self._keep(current)
                self.report.unchanged += 1
            else:
                todo.append((v, bp, inputs))
        return todo

    def _record(self) -> None:
        """The manifest as things stand: what was there, with what is done so far in its
        place. Written after every diagram, so a build killed half way leaves a record that
        is true for every file it names (a file swapped in but not yet recorded does not
        match its entry's sha256, so the next build draws it again)."""
        entries = {**self.old_files, **self.files}
        blueprints = {**self.old_blueprints, **self.blueprints}
        _write_if_changed(self.out / MANIFEST,
                          manifest_text(_sorted_manifest(self.versions, blueprints, entries)))

    def run(self, blueprints: Sequence[str]) -> BuildReport:
        todo: list[tuple[str, str | None, Blueprint, str]] = []
        for blueprint in blueprints:
            if not self._unchanged(blueprint):
                todo += [(blueprint, *task) for task in self._plan(blueprint)]
        if todo:
            try:
                check_dot()
            except ArchError as exc:
                self._fail(exc)
                for blueprint, v, _, _ in todo:
                    self._keep_old(blueprint, v, every=False)
                todo = []
        if todo:
            try:
                self.out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchError.at(None, f"cannot create the output folder {str(self.out)!r}: "
                                         f"{exc.strerror}") from None
        # The largest first, so that the last render to finish is a small one (a rough
        # longest-job-first: Graphviz's time grows with nodes and edges, times formats).
        todo.sort(key=lambda t: -(sum(t[2].counts()) * len(t[2].output.formats)))
        self.progress.start(len(todo))
        for i, result in render_many([bp for _, _, bp, _ in todo], self.out,
                                     jobs=self.options.jobs, timeout=self.options.timeout):
            blueprint, variant, bp, inputs = todo[i]
            if isinstance(result, ArchError):
                self._fail(result)
                self._keep_old(blueprint, variant, every=False)
                continue
            self._keep([_file_entry(path, blueprint, variant, fmt, inputs)
                        for path, fmt in zip(result.files, bp.output.formats, strict=True)])
            self.report.built += 1
            self._record()
            self.progress.built(blueprint, variant, result)
        self._finish()
        return self.report

    def _finish(self) -> None:
        """Remove what an earlier build made and nothing makes now; write the manifest and
        the gallery."""
        for name in sorted(self.old_files):
            if name in self.files:
                continue
            path = self.out / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
                self.report.removed += 1
                self.progress.removed(path)
        manifest = _sorted_manifest(self.versions, self.blueprints, self.files)
        if manifest["files"] or (self.out / MANIFEST).exists():
            self.out.mkdir(parents=True, exist_ok=True)
            _write_if_changed(self.out / MANIFEST, manifest_text(manifest))
            _write_if_changed(self.out / GALLERY, gallery_html(manifest))
            if self._tools_record is not None:
                with contextlib.suppress(OSError):  # only a cache
                    _write_if_changed(self.out / TOOLS_CACHE, self._tools_record)


@contextlib.contextmanager
def _only_build(out: Path) -> Iterator[None]:
    """One build at a time in a folder (two would lose each other's manifest entries): a
    lock on the folder itself, held until the build ends. Under it, the work folders that
    a killed render left behind (no living process holds their lock) are removed, even
    when this build has nothing to draw. A folder made only to hold the lock is removed
    again when the build wrote nothing into it (every blueprint failed): bad input leaves
    nothing behind."""
    made = lifecycle.missing_folders(out)
    while True:
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise ArchError.at(None, f"cannot use the output folder {str(out)!r}: "
                                     f"{exc.strerror}") from None
        fcntl.flock(fd, fcntl.LOCK_EX)
        # The build that held the lock may have removed the folder it made (above): then
        # this lock is on a folder that is gone, and the build starts over on the path.
        try:
            if os.path.samestat(os.fstat(fd), os.stat(out)):
                break
        except OSError:
            pass
        os.close(fd)
    try:
        lifecycle.clear_stale_work(out)
        yield
    finally:
        lifecycle.remove_empty(made)  # before the lock goes: the next build finds it gone
        os.close(fd)  # and with it the lock


def build(paths: Sequence[str], out_dir: str | Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildReport:
    """`archgen build`: draw what changed, remove what is gone, record it all."""
    start = time.perf_counter()
    out = Path(out_dir)
    progress = progress or Progress()
    blueprints, errors = find_blueprints(paths, out)
    with _only_build(out):
        builder = _Builder(out, options, progress)
        for error in errors:
            builder._fail(error)
        report = builder.run(blueprints)
    report.seconds = time.perf_counter() - start
    return report


def merge(folders: Sequence[str], out_dir: str | Path,
          progress: Progress | None = None) -> BuildReport:
    """`archgen build --merge`: join the folders of shards (their files and manifests) into
    one folder, as one unsharded build would have made it, with its gallery."""
    start = time.perf_counter()
    target_dir = Path(out_dir)
    progress = progress or Progress()
    report = BuildReport()
    manifests: list[tuple[Path, Manifest]] = []
    for folder in folders:
        found = read_manifest(Path(folder))
        if found is None and (Path(folder) / MANIFEST).exists():
            raise ArchError.at(Pos(str(Path(folder) / MANIFEST)), "is not a manifest of "
                               "archgen build (damaged or edited)", "build this shard again")
        if found is None:
            raise ArchError.at(Pos(folder), f"no {MANIFEST} of archgen build in this folder")
        manifests.append((Path(folder), found))
    if not manifests:
        raise ArchError.at(None, "--merge needs the folders of the shards to join")
    versions = manifests[0][1]["versions"]
    blueprints: dict[str, BlueprintEntry] = {}
    entries: dict[str, FileEntry] = {}
    sources: dict[str, Path] = {}
    for shard_dir, manifest in manifests:
        if manifest["versions"] != versions:
            raise ArchError.at(Pos(str(shard_dir / MANIFEST)),
                               f"built with {manifest['versions']}, another shard with "
                               f"{versions}", "build every shard with the same versions")
        for b in manifest["blueprints"]:
            known = blueprints.setdefault(b["blueprint"], b)
            if known != b:
                raise ArchError.at(Pos(str(shard_dir / MANIFEST)),
                                   f"{b['blueprint']} differs from another shard's",
                                   "build every shard from the same commit")
        for f in manifest["files"]:
            if f["file"] in entries and entries[f["file"]] != f:
                raise ArchError.at(Pos(str(shard_dir / MANIFEST)),
                                   f"{f['file']} differs from another shard's")
            entries[f["file"]] = f
            sources[f["file"]] = shard_dir / f["file"]
    merged = _sorted_manifest(versions, blueprints, entries)
    with _only_build(target_dir):
        old = read_manifest(target_dir)
        todo = [name for name, entry in sorted(entries.items())
                if _file_sha256(target_dir / name) != entry["sha256"]]
        for name in todo:  # every shard's file checked before anything is changed
            if _file_sha256(sources[name]) != entries[name]["sha256"]:
                raise ArchError.at(Pos(str(sources[name])), "does not match its shard's "
                                                            "manifest; nothing was changed")
        report.unchanged = len(entries) - len(todo)
        progress.start(len(todo))
        for name in todo:
            data = sources[name].read_bytes()
            target = target_dir / name
            tmp = target_dir / f".{name}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, target)
            report.built += 1
        for entry in (old["files"] if old else []):
            path = target_dir / entry["file"]
            if entry["file"] not in entries and path.is_file() and not path.is_symlink():
                path.unlink()
                report.removed += 1
                progress.removed(path)
        _write_if_changed(target_dir / MANIFEST, manifest_text(merged))
        _write_if_changed(target_dir / GALLERY, gallery_html(merged))
    report.seconds = time.perf_counter() - start
    return report


_STYLE = """
body { font-family: system-ui, sans-serif; color: #1f2328; background: #fff;
       max-width: 84rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
header p, footer, .source { color: #59636e; }
nav ul { columns: 18rem; padding-left: 1.2rem; }
section { border-top: 1px solid #d1d9e0; margin-top: 2.5rem; padding-top: .5rem; }
figure { margin: 1.2rem 0 2rem; }
figcaption { margin-bottom: .4rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #d1d9e0; }
figcaption a { margin-left: .6rem; }
code { font-size: .9em; }
"""


def _anchors() -> Callable[[str], str]:
    """Ids for one page: a text's letters and digits, numbered where two texts give the
    same (`a b.yaml` and `a-b.yaml`), so that every link of the page finds its own place."""
    given: dict[str, str] = {}

    def anchor(text: str) -> str:
        if text not in given:
            base = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "d"
            taken = set(given.values())
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            given[text] = name
        return given[text]

    return anchor


def gallery_html(manifest: Manifest) -> str:
    """index.html: every diagram and its variants under its blueprint's title, with links to
    each file. Relative links only, the style inline, no script: it works from the file
    system and from any static host."""
    import html
    from urllib.parse import quote

    esc = html.escape
    _anchor = _anchors()
    versions = manifest["versions"]
    by_diagram: dict[tuple[str, str | None], list[FileEntry]] = {}
    for f in manifest["files"]:
        by_diagram.setdefault((f["blueprint"], f["variant"]), []).append(f)
    title = "Architecture diagrams"
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{title}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
             f"<header><h1>{title}</h1>",
             f"<p>{len(manifest['blueprints'])} blueprints, {len(by_diagram)} diagrams, drawn "
             f"by archgen {esc(str(versions.get('archgen')))} with diagrams "
             f"{esc(str(versions.get('diagrams')))} and Graphviz "
             f"{esc(str(versions.get('graphviz')))}. Every file is listed with its size and "
             f'sha256 in <a href="{MANIFEST}">{MANIFEST}</a>.</p></header>', "<nav><ul>"]
    for b in manifest["blueprints"]:
        parts.append(f'<li><a href="#{_anchor(b["blueprint"])}">{esc(b["title"])}</a></li>')
    parts += ["</ul></nav>", "<main>"]
    for b in manifest["blueprints"]:
        parts.append(f'<section id="{_anchor(b["blueprint"])}">')
        parts.append(f"<h2>{esc(b['title'])}</h2>")
        if b["description"]:
            parts.append(f"<p>{esc(b['description'])}</p>")
        parts.append(f'<p class="source"><code>{esc(b["blueprint"])}</code></p>')
        for v in b["variants"]:
            made = sorted(by_diagram.get((b["blueprint"], v["variant"]), []),
                          key=lambda f: _FORMAT_ORDER.index(f["format"])
                          if f["format"] in _FORMAT_ORDER else 99)
            if not made:
                continue
            label = "As written" if v["variant"] is None else v["label"] or v["variant"]
            figure_id = _anchor(f"{b['blueprint']}--{v['variant'] or 'as-written'}")
            links = " ".join(f'<a href="{quote(f["file"])}">{f["format"].upper()}</a>'
                             for f in made)
            parts.append(f'<figure id="{figure_id}">')
            parts.append(f"<figcaption><strong>{esc(label)}</strong>{links}</figcaption>")
            shown = next((f for f in made if f["format"] in ("png", "svg", "jpg")), None)
            if shown is not None:
                target = next((f for f in made if f["format"] == "svg"), shown)
                size = (f' width="{shown["width"]}" height="{shown["height"]}"'
                        if shown["width"] and shown["height"] else "")
                parts.append(f'<a href="{quote(target["file"])}"><img '
                             f'src="{quote(shown["file"])}" alt="{esc(b["title"])}: '
                             f'{esc(label)}"{size}></a>')
            parts.append("</figure>")
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
