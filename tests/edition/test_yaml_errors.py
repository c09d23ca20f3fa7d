"""YAML mistakes told in Chinese, where the fix goes; no parser English reaches the editor."""

from __future__ import annotations

import re

import pytest

from pipeline.edition.load import load_edition
from pipeline.errors import EditionInvalid
from tests.support import MakeEdition, article_text


def errors_of(edition: object) -> list[str]:
    with pytest.raises(EditionInvalid) as raised:
        load_edition(edition)  # type: ignore[arg-type]
    return [str(error) for error in raised.value.errors]


def front(make_edition: MakeEdition, title_line: str) -> str:
    text = article_text("占位").replace("title: 占位", title_line)
    [error] = errors_of(make_edition({"articles/01-first.md": text}))
    said = re.sub(r"YAML|Tab|title|keywords", "", error.split(": ", 1)[1])
    assert not re.search(r"[A-Za-z]{3,}", said), error  # no parser English
    return error


def test_ascii_colon_in_a_title_says_quote_it(make_edition: MakeEdition) -> None:
    error = front(make_edition, "title: 会议召开: 三项要点")
    assert error.startswith("2025-11/articles/01-first.md:2:12:"), error  # at the second colon
    assert "英文冒号" in error and "引号" in error and "：" in error


def test_unclosed_quote_points_at_the_opening_quote(make_edition: MakeEdition) -> None:
    error = front(make_edition, 'title: "会议召开')
    assert error.startswith("2025-11/articles/01-first.md:2:8:"), error
    assert "引号没有配对" in error


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("title: @会议", "不能以“@”开头"),
        ("title: [会议", "方括号"),
        ("title: *会议", "锚点和别名"),  # refused before the parser expands anything
        ("\ttitle: 会议", "Tab"),
    ],
)
def test_other_mistakes_in_chinese(make_edition: MakeEdition, line: str, words: str) -> None:
    assert words in front(make_edition, line)


def test_bad_indentation_in_the_manifest(make_edition: MakeEdition) -> None:
    from tests.support import MANIFEST

    manifest = MANIFEST.replace("      - articles/02-second.md", "     - articles/02-second.md")
    [error] = errors_of(make_edition(manifest=manifest))
    assert error.startswith("2025-11/issue.yaml:") and "缩进" in error, error


def test_no_english_validation_text(make_edition: MakeEdition) -> None:
    from tests.support import MANIFEST

    manifest = MANIFEST.replace("\nnumber: 11\n", "\nnumber: true\n").replace("copies: 40", "copies: true")
    errors = errors_of(make_edition(manifest=manifest))
    assert len(errors) == 2, errors  # a boolean is not taken for 1 (printed 第1期)
    assert all("应为整数" in error for error in errors)
    for error in errors:
        said = re.sub(r"README|true|false", "", error.split("：", 1)[1])  # after the field name
        assert not re.search(r"[A-Za-z]{3,}", said), error


def test_unlisted_validation_error_is_told_in_chinese() -> None:
    from pipeline.errors import FALLBACK_MESSAGE, pydantic_message

    said = pydantic_message({"type": "some_new_type", "msg": "Input should be something"})
    assert said == FALLBACK_MESSAGE and "Input" not in said


def test_a_refusal_already_in_chinese_is_passed_on() -> None:
    from ruamel.yaml.composer import ComposerError
    from ruamel.yaml.error import StreamMark

    from pipeline.edition.yaml_errors import explain

    refusal = ComposerError(None, None, "不支持锚点和别名（& 与 *）：请把内容直接写出来", StreamMark("x", 0, 2, 4))
    assert explain(refusal, "a: 1\nb: 2\nc: *x\n") == (2, 4, "YAML 格式错误：不支持锚点和别名（& 与 *）：请把内容直接写出来")
