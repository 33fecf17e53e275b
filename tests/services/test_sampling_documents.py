"""The plan document, the Word report (through the snapshot) and the workspace list the same sites visited, with
the same dates and team members; the sampling rationale is in both documents; an old snapshot without the
sampling keys still makes a report."""
import io
from datetime import date

from docx import Document

from cycle.plan_document import plan_docx
from cycle.plans import PlanContent, save_plan
from dossier.snapshot import build_snapshot
from exports.context import build_report_context
from exports.word_report import render_report
from sampling.site_work import site_summary
from sampling.visits import record_visit, visits
from tests.services.test_sampling_plan import SYSTEM, TREE, save, world  # noqa: F401  (the fixture)


def texts(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def visited_table(docx: bytes) -> list[tuple[str, str, str]]:
    doc = Document(io.BytesIO(docx))
    for t in doc.tables:
        if t.rows[0].cells[0].text in ("已访问场所", "场所") and t.rows[0].cells[1].text == "访问日期":
            return [tuple(c.text for c in row.cells) for row in t.rows[1:]]
    return []


def test_the_plan_document_the_report_and_the_workspace_agree_on_the_sites_visited(db, world):  # noqa: F811
    e, sites, users = world
    v = save(db, e, sites, users["zhang"], seed=11)
    planned = [r["site_id"] for r in v.sites]
    record_visit(db, engagement_id=e, site_id=planned[0], visited_on=date(2026, 3, 2), visited_by="张审查",
                 by=users["zhang"])
    record_visit(db, engagement_id=e, site_id=planned[2], visited_on=date(2026, 3, 3), visited_by="李评审",
                 by=users["zhang"])
    save_plan(db, engagement_id=e, content=PlanContent(objectives="目的", scope="范围"), expected_version=0,
              tree=TREE, by=SYSTEM)
    workspace = [(x.site.name, f"{x.visited_on:%Y-%m-%d}", x.visited_by) for x in visits(db, e, by=users["client"])]
    assert len(workspace) == 2
    assert [s.site for s in site_summary(db, e, by=users["client"]) if s.visited] == [w[0] for w in workspace]

    plan = plan_docx(db, e, 1, tree=TREE, by=users["zhang"])
    report = render_report(build_report_context(build_snapshot(db, e, TREE, by=users["zhang"]), TREE))
    assert visited_table(plan) == workspace == visited_table(report)
    for document in (plan, report):
        body = texts(document)
        assert "在用服务网点 10 个" in body and "随机种子 11" in body and "审核人日不少于 3 人日" in body
        assert all(f"{name}投诉较多" in body for name in [r["reason"][:4] for r in v.sites[2:]])


def test_the_snapshot_holds_the_plan_by_site_names_and_an_old_one_still_reports(db, world):  # noqa: F811
    e, sites, users = world
    save(db, e, sites, users["zhang"])
    snapshot = build_snapshot(db, e, TREE, by=users["client"])
    assert snapshot["sampling"]["sites"][0] == {"site": "总部", "kind": "headquarters", "how": "headquarters",
                                                 "reason": ""}
    assert snapshot["site_visits"] == [] and snapshot["site_findings"] == []
    old = {k: v for k, v in snapshot.items() if k not in ("sampling", "site_visits", "site_findings")}
    body = texts(render_report(build_report_context(old, TREE)))
    assert "抽样方案与访问场所" not in body and "受评价企业" in body
