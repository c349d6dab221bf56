"""Label text: what Graphviz draws exactly as written, and how wide it comes out.

Graphviz reads escapes (\\n, \\N, \\G ...) in plain labels and entities in every label, and
the graphviz package takes a label starting with '<' for HTML; these functions make any text
survive both. Widths are estimated from the font's advance widths, enough to wrap a label
before it overflows its node.
"""

from __future__ import annotations

import re

from . import styles

# Ems per line under an icon 1.4 inches (100 pt) wide, at the 12 pt of node labels.
NODE_LABEL_WIDTH = 7.8
# Ems per line of an edge's label (11 pt: about 220 pt), of the title (28 pt: about 1,260 pt)
# and of the description (15 pt: about 1,200 pt, some 130 characters). Unwrapped, a sentence
# on an edge pushed its ends apart, and a paragraph of description set the picture's width
# (a 13-node pipeline 2,295 pt wide, its nodes in the middle 1,100).
EDGE_LABEL_WIDTH = 20.0
TITLE_WIDTH = 45.0
DESCRIPTION_WIDTH = 80.0


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


# A long label keeps its height bounded: past LONG_LABEL_LINES lines its measure widens, up
# to LONG_LABEL_WIDTH ems (about 47 characters). At a node's 16 characters a line, a
# 335-character label was a column of 30 lines, as tall as five icons; it now takes 9, and
# validate notes a label that needs more than LONG_LABEL_LINES even so (long_label_lines).
LONG_LABEL_LINES = 4
LONG_LABEL_WIDTH = 24.0


def wrap_bounded(text: str, max_em: float) -> str:
    """wrap(), with the measure widened, half an em at a time from the width the lines
    would share, until the label takes at most LONG_LABEL_LINES lines or the measure is
    LONG_LABEL_WIDTH ems; every word is kept. A label with its own line breaks is kept as
    written."""
    wrapped = wrap(text, max_em)
    if wrapped.count("\n") < LONG_LABEL_LINES or "\n" in text:
        return wrapped
    measure = max(max_em, text_width(text) / LONG_LABEL_LINES)
    while measure < LONG_LABEL_WIDTH:
        wrapped = wrap(text, measure)
        if wrapped.count("\n") < LONG_LABEL_LINES:
            return wrapped
        measure += 0.5
    return wrap(text, max(max_em, LONG_LABEL_WIDTH))


def long_label_lines(text: str, max_em: float) -> int:
    """How many lines a label takes when that is more than LONG_LABEL_LINES, else 0."""
    lines = wrap_bounded(text, max_em).count("\n") + 1
    return lines if lines > LONG_LABEL_LINES else 0


def wrap(text: str, max_em: float) -> str:
    """Break a long label at spaces so that no line is wider than max_em; a label with its
    own line breaks is kept as written. A word much wider than a line breaks where its case
    changes (`HorizontalPod` / `Autoscaler`), nothing inserted; a word a little wider
    (`CloudFormation`) or without such a place is kept whole."""
    if "\n" in text or text_width(text) <= max_em:
        return text
    lines: list[str] = []
    for word in text.split(" "):  # only a plain space becomes a line break, nothing is lost
        long = text_width(word) > _SPLIT_WORD * max_em
        pieces = _CAMEL.split(word) if long else [word]
        for k, piece in enumerate(pieces):
            joined = f"{lines[-1]}{' ' if k == 0 else ''}{piece}" if lines else piece
            if lines and text_width(joined) <= max_em:
                lines[-1] = joined
            else:
                lines.append(piece)
    return "\n".join(lines)


# How much wider than a line a word may be before it is broken: a product name a little
# wider than its icon reads better whole.
_SPLIT_WORD = 1.25
# Where a word's case changes: before a capital after a small letter or digit, and before
# the last capital of a run followed by a small letter (`APIGateway` -> `API` `Gateway`).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


# What html.escape(text) writes (importing html, for its table of 2,000 named entities,
# took 1 ms of every render), and `]` (see html_text).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                           "'": "&#x27;", "]": "&#93;"})


def html_text(text: str) -> str:
    """Text inside a Graphviz HTML-like label: entities for markup, and each backslash
    doubled, since Graphviz turns a pair into one even there (after decoding entities).
    `]` is written as an entity too: Graphviz 2.43's HTML lexer refuses an element holding
    only `]` or `]]` ("syntax error"), which a caption or label of that text would be."""
    return text.translate(_ENTITIES).replace("\\", "\\\\")


def wrap_balanced(text: str, max_em: float) -> str:
    """wrap() into as few lines, of widths as even as they can be: at the narrowest measure
    (to a tenth of an em) that keeps that number of lines. A heading wrapped greedily left
    one word on its last line (`... instead of Stream` / `Analytics`)."""
    wrapped = wrap(text, max_em)
    lines = wrapped.count("\n")
    widest_word = max((text_width(w) for w in text.split(" ")), default=0.0)
    if not lines or "\n" in text or widest_word > max_em:
        return wrapped  # one line, the writer's own breaks, or a word broken at its case
    low, high = widest_word, max_em  # wrap(high) has `lines` breaks; find the least such
    while high - low > 0.1:
        middle = (low + high) / 2
        if wrap(text, middle).count("\n") == lines:
            high = middle
        else:
            low = middle
    return wrap(text, high)


def html_title(title: str, description: str | None, theme: str) -> str:
    """The diagram's title (large, bold) and caption, as a Graphviz HTML-like label."""
    t = styles.THEMES[theme]
    heading = "<BR/>".join(html_text(line)
                           for line in wrap_balanced(title, TITLE_WIDTH).split("\n"))
    parts = [f'<FONT POINT-SIZE="28"><B>{heading}</B></FONT>']
    if description:
        lines = "<BR/>".join(html_text(part) for line in description.strip().splitlines()
                             for part in wrap(line, DESCRIPTION_WIDTH).split("\n"))
        parts.append(f'<FONT POINT-SIZE="15" COLOR="{t.caption}">{lines}</FONT>')
    return "<" + "<BR/>".join(parts) + "<BR/> >"


def html_group_label(label: str, icon: tuple[str, str | None], width: float = 0.0) -> str:
    """A boundary's label with its group icon at the left, as an HTML-like label. The
    icon's path is relative to diagrams' resources folder, which the program gives
    Graphviz as `imagepath`. `width`: the least width of its text, in points (0: the
    text's own), so that boxes drawn alike are as wide as one another."""
    path, tile = icon
    size = styles.ICON_SIZE
    background = f' BGCOLOR="{tile}"' if tile else ""
    lines = "<BR ALIGN=\"LEFT\"/>".join(html_text(line) for line in label.splitlines())
    least = f' WIDTH="{width:.0f}"' if width else ""
    return (f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="4"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}"{background}>'
            f'<IMG SRC="{path}" SCALE="TRUE"/></TD>'
            f'<TD ALIGN="LEFT"{least}>{lines}</TD></TR></TABLE>>')


def html_node_label(text: str, fill: str, least: int = 0) -> str:
    """A node's label as an HTML-like label: a spacer that puts the text under the icon
    (Graphviz centres a label on its node, and the node is the icon), then the text on
    `fill`, which hides the part of a line that passes behind it (styles.node_attrs).
    `least`: the lines it takes at least (empty ones after the text), so that nodes drawn
    alike are as tall as one another."""
    lines = [html_text(line) for line in text.split("\n")]
    lines += ["&#160;"] * (least - len(lines))  # a blank line Graphviz gives a height
    text_height = styles.LINE * len(lines) + 2  # the cell's padding of 1 above and below
    spacer = styles.ICON * 72 + 2 * styles.LABEL_GAP + text_height
    body = "<BR/>".join(lines)
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD HEIGHT="{spacer:.0f}"></TD></TR>'
            f'<TR><TD BGCOLOR="{fill}" CELLPADDING="1">{body}</TD></TR></TABLE>>')


LEGEND_NAME_WIDTH = 18.0  # ems of the 12 pt name of an alternative
LEGEND_NOTE_WIDTH = 26.0  # ems of its 11 pt note


def _legend_lines(name: str, note: str) -> tuple[list[str], list[str]]:
    return (wrap(name, LEGEND_NAME_WIDTH).split("\n"),
            wrap(note, LEGEND_NOTE_WIDTH).split("\n") if note else [])


def legend_text_width(name: str, note: str) -> float:
    """Estimated width in points of an entry's text: the legend gives every entry the
    widest, so that the icons line up."""
    names, notes = _legend_lines(name, note)
    return max([text_width(line) * 12 * 1.1 for line in names]  # bold is about 10% wider
               + [text_width(line) * 11 for line in notes])


def html_legend_entry(src: str, tile: str | None, name: str, note: str, note_colour: str,
                      width: float) -> str:
    """An entry of the alternatives legend, as an HTML-like label: the icon (`src` on
    Graphviz's imagepath, on `tile` if given), and beside it the name in bold over the note,
    in a column at least `width` points wide."""
    size = styles.LEGEND_ICON
    background = f' BGCOLOR="{tile}"' if tile else ""
    names, notes = _legend_lines(name, note)
    text = "<BR/>".join(f"<B>{html_text(line)}</B>" for line in names)
    if notes:
        lines = "<BR/>".join(html_text(line) for line in notes)
        text += f'<BR/><FONT POINT-SIZE="11" COLOR="{note_colour}">{lines}</FONT>'
    return (f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}" VALIGN="TOP"{background}>'
            f'<IMG SRC="{html_text(src)}" SCALE="TRUE"/></TD><TD WIDTH="10"></TD>'
            f'<TD WIDTH="{width:.0f}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{text}</TD>'
            '</TR></TABLE>>')
