"""Journeys across roles: a client sees only their company and is refused another's engagement."""
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in, wait_idle


def test_a_client_sees_only_their_company_and_is_refused_another_engagement(app_server, page):
    base, _ = app_server
    sign_in(page, base, "client")
    expect(page.get_by_text("杭州示例电器服务有限公司（演示）").first).to_be_visible()
    expect(page.get_by_text("宁波示例家居用品有限公司（演示）")).to_have_count(0)
    expect(page.get_by_role("button", name="评分")).to_have_count(0)
    expect(page.get_by_role("link", name="评分工作台")).to_have_count(0)
    screenshot(page, "client-engagements")
    page.goto(f"{base}/dashboard?engagement=3")
    wait_idle(page)
    expect(page.get_by_text("您没有权限查看评价项目")).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]')).to_have_count(0)
    page.goto(f"{base}/workspace?engagement=2")
    wait_idle(page)
    expect(page.get_by_text("评分工作台")).to_have_count(0)  # not a page a client has


def test_a_wrong_password_is_refused_and_logout_ends_the_session(app_server, page):
    base, _ = app_server
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    sign_in(page, base, "zhang")
    page.reload()
    wait_idle(page)
    expect(page.get_by_text("当前用户：张审查")).to_be_visible()  # the session survives a reload
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="登录")).to_be_visible()
