"""The client and CLI tests: client/ on the import path, and one local host with queue triggers.

The packages under client/ are what `pip install ./client` installs; the tests import them from
the checkout so they need no install step.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ADMIN, ADMIN_KEY, app_env
from tests.support.azurite import ROOT, Azurite
from tests.support.devhost_process import DevHost, script_root

CLIENT_DIR = ROOT / "client"
if str(CLIENT_DIR) not in sys.path:
    sys.path.insert(0, str(CLIENT_DIR))

__all__ = ["ADMIN", "ADMIN_KEY", "CLIENT_DIR"]


@pytest.fixture(scope="module")
def host(azurite: Azurite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """The app in the local host with its queue triggers on (jobs run), short queue timings."""
    folder = tmp_path_factory.mktemp("client-host")
    root = script_root(
        folder / "root",
        {"batchSize": 16, "maxPollingInterval": "00:00:00.500", "visibilityTimeout": "00:00:00", "maxDequeueCount": 2},
    )
    started = DevHost(
        "function_app:app",
        app_env(
            azurite,
            CLOUDPLANE_JOB_MAX_ATTEMPTS=2,
            # Servers on the Kubernetes emulators: sealed credentials, loopback endpoints, short timeouts.
            CLOUDPLANE_CREDENTIALS_KEY=base64.b64encode(b"C" * 32).decode(),
            CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true",
            CLOUDPLANE_K8S_TIMEOUT_SECONDS=1,
            # Results over 1 KB come by 303 from Blob storage (Azurite), so clients follow that path too.
            CLOUDPLANE_RESULTS_INLINE_MAX_BYTES=1024,
        ),
        cwd=folder,
        args=["--script-root", str(root), "--settings", str(folder / "none.json")],
    )
    started.start()
    yield started
    started.stop()


def new_tenant(base_url: str, slug: str) -> dict[str, Any]:
    reply = httpx.post(f"{base_url}/api/v1/tenants", json={"name": slug, "slug": slug}, headers=ADMIN, timeout=30)
    assert reply.status_code == 201, reply.text
    return reply.json()  # type: ignore[no-any-return]
