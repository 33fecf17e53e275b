"""AppTest: the 企业与场所 page (issue 14 item 18): sites added once, edits with their history, deactivation."""
from audits.companies import list_companies, list_sites, update_company
from config import settings
from db import engine_for, session
from tests.factories import actor
from tests.ui.conftest import go

PAGE, DEMO = "ui/views/companies.py", "杭州示例电器服务有限公司（演示）"


def db():
    return session(engine_for(settings().effective_database_url))


def demo_company():
    with db() as s:
        return next(c for c in list_companies(s, by=actor()) if c.name == DEMO)


def open_company(signed_in):
    at = go(signed_in("admin"), PAGE)
    company = demo_company()
    at.selectbox(key="cm-company").set_value(company.id).run()
    assert not at.exception, at.exception
    return at, company


def site_names(company_id, **options):
    with db() as s:
        return [x.name for x in list_sites(s, company_id, by=actor(), **options)]


def test_an_added_site_clears_the_form_so_a_second_click_adds_nothing(signed_in):
    at, company = open_company(signed_in)
    before = site_names(company.id)
    at.text_input(key="site-name").set_value("城北网点")
    at.text_input(key="site-address").set_value("杭州市拱墅区")
    at.button(key="site-submit").click().run()
    assert any("添加场所：城北网点" in m.value for m in at.success)
    assert (at.text_input(key="site-name").value, at.text_input(key="site-address").value) == ("", "")
    at.button(key="site-submit").click().run()  # the second click
    assert any("请填写名称" in e.value for e in at.error)
    assert len(site_names(company.id)) == len(before) + 1


def test_a_duplicate_site_name_is_refused_and_what_was_typed_stays(signed_in):
    at, company = open_company(signed_in)
    existing = site_names(company.id)[0]
    at.text_input(key="site-name").set_value(existing)
    at.text_input(key="site-address").set_value("另一个地址")
    at.button(key="site-submit").click().run()
    assert any(f"已有名为“{existing}”的场所" in e.value for e in at.error)
    assert (at.text_input(key="site-name").value, at.text_input(key="site-address").value) == (existing, "另一个地址")
    assert site_names(company.id).count(existing) == 1


def test_an_edit_is_saved_and_shown_in_the_history_with_who_and_before_and_after(signed_in):
    at, company = open_company(signed_in)
    at.text_input(key=f"ce-contact-{company.id}").set_value("周经理")
    at.button(key=f"ce-submit-{company.id}").click().run()
    assert any("已保存修改" in m.value for m in at.success)
    history = at.dataframe[-1].value
    assert list(history.columns) == ["时间", "修改人", "对象", "修改内容"]
    assert (history.iloc[0]["修改人"], history.iloc[0]["对象"]) == ("系统管理员", "企业")
    assert history.iloc[0]["修改内容"].startswith("联系人：") and history.iloc[0]["修改内容"].endswith("→ 周经理")
    assert demo_company().contact == "周经理"


def test_an_edit_over_someone_elses_newer_one_is_refused_and_the_newer_one_is_shown(signed_in):
    at, company = open_company(signed_in)
    with db() as s:
        update_company(s, company_id=company.id, data={"industry": "家用电器维修"}, expected_version=company.version,
                       by=actor("李管理"))
    at.text_input(key=f"ce-industry-{company.id}").set_value("五金")
    at.button(key=f"ce-submit-{company.id}").click().run()
    assert any("李管理 在您打开之后修改了该企业的信息" in e.value for e in at.error)
    assert at.text_input(key=f"ce-industry-{company.id}").value == "家用电器维修"
    at.text_input(key=f"ce-industry-{company.id}").set_value("五金")  # now over the version it shows
    at.button(key=f"ce-submit-{company.id}").click().run()
    assert demo_company().industry == "五金"


def test_a_deactivated_site_is_not_offered_for_new_evidence(signed_in):
    at, company = open_company(signed_in)
    with db() as s:
        site = list_sites(s, company.id, by=actor())[0]
    at.selectbox(key=f"cm-site-{company.id}").set_value(site.id).run()
    at.button(key=f"site-active-{site.id}").click().run()
    assert any(f"已停用场所：{site.name}" in m.value for m in at.success)
    assert site.name not in site_names(company.id, active_only=True) and site.name in site_names(company.id)
    at.button(key="logout").click().run()
    from tests.ui.conftest import sign_in
    at = go(sign_in(at, "zhang"), "ui/views/evidence.py", engagement=2)
    offered = at.selectbox(key="upload-site").options
    assert site.name not in offered and any(n in offered for n in site_names(company.id, active_only=True))


def test_a_deactivated_company_is_not_offered_for_a_new_engagement(signed_in):
    at, company = open_company(signed_in)
    at.button(key=f"company-active-{company.id}").click().run()
    assert any("已停用企业" in m.value for m in at.success)
    at = go(at, "ui/views/engagements.py")
    at.selectbox(key="eng-kind").set_value("initial").run()
    assert DEMO not in at.selectbox(key="eng-company").options
    assert f"{DEMO}（已停用）" in at.selectbox(key="filter-company").options
