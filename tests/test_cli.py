"""The archgen command, run in-process (helpers.invoke); every file in tmp_path."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from arch import __version__

from .conftest import ROOT
from .helpers import invoke, png, write

SEED = str(ROOT / "blueprints" / "aws-web-app.yaml")
COMMANDS = ["render", "build", "compile", "validate", "nodes", "schema"]


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert (code, out) == (0, f"archgen, version {__version__}\n")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help_with_an_example(command: str | None) -> None:
    code, out, _ = run(*([command] if command else []), "--help")
    assert code == 0
    assert "Example:" in out and "archgen " in out


def test_python_dash_m_arch() -> None:
    proc = subprocess.run([sys.executable, "-m", "arch", "--version"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("archgen, version")


def test_the_command_does_not_wait_for_threads_a_timeout_left() -> None:
    """Threads of an arrangement's search that --timeout stopped, still measuring a drawing,
    do not hold the command as it ends (Python waits for every thread of a pool)."""
    code = ("import threading, time\nimport arch.__main__, arch.cli\n"
            "def main() -> int:\n"
            "    threading.Thread(target=time.sleep, args=(600,)).start()\n"
            "    return 1\n"
            "arch.cli.main = main\narch.__main__.run()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=60)  # without it, 600 s
    assert (proc.returncode, proc.stderr) == (1, "")


@pytest.mark.parametrize("command", ["validate", "compile", "schema"])
def test_a_closed_standard_output_is_no_traceback(command: str, tmp_path: Path) -> None:
    """`archgen validate a.yaml >&-`: Python's sys.stdout is None, which Click's echo
    passed over and run()'s flush and sys.stdout.write did not (AttributeError)."""
    bp = write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n")
    args = [command] if command == "schema" else [command, str(bp)]
    proc = subprocess.run(["sh", "-c", 'exec "$0" -m arch "$@" >&-', sys.executable, *args],
                          stderr=subprocess.PIPE, text=True, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_validate_counts() -> None:
    code, out, err = run("validate", SEED)
    assert (code, err) == (0, "")
    assert out == "OK aws-web-app (38 nodes, 20 groups, 30 edges)\n"


def test_validate_reports_every_file(tmp_path: Path) -> None:
    good = write(tmp_path, "blueprint: 1\ntitle: G\nnodes: [aws.compute.EC2]\n", "good.yaml")
    bad = write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [Lamda]\n", "bad.yaml")
    code, out, err = run("validate", str(bad), str(good))
    assert code == 1
    assert out == "OK good (1 nodes, 0 groups, 0 edges)\n"
    assert err.startswith(f"{bad}:3:9: error: unknown node type 'Lamda'\n  hint: did you mean")


def test_files_may_come_between_options(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """As Click let them: `validate a.yaml -f svg b.yaml`; after `--`, files only, even one
    starting with a dash."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n", "one.yaml")
    write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [aws.compute.EC2]\n", "-two.yaml")
    code, out, err = run("validate", "one.yaml", "-f", "svg", "--max-nodes", "5", "x.yaml")
    assert (code, out) == (1, "OK one (1 nodes, 0 groups, 0 edges)\n")
    assert err == "archgen: error: x.yaml: no such file\n"
    code, out, err = run("validate", "-f", "svg", "--", "-two.yaml", "one.yaml")
    assert (code, err) == (0, "")
    assert out == "OK -two (1 nodes, 0 groups, 0 edges)\nOK one (1 nodes, 0 groups, 0 edges)\n"


def test_files_before_and_after_double_dash(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A file before the options, and one after `--` that starts with a dash (argparse took
    either alone, not both: 'unrecognized arguments: -- -two.yaml')."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n", "one.yaml")
    write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [aws.compute.EC2]\n", "-two.yaml")
    code, out, err = run("validate", "one.yaml", "-f", "svg", "--", "-two.yaml")
    assert (code, err) == (0, "")
    assert out == "OK one (1 nodes, 0 groups, 0 edges)\nOK -two (1 nodes, 0 groups, 0 edges)\n"
    code, _, err = run("validate", "one.yaml", "-f", "gif", "--", "-two.yaml")
    assert code == 2 and "Error: argument -f/--format: 'gif' is not one of" in err
    code, _, err = run("compile", "one.yaml", "--", "-two.yaml")
    assert code == 2 and err.endswith("Error: unrecognized arguments: -two.yaml\n")


@pytest.mark.parametrize("command", ["render", "build", "compile"])
def test_a_timeout_that_is_no_number_is_a_usage_error(command: str) -> None:
    """`--timeout nan` passed every bound, then setitimer raised a traceback."""
    result = invoke([command, "x.yaml", "--timeout", "nan"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "Error: argument --timeout: nan is not in the range 1.0<=x<=86400.0." in result.stderr


def test_printed_lines_come_before_the_errors_said_after_them(tmp_path: Path) -> None:
    """Into one pipe (a CI log), without PYTHONUNBUFFERED: a file's line comes as it is
    printed, before the next file's error (print wrote a pipe in one block at the end)."""
    write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n", "one.yaml")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run([sys.executable, "-m", "arch", "validate", "one.yaml", "x.yaml"],
                          cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stdout == ("OK one (1 nodes, 0 groups, 0 edges)\n"
                           "archgen: error: x.yaml: no such file\n")


def test_a_file_name_not_in_utf8_is_printed_without_a_traceback(tmp_path: Path) -> None:
    """Where the locale encodes standard output strictly (en_US.UTF-8), `OK NAME` of a file
    named in other bytes was a UnicodeEncodeError: it is written as standard error would."""
    write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n",
          os.fsdecode(b"x\xff.yaml"))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.run([sys.executable, "-m", "arch", "validate", os.fsdecode(b"x\xff.yaml")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == "OK x\\udcff (1 nodes, 0 groups, 0 edges)\n"


def test_options_are_written_whole() -> None:
    """As with Click: `--all` is not taken for `--all-variants` (argparse's abbreviations)."""
    code, _, err = run("render", "x.yaml", "--all")
    assert code == 2 and err.endswith("Error: unrecognized arguments: --all\n")


def test_an_output_file_without_a_name_is_a_usage_error() -> None:
    """`compile -o ''` was a ValueError traceback (PosixPath('.') has an empty name)."""
    result = invoke(["compile", "x.yaml", "-o", ""])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.stderr.endswith("Error: argument -o/--output: File '' has no name.\n")


@pytest.mark.graphviz
def test_render_default_formats_and_names(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: R\nnodes: [aws.compute.EC2]\n", "my.yaml")
    code, out, err = run("render", str(path), "-o", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["my.png", "my.svg"]
    assert out.startswith(f"rendered {path} -> ")


@pytest.mark.graphviz
def test_render_format_options(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: R\nnodes: [aws.compute.EC2]\n"
                           "output: {name: custom, formats: [pdf]}\n")
    out = tmp_path / "out"
    assert run("render", str(path), "-o", str(out))[0] == 0
    assert [p.name for p in out.iterdir()] == ["custom.pdf"]
    assert run("render", str(path), "-o", str(out), "-f", "svg,dot", "-f", "png",
               "--dpi", "150")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "custom.dot", "custom.pdf", "custom.png", "custom.svg"]
    assert re.search(r'\bdpi="?150"?', (out / "custom.dot").read_text())


@pytest.mark.parametrize("args", [
    ["render", "x.yaml", "-f", "gif"],
    ["render", "x.yaml", "--dpi", "0"],
    ["render"],
    ["nosuchcommand"],
    ["nodes", "--provider", "nope"],
])
def test_bad_usage_exits_2(args: list[str]) -> None:
    assert run(*args)[0] == 2


@pytest.mark.parametrize("shard", ["3/2", "0/2", "²/3", "a/b", "2"])
def test_a_bad_shard_is_said_as_k_of_n(shard: str) -> None:
    """'²' is a digit to str.isdigit, not to int(): argparse said 'invalid _shard value'."""
    code, _, err = run("build", "--shard", shard)
    assert code == 2
    assert err.endswith(f"Error: argument --shard: {shard!r} is not K/N with 1 <= K <= N, "
                        f"e.g. 2/3\n")


@pytest.mark.graphviz
def test_render_bad_and_good_together(tmp_path: Path) -> None:
    good = write(tmp_path, "blueprint: 1\ntitle: G\nnodes: [aws.compute.EC2]\n", "good.yaml")
    bad = write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [EC2]\ncolour: red\n", "bad.yaml")
    code, out, err = run("render", str(bad), str(good), "-o", str(tmp_path / "out"))
    assert code == 1
    assert f"{bad}:4:1: error: unknown key 'colour' in the blueprint" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.png", "good.svg"]


def test_missing_file() -> None:
    code, _, err = run("validate", "/nonexistent/x.yaml")
    assert code == 1 and err == "archgen: error: /nonexistent/x.yaml: no such file\n"


@pytest.mark.parametrize("command", ["render", "validate", "compile"])
def test_a_folder_given_as_a_blueprint_is_told_build_or_a_glob(command: str,
                                                               tmp_path: Path) -> None:
    """`archgen render ../mine` was argparse's "File '../mine' is a directory" (exit 2),
    with no word of what reads a folder."""
    (tmp_path / "mine").mkdir()
    folder = str(tmp_path / "mine")
    output = {"render": ["-o", str(tmp_path / "out")],
              "compile": ["-o", str(tmp_path / "out" / "x.py")]}.get(command, [])
    code, out, err = run(command, folder, *output)
    assert (code, out) == (1, "")
    assert err == (f"archgen: error: {folder}: is a folder, not a blueprint file\n"
                   f"  hint: `archgen build {folder}` draws every blueprint under it (and "
                   f"every variant); or name its files: `{folder}/*.yaml`\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.graphviz
def test_two_blueprints_with_one_output_name(tmp_path: Path) -> None:
    a = write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n"
                        "output: {name: same}\n", "a.yaml")
    b = write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [aws.compute.EC2]\n"
                        "output: {name: same}\n", "b.yaml")
    code, _, err = run("render", str(a), str(b), "-o", str(tmp_path / "out"))
    assert code == 1 and "writes same.* like" in err


@pytest.mark.graphviz
def test_compile_prints_the_program_render_runs(tmp_path: Path) -> None:
    code, out, _ = run("compile", SEED)
    assert code == 0 and out.startswith('"""Architecture diagram generated by archgen.')
    target = tmp_path / "prog.py"
    assert run("compile", SEED, "-o", str(target)) == (0, f"wrote {target}\n", "")
    assert target.read_text() == out


@pytest.mark.graphviz
def test_theme_option_draws_a_blueprint_in_the_other_theme(tmp_path: Path) -> None:
    # Light and dark pictures of one blueprint took a copy of it with `theme:` changed.
    body = ("blueprint: 1\ntitle: T\nprovider: aws\nnodes: [Users, EC2]\n"
            "edges: [users -> ec2]\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    light = write(tmp_path / "a", body, "bp.yaml")
    dark = write(tmp_path / "b", body.replace("title: T\n", "title: T\ntheme: dark\n"),
                 "bp.yaml")
    code, by_option, _ = run("compile", str(light), "--theme", "dark")
    assert code == 0 and by_option == run("compile", str(dark))[1]
    assert run("compile", str(dark), "--theme", "light")[1] == run("compile", str(light))[1]
    code, _, _ = run("render", str(light), "--theme", "dark", "-f", "svg",
                     "-o", str(tmp_path / "out"))
    svg = (tmp_path / "out" / "bp.svg").read_text()
    background = re.search(r'<g id="graph0".*?<polygon fill="([^"]+)"', svg, re.S)
    assert code == 0 and background is not None
    assert background[1].lower() == "#131a22"  # styles.THEMES["dark"].background


def test_compile_writes_into_a_pipe_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    """`-o` a device or a pipe (/dev/stdout, /dev/null) is written to, not replaced by a
    file: as root, `compile -o /dev/null` left /dev/null a regular file."""
    bp = write(tmp_path, "blueprint: 1\ntitle: P\nnodes: [aws.compute.EC2]\n")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so that the writer's open returns
    try:
        code, out, _ = run("compile", str(bp), "-o", str(pipe))
        received = os.read(reader, 1 << 20).decode()
    finally:
        os.close(reader)
    assert (code, out) == (0, f"wrote {pipe}\n")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received == run("compile", str(bp))[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bp.yaml", "pipe"]


def test_compile_error_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path, "blueprint: 1\ntitle: B\nnodes: [Lamda]\n", "bad.yaml")
    target = tmp_path / "prog.py"
    code, out, err = run("compile", str(bad), "-o", str(target))
    assert code == 1 and out == "" and "unknown node type" in err
    assert not target.exists()


def test_nodes_search() -> None:
    code, out, _ = run("nodes", "load balancer", "--provider", "aws")
    assert code == 0
    assert out.splitlines()[0].startswith("aws.network.ELB ")
    assert "Elastic Load Balancer" in out.splitlines()[0]
    code, _, err = run("nodes", "zzzzqqq")
    assert code == 1 and "no node type matches" in err


@pytest.mark.parametrize("query", ["(", "*", "--", "ÄÖ", "?!"])
def test_nodes_with_a_query_of_no_name_characters_matches_nothing(query: str) -> None:
    """Not the whole catalog, as if no query were given."""
    code, out, err = run("nodes", "--", query)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == f"no node type matches {query!r}"


def test_nodes_with_a_huge_query_does_not_echo_it_whole() -> None:
    code, out, err = run("nodes", "--", "q" * 100_000)
    assert (code, out) == (1, "")
    assert len(err) < 200 and "(100000 characters)" in err


def test_schema_command_matches_the_repository_file() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert out == (ROOT / "schema" / "blueprint.schema.json").read_text(encoding="utf-8")
    assert json.loads(out)["title"].startswith("archgen blueprint")


def test_shipped_blueprints_point_editors_at_the_schema() -> None:
    for path in sorted((ROOT / "blueprints").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert re.fullmatch(r"# yaml-language-server: \$schema=\.\./schema/blueprint\.schema"
                            r"\.json", first), path.name


def test_validate_makes_every_check_render_makes(tmp_path: Path) -> None:
    (tmp_path / "bp.png").write_bytes(png())
    icon = write(tmp_path, "blueprint: 1\ntitle: I\nnodes: [{icon: bp.png, label: Mine}]\n")
    code, _, err = run("validate", str(icon))
    assert code == 1 and "has the name of an output file" in err
    nodes = ", ".join(f"{{id: n{i}, type: aws.compute.EC2}}" for i in range(30))
    big = write(tmp_path, f"blueprint: 1\ntitle: L\nnodes: [{nodes}]\n", "big.yaml")
    code, _, err = run("validate", str(big), "--max-nodes", "20")
    assert code == 1 and "has 30 nodes, more than the limit of 20" in err
    code, _, err = run("validate", str(big), "--max-edges", "1")
    assert code == 0, err


# What only drawing or building needs: `archgen validate` must not pay for importing it.
_DRAWING_ONLY = ("diagrams", "graphviz", "arch.build", "arch.renders", "arch.compile",
                 "arch.arrange", "arch.files", "arch.render", "arch.program", "arch.icons",
                 "arch.raster",
                 "hashlib", "subprocess", "shutil", "tempfile", "concurrent", "html", "xml",
                 "difflib")
_MODULES_OF_VALIDATE = """\
import json, runpy, sys
out, sys.argv = sys.argv[2], ["archgen", "validate", sys.argv[1]]
try:
    runpy.run_module("arch", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
with open(out, "w") as f:
    json.dump(sorted(sys.modules), f)
"""


def test_validate_imports_nothing_only_drawing_needs(tmp_path: Path) -> None:
    out = tmp_path / "modules.json"
    for _ in range(2):  # the first run may build the catalog's index (importing diagrams)
        subprocess.run([sys.executable, "-c", _MODULES_OF_VALIDATE, SEED, str(out)],
                       cwd=ROOT, check=True, capture_output=True)
    modules = json.loads(out.read_text())
    assert "arch.validate" in modules and "yaml" in modules
    assert [m for m in modules if m.split(".")[0] in _DRAWING_ONLY
            or m.startswith(_DRAWING_ONLY)] == []
    # Nor for typing (2 ms): its modules write `TYPE_CHECKING = False` (see arch/__init__.py)
    # and import from typing under it; nor for Click (6 ms: argparse parses the options).
    assert [m for m in modules if m.split(".")[0] in ("typing", "click")] == []


_PASSES_WHILE_IMPORTING = """\
import gc, sys
during = []  # a pass of the collector while arch.cli is being imported (no `main` yet)
gc.callbacks.append(lambda phase, info: phase == "start" and during.append(
    "arch.cli" in sys.modules and not hasattr(sys.modules["arch.cli"], "main")))
gc.set_threshold(1)  # a pass at every allocation, unless the collector is off
sys.argv = ["archgen", "--version"]
from arch.__main__ import run
try:
    run()
except SystemExit:
    pass
print(any(during), gc.isenabled())
"""


_RENDER_OF_THE_PACKAGE = """\
import importlib, sys
first = sys.argv[1]
if first:
    importlib.import_module(first)  # arch/render.py imported on the way, or not at all
import arch
module = importlib.import_module("arch.render")
from arch import render
print(render is module.render is arch.render, callable(render))
"""


@pytest.mark.parametrize("first", ["", "arch.render", "arch.build"])
def test_arch_render_is_the_function_however_it_was_imported(first: str) -> None:
    """`import arch` no longer brings arch/render.py (validate must not pay for it), and
    importing it later must not turn the API's `arch.render` into the module."""
    proc = subprocess.run([sys.executable, "-c", _RENDER_OF_THE_PACKAGE, first], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["True", "True"]


def test_the_command_imports_its_modules_with_the_collector_off() -> None:
    proc = subprocess.run([sys.executable, "-c", _PASSES_WHILE_IMPORTING], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert proc.stdout.split()[-2:] == ["False", "True"]


def test_compile_answers_to_its_timeout_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import arch.renders

    def slow(path: str, options: object) -> object:
        time.sleep(60)  # as a search of many drawings would
        raise AssertionError("not stopped")

    monkeypatch.setattr(arch.renders, "prepare", slow)
    path = write(tmp_path, "blueprint: 1\ntitle: T\nnodes: [EC2]\n")
    result = invoke(["compile", str(path), "-o", str(tmp_path / "p.py"),
                     "--timeout", "1"])
    assert result.exit_code == 1
    assert "error: stopped after --timeout 1 s" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bp.yaml"]


def test_command_line_choices_are_matched_in_any_case(tmp_path: Path) -> None:
    """`-f PNG` was taken and `--theme Dark`, `-p AWS` refused: all alike now."""
    path = write(tmp_path, "blueprint: 1\ntitle: A\nnodes: [aws.compute.EC2]\n", "one.yaml")
    code, out, err = run("validate", str(path), "-f", "PNG,Svg")
    assert (code, err) == (0, "")
    code, out, err = run("compile", str(path), "--theme", "DARK")
    assert (code, err) == (0, "") and "bgcolor" in out
    code, out, _ = run("nodes", "load balancer", "-p", "AWS")
    assert code == 0 and out.splitlines()[0].startswith("aws.network.ELB ")
    code, _, err = run("compile", str(path), "--theme", "darker")
    assert code == 2 and "invalid choice: 'darker'" in err


def test_nodes_says_a_vendors_product_has_no_icon() -> None:
    """Not `no node type matches`: the product exists, diagrams draws no icon of it."""
    code, _, err = run("nodes", "Datastream", "-p", "gcp")
    assert code == 1
    assert err.startswith("Google Cloud's 'Datastream' has no icon in diagrams\n  hint: ")
