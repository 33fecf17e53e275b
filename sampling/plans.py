"""Use cases for an engagement's sampling plan (抽样方案): what the rules propose, saving a version, reading it.

The headquarters is always in the plan; the random part is drawn here from the seed the lead gives (never typed
by hand), over the company's active outlets (sampling/rules.py); the lead adds outlets with a written reason
each. Saving appends a version (append-only, with who and why; a change after the first version needs a
reason), checked against the version the form showed. Whoever may view the engagement reads the plan; the lead
(MANAGE_ENGAGEMENT) changes it, until the certification decision is taken.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.engagements import get_engagement
from audits.scope import engagement_scope
from criteria.model import Tree
from errors import InvalidInput, StaleEdit
from records.models import CompanyChange, Engagement, Site
from sampling import rules
from sampling.models import SamplingPlanVersion, SiteVisit
from textclean import clean_text
from vocabulary import SETTLED, SITE_SELECTION_LABELS, Limit, SiteKind, SiteSelection


@dataclass(frozen=True)
class Proposal:
    """What the rules give for an engagement today: its active outlets, the size, the random part, the
    auditor-days of the minimum plan and the outlets worth choosing."""

    headquarters: list[Site]
    outlets: list[Site]
    size: int
    random_count: int
    suggestions: list[rules.Suggestion]

    def drawn(self, seed: int) -> list[int]:
        return rules.draw([s.id for s in self.outlets], self.random_count, seed)


@dataclass(frozen=True)
class PlannedSite:
    site: Site
    how: SiteSelection
    reason: str

    @property
    def rationale(self) -> str:
        label = SITE_SELECTION_LABELS[self.how]
        return f"{label}：{self.reason}" if self.reason else label


def _company_sites(session: Session, company_id: int) -> list[Site]:
    return list(session.exec(select(Site).where(Site.company_id == company_id).order_by(Site.id)))


def _previously_visited(session: Session, engagement: Engagement) -> set[int] | None:
    if engagement.previous_id is None:
        return None
    return set(session.exec(select(SiteVisit.site_id).where(SiteVisit.engagement_id == engagement.previous_id,
                                                             SiteVisit.withdrawn_at.is_(None))))


def _new_since_previous(session: Session, engagement: Engagement, outlets: list[Site]) -> set[int]:
    """Outlets registered after the previous engagement of the cycle was created."""
    previous = session.get(Engagement, engagement.previous_id) if engagement.previous_id else None
    if previous is None:
        return set()
    first = {}
    for change in session.exec(select(CompanyChange).where(CompanyChange.site_id.in_([s.id for s in outlets] or [-1]))
                               .order_by(CompanyChange.id)):
        first.setdefault(change.site_id, change.changed_at)
    return {site_id for site_id, at in first.items() if at > previous.created_at}


def _proposal(session: Session, engagement: Engagement, tree: Tree) -> Proposal:
    sites = [s for s in _company_sites(session, engagement.company_id) if s.active]
    outlets = [s for s in sites if s.kind == SiteKind.OUTLET]
    size = rules.size_for(tree.scheme, engagement.kind, len(outlets))
    return Proposal([s for s in sites if s.kind == SiteKind.HEADQUARTERS], outlets, size, rules.random_count(size),
                    rules.suggestions([s.id for s in outlets],
                                      previously_visited=_previously_visited(session, engagement),
                                      new_ids=_new_since_previous(session, engagement, outlets)))


def propose(session: Session, engagement_id: int, *, tree: Tree, by: Actor) -> Proposal:
    return _proposal(session, get_engagement(session, engagement_id, by=by), tree)


def plan_versions(session: Session, engagement_id: int, *, by: Actor) -> list[SamplingPlanVersion]:
    """Every version of the plan, oldest first (its history)."""
    get_engagement(session, engagement_id, by=by)
    return _versions(session, engagement_id)


def _versions(session: Session, engagement_id: int) -> list[SamplingPlanVersion]:
    return list(session.exec(select(SamplingPlanVersion).where(SamplingPlanVersion.engagement_id == engagement_id)
                             .order_by(SamplingPlanVersion.version)))


def current_version(versions: list[SamplingPlanVersion]) -> int:
    """The version number a form of the plan stands for (0 before the first)."""
    return versions[-1].version if versions else 0


def planned_sites(session: Session, version: SamplingPlanVersion) -> list[PlannedSite]:
    """A version's sites in its order (headquarters, drawn, chosen), with why each is there."""
    sites = {s.id: s for s in session.exec(select(Site).where(Site.id.in_([r["site_id"] for r in version.sites]
                                                                           or [-1])))}
    return [PlannedSite(sites[r["site_id"]], SiteSelection(r["how"]), r.get("reason", ""))
            for r in version.sites if r["site_id"] in sites]


def save_sampling_plan(session: Session, *, engagement_id: int, seed: int, chosen: dict[int, str], reason: str,
                       expected_version: int, tree: Tree, by: Actor) -> SamplingPlanVersion:
    """Append the next version: the headquarters, the outlets `seed` draws, and `chosen` (outlet id -> the
    written reason the lead chose it). Refused, changing nothing, when a chosen site is not an active outlet of
    the company, lacks its reason, when there are fewer outlets than the size, or when the plan moved on."""
    reason = clean_text(reason)
    chosen = {site_id: clean_text(text) for site_id, text in chosen.items()}
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        engagement = scope.engagement
        if engagement.status in SETTLED:
            raise InvalidInput("已作出认证决定的项目不能再修改抽样方案")
        if engagement.tree_ref != tree.ref:
            raise InvalidInput(f"评价项目使用指标树 {engagement.tree_ref}，而不是 {tree.ref}")
        versions = _versions(session, engagement_id)
        if current_version(versions) != expected_version:
            raise StaleEdit(f"抽样方案已被 {versions[-1].created_by} 修改为第 {versions[-1].version} 版，您的修改未保存。"
                            "请查看最新方案后重新修改。")
        if versions and not reason:
            raise InvalidInput("修改抽样方案须写明理由")
        if len(reason) > Limit.REASON:
            raise InvalidInput(f"修改理由不能超过 {Limit.REASON} 字")
        if not 0 <= seed < 2 ** 31:
            raise InvalidInput("随机种子须是 0 到 2147483647 之间的整数")
        proposal = _proposal(session, engagement, tree)
        rows = _rows(session, engagement, proposal, seed, chosen)
        visited = sum(1 for r in rows if r["how"] != SiteSelection.HEADQUARTERS)
        version = SamplingPlanVersion(
            engagement_id=engagement_id, version=expected_version + 1, outlets=len(proposal.outlets),
            size=proposal.size, random_count=proposal.random_count, seed=seed,
            auditor_days=str(rules.auditor_days(tree.scheme, visited)), sites=rows, reason=reason,
            created_by=by.name)
        session.add(version)
        session.flush()
        scope.audit(Event.SAMPLING_PLANNED, detail=f"抽样方案第 {version.version} 版：网点 {len(proposal.outlets)} 个，"
                                                   f"抽取 {visited} 个（随机 {proposal.random_count} 个），随机种子 {seed}"
                                                   + (f"；理由：{reason}" if reason else ""))
    return version


def _rows(session: Session, engagement: Engagement, proposal: Proposal, seed: int,
          chosen: dict[int, str]) -> list[dict]:
    outlets = {s.id: s for s in proposal.outlets}
    for site_id, text in chosen.items():
        site = session.get(Site, site_id)
        if site is None or site.company_id != engagement.company_id:
            raise InvalidInput(f"场所 {site_id} 不是受评价企业的场所")
        if site_id not in outlets:
            raise InvalidInput(f"{site.name} 不是在用的服务网点，不能抽取" if not site.active
                               else f"{site.name} 是总部，总部总在抽样方案中，无须选定")
        if not text:
            raise InvalidInput(f"选定 {site.name} 须写明理由（如投诉较多、新设网点、上次未访问）")
        if len(text) > Limit.REASON:
            raise InvalidInput(f"选定 {site.name} 的理由不能超过 {Limit.REASON} 字")
    drawn = proposal.drawn(seed)
    picked = [i for i in sorted(chosen) if i not in drawn]
    if len(drawn) + len(picked) < proposal.size:
        raise InvalidInput(f"按方案规则须抽取 {proposal.size} 个服务网点（其中随机抽取 {proposal.random_count} 个），"
                           f"目前只有 {len(drawn) + len(picked)} 个；请再选定 {proposal.size - len(drawn) - len(picked)} 个"
                           "并写明理由")
    return ([{"site_id": s.id, "how": SiteSelection.HEADQUARTERS, "reason": ""} for s in proposal.headquarters]
            + [{"site_id": i, "how": SiteSelection.RANDOM, "reason": f"随机种子 {seed}"} for i in drawn]
            + [{"site_id": i, "how": SiteSelection.CHOSEN, "reason": chosen[i]} for i in picked])


def days_of(version: SamplingPlanVersion) -> Fraction:
    return Fraction(version.auditor_days)
