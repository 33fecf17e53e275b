"""指标树: browse any loaded indicator tree, and see which tree files could not be loaded."""
import streamlit as st

from criteria.model import PROVENANCE_LABELS, points_text
from ui.labels import PROVENANCE_BADGES
from ui.state import tree_registry
from ui.text import md

st.title("指标树")
registry = tree_registry()
entries = registry.entries()
trees = [e.tree for e in entries if e.tree]
for entry in entries:
    if entry.error:
        st.error(f"无法加载指标树文件 {entry.path.name}：\n\n" + md(entry.error))

tree = st.selectbox("选择指标树", trees, format_func=lambda t: f"{t.title}（{t.ref}）", key="browse-tree")
if tree:
    st.caption(f"{len(tree.leaves())} 个评分条款，合计 {points_text(tree.total_points)} 分。来源文件：{tree.source}")
    st.caption("；".join(f"{label}" for label in PROVENANCE_LABELS.values()) + "：每个节点标注其来源可信度。")
    for top in tree.indicators:
        st.subheader(f"{top.code} {top.name}（{points_text(top.points)} 分）")
        for second in top.children:
            with st.expander(f"{second.code} {second.name} · {points_text(second.points)} 分 · {len(second.leaves())} 条"):
                for leaf in second.leaves():
                    st.markdown(f"**{md(leaf.code)} {md(leaf.name)}** · {points_text(leaf.points)} 分 "
                                f"{PROVENANCE_BADGES[leaf.provenance]}" + (" :blue-badge[抽样评分]" if leaf.sampled else ""))
                    st.markdown(md(leaf.requirement))
                    if leaf.requirement_en:
                        st.caption(md(leaf.requirement_en))
                    st.caption("应查证据：" + md("；".join(leaf.evidence)))
