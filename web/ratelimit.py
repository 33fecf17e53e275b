"""A token bucket per caller, kept in this process: each key may spend `per_minute` requests in a burst, and gets
them back at `per_minute` a minute. Every replica keeps its own buckets, so behind N replicas a caller can reach up
to N times the limit (sticky sessions do not apply to API clients); it is a guard against a runaway integration,
not an accounting of use."""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable

KEPT = 10_000  # keys remembered before full (idle) buckets are forgotten


class RateLimit:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.capacity, self.rate, self.clock = float(per_minute), per_minute / 60.0, clock
        self.buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self.lock = threading.Lock()

    def _level(self, key: Hashable, now: float) -> float:
        tokens, then = self.buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - then) * self.rate)

    def wait(self, key: Hashable) -> int:
        """Seconds until `key` may send again (0: it may now), without spending anything."""
        with self.lock:
            level = self._level(key, self.clock())
        return 0 if level >= 1 else math.ceil((1 - level) / self.rate)

    def take(self, key: Hashable) -> int:
        """Spend one request of `key`: 0 when it may go on, else the seconds to wait before retrying."""
        with self.lock:
            now = self.clock()
            level = self._level(key, now)
            if level < 1:
                self.buckets[key] = (level, now)
                return math.ceil((1 - level) / self.rate)
            self.buckets[key] = (level - 1, now)
            if len(self.buckets) > KEPT:
                self._forget_idle(now)
            return 0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k in self.buckets if self._level(k, now) >= self.capacity]:
            del self.buckets[key]
