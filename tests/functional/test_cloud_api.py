"""``/api/v1/clouds/{cloud_id}/...`` against a real Keystone and a real nova-api (Debian's packages)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from shared import deps
from shared.errors import ServiceUnavailable
from shared.models.billing import BillingAccount
from tests.support.inprocess import InProcessClient
from tests.support.openstack import Keystone, Nova

pytestmark = pytest.mark.usefixtures("cluster_settings")


@pytest.fixture
def cloud(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone, nova: Nova
) -> dict[str, Any]:
    """A tenant with the admin credential of the session's Keystone registered as a cloud."""
    tenant = make_tenant()
    reply = client.post(
        "/api/v1/servers",
        json={"name": "os", "kind": "openstack", "cloud": keystone.admin_cloud()},
        headers=tenant["headers"],
    )
    assert reply.status == 201, reply.body
    server_id = reply.json()["id"]
    return tenant | {"id": server_id, "base": f"/api/v1/clouds/{server_id}"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def can_log_in(keystone: Keystone, user_id: str, password: str) -> bool:
    """Whether Keystone accepts the password (an unscoped token)."""
    import requests

    body = {
        "auth": {"identity": {"methods": ["password"], "password": {"user": {"id": user_id, "password": password}}}}
    }
    return requests.post(f"{keystone.auth_url}/auth/tokens", json=body, timeout=30).status_code == 201


# ---------------------------------------------------------------- users


def test_users_create_read_change_delete(client: InProcessClient, cloud: dict[str, Any], keystone: Keystone) -> None:
    headers, base = cloud["headers"], cloud["base"]
    name = unique("ada")
    created = client.post(
        f"{base}/users", json={"name": name, "display_name": "Ada L", "email": "ada@example.org"}, headers=headers
    )
    assert created.status == 201, created.body
    user = created.json()
    generated = user["password"]
    assert len(generated) >= 20 and user["name"] == name and user["email"] == "ada@example.org"
    assert can_log_in(keystone, user["id"], generated)

    one = client.get(f"{base}/users/{user['id']}", headers=headers)
    assert one.status == 200 and "password" not in one.json() and one.json()["display_name"] == "Ada L"
    listed = client.get(f"{base}/users", headers=headers).json()["items"]
    assert name in [item["name"] for item in listed] and all("password" not in item for item in listed)

    patched = client.patch(
        f"{base}/users/{user['id']}",
        json={"email": "ada@new.example.org", "display_name": "Ada", "password": "new-password-42"},
        headers=headers,
    )
    assert patched.status == 200, patched.body
    assert patched.json()["email"] == "ada@new.example.org" and "password" not in patched.json()
    assert can_log_in(keystone, user["id"], "new-password-42")
    assert not can_log_in(keystone, user["id"], generated)
    disabled = client.patch(f"{base}/users/{user['id']}", json={"enabled": False}, headers=headers)
    assert disabled.json()["enabled"] is False

    assert client.delete(f"{base}/users/{user['id']}", headers=headers).status == 204
    gone = client.get(f"{base}/users/{user['id']}", headers=headers)
    assert gone.status == 404 and gone.json()["error"]["code"] == "CLOUD_OBJECT_NOT_FOUND"
    assert client.delete(f"{base}/users/{user['id']}", headers=headers).status == 404


def test_user_input_errors_are_4xx(client: InProcessClient, cloud: dict[str, Any]) -> None:
    headers, base = cloud["headers"], cloud["base"]
    name = unique("dup")
    assert client.post(f"{base}/users", json={"name": name}, headers=headers).status == 201
    again = client.post(f"{base}/users", json={"name": name}, headers=headers)
    assert again.status == 409 and again.json()["error"]["code"] == "CLOUD_CONFLICT"
    short = client.post(f"{base}/users", json={"name": unique("u"), "password": "pw-7x"}, headers=headers)
    assert short.status == 422 and b"pw-7x" not in short.body
    user_id = client.get(f"{base}/users", headers=headers).json()["items"][0]["id"]
    empty = client.patch(f"{base}/users/{user_id}", json={}, headers=headers)
    assert empty.status == 200 and empty.json()["id"] == user_id  # nothing to change: the user as it is
    assert client.patch(f"{base}/users/nobody", json={}, headers=headers).status == 404


def test_passwords_are_in_no_response_and_no_log_line(
    client: InProcessClient, cloud: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """With every logger at DEBUG (the SDK logs request bodies there), no password shows anywhere."""
    caplog.set_level(logging.DEBUG)
    headers, base = cloud["headers"], cloud["base"]
    given, changed = f"given-{uuid.uuid4().hex}", f"changed-{uuid.uuid4().hex}"
    created = client.post(f"{base}/users", json={"name": unique("p"), "password": given}, headers=headers)
    assert created.status == 201
    user_id = created.json()["id"]
    generated = client.post(f"{base}/users", json={"name": unique("g")}, headers=headers).json()["password"]
    patched = client.patch(f"{base}/users/{user_id}", json={"password": changed}, headers=headers)
    bodies = b"".join(reply.body for reply in (created, patched))
    assert given.encode() not in bodies and changed.encode() not in bodies
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "cloud_user_created" in logged  # the capture did see our lines
    for secret in (given, changed, generated):
        assert secret not in logged and secret not in caplog.text


# ---------------------------------------------------------------- teams


def test_team_lifecycle_with_its_billing_account(client: InProcessClient, cloud: dict[str, Any]) -> None:
    headers, base = cloud["headers"], cloud["base"]
    name = unique("team")
    created = client.post(f"{base}/teams", json={"name": name, "description": "research"}, headers=headers)
    assert created.status == 201, created.body
    team = created.json()
    account_id = team["billing_account_id"]
    assert account_id
    provider = deps.billing_provider(cloud["tenant"]["id"])
    account = provider.account(cloud["tenant"]["id"], account_id)
    assert account.status == "open" and account.owner_kind == "team" and account.owner_id == team["id"]

    assert client.get(f"{base}/teams/{team['id']}", headers=headers).json()["billing_account_id"] == account_id
    assert name in [item["name"] for item in client.get(f"{base}/teams", headers=headers).json()["items"]]

    quotas = client.get(f"{base}/teams/{team['id']}/quotas", headers=headers)
    assert quotas.status == 200, quotas.body
    assert quotas.json()["compute"]["instances"] == 10 and quotas.json()["compute"]["cores"] == 20
    assert quotas.json()["volume"] is None and set(quotas.json()["missing"]) == {"volume", "network"}

    assert client.delete(f"{base}/teams/{team['id']}", headers=headers).status == 204
    assert provider.account(cloud["tenant"]["id"], account_id).status == "closed"
    assert client.get(f"{base}/teams/{team['id']}", headers=headers).status == 404
    assert client.get(f"{base}/teams/{team['id']}/quotas", headers=headers).status == 404


class _Billing:
    """A billing provider that fails on purpose: at opening, or by handing out an id Keystone refuses as a tag."""

    def __init__(self, fail_open: bool) -> None:
        self.fail_open = fail_open
        self.closed: list[str] = []
        self.opened: list[str] = []

    def open_account(self, tenant_id: str, *, owner_kind: Any, owner_id: str, name: str, currency: Any = None) -> Any:
        if self.fail_open:
            raise ServiceUnavailable("Billing is down.", code="BILLING_UNAVAILABLE")
        self.opened.append(owner_id)
        now = datetime.now(UTC)
        return BillingAccount(
            id="ba/with-a-slash",  # Keystone refuses '/' in a tag: the third step fails
            tenant_id=tenant_id,
            owner_kind=owner_kind,
            owner_id=owner_id,
            name=name,
            currency="USD",
            status="open",
            open_period=now.strftime("%Y-%m"),
            created_at=now,
        )

    def close_account(self, tenant_id: str, account_id: str) -> None:
        self.closed.append(account_id)


@pytest.fixture
def billing(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], _Billing]]:
    from shared.services.cloud_teams import CloudTeamsService

    def install(fail_open: bool) -> _Billing:
        provider = _Billing(fail_open)
        monkeypatch.setattr(deps, "cloud_teams_service", lambda: CloudTeamsService(lambda _tenant: provider))
        return provider

    yield install


def _team_names(keystone: Keystone) -> set[str]:
    import requests

    reply = requests.get(f"{keystone.auth_url}/projects", headers={"X-Auth-Token": keystone.admin_token()}, timeout=30)
    return {project["name"] for project in reply.json()["projects"]}


def test_failed_billing_leaves_no_project(
    client: InProcessClient, cloud: dict[str, Any], keystone: Keystone, billing: Callable[[bool], _Billing]
) -> None:
    provider = billing(True)
    name = unique("nobill")
    reply = client.post(f"{cloud['base']}/teams", json={"name": name}, headers=cloud["headers"])
    assert reply.status == 503 and reply.json()["error"]["code"] == "BILLING_UNAVAILABLE"
    assert name not in _team_names(keystone)
    assert provider.closed == []


def test_a_failing_last_step_closes_the_account_and_deletes_the_project(
    client: InProcessClient, cloud: dict[str, Any], keystone: Keystone, billing: Callable[[bool], _Billing]
) -> None:
    provider = billing(False)
    name = unique("notag")
    reply = client.post(f"{cloud['base']}/teams", json={"name": name}, headers=cloud["headers"])
    assert reply.status == 422, reply.body
    assert len(provider.opened) == 1 and provider.closed == ["ba/with-a-slash"]
    assert name not in _team_names(keystone)


# ---------------------------------------------------------------- roles


def test_role_assignments_add_list_replace_remove(client: InProcessClient, cloud: dict[str, Any]) -> None:
    headers, base = cloud["headers"], cloud["base"]
    user = client.post(f"{base}/users", json={"name": unique("r")}, headers=headers).json()
    team = client.post(f"{base}/teams", json={"name": unique("rt")}, headers=headers).json()
    roles = f"{base}/teams/{team['id']}/roles"

    added = client.post(roles, json={"user_id": user["id"], "role": "member"}, headers=headers)
    assert added.status == 201, added.body
    assert added.json()["role"] == "member" and added.json()["user_name"] == user["name"]
    listed = client.get(roles, headers=headers).json()["items"]
    assert [(item["user_id"], item["role"]) for item in listed] == [(user["id"], "member")]

    replaced = client.patch(
        roles, json={"user_id": user["id"], "role": "member", "new_role": "reader"}, headers=headers
    )
    assert replaced.status == 200, replaced.body
    listed = client.get(roles, headers=headers).json()["items"]
    assert [(item["user_id"], item["role"]) for item in listed] == [(user["id"], "reader")]
    not_held = client.patch(roles, json={"user_id": user["id"], "role": "member", "new_role": "admin"}, headers=headers)
    assert not_held.status == 404 and not_held.json()["error"]["code"] == "ROLE_ASSIGNMENT_NOT_FOUND"

    unknown = client.post(roles, json={"user_id": user["id"], "role": "no-such-role"}, headers=headers)
    assert unknown.status == 422 and unknown.json()["error"]["code"] == "CLOUD_ROLE_UNKNOWN"
    nobody = client.post(roles, json={"user_id": "0" * 32, "role": "member"}, headers=headers)
    assert nobody.status == 404

    assert client.delete(f"{roles}/{user['id']}/reader", headers=headers).status == 204
    assert client.get(roles, headers=headers).json()["items"] == []
    assert client.delete(f"{roles}/{user['id']}/reader", headers=headers).status == 404


# ---------------------------------------------------------------- key pairs


def _ssh_public_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " me@host"


def _certificate() -> str:
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloudplane-test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_key_pairs_generate_import_list_get_delete(client: InProcessClient, cloud: dict[str, Any]) -> None:
    headers, base = cloud["headers"], cloud["base"]
    generated = client.post(f"{base}/key-pairs", json={"name": unique("gen")}, headers=headers)
    assert generated.status == 201, generated.body
    pair = generated.json()
    assert "PRIVATE KEY" in pair["private_key"] and pair["public_key"].startswith("ssh-")

    public = _ssh_public_key()
    imported = client.post(f"{base}/key-pairs", json={"name": unique("imp"), "public_key": public}, headers=headers)
    assert imported.status == 201, imported.body
    assert imported.json()["private_key"] is None and imported.json()["public_key"].strip() == public

    certificate = _certificate()
    x509 = client.post(
        f"{base}/key-pairs",
        json={"name": unique("x5"), "key_type": "x509", "public_key": certificate},
        headers=headers,
    )
    assert x509.status == 201, x509.body
    assert x509.json()["key_type"] == "x509"

    one = client.get(f"{base}/key-pairs/{pair['name']}", headers=headers)
    assert one.status == 200 and "private_key" not in one.json()
    names = [item["name"] for item in client.get(f"{base}/key-pairs", headers=headers).json()["items"]]
    assert {pair["name"], imported.json()["name"], x509.json()["name"]} <= set(names)

    taken = client.post(f"{base}/key-pairs", json={"name": pair["name"]}, headers=headers)
    assert taken.status == 409
    for bad in (
        {"name": unique("b"), "public_key": "ssh-rsa not-base64!"},
        {"name": unique("b"), "key_type": "x509", "public_key": public},
        {"name": unique("b"), "public_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc"},
    ):
        reply = client.post(f"{base}/key-pairs", json=bad, headers=headers)
        assert reply.status == 422, (bad, reply.body)

    assert client.delete(f"{base}/key-pairs/{pair['name']}", headers=headers).status == 204
    assert client.get(f"{base}/key-pairs/{pair['name']}", headers=headers).status == 404
    assert client.delete(f"{base}/key-pairs/{pair['name']}", headers=headers).status == 404


# ---------------------------------------------------------------- limits, statistics


def test_limits_and_statistics(client: InProcessClient, cloud: dict[str, Any]) -> None:
    headers, base = cloud["headers"], cloud["base"]
    limits = client.get(f"{base}/limits", headers=headers)
    assert limits.status == 200, limits.body
    compute = limits.json()["compute"]
    assert compute["instances"] == {"limit": 10, "used": 0} and compute["keypairs"]["used"] is None
    client.post(f"{base}/users", json={"name": unique("s")}, headers=headers)
    stats = client.get(f"{base}/statistics", headers=headers)
    assert stats.status == 200, stats.body
    body = stats.json()
    assert body["servers"] == 0 and body["users"] >= 3 and body["projects"] >= 2
    assert body["stacks"] is None and body["missing"] == ["orchestration"]


# ---------------------------------------------------------------- isolation, failures, renewal

ROUTES = [
    ("POST", "/users", {"name": "x"}),
    ("GET", "/users", None),
    ("GET", "/users/u1", None),
    ("PATCH", "/users/u1", {"enabled": False}),
    ("DELETE", "/users/u1", None),
    ("POST", "/teams", {"name": "x"}),
    ("GET", "/teams", None),
    ("GET", "/teams/t1", None),
    ("DELETE", "/teams/t1", None),
    ("GET", "/teams/t1/quotas", None),
    ("POST", "/teams/t1/roles", {"user_id": "u1", "role": "member"}),
    ("GET", "/teams/t1/roles", None),
    ("PATCH", "/teams/t1/roles", {"user_id": "u1", "role": "member", "new_role": "reader"}),
    ("DELETE", "/teams/t1/roles/u1/member", None),
    ("POST", "/key-pairs", {"name": "x"}),
    ("GET", "/key-pairs", None),
    ("GET", "/key-pairs/x", None),
    ("DELETE", "/key-pairs/x", None),
    ("GET", "/limits", None),
    ("GET", "/statistics", None),
]


def test_every_route_is_404_for_another_tenant_and_409_for_a_cluster(
    client: InProcessClient, cloud: dict[str, Any], make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    other = make_tenant()
    cluster = client.post(
        "/api/v1/servers", json={"name": "k", "api_url": "http://127.0.0.1:1", "token": "t"}, headers=cloud["headers"]
    ).json()
    before = keystone.token_requests()
    for method, path, body in ROUTES:
        reply = client.request(method, f"{cloud['base']}{path}", json=body, headers=other["headers"])
        assert reply.status == 404 and reply.json()["error"]["code"] == "CLOUD_NOT_FOUND", (method, path, reply.body)
        reply = client.request(method, f"/api/v1/clouds/{cluster['id']}{path}", json=body, headers=cloud["headers"])
        assert reply.status == 409 and reply.json()["error"]["code"] == "SERVER_NOT_A_CLOUD", (method, path)
    assert keystone.token_requests() == before  # nothing reached the cloud


def test_keystone_down_mid_session_is_503_and_nothing_half_done(
    client: InProcessClient, cloud: dict[str, Any], keystone: Keystone
) -> None:
    headers, base = cloud["headers"], cloud["base"]
    assert client.get(f"{base}/users", headers=headers).status == 200  # logged in, connection cached
    name = unique("down")
    keystone.stop()
    try:
        for method, path, body in (("POST", "/teams", {"name": name}), ("GET", "/users", None)):
            reply = client.request(method, f"{base}{path}", json=body, headers=headers)
            assert reply.status == 503, reply.body
            error = reply.json()["error"]
            assert error["code"] == "CLOUD_UNAVAILABLE" and error["details"]["reason"] == "UNREACHABLE"
            assert "Traceback" not in reply.body.decode() and reply.headers.get("retry-after") == "5"
        assert deps.billing_provider(cloud["tenant"]["id"]).accounts(cloud["tenant"]["id"]) == []
    finally:
        keystone.start()
    assert name not in _team_names(keystone)
    assert client.get(f"{base}/users", headers=headers).status == 200


def test_an_expired_token_is_renewed_once(client: InProcessClient, cloud: dict[str, Any], keystone: Keystone) -> None:
    headers, base = cloud["headers"], cloud["base"]
    assert client.get(f"{base}/key-pairs", headers=headers).status == 200
    connection = deps.clouds_service().connection(cloud["tenant"]["id"], cloud["id"])
    keystone.revoke(connection.session.get_token())
    before = keystone.token_issues()
    assert client.get(f"{base}/key-pairs", headers=headers).status == 200  # nova-api: 401, one login, retry
    assert client.get(f"{base}/users", headers=headers).status == 200
    assert keystone.token_issues() - before == 1
