"""What the preview page shows: the last build's state, its findings, the last good PDF.

The watcher's build thread hands every outcome to `PreviewSession.take`: a good build
publishes its PDF at once (the page reloads it), then a checker thread checks a private
copy of that PDF and publishes the findings for the same build, unless a newer PDF came
first (a save during the check never waits for it). The checker keeps what it read of
each page (`check.incremental`), so a save re-reads only the pages it changed. A failed build publishes the
editor's errors and keeps the last good PDF, so the page never loses what it shows.
HTTP threads only read frozen snapshots; `revision` changes on every update, which lets
the page wait for the next one instead of polling.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..build import Builder
from ..check.expected import Expected
from ..errors import EditorError
from ..watch import BuildOutcome

KEPT_PDFS = 3  # a page still loading the previous PDF can finish


def editor_link(edition_dir: Path, file: str | None, line: int | None) -> str | None:
    """`vscode://file/ABS_PATH:LINE` for a path relative to the edition's parent folder."""
    if not file:
        return None
    path = (edition_dir.resolve().parent / file).resolve()
    return f"vscode://file/{quote(str(path), safe='/')}:{line or 1}"


@dataclass(frozen=True)
class Snapshot:
    """One state of the preview, as `/status.json` gives it."""

    edition: str
    revision: int = 0
    build: int = 0  # builds finished, good or not
    ok: bool | None = None  # None: the first build has not finished
    pdf: str | None = None  # URL of the last good PDF
    pdf_build: int = 0  # the build that made it
    pages: int = 0
    seconds: float = 0.0
    checking: bool = False
    findings: tuple[dict[str, Any], ...] = ()
    errors: tuple[dict[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "revision": self.revision,
            "build": self.build,
            "ok": self.ok,
            "pdf": self.pdf,
            "pdf_build": self.pdf_build,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "checking": self.checking,
            "findings": list(self.findings),
            "errors": list(self.errors),
        }


@dataclass
class PreviewSession:
    """The state shared by the build thread (writer) and the HTTP threads (readers)."""

    builder: Builder
    edition_dir: Path
    output: Path
    _snapshot: Snapshot = field(init=False)
    _pdfs: dict[str, bytes] = field(default_factory=dict, init=False)
    _changed: threading.Condition = field(default_factory=threading.Condition, init=False)
    # The newest good build waiting for its check: (build, private copy of its PDF, expected).
    _to_check: tuple[int, Path, Expected] | None = field(default=None, init=False)
    _closed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        from ..check.incremental import IncrementalCheck

        self._incremental_check = IncrementalCheck()  # used by the checker thread only
        self._snapshot = Snapshot(self.edition_dir.resolve().name)
        self._copies = Path(tempfile.mkdtemp(prefix="briefing-preview-"))
        self._checker = threading.Thread(target=self._check_loop, name="preview-check", daemon=True)
        self._checker.start()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._checker.join(60)
        shutil.rmtree(self._copies, ignore_errors=True)

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def wait_after(self, revision: int, timeout: float) -> Snapshot:
        """The first snapshot newer than `revision`, or the current one after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.revision != revision, timeout)
            return self._snapshot

    def pdf_bytes(self, url: str) -> bytes | None:
        with self._changed:
            return self._pdfs.get(url)

    def _publish(self, **changes: Any) -> Snapshot:
        with self._changed:
            current = self._snapshot
            self._snapshot = replace(current, revision=current.revision + 1, **changes)
            self._changed.notify_all()
            return self._snapshot

    def take(self, outcome: BuildOutcome) -> None:
        """Publish one watcher outcome; runs in the build thread."""
        build = self.snapshot().build + 1
        if outcome.result is None:
            errors = tuple(self._error_entry(error) for error in outcome.editor_errors)
            if not errors:  # an outcome made without places: keep the words
                errors = tuple({"text": text, "href": None} for text in outcome.errors)
            self._publish(build=build, ok=False, errors=errors)
            return
        result = outcome.result
        url = f"/pdf/{build}/{result.output.name}"
        data = result.output.read_bytes()
        with self._changed:
            self._pdfs[url] = data
            for stale in list(self._pdfs)[:-KEPT_PDFS]:
                del self._pdfs[stale]
        copy = self._copies / f"{build}.pdf"
        copy.write_bytes(data)  # the check reads this, never the output a later build replaces
        with self._changed:
            if self._to_check is not None:
                self._to_check[1].unlink(missing_ok=True)  # superseded before it was checked
            self._to_check = (build, copy, result.expected)
        self._publish(
            build=build,
            ok=True,
            pdf=url,
            pdf_build=build,
            pages=result.page_count,
            seconds=result.seconds,
            checking=True,
            errors=(),
        )

    def _check_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closed or self._to_check is not None)
                if self._closed:
                    return
                assert self._to_check is not None
                build, copy, expected = self._to_check
                self._to_check = None
            findings = self._check(copy, expected)
            copy.unlink(missing_ok=True)
            with self._changed:
                newest = self._to_check is None and self._snapshot.pdf_build == build
            if newest:
                self._publish(checking=False, findings=findings)

    def _check(self, pdf: Path, expected: Expected) -> tuple[dict[str, Any], ...]:
        report = self._incremental_check.check(pdf, expected)
        entries = []
        for finding in report.findings:
            entry = finding.as_dict()
            entry["href"] = editor_link(self.edition_dir, finding.file, finding.line)
            entries.append(entry)
        return tuple(entries)

    def _error_entry(self, error: EditorError) -> dict[str, Any]:
        entry = error.as_dict()
        entry["text"] = str(error)
        entry["href"] = editor_link(self.edition_dir, error.file, error.line)
        return entry
