"""Journey (issue 15, acceptance): a consultant's pre-audit shows no decision wording anywhere, in the app or in
any document downloaded from it: it speaks of readiness, a predicted star and what to fix first."""

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, sign_in, wait_idle

DECISION_WORDS = ("可予认证", "不予通过", "暂缓决定", "认证决定", "推荐")
GAP_DOCUMENTS = ("差距分析报告", "差距项报告", "准备度评估", "预评价计划")


def page_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def document_text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_pre_audit_speaks_of_readiness_in_the_app_and_in_every_document(app_server, page, tmp_path):
    base, _ = app_server
    sign_in(page, base, "chen", "dashboard?engagement=1")  # the consultant of the demo pre-audit
    expect(page.get_by_text("预计星级").first).to_be_visible()
    shown = page_text(page)
    assert not [w for w in DECISION_WORDS if w in shown], shown
    screenshot(page, "pre-audit-dashboard")
    for name in GAP_DOCUMENTS:
        choose(page, "导出文档", name)
        page.get_by_role("button", name=f"生成{name}").click()
        wait_idle(page)
        with page.expect_download() as download:
            page.get_by_role("button", name=f"下载{name}").click()
        path = tmp_path / f"{name}.docx"
        download.value.save_as(path)
        text = document_text(path)
        assert name in text and not [w for w in DECISION_WORDS if w in text], (name, text[:500])
    page.goto(f"{base}/workspace?engagement=1")
    wait_idle(page)
    expect(page.get_by_text("预计星级").first).to_be_visible()
    assert not [w for w in DECISION_WORDS if w in page_text(page)]
