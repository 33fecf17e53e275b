"""AppTest: every kind of package clients send ends, in the evidence page's import panel, with a summary and the
file table, never a traceback, and stores the right Chinese names; an upload over the limit is refused from the
size the browser states, before anything is written."""
import pytest
from streamlit.testing.v1 import AppTest

from config import settings
from db import engine_for, session
from evidence.services import list_evidence
from evidence.store import LocalBlobStore
from tests.factories import actor
from tests.services.test_import_package import ARCHIVES, pdf
from tests.ui.conftest import APP, go, sign_in

EVIDENCE, INITIAL = "ui/views/evidence.py", 2


def stored_names() -> list[str]:
    with session(engine_for(settings().effective_database_url)) as s:
        return [e.name for e in list_evidence(s, INITIAL, by=actor())]


@pytest.mark.parametrize("kind", ARCHIVES)
def test_each_kind_of_package_is_imported_in_the_app_with_a_summary(signed_in, kind):
    archive, outcomes, names = ARCHIVES[kind]
    at = go(signed_in("zhang"), EVIDENCE, engagement=INITIAL)
    before = stored_names()
    at.file_uploader(key="package").set_value(("资料包.zip", archive(), "application/zip")).run()
    at.button(key="package-import").click().run()
    assert not at.exception, at.exception
    refused = sum(1 for outcome in outcomes.values() if outcome == "refused")
    shown = at.warning if refused else at.success
    assert any(f"已拒绝 {refused} 个" in box.value for box in shown), [b.value for b in shown]
    assert set(at.dataframe[-1].value["文件"]) == set(outcomes)
    assert sorted(set(stored_names()) - set(before)) == sorted(names)


@pytest.fixture
def one_mb_limit(data_dir, monkeypatch):
    monkeypatch.setenv("AUDIT_MAX_UPLOAD_MB", "1")
    settings.cache_clear()
    writes = []
    original = LocalBlobStore.put
    monkeypatch.setattr(LocalBlobStore, "put", lambda self, stream, **kw: writes.append(1) or original(self, stream, **kw))
    return writes


def test_an_upload_over_the_limit_is_refused_from_its_declared_size_before_it_is_written(one_mb_limit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at = go(sign_in(at, "zhang"), EVIDENCE, engagement=INITIAL)
    before = stored_names()
    big = pdf("big") + b"0" * (2 * 1024 * 1024)
    at.file_uploader(key="upload-files").set_value([("5.1.1.1 大文件.pdf", big, "application/pdf")])
    at.button(key="upload-submit").click().run()
    assert not at.exception, at.exception
    assert any("超过大小上限 1 MB" in e.value and "大文件.pdf" in e.value for e in at.error), [e.value for e in at.error]
    assert one_mb_limit == [] and stored_names() == before
