"""The one writer of `issue.yaml`: new manifests (`briefing new`, `briefing import`) and edits.

Editors keep comments and layout in issue.yaml, so edits go through ruamel's
round-trip dumper and touch only the sections' article lists. New manifests are
written as text in the order the README shows. A value the tool guessed is listed
under `confirm:` (field → why), which `briefing check` refuses until the editor
has looked and deleted the entry; a YAML comment would be lost on the next save
by many editors and is invisible to the check.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..atomic_files import replace_text
from .load import MANIFEST_NAME
from .schema import Distribution

GUESS_REASON = "由工具推定，请核对后删去这一项"


@dataclass(frozen=True)
class Masthead:
    """What a new `issue.yaml` says above its sections."""

    issuer: str
    title: str
    number: int
    cumulative_number: int
    period_start: dt.date
    period_end: dt.date
    issue_date: dt.date
    editor: str
    guessed: tuple[str, ...] = ()  # fields filled in by guess: written under confirm:


@dataclass(frozen=True)
class NewManifest:
    masthead: Masthead
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, article paths)
    distribution: Distribution = field(default_factory=Distribution)
    heading: str = ""  # the comment on the first line


def yaml_scalar(value: str) -> str:
    """Plain when YAML reads it back unchanged, else double-quoted."""
    plain = YAML(typ="safe")
    try:
        if plain.load(f"k: {value}") == {"k": value} and "#" not in value:
            return value
    except Exception:  # any YAML complaint means: quote it
        pass
    return json.dumps(value, ensure_ascii=False)


def _yaml_list(items: list[str], indent: str) -> str:
    if not items:
        return " []"
    return "".join(f"\n{indent}- {yaml_scalar(item)}" for item in items)


def manifest_text(new: NewManifest) -> str:
    masthead = new.masthead
    heading = new.heading or f"{masthead.title} {masthead.issue_date.year}年第{masthead.number}期"
    lines = [
        f"# {heading}",
        f"issuer: {yaml_scalar(masthead.issuer)}",
        f"title: {yaml_scalar(masthead.title)}",
        f"number: {masthead.number}",
        f"cumulative_number: {masthead.cumulative_number}",
        "period:",
        f"  start: {masthead.period_start.isoformat()}",
        f"  end: {masthead.period_end.isoformat()}",
        f"issue_date: {masthead.issue_date.isoformat()}",
        f"editor: {yaml_scalar(masthead.editor)}",
        "sections:",
    ]
    for name, articles in new.sections:
        lines += [f"  - name: {yaml_scalar(name)}", "    articles:"]
        lines += [f"      - {yaml_scalar(path)}" for path in articles]
    distribution = new.distribution
    lines += [
        "distribution:",
        f"  report_to:{_yaml_list(distribution.report_to, '    ')}",
        f"  send_to:{_yaml_list(distribution.send_to, '    ')}",
        f"  issue_to:{_yaml_list(distribution.issue_to, '    ')}",
    ]
    if distribution.copies:
        lines.append(f"  copies: {distribution.copies}")
    if masthead.guessed:
        lines.append("confirm:")
        lines += [f"  {name}: {GUESS_REASON}" for name in masthead.guessed]
    return "\n".join(lines) + "\n"


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_to_manifest(edition_dir: Path, section: str, relative_paths: list[str]) -> None:
    """Append articles to a section (created at the end if new), keeping comments."""
    manifest = edition_dir / MANIFEST_NAME
    yaml = _round_trip()
    data = yaml.load(manifest.read_text("utf-8"))
    sections = data.get("sections")
    if not isinstance(sections, list):
        sections = CommentedSeq()
        data["sections"] = sections
    target = next(
        (item for item in sections if isinstance(item, dict) and item.get("name") == section), None
    )
    if target is None:
        target = CommentedMap([("name", section), ("articles", CommentedSeq())])
        sections.append(target)
    articles = target.get("articles")
    if not isinstance(articles, list):
        articles = CommentedSeq()
        target["articles"] = articles
    for relative in relative_paths:
        if relative not in articles:
            articles.append(relative)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    replace_text(manifest, buffer.getvalue())


def listed_count(edition_dir: Path) -> int:
    manifest = edition_dir / MANIFEST_NAME
    if not manifest.is_file():
        return 0
    data = _round_trip().load(manifest.read_text("utf-8"))
    sections = data.get("sections") if isinstance(data, dict) else None
    return sum(len(item.get("articles") or []) for item in sections or [] if isinstance(item, dict))


def first_section_name(edition_dir: Path) -> str | None:
    data = _round_trip().load((edition_dir / MANIFEST_NAME).read_text("utf-8"))
    sections = data.get("sections") if isinstance(data, dict) else None
    for item in sections or []:
        if isinstance(item, dict) and item.get("name"):
            return str(item["name"])
    return None
