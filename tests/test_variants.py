"""Stage 3: variants are transformations of the model, one rule at a time."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from arch.compile import PANEL_ID, compile_blueprint, top_rows
from arch.errors import ArchError
from arch.layout import plan_layout
from arch.model import Blueprint, Group
from arch.validate import load_blueprint, parse_blueprint
from arch.variants import apply_variant, check_variants

from .conftest import ROOT, three_zones
from .helpers import cluster_members, constructions, invoke, read_svg, string, write

SEED = ROOT / "blueprints" / "aws-web-app.yaml"

# dns -> lb -> web -> app -> db, with the web and app layers holding options.
SHOP = """\
blueprint: 1
title: Shop
provider: aws
nodes:
  - {id: dns, type: Route53}
  - {id: watch, type: CloudWatch}
groups:
  - id: vpc
    label: VPC
    kind: vpc
    groups:
      - {id: lb, label: Load balancer, nodes: [ELB]}
      - id: web
        label: Web
        nodes: [EC2, Lambda, ECS]
      - id: app
        label: App
        nodes: [{id: ec2, type: EC2}, {id: lambda, type: Lambda}]
        groups:
          - {id: cache, label: Cache, nodes: [ElastiCache]}
      - {id: db, label: Database, nodes: [Aurora, DynamoDB]}
edges:
  - dns -> lb -> web -> app
  - {from: app, to: db, label: SQL}
  - web.ec2 -> web.lambda
  - {from: web.ec2, to: db, label: direct}
  - {from: web.lambda, to: db, label: direct}
  - {from: web.ecs, to: aurora}
  - {from: vpc, to: watch, style: dotted}
  - {from: app.lambda, to: dynamodb}
  - {from: app.ec2, to: aurora}
alternatives:
  - {id: beanstalk, label: Elastic Beanstalk, note: Managed for you, replace: [lb, web, app],
     with: Elastic Beanstalk}
  - {id: runner, label: App Runner, replace: [lb, web], with: App Runner}
  - {id: lightsail, label: Lightsail, replace: [vpc], with: Lightsail}
  - {id: serverless, label: Serverless, pick: {web: lambda, app: lambda, db: dynamodb}}
  - {id: both, label: Both, replace: [lb], with: {type: ALB, id: alb}, pick: {web: ecs}}
"""


def shop(extra: str = "") -> Blueprint:
    return parse_blueprint(SHOP + extra, "shop.yaml")


def pairs(bp: Blueprint) -> list[tuple[str, str]]:
    return [(e.src, e.dst) for e in bp.edges]


def test_replace_removes_items_and_places_the_with_node() -> None:
    v = apply_variant(shop(), "beanstalk")
    assert [g.path for g in v.walk_groups()] == ["vpc", "vpc.db"]
    assert [n.path for n in v.walk_nodes()] == [
        "dns", "watch", "vpc.elastic-beanstalk", "vpc.db.aurora", "vpc.db.dynamodb"]
    assert v.find("vpc.elastic-beanstalk").label == "Elastic Beanstalk"
    assert v.title == "Shop — Elastic Beanstalk"
    assert v.output.name == "shop--beanstalk"
    assert v.alternatives == ()


def test_replace_redirects_drops_inner_and_merges_edges() -> None:
    v = apply_variant(shop(), "beanstalk")
    # dns->lb becomes dns->beanstalk; lb->web and web->app are inside: dropped;
    # app->db (SQL) and web.*->db (direct, twice) merge by label; web.ecs->aurora and
    # app.ec2->aurora merge into one
    assert [(e.src, e.dst, e.label) for e in v.edges] == [
        ("dns", "vpc.elastic-beanstalk", None),
        ("vpc.elastic-beanstalk", "vpc.db", "SQL"),
        ("vpc.elastic-beanstalk", "vpc.db", "direct"),
        ("vpc.elastic-beanstalk", "vpc.db.aurora", None),
        ("vpc", "watch", None),
        ("vpc.elastic-beanstalk", "vpc.db.dynamodb", None),
    ]


def test_replace_part_keeps_the_rest_in_order() -> None:
    v = apply_variant(shop(), "runner")
    assert [n.path for n in v.walk_nodes()][:3] == ["dns", "watch", "vpc.app-runner"]
    assert ("vpc.app-runner", "vpc.app") in pairs(v)
    assert ("dns", "vpc.app-runner") in pairs(v)
    assert not any(s == d for s, d in pairs(v))  # web.ec2 -> web.lambda became a self-loop


def test_replacing_a_boundary_takes_everything_inside() -> None:
    v = apply_variant(shop(), "lightsail")
    assert [n.path for n in v.walk_nodes()] == ["dns", "watch", "lightsail"]
    assert list(v.walk_groups()) == []
    assert pairs(v) == [("dns", "lightsail"), ("lightsail", "watch")]


def test_pick_keeps_one_node_and_moves_edges_to_it() -> None:
    v = apply_variant(shop(), "serverless")
    web = v.find("vpc.web")
    app = v.find("vpc.app")
    assert [n.path for n in web.nodes] == ["vpc.web.lambda"]  # type: ignore[union-attr]
    assert [n.path for n in app.nodes] == ["vpc.app.lambda"]  # type: ignore[union-attr]
    assert [g.path for g in app.groups] == ["vpc.app.cache"]  # type: ignore[union-attr]
    assert ("vpc.web.lambda", "vpc.db") in pairs(v)  # both "direct" edges, merged
    assert [e.label for e in v.edges if e.src == "vpc.web.lambda"
            and e.dst == "vpc.db"] == ["direct"]
    assert ("vpc.web.lambda", "vpc.db.dynamodb") in pairs(v)  # ecs -> aurora, moved twice
    assert ("vpc.app.lambda", "vpc.db.dynamodb") in pairs(v)
    assert not any(s == d for s, d in pairs(v))


def test_replace_and_pick_together() -> None:
    v = apply_variant(shop(), "both")
    assert [n.path for n in v.walk_nodes()][:4] == ["dns", "watch", "vpc.alb", "vpc.web.ecs"]
    assert pairs(v)[:2] == [("dns", "vpc.alb"), ("vpc.alb", "vpc.web")]


def test_the_blueprint_as_written_is_unchanged() -> None:
    bp = shop()
    before = [n.path for n in bp.walk_nodes()]
    for alt in bp.alternatives:
        apply_variant(bp, alt.id)
    assert [n.path for n in bp.walk_nodes()] == before


def test_variant_program_has_no_panel_and_plain_code() -> None:
    source = compile_blueprint(apply_variant(shop(), "beanstalk"))
    assert PANEL_ID not in source
    call = constructions(source)["elastic_beanstalk"]
    assert isinstance(call.func, ast.Name) and call.func.id == "ElasticBeanstalk"
    assert string(call.args[0]).startswith("<<TABLE ")
    assert ">Elastic<BR/>Beanstalk<" in string(call.args[0])
    assert "'Shop — Elastic Beanstalk'" in source


def test_unknown_variant_lists_the_ids() -> None:
    with pytest.raises(ArchError) as info:
        apply_variant(shop(), "nope")
    problem = info.value.problems[0]
    assert problem.message == "unknown variant 'nope': no alternative has that id"
    assert problem.hint == "its variants: beanstalk, runner, lightsail, serverless, both"
    # at `alternatives:`, where the ids are written (it was at 1:1, which says nothing)
    assert problem.pos is not None and (problem.pos.line, problem.pos.col) == (32, 1)


def test_an_unknown_variant_points_at_the_alternatives_key() -> None:
    text = "blueprint: 1\ntitle: T\ngroups:\n  - {id: g, label: G, nodes: [EC2, Lambda]}\n" \
           "alternatives:\n  - {id: ec2, label: X, pick: {g: ec2}}\n"
    with pytest.raises(ArchError) as info:
        apply_variant(parse_blueprint(text, "bp.yaml"), "ec3")
    problem = info.value.problems[0]
    assert str(problem.pos) == "bp.yaml:5:1"
    assert problem.hint == "did you mean 'ec2'? (its variants: ec2)"


def test_a_variant_of_a_blueprint_without_alternatives_says_so_plainly() -> None:
    bp = dataclasses.replace(shop(), alternatives=())
    with pytest.raises(ArchError) as info:
        apply_variant(bp, "beanstalk")
    problem = info.value.problems[0]
    assert problem.message == "unknown variant 'beanstalk': the blueprint has no `alternatives`"
    assert problem.hint == "without `--variant` it draws as written"


def test_a_misspelt_variant_is_hinted_with_the_one_meant() -> None:
    with pytest.raises(ArchError) as info:
        apply_variant(shop(), "lightsial")
    assert info.value.problems[0].hint == (
        "did you mean 'lightsail'? (its variants: beanstalk, runner, lightsail, serverless, "
        "both)")


@pytest.mark.parametrize("alternative,message", [
    ("{id: x, label: X, replace: [lb], with: {type: EC2, id: db}}",
     "the `with` node's id 'db' is already used in group 'vpc'"),
    ("{id: x, label: X, replace: [web], with: EC2, pick: {web: ec2}}",
     "picked group 'vpc.web' is replaced by this alternative too"),
    ("{id: x, label: X, replace: [nope], with: EC2}", "`replace` 'nope' does not name"),
    ("{id: x, label: X, replace: [web, web], with: EC2}", "'vpc.web' is replaced twice"),
    ("{id: x, label: X, replace: [web, web.ec2], with: EC2}",
     "'vpc.web.ec2' is inside 'vpc.web'"),
    ("{id: x, label: X, pick: {app: elasticache}}",
     "'elasticache' is not a node directly in group 'vpc.app'"),
    ("{id: x, label: X, replace: [lb]}", "`replace` needs `with`"),
    ("{id: beanstalk, label: X, pick: {web: ecs}}", "duplicate alternative id 'beanstalk'"),
])
def test_alternative_errors(alternative: str, message: str) -> None:
    with pytest.raises(ArchError) as info:
        shop(f"  - {alternative}\n")
    assert any(message in p.message for p in info.value.problems), info.value


def test_redirected_edge_into_own_group_is_reported() -> None:
    text = """\
blueprint: 1
title: T
provider: aws
groups:
  - {id: g, label: G, nodes: [EC2]}
nodes: [{id: out, type: Lambda}]
edges: [g -> out]
alternatives:
  - {id: x, label: X, replace: [ec2, out], with: {type: S3, id: s3}}
"""
    bp = parse_blueprint(text, "t.yaml")
    with pytest.raises(ArchError) as info:
        check_variants(bp)
    assert "in variant 'x', an edge would join group 'g' and its own member 'g.s3'" in str(
        info.value)
    assert info.value.problems[0].pos is not None
    assert info.value.problems[0].pos.line == 9


def test_seed_variants_are_complete_architectures() -> None:
    from arch.validate import load_blueprint

    bp = load_blueprint(str(SEED))
    assert bp.layout.alternatives_label == "Packaged infrastructure"
    assert {a.id: a.replace for a in bp.alternatives if a.replace} == {
        "beanstalk": ("vpc.lb", "vpc.web", "vpc.app"),
        "app-runner": ("vpc.lb", "vpc.web"),
        "lightsail": ("vpc",),
        "appsync": ("api.gateway",),
    }
    assert len([a for a in bp.alternatives if a.pick]) >= 2
    for alt in bp.alternatives:
        v = apply_variant(bp, alt.id)
        ends = {e.src for e in v.edges} | {e.dst for e in v.edges}
        paths = {n.path for n in v.walk_nodes()} | {g.path for g in v.walk_groups()}
        assert ends <= paths
        # the request path still starts at the users and reaches compute
        assert any(e.src == "users" for e in v.edges)


@pytest.mark.graphviz
def test_cli_all_variants_writes_every_file(tmp_path: Path) -> None:
    path = write(tmp_path, SHOP, "shop.yaml")
    result = invoke(["render", str(path), "--all-variants", "-f", "svg",
                     "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "shop--beanstalk.svg", "shop--both.svg", "shop--lightsail.svg", "shop--runner.svg",
        "shop--serverless.svg", "shop.svg"]
    svg = read_svg(tmp_path / "out" / "shop--beanstalk.svg")
    assert "vpc.elastic-beanstalk" in svg.nodes and "vpc.web.ec2" not in svg.nodes
    assert svg.graph_text[0] == "Shop — Elastic Beanstalk"
    assert f"{PANEL_ID}.beanstalk" in read_svg(tmp_path / "out" / "shop.svg").nodes


@pytest.mark.graphviz
def test_cli_variant_options(tmp_path: Path) -> None:
    path = write(tmp_path, SHOP, "shop.yaml")
    result = invoke(["render", str(path), "--variant", "runner", "-f", "dot",
                     "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["shop--runner.dot"]
    result = invoke(["validate", str(path), "--variant", "lightsail"])
    assert result.stdout == "OK shop--lightsail (3 nodes, 0 groups, 2 edges)\n"
    result = invoke(["compile", str(path), "--variant", "serverless"])
    assert result.exit_code == 0 and "Shop — Serverless" in result.stdout
    result = invoke(["render", str(path), "--variant", "nope",
                     "-o", str(tmp_path / "out2")])
    assert result.exit_code == 1
    assert "error: unknown variant 'nope'" in result.stderr
    assert "hint: its variants: beanstalk, runner, lightsail, serverless, both" in result.stderr
    assert not (tmp_path / "out2").exists()
    result = invoke(["render", str(path), "--variant", "x", "--all-variants"])
    assert result.exit_code == 2


# Two availability zones alike: web, app and data tiers in each, behind one load balancer.
MULTI_AZ = """\
blueprint: 1
title: Multi-AZ
provider: aws
nodes: [{id: alb, type: ALB}, {id: logs, type: CloudWatch}]
groups:
  - id: vpc
    label: VPC
    kind: vpc
    groups:
      - id: az-a
        label: AZ a
        kind: availability-zone
        groups:
          - {id: web, label: Web, kind: public-subnet, nodes: [{id: nginx, type: EC2}]}
          - {id: app, label: App, kind: private-subnet, nodes: [{id: api, type: EC2}, ECS]}
          - {id: data, label: Data, kind: private-subnet, nodes: [RDS]}
      - id: az-b
        label: AZ b
        kind: availability-zone
        groups:
          - {id: web, label: Web, kind: public-subnet, nodes: [{id: nginx, type: EC2}]}
          - {id: app, label: App, kind: private-subnet, nodes: [{id: api, type: EC2}, ECS]}
          - {id: data, label: Data, kind: private-subnet, nodes: [RDS]}
edges:
  - {from: alb, to: [az-a.web, az-b.web]}
  - az-a.web -> az-a.app -> az-a.data
  - az-b.web -> az-b.app -> az-b.data
  - {from: az-a.data.rds, to: az-b.data.rds, label: replication}
  - {from: [az-a.app.api, az-b.app.api], to: logs}
alternatives:
  - {id: fargate, label: Fargate, replace: [az-a.app, az-b.app], with: {id: tasks, type: Fargate}}
  - {id: one, label: One ECS, replace: [az-a.app.ecs, az-b.app.ecs], with: {id: svc, type: ECS}}
  - {id: mixed, label: Mixed, replace: [az-a.app, az-b.data], with: {id: box, type: Fargate}}
"""


def test_replace_in_sibling_boxes_puts_a_copy_in_each() -> None:
    v = apply_variant(parse_blueprint(MULTI_AZ, "az.yaml"), "fargate")
    for az in ("az-a", "az-b"):  # each zone keeps its shape: web, the copy, data
        zone = v.find(f"vpc.{az}")
        assert isinstance(zone, Group)
        assert [n.path for n in zone.nodes] == [f"vpc.{az}.tasks"]
        assert [g.id for g in zone.groups] == ["web", "data"]
    assert ("vpc.az-a.web", "vpc.az-a.tasks") in pairs(v)  # edges follow their own copy
    assert ("vpc.az-a.tasks", "vpc.az-a.data") in pairs(v)
    assert ("vpc.az-b.web", "vpc.az-b.tasks") in pairs(v)
    assert ("vpc.az-b.tasks", "vpc.az-b.data") in pairs(v)
    assert ("vpc.az-a.tasks", "logs") in pairs(v) and ("vpc.az-b.tasks", "logs") in pairs(v)
    assert not any("az-a" in a and "az-b" in b for a, b in pairs(v)
                   if "tasks" in a + b)  # no edge crosses to the other zone's copy
    paths = [n.path for n in v.walk_nodes()]
    assert len(paths) == len(set(paths))  # ids unique, and the same on every run
    assert apply_variant(parse_blueprint(MULTI_AZ, "az.yaml"), "fargate") == v


def test_replace_of_a_node_in_sibling_boxes_takes_its_place_in_each() -> None:
    v = apply_variant(parse_blueprint(MULTI_AZ, "az.yaml"), "one")
    for az in ("az-a", "az-b"):
        app = v.find(f"vpc.{az}.app")
        assert isinstance(app, Group)
        assert [n.path for n in app.nodes] == [f"vpc.{az}.app.api", f"vpc.{az}.app.svc"]


def test_replace_of_different_items_in_sibling_boxes_is_one_node() -> None:
    v = apply_variant(parse_blueprint(MULTI_AZ, "az.yaml"), "mixed")
    assert [n.path for n in v.walk_nodes() if n.id == "box"] == ["vpc.az-a.box"]
    assert isinstance(v.find("vpc.az-b"), Group)
    assert [g.id for g in v.find("vpc.az-b").groups] == ["web", "app"]  # type: ignore[union-attr]


def test_the_with_id_must_be_free_in_every_box_that_gets_a_copy() -> None:
    text = MULTI_AZ.replace("{id: tasks, type: Fargate}", "{id: web, type: Fargate}")
    with pytest.raises(ArchError) as info:
        parse_blueprint(text, "az.yaml")
    messages = [p.message for p in info.value.problems]
    assert any("'web' is already used in group 'vpc.az-a'" in m for m in messages)
    assert any("'web' is already used in group 'vpc.az-b'" in m for m in messages)


def test_copies_in_sibling_boxes_reach_the_program() -> None:
    source = compile_blueprint(apply_variant(parse_blueprint(MULTI_AZ, "az.yaml"), "fargate"))
    members = cluster_members(source)
    assert "vpc.az-a.tasks" in members["vpc.az-a"]
    assert "vpc.az-b.tasks" in members["vpc.az-b"]


def test_every_seed_variant_keeps_each_box_in_its_row_and_place() -> None:
    """The variants look like the same system: every top-level part keeps its row and its
    place in the row, and a replaced part's place goes to its replacement (Lightsail takes
    the VPC's); only the alternatives panel, drawn with the blueprint as written, goes."""
    seed = load_blueprint(str(SEED))
    written = [[p for p in row if p != PANEL_ID] for row in top_rows(seed)]
    for variant in check_variants(seed):
        moved = {"vpc": "lightsail"} if variant.output.name.endswith("--lightsail") else {}
        assert top_rows(variant) == [[moved.get(p, p) for p in row] for row in written]


KEEPS_ROWS = """\
blueprint: 1
title: T
provider: aws
direction: TB
nodes:
  - {id: clients, type: Users}
  - {id: dns, type: Route 53}
groups:
  - id: region
    label: Region
    kind: region
    nodes: [{id: alb, type: ALB}]
    groups:
      - {id: az-a, label: a, kind: availability-zone, nodes: [{id: server, type: EC2}]}
      - {id: az-b, label: b, kind: availability-zone, nodes: [{id: server, type: EC2}]}
edges:
  - clients -> dns
  - clients -> alb
  - {from: alb, to: [az-a.server, az-b.server]}
alternatives:
  - id: fargate
    label: ECS on Fargate
    note: Containers instead of servers to patch
    replace: [az-a.server, az-b.server]
    with: {id: task, type: Fargate}
"""


@pytest.mark.graphviz
def test_a_variant_keeps_the_rows_archgen_made_for_the_blueprint(tmp_path: Path) -> None:
    """Without `layout.rows`, a variant is drawn in the rows archgen made for the
    blueprint as written, less the alternatives panel: the users stay above the region
    (drawn with a search of its own, the variant, without the panel's room, set them and
    the DNS beside the region, and the users' edge arched over it)."""
    from arch.arrange import keep_written
    from arch.build import Options, render_files
    from arch.measure import read_svg as read_drawing

    path = write(tmp_path, KEEPS_ROWS)
    written = load_blueprint(str(path))
    [variant] = check_variants(written)
    assert top_rows(variant) != [["clients", "region"], ["dns"]]  # its own rows differ
    kept, settled = keep_written(variant)
    assert settled and kept.layout.rows == (("clients", "region"), ("dns",))
    assert kept.layout.made and kept.variant_of is not None
    [outcome] = render_files([str(path)], tmp_path, Options(formats=("svg",),
                                                            all_variants=True))
    assert outcome.error is None
    for name in ("bp", "bp--fargate"):
        drawing = read_drawing((tmp_path / f"{name}.svg").read_bytes())
        users, region = drawing.nodes["clients"].box, drawing.frames["cluster_region"].box
        assert users[3] <= region[1], name  # above the region, in both


def test_a_node_that_takes_a_boxs_place_among_boxes_keeps_that_place() -> None:
    """`with` a node for each zone's data subnet, written after the public and the app
    subnet: the node takes the data subnet's place, after the app subnet, and the zone
    still reads public, app, table. A box holds its nodes before its boxes; read so, the
    variant's zones ran app, table, public (a new user's DynamoDB variant)."""
    zones = three_zones(6)
    written = parse_blueprint(f"""\
blueprint: 1
title: T
provider: aws
groups:
  - id: vpc
    label: VPC
    kind: vpc
    nodes: [{{id: alb, type: Application Load Balancer}}]
    groups:
{zones}edges:
  - {{from: alb, to: [az-a.app.svc, az-b.app.svc, az-c.app.svc]}}
  - az-a.app.svc -> az-a.data.db
  - az-b.app.svc -> az-b.data.db
  - az-c.app.svc -> az-c.data.db
alternatives:
  - id: table
    label: Table
    replace: [az-a.data, az-b.data, az-c.data]
    with: {{id: table, type: DynamoDB}}
""", "t.yaml")
    variant = apply_variant(written, "table")
    for z in "abc":
        zone = variant.find(f"vpc.az-{z}")
        assert isinstance(zone, Group)
        assert [n.path for n in zone.nodes] == [f"vpc.az-{z}.table"]  # a node of the zone
        assert zone.written == tuple(f"vpc.az-{z}.{c}" for c in ("public", "app", "table"))
        plan = plan_layout(variant)
        assert [p for row in plan.rows[zone.path] for p in row] == list(zone.written)
        chains = plan.chains
        # the zone's flow starts at the public subnet, as written: chained into the app
        assert (f"vpc.az-{z}.public.nat-gateway", f"vpc.az-{z}.app.svc") in chains
        assert not any(b == f"vpc.az-{z}.public.nat-gateway" and a.startswith(f"vpc.az-{z}.")
                       for a, b in chains)  # not after the zone's own table


def _zones_variant(direction: str, replace: str, with_: str) -> Blueprint:
    """Three zones as conftest.three_zones, a load balancer feeding each app subnet, zone a's
    app also writing to zone c's database (edges differ between the zones), and one
    alternative."""
    return apply_variant(parse_blueprint(f"""\
blueprint: 1
title: T
provider: aws
direction: {direction}
groups:
  - id: vpc
    label: VPC
    kind: vpc
    nodes: [{{id: alb, type: Application Load Balancer}}]
    groups:
{three_zones(6)}edges:
  - {{from: alb, to: [az-a.app.svc, az-b.app.svc, az-c.app.svc]}}
  - az-a.app.svc -> az-a.data.db
  - az-b.app.svc -> az-b.data.db
  - az-c.app.svc -> az-c.data.db
  - az-a.app.svc -> az-c.data.db
alternatives:
  - {{id: alt, label: Alt, replace: {replace}, with: {with_}}}
""", "t.yaml"), "alt")


def _by_place(rows: list[list[str]], zone: str, places: dict[str, int]) -> list[list[int]]:
    """A zone's rows (Plan.rows) as the places of its children: public 0, app 1, data 2."""
    return [[places[p.removeprefix(zone + ".").split(".")[0]] for p in row] for row in rows]


def test_zones_alike_as_written_stay_alike_where_a_replace_changes_some() -> None:
    """A DynamoDB table for the data subnets of zones a and b only: zone c keeps its own,
    so its children no longer match theirs, but the three were copies as written and stay
    copies, matched by place (the table at the data subnet's): the same rows in each, the
    public subnet chained before the app subnet as in the blueprint as written. Matched by
    their own children, zone c was arranged apart, zones a and b aimed at a box half as
    wide (two copies, not three): public over app with the table beside, zone c in a row
    (a new user's `dynamo` variant: three zones, three ways)."""
    variant = _zones_variant("LR", "[az-a.data, az-b.data]", "{id: table, type: DynamoDB}")
    plan = plan_layout(variant)
    places = {"public": 0, "app": 1, "data": 2, "table": 2}
    shapes = [_by_place(plan.rows[f"vpc.az-{z}"], f"vpc.az-{z}", places) for z in "abc"]
    assert shapes[0] == shapes[1] == shapes[2] == [[0, 1, 2]]
    for z in "abc":
        assert (f"vpc.az-{z}.public.nat-gateway", f"vpc.az-{z}.app.svc") in plan.chains


def test_a_node_in_one_zones_box_place_follows_the_boxes_written_before_it() -> None:
    """Drawn TB, an EC2 instance for zone b's app subnet only: it stands for that box among
    the zone's boxes, chained after the public subnet (stack_boxes) like the other zones'
    app subnets, so zone b is a column public, instance, data as written. A node among
    boxes, it was left beside the public subnet; ordered by where the model keeps it (a
    box's nodes before its boxes), it was chained before it, over the public subnet."""
    variant = _zones_variant("TB", "[az-b.app]", "{id: vm, type: EC2}")
    chains = plan_layout(variant).chains
    assert ("vpc.az-b.public.nat-gateway", "vpc.az-b.vm") in chains
    assert ("vpc.az-b.vm", "vpc.az-b.public.nat-gateway") not in chains
    for z in "ac":
        assert (f"vpc.az-{z}.public.nat-gateway", f"vpc.az-{z}.app.svc") in chains


def test_drawn_tb_nodes_at_one_place_in_zones_match_by_place_in_a_variant() -> None:
    """Drawn TB, the nodes at one place in sibling zones take as many lines of label as the
    longest of theirs (compile._label_lines), matched by place: with a DynamoDB table for
    zone a's data subnet only, zone a's app service is at the app place as in zones b and
    c, and keeps its one line. By index (a box holds its nodes first, the table) it was at
    the data place and took the two lines of zone b's "Aurora Serverless v2": zone a's app
    subnet taller than the others'."""
    text = (three_zones(6).replace("type: Aurora}", "type: Aurora, label: Aurora Serverless v2}")
            .replace("type: Fargate}", "type: Fargate, label: Shop}"))
    variant = apply_variant(parse_blueprint(f"""\
blueprint: 1
title: T
provider: aws
direction: TB
groups:
  - id: vpc
    label: VPC
    kind: vpc
    groups:
{text}edges:
  - az-a.app.svc -> az-a.data.db
  - az-b.app.svc -> az-b.data.db
  - az-c.app.svc -> az-c.data.db
alternatives:
  - {{id: alt, label: Alt, replace: [az-a.data], with: {{id: table, type: DynamoDB}}}}
""", "t.yaml"), "alt")
    program = compile_blueprint(variant)
    assert "Serverless v2" in program  # two lines in zones b and c
    assert "Shop<BR/>&#160;" not in program and program.count(">Shop<") == 3


def test_zones_alike_as_written_stand_as_columns_in_a_variant_that_changes_some() -> None:
    """Zones drawn as columns (rule 6: three zones alike, a tier per place) are offered so in
    a variant that replaces the data subnets of zones a and b only: alike as written, each
    with a tier at every place, the table at the data subnet's. Matched by their own
    children, zone c's data subnet against zones a and b's table, they were not alike and
    the variant could only be drawn in rows where the blueprint as written stood in
    columns (tests/cases/layout-multi-az-web.yaml with such a variant: 8 -> 6 defects)."""
    variant = _zones_variant("LR", "[az-a.data, az-b.data]", "{id: table, type: DynamoDB}")
    columns = plan_layout(variant, columns=True).columns
    assert columns["vpc"] == [[[f"vpc.az-{z}.public.nat-gateway"], [f"vpc.az-{z}.app.svc"],
                               [f"vpc.az-{z}.table" if z != "c" else "vpc.az-c.data.db"]]
                              for z in "abc"]
    one = _zones_variant("LR", "[az-a.app, az-a.data]", "{id: vm, type: EC2}")
    assert "vpc" not in plan_layout(one, columns=True).columns  # zone a lost a place


def test_a_gateway_every_zones_first_box_reaches_stays_before_the_zones_in_a_variant(
        ) -> None:
    """In LR, the edges from each zone's public subnet to the VPC's internet gateway are
    laid out turned, so the gateway stands before the zones (rule 6): so too in a variant
    with an EC2 instance in zone b's app subnet's place, a node that stands for that box.
    Counted as a zone holding a node, zone b did not count, no edge was turned, and the
    gateway stood at the far end of the VPC, zone c's subnets out of their order."""
    variant = apply_variant(parse_blueprint(f"""\
blueprint: 1
title: T
provider: aws
groups:
  - id: vpc
    label: VPC
    kind: vpc
    nodes: [{{id: alb, type: Application Load Balancer}}, {{id: igw, type: Internet Gateway}}]
    groups:
{three_zones(6)}edges:
  - {{from: [az-a.public.nat-gateway, az-b.public.nat-gateway, az-c.public.nat-gateway], to: igw}}
  - {{from: alb, to: [az-a.app.svc, az-b.app.svc, az-c.app.svc]}}
  - az-a.app.svc -> az-a.data.db
  - az-b.app.svc -> az-b.data.db
  - az-c.app.svc -> az-c.data.db
alternatives:
  - {{id: alt, label: Alt, replace: [az-b.app], with: {{id: vm, type: EC2}}}}
""", "t.yaml"), "alt")
    egress = {k for k, e in enumerate(variant.edges) if e.dst == "vpc.igw"}
    assert len(egress) == 3 and egress <= plan_layout(variant).turned
