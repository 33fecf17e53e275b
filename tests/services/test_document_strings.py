"""Every free-text field holding markup characters, Jinja delimiters, long Chinese text, emoji and characters
outside the BMP comes out of every document intact: through the built-in layout and through a body's template
(the docs examples, and a template printing every variable), read back with python-docx (paragraphs, table cells,
nested tables, headers). Nothing is escaped twice, nothing dropped, nothing in the data evaluated as Jinja."""
import io
from datetime import date, timedelta

import pytest
from docx import Document

from audits.companies import add_site
from audits.decisions import record_decision
from audits.engagements import set_status
from audits.ratings import RatingEntry, rate_clause
from audits.special_items import add_special_item
from cycle.certificate_reads import certificate_context
from cycle.plans import PlanContent, save_plan, send_plan, version_of
from dossier.assessment import engagement_result
from dossier.recommendation import record_recommendation
from evidence.names import display_name
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from exports.documents import DOCUMENTS, render_certificate_document
from issuance.services import build_document, upload_template
from nonconformities.acknowledgement import acknowledge_nonconformity
from nonconformities.services import (
    accept_rectification,
    close_nonconformity,
    raise_nonconformity,
    record_special_item,
    submit_rectification,
)
from records.models import Engagement
from samples.registers import LIMIT_TEXT, REFERENCE, SampleEntry, add_samples
from tests import cycle_rows as rows
from tests.factories import actor, default_tree, make_company, make_engagement, review_passed
from tests.services.test_cycles import certified, surveillance  # noqa: F401  (the fixture)
from timefmt import local_today
from vocabulary import DocumentKind, Limit

TREE = default_tree()
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "templates"
BODY = "认证机构<&>\"'{{ x }}😀𠀀"
TODAY = local_today()


def hostile(tag: str, limit: int = Limit.TEXT) -> str:
    """A string naming its field, with everything that breaks documents, as long as the field takes."""
    core = f"{tag}<w:t>&amp;</w:t> & <b>粗</b> 第一行\n第二行\t制表 \"双引号\" '单引号' {{{{ 企业名称 }}}} {{% if 1 %}}是{{% endif %}} {{# 注 #}} 😀👍🏽👨‍👩‍👧❤️ 𠀀𪚥𩸽"
    return (core + "很长的中文文本" * 2000)[:limit]


STRINGS = {tag: hostile(tag, limit) for tag, limit in [
    ("企业名称", Limit.NAME), ("企业地址", 300), ("场所甲", Limit.NAME), ("场所地址", 300),
    ("评价发现", Limit.TEXT), ("抽样发现", Limit.TEXT), ("扣分理由", Limit.REASON), ("加分理由", Limit.REASON),
    ("不符合事实", Limit.TEXT), ("要求", Limit.TEXT), ("所见证据", Limit.TEXT), ("原因分析", Limit.TEXT),
    ("纠正", Limit.TEXT), ("纠正措施", Limit.TEXT), ("企业代表", 100), ("确认说明", Limit.TEXT),
    ("验证记录", Limit.TEXT), ("推荐条件", Limit.TEXT), ("变更内容", Limit.TEXT), ("变更处理", Limit.REASON), ("样本编号", REFERENCE), ("适用时限", LIMIT_TEXT), ("样本备注", Limit.TEXT), ("决定理由", Limit.TEXT), ("评价目的", Limit.REASON), ("评价准则", Limit.REASON), ("评价范围", Limit.REASON),
    ("日程内容", Limit.REASON), ("证据文件", 120), ("认证的服务", Limit.REASON), ("产品类别", Limit.REASON)]}
STRINGS["证据文件"] = display_name(STRINGS["证据文件"].replace("/", "") + ".pdf")  # as a file name is kept (no path)
S = STRINGS


@pytest.fixture
def world(db, tmp_path):
    by = actor()
    store = LocalBlobStore(tmp_path / "evidence")
    company = make_company(db, name=S["企业名称"], address=S["企业地址"])
    site = add_site(db, company_id=company.id, data={"name": S["场所甲"], "kind": "outlet", "address": S["场所地址"],
                                                     "contracted": False}, by=by)
    engagement = make_engagement(db, company)
    review_passed(db, engagement.id)
    for leaf in TREE.leaves():
        entry = (RatingEntry("nonconform", finding=S["评价发现"]) if leaf.code == "5.1.6.b" else
                 RatingEntry("sampled", sampled=5, nonconforming=0, finding=S["抽样发现"]) if leaf.code == "5.1.2.2"
                 else RatingEntry("conform"))
        rate_clause(db, engagement_id=engagement.id, code=leaf.code, entry=entry, expected_version=0, tree=TREE, by=by)
    add_samples(db, engagement_id=engagement.id, code="5.1.2.2", tree=TREE, by=by, entries=[SampleEntry(
        reference=S["样本编号"], conforms=True, site_id=site.id, limit_text=S["适用时限"], note=S["样本备注"])])
    set_status(db, engagement.id, "in_progress", by=by)
    record_special_item(db, engagement_id=engagement.id, kind="deduction", category="company_rules", code="5.2.4.c",
                        reason=S["扣分理由"], tree=TREE, by=by, today=TODAY)
    add_special_item(db, engagement_id=engagement.id, kind="bonus", reason=S["加分理由"], tree=TREE, by=by)
    nc = raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                             finding=S["不符合事实"], requirement=S["要求"], evidence_seen=S["所见证据"],
                             site_id=site.id, by=by, today=TODAY)
    acknowledge_nonconformity(db, nc_id=nc.id, representative=S["企业代表"], remark=S["确认说明"],
                              planned_completion=TODAY + timedelta(days=10), by=by)
    file = upload_evidence(db, store, engagement_id=engagement.id, name=S["证据文件"],
                           stream=io.BytesIO(b"%PDF-1.4 fix"), tree=TREE, links={"5.1.6.b": set()}, by=by,
                           max_bytes=1024 * 1024)
    submit_rectification(db, nc_id=nc.id, cause=S["原因分析"], correction=S["纠正"], corrective_action=S["纠正措施"],
                         evidence_ids=[file.evidence.id], expected_version=0, by=by)
    accept_rectification(db, nc_id=nc.id, comment="", expected_version=1, by=by)
    close_nonconformity(db, nc_id=nc.id, verification="documents", note=S["验证记录"], expected_version=2, by=by)
    draft = save_plan(db, engagement_id=engagement.id, expected_version=0, tree=TREE, by=by,
                      content=PlanContent(objectives=S["评价目的"], criteria=S["评价准则"], scope=S["评价范围"],
                                          visit_start=TODAY + timedelta(days=5), visit_end=TODAY + timedelta(days=6),
                                          agenda=[{"time": "09:00", "item": S["日程内容"], "who": S["企业代表"]}],
                                          site_ids=[site.id]))
    send_plan(db, engagement_id=engagement.id, expected_version=version_of(draft), tree=TREE, by=by)
    star = engagement_result(db, engagement.id, TREE, by=by).star
    record_recommendation(db, engagement_id=engagement.id, kind="after_verification", star=star, conditions=S["推荐条件"],
                          tree=TREE, by=by)
    record_decision(db, engagement_id=engagement.id, outcome="approve", star=star, decided_on=TODAY,
                    reasons=S["决定理由"], tree=TREE, by=by)
    granted = make_engagement(db, company, title="已认证")  # its decision is the test rows' own
    certificate = rows.certificate(db, granted, date(2026, 12, 1), services=S["认证的服务"],
                                   product_types=S["产品类别"],
                                   sites=[{"name": S["场所甲"], "kind": "服务网点", "address": S["场所地址"]}])
    return {"engagement": engagement, "store": store, "certificate": certificate, "by": by}


def texts(data: bytes) -> str:
    """Every piece of text python-docx reads: paragraphs, table cells (nested too), headers and footers."""
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)
    cells(doc.tables)
    for section in doc.sections:
        for part in (section.header, section.footer):
            out.extend(p.text for p in part.paragraphs)
            cells(part.tables)
    return "\n".join(out)


# what each built-in document prints (the template path is held to every string its variables carry)
PRINTED = {
    "report": ["企业名称", "企业地址", "场所甲", "评价发现", "抽样发现", "样本编号", "适用时限", "样本备注", "扣分理由", "加分理由", "不符合事实", "推荐条件",
               "评价目的", "评价准则"],
    "nonconformities": ["企业名称", "场所甲", "不符合事实", "要求", "所见证据", "原因分析", "纠正", "纠正措施", "企业代表",
                        "确认说明", "验证记录", "证据文件"],
    "result": ["企业名称"],
    "plan": ["企业名称", "场所甲", "场所地址"],
}
CERTIFICATE = ["企业名称", "企业地址", "场所甲", "场所地址", "认证的服务", "产品类别"]


def assert_intact(text: str, tags: list[str], where: str) -> None:
    for tag in tags:
        assert S[tag] in text, (where, tag)
    assert "&amp;amp;" not in text and "&lt;" not in text and "&#" not in text, where
    assert "{{ 企业名称 }}" in text and "{% if 1 %}是{% endif %}" in text, where  # data never evaluated


def made(db, world, name):
    return build_document(db, world["store"], engagement_id=world["engagement"].id, name=name, tree=TREE,
                          by=world["by"], zone="Asia/Shanghai", body_name=BODY)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_built_in_layout_prints_every_string_intact(db, world, name):
    text = texts(made(db, world, name))
    assert_intact(text, PRINTED[name], name)
    assert name != "report" or BODY in text


PLAN_VERSION = ["企业名称", "评价目的", "评价准则", "评价范围", "日程内容", "企业代表", "场所甲", "场所地址"]


def plan_version(db, world):
    from issuance.services import plan_version_document
    return plan_version_document(db, world["store"], engagement_id=world["engagement"].id, version=1, tree=TREE,
                                 by=world["by"], body_name=BODY)


def test_the_plan_sent_to_the_company_prints_every_string_intact(db, world):
    template, data = plan_version(db, world)
    assert template is None
    assert_intact(texts(data), PLAN_VERSION, "plan document")


@pytest.mark.parametrize("form", ["example-plan.docx", "every variable"])
def test_the_plan_sent_to_the_company_prints_every_string_intact_through_a_template(db, world, form):
    from cycle.plan_document import plan_document_data
    from exports.plan_vars import build_plan_variables
    data = (EXAMPLES / form).read_bytes() if form.endswith(".docx") else every_variable_template(
        build_plan_variables(plan_document_data(db, world["engagement"].id, 1, tree=TREE, by=world["by"])))
    upload_template(db, world["store"], kind=DocumentKind.PLAN, name="计划", data=data, by=world["by"])
    template, made_from = plan_version(db, world)
    assert template is not None
    text = texts(made_from)
    assert_intact(text, PLAN_VERSION + ["企业地址"], form)
    assert BODY in text


def test_the_built_in_certificate_prints_every_string_intact(db, world):
    ctx = certificate_context(db, world["certificate"].id, by=world["by"])
    assert_intact(texts(render_certificate_document(ctx)), CERTIFICATE, "certificate")


def every_variable_template(variables: dict) -> bytes:
    """A template printing every text of every variable, list items and their nested lists included."""
    def fields(prefix: str, item: dict) -> str:
        parts = []
        for key, value in item.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                parts.append(f"{{% for y in {prefix}.{key} %}}{fields('y', value[0])}{{% endfor %}}")
            elif isinstance(value, list):
                parts.append(f"{{% for y in {prefix}.{key} %}}{{{{ y }}}}|{{% endfor %}}")
            else:
                parts.append(f"{{{{ {prefix}.{key} }}}}|")
        return "".join(parts)

    doc = Document()
    for name, value in variables.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            doc.add_paragraph(f"{{% for x in {name} %}}{fields('x', value[0])}{{% endfor %}}")
        elif isinstance(value, list):
            doc.add_paragraph(f"{{% for x in {name} %}}{{{{ x }}}}|{{% endfor %}}")
        elif name != "目录":
            doc.add_paragraph(f"{{{{ {name} }}}}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_template_printing_every_variable_prints_every_string_intact(db, world):
    from dossier.snapshot import build_snapshot
    from exports.context import build_report_context
    from exports.template_vars import build_template_variables
    ctx = build_report_context(build_snapshot(db, world["engagement"].id, TREE, by=world["by"]), TREE)
    form = every_variable_template(build_template_variables(ctx))
    upload_template(db, world["store"], kind=DocumentKind.REPORT, name="全部变量", data=form, by=world["by"])
    upload_template(db, world["store"], kind=DocumentKind.NONCONFORMITIES, name="全部变量", data=form, by=world["by"])
    everything = sorted(set(STRINGS) - set(CERTIFICATE[-2:]) - {"场所地址", "变更内容", "变更处理", "日程内容"})
    assert_intact(texts(made(db, world, "report")), everything + ["场所地址"], "report template")
    assert_intact(texts(made(db, world, "nonconformities")), everything, "nonconformity template")


@pytest.mark.parametrize(("name", "kind", "example"), [
    ("report", DocumentKind.REPORT, "example-report.docx"),
    ("nonconformities", DocumentKind.NONCONFORMITIES, "example-nonconformities.docx"),
    ("result", DocumentKind.RESULT, "example-report.docx"),
    ("plan", DocumentKind.PLAN, "example-plan.docx"),
])
def test_the_docs_examples_print_every_string_they_name_intact(db, world, name, kind, example):
    upload_template(db, world["store"], kind=kind, name="示例", data=(EXAMPLES / example).read_bytes(),
                    by=world["by"])
    text = texts(made(db, world, name))
    assert BODY in text  # the header
    shown = ["企业名称", "企业地址", "评价发现", "不符合事实"] if example == "example-report.docx" else \
        ["企业名称", "企业地址", "场所甲", "场所地址", "评价目的", "评价准则", "评价范围"] if example == "example-plan.docx" else \
        ["企业名称", "场所甲", "要求", "不符合事实", "所见证据", "企业代表", "确认说明", "原因分析", "纠正", "纠正措施",
         "证据文件", "验证记录"]
    assert_intact(text, shown, example)


def test_the_docs_certificate_example_prints_every_string_intact(db, world):
    from issuance.services import certificate_document
    upload_template(db, world["store"], kind=DocumentKind.CERTIFICATE, name="示例",
                    data=(EXAMPLES / "example-certificate.docx").read_bytes(), by=world["by"])
    template, data = certificate_document(db, world["store"], certificate_id=world["certificate"].id, by=world["by"])
    assert template is not None
    assert_intact(texts(data), ["企业名称", "企业地址", "认证的服务", "产品类别"], "certificate template")


def test_a_surveillance_report_prints_the_reported_changes_intact(db, tmp_path, certified):  # noqa: F811
    from cycle.changes import answer_change, report_change
    from vocabulary_cycle import ChangeKind, ChangeResponse
    store, by = LocalBlobStore(tmp_path / "evidence"), actor()
    later = surveillance(db, certified)
    change = report_change(db, company_id=certified["a"].id, kind=ChangeKind.ORGANISATION, description=S["变更内容"],
                           new_values=None, reported_on=TODAY, by=by)
    answer_change(db, change_id=change.id, response=ChangeResponse.NO_ACTION, note=S["变更处理"], by=by)

    def report():
        return texts(build_document(db, store, engagement_id=later.id, name="report", tree=TREE, by=by,
                                    zone="Asia/Shanghai", body_name=BODY))
    assert_intact(report(), ["变更内容", "变更处理"], "surveillance report")
    from dossier.snapshot import build_snapshot
    from exports.context import build_report_context
    from exports.template_vars import build_template_variables
    from issuance.extras import document_extras
    ctx = build_report_context(build_snapshot(db, later.id, TREE, by=by), TREE)
    ctx.extras = document_extras(db, db.get(Engagement, later.id), TREE, previous_scores={})
    upload_template(db, store, kind=DocumentKind.SURVEILLANCE_REPORT, name="全部变量",
                    data=every_variable_template(build_template_variables(ctx)), by=by)
    assert_intact(report(), ["变更内容", "变更处理"], "surveillance template")


def test_a_pre_audits_gap_documents_print_every_string_intact(db, tmp_path):
    store, by = LocalBlobStore(tmp_path / "evidence"), actor()
    company = make_company(db, name=S["企业名称"], address=S["企业地址"])
    pre = make_engagement(db, company, kind="pre_audit", title="预评价")
    rate_clause(db, engagement_id=pre.id, code="5.1.6.b", entry=RatingEntry("nonconform", finding=S["评价发现"]),
                expected_version=0, tree=TREE, by=by)
    raise_nonconformity(db, engagement_id=pre.id, severity="general", code="5.1.6.b", tree=TREE,
                        finding=S["不符合事实"], requirement=S["要求"], by=by, today=TODAY)
    upload_template(db, store, kind=DocumentKind.GAP_REPORT, name="示例",
                    data=(EXAMPLES / "example-report.docx").read_bytes(), by=by)
    for name, tags in (("report", ["企业名称", "企业地址", "评价发现", "不符合事实"]),
                       ("nonconformities", ["企业名称", "不符合事实", "要求"]), ("result", ["企业名称"]),
                       ("plan", ["企业名称"])):
        text = texts(build_document(db, store, engagement_id=pre.id, name=name, tree=TREE, by=by,
                                    zone="Asia/Shanghai", body_name=BODY))
        assert_intact(text, tags, f"gap {name}")
