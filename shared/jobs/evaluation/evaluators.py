"""The registry of evaluators a ``bulk_evaluation`` job can name in ``custom_evaluators``.

An evaluator turns a batch of ``(response, expected)`` pairs into one score in [0, 1] per pair,
or a ``RowFailure`` for a pair it cannot judge (an expected value that is not a number for
``numeric_close``, an agent call that failed for ``llm_judge``). Scoring a batch at once, not
a row at a time, is what lets ``semantic`` embed a few hundred texts per model call.

Evaluators that need something from outside the row take it from ``ScoringTools``: the
embedder for ``semantic`` and the judge for ``llm_judge``. The job type builds those once per
batch; this module only knows their shapes, so it stays free of model and network code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz.distance import Levenshtein

from shared.jsontext import loads_untrusted

if TYPE_CHECKING:
    from shared.jobs.evaluation.evaluator_settings import EvaluatorSettings

Pair = tuple[str, str]
"""``(response, expected)`` of one row."""


@dataclass(frozen=True)
class RowFailure:
    """An evaluator could not judge this row; ``reason`` names what was wrong, never the row's text."""

    reason: str


Score = float | RowFailure


class Embedder(Protocol):
    """Unit-length sentence embeddings, one vector per text, in the order given."""

    def embed(self, texts: Sequence[str]) -> Sequence[Sequence[float]]: ...


class Judge(Protocol):
    """Grades responses with a rubric: a score in [0, 1] or a ``RowFailure`` per pair."""

    def grade(self, pairs: Sequence[Pair], rubric: str) -> list[Score]: ...


@dataclass
class ScoringTools:
    """What evaluators may use beyond the row itself; absent tools are built on first need."""

    embedder: Callable[[], Embedder] | None = None
    judge: Callable[[], Judge] | None = None
    _built: dict[str, Any] = field(default_factory=dict)

    def get_embedder(self) -> Embedder:
        if "embedder" not in self._built:
            if self.embedder is None:
                raise RuntimeError("semantic scoring needs an embedder")
            self._built["embedder"] = self.embedder()
        return self._built["embedder"]  # type: ignore[no-any-return]

    def get_judge(self) -> Judge:
        if "judge" not in self._built:
            if self.judge is None:
                raise RuntimeError("llm_judge needs a judge")
            self._built["judge"] = self.judge()
        return self._built["judge"]  # type: ignore[no-any-return]


BatchScorer = Callable[[Sequence[Pair], "EvaluatorSettings", ScoringTools], list[Score]]


# ---------------------------------------------------------------------------- lexical


def _is_edge_char(char: str) -> bool:
    """Whitespace and Unicode punctuation (categories P*) are noise at the ends of an answer."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def _strip_edges(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge_char(text[start]):
        start += 1
    while end > start and _is_edge_char(text[end - 1]):
        end -= 1
    return text[start:end]


def normalize(text: str) -> str:
    """Text as the scorers compare it: NFKC, case-folded, whitespace collapsed, edge punctuation gone.

    NFKC makes compatibility forms equal (full-width letters, ligatures, non-breaking spaces);
    case folding is the Unicode caseless match (``"Straße"`` equals ``"STRASSE"``) and NFKC is
    applied again after it because folding can leave unnormalised sequences. Only punctuation
    *around* the answer is dropped ("Paris." equals "paris"): inner punctuation carries meaning
    ("3.14", "don't"). Symbols such as ``$`` or ``%`` are kept for the same reason.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _strip_edges(" ".join(folded.split()))


def tokens(text: str) -> list[str]:
    """Normalised whitespace tokens, each stripped of its own edge punctuation ("cat," is "cat").

    English articles are *not* removed (unlike the original SQuAD script): datasets are in any
    language and "the" matters as much as any other word here.
    """
    return [token for token in (_strip_edges(part) for part in normalize(text).split()) if token]


# --------------------------------------------------------------------------- scorers


def exact_match(response: str, expected: str) -> float:
    """1.0 when the normalised texts are equal, else 0.0."""
    return 1.0 if normalize(response) == normalize(expected) else 0.0


def token_f1(response: str, expected: str) -> float:
    """SQuAD-style token F1: harmonic mean of token precision and recall, with multiset counts.

    Counting tokens as a multiset means repeating a correct word does not earn credit twice.
    Two empty answers agree (1.0); one empty answer shares nothing with the other (0.0).
    """
    predicted, reference = tokens(response), tokens(expected)
    if not predicted and not reference:
        return 1.0
    if not predicted or not reference:
        return 0.0
    common = sum((Counter(predicted) & Counter(reference)).values())
    if common == 0:
        return 0.0
    precision = common / len(predicted)
    recall = common / len(reference)
    return 2 * precision * recall / (precision + recall)


def edit_ratio(response: str, expected: str) -> float:
    """Normalised Levenshtein similarity of the normalised texts (1 - distance / longer length).

    Catches near misses that token overlap punishes fully: typos, plural forms, "colour"/"color".
    """
    return float(Levenshtein.normalized_similarity(normalize(response), normalize(expected)))


def _each(function: Callable[[str, str], float]) -> BatchScorer:
    """A row-at-a-time scorer as a batch scorer."""

    def batch(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
        return [function(response, expected) for response, expected in pairs]

    return batch


def _contains(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """1.0 when the expected answer occurs inside the response (normalised unless case-sensitive)."""
    case_sensitive = settings.contains.case_sensitive
    scores: list[Score] = []
    for response, expected in pairs:
        if case_sensitive:
            found = expected.strip() in response
        else:
            found = normalize(expected) in normalize(response)
        scores.append(1.0 if found else 0.0)
    return scores


def _regex(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """1.0 when the pattern (the configured one, else the row's expected value) occurs in the response.

    Patterns run on RE2, whose matching time is linear in the text: a tenant's pattern cannot
    stall a worker with catastrophic backtracking, whatever it is.
    """
    import re2  # first use only: a native module

    options = re2.Options()
    options.case_sensitive = not settings.regex.ignore_case
    options.max_mem = 8 << 20
    fixed = re2.compile(settings.regex.pattern, options) if settings.regex.pattern is not None else None
    scores: list[Score] = []
    for response, expected in pairs:
        pattern = fixed
        if pattern is None:
            try:
                pattern = re2.compile(expected, options)
            except re2.error:
                scores.append(RowFailure("expected is not a valid regular expression"))
                continue
        scores.append(1.0 if pattern.search(response) else 0.0)
    return scores


def _json_value(text: str) -> tuple[bool, Any]:
    try:
        return True, loads_untrusted(text)
    except (ValueError, RecursionError):
        return False, None


def _json_valid(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """1.0 when the response is one JSON value (nesting bounded like every untrusted JSON here)."""
    return [1.0 if _json_value(response)[0] else 0.0 for response, _ in pairs]


def _json_schema(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """1.0 when the response is JSON that validates against the configured schema.

    The schema was checked at submission; ``$ref`` resolves inside the schema only (the
    validator's registry retrieves nothing over the network).
    """
    from referencing.exceptions import Unresolvable

    validator = settings.json_schema.validator()
    scores: list[Score] = []
    for response, _ in pairs:
        ok, value = _json_value(response)
        try:
            scores.append(1.0 if ok and validator.is_valid(value) else 0.0)
        except Unresolvable:
            scores.append(RowFailure("the schema has a $ref that does not resolve inside it"))
    return scores


_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?")


def first_number(text: str) -> float | None:
    """The first number written in ``text`` ("$1,234.50" is 1234.5; "-3e2 ms" is -300), or None."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    value = float(match.group().replace(",", ""))
    return value if math.isfinite(value) else None


def _numeric_close(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """1.0 when the first number of the response is within tolerance of the expected one.

    ``tolerance`` is absolute, ``relative_tolerance`` a fraction of the larger magnitude; the
    numbers are close when either holds (``math.isclose``). A response with no number scores
    0; an expected value with no number is the dataset's fault, so that row fails with a reason.
    """
    absolute, relative = settings.numeric_close.tolerance, settings.numeric_close.relative_tolerance
    scores: list[Score] = []
    for response, expected in pairs:
        want = first_number(expected)
        if want is None:
            scores.append(RowFailure("expected has no number for numeric_close"))
            continue
        got = first_number(response)
        close = got is not None and math.isclose(got, want, rel_tol=relative, abs_tol=absolute)
        scores.append(1.0 if close else 0.0)
    return scores


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros)."""
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return dot / norm if norm else 0.0


def _semantic(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """Cosine similarity of the response's and the expected answer's sentence embeddings.

    Negative similarities (unrelated texts) are clamped to 0 so every score stays in [0, 1].
    Each distinct text of the batch is embedded once, in one call: expected answers and
    responses repeat a lot in evaluation sets (a yes/no column, a fixed answer key).
    """
    if not pairs:
        return []
    embedder = tools.get_embedder()
    position: dict[str, int] = {}
    for pair in pairs:
        for text in pair:
            position.setdefault(text, len(position))
    vectors = embedder.embed(list(position))
    return [
        min(1.0, max(0.0, cosine(vectors[position[response]], vectors[position[expected]])))
        for response, expected in pairs
    ]


def _llm_judge(pairs: Sequence[Pair], settings: EvaluatorSettings, tools: ScoringTools) -> list[Score]:
    """An agent grades each response against the expected answer with the configured rubric."""
    if not pairs:
        return []
    return tools.get_judge().grade(pairs, settings.llm_judge.rubric)


EVALUATORS: dict[str, BatchScorer] = {
    "exact": _each(exact_match),
    "exact_match": _each(exact_match),
    "token_f1": _each(token_f1),
    "edit_ratio": _each(edit_ratio),
    "semantic": _semantic,
    "contains": _contains,
    "regex": _regex,
    "json_valid": _json_valid,
    "json_schema": _json_schema,
    "numeric_close": _numeric_close,
    "llm_judge": _llm_judge,
}
"""Evaluators by the names ``custom_evaluators`` uses (``exact_match`` is the earlier name of ``exact``)."""

LEXICAL_DEFAULT: tuple[str, ...] = ("exact_match", "token_f1", "edit_ratio")
"""Run when ``custom_evaluators`` is empty and semantic scoring is off (the first release's set)."""

NEEDS_SETTINGS: dict[str, str] = {"json_schema": "schema", "llm_judge": "rubric"}
"""Evaluators that cannot run without a setting, and the setting they need."""


def known_evaluators_text() -> str:
    """The known names for error messages, sorted so the message is stable."""
    return ", ".join(sorted(EVALUATORS))
