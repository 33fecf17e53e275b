"""Restoring a backup, second half: the checked Plan written as rows, inside the caller's transaction.

References become this installation's ids: sites by name (the company's first site of that name), special
items by their key, evidence records by hash and upload time, so a nonconformity keeps its special item and
site and a rectification keeps the files it named. When the company already has an engagement with the same
title (a backup restored into the installation it came from), the copy's title says it was restored.
"""
from __future__ import annotations

from sqlmodel import Session, select

from dossier.restore_check import Plan
from dossier.restore_records import EvidencePlan, NcPlan, Ref
from records.models import Company, Engagement, Site
from vocabulary import Limit

RESTORED = "（恢复）"


def write_plan(session: Session, plan: Plan) -> Engagement:
    """Add every row of the plan; flushes but never commits (the caller owns the transaction)."""
    company = plan.existing_company or Company.model_validate(plan.company)
    session.add(company)
    session.flush()
    session.add_all(Site(company_id=company.id, **site.model_dump()) for site in plan.new_sites)
    session.flush()
    sites = _site_ids(session, company.id)
    title = restored_title(session, company.id, plan.engagement.title)
    engagement = Engagement.model_validate(plan.engagement, update={"company_id": company.id, "title": title,
                                                                    **plan.engagement_fields})
    session.add(engagement)
    session.flush()
    for row in [*plan.team, *plan.clauses, *plan.history]:
        row.engagement_id = engagement.id
        session.add(row)
    specials = {}
    for key, item in plan.specials:  # in key order: the order they were first added
        item.engagement_id = engagement.id
        session.add(item)
        session.flush()
        specials[key] = item.id
    evidence = _evidence(session, engagement.id, plan.evidence, sites)
    for nc in plan.nonconformities:
        _nonconformity(session, engagement.id, nc, specials, sites, evidence)
    session.flush()
    return engagement


def restored_title(session: Session, company_id: int, title: str) -> str:
    """The title, or when the company has an engagement of that title already, the title marked （恢复）,
    （恢复 2）, … so the copy is never mistaken for the original."""
    taken = set(session.exec(select(Engagement.title).where(Engagement.company_id == company_id)))
    if title not in taken:
        return title
    n = 1
    while True:
        mark = RESTORED if n == 1 else f"（恢复 {n}）"
        candidate = title[: Limit.NAME - len(mark)] + mark
        if candidate not in taken:
            return candidate
        n += 1


def _site_ids(session: Session, company_id: int) -> dict[str, int]:
    ids: dict[str, int] = {}
    for site in session.exec(select(Site).where(Site.company_id == company_id).order_by(Site.id)):
        ids.setdefault(site.name, site.id)
    return ids


def _evidence(session: Session, engagement_id: int, plans: list[EvidencePlan], sites: dict[str, int]) -> dict[Ref, int]:
    ids = {}
    for plan in plans:
        plan.record.engagement_id = engagement_id
        plan.record.site_id = sites[plan.site] if plan.site else None
        session.add(plan.record)
        session.flush()
        ids[plan.ref] = plan.record.id
        for link in plan.links:
            link.evidence_id = plan.record.id
            session.add(link)
    return ids


def _nonconformity(session: Session, engagement_id: int, plan: NcPlan, specials: dict[str, int],
                   sites: dict[str, int], evidence: dict[Ref, int]) -> None:
    nc = plan.row
    nc.engagement_id = engagement_id
    nc.special_item_id = specials[plan.special_item] if plan.special_item else None
    nc.site_id = sites[plan.site] if plan.site else None
    session.add(nc)
    session.flush()
    for event, files in plan.events:
        event.nonconformity_id = nc.id
        if files is not None:
            event.details = event.details | {"evidence_ids": sorted({evidence[ref] for ref in files})}
        session.add(event)
