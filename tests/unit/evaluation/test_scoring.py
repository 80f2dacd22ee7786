"""The lexical evaluators, row scoring with the registry, and the mergeable summary of bulk_evaluation."""

from __future__ import annotations

import json
import math
import random

import pytest
from pydantic import ValidationError

from shared.jobs.evaluation.evaluator_settings import EvaluatorSettings
from shared.jobs.evaluation.evaluators import (
    EVALUATORS,
    LEXICAL_DEFAULT,
    ScoringTools,
    edit_ratio,
    exact_match,
    normalize,
    token_f1,
    tokens,
)
from shared.jobs.evaluation.row_scoring import score_rows
from shared.jobs.evaluation.scoring import MAX_ERROR_SAMPLES, PERCENTILE_ERROR_BOUND, RowResult, SummaryBuilder


def score_row(row_id: str, response: str, expected: str, evaluators: tuple[str, ...], threshold: float) -> RowResult:
    """One row through the registry, as a batch of one (empty ``evaluators``: the default set)."""
    names = evaluators or LEXICAL_DEFAULT
    return score_rows(
        [row_id], [(response, expected)], names, EvaluatorSettings(), ScoringTools(), threshold=threshold
    )[0]

# ----------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Hello   World ", "hello world"),
        ("Paris.", "paris"),
        ("«Paris»!", "paris"),
        ("(hello) !", "hello"),
        ("\uff28\uff45\uff4c\uff4c\uff4f", "hello"),  # full-width "Hello" (NFKC)
        ("ﬁne", "fine"),  # ligature
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # case folding, not lower()
        ("a\u00a0b\tc\nd", "a b c d"),  # non-breaking space, tabs, newlines
        ("3.14", "3.14"),  # inner punctuation kept
        ("$5", "$5"),  # symbols kept
        ("...", ""),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_tokens_strip_their_own_punctuation_and_keep_inner() -> None:
    assert tokens("Hello, world - don't stop.") == ["hello", "world", "don't", "stop"]


# ----------------------------------------------------------------------------- scorers


def test_exact_match_after_normalisation() -> None:
    assert exact_match("The answer is 42.", "the ANSWER is   42") == 1.0
    assert exact_match("42", "forty-two") == 0.0
    assert exact_match("", "  ") == 1.0


def test_token_f1_known_values() -> None:
    # tokens [the, cat, sat] vs [cat, sat, down]: 2 common, precision 2/3, recall 2/3
    assert token_f1("the cat sat", "cat sat down") == pytest.approx(2 / 3)
    # [cat, sat] vs [cat, sat, down]: precision 1, recall 2/3 -> F1 = 0.8
    assert token_f1("cat sat", "cat sat down") == pytest.approx(0.8)
    assert token_f1("Cat, sat.", "cat sat") == 1.0
    assert token_f1("dog", "cat") == 0.0


def test_token_f1_counts_tokens_as_a_multiset() -> None:
    # [the, the, the] vs [the, cat]: common = min(3, 1) = 1, precision 1/3, recall 1/2 -> 0.4
    assert token_f1("the the the", "the cat") == pytest.approx(0.4)


def test_token_f1_empty_cases() -> None:
    assert token_f1("", "") == 1.0
    assert token_f1(" ... ", "") == 1.0
    assert token_f1("", "cat") == 0.0
    assert token_f1("cat", "") == 0.0


def test_edit_ratio_known_values() -> None:
    # Levenshtein("kitten", "sitting") = 3 over the longer length 7
    assert edit_ratio("Kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert edit_ratio("Colour.", "colour") == 1.0
    assert edit_ratio("colour", "color") == pytest.approx(1 - 1 / 6)
    assert edit_ratio("", "") == 1.0
    assert edit_ratio("abc", "") == 0.0


@pytest.mark.parametrize("name", LEXICAL_DEFAULT)
def test_lexical_evaluators_stay_in_unit_interval(name: str) -> None:
    rng = random.Random(7)
    alphabet = "ab c.,É"
    pairs = []
    for _ in range(300):
        left = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        right = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        pairs.append((left, right))
    scores = EVALUATORS[name](pairs, EvaluatorSettings(), ScoringTools())
    assert all(isinstance(score, float) and 0.0 <= score <= 1.0 for score in scores)


def test_the_default_set_is_the_lexical_evaluators() -> None:
    assert LEXICAL_DEFAULT == ("exact_match", "token_f1", "edit_ratio")
    assert EVALUATORS["exact"] is not None and set(LEXICAL_DEFAULT) <= set(EVALUATORS)


# ----------------------------------------------------------------------------- rows


def test_score_row_uses_the_mean_of_the_selected_scorers() -> None:
    # Worked by hand for "cat sat" against "cat sat down":
    #   exact_match 0; token_f1: precision 2/2, recall 2/3 -> F1 4/5;
    #   edit_ratio: 5 insertions (" down") over the longer length 12 -> 7/12;
    #   mean (0 + 4/5 + 7/12) / 3 = (48/60 + 35/60) / 3 = 83/180 = 0.4611...
    result = score_row("r1", "cat sat", "cat sat down", (), 0.5)
    assert result.scores == {"exact_match": 0.0, "token_f1": 0.8, "edit_ratio": 0.583333}
    assert result.score == 0.461111
    assert not result.passed
    assert result.id == "r1" and result.error is None


def test_score_row_rounds_to_six_places() -> None:
    result = score_row("r", "the cat sat", "cat sat down", ("token_f1",), 0.5)
    assert result.scores == {"token_f1": 0.666667}
    assert result.score == 0.666667


def test_threshold_boundary_passes() -> None:
    assert score_row("r", "cat sat", "cat sat down", ("token_f1",), 0.8).passed  # score is exactly 0.8
    assert not score_row("r", "cat sat", "cat sat down", ("token_f1",), 0.800001).passed
    assert score_row("r", "the cat sat", "cat sat down", ("token_f1",), 0.666667).passed
    assert score_row("r", "x", "y", ("exact_match",), 0.0).passed
    assert score_row("r", "Yes.", "yes", ("exact_match",), 1.0).passed


# ----------------------------------------------------------------------------- summary


def _nearest_rank(sorted_values: list[float], p: int) -> float:
    return sorted_values[max(1, math.ceil(p / 100 * len(sorted_values))) - 1]


def _random_results(rng: random.Random, count: int, threshold: float = 0.7) -> list[RowResult]:
    results = []
    for index in range(count):
        kind = rng.random()
        if kind < 0.05:
            results.append(RowResult.errored(str(index), "invalid JSON"))
            continue
        if kind < 0.15:
            value = rng.choice([0.0, 1.0])
        elif kind < 0.3:
            value = rng.betavariate(5, 1)
        else:
            value = rng.random()
        a, b = round(value, 6), round(rng.random(), 6)
        score = round((a + b) / 2, 6)
        results.append(RowResult(id=str(index), scores={"a": a, "b": b}, score=score, passed=score >= threshold))
    return results


@pytest.mark.parametrize(("seed", "count"), [(1, 1), (2, 7), (3, 101), (4, 1000), (5, 20_000)])
def test_summary_matches_exact_statistics(seed: int, count: int) -> None:
    rng = random.Random(seed)
    results = _random_results(rng, count)
    if not any(r.error is None for r in results):
        results.append(RowResult(id="scored", scores={"a": 0.5, "b": 0.5}, score=0.5, passed=False))
    builder = SummaryBuilder()
    for result in results:
        builder.add(result)
    summary = builder.build()

    scored = [r for r in results if r.error is None]
    scores = sorted(r.score for r in scored if r.score is not None)
    passed = sum(r.passed for r in scored)
    assert summary.rows == len(results)
    assert summary.scored == len(scored)
    assert summary.errored == len(results) - len(scored)
    assert summary.passed == passed and summary.failed == len(scored) - passed
    assert summary.pass_rate == pytest.approx(passed / len(scored), abs=1e-6)
    assert summary.mean_score == pytest.approx(sum(scores) / len(scores), abs=1e-6)
    for p in (50, 90, 95, 99):
        reported = getattr(summary, f"p{p}")
        assert abs(reported - _nearest_rank(scores, p)) <= PERCENTILE_ERROR_BOUND + 1e-12
        assert abs(reported - _nearest_rank(scores, p)) <= 0.001
    assert summary.per_scorer_means["a"] == pytest.approx(sum(r.scores["a"] for r in scored) / len(scored), abs=1e-6)
    assert summary.per_scorer_means["b"] == pytest.approx(sum(r.scores["b"] for r in scored) / len(scored), abs=1e-6)


def test_percentiles_are_exact_on_the_grid() -> None:
    builder = SummaryBuilder()
    for score in [1.0] * 95 + [0.0] * 4 + [0.8]:
        builder.add(RowResult(id="x", scores={}, score=score, passed=score >= 0.8))
    summary = builder.build()
    # sorted: 4 x 0.0, 0.8, 95 x 1.0 -> nearest ranks 50, 90, 95, 99 are all 1.0
    assert (summary.p50, summary.p90, summary.p95, summary.p99) == (1.0, 1.0, 1.0, 1.0)
    builder = SummaryBuilder()
    for score in (0.0, 0.8, 1.0):
        builder.add(RowResult(id="x", scores={}, score=score, passed=score >= 0.8))
    assert builder.build().p50 == 0.8


def test_empty_and_all_errored_summaries() -> None:
    empty = SummaryBuilder().build()
    assert (empty.rows, empty.pass_rate, empty.mean_score, empty.p50) == (0, 0.0, None, None)
    assert empty.per_scorer_means == {} and empty.error_samples == []
    builder = SummaryBuilder()
    builder.add_error("3", "row 3 (line 4): invalid JSON")
    builder.add(RowResult.errored("4", "missing response"))
    summary = builder.build()
    assert (summary.rows, summary.errored, summary.scored, summary.pass_rate) == (2, 2, 0, 0.0)
    assert [(e.id, e.message) for e in summary.error_samples] == [
        ("3", "row 3 (line 4): invalid JSON"),
        ("4", "missing response"),
    ]


def test_error_samples_are_capped() -> None:
    builder = SummaryBuilder()
    for index in range(MAX_ERROR_SAMPLES + 5):
        builder.add_error(str(index), "x" * 1000)
    summary = builder.build()
    assert summary.errored == MAX_ERROR_SAMPLES + 5
    assert len(summary.error_samples) == MAX_ERROR_SAMPLES
    assert len(summary.error_samples[0].message) <= 300


def test_merge_equals_one_builder_over_all_rows() -> None:
    rng = random.Random(11)
    results = _random_results(rng, 5000)
    whole, first, second, third = SummaryBuilder(), SummaryBuilder(), SummaryBuilder(), SummaryBuilder()
    for index, result in enumerate(results):
        whole.add(result)
        (first if index < 1000 else second if index < 3500 else third).add(result)
    merged = first.merge(second).merge(third)
    assert merged.to_state() == whole.to_state()
    assert merged.build() == whole.build()
    # order of fan-in does not change the figures (only which error samples are kept first)
    a, b = SummaryBuilder(), SummaryBuilder()
    for index, result in enumerate(results):
        (a if index % 2 else b).add(result)
    reordered = b.merge(a).build()
    assert reordered.model_dump(exclude={"error_samples"}) == whole.build().model_dump(exclude={"error_samples"})


def test_state_round_trips_through_json_and_stays_small() -> None:
    rng = random.Random(5)
    builder = SummaryBuilder()
    for result in _random_results(rng, 50_000):
        builder.add(result)
    state = builder.to_state()
    encoded = json.dumps(state)
    assert len(encoded) < 16_000  # O(1): about 1,001 counts, whatever the row count
    restored = SummaryBuilder.from_state(json.loads(encoded))
    assert restored.build() == builder.build()
    restored.add(RowResult(id="more", scores={"a": 1.0}, score=1.0, passed=True))
    assert restored.build().rows == builder.build().rows + 1


@pytest.mark.parametrize(
    "corruption",
    [
        {"histogram": [0] * 10},
        {"passed": 999_999},
        {"score_sum_micro": 10**15},
        {"version": 2},
        {"unexpected": 1},
        {"scorer_counts": {"a": 1}, "scorer_sums_micro": {}},
    ],
)
def test_corrupted_state_is_refused(corruption: dict[str, object]) -> None:
    builder = SummaryBuilder()
    builder.add(RowResult(id="1", scores={"a": 0.5}, score=0.5, passed=False))
    state = builder.to_state() | corruption
    with pytest.raises(ValidationError):
        SummaryBuilder.from_state(state)


def test_out_of_range_score_is_refused() -> None:
    with pytest.raises(ValueError, match="within"):
        SummaryBuilder().add(RowResult(id="1", scores={}, score=1.5, passed=True))
    with pytest.raises(ValueError, match="within"):
        SummaryBuilder().add(RowResult(id="1", scores={}, score=float("nan"), passed=True))
