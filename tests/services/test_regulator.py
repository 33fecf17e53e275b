"""The regulator's monthly sheets: the month's plans, certificates and results, written by the mapping file (the
shipped one, or the body's copy in the data folder), opened by openpyxl and by LibreOffice Calc."""
import csv
import os
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from accounts.audit_log import Event
from accounts.models import AuditEvent
from accounts.users import actor_of
from config import settings
from cycle.models import CertificateEvent
from cycle.regulator import regulator_rows
from errors import AccessDenied, InvalidInput
from exports.regulator import FIELDS, SHIPPED
from notifications.__main__ import main
from records.models import Site
from tests import cycle_rows as rows
from tests.factories import actor

FILES = ["审核计划信息表-2026-11.xlsx", "证书信息表-2026-11.xlsx", "审核结果信息表-2026-11.xlsx"]


@pytest.fixture
def november(db):
    """A planned visit and its decision and certificate in November 2026, a suspension of an older certificate
    in November, and what must stay out: a pre-audit, a December visit, an older certificate without change."""
    a, b = rows.company(db, 0), rows.company(db, 1)
    site = Site(company_id=a.id, name="城西服务网点", kind="outlet")
    db.add(site)
    db.commit()
    visit = rows.engagement(db, a, title="初次认证现场评价", start_date=date(2026, 11, 9))
    plan = rows.plan(db, visit, visit_start=date(2026, 11, 10), sent_on=date(2026, 11, 5))
    plan.number = "jh 2026-001"
    version = plan_version(db, plan)
    version.visit_end, version.site_ids = date(2026, 11, 12), [site.id]
    db.add_all([plan, version])
    db.commit()
    rows.certificate(db, visit, date(2026, 11, 20), number="GBT27922-2026-0001", sites=[{"name": "杭州总部"}])
    older = rows.certificate(db, rows.engagement(db, b), date(2025, 6, 1), number="GBT27922-2025-0003",
                             state="suspended", state_since=date(2026, 11, 3), state_reason="监督评价逾期")
    db.add(CertificateEvent(certificate_id=older.id, event="suspend", from_state="valid", to_state="suspended",
                            effective_on=date(2026, 11, 3), reason="监督评价逾期", by="赵决定"))
    db.commit()
    rows.certificate(db, rows.engagement(db, b), date(2025, 7, 1), number="GBT27922-2025-0004")
    rows.engagement(db, a, kind="pre_audit", start_date=date(2026, 11, 15))
    rows.engagement(db, a, start_date=date(2026, 12, 1))
    return visit


def plan_version(db, plan):
    from cycle.models import PlanVersion
    return db.exec(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).one()


@pytest.fixture
def cli(engine, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("AUDIT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("AUDIT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    settings.cache_clear()

    def export(month="2026-11"):
        out = tmp_path / "out"
        assert main(["regulator", "--month", month, "--out", str(out)]) == 0
        named = [name.replace("2026-11", month) for name in FILES]
        return {name: load_workbook(out / real).active for name, real in zip(FILES, named, strict=True)}, out
    yield export, data_dir
    settings.cache_clear()


def values(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_months_rows_carry_exactly_the_fields_the_sheets_know(db, november):
    data = regulator_rows(db, year=2026, month=11, by=actor())
    assert {name: set(r) for name, found in data.items() for r in found} == {n: set(f) for n, f in FIELDS.items()}
    assert [r["engagement_id"] for r in data["plans"]] == [november.id]
    assert [r["certificate_number"] for r in data["certificates"]] == ["GBT27922-2025-0003", "GBT27922-2026-0001"]
    assert [(r["engagement_id"], r["certificate_number"]) for r in data["results"]] == [
        (november.id, "GBT27922-2026-0001")]
    assert db.exec(select(AuditEvent.detail).where(AuditEvent.action == Event.REGULATOR_EXPORTED)).one() == \
        "审核计划 1 条，证书 2 条，审核结果 1 条"


def test_only_who_views_the_programme_may_export(db, november):
    client = rows.user(db, "wa", "client", company=rows.engagement_company(db, november))
    with pytest.raises(AccessDenied):
        regulator_rows(db, year=2026, month=11, by=actor_of(client))


def test_the_three_files_hold_the_months_values_in_the_shipped_columns(db, november, cli):
    export, _ = cli
    sheets, _ = export()
    plans, certificates, results = (values(sheets[name]) for name in FILES)
    assert plans[0][:4] == ["审核计划编号", "组织名称", "统一社会信用代码", "组织地址"]
    assert plans[1][:3] == ["JH2026-001", "示例服务有限公司0", "91330106MA2DEMX01W"]
    row = dict(zip(plans[0], plans[1], strict=True))
    assert (row["现场审核开始日期"].date(), row["现场审核结束日期"].date(), row["计划发送日期"].date()) == (
        date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 5))
    assert row["审核场所"] == "城西服务网点" and row["审核类型"] == "初次认证" and row["认证依据"].startswith("GB/T 27922")
    assert sheets[FILES[0]]["G2"].number_format == "yyyy-mm-dd"
    suspended, issued = (dict(zip(certificates[0], r, strict=True)) for r in certificates[1:])
    assert (suspended["证书状态"], suspended["状态变更原因"]) == ("暂停", "监督评价逾期")
    assert suspended["本月变化"] == "2026-11-03 暂停（监督评价逾期）"
    assert (issued["证书编号"], issued["覆盖场所"], issued["颁证日期"].date()) == (
        "GBT27922-2026-0001", "杭州总部", date(2026, 11, 20))
    result = dict(zip(results[0], results[1], strict=True))
    assert (result["认证决定"], result["审核组推荐意见"], result["评价等级"], result["证书编号"]) == (
        "批准", "推荐", "四星级", "GBT27922-2026-0001")


def test_a_month_with_nothing_gives_headers_only(db, november, cli):
    export, _ = cli
    sheets, _ = export("2027-03")
    assert all(len(values(sheet)) == 1 for sheet in sheets.values())


def test_the_bodys_mapping_file_changes_the_columns(db, november, cli):
    export, data_dir = cli
    text = SHIPPED.read_text(encoding="utf-8").replace("      - {field: plan_number, title: 审核计划编号, format: code}\n", "")
    text = text.replace("title: 组织名称, format: text", "title: 受审核方名称, format: code")
    (data_dir / "regulator_sheets.yaml").write_text(text, encoding="utf-8")
    sheets, _ = export()
    plans = values(sheets[FILES[0]])
    assert plans[0][:2] == ["受审核方名称", "统一社会信用代码"] and "审核计划编号" not in plans[0]
    assert plans[1][0] == "示例服务有限公司0"


def test_an_unknown_field_in_the_mapping_stops_the_export_naming_it(db, november, cli):
    export, data_dir = cli
    text = SHIPPED.read_text(encoding="utf-8").replace("field: credit_code, title: 统一社会信用代码",
                                                       "field: creditcode, title: 统一社会信用代码")
    (data_dir / "regulator_sheets.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match="creditcode"):
        export()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")
def test_libreoffice_calc_opens_the_three_files(db, november, cli, tmp_path):
    export, _ = cli
    _, out = export()
    converted = tmp_path / "csv"
    for name in FILES:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(converted), str(out / name)],
                       check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    read = {name: list(csv.reader((converted / name.replace(".xlsx", ".csv")).open(encoding="utf-8")))
            for name in FILES}
    plans = dict(zip(*read[FILES[0]], strict=True))
    assert (plans["审核计划编号"], plans["现场审核开始日期"], plans["统一社会信用代码"]) == (
        "JH2026-001", "2026-11-10", "91330106MA2DEMX01W")
    assert [r[0] for r in read[FILES[1]][1:]] == ["GBT27922-2025-0003", "GBT27922-2026-0001"]
    assert read[FILES[2]][1][read[FILES[2]][0].index("认证决定日期")] == "2026-11-20"
