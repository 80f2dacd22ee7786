"""Jobs end to end: HTTP submission, the local host's queue triggers, polling, results, poison."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import app_env, new_tenant
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost, script_root


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
    root = script_root(
        tmp_path / "root",
        {"batchSize": 16, "maxPollingInterval": "00:00:00.500", "visibilityTimeout": "00:00:00", "maxDequeueCount": 2},
    )
    host = DevHost(
        "function_app:app",
        app_env(azurite, CLOUDPLANE_JOB_MAX_ATTEMPTS=2, **settings),
        cwd=tmp_path,
        args=["--script-root", str(root), "--settings", str(tmp_path / "none.json")],
    )
    host.start()
    return host


def test_job_runs_through_the_queue_triggers(azurite: Azurite, tmp_path: Path, http: httpx.Client) -> None:
    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"jobs-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        submitted = http.post(
            f"{host.base_url}/api/v1/jobs",
            headers=headers,
            json={"type": "diagnostics.echo", "name": "e2e", "configuration": {"items": 120, "batch_size": 25}},
        )
        assert submitted.status_code == 202
        url = host.base_url + submitted.headers["Location"]
        job = poll(http, url, headers, {"completed", "completed_with_errors", "failed"})
        assert job["status"] == "completed" and job["progress"]["processed"] == 120
        rows = http.get(f"{url}/results?format=json", headers=headers).json()["rows"]
        assert len(rows) == 120

        failing = http.post(
            f"{host.base_url}/api/v1/jobs",
            headers=headers,
            json={
                "type": "diagnostics.echo",
                "name": "half",
                "configuration": {"items": 20, "batch_size": 10, "raise_batches": [1], "raise_until_round": 1},
            },
        )
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
        job = http.post(
            f"{host.base_url}/api/v1/jobs",
            headers=headers,
            json={"type": "diagnostics.echo", "name": "poison", "configuration": {"items": 1}},
        ).json()
        # Break the stored configuration behind the API's back, as a bug or bad data would.
        from azure.data.tables import TableClient, UpdateMode

        table = TableClient.from_connection_string(azurite.connection_string, "jobs")
        table.update_entity(
            {
                "PartitionKey": tenant["tenant"]["id"],
                "RowKey": job["id"],
                "configuration": '{"items": "not a number"}',
                "status": "queued",
            },
            mode=UpdateMode.MERGE,
        )
        url = f"{host.base_url}/api/v1/jobs/{job['id']}"
        failed = poll(http, url, headers, {"failed", "completed"}, timeout=60)
        assert failed["status"] == "failed"
        assert failed["error"]["code"] == "JOB_MESSAGE_POISONED"
    finally:
        host.stop()


def test_cancel_idempotency_csv_and_isolation_over_http(azurite: Azurite, tmp_path: Path, http: httpx.Client) -> None:
    host = worker_host(azurite, tmp_path)
    try:
        owner = new_tenant(http, host, f"own-{uuid.uuid4().hex[:8]}")
        stranger = new_tenant(http, host, f"str-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {owner['api_key']['key']}"}
        other = {"X-API-Key": stranger["api_key"]["key"]}
        jobs = f"{host.base_url}/api/v1/jobs"

        body = {"type": "diagnostics.echo", "name": "once", "configuration": {"items": 3}}
        first = http.post(jobs, headers={**headers, "Idempotency-Key": "k-1"}, json=body)
        again = http.post(jobs, headers={**headers, "Idempotency-Key": "k-1"}, json=body)
        assert (first.status_code, again.status_code) == (202, 200)
        assert first.json()["id"] == again.json()["id"]
        url = host.base_url + first.headers["Location"]
        poll(http, url, headers, {"completed"})
        csv_text = http.get(f"{url}/results?format=csv", headers=headers)
        assert csv_text.headers["Content-Type"].startswith("text/csv")
        assert csv_text.text.splitlines() == ["id,value,passed,error", "0,0,True,", "1,2,True,", "2,4,True,"]

        for method, path in (("GET", ""), ("DELETE", ""), ("GET", "/results"), ("GET", "/logs"), ("POST", "/retry")):
            reply = http.request(method, url + path, headers=other, json={} if method == "POST" else None)
            assert reply.status_code == 404, (method, path)

        slow = http.post(
            jobs,
            headers=headers,
            json={
                "type": "diagnostics.echo",
                "name": "slow",
                "configuration": {"items": 4, "batch_size": 1, "sleep_ms": 3000},
            },
        )
        url = host.base_url + slow.headers["Location"]
        poll(http, url, headers, {"running"})
        assert http.delete(url, headers=headers).status_code == 202
        cancelled = poll(http, url, headers, {"cancelled", "completed"})
        assert cancelled["status"] == "cancelled"
        assert http.delete(url, headers=headers).status_code == 409
    finally:
        host.stop()


def test_fifty_thousand_rows_duplicate_messages_and_blob_references_over_http(
    azurite: Azurite, tmp_path: Path, http: httpx.Client
) -> None:
    """A 50,000-row evaluation through the host; duplicated work messages change nothing; results travel by blob."""
    import csv
    import io
    import json

    from azure.storage.queue import QueueClient, TextBase64EncodePolicy

    host = worker_host(azurite, tmp_path)
    try:
        tenant = new_tenant(http, host, f"big-{uuid.uuid4().hex[:8]}")
        headers = {"Authorization": f"Bearer {tenant['api_key']['key']}"}
        lines = ["id,question,response,expected"]
        lines += [f"r{n},question {n},{'answer' if n % 10 else 'wrong'} {n},answer {n}" for n in range(50_000)]
        uploaded = http.post(
            f"{host.base_url}/api/v1/datasets",
            headers={**headers, "Content-Type": "text/csv"},
            content="\n".join(lines).encode(),
        )
        assert uploaded.status_code == 201, uploaded.text
        body = {
            "type": "bulk_evaluation",
            "name": "fifty thousand",
            "configuration": {"data_source": uploaded.json()["id"], "prompt_template": "{question}"},
        }
        submitted = http.post(f"{host.base_url}/api/v1/jobs", headers=headers, json=body)
        assert submitted.status_code == 202
        job_id = submitted.json()["id"]

        # Every work message of this job delivered again, as at-least-once delivery may do.
        work = QueueClient.from_connection_string(
            azurite.connection_string, "jobs", message_encode_policy=TextBase64EncodePolicy()
        )
        message = {"tenant_id": tenant["tenant"]["id"], "job_id": job_id, "trace_id": "0" * 32}
        work.send_message(json.dumps({**message, "kind": "start"}))
        for batch in range(25):  # 2,000 rows a batch
            work.send_message(json.dumps({**message, "kind": "batch", "batch": batch}))

        url = f"{host.base_url}/api/v1/jobs/{job_id}"
        job = poll(http, url, headers, {"completed", "completed_with_errors", "failed"}, timeout=240)
        assert job["status"] == "completed", job
        assert job["progress"]["processed"] == 50_000 and job["summary"]["passed"] == 45_000

        logs = http.get(f"{url}/logs", headers=headers, params={"limit": 100}).json()["items"]
        kinds = [event["message"]["message_type"] for event in logs]
        assert kinds.count("job_started") == 1 and kinds.count("job_completed") == 1
        assert kinds.count("job_progress") == 25, "each batch counted once"
        assert [event["sequence"] for event in logs] == list(range(len(logs)))
        references = logs[-1]["message"]["blob_references"]
        assert {ref["content_type"] for ref in references} == {"application/json", "text/csv"}
        assert all(ref["size_bytes"] > 64 * 1024 for ref in references), "results over 64 KB go by reference"

        reply = http.get(f"{url}/results", headers=headers, params={"format": "csv"})
        if reply.status_code == 303:
            reply = httpx.get(reply.headers["Location"])
        assert reply.status_code == 200
        table = list(csv.reader(io.StringIO(reply.text)))
        assert len(table) == 50_001 and table[1][0] == "r0" and table[-1][0] == "r49999"
        assert sum(1 for row in table[1:] if row[table[0].index("passed")] == "True") == 45_000
    finally:
        host.stop()
