"""AppTest: a checklist someone rearranged in Excel (a title row, blank rows) with a count typed as ① is refused
in the workspace with the worksheet row and column, never a traceback; once corrected it imports."""
import io

from openpyxl import load_workbook

from tests.services.test_import_checklist_layout import (
    edit,
    row_of,
    type_into,
    with_blank_and_note_rows,
    with_title_rows,
)
from tests.ui.conftest import go, kept

WORKSPACE, PRE_AUDIT = "ui/views/workspace.py", 1


def test_a_rearranged_checklist_with_a_circled_count_is_refused_at_its_row_then_imports(at):
    go(at, WORKSPACE, engagement=PRE_AUDIT)
    at.session_state["checklist-1-open"] = True
    at.run()
    at.button(key="build-checklist-1").click().run()
    exported = kept(at, "workspace", "checklist-1")

    def rearranged(sampled):
        def change(sheet):
            with_title_rows(sheet)
            with_blank_and_note_rows(sheet)
            type_into(sheet, {"5.3.1.a": {"结果": "符合"},
                              "5.3.2.b": {"结果": "抽样评分", "抽样数": sampled, "不符合数": 0}})
        return edit(exported, change)
    bad = rearranged("①")
    at.file_uploader(key="upload-checklist-1").set_value(("评分表.xlsx", bad, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert any("1 处错误" in e.value for e in at.error)
    sheet = load_workbook(io.BytesIO(bad))["评分表"]
    table = at.dataframe[0].value
    assert list(zip(table["行"], table["列"], strict=True)) == [(row_of(sheet, "5.3.2.b"), "抽样数")]
    at.file_uploader(key="upload-checklist-1").set_value(("评分表.xlsx", rearranged("３"), "application/octet-stream"))
    at.run()
    assert not at.error
    at.button(key="apply-checklist-1").click().run()
    assert any("已导入 2 个条款的评分" in s.value for s in at.success)
