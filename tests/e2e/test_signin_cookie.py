"""The session cookie is set by the server's answer (HttpOnly, SameSite=Strict) before the signed-in page is
drawn, so a link opened or a reload right after signing in never lands on the login page."""
import json
import urllib.request

from playwright.sync_api import expect

from tests.e2e.helpers import sign_in, wait_idle


def session_cookie(page):
    return next(c for c in page.context.cookies() if c["name"] == "audit_session")


def test_the_server_sets_an_httponly_strict_cookie_and_a_link_right_after_keeps_the_session(app_server, page):
    base, _ = app_server
    sign_in(page, base, "zhang")
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]
    assert page.evaluate("document.cookie").find("audit_session") == -1  # no page script can read it
    page.goto(f"{base}/dashboard?engagement=2")  # at once: no wait for any script
    wait_idle(page)
    expect(page.get_by_text("当前用户：")).to_be_visible()
    expect(page.get_by_label("密码")).to_have_count(0)
    page.reload()
    wait_idle(page)
    expect(page.get_by_text("当前用户：")).to_be_visible()


def test_signing_in_on_a_deep_link_comes_back_to_it(app_server, page):
    base, _ = app_server
    page.goto(f"{base}/dashboard?engagement=2")
    wait_idle(page)
    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("密码").fill("demo-assessor-2026")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("当前用户：")).to_be_visible()
    assert "/dashboard?engagement=2" in page.url


def test_a_handoff_code_works_once(app_server, browser, page):
    base, _ = app_server
    codes = []
    page.on("request", lambda r: codes.append(r.url) if "/auth/session" in r.url else None)
    sign_in(page, base, "zhang")
    other = browser.new_context()
    try:
        replay = other.new_page()
        replay.goto(codes[0])  # the same code again, from another browser
        wait_idle(replay)
        expect(replay.get_by_label("密码")).to_be_visible()
        assert not [c for c in other.cookies() if c["name"] == "audit_session"]
    finally:
        other.close()


def test_health_and_readiness_answer(app_server):
    base, _ = app_server
    with urllib.request.urlopen(f"{base}/healthz") as r:
        assert r.status == 200 and json.load(r) == {"status": "ok"}
    with urllib.request.urlopen(f"{base}/readyz") as r:
        assert r.status == 200 and json.load(r)["status"] == "ok"
