"""Editors' mistakes: every error at once, with file, line and field, exit 2, PDF untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import run
from pipeline.edition.load import load_edition
from pipeline.errors import EditionInvalid
from tests.support import MANIFEST, MakeEdition, article_text


def errors_of(edition: Path) -> list[str]:
    with pytest.raises(EditionInvalid) as caught:
        load_edition(edition)
    return [str(error) for error in caught.value.errors]


def test_valid_edition_loads(make_edition: MakeEdition) -> None:
    edition = load_edition(make_edition())
    assert [a.front.title for a in edition.articles_in("新闻动态")] == [
        "研究院召开质量发展形势分析会",
        "标准化试点项目通过验收",
    ]
    assert edition.articles[0].front.published.display() == "2025年11月5日 19:59"


def test_all_errors_reported_at_once_with_file_line_and_field(make_edition: MakeEdition) -> None:
    broken_manifest = MANIFEST.replace("number: 11", "number: 十一").replace(
        "editor: 研究院办公室", "editer: 研究院办公室"
    )
    broken_article = (
        "---\ntitel: 拼错字段的稿件\nsource: 市场监管总局\npublished: 2025-13-05\n---\n\n正文。\n"
    )
    errors = errors_of(make_edition({"articles/02-second.md": broken_article}, manifest=broken_manifest))
    text = "\n".join(errors)
    assert "2025-11/issue.yaml:3:9: number：应为整数" in text
    assert "2025-11/issue.yaml:9:1: editer：不认识的字段" in text
    assert "2025-11/issue.yaml" in text and "editor：缺少必填项" in text
    assert "2025-11/articles/02-second.md:2:1: titel：不认识的字段" in text
    assert "2025-11/articles/02-second.md" in text and "title：缺少必填项" in text
    assert "2025-11/articles/02-second.md:4:12: published：" in text


def test_missing_and_unlisted_article_files(make_edition: MakeEdition) -> None:
    root = make_edition({"articles/04-draft.md": article_text("草稿")})
    (root / "articles" / "03-third.md").unlink()
    text = "\n".join(errors_of(root))
    assert "issue.yaml:17:9: sections[2].articles[1]：找不到稿件文件：articles/03-third.md" in text
    assert "2025-11/articles/04-draft.md: 这篇稿件没有列入 issue.yaml" in text


def test_article_outside_edition_refused(make_edition: MakeEdition) -> None:
    manifest = MANIFEST.replace("articles/03-third.md", "../elsewhere.md")
    text = "\n".join(errors_of(make_edition(manifest=manifest)))
    assert "稿件必须放在本期文件夹内：../elsewhere.md" in text


def test_yaml_syntax_error_has_line(make_edition: MakeEdition) -> None:
    manifest = MANIFEST.replace("  start: 2025-11-01", "  start: [2025-11-01")
    text = "\n".join(errors_of(make_edition(manifest=manifest)))
    assert "2025-11/issue.yaml:" in text and "YAML 格式错误" in text


def test_duplicate_key_is_an_error(make_edition: MakeEdition) -> None:
    manifest = MANIFEST + "number: 12\n"
    text = "\n".join(errors_of(make_edition(manifest=manifest)))
    assert "字段“number”出现了两次" in text


def test_front_matter_missing(make_edition: MakeEdition) -> None:
    text = "\n".join(errors_of(make_edition({"articles/01-first.md": "没有信息块的正文\n"})))
    assert "2025-11/articles/01-first.md:1:1: 稿件应以 “---” 开头" in text


def test_utf8_bom_and_crlf_accepted(make_edition: MakeEdition) -> None:
    text = article_text("带BOM和CRLF的稿件").replace("\n", "\r\n")
    root = make_edition({"articles/01-first.md": b"\xef\xbb\xbf" + text.encode("utf-8")})
    edition = load_edition(root)
    assert edition.articles[0].front.title == "带BOM和CRLF的稿件"
    assert "\r" not in edition.articles[0].body


def test_gbk_file_refused_naming_the_encoding(make_edition: MakeEdition) -> None:
    gbk = article_text("国家市场监督管理总局召开质量工作会议").encode("gbk")
    text = "\n".join(errors_of(make_edition({"articles/01-first.md": gbk})))
    assert "2025-11/articles/01-first.md" in text
    assert "不是 UTF-8 编码" in text and "另存为" in text
    assert "GB" in text.upper()  # the detected encoding is named (GBK/GB18030/GB2312)


def test_yaml_tags_are_not_executed(make_edition: MakeEdition, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    manifest = MANIFEST.replace(
        "editor: 研究院办公室", f"editor: !!python/object/apply:os.system ['touch {marker}']"
    )
    errors_of(make_edition(manifest=manifest))
    assert not marker.exists()


def test_cli_invalid_input_exits_2_and_keeps_last_pdf(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_edition()
    output = tmp_path / "out" / "briefing.pdf"
    assert run(["build", str(root), "-o", str(output)]) == 0
    good = output.read_bytes()
    stamp = output.stat().st_mtime_ns

    (root / "articles" / "02-second.md").write_text(
        "---\ntitle: 坏稿件\nsourse: 拼错\npublished: 2025-11-05\n---\n\n正文\n", "utf-8"
    )
    capsys.readouterr()
    assert run(["build", str(root), "-o", str(output)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "2025-11/articles/02-second.md:3:1: sourse：不认识的字段" in captured.err
    assert "2025-11/articles/02-second.md" in captured.err and "source：缺少必填项" in captured.err
    assert output.read_bytes() == good
    assert output.stat().st_mtime_ns == stamp
    assert [p.name for p in output.parent.iterdir()] == ["briefing.pdf"]  # no temp file left


def test_flow_style_and_empty_mappings_load(make_edition: MakeEdition) -> None:
    """issue.yaml in flow style (JSON is valid YAML) with an empty `confirm: {}`: such
    mappings carry no per-key lines, and must not break the field-line index."""
    import json

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(MANIFEST)
    data["confirm"] = {}
    manifest = json.dumps(data, ensure_ascii=False, default=str)
    edition = load_edition(make_edition(manifest=manifest))
    assert edition.manifest.period.end.day == 30 and edition.manifest.confirm == {}
