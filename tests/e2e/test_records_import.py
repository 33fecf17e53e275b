"""Journey (issue 17): an assessor records the company's on-site target, imports its repair log from Excel (merged
title rows above the header) and its complaint log as a GBK CSV with dates in three formats, confirms each
column mapping, and sees the target checked with its charts."""
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, sign_in, wait_idle


def repair_log(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "杭州示例电器有限公司 维修记录"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "2026 年第一季度"
    sheet.merge_cells("A2:D2")
    sheet.append(["维修单号", "报修时间", "到场时间", "完成时间"])
    for i in range(1, 13):
        sheet.append([f"R{i:03d}", datetime(2026, 1, i, 8), datetime(2026, 1, i, 20 if i % 4 else 8) if i % 4
                      else datetime(2026, 1, i + 1, 12), None])
    path = folder / "维修记录.xlsx"
    book.save(path)
    return path


def complaint_log(folder: Path) -> Path:
    rows = ["投诉单号,受理时间,上门时间,结案时间",
            "C001,2026/1/5 08:00,2026-01-05 10:00,46027.75",
            "C002,2026-01-06 09:00,2026/1/8 10:00,2026-01-09 09:00",
            "C003,46030.5,2026-01-08 13:00,",
            "C004,2026/2/2 08:00,2026-02-02 09:30,46056"]
    path = folder / "投诉记录.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    return path


def upload(page, path: Path) -> None:
    """Choose the file, once the page has settled (a rerun landing on the upload would drop it)."""
    wait_idle(page)
    page.locator('.st-key-records-file input[type="file"]').first.set_input_files(str(path))
    expect(page.locator(".st-key-records-file").get_by_text(path.name)).to_be_visible()
    wait_idle(page)


def upload_and_confirm(page, path: Path, rows: int) -> None:
    upload(page, path)
    expect(page.get_by_text(f"共 {rows} 行")).to_be_visible()
    page.locator(".st-key-records-confirm button").click()
    wait_idle(page)
    expect(page.get_by_text(f"已导入《{path.name}》{rows} 行")).to_be_visible()


def test_importing_logs_from_excel_and_gbk_csv_and_seeing_the_target_checks(app_server, page, tmp_path):
    base, _ = app_server
    sign_in(page, base, "zhang", "records?engagement=2")
    expect(page.get_by_role("heading", name="服务记录分析")).to_be_visible()

    page.get_by_text("记录一项服务目标").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="记录服务目标")
    choose(page, "条款", "5.1.2.1", within=form)
    form.get_by_role("button", name="记录服务目标").click()
    wait_idle(page)
    expect(page.get_by_text("已记录服务目标：服务及时率 ≥ 90%（24 小时内到场）")).to_be_visible()

    choose(page, "记录类型", "维修记录")
    upload_and_confirm(page, repair_log(tmp_path), 12)
    choose(page, "记录类型", "投诉记录")
    upload(page, complaint_log(tmp_path))
    expect(page.get_by_text("编码 GBK")).to_be_visible()
    page.locator(".st-key-records-confirm button").click()
    wait_idle(page)
    expect(page.get_by_text("已导入《投诉记录.csv》4 行")).to_be_visible()

    expect(page.get_by_text("按记录计算的及时率")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)
    choose(page, "分析哪份记录", "投诉记录《投诉记录.csv》")
    expect(page.locator('[data-testid="stMetricValue"]').filter(has_text="75%")).to_be_visible()
    screenshot(page, "records-analysis")
