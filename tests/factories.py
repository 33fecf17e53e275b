"""Plain builders for test data: trees, assessments and ratings with sensible defaults."""
from __future__ import annotations

from criteria import Tree, TreeRegistry, parse_tree
from scoring import Assessment, parse_assessment
from timefmt import local_today

_REGISTRY = TreeRegistry()


def default_tree() -> Tree:
    return _REGISTRY.get("gbt27922-2011")


def all_conform(tree: Tree, *, but: dict[str, dict] | None = None, skip: set[str] = frozenset()) -> list[dict]:
    """A rating per leaf, conform unless `but` gives another rating; codes in `skip` stay unrated."""
    but = but or {}
    return [{"code": leaf.code, **but.get(leaf.code, {"result": "conform"})}
            for leaf in tree.leaves() if leaf.code not in skip]


def assessment(tree: Tree, ratings: list[dict], **extra) -> Assessment:
    return parse_assessment({"criteria": tree.id, "ratings": ratings, **extra}, tree)


def small_tree(leaf_points: list[float], tree_id: str = "small-sheet") -> Tree:
    """A certification body's sheet with one indicator and one leaf per given points value."""
    leaves = [{"code": f"1.1.{i + 1}", "name": f"条款{i + 1}", "provenance": "verified",
               "points": p, "requirement": "要求"} for i, p in enumerate(leaf_points)]
    data = {"id": tree_id, "version": "1", "title": "测试评分表", "indicators": [
        {"code": "1", "name": "一级", "provenance": "verified", "children": [
            {"code": "1.1", "name": "二级", "provenance": "verified", "children": leaves}]}]}
    return parse_tree(data, source="small.yaml")


def actor(name: str = "张审查", **kw):
    """An actor that passes every access check (the `system` role), for tests about other rules."""
    from accounts.actor import Actor
    return Actor(name=name, **{"role": "system", **kw})


VALID_CODES = ["91330106MA2DEMX01W", "91350100M000100Y43", "911100001000148817"]


def make_company(db, **overrides):
    from audits.companies import create_company
    data = {"name": "杭州示例电器有限公司", "credit_code": VALID_CODES[0], "address": "杭州市西湖区",
            "industry": "家用电器", "scope": "家用电器的销售及售后服务"} | overrides
    return create_company(db, data=data, by=actor())


def make_engagement(db, company=None, tree=None, **overrides):
    from audits.engagements import create_engagement
    company = company or make_company(db)
    data = {"company_id": company.id, "kind": "initial", "title": "初次认证评价"} | overrides
    team = [{"name": "张审查", "role": "lead_assessor"}, {"name": "李评审", "role": "assessor"}]
    return create_engagement(db, data=data, tree=tree or default_tree(), team=team, by=actor())


def review_passed(db, engagement_id: int):
    """A passed document review, which an initial certification or recertification needs before it starts."""

    from audits.reviews import record_document_review
    return record_document_review(db, engagement_id=engagement_id, reviewed_on=local_today(), reviewer="张审查",
                                  result="passed", by=actor())
