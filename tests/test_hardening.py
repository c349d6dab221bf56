"""Untrusted blueprints: nothing they hold runs, escapes, or breaks the output folder."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import struct
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arch import images, lifecycle
from arch.build import Options, prepare, render_files
from arch.compile import compile_blueprint
from arch.errors import ArchError, format_problem
from arch.load import load_text
from arch.program import NotCompilerOutput, check_program
from arch.render import GraphvizFailed, render
from arch.validate import load_blueprint, validate

from .conftest import BLUEPRINTS, ROOT
from .helpers import invoke, processes_with, write

# -- the generated program holds only what the compiler itself writes -----------------------
# (arch.program.check_program: render checks every program with it before running it)

@pytest.mark.graphviz
@pytest.mark.parametrize("blueprint", BLUEPRINTS + sorted((ROOT / "tests" / "golden").glob(
    "*.yaml")), ids=lambda p: p.stem)
def test_shipped_programs_hold_only_compiler_statements(blueprint: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for _, source in prepare(str(blueprint.relative_to(ROOT)), Options(all_variants=True)):
        check_program(source)


def test_the_checker_catches_an_injected_statement() -> None:
    source = compile_blueprint(load_blueprint(str(BLUEPRINTS[0])))
    with pytest.raises(NotCompilerOutput):
        check_program(source + "import os\nos.system('echo hi')\n")
    with pytest.raises(NotCompilerOutput):
        check_program(source.replace("show=False", "show=__import__('os').getcwd()"))


_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
_PAYLOADS = st.sampled_from([
    '""" ); import os; os.system(\'rm -rf ~\') #', "'); __import__('os').system('x') #",
    "\\\" ] ; node [shape=box", "<<B>html</B>>", "}\n digraph x {", "{{7*7}}", "$(id)",
    "\x00nul", "a\nb\r\nc", "\u202eRTL", "🙂" * 5,
])
TEXT = st.one_of(_ANY_TEXT, _PAYLOADS)


@settings(max_examples=150, deadline=None)
@given(title=TEXT, caption=TEXT, group=TEXT, label=TEXT, edge=TEXT, note=TEXT, alt=TEXT,
       color=st.one_of(TEXT, st.sampled_from(["red", "#12ab9F", "Navy"])),
       name=st.one_of(TEXT, st.sampled_from(["ok-name", "../up", "/abs", "a/b"])),
       node_id=st.one_of(TEXT, st.sampled_from(["web", "x_1"])))
def test_any_text_is_refused_or_stays_data(title: str, caption: str, group: str, label: str,
                                           edge: str, note: str, alt: str, color: str,
                                           name: str, node_id: str) -> None:
    data = {
        "blueprint": 1, "title": title, "description": caption, "provider": "aws",
        "nodes": [{"id": node_id, "type": "EC2", "label": label}],
        "groups": [{"id": "g", "label": group, "nodes": [{"id": "s", "type": "S3"}]}],
        "edges": [{"from": node_id, "to": "g", "label": edge, "color": color}],
        "alternatives": [{"id": "a", "label": alt, "note": note, "replace": ["g"],
                          "with": "Lightsail"}],
        "output": {"name": name},
    }
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        bp = validate(load_text(text, "f.yaml"), "f.yaml")
    except ArchError as exc:
        assert exc.problems and all(p.pos is not None for p in exc.problems)
        return
    check_program(compile_blueprint(bp))


# -- Graphviz injection -------------------------------------------------------------------


@pytest.mark.parametrize("color", ['red"; style=invis; x="', "red]", "#12345", "url(x)",
                                   "#ff0000ff", "notacolour"])
def test_colours_are_names_or_hex(tmp_path: Path, color: str) -> None:
    path = write(tmp_path, f"""\
blueprint: 1
title: C
nodes: [{{id: a, type: aws.compute.EC2}}, {{id: b, type: aws.compute.EC2}}]
edges: [{{from: a, to: b, color: {json.dumps(color)}}}]
""")
    with pytest.raises(ArchError) as info:
        load_blueprint(str(path))
    assert "is not a colour name or #rrggbb" in info.value.problems[0].message


# -- paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../up", "/abs", "a/b", "a\\\\b", ".hidden", "x\\x00y"])
def test_output_name_cannot_leave_the_folder(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f'blueprint: 1\ntitle: N\nnodes: [aws.compute.EC2]\n'
                           f'output: {{name: "{name}"}}\n')
    with pytest.raises(ArchError) as info:
        load_blueprint(str(path))
    expected = "U+0000" if "\\x00" in name else "is not a plain file name"
    assert expected in info.value.problems[0].message


def test_icon_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    folder = tmp_path / "bp"
    folder.mkdir()
    (folder / "icon.png").symlink_to(outside)
    path = write(folder, "blueprint: 1\ntitle: S\nnodes: [{icon: icon.png, label: X}]\n")
    with pytest.raises(ArchError) as info:
        load_blueprint(str(path))
    assert "leads outside the blueprint's folder" in info.value.problems[0].message


def test_icon_must_really_be_an_image(tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_text("#!/bin/sh\necho not an image\n")
    path = write(tmp_path, "blueprint: 1\ntitle: S\nnodes: [{icon: fake.png, label: X}]\n")
    with pytest.raises(ArchError) as info:
        load_blueprint(str(path))
    assert "is not a PNG or JPEG image" in info.value.problems[0].message


# -- limits ---------------------------------------------------------------------------------


@pytest.mark.graphviz
def test_too_many_nodes_is_refused_before_layout(tmp_path: Path) -> None:
    nodes = ", ".join(f"{{id: n{i}, type: aws.compute.EC2}}" for i in range(30))
    path = write(tmp_path, f"blueprint: 1\ntitle: L\nnodes: [{nodes}]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                     "--max-nodes", "20"])
    assert result.exit_code == 1
    assert "has 30 nodes, more than the limit of 20" in result.stderr
    assert not (tmp_path / "out").exists()
    ok = invoke(["render", str(path), "-o", str(tmp_path / "out"),
                 "--max-nodes", "30", "-f", "dot"])
    assert ok.exit_code == 0


# -- faults: a fake dot that fails, crashes, hangs, writes half a file ----------------------

FAKES = {
    "fails": "echo 'Error: syntax error in line 1' >&2\nexit 1\n",
    "crashes": "kill -SEGV $$\n",
    "killed": "kill -KILL $$\n",
    "hangs": "exec sleep 60\n",
    # half of each file asked for: `dot -Tsvg -Tpng -O NAME` writes NAME.svg and NAME.png
    "half": 'for a in "$@"; do last=$a; done\n'
            'for a in "$@"; do case "$a" in -T*) f=${a#-T}\n'
            '  printf "<?xml version=\\"1.0\\"?>\\n<svg width=" > "$last.$f";; esac; done\n'
            'exit 0\n',
    "missing": None,
}


@pytest.fixture
def old_output(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    before = {"bp.svg": b"old svg", "bp.png": b"old png", "other.txt": b"keep"}
    for name, data in before.items():
        (out / name).write_bytes(data)
    return path, out, before


@pytest.mark.parametrize("fault", sorted(FAKES))
def test_a_failing_dot_leaves_the_output_folder_as_it_was(
        fault: str, old_output: tuple[Path, Path, dict[str, bytes]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, out, before = old_output
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    script = FAKES[fault]
    if script is not None:
        fake = bin_dir / "dot"
        fake.write_text("#!/bin/sh\n" + script)
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    else:
        monkeypatch.setenv("PATH", str(bin_dir))
    result = invoke(["render", str(path), "-o", str(out), "-f", "svg,png",
                     "--timeout", "3"])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2  # one line, and maybe a hint
    expected = {
        "fails": "Graphviz: Error: syntax error in line 1",
        "crashes": "Graphviz crashed (SIGSEGV)",
        "killed": "Graphviz was killed (SIGKILL)",
        "hangs": "when the command's --timeout of 3 s ran out",
        "half": "Graphviz wrote an incomplete bp.svg",
        "missing": "Graphviz's `dot` program was not found on PATH",
    }[fault]
    assert expected in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_dot_out_of_memory_is_said_so_and_not_drawn_again_with_less_layout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    runs = tmp_path / "runs"
    (bin_dir / "dot").write_text(f"#!/bin/sh\necho run >> {runs}\n"
                                 "echo 'Error: out of memory' >&2\nexit 1\n")
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2, aws.storage.S3]\n"
                           "edges: [ec2 -> s3]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "o"),
                     "-f", "svg"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:1:1: error: the render ran out of memory or disk space (Graphviz: Error: out "
        f"of memory); nothing was written",
        "  hint: free memory or disk space, or draw the PNG at a lower --dpi"]
    assert runs.read_text().count("run") == 1  # no fallback drawing
    assert not (tmp_path / "o").exists()


def test_a_hung_dot_is_stopped_with_its_program(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexec sleep 61\n")
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "o"),
                     "--timeout", "2"])
    assert result.exit_code == 1
    assert processes_with(bin_dir, b"sleep") == []  # no dot left running


@pytest.mark.graphviz
def test_a_full_disk_mid_swap_puts_every_old_file_back(
        old_output: tuple[Path, Path, dict[str, bytes]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, out, before = old_output
    real = os.replace
    calls = {"n": 0}

    def flaky(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the new svg is in; the png's rename fails
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    outcomes = render_files([str(path)], out, Options(formats=("svg", "png")))
    assert outcomes[0].error is not None
    assert "No space left on device" in outcomes[0].error.problems[0].message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_unwritable_output_folder_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = invoke(["render", str(path), "-o", str(blocker / "out")])
    assert result.exit_code == 1
    # the command line's folder, not a line of the blueprint (it was at bp.yaml:1:1)
    assert result.stderr == (f"archgen: error: cannot write to output folder "
                             f"{str(blocker / 'out')!r}: {str(blocker)!r} is a file\n")


# -- fuzzing: mutated shipped blueprints only ever fail with a positioned ArchError ---------

_SHIPPED = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in BLUEPRINTS]
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), TEXT,
                    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    data = draw(st.sampled_from(_SHIPPED))
    data = yaml.safe_load(yaml.safe_dump(data))  # a copy
    for _ in range(draw(st.integers(1, 6))):
        # walk down to a random mapping or list, then change one thing in it
        here = data
        for _ in range(draw(st.integers(0, 4))):
            children = (list(here.values()) if isinstance(here, dict)
                        else here if isinstance(here, list) else [])
            children = [c for c in children if isinstance(c, (dict, list)) and c]
            if not children:
                break
            here = draw(st.sampled_from(children))
        if isinstance(here, dict) and here:
            key = draw(st.sampled_from(sorted(here, key=str)))
            action = draw(st.sampled_from(["delete", "replace", "add", "rename"]))
            if action == "delete":
                del here[key]
            elif action == "replace":
                here[key] = draw(_VALUES)
            elif action == "add":
                here[draw(TEXT)] = draw(_VALUES)
            else:
                here[draw(TEXT)] = here.pop(key)
        elif isinstance(here, list) and here:
            i = draw(st.integers(0, len(here) - 1))
            if draw(st.booleans()):
                del here[i]
            else:
                here[i] = draw(_VALUES)
    return yaml.safe_dump(data, allow_unicode=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_fuzzed_blueprints_fail_only_with_positioned_errors(text: str) -> None:
    source = _compiled_or_refused(text)
    if source is not None:
        check_program(source)


def _compiled_or_refused(text: str) -> str | None:
    """The program of a fuzzed blueprint, or None when it was refused: then only with
    positioned errors, each of a bounded length."""
    try:
        return compile_blueprint(validate(load_text(text, "fuzz.yaml"), "fuzz.yaml"))
    except ArchError as exc:
        assert exc.problems
        assert all(p.pos is not None and p.pos.file == "fuzz.yaml" for p in exc.problems)
        assert all(len(format_problem(p)) < 2000 for p in exc.problems)
        return None


# -- Graphviz failing on the layout's row points: drawn again without them ------------------


@pytest.mark.graphviz
@pytest.mark.parametrize("marker,renders,note,flag", [
    # dot fails while the row points are there: drawn without them
    ("nodeid='@row1'", [True, False], "the points that keep the rows in order",
     "--no-row-order"),
    # dot fails while any layout edge is there: drawn without any
    ("Edge(style='invis'", [True, True, False], "the layout's invisible edges", "--no-layout"),
])
def test_render_falls_back_when_graphviz_cannot_route_layout_edges(
        marker: str, renders: list[bool], note: str, flag: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import arch.renders
    from arch.render import render as real
    seen: list[bool] = []

    def picky(bp, source, out_dir, timeout):  # type: ignore[no-untyped-def]
        seen.append(marker in source)
        if seen[-1]:
            raise GraphvizFailed.at(None, "the render failed: Graphviz: triangulation failed")
        return real(bp, source, out_dir, timeout)

    monkeypatch.setattr(arch.renders, "render", picky)
    seed = str(ROOT / "blueprints" / "aws-web-app.yaml")
    result = invoke(["render", seed, "-o", str(tmp_path), "-f", "svg"])
    assert result.exit_code == 0, result.stderr
    assert seen == renders
    assert f"note: Graphviz could not route {note}; drawn without them" in result.stderr
    assert flag in result.stderr
    assert (tmp_path / "aws-web-app.svg").exists()
    plain = invoke(["compile", seed, flag])
    assert plain.exit_code == 0 and marker not in plain.stdout


@pytest.mark.graphviz
def test_nested_group_edge_that_broke_graphviz_renders(tmp_path: Path) -> None:
    """A case a review found: dot 2.43 failed routing into nested boxes; it renders now."""
    case = ROOT / "tests" / "cases" / "nested-group-edge.yaml"
    result = invoke(["render", str(case), "--all-variants", "-o",
                     str(tmp_path), "-f", "svg,png"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "nested-group-edge--eks.png", "nested-group-edge--eks.svg",
        "nested-group-edge.png", "nested-group-edge.svg"]


# -- fuzzing the text itself: explicit tags, escapes, aliases ---------------------------------

_TAGS = ["!!bool", "!!int", "!!float", "!!str", "!!null", "!!timestamp", "!!binary",
         "!!set", "!!omap", "!!python/object:os.system", "!local", "!<tag:x>"]
_ESCAPES = ["\\x01", "\\e", "\\x0b", "\\0", "\\x7f", "\\x85", "\\ud800", "\\udfff", "\\uFFFE",
            "\\uFDD0", "\\U0010FFFF", "\\N", "\\_", "\\L", "\\P", "\\t", "\\u00e9", "\\x41"]


@st.composite
def tagged_or_escaped(draw: st.DrawFn) -> str:
    """A mutated shipped blueprint whose text then gets an explicit tag before some value
    (or key), a double-quoted value with escapes, or a value replaced by an alias."""
    lines = draw(mutated()).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        key, colon, value = line.partition(": ")
        how = draw(st.sampled_from(["tag-value", "tag-key", "escape", "alias"]))
        if how == "tag-value" and colon:
            lines[i] = f"{key}: {draw(st.sampled_from(_TAGS))} {value}"
        elif how == "tag-key":
            indent = len(line) - len(line.lstrip(" -"))
            lines[i] = line[:indent] + draw(st.sampled_from(_TAGS)) + " " + line[indent:]
        elif how == "escape" and colon:
            escapes = "".join(draw(st.lists(st.sampled_from(_ESCAPES), min_size=1, max_size=3)))
            lines[i] = f'{key}: "{value.strip(chr(34))}{escapes}"'
        elif how == "alias" and colon and i > 0:
            lines[0] = lines[0] + " &first" if "&" not in lines[0] else lines[0]
            lines[i] = f"{key}: *first"
    return "\n".join(lines) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tagged_or_escaped())
def test_fuzzed_tags_escapes_and_aliases_fail_only_with_positioned_errors(text: str) -> None:
    source = _compiled_or_refused(text)
    if source is None:
        return
    check_program(source)
    # whatever passed holds only characters an SVG can hold
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", source)


# -- fuzzing icon files: any bytes are drawn or refused at the icon's line ------------------

def _icon_seed() -> list[bytes]:
    from PIL import Image

    seeds = []
    for fmt in ("PNG", "JPEG"):
        out = io.BytesIO()
        Image.new("RGB", (24, 16), (30, 90, 200)).save(out, fmt)
        seeds.append(out.getvalue())
    return seeds


_ICON_SEEDS = _icon_seed()


@st.composite
def icon_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_ICON_SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        how = draw(st.sampled_from(["flip", "cut", "insert", "junk", "size"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "flip" and data:
            data[i] ^= draw(st.integers(1, 255))
        elif how == "cut":
            del data[i:]
        elif how == "insert":
            data[i:i] = draw(st.sampled_from([b"\xff", b"\xff\x01", b"\xff\xd0", b"\xff\xff",
                                              b"\x00", b"IEND"]))
        elif how == "junk":
            data += draw(st.binary(max_size=64))
        elif how == "size" and len(data) > 24 and data[:4] == b"\x89PNG":
            data[16:24] = struct.pack(">II", draw(st.integers(0, 70000)),
                                      draw(st.integers(0, 70000)))
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=icon_bytes())
def test_fuzzed_icon_files_are_accepted_or_refused_at_the_icon_s_line(
        data: bytes, tmp_path: Path) -> None:
    (tmp_path / "icon.png").write_bytes(data)
    path = write(tmp_path, "blueprint: 1\ntitle: I\nnodes:\n  - {icon: icon.png, label: M}\n")
    try:
        load_blueprint(str(path))
    except ArchError as exc:
        [problem] = exc.problems
        assert problem.pos is not None and (problem.pos.line, problem.pos.col) == (4, 12)
        assert problem.message.startswith("icon 'icon.png' ")
        return
    image, info = images.read_icon(tmp_path / "icon.png")  # what render embeds
    assert 0 < info.width <= images.MAX_ICON_SIDE and 0 < info.height <= images.MAX_ICON_SIDE
    assert images.size(image) == (info.width, info.height)


@pytest.mark.parametrize("left,said", [
    (None, "the layout took longer than 1 s and was stopped"),  # archgen build: per render
    (0.0, "the layout was stopped after 0.0 s, when the command's --timeout of 1 s ran out"),
], ids=["its own time", "the command's deadline"])
def test_a_stopped_layout_says_which_time_ran_out(
        left: float | None, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A render late in the queue of `archgen render a.yaml b.yaml ...` gets what is left of
    the command's deadline: stopped then, it is not said to have taken the whole --timeout."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexec sleep 61\n")
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    if left is not None:  # the deadline has (as good as) passed when this render starts
        monkeypatch.setattr(lifecycle, "remaining", lambda timeout: left)
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    [(bp, source)] = prepare(str(path), Options(arrange=False))
    with pytest.raises(ArchError) as info:
        render(bp, source, tmp_path / "o", timeout=1)
    assert said in info.value.problems[0].message
    assert not isinstance(info.value, GraphvizFailed)  # no fallback tries the same again
    assert processes_with(bin_dir, b"sleep") == []
