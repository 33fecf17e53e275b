"""What a new engagement of a cycle starts from (domain brief A7): the earlier engagements' nonconformities still
open, listed for verification; the last engagement's score per clause and indicator, shown beside the new one;
and evidence of the last engagement, carried forward on request.

Who sees what: whoever may see the new engagement sees what it carries over (the new team was usually not on the
earlier one's team): these functions check the actor on the new engagement, then read the earlier one's rows. The
carried nonconformities are verified with the ordinary moves, which let the team of a later engagement act on them
(nonconformities.services.carried_into).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session, col, select

from accounts.access import acting_role
from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.chain import predecessors
from audits.engagements import get_engagement
from audits.scope import checked_engagement, engagement_scope
from criteria.model import Tree
from criteria.registry import TreeRegistry
from cycle.certificate_store import default_trees
from dossier.assessment import engagement_result
from errors import InvalidInput
from evidence.models import GENERAL, Evidence, EvidenceLink
from evidence.services import StoredFile, record_file
from evidence.store import Stored
from nonconformities.models import Nonconformity
from nonconformities.workflow import DONE
from records.models import Engagement
from scoring.engine import rounded
from vocabulary import ClauseStatus, Role

# The earlier engagement is read as the system once the actor's access to the new one is checked.
READER = Actor("认证周期", role=Role.SYSTEM)


@dataclass(frozen=True)
class CarriedNonconformity:
    nonconformity: Nonconformity
    engagement: Engagement   # the earlier engagement that raised it


def carried_nonconformities(session: Session, engagement_id: int, *, by: Actor) -> list[CarriedNonconformity]:
    """The nonconformities of the engagements this one follows that are still open (neither closed nor an
    observation), oldest engagement first."""
    earlier = {e.id: e for e in predecessors(session, get_engagement(session, engagement_id, by=by))}
    if not earlier:
        return []
    ncs = session.exec(select(Nonconformity).where(col(Nonconformity.engagement_id).in_(list(earlier)),
                                                   col(Nonconformity.state).not_in([str(s) for s in DONE]))
                       .order_by(Nonconformity.engagement_id, Nonconformity.number))
    return [CarriedNonconformity(nc, earlier[nc.engagement_id]) for nc in ncs]


@dataclass(frozen=True)
class PreviousScore:
    """A clause's or an indicator's result in the previous engagement: a clause's status (None for an indicator),
    the points it earned and the points that applied."""

    status: ClauseStatus | None
    earned: Fraction
    applicable: Fraction

    @property
    def percent(self) -> Decimal | None:
        return rounded(self.earned / self.applicable * 100) if self.applicable else None


def previous_engagement(session: Session, engagement_id: int, *, by: Actor) -> Engagement | None:
    engagement = get_engagement(session, engagement_id, by=by)
    return session.get(Engagement, engagement.previous_id) if engagement.previous_id else None


def previous_scores(session: Session, engagement_id: int, *, by: Actor,
                    trees: TreeRegistry | None = None) -> dict[str, PreviousScore]:
    """By code, each clause's and indicator's result in the engagement this one follows (scored on that
    engagement's own tree); empty when it follows none."""
    previous = previous_engagement(session, engagement_id, by=by)
    if previous is None:
        return {}
    result = engagement_result(session, previous.id, (trees or default_trees()).get(previous.tree_ref), by=READER)
    scores = {c.code: PreviousScore(ClauseStatus(c.status), c.earned, c.points if c.applicable else Fraction(0))
              for c in result.clauses.values()}
    scores |= {s.code: PreviousScore(None, s.earned, s.applicable) for s in result.subtotals}
    return scores


def carriable_evidence(session: Session, engagement_id: int, *, by: Actor) -> list[Evidence]:
    """The previous engagement's evidence (not removed) that may be carried into this one, by whoever may add
    evidence to it."""
    engagement = checked_engagement(session, engagement_id, Action.UPLOAD_EVIDENCE, by=by)
    if engagement.previous_id is None:
        return []
    return [e for e in session.exec(select(Evidence).where(Evidence.engagement_id == engagement.previous_id,
                                                           col(Evidence.removed_at).is_(None))
                                    .order_by(col(Evidence.uploaded_at).desc(), col(Evidence.id).desc()))
            if _may_carry(session, by, e)]


def _may_carry(session: Session, by: Actor, evidence: Evidence) -> bool:
    """A client carries forward only the company's own files; the team carries any."""
    return evidence.from_client or acting_role(session, by)[0] != Role.CLIENT


def carry_evidence(session: Session, *, engagement_id: int, evidence_ids: list[int], tree: Tree,
                   by: Actor) -> list[Evidence]:
    """Copy chosen evidence of the previous engagement into this one: a new record of the same file (by its
    SHA-256; nothing is uploaded again) with the links to clauses this engagement's tree has, in one transaction,
    audited. The copy is the carrier's record, as an upload of theirs would be."""
    if not evidence_ids:
        raise InvalidInput("请选择要沿用的证据")
    with engagement_scope(session, engagement_id, Action.UPLOAD_EVIDENCE, by=by) as scope:
        previous_id = scope.engagement.previous_id
        copies = []
        for evidence_id in sorted(set(evidence_ids)):
            source = session.get(Evidence, evidence_id)
            if source is None or source.engagement_id != previous_id or previous_id is None or source.removed_at:
                raise InvalidInput("只能沿用本项目所接续的上次评价中的有效证据")
            if not _may_carry(session, by, source):
                raise InvalidInput(f"{source.name} 是评价组的证据，企业用户只能沿用本企业上传的文件")
            copies.append(record_file(scope, StoredFile(source.name, Stored(source.sha256, source.size, source.kind)),
                                      links=_links_in(session, source.id, tree),
                                      note=f"沿用自评价项目 {previous_id}" + (f"：{source.note}" if source.note else "")))
        scope.audit(Event.EVIDENCE_LINKED, detail=f"沿用评价项目 {previous_id} 的证据："
                                                  + "、".join(c.name for c in copies))
    return copies


def _links_in(session: Session, evidence_id: int, tree: Tree) -> dict[str, set[int]]:
    """The evidence's active links that name a clause (and checklist item) of `tree`."""
    links: dict[str, set[int]] = {}
    for link in session.exec(select(EvidenceLink).where(EvidenceLink.evidence_id == evidence_id,
                                                        col(EvidenceLink.unlinked_at).is_(None))):
        node = tree.node(link.code)
        if node is not None and node.is_leaf and (link.item == GENERAL or link.item < len(node.evidence)):
            links.setdefault(link.code, set()).add(link.item)
    return links
