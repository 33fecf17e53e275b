"""The opening and closing meetings: attendance, the closing meeting's presentation and acknowledgement, photos
as evidence, recording again with a version check, who may record, and the audit log."""
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of, create_user
from audits.engagements import create_engagement
from cycle.meetings import meetings, record_meeting
from errors import AccessDenied, InvalidInput, StaleEdit
from evidence.models import Evidence
from evidence.services import list_evidence
from evidence.store import LocalBlobStore
from records.models import Engagement
from tests.factories import VALID_CODES, actor, default_tree, make_company

TREE = default_tree()
SYSTEM = actor("系统")
TODAY = date(2026, 12, 4)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(db, tmp_path):
    company = make_company(db)
    other = make_company(db, name="乙公司", credit_code=VALID_CODES[1])
    users = {name: create_user(db, username=name, display_name=label, role=role, password="a-long-password-1",
                               company_id=company.id if role == "client" else None, by=SYSTEM)
             for name, label, role in [("zhang", "张审查", "assessor"), ("li", "李评审", "assessor"),
                                       ("client", "王经理", "client"), ("admin", "管理员", "admin")]}
    team = [{"role": "lead_assessor", "user_id": users["zhang"].id}, {"role": "assessor", "user_id": users["li"].id}]
    e = create_engagement(db, data={"company_id": company.id, "kind": "initial"}, tree=TREE, team=team, by=SYSTEM)
    foreign = create_engagement(db, data={"company_id": other.id, "kind": "initial"}, tree=TREE, team=[], by=SYSTEM)
    return {"e": e.id, "foreign": foreign.id, "store": LocalBlobStore(tmp_path / "evidence"),
            "who": {n: actor_of(u) for n, u in users.items()}}


def record(db, world, kind="opening", by=None, expected=0, **change):
    values = {"held_at": datetime(2026, 12, 3, 9, 0), "team_attendees": ["张审查", "李评审"],
              "company_attendees": "王经理\n李主管\n", "notes": "介绍评价目的、范围和日程"} | change
    return record_meeting(db, engagement_id=world["e"], kind=kind, expected_version=expected,
                          by=by or world["who"]["zhang"], store=world["store"], max_bytes=1024 * 1024, today=TODAY,
                          **values)


def logged(db):
    return [e.detail for e in db.exec(select(AuditEvent).where(AuditEvent.action == Event.MEETING_RECORDED)
                                      .order_by(AuditEvent.id))]


def test_the_opening_meeting_keeps_time_and_attendance(db, world):
    m = record(db, world)
    db.expire_all()
    kept = meetings(db, world["e"], by=world["who"]["client"])["opening"]
    assert kept.held_at == datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)  # typed in the configured time zone
    assert kept.team_attendees == ["张审查", "李评审"] and kept.company_attendees == ["王经理", "李主管"]
    assert (m.version, kept.recorded_by, kept.findings_presented) == (1, "张审查", False)
    assert logged(db) == ["首次会议，2026-12-03 09:00，评价组：张审查、李评审；企业：王经理、李主管"]


def test_the_closing_meeting_records_presentation_and_acknowledgement(db, world):
    record(db, world)
    m = record(db, world, kind="closing", held_at=datetime(2026, 12, 4, 16, 0), findings_presented=True,
               acknowledged=True, acknowledged_by="王经理")
    assert (m.findings_presented, m.acknowledged, m.acknowledged_by) == (True, True, "王经理")
    assert logged(db)[-1].endswith("已通报发现和不符合项；企业确认人：王经理")


@pytest.mark.parametrize("kind, change, message", [
    ("opening", {"findings_presented": True}, "只在末次会议记录"),
    ("closing", {"acknowledged": True, "acknowledged_by": " "}, "企业确认须写明确认人"),
    ("opening", {"team_attendees": []}, "请选择评价组出席人员"),
    ("opening", {"team_attendees": ["张审查", "路人"]}, "须是本项目评价组成员：路人"),
    ("opening", {"company_attendees": " \n "}, "请填写企业出席人员"),
    ("opening", {"held_at": datetime(2026, 12, 5, 9, 0)}, "不能晚于今天"),
    ("opening", {"notes": "长" * 5001}, "会议记录不能超过"),
    ("closing", {"held_at": datetime(2026, 12, 2, 9, 0)}, "末次会议不能早于首次会议"),
    ("sideline", {}, "请选择会议类型"),
    ("opening", {"held_at": None}, "请填写会议日期和时间"),
])
def test_a_bad_meeting_is_refused_and_records_nothing(db, world, kind, change, message):
    if kind == "closing":
        record(db, world)
    before = len(logged(db))
    with pytest.raises(InvalidInput, match=message):
        record(db, world, kind=kind, **change)
    assert kind not in meetings(db, world["e"], by=SYSTEM) and len(logged(db)) == before


def test_photos_become_evidence_of_the_engagement_and_stay_when_recorded_again(db, world):
    m = record(db, world, photos=[("首次会议.png", io.BytesIO(PNG))])
    (photo,) = list_evidence(db, world["e"], by=SYSTEM)
    assert m.evidence_ids == [photo.id] and photo.note == "首次会议照片" and photo.uploaded_by == "张审查"
    again = record(db, world, expected=1, notes="补充记录", evidence_ids=m.evidence_ids,
                   photos=[("签到表.png", io.BytesIO(PNG + b"x"))])
    assert again.version == 2 and len(again.evidence_ids) == 2 and again.evidence_ids[0] == photo.id
    assert "照片 2 张" in logged(db)[-1]


def test_a_refused_meeting_leaves_no_photo_and_a_bad_photo_refuses_the_meeting(db, world):
    with pytest.raises(InvalidInput):
        record(db, world, team_attendees=[], photos=[("照片.png", io.BytesIO(PNG))])
    with pytest.raises(InvalidInput, match="内容与扩展名不符"):
        record(db, world, photos=[("照片.png", io.BytesIO(b"%PDF-1.4 not a picture"))])
    assert db.exec(select(func.count()).select_from(Evidence)).one() == 0 and meetings(db, world["e"], by=SYSTEM) == {}


def test_a_photo_of_another_engagement_is_refused(db, world):
    from evidence.services import upload_evidence
    foreign = upload_evidence(db, world["store"], engagement_id=world["foreign"], name="x.png", stream=io.BytesIO(PNG),
                              tree=TREE, links={}, by=SYSTEM, max_bytes=1024 * 1024).evidence.id
    with pytest.raises(InvalidInput, match="本项目中的有效证据文件"):
        record(db, world, evidence_ids=[foreign])


def test_photos_sent_ahead_without_links_join_the_meeting_and_only_pictures_do(db, world):
    """The upload route stores a meeting's photo before the form is sent, linked to no clause, as the meeting's
    own new photos are; the record then names it. A document is not a photo, whichever way it came."""
    from evidence.services import upload_evidence

    def sent(name, content):
        return upload_evidence(db, world["store"], engagement_id=world["e"], name=name, stream=io.BytesIO(content),
                               tree=TREE, links={}, by=world["who"]["zhang"], max_bytes=1024 * 1024).evidence.id
    photo, document = sent("合影.png", PNG), sent("签到表.pdf", b"%PDF-1.4 a list %%EOF")
    with pytest.raises(InvalidInput, match="会议照片须是图片：签到表.pdf"):
        record(db, world, evidence_ids=[photo, document])
    with pytest.raises(InvalidInput, match="会议照片须是图片：签到表.pdf"):
        record(db, world, photos=[("签到表.pdf", io.BytesIO(b"%PDF-1.4 a list %%EOF"))])
    assert meetings(db, world["e"], by=SYSTEM) == {}
    m = record(db, world, evidence_ids=[photo, photo], photos=[("会场.png", io.BytesIO(PNG + b"hall"))])
    assert len(m.evidence_ids) == 2 and m.evidence_ids[0] == photo


def test_recording_again_needs_the_version_seen(db, world):
    record(db, world)
    record(db, world, by=world["who"]["admin"], expected=1, notes="管理员补记")
    with pytest.raises(StaleEdit, match="已被 管理员"):
        record(db, world, expected=1, notes="组长的记录")
    with pytest.raises(StaleEdit):
        record(db, world, expected=0)
    assert meetings(db, world["e"], by=SYSTEM)["opening"].notes == "管理员补记"


def test_who_may_record_a_meeting(db, world):
    for name in ("li", "client"):
        with pytest.raises(AccessDenied):
            record(db, world, by=world["who"][name])
    with pytest.raises(AccessDenied):  # an administrator records the meeting but may not upload its photos
        record(db, world, by=world["who"]["admin"], photos=[("照片.png", io.BytesIO(PNG))])
    assert meetings(db, world["e"], by=SYSTEM) == {} and logged(db) == []
    assert record(db, world, by=world["who"]["admin"]).recorded_by == "管理员"


def test_a_decided_engagement_keeps_its_meetings(db, world):
    db.get(Engagement, world["e"]).status = "closed"
    db.commit()
    with pytest.raises(InvalidInput, match="已作出认证决定"):
        record(db, world)
