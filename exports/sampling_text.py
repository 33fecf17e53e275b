"""The sampling plan and the sites visited as documents print them, from the snapshot's plain `sampling` and
`site_visits` (sampling/plain.py builds both): the plan document and the report use these, so they agree.
Pure; what is missing (an old snapshot) prints as nothing."""
from __future__ import annotations

from vocabulary import SITE_LABELS, SITE_SELECTION_LABELS, SiteSelection


def sampling_rationale(sampling: dict | None) -> str:
    """One sentence: how many outlets, how many sampled and how, the seed, the auditor-days."""
    if not sampling:
        return ""
    chosen = len([s for s in sampling.get("sites", []) if s.get("how") == SiteSelection.CHOSEN])
    drawn = len([s for s in sampling.get("sites", []) if s.get("how") == SiteSelection.RANDOM])
    return (f"抽样方案第 {sampling.get('version', '')} 版：受评价企业在用服务网点 {sampling.get('outlets', 0)} 个，"
            f"按认证方案规则应抽取 {sampling.get('size', 0)} 个（至少随机抽取 {sampling.get('random_count', 0)} 个）；"
            f"实际随机抽取 {drawn} 个（随机种子 {sampling.get('seed', '')}，同一种子可复现抽样结果），"
            f"审查组长选定 {chosen} 个并写明理由；总部必访。审核人日不少于 {sampling.get('auditor_days', '')} 人日。")


def planned_rows(sampling: dict | None) -> list[tuple[str, str, str, str]]:
    """(site, kind, how it was chosen, reason) for each site to visit."""
    return [(s.get("site", ""), SITE_LABELS.get(s.get("kind"), ""), SITE_SELECTION_LABELS.get(s.get("how"), ""),
             s.get("reason", "")) for s in (sampling or {}).get("sites", [])]


def visited_rows(visits: list[dict] | None) -> list[tuple[str, str, str]]:
    """(site, date, team member) for each visit."""
    return [(v.get("site", ""), v.get("date", ""), v.get("by", "")) for v in visits or []]


def visited_sites(visits: list[dict] | None) -> list[str]:
    """The sites visited, each once, in the order of their first visit."""
    return list(dict.fromkeys(v.get("site", "") for v in visits or []))
