"""Stage 2: validation into the typed Blueprint, every problem at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from arch.errors import ArchError, a_or_an
from arch.model import MAX_GROUP_DEPTH, MAX_TEXT, Blueprint, Group, Node
from arch.validate import load_blueprint, parse_blueprint

from .helpers import png, write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"

BASE = """\
blueprint: 1
title: T
provider: aws
"""


def parse(body: str, base_dir: str = ".") -> Blueprint:
    return parse_blueprint(BASE + textwrap.dedent(body), "bp.yaml", base_dir)


def errors(body: str, base_dir: str = ".") -> list[str]:
    with pytest.raises(ArchError) as info:
        parse(body, base_dir)
    return [f"{p.pos.line}:{p.pos.col} {p.message}" if p.pos else p.message
            for p in info.value.problems]


def test_the_example_of_the_format_page() -> None:
    bp = parse("""\
        nodes:
          - {id: dns, type: Route53}
          - CloudFront
        groups:
          - id: vpc
            label: VPC
            kind: vpc
            groups:
              - id: web
                label: Web backend layer
                nodes: [EC2, Lambda]
              - id: data
                label: Relational database
                nodes:
                  - {id: db, type: aws.database.Aurora, label: Aurora (primary)}
        edges:
          - dns -> cloudfront
          - dns -> web -> data
          - {from: web.lambda, to: db, label: SQL, style: dashed}
        """)
    assert [n.path for n in bp.walk_nodes()] == [
        "dns", "cloudfront", "vpc.web.ec2", "vpc.web.lambda", "vpc.data.db"]
    assert [g.path for g in bp.walk_groups()] == ["vpc", "vpc.web", "vpc.data"]
    assert [(e.src, e.dst) for e in bp.edges] == [
        ("dns", "cloudfront"), ("dns", "vpc.web"), ("vpc.web", "vpc.data"),
        ("vpc.web.lambda", "vpc.data.db")]
    assert bp.edges[3].label == "SQL" and bp.edges[3].style == "dashed"
    db = bp.find("vpc.data.db")
    assert isinstance(db, Node) and db.label == "Aurora (primary)"
    assert db.type is not None and db.type.qualname == "aws.database.Aurora"
    vpc = bp.find("vpc")
    assert isinstance(vpc, Group) and vpc.kind == "vpc"
    assert bp.output.name == "bp" and bp.output.formats == ("png", "svg")
    assert bp.direction == "LR" and bp.theme == "light"


def test_default_ids_and_labels() -> None:
    bp = parse("""\
        nodes: [Elastic Load Balancer, aws.network.Route53, {type: S3, label: Bucket}]
        groups:
          - label: Web backend layer
            nodes: [EC2]
        """)
    assert [(n.id, n.label) for n in bp.walk_nodes()] == [
        ("elastic-load-balancer", "Elastic Load Balancer"), ("route53", "Route 53"),
        ("s3", "Bucket"), ("ec2", "EC2")]
    assert bp.groups[0].id == "web-backend-layer"


def test_chain_operators_give_directions() -> None:
    bp = parse("""\
        nodes: [{id: a, type: EC2}, {id: b, type: EC2}, {id: c, type: EC2}, {id: d-1, type: EC2}]
        edges:
          - a -> b <- c <-> d-1 -- a
        """)
    assert [(e.src, e.dst, e.direction) for e in bp.edges] == [
        ("a", "b", "forward"), ("b", "c", "back"), ("c", "d-1", "both"), ("d-1", "a", "none")]


def test_a_list_in_a_chain_is_told_the_mapping_that_writes_it() -> None:
    # `bq -> [looker, studio]` was "is not an id; join ids with ->": the hint is the edge
    # the format has for it, with the chain's direction; a list of one is its id.
    assert told("""\
        nodes: [Athena, QuickSight, SNS, {id: mail, type: SES}, Lambda]
        edges:
          - athena -> [quicksight, sns]
          - lambda -> [mail]
          - lambda -> athena -> [quicksight, sns] -- mail
          - "[quicksight, sns] <- athena"
          - lambda <-> [sns, mail]
        """) == [
        ("6:15 '[quicksight, sns]' in edge 'athena -> [quicksight, sns]' is a list: a chain "
         "joins single ids", "ends in a list make an edge mapping, one edge per pair: "
                             "`{from: athena, to: [quicksight, sns]}`"),
        ("7:15 '[mail]' in edge 'lambda -> [mail]' is a list: a chain joins single ids",
         "did you mean 'lambda -> mail'? (a list of one is its id)"),
        ("8:25 '[quicksight, sns]' in edge 'lambda -> athena -> [quicksight, sns] -- mail' is "
         "a list: a chain joins single ids",
         "ends in a list make an edge mapping, one edge per pair: write the chain as the edges "
         "`- lambda -> athena`, `- {from: athena, to: [quicksight, sns]}`, `- {from: "
         "[quicksight, sns], to: mail, direction: none}`"),
        ("9:5 '[quicksight, sns]' in edge '[quicksight, sns] <- athena' is a list: a chain "
         "joins single ids", "ends in a list make an edge mapping, one edge per pair: "
                             "`{from: [quicksight, sns], to: athena, direction: back}`"),
        ("10:16 '[sns, mail]' in edge 'lambda <-> [sns, mail]' is a list: a chain joins "
         "single ids", "ends in a list make an edge mapping, one edge per pair: "
                       "`{from: lambda, to: [sns, mail], direction: both}`")]
    # the mapping the hint writes is what the chain meant: one edge per pair, same direction
    fixed = parse("""\
        nodes: [Athena, QuickSight, SNS]
        edges:
          - {from: [quicksight, sns], to: athena, direction: back}
        """)
    assert [(e.src, e.dst, e.direction) for e in fixed.edges] == [
        ("quicksight", "athena", "back"), ("sns", "athena", "back")]


def test_mapping_edge_with_lists_makes_one_edge_per_pair() -> None:
    bp = parse("""\
        nodes: [{id: a, type: EC2}, {id: b, type: EC2}, {id: c, type: EC2}]
        edges:
          - {from: [a, b], to: c, color: SteelBlue, direction: none}
        """)
    assert [(e.src, e.dst, e.color, e.direction) for e in bp.edges] == [
        ("a", "c", "steelblue", "none"), ("b", "c", "steelblue", "none")]


def test_references_by_path_suffix_and_id() -> None:
    bp = parse("""\
        groups:
          - id: a
            label: A
            groups: [{id: x, label: X, nodes: [EC2]}]
          - id: b
            label: B
            groups: [{id: x, label: X, nodes: [Lambda]}]
        edges:
          - a.x -> b.x.lambda
          - a.x.ec2 -> lambda
        """)
    assert [(e.src, e.dst) for e in bp.edges] == [("a.x", "b.x.lambda"),
                                                  ("a.x.ec2", "b.x.lambda")]


def test_ambiguous_reference_lists_full_paths() -> None:
    found = errors("""\
        groups:
          - {id: a, label: A, nodes: [EC2]}
          - {id: b, label: B, nodes: [EC2]}
        nodes: [Lambda]
        edges:
          - lambda -> ec2
        """)
    assert found == ["9:15 edge end 'ec2' is ambiguous: it could be a.ec2, b.ec2"]


def test_full_path_wins_over_a_longer_path_that_ends_the_same() -> None:
    bp = parse("""\
        nodes: [{id: web, type: EC2}]
        groups:
          - {id: vpc, label: VPC, groups: [{id: web, label: Web, nodes: [Lambda]}]}
        edges: [vpc.web.lambda -> web]
        """)
    assert (bp.edges[0].src, bp.edges[0].dst) == ("vpc.web.lambda", "web")


def test_group_and_member_edge_is_an_error() -> None:
    found = errors("""\
        groups:
          - {id: g, label: G, groups: [{id: h, label: H, nodes: [EC2]}]}
        edges:
          - g -> ec2
          - {from: h, to: g}
        """)
    assert found == [
        "7:5 an edge joins group 'g' and its own member 'g.h.ec2'",
        "8:19 an edge joins group 'g' and its own member 'g.h'",
    ]


def test_all_problems_at_once_in_line_order() -> None:
    found = errors("""\
        direction: sideways
        nodes: [Lamda, {type: EC2, colour: red}]
        edges: [ec2 -> nowhere]
        """)
    assert [f.split(" ", 1)[0] for f in found] == ["4:12", "5:9", "5:28", "6:16"]
    assert "direction 'sideways' is not one of LR, TB, RL, BT" in found[0]
    assert "unknown node type 'Lamda'" in found[1]
    assert "unknown key 'colour' in a node" in found[2]
    assert "edge end 'nowhere' does not name a node or group" in found[3]


def test_one_misspelt_type_copied_into_three_zones_is_one_error_naming_each_place() -> None:
    zone = "  - id: {z}\n    label: {z}\n    nodes: [{{type: Fargte, id: t}}]\n"
    body = "groups:\n" + "".join(zone.format(z=z) for z in "abc") + "nodes: [Lamda]\n"
    found = errors(body)
    assert found == [
        "7:20 unknown node type 'Fargte' (provider 'aws', then every provider) "
        "(used again on lines 10, 13)",
        "14:9 unknown node type 'Lamda' (provider 'aws', then every provider)"]
    assert hints(body) == ["did you mean 'Fargate'?", "did you mean 'Lambda'?"]


def test_a_type_misspelt_twice_on_one_line_names_the_columns() -> None:
    assert errors("nodes: [Lamda, {type: Lamda, id: b}, {type: Lamda, id: c}]\n") == [
        "4:9 unknown node type 'Lamda' (provider 'aws', then every provider) "
        "(used again on lines 4:23, 4:45)"]


def test_duplicate_sibling_ids() -> None:
    found = errors("nodes: [EC2, EC2]\n")
    assert found == ["4:14 duplicate id 'ec2' at the top level (first at line 4)"]


def test_same_label_twice_is_two_groups() -> None:
    bp = parse("""\
        groups:
          - {id: one, label: Same, nodes: [EC2]}
          - {id: two, label: Same, nodes: [EC2]}
        """)
    assert [g.label for g in bp.groups] == ["Same", "Same"]


def test_text_fields_take_numbers_as_written() -> None:
    bp = parse("nodes: [{type: EC2, label: 0042}]\n")
    assert bp.nodes[0].label == "0042"


def test_custom_icon(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "logo.png").write_bytes(png())
    bp = parse("nodes: [{icon: icons/logo.png, label: Our service}]\n", str(tmp_path))
    node = bp.nodes[0]
    assert (node.id, node.icon, node.type) == ("our-service", "icons/logo.png", None)


@pytest.mark.parametrize("icon,message", [
    ("https://example.com/x.png", "icon must be a local file, not a URL"),
    ("../x.png", "must be a path inside the blueprint's folder"),
    ("/etc/x.png", "must be a path inside the blueprint's folder"),
    ("x.gif", "must be a PNG or JPG file"),
    ("missing.png", "icon file 'missing.png' does not exist"),
])
def test_bad_icons(tmp_path: Path, icon: str, message: str) -> None:
    found = errors(f"nodes: [{{icon: '{icon}', label: X}}]\n", str(tmp_path))
    assert message in found[0]


def test_alternatives_and_layout_are_parsed() -> None:
    bp = parse("""\
        nodes: [{id: api, type: APIGateway}]
        groups:
          - {id: web, label: Web, nodes: [EC2, Lambda]}
        alternatives:
          - {id: bs, label: Beanstalk, note: one line, replace: [web], with: Elastic Beanstalk}
          - {id: sl, label: Serverless, pick: {web: lambda}}
        layout:
          rows: [[api], [web]]
          alternatives_panel: false
          alternatives_label: Packaged
        output: {name: demo, formats: [svg, dot], dpi: 144}
        """)
    bs, sl = bp.alternatives
    assert bs.replace == ("web",) and bs.with_ is not None
    assert bs.with_.type is not None and bs.with_.type.name == "ElasticBeanstalk"
    assert sl.pick == (("web", "web.lambda"),)
    assert bp.layout.rows == (("api",), ("web",))
    assert not bp.layout.alternatives_panel and bp.layout.alternatives_label == "Packaged"
    assert (bp.output.name, bp.output.formats, bp.output.dpi) == ("demo", ("svg", "dot"), 144)


@pytest.mark.parametrize("body,message", [
    ("alternatives: [{id: x, label: X, replace: [web]}]\n", "`replace` needs `with`"),
    ("alternatives: [{id: x, label: X}]\n", "has neither `replace` nor `pick`"),
    ("alternatives: [{id: x, label: X, replace: [web, web], with: EC2}]\n",
     "'web' is replaced twice"),
    ("alternatives: [{id: x, label: X, replace: [web, web.ec2], with: EC2}]\n",
     "'web.ec2' is inside 'web'"),
    ("alternatives: [{id: x, label: X, pick: {web: inner}}]\n",
     "'inner' is not a node directly in group 'web'"),
    ("alternatives: [{id: x, label: X, pick: {ec2: web}}]\n", "is a node, not a group"),
    ("alternatives: [{id: x, label: X, replace: [nope], with: EC2}]\n",
     "`replace` 'nope' does not name a node or group"),
    ("layout: {rows: [[web.ec2]]}\n", "is not at the top level"),
    ("output: {name: ../x}\n", "is not a plain file name"),
    ("output: {dpi: 5}\n", "output.dpi must be a whole number from 10 to 1200"),
    ("output: {formats: [gif]}\n", "output format 'gif' is not one of"),
])
def test_alternative_layout_output_errors(body: str, message: str) -> None:
    found = errors("""\
        groups:
          - id: web
            label: Web
            nodes: [EC2]
            groups: [{id: sub, label: Sub, nodes: [{id: inner, type: Lambda}]}]
        """ + body)
    assert any(message in f for f in found), found


def test_blueprint_needs_version_and_title() -> None:
    with pytest.raises(ArchError) as info:
        parse_blueprint("nodes: [EC2]\n", "x.yaml")
    messages = [p.message for p in info.value.problems]
    assert messages == ["`blueprint: 1` is missing", "title is required"]


def hints(body: str, base_dir: str = ".") -> list[str | None]:
    with pytest.raises(ArchError) as info:
        parse(body, base_dir)
    return [p.hint for p in info.value.problems]


def test_a_box_type_hint_says_a_or_an_by_the_word_after_it() -> None:
    assert hints("nodes: [Availability Zone, Security Group]\n") == [
        "an availability zone is drawn as a box: a group with `kind: availability-zone`",
        "a security group is drawn as a box: a group with `kind: security-group`",
    ]


@pytest.mark.parametrize(("word", "article"), [
    ("availability zone", "an"), ("account", "an"), ("region", "a"), ("VPC", "a"),
    ("EC2 instance", "an"), ("S3 bucket", "an"), ("NAT gateway", "a"), ("user", "a"),
    ("hour", "an"), ("`auto-scaling-group`", "an"),
])
def test_a_or_an_goes_by_the_sound_of_the_next_word(word: str, article: str) -> None:
    assert a_or_an(word) == article


def test_a_value_that_is_a_mapping_is_not_quoted_as_if_it_were_text() -> None:
    assert errors("nodes: [EC2]\noutput: {dpi: {x: 1}}\n") == [
        "5:15 output.dpi must be a whole number from 10 to 1200, not a mapping"]


def test_paths_that_skip_a_level_tell_the_rule_once_and_offer_whole_paths() -> None:
    found = hints("""\
        groups:
          - id: prod
            label: Prod
            groups:
              - id: region
                label: eu-central-1
                groups:
                  - id: vpc
                    label: VPC
                    groups:
                      - {id: aza, label: A, nodes: [{id: db, type: RDS}]}
                      - {id: azb, label: B, nodes: [{id: db, type: RDS}]}
          - {id: shared, label: Shared, groups: [{id: vpc, label: VPC, nodes: [VPN]}]}
        edges:
          - prod.aza.db -> prod.vpc
          - shared.vpn -> vpc.db
        """)
    assert found == [
        "did you mean 'prod.region.vpc.aza.db'? (a path is a chain of ids from any group "
        "down, skipping no level)",
        "did you mean 'prod.region.vpc'?",
        "did you mean 'shared.vpc.vpn'?",  # not 'vpn', nor the ambiguous 'vpc'
        "did you mean 'vpc.aza.db', 'vpc.azb.db'?",
    ]


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
    # its variant would be the blueprint as written under another name
    ("{id: x, label: X, pick: {b.a: sqs}}",
     "this pick changes nothing: group 'b.a' holds no node but 'sqs'"),
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


# -- what a new user's mistakes get back -----------------------------------------------------

def told(body: str, base_dir: str = ".", whole: bool = False) -> list[tuple[str, str | None]]:
    """The problems (position and message, hint) of a blueprint: `body` after BASE's header,
    or, `whole`, the whole file."""
    with pytest.raises(ArchError) as info:
        if whole:
            parse_blueprint(textwrap.dedent(body), "bp.yaml", base_dir)
        else:
            parse(body, base_dir)
    return [(f"{p.pos.line}:{p.pos.col} {p.message}" if p.pos else p.message, p.hint)
            for p in info.value.problems]


def test_a_top_level_section_indented_under_a_group_is_told_to_move_out() -> None:
    assert told("""\
        groups:
          - label: App
            nodes: [EC2, S3]
            edges: [ec2 -> s3]
        """) == [("7:5 unknown key 'edges' in a group",
                  "`edges` belongs to the blueprint itself: move it out to the start of the "
                  "line (column 1)")]


def test_a_missing_icon_suggests_a_file_spelt_alike_and_its_edges_are_not_reported(
        tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "mainframe.png").write_bytes(png())
    (tmp_path / "icons" / "payments.png").write_bytes(png())
    (tmp_path / "icons" / "main-frame.txt").write_text("not an image")
    assert told("""\
        nodes:
          - {icon: icons/main-frame.png, label: Mainframe}
          - EC2
        edges: [ec2 -> mainframe]
        """, str(tmp_path)) == [
        (f"5:12 icon file 'icons/main-frame.png' does not exist (looked in the blueprint's "
         f"folder, {tmp_path})", "did you mean 'icons/mainframe.png'?")]


def test_a_missing_icon_names_the_blueprints_folder_in_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Checked from its own folder, the message said `(looked in .)`.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, HEAD + "nodes: [{icon: logo.png, label: Logo}]\n", "bp.yaml")
    with pytest.raises(ArchError) as info:
        load_blueprint("bp.yaml")
    assert info.value.problems[0].message == (
        f"icon file 'logo.png' does not exist (looked in the blueprint's folder, "
        f"{tmp_path.resolve()})")


def test_an_svg_icon_is_hinted_with_its_png_or_how_to_make_one(tmp_path: Path) -> None:
    body = "nodes: [{icon: logos/pager.svg, label: Pager}]\n"
    (tmp_path / "logos").mkdir()
    assert hints(body, str(tmp_path)) == [
        "Graphviz draws a custom icon from pixels: convert it, for instance "
        "`rsvg-convert -w 256 logos/pager.svg -o logos/pager.png`"]
    (tmp_path / "logos" / "pager.png").write_bytes(png())
    assert hints(body, str(tmp_path)) == ["did you mean 'logos/pager.png'?"]


def test_a_misspelt_nodes_key_is_one_error_not_an_empty_box_and_unknown_edges() -> None:
    assert told("""\
        groups:
          - label: App
            node: [EC2, S3]
        edges: [ec2 -> s3]
        """) == [("6:5 unknown key 'node' in a group", "did you mean 'nodes'?")]
    assert told("node: [EC2, S3]\nedges: [ec2 -> s3]\n") == [
        ("4:1 unknown key 'node' in the blueprint", "did you mean 'nodes'?")]


def test_a_nested_node_in_rows_is_pointed_at_its_top_level_group() -> None:
    assert told("""\
        groups:
          - {label: App, nodes: [EC2]}
        nodes: [S3]
        layout: {rows: [[s3, app.ec2]]}
        """) == [("7:22 'app.ec2' is not at the top level: rows place top-level nodes and "
                  "groups", "name the top-level group that holds it, 'app'")]


def test_an_unknown_reference_used_again_is_one_error_naming_the_lines() -> None:
    found = told("""\
        groups:
          - id: az-a
            label: AZ a
            groups: [{label: App, nodes: [EC2]}, {label: Data, nodes: [RDS]}]
        nodes: [S3]
        edges:
          - az-a.ec2 -> az-a.rds
          - s3 -> az-a.ec2
          - {from: az-a.ec2, to: s3}
        """)
    rule = " (a path is a chain of ids from any group down, skipping no level)"
    assert found == [
        ("10:5 edge end 'az-a.ec2' does not name a node or group (used again on lines 11, 12)",
         "did you mean 'az-a.app.ec2'?" + rule),
        ("10:17 edge end 'az-a.rds' does not name a node or group",
         "did you mean 'az-a.data.rds'?")]  # the rule of paths is told once


def test_a_choice_not_close_to_any_gets_no_hint_that_repeats_the_message() -> None:
    # The message already lists png, svg, pdf, jpg, dot: the hint said it again.
    assert hints("nodes: [EC2]\noutput: {formats: [webp]}\n") == [None]
    assert hints("nodes: [EC2]\ntheme: solarized\n") == [None]
    # A list that says more than the message (what LR stands for) stays a hint.
    assert hints("nodes: [EC2]\ndirection: sideways\n") == [
        "one of: LR (left to right), TB (top to bottom), RL (right to left), "
        "BT (bottom to top)"]


@pytest.mark.parametrize(("written", "meant"), [
    ("TD", "TB"),  # Mermaid's top-down
    ("td", "TB"),
    ("down", "TB"),  # D2's and ELK's words
    ("right", "LR"),
    ("up", "BT"),
    ("left to right direction", "LR"),  # PlantUML's
    ("top_to_bottom direction", "TB"),
    ("landscape", "LR"),
])
def test_a_direction_as_other_diagram_tools_write_it_hints_its_letters(written: str,
                                                                       meant: str) -> None:
    found = hints(f"nodes: [EC2]\ndirection: {written}\n")
    assert len(found) == 1 and (found[0] or "").startswith(f"did you mean {meant!r} (")


def test_no_direction_is_not_read_as_a_flow_direction() -> None:
    # `no direction` is an edge's `none`: the suffix `direction` is only dropped to find one.
    assert hints("nodes: [EC2, S3]\nedges: [{from: ec2, to: s3, direction: no direction}]\n"
                 ) == ["did you mean 'none'?"]


@pytest.mark.parametrize("value", [
    "raw events (web, iOS, Android)",  # two commas: not cut at the second
    "a,b,c",
    "it's web, \"iOS\", Android",  # quotes inside: quoted the other way
    "a, b: c, d",  # a comma then `: `: a key of no known name, or the value's rest
    "Looker: SQL, BI",  # `: ` then a comma
    "raw [web, iOS]", "a ] b", "raw {web}", "a } b",  # brackets
    "issue #5, x",  # ` #` starts a comment
])
@pytest.mark.parametrize("nodes", ["\n  - {{id: q, type: SQS, label: {}}}  # the queue",
                                   " [{{id: q, label: {}, type: SQS}}, Lambda]"])
def test_following_the_quote_hint_of_a_value_in_braces_keeps_all_of_it(value: str,
                                                                       nodes: str) -> None:
    text = BASE + "nodes:" + nodes.format(value) + "\n"
    with pytest.raises(ArchError) as info:
        parse_blueprint(text, "bp.yaml")
    assert len(info.value.problems) == 1  # the pieces of one value are one problem
    hint = info.value.problems[0].hint or ""
    fixed = text.replace(f"label: {value}", hint.split("quote it, ")[-1])
    assert parse_blueprint(fixed, "bp.yaml").nodes[0].label == value


def test_a_duplicate_key_of_one_value_is_reported_with_the_other_problems() -> None:
    """A duplicate `title:` stopped at the loader and hid every other problem: reported
    now with them (the first value is checked on); a section written twice (`nodes:`) is
    still reported alone, since what the second holds would go unchecked."""
    found = errors("theme: darker\ntitle: Again\ndirection: top-down\nnodes: [EC2]\n")
    assert found == ["4:8 theme 'darker' is not one of light, dark",
                     "5:1 duplicate key 'title' (first written at line 2)",
                     "6:12 direction 'top-down' is not one of LR, TB, RL, BT"]
    assert errors("nodes: [EC2]\nnodes: [Lambda]\nedges: [lambda -> ec2]\n") == [
        "5:1 duplicate key 'nodes' (first written at line 4)"]


# A first error that explains why a later reference names nothing: the reference is not
# reported too, or is told in terms of that error; never offered the typo.

def test_an_edge_by_the_id_a_misspelt_type_would_give_is_not_reported() -> None:
    assert told("""\
        nodes:
          - Athena
          - Quicksite
          - {type: Cloud Amor, label: edge firewall}
        edges:
          - {from: quicksight, to: athena}
          - athena -> cloud-armor
        """) == [
        ("6:5 unknown node type 'Quicksite' (provider 'aws', then every provider)",
         "did you mean 'Quicksight'?"),
        ("7:12 unknown node type 'Cloud Amor' (provider 'aws', then every provider)",
         "did you mean 'Cloud Armor (gcp)'?")]  # no 'Cloud IAM': no typo of it


def test_a_reference_is_never_offered_the_id_a_misspelt_type_gives() -> None:
    found = told("nodes: [Athena, Quicksite]\nedges: [athena -> quiksite]\n")
    assert found[1] == ("5:19 edge end 'quiksite' does not name a node or group",
                        "declare it under `nodes:` or in a group: `- {id: quiksite, type: ...}`")


def test_a_duplicate_id_is_told_which_one_to_rename_or_give_an_id() -> None:
    # Two written `id: q` were told "give one of them an explicit `id`": both had one.
    assert told("""\
        nodes:
          - {id: q, type: SQS}
          - {id: q, type: SNS}
          - Lambda
          - Lambda
          - {id: ec2, type: EC2}
          - EC2
          - S3
          - {id: s3, type: S3}
        groups:
          - {label: Web, nodes: [EC2]}
          - {id: web, label: W, nodes: [{id: fn, type: SQS}, {id: fn, type: SNS}]}
        """) == [
        ("6:10 duplicate id 'q' at the top level (first at line 5)",
         "ids must be unique among siblings: rename one of them (`id: q` on lines 5 and 6)"),
        ("8:5 duplicate id 'lambda' at the top level (first at line 7)",
         "ids must be unique among siblings: give one of them an explicit `id` (on lines 7 "
         "and 8, both made from their type)"),
        ("10:5 duplicate id 'ec2' at the top level (first at line 9)",
         "ids must be unique among siblings: this node's id is made from its type: give it "
         "an `id` of its own, or rename the `id: ec2` on line 9"),
        ("12:10 duplicate id 's3' at the top level (first at line 11)",
         "ids must be unique among siblings: rename this one, or give the one on line 11 "
         "(its id is made from its type) an `id` of its own"),
        ("15:10 duplicate id 'web' at the top level (first at line 14)",
         "ids must be unique among siblings: rename this one, or give the one on line 14 "
         "(its id is made from its label) an `id` of its own"),
        ("15:59 duplicate id 'fn' in group 'web' (first at line 15)",
         "ids must be unique among siblings: rename one of them (`id: fn` on line 15, "
         "columns 38 and 59)")]


def test_a_reference_by_another_name_of_a_duplicate_is_told_the_id_to_give_it() -> None:
    assert told("""\
        groups:
          - id: data
            label: Data
            nodes:
              - {id: sql, type: RDS, label: bookings DB}
              - {id: sql, type: DynamoDB, label: availability}
        nodes: [Lambda]
        edges:
          - lambda -> sql
          - lambda -> dynamodb
        """) == [
        ("9:14 duplicate id 'sql' in group 'data' (first at line 8)",
         "ids must be unique among siblings: rename one of them (`id: sql` on lines 8 "
         "and 9)"),
        ("13:15 edge end 'dynamodb' does not name a node or group",
         "did you mean the node at line 9, 'availability'? It is left out for its "
         "duplicate id 'sql': give it `id: dynamodb`")]


def test_what_a_group_left_out_for_its_id_holds_is_checked_and_not_reported_unknown() -> None:
    assert errors("""\
        groups:
          - {id: app, label: App, nodes: [ECS]}
          - {id: app, label: App 2, nodes: [EKS, Fargte]}
          - {id: My Cache, label: Cache, nodes: [ElastiCache]}
        nodes: [Lambda]
        edges: [lambda -> eks, lambda -> elasticache, lambda -> my-cache]
        alternatives:
          - {id: alt, label: Alt, replace: [elasticache], with: {id: mc, type: ElastiCache}}
        layout: {rows: [[lambda, my-cache]]}
        """) == [
        "6:10 duplicate id 'app' at the top level (first at line 5)",
        "6:42 unknown node type 'Fargte' (provider 'aws', then every provider)",
        "7:10 invalid id 'My Cache'"]


def test_a_misspelt_key_of_a_node_or_group_is_read_as_the_key_it_is_a_slip_for() -> None:
    assert errors("""\
        groups:
          - {id: data, lable: Data, nodes: [{id: db, tpye: RDS}, {id: replica, type: RDS}]}
        nodes: [Lambda]
        edges: [lambda -> db]
        alternatives:
          - {id: alt, label: Alt, pick: {data: db}}
        """) == ["5:16 unknown key 'lable' in a group", "5:46 unknown key 'tpye' in a node"]


def test_a_node_or_group_missing_what_it_needs_still_counts_for_references(
        tmp_path: Path) -> None:
    (tmp_path / "partner.png").write_bytes(png())
    assert errors("""\
        nodes:
          - {id: partner, icon: partner.png}
          - {id: db, label: Orders DB}
          - Lambda
        groups:
          - {id: web, nodes: [EC2]}
        edges: [lambda -> partner, lambda -> db, lambda -> ec2]
        layout: {rows: [[lambda, partner, db, web]]}
        """, str(tmp_path)) == [
        "5:5 a custom-icon node needs a `label`", "6:5 a node needs a `type` (or an `icon`)",
        "9:5 a group's label is required"]


def test_an_edge_by_the_id_a_refused_id_is_hinted_as_is_not_reported() -> None:
    assert errors("""\
        nodes: [{id: Orders DB, type: RDS}, Lambda]
        edges: [lambda -> orders-db]
        """) == ["4:14 invalid id 'Orders DB'"]


def test_a_group_without_label_or_id_is_one_error() -> None:
    assert errors("groups:\n  - nodes: [EC2]\n") == ["5:5 a group's label is required"]


def test_a_node_with_a_type_not_text_is_one_error() -> None:
    assert errors("nodes: [{id: a, type: [RDS]}]\n") == ["4:23 type must be text, not a list"]


def test_a_pick_in_a_group_that_lost_a_node_to_an_error_is_not_said_to_change_nothing() -> None:
    assert errors("""\
        groups:
          - id: db
            label: DB
            nodes: [{id: rds, type: RDS}, {id: rds, type: Aurora}]
        alternatives:
          - {id: alt, label: Alt, pick: {db: rds}}
        """) == ["7:40 duplicate id 'rds' in group 'db' (first at line 7)"]


def test_a_slip_for_a_key_of_an_edge_or_alternative_is_one_error_that_names_the_key() -> None:
    assert told("""\
        nodes: [Lambda, SQS, SNS]
        edges: [{form: lambda, to: sqs}, {from: lambda, ot: sns}]
        alternatives:
          - {id: a, label: A, replce: [sqs], with: {id: kinesis, type: Kinesis Data Streams}}
        """) == [("5:10 unknown key 'form' in an edge", "did you mean 'from'?"),
                 ("5:49 unknown key 'ot' in an edge", "did you mean 'to'?"),
                 ("7:23 unknown key 'replce' in an alternative", "did you mean 'replace'?")]


def test_items_written_without_a_list_are_checked_as_the_list_they_stand_for() -> None:
    assert told("""\
        nodes: Lambda
        groups:
          - {id: data, label: Data, nodes: {id: db, type: RDS}}
          - {id: q, label: Q, nodes: {sqs: {type: SQS}, sns: {type: Snss}}}
        edges: [lambda -> db, lambda -> sqs]
        alternatives: {alt: {label: Alt, replace: db, with: {id: aurora, type: Aurora}}}
        """) == [
        ("4:8 nodes must be a list, not text", "one item is a list of one: `nodes: [Lambda]`"),
        ("6:36 nodes must be a list, not a mapping",
         "it reads as one item: start it with `- ` to make a list of one"),
        ("7:30 nodes must be a list, not a mapping",
         "each item starts with `- `, its id a key of it: `- id: sqs`, and its other keys "
         "under `id:`"),
        ("7:61 unknown node type 'Snss' (provider 'aws', then every provider)",
         "did you mean 'SNS'?"),
        ("9:15 alternatives must be a list, not a mapping",
         "each item starts with `- `, its id a key of it: `- id: alt`, and its other keys "
         "under `id:`")]


def test_types_under_a_refused_provider_are_not_reported_ambiguous() -> None:
    # `amazn` is close to no provider: what it makes ambiguous is not reported, nor the
    # advice to set `provider:`, set already; `azur` is checked as the one it is close to.
    body = """\
        blueprint: 1
        title: T
        provider: amazn
        nodes: [Load Balancer, VPC, Lamda]
        groups:
          - {id: g, label: G, provider: azur, nodes: [Load Balancer]}
        """
    assert told(body, whole=True)[1:] == [
        ("4:29 unknown node type 'Lamda'", "did you mean 'Lambda'?"),
        ("6:33 unknown provider 'azur'", "did you mean 'azure'?")]


def test_an_item_written_without_its_list_and_with_a_slip_for_a_key_is_read_as_one_item() -> None:
    """An edge or an alternative written as one mapping with a slip for a key (`form:`,
    `wiht:`) is one item, its slips read as their keys: what it says is checked (an edge to
    no node is reported), and no key of it is checked as an item of its own, nor hinted
    as an id (`- id: id`). A group or alternative written as text is one error."""
    assert told("""\
        nodes: {id: db, tpye: RDS}
        edges: {form: db, ot: nothere}
        alternatives: {id: alt, lable: Alt, replce: db, wiht: {id: b, type: RDS}}
        """) == [
        ("4:8 nodes must be a list, not a mapping",
         "it reads as one item: start it with `- ` to make a list of one"),
        ("4:17 unknown key 'tpye' in a node", "did you mean 'type'?"),
        ("5:8 edges must be a list, not a mapping",
         "it reads as one item: start it with `- ` to make a list of one"),
        ("5:9 unknown key 'form' in an edge", "did you mean 'from'?"),
        ("5:19 unknown key 'ot' in an edge", "did you mean 'to'?"),
        ("5:23 `to` 'nothere' does not name a node or group",
         "declare it under `nodes:` or in a group: `- {id: nothere, type: ...}`"),
        ("6:15 alternatives must be a list, not a mapping",
         "it reads as one item: start it with `- ` to make a list of one"),
        ("6:25 unknown key 'lable' in an alternative", "did you mean 'label'?"),
        ("6:37 unknown key 'replce' in an alternative", "did you mean 'replace'?"),
        ("6:49 unknown key 'wiht' in an alternative", "did you mean 'with'?")]
    assert [message for message, _ in told("""\
        nodes: [EC2]
        groups: vpc
        alternatives: alt
        """)] == ["5:9 groups must be a list, not text",
                  "6:15 alternatives must be a list, not text"]


def test_a_slip_for_a_top_level_key_is_read_as_that_key_and_not_reported_missing() -> None:
    # `tilte:` is one error, not also "title is required"; `edge:` is still checked.
    assert told("""\
        blueprint: 1
        tilte: T
        direciton: TB
        nodes: [EC2]
        edge: [ec2 -> nothere]
        """, whole=True) == [
        ("2:1 unknown key 'tilte' in the blueprint", "did you mean 'title'?"),
        ("3:1 unknown key 'direciton' in the blueprint", "did you mean 'direction'?"),
        ("5:1 unknown key 'edge' in the blueprint", "did you mean 'edges'?"),
        ("5:15 edge end 'nothere' does not name a node or group",
         "declare it under `nodes:` or in a group: `- {id: nothere, type: ...}`")]


def test_keys_other_formats_use_are_read_as_ours_and_reported_once() -> None:
    # `version:` stands for `blueprint:` (not also "`blueprint: 1` is missing"), `links:`
    # for `edges:`, `variants:` for `alternatives:`, an alternative's `title:` for `label:`.
    assert told("""\
        version: 1
        title: T
        nodes: [EC2, Lambda]
        links: [ec2 -> lambda]
        variants:
          - {id: v, title: V, replace: [lambda], with: Fargate}
        """, whole=True) == [
        ("1:1 unknown key 'version' in the blueprint", "did you mean 'blueprint'?"),
        ("4:1 unknown key 'links' in the blueprint", "did you mean 'edges'?"),
        ("5:1 unknown key 'variants' in the blueprint", "did you mean 'alternatives'?"),
        ("6:13 unknown key 'title' in an alternative", "did you mean 'label'?")]


def test_replace_written_as_a_mapping_is_one_error_that_writes_replace_and_with() -> None:
    assert told("""\
        nodes: [EC2, Lambda]
        alternatives:
          - id: serverless
            label: Serverless
            replace: {ec2: lambda}
        """) == [("8:14 `replace` lists the items replaced, not a mapping",
                  "write `replace: [ec2]` and, under it, `with: lambda`: the node that takes "
                  "over")]


def test_a_group_or_alternative_written_as_text_is_hinted_as_a_mapping_not_a_list_of_one() -> None:
    assert told("""\
        nodes: [EC2]
        groups: vpc
        alternatives: alt
        """) == [("5:9 groups must be a list, not text",
                  "each item is a mapping that starts with `- id: vpc`, with `label:` and "
                  "`nodes:`"),
                 ("6:15 alternatives must be a list, not text",
                  "each item is a mapping that starts with `- id: alt`, with `label:` and "
                  "`replace:` + `with:`, or `pick:`")]


def test_a_reference_to_nothing_near_is_told_where_to_declare_it() -> None:
    assert told("""\
        nodes: [Lambda]
        groups:
          - {id: vpc, label: VPC, nodes: [EC2]}
        edges: [lambda -> billing, lambda -> SES, lambda -> nope.rds]
        """) == [
        ("7:19 edge end 'billing' does not name a node or group",
         "declare it under `nodes:` or in a group: `- {id: billing, type: ...}`"),
        ("7:38 edge end 'SES' does not name a node or group",
         "declare it under `nodes:` or in a group: `- {id: ses, type: SES}`, and name it "
         "'ses'"),
        ("7:53 edge end 'nope.rds' does not name a node or group",
         "no group is named 'nope': declare it under `groups:` (`- {id: nope, label: ..., "
         "nodes: [...]}`)")]


def test_a_pick_or_replace_naming_nothing_is_told_what_there_is_to_take() -> None:
    # `pick: {app: nothing}`, `replace: [nope]` were told "declare it under `nodes:`": a
    # variant takes what the blueprint has. The group's own nodes, those spelt alike first.
    assert told("""\
        nodes: [Athena]
        groups:
          - {id: app, label: App, nodes: [EC2, Lambda, Fargate]}
          - {id: db, label: DB, nodes: [RDS, DynamoDB]}
        alternatives:
          - {id: a, label: A, pick: {app: nothing}}
          - {id: b, label: B, pick: {app: lambad}}
          - {id: c, label: C, pick: {app: rds}}
          - {id: d, label: D, pick: {nogroup: ec2}}
          - {id: e, label: E, replace: [nope], with: Lambda}
        """) == [
        ("9:35 group 'app' holds no 'nothing' to pick",
         "pick one of its own nodes: it holds 'ec2', 'lambda', 'fargate'"),
        ("10:35 group 'app' holds no 'lambad' to pick",
         "did you mean 'lambda'? (it holds 'lambda', 'ec2', 'fargate')"),
        ("11:35 'rds' is not a node directly in group 'app'",
         "pick one of its own nodes: it holds 'ec2', 'lambda', 'fargate'"),
        ("12:30 picked group 'nogroup' does not name a node or group",
         "`pick` names a group and one of its nodes: groups to pick in: 'app', 'db'"),
        ("13:33 `replace` 'nope' does not name a node or group",
         "`replace` names nodes or groups the blueprint declares: its top level holds "
         "'athena', 'app', 'db'")]


def test_a_labelled_fan_of_three_or_more_edges_carries_its_label_once_on_the_middle_one() -> None:
    bp = parse_blueprint(textwrap.dedent("""\
        blueprint: 1
        title: T
        nodes: [Lambda, SQS, SNS, S3, EventBridge, Athena]
        edges:
          - {from: [lambda, sqs, sns, s3], to: eventbridge, label: PutEvents}
          - {from: eventbridge, to: [lambda, sqs, sns], label: rule}
          - {from: [lambda, sqs], to: athena, label: query}
          - {from: [s3, sns], to: [athena, lambda], label: both}
        """), "bp.yaml")
    assert [(e.src, e.dst, e.label) for e in bp.edges] == [
        ("lambda", "eventbridge", None), ("sqs", "eventbridge", None),
        ("sns", "eventbridge", "PutEvents"), ("s3", "eventbridge", None),
        ("eventbridge", "lambda", None), ("eventbridge", "sqs", "rule"),
        ("eventbridge", "sns", None),
        ("lambda", "athena", "query"), ("sqs", "athena", "query"),
        ("s3", "athena", "both"), ("s3", "lambda", "both"), ("sns", "athena", "both"),
        ("sns", "lambda", "both")]


def test_every_fixed_list_word_is_matched_in_any_case() -> None:
    """`provider: AWS` was refused while `-f PNG` was taken: every fixed-list word is
    matched ignoring case (no list holds two words that differ only so), and the blueprint
    holds the word as the list writes it."""
    bp = parse_blueprint(textwrap.dedent("""\
        blueprint: 1
        title: T
        provider: AWS
        direction: lr
        theme: Dark
        nodes:
          - {id: a, type: Lambda, provider: Azure}
          - {id: b, type: S3}
        groups:
          - {id: g, label: G, kind: VPC, provider: GCP, nodes: [Pub/Sub]}
        edges:
          - {from: a, to: b, style: Dashed, color: Red, direction: Both}
        output: {formats: [PNG, Svg]}
        """), "bp.yaml")
    assert (bp.provider, bp.direction, bp.theme) == ("aws", "LR", "dark")
    assert [n.type.provider for n in bp.walk_nodes() if n.type] == ["aws", "aws", "gcp"]
    assert bp.groups[0].kind == "vpc"
    edge = bp.edges[0]
    assert (edge.style, edge.color, edge.direction) == ("dashed", "red", "both")
    assert bp.output.formats == ("png", "svg")


def test_a_fixed_list_word_of_other_letters_is_still_refused() -> None:
    """Case is all that is forgiven: a Kelvin sign is no `k`, `Dashes` no `dashed`."""
    assert errors("direction: Lrx\nedges: [{from: a, to: b, style: Dashes}]\n"
                  "nodes: [{id: a, type: EC2, provider: \u212a8s}, {id: b, type: S3}]\n") == [
        "4:12 direction 'Lrx' is not one of LR, TB, RL, BT",
        "5:33 edge style 'Dashes' is not one of solid, dashed, dotted, bold",
        "6:38 unknown provider '\u212a8s'"]


@pytest.mark.parametrize(("text", "said"), [
    ('title: ""\nnodes: [EC2]\n', "2:8 title is empty"),
    ("title: '   '\nnodes: [EC2]\n", "2:8 title is empty"),
    ('title: T\ngroups: [{id: g, label: "", nodes: [EC2]}]\n', "3:25 a group's label is empty"),
    ('title: T\nnodes: [EC2]\nalternatives: [{id: x, label: " ", pick: {}}]\n',
     "4:31 an alternative's label is empty"),
])
def test_a_required_text_that_is_blank_is_an_error(text: str, said: str) -> None:
    """`title: ""` drew a picture with no title, `label: ""` a box with none."""
    with pytest.raises(ArchError) as info:
        parse_blueprint("blueprint: 1\n" + text, "bp.yaml")
    found = [f"{p.pos.line}:{p.pos.col} {p.message}" for p in info.value.problems if p.pos]
    assert said in found


def test_an_id_yaml_reads_as_a_boolean_is_told_to_be_quoted() -> None:
    """`id: on` is YAML 1.1's true: one error, with the quoted id, and references by it
    (`to: "on"`) not reported as naming nothing."""
    assert errors("nodes:\n  - {id: on, type: S3}\n  - {id: q, type: SQS}\n"
                  "edges: [{from: q, to: \"on\"}]\n") == [
        "5:10 id must be text, not a boolean"]
    with pytest.raises(ArchError) as info:
        parse("nodes: [{id: True, type: S3}]\n")
    assert info.value.problems[0].hint == 'YAML reads `True` as a boolean: quote it, `id: "True"`'
