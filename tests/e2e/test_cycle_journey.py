"""Journey (issue 16, acceptance): a company from its document review through the plan (sent, objected to,
revised), the visit, the recommendation, the decision and the certificate; then a surveillance carrying over an
open nonconformity; then a suspension and a restoration. The public verification page, opened without signing
in, shows each state of the certificate."""
from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from accounts.users import create_user
from audits.companies import add_site
from audits.ratings import rate_clause
from cycle.models import Certificate
from db import make_engine, session
from nonconformities.services import raise_nonconformity
from records.models import Engagement
from scoring.assessment import RatingEntry
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, sign_in, wait_idle
from tests.factories import actor, default_tree
from timefmt import local_today

ENGAGEMENT = 3  # the demo's planned initial certification of the second company, led by 李评审
PASSWORDS = {"ningbo": "client-ningbo-2026", "zhao": "decision-maker-2026"}
OPEN_FINDING = "宁波门店未公示维修收费标准。"


def database(data):
    return make_engine(f"sqlite:///{data / 'audit.db'}")


def prepare(data) -> None:
    """The second company gets its headquarters and a client account; 赵 is a decision maker off the team."""
    engine = database(data)
    with session(engine) as s:
        add_site(s, company_id=2, data={"name": "宁波总部", "kind": "headquarters"}, by=actor())
        create_user(s, username="ningbo", display_name="宁波联系人", role="client", company_id=2,
                    password=PASSWORDS["ningbo"], by=actor())
        create_user(s, username="zhao", display_name="赵决定", role="decision_maker", password=PASSWORDS["zhao"],
                    by=actor())
    engine.dispose()


def score_the_visit(data) -> None:
    """What the team rates on site (the workspace has its own journeys): every clause conform, one general
    nonconformity left open for the surveillance to verify."""
    engine, tree = database(data), default_tree()
    with session(engine) as s:
        for leaf in tree.leaves():
            entry = RatingEntry("nonconform", finding=OPEN_FINDING) if leaf.code == "5.2.1.b" else RatingEntry("conform")
            rate_clause(s, engagement_id=ENGAGEMENT, code=leaf.code, entry=entry, expected_version=0, tree=tree,
                        by=actor())
        raise_nonconformity(s, engagement_id=ENGAGEMENT, severity="general", code="5.2.1.b", finding=OPEN_FINDING,
                            tree=default_tree(), by=actor())
    engine.dispose()


def certificate(data) -> Certificate:
    engine = database(data)
    with session(engine) as s:
        cert = s.exec(select(Certificate)).one()
    engine.dispose()
    return cert


def surveillance_id(data) -> int:
    engine = database(data)
    with session(engine) as s:
        found = s.exec(select(Engagement.id).where(Engagement.kind == "surveillance")).one()
    engine.dispose()
    return found


def keyed(page: Page, key: str):
    """The element Streamlit drew for the widget with this key."""
    return page.locator(f".st-key-{key}")


def click(page: Page, key: str) -> None:
    keyed(page, key).get_by_role("button").click()
    wait_idle(page)


def sign_in_as(page: Page, base: str, username: str, path: str) -> None:
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("当前用户：")).to_be_visible()
    page.goto(f"{base}/{path}")
    wait_idle(page)


def fill_date(page: Page, key: str, day: date) -> None:
    box = keyed(page, key).locator("input")
    box.fill(day.isoformat())
    box.press("Enter")


def verified_state(public: Page, base: str, cert: Certificate) -> str:
    public.goto(f"{base}/verify?no={cert.number}&code={cert.check_code}")
    return public.locator("td#state").inner_text()


def test_a_company_through_its_certification_cycle(app_server, new_page, tmp_path):
    base, data = app_server
    lead, client, maker, admin, public = new_page(), new_page(), new_page(), new_page(), new_page()
    sign_in(lead, base, "li", f"preparation?engagement={ENGAGEMENT}")  # the first visit writes the demo data
    prepare(data)

    # document review, then the plan: saved, sent, objected to, revised and sent again
    lead.reload()
    wait_idle(lead)
    keyed(lead, f"review-findings-{ENGAGEMENT}").locator("textarea").fill("服务手册、投诉处理制度齐全")
    click(lead, f"review-submit-{ENGAGEMENT}")
    expect(lead.get_by_text("文件审查已记录")).to_be_visible()
    keyed(lead, f"plan-objectives-{ENGAGEMENT}").locator("textarea").fill("评价售后服务体系是否符合 GB/T 27922")
    keyed(lead, f"plan-scope-{ENGAGEMENT}").locator("textarea").fill("家具的销售、配送及安装服务")
    visit = local_today() + timedelta(days=10)
    fill_date(lead, f"plan-start-{ENGAGEMENT}", visit)
    fill_date(lead, f"plan-end-{ENGAGEMENT}", visit + timedelta(days=1))
    click(lead, f"plan-save-{ENGAGEMENT}")
    expect(lead.get_by_text("评价计划草稿已保存")).to_be_visible()
    click(lead, f"plan-send-{ENGAGEMENT}")
    expect(lead.get_by_text("评价计划第 1 版已发送")).to_be_visible()

    sign_in_as(client, base, "ningbo", f"preparation?engagement={ENGAGEMENT}")
    keyed(client, f"plan-answer-{ENGAGEMENT}").get_by_text("提出异议").click()
    keyed(client, f"plan-answer-reason-{ENGAGEMENT}").locator("textarea").fill("12 月上旬为年度盘点，请改期")
    click(client, f"plan-answer-submit-{ENGAGEMENT}")
    expect(client.get_by_text("已答复评价计划")).to_be_visible()

    lead.reload()
    wait_idle(lead)
    expect(lead.get_by_text("12 月上旬为年度盘点，请改期").first).to_be_attached()  # in the versions table
    keyed(lead, f"plan-revise-reason-{ENGAGEMENT}").locator("textarea").fill("按企业异议改期")
    click(lead, f"plan-revise-{ENGAGEMENT}")
    expect(lead.get_by_text("已生成第 2 版草稿")).to_be_visible()
    fill_date(lead, f"plan-start-{ENGAGEMENT}", visit + timedelta(days=7))
    fill_date(lead, f"plan-end-{ENGAGEMENT}", visit + timedelta(days=8))
    click(lead, f"plan-save-{ENGAGEMENT}")
    expect(lead.get_by_text("评价计划草稿已保存")).to_be_visible()
    click(lead, f"plan-send-{ENGAGEMENT}")
    expect(lead.get_by_text("评价计划第 2 版已发送")).to_be_visible()
    screenshot(lead, "cycle-plan-revised")

    # the visit: started, opening meeting, rated, closing meeting
    lead.goto(f"{base}/dashboard?engagement={ENGAGEMENT}")
    wait_idle(lead)
    lead.get_by_role("button", name="开始评价").click()
    expect(lead.get_by_text("项目状态已变为“进行中”")).to_be_visible()
    lead.goto(f"{base}/preparation?engagement={ENGAGEMENT}")
    wait_idle(lead)
    photo = tmp_path / "首次会议.png"  # through the upload route, kept at once and chosen among the photos
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    upload = keyed(lead, f"meeting-upload-opening-{ENGAGEMENT}")
    upload.locator('input[type="file"]').set_input_files(str(photo))
    upload.get_by_role("button", name="上传").click()
    expect(lead.get_by_text("首次会议.png：已上传")).to_be_visible()
    expect(keyed(lead, f"meeting-photo-ids-opening-{ENGAGEMENT}").get_by_text("首次会议.png")).to_be_visible()
    keyed(lead, f"meeting-company-opening-{ENGAGEMENT}").locator("textarea").fill("王总\n刘主管")
    click(lead, f"meeting-submit-opening-{ENGAGEMENT}")
    expect(lead.get_by_text("首次会议已记录").first).to_be_visible()
    expect(lead.get_by_text("照片 1 张").first).to_be_visible()
    score_the_visit(data)
    lead.get_by_role("tab", name="末次会议").click()
    keyed(lead, f"meeting-company-closing-{ENGAGEMENT}").locator("textarea").fill("王总")
    keyed(lead, f"meeting-presented-closing-{ENGAGEMENT}").get_by_role("checkbox").check(force=True)
    keyed(lead, f"meeting-ack-closing-{ENGAGEMENT}").get_by_role("checkbox").check(force=True)
    keyed(lead, f"meeting-ack-by-closing-{ENGAGEMENT}").locator("input").fill("王总")
    click(lead, f"meeting-submit-closing-{ENGAGEMENT}")
    expect(lead.get_by_text("末次会议已记录").first).to_be_visible()

    # the team's recommendation, the independent decision and the certificate
    lead.goto(f"{base}/dashboard?engagement={ENGAGEMENT}")
    wait_idle(lead)
    form = lead.locator('[data-testid="stForm"]').filter(has_text="记录评价组推荐意见")
    form.get_by_text("整改验证后推荐", exact=True).click()
    choose(lead, "推荐星级", "达标级", within=form)
    form.get_by_label("推荐条件", exact=True).fill("一般不符合整改经文件验证有效")
    form.get_by_role("button", name="记录推荐意见").click()
    wait_idle(lead)
    expect(lead.get_by_text("推荐意见已记录，评价结果已出具")).to_be_visible()

    sign_in_as(maker, base, "zhao", f"dashboard?engagement={ENGAGEMENT}")
    form = maker.locator('[data-testid="stForm"]').filter(has_text="记录认证决定")
    form.get_by_text("批准", exact=True).click()
    choose(maker, "批准星级", "达标级", within=form)
    form.get_by_label("决定理由 *").fill("同意评价组推荐")
    form.get_by_role("button", name="记录认证决定").click()
    wait_idle(maker)
    expect(maker.get_by_text("认证决定已记录")).to_be_visible()
    keyed(maker, "cert-products").locator("input").fill("家具")
    click(maker, "cert-issue")
    expect(maker.get_by_text("已颁发证书").first).to_be_visible()
    cert = certificate(data)
    screenshot(maker, "cycle-certificate-issued")
    assert verified_state(public, base, cert) == "有效"
    expect(public.get_by_text("宁波示例家居用品有限公司（演示）")).to_be_visible()
    screenshot(public, "cycle-verify-valid")

    # a surveillance in the cycle: the open nonconformity is carried over for verification
    sign_in(admin, base, "admin")  # the engagements page is the default one
    expect(admin.get_by_role("tab", name="新建评价项目")).to_have_attribute("aria-selected", "true")  # the first tab
    choose(admin, "评价类型 *", "监督评价")
    choose(admin, "审查组长 *", "李评审")
    admin.get_by_role("button", name="创建").click()
    admin.wait_for_url("**/dashboard**")  # a new engagement opens on its dashboard (the admin rates nothing)
    wait_idle(admin)
    surveillance = surveillance_id(data)
    lead.goto(f"{base}/ncs?engagement={surveillance}")
    wait_idle(lead)
    expect(lead.get_by_text("上次评价遗留的不符合项（需验证）")).to_be_visible()
    expect(lead.get_by_text(OPEN_FINDING).first).to_be_visible()
    screenshot(lead, "cycle-surveillance-carried")

    # suspended, then restored: the public page follows
    maker.goto(f"{base}/certificates?certificate={cert.id}")
    wait_idle(maker)
    keyed(maker, f"cert-suspend-reason-{cert.id}").locator("textarea").fill("监督评价发现严重不符合未整改")
    click(maker, f"cert-suspend-{cert.id}")
    expect(maker.get_by_text("证书已暂停")).to_be_visible()
    assert verified_state(public, base, cert).startswith("暂停")
    screenshot(public, "cycle-verify-suspended")
    keyed(maker, f"cert-restore-reason-{cert.id}").locator("textarea").fill("整改经现场验证有效")
    click(maker, f"cert-restore-{cert.id}")
    expect(maker.get_by_text("证书已恢复")).to_be_visible()
    assert verified_state(public, base, cert) == "有效"

    # the programme manager's pages: what is due, the company's cycle, the certificate's history
    admin.goto(f"{base}/programme")
    wait_idle(admin)
    expect(admin.locator('[data-testid="stDataFrame"]')).to_be_visible()
    expect(admin.locator('[data-testid="stPlotlyChart"]')).to_be_visible()
    screenshot(admin, "cycle-programme")
    admin.goto(f"{base}/cycle")
    wait_idle(admin)
    choose(admin, "企业", "宁波示例家居用品有限公司（演示）")
    expect(admin.locator(".st-key-cycle-timeline")).to_be_visible()
    screenshot(admin, "cycle-company-timeline")
    admin.goto(f"{base}/certificates?certificate={cert.id}")
    wait_idle(admin)
    expect(admin.get_by_text(cert.number).first).to_be_attached()  # in the certificates table
    screenshot(admin, "cycle-certificate-history")
