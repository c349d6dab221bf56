"""Icon files: where diagrams keeps them, and whether one shows on the colour under it.

Most icons are filled shapes (a coloured square, a circle) that carry their own background.
Some are line art on a transparent background, drawn for a white page: in the dark theme a
dark outline (Users, on-premises servers, GitHub, the AWS logo) all but disappears. Such an
icon gets a light tile under it; which icons need one is measured on the icon itself
(`faint`), so every provider's icons and a blueprint's own are judged alike.
"""

from __future__ import annotations

import importlib.util
import io
from collections import Counter
from functools import lru_cache
from pathlib import Path

# WCAG 2.1, 1.4.11 (non-text contrast): graphical objects need 3:1 against what is next
# to them. An icon is faint when most of what it draws falls short of that.
CONTRAST = 3.0
FAINT_SHARE = 0.5  # less than this share of the drawn pixels reach CONTRAST
# Or this share of the drawn pixels falls short with no pixel that reaches CONTRAST beside
# it: a part that vanishes whole (Terraform's and Datadog's dark wordmarks under a coloured
# logo, 49% and 22% of what they draw), not the dark outline of a coloured shape (Jenkins:
# 9%, Azure's AKS: 1%), which the eye closes.
LOST_SHARE = 0.2
# A filled shape draws on more than this share of its square: its own background then.
LINE_ART_COVER = 0.6
_SAMPLE = 32  # pixels a side: enough to tell, cheap to read
# Line art in one colour: this share of its drawn pixels in one colour (to 3 bits a
# channel). AWS's resource icons: 0.97 and more; Google Cloud's two-blue icons: under 0.7.
ONE_COLOUR_SHARE = 0.8


def _resources() -> Path:
    """diagrams' resources folder (its icons), found without importing the package."""
    spec = importlib.util.find_spec("diagrams")
    assert spec is not None and spec.origin is not None  # a dependency of archgen
    return Path(spec.origin).resolve().parent.parent / "resources"


RESOURCES = _resources()


# Icons that diagrams ships with a transparency checkerboard painted in (opaque grey and
# white squares round the logo), found by scanning its resources; each is drawn cleaned
# (`unchecker`). tests/test_icons.py checks that each still has its checkerboard.
CHECKERED = ("saas/payment/stripe.png", "saas/payment/amazon-pay.png",
             "saas/payment/paypal.png", "gis/javascript/leaflet.png")
_CHECKER_LIGHT = 200  # the squares' shades and the white between them: light...
_CHECKER_SPREAD = 6  # ...and grey, their channels this close


def unchecker(data: bytes) -> bytes:
    """A checkered icon (CHECKERED) with its painted squares made transparent: every
    light grey or white pixel; the logos of these icons have none."""
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(data)).convert("RGBA")
    r, g, b, alpha = image.split()
    low = ImageChops.darker(ImageChops.darker(r, g), b)
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b), low)
    square = ImageChops.multiply(low.point(lambda v: 255 if v >= _CHECKER_LIGHT else 0),
                                 spread.point(lambda v: 255 if v <= _CHECKER_SPREAD else 0))
    image.putalpha(ImageChops.multiply(alpha, ImageChops.invert(square)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def class_icon(provider: str, module: str, name: str) -> Path | None:
    """The icon file of a diagrams class (this imports its provider module, through the
    import statement's machinery: -X importtime shows it, importlib.import_module's not)."""
    cls = getattr(__import__(f"diagrams.{provider}.{module}", fromlist=[name]), name, None)
    icon = getattr(cls, "_icon", None)
    return RESOURCES / provider / module / icon if isinstance(icon, str) else None


def _linear(channel: int) -> float:
    v = channel / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(c) for c in range(256)]


def _luminance(r: int, g: int, b: int) -> float:
    """Relative luminance, as WCAG defines it."""
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@lru_cache(maxsize=1024)
def _sample(path: Path) -> tuple[bytes, int] | None:
    """An icon's RGBA pixels at _SAMPLE pixels a side at most, and its width; None for a
    file that cannot be read (within images.py's bounds)."""
    from PIL import Image

    from .images import BadImage, read_icon

    try:
        data, _ = read_icon(path)
        if path.is_relative_to(RESOURCES) and path.relative_to(RESOURCES).as_posix() in CHECKERED:
            data = unchecker(data)  # judged as drawn: on the dark page, not on its squares
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
            image.draft("RGB", (_SAMPLE, _SAMPLE))  # JPEG: decode at a fraction of the size
            sample = image.convert("RGBA")
    except (BadImage, OSError, ValueError):
        return None
    sample.thumbnail((_SAMPLE, _SAMPLE))
    return sample.tobytes(), sample.size[0]


@lru_cache(maxsize=1024)
def one_colour_line_art(path: Path) -> bool:
    """Whether an icon is line art drawn in one colour, as AWS's resource icons are (the
    load balancer's in dark purple, the NAT gateway's in light purple, S3's buckets in
    green): ONE_COLOUR_SHARE of its drawn pixels in the colour most of them share."""
    sample = _sample(path)
    if sample is None:
        return False
    data = sample[0]
    colours = Counter((data[i] >> 5, data[i + 1] >> 5, data[i + 2] >> 5)
                      for i in range(0, len(data), 4) if data[i + 3] >= 128)
    drawn = sum(colours.values())
    return (0 < drawn <= LINE_ART_COVER * (len(data) // 4)
            and colours.most_common(1)[0][1] >= ONE_COLOUR_SHARE * drawn)


@lru_cache(maxsize=1024)
def faint(path: Path, background: str) -> bool:
    """Whether an icon is line art that mostly lacks contrast with `background` (#rrggbb),
    or a part of which vanishes on it whole (LOST_SHARE).
    The file is read within images.py's bounds; one that cannot be read is not faint
    (validate reports a blueprint's own bad icon)."""
    sample = _sample(path)
    if sample is None:
        return False
    data, width = sample
    ground = _luminance(*_hex(background))
    seen: dict[int, bool] = {}  # a drawn pixel's index -> whether it reaches CONTRAST
    for i in range(0, len(data), 4):
        if data[i + 3] < 128:
            continue
        light = _luminance(data[i], data[i + 1], data[i + 2])
        high, low = max(light, ground), min(light, ground)
        seen[i // 4] = (high + 0.05) / (low + 0.05) >= CONTRAST
    drawn, clear = len(seen), sum(seen.values())
    if not drawn or drawn > LINE_ART_COVER * (len(data) // 4):
        return False
    if clear < FAINT_SHARE * drawn:
        return True
    lost = sum(1 for at, shows in seen.items() if not shows and not any(
        seen.get(at + dy * width + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
        if 0 <= at % width + dx < width))
    return lost >= LOST_SHARE * drawn
