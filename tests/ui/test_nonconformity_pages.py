"""AppTest: the nonconformity register and the dashboard show overdue nonconformities; attention list."""
from tests.ui.conftest import go, metric


def test_an_overdue_nonconformity_is_marked_in_the_register(at):
    go(at, "ui/views/nonconformities.py")
    register = at.dataframe[0].value
    assert list(register["编号"]) == ["NC-01"] and list(register["逾期"]) == ["逾期"]
    assert any("1 项不符合已逾期未整改" in e.value for e in at.error)
    at.toggle(key="nc-overdue").set_value(True).run()
    assert list(at.dataframe[0].value["编号"]) == ["NC-01"]


def test_the_dashboard_counts_and_names_overdue_nonconformities(at):
    go(at, "ui/views/dashboard.py", engagement=1)
    assert metric(at, "逾期") == "1" and metric(at, "未关闭") == "1"
    assert any("NC-01（5.1.2.2）已逾期" in e.value for e in at.error)
    assert {c.key for c in at.get("plotly_chart")} >= {"nc-state-chart", "nc-indicator-chart", "nc-ageing-chart",
                                                       "score-history"}


def test_the_client_is_told_what_waits_for_them(signed_in):
    at = signed_in("client")
    texts = " ".join([m.value for m in at.markdown] + [b.label for b in at.button if b.key.startswith("attention-")])
    assert "需要您处理的事项（3）" in texts and "已逾期" in texts and "新的不符合项，待您整改" in texts


def test_a_client_cannot_raise_or_review(signed_in):
    at = go(signed_in("client"), "ui/views/nonconformities.py")
    keys = {b.key for b in at.button if b.key}
    assert not any(k.startswith(("accept-", "return-", "close-submit-")) for k in keys)


def client_rows():
    from config import settings
    from db import engine_for, session
    from nonconformities.services import register
    from tests.factories import actor
    with session(engine_for(settings().effective_database_url)) as s:
        return register(s, by=actor())


def test_an_item_on_the_attention_list_opens_its_nonconformity(signed_in):
    at = signed_in("client")
    oldest = client_rows()[-1]  # the last row of the register: not what the page would show by itself
    item = at.button(key=f"attention-{oldest.id}")
    assert item.label.startswith(f"NC-{oldest.number:02d}") and oldest.engagement_title in item.label
    item.click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="nc-chosen").value == oldest.id
    assert at.subheader[0].value.startswith(f"NC-{oldest.number:02d}")


def test_the_chosen_nonconformity_stays_chosen_after_the_client_answers_it(signed_in):
    at = go(signed_in("client"), "ui/views/nonconformities.py")
    oldest = client_rows()[-1]
    at.selectbox(key="nc-chosen").set_value(oldest.id).run()
    for name, text in (("cause", "制度未落实"), ("correction", "已补充记录"), ("corrective", "每月复核")):
        at.text_area(key=f"{name}-{oldest.id}").set_value(text)
    at.button(key=f"answer-submit-{oldest.id}").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="nc-chosen").value == oldest.id
    assert at.subheader[0].value == f"NC-{oldest.number:02d} 一般不符合 · 已提交整改"
