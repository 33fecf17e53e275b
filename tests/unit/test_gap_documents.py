"""A pre-audit speaks as a gap analysis in every document: readiness, a predicted star and what to fix first,
never a conclusion, a recommendation, a decision or a decision maker's signature (issue 15 item 5)."""
import io

import pytest
from docx import Document

from exports.context import build_report_context
from exports.documents import DOCUMENTS, document_label
from exports.wording import predicted, readiness, wording
from scoring import Star
from tests.unit.test_word_report import TREE, all_text, snapshot

FORBIDDEN = ("可予认证", "不予通过", "暂缓决定", "认证决定", "推荐")
GAP_WORDS = {"report": ("差距分析报告", "准备度", "预计星级", "优先整改"), "nonconformities": ("差距项报告", "差距分析"),
             "result": ("准备度", "预计星级", "优先整改条款"), "plan": ("预评价计划", "差距分析")}
HALF_RATED = 20


def pre_audit(rated: int = HALF_RATED) -> dict:
    snap = snapshot()
    codes = [leaf.code for leaf in TREE.leaves()][:rated]
    snap["ratings"] = [r for r in snap["ratings"] if r["code"] in codes]
    snap["exclusions"], snap["special_deductions"] = [], []
    snap["engagement"] = {"id": 1, "kind": "pre_audit", "title": "认证前预评价", "start_date": "2026-09-08"}
    snap["team"] = [{"name": "陈顾问", "role": "consultant"}]
    return snap


def text_of(docx: bytes) -> str:
    return all_text(Document(io.BytesIO(docx)))


@pytest.mark.parametrize("name", list(DOCUMENTS))
@pytest.mark.parametrize("rated", [0, HALF_RATED, len(TREE.leaves())])
def test_no_pre_audit_document_carries_conclusion_recommendation_or_decision_wording(name, rated):
    text = text_of(DOCUMENTS[name][1](build_report_context(pre_audit(rated), TREE)))
    assert [word for word in FORBIDDEN if word in text] == []
    assert [word for word in GAP_WORDS[name] if word not in text] == []


def test_the_gap_report_gives_readiness_per_first_level_indicator_and_the_clauses_to_fix_first():
    ctx = build_report_context(pre_audit(), TREE)
    text = text_of(DOCUMENTS["report"][1](ctx))
    for row in ctx.readiness:
        assert f"{row.code} {row.name}" in text and row.text in text
    assert ctx.fix_first and all(code in text for code, _, _, _ in ctx.fix_first)
    assert "咨询师" in text and "审查组长" not in text.split("签字")[-1]


def test_a_certification_engagement_keeps_its_conclusion_and_decision_signature():
    ctx = build_report_context(snapshot(), TREE)
    report, result = (text_of(DOCUMENTS[n][1](ctx)) for n in ("report", "result"))
    assert "商品售后服务评价报告" in report and "认证决定人员" in report and "差距分析" not in report
    assert ctx.decision in result and "准备度" not in result


def test_one_rule_names_the_documents_by_engagement_kind():
    assert [document_label(n, "pre_audit") for n in DOCUMENTS] == ["差距分析报告", "差距项报告", "准备度评估", "预评价计划"]
    assert [document_label(n, "initial") for n in DOCUMENTS] == [label for label, _ in DOCUMENTS.values()]
    assert wording("pre_audit").gap and not wording("surveillance").gap and not wording(None).gap
    assert "认证决定人员" not in wording("pre_audit").signatures


def test_the_predicted_star_counts_only_what_is_rated_and_readiness_counts_unrated_as_nothing_yet():
    ctx = build_report_context(pre_audit(), TREE)
    score, star = predicted(ctx.result)
    rated = [c for c in ctx.result.clauses.values() if c.applicable and c.status != "unrated"]
    assert score == round(sum(c.earned for c in rated) / sum(c.points for c in rated) * 100, 2) + 1  # the bonus
    assert star == Star.FOUR and ctx.star.startswith("四星级")  # 5.1.2.2 (nonconform) is among the rated
    first = readiness(ctx.result)
    assert [r.code for r in first] == ["5.1", "5.2", "5.3"]
    assert sum(r.rated for r in first) == HALF_RATED and first[-1].share == 0.0
    assert predicted(build_report_context(pre_audit(0), TREE).result) is None
