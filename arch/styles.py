"""How things look: Graphviz attributes per theme and per group kind.

Boundary kinds follow the AWS Architecture Icons group conventions (border colour and dash);
`layer` is a quiet box that does not compete with them. Every value here is a constant of
archgen's, never text from a blueprint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import icons

FONT = "Sans-Serif"


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    caption: str
    edge: str
    layer_fill: str
    layer_border: str
    layer_text: str
    panel_fill: str


THEMES: dict[str, Theme] = {
    "light": Theme(
        background="#FFFFFF", text="#232F3E", caption="#545B64", edge="#545B64",
        layer_fill="#F4F6F8", layer_border="#C9D1D9", layer_text="#39424E",
        panel_fill="#FFF8EC",
    ),
    "dark": Theme(
        background="#131A22", text="#E9EDF1", caption="#B5BEC8", edge="#9AA6B2",
        layer_fill="#1E2833", layer_border="#6B7A8C", layer_text="#D5DCE3",
        panel_fill="#2A2418",
    ),
}


@dataclass(frozen=True)
class Frame:
    """A boundary's look: border colour and dash, and its fill in each theme."""

    color: str
    dashed: bool
    light_fill: str
    dark_fill: str
    dark_color: str  # a lighter border/label colour that keeps contrast on a dark background
    label: str  # the label in the light theme: the same hue, dark enough for 4.5:1


# AWS Architecture Icons, group conventions (2023): colours of the group borders and labels.
FRAMES: dict[str, Frame] = {
    "aws-cloud": Frame("#232F3E", False, "#FFFFFF", "#131A22", "#D5DBE1", "#232F3E"),
    "region": Frame("#00A4A6", True, "#FFFFFF", "#131A22", "#3FD0D2", "#008183"),
    "availability-zone": Frame("#00A4A6", True, "#FFFFFF", "#131A22", "#3FD0D2", "#008183"),
    "vpc": Frame("#8C4FFF", False, "#FFFFFF", "#161B2B", "#B892FF", "#7A3EEB"),
    "public-subnet": Frame("#7AA116", False, "#F2F6E8", "#1C2614", "#A6CE39", "#5B7810"),
    "private-subnet": Frame("#00A4A6", False, "#E6F6F7", "#10262B", "#3FD0D2", "#007A7C"),
    "security-group": Frame("#DD344C", False, "#FFFFFF", "#131A22", "#FF7A8C", "#C42B41"),
    "auto-scaling-group": Frame("#ED7100", True, "#FFFFFF", "#131A22", "#FF9F4A", "#BB5900"),
    "account": Frame("#E7157B", False, "#FFFFFF", "#131A22", "#FF6BB0", "#C9116A"),
    "data-center": Frame("#7D8998", False, "#FFFFFF", "#131A22", "#B4BEC9", "#5F6975"),
    "generic": Frame("#7D8998", True, "#FFFFFF", "#131A22", "#B4BEC9", "#5F6975"),
    # A VPC of another provider in the colours of its own icon (diagrams' resources): GCP's
    # Google blue (gcp/network/virtual-private-cloud.png), Azure's VNet blue and cyan
    # (azure/network/virtual-networks.png); labels darker for 4.5:1 on white.
    "gcp-vpc": Frame("#4285F4", False, "#FFFFFF", "#131A22", "#8AB4F8", "#1967D2"),
    "azure-vnet": Frame("#1490DF", False, "#FFFFFF", "#131A22", "#50E6FF", "#0F6CBD"),
}

# (kind, provider) -> the look of a kind that a provider draws in its own convention.
PROVIDER_LOOKS: dict[tuple[str, str], str] = {
    ("vpc", "gcp"): "gcp-vpc",
    ("vpc", "azure"): "azure-vnet",
}


# The small icon at the top left of a boundary, from diagrams' resources folder (AWS group
# icons; kinds without one in the conventions, or in diagrams, have none), by look.
GROUP_ICONS: dict[str, str] = {
    "aws-cloud": "aws/aws.png",
    "vpc": "aws/network/vpc.png",
    "public-subnet": "aws/network/public-subnet.png",
    "private-subnet": "aws/network/private-subnet.png",
    "auto-scaling-group": "aws/compute/ec2-auto-scaling.png",
    "account": "aws/management/organizations-account.png",
    "data-center": "aws/general/office-building.png",
    "gcp-vpc": "gcp/network/virtual-private-cloud.png",
    "azure-vnet": "azure/network/virtual-networks.png",
}
# Icons that are no provider's own: drawn whatever the group's provider (`aws-cloud` is
# AWS by its very name; an office building is anyone's).
NEUTRAL_ICONS = frozenset({"aws-cloud", "data-center"})
# Outside AWS (a group whose provider is neither aws nor unset) an AWS icon is not drawn: a
# kind has the provider's own icon from diagrams' resources, or none.
PROVIDER_ICONS: dict[tuple[str, str], str] = {
    ("public-subnet", "azure"): "azure/network/subnets.png",
    ("private-subnet", "azure"): "azure/network/subnets.png",
    ("auto-scaling-group", "azure"): "azure/compute/vm-scale-sets.png",
    ("account", "azure"): "azure/general/subscriptions.png",
    ("account", "gcp"): "gcp/management/project.png",
}
ICON_SIZE = 26  # points


# A top-level row of the layout: a box nobody sees, which dot keeps in one piece.
ROW_BOX = {"style": "invis", "label": ""}


def look(kind: str, provider: str | None) -> str:
    """How a group is framed: its kind, in its provider's own convention where archgen has
    one (a GCP VPC is Google blue, not AWS purple)."""
    return PROVIDER_LOOKS.get((kind, provider or "aws"), kind)


def group_icon(kind: str, theme_name: str,
               provider: str | None = None) -> tuple[str, str | None] | None:
    """The icon of a boundary (`kind` a kind or a look) in its provider's convention, and
    the colour of the tile under it, if any."""
    key = look(kind, provider)
    if key != kind or provider in (None, "aws") or kind in NEUTRAL_ICONS:
        path = GROUP_ICONS.get(key)
    else:
        path = PROVIDER_ICONS.get((kind, provider))
    if path is None:
        return None
    return path, tile(icons.RESOURCES / path, fill(key, theme_name), theme_name)


# Icons are drawn for a white page. In the dark theme, line art that would all but vanish on
# the colour under it (icons.faint) gets a light tile: a node's is its box, rounded.
TILE = "#FFFFFF"
NODE_TILE = {"shape": "box", "style": "rounded,filled", "fillcolor": TILE, "penwidth": "0"}
# An entry of the alternatives legend: a node that is just its HTML-like label.
LEGEND_NODE = {"shape": "plain", "fixedsize": "false"}
LEGEND_ICON = 40  # points


def tile(icon: Path, under: str, theme_name: str) -> str | None:
    """The colour of the tile an icon needs on the colour `under` it, if it needs one."""
    return TILE if theme_name == "dark" and icons.faint(icon, under) else None


def tiled(drawn: Iterable[tuple[str, Path, str | None, str]], theme_name: str) -> set[str]:
    """Which of a picture's icons get a tile, of (key, icon, family, the colour under it):
    each that needs one (tile), and every other line art in one colour of a family (the
    provider) one of whose icons in one colour needs one. One look, one treatment: AWS's
    load balancer (dark purple, 2.6:1 on the dark page) had a tile beside a NAT gateway
    (light purple, 4.9:1) without one. An icon that would not show on the tile keeps none."""
    if theme_name != "dark":  # icons are drawn for a light page
        return set()
    icons_ = list(drawn)
    keys = {key for key, icon, _, under in icons_ if icons.faint(icon, under)}
    families = {family for key, icon, family, _ in icons_
                if key in keys and family is not None and icons.one_colour_line_art(icon)}
    keys.update(key for key, icon, family, _ in icons_
                if family in families and icons.one_colour_line_art(icon)
                and not icons.faint(icon, TILE))
    return keys


NODESEP = "0.5"  # inches between two nodes of a rank


def graph_attrs(theme_name: str, dpi: int) -> dict[str, str]:
    t = THEMES[theme_name]
    return {
        "bgcolor": t.background,
        "fontcolor": t.text,
        "fontname": FONT,
        "pad": "0.4",
        "nodesep": NODESEP,
        "ranksep": "0.9",
        "splines": "spline",
        "compound": "true",
        "labelloc": "t",
        "labeljust": "c",
        "outputorder": "edgesfirst",  # labels of nodes over the lines that pass behind them
        "dpi": str(dpi),
    }


# A node is its icon (fixedsize=shape: Graphviz clips edges at width x height, so every
# arrow ends at the icon, from whatever side it comes); its label, centred on the icon by
# Graphviz, is pushed under it by a spacer (compile.html_node_label) and set on the fill of
# the box around it. Edges are drawn first, so a line that comes to the icon from below
# passes behind the label instead of over the text. (diagrams makes the node a box of icon
# and label, and arrows from below or aside stopped short by the label's height.)
ICON = 1.4  # inches: the icon (and diagrams' node width)
LINE = 14.4  # points: one line of a 12 pt label, as Graphviz sets it
LABEL_GAP = 10.0  # points between the icon and its label: an arrowhead (10) from below shows


def node_attrs(theme_name: str) -> dict[str, str]:
    return {"fontcolor": THEMES[theme_name].text, "fontname": FONT, "fontsize": "12",
            "fixedsize": "shape", "labelloc": "c"}


def fill(kind: str | None, theme_name: str) -> str:
    """The colour under a node: its box's fill, or the background at the top level."""
    if kind is None:
        return THEMES[theme_name].background
    return cluster_attrs(kind, theme_name)["bgcolor"]


def edge_attrs(theme_name: str) -> dict[str, str]:
    t = THEMES[theme_name]
    return {"color": t.edge, **edge_text(theme_name)}


def edge_text(theme_name: str) -> dict[str, str]:
    """The font of an edge's label (diagrams' Edge would otherwise set its own)."""
    t = THEMES[theme_name]
    return {"fontcolor": t.caption, "fontname": FONT, "fontsize": "11"}


BOUNDARY_TITLE_SIZE = 14  # points, the title of a boundary box (a zone, a subnet)


def cluster_attrs(kind: str, theme_name: str) -> dict[str, str]:
    """Attributes of a group's box; the label is added by the compiler."""
    t = THEMES[theme_name]
    base = {"fontname": FONT, "labeljust": "l", "labelloc": "t", "margin": "16"}
    if kind == "layer":
        return {**base, "style": "rounded,filled", "bgcolor": t.layer_fill,
                "pencolor": t.layer_border, "fontcolor": t.layer_text, "fontsize": "13",
                "penwidth": "1"}
    if kind == "alternatives":  # the packaged-alternatives panel
        return {**base, "style": "rounded,dashed,filled", "bgcolor": t.panel_fill,
                "pencolor": "#ED7100", "fontcolor": t.text, "fontsize": "14",
                "penwidth": "1.5"}
    f = FRAMES[kind]
    dark = theme_name == "dark"
    color = f.dark_color if dark else f.color
    style = "dashed,filled" if f.dashed else "filled"
    return {**base, "style": style, "bgcolor": f.dark_fill if dark else f.light_fill,
            "pencolor": color, "fontcolor": f.dark_color if dark else f.label,
            "fontsize": str(BOUNDARY_TITLE_SIZE), "penwidth": "2"}
