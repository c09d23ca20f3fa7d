"""What the PDF/A checks share: the finding they make, and the walk over resource dictionaries."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from .report import Finding

CHECK = "pdfa"
REBUILD = "用 briefing build --variant archive 重新生成；其他软件改过的存档文件请勿归档"


def pdfa_error(message: str, page: int | None = None, hint: str = REBUILD) -> Finding:
    return Finding("error", CHECK, message, page=page, hint=hint)


def resource_dictionaries(pdf: pikepdf.Pdf) -> Iterator[tuple[int | None, pikepdf.Dictionary]]:
    """(1-based page, resource dictionary) for each page and each form XObject it uses.

    The page is None for a dictionary several pages share (WeasyPrint writes one for
    the whole document): a finding there belongs to no single page.
    """
    users: dict[tuple[int, int], int] = {}
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary) and resources.objgen != (0, 0):
            users[resources.objgen] = users.get(resources.objgen, 0) + 1
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        pending = [page.obj.get("/Resources", pikepdf.Dictionary())]
        while pending:
            resources = pending.pop()
            if resources.objgen != (0, 0):
                if resources.objgen in seen:
                    continue
                seen.add(resources.objgen)
            yield (number if users.get(resources.objgen, 1) == 1 else None), resources
            for xobject in resources.get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                    pending.append(xobject.Resources)
