"""Tenants and API keys: creation, listing, secrecy, scopes, revocation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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
    assert no_key.header("WWW-Authenticate") is not None
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
    # No tenant route writes yet in this release: check the rule where every route meets it.
    from shared import deps
    from shared.api.errors import Forbidden
    from shared.api.router import Auth

    headers = {"x-api-key": viewer["X-API-Key"]}
    assert deps.authenticator().authenticate(Auth.TENANT, "GET", headers) is not None
    try:
        deps.authenticator().authenticate(Auth.TENANT, "POST", headers)
    except Forbidden as error:
        assert error.code == "SCOPE_MISSING"
    else:
        raise AssertionError("a read-only key was allowed to write")


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
    """A second authenticator (another instance's cache) stops accepting the key within its cache lifetime."""
    import time

    from shared import deps
    from shared.api.auth import Authenticator
    from shared.api.router import Auth
    from shared.config import get_settings

    tenant = make_tenant()
    other = Authenticator(get_settings(), deps.api_keys())
    headers = {"authorization": tenant["headers"]["Authorization"]}
    assert other.authenticate(Auth.TENANT, "GET", headers) is not None  # now cached there
    client.delete(f"/api/v1/tenants/{tenant['tenant']['id']}/api-keys/{tenant['key_id']}", headers=ADMIN)
    revoked_at = time.monotonic()
    while True:
        try:
            other.authenticate(Auth.TENANT, "GET", headers)
        except Exception as error:
            assert type(error).__name__ == "Unauthorized"
            break
        assert time.monotonic() - revoked_at < 5.0
        time.sleep(0.2)
