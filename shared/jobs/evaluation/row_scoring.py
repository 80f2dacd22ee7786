"""Scoring a batch of rows with every selected evaluator, then the pass rule.

Each row's result carries every evaluator's score. The row's ``score`` is the weighted mean of
them (equal weights unless ``weights`` says otherwise), and whether it passes follows the
configured rule:

- ``weighted_mean``: the weighted mean is at least the threshold (the default, as before);
- ``all``: every evaluator's score is at least the threshold;
- ``any``: at least one evaluator's score is.

The mean, not the max, is the default because the evaluators look at different things (exact
string, bag of tokens, characters, meaning) and the max would let the most lenient one decide
alone: ``edit_ratio`` gives about 0.9 to "was paid" against "was not paid".

Values are rounded to 6 places before any comparison, so float noise cannot flip a row that
sits on the threshold. An evaluator that cannot judge a row (``RowFailure``) makes that row an
errored row with the evaluator's reason: one bad row never fails the batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from shared.jobs.evaluation.evaluator_settings import EvaluatorSettings
from shared.jobs.evaluation.evaluators import EVALUATORS, Pair, RowFailure, ScoringTools
from shared.jobs.evaluation.scoring import SCORE_DECIMALS, RowResult

PassRule = Literal["weighted_mean", "all", "any"]


def combine(
    scores: Mapping[str, float], rule: PassRule, weights: Mapping[str, float], threshold: float
) -> tuple[float, bool]:
    """The row's score (weighted mean, 6 places) and whether it passes under ``rule``."""
    rounded = {name: round(value, SCORE_DECIMALS) for name, value in scores.items()}
    total_weight = math.fsum(weights.get(name, 1.0) for name in rounded)
    mean = math.fsum(value * weights.get(name, 1.0) for name, value in rounded.items()) / total_weight
    score = round(mean, SCORE_DECIMALS)
    if rule == "all":
        passed = all(value >= threshold for value in rounded.values())
    elif rule == "any":
        passed = any(value >= threshold for value in rounded.values())
    else:
        passed = score >= threshold
    return score, passed


def score_rows(
    ids: Sequence[str],
    pairs: Sequence[Pair],
    evaluators: Sequence[str],
    settings: EvaluatorSettings,
    tools: ScoringTools,
    *,
    rule: PassRule = "weighted_mean",
    weights: Mapping[str, float] | None = None,
    threshold: float,
) -> list[RowResult]:
    """One ``RowResult`` per pair, in order: every evaluator's score, the combined score, passed."""
    if len(ids) != len(pairs):
        raise ValueError("ids and pairs differ in length")
    columns = {name: EVALUATORS[name](pairs, settings, tools) for name in evaluators}
    results: list[RowResult] = []
    for index, row_id in enumerate(ids):
        row: dict[str, float] = {}
        failure: str | None = None
        for name, column in columns.items():
            value = column[index]
            if isinstance(value, RowFailure):
                failure = failure or f"{name}: {value.reason}"
            else:
                row[name] = min(1.0, max(0.0, float(value)))
        if failure is not None:
            results.append(RowResult.errored(row_id, failure))
            continue
        score, passed = combine(row, rule, weights or {}, threshold)
        results.append(
            RowResult(
                id=row_id,
                scores={name: round(value, SCORE_DECIMALS) for name, value in row.items()},
                score=score,
                passed=passed,
            )
        )
    return results
