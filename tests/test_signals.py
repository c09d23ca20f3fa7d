"""However a build or watcher ends (Ctrl-C, SIGTERM, SIGHUP, SIGKILL), /tmp is left as it was."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.house import STYLES_DIR, font_faces
from pipeline.signals import STOP_SIGNALS, exit_code, stop_on_signals
from tests.support import LAST_PDF, MakeEdition, article_text

TIMEOUT = 60.0


def as_from_a_terminal() -> None:
    """A child's Ctrl-C as a terminal gives it: a suite started in the background by a
    non-interactive shell runs with SIGINT ignored, and its children would inherit that
    (Python then never raises KeyboardInterrupt), which is not what an editor's shell does."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def isolated_environment(tmp_path: Path) -> dict[str, str]:
    """A private /tmp and font cache, so what a process leaves behind can be listed."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "BRIEFING_CACHE_DIR": str(tmp_path / "cache")}


def leftovers(tmp_path: Path, output_dir: Path) -> list[str]:
    """Files a process left that no later build reuses: temp folders and temp files."""
    found = [f"tmp/{path.name}" for path in (tmp_path / "tmp").iterdir()]
    if output_dir.exists():
        found += [path.name for path in output_dir.iterdir() if path.name.endswith(".tmp")]
    cache = tmp_path / "cache"
    if cache.exists():
        found += [str(path.relative_to(cache)) for path in cache.rglob("*.tmp")]
    return found


class Lines:
    """A process's stdout, read line by line in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        stdout = process.stdout
        self.reader = threading.Thread(target=lambda: [self.queue.put(line) for line in stdout], daemon=True)
        self.reader.start()

    def until(self, wanted: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.seen.append(self.queue.get(timeout=1.0))
            except queue.Empty:
                continue
            if wanted in self.seen[-1]:
                return
        pytest.fail(f"no {wanted!r} within {TIMEOUT} s: {self.seen}")

    def rest(self) -> str:
        self.reader.join(TIMEOUT)
        while not self.queue.empty():
            self.seen.append(self.queue.get())
        return "".join(self.seen)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_watcher_stopped_by_a_signal_exits_0_and_leaves_nothing(
    make_edition: MakeEdition, tmp_path: Path, stop: signal.Signals
) -> None:
    root = make_edition()
    output = tmp_path / "out" / "watch.pdf"
    watcher = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", str(root), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=isolated_environment(tmp_path),
        preexec_fn=as_from_a_terminal,
    )
    lines = Lines(watcher)
    lines.until("已更新 watch.pdf")
    watcher.send_signal(stop)
    watcher.wait(TIMEOUT)
    printed = lines.rest()
    assert watcher.returncode == 0, printed
    assert "已停止监视" in printed, printed
    assert leftovers(tmp_path, output.parent) == []
    assert output.read_bytes().startswith(b"%PDF-")


INTERRUPTED_BUILD = r"""
import os, sys, threading
from pipeline.build import Builder
from pipeline.cli import run
Builder.create()  # imports done: the signal lands in the build itself
threading.Timer(0.3, os.kill, (os.getpid(), int(sys.argv[1]))).start()
sys.exit(run(sys.argv[2:]))
"""


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_interrupted_build_says_nothing_was_written(
    make_edition: MakeEdition, tmp_path: Path, stop: int, code: int
) -> None:
    root = make_edition()
    output = tmp_path / "out" / "2025-11.pdf"
    output.parent.mkdir()
    output.write_bytes(LAST_PDF)
    child = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_BUILD, str(int(stop)), "build", str(root), "-o", str(output)],
        capture_output=True, text=True, env=isolated_environment(tmp_path), timeout=TIMEOUT,
        preexec_fn=as_from_a_terminal,
    )
    assert child.returncode == code, child.stderr
    assert "已中断：未写出新的 PDF（原有 PDF 保持不变）" in child.stderr
    assert output.read_bytes() == LAST_PDF
    assert leftovers(tmp_path, output.parent) == []


def test_stop_on_signals_raises_in_the_main_thread_and_restores_handlers() -> None:
    before = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    with pytest.raises(KeyboardInterrupt) as raised, stop_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # interrupted at once
    assert exit_code(raised.value) == 143
    assert {number: signal.getsignal(number) for number in STOP_SIGNALS} == before


def test_killed_builds_leave_nothing_the_next_build_does_not_reuse_or_remove(
    make_edition: MakeEdition, tmp_path: Path
) -> None:
    root = make_edition({"articles/01-first.md": article_text("被强行结束的构建")})
    output = tmp_path / "out" / "2025-11.pdf"
    environment = isolated_environment(tmp_path)
    command = [sys.executable, "-m", "pipeline", "build", str(root), "-o", str(output), "--no-check"]
    for delay in (0.4, 0.9, 1.4, 2.0):  # before, during and after the font cache is written
        build = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait(TIMEOUT)
    subprocess.run(command, env=environment, check=True, capture_output=True, timeout=TIMEOUT)
    assert leftovers(tmp_path, output.parent) == []
    assert sorted(path.name for path in output.parent.iterdir()) == ["2025-11.pdf"]
    fonts = tmp_path / "cache" / "fonts"
    blobs = sorted(path.stat().st_size for path in (fonts / "blobs").iterdir())
    assert blobs == sorted(face.file.stat().st_size for face in font_faces(STYLES_DIR))
    (font_set,) = [path for path in fonts.iterdir() if path.name.startswith("fonts-")]
    assert all(name.is_symlink() and name.resolve().parent == fonts / "blobs" for name in font_set.iterdir())


def test_watcher_stopped_in_the_middle_of_a_build_abandons_it_cleanly(
    make_edition: MakeEdition, tmp_path: Path
) -> None:
    root = make_edition()
    output = tmp_path / "out" / "watch.pdf"
    watcher = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", str(root), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=isolated_environment(tmp_path),
        preexec_fn=as_from_a_terminal,
    )
    lines = Lines(watcher)
    lines.until("正在监视")  # printed just before the first build starts
    time.sleep(0.3)
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(TIMEOUT)
    printed = lines.rest()
    assert watcher.returncode == 0 and "已停止监视" in printed, printed
    assert "Traceback" not in printed
    assert leftovers(tmp_path, output.parent) == []
