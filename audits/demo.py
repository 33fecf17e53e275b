"""Demo data for a first run: a fictional client with a half-scored pre-audit and a fully scored initial audit."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from accounts.actor import Actor
from audits.companies import add_site, create_company
from audits.engagements import create_engagement, set_status
from audits.models import Company
from audits.ratings import RatingEntry, rate_clause
from audits.special_items import add_special_item
from criteria.model import Tree

DEMO_COMPANY = {
    "name": "杭州示例电器服务有限公司（演示）", "credit_code": "91330106MA2DEMX01W",
    "address": "浙江省杭州市西湖区示例路 88 号", "industry": "家用电器批发与零售",
    "scope": "空调、冰箱、洗衣机的销售、配送、安装及维修服务", "contact": "王经理 0571-00000000",
}
SITES = [("杭州总部", "headquarters", False), ("城西服务网点", "outlet", False),
         ("萧山服务网点", "outlet", True), ("宁波服务网点", "outlet", True)]
TEAM = [{"name": "张审查", "role": "lead_assessor"}, {"name": "李评审", "role": "assessor"}]

# (code, entry) for the initial audit; clauses not listed conform
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


def load_demo_if_empty(session: Session, tree: Tree) -> bool:
    """Create the demo client and its two engagements when the database holds no company yet."""
    if session.exec(select(Company.id).limit(1)).first() is not None:
        return False
    system = Actor("演示数据")
    company = create_company(session, data=DEMO_COMPANY, by=system)
    for name, kind, contracted in SITES:
        add_site(session, company_id=company.id, data={"name": name, "kind": kind, "contracted": contracted},
                 by=system)
    pre = create_engagement(session, data={"company_id": company.id, "kind": "pre_audit", "title": "认证前预评价",
                                           "start_date": date(2026, 9, 8), "end_date": date(2026, 9, 9)},
                            tree=tree, team=[{"name": "陈咨询", "role": "consultant"}], by=system)
    _rate(session, pre.id, tree, PRE_AUDIT_FINDINGS, tree.leaves()[:PRE_AUDIT_RATED], Actor("陈咨询"))
    set_status(session, pre.id, "in_progress", by=system)
    initial = create_engagement(session, data={"company_id": company.id, "kind": "initial", "title": "初次认证现场评价",
                                               "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 4)},
                                tree=tree, team=TEAM, by=system)
    _rate(session, initial.id, tree, INITIAL_FINDINGS, tree.leaves(), Actor("张审查"))
    add_special_item(session, engagement_id=initial.id, kind="deduction", category="company_rules", code="5.2.4.c",
                     reason="萧山网点实际维修收费高于公示的收费标准。", tree=tree, by=Actor("李评审"))
    add_special_item(session, engagement_id=initial.id, kind="bonus", reason="建成覆盖全省的 2 小时上门服务网络，响应时效行业领先。",
                     tree=tree, by=Actor("张审查"))
    set_status(session, initial.id, "in_progress", by=system)
    return True


def _rate(session, engagement_id, tree, findings, leaves, by) -> None:
    for leaf in leaves:
        entry = findings.get(leaf.code, RatingEntry("conform"))
        rate_clause(session, engagement_id=engagement_id, code=leaf.code, entry=entry, expected_version=0,
                    tree=tree, by=by)
    for code, entry in findings.items():  # findings beyond the rated part of a half-scored engagement
        if code not in {leaf.code for leaf in leaves}:
            rate_clause(session, engagement_id=engagement_id, code=code, entry=entry, expected_version=0,
                        tree=tree, by=by)
