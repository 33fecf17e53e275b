"""The offline checklist read back after people rearranged it in Excel, WPS or LibreOffice Calc: title rows above
the header, blank and note rows between clauses, columns inserted; counts typed as ① or ²; messages name the real
worksheet row and the column."""
import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from audits.ratings import RatingEntry, rate_clause
from dossier.checklist import apply_import, export_checklist, plan_import
from tests.factories import actor, default_tree, make_engagement

TREE = default_tree()


def edit(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book["评分表"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet, code: str) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == code)


def column_of(sheet, title: str) -> int:
    return next(cell.column for row in sheet.iter_rows(max_row=10) for cell in row if cell.value == title)


def type_into(sheet, values: dict[str, dict]) -> None:
    """Type by clause code into the named columns, wherever rows and columns are now."""
    for code, cells in values.items():
        for title, value in cells.items():
            sheet.cell(row_of(sheet, code), column_of(sheet, title)).value = value


def with_title_rows(sheet) -> None:
    sheet.insert_rows(1, 2)
    sheet["A1"] = "杭州示例电器有限公司 售后服务评价 离线评分表"
    sheet["A2"] = "填写人：张审查　日期：2026-11-20"


def with_blank_and_note_rows(sheet) -> None:
    for code in ("5.3.1.a", "5.2.1.a", "5.1.2.1"):  # bottom-up, so the found rows stay where they are
        at = row_of(sheet, code)
        sheet.insert_rows(at, 2)
        sheet.cell(at, 1).value = code.rsplit(".", 1)[0]  # a sub-heading naming the indicator, no input
    sheet.insert_rows(row_of(sheet, "5.1.1.2"))  # and one blank row


def located_errors(data: bytes, plan) -> set[tuple[str, str]]:
    """Each error as (the code in its row, its column), read from the file the user has."""
    sheet = load_workbook(io.BytesIO(data))["评分表"]
    return {(sheet.cell(e.row, 1).value, e.column) for e in plan.errors}


@pytest.fixture
def engagement(db):
    return make_engagement(db)


@pytest.fixture
def exported(db, engagement):
    return export_checklist(db, engagement.id, TREE, by=actor())


def test_a_title_row_above_the_header_is_read_not_blamed_on_columns(db, engagement, exported):
    data = edit(exported, lambda s: (with_title_rows(s), type_into(s, {"5.1.1.1": {"结果": "符合"}})))
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert plan.errors == [] and [c.code for c in plan.changes] == ["5.1.1.1"]


def test_errors_and_conflicts_name_the_worksheet_row_after_rows_were_inserted(db, engagement, exported):
    rate_clause(db, engagement_id=engagement.id, code="5.2.1.b", entry=RatingEntry("conform"), expected_version=0,
                tree=TREE, by=actor("李评审"))

    def change(sheet):
        with_title_rows(sheet)
        with_blank_and_note_rows(sheet)
        type_into(sheet, {"5.2.1.b": {"结果": "不符合", "审核发现": "说明书缺保修条款"},
                          "5.1.2.1": {"结果": "抽样评分", "抽样数": "①", "不符合数": 0},
                          "5.3.1.b": {"结果": "可能"}, "5.3.2.a": {"结果": "符合"}})
    data = edit(exported, change)
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert located_errors(data, plan) == {("5.2.1.b", "结果"), ("5.1.2.1", "抽样数"), ("5.3.1.b", "结果")}
    assert any("导出后已被 李评审 修改" in e.message for e in plan.errors)


def test_inserted_columns_and_note_rows_do_not_change_what_is_read(db, engagement, exported):
    def change(sheet):
        with_blank_and_note_rows(sheet)
        sheet.insert_cols(column_of(sheet, "结果"))
        sheet.cell(1, column_of(sheet, "结果") - 1).value = "备注"
        sheet.cell(row_of(sheet, "5.1.1.1"), column_of(sheet, "备注")).value = "已现场查看"
        type_into(sheet, {"5.1.1.1": {"结果": "符合"},
                          "5.1.2.1": {"结果": "抽样评分", "抽样数": "１２", "不符合数": " 0 ", "审核发现": ""}})
    plan = plan_import(db, engagement.id, TREE, edit(exported, change), by=actor())
    assert plan.errors == []
    assert {c.code: (c.after["status"], c.after["sampled"]) for c in plan.changes} == {
        "5.1.1.1": ("conform", 0), "5.1.2.1": ("sampled", 12)}
    assert apply_import(db, engagement.id, plan, by=actor()) == 2


def test_a_missing_input_column_is_named(db, engagement, exported):
    data = edit(exported, lambda s: s.delete_cols(column_of(s, "抽样数")))
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert plan.changes == [] and len(plan.errors) == 1 and "抽样数" in plan.errors[0].message


def test_a_sheet_without_its_header_says_what_it_looked_for(db, engagement, exported):
    data = edit(exported, lambda s: s.delete_rows(1))
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert plan.changes == [] and "找不到表头" in plan.errors[0].message


@pytest.mark.parametrize("typed", ["①", "²", "⑫", "Ⅻ", "1" * 5000, "1e3"])
def test_a_count_that_is_not_a_plain_number_is_refused_at_its_cell(db, engagement, exported, typed):
    def change(sheet):
        with_title_rows(sheet)
        type_into(sheet, {"5.1.2.1": {"结果": "抽样评分", "抽样数": typed, "不符合数": 0}})
    data = edit(exported, change)
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert located_errors(data, plan) == {("5.1.2.1", "抽样数")}
    assert all(len(e.message) < 200 for e in plan.errors)


@pytest.mark.parametrize("word", ["未评分", "未评", " 未评分 "])
def test_the_apps_own_word_for_unrated_is_taken(db, engagement, word):
    rate_clause(db, engagement_id=engagement.id, code="5.1.1.1", entry=RatingEntry("conform"), expected_version=0,
                tree=TREE, by=actor())
    data = edit(export_checklist(db, engagement.id, TREE, by=actor()),
                lambda s: type_into(s, {"5.1.1.1": {"结果": word}}))
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert plan.errors == [] and [(c.code, c.after["status"]) for c in plan.changes] == [("5.1.1.1", "unrated")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_checklist_saved_again_by_libreoffice_calc_is_read_at_its_rows(db, engagement, exported, tmp_path):
    def change(sheet):
        with_title_rows(sheet)
        with_blank_and_note_rows(sheet)
        type_into(sheet, {"5.1.1.1": {"结果": "符合"}, "5.1.2.1": {"结果": "抽样评分", "抽样数": "²", "不符合数": 0}})
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "评分表.xlsx").write_bytes(edit(exported, change))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(tmp_path / "in" / "评分表.xlsx")],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    data = (tmp_path / "out" / "评分表.xlsx").read_bytes()
    plan = plan_import(db, engagement.id, TREE, data, by=actor())
    assert located_errors(data, plan) == {("5.1.2.1", "抽样数")}
    fixed = edit(data, lambda s: type_into(s, {"5.1.2.1": {"抽样数": 2}}))
    plan = plan_import(db, engagement.id, TREE, fixed, by=actor())
    assert plan.errors == [] and {c.code for c in plan.changes} == {"5.1.1.1", "5.1.2.1"}
