"""Schemathesis over the app's own OpenAPI document, in process, with every check.

The app is served by the local host's ASGI front end (``devhost.asgi.HttpFrontend``), the
same conversion from ASGI to ``func.HttpRequest`` that ``python -m devhost`` uses, so the
fuzzer's requests never leave the process; only the app's storage calls go to Azurite on
loopback. Schemathesis' engine runs its phases (examples, coverage, fuzzing and stateful
sequences over links it infers from ``Location`` headers and from the schema) exactly as
``st run`` does, and this module folds its events into the figures the suite asserts on
and the benchmark prints: cases, 5xx answers, schema violations and failures per check.

Both the CI test (``tests/fuzz``) and ``bench/fuzz.py`` call ``run``; only the example
count differs.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from devhost.asgi import HttpFrontend, Receive, Scope, Send
from devhost.config import HttpOptions
from devhost.invoker import Invoker
from devhost.loader import HTTP_TRIGGER
from tests.support.app_index import indexed

OPENAPI_PATH = "/api/v1/openapi.json"

CONNECTING_OPERATIONS: tuple[str, ...] = ()
"""Operations left out of fuzz runs: none. Those that connect to a cluster endpoint (server
probe and usage, pods, the seed's test and pod routes) are fuzzed too, because the address
rules' allow-list (CLOUDPLANE_ALLOWED_NETWORKS, set to loopback below) refuses a generated
public address before any connection, and the egress guard stays as the backstop."""

CHECKS: tuple[str, ...] = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "use_after_free",
    "ensure_resource_availability",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
    "allow_header_conformance",
)
"""Every built-in check but ``max_response_time`` (a time limit, which tests never assert)."""

SCHEMA_CHECKS = frozenset(
    {"response_schema_conformance", "status_code_conformance", "content_type_conformance",
     "response_headers_conformance"}
)
"""Checks whose failure means an answer the OpenAPI document does not describe."""

BY_DESIGN: Mapping[str, str] = {
    # Error codes that refuse a schema-valid request for a reason no JSON Schema can state. A
    # positive_data_acceptance failure whose answer carries one of these codes is counted
    # apart (``report.by_design``), case by case: the same operation's other refusals still fail.
    "INVALID_CURSOR": "a cursor is opaque: only one the API issued pages on (its codec has its own property test)",
    "ENDPOINT_NOT_ALLOWED": "the deployment's address rules (here: loopback only) refuse a generated cluster URL",
}

FUZZ_SETTINGS: Mapping[str, str] = {
    # The allow-list of networks a cluster endpoint may resolve to: loopback only, so a
    # generated public address is refused before any connection (effective once merged).
    "CLOUDPLANE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
    "CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS": "true",
    # A fixed test key (base64 of 32 bytes), so servers can be stored and the stateful phase
    # reaches their routes; without one every POST /servers is 503 CREDENTIALS_KEY_MISSING.
    "CLOUDPLANE_CREDENTIALS_KEY": "RlVaWi1GVVpaLUZVWlotRlVaWi1GVVpaLUZVWlotRlU=",
    "CLOUDPLANE_K8S_TIMEOUT_SECONDS": "1",
    "CLOUDPLANE_RATE_LIMIT_DEFAULT": "100000000",
    "CLOUDPLANE_RATE_LIMIT_JOBS": "100000000",
    "CLOUDPLANE_CORS_ORIGINS": "https://app.example.com",
    # Only refused lookups and loopback storage: keep a failed lookup quick.
    "CLOUDPLANE_STORAGE_TIMEOUT_SECONDS": "5",
}
"""App settings of every fuzz run (with the storage connection string and the admin key)."""


@dataclass(frozen=True)
class KnownFailure:
    """A failure that is open in an issue: an operation, a check, and the issue item that fixes it."""

    operation: str
    check: str
    issue: str


@dataclass
class FuzzReport:
    """What one or more runs found."""

    cases: int = 0
    server_errors: int = 0
    schema_violations: int = 0
    failures: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(operation label, check) -> failing cases."""
    samples: dict[tuple[str, str], str] = field(default_factory=dict)
    """(operation label, check) -> one failing request, as curl, for the report."""
    errors: list[str] = field(default_factory=list)
    """Engine errors (a case that could not be generated or sent); each is a failure of the run."""
    operations: set[str] = field(default_factory=set)
    phases: Counter[str] = field(default_factory=Counter)
    transitions: int = 0
    by_design: Counter[str] = field(default_factory=Counter)
    """Error code -> schema-valid requests refused for a ``BY_DESIGN`` reason."""
    """Links the stateful phase followed (declared in the document or inferred)."""
    """Phase name -> cases generated in it (examples, coverage, fuzzing, stateful)."""

    def add(self, other: FuzzReport) -> None:
        self.cases += other.cases
        self.server_errors += other.server_errors
        self.schema_violations += other.schema_violations
        self.failures.update(other.failures)
        for key, value in other.samples.items():
            self.samples.setdefault(key, value)
        self.errors.extend(other.errors)
        self.operations |= other.operations
        self.phases.update(other.phases)
        self.transitions += other.transitions
        self.by_design.update(other.by_design)

    def per_check(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for (_, check), count in self.failures.items():
            totals[check] += count
        return totals

    def unexpected(self, known: Iterable[KnownFailure]) -> dict[tuple[str, str], int]:
        """Failures not in ``known`` (operation labels look like ``POST /api/v1/jobs``)."""
        allowed = {(k.operation, k.check) for k in known}
        return {key: n for key, n in self.failures.items() if key not in allowed}


class FuzzApp:
    """The app's HTTP triggers behind the local host's ASGI front end; lifespan is a no-op.

    Queue and timer triggers are not run: a fuzzed job stays queued, so no job type (such as
    ``pods.deploy``) ever connects anywhere on the fuzzer's behalf.
    """

    def __init__(self, app: Any) -> None:
        self.invoker = Invoker()
        specs = [spec for spec in indexed(app) if spec.trigger_type == HTTP_TRIGGER]
        self.http = HttpFrontend(specs, HttpOptions(), self.invoker)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        elif scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        else:  # pragma: no cover - schemathesis speaks HTTP only
            await asyncio.sleep(0)

    def close(self) -> None:
        self.invoker.shutdown()


def config(*, max_examples: int, seed: int, headers: Mapping[str, str], max_steps: int) -> Any:
    """A schemathesis configuration: every phase and check, a fixed seed, derandomized generation."""
    import schemathesis

    return schemathesis.Config.from_dict(
        {
            "seed": seed,
            "color": False,
            "headers": dict(headers),
            "workers": 1,
            "request-timeout": 30,
            "generation": {"max-examples": max_examples, "deterministic": True, "mode": "all"},
            "checks": {name: {"enabled": True} for name in CHECKS},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {
                    "enabled": True,
                    "max-steps": max_steps,
                    "inference": {"algorithms": ["location-headers", "dependency-analysis"]},
                },
            },
            "warnings": False,
        }
    )


def run(
    app: FuzzApp,
    *,
    headers: Mapping[str, str],
    max_examples: int,
    seed: int,
    max_steps: int = 10,
    excluded: Iterable[str] = CONNECTING_OPERATIONS,
    include: Iterable[str] = (),
) -> FuzzReport:
    """Run every phase over every operation (but ``excluded``) with ``headers`` as the identity."""
    import schemathesis
    from schemathesis.engine import events, from_schema
    from schemathesis.engine.recorder import ScenarioRecorder

    schema: schemathesis.BaseSchema = schemathesis.openapi.from_asgi(
        OPENAPI_PATH,
        app,
        config=config(max_examples=max_examples, seed=seed, headers=headers, max_steps=max_steps),
    )
    excluded = list(excluded)
    if excluded:
        schema = schema.exclude(operation_id=excluded)
    only = list(include)
    if only:
        schema = schema.include(operation_id=only)
    report = FuzzReport()

    def fold(recorder: ScenarioRecorder, phase: str) -> None:
        for case_id, node in recorder.cases.items():
            report.cases += 1
            report.phases[phase] += 1
            label = f"{node.value.operation.method.upper()} {node.value.operation.path}"
            report.operations.add(label)
            interaction = recorder.interactions.get(case_id)
            if interaction is not None and interaction.response is not None and interaction.response.status_code >= 500:
                report.server_errors += 1
            failed = {c.name for c in recorder.checks.get(case_id, []) if c.failure_info is not None}
            if "positive_data_acceptance" in failed and interaction is not None:
                code = _error_code(interaction.response)
                if code in BY_DESIGN:
                    failed.discard("positive_data_acceptance")
                    report.by_design[code] += 1
            if failed & SCHEMA_CHECKS:
                report.schema_violations += 1
            for check in sorted(failed):
                report.failures[(label, check)] += 1
                if (label, check) not in report.samples:
                    info = next(c.failure_info for c in recorder.checks[case_id] if c.name == check)
                    assert info is not None
                    report.samples[(label, check)] = f"{info.failure.title}: {info.code_sample}"

    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            fold(event.recorder, str(event.phase.value))
        elif isinstance(event, events.PhaseStarted) and isinstance(event.payload, events.StatefulPhasePayload):
            report.transitions += event.payload.transitions_selected
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.title}: {event.info.message}"[:2000])
        elif isinstance(event, events.FatalError):
            raise event.exception
    return report


def _error_code(response: Any) -> str | None:
    """The error code of an envelope or legacy error answer, if the body is one (for seed 002's
    shape, the precise code it carries in ``details.code``)."""
    if response is None or response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        details = error.get("details")
        if isinstance(details, dict) and isinstance(details.get("code"), str):
            return details["code"]
        return str(error.get("code"))
    return str(body.get("code")) if isinstance(body, dict) and "code" in body else None


def app_settings(connection_string: str, admin_key: str) -> dict[str, str]:
    """The environment of a fuzz run: storage, the admin key and ``FUZZ_SETTINGS``."""
    return {"AzureWebJobsStorage": connection_string, "CLOUDPLANE_ADMIN_KEY": admin_key, **FUZZ_SETTINGS}


def apply_settings(values: Mapping[str, str]) -> None:
    """Set ``values`` in this process's environment and let the app re-read its settings."""
    from shared import deps

    os.environ.update(values)
    deps.reset()
