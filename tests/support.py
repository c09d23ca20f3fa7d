"""Helpers the tests share: small editions written on the fly, and typeset variants.

Fixtures live in conftest.py; everything importable lives here, so test modules in
every package folder say `from tests.support import ...`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pipeline.build import Builder
from pipeline.check.typography import TypographyFigures
from pipeline.house import REPO_ROOT
from pipeline.pdfread.lines import read_chars

SAMPLE_EDITION = REPO_ROOT / "issues" / "2025-11"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"

MANIFEST = """\
issuer: 上海交通大学中国质量发展研究院
title: 工作简报
number: 11
cumulative_number: 58
period:
  start: 2025-11-01
  end: 2025-11-30
issue_date: 2025-11-30
editor: 研究院办公室
sections:
  - name: 新闻动态
    articles:
      - articles/01-first.md
      - articles/02-second.md
  - name: 学者声音
    articles:
      - articles/03-third.md
distribution:
  report_to: [学校办公室]
  send_to: [相关学院]
  issue_to: [研究院各部门]
  copies: 40
"""

PARAGRAPH = "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。" * 6


def article_text(title: str, body: str | None = None, extra_front: str = "") -> str:
    body = body if body is not None else f"{PARAGRAPH}\n\n{PARAGRAPH}\n"
    return (
        "---\n"
        f"title: {title}\n"
        "source: 市场监管总局\n"
        "source_url: https://www.samr.gov.cn/xw/art/2025/1.html\n"
        "published: 2025-11-05 19:59\n"
        f"{extra_front}"
        "---\n\n"
        f"{body}"
    )


MakeEdition = Callable[..., Path]


MIXED = (
    "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。"
    "他说：“质量是生命。”会议指出，2025年共完成ISO 9001认证514件（含复审），同比增长12.5%。"
    "与会专家认为，“标准化”工作要与“计量”“认证认可”协同推进，并提出了“三个坚持”的要求。"
    "论坛期间，《质量发展报告（2025）》正式发布，全国制造业产品质量合格率达到93.9%。"
)


def crafted_paragraphs() -> list[str]:
    """Paragraphs that, shifted one character at a time, put ，“”。 at every line edge."""
    return [
        "中" * shift + "，“质量”是“生命”。" + "国" * shift + "。”他说" + "文" * shift
        + "“标准”，" + "字" * 30
        for shift in range(22, 34)
    ]


def build_pdf(builder: Builder, edition: Path, output: Path, *, inter_character: bool) -> Path:
    rendered = builder.render(edition)
    typesetter = dataclasses.replace(builder.typesetter, inter_character=inter_character)
    output.write_bytes(typesetter.typeset(rendered).pdf)
    return output


def edition_with(make_edition: MakeEdition, paragraphs: list[str]) -> Path:
    chunks = [paragraphs[index::3] for index in range(3)]
    names = ["01-first", "02-second", "03-third"]
    return make_edition(
        {
            f"articles/{name}.md": article_text(f"稿件{index + 1}", "\n\n".join(chunk) + "\n")
            for index, (name, chunk) in enumerate(zip(names, chunks, strict=True))
        }
    )


def summary(figures: TypographyFigures) -> str:
    return (
        f"flush {figures.flush_lines}/{figures.justified_lines}, max gap "
        f"{figures.max_gap_em:.2f} em, ragged {[line.text[:12] for line in figures.ragged[:3]]}"
    )


def right_edge_residuals(pdf: Path) -> list[float]:
    """How far short of the page's right-most body line each nearly-full body line ends, in pt."""
    residuals = []
    for page in read_chars(pdf):
        rows: dict[int, list[float]] = {}
        for char in page:
            if abs(char.size - 14) < 0.1:
                rows.setdefault(round(char.baseline * 2), []).append(char.x1)
        ends = [max(row) for row in rows.values() if len(row) > 10]
        if ends:
            residuals += [max(ends) - end for end in ends if max(ends) - end < 1.0]
    return residuals
