"""Every kind of invalid clause entry is refused with the same words through the form's service path and the
Excel import: the clause (or row and column) and the field as users see it, never a JSON field name."""
import io
import re

import pytest
from openpyxl import load_workbook

from audits.ratings import RatingEntry, get_rating, rate_clause
from cycle.cycles import create_in_cycle
from dossier.checklist import export_checklist, plan_import
from errors import InvalidInput
from tests.cycle_rows import cycle_of
from tests.factories import actor, default_tree, make_engagement
from vocabulary import Limit

TREE = default_tree()
CODE = "5.2.3.a"  # 按约配送: scored on samples and excludable, so every rule below is the only one broken
JSON_WORDS = re.compile(r"\b(status|sampled|nonconforming|reason|exclusion_reason|finding|result|code)\b")

# (what the form sends, what the checklist row holds, the column the problem is in, words the message must hold)
CASES = {
    "more nonconforming than sampled": (RatingEntry("sampled", 2, 3), {"结果": "抽样评分", "抽样数": 2, "不符合数": 3},
                                        "不符合数", "不符合数 3 大于抽样数 2"),
    "no sample": (RatingEntry("sampled", 0, 0), {"结果": "抽样评分", "抽样数": 0, "不符合数": 0}, "抽样数",
                  "抽样数至少为 1"),
    "too many samples": (RatingEntry("sampled", Limit.SAMPLES + 1, 0),
                         {"结果": "抽样评分", "抽样数": Limit.SAMPLES + 1, "不符合数": 0}, "抽样数", "抽样数必须是"),
    "exclusion without reason": (RatingEntry("excluded", reason="  "), {"结果": "删减", "删减理由": "  "}, "删减理由",
                                 "删减必须写明删减理由"),
    "exclusion reason too long": (RatingEntry("excluded", reason="因" * (Limit.REASON + 1)),
                                  {"结果": "删减", "删减理由": "因" * (Limit.REASON + 1)}, "删减理由", "删减理由过长"),
    "unknown result": (RatingEntry("maybe"), {"结果": "maybe"}, "结果", "评价结果只能是"),
    "not covered outside surveillance": (RatingEntry("not_covered"), {"结果": "本次未抽查"}, "结果",
                                         "本次未抽查只用于监督评价；初次认证中每个适用条款都要评价"),
    "finding too long": (RatingEntry("conform", finding="长" * (Limit.TEXT + 1)),
                         {"结果": "符合", "审核发现": "长" * (Limit.TEXT + 1)}, "审核发现", "审核发现过长"),
}


def filled_checklist(db, engagement, code: str, values: dict) -> bytes:
    book = load_workbook(io.BytesIO(export_checklist(db, engagement.id, TREE, by=actor())))
    sheet = book["评分表"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == code)
    for column, value in values.items():
        row[header.index(column)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES)
def test_the_form_path_refuses_naming_the_clause_and_the_field(db, case):
    entry, _, _, words = CASES[case]
    e = make_engagement(db)
    with pytest.raises(InvalidInput) as refused:
        rate_clause(db, engagement_id=e.id, code=CODE, entry=entry, expected_version=0, tree=TREE, by=actor())
    message = refused.value.message
    assert message.startswith(f"条款 {CODE}：") and words in message, message
    assert not JSON_WORDS.search(message), message
    assert get_rating(db, e.id, CODE, by=actor()).version == 0


@pytest.mark.parametrize("case", CASES)
def test_the_excel_import_reports_the_same_words_at_the_row_and_column(db, case):
    _, cells, column, words = CASES[case]
    e = make_engagement(db)
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, CODE, cells), by=actor())
    row = 1 + [leaf.code for leaf in TREE.leaves()].index(CODE) + 1
    assert [(err.row, err.column) for err in plan.errors] == [(row, column)], plan.errors
    assert words in plan.errors[0].message and not JSON_WORDS.search(plan.errors[0].message)
    assert plan.changes == []


@pytest.mark.parametrize("word", ["未评分", "未评", "抽样评分", "抽样", "删减", "符合", "不符合"])
def test_the_checklist_takes_the_apps_own_words_and_the_short_ones(db, word):
    e = make_engagement(db)
    cells = {"结果": word, "抽样数": 4, "不符合数": 1, "删减理由": "不提供此服务", "审核发现": "1 份工单超时"}
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.2.6.a", cells), by=actor())
    assert plan.errors == []


@pytest.mark.parametrize("typed, expected", [("１２", 12), (" 8 ", 8), ("1 2", 12)])
def test_counts_typed_with_full_width_digits_or_spaces_are_read(db, typed, expected):
    e = make_engagement(db)
    cells = {"结果": "抽样评分", "抽样数": typed, "不符合数": 1, "审核发现": "1 份工单超时"}
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.1.2.1", cells), by=actor())
    assert plan.errors == [] and plan.changes[0].after["sampled"] == expected


@pytest.mark.parametrize("typed", ["①", "²", "三", "1.5", "-1"])
def test_counts_that_are_not_plain_numbers_are_refused_at_their_cell(db, typed):
    e = make_engagement(db)
    cells = {"结果": "抽样评分", "抽样数": typed, "不符合数": 0}
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.1.2.1", cells), by=actor())
    assert [err.column for err in plan.errors] == ["抽样数"], plan.errors


@pytest.mark.parametrize("entry", [RatingEntry("nonconform"), RatingEntry("sampled", 5, 1, finding="  ")])
def test_a_clause_that_finds_against_the_company_needs_its_finding(db, entry):
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="条款 5.1.2.1：不符合（含不符合样本）必须写明审核发现"):
        rate_clause(db, engagement_id=e.id, code="5.1.2.1", entry=entry, expected_version=0, tree=TREE, by=actor())
    assert get_rating(db, e.id, "5.1.2.1", by=actor()).version == 0


def test_counts_and_a_reason_given_with_another_result_are_warned_about():
    from scoring.assessment import entry_warnings
    assert entry_warnings(RatingEntry("conform", 4, 1, reason="不适用")) == [
        "抽样数和不符合数只用于“抽样评分”，本次未保存", "删减理由只用于“删减”，本次未保存"]
    assert entry_warnings(RatingEntry("sampled", 4, 1)) == []


def test_a_clause_that_may_not_be_excluded_is_refused_by_the_form_and_the_import(db):
    e = make_engagement(db)
    with pytest.raises(InvalidInput, match="条款 5.1.2.1：技术与业务人员资质 不可删减"):
        rate_clause(db, engagement_id=e.id, code="5.1.2.1", entry=RatingEntry("excluded", reason="不适用"),
                    expected_version=0, tree=TREE, by=actor())
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.1.2.1", {"结果": "删减", "删减理由": "不适用"}),
                       by=actor())
    assert [(err.column, err.message[:14]) for err in plan.errors] == [("结果", "技术与业务人员资质 不可删减")]


def capped_tree(tmp_path, percent):
    from criteria import load_tree_file
    from criteria.registry import BUILTIN_DIR
    text = (BUILTIN_DIR / "gbt27922-2011.yaml").read_text(encoding="utf-8")
    path = tmp_path / "capped.yaml"
    text = text.replace("exclusion_cap_percent: 25", f"exclusion_cap_percent: {percent}")
    path.write_text(text.replace("id: gbt27922-2011", "id: body-capped"), encoding="utf-8")
    return load_tree_file(path)


def test_exclusions_past_the_cap_are_refused_by_the_form_and_the_import(db, tmp_path):
    tree = capped_tree(tmp_path, 10)  # 10 points: 5.2.4 (7) fits, 5.2.6.a (7/3) more does not
    e = make_engagement(db, tree=tree)
    for code in ("5.2.4.a", "5.2.4.b", "5.2.4.c"):
        rate_clause(db, engagement_id=e.id, code=code, entry=RatingEntry("excluded", reason="不维修"),
                    expected_version=0, tree=tree, by=actor())
    rate_clause(db, engagement_id=e.id, code="5.2.6.a", entry=RatingEntry("excluded", reason="不回收"),
                expected_version=0, tree=tree, by=actor())  # 7 + 7/3 = 28/3: within 10
    with pytest.raises(InvalidInput, match="删减 5.2.6.b 后删减分值合计 ≈11.67 分，超过上限 10 分"):
        rate_clause(db, engagement_id=e.id, code="5.2.6.b", entry=RatingEntry("excluded", reason="不回收"),
                    expected_version=0, tree=tree, by=actor())
    assert get_rating(db, e.id, "5.2.6.b", by=actor()).version == 0
    book = export_checklist(db, e.id, tree, by=actor())
    sheet = load_workbook(io.BytesIO(book))
    rows = {r[0].value: r for r in sheet["评分表"].iter_rows(min_row=2)}
    header = [c.value for c in sheet["评分表"][1]]
    rows["5.2.6.b"][header.index("结果")].value, rows["5.2.6.b"][header.index("删减理由")].value = "删减", "不回收"
    out = io.BytesIO()
    sheet.save(out)
    plan = plan_import(db, e.id, tree, out.getvalue(), by=actor())
    assert [err.message for err in plan.errors] == \
        ["删减 5.2.6.b 后删减分值合计 ≈11.67 分，超过上限 10 分（总分 100 分的 10%）"]


def test_a_surveillance_visit_may_leave_clauses_not_covered(db):
    cycle = cycle_of(db, make_engagement(db))  # a surveillance belongs to a cycle
    e = create_in_cycle(db, cycle_id=cycle.id, data={"kind": "surveillance", "title": "第一次监督评价"}, tree=TREE,
                        team=[], by=actor())
    rate_clause(db, engagement_id=e.id, code="5.3.1.a", entry=RatingEntry("not_covered"), expected_version=0,
                tree=TREE, by=actor())
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.3.1.b", {"结果": "本次未抽查"}), by=actor())
    assert plan.errors == [] and plan.changes[0].after["status"] == "not_covered"
