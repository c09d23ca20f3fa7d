"""A year's editions → one HTML document for the bound volume (合订本).

Each edition is rendered by the same `Renderer` as its own briefing, and its body is
placed in the volume as it is: masthead, contents, articles, distribution block. So
the volume's issues look exactly like the issues that were sent out, whatever the
house style becomes. Only two things change in the copy: every id and in-document
link gets the issue's prefix (`n11-a1-2`), because each edition numbers its articles
from a1-1; and `styles/volume.css` moves the bookmarks two levels down, under the
year and the issue.

Page numbers run on through the volume, and each issue's own contents shows them too:
the issue's original page numbers are not printed. One number per page is what the
volume's contents, its outline and every link agree on; a second, per-issue number
on the same page is a reader's mistake waiting to happen, and WeasyPrint's page
counter can only be continuous or reset (resetting would make the volume's
contents ambiguous). The running header still names the issue on every page, so a
citation "2025年第11期" leads to the right pages.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..edition.load import Edition
from ..edition.schema import chinese_date
from ..house import STYLESHEET_NAMES, VOLUME_STYLESHEET, VOLUME_TEMPLATE
from .html import RenderedEdition, Renderer
from .markdown import EDITION_SCHEME

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_HREF = re.compile(r'\bhref="#([^"]+)"')


def issue_label(edition: Edition) -> str:
    """第11期"""
    return f"第{edition.manifest.number}期"


def period_text(edition: Edition) -> str:
    """2025年11月1日—2025年11月30日"""
    period = edition.manifest.period
    return f"{chinese_date(period.start)}—{chinese_date(period.end)}"


def issue_bookmark(edition: Edition) -> str:
    """The issue's line in the outline and the volume's contents: 第11期　2025年11月1日—…"""
    return f"{issue_label(edition)}　{period_text(edition)}"


def volume_title(title: str, year: int) -> str:
    """The volume's PDF title: 工作简报 2025年合订本."""
    return f"{title} {year}年合订本"


def year_bookmark(year: int) -> str:
    return f"{year}年"


@dataclass(frozen=True)
class VolumeIssue:
    """One edition as bound: its own rendering, and its body with prefixed anchors."""

    rendered: RenderedEdition
    prefix: str  # "n11-"
    body_html: str

    @property
    def edition(self) -> Edition:
        return self.rendered.edition

    @property
    def anchor(self) -> str:
        """The id of the issue's first page (its masthead)."""
        return self.prefix.rstrip("-")

    def article_anchor(self, anchor: str) -> str:
        return self.prefix + anchor


@dataclass(frozen=True)
class RenderedVolume:
    html: str
    title: str  # 工作简报 2025年合订本
    year: int
    issuer: str
    issues: tuple[VolumeIssue, ...]
    root: Path  # the folder holding every edition


def _bound_body(rendered: RenderedEdition, prefix: str, folder: str) -> str:
    """The edition's body with prefixed anchors, its `edition:` files under its folder."""
    match = _BODY.search(rendered.html)
    body = match.group(1) if match else rendered.html
    body = _ID.sub(lambda found: f'id="{prefix}{found.group(1)}"', body)
    body = _LOCAL_HREF.sub(lambda found: f'href="#{prefix}{found.group(1)}"', body)
    if folder:
        body = body.replace(f'src="{EDITION_SCHEME}:/', f'src="{EDITION_SCHEME}:/{quote(folder)}/')
    return body


def common_root(editions: list[Edition]) -> Path:
    """The folder holding every edition (issues/): the volume's files are named from it."""
    return Path(os.path.commonpath([edition.root for edition in editions]))


def as_one_edition(volume: RenderedVolume) -> RenderedEdition:
    """The volume as the typesetter takes it: its HTML, every issue's images, the common root."""
    first = volume.issues[0].rendered
    images = tuple(image for issue in volume.issues for image in issue.rendered.images)
    edition = dataclasses.replace(first.edition, root=volume.root)
    return dataclasses.replace(first, edition=edition, html=volume.html, images=images)


def render_volume(renderer: Renderer, editions: list[Edition]) -> RenderedVolume:
    """The volume's HTML; `editions` already checked to agree and sorted by number."""
    issues = []
    root = common_root(editions)
    for edition in editions:
        rendered = renderer.render(edition)
        prefix = f"n{edition.manifest.number}-"
        folder = edition.root.relative_to(root).as_posix()
        folder = "" if folder == "." else folder
        issues.append(VolumeIssue(rendered, prefix, _bound_body(rendered, prefix, folder)))
    first, last = editions[0].manifest, editions[-1].manifest
    year = first.issue_date.year
    title = volume_title(first.title, year)
    template = renderer.environment.get_template(VOLUME_TEMPLATE)
    html = template.render(
        title=title,
        name=first.title,
        year=year,
        issuer=first.issuer,
        first=first,
        last=last,
        issues=issues,
        year_bookmark=year_bookmark(year),
        issue_bookmark=issue_bookmark,
        created=last.issue_date.isoformat(),
        stylesheets=[
            (renderer.styles_dir / name).as_uri() for name in (*STYLESHEET_NAMES, VOLUME_STYLESHEET)
        ],
    )
    return RenderedVolume(html, title, year, first.issuer, tuple(issues), root)
