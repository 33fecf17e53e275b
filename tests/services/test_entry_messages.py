"""Every kind of invalid clause entry is refused with the same words through the form's service path and the
Excel import: the clause (or row and column) and the field as users see it, never a JSON field name."""
import io
import re

import pytest
from openpyxl import load_workbook

from audits.ratings import RatingEntry, get_rating, rate_clause
from dossier.checklist import export_checklist, plan_import
from errors import InvalidInput
from tests.factories import actor, default_tree, make_engagement
from vocabulary import Limit

TREE = default_tree()
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
        rate_clause(db, engagement_id=e.id, code="5.1.2.1", entry=entry, expected_version=0, tree=TREE, by=actor())
    message = refused.value.message
    assert message.startswith("条款 5.1.2.1：") and words in message, message
    assert not JSON_WORDS.search(message), message
    assert get_rating(db, e.id, "5.1.2.1", by=actor()).version == 0


@pytest.mark.parametrize("case", CASES)
def test_the_excel_import_reports_the_same_words_at_the_row_and_column(db, case):
    _, cells, column, words = CASES[case]
    e = make_engagement(db)
    plan = plan_import(db, e.id, TREE, filled_checklist(db, e, "5.1.2.1", cells), by=actor())
    row = 1 + [leaf.code for leaf in TREE.leaves()].index("5.1.2.1") + 1
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
