"""Demo data for a first run: fictional clients, one account per role, a half-scored pre-audit and a fully
scored initial audit. Everything is created through the services, as the people named below."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlmodel import Session, select

from accounts.actor import Actor
from accounts.models import User
from accounts.passwords import verify_password
from accounts.users import actor_of, assign_companies, create_user
from audits.companies import add_site, create_company
from audits.engagements import create_engagement, set_status
from audits.ratings import RatingEntry, rate_clause
from audits.reviews import record_document_review
from audits.special_items import add_special_item
from criteria.model import Tree
from nonconformities.services import raise_nonconformity, record_special_item
from records.models import Company
from vocabulary import ReviewResult, Role, TeamRole

SYSTEM = Actor("演示数据", role=Role.SYSTEM)
COMPANIES = [
    {"name": "杭州示例电器服务有限公司（演示）", "credit_code": "91330106MA2DEMX01W",
     "address": "浙江省杭州市西湖区示例路 88 号", "industry": "家用电器批发与零售",
     "scope": "空调、冰箱、洗衣机的销售、配送、安装及维修服务", "contact": "王经理 0571-00000000"},
    {"name": "宁波示例家居用品有限公司（演示）", "credit_code": "91330200MA2DEMY024",
     "address": "浙江省宁波市鄞州区示例街 6 号", "industry": "家居用品零售", "scope": "家具的销售、配送及安装服务"},
]
SITES = [("杭州总部", "headquarters", False), ("城西服务网点", "outlet", False),
         ("萧山服务网点", "outlet", True), ("宁波服务网点", "outlet", True)]
# username, name, role, password (documented in README; the embedded default only)
ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMIN, "demo-admin-2026"),
    ("zhang", "张审查", Role.ASSESSOR, "demo-assessor-2026"),
    ("li", "李评审", Role.ASSESSOR, "demo-assessor-2026"),
    ("chen", "陈咨询", Role.CONSULTANT, "demo-consultant-2026"),
    ("client", "王经理", Role.CLIENT, "demo-client-2026"),
]

PUBLISHED = {name: password for name, _, _, password in ACCOUNTS}
INITIAL_FINDINGS = {
    "5.1.2.1": RatingEntry("sampled", 10, 1, finding="抽查 10 名安装维修人员，1 人电工证已过期。"),
    "5.1.2.2": RatingEntry("conform", finding="服务管理人员 40 人，持证售后服务管理师 5 人（≥10%）。"),
    "5.1.6.b": RatingEntry("nonconform", finding="2025 年投诉分析提出的 3 项改进措施均未验证效果。"),
    "5.2.1.b": RatingEntry("nonconform", finding="保修卡和商品页面均未标明服务热线与维修收费标准。"),
    "5.2.4.a": RatingEntry("sampled", 20, 2, finding="抽查 20 张维修工单，2 张超过 48 小时上门承诺。"),
    "5.2.6.a": RatingEntry("excluded", reason="企业为零售商，废旧家电由生产企业统一回收，本企业不负有回收义务。"),
    "5.2.6.b": RatingEntry("excluded", reason="企业为零售商，废旧家电由生产企业统一回收，本企业不负有回收义务。"),
    "5.3.2.b": RatingEntry("sampled", 15, 1, finding="抽查 15 件投诉，1 件超过 24 小时解决时限。"),
}
PRE_AUDIT_RATED = 20
PRE_AUDIT_FINDINGS = {
    "5.1.1.2": RatingEntry("nonconform", finding="宁波委托网点无服务协议，也无考核记录。"),
    "5.1.2.2": RatingEntry("nonconform", finding="尚无取得证书的售后服务管理师。"),
    "5.1.4.1": RatingEntry("nonconform", finding="售后服务手册仍为草稿，未以企业文件发布。"),
    "5.1.3.3": RatingEntry("sampled", 4, 1, finding="4 个场所中 1 个无备件库存记录。"),
}


def public_demo_accounts(session: Session) -> list[str]:
    """The active demo accounts whose password is still the one README publishes (so anyone can sign in)."""
    rows = session.exec(select(User.username, User.password_hash).where(
        User.username.in_([name for name, *_ in ACCOUNTS]), User.active)).all()
    return [name for name, stored in rows if _still_public(name, stored)]


@lru_cache(maxsize=64)
def _still_public(username: str, stored_hash: str) -> bool:
    """Checked once per stored hash: a changed password has a new hash (argon2 takes a tenth of a second)."""
    return verify_password(stored_hash, PUBLISHED[username])


def load_demo_if_empty(session: Session, tree: Tree) -> bool:
    """Create the demo clients, accounts and engagements when the database holds no company yet."""
    if session.exec(select(Company.id).limit(1)).first() is not None:
        return False
    first, second = (create_company(session, data=data, by=SYSTEM) for data in COMPANIES)
    for name, kind, contracted in SITES:
        add_site(session, company_id=first.id, data={"name": name, "kind": kind, "contracted": contracted}, by=SYSTEM)
    users = {u: create_user(session, username=u, display_name=n, role=r, password=p, by=SYSTEM,
                            company_id=first.id if r == Role.CLIENT else None) for u, n, r, p in ACCOUNTS}
    assign_companies(session, user_id=users["chen"].id, company_ids={first.id}, by=SYSTEM)
    _pre_audit(session, tree, first, users)
    _initial_audit(session, tree, first, users)
    other = create_engagement(session, data={"company_id": second.id, "kind": "initial", "title": "初次认证文件审查"},
                              tree=tree, team=[_member(users["li"], TeamRole.LEAD_ASSESSOR)], by=SYSTEM)
    set_status(session, other.id, "planned", by=SYSTEM)
    return True


def _member(user: User, role: str) -> dict:
    return {"name": user.display_name, "role": role, "user_id": user.id}


def _pre_audit(session: Session, tree: Tree, company: Company, users: dict[str, User]) -> None:
    pre = create_engagement(session, data={"company_id": company.id, "kind": "pre_audit", "title": "认证前预评价",
                                           "start_date": date(2026, 9, 8), "end_date": date(2026, 9, 9)},
                            tree=tree, team=[_member(users["chen"], TeamRole.CONSULTANT)], by=SYSTEM)
    _rate(session, pre.id, tree, PRE_AUDIT_FINDINGS, tree.leaves()[:PRE_AUDIT_RATED], actor_of(users["chen"]))
    raise_nonconformity(session, engagement_id=pre.id, severity="general", code="5.1.2.2", tree=tree,
                        finding="尚无取得证书的售后服务管理师。", by=actor_of(users["chen"]), today=date(2026, 9, 9))
    set_status(session, pre.id, "in_progress", by=SYSTEM)


def _initial_audit(session: Session, tree: Tree, company: Company, users: dict[str, User]) -> None:
    initial = create_engagement(session, data={"company_id": company.id, "kind": "initial", "title": "初次认证现场评价",
                                               "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 4)},
                                tree=tree, team=[_member(users["zhang"], TeamRole.LEAD_ASSESSOR),
                                                 _member(users["li"], TeamRole.ASSESSOR)], by=SYSTEM)
    _rate(session, initial.id, tree, INITIAL_FINDINGS, tree.leaves(), actor_of(users["zhang"]))
    record_special_item(session, engagement_id=initial.id, kind="deduction", category="company_rules", code="5.2.4.c",
                        reason="萧山网点实际维修收费高于公示的收费标准。", tree=tree, by=actor_of(users["li"]),
                        today=date(2026, 11, 4))  # raises its general nonconformity with it
    raise_nonconformity(session, engagement_id=initial.id, severity="general", code="5.2.1.b", tree=tree,
                        finding=INITIAL_FINDINGS["5.2.1.b"].finding, by=actor_of(users["zhang"]),
                        today=date(2026, 11, 4))
    add_special_item(session, engagement_id=initial.id, kind="bonus", tree=tree, by=actor_of(users["zhang"]),
                     reason="建成覆盖全省的 2 小时上门服务网络，响应时效行业领先。")
    record_document_review(session, engagement_id=initial.id, reviewed_on=date(2026, 10, 20), reviewer="张审查",
                           result=ReviewResult.PASSED, findings="售后服务手册、服务制度和网点协议齐全。", by=SYSTEM,
                           today=date(2026, 10, 20))
    set_status(session, initial.id, "in_progress", by=SYSTEM)


def _rate(session: Session, engagement_id: int, tree: Tree, findings: dict, leaves: list, by: Actor) -> None:
    codes = [leaf.code for leaf in leaves] + [c for c in findings if c not in {leaf.code for leaf in leaves}]
    for code in codes:
        rate_clause(session, engagement_id=engagement_id, code=code, entry=findings.get(code, RatingEntry("conform")),
                    expected_version=0, tree=tree, by=by)
