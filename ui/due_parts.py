"""What the programme page and the attention list show of due items: table rows with Chinese headers, the chart
of items per month by kind, the Excel download of a list."""
from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from cycle.due import DueItem, per_month
from ui.charts import bar, figure
from vocabulary import DUE_KIND_LABELS, DUE_STATE_LABELS, DueKind

KIND_COLORS = {DueKind.SURVEILLANCE: "#2f6fbd", DueKind.RECERTIFICATION: "#7b5ea7",
               DueKind.PLAN_NOT_SENT: "#e59f2c", DueKind.SUSPENSION_ENDING: "#c0392b",
               DueKind.NC_DEADLINE: "#2f9e6f", DueKind.CERTIFICATE_EXPIRY: "#8e9aaf"}
COLUMNS = ("到期日", "状态", "类型", "企业", "评价项目", "证书编号", "事项")


def table_rows(items: Sequence[DueItem]) -> list[dict]:
    """One row per item, headed in Chinese; the date stays a date (the download keeps it one)."""
    return [dict(zip(COLUMNS, (i.due, DUE_STATE_LABELS[i.state], DUE_KIND_LABELS[i.kind], i.company, i.engagement,
                               i.certificate, i.description), strict=True)) for i in items]


def per_month_chart(items: Sequence[DueItem]) -> go.Figure:
    counts = per_month(items)
    months = sorted({month for month, _ in counts})
    return figure([bar(name=DUE_KIND_LABELS[kind], x=months, y=[counts.get((m, kind), 0) for m in months],
                       marker=dict(color=color)) for kind, color in KIND_COLORS.items()
                   if any(k == kind for _, k in counts)],
                  "每月到期事项（按类型）", 300, barmode="stack", yaxis=dict(dtick=1),
                  xaxis=dict(type="category"), legend=dict(orientation="h", y=-0.2))


def workbook(items: Sequence[DueItem]) -> bytes:
    """The list as an .xlsx: Chinese headers, dates as dates (YYYY-MM-DD)."""
    frame = pd.DataFrame(table_rows(items), columns=list(COLUMNS))
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="到期事项", index=False)
        sheet = writer.sheets["到期事项"]
        for (found,) in sheet.iter_rows(min_row=2, max_col=1):
            found.number_format = "YYYY-MM-DD"  # pandas' own date formats do not reach openpyxl's cells
        for letter, width in zip("ABCDEFG", (12, 10, 18, 30, 24, 22, 70), strict=True):
            sheet.column_dimensions[letter].width = width
    return out.getvalue()
