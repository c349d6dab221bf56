"""Stage 5: rendering, checked on the structure of the SVG and DOT Graphviz writes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from arch.build import Options, prepare, render_files
from arch.compile import PANEL_ID
from arch.errors import ArchError
from arch.files import finish_svg, image_size
from arch.render import icon_file, render
from arch.validate import load_blueprint

from .conftest import BLUEPRINTS, ROOT
from .helpers import box_distance, invoke, read_shapes, read_svg, write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"

SEED = ROOT / "blueprints" / "aws-web-app.yaml"


@pytest.fixture(scope="module")
def seed_svg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    [(bp, source)] = prepare(str(SEED), Options(formats=("svg", "dot")))
    render(bp, source, out)
    return out


@pytest.mark.graphviz
def test_seed_svg_has_every_node_group_and_edge(seed_svg: Path) -> None:
    bp = load_blueprint(str(SEED))
    svg = read_svg(seed_svg / "aws-web-app.svg")
    node_paths = {n.path for n in bp.walk_nodes()}
    panel = {f"{PANEL_ID}.{a.id}" for a in bp.alternatives if a.with_ is not None}
    assert set(svg.nodes) == node_paths | panel  # the layout's invisible points are not drawn
    for n in bp.walk_nodes():  # each label, line breaks aside, under its icon
        assert " ".join(svg.nodes[n.path]) == " ".join(n.label.split())
    rows = {c for c in svg.clusters if c.startswith("cluster_@row")}  # invisible row boxes
    assert rows == {f"cluster_@row{i}" for i in range(1, len(bp.layout.rows) + 1)}
    assert set(svg.clusters) - rows == {f"cluster_{g.path}" for g in bp.walk_groups()} | {
        f"cluster_{PANEL_ID}"}
    assert svg.clusters["cluster_vpc"] == ["VPC (isolated private network)"]
    assert svg.clusters[f"cluster_{PANEL_ID}"] == ["Packaged infrastructure"]
    drawn = [e for e in svg.edges if e[0].count("->") == 1 and not e[0].startswith("@row")]
    assert len(svg.edges) >= len(bp.edges)  # and the layout's invisible ones
    assert len([e for e in drawn if e[1]]) == len([e for e in bp.edges if e.label])
    assert svg.graph_text[0] == "AWS web application"


@pytest.mark.graphviz
def test_group_endpoints_are_compound_edges_drawn_once(seed_svg: Path) -> None:
    dot = (seed_svg / "aws-web-app.dot").read_text()
    assert re.search(r'lhead="cluster_vpc\.web"', dot)
    assert re.search(r'ltail="cluster_vpc\.web",\s*lhead="cluster_vpc\.app"'
                     r'|lhead="cluster_vpc\.app",\s*ltail="cluster_vpc\.web"',
                     dot.replace("\n", " ").replace("\t", ""))
    # web -> app is one edge, not one per member of the web layer
    assert dot.count('ltail="cluster_vpc.web"') == 1


@pytest.mark.graphviz
def test_every_seed_service_is_drawn(seed_svg: Path) -> None:
    text = " ".join(t for lines in read_svg(seed_svg / "aws-web-app.svg").nodes.values()
                    for t in lines)
    for name in ["Route 53", "API Gateway", "Cognito", "Elastic Load", "EC2", "Lambda", "ECS",
                 "EKS", "ElastiCache", "Aurora", "RDS", "DynamoDB", "DocumentDB", "OpenSearch",
                 "SNS", "SQS", "EventBridge", "Step Functions", "S3", "CloudFront", "EMR",
                 "Athena", "Redshift", "QuickSight", "CodeCommit", "CodeBuild", "CodeDeploy",
                 "CodePipeline", "CloudWatch", "CloudTrail", "Amplify", "SAM",
                 "CloudFormation", "CDK", "Elastic Beanstalk", "App Runner", "Lightsail",
                 "AppSync"]:
        assert name in text, name


@pytest.mark.graphviz
@pytest.mark.parametrize("blueprint", BLUEPRINTS, ids=lambda p: p.stem)
def test_every_shipped_blueprint_renders_png_and_svg(blueprint: Path, tmp_path: Path) -> None:
    [outcome] = render_files([str(blueprint)], tmp_path, Options(formats=("png", "svg")))
    assert outcome.error is None, outcome.error
    assert len(outcome.rendered) == 1
    bp = load_blueprint(str(blueprint))
    png = tmp_path / f"{bp.output.name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = read_svg(tmp_path / f"{bp.output.name}.svg")
    assert {n.path for n in bp.walk_nodes()} <= set(svg.nodes)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [png.name, f"{bp.output.name}.svg"])  # no work folder or stray file left


@pytest.mark.graphviz
def test_rendering_twice_gives_identical_files(tmp_path: Path) -> None:
    files = {}
    for run in ("a", "b"):
        [(bp, source)] = prepare(str(SEED), Options(formats=("svg", "dot")))
        render(bp, source, tmp_path / run)
        files[run] = {p.name: p.read_bytes() for p in (tmp_path / run).iterdir()}
    assert files["a"] == files["b"]


def _geometry(dot: str) -> list[str]:
    """Where the layout put everything: the positions and sizes in a laid-out DOT file."""
    return re.findall(r'\b(?:pos|bb|lp|width|height)="[^"]*"', dot)


@pytest.mark.graphviz
def test_compiled_program_run_by_plain_python_draws_the_same(tmp_path: Path) -> None:
    """render lays the graph out once for every format; the program, run with plain python,
    lays it out once per format: the same layout either way."""
    [(bp, source)] = prepare(str(SEED), Options(formats=("svg", "dot", "png")))
    render(bp, source, tmp_path / "archgen")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "program.py").write_text(source)
    subprocess.run([sys.executable, "program.py"], cwd=plain, check=True)
    ours, theirs = tmp_path / "archgen" / "aws-web-app", plain / "aws-web-app"
    # archgen only finishes what the program drew: icons embedded, size fixed
    finished = finish_svg(theirs.with_suffix(".svg").read_bytes(),
                          lambda href: icon_file(plain, href).read_bytes())
    assert finished == ours.with_suffix(".svg").read_bytes()
    layout = _geometry(ours.with_suffix(".dot").read_text())
    assert len(layout) > 100 and layout == _geometry(theirs.with_suffix(".dot").read_text())
    assert image_size(ours.with_suffix(".png").read_bytes()) == image_size(
        theirs.with_suffix(".png").read_bytes())


@pytest.mark.graphviz
def test_custom_icon_renders(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    shutil.copy(ROOT / "tests" / "golden" / "icons" / "service.png", tmp_path / "icons" / "s.png")
    path = write(tmp_path, """\
        blueprint: 1
        title: Custom
        nodes: [{icon: icons/s.png, label: Ours}, aws.compute.EC2]
        edges: [ours -> ec2]
        """)
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    svg = read_svg(tmp_path / "out" / "bp.svg")
    assert svg.nodes["ours"] == ["Ours"]
    text = (tmp_path / "out" / "bp.svg").read_text()
    assert "icons/s.png" not in text  # embedded, not referenced
    assert text.count("<symbol id=") == 2 and text.count("data:image/png;base64,") == 2


@pytest.mark.graphviz
def test_every_format(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    options = Options(formats=("png", "svg", "pdf", "jpg", "dot"), dpi=72)
    [(bp, source)] = prepare(str(path), options)
    render(bp, source, tmp_path / "out")
    out = tmp_path / "out"
    assert (out / "bp.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "bp.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    assert (out / "bp.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "bp.svg").read_text().lstrip().startswith("<?xml")
    assert "digraph" in (out / "bp.dot").read_text()


def test_missing_dot_is_reported_and_writes_nothing(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bp.svg").write_text("old")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    [(bp, source)] = prepare(str(path))
    with pytest.raises(ArchError) as info:
        render(bp, source, out)
    problem = info.value.problems[0]
    assert "`dot` program was not found" in problem.message
    assert problem.hint is not None and "apt-get install graphviz" in problem.hint
    assert [p.name for p in out.iterdir()] == ["bp.svg"]
    assert (out / "bp.svg").read_text() == "old"


@pytest.mark.parametrize("change,message", [
    # a program that fails while it runs, as diagrams refuses a direction
    (lambda s, _: s.replace("direction='LR'", "direction='XX'"),
     "the render failed: ValueError: \"XX\" is not a valid direction"),
    # a program holding a statement the compiler never writes is not run at all
    (lambda s, marker: s + f"import os\nos.mkdir({str(marker)!r})\n",
     "the program holds a statement the compiler does not write: os.mkdir("),
])
def test_failed_render_keeps_old_files(tmp_path: Path, change: Callable[[str, Path], str],
                                       message: str) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: F\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bp.png").write_text("old")
    [(bp, source)] = prepare(str(path))
    marker = tmp_path / "ran"
    with pytest.raises(ArchError) as info:
        render(bp, change(source, marker), out)
    assert message in info.value.problems[0].message
    assert [p.name for p in out.iterdir()] == ["bp.png"]
    assert (out / "bp.png").read_text() == "old"
    assert not marker.exists()


def fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str,
             when: str = "@row") -> None:
    """A `dot` first on PATH that runs `failure` when the graph holds `when`, else the
    real dot."""
    real = shutil.which("dot")
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(
        '#!/bin/sh\nfor a; do last=$a; done\n'
        f"if grep -q '{when}' \"$last\"; then {failure}; fi\n"
        f'exec "{real}" "$@"\n')
    (bin_dir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")


DOT_FAILURES = {
    "init-rank": "echo 'Error: trouble in init_rank' >&2; exit 1",
    "lost-edge": "echo 'Error: lost @row1 users edge' >&2; exit 1",
    "triangulation": "echo 'Error: triangulation failed' >&2; exit 1",
    "crash": "kill -SEGV $$",
    "silent": "exit 3",
    "incomplete": 'for a; do case "$a" in -T*) f=${a#-T};; esac; done; '
                  ': > "$last.$f"; exit 0',
}
ROWS = "blueprint: 1\ntitle: R\nprovider: aws\nnodes: [EC2, S3]\nlayout: {rows: [[ec2], [s3]]}\n"


@pytest.mark.graphviz
@pytest.mark.parametrize("relative", [True, False], ids=["relative-o", "absolute-o"])
@pytest.mark.parametrize("failure", sorted(DOT_FAILURES))
def test_any_dot_failure_falls_back_with_a_note(
        failure: str, relative: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever dot says or does on the laid-out program, the blueprint is drawn again
    without the row points, with a note; with a relative -o as with an absolute one."""
    fake_dot(tmp_path, monkeypatch, DOT_FAILURES[failure])
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, ROWS)
    out = "out" if relative else str(tmp_path / "out")
    result = invoke(["render", str(path), "-o", out, "-f", "svg"])
    assert result.exit_code == 0, result.stderr
    assert "drawn without them (archgen compile --no-row-order" in result.stderr
    assert (tmp_path / "out" / "bp.svg").is_file()


_LABEL_HEIGHTS = """\
blueprint: 1
title: Arrows and labels
provider: aws
direction: {direction}
nodes:
  - {{id: users, type: aws.general.Users, label: Users}}
  - {{id: one, type: EC2, label: One line}}
  - {{id: two, type: Lambda, label: Two lines of label text}}
  - {{id: below, type: S3, label: Under the others with a long label}}
  - {{id: side, type: SQS, label: Queue}}
groups:
  - id: data
    label: Data
    nodes:
      - {{id: three, type: RDS, label: Three whole lines of label text here}}
      - {{id: far, type: SNS, label: Far away topic with three lines}}
edges:
  - users -> one
  - users -> two
  - one -> three
  - two -> three
  - below -> two
  - below -> one
  - side -> three
  - three -> far
  - side -> far
  - far -> users
"""


@pytest.mark.graphviz
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_arrows_end_at_the_icon_whatever_the_label_height(direction: str,
                                                         tmp_path: Path) -> None:
    path = write(tmp_path, _LABEL_HEIGHTS.format(direction=direction))
    [(bp, source)] = prepare(str(path), Options(formats=("svg",)))
    render(bp, source, tmp_path / "out")
    shapes = read_shapes(tmp_path / "out" / "bp.svg")
    assert len(shapes.edges) == len(bp.edges)
    for title, points in shapes.edges:  # what is drawn of each edge reaches both icons
        for end in title.split("->"):
            gap = min(box_distance(p, shapes.icons[end]) for p in points)
            assert gap <= 10, f"{title}: {gap:.1f} pt short of {end}"
    for node, lines in shapes.texts.items():  # each label is under its icon, close to it
        icon_bottom, text_top = shapes.icons[node][3], min(box[1] for box in lines)
        assert icon_bottom <= text_top <= icon_bottom + 15, node
    # the label lies on the fill of its box, and is drawn after the edges: it hides a line
    # that passes behind it
    assert shapes.order == sorted(shapes.order, key=lambda kind: kind == "node")
    assert shapes.label_fills["data.three"] == shapes.cluster_fills["cluster_data"][0]
    assert shapes.label_fills["users"] == shapes.background


@pytest.mark.graphviz
def test_a_dot_failure_that_remains_is_told_in_plain_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, monkeypatch, "printf 'Error: bad\\001 \\377thing\\n' >&2; exit 1",
             when="digraph")
    path = write(tmp_path, ROWS)
    result = invoke(["render", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    [line, hint] = result.stderr.strip().splitlines()
    assert line.endswith("error: the render failed: Graphviz: Error: bad thing"), line
    assert "left out the layout's invisible edges" in hint and "--no-layout" in hint
    assert not any(bad in result.stderr for bad in ("\\x", "PosixPath", "b'", "Traceback"))


@pytest.mark.graphviz
def test_a_failed_render_leaves_no_output_folder_it_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing written: neither the output folder nor the folders above it that -o named and
    archgen made; a folder that was there stays."""
    fake_dot(tmp_path, monkeypatch, "echo 'Error: bad' >&2; exit 1", when="digraph")
    path = write(tmp_path, ROWS)
    (tmp_path / "kept").mkdir()
    for out in (tmp_path / "new" / "o", tmp_path / "kept" / "o", tmp_path / "kept"):
        result = invoke(["render", str(path), "-o", str(out), "-f", "svg"])
        assert result.exit_code == 1
    assert not (tmp_path / "new").exists()
    assert [p.name for p in (tmp_path / "kept").iterdir()] == []


@pytest.mark.graphviz
def test_alternatives_panel_is_a_legend_of_icon_name_and_note(seed_svg: Path) -> None:
    bp = load_blueprint(str(SEED))
    shapes = read_shapes(seed_svg / "aws-web-app.svg")
    svg = read_svg(seed_svg / "aws-web-app.svg")
    entries = [f"{PANEL_ID}.{a.id}" for a in bp.alternatives if a.with_ is not None]
    icons = [shapes.icons[e] for e in entries]
    assert len({round(icon[0]) for icon in icons}) == 1  # the icons line up
    assert [icon[1] for icon in icons] == sorted(icon[1] for icon in icons)  # as written
    for entry, icon, alt in zip(entries, icons, bp.alternatives, strict=False):
        lines = shapes.texts[entry]
        assert min(x for x, _, _, _ in lines) >= icon[2]  # the text beside the icon
        assert abs(min(top for _, top, _, _ in lines) - icon[1]) < 6  # level with its top
        name, *note = svg.nodes[entry]
        assert name == alt.label and " ".join(note) == " ".join((alt.note or "").split())
    # compact: each entry about as tall as its icon, with the space between nodes
    _, (_, top, _, bottom) = shapes.cluster_fills[f"cluster_{PANEL_ID}"]
    assert bottom - top < len(entries) * (40 + 36 + 12) + 50


@pytest.mark.graphviz
def test_a_folder_in_the_way_is_left_alone(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "nodes: [EC2]\n")
    (tmp_path / "out" / "bp.svg").mkdir(parents=True)
    (tmp_path / "out" / "bp.svg" / "notes.txt").write_text("precious")
    result = invoke(["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "is in the way" in result.stderr
    assert (tmp_path / "out" / "bp.svg" / "notes.txt").read_text() == "precious"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bp.svg"]
