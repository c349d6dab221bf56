"""Stage 1: YAML text -> positioned values."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from arch import load
from arch.errors import ArchError, Problem, format_problem
from arch.load import (
    MAX_BYTES,
    MAX_DEPTH,
    TooLarge,
    YMap,
    YScalar,
    YSeq,
    load_file,
    load_text,
    read_regular,
)

from .conftest import ROOT


def problems(text: str | bytes) -> list[tuple[int, int, str]]:
    with pytest.raises(ArchError) as info:
        load_text(text, "f.yaml")
    return [(p.pos.line, p.pos.col, p.message) for p in info.value.problems if p.pos]


def test_positions_of_keys_and_values() -> None:
    tree = load_text("blueprint: 1\ntitle: Hi\nnodes:\n  - EC2\n  - {type: S3}\n", "f.yaml")
    assert tree.key_pos("title").line == 2
    title = tree.get("title")
    assert isinstance(title, YScalar) and (title.pos.line, title.pos.col) == (2, 8)
    nodes = tree.get("nodes")
    assert isinstance(nodes, YSeq)
    assert [(n.pos.line, n.pos.col) for n in nodes.items] == [(4, 5), (5, 5)]
    assert isinstance(nodes.items[1], YMap)


def test_scalars_keep_their_text() -> None:
    tree = load_text("a: 2048\nb: yes\nc: 2023-09-08\nd: '007'\ne: ~\n")
    values = {k: v for k, (_, v) in tree.entries.items()}
    assert isinstance(values["a"], YScalar) and values["a"].value == 2048
    assert values["a"].text == "2048"
    assert isinstance(values["b"], YScalar) and values["b"].value is True
    assert isinstance(values["c"], YScalar) and values["c"].value == "2023-09-08"
    assert isinstance(values["d"], YScalar) and values["d"].value == "007"
    assert isinstance(values["e"], YScalar) and values["e"].value is None


def test_duplicate_keys_are_all_reported() -> None:
    found = problems("title: a\nx: 1\ntitle: b\nx: 2\n")
    assert [(line, col) for line, col, _ in found] == [(3, 1), (4, 1)]
    assert "duplicate key 'title' (first written at line 1)" in found[0][2]


def test_syntax_error_points_at_the_problem() -> None:
    found = problems("title: a\nnodes: [EC2\nedges: x\n")
    assert found[0][0] == 3 and found[0][2].startswith("YAML syntax:")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n\n# another\n"])
def test_empty_file(text: str) -> None:
    assert problems(text)[0][2] == "the blueprint is empty"


@pytest.mark.parametrize("text,what", [("- a\n- b\n", "a list"), ("hello\n", "text"),
                                       ("42\n", "a number")])
def test_root_must_be_a_mapping(text: str, what: str) -> None:
    assert problems(text)[0][2].endswith(f"not {what}")


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: !!python/name:os.system\n",
    "a: !custom x\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x}\n",
])
def test_tags_never_construct_objects(text: str) -> None:
    found = problems(text)
    assert found and "unsupported YAML tag" in found[0][2]


def test_merge_keys_are_refused() -> None:
    found = problems("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert (found[0][0], found[0][2]) == (3, "merge keys (<<) are not supported in blueprints")


def test_aliases_expand_within_a_bound() -> None:
    tree = load_text("a: &x [1, 2]\nb: *x\n")
    b = tree.get("b")
    assert isinstance(b, YSeq) and len(b.items) == 2


def test_billion_laughs_fails_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    found = problems("\n".join(lines) + "\n")
    assert "expands to more than" in found[0][2]


def test_nesting_depth_is_limited() -> None:
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert "nested" in problems(deep)[0][2]


def test_non_utf8_bytes_are_positioned() -> None:
    found = problems(b"title: ok\nlabel: caf\xe9\n")
    assert found[0][:2] == (2, 11)
    assert "not valid UTF-8" in found[0][2]


def test_a_utf16_file_is_told_to_be_saved_as_utf8() -> None:
    with pytest.raises(ArchError) as info:
        load_text("title: ok\n".encode("utf-16"), "f.yaml")
    assert info.value.problems[0].hint == (
        "the file is UTF-16 (it starts with UTF-16's byte order mark): save it as UTF-8")


def test_a_number_too_long_to_read_is_not_said_to_carry_a_tag() -> None:
    """Python reads at most 4,300 digits: a plain number longer was `not a whole number, as
    its tag !!int says`, with no tag written."""
    with pytest.raises(ArchError) as info:
        load_text("a: 1" + "0" * 5000 + "\nb: !!int x\n", "f.yaml")
    assert [(p.pos.line if p.pos else 0, p.message, p.hint) for p in info.value.problems] == [
        (1, "a number of 5001 characters is too long to read", "quote it if it is text"),
        (2, "'x' is not a whole number, as its tag !!int says",
         "remove the tag, or write a value of that type")]


def test_groups_nested_past_yamls_depth_are_told_the_groups_limit() -> None:
    """60 groups one in another were told only that values nest more than 64 levels."""
    text, indent = "", ""
    for i in range(40):
        text += f"{indent}groups:\n{indent}  - label: G{i}\n"
        indent += "    "
    with pytest.raises(ArchError) as info:
        load_text(text, "f.yaml")
    assert info.value.problems[0].hint == (
        "groups nest at most 16 deep (each one two levels of YAML)")
    with pytest.raises(ArchError) as info:  # no group: no word of groups
        load_text("a: " + "[" * 70 + "]" * 70 + "\n", "f.yaml")
    assert info.value.problems[0].hint is None


def test_crlf_and_cr_line_ends_read_as_lf() -> None:
    text = "title: T\nnodes:\n  - EC2\n  - {id: a, label: x}\n"
    tree = load_text(text, "f.yaml")
    for ends in ("\r\n", "\r"):
        other = load_text(text.replace("\n", ends), "f.yaml")
        assert repr(other) == repr(tree)


def test_utf8_bom_is_accepted() -> None:
    tree = load_text("\ufefftitle: ok\n".encode())
    assert "title" in tree.entries


def test_control_characters_are_refused() -> None:
    found = problems("title: a\x07b\n")
    assert "is not allowed in YAML" in found[0][2]


def test_too_large_file() -> None:
    with pytest.raises(ArchError) as info:
        load_text(b"a: " + b"x" * (6 * 1024 * 1024))
    assert "larger than 5 MB" in info.value.problems[0].message


# -- the C parser (libyaml) and the pure-Python one read every text alike -------------------

_TEXTS = sorted((ROOT / "blueprints").glob("*.yaml")) + sorted((ROOT / "tests" / "bad").glob(
    "*.yaml")) + sorted((ROOT / "tests" / "golden").glob("*.yaml"))


def _outcome(data: bytes) -> object:
    try:
        return load_text(data, "f.yaml")
    except ArchError as exc:
        return exc.problems


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", _TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_c_parser_gives_the_same_tree_and_errors(path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value at the same line and column, every refusal the same message and place."""
    data = path.read_bytes() + "\nü: 'é—🙂'\nz: [1, {y: |\n    two\n    lines\n  }]\n".encode()
    fast = _outcome(data)
    monkeypatch.setattr(load, "_LOADERS", (yaml.SafeLoader,))
    assert _outcome(data) == fast


def test_libyaml_is_used_when_pyyaml_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[object] = []
    real = yaml.compose
    def compose(text: str, Loader: type) -> object:  # PyYAML's keyword
        used.append(Loader)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", compose)
    load_text("a: 1\n")
    assert used == [yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader]


def test_a_text_the_c_parser_refuses_gets_the_pure_python_message() -> None:
    # libyaml says "mapping values are not allowed in this context" here
    assert problems("a: b: c\n") == [(1, 5, "YAML syntax: mapping values are not allowed here")]


# -- only regular files are read, and never past the limit ----------------------------------

def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def _zero(tmp_path: Path) -> Path:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    return path


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    return path


@pytest.mark.parametrize("make,said", [
    (_fifo, "is a named pipe (FIFO), not a blueprint file"),
    (_zero, "is a device, not a blueprint file"),
    (_folder, "is a folder, not a blueprint file"),
    (_huge, "the file is larger than 5 MB"),
], ids=["fifo", "symlink-to-dev-zero", "folder", "one-byte-over"])
def test_only_regular_files_are_read(make: Callable[[Path], Path], said: str,
                                     tmp_path: Path) -> None:
    with pytest.raises(ArchError) as info:
        load_file(make(tmp_path))  # a FIFO would hang, /dev/zero fill the memory
    assert said in info.value.problems[0].message


def test_reading_stops_at_the_limit_whatever_the_file_claims(tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        read_regular("/proc/self/status", 10)  # size 0 on stat, yet longer than 10 bytes


# -- explicit tags and characters that cannot be drawn ---------------------------------------

@pytest.mark.parametrize("value,said", [
    ("!!bool maybe", "'maybe' is not true or false, as its tag !!bool says"),
    ("!!bool", "'' is not true or false"),
    ("!!int", "'' is not a whole number"),
    ("!!int 0x", "'0x' is not a whole number"),
    ("!!float", "'' is not a number"),
    ("!!float abc", "'abc' is not a number"),
])
def test_a_tag_its_value_does_not_fit_is_a_positioned_error(value: str, said: str) -> None:
    assert problems(f"a: 1\nb: {value}\n") == [(2, 4, said + (
        "" if "says" in said else f", as its tag {value.split()[0]} says"))]


def test_fitting_tags_give_their_value() -> None:
    tree = load_text("a: !!int 1_000\nb: !!bool yes\nc: !!float 1.5\nd: !!str 12\n")
    values = {k: v.value for k, (_, v) in tree.entries.items() if isinstance(v, YScalar)}
    assert values == {"a": 1000, "b": True, "c": 1.5, "d": "12"}


@pytest.mark.parametrize("key", ["!!bool yes", "!!str title", "!!int 1"])
def test_a_tag_on_a_key_is_a_positioned_error(key: str) -> None:
    found = problems(f"a: 1\n{key}: x\n")
    assert found == [(2, 1, f"a key cannot carry a tag ({key.split()[0]})")]


@pytest.mark.parametrize("escape,code", [
    ("\\x01", "0001"), ("\\e", "001B"), ("\\x0b", "000B"), ("\\x7f", "007F"),
    ("\\x85", "0085"), ("\\ud800", "D800"), ("\\udfff", "DFFF"), ("\\uFFFE", "FFFE"),
    ("\\uFDD0", "FDD0"), ("\\U0010FFFF", "10FFFF"), ("\\0", "0000"),
])
def test_characters_svg_cannot_hold_are_refused_at_their_text(escape: str, code: str) -> None:
    found = problems(f'a: 1\nb: "ok {escape}"\n')
    assert found == [(2, 4, f"character U+{code} (character 4 of this text) is not allowed")]


@pytest.mark.parametrize("text,code", [
    ("\\u202eevil", "202E"), ("\\u202dx", "202D"), ("\\u202ax", "202A"), ("\\u2067x", "2067"),
    ("\u202eevil", "202E"),  # typed, not an escape
])
def test_direction_controls_are_refused_so_a_label_reads_as_written(text: str,
                                                                    code: str) -> None:
    """`\\u202eevil` was drawn `live`; Hebrew and Arabic need no control to be drawn right."""
    found = problems(f'a: 1\nb: "{text}"\n')
    assert found == [(2, 4, f"character U+{code} (character 1 of this text) is not allowed: "
                            f"it changes the direction the text is drawn in")]
    value = load_text('b: "שלום مرحبا"\n').entries["b"][1]
    assert isinstance(value, YScalar) and value.value == "שלום مرحبا"


@pytest.mark.parametrize("escape", ["\\t", "\\n", "\\r", "\\u00e9", "\\U0001F600"])
def test_characters_svg_can_hold_pass(escape: str) -> None:
    load_text(f'a: "ok {escape}"\n')


def test_an_error_in_an_aliased_value_points_at_its_use_and_names_the_anchor() -> None:
    text = "a: &x\n  k: [1, 2]\nb: *x\n"
    tree = load_text(text, "f.yaml")
    used = tree.get("b")
    assert isinstance(used, YMap)
    pos = used.key_pos("k")
    assert (pos.line, pos.col) == (3, 4)
    assert pos.via == "in the value of *x, written at line 2"
    inner = used.get("k")
    assert isinstance(inner, YSeq) and inner.items[0].pos.line == 3
    message = format_problem(Problem(pos, "bad"))
    assert message == "f.yaml:3:4: error: bad (in the value of *x, written at line 2)"


def _said(text: str) -> list[tuple[str, str | None]]:
    with pytest.raises(ArchError) as info:
        load_text(text, "bp.yaml")
    return [(p.message, p.hint) for p in info.value.problems]


def test_a_line_out_of_step_with_its_list_is_said_in_plain_words_with_the_columns() -> None:
    text = "nodes:\n  - EC2\n - S3\n"
    assert _said(text) == [(
        "YAML syntax: this line is not indented in step with the lines above it",
        "this line starts in column 2; the items of the list that begins at line 2 start in "
        "column 3: start it there")]


def _where(text: str) -> tuple[int, int, str]:
    with pytest.raises(ArchError) as info:
        load_text(text, "bp.yaml")
    (problem,) = info.value.problems
    assert problem.pos is not None
    return problem.pos.line, problem.pos.col, problem.hint or ""


def _follow(text: str, line: int, hint: str) -> str:
    """The text with the line the error is at started in the last column the hint names."""
    column = int(re.findall(r"column (\d+)", hint)[-1])
    lines = text.splitlines()
    lines[line - 1] = " " * (column - 1) + lines[line - 1].lstrip(" ")
    return "\n".join(lines) + "\n"


_GROUPS = "blueprint: 1\ntitle: t\ngroups:\n  - id: a\n    nodes: [EC2]\n"


@pytest.mark.parametrize(("text", "line", "col", "says"), [
    # a key under `- id: b` one column short: it lines up with `id` (column 5), not the dash
    (_GROUPS + "  - id: b\n   nodes: [S3]\n", 7, 4,
     "the keys of the mapping that begins at line 6 start in column 5"),
    # ... and one too far left of the top level's keys
    (_GROUPS + " edges: []\n", 6, 2,
     "the keys of the mapping that begins at line 1 start in column 1"),
    # an item short of its list's column
    (_GROUPS + "  - id: b\n    nodes:\n      - S3\n     - SQS\n", 9, 6,
     "the items of the list that begins at line 8 start in column 7"),
    # the first item at its key's column, the next under it as every other list here: the
    # first is the one out of step (it was reported at the second)
    (_GROUPS + "  - id: b\n    nodes:\n      - S3\n  - id: c\n    nodes:\n    - {type: SQS}\n"
     "      - {type: SNS}\n", 11, 5, "and the next (line 12) in column 7"),
    # ... and a first item deeper than the next: the first again (it was told to the next)
    ("blueprint: 1\ntitle: t\nnodes:\n  - EC2\nedges:\n   - {from: a, to: b}\n"
     "  - {from: b, to: a}\n", 6, 4, "start this one in column 3"),
    # of two lists as near, the one the next line goes on with: the groups', not `nodes`'
    (_GROUPS.replace("nodes: [EC2]", "nodes:\n      - EC2") + "    - id: b\n    label: B\n",
     7, 5, "the items of the list that begins at line 4 start in column 3"),
])
def test_a_line_out_of_step_is_reported_where_it_is_with_the_column_it_belongs_to(
        text: str, line: int, col: int, says: str) -> None:
    at_line, at_col, hint = _where(text)
    assert (at_line, at_col) == (line, col) and says in hint
    load_text(_follow(text, line, hint), "bp.yaml")  # the hint followed, the text loads


def test_an_item_out_of_step_where_lists_start_at_their_keys_column_is_the_deeper_one() -> None:
    text = _GROUPS.replace("nodes: [EC2]", "nodes:\n    - EC2") + \
        "  - id: b\n    nodes:\n    - {type: S3}\n      - {type: SQS}\n"
    line, col, hint = _where(text)
    assert (line, col) == (10, 7) and "start in column 5" in hint
    load_text(_follow(text, line, hint), "bp.yaml")


def test_a_key_indented_under_a_value_is_told_so_not_to_quote_the_value() -> None:
    """`label: Hot path` then `     nodes:` one column deeper: YAML reads `Hot path nodes` and
    stumbles on the colon; the hint was to put the value in quotes."""
    text = _GROUPS + "  - id: hot\n    label: Hot path\n     nodes: [S3]\n"
    assert _said(text) == [(
        "YAML syntax: `nodes:` is indented more than `label:` above it, so YAML reads it as "
        "more of that key's value", "start `nodes:` in column 5, as `label:` above it")]
    line, col, hint = _where(text)
    assert (line, col) == (8, 6)
    load_text(_follow(text, line, hint), "bp.yaml")


def test_a_key_line_out_of_step_with_the_keys_under_it_is_the_one_reported() -> None:
    """The first group's `- id: b` one column short, `label:` and `nodes:` under it in step,
    which YAML reads as more of the id: the hint moved `label:`, then `nodes:` was out of
    step with it."""
    text = "blueprint: 1\ntitle: t\ngroups:\n - id: b\n    label: B\n    nodes: [S3]\n"
    line, col, hint = _where(text)
    assert (line, col) == (4, 2) and hint == (
        "start this line in column 3, so that `id:` lines up with `label:`")
    load_text(_follow(text, line, hint), "bp.yaml")


def test_a_quote_left_open_says_the_file_ends_before_it_is_closed() -> None:
    assert _said('title: "open\nnodes: [EC2]\n')[0][0] == (
        "YAML syntax: the file ends before this is closed (in the quoted text that begins at "
        "line 1, column 8)")
