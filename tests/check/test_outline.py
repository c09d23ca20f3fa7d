"""A bookmark that leads nowhere is a finding of the check, never a crash."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

from pipeline.build import Builder
from pipeline.cli import run
from tests.support import MakeEdition


def dangling_copy(source: Path, target: Path) -> Path:
    """`source` with its first article bookmark rewritten to [null /XYZ 0 0 0]."""
    writer = PdfWriter(clone_from=PdfReader(source))
    section = writer._root_object["/Outlines"]["/First"].get_object()
    article = section["/First"].get_object()
    article[NameObject("/Dest")] = ArrayObject(
        [NullObject(), NameObject("/XYZ"), NumberObject(0), NumberObject(0), NumberObject(0)]
    )
    if "/A" in article:
        del article["/A"]
    writer.write(target)
    return target


def test_bookmark_pointing_nowhere_fails_the_check_with_its_article(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    edition = make_edition()
    built = builder.build(edition, tmp_path / "good.pdf")
    broken = dangling_copy(built.output, tmp_path / "dangling.pdf")
    capsys.readouterr()
    assert run(["check", str(broken), "--edition", str(edition)]) == 1
    out = capsys.readouterr().out
    assert "书签没有指向任何页面" in out and "研究院召开质量发展形势分析会" in out, out
    # Without the edition there is nothing to compare with, and still no crash.
    assert run(["check", str(broken)]) in (0, 1)
