"""``bulk_evaluation``: score every row of an uploaded dataset against its expected answer.

The dataset is read in batches of ``chunk_rows`` rows; each batch downloads only its own byte
range of the file (the offsets were recorded at upload), prepending the header for CSV. Rows
that cannot be scored (malformed CSV/JSON, a missing or non-text value) become errored result
rows and count as the batch's ``failed``; a row scored below the threshold is a valid outcome
(``passed: false``) and counts as processed. So a job with malformed rows ends
``completed_with_errors``, one whose rows merely score low ends ``completed``.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pydantic import BaseModel

from shared import deps
from shared.errors import ValidationFailed
from shared.jobs.evaluation.config import BulkEvaluationConfig
from shared.jobs.evaluation.datasets import MalformedRow, iter_rows, response_and_expected, row_id
from shared.jobs.evaluation.embedding_runtime import shared_embedder
from shared.jobs.evaluation.evaluators import ScoringTools
from shared.jobs.evaluation.row_scoring import score_rows
from shared.jobs.evaluation.scoring import RowResult, SummaryBuilder
from shared.jobs.registry import BatchContext, BatchOutcome, JobType, register
from shared.storage.datasets import DATASETS_CONTAINER, DatasetRecord

CANCEL_CHECK_ROWS = 1_000
RESULT_COLUMNS = ("id", "score", "passed", "scores", "exact_match", "token_f1", "edit_ratio", "semantic", "error")
_DATASET_BLOB = re.compile(r"^(?P<tenant>[^/]+)/(?P<dataset>[^/]+)/data\.(?P<ext>csv|jsonl)$")
_ROW_PREFIX = re.compile(r"^row \d+ \(line \d+\): ")


def _field_error(path: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        code=code,
        details={"fields": [{"path": f"body.configuration.{path}", "message": message, "type": code.lower()}]},
    )


def _blob_path(tenant_id: str, config: BulkEvaluationConfig) -> str:
    """``data_source_blob_ref`` as a path inside the ``datasets`` container (URLs of this account only)."""
    ref = config.data_source_blob_ref or ""
    if "://" in ref:
        endpoint = str(deps.storage().blobs.url).rstrip("/") + "/"
        if not ref.startswith(endpoint):
            raise _field_error(
                "data_source_blob_ref",
                "data_source_blob_ref URLs must point at this service's storage account.",
                "BLOB_NOT_ALLOWED",
            )
        ref = ref[len(endpoint) :]
    container, _, path = ref.partition("/")
    if container != DATASETS_CONTAINER or not path.startswith(f"{tenant_id}/"):
        raise _field_error(
            "data_source_blob_ref",
            f"data_source_blob_ref may only name a blob of your own datasets: {DATASETS_CONTAINER}/{tenant_id}/...",
            "BLOB_NOT_ALLOWED",
        )
    return path


def _dataset(tenant_id: str, config: BaseModel) -> tuple[DatasetRecord, str]:
    """The dataset the configuration names, and the field that named it; 422 when there is none."""
    assert isinstance(config, BulkEvaluationConfig)
    repository = deps.datasets()
    if config.data_source is not None:
        found = repository.get(tenant_id, config.data_source)
        if found is None:
            raise _field_error(
                "data_source", "data_source names no dataset of yours; upload it first.", "DATASET_NOT_FOUND"
            )
        return found, "data_source"
    path = _blob_path(tenant_id, config)
    match = _DATASET_BLOB.match(path)
    found = repository.get(tenant_id, match["dataset"]) if match else None
    if found is None or found.blob != path or not repository.blob_exists(path):
        raise _field_error(
            "data_source_blob_ref",
            "data_source_blob_ref names no dataset file of yours; expected "
            f"{DATASETS_CONTAINER}/{tenant_id}/<dataset id>/data.csv or data.jsonl of an uploaded dataset.",
            "DATASET_NOT_FOUND",
        )
    return found, "data_source_blob_ref"


def _validate(tenant_id: str, config: BaseModel) -> None:
    assert isinstance(config, BulkEvaluationConfig)
    found, _ = _dataset(tenant_id, config)
    missing = config.placeholders() - set(found.dataset.columns)
    if missing:  # the count, not the names: the template is the caller's text
        raise _field_error(
            "prompt_template",
            f"The prompt template refers to {len(missing)} column(s) the dataset lacks.",
            "MISSING_COLUMNS",
        )


def _plan(tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
    found, _ = _dataset(tenant_id, config)
    total, size, step = found.dataset.row_count, found.dataset.size_bytes, found.chunk_rows
    offsets = found.offsets
    plans: list[dict[str, Any]] = []
    for index, start_row in enumerate(range(0, total, step)):
        if index < len(offsets):
            offset, skip = offsets[index], 0
        else:  # no offset recorded for this chunk: read from the first row and skip ahead
            offset, skip = offsets[0], start_row
        end = offsets[index + 1] if index + 1 < len(offsets) else size
        plan = {"start_row": start_row, "rows": min(step, total - start_row), "offset": offset, "end_offset": end}
        if skip:
            plan["skip"] = skip
        plans.append(plan)
    return plans


def _result_row(result: RowResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "score": result.score,
        "passed": result.passed,
        "scores": dict(result.scores) if result.error is None else None,
        "exact_match": result.scores.get("exact_match", result.scores.get("exact")),
        "token_f1": result.scores.get("token_f1"),
        "edit_ratio": result.scores.get("edit_ratio"),
        "semantic": result.scores.get("semantic"),
        "error": result.error,
    }


def _run(context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
    assert isinstance(config, BulkEvaluationConfig)
    found, _ = _dataset(context.tenant_id, config)
    fmt = found.dataset.format
    data = deps.datasets().read_range(found.blob, int(plan["offset"]), int(plan["end_offset"]))
    if fmt == "csv":
        data = found.header.encode() + data
    start_row, wanted, skip = int(plan["start_row"]), int(plan["rows"]), int(plan.get("skip", 0))
    criteria = config.evaluation_criteria
    template = config.template
    slots: list[RowResult | None] = []  # None: scored below, in one call per evaluator
    ids: list[str] = []
    pairs: list[tuple[str, str]] = []
    seen = 0
    for local_index, row in iter_rows(io.BytesIO(data), fmt):
        if local_index <= skip:
            continue
        index = start_row + local_index - skip  # the row's 1-based ordinal in the whole dataset
        if seen >= wanted:
            break
        seen += 1
        if seen % CANCEL_CHECK_ROWS == 0 and context.cancelled():
            return BatchOutcome(processed=0, failed=0)
        if isinstance(row, str):
            slots.append(RowResult.errored(str(index), f"row {index}: {_ROW_PREFIX.sub('', row)}"))
            continue
        rid = row_id(index, row)
        try:
            response, expected = response_and_expected(row)
            template.render(row)
        except MalformedRow as exc:
            slots.append(RowResult.errored(rid, f"row {index}: {exc}"))
            continue
        except KeyError:
            slots.append(RowResult.errored(rid, f"row {index}: row has no value for a prompt template placeholder"))
            continue
        slots.append(None)
        ids.append(rid)
        pairs.append((response, expected))
    scored = iter(
        score_rows(
            ids,
            pairs,
            criteria.scorers,
            criteria.evaluator_settings,
            ScoringTools(embedder=shared_embedder),
            rule=criteria.pass_rule,
            weights=criteria.weights,
            threshold=criteria.similarity_threshold,
        )
    )
    builder = SummaryBuilder()
    rows: list[dict[str, Any]] = []
    for slot in slots:
        result = slot if slot is not None else next(scored)
        builder.add(result)
        rows.append(_result_row(result))
    errored = sum(1 for row in rows if row["error"] is not None)
    return BatchOutcome(processed=len(rows) - errored, failed=errored, state=builder.to_state(), rows=rows)


def _summarize(states: list[dict[str, Any]]) -> dict[str, Any]:
    builder = SummaryBuilder()
    for state in states:
        builder.merge(SummaryBuilder.from_state(state))
    return builder.build().model_dump(mode="json")


def _quick(config: BaseModel) -> bool:
    """Lexical scoring of one batch takes well under a second; a model or an agent does not."""
    assert isinstance(config, BulkEvaluationConfig)
    slow = {"semantic", "llm_judge"}
    return not slow.intersection(config.evaluation_criteria.scorers)


BULK_EVALUATION = register(
    JobType(
        name="bulk_evaluation",
        description="Score an uploaded dataset's responses against expected answers (registry of evaluators).",
        config_model=BulkEvaluationConfig,
        plan=_plan,
        run_batch=_run,
        summarize=_summarize,
        result_columns=RESULT_COLUMNS,
        validate=_validate,
        inline=_quick,
    )
)
