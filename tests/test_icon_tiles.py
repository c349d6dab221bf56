"""Which icons get a light tile in the dark theme: measured on the icon, not listed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from arch import styles
from arch.compile import compile_blueprint
from arch.icons import RESOURCES, faint
from arch.validate import load_blueprint

from .helpers import constructions, string

DARK = styles.THEMES["dark"].background


def line_art(path: Path, colour: str, filled: bool = False) -> Path:
    """A 64 x 64 icon: a ring drawn in `colour` on transparency (or a filled square)."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if filled:
        draw.rectangle((0, 0, 63, 63), fill=colour)
    else:
        draw.ellipse((8, 8, 56, 56), outline=colour, width=5)
    image.save(path)
    return path


def test_dark_line_art_is_faint_on_the_dark_background(tmp_path: Path) -> None:
    assert faint(line_art(tmp_path / "dark.png", "#232F3E"), DARK)
    assert not faint(line_art(tmp_path / "light.png", "#FFFFFF"), DARK)
    assert not faint(line_art(tmp_path / "orange.png", "#ED7100"), DARK)
    # a filled shape carries its own background, however dark
    assert not faint(line_art(tmp_path / "square.png", "#232F3E", filled=True), DARK)
    # and the same dark ring is clear on a white page
    assert not faint(tmp_path / "dark.png", "#FFFFFF")


def logo(path: Path, mark: str, outline: str | None = None) -> Path:
    """A 64 x 64 icon: an orange disc, and under it a word drawn as bars in `mark`
    (`outline`: the disc's own rim in that colour instead)."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((16, 2, 48, 34), fill="#ED7100", outline=outline, width=3)
    if outline is None:
        for x in range(4, 60, 8):
            draw.rectangle((x, 42, x + 4, 58), fill=mark)
    image.save(path)
    return path


def test_a_logo_whose_dark_word_vanishes_is_faint_its_dark_rim_is_not(tmp_path: Path) -> None:
    # Most of it shows (the disc), but the word under it is lost whole on the dark page.
    assert faint(logo(tmp_path / "word.png", "#232F3E"), DARK)
    assert not faint(logo(tmp_path / "light-word.png", "#FFFFFF"), DARK)
    # A dark rim beside the orange it outlines is not lost: the shape still reads.
    assert not faint(logo(tmp_path / "rim.png", "#232F3E", outline="#232F3E"), DARK)


def test_unreadable_or_opaque_files_are_not_faint(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), "#232F3E").save(tmp_path / "dark.jpg")
    assert not faint(tmp_path / "dark.jpg", DARK)  # no transparency: a filled shape
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    assert not faint(tmp_path / "broken.png", DARK)


@pytest.mark.parametrize("icon,expected", [
    ("aws/general/users.png", True),
    ("onprem/compute/server.png", True),
    ("onprem/vcs/github.png", True),
    ("aws/general/office-building.png", True),
    ("aws/aws.png", True),
    ("aws/compute/ec2.png", False),
    ("k8s/compute/pod.png", False),
    ("aws/network/vpc.png", False),
    ("onprem/monitoring/grafana.png", False),
    # A dark part that vanishes whole: Terraform's and Datadog's wordmarks, Elastic's bar.
    ("onprem/iac/terraform.png", True),
    ("saas/logging/datadog.png", True),
    ("elastic/elasticsearch/elasticsearch.png", True),
    # Only the dark outline of coloured shapes: the eye closes it.
    ("onprem/ci/jenkins.png", False),
    ("azure/compute/kubernetes-services.png", False),
])
def test_diagrams_icons_that_vanish_on_dark(icon: str, expected: bool) -> None:
    assert faint(RESOURCES / icon, DARK) is expected


def test_group_icons_get_a_tile_only_where_they_are_faint() -> None:
    tiled = {kind for kind in styles.GROUP_ICONS if styles.group_icon(kind, "dark")[1]}  # type: ignore[index]
    assert tiled == {"aws-cloud", "data-center"}
    assert not any(styles.group_icon(kind, "light")[1]  # type: ignore[index]
                   for kind in styles.GROUP_ICONS)


_NODES = """\
blueprint: 1
title: Line art
theme: {theme}
nodes:
  - {{id: users, type: aws.general.Users}}
  - {{id: gh, type: onprem.vcs.Github}}
  - {{id: ec2, type: aws.compute.EC2}}
  - {{id: own, icon: own.png, label: Our own}}
groups:
  - id: dc
    label: Servers
    kind: data-center
    nodes: [{{id: server, type: onprem.compute.Server}}, {{id: pod, type: k8s.compute.Pod}}]
"""


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_faint_node_icons_get_a_tile_in_the_dark_theme(theme: str, tmp_path: Path) -> None:
    line_art(tmp_path / "own.png", "#101010")
    path = tmp_path / "bp.yaml"
    path.write_text(_NODES.format(theme=theme), encoding="utf-8")
    source = compile_blueprint(load_blueprint(str(path)))
    tiled = {var for var, call in constructions(source).items()
             if any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == "STYLE_TILE"
                    for k in call.keywords)}
    if theme == "dark":
        assert tiled == {"users", "gh", "own", "server"}
        [tile] = [n.value for n in ast.parse(source).body if isinstance(n, ast.Assign)
                  and isinstance(n.targets[0], ast.Name) and n.targets[0].id == "STYLE_TILE"]
        assert ast.literal_eval(tile) == styles.NODE_TILE
    else:
        assert tiled == set() and "STYLE_TILE" not in source


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_legend_icons_are_tiled_by_the_same_rule(theme: str, tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(f"""\
blueprint: 1
title: Legend
theme: {theme}
nodes: [{{id: ec2, type: aws.compute.EC2}}, {{id: s3, type: aws.storage.S3}}]
alternatives:
  - {{id: people, label: People, replace: [ec2], with: {{id: users, type: aws.general.Users}}}}
  - {{id: lambda, label: Lambda, replace: [ec2], with: {{id: fn, type: aws.compute.Lambda}}}}
""", encoding="utf-8")
    source = compile_blueprint(load_blueprint(str(path)))
    entries = {var: string(call.args[0]) for var, call in constructions(source).items()
               if var.startswith("alternative_")}
    tiled = {var for var, label in entries.items() if f'BGCOLOR="{styles.TILE}"' in label}
    assert set(entries) == {"alternative_people", "alternative_lambda"}
    assert tiled == ({"alternative_people"} if theme == "dark" else set())
    assert 'IMG SRC="aws/general/users.png"' in entries["alternative_people"]


def _tiled_nodes(tmp_path: Path, nodes: str) -> set[str]:
    path = tmp_path / "bp.yaml"
    path.write_text(f"blueprint: 1\ntitle: t\ntheme: dark\nnodes: [{nodes}]\n", encoding="utf-8")
    source = compile_blueprint(load_blueprint(str(path)))
    return {var for var, call in constructions(source).items()
            if any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == "STYLE_TILE"
                   for k in call.keywords)}


def test_line_art_in_one_colour_of_a_provider_is_tiled_all_or_none(tmp_path: Path) -> None:
    """The load balancer (dark purple, faint) had a tile beside a NAT gateway (light purple,
    4.9:1 on the dark page) without one: AWS's resource icons are one look, tiled alike.
    The vendor-free providers' logos are no family (Prometheus beside PostgreSQL), nor is
    Google Cloud's one-colour Looker without a faint Google Cloud icon."""
    nodes = ("{id: alb, type: aws.network.ElbApplicationLoadBalancer}, "
             "{id: nat, type: aws.network.NATGateway}, "
             "{id: bucket, type: aws.storage.SimpleStorageServiceS3Bucket}, "
             "{id: ec2, type: aws.compute.EC2}, "
             "{id: pg, type: onprem.database.PostgreSQL}, "
             "{id: prom, type: onprem.monitoring.Prometheus}, "
             "{id: looker, type: gcp.analytics.Looker}")
    assert _tiled_nodes(tmp_path, nodes) == {"alb", "nat", "bucket", "pg"}
    # without a faint icon of its provider, the NAT gateway shows on the page as it is
    assert _tiled_nodes(tmp_path, "{id: nat, type: aws.network.NATGateway}, "
                                  "{id: ec2, type: aws.compute.EC2}") == set()
