"""Served with its routes (serve.py), the app offers evidence as a link to the streamed download route, never as
bytes in the page; a file too large to preview is offered for download only."""
from streamlit.testing.v1 import AppTest


def show(served: bool) -> None:
    from types import SimpleNamespace

    from ui.evidence_preview import preview
    from web import routes
    routes.ACTIVE = served
    try:
        preview(SimpleNamespace(id=7, name="现场记录.pdf", kind="pdf", sha256="0" * 64), None)
    finally:
        routes.ACTIVE = False


def test_with_the_routes_the_download_is_a_link_to_the_route_and_a_large_file_is_not_previewed():
    at = AppTest.from_function(show, args=(True,), default_timeout=30).run()
    assert not at.exception, at.exception
    links = at.get("link_button")
    assert len(links) == 1 and links[0].proto.url == "/files/7" and links[0].proto.label == "下载原文件"
    assert not at.get("download_button")
    assert "不在页面中预览" in at.caption[0].value
