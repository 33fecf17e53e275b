"""Use cases for a company's own log: preview it with the mapping to confirm, import it once confirmed, read it
back, and draw a reproducible sample of its cases into a clause's register.

Rules:
- A preview changes nothing; the mapping offered is the one last confirmed for the company and the kind of
  log when the file has those headers, otherwise one guessed from the header names.
- Confirming parses the file again (a preview is never trusted), refuses a mapping that misses a column,
  and then keeps everything: the original file by its SHA-256 in the evidence store, the parsed table (rows
  with problems marked, none dropped but empty rows) as a CSV beside it, the mapping in the import row and,
  remembered for the company and kind, in ColumnMapping.
- A sample is drawn from the sound cases with a seed (chosen at random when not given, and kept on the
  import); each case drawn is checked against the time limit given, which decides conform or not.
"""
from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput, NotFound
from evidence.store import BlobStore
from records.models import utcnow
from samples.logs import (
    ParsedLog,
    RawLog,
    TimeLimit,
    Timeliness,
    check_limit,
    draw_sample,
    guess_mapping,
    parse_log,
    read_log,
    table_csv,
)
from samples.models import ColumnMapping, RecordImport, SampleRow
from samples.registers import SampleEntry, add_in_scope
from samples.tables import stored_table, stored_timeliness
from textclean import clean_text
from vocabulary import LOG_KIND_LABELS, Limit, LogField, LogKind

MAX_SAMPLE = 500


@dataclass
class Preview:
    raw: RawLog
    mapping: dict[str, str]
    parsed: ParsedLog
    remembered: bool  # the mapping is the one confirmed last time for this company and kind


def preview_log(session: Session, *, engagement_id: int, kind: LogKind, name: str, data: bytes,
                mapping: dict[str, str] | None, by: Actor) -> Preview:
    """What importing would give, with every problem; nothing is stored."""
    engagement = get_engagement(session, engagement_id, by=by)
    raw = read_log(name, data)
    remembered = False
    if mapping is None:
        kept = _kept_mapping(session, engagement.company_id, kind)
        remembered = bool(kept) and all(h in raw.headers for h in kept.values() if h)
        mapping = kept if remembered else guess_mapping(raw.headers)
    mapping = {LogField(f): h for f, h in mapping.items() if h}
    return Preview(raw, mapping, parse_log(raw, mapping), remembered)


def confirm_import(session: Session, store: BlobStore, *, engagement_id: int, kind: LogKind, name: str, data: bytes,
                   mapping: dict[str, str], by: Actor, max_bytes: int) -> RecordImport:
    """Import the log with the mapping the user confirmed."""
    file_name = clean_text(name)[:Limit.NAME]
    with engagement_scope(session, engagement_id, Action.RATE, by=by) as scope:
        raw = read_log(file_name, data)
        mapping = {str(LogField(f)): h for f, h in mapping.items() if h}
        parsed = parse_log(raw, mapping)
        whole_file = [p.text() for p in parsed.problems if p.row is None]
        if whole_file:
            raise InvalidInput("列的对应有误，未导入：" + "；".join(whole_file))
        if parsed.table.empty:
            raise InvalidInput("记录中没有数据行，未导入")
        kind_word = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
        original = store.put(io.BytesIO(data), max_bytes=max_bytes, check=lambda path, head, size: kind_word)
        table = store.put(io.BytesIO(table_csv(parsed.table)), max_bytes=max(max_bytes, 4 * len(data) + 1_000_000),
                          check=lambda path, head, size: "csv")
        row = RecordImport(engagement_id=engagement_id, kind=LogKind(kind), file_name=file_name,
                           original_sha256=original.sha256, table_sha256=table.sha256, encoding=raw.encoding,
                           mapping=mapping, rows=len(parsed.table), imported_by=by.name)
        session.add(row)
        _remember(session, scope.engagement.company_id, LogKind(kind), mapping, by)
        session.flush()
        scope.audit(Event.RECORDS_IMPORTED, detail=f"{LOG_KIND_LABELS[LogKind(kind)]}《{file_name}》"
                                                   f"{len(parsed.table)} 行，{len(parsed.problems)} 处问题")
    return row


def imports_of(session: Session, engagement_id: int, *, by: Actor) -> list[RecordImport]:
    get_engagement(session, engagement_id, by=by)
    return list(session.exec(select(RecordImport).where(RecordImport.engagement_id == engagement_id)
                             .order_by(RecordImport.id)))


def imported_table(session: Session, store: BlobStore, import_id: int, *, by: Actor) -> pd.DataFrame:
    """The parsed table of an import, as stored."""
    record = _import(session, import_id)
    get_engagement(session, record.engagement_id, by=by)
    return stored_table(store, record.table_sha256)


def import_timeliness(session: Session, store: BlobStore, import_id: int, limit: TimeLimit, *,
                      by: Actor) -> Timeliness:
    """An import's cases checked against a time limit (the analysis page), computed once per table and limit."""
    record = _import(session, import_id)
    get_engagement(session, record.engagement_id, by=by)
    return stored_timeliness(store, record.table_sha256, limit)


def draw_into_register(session: Session, store: BlobStore, *, import_id: int, code: str, size: int,
                       limit: TimeLimit, tree: Tree, by: Actor, seed: int | None = None) -> list[SampleRow]:
    """Draw `size` cases at random (the seed kept on the import) into the clause's register, each checked
    against `limit`."""
    record = _import(session, import_id)
    if not 1 <= size <= MAX_SAMPLE:
        raise InvalidInput(f"样本数量应在 1 到 {MAX_SAMPLE} 之间")
    seed = secrets.randbelow(2**31) if seed is None else seed
    with engagement_scope(session, record.engagement_id, Action.RATE, by=by) as scope:
        drawn = draw_sample(stored_table(store, record.table_sha256), size, seed)
        checked = check_limit(drawn, limit)
        entries = [_entry(case, met, applies, limit) for case, met, applies in
                   zip(drawn.to_dict("records"), checked["met"], checked["applies"], strict=True)]
        failed = sum(not e.conforms for e in entries)
        why = (f"样本登记：从导入的{LOG_KIND_LABELS[record.kind]}《{record.file_name}》随机抽取 {len(entries)} 个样本"
               f"（种子 {seed}），{failed} 个不符合")
        rows = add_in_scope(scope, code=code, entries=entries, tree=tree, import_id=record.id, why=why)
        record.seed = seed
        session.add(record)
    return rows


def _entry(case: dict, met: bool, applies: bool, limit: TimeLimit) -> SampleEntry:
    def when(field: LogField):
        value = case.get(field)
        return None if value is None or pd.isna(value) else value.to_pydatetime()
    reported = when(LogField.REPORTED)
    return SampleEntry(reference=str(case[LogField.CASE])[:60], conforms=bool(met or not applies),
                       sampled_on=reported.date() if reported else None, reported_at=reported,
                       responded_at=when(LogField.RESPONDED), on_site_at=when(LogField.ON_SITE),
                       resolved_at=when(LogField.RESOLVED), limit_text=limit.text(),
                       note=f"原记录第 {case['row']} 行" + ("" if applies else "；超出距离范围，时限不适用"))


def _import(session: Session, import_id: int) -> RecordImport:
    record = session.get(RecordImport, import_id)
    if record is None:
        raise NotFound(f"未找到导入记录 {import_id}")
    return record


def _kept_mapping(session: Session, company_id: int, kind: LogKind) -> dict[str, str]:
    row = session.exec(select(ColumnMapping).where(ColumnMapping.company_id == company_id,
                                                   ColumnMapping.kind == kind)).one_or_none()
    return dict(row.mapping) if row else {}


def _remember(session: Session, company_id: int, kind: LogKind, mapping: dict, by: Actor) -> None:
    row = session.exec(select(ColumnMapping).where(ColumnMapping.company_id == company_id,
                                                   ColumnMapping.kind == kind)).one_or_none()
    row = row or ColumnMapping(company_id=company_id, kind=kind, mapping={}, updated_by=by.name)
    row.mapping, row.updated_by, row.updated_at = dict(mapping), by.name, utcnow()
    session.add(row)
