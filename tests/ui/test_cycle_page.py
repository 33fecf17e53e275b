"""AppTest: the 认证周期 page shows a certified company's timeline and scores over its two engagements; a change
is reported and answered there, and the company and its certificate take the new name."""
import json
from datetime import date

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from config import settings
from cycle.cycles import create_in_cycle
from cycle.models import Certificate, ReportedChange
from db import engine_for, session
from records.models import Company, Engagement
from tests import cycle_rows as rows
from tests.factories import actor, default_tree
from tests.ui.conftest import APP, go, sign_in

CYCLE, INITIAL = "ui/views/cycle.py", 2


def db():
    return session(engine_for(settings().effective_database_url))


def certified_with_surveillance() -> tuple[int, int]:
    """The demo initial certification, certified, and a surveillance in its cycle: (company id, surveillance id)."""
    with db() as s:
        initial = s.get(Engagement, INITIAL)
        cycle = rows.cycle_of(s, initial)
        rows.certificate(s, initial, date(2026, 11, 20))
        later = create_in_cycle(s, cycle_id=cycle.id, tree=default_tree(), team=[], by=actor(),
                                data={"kind": "surveillance", "title": "第一次监督评价", "start_date": date(2027, 11, 10)})
        return initial.company_id, later.id


def charts(at) -> list[str]:
    """Each plotly chart's figure as text (its JSON with the Chinese unescaped)."""
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def test_the_page_shows_the_timeline_of_a_company_with_two_engagements(signed_in):
    company_id, later = certified_with_surveillance()
    at = go(signed_in("admin"), CYCLE)
    at.selectbox(key="cy-company").set_value(company_id).run()
    assert not at.exception, at.exception
    timeline, scores = charts(at)
    assert "认证周期时间线" in timeline and "第一次监督评价" in timeline and "监督评价窗口" in timeline
    assert "GBT27922-2026-" in timeline and "今天" in timeline
    assert "各一级指标得分率变化" in scores and "5.1" in scores
    listed = at.dataframe[0].value
    assert list(listed["项目编号"])[:2] == [INITIAL, later] and list(listed["认证周期"])[:2] == ["第 1 个周期"] * 2


def test_a_change_is_reported_by_the_client_and_answered_by_the_admin(signed_in):
    company_id, _ = certified_with_surveillance()
    at = go(signed_in("client"), CYCLE)  # the client sees its own company only, chosen already
    at.selectbox(key="chg-kind").set_value("renamed")
    at.text_input(key="chg-value").set_value("杭州新名称电器有限公司")
    at.text_area(key="chg-description").set_value("工商变更登记后更名")
    at.button(key="chg-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("已登记变更" in m.value for m in at.success)
    with db() as s:
        [change] = s.exec(select(ReportedChange)).all()
    assert f"chg-answer-submit-{change.id}" not in {b.key for b in at.button}  # the body answers, not the client
    at = AppTest.from_file(APP, default_timeout=60)  # another browser: the body's administrator
    at.run()
    at = go(sign_in(at, "admin"), CYCLE)
    at.selectbox(key="cy-company").set_value(company_id).run()
    at.radio(key=f"chg-response-{change.id}").set_value("certificate_updated")
    at.button(key=f"chg-answer-submit-{change.id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db() as s:
        assert s.get(Company, company_id).name == "杭州新名称电器有限公司"
        assert s.exec(select(Certificate.company_name)).one() == "杭州新名称电器有限公司"
        assert s.get(ReportedChange, change.id).response == "certificate_updated"


def test_the_companies_page_sends_a_certified_companys_printed_data_to_the_change_record(signed_in):
    company_id, _ = certified_with_surveillance()
    at = go(signed_in("admin"), "ui/views/companies.py")
    at.selectbox(key="cm-company").set_value(company_id).run()
    assert any("须登记为企业变更" in i.value for i in at.info)
    assert at.text_input(key=f"ce-name-{company_id}").disabled and not at.text_input(key=f"ce-contact-{company_id}").disabled
