"""Checking a blueprint is bounded: edges counted before they are expanded, did-you-mean
prepared once and capped, file names and quoted values of bounded length."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from arch.errors import ArchError, Problem, Suggestions, format_problem, quote
from arch.validate import parse_blueprint

from .helpers import invoke, write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"


def _ids(n: int, prefix: str = "n") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _nodes(ids: list[str]) -> str:
    return "nodes:\n" + "".join(f"  - {{type: EC2, id: {i}}}\n" for i in ids)


@pytest.mark.parametrize("edges,line,said", [
    # list ends expand to every pair: 300 x 300 = 90,000, refused before one is made
    ("  - from: [{a}]\n    to: [{a}]\n", 0, "this edge expands to 300 x 300 = 90000 edges"),
    # a chain of 301 ids is 300 edges
    ('  - "{chain}"\n', 0, "this chain has 300 edges"),
    # many small edges: said once, at the edge that crosses the limit
    ("{many}", 100, "this edge"),  # was `this edge expands to 1 x 1 = 1 edges`
    ("{chains}", 100, "this edge"),  # was `this chain has 1 edges`
], ids=["list-ends", "chain", "one-by-one", "chains-of-one"])
def test_edges_are_counted_before_they_are_expanded(edges: str, line: int, said: str,
                                                    tmp_path: Path) -> None:
    ids = _ids(300)
    text = edges.format(a=", ".join(ids), chain=" -> ".join(ids + ["n0"]),
                        many="".join(f"  - {{from: n{i}, to: n{i + 1}}}\n" for i in range(150)),
                        chains="".join(f"  - n{i} -> n{i + 1}\n" for i in range(150)))
    path = write(tmp_path, HEAD + _nodes(ids) + "edges:\n" + text)
    first_edge = 3 + 1 + 300 + 1 + 1  # head, `nodes:`, the nodes, `edges:`, 1-based
    for command in ("validate", "render"):
        result = invoke([command, str(path), "--max-edges", "100",
                         *(["-o", str(tmp_path / "o")] if command == "render"
                           else [])])
        assert result.exit_code == 1
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [f"{path}:{first_edge + line}:5: error: {said}: the blueprint would "
                          f"have more than 100 edges"]
    assert not (tmp_path / "o").exists()


def test_unknown_references_get_suggestions_once_per_name_and_capped() -> None:
    ids = _ids(200, "server")
    refs = [f"servr{i} -> nope{i}" for i in range(100)] + ["servr1 -> servr1x"] * 50
    with pytest.raises(ArchError) as info:
        parse_blueprint(HEAD + _nodes(ids) + "edges:\n" + "".join(f"  - {r}\n" for r in refs))
    problems = info.value.problems
    assert len(problems) == 201  # one a name: servr0-99, nope0-99, servr1x
    hinted = {p.message for p in problems if p.hint}
    assert 0 < len(hinted) <= Suggestions.MAX_LOOKUPS
    [first] = [p for p in problems if "'servr1'" in p.message]
    assert first.hint == "did you mean 'server1', 'server91', 'server81'?"
    assert first.message.endswith("(used again on lines 306, 307, 308, 309, 310, 311, 312, "
                                  "313 and 42 more)")


def test_unknown_node_types_get_suggestions_once_per_name_and_capped() -> None:
    body = "".join(f"  - {{id: n{i}, type: Widget Thing {i}}}\n" for i in range(200))
    body += "  - {id: again, type: Widget Thing 1}\n"
    with pytest.raises(ArchError) as info:
        parse_blueprint(HEAD + "nodes:\n" + body)
    problems = info.value.problems
    assert len(problems) == 200  # each type once, at its first node, naming the others
    assert problems[1].message.endswith("(used again on line 205)")
    assert 0 < sum(1 for p in problems if p.hint) <= Suggestions.MAX_LOOKUPS
    assert problems[1].hint is not None


def test_suggestions_are_not_looked_up_for_a_huge_word() -> None:
    assert Suggestions(["server"]).hint("server" + "x" * 200) is None
    assert Suggestions(["server"]).hint("servr") == "did you mean 'server'?"


def test_a_huge_id_is_not_echoed_back(tmp_path: Path) -> None:
    huge = "a" * 2_000_000
    path = write(tmp_path, HEAD + f"nodes: [EC2]\nedges: ['ec2 -> {huge}']\n")
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    assert len(result.stderr) < 1000
    assert "... (2000000 characters)" in result.stderr


def test_quote_and_a_message_of_any_length_stay_short() -> None:
    assert quote("short") == "'short'"
    assert quote("x" * 100) == repr("x" * 60) + "... (100 characters)"
    line = format_problem(Problem(None, "m" * 5000))
    assert len(line) < 1100 and line.endswith("... (5000 characters)")


def test_a_hint_quoting_a_value_cut_by_thousands_of_commas_stays_short(tmp_path: Path) -> None:
    """The hint quotes the whole value a comma cut short, up to the next key: 10,000 commas
    in a label made a hint of 68,952 characters."""
    label = ", ".join(f"w{i}" for i in range(10_000))
    path = write(tmp_path, HEAD + f"nodes:\n  - {{id: a, type: EC2, label: {label}}}\n")
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    error, hint = result.stderr.splitlines()[:2]
    assert error == f"{path}:5:35: error: unknown key 'w1' in a node"
    assert hint.startswith('  hint: a comma inside {...} ends the value: quote it, '
                           'label: "w0, w1, ')
    assert len(hint) < 1100 and hint.endswith(" characters)")
    assert max(len(line) for line in result.stderr.splitlines()) < 1100


@pytest.mark.graphviz
@pytest.mark.parametrize("name,ok", [("n" * 100, True), ("n" * 101, False)],
                         ids=["at-the-limit", "one-over"])
def test_output_name_length_is_refused_at_its_line(name: str, ok: bool,
                                                    tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + f"nodes: [EC2]\noutput:\n  name: {name}\n")
    result = invoke(["render", str(path), "-o", str(tmp_path / "o"),
                     "-f", "dot", "--all-variants"])
    if ok:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:6:9: error: output.name is 101 characters long; "
                                    f"the limit is 100")
    assert invoke(["validate", str(path)]).exit_code == 1


def test_a_file_name_too_long_for_its_files_needs_an_output_name(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "nodes: [EC2]\n", "b" * 120 + ".yaml")
    result = invoke(["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:1: error: the file name gives output files a name of 120" in result.stderr
    assert "set a shorter `output.name`" in result.stderr


@pytest.mark.parametrize("text,at,quoted", [
    # a block value holding `: `, a run of spaces inside it
    ("description: a{spaces}b: c\n", "4:1000016", 'description: "a  '),
    # a {...} entry holding `: `, a run of spaces in the entry before it
    ("nodes:\n  - {{id: a, q{spaces}, label: a: b}}\n", "5:1000024", 'label: "a: b"'),
], ids=["block", "flow"])
def test_the_hint_for_a_colon_in_a_value_is_found_in_time_on_a_long_line(
        text: str, at: str, quoted: str, tmp_path: Path) -> None:
    """The hint's patterns read a line once: they tried every split of a run of spaces (a
    line of 200,000 took 34 s, of 1,000,000 far past the timeout below)."""
    path = write(tmp_path, HEAD + text.format(spaces=" " * 1_000_000))
    proc = subprocess.run([sys.executable, "-m", "arch", "validate", str(path)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 1
    error, hint = proc.stderr.splitlines()[:2]
    assert error.startswith(f"{path}:{at}: error: YAML syntax")
    assert hint.startswith(f"  hint: ': ' inside a plain value starts a mapping: quote it, "
                           f"{quoted}")


def test_picks_that_change_nothing_are_found_without_walking_every_part_for_each(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pick looked through every node and group for another node of its group: 8,000
    picks of one-node groups took 10.5 s to validate (picks x parts calls of parent_of)."""
    from arch.model import parent_of

    calls = 0

    def counting(path: str) -> str:
        nonlocal calls
        calls += 1
        return parent_of(path)

    monkeypatch.setattr("arch.validate.parent_of", counting)
    n = 300
    groups = "".join(f"  - {{id: g{i}, label: G, nodes: [{{id: n{i}, type: EC2}}]}}\n"
                     for i in range(n))
    alternatives = "".join(f"  - {{id: a{i}, label: A, pick: {{g{i}: n{i}}}}}\n"
                           for i in range(n))
    with pytest.raises(ArchError) as info:
        parse_blueprint(HEAD + "groups:\n" + groups + "alternatives:\n" + alternatives)
    assert [p.message for p in info.value.problems] == [
        f"this pick changes nothing: group 'g{i}' holds no node but 'n{i}'" for i in range(n)]
    assert calls < 20 * n  # a few for each part and each pick; it was 2 n x 2 n
