"""Connections: sealed credentials, tenancy, address rules and the live test, against Azurite and the fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from azure.data.tables import TableClient

from tests.functional.conftest import KEY_A
from tests.support.crm_fakes import FakeAffinity, FakeAttio
from tests.support.inprocess import InProcessClient

AFFINITY_KEY = "aff-secret-key-7d1f0c9e"
ATTIO_TOKEN = "attio-secret-token-5b2a8e41"


@pytest.fixture
def migration_settings(app_settings: None, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_A, CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true")


@pytest.fixture
def affinity() -> Iterator[FakeAffinity]:
    fake = FakeAffinity(AFFINITY_KEY)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def attio() -> Iterator[FakeAttio]:
    fake = FakeAttio(ATTIO_TOKEN)
    fake.start()
    yield fake
    fake.stop()


def create(client: InProcessClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/connections", json=body, headers=headers)


def test_credentials_go_in_sealed_and_never_come_out(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    migration_settings: None,
    affinity: FakeAffinity,
    azurite: Any,
) -> None:
    owner, stranger = make_tenant(), make_tenant()
    reply = create(
        client,
        owner["headers"],
        system="affinity",
        name="aff-prod",
        credentials={"api_key": AFFINITY_KEY},
        base_url=affinity.base_url,
    )
    assert reply.status == 201, reply.body
    connection = reply.json()
    assert connection["credentials"]["set"] is True and connection["owner"] == "tenant"
    assert connection["rate_limits"] == {"read": {"requests": 850, "seconds": 60.0}, "write": None}
    url = f"/api/v1/connections/{connection['id']}"
    assert AFFINITY_KEY.encode() not in reply.body
    assert client.get(url, headers=owner["headers"]).json() == connection
    listed = client.get("/api/v1/connections", headers=owner["headers"])
    assert [item["id"] for item in listed.json()["items"]] == [connection["id"]]
    assert AFFINITY_KEY.encode() not in listed.body
    assert client.get(url, headers=stranger["headers"]).status == 404
    assert client.get("/api/v1/connections", headers=stranger["headers"]).json()["items"] == []

    table = TableClient.from_connection_string(azurite.connection_string, "connections")
    stored = [dict(entity) for entity in table.list_entities()]
    assert stored and AFFINITY_KEY not in repr(stored)

    taken = create(
        client,
        owner["headers"],
        system="attio",
        name="AFF-PROD",
        credentials={"api_key": "x"},
        base_url=affinity.base_url,
    )
    assert taken.status == 409 and taken.json_or_none_code() == "CONNECTION_NAME_TAKEN"

    assert client.delete(url, headers=stranger["headers"]).status == 404
    assert client.delete(url, headers=owner["headers"]).status == 204
    assert client.get(url, headers=owner["headers"]).status == 404


def test_the_live_test_answers_ok_or_a_reason(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    migration_settings: None,
    affinity: FakeAffinity,
    attio: FakeAttio,
) -> None:
    tenant = make_tenant()
    good = create(
        client,
        tenant["headers"],
        system="attio",
        name="attio",
        credentials={"api_key": ATTIO_TOKEN},
        base_url=attio.base_url,
    ).json()
    wrong = create(
        client,
        tenant["headers"],
        system="affinity",
        name="aff-wrong",
        credentials={"api_key": "nope"},
        base_url=affinity.base_url,
    ).json()
    checked = client.post(f"/api/v1/connections/{good['id']}/test", headers=tenant["headers"])
    assert checked.status == 200 and checked.json()["ok"] is True
    assert attio.seen_paths[-1] == "GET /v2/self"
    refused = client.post(f"/api/v1/connections/{wrong['id']}/test", headers=tenant["headers"]).json()
    assert (refused["ok"], refused["reason"]) == (False, "UNAUTHORIZED")

    # Credentials changed by PATCH are the ones the next test uses.
    patched = client.request(
        "PATCH",
        f"/api/v1/connections/{wrong['id']}",
        json={"credentials": {"api_key": AFFINITY_KEY}},
        headers=tenant["headers"],
    )
    assert patched.status == 200 and AFFINITY_KEY.encode() not in patched.body
    assert client.post(f"/api/v1/connections/{wrong['id']}/test", headers=tenant["headers"]).json()["ok"] is True

    affinity.stop()
    gone = client.post(f"/api/v1/connections/{wrong['id']}/test", headers=tenant["headers"]).json()
    assert (gone["ok"], gone["reason"]) == (False, "UNREACHABLE")


def test_base_url_follows_the_endpoint_rules(
    client: InProcessClient, make_tenant: Callable[..., dict[str, Any]], migration_settings: None
) -> None:
    tenant = make_tenant()
    metadata = create(
        client,
        tenant["headers"],
        system="attio",
        name="meta",
        credentials={"api_key": "k"},
        base_url="http://169.254.169.254/latest",
    )
    assert metadata.status == 422 and metadata.json_or_none_code() == "ENDPOINT_NOT_ALLOWED"
    assert b"169.254" not in metadata.body
    unknown = create(client, tenant["headers"], system="hubspot", name="h", credentials={"api_key": "k"})
    assert unknown.status == 422
    no_key = create(client, tenant["headers"], system="attio", name="nokey", credentials={})
    assert no_key.status == 422
