"""我的待办: the due items the signed-in user is responsible for (cycle.due), compact, at the top of the
engagement list; those who may view the programme get a link to the whole list."""
import streamlit as st

from accounts.policy import Action
from cycle.due import due_items, responsible_for
from timefmt import local_today
from ui.current import actor, may
from ui.state import db_session, tree_registry
from ui.text import md
from vocabulary import DUE_KIND_LABELS, DUE_STATE_LABELS, DueState

PROGRAMME_PAGE = "ui/views/programme.py"
SHOWN = 8
STATE_COLORS = {DueState.OVERDUE: "red", DueState.DUE: "orange", DueState.UPCOMING: "blue"}


def my_due_items() -> None:
    who = actor()
    with db_session() as s:
        items = responsible_for(due_items(s, by=who, today=local_today(), trees=tree_registry()), who.user_id)
        programme = may(s, Action.VIEW_PROGRAMME)
    if not items:
        return
    items.sort(key=lambda i: (i.state != DueState.OVERDUE, i.due))
    with st.container(border=True, gap="small", key="my-due"):
        st.markdown(f"**我的待办（{len(items)}）**")
        for item in items[:SHOWN]:
            st.markdown(f":{STATE_COLORS[item.state]}-badge[{DUE_STATE_LABELS[item.state]}] "
                        f"{DUE_KIND_LABELS[item.kind]} · {md(item.company)} · 到期日 {item.due}  \n"
                        f":gray[{md(item.description)}]")
        if len(items) > SHOWN:
            st.caption(f"另有 {len(items) - SHOWN} 项。")
        if programme:
            st.page_link(PROGRAMME_PAGE, label="查看全部到期事项", icon=":material/event_upcoming:")
