"""The Streamlit pages the interface benchmarks measure against: nothing of ours runs in them.

The same-elements pages draw what the workspace and the dashboard draw, element for element, with no data
behind them: no database, no scoring, no access checks. What the real page showed that depends on the data
(clause labels, chart figures, table rows) is handed in through the session state as plain values, so the
reference draws the same amount, whatever the size of the engagement."""
from __future__ import annotations

import json
from collections import Counter

EMPTY_PAGE = "import streamlit as st\n"
ONE_WIDGET_PAGE = """import streamlit as st
st.session_state.setdefault("saves", 0)
if st.button("保存"):
    st.session_state.saves += 1
st.metric("得分", st.session_state.saves)
"""
# what a first visit pays to load and draw a plotly chart, next to an empty page
ONE_CHART_PAGE = """import streamlit as st
st.plotly_chart({"data": [{"type": "bar", "x": ["5.1", "5.2", "5.3"], "y": [40, 30, 20]}]})
"""
SHOWN = "shown"  # the session-state key under which a same-elements page gets what the real page showed

_SHELL = """import streamlit as st
shown = st.session_state["shown"]
st.html("<style>p{}</style>")  # the app's frame draws its style sheet (ui/chinese.py chinese_frame) as one element


def metrics():
    for box, (label, value) in zip(st.columns(4), [("得分", "90.00"), ("星级", "四星级"), ("结论", "暂缓决定"),
                                                   ("进度", "39 / 39")]):
        box.metric(label, value)
    st.progress(1.0)
    st.caption("有 2 项严重不符合尚未关闭。")


st.sidebar.caption("当前用户：基准组长")
st.sidebar.button("退出登录", key="logout", icon=":material/logout:")
st.title(shown["title"])
st.caption("企业 · 初次认证 · 项目 · 项目编号 1")
"""
WORKSPACE_ELEMENTS = _SHELL + """def scoring():
    metrics()
    nav, editor = st.columns([2, 3])
    with nav:
        st.selectbox("按场所筛选", ["全部场所"], key="site")
        st.segmented_control("筛选", ["全部", "未评分", "有不符合", "已删减"], default="全部", key="filter")
        up, down = st.columns(2)
        up.button("上一条", key="prev", width="stretch", icon=":material/arrow_upward:")
        down.button("下一条", key="next", width="stretch", icon=":material/arrow_downward:")
        with st.container(height=640, gap=None):
            for n, (leaf, label) in enumerate(shown["clauses"]):
                if leaf:
                    st.button(label, key=f"goto-{n}", type="primary" if n == shown["open"] else "tertiary")
                else:
                    st.markdown(f"**{label}**")
    with editor:
        with st.form("clause", border=True):
            st.markdown("**5.1.1.1 条款** · 2 分")
            st.markdown("要求")
            st.caption("应查证据：文件")
            st.caption("版本 1")
            st.radio("评价结果", ["未评分", "符合", "不符合", "抽样评分", "删减"], horizontal=True, key="result")
            left, right, wide = st.columns([1, 1, 2])
            left.number_input("抽样数", min_value=0, step=1, key="sampled")
            right.number_input("其中不符合数", min_value=0, step=1, key="nonconforming")
            wide.text_input("删减理由", key="reason")
            st.text_area("审核发现", height=68, key="finding")
            st.form_submit_button("保存", type="primary", key="save")
        for n, label in enumerate(("样本登记", "开具不符合项或观察项", "分场所记录", "修改历史")):
            st.expander(label, key=f"panel-{n}", on_change="rerun")


with st.container():  # what st.fragment draws its content in
    scoring()
for n, label in enumerate(("特别扣分项 0 项 · 特别加分项 0 项", "离线评分表（Excel）：现场离线评分后导入")):
    st.expander(label, key=f"lower-{n}", on_change="rerun")
st.caption("评分表说明")
"""
DASHBOARD_ELEMENTS = _SHELL + """metrics()
charts, tables = iter(shown["charts"]), iter(shown["tables"])
st.caption("实际得分 90.00 / 涉及项分值 100，特别扣分 0 项，特别加分 0 项")
st.download_button("下载评价数据（JSON）", shown["document"], file_name="assessment.json", key="download")
choice, build, download = st.columns([2, 1, 1], vertical_alignment="bottom")
choice.selectbox("导出文档", ["评价报告", "不符合项报告"], key="kind")
build.button("生成评价报告", key="build", icon=":material/description:")
note, issue, archive = st.columns([2, 1, 1], vertical_alignment="center")
note.caption("签发：保存所选文档的 Word 原件和 PDF 及其 SHA-256")
issue.button("签发评价报告", key="issue")
archive.button("生成项目归档（ZIP）", key="archive")
note, backup, held = st.columns([2, 1, 1], vertical_alignment="center")
note.caption("项目备份")
backup.button("备份本项目（ZIP）", key="backup", icon=":material/archive:")
st.subheader("推荐意见与认证决定")
st.markdown("项目状态：**计划中**")
st.markdown("评价组推荐意见：尚未记录")
st.button("开始评价", key="start")
left, right = st.columns([3, 2])
with left:
    for n in range(2):
        st.plotly_chart(next(charts), key=f"chart-{n}")
with right:
    st.markdown("**升至五星级（≥ 95）：最少需将以下条款改为符合**")
    st.dataframe(next(tables), hide_index=True, width="stretch")
    st.caption("完成后得分约为 95.00")
    st.subheader("最近修改")
    st.dataframe(next(tables), hide_index=True, width="stretch")
st.plotly_chart(next(charts), key="history")
st.subheader("不符合项")
for box, label in zip(st.columns(3), ("不符合项总数", "未关闭", "逾期")):
    box.metric(label, 10)
for message in shown["overdue"]:
    st.error(message, icon=":material/schedule:")
for n, (box, figure) in enumerate(zip(st.columns(3), charts)):
    box.plotly_chart(figure, key=f"nc-{n}")
st.subheader("分场所汇总")
st.caption("尚无场所访问记录，也没有注明场所的发现、不符合项或证据。")
st.caption("评分表说明")
"""


def element_counts(at) -> Counter:
    """How many elements of each kind a page drew (AppTest), in the main area and the sidebar."""
    return Counter(getattr(e, "type", "") if type(e).__name__ == "UnknownElement" else type(e).__name__
                   for area in (at.main, at.sidebar) for e in area)


def dashboard_shown(at) -> dict:
    """What the dashboard drew from its data, as plain values: figures (without the template plotly adds to
    every figure anyway), table rows, the overdue lines and the size of the assessment download."""
    charts = []
    for element in at.main:
        if getattr(element, "type", "") == "plotly_chart":
            figure = json.loads(element.proto.spec)
            figure.get("layout", {}).pop("template", None)
            charts.append(figure)
    return {"title": "仪表板", "charts": charts, "tables": [t.value.to_dict("records") for t in at.dataframe],
            "overdue": [e.value for e in at.error], "document": b"{}" * 4096}


def workspace_shown(tree, open_code: str) -> dict:
    """The workspace's clause list as the navigator draws it: indicator headings and clause buttons in tree order."""
    nodes = list(tree.walk())
    return {"title": "评分工作台", "clauses": [(n.is_leaf, f"{n.code} {n.name}") for n in nodes],
            "open": next(i for i, n in enumerate(nodes) if n.code == open_code)}
