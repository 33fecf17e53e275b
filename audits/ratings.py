"""Use cases for clause ratings: save one (refusing stale edits), read the history of changes.

A save names the version it was based on; the update only applies where the row still has that version
(compare-and-set), so of two people saving the same clause at once, the second is refused with the newer
value, never silently overwritten. A clause with a sample register takes its counts from the register
(samples/registers.py), which saves them here with the reason. Every accepted save appends the values before and after to the history. While the engagement's result is issued
(a recommendation recorded), every save is refused naming the clause (audits/decisions.py).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select, update

from accounts.actor import Actor
from accounts.audit_log import Event, record
from accounts.policy import Action
from audits.decisions import refuse_if_issued
from audits.engagements import get_engagement
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from errors import AssessmentInvalid, InvalidInput, NotFound, StaleEdit
from records.models import ClauseRating, RatingChange, utcnow
from scoring.applicability import exclusion_cap_problem
from scoring.assessment import RatingEntry, checked_entry
from textclean import clean_text
from timefmt import local_time
from vocabulary import CLAUSE_STATUS_LABELS, ClauseStatus


def entry_of(row: ClauseRating) -> RatingEntry:
    """A stored rating as an entry (what the form or the checklist shows for it)."""
    return RatingEntry(row.status, row.sampled, row.nonconforming, row.exclusion_reason, row.finding)


def rating_values(row: ClauseRating) -> dict:
    return {"status": row.status, "sampled": row.sampled, "nonconforming": row.nonconforming,
            "exclusion_reason": row.exclusion_reason, "finding": row.finding}


def describe(values: dict) -> str:
    word = CLAUSE_STATUS_LABELS.get(values["status"], values["status"])
    if values["status"] == ClauseStatus.SAMPLED:
        return f"{word} {values['nonconforming']}/{values['sampled']} 不符合"
    if values["status"] == ClauseStatus.EXCLUDED:
        return f"{word}（{values['exclusion_reason']}）"
    return word


def checked_values(entry: RatingEntry, code: str, tree: Tree, *, kind: str | None = None) -> dict:
    """The values to store for one clause, after the one check every way in uses (scoring.checked_entry);
    `kind` is the engagement's (本次未抽查 only in surveillance)."""
    node = tree.node(code)
    if node is None:
        raise NotFound(f"条款 {code} 不在指标树 {tree.ref} 中")
    entry = checked_entry(RatingEntry(entry.status, entry.sampled, entry.nonconforming, clean_text(entry.reason),
                                      clean_text(entry.finding)), node, kind=kind)
    return {"status": entry.status, "sampled": entry.sampled, "nonconforming": entry.nonconforming,
            "exclusion_reason": entry.reason, "finding": entry.finding}


def get_rating(session: Session, engagement_id: int, code: str, *, by: Actor) -> ClauseRating:
    get_engagement(session, engagement_id, by=by)
    return stored_rating(session, engagement_id, code)


def stored_rating(session: Session, engagement_id: int, code: str) -> ClauseRating:
    """The row as stored, for a use case that has already checked the actor's access to the engagement."""
    row = session.exec(select(ClauseRating).where(ClauseRating.engagement_id == engagement_id,
                                                  ClauseRating.code == code)).one_or_none()
    if row is None:
        raise NotFound(f"条款 {code} 不属于评价项目 {engagement_id}")
    return row


def list_ratings(session: Session, engagement_id: int, *, by: Actor) -> list[ClauseRating]:
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(ClauseRating).where(ClauseRating.engagement_id == engagement_id)))


def rate_clause(session: Session, *, engagement_id: int, code: str, entry: RatingEntry, expected_version: int,
                tree: Tree, by: Actor) -> ClauseRating:
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        refuse_if_issued(scope, f"条款 {code}")
        if scope.engagement.tree_ref != tree.ref:
            raise InvalidInput(f"评价项目使用指标树 {scope.engagement.tree_ref}，而不是 {tree.ref}")
        refuse_typed_counts(session, engagement_id, code, entry)
        try:
            values = checked_values(entry, code, tree, kind=scope.engagement.kind)
            if values["status"] == ClauseStatus.EXCLUDED:
                check_exclusion_cap(session, engagement_id, code, tree)
        except AssessmentInvalid as refused:
            if entry.status == ClauseStatus.EXCLUDED:  # a person tried to exclude what the scheme does not allow
                record(session, username=by.username or by.name, action=Event.REFUSED,
                       target=f"评价项目 {engagement_id}《{scope.engagement.title}》 / 条款 {code}",
                       detail=refused.message)
            raise
        written = apply_rating(scope, code=code, values=values, expected_version=expected_version)
    # the state this save wrote, not a re-read: someone may already have saved again since the commit
    return written or stored_rating(session, engagement_id, code)


# the register's table, read by name: `samples` sits above `audits` (it rates through apply_rating)
_SAMPLES = sa.table("samplerow", sa.column("engagement_id"), sa.column("code"), sa.column("removed"))


def register_size(session: Session, engagement_id: int, code: str) -> int:
    """How many samples the clause's register holds (0: the clause has no register)."""
    return session.exec(select(sa.func.count()).select_from(_SAMPLES).where(
        _SAMPLES.c.engagement_id == engagement_id, _SAMPLES.c.code == code,
        _SAMPLES.c.removed == sa.false())).one()


def refuse_typed_counts(session: Session, engagement_id: int, code: str, entry: RatingEntry) -> None:
    """A clause with a sample register takes its result and counts from the register only; the finding may
    still be typed."""
    size = register_size(session, engagement_id, code)
    if not size:
        return
    row = stored_rating(session, engagement_id, code)
    if (entry.status, entry.sampled, entry.nonconforming) != (row.status, row.sampled, row.nonconforming):
        raise InvalidInput(f"条款 {code} 有样本登记（{size} 个样本），其评价结果、抽样数和不符合数由样本登记得出，"
                           "不能手工填写：请在样本登记中增加、修改或删除样本")


def check_exclusion_cap(session: Session, engagement_id: int, code: str, tree: Tree) -> None:
    """Excluding `code` too must keep the engagement's excluded points within the scheme's cap."""
    others = session.exec(select(ClauseRating.code).where(ClauseRating.engagement_id == engagement_id,
                                                          ClauseRating.status == ClauseStatus.EXCLUDED,
                                                          ClauseRating.code != code)).all()
    over = exclusion_cap_problem(tree, [*others, code])
    if over:
        raise AssessmentInvalid(over)


def apply_rating(scope: Scope, *, code: str, values: dict, expected_version: int,
                 reason: str = "") -> ClauseRating | None:
    """Compare-and-set one clause and append its history row, inside the caller's scope (one save, or a whole
    import), which has checked the values and owns the transaction. Returns the state written (None when the
    values were already stored); a stale version raises StaleEdit and the scope rolls back."""
    session, engagement_id, by = scope.session, scope.engagement.id, scope.by
    refuse_if_issued(scope, f"条款 {code}")
    row = stored_rating(session, engagement_id, code)
    if row.version != expected_version:
        raise _stale(row)
    before = rating_values(row)
    if before == values:
        return None
    now = utcnow()
    changed = session.exec(update(ClauseRating)
                           .where(ClauseRating.id == row.id, ClauseRating.version == expected_version)
                           .values(**values, version=expected_version + 1, updated_by=by.name, updated_at=now))
    if changed.rowcount != 1:
        session.expire(row)
        raise _stale(stored_rating(session, engagement_id, code))
    session.add(RatingChange(engagement_id=engagement_id, code=code, version=expected_version + 1,
                             before=before, after=values, changed_by=by.name, changed_at=now, reason=reason))
    scope.result_changed()
    return ClauseRating.model_validate({**row.model_dump(), **values, "version": expected_version + 1,
                                        "updated_by": by.name, "updated_at": now})


def _stale(current: ClauseRating) -> StaleEdit:
    when = local_time(current.updated_at, seconds=True)
    return StaleEdit(f"条款 {current.code} 已被 {current.updated_by or '他人'} 于 {when} 修改为"
                     f"“{describe(rating_values(current))}”，您的修改未保存。请查看最新内容后再决定是否重新保存。",
                     current=current)


def clause_history(session: Session, engagement_id: int, *, by: Actor, code: str | None = None,
                   limit: int = 200) -> list[RatingChange]:
    """Changes, newest first; the history is append-only."""
    get_engagement(session, engagement_id, by=by)
    query = select(RatingChange).where(RatingChange.engagement_id == engagement_id)
    if code:
        query = query.where(RatingChange.code == code)
    return list(session.exec(query.order_by(RatingChange.id.desc()).limit(limit)))
