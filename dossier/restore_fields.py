"""Reading one field of a backup's snapshot: text within its limit, a time, a date, a vocabulary value.

A value that breaks a rule refuses the whole backup with a message naming the item (`refused`); a time that is
missing or unreadable means the backup is damaged (`damaged`): nothing is invented in its place.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar

from errors import InvalidInput
from textclean import clean_text

E = TypeVar("E", bound=StrEnum)


def refused(where: str, problem: str) -> InvalidInput:
    return InvalidInput(f"备份未恢复：{where}：{problem}")


def damaged(where: str, problem: str) -> InvalidInput:
    return InvalidInput(f"备份已损坏，未恢复：{where}{problem}")


def items(snapshot: dict, key: str, what: str) -> list[dict]:
    """A list of objects of the snapshot (absent is empty)."""
    value = snapshot.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise damaged(what, "不是对象的列表")
    return value


def text(raw: dict, key: str, where: str, what: str, limit: int, *, required: bool = False,
         clean: bool = True) -> str:
    """Free text as the services store it: cleaned (unless kept as it is), required or not, within `limit`."""
    value = raw.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise refused(where, f"{what}必须是文字")
    value = clean_text(value) if clean else value
    if required and not value.strip():
        raise refused(where, f"请填写{what}")
    if len(value) > limit:
        raise refused(where, f"{what}过长（{len(value)} 字，上限 {limit}）")
    return value


def moment(raw: dict, key: str, where: str, *, required: bool = True) -> datetime | None:
    """An ISO 8601 time (UTC when it names no zone); missing or unreadable means the backup is damaged."""
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise damaged(where, "缺少时间")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise damaged(where, f"的时间“{value[:40]}”无法识别") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day(raw: dict, key: str, where: str, what: str) -> date | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise refused(where, f"{what}“{str(value)[:20]}”不是有效日期（YYYY-MM-DD）") from None


def member(enum: type[E], raw: dict, key: str, where: str, what: str) -> E:
    """A value of one vocabulary set; anything else is refused, naming the field."""
    value = raw.get(key)
    if not isinstance(value, str) or value not in set(enum):
        raise refused(where, f"{what}“{value}”无效")
    return enum(value)


def count(raw: dict, key: str, where: str, what: str, *, least: int = 0) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise damaged(where, f"的{what}“{value}”无效")
    return value
