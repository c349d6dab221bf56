"""Cases a second review found: each was a crash, a lost file or a wrong position."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from arch.build import Options, prepare
from arch.cli import main
from arch.errors import ArchError
from arch.model import MAX_GROUP_DEPTH, MAX_TEXT
from arch.validate import load_blueprint, parse_blueprint

from .conftest import ROOT
from .helpers import png, write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"


def messages(text: str, tmp_path: Path | None = None) -> list[str]:
    with pytest.raises(ArchError) as info:
        if tmp_path is None:
            parse_blueprint(HEAD + text, "t.yaml")
        else:
            load_blueprint(str(write(tmp_path, HEAD + text)))
    return [p.message for p in info.value.problems]


@pytest.mark.parametrize("alternative,message", [
    ("{id: x, label: X, replace: [lambda], with: Fargate, pick: {a: lambda}}",
     "picked node 'a.lambda' is replaced by this alternative too"),
    ("{id: x, label: X, replace: [ec2], with: Fargate, pick: {a: lambda}}",
     "picked group 'a' receives the `with` node"),
    ("{id: x, label: X, pick: {}}", "`pick` is empty"),
    ("{label: X, pick: {a: ec2}}", "an alternative needs an `id`"),
])
def test_pick_mistakes_are_errors_not_crashes(alternative: str, message: str) -> None:
    found = messages(f"""\
nodes: [Route53]
groups:
  - {{id: a, label: A, nodes: [EC2, Lambda]}}
  - {{id: b, label: B, groups: [{{id: a, label: A2, nodes: [SQS]}}]}}
edges: [route53 -> ec2]
alternatives:
  - {alternative}
""")
    assert any(message in m for m in found), found


def test_a_group_picked_twice_under_two_spellings() -> None:
    found = messages("""\
groups:
  - {id: vpc, label: VPC, groups: [{id: web, label: Web, nodes: [EC2, Lambda]}]}
alternatives:
  - {id: x, label: X, pick: {web: ec2, vpc.web: lambda}}
""")
    assert any("group 'vpc.web' is picked twice" in m for m in found), found


def test_layout_rows_must_be_lists() -> None:
    found = messages("nodes: [EC2, S3]\nlayout: {rows: [[ec2], null, []]}\n")
    assert found == ["a layout row is a list of ids, not null", "a layout row is empty"]


def test_limits_on_text_ids_and_nesting() -> None:
    assert any("the limit is 2000" in m for m in messages(
        f"nodes: [{{type: EC2, label: {'x' * (MAX_TEXT + 1)}}}]\n"))
    assert any("longer than 100" in m for m in messages(
        f"nodes: [{{type: EC2, id: {'x' * 101}}}]\n"))
    nested = "nodes: [EC2]\n"
    for i in range(MAX_GROUP_DEPTH + 1, 0, -1):
        nested = f"groups: [{{id: g{i}, label: G, {nested.strip()}}}]\n"
    assert any("nested more than 16 deep" in m for m in messages(nested))


def test_icon_paths_of_safe_characters_only(tmp_path: Path) -> None:
    (tmp_path / 'q"x.png').write_bytes(png())
    found = messages("nodes: [{icon: 'q\"x.png', label: Q}]\n", tmp_path)
    assert any("may hold only letters" in m for m in found)


def test_groups_with_the_same_label_are_two_boxes() -> None:
    bp = parse_blueprint(HEAD + "groups:\n  - {label: Same, nodes: [EC2]}\n"
                                "  - {label: Same, nodes: [S3]}\n", "t.yaml")
    assert [g.path for g in bp.groups] == ["same", "same-2"]


def test_multi_line_chain_points_at_its_start() -> None:
    with pytest.raises(ArchError) as info:
        parse_blueprint(HEAD + "nodes: [EC2]\nedges:\n  - ec2 ->\n    nope\n", "t.yaml")
    pos = info.value.problems[0].pos
    assert pos is not None and (pos.line, pos.col) == (6, 5)


def test_a_folder_in_the_way_is_left_alone(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "nodes: [EC2]\n")
    (tmp_path / "out" / "bp.svg").mkdir(parents=True)
    (tmp_path / "out" / "bp.svg" / "notes.txt").write_text("precious")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "is in the way" in result.stderr
    assert (tmp_path / "out" / "bp.svg" / "notes.txt").read_text() == "precious"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bp.svg"]


def test_an_icon_named_like_an_output_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bp.png").write_bytes(png())
    path = write(tmp_path, HEAD + "nodes: [{icon: bp.png, label: Mine}, S3]\n")
    with pytest.raises(ArchError) as info:
        prepare(str(path))
    assert "has the name of an output file" in info.value.problems[0].message


def test_a_node_class_named_node_does_not_shadow_the_program_s(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: K\nnodes: [k8s.infra.Node, "
                           "{id: p, type: k8s.compute.Pod}]\n")
    [(_, source)] = prepare(str(path))
    assert "from diagrams.k8s.infra import Node as K8sInfraNode" in source
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "o"),
                                       "-f", "svg"])
    assert result.exit_code == 0, result.stderr


def test_sigterm_stops_renders_and_leaves_no_work_folder(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexec sleep 60\n")  # a render surely under way
    (bin_dir / "dot").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "arch", "render",
                             str(ROOT / "blueprints" / "readme-example.yaml"), "-o", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(100):  # wait (without a deadline assertion) until our fake dot runs
        # (choosing the arrangement, or rendering)
        left = subprocess.run(["pgrep", "-f", "sleep 60"], capture_output=True, text=True)
        if any(_started_by(pid, bin_dir) for pid in left.stdout.split()):
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not out.exists() or list(out.iterdir()) == []
    left = subprocess.run(["pgrep", "-f", "sleep 60"], capture_output=True, text=True)
    assert [pid for pid in left.stdout.split() if _started_by(pid, bin_dir)] == []


def _started_by(pid: str, bin_dir: Path) -> bool:
    """Whether a process runs with our fake dot's folder on its PATH (ours, not another's)."""
    try:
        return str(bin_dir).encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # it ended meanwhile
        return False


def test_row_order_flag_in_options() -> None:
    [(_, with_rows)] = prepare(str(ROOT / "blueprints" / "aws-web-app.yaml"))
    [(_, without)] = prepare(str(ROOT / "blueprints" / "aws-web-app.yaml"),
                             Options(row_order=False))
    assert "@row1" in with_rows and "@row1" not in without
