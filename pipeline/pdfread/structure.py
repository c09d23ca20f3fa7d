"""The tagged structure of a PDF as a screen reader meets it: elements, text, alt text.

A tagged PDF marks each run of drawn text with a marked-content id (`BDC` … `EMC`
with /MCID) and hangs those ids on a tree of structure elements (`/StructTreeRoot`).
`read_structure` follows both: it reads the text drawn inside each marked-content
sequence (decoded through the fonts' ToUnicode maps) and gives every element the text
of its own sequences and its descendants', in tree order — the order a screen reader
speaks and a reflowing viewer shows. It judges nothing; `pipeline/check/tagged.py` does.

pikepdf (qpdf) is used because it reads any object of the file; pypdf would do for
the content streams but not as directly for the structure tree's mixed kid forms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

from .placed_text import _to_unicode

MAX_FORM_DEPTH = 8  # nested form XObjects followed; WeasyPrint nests two or three


@dataclass
class StructElement:
    kind: str  # the structure type without its slash: "H1", "P", "Figure", …
    page: int | None  # 1-based page of /Pg, when given
    alt: str | None
    children: list[StructElement] = field(default_factory=list)
    # Its marked-content runs and its children's texts, in tree order.
    pieces: list[str] = field(default_factory=list)
    parent: StructElement | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def walk(self) -> Iterator[StructElement]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class _Font:
    code_length: int
    to_unicode: dict[int, str]

    @classmethod
    def of(cls, font: pikepdf.Dictionary) -> _Font:
        stream = font.get("/ToUnicode")
        mapping = _to_unicode(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else {}
        return cls(2 if font.get("/Subtype") == "/Type0" else 1, mapping)

    def decode(self, raw: bytes) -> str:
        if self.code_length == 1:
            return "".join(self.to_unicode.get(code, "") for code in raw)
        return "".join(
            self.to_unicode.get(int.from_bytes(raw[index : index + 2], "big"), "")
            for index in range(0, len(raw) - 1, 2)
        )


def _marked_texts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text drawn inside that marked-content sequence."""
    texts: dict[tuple[int, int], list[str]] = {}
    fonts: dict[tuple[int, int], _Font] = {}

    def font_for(resources: pikepdf.Dictionary, name: pikepdf.Name) -> _Font | None:
        font = resources.get("/Font", {}).get(name)
        if font is None:
            return None
        key = font.objgen
        if key not in fonts or key == (0, 0):
            fonts[key] = _Font.of(font)
        return fonts[key]

    def visit(
        page_index: int,
        content: pikepdf.Object,
        resources: pikepdf.Dictionary,
        stack: list[int | None],
        depth: int,
    ) -> None:
        font: _Font | None = None
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op == "BDC":
                properties = operands[1]
                if isinstance(properties, pikepdf.Name):
                    properties = resources.get("/Properties", {}).get(properties, pikepdf.Dictionary())
                mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op == "Tf":
                font = font_for(resources, operands[0])
            elif op in ("Tj", "'", '"', "TJ"):
                current = next((mcid for mcid in reversed(stack) if mcid is not None), None)
                if current is None or font is None:
                    continue
                strings = operands[0] if op == "TJ" else operands[-1:]
                text = "".join(
                    font.decode(bytes(item)) for item in strings if isinstance(item, pikepdf.String)
                )
                texts.setdefault((page_index, current), []).append(text)
            elif op == "Do" and depth < MAX_FORM_DEPTH:
                xobject = resources.get("/XObject", {}).get(operands[0])
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    visit(page_index, xobject, xobject.get("/Resources", resources), stack, depth + 1)

    for page_index, page in enumerate(pdf.pages):
        visit(page_index, page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), [], 0)
    return {key: "".join(parts) for key, parts in texts.items()}


def read_structure(pdf: pikepdf.Pdf) -> StructElement | None:
    """The structure tree's root (kind "StructTreeRoot"), or None for an untagged PDF."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return None
    page_numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    texts = _marked_texts(pdf)
    tree = StructElement("StructTreeRoot", None, None)
    seen: set[tuple[int, int]] = set()

    def page_of(node: pikepdf.Dictionary) -> int | None:
        page = node.get("/Pg")
        return page_numbers.get(page.objgen) if isinstance(page, pikepdf.Dictionary) else None

    def add_kids(element: StructElement, kids: pikepdf.Object, page: int | None) -> None:
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, int):  # an MCID on the element's page
                if page is not None:
                    element.pieces.append(texts.get((page, int(kid)), ""))
                continue
            if not isinstance(kid, pikepdf.Dictionary):
                continue
            kind = kid.get("/Type")
            if kind == "/MCR":
                mcr_page = page_of(kid)
                mcr_page = page if mcr_page is None else mcr_page
                if mcr_page is not None and "/MCID" in kid:
                    element.pieces.append(texts.get((mcr_page, int(kid.MCID)), ""))
                continue
            if kind == "/OBJR" or "/S" not in kid:
                continue
            if kid.objgen != (0, 0):
                if kid.objgen in seen:  # a malformed tree that loops
                    continue
                seen.add(kid.objgen)
            child_page = page_of(kid)
            child_page = page if child_page is None else child_page
            alt = kid.get("/Alt")
            child = StructElement(
                str(kid.S).lstrip("/"),
                child_page + 1 if child_page is not None else None,
                str(alt) if alt is not None else None,
                parent=element,
            )
            element.children.append(child)
            if "/K" in kid:
                add_kids(child, kid.K, child_page)
            # A parent's text includes its children's, after its own runs so far.
            element.pieces.append(child.text)

    if "/K" in root:
        add_kids(tree, root.K, None)
    return tree
