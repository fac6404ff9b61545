"""Rate-limited alerts: a burst of new strikes cannot flood the screen with toasts."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class AlertLimiter:
    """At most ``limit`` alerts per ``window`` seconds; the rest are counted for a summary.

    ``offer()`` says whether to show an alert now; ``take_overflow()`` returns (and
    resets) how many were held back, for one "N more" toast when the window ends.
    """

    def __init__(self, clock: Callable[[], float], limit: int = 3, window: float = 10.0) -> None:
        self._clock = clock
        self.limit = limit
        self.window = window
        self._shown: deque[float] = deque()
        self.overflow = 0

    def _expire(self, now: float) -> None:
        while self._shown and now - self._shown[0] >= self.window:
            self._shown.popleft()

    def offer(self) -> bool:
        now = self._clock()
        self._expire(now)
        if len(self._shown) < self.limit:
            self._shown.append(now)
            return True
        self.overflow += 1
        return False

    def seconds_until_free(self) -> float:
        now = self._clock()
        self._expire(now)
        if len(self._shown) < self.limit:
            return 0.0
        return max(self.window - (now - self._shown[0]), 0.0)

    def take_overflow(self) -> int:
        n, self.overflow = self.overflow, 0
        if n:
            self._shown.append(self._clock())
        return n
