"""The file format as JSON Schema, for an editor's YAML tooling (`briefing schema`).

Generated from the Pydantic models (`edition.schema`), then given what an
editor's tooling shows and checks: `$schema` and `$id`, Chinese titles and
examples, and the patterns the loader enforces (dates as 2025-11-30, a
publication time as 2025-11-05 19:59, URLs starting with http:// or https://),
so the schema rejects what the tool rejects.
"""

from __future__ import annotations

from typing import Any

from .schema import URL_PATTERN, ArticleFrontMatter, IssueManifest

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
PUBLISHED_PATTERN = r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$"

# Property → (Chinese title, example), for every model's properties.
PROPERTIES: dict[str, tuple[str, Any]] = {
    "issuer": ("主办单位", "上海交通大学中国质量发展研究院"),
    "number": ("当年期号", 11),
    "cumulative_number": ("总期号", 58),
    "period": ("报道时段", {"start": "2025-11-01", "end": "2025-11-30"}),
    "start": ("起始日期", "2025-11-01"),
    "end": ("结束日期", "2025-11-30"),
    "issue_date": ("印发日期", "2025-11-30"),
    "editor": ("编辑单位", "上海交通大学中国质量发展研究院办公室"),
    "subject": ("文档主题", "质量发展、市场监管与标准化工作动态"),
    "keywords": ("关键词", ["质量强国", "标准化"]),
    "sections": ("栏目", [{"name": "新闻动态", "articles": ["articles/01-training.md"]}]),
    "name": ("栏目名称", "新闻动态"),
    "articles": ("稿件文件", ["articles/01-training.md"]),
    "distribution": ("报尾", {"report_to": ["学校办公室"], "copies": 60}),
    "report_to": ("报", ["学校办公室"]),
    "send_to": ("送", ["相关学院"]),
    "issue_to": ("发", ["研究院各部门"]),
    "copies": ("印数（份）", 60),
    "confirm": ("待核对的推测", {"published": "发布日期取自正文开头，请核对"}),
    "subtitle": ("副标题", "——重点检查三类产品"),
    "source": ("来源", "市场监管总局"),
    "source_url": ("来源网址", "https://www.samr.gov.cn/xw/zj/art/2025/art_1.html"),
    "published": ("发布日期", "2025-11-05 19:59"),
    "author": ("作者", "张三"),
}
MODEL_TITLES = {
    "IssueManifest": "一期简报（issue.yaml）",
    "ArticleFrontMatter": "稿件信息块（稿件开头 --- 之间）",
    "Period": "报道时段",
    "Section": "栏目",
    "Distribution": "报尾",
}


def _decorate(model: dict[str, Any]) -> None:
    title = model.get("title")
    if title in MODEL_TITLES:
        model["title"] = MODEL_TITLES[title]
    for name, prop in model.get("properties", {}).items():
        if name in PROPERTIES:
            prop["title"], example = PROPERTIES[name]
            prop["examples"] = [example]


def _pattern(prop: dict[str, Any], pattern: str) -> None:
    """Put `pattern` on the string branch of `prop` (plain, or inside anyOf)."""
    for branch in [prop, *prop.get("anyOf", [])]:
        if branch.get("type") == "string":
            branch["pattern"] = pattern


def _finish(schema: dict[str, Any], name: str) -> dict[str, Any]:
    for model in [schema, *schema.get("$defs", {}).values()]:
        _decorate(model)
        for prop in model.get("properties", {}).values():
            if prop.get("format") == "date":
                _pattern(prop, DATE_PATTERN)
    return {"$schema": DRAFT, "$id": f"urn:briefing:schema:{name}", **schema}


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of `issue.yaml` and of article front matter, by file name."""
    article = ArticleFrontMatter.model_json_schema()
    article["properties"]["published"] = {
        "description": "发布日期，如 2025-11-05，可带时间 2025-11-05 19:59",
        "type": "string",
        "pattern": PUBLISHED_PATTERN,
    }
    article.get("$defs", {}).pop("Published", None)
    if not article.get("$defs"):
        article.pop("$defs", None)
    _pattern(article["properties"]["source_url"], URL_PATTERN)
    return {
        "issue.schema.json": _finish(IssueManifest.model_json_schema(), "issue"),
        "article.schema.json": _finish(article, "article"),
    }
