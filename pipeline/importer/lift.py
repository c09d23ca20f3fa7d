"""Source, author and date, found wherever an article states them, and every guess named.

Editors receive the same facts in many spellings: “来源：X”, “信息来源：X”,
“【来源：X】”, “（X供稿）”, “作者：X”, a byline such as
“2025年11月18日 09:42　来源：中国质量报　作者：李明”, dates written 2025-11-18,
2025年11月18日, 2025.11.18 or 11月18日, and a page's `<meta>` tags. This module
reads them all into one `Lifted`, and says how each value was found.

A value read from the text as written is a fact. A value the importer had to
infer — a year for “12月10日” (taken from the edition folder, else the text's
other dates, never the clock when the edition says otherwise), a source taken
from the page's address, a date missing altogether — is a guess: it goes into
the article's `confirm` map with a short reason, so `briefing check` refuses
the PDF until the editor has verified it and deleted the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
_TIME = r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?)?"
_DATE_TIME = re.compile(DATE + _TIME)
_DATE_LABEL = r"(?:发布时间|发布日期|发文日期|更新时间|时间|日期)"
_SOURCE_LABEL = r"(?:信息来源|文章来源|资料来源|新闻来源|消息来源|发布单位|发布机构|来源|稿源|出处)"
_AUTHOR_LABEL = r"(?:作者|记者|撰稿|通讯员|文)"
_VALUE = r"([^\s:：【】\[\]|｜丨，。；！？]+(?:[ 　][^\s:：【】\[\]|｜丨，。；！？]+)*?)"
_NEXT = r"(?=\s|$|[【\[|｜丨]|" + _DATE_LABEL + r"|" + _SOURCE_LABEL + r"|" + _AUTHOR_LABEL + r"[:：])"
# A label's separator: a colon, or the bar WeChat articles use (“来源｜南岭日报”).
_SEP = r"\s*(?:[:：]|[｜|](?=\s*[^\s\d]))\s*"
_AUTHOR_END = r"(?=\s*" + _SOURCE_LABEL + r"[:：]|\s+[^\s:：]{1,6}\s*[:：]|\s*$|\s*[【\[|｜丨])"
_FURNITURE = r"(?:字号|字体|浏览次数|浏览量|浏览|点击数|点击量|点击|阅读次数|阅读量|阅读数|阅读|访问量)"
_BYLINE_FIELDS = [
    ("", re.compile(_SOURCE_LABEL + r"(?=[\s　]+\d)")),  # “来源　2025年11月24日”: the label alone
    ("published", re.compile(r"(?:" + _DATE_LABEL + r"\s*[:：]\s*)?" + DATE + _TIME)),
    ("source", re.compile(r"[【\[]\s*" + _SOURCE_LABEL + r"\s*[:：]\s*([^】\]]+?)\s*[】\]]")),
    ("source", re.compile(_SOURCE_LABEL + _SEP + _VALUE + _NEXT)),
    # Authors may be several names: up to the next label or the end.
    ("author", re.compile(_AUTHOR_LABEL + _SEP + r"([^:：【】\[\]|｜丨，。；！？]+?)" + _AUTHOR_END)),
    # Counted or clicked page furniture: read and dropped.
    ("", re.compile(_FURNITURE + r"\s*[:：]?\s*(?:[大中小]\s*)*\d*\s*次?")),
    ("", re.compile(r"(?:星期|周|礼拜)[一二三四五六日天]")),
    ("", re.compile(r"(?:责任编辑|编辑|审核|校对|排版|美编|初审|终审)" + _SEP + r"[^\s【】]+")),
    ("", re.compile(r"[【\[]\s*(?:打印本页|打印|关闭窗口|关闭|收藏|纠错|返回顶部)\s*[】\]]")),
]
_LABEL_WORD = re.compile(f"^(?:{_DATE_LABEL}|{_SOURCE_LABEL}|{_AUTHOR_LABEL})$")
_ACCOUNT_LINE = re.compile(
    r"^(?:原创\s+)?((?:[^\s\d:：]{2,20}\s+){1,3})" + DATE + _TIME + r"(?:\s+[^\s\d:：]{2,4})?$"
)
_SEPARATORS = re.compile(r"^[\s　|｜丨/·•,，;；【】\[\]（）()]*$")
_CONTRIBUTED = re.compile(r"^[（(]\s*(?:来源[:：]\s*)?(.{2,30}?)\s*(?:供稿|供图|提供)?\s*[)）]$")
_CONTRIBUTED_WORD = re.compile(r"供稿|供图|提供|来源")
_PERSON = r"[^\s\d（）()]{2,4}"
_SIGNED = re.compile(
    r"^[（(]\s*(\S{2,30}?)\s+((?:(?:记者|通讯员)\s*)?" + _PERSON + r"(?:[、\s]+" + _PERSON + r")*)\s*[）)]$"
)
# How names of units end: 局、处、院、所、中心…; a newspaper or site (报、网) too.
ORGANISATION_END = re.compile(
    r"(局|厅|处|科|所|院|中心|站|公司|厂|大学|学院|委员会|协会|集团|部|办公室|办|支队|报|网|社)$"
)
# “本报讯（记者 王芳）11月5日，”, “新华社北京11月5日电”: a lead names who reported and when.
_LEAD_MONTH_DAY = re.compile(
    r"^(?:.{0,40}?讯\s*)?(?:[（(][^）)]*[）)])?\s*(?:\S{2,12}?社\S{0,8}?)?(\d{1,2})月(\d{1,2})日"
)
_LEAD_AGENCY = re.compile(r"^(.{2,30}?)讯[\s（(]|^(\S{2,12}?社)\S{0,8}?\d{1,2}月\d{1,2}日电")
_LEAD_REPORTERS = re.compile(
    r"^.{0,30}?(?:讯|电)\s*[（(]\s*((?:本报|本网)?(?:特约)?(?:记者|通讯员)[^）)]{1,40})[）)]"
)
_SELF_REFERENCE = {"本报", "本网", "本刊", "本台", "本站", "本网站"}  # “this paper”: names no one
_YEAR = re.compile(r"(20\d{2})年")
_SIGNATURE_DATE = re.compile(r"^" + DATE + r"$")
# Sites an editor's sources usually come from; any other address gives its domain.
KNOWN_SITES = {
    "samr.gov.cn": "市场监管总局",
    "cqn.com.cn": "中国质量新闻网",
    "www.gov.cn": "中国政府网",
    "xinhuanet.com": "新华网",
    "news.cn": "新华网",
    "people.com.cn": "人民网",
    "cnipa.gov.cn": "国家知识产权局",
    "sac.gov.cn": "国家标准化管理委员会",
}


@dataclass
class Lifted:
    """What was found, and for each guessed field why it must be confirmed."""

    published: str | None = None
    published_how: str = ""
    source: str | None = None
    author: str | None = None
    source_url: str | None = None
    site: str | None = None
    signature_source: str | None = None
    lead_source: str | None = None
    contributed_source: str | None = None
    confirm: dict[str, str] = field(default_factory=dict)


_CHINESE_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_DIGIT_OF = {character: str(value) for value, character in enumerate("〇一二三四五六七八九")}
_DIGIT_OF |= {"○": "0", "零": "0"}


def _chinese_count(text: str) -> int:
    """十 → 10, 二十六 → 26, 七 → 7."""
    tens, _, units = text.partition("十")
    if "十" not in text:
        return int(_DIGIT_OF[text])
    return int(_DIGIT_OF.get(tens, "1") if tens else 1) * 10 + (int(_DIGIT_OF[units]) if units else 0)


def arabic_dates(text: str) -> str:
    """“二〇二五年十一月二十六日” (an older signature) read as 2025年11月26日."""

    def arabic(match: re.Match[str]) -> str:
        year = "".join(_DIGIT_OF[character] for character in match.group(1))
        return f"{year}年{_chinese_count(match.group(2))}月{_chinese_count(match.group(3))}日"

    return _CHINESE_DATE.sub(arabic, text)


def date_text(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _account_line(text: str) -> dict[str, str] | None:
    """A WeChat article's head: “原创 作者 公众号 2025年11月20日 18:30 江南” (the last
    name before the date is the account that published it)."""
    match = _ACCOUNT_LINE.match(text.strip())
    if not match:
        return None
    names, year, month, day, hour, minute = match.groups()
    date = date_text(year, month, day)
    if date is None or any(_LABEL_WORD.match(name) for name in names.split()):
        return None  # “来源　2025年11月24日” is a label, not an account
    return {"published": date + (f" {int(hour):02d}:{minute}" if hour else ""), "site": names.split()[-1]}


def parse_byline(text: str) -> dict[str, str] | None:
    """The fields of a line made only of bylines (date, source, author, page furniture)."""
    if len(text) > 120:
        return None
    text = arabic_dates(text)
    account = _account_line(text)
    if account:
        return account
    found: dict[str, str] = {}
    rest = text
    for name, pattern in _BYLINE_FIELDS:
        for match in pattern.finditer(rest):
            if name == "published" and "published" not in found:
                year, month, day, hour, minute = match.groups()
                date = date_text(year, month, day)
                if date is None:
                    return None
                found["published"] = date + (f" {int(hour):02d}:{minute}" if hour else "")
            elif name and name not in found:
                found[name] = match.group(1).strip()
        rest = pattern.sub(" ", rest)
    if not found and rest == text:
        return None
    return found if _SEPARATORS.match(rest) else None


def lift_byline(text: str, lifted: Lifted, how: str = "发布时间行") -> bool:
    """Take the byline's fields (the first value of each kind wins); False if not a byline."""
    fields = parse_byline(text)
    if fields is None:
        return False
    if "published" in fields and lifted.published is None:
        lifted.published, lifted.published_how = fields["published"], how
    if "source" in fields and lifted.source is None and fields["source"] not in _SELF_REFERENCE:
        lifted.source = fields["source"]
    if "author" in fields and lifted.author is None:
        lifted.author = reporters(fields["author"])
    if "site" in fields and lifted.site is None:
        lifted.site = fields["site"]
    return True


def reporters(text: str) -> str | None:
    """“本报记者 王芳 通讯员 李强” → “王芳、李强”: the names without their roles."""
    names = re.sub(r"(本报|本网|本台|特约|见习)?(记者|通讯员|实习生)|[、，,]", " ", text).split()
    return "、".join(names) or None


def signed_unit(text: str) -> tuple[str, str] | None:
    """“（东湖市市场监督管理局　张敏）” at the end: the unit that sent it and its author."""
    match = _SIGNED.match(text.strip())
    if not match or not ORGANISATION_END.search(match.group(1)):
        return None
    return match.group(1), reporters(match.group(2)) or match.group(2)


def contributed_source(text: str) -> str | None:
    """“（江南省计量院供稿）”, “（来源：省局办公室）”, “（省局计量处）” at the end of an article."""
    match = _CONTRIBUTED.match(text.strip())
    if match and re.search("[:：]", match.group(1)):
        return None  # “（编辑：市局计量科）” is a byline in brackets
    if match and (_CONTRIBUTED_WORD.search(text) or ORGANISATION_END.search(match.group(1))):
        return match.group(1).strip()
    return None


def lift_signature(texts: list[str], lifted: Lifted) -> None:
    """“市场监管总局 / 2023年8月8日” at the end: the issuer and date (the lines stay)."""
    for position, text in enumerate(texts):
        match = _SIGNATURE_DATE.match(arabic_dates(text).replace(" ", ""))
        if not match:
            continue
        date = date_text(*match.groups())
        if date and lifted.published is None:
            lifted.published, lifted.published_how = date, "落款日期"
        if position > 0 and len(texts[position - 1]) <= 20:
            lifted.signature_source = texts[position - 1].strip()


@dataclass(frozen=True)
class YearHint:
    """Where a year for “11月6日” comes from: the edition, else the text."""

    edition: dt.date | None  # the edition's month (its folder name), when known
    text_years: tuple[int, ...] = ()

    def year_for(self, month: int) -> tuple[int | None, str]:
        if self.edition is not None:
            # A December date in a January edition is from the year before.
            year = self.edition.year - (1 if month > self.edition.month + 1 else 0)
            return year, f"本期（{self.edition.year}年{self.edition.month}月）"
        if self.text_years:
            return max(self.text_years), "正文中的其他日期"
        return None, ""


def text_years(texts: list[str], before: int) -> tuple[int, ...]:
    return tuple(int(year) for text in texts for year in _YEAR.findall(text) if int(year) <= before)


def lift_lead(paragraphs: list[str], lifted: Lifted, years: YearHint, today: dt.date) -> None:
    """The agency of “本报讯” and a date at the start of the text when none was stated."""
    if not paragraphs:
        return
    agency = _LEAD_AGENCY.match(paragraphs[0])
    if agency:
        name = (agency.group(1) or agency.group(2)).strip()
        lifted.lead_source = None if name in _SELF_REFERENCE else name
    named = _LEAD_REPORTERS.match(paragraphs[0])
    if named and lifted.author is None:
        lifted.author = reporters(named.group(1))
    if lifted.published is not None:
        return
    # “2024年11月6日，…分论坛举办”: a full date at the start of one of the first paragraphs.
    opening = [text[:60] for text in paragraphs[:3] + [t for t in paragraphs if len(t) >= 60][:3]]
    for text in opening:
        full = _DATE_TIME.search(text)
        date = date_text(*full.groups()[:3]) if full else None
        if date:
            lifted.published, lifted.published_how = date, "正文开头的日期"
            lifted.confirm["published"] = f"日期取自正文开头（{date}），是活动日期还是发布日期，请核对"
            return
    month_day = _LEAD_MONTH_DAY.match(paragraphs[0])
    if month_day:
        month, day = int(month_day.group(1)), int(month_day.group(2))
        year, where = years.year_for(month)
        if year is None:
            year, where = today.year, "今天的日期"
        date = date_text(year, month, day)
        if date:
            lifted.published, lifted.published_how = date, f"正文开头的“{month}月{day}日”"
            lifted.confirm["published"] = f"原文只写“{month}月{day}日”，年份按{where}推断为{year}年，请核对"


def source_from_url(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    for domain, name in KNOWN_SITES.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host.removeprefix("www.")
