"""Readiness follows storage: 503 while Azurite is down, 200 once it is back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


def test_ready_turns_503_when_azurite_stops_and_200_when_it_returns(
    tmp_path: Path, start_host: Callable[..., DevHost], http: httpx.Client
) -> None:
    with Azurite(tmp_path / "azurite") as storage:
        host = start_host(storage, CLOUDPLANE_READY_TIMEOUT_SECONDS=1)
        url = f"{host.base_url}/api/v1/ready"
        assert http.get(url).status_code == 200

        storage.stop()
        started = time.monotonic()
        down = http.get(url)
        assert down.status_code == 503
        assert time.monotonic() - started < 5
        checks = down.json()["error"]["details"]["checks"]
        assert {name: check["status"] for name, check in checks.items()} == {
            "table": "failed",
            "queue": "failed",
            "blob": "failed",
        }
        assert down.headers["Retry-After"] == "5"
        assert http.get(f"{host.base_url}/api/v1/health").status_code == 200, "liveness does not depend on storage"

        storage.start()
        assert http.get(url).status_code == 200
