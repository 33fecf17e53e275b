"""Journey (issue 15, acceptance): the lead records the recommendation, a rating change is then refused, the lead
reopens with a reason and records it again; a decision maker who was on the team is offered no decision, one who
was not records it."""
from playwright.sync_api import Page, expect
from sqlmodel import select

from accounts.users import create_user, set_role
from db import make_engine, session
from dossier.recommendation import missing_reports
from nonconformities.services import raise_nonconformity
from records.models import TeamMember
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, open_clause, sign_in, wait_idle, write_finding
from tests.factories import actor, default_tree

DM_PASSWORD = "decision-maker-2026"


def prepare(data) -> None:
    """Write the reports the demo audit still lacks; 李 (on its team) becomes a decision maker; 赵 is a new one."""
    engine = make_engine(f"sqlite:///{data / 'audit.db'}")
    with session(engine) as s:
        for what in missing_reports(s, 2):
            raise_nonconformity(s, engagement_id=2, severity="general", code=what.removeprefix("条款 "),
                                finding="现场发现不符合", tree=default_tree(), by=actor())
        li = s.exec(select(TeamMember.user_id).where(TeamMember.engagement_id == 2, TeamMember.name == "李评审")).one()
        set_role(s, user_id=li, role="decision_maker", by=actor())
        create_user(s, username="zhao", display_name="赵决定", role="decision_maker", password=DM_PASSWORD, by=actor())
    engine.dispose()


def form(page: Page, heading: str):
    return page.locator('[data-testid="stForm"]').filter(has_text=heading)


def recommend(page: Page, base: str) -> None:
    page.goto(f"{base}/dashboard?engagement=2")
    wait_idle(page)
    f = form(page, "记录评价组推荐意见")
    f.get_by_text("整改验证后推荐", exact=True).click()
    choose(page, "推荐星级", "四星级", within=f)
    f.get_by_label("推荐条件", exact=True).fill("一般不符合整改经文件验证有效后推荐")
    f.get_by_role("button", name="记录推荐意见").click()
    wait_idle(page)
    expect(page.get_by_text("推荐意见已记录，评价结果已出具")).to_be_visible()


def sign_in_as_decision_maker(page: Page, base: str) -> None:
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill("zhao")
    page.get_by_label("密码").fill(DM_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("当前用户：")).to_be_visible()
    wait_idle(page)


def test_recommendation_freeze_reopen_and_decision(app_server, new_page):
    base, data = app_server
    lead, member, maker = new_page(), new_page(), new_page()
    sign_in(lead, base, "zhang", "dashboard?engagement=2")  # the first visit writes the demo data
    prepare(data)

    recommend(lead, base)
    expect(lead.get_by_text("整改验证后推荐（四星级）")).to_be_visible()
    screenshot(lead, "decision-recommended")

    lead.goto(f"{base}/workspace?engagement=2")
    wait_idle(lead)
    open_clause(lead, "5.3.1.b")
    write_finding(lead, "5.3.1.b", "顾客信息无访问权限控制。")
    lead.locator('[data-testid="stForm"]').filter(has_text="5.3.1.b").first.get_by_text("不符合", exact=True).click()
    lead.get_by_role("button", name="保存").first.click()
    wait_idle(lead)
    expect(lead.get_by_text("不能修改条款 5.3.1.b").first).to_be_visible()

    lead.goto(f"{base}/dashboard?engagement=2")
    wait_idle(lead)
    f = form(lead, "撤回推荐意见、重新开放评价")
    f.get_by_label("理由 *").fill("企业补充提交了 5.3.1.b 的权限控制记录，需复核")
    f.get_by_role("button", name="重新开放").click()
    wait_idle(lead)
    expect(lead.get_by_text("已撤回推荐意见并重新开放")).to_be_visible()
    recommend(lead, base)

    sign_in(member, base, "li", "dashboard?engagement=2")  # a decision maker now, but on this team
    expect(member.get_by_text("推荐意见与认证决定")).to_be_visible()
    expect(member.get_by_role("button", name="记录认证决定")).to_have_count(0)

    sign_in_as_decision_maker(maker, base)
    maker.goto(f"{base}/dashboard?engagement=2")
    wait_idle(maker)
    f = form(maker, "记录认证决定")
    f.get_by_text("批准", exact=True).click()
    choose(maker, "批准星级", "四星级", within=f)
    f.get_by_label("决定理由 *").fill("整改经验证有效，同意评价组推荐")
    f.get_by_role("button", name="记录认证决定").click()
    wait_idle(maker)
    expect(maker.get_by_text("认证决定已记录")).to_be_visible()
    expect(maker.get_by_text("批准（四星级）")).to_be_visible()
    screenshot(maker, "decision-recorded")
