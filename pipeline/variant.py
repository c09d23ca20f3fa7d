"""The three PDFs one edition can become, and what makes each one different.

- `briefing`: the file handed round and read on screen (today's PDF, unchanged).
- `archive`: PDF/A-2u for long-term keeping. WeasyPrint writes the XMP identification,
  the sRGB output intent and the structure tags (`pdf_variant`, `pdf_tags`);
  `styles/archive.css` turns off image interpolation, which PDF/A forbids
  (ISO 19005-2 6.2.8) and WeasyPrint would otherwise switch on.
- `print`: for the print shop. `styles/print.css` adds 3 mm bleed and crop marks, so
  WeasyPrint sets TrimBox (the A4 sheet) and BleedBox (3 mm beyond it); images keep
  their full resolution because no `dpi` option is ever passed.

PDF/A-2u rather than 2b: the u level also requires every glyph to map to Unicode,
which the briefing needs anyway (copying and searching Chinese text), and which
`pipeline/check/pdfa_fonts.py` verifies.

A shared leaf: the renderer reads the extra stylesheet, the typesetter the PDF options,
the check what to expect and the command line the names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Variant:
    name: str
    label: str  # how the editor is told about it
    stylesheets: tuple[str, ...] = ()  # in styles/, after house.css and briefing.css
    pdf_options: dict[str, Any] = field(default_factory=dict)
    output_suffix: str = ""  # build/2025-11{suffix}.pdf

    @property
    def is_archive(self) -> bool:
        return "pdf_variant" in self.pdf_options


PDFA_PART, PDFA_CONFORMANCE = 2, "U"
BLEED_MM = 3.0

BRIEFING = Variant("briefing", "")  # the message stays as it always was
ARCHIVE = Variant(
    "archive",
    "存档版（PDF/A-2u）",
    ("archive.css",),
    {"pdf_variant": f"pdf/a-{PDFA_PART}{PDFA_CONFORMANCE.lower()}", "pdf_tags": True},
    "-archive",
)
PRINT = Variant("print", "印刷版（出血 3 mm，裁切线）", ("print.css",), {}, "-print")

VARIANTS = {variant.name: variant for variant in (BRIEFING, ARCHIVE, PRINT)}
VARIANT_STYLESHEETS = tuple(name for variant in VARIANTS.values() for name in variant.stylesheets)
