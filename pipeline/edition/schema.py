"""The file format editors write: one definition, as Pydantic models.

`issue.yaml` is an `IssueManifest`; each article's front matter is an
`ArticleFrontMatter`. `briefing schema` exports both as JSON Schema so an
editor's YAML tooling can validate while typing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

DEFAULT_ISSUER = "上海交通大学中国质量发展研究院"  # a new edition's issuer when none came before
DEFAULT_TITLE = "工作简报"
CONFIRM_DESCRIPTION = (
    "尚待核对的推测：字段名 → 说明（导入时写入）。核对无误后删去该项；留有任何一项，检查即不通过"
)
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_DATETIME_TEXT = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)


def chinese_date(value: dt.date) -> str:
    """2025年11月30日"""
    return f"{value.year}年{value.month}月{value.day}日"


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt field must not vanish silently.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Period(_Strict):
    """The span of time the edition reports on (【2025年11月1日—2025年11月30日】)."""

    start: dt.date = Field(description="起始日期，如 2025-11-01")
    end: dt.date = Field(description="结束日期，如 2025-11-30")

    @model_validator(mode="after")
    def _start_before_end(self) -> Period:
        if self.end < self.start:
            raise ValueError("结束日期早于起始日期")
        return self


class Section(_Strict):
    """A group of articles on the contents page, such as 新闻动态."""

    name: NonEmptyText = Field(description="栏目名称，如 新闻动态、学者声音")
    articles: list[NonEmptyText] = Field(
        min_length=1,
        description="本栏目的稿件文件，按刊登顺序，路径相对于本期文件夹，如 articles/01-xxx.md",
    )


class Distribution(_Strict):
    """The distribution block (报尾) printed at the end of the last page."""

    report_to: list[NonEmptyText] = Field(default_factory=list, description="报：上级单位")
    send_to: list[NonEmptyText] = Field(default_factory=list, description="送：平级或相关单位")
    issue_to: list[NonEmptyText] = Field(default_factory=list, description="发：下发单位")
    copies: int | None = Field(default=None, ge=1, strict=True, description="印数（份）")


class IssueManifest(_Strict):
    """`issue.yaml`: the masthead, the order of articles and the distribution block."""

    # strict=True on the numbers: YAML reads `true`/`yes` as a boolean, which Pydantic
    # would otherwise accept as 1 and print as 第1期.

    issuer: NonEmptyText = Field(description=f"报头上方的主办单位，如 {DEFAULT_ISSUER}")
    title: NonEmptyText = Field(default=DEFAULT_TITLE, description="红色报头名称")
    number: int = Field(ge=1, strict=True, description="当年期号：第N期")
    cumulative_number: int = Field(ge=1, strict=True, description="总期号：总第N期")
    period: Period = Field(description="本期所报道的时间段")
    issue_date: dt.date = Field(description="印发日期，如 2025-11-30")
    editor: NonEmptyText = Field(description="编辑单位，印在报头左下")
    subject: str | None = Field(default=None, description="PDF 文档主题（可选）")
    keywords: list[NonEmptyText] = Field(default_factory=list, description="PDF 关键词（可选）")
    sections: list[Section] = Field(min_length=1, description="栏目，按目录顺序")
    distribution: Distribution = Field(default_factory=Distribution, description="报尾")
    confirm: dict[NonEmptyText, str] = Field(default_factory=dict, description=CONFIRM_DESCRIPTION)

    @model_validator(mode="after")
    def _cumulative_not_below_number(self) -> IssueManifest:
        if self.cumulative_number < self.number:
            raise ValueError("总期号不能小于当年期号")
        return self

    @field_validator("sections")
    @classmethod
    def _section_names_unique(cls, sections: list[Section]) -> list[Section]:
        names = [section.name for section in sections]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"栏目名称重复：{'、'.join(repeated)}")
        return sections

    @property
    def edition_label(self) -> str:
        """E.g. `2025年第11期`, used in the running header and PDF title."""
        return f"{self.issue_date.year}年第{self.number}期"

    @property
    def document_title(self) -> str:
        """The PDF's title: `工作简报 2025年第11期`."""
        return f"{self.title} {self.edition_label}"

    @property
    def running_header(self) -> str:
        """The header of every article page: title, edition and period."""
        period = f"{chinese_date(self.period.start)}—{chinese_date(self.period.end)}"
        return f"{self.title}　{self.edition_label}　{period}"


class Published(BaseModel):
    """When the source published the article: a date, and a time if known."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    time: dt.time | None = None

    def display(self) -> str:
        text = f"{self.date.year}年{self.date.month}月{self.date.day}日"
        if self.time is not None:
            text += f" {self.time.hour:02d}:{self.time.minute:02d}"
        return text


def _parse_published(value: Any) -> Any:
    # YAML reads `2025-11-05` as a date but `2025-11-05 19:59` (no seconds) as text;
    # accept both spellings an editor would type.
    if isinstance(value, Published):
        return value
    if isinstance(value, dt.datetime):
        return Published(date=value.date(), time=value.time().replace(second=0, microsecond=0))
    if isinstance(value, dt.date):
        return Published(date=value)
    if isinstance(value, str):
        match = _DATETIME_TEXT.match(value)
        if not match:
            raise ValueError("日期格式应为 2025-11-05 或 2025-11-05 19:59")
        year, month, day, hour, minute, _ = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
            time = dt.time(int(hour), int(minute)) if hour is not None else None
        except ValueError as error:
            raise ValueError(f"不存在的日期或时间：{value}") from error
        return Published(date=date, time=time)
    raise ValueError("日期格式应为 2025-11-05 或 2025-11-05 19:59")


class ArticleFrontMatter(_Strict):
    """The YAML block between `---` lines at the top of each article file."""

    title: NonEmptyText = Field(description="稿件标题")
    subtitle: str | None = Field(
        default=None, description="副标题（可选），印在标题下方，如 ——重点检查三类产品"
    )
    source: NonEmptyText = Field(description="来源名称，如 市场监管总局")
    source_url: str | None = Field(default=None, description="来源网址（可选），以 http:// 或 https:// 开头")
    published: Annotated[Published, Field(json_schema_extra={"type": "string"})] = Field(
        description="发布日期，如 2025-11-05，可带时间 2025-11-05 19:59"
    )
    author: str | None = Field(default=None, description="作者（可选）")
    confirm: dict[NonEmptyText, str] = Field(default_factory=dict, description=CONFIRM_DESCRIPTION)

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: Any) -> Any:
        return _parse_published(value)

    @field_validator("source_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            raise ValueError("网址应以 http:// 或 https:// 开头，且不含空格")
        return value


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of `issue.yaml` and of article front matter, by file name."""
    article = ArticleFrontMatter.model_json_schema()
    article["properties"]["published"] = {
        "description": "发布日期，如 2025-11-05，可带时间 2025-11-05 19:59",
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string"}],
        "title": "Published",
    }
    article.get("$defs", {}).pop("Published", None)
    if not article.get("$defs"):
        article.pop("$defs", None)
    return {
        "issue.schema.json": IssueManifest.model_json_schema(),
        "article.schema.json": article,
    }
