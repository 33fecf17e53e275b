"""AppTest: 整改准备 and 客户总览 on the demo data. The consultant 陈 turns the demo pre-audit (project 1) into a plan;
the client 王经理 hands in a file; the consultant accepts it and the prediction moves; a refused plan keeps what was
typed; the portfolio shows the prediction beside the body's result once a decision exists."""
import io
from datetime import timedelta

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from accounts.models import User
from accounts.users import actor_of
from config import settings
from db import engine_for, session
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from readiness.models import PreparationTask, TaskFile
from tests.factories import default_tree
from tests.ui.conftest import APP, go, metric, sign_in
from timefmt import local_today
from web import routes

PAGE, PORTFOLIO, PRE_AUDIT = "ui/views/readiness.py", "ui/views/portfolio.py", 1
PDF = b"%PDF-1.4 manager list %%EOF"


def as_user(name: str, page: str = PAGE) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return go(sign_in(at, name), page, engagement=PRE_AUDIT)


def task_id(source: str) -> int:
    with session(engine_for(settings().effective_database_url)) as s:
        return s.exec(select(PreparationTask.id).where(PreparationTask.source == source)).one()


def planned(source: str) -> tuple[AppTest, AppTest, int]:
    """The consultant generates the plan; the client opens the task made of `source`."""
    chen = as_user("chen")
    chen.text_input(key="rd-owner-name").set_value("李主管")
    chen.button(key="rd-generate").click().run()
    client = as_user("client")
    task = task_id(source)
    client.selectbox(key="rd-task").set_value(task).run()
    return chen, client, task


def test_the_consultant_plans_the_client_hands_in_and_the_consultant_accepts(data_dir):
    chen = as_user("chen")
    assert not chen.error and metric(chen, "条款就绪率") == "41%"  # 16 of 39 clauses rated conform, no plan yet
    chen.date_input(key="rd-due").set_value(local_today() - timedelta(days=1))
    chen.text_input(key="rd-owner-name").set_value("李主管")
    chen.button(key="rd-generate").click().run()
    assert [e.value for e in chen.error] == [f"完成期限 {local_today() - timedelta(days=1)} 已经过去，请选择今天"
                                              f"（{local_today()}）或以后的日期"]
    assert chen.text_input(key="rd-owner-name").value == "李主管"  # a refused form keeps what was typed
    chen.date_input(key="rd-due").set_value(local_today() + timedelta(days=20))
    chen.button(key="rd-generate").click().run()
    assert not chen.exception and "新增" in chen.success[0].value
    before = metric(chen, "按已接受的整改预计")

    client = as_user("client")
    assert "rd-generate" not in {b.key for b in client.button}
    task = task_id("5.1.2.2")
    client.selectbox(key="rd-task").set_value(task).run()
    client.file_uploader(key=f"rd-files-{task}").set_value(("管理师名单.pdf", PDF, "application/pdf"))
    client.button(key=f"rd-handin-{task}").click().run()
    assert not client.exception and "已提交" in client.success[0].value
    assert f"rd-accept-{task}" not in {b.key for b in client.button}

    chen.run()
    chen.selectbox(key="rd-task").set_value(task).run()
    chen.button(key=f"rd-accept-{task}").click().run()
    assert not chen.exception and "已接受" in chen.success[0].value
    assert metric(chen, "按已接受的整改预计") != before


def test_returning_without_a_comment_is_refused_and_says_why(data_dir):
    chen, client, task = planned("5.1.4.1")
    client.file_uploader(key=f"rd-files-{task}").set_value(("手册.pdf", PDF + b"2", "application/pdf"))
    client.button(key=f"rd-handin-{task}").click().run()
    chen.run()
    chen.selectbox(key="rd-task").set_value(task).run()
    chen.button(key=f"rd-return-{task}").click().run()
    assert [e.value for e in chen.error] == ["退回时请写明原因或还缺什么"]
    chen.text_area(key=f"rd-comment-{task}").set_value("缺少发布页")
    chen.button(key=f"rd-return-{task}").click().run()
    assert "已退回" in chen.success[0].value


def sent_ahead(username: str, engagement: int, name: str, content: bytes, links: dict) -> int:
    """A file as the upload route stores it (the browser journeys drive the route itself)."""
    with session(engine_for(settings().effective_database_url)) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        return upload_evidence(s, LocalBlobStore(settings().evidence_folder), engagement_id=engagement, name=name,
                               stream=io.BytesIO(content), tree=default_tree(), links=links, by=actor_of(user),
                               max_bytes=1 << 20).evidence.id


def test_served_with_the_upload_route_a_hand_in_names_the_files_sent_ahead(data_dir, monkeypatch):
    """With the server's routes the files go to the upload route above the form, and the form names them; a
    hand-in naming none is refused and keeps the note."""
    monkeypatch.setattr(routes, "ACTIVE", True)
    _, client, task = planned("5.1.2.2")
    assert not client.exception and not client.get("file_uploader")
    client.text_input(key=f"rd-note-{task}").set_value("名单已更新")
    client.button(key=f"rd-handin-{task}").click().run()
    assert [e.value for e in client.error] == ["请至少上传一个文件"]
    assert client.text_input(key=f"rd-note-{task}").value == "名单已更新"
    sent = sent_ahead("client", PRE_AUDIT, "管理师名单.pdf", PDF + b"ahead", {"5.1.2.2": set()})
    client.run()
    client.multiselect(key=f"rd-chosen-{task}").set_value([sent])
    client.button(key=f"rd-handin-{task}").click().run()
    assert not client.exception and "已提交" in client.success[0].value
    with session(engine_for(settings().effective_database_url)) as s:
        assert s.exec(select(TaskFile.evidence_id).where(TaskFile.task_id == task)).all() == [sent]


def test_the_report_and_a_skeleton_are_built_for_download(data_dir):
    chen = as_user("chen")
    chen.button(key="rd-report-build").click().run()
    chen.selectbox(key="rd-skeleton").set_value("roster").run()
    chen.number_input(key="rd-staff").set_value(41).run()
    chen.button(key="rd-skeleton-build").click().run()
    assert not chen.exception
    labels = [b.label for b in chen.get("download_button")]
    assert "下载准备情况报告" in labels and "下载售后服务人员花名册及售后服务管理师配置" in labels


def test_the_portfolio_is_the_consultants_only(data_dir):
    chen = as_user("chen", PORTFOLIO)
    assert not chen.exception and not chen.error
    assert "杭州示例电器服务有限公司（演示）" in chen.dataframe[0].value["企业"].tolist()
    assert "尚未作出认证决定" in chen.info[0].value


def test_only_consultants_are_offered_the_portfolio(monkeypatch):
    from ui import navigation
    monkeypatch.setattr(navigation.st, "Page", lambda path, title, **options: title)  # the titles, no script context
    offered = {role: navigation.pages(role) for role in ("consultant", "client", "assessor", "admin")}
    assert [role for role, titles in offered.items() if "客户总览" in titles] == ["consultant"]
    assert [role for role, titles in offered.items() if "整改准备" in titles] == ["consultant", "client"]


def decide_the_demo_initial_audit() -> None:
    """The body's result on the demo's initial audit (project 2, fully rated): not recommended, refused."""
    from audits.decisions import record_decision
    from dossier.recommendation import record_recommendation
    from nonconformities.services import raise_nonconformity
    from tests.factories import actor, default_tree
    with session(engine_for(settings().effective_database_url)) as s:
        for code in ("5.1.2.1", "5.1.6.b", "5.2.4.a", "5.3.2.b"):  # every finding against the company is reported
            raise_nonconformity(s, engagement_id=2, severity="general", code=code, finding="见评分记录",
                                tree=default_tree(), by=actor("系统"))
        record_recommendation(s, engagement_id=2, kind="not_recommend", star=None, conditions="", tree=default_tree(),
                              by=actor("系统"))
        record_decision(s, engagement_id=2, outcome="refuse", star=None, decided_on=local_today(), reasons="整改未完成",
                        tree=default_tree(), by=actor("系统"))


def test_the_portfolio_shows_the_prediction_beside_the_bodys_result(data_dir):
    as_user("chen", PORTFOLIO)  # the first run writes the demo data
    decide_the_demo_initial_audit()
    chen = as_user("chen", PORTFOLIO)
    assert not chen.exception and not chen.info
    rows = chen.dataframe[1].value
    assert "5.1.2 人员配置" in rows["指标"].tolist() and len(chen.get("plotly_chart")) == 1
    staff = rows[rows["指标"] == "5.1.2 人员配置"].iloc[0]
    assert (staff["预计得分率"], staff["实际得分率"]) == ("31.82%", "96.82%")  # 5.1.2.2 nonconform in the pre-audit


def test_the_engagement_form_offers_no_consultant_for_a_certification_team(data_dir):
    admin = as_user("admin", "ui/views/engagements.py")
    for kind in ("initial", "surveillance", "recertification"):
        admin.selectbox(key="eng-kind").select(kind).run()
        offered = admin.selectbox(key="eng-lead").options + admin.multiselect(key="eng-members").options
        assert offered and not [o for o in offered if "陈咨询" in o], kind
    admin.selectbox(key="eng-kind").select("pre_audit").run()
    assert any("陈咨询" in o for o in admin.selectbox(key="eng-lead").options)
