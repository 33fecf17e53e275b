"""快速评分: score a tree in memory, without saving; the score and star move as clauses are rated."""
import streamlit as st

from audits.ratings import RatingEntry
from errors import AssessmentInvalid
from scoring import score
from scoring.assessment import assessment_from_entries, checked_entry, entry_warnings
from ui.chinese import CHOOSE
from ui.clause_form import UNRATED, clause_form
from ui.feedback import shown_errors
from ui.page_state import page_state
from ui.score_summary import indicator_charts, next_star_panel, provenance_note, score_metrics
from ui.state import tree_registry

st.title("快速评分")
st.caption("在内存中试评，不会保存；关闭页面即丢失。")
trees = tree_registry().trees()
tree = st.selectbox("指标树", trees, format_func=lambda t: f"{t.title}（{t.ref}）", key="quick-tree",
                    placeholder=CHOOSE)
inputs: dict[str, RatingEntry] = page_state("quick").kept.setdefault(tree.ref, {})  # each tree its own trial
summary = st.container()


for top, tab in zip(tree.indicators, st.tabs([f"{n.code} {n.name}" for n in tree.indicators]), strict=True):
    with tab:
        for second in top.children:
            st.subheader(f"{second.code} {second.name}")
            for leaf in second.leaves():
                # keyed by tree too: two trees share clause codes, and each keeps its own trial ratings
                entered = clause_form(leaf, inputs.get(leaf.code, UNRATED), key=f"{tree.ref}/{leaf.code}")
                if entered is not None:
                    with shown_errors():
                        try:
                            inputs[leaf.code] = checked_entry(entered, leaf)
                        except AssessmentInvalid as exc:
                            raise AssessmentInvalid(f"未保存：{exc.message}") from None
                        st.toast(f"{leaf.code} 已更新")
                        for warning in entry_warnings(entered):
                            st.warning(f"{leaf.code}：{warning}")

result = score(tree, assessment_from_entries(tree, inputs))
with summary:
    score_metrics(result)
    with st.expander("图表与升星路径"):
        next_star_panel(tree, result)
        indicator_charts(result)
    provenance_note(tree)
