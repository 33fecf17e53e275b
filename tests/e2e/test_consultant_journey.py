"""Journey (issue 20, acceptance): the consultant 陈 turns the demo pre-audit (project 1) into a preparation plan;
the client 王经理 hands in two documents against two tasks; the consultant accepts one and returns the other; the
readiness and the predicted star move; the readiness report and three skeletons download and open in LibreOffice;
the portfolio lists the client."""
import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from db import make_engine, session
from readiness.models import PreparationTask
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, sign_in, wait_idle

PRE_AUDIT = 1
SKELETONS = ("售后服务手册（纲要）", "投诉处理制度", "售后服务人员花名册及售后服务管理师配置")


def keyed(page: Page, key: str):
    """The element Streamlit drew for the widget (or container) with this key."""
    return page.locator(f".st-key-{key}")


def click(page: Page, key: str) -> None:
    keyed(page, key).get_by_role("button").click()
    wait_idle(page)


def task_of(data: Path, code: str) -> int:
    engine = make_engine(f"sqlite:///{data / 'audit.db'}")
    with session(engine) as s:
        found = s.exec(select(PreparationTask.id).where(PreparationTask.engagement_id == PRE_AUDIT,
                                                        PreparationTask.source == code)).one()
    engine.dispose()
    return found


def open_task(page: Page, task: int, code: str) -> None:
    """Pick the task in the long list by typing (only the first options of a long list are drawn); a rerun landing
    just after the click closes the list, so open it again."""
    for attempt in range(4):
        wait_idle(page)
        keyed(page, "rd-task").get_by_role("combobox").click()
        page.keyboard.type(f"#{task} · {code}")
        try:
            page.get_by_role("option", name=f"#{task} · {code}").first.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 3:
                raise
    wait_idle(page)


def hand_in(page: Page, task: int, code: str, document: Path) -> None:
    """Through the upload route: the file is kept as the pre-audit's evidence at once and chosen in the hand-in."""
    open_task(page, task, code)
    upload = keyed(page, f"rd-upload-{task}")
    upload.locator('input[type="file"]').set_input_files(str(document))
    upload.get_by_role("button", name="上传").click()
    expect(page.get_by_text(f"{document.name}：已上传")).to_be_visible()
    expect(keyed(page, f"rd-chosen-{task}").get_by_text(document.name)).to_be_visible()
    click(page, f"rd-handin-{task}")
    expect(page.get_by_text(f"任务 {task} 的材料已提交")).to_be_visible()


def download(page: Page, key: str, folder: Path) -> Path:
    click(page, f"{key}-build")
    expect(keyed(page, f"{key}-download")).to_be_visible()  # the build's rerun has drawn what it built
    wait_idle(page)
    with page.expect_download() as started:
        keyed(page, f"{key}-download").get_by_role("button").click()
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


def opens_in_libreoffice(document: Path, folder: Path) -> str:
    """Convert to PDF with LibreOffice (its own profile, so parallel runs do not clash); the PDF's text."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo-profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(folder), str(document)], check=True, capture_output=True, timeout=180)
    pdf = folder / f"{document.stem}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, document.name
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_a_consultant_takes_a_client_from_gap_analysis_to_ready(app_server, new_page, tmp_path):
    base, data = app_server
    chen, client = new_page(), new_page()
    sign_in(chen, base, "chen", f"readiness?engagement={PRE_AUDIT}")  # the first visit writes the demo data
    expect(keyed(chen, "rd-predicted")).to_contain_text("达标级")

    # the consultant turns the pre-audit into a plan
    keyed(chen, "rd-owner-name").locator("input").fill("王经理")
    click(chen, "rd-generate")
    expect(chen.get_by_text("已生成整改计划：新增")).to_be_visible()
    expect(keyed(chen, "rd-ready-share")).to_contain_text("0%")
    screenshot(chen, "readiness-plan")
    managers, manual = task_of(data, "5.1.2.2"), task_of(data, "5.1.4.1")

    # the client hands in two documents against two tasks
    sign_in(client, base, "client", f"readiness?engagement={PRE_AUDIT}")
    for task, code, name in ((managers, "5.1.2.2", "售后服务管理师任命.pdf"), (manual, "5.1.4.1", "售后服务手册.pdf")):
        document = tmp_path / name
        document.write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
        hand_in(client, task, code, document)

    # the consultant accepts one and returns the other
    chen.reload()
    wait_idle(chen)
    open_task(chen, managers, "5.1.2.2")
    click(chen, f"rd-accept-{managers}")
    expect(chen.get_by_text(f"任务 {managers} 已接受")).to_be_visible()
    open_task(chen, manual, "5.1.4.1")
    keyed(chen, f"rd-comment-{manual}").locator("textarea").fill("手册尚未盖章发布，请补充发布页")
    click(chen, f"rd-return-{manual}")
    expect(chen.get_by_text(f"任务 {manual} 已退回")).to_be_visible()

    # readiness and the predicted star moved
    expect(keyed(chen, "rd-predicted")).to_contain_text("三星级")
    expect(keyed(chen, "rd-ready-share")).to_contain_text("3%")
    screenshot(chen, "readiness-accepted")
    client.reload()
    wait_idle(client)
    open_task(client, manual, "5.1.4.1")
    expect(client.get_by_text("手册尚未盖章发布，请补充发布页").first).to_be_visible()

    # the readiness report and three skeletons open in LibreOffice
    report = download(chen, "rd-report", tmp_path)
    assert "整改准备情况报告" in opens_in_libreoffice(report, tmp_path)
    for title in SKELETONS:
        choose(chen, "文件", title)
        text = opens_in_libreoffice(download(chen, "rd-skeleton", tmp_path), tmp_path)
        assert "杭州示例电器服务有限公司" in text and "待填写" in text, title

    # the portfolio lists the client with its readiness
    chen.goto(f"{base}/portfolio")
    wait_idle(chen)
    expect(chen.get_by_role("heading", name="客户总览")).to_be_visible()
    expect(chen.get_by_text("尚未作出认证决定")).to_be_visible()
    screenshot(chen, "readiness-portfolio")
