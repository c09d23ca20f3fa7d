"""The watcher's check gives the full check's verdict while reading only the pages that changed."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.build import Builder, BuildResult
from pipeline.check.incremental import IncrementalCheck
from pipeline.check.report import CheckReport
from pipeline.check.run import check_pdf
from pipeline.pdfread.content import FontReader, scan_page
from pipeline.pdfread.page_inputs import shown_codes
from pipeline.watch import BuildOutcome, Watcher
from tests.support import SAMPLE_EDITION

ARTICLE = "articles/06-quality-city-cooperation.md"
LONG_PARAGRAPH = "为便于比较，这里在稿件中间加入一段较长的补充说明，使后面的页面整体后移。" * 30

Edit = Callable[[str], str]


def _first_sentence(text: str) -> str:
    return text.replace("11月25日，上海交通大学", "11月25日上午，上海交通大学", 1)


def _new_characters(text: str) -> str:
    """Characters the sample does not print: every font's ToUnicode map and widths grow."""
    return text.replace("座谈交流。", "座谈交流，甄选璨然彧彧之策。", 1)


def _long_paragraph(text: str) -> str:
    return text.replace("\n\n签约仪式上，", f"\n\n{LONG_PARAGRAPH}\n\n签约仪式上，", 1)


def _title(text: str) -> str:
    return text.replace("title: 研究院与嘉兴市", "title: 研究院与浙江省嘉兴市", 1)


def _placeholder(text: str) -> str:
    return text.replace("相关质量发展评估报告", "相关质量发展评估报告（来源待核）", 1)


def _confirm(text: str) -> str:
    return text.replace("published: 2025-11-26\n", "published: 2025-11-26\nconfirm:\n  published: 日期为推定\n", 1)


# (what the editor did, the edit on the article as it was at the start): applied in turn.
EDITS: list[tuple[str, Edit]] = [
    ("a sentence changes", _first_sentence),
    ("new characters enter the fonts", lambda text: _new_characters(_first_sentence(text))),
    ("a paragraph moves the pages after it", lambda text: _long_paragraph(_first_sentence(text))),
    ("the title changes", lambda text: _title(_long_paragraph(_first_sentence(text)))),
    ("the paragraph goes again", lambda text: _title(_first_sentence(text))),
    ("a placeholder is typed", lambda text: _placeholder(_title(_first_sentence(text)))),
    ("a guess awaits confirmation", lambda text: _confirm(_placeholder(_title(_first_sentence(text))))),
    ("both are fixed", lambda text: _title(_first_sentence(text))),
    ("a character no font has", lambda text: _title(_first_sentence(text)).replace("座谈交流。", "座谈交流😀。", 1)),
    ("back as it was", lambda text: text),
]


def _verdict(report: CheckReport) -> tuple[int, list[dict[str, object]], str]:
    return report.page_count, [finding.as_dict() for finding in report.findings], report.text()


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(SAMPLE_EDITION, tmp_path_factory.mktemp("incremental") / "2025-11"))


def test_the_watchers_check_equals_the_full_check_after_every_edit(edition: Path) -> None:
    """Build after each edit as the watcher does; the kept-pages check and a full check
    of the same PDF give the same findings, in the same order and words."""
    builder = Builder.create()
    builder.typesetter.rebuilds = True  # as the watcher's
    incremental = IncrementalCheck()
    article = edition / ARTICLE
    original = article.read_text("utf-8")
    output = edition.parent / "watched.pdf"
    first = builder.build(edition, output)
    assert _verdict(incremental.check(output, first.expected)) == _verdict(check_pdf(output, first.expected))
    assert incremental.pages_read == list(range(1, first.page_count + 1))
    counts, read, findings = [first.page_count], {}, {}
    for what, edit in EDITS:
        edited = edit(original)
        assert edited != original or what == "back as it was"
        article.write_text(edited, "utf-8")
        result = builder.build(edition, output)
        full = check_pdf(output, result.expected)
        watched = incremental.check(output, result.expected)
        assert _verdict(watched) == _verdict(full), f"{what}:\n{full.text()}\n---\n{watched.text()}"
        counts.append(result.page_count)
        read[what] = incremental.pages_read
        findings[what] = {finding.check for finding in full.findings}
    # The edits did what they say, so the comparisons above cover each case.
    assert counts[3] > counts[1] == counts[0], counts
    assert 0 < len(read["a sentence changes"]) < counts[1] / 2, read
    assert 0 < len(read["new characters enter the fonts"]) < counts[1] / 2, read
    assert "placeholders" in findings["a placeholder is typed"]
    assert "placeholders" in findings["a guess awaits confirmation"]
    assert "placeholders" not in findings["both are fixed"]
    assert findings["a character no font has"] == {"glyphs"}
    assert not findings["back as it was"]


def _retext_one_code(pdf: Path, output: Path, page_number: int) -> tuple[str, int]:
    """Rewrite the ToUnicode entry of one code the page shows (its glyph stays): the
    font every page shares changes only there. Returns (font name, code)."""
    reader = PdfReader(pdf)
    scanned = scan_page(reader, reader.pages[page_number - 1], page_number, FontReader())
    use = max(scanned.fonts, key=lambda use: len(shown_codes(use.shown)))
    code = min(shown_codes(use.shown))
    writer = PdfWriter(clone_from=reader)
    font = writer.pages[page_number - 1]["/Resources"]["/Font"][use.name].get_object()
    to_unicode = font["/ToUnicode"].get_object()
    entry = re.compile(rb"<%04x>\s*<[0-9a-fA-F]*>" % code, re.IGNORECASE)
    data, count = entry.subn(b"<%04x> <4e00>" % code, to_unicode.get_data())
    assert count == 1
    to_unicode.set_data(data)
    writer.write(output)
    return use.name, code


def test_a_changed_font_entry_is_read_again_on_the_pages_that_show_it(clean: BuildResult, tmp_path: Path) -> None:
    """One code's text changes in a font all pages share: the pages showing it are read
    again, the others are kept, and the verdict is the full check's."""
    incremental = IncrementalCheck()
    incremental.check(clean.output, clean.expected)
    rewritten = tmp_path / "rewritten.pdf"
    name, code = _retext_one_code(clean.output, rewritten, 2)
    full = check_pdf(rewritten, clean.expected)
    watched = incremental.check(rewritten, clean.expected)
    assert _verdict(watched) == _verdict(full), f"{full.text()}\n---\n{watched.text()}"
    reader = PdfReader(rewritten)
    showing = [
        number
        for number, page in enumerate(reader.pages, start=1)
        if any(use.name == name and code in shown_codes(use.shown) for use in scan_page(reader, page, number, FontReader()).fonts)
    ]
    assert 2 in showing
    assert incremental.pages_read == showing, (showing, incremental.pages_read)


def test_the_watcher_checks_each_build_reading_only_the_changed_pages(tmp_path: Path) -> None:
    """`briefing watch`'s check is the incremental one, with `briefing build`'s words."""
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    outcomes: list[BuildOutcome] = []
    watcher = Watcher(Builder.create(), edition, tmp_path / "watched.pdf", outcomes.append)
    watcher.build_once()
    article = edition / ARTICLE
    article.write_text(_placeholder(article.read_text("utf-8")), "utf-8")
    outcome = watcher.build_once()
    assert outcome.result is not None and outcome.verdict is not None
    full = check_pdf(outcome.result.output, outcome.result.expected)
    assert _verdict(outcome.verdict) == _verdict(full)
    assert "来源待核" in outcome.verdict.text()
    assert 0 < len(watcher.checker.pages_read) < outcome.result.page_count / 2
