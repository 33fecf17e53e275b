"""AppTest: the in-memory trial scoring page and the criteria browser."""
import pytest

from tests.ui.conftest import go, metric, save

DEFAULT = "gbt27922-2011@2011-default.2"  # the default tree's ref: the quick score's forms are keyed by tree


@pytest.fixture
def at(at):
    return go(at, "ui/views/quick_score.py")


def test_quick_score_updates_score_star_and_progress(at):
    assert metric(at, "得分") == "0.00" and metric(at, "进度") == "0 / 39"
    save(at, f"{DEFAULT}/5.1.2.2", "conform")
    save(at, f"{DEFAULT}/5.1.2.1", "sampled", sampled=4, nonconforming=1, finding="1 人证书过期")
    assert metric(at, "得分") == "6.75" and metric(at, "进度") == "2 / 39"  # 5 + 7/3 x 3/4


def test_quick_score_refuses_a_bad_rating_and_keeps_the_previous_one(at):
    save(at, f"{DEFAULT}/5.1.2.1", "sampled", sampled=2, nonconforming=3)
    assert any("条款 5.1.2.1：不符合数 3 大于抽样数 2" in e.value for e in at.error)
    assert metric(at, "进度") == "0 / 39"
    save(at, f"{DEFAULT}/5.2.6.a", "excluded")
    assert any("删减必须写明删减理由" in e.value for e in at.error)
    save(at, f"{DEFAULT}/5.2.6.a", "excluded", reason="本企业不负有回收义务")
    assert not at.error and metric(at, "进度") == "0 / 38"


def test_criteria_browser_lists_the_default_tree(at):
    go(at, "ui/views/criteria_browser.py")
    assert [s.value for s in at.subheader] == ["5.1 售后服务体系（40 分）", "5.2 商品服务（35 分）", "5.3 顾客服务（25 分）"]
    assert len(at.expander) == 15


def test_criteria_browser_reports_a_broken_tree_file(at, data_dir):
    (data_dir / "trees").mkdir()
    (data_dir / "trees" / "broken.yaml").write_text("id: broken\nindicators: []\n", encoding="utf-8")
    go(at, "ui/views/criteria_browser.py")
    assert any("broken.yaml" in e.value for e in at.error)


def test_each_tree_keeps_its_own_trial_ratings(at, data_dir):
    """A certification body's sheet shares clause codes with the default one; switching sheets must not show
    the other sheet's choices in forms the score does not count."""
    from pathlib import Path
    source = Path(__file__).resolve().parents[2] / "criteria/trees/gbt27922-2011.yaml"
    (data_dir / "trees").mkdir()
    (data_dir / "trees" / "body.yaml").write_text(
        source.read_text(encoding="utf-8").replace('version: "2011-default.2"', 'version: "body-2026"'),
        encoding="utf-8")
    go(at, "ui/views/quick_score.py")
    save(at, f"{DEFAULT}/5.1.2.2", "conform")
    assert metric(at, "进度") == "1 / 39"
    sheets = at.selectbox(key="quick-tree")
    sheets.select_index(next(i for i, label in enumerate(sheets.options) if "body-2026" in label)).run()
    assert metric(at, "进度") == "0 / 39"
    assert at.radio(key="result-gbt27922-2011@body-2026/5.1.2.2").value == "unrated"
