"""The parts of the 认证周期 page: the table of cycles and engagements, the charts, the reported changes with the
form to report one and the body's answer."""
from __future__ import annotations

import streamlit as st

from criteria.registry import DEFAULT_TREE_ID
from cycle.changes import COMPANY_VALUES, VALUE_LABELS, answer_change, report_change
from cycle.cycles import CompanyCycles
from cycle.models import ReportedChange
from cycle.timeline import ScoredEngagement, Span, score_series
from records.models import Company
from timefmt import local_today
from ui.charts import cycle_timeline, indicator_lines
from ui.chinese import CHOOSE, PLOTLY_CONFIG, table
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.state import db_session, tree_registry
from ui.text import local_time
from vocabulary import (
    CERTIFICATE_STATE_LABELS,
    CERTIFICATION_OUTCOME_LABELS,
    CHANGE_KIND_LABELS,
    CHANGE_RESPONSE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    ChangeKind,
    ChangeResponse,
    Limit,
)

ANSWERS = [r for r in ChangeResponse if r != ChangeResponse.PENDING]


def engagement_table(seen: CompanyCycles) -> None:
    rows = []
    for view in seen.cycles:
        certificates = "、".join(f"{c.number}（{CERTIFICATE_STATE_LABELS[c.state]}，至 {c.expires_on}）"
                                 for c in view.certificates)
        rows += [_row(f"第 {view.number} 个周期", line, certificates) for line in view.engagements]
    rows += [_row("不在周期内", line, "") for line in seen.outside]
    table(rows, empty="该企业尚无您可查看的评价项目。")


def _row(cycle: str, line, certificates: str) -> dict:
    e, d = line.engagement, line.decision
    return {"认证周期": cycle, "项目编号": e.id, "类型": KIND_LABELS[e.kind], "名称": e.title,
            "日期": f"{e.start_date or '未定'} 至 {e.end_date or '未定'}", "状态": STATUS_LABELS[e.status],
            "认证决定": f"{CERTIFICATION_OUTCOME_LABELS[d.outcome]}（{d.decided_on}）" if d else "",
            "证书": certificates}


def charts(spans: list[Span], scored: list[ScoredEngagement]) -> None:
    if spans:
        st.plotly_chart(cycle_timeline(spans, local_today()), key="cycle-timeline", config=PLOTLY_CONFIG)
    series = score_series(scored)
    if series:
        st.plotly_chart(indicator_lines(series), key="cycle-scores", config=PLOTLY_CONFIG)
    else:
        st.caption("尚无已评分的认证评价，暂无得分变化图。")


def changes_table(changes: list[ReportedChange]) -> None:
    table([{"编号": c.id, "报告日期": str(c.reported_on), "类型": CHANGE_KIND_LABELS[c.kind], "说明": c.description,
            "变更内容": "；".join(f"{VALUE_LABELS[k]}：{c.before.get(k) or '（空）'} → {v}" for k, v in c.after.items()),
            "登记人": c.recorded_by, "处理": CHANGE_RESPONSE_LABELS[c.response],
            "处理说明": c.response_note + (f"（特殊评价项目 {c.special_engagement_id}）" if c.special_engagement_id else ""),
            "处理人": c.responded_by or "", "处理时间": local_time(c.responded_at) if c.responded_at else ""}
           for c in changes], empty="尚无企业变更记录。")


def report_form(page: PageState, company: Company) -> None:
    """Report a change of `company`: a success blanks the form, a refusal keeps what was typed."""
    with st.form("change-report", enter_to_submit=False):
        st.markdown("**登记企业变更**")
        kind = st.selectbox("变更类型 *", list(ChangeKind), format_func=CHANGE_KIND_LABELS.get, key="chg-kind",
                            index=None, placeholder=CHOOSE)
        value = st.text_input("新的值（企业名称、统一社会信用代码、地址或认证的服务变更时填写）",
                              max_chars=Limit.REASON, key="chg-value")
        description = st.text_area("变更说明 *", max_chars=Limit.TEXT, key="chg-description", height=80)
        reported_on = st.date_input("报告日期", value=local_today(), max_value=local_today(), key="chg-date",
                                    format="YYYY-MM-DD")
        if st.form_submit_button("登记变更", type="primary", key="chg-submit"):
            field = COMPANY_VALUES.get(kind, "services" if kind == ChangeKind.SERVICES else None)
            with shown_errors(), db_session() as s:
                change = report_change(s, company_id=company.id, kind=kind, description=description,
                                       new_values={field: value} if field and value.strip() else None,
                                       reported_on=reported_on or local_today(), by=actor())
                page.show_next({"chg-value": "", "chg-description": "", "chg-kind": None})
                flash(f"已登记变更 {change.id}：{CHANGE_KIND_LABELS[change.kind]}", "success")
                st.rerun()


def answer_forms(page: PageState, changes: list[ReportedChange], seen: CompanyCycles) -> None:
    """The body's answer to each pending change; a special audit is opened on the tree of the company's latest
    engagement."""
    pending = [c for c in changes if c.response == ChangeResponse.PENDING]
    for change in pending:
        with st.form(f"chg-answer-{change.id}", enter_to_submit=False):
            st.markdown(f"**处理变更 {change.id}：{CHANGE_KIND_LABELS[change.kind]}**")
            response = st.radio("处理方式", ANSWERS, format_func=CHANGE_RESPONSE_LABELS.get, horizontal=True,
                                key=f"chg-response-{change.id}")
            note = st.text_input("处理说明（无需处理时必填）", max_chars=Limit.REASON, key=f"chg-note-{change.id}")
            if st.form_submit_button("提交处理", type="primary", key=f"chg-answer-submit-{change.id}"):
                with shown_errors(), db_session() as s:
                    answer_change(s, change_id=change.id, response=response, note=note, by=actor(),
                                  tree=tree_registry().get(_latest_tree(seen)))
                    page.show_next({f"chg-note-{change.id}": ""})
                    flash(f"变更 {change.id} 已处理：{CHANGE_RESPONSE_LABELS[response]}", "success")
                    st.rerun()


def _latest_tree(seen: CompanyCycles) -> str:
    lines = [line for view in seen.cycles for line in view.engagements] + seen.outside
    return max(lines, key=lambda line: line.engagement.id).engagement.tree_ref if lines else DEFAULT_TREE_ID
