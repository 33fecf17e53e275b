"""服务记录分析's panels: importing a log with the mapping confirmed, the service targets, the checks and charts
of a log against a target, and drawing a sample into a clause's register."""
from __future__ import annotations

import hashlib

import streamlit as st

from config import settings
from criteria.model import Tree
from errors import AuditError
from evidence.services import list_evidence
from samples.imports import confirm_import, draw_into_register, import_timeliness, preview_log
from samples.targets import TargetEntry, describe_target, measure_target, missed, record_target, time_limit
from ui.chinese import CHOOSE, PLOTLY_CONFIG, upload_note
from ui.current import actor
from ui.feedback import flash, shown_errors
from ui.page_state import PageState
from ui.records_charts import monthly_rates, time_taken
from ui.state import db_session, evidence_store
from ui.text import md
from vocabulary import (
    COMPARISON_LABELS,
    LIMIT_UNIT_LABELS,
    LOG_FIELD_LABELS,
    LOG_KIND_LABELS,
    TARGET_METRIC_LABELS,
    LogField,
    TargetMetric,
)

NONE = ""
STATE_WORDS = {None: "尚无实测", True: "未达成", False: "达成"}


def import_panel(page: PageState, engagement_id: int) -> None:
    kind = st.selectbox("记录类型", list(LOG_KIND_LABELS), format_func=LOG_KIND_LABELS.get, key="records-kind", placeholder=CHOOSE)
    upload = st.file_uploader("企业的记录（Excel .xlsx 或 CSV，UTF-8 或 GBK 编码）", type=["xlsx", "csv"],
                              key="records-file", max_upload_size=settings().max_upload_mb)
    upload_note(["xlsx", "csv"], settings().max_upload_mb)
    if upload is None:
        return
    data = upload.getvalue()
    shown = _preview(page, engagement_id, kind, upload.name, data)
    if shown is None:
        return
    _mapping_form(shown.raw.headers)
    encoding = f"，编码 {shown.raw.encoding}" if shown.raw.encoding else ""
    st.caption(f"共 {len(shown.parsed.table)} 行{encoding}，发现 {len(shown.parsed.problems)} 处问题。"
               "有问题的行会保留并标出，不参与抽样和比率计算。")
    if shown.parsed.problems:
        st.dataframe([{"行": p.row or "", "列": p.column, "问题": p.message} for p in shown.parsed.problems[:500]],
                     hide_index=True, width="stretch", key="records-problems")
    if not shown.parsed.table.empty:
        st.dataframe(shown.parsed.table.head(20).rename(columns={**LOG_FIELD_LABELS, "row": "行", "problem": "问题"}),
                     hide_index=True, width="stretch", key="records-preview")
    mapping = shown.mapping
    if st.button("确认列的对应并导入", type="primary", key="records-confirm"):
        try:
            with db_session() as s:
                record = confirm_import(s, evidence_store(), engagement_id=engagement_id, kind=kind, name=upload.name,
                                        data=data, mapping=mapping, by=actor(),
                                        max_bytes=settings().max_upload_mb * 2**20)
        except AuditError as exc:
            st.error(f"未导入：{exc.message}")
            return
        flash(f"已导入《{record.file_name}》{record.rows} 行；原始文件和解析结果已保存", "success")
        page.chosen.pop("records-file", None)
        page.kept.pop("records-preview", None)
        st.rerun()


def _preview(page: PageState, engagement_id: int, kind: str, name: str, data: bytes):
    """The preview with the mapping the widgets hold (a new file first gets the remembered or guessed one); kept
    for the page's reruns until the file or the mapping changes. None when the file cannot be read (shown)."""
    fingerprint = f"{kind}-{hashlib.sha256(data).hexdigest()}"
    with shown_errors(), db_session() as s:
        if page.chosen.get("records-file") != fingerprint:
            guessed = preview_log(s, engagement_id=engagement_id, kind=kind, name=name, data=data, mapping=None,
                                  by=actor())
            page.chosen["records-file"] = fingerprint
            for fld in LogField:
                st.session_state[f"records-map-{fld}"] = guessed.mapping.get(fld, NONE)
            st.session_state["records-remembered"] = guessed.remembered
        mapping = {fld: st.session_state.get(f"records-map-{fld}", NONE) for fld in LogField}
        stamp = (fingerprint, tuple(mapping.items()))
        kept = page.kept.get("records-preview")
        if kept is None or kept[0] != stamp:
            kept = (stamp, preview_log(s, engagement_id=engagement_id, kind=kind, name=name, data=data,
                                       mapping=mapping, by=actor()))
            page.kept["records-preview"] = kept
        return kept[1]
    page.chosen.pop("records-file", None)  # refused: the next file (or this one again) starts afresh
    return None


def _mapping_form(headers: list[str]) -> None:
    if st.session_state.get("records-remembered"):
        st.caption("已按上次为该企业确认的列对应填好，请核对。")
    else:
        st.caption("已按表头猜测列的对应，请核对（单号和受理时间必须对应）。")
    cols = st.columns(4)
    for i, fld in enumerate(LogField):
        cols[i % 4].selectbox(LOG_FIELD_LABELS[fld], [NONE, *headers], key=f"records-map-{fld}", placeholder=CHOOSE,
                              format_func=lambda h: h or "（不对应）")


def targets_table(targets: list) -> None:
    if not targets:
        st.caption("尚未记录服务目标。")
        return
    st.dataframe([{"条款": t.code, "目标": describe_target(t), "实测": "" if t.measured is None else f"{t.measured:g}%",
                   "状态": STATE_WORDS[missed(t)], "依据": "导入记录" if t.measured_import_id else
                   ("证据文件" if t.evidence_id else "")} for t in targets],
                 hide_index=True, width="stretch", key="records-targets")


def target_form(engagement_id: int, tree: Tree) -> None:
    with db_session() as s:
        files = {e.id: e.name for e in list_evidence(s, engagement_id, by=actor())}
    codes = [leaf.code for leaf in tree.leaves()]
    with st.form("records-target-form", enter_to_submit=False):
        a, b, c, d = st.columns([2, 2, 1, 1])
        a.selectbox("条款", codes, key="records-target-code", placeholder=CHOOSE)
        b.selectbox("指标", list(TARGET_METRIC_LABELS), format_func=TARGET_METRIC_LABELS.get, key="records-target-metric", placeholder=CHOOSE)
        c.selectbox("比较", list(COMPARISON_LABELS), format_func=COMPARISON_LABELS.get, key="records-target-cmp", placeholder=CHOOSE)
        d.number_input("目标（%）", 0.0, 100.0, 90.0, key="records-target-value")
        a, b, c, d = st.columns(4)
        a.number_input("时限", 0.0, 10_000.0, 24.0, key="records-target-limit", help="服务及时率必填")
        b.selectbox("单位", list(LIMIT_UNIT_LABELS), format_func=LIMIT_UNIT_LABELS.get, key="records-target-unit", placeholder=CHOOSE)
        c.selectbox("计时至", [LogField.RESPONDED, LogField.ON_SITE, LogField.RESOLVED], index=1,
                    format_func=LOG_FIELD_LABELS.get, key="records-target-to", placeholder=CHOOSE)
        d.number_input("距离范围（公里，0 为不限）", 0.0, 10_000.0, 0.0, key="records-target-km")
        a, b = st.columns(2)
        a.number_input("手工填写的实测值（%，留空则从导入记录计算）", 0.0, 100.0, None, key="records-target-measured")
        b.selectbox("实测值的依据（证据文件）", [None, *files], format_func=lambda i: "（无）" if i is None else files[i],
                    key="records-target-evidence", placeholder=CHOOSE)
        st.form_submit_button("记录服务目标", key="records-target-save", on_click=_record, args=(engagement_id, tree))


def _record(engagement_id: int, tree: Tree) -> None:
    state = st.session_state
    timely = state["records-target-metric"] == TargetMetric.TIMELINESS
    entry = TargetEntry(state["records-target-code"], state["records-target-metric"], state["records-target-cmp"],
                        float(state["records-target-value"]), None,
                        float(state["records-target-limit"]) if timely else None,
                        state["records-target-unit"] if timely else None, state["records-target-to"],
                        float(state["records-target-km"]) or None if timely else None,
                        state["records-target-measured"], state["records-target-evidence"])
    try:
        with db_session() as s:
            saved = record_target(s, engagement_id=engagement_id, entry=entry, tree=tree, by=actor())
    except AuditError as exc:
        flash(f"未记录：{exc.message}")
        return
    flash(f"已记录服务目标：{describe_target(saved)}", "toast")


def analysis_panel(engagement_id: int, imports: list, targets: list, *, may_rate: bool) -> None:
    """The chosen log checked against a chosen timeliness target: the share, the charts, and measuring it."""
    timely = [t for t in targets if time_limit(t)]
    if not imports or not timely:
        st.caption("导入记录并记录带时限的服务目标后，这里显示核对结果和图表。")
        return
    by_id, target_by_id = {r.id: r for r in imports}, {t.id: t for t in timely}
    left, right = st.columns(2)
    chosen = left.selectbox("分析哪份记录", list(by_id), key="records-analysis-import", placeholder=CHOOSE,
                            format_func=lambda i: f"{LOG_KIND_LABELS[by_id[i].kind]}《{by_id[i].file_name}》")
    target = target_by_id[right.selectbox("服务目标", list(target_by_id), key="records-analysis-target", placeholder=CHOOSE,
                                          format_func=lambda i: f"{target_by_id[i].code} {describe_target(target_by_id[i])}")]
    limit = time_limit(target)
    with shown_errors(), db_session() as s:  # the same computation measure_target keeps as the measured value
        found = import_timeliness(s, evidence_store(), chosen, limit, by=actor())
    share = found.share
    st.metric("按记录计算的及时率", "—" if share is None else f"{share:g}%",
              delta=None if share is None else f"{share - target.target:+.1f} 个百分点（目标 {target.target:g}%）")
    unit = LIMIT_UNIT_LABELS[limit.unit]
    st.plotly_chart(time_taken(found.taken, limit.value, unit, f"用时分布（{md(limit.text())}）"), key="records-hist",
                    config=PLOTLY_CONFIG)
    months = found.months
    st.plotly_chart(monthly_rates(months["month"].tolist(), months["share"].tolist(), months["cases"].tolist(),
                                  target.target, "各月及时率与目标"), key="records-monthly", config=PLOTLY_CONFIG)
    if may_rate and st.button("以此记录作为该目标的实测值", key="records-measure"):
        with shown_errors(), db_session() as s:
            saved = measure_target(s, evidence_store(), target_id=target.id, import_id=chosen, by=actor())
            flash(f"已记录实测值 {saved.measured:g}%", "toast")
            st.rerun()


def draw_panel(engagement_id: int, tree: Tree, imports: list, targets: list) -> None:
    timely = {t.id: t for t in targets if time_limit(t)}
    if not imports or not timely:
        st.caption("需要一份导入的记录和一个带时限的服务目标。")
        return
    by_id = {r.id: r for r in imports}
    with st.form("records-draw-form", enter_to_submit=False):
        a, b = st.columns(2)
        a.selectbox("从哪份记录抽取", list(by_id), key="records-draw-import", placeholder=CHOOSE,
                    format_func=lambda i: f"{LOG_KIND_LABELS[by_id[i].kind]}《{by_id[i].file_name}》")
        b.selectbox("按哪个目标的时限判定", list(timely), key="records-draw-target", placeholder=CHOOSE,
                    format_func=lambda i: f"{timely[i].code} {describe_target(timely[i])}")
        a, b, c = st.columns(3)
        a.selectbox("登记到条款", [leaf.code for leaf in tree.leaves()], key="records-draw-code", placeholder=CHOOSE)
        b.number_input("样本数量", 1, 500, 20, key="records-draw-size")
        c.number_input("随机种子（留空则随机生成并保存）", 0, 2**31 - 1, None, key="records-draw-seed")
        st.form_submit_button("随机抽取并登记", key="records-draw-submit", on_click=_draw, args=(tree, timely))


def _draw(tree: Tree, timely: dict) -> None:
    state = st.session_state
    seed = state["records-draw-seed"]
    try:
        with db_session() as s:
            rows = draw_into_register(s, evidence_store(), import_id=state["records-draw-import"],
                                      code=state["records-draw-code"], size=int(state["records-draw-size"]),
                                      limit=time_limit(timely[state["records-draw-target"]]), tree=tree, by=actor(),
                                      seed=None if seed is None else int(seed))
    except AuditError as exc:
        flash(f"未抽取：{exc.message}")
        return
    failed = sum(not r.conforms for r in rows)
    flash(f"已向条款 {state['records-draw-code']} 登记 {len(rows)} 个样本，其中 {failed} 个不符合", "success")
