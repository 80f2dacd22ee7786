"""Timer schedules: NCRONTAB expressions and TimeSpan intervals.

Follows NCrontab, the library the Functions host uses: six fields with seconds (five
are accepted and mean second 0), day-of-month AND day-of-week must both match, Sunday
is 0 (7 is accepted too), three-letter month and day names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from devhost.config import parse_timespan

_MONTHS = {name: i for i, name in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
_WEEKDAYS = {name: i for i, name in enumerate("SUN MON TUE WED THU FRI SAT".split())}
_SEARCH_LIMIT = timedelta(days=366 * 9)
"""Far enough for Feb 29 schedules across a skipped leap year (e.g. 2100)."""


class Schedule(Protocol):
    """Anything that yields the next fire time strictly after a moment."""

    def next_after(self, moment: datetime) -> datetime: ...


def _value(text: str, names: dict[str, int] | None) -> int:
    if names and text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise ValueError(f"bad cron value {text!r}")
    return int(text)


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    """Values of one field: ``*``, ``n``, ``a-b``, with ``/step``, comma-separated."""
    values: set[int] = set()
    for part in text.split(","):
        base, has_step, step_text = part.partition("/")
        step = int(step_text) if has_step else 1
        if step < 1:
            raise ValueError(f"bad cron step in {part!r}")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            start, end = base.split("-", 1)
            first, last = _value(start, names), _value(end, names)
        else:
            first = _value(base, names)
            last = high if has_step else first
        if not low <= first <= last <= high:
            raise ValueError(f"cron field {part!r} out of range {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class CronSchedule:
    """A parsed NCRONTAB expression."""

    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]

    @classmethod
    def parse(cls, expression: str) -> CronSchedule:
        """Parse ``{second} {minute} {hour} {day} {month} {day-of-week}``."""
        fields = expression.split()
        if len(fields) == 5:
            fields.insert(0, "0")
        if len(fields) != 6:
            raise ValueError(f"NCRONTAB needs 6 fields, got {len(fields)}: {expression!r}")
        weekdays = _field(fields[5], 0, 7, _WEEKDAYS)
        return cls(
            seconds=_field(fields[0], 0, 59),
            minutes=_field(fields[1], 0, 59),
            hours=_field(fields[2], 0, 23),
            days=_field(fields[3], 1, 31),
            months=_field(fields[4], 1, 12, _MONTHS),
            weekdays=frozenset(d % 7 for d in weekdays),
        )

    def next_after(self, moment: datetime) -> datetime:
        """The first matching whole second strictly after ``moment`` (same tzinfo)."""
        current = moment.replace(microsecond=0) + timedelta(seconds=1)
        limit = current + _SEARCH_LIMIT
        while current <= limit:
            if current.month not in self.months:
                year, month = divmod(current.month, 12)
                current = current.replace(year=current.year + year, month=month + 1, day=1, hour=0, minute=0, second=0)
            elif current.day not in self.days or (current.weekday() + 1) % 7 not in self.weekdays:
                current = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0)
            elif current.hour not in self.hours:
                current = (current + timedelta(hours=1)).replace(minute=0, second=0)
            elif current.minute not in self.minutes:
                current = (current + timedelta(minutes=1)).replace(second=0)
            elif current.second not in self.seconds:
                current += timedelta(seconds=1)
            else:
                return current
        raise ValueError("cron schedule never fires")


@dataclass(frozen=True)
class IntervalSchedule:
    """A TimeSpan schedule (``hh:mm:ss``): fires every interval, as the host allows."""

    interval: timedelta

    def next_after(self, moment: datetime) -> datetime:
        return moment + self.interval


def parse_schedule(expression: str) -> Schedule:
    """A cron expression, or a TimeSpan when the text looks like one."""
    if re.fullmatch(r"\s*(\d+\.)?\d+:\d+(:\d+)?\s*", expression):
        seconds = parse_timespan(expression)
        if seconds <= 0:
            raise ValueError(f"TimeSpan schedule must be positive: {expression!r}")
        return IntervalSchedule(timedelta(seconds=seconds))
    return CronSchedule.parse(expression)
