"""The report's plain rows for samples and service targets, from the snapshot's `sample_registers` and
`service_targets` (no document library: exports/sample_annex.py writes them)."""
from __future__ import annotations


def sample_rows(snapshot: dict) -> list[list[str]]:
    """One row per sample: clause, reference, site, date, times, limit, conclusion, note."""
    def times(s: dict) -> str:
        parts = [f"{word} {s[k][5:]}" for k, word in (("reported", "受理"), ("responded", "响应"),
                                                     ("on_site", "到场"), ("resolved", "完成")) if s.get(k)]
        return "；".join(parts)
    return [[s["code"], s["reference"], s.get("site") or "", s.get("date") or "", times(s), s.get("limit") or "",
             "符合" if s["conforms"] else "不符合", s.get("note") or ""] for s in snapshot.get("sample_registers", [])]


def target_rows(snapshot: dict) -> list[list[str]]:
    state = {None: "尚无记录支持", True: "未达成", False: "达成"}
    return [[t["code"], t["target"], "" if t["measured"] is None else f"{t['measured']:g}%", state[t["missed"]],
             t.get("from_import") or ("证据文件" if t["measured"] is not None else "")]
            for t in snapshot.get("service_targets", [])]


def unsupported_lines(snapshot: dict) -> list[str]:
    """The targets the records do not yet support: not measured, or measured and missed."""
    return [f"{t['code']} {t['target']}：" + ("尚无实测数据" if t["missed"] is None else f"实测 {t['measured']:g}%，未达成")
            for t in snapshot.get("service_targets", []) if t["missed"] is not False]
