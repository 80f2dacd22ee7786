"""End-to-end: the real app over real HTTP through the local host, against Azurite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.azurite import ROOT, Azurite
from tests.support.devhost_process import DevHost

ADMIN_KEY = "e2e-admin-key-not-a-secret"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def app_env(azurite: Azurite, **overrides: Any) -> dict[str, str]:
    env = {
        "AzureWebJobsStorage": azurite.connection_string,
        "CLOUDPLANE_ADMIN_KEY": ADMIN_KEY,
        "CLOUDPLANE_RATE_LIMIT_DEFAULT": "100000",
        "CLOUDPLANE_CORS_ORIGINS": "https://app.example.com",
        "CLOUDPLANE_LOG_LEVEL": "INFO",
        "CLOUDPLANE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",  # the app may connect to loopback only
    }
    env.update({name: str(value) for name, value in overrides.items()})
    return env


@pytest.fixture
def start_host(tmp_path: Path) -> Iterator[Callable[..., DevHost]]:
    """Start ``function_app`` in the local host; every host started is stopped after the test."""
    hosts: list[DevHost] = []

    def start(azurite: Azurite, **settings: Any) -> DevHost:
        host = DevHost(
            "function_app:app",
            app_env(azurite, **settings),
            cwd=tmp_path,
            # The developer's own local.settings.json must not leak into the tests.
            args=["--script-root", str(ROOT), "--settings", str(tmp_path / "no-local-settings.json"), "--no-queues"],
        )
        host.start()
        hosts.append(host)
        return host

    yield start
    for host in hosts:
        host.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def new_tenant(http: httpx.Client, host: DevHost, slug: str) -> dict[str, Any]:
    reply = http.post(f"{host.base_url}/api/v1/tenants", json={"name": slug, "slug": slug}, headers=ADMIN)
    assert reply.status_code == 201, reply.text
    return reply.json()  # type: ignore[no-any-return]
