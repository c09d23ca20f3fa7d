"""Image verdicts on real files: what editors' tools export passes, what is broken or reaches out does not."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest

from pipeline.typeset.images import judge, strict_pillow
from tests.support import png_bytes, png_header_only, truncated_jpeg

ILLUSTRATOR_SVG = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    b'<svg version="1.1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="200" height="100"><defs><path id="p" d="M0 0h10v10z"/></defs>'
    b'<use xlink:href="#p"/><rect width="10" height="10" fill="url(#p)"/></svg>'
)


def jpeg_bytes() -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(stream, "JPEG")
    return stream.getvalue()


def embedded(data: bytes) -> bytes:
    link = b"data:image/png;base64," + base64.b64encode(data)
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="' + link + b'"/></svg>'


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("chart.svg", ILLUSTRATOR_SVG),
        ("photo.png", png_bytes(size=(640, 480))),
        ("with-raster.svg", embedded(png_bytes(size=(20, 20)))),
        ("named-png-but-jpeg.png", jpeg_bytes()),
    ],
)
def test_what_editors_export_is_accepted(name: str, data: bytes) -> None:
    with strict_pillow():
        problem, kind = judge(Path(name), data)
    assert problem is None and kind


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bomb-inside.svg", embedded(png_header_only(20000, 20000)), "20000×20000"),
        ("remote.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/a.png"/></svg>', "example.com"),
        ("html.svg", b"<html><body>not an svg</body></html>", "<svg>"),
        ("half.jpg", truncated_jpeg(), "不完整"),
        ("deep.svg", b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 2000 + b"</g>" * 2000 + b"</svg>", "太复杂"),
    ],
)
def test_broken_or_reaching_out_is_refused(name: str, data: bytes, reason: str) -> None:
    with strict_pillow():
        problem, _ = judge(Path(name), data)
    assert problem is not None and reason in problem, problem


def test_strict_pillow_restores_weasyprints_settings() -> None:
    import weasyprint.images  # noqa: F401  (sets LOAD_TRUNCATED_IMAGES)
    from PIL import Image, ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
    with strict_pillow():
        assert ImageFile.LOAD_TRUNCATED_IMAGES is False and Image.MAX_IMAGE_PIXELS is None
    assert before == (ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS)
