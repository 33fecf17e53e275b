"""Each kind of engagement gets its document: a surveillance report lists the carried nonconformities with their
verification, the changes and the scores beside the last visit's; a certification report names the body, the
rules applied, confidentiality and distribution; a nonconformity report carries every field of A5 and the
rectification files by name and hash; a pre-audit's report carries no certification wording."""
import io

from docx import Document

from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from issuance.services import build_document
from nonconformities.services import accept_rectification, close_nonconformity, submit_rectification
from tests.factories import actor, default_tree, make_engagement
from tests.services.test_cycles import certified, surveillance  # noqa: F401  (the fixture)
from tests.unit.test_gap_documents import FORBIDDEN
from tests.unit.test_word_report import all_text

TREE = default_tree()


def text_of(data: bytes) -> str:
    return all_text(Document(io.BytesIO(data)))


def made(db, tmp_path, engagement_id, name="report", by=None):
    return build_document(db, LocalBlobStore(tmp_path / "evidence"), engagement_id=engagement_id, name=name,
                          tree=TREE, by=by or actor(), zone="Asia/Shanghai", body_name="中认示例认证有限公司")


def test_a_surveillance_report_lists_what_was_verified_since_the_last_visit(db, certified, tmp_path):  # noqa: F811
    later = surveillance(db, certified)
    by, nc_id = certified["by"], certified["nc"].id
    text = text_of(made(db, tmp_path, later.id, by=by["wu"]))
    assert "遗留不符合项及其验证" in text and "改进措施未验证效果" in text and "尚未验证" in text
    assert "得分与上次评价对比" in text and "上次得分率" in text
    assert "投诉、证书和认证标志的使用" in text and "评价范围内本次未覆盖的条款" in text
    submit_rectification(db, nc_id=nc_id, cause="因", correction="纠", corrective_action="措", evidence_ids=[],
                         expected_version=0, by=by["client"])
    accept_rectification(db, nc_id=nc_id, comment="整改有效", expected_version=1, by=by["wu"])
    close_nonconformity(db, nc_id=nc_id, verification="on_site", note="监督评价现场验证有效", expected_version=2,
                        by=by["wu"])
    text = text_of(made(db, tmp_path, later.id, by=by["wu"]))
    assert "改进措施未验证效果" in text and "验证并关闭" in text and "监督评价现场验证有效" in text


def test_a_certification_report_names_the_body_rules_confidentiality_and_distribution(db, tmp_path):
    engagement = make_engagement(db)
    text = text_of(made(db, tmp_path, engagement.id))
    for words in ("中认示例认证有限公司", "适用的认证方案规则", "特别扣分项达到 5 项及以上为评价不合格", "保密与分发",
                  "审查组长尚未记录推荐意见"):
        assert words in text


def test_a_pre_audit_report_lists_the_missing_documents_and_carries_no_certification_wording(db, tmp_path):
    engagement = make_engagement(db, kind="pre_audit", title="预评价")
    upload_evidence(db, LocalBlobStore(tmp_path / "evidence"), engagement_id=engagement.id, name="服务手册.pdf",
                    stream=io.BytesIO(b"%PDF-1.4 m"), tree=TREE, links={"5.1.4.1": {0}}, by=actor(),
                    max_bytes=1024 * 1024)
    doc = Document(io.BytesIO(made(db, tmp_path, engagement.id)))
    text = all_text(doc)
    assert "差距分析" in text and "尚缺的文件和记录" in text
    missing = next(t for t in doc.tables if t.rows[0].cells[-1].text == "应具备的文件或记录")
    rows = [[c.text for c in r.cells] for r in missing.rows[1:]]
    assert any(r[0] == "5.1.4.1" and r[2] == "受控文件清单及版本" for r in rows)
    assert not any(r[0] == "5.1.4.1" and r[2] == "售后服务手册" for r in rows)
    assert [w for w in FORBIDDEN + ("认证评价信息", "保密与分发", "中认示例认证有限公司") if w in text] == []


def test_the_nonconformity_report_lists_the_fields_of_a5_and_the_rectification_files(db, tmp_path):
    from audits.ratings import RatingEntry, rate_clause
    from nonconformities.services import raise_nonconformity
    store = LocalBlobStore(tmp_path / "evidence")
    engagement = make_engagement(db)
    rate_clause(db, engagement_id=engagement.id, code="5.1.6.b", entry=RatingEntry("nonconform", finding="未验证"),
                expected_version=0, tree=TREE, by=actor())
    nc = raise_nonconformity(db, engagement_id=engagement.id, severity="general", code="5.1.6.b", tree=TREE,
                             finding="改进措施 <未> 验证 & 效果 😀", requirement="5.1.6 持续改进", by=actor())
    file = upload_evidence(db, store, engagement_id=engagement.id, name="整改记录𠀀.pdf",
                           stream=io.BytesIO(b"%PDF-1.4 fix"), tree=TREE, links={"5.1.6.b": set()}, by=actor(),
                           max_bytes=1024 * 1024)
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措",
                         evidence_ids=[file.evidence.id], expected_version=0, by=actor())
    text = text_of(made(db, tmp_path, engagement.id, name="nonconformities"))
    for words in ("要求来源", "观察到的证据", "开具人 / 日期", "企业代表确认", "计划完成日期", "验证结论",
                  "改进措施 <未> 验证 & 效果 😀", "整改记录𠀀.pdf", file.evidence.sha256):
        assert words in text, words


def test_a_surveillance_template_loops_over_the_carried_nonconformities(db, certified, tmp_path):  # noqa: F811
    from issuance.services import upload_template
    from tests.unit.test_body_templates import template
    from vocabulary import DocumentKind
    store = LocalBlobStore(tmp_path / "evidence")
    later = surveillance(db, certified)
    form = template("{{ 认证机构 }} 监督评价报告 {{ 企业名称 }}",
                    "{% for 项 in 遗留不符合项 %}{{ 项.编号 }}：{{ 项.不符合事实 }}（{{ 项.验证 }}）{% endfor %}",
                    "{% for 行 in 得分对比 %}{{ 行.代码 }} {{ 行.上次得分率 }}→{{ 行.本次得分率 }}；{% endfor %}")
    upload_template(db, store, kind=DocumentKind.SURVEILLANCE_REPORT, name="监督报告表", data=form, by=actor())
    text = text_of(build_document(db, store, engagement_id=later.id, name="report", tree=TREE,
                                  by=certified["by"]["wu"], zone="Asia/Shanghai", body_name="中认示例认证有限公司"))
    assert "中认示例认证有限公司 监督评价报告" in text
    assert "NC-01：改进措施未验证效果（尚未验证）" in text
    assert "5.1 94.2%→0.0%" in text and "5.1.1 100.0%→" in text  # 5.1.6.b nonconform last time


def test_a_result_letter_template_prints_the_decision_once_taken(db, certified, tmp_path):  # noqa: F811
    from issuance.services import upload_template
    from tests.unit.test_body_templates import template
    from vocabulary import DocumentKind
    store = LocalBlobStore(tmp_path / "evidence")
    upload_template(db, store, kind=DocumentKind.RESULT, name="结论通知书", data=template("决定：{{ 认证决定 }}"),
                    by=actor())
    text = text_of(build_document(db, store, engagement_id=certified["initial"].id, name="result", tree=TREE,
                                  by=certified["by"]["admin"], zone="Asia/Shanghai"))
    assert text.startswith("决定：批准")
