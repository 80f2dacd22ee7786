"""Settings of the evaluators that take any (``evaluation_criteria.evaluator_settings``).

One small model per evaluator, each with ``extra="forbid"`` so a misspelt setting is a 422,
not a silently ignored option. Settings are checked at submission (a regular expression must
compile, a JSON Schema must be a valid schema), so a job never fails a batch for them.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator

from shared.models.base import ApiModel

MAX_PATTERN_CHARS = 2_000
MAX_RUBRIC_CHARS = 10_000


class _Settings(ApiModel):
    model_config = ConfigDict(extra="forbid")


class ContainsSettings(_Settings):
    case_sensitive: bool = Field(
        False, description="Compare as written; by default both texts are normalised (case, width, spaces)."
    )


class RegexSettings(_Settings):
    pattern: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_PATTERN_CHARS,
        description="RE2 pattern searched in the response; when absent each row's expected value is the pattern.",
    )
    ignore_case: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        import re2

        try:
            re2.compile(value)
        except re2.error:
            raise ValueError(
                "pattern is not a valid RE2 regular expression (no backreferences or lookaround)"
            ) from None
        return value


class JsonSchemaSettings(_Settings):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)

    schema_: dict[str, Any] | None = Field(
        None, alias="schema", description="JSON Schema (draft 2020-12 unless $schema says otherwise) for the response."
    )

    @field_validator("schema_")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return value
        from jsonschema import exceptions, validators

        try:
            validators.validator_for(value).check_schema(value)
        except exceptions.SchemaError:
            raise ValueError("schema is not a valid JSON Schema") from None
        return value

    def validator(self) -> Any:
        """A validator for the schema; ``$ref`` resolves within the schema, nothing is fetched."""
        from jsonschema import validators

        schema = self.schema_ or {}
        return validators.validator_for(schema)(schema)


class NumericCloseSettings(_Settings):
    tolerance: float = Field(0.0, ge=0.0, allow_inf_nan=False, description="Largest absolute difference.")
    relative_tolerance: float = Field(
        1e-9, ge=0.0, le=1.0, allow_inf_nan=False, description="Largest difference as a fraction of the larger value."
    )


class LlmJudgeSettings(_Settings):
    rubric: str = Field(
        "",
        max_length=MAX_RUBRIC_CHARS,
        description="How the agent grades: what earns 0, what earns 1, what is in between.",
    )
    agent_id: str | None = Field(
        None, min_length=1, max_length=128, description="The grading agent; the job's agent (or the default) when null."
    )


class EvaluatorSettings(_Settings):
    """Settings per evaluator name; only evaluators that take settings appear here."""

    contains: ContainsSettings = Field(default_factory=ContainsSettings)
    regex: RegexSettings = Field(default_factory=RegexSettings)
    json_schema: JsonSchemaSettings = Field(default_factory=JsonSchemaSettings)
    numeric_close: NumericCloseSettings = Field(default_factory=NumericCloseSettings)
    llm_judge: LlmJudgeSettings = Field(default_factory=LlmJudgeSettings)

    def missing_for(self, name: str) -> str | None:
        """The setting ``name`` needs and lacks, if any (a schema, a rubric)."""
        if name == "json_schema" and self.json_schema.schema_ is None:
            return "evaluator_settings.json_schema.schema"
        if name == "llm_judge" and not self.llm_judge.rubric.strip():
            return "evaluator_settings.llm_judge.rubric"
        return None
