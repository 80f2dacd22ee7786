"""Validation of the bulk_evaluation job configuration (seed 002's shape)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from shared.errors import validation_details
from shared.jobs.evaluation.config import BulkEvaluationConfig, EvaluationCriteria, PromptTemplate
from shared.jobs.evaluation.evaluators import LEXICAL_DEFAULT


def _config(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"data_source": "ds_123", "prompt_template": "Answer: {question}"}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not ...}


def _paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [field["path"] for field in validation_details(exc.value.errors())["fields"]]


def test_seed_shape_with_defaults() -> None:
    config = BulkEvaluationConfig.model_validate(
        {
            "data_source": "financial-validation-data.csv",
            "prompt_template": "Analyze this financial data: {context}",
            "evaluation_criteria": {"similarity_threshold": 0.8},
            "selected_agent_id": None,
            "additional_instructions": "Be brief.",
            "knowledge_source": "ks_1",
        }
    )
    assert config.evaluation_criteria.similarity_threshold == 0.8
    assert config.evaluation_criteria.use_semantic_scoring is False
    assert config.evaluation_criteria.custom_evaluators == []
    assert config.evaluation_criteria.scorers == LEXICAL_DEFAULT
    assert config.placeholders() == {"context"}
    assert BulkEvaluationConfig.model_validate(_config()).evaluation_criteria == EvaluationCriteria()


@pytest.mark.parametrize(
    "ref",
    [
        "job-data/jobs/2024/01/job_abc123def456/input.jsonl",
        "https://copilotevaldata.blob.core.windows.net/job-data/jobs/input.csv",
    ],
)
def test_blob_reference_form(ref: str) -> None:
    config = BulkEvaluationConfig.model_validate(_config(data_source=..., data_source_blob_ref=ref))
    assert config.data_source is None and config.data_source_blob_ref == ref


@pytest.mark.parametrize(
    "ref",
    [
        "http://acct.blob.core.windows.net/c/b.csv",
        "https://acct.blob.core.windows.net/c/b.csv?sv=2024&sig=secret",
        "https://user:pw@acct.blob.core.windows.net/c/b.csv",
        "https://acct.blob.core.windows.net/only-container",
        "Bad_Container/blob.csv",
        "ab/blob.csv",
        "container",
        "container/",
        "container/../other/blob.csv",
    ],
)
def test_bad_blob_references(ref: str) -> None:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(data_source=..., data_source_blob_ref=ref))
    assert _paths(caught) == ["data_source_blob_ref"]


def test_exactly_one_data_source() -> None:
    with pytest.raises(ValidationError, match="one of data_source or data_source_blob_ref is required"):
        BulkEvaluationConfig.model_validate(_config(data_source=...))
    with pytest.raises(ValidationError, match="not both"):
        BulkEvaluationConfig.model_validate(_config(data_source_blob_ref="job-data/x.csv"))
    with pytest.raises(ValidationError):
        BulkEvaluationConfig.model_validate(_config(data_source="   "))


@pytest.mark.parametrize("threshold", [-0.01, 1.01, float("nan"), float("inf"), "high"])
def test_threshold_out_of_range(threshold: object) -> None:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(evaluation_criteria={"similarity_threshold": threshold}))
    assert _paths(caught) == ["evaluation_criteria.similarity_threshold"]


@pytest.mark.parametrize("threshold", [0, 0.0, 1, 0.5])
def test_threshold_bounds_accepted(threshold: float) -> None:
    assert EvaluationCriteria(similarity_threshold=threshold).similarity_threshold == threshold


def test_unknown_evaluator_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(evaluation_criteria={"custom_evaluators": ["token_f1", "bleu"]}))
    assert _paths(caught) == ["evaluation_criteria.custom_evaluators.1"]
    assert (
        "known evaluators: contains, edit_ratio, exact, exact_match, json_schema, json_valid, llm_judge, "
        "numeric_close, regex, semantic, token_f1" in str(caught.value)
    )


def test_selected_evaluators_deduplicated_in_order() -> None:
    criteria = EvaluationCriteria(custom_evaluators=["token_f1", "exact_match", "token_f1"])
    assert criteria.scorers == ("token_f1", "exact_match")


def test_semantic_scoring_alone_or_added_to_the_listed_evaluators() -> None:
    alone = BulkEvaluationConfig.model_validate(_config(evaluation_criteria={"use_semantic_scoring": True}))
    assert alone.evaluation_criteria.scorers == ("semantic",)
    added = EvaluationCriteria(use_semantic_scoring=True, custom_evaluators=["token_f1"])
    assert added.scorers == ("token_f1", "semantic")
    listed = EvaluationCriteria(use_semantic_scoring=True, custom_evaluators=["semantic", "exact"])
    assert listed.scorers == ("semantic", "exact")
    assert EvaluationCriteria(custom_evaluators=["semantic"]).uses_semantic
    assert not EvaluationCriteria().uses_semantic


def test_selected_agent_and_knowledge_source_follow_the_id_rule() -> None:
    config = BulkEvaluationConfig.model_validate(_config(selected_agent_id="agt_1", knowledge_source="ds_kb"))
    assert (config.selected_agent_id, config.knowledge_source) == ("agt_1", "ds_kb")
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(selected_agent_id="a/b", knowledge_source="x?y"))
    assert sorted(_paths(caught)) == ["knowledge_source", "selected_agent_id"]


def test_unknown_keys_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(similarity_treshold=0.5))
    assert _paths(caught) == ["similarity_treshold"]
    with pytest.raises(ValidationError):
        BulkEvaluationConfig.model_validate(_config(evaluation_criteria={"threshold": 0.5}))


# ----------------------------------------------------------------------------- prompt template


def test_placeholders() -> None:
    config = BulkEvaluationConfig.model_validate(
        _config(prompt_template="Q: {question}\nContext: {user context} {question} {{literal}}")
    )
    assert config.placeholders() == {"question", "user context"}
    assert config.template.render({"question": "Why?", "user context": 3}) == "Q: Why?\nContext: 3 Why? {literal}"
    assert PromptTemplate("no placeholders").placeholders() == set()
    with pytest.raises(KeyError):
        config.template.render({"question": "Why?"})


@pytest.mark.parametrize(
    "template",
    [
        "Answer {question",
        "Answer question}",
        "Answer {}",
        "Answer {0}",
        "Answer {question.__class__}",
        "Answer {question[0]}",
        "Answer {question!r}",
        "Answer {question:>999999999}",
        "Answer { question }",
        "",
    ],
)
def test_malformed_templates_refused(template: str) -> None:
    with pytest.raises(ValidationError) as caught:
        BulkEvaluationConfig.model_validate(_config(prompt_template=template))
    assert _paths(caught) == ["prompt_template"]
