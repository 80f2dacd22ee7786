"""Schemathesis over the app's OpenAPI document: every operation, every check, stateful links.

Runs in process (``tests.support.fuzzing``) against the session's Azurite, once with a
tenant key and once with the admin key, with a fixed seed and derandomized generation so
CI sees the same cases every time. Any 5xx fails the test, and so does any failed check
that is not listed in ``KNOWN_OPEN`` below, and any connection off loopback (the egress
guard refuses it and records it). ``bench/fuzz.py`` runs the same with a larger count.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import fuzzing
from tests.support.egress import loopback_only
from tests.support.fuzzing import KnownFailure

pytestmark = pytest.mark.slow

ADMIN_KEY = "fuzz-admin-key-not-a-secret"
SEED = 20261129
MAX_EXAMPLES = 25
"""Per operation and phase: about 1,600-1,800 cases and 20 s per identity on a 2-core machine."""
SEEN: set[tuple[str, str]] = set()
"""Failures seen by the runs of this session, to tell which known-open entries no longer occur."""

BEYOND_SCHEMA = "a rule JSON Schema does not state; refused with a 422 that names the field"

KNOWN_OPEN: tuple[KnownFailure, ...] = (
    # Schema-valid requests the app refuses for a rule the document cannot state, each an
    # (operation, check) pair with its reason. Refusals for reasons listed in
    # ``fuzzing.BY_DESIGN`` (opaque cursors, the address rules) are told apart case by case
    # and need no entry. Never add a blanket entry.
    # created_after/created_before before 1970 are a 422 (no job is older); a date-time's range is not JSON Schema.
    KnownFailure("GET /api/v1/jobs", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("GET /api/jobs", "positive_data_acceptance", BEYOND_SCHEMA),  # seed 002's path, the same query
    # Each job type's configuration is validated by its own model; the document shows an object.
    KnownFailure("POST /api/v1/jobs", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("POST /api/jobs", "positive_data_acceptance", BEYOND_SCHEMA),  # seed 002's path, the same body
    # The body is a file: it must parse as CSV or JSON Lines with response and expected columns.
    KnownFailure("POST /api/v1/datasets", "positive_data_acceptance", BEYOND_SCHEMA),
    # Servers: kubeconfig or api_url (token and ca_bundle only with api_url), a name to create;
    # PATCH merges with the stored server first. Rules across fields.
    KnownFailure("POST /api/v1/servers", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("PUT /api/v1/servers/{server_id}", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("PATCH /api/v1/servers/{server_id}", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("POST /api/v1/servers:import", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("POST /api/server-config/configure", "positive_data_acceptance", BEYOND_SCHEMA),
    # A pod needs an image or a template_id: a rule across fields.
    KnownFailure("POST /api/v1/pods", "positive_data_acceptance", BEYOND_SCHEMA),
    # Strings are stripped before their length is checked: "\n" is an empty image or key name.
    KnownFailure("POST /api/v1/templates", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("POST /api/v1/tenants/{tenant_id}/api-keys", "positive_data_acceptance", BEYOND_SCHEMA),
    # An identity mapping's tenant_id must name an existing tenant; group_id and app_role exclude each other.
    KnownFailure("POST /api/v1/identity-mappings", "positive_data_acceptance", BEYOND_SCHEMA),
    # Billing: an order's plan must be on the tenant's rate card in force, a rate card's
    # effective_from may not be in the past: rules over stored state.
    KnownFailure("POST /api/v1/billing/accounts/{account_id}/orders", "positive_data_acceptance", BEYOND_SCHEMA),
    KnownFailure("POST /api/v1/tenants/{tenant_id}/rate-cards", "positive_data_acceptance", BEYOND_SCHEMA),
    # A query key given twice (``format=null&format=null``) reaches the app as no key at all (the
    # Functions request drops repeated keys), so the draft answers with the default format.
    KnownFailure(
        "GET /api/v1/billing/accounts/{account_id}/invoices/{invoice_id}",
        "negative_data_rejection",
        "azure.functions.HttpRequest.params drops a key given twice; the default applies",
    ),
    # clouds_yaml is a text that must hold a clouds: mapping of valid clouds.yaml entries.
    KnownFailure("POST /api/v1/servers:import-clouds", "positive_data_acceptance", BEYOND_SCHEMA),
    # Date-times are parsed leniently: an import's updated_at of 0 reads as 1970-01-01.
    KnownFailure("POST /api/v1/servers:import", "negative_data_rejection", BEYOND_SCHEMA),
)


@pytest.fixture
def fuzz_app(azurite: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[fuzzing.FuzzApp]:
    """The app in process with the fuzz settings (loopback allow-list); settings restored after."""
    import function_app
    from shared import deps

    for name, value in fuzzing.app_settings(azurite.connection_string, ADMIN_KEY).items():
        monkeypatch.setenv(name, value)
    deps.reset()
    app = fuzzing.FuzzApp(function_app.app)
    yield app
    app.close()
    deps.reset()


def tenant_headers() -> dict[str, str]:
    """A fresh tenant's first key (read and write scopes)."""
    import function_app
    from tests.support.inprocess import InProcessClient

    reply = InProcessClient(function_app.app).post(
        "/api/v1/tenants",
        json={"name": "Fuzz", "slug": f"fuzz-{uuid.uuid4().hex[:10]}"},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert reply.status == 201, reply.body
    return {"Authorization": f"Bearer {reply.json()['api_key']['key']}"}


@pytest.mark.parametrize("identity", ["tenant", "admin"])
def test_every_operation_and_check_holds(fuzz_app: fuzzing.FuzzApp, identity: str) -> None:
    headers = tenant_headers() if identity == "tenant" else {"Authorization": f"Bearer {ADMIN_KEY}"}
    with loopback_only() as egress:
        report = fuzzing.run(fuzz_app, headers=headers, max_examples=MAX_EXAMPLES, seed=SEED)

    assert egress.connects == [], f"the app tried to connect off loopback: {sorted(set(egress.connects))}"
    assert report.errors == [], "\n".join(report.errors)
    assert report.cases > 0 and report.phases["stateful"] > 0, report.phases
    tested = {label.split(" ", 1)[1] for label in report.operations}
    assert "/api/v1/jobs/{job_id}" in tested and "/api/v1/servers/{server_id}" in tested
    assert report.server_errors == 0, _describe(report, {k: n for k, n in report.failures.items()
                                                          if k[1] == "not_a_server_error"})
    unexpected = report.unexpected(KNOWN_OPEN)
    assert not unexpected, _describe(report, unexpected)
    SEEN.update(report.failures)
    stale = [k for k in KNOWN_OPEN if (k.operation, k.check) not in SEEN]
    if stale and identity == "admin":  # the last run: both identities have been seen
        warnings.warn(
            "known-open fuzz failures not seen in this run (remove them from KNOWN_OPEN once fixed): "
            + "; ".join(f"{k.operation} {k.check}" for k in stale),
            stacklevel=1,
        )


def _describe(report: fuzzing.FuzzReport, failures: dict[tuple[str, str], int]) -> str:
    lines = [f"{report.cases} cases, {report.server_errors} 5xx, {report.schema_violations} schema violations"]
    for (operation, check), count in sorted(failures.items()):
        lines.append(f"{operation} {check}: {count} case(s); e.g. {report.samples[(operation, check)][:600]}")
    return "\n".join(lines)
