"""The upload route's sender check and the page's reading of the uploader's answer, both about input that comes
from the browser and may be forged."""
import pytest
from starlette.requests import Request

from ui.streamed_upload import Answer, answers
from web.uploads import same_origin


def request(headers: dict[str, str]) -> Request:
    return Request({"type": "http", "method": "POST", "path": "/uploads/restore",
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})


@pytest.mark.parametrize("headers, allowed", [
    ({"Host": "audit.example:8443", "Origin": "https://audit.example:8443", "X-Audit-Upload": "1"}, True),
    ({"Host": "audit.example", "Referer": "https://AUDIT.example/evidence?engagement=2", "X-Audit-Upload": "1"}, True),
    ({"Host": "audit.example", "Origin": "https://audit.example"}, False),                       # no header
    ({"Host": "audit.example", "Origin": "https://audit.example", "X-Audit-Upload": "yes"}, False),
    ({"Host": "audit.example", "Origin": "https://evil.example", "X-Audit-Upload": "1"}, False),
    ({"Host": "audit.example", "Origin": "https://audit.example.evil.example", "X-Audit-Upload": "1"}, False),
    ({"Host": "audit.example:8443", "Origin": "https://audit.example", "X-Audit-Upload": "1"}, False),
    ({"Host": "audit.example", "X-Audit-Upload": "1"}, False),                                  # says no sender
    ({"Origin": "https://audit.example", "X-Audit-Upload": "1"}, False),                        # no host
])
def test_only_the_app_s_own_page_may_upload(headers, allowed):
    assert same_origin(request(headers)) is allowed


def test_the_uploader_s_answer_keeps_only_well_formed_entries():
    value = ('[{"name": "制度.pdf", "saved": true, "message": "已上传", "evidence_id": 7},'
             ' {"name": "x.zip", "saved": "yes", "message": "已恢复", "engagement_id": true,'
             '  "lines": [{"path": "a.pdf", "outcome": "imported", "detail": ""}, {"path": 1}, "junk"]},'
             ' {"name": "z.pdf", "saved": true, "message": "已上传", "evidence_id": "7; DROP"},'
             ' {"name": 3, "message": "?"}, "junk", {"name": "y"}]')
    assert answers(value) == [Answer("制度.pdf", True, "已上传", evidence_id=7),
                              Answer("x.zip", False, "已恢复", None, ({"path": "a.pdf", "outcome": "imported",
                                                                       "detail": ""},)),
                              Answer("z.pdf", True, "已上传")]  # an id that is not a number is dropped
    assert answers(None) is None and answers("not json") is None and answers('{"name": "a"}') == []
