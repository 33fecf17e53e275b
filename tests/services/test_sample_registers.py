"""Sample registers: the rows drive the clause's counts and the score, typed counts are refused, history says why."""
from datetime import datetime

import pytest
from sqlmodel import select

from audits.companies import add_site
from audits.ratings import RatingEntry, clause_history, get_rating, rate_clause
from dossier.assessment import engagement_result
from dossier.checklist import export_checklist, plan_import
from errors import InvalidInput, StaleEdit
from records.models import Engagement
from samples.models import SampleChange
from samples.registers import SampleEntry, add_samples, edit_sample, register_history, register_of, remove_sample
from tests.factories import actor, default_tree, make_company, make_engagement
from tests.services.test_checklist import fill

TREE = default_tree()
CODE = "5.1.2.1"
BY = actor()


def test_register_rows_drive_the_counts_the_score_and_the_history(db):
    e = make_engagement(db)
    before = engagement_result(db, e.id, TREE, by=BY).earned_points
    revision = db.get(Engagement, e.id).revision
    add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY,
                entries=[SampleEntry("WO-1"), SampleEntry("WO-2"), SampleEntry("WO-123", conforms=False)])
    rating = get_rating(db, e.id, CODE, by=BY)
    assert (rating.status, rating.sampled, rating.nonconforming) == ("sampled", 3, 1)
    assert "WO-123" in rating.finding
    assert db.get(Engagement, e.id).revision > revision
    with_one_bad = engagement_result(db, e.id, TREE, by=BY).earned_points
    assert with_one_bad != before

    bad = next(r for r in register_of(db, e.id, CODE, by=BY) if r.reference == "WO-123")
    edit_sample(db, sample_id=bad.id, entry=SampleEntry("WO-123", conforms=True), expected_version=bad.version,
                tree=TREE, by=BY)
    assert get_rating(db, e.id, CODE, by=BY).nonconforming == 0
    assert engagement_result(db, e.id, TREE, by=BY).earned_points > with_one_bad
    reasons = [h.reason for h in clause_history(db, e.id, by=BY, code=CODE)]
    assert reasons[0] == "样本登记：修改 WO-123（不符合 → 符合）"
    assert reasons[1] == "样本登记：新增 WO-1 符合、WO-2 符合、WO-123 不符合"


def test_a_clause_with_a_register_refuses_typed_counts_but_keeps_a_typed_finding(db):
    e = make_engagement(db)
    add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY, entries=[SampleEntry("WO-1")])
    rating = get_rating(db, e.id, CODE, by=BY)
    with pytest.raises(InvalidInput, match="由样本登记得出"):
        rate_clause(db, engagement_id=e.id, code=CODE, entry=RatingEntry("sampled", 10, 0), tree=TREE,
                    expected_version=rating.version, by=BY)
    with pytest.raises(InvalidInput, match="由样本登记得出"):
        rate_clause(db, engagement_id=e.id, code=CODE, entry=RatingEntry("conform"), tree=TREE,
                    expected_version=rating.version, by=BY)
    saved = rate_clause(db, engagement_id=e.id, code=CODE, entry=RatingEntry("sampled", 1, 0, finding="抽查工单 1 份"),
                        tree=TREE, expected_version=rating.version, by=BY)
    assert (saved.sampled, saved.finding) == (1, "抽查工单 1 份")


def test_editing_keeps_history_and_a_stale_edit_is_refused(db):
    e = make_engagement(db)
    [row] = add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY, entries=[SampleEntry("WO-9")])
    edit_sample(db, sample_id=row.id, entry=SampleEntry("WO-9", note="已核对派工单"), expected_version=1, tree=TREE,
                by=BY)
    with pytest.raises(StaleEdit):
        edit_sample(db, sample_id=row.id, entry=SampleEntry("WO-9", conforms=False), expected_version=1, tree=TREE,
                    by=BY)
    history = register_history(db, e.id, CODE, by=BY)
    assert [h.version for h in history] == [2, 1]
    assert history[0].before["note"] == "" and history[0].after["note"] == "已核对派工单"


def test_removing_the_last_sample_leaves_the_clause_unrated_and_the_row_stays(db):
    e = make_engagement(db)
    [row] = add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY, entries=[SampleEntry("WO-1")])
    with pytest.raises(InvalidInput, match="理由"):
        remove_sample(db, sample_id=row.id, expected_version=1, reason=" ", tree=TREE, by=BY)
    remove_sample(db, sample_id=row.id, expected_version=1, reason="重复登记", tree=TREE, by=BY)
    assert get_rating(db, e.id, CODE, by=BY).status == "unrated"
    assert register_of(db, e.id, CODE, by=BY) == []
    assert len(db.exec(select(SampleChange).where(SampleChange.sample_id == row.id)).all()) == 2
    assert clause_history(db, e.id, by=BY, code=CODE)[0].reason == "样本登记：删除 WO-1（重复登记）"


def test_bad_samples_are_refused_and_change_nothing(db):
    e = make_engagement(db)
    other = add_site(db, company_id=make_company(db, name="别家公司", credit_code="91350100M000100Y43").id,
                     data={"name": "别家网点", "kind": "outlet", "address": "福州"}, by=BY)
    for entry, words in [(SampleEntry(" "), "不能为空"), (SampleEntry("WO-1", site_id=other.id), "不是受评企业"),
                         (SampleEntry("WO-1", reported_at=datetime(2026, 1, 5, 10),
                                      on_site_at=datetime(2026, 1, 5, 9)), "到场时间早于受理时间"),
                         (SampleEntry("W" * 61), "最多 60")]:
        with pytest.raises(InvalidInput, match=words):
            add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY, entries=[entry])
    assert register_of(db, e.id, CODE, by=BY) == []
    assert get_rating(db, e.id, CODE, by=BY).version == 0


def test_the_offline_checklist_cannot_type_over_a_register(db):
    e = make_engagement(db)
    add_samples(db, engagement_id=e.id, code=CODE, tree=TREE, by=BY, entries=[SampleEntry("WO-1")])
    exported = export_checklist(db, e.id, TREE, by=BY)
    plan = plan_import(db, e.id, TREE, fill(exported, {CODE: {"结果": "抽样", "抽样数": 9, "不符合数": 0}}), by=BY)
    assert [(err.column, err.message) for err in plan.errors] == [
        ("抽样数", f"条款 {CODE} 有样本登记，其评价结果和抽样数由样本登记得出，不能在评分表中修改")]
    finding_only = plan_import(db, e.id, TREE, fill(exported, {CODE: {"审核发现": "抽查工单 1 份", "不符合数": 0}}), by=BY)
    assert finding_only.errors == []
