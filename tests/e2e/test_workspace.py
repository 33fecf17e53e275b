"""Journeys in the scoring workspace: ratings persist across reloads and restarts; stale saves are refused."""
import json
import subprocess
import sys

from playwright.sync_api import expect

from audits.ratings import get_rating
from db import make_engine, session
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import (
    clause_form,
    click_until,
    expect_metric,
    open_clause,
    rate,
    sign_in,
    wait_idle,
    write_finding,
)
from tests.e2e.server import ROOT, streamlit_app
from tests.factories import actor


def test_rate_a_clause_see_the_score_move_and_find_it_after_reload_and_restart(tmp_path, new_page):
    data = tmp_path / "data"
    with streamlit_app(data, tmp_path / "first.log") as base:
        page = new_page()
        sign_in(page, base, "chen")  # the consultant of the demo pre-audit
        click_until(page, page.get_by_role("button", name="评分", exact=True), "评分工作台")
        expect_metric(page, "得分", "39.08")  # 469/12
        open_clause(page, "5.3.1.a")
        write_finding(page, "5.3.1.a", "400 热线与在线客服均可受理咨询、报修和投诉。")
        rate(page, "5.3.1.a", "符合")
        expect_metric(page, "得分", "42.21")
        expect_metric(page, "进度", "21 / 39")
        screenshot(page, "workspace-after-rating")
        page.reload()
        wait_idle(page)
        expect_metric(page, "得分", "42.21")
    with streamlit_app(data, tmp_path / "second.log") as base:
        page = new_page()
        sign_in(page, base, "chen", "workspace?engagement=1")
        expect_metric(page, "得分", "42.21")
        open_clause(page, "5.3.1.a")
        form = clause_form(page, "5.3.1.a")
        expect(form.get_by_label("审核发现")).to_have_value("400 热线与在线客服均可受理咨询、报修和投诉。")
        page.get_by_text("修改历史").click()
        expect(page.get_by_text("未评分").last).to_be_visible()


def test_two_people_save_the_same_clause_and_the_stale_save_is_refused(app_server, new_page):
    base, data = app_server
    first, second = new_page(), new_page()
    for page, who in ((first, "zhang"), (second, "li")):
        sign_in(page, base, who, "workspace?engagement=2")
        open_clause(page, "5.3.1.b")
    write_finding(first, "5.3.1.b", "顾客信息无访问权限控制。")
    rate(first, "5.3.1.b", "不符合")
    expect_metric(first, "得分", "91.12")
    rate(second, "5.3.1.b", "符合")
    expect(second.get_by_text("您的修改未保存")).to_be_visible()
    expect(second.get_by_text("已被 张审查")).to_be_visible()
    expect(clause_form(second, "5.3.1.b").get_by_label("审核发现")).to_have_value("顾客信息无访问权限控制。")
    expect_metric(second, "得分", "91.12")
    screenshot(second, "workspace-stale-refused")
    engine = make_engine(f"sqlite:///{data / 'audit.db'}")
    with session(engine) as s:
        row = get_rating(s, 2, "5.3.1.b", by=actor())
        assert (row.status, row.version, row.finding, row.updated_by) == (
            "nonconform", 2, "顾客信息无访问权限控制。", "张审查")
    engine.dispose()


def test_the_dashboard_score_equals_python_m_scoring_on_the_downloaded_json(app_server, page, tmp_path):
    base, _ = app_server
    sign_in(page, base, "zhang", "dashboard?engagement=2")
    expect_metric(page, "得分", "94.40")
    # the charts really draw in the browser (the indicator bars and the score history), not only as placeholders
    plots = page.locator(".js-plotly-plot .main-svg")
    plots.nth(2).wait_for(state="visible", timeout=20_000)
    page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(state="visible", timeout=20_000)
    screenshot(page, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载评价数据（JSON）").click()
    path = tmp_path / "assessment.json"
    download.value.save_as(path)
    out = subprocess.run([sys.executable, "-m", "scoring", str(path), "--json"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    result = json.loads(out.stdout)
    assert (f"{result['score']:.2f}", result["star"], result["decision"]) == ("94.40", "four_star", "withheld")  # open general NCs
