"""The watcher for real: watchdog on a temporary edition, waiting on build outcomes."""

from __future__ import annotations

import os
import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.build import Builder
from pipeline.pdfread.outline import read_outline
from pipeline.watch import BuildOutcome, Watcher, is_relevant
from tests.support import MANIFEST, MakeEdition, article_text

TIMEOUT = 30.0


class RunningWatcher:
    def __init__(self, watcher: Watcher, outcomes: queue.Queue[BuildOutcome]) -> None:
        self.watcher = watcher
        self.outcomes = outcomes

    def next_outcome(self) -> BuildOutcome:
        try:
            return self.outcomes.get(timeout=TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no build within {TIMEOUT} s")

    def drain(self) -> list[BuildOutcome]:
        """Outcomes so far, after the build thread has gone idle."""
        found = []
        while True:
            try:
                found.append(self.outcomes.get(timeout=1.0))
            except queue.Empty:
                return found


@pytest.fixture
def running(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> Iterator[RunningWatcher]:
    root = make_edition()
    outcomes: queue.Queue[BuildOutcome] = queue.Queue()
    watcher = Watcher(builder, root, tmp_path / "out" / "watch.pdf", outcomes.put)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    handle = RunningWatcher(watcher, outcomes)
    first = handle.next_outcome()
    assert first.result is not None, first.errors
    yield handle
    watcher.stop()
    thread.join(TIMEOUT)
    assert not thread.is_alive()


def titles(pdf: Path) -> list[str]:
    return [child.title for item in read_outline(PdfReader(pdf)) for child in item.children]


def test_edit_rebuilds(running: RunningWatcher) -> None:
    article = running.watcher.edition_dir / "articles" / "01-first.md"
    article.write_text(article_text("改过的标题"), "utf-8")
    outcome = running.next_outcome()
    assert outcome.result is not None
    assert titles(running.watcher.output)[0] == "改过的标题"
    assert "已更新 watch.pdf" in outcome.line()


def test_atomic_replace_save_rebuilds(running: RunningWatcher) -> None:
    article = running.watcher.edition_dir / "articles" / "02-second.md"
    temporary = article.with_name("02-second.md.tmp")
    temporary.write_text(article_text("原子替换保存"), "utf-8")
    os.replace(temporary, article)
    assert running.next_outcome().result is not None
    assert titles(running.watcher.output)[1] == "原子替换保存"


def test_bad_edit_keeps_pdf_then_fix_rebuilds(running: RunningWatcher) -> None:
    output = running.watcher.output
    good = output.read_bytes()
    article = running.watcher.edition_dir / "articles" / "01-first.md"
    article.write_text("---\ntitle: 缺来源\npublished: 2025-11-05\n---\n\n正文\n", "utf-8")
    failed = running.next_outcome()
    assert failed.result is None
    assert any("01-first.md" in error and "source：缺少必填项" in error for error in failed.errors)
    assert "PDF 未更新" in failed.line()
    assert output.read_bytes() == good
    article.write_text(article_text("修好了"), "utf-8")
    fixed = running.next_outcome()
    assert fixed.result is not None
    assert titles(output)[0] == "修好了"


def test_burst_of_saves_coalesces(running: RunningWatcher) -> None:
    article = running.watcher.edition_dir / "articles" / "03-third.md"
    for number in range(20):
        article.write_text(article_text(f"连续保存第{number}次"), "utf-8")
    first = running.next_outcome()
    later = running.drain()
    assert first.result is not None
    assert 1 + len(later) <= 2, [o.line() for o in [first, *later]]
    assert titles(running.watcher.output)[-1] == "连续保存第19次"


def test_article_removed_from_manifest_rebuilds_without_it(running: RunningWatcher) -> None:
    root = running.watcher.edition_dir
    (root / "articles" / "02-second.md").unlink()
    (root / "issue.yaml").write_text(MANIFEST.replace("      - articles/02-second.md\n", ""), "utf-8")
    outcome = running.next_outcome()
    if outcome.result is None:  # the delete and the manifest edit can land as two builds
        outcome = running.next_outcome()
    assert outcome.result is not None, outcome.errors
    assert titles(running.watcher.output) == ["研究院召开质量发展形势分析会", "学者谈计量基础设施建设"]


@pytest.mark.parametrize(
    ("name", "relevant"),
    [
        ("01.md", True),
        ("issue.yaml", True),
        (".01.md.swp", False),
        ("01.md~", False),
        (".#01.md", False),
        ("4913", False),
        (".watch.pdf.abc.tmp", False),
        ("watch.pdf", False),
    ],
)
def test_editor_temporary_files_are_ignored(tmp_path: Path, name: str, relevant: bool) -> None:
    assert is_relevant(str(tmp_path / name), tmp_path / "watch.pdf") is relevant


def test_new_article_added_to_manifest_rebuilds(running: RunningWatcher) -> None:
    root = running.watcher.edition_dir
    (root / "articles" / "04-fourth.md").write_text(article_text("新增的第四篇"), "utf-8")
    (root / "issue.yaml").write_text(
        MANIFEST.replace("      - articles/03-third.md\n", "      - articles/03-third.md\n      - articles/04-fourth.md\n"),
        "utf-8",
    )
    outcome = running.next_outcome()
    if outcome.result is None:  # the new file alone is "not listed" until the manifest lands
        outcome = running.next_outcome()
    assert outcome.result is not None, outcome.errors
    assert titles(running.watcher.output)[-1] == "新增的第四篇"


def test_stylesheet_edit_rebuilds(make_edition: MakeEdition, tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    styles = tmp_path / "styles"
    shutil.copytree(repo / "styles", styles)
    (tmp_path / "fonts").symlink_to(repo / "fonts")
    outcomes: queue.Queue[BuildOutcome] = queue.Queue()
    watcher = Watcher(Builder.create(styles_dir=styles), make_edition(), tmp_path / "w.pdf", outcomes.put)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    handle = RunningWatcher(watcher, outcomes)
    try:
        first = handle.next_outcome()
        assert first.result is not None
        pages_before = first.result.page_count
        with (styles / "house.css").open("a", encoding="utf-8") as css:
            css.write("\n:root { --body-size: 30pt; }\n")
        second = handle.next_outcome()
        assert second.result is not None and second.result.page_count > pages_before
    finally:
        watcher.stop()
        thread.join(TIMEOUT)


def test_missing_glyph_is_shown_in_the_build_line(running: RunningWatcher) -> None:
    article = running.watcher.edition_dir / "articles" / "01-first.md"
    article.write_text(article_text("生僻字稿件", "张\U0002a6a5同志出席会议。\n"), "utf-8")
    outcome = running.next_outcome()
    assert outcome.result is not None
    line = outcome.line()
    assert "1 处缺字" in line and "01-first.md:8:2" in line and "U+2A6A5" in line


def test_editor_swap_file_alone_does_not_rebuild(running: RunningWatcher) -> None:
    articles = running.watcher.edition_dir / "articles"
    (articles / ".01-first.md.swp").write_bytes(b"vim swap")
    (articles / "01-first.md~").write_text("backup", "utf-8")
    assert running.drain() == []  # no build within a second
    (articles / "03-third.md").write_text(article_text("保存之后"), "utf-8")
    assert running.next_outcome().result is not None
    assert titles(running.watcher.output)[-1] == "保存之后"


def test_replaced_image_is_not_served_from_cache(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    from PIL import Image
    from pypdf import PdfReader

    def image_sizes(pdf: Path) -> set[tuple[int, int]]:
        sizes = set()
        for page in PdfReader(pdf).pages:
            for xobject in (page["/Resources"].get("/XObject") or {}).values():
                xobject = xobject.get_object()
                if xobject["/Subtype"] == "/Image":
                    sizes.add((int(xobject["/Width"]), int(xobject["/Height"])))
        return sizes

    body = "前文。\n\n![图为现场](images/photo.png)\n"
    root = make_edition({"articles/01-first.md": article_text("图片稿件", body)})
    (root / "articles" / "images").mkdir()
    photo = root / "articles" / "images" / "photo.png"
    Image.new("RGB", (1900, 1000), "gray").save(photo)
    first = builder.build(root, tmp_path / "a.pdf").output
    assert (1900, 1000) in image_sizes(first)
    Image.new("RGB", (1950, 1100), "white").save(photo)  # same name, new picture
    second = builder.build(root, tmp_path / "b.pdf").output
    assert image_sizes(second) == {(1950, 1100)}


def test_same_size_edit_with_preserved_mtime_is_rebuilt(running: RunningWatcher) -> None:
    """`cp -p` and `rsync -t` keep mtime and size: the cache must see the new content."""
    article = running.watcher.edition_dir / "articles" / "01-first.md"
    before = article.stat()
    new_text = article_text("研究院召开质量发展形势研判会")  # same length, one word changed
    assert len(new_text.encode()) == before.st_size
    article.write_text(new_text, "utf-8")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert running.next_outcome().result is not None
    assert titles(running.watcher.output)[0] == "研究院召开质量发展形势研判会"


def test_watcher_survives_a_failed_write_and_recovers(running: RunningWatcher) -> None:
    output = running.watcher.output
    article = running.watcher.edition_dir / "articles" / "03-third.md"
    output.unlink()
    output.mkdir()  # the PDF's path is now a folder: the write fails
    article.write_text(article_text("写不出去的那次"), "utf-8")
    failed = running.next_outcome()
    assert failed.result is None and "无法写出" in failed.line(), failed.line()
    output.rmdir()
    article.write_text(article_text("恢复之后"), "utf-8")
    recovered = running.next_outcome()
    assert recovered.result is not None, recovered.line()
    assert titles(output)[-1] == "恢复之后"


def test_watcher_survives_a_bug_in_a_build(running: RunningWatcher, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = running.watcher.builder
    real_build = builder.build
    calls = []

    def build_failing_once(edition_dir: Path, output: Path):  # type: ignore[no-untyped-def]
        calls.append(edition_dir)
        if len(calls) == 1:
            raise RuntimeError("a bug of ours")
        return real_build(edition_dir, output)

    monkeypatch.setattr(builder, "build", build_failing_once)
    article = running.watcher.edition_dir / "articles" / "02-second.md"
    article.write_text(article_text("出错的那次"), "utf-8")
    failed = running.next_outcome()
    assert "内部错误" in failed.line() and "下次保存时重试" in failed.line()
    article.write_text(article_text("出错之后"), "utf-8")
    assert running.next_outcome().result is not None
    assert titles(running.watcher.output)[1] == "出错之后"


@pytest.mark.slow
def test_a_thousand_saves_end_in_the_cold_build(running: RunningWatcher, tmp_path: Path) -> None:
    """1,000 saves in a tight loop, valid and invalid, while a viewer reads the PDF: it never
    sees half a file, and the last PDF is a cold build's, byte for byte."""
    root = running.watcher.edition_dir
    article = root / "articles" / "02-second.md"
    output = running.watcher.output
    seen: list[bytes] = []
    saving = threading.Event()

    def poll() -> None:  # a viewer reloading the PDF all the time
        while not saving.is_set():
            data = output.read_bytes()
            seen.append(data[:5] + data.rstrip()[-5:])

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    for number in range(1000):
        if number % 7 == 3:
            article.write_text("---\ntitle: 缺来源\n---\n", "utf-8")
        else:
            article.write_text(article_text(f"第{number}次保存"), "utf-8")
    article.write_text(article_text("最后一次保存"), "utf-8")
    outcomes = running.drain()
    while not outcomes or outcomes[-1].result is None or titles(running.watcher.output)[1] != "最后一次保存":
        outcomes = [running.next_outcome()]
    saving.set()
    poller.join(TIMEOUT)
    assert seen and set(seen) == {b"%PDF-%%EOF"}  # never half a file
    cold = Builder.create().build(root, tmp_path / "cold.pdf").output
    assert running.watcher.output.read_bytes() == cold.read_bytes()
    leftovers = [p.name for p in running.watcher.output.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_image_replaced_with_same_size_and_mtime_is_not_served_from_cache(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    """`cp -p` of a new photo over the old one: same name, size and mtime, new pixels."""
    import io

    from PIL import Image

    def png(color: str) -> bytes:
        stream = io.BytesIO()
        Image.new("RGB", (120, 80), color).save(stream, "PNG", compress_level=0)
        return stream.getvalue()

    def first_pixel(pdf: Path) -> tuple[int, ...]:
        for page in PdfReader(pdf).pages:
            for image in page.images:
                return tuple(image.image.convert("RGB").getpixel((0, 0)))
        raise AssertionError("no image in the PDF")

    red, blue = png("red"), png("blue")
    assert len(red) == len(blue)
    root = make_edition({"articles/01-first.md": article_text("图片稿件", "前文。\n\n![图为现场](images/photo.png)\n")})
    photo = root / "articles" / "images" / "photo.png"
    photo.parent.mkdir()
    photo.write_bytes(red)
    assert first_pixel(builder.build(root, tmp_path / "a.pdf").output) == (255, 0, 0)
    stamp = photo.stat()
    photo.write_bytes(blue)
    os.utime(photo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert first_pixel(builder.build(root, tmp_path / "b.pdf").output) == (0, 0, 255)
