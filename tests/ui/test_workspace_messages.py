"""AppTest: the workspace and dashboard say when an assessment has not started or is partial, warn about entries
that contradict themselves and findings without a nonconformity, show user text literally, and speak Chinese
(issue 14 items 12, 13, 16, 17)."""
import json
import re

import pytest
from sqlmodel import select

from accounts.models import User
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, get_rating, rate_clause
from tests.factories import actor, default_tree
from tests.ui.conftest import go, metric, save
from tests.ui.test_audit_pages import DASHBOARD, PRE_AUDIT, WORKSPACE, db
from ui.text import md

HOSTILE = "*强调* _下划线_ [链接](http://evil.example) <b>粗</b> # 标题 `代码`"


def new_engagement() -> int:
    with db() as s:
        zhang = s.exec(select(User).where(User.username == "zhang")).one()
        return create_engagement(s, data={"company_id": 1, "kind": "initial", "title": "尚未评分的项目"},
                                 tree=default_tree(), team=[{"role": "lead_assessor", "user_id": zhang.id,
                                                             "name": zhang.display_name}], by=actor()).id


# item 16
@pytest.mark.parametrize("page", [DASHBOARD, WORKSPACE])
def test_an_engagement_with_nothing_rated_says_the_assessment_has_not_started(signed_in, page):
    at = signed_in("zhang")
    at = go(at, page, engagement=new_engagement())
    assert metric(at, "星级") == "尚未开始评分" and metric(at, "结论") == "—" and metric(at, "进度") == "0 / 39"
    assert any(i.value.startswith("尚未开始评分") for i in at.info)
    assert not {"未通过", "不予通过"} & {m.value for m in at.metric}
    assert all(len(d.value) for d in at.dataframe)  # no table reading "empty"


# item 16
@pytest.mark.parametrize("page", [DASHBOARD, WORKSPACE])
def test_a_partial_result_says_so(at, page):
    go(at, page, engagement=PRE_AUDIT)
    assert any(i.value.startswith("差距分析：已评 20/39") for i in at.info)  # a pre-audit: its partial result


# item 17
def test_a_saved_entry_that_contradicts_itself_is_pointed_out(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.button(key="goto-5.3.1.a").click().run()
    save(at, "1-5.3.1.a", "conform", sampled=3, reason="无")
    warnings = [w.value for w in at.warning]
    assert any("5.3.1.a：抽样数和不符合数只用于“抽样评分”，本次未保存" in w for w in warnings), warnings
    assert any("5.3.1.a：删减理由只用于“删减”，本次未保存" in w for w in warnings), warnings
    with db() as s:
        assert get_rating(s, PRE_AUDIT, "5.3.1.a", by=actor()).status == "conform"


# item 17
def test_findings_against_the_company_without_a_nonconformity_are_named(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    listed = [w.value for w in at.warning if "尚未开具不符合项：" in w.value]
    assert listed == ["3 个条款有不符合（评为不符合或抽样中有不符合），但尚未开具不符合项：5.1.1.2、5.1.3.3、5.1.4.1"]
    at.button(key="goto-5.1.1.2").click().run()
    assert any(w.value.startswith("此条款有不符合，但尚未开具不符合项") for w in at.warning)
    at.session_state["ncs-1-5.1.1.2"] = True  # open the clause's nonconformity panel and raise one
    at.run()
    at.button(key="raise-submit-5.1.1.2").click().run()
    assert not at.exception, at.exception
    listed = [w.value for w in at.warning if "尚未开具不符合项" in w.value]
    assert listed == ["2 个条款有不符合（评为不符合或抽样中有不符合），但尚未开具不符合项：5.1.3.3、5.1.4.1"]


# item 13
def test_a_colleagues_name_and_exclusion_reason_show_literally(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.button(key="goto-5.2.3.a").click().run()  # 按约配送: excludable and not yet rated in the pre-audit
    with db() as s:
        rate_clause(s, engagement_id=PRE_AUDIT, code="5.2.3.a", entry=RatingEntry("excluded", reason=HOSTILE),
                    expected_version=0, tree=default_tree(), by=actor("*李*_评审_"))
    at.run()
    assert any(md("*李*_评审_") in w.value and md(HOSTILE) in w.value for w in at.warning), \
        [w.value for w in at.warning]


def blocks(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from blocks(child)


def assert_chinese_controls(at, elsewhere=()):
    """What Streamlit lets a page say in Chinese (README lists what it does not); `elsewhere`: labels of choosers
    drawn by another module's panel, checked by that module's tests."""
    forms = [b for b in blocks(at._tree) if getattr(b, "type", None) == "form"]
    assert all(not f.proto.form.enter_to_submit for f in forms)  # no "Press Enter to submit form"
    boxes = {box.label: box.proto.placeholder for box in [*at.selectbox, *at.multiselect]
             if box.label not in elsewhere}
    assert all(p and not re.search("[A-Za-z]", p) for p in boxes.values()), boxes  # not "Choose an option"
    assert all(not m.proto.select_all for m in at.multiselect)  # no "Select all"
    assert all(len(d.value) for d in at.dataframe)  # an empty table reads "empty"
    notes = [c for c in at.caption if "每个文件不超过" in c.value]
    assert len(notes) == len(at.get("file_uploader"))  # the uploader's English drop zone, said in Chinese
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.config)["locale"] == "zh-CN"  # the chart toolbar


# item 12
def test_the_workspace_asks_in_chinese(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.session_state["special-1"] = True
    at.session_state["ncs-1-5.1.1.1"] = True
    at.run()
    with db() as s:  # a special item, so its withdrawal form is drawn too
        from audits.special_items import add_special_item
        add_special_item(s, engagement_id=PRE_AUDIT, kind="bonus", reason="服务网络覆盖全省", tree=default_tree(),
                         by=actor())
    at.run()
    assert not at.exception, at.exception
    assert_chinese_controls(at)


# item 12
def test_quick_scoring_asks_in_chinese(at):
    assert_chinese_controls(go(at, "ui/views/quick_score.py"))


# item 12
def test_the_dashboard_speaks_chinese_and_dates_the_score_history_in_numbers(signed_in):
    at = go(signed_in("zhang"), DASHBOARD, engagement=2)
    assert_chinese_controls(at, elsewhere={"导出文档"})  # ui/report_download.py's
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "score-history" in c.proto.id)
    axis = json.loads(chart.proto.spec)["layout"]["xaxis"]
    assert axis["tickformat"] == "%Y-%m-%d" and axis["hoverformat"] == "%Y-%m-%d %H:%M"
    assert {stop["value"] for stop in axis["tickformatstops"]} == {"%m-%d %H:%M", "%Y-%m-%d"}
