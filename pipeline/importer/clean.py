"""Turn the blocks of one source article into a clean draft: debris dropped,
title/date/source lifted into metadata, captions, rosters and wrapped lines repaired."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import regex
from dataclasses import dataclass, field

from .normalize import HAN
from .sources import Block, Heading, Paragraph, Picture, Table

PLACEHOLDER_SOURCE = "来源待核"

_BREADCRUMB = re.compile(r"^(你的|您的|当前)(所在)?位置\s*[:：]")
_SEARCH_BOX = re.compile(r"^(请输入.{0,12}(内容|关键词|关键字|查询)|搜索|检索|站内搜索)$")
_LINK_ONLY = re.compile(r"^\[(.+)\]\(#?\)$")
_SITE_PREFIX = re.compile(r"^\(([\w-]+(\.[\w-]+)+)\)")
_SITE_SUFFIX = re.compile(r"^(.+?)\s*[-_|–]\s*([^-_|–\s]{2,16}(网|网站|官网|在线|日报|报))$")
_DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
_META_LINE = re.compile(
    r"^(发布时间|发布日期|发文日期|时间|日期|信息来源|来源|作者|稿源|浏览次数|点击数|字号)\s*[:：]"
)
_PUBLISHED_IN_LINE = re.compile(
    r"(?:发布时间|发布日期|发文日期|时间|日期)\s*[:：]\s*"
    + _DATE
    + r"(?:\s*(\d{1,2})[:：](\d{2}))?"
)
_SOURCE_IN_LINE = re.compile(r"(?:信息来源|来源|稿源)\s*[:：]\s*([^\s:：]+)")
_AUTHOR_IN_LINE = re.compile(r"作者\s*[:：]\s*([^\s:：]+)")
_FOOTER = re.compile(
    r"(京公网安备|ICP备|ICP证|版权所有|Copyright|©|网站标识码|主办单位[:：]|承办单位[:：]|"
    r"联系我们|技术支持[:：]|责任编辑[:：]|扫一扫|分享到|打印本页|关闭窗口|【打印】|【关闭】)"
)
_RELATED_HEADER = re.compile(r"^(相关链接|相关新闻|相关阅读|延伸阅读|推荐阅读|相关文章)\s*[:：]?$")
_RELATED_ITEM = re.compile(r"^[-•·●]?\s*.{4,}[（(]\d{4}-\d{1,2}-\d{1,2}[)）]$")
_URL_LINE = re.compile(
    r"^(?:(?:出所|原文链接|原文地址|来源网址|网址|链接)\s*[:：]\s*)?(https?://\S+)$"
)
_URL_REFERENCE_LINE = re.compile(r"^(出所|原文链接|原文地址|来源网址)\s*[:：]")
_URL_TAIL = re.compile(r"^[\w./%?=&#-]+$")
_SIGNATURE_DATE = re.compile(r"^" + _DATE + r"$")
_LEAD_FULL_DATE = re.compile(_DATE)
_LEAD_MONTH_DAY = re.compile(r"^(?:.{0,40}?讯\s*)?(?:（[^）]*）)?\s*(\d{1,2})月(\d{1,2})日")
_LEAD_AGENCY = re.compile(r"^(.{2,30}?)讯[\s（(]")
_YEAR = re.compile(r"(20\d{2})年")
_CAPTION = re.compile(r"^(图为|图：|图:|图片：)")
_TITLE_CONTINUES = re.compile(r"(关于|的|和|与|及|暨)$")
_SENTENCE_END = "。！？；：…”’）》」』"
_NAV_WORD_MAX = 4


@dataclass
class Draft:
    """One article ready to be written: metadata plus body blocks and warnings."""

    title: str
    source: str
    published: str
    blocks: list[Block]
    source_url: str | None = None
    author: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Hints:
    """What the caller knows besides the text (from a briefing, a page's metadata)."""

    title: str | None = None
    year: int | None = None  # for dates written without a year (“11月6日”)
    fallback_date: dt.date | None = None
    site: str | None = None
    published: str | None = None
    source_url: str | None = None
    today: dt.date = field(default_factory=dt.date.today)


def squash(text: str) -> str:
    """Text for comparison: no spaces, no punctuation differences."""
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _text(block: Block) -> str:
    return block.text if isinstance(block, Paragraph | Heading) else ""


def _date_text(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


class _Lifted:
    def __init__(self) -> None:
        self.published: str | None = None
        self.published_how: str = ""
        self.source: str | None = None
        self.site: str | None = None
        self.signature_source: str | None = None
        self.lead_source: str | None = None
        self.author: str | None = None
        self.source_url: str | None = None


def _take_title(blocks: list[Block], hints: Hints) -> str | None:
    if hints.title:
        return hints.title
    for index, block in enumerate(blocks):
        text = _text(block)
        if not text:
            continue
        del blocks[index]
        # “市场监管总局关于” / “新时代加强知识产权执法的意见”: a title broken over lines.
        if (
            _TITLE_CONTINUES.search(text)
            and index < len(blocks)
            and isinstance(blocks[index], Paragraph)
            and display_width(_text(blocks[index])) <= 60
        ):
            text += _text(blocks.pop(index))
        return text.strip()
    return None


def _drop_debris(blocks: list[Block], title: str, lifted: _Lifted) -> list[Block]:
    # Everything before a breadcrumb near the top is the site's header.
    for index, block in enumerate(blocks[:40]):
        if _BREADCRUMB.match(_text(block)):
            blocks = blocks[index + 1 :]
            break
    title_key = squash(title)
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        text = _text(block)
        if not isinstance(block, Paragraph):
            if not (isinstance(block, Heading) and squash(text) == title_key):
                kept.append(block)
            index += 1
            continue
        # A run of three or more one-word lines is a navigation menu.
        run = index
        while (
            run < len(blocks)
            and 0 < len(_text(blocks[run])) <= _NAV_WORD_MAX
            and isinstance(blocks[run], Paragraph)
        ):
            run += 1
        # Page chrome sits above the text or below it; inside the text, short lines
        # (a list of names, “时间：…” in a notice) are content.
        in_header = not any(isinstance(item, Paragraph) and len(item.text) >= 40 for item in kept)
        in_footer = len(blocks) - index <= 6
        if run - index >= 3 and (in_header or in_footer):
            index = run
            continue
        index += 1
        link = _LINK_ONLY.match(text)
        if link:
            text = link.group(1)
        prefix = _SITE_PREFIX.match(text)
        if prefix:
            text = text[prefix.end() :]
        suffix = _SITE_SUFFIX.match(text)
        if (link or prefix or suffix) and suffix and squash(suffix.group(1)) == title_key:
            lifted.site = lifted.site or suffix.group(2)
            continue
        if link or (prefix and squash(text) == title_key):
            continue
        if squash(text) == title_key and len(kept) < 5:
            continue  # the title repeated by the page
        if _SEARCH_BOX.match(text) or _BREADCRUMB.match(text):
            continue
        is_meta = _META_LINE.match(text) or (_PUBLISHED_IN_LINE.search(text) and len(text) < 80)
        if is_meta and (in_header or in_footer):
            _lift_meta_line(text, lifted)
            continue
        if _FOOTER.search(text) and len(text) < 120:
            continue
        if re.fullmatch(r"[A-Za-z][A-Za-z .,&'-]+", text) and not any(
            isinstance(item, Paragraph) and len(item.text) > 40 for item in kept
        ):
            # An English site name in the page header (“State Administration for …”),
            # together with the Chinese name above it.
            if kept and isinstance(kept[-1], Paragraph) and len(kept[-1].text) <= 20:
                kept.pop()
            continue
        kept.append(block)
    return kept


def _lift_meta_line(text: str, lifted: _Lifted) -> None:
    published = _PUBLISHED_IN_LINE.search(text)
    if published and lifted.published is None:
        year, month, day, hour, minute = published.groups()
        date = _date_text(year, month, day)
        if date:
            lifted.published = date + (f" {int(hour):02d}:{minute}" if hour else "")
            lifted.published_how = "发布时间行"
    source = _SOURCE_IN_LINE.search(text)
    if source and lifted.source is None:
        lifted.source = source.group(1)
    author = _AUTHOR_IN_LINE.search(text)
    if author and lifted.author is None:
        lifted.author = author.group(1)


def _drop_repeats(blocks: list[Block]) -> list[Block]:
    """A run of three or more paragraphs pasted twice keeps only its first copy."""
    keys = [squash(_text(block)) if isinstance(block, Paragraph) else None for block in blocks]
    drop: set[int] = set()
    for start in range(len(blocks)):
        if start in drop or not keys[start]:
            continue
        for earlier in range(start):
            if keys[earlier] != keys[start]:
                continue
            length = 0
            while (
                start + length < len(blocks)
                and earlier + length < start
                and keys[start + length]
                and keys[earlier + length] == keys[start + length]
            ):
                length += 1
            if length >= 3:
                drop.update(range(start, start + length))
                break
    return [block for index, block in enumerate(blocks) if index not in drop]


def _drop_tail(blocks: list[Block], lifted: _Lifted) -> list[Block]:
    """Related-link lists, footers and the page address at the end."""
    blocks = list(blocks)
    while blocks:
        text = _text(blocks[-1])
        if not isinstance(blocks[-1], Paragraph):
            break
        url = _URL_LINE.match(text)
        if _URL_TAIL.match(text) and len(blocks) >= 2 and _URL_LINE.match(_text(blocks[-2])):
            # An address broken over two lines.
            blocks[-2] = Paragraph(_text(blocks[-2]) + text, blocks[-2].line)  # type: ignore[union-attr]
            blocks.pop()
            continue
        if url:
            lifted.source_url = lifted.source_url or url.group(1)
            blocks.pop()
            continue
        if (
            _RELATED_ITEM.match(text)
            or _RELATED_HEADER.match(text)
            or _URL_REFERENCE_LINE.match(text)
            or (_FOOTER.search(text) and len(text) < 120)
        ):
            blocks.pop()
            continue
        break
    return blocks


def _lift_signature(blocks: list[Block], lifted: _Lifted) -> None:
    """“市场监管总局 / 2023年8月8日” at the end: the issuer and date (the lines stay)."""
    tail = [block for block in blocks[-4:] if isinstance(block, Paragraph)]
    for position, block in enumerate(tail):
        match = _SIGNATURE_DATE.match(block.text.replace(" ", ""))
        if not match:
            continue
        date = _date_text(*match.groups())
        if date and lifted.published is None:
            lifted.published = date
            lifted.published_how = "落款日期"
        if position > 0 and display_width(tail[position - 1].text) <= 40:
            lifted.signature_source = tail[position - 1].text.strip()


def _lift_lead(blocks: list[Block], lifted: _Lifted, hints: Hints) -> None:
    first = next((block for block in blocks if isinstance(block, Paragraph)), None)
    if first is None:
        return
    agency = _LEAD_AGENCY.match(first.text)
    if agency:
        lifted.lead_source = agency.group(1).strip()
    if lifted.published is not None:
        return
    # “2024年11月6日，…分论坛举办”: a full date at the start of one of the first paragraphs.
    paragraphs = [block.text for block in blocks if isinstance(block, Paragraph)]
    opening = [text[:60] for text in paragraphs[:3] + [t for t in paragraphs if len(t) >= 60][:3]]
    for text in opening:
        full = _LEAD_FULL_DATE.search(text)
        date = _date_text(*full.groups()) if full else None
        if date:
            lifted.published, lifted.published_how = date, "正文开头的日期"
            return
    month_day = _LEAD_MONTH_DAY.match(first.text)
    if month_day:
        year = hints.year or _likely_year(blocks, hints.today)
        date = _date_text(year, *month_day.groups())
        if date:
            lifted.published, lifted.published_how = date, f"正文开头的日期（年份按 {year} 年推断）"


def _likely_year(blocks: list[Block], today: dt.date) -> int:
    years = [int(year) for block in blocks for year in _YEAR.findall(_text(block))]
    years = [year for year in years if year <= today.year]
    return max(years) if years else today.year


def _rejoin_wrapped(blocks: list[Block]) -> list[Block]:
    """Text copied from a PDF has a break every line; join lines that run to the margin."""
    widths = [display_width(block.text) for block in blocks if isinstance(block, Paragraph)]
    long = sorted(width for width in widths if width >= 20)
    if len(long) < 8:
        return blocks
    full = long[int(len(long) * 0.9)]
    near = sum(1 for width in long if full - 6 <= width <= full + 4)
    if full > 110 or near < 0.4 * len(long):
        return blocks
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph)
            and isinstance(previous, Paragraph)
            and display_width(previous.text) >= full - 6
            and previous.text[-1] not in "。！？：；"
        ):
            joined[-1] = Paragraph(
                previous.text + block.text.strip(), previous.line, previous.gap_before
            )
        else:
            joined.append(block)
    return joined


_BROKEN_END = regex.compile(f"{HAN}$")
_BROKEN_START = regex.compile(f"^{HAN}")


def _rejoin_broken(blocks: list[Block]) -> list[Block]:
    """“…提升” / “监管能力和水平。”: a sentence cut in two by a stray line break."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph)
            and isinstance(previous, Paragraph)
            and "。" in previous.text
            and _BROKEN_END.search(previous.text)
            and _BROKEN_START.search(block.text)
            and not _CAPTION.match(block.text)
        ):
            joined[-1] = Paragraph(previous.text + block.text, previous.line, previous.gap_before)
        else:
            joined.append(block)
    return joined


def _is_short_label(block: Block | None) -> bool:
    return (
        isinstance(block, Paragraph)
        and display_width(block.text) <= 100
        and block.text[-1] not in "。！？；"
    )


def _dropped_image_captions(blocks: list[Block], warnings: list[str]) -> list[Block]:
    """Pasted web text: a wide gap (where the photo was) and then a two-line label
    (“…总干事爱德华·夸夸” / “出席…分论坛并致辞”) is the caption of a lost photo."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Paragraph)
            and block.gap_before >= 3
            and isinstance(following, Paragraph)
            and following.gap_before == 0
            and _is_short_label(block)
            and _is_short_label(following)
            and not _CAPTION.match(block.text)
        ):
            caption = block.text + following.text
            warnings.append(f"“{caption[:24]}…”像是缺失图片的说明：已留下图片占位，请补上图片")
            out.append(Picture("", caption))
            index += 2
            continue
        out.append(block)
        index += 1
    return out


def _captions(blocks: list[Block], warnings: list[str]) -> list[Block]:
    out: list[Block] = []
    for block in _dropped_image_captions(blocks, warnings):
        if isinstance(block, Paragraph) and _CAPTION.match(block.text) and len(block.text) <= 80:
            previous = out[-1] if out else None
            if isinstance(previous, Picture) and not previous.alt.startswith("图为"):
                previous.alt = block.text
                continue
            warnings.append(f"“{block.text}”前没有图片：已留下图片占位，请补上图片")
            out.append(Picture("", block.text))
            continue
        out.append(block)
    return out


def _roster_cells(text: str) -> list[str] | None:
    if "\t" not in text:
        return None
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    if len(cells) < 2:
        return None
    if all(set(cell) <= set("-—=") for cell in cells):
        return []  # the dashed rule under a copied table
    # “刘 洁”: names padded to line up in the source.
    name = cells[0]
    if regex.fullmatch(f"{HAN}( +{HAN})+", name):
        cells[0] = name.replace(" ", "")
    return cells


def _rosters(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        cells = _roster_cells(block.text) if isinstance(block, Paragraph) else None
        if cells is None:
            out.append(block)
            continue
        if not cells:
            continue
        previous = out[-1] if out else None
        if (
            isinstance(previous, Table)
            and not previous.header
            and len(previous.rows[0]) == len(cells)
        ):
            previous.rows.append(cells)
        else:
            out.append(Table([cells], header=False))
    return out


def clean_article(blocks: list[Block], hints: Hints, joins_lines: bool = True) -> Draft:
    """`joins_lines`: repair line breaks (pasted text); Word and HTML keep their paragraphs."""
    blocks = list(blocks)
    warnings: list[str] = []
    title = _take_title(blocks, hints) or "（无标题）"
    lifted = _Lifted()
    blocks = _drop_debris(blocks, title, lifted)
    blocks = _drop_repeats(blocks)
    blocks = _drop_tail(blocks, lifted)
    _lift_signature(blocks, lifted)
    if hints.published and lifted.published is None:
        lifted.published, lifted.published_how = hints.published, "网页信息"
    _lift_lead(blocks, lifted, hints)
    if joins_lines:
        blocks = _rejoin_wrapped(blocks)
        blocks = _rejoin_broken(blocks)
    blocks = _captions(blocks, warnings)
    blocks = _rosters(blocks)

    published = lifted.published
    if published is None:
        fallback = hints.fallback_date or hints.today
        published = fallback.isoformat()
        warnings.append(f"没有找到发布日期：暂填 {published}，请核对")
    elif lifted.published_how not in {"发布时间行", "网页信息"}:
        warnings.append(f"发布日期取自{lifted.published_how}：{published}，请核对")
    source = lifted.source or lifted.lead_source or lifted.site or lifted.signature_source
    source = source or hints.site
    if not source:
        source = PLACEHOLDER_SOURCE
        warnings.append(f"没有找到来源：暂填“{PLACEHOLDER_SOURCE}”，请改为来源单位")
    if not any(isinstance(block, Paragraph | Table | Picture) for block in blocks):
        warnings.append("正文是空的：请检查原文")
    return Draft(
        title=title,
        source=source,
        published=published,
        blocks=blocks,
        source_url=lifted.source_url or hints.source_url,
        author=lifted.author,
        warnings=warnings,
    )
