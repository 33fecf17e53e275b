"""Companies, sites and engagements on a real database."""
from datetime import date

import pytest

from audits.companies import add_site, create_company, list_sites
from audits.engagements import create_engagement, engagement_team, list_engagements
from audits.ratings import RatingEntry, list_ratings, rate_clause
from errors import InvalidInput, NotFound
from tests.factories import VALID_CODES, actor, default_tree, make_company, make_engagement


def test_a_company_needs_a_valid_unique_credit_code(db):
    make_company(db)
    with pytest.raises(InvalidInput, match="已登记过"):
        make_company(db, name="另一家")
    with pytest.raises(InvalidInput, match="校验位不正确"):
        make_company(db, credit_code="91330106MA2DEMX01X")
    with pytest.raises(InvalidInput, match="18 位"):
        make_company(db, credit_code="12345")
    with pytest.raises(InvalidInput, match="请填写名称"):
        make_company(db, name="  ", credit_code=VALID_CODES[1])


def test_credit_code_is_accepted_in_lower_case_and_stored_upper(db):
    assert make_company(db, credit_code=VALID_CODES[0].lower()).credit_code == VALID_CODES[0]


def test_sites_belong_to_their_company(db):
    company = make_company(db)
    add_site(db, company_id=company.id, data={"name": "总部", "kind": "headquarters"}, by=actor())
    add_site(db, company_id=company.id, data={"name": "城西网点", "kind": "outlet", "contracted": True}, by=actor())
    assert [s.name for s in list_sites(db, company.id, by=actor())] == ["总部", "城西网点"]
    with pytest.raises(InvalidInput):
        add_site(db, company_id=company.id, data={"name": "仓库", "kind": "warehouse"}, by=actor())
    with pytest.raises(NotFound):
        add_site(db, company_id=999, data={"name": "x", "kind": "outlet"}, by=actor())


def test_an_engagement_gets_an_unrated_row_for_every_clause_of_its_tree(db):
    engagement = make_engagement(db, start_date=date(2026, 11, 2), end_date=date(2026, 11, 4))
    rows = list_ratings(db, engagement.id, by=actor())
    assert sorted(r.code for r in rows) == sorted(leaf.code for leaf in default_tree().leaves())
    assert {(r.status, r.version) for r in rows} == {("unrated", 0)}
    assert engagement.tree_ref == "gbt27922-2011@2011-default.2"
    assert [(m.name, m.role) for m in engagement_team(db, engagement.id, by=actor())] == [
        ("张审查", "lead_assessor"), ("李评审", "assessor")]


@pytest.mark.parametrize("overrides, message", [
    ({"kind": "audit"}, "请选择评价类型"),
    ({"start_date": date(2026, 5, 2), "end_date": date(2026, 5, 1)}, "结束日期不能早于开始日期"),
    ({"company_id": 999}, "未找到该企业"),
])
def test_a_bad_engagement_is_refused_and_nothing_is_stored(db, overrides, message):
    company = make_company(db)
    with pytest.raises((InvalidInput, NotFound), match=message):
        make_engagement(db, company=company, **overrides)
    assert list_engagements(db, by=actor()) == []


def test_a_team_member_needs_a_name_and_a_known_role(db):
    company = make_company(db)
    for member, message in [({"name": "", "role": "assessor"}, "姓名"), ({"name": "王", "role": "boss"}, "角色无效")]:
        with pytest.raises(InvalidInput, match=message):
            create_engagement(db, data={"company_id": company.id, "kind": "initial"}, tree=default_tree(),
                              team=[member], by=actor())


def test_list_engagements_filters_and_shows_progress(db):
    first = make_company(db)
    second = create_company(db, data={"name": "宁波售后服务公司", "credit_code": VALID_CODES[1]}, by=actor())
    pre = make_engagement(db, company=first, kind="pre_audit", title="预评价")
    make_engagement(db, company=second, kind="initial", title="初次认证")
    tree = default_tree()
    for code in ("5.1.1.1", "5.1.1.2"):
        rate_clause(db, engagement_id=pre.id, code=code, entry=RatingEntry("conform"), expected_version=0,
                    tree=tree, by=actor())
    rows = list_engagements(db, by=actor())
    assert [r.company_name for r in rows] == ["宁波售后服务公司", "杭州示例电器有限公司"]
    only = list_engagements(db, by=actor(), kind="pre_audit")
    assert [(r.engagement.id, r.rated, r.applicable_clauses) for r in only] == [(pre.id, 2, 39)]
    assert [r.company_name for r in list_engagements(db, by=actor(), text="宁波")] == ["宁波售后服务公司"]
    assert [r.engagement.id for r in list_engagements(db, by=actor(), company_id=first.id)] == [pre.id]


def test_list_progress_counts_rated_applicable_clauses_as_the_score_does(db):
    """Issue 14 item 15: an excluded clause leaves the applicable total and is not counted as rated."""
    from dossier.assessment import engagement_result
    engagement, tree = make_engagement(db), default_tree()
    entries = {"5.1.1.1": RatingEntry("conform"), "5.1.1.2": RatingEntry("nonconform", finding="网点未覆盖"),
               "5.2.6.a": RatingEntry("excluded", reason="不经营废旧商品"),
               "5.2.6.b": RatingEntry("excluded", reason="不经营废旧商品")}
    for code, entry in entries.items():
        rate_clause(db, engagement_id=engagement.id, code=code, entry=entry, expected_version=0, tree=tree,
                    by=actor())
    result = engagement_result(db, engagement.id, tree, by=actor())
    row = list_engagements(db, by=actor())[0]
    assert (row.rated, row.applicable_clauses) == (result.rated, result.applicable_clauses) == (2, 37)
