"""审计日志 (administrators): logins, failed logins, refusals and account changes, filtered."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from accounts.audit_log import EVENT_LABELS
from accounts.models import AuditEvent
from accounts.users import audit_events
from config import settings
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import shown_errors
from ui.state import db_session
from ui.text import local_time, longest

st.title("审计日志")
left, middle, right = st.columns(3)
action = left.selectbox("事件", [None, *EVENT_LABELS], format_func=lambda a: EVENT_LABELS.get(a, "全部事件"),
                        key="log-action", placeholder=CHOOSE)
username = middle.text_input("用户", max_chars=longest(AuditEvent, "username"), key="log-user")
day = right.date_input("日期", value=None, key="log-day")
zone = ZoneInfo(settings().timezone)
since = datetime.combine(day, time.min, zone) if day else None
with shown_errors(stop=True), db_session() as s:
    events = audit_events(s, by=actor(), action=action, username=username, since=since,
                          until=since + timedelta(days=1) if since else None)
table([{"时间": local_time(e.at, seconds=True), "用户": e.username, "事件": EVENT_LABELS.get(e.action, e.action),
        "对象": e.target, "详情": e.detail} for e in events], empty="没有符合条件的记录。")
if events:
    st.caption(f"显示最近 {len(events)} 条记录。日志只增不改。")
