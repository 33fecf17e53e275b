"""Forms to register a client company, create an engagement with its team, and restore one from a backup.
(A company's sites, edits and deactivation are on the 企业与场所 page: ui/company_forms.py.)"""
from __future__ import annotations

import streamlit as st

from accounts.policy import Action
from accounts.users import list_users
from audits.companies import create_company, list_companies
from audits.engagements import get_engagement
from dossier.backup import MAX_BACKUP_ENTRY, restore_engagement
from errors import AuditError
from evidence.store import MB
from records.models import Company
from ui.chinese import CHOOSE, CHOOSE_MANY, upload_note
from ui.current import actor, may
from ui.cycle_forms import create, cycle_options, cycle_select
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session, evidence_store, tree_registry
from ui.streamed_upload import streamed_upload
from ui.text import as_text, longest
from vocabulary import KIND_LABELS, EngagementKind, Limit, Role, TeamRole
from web import routes


def company_form(page: PageState) -> None:
    fields = ("co-name", "co-code", "co-address", "co-industry", "co-scope", "co-contact")
    with st.form("new-company", enter_to_submit=False):
        st.markdown("**登记企业**")
        name = st.text_input("企业名称 *", max_chars=Limit.NAME, key="co-name")
        code = st.text_input("统一社会信用代码 *", max_chars=longest(Company, "credit_code"), key="co-code")
        address = st.text_input("地址", max_chars=longest(Company, "address"), key="co-address")
        industry = st.text_input("行业", max_chars=longest(Company, "industry"), key="co-industry")
        scope = st.text_area("认证范围（商品和服务）", max_chars=Limit.REASON, key="co-scope", height=68)
        contact = st.text_input("联系人", max_chars=Limit.NAME, key="co-contact")
        if st.form_submit_button("登记", key="co-submit"):
            data = {"name": name, "credit_code": code, "address": address, "industry": industry,
                    "scope": scope, "contact": contact}
            with shown_errors(), db_session() as s:
                company = create_company(s, data=data, by=actor())
                page.show_next(dict.fromkeys(fields, ""))  # a refusal above keeps what was typed
                flash(f"已登记企业：{company.name}。可在“企业与场所”页面添加其总部和服务网点。", "success")
                st.rerun()


def restore_form() -> int | None:
    """Restore an engagement from a backup zip (administrators); returns its new id."""
    if routes.ACTIVE:  # served with the upload route: the zip goes to a file on the server, never the session
        answers = streamed_upload("restore-file", "项目备份（.zip，由仪表板上的“备份本项目（ZIP）”生成）",
                                  "/uploads/restore", types=["zip"], max_mb=MAX_BACKUP_ENTRY // MB, multiple=False)
        for answer in answers or []:
            (st.success if answer.saved else st.error)(as_text(f"{answer.name}：{answer.message}"))
        restored = next((a.engagement_id for a in answers or [] if a.saved and a.engagement_id), None)
        return restored if restored and _visible(restored) else None  # the answer came back through the browser
    backup = st.file_uploader("项目备份（.zip）", type=["zip"], key="restore-file",
                              help="由仪表板上的“备份本项目（ZIP）”生成的文件")
    upload_note(["zip"], st.get_option("server.maxUploadSize"))
    if backup is not None and st.button("恢复", key="restore-submit", type="primary"):
        with shown_errors(), st.spinner("正在校验并恢复…"), db_session() as s:
            return restore_engagement(s, evidence_store(), backup, tree_registry(), by=actor(), source=backup.name)
    return None


def _visible(engagement_id: int) -> bool:
    with db_session() as s:
        try:
            get_engagement(s, engagement_id, by=actor())
        except AuditError:
            return False
    return True


def engagement_form(creatable: dict[str, list]) -> int | None:
    """`creatable`: the companies each kind may be created for; returns the new engagement's id once created."""
    with db_session() as s:
        assessors = list_users(s, by=actor(), role=Role.ASSESSOR)
        consultants = list_users(s, by=actor(), role=Role.CONSULTANT)
    kind = st.selectbox("评价类型 *", list(creatable), format_func=KIND_LABELS.get, key="eng-kind", placeholder=CHOOSE)
    companies = creatable[kind]
    pre_audit = kind == EngagementKind.PRE_AUDIT
    leads = consultants if pre_audit else assessors
    cycles = cycle_options(kind)
    me = actor()
    with st.form("new-engagement", enter_to_submit=False):
        st.markdown("**新建评价项目**")
        cycle_id = cycle_select(kind, cycles)
        company = None if kind == EngagementKind.SURVEILLANCE else st.selectbox(  # a surveillance's is its cycle's
            "企业 *", companies, format_func=lambda c: c.name, key="eng-company", placeholder=CHOOSE)
        tree = st.selectbox("指标树 *", tree_registry().trees(), format_func=lambda t: f"{t.title}（{t.ref}）",
                            key="eng-tree", placeholder=CHOOSE)
        title = st.text_input("项目名称", max_chars=Limit.NAME, key="eng-title")
        left, right = st.columns(2)
        start = left.date_input("开始日期", value=None, key="eng-start")
        end = right.date_input("结束日期", value=None, key="eng-end")
        mine = next((i for i, u in enumerate(leads) if u.id == me.user_id), None)
        lead = st.selectbox("咨询师 *" if pre_audit else "审查组长 *", leads, index=mine, key="eng-lead",
                            format_func=lambda u: f"{u.display_name}（{u.username}）", placeholder="请选择负责人")
        members = [] if pre_audit else st.multiselect(
            "审查员", assessors, key="eng-members", format_func=lambda u: f"{u.display_name}（{u.username}）",
            placeholder=CHOOSE_MANY, select_all=False)
        experts = st.text_input("技术专家（姓名，逗号分隔）", max_chars=Limit.SHORT, key="eng-experts")
        if st.form_submit_button("创建", type="primary", key="eng-submit"):
            if lead is None:
                st.error("请选择负责人")
                return None
            team = team_of(pre_audit, lead, members, experts)
            data = {"company_id": company.id if company else None, "kind": kind, "title": title,
                    "start_date": start, "end_date": end}
            with shown_errors(), db_session() as s:
                return create(s, data=data, tree=tree, team=team, cycle_id=cycle_id).id
    return None


def team_of(pre_audit: bool, lead, members: list, experts: str) -> list[dict]:
    """The team as the services take it: the lead assessor (a pre-audit's consultant), the assessors, the
    technical experts typed by name (comma-separated)."""
    team = [{"role": TeamRole.CONSULTANT if pre_audit else TeamRole.LEAD_ASSESSOR, "user_id": lead.id}] if lead else []
    team += [{"role": TeamRole.ASSESSOR, "user_id": u.id} for u in members if lead is None or u.id != lead.id]
    return team + [{"role": TeamRole.TECHNICAL_EXPERT, "name": n.strip()}
                   for n in experts.replace("，", ",").split(",") if n.strip()]


def creation_tabs(page: PageState) -> int | None:
    """The creation forms this user may use, asked as the services will (`permits`); returns a newly created
    engagement's id."""
    with db_session() as s:
        companies = list_companies(s, by=actor(), active_only=True)  # a deactivated one gets no new engagement
        creatable = {kind: [c for c in companies if may(s, Action.CREATE_ENGAGEMENT, kind=kind, company_id=c.id)]
                     for kind in KIND_LABELS}
        manages_companies = may(s, Action.MANAGE_COMPANIES)
    creatable = {kind: allowed for kind, allowed in creatable.items() if allowed}
    tabs = [("新建评价项目", lambda: engagement_form(creatable))] if creatable else []
    if manages_companies:
        tabs += [("登记企业", lambda: company_form(page)), ("从备份恢复", restore_form)]
    if not tabs:
        return None
    st.divider()
    created = None
    for (_, draw), tab in zip(tabs, st.tabs([label for label, _ in tabs]), strict=True):
        with tab:
            created = draw() or created
    return created
