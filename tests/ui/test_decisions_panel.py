"""AppTest: the dashboard's 推荐意见与认证决定 on the demo initial audit (lead 张, team member 李)."""

from accounts.users import create_user
from audits.decisions import result_record
from config import settings
from db import engine_for, session
from records.models import Engagement
from tests.factories import actor
from tests.ui.conftest import go, sign_in
from timefmt import local_today

DASHBOARD, PRE_AUDIT, INITIAL = "ui/views/dashboard.py", 1, 2


def db():
    return session(engine_for(settings().effective_database_url))


def status():
    with db() as s:
        return s.get(Engagement, INITIAL).status


def keys(at) -> set[str]:
    return {w.key for w in [*at.button, *at.text_area] if w.key}


def decision_maker(username="zhao"):
    with db() as s:
        create_user(s, username=username, display_name="赵决定", role="decision_maker", password="a-long-password-1",
                    by=actor())


def write_missing_reports():
    """The demo audit has clauses rated nonconform without a written report yet: raise one for each."""
    from dossier.recommendation import missing_reports
    from nonconformities.services import raise_nonconformity
    from tests.factories import default_tree
    with db() as s:
        for what in missing_reports(s, INITIAL):
            raise_nonconformity(s, engagement_id=INITIAL, severity="general", code=what.removeprefix("条款 "),
                                finding="现场发现不符合", tree=default_tree(), by=actor())


def test_the_lead_records_the_recommendation_and_the_result_is_issued(signed_in):
    at = go(signed_in("zhang"), DASHBOARD, engagement=INITIAL)
    assert "rec-submit" in keys(at) and any("推荐意见与认证决定" in h.value for h in at.subheader)
    at.radio(key="rec-kind").set_value("after_verification")
    at.selectbox(key="rec-star").set_value("four_star")
    at.text_area(key="rec-conditions").set_value("两项一般不符合整改验证有效后推荐")
    at.button(key="rec-submit").click().run()
    assert any("尚无书面不符合报告：条款 5.1.2.1" in e.value for e in at.error) and status() == "in_progress"
    write_missing_reports()
    at.button(key="rec-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert status() == "reported"
    assert any("整改验证后推荐（四星级）" in m.value for m in at.markdown)
    assert "reopen-submit" in keys(at) and "rec-submit" not in keys(at) and "dec-submit" not in keys(at)


def test_a_recommendation_above_the_rules_is_refused_and_changes_nothing(signed_in):
    write_missing_reports()
    at = go(signed_in("zhang"), DASHBOARD, engagement=INITIAL)
    at.radio(key="rec-kind").set_value("after_verification")
    at.selectbox(key="rec-star").set_value("five_star")
    at.text_area(key="rec-conditions").set_value("整改后")
    at.button(key="rec-submit").click().run()
    assert any("高于评价规则允许的 四星级" in e.value for e in at.error)
    assert status() == "in_progress"


def test_a_team_member_is_offered_no_form_and_a_decision_maker_only_the_decision(signed_in):
    at = go(signed_in("li"), DASHBOARD, engagement=INITIAL)
    assert not {"rec-submit", "reopen-submit", "dec-submit"} & keys(at)
    write_missing_reports()
    with db() as s:
        from dossier.recommendation import record_recommendation
        from tests.factories import default_tree
        record_recommendation(s, engagement_id=INITIAL, kind="not_recommend", star=None, conditions="",
                              tree=default_tree(), by=actor())
    decision_maker()
    at.button(key="logout").click().run()
    go(sign_in(at, "zhao", "a-long-password-1"), "ui/views/engagements.py")
    listed = {b.key for b in at.button if b.key and b.key.startswith(("open-", "dash-"))}
    assert "dash-2" in listed and "dash-1" not in listed and "open-2" not in listed  # no pre-audit, no workspace
    go(at, "ui/views/nonconformities.py", engagement=INITIAL)  # reads the findings the decision rests on
    at = go(at, DASHBOARD, engagement=INITIAL)
    assert "dec-submit" in keys(at) and "reopen-submit" not in keys(at)
    at.radio(key="dec-outcome").set_value("refuse")
    at.text_area(key="dec-reasons").set_value("评价组不推荐")
    at.button(key="dec-submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert status() == "decided"
    with db() as s:
        assert result_record(s, INITIAL, by=actor()).decision.decided_on == local_today()
    assert any("认证决定：**不批准**" in m.value for m in at.markdown)


def test_a_pre_audit_dashboard_shows_no_recommendation_or_decision(at):
    at = go(at, DASHBOARD, engagement=PRE_AUDIT)
    assert not any("推荐意见与认证决定" in h.value for h in at.subheader)
    assert not {"rec-submit", "dec-submit"} & keys(at)
