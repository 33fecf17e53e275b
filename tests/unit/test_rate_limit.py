"""The token bucket behind the API's rate limit, on a clock the test moves."""
from web.ratelimit import RateLimit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_burst_of_the_limit_then_one_request_per_share_of_the_minute():
    clock = Clock()
    limit = RateLimit(60, clock)  # one a second
    assert [limit.take("a") for _ in range(60)] == [0] * 60
    assert limit.take("a") == 1 and limit.wait("a") == 1
    clock.now += 1
    assert limit.wait("a") == 0 and limit.take("a") == 0 and limit.take("a") == 1
    assert limit.take("b") == 0  # each key its own bucket


def test_waiting_says_how_long_without_spending():
    clock = Clock()
    limit = RateLimit(6, clock)  # one every ten seconds
    for _ in range(6):
        limit.take("a")
    assert limit.wait("a") == 10 and limit.wait("a") == 10
    clock.now += 4
    assert limit.take("a") == 6
    clock.now += 6
    assert limit.take("a") == 0


def test_a_quiet_key_refills_to_the_burst_and_no_more():
    clock = Clock()
    limit = RateLimit(3, clock)
    for _ in range(3):
        limit.take("a")
    clock.now += 3600
    assert [limit.take("a") for _ in range(4)] == [0, 0, 0, 20]


def test_idle_keys_are_forgotten_when_many(monkeypatch):
    monkeypatch.setattr("web.ratelimit.KEPT", 10)
    clock = Clock()
    limit = RateLimit(60, clock)
    for key in range(11):
        limit.take(key)
    clock.now += 60
    limit.take("late")  # past KEPT: the full buckets go
    assert list(limit.buckets) == ["late"]
