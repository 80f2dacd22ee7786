"""Seed 004's billing bodies over the billing service (the shapes Concertim sends and expects)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared import deps
from shared.billing.builtin import BuiltinBilling
from shared.errors import NotFound, ValidationFailed
from shared.models.billing import UsageRecord
from shared.services.billing import BillingService
from shared.services.billing_concertim import ConcertimBilling

NOV = datetime(2026, 11, 1, tzinfo=UTC)


class Clock:
    now = NOV + timedelta(days=2)

    def __call__(self) -> datetime:
        return self.now


def test_the_concertim_billing_bodies() -> None:
    clock = Clock()
    builtin = BuiltinBilling(deps.billing_repository(), clock)
    concertim = ConcertimBilling(BillingService(lambda _: builtin, builtin))
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    team = builtin.open_account(tenant, owner_kind="team", owner_id="proj-1", name="Team")
    builtin.record_usage(
        tenant,
        team.id,
        [
            UsageRecord(
                id="u",
                kind="flavor_hours",
                resource_id="vm",
                label="m1",
                amount=1,
                start=NOV,
                end=NOV + timedelta(hours=4),
            )
        ],
    )

    added = concertim.add_credits(tenant, {"credits": {"billing_acct_id": team.id, "amount": 0.15}})
    assert added == {"success": True, "credits": 0.15}
    assert concertim.get_credits(tenant, {"credits": {"billing_acct_id": team.id}}) == {
        "success": True,
        "credits": 0.15,
    }
    with pytest.raises(ValidationFailed):
        concertim.add_credits(tenant, {"credits": {"billing_acct_id": team.id, "amount": 0.001}})  # below a cent
    with pytest.raises(ValidationFailed):
        concertim.get_draft_invoice(tenant, {"invoice": {}})

    draft = concertim.get_draft_invoice(tenant, {"invoice": {"billing_acct_id": team.id}})
    assert draft["success"] and draft["draft_invoice"]["subtotal"] == 20  # 4 flavor-hours at 5 cents
    assert draft["draft_invoice"]["credits_applied"] == 15

    order = concertim.create_order(tenant, {"order": {"billing_acct_id": team.id, "cluster_id": "rack-1"}})
    assert order["success"] and order["order"]["resource_id"] == "rack-1" and order["order"]["plan"] == "standard"
    tagged = concertim.add_order_tag(
        tenant, {"tag": {"order_id": order["order_id"], "tag_name": "env", "tag_value": "prod"}}
    )
    assert tagged["tag"]["tag_name"] == "env"
    assert builtin.order(tenant, team.id, order["order_id"]).tags == ["env:prod"]
    clock.now = NOV + timedelta(days=17)
    deleted = concertim.delete_order(tenant, {"order": {"order_id": order["order_id"]}})
    assert deleted["order"]["ended_at"] is not None
    with pytest.raises(NotFound):
        concertim.delete_order(tenant, {"order": {"order_id": "ord_missing"}})

    clock.now = NOV + timedelta(days=31)
    builtin.close_periods(tenant, team.id)
    page = concertim.list_paginated_invoices(
        tenant, {"invoices": {"billing_acct_id": team.id, "offset": 0, "limit": 5}}
    )
    assert page["success"] and page["total_invoices"] == 1
    (invoice,) = page["invoices"]
    assert invoice["subtotal"] == 20 + 25_000  # 15 of 30 days of the 500.00 standard plan
    one = concertim.get_account_invoice(tenant, {"invoice": {"billing_acct_id": team.id, "invoice_id": invoice["id"]}})
    assert one == {"success": True, "invoice": invoice}
    with pytest.raises(NotFound):
        concertim.get_draft_invoice(f"t-{uuid.uuid4().hex[:8]}", {"invoice": {"billing_acct_id": team.id}})
