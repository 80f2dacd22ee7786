"""The OpenStack connection cache against a real Keystone: one login per cloud, renewal, isolation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from shared import deps
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.clouds import CloudConfig
from shared.models.servers import CredentialsInfo, Server
from shared.providers.openstack import CloudConnections, CloudError
from shared.storage.servers import ServerRecord
from tests.support.openstack import Keystone

pytestmark = pytest.mark.usefixtures("cluster_settings")


def store_cloud(tenant_id: str, cloud: dict[str, Any], kind: str = "openstack") -> str:
    """A server of ``kind`` in the registry, its credentials sealed as registration seals them."""
    config = CloudConfig.model_validate(cloud)
    server_id = uuid.uuid4().hex
    now = datetime.now(UTC)
    sealed = deps.server_credentials().seal(tenant_id, server_id, {"cloud": config.secret_dict()})
    server = Server(
        id=server_id,
        name=f"c-{server_id[:8]}",
        kind=kind,  # type: ignore[arg-type]
        api_url=config.auth.auth_url,
        namespace="",
        labels={},
        credentials=CredentialsInfo(set=True, kind="cloud", updated_at=now),
        cloud=config.public(),
        created_at=now,
        updated_at=now,
    )
    deps.servers().create(ServerRecord(tenant_id, server, sealed, 1))
    return server_id


def test_one_login_per_cloud_and_process(keystone: Keystone) -> None:
    service = deps.clouds_service()
    tenant = uuid.uuid4().hex
    cloud_id = store_cloud(tenant, keystone.admin_cloud())
    before = keystone.token_issues()
    for _ in range(5):
        projects = service.call(tenant, cloud_id, lambda conn: [p.name for p in conn.identity.projects()])
        assert "admin" in projects
    assert keystone.token_issues() - before == 1
    assert service.connection(tenant, cloud_id) is service.connection(tenant, cloud_id)


def test_changed_credentials_build_a_new_connection(keystone: Keystone) -> None:
    connections = CloudConnections(5.0)
    first = CloudConfig.model_validate(keystone.admin_cloud())
    second = CloudConfig.model_validate(keystone.admin_cloud() | {"interface": "internal"})
    a = connections.connection("k", first)
    assert connections.connection("k", first) is a
    b = connections.connection("k", second)
    assert b is not a and connections.builds == 2


def test_a_revoked_token_is_renewed_once(keystone: Keystone) -> None:
    """A 401 from a service re-authenticates once and retries once: one new token, the call succeeds."""
    connections = CloudConnections(5.0)
    cloud = CloudConfig.model_validate(keystone.admin_cloud())
    conn = connections.connection("k", cloud)
    keystone.revoke(conn.session.get_token())
    before = keystone.token_issues()
    users = connections.call("k", cloud, lambda c: [u.name for u in c.identity.users()])
    assert "admin" in users
    assert keystone.token_issues() - before == 1
    assert connections.builds == 1


def test_a_token_near_expiry_is_replaced_before_the_call(keystone: Keystone) -> None:
    connections = CloudConnections(5.0, margin=10 * 365 * 24 * 3600.0)  # every token "nears expiry"
    cloud = CloudConfig.model_validate(keystone.admin_cloud())
    first = connections.connection("k", cloud)
    assert connections.connection("k", cloud) is not first
    assert connections.builds == 2


def test_wrong_password_is_unauthorized_and_not_retried(keystone: Keystone) -> None:
    connections = CloudConnections(5.0)
    bad = keystone.admin_cloud()
    bad["auth"] = bad["auth"] | {"password": "not-the-password"}
    before = keystone.token_requests()
    with pytest.raises(CloudError) as caught:
        connections.call("k", CloudConfig.model_validate(bad), lambda c: c.identity.get_project("x"))
    assert caught.value.reason == "UNAUTHORIZED"
    assert "not-the-password" not in str(caught.value)
    assert keystone.token_requests() - before == 1


def test_unreachable_and_refused_endpoints(keystone: Keystone, configure: Callable[..., None]) -> None:
    from tests.support.azurite import free_port

    connections = CloudConnections(2.0)
    down = keystone.admin_cloud()
    down["auth"] = down["auth"] | {"auth_url": f"http://127.0.0.1:{free_port()}/v3"}
    with pytest.raises(CloudError) as caught:
        connections.connection("k", CloudConfig.model_validate(down))
    assert caught.value.reason == "UNREACHABLE"
    configure(CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="false")
    with pytest.raises(ValidationFailed):
        deps.cloud_connections().connection("k", CloudConfig.model_validate(keystone.admin_cloud()))


def test_other_tenants_cloud_is_404_and_a_cluster_is_409(keystone: Keystone) -> None:
    service = deps.clouds_service()
    owner, other = uuid.uuid4().hex, uuid.uuid4().hex
    cloud_id = store_cloud(owner, keystone.admin_cloud())
    with pytest.raises(NotFound):
        service.connection(other, cloud_id)
    cluster_id = store_cloud(owner, keystone.admin_cloud(), kind="kubernetes")
    with pytest.raises(Conflict) as caught:
        service.connection(owner, cluster_id)
    assert caught.value.code == "SERVER_NOT_A_CLOUD"


def test_secrets_are_write_only() -> None:
    cloud = CloudConfig.model_validate(
        {"auth": {"auth_url": "http://127.0.0.1:1/v3", "username": "u", "password": "pw-123", "project_id": "p"}}
    )
    assert "pw-123" not in repr(cloud) and "pw-123" not in cloud.model_dump_json()
    assert "pw-123" not in cloud.public().model_dump_json()
    assert cloud.secret_dict()["auth"]["password"] == "pw-123"


def test_a_service_that_always_answers_401_is_retried_once_not_in_a_loop(keystone: Keystone) -> None:
    """One re-authentication and one retry, then UNAUTHORIZED: two requests to the service, one new token."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.headers.get("X-Auth-Token", ""))
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connections = CloudConnections(5.0)
        cloud = CloudConfig.model_validate(keystone.admin_cloud())
        connections.connection("k", cloud)
        before = keystone.token_issues()
        url = f"http://127.0.0.1:{server.server_address[1]}/anything"
        with pytest.raises(CloudError) as caught:
            connections.call("k", cloud, lambda conn: conn.session.get(url))
        assert caught.value.reason == "UNAUTHORIZED"
        assert len(hits) == 2 and hits[0] != hits[1]  # the retry carried the new token
        assert keystone.token_issues() - before == 1
        assert len(connections) == 0  # dropped: the next call logs in afresh
    finally:
        server.shutdown()
        server.server_close()
