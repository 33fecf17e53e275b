"""One person's reminder digest as plain text: the subject and body of the e-mail, from their due items (pure)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cycle.due import DueItem
from vocabulary import DUE_KIND_LABELS, DUE_STATE_LABELS, DueState


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str


def build_digest(*, name: str, items: Sequence[DueItem], today: date, public_url: str, body_name: str) -> Digest:
    """Overdue items first, then by date; each with its state, kind, company, date and what is due."""
    overdue = sum(1 for i in items if i.state == DueState.OVERDUE)
    sender = body_name or "认证评价系统"
    subject = f"【{sender}】{today} 到期事项提醒：{len(items)} 项" + (f"（已逾期 {overdue} 项）" if overdue else "")
    lines = [f"{name}，您好：", "", f"截至 {today}，以下 {len(items)} 项事项需要您关注"
             + (f"，其中 {overdue} 项已逾期" if overdue else "") + "：", ""]
    ordered = sorted(items, key=lambda i: (i.state != DueState.OVERDUE, i.due, i.key))
    for number, item in enumerate(ordered, 1):
        lines.append(f"{number}. [{DUE_STATE_LABELS[item.state]}] {DUE_KIND_LABELS[item.kind]} · {item.company}"
                     f" · 到期日 {item.due}")
        lines.append(f"   {item.description}")
    lines += ["", f"请登录系统查看和处理：{public_url}", "",
              f"此邮件由{sender}自动发送，每人每天最多一封；如不需要接收，请联系管理员删除您账户中的邮箱。"]
    return Digest(subject, "\n".join(lines) + "\n")


def item_record(item: DueItem) -> dict:
    """What a sent (or failed) reminder keeps of each item."""
    return {"key": item.key, "kind": item.kind.value, "state": item.state.value, "due": item.due.isoformat(),
            "company": item.company, "description": item.description}
