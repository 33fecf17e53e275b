"""Rating clauses: rules, history, stale edits, special items, and the score built from the database."""
import json
import subprocess
import sys
import threading
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from audits.ratings import RatingEntry, clause_history, get_rating, rate_clause
from audits.special_items import add_special_item, list_special_items, withdraw_special_item
from db import session
from dossier.assessment import assessment_document, document_and_result, engagement_result
from dossier.demo import load_demo_if_empty
from errors import InvalidInput, StaleEdit
from nonconformities.services import record_special_item
from scoring import Star
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()
ROOT = Path(__file__).resolve().parents[2]


def rate(db, engagement, code, status, version=None, by="张审查", **fields):
    version = get_rating(db, engagement.id, code, by=actor()).version if version is None else version
    if status in ("nonconform", "sampled"):
        fields.setdefault("finding", "现场所见")  # a clause that finds against the company needs its finding
    return rate_clause(db, engagement_id=engagement.id, code=code, entry=RatingEntry(status, **fields),
                       expected_version=version, tree=TREE, by=actor(by))


def test_a_save_bumps_the_version_and_records_before_and_after(db):
    e = make_engagement(db)
    rate(db, e, "5.1.2.1", "sampled", sampled=5, nonconforming=1, finding="抽查 5 人，1 人无电工证")
    row = rate(db, e, "5.1.2.1", "conform", by="李评审")
    assert (row.status, row.sampled, row.version, row.updated_by) == ("conform", 0, 2, "李评审")
    history = clause_history(db, e.id, by=actor(), code="5.1.2.1")
    assert [(h.version, h.changed_by) for h in history] == [(2, "李评审"), (1, "张审查")]
    assert history[1].before["status"] == "unrated"
    assert history[1].after == {"status": "sampled", "sampled": 5, "nonconforming": 1, "exclusion_reason": "",
                                "finding": "抽查 5 人，1 人无电工证"}
    assert history[0].before == history[1].after


def test_saving_the_same_values_again_changes_nothing(db):
    e = make_engagement(db)
    rate(db, e, "5.1.1.1", "conform")
    assert rate(db, e, "5.1.1.1", "conform").version == 1
    assert len(clause_history(db, e.id, by=actor())) == 1


def test_a_stale_save_is_refused_with_the_newer_value_and_changes_nothing(db):
    e = make_engagement(db)
    rate(db, e, "5.1.1.1", "nonconform", version=0, by="李评审", finding="无岗位职责")
    with pytest.raises(StaleEdit) as refused:
        rate(db, e, "5.1.1.1", "conform", version=0, by="张审查")
    assert "李评审" in refused.value.message and "不符合" in refused.value.message
    assert refused.value.current.status == "nonconform"
    row = get_rating(db, e.id, "5.1.1.1", by=actor())
    assert (row.status, row.finding, row.version) == ("nonconform", "无岗位职责", 1)
    assert len(clause_history(db, e.id, by=actor())) == 1


def test_exclusion_keeps_its_reason_and_leaves_the_applicable_total(db):
    e = make_engagement(db)
    rate(db, e, "5.2.6.a", "excluded", reason="企业不负有回收义务")
    rate(db, e, "5.2.6.b", "excluded", reason="企业不负有回收义务")
    doc = assessment_document(db, e.id, TREE, by=actor())
    assert doc["exclusions"] == [{"code": "5.2.6.a", "reason": "企业不负有回收义务"},
                                 {"code": "5.2.6.b", "reason": "企业不负有回收义务"}]
    assert engagement_result(db, e.id, TREE, by=actor()).applicable_points == Fraction(286, 3)  # 100 - 2 x 7/3


def test_only_one_active_bonus_but_a_withdrawn_one_makes_room(db):
    e = make_engagement(db)
    bonus = add_special_item(db, engagement_id=e.id, kind="bonus", reason="行业领先的服务响应", tree=TREE, by=actor())
    with pytest.raises(InvalidInput, match="最多 1 项"):
        add_special_item(db, engagement_id=e.id, kind="bonus", reason="又一项", tree=TREE, by=actor())
    withdraw_special_item(db, item_id=bonus.id, reason="证据不足", by=actor("李评审"))
    add_special_item(db, engagement_id=e.id, kind="bonus", reason="新证据", tree=TREE, by=actor())
    kept = list_special_items(db, e.id, by=actor(), include_withdrawn=True)
    assert [(i.reason, i.withdrawn_by) for i in kept] == [("行业领先的服务响应", "李评审"), ("新证据", None)]


def test_a_special_deduction_needs_a_category_and_a_reason(db):
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="类别"):
        record_special_item(db, engagement_id=e.id, kind="deduction", reason="x", tree=TREE, by=actor())
    with pytest.raises(InvalidInput, match="理由"):
        record_special_item(db, engagement_id=e.id, kind="deduction", reason=" ", category="law", tree=TREE,
                            by=actor())


def fully_rate(db, e):
    for leaf in TREE.leaves():
        status = "nonconform" if leaf.code in ("5.1.2.2", "5.2.4.c") else "conform"
        rate(db, e, leaf.code, status)
    rate(db, e, "5.3.2.b", "sampled", sampled=8, nonconforming=2)
    record_special_item(db, engagement_id=e.id, kind="deduction", category="law", code="5.2.4.c",
                        reason="维修收费高于公示价格", tree=TREE, by=actor())


def cli_result(db, engagement_id, tmp_path) -> dict:
    """`python -m scoring --json` on the engagement's downloadable assessment JSON."""
    path = tmp_path / f"assessment-{engagement_id}.json"
    document = assessment_document(db, engagement_id, TREE, by=actor())
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "scoring", str(path), "--json"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def same_as_cli(db, engagement_id, tmp_path) -> bool:
    result, cli = engagement_result(db, engagement_id, TREE, by=actor()), cli_result(db, engagement_id, tmp_path)
    return (cli["score"], cli["star"], cli["decision"]) == (float(result.score), str(result.star), str(result.decision))


def test_the_pages_one_read_gives_the_same_document_and_score_as_the_download_and_the_result(db):
    e = make_engagement(db)
    fully_rate(db, e)
    document, result = document_and_result(db, e.id, TREE, by=actor())
    assert document == assessment_document(db, e.id, TREE, by=actor())
    assert result == engagement_result(db, e.id, TREE, by=actor())


def test_a_hand_scored_engagement_scores_the_same_in_the_app_and_in_python_m_scoring(db, tmp_path):
    e = make_engagement(db)
    fully_rate(db, e)
    result = engagement_result(db, e.id, TREE, by=actor())
    # 100 - 5 (5.1.2.2) - 7/3 (5.2.4.c) - 25/8 x 2/8 (5.3.2.b) - 1 deduction = 90.885...
    assert (result.score, result.star, result.complete) == (Decimal("90.89"), Star.FOUR, True)
    assert same_as_cli(db, e.id, tmp_path)


def test_the_demo_engagements_score_the_same_in_the_app_and_in_python_m_scoring(db, tmp_path):
    assert load_demo_if_empty(db, TREE)
    assert not load_demo_if_empty(db, TREE)
    # pre-audit: the first 20 clauses rated (5.1 = 40, four of 5.2 = 28/3 = 148/3), losing 2 x 7/3 + 5 + 7/3 x 1/4
    # (41/4): 469/12 = 39.083 of 100
    # initial: 5.2.6 excluded (286/3 applicable), losing 7/30 + 2 x 7/3 + 7/30 + 5/24 = 641/120: 94.397, -1 +1
    assert [float(engagement_result(db, i, TREE, by=actor()).score) for i in (1, 2)] == [39.08, 94.4]
    assert same_as_cli(db, 1, tmp_path) and same_as_cli(db, 2, tmp_path)


def test_two_people_saving_the_same_clause_at_once_never_both_win(engine):
    with session(engine) as db:
        e = make_engagement(db)
    outcomes, barrier = [], threading.Barrier(8)

    def save(i):
        with session(engine) as s:
            barrier.wait()
            try:
                rate_clause(s, engagement_id=e.id, code="5.1.1.1", entry=RatingEntry("conform", finding=f"第{i}人"),
                            expected_version=0, tree=TREE, by=actor(f"审查员{i}"))
                outcomes.append(("saved", i))
            except StaleEdit:
                outcomes.append(("stale", i))
    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [i for kind, i in outcomes if kind == "saved"]
    assert len(outcomes) == 8 and len(winners) == 1
    with session(engine) as db:
        row = get_rating(db, e.id, "5.1.1.1", by=actor())
        assert (row.version, row.finding) == (1, f"第{winners[0]}人")
        assert len(clause_history(db, e.id, by=actor())) == 1


def test_the_score_history_follows_each_rating_and_special_item(db):
    from audits.score_history import score_history
    e = make_engagement(db)
    for leaf in TREE.leaves():
        rate(db, e, leaf.code, "nonconform" if leaf.code == "5.1.2.2" else "conform")
    bonus = add_special_item(db, engagement_id=e.id, kind="bonus", reason="行业领先", tree=TREE, by=actor())
    rate(db, e, "5.1.2.2", "conform", by="陈咨询")  # re-rated after its nonconformity was closed
    withdraw_special_item(db, item_id=bonus.id, reason="证据不足", by=actor())
    points = score_history(db, e.id, TREE, by=actor())
    assert len(points) == 39 + 3
    assert [float(p.score) for p in points[-4:]] == [95.0, 96.0, 100.0, 100.0]
    assert points[-2].by == "陈咨询" and points[-2].change == "5.1.2.2 符合"
    assert float(points[0].score) == 2.33  # 7/3 of 100


def test_the_revision_moves_with_every_step_of_the_score_history(db):
    from audits.scope import engagement_revision as history_stamp
    e = make_engagement(db)
    stamps = [history_stamp(db, e.id, by=actor())]
    rate(db, e, "5.1.1.1", "conform")
    stamps.append(history_stamp(db, e.id, by=actor()))
    item = add_special_item(db, engagement_id=e.id, kind="bonus", reason="行业领先", tree=TREE, by=actor())
    stamps.append(history_stamp(db, e.id, by=actor()))
    withdraw_special_item(db, item_id=item.id, reason="证据不足", by=actor())
    stamps.append(history_stamp(db, e.id, by=actor()))
    rate(db, e, "5.1.1.1", "conform")  # the same values again: no change, no new history
    stamps.append(history_stamp(db, e.id, by=actor()))
    assert len(set(stamps[:4])) == 4 and stamps[4] == stamps[3]
