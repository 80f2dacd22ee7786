"""Concertim's paths (``/api/concertim/``): the switch, its HS256 tokens and the error shape (the billing
paths' bodies: test_concertim_billing.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.concertim import BILLING, SECRET, assert_concertim_error, bearer, token, turn_on, unsigned
from tests.support.inprocess import InProcessClient


@pytest.fixture
def concertim(configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The surface on, acting for a fresh tenant."""
    return turn_on(configure, make_tenant)


def test_the_surface_is_off_while_the_secret_is_empty(
    client: InProcessClient, configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = make_tenant("Concertim")
    configure(CLOUDPLANE_CONCERTIM_JWT_SECRET="", CLOUDPLANE_CONCERTIM_TENANT=tenant["tenant"]["id"])
    unmatched = client.get("/api/no-such-surface")
    assert unmatched.status == 404
    for method, path in (("GET", "/api/concertim"), ("GET", "/api/concertim/"), ("POST", "/api/concertim/credits")):
        reply = client.request(method, path, json={}, headers=bearer(token()))
        assert reply.status == 404, (method, path, reply.body)
        assert reply.json_or_none_code() == "ROUTE_NOT_FOUND"
        assert set(reply.json()) == set(unmatched.json()), "indistinguishable from a path no route matches"
    # No 405 with Allow either: the path does not exist.
    reply = client.request("PUT", "/api/concertim/credits", json={}, headers=bearer(token()))
    assert reply.status == 404 and "allow" not in reply.headers
    document = client.get("/api/v1/openapi.json").json()
    assert not [path for path in document["paths"] if path.startswith("/api/concertim")]


def test_running_without_a_token(client: InProcessClient, concertim: dict[str, Any]) -> None:
    for path in ("/api/concertim", "/api/concertim/"):
        reply = client.get(path)
        assert reply.status == 200, reply.body
        assert reply.body == b"Running\n" and str(reply.header("Content-Type")).startswith("text/plain")


def test_a_real_hs256_token_reaches_the_operation(client: InProcessClient, concertim: dict[str, Any]) -> None:
    body = {"credits": {"billing_acct_id": "ba_missing", "amount": 5}}
    reply = client.post("/api/concertim/credits", json=body, headers=bearer(token()))
    body = assert_concertim_error(reply, 404, "BILLING_ACCOUNT_NOT_FOUND")
    assert body["details"] == {"account_id": "ba_missing"}
    # It spends the tenant's rate budget, as any of its requests does.
    assert reply.header("X-RateLimit-Limit") is not None


@pytest.mark.parametrize("path", BILLING)
def test_every_billing_path_is_served(client: InProcessClient, concertim: dict[str, Any], path: str) -> None:
    """No billing path answers 501 any more: an empty body is a 422 naming what is missing."""
    body = assert_concertim_error(client.post(f"/api/concertim/{path}", json={}, headers=bearer(token())), 422)
    assert body["error"] == "MISSING_REQUIRED_ARGUMENT" and body["details"]["missing"]


def test_billing_paths_still_want_the_token(client: InProcessClient, concertim: dict[str, Any]) -> None:
    assert_concertim_error(client.post("/api/concertim/create_order", json={}), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("wrong signature", lambda: token(secret=SECRET[::-1]), "INVALID_TOKEN"),
        ("expired", lambda: token(exp=int(time.time()) - 120), "TOKEN_EXPIRED"),
        ("no exp", lambda: token(exp=None), "INVALID_TOKEN"),
        ("alg none, unsigned", lambda: unsigned({"exp": int(time.time()) + 300}), "INVALID_TOKEN"),
        (
            "alg none, with the HS256 signature of another token",
            lambda: unsigned({"exp": int(time.time()) + 300}, signature=token().rsplit(".", 1)[1]),
            "INVALID_TOKEN",
        ),
        ("HS512 with the right secret", lambda: token(algorithm="HS512"), "INVALID_TOKEN"),
        ("garbage", lambda: "not-a-token", "INVALID_TOKEN"),
    ],
)
def test_refused_tokens(
    client: InProcessClient, concertim: dict[str, Any], name: str, make: Callable[[], str], code: str
) -> None:
    presented = make()
    reply = client.post("/api/concertim/credits", json={}, headers=bearer(presented))
    assert_concertim_error(reply, 401, code)
    assert reply.header("WWW-Authenticate"), name
    assert SECRET not in reply.body.decode() and presented not in reply.body.decode()


def test_an_api_key_is_not_a_concertim_token(client: InProcessClient, concertim: dict[str, Any]) -> None:
    assert_concertim_error(client.post("/api/concertim/credits", json={}, headers=concertim["headers"]), 401)
    reply = client.post("/api/concertim/credits", json={}, headers={"X-API-Key": concertim["key"]})
    assert_concertim_error(reply, 401)


def test_a_tenant_setting_naming_no_tenant_is_a_503(client: InProcessClient, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_CONCERTIM_JWT_SECRET=SECRET, CLOUDPLANE_CONCERTIM_TENANT="ten_missing")
    body = assert_concertim_error(client.post("/api/concertim/credits", json={}, headers=bearer(token())), 503)
    assert body["error"] == "CONCERTIM_TENANT_MISSING" and "CLOUDPLANE_CONCERTIM_TENANT" in body["message"]


def test_a_wrong_method_is_a_405_in_concertims_shape(client: InProcessClient, concertim: dict[str, Any]) -> None:
    reply = client.request("PUT", "/api/concertim/credits", json={}, headers=bearer(token()))
    assert_concertim_error(reply, 405, "METHOD_NOT_ALLOWED")
    assert reply.header("Allow") == "POST"


def test_the_document_shows_the_surface_while_it_is_on(client: InProcessClient, concertim: dict[str, Any]) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/concertim/credits"]["post"]
    assert operation["security"] == [{"concertimToken": []}]
    assert operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ConcertimError")
    assert "501" not in operation["responses"]
    assert document["paths"]["/api/concertim"]["get"]["security"] == []
