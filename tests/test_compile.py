"""Stage 4: the generated program is plain, safe diagrams code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from arch.build import prepare
from arch.compile import PANEL_ID, compile_blueprint
from arch.validate import load_blueprint, parse_blueprint

from .conftest import BLUEPRINTS, ROOT
from .helpers import clusters, constructions, invoke, string, write

SMALL = """\
blueprint: 1
title: Small
provider: aws
nodes: [{id: a, type: EC2}, {id: b, type: Lambda}]
groups:
  - {id: g, label: G, nodes: [S3]}
edges:
  - a -> b
  - b -> g
alternatives:
  - {id: x, label: X, replace: [g], with: Lightsail}
"""


def test_program_structure() -> None:
    source = compile_blueprint(parse_blueprint(SMALL, "small.yaml"))
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert [i.module for i in imports] == [
        "diagrams", "diagrams.aws.compute", "diagrams.aws.storage"]
    # the legend draws Lightsail's icon as an image: no class to import
    assert [a.name for a in imports[1].names] == ["EC2", "Lambda"]
    assert 'IMG SRC="aws/compute/lightsail.png"' in source
    assert "nodeid='g.s3'" in source
    assert "with Cluster('g', graph_attr={**STYLE_LAYER, 'label': 'G'}):" in source
    assert PANEL_ID in clusters(source)
    assert "a >> b" in source
    assert "b >> Edge(lhead='cluster_g') >> s3" in source
    assert "show=False" in source


def test_no_panel_when_the_layout_says_so() -> None:
    text = SMALL + "layout: {alternatives_panel: false}\n"
    assert PANEL_ID not in compile_blueprint(parse_blueprint(text, "small.yaml"))


def test_same_class_name_from_two_modules_gets_aliases() -> None:
    text = """\
blueprint: 1
title: T
nodes: [{id: a, type: aws.network.APIGateway}, {id: b, type: aws.mobile.APIGateway}]
"""
    source = compile_blueprint(parse_blueprint(text, "t.yaml"))
    assert "from diagrams.aws.mobile import APIGateway as AwsMobileAPIGateway" in source
    assert "from diagrams.aws.network import APIGateway as AwsNetworkAPIGateway" in source


def test_ids_that_shadow_names_get_other_variables() -> None:
    text = """\
blueprint: 1
title: T
provider: aws
nodes: [{id: Diagram, type: EC2}, {id: Edge, type: EC2}, {id: class, type: EC2},
        {id: EC2, type: Lambda}]
"""
    source = compile_blueprint(parse_blueprint(text, "t.yaml"))
    ast.parse(source)
    assert "diagram = EC2(" in source and "edge = EC2(" in source
    assert "class_2 = EC2(" in source
    assert "ec2 = Lambda(" in source  # a variable never takes the name of a class


@pytest.mark.parametrize("blueprint", BLUEPRINTS, ids=lambda p: p.stem)
def test_compiling_is_deterministic_across_hash_seeds(blueprint: Path) -> None:
    script = ("import sys; from arch.validate import load_blueprint; "
              "from arch.compile import compile_blueprint; "
              "sys.stdout.write(compile_blueprint(load_blueprint(sys.argv[1])))")
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", script, str(blueprint)], env=env,
                                   capture_output=True, text=True, check=True,
                                   cwd=ROOT).stdout)
    assert len(outputs) == 1
    assert outputs.pop() == compile_blueprint(load_blueprint(str(blueprint)))


def test_no_variable_shadows_a_name_the_program_uses() -> None:
    ids = ["os", "diagrams", "Cluster", "Custom", "RESOURCES", "EDGE_TEXT", "STYLE_VPC"]
    nodes = ", ".join(f"{{id: {i}, type: EC2}}" for i in ids)
    source = compile_blueprint(parse_blueprint(f"""\
blueprint: 1
title: T
provider: aws
groups:
  - {{id: v, label: V, kind: vpc, nodes: [{nodes}]}}
edges:
  - {{from: os, to: diagrams, label: l}}
""", "t.yaml"))
    tree = ast.parse(source)
    program: set[str] = set()  # what the program imports and defines at the top
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            program |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
        elif isinstance(stmt, ast.Assign):
            program |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    assert {"os", "diagrams", "RESOURCES", "EDGE_TEXT", "STYLE_VPC"} <= program
    variables = {n.id for n in ast.walk(tree.body[-1])
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    assert variables and not variables & program


@pytest.mark.graphviz
def test_a_node_class_named_node_does_not_shadow_the_program_s(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: K\nnodes: [k8s.infra.Node, "
                           "{id: p, type: k8s.compute.Pod}]\n")
    [(_, source)] = prepare(str(path))
    assert "from diagrams.k8s.infra import Node as K8sInfraNode" in source
    result = invoke(["render", str(path), "-o", str(tmp_path / "o"),
                     "-f", "svg"])
    assert result.exit_code == 0, result.stderr


def boxes(source: str) -> dict[str, tuple[dict[str, str], str | None]]:
    """Each cluster of a generated program: its style's attributes and its icon (the IMG
    of its label), read from the program's syntax tree."""
    tree = ast.parse(source)
    consts = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name) and t.id.startswith("STYLE_")}
    found = {}
    for call in ast.walk(tree):
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "Cluster"):
            attrs = next(k.value for k in call.keywords if k.arg == "graph_attr")
            if not isinstance(attrs, ast.Dict):  # a row's invisible box: STYLE_ROW
                continue
            style = next(v.id for k, v in zip(attrs.keys, attrs.values, strict=True)
                         if k is None and isinstance(v, ast.Name))
            label = next(ast.literal_eval(v) for k, v in zip(attrs.keys, attrs.values,
                                                              strict=True)
                         if isinstance(k, ast.Constant) and k.value == "label")
            icon = label.split('<IMG SRC="', 1)[1].split('"', 1)[0] if "<IMG" in label else None
            found[ast.literal_eval(call.args[0])] = (consts[style], icon)
    return found


BOUNDARIES = """\
blueprint: 1
title: Boundaries
{provider}
groups:
  - id: vpc
    label: VPC
    kind: vpc
    groups:
      - {{id: web, label: Web, kind: public-subnet, nodes: [{{id: a, type: {type}}}]}}
  - {{id: acct, label: Account, kind: account, nodes: [{{id: b, type: {type}}}]}}
  - {{id: dc, label: Office, kind: data-center, nodes: [{{id: c, type: {type}}}]}}
"""


@pytest.mark.parametrize(("provider", "node", "vpc", "color", "subnet", "account"), [
    ("provider: gcp", "Compute Engine", "gcp/network/virtual-private-cloud.png", "#4285F4",
     None, "gcp/management/project.png"),
    ("provider: azure", "Virtual Machine", "azure/network/virtual-networks.png", "#1490DF",
     "azure/network/subnets.png", "azure/general/subscriptions.png"),
    ("provider: aws", "EC2", "aws/network/vpc.png", "#8C4FFF",
     "aws/network/public-subnet.png", "aws/management/organizations-account.png"),
    ("", "aws.compute.EC2", "aws/network/vpc.png", "#8C4FFF",  # no provider: AWS's
     "aws/network/public-subnet.png", "aws/management/organizations-account.png"),
    ("provider: onprem", "Server", None, "#8C4FFF", None, None),  # no AWS icon
])
def test_a_boundary_is_drawn_in_its_providers_convention(
        provider: str, node: str, vpc: str | None, color: str, subnet: str | None,
        account: str | None) -> None:
    found = boxes(compile_blueprint(parse_blueprint(
        BOUNDARIES.format(provider=provider, type=node), "b.yaml")))
    assert found["vpc"][1] == vpc and found["vpc"][0]["pencolor"] == color
    assert found["vpc.web"][1] == subnet and found["acct"][1] == account
    assert found["dc"][1] == "aws/general/office-building.png"  # no provider's own


def test_a_group_of_its_own_provider_is_drawn_in_that_providers_convention() -> None:
    found = boxes(compile_blueprint(parse_blueprint("""\
blueprint: 1
title: Two clouds
provider: aws
groups:
  - {id: aws-vpc, label: AWS, kind: vpc, nodes: [EC2]}
  - id: gcp
    label: GCP
    provider: gcp
    groups: [{id: gcp-vpc, label: GCP VPC, kind: vpc, nodes: [Compute Engine]}]
""", "two.yaml")))
    assert found["aws-vpc"][1] == "aws/network/vpc.png"
    assert found["gcp.gcp-vpc"][1] == "gcp/network/virtual-private-cloud.png"
    assert found["gcp.gcp-vpc"][0]["pencolor"] == "#4285F4"


def test_wide_characters_count_twice_in_a_line() -> None:
    label = "東京リージョンの管理サーバー群" * 4  # 60 wide characters: 120 columns
    source = compile_blueprint(parse_blueprint(
        f"blueprint: 1\ntitle: T\nprovider: aws\nnodes: [{{type: EC2, label: {label}}}]\n",
        "t.yaml"))
    wide = [line for line in source.splitlines() if "東" in line or "群" in line]
    assert wide and all(sum(2 if "\u3000" <= ch <= "\uffef" else 1 for ch in line) <= 100
                        for line in wide)
    [call] = constructions(source).values()
    assert label in string(call.args[0]).replace("<BR/>", "")  # the pieces join again


@pytest.mark.parametrize("value", [
    "plain words " * 30,
    "<b>tags</b> and 'quotes' and \"more\" " * 8,
    "東京リージョン 'it''s' \\ back\\slash\tand\x01 é" * 6,
])
def test_a_long_string_is_cut_into_the_longest_pieces_that_fit(value: str) -> None:
    from arch.compile import _pieces, _width

    for width in (12, 40, 90):
        pieces = _pieces(value, width)
        assert "".join(pieces) == value
        for piece, after in zip(pieces, pieces[1:], strict=False):
            assert len(piece) == 1 or _width(repr(piece)) <= width
            # cut at a tag or space, or there was no room for one character more
            assert piece[-1] in "> " or _width(repr(piece + after[0])) > width


def test_the_ways_rows_are_led_are_each_a_bit_of_their_own() -> None:
    """compile_blueprint's `led` holds several choices at once (arrange._rows_led,
    _read_down): NARROW once shared COPY_HEADS' bit, so copies led into their heads also
    narrowed a pipeline read down."""
    from arch import compile as c

    flags = [c.LED_ROWS, c.ONE_COUNT, c.DOWN, c.NARROW, c.COPY_HEADS, c.LAST_OUT, c.SPAN]
    assert all(f > 0 and f & (f - 1) == 0 for f in flags)
    assert len(set(flags)) == len(flags)
