"""Rebuild after an edit, in process, wall clock and CPU time (`python -m benchmarks.bench_rebuild`).

CPU time (this process's, all threads) is what the rebuild costs on an idle machine,
near enough, when other work shares the cores; wall time is what the editor waits.
Edits go into a middle article: a sentence (the page count usually stays), a long
paragraph added or removed (the pages after it move), and as a reference the same
rebuild with every page laid out again (the kept pages forgotten). Cold builds are
timed the same way, against bare `weasyprint` on the same HTML (children's CPU time).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.build import Builder

from .bench import LONG_PARAGRAPH, SAMPLE, byte_compile_the_tool, scaled_edition


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f}, n={len(values)})"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(command: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - wall, children_cpu() - cpu


def rebuilds(edition: Path, work: Path, times: int, compose: bool) -> None:
    builder = Builder.create()
    builder.typesetter.rebuilds = True  # as the watcher's
    builder.typesetter.compose = compose  # pages are kept only without composition
    output = work / "out.pdf"
    builder.build(edition, output)
    articles = sorted((edition / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    text = article.read_text("utf-8")
    figures: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    for number in range(times * 3):
        kind = ("sentence", "pages move", "full layout")[number % 3]
        if kind == "pages move":
            added = f"\n\n{LONG_PARAGRAPH}\n"
            text = text.replace(added, "\n") if LONG_PARAGRAPH in text else text + added
        else:
            text = text.replace("。", f"。补充第{number}句。", 1)
        article.write_text(text, "utf-8")
        builder.collect_garbage()  # as the watcher does once the editor pauses (watch.py)
        if kind == "full layout":
            builder.typesetter.page_keeper.forget()
        wall, cpu = time.perf_counter(), time.process_time()
        result = builder.build(edition, output)
        walls, cpus, kept, fresh = figures.setdefault(kind, ([], [], [], []))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        kept.append(builder.typesetter.page_keeper.last_kept / result.page_count * 100)
        lines = builder.typesetter.line_memory.stats  # typeset/lines.py
        made = lines.laid_out + lines.reused + lines.carried + lines.not_remembered
        fresh.append((lines.laid_out + lines.not_remembered) / made * 100 if made else 100.0)
    print(f"  pages {result.page_count}")
    for kind, (walls, cpus, kept, fresh) in figures.items():
        print(f"  {kind:<12} wall {spread(walls)}  CPU {spread(cpus)}  kept {statistics.median(kept):.0f}%"
              f"  lines laid out {statistics.median(fresh):.0f}%")


def cold_builds(edition: Path, work: Path, times: int) -> None:
    html = work / "edition.html"
    html.write_text(Builder.create().render(edition).html, "utf-8")
    child = [sys.executable, "-m", "benchmarks.bench", "--child-build", str(edition), str(work / "c.pdf")]
    ours = [cold(child) for _ in range(times)]
    weasyprint = str(Path(sys.executable).parent / "weasyprint")
    bare = [cold([weasyprint, str(html), str(work / "b.pdf")]) for _ in range(times)]
    for label, runs in (("cold build", ours), ("bare weasyprint", bare)):
        print(f"  {label:<16} wall {spread([w for w, _ in runs])}  CPU {spread([c for _, c in runs])}")
    ratio = statistics.median([c for _, c in ours]) / statistics.median([c for _, c in bare])
    print(f"  cold / bare, CPU median {ratio:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--times", type=int, default=3, help="rebuilds of each kind")
    parser.add_argument("--copies", type=int, default=8, help="sample repeated for the large case")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold builds")
    parser.add_argument("--sample-only", action="store_true", help="skip the large case")
    parser.add_argument("--no-compose", action="store_true", help="without page composition")
    args = parser.parse_args()
    byte_compile_the_tool()
    with tempfile.TemporaryDirectory(prefix="briefing-rebuild-") as temporary:
        work = Path(temporary)
        sample = Path(shutil.copytree(SAMPLE, work / "sample"))
        large = scaled_edition(SAMPLE, work / "large", args.copies)
        cases = [("sample", sample), (f"sample ×{args.copies}", large)]
        for label, edition in cases[:1] if args.sample_only else cases:
            print(f"== {label} ==", flush=True)
            rebuilds(edition, work, args.times, compose=not args.no_compose)
            if not args.no_cold:
                cold_builds(edition, work, args.times)


if __name__ == "__main__":
    main()
