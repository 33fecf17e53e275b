"""A special deduction raises its own nonconformity when recorded, linked both ways (issue 15 item 3)."""
import pytest
from sqlmodel import select

from audits.special_items import add_special_item, list_special_items, withdraw_special_item
from errors import InvalidInput
from nonconformities.models import Nonconformity
from nonconformities.services import raise_nonconformity, record_special_item, special_item_nonconformities
from records.models import SpecialItem
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()


def ncs(db, engagement_id):
    return list(db.exec(select(Nonconformity).where(Nonconformity.engagement_id == engagement_id)
                        .order_by(Nonconformity.number)))


def deduct(db, e, **kw):
    return record_special_item(db, engagement_id=e.id, kind="deduction", category=kw.pop("category", "law"),
                               reason=kw.pop("reason", "维修收费高于公示价格"), tree=TREE, by=actor(), **kw)


def test_recording_a_deduction_raises_a_general_nonconformity_linked_to_it(db):
    e = make_engagement(db)
    item = deduct(db, e, code="5.2.4.c")
    [nc] = ncs(db, e.id)
    assert (nc.number, nc.severity, nc.state, nc.special_item_id, nc.code) == (1, "general", "raised", item.id, None)
    assert nc.finding == "维修收费高于公示价格" and "不符合国家法律法规要求" in nc.requirement
    assert nc.due_date is not None and nc.raised_by == "张审查"
    assert special_item_nonconformities(db, e.id, by=actor()) == {item.id: 1}


def test_the_assessor_may_choose_a_serious_one_but_not_an_observation(db):
    e = make_engagement(db)
    deduct(db, e, severity="serious")
    assert [n.severity for n in ncs(db, e.id)] == ["serious"]
    with pytest.raises(InvalidInput, match="一般不符合或严重不符合"):
        deduct(db, e, severity="observation")
    assert len(list_special_items(db, e.id, by=actor())) == 1  # nothing half-written


def test_each_deduction_has_its_own_and_no_second_can_be_raised_for_it(db):
    e = make_engagement(db)
    first, second = deduct(db, e), deduct(db, e, reason="未履行三包承诺", category="industry")
    assert special_item_nonconformities(db, e.id, by=actor()) == {first.id: 1, second.id: 2}
    with pytest.raises(InvalidInput, match="NC-01"):
        raise_nonconformity(db, engagement_id=e.id, severity="general", special_item_id=first.id, finding="再开",
                            tree=TREE, by=actor())
    assert len(ncs(db, e.id)) == 2


def test_a_refused_deduction_records_neither_item_nor_nonconformity(db):
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="类别"):
        record_special_item(db, engagement_id=e.id, kind="deduction", reason="x", tree=TREE, by=actor())
    with pytest.raises(InvalidInput, match="理由"):
        deduct(db, e, reason=" ")
    assert ncs(db, e.id) == [] and db.exec(select(SpecialItem)).all() == []


def test_withdrawing_the_deduction_leaves_its_nonconformity(db):
    e = make_engagement(db)
    item = deduct(db, e)
    withdraw_special_item(db, item_id=item.id, reason="核实后不成立", by=actor())
    [nc] = ncs(db, e.id)
    assert nc.special_item_id == item.id and nc.state == "raised"
    assert special_item_nonconformities(db, e.id, by=actor()) == {item.id: 1}


def test_the_bonus_raises_nothing_and_a_deduction_cannot_skip_its_nonconformity(db):
    e = make_engagement(db)
    record_special_item(db, engagement_id=e.id, kind="bonus", reason="行业领先", tree=TREE, by=actor())
    assert ncs(db, e.id) == []
    with pytest.raises(InvalidInput, match="须同时开具不符合项"):
        add_special_item(db, engagement_id=e.id, kind="deduction", category="law", reason="违规", tree=TREE,
                         by=actor())
