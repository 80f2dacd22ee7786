"""Concertim's user, team, role, key-pair, quota and limit paths against a real Keystone and nova-api.

The bodies are Concertim's (seed 004; its UI's ``cloud_env``); what the routes did is read back
from Keystone's and Nova's own APIs with an admin token of the test's, never from our code.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.concertim import assert_concertim_error, bearer, token, turn_on
from tests.support.inprocess import InProcessClient, Reply
from tests.support.openstack import Keystone, Nova


@pytest.fixture
def surface(
    cluster_settings: None,
    configure: Callable[..., None],
    make_tenant: Callable[..., dict[str, Any]],
    keystone: Keystone,
) -> dict[str, Any]:
    """The surface on for a fresh tenant; Keystone (on loopback) allowed as a cloud; a credentials key."""
    return turn_on(
        configure, make_tenant, CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true", CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS="10"
    )


def env(keystone: Keystone, **changes: Any) -> dict[str, Any]:
    """The admin's credentials as a ``cloud_env`` (names and domains; Concertim's UI sends ids)."""
    return {**keystone.admin_auth(), **changes}


def call(client: InProcessClient, method: str, path: str, body: dict[str, Any] | None = None) -> Reply:
    return client.request(method, f"/api/concertim{path}", json=body, headers=bearer(token()))


def keystone_get(keystone: Keystone, path: str) -> requests.Response:
    return requests.get(f"{keystone.auth_url}{path}", headers={"X-Auth-Token": keystone.admin_token()}, timeout=30)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def create_user(client: InProcessClient, keystone: Keystone, username: str) -> str:
    password = "Initial-pw-" + uuid.uuid4().hex
    body = {"cloud_env": env(keystone), "username": username, "name": "A User", "email": f"{username}@example.org"}
    reply = call(client, "POST", "/user", {**body, "password": password})
    assert reply.status == 201, reply.body
    return str(reply.json()["user_cloud_id"])


def create_team(client: InProcessClient, keystone: Keystone, name: str) -> dict[str, Any]:
    reply = call(client, "POST", "/team", {"cloud_env": env(keystone), "name": name})
    assert reply.status == 201, reply.body
    return dict(reply.json())


def test_user_created_changed_and_deleted(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    username, password, new_password = unique("alice"), "First-pw-" + uuid.uuid4().hex, "Second-pw-" + uuid.uuid4().hex
    body = {"cloud_env": env(keystone), "username": username, "name": "Alice", "email": f"{username}@example.org"}
    reply = call(client, "POST", "/user", {**body, "password": password})
    assert reply.status == 201, reply.body
    created = reply.json()
    assert set(created) == {"success", "username", "user_cloud_id"}
    assert created["success"] is True and created["username"] == username
    user = keystone_get(keystone, f"/users/{created['user_cloud_id']}").json()["user"]
    assert user["name"] == f"CM_{username}" and user["email"] == f"{username}@example.org"

    change = {
        "cloud_user_id": created["user_cloud_id"],
        "new_data": {"email": "new@example.org", "password": new_password},
    }
    reply = call(client, "PATCH", "/user", {"cloud_env": env(keystone), "user_info": change})
    assert reply.status == 200, reply.body
    uid = created["user_cloud_id"]
    assert reply.json() == {"success": True, "updated": [["cloud_user", uid, "email"], ["cloud_user", uid, "password"]]}
    assert keystone_get(keystone, f"/users/{uid}").json()["user"]["email"] == "new@example.org"
    login = {
        "auth": {"identity": {"methods": ["password"], "password": {"user": {"id": uid, "password": new_password}}}}
    }
    assert requests.post(f"{keystone.auth_url}/auth/tokens", json=login, timeout=30).status_code == 201

    gone = {"cloud_env": env(keystone), "user_info": {"cloud_user_id": uid}}
    assert call(client, "DELETE", "/user", gone).json() == {"success": True}
    assert keystone_get(keystone, f"/users/{uid}").status_code == 404
    assert_concertim_error(call(client, "DELETE", "/user", gone), 404)

    for text in (caplog.text,):
        assert password not in text and new_password not in text and keystone.admin_password not in text


def test_a_taken_username_is_a_409(client: InProcessClient, surface: dict[str, Any], keystone: Keystone) -> None:
    username = unique("bob")
    create_user(client, keystone, username)
    body = {
        "cloud_env": env(keystone),
        "username": username,
        "name": "B",
        "email": "b@example.org",
        "password": "Another-pw-123",
    }
    assert_concertim_error(call(client, "POST", "/user", body), 409)


def test_team_created_and_deleted_with_its_billing_account(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone
) -> None:
    name = unique("team")
    team = create_team(client, keystone, name)
    assert set(team) == {"success", "project_id", "billing_acct_id"} and team["success"] is True
    assert team["billing_acct_id"]
    project = keystone_get(keystone, f"/projects/{team['project_id']}").json()["project"]
    assert project["name"] == f"CM_{name}"
    # Concertim's UI retries with the project_id it may have got: the same team, not a second one.
    retry = {"cloud_env": env(keystone), "name": name, "project_id": team["project_id"], "billing_account_id": "x"}
    again = call(client, "POST", "/team", retry)
    assert again.status == 200 and again.json() == team, again.body
    info = {"project_id": team["project_id"], "billing_acct_id": team["billing_acct_id"]}
    reply = call(client, "DELETE", "/team", {"cloud_env": env(keystone), "team_info": info})
    assert reply.status == 200 and reply.json() == {"success": True}, reply.body
    assert keystone_get(keystone, f"/projects/{team['project_id']}").status_code == 404


def test_team_roles_given_replaced_and_taken(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone
) -> None:
    user_id = create_user(client, keystone, unique("carol"))
    project_id = create_team(client, keystone, unique("team"))["project_id"]

    def roles() -> set[str]:
        found = keystone_get(keystone, f"/projects/{project_id}/users/{user_id}/roles").json()["roles"]
        return {role["name"] for role in found}

    role = {"project_id": project_id, "user_id": user_id, "role": "member"}
    reply = call(client, "POST", "/team_role", {"cloud_env": env(keystone), "team_role": role})
    assert reply.status == 201 and reply.json() == {"success": True}, reply.body
    assert "member" in roles()
    change = {"project_id": project_id, "user_id": user_id, "current_role": "member", "new_role": "reader"}
    reply = call(client, "PATCH", "/team_role", {"cloud_env": env(keystone), "team_role": change})
    assert reply.status == 200, reply.body
    assert "reader" in roles() and "member" not in roles()
    gone = {"project_id": project_id, "user_id": user_id, "role": "reader"}
    assert call(client, "DELETE", "/team_role", {"cloud_env": env(keystone), "team_role": gone}).status == 200
    assert "reader" not in roles()
    unknown = {**role, "role": "no-such-role"}
    reply = call(client, "POST", "/team_role", {"cloud_env": env(keystone), "team_role": unknown})
    assert_concertim_error(reply, 422, "CLOUD_ROLE_UNKNOWN")


def test_one_keystone_login_for_many_requests(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone
) -> None:
    create_user(client, keystone, unique("warm"))  # the connection is made (and logged in) here
    before = keystone.token_issues()
    for _ in range(5):
        create_user(client, keystone, unique("dave"))
    assert keystone.token_issues() - before == 0, "Concertim's service logged in on every request"


def test_refused_credentials(client: InProcessClient, surface: dict[str, Any], keystone: Keystone) -> None:
    wrong = env(keystone, password="not-the-password-" + uuid.uuid4().hex)
    reply = call(client, "GET", "/key_pairs", {"cloud_env": wrong})
    body = assert_concertim_error(reply, 422, "CLOUD_CREDENTIALS_REJECTED")
    assert wrong["password"] not in reply.body.decode() and body["details"]["fields"][0]["path"] == "body.cloud_env"


def test_key_pairs_generated_imported_listed_and_deleted(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, nova: Nova
) -> None:
    name = unique("key")
    reply = call(client, "POST", "/key_pairs", {"cloud_env": env(keystone), "key_pair": {"name": name}})
    assert reply.status == 201, reply.body
    made = reply.json()["key_pair"]
    assert made["name"] == name and made["private_key"].startswith("-----BEGIN") and made["fingerprint"]
    listed = call(client, "GET", "/key_pairs", {"cloud_env": env(keystone)})
    assert listed.status == 200, listed.body
    shown = {pair["name"]: pair for pair in listed.json()["key_pairs"]}
    assert name in shown and "private_key" not in shown[name] and shown[name]["public_key"] == made["public_key"]
    deleted = call(client, "DELETE", "/key_pairs", {"cloud_env": env(keystone), "keypair_name": name})
    assert deleted.status == 200 and deleted.json() == {"success": True, "key_pair_name": name}
    again = call(client, "DELETE", "/key_pairs", {"cloud_env": env(keystone), "keypair_name": name})
    assert_concertim_error(again, 404)


def test_limits_are_a_get_with_a_body(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, nova: Nova
) -> None:
    reply = call(client, "GET", "/team/limits", {"cloud_env": env(keystone)})
    assert reply.status == 200, reply.body
    limits = reply.json()["limits"]
    assert reply.json()["success"] is True and "maxTotalCores" in limits and "totalCoresUsed" in limits
    assert_concertim_error(call(client, "GET", "/team/limits"), 422)


def test_quotas_with_cloud_env(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, nova: Nova
) -> None:
    project_id = create_team(client, keystone, unique("team"))["project_id"]
    reply = call(client, "GET", f"/team/{project_id}/quotas", {"cloud_env": env(keystone)})
    assert reply.status == 200, reply.body
    assert reply.json()["success"] is True and "cores" in reply.json()["quotas"]


def test_quotas_without_a_body_come_from_the_tenants_registered_cloud(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, nova: Nova
) -> None:
    """Concertim's UI asks for quotas with no body (its service used its own admin credentials)."""
    project_id = create_team(client, keystone, unique("team"))["project_id"]
    none = call(client, "GET", f"/team/{project_id}/quotas")
    assert_concertim_error(none, 422, "CLOUD_ENV_REQUIRED")
    made = client.post(
        "/api/v1/servers",
        json={"name": "concertim-cloud", "kind": "openstack", "cloud": keystone.admin_cloud()},
        headers=surface["headers"],
    )
    assert made.status == 201, made.body
    reply = call(client, "GET", f"/team/{project_id}/quotas")
    assert reply.status == 200, reply.body
    assert "cores" in reply.json()["quotas"]


def test_statistics(client: InProcessClient, surface: dict[str, Any], keystone: Keystone, nova: Nova) -> None:
    reply = call(client, "GET", "/statistics", {"cloud_env": env(keystone)})
    assert reply.status == 200, reply.body
    stats = reply.json()["stats"]
    assert stats["users"] >= 1 and stats["projects"] >= 1 and stats["running_vms"] == stats["servers"] == 0
    assert "orchestration" in stats["missing"]


def test_keystone_stopped_is_a_503_and_nothing_is_half_done(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone
) -> None:
    create_user(client, keystone, unique("warm"))  # a cached, logged-in connection
    name = unique("eve")
    body = {"cloud_env": env(keystone), "username": name, "email": f"{name}@example.org", "password": "Eve-pw-12345"}
    keystone.stop()
    try:
        reply = call(client, "POST", "/user", body)
    finally:
        keystone.start()
    error = assert_concertim_error(reply, 503, "CLOUD_UNAVAILABLE")
    assert reply.header("Retry-After") and "Eve-pw-12345" not in reply.body.decode()
    assert "reason" in error["details"]
    assert keystone_get(keystone, f"/users?name=CM_{name}").json()["users"] == []
    assert call(client, "POST", "/user", body).status == 201, "the same request works once Keystone is back"


def test_no_log_line_or_answer_carries_an_unkeyed_hash_of_the_password(
    client: InProcessClient, surface: dict[str, Any], keystone: Keystone, caplog: pytest.LogCaptureFixture
) -> None:
    """The id the cloud services log for ``cloud_env`` is derived from URL, user and project only: a
    plain hash of the password (or of the whole entry) would let a log reader test guesses offline."""
    import hashlib
    import json

    from shared.models.concertim import CloudEnv
    from shared.services.concertim import cloud_config

    caplog.set_level(logging.DEBUG)
    credentials = env(keystone)
    cloud = cloud_config(CloudEnv.model_validate(credentials))
    username = unique("hash")
    reply = call(
        client, "POST", "/user", {"cloud_env": credentials, "username": username, "password": "Pw-" + username}
    )
    assert reply.status == 201, reply.body
    gone = call(
        client,
        "DELETE",
        "/user",
        {"cloud_env": credentials, "user_info": {"cloud_user_id": reply.json()["user_cloud_id"]}},
    )
    assert gone.status == 200, gone.body
    logged = [line for line in caplog.text.splitlines() if '"cloud_id":"concertim-' in line]
    assert logged, "the cloud services log the id (else this test checks nothing)"
    texts = [keystone.admin_password.encode(), json.dumps(cloud.secret_dict(), sort_keys=True).encode()]
    digests = [algo(text).hexdigest() for text in texts for algo in (hashlib.sha256, hashlib.sha1, hashlib.md5)]
    for digest in digests:
        assert digest[:12] not in caplog.text and digest[:12] not in reply.body.decode()
    assert keystone.admin_password not in caplog.text
