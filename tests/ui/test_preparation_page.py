"""AppTest: 评价准备 on the demo initial audit (lead 张, team member 李, client 王经理 of its company): the lead
writes and sends the plan, the client objects, the lead revises; refused forms keep what was typed; the client
sees the plan only."""
import io
from datetime import timedelta

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from accounts.models import User
from accounts.users import actor_of
from config import settings
from cycle.meetings import meetings
from cycle.models import PlanVersion
from db import engine_for, session
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from tests.factories import default_tree
from tests.ui.conftest import APP, go, sign_in
from timefmt import local_today
from vocabulary import MeetingKind
from web import routes

PAGE, INITIAL, OTHER_COMPANY = "ui/views/preparation.py", 2, 3
VISIT = local_today() + timedelta(days=10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def versions() -> list[PlanVersion]:
    with session(engine_for(settings().effective_database_url)) as s:
        return list(s.exec(select(PlanVersion).order_by(PlanVersion.version)))


def as_user(name: str, engagement: int = INITIAL) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return go(sign_in(at, name), PAGE, engagement=engagement)


def keys(at) -> set[str]:
    return {w.key for w in [*at.button, *at.text_area, *at.text_input, *at.radio] if w.key}


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def write_plan(at, objectives="评价售后服务体系的符合性", agenda="09:00 | 首次会议 | 张审查\n10:00 | 文件审查 | 李评审"):
    e = INITIAL
    at.text_area(key=f"plan-objectives-{e}").set_value(objectives)
    at.text_area(key=f"plan-scope-{e}").set_value("空调、冰箱、洗衣机的配送、安装及维修服务")
    at.date_input(key=f"plan-start-{e}").set_value(VISIT)
    at.date_input(key=f"plan-end-{e}").set_value(VISIT + timedelta(days=1))
    at.text_area(key=f"plan-agenda-{e}").set_value(agenda)
    at.button(key=f"plan-save-{e}").click().run()
    assert not at.exception, at.exception
    return at


def test_the_lead_sends_the_client_objects_and_the_lead_revises(data_dir):
    lead = as_user("zhang")
    assert any("评价准备" in t.value for t in lead.title)
    assert {f"review-submit-{INITIAL}", f"plan-save-{INITIAL}", f"edit-submit-{INITIAL}",
            f"meeting-submit-opening-{INITIAL}"} <= keys(lead)
    write_plan(lead)
    assert not errors(lead) and versions()[0].agenda[1] == {"time": "10:00", "item": "文件审查", "who": "李评审"}
    lead.button(key=f"plan-send-{INITIAL}").click().run()
    assert not errors(lead) and any("已发送" in s.value for s in lead.success)
    assert not any("逾期" in w.value for w in lead.warning), [w.value for w in lead.warning]
    assert versions()[0].sent_on == local_today() and f"plan-revise-{INITIAL}" in keys(lead)

    client = as_user("client")
    assert keys(client) & {f"review-submit-{INITIAL}", f"plan-save-{INITIAL}", f"edit-submit-{INITIAL}"} == set()
    assert not any(h.value in ("文件审查", "项目信息修改", "首末次会议") for h in client.subheader)
    client.radio(key=f"plan-answer-{INITIAL}").set_value("objected")
    client.button(key=f"plan-answer-submit-{INITIAL}").click().run()
    assert any("提出异议须写明理由" in e for e in errors(client))
    client.text_area(key=f"plan-answer-reason-{INITIAL}").set_value("现场日期与年度盘点冲突，请推迟一周")
    client.button(key=f"plan-answer-submit-{INITIAL}").click().run()
    assert not errors(client) and versions()[0].response == "objected"

    lead = as_user("zhang")
    assert any("企业有异议" in str(df.value) for df in lead.dataframe)
    lead.text_area(key=f"plan-revise-reason-{INITIAL}").set_value("按企业异议推迟一周")
    lead.button(key=f"plan-revise-{INITIAL}").click().run()
    assert not errors(lead) and [v.version for v in versions()] == [1, 2]
    assert versions()[1].revision_reason == "按企业异议推迟一周" and versions()[0].response == "objected"
    assert lead.text_area(key=f"plan-objectives-{INITIAL}").value == "评价售后服务体系的符合性"  # copied from v1


def test_a_refused_plan_keeps_what_was_typed(data_dir):
    lead = as_user("zhang")
    write_plan(lead, objectives="保留的目的", agenda="09:00 | | 张审查")
    assert any("日程第 1 行缺少内容" in e for e in errors(lead)) and versions() == []
    assert lead.text_area(key=f"plan-objectives-{INITIAL}").value == "保留的目的"
    assert lead.text_area(key=f"plan-agenda-{INITIAL}").value == "09:00 | | 张审查"


def test_a_late_plan_is_sent_with_a_warning(data_dir):
    lead = as_user("zhang")
    e = INITIAL
    lead.text_area(key=f"plan-objectives-{e}").set_value("目的")
    lead.text_area(key=f"plan-scope-{e}").set_value("范围")
    lead.date_input(key=f"plan-start-{e}").set_value(local_today() + timedelta(days=1))
    lead.button(key=f"plan-save-{e}").click().run()
    lead.button(key=f"plan-send-{e}").click().run()
    assert any("已记录为逾期发送" in w.value for w in lead.warning) and versions()[0].sent_on == local_today()
    assert any("晚于规定的提前天数发送" in w.value for w in lead.warning)


def test_the_review_and_a_team_edit_refused_keep_the_typed_text(data_dir):
    lead = as_user("li", OTHER_COMPANY)  # the demo's planned initial certification led by 李
    e = OTHER_COMPANY
    lead.radio(key=f"review-result-{e}").set_value("changes")
    lead.button(key=f"review-submit-{e}").click().run()
    assert any("须写明审查发现" in x for x in errors(lead))
    lead.text_area(key=f"review-findings-{e}").set_value("缺少网点服务协议")
    lead.button(key=f"review-submit-{e}").click().run()
    assert not errors(lead) and any("需补充修改" in str(df.value) for df in lead.dataframe)
    lead.text_input(key=f"edit-title-{e}").set_value("初次认证（改期）")
    lead.button(key=f"edit-submit-{e}").click().run()
    assert any("必须写明理由" in x for x in errors(lead))
    assert lead.text_input(key=f"edit-title-{e}").value == "初次认证（改期）"
    lead.text_area(key=f"edit-reason-{e}").set_value("企业申请改期")
    lead.button(key=f"edit-submit-{e}").click().run()
    assert not errors(lead) and any("企业申请改期" in str(df.value) for df in lead.dataframe)


def test_the_opening_meeting_is_recorded_with_the_team_by_default(data_dir):
    lead = as_user("zhang")
    key = f"opening-{INITIAL}"
    assert lead.multiselect(key=f"meeting-team-{key}").value == ["张审查", "李评审"]
    lead.button(key=f"meeting-submit-{key}").click().run()
    assert any("请填写企业出席人员" in x for x in errors(lead))
    lead.text_area(key=f"meeting-company-{key}").set_value("王经理\n李主管")
    lead.button(key=f"meeting-submit-{key}").click().run()
    assert not errors(lead) and any("首次会议已记录" in s.value for s in lead.success)
    assert any("王经理、李主管" in m.value for m in lead.markdown)


def test_meeting_photos_are_offered_only_to_who_may_add_evidence(data_dir):
    assert as_user("zhang").get("file_uploader")  # the lead: a team member who uploads evidence
    admin = as_user("admin")
    assert f"meeting-submit-opening-{INITIAL}" in keys(admin) and not admin.get("file_uploader")


def test_served_with_the_upload_route_the_photos_sent_ahead_are_recorded_with_the_meeting(data_dir, monkeypatch):
    """With the server's routes the photos go to the upload route above the form (no Streamlit uploader), and the
    meeting names the ones chosen; only pictures are offered."""
    monkeypatch.setattr(routes, "ACTIVE", True)
    lead = as_user("zhang")  # the first visit writes the demo data
    with session(engine_for(settings().effective_database_url)) as s:
        zhang = actor_of(s.exec(select(User).where(User.username == "zhang")).one())
        photo, _ = (upload_evidence(s, LocalBlobStore(settings().evidence_folder), engagement_id=INITIAL,
                                    name=name, stream=io.BytesIO(content), tree=default_tree(), links={},
                                    by=zhang, max_bytes=1 << 20).evidence.id
                    for name, content in (("会场.png", PNG), ("签到表.pdf", b"%PDF-1.4 list %%EOF")))
    lead.run()
    key = f"opening-{INITIAL}"
    assert not lead.exception and not lead.get("file_uploader")
    chosen = lead.multiselect(key=f"meeting-photo-ids-{key}")
    assert chosen.options == ["会场.png"] and chosen.value == []  # the document is not offered as a photo
    chosen.set_value([photo])
    lead.text_area(key=f"meeting-company-{key}").set_value("王经理")
    lead.button(key=f"meeting-submit-{key}").click().run()
    assert not errors(lead) and any("首次会议已记录" in s.value for s in lead.success)
    with session(engine_for(settings().effective_database_url)) as s:
        assert meetings(s, INITIAL, by=zhang)[MeetingKind.OPENING].evidence_ids == [photo]
    assert lead.multiselect(key=f"meeting-photo-ids-{key}").value == [photo]  # the form shows the new record


def test_each_role_opens_the_page_it_is_offered(data_dir):
    chen = as_user("chen", 1)  # the consultant's pre-audit: no document review, its plan, team and meetings
    assert not chen.exception and "plan-save-1" in keys(chen) and "review-submit-1" not in keys(chen)
    li = as_user("li")  # a team member who does not lead: reads, changes nothing
    assert not li.exception and not keys(li) & {f"plan-save-{INITIAL}", f"review-submit-{INITIAL}",
                                                f"edit-submit-{INITIAL}", f"meeting-submit-opening-{INITIAL}"}
    client = as_user("client")
    assert not client.exception and any("评价计划尚未发送" in c.value for c in client.caption)


def test_the_plan_document_is_built_when_asked_for_and_offered_for_that_version(data_dir):
    lead = write_plan(as_user("zhang"))
    assert not any(b.key == f"plan-download-{INITIAL}" for b in lead.get("download_button"))  # nothing built yet
    lead.button(key=f"plan-build-{INITIAL}").click().run()
    assert not lead.exception and not errors(lead)
    offered = [b for b in lead.get("download_button") if b.key == f"plan-download-{INITIAL}"]
    assert offered and offered[0].proto.label == "下载评价计划（Word）"
