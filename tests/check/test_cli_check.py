"""The check as the editor runs it: exit codes, JSON, --strict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.build import Builder
from pipeline.cli import run
from tests.support import TITLES, MakeEdition, article_text


def test_cli_exit_codes_json_and_strict(
    builder: Builder, make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Image.new("RGB", (1000, 600), "gray").save(tmp_path / "soft.png")
    edition = make_edition(
        {
            "articles/01-first.md": article_text(TITLES[0], "开头。\n\n![合影](soft.png)\n"),
            "articles/soft.png": (tmp_path / "soft.png").read_bytes(),
        }
    )
    pdf = tmp_path / "out.pdf"
    assert run(["build", str(edition), "-o", str(pdf)]) == 0  # warnings only
    assert run(["build", str(edition), "-o", str(pdf), "--strict"]) == 1
    capsys.readouterr()
    assert run(["check", str(pdf), "--edition", str(edition), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["errors"] == 0 and data["warnings"] == 1
    [finding] = data["findings"]
    assert finding["file"] == "2025-11/articles/01-first.md" and finding["line"] == 10
    assert run(["check", str(pdf), "--edition", str(edition), "--strict"]) == 1
    assert run(["check", str(tmp_path / "missing.pdf")]) == 2
    shutil.copy(pdf, tmp_path / "copy.pdf")
    assert run(["check", str(tmp_path / "copy.pdf")]) == 0  # without the edition: PDF-only checks
