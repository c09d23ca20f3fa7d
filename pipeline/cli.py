"""`briefing`: the editor's command. A thin driver over load → render → typeset → check."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic_files import write_atomically
from .build import SCHEMA_DIR, Builder, BuildResult, default_output, output_problem
from .cli_chinese import ChineseParser, chinese_argparse
from .edition.load import MANIFEST_NAME
from .errors import EditionInvalid, OutputProblem, display_path
from .house import STYLES_DIR
from .signals import exit_code, stop_on_signals
from .typeset.typesetter import SetupProblem
from .variant import Variant

if TYPE_CHECKING:
    from .check.report import CheckReport

EXIT_OK, EXIT_CHECK_FAILED, EXIT_INVALID_INPUT, EXIT_SETUP = 0, 1, 2, 3


def _say(message: str) -> None:
    print(message, flush=True)


def _complain(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class EditionNotFound(Exception):
    """The folder named on the command line is not an edition; the message says why."""


def edition_folder(argument: str) -> Path:
    """The edition folder an editor named, or `EditionNotFound` with what they meant."""
    folder = Path(argument)
    if (folder / MANIFEST_NAME).is_file():
        return folder
    nearby = Path("issues") / argument
    if not folder.is_absolute() and (nearby / MANIFEST_NAME).is_file():
        raise EditionNotFound(f"找不到期次文件夹 {argument}。是不是要用 {nearby}？")
    if not folder.exists():
        raise EditionNotFound(f"找不到期次文件夹 {argument}（这个文件夹不存在）")
    if not folder.is_dir():
        raise EditionNotFound(f"{argument} 不是文件夹：请给出一期的文件夹，如 issues/2025-11")
    raise EditionNotFound(f"{argument} 中没有 {MANIFEST_NAME}：这不是一期简报的文件夹")


def _ready_builder() -> Builder:
    from .typeset.typesetter import harfbuzz_subsetting_available

    builder = Builder.create()
    if not harfbuzz_subsetting_available():
        _complain(
            "警告！！系统缺少 libharfbuzz-subset0，字体子集化将慢约 15 倍（每次约 10 秒）。"
            "请运行 make setup（或以 root 身份 apt-get install libharfbuzz-subset0）。"
        )
    return builder


def command_build(args: argparse.Namespace) -> int:
    from .variant import VARIANTS

    edition_dir = edition_folder(args.edition)
    variant = VARIANTS[args.variant]
    output = Path(args.output) if args.output else default_output(edition_dir, variant)
    try:
        builder = _ready_builder()
        if args.html:
            return _write_html(builder, edition_dir, Path(args.html), variant)
        result = builder.build(edition_dir, output, variant)
    except KeyboardInterrupt as interruption:  # Ctrl-C, SIGTERM, SIGHUP: see signals.py
        _complain("已中断：未写出新的 PDF（原有 PDF 保持不变）。")
        return exit_code(interruption)
    return _report_build(args, result)


def _write_html(builder: Builder, edition_dir: Path, html: Path, variant: Variant) -> int:
    problem = output_problem(html, edition_dir, builder.styles_dir, builder.fonts_dir, pdf=False)
    if problem:
        raise OutputProblem(html, problem)
    write_atomically(html, builder.render(edition_dir, variant).html.encode("utf-8"))
    _say(f"已写出 HTML：{html}")
    return EXIT_OK


def _report_build(args: argparse.Namespace, result: BuildResult) -> int:
    from .check.run import check_pdf
    from .check.tagged import is_missing_alt_warning
    from .typeset.glyphs import is_notdef_warning

    output = result.output
    label = result.variant.label
    _say(f"已生成{label} {display_path(output)}（{result.page_count} 页，用时 {result.seconds:.2f} 秒）")
    for warning in result.warnings:
        # Missing glyphs and alt text are told by the check, with places and what to do.
        if not is_notdef_warning(warning) and not is_missing_alt_warning(warning):
            _complain(f"排版提示：{warning}")
    if args.no_check:
        for glyph in result.missing_glyphs:
            _complain(str(glyph.as_editor_error()))
        return EXIT_CHECK_FAILED if result.missing_glyphs else EXIT_OK
    report = check_pdf(output, result.expected)
    _say(report.text(strict=args.strict))  # "检查通过" too: silence is not a verdict
    return EXIT_OK if report.ok(strict=args.strict) else EXIT_CHECK_FAILED


def command_check(args: argparse.Namespace) -> int:
    from .check.expected import Expected
    from .check.run import check_pdf
    from .edition.load import load_edition
    from .house import shipped_font_families

    pdf = Path(args.pdf)
    if not pdf.is_file():
        _complain(f"找不到 PDF 文件：{pdf}")
        return EXIT_INVALID_INPUT
    if args.volume:
        return _check_volume(pdf, args)
    if args.edition:
        expected = Expected.for_edition(load_edition(edition_folder(args.edition)))
    else:
        expected = Expected.pdf_only(shipped_font_families(STYLES_DIR))
    report = check_pdf(pdf, expected)
    return _tell_report(report, args)


def _tell_report(report: CheckReport, args: argparse.Namespace) -> int:
    """Print the check's report (text or --json) and give the exit code it means."""
    if args.json:
        print(json.dumps(report.as_dict(strict=args.strict), ensure_ascii=False, indent=2))
    else:
        _say(report.text(strict=args.strict))
    return EXIT_OK if report.ok(strict=args.strict) else EXIT_CHECK_FAILED


def command_volume(args: argparse.Namespace) -> int:
    from .check.volume import check_volume_pdf
    from .volume import VolumeInconsistent, build_volume

    builder = _ready_builder()
    output = Path(args.output)
    try:
        result = build_volume(builder, [Path(folder) for folder in args.editions], output)
    except VolumeInconsistent as inconsistent:
        _complain(inconsistent.report())
        return EXIT_INVALID_INPUT
    issues = len(result.volume.issues)
    _say(f"已生成合订本 {output}（{issues} 期，{result.page_count} 页，用时 {result.seconds:.2f} 秒）")
    if args.no_check:
        return EXIT_OK
    report = check_volume_pdf(
        output, result.volume, builder.styles_dir, result.missing_glyphs, result.warnings
    )
    if report.findings:
        _say(report.text(strict=args.strict))
    return EXIT_OK if report.ok(strict=args.strict) else EXIT_CHECK_FAILED


def _check_volume(pdf: Path, args: argparse.Namespace) -> int:
    """`briefing check 合订本.pdf --volume 期次...`: the volume judged against its editions."""
    from .check.volume import check_volume_pdf
    from .render.html import Renderer
    from .render.volume import render_volume
    from .volume import VolumeInconsistent, disagreements, load_editions

    editions = load_editions([Path(folder) for folder in args.volume])
    problems = disagreements(editions)
    if problems:
        _complain(VolumeInconsistent(problems).report())
        return EXIT_INVALID_INPUT
    editions.sort(key=lambda edition: edition.manifest.number)
    report = check_volume_pdf(pdf, render_volume(Renderer.from_styles(STYLES_DIR), editions), STYLES_DIR)
    return _tell_report(report, args)


def command_watch(args: argparse.Namespace) -> int:
    from .watch import Watcher

    edition_dir = edition_folder(args.edition)
    output = Path(args.output) if args.output else default_output(edition_dir)
    builder = _ready_builder()
    problem = output_problem(output, edition_dir, builder.styles_dir, builder.fonts_dir)
    if problem:
        raise OutputProblem(output, problem)
    watcher = Watcher(builder, edition_dir, output, lambda outcome: _say(outcome.line()))
    _say(
        f"正在监视 {display_path(edition_dir)}（以及 styles/、fonts/），"
        f"保存后自动更新 {display_path(output)}。按 Ctrl-C 退出。"
    )
    try:
        watcher.run()
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP (see signals.py)
        with contextlib.suppress(OSError):  # the terminal that would show it is gone (SIGHUP)
            _say("已停止监视。")
    return EXIT_OK


def command_preview(args: argparse.Namespace) -> int:
    import time

    from .preview import running_preview
    from .preview.server import missing_pdfjs

    missing = missing_pdfjs()
    if missing:
        raise SetupProblem(f"缺少 pdf.js（{missing[0]}），请运行 make setup")
    edition_dir = edition_folder(args.edition)
    output = Path(args.output) if args.output else default_output(edition_dir)
    builder = _ready_builder()
    problem = output_problem(output, edition_dir, builder.styles_dir, builder.fonts_dir)
    if problem:
        raise OutputProblem(output, problem)
    try:
        preview = running_preview(builder, edition_dir, output, args.port)
        with preview as running:
            _say(
                f"预览地址：{running.url} （请用浏览器打开；只在本机可见）\n"
                f"正在监视 {edition_dir}（以及 styles/、fonts/），保存后自动更新。按 Ctrl-C 退出。"
            )
            while True:
                time.sleep(3600)
    except OSError as error:
        _complain(f"无法在端口 {args.port} 上启动预览（{error.strerror or error}），请用 --port 换一个端口")
        return EXIT_SETUP
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP (see signals.py)
        with contextlib.suppress(OSError):  # the terminal that would show it is gone (SIGHUP)
            _say("已停止预览。")
    return EXIT_OK


def command_new(args: argparse.Namespace) -> int:
    from .scaffold import new_edition

    created = new_edition(Path(args.issues), args.name)
    _say(
        f"已创建 {created.folder}：第{created.number}期（总第{created.cumulative_number}期）。"
        "请编辑 issue.yaml 和 articles/ 中的稿件。"
    )
    return EXIT_OK


def command_schema(args: argparse.Namespace) -> int:
    from .edition.json_schema import json_schemas

    out = Path(args.output) if args.output else SCHEMA_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (out / name).write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", "utf-8")
        _say(f"已写出 {display_path(out / name)}")
    return EXIT_OK


def command_import(args: argparse.Namespace) -> int:
    from .importer.run import import_sources

    report = import_sources(
        [Path(source) for source in args.sources],
        Path(args.into),
        section=args.section,
        keep_traditional=args.keep_traditional,
    )
    for line in report.text(verbose=args.verbose):
        _say(line)
    for warning in report.warnings:
        _complain(f"请注意：{warning}")
    for failure in report.failed:
        _complain(f"未导入：{failure}")
    if report.confirm:
        # Last and set apart: the guesses the check refuses until the editor confirms them.
        _complain("")
        _complain(f"===== 请核对以下 {len(report.confirm)} 项推测（在稿件或 issue.yaml 的 confirm: 下，"
                  "核对无误后删去该行；未删完之前检查不予通过）=====")
        for item in report.confirm:
            _complain(f"  ▶ {item}")
    return EXIT_INVALID_INPUT if report.failed else EXIT_OK


def command_lint(args: argparse.Namespace) -> int:
    from .lint import lint_edition

    result = lint_edition(edition_folder(args.edition), fix=args.fix)
    for line in result.lines():
        _say(line)
    if result.invalid:
        return EXIT_INVALID_INPUT
    return EXIT_CHECK_FAILED if result.findings and not args.fix else EXIT_OK


def _version() -> str:
    try:
        return metadata.version("briefing")
    except metadata.PackageNotFoundError:
        return "未安装"


def make_parser() -> argparse.ArgumentParser:
    with chinese_argparse():  # argparse names its headings when a parser is made
        return _make_parser()


def _make_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog="briefing",
        description="工作简报排版工具：把 issues/ 下的一期稿件排成可印刷的 PDF。",
        epilog="退出码：0 成功；1 检查未通过；2 稿件或输出路径有误（原 PDF 不变）；3 工具安装不完整；\n"
        "130 按 Ctrl-C 中断（143、129：被 SIGTERM、SIGHUP 中断；监视命令被停止时为 0）。\n"
        "各命令的说明：briefing 命令 -h，如 briefing build -h",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"briefing {_version()}", help="显示版本后退出"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    _pdf_commands(commands)
    _edition_commands(commands)
    return parser


def _pdf_commands(commands: Any) -> None:
    """build, check, watch: the commands that make or judge a PDF."""
    output_help = "输出的 PDF 文件（默认 build/<期次>.pdf）"

    build = commands.add_parser("build", help="生成一期简报的 PDF，并自动检查")
    build.add_argument("edition", metavar="期次文件夹", help="如 issues/2025-11")
    build.add_argument("-o", "--output", metavar="PDF", help=output_help)
    build.add_argument("--html", metavar="HTML", help="只写出交给 WeasyPrint 的 HTML，不生成 PDF")
    build.add_argument(
        "--variant",
        choices=["briefing", "archive", "print"],
        default="briefing",
        help="briefing：分发版（默认）；archive：存档版 PDF/A-2u（带结构标签）；"
        "print：印刷版（A4 成品、出血 3 mm、裁切线）",
    )
    build.add_argument("--no-check", action="store_true", help="生成后不做检查")
    build.add_argument("--strict", action="store_true", help="检查有提示也算不通过")
    build.set_defaults(run=command_build)

    check = commands.add_parser(
        "check",
        help="检查 PDF 是否可以分发",
        description="检查 PDF 是否可以分发：占位文字与未核对的推测、报头与报尾、缺字、\n"
        "目录与书签和页码、正文文字、排版、字体、页面尺寸与文档信息、图片清晰度、链接。\n"
        "退出码：0 通过；1 有错误（加 --strict 时有提示也算）；2 找不到文件或稿件有误。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("pdf", metavar="PDF", help="要检查的 PDF 文件，如 build/2025-11.pdf")
    check.add_argument("--edition", metavar="期次文件夹", help="与这一期的稿件对照（建议总是给出）")
    check.add_argument(
        "--volume", nargs="+", metavar="期次文件夹", help="这是合订本：与装订的各期对照（书签、总目录、页眉）"
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    check.add_argument("--strict", action="store_true", help="有提示也算不通过")
    check.set_defaults(run=command_check)

    volume = commands.add_parser(
        "volume",
        help="把一年的各期装订成合订本 PDF，并自动检查",
        description="按期号顺序装订：封面、按期分栏目的总目录、各期原样（含报头）；页码全书连续。"
        "各期期号重复、不连续或主办单位不同时，先列出问题，不生成 PDF（退出码 2）。",
    )
    volume.add_argument("editions", nargs="+", metavar="期次文件夹", help="如 issues/2025-*")
    volume.add_argument(
        "-o", "--output", required=True, metavar="PDF", help="输出文件，如 build/2025-合订本.pdf"
    )
    volume.add_argument("--no-check", action="store_true", help="生成后不做检查")
    volume.add_argument("--strict", action="store_true", help="检查有提示也算不通过")
    volume.set_defaults(run=command_volume)

    watch = commands.add_parser("watch", help="监视一期稿件，保存后自动重新生成并检查 PDF")
    watch.add_argument("edition", metavar="期次文件夹", help="如 issues/2025-11")
    watch.add_argument("-o", "--output", metavar="PDF", help=output_help)
    watch.set_defaults(run=command_watch)

    preview = commands.add_parser(
        "preview", help="在浏览器中预览：保存后自动更新 PDF，旁边列出检查结果"
    )
    preview.add_argument("edition", metavar="期次文件夹", help="如 issues/2025-11")
    preview.add_argument("--port", type=int, default=8765, help="本机端口（默认 8765）")
    preview.add_argument("-o", "--output", metavar="PDF", help="输出文件（默认 build/<期次>.pdf）")
    preview.set_defaults(run=command_preview)



def _edition_commands(commands: Any) -> None:
    """new, schema, import, lint: the commands that make or examine an edition's files."""
    new = commands.add_parser("new", help="新建下一期（期号接续最近一期）")
    new.add_argument("name", metavar="年-月", help="如 2025-12")
    new.add_argument("--issues", default="issues", metavar="文件夹", help="存放各期的文件夹（默认 issues）")
    new.set_defaults(run=command_new)

    schema = commands.add_parser("schema", help="写出 issue.yaml 与稿件信息块的 JSON Schema")
    schema.add_argument(
        "-o", "--output", metavar="文件夹", help=f"输出文件夹（默认 {display_path(SCHEMA_DIR)}）"
    )
    schema.set_defaults(run=command_schema)

    imports = commands.add_parser("import", help="把网页文字、保存的网页、Word 文件导入为稿件")
    imports.add_argument("sources", nargs="+", metavar="源文件", help=".txt、.html/.htm 或 .docx")
    imports.add_argument("--into", required=True, metavar="期次文件夹", help="放入哪一期（没有时会新建）")
    imports.add_argument("--section", metavar="栏目", help="放入哪个栏目（默认第一个栏目）")
    imports.add_argument("--keep-traditional", action="store_true", help="保留繁体字，不转简体")
    imports.add_argument("-v", "--verbose", action="store_true", help="逐条列出每一处规范化修改")
    imports.set_defaults(run=command_import)

    lint = commands.add_parser(
        "lint", help="检查稿件的信息块，以及标点、空格、繁体字等（--fix 直接改正后者）"
    )
    lint.add_argument("edition", metavar="期次文件夹", help="如 issues/2025-11")
    lint.add_argument("--fix", action="store_true", help="直接改正标点、空格等，并报告改了几处")
    lint.set_defaults(run=command_lint)


def run(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        with stop_on_signals():
            return command(args)
    except EditionInvalid as invalid:
        _complain(invalid.report())
        return EXIT_INVALID_INPUT
    except EditionNotFound as missing:
        _complain(str(missing))
        return EXIT_INVALID_INPUT
    except OutputProblem as problem:
        _complain(problem.report())
        return EXIT_INVALID_INPUT
    except SetupProblem as problem:
        _complain(f"工具安装不完整：{problem}")
        return EXIT_SETUP
    except KeyboardInterrupt as interruption:
        _complain("已中断。")
        return exit_code(interruption)
    except Exception as error:  # a bug of ours: never show an editor a traceback
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        _complain(
            f"内部错误：{type(error).__name__}: {error}\n"
            "这是工具本身的问题，不是稿件的问题。请把这条信息发给技术人员"
            "（设置环境变量 BRIEFING_DEBUG=1 可看到详细信息）。"
        )
        return EXIT_SETUP


def main() -> None:
    sys.exit(run())
