"""AppTest: the client acknowledges a nonconformity on 不符合项 (the representative's name, a remark); a planned
completion after the deadline is refused with the deadline named and what was typed kept."""
from datetime import timedelta

from tests.ui.conftest import go
from tests.ui.test_nonconformity_pages import client_rows


def stored(nc_id):
    from config import settings
    from db import engine_for, session
    from nonconformities.models import Nonconformity
    with session(engine_for(settings().effective_database_url)) as s:
        return s.get(Nonconformity, nc_id)


def test_the_client_acknowledges_and_a_date_after_the_deadline_is_refused(signed_in):
    at = go(signed_in("client"), "ui/views/nonconformities.py")
    nc = client_rows()[-1]
    at.selectbox(key="nc-chosen").set_value(nc.id).run()
    at.text_input(key=f"ack-by-{nc.id}").set_value("赵总经理")
    at.date_input(key=f"ack-planned-{nc.id}").set_value(nc.due_date + timedelta(days=400))
    at.text_area(key=f"ack-note-{nc.id}").set_value("已在纸质报告上签字")
    at.button(key=f"ack-submit-{nc.id}").click().run()
    assert any("晚于整改期限" in e.value and str(nc.due_date) in e.value for e in at.error)
    assert at.text_area(key=f"ack-note-{nc.id}").value == "已在纸质报告上签字"
    assert stored(nc.id).acknowledged_by is None
    at.date_input(key=f"ack-planned-{nc.id}").set_value(None)
    at.button(key=f"ack-submit-{nc.id}").click().run()
    assert not at.exception and not [e for e in at.error if "计划完成" in e.value]
    saved = stored(nc.id)
    assert (saved.acknowledged_by, saved.acknowledgement_note, saved.planned_completion) == \
        ("赵总经理", "已在纸质报告上签字", None)
    assert any("企业代表 赵总经理" in c.value for c in at.caption)
