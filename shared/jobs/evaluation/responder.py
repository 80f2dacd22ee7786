"""Agent calls for one batch: answers for rows without a response, and grades for ``llm_judge``.

Calls run on a thread pool as wide as the agent's ``max_concurrent_calls`` and also take the
agent's process-wide semaphore, so two batches in one worker share the limit. Each attempt
first waits for the agent's per-minute request and token budget (shared by every instance, in
Table storage). The job's token budget is checked before every call against what the job had
spent when the batch started plus what this batch has spent; a row past it fails with that
reason. A call that fails after its retries fails its row with the reason, never the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from shared.jobs.evaluation.chat_client import ChatAnswer, ChatFailure, parse_grade
from shared.jobs.evaluation.evaluators import Pair, RowFailure, Score

JUDGE_SYSTEM = (
    "GRADE the response against the expected answer using the rubric. "
    'Reply with JSON only, exactly {"score": <number between 0 and 1>}.\nRubric:\n'
)


class ChatCaller(Protocol):
    def complete(self, prompt: str, *, context: str | None = None, system: str | None = None) -> ChatAnswer: ...


class AgentLike(Protocol):
    """What the batch needs of an agent (``shared.services.agents.AgentHandle`` is one)."""

    @property
    def client(self) -> ChatCaller: ...

    @property
    def semaphore(self) -> threading.BoundedSemaphore: ...

    def spent(self, tokens: int) -> None: ...


@dataclass
class Outcome:
    text: str | None
    tokens: int
    error: str | None


class TokenBudget:
    """The job's token budget as this batch sees it: spent before the batch, plus the batch's own."""

    def __init__(self, limit: int | None, spent_before: int) -> None:
        self.limit = limit
        self.spent_before = spent_before
        self.batch_tokens = 0
        self.calls = 0
        self._reserved = 0
        self._lock = threading.Lock()

    def reserve(self, estimate: int) -> bool:
        """Hold ``estimate`` tokens for a call about to start, if the budget is not spent yet.

        Reserving before the call (not counting after it) is what keeps concurrent calls from all
        passing the check at once: the next call sees this one's tokens as already spent.
        """
        with self._lock:
            if self.limit is not None and self.spent_before + self.batch_tokens + self._reserved >= self.limit:
                return False
            self._reserved += estimate
            return True

    def settle(self, estimate: int, tokens: int) -> None:
        """The call ended: release its reservation and count what it really used."""
        with self._lock:
            self._reserved -= estimate
            self.batch_tokens += tokens
            self.calls += 1

    def release(self, estimate: int) -> None:
        with self._lock:
            self._reserved -= estimate


class Responder:
    def __init__(self, agent: AgentLike, budget: TokenBudget, concurrency: int) -> None:
        self._agent = agent
        self._budget = budget
        self._concurrency = max(1, concurrency)

    def _call(self, prompt: str, context: str | None, system: str | None) -> Outcome:
        estimate = 1 + sum(len(text) for text in (prompt, context or "", system or "")) // 4
        if not self._budget.reserve(estimate):
            return Outcome(None, 0, "the job's token budget for this agent is spent")
        with self._agent.semaphore:
            try:
                answer = self._agent.client.complete(prompt, context=context, system=system)
            except ChatFailure as failure:
                self._budget.release(estimate)
                return Outcome(None, 0, failure.reason)
        self._agent.spent(answer.tokens)
        self._budget.settle(estimate, answer.tokens)
        return Outcome(answer.text, answer.tokens, None)

    def _map(self, calls: Sequence[Callable[[], Outcome]]) -> list[Outcome]:
        if not calls:
            return []
        with ThreadPoolExecutor(max_workers=min(self._concurrency, len(calls))) as pool:
            return list(pool.map(lambda call: call(), calls))

    def answer(self, prompts: Sequence[str], contexts: Sequence[str | None]) -> list[Outcome]:
        """One answer per prompt (with its context, if any), in order."""
        return self._map(
            [partial(self._call, prompt, context, None) for prompt, context in zip(prompts, contexts, strict=True)]
        )

    def grade(self, pairs: Sequence[Pair], rubric: str) -> list[Score]:
        """``llm_judge``: a score in [0, 1] per pair, parsed strictly, or the row's failure."""
        system = JUDGE_SYSTEM + rubric
        prompts = [f"Expected answer:\n{expected}\n\nResponse:\n{response}" for response, expected in pairs]
        outcomes = self._map([partial(self._call, prompt, None, system) for prompt in prompts])
        scores: list[Score] = []
        for outcome in outcomes:
            if outcome.error is not None or outcome.text is None:
                scores.append(RowFailure(f"judge: {outcome.error}"))
                continue
            try:
                scores.append(parse_grade(outcome.text))
            except ChatFailure as failure:
                scores.append(RowFailure(failure.reason))
        return scores
