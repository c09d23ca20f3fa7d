"""PDF/A-2 conformance: the clauses of ISO 19005-2 that matter for the archive variant.

WeasyPrint's `pdf_variant` writes PDF/A-2 without validating it, and veraPDF (the
reference validator) cannot be installed here. These checks read the file back with
pikepdf and test the clauses an archive is most likely to break or that a WeasyPrint
upgrade could silently change; the README lists them, and those not verified. Each
check returns `Finding`s; `check_pdfa` runs them all when the PDF declares PDF/A.

Verified (ISO 19005-2 clause in brackets): file header and trailer ID, no encryption
(6.1.2, 6.1.3); XMP identification part/conformance and its agreement with the
document information dictionary (6.6); an output intent with an embedded ICC profile
matching the device colours the pages use (6.2.3, 6.2.4.3); images not interpolated,
no alternates or OPI (6.2.8); no PostScript XObjects, no transfer functions, standard
blend modes (6.2.5, 6.2.9, 6.2.10); fonts (6.2.11, in `pdfa_fonts.py`); annotations
printable and visible (6.3); no JavaScript, no forbidden actions, no additional
actions (6.5, 6.6.1); no embedded files (6.8).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pikepdf

from .pdfa_fonts import check_font_widths, check_fonts, check_unicode_mapping
from .pdfa_objects import pdfa_error, resource_dictionaries
from .report import Finding

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
FORBIDDEN_ACTIONS = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
}  # fmt: skip
ALLOWED_NAMED_ACTIONS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
STANDARD_BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
    "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
    "/Hue", "/Saturation", "/Color", "/Luminosity",
}  # fmt: skip
FORBIDDEN_ANNOTATIONS = {"/Sound", "/Movie", "/Screen", "/3D", "/RichMedia"}
# Annotation flags (PDF 32000 12.5.3): Invisible 1, Hidden 2, Print 3, NoView 6, ToggleNoView 9.
PRINT_FLAG = 1 << 2
HIDING_FLAGS = (1 << 0) | (1 << 1) | (1 << 5) | (1 << 8)
ICC_COLOUR_SPACES = {b"RGB ": "RGB", b"CMYK": "CMYK", b"GRAY": "Gray"}


@dataclass(frozen=True)
class Identification:
    part: int | None
    conformance: str | None

    @property
    def label(self) -> str:
        return f"PDF/A-{self.part}{(self.conformance or '').lower()}"


def read_xmp(pdf: pikepdf.Pdf) -> ElementTree.Element | None:
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return ElementTree.fromstring(metadata.read_bytes())
    except ElementTree.ParseError:
        return None


def _xmp_value(root: ElementTree.Element, prefix: str, name: str) -> str | None:
    """A simple property, written either as an attribute or as an element (rdf:li first)."""
    key = f"{{{NS[prefix]}}}{name}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if key in description.attrib:
            return description.attrib[key]
        element = description.find(key)
        if element is not None:
            items = [item.text or "" for item in element.iter(f"{{{NS['rdf']}}}li")]
            return ", ".join(items) if items else (element.text or "")
    return None


def identification(pdf: pikepdf.Pdf) -> Identification | None:
    """The PDF/A part and conformance the XMP declares; None when it declares none."""
    root = read_xmp(pdf)
    if root is None:
        return None
    part = _xmp_value(root, "pdfaid", "part")
    if part is None:
        return None
    conformance = _xmp_value(root, "pdfaid", "conformance")
    return Identification(int(part) if part.strip().isdigit() else None, conformance)


def check_file_structure(pdf: pikepdf.Pdf, header: bytes) -> list[Finding]:
    """6.1.2 header with a binary comment, 6.1.3 trailer ID and no encryption."""
    found = []
    lines = header.split(b"\n", 2)
    if not re.match(rb"%PDF-[12]\.\d", lines[0]):
        found.append(pdfa_error("文件头不是 %PDF-1.n（ISO 19005-2 6.1.2）"))
    elif len(lines) < 2 or not lines[1].startswith(b"%") or sum(byte > 127 for byte in lines[1][1:5]) < 4:
        found.append(
            pdfa_error("文件头第二行缺少四个以上高位字节的注释，存档软件可能把文件当作文本（6.1.2）")
        )
    if "/ID" not in pdf.trailer:
        found.append(pdfa_error("文件尾缺少文件标识 ID（6.1.3）"))
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        found.append(pdfa_error("存档文件不得加密（6.1.3）"))
    return found


def _pdf_date(value: str) -> date | None:
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", value)
    if not match:
        return None
    year, month, day = match.groups()
    return date(int(year), int(month or 1), int(day or 1))


def _xmp_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def check_metadata(pdf: pikepdf.Pdf, expected: Identification) -> list[Finding]:
    """6.6: XMP present and well-formed, identification as expected, info dictionary agrees."""
    root = read_xmp(pdf)
    if root is None:
        return [pdfa_error("缺少 XMP 元数据，或无法解析（ISO 19005-2 6.6.2）")]
    found = []
    declared = identification(pdf)
    if declared != expected:
        found.append(
            pdfa_error(
                f"XMP 声明的是 {declared.label if declared else '非 PDF/A'}，应为 {expected.label}（6.6.4）"
            )
        )
    info = pdf.docinfo
    pairs = [
        ("/Title", "dc", "title", "标题"),
        ("/Author", "dc", "creator", "作者"),
        ("/Subject", "dc", "description", "主题"),
        ("/Keywords", "pdf", "Keywords", "关键词"),
        ("/Creator", "xmp", "CreatorTool", "创建工具"),
        ("/Producer", "pdf", "Producer", "生成软件"),
    ]
    for key, prefix, name, label in pairs:
        if key not in info:
            continue
        value = _xmp_value(root, prefix, name)
        if value != str(info[key]):
            found.append(pdfa_error(f"文档信息的{label}“{info[key]}”与 XMP 中的“{value}”不一致（6.6.2）"))
    for key, name, label in (
        ("/CreationDate", "CreateDate", "创建日期"),
        ("/ModDate", "ModifyDate", "修改日期"),
    ):
        if key not in info:
            continue
        value = _xmp_value(root, "xmp", name)
        if value is None or _pdf_date(str(info[key])) != _xmp_date(value):
            found.append(pdfa_error(f"文档信息的{label} {info[key]} 与 XMP 中的 {value} 不一致（6.6.2）"))
    return found


def _icc_colour_space(profile: pikepdf.Stream) -> str | None:
    data = profile.read_bytes()
    return ICC_COLOUR_SPACES.get(data[16:20]) if len(data) >= 128 else None


def check_output_intent(pdf: pikepdf.Pdf) -> tuple[list[Finding], str | None]:
    """6.2.3: one PDF/A output intent with an embedded ICC profile; returns its colour space."""
    intents = [intent for intent in pdf.Root.get("/OutputIntents", []) if intent.get("/S") == "/GTS_PDFA1"]
    if not intents:
        return [
            pdfa_error("缺少 PDF/A 输出意图（OutputIntent /GTS_PDFA1），颜色在别的设备上无法还原（6.2.3）")
        ], None
    profiles = {
        intent.get("/DestOutputProfile").objgen for intent in intents if "/DestOutputProfile" in intent
    }
    if len(profiles) != 1:
        return [pdfa_error("输出意图没有嵌入 ICC 色彩配置文件，或有多个不同的配置文件（6.2.3）")], None
    profile = intents[0].DestOutputProfile
    space = _icc_colour_space(profile)
    found = []
    if space is None:
        found.append(pdfa_error("输出意图的 ICC 配置文件无法识别（6.2.3）"))
    elif int(profile.get("/N", 0)) != {"RGB": 3, "CMYK": 4, "Gray": 1}[space]:
        found.append(
            pdfa_error(f"ICC 配置文件的分量数 N={profile.get('/N')} 与其 {space} 色彩空间不符（6.2.3）")
        )
    return found, space


def _on(page: int | None) -> str:
    return f"第{page}页" if page else ""


def check_graphics(pdf: pikepdf.Pdf, intent_space: str | None) -> list[Finding]:
    """6.2.4.3 device colours vs the intent, 6.2.5 graphics state, 6.2.8 images, 6.2.9/10."""
    found: list[Finding] = []
    told: set[str] = set()

    def once(key: str, finding: Finding) -> None:
        if key not in told:
            told.add(key)
            found.append(finding)

    device_for_intent = {"RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK", "Gray": "/DeviceGray"}
    allowed_device = {"/DeviceGray", device_for_intent.get(intent_space or "", "")}
    for page, resources in resource_dictionaries(pdf):
        for name, xobject in resources.get("/XObject", {}).items():
            subtype = xobject.get("/Subtype")
            if subtype == "/PS" or "/Subtype2" in xobject or "/OPI" in xobject or "/Ref" in xobject:
                once(
                    f"ps{page}",
                    pdfa_error(f"{_on(page)}含 PostScript、OPI 或引用外部的对象 {name}（6.2.9）", page),
                )
            if subtype != "/Image":
                continue
            for image in (xobject, xobject.get("/SMask")):
                if isinstance(image, pikepdf.Stream) and bool(image.get("/Interpolate", False)):
                    once(
                        f"interpolate{page}",
                        pdfa_error(
                            f"{_on(page)}有图片要求插值显示（Interpolate），PDF/A 不允许（6.2.8）",
                            page,
                            hint="styles/archive.css 应为图片设置 image-rendering: crisp-edges",
                        ),
                    )
            if "/Alternates" in xobject or "/OPI" in xobject:
                once(f"alternates{page}", pdfa_error(f"{_on(page)}有图片带有替代图像或 OPI（6.2.8）", page))
            space = xobject.get("/ColorSpace")
            if (
                isinstance(space, pikepdf.Name)
                and str(space).startswith("/Device")
                and str(space) not in allowed_device
            ):
                once(
                    f"colour{space}",
                    pdfa_error(
                        f"{_on(page)}有图片使用 {space}，与输出意图的 {intent_space} 不符（6.2.4.3）", page
                    ),
                )
        for name, state in resources.get("/ExtGState", {}).items():
            if "/TR" in state or ("/TR2" in state and state.TR2 != "/Default") or "/HTP" in state:
                once(
                    f"tr{page}",
                    pdfa_error(f"{_on(page)}图形状态 {name} 含传递函数或网点设置（6.2.5）", page),
                )
            modes = state.get("/BM")
            modes = list(modes) if isinstance(modes, pikepdf.Array) else [modes] if modes is not None else []
            for mode in modes:
                if str(mode) not in STANDARD_BLEND_MODES:
                    once(f"bm{mode}", pdfa_error(f"{_on(page)}使用了非标准混合模式 {mode}（6.2.10）", page))
    return found


def _actions(action: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """An action and the ones it chains to (/Next)."""
    pending = [action]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
        elif isinstance(current, pikepdf.Dictionary):
            yield current
            if "/Next" in current:
                pending.append(current.Next)


def check_interactive(pdf: pikepdf.Pdf) -> list[Finding]:
    """6.3 annotations, 6.5 actions, 6.6.1 no JavaScript, 6.8 no embedded files."""
    found = []
    names = pdf.Root.get("/Names", pikepdf.Dictionary())
    if "/JavaScript" in names:
        found.append(pdfa_error("含有 JavaScript（6.5）"))
    if "/EmbeddedFiles" in names:
        found.append(
            pdfa_error("含有附件（嵌入文件），PDF/A-2 只允许嵌入 PDF/A 文件，本工具不嵌入任何附件（6.8）")
        )
    if "/AA" in pdf.Root:
        found.append(pdfa_error("文档带有附加动作（AA）（6.5.2）"))
    if "/OpenAction" in pdf.Root:
        found.extend(_judge_action(action, None) for action in _actions(pdf.Root.OpenAction))
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and (acroform.get("/NeedAppearances") or "/XFA" in acroform):
        found.append(pdfa_error("表单要求阅读器生成外观或含 XFA（6.4）"))
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            found.append(pdfa_error(f"第{number}页带有附加动作（AA）（6.5.2）", number))
        for annotation in page.obj.get("/Annots", []):
            subtype = str(annotation.get("/Subtype"))
            if subtype in FORBIDDEN_ANNOTATIONS:
                found.append(pdfa_error(f"第{number}页有 PDF/A 不允许的 {subtype} 注释（6.3.1）", number))
            flags = int(annotation.get("/F", 0))
            if subtype != "/Popup" and (not flags & PRINT_FLAG or flags & HIDING_FLAGS):
                found.append(pdfa_error(f"第{number}页的 {subtype} 注释未设为可打印、可见（6.3.2）", number))
            if "/AA" in annotation:
                found.append(pdfa_error(f"第{number}页的注释带有附加动作（AA）（6.5.2）", number))
            for action in _actions(annotation.get("/A")):
                finding = _judge_action(action, number)
                if finding is not None:
                    found.append(finding)
    return [finding for finding in found if finding is not None]


def _judge_action(action: pikepdf.Dictionary, page: int | None) -> Finding | None:
    kind = str(action.get("/S"))
    where = f"第{page}页" if page else "文档打开时"
    if kind in FORBIDDEN_ACTIONS:
        return pdfa_error(f"{where}有 PDF/A 不允许的动作 {kind}（6.5.1）", page)
    if kind == "/Named" and str(action.get("/N")) not in ALLOWED_NAMED_ACTIONS:
        return pdfa_error(f"{where}有 PDF/A 不允许的命名动作 {action.get('/N')}（6.5.1）", page)
    return None


def check_pdfa(pdf: pikepdf.Pdf, header: bytes, expected: Identification) -> list[Finding]:
    """All the PDF/A-2 checks; `header` is the file's first bytes (pikepdf does not keep them)."""
    found = check_file_structure(pdf, header)
    found += check_metadata(pdf, expected)
    intent_findings, intent_space = check_output_intent(pdf)
    found += intent_findings
    found += check_graphics(pdf, intent_space)
    unicode_level = (expected.conformance or "").upper() in ("U", "A")
    found += check_fonts(pdf, unicode_level)
    found += check_font_widths(pdf)
    if unicode_level:
        found += check_unicode_mapping(pdf)
    found += check_interactive(pdf)
    return found
