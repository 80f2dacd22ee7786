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
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from pydantic import BaseModel

from shared.errors import NotFound, ValidationFailed
from shared.jobs.evaluation.config import BulkEvaluationConfig
from shared.jobs.evaluation.datasets import MalformedRow, iter_rows, row_id, text_value
from shared.jobs.evaluation.embedding_runtime import shared_embedder
from shared.jobs.evaluation.evaluators import ScoringTools
from shared.jobs.evaluation.knowledge import knowledge_contexts
from shared.jobs.evaluation.responder import Responder, TokenBudget
from shared.jobs.evaluation.row_scoring import score_rows
from shared.jobs.evaluation.scoring import RowResult, SummaryBuilder
from shared.jobs.registry import BatchContext, BatchOutcome, JobType
from shared.storage.agents import AgentUsage
from shared.storage.datasets import DATASETS_CONTAINER, DatasetRecord, DatasetRepository

CANCEL_CHECK_ROWS = 1_000
RESULT_COLUMNS = (
    *("id", "score", "passed", "scores", "exact_match", "token_f1", "edit_ratio", "semantic"),
    *("response", "tokens", "error"),
)
_DATASET_BLOB = re.compile(r"^(?P<tenant>[^/]+)/(?P<dataset>[^/]+)/data\.(?P<ext>csv|jsonl)$")
_ROW_PREFIX = re.compile(r"^row \d+ \(line \d+\): ")


class AgentDirectory(Protocol):
    """What a job needs of the agents service (``shared.services.agents.AgentsService`` is one)."""

    def get(self, tenant_id: str, agent_id: str) -> Any: ...

    def resolve_id(self, tenant_id: str, agent_id: str | None) -> str | None: ...

    def handle(self, tenant_id: str, agent_id: str) -> Any: ...


@dataclass(frozen=True)
class DatasetSource:
    """What a job reads and calls: the tenant's datasets, this account's Blob endpoint (to tell its
    own URLs in ``data_source_blob_ref`` from others), the agents and their usage records.
    Factories, so that a job type registered once per process follows the composition root when
    it is rebuilt (``shared.deps`` builds this and registers the type)."""

    repository: Callable[[], DatasetRepository]
    blob_endpoint: Callable[[], str]
    agents: Callable[[], AgentDirectory]
    agent_usage: Callable[[], AgentUsage]


def _field_error(path: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        code=code,
        details={"fields": [{"path": f"body.configuration.{path}", "message": message, "type": code.lower()}]},
    )


def _blob_path(source: DatasetSource, tenant_id: str, config: BulkEvaluationConfig) -> str:
    """``data_source_blob_ref`` as a path inside the ``datasets`` container (URLs of this account only)."""
    ref = config.data_source_blob_ref or ""
    if "://" in ref:
        endpoint = source.blob_endpoint().rstrip("/") + "/"
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


def _dataset(source: DatasetSource, tenant_id: str, config: BaseModel) -> tuple[DatasetRecord, str]:
    """The dataset the configuration names, and the field that named it; 422 when there is none."""
    assert isinstance(config, BulkEvaluationConfig)
    repository = source.repository()
    if config.data_source is not None:
        found = repository.resolve(tenant_id, config.data_source)  # an id, or a file name (409 if ambiguous)
        if found is None:
            raise _field_error(
                "data_source", "data_source names no dataset of yours; upload it first.", "DATASET_NOT_FOUND"
            )
        return found, "data_source"
    path = _blob_path(source, tenant_id, config)
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


def _validate(source: DatasetSource, tenant_id: str, config: BaseModel) -> BulkEvaluationConfig:
    assert isinstance(config, BulkEvaluationConfig)
    found, field = _dataset(source, tenant_id, config)
    if field == "data_source":  # pinned by id: a later upload under the same name cannot change what the job reads
        config = config.model_copy(update={"data_source": found.dataset.id})
    _check_agents(source, tenant_id, config, needs_default="response" not in found.dataset.columns)
    knowledge = config.knowledge_source
    if knowledge is not None and source.repository().get(tenant_id, knowledge) is None:
        raise _field_error(
            "knowledge_source", "knowledge_source names no dataset of yours; upload it first.", "DATASET_NOT_FOUND"
        )
    missing = config.placeholders() - set(found.dataset.columns)
    if missing:  # the count, not the names: the template is the caller's text
        raise _field_error(
            "prompt_template",
            f"The prompt template refers to {len(missing)} column(s) the dataset lacks.",
            "MISSING_COLUMNS",
        )
    return config


def _check_agents(source: DatasetSource, tenant_id: str, config: BulkEvaluationConfig, *, needs_default: bool) -> None:
    """The agents the job names exist; one is there when rows need answers or a judge."""
    service = source.agents()
    judge = config.evaluation_criteria.evaluator_settings.llm_judge
    named = [("selected_agent_id", config.selected_agent_id)]
    if "llm_judge" in config.evaluation_criteria.scorers:
        named.append(("evaluation_criteria.evaluator_settings.llm_judge.agent_id", judge.agent_id))
    for path, agent_id in named:
        if agent_id is not None:
            try:
                service.get(tenant_id, agent_id)
            except NotFound:
                raise _field_error(path, f"{path} names no agent of yours.", "AGENT_NOT_FOUND") from None
    wants_default = (needs_default and config.selected_agent_id is None) or (
        "llm_judge" in config.evaluation_criteria.scorers
        and judge.agent_id is None
        and config.selected_agent_id is None
    )
    if wants_default and service.resolve_id(tenant_id, None) is None:
        raise _field_error(
            "selected_agent_id",
            "The dataset has no response column (or llm_judge has no agent) and you have no default agent: "
            "name one in selected_agent_id or register one with default: true.",
            "NO_DEFAULT_AGENT",
        )


def _plan(source: DatasetSource, tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
    found, _ = _dataset(source, tenant_id, config)
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


def _result_row(result: RowResult, generated: str | None = None, tokens: int = 0) -> dict[str, Any]:
    return {
        "id": result.id,
        "score": result.score,
        "passed": result.passed,
        "scores": dict(result.scores) if result.error is None else None,
        "exact_match": result.scores.get("exact_match", result.scores.get("exact")),
        "token_f1": result.scores.get("token_f1"),
        "edit_ratio": result.scores.get("edit_ratio"),
        "semantic": result.scores.get("semantic"),
        "response": generated,
        "tokens": tokens,
        "error": result.error,
    }


def _has_response(row: dict[str, Any]) -> bool:
    value = row.get("response")
    return value is not None and not (isinstance(value, str) and not value.strip())


@dataclass
class _Pending:
    """A row read from the batch, waiting for its answer (when it has none) and its scores."""

    rid: str
    index: int
    expected: str
    response: str | None
    prompt: str


class _Agents:
    """The job's agents, resolved and opened on the first row that needs one (once per batch)."""

    def __init__(self, source: DatasetSource, context: BatchContext, config: BulkEvaluationConfig) -> None:
        self._source = source
        self._context = context
        self._config = config
        self._responders: dict[str | None, Responder | None] = {}
        self.budgets: list[TokenBudget] = []
        self._held = ExitStack()

    def responder(self, agent_id: str | None) -> Responder | None:
        """The responder of ``agent_id`` (None: the job's agent, else the tenant's default)."""
        wanted = agent_id or self._config.selected_agent_id
        if wanted in self._responders:
            return self._responders[wanted]
        service = self._source.agents()
        resolved = service.resolve_id(self._context.tenant_id, wanted)
        responder = None
        if resolved is not None:
            handle = service.handle(self._context.tenant_id, resolved)
            limits = handle.agent.limits
            allowance = self._source.agent_usage().job_allowance(
                self._context.tenant_id, resolved, self._context.job_id, limits.token_budget_per_job
            )
            # Sessions: the batch keeps its slots and its budget chunk between calls; close() gives them back.
            self._held.enter_context(allowance.session())
            self._held.enter_context(handle.slots.session())
            budget = TokenBudget(allowance)
            self.budgets.append(budget)
            responder = Responder(handle, budget, limits.max_concurrent_calls)
        self._responders[wanted] = responder
        return responder

    def judge(self) -> Responder:
        found = self.responder(self._config.evaluation_criteria.evaluator_settings.llm_judge.agent_id)
        if found is None:  # checked at submission; an agent deleted since fails the batch
            raise NotFound("The llm_judge agent no longer exists.", code="AGENT_NOT_FOUND")
        return found

    def totals(self) -> tuple[int, int]:
        """(tokens, calls) of the batch."""
        return sum(b.batch_tokens for b in self.budgets), sum(b.calls for b in self.budgets)

    def close(self) -> None:
        """Give back the slots and write the tokens used (the job's total is in the shared row)."""
        self._held.close()


def _run(source: DatasetSource, context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
    assert isinstance(config, BulkEvaluationConfig)
    found, _ = _dataset(source, context.tenant_id, config)
    fmt = found.dataset.format
    data = source.repository().read_range(found.blob, int(plan["offset"]), int(plan["end_offset"]))
    if fmt == "csv":
        data = found.header.encode() + data
    start_row, wanted, skip = int(plan["start_row"]), int(plan["rows"]), int(plan.get("skip", 0))
    template = config.template
    suffix = f"\n\n{config.additional_instructions}" if config.additional_instructions else ""
    slots: list[RowResult | _Pending] = []
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
            response = text_value(row, "response") if _has_response(row) else None
            expected = text_value(row, "expected")
            prompt = template.render(row) + suffix
        except MalformedRow as exc:
            slots.append(RowResult.errored(rid, f"row {index}: {exc}"))
            continue
        except KeyError:
            slots.append(RowResult.errored(rid, f"row {index}: row has no value for a prompt template placeholder"))
            continue
        slots.append(_Pending(rid, index, expected, response, prompt))

    agents = _Agents(source, context, config)
    try:
        return _score(source, context, config, agents, slots)
    finally:
        agents.close()


def _score(
    source: DatasetSource,
    context: BatchContext,
    config: BulkEvaluationConfig,
    agents: _Agents,
    slots: list[RowResult | _Pending],
) -> BatchOutcome:
    """Answer the rows without a response, score every row, and count the batch."""
    criteria = config.evaluation_criteria
    generated = _answer_missing(source, context, config, agents, slots)
    ready = [slot for slot in slots if isinstance(slot, _Pending) and slot.response is not None]
    scored = iter(
        score_rows(
            [slot.rid for slot in ready],
            [(slot.response or "", slot.expected) for slot in ready],
            criteria.scorers,
            criteria.evaluator_settings,
            ScoringTools(embedder=shared_embedder, judge=agents.judge),
            rule=criteria.pass_rule,
            weights=criteria.weights,
            threshold=criteria.similarity_threshold,
        )
    )
    builder = SummaryBuilder()
    rows: list[dict[str, Any]] = []
    for slot in slots:
        text, tokens = generated.get(id(slot), (None, 0))
        if isinstance(slot, RowResult):
            result = slot
        elif slot.response is None:
            result = RowResult.errored(slot.rid, f"row {slot.index}: {text}")
            text = None
        else:
            result = next(scored)
        builder.add(result)
        rows.append(_result_row(result, text, tokens))
    tokens_used, calls = agents.totals()
    errored = sum(1 for row in rows if row["error"] is not None)
    state = {"summary": builder.to_state(), "tokens": tokens_used, "agent_calls": calls}
    return BatchOutcome(processed=len(rows) - errored, failed=errored, state=state, rows=rows)


def _answer_missing(
    source: DatasetSource,
    context: BatchContext,
    config: BulkEvaluationConfig,
    agents: _Agents,
    slots: list[RowResult | _Pending],
) -> dict[int, tuple[str | None, int]]:
    """Ask the agent for every row without a response; fills ``response`` in place.

    Returns, per slot (by ``id``), the generated text and its tokens, or the failure's reason
    in place of the text for rows whose call failed (their ``response`` stays None).
    """
    missing = [slot for slot in slots if isinstance(slot, _Pending) and slot.response is None]
    if not missing:
        return {}
    responder = agents.responder(None)
    if responder is None:
        return {id(slot): ("row has no 'response' value and the tenant has no default agent", 0) for slot in missing}
    prompts = [slot.prompt for slot in missing]
    contexts = knowledge_contexts(source.repository(), context.tenant_id, config.knowledge_source, prompts)
    outcomes = responder.answer(prompts, contexts)
    generated: dict[int, tuple[str | None, int]] = {}
    for slot, outcome in zip(missing, outcomes, strict=True):
        if outcome.text is not None:
            slot.response = outcome.text
            generated[id(slot)] = (outcome.text, outcome.tokens)
        else:
            generated[id(slot)] = (f"agent call failed: {outcome.error}", 0)
    return generated


def _summarize(states: list[dict[str, Any]]) -> dict[str, Any]:
    builder = SummaryBuilder()
    tokens = calls = 0
    for state in states:
        if "summary" in state:  # batches recorded before agents carried the builder's state alone
            tokens += int(state.get("tokens", 0))
            calls += int(state.get("agent_calls", 0))
            state = state["summary"]
        builder.merge(SummaryBuilder.from_state(state))
    return {**builder.build().model_dump(mode="json"), "tokens_used": tokens, "agent_calls": calls}


def _quick(config: BaseModel) -> bool:
    """Lexical scoring of one batch takes well under a second; a model or an agent does not."""
    assert isinstance(config, BulkEvaluationConfig)
    slow = {"semantic", "llm_judge"}
    return config.selected_agent_id is None and not slow.intersection(config.evaluation_criteria.scorers)


def bulk_evaluation_type(source: DatasetSource) -> JobType:
    """The job type, reading its rows and reaching its agents through ``source`` (registered by ``shared.deps``)."""
    return JobType(
        name="bulk_evaluation",
        description="Score an uploaded dataset's responses against expected answers (registry of evaluators).",
        config_model=BulkEvaluationConfig,
        plan=partial(_plan, source),
        run_batch=partial(_run, source),
        summarize=_summarize,
        result_columns=RESULT_COLUMNS,
        validate=partial(_validate, source),
        inline=_quick,
    )
