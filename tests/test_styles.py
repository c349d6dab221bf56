"""Every label stays legible: contrast of label colours on their backgrounds, both themes."""

from __future__ import annotations

import pytest

from arch import styles
from arch.model import GROUP_KINDS


def luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", sorted(styles.THEMES))
@pytest.mark.parametrize("kind", [*GROUP_KINDS, *styles.FRAMES, "alternatives"])
def test_group_labels_have_contrast(kind: str, theme: str) -> None:
    attrs = styles.cluster_attrs(kind, theme)
    # WCAG AA for normal text: 4.5:1 against the box's own fill
    assert contrast(attrs["fontcolor"], attrs["bgcolor"]) >= 4.5, attrs


@pytest.mark.parametrize("theme", sorted(styles.THEMES))
def test_text_on_the_background_has_contrast(theme: str) -> None:
    t = styles.THEMES[theme]
    for color in (t.text, t.caption, t.layer_text):
        assert contrast(color, t.background) >= 4.5, color
    assert contrast(t.layer_text, t.layer_fill) >= 4.5
    assert contrast(styles.edge_text(theme)["fontcolor"], t.background) >= 4.5


@pytest.mark.parametrize("kind", [*GROUP_KINDS, *styles.FRAMES])
def test_box_borders_show_on_their_fill_in_the_dark_theme(kind: str) -> None:
    # WCAG's 3:1 for the parts of a picture: a layer inside a layer has the same fill, so
    # its border alone tells it apart (a user's namespaces inside an AKS cluster vanished
    # at 1.7:1). The light theme keeps the AWS convention's colours, some a little under.
    attrs = styles.cluster_attrs(kind, "dark")
    assert contrast(attrs["pencolor"], attrs["bgcolor"]) >= 3, attrs
