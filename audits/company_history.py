"""The history of a company and its sites: one append-only row per registration, edit, deactivation or
reactivation holding the changed fields before and after, and how a reader sees such a row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from accounts.actor import Actor
from records.models import CompanyChange
from vocabulary import SITE_LABELS

CHANGE_LABELS = {"name": "名称", "credit_code": "统一社会信用代码", "address": "地址", "industry": "行业",
                 "scope": "认证范围", "contact": "联系人", "kind": "类型", "contracted": "委托网点", "active": "状态"}


@dataclass(frozen=True)
class HistoryLine:
    """One change as the company page lists it."""

    at: datetime
    by: str
    subject: str   # 企业, or 场所 and the site's name
    change: str    # 地址：旧 → 新；状态：启用 → 停用


def differences(current: dict, wanted: dict) -> tuple[dict, dict]:
    """The fields of `wanted` whose value differs from `current`: (their values before, their values after)."""
    changed = [k for k, v in wanted.items() if current.get(k) != v]
    return {k: current.get(k) for k in changed}, {k: wanted[k] for k in changed}


def record_change(session: Session, *, company_id: int, before: dict, after: dict, by: Actor,
                  site_id: int | None = None) -> None:
    """Add the change to the caller's transaction (kept exactly when the change is committed)."""
    session.add(CompanyChange(company_id=company_id, site_id=site_id, before=_plain(before), after=_plain(after),
                              changed_by=by.name))


def describe(before: dict, after: dict) -> str:
    """`地址：旧 → 新；…` for an edit; `名称 …；类型 …` for a registration (nothing before)."""
    if not before:
        return "登记：" + "；".join(f"{CHANGE_LABELS.get(k, k)} {shown(k, v)}" for k, v in after.items()
                                   if v not in ("", None))
    return "；".join(f"{CHANGE_LABELS.get(k, k)}：{shown(k, before.get(k))} → {shown(k, v)}" for k, v in after.items())


def shown(field: str, value) -> str:
    if field == "active":
        return "启用" if value else "停用"
    if field == "contracted":
        return "是" if value else "否"
    if field == "kind":
        return SITE_LABELS.get(value, str(value))
    return "（空）" if value in ("", None) else str(value)


def history_line(change: CompanyChange, site_names: dict[int, str]) -> HistoryLine:
    subject = "企业" if change.site_id is None else f"场所 {site_names.get(change.site_id, change.site_id)}"
    return HistoryLine(change.changed_at, change.changed_by, subject, describe(change.before, change.after))


def _plain(values: dict) -> dict:
    """JSON-ready values (a site kind is a StrEnum)."""
    return {k: (str(v) if isinstance(v, str) else v) for k, v in values.items()}
