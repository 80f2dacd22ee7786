"""Jobs end to end: HTTP submission, the local host's queue triggers, polling, results, poison."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import ADMIN_KEY, app_env, new_tenant
from tests.support.azurite import ROOT, Azurite
from tests.support.devhost_process import DevHost


def poll(http: httpx.Client, url: str, headers: dict[str, str], until: set[str], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        job = http.get(url, headers=headers).json()
        if job["status"] in until:
            return job
        assert time.monotonic() < deadline, f"job still {job['status']}"
        time.sleep(0.2)


def worker_host(azurite: Azurite, tmp_path: Path, **settings: Any) -> DevHost:
    """The local host with queue triggers on, and a host.json with short retry timings."""
    script_root = tmp_path / "root"
    script_root.mkdir()
    for name in ("function_app.py", "functions", "shared"):
        (script_root / name).symlink_to(ROOT / name)
    (script_root / "host.json").write_text(
        '{"version": "2.0", "extensions": {"http": {"routePrefix": "api"}, "queues": {"batchSize": 16,'
        ' "maxPollingInterval": "00:00:00.500", "visibilityTimeout": "00:00:00", "maxDequeueCount": 2}}}'
    )
    host = DevHost("function_app:app", app_env(azurite, CLOUDPLANE_JOB_MAX_ATTEMPTS=2, **settings), cwd=tmp_path,
                   args=["--script-root", str(script_root), "--settings", str(tmp_path / "none.json")])
    host.start()
    return host


def test_job_runs_through_the_queue_triggers(azurite: Azurite, tmp_path: Path, http: httpx.Client) -> None:
    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"jobs-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        submitted = http.post(f"{host.base_url}/api/v1/jobs", headers=headers, json={
            "type": "diagnostics.echo", "name": "e2e", "configuration": {"items": 120, "batch_size": 25}})
        assert submitted.status_code == 202
        url = host.base_url + submitted.headers["Location"]
        job = poll(http, url, headers, {"completed", "completed_with_errors", "failed"})
        assert job["status"] == "completed" and job["progress"]["processed"] == 120
        rows = http.get(f"{url}/results?format=json", headers=headers).json()["rows"]
        assert len(rows) == 120

        failing = http.post(f"{host.base_url}/api/v1/jobs", headers=headers, json={
            "type": "diagnostics.echo", "name": "half", "configuration": {
                "items": 20, "batch_size": 10, "raise_batches": [1], "raise_until_round": 1}})
        url = host.base_url + failing.headers["Location"]
        job = poll(http, url, headers, {"completed", "completed_with_errors", "failed"})
        assert job["status"] == "completed_with_errors", job
        assert job["progress"] == {**job["progress"], "processed": 10, "failed": 10}
        assert http.post(f"{url}/retry", headers=headers, json={"failed_only": True}).status_code == 202
        job = poll(http, url, headers, {"completed", "completed_with_errors", "failed"})
        assert job["status"] == "completed" and job["progress"]["processed"] == 20
    finally:
        host.stop()


def test_a_poisoned_message_ends_its_job_failed(azurite: Azurite, tmp_path: Path, http: httpx.Client) -> None:
    """A start step whose configuration cannot be read fails every attempt, reaches jobs-poison, and fails the job."""
    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"poison-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        job = http.post(f"{host.base_url}/api/v1/jobs", headers=headers, json={
            "type": "diagnostics.echo", "name": "poison", "configuration": {"items": 1}}).json()
        # Break the stored configuration behind the API's back, as a bug or bad data would.
        from azure.data.tables import TableClient, UpdateMode

        table = TableClient.from_connection_string(azurite.connection_string, "jobs")
        table.update_entity({"PartitionKey": tenant["tenant"]["id"], "RowKey": job["id"],
                             "configuration": '{"items": "not a number"}', "status": "queued"}, mode=UpdateMode.MERGE)
        url = f"{host.base_url}/api/v1/jobs/{job['id']}"
        failed = poll(http, url, headers, {"failed", "completed"}, timeout=60)
        assert failed["status"] == "failed"
        assert failed["error"]["code"] == "JOB_MESSAGE_POISONED"
    finally:
        host.stop()


def test_settings_used(start_host: Callable[..., DevHost]) -> None:
    assert ADMIN_KEY  # the e2e admin key is what app_env gives every host
