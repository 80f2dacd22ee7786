"""Traces and metrics with in-memory exporters: one job's spans form one trace from its POST
through its queue steps, named and attributed as docs/operations.md queries them, with no secret."""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from azure.core.exceptions import ResourceExistsError
from azure.core.settings import settings as azure_settings
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared import deps, telemetry
from shared.jobs import sweeper
from shared.jobs.store import WORK_QUEUE, now
from tests.functional.conftest import ADMIN_KEY, KEY_A
from tests.functional.test_jobs import drain, echo
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator

Tenant = dict[str, Any]

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
CALLER = {"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}

# One tracer provider for the module, also the global one, so that azure-core's OpenTelemetry
# plugin (which asks the global provider) records its dependency spans into the same exporter.
EXPORTER = InMemorySpanExporter()
TRACER_PROVIDER = TracerProvider()
TRACER_PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))


@pytest.fixture
def reader() -> Iterator[InMemoryMetricReader]:
    """Telemetry on for one test, into in-memory exporters; off again after it."""
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    EXPORTER.clear()
    metric_reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[metric_reader])
    telemetry.use_providers(TRACER_PROVIDER, meter_provider)
    yield metric_reader
    telemetry.reset()
    meter_provider.shutdown()


def spans() -> list[ReadableSpan]:
    return list(EXPORTER.get_finished_spans())


def hex_ids(span: ReadableSpan) -> tuple[str, str]:
    assert span.context is not None
    return f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}"


def parent_of(span: ReadableSpan) -> str | None:
    return None if span.parent is None else f"{span.parent.span_id:016x}"


def named(name: str) -> list[ReadableSpan]:
    return [span for span in spans() if span.name == name]


def metric_points(metric_reader: InMemoryMetricReader, name: str) -> list[Any]:
    data = metric_reader.get_metrics_data()
    assert data is not None
    return [
        point
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == name
        for point in metric.data.data_points
    ]


def test_one_job_is_one_trace_from_post_to_completed(
    reader: InMemoryMetricReader,
    client: InProcessClient,
    make_tenant: Callable[..., Tenant],
    caplog: pytest.LogCaptureFixture,
) -> None:
    tenant = make_tenant()
    tenant_id = tenant["tenant"]["id"]
    with caplog.at_level(logging.INFO, logger="cloudplane.request"):
        reply = echo(client, tenant, headers=CALLER, items=20, batch_size=10, fail_items=[])
    assert reply.status == 202
    job_id = reply.json()["id"]
    assert drain() == 3  # start, then one message per batch

    (post,) = named("POST /api/v1/jobs")
    assert post.kind is SpanKind.SERVER
    assert hex_ids(post)[0] == CALLER_TRACE and parent_of(post) == CALLER_SPAN
    assert post.attributes == {
        "http.request.method": "POST",
        "http.route": "/api/v1/jobs",
        "http.response.status_code": 202,
        "cloudplane.tenant_id": tenant_id,
    }
    # The request's log line names the span it was written in.
    (line,) = [json.loads(r.getMessage()) for r in caplog.records if '"route":"v1/jobs"' in r.getMessage()]
    assert (line["trace_id"], line["span_id"]) == hex_ids(post)
    # So does the error body of a failed request: its trace_id is its span's.
    missing = client.get("/api/v1/jobs/job_0000000000000000000000000000", headers={**tenant["headers"], **CALLER})
    assert missing.status == 404 and missing.json()["error"]["trace_id"] == CALLER_TRACE

    (start,) = named("job start")
    batches = sorted(named("job batch"), key=lambda span: str((span.attributes or {})["cloudplane.job.batch"]))
    (finalize,) = named("job finalize")
    for span in (start, *batches, finalize):
        assert hex_ids(span)[0] == CALLER_TRACE, span.name
    assert parent_of(start) == hex_ids(post)[1]
    assert [parent_of(span) for span in batches] == [hex_ids(start)[1]] * 2
    assert parent_of(finalize) in {hex_ids(span)[1] for span in batches}
    assert start.kind is SpanKind.CONSUMER and {span.kind for span in batches} == {SpanKind.CONSUMER}
    assert start.attributes == {
        "cloudplane.job.id": job_id,
        "cloudplane.tenant_id": tenant_id,
        "cloudplane.job.step": "start",
        "cloudplane.job.attempt": 1,
        "cloudplane.job.type": "diagnostics.echo",
    }
    assert [dict(span.attributes or {}) for span in batches] == [
        {
            "cloudplane.job.id": job_id,
            "cloudplane.tenant_id": tenant_id,
            "cloudplane.job.step": "batch",
            "cloudplane.job.attempt": 1,
            "cloudplane.job.batch": index,
            "cloudplane.job.type": "diagnostics.echo",
        }
        for index in (0, 1)
    ]
    done = client.get(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).json()
    assert done["status"] == "completed"
    logs = client.get(f"/api/v1/jobs/{job_id}/logs", headers=tenant["headers"]).json()["items"]
    assert [event["message"]["message_type"] for event in logs][-1] == "job_completed"
    assert {event["message"]["trace_id"] for event in logs} == {CALLER_TRACE}, "JobMessages name the same trace"

    submitted = metric_points(reader, "cloudplane.jobs.submitted")
    assert [(dict(p.attributes), p.value) for p in submitted] == [({"job_type": "diagnostics.echo"}, 1)]
    finished = metric_points(reader, "cloudplane.jobs.finished")
    assert [(dict(p.attributes), p.value) for p in finished] == [
        ({"status": "completed", "job_type": "diagnostics.echo"}, 1)
    ]
    steps = {p.attributes["step"]: p.count for p in metric_points(reader, "cloudplane.jobs.step_duration")}
    assert steps == {"start": 1, "batch": 2}


@pytest.fixture
def sdk_spans() -> Iterator[None]:
    """azure-core's OpenTelemetry plugin on, as the distro turns it on: storage calls become spans.
    The plugin asks the global tracer provider, which can be set once per process."""
    trace.set_tracer_provider(TRACER_PROVIDER)
    azure_settings.tracing_implementation = "opentelemetry"
    yield
    azure_settings.tracing_implementation = None


@pytest.mark.usefixtures("cluster_settings", "sdk_spans")
def test_no_secret_reaches_any_span(
    reader: InMemoryMetricReader, client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()  # its reply carries the new API key, under the admin key
    token = f"sekrit-token-{uuid.uuid4().hex}"
    with KubeEmulator() as cluster:  # a server whose credentials are sealed, stored and used
        body = {"name": f"srv-{uuid.uuid4().hex[:8]}", "api_url": cluster.url, "token": token}
        created = client.post("/api/v1/servers", json=body, headers=tenant["headers"])
        assert created.status == 201, created.body
        assert client.get(f"/api/v1/servers/{created.json()['id']}", headers=tenant["headers"]).status == 200
    echo(client, tenant, headers={**CALLER, "Idempotency-Key": "idem-telemetry-1"}, items=3, fail_items=[])
    client.get("/api/v1/jobs", headers=tenant["headers"], params={"status": "queued"})
    drain()
    recorded = spans()
    names = {span.name for span in recorded}
    assert {"POST /api/v1/tenants", "POST /api/v1/servers", "POST /api/v1/jobs", "GET /api/v1/jobs"} <= names
    assert {"job start", "TableClient.create_entity"} <= names, "request, step and storage spans were all looked at"
    secrets = (tenant["key"], ADMIN_KEY, KEY_A, token, "idem-telemetry-1", "queued")
    texts = [str(value) for span in recorded for value in (span.attributes or {}).values()]
    texts += [str(value) for span in recorded for event in span.events for value in (event.attributes or {}).values()]
    texts += list(names)
    assert texts and not [text for text in texts for secret in secrets if secret in text]


def test_work_sent_without_trace_context_still_runs_in_the_jobs_trace(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    """A job submitted while telemetry was off (or by an older version) queued work with no
    traceparent; its steps still run, and join the job's trace by its trace id."""
    tenant = make_tenant()
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    reply = echo(client, tenant, headers=CALLER, items=20, batch_size=10, fail_items=[])
    assert reply.status == 202
    queued = deps.jobs().storage.queue(WORK_QUEUE).peek_messages(max_messages=1)
    assert "traceparent" not in json.loads(queued[0].content)
    EXPORTER.clear()
    telemetry.use_providers(TRACER_PROVIDER, MeterProvider())
    try:
        assert drain() == 3
    finally:
        telemetry.reset()
    (start,) = named("job start")
    assert hex_ids(start)[0] == CALLER_TRACE
    assert {hex_ids(span)[0] for span in named("job batch")} == {CALLER_TRACE}
    assert {parent_of(span) for span in named("job batch")} == {hex_ids(start)[1]}
    assert client.get(f"/api/v1/jobs/{reply.json()['id']}", headers=tenant["headers"]).json()["status"] == "completed"


def test_rate_limit_refusals_are_counted(
    reader: InMemoryMetricReader,
    client: InProcessClient,
    make_tenant: Callable[..., Tenant],
    configure: Callable[..., None],
) -> None:
    configure(CLOUDPLANE_RATE_LIMIT_JOBS=1)
    tenant = make_tenant()
    assert echo(client, tenant, items=1).status == 202
    assert echo(client, tenant, items=1).status == 429
    refusals = metric_points(reader, "cloudplane.rate_limit.refusals")
    assert [(dict(p.attributes), p.value) for p in refusals] == [({"route_class": "jobs"}, 1)]


def test_the_sweeper_samples_the_oldest_work_message(
    reader: InMemoryMetricReader, client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    assert echo(client, tenant, items=1).status == 202  # its start message waits in the queue
    poison = deps.jobs().storage.queue(f"{WORK_QUEUE}-poison")
    with contextlib.suppress(ResourceExistsError):
        poison.create_queue()
    poison.clear_messages()
    poison.send_message(json.dumps({"kind": "start", "tenant_id": "t", "job_id": "job_x"}))
    try:
        later = now() + timedelta(seconds=600)
        sweeper.sweep(deps.jobs(), later, 3600, 3600, 7200, tenant_id=tenant["tenant"]["id"])
    finally:
        poison.clear_messages()
    (age,) = metric_points(reader, "cloudplane.queue.oldest_message_age")
    assert dict(age.attributes) == {"queue": "jobs"}
    assert 590 <= age.value <= 660, "the message went in about ten minutes before the sweep's clock"
    (length,) = metric_points(reader, "cloudplane.queue.length")
    assert (dict(length.attributes), length.value) == ({"queue": "jobs-poison"}, 1)


@pytest.mark.usefixtures("sdk_spans")
def test_storage_calls_are_dependency_spans_under_the_step(
    reader: InMemoryMetricReader, client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    """With azure-core's OpenTelemetry plugin on (the distro turns it on), a step's storage calls
    are child spans of the step's span."""
    tenant = make_tenant()
    assert echo(client, tenant, headers=CALLER, items=20, batch_size=10, fail_items=[]).status == 202
    EXPORTER.clear()
    assert drain() == 3
    (start,) = named("job start")
    children = [span for span in spans() if parent_of(span) == hex_ids(start)[1]]
    names = {span.name for span in children}
    assert {"TableClient.get_entity", "TableClient.submit_transaction", "QueueClient.send_message"} <= names
    sends = {hex_ids(span)[1] for span in children if span.name == "QueueClient.send_message"}
    assert len(sends) == 3, "one work message per batch, and the job_started JobMessage"
    calls = [span for span in spans() if parent_of(span) in sends]
    assert [span.kind for span in calls] == [SpanKind.CLIENT] * 3, "each send's HTTP call is a CLIENT span"
    assert {hex_ids(span)[0] for span in calls} == {CALLER_TRACE}
