"""The interface benchmarks: AppTest reruns of the workspace and dashboard, and a rating clicked in Chromium.

Both run the real app on the benchmark's database, signed in as the engagement's lead assessor; each floor is
the same action on a Streamlit page with nothing of ours in it, measured in the same run."""
from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.data import ASSESSOR, PASSWORD

ROOT = Path(__file__).resolve().parents[1]
EMPTY_PAGE = "import streamlit as st\n"
ONE_WIDGET_PAGE = """import streamlit as st
st.session_state.setdefault("saves", 0)
if st.button("保存"):
    st.session_state.saves += 1
st.metric("得分", st.session_state.saves)
"""
# the workspace's elements with nothing behind them: 4 metrics, the filter, 2 + 39 clause buttons under 18
# headings, the rating form and 4 closed panels; how much of a rerun is Streamlit's drawing rather than our code
WORKSPACE_ELEMENTS_ONLY = """import streamlit as st
st.title("评分工作台")
for label in ("得分", "星级", "结论", "进度"):
    st.metric(label, "90.00")
st.progress(0.5)
st.segmented_control("筛选", ["全部", "未评分"], key="filter")
st.button("上一条", key="prev")
st.button("下一条", key="next")
for n in range(39):
    if n % 2 == 0:
        st.markdown(f"**5.{n} 指标**")
    st.button(f"✓ 5.1.{n} 条款", key=f"goto-{n}")
with st.form("clause"):
    st.markdown("**5.1.1.1 条款**")
    st.radio("评价结果", ["符合", "不符合"], horizontal=True)
    st.number_input("抽样数", min_value=0)
    st.number_input("其中不符合数", min_value=0)
    st.text_input("删减理由")
    st.text_area("审核发现")
    st.form_submit_button("保存")
for label in ("不符合项", "修改历史", "特别扣分项", "离线评分表"):
    st.expander(label)
"""
CLICK_RESULTS = ("不符合", "符合")  # alternating, so every save moves the score


@contextlib.contextmanager
def app_environment(folder: Path) -> Iterator[dict]:
    """The environment under which the app runs on the benchmark's database (and not the demo data)."""
    env = {"AUDIT_DATA_DIR": str(folder), "AUDIT_DATABASE_URL": f"sqlite:///{folder}/bench.db",
           "AUDIT_DEMO_DATA": "false"}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    from config import settings
    settings.cache_clear()
    try:
        yield env
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        settings.cache_clear()


def median_rerun(at: AppTest, reruns: int) -> float:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"the page failed during the benchmark: {at.exception}")
    return statistics.median(times)


def apptest_reruns(folder: Path, engagement_id: int, reruns: int) -> dict[str, float]:
    """Median seconds per rerun of the workspace, the dashboard, an empty page (the floor), and a page drawing the
    workspace's elements with no data (a reference: what Streamlit itself costs for that much on screen)."""
    figures = {}
    for name, source in (("floor", EMPTY_PAGE), ("elements only", WORKSPACE_ELEMENTS_ONLY)):
        page = AppTest.from_string(source, default_timeout=60)
        page.run()
        figures[name] = median_rerun(page, reruns)
    with app_environment(folder):
        at = AppTest.from_file(str(ROOT / "audit_app.py"), default_timeout=120)
        at.run()
        at.text_input(key="login-username").set_value(ASSESSOR)
        at.text_input(key="login-password").set_value(PASSWORD)
        at.button(key="login-submit").click().run()
        at.query_params["engagement"] = str(engagement_id)
        for name in ("workspace", "dashboard"):
            at.switch_page(f"ui/views/{name}.py").run()
            if at.exception or not at.metric:
                raise RuntimeError(f"the {name} did not open for the benchmark: {at.exception}")
            figures[name] = median_rerun(at, reruns)
    return figures


def chromium_or_problem() -> tuple[str | None, str | None]:
    """(Chromium's path, None), or (None, what is missing for the browser benchmark and how to get it)."""
    import importlib.util
    if importlib.util.find_spec("playwright") is None:
        return None, ("缺少 Playwright（测试依赖）：请改用 scripts/run-bench.sh（会先安装所需软件），"
                      "或 .venv/bin/pip install -r requirements-dev.txt")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None, "缺少 Chromium：请改用 scripts/run-bench.sh（会用 apt-get 安装）"
    return chromium, None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def browser_clicks(folder: Path, engagement_id: int, code: str, clicks: int, chromium: str) -> dict[str, list[float]]:
    """Seconds from pressing 保存 to the new score on screen: in the workspace and on a one-widget page."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS
    from tests.e2e.server import streamlit_app
    floor_app = folder / "one_widget.py"
    floor_app.write_text(ONE_WIDGET_PAGE, encoding="utf-8")
    with sync_playwright() as p, app_environment(folder) as env:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN").new_page()
        page.set_default_timeout(60_000)
        with streamlit_app(folder, folder / "floor.log", extra_env=env, script=floor_app) as base:
            page.goto(base)
            floor = [_timed_save(page, page) for _ in range(clicks)]
        with streamlit_app(folder, folder / "app.log", extra_env=env) as base:
            form = _open_workspace(page, base, engagement_id, code)
            workspace = []
            for n in range(clicks):
                form.get_by_text(CLICK_RESULTS[n % 2], exact=True).click()
                workspace.append(_timed_save(page, form))
        browser.close()
    return {"floor": floor, "workspace": workspace}


def _open_workspace(page, base: str, engagement_id: int, code: str):
    from tests.e2e.helpers import clause_form, open_clause, wait_idle
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill(ASSESSOR)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("当前用户：").wait_for()
    page.goto(f"{base}/workspace?engagement={engagement_id}")
    wait_idle(page)
    open_clause(page, code)
    return clause_form(page, code)


SCORE_SHOWN = """([label, old]) => {
    const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(m => m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() === label);
    const value = box?.querySelector('[data-testid="stMetricValue"]')?.innerText;
    return value !== undefined && value !== old;
}"""


def _timed_save(page, within) -> float:
    """Press 保存 and wait for the 得分 metric to show a different value (the element may be redrawn)."""
    before = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text("得分", exact=True)) \
        .locator('[data-testid="stMetricValue"]').inner_text()
    start = time.perf_counter()
    within.get_by_role("button", name="保存").click()
    page.wait_for_function(SCORE_SHOWN, arg=["得分", before], polling="raf")
    return time.perf_counter() - start
