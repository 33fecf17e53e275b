"""Chinese where Streamlit's own widgets would speak English: select placeholders, a note under each file
uploader, empty tables, and the chart toolbar. What Streamlit does not let a page change is listed in README."""
from __future__ import annotations

import streamlit as st

CHOOSE = "请选择…"            # a selectbox with nothing chosen (Streamlit: "Choose an option", "No options to select")
CHOOSE_MANY = "请选择（可多选）…"  # a multiselect (Streamlit: "Choose options")


def upload_note(types: list[str] | None, max_mb: int) -> None:
    """What the uploader's English drop zone says ("Drag and drop…", "200MB per file • PDF…", "Upload"), in
    Chinese under it: Streamlit offers no way to change those words."""
    kinds = f"；可上传 {'、'.join(t.lstrip('.').upper() for t in types)} 文件" if types else ""
    st.caption(f"把文件拖到上面的框里，或点框中的 Upload 按钮选择文件。每个文件不超过 {max_mb} MB{kinds}。")


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
