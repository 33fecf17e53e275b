"""The audit vocabulary as enums with their Chinese labels: kinds of engagement, statuses, site kinds."""
from enum import StrEnum


class EngagementKind(StrEnum):
    PRE_AUDIT = "pre_audit"
    INITIAL = "initial"
    SURVEILLANCE = "surveillance"
    RECERTIFICATION = "recertification"
    SPECIAL = "special"


KIND_LABELS = {
    EngagementKind.PRE_AUDIT: "预评价",
    EngagementKind.INITIAL: "初次认证",
    EngagementKind.SURVEILLANCE: "监督评价",
    EngagementKind.RECERTIFICATION: "再认证",
    EngagementKind.SPECIAL: "特殊评价",
}


class EngagementStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"


STATUS_LABELS = {
    EngagementStatus.PLANNED: "计划中",
    EngagementStatus.IN_PROGRESS: "进行中",
    EngagementStatus.REPORTED: "已出报告",
    EngagementStatus.CLOSED: "已关闭",
}


class SiteKind(StrEnum):
    HEADQUARTERS = "headquarters"
    OUTLET = "outlet"


SITE_LABELS = {SiteKind.HEADQUARTERS: "总部", SiteKind.OUTLET: "服务网点"}


class ClauseStatus(StrEnum):
    """A clause's state in an engagement: a rating result, excluded, or not yet rated."""

    UNRATED = "unrated"
    CONFORM = "conform"
    NONCONFORM = "nonconform"
    SAMPLED = "sampled"
    EXCLUDED = "excluded"


class TeamRole(StrEnum):
    LEAD_ASSESSOR = "lead_assessor"
    ASSESSOR = "assessor"
    TECHNICAL_EXPERT = "technical_expert"
    CONSULTANT = "consultant"


ROLE_LABELS = {
    TeamRole.LEAD_ASSESSOR: "审查组长",
    TeamRole.ASSESSOR: "审查员",
    TeamRole.TECHNICAL_EXPERT: "技术专家",
    TeamRole.CONSULTANT: "咨询师",
}


class SpecialKind(StrEnum):
    DEDUCTION = "deduction"
    BONUS = "bonus"


class DeductionCategory(StrEnum):
    """The four grounds for a special deduction (特别扣分项) the standard names."""

    LAW = "law"
    COMPANY_RULES = "company_rules"
    INDUSTRY = "industry"
    SYSTEM = "system"


DEDUCTION_LABELS = {
    DeductionCategory.LAW: "不符合国家法律法规要求",
    DeductionCategory.COMPANY_RULES: "不符合企业服务制度要求",
    DeductionCategory.INDUSTRY: "不符合行业专业性特殊要求",
    DeductionCategory.SYSTEM: "对服务体系运行有影响的情况",
}
