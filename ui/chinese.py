"""Chinese where Streamlit's own widgets would speak English: select placeholders, the file uploader's button and
drop zone, date placeholders, empty tables, and the chart toolbar. What no page can change is listed in README."""
from __future__ import annotations

import streamlit as st

CHOOSE = "请选择…"            # a selectbox with nothing chosen (Streamlit: "Choose an option", "No options to select")
CHOOSE_MANY = "请选择（可多选）…"  # a multiselect (Streamlit: "Choose options")


# Streamlit draws these words itself and has no option for them; the style sheet below writes Chinese in their
# place (the English text is shrunk to nothing, the Chinese drawn after it), by the elements' test ids.
_UPLOAD_BUTTON = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p'
_DROP_ZONE = '[data-testid="stFileUploaderDropzoneInstructions"] span'
_DATE_PART = '[data-testid="stDateInputField"] [data-placeholder="true"][data-type="{part}"]'
_REPLACED = {_UPLOAD_BUTTON: "选择文件", _DROP_ZONE: "或把文件拖到这里",
             **{_DATE_PART.format(part=part): word for part, word in (("year", "年"), ("month", "月"), ("day", "日"))}}
FRAME_STYLE = "".join(f"{selector}{{font-size:0}}{selector}::after{{content:\"{word}\";font-size:0.875rem}}"
                      for selector, word in _REPLACED.items()) + '[data-testid="InputInstructions"]{display:none}'


def chinese_frame() -> None:
    """Once per run, before any page draws: the style sheet that puts Chinese in place of Streamlit's own words."""
    st.html(f"<style>{FRAME_STYLE}</style>")


def upload_note(types: list[str] | None, max_mb: int) -> None:
    """The size limit and allowed types, in Chinese under an uploader (Streamlit's own line says them in English
    and is hidden by the frame's style sheet)."""
    kinds = f"；可上传 {'、'.join(t.lstrip('.').upper() for t in types)} 文件" if types else ""
    st.caption(f"每个文件不超过 {max_mb} MB{kinds}。")


def table(rows: list[dict], *, empty: str, **options) -> None:
    """A table, or `empty` as a caption when there are no rows (an empty grid says "empty"); blank cells stay blank
    instead of reading "None"."""
    if not rows:
        st.caption(empty)
        return
    st.dataframe(rows, hide_index=True, width="stretch", placeholder="", **options)


_MONTHS = [f"{n}月" for n in range(1, 13)]
_DAYS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"]
PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "zh-CN",
    "locales": {"zh-CN": {
        "dictionary": {
            "Download plot as a PNG": "下载为 PNG 图片", "Download plot": "下载图表", "Zoom": "缩放",
            "Pan": "平移", "Box Select": "框选", "Lasso Select": "套索选择", "Zoom in": "放大", "Zoom out": "缩小",
            "Autoscale": "自动缩放", "Reset axes": "重置坐标轴", "Reset view": "重置视图",
            "Show closest data on hover": "悬停时显示最近的数据", "Compare data on hover": "悬停时比较数据",
            "Toggle Spike Lines": "显示或隐藏参考线", "Double-click to zoom back out": "双击还原",
            "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        },
        "format": {"days": _DAYS, "shortDays": [d[-1] for d in _DAYS], "months": _MONTHS, "shortMonths": _MONTHS,
                   "date": "%Y-%m-%d", "decimal": ".", "thousands": ","},
    }},
}
