"""Each PDF/A, tag and print-box check, made to fire on a real PDF changed on purpose.

The clean archive and print builds of the sample edition pass (tests/test_variants.py);
here a copy is rewritten with pikepdf the way another tool, or a WeasyPrint upgrade,
could leave it, and the one check that guards that clause must say so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from pipeline.build import Builder, BuildResult
from pipeline.check.conformance import conformance_findings
from pipeline.check.pdfa import Identification, check_file_structure, check_pdfa, identification
from pipeline.check.print_boxes import check_full_resolution, check_print_boxes, is_print_layout
from pipeline.check.report import Finding
from pipeline.check.tagged import ExpectedTags, check_tags
from pipeline.pdfread.structure import read_structure
from pipeline.variant import PDFA_CONFORMANCE, PDFA_PART
from tests.support import SAMPLE_EDITION

EXPECTED = Identification(PDFA_PART, PDFA_CONFORMANCE)


def changed(source: Path, target: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    """A copy of `source` with `change` applied, saved deterministically."""
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target, deterministic_id=True)
    return target


def messages(findings: list[Finding]) -> str:
    return "\n".join(finding.message for finding in findings)


def pdfa_findings(path: Path) -> list[Finding]:
    with pikepdf.open(path) as pdf, path.open("rb") as stream:
        return check_pdfa(pdf, stream.read(64), EXPECTED)


def first_image(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    for page in pdf.pages:
        for xobject in page.Resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Image":
                return xobject
    raise AssertionError("the sample has images")


def test_clean_archive_has_no_pdfa_findings(archive: BuildResult) -> None:
    assert pdfa_findings(archive.output) == []


def _widen_first_glyph(font: pikepdf.Dictionary) -> None:
    widths = font.DescendantFonts[0].W
    first_run = widths[1]
    first_run[0] = float(first_run[0]) + 50


CHANGES: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "interpolated image": (
        lambda pdf: first_image(pdf).__setitem__("/Interpolate", True),
        "插值显示（Interpolate），PDF/A 不允许（6.2.8）",
    ),
    "no output intent": (lambda pdf: pdf.Root.__delitem__("/OutputIntents"), "缺少 PDF/A 输出意图"),
    "CMYK image with an sRGB intent": (
        lambda pdf: first_image(pdf).__setitem__("/ColorSpace", pikepdf.Name.DeviceCMYK),
        "/DeviceCMYK，与输出意图的 RGB 不符（6.2.4.3）",
    ),
    "title differs from XMP": (
        lambda pdf: pdf.docinfo.__setitem__("/Title", pikepdf.String("别的标题")),
        "文档信息的标题“别的标题”与 XMP 中的“工作简报 2025年第11期”不一致",
    ),
    "level b declared": (
        lambda pdf: pdf.Root.Metadata.write(
            pdf.Root.Metadata.read_bytes().replace(b'pdfaid:conformance="U"', b'pdfaid:conformance="B"')
        ),
        "XMP 声明的是 PDF/A-2b，应为 PDF/A-2u",
    ),
    "no metadata": (lambda pdf: pdf.Root.__delitem__("/Metadata"), "缺少 XMP 元数据"),
    "font not embedded": (
        lambda pdf: (
            next(iter(pdf.pages[0].Resources.Font.values()))
            .DescendantFonts[0]
            .FontDescriptor.__delitem__("/FontFile3")
        ),
        "没有嵌入（6.2.11.4）",
    ),
    "font without ToUnicode": (
        lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).__delitem__("/ToUnicode"),
        "缺少 ToUnicode 映射",
    ),
    "width disagrees with the font program": (
        lambda pdf: _widen_first_glyph(next(iter(pdf.pages[0].Resources.Font.values()))),
        "个字形的宽度与嵌入的字体不一致",
    ),
    "JavaScript": (
        lambda pdf: pdf.Root.Names.__setitem__("/JavaScript", pdf.make_indirect(pikepdf.Dictionary())),
        "含有 JavaScript",
    ),
    "open action runs JavaScript": (
        lambda pdf: pdf.Root.__setitem__(
            "/OpenAction", pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        ),
        "文档打开时有 PDF/A 不允许的动作 /JavaScript",
    ),
    "hidden link": (
        lambda pdf: pdf.pages[0].Annots[0].__setitem__("/F", 2),
        "注释未设为可打印、可见（6.3.2）",
    ),
    "embedded file": (
        lambda pdf: pdf.Root.Names.__setitem__("/EmbeddedFiles", pikepdf.Dictionary(Names=pikepdf.Array())),
        "含有附件",
    ),
    "odd blend mode": (
        lambda pdf: pdf.pages[0].Resources.__setitem__(
            "/ExtGState", pikepdf.Dictionary(GSx=pikepdf.Dictionary(BM=pikepdf.Name("/Dodgy")))
        ),
        "非标准混合模式 /Dodgy（6.2.10）",
    ),
    "transfer function": (
        lambda pdf: pdf.pages[0].Resources.__setitem__(
            "/ExtGState", pikepdf.Dictionary(GSx=pikepdf.Dictionary(TR=pikepdf.Name.Identity))
        ),
        "传递函数",
    ),
    "ICC profile with the wrong number of components": (
        lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile.__setitem__("/N", 4),
        "ICC 配置文件的分量数 N=4 与其 RGB 色彩空间不符",
    ),
    "PostScript XObject": (
        lambda pdf: pdf.pages[0].Resources.XObject.__setitem__(
            "/PS1", pdf.make_stream(b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.PS)
        ),
        "含 PostScript、OPI 或引用外部的对象 /PS1（6.2.9）",
    ),
    "image with alternates": (
        lambda pdf: first_image(pdf).__setitem__("/Alternates", pikepdf.Array()),
        "有图片带有替代图像或 OPI（6.2.8）",
    ),
    "sound annotation": (
        lambda pdf: pdf.pages[0].Annots.append(
            pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Sound, F=4))
        ),
        "第1页有 PDF/A 不允许的 /Sound 注释（6.3.1）",
    ),
    "page additional actions": (
        lambda pdf: pdf.pages[0].obj.__setitem__("/AA", pikepdf.Dictionary()),
        "第1页带有附加动作（AA）",
    ),
    "named action other than page navigation": (
        lambda pdf: (
            pdf.pages[0]
            .Annots[0]
            .__setitem__("/A", pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name.Print))
        ),
        "不允许的命名动作 /Print",
    ),
    "form asks the viewer for appearances": (
        lambda pdf: pdf.Root.__setitem__(
            "/AcroForm", pikepdf.Dictionary(Fields=pikepdf.Array(), NeedAppearances=True)
        ),
        "表单要求阅读器生成外观",
    ),
    "glyphs without Unicode": (
        lambda pdf: next(iter(pdf.pages[0].Resources.Font.values())).ToUnicode.write(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap endcmap end end"
        ),
        "有字形没有对应的 Unicode 字符（6.2.11.7.2）",
    ),
    "no ID": (lambda pdf: pdf.trailer.__delitem__("/ID"), "缺少文件标识 ID"),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_each_pdfa_check_fires(case: str, archive: BuildResult, tmp_path: Path) -> None:
    change, expected = CHANGES[case]
    if case == "no ID":
        # qpdf always writes an ID; the clause is tested on the trailer as read.
        with pikepdf.open(archive.output) as pdf:
            del pdf.trailer["/ID"]
            found = check_file_structure(pdf, archive.output.read_bytes()[:64])
    else:
        found = pdfa_findings(changed(archive.output, tmp_path / "changed.pdf", change))
    assert expected in messages(found)


def test_encrypted_archive_is_refused(archive: BuildResult, tmp_path: Path) -> None:
    target = tmp_path / "locked.pdf"
    with pikepdf.open(archive.output) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="secret", user=""))
    assert "存档文件不得加密" in messages(pdfa_findings(target))


def test_header_without_binary_comment_is_refused(archive: BuildResult) -> None:
    with pikepdf.open(archive.output) as pdf:
        assert check_file_structure(pdf, archive.output.read_bytes()[:64]) == []
        found = check_file_structure(pdf, b"%PDF-1.7\n%abcd\n")
    assert "四个以上高位字节" in messages(found)


def test_briefing_check_runs_pdfa_checks_on_a_file_that_declares_pdfa(
    archive: BuildResult, tmp_path: Path
) -> None:
    broken = changed(archive.output, tmp_path / "broken.pdf", CHANGES["interpolated image"][0])
    assert "6.2.8" in messages(conformance_findings(broken, archive.expected))
    assert conformance_findings(archive.output, archive.expected) == []


# —— Tags ——


def tag_findings(path: Path, archive: BuildResult) -> list[Finding]:
    with pikepdf.open(path) as pdf:
        return check_tags(pdf, read_structure(pdf), ExpectedTags.from_rendered(archive.rendered))


def _elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found = []
    pending = [pdf.Root.StructTreeRoot]
    while pending:
        node = pending.pop(0)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kind == kid.S:
                    found.append(kid)
                pending.append(kid)
    return found


def _swap_first_two_titles(pdf: pikepdf.Pdf) -> None:
    """The first two article titles trade their text (and page): the tree reads 2, 1, 3…"""
    titles = [heading for heading in _elements(pdf, "/H3") if heading.P.S == "/Art"]
    first, second = titles[0], titles[1]
    first.K, second.K = second.K, first.K
    first.Pg, second.Pg = second.Pg, first.Pg


TAG_CHANGES: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "figure without alt": (lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/Alt"), "没有替代文字"),
    "not marked": (lambda pdf: pdf.Root.__delitem__("/MarkInfo"), "未标明为带标签文档"),
    "wrong language": (
        lambda pdf: pdf.Root.__setitem__("/Lang", pikepdf.String("en-US")),
        "文档语言应为 zh-CN",
    ),
    "header cells as data": (
        lambda pdf: [cell.__setitem__("/S", pikepdf.Name.TD) for cell in _elements(pdf, "/TH")],
        "有一个表格没有表头单元格（TH）",
    ),
    "heading as paragraph": (
        lambda pdf: _elements(pdf, "/H1")[0].__setitem__("/S", pikepdf.Name.P),
        "标题“工作简报”没有标为 1 级标题（H1）",
    ),
    "articles out of order": (_swap_first_two_titles, "结构标签的阅读顺序与目录不一致"),
    "untagged": (lambda pdf: pdf.Root.__delitem__("/StructTreeRoot"), "PDF 没有结构标签"),
    "list items as paragraphs": (
        lambda pdf: [item.__setitem__("/S", pikepdf.Name.P) for item in _elements(pdf, "/LI")],
        "有一个列表（L）没有列表项（LI）",
    ),
}


def test_clean_archive_has_no_tag_findings(archive: BuildResult) -> None:
    assert tag_findings(archive.output, archive) == []


@pytest.mark.parametrize("case", list(TAG_CHANGES))
def test_each_tag_check_fires(case: str, archive: BuildResult, tmp_path: Path) -> None:
    change, expected = TAG_CHANGES[case]
    found = tag_findings(changed(archive.output, tmp_path / "changed.pdf", change), archive)
    assert expected in messages(found)


# —— Print boxes ——


def _set_box(key: str, delta: float) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        box = [float(value) for value in pdf.pages[1].get(key, pdf.pages[1].MediaBox)]
        pdf.pages[1][key] = pikepdf.Array([box[0], box[1], box[2] + delta, box[3]])

    return change


def test_clean_print_has_no_box_findings(printed: BuildResult) -> None:
    with pikepdf.open(printed.output) as pdf:
        assert is_print_layout(pdf)
        assert check_print_boxes(pdf) == []


@pytest.mark.parametrize(
    ("key", "delta", "expected"),
    [
        ("/TrimBox", -10.0, "第2页：成品尺寸（TrimBox）为 206.5×297.0 mm，应为 210×297 mm"),
        ("/BleedBox", -5.0, "应各为 3 mm"),
        ("/MediaBox", -5.0, "BleedBox 超出了 MediaBox"),
        ("/CropBox", -5.0, "CropBox 裁掉了出血部分"),
    ],
)
def test_each_box_check_fires(
    printed: BuildResult, tmp_path: Path, key: str, delta: float, expected: str
) -> None:
    with pikepdf.open(changed(printed.output, tmp_path / "changed.pdf", _set_box(key, delta))) as pdf:
        assert expected in messages(check_print_boxes(pdf))


def test_missing_bleed_box_is_told(printed: BuildResult, tmp_path: Path) -> None:
    def drop(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            del page.obj["/BleedBox"]

    with pikepdf.open(changed(printed.output, tmp_path / "changed.pdf", drop)) as pdf:
        found = check_print_boxes(pdf)
    assert (
        len(found) == 1 and "缺少 BleedBox" in found[0].message and found[0].message.startswith("第1、2、3")
    )


def test_downscaled_image_is_told(printed: BuildResult) -> None:
    with pikepdf.open(printed.output) as pdf:
        image = first_image(pdf)
        drawn = (int(image.Width), int(image.Height))
        assert check_full_resolution(pdf, [drawn]) == []
        found = check_full_resolution(pdf, [(drawn[0] * 2, drawn[1] * 2)])
    assert "原图更大" in messages(found)


def test_a_briefing_is_neither_pdfa_nor_print(builder: Builder, tmp_path: Path) -> None:
    plain = builder.build(SAMPLE_EDITION, tmp_path / "plain.pdf")
    with pikepdf.open(plain.output) as pdf:
        assert not is_print_layout(pdf)
        assert identification(pdf) is None
    assert conformance_findings(plain.output, plain.expected) == []
