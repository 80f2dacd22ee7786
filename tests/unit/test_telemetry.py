"""The telemetry module's promises: off costs nothing and imports nothing; on, a span records an
error by its type only; work messages carry and read back their trace context."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ServiceRequestError
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from shared import telemetry
from shared.config import Settings
from shared.jobs.work import Work
from shared.storage.clients import AZURITE_CONNECTION, StorageClients

ROOT = Path(__file__).resolve().parents[2]
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

_OFF = """
import json, logging, sys
from shared import telemetry
from shared.config import Settings
from shared.logs import log_event
with telemetry.span("x", kind="server", traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") as s:
    s.set("a", 1)
    telemetry.count("c")
    telemetry.record("h", 1.0)
    telemetry.gauge("g", 2.0)
    print(json.dumps({
        "recording": s.recording,
        "ids": s.ids(),
        "traceparent": telemetry.current_traceparent(),
        "loaded": sorted(m for m in sys.modules if m.startswith(("opentelemetry", "azure.monitor"))),
    }))
"""


def test_off_without_the_connection_string_and_nothing_imported() -> None:
    env = {k: v for k, v in os.environ.items() if k != telemetry.CONNECTION_SETTING}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", _OFF], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == (
        '{"recording": false, "ids": null, "traceparent": "", "loaded": []}'
    )


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    telemetry.use_providers(provider, MeterProvider())
    yield spans
    telemetry.reset()


def test_an_exception_marks_the_span_failed_by_its_type_only(exporter: InMemorySpanExporter) -> None:
    with pytest.raises(ValueError), telemetry.span("step"):
        raise ValueError("password=hunter2")
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "ValueError"
    assert dict(span.attributes or {}) == {"error.type": "ValueError"}
    assert list(span.events) == [], "no exception event: its message could hold what the code was given"


def test_a_span_continues_a_remote_parent_and_hands_on_its_own(exporter: InMemorySpanExporter) -> None:
    with telemetry.span("step", kind="consumer", traceparent=PARENT) as span:
        handed = telemetry.current_traceparent()
        ids = span.ids()
    assert ids is not None and ids[0] == "0af7651916cd43dd8448eb211c80319c"
    assert handed == f"00-0af7651916cd43dd8448eb211c80319c-{ids[1]}-01"
    (finished,) = exporter.get_finished_spans()
    assert finished.parent is not None and finished.parent.span_id == 0xB7AD6B7169203331


def test_an_invalid_traceparent_starts_a_new_trace(exporter: InMemorySpanExporter) -> None:
    with telemetry.span("request", kind="server", traceparent="00-zz-yy-01") as span:
        ids = span.ids()
    (finished,) = exporter.get_finished_spans()
    assert finished.parent is None and ids is not None and len(ids[0]) == 32


def test_remote_parent_of_old_and_new_messages() -> None:
    assert telemetry.remote_parent(PARENT, "ffffffffffffffffffffffffffffffff") == PARENT
    made_up = telemetry.remote_parent("", "0af7651916cd43dd8448eb211c80319c")
    assert made_up.startswith("00-0af7651916cd43dd8448eb211c80319c-") and made_up.endswith("-01")
    assert len(made_up) == 55
    assert telemetry.remote_parent("", "not-a-trace") == ""
    assert telemetry.remote_parent("", "0" * 32) == ""


def test_work_carries_its_traceparent_and_reads_old_messages() -> None:
    sent = Work("batch", "t1", "job_1", "0af7651916cd43dd8448eb211c80319c", 3, PARENT)
    assert '"traceparent":"' + PARENT + '"' in sent.text().replace(" ", "")
    assert Work.parse({"kind": "batch", "tenant_id": "t1", "job_id": "job_1", "batch": 3, "traceparent": PARENT}) == (
        Work("batch", "t1", "job_1", "", 3, PARENT)
    )
    old = Work.parse({"kind": "start", "tenant_id": "t1", "job_id": "job_1", "trace_id": "abc"})
    assert old == Work("start", "t1", "job_1", "abc")
    assert "traceparent" not in Work.start("t1", "job_1", "abc").text()
    long = Work.parse({"kind": "start", "tenant_id": "t1", "job_id": "job_1", "traceparent": "0" * 500})
    assert long is not None and long.traceparent == ""
    assert Work.parse({"kind": "start", "traceparent": 7}) == Work("start", "", "", "")


def test_storage_retries_are_counted_per_attempt_after_the_first() -> None:
    """Against a port that refuses connections, each SDK makes its first attempt and two retries."""
    reader = InMemoryMetricReader()
    telemetry.use_providers(TracerProvider(), MeterProvider(metric_readers=[reader]))
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused at once
    port = refusing.getsockname()[1]
    connection = AZURITE_CONNECTION.replace(":10002/", f":{port}/").replace(":10001/", f":{port}/")
    clients = StorageClients(Settings(storage_connection=connection), timeout=2, retries=2)

    def retries() -> list[tuple[dict[str, Any], int]]:
        data = reader.get_metrics_data()
        assert data is not None
        return [
            (dict(point.attributes), point.value)
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == "cloudplane.storage.retries"
            for point in metric.data.data_points
        ]

    try:
        with pytest.raises(ServiceRequestError):
            clients.tables.get_table_client("things").get_entity("p", "r")
        assert retries() == [({"method": "GET"}, 2)]
        with pytest.raises(ServiceRequestError):
            clients.queues.get_queue_client("things").peek_messages()
        assert retries() == [({"method": "GET"}, 4)]
    finally:
        refusing.close()
        telemetry.reset()


def test_a_caller_that_asks_not_to_be_sampled_is_not_sampled_downstream(exporter: InMemorySpanExporter) -> None:
    unsampled = PARENT[:-2] + "00"
    with telemetry.span("request", kind="server", traceparent=unsampled) as span:
        handed = telemetry.current_traceparent()
        ids = span.ids()
    assert ids is not None and ids[2] is False
    assert handed.startswith("00-0af7651916cd43dd8448eb211c80319c-") and handed.endswith("-00")
    assert list(exporter.get_finished_spans()) == []
