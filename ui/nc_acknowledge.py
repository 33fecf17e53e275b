"""The company representative's acknowledgement of a nonconformity and its planned completion date (domain
brief A5): what is recorded, and the form for whoever the service lets record it (the client contact, or the team
entering a paper signature on the client's behalf)."""
from __future__ import annotations

import streamlit as st

from nonconformities.acknowledgement import REPRESENTATIVE_LIMIT, acknowledge_nonconformity
from nonconformities.models import Nonconformity
from timefmt import local_today
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.state import db_session
from ui.text import md
from vocabulary import Limit


def acknowledgement_caption(nc: Nonconformity) -> None:
    if nc.acknowledged_by:
        entered = f"（{md(nc.acknowledgement_entered_by)} 录入）" if nc.acknowledgement_entered_by else ""
        st.caption(f"企业代表 {md(nc.acknowledged_by)} 于 {nc.acknowledged_on} 确认{entered}"
                   + (f"：{md(nc.acknowledgement_note)}" if nc.acknowledgement_note else "")
                   + f" · 计划完成日期 {nc.planned_completion or '未填'}")


def acknowledge_form(nc: Nonconformity) -> None:
    """Record or correct the acknowledgement; a refused save keeps what was typed."""
    title = "修改企业确认和计划完成日期" if nc.acknowledged_by else "企业代表确认 / 计划完成日期"
    with st.expander(title), st.form(f"ack-form-{nc.id}", border=False, enter_to_submit=False):
        st.caption("客户联系人在线确认；企业代表在纸质报告上签字时，由评价组代为录入（记录录入人）。"
                   f"计划完成日期不得早于今天，也不得晚于整改期限 {nc.due_date or '（未设）'}。")
        who = st.text_input("确认的企业代表 *", value=nc.acknowledged_by or "", max_chars=REPRESENTATIVE_LIMIT,
                            key=f"ack-by-{nc.id}", placeholder="签字确认的企业代表姓名")
        day = st.date_input("确认日期", value=nc.acknowledged_on or local_today(), max_value=local_today(),
                            format="YYYY-MM-DD", key=f"ack-day-{nc.id}")
        planned = st.date_input("计划完成日期", value=nc.planned_completion, format="YYYY-MM-DD",
                                key=f"ack-planned-{nc.id}")
        remark = st.text_area("说明（可选）", value=nc.acknowledgement_note or "", max_chars=Limit.TEXT,
                              key=f"ack-note-{nc.id}", height=68)
        if st.form_submit_button("保存确认", key=f"ack-submit-{nc.id}"):
            with shown_errors(), db_session() as s:
                acknowledge_nonconformity(s, nc_id=nc.id, representative=who, acknowledged_on=day,
                                          planned_completion=planned, remark=remark, by=actor())
                flash(f"NC-{nc.number:02d} 的企业确认已保存", "success")
                st.rerun()
