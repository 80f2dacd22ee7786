"""Concertim's paths over real HTTP through the local host: a ``GET`` with a JSON body reaches the app.

Concertim's UI sends ``GET /key_pairs`` and ``GET /team/limits`` with a body; the host and the
pipeline must pass it on. The cloud is the recording stub (in this process, on 127.0.0.1), so
what the body carried is seen on the cloud's side too: the login with its credentials.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest

from shared.models.tenants import Tenant
from tests.support.azurite import Azurite
from tests.support.concertim import SECRET, bearer, token
from tests.support.devhost_process import DevHost
from tests.support.openstack_stub import PASSWORD, PROJECT_ID, USER_ID, OpenStackStub


@pytest.fixture
def stub() -> Iterator[OpenStackStub]:
    server = OpenStackStub().start()
    yield server
    server.stop()


def make_tenant(azurite: Azurite, monkeypatch: pytest.MonkeyPatch) -> str:
    """A tenant written with the app's own repository, so the host can start already naming it."""
    from shared import deps

    monkeypatch.setenv("AzureWebJobsStorage", azurite.connection_string)
    deps.reset()
    tenant = Tenant(
        id=uuid.uuid4().hex, name="Concertim", slug=f"concertim-{uuid.uuid4().hex[:8]}", created_at=datetime.now(UTC)
    )
    deps.tenants().create(tenant)
    deps.reset()
    return tenant.id


def test_a_get_with_a_body_over_http(
    azurite: Azurite,
    start_host: Callable[..., DevHost],
    http: httpx.Client,
    stub: OpenStackStub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tenant_id = make_tenant(azurite, monkeypatch)
    host = start_host(
        azurite,
        CLOUDPLANE_CONCERTIM_JWT_SECRET=SECRET,
        CLOUDPLANE_CONCERTIM_TENANT=tenant_id,
        CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true",
    )
    base = f"{host.base_url}/api/concertim"
    assert http.get(f"{base}/").text == "Running\n"

    wrong = {
        "auth_url": stub.auth_url,
        "user_id": USER_ID,
        "password": "wrong-" + uuid.uuid4().hex,
        "project_id": PROJECT_ID,
    }
    reply = http.request("GET", f"{base}/key_pairs", json={"cloud_env": wrong}, headers=bearer(token()))
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"] == "CLOUD_CREDENTIALS_REJECTED"
    logins = stub.state.calls("POST", "/v3/auth/tokens")
    assert [r.body["auth"]["identity"]["password"]["user"]["id"] for r in logins] == [USER_ID], (
        "the body reached the cloud"
    )

    empty = http.request("GET", f"{base}/key_pairs", headers=bearer(token()))
    assert empty.status_code == 422 and empty.json()["details"]["fields"][0]["path"] == "body"

    # A POST on the same surface, end to end: a device switched off through the stub's Nova.
    server = stub.state.server("ACTIVE")
    good = {**wrong, "password": PASSWORD}
    reply = http.post(
        f"{base}/update_status/devices/{server.id}", json={"cloud_env": good, "action": "off"}, headers=bearer(token())
    )
    assert reply.status_code == 202, reply.text
    assert [r.body for r in stub.state.calls("POST") if r.path.endswith(f"{server.id}/action")] == [{"os-stop": None}]
    assert PASSWORD not in host.log_text() and wrong["password"] not in host.log_text()
