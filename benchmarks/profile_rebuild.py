"""Where a warm rebuild's time goes, by stage, from cProfile (`python -m benchmarks.profile_rebuild`).

Edits a middle article of a copy of the sample (or of the sample repeated) and profiles the
rebuild that follows, with kept pages (the watcher's path) and without (a full layout in
a warm process). cProfile slows Python code down, so the shares matter, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from pipeline.build import Builder

from .bench import SAMPLE, scaled_edition

# (stage, the function whose cumulative time it is); "writing" is the rest of generate_pdf.
STAGES = (
    ("load (YAML, schema)", "pipeline/edition/load.py", "load_edition"),
    ("glyph coverage", "pipeline/typeset/glyphs.py", "find_missing"),
    ("Markdown, template", "pipeline/render/html.py", "render"),
    ("HTML parse", "weasyprint/__init__.py", "__init__"),
    ("style cascade (stylesheets, matching)", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("box tree (computed styles)", "weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    ("layout (pages laid out)", "weasyprint/layout/page.py", "remake_page"),
    ("layout (margin boxes)", "weasyprint/layout/page.py", "make_margin_boxes"),
    ("drawing (content streams)", "weasyprint/document.py", "paint"),
    ("font subsetting", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ("image streams", "weasyprint/images.py", "get_x_object"),
    ("PDF serialising (pydyf, zlib)", "pydyf/__init__.py", "write"),
    ("PDF total", "weasyprint/pdf/__init__.py", "generate_pdf"),
    ("check", "pipeline/check/run.py", "check_pdf"),
)
CHECK = ("pipeline/check/run.py", "check_pdf")


def cumulative(stats: pstats.Stats, path_end: str, name: str) -> float:
    total = 0.0
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        if function == name and filename.endswith(path_end):
            total += row[3]
    return total


def profile_one(builder: Builder, edition: Path, output: Path, article: Path, keep: bool) -> None:
    from pipeline.check.run import check_pdf

    text = article.read_text("utf-8")
    article.write_text(text.replace("。", "。补充一句话。", 1), "utf-8")
    if not keep:
        builder.typesetter.page_keeper.forget()
    profiler = cProfile.Profile()
    profiler.enable()
    result = builder.build(edition, output)
    check_pdf(output, result.expected)
    profiler.disable()
    stats = pstats.Stats(profiler)
    whole = sum(cumulative(stats, *where) for where in (("pipeline/build.py", "build"), CHECK))
    label = "kept pages" if keep else "full layout"
    print(f"\n{label}: {result.page_count} pages, {builder.typesetter.page_keeper.last_kept} kept, "
          f"{whole:.2f} s under cProfile (build + check)")
    for stage, path_end, name in STAGES:
        seconds = cumulative(stats, path_end, name)
        print(f"  {stage:<40}{seconds:6.3f} s {seconds / whole:5.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1, help="sample repeated (1: the 24-page sample)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefing-profile-") as temporary:
        work = Path(temporary)
        edition = scaled_edition(SAMPLE, work / "edition", args.copies)
        articles = sorted((edition / "articles").glob("*.md"))
        article = articles[len(articles) // 2]
        builder = Builder.create()
        builder.typesetter.rebuilds = True  # as the watcher's
        output = work / "out.pdf"
        builder.build(edition, output)
        builder.build(edition, output)
        profile_one(builder, edition, output, article, keep=True)
        profile_one(builder, edition, output, article, keep=False)


if __name__ == "__main__":
    main()
