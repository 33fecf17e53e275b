"""A personal API token, end to end: created on 我的账户 in the browser, used by another program against the same
server's /api/v1, revoked on the page, refused afterwards."""
import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.e2e.helpers import sign_in, wait_idle


def api(base: str, path: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read().decode("utf-8"))


def test_a_token_made_in_the_page_reads_the_api_until_it_is_revoked(app_server, page):
    base, _ = app_server
    sign_in(page, base, "zhang", "account")
    page.get_by_label("令牌名称（用途或调用的系统）").fill("质量看板")
    page.get_by_role("button", name="创建令牌").click()
    wait_idle(page)
    token = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert token.startswith("gbt_")
    status, body = api(base, "/engagements", token)
    assert status == 200 and body["engagements"]
    first = body["engagements"][0]
    status, detail = api(base, f"/engagements/{first['id']}", token)
    assert status == 200 and detail["kind_label"] and detail["result"]["star_label"]
    page.reload()
    wait_idle(page)
    expect(page.locator('[data-testid="stCode"]')).to_have_count(0)  # shown once
    expect(page.get_by_text("质量看板")).to_be_visible()
    page.locator('[class*="st-key-token-revoke-"] button').first.click()
    wait_idle(page)
    expect(page.get_by_text("已撤销").first).to_be_visible()
    assert api(base, "/engagements", token)[0] == 401
