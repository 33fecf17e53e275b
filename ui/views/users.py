"""用户管理 (administrators): create users, change roles, disable accounts, reset passwords, assign companies."""
import streamlit as st

from accounts.models import User
from accounts.passwords import MAX_LENGTH, MIN_LENGTH
from accounts.users import (
    assign_companies,
    assigned_companies,
    create_user,
    list_users,
    reset_password,
    set_active,
    set_email,
    set_role,
)
from audits.companies import list_companies
from ui.chinese import CHOOSE, CHOOSE_MANY, table
from ui.current import actor
from ui.feedback import flash, show_flashes, shown_errors
from ui.page_state import page_state
from ui.state import db_session
from ui.text import local_time, longest
from vocabulary import LOGIN_ROLES, ROLE_LABELS, Role

page = page_state("users")
st.title("用户管理")
show_flashes()
with shown_errors(stop=True), db_session() as s:
    users = list_users(s, by=actor())
    companies = {c.id: c.name for c in list_companies(s, by=actor())}
    assignments = {u.id: assigned_companies(s, u.id, by=actor()) for u in users if u.role == Role.CONSULTANT}

table([{"用户名": u.username, "姓名": u.display_name, "角色": ROLE_LABELS.get(u.role, u.role),
        "所属企业": companies.get(u.company_id, ""), "邮箱": u.email, "状态": "启用" if u.active else "停用",
        "咨询企业": "、".join(companies.get(c, "") for c in assignments.get(u.id, ())),
        "创建时间": local_time(u.created_at)} for u in users], empty="尚无用户。")


def done(message: str) -> None:
    flash(message, "success")
    st.rerun()


new_tab, edit_tab = st.tabs(["新建用户", "修改用户"])
with new_tab, st.form("new-user", enter_to_submit=False):  # not cleared on submit: a refused one keeps what was typed
    username = st.text_input("用户名 *", max_chars=longest(User, "username"), key="nu-username")
    name = st.text_input("姓名 *", max_chars=longest(User, "display_name"), key="nu-name")
    role = st.selectbox("角色 *", list(LOGIN_ROLES), format_func=ROLE_LABELS.get, key="nu-role", placeholder=CHOOSE)
    company = st.selectbox("所属企业（企业用户必填）", [None, *companies], key="nu-company", placeholder=CHOOSE,
                           format_func=lambda c: "（无）" if c is None else companies[c])
    email = st.text_input("邮箱（接收到期提醒，可不填）", max_chars=longest(User, "email"), key="nu-email")
    password = st.text_input(f"初始密码 *（至少 {MIN_LENGTH} 个字符）", type="password", max_chars=MAX_LENGTH,
                             key="nu-password")
    if st.form_submit_button("创建", type="primary", key="nu-submit"):
        with shown_errors(), db_session() as s:
            create_user(s, username=username, display_name=name, role=role, password=password,
                        company_id=company, email=email, by=actor())
            page.show_next({"nu-username": "", "nu-name": "", "nu-password": "", "nu-email": ""})  # role, company stay
            done(f"已创建用户 {username}")

with edit_tab:
    # chosen by id, and each user's widgets keyed by that id: after a change the same user stays chosen, and a
    # form never shows the previous user's values
    by_id = {u.id: u for u in users}
    chosen_id = st.selectbox("用户", list(by_id), key="eu-user", placeholder=CHOOSE,
                             format_func=lambda i: f"{by_id[i].display_name}（{by_id[i].username}）")
    if chosen_id is not None:
        user = by_id[chosen_id]
        with st.form(f"edit-role-{user.id}", enter_to_submit=False):
            role = st.selectbox("角色", list(LOGIN_ROLES), index=LOGIN_ROLES.index(user.role), placeholder=CHOOSE,
                                format_func=ROLE_LABELS.get, key=f"eu-role-{user.id}")
            choices = [None, *companies]
            company = st.selectbox("所属企业（企业用户）", choices, key=f"eu-company-{user.id}", placeholder=CHOOSE,
                                   index=choices.index(user.company_id) if user.company_id in companies else 0,
                                   format_func=lambda c: "（无）" if c is None else companies[c])
            if st.form_submit_button("保存角色", key=f"eu-role-submit-{user.id}"):
                with shown_errors(), db_session() as s:
                    set_role(s, user_id=user.id, role=role, company_id=company, by=actor())
                    done(f"已修改 {user.username} 的角色")
        with st.form(f"edit-email-{user.id}", enter_to_submit=False):
            email = st.text_input("邮箱（接收到期提醒，留空则不发送）", value=user.email,
                                  max_chars=longest(User, "email"), key=f"eu-email-{user.id}")
            if st.form_submit_button("保存邮箱", key=f"eu-email-submit-{user.id}"):
                with shown_errors(), db_session() as s:
                    set_email(s, user_id=user.id, email=email, by=actor())
                    done(f"已保存 {user.username} 的邮箱")
        if user.role == Role.CONSULTANT:
            chosen = st.multiselect("负责的企业", list(companies), default=sorted(assignments.get(user.id, ())),
                                    format_func=companies.get, key=f"eu-assign-{user.id}",
                                    placeholder=CHOOSE_MANY, select_all=False)
            if st.button("保存企业分配", key=f"eu-assign-submit-{user.id}"):
                with shown_errors(), db_session() as s:
                    assign_companies(s, user_id=user.id, company_ids=set(chosen), by=actor())
                    done("已保存企业分配")
        left, right = st.columns(2)
        if left.button("停用账户" if user.active else "启用账户", key=f"eu-active-{user.id}"):
            with shown_errors(), db_session() as s:
                set_active(s, user_id=user.id, active=not user.active, by=actor())
                done("已停用" if user.active else "已启用")
        with right.form(f"reset-password-{user.id}", enter_to_submit=False):
            new = st.text_input("新密码", type="password", max_chars=MAX_LENGTH, key=f"eu-password-{user.id}")
            if st.form_submit_button("重置密码", key=f"eu-password-submit-{user.id}"):
                with shown_errors(), db_session() as s:
                    reset_password(s, user_id=user.id, new=new, by=actor())
                    page.show_next({f"eu-password-{user.id}": ""})
                    done(f"已重置 {user.username} 的密码")
