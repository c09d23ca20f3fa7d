"""How long `briefing check` takes: on a given PDF, or on generated 20- and 200-page editions.

`measure_check(pdf, edition)` is what `make bench` calls; `python -m benchmarks.bench_check`
builds the two sizes in a temporary folder and prints the figures. Timings on a shared
machine are noisy: the best of a few runs is reported.

`python -m benchmarks.bench_check --watcher` measures the watcher's check instead: after
each sentence edit in a middle article of the sample (and of the sample ×8), the full
check and the incremental one (`check.incremental`) on the same PDF, in CPU time (this
process and pdftotext's, which is what the check costs when other work shares the two
cores) and wall time, median and range; `watcher_check` is what `make bench` prints.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.build import Builder
from pipeline.check.expected import Expected
from pipeline.check.incremental import IncrementalCheck
from pipeline.check.run import check_pdf
from pipeline.edition.load import Edition, load_edition
from pipeline.house import shipped_font_families
from pipeline.render.html import Renderer
from pipeline.typeset.glyphs import FontCoverage

PARAGRAPH = "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。" * 6
ARTICLES_PER_SECTION = 10


def measure_check(
    pdf_path: Path,
    edition: Edition | Path | None = None,
    *,
    coverage: FontCoverage | None = None,
    repeat: int = 3,
    styles_dir: Path | None = None,
) -> dict[str, Any]:
    """Seconds for a full check of `pdf_path` (best of `repeat`), and what it found."""
    from pipeline.house import REPO_ROOT

    styles_dir = styles_dir or REPO_ROOT / "styles"
    if isinstance(edition, Path):
        edition = load_edition(edition)
    rendered = Renderer.from_styles(styles_dir).render(edition) if edition else None
    families = shipped_font_families(styles_dir)
    expected = Expected.pdf_only(families)
    glyph_seconds = None
    missing: list[Any] = []
    if edition is not None:
        coverage = coverage or FontCoverage.from_fonts_dir(REPO_ROOT / "fonts")
        started = time.perf_counter()
        missing = coverage.find_missing(edition)
        glyph_seconds = time.perf_counter() - started
    if rendered is not None:
        expected = Expected.from_rendered(rendered, families, missing)
    best = float("inf")
    report = None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        report = check_pdf(pdf_path, expected)
        best = min(best, time.perf_counter() - started)
    assert report is not None
    return {
        "pdf": str(pdf_path),
        "pages": report.page_count,
        "check_seconds": round(best, 3),
        "glyph_lookup_seconds": None if glyph_seconds is None else round(glyph_seconds, 3),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "text_source": report.text_source,
    }


def write_bench_edition(root: Path, articles: int, paragraphs: int) -> Path:
    """An edition of `articles` articles, every third with a 2000×1200 photo."""
    from PIL import Image

    (root / "articles").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (2000, 1200), (200, 80, 40)).save(root / "articles" / "photo.png")
    manifest = [
        "issuer: 上海交通大学中国质量发展研究院",
        "title: 工作简报",
        "number: 11",
        "cumulative_number: 58",
        "period:",
        "  start: 2025-11-01",
        "  end: 2025-11-30",
        "issue_date: 2025-11-30",
        "editor: 研究院办公室",
        "sections:",
    ]
    for index in range(articles):
        if index % ARTICLES_PER_SECTION == 0:
            manifest += [f"  - name: 栏目{index // ARTICLES_PER_SECTION + 1}", "    articles:"]
        name = f"articles/{index + 1:03d}.md"
        manifest.append(f"      - {name}")
        blocks = [f"第{number + 1}段。{PARAGRAPH}" for number in range(paragraphs)]
        if index % 3 == 0:
            blocks.insert(1, "![现场照片](photo.png)")
        (root / name).write_text(
            "---\n"
            f"title: 第{index + 1}篇稿件：研究院质量发展工作动态\n"
            "source: 市场监管总局\n"
            f"source_url: https://www.samr.gov.cn/xw/art/2025/{index + 1}.html\n"
            "published: 2025-11-05\n"
            "---\n\n" + "\n\n".join(blocks) + "\n",
            "utf-8",
        )
    (root / "issue.yaml").write_text("\n".join(manifest) + "\n", "utf-8")
    return root


def _cpu_and_wall(run: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds of this process and its waited-for children (pdftotext), and wall seconds."""

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    started_cpu, started_wall = cpu(), time.perf_counter()
    run()
    return cpu() - started_cpu, time.perf_counter() - started_wall


def watcher_check(edition: Path, output: Path, edits: int) -> dict[str, list[float]]:
    """After each sentence edit in a middle article, built as the watcher builds: the full
    check and the incremental one on the same PDF (taking turns to go first)."""
    builder = Builder.create()
    builder.typesetter.rebuilds = True  # as the watcher's
    incremental = IncrementalCheck()
    result = builder.build(edition, output)
    incremental.check(output, result.expected)
    articles = sorted((edition / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    text = article.read_text("utf-8")
    kinds = ("full", "incremental", "full wall", "incr wall", "read")
    figures: dict[str, list[float]] = {kind: [] for kind in kinds}
    for number in range(edits):
        text = text.replace("。", f"。补充第{number}句。", 1)
        article.write_text(text, "utf-8")
        result = builder.build(edition, output)
        runs: dict[str, Callable[[], object]] = {
            "full": lambda expected=result.expected: check_pdf(output, expected),
            "incremental": lambda expected=result.expected: incremental.check(output, expected),
        }
        for kind in sorted(runs, reverse=number % 2 == 1):
            cpu, wall = _cpu_and_wall(runs[kind])
            figures[kind].append(cpu)
            figures["full wall" if kind == "full" else "incr wall"].append(wall)
        figures["read"].append(len(incremental.pages_read))
    return figures


def _spread(values: list[float], unit: str = "s") -> str:
    return f"{statistics.median(values):.3f} {unit} ({min(values):.3f}–{max(values):.3f}, n={len(values)})"


def print_watcher_check(label: str, edition: Path, work: Path, edits: int) -> None:
    figures = watcher_check(edition, work / f"watched-{edition.name}.pdf", edits)
    print(f"watcher's check after a sentence edit, {label} (CPU incl. pdftotext; noisy on a shared machine)")
    print(f"  full check         CPU {_spread(figures['full'])}  wall {_spread(figures['full wall'])}")
    print(f"  incremental check  CPU {_spread(figures['incremental'])}  wall {_spread(figures['incr wall'])}")
    read = figures["read"]
    print(f"  pages read again   {statistics.median(read):.0f} ({min(read):.0f}–{max(read):.0f})", flush=True)


def watcher_main(copies: int, edits: int) -> None:
    from .bench import SAMPLE, scaled_edition

    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        work = Path(folder)
        sample = Path(shutil.copytree(SAMPLE, work / "sample" / SAMPLE.name))
        print_watcher_check("sample", sample, work, edits)
        large = scaled_edition(SAMPLE, work / "large" / SAMPLE.name, copies)
        print_watcher_check(f"sample ×{copies}", large, work, edits)


def main() -> None:
    parser = argparse.ArgumentParser(description="How long the check takes.")
    parser.add_argument("--watcher", action="store_true", help="the watcher's check: full vs incremental")
    parser.add_argument("--copies", type=int, default=8, help="sample repeated for the large case")
    parser.add_argument("--edits", type=int, default=7, help="sentence edits measured")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    if args.watcher:
        watcher_main(args.copies, args.edits)
        return
    builder = Builder.create()
    coverage = builder.font_coverage()
    figures = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        for label, articles, paragraphs in (("20 pages", 10, 5), ("200 pages", 74, 7)):
            edition = write_bench_edition(
                Path(folder) / label.replace(" ", "-") / "2025-11", articles, paragraphs
            )
            pdf = Path(folder) / f"{label.replace(' ', '-')}.pdf"
            built = builder.build(edition, pdf)
            result = measure_check(pdf, built.rendered.edition, coverage=coverage)
            result["label"] = label
            result["build_seconds"] = round(built.seconds, 2)
            figures.append(result)
            print(
                f"check {label}: {result['pages']} 页，检查 {result['check_seconds']:.2f} 秒"
                f"（查字库 {result['glyph_lookup_seconds']:.3f} 秒；生成 {built.seconds:.1f} 秒）",
                flush=True,
            )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
