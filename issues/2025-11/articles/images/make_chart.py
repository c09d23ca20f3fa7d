"""Regenerate the charts used in the 2025-11 edition (written beside this script).

Run: /work/main/.venv/bin/python issues/2025-11/articles/images/make_chart.py
Figures are illustrative sample data for the sample edition.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parents[3] / "fonts" / "NotoSansCJKsc-Regular.otf"

WIDTH, HEIGHT = 1800, 1100
RED = (178, 34, 34)
LIGHT_RED = (214, 120, 110)
GREY = (90, 90, 90)
GRID = (222, 222, 222)


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def centered(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, f, fill) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=f)
    draw.text((x - (right - left) / 2, y - (bottom - top) / 2 - top), text, font=f, fill=fill)


def bar_chart() -> Path:
    """2021—2025年全国检验检测服务业营业收入（亿元）, 2025 is an estimate."""
    years = ["2021年", "2022年", "2023年", "2024年", "2025年（预计）"]
    values = [4090, 4276, 4671, 4876, 5120]
    growth = [None, 4.5, 9.2, 4.4, 5.0]

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    centered(draw, WIDTH / 2, 70, "2021—2025年全国检验检测服务业营业收入", font(54), (30, 30, 30))
    centered(draw, WIDTH / 2, 140, "单位：亿元；折线标注为同比增速（%）", font(32), GREY)

    left, right, top, bottom = 200, WIDTH - 120, 220, HEIGHT - 170
    vmax = 7000
    label = font(30)
    for tick in range(0, vmax + 1, 1000):
        y = bottom - (bottom - top) * tick / vmax
        draw.line([(left, y), (right, y)], fill=GRID, width=2)
        text = str(tick)
        tw = draw.textlength(text, font=label)
        draw.text((left - 20 - tw, y - 20), text, font=label, fill=GREY)
    draw.line([(left, bottom), (right, bottom)], fill=(60, 60, 60), width=3)

    slot = (right - left) / len(values)
    bar_width = slot * 0.5
    points = []
    for index, (year, value) in enumerate(zip(years, values)):
        cx = left + slot * (index + 0.5)
        y = bottom - (bottom - top) * value / vmax
        colour = LIGHT_RED if index == len(values) - 1 else RED
        draw.rectangle([(cx - bar_width / 2, y), (cx + bar_width / 2, bottom)], fill=colour)
        centered(draw, cx, y - 34, f"{value:,}", font(36), (30, 30, 30))
        centered(draw, cx, bottom + 45, year, font(34), (30, 30, 30))
        if growth[index] is not None:
            points.append((cx, y - 110, growth[index]))

    draw.line([(x, y) for x, y, _ in points], fill=(40, 90, 160), width=5)
    for x, y, g in points:
        draw.ellipse([(x - 11, y - 11), (x + 11, y + 11)], fill=(40, 90, 160))
        centered(draw, x + 70, y - 30, f"{g}%", font(30), (40, 90, 160))

    centered(draw, WIDTH / 2, HEIGHT - 50, "资料来源：根据公开统计资料整理，2025年为预计数（示例数据）", font(28), GREY)
    out = HERE / "testing-revenue-2021-2025.png"
    image.save(out, dpi=(300, 300))
    return out


def flow_diagram() -> Path:
    """A simple diagram: the 计量—标准—认证认可—检验检测 chain serving enterprises."""
    image = Image.new("RGB", (WIDTH, 640), "white")
    draw = ImageDraw.Draw(image)
    centered(draw, WIDTH / 2, 70, "质量基础设施“一站式”服务流程示意", font(52), (30, 30, 30))
    steps = ["企业提出需求", "窗口统一受理", "计量·标准·认证\n检验检测协同会诊", "出具综合方案", "跟踪回访评价"]
    box_w, box_h, gap = 300, 200, 50
    total = len(steps) * box_w + (len(steps) - 1) * gap
    x0 = (WIDTH - total) / 2
    y0 = 200
    f = font(31)
    for index, step in enumerate(steps):
        x = x0 + index * (box_w + gap)
        fill = (252, 236, 233) if index != 2 else (178, 34, 34)
        ink = (30, 30, 30) if index != 2 else "white"
        draw.rounded_rectangle([(x, y0), (x + box_w, y0 + box_h)], radius=24, fill=fill, outline=RED, width=4)
        lines = step.split("\n")
        for line_index, line in enumerate(lines):
            offset = (line_index - (len(lines) - 1) / 2) * 48
            centered(draw, x + box_w / 2, y0 + box_h / 2 + offset, line, f, ink)
        if index < len(steps) - 1:
            ax = x + box_w + 8
            ay = y0 + box_h / 2
            draw.line([(ax, ay), (ax + gap - 22, ay)], fill=GREY, width=5)
            draw.polygon([(ax + gap - 16, ay), (ax + gap - 34, ay - 14), (ax + gap - 34, ay + 14)], fill=GREY)
    centered(draw, WIDTH / 2, 530, "平均办理时限由15个工作日压缩至7个工作日（示例数据）", font(34), GREY)
    out = HERE / "one-stop-service-flow.png"
    image.save(out, dpi=(300, 300))
    return out


if __name__ == "__main__":
    for path in (bar_chart(), flow_diagram()):
        print(path)
