"""评价计划 on the preparation page: the versions with their sending and the company's answer, the draft form,
sending, revising, the client's answer and the Word document. Offers only what accounts.access.permits allows."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from config import settings
from criteria.model import Tree
from cycle.plans import PlanContent, PlanRecord, answer_plan, revise_plan, save_plan, send_plan, version_of
from cycle.rules import agenda_text, parse_agenda
from issuance.services import plan_version_document
from records.models import Site, TeamMember
from ui.chinese import CHOOSE_MANY, table
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.report_download import DOCX
from ui.state import db_session, evidence_store
from ui.text import md, md_lines
from vocabulary import PLAN_RESPONSE_LABELS, Limit, PlanResponse


@dataclass(frozen=True)
class PlanView:
    """What the plan section draws from, read once by the page."""

    engagement_id: int
    tree: Tree
    record: PlanRecord
    team: list[TeamMember]
    sites: list[Site]            # the company's active sites
    manage: bool                 # may edit, send and revise (MANAGE_ENGAGEMENT)
    answer: bool                 # may answer the sent version (ANSWER_PLAN)
    settled: bool                # decided or closed: nothing changes


def plan_section(page: PageState, view: PlanView) -> None:
    st.subheader("评价计划")
    record, eid = view.record, view.engagement_id
    if record.plan is None or not record.versions:
        st.caption("尚无评价计划。" if view.manage else "评价计划尚未发送。")
    else:
        st.markdown(f"计划编号 **{record.plan.number}**")
        history(record)
        content(view, record.latest)
        download(page, view)
    latest = record.latest
    if view.manage and not view.settled:
        if latest is None or latest.sent_on is None:
            draft_form(page, view)
        else:
            revise_form(page, eid, view.tree)
    if view.answer and latest is not None and latest.sent_on and latest.response == PlanResponse.PENDING:
        answer_form(page, eid, latest.version)


def history(record: PlanRecord) -> None:
    table([{"版本": f"第 {v.version} 版", "发送日期": f"{v.sent_on:%Y-%m-%d}" if v.sent_on else "草稿（未发送）",
            "发送人": v.sent_by or "", "按时": ("逾期发送" if record.late.get(v.version) else "按时") if v.sent_on else "",
            "最迟发送日": f"{record.deadlines[v.version]:%Y-%m-%d}" if v.version in record.deadlines else "",
            "企业答复": PLAN_RESPONSE_LABELS[PlanResponse(v.response)] if v.sent_on else "",
            "答复理由": v.response_reason, "修订理由": v.revision_reason} for v in reversed(record.versions)],
          empty="尚无版本。")
    late = [v.version for v in record.versions if record.late.get(v.version)]
    if late:
        st.warning("第 " + "、".join(map(str, late)) + " 版晚于规定的提前天数发送。", icon=":material/schedule:")


def content(view: PlanView, v) -> None:
    sites = {s.id: s.name for s in view.sites}
    with st.expander(f"第 {v.version} 版内容", expanded=v.sent_on is not None):
        days = " 至 ".join(f"{d:%Y-%m-%d}" for d in dict.fromkeys(filter(None, (v.visit_start, v.visit_end))))
        st.markdown(f"**现场评价日期：** {days or '待定'}  \n**评价目的：** {md_lines(v.objectives) or '—'}  \n"
                    f"**评价范围：** {md_lines(v.scope) or '—'}  \n**评价依据：** {md(v.criteria) or '—'}")
        table([{"时间": r.get("time", ""), "内容": r["item"], "负责人": r.get("who", "")} for r in v.agenda],
              empty="日程待定。")
        table([{"评价组成员": a["member"], "负责指标": "、".join(a["indicators"]),
                "负责场所": "、".join(sites.get(i, str(i)) for i in a["sites"])} for a in v.assignments], empty="分工待定。")
        st.caption("拟访问场所：" + ("、".join(md(sites.get(i, str(i))) for i in v.site_ids) or "待定"))


def download(page: PageState, view: PlanView) -> None:
    """The chosen version's Word file (the body's plan template when one is active), built when asked for (not on
    every rerun) and kept for that version."""
    eid, versions = view.engagement_id, [v.version for v in view.record.versions]
    choice, build, button = st.columns([2, 1, 1], vertical_alignment="bottom")
    version = choice.selectbox("下载版本", versions[::-1], format_func=lambda n: f"第 {n} 版",
                               key=f"plan-doc-version-{eid}")
    kept = f"plan-docx-{eid}-{version}-{version_of(next(v for v in view.record.versions if v.version == version))}"
    if build.button("生成 Word 文档", key=f"plan-build-{eid}", icon=":material/description:"):
        with shown_errors(), db_session() as s:
            page.kept[kept] = plan_version_document(s, evidence_store(), engagement_id=eid, version=version,
                                                    tree=view.tree, by=actor(), body_name=settings().body_name,
                                                    timeout=settings().template_timeout_seconds)[1]
    if kept in page.kept:
        button.download_button("下载评价计划（Word）", page.kept[kept],
                               file_name=f"{view.record.plan.number}-v{version}.docx", mime=DOCX,
                               key=f"plan-download-{eid}", icon=":material/download:")


def _seed(page: PageState, form: str, view: PlanView) -> int:
    """The draft's version this form stands for; its widgets get the stored draft when it is first drawn."""
    eid, v = view.engagement_id, view.record.latest
    current = version_of(v)
    if form not in page.seen:
        c = v or PlanContent(criteria=f"GB/T 27922《商品售后服务评价体系》；{view.tree.title}")
        values = {"objectives": c.objectives, "scope": c.scope, "criteria": c.criteria, "start": c.visit_start,
                  "end": c.visit_end, "agenda": agenda_text(c.agenda), "sites": list(c.site_ids)}
        values = {f"plan-{name}-{eid}": value for name, value in values.items()}
        chosen = {a["member"]: a for a in c.assignments}
        for m in view.team:
            values[f"plan-indicators-{eid}-{m.id}"] = chosen.get(m.name, {}).get("indicators", [])
            values[f"plan-member-sites-{eid}-{m.id}"] = chosen.get(m.name, {}).get("sites", [])
        st.session_state.update(values)
        page.saw(form, current)
    return page.seen[form]


def draft_form(page: PageState, view: PlanView) -> None:
    eid, tree, form = view.engagement_id, view.tree, f"plan-{view.engagement_id}"
    expected = _seed(page, form, view)
    if expected != version_of(view.record.latest):
        st.warning("草稿在您打开之后已被他人修改。", icon=":material/sync_problem:")
        if st.button("载入最新草稿（放弃我的修改）", key=f"plan-reload-{eid}"):
            page.forget(form)
            st.rerun()
    codes = [n.code for n in tree.walk()]
    sites = {s.id: s.name for s in view.sites}
    with st.form(f"plan-form-{eid}", enter_to_submit=False):
        st.markdown("**编辑评价计划草稿**")
        objectives = st.text_area("评价目的", max_chars=Limit.TEXT, key=f"plan-objectives-{eid}", height=68)
        scope = st.text_area("评价范围", max_chars=Limit.TEXT, key=f"plan-scope-{eid}", height=68)
        criteria = st.text_input("评价依据", max_chars=Limit.REASON, key=f"plan-criteria-{eid}")
        left, right = st.columns(2)
        start = left.date_input("现场评价开始日期", key=f"plan-start-{eid}", format="YYYY-MM-DD")
        end = right.date_input("现场评价结束日期", key=f"plan-end-{eid}", format="YYYY-MM-DD")
        agenda = st.text_area("日程（每行一项：时间｜内容｜负责人）", key=f"plan-agenda-{eid}", height=120,
                              placeholder="12-03 09:00 | 首次会议 | 张审查")
        visit = st.multiselect("拟访问场所（总部始终包含）", list(sites), format_func=sites.get,
                               key=f"plan-sites-{eid}", placeholder=CHOOSE_MANY)
        st.markdown("评价组分工")
        assignments = []
        for m in view.team:
            one, two = st.columns(2)
            indicators = one.multiselect(f"{m.name} 负责的指标", codes, key=f"plan-indicators-{eid}-{m.id}",
                                         format_func=lambda c: f"{c} {tree.node(c).name}", placeholder=CHOOSE_MANY)
            where = two.multiselect(f"{m.name} 负责的场所", list(sites), format_func=sites.get,
                                    key=f"plan-member-sites-{eid}-{m.id}", placeholder=CHOOSE_MANY)
            assignments.append({"member": m.name, "indicators": indicators, "sites": where})
        if st.form_submit_button("保存草稿", key=f"plan-save-{eid}", type="primary"):
            with shown_errors(), db_session() as s:
                plan = PlanContent(objectives=objectives, scope=scope, criteria=criteria, visit_start=start,
                                   visit_end=end, agenda=parse_agenda(agenda), assignments=assignments,
                                   site_ids=visit)
                save_plan(s, engagement_id=eid, content=plan, expected_version=expected, tree=tree, by=actor())
                page.forget(form)
                flash("评价计划草稿已保存", "success")
                st.rerun()
    if view.record.latest is None:
        return
    st.caption("“发送给企业”发送已保存的草稿；发送后内容不能再改，只能修订为新版本。")
    if st.button("发送给企业", key=f"plan-send-{eid}", icon=":material/send:"):
        with shown_errors(), db_session() as s:
            sent = send_plan(s, engagement_id=eid, expected_version=expected, tree=tree, by=actor())
            page.forget(form)
            flash(f"评价计划第 {sent.version.version} 版已发送", "success")
            if sent.warning:
                flash(sent.warning, "warning")
            st.rerun()


def revise_form(page: PageState, engagement_id: int, tree: Tree) -> None:
    with st.form(f"plan-revise-form-{engagement_id}", enter_to_submit=False):
        st.markdown("**修订评价计划**（生成新版本草稿，已发送的版本保持不变）")
        reason = st.text_area("修订理由 *", max_chars=Limit.REASON, key=f"plan-revise-reason-{engagement_id}",
                              height=68)
        if st.form_submit_button("修订计划", key=f"plan-revise-{engagement_id}"):
            with shown_errors(), db_session() as s:
                draft = revise_plan(s, engagement_id=engagement_id, reason=reason, tree=tree, by=actor())
                page.show_next({f"plan-revise-reason-{engagement_id}": ""})
                page.forget(f"plan-{engagement_id}")
                flash(f"已生成第 {draft.version} 版草稿，可修改后重新发送", "success")
                st.rerun()


def answer_form(page: PageState, engagement_id: int, version: int) -> None:
    with st.form(f"plan-answer-form-{engagement_id}", enter_to_submit=False):
        st.markdown(f"**答复评价计划第 {version} 版**")
        response = st.radio("答复", [PlanResponse.ACKNOWLEDGED, PlanResponse.OBJECTED], horizontal=True,
                            format_func={PlanResponse.ACKNOWLEDGED: "确认计划", PlanResponse.OBJECTED: "提出异议"}.get,
                            key=f"plan-answer-{engagement_id}")
        reason = st.text_area("异议理由（提出异议时必填）", max_chars=Limit.TEXT, height=68,
                              key=f"plan-answer-reason-{engagement_id}")
        if st.form_submit_button("提交答复", key=f"plan-answer-submit-{engagement_id}", type="primary"):
            with shown_errors(), db_session() as s:
                answer_plan(s, engagement_id=engagement_id, version=version, response=response, reason=reason,
                            by=actor())
                page.show_next({f"plan-answer-reason-{engagement_id}": ""})
                flash("已答复评价计划", "success")
                st.rerun()
