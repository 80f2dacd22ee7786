"""Chaos over the local host: a crash of the host, then of Azurite, in the middle of 50 jobs.

Each scenario gets its own Azurite (the second stops it) and a host with queue triggers
on. Delivery is at least once, leases of messages a dead host held run out only after the
host's lease (10 minutes), and the sweeper (every minute) re-sends the work of jobs that
made no progress for ``CLOUDPLANE_STALE_*_SECONDS`` (5 s here): so every job must still
end, ``completed``, with a JobMessage log whose sequence has no gap and results with each
row once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import app_env, new_tenant
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost, script_root
from tests.support.polling import wait_until

pytestmark = pytest.mark.slow

JOBS = 50
ITEMS = 12
BATCH = 3
SLEEP_MS = 400
FINISHED = {"completed", "completed_with_errors", "failed", "cancelled"}
RECOVERY_SECONDS = 300.0
"""Generous: a lost message waits for the sweeper, which runs once a minute, and a loaded 2-core
machine runs 50 jobs several times slower than a quiet one (a deadline, not a speed figure)."""


@pytest.fixture
def own_azurite(tmp_path: Path) -> Iterator[Azurite]:
    """An Azurite for this test only, on disk, so it can be stopped and started on the same ports."""
    with Azurite(tmp_path / "azurite") as server:
        yield server


def chaos_host(azurite: Azurite, tmp_path: Path, *, queues: bool = True) -> DevHost:
    """The local host with queue triggers on (unless ``queues`` is false), quick polling and
    retries, and a sweeper that acts after 5 s."""
    root = script_root(
        tmp_path / "root",
        {"batchSize": 16, "maxPollingInterval": "00:00:00.500", "visibilityTimeout": "00:00:01", "maxDequeueCount": 5},
    )
    return DevHost(
        "function_app:app",
        app_env(
            azurite,
            CLOUDPLANE_JOB_MAX_ATTEMPTS=5,
            CLOUDPLANE_RATE_LIMIT_JOBS=100000,
            CLOUDPLANE_STALE_QUEUED_SECONDS=5,
            CLOUDPLANE_STALE_RUNNING_SECONDS=5,
            CLOUDPLANE_STORAGE_TIMEOUT_SECONDS=2,
            CLOUDPLANE_ALLOWED_NETWORKS="127.0.0.0/8,::1/128",
        ),
        cwd=tmp_path,
        args=["--script-root", str(root), "--settings", str(tmp_path / "none.json"),
              *([] if queues else ["--no-queues"])],
    )


def tenant_headers(http: httpx.Client, host: DevHost) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_tenant(http, host, f'chaos-{uuid.uuid4().hex[:8]}')['api_key']['key']}"}


def submit_jobs(http: httpx.Client, host: DevHost, headers: dict[str, str]) -> list[str]:
    """Submit the run's jobs (to a host without queue triggers, so all 50 start together after)."""
    ids = []
    for n in range(JOBS):
        reply = http.post(
            f"{host.base_url}/api/v1/jobs",
            headers=headers,
            json={"type": "diagnostics.echo", "name": f"chaos-{n}",
                  "configuration": {"items": ITEMS, "batch_size": BATCH, "sleep_ms": SLEEP_MS}},
        )
        assert reply.status_code == 202, reply.text
        ids.append(reply.json()["id"])
    return ids


def statuses(http: httpx.Client, host: DevHost, headers: dict[str, str]) -> dict[str, str]:
    """Every job's status, or {} while the host or storage cannot answer."""
    found: dict[str, str] = {}
    cursor: str | None = None
    try:
        while True:
            params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            reply = http.get(f"{host.base_url}/api/v1/jobs", headers=headers, params=params, timeout=10)
            if reply.status_code != 200:
                return {}
            page = reply.json()
            found.update({job["id"]: job["status"] for job in page["items"]})
            cursor = page.get("next_cursor")
            if not page.get("has_more"):
                return found
    except httpx.HTTPError:
        return {}


def submitted(azurite: Azurite, tmp_path: Path, http: httpx.Client) -> tuple[dict[str, str], list[str]]:
    """A tenant and its 50 jobs, queued by a host that runs no queue trigger and is then stopped."""
    with chaos_host(azurite, tmp_path, queues=False) as front:
        headers = tenant_headers(http, front)
        return headers, submit_jobs(http, front, headers)


def wait_for_progress(http: httpx.Client, host: DevHost, headers: dict[str, str]) -> None:
    """Until some jobs are done and many are not: the middle of the run."""

    counts: dict[str, int] = {}

    def middle() -> bool:
        seen = statuses(http, host, headers)
        counts.clear()
        for status in seen.values():
            counts[status] = counts.get(status, 0) + 1
        done = sum(status in FINISHED for status in seen.values())
        return 3 <= done <= JOBS - 15

    try:
        wait_until(middle, timeout=60, interval=0.1, what="the middle of the run")
    except AssertionError as error:
        raise AssertionError(f"{error}; jobs by status: {counts}") from None


def assert_every_job_ended_whole(http: httpx.Client, host: DevHost, headers: dict[str, str], ids: list[str]) -> None:
    wait_until(
        lambda: (seen := statuses(http, host, headers)) and all(seen.get(i) in FINISHED for i in ids),
        timeout=RECOVERY_SECONDS, interval=0.5, what="every job finished",
    )
    final = statuses(http, host, headers)
    assert {final[i] for i in ids} == {"completed"}, {i: final[i] for i in ids if final[i] != "completed"}
    for job_id in ids:
        url = f"{host.base_url}/api/v1/jobs/{job_id}"
        sequences: list[int] = []
        kinds: list[str] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = http.get(f"{url}/logs", headers=headers, params=params).json()
            sequences += [event["sequence"] for event in page["items"]]
            kinds += [event["message"]["message_type"] for event in page["items"]]
            cursor = page.get("next_cursor")
            if not page.get("has_more"):
                break
        assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), (job_id, sequences)
        assert kinds[0] == "job_created" and kinds.count("job_completed") == 1, (job_id, kinds)
        rows = http.get(f"{url}/results", headers=headers, params={"format": "json"}).json()["rows"]
        assert sorted(int(row["id"]) for row in rows) == list(range(ITEMS)), (job_id, [row["id"] for row in rows])


def test_host_killed_mid_run_every_job_still_ends_whole(
    own_azurite: Azurite, tmp_path: Path, http: httpx.Client
) -> None:
    headers, ids = submitted(own_azurite, tmp_path, http)
    host = chaos_host(own_azurite, tmp_path)
    host.start()
    try:
        wait_for_progress(http, host, headers)
        assert host.kill() == -9
        host.start()
        assert_every_job_ended_whole(http, host, headers, ids)
    finally:
        host.stop()


def test_storage_restarted_mid_run_every_job_still_ends_whole(
    own_azurite: Azurite, tmp_path: Path, http: httpx.Client
) -> None:
    headers, ids = submitted(own_azurite, tmp_path, http)
    host = chaos_host(own_azurite, tmp_path)
    host.start()
    try:
        wait_for_progress(http, host, headers)
        own_azurite.stop()
        wait_until(lambda: statuses(http, host, headers) == {}, timeout=10, what="storage unavailable to the app")
        own_azurite.start()
        assert_every_job_ended_whole(http, host, headers, ids)
        assert host.running, "the host must ride out a storage outage"
    finally:
        host.stop()

