"""Charts for documents: earned against applicable points per indicator, as PNG bytes (matplotlib, CJK fonts)."""
from __future__ import annotations

import io
from functools import lru_cache

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
             "Microsoft YaHei", "PingFang SC"]


@lru_cache
def cjk_font() -> str | None:
    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def points_chart(title: str, rows: list[tuple[str, float, float]]) -> bytes:
    """Horizontal bars: applicable points in grey, earned points in blue, with the percentage.

    The legend sits above the plot, right of the title: inside it, it covered the lowest bars of a long chart.
    A Figure of its own, not pyplot, whose global state is shared by the threads of a Streamlit server."""
    font = cjk_font()
    with matplotlib.rc_context({"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
                                "axes.unicode_minus": False}):
        fig = Figure(figsize=(7.2, 1.4 + 0.38 * len(rows)), dpi=150)
        ax = fig.subplots()
        labels = [r[0] for r in rows][::-1]
        earned = [r[1] for r in rows][::-1]
        applicable = [r[2] for r in rows][::-1]
        ax.barh(labels, applicable, color="#d0d7e2", label="涉及项分值")
        ax.barh(labels, earned, color="#2f6fbd", height=0.55, label="实际得分")
        for y, (e, a) in enumerate(zip(earned, applicable, strict=True)):
            ax.text(max(a, 0.1) * 1.01, y, f"{e / a:.0%}" if a else "删减", va="center", fontsize=8)
        ax.set_title(title, fontsize=11, loc="left")
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False,
                  borderaxespad=0.2)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()
