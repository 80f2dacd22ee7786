"""Billing accounts through the provider seam, on Azurite: opening is idempotent on the owner."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import deps
from shared.errors import NotFound


def test_opening_twice_for_one_owner_gives_one_account() -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    billing = deps.billing_provider(tenant)
    first = billing.open_account(tenant, owner_kind="team", owner_id="proj-1", name="Team one")
    again = billing.open_account(tenant, owner_kind="team", owner_id="proj-1", name="Team one (retry)")
    assert again == first
    assert first.status == "open" and first.currency == "USD" and first.credit_balance == 0
    other = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name="Tenant", currency="eur")
    assert other.id != first.id and other.currency == "EUR"
    assert {account.id for account in billing.accounts(tenant)} == {first.id, other.id}


def test_concurrent_opens_agree() -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    billing = deps.billing_provider(tenant)
    with ThreadPoolExecutor(4) as pool:
        opened = list(
            pool.map(lambda _: billing.open_account(tenant, owner_kind="team", owner_id="p", name="P"), range(4))
        )
    assert len({account.id for account in opened}) == 1
    assert len(billing.accounts(tenant)) == 1


def test_close_is_idempotent_and_scoped_to_the_tenant() -> None:
    tenant, stranger = f"t-{uuid.uuid4().hex[:8]}", f"t-{uuid.uuid4().hex[:8]}"
    billing = deps.billing_provider(tenant)
    account = billing.open_account(tenant, owner_kind="team", owner_id="p", name="P")
    assert billing.close_account(stranger, account.id) is None
    assert billing.account(tenant, account.id).status == "open"
    closed = billing.close_account(tenant, account.id)
    assert closed is not None and closed.status == "closed" and closed.closed_at is not None
    assert billing.close_account(tenant, account.id) == closed
    assert billing.close_account(tenant, "ba_missing") is None
    with pytest.raises(NotFound):
        billing.account(stranger, account.id)


def test_the_provider_is_chosen_per_tenant_by_a_setting(configure) -> None:  # type: ignore[no-untyped-def]
    from shared.errors import ServiceUnavailable

    configure(CLOUDPLANE_BILLING_PROVIDERS="t-ext=killbill")
    assert deps.billing_provider("t-other").name == "builtin"
    with pytest.raises(ServiceUnavailable):
        deps.billing_provider("t-ext")
