"""Journey: upload evidence to a clause (through the server's streamed upload route), see it listed and previewed, link it to another clause, download it."""
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import quote, urljoin

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["font.family"] = ["Noto Sans CJK JP", "WenQuanYi Zen Hei", "DejaVu Sans"]
import matplotlib.pyplot as plt  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import screenshot  # noqa: E402
from tests.e2e.helpers import choose, sign_in, wait_idle  # noqa: E402


def make_files(folder: Path) -> tuple[Path, Path]:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["总部", "网点"], [3, 5])
    png, pdf = folder / "组织架构图.png", folder / "岗位职责.pdf"
    fig.savefig(png)
    fig.savefig(pdf)
    plt.close(fig)
    return png, pdf


def test_upload_preview_link_and_download_evidence(app_server, page, tmp_path):
    base, data = app_server
    png, pdf = make_files(tmp_path)
    sign_in(page, base, "zhang", "evidence?engagement=2")
    # The uploader posts each file straight to the server's upload route (never through Streamlit's session),
    # showing only Chinese words, then the page reruns with what the route saved.
    upload = page.locator(".st-key-upload-files")
    upload.locator('input[type="file"]').set_input_files([str(png), str(pdf)])
    expect(upload.get_by_text("组织架构图.png、岗位职责.pdf")).to_be_visible()
    screenshot(page, "evidence-upload-chosen")
    for english in ("Browse files", "Drag and drop", "200MB per file", "No file chosen"):
        expect(upload).not_to_contain_text(english)
    page.get_by_label("说明").fill("总部提供")  # left by the click on 上传: its value still goes with the files
    upload.get_by_role("button", name="上传").click()
    wait_idle(page)
    expect(page.get_by_text("组织架构图.png：已上传")).to_be_visible()
    expect(page.get_by_text("岗位职责.pdf：已上传")).to_be_visible()
    expect(page.get_by_text("已关联 2 份文件")).to_be_visible()
    with sqlite3.connect(data / "audit.db") as db:
        notes = dict(db.execute("SELECT name, note FROM evidence WHERE name IN ('组织架构图.png', '岗位职责.pdf')"))
    assert notes == {"组织架构图.png": "总部提供", "岗位职责.pdf": "总部提供"}

    choose(page, "预览文件", "组织架构图.png")
    expect(page.locator('[data-testid="stImage"]').first).to_be_visible()
    choose(page, "预览文件", "岗位职责.pdf")
    expect(page.get_by_text("第 1 页，共 1 页")).to_be_visible()
    screenshot(page, "evidence-preview")

    choose(page, "条款", "5.1.1.2 服务网点覆盖与管理")
    expect(page.get_by_text("尚未关联任何文件。")).to_be_visible()
    link = page.locator('[data-testid="stForm"]').filter(has_text="关联已有文件")
    choose(page, "关联已有文件", "岗位职责.pdf", within=link)
    link.get_by_role("button", name="关联到本条款").click()
    wait_idle(page)
    expect(page.get_by_text("已将 岗位职责.pdf 关联到 5.1.1.2")).to_be_visible()
    expect(page.get_by_text("已关联 1 份文件：岗位职责.pdf")).to_be_visible()

    expect(page.get_by_text("第 1 页，共 1 页")).to_be_visible()  # the PDF is still the file in preview
    # The download is a link to the server's streamed route; the browser's own cookie (HttpOnly, set by the
    # server at sign-in) is what lets it through.
    href = page.get_by_role("link", name="下载原文件").get_attribute("href")
    assert href and href.startswith("/files/")
    answer = page.request.get(urljoin(page.url, href))
    assert answer.ok and answer.body() == pdf.read_bytes()
    assert quote("岗位职责.pdf") in answer.headers["content-disposition"]
    signed_out = page.context.browser.new_context()
    assert signed_out.request.get(urljoin(page.url, href)).status == 401
    signed_out.close()

    # A client's package (zip) goes to the upload route too; the page lists each file's outcome.
    package = tmp_path / "资料包.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(pdf, "5.1.2.1 岗位职责.pdf")
        archive.writestr("说明.txt", "没有条款代码的文件")
    page.get_by_text("批量导入资料包").click()
    importer = page.locator(".st-key-package")
    importer.locator('input[type="file"]').set_input_files(str(package))
    importer.get_by_role("button", name="上传").click()
    expect(page.get_by_text("已导入 0 个；已存在，已补充关联 1 个；重复，已跳过 0 个；已拒绝 1 个")).to_be_visible(
        timeout=60_000)
