"""Use cases for a clause's sample register: add, edit and remove samples, read the register and its history.

Rules:
- A register row is one sample: its reference (work order, complaint or staff number), the company's site, the
  date, the times that matter (reported, responded, on site, resolved; none may come before the case was
  reported, nor the resolution before arrival), the limit that applied, conform or not, and a note.
- While a clause's register holds samples, its result is 抽样评分 with n = the samples and the nonconforming
  count = those that do not conform; each register change saves these through `audits.ratings.apply_rating` in
  the same transaction, with the reason in the rating's history ("样本登记：新增 WO-123 不符合"), so the
  engagement's revision moves with the score. Emptying the register leaves the clause 未评分.
- A row is never deleted or overwritten without trace: each edit bumps its version (a stale edit is refused)
  and appends a SampleChange with the values before and after and why; a removed row stays, marked removed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.ratings import apply_rating, stored_rating
from audits.scope import Scope, engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound, StaleEdit
from records.models import Site, utcnow
from samples.models import LIMIT_TEXT, REFERENCE, SampleChange, SampleRow
from textclean import clean_text
from vocabulary import ClauseStatus, Limit

TIME_WORDS = {"reported_at": "受理时间", "responded_at": "响应时间", "on_site_at": "到场时间", "resolved_at": "完成时间"}


@dataclass(frozen=True)
class SampleEntry:
    reference: str
    conforms: bool = True
    site_id: int | None = None
    sampled_on: date | None = None
    reported_at: datetime | None = None
    responded_at: datetime | None = None
    on_site_at: datetime | None = None
    resolved_at: datetime | None = None
    limit_text: str = ""
    note: str = ""


def checked_sample(session: Session, entry: SampleEntry, company_id: int) -> dict:
    """The values to store for one sample, or InvalidInput naming the field."""
    reference = clean_text(entry.reference)
    if not reference:
        raise InvalidInput("样本编号（工单号、投诉单号或员工编号）不能为空")
    for text, limit, word in ((reference, REFERENCE, "样本编号"), (clean_text(entry.limit_text), LIMIT_TEXT, "适用时限"),
                              (clean_text(entry.note), Limit.TEXT, "备注")):
        if len(text) > limit:
            raise InvalidInput(f"{word}最多 {limit} 个字，现有 {len(text)} 个")
    if entry.site_id is not None:
        site = session.get(Site, entry.site_id)
        if site is None or site.company_id != company_id:
            raise InvalidInput("所选场所不是受评企业的场所")
    values = {**asdict(entry), "reference": reference, "limit_text": clean_text(entry.limit_text),
              "note": clean_text(entry.note), "conforms": bool(entry.conforms)}
    start = entry.reported_at
    for name in ("responded_at", "on_site_at", "resolved_at"):
        if start and values[name] and values[name] < start:
            raise InvalidInput(f"样本 {reference} 的{TIME_WORDS[name]}早于受理时间")
    if entry.on_site_at and entry.resolved_at and entry.resolved_at < entry.on_site_at:
        raise InvalidInput(f"样本 {reference} 的完成时间早于到场时间")
    return values


def add_samples(session: Session, *, engagement_id: int, code: str, entries: list[SampleEntry], tree: Tree,
                by: Actor, import_id: int | None = None, why: str = "") -> list[SampleRow]:
    """Add samples to a clause's register (one, or a drawn sample); `why` replaces the default reason."""
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        return add_in_scope(scope, code=code, entries=entries, tree=tree, import_id=import_id, why=why)


def add_in_scope(scope: Scope, *, code: str, entries: list[SampleEntry], tree: Tree, import_id: int | None = None,
                 why: str = "") -> list[SampleRow]:
    """Add samples inside the caller's scope (which checked RATE and owns the transaction)."""
    session, by = scope.session, scope.by
    _check_clause(tree, code)
    rows = [SampleRow(engagement_id=scope.engagement.id, code=code, import_id=import_id, updated_by=by.name,
                      version=1, **checked_sample(session, e, scope.engagement.company_id)) for e in entries]
    if not rows:
        raise InvalidInput("没有要登记的样本")
    session.add_all(rows)
    session.flush()
    reason = why or "样本登记：新增 " + "、".join(f"{r.reference} {_word(r.conforms)}" for r in rows)
    for row in rows:
        _append(session, row, {}, reason, by)
    _recount(scope, code, reason)
    return rows


def edit_sample(session: Session, *, sample_id: int, entry: SampleEntry, expected_version: int, tree: Tree,
                by: Actor) -> SampleRow:
    row = _row(session, sample_id)
    with engagement_scope(session, row.engagement_id, Action.RATE, by=by) as scope:
        _check_clause(tree, row.code)
        _check_version(row, expected_version)
        before = _values(row)
        values = checked_sample(session, entry, scope.engagement.company_id)
        if all(getattr(row, k) == v for k, v in values.items()):
            return row
        for name, value in values.items():
            setattr(row, name, value)
        row.version, row.updated_by, row.updated_at = row.version + 1, by.name, utcnow()
        change = (f"{_word(before['conforms'])} → {_word(row.conforms)}" if before["conforms"] != row.conforms
                  else "内容")
        reason = f"样本登记：修改 {row.reference}（{change}）"
        _append(session, row, before, reason, by)
        _recount(scope, row.code, reason)
    return row


def remove_sample(session: Session, *, sample_id: int, expected_version: int, reason: str, tree: Tree,
                  by: Actor) -> SampleRow:
    row = _row(session, sample_id)
    why = clean_text(reason)
    if not why:
        raise InvalidInput("请写明删除样本的理由")
    if len(why) > Limit.SHORT - 40:
        raise InvalidInput(f"理由最多 {Limit.SHORT - 40} 个字")
    with engagement_scope(session, row.engagement_id, Action.RATE, by=by) as scope:
        _check_clause(tree, row.code)
        _check_version(row, expected_version)
        before = _values(row)
        row.removed, row.version, row.updated_by, row.updated_at = True, row.version + 1, by.name, utcnow()
        text = f"样本登记：删除 {row.reference}（{why}）"
        _append(session, row, before, text, by)
        _recount(scope, row.code, text)
    return row


def register_of(session: Session, engagement_id: int, code: str, *, by: Actor) -> list[SampleRow]:
    """The clause's samples in the order they were registered (removed ones left out)."""
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(SampleRow).where(SampleRow.engagement_id == engagement_id,
                                                     SampleRow.code == code, SampleRow.removed == False)  # noqa: E712
                             .order_by(SampleRow.id)))


def register_history(session: Session, engagement_id: int, code: str, *, by: Actor) -> list[SampleChange]:
    """The register's changes, newest first."""
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(SampleChange).where(SampleChange.engagement_id == engagement_id,
                                                        SampleChange.code == code).order_by(SampleChange.id.desc())))


def _recount(scope: Scope, code: str, reason: str) -> None:
    """Save the clause's result from its register, with the reason, in the register change's transaction."""
    session, engagement_id = scope.session, scope.engagement.id
    rows = session.exec(select(SampleRow).where(SampleRow.engagement_id == engagement_id, SampleRow.code == code,
                                                SampleRow.removed == False)).all()  # noqa: E712
    rating = stored_rating(session, engagement_id, code)
    failed = [r.reference for r in rows if not r.conforms]
    finding = rating.finding
    if failed and not finding:  # a clause that finds against the company needs a finding: say which samples
        finding = f"样本登记中 {len(rows)} 个样本有 {len(failed)} 个不符合：{'、'.join(failed)}"[:Limit.TEXT]
    values = ({"status": ClauseStatus.SAMPLED, "sampled": len(rows), "nonconforming": len(failed),
               "exclusion_reason": "", "finding": finding} if rows else
              {"status": ClauseStatus.UNRATED, "sampled": 0, "nonconforming": 0, "exclusion_reason": "",
               "finding": rating.finding})
    apply_rating(scope, code=code, values=values, expected_version=rating.version, reason=reason[:Limit.SHORT])
    scope.audit(Event.SAMPLE_REGISTER_CHANGED,
                target=f"评价项目 {engagement_id}《{scope.engagement.title}》 / 条款 {code}", detail=reason)


def _append(session: Session, row: SampleRow, before: dict, reason: str, by: Actor) -> None:
    session.add(SampleChange(sample_id=row.id, engagement_id=row.engagement_id, code=row.code, version=row.version,
                             before=before, after=_values(row), reason=reason[:Limit.SHORT], changed_by=by.name))


def _values(row: SampleRow) -> dict:
    """A row's values as JSON-ready plain data (for the history)."""
    keep = ("reference", "site_id", "sampled_on", "reported_at", "responded_at", "on_site_at", "resolved_at",
            "limit_text", "conforms", "note", "removed")
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in
            ((k, getattr(row, k)) for k in keep)}


def _row(session: Session, sample_id: int) -> SampleRow:
    row = session.get(SampleRow, sample_id)
    if row is None or row.removed:
        raise NotFound(f"未找到样本 {sample_id}")
    return row


def _check_version(row: SampleRow, expected: int) -> None:
    if row.version != expected:
        raise StaleEdit(f"样本 {row.reference} 已被 {row.updated_by} 修改，您的修改未保存。请查看最新内容后再决定是否重新保存。",
                        current=row)


def _check_clause(tree: Tree, code: str) -> None:
    node = tree.node(code)
    if node is None or not node.is_leaf:
        raise NotFound(f"条款 {code} 不是指标树 {tree.ref} 中的评分条款")


def _word(conforms: bool) -> str:
    return "符合" if conforms else "不符合"
