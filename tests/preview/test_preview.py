"""`briefing preview` for real: the watcher building a temporary edition, the server on
127.0.0.1, and (where Debian's chromium runs) a headless browser reading the page."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from pipeline.build import Builder
from pipeline.preview import RunningPreview, running_preview
from pipeline.preview.server import missing_pdfjs
from tests.support import MakeEdition, article_text

TIMEOUT = 30.0
BROKEN_FRONT = "---\ntitel: 拼错了字段名\nsource: 市场监管总局\npublished: 2025-11-05\n---\n\n正文。\n"
# U+1F600 is in no shipped font: the check reports it with the article's file and line.
WITH_MISSING_GLYPH = article_text("标准化试点项目通过验收", "试点单位表示满意😀。\n")


def get(preview: RunningPreview, path: str) -> bytes:
    with urllib.request.urlopen(preview.url.rstrip("/") + path, timeout=TIMEOUT) as response:
        return response.read()


def status(preview: RunningPreview) -> dict[str, Any]:
    return json.loads(get(preview, "/status.json"))


def wait_for(what: str, condition: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def settled(preview: RunningPreview, build: int) -> dict[str, Any]:
    """The status once build number `build` has finished and (if good) been checked."""
    return wait_for(
        f"build {build}",
        lambda: (found := status(preview))["build"] >= build and not found["checking"] and found,
    )


@pytest.fixture
def preview(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> Iterator[RunningPreview]:
    root = make_edition({"articles/02-second.md": WITH_MISSING_GLYPH})
    with running_preview(builder, root, tmp_path / "out" / "preview.pdf") as running:
        settled(running, 1)
        yield running


def test_status_counts_builds_keeps_the_last_good_pdf_and_links_to_lines(
    preview: RunningPreview,
) -> None:
    assert preview.server.server_address[0] == "127.0.0.1"
    first = status(preview)
    assert first["build"] == 1 and first["ok"] is True, first
    pdf = get(preview, first["pdf"])
    assert pdf == preview.session.output.read_bytes()
    assert len(PdfReader(preview.session.output).pages) == first["pages"]
    article = preview.session.edition_dir / "articles" / "02-second.md"
    glyph = [finding for finding in first["findings"] if "😀" in finding["message"]]
    assert glyph and glyph[0]["line"] == 8, first["findings"]  # the body's first line
    assert glyph[0]["href"] == f"vscode://file/{article.resolve()}:8", glyph[0]

    broken = preview.session.edition_dir / "articles" / "03-third.md"
    broken.write_text(BROKEN_FRONT, "utf-8")
    failed = settled(preview, 2)
    assert failed["ok"] is False and failed["build"] == 2, failed
    assert failed["pdf"] == first["pdf"], "the last good PDF stays the one to show"
    assert get(preview, failed["pdf"]) == pdf
    assert any(error["line"] == 2 and "titel" in error["text"] for error in failed["errors"]), failed
    assert all(error["href"].startswith(f"vscode://file/{broken.resolve()}:") for error in failed["errors"])

    broken.write_text(article_text("学者谈计量基础设施建设（修订）"), "utf-8")
    recovered = settled(preview, 3)
    assert recovered["ok"] is True and recovered["errors"] == [], recovered
    assert recovered["pdf"] != first["pdf"]
    assert b"%PDF" in get(preview, recovered["pdf"])[:8]


def test_serves_only_its_own_files(preview: RunningPreview) -> None:
    for path in ("/page/../session.py", "/pdfjs/../../pyproject.toml", "/fonts/fonts.conf", "/pdf/99/x.pdf"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(preview, path)
        assert refused.value.code == 404, path


# —— In a real browser ————————————————————————————————————————————————————————————

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Pixels of the first drawn page darker than paper: text and the red masthead.
INKED_PIXELS = """
const canvas = document.querySelector('#pages .page canvas');
if (!canvas) return 0;
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let inked = 0;
for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) inked += 1;
return inked;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (make setup)")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMIUM).is_file() or not Path(CHROMEDRIVER).is_file():
        pytest.skip("chromium / chromium-driver not installed (make setup installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1300,900"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as error:
        pytest.skip(f"chromium could not start here: {error.msg}")
    yield driver
    driver.quit()


def page_state(browser: Any) -> dict[str, str]:
    return browser.execute_script("return Object.assign({}, document.body.dataset);")


def test_page_shows_the_pdf_follows_saves_shows_errors_and_recovers(
    preview: RunningPreview, browser: Any
) -> None:
    if missing_pdfjs():
        pytest.fail(f"pdf.js missing: {missing_pdfjs()} (make setup runs npm install)")
    browser.get(preview.url)
    first = status(preview)
    wait_for("the first PDF drawn", lambda: page_state(browser).get("shownPdf") == first["pdf"])
    assert wait_for("ink on page 1", lambda: browser.execute_script(INKED_PIXELS) > 2000)
    links = browser.execute_script(
        "return [...document.querySelectorAll('#findings a')].map(link => link.href);"
    )
    assert any(link.startswith("vscode://file/") and "02-second.md:" in link for link in links), links

    article = preview.session.edition_dir / "articles" / "01-first.md"
    article.write_text(article_text("改过的标题", "新的正文。" * 200 + "\n"), "utf-8")
    saved = settled(preview, 2)
    wait_for("the saved PDF drawn", lambda: page_state(browser).get("shownPdf") == saved["pdf"])
    assert browser.execute_script(INKED_PIXELS) > 2000

    article.write_text(BROKEN_FRONT, "utf-8")
    settled(preview, 3)
    wait_for("the error shown", lambda: page_state(browser).get("statusOk") == "false")
    errors = browser.execute_script(
        "return [...document.querySelectorAll('#errors li')].map(item => item.textContent);"
    )
    assert any("01-first.md:2" in error and "titel" in error for error in errors), errors
    assert browser.execute_script("return !document.getElementById('errors-box').hidden;")
    assert page_state(browser)["shownPdf"] == saved["pdf"], "the last good PDF stays on screen"
    assert browser.execute_script(INKED_PIXELS) > 2000

    article.write_text(article_text("再次改过的标题"), "utf-8")
    recovered = settled(preview, 4)
    assert recovered["ok"] is True
    wait_for("the recovered PDF drawn", lambda: page_state(browser).get("shownPdf") == recovered["pdf"])
    assert browser.execute_script("return document.getElementById('errors-box').hidden;")
    assert browser.execute_script(INKED_PIXELS) > 2000
