"""The offline Excel checklist: export, fill in, import; a file with errors changes nothing and lists them."""
import io

import pytest
from openpyxl import load_workbook

from audits.companies import get_company
from audits.ratings import RatingEntry, clause_history, get_rating, list_ratings, rate_clause
from dossier.checklist import apply_import, export_checklist, plan_import
from errors import InvalidInput
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()


def fill(data: bytes, values: dict[str, dict]) -> bytes:
    """Type into the exported workbook as an assessor would: by clause code, into the named columns."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["评分表"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in values.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def state(db, engagement):
    return {r.code: (r.status, r.sampled, r.nonconforming, r.exclusion_reason, r.finding, r.version)
            for r in list_ratings(db, engagement.id, by=actor())}


def test_export_fill_in_import_gives_what_was_typed(db):
    e = make_engagement(db)
    typed = {"5.1.1.1": {"结果": "符合", "审核发现": "组织架构图齐全"},
             "5.1.2.1": {"结果": "抽样", "抽样数": 8, "不符合数": 2, "审核发现": "2 人证书过期"},
             "5.1.2.2": {"结果": "不符合", "审核发现": "无持证管理师"},
             "5.2.6.a": {"结果": "删减", "删减理由": "不负回收义务"}}
    plan = plan_import(db, e.id, TREE, fill(export_checklist(db, e.id, TREE, by=actor()), typed), by=actor())
    assert plan.errors == [] and [c.code for c in plan.changes] == list(typed)
    assert apply_import(db, e.id, plan, by=actor("王审查")) == 4
    rows = {r.code: r for r in list_ratings(db, e.id, by=actor())}
    assert (rows["5.1.1.1"].status, rows["5.1.1.1"].finding) == ("conform", "组织架构图齐全")
    assert (rows["5.1.2.1"].status, rows["5.1.2.1"].sampled, rows["5.1.2.1"].nonconforming) == ("sampled", 8, 2)
    assert rows["5.1.2.2"].status == "nonconform"
    assert (rows["5.2.6.a"].status, rows["5.2.6.a"].exclusion_reason) == ("excluded", "不负回收义务")
    assert rows["5.3.1.a"].status == "unrated"
    assert {h.changed_by for h in clause_history(db, e.id, by=actor())} == {"王审查"}


def test_a_file_with_errors_changes_nothing_and_lists_each_by_row_and_column(db):
    e = make_engagement(db)
    before = state(db, e)
    bad = fill(export_checklist(db, e.id, TREE, by=actor()), {
        "5.1.1.1": {"结果": "可能"},
        "5.1.2.1": {"结果": "抽样", "抽样数": 3, "不符合数": 5},
        "5.1.2.2": {"结果": "删减"},
        "5.1.3.1": {"结果": "抽样", "抽样数": "很多"},
        "5.1.3.2": {"结果": "符合"}})
    plan = plan_import(db, e.id, TREE, bad, by=actor())
    found = {(err.row, err.column) for err in plan.errors}
    assert found == {(2, "结果"), (4, "不符合数"), (5, "结果"), (5, "删减理由"), (6, "抽样数")}  # 5.1.2.2 is not excludable
    with pytest.raises(InvalidInput, match="未导入任何内容"):
        apply_import(db, e.id, plan, by=actor())
    assert state(db, e) == before


def test_a_clause_changed_after_the_export_is_an_error_not_an_overwrite(db):
    e = make_engagement(db)
    exported = export_checklist(db, e.id, TREE, by=actor())
    rate_clause(db, engagement_id=e.id, code="5.1.1.1", entry=RatingEntry("nonconform", finding="无岗位说明"),
                expected_version=0, tree=TREE, by=actor("李评审"))
    plan = plan_import(db, e.id, TREE, fill(exported, {"5.1.1.1": {"结果": "符合"}}), by=actor())
    assert any("导出后已被 李评审 修改" in err.message for err in plan.errors)
    assert get_rating(db, e.id, "5.1.1.1", by=actor()).status == "nonconform"


@pytest.mark.parametrize("data, message", [(b"not a workbook", "不是有效的 Excel"), (b"", "不是有效的 Excel")])
def test_a_file_that_is_not_the_checklist_is_refused(db, data, message):
    e = make_engagement(db)
    plan = plan_import(db, e.id, TREE, data, by=actor())
    assert plan.changes == [] and message in plan.errors[0].message


def test_a_checklist_from_another_engagement_is_refused(db):
    first = make_engagement(db)
    second = make_engagement(db, company=get_company(db, first.company_id, by=actor()))
    data = fill(export_checklist(db, first.id, TREE, by=actor()), {"5.1.1.1": {"结果": "符合"}})
    assert any("不是本项目" in err.message for err in plan_import(db, second.id, TREE, data, by=actor()).errors)
