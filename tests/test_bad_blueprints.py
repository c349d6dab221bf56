"""The folder of bad blueprints: each one must be refused with the message it names.

Every file in tests/bad/ holds one kind of bad input (multiple-problems.yaml holds three).
Its expectation is written in its first comment lines:

    # expect: LINE:COL: a distinctive part of the message
    # hint: a part of the hint line (optional; belongs to the `expect` above it)

Several `expect` lines mean several problems, reported at once, in this order. A file that
cannot hold a comment (an empty file, a file that is not UTF-8) has its expectation in
NO_COMMENT below. Lines count from 1 and include the comment lines themselves.

Each case runs `archgen render` in-process (helpers.invoke) on a copy of the file in tmp_path
(the working directory too), with a file already in the output folder, and checks: exit
status 1, exactly the expected `FILE:LINE:COL: error: MESSAGE` lines on stderr, no
traceback, and an output folder that is exactly as it was.
"""

from __future__ import annotations

import re
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import Result
from .helpers import invoke as run

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_file())

KEEP_NAME = "keep.txt"
KEEP_TEXT = "written before archgen ran; must stay exactly so\n"


@dataclass(frozen=True)
class Expect:
    line: int
    col: int
    message: str  # a substring of the message
    hint: str | None = None  # a substring of the `  hint:` line that follows it


# Files that cannot carry an `# expect:` comment line.
NO_COMMENT: dict[str, list[Expect]] = {
    "empty.yaml": [Expect(1, 1, "the blueprint is empty")],
    # b"title: Caf\xe9 ..." on line 2: the bad byte is the 11th character of the line.
    "non-utf8.yaml": [Expect(2, 11, "not valid UTF-8 (byte 0xe9)", "save the blueprint as UTF-8")],
}

_EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+):\s*(.+?)\s*$")
_HINT = re.compile(r"#\s*hint:\s*(.+?)\s*$")
_ERROR = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.*)$")


def expectations(name: str) -> list[Expect]:
    if name in NO_COMMENT:
        return NO_COMMENT[name]
    result: list[Expect] = []
    for raw in (BAD / name).read_text(encoding="utf-8").splitlines():
        if not raw.startswith("#"):
            break
        if m := _EXPECT.match(raw):
            result.append(Expect(int(m[1]), int(m[2]), m[3]))
        elif (m := _HINT.match(raw)) and result:
            last = result[-1]
            result[-1] = Expect(last.line, last.col, last.message, m[1])
    assert result, f"{name}: no `# expect: LINE:COL: message` line at the top"
    return result


@dataclass(frozen=True)
class Reported:
    file: str
    line: int
    col: int
    message: str
    hint: str | None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: error: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


def reported(stderr: str) -> list[Reported]:
    """The `FILE:LINE:COL: error:` lines of stderr, each with the hint line after it."""
    out: list[Reported] = []
    for raw in stderr.splitlines():
        if m := _ERROR.match(raw):
            out.append(Reported(m["file"], int(m["line"]), int(m["col"]), m["message"], None))
        elif raw.startswith("  hint: ") and out and out[-1].hint is None:
            last = out[-1]
            out[-1] = Reported(last.file, last.line, last.col, last.message, raw[len("  hint: "):])
    return out


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working directory, with an output folder holding one file."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / KEEP_NAME).write_text(KEEP_TEXT, encoding="utf-8")
    return tmp_path


def copy_case(name: str, workdir: Path) -> Path:
    target = workdir / name
    shutil.copyfile(BAD / name, target)
    return target


def invoke(*args: str) -> Result:
    return run(args)


def describe(result: Result) -> str:
    text = f"exit code {result.exit_code}\n--- stderr ---\n{result.stderr}"
    text += f"--- stdout ---\n{result.stdout}"
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        text += "--- exception ---\n" + "".join(traceback.format_exception(*result.exc_info))
    return text


def check_refused(result: Result, path: Path, expected: list[Expect]) -> list[Reported]:
    """Exit 1, no traceback, and exactly the expected problems, in order, on stderr."""
    info = describe(result)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"archgen crashed\n{info}"
    )
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, info
    assert result.exit_code == 1, info
    problems = reported(result.stderr)
    want = "\n".join(f"{path}:{e.line}:{e.col}: error: ...{e.message}..."
                     + (f"\n  hint: ...{e.hint}..." if e.hint else "") for e in expected)
    assert len(problems) == len(expected), (
        f"expected {len(expected)} problem(s):\n{want}\n{info}"
    )
    for got, exp in zip(problems, expected, strict=True):
        assert got.file == str(path), f"wrong file name in:\n{got}\nexpected:\n{want}\n{info}"
        assert (got.line, got.col) == (exp.line, exp.col), (
            f"wrong position:\n{got}\nexpected:\n{want}"
        )
        assert exp.message in got.message, f"wrong message:\n{got}\nexpected:\n{want}"
        if exp.hint is not None:
            assert got.hint is not None and exp.hint in got.hint, (
                f"wrong or missing hint:\n{got}\nexpected:\n{want}"
            )
    return problems


def check_untouched(workdir: Path, name: str) -> None:
    """Nothing written: the output folder as it was, no stray file in the working folder."""
    out = workdir / "out"
    assert sorted(p.name for p in out.iterdir()) == [KEEP_NAME]
    assert (out / KEEP_NAME).read_text(encoding="utf-8") == KEEP_TEXT
    assert sorted(p.name for p in workdir.iterdir()) == sorted([name, "out"])


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 35
    for name in CASES:
        assert expectations(name)


@pytest.mark.parametrize("name", CASES)
def test_render_refuses(name: str, workdir: Path) -> None:
    path = copy_case(name, workdir)
    result = invoke("render", str(path), "-o", str(workdir / "out"))
    check_refused(result, path, expectations(name))
    assert "rendered" not in result.stdout
    check_untouched(workdir, name)


@pytest.mark.parametrize("name", CASES)
def test_validate_refuses_with_the_same_first_message(name: str, workdir: Path) -> None:
    path = copy_case(name, workdir)
    validated = invoke("validate", str(path))
    problems = check_refused(validated, path, expectations(name))
    assert "OK" not in validated.stdout
    rendered = invoke("render", str(path), "-o", str(workdir / "out"))
    render_problems = reported(rendered.stderr)
    assert render_problems, describe(rendered)
    assert str(problems[0]) == str(render_problems[0])
    check_untouched(workdir, name)


def test_python_tag_is_never_executed(workdir: Path) -> None:
    # The payload would create MARKER in the working directory (tmp_path) if it ran.
    name = "python-tag.yaml"
    assert '!!python/object/apply:os.system ["touch MARKER"]' in (BAD / name).read_text()
    path = copy_case(name, workdir)
    for args in (["render", str(path), "-o", str(workdir / "out")], ["validate", str(path)],
                 ["compile", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 1, describe(result)
        assert not (workdir / "MARKER").exists(), f"archgen {args[0]} ran the tag's payload"
    check_untouched(workdir, name)
