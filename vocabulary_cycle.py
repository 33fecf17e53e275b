"""Value sets of the certification cycle (certificates and their moves, reported changes, what is due): part of
the vocabulary, kept in their own module so vocabulary.py stays short; vocabulary.py imports them and lists them
in LABELS."""
from __future__ import annotations

from enum import StrEnum


class CertificateState(StrEnum):
    """Where a certificate stands (domain brief A7); the moves are the table in cycle/certificate_rules.py."""

    VALID = "valid"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


CERTIFICATE_STATE_LABELS = {CertificateState.VALID: "有效", CertificateState.SUSPENDED: "暂停",
                            CertificateState.WITHDRAWN: "撤销", CertificateState.EXPIRED: "过期"}
# A company holds a certificate in these states (a suspended one may be restored); its printed company data then
# change only through a reported change (cycle/changes.py, audits/companies.py).
LIVE_CERTIFICATE = frozenset({CertificateState.VALID, CertificateState.SUSPENDED})


class CertificateMove(StrEnum):
    """What happens to a certificate (its history's events); which state each leads to is the table in
    cycle/certificate_rules.py."""

    ISSUE = "issue"
    SUSPEND = "suspend"
    RESTORE = "reinstate"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"
    REPLACE = "replace"
    SURVEILLANCE = "surveillance"
    AMEND = "amend"


CERTIFICATE_MOVE_LABELS = {CertificateMove.ISSUE: "颁发", CertificateMove.SUSPEND: "暂停",
                           CertificateMove.RESTORE: "恢复", CertificateMove.WITHDRAW: "撤销",
                           CertificateMove.EXPIRE: "到期失效", CertificateMove.REPLACE: "再认证换证",
                           CertificateMove.SURVEILLANCE: "监督评价结果", CertificateMove.AMEND: "证书内容变更"}


class ChangeKind(StrEnum):
    """What a certified company reports as changed (变更, domain brief A7)."""

    NAME = "renamed"
    CREDIT_CODE = "new_credit_code"
    ADDRESS = "relocated"
    ORGANISATION = "organisation"
    FACILITIES = "facilities"
    PROCESSES = "processes"
    SERVICES = "service_scope"


CHANGE_KIND_LABELS = {ChangeKind.NAME: "企业名称", ChangeKind.CREDIT_CODE: "统一社会信用代码",
                      ChangeKind.ADDRESS: "地址", ChangeKind.ORGANISATION: "管理层或组织机构重大变化",
                      ChangeKind.FACILITIES: "服务设施重大变化", ChangeKind.PROCESSES: "服务流程重大变化",
                      ChangeKind.SERVICES: "认证的服务范围"}


class ChangeResponse(StrEnum):
    """The certification body's response to a reported change."""

    PENDING = "pending"
    CERTIFICATE_UPDATED = "certificate_updated"
    SPECIAL_AUDIT = "special_audit"
    NO_ACTION = "no_action"


CHANGE_RESPONSE_LABELS = {ChangeResponse.PENDING: "待处理", ChangeResponse.CERTIFICATE_UPDATED: "更新证书",
                          ChangeResponse.SPECIAL_AUDIT: "安排特殊评价", ChangeResponse.NO_ACTION: "无需处理"}


class DueKind(StrEnum):
    """What the programme manager's view and the reminders list as due (domain brief A6, A7)."""

    SURVEILLANCE = "surveillance"
    RECERTIFICATION = "recertification"
    PLAN_NOT_SENT = "plan_not_sent"
    SUSPENSION_ENDING = "suspension_ending"
    NC_DEADLINE = "nc_deadline"
    CERTIFICATE_EXPIRY = "certificate_expiry"


DUE_KIND_LABELS = {DueKind.SURVEILLANCE: "监督评价", DueKind.RECERTIFICATION: "再认证申请",
                   DueKind.PLAN_NOT_SENT: "评价计划未按时发送", DueKind.SUSPENSION_ENDING: "证书暂停即将满期",
                   DueKind.NC_DEADLINE: "不符合项整改期限", DueKind.CERTIFICATE_EXPIRY: "证书到期"}


class DueState(StrEnum):
    """How a due item stands today: upcoming, to be handled now (its window is open or its day is close), overdue."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


DUE_STATE_LABELS = {DueState.UPCOMING: "即将到期", DueState.DUE: "应办理", DueState.OVERDUE: "已逾期"}
