"""In-process tests: the real triggers and pipeline against a real Azurite, no HTTP server."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from shared import deps
from tests.support.inprocess import InProcessClient

ADMIN_KEY = "test-admin-key-not-a-secret"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture(scope="session")
def client(azurite: Any) -> InProcessClient:
    import function_app

    return InProcessClient(function_app.app)


@pytest.fixture(autouse=True)
def app_settings(azurite: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from fresh settings and collaborators (and a generous rate limit)."""
    monkeypatch.setenv("AzureWebJobsStorage", azurite.connection_string)
    monkeypatch.setenv("CLOUDPLANE_ADMIN_KEY", ADMIN_KEY)
    monkeypatch.setenv("CLOUDPLANE_RATE_LIMIT_DEFAULT", "100000")
    # The app may connect to loopback only: a generated or mistaken public address is refused first.
    monkeypatch.setenv("CLOUDPLANE_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
    monkeypatch.delenv("CLOUDPLANE_CORS_ORIGINS", raising=False)
    deps.reset()
    yield
    deps.reset()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Change app settings for one test; the app re-reads them."""

    def apply(**values: Any) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        deps.reset()

    return apply


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def make_tenant(client: InProcessClient) -> Callable[..., dict[str, Any]]:
    """Create a tenant; returns its record, first key and headers for that key."""

    def create(name: str = "Tenant") -> dict[str, Any]:
        reply = client.post("/api/v1/tenants", json={"name": name, "slug": unique_slug()}, headers=ADMIN)
        assert reply.status == 201, reply.body
        body = reply.json()
        key = body["api_key"]["key"]
        return {
            "tenant": body["tenant"],
            "key": key,
            "key_id": body["api_key"]["id"],
            "headers": {"Authorization": f"Bearer {key}"},
        }

    return create


KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()


@pytest.fixture
def cluster_settings(app_settings: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For tests that register clusters: a credentials key, private (emulator) endpoints
    allowed, short Kubernetes timeouts, and no cluster client kept from another test."""
    from shared.providers import kubernetes as kube

    monkeypatch.setenv("CLOUDPLANE_CREDENTIALS_KEY", KEY_A)
    monkeypatch.delenv("CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS", raising=False)
    monkeypatch.setenv("CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS", "true")
    monkeypatch.setenv("CLOUDPLANE_K8S_TIMEOUT_SECONDS", "1")
    deps.reset()
    kube.CLIENTS.clear()
    yield
    kube.CLIENTS.clear()


@pytest.fixture
def emulators() -> Iterator[Callable[..., Any]]:
    """Start Kubernetes emulators (kmock over real HTTP); all are stopped after the test."""
    from tests.support.kube import KubeEmulator

    started: list[KubeEmulator] = []

    def start(**kwargs: Any) -> KubeEmulator:
        emulator = KubeEmulator(**kwargs).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()
