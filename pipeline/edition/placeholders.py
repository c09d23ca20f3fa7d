"""Text the tool leaves for the editor to replace: one definition for all who use it.

The importer writes `SOURCE_PENDING` when it finds no source and `IMAGE_PENDING`
where a photo did not come with the text; `briefing new` writes example text
starting with `FILL_IN`. The check refuses a briefing whose sources or pages still
hold any of `MARKERS`: a printed placeholder is an error, not a hint.
"""

from __future__ import annotations

SOURCE_PENDING = "来源待核"
IMAGE_PENDING = "［待补图片］"
FILL_IN = "请在此填写"
# The scaffold's other example lines (source and body of a new article).
FILL_IN_SOURCE = "请填写来源单位"
FILL_IN_BODY = "请在此粘贴或撰写正文"

# Marker → what the editor should do, in the editor's words.
MARKERS: dict[str, str] = {
    SOURCE_PENDING: "把“来源待核”改为真实的来源单位（如 市场监管总局）",
    IMAGE_PENDING: "把图片放入 images/ 并写成 ![图注](images/文件名)，或删去这一行",
    FILL_IN: "把“请在此填写…”换成真实内容",
    FILL_IN_SOURCE: "把“请填写来源单位”换成真实的来源单位",
    FILL_IN_BODY: "把示例正文换成稿件的正文",
}


def markers_in(text: str) -> list[str]:
    """The placeholder markers `text` holds, in the order of `MARKERS`."""
    return [marker for marker in MARKERS if marker in text]
