"""Is the bound volume whole? Outline = contents = pages, headers naming the right issue.

The generic checks (`check_pdf` without an edition: fonts, missing glyphs, page size,
metadata, links, images, typography) run first; then the volume's own:

- the outline is year → issue → section → article, each level as the editions say,
  each bookmark on the page where its issue or article starts;
- the volume's contents prints, for every issue and article, that same page, and
  every line of it is a link there;
- every article's title and first sentence are on its page (or the next);
- every article page's running header names its own issue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader

from ..house import shipped_font_families
from ..pdfread.outline import OutlineItem, destination_page, link_target, read_outline
from ..pdfread.page_text import LEADER, PageText, normalize, printed_contents
from ..render.volume import RenderedVolume, VolumeIssue, issue_bookmark, issue_label, year_bookmark
from ..typeset.glyphs import MissingGlyph
from .expected import Expected
from .report import CheckReport, Finding
from .run import check_pdf

CHECK = "volume"
HINT = "用 briefing volume 重新生成；若仍如此，请报告排版问题"


def _error(message: str, page: int | None = None, **where: str) -> Finding:
    return Finding("error", CHECK, message, page=page, hint=HINT, **where)  # type: ignore[arg-type]


def _expected_pages(reader: PdfReader, volume: RenderedVolume) -> dict[str, int | None]:
    """Anchor → the page it lands on, for every issue and article of the volume."""
    pages: dict[str, int | None] = {}
    for issue in volume.issues:
        pages[issue.anchor] = destination_page(reader, issue.anchor)
        for section in issue.rendered.sections:
            for entry in section.entries:
                anchor = issue.article_anchor(entry.anchor)
                pages[anchor] = destination_page(reader, anchor)
    return pages


def check_outline(
    outline: list[OutlineItem], volume: RenderedVolume, pages: dict[str, int | None]
) -> list[Finding]:
    found = []
    if [item.title for item in outline] != [year_bookmark(volume.year)]:
        found.append(
            _error(f"书签第一层应只有“{year_bookmark(volume.year)}”，实为 {[i.title for i in outline]}")
        )
    issues = outline[0].children if outline else ()
    if len(issues) != len(volume.issues):
        found.append(_error(f"书签中有 {len(issues)} 期，合订本装订了 {len(volume.issues)} 期"))
    for item, issue in zip(issues, volume.issues, strict=False):
        label = issue_bookmark(issue.edition)
        if item.title != label:
            found.append(_error(f"书签“{item.title}”应为“{label}”", item.page))
        if item.page != pages[issue.anchor]:
            found.append(
                _error(f"书签“{label}”指向第{item.page}页，该期从第{pages[issue.anchor]}页开始", item.page)
            )
        sections = issue.rendered.sections
        if [child.title for child in item.children] != [section.name for section in sections]:
            found.append(
                _error(
                    f"{label}的书签栏目为 {[child.title for child in item.children]}，"
                    f"应为 {[section.name for section in sections]}"
                )
            )
            continue
        for section_item, section in zip(item.children, sections, strict=True):
            titles = [normalize(child.title) for child in section_item.children]
            if titles != [normalize(entry.article.front.title) for entry in section.entries]:
                found.append(_error(f"{label}“{section.name}”栏目的书签稿件与 issue.yaml 不一致"))
                continue
            for child, entry in zip(section_item.children, section.entries, strict=True):
                wanted = pages[issue.article_anchor(entry.anchor)]
                if child.page != wanted:
                    found.append(
                        _error(
                            f"书签指向第{child.page}页，稿件实际从第{wanted}页开始",
                            child.page,
                            article=entry.article.front.title,
                            file=entry.article.display_path,
                        )
                    )
    return found


def _issue_blocks(
    pages: list[PageText], contents_pages: range, volume: RenderedVolume
) -> tuple[dict[str, tuple[int, int]], list[tuple[VolumeIssue, int, str]]]:
    """Printed issue lines (anchor → (number shown, contents page)) and each issue's text there."""
    labels = [(normalize(issue_bookmark(issue.edition)), issue) for issue in volume.issues]
    shown: dict[str, tuple[int, int]] = {}
    blocks: list[tuple[VolumeIssue, int, str]] = []
    current: VolumeIssue | None = None
    for page_number in contents_pages:
        lines: list[str] = []
        for line in pages[page_number - 1].raw.split("\n"):
            text = normalize(line)
            issue = next((issue for label, issue in labels if text.startswith(label)), None)
            if issue is None:
                lines.append(line)
                continue
            if current is not None:
                blocks.append((current, page_number, "\n".join(lines)))
            lines, current = [], issue
            match = re.search(rf"[{re.escape(LEADER)}]*(\d+)$", text[len(issue_bookmark(issue.edition)) :])
            if match:
                shown[issue.anchor] = (int(match.group(1)), page_number)
        if current is not None:
            blocks.append((current, page_number, "\n".join(lines)))
    return shown, blocks


def check_printed_contents(
    pages: list[PageText], contents_pages: range, volume: RenderedVolume, expected: dict[str, int | None]
) -> list[Finding]:
    found = []
    shown, blocks = _issue_blocks(pages, contents_pages, volume)
    for issue in volume.issues:
        label = issue_bookmark(issue.edition)
        printed = shown.get(issue.anchor)
        if printed is None:
            found.append(_error(f"合订本目录中找不到“{label}”这一行", contents_pages.start))
        elif printed[0] != expected[issue.anchor]:
            found.append(
                _error(
                    f"目录中“{label}”印的页码是 {printed[0]}，该期从第{expected[issue.anchor]}页开始",
                    printed[1],
                )
            )
        names = [section.name for section in issue.rendered.sections]
        entries = {}
        for block_issue, page_number, text in blocks:
            if block_issue is issue:
                for entry in printed_contents([PageText(text, "")], range(1, 2), names):
                    entries[entry.title] = (entry.number, page_number)
        for section in issue.rendered.sections:
            for entry in section.entries:
                title = entry.article.front.title
                where = {"article": title, "file": entry.article.display_path}
                got = entries.get(normalize(title).rstrip(LEADER))
                wanted = expected[issue.article_anchor(entry.anchor)]
                if got is None:
                    found.append(
                        _error(f"合订本目录的{label}中找不到这篇稿件", contents_pages.start, **where)
                    )
                elif got[0] != wanted:
                    found.append(_error(f"目录印的页码是 {got[0]}，稿件实际在第{wanted}页", got[1], **where))
    return found


def check_contents_links(
    reader: PdfReader, contents_pages: range, expected: dict[str, int | None]
) -> list[Finding]:
    targets: set[str] = set()
    for number in contents_pages:
        for annotation in reader.pages[number - 1].get("/Annots", []) or []:
            target = link_target(annotation.get_object())
            if target and target[0] == "goto" and target[1] is not None:
                value = target[1].get_object() if hasattr(target[1], "get_object") else target[1]
                targets.add(str(value))
    missing = [anchor for anchor in expected if anchor not in targets]
    if not missing:
        return []
    return [_error(f"合订本目录中有 {len(missing)} 条不能点击跳转（如 {missing[0]}）", contents_pages.start)]


def check_articles_and_headers(
    pages: list[PageText], volume: RenderedVolume, expected: dict[str, int | None]
) -> list[Finding]:
    found = []
    starts = [expected[issue.anchor] or 0 for issue in volume.issues] + [len(pages) + 1]
    for index, issue in enumerate(volume.issues):
        anchors = [issue.article_anchor(e.anchor) for s in issue.rendered.sections for e in s.entries]
        article_pages = [expected[anchor] for anchor in anchors if expected[anchor]]
        for section in issue.rendered.sections:
            for entry in section.entries:
                page = expected[issue.article_anchor(entry.anchor)]
                where = {"article": entry.article.front.title, "file": entry.article.display_path}
                if page is None:
                    found.append(_error("稿件在合订本中没有落到任何一页", **where))
                    continue
                haystack = pages[page - 1].body + (pages[page].body if page < len(pages) else "")
                sentence = entry.first_sentence
                for label, text in (("标题", entry.article.front.title), ("正文第一句", sentence)):
                    if text and normalize(text) not in haystack:
                        found.append(_error(f"第{page}页及下一页上找不到{label}“{text}”", page, **where))
        header = normalize(issue.edition.manifest.running_header)
        first_article = min(article_pages, default=starts[index + 1])
        for page in range(first_article, starts[index + 1]):
            body = pages[page - 1].body
            if body and not body.startswith(header):
                found.append(
                    _error(f"第{page}页的页眉不是本期的“{issue.edition.manifest.running_header}”", page)
                )
    return found


def check_cover_and_mastheads(
    pages: list[PageText], volume: RenderedVolume, expected: dict[str, int | None]
) -> list[Finding]:
    """The cover names issuer, briefing, 合订本 and year; each issue opens with its masthead."""
    found = []
    cover = pages[0].body if pages else ""
    name = volume.issues[0].edition.manifest.title if volume.issues else ""
    for words in (volume.issuer, name, "合订本", f"{volume.year}年"):
        if normalize(words) not in cover:
            found.append(_error(f"封面上没有“{words}”", 1))
    for issue in volume.issues:
        page = expected[issue.anchor]
        manifest = issue.edition.manifest
        line = f"{manifest.issue_date.year}年第{manifest.number}期（总第{manifest.cumulative_number}期）"
        if page is not None and normalize(line) not in pages[page - 1].body:
            found.append(_error(f"第{page}页应是{issue_label(issue.edition)}的报头，却找不到“{line}”", page))
    return found


def check_volume(reader: PdfReader, pages: list[PageText], volume: RenderedVolume) -> list[Finding]:
    expected = _expected_pages(reader, volume)
    found = check_outline(read_outline(reader), volume, expected)
    title = str((reader.metadata or {}).get("/Title", "") or "")
    if title != volume.title:
        found.append(_error(f"PDF 标题为“{title}”，应为“{volume.title}”"))
    first_issue_page = expected[volume.issues[0].anchor] if volume.issues else None
    if first_issue_page is None:
        return [*found, _error("找不到第一期的起始页")]
    contents_pages = range(2, first_issue_page)
    found += check_printed_contents(pages, contents_pages, volume, expected)
    found += check_contents_links(reader, contents_pages, expected)
    found += check_articles_and_headers(pages, volume, expected)
    found += check_cover_and_mastheads(pages, volume, expected)
    return found


def check_volume_pdf(
    pdf_path: Path,
    volume: RenderedVolume,
    styles_dir: Path,
    missing_glyphs: Sequence[MissingGlyph] = (),
    typeset_warnings: Sequence[str] = (),
) -> CheckReport:
    """The generic checks of any briefing PDF, then the volume's own."""
    images = tuple(image for issue in volume.issues for image in issue.rendered.images)
    expected = Expected(
        None,
        (),
        images,
        frozenset(shipped_font_families(styles_dir)),
        tuple(missing_glyphs),
        tuple(typeset_warnings),
        bound_issues=tuple(
            (issue.anchor, issue.article_anchor(issue.rendered.sections[0].entries[0].anchor))
            for issue in volume.issues
        ),
    )
    return check_pdf(pdf_path, expected, also=[lambda reader, pages: check_volume(reader, pages, volume)])
