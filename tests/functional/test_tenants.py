"""Tenants and API keys: creation, listing, secrecy, scopes, revocation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, unique_slug
from tests.support.inprocess import InProcessClient


def test_create_tenant_returns_tenant_and_a_key_shown_once(client: InProcessClient) -> None:
    slug = unique_slug()
    reply = client.post("/api/v1/tenants", json={"name": "Acme GPU", "slug": slug}, headers=ADMIN)

    assert reply.status == 201
    body = reply.json()
    assert body["tenant"]["slug"] == slug and body["tenant"]["name"] == "Acme GPU"
    key = body["api_key"]["key"]
    assert re.fullmatch(r"cpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", key)
    assert body["api_key"]["prefix"] == key[:20]

    tenant_id = body["tenant"]["id"]
    assert client.get(f"/api/v1/tenants/{tenant_id}", headers=ADMIN).json() == body["tenant"]
    listing = client.get(f"/api/v1/tenants/{tenant_id}/api-keys", headers=ADMIN)
    assert listing.status == 200
    assert [k["id"] for k in listing.json()["items"]] == [body["api_key"]["id"]]
    assert key not in listing.body.decode()
    assert "key" not in listing.json()["items"][0]


def test_duplicate_slug_is_a_conflict(client: InProcessClient) -> None:
    slug = unique_slug()
    assert client.post("/api/v1/tenants", json={"name": "A", "slug": slug}, headers=ADMIN).status == 201
    reply = client.post("/api/v1/tenants", json={"name": "B", "slug": slug}, headers=ADMIN)
    assert reply.status == 409
    assert reply.json()["error"]["code"] == "SLUG_TAKEN"


def test_unknown_tenant_is_404(client: InProcessClient) -> None:
    reply = client.get("/api/v1/tenants/does-not-exist", headers=ADMIN)
    assert reply.status == 404
    assert reply.json()["error"]["code"] == "TENANT_NOT_FOUND"
    assert client.post("/api/v1/tenants/nope/api-keys", json={}, headers=ADMIN).status == 404


def test_tenant_listing_pages_with_an_opaque_cursor(client: InProcessClient) -> None:
    created = {
        client.post("/api/v1/tenants", json={"name": "P", "slug": unique_slug("page")}, headers=ADMIN).json()["tenant"][
            "id"
        ]
        for _ in range(3)
    }
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/tenants", headers=ADMIN, params=params).json()
        assert len(body["items"]) <= 2
        seen += [t["id"] for t in body["items"]]
        pages += 1
        if not body["has_more"]:
            assert body["next_cursor"] is None
            break
        cursor = body["next_cursor"]
    assert created <= set(seen)
    assert len(seen) == len(set(seen)), "a tenant appeared on two pages"
    assert pages >= 2


def test_bad_cursor_and_bad_limit(client: InProcessClient) -> None:
    reply = client.get("/api/v1/tenants", headers=ADMIN, params={"cursor": "not-a-cursor!"})
    assert reply.status == 400 and reply.json()["error"]["code"] == "INVALID_CURSOR"
    reply = client.get("/api/v1/tenants", headers=ADMIN, params={"limit": "0"})
    assert reply.status == 422
    assert reply.json()["error"]["details"]["fields"][0]["path"] == "query.limit"


def test_me_with_bearer_and_x_api_key(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = make_tenant("Me Inc")
    for headers in (tenant["headers"], {"X-API-Key": tenant["key"]}):
        reply = client.get("/api/v1/me", headers=headers)
        assert reply.status == 200
        assert reply.json() == {
            "tenant": tenant["tenant"],
            "key_id": tenant["key_id"],
            "scopes": ["read", "write"],
            "admin": False,
        }
    admin = client.get("/api/v1/me", headers=ADMIN).json()
    assert admin["admin"] is True and admin["tenant"] is None


def test_missing_bad_and_misused_keys(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = make_tenant()
    no_key = client.get("/api/v1/me")
    assert no_key.status == 401 and no_key.json()["error"]["code"] == "UNAUTHORIZED"
    assert no_key.header("WWW-Authenticate") == 'Bearer realm="cloudplane"'
    tampered = tenant["key"][:-4] + ("AAAA" if not tenant["key"].endswith("AAAA") else "BBBB")
    for key in ("garbage", tampered, "cpk_0000000000000000_" + "A" * 43):
        reply = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert reply.status == 401, key
        assert reply.json()["error"]["code"] == "INVALID_API_KEY"
    forbidden = client.get("/api/v1/tenants", headers=tenant["headers"])
    assert forbidden.status == 403 and forbidden.json()["error"]["code"] == "ADMIN_KEY_REQUIRED"


def test_read_only_key_cannot_write(client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = make_tenant()
    reply = client.post(
        f"/api/v1/tenants/{tenant['tenant']['id']}/api-keys", json={"name": "viewer", "scopes": ["read"]}, headers=ADMIN
    )
    assert reply.status == 201
    assert reply.json()["scopes"] == ["read"]
    viewer = {"X-API-Key": reply.json()["key"]}
    assert client.get("/api/v1/me", headers=viewer).json()["scopes"] == ["read"]
    assert client.get("/api/v1/templates", headers=viewer).status == 200

    # Real tenant write routes, refused before they run: nothing is created, changed or deleted.
    refused = client.post("/api/v1/templates", json={"name": "viewer-made", "image": "busybox"}, headers=viewer)
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "SCOPE_MISSING"
    assert refused.json()["error"]["details"]["scope"] == "write"
    made = client.post("/api/v1/templates", json={"name": "writer-made", "image": "busybox"}, headers=tenant["headers"])
    assert made.status == 201
    template_path = f"/api/v1/templates/{made.json()['id']}"
    deleted = client.delete(template_path, headers=viewer)
    assert deleted.status == 403 and deleted.json()["error"]["code"] == "SCOPE_MISSING"
    replaced = client.request("PUT", template_path, json={"name": "renamed", "image": "busybox"}, headers=viewer)
    assert replaced.status == 403 and replaced.json()["error"]["code"] == "SCOPE_MISSING"

    listed = client.get("/api/v1/templates", headers=tenant["headers"]).json()["items"]
    assert [t["name"] for t in listed if not t["builtin"]] == ["writer-made"]


def test_revoked_key_is_refused_at_once_on_the_revoking_instance(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = make_tenant()
    assert client.get("/api/v1/me", headers=tenant["headers"]).status == 200
    path = f"/api/v1/tenants/{tenant['tenant']['id']}/api-keys/{tenant['key_id']}"
    reply = client.delete(path, headers=ADMIN)
    assert reply.status == 204 and reply.body == b""
    assert client.get("/api/v1/me", headers=tenant["headers"]).status == 401
    listed = client.get(f"/api/v1/tenants/{tenant['tenant']['id']}/api-keys", headers=ADMIN).json()["items"]
    assert listed[0]["revoked_at"] is not None
    assert client.delete(path.replace(tenant["key_id"], "0" * 16), headers=ADMIN).status == 404


def test_revocation_reaches_another_instance_within_five_seconds(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    """A second authenticator (another instance's cache) stops accepting the key once its cache
    lifetime has passed, and that lifetime is at most five seconds. The instance's clock is
    stepped by hand, so a slow machine cannot make the test flake."""
    from shared import deps
    from shared.api.auth import Authenticator
    from shared.api.router import Auth
    from shared.config import get_settings
    from shared.errors import Unauthorized

    settings = get_settings()
    assert 0 < settings.auth_cache_seconds <= 5.0
    clock = [1000.0]
    tenant = make_tenant()
    other = Authenticator(settings, deps.api_keys(), clock=lambda: clock[0])
    headers = {"authorization": tenant["headers"]["Authorization"]}
    assert other.authenticate(Auth.TENANT, "GET", headers) is not None  # now cached there
    revoked = client.delete(f"/api/v1/tenants/{tenant['tenant']['id']}/api-keys/{tenant['key_id']}", headers=ADMIN)
    assert revoked.status == 204
    clock[0] = 1000.0 + settings.auth_cache_seconds - 0.01
    assert other.authenticate(Auth.TENANT, "GET", headers) is not None, "the cache is what bounds the delay"
    clock[0] = 1000.0 + settings.auth_cache_seconds
    with pytest.raises(Unauthorized) as refused:
        other.authenticate(Auth.TENANT, "GET", headers)
    assert refused.value.code == "INVALID_API_KEY"
