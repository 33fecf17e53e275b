"""Browser helpers named in the product's terms, shared by the journeys."""
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# The app's own run state, which the front end sets as soon as it knows of a run. The running icon alone is not
# enough: Streamlit shows it only after a run has lasted half a second, so a shorter run (or the first half second
# of a longer one) looked idle, and a test could act on a page still being redrawn.
IDLE = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"],[data-testid="stStatusWidgetRunningManIcon"]')"""


def wait_idle(page: Page, timeout: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(IDLE, timeout=timeout)


def metric(page: Page, label: str):
    """The value element of the st.metric labelled `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True))
    return box.locator('[data-testid="stMetricValue"]')


def clause_form(page: Page, code: str):
    return page.locator('[data-testid="stForm"]').filter(has_text=code).first


def rate(page: Page, code: str, result_label: str) -> None:
    """Choose a result in the clause's form and save it."""
    form = clause_form(page, code)
    form.scroll_into_view_if_needed()
    form.get_by_text(result_label, exact=True).click()
    form.get_by_role("button", name="保存").click()
    wait_idle(page)


def expect_metric(page: Page, label: str, value: str) -> None:
    expect(metric(page, label)).to_have_text(value)


def open_clause(page: Page, code: str) -> None:
    """Pick a clause in the workspace's navigator."""
    page.get_by_role("button").filter(has_text=f" {code} ").first.click()
    expect(clause_form(page, code)).to_be_visible()  # the run the click started is drawing the clause ...
    expect(page.get_by_label("审核发现")).to_have_count(1)  # (the previous clause's form has gone)
    wait_idle(page)  # ... and has finished: nothing of the form is redrawn under the next action


def write_finding(page: Page, code: str, text: str) -> None:
    clause_form(page, code).get_by_label("审核发现").fill(text)


PASSWORDS = {"admin": "demo-admin-2026", "zhang": "demo-assessor-2026", "li": "demo-assessor-2026",
             "chen": "demo-consultant-2026", "client": "demo-client-2026"}


def sign_in(page: Page, base: str, username: str, path: str = "") -> None:
    """Open the app, log in as a demo user, and go to `path` (the session cookie keeps the login)."""
    page.goto(base)
    wait_idle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("当前用户：")).to_be_visible()
    wait_idle(page)
    if path:
        page.goto(f"{base}/{path}")
        wait_idle(page)


def choose(page: Page, label: str, option: str, within=None) -> None:
    """Pick `option` in the st.selectbox labelled `label` (inside `within`, e.g. a form, if given)."""
    for attempt in range(4):  # a rerun landing just after the click closes the list; open it again
        wait_idle(page)
        (within or page).get_by_label(label, exact=True).click()
        try:
            page.get_by_role("option", name=option).first.click(timeout=4_000)  # listed outside the form
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 3:
                raise
    wait_idle(page)


def click_until(page: Page, button, heading: str, attempts: int = 3) -> None:
    """Click a navigation button until its page's heading shows (a click during a rerun can be swallowed)."""
    for attempt in range(attempts):
        wait_idle(page)
        button.click()
        try:
            expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=10_000)
            wait_idle(page)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise
