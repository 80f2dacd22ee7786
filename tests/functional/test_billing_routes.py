"""The billing routes through the real triggers and pipeline, on Azurite, with a settable clock."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared import clock as clock_module
from shared import deps
from shared.models.billing import UsageRecord
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

NOV = datetime(2026, 11, 1, tzinfo=UTC)


class Clock:
    now = NOV + timedelta(days=3)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(clock_module, "utc_now", fake)
    deps.reset()
    yield fake


def base(account_id: str) -> str:
    return f"/api/v1/billing/accounts/{account_id}"


def own_account(client: InProcessClient, tenant: dict[str, Any]) -> dict[str, Any]:
    reply = client.get("/api/v1/billing/accounts", headers=tenant["headers"])
    assert reply.status == 200, reply.body
    (account,) = [a for a in reply.json()["items"] if a["owner_kind"] == "tenant"]
    return account


def test_a_month_of_use_through_the_routes(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], clock: Clock, tmp_path: Path
) -> None:
    tenant = make_tenant()
    headers = tenant["headers"]
    account = own_account(client, tenant)
    assert account["currency"] == "USD" and account["open_period"] == "2026-11"
    assert own_account(client, tenant)["id"] == account["id"]  # opened once
    url = base(account["id"])

    deps.billing_service().meter(
        tenant["tenant"]["id"],
        [
            UsageRecord(
                id="pod-a",
                kind="gpu_hours",
                resource_id="p",
                label="nvidia-a100",
                amount=1,
                start=NOV,
                end=NOV + timedelta(hours=10),
            )
        ],
    )
    reply = client.post(f"{url}/credits", json={"amount": 1000, "reference": "r1"}, headers=headers)
    assert reply.status == 200 and reply.json()["balance"] == 1000
    assert (
        client.post(f"{url}/credits", json={"amount": 1000, "reference": "r1"}, headers=headers).json()["balance"]
        == 1000
    )
    assert client.post(f"{url}/credits", json={"amount": -5}, headers=headers).status == 422
    assert client.get(f"{url}/credits", headers=headers).json()["balance"] == 1000

    order = client.post(
        f"{url}/orders", json={"resource_id": "rack-7", "plan": "basic", "tags": ["gpu"]}, headers=headers
    )
    assert order.status == 201, order.body
    order_id = order.json()["id"]
    assert client.post(f"{url}/orders", json={"resource_id": "r", "plan": "nope"}, headers=headers).status == 422
    tagged = client.post(f"{url}/orders/{order_id}/tags", json={"tags": ["team-x"]}, headers=headers)
    assert tagged.json()["tags"] == ["gpu", "team-x"]
    assert [o["id"] for o in client.get(f"{url}/orders", headers=headers).json()["items"]] == [order_id]
    clock.now = NOV + timedelta(days=18)
    ended = client.delete(f"{url}/orders/{order_id}", headers=headers)
    assert ended.status == 200 and ended.json()["ended_at"] is not None
    assert client.get(f"{url}/orders/{order_id}", headers=headers).json()["ended_at"] == ended.json()["ended_at"]

    draft = client.get(f"{url}/invoices/draft", headers=headers).json()
    assert draft["status"] == "draft" and draft["subtotal"] == 3000 + 5000  # 10 A100-hours, 15 of 30 days of basic
    assert (draft["credits_applied"], draft["total_due"]) == (1000, 7000)

    usage = client.get(
        f"{url}/usage", params={"start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"}, headers=headers
    )
    assert [r["id"] for r in usage.json()["items"]] == ["pod-a"]
    assert client.get(f"{url}/usage", params={"start": "yesterday"}, headers=headers).status == 422

    assert client.post(f"{url}/invoices/close", json={}, headers=headers).status == 403  # admin only
    assert client.post(f"{url}/invoices/close", json={}, headers=ADMIN).json()["items"] == []  # nothing ended yet
    clock.now = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    closed = client.post(f"{url}/invoices/close", json={}, headers=ADMIN)
    assert closed.status == 200, closed.body
    (summary,) = closed.json()["items"]
    assert (summary["number"], summary["subtotal"], summary["credits_applied"], summary["total_due"]) == (
        1,
        8000,
        1000,
        7000,
    )

    page = client.get(f"{url}/invoices", params={"limit": "1"}, headers=headers).json()
    assert page["total"] == 1 and page["items"][0]["id"] == summary["id"]
    invoice = client.get(f"{url}/invoices/{summary['id']}", headers=headers).json()
    assert invoice["status"] == "closed" and invoice["currency"] == "USD" and invoice["period"] == "2026-11"
    assert client.get(f"{url}/invoices/inv_999999", headers=headers).status == 404

    pdf = client.get(f"{url}/invoices/{summary['id']}", params={"format": "pdf"}, headers=headers)
    assert pdf.status == 200 and pdf.header("content-type") == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    _assert_renders(pdf.body, tmp_path)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body, capture_output=True, check=True).stdout.decode()
    assert "Invoice 000001" in text and "70.00 USD" in text and "80.00 USD" in text
    draft_pdf = client.get(f"{url}/invoices/draft", params={"format": "pdf"}, headers=headers)
    assert draft_pdf.status == 200 and draft_pdf.header("content-type") == "application/pdf"
    assert draft_pdf.body.startswith(b"%PDF")


def _assert_renders(pdf: bytes, tmp_path: Path) -> None:
    """The first page as a grey image is not blank: some pixels are dark."""
    (tmp_path / "invoice.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-gray", str(tmp_path / "invoice.pdf"), str(tmp_path / "page")],
        check=True,
    )
    (image,) = tmp_path.glob("page*.pgm")
    data = image.read_bytes()
    header_end = data.index(b"255\n") + 4  # P5 width height 255
    pixels = data[header_end:]
    dark = sum(1 for value in pixels if value < 128)
    assert 50 < dark < len(pixels) // 2


def test_tenant_keys_reach_their_own_accounts_only(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], clock: Clock
) -> None:
    owner, stranger = make_tenant(), make_tenant()
    url = base(own_account(client, owner)["id"])
    order = client.post(f"{url}/orders", json={"resource_id": "r", "plan": "basic"}, headers=owner["headers"]).json()
    attempts = [
        ("GET", url, None),
        ("GET", f"{url}/invoices/draft", None),
        ("GET", f"{url}/invoices", None),
        ("GET", f"{url}/invoices/inv_000001", None),
        ("GET", f"{url}/usage?start=2026-01-01T00:00:00Z&end=2027-01-01T00:00:00Z", None),
        ("POST", f"{url}/credits", {"amount": 5}),
        ("GET", f"{url}/credits", None),
        ("POST", f"{url}/orders", {"resource_id": "r", "plan": "basic"}),
        ("GET", f"{url}/orders", None),
        ("GET", f"{url}/orders/{order['id']}", None),
        ("POST", f"{url}/orders/{order['id']}/tags", {"tags": ["x"]}),
        ("DELETE", f"{url}/orders/{order['id']}", None),
    ]
    for method, path, body in attempts:
        path, _, query = path.partition("?")
        params = dict(pair.split("=") for pair in query.split("&")) if query else None
        reply = client.request(method, path, json=body, headers=stranger["headers"], params=params)
        assert reply.status == 404, (method, path, reply.status)
        assert reply.json_or_none_code() == "BILLING_ACCOUNT_NOT_FOUND"
        assert client.request(method, path, json=body, params=params).status == 401
    assert client.get(f"{url}/credits", headers=owner["headers"]).json()["balance"] == 0
    assert client.get(f"{url}/orders/{order['id']}", headers=owner["headers"]).json()["ended_at"] is None
    assert client.get(url, headers=ADMIN).status == 200  # the admin reaches any account
    assert client.get(base("ba_nothing"), headers=ADMIN).status == 404


def test_rate_cards_are_set_by_the_admin_per_tenant(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], clock: Clock
) -> None:
    tenant = make_tenant()
    card = {"effective_from": "2026-11-10T00:00:00Z", "gpu_hour": {"*": "100"}, "plans": {"gold": 1}}
    tenant_id = tenant["tenant"]["id"]
    assert client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json=card, headers=tenant["headers"]).status == 403
    made = client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json=card, headers=ADMIN)
    assert made.status == 201 and made.json()["version"] == 1
    assert client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json=card, headers=ADMIN).status == 409
    bad = {**card, "vcpu_hour": "-1"}
    assert client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json=bad, headers=ADMIN).status == 422
    assert (
        client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json={**card, "plans": {"x": -1}}, headers=ADMIN).status
        == 422
    )
    past = {**card, "effective_from": "2026-01-01T00:00:00Z"}
    assert client.post(f"/api/v1/tenants/{tenant_id}/rate-cards", json=past, headers=ADMIN).status == 422
    assert client.post("/api/v1/tenants/nobody/rate-cards", json=card, headers=ADMIN).status == 404
    listed = client.get("/api/v1/billing/rate-cards", headers=tenant["headers"]).json()["items"]
    assert [(c["version"], c["gpu_hour"]) for c in listed] == [(1, {"*": "100"})]


def test_the_timer_closes_ended_periods(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], clock: Clock
) -> None:
    import function_app  # noqa: F401 - the timer is registered with the app
    from functions.billing import close_billing_periods

    tenant = make_tenant()
    account = own_account(client, tenant)
    clock.now = datetime(2027, 1, 1, 2, tzinfo=UTC)
    close_billing_periods(None)  # type: ignore[arg-type]
    page = client.get(f"{base(account['id'])}/invoices", headers=tenant["headers"]).json()
    assert [(i["number"], i["period"]) for i in page["items"]] == [(2, "2026-12"), (1, "2026-11")]
