"""Valid but odd inputs build without losing text, the same bytes in any folder, opening nothing else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import Builder
from tests.support import PARAGRAPH, MakeEdition, article_text, png_bytes
from tests.test_build import pdf_text

FIRST = "articles/01-first.md"
GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#d7261e"/></linearGradient></defs>'
    b'<rect width="120" height="60" style="fill: url(#g)"/></svg>'
)


def test_eight_levels_of_lists_and_four_of_quotes_keep_every_word(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    lists = "".join("  " * depth + f"- 列表第{depth + 1}层\n" for depth in range(8))
    quotes = "> " * 4 + "引文第四层。\n"
    body = f"{PARAGRAPH}\n\n{lists}\n列表之后的段落。\n\n{quotes}\n引文之后的段落。\n"
    root = make_edition({FIRST: article_text("深层嵌套", body)})
    text = pdf_text(builder.build(root, tmp_path / "out.pdf").output).replace(" ", "").replace("\n", "")
    for expected in ["列表第8层", "列表之后的段落", "引文第四层", "引文之后的段落"]:
        assert expected in text, expected


def test_same_sources_in_any_folder_give_the_same_bytes(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    body = f"{PARAGRAPH}\n\n![图为示意图](images/chart.png)\n\n![图为矢量图](images/flow.svg)\n"
    root = make_edition(
        {FIRST: article_text("带图", body), "articles/images/chart.png": png_bytes(size=(300, 200)),
         "articles/images/flow.svg": GOOD_SVG}
    )
    elsewhere = tmp_path / "另一台电脑" / "简报 文件夹" / root.name
    shutil.copytree(root, elsewhere)
    first = builder.build(root, tmp_path / "a.pdf").output.read_bytes()
    second = Builder.create().build(elsewhere, tmp_path / "b.pdf").output.read_bytes()
    assert first == second
    assert first.count(b"/Subtype /Image") + first.count(b"/Subtype/Image") >= 1


# Long enough to be broken between words (jieba's word list, kept in the cache folder).
LONG_TITLE = "市场监管总局召开全国质量基础设施一站式服务能力提升工作推进会暨经验交流现场会议"

AUDITED_BUILD = r"""
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from pathlib import Path
import pytest

from pipeline.build import Builder
Builder.create().build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps(opened))
"""
# Python's own code and data (imports happen during the build): not the edition's business.
REPO = Path(__file__).resolve().parents[1]
PYTHON_HOMES = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), REPO / "pipeline",
                REPO / "briefing.egg-info"]


def test_a_build_opens_nothing_outside_the_edition_styles_fonts_and_cache(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    """The strace guarantee, in Python: every `open` of a cold build, audited."""
    body = f"{PARAGRAPH}\n\n![图为示意图](images/chart.png)\n\n![图为矢量图](images/flow.svg)\n"
    root = make_edition(
        {FIRST: article_text(LONG_TITLE, body), "articles/images/chart.png": png_bytes(size=(300, 200)),
         "articles/images/flow.svg": GOOD_SVG}
    )
    (tmp_path / "secret.txt").write_text("beside the edition")
    output = tmp_path / "out" / "2025-11.pdf"
    cache = tmp_path / "cache"
    (tmp_path / "tmp").mkdir()
    environment = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "TMPDIR": str(tmp_path / "tmp")}
    child = subprocess.run(
        [sys.executable, "-c", AUDITED_BUILD, str(root), str(output)],
        capture_output=True, text=True, env=environment, timeout=120, check=True,
    )
    opened = [Path(name) for name in json.loads(child.stdout.splitlines()[-1]) if not name.isdigit()]
    allowed = [root, builder.styles_dir, builder.fonts_dir, cache, output.parent, *PYTHON_HOMES]
    outside = [path for path in opened if not any(path.resolve().is_relative_to(a) for a in allowed)]
    assert outside == [], outside
    assert list((tmp_path / "tmp").iterdir()) == []  # nothing left in /tmp either
    assert any(path.is_relative_to(cache / "words") for path in opened)
    assert any(path.name == "chart.png" for path in opened)
    assert output.is_file()


@pytest.mark.parametrize(
    "body",
    ["原文链接：{link}\n\n正文之后的段落。\n", "| 名称 | 网址 |\n| --- | --- |\n| 总局 | {link} |\n\n正文之后的段落。\n"],
    ids=["paragraph", "table cell"],
)
def test_a_word_longer_than_the_line_wraps_instead_of_running_off_the_page(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path, body: str
) -> None:
    link = "https://www.example.gov.cn/" + "x" * 260 + ".html"  # 296 characters: the most allowed
    root = make_edition({FIRST: article_text("长网址", body.format(link=link))})
    text = pdf_text(builder.build(root, tmp_path / "out.pdf").output).replace("\n", "")
    assert text.count("x") >= 260  # pdftotext reads only what is on the page
    assert "正文之后的段落" in text


def test_a_long_url_behind_link_text_is_accepted(make_edition: MakeEdition, builder: Builder) -> None:
    body = f"详见[原文](https://www.example.gov.cn/{'z' * 1000}.html)。\n"
    rendered = builder.render(make_edition({FIRST: article_text("长链接", body)}))
    assert "z" * 1000 in rendered.html
