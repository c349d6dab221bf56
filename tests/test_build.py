"""Many blueprints at once: prepare's checks, the fallback sequence, outcomes; and `archgen
build`: incremental builds, the manifest, the gallery, shards and their merge.

Small blueprints drawn to SVG keep these tests quick; every folder is in tmp_path.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

import arch.build
import arch.renders
from arch.build import (
    BlueprintEntry,
    FileEntry,
    Manifest,
    Options,
    Shard,
    VariantEntry,
    gallery_html,
    prepare,
    render_files,
)
from arch.errors import ArchError
from arch.files import image_size
from arch.model import Blueprint
from arch.render import GraphvizFailed, Rendered

from .conftest import ROOT
from .helpers import invoke, png, write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"


def test_an_alternative_icon_named_like_an_output_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bp.png").write_bytes(png())
    path = write(tmp_path, HEAD + "nodes: [EC2, S3]\nalternatives:\n"
                                  "  - {id: x, label: X, replace: [s3], "
                                  "with: {icon: bp.png, label: Mine}}\n")
    with pytest.raises(ArchError) as info:
        prepare(str(path))
    assert "has the name of an output file" in info.value.problems[0].message


def test_a_fallback_never_undoes_a_caller_s_option(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def failing(bp: Blueprint, source: str, out_dir: str | Path, timeout: float) -> Rendered:
        seen.append(source)
        raise GraphvizFailed.at(None, "the render failed: Graphviz: triangulation failed")

    monkeypatch.setattr(arch.renders, "render", failing)
    path = write(tmp_path, HEAD + "nodes: [EC2, S3, SQS]\nedges: [ec2 -> s3]\n"
                                  "layout: {rows: [[ec2, s3], [sqs]]}\n")
    [outcome] = render_files([str(path)], tmp_path / "out", Options(arrange=False))
    assert outcome.error is not None and seen
    assert not any("style='invis'" in source for source in seen)


# -- archgen build ---------------------------------------------------------------------------

ALPHA = """\
    blueprint: 1
    title: Alpha
    description: Two services & a <variant>
    provider: aws
    nodes: [EC2, RDS]
    edges: [ec2 -> rds]
    alternatives:
      - {id: serverless, label: On Lambda, replace: [ec2], with: {type: Lambda}}
    output: {formats: [svg]}
    """
BETA = """\
    blueprint: 1
    title: Beta
    provider: aws
    nodes: [S3, {icon: icons/s.png, label: Ours}]
    edges: [ours -> s3]
    output: {formats: [svg]}
    """


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(list(args))
    return result.exit_code, result.stdout, result.stderr


def summary(out: str) -> str:
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r"built \d+, unchanged \d+, removed \d+, failed \d+ in [\d.]+ s", last)
    return last.rsplit(" in ", 1)[0]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working folder) with blueprints/ holding two blueprints."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "blueprints"
    (folder / "icons").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "golden" / "icons" / "service.png", folder / "icons" / "s.png")
    write(folder, ALPHA, "alpha.yaml")
    write(folder, BETA, "beta.yaml")
    return tmp_path


def manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text())  # type: ignore[no-any-return]


@pytest.mark.graphviz
def test_build_draws_every_variant_then_nothing_when_unchanged(project: Path) -> None:
    code, out, err = run("build")
    assert code == 0, err
    assert summary(out) == "built 3, unchanged 0, removed 0, failed 0"
    assert "built blueprints/alpha.yaml (serverless) -> output/alpha--serverless.svg" in out
    assert sorted(p.name for p in (project / "output").iterdir()) == [
        ".archgen-tools.json", "alpha--serverless.svg", "alpha.svg", "beta.svg", "index.html",
        "manifest.json"]
    before = {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}
    code, out, _ = run("build")
    assert code == 0 and out.splitlines()[:-1] == []  # nothing drawn, nothing to say
    assert summary(out) == "built 0, unchanged 3, removed 0, failed 0"
    # nothing rewritten: not the pictures, not the manifest, not the gallery
    assert {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()} == before


@pytest.mark.graphviz
def test_changed_blueprint_redraws_only_its_own_files(project: Path) -> None:
    run("build")
    out_dir = project / "output"
    beta_before = (out_dir / "beta.svg").stat().st_mtime_ns
    write(project / "blueprints", ALPHA.replace("title: Alpha", "title: Alpha two"),
          "alpha.yaml")
    code, out, _ = run("build")
    assert code == 0 and summary(out) == "built 2, unchanged 1, removed 0, failed 0"
    assert (out_dir / "beta.svg").stat().st_mtime_ns == beta_before
    assert "Alpha two" in (out_dir / "alpha.svg").read_text()
    assert manifest(out_dir)["blueprints"][0]["title"] == "Alpha two"


@pytest.mark.graphviz
def test_changed_icon_file_redraws_the_blueprint_that_uses_it(project: Path) -> None:
    run("build")
    icon = project / "blueprints" / "icons" / "s.png"
    data = icon.read_bytes()
    text = b"tEXtComment\x00edited"  # a valid chunk before IEND: the same picture, new bytes
    chunk = struct.pack(">I", len(text) - 4) + text + struct.pack(">I", zlib.crc32(text))
    icon.write_bytes(data[:-12] + chunk + data[-12:])
    code, out, _ = run("build")
    assert summary(out) == "built 1, unchanged 2, removed 0, failed 0"
    assert "built blueprints/beta.yaml -> output/beta.svg" in out


@pytest.mark.graphviz
def test_options_and_missing_or_edited_files_are_inputs(project: Path) -> None:
    run("build")
    out_dir = project / "output"
    code, out, _ = run("build", "-f", "svg,dot")  # another option: everything again
    assert summary(out) == "built 3, unchanged 0, removed 0, failed 0"
    assert (out_dir / "beta.dot").is_file()
    (out_dir / "alpha.svg").unlink()
    (out_dir / "beta.dot").write_text("digraph { edited }")
    code, out, _ = run("build", "-f", "svg,dot")
    assert summary(out) == "built 2, unchanged 1, removed 0, failed 0"
    assert "edited" not in (out_dir / "beta.dot").read_text()
    code, out, _ = run("build", "-f", "svg")  # the DOT files are no longer made
    assert summary(out) == "built 3, unchanged 0, removed 3, failed 0"
    assert not list(out_dir.glob("*.dot"))


@pytest.mark.graphviz
def test_progress_bar_on_a_terminal(project: Path) -> None:
    """On a terminal: a bar while drawing, then the files, removals and the summary."""
    run("build")
    (project / "blueprints" / "beta.yaml").unlink()
    write(project / "blueprints", ALPHA.replace("Alpha", "Alpha two"), "alpha.yaml")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "arch", "build"], stdout=follower,
                            stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=120) == 0, seen.decode(errors="replace")
    text = seen.decode().replace("\r\n", "\n")
    assert re.search(r"drawing +\[#+\] +2/2", text)
    after = text[text.rindex("2/2"):]  # lines printed while the bar is drawn would garble it
    assert re.search(r"^built blueprints/alpha\.yaml -> output/alpha\.svg$", after, re.M)
    assert re.search(r"^removed output/beta\.svg$", after, re.M)
    assert text.rstrip().splitlines()[-1].startswith(
        "built 2, unchanged 0, removed 1, failed 0 in ")


@pytest.mark.graphviz
def test_force_redraws_everything(project: Path) -> None:
    run("build")
    code, out, _ = run("build", "--force", "-q")
    assert code == 0 and out == ""


@pytest.mark.graphviz
def test_removes_only_files_an_earlier_build_made(project: Path) -> None:
    out_dir = project / "output"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("mine")
    (out_dir / "alpha--old.svg").write_text("<svg/>")  # looks like archgen's, is not
    run("build")
    (project / "blueprints" / "alpha.yaml").unlink()
    code, out, _ = run("build")
    assert code == 0 and summary(out) == "built 0, unchanged 1, removed 2, failed 0"
    assert "removed output/alpha.svg" in out
    assert sorted(p.name for p in out_dir.iterdir() if not p.name.startswith(".")) == [
        "alpha--old.svg", "beta.svg", "index.html", "manifest.json", "notes.txt"]
    assert [f["file"] for f in manifest(out_dir)["files"]] == ["beta.svg"]


@pytest.mark.graphviz
def test_one_bad_blueprint_does_not_stop_the_others(project: Path) -> None:
    write(project / "blueprints", "blueprint: 1\ntitle: Bad\nnodes: [Lamda]\n", "bad.yaml")
    code, out, err = run("build")
    assert code == 1
    assert "blueprints/bad.yaml:3:9: error: unknown node type 'Lamda'" in err
    assert "Traceback" not in err
    assert summary(out) == "built 3, unchanged 0, removed 0, failed 1"
    # still failing the next time: a build does not turn green by forgetting an error
    code, out, err = run("build", "--quiet")
    assert code == 1 and out == "" and "bad.yaml:3:9: error" in err


@pytest.mark.graphviz
def test_failed_blueprint_keeps_its_earlier_files(project: Path) -> None:
    run("build")
    write(project / "blueprints", ALPHA.replace("[EC2, RDS]", "[EC2, RDS, Lamda]"),
          "alpha.yaml")
    code, out, _ = run("build")
    assert code == 1 and summary(out) == "built 0, unchanged 1, removed 0, failed 1"
    assert (project / "output" / "alpha.svg").is_file()
    assert "alpha.svg" in [f["file"] for f in manifest(project / "output")["files"]]


@pytest.mark.graphviz
def test_two_blueprints_with_one_output_name(project: Path) -> None:
    write(project / "blueprints", BETA.replace("formats", "name: alpha, formats"), "gamma.yaml")
    code, out, err = run("build")
    assert code == 1
    assert "blueprints/gamma.yaml:1:1: error: writes alpha.svg like blueprints/alpha.yaml" in err


@pytest.mark.graphviz
def test_manifest_lists_every_file_with_its_size_hash_pixels_and_versions(
        project: Path) -> None:
    run("build", "-f", "svg,png,dot")
    out_dir = project / "output"
    data = manifest(out_dir)
    assert set(data["versions"]) == {"archgen", "diagrams", "graphviz"}
    assert all(data["versions"].values())
    assert [(f["file"], f["blueprint"], f["variant"], f["format"]) for f in data["files"]] == [
        ("alpha.png", "blueprints/alpha.yaml", None, "png"),
        ("alpha.svg", "blueprints/alpha.yaml", None, "svg"),
        ("alpha.dot", "blueprints/alpha.yaml", None, "dot"),
        ("alpha--serverless.png", "blueprints/alpha.yaml", "serverless", "png"),
        ("alpha--serverless.svg", "blueprints/alpha.yaml", "serverless", "svg"),
        ("alpha--serverless.dot", "blueprints/alpha.yaml", "serverless", "dot"),
        ("beta.png", "blueprints/beta.yaml", None, "png"),
        ("beta.svg", "blueprints/beta.yaml", None, "svg"),
        ("beta.dot", "blueprints/beta.yaml", None, "dot")]
    for f in data["files"]:
        content = (out_dir / f["file"]).read_bytes()
        assert f["size"] == len(content)
        assert f["sha256"] == hashlib.sha256(content).hexdigest()
        if f["format"] == "png":
            assert (f["width"], f["height"]) == image_size(content)
        elif f["format"] == "svg":
            pt = re.search(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"', content)
            assert pt is not None
            assert f["width"] == round(float(pt[1]) * 4 / 3) > 0
        else:
            assert f["width"] is None and f["height"] is None
    alpha = data["blueprints"][0]
    assert (alpha["title"], alpha["description"]) == ("Alpha", "Two services & a <variant>")
    assert alpha["variants"] == [{"variant": None, "label": None},
                                 {"variant": "serverless", "label": "On Lambda"}]
    assert list(data["blueprints"][1]["icons"]) == ["icons/s.png"]
    text = (out_dir / "manifest.json").read_text()
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # the same inputs, built again from nothing: the same manifest
    shutil.rmtree(out_dir)
    run("build", "-f", "svg,png,dot")
    assert (out_dir / "manifest.json").read_text() == text


@pytest.mark.graphviz
def test_gallery_is_static_with_relative_links(project: Path) -> None:
    run("build", "-f", "svg,png")
    page = (project / "output" / "index.html").read_text()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<h2>Alpha</h2>" in page and "Two services &amp; a &lt;variant&gt;" in page
    assert "<strong>On Lambda</strong>" in page
    targets = re.findall(r'(?:src|href)="([^"#]+)"', page)
    assert sorted(set(targets)) == sorted(
        ["alpha--serverless.png", "alpha--serverless.svg", "alpha.png", "alpha.svg",
         "beta.png", "beta.svg", "manifest.json"])
    assert all((project / "output" / t).is_file() for t in targets)


def test_gallery_escapes_what_a_blueprint_says() -> None:
    hostile = '<script>alert(1)</script>" onload="x'
    page = gallery_html(Manifest(
        manifest=1, versions={"archgen": "1", "diagrams": "2", "graphviz": "3"},
        blueprints=[BlueprintEntry(blueprint="b/<x>.yaml", sha256="0", icons={}, title=hostile,
                                   description=hostile,
                                   variants=[VariantEntry(variant=None, label=None),
                                             VariantEntry(variant="v", label=hostile)])],
        files=[FileEntry(file=name, blueprint="b/<x>.yaml", variant=v, format="svg", size=1,
                         sha256="0", width=10, height=10, inputs="0")
               for name, v in (("x.svg", None), ("x--v.svg", "v"))]))
    assert "<script" not in page and '" onload="' not in page
    # the contents, the heading, the description, the caption, and three in the images' alt
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x") == 7
    assert 'id="b--x--yaml"' in page  # an anchor of letters, digits and dashes


def test_gallery_anchors_are_unique_when_blueprint_paths_read_alike() -> None:
    """`a b.yaml` and `a-b.yaml` (and a variant named like another blueprint's path) each
    get an id of their own, so every link of the contents finds its own section."""
    names = ["b/a b.yaml", "b/a-b.yaml", "b/a-b.yaml--v.yaml"]
    page = gallery_html(Manifest(
        manifest=1, versions={"archgen": "1", "diagrams": "2", "graphviz": "3"},
        blueprints=[BlueprintEntry(blueprint=n, sha256="0", icons={}, title=n, description="",
                                   variants=[VariantEntry(variant=None, label=None),
                                             VariantEntry(variant="v", label=None)])
                    for n in names],
        files=[FileEntry(file=f"{i}{'--v' if v else ''}.svg", blueprint=n, variant=v,
                         format="svg", size=1, sha256="0", width=10, height=10, inputs="0")
               for i, n in enumerate(names) for v in (None, "v")]))
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 3 + 6  # three sections, six figures
    links = re.findall(r'href="#([^"]+)"', page)
    assert len(links) == 3 and set(links) <= set(ids) and len(set(links)) == 3


@pytest.mark.graphviz
def test_a_blueprint_outside_the_working_folder_is_named_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_variants = ALPHA.split("    alternatives")[0] + "    output: {formats: [svg]}\n"
    (tmp_path / "elsewhere").mkdir()
    write(tmp_path / "elsewhere", no_variants, "alpha.yaml")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    code, out, err = run("build", "../elsewhere", "-o", "out")
    assert code == 0, err
    data = manifest(tmp_path / "work" / "out")
    assert [b["blueprint"] for b in data["blueprints"]] == ["../elsewhere/alpha.yaml"]
    published = (tmp_path / "work" / "out" / "manifest.json").read_text()
    published += (tmp_path / "work" / "out" / "index.html").read_text()
    assert str(tmp_path) not in published
    assert summary(run("build", "../elsewhere", "-o", "out")[1]).startswith("built 0, unchanged 1")


@pytest.mark.graphviz
def test_a_manifest_naming_files_outside_the_folder_is_not_trusted(project: Path) -> None:
    run("build")
    out_dir = project / "output"
    victim = project / "victim.svg"
    victim.write_text("<svg/>")
    data = manifest(out_dir)
    data["files"].append({**data["files"][0], "file": "../victim.svg"})
    (out_dir / "manifest.json").write_text(json.dumps(data))
    code, out, _ = run("build")
    assert code == 0 and victim.exists()
    assert summary(out) == "built 3, unchanged 0, removed 0, failed 0"  # no record: all again


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium: `make test` installs it (scripts/ensure-chromium.sh)")


def _chromium(*args: str, profile: Path) -> str:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.graphviz
def test_gallery_in_headless_chromium_loads_every_image(project: Path, tmp_path: Path) -> None:
    code, _, err = run("build", "-f", "svg,png")
    assert code == 0, err
    out_dir = project / "output"
    # A copy of the page with a script that writes each image's natural width into the DOM
    # once the page has loaded (the gallery itself has no script).
    check = out_dir / "check.html"
    check.write_text((out_dir / "index.html").read_text().replace("</body>", """<script>
window.addEventListener("load", () => {
  const seen = Array.from(document.images, i => [i.getAttribute("src"), i.naturalWidth]);
  document.body.setAttribute("data-images", JSON.stringify(seen));
});
</script></body>"""))
    dom = _chromium("--virtual-time-budget=20000", "--dump-dom", check.as_uri(),
                    profile=tmp_path / "profile")
    found = re.search(r'data-images="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    seen = dict(json.loads(html.unescape(found[1])))
    widths = {f["file"]: f["width"] for f in manifest(out_dir)["files"]}
    assert sorted(seen) == ["alpha--serverless.png", "alpha.png", "beta.png"]
    for src, natural in seen.items():
        assert natural > 0 and natural == widths[src]
    shot = tmp_path / "gallery.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,1600",
              (out_dir / "index.html").as_uri(), profile=tmp_path / "profile")
    assert image_size(shot.read_bytes()) == (1200, 1600)


@pytest.mark.graphviz
def test_shards_merge_into_exactly_the_unsharded_build(project: Path) -> None:
    for name, text in (("gamma.yaml", ALPHA.replace("Alpha", "Gamma")),
                       ("delta.yaml", ALPHA.replace("Alpha", "Delta"))):
        write(project / "blueprints", text, name)
    code, out, err = run("build", "-o", "whole")
    assert code == 0, err
    shares = []
    for k in (1, 2, 3):
        code, out, err = run("build", "--shard", f"{k}/3", "-o", f"shard-{k}")
        assert code == 0, err
        shares.append({f["file"] for f in manifest(project / f"shard-{k}")["files"]})
    every = {f["file"] for f in manifest(project / "whole")["files"]}
    assert len(every) == 7 and sum(map(len, shares)) == 7 and set().union(*shares) == every
    code, out, err = run("build", "--merge", "shard-1", "shard-2", "shard-3", "-o", "merged")
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("copied 7, unchanged 0, removed 0, failed 0")

    def listing(folder: str) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in (project / folder).iterdir()
                if not p.name.startswith(".")}

    assert listing("merged") == listing("whole")
    # the merged folder is a build folder like any other: nothing to draw there
    code, out, _ = run("build", "-o", "merged")
    assert summary(out) == "built 0, unchanged 7, removed 0, failed 0"


@pytest.mark.graphviz
def test_merge_refuses_a_shard_file_that_does_not_match_its_manifest(project: Path) -> None:
    run("build", "--shard", "1/2", "-o", "shard-1")
    run("build", "--shard", "2/2", "-o", "shard-2")
    run("build", "--merge", "shard-1", "shard-2", "-o", "merged")
    before = {p.name: p.read_bytes() for p in (project / "merged").iterdir()}
    edited = sorted((project / "shard-2").glob("*.svg"))[0]
    edited.write_text("<svg/>")
    (project / "merged" / edited.name).unlink()
    del before[edited.name]
    code, _, err = run("build", "--merge", "shard-1", "shard-2", "-o", "merged")
    assert code == 1
    assert f"{edited.name}:1:1: error: does not match its shard's manifest" in err
    assert {p.name: p.read_bytes() for p in (project / "merged").iterdir()} == before


def test_shard_shares_are_stable_and_whole() -> None:
    renders = [(f"blueprints/b{i}.yaml", v) for i in range(40) for v in (None, "x", "y")]
    shares = [[r for r in renders if Shard(k, 3).holds(*r)] for k in (1, 2, 3)]
    assert sorted(map(str, sum(shares, []))) == sorted(map(str, renders))
    assert all(len(s) > 20 for s in shares)  # a fair share each, by a hash
    # one more blueprint moves no other render
    more = renders + [("blueprints/new.yaml", None)]
    assert [[r for r in more if Shard(k, 3).holds(*r) and r in renders]
            for k in (1, 2, 3)] == shares


@pytest.mark.parametrize("args,message", [
    (["--shard", "4/3"], "is not K/N"),
    (["--shard", "x"], "is not K/N"),
    (["--merge", "a", "--force"], "--merge joins built folders"),
])
def test_build_bad_usage_exits_2(args: list[str], message: str) -> None:
    code, _, err = run("build", *args)
    assert code == 2 and message in err


def test_merge_of_a_folder_without_manifest_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--merge", str(tmp_path), "-o", str(tmp_path / "out"))
    assert code == 1 and "no manifest.json of archgen build in this folder" in err


def _dot_wrapper(tmp_path: Path, body: str) -> dict[str, str]:
    """An environment whose `dot` runs `body` (a shell snippet) before the real dot."""
    real = shutil.which("dot")
    assert real is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f'#!/bin/sh\n{body}\nexec "{real}" "$@"\n')
    (bin_dir / "dot").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.graphviz
def test_unchanged_build_imports_no_diagrams_and_starts_no_graphviz(project: Path) -> None:
    log = project / "dot.log"
    env = _dot_wrapper(project, f'echo "$@" >> "{log}"')
    command = [sys.executable, "-X", "importtime", "-m", "arch", "build"]
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert log.read_text() and re.search(r"\| +diagrams$", first.stderr, re.M)
    log.unlink()
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "built 0, unchanged 3" in again.stdout
    assert not re.search(r"\| +diagrams(\.\w+)*$", again.stderr, re.M)
    assert not log.exists()


@pytest.mark.graphviz
def test_killed_build_leaves_a_record_trusted_for_what_finished(project: Path) -> None:
    """dot hangs on the second blueprint; the build is killed; the next build keeps the
    first blueprint's files and draws only the second."""
    release = project / "release"
    hanging = project / "hanging"
    env = _dot_wrapper(project, f'case "$*" in *beta*) touch "{hanging}"; '
                                f'while [ ! -e "{release}" ]; do sleep 0.05; done; exit 1;; esac')
    no_variants = ALPHA.split("    alternatives")[0] + "    output: {formats: [svg]}\n"
    write(project / "blueprints", no_variants, "alpha.yaml")
    proc = subprocess.Popen([sys.executable, "-m", "arch", "build", "-j", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        record = project / "output" / "manifest.json"
        # alpha recorded and beta's dot hanging inside its render's work folder, so the kill
        # lands while a render is in flight whatever the machine's load
        while not (record.exists() and "alpha.svg" in record.read_text() and hanging.exists()
                   and any((project / "output").glob(".archgen-*/"))):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        release.touch()  # the hanging dot (in a session of its own) ends too
    assert [f["file"] for f in manifest(project / "output")["files"]] == ["alpha.svg"]
    # the killed render's work folder: the next build removes it, since no living process
    # holds its lock (whatever its age)
    [left] = (project / "output").glob(".archgen-*/")
    code, out, err = run("build")
    assert code == 0, err
    assert summary(out) == "built 1, unchanged 1, removed 0, failed 0"
    assert "built blueprints/beta.yaml" in out
    assert not left.exists()


def test_an_icon_named_like_an_output_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bp.png").write_bytes(png())
    path = write(tmp_path, HEAD + "nodes: [{icon: bp.png, label: Mine}, S3]\n")
    with pytest.raises(ArchError) as info:
        prepare(str(path))
    assert "has the name of an output file" in info.value.problems[0].message


@pytest.mark.graphviz
def test_row_order_flag_in_options() -> None:
    [(_, with_rows)] = prepare(str(ROOT / "blueprints" / "aws-web-app.yaml"))
    [(_, without)] = prepare(str(ROOT / "blueprints" / "aws-web-app.yaml"),
                             Options(row_order=False))
    assert "@row1" in with_rows and "@row1" not in without


def _damage(data: dict, damage: str) -> None:  # type: ignore[type-arg]
    """One field of a manifest as a hand edit, another tool or a cut-short copy leaves it."""
    if damage == "file without variant":
        del data["files"][0]["variant"]
    elif damage == "format null":
        data["files"][0]["format"] = None
    elif damage == "variant entry of another shape":
        data["blueprints"][0]["variants"] = [{"x": 1}]
    elif damage == "title a number":
        data["blueprints"][0]["title"] = 7
    elif damage == "icons a list":
        data["blueprints"][1]["icons"] = ["icons/s.png"]
    elif damage == "size a string":
        data["files"][0]["size"] = "12"
    else:
        data["blueprints"] = {}


DAMAGES = ["file without variant", "format null", "variant entry of another shape",
           "title a number", "icons a list", "size a string", "blueprints a mapping"]


@pytest.mark.graphviz
@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_manifest_is_no_record_the_build_draws_all_again(
        project: Path, damage: str) -> None:
    run("build")
    out_dir = project / "output"
    data = manifest(out_dir)
    _damage(data, damage)
    (out_dir / "manifest.json").write_text(json.dumps(data))
    code, out, err = run("build")
    assert (code, err) == (0, "")
    assert summary(out) == "built 3, unchanged 0, removed 0, failed 0"
    assert arch.build.read_manifest(out_dir) is not None  # a true record again


@pytest.mark.graphviz
@pytest.mark.parametrize("damage", DAMAGES)
def test_merge_of_a_damaged_shard_manifest_is_a_positioned_error(
        project: Path, damage: str) -> None:
    run("build", "-o", "shard")
    data = manifest(project / "shard")
    _damage(data, damage)
    (project / "shard" / "manifest.json").write_text(json.dumps(data))
    code, out, err = run("build", "--merge", "shard", "-o", "joined")
    assert code == 1 and "Traceback" not in out + err
    assert err.startswith("shard/manifest.json:1:1: error: is not a manifest of archgen build")
    assert not (project / "joined").exists()


def test_a_build_where_every_blueprint_fails_leaves_no_folder(project: Path) -> None:
    shutil.rmtree(project / "blueprints")
    (project / "blueprints").mkdir()
    write(project / "blueprints", "blueprint: 1\ntitle: Bad\nnodes: [Lamda]\n", "bad.yaml")
    code, _, err = run("build", "-o", "site/diagrams")
    assert code == 1 and "bad.yaml:3:9: error" in err
    assert not (project / "site").exists()  # nor the folder above it, made for the lock


def test_a_build_where_every_blueprint_fails_writes_nothing_into_its_folder(
        project: Path) -> None:
    shutil.rmtree(project / "blueprints")
    (project / "blueprints").mkdir()
    write(project / "blueprints", "blueprint: 1\ntitle: Bad\nnodes: [Lamda]\n", "bad.yaml")
    (project / "output").mkdir()
    code, _, _ = run("build")
    assert code == 1
    assert list((project / "output").iterdir()) == []  # no manifest, no Graphviz record


def test_checking_a_blueprint_answers_to_the_build_timeout(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(path: str, options: Options) -> Blueprint:
        time.sleep(60)
        raise AssertionError("not stopped")

    monkeypatch.setattr(arch.build, "check", slow)
    shutil.rmtree(project / "blueprints")
    (project / "blueprints").mkdir()
    write(project / "blueprints", ALPHA, "alpha.yaml")
    code, out, err = run("build", "--timeout", "1")
    assert code == 1
    assert "blueprints/alpha.yaml:1:1: error: checking it took longer than --timeout 1 s" in err
    assert summary(out) == "built 0, unchanged 0, removed 0, failed 1"
    assert not (project / "output").exists()


def test_blueprints_are_found_in_an_output_folder_that_holds_them(tmp_path: Path) -> None:
    """`build bp -o bp` (or `-o .`) left out every blueprint under the output folder: it
    drew nothing, said nothing and exited 0. Only an output folder inside the searched one
    is left out."""
    from arch.build import find_blueprints

    folder = tmp_path / "bp"
    folder.mkdir()
    write(folder, HEAD + "nodes: [EC2]\n", "a.yaml")
    (folder / "out").mkdir()
    write(folder / "out", HEAD + "nodes: [S3]\n", "stray.yaml")
    for out in (folder, tmp_path):
        found, errors = find_blueprints([str(folder)], out)
        assert ([Path(f).name for f in found], errors) == (["a.yaml", "stray.yaml"], [])
    found, _ = find_blueprints([str(folder)], folder / "out")
    assert [Path(f).name for f in found] == ["a.yaml"]
