"""An engagement's sampling plan, visits and per-site findings as plain data, named by site names (no database
ids): the snapshot's `sampling`, `site_visits` and `site_findings` keys (docs/snapshot-format.md), and what the
plan document prints, from one function so the plan, the report and the workspace list the same sites.
The caller has checked the reader may view the engagement."""
from __future__ import annotations

from sqlmodel import Session, select

from records.models import Site
from sampling.models import SamplingPlanVersion
from sampling.site_work import finding_rows
from sampling.visits import visit_lines


def sampling_plain(session: Session, engagement_id: int) -> dict:
    latest = session.exec(select(SamplingPlanVersion).where(SamplingPlanVersion.engagement_id == engagement_id)
                          .order_by(SamplingPlanVersion.version.desc())).first()
    ids = {r["site_id"] for r in latest.sites} if latest else set()
    findings = finding_rows(session, engagement_id)
    ids |= {f.site_id for f in findings}
    sites = {s.id: s for s in session.exec(select(Site).where(Site.id.in_(ids or [-1])))}
    return {
        "sampling": None if latest is None else {
            "version": latest.version, "outlets": latest.outlets, "size": latest.size,
            "random_count": latest.random_count, "seed": latest.seed, "auditor_days": latest.auditor_days,
            "reason": latest.reason, "by": latest.created_by, "at": latest.created_at.isoformat(),
            "sites": [{"site": sites[r["site_id"]].name, "kind": sites[r["site_id"]].kind, "how": r["how"],
                       "reason": r.get("reason", "")} for r in latest.sites if r["site_id"] in sites]},
        "site_visits": [{"site": v.site.name, "date": v.visited_on.isoformat(), "by": v.visited_by}
                        for v in visit_lines(session, engagement_id)],
        "site_findings": [{"code": f.code, "site": sites[f.site_id].name, "text": f.text, "against": f.against,
                           "by": f.recorded_by, "at": f.recorded_at.isoformat()} for f in findings],
    }
