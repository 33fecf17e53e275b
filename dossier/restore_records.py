"""Restoring a backup: special items, evidence records and nonconformities checked by their services' rules.

Special items as `add_special_item` checks them (a reason within Limit.REASON, a category for a deduction, a
clause of the tree); evidence as an upload (a clean file name, links to clauses and checklist items of the
tree, a site of the company); nonconformities with their severity and state from the vocabulary and the text
limits of `raise_nonconformity`. References inside the snapshot (a special item's key, a site's name, an
evidence record's hash and upload time) must name something the backup holds.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime

from criteria.model import Tree
from dossier.restore_fields import damaged, day, items, member, moment, refused, text
from errors import InvalidInput
from evidence.models import GENERAL, Evidence, EvidenceLink
from evidence.names import display_name
from evidence.services import MAX_NOTE, check_links
from nonconformities.models import NcEvent, Nonconformity
from records.models import SpecialItem
from vocabulary import SPECIAL_KIND_LABELS, DeductionCategory, Limit, NcState, Severity, SpecialKind

Ref = tuple[str, datetime]  # an evidence record: the file's SHA-256 and the moment of its upload
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEY = re.compile(r"^S([1-9][0-9]*)$")


@dataclass
class EvidencePlan:
    record: Evidence
    site: str | None
    links: list[EvidenceLink]

    @property
    def ref(self) -> Ref:
        return self.record.sha256, self.record.uploaded_at


@dataclass
class NcPlan:
    row: Nonconformity
    special_item: str | None
    site: str | None
    events: list[tuple[NcEvent, list[Ref] | None]] = field(default_factory=list)  # None: names no files


def checked_specials(snap: dict, tree: Tree) -> list[tuple[str, SpecialItem]]:
    """Every special item, active and withdrawn, by its key, in the order they were added (S1, S2, …)."""
    found = []
    for key, kind, what in (("special_deductions", SpecialKind.DEDUCTION, "特别扣分项"),
                            ("special_bonus", SpecialKind.BONUS, "特别加分项"),
                            ("withdrawn_special_items", None, "已撤销的特别项")):
        for i, raw in enumerate(items(snap, key, what), 1):
            found.append(_special(raw, f"第 {i} 项{what}", kind, tree, withdrawn=kind is None))
    keys = [k for k, _ in found]
    if len(set(keys)) != len(keys):
        raise damaged("特别项", "的编号重复")
    return sorted(found, key=lambda pair: int(KEY.match(pair[0]).group(1)))


def _special(raw: dict, where: str, kind: SpecialKind | None, tree: Tree, *,
             withdrawn: bool) -> tuple[str, SpecialItem]:
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise damaged(where, f"的编号“{key}”无效")
    kind = kind or member(SpecialKind, raw, "kind", where, "类型")
    reason = text(raw, "reason", where, "理由", sys.maxsize)
    if not reason or len(reason) > Limit.REASON:
        raise refused(where, f"{SPECIAL_KIND_LABELS[kind]}必须写明理由（不超过 {Limit.REASON} 字）")
    category = raw.get("category") or ""
    if kind == SpecialKind.DEDUCTION and category not in set(DeductionCategory):
        raise refused(where, "请选择特别扣分项的类别")
    code = raw.get("code") or None
    if code is not None and (not isinstance(code, str) or tree.node(code) is None):
        raise refused(where, f"未知的条款代码 {code}")
    item = SpecialItem(kind=kind, reason=reason, code=code, category=category if kind == SpecialKind.DEDUCTION else "",
                       created_by=text(raw, "by", where, "添加人", 100, clean=False),
                       created_at=moment(raw, "at", where))
    if withdrawn:
        reason = text(raw, "withdrawn_reason", where, "撤销理由", sys.maxsize)
        if not reason or len(reason) > Limit.REASON:
            raise refused(where, f"撤销特别项必须写明理由（不超过 {Limit.REASON} 字）")
        item.withdrawn_reason, item.withdrawn_at = reason, moment(raw, "withdrawn_at", f"{where}的撤销")
        item.withdrawn_by = text(raw, "withdrawn_by", where, "撤销人", 100, clean=False)
    return key, item


def checked_evidence(snap: dict, tree: Tree, sites: set[str]) -> list[EvidencePlan]:
    """Every evidence record, the files still in the engagement first, then the removed ones."""
    plans = []
    for key, what in (("evidence", "证据文件"), ("removed_evidence", "已移除的证据文件")):
        for i, raw in enumerate(items(snap, key, what), 1):
            plans.append(_evidence(raw, f"第 {i} 个{what}", tree, sites, removed=key == "removed_evidence"))
    if len({p.ref for p in plans}) != len(plans):
        raise damaged("证据文件", "的上传记录重复（同一文件、同一上传时间）")
    active = [p.record.sha256 for p in plans if p.record.removed_at is None]
    if len(set(active)) != len(active):
        raise refused("证据文件", "同一文件在项目中只能有一份有效记录")
    return plans


def _evidence(raw: dict, where: str, tree: Tree, sites: set[str], *, removed: bool) -> EvidencePlan:
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not SHA256.match(sha):
        raise damaged(where, "的 SHA-256 无效")
    try:
        name = display_name(text(raw, "name", where, "文件名", sys.maxsize, clean=False))
    except InvalidInput as exc:
        raise refused(where, exc.message) from None
    where = f"{where}“{name}”"
    record = Evidence(sha256=sha, size=_size(raw, where), name=name, kind=text(raw, "kind", where, "类型", 10),
                      note=text(raw, "note", where, "说明", MAX_NOTE),
                      uploaded_by=text(raw, "uploaded_by", where, "上传人", 100, clean=False),
                      uploaded_at=moment(raw, "uploaded_at", f"{where}的上传"))
    if removed:
        record.removed_by = text(raw, "removed_by", where, "移除人", 100, clean=False)
        record.removed_at = moment(raw, "removed_at", f"{where}的移除")
        record.removed_reason = text(raw, "removed_reason", where, "移除理由", MAX_NOTE, required=True)
    links = [_link(link, where, tree) for link in items(raw, "links", f"{where}的关联")]
    active = [(link.code, link.item) for link in links if link.unlinked_at is None]
    if len(set(active)) != len(active):
        raise damaged(where, "的关联重复")
    return EvidencePlan(record, _site(raw, where, sites), links)


def _size(raw: dict, where: str) -> int:
    size = raw.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise damaged(where, "的大小无效")
    return size


def _link(raw: dict, where: str, tree: Tree) -> EvidenceLink:
    """A link to the clause as a whole (item null) or to the n-th item (from 1) of its evidence checklist."""
    code, item = raw.get("code"), raw.get("item")
    if not isinstance(code, str) or not (item is None or (isinstance(item, int) and not isinstance(item, bool))):
        raise damaged(where, "的关联不完整")
    index = GENERAL if item is None else item - 1
    try:
        check_links(tree, {code: {index}})
    except InvalidInput as exc:
        raise refused(where, exc.message) from None
    if item is not None and item < 1:
        raise refused(where, f"条款 {code} 没有第 {item} 项证据要求")
    link = EvidenceLink(code=code, item=index, linked_by=text(raw, "by", where, "关联人", 100, clean=False),
                        linked_at=moment(raw, "at", f"{where}与条款 {code} 的关联"))
    if raw.get("unlinked_at") is not None:
        link.unlinked_at = moment(raw, "unlinked_at", f"{where}与条款 {code} 的取消关联")
        link.unlinked_by = text(raw, "unlinked_by", where, "取消关联人", 100, clean=False)
    return link


def _site(raw: dict, where: str, sites: set[str]) -> str | None:
    name = raw.get("site")
    if name is None:
        return None
    if name not in sites:
        raise refused(where, f"所属场所“{name}”不在备份的场所中")
    return name


def checked_nonconformities(snap: dict, tree: Tree, deductions: set[str], sites: set[str],
                            refs: set[Ref]) -> list[NcPlan]:
    plans: list[NcPlan] = []
    for i, raw in enumerate(items(snap, "nonconformities", "不符合项"), 1):
        plan = _nonconformity(raw, i, tree, deductions, sites)
        if any(p.row.number == plan.row.number for p in plans):
            raise refused(f"不符合项 NC-{plan.row.number:02d}", "编号重复")
        where = f"不符合项 NC-{plan.row.number:02d} 的历史"
        plan.events = [_event(step, f"{where}第 {j} 条", refs)
                       for j, step in enumerate(items(raw, "history", where), 1)]
        plan.row.version = len(plan.events)  # each move of the workflow adds one step and one version
        plans.append(plan)
    return plans


def _nonconformity(raw: dict, i: int, tree: Tree, deductions: set[str], sites: set[str]) -> NcPlan:
    number = raw.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise refused(f"第 {i} 个不符合项", f"编号“{number}”无效")
    where = f"不符合项 NC-{number:02d}"
    code, special = raw.get("code"), raw.get("special_item")
    node = tree.node(code) if isinstance(code, str) else None
    if code is not None and (node is None or not node.is_leaf):
        raise refused(where, f"未知的条款代码 {code}")
    if special is not None and special not in deductions:
        raise refused(where, f"所依据的特别扣分项 {special} 不在备份中")
    row = Nonconformity(number=number, code=code, severity=member(Severity, raw, "severity", where, "严重程度"),
                        state=member(NcState, raw, "status", where, "状态"),
                        finding=text(raw, "finding", where, "不符合事实描述", Limit.TEXT, required=True),
                        requirement=text(raw, "requirement", where, "要求", Limit.TEXT),
                        evidence_seen=text(raw, "evidence_seen", where, "所见证据", Limit.TEXT),
                        due_date=day(raw, "due_date", where, "整改期限"),
                        raised_by=text(raw, "raised_by", where, "开具人", 100, clean=False),
                        raised_at=moment(raw, "raised_at", f"{where}的开具"),
                        acknowledged_by=text(raw, "acknowledged_by", where, "确认的企业代表", 100) or None,
                        acknowledged_on=day(raw, "acknowledged_on", where, "确认日期"),
                        acknowledgement_note=text(raw, "acknowledgement_note", where, "确认说明", Limit.TEXT) or None,
                        acknowledgement_entered_by=text(raw, "acknowledgement_entered_by", where, "确认录入人", 100,
                                                        clean=False) or None,
                        planned_completion=day(raw, "planned_completion", where, "计划完成日期"))
    return NcPlan(row, special, _site(raw, where, sites))


def _event(raw: dict, where: str, refs: set[Ref]) -> tuple[NcEvent, list[Ref] | None]:
    """One step as it is; the files a rectification names must be records of the backup."""
    details = raw.get("details") if raw.get("details") is not None else {}
    if not isinstance(details, dict):
        raise damaged(where, "的详情不完整")
    named = details.get("evidence")
    files = None if named is None else [_ref(ref, where, refs) for ref in (named if isinstance(named, list) else [0])]
    event = NcEvent(event=text(raw, "event", where, "事件", 20, required=True, clean=False),
                    from_state=member(NcState, raw, "from", where, "原状态"),
                    to_state=member(NcState, raw, "to", where, "新状态"),
                    comment=text(raw, "comment", where, "意见", Limit.TEXT, clean=False),
                    details={k: v for k, v in details.items() if k not in ("evidence", "evidence_ids")},
                    by=text(raw, "by", where, "处理人", 100, clean=False), at=moment(raw, "at", where))
    return event, files


def _ref(ref: object, where: str, refs: set[Ref]) -> Ref:
    if not isinstance(ref, dict):
        raise damaged(where, "所列的整改证据不完整")
    named = (ref.get("sha256"), moment(ref, "uploaded_at", f"{where}所列整改证据"))
    if named not in refs:
        raise damaged(where, f"所列的整改证据 {str(named[0])[:12]}… 不在备份中")
    return named
