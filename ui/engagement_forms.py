"""Forms to register a client company, add its sites, and create an engagement with its team."""
from __future__ import annotations

import streamlit as st

from accounts.policy import Action
from accounts.users import list_users
from audits.companies import add_site, create_company, list_companies
from audits.engagements import create_engagement
from dossier.backup import restore_engagement
from ui.current import actor, may
from ui.feedback import flash, shown_errors
from ui.state import db_session, evidence_store, tree_registry
from vocabulary import KIND_LABELS, SITE_LABELS, EngagementKind, Role, TeamRole


def company_form() -> None:
    with st.form("new-company", clear_on_submit=False):
        st.markdown("**登记企业**")
        name = st.text_input("企业名称 *", max_chars=200, key="co-name")
        code = st.text_input("统一社会信用代码 *", max_chars=18, key="co-code")
        address = st.text_input("地址", max_chars=300, key="co-address")
        industry = st.text_input("行业", max_chars=100, key="co-industry")
        scope = st.text_area("认证范围（商品和服务）", max_chars=2000, key="co-scope", height=68)
        contact = st.text_input("联系人", max_chars=200, key="co-contact")
        if st.form_submit_button("登记", key="co-submit"):
            data = {"name": name, "credit_code": code, "address": address, "industry": industry,
                    "scope": scope, "contact": contact}
            with shown_errors(), db_session() as s:
                company = create_company(s, data=data, by=actor())
                flash(f"已登记企业：{company.name}", "success")
                st.rerun()


def site_form() -> None:
    with db_session() as s:
        companies = list_companies(s, by=actor())
    if not companies:
        return
    with st.form("new-site"):
        st.markdown("**添加场所（总部或服务网点）**")
        company = st.selectbox("企业", companies, format_func=lambda c: c.name, key="site-company")
        name = st.text_input("场所名称 *", max_chars=200, key="site-name")
        kind = st.radio("类型", list(SITE_LABELS), format_func=SITE_LABELS.get, horizontal=True, key="site-kind")
        address = st.text_input("地址", max_chars=300, key="site-address")
        contracted = st.checkbox("委托设立的网点", key="site-contracted")
        if st.form_submit_button("添加", key="site-submit"):
            with shown_errors(), db_session() as s:
                add_site(s, company_id=company.id, by=actor(),
                         data={"name": name, "kind": kind, "address": address, "contracted": contracted})
                flash(f"已为 {company.name} 添加场所：{name}", "success")
                st.rerun()


def restore_form() -> int | None:
    """Restore an engagement from a backup zip (administrators); returns its new id."""
    backup = st.file_uploader("项目备份（.zip）", type=["zip"], key="restore-file")
    if backup is not None and st.button("恢复", key="restore-submit", type="primary"):
        with shown_errors(), st.spinner("正在校验并恢复…"), db_session() as s:
            return restore_engagement(s, evidence_store(), backup.getvalue(), tree_registry(), by=actor())
    return None


def creatable_kinds() -> list[str]:
    role = actor().role
    if role == Role.CONSULTANT:
        return [EngagementKind.PRE_AUDIT]
    return [k for k in KIND_LABELS if role == Role.ADMIN or k != EngagementKind.PRE_AUDIT]


def engagement_form() -> int | None:
    """Returns the new engagement's id once created."""
    with db_session() as s:
        companies = list_companies(s, by=actor())
        assessors = list_users(s, by=actor(), role=Role.ASSESSOR)
        consultants = list_users(s, by=actor(), role=Role.CONSULTANT)
    if not companies:
        st.info("没有可选的企业。")
        return None
    kind = st.selectbox("评价类型 *", creatable_kinds(), format_func=KIND_LABELS.get, key="eng-kind")
    pre_audit = kind == EngagementKind.PRE_AUDIT
    leads = consultants if pre_audit else assessors
    me = actor()
    with st.form("new-engagement"):
        st.markdown("**新建评价项目**")
        company = st.selectbox("企业 *", companies, format_func=lambda c: c.name, key="eng-company")
        tree = st.selectbox("指标树 *", tree_registry().trees(), format_func=lambda t: f"{t.title}（{t.ref}）",
                            key="eng-tree")
        title = st.text_input("项目名称", max_chars=200, key="eng-title")
        left, right = st.columns(2)
        start = left.date_input("开始日期", value=None, key="eng-start")
        end = right.date_input("结束日期", value=None, key="eng-end")
        mine = next((i for i, u in enumerate(leads) if u.id == me.user_id), None)
        lead = st.selectbox("咨询师 *" if pre_audit else "审查组长 *", leads, index=mine, key="eng-lead",
                            format_func=lambda u: f"{u.display_name}（{u.username}）")
        members = [] if pre_audit else st.multiselect(
            "审查员", assessors, key="eng-members", format_func=lambda u: f"{u.display_name}（{u.username}）")
        experts = st.text_input("技术专家（姓名，逗号分隔）", max_chars=300, key="eng-experts")
        if st.form_submit_button("创建", type="primary", key="eng-submit"):
            if lead is None:
                st.error("请选择负责人")
                return None
            team = [{"role": TeamRole.CONSULTANT if pre_audit else TeamRole.LEAD_ASSESSOR, "user_id": lead.id}]
            team += [{"role": TeamRole.ASSESSOR, "user_id": u.id} for u in members if u.id != lead.id]
            team += [{"role": TeamRole.TECHNICAL_EXPERT, "name": n.strip()}
                     for n in experts.replace("，", ",").split(",") if n.strip()]
            data = {"company_id": company.id, "kind": kind, "title": title, "start_date": start, "end_date": end}
            with shown_errors(), db_session() as s:
                return create_engagement(s, data=data, tree=tree, team=team, by=actor()).id
    return None


def creation_tabs() -> int | None:
    """The creation forms this user may use; returns a newly created engagement's id."""
    creators = (Role.ADMIN, Role.ASSESSOR, Role.CONSULTANT)
    names = (["新建评价项目"] if actor().role in creators else []) + \
        (["登记企业", "添加场所", "从备份恢复"] if may(Action.MANAGE_COMPANIES) else [])
    if not names:
        return None
    st.divider()
    created = None
    for name, tab in zip(names, st.tabs(names), strict=True):
        with tab:
            if name == "新建评价项目":
                created = engagement_form()
            elif name == "登记企业":
                company_form()
            elif name == "添加场所":
                site_form()
            else:
                created = restore_form() or created
    return created
