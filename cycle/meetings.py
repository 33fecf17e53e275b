"""Use cases for the opening and closing meetings (首次会议/末次会议) of an engagement.

One record per meeting kind: when it was held, who attended for the team (team members) and for the company
(names), notes; for the closing meeting, whether the findings and nonconformities were presented and whether the
company acknowledged them (and who did). Photos are evidence files of the engagement, pictures only: new ones stored through
evidence/services.store_file and recorded with the meeting (so a refused record leaves no file), or already
uploaded (through the upload route, with no clause links, as the meeting's own new photos have), all named in
`evidence_ids`. Recording it again replaces the record and moves its version: a form names the version it showed
(0 before the first record) and a stale one is refused. A meeting is not held in the future, and the closing
meeting not before the opening one.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from config import settings
from cycle.models import Meeting
from cycle.rules import parse_names
from errors import InvalidInput, StaleEdit
from evidence.filetypes import IMAGES
from evidence.models import Evidence
from evidence.services import record_file, store_file
from evidence.store import BlobStore
from records.models import TeamMember, utcnow
from textclean import clean_text
from timefmt import local_time, local_today
from vocabulary import MEETING_LABELS, SETTLED, Limit, MeetingKind


def meetings(session: Session, engagement_id: int, *, by: Actor) -> dict[MeetingKind, Meeting]:
    """The engagement's recorded meetings by kind."""
    get_engagement(session, engagement_id, by=by)
    return {MeetingKind(m.kind): m for m in session.exec(select(Meeting).where(Meeting.engagement_id == engagement_id))}


def as_local(held_at: datetime) -> datetime:
    """A meeting time typed without a zone is in the configured time zone."""
    return held_at if held_at.tzinfo else held_at.replace(tzinfo=ZoneInfo(settings().timezone))


def record_meeting(session: Session, *, engagement_id: int, kind: str, held_at: datetime, team_attendees: list[str],
                   company_attendees: str | list[str], notes: str = "", findings_presented: bool = False,
                   acknowledged: bool = False, acknowledged_by: str = "", evidence_ids: Sequence[int] = (),
                   photos: Sequence[tuple[str, BinaryIO]] = (), store: BlobStore | None = None, max_bytes: int = 0,
                   expected_version: int, by: Actor, today: date | None = None) -> Meeting:
    """Record (or record again) one meeting; `evidence_ids` are its photos already on record (kept from the last
    record, or sent ahead through the upload route), `photos` new files (name, stream)."""
    if kind not in set(MeetingKind):
        raise InvalidInput("请选择会议类型（首次会议或末次会议）")
    if not isinstance(held_at, datetime):
        raise InvalidInput("请填写会议日期和时间")
    values = _checked(kind, as_local(held_at), team_attendees, company_attendees, notes, findings_presented,
                      acknowledged, acknowledged_by, today or local_today())
    new = [store_file(store, name, stream, max_bytes=max_bytes) for name, stream in photos]
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if scope.engagement.status in SETTLED:
            raise InvalidInput("已作出认证决定的项目不能再修改会议记录")
        team = set(session.exec(select(TeamMember.name).where(TeamMember.engagement_id == engagement_id)))
        if strangers := [n for n in values["team_attendees"] if n not in team]:
            raise InvalidInput(f"评价组出席人员须是本项目评价组成员：{'、'.join(strangers)}")
        found = {MeetingKind(m.kind): m for m in session.exec(select(Meeting).where(
            Meeting.engagement_id == engagement_id))}
        _check_order(kind, values["held_at"], found)
        meeting = found.get(MeetingKind(kind))
        if (meeting.version if meeting else 0) != expected_version:
            raise StaleEdit(f"{MEETING_LABELS[MeetingKind(kind)]}记录已被 {meeting.recorded_by if meeting else '他人'} "
                            f"于 {local_time(meeting.recorded_at) if meeting else ''} 修改，您的修改未保存。"
                            "请查看最新内容后重新记录。")
        files = [session.get(Evidence, i) for i in dict.fromkeys(evidence_ids)]
        if any(f is None or f.engagement_id != engagement_id or f.removed_at for f in files):
            raise InvalidInput("会议照片须是本项目中的有效证据文件")
        if not_photos := [f.name for f in files if f.kind not in IMAGES] + [p.name for p in new
                                                                            if p.stored.kind not in IMAGES]:
            raise InvalidInput(f"会议照片须是图片：{'、'.join(not_photos)}")
        label = MEETING_LABELS[MeetingKind(kind)]
        added = [record_file(scope, file, links={}, note=f"{label}照片").id for file in new]
        meeting = meeting or Meeting(engagement_id=engagement_id, kind=MeetingKind(kind))
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.evidence_ids = list(dict.fromkeys([*(f.id for f in files), *added]))
        meeting.recorded_by, meeting.recorded_at, meeting.version = by.name, utcnow(), expected_version + 1
        session.add(meeting)
        try:
            session.flush()
        except IntegrityError as clash:  # the other person recorded the same meeting at the same moment
            raise StaleEdit(f"{label}刚被他人记录，您的记录未保存。请查看最新内容后重新记录。") from clash
        scope.audit(Event.MEETING_RECORDED, detail=_describe(meeting))
    return meeting


def _checked(kind: str, held_at: datetime, team: list[str], company: str | list[str], notes: str,
             presented: bool, acknowledged: bool, acknowledged_by: str, today: date) -> dict:
    if held_at.astimezone(ZoneInfo(settings().timezone)).date() > today:
        raise InvalidInput("会议时间不能晚于今天")
    team_names = parse_names([clean_text(n) for n in team], "评价组出席人员")
    company_names = parse_names(clean_text(company) if isinstance(company, str) else
                                [clean_text(n) for n in company], "企业出席人员")
    if not team_names:
        raise InvalidInput("请选择评价组出席人员")
    if not company_names:
        raise InvalidInput("请填写企业出席人员（每行一人）")
    notes, acknowledged_by = clean_text(notes), clean_text(acknowledged_by)
    if len(notes) > Limit.TEXT:
        raise InvalidInput(f"会议记录不能超过 {Limit.TEXT} 字")
    closing = kind == MeetingKind.CLOSING
    if not closing and (presented or acknowledged):
        raise InvalidInput("通报发现和企业确认只在末次会议记录")
    if acknowledged and not acknowledged_by:
        raise InvalidInput("企业确认须写明确认人")
    if len(acknowledged_by) > 100:
        raise InvalidInput("确认人姓名不能超过 100 字")
    return {"held_at": held_at, "team_attendees": team_names, "company_attendees": company_names, "notes": notes,
            "findings_presented": bool(presented), "acknowledged": bool(acknowledged),
            "acknowledged_by": acknowledged_by if acknowledged else ""}


def _check_order(kind: str, held_at: datetime, found: dict[MeetingKind, Meeting]) -> None:
    opening, closing = found.get(MeetingKind.OPENING), found.get(MeetingKind.CLOSING)
    if kind == MeetingKind.CLOSING and opening and held_at < opening.held_at:
        raise InvalidInput(f"末次会议不能早于首次会议（{local_time(opening.held_at)}）")
    if kind == MeetingKind.OPENING and closing and held_at > closing.held_at:
        raise InvalidInput(f"首次会议不能晚于末次会议（{local_time(closing.held_at)}）")


def _describe(m: Meeting) -> str:
    text = (f"{MEETING_LABELS[MeetingKind(m.kind)]}，{local_time(m.held_at)}，评价组：{'、'.join(m.team_attendees)}；"
            f"企业：{'、'.join(m.company_attendees)}")
    if m.kind == MeetingKind.CLOSING:
        text += "；已通报发现和不符合项" if m.findings_presented else "；未通报发现"
        text += f"；企业确认人：{m.acknowledged_by}" if m.acknowledged else "；企业未确认"
    return text + (f"；照片 {len(m.evidence_ids)} 张" if m.evidence_ids else "")
