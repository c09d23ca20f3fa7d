"""`briefing volume`: a year's editions bound into one PDF (合订本).

load every edition → check they belong in one volume → render (`render/volume.py`)
→ typeset with the same `Typesetter` as a briefing → write atomically. Editions that
disagree (the same number twice, a gap in the numbering, another issuer or year) are
all reported together before anything is typeset, as an editor's mistake (exit 2).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from .atomic_files import write_atomically
from .build import Builder
from .edition.load import Edition, load_edition
from .errors import EditionInvalid
from .render.volume import RenderedVolume, as_one_edition, render_volume
from .typeset.glyphs import MissingGlyph
from .typeset.typesetter import MAX_VOLUME_PAGES


class VolumeInconsistent(Exception):
    """The editions given do not make one volume; carries every disagreement."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")

    def report(self) -> str:
        lines = [f"这几期不能装订成一本合订本（{len(self.problems)} 处不一致），未生成 PDF："]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class VolumeResult:
    output: Path
    page_count: int
    warnings: tuple[str, ...]
    seconds: float
    volume: RenderedVolume
    missing_glyphs: tuple[MissingGlyph, ...]


def load_editions(edition_dirs: list[Path]) -> list[Edition]:
    """Every edition, or `EditionInvalid` with the errors of all of them at once."""
    editions, errors = [], []
    for edition_dir in edition_dirs:
        try:
            editions.append(load_edition(edition_dir))
        except EditionInvalid as invalid:
            errors += invalid.errors
    if errors:
        raise EditionInvalid(errors)
    return editions


def _names(editions: list[Edition]) -> str:
    return "、".join(edition.name for edition in editions)


def disagreements(editions: list[Edition]) -> list[str]:
    """Why these editions cannot be one volume, in the editor's words; empty when they can."""
    problems = []
    if not editions:
        return ["没有给出任何一期"]
    roots: dict[Path, int] = {}
    for edition in editions:
        roots[edition.root] = roots.get(edition.root, 0) + 1
    for root, count in roots.items():
        if count > 1:
            problems.append(f"同一个期次文件夹给了 {count} 次：{root}")
    editions = list({edition.root: edition for edition in editions}.values())
    for label, value in (
        ("主办单位", lambda edition: edition.manifest.issuer),
        ("报头名称", lambda edition: edition.manifest.title),
        ("年份（印发日期）", lambda edition: str(edition.manifest.issue_date.year)),
    ):
        groups: dict[str, list[Edition]] = {}
        for edition in editions:
            groups.setdefault(value(edition), []).append(edition)
        if len(groups) > 1:
            shown = "；".join(f"“{key}”（{_names(group)}）" for key, group in groups.items())
            problems.append(f"{label}不一致：{shown}")
    by_number: dict[int, list[Edition]] = {}
    for edition in editions:
        by_number.setdefault(edition.manifest.number, []).append(edition)
    for number, group in sorted(by_number.items()):
        if len(group) > 1:
            problems.append(f"第{number}期出现了 {len(group)} 次：{_names(group)}")
    numbers = sorted(by_number)
    for before, after in pairwise(numbers):
        if after - before > 1:
            missing = "、".join(f"第{number}期" for number in range(before + 1, after))
            problems.append(f"期号不连续：第{before}期与第{after}期之间缺少{missing}")
    offsets: dict[int, list[Edition]] = {}
    for edition in editions:
        offsets.setdefault(edition.manifest.cumulative_number - edition.manifest.number, []).append(edition)
    if len(offsets) > 1:
        shown = "；".join(
            "、".join(
                f"{e.name} 第{e.manifest.number}期为总第{e.manifest.cumulative_number}期" for e in group
            )
            for group in offsets.values()
        )
        problems.append(f"总期号与期号不对应（相邻两期的总期号应相差 1）：{shown}")
    return problems


def build_volume(builder: Builder, edition_dirs: list[Path], output: Path) -> VolumeResult:
    """Build the volume; raise before `output` is touched when the editions are wrong."""
    started = time.perf_counter()
    editions = load_editions(edition_dirs)
    problems = disagreements(editions)
    if problems:
        raise VolumeInconsistent(problems)
    editions.sort(key=lambda edition: edition.manifest.number)
    coverage = builder.font_coverage()
    missing = tuple(glyph for edition in editions for glyph in coverage.find_missing(edition))
    volume = render_volume(builder.renderer, editions)
    typesetter = builder.typesetter
    laid_out = typesetter.layout(as_one_edition(volume), max_pages=MAX_VOLUME_PAGES)
    typeset = typesetter.write(laid_out)
    write_atomically(output, typeset.pdf)
    return VolumeResult(
        output, typeset.page_count, typeset.warnings, time.perf_counter() - started, volume, missing
    )
