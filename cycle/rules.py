"""Pure rules of the work before the visit (domain brief A6): the plan's number, its agenda and attendee lists as
typed, the draft's version, the team's one lead assessor, and what a decided engagement no longer accepts.

- A plan is numbered "JH-{year}-{engagement id:04d}" (评价计划, one per engagement).
- The agenda is typed one row per line, "time | item | who" (the full-width ｜ or a tab also separates); an item
  is required on each row, empty lines are skipped.
- Attendees are typed one name per line; blanks and repeats are dropped.
- A draft plan version is identified by a fingerprint of its content: a save names the fingerprint it was based
  on, so of two people editing the same draft the second is refused instead of overwriting the first.
- A certification team keeps exactly one lead assessor (a pre-audit's team is the consultant's).
- Once the certification decision is taken (decided, closed), the title, dates, team and plan stay as they were.
"""
from __future__ import annotations

import hashlib
import json
import re

from errors import InvalidInput
from vocabulary import EngagementKind, Limit, TeamRole

AGENDA_ROWS, AGENDA_CELL, NAMES = 100, 200, 100
_SEPARATOR = re.compile(r"\s*[|｜\t]\s*")


def plan_number(year: int, engagement_id: int) -> str:
    return f"JH-{year}-{engagement_id:04d}"


def parse_agenda(text: str) -> list[dict]:
    """Agenda rows from the typed text; InvalidInput naming the line when a row has no item or too much text."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in _SEPARATOR.split(line.strip(), maxsplit=2)]
        time, item, who = (cells + ["", ""])[:3] if len(cells) > 1 else ("", cells[0], "")
        if not item:
            raise InvalidInput(f"日程第 {number} 行缺少内容（格式：时间｜内容｜负责人）")
        if max(len(time), len(item), len(who)) > AGENDA_CELL:
            raise InvalidInput(f"日程第 {number} 行过长（每栏不超过 {AGENDA_CELL} 字）")
        rows.append({"time": time, "item": item, "who": who})
    if len(rows) > AGENDA_ROWS:
        raise InvalidInput(f"日程不能超过 {AGENDA_ROWS} 行")
    return rows


def agenda_text(rows: list[dict]) -> str:
    """The stored agenda as the form shows it (parse_agenda reads it back unchanged)."""
    return "\n".join(f"{r.get('time', '')} | {r['item']} | {r.get('who', '')}".strip() for r in rows)


def parse_names(text: str | list[str], what: str) -> list[str]:
    """Names typed one per line (or given as a list), blanks and repeats dropped, in the order given."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    names = list(dict.fromkeys(n.strip() for n in lines if n and n.strip()))
    if len(names) > NAMES or any(len(n) > 100 for n in names):
        raise InvalidInput(f"{what}不能超过 {NAMES} 人，每个姓名不超过 100 字")
    return names


def draft_version(content: dict) -> int:
    """The fingerprint of a draft's content, as a number a form keeps like any version."""
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return int.from_bytes(hashlib.sha256(raw).digest()[:6], "big")


def team_problem(kind: str, roles: list[str]) -> str:
    """What is wrong with a team of these roles, or "" when nothing is."""
    if kind == EngagementKind.PRE_AUDIT:
        return "预评价的评价组不能有审查组长" if TeamRole.LEAD_ASSESSOR in roles else ""
    leads = sum(1 for r in roles if r == TeamRole.LEAD_ASSESSOR)
    return "" if leads == 1 else f"评价组须有且只有一名审查组长（现有 {leads} 名）"


def reason_text(reason: str, what: str) -> str:
    """A required written reason, cleaned by the caller; InvalidInput when missing or too long."""
    if not reason or len(reason) > Limit.REASON:
        raise InvalidInput(f"{what}必须写明理由（不超过 {Limit.REASON} 字）")
    return reason
