"""The published samples, the JobMessage JSON Schema and the Pydantic models agree.

Every file in docs/samples is checked by exactly one rule, so a new sample cannot slip in
unchecked; the negative cases show the schema rejects what it should, and that the
Pydantic models reject the same messages.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
from jsonschema import Draft202012Validator

from shared.jobs.messages import (
    QUEUE_MESSAGE_LIMIT,
    SCHEMA_PATH,
    BlobReference,
    JobError,
    JobMessage,
    JobStatus,
    MessageType,
    Progress,
    decode,
    encode,
    fits_in_queue,
    load_schema,
    validate_message,
)
from shared.models.common import ErrorResponse

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))

# The sample names the seed contract promises, plus the lifecycle steps it left out.
EXPECTED_SAMPLES = {
    "job-create-request-normal.json",
    "job-create-request-large-payload.json",
    "job-response.json",
    "job-message-created.json",
    "job-message-started.json",
    "job-message-progress.json",
    "job-message-completed.json",
    "job-message-completed-large-payload.json",
    "job-message-failed.json",
    "job-message-cancelled.json",
    "error-response-invalid-request.json",
    "error-response-rate-limited.json",
}

TRACE_ID = re.compile(r"^[0-9a-f]{32}$")

# Provisional: the job API's request and response models are not published yet, so these
# two small schemas pin the samples' shape for now. Replace them with the models' own JSON
# Schemas (as the error samples use ErrorResponse's) once the jobs API models are final.
_NULLABLE_STRING = {"type": ["string", "null"]}
JOB_CONFIGURATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["prompt_template", "evaluation_criteria"],
    "oneOf": [{"required": ["data_source"]}, {"required": ["data_source_blob_ref"]}],
    "properties": {
        "data_source": {"type": "string", "minLength": 1},
        "data_source_blob_ref": {"type": "string", "format": "uri", "pattern": "^https://"},
        "prompt_template": {"type": "string", "minLength": 1},
        "evaluation_criteria": {
            "type": "object",
            "additionalProperties": False,
            "required": ["similarity_threshold"],
            "properties": {
                "similarity_threshold": {"type": "number", "minimum": 0, "maximum": 1},
                "use_semantic_scoring": {"type": "boolean"},
                "custom_evaluators": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
        },
        "selected_agent_id": _NULLABLE_STRING,
        "additional_instructions": _NULLABLE_STRING,
        "knowledge_source": _NULLABLE_STRING,
    },
}
JOB_CREATE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "name", "configuration"],
    "properties": {
        "type": {"type": "string", "minLength": 1, "maxLength": 100},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": ["string", "null"], "maxLength": 2000},
        "configuration": JOB_CONFIGURATION_SCHEMA,
    },
}
_TIMESTAMP = {"type": "string", "format": "date-time"}
# The status vocabulary as published, written out: the response schema must not be built from
# the enum it checks, or a status added to or dropped from the enum would go unnoticed.
PUBLISHED_STATUSES = ["queued", "running", "completed", "completed_with_errors", "failed", "cancelling", "cancelled"]
JOB_RESPONSE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "id",
        "tenant_id",
        "type",
        "name",
        "description",
        "status",
        "configuration",
        "progress",
        "created_at",
        "started_at",
        "completed_at",
        "error",
        "links",
    ],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "tenant_id": {"type": "string", "minLength": 1},
        "type": {"type": "string", "minLength": 1},
        "name": {"type": "string", "minLength": 1},
        "description": _NULLABLE_STRING,
        "status": {"enum": PUBLISHED_STATUSES},
        "configuration": JOB_CONFIGURATION_SCHEMA,
        # The API shows every progress field, unknown total included, so all are required here.
        "progress": {
            **load_schema()["$defs"]["Progress"],
            "required": ["percent", "processed", "failed", "total", "message"],
        },
        "created_at": _TIMESTAMP,
        "started_at": {"anyOf": [_TIMESTAMP, {"type": "null"}]},
        "completed_at": {"anyOf": [_TIMESTAMP, {"type": "null"}]},
        "error": {"anyOf": [load_schema()["$defs"]["JobError"], {"type": "null"}]},
        "links": {
            "type": "object",
            "additionalProperties": False,
            "required": ["self", "results", "logs", "cancel"],
            "properties": {
                name: {"type": "string", "pattern": "^/api/v1/jobs/"} for name in ("self", "results", "logs", "cancel")
            },
        },
    },
}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _sample(name: str) -> Any:
    return _read(SAMPLES / name)


def _check_with(schema: dict[str, Any], data: Any) -> None:
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)


def check_job_message(path: Path, data: Any) -> None:
    validate_message(data)
    message = JobMessage.model_validate(data)
    kind = path.stem.removeprefix("job-message-").removesuffix("-large-payload")
    assert message.message_type == f"job_{kind}", "the file name and message_type disagree"
    text = encode(message)
    validate_message(json.loads(text))  # what our producer writes is what the contract accepts
    assert decode(text) == message  # and nothing is lost on the way
    assert fits_in_queue(text)
    if path.stem.endswith("-large-payload"):
        assert message.blob_references, "a large-payload sample must show the claim-check"


def check_error_response(path: Path, data: Any) -> None:
    _check_with(ErrorResponse.model_json_schema(), data)
    error = data["error"]
    assert TRACE_ID.match(error["trace_id"])
    if path.name == "error-response-invalid-request.json":
        assert error["code"] == "VALIDATION_FAILED"
        assert error["details"]["fields"]
        for field in error["details"]["fields"]:
            assert set(field) == {"path", "message", "type"}
    elif path.name == "error-response-rate-limited.json":
        assert error["code"] == "RATE_LIMITED"
        assert set(error["details"]) == {"limit", "window_seconds", "retry_after_seconds"}


def check_job_create(path: Path, data: Any) -> None:
    _check_with(JOB_CREATE_SCHEMA, data)
    configuration = data["configuration"]
    if path.stem.endswith("-large-payload"):
        assert "data_source_blob_ref" in configuration and "data_source" not in configuration
    else:
        assert "data_source" in configuration


def check_job_response(path: Path, data: Any) -> None:
    _check_with(JOB_RESPONSE_SCHEMA, data)
    assert all(link.startswith(f"/api/v1/jobs/{data['id']}") for link in data["links"].values())


RULES: list[tuple[str, Callable[[Path, Any], None]]] = [
    ("job-message-", check_job_message),
    ("error-response-", check_error_response),
    ("job-create-request-", check_job_create),
    ("job-response", check_job_response),
]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[path.name for path in SAMPLE_FILES])
def test_sample_satisfies_its_contract(path: Path) -> None:
    rules = [check for prefix, check in RULES if path.name.startswith(prefix)]
    if len(rules) != 1:
        pytest.fail(f"{path.name} matches {len(rules)} rules; give each sample exactly one (see RULES)")
    rules[0](path, _read(path))


def test_every_promised_sample_exists() -> None:
    assert EXPECTED_SAMPLES <= {path.name for path in SAMPLE_FILES}


def test_samples_tell_one_story() -> None:
    """The response is the created job, and the lifecycle messages follow it in order."""
    request, response = _sample("job-create-request-normal.json"), _sample("job-response.json")
    assert {key: response[key] for key in request} == request
    lifecycle = [_sample(f"job-message-{kind}.json") for kind in ("created", "started", "progress", "completed")]
    assert {(m["job_id"], m["tenant_id"], m["trace_id"]) for m in lifecycle} == {
        (response["id"], response["tenant_id"], lifecycle[0]["trace_id"])
    }
    sequences = [m["sequence"] for m in lifecycle]
    assert sequences == sorted(set(sequences))


# ---- the schema itself --------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] == "JobMessage" and schema["description"]
    assert SCHEMA_PATH.is_file()


def _shape(model: type[pydantic.BaseModel]) -> tuple[set[str], set[str]]:
    generated = model.model_json_schema()
    return set(generated["properties"]), set(generated.get("required", []))


@pytest.mark.parametrize(
    ("model", "schema_path"),
    [
        (JobMessage, ()),
        (Progress, ("$defs", "Progress")),
        (JobError, ("$defs", "JobError")),
        (BlobReference, ("$defs", "BlobReference")),
    ],
    ids=["JobMessage", "Progress", "JobError", "BlobReference"],
)
def test_models_mirror_the_schema(model: type[pydantic.BaseModel], schema_path: tuple[str, ...]) -> None:
    published = load_schema()
    for key in schema_path:
        published = published[key]
    properties, required = _shape(model)
    assert properties == set(published["properties"])
    assert published["additionalProperties"] is False and model.model_config.get("extra") == "forbid"
    # schema_version is the one required field the model defaults: it is a const.
    assert required == set(published["required"]) - {"schema_version"}


def test_enums_mirror_the_schema() -> None:
    schema = load_schema()
    assert schema["properties"]["message_type"]["enum"] == [member.value for member in MessageType]
    assert schema["$defs"]["JobStatus"]["enum"] == [member.value for member in JobStatus] == PUBLISHED_STATUSES
    assert schema["properties"]["message_type"]["enum"] == [
        "job_created",
        "job_started",
        "job_progress",
        "job_completed",
        "job_failed",
        "job_cancelled",
    ]
    assert {status.value for status in JobStatus.TERMINAL} == {
        "completed",
        "completed_with_errors",
        "failed",
        "cancelled",
    }
    assert all(status.is_terminal == (status in JobStatus.TERMINAL) for status in JobStatus)


# ---- the schema bites ---------------------------------------------------------------------


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda message: message.pop(key)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda message: message.__setitem__(key, value)


INVALID = {
    "job_failed without error": ("job-message-failed.json", _without("error")),
    "job_failed with null error": ("job-message-failed.json", _set("error", None)),
    "error code not UPPER_SNAKE": ("job-message-failed.json", _set("error", {"code": "not-found", "message": "x"})),
    "unknown message_type": ("job-message-progress.json", _set("message_type", "job_paused")),
    "extra top-level field": ("job-message-progress.json", _set("priority", 1)),
    "trace_id upper-case": ("job-message-progress.json", _set("trace_id", "9E26F26C2D70021548D23EA275CACD05")),
    "trace_id too short": ("job-message-progress.json", _set("trace_id", "9e26f26c2d70021548d23ea275cacd0")),
    "trace_id all zero": ("job-message-progress.json", _set("trace_id", "0" * 32)),
    "negative sequence": ("job-message-progress.json", _set("sequence", -1)),
    "fractional sequence": ("job-message-progress.json", _set("sequence", 1.5)),
    "missing job_id": ("job-message-progress.json", _without("job_id")),
    "other schema_version": ("job-message-progress.json", _set("schema_version", "2.0")),
    "unknown status": ("job-message-progress.json", _set("status", "paused")),
    "status contradicts type": ("job-message-completed.json", _set("status", "running")),
    "job_progress without progress": ("job-message-progress.json", _without("progress")),
    "null progress": ("job-message-created.json", _set("progress", None)),
    "percent over 100": ("job-message-progress.json", _set("progress", {"percent": 100.5})),
    "timestamp without offset": ("job-message-progress.json", _set("timestamp", "2025-03-14T09:27:40")),
    "timestamp not a date": ("job-message-progress.json", _set("timestamp", "yesterday")),
    "blob reference missing purpose": (
        "job-message-completed-large-payload.json",
        lambda message: message["blob_references"][0].pop("purpose"),
    ),
    "blob reference negative size": (
        "job-message-completed-large-payload.json",
        lambda message: message["blob_references"][0].__setitem__("size_bytes", -1),
    ),
    "blob reference access_url not a URL": (
        "job-message-completed-large-payload.json",
        lambda message: message["blob_references"][0].__setitem__("access_url", "results.json"),
    ),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_schema_and_model_reject(case: str) -> None:
    name, mutate = INVALID[case]
    message = copy.deepcopy(_sample(name))
    validate_message(message)  # the sample is valid before the change
    mutate(message)
    with pytest.raises(jsonschema.ValidationError):
        validate_message(message)
    with pytest.raises(pydantic.ValidationError):
        JobMessage.model_validate(message)
    with pytest.raises(jsonschema.ValidationError):
        decode(json.dumps(message))


def test_optional_fields_may_be_left_out() -> None:
    message = _sample("job-message-created.json")
    for key in ("progress", "error", "blob_references"):
        message.pop(key)
    validate_message(message)
    parsed = JobMessage.model_validate(message)
    assert parsed.progress is None and parsed.blob_references == []
    assert "progress" not in json.loads(encode(parsed))  # absent, never null


# ---- the queue limit ----------------------------------------------------------------------


def _base64_length(text: str) -> int:
    return len(base64.b64encode(text.encode("utf-8")))


# Azure Storage queues take 64 KiB per message and Functions base64-encode the text: 65,536
# base64 characters carry 65,536 / 4 * 3 = 49,152 bytes of UTF-8.


def test_fits_in_queue_is_exact_at_the_limit() -> None:
    assert QUEUE_MESSAGE_LIMIT == 65536
    largest = "a" * 49152
    assert _base64_length(largest) == 65536
    assert fits_in_queue(largest)
    one_byte_over = largest + "a"
    assert _base64_length(one_byte_over) == 65540
    assert not fits_in_queue(one_byte_over)
    assert fits_in_queue("")


def test_fits_in_queue_counts_utf8_bytes_not_characters() -> None:
    largest = "é" * 24576  # two bytes each: 49,152 bytes, half the characters an ASCII text may have
    assert _base64_length(largest) == 65536
    assert fits_in_queue(largest)
    assert not fits_in_queue("é" * 24577)
    assert not fits_in_queue(largest + "a")


def test_encode_is_compact_json() -> None:
    text = encode(JobMessage.model_validate(_sample("job-message-completed.json")))
    assert text == json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)


def test_a_payload_over_the_limit_is_what_blob_references_are_for() -> None:
    message = JobMessage.model_validate(_sample("job-message-completed.json"))
    bulky = message.model_copy(update={"payload": {"rows": ["x" * 1000] * 60}})
    assert not fits_in_queue(encode(bulky))
    claim_check = JobMessage.model_validate(_sample("job-message-completed-large-payload.json"))
    assert fits_in_queue(encode(claim_check))
