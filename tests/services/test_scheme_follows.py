"""The engagement's tree scheme rules the services and the report (issue 15 acceptance, third bullet): the
nonconformity deadlines come from its `nonconformity_days`, never from AUDIT_NC_DAYS_*; a scheme with five-star
at 98 and failing at 3 deductions decides the star the Word report states, and its method text names 98."""
import io
from datetime import date, timedelta

import pytest
from docx import Document
from sqlmodel import select

from audits.ratings import RatingEntry, rate_clause
from audits.special_items import withdraw_special_item
from config import settings
from criteria import Tree, parse_tree
from dossier.snapshot import build_snapshot
from exports.context import build_report_context
from exports.word_report import render_report
from nonconformities.models import Nonconformity
from nonconformities.services import raise_nonconformity, record_special_item
from tests.factories import actor, default_tree, make_engagement
from tests.unit.test_tree_loader import raw_default

TODAY = date(2026, 11, 4)
STRICT = {"thresholds": {"five_star": 98}, "failing_deductions": 3}


def scheme_tree(scheme: dict, tree_id: str = "strict-scheme") -> Tree:
    """The default tree under another id, its scheme block changed as given (the rest stays the default's)."""
    data = raw_default()
    data.update(id=tree_id, scheme={**data["scheme"], **scheme})
    return parse_tree(data, source=f"{tree_id}.yaml")


def rate_all_conform(db, engagement, tree, but: dict[str, RatingEntry] | None = None):
    for leaf in tree.leaves():
        entry = (but or {}).get(leaf.code, RatingEntry("conform"))
        rate_clause(db, engagement_id=engagement.id, code=leaf.code, entry=entry, expected_version=0, tree=tree,
                    by=actor())


def deduct(db, engagement, tree, n: int):
    return [record_special_item(db, engagement_id=engagement.id, kind="deduction", category="law", tree=tree,
                                reason=f"第{i + 1}项违规收费", by=actor(), today=TODAY) for i in range(n)]


# ---------------------------------------------------------------- deadlines from the scheme


@pytest.fixture
def days_tree():
    return scheme_tree({"nonconformity_days": {"serious": 10, "general": 20}}, tree_id="days-scheme")


def test_a_raised_nonconformity_takes_its_deadline_from_the_engagements_scheme(db, days_tree):
    e = make_engagement(db, tree=days_tree)
    rate_all_conform(db, e, days_tree, but={"5.1.6.b": RatingEntry("nonconform", finding="改进措施未验证效果")})
    raised = {severity: raise_nonconformity(db, engagement_id=e.id, severity=severity, code="5.1.6.b",
                                            finding="改进措施未验证效果", tree=days_tree, by=actor(), today=TODAY)
              for severity in ("serious", "general", "observation")}
    assert raised["serious"].due_date == TODAY + timedelta(days=10)
    assert raised["general"].due_date == TODAY + timedelta(days=20)
    assert raised["observation"].due_date is None


def test_a_special_deductions_nonconformity_takes_the_schemes_deadline_too(db, days_tree):
    e = make_engagement(db, tree=days_tree)
    general = record_special_item(db, engagement_id=e.id, kind="deduction", category="law", reason="维修收费高于公示价格",
                                  tree=days_tree, by=actor(), today=TODAY)
    serious = record_special_item(db, engagement_id=e.id, kind="deduction", category="law", reason="未履行三包承诺",
                                  severity="serious", tree=days_tree, by=actor(), today=TODAY)
    due = {nc.special_item_id: nc.due_date for nc in db.exec(select(Nonconformity))}
    assert due == {general.id: TODAY + timedelta(days=20), serious.id: TODAY + timedelta(days=10)}


def test_the_settings_no_longer_move_a_deadline_the_scheme_sets(db, monkeypatch):
    """One rule in one place: AUDIT_NC_DAYS_* are not read; a tree silent on the days takes the scheme's 30."""
    monkeypatch.setenv("AUDIT_NC_DAYS_GENERAL", "5")
    monkeypatch.setenv("AUDIT_NC_DAYS_SERIOUS", "5")
    settings.cache_clear()
    try:
        tree = default_tree()
        e = make_engagement(db, tree=tree)
        rate_all_conform(db, e, tree, but={"5.1.6.b": RatingEntry("nonconform", finding="改进措施未验证效果")})
        nc = raise_nonconformity(db, engagement_id=e.id, severity="general", code="5.1.6.b", finding="改进措施未验证效果",
                                 tree=tree, by=actor(), today=TODAY)
        assert nc.due_date == TODAY + timedelta(days=30)
    finally:
        settings.cache_clear()


# ---------------------------------------------------------------- the report follows the scheme


def report_of(db, engagement, tree):
    """The report context built from the engagement's snapshot, its conclusion row and its method text, read
    back from the rendered Word file."""
    ctx = build_report_context(build_snapshot(db, engagement.id, tree, by=actor()), tree)
    doc = Document(io.BytesIO(render_report(ctx)))
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "得分")
    method = next(p.text for p in doc.paragraphs if p.text.startswith("本次评价依据"))
    return ctx, [c.text for c in summary.rows[1].cells], method


@pytest.fixture
def strict():
    return scheme_tree(STRICT)


def test_three_deductions_fail_a_high_score_and_the_report_says_so(db, strict):
    e = make_engagement(db, tree=strict)
    rate_all_conform(db, e, strict)
    deduct(db, e, strict, 3)
    ctx, row, method = report_of(db, e, strict)
    assert (ctx.score, ctx.star, ctx.decision) == ("97.00", "未通过", "不予通过")
    assert row[:3] == ["97.00", "未通过", "不予通过"]
    assert "98 分及以上为五星级" in method and "95 分" not in method


def test_two_deductions_at_97_earn_four_stars_not_five(db, strict):
    e = make_engagement(db, tree=strict)
    # 5.1.2.1 is worth 7/3 points: 3 of 7 samples nonconforming lose exactly 1 point, so 100 − 1 − 2 = 97
    rate_all_conform(db, e, strict, but={"5.1.2.1": RatingEntry("sampled", sampled=7, nonconforming=3,
                                                                finding="3 名抽样人员未持证")})
    items = deduct(db, e, strict, 3)
    withdraw_special_item(db, item_id=items[-1].id, reason="复核后不构成特别扣分", by=actor())
    ctx, row, method = report_of(db, e, strict)
    assert (ctx.score, ctx.star, ctx.result.special_deductions) == ("97.00", "四星级", 2)
    assert row[:2] == ["97.00", "四星级"]
    assert "98 分及以上为五星级" in method
