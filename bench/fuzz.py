"""Schemathesis over the whole OpenAPI document with a large example count: cases, 5xx, violations.

The same run as ``tests/fuzz/test_schemathesis.py`` (``tests.support.fuzzing``: in process,
every phase and check, stateful links, a tenant key then the admin key, a fixed seed, the
egress guard armed, cluster-connecting operations excluded until the allow-list is merged),
with enough examples for at least 20,000 cases. Goal: 0 5xx and 0 schema violations.
Failures of the other checks are figures to look at, by operation and check.

    .venv/bin/python -m bench.fuzz [--examples 350] [--seed 20261129]
"""

from __future__ import annotations

import argparse
import logging
import time
import uuid
from typing import Any

from bench._azurite import Azurite
from bench._common import environment, patched_environ, print_table, verdict, write_results

DEFAULT_EXAMPLES = 350
DEFAULT_SEED = 20261129
TARGET_CASES = 20_000


def run(examples: int, seed: int) -> dict[str, Any]:
    import function_app
    from shared import deps
    from tests.support import fuzzing
    from tests.support.egress import loopback_only
    from tests.support.inprocess import InProcessClient

    admin_key = f"bench-admin-{uuid.uuid4().hex}"
    total = fuzzing.FuzzReport()
    per_identity: dict[str, dict[str, Any]] = {}
    lookups = 0
    connects: list[str] = []
    logging.getLogger("cloudplane").setLevel(logging.WARNING)
    with Azurite() as azurite, patched_environ(fuzzing.app_settings(azurite.connection_string, admin_key)):
        deps.reset()
        created = InProcessClient(function_app.app).post(
            "/api/v1/tenants",
            json={"name": "Fuzz", "slug": f"fuzz-{uuid.uuid4().hex[:10]}"},
            headers={"Authorization": f"Bearer {admin_key}"},
        )
        assert created.status == 201, created.body
        identities = {
            "tenant": {"Authorization": f"Bearer {created.json()['api_key']['key']}"},
            "admin": {"Authorization": f"Bearer {admin_key}"},
        }
        app = fuzzing.FuzzApp(function_app.app)
        try:
            for name, headers in identities.items():
                started = time.monotonic()
                with loopback_only() as egress:
                    report = fuzzing.run(app, headers=headers, max_examples=examples, seed=seed)
                lookups += egress.lookups
                connects += egress.connects
                per_identity[name] = {
                    "cases": report.cases, "server_errors": report.server_errors,
                    "schema_violations": report.schema_violations, "phases": dict(report.phases),
                    "transitions": report.transitions, "seconds": round(time.monotonic() - started, 1),
                }
                total.add(report)
        finally:
            app.close()
            deps.reset()
    return {
        "name": "fuzz",
        "environment": environment(),
        "examples": examples,
        "seed": seed,
        "cases": total.cases,
        "server_errors": total.server_errors,
        "schema_violations": total.schema_violations,
        "operations": len(total.operations),
        "excluded_operations": list(fuzzing.CONNECTING_OPERATIONS),
        "per_identity": per_identity,
        "per_check": dict(total.per_check()),
        "by_design": dict(total.by_design),
        "failures": [
            {"operation": op, "check": check, "cases": n, "sample": total.samples[(op, check)][:1000]}
            for (op, check), n in sorted(total.failures.items())
        ],
        "engine_errors": total.errors,
        "refused_lookups": lookups,
        "off_loopback_connects": connects,
        "target_cases": TARGET_CASES,
        "goal_met": total.cases >= TARGET_CASES and total.server_errors == 0 and total.schema_violations == 0
        and not connects,
    }


def report(figures: dict[str, Any]) -> None:
    print_table(
        "Fuzzing (schemathesis, every check, tenant + admin key)",
        ("figure", "measured", "target", "verdict"),
        [
            ("cases", figures["cases"], f">= {TARGET_CASES}", verdict(figures["cases"] >= TARGET_CASES)),
            ("5xx answers", figures["server_errors"], "0", verdict(figures["server_errors"] == 0)),
            ("schema violations", figures["schema_violations"], "0", verdict(figures["schema_violations"] == 0)),
            ("connections off loopback", len(figures["off_loopback_connects"]), "0",
             verdict(not figures["off_loopback_connects"])),
        ],
    )
    print_table("Failing cases per check", ("check", "cases"), sorted(figures["per_check"].items()))
    print_table("Failures by operation and check", ("operation", "check", "cases"),
                [(f["operation"], f["check"], f["cases"]) for f in figures["failures"]])
    print_table("Schema-valid requests refused by design (fuzzing.BY_DESIGN)", ("code", "cases"),
                sorted(figures["by_design"].items()))
    print(f"  operations fuzzed: {figures['operations']} ({len(figures['excluded_operations'])} excluded);"
          f" name lookups refused by the guard: {figures['refused_lookups']};"
          f" engine errors: {len(figures['engine_errors'])}")
    print(f"  figures: {figures['results_file']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    figures = run(max(1, args.examples), args.seed)
    figures["results_file"] = str(write_results("fuzz", figures))
    report(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
