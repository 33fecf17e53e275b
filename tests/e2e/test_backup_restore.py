"""Journey: the administrator backs up an engagement and restores it as a new one, both through the server's
streamed routes: the backup is built on disk and downloaded by its link, and the restore's zip goes from the page's
own uploader straight to the upload route, never through Streamlit's session."""
import re
import zipfile
from urllib.parse import urljoin

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in, wait_idle


def test_an_engagement_is_backed_up_and_restored_through_the_routes(app_server, page, tmp_path):
    base, _ = app_server
    sign_in(page, base, "admin", "dashboard?engagement=2")
    page.locator(".st-key-backup-report-2").get_by_role("button").click()
    wait_idle(page, 120_000)
    href = page.locator(".st-key-download-zip-report-2").get_by_role("link").get_attribute("href")
    assert href and href.startswith("/backups/2/")
    answer = page.request.get(urljoin(page.url, href))
    assert answer.ok
    backup = tmp_path / "项目备份-2.zip"
    backup.write_bytes(answer.body())
    assert "snapshot.json" in zipfile.ZipFile(backup).namelist()

    page.goto(base)  # the engagement list is the default page
    wait_idle(page)
    page.get_by_role("tab", name="从备份恢复").click()
    restore = page.locator(".st-key-restore-file")
    restore.locator('input[type="file"]').set_input_files(str(backup))
    expect(restore.get_by_text(backup.name)).to_be_visible()
    screenshot(page, "restore-chosen")
    restore.get_by_role("button", name="上传").click()
    expect(page).to_have_url(re.compile(r"dashboard\?engagement=(?!2\b)\d+"), timeout=120_000)
    wait_idle(page)
    expect(page.get_by_text("杭州示例电器服务有限公司").first).to_be_visible()
