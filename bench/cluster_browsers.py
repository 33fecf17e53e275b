"""The Chromium users of the cluster load run: a few browser contexts in one Playwright thread, each signed in as
its own assessor on its own engagement, clicking 保存 in the workspace in turn and timing the new score.

When the replica holding a page is killed, the page's next click is not confirmed; the user reloads the
workspace (nginx sends it to a live replica), signs in again if the sign-in form shows, and goes on. A click
that was not confirmed counts as interrupted, never as saved.
"""
from __future__ import annotations

from dataclasses import dataclass

from bench.browser import CLICK_RESULTS, SETTLED, VIEWPORT, _timed_save
from bench.cluster_users import PASSWORD, Seat, Tally

CLICK_TIMEOUT = 20_000  # ms: a click on a page whose replica died waits this long before the user reloads
STATUS = {"不符合": "nonconform", "符合": "conform"}


@dataclass
class Page:
    seat: Seat
    page: object
    clicks: int = 0
    moved: bool = False
    since_kill: int = 0


class Browsers:
    def __init__(self, browser, base: str, seats: list[Seat]):
        self.browser, self.base, self.tally = browser, base, Tally()
        self.interrupted, self.latencies = 0, []
        self.killed, self.moved, self.after_kill = False, 0, 0  # set by the run; users interrupted; clicks since
        self.pages = [Page(seat, self._new_page()) for seat in seats]
        for user in self.pages:
            self._sign_in(user)
            self.tally.count("sign in")
            self._open(user)
            self.tally.count("open the workspace")

    def _new_page(self):
        context = self.browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(CLICK_TIMEOUT)
        return page

    def _sign_in(self, user: Page) -> None:
        from tests.e2e.helpers import wait_idle
        page = user.page
        page.goto(self.base)
        wait_idle(page, 60_000)
        page.get_by_label("用户名").fill(user.seat.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_text("当前用户：").wait_for()

    def _open(self, user: Page):
        from tests.e2e.helpers import clause_form, open_clause, wait_idle
        page = user.page
        page.goto(f"{self.base}/workspace?engagement={user.seat.engagement_id}")
        wait_idle(page, 60_000)
        if page.get_by_label("用户名").count():  # this replica has no session for the browser: sign in again
            self._sign_in(user)
            self.tally.signed_in_again += 1
            page.goto(f"{self.base}/workspace?engagement={user.seat.engagement_id}")
            wait_idle(page, 60_000)
        open_clause(page, user.seat.codes[0])
        return clause_form(page, user.seat.codes[0])

    def round(self) -> None:
        """One click of 保存 by each user in turn."""
        from tests.e2e.helpers import clause_form
        for user in self.pages:
            code, label = user.seat.codes[0], CLICK_RESULTS[user.clicks % 2]
            try:
                form = clause_form(user.page, code)
                user.page.wait_for_function(SETTLED)
                form.get_by_text(label, exact=True).click()
                seconds = _timed_save(user.page, form)
            except Exception:  # noqa: BLE001 - the replica went away under the page: reload and go on
                self.interrupted += 1
                if self.killed and not user.moved:  # its replica was the one killed
                    user.moved, self.moved = True, self.moved + 1
                self._recover(user)
                continue
            user.clicks += 1
            self.latencies.append(seconds)
            self.after_kill += int(self.killed)
            user.since_kill += int(self.killed)
            self.tally.saves.append(seconds)
            self.tally.confirmed[(user.seat.engagement_id, code)] = (-1, STATUS[label])
            self.tally.count("rate a clause")

    def all_saved_since_kill(self) -> bool:
        return self.killed and all(user.since_kill for user in self.pages)

    def _recover(self, user: Page) -> None:
        """Reopen the workspace; the result the page now shows is what is stored (the unconfirmed click may have
        been saved before its replica died), so it is the user's last confirmed result and the next click is the
        other one."""
        try:
            form = self._open(user)
            for n, label in enumerate(CLICK_RESULTS):
                if form.get_by_role("radio", name=label, exact=True).is_checked():
                    user.clicks = n + 1
                    self.tally.confirmed[(user.seat.engagement_id, user.seat.codes[0])] = (-1, STATUS[label])
        except Exception as exc:  # noqa: BLE001
            self.tally.failed.append(f"{user.seat.username} reopening the workspace: {type(exc).__name__}"[:300])

    def close(self) -> None:
        for user in self.pages:
            user.page.context.close()


def single_user_clicks(browser, base: str, seat: Seat, clicks: int) -> list[float]:
    """The floor: one user alone, on one replica reached directly (no nginx, no other load)."""
    users = Browsers(browser, base, [seat])
    try:
        for _ in range(clicks):
            users.round()
        return users.latencies
    finally:
        users.close()
