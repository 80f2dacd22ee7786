"""A ``bulk_evaluation`` row's result and a mergeable, constant-size summary of a run.

The evaluators that score a row are in ``evaluators.py`` (the registry ``custom_evaluators``
names); how their scores combine into the row's ``score`` and ``passed`` is ``row_scoring.py``.

Summary
    ``SummaryBuilder`` streams: it keeps counts, exact integer sums and a fixed histogram, never
    the rows, so its state is O(1) (about 1,000 integers) whether it saw 10 rows or 10 million.
    Builders merge exactly (all state is integer counts), so batches scored by different workers
    fan in to the same summary one builder would have produced over all rows.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from shared.models.base import ApiModel

SCORE_DECIMALS = 6
"""Scores are rounded to 6 places: stable JSON, and exact integer sums in micro-units."""

_MICRO: int = 10**SCORE_DECIMALS

HISTOGRAM_BINS = 1001
"""Bins at the grid points 0.000, 0.001, ..., 1.000 (see ``SummaryBuilder`` for why 1,001)."""

_MICRO_PER_BIN = _MICRO // (HISTOGRAM_BINS - 1)

PERCENTILE_ERROR_BOUND = 0.0005
"""Largest difference between a reported percentile and the exact nearest-rank percentile."""

PERCENTILES: tuple[int, ...] = (50, 90, 95, 99)

MAX_ERROR_SAMPLES = 20
"""Errored rows kept (id and message) in the summary: enough to diagnose, bounded state."""

MAX_ERROR_MESSAGE_CHARS = 300


# --------------------------------------------------------------------------- row results


class RowResult(ApiModel):
    """The outcome of one row: per-scorer values, the mean ``score`` and whether it passed.

    An errored row (malformed input) has ``error`` set, no scores and ``passed`` false: it fails
    that row, never the job.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    scores: dict[str, float] = Field(default_factory=dict)
    score: float | None = None
    passed: bool = False
    error: str | None = None

    @classmethod
    def errored(cls, row_id: str, message: str) -> RowResult:
        """A row that could not be scored (bad JSON, missing column...)."""
        return cls(id=row_id, error=_clip(message))


def _clip(message: str) -> str:
    return message if len(message) <= MAX_ERROR_MESSAGE_CHARS else message[: MAX_ERROR_MESSAGE_CHARS - 1] + "…"


# --------------------------------------------------------------------------- summary


class RowError(ApiModel):
    """An errored row as the summary samples it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    message: str


class Summary(ApiModel):
    """The figures of a run.

    ``rows = passed + failed + errored``; ``failed`` rows were scored below the threshold,
    ``errored`` rows could not be scored. ``pass_rate`` is over scored rows (errored rows are
    reported separately, not counted as failures of the model) and is 0 when none was scored;
    the mean and percentiles are ``None`` then. Percentiles are nearest-rank, within
    ``PERCENTILE_ERROR_BOUND`` (0.0005) of the exact value.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rows: int
    scored: int
    passed: int
    failed: int
    errored: int
    pass_rate: float
    mean_score: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    per_scorer_means: dict[str, float]
    error_samples: list[RowError]


class SummaryState(ApiModel):
    """The serialisable partial state of a ``SummaryBuilder`` (JSON-safe, about 1,001 integers)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    passed: int = Field(0, ge=0)
    failed: int = Field(0, ge=0)
    errored: int = Field(0, ge=0)
    score_sum_micro: int = Field(0, ge=0)
    histogram: list[int] = Field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    scorer_sums_micro: dict[str, int] = Field(default_factory=dict)
    scorer_counts: dict[str, int] = Field(default_factory=dict)
    error_samples: list[RowError] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        """A corrupted or hand-edited state must not produce a plausible but wrong summary."""
        if len(self.histogram) != HISTOGRAM_BINS or any(count < 0 for count in self.histogram):
            raise ValueError(f"histogram must hold {HISTOGRAM_BINS} non-negative counts")
        if sum(self.histogram) != self.passed + self.failed:
            raise ValueError("histogram counts do not add up to passed + failed")
        if self.score_sum_micro > (self.passed + self.failed) * _MICRO:
            raise ValueError("score sum exceeds the number of scored rows")
        if set(self.scorer_sums_micro) != set(self.scorer_counts):
            raise ValueError("scorer sums and counts name different scorers")
        for name, count in self.scorer_counts.items():
            total = self.scorer_sums_micro[name]
            if count < 0 or total < 0 or total > count * _MICRO:
                raise ValueError(f"inconsistent sums for scorer {name!r}")
        if len(self.error_samples) > MAX_ERROR_SAMPLES:
            raise ValueError(f"at most {MAX_ERROR_SAMPLES} error samples")
        return self


def _to_micro(value: float) -> int:
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"score must be within [0, 1], got {value!r}")
    return round(value * _MICRO)


class SummaryBuilder:
    """Accumulates row results into a ``Summary`` in constant memory; mergeable across workers.

    Percentiles come from a fixed histogram instead of the sorted scores so the state stays
    O(1) for any number of rows. Each score (already rounded to 6 places) is rounded half-up to
    the nearest multiple of 0.001 and counted in that bin: 1,001 bins for the grid points
    0.000 ... 1.000 rather than 1,000 half-open intervals, so that the common exact scores 0 and
    1 (and a threshold such as 0.8) are reported exactly instead of as a bin midpoint.

    Percentiles are **nearest-rank**: the p-th percentile of n scores is the k-th smallest with
    k = ceil(p/100 * n). Rounding to the grid is monotone, so the k-th smallest rounded score is
    the rounded k-th smallest score: the reported percentile differs from the exact nearest-rank
    percentile by at most half a bin, ``PERCENTILE_ERROR_BOUND`` = 0.0005.

    Sums are kept as integers in micro-units (scores have 6 decimals), so means are exact and
    merging is exactly associative and commutative: no float drift between fan-in orders.
    """

    def __init__(self) -> None:
        self._state = SummaryState()

    # -- accumulation

    def add(self, result: RowResult) -> None:
        """Count one row result; an errored result (``error`` set or no score) counts as errored."""
        if result.error is not None or result.score is None:
            self.add_error(result.id, result.error or "row has no score")
            return
        state = self._state
        micro = _to_micro(result.score)
        state.histogram[(micro + _MICRO_PER_BIN // 2) // _MICRO_PER_BIN] += 1
        state.score_sum_micro += micro
        if result.passed:
            state.passed += 1
        else:
            state.failed += 1
        for name, value in result.scores.items():
            state.scorer_sums_micro[name] = state.scorer_sums_micro.get(name, 0) + _to_micro(value)
            state.scorer_counts[name] = state.scorer_counts.get(name, 0) + 1

    def add_error(self, row_id: str, message: str) -> None:
        """Count a malformed row; the first ``MAX_ERROR_SAMPLES`` are kept for the summary."""
        self._state.errored += 1
        if len(self._state.error_samples) < MAX_ERROR_SAMPLES:
            self._state.error_samples.append(RowError(id=row_id, message=_clip(message)))

    def merge(self, other: SummaryBuilder) -> Self:
        """Fold ``other`` into this builder (and return it, to chain); ``other`` is unchanged.

        Error samples keep this builder's first, then ``other``'s, up to the cap: merge batches
        in row order to get the same samples as one builder over all rows.
        """
        mine, theirs = self._state, other._state
        mine.passed += theirs.passed
        mine.failed += theirs.failed
        mine.errored += theirs.errored
        mine.score_sum_micro += theirs.score_sum_micro
        mine.histogram = [a + b for a, b in zip(mine.histogram, theirs.histogram, strict=True)]
        for name, total in theirs.scorer_sums_micro.items():
            mine.scorer_sums_micro[name] = mine.scorer_sums_micro.get(name, 0) + total
            mine.scorer_counts[name] = mine.scorer_counts.get(name, 0) + theirs.scorer_counts[name]
        room = MAX_ERROR_SAMPLES - len(mine.error_samples)
        if room > 0:
            mine.error_samples.extend(theirs.error_samples[:room])
        return self

    # -- persistence

    def to_state(self) -> dict[str, Any]:
        """The partial state as a JSON-safe dict, to store between batches or send to a fan-in."""
        return self._state.model_dump(mode="json")

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SummaryBuilder:
        """A builder resumed from ``to_state()``; a malformed state raises a ValidationError."""
        builder = cls()
        builder._state = SummaryState.model_validate(state)
        return builder

    # -- result

    def build(self) -> Summary:
        """The summary of everything added or merged so far (the builder stays usable)."""
        state = self._state
        scored = state.passed + state.failed
        percentiles = self._percentiles(scored)
        return Summary(
            rows=scored + state.errored,
            scored=scored,
            passed=state.passed,
            failed=state.failed,
            errored=state.errored,
            pass_rate=round(state.passed / scored, SCORE_DECIMALS) if scored else 0.0,
            mean_score=round(state.score_sum_micro / scored / _MICRO, SCORE_DECIMALS) if scored else None,
            p50=percentiles.get(50),
            p90=percentiles.get(90),
            p95=percentiles.get(95),
            p99=percentiles.get(99),
            per_scorer_means={
                name: round(state.scorer_sums_micro[name] / count / _MICRO, SCORE_DECIMALS)
                for name, count in sorted(state.scorer_counts.items())
                if count
            },
            error_samples=list(state.error_samples),
        )

    def _percentiles(self, scored: int) -> dict[int, float]:
        """Nearest-rank percentiles from one walk over the cumulative histogram."""
        if scored == 0:
            return {}
        ranks = {p: max(1, -(-p * scored // 100)) for p in PERCENTILES}  # ceil(p * n / 100), integers only
        found: dict[int, float] = {}
        cumulative = 0
        for index, count in enumerate(self._state.histogram):
            cumulative += count
            for p, rank in ranks.items():
                if p not in found and cumulative >= rank:
                    found[p] = index / (HISTOGRAM_BINS - 1)
            if len(found) == len(ranks):
                break
        return found
