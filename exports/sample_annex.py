"""The report's annex of samples (every register row, by clause) and its service targets; a gap report (a
pre-audit) says which targets the company's records do not yet support. From the snapshot's plain data."""
from __future__ import annotations

from exports.docx_kit import table

SAMPLE_COLUMNS = ["条款", "样本编号", "场所", "日期", "时间", "适用时限", "结论", "备注"]
TARGET_COLUMNS = ["条款", "目标", "实测", "状态", "依据"]


def sample_annex(doc, samples: list[list[str]], targets: list[list[str]], gaps: list[str], *, gap: bool) -> None:
    if targets:
        doc.add_heading("服务目标与承诺", level=1)
        table(doc, TARGET_COLUMNS, targets, widths=[2, 7, 2, 3, 3])
        if gap:
            doc.add_paragraph("企业记录尚不能支持的服务目标：" + ("；".join(gaps) if gaps else "无") + "。")
    if samples:
        doc.add_heading("附：样本清单", level=1)
        table(doc, SAMPLE_COLUMNS, samples,
              widths=[1.6, 2.4, 2, 2, 4, 2.4, 1.4, 2.4])
