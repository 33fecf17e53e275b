"""AppTest: the in-memory scoring page and the criteria browser."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "audit_app.py")


@pytest.fixture
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path))
    from config import settings
    settings.cache_clear()
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception, app.exception
    yield app
    settings.cache_clear()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def save(at, code, result, **fields):
    at.radio(key=f"result-{code}").set_value(result)
    for name, value in fields.items():
        widget = at.number_input(key=f"{name}-{code}") if name in ("sampled", "nonconforming") \
            else at.text_input(key=f"{name}-{code}")
        widget.set_value(value)
    at.button(key=f"save-{code}").click().run()
    assert not at.exception, at.exception


def test_quick_score_updates_score_star_and_progress(at):
    assert metric(at, "得分") == "0.00" and metric(at, "进度") == "0 / 39"
    save(at, "5.1.2.2", "conform")
    save(at, "5.1.2.1", "sampled", sampled=4, nonconforming=1)
    assert metric(at, "得分") == "6.88" and metric(at, "进度") == "2 / 39"


def test_quick_score_refuses_a_bad_rating_and_keeps_the_previous_one(at):
    save(at, "5.1.2.1", "sampled", sampled=2, nonconforming=3)
    assert any("不符合样本数 3 大于抽样数 2" in e.value for e in at.error)
    assert metric(at, "进度") == "0 / 39"
    save(at, "5.2.6.a", "excluded")
    assert any("删减必须写明理由" in e.value for e in at.error)
    save(at, "5.2.6.a", "excluded", reason="本企业不负有回收义务")
    assert not at.error and metric(at, "进度") == "0 / 38"


def test_criteria_browser_lists_the_default_tree(at):
    at.switch_page("ui/views/criteria_browser.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["5.1 售后服务体系（42.5 分）", "5.2 商品服务（37.5 分）", "5.3 顾客服务（20 分）"]
    assert len(at.expander) == 15


def test_criteria_browser_reports_a_broken_tree_file(at, tmp_path):
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "broken.yaml").write_text("id: broken\nindicators: []\n", encoding="utf-8")
    at.switch_page("ui/views/criteria_browser.py").run()
    assert any("broken.yaml" in e.value for e in at.error)
