"""The per-connection request budget in Table storage: shared by instances, paused by a 429."""

from __future__ import annotations

import uuid
from typing import Any

from shared import deps
from shared.storage.rate_budget import RateBudgetRepository, TableBudget, Window


class Clock:
    """A clock that moves only when someone sleeps."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_two_instances_share_one_window(app_settings: Any) -> None:
    scope = f"t:{uuid.uuid4().hex}"
    clock = Clock()
    windows = {"read": Window(16, 1.0), "write": Window(4, 1.0)}
    # Two budgets on their own repositories: two instances that share only the table.
    first = TableBudget(RateBudgetRepository(deps.storage()), scope, windows, clock=clock, sleep=clock.sleep)
    second = TableBudget(RateBudgetRepository(deps.storage()), scope, windows, clock=clock, sleep=clock.sleep)
    for _ in range(8):
        first.acquire("read")
        second.acquire("read")
    assert clock.slept == []  # 16 reads fit in the first window
    first.acquire("read")
    assert len(clock.slept) == 1 and clock.now >= 1_000_001.0  # the 17th waited for the next window
    for _ in range(4):
        second.acquire("write")
    second.acquire("write")  # writes have their own, smaller window
    assert clock.now >= 1_000_002.0


def test_a_pause_from_one_instance_holds_the_other(app_settings: Any) -> None:
    scope = f"t:{uuid.uuid4().hex}"
    clock = Clock()
    windows = {"read": Window(1000, 1.0)}
    first = TableBudget(RateBudgetRepository(deps.storage()), scope, windows, clock=clock, sleep=clock.sleep)
    second = TableBudget(RateBudgetRepository(deps.storage()), scope, windows, clock=clock, sleep=clock.sleep)
    first.acquire("read")
    first.pause(5.0)  # first got a 429 with Retry-After: 5
    clock.now += 1.0
    second.acquire("read")  # second leases only after the pause
    assert clock.now >= 1_000_005.0 and sum(clock.slept) >= 4.0
