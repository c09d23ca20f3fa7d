"""`make bench-volume`: a year's twelve ~20-page issues bound into one volume.

Target (issue #14): under 30 s and under 1 GB for about 240 pages, on the 2-core
machine. Each run is a fresh process (as `briefing volume` is run), measured from the
outside for time and from the inside for peak memory (VmHWM). The build is timed
without its check, then the check on its own, so each figure means one thing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench import SAMPLE, peak_memory_mb, scaled_edition, summary

ISSUES = 12
KEEP = 4  # articles kept of each of the sample's two sections: about 20 pages an issue


def year_of_issues(root: Path, issues: int = ISSUES, keep: int = KEEP) -> list[Path]:
    """Issues 1…`issues` of 2025, each the sample's first `keep` articles of each section."""
    folders = []
    for number in range(1, issues + 1):
        folder = scaled_edition(SAMPLE, root / f"2025-{number:02d}", 1, keep)
        manifest = json.loads((folder / "issue.yaml").read_text("utf-8"))
        last_day = 28 if number == 2 else 30 if number in (4, 6, 9, 11) else 31
        manifest.update(
            number=number,
            cumulative_number=47 + number,
            period={"start": f"2025-{number:02d}-01", "end": f"2025-{number:02d}-{last_day}"},
            issue_date=f"2025-{number:02d}-{last_day}",
        )
        (folder / "issue.yaml").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
        folders.append(folder)
    return folders


def child_volume(output: Path, folders: list[Path]) -> None:
    """Runs in a fresh process: one cold volume build (no check), then its peak memory."""
    from pipeline.build import Builder
    from pipeline.volume import build_volume

    result = build_volume(Builder.create(), folders, output)
    print(json.dumps({"pages": result.page_count, "peak_mb": peak_memory_mb(), "inside_s": result.seconds}))


def child_check(output: Path, folders: list[Path]) -> None:
    """Runs in a fresh process: render the volume (no typesetting) and check the PDF."""
    from pipeline.build import Builder
    from pipeline.check.volume import check_volume_pdf
    from pipeline.render.volume import render_volume
    from pipeline.volume import load_editions

    builder = Builder.create()
    editions = sorted(load_editions(folders), key=lambda edition: edition.manifest.number)
    started = time.perf_counter()
    report = check_volume_pdf(output, render_volume(builder.renderer, editions), builder.styles_dir)
    print(json.dumps({"errors": len(report.errors), "check_s": time.perf_counter() - started}))


def _child(flag: str, output: Path, folders: list[Path]) -> tuple[float, float, dict[str, float]]:
    """(wall seconds, CPU seconds, the child's own figures) of one fresh process.

    CPU time (user + system, the child and its pdftotext) is printed beside wall time:
    on a shared 2-core machine the wall time mostly measures the other processes.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_volume", flag, str(output), *map(str, folders)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child-volume", nargs="+", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--child-check", nargs="+", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_volume:
        child_volume(Path(args.child_volume[0]), [Path(p) for p in args.child_volume[1:]])
        return
    if args.child_check:
        child_check(Path(args.child_check[0]), [Path(p) for p in args.child_check[1:]])
        return
    with tempfile.TemporaryDirectory(prefix="bench-volume-") as temporary:
        root = Path(temporary)
        folders = year_of_issues(root)
        output = root / "2025-volume.pdf"
        walls, cpus, peaks, checks, check_cpus, pages = [], [], [], [], [], 0
        for _ in range(args.runs):
            wall, cpu, figures = _child("--child-volume", output, folders)
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(figures["peak_mb"])
            pages = int(figures["pages"])
            _, check_cpu, checked = _child("--child-check", output, folders)
            checks.append(checked["check_s"])
            check_cpus.append(check_cpu)
            if checked["errors"]:
                print(f"warning: the volume's check found {checked['errors']} errors")
        print(f"volume of {ISSUES} issues ({KEEP}+{KEEP} articles each), {pages} pages:")
        print(f"  cold `briefing volume` (no check), wall: {summary(walls)}   target < 30 s")
        print(f"  the same, CPU time: {summary(cpus)}")
        print(f"  peak memory: {summary(peaks, 'MB', 0)}   target < 1024 MB")
        print(f"  `briefing check` of the volume, in process: {summary(checks)}")
        print(f"  the check's process, CPU time (rendering the HTML included): {summary(check_cpus)}")
        print(f"  load average at the end: {', '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
