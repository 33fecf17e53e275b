"""Reading a company's log: encodings, Excel title rows, mixed dates, every problem by row and column, checks."""
import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from errors import InvalidInput
from samples.logs import (
    TimeLimit,
    check_limit,
    decode,
    draw_sample,
    guess_mapping,
    met_share,
    monthly_shares,
    parse_log,
    read_log,
    table_csv,
    table_from_csv,
    timeliness,
)
from vocabulary import LimitUnit, LogField

CSV = ("投诉单号,网点,受理时间,到场时间,完成时间,距离（公里）\n"
       "C1,西湖网点,2026/1/5,2026-01-05 08:00,46027.5,12\n"
       "C2,西湖网点,2026-01-05 08:00,2026-01-06 09:00,2026年1月9日,150\n"
       "C3,滨江网点,46028,2026-01-06 12:00,2026-01-07 10:00,30\n")


def parsed(text: str, name="log.csv", encoding="utf-8"):
    raw = read_log(name, text.encode(encoding))
    return parse_log(raw, guess_mapping(raw.headers))


@pytest.mark.parametrize("encoding, label", [("gbk", "GBK"), ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8")])
def test_a_csv_in_gbk_or_utf8_with_or_without_bom_reads_the_same(encoding, label):
    raw = read_log("log.csv", CSV.encode(encoding))
    assert raw.encoding == label
    assert raw.headers[:3] == ["投诉单号", "网点", "受理时间"]
    assert list(parse_log(raw, guess_mapping(raw.headers)).table[LogField.CASE]) == ["C1", "C2", "C3"]


def test_a_wrong_encoding_is_refused_naming_what_was_tried():
    with pytest.raises(InvalidInput, match="既不是 UTF-8 也不是 GBK"):
        decode(CSV.encode("utf-16"))


def test_dates_in_three_formats_and_excel_serials_are_read():
    table = parsed(CSV).table
    assert list(table[LogField.REPORTED]) == [datetime(2026, 1, 5), datetime(2026, 1, 5, 8), datetime(2026, 1, 6)]
    assert table[LogField.RESOLVED][0] == datetime(2026, 1, 5, 12)
    assert table[LogField.RESOLVED][1] == datetime(2026, 1, 9)


def test_headers_are_guessed_from_chinese_names():
    mapping = guess_mapping(["序号", "投诉单号", "服务网点", "受理时间", "上门时间", "结案时间", "客户满意度"])
    assert mapping == {LogField.CASE: "投诉单号", LogField.SITE: "服务网点", LogField.REPORTED: "受理时间",
                       LogField.ON_SITE: "上门时间", LogField.RESOLVED: "结案时间", LogField.SATISFACTION: "客户满意度"}


def test_an_xlsx_with_merged_title_rows_finds_its_header_and_keeps_dates_and_serials():
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "杭州示例电器有限公司维修记录"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "2026 年 1 月"
    sheet.merge_cells("A2:D2")
    sheet.append(["维修单号", "报修时间", "到场时间", "完成时间"])
    sheet.append(["R1", datetime(2026, 1, 5, 8), 46027.5, "2026/1/6"])
    sheet.append([1002, "2026-01-05 09:00", datetime(2026, 1, 5, 10), None])
    data = io.BytesIO()
    book.save(data)
    raw = read_log("维修记录.xlsx", data.getvalue())
    assert raw.headers == ["维修单号", "报修时间", "到场时间", "完成时间"]
    assert list(raw.rows) == [4, 5]
    log = parse_log(raw, guess_mapping(raw.headers))
    assert log.problems == []
    assert list(log.table[LogField.ON_SITE]) == [datetime(2026, 1, 5, 12), datetime(2026, 1, 5, 10)]
    assert list(log.table[LogField.CASE]) == ["R1", "1002"]


def test_every_problem_is_named_by_row_and_column_and_nothing_is_lost():
    text = ("投诉单号,受理时间,到场时间\n"
            "C1,2026/1/5 08:00,2026/1/5 09:00\n"
            ",,\n"
            "C1,2026/1/5 08:00,2026/1/5 10:00\n"
            "C3,2026/13/45,2026/1/5 10:00\n"
            "C4,2026/1/5 08:00,2026/1/4 10:00\n"
            ",2026/1/5 08:00,\n")
    log = parsed(text)
    assert [p.text() for p in log.problems] == [
        "第 3 行：空行，已略过",
        "第 4 行“投诉单号”：单号 C1 与第 2 行重复",
        "第 5 行“受理时间”：日期时间无法识别",
        "第 6 行“到场时间”：早于受理时间（时间倒流）",
        "第 7 行“投诉单号”：单号为空",
    ]
    assert list(log.table["row"]) == [2, 4, 5, 6, 7]
    assert list(log.sound["row"]) == [2]


def test_a_missing_column_is_reported_before_anything_is_read():
    raw = read_log("log.csv", "单号,备注\nC1,x\n".encode())
    log = parse_log(raw, {LogField.CASE: "单号", LogField.ON_SITE: "到场时间"})
    assert [p.text() for p in log.problems] == ["文件“受理时间”：必须对应一列，尚未选择",
                                                "文件“到场时间”：文件中没有此列（到场时间）"]


def test_a_file_that_is_neither_excel_nor_csv_or_has_no_header_is_refused():
    with pytest.raises(InvalidInput, match="不是 Excel"):
        read_log("log.pdf", b"%PDF")
    with pytest.raises(InvalidInput, match="找不到表头"):
        read_log("log.csv", "只有一列\n一\n二\n".encode())


def test_limits_in_hours_within_a_distance_and_in_working_days():
    table = parsed(CSV).table
    on_site = check_limit(table, TimeLimit(24, LimitUnit.HOURS, LogField.ON_SITE, within_km=100))
    assert list(on_site["applies"]) == [True, False, True]
    assert list(on_site["met"]) == [True, False, True]
    assert met_share(on_site) == 100.0
    resolved = check_limit(table, TimeLimit(3, LimitUnit.WORKING_DAYS, LogField.RESOLVED))
    assert list(resolved["taken"]) == [0, 4, 1]  # Monday 5 January to Friday 9 January: four working days
    assert list(resolved["met"]) == [True, False, True]
    assert met_share(resolved) == pytest.approx(66.7)
    assert monthly_shares(table, resolved).to_dict("records") == [{"month": "2026-01", "cases": 3, "share": 66.7}]


def test_a_case_without_its_end_time_has_not_met_the_limit():
    table = parsed("单号,受理时间,到场时间\nA,2026/1/5,\n").table
    assert not check_limit(table, TimeLimit(24, LimitUnit.HOURS))["met"].iat[0]


def test_the_same_seed_draws_the_same_sample_and_problem_rows_are_never_drawn():
    rows = "\n".join(f"C{i},2026/1/5,2026/1/5 10:00" for i in range(200))
    table = parsed("单号,受理时间,到场时间\n" + rows + "\nC5,2026/1/5,2026/1/5\n").table
    first, again = draw_sample(table, 20, seed=42), draw_sample(table, 20, seed=42)
    assert list(first["case"]) == list(again["case"])
    assert list(draw_sample(table, 20, seed=7)["case"]) != list(first["case"])
    assert len(table) == 201
    assert len(draw_sample(table, 500, seed=1)) == 200  # C5 twice: the second is a problem row
    with pytest.raises(InvalidInput):
        draw_sample(table, 0, seed=1)


def test_the_stored_table_reads_back_the_same():
    table = parsed(CSV).table
    back = table_from_csv(table_csv(table))
    pd.testing.assert_series_equal(back[LogField.REPORTED], table[LogField.REPORTED], check_dtype=False)
    assert list(back[LogField.CASE]) == ["C1", "C2", "C3"]


def test_timeliness_checks_only_the_sound_cases_once_for_share_times_and_months():
    table = pd.DataFrame({"row": [2, 3, 4], "problem": ["", "", "第 4 行：受理时间无法识别"],
                          LogField.REPORTED: pd.to_datetime(["2026-01-05 09:00", "2026-02-02 09:00", None]),
                          LogField.ON_SITE: pd.to_datetime(["2026-01-05 20:00", "2026-02-04 09:00", None])})
    found = timeliness(table, TimeLimit(24, LimitUnit.HOURS, LogField.ON_SITE))
    assert found.share == 50.0 and found.taken == [11.0, 48.0]  # the row with a problem is not a case
    assert found.months.to_dict("records") == [{"month": "2026-01", "cases": 1, "share": 100.0},
                                               {"month": "2026-02", "cases": 1, "share": 0.0}]
