"""Journey: open the app in a browser, rate clauses in memory, and see the score move."""
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import expect_metric, rate, sign_in


def test_quick_scoring_moves_the_score(app_server, page):
    base, _ = app_server
    sign_in(page, base, "zhang", "quick")
    expect_metric(page, "得分", "0.00")
    rate(page, "5.1.1.1", "符合")
    expect_metric(page, "得分", "2.33")  # 7/3
    expect_metric(page, "进度", "1 / 39")
    rate(page, "5.1.2.2", "符合")
    expect_metric(page, "得分", "7.33")  # 7/3 + 5
    screenshot(page, "quick-score")
