"""``bulk_evaluation`` jobs end to end in-process: upload a dataset, submit, drain, read results."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.functional.test_jobs import drain
from tests.support.inprocess import InProcessClient, Reply

Tenant = dict[str, Any]

HAND_CHECKED = (
    b"id,question,response,expected\n"
    b"a,Capital of France?,Paris.,paris\n"  # 1, 1, 1 -> 1.0
    b"b,2+2?,five,four\n"  # 0, 0, 1 - 3/4 -> 0.083333
    b"c,Colour?,the red colour,red colour\n"  # 0, 0.8, 1 - 4/14 -> 0.504762
)


@pytest.fixture(autouse=True)
def empty_work_queue() -> None:
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


def upload(client: InProcessClient, tenant: Tenant, body: bytes, content_type: str = "text/csv") -> dict[str, Any]:
    reply = client.post("/api/v1/datasets", body=body, headers={**tenant["headers"], "Content-Type": content_type})
    assert reply.status == 201, reply.body
    result: dict[str, Any] = reply.json()
    return result


def submit(client: InProcessClient, tenant: Tenant, **config: Any) -> Reply:
    config.setdefault("prompt_template", "{question}")
    body = {"type": "bulk_evaluation", "name": "eval", "configuration": config}
    return client.post("/api/v1/jobs", json=body, headers=tenant["headers"])


def run(client: InProcessClient, tenant: Tenant, **config: Any) -> dict[str, Any]:
    reply = submit(client, tenant, **config)
    assert reply.status == 202, reply.body
    drain(limit=10_000)
    job: dict[str, Any] = client.get(f"/api/v1/jobs/{reply.json()['id']}", headers=tenant["headers"]).json()
    return job


def test_hand_checked_summary_and_results(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    dataset = upload(client, tenant, HAND_CHECKED)
    job = run(client, tenant, data_source=dataset["id"], evaluation_criteria={"similarity_threshold": 0.5})
    assert job["status"] == "completed", job
    assert job["progress"]["processed"] == 3 and job["progress"]["failed"] == 0
    summary = job["summary"]
    assert {k: summary[k] for k in ("rows", "scored", "passed", "failed", "errored")} == {
        "rows": 3,
        "scored": 3,
        "passed": 2,
        "failed": 1,
        "errored": 0,
    }
    assert summary["pass_rate"] == pytest.approx(0.666667)
    assert summary["mean_score"] == pytest.approx(0.529365)
    assert summary["per_scorer_means"] == pytest.approx(
        {"exact_match": 0.333333, "token_f1": 0.6, "edit_ratio": 0.654762}
    )
    assert summary["p50"] == pytest.approx(0.504762, abs=0.0005)
    assert summary["p99"] == 1.0
    assert summary["error_samples"] == []

    results = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()
    rows = {row["id"]: row for row in results["rows"]}
    assert list(rows) == ["a", "b", "c"]
    assert rows["a"] == {
        "id": "a",
        "score": 1.0,
        "passed": True,
        "scores": {"exact_match": 1.0, "token_f1": 1.0, "edit_ratio": 1.0},
        "exact_match": 1.0,
        "token_f1": 1.0,
        "edit_ratio": 1.0,
        "semantic": None,
        "response": None,
        "tokens": 0,
        "error": None,
    }
    assert rows["b"]["score"] == pytest.approx(0.083333) and rows["b"]["passed"] is False
    assert rows["c"]["token_f1"] == 0.8 and rows["c"]["edit_ratio"] == pytest.approx(0.714286)
    assert rows["c"]["passed"] is True

    as_csv = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"})
    table = list(csv.reader(io.StringIO(as_csv.body.decode())))
    assert table[0] == [
        *("id", "score", "passed", "scores", "exact_match", "token_f1", "edit_ratio", "semantic"),
        *("response", "tokens", "error"),
    ]
    assert table[1][:3] == ["a", "1.0", "True"] and table[1][4:] == ["1.0", "1.0", "1.0", "", "", "0", ""]
    assert json.loads(table[1][3]) == {"exact_match": 1.0, "token_f1": 1.0, "edit_ratio": 1.0}
    assert len(table) == 4


def test_selected_scorers_only(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    dataset = upload(client, tenant, HAND_CHECKED)
    job = run(client, tenant, data_source=dataset["id"], evaluation_criteria={"custom_evaluators": ["token_f1"]})
    assert job["summary"]["per_scorer_means"] == {"token_f1": 0.6}
    assert job["summary"]["passed"] == 2, "0.8 is at the default threshold of 0.8"
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert rows[0]["exact_match"] is None and rows[0]["token_f1"] == 1.0


def test_malformed_rows_fail_only_themselves(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    body = (
        b'{"id": "ok", "response": "yes", "expected": "yes"}\n'
        b"this is not json\n"
        b'{"id": "no-expected", "response": "yes"}\n'
        b'{"id": "low", "response": "no", "expected": "yes"}\n'
    )
    dataset = upload(client, tenant, body, "application/x-ndjson")
    assert dataset["malformed_rows"] == 1
    job = run(client, tenant, data_source=dataset["id"], prompt_template="Answer: {response}")
    assert job["status"] == "completed_with_errors", job
    assert job["progress"]["processed"] == 2 and job["progress"]["failed"] == 2
    summary = job["summary"]
    assert (summary["rows"], summary["passed"], summary["failed"], summary["errored"]) == (4, 1, 1, 2)
    assert [sample["id"] for sample in summary["error_samples"]] == ["2", "no-expected"]
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert [row["id"] for row in rows] == ["ok", "2", "no-expected", "low"]
    bad = rows[1]
    assert bad["passed"] is False and bad["score"] is None and bad["error"].startswith("row 2: invalid JSON")
    assert "expected" in rows[2]["error"]
    assert rows[3]["error"] is None and rows[3]["passed"] is False


def test_batches_read_their_own_byte_ranges(
    client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_DATASET_CHUNK_ROWS=3)
    tenant = make_tenant()
    lines = [b"id,response,expected"]
    for n in range(1, 11):
        response = b'"multi\nline"' if n % 4 == 0 else b"same"
        lines.append(b"%d,%s,same" % (n, response))
    dataset = upload(client, tenant, b"\r\n".join(lines) + b"\r\n")
    job = run(client, tenant, data_source=dataset["id"], prompt_template="{response}")
    assert job["status"] == "completed"
    assert job["progress"]["total"] == 10
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert [row["id"] for row in rows] == [str(n) for n in range(1, 11)]
    assert [row["passed"] for row in rows] == [n % 4 != 0 for n in range(1, 11)]
    batches = list(
        deps.jobs()
        .storage.table("jobbatches")
        .query_entities("PartitionKey eq @pk", parameters={"pk": f"{tenant['tenant']['id']}:{job['id']}"})
    )
    assert len(batches) == 4


def test_blob_reference_to_own_dataset_only(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant, other = make_tenant(), make_tenant()
    dataset = upload(client, tenant, HAND_CHECKED)
    own = f"datasets/{tenant['tenant']['id']}/{dataset['id']}/data.csv"
    job = run(client, tenant, data_source_blob_ref=own)
    assert job["status"] == "completed" and job["summary"]["rows"] == 3

    refused = submit(client, other, data_source_blob_ref=own)
    assert refused.status == 422 and refused.json()["error"]["code"] == "BLOB_NOT_ALLOWED"
    elsewhere = submit(client, tenant, data_source_blob_ref=f"job-results/{tenant['tenant']['id']}/x.csv")
    assert elsewhere.status == 422 and elsewhere.json()["error"]["code"] == "BLOB_NOT_ALLOWED"
    missing = submit(client, tenant, data_source_blob_ref=f"datasets/{tenant['tenant']['id']}/nope/data.csv")
    assert missing.status == 422 and missing.json()["error"]["code"] == "DATASET_NOT_FOUND"
    url = submit(client, tenant, data_source_blob_ref="https://elsewhere.blob.core.windows.net/datasets/x.csv")
    assert url.status == 422 and url.json()["error"]["code"] == "BLOB_NOT_ALLOWED"


def test_refused_configurations(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant, other = make_tenant(), make_tenant()
    dataset = upload(client, tenant, HAND_CHECKED)

    bleu = submit(client, tenant, data_source=dataset["id"], evaluation_criteria={"custom_evaluators": ["bleu"]})
    assert bleu.status == 422
    field = bleu.json()["error"]["details"]["fields"][0]
    assert field["path"] == "body.configuration.evaluation_criteria.custom_evaluators.0"
    assert "json_schema, json_valid, llm_judge, numeric_close, regex, semantic" in field["message"]
    assert "bleu" not in field["message"]

    unknown = submit(client, tenant, data_source="ds_missing")
    assert unknown.status == 422 and unknown.json()["error"]["code"] == "DATASET_NOT_FOUND"
    assert "ds_missing" not in json.dumps(unknown.json())
    assert unknown.json()["error"]["details"]["fields"][0]["path"] == "body.configuration.data_source"
    theirs = submit(client, other, data_source=dataset["id"])
    assert theirs.status == 422 and theirs.json()["error"]["code"] == "DATASET_NOT_FOUND"

    columns = submit(client, tenant, data_source=dataset["id"], prompt_template="{question} {context}")
    assert columns.status == 422 and columns.json()["error"]["code"] == "MISSING_COLUMNS"
    assert "1 column" in columns.json()["error"]["message"]
    assert "context" not in json.dumps(columns.json()), "the caller's placeholder is named by its field, not echoed"
    assert columns.json()["error"]["details"]["fields"][0]["path"] == "body.configuration.prompt_template"

    assert client.get("/api/v1/jobs", headers=tenant["headers"]).json()["items"] == []


@pytest.mark.slow
def test_fifty_thousand_rows(
    client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_MAX_BODY_BYTES=1024)  # uploads take CLOUDPLANE_MAX_DATASET_BYTES, not this
    tenant = make_tenant()
    text = io.StringIO()
    text.write("id,question,response,expected\n")
    for n in range(50_000):
        response = f"answer {n}" if n % 10 else f"wrong {n}"
        text.write(f"r{n},question {n},{response},answer {n}\n")
    started = time.perf_counter()
    dataset = upload(client, tenant, text.getvalue().encode())
    assert dataset["row_count"] == 50_000
    job = run(client, tenant, data_source=dataset["id"])
    elapsed = time.perf_counter() - started
    print(f"50,000 rows: upload + evaluation in {elapsed:.1f} s")
    assert job["status"] == "completed", job
    assert job["progress"]["processed"] == 50_000
    assert job["summary"]["rows"] == 50_000 and job["summary"]["passed"] == 45_000
    batches = list(
        deps.jobs()
        .storage.table("jobbatches")
        .query_entities("PartitionKey eq @pk", parameters={"pk": f"{tenant['tenant']['id']}:{job['id']}"})
    )
    assert len(batches) >= 2

    reply = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"})
    body = httpx.get(reply.header("Location") or "").content if reply.status == 303 else reply.body
    table = list(csv.reader(io.StringIO(body.decode())))
    assert len(table) == 50_001
    assert [row[0] for row in table[1:4]] == ["r0", "r1", "r2"] and table[-1][0] == "r49999"


HOSTILE_IDS = ['=HYPERLINK("http://example.invalid/x","y")', "+1+1", "-2+3", "@SUM(A1)", "-0.5", "plain"]
"""Row ids are stripped of spaces, tabs and line breaks, so the tab and CR triggers are unit-tested."""


def test_csv_results_neutralise_formulas_in_caller_text(
    client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]
) -> None:
    """Row ids are the caller's text: in the CSV each formula trigger gets a leading quote, the same
    bytes whether the rows stayed beside the job (one batch) or were staged as blocks (fan-out)."""
    tenant = make_tenant()
    text = io.StringIO()
    csv.writer(text).writerows([["id", "question", "response", "expected"], *([i, "q", "a", "b"] for i in HOSTILE_IDS)])
    data = text.getvalue().encode()
    inline = run(client, tenant, data_source=upload(client, tenant, data)["id"])
    configure(CLOUDPLANE_DATASET_CHUNK_ROWS=2)
    fanned = run(client, tenant, data_source=upload(client, tenant, data)["id"])
    assert deps.jobs().load(tenant["tenant"]["id"], inline["id"]).results == "inline"
    assert deps.jobs().load(tenant["tenant"]["id"], fanned["id"]).results == "blob"

    files = []
    for job in (inline, fanned):
        reply = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"})
        assert reply.status == 200
        files.append(bytes(reply.body))
    assert files[0] == files[1]
    rows = list(csv.DictReader(io.StringIO(files[0].decode(), newline="")))
    assert [row["id"] for row in rows] == [f"'{rid}" for rid in HOSTILE_IDS[:-1]] + ["plain"]
    assert all(float(row["score"]) >= 0 for row in rows), "the app's numbers are written as numbers"

    as_json = client.get(f"/api/v1/jobs/{inline['id']}/results", headers=tenant["headers"]).json()
    assert [row["id"] for row in as_json["rows"]] == HOSTILE_IDS, "JSON carries the text unchanged"


CUSTOM = (
    b'{"id": "j1", "question": "q", "response": "{\\"total\\": 10.02}", "expected": "10"}\n'
    b'{"id": "j2", "question": "q", "response": "{\\"total\\": \\"ten\\"}", "expected": "10"}\n'
    b'{"id": "j3", "question": "q", "response": "total 12", "expected": "10"}\n'
    b'{"id": "j4", "question": "q", "response": "total 9", "expected": "unknown"}\n'
)


def test_custom_evaluators_with_settings_and_pass_rule(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    dataset = upload(client, tenant, CUSTOM, "application/x-ndjson")
    criteria = {
        "similarity_threshold": 1.0,
        "custom_evaluators": ["json_schema", "numeric_close", "regex"],
        "evaluator_settings": {
            "json_schema": {"schema": {"type": "object", "properties": {"total": {"type": "number"}}}},
            "numeric_close": {"tolerance": 0.05},
            "regex": {"pattern": "total"},
        },
        "pass_rule": "any",
        "weights": {"regex": 2},
    }
    job = run(client, tenant, data_source=dataset["id"], evaluation_criteria=criteria)
    assert job["status"] == "completed_with_errors", job
    rows = {
        row["id"]: row
        for row in client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    }
    assert rows["j1"]["scores"] == {"json_schema": 1.0, "numeric_close": 1.0, "regex": 1.0}
    assert rows["j2"]["scores"] == {"json_schema": 0.0, "numeric_close": 0.0, "regex": 1.0}
    assert rows["j2"]["score"] == 0.5 and rows["j2"]["passed"] is True  # any: regex alone reaches 1.0
    assert rows["j3"]["scores"] == {"json_schema": 0.0, "numeric_close": 0.0, "regex": 1.0}
    assert rows["j4"]["error"] == "numeric_close: expected has no number for numeric_close"
    assert job["summary"]["per_scorer_means"] == {"json_schema": 0.333333, "numeric_close": 0.333333, "regex": 1.0}


def test_semantic_scoring_with_the_local_model(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    body = (
        b"id,question,response,expected\n"
        b"same,q,The capital of France is Paris.,The capital of France is Paris.\n"
        b"para,q,Paris is the French capital.,The capital of France is Paris.\n"
        b"off,q,The cat is sleeping on the sofa.,Revenue grew 12% year over year.\n"
    )
    dataset = upload(client, tenant, body)
    job = run(
        client,
        tenant,
        data_source=dataset["id"],
        evaluation_criteria={"similarity_threshold": 0.8, "use_semantic_scoring": True},
    )
    assert job["status"] == "completed", job
    rows = {
        row["id"]: row
        for row in client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    }
    assert list(rows["same"]["scores"]) == ["semantic"]
    assert rows["same"]["semantic"] == pytest.approx(1.0, abs=0.01)
    assert 0.8 <= rows["para"]["semantic"] < 0.99 and rows["para"]["passed"] is True
    assert rows["off"]["semantic"] < 0.2 and rows["off"]["passed"] is False
    assert rows["para"]["exact_match"] is None
