"""The evaluation plan's document: one version's content gathered into plain data for exports/plan_document.py."""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.engagements import engagement_overview
from criteria.model import Tree
from cycle.plans import plan_record
from errors import NotFound
from exports.plan_document import PlanDocument, render_plan_document
from exports.sampling_text import planned_rows, sampling_rationale, visited_rows
from exports.wording import wording
from records.models import Site
from sampling.plain import sampling_plain
from vocabulary import KIND_LABELS, SITE_LABELS, TEAM_ROLE_LABELS, EngagementKind, SiteKind, TeamRole


def plan_document_data(session: Session, engagement_id: int, version: int, *, tree: Tree, by: Actor) -> PlanDocument:
    """One version the reader may see (a client sees sent versions only)."""
    overview = engagement_overview(session, engagement_id, by=by)
    record = plan_record(session, engagement_id, tree=tree, by=by)
    v = next((v for v in record.versions if v.version == version), None)
    if record.plan is None or v is None:
        raise NotFound(f"未找到评价计划第 {version} 版")
    sites = {s.id: s for s in session.exec(select(Site).where(Site.company_id == overview.company.id))}
    days = " 至 ".join(f"{d:%Y-%m-%d}" for d in dict.fromkeys(filter(None, (v.visit_start, v.visit_end))))
    plain = sampling_plain(session, engagement_id)  # the same plain data the report's snapshot holds
    notice = (f"本计划于现场评价前至少 {tree.scheme.plan_notice_days} 天送达受评价企业；企业如有异议，可说明理由，"
              "由审查组长调整计划或评价组。")
    return PlanDocument(
        number=record.plan.number, version=v.version, company=overview.company.name,
        kind=KIND_LABELS[EngagementKind(overview.engagement.kind)], objectives=v.objectives, scope=v.scope,
        criteria=v.criteria, visit=days,
        team="、".join(f"{m.name}（{TEAM_ROLE_LABELS[TeamRole(m.role)]}）" for m in overview.team),
        agenda=[(r.get("time", ""), r.get("item", ""), r.get("who", "")) for r in v.agenda],
        assignments=[(a["member"], "、".join(_indicator(tree, c) for c in a.get("indicators", [])),
                      "、".join(sites[i].name for i in a.get("sites", []) if i in sites)) for a in v.assignments],
        sites=[(sites[i].name, SITE_LABELS[SiteKind(sites[i].kind)], sites[i].address) for i in v.site_ids if i in sites],
        sent=f"{v.sent_on:%Y-%m-%d}（{v.sent_by}）" if v.sent_on else "", revision_reason=v.revision_reason,
        notice=notice, sampling=sampling_rationale(plain["sampling"]), planned_sites=planned_rows(plain["sampling"]),
        sites_visited=visited_rows(plain["site_visits"]), title=wording(overview.engagement.kind).titles["plan"],
        credit_code=overview.company.credit_code, address=overview.company.address or "",
        tree_title=f"{tree.title}（{tree.ref}）",
        members=[(m.name, TEAM_ROLE_LABELS[TeamRole(m.role)]) for m in overview.team],
        sent_on=f"{v.sent_on:%Y-%m-%d}" if v.sent_on else "", sent_by=(v.sent_by or "") if v.sent_on else "")


def plan_docx(session: Session, engagement_id: int, version: int, *, tree: Tree, by: Actor) -> bytes:
    return render_plan_document(plan_document_data(session, engagement_id, version, tree=tree, by=by))


def _indicator(tree: Tree, code: str) -> str:
    node = tree.node(code)
    return f"{code} {node.name}" if node else code
