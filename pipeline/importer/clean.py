"""Turn the blocks of one source article into a clean draft: page debris dropped,
title, subtitle, date, source and author lifted into metadata, structure repaired.

Debris is recognised by where it sits as much as by what it says: page chrome
(menus, breadcrumbs, search boxes, bylines, print/close/share links, counters,
footers, 相关链接 lists) is above the text or below it, so a short line or a
“时间：…” line inside the text is content and stays. The metadata rules live in
`lift`, the structure rules in `shape`; every value that had to be guessed is
named in the draft's `confirm` map with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .blocks import Block, Heading, Paragraph, Picture, Table
from .lift import (
    Lifted,
    YearHint,
    contributed_source,
    lift_byline,
    lift_lead,
    lift_signature,
    parse_byline,
    signed_unit,
    source_from_url,
    text_years,
)
from .shape import (
    captions,
    display_width,
    is_name,
    rejoin_broken,
    rejoin_wrapped,
    rosters,
    subheads,
    tidy_cells,
)

PLACEHOLDER_SOURCE = "来源待核"  # with a confirm entry; the check refuses a PDF that prints it

_BREADCRUMB = re.compile(r"^(你的|您的|当前|您现在的|你现在的)(所在)?位置\s*[:：]")
_SEARCH_BOX = re.compile(r"^(请输入.{0,12}(内容|关键词|关键字|查询)|搜索|检索|站内搜索)$")
_LINK_ONLY = re.compile(r"^\[(.+)\]\(#?\)$")
_SITE_PREFIX = re.compile(r"^\(([\w-]+(\.[\w-]+)+)\)")
_SITE_SUFFIX = re.compile(r"^(.+?)\s*[-_|–]\s*([^-_|–\s]{2,16}(网|网站|官网|在线|日报|报|局|委员会|部|厅))$")
_FOOTER = re.compile(
    r"(京公网安备|ICP备|ICP证|备案号|版权所有|Copyright|©|网站标识码|主办单位[:：]|承办单位[:：]|"
    r"联系我们|技术支持[:：]|责任编辑[:：]|扫一扫|扫码|二维码|分享到|打印本页|关闭窗口|【打印】|【关闭】|"
    r"返回顶部|上一篇|下一篇)"
)
_RELATED_HEADER = re.compile(
    r"^(相关链接|相关新闻|相关稿件|相关报道|相关阅读|延伸阅读|推荐阅读|相关文章|热点推荐|往期推荐|往期回顾|精彩推荐)"
    r"\s*[:：]?$"
)
_ATTACHMENT_LABEL = re.compile(r"^附件\s*\d{0,2}[:：]?$")  # “附件2” above an attachment's title
_EVENT_DETAIL = re.compile(r"^(地点|地址|主持|主持人|参会人员|出席|会议议程)\s*[:：]")
# A page's menu spaced out on one line (“首页 简体 繁體 EN 登录”): only above or below the text.
_SPACED_MENU = re.compile(r"^[^\s，。；：:,.]{1,5}([ \u00a0]+[^\s，。；：:,.]{1,5}){3,}$")
# A site's menu on one line: “新华网首页 | 时政 | 财经 | 科技”.
_NAV_LINE = re.compile(r"^\S{1,8}(\s*[|｜丨]\s*\S{1,8}){2,}$")
# A picture's credit without the picture: “（图片来源：网络）”, “摄影：王芳”.
_PHOTO_CREDIT = re.compile(
    r"^[（(]?\s*(图片来源|图片由|图片提供|资料图|摄影|摄\s*影|图/|供图)[^）)]{0,24}[）)]?$"
)
# A WeChat article's own chrome, as whole lines only (“关注我们” inside a sentence stays).
_ACCOUNT_CHROME = re.compile(
    r"^(点击上方.{0,8}关注.{0,4}|点个在看.{0,12}|长按(识别)?二维码.{0,10}|扫码关注.{0,10}|分享.{0,2}收藏.{0,6}|END|▼+|—\s*END\s*—)$"
)
_GLUED_DATE = r"[（(\[]?\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*[)）\]]?"
_RELATED_ITEM = re.compile(r"^[-•·●]?\s*.{4,60}?" + _GLUED_DATE + "$")
_URL_LINE = re.compile(
    r"^(?:(?:出所|原文链接|原文地址|来源网址|网址|链接)\s*[:：]\s*)?(https?://\S+)$"
)
_URL_REFERENCE_LINE = re.compile(r"^(出所|原文链接|原文地址|来源网址)\s*[:：]")
_URL_TAIL = re.compile(r"^[\w./%?=&#-]+$")
_TITLE_CONTINUES = re.compile(r"(关于|的|和|与|及|暨)$")
_SUBTITLE = re.compile(r"^(——|—|--)\s*\S")
_NAV_WORD_MAX = 4
# A page number copied from a PDF or a printed document: “— 2 —”, “-3-”, “第2页 共5页”, “2/5”.
_PAGE_NUMBER = re.compile(
    r"^[—–\-－]\s*\d{1,3}\s*[—–\-－]$|^第\s*\d{1,3}\s*页(\s*[/，,]?\s*共\s*\d{1,3}\s*页)?$|^\d{1,3}\s*/\s*\d{1,3}$"
)


@dataclass
class Draft:
    """One article ready to be written: metadata plus body blocks, warnings and guesses."""

    title: str
    source: str
    published: str
    blocks: list[Block]
    source_url: str | None = None
    author: str | None = None
    subtitle: str | None = None
    warnings: list[str] = field(default_factory=list)
    confirm: dict[str, str] = field(default_factory=dict)  # field → what to verify


@dataclass
class Hints:
    """What the caller knows besides the text (from a briefing, a page's metadata)."""

    title: str | None = None
    subtitle: str | None = None  # a Word file's Subtitle style
    edition: dt.date | None = None  # the edition's month: the year of “11月6日”
    fallback_date: dt.date | None = None
    site: str | None = None
    published: str | None = None
    source_url: str | None = None
    source: str | None = None  # a page's ContentSource
    author: str | None = None
    byline: tuple[str, ...] = ()  # a page's “发布时间：… 来源：…” lines
    site_owner: str | None = None  # “X 版权所有” in a page's footer
    today: dt.date = field(default_factory=dt.date.today)


def squash(text: str) -> str:
    """Text for comparison: no spaces, no punctuation differences."""
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text))


def _text(block: Block) -> str:
    return block.text if isinstance(block, Paragraph | Heading) else ""


def _take_title(blocks: list[Block], hints: Hints) -> str | None:
    first = next((block for block in blocks if _text(block)), None)
    if first is not None and _ATTACHMENT_LABEL.match(_text(first).strip()):
        blocks.remove(first)  # “附件2” above an attachment's own title
    if hints.title:
        return hints.title
    for index, block in enumerate(blocks):
        text = _text(block)
        if not text or _NAV_LINE.match(text.strip()):
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


def _take_subtitle(blocks: list[Block]) -> str | None:
    """“——重点检查三类产品” right under the title."""
    for index, block in enumerate(blocks[:3]):
        text = _text(block)
        if _SUBTITLE.match(text) and display_width(text) <= 80:
            del blocks[index]
            return text.strip()
        if isinstance(block, Paragraph) and len(block.text) > 80:
            break
    return None


def _names_line(text: str) -> bool:
    """“张三 李四 王五 赵六”: people listed on one line, not a menu."""
    words = text.split()
    return sum(1 for word in words if is_name(word)) * 2 >= len(words)


def _is_title_echo(text: str, title_key: str, kept: int, lifted: Lifted) -> bool:
    """The page repeating its title: “[标题-中国质量新闻网](#)”, “(cqn.com.cn)标题”, or the
    title again near the top. A site name in the echo is kept as the site."""
    link = _LINK_ONLY.match(text)
    if link:
        text = link.group(1)
    prefix = _SITE_PREFIX.match(text)
    if prefix:
        text = text[prefix.end() :]
    suffix = _SITE_SUFFIX.match(text)
    if (link or prefix or suffix) and suffix and squash(suffix.group(1)) == title_key:
        lifted.site = lifted.site or suffix.group(2)
        return True
    if link or (prefix and squash(text) == title_key):
        return True
    return squash(text) == title_key and kept < 5


def _drop_debris(blocks: list[Block], title: str, lifted: Lifted) -> list[Block]:
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
        if _is_title_echo(text, title_key, len(kept), lifted):
            continue
        if _SEARCH_BOX.match(text) or _BREADCRUMB.match(text):
            continue
        byline = parse_byline(text)
        # A bare date is a byline only right under the title; elsewhere it is the
        # signature (落款) or a date in the text, which stays.
        bare_date = byline is not None and set(byline) == {"published"} and len(text) < 16
        if bare_date and index > 3:
            byline = None
        # “时间：… / 地点：… / 主持：…”: a meeting's details, which stay in the text.
        following = _text(blocks[index]) if index < len(blocks) else ""
        if byline is not None and _EVENT_DETAIL.match(following):
            byline = None
        if byline is not None and (in_header or in_footer):
            lift_byline(text, lifted)
            continue
        if (_FOOTER.search(text) and len(text) < 120) or _ACCOUNT_CHROME.match(text.strip()):
            continue
        if _NAV_LINE.match(text.strip()) or _PHOTO_CREDIT.match(text.strip()):
            continue
        if _SPACED_MENU.match(text.strip()) and (in_header or in_footer) and not _names_line(text):
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


def _drop_related(blocks: list[Block]) -> list[Block]:
    """A 相关链接 heading near the end and the short items after it."""
    for index in range(len(blocks) - 1, max(len(blocks) - 15, -1), -1):
        if _RELATED_HEADER.match(_text(blocks[index])):
            after = blocks[index + 1 :]
            if all(isinstance(b, Paragraph) and len(b.text) <= 80 for b in after):
                return blocks[:index]
    return blocks


def _drop_tail(blocks: list[Block], lifted: Lifted) -> list[Block]:
    """Related-link lists, footers, the page address and a “（…供稿）” line at the end."""
    blocks = _drop_related(list(blocks))
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
        signed = signed_unit(text)
        if signed:
            lifted.contributed_source = lifted.contributed_source or signed[0]
            lifted.author = lifted.author or signed[1]
            blocks.pop()
            continue
        contributed = contributed_source(text)
        if contributed:
            lifted.contributed_source = lifted.contributed_source or contributed
            blocks.pop()
            continue
        byline = parse_byline(text.strip().removeprefix("（").removesuffix("）"))
        if byline == {}:
            blocks.pop()  # 责任编辑, 【打印本页】, counters, （编辑：…）
            continue
        if byline and set(byline) != {"published"}:  # a bare date is the signature: it stays
            lift_byline(text, lifted)
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


def _lift_page_hints(hints: Hints, lifted: Lifted) -> None:
    """A page's bylines and metadata, after the text's own bylines."""
    # <meta> first: it names the source in full and the date with its time.
    if hints.source and lifted.source is None:
        lifted.source = hints.source
    if hints.author and lifted.author is None:
        lifted.author = hints.author
    if hints.published and lifted.published is None:
        lifted.published, lifted.published_how = _page_date(hints.published), "网页信息"
    for line in hints.byline:
        lift_byline(line, lifted, "网页上的发布时间")


def _page_date(value: str) -> str:
    """`2025-11-21T15:30:00+08:00` or `2025-11-21 15:30` → `2025-11-21 15:30`."""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?", value)
    if not match:
        return value
    year, month, day, hour, minute = match.groups()
    date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return date + (f" {int(hour):02d}:{minute}" if hour else "")


def _resolve_date(lifted: Lifted, hints: Hints, draft_confirm: dict[str, str]) -> str:
    if lifted.published is not None:
        return lifted.published
    fallback = hints.fallback_date or hints.today
    draft_confirm["published"] = f"原文没有日期，暂填{fallback.isoformat()}（本期最后一天），请改为发布日期"
    return fallback.isoformat()


def _resolve_source(lifted: Lifted, hints: Hints, source_url: str | None, confirm: dict[str, str]) -> str:
    """The stated source first; a site name, a signature, then the address (a guess)."""
    stated = lifted.source or lifted.contributed_source or lifted.lead_source
    named = stated or lifted.site or hints.site or lifted.signature_source
    if named:
        return named
    if hints.site_owner:
        confirm["source"] = f"原文没有写来源，暂按网页页脚的版权单位填“{hints.site_owner}”，请核对"
        return hints.site_owner
    from_url = source_from_url(source_url) if source_url else None
    if from_url:
        confirm["source"] = f"原文没有写来源，按网址 {source_url} 暂填“{from_url}”，请核对"
        return from_url
    confirm["source"] = f"原文没有写来源：请把“{PLACEHOLDER_SOURCE}”改为来源单位"
    return PLACEHOLDER_SOURCE


def _photo_confirmations(blocks: list[Block], confirm: dict[str, str]) -> None:
    """Every picture without its file is a photo to supply before printing."""
    missing = [block for block in blocks if isinstance(block, Picture) and block.data is None]
    for number, picture in enumerate(missing, start=1):
        key = "图片" if len(missing) == 1 else f"图片{number}"
        caption = f"“{picture.alt}”" if picture.alt else "（无图注）"
        where = f"，原图网址 {picture.src}，请下载" if picture.src.startswith("http") else "，请找到原图"
        confirm[key] = f"缺少图片{caption}{where}后放入 images/，替换正文中的［待补图片］"


def clean_article(blocks: list[Block], hints: Hints, joins_lines: bool = True) -> Draft:
    """`joins_lines`: repair line breaks and find subheads (pasted text); Word and
    HTML keep their own paragraphs and headings. Rosters are found in all three."""
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and _PAGE_NUMBER.match(b.text.strip()))]
    title = _take_title(blocks, hints)
    subtitle = hints.subtitle or _take_subtitle(blocks)
    lifted = Lifted()
    blocks = _drop_debris(blocks, title or "", lifted)
    blocks = _drop_repeats(blocks)
    blocks = _drop_tail(blocks, lifted)
    if subtitle is None:
        subtitle = _take_subtitle(blocks)
    lift_signature([block.text for block in blocks[-4:] if isinstance(block, Paragraph)], lifted)
    _lift_page_hints(hints, lifted)
    paragraphs = [block.text for block in blocks if isinstance(block, Paragraph)]
    years = YearHint(hints.edition, text_years(paragraphs, hints.today.year))
    lift_lead(paragraphs, lifted, years, hints.today)
    blocks = tidy_cells(rosters(blocks))  # first: a table's rows are not wrapped lines
    if joins_lines:
        blocks = rejoin_wrapped(blocks)
        blocks = rejoin_broken(blocks)
        blocks = subheads(blocks)
    blocks = captions(blocks)

    confirm = dict(lifted.confirm)
    warnings: list[str] = []
    if title is None:
        title = "（无标题）"
        confirm["title"] = "没有找到标题，请填写"
    published = _resolve_date(lifted, hints, confirm)
    source_url = lifted.source_url or hints.source_url
    source = _resolve_source(lifted, hints, source_url, confirm)
    _photo_confirmations(blocks, confirm)
    if not any(isinstance(block, Paragraph | Table | Picture) for block in blocks):
        warnings.append("正文是空的：请检查原文")
    return Draft(
        title=title,
        source=source,
        published=published,
        blocks=blocks,
        source_url=source_url,
        author=lifted.author,
        subtitle=subtitle,
        warnings=warnings,
        confirm=confirm,
    )
