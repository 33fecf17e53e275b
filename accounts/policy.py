"""Who may do what: the access rules as one pure function over role, action and target.

- administrator: manages users and client companies, creates engagements and assigns teams, sees everything;
  never rates or decides.
- assessor: sees and rates the engagements whose team they are on; the engagement's lead assessor also manages
  it, records the team's recommendation and reopens the result; creates engagements other than pre-audits.
- consultant: works on the companies assigned to them: sees, creates, manages and rates their pre-audits;
  never issues a certification decision.
- client: sees their own company's engagements, results and nonconformities, answers nonconformities and
  uploads evidence;
  never edits ratings and never sees another company.
- decision maker (认证决定人员): sees certification engagements (not pre-audits) and records the certification
  decision on those whose team they are not on (the service also refuses who consulted for the company within
  the scheme's impartiality window); issues, suspends, restores and withdraws certificates; never rates.
- administrator (programme manager): also issues and changes certificates, sees what is due across companies,
  records a company's reported changes and the body's response.
- certificates are seen by the administrator, the decision maker and the client of the company (its own only);
  assessors and consultants do not see them.
- client: also acknowledges or objects to an evaluation plan sent to it, and reports changes of its company.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vocabulary import RATING_TEAM_ROLES, EngagementKind, Role, TeamRole


class Action(StrEnum):
    VIEW_COMPANY = "view_company"
    MANAGE_COMPANIES = "manage_companies"
    VIEW_ENGAGEMENT = "view_engagement"
    CREATE_ENGAGEMENT = "create_engagement"
    MANAGE_ENGAGEMENT = "manage_engagement"
    RATE = "rate"
    RECOMMEND = "recommend"
    DECIDE = "decide"
    ANSWER_NONCONFORMITY = "answer_nonconformity"
    UPLOAD_EVIDENCE = "upload_evidence"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_STAFF = "view_staff"
    ANSWER_PLAN = "answer_plan"
    MANAGE_CERTIFICATES = "manage_certificates"
    VIEW_CERTIFICATES = "view_certificates"
    VIEW_PROGRAMME = "view_programme"
    REPORT_CHANGE = "report_change"
    MANAGE_TEMPLATES = "manage_templates"


ACTION_LABELS = {
    Action.VIEW_COMPANY: "查看企业", Action.MANAGE_COMPANIES: "管理企业", Action.VIEW_ENGAGEMENT: "查看评价项目",
    Action.CREATE_ENGAGEMENT: "创建评价项目", Action.MANAGE_ENGAGEMENT: "管理评价项目", Action.RATE: "评分",
    Action.RECOMMEND: "记录推荐意见或重新开放评价结果", Action.DECIDE: "作出认证决定", Action.ANSWER_NONCONFORMITY: "回复不符合项", Action.UPLOAD_EVIDENCE: "上传或管理证据", Action.MANAGE_USERS: "管理用户",
    Action.VIEW_AUDIT_LOG: "查看审计日志", Action.VIEW_STAFF: "查看审查员和咨询师名单",
    Action.ANSWER_PLAN: "确认评价计划或提出异议", Action.MANAGE_CERTIFICATES: "颁发或变更证书",
    Action.VIEW_CERTIFICATES: "查看证书",
    Action.VIEW_PROGRAMME: "查看认证方案管理视图", Action.REPORT_CHANGE: "登记企业变更",
    Action.MANAGE_TEMPLATES: "管理文档模板",
}


@dataclass(frozen=True)
class Target:
    """What an action touches, as far as the rules care."""

    company_id: int | None = None
    kind: str | None = None            # the engagement's kind, or the kind being created
    team_role: str | None = None       # the acting user's role in the engagement's team
    assigned: bool = False             # a consultant assigned to the company
    own_company: int | None = None     # a client user's company


def allowed(role: str, action: Action, target: Target = Target()) -> bool:
    if role == Role.SYSTEM:
        return True
    rule = RULES.get(role, {}).get(action)
    return bool(rule and rule(target))


def _everything(t: Target) -> bool:
    return True


def _on_team(t: Target) -> bool:
    return t.team_role is not None


def _pre_audit_of_assigned(t: Target) -> bool:
    return t.assigned and t.kind == EngagementKind.PRE_AUDIT


def _certification(t: Target) -> bool:
    return t.kind is not None and t.kind != EngagementKind.PRE_AUDIT


def _own(t: Target) -> bool:
    return t.company_id is not None and t.company_id == t.own_company


RULES = {
    Role.ADMIN: {a: _everything for a in (Action.VIEW_COMPANY, Action.MANAGE_COMPANIES, Action.VIEW_ENGAGEMENT,
                                          Action.CREATE_ENGAGEMENT, Action.MANAGE_ENGAGEMENT, Action.MANAGE_USERS,
                                          Action.VIEW_AUDIT_LOG, Action.VIEW_STAFF, Action.MANAGE_CERTIFICATES,
                                          Action.VIEW_CERTIFICATES,
                                          Action.VIEW_PROGRAMME, Action.REPORT_CHANGE,
                                          Action.MANAGE_TEMPLATES)},
    Role.ASSESSOR: {
        Action.VIEW_COMPANY: _everything,
        Action.VIEW_STAFF: _everything,
        Action.VIEW_ENGAGEMENT: _on_team,
        Action.CREATE_ENGAGEMENT: lambda t: t.kind != EngagementKind.PRE_AUDIT,
        Action.RATE: lambda t: t.team_role in RATING_TEAM_ROLES,
        Action.UPLOAD_EVIDENCE: lambda t: t.team_role in RATING_TEAM_ROLES,
        Action.MANAGE_ENGAGEMENT: lambda t: t.team_role == TeamRole.LEAD_ASSESSOR,
        Action.RECOMMEND: lambda t: t.team_role == TeamRole.LEAD_ASSESSOR and _certification(t),
    },
    Role.CONSULTANT: {
        Action.VIEW_COMPANY: lambda t: t.assigned,
        Action.VIEW_STAFF: _everything,
        Action.VIEW_ENGAGEMENT: _pre_audit_of_assigned,
        Action.CREATE_ENGAGEMENT: _pre_audit_of_assigned,
        Action.MANAGE_ENGAGEMENT: _pre_audit_of_assigned,
        Action.RATE: _pre_audit_of_assigned,
        Action.UPLOAD_EVIDENCE: _pre_audit_of_assigned,
    },
    Role.CLIENT: {
        Action.VIEW_COMPANY: _own,
        Action.VIEW_ENGAGEMENT: _own,
        Action.ANSWER_NONCONFORMITY: _own,
        Action.UPLOAD_EVIDENCE: _own,
        Action.ANSWER_PLAN: _own,
        Action.REPORT_CHANGE: _own,
        Action.VIEW_CERTIFICATES: _own,
    },
    Role.DECISION_MAKER: {
        Action.VIEW_COMPANY: _everything,
        Action.VIEW_ENGAGEMENT: _certification,
        Action.DECIDE: lambda t: _certification(t) and t.team_role is None,
        Action.MANAGE_CERTIFICATES: _everything,
        Action.VIEW_CERTIFICATES: _everything,
        Action.VIEW_PROGRAMME: _everything,
    },
}
