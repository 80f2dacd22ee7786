"""Billing periods: calendar months in UTC, written ``YYYY-MM`` (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime


def period_of(instant: datetime) -> str:
    """The period holding ``instant`` (naive datetimes are taken as UTC)."""
    instant = as_utc(instant)
    return f"{instant.year:04d}-{instant.month:02d}"


def as_utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def bounds(period: str) -> tuple[datetime, datetime]:
    """``[first instant, first instant of the next period)``."""
    year, month = int(period[:4]), int(period[5:7])
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def next_period(period: str) -> str:
    return period_of(bounds(period)[1])


def seconds_in(period: str) -> int:
    start, end = bounds(period)
    return int((end - start).total_seconds())


def split(start: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """``[start, end)`` cut at period boundaries: ``(period, start, end)`` pieces, in order."""
    start, end = as_utc(start), as_utc(end)
    pieces: list[tuple[str, datetime, datetime]] = []
    while start < end:
        period = period_of(start)
        boundary = bounds(period)[1]
        piece_end = min(end, boundary)
        pieces.append((period, start, piece_end))
        start = piece_end
    return pieces
