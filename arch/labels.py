"""Label text: what Graphviz draws exactly as written, and how wide it comes out.

Graphviz reads escapes (\\n, \\N, \\G ...) in plain labels and entities in every label, and
the graphviz package takes a label starting with '<' for HTML; these functions make any text
survive both. Widths are estimated from the font's advance widths, enough to wrap a label
before it overflows its node.
"""

from __future__ import annotations

import html

from . import styles

# Ems per line under an icon 1.4 inches (100 pt) wide, at the 12 pt of node labels.
NODE_LABEL_WIDTH = 7.8


def gv_text(text: str) -> str:
    """Text for a Graphviz label that Graphviz draws exactly as written.

    A backslash would start an escape (\\n, \\N, \\G ...), so it is doubled; a leading '<'
    would make the graphviz package treat the label as HTML, so it is escaped (Graphviz
    drops the backslash of an unknown escape when it draws); '&' is written as an entity,
    since Graphviz decodes entities such as &amp; in every label. A line break becomes the
    escape \\n: a raw newline in a DOT string is not always kept (after a quote, it is lost).
    """
    out = text.replace("\\", "\\\\").replace("&", "&amp;")
    out = out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    if out.startswith("<"):
        out = "\\" + out
    return out


# Advance widths of DejaVu Sans (what "Sans-Serif" is on Linux), in ems, rounded up a little
# so that an estimate never falls short: enough to break labels before they overflow.
_NARROW = dict.fromkeys("iljI.,:;'|!", 0.33) | dict.fromkeys("ft()[]{}-/\\ r", 0.42)
_WIDE = dict.fromkeys("mwMW", 1.0) | dict.fromkeys("ABCDGHKNOQRUVXYZ&@%", 0.8)


def text_width(text: str) -> float:
    """Estimated width of one line of text, in ems."""
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += _NARROW[ch]
        elif ch in _WIDE:
            width += _WIDE[ch]
        elif ch.isascii():
            width += 0.66 if ch.isupper() or ch.isdigit() else 0.62
        else:
            width += 1.0  # other scripts: assume full width (CJK is)
    return width


def wrap(text: str, max_em: float) -> str:
    """Break a long label at spaces so that no line is wider than max_em; a label with its
    own line breaks is kept as written, and a single word is never split."""
    if "\n" in text or text_width(text) <= max_em:
        return text
    lines: list[str] = []
    for word in text.split(" "):  # only a plain space becomes a line break, nothing is lost
        if lines and text_width(f"{lines[-1]} {word}") <= max_em:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def html_text(text: str) -> str:
    """Text inside a Graphviz HTML-like label: entities for markup, and each backslash
    doubled, since Graphviz turns a pair into one even there (after decoding entities)."""
    return html.escape(text).replace("\\", "\\\\")


def html_title(title: str, description: str | None, theme: str) -> str:
    """The diagram's title (large, bold) and caption, as a Graphviz HTML-like label."""
    t = styles.THEMES[theme]
    parts = [f'<FONT POINT-SIZE="28"><B>{html_text(title)}</B></FONT>']
    if description:
        lines = "<BR/>".join(html_text(line) for line in description.strip().splitlines())
        parts.append(f'<FONT POINT-SIZE="15" COLOR="{t.caption}">{lines}</FONT>')
    return "<" + "<BR/>".join(parts) + "<BR/> >"


def html_group_label(label: str, icon: tuple[str, str | None]) -> str:
    """A boundary's label with its group icon at the left, as an HTML-like label. The
    icon's path is relative to diagrams' resources folder, which the program gives
    Graphviz as `imagepath`."""
    path, tile = icon
    size = styles.ICON_SIZE
    background = f' BGCOLOR="{tile}"' if tile else ""
    lines = "<BR ALIGN=\"LEFT\"/>".join(html_text(line) for line in label.splitlines())
    return (f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="4"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}"{background}>'
            f'<IMG SRC="{path}" SCALE="TRUE"/></TD>'
            f'<TD ALIGN="LEFT">{lines}</TD></TR></TABLE>>')


def html_node_label(text: str, fill: str) -> str:
    """A node's label as an HTML-like label: a spacer that puts the text under the icon
    (Graphviz centres a label on its node, and the node is the icon), then the text on
    `fill`, which hides the part of a line that passes behind it (styles.node_attrs)."""
    lines = text.split("\n")
    text_height = styles.LINE * len(lines) + 2  # the cell's padding of 1 above and below
    spacer = styles.ICON * 72 + 2 * styles.LABEL_GAP + text_height
    body = "<BR/>".join(html_text(line) for line in lines)
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD HEIGHT="{spacer:.0f}"></TD></TR>'
            f'<TR><TD BGCOLOR="{fill}" CELLPADDING="1">{body}</TD></TR></TABLE>>')
