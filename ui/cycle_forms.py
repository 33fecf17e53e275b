"""Creating an engagement in a company's certification cycle from the engagement form: the cycle a surveillance
must name (its company is the cycle's), or the one a recertification or special audit may follow."""
from __future__ import annotations

import streamlit as st

from audits.chain import IN_CYCLE, OUTSIDE_CYCLE
from audits.engagements import create_engagement
from criteria.model import Tree
from cycle.cycles import CycleChoice, create_in_cycle, cycle_choices
from errors import InvalidInput
from records.models import Engagement
from ui.chinese import CHOOSE
from ui.current import actor
from ui.state import db_session
from vocabulary import EngagementKind


def cycle_options(kind: str | None) -> dict[int, CycleChoice]:
    """The cycles this user may create an engagement of `kind` in (none for kinds outside cycles)."""
    if kind not in IN_CYCLE:
        return {}
    with db_session() as s:
        return {c.cycle_id: c for c in cycle_choices(s, by=actor(), kind=kind)}


def cycle_select(kind: str | None, cycles: dict[int, CycleChoice]) -> int | None:
    """Inside the form: 认证周期 (required for a surveillance, optional for a recertification or special audit)."""
    if kind not in IN_CYCLE:
        return None
    required = kind == EngagementKind.SURVEILLANCE
    if required and not cycles:
        st.info("尚无可选的认证周期：企业获证后才有认证周期，监督评价在其中创建。")
    return st.selectbox("认证周期 *" if required else "接续的认证周期（可选）", list(cycles), key="eng-cycle",
                        format_func=lambda i: cycles[i].label, index=0 if required and cycles else None,
                        placeholder=CHOOSE if required else "不接续认证周期",
                        help="新项目接续该周期最近的评价项目：上次遗留的不符合项、上次得分和证据可在新项目中查看和沿用")


def create(session, *, data: dict, tree: Tree, team: list[dict], cycle_id: int | None) -> Engagement:
    """Create the engagement, in the chosen cycle when there is one (its company is the cycle's)."""
    if cycle_id is not None:
        named = {k: v for k, v in data.items() if not (k == "company_id" and v is None)}
        return create_in_cycle(session, cycle_id=cycle_id, data=named, tree=tree, team=team, by=actor())
    if data.get("kind") == EngagementKind.SURVEILLANCE:
        raise InvalidInput(OUTSIDE_CYCLE)
    return create_engagement(session, data=data, tree=tree, team=team, by=actor())
