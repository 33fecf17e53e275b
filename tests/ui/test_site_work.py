"""AppTest: per-site work in the demo initial audit: the clause editor's 分场所记录 adds a finding at an outlet, the
nonconformity form names the outlet, the workspace filtered by that outlet lists only the clauses with something
there and says what, and the dashboard's 分场所汇总 counts it."""
from sqlmodel import select

from nonconformities.models import Nonconformity
from records.models import Site
from sampling.models import SiteFinding
from tests.ui.conftest import go
from tests.ui.test_audit_pages import DASHBOARD, INITIAL, WORKSPACE, db

OUTLET = "城西服务网点"


def outlet_id() -> int:
    with db() as s:
        return s.exec(select(Site).where(Site.name == OUTLET)).one().id


def test_a_finding_at_an_outlet_shows_in_the_filter_and_the_summary(signed_in):
    at = go(signed_in("zhang"), WORKSPACE, engagement=INITIAL)
    site = outlet_id()
    at.button(key="goto-5.1.2.1").click().run()
    at.session_state[f"site-findings-{INITIAL}-5.1.2.1"] = True
    at.run()
    at.button(key="site-finding-submit-5.1.2.1").click().run()
    assert any("请选择场所" in e.value for e in at.error)
    assert at.text_area(key="site-finding-text-5.1.2.1").value == ""
    at.selectbox(key="site-finding-site-5.1.2.1").set_value(site)
    at.text_area(key="site-finding-text-5.1.2.1").set_value("两名维修人员无电工证")
    at.checkbox(key="site-finding-against-5.1.2.1").check()
    at.button(key="site-finding-submit-5.1.2.1").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db() as s:
        [f] = s.exec(select(SiteFinding)).all()
    assert (f.code, f.site_id, f.against, f.recorded_by) == ("5.1.2.1", site, True, "张审查")

    at.session_state[f"ncs-{INITIAL}-5.1.2.1"] = True   # raise a nonconformity from the same outlet
    at.run()
    at.selectbox(key="raise-site-5.1.2.1").set_value(site)
    at.button(key="raise-submit-5.1.2.1").click().run()
    assert not at.error, [e.value for e in at.error]
    with db() as s:
        assert s.exec(select(Nonconformity.site_id).where(Nonconformity.code == "5.1.2.1")).all() == [site]

    at.selectbox(key=f"clause-{INITIAL}-site").set_value(site).run()
    listed = [b.label for b in at.button if (b.key or "").startswith("goto-")]
    assert listed and all("5.1.2.1" in label for label in listed), listed
    assert "发现" in listed[0] and "不符合项" in listed[0]

    dash = go(at, DASHBOARD, engagement=INITIAL)
    assert any(h.value == "分场所汇总" for h in dash.subheader)
    assert any(OUTLET in str(df.value) for df in dash.dataframe)
