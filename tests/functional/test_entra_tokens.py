"""Microsoft identity platform (Entra ID) access tokens beside API keys, against a local identity
platform (tests/support/entra.py) that serves its OpenID configuration and JWKS over HTTP."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from shared import deps
from shared.api.entra import EntraTokens
from shared.config import get_settings
from shared.errors import ServiceUnavailable, Unauthorized
from tests.functional.conftest import ADMIN
from tests.support.entra import (
    APP_URI,
    CLIENT_ID,
    FakeIdentityPlatform,
    SigningKey,
    hs256_with_public_key,
    unsigned_token,
)
from tests.support.inprocess import InProcessClient, Reply

Tenant = dict[str, Any]
GROUP = "5f1c7a4e-3b1d-4e55-9a0e-0c2b7d9e8f01"


@pytest.fixture
def platform(configure: Callable[..., None]) -> Iterator[FakeIdentityPlatform]:
    fake = FakeIdentityPlatform(tenant=str(uuid.uuid4())).start()  # mappings of other tests stay apart
    configure(
        CLOUDPLANE_ENTRA_AUTHORITY=fake.authority,
        CLOUDPLANE_ENTRA_AUDIENCES=f"{CLIENT_ID},{APP_URI}",
        CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true",  # the stand-in listens on loopback
        CLOUDPLANE_ENTRA_TIMEOUT_SECONDS="1",
    )
    yield fake
    fake.stop()
    assert fake.unexpected == [], "the app asked the identity platform for something else"


def map_identity(client: InProcessClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"entra_tenant_id": fields.pop("entra_tenant_id", None), "tenant_id": tenant["tenant"]["id"], **fields}
    reply = client.post("/api/v1/identity-mappings", json=body, headers=ADMIN)
    assert reply.status == 201, reply.body
    result: dict[str, Any] = reply.json()
    return result


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refused(reply: Reply, status: int, code: str) -> dict[str, Any]:
    assert reply.status == status, reply.body
    error: dict[str, Any] = reply.json()["error"]
    assert error["code"] == code, error
    return error


@pytest.fixture
def mapped(client: InProcessClient, make_tenant: Callable[..., Tenant], platform: FakeIdentityPlatform) -> Tenant:
    tenant = make_tenant()
    map_identity(client, tenant, entra_tenant_id=platform.tenant)
    return tenant


def test_a_valid_token_acts_for_the_mapped_tenant_on_the_seed_paths(
    client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform
) -> None:
    token = platform.token()
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status == 200, me.body
    assert me.json()["tenant"]["id"] == mapped["tenant"]["id"]
    listed = client.get("/api/jobs", headers=bearer(token))
    assert listed.status == 200, listed.body
    assert client.get("/api/jobs", headers=bearer(platform.token(aud=CLIENT_ID))).status == 200, "the client id too"
    upload = client.post(
        "/api/v1/datasets",
        body=b"id,question,response,expected\n1,q,a,a\n",
        headers={**bearer(token), "Content-Type": "text/csv"},
        params={"filename": "tokens.csv"},
    )
    assert upload.status == 201, upload.body
    job = client.post(
        "/api/jobs",
        json={
            "type": "bulk_evaluation",
            "name": "t",
            "configuration": {"data_source": "tokens.csv", "prompt_template": "{question}"},
        },
        headers=bearer(token),
    )
    assert job.status == 202, job.body
    assert job.json()["tenant_id"] == mapped["tenant"]["id"]
    assert client.get("/api/v1/me", headers=mapped["headers"]).status == 200, "API keys keep working"
    assert platform.jwks_fetches() == 1, "the key set is cached"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": -3600}, "expired"),
        ({"nbf": 3600}, "not_yet_valid"),
        ({"aud": "api://another-app"}, "audience"),
        ({"iss": "https://login.microsoftonline.com/another/v2.0"}, "issuer"),
        ({"iss": "https://sts.windows.net/{tid}/"}, "issuer"),  # a v1 token: the app must ask for v2
        ({"exp": None}, "malformed"),
    ],
)
def test_claims_that_fail_are_401(
    client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform, overrides: dict[str, Any], reason: str
) -> None:
    now = int(time.time())
    claims = {
        key: now + value if key in ("exp", "nbf") and value is not None else value for key, value in overrides.items()
    }
    if "iss" in claims:
        claims["iss"] = claims["iss"].replace("{tid}", platform.tenant)
    reply = client.get("/api/jobs", headers=bearer(platform.token(**claims)))
    error = refused(reply, 401, "UNAUTHORIZED")
    assert error["details"]["code"] == "INVALID_TOKEN" and error["details"]["reason"] == reason
    v1 = client.get("/api/v1/me", headers=bearer(platform.token(**claims)))
    assert refused(v1, 401, "INVALID_TOKEN")["details"] == {"reason": reason}
    assert v1.header("WWW-Authenticate") is not None


def test_small_clock_skew_is_allowed(client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform) -> None:
    now = int(time.time())
    assert client.get("/api/v1/me", headers=bearer(platform.token(exp=now - 20))).status == 200
    assert client.get("/api/v1/me", headers=bearer(platform.token(nbf=now + 20))).status == 200
    assert client.get("/api/v1/me", headers=bearer(platform.token(exp=now - 90))).status == 401, "past the 60 s leeway"


def test_forged_tokens_are_401(client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform) -> None:
    served = platform.keys[0]
    other = SigningKey.generate(kid=served.kid)  # another key under the served key's id
    cases = {
        "signature": platform.token(key=other),
        "algorithm": unsigned_token(platform.claims(), served.kid),
        "algorithm ": hs256_with_public_key(platform.claims(), served),
        "unknown_key": platform.token(key=SigningKey.generate()),
    }
    for reason, token in cases.items():
        reply = client.get("/api/v1/me", headers=bearer(token))
        assert refused(reply, 401, "INVALID_TOKEN")["details"] == {"reason": reason.strip()}, reason
    assert client.get("/api/v1/me", headers=bearer(platform.token())).status == 200, "the real key still works"


def test_a_valid_token_without_a_mapping_is_403(
    client: InProcessClient, make_tenant: Callable[..., Tenant], platform: FakeIdentityPlatform
) -> None:
    reply = client.get("/api/jobs", headers=bearer(platform.token()))
    assert refused(reply, 403, "FORBIDDEN")["details"]["code"] == "IDENTITY_NOT_MAPPED"
    other = "11111111-2222-3333-4444-555555555555"
    other_tid = platform.token(tid=other)  # the authority's issuer, another tenant's tid
    assert refused(client.get("/api/v1/me", headers=bearer(other_tid)), 401, "INVALID_TOKEN")["details"] == {
        "reason": "tenant"
    }
    other_tenant = platform.token(tid=other, iss=f"https://login.microsoftonline.com/{other}/v2.0")
    assert refused(client.get("/api/v1/me", headers=bearer(other_tenant)), 401, "INVALID_TOKEN")["details"] == {
        "reason": "tenant"
    }


def test_app_roles_map_to_scopes(client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform) -> None:
    reader = platform.token(scp=None, roles=["Cloudplane.Read"])
    assert client.get("/api/jobs", headers=bearer(reader)).status == 200
    write = client.post("/api/jobs", json={"type": "x", "name": "x"}, headers=bearer(reader))
    assert refused(write, 403, "FORBIDDEN")["details"]["code"] == "SCOPE_MISSING"
    writer = platform.token(scp=None, roles=["Cloudplane.Write"])
    refused(client.get("/api/v1/me", headers=bearer(writer)), 403, "SCOPE_MISSING")
    unknown_type = client.post("/api/v1/jobs", json={"type": "x", "name": "x"}, headers=bearer(writer))
    assert refused(unknown_type, 400, "UNKNOWN_JOB_TYPE"), "write passes authentication"
    neither = platform.token(scp="User.Read", roles=["Other.Role"])
    refused(client.get("/api/v1/me", headers=bearer(neither)), 403, "TOKEN_SCOPE_MISSING")


def test_a_group_or_role_mapping_wins_over_the_tenant_wide_one(
    client: InProcessClient, make_tenant: Callable[..., Tenant], platform: FakeIdentityPlatform
) -> None:
    wide, grouped, by_role = make_tenant(), make_tenant(), make_tenant()
    map_identity(client, wide, entra_tenant_id=platform.tenant)
    map_identity(client, grouped, entra_tenant_id=platform.tenant.upper(), group_id=GROUP.upper(), scopes=["read"])
    map_identity(client, by_role, entra_tenant_id=platform.tenant, app_role="Cloudplane.Write")

    def tenant_of(token: str) -> str:
        reply = client.get("/api/v1/me", headers=bearer(token))
        assert reply.status == 200, reply.body
        return str(reply.json()["tenant"]["id"])

    assert tenant_of(platform.token()) == wide["tenant"]["id"]
    in_group = platform.token(groups=[GROUP])
    assert tenant_of(in_group) == grouped["tenant"]["id"]
    assert client.post("/api/v1/jobs", json={}, headers=bearer(in_group)).json()["error"]["code"] == "SCOPE_MISSING"
    both = platform.token(groups=[GROUP], roles=["Cloudplane.Write", "Cloudplane.Read"])
    assert refused(client.get("/api/v1/me", headers=bearer(both)), 403, "IDENTITY_MAPPING_AMBIGUOUS")


def test_mappings_are_managed_with_the_admin_key(
    client: InProcessClient, mapped: Tenant, make_tenant: Callable[..., Tenant], platform: FakeIdentityPlatform
) -> None:
    listed = client.get("/api/v1/identity-mappings", headers=ADMIN, params={"limit": "100"}).json()["items"]
    mine = [m for m in listed if m["tenant_id"] == mapped["tenant"]["id"]]
    assert len(mine) == 1 and mine[0]["entra_tenant_id"] == platform.tenant and mine[0]["scopes"] == ["read", "write"]
    again = client.post(
        "/api/v1/identity-mappings",
        json={"entra_tenant_id": platform.tenant, "tenant_id": make_tenant()["tenant"]["id"]},
        headers=ADMIN,
    )
    refused(again, 409, "IDENTITY_MAPPING_EXISTS")
    nobody = client.post(
        "/api/v1/identity-mappings", json={"entra_tenant_id": platform.tenant, "tenant_id": "nobody"}, headers=ADMIN
    )
    refused(nobody, 422, "TENANT_NOT_FOUND")
    bad = client.post(
        "/api/v1/identity-mappings",
        json={"entra_tenant_id": "not-a-guid", "tenant_id": mapped["tenant"]["id"]},
        headers=ADMIN,
    )
    refused(bad, 422, "VALIDATION_FAILED")
    as_tenant = client.get("/api/v1/identity-mappings", headers=mapped["headers"])
    refused(as_tenant, 403, "ADMIN_KEY_REQUIRED")
    as_token = client.get("/api/v1/identity-mappings", headers=bearer(platform.token()))
    refused(as_token, 403, "ADMIN_KEY_REQUIRED")

    token = platform.token()
    assert client.get("/api/v1/me", headers=bearer(token)).status == 200
    assert client.get(f"/api/v1/identity-mappings/{mine[0]['id']}", headers=ADMIN).json() == mine[0]
    assert client.delete(f"/api/v1/identity-mappings/{mine[0]['id']}", headers=ADMIN).status == 204
    refused(client.get("/api/v1/me", headers=bearer(token)), 403, "IDENTITY_NOT_MAPPED")
    refused(
        client.delete(f"/api/v1/identity-mappings/{mine[0]['id']}", headers=ADMIN), 404, "IDENTITY_MAPPING_NOT_FOUND"
    )


def test_the_authority_obeys_the_address_rules(
    client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform, configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_ALLOWED_NETWORKS="10.0.0.0/8")
    reply = client.get("/api/v1/me", headers=bearer(platform.token()))
    assert refused(reply, 503, "IDENTITY_PROVIDER_UNAVAILABLE")["details"] == {"rule": "not_in_allowed_networks"}
    assert reply.header("Retry-After") == "5"
    configure(CLOUDPLANE_ALLOWED_NETWORKS="127.0.0.0/8", CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="false")
    refused(client.get("/api/v1/me", headers=bearer(platform.token())), 503, "IDENTITY_PROVIDER_UNAVAILABLE")
    assert platform.requests == [], "nothing was fetched from a refused address"


def test_a_slow_identity_platform_is_a_503_within_the_timeout(
    client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform
) -> None:
    platform.delay_seconds = 5
    started = time.monotonic()
    reply = client.get("/api/v1/me", headers=bearer(platform.token()))
    elapsed = time.monotonic() - started
    refused(reply, 503, "IDENTITY_PROVIDER_UNAVAILABLE")
    assert elapsed < 4, f"took {elapsed:.1f} s with a 1 s timeout"
    assert str(platform.base) not in reply.body.decode()


def test_an_unknown_kid_refreshes_the_key_set_once_per_cooldown(mapped: Tenant, platform: FakeIdentityPlatform) -> None:
    """A rotated key is fetched when a token names it; made-up key ids do not cause a fetch each."""
    settings = get_settings()
    patient = EntraTokens(settings)  # the default 30 s cooldown
    assert patient.verify(platform.token()).entra_tenant_id == platform.tenant
    for _ in range(5):
        with pytest.raises(Unauthorized):
            patient.verify(platform.token(key=SigningKey.generate()))
    assert platform.jwks_fetches() == 1, "unknown kids within the cooldown fetch nothing"

    eager = EntraTokens(settings, refresh_cooldown=0)
    assert eager.verify(platform.token()).subject
    rotated = SigningKey.generate()
    platform.keys.append(rotated)
    before = platform.jwks_fetches()
    claims = eager.verify(platform.token(key=rotated))
    assert claims.scopes == frozenset({"access_as_user"})
    assert platform.jwks_fetches() == before + 1, "one refresh found the new key"
    platform.keys.clear()
    platform.keys.append(SigningKey.generate())
    with pytest.raises(Unauthorized):
        eager.verify(platform.token(key=SigningKey.generate()))


def test_tokens_are_refused_as_api_keys_when_no_authority_is_configured(
    client: InProcessClient, mapped: Tenant, platform: FakeIdentityPlatform, configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_ENTRA_AUTHORITY="")
    reply = client.get("/api/v1/me", headers=bearer(platform.token()))
    refused(reply, 401, "INVALID_API_KEY")
    assert platform.requests == []
    assert deps.authenticator() is not None


def test_an_unreachable_identity_platform_is_a_503(platform: FakeIdentityPlatform) -> None:
    platform.stop()
    tokens = EntraTokens(get_settings())
    with pytest.raises(ServiceUnavailable):
        tokens.verify(platform.token())


def test_mappings_to_one_tenant_add_up_their_scopes(
    client: InProcessClient, make_tenant: Callable[..., Tenant], platform: FakeIdentityPlatform
) -> None:
    tenant = make_tenant()
    map_identity(client, tenant, entra_tenant_id=platform.tenant, group_id=GROUP, scopes=["read"])
    map_identity(client, tenant, entra_tenant_id=platform.tenant, app_role="Team.Writers", scopes=["write"])
    both = platform.token(groups=[GROUP], roles=["Team.Writers"])
    assert client.get("/api/v1/me", headers=bearer(both)).status == 200
    refused(client.post("/api/v1/jobs", json={"type": "x", "name": "x"}, headers=bearer(both)), 400, "UNKNOWN_JOB_TYPE")
    reader = platform.token(groups=[GROUP])
    refused(client.post("/api/v1/jobs", json={"type": "x", "name": "x"}, headers=bearer(reader)), 403, "SCOPE_MISSING")
