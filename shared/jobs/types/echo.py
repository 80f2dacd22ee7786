"""``diagnostics.echo``: a trivial job type to try the jobs pipeline end to end.

It turns item numbers into result rows. It can fail chosen items (row failures), make
chosen batches raise (batch failures, healed by a retry when ``raise_until_round`` says
so), and sleep in each batch with cancellation checkpoints; the benchmarks use it too.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.jobs.registry import BatchContext, BatchOutcome, JobType, register
from shared.models.base import ApiModel


class EchoConfig(ApiModel):
    model_config = ConfigDict(extra="forbid")

    items: int = Field(10, ge=0, le=1_000_000)
    batch_size: int = Field(100, ge=1, le=10_000)
    fail_items: list[int] = Field(default_factory=list, max_length=1000, description="Items whose rows fail.")
    raise_batches: list[int] = Field(default_factory=list, max_length=1000, description="Batches that raise.")
    raise_until_round: int = Field(1_000_000, ge=0, description="Batches raise only while the retry round is below.")
    sleep_ms: int = Field(0, ge=0, le=60_000, description="Time each batch takes, checked for cancellation.")


def _plan(tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
    assert isinstance(config, EchoConfig)
    return [
        {"start": start, "rows": min(config.batch_size, config.items - start)}
        for start in range(0, config.items, config.batch_size)
    ]


def _run(context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
    assert isinstance(config, EchoConfig)
    if context.batch_index in config.raise_batches and context.round < config.raise_until_round:
        raise RuntimeError(f"batch {context.batch_index} was told to fail")
    deadline = time.monotonic() + config.sleep_ms / 1000
    while time.monotonic() < deadline:
        if context.cancelled():
            return BatchOutcome(processed=0, failed=0)
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
    failing = set(config.fail_items)
    rows = [
        {
            "id": str(item),
            "value": item * 2,
            "passed": item not in failing,
            "error": "told to fail" if item in failing else None,
        }
        for item in range(plan["start"], plan["start"] + plan["rows"])
    ]
    failed = sum(1 for row in rows if not row["passed"])
    return BatchOutcome(
        processed=len(rows) - failed, failed=failed, state={"rows": len(rows), "failed": failed}, rows=rows
    )


def _summarize(states: list[dict[str, Any]]) -> dict[str, Any]:
    rows = sum(s["rows"] for s in states)
    failed = sum(s["failed"] for s in states)
    return {"rows": rows, "failed": failed, "passed": rows - failed}


ECHO = register(
    JobType(
        name="diagnostics.echo",
        description="Echo item numbers as rows; for trying the jobs pipeline.",
        config_model=EchoConfig,
        plan=_plan,
        run_batch=_run,
        summarize=_summarize,
        result_columns=("id", "value", "passed", "error"),
        inline=lambda config: isinstance(config, EchoConfig) and config.sleep_ms == 0,
    )
)
