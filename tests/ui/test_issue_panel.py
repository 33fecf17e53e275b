"""The dashboard, for whoever may manage the engagement, issues the chosen document (recorded with its hashes and
what made it) and builds the archive, which checks against its manifest."""
from sqlmodel import select

from config import settings
from db import engine_for, session
from exports.archive import archive_problems
from issuance.models import IssuedDocument
from tests.ui.conftest import go, kept

DASHBOARD, INITIAL = "ui/views/dashboard.py", 2


def test_the_lead_issues_the_report_and_downloads_an_archive_that_verifies(signed_in, tmp_path):
    at = go(signed_in("zhang"), DASHBOARD, engagement=INITIAL)
    at.selectbox(key="kind-report-2").set_value("result").run()
    at.button(key="issue-2").click().run()
    assert not at.exception, at.exception
    assert any("已签发评价结论（内置版式）" in s.value for s in at.success)
    with session(engine_for(settings().effective_database_url)) as s:
        issued = s.exec(select(IssuedDocument)).all()
    assert [(i.engagement_id, i.kind, i.issued_by) for i in issued] == [(INITIAL, "result", "张审查")]
    at.button(key="build-archive-2").click().run()
    assert not at.exception, at.exception
    path = kept(at, "dashboard", "archive-2")  # built under the data folder for the streamed route
    assert path.parent == settings().data_dir / "archives" and archive_problems(path) == []
    assert path.read_bytes()[:2] == b"PK"
    assert any(b.key == "download-archive-2" for b in at.get("download_button"))  # no route under AppTest


def test_a_client_is_offered_neither_issuing_nor_the_archive(signed_in):
    at = go(signed_in("client"), DASHBOARD, engagement=INITIAL)
    keys = {b.key for b in at.button if b.key}
    assert "issue-2" not in keys and "build-archive-2" not in keys
