"""Pure pricing: exact quantities, one rounding per line, versions by effective date, proration."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.billing import periods
from shared.billing.pricing import DEFAULT_CARD, InvoiceRating, apply_credits, round_half_up, versions
from shared.models.billing import RateCardBody

NOV = datetime(2026, 11, 1, tzinfo=UTC)


def card(effective: datetime, **rates: object) -> RateCardBody:
    return RateCardBody.model_validate({"currency": "USD", "effective_from": effective, **rates})


def test_round_half_up() -> None:
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(249, 100)) == 2
    assert round_half_up(Fraction(1, 2)) == 1
    assert round_half_up(Fraction(0)) == 0


def test_periods() -> None:
    assert periods.period_of(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == "2026-12"
    assert periods.next_period("2026-12") == "2027-01"
    assert periods.seconds_in("2026-02") == 28 * 86400
    pieces = periods.split(datetime(2026, 11, 30, 23, tzinfo=UTC), datetime(2026, 12, 1, 2, tzinfo=UTC))
    assert [(p, (e - s).total_seconds()) for p, s, e in pieces] == [("2026-11", 3600), ("2026-12", 7200)]


def test_gpu_hours_priced_by_model_label_and_rounded_once() -> None:
    rating = InvoiceRating("2026-11", versions([card(NOV, gpu_hour={"a100": "300", "*": "0.3333"})], "USD"))
    start = NOV + timedelta(days=1)
    rating.add_usage("gpu_hours", "a100", "2026-11", 2, start, start + timedelta(hours=3))
    for minute in range(60):  # sixty one-minute records: 1 hour of 0.3333 cents = 0 cents once, not 60 x 0
        at = start + timedelta(minutes=minute)
        rating.add_usage("gpu_hours", "t4", "2026-11", 3, at, at + timedelta(minutes=1))
    lines = {line.label: line for line in rating.lines()}
    assert lines["a100"].amount == 1800 and lines["a100"].quantity == "6.000000"
    assert lines["t4"].quantity == "3.000000" and lines["t4"].amount == 1  # 3 x 0.3333 = 0.9999 -> 1


def test_a_rate_change_mid_period_prices_each_part_by_its_version() -> None:
    change = NOV + timedelta(days=10)
    table = versions([card(NOV, vcpu_hour="10"), card(change, vcpu_hour="20")], "USD")
    rating = InvoiceRating("2026-11", table)
    rating.add_usage("cpu_hours", "", "2026-11", 1500, change - timedelta(hours=2), change + timedelta(hours=1))
    amounts = sorted((line.rate, line.amount) for line in rating.lines())
    assert amounts == [("10", 30), ("20", 30)]  # 1.5 vCPU x 2 h x 10, 1.5 vCPU x 1 h x 20


def test_usage_before_the_first_card_is_priced_by_the_built_in_one() -> None:
    table = versions([card(NOV + timedelta(days=1), vcpu_hour="100")], "EUR")
    assert table[0].card.currency == "EUR" and table[0].card.vcpu_hour == DEFAULT_CARD.vcpu_hour


def test_order_cancelled_mid_period_is_prorated() -> None:
    rating = InvoiceRating("2026-11", versions([card(NOV, plans={"basic": 30_000})], "USD"))
    rating.add_order("o1", "rack-1", "basic", NOV - timedelta(days=3), NOV + timedelta(days=10, hours=12))
    rating.add_order("o2", "rack-2", "basic", NOV + timedelta(days=40), None)  # not in this period
    (line,) = rating.lines()
    assert line.kind == "order" and line.amount == 10_500  # 10.5 of 30 days of 300.00


def test_late_usage_is_an_adjustment_line() -> None:
    rating = InvoiceRating("2026-12", versions([], "USD"))
    rating.add_usage("flavor_hours", "m1.small", "2026-11", 1, NOV, NOV + timedelta(hours=2))
    (line,) = rating.lines()
    assert line.kind == "adjustment" and line.period == "2026-11" and line.amount == 10


def test_credits() -> None:
    assert apply_credits(500, 200) == (200, 300)
    assert apply_credits(500, 900) == (500, 0)
    assert apply_credits(0, 900) == (0, 0)


records = st.lists(
    st.tuples(
        st.sampled_from(["gpu_hours", "cpu_hours", "memory_gib_hours"]),
        st.sampled_from(["", "a100", "t4"]),
        st.integers(0, 5000),
        st.integers(0, 29 * 86400),
        st.integers(1, 86400),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(records, st.randoms())
def test_order_and_splitting_never_change_the_amounts(
    stream: list[tuple[str, str, int, int, int]], rnd: random.Random
) -> None:
    table = versions([card(NOV, vcpu_hour="0.37", gpu_hour={"*": "123.457"}, memory_gib_hour="0.011")], "USD")
    whole, cut = InvoiceRating("2026-11", table), InvoiceRating("2026-11", table)
    for kind, label, amount, offset, length in stream:
        start = NOV + timedelta(seconds=offset)
        end = min(start + timedelta(seconds=length), NOV + timedelta(days=30))
        whole.add_usage(kind, label, "2026-11", amount, start, end)
        middle = start + (end - start) / 3
        cut.add_usage(kind, label, "2026-11", amount, middle, end)
        cut.add_usage(kind, label, "2026-11", amount, start, middle)
    shuffled = [(line.usage_kind, line.label, line.amount) for line in cut.lines()]
    rnd.shuffle(shuffled)
    assert sorted(shuffled) == sorted((line.usage_kind, line.label, line.amount) for line in whole.lines())
