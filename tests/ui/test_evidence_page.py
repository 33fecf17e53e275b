"""AppTest: the evidence page shows coverage and the checklist, and an upload links files to the clause."""
import pytest

from tests.ui.conftest import go, sign_in


def test_uploading_fills_the_checklist_and_the_coverage(signed_in):
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    assert any("尚无证据的条款（39 条）" in e.label for e in at.expander)
    at.file_uploader(key="upload-files").set_value([("架构图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")])
    at.multiselect(key="upload-items-5.1.1.1").set_value([0])
    at.button(key="upload-submit").click().run()
    assert not at.exception, at.exception
    assert any("架构图.png：已上传" in s.value for s in at.success)
    assert any(":material/check_box: 企业组织架构图及售后服务组织架构图" in m.value for m in at.markdown)
    assert any("尚无证据的条款（38 条）" in e.label for e in at.expander)


def test_an_upload_goes_to_the_clause_chosen_last(signed_in):
    """Choosing another clause must move the upload's links with it, not keep the first clause's."""
    from config import settings
    from db import engine_for, session
    from evidence.services import list_evidence
    from tests.factories import actor
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    at.selectbox(key="evidence-clause").set_value("5.2.1.b").run()
    assert at.multiselect(key="upload-codes-5.2.1.b").value == ["5.2.1.b"]
    at.file_uploader(key="upload-files").set_value([("说明书.pdf", b"%PDF-1.4 manual", "application/pdf")])
    at.button(key="upload-submit").click().run()
    assert not at.exception, at.exception
    with session(engine_for(settings().effective_database_url)) as s:
        assert [e.name for e in list_evidence(s, 2, by=actor(), code="5.2.1.b")] == ["说明书.pdf"]
        assert list_evidence(s, 2, by=actor(), code="5.1.1.1") == []


def test_a_disguised_file_is_refused_with_its_reason(signed_in):
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    at.file_uploader(key="upload-files").set_value([("报告.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "application/pdf")])
    at.button(key="upload-submit").click().run()
    assert any("内容与扩展名不符" in e.value for e in at.error)
    assert any("尚无证据的条款（39 条）" in e.label for e in at.expander)


def test_a_refused_file_keeps_the_note_and_links_typed_for_the_next_one(signed_in):
    from config import settings
    from db import engine_for, session
    from evidence.services import list_evidence
    from tests.factories import actor
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    at.text_input(key="upload-note").set_value("2026 年版组织架构")
    at.multiselect(key="upload-items-5.1.1.1").set_value([0])
    at.file_uploader(key="upload-files").set_value([("架构图.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "application/pdf")])
    at.button(key="upload-submit").click().run()
    assert any("内容与扩展名不符" in e.value for e in at.error)
    assert at.text_input(key="upload-note").value == "2026 年版组织架构"
    at.file_uploader(key="upload-files").set_value([("架构图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")])
    at.button(key="upload-submit").click().run()  # the note and the item are not typed again
    assert any("架构图.png：已上传" in s.value for s in at.success)
    with session(engine_for(settings().effective_database_url)) as s:
        assert [e.note for e in list_evidence(s, 2, by=actor(), code="5.1.1.1")] == ["2026 年版组织架构"]
    assert any(":material/check_box: 企业组织架构图及售后服务组织架构图" in m.value for m in at.markdown)
    assert at.text_input(key="upload-note").value == "" and at.multiselect(key="upload-items-5.1.1.1").value == []


@pytest.mark.parametrize("username, offered", [("admin", False), ("zhang", True)])
def test_only_whoever_may_manage_evidence_is_offered_to_upload_link_or_remove_it(signed_in, username, offered):
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    at.file_uploader(key="upload-files").set_value([("说明书.pdf", b"%PDF-1.4 manual", "application/pdf")])
    at.button(key="upload-submit").click().run()
    at.button(key="logout").click().run()
    at = go(sign_in(at, username), "ui/views/evidence.py", engagement=2)
    at.selectbox(key="preview-file").select_index(0).run()
    keys = {b.key for b in at.button if b.key}
    assert not at.exception, at.exception
    assert ({"upload-submit", "link-submit-5.1.1.1"} <= keys) == offered
    assert any(k.startswith("remove-submit-") for k in keys) == offered


def test_a_client_may_upload_to_their_company_but_not_see_another(signed_in):
    at = go(signed_in("client"), "ui/views/evidence.py", engagement=2)
    assert at.file_uploader(key="upload-files") is not None
    at = go(at, "ui/views/evidence.py", engagement=3)
    assert any("您没有权限查看评价项目" in e.value for e in at.error)


def test_importing_a_package_in_the_app_links_its_files_and_shows_a_summary(signed_in):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("清单.csv", "文件,条款\n手册.pdf,5.1.4.1\n名册.txt,5.1.2.1;5.1.2.2\n".encode("utf-8-sig"))
        z.writestr("手册.pdf", b"%PDF-1.4\n%%EOF\n")
        z.writestr("名册.txt", "张三 电工证".encode())
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    at.file_uploader(key="package").set_value(("资料包.zip", buffer.getvalue(), "application/zip")).run()
    at.button(key="package-import").click().run()
    assert not at.exception, at.exception
    assert any("已导入 2 个" in s.value for s in at.success)
    at.run()
    assert any("尚无证据的条款（36 条）" in e.label for e in at.expander)


def test_html_and_svg_evidence_is_offered_for_download_never_rendered(signed_in):
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    page = b"<!DOCTYPE html><html><body><script>alert('x')</script><img src=x onerror=alert(1)></body></html>"
    at.file_uploader(key="upload-files").set_value([("网页.html", page, "text/html")])
    at.button(key="upload-submit").click().run()
    at.selectbox(key="preview-file").select_index(0).run()
    assert not at.exception, at.exception
    assert any("不在页面中显示" in w.value for w in at.warning)
    assert at.download_button(key=f"download-{at.selectbox(key='preview-file').value.id}").label == "下载原文件"
    rendered = [m.value for m in at.markdown] + [str(e.proto) for e in at.get("html")]
    assert not any("<script>" in text for text in rendered)


def test_served_with_the_upload_route_the_page_has_no_streamlit_uploader(signed_in, monkeypatch):
    """With the server's routes (serve.py) the files go to the upload route: the page draws its own uploader
    (the browser journey tests/e2e/test_evidence.py drives it) and none of Streamlit's, which would hold the
    files in the session."""
    from ui.evidence_panels import link_query
    from web import routes
    monkeypatch.setattr(routes, "ACTIVE", True)
    at = go(signed_in("zhang"), "ui/views/evidence.py", engagement=2)
    assert not at.exception, at.exception
    assert not at.get("file_uploader") and "upload-submit" not in {b.key for b in at.button}
    assert link_query({"5.1.1.1": {2, 0}, "5.1.1.2": set()}, "5.1.1.1", None, "总部") == [
        ("codes", "5.1.1.1"), ("codes", "5.1.1.2"), ("code", "5.1.1.1"), ("items", "0"), ("items", "2"),
        ("site", ""), ("note", "总部")]
