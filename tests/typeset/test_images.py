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


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _vet_in_a_new_process(path: Path) -> list[str]:
    """A fresh vetter, as the next build's process makes it: its errors' messages."""
    from pipeline.render.markdown import PlacedImage
    from pipeline.typeset.images import ImageVetter

    _, errors = ImageVetter().vet([PlacedImage(path, "articles/01.md", 3)])
    return [error.message for error in errors]


def test_an_accepted_image_is_not_decoded_again_by_the_next_process(
    own_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.typeset import images

    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(size=(64, 48)))
    assert _vet_in_a_new_process(photo) == []
    decoded: list[bytes] = []
    judge = images.judge
    monkeypatch.setattr(images, "judge", lambda path, data: decoded.append(data) or judge(path, data))
    assert _vet_in_a_new_process(photo) == [] and decoded == []
    # Other bytes under the same name are judged afresh, and a refusal is never kept.
    photo.write_bytes(truncated_jpeg())
    for _ in range(2):
        assert len(_vet_in_a_new_process(photo)) == 1
    assert len(decoded) == 2


def test_verdicts_kept_under_other_rules_are_not_used(
    own_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.typeset import images

    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(size=(64, 48)))
    assert _vet_in_a_new_process(photo) == []
    monkeypatch.setattr(images, "MAX_PIXELS", 100)  # a new limit refuses it
    assert len(_vet_in_a_new_process(photo)) == 1
    monkeypatch.undo()
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(own_cache))
    monkeypatch.setattr(images, "_rules", lambda: "another-pillow")
    monkeypatch.setattr(images, "judge", lambda path, data: ("另一种规则", ""))
    assert _vet_in_a_new_process(photo) == ["photo.png 另一种规则"]


def test_a_damaged_kept_verdicts_file_counts_as_empty(own_cache: Path, tmp_path: Path) -> None:
    from pipeline.typeset.images import kept_verdicts_path

    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(size=(64, 48)))
    kept_verdicts_path().parent.mkdir(parents=True)
    kept_verdicts_path().write_bytes(b"\x00 not marshal")
    assert _vet_in_a_new_process(photo) == []
