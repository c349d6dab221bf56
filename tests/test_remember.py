"""Remembered renders (arch/remember.py): `archgen render` of an unchanged blueprint draws
the graph an earlier render worked out, and anything it depends on changed works it out
again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import arch.renders
from arch import icons, remember
from arch.model import Blueprint
from arch.render import GraphvizFailed

from .conftest import ROOT
from .helpers import invoke, png, write

pytestmark = pytest.mark.graphviz

BLUEPRINT = """\
    blueprint: 1
    title: Remembered
    provider: aws
    nodes: [EC2, RDS, Cloud Build, {icon: icons/ours.png, label: Ours}]
    edges: [ec2 -> rds, ours -> ec2]
    alternatives:
      - {id: serverless, label: On Lambda, replace: [ec2], with: {type: Lambda}}
    output: {formats: [svg]}
    """


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "ours.png").write_bytes(png())
    return write(tmp_path, BLUEPRINT)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The blueprints render checks (a remembered one is not checked)."""
    seen: list[str] = []
    real = arch.renders.check

    def counting(path: str, *args: object, **kwargs: object) -> Blueprint:
        seen.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(arch.renders, "check", counting)
    return seen


def render(path: Path, out: Path, *options: str) -> tuple[int, str, str]:
    result = invoke(["render", str(path), "-o", str(out), *options])
    assert result.exception is None, result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_a_remembered_render_draws_the_same_files_and_says_the_same(
        project: Path, tmp_path: Path, checked: list[str]) -> None:
    cold = render(project, tmp_path / "cold", "-f", "svg,png")
    assert checked == [str(project)]
    hit = render(project, tmp_path / "hit", "-f", "svg,png")
    assert checked == [str(project)]  # not checked again
    assert cold[0] == hit[0] == 0
    assert hit[1] == cold[1].replace(str(tmp_path / "cold"), str(tmp_path / "hit"))
    assert hit[2] == cold[2]
    assert "note: node type 'Cloud Build' is drawn with Google Cloud's" in hit[2]
    for name in ("bp.svg", "bp.png"):
        assert (tmp_path / "hit" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()
    # and drawn again each time: Graphviz's work is not remembered
    (tmp_path / "hit" / "bp.svg").unlink()
    render(project, tmp_path / "hit", "-f", "svg,png")
    assert (tmp_path / "hit" / "bp.svg").read_bytes() == (tmp_path / "cold" / "bp.svg").read_bytes()


@pytest.mark.parametrize("change", ["blueprint", "icon", "format", "dpi", "theme", "variant",
                                    "all variants", "limit", "timeout"])
def test_anything_the_work_depends_on_changed_works_it_out_again(
        project: Path, tmp_path: Path, checked: list[str], change: str) -> None:
    options = {"format": ["-f", "svg,png"], "dpi": ["--dpi", "50"], "theme": ["--theme", "dark"],
               "variant": ["--variant", "serverless"], "all variants": ["--all-variants"],
               "limit": ["--max-nodes", "99"], "timeout": ["--timeout", "99"]}
    render(project, tmp_path / "out")
    if change == "blueprint":
        project.write_text(project.read_text() + "# a comment\n")
    elif change == "icon":
        (tmp_path / "icons" / "ours.png").write_bytes(png(5, 4))
    code, _, err = render(project, tmp_path / "out", *options.get(change, []))
    assert code == 0, err
    assert checked == [str(project)] * 2
    render(project, tmp_path / "out", *options.get(change, []))
    assert checked == [str(project)] * 2  # remembered as changed


def test_a_damaged_entry_is_no_entry(project: Path, tmp_path: Path, checked: list[str]) -> None:
    render(project, tmp_path / "cold")
    [entry] = remember.folder().iterdir()
    whole = entry.read_bytes()
    data = json.loads(whole)
    damaged = [b"", whole[:len(whole) // 2], b"\xff\xfe", b"[1, 2]", b'{"entry": 1}',
               json.dumps({**data, "entry": 99}).encode(),
               json.dumps({**data, "drawn": [{**data["drawn"][0], "graph": 3}]}).encode(),
               json.dumps({**data, "notes": [[["f", "one", 1, ""], "m", None]]}).encode(),
               json.dumps({**data, "drawn": [{**data["drawn"][0], "name": "../bp"}]}).encode()]
    for i, text in enumerate(damaged):
        entry.write_bytes(text)
        code, _, err = render(project, tmp_path / str(i))
        assert code == 0, err
        assert len(checked) == i + 2  # worked out anew
        assert (tmp_path / str(i) / "bp.svg").read_bytes() == \
            (tmp_path / "cold" / "bp.svg").read_bytes()
    assert not (tmp_path / "bp.svg").exists()  # nothing an entry says writes elsewhere
    entry.unlink()
    entry.mkdir()  # unreadable, and unwritable
    assert render(project, tmp_path / "x")[0] == 0


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder would be")
    monkeypatch.setattr(remember, "folder", lambda: blocker / "renders")
    for out in ("a", "b"):
        code, _, err = render(project, tmp_path / out)
        assert code == 0, err
    assert (tmp_path / "a" / "bp.svg").read_bytes() == (tmp_path / "b" / "bp.svg").read_bytes()


def test_a_blueprint_that_fails_is_never_remembered(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: Bad\nnodes: [Lamda]\n")
    for _ in range(2):
        code, _, err = render(path, tmp_path / "out")
        assert code == 1 and f"{path}:3:9: error: unknown node type 'Lamda'" in err
    assert list(remember.folder().iterdir()) == []
    assert not (tmp_path / "out").exists()


def test_a_graph_graphviz_fails_on_is_worked_out_again_with_its_fallbacks(
        project: Path, tmp_path: Path, checked: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    render(project, tmp_path / "out")
    failed: list[str] = []

    def crashing(*args: object, **kwargs: object) -> object:
        failed.append("x")
        raise GraphvizFailed.at(None, "the render failed: Graphviz: crashed")

    # a remembered graph always fails, and its entry cannot be removed (a folder one may
    # read, not write): worked out once, not recalled again
    monkeypatch.setattr(arch.renders, "draw", crashing)
    monkeypatch.setattr(remember, "forget", lambda *args: None)
    code, out, err = render(project, tmp_path / "out")
    assert code == 0 and failed == ["x"] and checked == [str(project)] * 2, err
    assert err.count("note:") == 1 and "rendered" in out


def test_the_folder_keeps_the_entries_used_last_up_to_its_bounds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checked: list[str]) -> None:
    monkeypatch.setattr(remember, "MAX_ENTRIES", 2)
    paths = [write(tmp_path, f"blueprint: 1\ntitle: {name}\nnodes: [EC2]\n"
                             "output: {formats: [dot]}\n", f"{name}.yaml") for name in "abc"]
    for path in paths[:2]:
        render(path, tmp_path / "out")
    os.utime(next(remember.folder().iterdir()), (1, 1))  # as if written long ago
    render(paths[0], tmp_path / "out")  # used now
    render(paths[2], tmp_path / "out")
    assert len(list(remember.folder().iterdir())) == 2
    render(paths[0], tmp_path / "out")
    assert checked == [str(p) for p in paths]  # a was kept, b went
    monkeypatch.setattr(remember, "MAX_FOLDER_BYTES", 1)
    render(paths[1], tmp_path / "out")
    assert list(remember.folder().iterdir()) == []


def test_a_remembered_render_imports_neither_yaml_nor_the_checks_nor_diagrams(
        tmp_path: Path) -> None:
    """In a Python of its own, as `archgen render` runs; XDG_CACHE_HOME names the folder."""
    seed = ROOT / "blueprints" / "aws-web-app.yaml"
    probe = ("import sys\nfrom arch.cli import main\nmain(sys.argv[1:])\n"
             "print(' '.join(sorted(sys.modules)))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = [sys.executable, "-c", probe, "render", str(seed), "-o", str(tmp_path / "out"),
            "-f", "svg"]
    cold = subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout
    hit = subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout
    assert list((tmp_path / "cache" / "archgen" / "renders").iterdir())
    heavy = {"yaml", "diagrams", "arch.validate", "arch.load", "arch.compile", "arch.arrange",
             "arch.program", "arch.catalog", "arch.model"}
    assert heavy <= set(cold.split())
    assert heavy.isdisjoint(hit.split())
    # nor build.py (the manifest, the gallery: render_files is in renders.py), nor typing,
    # nor dataclasses and inspect (the values it builds are record.py's), nor tempfile and
    # random (lifecycle makes its work folder)
    assert {"arch.build", "typing", "dataclasses", "inspect", "tempfile", "random"
            }.isdisjoint(hit.split())


def test_a_file_name_that_is_not_utf_8_is_remembered_and_said_alike(
        tmp_path: Path, checked: list[str]) -> None:
    path = tmp_path / os.fsdecode(b"x\xff.yaml")
    path.write_text("blueprint: 1\ntitle: T\nprovider: aws\nnodes: [EC2, Cloud Build]\n"
                    "output: {formats: [svg]}\n", encoding="utf-8")
    cold, hit = render(path, tmp_path / "out"), render(path, tmp_path / "out")
    assert cold == hit and cold[0] == 0 and "note: node type 'Cloud Build'" in cold[2]
    assert checked == [str(path)]


@pytest.mark.parametrize("graph", [["/ABS", ["svg"]], ["../../../bp", ["svg"]],
                                   ["bp", ["svg", "ps"]]])
def test_an_entry_whose_graph_would_be_written_elsewhere_is_no_entry(
        project: Path, tmp_path: Path, checked: list[str], graph: list[object]) -> None:
    """The graph goes to dot as dot_dir/FILENAME, and dot writes FILENAME.FORMAT: an edited
    entry naming a path there wrote the graph's text wherever it led."""
    render(project, tmp_path / "cold")
    [entry] = remember.folder().iterdir()
    data = json.loads(entry.read_bytes())
    filename, formats = graph
    target = tmp_path / "elsewhere"
    filename = str(filename).replace("/ABS", str(target))  # dot_dir is OUT/.archgen-*/dot
    data["drawn"][0]["graph"] = [filename, formats, "text an entry wrote\n"]
    entry.write_text(json.dumps(data))
    code, _, err = render(project, tmp_path / "out")
    assert code == 0, err
    assert len(checked) == 2  # worked out anew
    assert not target.exists()
    assert not (tmp_path / "bp").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bp.svg"]
    assert (tmp_path / "out" / "bp.svg").read_bytes() == \
        (tmp_path / "cold" / "bp.svg").read_bytes()


def _square(colour: tuple[int, int, int, int], fill: bool) -> bytes:
    """A square icon: outlined (line art in one colour) or filled."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    if fill:
        ImageDraw.Draw(image).rectangle([8, 8, 56, 56], fill=colour)
    else:
        ImageDraw.Draw(image).rectangle([8, 8, 56, 56], outline=colour, width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_an_icon_changed_while_it_was_drawn_is_not_vouched_for(
        tmp_path: Path, checked: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The compile reads a custom icon too (dark line art gets a tile): an icon changed
    after the check was remembered with the graph of the old one, and drawn so from then
    on (its digest was taken only when remembering)."""
    path = write(tmp_path, "blueprint: 1\ntitle: Tiles\nprovider: aws\ntheme: dark\n"
                           "nodes: [EC2, {icon: ours.png, label: Ours}]\nedges: [ours -> ec2]\n"
                           "output: {formats: [dot]}\n")
    icon = tmp_path / "ours.png"
    icon.write_bytes(_square((10, 10, 10, 255), fill=False))  # drawn on a tile
    real = arch.renders.render_many

    def changing(*args: Any, **kwargs: Any) -> Iterator[Any]:
        yield from real(*args, **kwargs)
        icon.write_bytes(_square((255, 200, 40, 255), fill=True))  # shows on its own
        for sampled in (icons._sample, icons.one_colour_line_art, icons.faint):
            sampled.cache_clear()  # read again, as the next command would

    monkeypatch.setattr(arch.renders, "render_many", changing)
    render(path, tmp_path / "first")
    monkeypatch.setattr(arch.renders, "render_many", real)
    code, _, err = render(path, tmp_path / "again")
    assert code == 0, err
    assert len(checked) == 2  # the icon checked is not the one there now: worked out anew
    monkeypatch.setattr(remember, "folder", lambda: tmp_path / "cold-cache")
    render(path, tmp_path / "cold")
    assert (tmp_path / "again" / "bp.dot").read_bytes() == \
        (tmp_path / "cold" / "bp.dot").read_bytes()
    assert (tmp_path / "again" / "bp.dot").read_bytes() != \
        (tmp_path / "first" / "bp.dot").read_bytes()  # the tile went with the icon


@pytest.mark.parametrize("library", ["yaml", "PIL"])
def test_another_pyyaml_or_pillow_works_it_out_again(
        project: Path, tmp_path: Path, checked: list[str], library: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML parses the blueprint and Pillow samples its icons (a dark theme's tiles): an
    upgrade of either was a hit on what the old one gave."""
    render(project, tmp_path / "out")
    real = remember.package_identity
    monkeypatch.setattr(remember, "package_identity",
                        lambda name: real(name) + ("+upgraded" if name == library else ""))
    code, _, err = render(project, tmp_path / "out")
    assert code == 0, err
    assert checked == [str(project)] * 2
