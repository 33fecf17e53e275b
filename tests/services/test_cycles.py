"""The certification cycle on a real database: engagements linked into cycles, what a new one carries over (open
nonconformities verified by the new team, the last scores, evidence), the company's cycles and schedule."""
import io
from datetime import date

import pytest
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from cycle.carry_over import (
    carriable_evidence,
    carried_nonconformities,
    carry_evidence,
    previous_scores,
)
from cycle.cycles import create_in_cycle, cycle_choices, cycles_of_company, surveillance_schedule
from errors import AccessDenied, InvalidInput
from evidence.models import EvidenceLink
from evidence.services import evidence_links, list_evidence, upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    get_nonconformity,
    nc_history,
    raise_nonconformity,
    submit_rectification,
)
from tests import cycle_rows as rows
from tests.factories import actor, default_tree

TREE = default_tree()
SYSTEM = actor("系统")


@pytest.fixture
def certified(db):
    """Company A certified on an initial certification led by zhang (5.1.6.b nonconform, its NC open), and wu,
    an assessor who will lead the surveillance; li leads nothing here."""
    a, b = rows.company(db, 0), rows.company(db, 1)
    people = {name: rows.user(db, name, "assessor") for name in ("zhang", "wu", "li")}
    people["client"] = rows.user(db, "client", "client", company=a)
    people["admin"] = rows.user(db, "admin", "admin")
    initial = rows.engagement(db, a, lead=people["zhang"], start_date=date(2025, 11, 10), end_date=date(2025, 11, 12))
    for leaf in TREE.leaves():
        status = "nonconform" if leaf.code == "5.1.6.b" else "conform"
        entry = RatingEntry(status, finding="未验证效果" if status == "nonconform" else "")
        rate_clause(db, engagement_id=initial.id, code=leaf.code, entry=entry, expected_version=0, tree=TREE, by=SYSTEM)
    nc = raise_nonconformity(db, engagement_id=initial.id, severity="general", code="5.1.6.b", tree=TREE,
                             finding="改进措施未验证效果", by=SYSTEM)
    cycle = rows.cycle_of(db, initial)
    certificate = rows.certificate(db, initial, date(2025, 12, 1))
    by = {name: rows.as_actor(u) for name, u in people.items()}
    return {"a": a, "b": b, "initial": initial, "nc": nc, "cycle": cycle, "certificate": certificate, "by": by}


def surveillance(db, world, lead="wu", **data):
    team = [{"role": "lead_assessor", "user_id": world["by"][lead].user_id}]
    return create_in_cycle(db, cycle_id=world["cycle"].id, tree=TREE, team=team, by=SYSTEM,
                           data={"kind": "surveillance", "title": "第一次监督评价", **data})


def test_a_surveillance_cannot_be_created_outside_a_cycle(db, certified):
    with pytest.raises(InvalidInput, match="监督评价必须属于该企业的一个认证周期"):
        create_engagement(db, data={"company_id": certified["a"].id, "kind": "surveillance"}, tree=TREE, team=[],
                          by=SYSTEM)
    with pytest.raises(InvalidInput, match="所选认证周期不属于该企业"):
        surveillance(db, certified, company_id=certified["b"].id)
    with pytest.raises(InvalidInput, match="所选认证周期不属于"):  # linking by hand to another company's cycle
        create_engagement(db, data={"company_id": certified["b"].id, "kind": "surveillance"}, tree=TREE, team=[],
                          by=SYSTEM, cycle_id=certified["cycle"].id, previous_id=certified["initial"].id)


def test_a_surveillance_follows_the_cycles_latest_engagement_and_the_link_is_audited(db, certified):
    first = surveillance(db, certified)
    assert (first.company_id, first.cycle_id, first.previous_id) == \
        (certified["a"].id, certified["cycle"].id, certified["initial"].id)
    second = surveillance(db, certified, title="第二次监督评价")
    assert second.previous_id == first.id
    linked = db.exec(select(AuditEvent).where(AuditEvent.action == Event.CYCLE_LINKED)).all()
    assert [e.target for e in linked] == [f"评价项目 {first.id}《第一次监督评价》", f"评价项目 {second.id}《第二次监督评价》"]
    assert f"接续评价项目 {certified['initial'].id}" in linked[0].detail


def test_an_initial_certification_links_to_no_cycle(db, certified):
    with pytest.raises(InvalidInput, match="初次认证不接续已有的认证周期"):
        create_in_cycle(db, cycle_id=certified["cycle"].id, tree=TREE, team=[], by=SYSTEM, data={"kind": "initial"})


def test_the_company_page_reads_its_cycles_engagements_and_certificate(db, certified):
    later = surveillance(db, certified)
    pre = rows.engagement(db, certified["a"], kind="pre_audit")
    seen = cycles_of_company(db, certified["a"].id, by=certified["by"]["admin"])
    [view] = seen.cycles
    assert [line.engagement.id for line in view.engagements] == [certified["initial"].id, later.id]
    assert view.engagements[0].decision.decided_on == date(2025, 12, 1)
    assert [c.number for c in view.certificates] == [certified["certificate"].number]
    assert [line.engagement.id for line in seen.outside] == [pre.id]
    wu_sees = cycles_of_company(db, certified["a"].id, by=certified["by"]["wu"])  # only their own engagement
    assert [line.engagement.id for line in wu_sees.cycles[0].engagements] == [later.id]
    with pytest.raises(AccessDenied):
        cycles_of_company(db, certified["b"].id, by=certified["by"]["client"])


def test_the_schedule_says_which_surveillance_covered_which_window(db, certified):
    schedule = surveillance_schedule(db, certified["cycle"].id, by=certified["by"]["admin"], today=date(2026, 12, 1))
    assert [(s.number, s.window.due, s.state, s.done_by) for s in schedule] == \
        [(1, date(2026, 12, 1), "open", None), (2, date(2027, 12, 1), "early", None)]
    done = surveillance(db, certified, start_date=date(2026, 11, 20))
    schedule = surveillance_schedule(db, certified["cycle"].id, by=certified["by"]["admin"], today=date(2026, 12, 1))
    assert [s.done_by for s in schedule] == [done.id, None]


def test_cycles_are_offered_to_whoever_may_create_a_surveillance(db, certified):
    [choice] = cycle_choices(db, by=certified["by"]["admin"])
    assert (choice.cycle_id, choice.company_id) == (certified["cycle"].id, certified["a"].id)
    assert certified["certificate"].number in choice.label
    assert cycle_choices(db, by=certified["by"]["client"]) == []


def test_open_nonconformities_are_carried_and_the_new_team_verifies_them(db, certified):
    later = surveillance(db, certified)
    by = certified["by"]
    [carried] = carried_nonconformities(db, later.id, by=by["wu"])
    assert (carried.nonconformity.id, carried.engagement.id) == (certified["nc"].id, certified["initial"].id)
    nc_id = carried.nonconformity.id
    assert get_nonconformity(db, nc_id, by=by["wu"]).id == nc_id  # the new team sees it through its engagement
    submit_rectification(db, nc_id=nc_id, cause="因", correction="纠", corrective_action="措", evidence_ids=[],
                         expected_version=0, by=by["client"])
    with pytest.raises(AccessDenied):  # an assessor on neither team
        accept_rectification(db, nc_id=nc_id, comment="", expected_version=1, by=by["li"])
    accept_rectification(db, nc_id=nc_id, comment="整改有效", expected_version=1, by=by["wu"])
    close_nonconformity(db, nc_id=nc_id, verification="on_site", note="监督评价现场验证有效", expected_version=2,
                        by=by["wu"])
    assert [e.by for e in nc_history(db, nc_id, by=by["wu"])][-2:] == ["wu", "wu"]
    assert carried_nonconformities(db, later.id, by=by["wu"]) == []


def test_nothing_is_carried_into_an_engagement_that_follows_none(db, certified):
    assert carried_nonconformities(db, certified["initial"].id, by=certified["by"]["zhang"]) == []
    assert previous_scores(db, certified["initial"].id, by=certified["by"]["zhang"]) == {}


def test_a_carried_nonconformity_stays_out_of_reach_of_other_teams(db, certified):
    with pytest.raises(AccessDenied):
        get_nonconformity(db, certified["nc"].id, by=certified["by"]["wu"])  # before wu's surveillance exists
    surveillance(db, certified)
    with pytest.raises(AccessDenied):
        get_nonconformity(db, certified["nc"].id, by=certified["by"]["li"])


def test_the_last_scores_per_clause_and_indicator_are_shown_to_the_new_team(db, certified):
    later = surveillance(db, certified)
    scores = previous_scores(db, later.id, by=certified["by"]["wu"])
    assert scores["5.1.6.b"].status == "nonconform" and scores["5.1.6.b"].earned == 0
    assert scores["5.1.1.1"].status == "conform" and scores["5.1.1.1"].earned == scores["5.1.1.1"].applicable > 0
    assert scores["5.1"].status is None and 0 < scores["5.1"].percent < 100
    assert scores["5.2"].percent == 100
    with pytest.raises(AccessDenied):
        previous_scores(db, later.id, by=certified["by"]["li"])


def test_evidence_is_carried_forward_by_its_file_with_its_clause_links(db, certified, tmp_path):
    store = LocalBlobStore(tmp_path / "evidence")
    old = upload_evidence(db, store, engagement_id=certified["initial"].id, name="服务制度.pdf", tree=TREE,
                          stream=io.BytesIO(b"%PDF-1.4 rules %%EOF"), links={"5.1.1.1": set(), "5.1.2.1": {0}},
                          by=SYSTEM, max_bytes=1 << 20).evidence
    later = surveillance(db, certified)
    wu = certified["by"]["wu"]
    assert [e.id for e in carriable_evidence(db, later.id, by=wu)] == [old.id]
    [copy] = carry_evidence(db, engagement_id=later.id, evidence_ids=[old.id], tree=TREE, by=wu)
    assert (copy.engagement_id, copy.sha256, copy.name, copy.uploaded_by) == (later.id, old.sha256, "服务制度.pdf", "wu")
    assert {(link.code, link.item) for link in evidence_links(db, copy.id, by=wu)} == {("5.1.1.1", -1), ("5.1.2.1", 0)}
    assert [e.id for e in list_evidence(db, later.id, by=wu)] == [copy.id]
    assert db.exec(select(AuditEvent).where(AuditEvent.action == Event.EVIDENCE_LINKED)).all()[-1].detail == \
        f"沿用评价项目 {certified['initial'].id} 的证据：服务制度.pdf"
    with pytest.raises(InvalidInput, match="只能沿用"):  # evidence of the engagement itself
        carry_evidence(db, engagement_id=later.id, evidence_ids=[copy.id], tree=TREE, by=wu)
    with pytest.raises(AccessDenied):
        carry_evidence(db, engagement_id=later.id, evidence_ids=[old.id], tree=TREE, by=certified["by"]["li"])
    assert db.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == copy.id)).all()


def test_a_client_carries_forward_only_the_companys_own_files(db, certified, tmp_path):
    store = LocalBlobStore(tmp_path / "evidence")
    client = certified["by"]["client"]
    team = upload_evidence(db, store, engagement_id=certified["initial"].id, name="评审记录.pdf", tree=TREE,
                           stream=io.BytesIO(b"%PDF-1.4 team %%EOF"), links={}, by=SYSTEM, max_bytes=1 << 20).evidence
    own = upload_evidence(db, store, engagement_id=certified["initial"].id, name="培训记录.pdf", tree=TREE,
                          stream=io.BytesIO(b"%PDF-1.4 own %%EOF"), links={}, by=client, max_bytes=1 << 20).evidence
    later = surveillance(db, certified)
    assert [e.id for e in carriable_evidence(db, later.id, by=client)] == [own.id]
    with pytest.raises(InvalidInput, match="企业用户只能沿用本企业上传的文件"):
        carry_evidence(db, engagement_id=later.id, evidence_ids=[team.id], tree=TREE, by=client)
    [copy] = carry_evidence(db, engagement_id=later.id, evidence_ids=[own.id], tree=TREE, by=client)
    assert copy.from_client and copy.uploaded_by == "client"
