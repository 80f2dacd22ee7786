"""The jobs API and engine in-process against Azurite; the worker is driven by draining the queue."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shared import deps
from shared.jobs.messages import validate_message
from shared.jobs.store import JOBS, WORK_QUEUE
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

Tenant = dict[str, Any]


def drain(*, last_attempt: bool = False, limit: int = 500) -> int:
    """Run queued work messages until the queue is empty, as the worker would; returns how many ran."""
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    ran = 0
    while ran < limit:
        messages = list(queue.receive_messages(messages_per_page=32, max_messages=32, visibility_timeout=60))
        if not messages:
            return ran
        for message in messages:
            attempts = engine.max_attempts if last_attempt else message.dequeue_count
            try:
                engine.process(json.loads(message.content), attempts)
            except Exception:
                queue.update_message(message, visibility_timeout=0)  # as the host does before a retry
                raise
            queue.delete_message(message)
            ran += 1
    raise AssertionError("the work queue did not drain")


def echo(client: InProcessClient, tenant: Tenant, headers: dict[str, str] | None = None, **config: Any) -> Any:
    body = {"type": "diagnostics.echo", "name": "echo", "configuration": config}
    return client.post("/api/v1/jobs", json=body, headers={**tenant["headers"], **(headers or {})})


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def test_submit_poll_complete_and_download(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    reply = echo(client, tenant, items=25, batch_size=10, fail_items=[])
    assert reply.status == 202
    job = reply.json()
    assert job["status"] == "queued"
    assert reply.header("Location") == f"/api/v1/jobs/{job['id']}"
    assert reply.header("Retry-After") == "2"
    assert reply.header("X-RateLimit-Limit") == "10", "job submissions have their own budget"

    drain()
    done = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert done["status"] == "completed"
    assert done["progress"] == {"percent": 100.0, "processed": 25, "failed": 0, "total": 25, "message": "Completed"}
    assert done["summary"] == {"rows": 25, "failed": 0, "passed": 25}
    assert done["started_at"] and done["completed_at"]

    results = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"])
    assert results.status == 200 and results.header("Content-Type") == "application/json"
    body = results.json()
    assert [row["id"] for row in body["rows"]] == [str(i) for i in range(25)]
    assert body["summary"]["rows"] == 25
    as_csv = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.body.decode())))
    assert rows[0] == ["id", "value", "passed", "error"] and len(rows) == 26
    assert rows[5] == ["4", "8", "True", ""]


def test_logs_are_the_job_messages_in_order(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=3, batch_size=1).json()
    drain()
    reply = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"], params={"limit": "100"})
    events = reply.json()["items"]
    kinds = [event["message"]["message_type"] for event in events]
    assert kinds == ["job_created", "job_started", "job_progress", "job_progress", "job_progress", "job_completed"]
    assert [event["sequence"] for event in events] == list(range(6))
    for event in events:
        validate_message(event["message"])
        assert event["message"]["tenant_id"] == tenant["tenant"]["id"]
    first_page = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"], params={"limit": "4"})
    assert first_page.json()["has_more"] is True


def test_trace_id_travels_into_job_messages(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    job = echo(client, tenant, {"traceparent": f"00-{trace}-00f067aa0ba902b7-01"}, items=1).json()
    drain()
    events = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    assert {event["message"]["trace_id"] for event in events} == {trace}


def test_unknown_type_and_bad_configuration(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    unknown = client.post("/api/v1/jobs", json={"type": "nope", "name": "x"}, headers=tenant["headers"])
    assert unknown.status == 400
    assert "diagnostics.echo" in unknown.json()["error"]["details"]["known_types"]
    marker = client.post(
        "/api/v1/jobs", json={"type": '=HYPERLINK("http://x")', "name": "x"}, headers=tenant["headers"]
    )
    assert marker.status == 400 and "HYPERLINK" not in json.dumps(marker.json()), "the type is never echoed"
    bad = echo(client, tenant, items=-1, colour="blue")
    assert bad.status == 422
    paths = {field["path"] for field in bad.json()["error"]["details"]["fields"]}
    assert paths == {"body.configuration.items", "body.configuration.colour"}


def test_idempotent_resubmission(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    key = {"Idempotency-Key": "order-42"}
    first = echo(client, tenant, key, items=2)
    again = echo(client, tenant, key, items=2)
    assert first.status == 202 and again.status == 200
    assert again.json()["id"] == first.json()["id"]
    assert drain() == 1, "one start (a one-batch job runs inside it): the repeat sent nothing"
    other = echo(client, tenant, key, items=3)
    assert other.status == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    listed = client.get("/api/v1/jobs", headers=tenant["headers"]).json()["items"]
    assert len(listed) == 1


def test_idempotency_compares_requests_after_defaults(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    headers = {**tenant["headers"], "Idempotency-Key": "defaults-1"}
    first = client.post(
        "/api/v1/jobs", json={"type": "diagnostics.echo", "name": "e", "configuration": {}}, headers=headers
    )
    assert first.status == 202
    same_bodies = [
        {"type": "diagnostics.echo", "name": "e", "configuration": {"batch_size": 100}},
        {"configuration": {"items": 10, "batch_size": 100, "fail_items": []}, "name": "e", "type": "diagnostics.echo"},
        {"type": "diagnostics.echo", "name": "e", "description": None},
        {"type": "diagnostics.echo", "name": "  e  "},
    ]
    for body in same_bodies:
        again = client.post("/api/v1/jobs", json=body, headers=headers)
        assert (again.status, again.json()["id"]) == (200, first.json()["id"]), body
    for body in (
        {"type": "diagnostics.echo", "name": "e", "configuration": {"batch_size": 99}},
        {"type": "diagnostics.echo", "name": "e", "description": ""},
        {"type": "diagnostics.echo", "name": "f"},
    ):
        other = client.post("/api/v1/jobs", json=body, headers=headers)
        assert other.status == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED", body
    assert len(client.get("/api/v1/jobs", headers=tenant["headers"]).json()["items"]) == 1


def test_cancel_queued_then_finished_is_409(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=5).json()
    cancelled = client.delete(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"])
    assert cancelled.status == 200 and cancelled.json()["status"] == "cancelled"
    drain()
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()["status"] == "cancelled"
    again = client.delete(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"])
    assert again.status == 409 and again.json()["error"]["code"] == "JOB_FINISHED"


def test_cancel_running_stops_at_the_next_checkpoint(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=30, batch_size=10).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    start = next(iter(queue.receive_messages(visibility_timeout=60)))
    engine.process(json.loads(start.content))
    queue.delete_message(start)
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()["status"] == "running"
    cancelling = client.delete(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"])
    assert cancelling.status == 202 and cancelling.json()["status"] == "cancelling"
    drain()
    final = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert final["status"] == "cancelled" and final["progress"]["processed"] == 0
    kinds = [
        e["message"]["message_type"]
        for e in client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    ]
    assert kinds[-1] == "job_cancelled"
    assert client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).status == 409


def test_duplicate_delivery_counts_a_batch_once(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=20, batch_size=10).json()
    engine = deps.jobs()
    start = {"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"], "trace_id": ""}
    engine.process(start)
    engine.process(start)  # a redelivered start re-sends batches; duplicates are harmless
    batch = {"kind": "batch", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"], "batch": 0}
    engine.process(batch)
    engine.process(batch)
    drain()
    final = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert final["status"] == "completed"
    assert final["progress"]["processed"] == 20
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert len(rows) == 20


def test_failed_rows_and_batches_then_retry_failed_only(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=30, batch_size=10, fail_items=[3], raise_batches=[2], raise_until_round=1).json()
    with pytest.raises(RuntimeError):
        drain()  # the first attempt at batch 2 raises: the queue would retry it
    drain(last_attempt=True)
    first = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert first["status"] == "completed_with_errors"
    assert first["progress"]["processed"] == 19 and first["progress"]["failed"] == 11

    assert (
        client.post(f"/api/v1/jobs/{job['id']}/retry", json={"failed_only": True}, headers=tenant["headers"]).status
        == 202
    )
    drain()
    second = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert second["status"] == "completed_with_errors", "item 3 fails on every run"
    assert second["progress"]["processed"] == 29 and second["progress"]["failed"] == 1
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert [row["id"] for row in rows] == [str(i) for i in range(30)]


def test_retry_is_409_unless_failed(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=1).json()
    drain()
    reply = client.post(f"/api/v1/jobs/{job['id']}/retry", json={}, headers=tenant["headers"])
    assert reply.status == 409 and reply.json()["error"]["code"] == "JOB_NOT_RETRYABLE"


def test_poisoned_step_fails_its_job(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=1).json()
    deps.jobs().fail_from_poison({"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"]})
    failed = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "JOB_MESSAGE_POISONED"
    events = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    assert events[-1]["message"]["message_type"] == "job_failed"
    assert events[-1]["message"]["error"]["code"] == "JOB_MESSAGE_POISONED"
    drain()  # the start message that is still queued finds the job finished and does nothing
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()["status"] == "failed"


def test_other_tenants_get_404_everywhere(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    owner, other = make_tenant(), make_tenant()
    job = echo(client, owner, items=1).json()
    drain()
    base = f"/api/v1/jobs/{job['id']}"
    for method, path, body in (
        ("GET", base, None),
        ("DELETE", base, None),
        ("GET", f"{base}/results", None),
        ("GET", f"{base}/logs", None),
        ("POST", f"{base}/retry", {}),
    ):
        reply = client.request(method, path, json=body, headers=other["headers"])
        assert reply.status == 404, (method, path)
        assert reply.json()["error"]["code"] == "JOB_NOT_FOUND"
    assert client.get("/api/v1/jobs", headers=other["headers"]).json()["items"] == []
    assert client.get("/api/v1/jobs", headers=ADMIN).status == 403


def test_listing_newest_first_with_filters(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    ids = [echo(client, tenant, items=1).json()["id"] for _ in range(3)]
    client.delete(f"/api/v1/jobs/{ids[0]}", headers=tenant["headers"])
    listed = client.get("/api/v1/jobs", headers=tenant["headers"]).json()["items"]
    assert [job["id"] for job in listed] == ids[::-1]
    cancelled = client.get("/api/v1/jobs", headers=tenant["headers"], params={"status": "cancelled"}).json()
    assert [job["id"] for job in cancelled["items"]] == [ids[0]]
    page = client.get("/api/v1/jobs", headers=tenant["headers"], params={"limit": "2"}).json()
    assert len(page["items"]) == 2 and page["has_more"]
    created = listed[1]["created_at"]
    after = client.get("/api/v1/jobs", headers=tenant["headers"], params={"created_after": created}).json()
    assert ids[1] not in [job["id"] for job in after["items"]]
    assert client.get("/api/v1/jobs", headers=tenant["headers"], params={"status": "bogus"}).status == 422


def test_created_after_and_before_select_exactly_the_jobs_in_the_window(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    jobs = [echo(client, tenant, items=1).json() for _ in range(4)]
    ids = [job["id"] for job in jobs]

    def listed(**params: str) -> list[str]:
        reply = client.get("/api/v1/jobs", headers=tenant["headers"], params=params)
        assert reply.status == 200, reply.json()
        return [job["id"] for job in reply.json()["items"]]

    # Every bound is a job's own created_at: the filters are strict, so that job is left out.
    assert listed(created_after=jobs[1]["created_at"]) == ids[:1:-1]
    assert listed(created_before=jobs[2]["created_at"]) == ids[1::-1]
    assert listed(created_after=jobs[0]["created_at"], created_before=jobs[3]["created_at"]) == ids[2:0:-1]
    assert listed(created_after="1970-01-01T00:00:00Z") == ids[::-1]
    assert listed(created_after="2999-01-01T00:00:00Z") == []
    assert listed(created_before="9999-12-31T23:59:59Z") == ids[::-1]
    naive = jobs[1]["created_at"].replace("Z", "").replace("+00:00", "")
    assert listed(created_after=naive) == ids[:1:-1], "a time without an offset is UTC"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"created_after": "1969-12-31T23:59:59Z"}, "query.created_after"),
        ({"created_after": "0001-01-01T00:00:00+05:00"}, "query.created_after"),
        ({"created_before": "1900-06-01T00:00:00"}, "query.created_before"),
        ({"created_after": "9999-12-31T23:00:00-05:00"}, "query.created_after"),
        ({"created_after": "2024-01-02T00:00:00Z", "created_before": "2024-01-01T00:00:00Z"}, "query.created_before"),
    ],
)
def test_created_bounds_outside_job_time_are_422(
    client: InProcessClient, make_tenant: Callable[..., Tenant], params: dict[str, str], field: str
) -> None:
    tenant = make_tenant()
    echo(client, tenant, items=1)
    reply = client.get("/api/v1/jobs", headers=tenant["headers"], params=params)
    assert reply.status == 422
    error = reply.json()["error"]
    assert [item["path"] for item in error["details"]["fields"]] == [field]
    assert all(value not in json.dumps(error) for value in params.values()), "the bound is never echoed"


def test_large_results_redirect_to_a_read_only_sas_url(
    client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]
) -> None:
    tenant = make_tenant()
    configure(CLOUDPLANE_RESULTS_INLINE_MAX_BYTES=1000)
    job = echo(client, tenant, items=200, batch_size=50).json()
    drain()
    reply = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"])
    assert reply.status == 303
    location = reply.header("Location") or ""
    assert "sig=" in location and "sp=r" in location
    downloaded = httpx.get(location).json()
    assert len(downloaded["rows"]) == 200


def test_results_409_until_finished(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=1).json()
    reply = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"])
    assert reply.status == 409 and reply.json()["error"]["code"] == "JOB_NOT_FINISHED"


def test_completion_message_references_results_and_large_payloads_go_by_blob(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    from shared.jobs.messages import fits_in_queue

    tenant = make_tenant()
    job = echo(client, tenant, items=5, batch_size=2).json()  # three batches: the sizes count the commas
    drain()
    events = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"], params={"limit": "50"})
    completed = events.json()["items"][-1]["message"]
    assert completed["message_type"] == "job_completed"
    references = {ref["blob_name"].rsplit("/", 1)[1]: ref for ref in completed["blob_references"]}
    assert set(references) == {"results.json", "results.csv"}
    assert references["results.csv"]["content_type"] == "text/csv"
    container = deps.jobs().storage.container(references["results.json"]["container"])
    for reference in references.values():  # sizes are computed, not asked of the Blob service: check them
        actual = container.get_blob_client(reference["blob_name"]).get_blob_properties().size
        assert reference["size_bytes"] == actual

    engine = deps.jobs()
    big = {"summary": {"notes": "x" * 100_000}}
    from shared.jobs.messages import MessageType
    from shared.jobs.writer import Event

    engine.writer.update(tenant["tenant"]["id"], job["id"], lambda current: [Event(MessageType.JOB_COMPLETED, big)])
    logged = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"], params={"limit": "100"})
    message = logged.json()["items"][-1]["message"]
    validate_message(message)
    assert fits_in_queue(json.dumps(message))
    assert message["payload"] == {}
    (reference,) = [ref for ref in message["blob_references"] if ref["purpose"] == "payload"]
    blob = engine.storage.container(reference["container"]).download_blob(reference["blob_name"]).readall()
    assert json.loads(blob) == big, "the claim-checked payload is whole, not truncated"
    assert reference["size_bytes"] == len(blob)


def results_of(client: InProcessClient, tenant: Tenant, job_id: str, fmt: str) -> bytes:
    reply = client.get(f"/api/v1/jobs/{job_id}/results", headers=tenant["headers"], params={"format": fmt})
    assert reply.status == 200, reply.body
    return bytes(reply.body)


@pytest.mark.parametrize("items", [3, 1000])
def test_a_one_batch_job_runs_inside_its_start_step_with_the_same_results(
    client: InProcessClient, make_tenant: Callable[..., Tenant], items: int
) -> None:
    """3 rows stay beside the job in Table storage; 1,000 rows (over one entity) go to Blob as usual."""
    tenant = make_tenant()
    inline = echo(client, tenant, items=items, batch_size=items, fail_items=[1]).json()
    fanned = echo(client, tenant, items=items, batch_size=max(1, items // 3), fail_items=[1]).json()
    assert drain() == 1 + 1 + 3 + (1 if items % 3 else 0), "the one-batch job sent no batch message"
    entity = deps.jobs().load(tenant["tenant"]["id"], inline["id"])
    assert entity.results == ("inline" if items == 3 else "blob")
    assert entity.status == "completed_with_errors" and entity.failed == 1
    assert entity.processed == items - 1
    assert entity.started_at is not None and entity.completed_at is not None
    assert entity.started_at <= entity.completed_at
    got = client.get(f"/api/v1/jobs/{inline['id']}", headers=tenant["headers"]).json()
    assert got["progress"]["percent"] == 100.0 and got["summary"] == {"rows": items, "failed": 1, "passed": items - 1}

    one, many = (json.loads(results_of(client, tenant, j["id"], "json")) for j in (inline, fanned))
    assert one["job_id"] == inline["id"] and one["summary"] == many["summary"]
    assert one["rows"] == many["rows"] and len(one["rows"]) == items
    assert results_of(client, tenant, inline["id"], "csv") == results_of(client, tenant, fanned["id"], "csv")

    logs = client.get(f"/api/v1/jobs/{inline['id']}/logs", headers=tenant["headers"]).json()["items"]
    assert [e["message"]["message_type"] for e in logs] == ["job_created", "job_started", "job_completed"]
    assert [e["sequence"] for e in logs] == [0, 1, 2]
    for event in logs:
        validate_message(event["message"])
    references = logs[-1]["message"]["blob_references"]
    assert len(references) == (0 if items == 3 else 2)


def test_the_rows_kept_beside_a_job_are_not_jobs(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=2).json()
    unfinished = echo(client, tenant, items=2).json()
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    deps.jobs().process({"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"]})
    # the first job ran (res:, ev: and end: rows); the second keeps its act: row
    for row in (f"res:{job['id']}", f"ev:{job['id']}:00000000", f"act:{unfinished['id']}", "end:"):
        for method, path in (("GET", ""), ("DELETE", ""), ("GET", "/logs"), ("GET", "/results")):
            reply = client.request(method, f"/api/v1/jobs/{row}{path}", headers=tenant["headers"])
            assert reply.status == 404 and reply.json()["error"]["code"] == "JOB_NOT_FOUND", (method, row, path)
    listed = client.get("/api/v1/jobs", headers=tenant["headers"]).json()["items"]
    assert sorted(j["id"] for j in listed) == sorted([job["id"], unfinished["id"]])


def test_a_start_step_delivered_twice_at_once_completes_the_job_once(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    tenant = make_tenant()
    job = echo(client, tenant, items=3).json()
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    message = {"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"]}
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: deps.jobs().process(dict(message)), range(4)))
    deps.jobs().process(dict(message))  # and once more, late
    logs = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    assert [e["message"]["message_type"] for e in logs] == ["job_created", "job_started", "job_completed"]
    got = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert got["status"] == "completed" and got["progress"]["processed"] == 3
    assert len(json.loads(results_of(client, tenant, job["id"], "json"))["rows"]) == 3
    stats = client.get("/api/v1/stats", headers=tenant["headers"]).json()
    assert stats["by_status"]["completed"] == 1, "its end is counted once"


def test_a_cancel_while_a_job_runs_inline_wins(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    """The job shows queued while it runs inline, so a cancel ends it at once; the run's outcome is dropped."""
    from shared.jobs.store import result_row
    from shared.jobs.types import echo as echo_type

    tenant = make_tenant()
    job = echo(client, tenant, items=2).json()
    original = echo_type.ECHO.run_batch

    def cancelled_meanwhile(context: Any, config: Any, plan: dict[str, Any]) -> Any:
        reply = client.delete(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"])
        assert reply.status == 200 and reply.json()["status"] == "cancelled"
        return original(context, config, plan)

    object.__setattr__(echo_type.ECHO, "run_batch", cancelled_meanwhile)
    try:
        assert drain() == 1
    finally:
        object.__setattr__(echo_type.ECHO, "run_batch", original)
    got = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert got["status"] == "cancelled" and got["progress"]["processed"] == 0
    logs = client.get(f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"]).json()["items"]
    assert [e["message"]["message_type"] for e in logs] == ["job_created", "job_cancelled"]
    rows = deps.jobs().storage.table(JOBS).query_entities(
        "PartitionKey eq @pk and RowKey eq @rk", parameters={"pk": tenant["tenant"]["id"], "rk": result_row(job["id"])}
    )
    assert list(rows) == [], "the dropped run wrote no results"
    stats = client.get("/api/v1/stats", headers=tenant["headers"]).json()
    assert stats["by_status"]["cancelled"] == 1 and stats["by_status"]["completed"] == 0


def test_a_job_with_nothing_to_do_ends_in_its_start_step(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=0).json()
    assert drain() == 1
    got = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert got["status"] == "completed" and got["progress"]["percent"] == 100.0
    assert got["summary"] == {"rows": 0, "failed": 0, "passed": 0}
    assert json.loads(results_of(client, tenant, job["id"], "json"))["rows"] == []
    assert results_of(client, tenant, job["id"], "csv") == b"id,value,passed,error\n"


def test_an_inline_run_that_raises_takes_the_fan_out_path(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=2).json()
    from shared.jobs.types import echo as echo_type  # its handler fails its first run only

    calls: list[int] = []
    original = echo_type.ECHO.run_batch

    def flaky(context: Any, config: Any, plan: dict[str, Any]) -> Any:
        calls.append(context.attempt)
        if len(calls) == 1:
            raise RuntimeError("first run fails")
        return original(context, config, plan)

    object.__setattr__(echo_type.ECHO, "run_batch", flaky)
    try:
        assert drain() == 2, "the start step, then the batch it fanned out"
    finally:
        object.__setattr__(echo_type.ECHO, "run_batch", original)
    got = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert got["status"] == "completed" and len(calls) == 2
    assert json.loads(results_of(client, tenant, job["id"], "json"))["rows"][1]["value"] == 2


def test_a_crash_between_the_last_count_and_finalizing_is_healed_by_redelivery(
    client: InProcessClient, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    job = echo(client, tenant, items=2, batch_size=1).json()
    engine = deps.jobs()
    engine.process({"kind": "start", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"]})
    engine.process({"kind": "batch", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"], "batch": 0})

    def crash(_: Any) -> None:
        raise RuntimeError("the instance died")

    monkeypatch.setattr(engine.worker, "_finalize", crash)
    last = {"kind": "batch", "tenant_id": tenant["tenant"]["id"], "job_id": job["id"], "batch": 1}
    with pytest.raises(RuntimeError):
        engine.process(last)
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()["status"] == "running"
    monkeypatch.undo()
    engine.process(last)  # the queue delivers the message again
    final = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert final["status"] == "completed" and final["progress"]["processed"] == 2
