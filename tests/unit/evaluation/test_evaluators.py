"""The evaluator registry, each evaluator's rule, the settings they take, and the pass rules."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from shared.errors import validation_details
from shared.jobs.evaluation.config import BulkEvaluationConfig, EvaluationCriteria
from shared.jobs.evaluation.evaluator_settings import EvaluatorSettings
from shared.jobs.evaluation.evaluators import (
    EVALUATORS,
    Pair,
    RowFailure,
    Score,
    ScoringTools,
    cosine,
    first_number,
)
from shared.jobs.evaluation.row_scoring import combine, score_rows

NONE = EvaluatorSettings()


def _run(
    name: str, pairs: Sequence[Pair], settings: EvaluatorSettings = NONE, tools: ScoringTools | None = None
) -> list[Score]:
    return EVALUATORS[name](pairs, settings, tools or ScoringTools())


def _settings(**values: Any) -> EvaluatorSettings:
    return EvaluatorSettings.model_validate(values)


def _criteria_error(criteria: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(
            {"data_source": "ds_1", "prompt_template": "{q}", "evaluation_criteria": criteria}
        )
    fields: list[dict[str, Any]] = validation_details(caught.value.errors())["fields"]
    return fields


def test_registry_names() -> None:
    assert set(EVALUATORS) == {
        "exact", "exact_match", "token_f1", "edit_ratio", "semantic", "contains", "regex",
        "json_valid", "json_schema", "numeric_close", "llm_judge",
    }  # fmt: skip


def test_exact_is_exact_match() -> None:
    pairs = [("Paris.", "paris"), ("Paris", "Lyon")]
    assert _run("exact", pairs) == _run("exact_match", pairs) == [1.0, 0.0]


def test_contains_normalised_by_default_and_as_written_when_case_sensitive() -> None:
    pairs = [("The answer is PARIS, France", "paris"), ("Lyon", "Paris"), ("the answer is paris", "Paris")]
    assert _run("contains", pairs) == [1.0, 0.0, 1.0]
    assert _run("contains", pairs, _settings(contains={"case_sensitive": True})) == [0.0, 0.0, 0.0]


def test_regex_with_a_configured_pattern_or_the_expected_value() -> None:
    pairs = [("Order 12345 shipped", "x"), ("no order here", "x")]
    assert _run("regex", pairs, _settings(regex={"pattern": r"\b\d{5}\b"})) == [1.0, 0.0]
    per_row = [("Total: 42 EUR", r"\d+ EUR"), ("Total: 42 USD", r"\d+ EUR"), ("abc", "(unclosed")]
    assert _run("regex", per_row) == [1.0, 0.0, RowFailure("expected is not a valid regular expression")]
    assert _run("regex", [("HELLO", "x")], _settings(regex={"pattern": "hello", "ignore_case": True})) == [1.0]
    assert _run("regex", [("HELLO", "x")], _settings(regex={"pattern": "hello"})) == [0.0]


def test_regex_is_linear_time_on_a_backtracking_pattern() -> None:
    started = time.perf_counter()
    assert _run("regex", [("a" * 5_000 + "!", "x")], _settings(regex={"pattern": "^(a+)+$"})) == [0.0]
    assert time.perf_counter() - started < 2.0  # the backtracking engine would not finish this at all


@pytest.mark.parametrize("pattern", ["(a", r"(a)\1", "(?=a)b"])
def test_regex_setting_must_compile_in_re2(pattern: str) -> None:
    fields = _criteria_error({"custom_evaluators": ["regex"], "evaluator_settings": {"regex": {"pattern": pattern}}})
    assert [field["path"] for field in fields] == ["evaluation_criteria.evaluator_settings.regex.pattern"]
    assert pattern not in fields[0]["message"]


def test_json_valid() -> None:
    pairs = [('{"a": 1}', ""), ("[1, 2", ""), ("42", ""), ("[" * 100 + "]" * 100, ""), ("", "")]
    assert _run("json_valid", pairs) == [1.0, 0.0, 1.0, 0.0, 0.0]


def test_json_schema() -> None:
    schema = {
        "type": "object",
        "required": ["total"],
        "properties": {"total": {"type": "number", "minimum": 0}, "item": {"$ref": "#/$defs/item"}},
        "$defs": {"item": {"type": "string"}},
    }
    settings = _settings(json_schema={"schema": schema})
    pairs = [('{"total": 3}', ""), ('{"total": -1}', ""), ('{"total": 3, "item": 5}', ""), ("not json", "")]
    assert _run("json_schema", pairs, settings) == [1.0, 0.0, 0.0, 0.0]


def test_json_schema_never_fetches_a_remote_ref() -> None:
    settings = _settings(json_schema={"schema": {"$ref": "https://example.com/schema.json"}})
    assert _run("json_schema", [("{}", "")], settings) == [
        RowFailure("the schema has a $ref that does not resolve inside it")
    ]


def test_json_schema_needs_a_valid_schema() -> None:
    fields = _criteria_error({"custom_evaluators": ["json_schema"]})
    assert "evaluator_settings.json_schema.schema" in fields[0]["message"]
    fields = _criteria_error(
        {"custom_evaluators": ["json_schema"], "evaluator_settings": {"json_schema": {"schema": {"type": 12}}}}
    )
    assert fields[0]["path"] == "evaluation_criteria.evaluator_settings.json_schema.schema"


def test_json_schema_round_trips_through_the_stored_configuration() -> None:
    config = BulkEvaluationConfig.model_validate(
        {
            "data_source": "ds_1",
            "prompt_template": "{q}",
            "evaluation_criteria": {
                "custom_evaluators": ["json_schema"],
                "evaluator_settings": {"json_schema": {"schema": {"type": "array"}}},
            },
        }
    )
    again = BulkEvaluationConfig.model_validate_json(config.model_dump_json())
    assert again.evaluation_criteria.evaluator_settings.json_schema.schema_ == {"type": "array"}


@pytest.mark.parametrize(
    ("text", "number"),
    [("$1,234.50 total", 1234.5), ("-3e2 ms", -300.0), ("about .5", 0.5), ("none", None), ("v2 of 7", 2.0)],
)
def test_first_number(text: str, number: float | None) -> None:
    assert first_number(text) == number


def test_numeric_close_tolerances() -> None:
    pairs = [("It is 10.04", "10"), ("10.2", "10"), ("no idea", "10"), ("12", "n/a")]
    absolute = _settings(numeric_close={"tolerance": 0.05})
    assert _run("numeric_close", pairs, absolute) == [
        1.0,
        0.0,
        0.0,
        RowFailure("expected has no number for numeric_close"),
    ]
    relative = _settings(numeric_close={"relative_tolerance": 0.03})
    assert _run("numeric_close", pairs[:3], relative) == [1.0, 1.0, 0.0]
    assert _run("numeric_close", [("1000", "1,000")]) == [1.0]


class FakeEmbedder:
    """Vectors chosen by the test: one per distinct text, counting the calls."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [self.vectors[text] for text in texts]


def test_semantic_is_the_clamped_cosine_with_one_embedding_call_per_batch() -> None:
    embedder = FakeEmbedder({"a": [1.0, 0.0], "b": [0.6, 0.8], "c": [-1.0, 0.0], "d": [0.0, 2.0]})
    tools = ScoringTools(embedder=lambda: embedder)
    scores = _run("semantic", [("a", "b"), ("a", "c"), ("b", "d"), ("a", "a")], tools=tools)
    assert scores == pytest.approx([0.6, 0.0, 0.8, 1.0])
    assert embedder.calls == [["a", "b", "c", "d"]], "each distinct text once, in one call"
    assert _run("semantic", [], tools=tools) == [] and len(embedder.calls) == 1


def test_cosine() -> None:
    assert cosine([3.0, 4.0], [3.0, 4.0]) == pytest.approx(1.0)
    assert cosine([1.0, 0.0], [0.0, 1.0]) == 0.0
    assert cosine([0.0, 0.0], [1.0, 1.0]) == 0.0


def test_llm_judge_needs_a_rubric() -> None:
    fields = _criteria_error({"custom_evaluators": ["llm_judge"]})
    assert "evaluator_settings.llm_judge.rubric" in fields[0]["message"]


def test_unknown_evaluator_settings_key_refused() -> None:
    fields = _criteria_error({"evaluator_settings": {"regex": {"patern": "x"}}})
    assert fields[0]["path"] == "evaluation_criteria.evaluator_settings.regex.patern"


# ----------------------------------------------------------------------------- pass rules


def test_combine_rules() -> None:
    scores = {"exact": 0.0, "token_f1": 0.9, "semantic": 0.95}
    assert combine(scores, "weighted_mean", {}, 0.6) == (0.616667, True)
    assert combine(scores, "all", {}, 0.6) == (0.616667, False)
    assert combine(scores, "any", {}, 0.6) == (0.616667, True)
    assert combine({"exact": 0.0, "token_f1": 0.1}, "any", {}, 0.6) == (0.05, False)
    assert combine({"exact": 0.6, "token_f1": 0.8}, "all", {}, 0.6) == (0.7, True)
    weighted = combine(scores, "weighted_mean", {"semantic": 3.0, "exact": 0.5}, 0.8)
    assert weighted == (0.833333, True)  # (0*0.5 + 0.9 + 0.95*3) / 4.5 = 3.75 / 4.5


def test_weights_must_name_selected_evaluators() -> None:
    fields = _criteria_error({"custom_evaluators": ["exact"], "weights": {"token_f1": 2}})
    assert "token_f1" in fields[0]["message"]
    fields = _criteria_error({"custom_evaluators": ["exact"], "weights": {"exact": 0}})
    assert fields[0]["path"] == "evaluation_criteria.weights.exact"
    assert EvaluationCriteria(custom_evaluators=["exact"], weights={"exact": 2}).weights == {"exact": 2.0}


def test_pass_rule_values() -> None:
    assert EvaluationCriteria().pass_rule == "weighted_mean"
    fields = _criteria_error({"pass_rule": "majority"})
    assert fields[0]["path"] == "evaluation_criteria.pass_rule"


def test_score_rows_carries_every_evaluator_and_fails_rows_an_evaluator_cannot_judge() -> None:
    results = score_rows(
        ["r1", "r2", "r3"],
        [("Total: 10", "10"), ("Total: 12", "10"), ("Total: 10", "ten")],
        ["contains", "numeric_close"],
        NONE,
        ScoringTools(),
        rule="all",
        threshold=1.0,
    )
    assert [(r.id, r.scores, r.score, r.passed, r.error) for r in results] == [
        ("r1", {"contains": 1.0, "numeric_close": 1.0}, 1.0, True, None),
        ("r2", {"contains": 0.0, "numeric_close": 0.0}, 0.0, False, None),
        ("r3", {}, None, False, "numeric_close: expected has no number for numeric_close"),
    ]
