"""Agent calls for one batch: answers for rows without a response, and grades for ``llm_judge``.

Calls run on a thread pool as wide as the agent's ``max_concurrent_calls`` and each takes one of
the agent's slots, held in Table storage and shared by every batch on every instance
(``shared.storage.rate_budget.SlotPool``). Each attempt first waits for the agent's per-minute
request and token budget (shared the same way). Before a call, the most tokens it can use are
reserved from the job's token budget, shared by the job's batches on every instance
(``Allowance``), and settled at what it used when it ends; a row whose call finds the budget
spent fails with that reason. A call that fails after its retries fails its row with the
reason, never the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from shared.jobs.evaluation.chat_client import ChatAnswer, ChatFailure, parse_grade
from shared.jobs.evaluation.evaluators import Pair, RowFailure, Score

JUDGE_SYSTEM = (
    "GRADE the response against the expected answer using the rubric. "
    'Reply with JSON only, exactly {"score": <number between 0 and 1>}.\nRubric:\n'
)


class ChatCaller(Protocol):
    def complete(self, prompt: str, *, context: str | None = None, system: str | None = None) -> ChatAnswer: ...

    def token_bound(self, prompt: str, *, context: str | None = None, system: str | None = None) -> int: ...


class AgentLike(Protocol):
    """What the batch needs of an agent (``shared.services.agents.AgentHandle`` is one)."""

    @property
    def client(self) -> ChatCaller: ...

    @property
    def slots(self) -> AbstractContextManager[Any]: ...

    def spent(self, tokens: int) -> None: ...


class SharedBudget(Protocol):
    """A job's token budget shared by every instance (``shared.storage.rate_budget.Allowance`` is one)."""

    def reserve(self, amount: int) -> bool: ...

    def settle(self, reserved: int, used: int) -> None: ...

    def release(self, reserved: int) -> None: ...


@dataclass
class Outcome:
    text: str | None
    tokens: int
    error: str | None


class TokenBudget:
    """The job's token budget as one batch uses it: the shared reservations, and the batch's own counts."""

    def __init__(self, shared: SharedBudget) -> None:
        self._shared = shared
        self.batch_tokens = 0
        self.calls = 0
        self._lock = threading.Lock()

    def reserve(self, bound: int) -> bool:
        """Hold ``bound`` tokens (the most the call can use) before the call starts; False when spent.

        Reserving before the call, not counting after it, is what keeps concurrent calls (on any
        instance) from all passing the check at once: the next call sees this one's as spent.
        """
        return self._shared.reserve(bound)

    def settle(self, bound: int, tokens: int) -> None:
        """The call ended: what it used is spent, the rest of its reservation is free again."""
        self._shared.settle(bound, tokens)
        with self._lock:
            self.batch_tokens += tokens
            self.calls += 1

    def release(self, bound: int) -> None:
        self._shared.release(bound)


class Responder:
    def __init__(self, agent: AgentLike, budget: TokenBudget, concurrency: int) -> None:
        self._agent = agent
        self._budget = budget
        self._concurrency = max(1, concurrency)

    def _call(self, prompt: str, context: str | None, system: str | None) -> Outcome:
        estimate = self._agent.client.token_bound(prompt, context=context, system=system)
        if not self._budget.reserve(estimate):
            return Outcome(None, 0, "the job's token budget for this agent is spent")
        with self._agent.slots:
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
