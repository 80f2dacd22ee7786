"""Pricing: usage and orders into invoice lines, exactly (pure, no storage).

The rounding rule: quantities are summed exactly (integer unit-microseconds) per line, the
line's amount is ``quantity x rate`` computed as an exact fraction, and that fraction is rounded
ONCE to the currency's minor unit, half up (0.5 of a cent goes up). Nothing is rounded per
record or per hour, so a usage stream gives the same invoice in any order and in any split,
and the subtotal is the plain sum of the line amounts.

A line is one (usage kind, label, usage period, rate card version) for usage, the same with
``adjustment`` for usage of an earlier, already closed period, and one (order, version) for a
plan. A record or an order spanning a rate card change is cut at the version's
``effective_from`` and each part priced by its own version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from shared.billing.periods import as_utc, bounds
from shared.models.billing import InvoiceLine, RateCardBody

HOUR_US = 3600 * 1_000_000
"""Microseconds in an hour: quantities are unit-microseconds, rates are per unit-hour."""

UNIT_SCALE = {"gpu_hours": 1, "cpu_hours": 1000, "memory_gib_hours": 1024, "storage_gib_hours": 1024, "flavor_hours": 1}
"""Record amounts per billed unit: millicores per vCPU, MiB per GiB; GPUs and instances as they are."""

KIND_NAMES = {
    "gpu_hours": "GPU-hours",
    "cpu_hours": "vCPU-hours",
    "memory_gib_hours": "Memory GiB-hours",
    "storage_gib_hours": "Storage GiB-hours",
    "flavor_hours": "Flavor-hours",
}

MINOR_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}
"""ISO 4217 minor-unit exponents that are not 2."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

DEFAULT_CARD = RateCardBody(
    currency="USD",
    effective_from=EPOCH,
    gpu_hour={"*": "250", "nvidia-tesla-t4": "35", "nvidia-a100": "300", "nvidia-h100": "450"},
    vcpu_hour="4",
    memory_gib_hour="0.5",
    storage_gib_hour="0.014",
    flavor_hour={"*": "5"},
    plans={"basic": 10_000, "standard": 50_000},
)
"""The built-in rate card (US cents), used until a tenant has one of its own."""


def minor_digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency, 2)


def round_half_up(value: Fraction) -> int:
    """The integer nearest ``value``, halves away from zero (amounts are never negative here)."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    return sign * (whole + (1 if 2 * rest >= magnitude.denominator else 0))


def _us(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


@dataclass(frozen=True)
class Version:
    """One rate card version in force over ``[start, end)`` (``end`` None: still in force)."""

    number: int
    start: datetime
    end: datetime | None
    card: RateCardBody

    @property
    def key(self) -> str:
        """Names the version in stored aggregates (its ``effective_from``: numbers shift, dates do not)."""
        return self.start.isoformat()

    def rate(self, kind: str, label: str) -> Fraction:
        card = self.card
        if kind == "gpu_hours":
            text = card.gpu_hour.get(label, card.gpu_hour.get("*", "0"))
        elif kind == "flavor_hours":
            text = card.flavor_hour.get(label, card.flavor_hour.get("*", "0"))
        elif kind == "cpu_hours":
            text = card.vcpu_hour
        elif kind == "memory_gib_hours":
            text = card.memory_gib_hour
        else:
            text = card.storage_gib_hour
        return Fraction(Decimal(text))


def versions(cards: Iterable[RateCardBody], currency: str) -> list[Version]:
    """Cards in force one after another, by ``effective_from``; the built-in one before the first.

    The built-in card's numbers are taken in ``currency`` (minor units of it).
    """
    ordered = sorted(cards, key=lambda card: as_utc(card.effective_from))
    if not ordered or as_utc(ordered[0].effective_from) > EPOCH:
        ordered.insert(0, DEFAULT_CARD.model_copy(update={"currency": currency}))
    starts = [as_utc(card.effective_from) for card in ordered]
    return [
        Version(number, starts[number], starts[number + 1] if number + 1 < len(ordered) else None, card)
        for number, card in enumerate(ordered)
    ]


def quantities(table: list[Version], amount: int, start: datetime, end: datetime) -> list[tuple[Version, int]]:
    """A record's quantity (unit-microseconds) under each version in force over ``[start, end)``."""
    return [(version, amount * micros) for version, micros in _pieces(table, as_utc(start), as_utc(end))]


def _pieces(table: list[Version], start: datetime, end: datetime) -> list[tuple[Version, int]]:
    """``[start, end)`` cut at version boundaries: (version, microseconds) per part."""
    if len(table) == 1:
        return [(table[0], _us(end - start))]
    parts = []
    for version in table:
        low = max(start, version.start)
        high = end if version.end is None else min(end, version.end)
        if low < high:
            parts.append((version, _us(high - low)))
    return parts


@dataclass
class InvoiceRating:
    """Accumulates usage and orders for one invoice period; ``lines()`` prices each group once."""

    period: str
    table: list[Version]
    _usage: dict[tuple[str, str, str, int], int] = field(default_factory=dict)
    _orders: dict[tuple[str, str, str, int], int] = field(default_factory=dict)

    def add_usage(self, kind: str, label: str, usage_period: str, amount: int, start: datetime, end: datetime) -> None:
        """One record: ``amount`` units over ``[start, end)`` (the record's own period)."""
        for version, micros in _pieces(self.table, start, end):
            key = (kind, label, usage_period, version.number)
            self._usage[key] = self._usage.get(key, 0) + amount * micros

    def add_quantity(self, kind: str, label: str, usage_period: str, version_key: str, quantity: int) -> None:
        """A pre-aggregated quantity (unit-microseconds) priced by the version named ``version_key``."""
        number = next(version.number for version in self.table if version.key == version_key)
        key = (kind, label, usage_period, number)
        self._usage[key] = self._usage.get(key, 0) + quantity

    def add_order(self, order_id: str, resource_id: str, plan: str, started: datetime, ended: datetime | None) -> None:
        """An order's time inside this period, charged as its share of the month."""
        period_start, period_end = bounds(self.period)
        low, high = max(as_utc(started), period_start), min(as_utc(ended) if ended else period_end, period_end)
        if low >= high:
            return
        for version, micros in _pieces(self.table, low, high):
            key = (order_id, resource_id, plan, version.number)
            self._orders[key] = self._orders.get(key, 0) + micros

    def lines(self) -> list[InvoiceLine]:
        lines: list[InvoiceLine] = []
        for (kind, label, usage_period, number), quantity in sorted(self._usage.items()):
            version = self.table[number]
            rate = version.rate(kind, label)
            hours = Fraction(quantity, UNIT_SCALE[kind] * HOUR_US)
            late = usage_period != self.period
            name = KIND_NAMES[kind] + (f" ({label})" if label else "")
            lines.append(
                InvoiceLine(
                    kind="adjustment" if late else "usage",
                    description=f"{name}, late usage of {usage_period}" if late else name,
                    usage_kind=kind,
                    label=label,
                    period=usage_period,
                    quantity=_decimal(hours),
                    rate=format(Decimal(rate.numerator) / Decimal(rate.denominator), "f"),
                    amount=round_half_up(hours * rate),
                )
            )
        period_start, period_end = bounds(self.period)
        month = _us(period_end - period_start)
        for (order_id, resource_id, plan, number), micros in sorted(self._orders.items()):
            price = self.table[number].card.plans.get(plan, 0)
            share = Fraction(micros, month)
            lines.append(
                InvoiceLine(
                    kind="order",
                    description=f"Plan {plan} for {resource_id} (order {order_id})",
                    resource_id=resource_id,
                    label=plan,
                    period=self.period,
                    quantity=_decimal(share),
                    rate=str(price),
                    amount=round_half_up(share * price),
                )
            )
        return lines


def _decimal(value: Fraction, places: int = 6) -> str:
    """A quantity for people to read (the amount is computed from the exact fraction)."""
    scaled = round_half_up(value * 10**places)
    return format(Decimal(scaled).scaleb(-places), "f")


def apply_credits(subtotal: int, balance: int) -> tuple[int, int]:
    """``(credits applied, total due)``: credits pay as much of the subtotal as they can."""
    applied = max(0, min(balance, subtotal))
    return applied, subtotal - applied
