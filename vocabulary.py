"""The product's vocabulary: every value set as one enum, its one Chinese label map, and the text limits.

Everything else reads values and labels from here: code compares enum members, never string literals, and
nothing decides from a display label. `LABELS` holds every label map, so a test can check each map covers its
enum exactly once. Pure: no database, no Streamlit.
"""
from __future__ import annotations

from enum import StrEnum

from vocabulary_cycle import (  # noqa: F401  (the cycle's value sets, part of this vocabulary)
    CERTIFICATE_MOVE_LABELS,
    CERTIFICATE_STATE_LABELS,
    CHANGE_KIND_LABELS,
    CHANGE_RESPONSE_LABELS,
    DUE_KIND_LABELS,
    DUE_STATE_LABELS,
    LIVE_CERTIFICATE,
    CertificateMove,
    CertificateState,
    ChangeKind,
    ChangeResponse,
    DueKind,
    DueState,
)
from vocabulary_documents import DOCUMENT_KIND_LABELS, DocumentKind  # noqa: F401  (issue 18's, part of this)
from vocabulary_records import (  # noqa: F401  (issue 17's value sets, part of this vocabulary)
    COMPARISON_LABELS,
    LIMIT_UNIT_LABELS,
    LOG_FIELD_LABELS,
    LOG_KIND_LABELS,
    SITE_SELECTION_LABELS,
    TARGET_METRIC_LABELS,
    Comparison,
    LimitUnit,
    LogField,
    LogKind,
    SiteSelection,
    TargetMetric,
)


class ClauseStatus(StrEnum):
    """A clause's state in an engagement: a rating result, excluded, not covered in this (surveillance) visit,
    or not yet rated."""

    UNRATED = "unrated"
    CONFORM = "conform"
    NONCONFORM = "nonconform"
    SAMPLED = "sampled"
    EXCLUDED = "excluded"
    NOT_COVERED = "not_covered"


CLAUSE_STATUS_LABELS = {
    ClauseStatus.UNRATED: "未评分",
    ClauseStatus.CONFORM: "符合",
    ClauseStatus.NONCONFORM: "不符合",
    ClauseStatus.SAMPLED: "抽样评分",
    ClauseStatus.EXCLUDED: "删减",
    ClauseStatus.NOT_COVERED: "本次未抽查",
}
RATED = (ClauseStatus.CONFORM, ClauseStatus.NONCONFORM, ClauseStatus.SAMPLED)
# Words users type for a status in an offline checklist, besides the labels (earlier sheets used short forms).
CLAUSE_STATUS_ALIASES = {"未评": ClauseStatus.UNRATED, "": ClauseStatus.UNRATED, "抽样": ClauseStatus.SAMPLED,
                         "删减（不适用）": ClauseStatus.EXCLUDED, "不适用": ClauseStatus.EXCLUDED,
                         "未抽查": ClauseStatus.NOT_COVERED}


def clause_status_from_word(word: str) -> ClauseStatus | None:
    """The status a user's word names (a label, an alias or the English value), or None."""
    word = word.strip()
    for status, label in CLAUSE_STATUS_LABELS.items():
        if word in (label, status.value):
            return status
    return CLAUSE_STATUS_ALIASES.get(word)


class Severity(StrEnum):
    SERIOUS = "serious"
    GENERAL = "general"
    OBSERVATION = "observation"


SEVERITY_LABELS = {Severity.SERIOUS: "严重不符合", Severity.GENERAL: "一般不符合", Severity.OBSERVATION: "观察项"}


class NcState(StrEnum):
    """Where a nonconformity stands; the moves between states are the table in nonconformities/workflow.py."""

    RAISED = "raised"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    NOTED = "noted"


NC_STATE_LABELS = {NcState.RAISED: "待整改", NcState.SUBMITTED: "已提交整改", NcState.RETURNED: "已退回",
                   NcState.ACCEPTED: "整改已接受，待验证", NcState.CLOSED: "已关闭",
                   NcState.NOTED: "观察项（无需整改）"}


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
    DECIDED = "decided"
    CLOSED = "closed"


STATUS_LABELS = {
    EngagementStatus.PLANNED: "计划中",
    EngagementStatus.IN_PROGRESS: "进行中",
    EngagementStatus.REPORTED: "已出报告",
    EngagementStatus.DECIDED: "已作出认证决定",
    EngagementStatus.CLOSED: "已关闭",
}
# Once the lead issues the report and recommendation, ratings, exclusions and special items refuse changes.
RESULT_ISSUED = frozenset({EngagementStatus.REPORTED, EngagementStatus.DECIDED, EngagementStatus.CLOSED})
# Once decided, an engagement's preparation records (review, plan, meetings, sampling, team) refuse changes.
SETTLED = frozenset({EngagementStatus.DECIDED, EngagementStatus.CLOSED})


class RecommendationKind(StrEnum):
    """The team's recommendation at the closing meeting (the team recommends; a decision maker decides)."""

    RECOMMEND = "recommend"
    NOT_RECOMMEND = "not_recommend"
    AFTER_VERIFICATION = "after_verification"


RECOMMENDATION_LABELS = {RecommendationKind.RECOMMEND: "推荐", RecommendationKind.NOT_RECOMMEND: "不推荐",
                         RecommendationKind.AFTER_VERIFICATION: "整改验证后推荐"}


class CertificationOutcome(StrEnum):
    """The certification decision (认证决定) a decision maker who was not on the team takes."""

    APPROVE = "approve"
    REFUSE = "refuse"


CERTIFICATION_OUTCOME_LABELS = {CertificationOutcome.APPROVE: "批准", CertificationOutcome.REFUSE: "不批准"}


class SiteKind(StrEnum):
    HEADQUARTERS = "headquarters"
    OUTLET = "outlet"


SITE_LABELS = {SiteKind.HEADQUARTERS: "总部", SiteKind.OUTLET: "服务网点"}


class TeamRole(StrEnum):
    LEAD_ASSESSOR = "lead_assessor"
    ASSESSOR = "assessor"
    TECHNICAL_EXPERT = "technical_expert"
    CONSULTANT = "consultant"


TEAM_ROLE_LABELS = {
    TeamRole.LEAD_ASSESSOR: "审查组长",
    TeamRole.ASSESSOR: "审查员",
    TeamRole.TECHNICAL_EXPERT: "技术专家",
    TeamRole.CONSULTANT: "咨询师",
}
RATING_TEAM_ROLES = frozenset({TeamRole.LEAD_ASSESSOR, TeamRole.ASSESSOR, TeamRole.TECHNICAL_EXPERT})


class Role(StrEnum):
    """A user account's role."""

    ADMIN = "admin"
    ASSESSOR = "assessor"
    CONSULTANT = "consultant"
    CLIENT = "client"
    DECISION_MAKER = "decision_maker"
    SYSTEM = "system"  # demo data and command-line tools; never a login


ROLE_LABELS = {Role.ADMIN: "管理员", Role.ASSESSOR: "审查员", Role.CONSULTANT: "咨询师", Role.CLIENT: "企业用户",
               Role.DECISION_MAKER: "认证决定人员", Role.SYSTEM: "系统"}
LOGIN_ROLES = (Role.ADMIN, Role.ASSESSOR, Role.CONSULTANT, Role.CLIENT, Role.DECISION_MAKER)


class SpecialKind(StrEnum):
    DEDUCTION = "deduction"
    BONUS = "bonus"


SPECIAL_KIND_LABELS = {SpecialKind.DEDUCTION: "特别扣分项", SpecialKind.BONUS: "特别加分项"}


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


class ReviewResult(StrEnum):
    """The document review's (文件审查) result; on-site evaluation follows a passed one."""

    PASSED = "passed"
    CHANGES = "changes"
    FAILED = "failed"


REVIEW_RESULT_LABELS = {ReviewResult.PASSED: "通过", ReviewResult.CHANGES: "需补充修改", ReviewResult.FAILED: "不通过"}


class PlanResponse(StrEnum):
    """The company's answer to a sent evaluation plan (评价计划)."""

    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"
    OBJECTED = "objected"


PLAN_RESPONSE_LABELS = {PlanResponse.PENDING: "待企业确认", PlanResponse.ACKNOWLEDGED: "企业已确认",
                        PlanResponse.OBJECTED: "企业有异议"}


class MeetingKind(StrEnum):
    OPENING = "opening"
    CLOSING = "closing"


MEETING_LABELS = {MeetingKind.OPENING: "首次会议", MeetingKind.CLOSING: "末次会议"}


class TaskState(StrEnum):  # a preparation task of a pre-audit (readiness/workflow.py)
    OPEN, SUBMITTED, ACCEPTED, RETURNED = "open", "submitted", "accepted", "returned"


TASK_STATE_LABELS = {TaskState.OPEN: "待准备", TaskState.SUBMITTED: "待咨询师确认", TaskState.ACCEPTED: "已接受",
                     TaskState.RETURNED: "已退回"}


class TaskMove(StrEnum):
    SUBMIT, ACCEPT, RETURN, REOPEN = "hand_in", "accept_task", "send_back", "reopen_task"


TASK_MOVE_LABELS = {TaskMove.SUBMIT: "提交材料", TaskMove.ACCEPT: "接受", TaskMove.RETURN: "退回",
                    TaskMove.REOPEN: "重新打开"}


class ReadinessLevel(StrEnum):
    READY, IN_PROGRESS, MISSING = "ready", "in_progress", "lacking"  # "missing" is a report section's key


READINESS_LABELS = {ReadinessLevel.READY: "已就绪", ReadinessLevel.IN_PROGRESS: "准备中", ReadinessLevel.MISSING: "缺失"}


class Limit:
    """Longest text, in characters, each kind of free-text field takes: models, services, forms and imports
    read these, so a value one layer accepts is never refused or cut by another."""

    NAME = 200           # a title, a person's or a company's name
    SHORT = 500          # a one-line reason: withdrawing an item, removing a file
    REASON = 2000        # an exclusion or a special item's reason, a scope, an address
    TEXT = 5000          # a finding, a requirement, a rectification answer, a comment
    SAMPLES = 1_000_000  # the largest sample count


LABELS: dict[type[StrEnum], dict] = {
    ClauseStatus: CLAUSE_STATUS_LABELS,
    Severity: SEVERITY_LABELS,
    NcState: NC_STATE_LABELS,
    EngagementKind: KIND_LABELS,
    EngagementStatus: STATUS_LABELS,
    RecommendationKind: RECOMMENDATION_LABELS,
    CertificationOutcome: CERTIFICATION_OUTCOME_LABELS,
    SiteKind: SITE_LABELS,
    TeamRole: TEAM_ROLE_LABELS,
    Role: ROLE_LABELS,
    SpecialKind: SPECIAL_KIND_LABELS,
    DeductionCategory: DEDUCTION_LABELS,
    ReviewResult: REVIEW_RESULT_LABELS,
    PlanResponse: PLAN_RESPONSE_LABELS,
    MeetingKind: MEETING_LABELS,
    CertificateState: CERTIFICATE_STATE_LABELS,
    CertificateMove: CERTIFICATE_MOVE_LABELS,
    ChangeKind: CHANGE_KIND_LABELS,
    ChangeResponse: CHANGE_RESPONSE_LABELS,
    DueKind: DUE_KIND_LABELS,
    DueState: DUE_STATE_LABELS,
    SiteSelection: SITE_SELECTION_LABELS,
    LogKind: LOG_KIND_LABELS,
    LogField: LOG_FIELD_LABELS,
    TargetMetric: TARGET_METRIC_LABELS,
    Comparison: COMPARISON_LABELS,
    LimitUnit: LIMIT_UNIT_LABELS,
    TaskState: TASK_STATE_LABELS,
    TaskMove: TASK_MOVE_LABELS,
    ReadinessLevel: READINESS_LABELS,
    DocumentKind: DOCUMENT_KIND_LABELS,
}


def label(value: StrEnum) -> str:
    """The Chinese label of any vocabulary value."""
    return LABELS[type(value)][value]


def finds_against(status: str, nonconforming: int = 0) -> bool:
    """A clause finds against the company when rated nonconform or with nonconforming samples."""
    return status == ClauseStatus.NONCONFORM or (status == ClauseStatus.SAMPLED and nonconforming > 0)
