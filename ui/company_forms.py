"""The parts of the 企业与场所 page: the company and site tables, their edit forms, deactivation, adding a site,
and the history of changes.

An edit form shows the stored record when first drawn and keeps the version it showed (ui/page_state.py) until
the user's own save succeeds; a save over someone else's newer one is refused, and the form then shows theirs."""
from __future__ import annotations

import streamlit as st

from audits.companies import PRINTED_FIELDS, add_site, set_company_active, set_site_active, update_company, update_site
from audits.company_history import HistoryLine
from errors import StaleEdit
from records.models import Company, Site
from ui.chinese import CHOOSE, table
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session
from ui.text import local_time, longest
from vocabulary import SITE_LABELS, Limit

COMPANY_INPUTS = {"name": "企业名称 *", "credit_code": "统一社会信用代码 *", "address": "地址", "industry": "行业",
                  "contact": "联系人"}
SITE_INPUTS = {"name": "场所名称 *", "address": "地址"}


def state_label(active: bool) -> str:
    return "启用" if active else "已停用"


def company_table(companies: list[Company]) -> None:
    table([{"名称": c.name, "统一社会信用代码": c.credit_code, "地址": c.address, "行业": c.industry,
            "联系人": c.contact, "状态": state_label(c.active)} for c in companies],
          empty="尚未登记企业：请在“评价项目”页面登记。")


def site_table(sites: list[Site]) -> None:
    table([{"名称": s.name, "类型": SITE_LABELS.get(s.kind, s.kind), "地址": s.address,
            "委托网点": "是" if s.contracted else "否", "状态": state_label(s.active)} for s in sites],
          empty="该企业尚无场所。")


def history_table(history: list[HistoryLine]) -> None:
    table([{"时间": local_time(h.at, seconds=True), "修改人": h.by, "对象": h.subject, "修改内容": h.change}
           for h in history], empty="尚无修改记录。")


def _shown(page: PageState, form: str, values: dict[str, object], version: int) -> int:
    """Fill a form drawn afresh with the stored values; the version the form stands for."""
    if any(key not in st.session_state for key in values):
        st.session_state.update(values)
        page.forget(form)
    return page.version_shown(form, version)


def _values(record: Company | Site, keys: dict[str, str]) -> dict:
    """The form's widget keys with the record's values."""
    return {key: getattr(record, field) for field, key in keys.items()}


def _saved(page: PageState, form: str, save, keys: dict[str, str]) -> None:
    """Run `save`; on success the form stands for the saved version, on a stale edit it shows the newer record."""
    try:
        with db_session() as s:
            record = save(s)
    except StaleEdit as exc:
        flash(exc.message)
        page.show_next(_values(exc.current, keys))
        page.saw(form, exc.current.version)
        st.rerun()
    page.saw(form, record.version)
    flash("已保存修改", "success")
    st.rerun()


def company_form(page: PageState, company: Company, *, certified: bool = False) -> None:
    """`certified`: the company holds a certificate, so what the certificate prints (name, credit code, address)
    changes through a reported change on the 认证周期 page (audits/companies.py refuses it here)."""
    form, keys = f"company-{company.id}", {f: f"ce-{f}-{company.id}" for f in [*COMPANY_INPUTS, "scope"]}
    version = _shown(page, form, _values(company, keys), company.version)
    if certified:
        st.info("该企业持有认证证书：名称、统一社会信用代码和地址的修改须登记为企业变更，由认证机构处理后"
                "连同证书一并更新。", icon=":material/workspace_premium:")
        st.page_link("ui/views/cycle.py", label="前往“认证周期”登记企业变更", icon=":material/timeline:")
    with st.form(form, enter_to_submit=False):
        for field, label in COMPANY_INPUTS.items():
            st.text_input(label, max_chars=longest(Company, field), key=keys[field],
                          disabled=certified and field in PRINTED_FIELDS)
        st.text_area("认证范围（商品和服务）", max_chars=Limit.REASON, key=keys["scope"], height=68)
        if st.form_submit_button("保存修改", type="primary", key=f"ce-submit-{company.id}"):
            data = {f: st.session_state[k] for f, k in keys.items()}
            with shown_errors():
                _saved(page, form, lambda s: update_company(s, company_id=company.id, data=data, by=actor(),
                                                            expected_version=version), keys)


def site_form(page: PageState, site: Site) -> None:
    form = f"site-{site.id}"
    keys = {f: f"se-{f}-{site.id}" for f in ("name", "kind", "address", "contracted")}
    version = _shown(page, form, _values(site, keys), site.version)
    with st.form(form, enter_to_submit=False):
        st.text_input(SITE_INPUTS["name"], max_chars=Limit.NAME, key=keys["name"])
        st.radio("类型", list(SITE_LABELS), format_func=SITE_LABELS.get, horizontal=True, key=keys["kind"])
        st.text_input(SITE_INPUTS["address"], max_chars=longest(Site, "address"), key=keys["address"])
        st.checkbox("委托设立的网点", key=keys["contracted"])
        if st.form_submit_button("保存修改", type="primary", key=f"se-submit-{site.id}"):
            data = {f: st.session_state[k] for f, k in keys.items()}
            with shown_errors():
                _saved(page, form, lambda s: update_site(s, site_id=site.id, data=data, by=actor(),
                                                         expected_version=version), keys)


def active_button(record: Company | Site, *, what: str) -> None:
    """停用 or 重新启用 a company (`what` = 企业) or a site (场所)."""
    kind = "company" if isinstance(record, Company) else "site"
    label = f"停用该{what}" if record.active else f"重新启用该{what}"
    if not st.button(label, key=f"{kind}-active-{record.id}", icon=":material/block:" if record.active else None):
        return
    with shown_errors(), db_session() as s:
        change = set_company_active if kind == "company" else set_site_active
        change(s, **{f"{kind}_id": record.id}, active=not record.active, by=actor())
        flash(f"已{'停用' if record.active else '重新启用'}{what}：{record.name}", "success")
        st.rerun()


def new_site_form(page: PageState, company: Company) -> None:
    """Add a site to `company`: a success blanks the form (so a second click adds nothing), a refusal keeps it."""
    with st.form("new-site", enter_to_submit=False):
        st.markdown("**添加场所（总部或服务网点）**")
        name = st.text_input(SITE_INPUTS["name"], max_chars=Limit.NAME, key="site-name")
        kind = st.radio("类型", list(SITE_LABELS), format_func=SITE_LABELS.get, horizontal=True, key="site-kind")
        address = st.text_input(SITE_INPUTS["address"], max_chars=longest(Site, "address"), key="site-address")
        contracted = st.checkbox("委托设立的网点", key="site-contracted")
        if st.form_submit_button("添加", key="site-submit"):
            with shown_errors(), db_session() as s:
                site = add_site(s, company_id=company.id, by=actor(),
                                data={"name": name, "kind": kind, "address": address, "contracted": contracted})
                page.show_next({"site-name": "", "site-address": "", "site-contracted": False})
                flash(f"已为 {company.name} 添加场所：{site.name}", "success")
                st.rerun()


def choose_site(sites: list[Site], company: Company) -> Site | None:
    by_id = {s.id: s for s in sites}
    chosen = st.selectbox("要修改的场所", list(by_id), index=None, key=f"cm-site-{company.id}", placeholder=CHOOSE,
                          format_func=lambda i: by_id[i].name + ("" if by_id[i].active else "（已停用）"))
    return by_id.get(chosen)
