"""Migrations end to end: 20,000 persons and 2,000 organizations from the Affinity fake into the Attio
fake, over HTTP through the local host with its queue triggers, against Azurite.

The fakes run in this process and the host in its own, so every record crosses real sockets
twice. One run checks the counts, the relations, the failed records' listing, a 429 storm in the
middle (it slows the job down and fails no record), a duplicate delivery of every work message,
a re-run that changes nothing in the target, and that no credential reached a response, a log
line, a JobMessage or a table. A smaller run checks that cancel stops the job between batches.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from azure.data.tables import TableServiceClient
from azure.storage.queue import QueueClient

from tests.e2e.conftest import app_env, new_tenant
from tests.support import crm_data
from tests.support.azurite import Azurite
from tests.support.crm_fakes import FakeAffinity, FakeAttio
from tests.support.devhost_process import DevHost, script_root
from tests.support.polling import wait_until

pytestmark = pytest.mark.slow

AFFINITY_KEY = "aff-e2e-secret-91c2d7f0"
ATTIO_TOKEN = "attio-e2e-secret-4be8a613"
CREDENTIALS_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
PERSONS, ORGS = 20_000, 2_000
NO_EMAIL_EVERY = 1_000  # 20 persons without an email: they fail in the map step
REFUSED = {"person123@mail.example", "person4567@mail.example", "person17001@mail.example"}
FINISHED = {"completed", "completed_with_errors", "failed", "cancelled"}
ATTIO_WRITES_PER_SECOND = 1_000
BUDGET = {"read": {"requests": 800, "seconds": 1}, "write": {"requests": 800, "seconds": 1}}


@pytest.fixture
def affinity() -> Iterator[FakeAffinity]:
    fake = FakeAffinity(AFFINITY_KEY)  # Affinity's own limit: 900 requests a minute
    orgs = crm_data.organizations(ORGS)
    fake.load(crm_data.persons(PERSONS, orgs, no_email_every=NO_EMAIL_EVERY), orgs)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def attio() -> Iterator[FakeAttio]:
    fake = FakeAttio(ATTIO_TOKEN, reads_per_second=100, writes_per_second=ATTIO_WRITES_PER_SECOND)
    fake.reject(
        lambda obj, values: (
            "Email address is on the workspace block list" if set(values.get("email_addresses", [])) & REFUSED else None
        )
    )
    fake.start()
    yield fake
    fake.stop()


def worker_host(azurite: Azurite, tmp_path: Path) -> DevHost:
    root = script_root(
        tmp_path / "root",
        {
            "batchSize": 4,
            "newBatchThreshold": 0,
            "maxPollingInterval": "00:00:00.250",
            "visibilityTimeout": "00:00:01",
            "maxDequeueCount": 5,
        },
    )
    host = DevHost(
        "function_app:app",
        app_env(
            azurite,
            CLOUDPLANE_JOB_MAX_ATTEMPTS=5,
            CLOUDPLANE_RATE_LIMIT_JOBS=100000,
            CLOUDPLANE_CREDENTIALS_KEY=CREDENTIALS_KEY,
            CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true",
        ),
        cwd=tmp_path,
        args=["--script-root", str(root), "--settings", str(tmp_path / "none.json")],
    )
    host.start()
    return host


def poll(http: httpx.Client, url: str, headers: dict[str, str], timeout: float, on_tick: Any = None) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        job = http.get(url, headers=headers).json()
        if job["status"] in FINISHED:
            return job
        if on_tick is not None:
            on_tick(job)
        assert time.monotonic() < deadline, f"job still {job['status']}: {job['progress']}"
        time.sleep(0.5)


def test_twenty_thousand_persons_move_once_with_their_organizations(
    azurite: Azurite, tmp_path: Path, http: httpx.Client, affinity: FakeAffinity, attio: FakeAttio
) -> None:
    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"mig-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        api = f"{host.base_url}/api/v1"
        target = http.post(
            f"{api}/connections",
            headers=headers,
            json={
                "system": "attio",
                "name": "attio",
                "credentials": {"api_key": ATTIO_TOKEN},
                "base_url": attio.base_url,
                "rate_limits": BUDGET,
            },
        )
        assert target.status_code == 201, target.text
        configuration = {
            "source_system": "affinity",
            "target_system": "attio",
            # seed 003's inline form for the source: sealed into a job-owned connection at once
            "source_config": {"api_key": AFFINITY_KEY, "base_url": affinity.base_url},
            "target_config": {"connection_id": target.json()["id"]},
            "batch_size": 1000,
            "retry_policy": {"max_retries": 5, "backoff_seconds": 0.2, "max_backoff_seconds": 2},
        }
        submitted = http.post(
            f"{api}/jobs",
            headers=headers,
            json={"type": "migration", "name": "affinity to attio", "configuration": configuration},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        url = f"{api}/jobs/{job_id}"

        # Every work message delivered twice: once the batches are out, send each again.
        queue = QueueClient.from_connection_string(azurite.connection_string, "jobs")
        duplicated: set[int] = set()
        stormed: list[int] = []

        def tick(job: dict[str, Any]) -> None:
            if job["status"] == "running" and not duplicated:
                total_batches = 2 + PERSONS // 1000
                for index in range(total_batches):
                    queue.send_message(
                        json.dumps(
                            {
                                "kind": "batch",
                                "tenant_id": tenant["tenant"]["id"],
                                "job_id": job_id,
                                "batch": index,
                                "trace_id": "",
                            }
                        )
                    )
                    duplicated.add(index)
            if not stormed and attio.created > 6_000:
                attio.storm(150, retry_after=1)  # 150 429s in a row, in the middle of the run
                stormed.append(attio.created)

        started = time.monotonic()
        job = poll(http, url, headers, timeout=900, on_tick=tick)
        elapsed = time.monotonic() - started
        assert stormed and len(duplicated) == 22

        failed_expected = PERSONS // NO_EMAIL_EVERY + len(REFUSED)
        assert job["status"] == "completed_with_errors", job
        assert job["progress"]["total"] == PERSONS + ORGS
        assert job["progress"]["processed"] == PERSONS + ORGS - failed_expected
        assert job["progress"]["failed"] == failed_expected
        people = len(attio.records["people"])
        assert people == PERSONS - failed_expected and len(attio.records["companies"]) == ORGS
        assert attio.created == people + ORGS  # each record created once, whatever ran twice
        assert attio.throttled >= 150 and job["summary"]["throttled"] >= 150

        # Relations: person n works at organization n % ORGS, whichever batch wrote it.
        by_email = attio.people_by_email()
        for n in (0, 1, 998, 1_998, 2_000, 12_345, 19_998):  # n % 1000 == 999 has no email
            record = by_email[f"person{n}@mail.example"]
            company = record["values"]["company"][0]["target_record_id"]
            assert attio.records["companies"][company]["values"]["domains"] == [f"org{n % ORGS}.example"]

        rows = http.get(f"{url}/results", headers=headers, params={"format": "json"}).json()["rows"]
        assert len(rows) == failed_expected
        assert {row["step"] for row in rows} == {"map", "write"}
        assert sum(1 for row in rows if row["step"] == "write" and "block list" in row["reason"]) == len(REFUSED)
        assert {row["source_id"] for row in rows if row["step"] == "map"} == {
            str(1_000_000 + n) for n in range(NO_EMAIL_EVERY - 1, PERSONS, NO_EMAIL_EVERY)
        }

        # A re-run of the same migration: every assert matches an unchanged record.
        created, changed = attio.created, attio.changed
        rerun = http.post(
            f"{api}/jobs", headers=headers, json={"type": "migration", "name": "again", "configuration": configuration}
        ).json()
        again = poll(http, f"{api}/jobs/{rerun['id']}", headers, timeout=900)
        assert again["progress"]["processed"] == job["progress"]["processed"]
        assert (attio.created, attio.changed) == (created, changed)

        # No credential anywhere: responses, stored configuration, JobMessages, tables, the host's log.
        shown = json.dumps(
            [
                job,
                again,
                http.get(f"{api}/connections", headers=headers).json(),
                http.get(f"{url}/logs", headers=headers, params={"limit": "100"}).json(),
            ]
        )
        assert AFFINITY_KEY not in shown and ATTIO_TOKEN not in shown
        service = TableServiceClient.from_connection_string(azurite.connection_string)
        for table in service.list_tables():
            text = repr(list(service.get_table_client(table.name).list_entities()))
            assert AFFINITY_KEY not in text and ATTIO_TOKEN not in text, table.name
        log = host.log_path.read_text()
        assert AFFINITY_KEY not in log and ATTIO_TOKEN not in log
        assert job_id in log  # the log is the host's own, and it is there
        print(f"\n20,000 persons + 2,000 organizations: {elapsed:.1f} s, {attio.throttled} answers 429")
    finally:
        host.stop()


def test_cancel_stops_a_migration_between_batches(
    azurite: Azurite, tmp_path: Path, http: httpx.Client, attio: FakeAttio
) -> None:
    source = FakeAffinity(AFFINITY_KEY, limit_per_window=None)
    orgs = crm_data.organizations(10)
    source.load(crm_data.persons(6_000, orgs), orgs)
    source.start()
    attio.latency = 0.01  # slow enough to cancel in the middle
    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"cxl-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        api = f"{host.base_url}/api/v1"
        submitted = http.post(
            f"{api}/jobs",
            headers=headers,
            json={
                "type": "migration",
                "name": "to cancel",
                "configuration": {
                    "source_system": "affinity",
                    "target_system": "attio",
                    "source_config": {"api_key": AFFINITY_KEY, "base_url": source.base_url},
                    "target_config": {"api_key": ATTIO_TOKEN, "base_url": attio.base_url},
                    "batch_size": 100,
                    "objects": ["persons"],
                },
            },
        )
        assert submitted.status_code == 202, submitted.text
        url = f"{api}/jobs/{submitted.json()['id']}"
        wait_until(
            lambda: http.get(url, headers=headers).json()["progress"]["processed"] >= 200,
            timeout=120,
            what="two batches done",
        )
        assert http.delete(url, headers=headers).status_code == 202
        job = poll(http, url, headers, timeout=120)
        assert job["status"] == "cancelled"
        settled = len(attio.records["people"])
        time.sleep(1.0)  # nothing more is written once it says cancelled
        assert len(attio.records["people"]) == settled < 6_000
    finally:
        host.stop()
        source.stop()
