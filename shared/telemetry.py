"""Traces and metrics through OpenTelemetry, and cheap no-ops when telemetry is off.

Telemetry is on when ``APPLICATIONINSIGHTS_CONNECTION_STRING`` is set: on first use the Azure
Monitor distro is configured (spans, metrics and ``cloudplane`` log records to Application
Insights; azure-core and urllib3 calls as dependency spans). Nothing here imports OpenTelemetry
before that, so an app without the setting starts exactly as before (tests/unit/test_cold_start.py).
Tests install their own providers with ``use_providers`` (in-memory exporters) and ``reset`` after.

Callers name what they measure; they never hand in a header value, a key or a body, and this
module adds nothing of the request but what they give it.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

CONNECTION_SETTING = "APPLICATIONINSIGHTS_CONNECTION_STRING"
SCOPE = "cloudplane"

Kind = Literal["server", "consumer", "internal"]
Attributes = Mapping[str, str | int | float | bool]

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


class _State:
    """Decided once per process (or by a test): off, or the tracer and meter to use."""

    def __init__(self) -> None:
        self.decided = False
        self.on = False
        self.tracer: Any = None
        self.meter: Any = None
        self.instruments: dict[tuple[str, str], Any] = {}


_state = _State()
_lock = threading.Lock()


def enabled() -> bool:
    """Whether telemetry is on; the first call configures the distro when the setting is there."""
    if not _state.decided:
        with _lock:
            if not _state.decided:
                if os.environ.get(CONNECTION_SETTING, "").strip():
                    _configure_azure_monitor()
                _state.decided = True
    return _state.on


def _configure_azure_monitor() -> None:
    from azure.monitor.opentelemetry import configure_azure_monitor
    from opentelemetry import metrics, trace

    # Log records of the app's own loggers go along, correlated with the current span; the
    # Functions host already forwards the rest of the worker's output.
    configure_azure_monitor(logger_name=SCOPE)
    _use(trace.get_tracer(SCOPE), metrics.get_meter(SCOPE))


def use_providers(tracer_provider: Any, meter_provider: Any) -> None:
    """Send this process's telemetry to ``tracer_provider`` / ``meter_provider`` (tests: in-memory)."""
    with _lock:
        _use(tracer_provider.get_tracer(SCOPE), meter_provider.get_meter(SCOPE))
        _state.decided = True


def reset() -> None:
    """Forget the decision: the next use decides again from the environment."""
    with _lock:
        _state.decided, _state.on, _state.tracer, _state.meter = False, False, None, None
        _state.instruments.clear()


def _use(tracer: Any, meter: Any) -> None:
    _state.tracer, _state.meter, _state.on = tracer, meter, True
    _state.instruments.clear()


# ---- spans


class Span:
    """A span being recorded, or (when telemetry is off) a stand-in that records nothing."""

    def __init__(self, span: Any = None) -> None:
        self._span = span

    @property
    def recording(self) -> bool:
        return self._span is not None

    def set(self, key: str, value: str | int | float | bool | None) -> None:
        if self._span is not None and value is not None:
            self._span.set_attribute(key, value)

    def fail(self, description: str) -> None:
        """Mark the span as failed (a 5xx, a step that raised), with a description we wrote."""
        if self._span is not None:
            from opentelemetry.trace import Status, StatusCode

            self._span.set_status(Status(StatusCode.ERROR, description))

    def ids(self) -> tuple[str, str, bool] | None:
        """(trace id, span id, sampled) in hex, or None when nothing is recorded."""
        if self._span is None:
            return None
        context = self._span.get_span_context()
        return f"{context.trace_id:032x}", f"{context.span_id:016x}", bool(context.trace_flags.sampled)


NOOP = Span()


@contextmanager
def span(
    name: str, *, kind: Kind = "internal", traceparent: str | None = None, attributes: Attributes | None = None
) -> Iterator[Span]:
    """A span named ``name``, current while the block runs.

    With ``traceparent`` (a W3C header value) it continues that remote trace (an invalid value
    starts a new one); without, it is a child of the current span, if any. An exception leaving
    the block is recorded (its type and message) and the span marked failed.
    """
    if not enabled():
        yield NOOP
        return
    from opentelemetry.trace import SpanKind
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    kinds = {"server": SpanKind.SERVER, "consumer": SpanKind.CONSUMER, "internal": SpanKind.INTERNAL}
    context = None
    if traceparent is not None:
        context = TraceContextTextMapPropagator().extract({"traceparent": traceparent})
    with _state.tracer.start_as_current_span(
        name,
        context=context,
        kind=kinds[kind],
        attributes=dict(attributes or {}),
        record_exception=False,  # an exception's message may hold what it was given: only its type goes
        set_status_on_exception=False,
    ) as current:
        handle = Span(current)
        try:
            yield handle
        except BaseException as error:
            handle.set("error.type", type(error).__name__)
            handle.fail(type(error).__name__)
            raise


def current_traceparent() -> str:
    """The W3C ``traceparent`` of the current span, to hand to work sent from here; "" when none.

    Its sampled flag is the span's, so a caller that asked not to be sampled is not sampled
    downstream either."""
    context = _current_context()
    if context is None:
        return ""
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{'01' if context.trace_flags.sampled else '00'}"


def current_ids() -> tuple[str, str] | None:
    """(trace id, span id) of the current span, for log lines; None when off or outside a span."""
    context = _current_context()
    if context is None:
        return None
    return f"{context.trace_id:032x}", f"{context.span_id:016x}"


def _current_context() -> Any:
    if not _state.on:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return context if context.is_valid else None


def remote_parent(traceparent: str, trace_id: str) -> str:
    """The parent for work received from a queue: its ``traceparent``, or for older messages that
    carry only the job's trace id, that trace under a made-up parent (so the step joins the trace)."""
    if _TRACEPARENT.match(traceparent):
        return traceparent
    if _TRACE_ID.match(trace_id) and trace_id != "0" * 32:
        return f"00-{trace_id}-{secrets.token_hex(8)}-01"
    return ""


# ---- metrics


def count(name: str, value: int = 1, attributes: Attributes | None = None, *, unit: str = "1") -> None:
    """Add ``value`` to the counter ``name``."""
    if enabled():
        _instrument("counter", name, unit).add(value, dict(attributes or {}))


def record(name: str, value: float, attributes: Attributes | None = None, *, unit: str = "s") -> None:
    """Record ``value`` in the histogram ``name`` (durations, in seconds by default)."""
    if enabled():
        _instrument("histogram", name, unit).record(value, dict(attributes or {}))


def gauge(name: str, value: float, attributes: Attributes | None = None, *, unit: str = "s") -> None:
    """Set the gauge ``name`` to ``value`` (a sampled level, such as a queue's oldest message age)."""
    if enabled():
        _instrument("gauge", name, unit).set(value, dict(attributes or {}))


def _instrument(kind: str, name: str, unit: str) -> Any:
    instrument = _state.instruments.get((kind, name))
    if instrument is None:
        meter = _state.meter
        make = {"counter": meter.create_counter, "histogram": meter.create_histogram, "gauge": meter.create_gauge}
        instrument = _state.instruments.setdefault((kind, name), make[kind](name, unit=unit))
    return instrument
