"""The built-in provider on Azurite: exact to the minor unit under duplicates, retries and races.

A settable clock stands in for time (no sleeps); each test uses its own tenant and account.
"""

from __future__ import annotations

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import deps
from shared.billing.builtin import BuiltinBilling
from shared.billing.periods import split
from shared.billing.pricing import InvoiceRating, versions
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.billing import OrderCreate, RateCardBody, UsageRecord

NOV = datetime(2026, 11, 1, tzinfo=UTC)
DEC = datetime(2026, 12, 1, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def ledger(at: datetime) -> tuple[BuiltinBilling, Clock, str, str]:
    clock = Clock(at)
    billing = BuiltinBilling(deps.billing_repository(), clock)
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name="T")
    return billing, clock, tenant, account.id


def gpu(event: str, start: datetime, hours: float, gpus: int = 1, label: str = "nvidia-a100") -> UsageRecord:
    return UsageRecord(
        id=event,
        kind="gpu_hours",
        resource_id=f"pod-{event}",
        label=label,
        amount=gpus,
        start=start,
        end=start + timedelta(hours=hours),
    )


def test_duplicates_count_once_and_the_invoice_closes_exactly() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=2))
    records = [gpu(f"e{n}", NOV + timedelta(hours=n), 1.5) for n in range(5)]
    assert billing.record_usage(tenant, account, records) == 5
    assert billing.record_usage(tenant, account, [*records[:3], gpu("e9", NOV, 1)]) == 1  # three duplicates
    assert billing.record_usage(tenant, account, [gpu("e10", NOV, 1), gpu("e10", NOV, 1)]) == 1  # twice in one call
    draft = billing.draft_invoice(tenant, account)
    assert draft.status == "draft" and draft.period == "2026-11"
    assert draft.subtotal == 300 * 9.5  # 9.5 A100-hours at 300 cents
    clock.now = DEC + timedelta(hours=1)
    (closed,) = billing.close_periods(tenant, account)
    assert (closed.number, closed.id, closed.subtotal, closed.total_due) == (1, "inv_000001", 2850, 2850)
    assert billing.close_periods(tenant, account) == []
    assert billing.invoice(tenant, account, "inv_000001") == closed


def test_usage_late_for_a_closed_period_goes_on_the_next_invoice_as_an_adjustment() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=2))
    billing.record_usage(tenant, account, [gpu("a", NOV, 2)])
    clock.now = DEC + timedelta(hours=1)
    (november,) = billing.close_periods(tenant, account)
    billing.record_usage(tenant, account, [gpu("late", NOV + timedelta(days=3), 1), gpu("dec", DEC, 1)])
    billing.record_usage(tenant, account, [gpu("a", NOV, 2)])  # a duplicate after closing adds nothing
    assert billing.invoice(tenant, account, november.id) == november  # never changes
    clock.now = datetime(2027, 1, 1, 0, 5, tzinfo=UTC)
    (december,) = billing.close_periods(tenant, account)
    kinds = sorted((line.kind, line.period, line.amount) for line in december.lines)
    assert kinds == [("adjustment", "2026-11", 300), ("usage", "2026-12", 300)]
    assert december.number == 2 and november.subtotal == 600


def test_a_record_across_the_month_end_is_split() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=29))
    billing.record_usage(tenant, account, [gpu("x", DEC - timedelta(hours=1), 3)])
    clock.now = DEC + timedelta(hours=5)
    (november,) = billing.close_periods(tenant, account)
    assert november.subtotal == 300
    assert billing.draft_invoice(tenant, account).subtotal == 600
    ids = [record.id for record in billing.usage(tenant, account, NOV, DEC + timedelta(days=1), 10)]
    assert ids == ["x@2026-11", "x@2026-12"]


def test_two_closers_at_once_number_without_gaps() -> None:
    billing, clock, tenant, account = ledger(datetime(2026, 6, 3, tzinfo=UTC))
    for month in range(6, 11):
        billing.record_usage(tenant, account, [gpu(f"m{month}", datetime(2026, month, 2, tzinfo=UTC), month)])
    clock.now = NOV + timedelta(minutes=1)
    barrier = threading.Barrier(3)

    def close(_: int) -> list[int]:
        barrier.wait()
        return [invoice.number or 0 for invoice in billing.close_periods(tenant, account)]

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(close, range(3)))
    assert sorted(n for numbers in results for n in numbers) == [1, 2, 3, 4, 5]  # each closed once
    page = billing.invoices(tenant, account, 0, 10)
    assert page.total == 5 and [i.number for i in page.items] == [5, 4, 3, 2, 1]
    assert next(i.period for i in page.items) == "2026-10"
    assert [i.subtotal for i in page.items] == [3000, 2700, 2400, 2100, 1800]
    assert [i.number for i in billing.invoices(tenant, account, 1, 2).items] == [4, 3]


def test_a_period_closing_while_usage_arrives_loses_and_doubles_nothing() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=1))
    clock.now = DEC + timedelta(minutes=1)
    events = [gpu(f"r{n}", NOV + timedelta(hours=n), 1) for n in range(40)]

    def deliver(_: int) -> None:
        for event in events:  # three deliveries of every event, interleaved with the close
            billing.record_usage(tenant, account, [event])

    with ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(deliver, n) for n in range(3)] + [pool.submit(billing.close_periods, tenant, account)]
        for job in jobs:
            job.result()
    clock.now = datetime(2027, 1, 1, 0, 1, tzinfo=UTC)
    billing.close_periods(tenant, account)
    total = sum(billing.invoice(tenant, account, i.id).subtotal for i in billing.invoices(tenant, account, 0, 10).items)
    assert total == 40 * 300


def test_credits_are_drawn_down_across_two_invoices() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=1))
    assert billing.add_credits(tenant, account, 1000, reference="topup-1").balance == 1000
    assert billing.add_credits(tenant, account, 1000, reference="topup-1").balance == 1000  # same reference
    big = billing.open_account(tenant, owner_kind="team", owner_id="big", name="Big")
    assert billing.add_credits(tenant, big.id, 10**12).balance == 10**12  # beyond 32 bits
    assert billing.add_credits(tenant, big.id, 10**12).balance == 2 * 10**12
    billing.record_usage(tenant, account, [gpu("a", NOV, 2)])  # 600
    clock.now = DEC + timedelta(days=1)
    (first,) = billing.close_periods(tenant, account)
    assert (first.subtotal, first.credits_applied, first.total_due) == (600, 600, 0)
    assert billing.credits(tenant, account).balance == 400
    billing.record_usage(tenant, account, [gpu("b", DEC, 3)])  # 900
    assert billing.draft_invoice(tenant, account).credits_applied == 400
    clock.now = datetime(2027, 1, 2, tzinfo=UTC)
    (second,) = billing.close_periods(tenant, account)
    assert (second.subtotal, second.credits_applied, second.total_due) == (900, 400, 500)
    assert billing.credits(tenant, account).balance == 0


def test_an_order_cancelled_mid_period_is_prorated_and_tags_add_once() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=5))
    with pytest.raises(ValidationFailed):
        billing.create_order(tenant, account, OrderCreate(resource_id="rack-1", plan="gold"))
    order = billing.create_order(tenant, account, OrderCreate(resource_id="rack-1", plan="basic", tags=["a"]))
    assert billing.tag_order(tenant, account, order.id, ["b", "a"]).tags == ["a", "b"]
    clock.now = NOV + timedelta(days=20)
    ended = billing.delete_order(tenant, account, order.id)
    assert ended.ended_at == clock.now and billing.delete_order(tenant, account, order.id) == ended
    clock.now = DEC + timedelta(hours=1)
    (invoice,) = billing.close_periods(tenant, account)
    (line,) = invoice.lines
    assert line.kind == "order" and line.amount == 5_000  # 15 of 30 days of the 100.00 basic plan
    with pytest.raises(NotFound):
        billing.order(tenant, account, "ord_missing")


def test_a_rate_card_change_mid_period_is_priced_by_effective_date() -> None:
    billing, _clock, tenant, account = ledger(NOV + timedelta(days=1))
    billing.add_rate_card(tenant, RateCardBody(effective_from=NOV + timedelta(days=1), gpu_hour={"*": "100"}))
    billing.add_rate_card(tenant, RateCardBody(effective_from=NOV + timedelta(days=10), gpu_hour={"*": "200"}))
    with pytest.raises(ValidationFailed):
        billing.add_rate_card(tenant, RateCardBody(effective_from=NOV, gpu_hour={}))
    with pytest.raises(Conflict):
        billing.add_rate_card(tenant, RateCardBody(effective_from=NOV + timedelta(days=10), gpu_hour={}))
    billing.record_usage(tenant, account, [gpu("x", NOV + timedelta(days=10, hours=-1), 3, gpus=2)])
    amounts = sorted((line.rate, line.amount) for line in billing.draft_invoice(tenant, account).lines)
    assert amounts == [("100", 200), ("200", 800)]
    assert [card.version for card in billing.rate_cards(tenant)] == [1, 2]


def test_a_closed_account_takes_no_credits_or_orders_and_closes_its_last_period() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=1))
    billing.record_usage(tenant, account, [gpu("a", NOV, 1)])
    billing.close_account(tenant, account)
    with pytest.raises(Conflict):
        billing.add_credits(tenant, account, 5)
    clock.now = datetime(2027, 3, 1, tzinfo=UTC)
    assert [invoice.period for invoice in billing.close_periods(tenant, account)] == ["2026-11"]
    assert billing.close_periods(tenant, account) == []
    billing.record_usage(tenant, account, [gpu("after", NOV + timedelta(days=20), 1)])  # reported late
    (late,) = billing.close_periods(tenant, account)
    assert (late.period, late.number, late.subtotal) == ("2026-12", 2, 300)
    assert billing.close_periods(tenant, account) == []


usage_events = st.lists(
    st.tuples(st.integers(0, 59 * 24), st.integers(1, 96), st.integers(1, 4), st.sampled_from(["nvidia-a100", "x"])),
    min_size=1,
    max_size=25,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(usage_events, st.randoms(use_true_random=False), st.integers(0, 59))
def test_reconciliation_any_order_with_duplicates(
    stream: list[tuple[int, int, int, str]], rnd: random.Random, close_day: int
) -> None:
    """Closed invoices add up to the usage rated once, whatever the order, duplicates and close time."""
    billing, clock, tenant, account = ledger(datetime(2026, 10, 1, tzinfo=UTC))
    events = [
        gpu(f"ev{n}", datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=h), d / 4, g, lab)
        for n, (h, d, g, lab) in enumerate(stream)
    ]
    deliveries = events + [rnd.choice(events) for _ in range(len(events))]
    rnd.shuffle(deliveries)
    clock.now = datetime(2026, 10, 1, tzinfo=UTC) + timedelta(days=close_day)
    for record in deliveries:
        billing.record_usage(tenant, account, [record])
        if rnd.random() < 0.2:
            billing.close_periods(tenant, account)
    clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    billing.close_periods(tenant, account)
    invoices = [billing.invoice(tenant, account, i.id) for i in billing.invoices(tenant, account, 0, 100).items]
    assert sorted(i.number for i in invoices) == list(range(1, len(invoices) + 1))
    # Every event is stored once, cut at month ends...
    stored = billing.usage(tenant, account, datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC), 10_000)
    pieces = sorted((e.id, p) for e in events for p, _, _ in split(e.start, e.end))
    assert sorted(r.id.split("@")[0] for r in stored) == [event_id for event_id, _ in pieces]
    # ...and the invoices carry exactly its rated value: each invoice's records rated on their own.
    table = versions([], "USD")
    expected = 0
    for invoice in invoices:
        rating = InvoiceRating(invoice.period, table)
        for record in stored:
            if record.billed_period == invoice.period:
                rating.add_usage(record.kind, record.label, record.period, record.amount, record.start, record.end)
        assert [line.amount for line in rating.lines()] == [line.amount for line in invoice.lines]
        expected += sum(line.amount for line in rating.lines())
    assert expected == sum(invoice.subtotal for invoice in invoices)
    assert {record.billed_period for record in stored} <= {invoice.period for invoice in invoices}


def test_an_invoice_larger_than_one_table_property_closes_and_reads_back() -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=1))
    records = [gpu(f"l{n}", NOV + timedelta(hours=n), 1, label=f"gpu-model-{n:04d}") for n in range(220)]
    billing.record_usage(tenant, account, records)
    clock.now = DEC + timedelta(hours=1)
    (invoice,) = billing.close_periods(tenant, account)
    assert len(invoice.model_dump_json()) > 40_000 and len(invoice.lines) == 220  # one property holds 32K
    assert billing.invoice(tenant, account, invoice.id) == invoice
    assert invoice.subtotal == 220 * 250  # the built-in card's price for any other GPU model


def test_usage_window() -> None:
    billing, _clock, tenant, account = ledger(NOV + timedelta(days=1))
    billing.record_usage(tenant, account, [gpu(f"w{n}", NOV + timedelta(hours=2 * n), 1) for n in range(5)])
    found = billing.usage(tenant, account, NOV + timedelta(hours=2, minutes=30), NOV + timedelta(hours=6), 10)
    assert [record.id for record in found] == ["w1", "w2"]
    assert [r.id for r in billing.usage(tenant, account, NOV, NOV + timedelta(hours=5), 2)] == ["w0", "w1"]


def test_a_close_that_died_between_its_steps_is_finished_by_the_next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    billing, clock, tenant, account = ledger(NOV + timedelta(days=1))
    billing.record_usage(tenant, account, [gpu("a", NOV, 1)])
    clock.now = DEC + timedelta(hours=1)

    def die(row: object) -> None:
        raise RuntimeError("the instance stopped")

    monkeypatch.setattr(billing, "_finish", die)
    with pytest.raises(RuntimeError):
        billing.close_periods(tenant, account)
    assert billing.account(tenant, account).open_period == "2026-12"  # the first step is done
    billing.record_usage(tenant, account, [gpu("late", NOV + timedelta(days=2), 1)])  # so this is late
    monkeypatch.undo()
    (november,) = billing.close_periods(tenant, account)
    assert (november.number, november.subtotal) == (1, 300)
    assert billing.draft_invoice(tenant, account).lines[0].kind == "adjustment"


def test_concurrent_tags_are_all_kept() -> None:
    billing, _clock, tenant, account = ledger(NOV + timedelta(days=1))
    order = billing.create_order(tenant, account, OrderCreate(resource_id="rack-1", plan="basic"))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: billing.tag_order(tenant, account, order.id, [f"t{n}"]), range(8)))
    assert billing.order(tenant, account, order.id).tags == [f"t{n}" for n in range(8)]
