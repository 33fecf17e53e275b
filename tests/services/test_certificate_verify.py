"""The public verification page (GET /verify) through the server's own routes, without signing in."""

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from cycle.certificate_changes import suspend_certificate, withdraw_certificate
from cycle.certificate_reads import verification_url
from cycle.certificates import issue_certificate
from db import engine_for, session
from tests import cycle_rows as rows
from tests.factories import actor, make_company
from timefmt import local_today
from web.routes import ROUTES

SYSTEM = actor("系统")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The routes on their own data folder, with one certificate of a company whose name is hostile HTML."""
    from config import settings
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUDIT_PUBLIC_URL", "https://cert.example.cn")
    settings.cache_clear()
    with session(engine_for(settings().effective_database_url)) as s:
        company = make_company(s, name='<script>alert("x")</script> & 维修')
        engagement = rows.engagement(s, company)
        decision = rows.decision(s, engagement, local_today())
        certificate = issue_certificate(s, decision_id=decision.id, services="维修", product_types="空调", by=SYSTEM)
    yield TestClient(Starlette(routes=ROUTES)), certificate
    settings.cache_clear()


def test_without_a_number_the_page_asks_for_one(site):
    client, _ = site
    page = client.get("/verify")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<input id="no" name="no"' in page.text and "验证码" in page.text and 'lang="zh-CN"' in page.text


def test_the_qr_codes_address_shows_the_certificate_state_and_no_other_company_data(site):
    client, c = site
    url = verification_url(c.number, c.check_code)
    assert url.startswith("https://cert.example.cn/verify?no=GBT27922-")
    page = client.get(url.removeprefix("https://cert.example.cn"))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert c.number in page.text and "四星级" in page.text and ">有效<" in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 维修" in page.text and "<script>" not in page.text
    assert c.credit_code not in page.text and "空调" not in page.text and c.check_code not in page.text.split("</table>")[0]


def test_each_state_is_shown_with_its_date(site):
    client, c = site
    from config import settings
    with session(engine_for(settings().effective_database_url)) as s:
        suspend_certificate(s, certificate_id=c.id, reason="监督评价逾期", by=SYSTEM)
        assert "暂停（自 " in client.get("/verify", params={"no": c.number, "code": c.check_code}).text
        withdraw_certificate(s, certificate_id=c.id, reason="未整改", by=SYSTEM)
    page = client.get("/verify", params={"no": c.number, "code": c.check_code.lower()})
    assert f"撤销（自 {local_today():%Y-%m-%d} 起）" in page.text


def test_a_wrong_code_gets_the_same_answer_as_an_unknown_number(site):
    client, c = site
    wrong = client.get("/verify", params={"no": c.number, "code": "AAAAAAAA"})
    unknown = client.get("/verify", params={"no": "GBT27922-1999-0001", "code": "AAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.text == unknown.text and "未查询到" in wrong.text and c.number not in wrong.text
    hostile = client.get("/verify", params={"no": '"><img src=x onerror=alert(1)>', "code": "x"})
    assert "<img" not in hostile.text and "未查询到" in hostile.text
