"""The frame of the briefing: the masthead on page 1 and the distribution block (报尾).

The masthead must print the numbers, period and date that issue.yaml holds
(第N期（总第N期）, 【起—止】, the issue date); the 报尾 must have somewhere to
send the briefing (报/送/发) and a print run (共印N份), and both must be on the
last page. Each finding points at the field of issue.yaml to change.
"""

from __future__ import annotations

import re

from ..edition.schema import IssueManifest, chinese_date
from ..pdfread.page_text import PageText, normalize
from .expected import Expected
from .report import CheckReport

REBUILD = "用 briefing build 重新生成；若仍不符，请报告排版问题"

# As normalised (NFKC turns （ ） into ( )).
_NUMBERS = re.compile(r"第(\d+)期\(总第(\d+)期\)")
_PERIOD = re.compile(r"【(.*?)】")


def check_masthead(expected: Expected, pages: list[PageText], report: CheckReport) -> None:
    manifest = expected.manifest
    if manifest is None or not pages:
        return
    text = pages[0].body
    numbers = _NUMBERS.search(text)
    wanted = (manifest.number, manifest.cumulative_number)
    if numbers is None:
        report.error(
            "masthead",
            f"第1页报头上找不到“第{wanted[0]}期（总第{wanted[1]}期）”",
            page=1,
            hint=REBUILD,
            **expected.manifest_where("number"),
        )
    elif (int(numbers.group(1)), int(numbers.group(2))) != wanted:
        report.error(
            "masthead",
            f"报头印的是第{numbers.group(1)}期（总第{numbers.group(2)}期），"
            f"issue.yaml 为第{wanted[0]}期（总第{wanted[1]}期）",
            page=1,
            hint=REBUILD,
            **expected.manifest_where("number"),
        )
    period = f"{chinese_date(manifest.period.start)}—{chinese_date(manifest.period.end)}"
    printed = _PERIOD.search(text)
    if printed is None or printed.group(1) != normalize(period):
        shown = f"印的是【{printed.group(1)}】" if printed else "找不到报道时段"
        report.error(
            "masthead",
            f"报头{shown}，issue.yaml 为【{period}】",
            page=1,
            hint=REBUILD,
            **expected.manifest_where("period"),
        )
    rest = _PERIOD.sub("", text)
    if normalize(chinese_date(manifest.issue_date)) not in rest:
        report.error(
            "masthead",
            f"报头上找不到印发日期“{chinese_date(manifest.issue_date)}”",
            page=1,
            hint=REBUILD,
            **expected.manifest_where("issue_date"),
        )


def _distribution_lines(manifest: IssueManifest) -> list[str]:
    distribution = manifest.distribution
    return [
        f"{label}：{'，'.join(names)}"
        for label, names in (
            ("报", distribution.report_to),
            ("送", distribution.send_to),
            ("发", distribution.issue_to),
        )
        if names
    ]


def check_distribution(expected: Expected, pages: list[PageText] | None, report: CheckReport) -> None:
    """Someone to send it to and a print run; both printed on the last page."""
    manifest = expected.manifest
    if manifest is None:
        return
    lines = _distribution_lines(manifest)
    if not lines:
        report.error(
            "distribution",
            "报尾的报、送、发都是空的：这份简报没有分发对象",
            hint="在 issue.yaml 的 distribution: 下填写 report_to（报）、send_to（送）、issue_to（发）",
            page=len(pages) if pages else None,
            **expected.manifest_where("distribution"),
        )
    copies = manifest.distribution.copies
    if copies is None:
        report.error(
            "distribution",
            "报尾没有印数（共印N份）",
            hint="在 issue.yaml 的 distribution: 下写 copies: 份数，如 copies: 60",
            page=len(pages) if pages else None,
            **expected.manifest_where("distribution.copies"),
        )
    if not pages:
        return
    last = pages[-1].body
    wanted = [*lines, *([f"共印{copies}份"] if copies else [])]
    for line in wanted:
        if normalize(line) not in last:
            report.error(
                "distribution",
                f"最后一页上找不到报尾的“{line}”",
                page=len(pages),
                hint=REBUILD,
                **expected.manifest_where("distribution"),
            )
