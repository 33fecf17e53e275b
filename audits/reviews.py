"""Use cases for the document review (文件审查) of an engagement: record one, read them, the latest that counts.

The latest review decides whether the on-site evaluation may start (audits/status_workflow.start_refusal, checked
where the status moves, audits/engagements.change_status). A result other than passed names what is missing; the
lead may write why the review and the on-site evaluation run together. A pre-audit has no document review, and
nothing is recorded once the certification decision is taken.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.audit_log import Event
from accounts.policy import Action
from audits.scope import checked_engagement, engagement_scope
from errors import InvalidInput
from records.models import DocumentReview
from textclean import clean_text
from timefmt import local_today
from vocabulary import REVIEW_RESULT_LABELS, SETTLED, EngagementKind, Limit, ReviewResult


def latest_review(session: Session, engagement_id: int) -> DocumentReview | None:
    """The review that counts, for a use case that has checked access."""
    return session.exec(select(DocumentReview).where(DocumentReview.engagement_id == engagement_id)
                        .order_by(DocumentReview.id.desc())).first()


def document_reviews(session: Session, engagement_id: int, *, by: Actor) -> list[DocumentReview]:
    """Every review of the engagement, newest first."""
    checked_engagement(session, engagement_id, Action.VIEW_ENGAGEMENT, by=by)
    return list(session.exec(select(DocumentReview).where(DocumentReview.engagement_id == engagement_id)
                             .order_by(DocumentReview.id.desc())))


def record_document_review(session: Session, *, engagement_id: int, reviewed_on: date, reviewer: str, result: str,
                           findings: str = "", concurrent_reason: str = "", by: Actor,
                           today: date | None = None) -> DocumentReview:
    values = _checked(reviewed_on, reviewer, result, findings, concurrent_reason, today or local_today())
    with engagement_scope(session, engagement_id, Action.MANAGE_ENGAGEMENT, by=by) as scope:
        if scope.engagement.kind == EngagementKind.PRE_AUDIT:
            raise InvalidInput("预评价不进行文件审查")
        if scope.engagement.status in SETTLED:
            raise InvalidInput("已作出认证决定的项目不能再记录文件审查")
        review = DocumentReview(engagement_id=engagement_id, recorded_by=by.name, **values)
        session.add(review)
        scope.audit(Event.DOCUMENT_REVIEWED,
                    detail=f"{reviewed_on:%Y-%m-%d}，审查人 {values['reviewer']}，结果：{REVIEW_RESULT_LABELS[result]}"
                           + (f"；与现场评价同时进行，理由：{values['concurrent_reason']}"
                              if values["concurrent_reason"] else ""))
        session.flush()
    return review


def _checked(reviewed_on, reviewer: str, result: str, findings: str, concurrent_reason: str, today: date) -> dict:
    reviewer, findings, reason = clean_text(reviewer), clean_text(findings), clean_text(concurrent_reason)
    if result not in set(ReviewResult):
        raise InvalidInput("请选择文件审查结果（通过、需补充修改或不通过）")
    if not isinstance(reviewed_on, date):
        raise InvalidInput("请填写文件审查日期")
    if reviewed_on > today:
        raise InvalidInput("文件审查日期不能晚于今天")
    if not reviewer or len(reviewer) > 100:
        raise InvalidInput("请填写审查人（不超过 100 字）")
    if len(findings) > Limit.TEXT:
        raise InvalidInput(f"审查发现不能超过 {Limit.TEXT} 字")
    if result != ReviewResult.PASSED and not findings:
        raise InvalidInput(f"文件审查结果为“{REVIEW_RESULT_LABELS[ReviewResult(result)]}”时，须写明审查发现（缺少或须修改的文件）")
    if len(reason) > Limit.REASON:
        raise InvalidInput(f"同时进行的理由不能超过 {Limit.REASON} 字")
    return {"reviewed_on": reviewed_on, "reviewer": reviewer, "result": ReviewResult(result), "findings": findings,
            "concurrent_reason": reason}
