"""Seed 002's paths (``/api/jobs...``, ``/api/health``) over the /api/v1 jobs service, and
``data_source`` given as a dataset's file name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.functional.test_bulk_evaluation import HAND_CHECKED
from tests.functional.test_jobs import drain
from tests.support.inprocess import InProcessClient, Reply

Tenant = dict[str, Any]
SEED_ERROR_CODES = {"INVALID_REQUEST", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED", "SERVER_ERROR"}
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def upload(client: InProcessClient, tenant: Tenant, filename: str, body: bytes = HAND_CHECKED) -> dict[str, Any]:
    reply = client.post(
        "/api/v1/datasets",
        body=body,
        headers={**tenant["headers"], "Content-Type": "text/csv"},
        params={"filename": filename},
    )
    assert reply.status == 201, reply.body
    result: dict[str, Any] = reply.json()
    return result


def job_body(data_source: str, **criteria: Any) -> dict[str, Any]:
    return {
        "name": "Financial Analysis Evaluation",
        "description": "Evaluate responses against financial data",
        "type": "bulk_evaluation",
        "configuration": {
            "data_source": data_source,
            "prompt_template": "Analyze this: {question}",
            "evaluation_criteria": {"similarity_threshold": 0.5, **criteria},
        },
    }


def seed_error(reply: Reply, status: int, code: str) -> dict[str, Any]:
    """The seed's error shape: only ``error``, with ``code``, ``message`` and ``details`` holding the trace id."""
    assert reply.status == status, reply.body
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    assert error["code"] == code
    assert re.fullmatch(r"[0-9a-f]{32}", error["details"]["trace_id"])
    assert error["details"]["request_id"] == reply.header("X-Request-ID")
    return error


def test_submit_by_file_name_poll_results_and_cancel(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    headers = {**tenant["headers"], "traceparent": TRACEPARENT}
    dataset = upload(client, tenant, "financial-validation-data.csv")
    assert dataset["name"] == "financial-validation-data.csv"
    assert dataset["filename"] == "financial-validation-data.csv"

    submitted = client.post("/api/jobs", json=job_body("financial-validation-data.csv"), headers=headers)
    assert submitted.status == 202, submitted.body
    job = submitted.json()
    assert submitted.header("Location") == f"/api/jobs/{job['id']}"
    assert submitted.header("Retry-After") == "2"
    assert submitted.header("X-RateLimit-Limit") is not None
    assert job["tenant_id"] == tenant["tenant"]["id"]
    assert job["status"] == "queued" and job["type"] == "bulk_evaluation"
    assert job["configuration"]["data_source"] == dataset["id"], "the name is pinned to the dataset's id"
    assert job["links"] == {
        "self": f"/api/jobs/{job['id']}",
        "results": f"/api/jobs/{job['id']}/results",
        "logs": f"/api/v1/jobs/{job['id']}/logs",
        "cancel": f"/api/jobs/{job['id']}",
    }

    # A second upload under the same name does not change what the submitted job reads.
    upload(client, tenant, "financial-validation-data.csv", b"id,question,response,expected\nz,q,x,y\n")
    drain()
    done = client.get(f"/api/jobs/{job['id']}", headers=tenant["headers"])
    assert done.status == 200
    assert done.json()["status"] == "completed" and done.json()["summary"]["rows"] == 3
    v1 = client.get(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).json()
    assert {k: v for k, v in done.json().items() if k not in ("links", "tenant_id")} == {
        k: v for k, v in v1.items() if k != "links"
    }, "the same job as /api/v1 shows, with the seed's links"

    listed = client.get("/api/jobs", headers=tenant["headers"], params={"limit": "5"})
    assert listed.status == 200
    page = listed.json()
    assert [item["id"] for item in page["items"]] == [job["id"]] and page["has_more"] is False
    assert page["items"][0]["links"]["self"] == f"/api/jobs/{job['id']}"

    results = client.get(f"/api/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "json"})
    assert results.status == 200
    assert results.body == client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).body
    assert [row["id"] for row in results.json()["rows"]] == ["a", "b", "c"]
    as_csv = client.get(f"/api/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"})
    assert as_csv.body.decode().splitlines()[0] == (
        "id,score,passed,scores,exact_match,token_f1,edit_ratio,semantic,response,tokens,error"
    )

    finished = client.delete(f"/api/jobs/{job['id']}", headers=tenant["headers"])
    assert seed_error(finished, 409, "CONFLICT")["details"]["code"] == "JOB_FINISHED"


def test_cancel_a_queued_job(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    dataset = upload(client, tenant, "answers.csv")
    job = client.post("/api/jobs", json=job_body(dataset["id"]), headers=tenant["headers"]).json()
    cancelled = client.delete(f"/api/jobs/{job['id']}", headers=tenant["headers"])
    assert cancelled.status == 200, cancelled.body
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["tenant_id"] == tenant["tenant"]["id"]
    not_ready = client.get(f"/api/jobs/{job['id']}/results", headers=tenant["headers"])
    assert seed_error(not_ready, 409, "CONFLICT")["details"]["code"] == "JOB_NOT_FINISHED"


def test_a_name_two_datasets_share_is_a_409_that_lists_them(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    first = upload(client, tenant, "faq.csv")
    second = upload(client, tenant, "faq.csv")
    reply = client.post("/api/v1/jobs", json=job_body("faq.csv"), headers=tenant["headers"])
    assert reply.status == 409, reply.body
    error = reply.json()["error"]
    assert error["code"] == "DATASET_NAME_AMBIGUOUS"
    assert {d["id"] for d in error["details"]["datasets"]} == {first["id"], second["id"]}
    assert error["details"]["field"] == "body.configuration.data_source"
    by_id = client.post("/api/v1/jobs", json=job_body(second["id"]), headers=tenant["headers"])
    assert by_id.status == 202, "an id is never ambiguous"

    seed = client.post("/api/jobs", json=job_body("faq.csv"), headers=tenant["headers"])
    assert seed_error(seed, 409, "CONFLICT")["details"]["code"] == "DATASET_NAME_AMBIGUOUS"


def test_a_name_of_another_tenant_or_of_nothing_is_not_found(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    owner, other = make_tenant(), make_tenant()
    upload(client, owner, "private.csv")
    reply = client.post("/api/jobs", json=job_body("private.csv"), headers=other["headers"])
    error = seed_error(reply, 422, "INVALID_REQUEST")
    assert error["details"]["code"] == "DATASET_NOT_FOUND"
    assert error["details"]["field"] == "body.configuration.data_source"
    assert "private.csv" not in reply.body.decode(), "the caller's value is not echoed"
    # A name given as ``name`` (not the file name) is found too.
    named = client.post(
        "/api/v1/datasets",
        body=HAND_CHECKED,
        headers={**owner["headers"], "Content-Type": "text/csv"},
        params={"name": "Quarterly answers", "filename": "q3.csv"},
    ).json()
    for data_source in ("Quarterly answers", "q3.csv"):
        job = client.post("/api/jobs", json=job_body(data_source), headers=owner["headers"])
        assert job.status == 202, job.body
        assert job.json()["configuration"]["data_source"] == named["id"]


def test_seed_error_codes(client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Any) -> None:
    tenant = make_tenant()
    headers = {**tenant["headers"], "traceparent": TRACEPARENT}
    unauthorized = client.get("/api/jobs", headers={"traceparent": TRACEPARENT})
    assert seed_error(unauthorized, 401, "UNAUTHORIZED")["details"]["trace_id"] == TRACE
    assert unauthorized.header("WWW-Authenticate") is not None
    missing = client.get("/api/jobs/job_0000000000000000000000", headers=headers)
    assert seed_error(missing, 404, "NOT_FOUND")["details"]["code"] == "JOB_NOT_FOUND"
    assert seed_error(client.get("/api/jobs/x/results", headers=headers), 404, "NOT_FOUND")
    bad = client.post("/api/jobs", json={**job_body("x"), "configuration": {"prompt_template": "q"}}, headers=headers)
    invalid = seed_error(bad, 422, "INVALID_REQUEST")
    assert invalid["details"]["code"] == "VALIDATION_FAILED" and invalid["details"]["fields"]
    assert invalid["details"]["field"].startswith("body.configuration")
    malformed = client.post("/api/jobs", body=b"{", headers={**headers, "Content-Type": "application/json"})
    assert seed_error(malformed, 400, "INVALID_REQUEST")["details"]["code"] == "MALFORMED_JSON"
    not_allowed = client.request("PUT", "/api/jobs/job_1", headers=headers)
    assert seed_error(not_allowed, 405, "METHOD_NOT_ALLOWED")["details"]["allowed"] == ["DELETE", "GET", "HEAD"]
    admin_only = client.get("/api/jobs", headers={"Authorization": "Bearer test-admin-key-not-a-secret"})
    assert seed_error(admin_only, 403, "FORBIDDEN")["details"]["code"] == "TENANT_KEY_REQUIRED"

    configure(CLOUDPLANE_RATE_LIMIT_JOBS=1)
    tenant = make_tenant()  # a fresh budget: the requests above spent this one's
    headers = tenant["headers"]
    dataset = upload(client, tenant, "limits.csv")
    assert client.post("/api/jobs", json=job_body(dataset["id"]), headers=headers).status == 202
    limited = client.post("/api/jobs", json=job_body(dataset["id"]), headers=headers)
    error = seed_error(limited, 429, "RATE_LIMITED")
    assert error["details"]["limit"] == 1 and limited.header("Retry-After") is not None
    assert limited.header("X-RateLimit-Remaining") == "0"


def test_storage_down_is_a_server_error(client: InProcessClient, configure: Callable[..., None]) -> None:
    from tests.support.blackhole import Blackhole

    with Blackhole() as closed:
        port = closed.port
    configure(
        AzureWebJobsStorage=f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        f"AccountKey=a2V5;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
        CLOUDPLANE_STORAGE_TIMEOUT_SECONDS=0.5,
    )
    reply = client.get("/api/jobs", headers={"Authorization": "Bearer cpk_0123456789abcdef_" + "a" * 43})
    error = seed_error(reply, 503, "SERVER_ERROR")
    assert error["details"]["code"] == "STORAGE_UNAVAILABLE"
    assert str(port) not in reply.body.decode()


def test_health_needs_no_credential(client: InProcessClient) -> None:
    reply = client.get("/api/health")
    assert reply.status == 200
    body = reply.json()
    assert body["status"] == "ok" and set(body) == {"status", "version", "time"}
    assert client.get("/api/v1/health").json()["version"] == body["version"]
