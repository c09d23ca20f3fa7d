"""`make bench`: the speed figures, measured several times and printed (median and range).

Not a test: the figures are for people to read next to the targets in the README.
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.build import Builder
from pipeline.edition.load import load_edition
from pipeline.house import REPO_ROOT
from pipeline.typeset.typesetter import Typesetter

SAMPLE = REPO_ROOT / "issues" / "2025-11"


def scaled_edition(sample: Path, target: Path, copies: int, keep: int | None = None) -> Path:
    """The sample's articles (the first `keep` of each section) repeated `copies` times."""
    edition = load_edition(sample)
    shutil.copytree(sample, target)
    manifest = edition.manifest.model_dump(mode="json")
    for section in manifest["sections"]:
        listed = list(section["articles"])[:keep]
        for dropped in section["articles"][len(listed) :]:
            (target / dropped).unlink()
        section["articles"] = list(listed)
        for copy in range(2, copies + 1):
            for relative in listed:
                source = target / relative
                duplicate = source.with_name(f"{source.stem}-{copy}{source.suffix}")
                text = source.read_text("utf-8").replace("title: ", f"title: （{copy}）", 1)
                duplicate.write_text(text, "utf-8")
                section["articles"].append(str(duplicate.relative_to(target)))
    # JSON is valid YAML, and keeps this free of a second serialiser.
    (target / "issue.yaml").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return target


def byte_compile_the_tool() -> None:
    """Compile the tool's sources as an installed copy has them compiled, so a cold build
    measures the tool rather than Python compiling 50 modules (~0.09 s): this checkout is
    an editable install, and with PYTHONDONTWRITEBYTECODE set Python never writes them."""
    for folder in ("pipeline", "benchmarks"):
        compileall.compile_dir(REPO_ROOT / folder, quiet=1)


def summary(values: list[float], unit: str = "s", digits: int = 2) -> str:
    low, median, high = min(values), statistics.median(values), max(values)
    return f"{median:.{digits}f} {unit} (range {low:.{digits}f}–{high:.{digits}f}, n={len(values)})"


def child_build(edition: Path, output: Path) -> None:
    """Runs in a fresh process: one cold build, then its own peak memory."""
    builder = Builder.create()
    result = builder.build(edition, output)
    print(json.dumps({"pages": result.page_count, "peak_mb": peak_memory_mb()}))


def peak_memory_mb() -> float:
    """This process's peak resident memory. Read from VmHWM, which starts afresh at exec;
    ru_maxrss would carry over the parent's peak (it survives execve on Linux)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_build(
    edition: Path, output: Path, font_cache: Path | None = None
) -> tuple[float, dict[str, float]]:
    """A fresh process's build; with `font_cache`, that (empty) folder as the font cache."""
    environment = {**os.environ, "BRIEFING_CACHE_DIR": str(font_cache)} if font_cache else None
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--child-build", str(edition), str(output)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    return time.perf_counter() - started, json.loads(done.stdout.strip().splitlines()[-1])


def bare_weasyprint(html: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "weasyprint"), str(html), str(output)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def repeat(times: int, measure: Callable[[], float]) -> list[float]:
    return [measure() for _ in range(times)]


def phases(builder: Builder, edition: Path) -> dict[str, float]:
    """Where one warm build's time goes, stage by stage, through the builder's own stages."""
    marks: dict[str, float] = {}
    started = time.perf_counter()
    loaded = load_edition(edition, builder.load_cache)
    marks["load (YAML, schema)"] = time.perf_counter() - started
    started = time.perf_counter()
    builder.font_coverage().find_missing(loaded)
    marks["glyph coverage"] = time.perf_counter() - started
    started = time.perf_counter()
    rendered = builder.renderer.render(loaded)
    marks["render (Markdown, Jinja2)"] = time.perf_counter() - started
    started = time.perf_counter()
    images, _ = builder.typesetter.vet_images(rendered)
    marks["vet images (Pillow, SVG)"] = time.perf_counter() - started
    started = time.perf_counter()
    laid_out = builder.typesetter.layout(rendered, images)
    marks["WeasyPrint layout (with justification)"] = time.perf_counter() - started
    started = time.perf_counter()
    builder.typesetter.write(laid_out)
    marks["WeasyPrint PDF (fonts subset)"] = time.perf_counter() - started
    return marks


def composition_cost(builder: Builder, edition: Path, runs: int) -> str:
    """What page composition adds to a warm layout, and what it did (typeset/compose.py)."""
    rendered = builder.render(edition)
    plain = dataclasses.replace(builder.typesetter, compose=False)

    def layout(typesetter: Typesetter) -> float:
        started = time.process_time()  # CPU: other processes on the machine count less
        typesetter.layout(rendered)
        return time.process_time() - started

    # Alternated, so a change of load on the machine falls on both alike.
    pairs = [(layout(plain), layout(builder.typesetter)) for _ in range(max(runs, 3))]
    without = statistics.median(first for first, _ in pairs)
    with_composition = statistics.median(second for _, second in pairs)
    stats = builder.typesetter.layout(rendered).composition
    return (
        f"+{with_composition - without:.2f} s CPU on the layout ({without:.2f} → {with_composition:.2f} s); "
        f"{stats.rounds} fixes, {stats.relaid_pages} pages made again, {len(stats.moved_blocks)} blocks "
        f"moved, {stats.tracked_paragraphs} paragraphs tracked, {stats.feathered_pages} pages feathered"
    )


LONG_PARAGRAPH = "为便于比较，这里加入一段较长的补充说明，使后面的页面整体后移。" * 40


def watcher_latency(edition: Path, output: Path, saves: int) -> dict[str, list[float]]:
    """Save → PDF in the watcher for edits inside a middle article, by kind of edit.

    Even saves add a sentence to a paragraph (the page count usually stays); odd saves
    add or take away a long paragraph (the pages after it move, the count changes).
    "Save → PDF" ends when the new PDF is in place (the bench polls it every millisecond);
    "save → verdict" when the watcher has also checked it and reported.
    """
    from pipeline.watch import BuildOutcome, Watcher

    outcomes: queue.Queue[BuildOutcome] = queue.Queue()
    builder = Builder.create()
    watcher = Watcher(builder, edition, output, outcomes.put)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    outcomes.get(timeout=120)
    articles = sorted((edition / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    text = article.read_text("utf-8")
    figures: dict[str, list[float]] = {"sentence": [], "pages move": [], "kept": [], "verdict": []}
    for number in range(saves):
        if number % 2 == 0:
            kind = "sentence"
            text = text.replace("。", f"。补充第{number}句。", 1)
        else:
            kind = "pages move"
            added = f"\n\n{LONG_PARAGRAPH}\n"
            text = text.replace(added, "\n") if LONG_PARAGRAPH in text else text + added
        before = output.stat().st_ino
        saved = time.perf_counter()
        article.write_text(text, "utf-8")
        while output.stat().st_ino == before and time.perf_counter() - saved < 120:
            time.sleep(0.001)  # the PDF is replaced in one step (a rename): a new inode
        written = time.perf_counter()
        outcome = outcomes.get(timeout=120)
        if outcome.result is None:
            raise RuntimeError("\n".join(outcome.errors))
        figures[kind].append(written - saved)
        figures["verdict"].append(time.perf_counter() - saved)
        figures["kept"].append(builder.typesetter.page_keeper.last_kept / outcome.result.page_count)
        time.sleep(0.3)  # let the editor "read" the PDF before the next save
    watcher.stop()
    thread.join(60)
    return figures


def check_seconds(pdf: Path, edition: Path, times: int) -> list[float]:
    from pipeline.check.expected import Expected
    from pipeline.check.run import check_pdf

    expected = Expected.for_edition(load_edition(edition))

    def once() -> float:
        started = time.perf_counter()
        check_pdf(pdf, expected)
        return time.perf_counter() - started

    return repeat(times, once)


def bench_edition(label: str, edition: Path, work: Path, runs: int, saves: int) -> None:
    print(f"\n== {label} ==", flush=True)
    output = work / f"{edition.name}.pdf"
    html = work / f"{edition.name}.html"
    builder = Builder.create()
    # Images as file: URLs, which plain WeasyPrint can fetch (the build serves edition: URLs).
    plain_html = builder.render(edition).html.replace('src="edition:/', f'src="{edition.resolve().as_uri()}/')
    html.write_text(plain_html, "utf-8")

    colds, peaks, pages = [], [], 0
    for _ in range(runs):
        seconds, child = cold_build(edition, output)
        colds.append(seconds)
        peaks.append(child["peak_mb"])
        pages = int(child["pages"])
    fresh_caches = [work / f"font-cache-{run}" for run in range(runs)]
    uncached = [cold_build(edition, output, cache)[0] for cache in fresh_caches]
    bare = repeat(runs, lambda: bare_weasyprint(html, work / "bare.pdf"))
    print(f"pages                       {pages}")
    print(f"cold `briefing build`       {summary(colds)}")
    print(f"  … with an empty font cache {summary(uncached)} (first build of a checkout)")
    print(f"bare `weasyprint` same HTML {summary(bare)}")
    print(f"cold / bare                 {statistics.median(colds) / statistics.median(bare):.2f}×")
    print(f"peak memory (cold build)    {summary(peaks, 'MB', 0)}")
    print(f"PDF size                    {output.stat().st_size / 1024:.0f} KB")

    builder.build(edition, work / "warm.pdf")
    warm = repeat(runs, lambda: builder.build(edition, work / "warm.pdf").seconds)
    print(f"warm rebuild (in process)   {summary(warm)}")
    breakdown = phases(builder, edition)
    total = sum(breakdown.values())
    for name, seconds in breakdown.items():
        print(f"  {name:<28}{seconds:.3f} s ({seconds / total:.0%})")
    print(f"page composition            {composition_cost(builder, edition, runs)}")
    if saves:
        copy = work / f"watch-{edition.name}"
        shutil.copytree(edition, copy)
        latency = watcher_latency(copy, work / "watch.pdf", saves)
        for kind in ("sentence", "pages move"):
            print(f"save → PDF, {kind:<10}      {summary(latency[kind])}")
        print(f"save → PDF, both kinds      {summary(latency['sentence'] + latency['pages move'])}")
        print(f"save → verdict (checked)    {summary(latency['verdict'])}")
        print(f"  pages kept per rebuild    {summary([100 * share for share in latency['kept']], '%', 0)}")
    print(f"`briefing check`            {summary(check_seconds(output, edition, runs), 's', 3)}")
    if saves:
        from .bench_check import watcher_check

        watched = Path(shutil.copytree(edition, work / "check-watch" / edition.name))
        figures = watcher_check(watched, work / "check-watch.pdf", max(3, saves // 2))
        print("watcher's check after a sentence edit (CPU incl. pdftotext):")
        print(f"  full                      {summary(figures['full'], 's', 3)}")
        print(f"  incremental               {summary(figures['incremental'], 's', 3)}")
        print(f"  pages read again          {summary(figures['read'], '', 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed figures for the briefing build.")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per figure")
    parser.add_argument("--saves", type=int, default=7, help="saves timed in the watcher")
    parser.add_argument("--copies", type=int, default=8, help="sample repeated for the large case")
    parser.add_argument("--child-build", nargs=2, metavar=("EDITION", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        child_build(Path(args.child_build[0]), Path(args.child_build[1]))
        return
    byte_compile_the_tool()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as temporary:
        work = Path(temporary)
        bench_edition("sample edition (issues/2025-11)", SAMPLE, work, args.runs, args.saves)
        small = scaled_edition(SAMPLE, work / "small", 1, keep=3)
        bench_edition("sample, first 3 articles of each section", small, work, args.runs, args.saves)
        large = scaled_edition(SAMPLE, work / "large", args.copies)
        bench_edition(f"sample ×{args.copies}", large, work, max(2, args.runs - 1), max(4, args.saves // 2))


if __name__ == "__main__":
    main()
