"""NCRONTAB parsing (pure) and timer triggers firing in a real devhost process."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devhost.cron import CronSchedule, IntervalSchedule, parse_schedule
from tests.devhost.sample_host import SampleHost
from tests.support.polling import wait_until

START = datetime(2025, 3, 14, 10, 20, 30, 500_000, tzinfo=UTC)  # a Friday


def following(expression: str, moment: datetime, count: int) -> list[datetime]:
    schedule = parse_schedule(expression)
    times = []
    for _ in range(count):
        moment = schedule.next_after(moment)
        times.append(moment)
    return times


def at(day: int, hour: int, minute: int, second: int = 0, month: int = 3, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("*/5 * * * * *", [at(14, 10, 20, 35), at(14, 10, 20, 40), at(14, 10, 20, 45)]),
        ("* * * * * *", [at(14, 10, 20, 31), at(14, 10, 20, 32), at(14, 10, 20, 33)]),
        ("0 30 9 * * *", [at(15, 9, 30), at(16, 9, 30), at(17, 9, 30)]),
        ("0 0 */6 * * *", [at(14, 12, 0), at(14, 18, 0), at(15, 0, 0)]),
        ("0 0 9-11 * * *", [at(14, 11, 0), at(15, 9, 0), at(15, 10, 0)]),
        ("0 0 8-18/5 * * *", [at(14, 13, 0), at(14, 18, 0), at(15, 8, 0)]),
        ("15,45 20 10 * * *", [at(14, 10, 20, 45), at(15, 10, 20, 15), at(15, 10, 20, 45)]),
        ("0 0 12 * * 1-5", [at(14, 12, 0), at(17, 12, 0), at(18, 12, 0)]),  # weekdays: Fri, then Mon
        ("0 0 0 * * SUN", [at(16, 0, 0), at(23, 0, 0), at(30, 0, 0)]),
        ("0 0 0 * * 0,6", [at(15, 0, 0), at(16, 0, 0), at(22, 0, 0)]),
        ("0 0 0 * * 7", [at(16, 0, 0), at(23, 0, 0), at(30, 0, 0)]),  # 7 is Sunday too
        ("0 0 0 1 */2 *", [at(1, 0, 0, month=5), at(1, 0, 0, month=7), at(1, 0, 0, month=9)]),
        ("0 0 0 1 jan,JUL *", [at(1, 0, 0, month=7), at(1, 0, 0, month=1, year=2026), at(1, 0, 0, month=7, year=2026)]),
        (
            "0 0 0 13 * FRI",
            [at(13, 0, 0, month=6), at(13, 0, 0, month=2, year=2026), at(13, 0, 0, month=3, year=2026)],
        ),  # Friday the 13th
        (
            "0 0 0 29 2 *",
            [at(29, 0, 0, month=2, year=2028), at(29, 0, 0, month=2, year=2032), at(29, 0, 0, month=2, year=2036)],
        ),
        ("30 10 * * *", [at(14, 10, 30), at(15, 10, 30), at(16, 10, 30)]),  # five fields: second 0
    ],
)
def test_next_fire_times(expression: str, expected: list[datetime]) -> None:
    assert following(expression, START, 3) == expected


def test_next_is_strictly_after_a_matching_moment() -> None:
    assert CronSchedule.parse("0 * * * * *").next_after(at(14, 10, 20, 0)) == at(14, 10, 21, 0)


def test_timespan_schedule_is_an_interval() -> None:
    schedule = parse_schedule("00:00:10")
    assert isinstance(schedule, IntervalSchedule)
    assert schedule.next_after(START) == START + timedelta(seconds=10)


@pytest.mark.parametrize(
    "expression",
    ["* * * *", "60 * * * * *", "* * 24 * * *", "* * * 0 * *", "*/0 * * * * *", "a * * * * *", "* * * 31 2 *"],
)
def test_invalid_schedules_are_rejected(expression: str) -> None:
    with pytest.raises(ValueError, match=r"(?i)cron"):
        following(expression, START, 1)


def test_timer_fires_every_second_and_on_startup(sample_host: SampleHost) -> None:
    def three_ticks() -> list[dict[str, Any]]:
        ticks = sample_host.events("tick")
        return ticks if len(ticks) >= 3 else []

    ticks = wait_until(three_ticks, timeout=20)
    # Each run is told the next occurrence: whole seconds, one or more apart (a busy host may skip one).
    occurrences = [datetime.fromisoformat(t["next"]) for t in ticks]
    assert all(moment.microsecond == 0 and moment.utcoffset() == timedelta(0) for moment in occurrences)
    steps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(occurrences)]
    assert all(step >= 1 and step == int(step) for step in steps), steps
    # Never early: each run starts at or after the occurrence the one before announced. How late is
    # load, not behaviour; the bound only says "that occurrence or the next", with room to spare.
    for earlier, later in itertools.pairwise(ticks):
        late = later["at"] - datetime.fromisoformat(earlier["next"]).timestamp()
        assert 0 <= late < 3.0, late
    assert len(sample_host.events("startup")) == 1  # runOnStartup; the schedule itself is next New Year
