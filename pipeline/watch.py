"""`briefing watch`: rebuild the PDF a moment after an editor saves.

One build thread, fed by watchdog events: a burst of saves becomes one build, a save
during a build causes exactly one more build after it, and two builds never write the
output at the same time. The Builder stays warm between builds, and so does the check
(`check.incremental`): each PDF gets `briefing build`'s verdict, word for word, while
only the pages that changed are read again.

A watcher outlives every failed build: an editor's mistake, an output it cannot
write (a read-only folder, a full disk), a missing font, even a bug of ours each
become one report, the last good PDF stays, and the next save builds again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import Builder, BuildResult
from .check.incremental import IncrementalCheck
from .check.report import CheckReport
from .errors import EditionInvalid, EditorError, OutputProblem
from .typeset.typesetter import SetupProblem

# Seconds without a save after a build before the watcher collects garbage (a burst of
# saves is built one after the other without it).
IDLE_BEFORE_COLLECTING = 0.5

# Editors' temporary and backup files: vim (.swp, .swx, 4913, ~), emacs (.#*, #*#),
# LibreOffice (.~lock*), our own atomic-write temp files.
IGNORED_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload")
IGNORED_PREFIXES = (".#", ".~lock", "#")
IGNORED_NAMES = {"4913", ".DS_Store"}


def is_relevant(path: str, output: Path) -> bool:
    name = Path(path).name
    if not name or name in IGNORED_NAMES:
        return False
    if name.endswith(IGNORED_SUFFIXES) or name.startswith(IGNORED_PREFIXES):
        return False
    if name.startswith(f".{output.name}."):
        return False
    return Path(path).resolve() != output.resolve()


@dataclass(frozen=True)
class BuildOutcome:
    """What one watcher build did: a result, or the editor's errors."""

    started: dt.datetime
    result: BuildResult | None
    errors: tuple[str, ...]
    # The same errors with their file and line, for a viewer that links to them.
    editor_errors: tuple[EditorError, ...] = ()
    # Why the build failed when it is not the edition's fault (output, setup, a bug).
    problem: str = ""
    verdict: CheckReport | None = None  # the check of the PDF just written

    def line(self) -> str:
        stamp = self.started.strftime("%H:%M:%S")
        if self.problem:
            return f"[{stamp}] {self.problem}"
        if self.result is None:
            listing = "\n".join(f"    {error}" for error in self.errors)
            return f"[{stamp}] 稿件有 {len(self.errors)} 处错误，PDF 未更新：\n{listing}"
        result = self.result
        line = (
            f"[{stamp}] 已更新 {result.output.name}：{result.page_count} 页，"
            f"{result.seconds:.2f} 秒，{len(result.warnings)} 个提示"
        )
        if self.verdict is not None:  # in the same words as `briefing build`
            return f"{line}\n{self.verdict.text()}"
        if result.missing_glyphs:
            # The PDF is written (boxes visible), but it is not fit to distribute.
            line += f"，{len(result.missing_glyphs)} 处缺字（不宜分发）："
            line += "".join(f"\n    {glyph.as_editor_error()}" for glyph in result.missing_glyphs)
        return line


class _Trigger(FileSystemEventHandler):
    def __init__(self, output: Path, poke: Callable[[], None]) -> None:
        self.output = output
        self.poke = poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # accompanies every change inside it, ignored or not
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if any(path and is_relevant(path, self.output) for path in paths):
            self.poke()


class Watcher:
    """Watches an edition (and styles/, fonts/) and rebuilds on change."""

    def __init__(
        self,
        builder: Builder,
        edition_dir: Path,
        output: Path,
        report: Callable[[BuildOutcome], None],
        quiet_seconds: float = 0.04,
        check: bool = True,
    ) -> None:
        self.builder = builder
        builder.typesetter.rebuilds = True  # each build keeps what the next can reuse
        self.edition_dir = edition_dir.resolve()
        self.output = output.resolve()
        self.report = report
        self.quiet_seconds = quiet_seconds
        self.check = check  # check each PDF once written, as `briefing build` does
        self.checker = IncrementalCheck()  # the same verdict, reading again only changed pages
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._last_change = time.monotonic()
        self._observer = Observer()
        self.builds = 0

    def _poke(self) -> None:
        self._last_change = time.monotonic()
        self._changed.set()

    def build_once(self) -> BuildOutcome:
        started = dt.datetime.now()
        try:
            result = self.builder.build(self.edition_dir, self.output)
        except EditionInvalid as invalid:
            errors = tuple(invalid.errors)
            outcome = BuildOutcome(started, None, tuple(str(error) for error in errors), errors)
        except OutputProblem as problem:
            outcome = BuildOutcome(started, None, (), problem=problem.report())
        except SetupProblem as problem:
            outcome = BuildOutcome(started, None, (), problem=f"工具安装不完整，PDF 未更新：{problem}")
        except Exception as error:  # a watcher must outlive any one build; the next save retries
            why = f"内部错误，PDF 未更新（下次保存时重试）：{type(error).__name__}: {error}"
            outcome = BuildOutcome(started, None, (), problem=why)
        else:
            verdict = self.checker.check(result.output, result.expected) if self.check else None
            outcome = BuildOutcome(started, result, (), verdict=verdict)
        self.builds += 1
        self.report(outcome)
        return outcome

    def start(self) -> None:
        trigger = _Trigger(self.output, self._poke)
        for folder in {self.edition_dir, self.builder.styles_dir, self.builder.fonts_dir}:
            self._observer.schedule(trigger, str(folder), recursive=True)
        self._observer.start()

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()

    def run(self) -> None:
        """Build now, then after every change until `stop()`; blocks."""
        self.start()
        try:
            self.build_once()
            while not self._stopping.is_set():
                if not self._changed.wait(IDLE_BEFORE_COLLECTING):
                    # The editor has paused: collect the last builds' garbage now, not
                    # during the next build (1.3 s at 177 pages; see build.py).
                    self.builder.collect_garbage()
                    self._changed.wait()
                if self._stopping.is_set():
                    break
                # Let a burst of events (atomic replace, several writes) settle.
                while (wait := self.quiet_seconds - (time.monotonic() - self._last_change)) > 0:
                    time.sleep(wait)
                self._changed.clear()
                self.build_once()
        finally:
            self._observer.stop()
            self._observer.join()
