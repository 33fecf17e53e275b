"""The plan version sent to the company is made from the body's active plan template (else the built-in layout):
every field of the version and the company, its loops filled (team, agenda, assignments, sites, the sampling plan's
sites, the sites visited); a plan template is checked against the plan's own variables; the engagement's plan
export reads the same dictionary."""
import io
from datetime import date

import pytest
from docx import Document

from cycle.plans import PlanContent, save_plan, send_plan, version_of
from errors import InvalidInput, NotFound
from evidence.store import LocalBlobStore
from exports.plan_vars import PLAN_VARIABLES
from issuance.services import build_document, plan_version_document, upload_template, use_built_in
from sampling.visits import record_visit
from tests.factories import actor
from tests.services.test_document_strings import texts
from tests.services.test_sampling_plan import SYSTEM, TREE, save, world  # noqa: F401  (the fixture)
from vocabulary import DocumentKind

EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "docs" / "templates"
PLAN_EXAMPLE = (EXAMPLES / "example-plan.docx").read_bytes()
BODY = "中认示例认证有限公司"


@pytest.fixture
def store(tmp_path):
    return LocalBlobStore(tmp_path / "evidence")


@pytest.fixture
def sent(db, world):  # noqa: F811
    """A plan sent with its agenda, assignments and sites, after a sampling plan and one visit."""
    e, sites, users = world
    sampling = save(db, e, sites, users["zhang"], seed=11)
    record_visit(db, engagement_id=e, site_id=sites["网点01"], visited_on=date(2026, 3, 2), visited_by="李评审",
                 by=users["zhang"])
    draft = save_plan(db, engagement_id=e, expected_version=0, tree=TREE, by=users["zhang"], content=PlanContent(
        objectives="评价售后服务体系<目的>", scope="空调的安装 & 维修", criteria="GB/T 27922-2011",
        visit_start=date(2026, 12, 3), visit_end=date(2026, 12, 4),
        agenda=[{"time": "12-03 09:00", "item": "首次会议", "who": "张审查"},
                {"time": "12-03 10:00", "item": "网点走访", "who": "李评审"}],
        assignments=[{"member": "张审查", "indicators": ["5.1"], "sites": []},
                     {"member": "李评审", "indicators": ["5.3"], "sites": [sites["网点01"]]}],
        site_ids=[sites["网点01"]]))
    send_plan(db, engagement_id=e, expected_version=version_of(draft), tree=TREE, by=users["zhang"],
              today=date(2026, 11, 20))
    return {"e": e, "users": users, "sampling": sampling}


def test_the_sent_plan_comes_from_the_bodys_plan_template_with_every_field_and_loop(db, store, sent):
    e, users = sent["e"], sent["users"]
    built_in = plan_version_document(db, store, engagement_id=e, version=1, tree=TREE, by=users["client"])
    assert built_in[0] is None and "编号：JH-2026" in texts(built_in[1])
    template = upload_template(db, store, kind=DocumentKind.PLAN, name="QR-27922-03 A/0", data=PLAN_EXAMPLE,
                               by=actor())
    used, data = plan_version_document(db, store, engagement_id=e, version=1, tree=TREE, by=users["client"],
                                       body_name=BODY)
    assert used.id == template.id
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].header.paragraphs[0].text.startswith(BODY + "    表单编号：QR-27922-03")
    text = texts(data)
    for printed in (f"JH-2026-{e:04d}", "第 1 版", "商品售后服务评价计划", "杭州示例电器有限公司", "91330106MA2DEMX01W",
                    "初次认证", TREE.title, "评价售后服务体系<目的>", "空调的安装 & 维修", "GB/T 27922-2011",
                    "2026-12-03 至 2026-12-04", "2026-11-20（张审查）", "本计划于现场评价前至少"):
        assert printed in text, printed
    rows = {t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows[1:]] for t in doc.tables}
    assert rows["姓名"] == [["张审查", "审查组长"], ["李评审", "审查员"]]
    assert rows["时间"] == [["12-03 09:00", "首次会议", "张审查"], ["12-03 10:00", "网点走访", "李评审"]]
    assert rows["成员"][1][0] == "李评审" and rows["成员"][1][2] == "网点01" and rows["成员"][0][1].startswith("5.1 ")
    assert [r[0] for r in rows["场所"]] == ["总部", "网点01"]
    assert len(rows["抽样场所"]) == len(sent["sampling"].sites) and rows["抽样场所"][0][0] == "总部"
    assert rows["已访问场所"] == [["网点01", "2026-03-02", "李评审"]]
    assert "随机种子 11" in text
    assert "{{" not in text and "{%" not in text
    use_built_in(db, kind=DocumentKind.PLAN, by=actor())
    assert plan_version_document(db, store, engagement_id=e, version=1, tree=TREE, by=users["client"])[0] is None


def test_a_plan_download_follows_who_may_see_the_version_and_records_nothing(db, store, sent):
    from sqlmodel import func, select

    from issuance.models import IssuedDocument
    e, users = sent["e"], sent["users"]
    upload_template(db, store, kind=DocumentKind.PLAN, name="计划", data=PLAN_EXAMPLE, by=actor())
    with pytest.raises(NotFound):
        plan_version_document(db, store, engagement_id=e, version=2, tree=TREE, by=users["client"])
    assert db.exec(select(func.count()).select_from(IssuedDocument)).one() == 0


def test_a_plan_template_is_checked_against_the_plans_variables(db, store):
    report_form = (EXAMPLES / "example-report.docx").read_bytes()
    with pytest.raises(InvalidInput, match="未知变量：.*得分"):  # a report's variables are not a plan's
        upload_template(db, store, kind=DocumentKind.PLAN, name="计划", data=report_form, by=actor())
    with pytest.raises(InvalidInput, match="未知变量：.*日程"):
        upload_template(db, store, kind=DocumentKind.REPORT, name="报告", data=PLAN_EXAMPLE, by=actor())
    assert upload_template(db, store, kind=DocumentKind.PLAN, name="计划", data=PLAN_EXAMPLE, by=actor()).version == 1


def test_the_engagements_plan_export_prints_the_sent_version_through_the_same_template(db, store, sent):
    e, users = sent["e"], sent["users"]
    upload_template(db, store, kind=DocumentKind.PLAN, name="计划", data=PLAN_EXAMPLE, by=actor())
    text = texts(build_document(db, store, engagement_id=e, name="plan", tree=TREE, by=users["zhang"],
                                zone="Asia/Shanghai", body_name=BODY))
    for printed in (f"JH-2026-{e:04d}", "评价售后服务体系<目的>", "空调的安装 & 维修", "2026-12-03 至 2026-12-04",
                    "2026-11-20（张审查）", "首次会议：介绍评价目的", "网点01", "随机种子 11"):
        assert printed in text, printed
    assert set(PLAN_VARIABLES) >= {"计划编号", "日程", "分工", "评价场所", "拟访问场所", "送达说明"}
