"""OpenStack clouds as servers of kind ``openstack``, against a real Keystone (and nova-api in its catalog)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.functional.conftest import KEY_A
from tests.support.azurite import free_port
from tests.support.inprocess import InProcessClient
from tests.support.openstack import Keystone, Nova

pytestmark = pytest.mark.usefixtures("cluster_settings")


def register(client: InProcessClient, headers: dict[str, str], cloud: dict[str, Any], name: str = "east") -> Any:
    return client.post("/api/v1/servers", json={"name": name, "kind": "openstack", "cloud": cloud}, headers=headers)


def test_register_a_cloud_and_read_it_back_without_secrets(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    reply = register(client, tenant["headers"], keystone.admin_cloud())
    assert reply.status == 201, reply.body
    server = reply.json()
    assert server["kind"] == "openstack"
    assert server["api_url"] == keystone.auth_url
    assert server["namespace"] is None
    assert server["credentials"] == {"set": True, "kind": "cloud", "updated_at": server["credentials"]["updated_at"]}
    assert server["cloud"]["auth_method"] == "password" and server["cloud"]["username"] == "admin"
    assert server["cloud"]["region_name"] == "RegionOne"
    for answer in (reply, client.get(f"/api/v1/servers/{server['id']}", headers=tenant["headers"])):
        assert keystone.admin_password.encode() not in answer.body
    listed = client.get("/api/v1/servers", headers=tenant["headers"]).json()
    assert [item["kind"] for item in listed["items"]] == ["openstack"]


def test_kubernetes_servers_default_to_their_kind(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant = make_tenant()
    reply = client.post(
        "/api/v1/servers",
        json={"name": "k", "api_url": f"http://127.0.0.1:{free_port()}", "token": "t"},
        headers=tenant["headers"],
    )
    assert reply.status == 201, reply.body
    assert reply.json()["kind"] == "kubernetes" and reply.json()["cloud"] is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "x", "kind": "openstack"}, "needs cloud"),
        ({"name": "x", "kind": "openstack", "cloud": {"auth": {"auth_url": "http://127.0.0.1:1/v3"}}}, "password"),
        ({"name": "x", "cloud": {"auth": {"auth_url": "u", "username": "u", "password": "p", "project_id": "p"}}}, ""),
    ],
)
def test_bad_cloud_bodies_are_422(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], body: dict[str, Any], fragment: str
) -> None:
    reply = client.post("/api/v1/servers", json=body, headers=make_tenant()["headers"])
    assert reply.status == 422, reply.body
    assert fragment in reply.body.decode()
    assert b'"p"' not in reply.body


def test_metadata_auth_url_is_refused(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    cloud = keystone.admin_cloud()
    cloud["auth"] = cloud["auth"] | {"auth_url": "http://169.254.169.254/v3"}
    reply = register(client, make_tenant()["headers"], cloud)
    assert reply.status == 422 and reply.json()["error"]["code"] == "ENDPOINT_NOT_ALLOWED"


def test_live_check_reports_keystone_catalog_project_and_roles(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone, nova: Nova
) -> None:
    tenant = make_tenant()
    server = register(client, tenant["headers"], keystone.admin_cloud()).json()
    reply = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"])
    assert reply.status == 200, reply.body
    result = reply.json()
    assert result["ok"] is True, result
    assert result["keystone_version"].startswith("v3")
    types = {service["type"] for service in result["catalog"]}
    assert {"identity", "compute"} <= types
    assert result["project"]["name"] == "admin"
    assert "admin" in result["roles"]
    assert result["latency_ms"] > 0


def test_live_check_failures_are_ok_false_with_a_reason(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    wrong = keystone.admin_cloud()
    wrong["auth"] = wrong["auth"] | {"password": "wrong-password-123"}
    down = keystone.admin_cloud()
    down["auth"] = down["auth"] | {"auth_url": f"http://127.0.0.1:{free_port()}/v3"}
    elsewhere = keystone.admin_cloud() | {"region_name": "NoSuchRegion"}
    for name, cloud, reason in (
        ("wrong", wrong, "UNAUTHORIZED"),
        ("down", down, "UNREACHABLE"),
        ("elsewhere", elsewhere, "BAD_CATALOG"),
    ):
        server = register(client, tenant["headers"], cloud, name).json()
        reply = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"])
        assert reply.status == 200, reply.body
        assert reply.json()["ok"] is False and reply.json()["reason"] == reason, (name, reply.json())
        assert b"wrong-password-123" not in reply.body


def test_verify_false_is_a_warning(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    server = register(client, tenant["headers"], keystone.admin_cloud() | {"verify": False}).json()
    assert server["cloud"]["verify"] is False
    result = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"]).json()
    assert result["ok"] is True and "verify: false" in result["warnings"][0]


def test_another_tenants_cloud_is_404(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    owner, other = make_tenant(), make_tenant()
    server = register(client, owner["headers"], keystone.admin_cloud()).json()
    for method, path in (
        ("GET", ""),
        ("POST", "/test"),
        ("PATCH", ""),
        ("DELETE", ""),
    ):
        body = {"labels": {}} if method == "PATCH" else None
        reply = client.request(method, f"/api/v1/servers/{server['id']}{path}", json=body, headers=other["headers"])
        assert reply.status == 404, (method, path, reply.body)


def test_cluster_only_operations_refuse_a_cloud(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    server = register(client, tenant["headers"], keystone.admin_cloud()).json()
    usage = client.get(f"/api/v1/servers/{server['id']}/usage", headers=tenant["headers"])
    assert usage.status == 409 and usage.json()["error"]["code"] == "SERVER_NOT_A_CLUSTER"
    patch = client.patch(f"/api/v1/servers/{server['id']}", json={"token": "x"}, headers=tenant["headers"])
    assert patch.status == 422
    put = client.request(
        "PUT",
        f"/api/v1/servers/{server['id']}",
        json={"name": "east", "api_url": "http://127.0.0.1:1", "token": "t"},
        headers=tenant["headers"],
    )
    assert put.status == 409 and put.json()["error"]["code"] == "SERVER_KIND_CHANGE"
    pods = client.get("/api/v1/pods", headers=tenant["headers"])
    assert pods.status == 200 and pods.json()["errors"] == []


def test_patch_replaces_the_cloud_credentials(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    wrong = keystone.admin_cloud()
    wrong["auth"] = wrong["auth"] | {"password": "wrong-password-123"}
    server = register(client, tenant["headers"], wrong).json()
    path = f"/api/v1/servers/{server['id']}"
    assert client.post(f"{path}/test", headers=tenant["headers"]).json()["reason"] == "UNAUTHORIZED"
    patched = client.patch(
        path, json={"cloud": keystone.admin_cloud(), "labels": {"a": "b"}}, headers=tenant["headers"]
    )
    assert patched.status == 200, patched.body
    assert patched.json()["labels"] == {"a": "b"} and patched.json()["kind"] == "openstack"
    assert client.post(f"{path}/test", headers=tenant["headers"]).json()["ok"] is True
    renamed = client.patch(path, json={"name": "renamed"}, headers=tenant["headers"])
    assert renamed.status == 200 and client.post(f"{path}/test", headers=tenant["headers"]).json()["ok"] is True


def clouds_yaml(keystone: Keystone, **extra: dict[str, Any]) -> str:
    clouds = {"one": keystone.admin_cloud(), "two": keystone.admin_cloud() | {"interface": "internal"}} | extra
    return yaml.safe_dump({"clouds": clouds})


def test_clouds_yaml_import_registers_every_cloud(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    text = clouds_yaml(keystone, three=keystone.admin_cloud() | {"profile": "x", "identity_api_version": 3})
    reply = client.post("/api/v1/servers:import-clouds", json={"clouds_yaml": text}, headers=tenant["headers"])
    assert reply.status == 201, reply.body
    assert sorted(server["name"] for server in reply.json()["servers"]) == ["one", "three", "two"]
    assert keystone.admin_password.encode() not in reply.body
    only = client.post(
        "/api/v1/servers:import-clouds", json={"clouds_yaml": text, "clouds": ["nope"]}, headers=tenant["headers"]
    )
    assert only.status == 422 and only.json()["error"]["code"] == "CLOUD_NOT_IN_FILE"


def test_clouds_yaml_import_is_all_or_none(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    bad = clouds_yaml(keystone, broken={"auth": {"auth_url": keystone.auth_url, "username": "admin"}})
    reply = client.post("/api/v1/servers:import-clouds", json={"clouds_yaml": bad}, headers=tenant["headers"])
    assert reply.status == 422 and reply.json()["error"]["details"]["cloud"] == "broken"
    register(client, tenant["headers"], keystone.admin_cloud(), "two")
    taken = client.post(
        "/api/v1/servers:import-clouds", json={"clouds_yaml": clouds_yaml(keystone)}, headers=tenant["headers"]
    )
    assert taken.status == 409, taken.body
    names = [server["name"] for server in client.get("/api/v1/servers", headers=tenant["headers"]).json()["items"]]
    assert names == ["two"]
    garbage = client.post("/api/v1/servers:import-clouds", json={"clouds_yaml": "a: [b"}, headers=tenant["headers"])
    assert garbage.status == 422
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nclouds: {one: {auth: *b}}\n"
    refused = client.post("/api/v1/servers:import-clouds", json={"clouds_yaml": bomb}, headers=tenant["headers"])
    assert refused.status == 422 and refused.json()["error"]["code"] == "CLOUDS_YAML_INVALID"


def test_export_and_import_carry_a_cloud(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    assert KEY_A
    tenant = make_tenant()
    server = register(client, tenant["headers"], keystone.admin_cloud()).json()
    exported = client.get("/api/v1/servers:export", params={"include_credentials": "true"}, headers=tenant["headers"])
    assert exported.status == 200
    assert keystone.admin_password.encode() not in exported.body
    document = exported.json()
    (item,) = document["servers"]
    assert item["kind"] == "openstack" and item["cloud"]["username"] == "admin"
    client.delete(f"/api/v1/servers/{server['id']}", headers=tenant["headers"])
    restored = client.post("/api/v1/servers:import", json=document, headers=tenant["headers"])
    assert restored.status == 200 and restored.json()["created"] == [server["id"]], restored.body
    check = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"]).json()
    assert check["ok"] is True
    other = make_tenant()
    moved = client.post("/api/v1/servers:import", json=document, headers=other["headers"]).json()
    assert moved["errors"][0]["code"] == "CREDENTIALS_NOT_RESTORED"


def test_an_auth_url_at_keystones_root_is_discovered(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    tenant = make_tenant()
    cloud = keystone.admin_cloud()
    cloud["auth"] = cloud["auth"] | {"auth_url": keystone.url}
    server = register(client, tenant["headers"], cloud).json()
    result = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"]).json()
    assert result["ok"] is True, result
    assert result["keystone_version"].startswith("v3")


def test_a_cloud_that_never_answers_is_a_timeout(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone, configure: Any
) -> None:
    from tests.support.blackhole import Blackhole

    configure(CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS="1")
    tenant = make_tenant()
    with Blackhole() as hole:
        cloud = keystone.admin_cloud()
        cloud["auth"] = cloud["auth"] | {"auth_url": f"http://127.0.0.1:{hole.port}/v3"}
        server = register(client, tenant["headers"], cloud).json()
        result = client.post(f"/api/v1/servers/{server['id']}/test", headers=tenant["headers"]).json()
        assert result["ok"] is False and result["reason"] == "TIMEOUT", result
        users = client.get(f"/api/v1/clouds/{server['id']}/users", headers=tenant["headers"])
        assert users.status == 503 and users.json()["error"]["details"]["reason"] == "TIMEOUT"


def test_an_application_credential_authenticates(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], keystone: Keystone
) -> None:
    import uuid

    import requests

    token = keystone.admin_token()
    me = requests.get(
        f"{keystone.auth_url}/auth/tokens", headers={"X-Auth-Token": token, "X-Subject-Token": token}, timeout=30
    )
    user_id = me.json()["token"]["user"]["id"]
    made = requests.post(
        f"{keystone.auth_url}/users/{user_id}/application_credentials",
        json={"application_credential": {"name": f"cp-{uuid.uuid4().hex[:8]}"}},
        headers={"X-Auth-Token": token},
        timeout=30,
    )
    assert made.status_code == 201, made.text
    credential = made.json()["application_credential"]
    cloud = {
        "auth_type": "v3applicationcredential",
        "auth": {
            "auth_url": keystone.auth_url,
            "application_credential_id": credential["id"],
            "application_credential_secret": credential["secret"],
        },
        "region_name": "RegionOne",
    }
    tenant = make_tenant()
    reply = register(client, tenant["headers"], cloud)
    assert reply.status == 201, reply.body
    assert credential["secret"].encode() not in reply.body
    assert reply.json()["cloud"]["auth_method"] == "application_credential"
    result = client.post(f"/api/v1/servers/{reply.json()['id']}/test", headers=tenant["headers"]).json()
    assert result["ok"] is True and result["project"]["name"] == "admin", result
