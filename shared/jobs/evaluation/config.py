"""The ``configuration`` of a ``bulk_evaluation`` job, as the job contract (seed 002) defines it.

Every rule is a Pydantic validator so a bad configuration is an ordinary ``ValidationError``:
the API turns it into a 422 whose ``details.fields`` carry the field paths. Unknown keys are
refused (``extra="forbid"``) so a typo such as ``similarity_treshold`` is an error, not a
silently ignored setting.

``custom_evaluators`` names evaluators of the registry (``evaluators.py``) with their settings
and a pass rule; ``use_semantic_scoring`` adds the semantic evaluator; ``selected_agent_id``
(or the tenant's default agent) answers rows that have no response.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, Field, field_validator, model_validator

from shared.jobs.evaluation.evaluator_settings import EvaluatorSettings
from shared.jobs.evaluation.evaluators import EVALUATORS, LEXICAL_DEFAULT, known_evaluators_text
from shared.jobs.evaluation.row_scoring import PassRule
from shared.models.base import ApiModel
from shared.models.common import AddressableId

_CONTAINER = re.compile(r"^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")
"""Azure container names: 3-63 lowercase letters, digits and single inner hyphens."""

MAX_TEMPLATE_CHARS = 20_000


def _known_evaluator(name: str) -> str:
    if name not in EVALUATORS:
        raise ValueError(f"unknown evaluator; known evaluators: {known_evaluators_text()}")
    return name


EvaluatorName = Annotated[str, AfterValidator(_known_evaluator)]
"""Checked per item so the error path points at the bad entry (``custom_evaluators.1``)."""

Weight = Annotated[float, Field(gt=0.0, le=1_000.0, allow_inf_nan=False)]


class EvaluationCriteria(ApiModel):
    """How rows are scored and when a row passes."""

    model_config = ConfigDict(extra="forbid")

    similarity_threshold: float = Field(
        0.8, ge=0.0, le=1.0, allow_inf_nan=False, description="A row passes when its score is at least this."
    )
    use_semantic_scoring: bool = Field(
        False,
        description="Add the semantic evaluator (cosine similarity of sentence embeddings); "
        "alone when custom_evaluators is empty.",
    )
    custom_evaluators: list[EvaluatorName] = Field(
        default_factory=list,
        max_length=len(EVALUATORS) * 4,
        description="Evaluators to run, from the registry; empty runs exact_match, token_f1 and edit_ratio.",
    )
    # The three below are left out of the stored and shown configuration while they hold their
    # defaults, so a job submitted in seed 002's shape is shown in that shape (its schema is closed).
    evaluator_settings: EvaluatorSettings = Field(
        default_factory=EvaluatorSettings,
        description="Settings of the evaluators that take any.",
        exclude_if=lambda value: value == EvaluatorSettings(),
    )
    pass_rule: PassRule = Field(
        "weighted_mean",
        exclude_if=lambda value: value == "weighted_mean",
        description="weighted_mean: the weighted mean of the scores reaches the threshold; "
        "all: every evaluator's score does; any: at least one does.",
    )
    weights: dict[EvaluatorName, Weight] = Field(
        default_factory=dict,
        max_length=len(EVALUATORS),
        description="Weight per evaluator (default 1).",
        exclude_if=lambda value: not value,
    )

    @field_validator("custom_evaluators")
    @classmethod
    def _without_duplicates(cls, value: list[str]) -> list[str]:
        """Naming a scorer twice would not weigh it twice; drop the repeat instead of refusing."""
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _settings_present(self) -> Self:
        for name in self.scorers:
            missing = self.evaluator_settings.missing_for(name)
            if missing is not None:
                raise ValueError(f"evaluator {name} needs {missing}")
        unused = sorted(set(self.weights) - set(self.scorers))
        if unused:
            raise ValueError(f"weights name evaluator(s) that are not selected: {', '.join(unused)}")
        return self

    @property
    def scorers(self) -> tuple[str, ...]:
        """The evaluators to run: the listed ones (or the lexical default), plus semantic when asked."""
        names = tuple(self.custom_evaluators)
        if self.use_semantic_scoring:
            return names if "semantic" in names else (*names, "semantic")
        return names or LEXICAL_DEFAULT

    @property
    def uses_semantic(self) -> bool:
        return "semantic" in self.scorers


class PromptTemplate:
    """A parsed ``{column}`` template: plain placeholders only, rendered without ``str.format``.

    ``str.format`` would allow ``{response.__class__}`` (attribute access on values) and
    ``{response:>999999999}`` (a gigabyte of padding), so conversions, format specs, attribute
    or index access and positional ``{}``/``{0}`` fields are rejected at validation time, and
    rendering substitutes the parsed pieces itself.
    """

    def __init__(self, template: str) -> None:
        try:
            pieces = list(string.Formatter().parse(template))
        except ValueError as exc:  # "Single '}' encountered", "unmatched '{'", ...
            raise ValueError(f"malformed prompt template: {exc}; write a literal brace as {{{{ or }}}}") from None
        self._pieces: list[tuple[str, str | None]] = []
        for literal, field, spec, conversion in pieces:
            if field is not None:
                _check_placeholder(field, spec, conversion)
            self._pieces.append((literal, field))

    def placeholders(self) -> set[str]:
        """The column names the template refers to."""
        return {field for _, field in self._pieces if field is not None}

    def render(self, row: Mapping[str, Any]) -> str:
        """The prompt for one row; a placeholder the row lacks raises ``KeyError`` (the row errors)."""
        parts: list[str] = []
        for literal, field in self._pieces:
            parts.append(literal)
            if field is not None:
                value = row[field]
                parts.append(value if isinstance(value, str) else str(value))
        return "".join(parts)


def _check_placeholder(field: str, spec: str | None, conversion: str | None) -> None:
    if not field.strip():
        raise ValueError("prompt template has an empty placeholder {}; name a column, e.g. {question}")
    # The messages describe the placeholder's shape, never quote it: the template is the caller's text.
    if field != field.strip():
        raise ValueError("a prompt template placeholder has spaces around the column name")
    if field.isdigit():
        raise ValueError("a prompt template placeholder is positional; name a column instead")
    if "." in field or "[" in field:
        raise ValueError("a prompt template placeholder may only name a column (no '.' or '[')")
    if conversion or spec:
        raise ValueError("a prompt template placeholder may not have a conversion or format spec")


class BulkEvaluationConfig(ApiModel):
    """The ``configuration`` object of a ``bulk_evaluation`` job.

    The dataset comes from exactly one of ``data_source`` (the id of an uploaded dataset) or
    ``data_source_blob_ref`` (the contract's large-payload form: ``container/blob/name`` or an
    ``https://`` blob URL). A blob URL must not carry a query string: a SAS token is a credential
    and would be stored with the job; the service reads the blob with its own identity. Which
    storage account a URL may point at is the engine's decision (this model cannot know it).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    data_source: AddressableId | None = Field(
        None, min_length=1, max_length=128, description="Id of an uploaded dataset."
    )
    data_source_blob_ref: str | None = Field(
        None, min_length=1, max_length=2048, description="container/blob path or https URL of a large dataset."
    )
    prompt_template: str = Field(min_length=1, max_length=MAX_TEMPLATE_CHARS)
    evaluation_criteria: EvaluationCriteria = Field(default_factory=EvaluationCriteria)
    selected_agent_id: AddressableId | None = Field(
        None,
        max_length=128,
        description="Agent answering rows without a response (and grading for llm_judge); null: the default agent.",
    )
    additional_instructions: str | None = Field(None, max_length=10_000)
    knowledge_source: AddressableId | None = Field(
        None, max_length=128, description="A dataset whose rows most similar to each prompt go to the agent as context."
    )

    @field_validator("data_source_blob_ref")
    @classmethod
    def _blob_ref_shape(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "://" in value:
            _check_blob_url(value)
        else:
            _check_blob_path(value)
        return value

    @field_validator("prompt_template")
    @classmethod
    def _template_well_formed(cls, value: str) -> str:
        PromptTemplate(value)
        return value

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        if self.data_source is None and self.data_source_blob_ref is None:
            raise ValueError("one of data_source or data_source_blob_ref is required")
        if self.data_source is not None and self.data_source_blob_ref is not None:
            raise ValueError("give either data_source or data_source_blob_ref, not both")
        return self

    @property
    def template(self) -> PromptTemplate:
        """The parsed prompt template (validated already, so this cannot fail)."""
        return PromptTemplate(self.prompt_template)

    def placeholders(self) -> set[str]:
        """The dataset columns ``prompt_template`` refers to (pass them to ``inspect_dataset``)."""
        return self.template.placeholders()


def _check_blob_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        raise ValueError("data_source_blob_ref URL must use https")
    if not parts.hostname or parts.username or parts.password:
        raise ValueError("data_source_blob_ref URL must name a host and carry no credentials")
    if parts.query or parts.fragment:
        raise ValueError("data_source_blob_ref URL must not have a query string (no SAS tokens) or fragment")
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2:
        raise ValueError("data_source_blob_ref URL must name a container and a blob")


def _check_blob_path(value: str) -> None:
    container, _, blob = value.partition("/")
    if not _CONTAINER.match(container):
        raise ValueError(
            "data_source_blob_ref must be 'container/blob' with a valid container name "
            "(3-63 lowercase letters, digits or hyphens) or an https URL"
        )
    if not blob or blob.startswith("/") or len(blob) > 1024:
        raise ValueError("data_source_blob_ref must name a blob after the container ('container/blob')")
    if any(segment in (".", "..") for segment in blob.split("/")):
        raise ValueError("data_source_blob_ref blob name may not contain '.' or '..' segments")
