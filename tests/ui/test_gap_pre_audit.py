"""The demo pre-audit (engagement 1, consultant 陈) reads as a gap analysis on the dashboard and in the workspace:
readiness, a predicted star and what to fix first, and no conclusion, recommendation or decision (issue 15 item 5)."""
import io

import pytest
from docx import Document

from tests.ui.conftest import go, kept, metric
from tests.unit.test_gap_documents import FORBIDDEN
from tests.unit.test_word_report import all_text

WORKSPACE, DASHBOARD = "ui/views/workspace.py", "ui/views/dashboard.py"
PRE_AUDIT = 1


def screen_text(at) -> str:
    """Every word the page shows: text elements, metrics, widget labels and options, table cells."""
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "success", "error", "subheader")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [e.label for e in at.expander]
    parts += [b.label for b in at.button] + [w.label for w in at.selectbox]
    parts += [str(o) for w in at.selectbox for o in w.options]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", [DASHBOARD, WORKSPACE])
def test_the_pre_audit_shows_readiness_and_a_predicted_star_and_no_decision_wording(at, page):
    go(at, page, engagement=PRE_AUDIT)
    text = screen_text(at)
    assert [word for word in FORBIDDEN if word in text] == []
    assert metric(at, "总体准备度").endswith("%") and "已评部分" in metric(at, "预计星级")
    readiness = [m.label for m in at.metric if m.label.endswith(" 准备度")]
    assert [label.split()[0] for label in readiness] == ["5.1", "5.2", "5.3"]  # one per first-level indicator


def test_the_dashboard_shows_the_path_to_the_next_star_and_offers_the_gap_documents(at):
    go(at, DASHBOARD, engagement=PRE_AUDIT)
    assert any(m.value.startswith("**升至") for m in at.markdown)  # the clauses to fix first
    chooser = at.selectbox(key=f"kind-report-{PRE_AUDIT}")
    assert chooser.options == ["差距分析报告", "差距项报告", "准备度评估", "预评价计划"]
    at.button(key=f"build-report-{PRE_AUDIT}").click().run()
    assert not at.exception, at.exception
    assert at.download_button(key=f"download-report-{PRE_AUDIT}").label == "下载差距分析报告"
    text = all_text(Document(io.BytesIO(kept(at, "dashboard", f"report-{PRE_AUDIT}")[1])))
    assert "商品售后服务差距分析报告" in text and [w for w in FORBIDDEN if w in text] == []
