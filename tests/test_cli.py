"""The command line as a new editor meets it: Chinese throughout, paths that open, hints."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from pipeline.build import SCHEMA_DIR
from pipeline.cli import make_parser, run
from pipeline.house import REPO_ROOT
from tests.support import SAMPLE_EDITION, MakeEdition, article_text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("briefing 0.")


def test_mistyped_command_is_answered_in_chinese_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run(["bild", "issues/2025-11"])
    assert done.value.code == 2
    said = capsys.readouterr().err
    assert "用法：briefing" in said and "是不是要用 build？" in said
    assert "usage" not in said and "invalid choice" not in said and "error" not in said


def test_missing_argument_and_help_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["build"])
    said = capsys.readouterr().err
    assert "缺少必填的参数：期次文件夹" in said and "required" not in said
    with pytest.raises(SystemExit):
        run(["check", "-h"])
    shown = capsys.readouterr().out
    assert "用法：" in shown and "选项：" in shown and "显示这段说明后退出" in shown
    assert "options" not in shown and "show this help" not in shown


def test_every_argument_has_help() -> None:
    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        found = [parser]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found += parsers(child)
        return found

    for parser in parsers(make_parser()):
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{parser.prog} {action.option_strings or action.dest}"
        outputs = [a for a in parser._actions if "--output" in a.option_strings]
        assert all(a.option_strings == ["-o", "--output"] for a in outputs), parser.prog


def test_edition_name_without_issues_folder_is_suggested(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert run(["build", SAMPLE_EDITION.name]) == 2
    assert f"是不是要用 issues/{SAMPLE_EDITION.name}？" in capsys.readouterr().err


def test_watching_a_missing_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["watch", str(tmp_path / "2099-01")]) == 2
    said = capsys.readouterr().err
    assert "找不到期次文件夹" in said and "不存在" in said and "内部错误" not in said


def test_paths_in_messages_open_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edition = tmp_path / "issues" / "2025-11"
    shutil.copytree(SAMPLE_EDITION, edition)
    article = sorted((edition / "articles").glob("*.md"))[0]
    article.write_text(article.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["build", "issues/2025-11", "-o", "out.pdf"]) == 2
    said = capsys.readouterr().err
    shown = f"issues/2025-11/articles/{article.name}:2:1"
    assert shown in said, said
    assert Path(shown.split(":")[0]).is_file()  # the path opens from here


def test_passing_build_says_so(make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", str(make_edition()), "-o", str(tmp_path / "ok.pdf")]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_lint_validates_front_matter(make_edition: MakeEdition, capsys: pytest.CaptureFixture[str]) -> None:
    text = article_text("标题").replace("published: 2025-11-05 19:59", "published: 2025-11-32")
    edition = make_edition({"articles/02-second.md": text})
    assert run(["lint", str(edition)]) == 2
    said = capsys.readouterr().out
    assert "2025-11/articles/02-second.md:5" in said and "published" in said, said


def test_schema_goes_where_make_clean_and_gitignore_expect() -> None:
    assert SCHEMA_DIR == REPO_ROOT / "build" / "schema"
    assert "build/" in (REPO_ROOT / ".gitignore").read_text("utf-8").split()
    assert "rm -rf build" in (REPO_ROOT / "Makefile").read_text("utf-8")


def test_argparse_is_chinese_only_inside_our_parser() -> None:
    before = argparse._  # type: ignore[attr-defined]
    parser = make_parser()
    assert argparse._ is before  # type: ignore[attr-defined]
    assert "用法：" in parser.format_help()
    assert argparse._ is before and argparse.ArgumentParser(prog="x").format_usage().startswith("usage:")  # type: ignore[attr-defined]


def test_help_lines_up_in_terminal_columns() -> None:
    from pipeline.cli_chinese import HELP_COLUMN, display_width

    shown = make_parser()._subparsers._group_actions[0].choices["build"].format_help()  # type: ignore[union-attr]
    starts = {
        display_width(line[: line.index(help_text)])
        for line in shown.split("\n")
        for help_text in ("如 issues/2025-11", "显示这段说明后退出", "输出的 PDF 文件")
        if help_text in line
    }
    assert starts == {HELP_COLUMN}, shown
