"""AppTest: 服务记录分析: a GBK log whose arrival column the guess misses is mapped by hand and confirmed, its
problems are listed by row and column first; a target is recorded, measured from the log, and the charts show."""
from sqlmodel import select

from audits.ratings import get_rating
from samples.models import ColumnMapping, RecordImport, ServiceTarget
from samples.targets import TargetEntry, record_target
from tests.factories import actor, default_tree
from tests.ui.conftest import go
from tests.ui.test_audit_pages import PRE_AUDIT, db
from vocabulary import Comparison, LimitUnit, LogField, TargetMetric

RECORDS, INITIAL = "ui/views/records_analysis.py", 2
LOG = ("某公司投诉登记表,,,\n投诉单号,受理时间,抵达时刻,完成时间\n"
       "C1,2026/1/5 08:00,2026-01-05 10:00,46027.75\n"
       "C2,2026/1/6 08:00,2026-01-08 10:00,\n"
       "C3,46030.5,2026-01-08 13:00,\n"
       "C4,2026/1/9 08:00,明天,\n").encode("gbk")


def table(at, *columns):
    """The table showing these columns (AppTest does not keep a table's key)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_a_log_is_mapped_confirmed_measured_and_charted(signed_in):
    at = go(signed_in("zhang"), RECORDS, engagement=INITIAL)
    at.file_uploader(key="records-file").set_value(("投诉记录.csv", LOG, "text/csv")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="records-map-on_site").value == ""  # 抵达时刻 reads like nothing the guess knows
    at.selectbox(key="records-map-on_site").set_value("抵达时刻").run()
    problems = table(at, "行", "列", "问题")
    assert problems.to_dict("records") == [{"行": 6, "列": "抵达时刻", "问题": "日期时间无法识别"}]
    with db() as s:
        assert s.exec(select(RecordImport)).all() == []  # nothing imported before the user confirms
    at.button(key="records-confirm").click().run()
    assert not at.exception, at.exception
    with db() as s:
        record = s.exec(select(RecordImport)).one()
        assert (record.rows, record.encoding) == (4, "GBK")
        assert s.exec(select(ColumnMapping)).one().mapping["on_site"] == "抵达时刻"

    at.selectbox(key="records-target-code").set_value("5.1.2.1")
    at.number_input(key="records-target-limit").set_value(24.0)
    at.button(key="records-target-save").click().run()
    assert not at.exception, at.exception
    assert table(at, "条款", "目标", "状态").to_dict("records")[0]["状态"] == "尚无实测"
    assert len(at.get("plotly_chart")) == 2
    at.button(key="records-measure").click().run()
    assert not at.exception, at.exception
    with db() as s:
        assert s.exec(select(ServiceTarget)).one().measured == 66.7  # C1 and C3 in time, C2 late (C4 has a problem)
    assert table(at, "条款", "目标", "状态").to_dict("records")[0]["状态"] == "未达成"


def test_a_consultant_sees_on_a_pre_audit_which_targets_the_records_do_not_support(at):
    with db() as s:
        record_target(s, engagement_id=PRE_AUDIT, tree=default_tree(), by=actor(), entry=TargetEntry(
            "5.1.2.1", TargetMetric.TIMELINESS, Comparison.AT_LEAST, 90, limit_value=3,
            limit_unit=LimitUnit.WORKING_DAYS, limit_to=LogField.RESOLVED))
    go(at, RECORDS, engagement=PRE_AUDIT)
    assert not at.exception, at.exception
    assert any("差距分析：以下服务目标尚无记录支持" in w.value and "服务及时率 ≥ 90%（3 个工作日内完成）：尚无实测数据" in w.value
               for w in at.warning), [w.value for w in at.warning]
    assert len(at.get("file_uploader")) == 1  # the consultant may import the client's logs


def test_a_file_in_a_wrong_encoding_is_refused_and_offers_no_import(signed_in):
    at = go(signed_in("zhang"), RECORDS, engagement=INITIAL)
    at.file_uploader(key="records-file").set_value(("投诉记录.csv", "单号,受理时间\nA,2026/1/5\n".encode("utf-16"),
                                                    "text/csv")).run()
    assert not at.exception, at.exception
    assert any("既不是 UTF-8 也不是 GBK" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "records-confirm"]


def test_a_sample_drawn_from_an_import_lands_in_the_register_with_its_seed(signed_in):
    at = go(signed_in("zhang"), RECORDS, engagement=INITIAL)
    at.file_uploader(key="records-file").set_value(("投诉记录.csv", LOG, "text/csv")).run()
    at.selectbox(key="records-map-on_site").set_value("抵达时刻").run()
    at.button(key="records-confirm").click().run()
    at.selectbox(key="records-target-code").set_value("5.1.2.1")
    at.button(key="records-target-save").click().run()
    at.selectbox(key="records-draw-code").set_value("5.1.2.1")
    at.number_input(key="records-draw-size").set_value(3)
    at.number_input(key="records-draw-seed").set_value(7)
    at.button(key="records-draw-submit").click().run()
    assert not at.exception, at.exception
    assert any("已向条款 5.1.2.1 登记 3 个样本，其中 1 个不符合" in s.value for s in at.success), \
        [s.value for s in at.success]
    with db() as s:
        assert s.exec(select(RecordImport)).one().seed == 7
        rating = get_rating(s, INITIAL, "5.1.2.1", by=actor())
        assert (rating.sampled, rating.nonconforming) == (3, 1)
