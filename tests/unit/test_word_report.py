"""The Word report, built from a snapshot by pure code and read back with python-docx."""
import io
import os
import shutil
import subprocess

import pytest
from docx import Document

from criteria.model import points_text
from exports.context import build_report_context
from exports.word_report import render_report
from tests.factories import default_tree

TREE = default_tree()
HOSTILE = "<script>alert('x')</script> & \"引号\" " + "很长的文字" * 400 + "\x01\x0b"


def snapshot() -> dict:
    ratings = [{"code": leaf.code, "result": "conform"} for leaf in TREE.leaves()
               if leaf.code not in ("5.1.2.2", "5.2.6.a", "5.2.6.b", "5.3.2.b")]
    ratings += [{"code": "5.1.2.2", "result": "nonconform", "finding": HOSTILE},
                {"code": "5.3.2.b", "result": "sampled", "sampled": 10, "nonconforming": 1, "finding": "1 件超时"}]
    return {
        "criteria": "gbt27922-2011", "ratings": ratings,
        "exclusions": [{"code": "5.2.6", "reason": "零售商不负回收义务"}],
        "special_deductions": [{"reason": "收费高于公示价格", "code": "5.2.4.c", "category": "law"}],
        "special_bonus": [{"reason": "响应时效行业领先"}],
        "nonconformities": [{"number": 1, "code": "5.1.2.2", "severity": "serious", "status": "raised",
                             "finding": "无持证管理师", "due_date": "2026-12-04"},
                            {"number": 2, "code": None, "severity": "general", "status": "closed", "finding": HOSTILE}],
        "engagement": {"id": 7, "kind": "initial", "title": "初次认证", "start_date": "2026-11-02",
                       "end_date": "2026-11-04"},
        "company": {"name": "杭州示例电器服务有限公司", "credit_code": "91330106MA2DEMX01W", "scope": "家电售后"},
        "sites": [{"name": "总部", "kind": "headquarters", "address": "杭州"}],
        "team": [{"name": "张审查", "role": "lead_assessor"}],
        "evidence": [{"name": "组织架构图.pdf", "sha256": "ab" * 32, "codes": ["5.1.1.1"], "uploaded_by": "张审查"}],
    }


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def report():
    ctx = build_report_context(snapshot(), TREE)
    return ctx, Document(io.BytesIO(render_report(ctx)))


def test_the_report_names_the_company_score_star_and_decision(report):
    ctx, doc = report
    text = all_text(doc)
    assert "杭州示例电器服务有限公司" in text and "91330106MA2DEMX01W" in text
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "得分")
    assert [c.text for c in summary.rows[1].cells[:3]] == [ctx.score, "四星级", "暂缓决定"]
    # 5.2.6 (2 x 7/3) excluded: 286/3 applicable; 5.1.2.2 loses 5, 5.3.2.b 1 of 10 x 25/8 = 5/16;
    # 100 - (5 + 5/16) / (286/3) x 100 = 94.427..., then -1 deduction +1 bonus
    assert ctx.score == "94.43"


def test_every_clause_is_in_the_score_table_with_its_points(report):
    _, doc = report
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "代码")
    rows = {r.cells[0].text: r.cells for r in table.rows[1:]}
    for leaf in TREE.leaves():
        assert rows[leaf.code][1].text == leaf.name
        assert rows[leaf.code][2].text == points_text(leaf.points)  # 5 as 5, 7/3 as ≈2.33: never 2.33333
    assert rows["5.1.2.2"][5].text == "不符合" and rows["5.2.6.a"][3].text == "0"
    assert [rows[c][2].text for c in ("5.1", "5.2", "5.3")] == ["40", "35", "25"]
    assert rows["5.1.1.1"][2].text == "≈2.33" and rows["5.3.1.a"][2].text == "3.125"


def test_every_nonconformity_and_the_charts_are_in_the_report(report):
    _, doc = report
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "编号")
    assert [r.cells[0].text for r in table.rows[1:]] == ["NC-01", "NC-02"]
    assert table.rows[2].cells[1].text == "特别扣分项"
    assert len(doc.inline_shapes) == 2


def test_markup_and_control_characters_are_printed_as_text(report):
    _, doc = report
    text = all_text(doc)
    assert "<script>alert('x')</script> & \"引号\"" in text and "\x01" not in text


def test_a_bare_assessment_json_makes_a_report_with_blank_company_details():
    doc = Document(io.BytesIO(render_report(build_report_context(
        {"criteria": "gbt27922-2011", "ratings": []}, TREE))))
    assert "受评价企业" in all_text(doc) and len(doc.inline_shapes) == 2


def test_libreoffice_turns_the_report_into_a_pdf_with_chinese_headings(report, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        if os.environ.get("AUDIT_REQUIRE_BROWSER"):
            pytest.fail("LibreOffice and poppler-utils must be installed (scripts/system-packages.sh)")
        pytest.skip("LibreOffice is not installed")
    ctx, _ = report
    path = tmp_path / "report.docx"
    path.write_bytes(render_report(ctx))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    for heading in ("商品售后服务评价报告", "一、评价结论摘要", "四、各指标得分", "六、不符合项", "八、签字"):
        assert heading in text
    assert "\ufffd" not in text


def test_each_nonconformity_gets_a_report_page_with_spaces_for_answer_and_verification():
    from exports.word_forms import render_nonconformity_reports
    data = snapshot()
    data["nonconformities"][1]["history"] = [
        {"event": "submit", "details": {"cause": "未配置", "correction": "已培训", "corrective_action": "建制度"}},
        {"event": "close", "details": {"verification": "on_site"}, "comment": "现场核实", "by": "张审查",
         "at": "2026-11-20T08:00:00"}]
    doc = Document(io.BytesIO(render_nonconformity_reports(build_report_context(data, TREE))))
    text = all_text(doc)
    assert text.count("不符合报告") == 2 and "GBT27922-00007-NC-01" in text and "GBT27922-00007-NC-02" in text
    assert "原因分析" in text and "未配置" in text and "现场验证" in text and "现场核实" in text


def test_the_result_fits_one_page_and_the_plan_lists_sites_and_agenda(tmp_path):
    from exports.word_forms import render_plan, render_result
    ctx = build_report_context(snapshot(), TREE)
    result = all_text(Document(io.BytesIO(render_result(ctx))))
    assert "94.43" in result and "四星级" in result and "暂缓决定" in result
    plan = all_text(Document(io.BytesIO(render_plan(ctx))))
    assert "总部" in plan and "首次会议" in plan and "5.1 售后服务体系" in plan and "3 天" in plan


def test_a_certification_bodys_template_carries_its_letterhead_into_the_report(tmp_path):
    template = Document()
    template.sections[0].header.paragraphs[0].text = "某认证有限公司 · 评价报告"
    buffer = io.BytesIO()
    template.save(buffer)
    doc = Document(io.BytesIO(render_report(build_report_context(snapshot(), TREE), buffer.getvalue())))
    assert doc.sections[0].header.paragraphs[0].text == "某认证有限公司 · 评价报告"
    assert "杭州示例电器服务有限公司" in all_text(doc)


def test_table_rows_keep_line_breaks_and_tabs_and_the_header_repeats_on_each_page():
    from docx.oxml.ns import qn

    from exports.docx_kit import table
    doc = Document()
    grid = table(doc, ["条款", "审核发现"], [["5.1.1.1", "第一行\n第二行\t附注"], ["合计", "2"]],
                 widths=[3, 12], bold_rows={1})
    saved = io.BytesIO()
    doc.save(saved)
    grid = Document(io.BytesIO(saved.getvalue())).tables[0]
    assert [c.text for c in grid.rows[1].cells] == ["5.1.1.1", "第一行\n第二行\t附注"]
    assert grid.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in grid.rows[2].cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in grid.rows[1].cells for run in cell.paragraphs[0].runs)
    assert [round(c.width.cm) for c in grid.rows[1].cells] == [3, 12]
    with pytest.raises(ValueError):
        table(doc, ["a", "b"], [["only one"]])


def test_the_method_text_states_the_thresholds_the_score_was_read_against():
    from dataclasses import replace
    from decimal import Decimal

    from scoring.stars import Scheme, Star
    ctx = build_report_context(snapshot(), TREE)
    strict = Scheme(thresholds=((Star.FIVE, Decimal(98)), (Star.FOUR, Decimal(92)), (Star.THREE, Decimal(85)),
                                (Star.COMPLIANT, Decimal(75))))
    text = all_text(Document(io.BytesIO(render_report(replace(ctx, result=replace(ctx.result, scheme=strict))))))
    assert "98 分及以上为五星级" in text and "75 分及以上为达标级" in text and "95 分及以上" not in text
