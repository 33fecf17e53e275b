"""首末次会议 on the preparation page: each meeting's record and, for whoever may manage the engagement, the form
to record it (again), with photos stored as evidence of the engagement."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import streamlit as st

from config import settings
from cycle.meetings import record_meeting
from cycle.models import Meeting
from evidence.filetypes import EXTENSIONS, IMAGES
from evidence.services import list_evidence
from records.models import TeamMember
from ui.chinese import CHOOSE_MANY, upload_note
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store
from ui.streamed_upload import choose_saved, streamed_upload
from ui.text import local_time, md, md_lines
from vocabulary import MEETING_LABELS, Limit, MeetingKind
from web import routes

PHOTO_TYPES = [suffix.lstrip(".") for suffix, kind in EXTENSIONS.items() if kind in IMAGES]


def meeting_section(page: PageState, engagement_id: int, recorded: dict[MeetingKind, Meeting],
                    team: list[TeamMember], *, manage: bool, photos: bool) -> None:
    """`photos`: whether the user may add evidence (UPLOAD_EVIDENCE), which the meeting's photos are."""
    st.subheader("首末次会议")
    for kind, tab in zip(MeetingKind, st.tabs([MEETING_LABELS[k] for k in MeetingKind]), strict=True):
        with tab:
            meeting = recorded.get(kind)
            show(meeting)
            if manage:
                meeting_form(page, engagement_id, kind, meeting, team, photos=photos)


def show(m: Meeting | None) -> None:
    if m is None:
        st.caption("尚未记录。")
        return
    text = (f"**时间：** {local_time(m.held_at)}  \n**评价组出席：** {md('、'.join(m.team_attendees))}  \n"
            f"**企业出席：** {md('、'.join(m.company_attendees))}")
    if m.kind == MeetingKind.CLOSING:
        text += "  \n**通报发现和不符合项：** " + ("已通报" if m.findings_presented else "未通报")
        text += "  \n**企业确认：** " + (f"已确认（{md(m.acknowledged_by)}）" if m.acknowledged else "未确认")
    st.markdown(text + (f"  \n**会议记录：** {md_lines(m.notes)}" if m.notes else ""))
    st.caption(f"{md(m.recorded_by)} 于 {local_time(m.recorded_at)} 记录 · 第 {m.version} 次记录"
               + (f" · 照片 {len(m.evidence_ids)} 张（见“证据”页）" if m.evidence_ids else ""))


def _seed(page: PageState, form: str, key: str, m: Meeting | None, team: list[TeamMember]) -> int:
    """The meeting's version this form stands for; its widgets show the stored record when first drawn."""
    if form not in page.seen:
        zone_time = m.held_at.astimezone(_zone()) if m else None
        st.session_state.update({
            f"meeting-date-{key}": zone_time.date() if zone_time else datetime.now(_zone()).date(),
            f"meeting-time-{key}": zone_time.time().replace(tzinfo=None) if zone_time else time(9, 0),
            f"meeting-team-{key}": m.team_attendees if m else [t.name for t in team],
            f"meeting-company-{key}": "\n".join(m.company_attendees) if m else "",
            f"meeting-notes-{key}": m.notes if m else ""})
        st.session_state[f"meeting-photo-ids-{key}"] = list(m.evidence_ids) if m else []
        if key.startswith(MeetingKind.CLOSING):
            st.session_state.update({f"meeting-presented-{key}": bool(m and m.findings_presented),
                                     f"meeting-ack-{key}": bool(m and m.acknowledged),
                                     f"meeting-ack-by-{key}": m.acknowledged_by if m else ""})
        page.saw(form, m.version if m else 0)
    return page.seen[form]


def _zone() -> ZoneInfo:
    return ZoneInfo(settings().timezone)


def meeting_form(page: PageState, engagement_id: int, kind: MeetingKind, m: Meeting | None,
                 team: list[TeamMember], *, photos: bool) -> None:
    key, label = f"{kind}-{engagement_id}", MEETING_LABELS[kind]
    form = f"meeting-{key}"
    expected = _seed(page, form, key, m, team)
    if expected != (m.version if m else 0):
        st.warning(f"{label}记录在您打开之后已被他人修改。", icon=":material/sync_problem:")
        if st.button("载入最新记录（放弃我的修改）", key=f"meeting-reload-{key}"):
            page.forget(form)
            st.rerun()
    closing = kind == MeetingKind.CLOSING
    pictures = _streamed_photos(engagement_id, key, label) if photos and routes.ACTIVE else None
    with st.form(f"meeting-form-{key}", enter_to_submit=False):
        st.markdown(f"**记录{label}**")
        left, right = st.columns(2)
        day = left.date_input("日期 *", key=f"meeting-date-{key}", format="YYYY-MM-DD")
        at = right.time_input("时间 *", key=f"meeting-time-{key}", step=900)
        names = [t.name for t in team]
        attendees = st.multiselect("评价组出席人员 *", names, key=f"meeting-team-{key}", placeholder=CHOOSE_MANY)
        company = st.text_area("企业出席人员 *（每行一人）", key=f"meeting-company-{key}", height=90)
        presented = closing and st.checkbox("已向企业通报评价发现和不符合项", key=f"meeting-presented-{key}")
        acknowledged = closing and st.checkbox("企业已确认评价发现和不符合项", key=f"meeting-ack-{key}")
        acknowledged_by = st.text_input("企业确认人", max_chars=100, key=f"meeting-ack-by-{key}") if closing else ""
        notes = st.text_area("会议记录", max_chars=Limit.TEXT, key=f"meeting-notes-{key}", height=90)
        # a new uploader once a record succeeded (the version moved): Streamlit empties an uploader no other way
        files, kept = [], m.evidence_ids if m else []
        if pictures is not None:
            kept = st.multiselect("会议照片（上面上传的已选入）", list(pictures), format_func=pictures.get,
                                  key=f"meeting-photo-ids-{key}", placeholder=f"（可选）{CHOOSE_MANY}",
                                  select_all=False)
        elif photos:
            files = st.file_uploader("会议照片（可多选）", accept_multiple_files=True, type=PHOTO_TYPES,
                                     key=f"meeting-photos-{key}-{expected}", max_upload_size=settings().max_upload_mb)
            upload_note(PHOTO_TYPES, settings().max_upload_mb)
        if st.form_submit_button(f"记录{label}", key=f"meeting-submit-{key}", type="primary"):
            held_at = datetime.combine(day, at) if day and at else None
            with shown_errors(), db_session() as s:
                record_meeting(s, engagement_id=engagement_id, kind=kind, held_at=held_at, team_attendees=attendees,
                               company_attendees=company, notes=notes, findings_presented=presented,
                               acknowledged=acknowledged, acknowledged_by=acknowledged_by,
                               evidence_ids=kept, photos=[(p.name, p) for p in files or []],
                               store=evidence_store(), max_bytes=settings().max_upload_mb * 1024 * 1024,
                               expected_version=expected, by=actor())
                page.forget(form)
                flash(f"{label}已记录", "success")
                st.rerun()


def _streamed_photos(engagement_id: int, key: str, label: str) -> dict[int, str]:
    """Photos through the upload route, above the form: each is kept as the engagement's evidence (linked to no
    clause, as the meeting's own photos are) as it arrives and chosen among the meeting's photos below. The
    engagement's pictures, which the list offers."""
    got = streamed_upload(f"meeting-upload-{key}", "上传会议照片（上传后即保存为本项目的证据，并选入下面的列表）",
                          f"/uploads/evidence/{engagement_id}", types=PHOTO_TYPES, max_mb=settings().max_upload_mb,
                          query=[("note", f"{label}照片")])
    upload_note(PHOTO_TYPES, settings().max_upload_mb)
    chosen = f"meeting-photo-ids-{key}"
    choose_saved(got, chosen)
    with db_session() as s:
        pictures = {e.id: e.name for e in list_evidence(s, engagement_id, by=actor()) if e.kind in IMAGES}
    kept = [i for i in st.session_state.get(chosen, []) if i in pictures]
    if kept != st.session_state.get(chosen):  # a photo removed since (on the evidence page) is no longer offered
        st.session_state[chosen] = kept
    return pictures
