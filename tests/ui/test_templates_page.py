"""文档模板: the administrator uploads a body template (a bad one is refused with its reasons, nothing kept), sees
its version in use, and goes back to the built-in layout; no other role is offered the page."""
import io

import pytest
from docx import Document

from tests.ui.conftest import ROOT, go

EXAMPLE = (ROOT / "docs" / "templates" / "example-report.docx").read_bytes()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bad_template() -> bytes:
    doc = Document()
    doc.add_paragraph("｛｛ 企业名称 ｝｝ {{ 银行账号 }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(at, name, data):
    at.text_input(key="template-name").set_value(name)
    at.file_uploader(key="template-file").set_value((f"{name}.docx", data, DOCX))
    at.button(key="template-submit").click().run()
    assert not at.exception, at.exception


def test_the_administrator_uploads_a_template_and_returns_to_the_built_in_layout(signed_in):
    at = go(signed_in("admin"), "ui/views/templates.py")
    assert "尚未上传模板" in at.caption[-1].value or any("尚未上传模板" in c.value for c in at.caption)
    upload(at, "坏模板", bad_template())
    assert any("全角括号" in e.value for e in at.error)
    assert at.text_input(key="template-name").value == "坏模板"  # what was typed stays
    upload(at, "QR-27922-01 A/0", EXAMPLE)
    assert any("已启用评价报告模板第 1 版" in s.value for s in at.success)
    rows = at.dataframe[0].value
    assert list(rows["名称"]) == ["QR-27922-01 A/0"] and list(rows["当前使用"]) == ["是"]
    at.button(key="template-built-in").click().run()
    assert any("已改用内置版式" in s.value for s in at.success)
    assert list(at.dataframe[0].value["当前使用"]) == [""]


@pytest.mark.parametrize("who", ["zhang", "client"])
def test_other_roles_are_not_offered_the_page(signed_in, who):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in(who).switch_page("ui/views/templates.py")
