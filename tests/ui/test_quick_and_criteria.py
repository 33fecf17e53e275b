"""AppTest: the in-memory trial scoring page and the criteria browser."""
import pytest

from tests.ui.conftest import go, metric, save


@pytest.fixture
def at(at):
    return go(at, "ui/views/quick_score.py")


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
    go(at, "ui/views/criteria_browser.py")
    assert [s.value for s in at.subheader] == ["5.1 售后服务体系（42.5 分）", "5.2 商品服务（37.5 分）", "5.3 顾客服务（20 分）"]
    assert len(at.expander) == 15


def test_criteria_browser_reports_a_broken_tree_file(at, data_dir):
    (data_dir / "trees").mkdir()
    (data_dir / "trees" / "broken.yaml").write_text("id: broken\nindicators: []\n", encoding="utf-8")
    go(at, "ui/views/criteria_browser.py")
    assert any("broken.yaml" in e.value for e in at.error)
