"""The audit log: logins, refusals, account changes and every business action, written and never changed."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from accounts.models import AuditEvent


class Event(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    IDLE_LOGOUT = "idle_logout"
    REFUSED = "access_denied"
    USER_CREATED = "user_created"
    ROLE_CHANGED = "role_changed"
    EMAIL_CHANGED = "email_changed"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ASSIGNMENT_CHANGED = "assignment_changed"
    BACKUP_RESTORED = "backup_restored"
    COMPANY_CREATED = "company_created"
    SITE_ADDED = "site_added"
    COMPANY_CHANGED = "company_changed"
    COMPANY_DEACTIVATED = "company_deactivated"
    COMPANY_REACTIVATED = "company_reactivated"
    SITE_CHANGED = "site_changed"
    SITE_DEACTIVATED = "site_deactivated"
    SITE_REACTIVATED = "site_reactivated"
    ENGAGEMENT_CREATED = "engagement_created"
    STATUS_CHANGED = "status_changed"
    EVIDENCE_UPLOADED = "evidence_uploaded"
    EVIDENCE_REMOVED = "evidence_removed"
    EVIDENCE_LINKED = "evidence_linked"
    EVIDENCE_UNLINKED = "evidence_unlinked"
    DEADLINE_CHANGED = "deadline_changed"
    NC_ACKNOWLEDGED = "nc_acknowledged"
    CHECKLIST_IMPORTED = "checklist_imported"
    SPECIAL_ITEM_ADDED = "special_item_added"
    SPECIAL_ITEM_WITHDRAWN = "special_item_withdrawn"
    DOCUMENT_REVIEWED = "document_reviewed"
    ENGAGEMENT_EDITED = "engagement_edited"
    PLAN_SAVED = "plan_saved"
    PLAN_SENT = "plan_sent"
    PLAN_ANSWERED = "plan_answered"
    MEETING_RECORDED = "meeting_recorded"
    SAMPLE_REGISTER_CHANGED = "sample_register_changed"
    RECORDS_IMPORTED = "records_imported"
    SERVICE_TARGET_RECORDED = "service_target_recorded"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_CHANGED = "certificate_changed"
    CYCLE_LINKED = "cycle_linked"
    CHANGE_REPORTED = "change_reported"
    CHANGE_ANSWERED = "change_answered"
    REMINDERS_SENT = "reminders_sent"
    REGULATOR_EXPORTED = "regulator_exported"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    TOKEN_REFUSED = "token_refused"
    SAMPLING_PLANNED = "sampling_planned"
    SITE_VISITED = "site_visited"
    SITE_FINDING_RECORDED = "site_finding_recorded"
    SITE_FINDING_WITHDRAWN = "site_finding_withdrawn"
    TEMPLATE_UPLOADED = "template_uploaded"
    DOCUMENT_ISSUED = "document_issued"
    TASKS_GENERATED = "readiness_tasks_generated"
    TASK_ADDED = "readiness_task_added"
    TASK_MOVED = "readiness_task_moved"


EVENT_LABELS = {
    Event.LOGIN: "登录", Event.LOGIN_FAILED: "登录失败", Event.LOGOUT: "退出", Event.IDLE_LOGOUT: "超时退出",
    Event.REFUSED: "拒绝访问", Event.USER_CREATED: "创建用户", Event.ROLE_CHANGED: "角色变更", Event.EMAIL_CHANGED: "修改邮箱",
    Event.USER_DISABLED: "停用用户", Event.USER_ENABLED: "启用用户", Event.PASSWORD_CHANGED: "修改密码",
    Event.PASSWORD_RESET: "重置密码", Event.ASSIGNMENT_CHANGED: "咨询企业分配",
    Event.BACKUP_RESTORED: "恢复项目备份", Event.COMPANY_CREATED: "登记企业", Event.SITE_ADDED: "添加场所",
    Event.COMPANY_CHANGED: "修改企业信息", Event.COMPANY_DEACTIVATED: "停用企业", Event.COMPANY_REACTIVATED: "重新启用企业",
    Event.SITE_CHANGED: "修改场所", Event.SITE_DEACTIVATED: "停用场所", Event.SITE_REACTIVATED: "重新启用场所",
    Event.ENGAGEMENT_CREATED: "创建评价项目", Event.STATUS_CHANGED: "变更项目状态", Event.EVIDENCE_UPLOADED: "上传证据", Event.EVIDENCE_REMOVED: "移除证据",
    Event.EVIDENCE_LINKED: "关联证据", Event.EVIDENCE_UNLINKED: "取消证据关联", Event.DEADLINE_CHANGED: "变更整改期限",
    Event.NC_ACKNOWLEDGED: "企业确认不符合项",
    Event.CHECKLIST_IMPORTED: "导入离线评分表", Event.SPECIAL_ITEM_ADDED: "添加特别项",
    Event.SPECIAL_ITEM_WITHDRAWN: "撤销特别项",
    Event.DOCUMENT_REVIEWED: "记录文件审查", Event.ENGAGEMENT_EDITED: "修改项目日期或评价组",
    Event.PLAN_SAVED: "保存评价计划", Event.PLAN_SENT: "发送评价计划", Event.PLAN_ANSWERED: "企业答复评价计划",
    Event.MEETING_RECORDED: "记录首末次会议", Event.CERTIFICATE_ISSUED: "颁发证书",
    Event.CERTIFICATE_CHANGED: "变更证书状态或内容", Event.CYCLE_LINKED: "纳入认证周期",
    Event.CHANGE_REPORTED: "登记企业变更", Event.CHANGE_ANSWERED: "处理企业变更", Event.REMINDERS_SENT: "发送提醒邮件",
    Event.REGULATOR_EXPORTED: "导出监管报送表",
    Event.TOKEN_CREATED: "创建API令牌", Event.TOKEN_REVOKED: "撤销API令牌", Event.TOKEN_REFUSED: "拒绝API令牌",
    Event.SAMPLE_REGISTER_CHANGED: "修改样本登记", Event.RECORDS_IMPORTED: "导入企业服务记录",
    Event.SERVICE_TARGET_RECORDED: "记录服务目标",
    Event.SAMPLING_PLANNED: "保存抽样方案", Event.SITE_VISITED: "记录场所访问",
    Event.SITE_FINDING_RECORDED: "记录分场所发现", Event.SITE_FINDING_WITHDRAWN: "撤销分场所发现",
    Event.TASKS_GENERATED: "生成整改准备计划", Event.TASK_ADDED: "添加整改准备任务", Event.TASK_MOVED: "处理整改准备任务",
    Event.TEMPLATE_UPLOADED: "上传文档模板", Event.DOCUMENT_ISSUED: "签发文档",
}


def audit(session: Session, *, username: str, action: Event, target: str = "", detail: str = "") -> None:
    """Add a business action to the caller's transaction: it is logged exactly when the action is committed."""
    session.add(AuditEvent(username=username[:100], action=action, target=target[:200], detail=detail[:2000]))


def record(session: Session, *, username: str, action: str, target: str = "", detail: str = "") -> None:
    """Write an event in its own transaction, so it stays even when the caller's work is rolled back."""
    bind: Engine | Connection = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    with Session(engine) as own:
        own.add(AuditEvent(username=username[:100], action=action, target=target[:200], detail=detail[:2000]))
        own.commit()


def query_events(session: Session, *, action: str | None = None, username: str = "",
                 since: datetime | None = None, until: datetime | None = None, limit: int = 500) -> list[AuditEvent]:
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if username.strip():
        query = query.where(AuditEvent.username.ilike(f"%{username.strip()}%"))
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return list(session.exec(query.order_by(AuditEvent.id.desc()).limit(limit)))
