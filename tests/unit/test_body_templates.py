"""A certification body's template: rendered sandboxed with the documented variables, every bad template refused
with its reason, hostile text intact through the template and the built-in layout alike."""
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from errors import InvalidInput
from exports.certificate_vars import CERTIFICATE_VARIABLES
from exports.context import build_report_context
from exports.documents import DOCUMENTS, render_document, template_kind
from exports.plan_vars import PLAN_VARIABLES, build_plan_variables, plan_from_context
from exports.template_vars import VARIABLES, build_template_variables
from exports.templates import TemplateRefused, check_template, render_template, template_problems
from tests.unit.test_word_report import TREE, snapshot

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "templates" / "example-report.docx"
PLAN_EXAMPLE = ROOT / "docs" / "templates" / "example-plan.docx"  # a plan template has the plan's own variables
HOSTILE = "<w:t>&amp; <script>alert('x')</script> & \"引号\" 'single' 😀 𠀀𪚥 " + "很长的中文审核发现" * 300
REASON = "<b>理由</b> & 'x' \"y\" 👍 𩸽 " + "很长的中文理由" * 250  # reasons stop at Limit.REASON (2,000)


def template(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def hostile_snapshot() -> dict:
    data = snapshot()
    data["company"] = dict(data["company"], name=HOSTILE, address=HOSTILE)
    data["ratings"] = [dict(r, finding=HOSTILE) if r["code"] == "5.1.2.2" else r for r in data["ratings"]]
    data["nonconformities"][0]["finding"] = HOSTILE
    data["nonconformities"][0]["requirement"] = HOSTILE
    data["sites"][0]["name"] = HOSTILE
    data["sites"][0]["address"] = HOSTILE
    data["evidence"][0]["name"] = HOSTILE
    data["exclusions"][0]["reason"] = REASON
    data["special_deductions"][0]["reason"] = REASON
    data["special_bonus"][0]["reason"] = REASON
    data["team"][0]["name"] = HOSTILE
    data["company"]["scope"] = HOSTILE
    return data


def every_field_template() -> bytes:
    """A template printing every free-text field the snapshot holds."""
    return template("{{ 企业名称 }}|{{ 企业地址 }}|{{ 审查组长 }}",
                    "{% for x in 场所 %}{{ x.名称 }}|{{ x.地址 }}{% endfor %}",
                    "{% for x in 删减条款 %}{{ x.理由 }}{% endfor %}",
                    "{% for x in 审核发现 %}{{ x.发现 }}{% endfor %}",
                    "{% for x in 特别扣分项 %}{{ x.理由 }}{% endfor %}",
                    "{% for x in 特别加分项 %}{{ x.理由 }}{% endfor %}",
                    "{% for x in 不符合项 %}{{ x.不符合事实 }}|{{ x.要求 }}{% endfor %}",
                    "{% for x in 证据 %}{{ x.文件 }}{% endfor %}",
                    "{% for x in 评价组 %}{{ x.姓名 }}{% endfor %}")


def texts(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    header = [p.text for p in doc.sections[0].header.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells + header)


@pytest.fixture(scope="module")
def context():
    return build_report_context(hostile_snapshot(), TREE)


def test_the_example_template_is_accepted_and_every_hostile_string_comes_out_intact(context):
    data = EXAMPLE.read_bytes()
    assert template_problems(data) == []
    out = render_document("report", context, data, body_name=HOSTILE)
    text = texts(out)
    assert text.count(HOSTILE) >= 4  # company, body in the header, the finding, the nonconformity
    doc = Document(io.BytesIO(out))
    assert len(doc.inline_shapes) == 1  # the first-level chart


def test_every_free_text_field_comes_out_intact_through_a_template(context):
    text = texts(render_document("report", context, every_field_template()))
    assert text.count(HOSTILE) == 10 and text.count(REASON) == 3


def test_the_built_in_layout_keeps_every_hostile_string_intact(context):
    for name in DOCUMENTS:
        assert HOSTILE in texts(DOCUMENTS[name][1](context)), name
    report = texts(DOCUMENTS["report"][1](context))
    assert report.count(REASON) == 3 and report.count(HOSTILE) >= 8


def test_the_first_level_indicator_cell_is_merged_down_its_clauses(context):
    doc = Document(io.BytesIO(render_document("report", context, EXAMPLE.read_bytes())))
    scores = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    merges = [tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tc in scores._tbl.iter(qn("w:tc"))
              if tc.tcPr is not None and tc.tcPr.find(qn("w:vMerge")) is not None]
    assert merges.count("restart") == len([r for r in context.rows if r.level == 1])
    assert "continue" in merges
    assert scores.cell(1, 0)._tc is scores.cell(2, 0)._tc


def test_the_rendered_template_has_a_filled_contents_zh_cn_and_no_theme_fonts(context):
    out = render_document("report", context, EXAMPLE.read_bytes())
    doc = Document(io.BytesIO(out))
    entries = [p for p in doc.paragraphs if p.style.name.startswith("toc")]
    assert [p.text.split("\t")[0] for p in entries][:3] == ["一、基本信息", "二、结果", "三、各指标得分"]
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        xml = archive.read("word/document.xml").decode() + archive.read("word/styles.xml").decode()
    assert "asciiTheme" not in xml and "eastAsiaTheme" not in xml
    assert 'w:eastAsia="zh-CN"' in xml


def test_variables_are_documented_once_in_docs():
    engagement, certificate, plan = re.split(r"^## (?:Certificate|Plan) variables",
                                             (ROOT / "docs" / "template-variables.md").read_text(), flags=re.MULTILINE)
    for text, dictionary in ((engagement, VARIABLES), (certificate, CERTIFICATE_VARIABLES), (plan, PLAN_VARIABLES)):
        documented = re.findall(r"^\| `([^`]+)` \| (.*) \|$", text, re.MULTILINE)
        assert dict(documented) == dictionary and len(documented) == len(dictionary)


def test_every_variable_the_dictionary_documents_is_built(context):
    assert set(build_template_variables(context)) == set(VARIABLES) - {"一级指标得分图", "二级指标得分图"}
    assert set(build_plan_variables(plan_from_context(context))) == set(PLAN_VARIABLES)


def test_a_plan_template_is_checked_against_the_plans_own_variables():
    from vocabulary import DocumentKind
    assert template_problems(PLAN_EXAMPLE.read_bytes(), kind=DocumentKind.PLAN) == []
    assert "未知变量" in "".join(template_problems(EXAMPLE.read_bytes(), kind=DocumentKind.PLAN))
    assert "未知变量" in "".join(template_problems(template("{{ 日程 }}")))  # not a report's


@pytest.mark.parametrize(("data", "expected"), [
    (b"not a zip at all", "不是有效的 Word 文档"),
    (template("{{ 企业名称 ｝｝ 和 ｛｛ 得分 }}"), "全角括号"),
    (template("{% for x in 得分表 %}{{ x.代码 }}"), "模板标记有误"),
    (template("{{ 企业名称 }} {{ 银行账号 }}"), "未知变量：银行账号"),
    (template("{{ 企业名称.__class__.__mro__[1].__subclasses__() }}"), "不允许的内部属性"),
    (template("{% for 行 in 得分表 %}{{ 行.不存在的字段 }}{% endfor %}"), "未提供的变量"),
])
def test_a_bad_template_is_refused_with_its_reason(data, expected):
    problems = template_problems(data, timeout=20)
    assert problems and expected in "".join(problems), problems
    with pytest.raises(TemplateRefused) as refused:
        check_template(data, timeout=20)
    assert expected in refused.value.message


def test_a_macro_enabled_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template("{{ 企业名称 }}"))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\x00macro")
    assert "含宏" in "".join(template_problems(out.getvalue()))


def test_a_template_that_loops_without_end_is_stopped_by_the_time_limit():
    endless = template("{% for a in range(99999) %}{% for b in range(99999) %}{{ 企业名称 }}{% endfor %}"
                       "{% endfor %}")
    with pytest.raises(InvalidInput, match="超过 2 秒"):
        render_template(endless, {"企业名称": "x"}, timeout=2)


def test_each_engagement_kind_has_its_report_template_kind():
    assert template_kind("report", "pre_audit") == "gap_report"
    assert template_kind("report", "surveillance") == "surveillance_report"
    assert template_kind("report", "initial") == "report"
    assert template_kind("plan", "initial") == "plan"


@pytest.mark.parametrize("kind", ["pre_audit", "initial", "surveillance"])
def test_the_example_template_renders_every_document_kind(kind):
    data = snapshot()
    data["engagement"] = dict(data["engagement"], kind=kind)
    ctx = build_report_context(data, TREE)
    for name in DOCUMENTS:
        out = render_document(name, ctx, (PLAN_EXAMPLE if name == "plan" else EXAMPLE).read_bytes())
        assert ctx.company["name"] in texts(out), (kind, name)


def test_every_table_has_explicit_grid_and_cell_widths_for_wps(context):
    for data in [render_document(name, context) for name in DOCUMENTS] + [
            render_document("report", context, EXAMPLE.read_bytes())]:
        doc = Document(io.BytesIO(data))
        for grid in doc.tables:
            widths = [int(c.get(qn("w:w"))) for c in grid._tbl.tblGrid.iter(qn("w:gridCol"))]
            assert widths and all(w > 0 for w in widths)
            assert all(tc.tcPr is not None and tc.tcPr.find(qn("w:tcW")) is not None
                       for tc in grid._tbl.iter(qn("w:tc")))


def test_the_command_line_renders_a_document_from_a_body_template(tmp_path):
    import json
    import subprocess
    import sys
    source = tmp_path / "snapshot.json"
    source.write_text(json.dumps(hostile_snapshot(), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "exports", "plan", str(source), "-o", str(tmp_path / "plan.docx"),
                           "--body-template", str(PLAN_EXAMPLE)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert HOSTILE in texts((tmp_path / "plan.docx").read_bytes())
    refused = subprocess.run([sys.executable, "-m", "exports", "plan", str(source), "-o", str(tmp_path / "x.docx"),
                              "--body-template", str(source)], capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 2 and "不是有效的 Word 文档" in refused.stderr


def test_a_surveillance_report_lists_the_clauses_this_visit_did_not_cover():
    data = snapshot()
    data["engagement"] = dict(data["engagement"], kind="surveillance")
    data["ratings"] = [r for r in data["ratings"] if r["code"] != "5.2.5.a"]
    data["not_covered"], data["kind"] = [{"code": "5.2.5.a"}], "surveillance"
    doc = Document(io.BytesIO(render_document("report", build_report_context(data, TREE))))
    grid = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["条款", "名称"])
    assert [r.cells[0].text for r in grid.rows[1:]] == ["5.2.5.a"]


def test_a_template_that_unpacks_to_a_huge_file_is_refused_before_it_is_read():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template("{{ 企业名称 }}"))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/media/bomb.bin", b"\0" * (201 * 2**20), zipfile.ZIP_DEFLATED)
    assert len(out.getvalue()) < 2**20
    assert "解压后超过" in "".join(template_problems(out.getvalue()))
