"""``POST /api/concertim/update_status/{type}/{id}`` against the recording stub of Keystone, Nova and Heat.

The body is what Concertim's UI sends (``cloud_env`` with ``user_id`` and ``project_id``, and
``action``); the stub records the SDK's real requests, so the assertions are on what reached Nova
and Heat, and on how many Keystone logins it took.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.concertim import assert_concertim_error, bearer, token, turn_on
from tests.support.inprocess import InProcessClient
from tests.support.openstack_stub import PASSWORD, PROJECT_ID, USER_ID, OpenStackStub, Script


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenStackStub]:
    server = OpenStackStub().start()
    yield server
    server.stop()


@pytest.fixture
def concertim(
    configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]], stub: OpenStackStub
) -> dict[str, Any]:
    """The surface on, and the stub's loopback address allowed (it is the cloud here)."""
    return turn_on(
        configure, make_tenant, CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true", CLOUDPLANE_OPENSTACK_TIMEOUT_SECONDS="5"
    )


def cloud_env(stub: OpenStackStub, password: str = PASSWORD) -> dict[str, Any]:
    """As Concertim's UI builds it (RequestStatusChangeJob): ids, no domains."""
    return {"auth_url": stub.auth_url, "user_id": USER_ID, "password": password, "project_id": PROJECT_ID}


def post_status(client: InProcessClient, stub: OpenStackStub, kind: str, target: str, action: str, **env: Any) -> Any:
    body = {"cloud_env": cloud_env(stub, **env), "action": action}
    return client.post(f"/api/concertim/update_status/{kind}/{target}", json=body, headers=bearer(token()))


def actions_sent(stub: OpenStackStub, resource_id: str) -> list[Any]:
    return [r.body for r in stub.state.calls("POST") if resource_id in r.path and r.path.endswith("/action")] + [
        r.body for r in stub.state.calls("POST") if resource_id in r.path and r.path.endswith("/actions")
    ]


def logins(stub: OpenStackStub) -> int:
    return len([r for r in stub.state.calls("POST", "/v3/auth/tokens") if r.status == 201])


def test_a_device_is_switched_off_and_nova_gets_os_stop(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    server = stub.state.server("ACTIVE")
    reply = post_status(client, stub, "devices", server.id, "off")
    assert reply.status == 202, reply.body
    assert reply.json() == {
        "cloud_response": {
            "submitted": True,
            "type": "devices",
            "id": server.id,
            "action": "off",
            "state_at_submission": "ACTIVE",
            "target_state": "SHUTOFF",
        }
    }
    assert actions_sent(stub, server.id) == [{"os-stop": None}]


def test_instances_is_concertims_other_word_for_devices(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    server = stub.state.server("SHUTOFF")
    assert post_status(client, stub, "instances", server.id, "on").status == 202
    assert actions_sent(stub, server.id) == [{"os-start": None}]


def test_an_action_the_state_refuses_is_a_409_and_nothing_is_sent(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    server = stub.state.server("ACTIVE")
    body = assert_concertim_error(post_status(client, stub, "devices", server.id, "on"), 409, "ACTION_NOT_ALLOWED")
    assert body["details"]["state"] == "ACTIVE" and "SHUTOFF" in body["message"]
    assert actions_sent(stub, server.id) == []
    busy = stub.state.server("ACTIVE", suspend=Script(polls=50))
    assert post_status(client, stub, "devices", busy.id, "suspend").status == 202
    body = assert_concertim_error(post_status(client, stub, "devices", busy.id, "off"), 409)
    assert body["details"]["task_state"] == "suspending"


def test_racks_are_heat_stacks(client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub) -> None:
    stack = stub.state.stack("CREATE_COMPLETE")
    reply = post_status(client, stub, "racks", stack.id, "suspend")
    assert reply.status == 202, reply.body
    assert reply.json()["cloud_response"]["target_state"] == "SUSPEND_COMPLETE"
    assert actions_sent(stub, stack.id) == [{"suspend": None}]
    gone = stub.state.stack("CREATE_COMPLETE")
    assert post_status(client, stub, "racks", gone.id, "destroy").status == 202
    assert [r.method for r in stub.state.calls("DELETE") if gone.id in r.path] == ["DELETE"]


def test_types_actions_and_ids_that_do_not_exist(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    stack = stub.state.stack("CREATE_COMPLETE")
    body = assert_concertim_error(post_status(client, stub, "racks", stack.id, "on"), 422)
    assert body["details"]["fields"][0]["path"] == "body.action"
    assert_concertim_error(post_status(client, stub, "volumes", stack.id, "destroy"), 501, "NOT_IMPLEMENTED")
    assert_concertim_error(post_status(client, stub, "toasters", stack.id, "on"), 404, "OBJECT_TYPE_NOT_FOUND")
    missing = "00000000-0000-0000-0000-000000000000"
    assert_concertim_error(post_status(client, stub, "devices", missing, "off"), 404, "DEVICE_NOT_FOUND")
    assert_concertim_error(post_status(client, stub, "devices", "a%20b", "off"), 404, "DEVICE_NOT_FOUND")
    assert actions_sent(stub, stack.id) == []


def test_one_keystone_login_for_many_requests_with_the_same_credentials(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    before = logins(stub)
    for _ in range(5):
        server = stub.state.server("ACTIVE")
        assert post_status(client, stub, "devices", server.id, "suspend").status == 202
    assert logins(stub) - before == 1, "the connection is cached under the credentials' hash"


def test_refused_credentials_are_a_422_and_the_password_is_never_shown(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-password-0f9e8d7c6b5a"
    server = stub.state.server("ACTIVE")
    reply = post_status(client, stub, "devices", server.id, "off", password=wrong)
    body = assert_concertim_error(reply, 422, "CLOUD_CREDENTIALS_REJECTED")
    assert body["details"]["fields"][0]["path"] == "body.cloud_env"
    assert actions_sent(stub, server.id) == []
    good = post_status(client, stub, "devices", server.id, "off")
    assert good.status == 202
    for text in (reply.body.decode(), good.body.decode(), caplog.text):
        assert wrong not in text and PASSWORD not in text


def test_a_cloud_env_that_is_incomplete_or_off_limits(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub, configure: Callable[..., None]
) -> None:
    server = stub.state.server("ACTIVE")
    url = f"/api/concertim/update_status/devices/{server.id}"
    no_project = {"auth_url": stub.auth_url, "user_id": USER_ID, "password": PASSWORD}
    reply = client.post(url, json={"cloud_env": no_project, "action": "off"}, headers=bearer(token()))
    assert_concertim_error(reply, 422, "VALIDATION_FAILED")
    misspelt = {**cloud_env(stub), "pasword": "x"}
    reply = client.post(url, json={"cloud_env": misspelt, "action": "off"}, headers=bearer(token()))
    assert_concertim_error(reply, 422)
    configure(CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="false", CLOUDPLANE_ALLOWED_NETWORKS="")
    body = assert_concertim_error(post_status(client, stub, "devices", server.id, "off"), 422)
    assert "auth_url" in str(body["details"])
    assert actions_sent(stub, server.id) == []


def test_a_cloud_that_does_not_answer_is_a_503_and_nothing_is_sent(
    client: InProcessClient, concertim: dict[str, Any], stub: OpenStackStub
) -> None:
    server = stub.state.server("ACTIVE")
    stub.state.fail_next = 10
    try:
        reply = post_status(client, stub, "devices", server.id, "off")
    finally:
        stub.state.fail_next = 0
    body = assert_concertim_error(reply, 503, "CLOUD_UNAVAILABLE")
    assert reply.header("Retry-After") and "cloud_id" not in body["details"]
    assert actions_sent(stub, server.id) == []
    assert post_status(client, stub, "devices", server.id, "off").status == 202
