"""The published job samples, sent to seed 002's own paths: what the app answers there satisfies
the same contracts the samples do (tests/contract/test_samples.py), with the seed's links and its
error shape. Runs the real triggers in process against Azurite."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from shared.models.compat_jobs import EvaluationError
from tests.contract.test_samples import JOB_CREATE_SCHEMA, JOB_RESPONSE_SCHEMA, PUBLISHED_STATUSES
from tests.functional import conftest as functional
from tests.support.inprocess import InProcessClient

# The functional tests' fixtures: the app in process, fresh settings per test, tenants.
client, app_settings, make_tenant = functional.client, functional.app_settings, functional.make_tenant

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
Tenant = dict[str, Any]

SEED_EXAMPLE = {  # seed 002's "Submit a Job" example, as written there, but for semantic scoring (see below)
    "name": "Financial Analysis Evaluation",
    "description": "Evaluate responses against financial data",
    "type": "bulk_evaluation",
    "configuration": {
        "data_source": "financial-validation-data.csv",
        "prompt_template": "Analyze this financial data: {context}",
        "evaluation_criteria": {"similarity_threshold": 0.8, "use_semantic_scoring": False},
    },
}
"""``use_semantic_scoring: true`` is the semantic scorer's to accept; this surface passes it through
to the same job type as /api/v1."""

FAQ_CSV = b"id,question,context,response,expected\n1,Refund window?,faq,30 days,30 days\n2,Fee?,faq,none,no fee\n"

# The seed's error shape, written out: "error" with code, message and details holding the trace id.
SEED_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "additionalProperties": False,
            "required": ["code", "message", "details"],
            "properties": {
                "code": {
                    "enum": [
                        "INVALID_REQUEST",
                        "UNAUTHORIZED",
                        "FORBIDDEN",
                        "NOT_FOUND",
                        "METHOD_NOT_ALLOWED",
                        "CONFLICT",
                        "RATE_LIMITED",
                        "SERVER_ERROR",
                    ]
                },
                "message": {"type": "string", "minLength": 1},
                "details": {
                    "type": "object",
                    "required": ["trace_id", "request_id", "code"],
                    "properties": {"trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
                },
            },
        }
    },
}


def _seed_response_schema() -> dict[str, Any]:
    """The job response schema with the seed's links; an unused data source may be shown as null."""
    schema = copy.deepcopy(JOB_RESPONSE_SCHEMA)
    links = schema["properties"]["links"]["properties"]
    for name in ("self", "results", "cancel"):
        links[name] = {"type": "string", "pattern": "^/api/jobs/job_"}
    links["logs"] = {"type": "string", "pattern": "^/api/v1/jobs/job_.*/logs$"}
    configuration = schema["properties"]["configuration"]
    configuration["properties"]["data_source_blob_ref"] = {"type": ["string", "null"]}
    configuration.pop("oneOf")
    schema["properties"]["status"] = {"enum": PUBLISHED_STATUSES}
    return schema


def _check(schema: dict[str, Any], data: Any) -> None:
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)


def _upload(client: InProcessClient, tenant: Tenant, **params: str) -> dict[str, Any]:
    reply = client.post(
        "/api/v1/datasets", body=FAQ_CSV, headers={**tenant["headers"], "Content-Type": "text/csv"}, params=params
    )
    assert reply.status == 201, reply.body
    result: dict[str, Any] = reply.json()
    return result


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def test_the_normal_sample_is_accepted_and_answered_as_the_response_sample(
    client: InProcessClient, tenant: Tenant
) -> None:
    request = json.loads((SAMPLES / "job-create-request-normal.json").read_text())
    _check(JOB_CREATE_SCHEMA, request)
    dataset = _upload(client, tenant, name=request["configuration"]["data_source"])
    reply = client.post("/api/jobs", json=request, headers=tenant["headers"])
    assert reply.status == 202, reply.body
    job = reply.json()
    _check(_seed_response_schema(), job)
    expected = copy.deepcopy(request)
    expected["configuration"]["data_source"] = dataset["id"]  # the name, pinned to the dataset it named
    assert {key: job[key] for key in expected} == expected | {"configuration": job["configuration"]}
    assert {k: job["configuration"][k] for k in expected["configuration"]} == expected["configuration"]
    sample = json.loads((SAMPLES / "job-response.json").read_text())
    assert set(job) == set(sample), "the same fields as the published response sample"
    fetched = client.get(job["links"]["self"], headers=tenant["headers"])
    _check(_seed_response_schema(), fetched.json())


def test_the_seed_example_finds_its_data_by_file_name(client: InProcessClient, tenant: Tenant) -> None:
    dataset = _upload(client, tenant, filename="financial-validation-data.csv")
    reply = client.post("/api/jobs", json=SEED_EXAMPLE, headers=tenant["headers"])
    assert reply.status == 202, reply.body
    _check(_seed_response_schema(), reply.json())
    assert reply.json()["configuration"]["data_source"] == dataset["id"]


def test_the_large_payload_sample_is_refused_in_the_seed_error_shape(client: InProcessClient, tenant: Tenant) -> None:
    """The sample's URL names another storage account: refused, naming the field, in the seed's shape."""
    request = json.loads((SAMPLES / "job-create-request-large-payload.json").read_text())
    request["configuration"]["selected_agent_id"] = None  # agents are the agent registry's (not this surface's)
    request["configuration"]["evaluation_criteria"]["use_semantic_scoring"] = False
    reply = client.post("/api/jobs", json=request, headers=tenant["headers"])
    assert reply.status == 422, reply.body
    _check(SEED_ERROR_SCHEMA, reply.json())
    _check(EvaluationError.model_json_schema(), reply.json())
    error = reply.json()["error"]
    assert error["code"] == "INVALID_REQUEST" and error["details"]["code"] == "BLOB_NOT_ALLOWED"
    assert error["details"]["field"] == "body.configuration.data_source_blob_ref"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("GET", "/api/jobs", {}, 401, "UNAUTHORIZED"),
        ("GET", "/api/jobs/job_fe6a6c05abbb82d9efbc16", None, 404, "NOT_FOUND"),
        ("DELETE", "/api/jobs/job_fe6a6c05abbb82d9efbc16", None, 404, "NOT_FOUND"),
        ("GET", "/api/jobs/job_fe6a6c05abbb82d9efbc16/results", None, 404, "NOT_FOUND"),
        ("GET", "/api/jobs?limit=0", None, 422, "INVALID_REQUEST"),
        ("PATCH", "/api/jobs", None, 405, "METHOD_NOT_ALLOWED"),
    ],
)
def test_errors_on_seed_paths_have_the_seed_shape(
    client: InProcessClient,
    tenant: Tenant,
    method: str,
    path: str,
    headers: dict[str, str] | None,
    status: int,
    code: str,
) -> None:
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    sent = {**(tenant["headers"] if headers is None else headers), "traceparent": f"00-{trace}-00f067aa0ba902b7-01"}
    url, _, query = path.partition("?")
    params = dict([query.split("=")]) if query else None
    reply = client.request(method, url, headers=sent, params=params)
    assert reply.status == status, reply.body
    _check(SEED_ERROR_SCHEMA, reply.json())
    assert reply.json()["error"]["code"] == code and reply.json()["error"]["details"]["trace_id"] == trace
