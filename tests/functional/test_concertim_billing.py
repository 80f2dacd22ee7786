"""Concertim's billing paths (seed 004's bodies) through the real triggers and pipeline, on Azurite.

The accounts are the configured Concertim tenant's: a team's, opened by ``POST /api/concertim/team``
against a real Keystone, or opened through the billing service where only billing is under test.
What a route did is read back through the billing service (v1's view), not from the route's answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared import clock as clock_module
from shared import deps
from shared.models.billing import OrderCreate
from tests.support.concertim import BILLING, assert_concertim_error, bearer, token, turn_on
from tests.support.inprocess import InProcessClient, Reply
from tests.support.openstack import Keystone

NOV = datetime(2026, 11, 1, tzinfo=UTC)


class Clock:
    now = NOV + timedelta(days=2)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(clock_module, "utc_now", fake)
    deps.reset()
    yield fake


@pytest.fixture
def concertim(configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return turn_on(configure, make_tenant)


def call(client: InProcessClient, path: str, body: Any) -> Reply:
    return client.post(f"/api/concertim/{path}", json=body, headers=bearer(token()))


def ok(reply: Reply, status: int = 200) -> dict[str, Any]:
    assert reply.status == status, reply.body
    body = dict(reply.json())
    assert body["success"] is True
    return body


def open_team_account(tenant_id: str, project: str = "proj-1") -> str:
    """A team's account of the tenant, as ``POST /team`` opens one (without a cloud)."""
    account = deps.builtin_billing().open_account(tenant_id, owner_kind="team", owner_id=project, name=f"CM_{project}")
    return account.id


def test_credits_are_added_and_read_in_major_units(
    client: InProcessClient, concertim: dict[str, Any], clock: Clock
) -> None:
    tenant_id = concertim["tenant"]["id"]
    account = open_team_account(tenant_id)
    added = ok(call(client, "credits", {"credits": {"billing_acct_id": account, "amount": 12.5}}))
    assert added == {"success": True, "credits": 12.5}
    again = ok(call(client, "credits", {"credits": {"billing_acct_id": account, "amount": "0.25"}}))
    assert again["credits"] == 12.75
    assert deps.billing_service().credits(tenant_id, account).balance == 1275  # stored in cents
    assert ok(call(client, "get_credits", {"credits": {"billing_acct_id": account}})) == {
        "success": True,
        "credits": 12.75,
    }
    flat = ok(call(client, "get_credits", {"billing_acct_id": account}))  # a key at any depth, as Concertim's
    assert flat["credits"] == 12.75
    for amount in (0, -1, "abc", 0.001, 1e400):
        reply = call(client, "credits", {"credits": {"billing_acct_id": account, "amount": amount}})
        assert_concertim_error(reply, 422)
    assert deps.billing_service().credits(tenant_id, account).balance == 1275


def test_an_order_is_created_tagged_and_ended(client: InProcessClient, concertim: dict[str, Any], clock: Clock) -> None:
    tenant_id = concertim["tenant"]["id"]
    account = open_team_account(tenant_id)
    made = ok(call(client, "create_order", {"order": {"billing_acct_id": account, "cluster_id": "rack-1"}}), status=201)
    order_id = made["order_id"]
    assert made["order"]["resource_id"] == "rack-1" and made["order"]["plan"] == "standard"
    stored = deps.billing_service().order(tenant_id, account, order_id)
    assert stored.ended_at is None and stored.resource_id == "rack-1"

    tag = {"tag": {"order_id": order_id, "tag_name": "env", "tag_value": "prod"}}  # no account: found by the order
    assert ok(call(client, "add_order_tag", tag))["tag"] == {
        "order_id": order_id,
        "tag_name": "env",
        "tag_value": "prod",
    }
    assert deps.billing_service().order(tenant_id, account, order_id).tags == ["env:prod"]
    bad_tag = {"tag": {"order_id": order_id, "tag_name": "env", "tag_value": "no spaces"}}
    assert_concertim_error(call(client, "add_order_tag", bad_tag), 422)

    clock.now = NOV + timedelta(days=17)
    ended = ok(call(client, "delete_order", {"order": {"order_id": order_id}}))
    assert ended["order"]["id"] == order_id and ended["order"]["ended_at"] is not None
    assert deps.billing_service().order(tenant_id, account, order_id).ended_at is not None
    missing = assert_concertim_error(call(client, "delete_order", {"order": {"order_id": "ord_missing"}}), 404)
    assert missing["error"] == "ORDER_NOT_FOUND"

    clock.now = NOV + timedelta(days=31)
    deps.builtin_billing().close_periods(tenant_id, account)
    page = ok(call(client, "list_paginated_invoices", {"invoices": {"billing_acct_id": account, "limit": 5}}))
    assert page["total_invoices"] == 1
    (invoice,) = page["invoices"]
    assert invoice["account_id"] == account and invoice["status"] != "draft"
    assert invoice["subtotal"] == 25_000  # 15 of 30 days of the 500.00 standard plan, in cents
    one = ok(
        call(client, "get_account_invoice", {"invoice": {"billing_acct_id": account, "invoice_id": invoice["id"]}})
    )
    assert one == {"success": True, "invoice": invoice}
    beyond = ok(call(client, "list_paginated_invoices", {"invoices": {"billing_acct_id": account, "offset": 1}}))
    assert beyond["total_invoices"] == 1 and beyond["invoices"] == []
    for page_args in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}):
        reply = call(client, "list_paginated_invoices", {"invoices": {"billing_acct_id": account, **page_args}})
        assert_concertim_error(reply, 422)


@pytest.mark.parametrize("path", BILLING)
def test_another_tenants_account_is_a_404(
    client: InProcessClient,
    concertim: dict[str, Any],
    make_tenant: Callable[..., dict[str, Any]],
    clock: Clock,
    path: str,
) -> None:
    other = make_tenant("Other")["tenant"]["id"]
    theirs = open_team_account(other)
    order_id = deps.billing_service().create_order(other, theirs, OrderCreate(resource_id="rack-9", plan="standard")).id
    fields = {
        "billing_acct_id": theirs,
        "invoice_id": "inv_x",
        "amount": 5,
        "order_id": order_id,
        "tag_name": "a",
        "tag_value": "b",
        "cluster_id": "rack-1",
    }
    body = assert_concertim_error(call(client, path, {"x": fields}), 404)
    assert body["error"] in ("BILLING_ACCOUNT_NOT_FOUND", "ORDER_NOT_FOUND")
    assert deps.billing_service().credits(other, theirs).balance == 0
    assert [o.id for o in deps.billing_service().orders(other, theirs)] == [order_id]
    assert deps.billing_service().order(other, theirs, order_id).ended_at is None
    assert deps.billing_service().order(other, theirs, order_id).tags == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "MISSING_REQUIRED_ARGUMENT"),
        ({"invoice": {}}, "MISSING_REQUIRED_ARGUMENT"),
        ({"invoice": {"billing_acct_id": {"nested": 1}}}, None),
        ({"billing_acct_id": ["a"]}, "BAD_ARGUMENT"),
        ({"billing_acct_id": "a/../b"}, "BAD_ARGUMENT"),
        ({"billing_acct_id": "x" * 300}, "BAD_ARGUMENT"),
        ({"billing_acct_id": True}, "BAD_ARGUMENT"),
    ],
)
def test_bad_bodies_are_clear_422s(
    client: InProcessClient, concertim: dict[str, Any], body: dict[str, Any], code: str | None
) -> None:
    reply = assert_concertim_error(call(client, "get_draft_invoice", body), 422)
    if code is not None:
        assert reply["error"] == code


def test_billing_paths_want_the_token(client: InProcessClient, concertim: dict[str, Any]) -> None:
    for path in BILLING:
        assert_concertim_error(client.post(f"/api/concertim/{path}", json={}), 401, "UNAUTHORIZED")


def test_a_teams_draft_invoice(
    client: InProcessClient,
    cluster_settings: None,
    configure: Callable[..., None],
    make_tenant: Callable[..., dict[str, Any]],
    keystone: Keystone,
) -> None:
    """The account ``POST /team`` opens is the one the billing paths answer for."""
    tenant = turn_on(configure, make_tenant, CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true")
    env = keystone.admin_auth()
    name = f"bill{uuid.uuid4().hex[:8]}"
    made = ok(call(client, "team", {"cloud_env": env, "name": name}), status=201)
    account = made["billing_acct_id"]
    try:
        draft = ok(call(client, "get_draft_invoice", {"invoice": {"billing_acct_id": account}}))["draft_invoice"]
        assert draft["account_id"] == account and draft["status"] == "draft" and draft["number"] is None
        stored = deps.billing_service().account(tenant["tenant"]["id"], account)
        assert stored.owner_kind == "team" and stored.owner_id == made["project_id"]
        assert ok(call(client, "get_credits", {"credits": {"billing_acct_id": account}}))["credits"] == 0
    finally:
        reply = client.request(
            "DELETE",
            "/api/concertim/team",
            json={"cloud_env": env, "team_info": {"project_id": made["project_id"], "billing_acct_id": account}},
            headers=bearer(token()),
        )
        assert reply.status == 200, reply.body
