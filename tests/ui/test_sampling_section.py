"""AppTest: 抽样方案 on 评价准备 of the demo initial audit (3 outlets: 2 to visit, 1 drawn at random): the lead saves
a plan with a chosen outlet and its reason, a refused plan says why and saves nothing, a visit is recorded; a team
member who does not lead and the client read it and are offered nothing."""

from sqlmodel import select

from config import settings
from db import engine_for, session
from sampling.models import SamplingPlanVersion, SiteVisit
from tests.ui.test_preparation_page import INITIAL, as_user, errors, keys
from timefmt import local_today

E = INITIAL
CHOICE = f"sampling-choice-{E}"


def saved() -> list[SamplingPlanVersion]:
    with session(engine_for(settings().effective_database_url)) as s:
        return list(s.exec(select(SamplingPlanVersion).order_by(SamplingPlanVersion.version)))


def visits() -> list[SiteVisit]:
    with session(engine_for(settings().effective_database_url)) as s:
        return list(s.exec(select(SiteVisit)))


def choose_first(at, reason: str):
    at.session_state[CHOICE] = {"edited_rows": {0: {"选定": True, "选定理由": reason}}, "added_rows": [],
                                "deleted_rows": []}
    return at.run()


def test_the_lead_saves_the_plan_then_records_a_visit(data_dir):
    lead = as_user("zhang")
    assert any(h.value == "抽样方案" for h in lead.subheader)
    assert any("在用服务网点 3 个" in c.value and "抽取 2 个" in c.value for c in lead.caption)
    choose_first(lead, "")
    lead.button(key=f"sampling-save-{E}").click().run()
    assert any("须写明理由" in x for x in errors(lead)) and saved() == []
    choose_first(lead, "投诉较多")
    lead.button(key=f"sampling-save-{E}").click().run()
    assert not errors(lead), errors(lead)
    [v] = saved()
    assert [r["how"] for r in v.sites] == ["headquarters", "random", "chosen"] and v.sites[2]["reason"] == "投诉较多"
    assert any("投诉较多" in str(df.value) for df in lead.dataframe)
    lead.selectbox(key=f"visit-site-{E}").set_value(v.sites[0]["site_id"])
    lead.selectbox(key=f"visit-who-{E}").set_value("李评审")
    lead.button(key=f"visit-submit-{E}").click().run()
    assert not errors(lead), errors(lead)
    assert [(x.site_id, x.visited_by, x.visited_on) for x in visits()] == [(v.sites[0]["site_id"], "李评审", local_today())]
    assert any("李评审" in str(df.value) for df in lead.dataframe)
    lead.button(key=f"visit-withdraw-{E}").click().run()
    assert any("请选择要撤销的访问记录" in x for x in errors(lead))
    lead.selectbox(key=f"visit-withdraw-pick-{E}").set_value(visits()[0].id)
    lead.text_input(key=f"visit-withdraw-reason-{E}").set_value("记错日期")
    lead.button(key=f"visit-withdraw-{E}").click().run()
    assert not errors(lead) and visits()[0].withdrawn_reason == "记错日期"
    assert any("尚未记录场所访问" in str(c.value) for c in [*lead.caption, *lead.markdown, *lead.info])


def test_who_does_not_lead_reads_the_plan_and_is_offered_nothing(data_dir):
    for name in ("li", "client"):
        at = as_user(name)
        assert not at.exception and any(h.value == "抽样方案" for h in at.subheader)
        assert not keys(at) & {f"sampling-save-{E}", f"visit-submit-{E}"}
