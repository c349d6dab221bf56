"""Many blueprints at once: prepare's checks, the fallback sequence, outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

import arch.build
from arch.build import Options, prepare, render_files
from arch.errors import ArchError
from arch.model import Blueprint
from arch.render import Rendered

from .helpers import write

HEAD = "blueprint: 1\ntitle: T\nprovider: aws\n"


def test_an_alternative_icon_named_like_an_output_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bp.png").write_bytes(b"\x89PNG\r\n\x1a\n")
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
        raise ArchError.at(None, "the render failed: Graphviz: triangulation failed")

    monkeypatch.setattr(arch.build, "render", failing)
    path = write(tmp_path, HEAD + "nodes: [EC2, S3, SQS]\nedges: [ec2 -> s3]\n"
                                  "layout: {rows: [[ec2, s3], [sqs]]}\n")
    [outcome] = render_files([str(path)], tmp_path / "out", Options(arrange=False))
    assert outcome.error is not None and seen
    assert not any("style='invis'" in source for source in seen)
