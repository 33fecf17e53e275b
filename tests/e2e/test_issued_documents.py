"""Journey (issue 18): the administrator uploads the body's report form; the lead issues the report from it and
downloads the engagement's archive through the server's streamed route, which `python -m exports verify` accepts and refuses once a byte changes."""
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in, wait_idle

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "templates" / "example-report.docx"


def keyed(page: Page, key: str):
    return page.locator(f".st-key-{key}")


def verify(archive: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exports", "verify", str(archive)], capture_output=True, text=True,
                          cwd=ROOT)


def test_a_body_template_is_uploaded_and_the_report_issued_and_archived(app_server, new_page, tmp_path):
    base, _ = app_server
    admin, lead = new_page(), new_page()
    sign_in(admin, base, "admin", "templates")
    keyed(admin, "template-name").locator("input").fill("QR-27922-01 A/0")
    keyed(admin, "template-name").locator("input").press("Enter")
    wait_idle(admin)
    keyed(admin, "template-file").locator('input[type="file"]').set_input_files(str(EXAMPLE))
    expect(keyed(admin, "template-file").get_by_text(EXAMPLE.name)).to_be_visible()
    wait_idle(admin)
    keyed(admin, "template-submit").get_by_role("button").click()
    expect(admin.get_by_text("已启用评价报告模板第 1 版：QR-27922-01 A/0")).to_be_visible(timeout=60_000)
    screenshot(admin, "templates-uploaded")

    sign_in(lead, base, "zhang", "dashboard?engagement=2")
    keyed(lead, "issue-2").get_by_role("button").click()
    expect(lead.get_by_text("已签发评价报告（模板第 1 版）")).to_be_visible(timeout=120_000)
    wait_idle(lead)
    keyed(lead, "build-archive-2").get_by_role("button").click()
    wait_idle(lead)
    # The archive is built on the server's disk and streamed by its route; the browser's own session cookie lets
    # the link through, and nothing of the zip passes through Streamlit.
    href = keyed(lead, "download-archive-2").get_by_role("link").get_attribute("href")
    assert href and href.startswith("/archives/2/")
    answer = lead.request.get(urljoin(lead.url, href))
    assert answer.ok and answer.headers["content-type"] == "application/zip"
    archive = tmp_path / "archive.zip"
    archive.write_bytes(answer.body())
    screenshot(lead, "report-issued")
    assert verify(archive).returncode == 0

    with zipfile.ZipFile(archive) as source:
        contents = {n: source.read(n) for n in source.namelist()}
    name = next(n for n in contents if n.endswith(".docx"))
    changed = bytearray(contents[name])
    changed[100] ^= 0x01
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w") as target:
        for n, data in contents.items():
            target.writestr(n, bytes(changed) if n == name else data)
    refused = verify(damaged)
    assert refused.returncode != 0 and name in refused.stderr
