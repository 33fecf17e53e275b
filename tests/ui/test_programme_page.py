"""AppTest: 到期事项 shows an administrator what is due across companies, filters it and offers the Excel file and
the regulator's sheets; each user's 我的待办 on the engagement list; a client gets no programme page."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from accounts.models import User
from accounts.users import actor_of
from config import settings
from cycle.due import filtered, programme_items
from db import engine_for, session
from records.models import Engagement
from tests import cycle_rows as rows
from tests.ui.conftest import go, kept, sign_in
from timefmt import local_today
from ui.due_parts import workbook
from vocabulary import DueKind

PROGRAMME = "ui/views/programme.py"
INITIAL = 2


def db():
    return session(engine_for(settings().effective_database_url))


def certify_the_demo_initial_audit() -> str:
    """A certificate on the demo initial audit decided 330 days ago: its first surveillance window is open."""
    with db() as s:
        engagement = s.get(Engagement, INITIAL)
        return rows.certificate(s, engagement, local_today() - timedelta(days=330), number="GBT27922-2026-0042").number


def table(at):
    return at.dataframe[0].value


def test_an_administrator_sees_what_is_due_filters_it_and_downloads_it(signed_in):
    at = signed_in("admin")
    number = certify_the_demo_initial_audit()
    go(at, PROGRAMME)
    assert at.title[0].value == "到期事项"
    shown = table(at)
    surveillance = shown[shown["类型"] == "监督评价"]
    assert list(surveillance["证书编号"]) == [number] and list(surveillance["状态"]) == ["应办理"]
    assert at.get("plotly_chart")
    at.multiselect(key="due-kinds").set_value([DueKind.SURVEILLANCE]).run()
    assert set(table(at)["类型"]) == {"监督评价"}
    assert at.download_button(key="due-download").label == "下载 Excel（当前筛选结果）"
    sheet = load_workbook(io.BytesIO(filtered_workbook([DueKind.SURVEILLANCE]))).active  # what the button holds
    assert [c.value for c in sheet[1]] == ["到期日", "状态", "类型", "企业", "评价项目", "证书编号", "事项"]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "YYYY-MM-DD" and sheet["F2"].value == number
    assert sheet.max_row == 2


def filtered_workbook(kinds) -> bytes:
    with db() as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        return workbook(filtered(programme_items(s, by=actor_of(admin), today=local_today()), kinds=kinds))


def test_a_filter_that_matches_nothing_says_so(signed_in):
    at = go(signed_in("admin"), PROGRAMME)
    at.multiselect(key="due-kinds").set_value([DueKind.SUSPENSION_ENDING]).run()
    assert any("没有符合条件的到期事项" in c.value for c in at.caption)
    assert not at.get("download_button")


def test_the_regulator_sheets_are_built_for_the_chosen_month(signed_in):
    at = go(signed_in("admin"), PROGRAMME)
    at.selectbox(key="reg-month").select_index(0)
    at.button(key="reg-build").click().run()
    assert not at.exception
    labels = [at.download_button(key=f"reg-download-{n}").label for n in range(3)]
    assert [label.split("-")[0] for label in labels] == ["下载 审核计划信息表", "下载 证书信息表", "下载 审核结果信息表"]
    files = kept(at, "programme", "regulator")[1]
    assert len(files) == 3


def test_the_lead_sees_their_unsent_plan_in_my_due_items(signed_in):
    with_lead = signed_in("zhang")
    with db() as s:
        engagement = s.get(Engagement, INITIAL)
        zhang = s.exec(select(User).where(User.username == "zhang")).one()
        planned = rows.engagement(s, rows.engagement_company(s, engagement), lead=zhang,
                                  start_date=local_today() + timedelta(days=2), title="监督评价现场")
        rows.plan(s, planned, visit_start=local_today() + timedelta(days=2))
    with_lead.run()
    due = " ".join(m.value for m in with_lead.markdown)
    assert "我的待办" in due and "《监督评价现场》" in due


def test_a_client_has_no_programme_page(signed_in):
    at = signed_in("client")
    with pytest.raises(ValueError, match="programme.py"):
        at.switch_page(PROGRAMME)


def test_an_administrator_gives_a_user_an_address_and_a_wrong_one_is_refused_as_typed(signed_in):
    at = go(signed_in("admin"), "ui/views/users.py")
    at.text_input(key="nu-username").set_value("zhou")
    at.text_input(key="nu-name").set_value("周审查")
    at.selectbox(key="nu-role").set_value("assessor")
    at.text_input(key="nu-email").set_value("zhou@")
    at.text_input(key="nu-password").set_value("zhou-initial-pass")
    at.button(key="nu-submit").click().run()
    assert any("邮箱地址“zhou@”格式不正确" in e.value for e in at.error)
    assert at.text_input(key="nu-email").value == "zhou@"
    at.text_input(key="nu-email").set_value("zhou@body.example.cn")
    at.button(key="nu-submit").click().run()
    assert any("已创建用户 zhou" in s.value for s in at.success)
    with db() as s:
        zhou = s.exec(select(User).where(User.username == "zhou")).one()
    assert zhou.email == "zhou@body.example.cn"
    at.selectbox(key="eu-user").set_value(zhou.id).run()
    at.text_input(key=f"eu-email-{zhou.id}").set_value("")
    at.button(key=f"eu-email-submit-{zhou.id}").click().run()
    with db() as s:
        assert s.get(User, zhou.id).email == ""


def test_a_decision_maker_has_the_programme_page(app):
    with db() as s:
        rows.user(s, "zhao", "decision_maker")
    at = go(sign_in(app, "zhao", rows.PASSWORD), PROGRAMME)
    assert at.title[0].value == "到期事项" and at.multiselect(key="due-kinds")
