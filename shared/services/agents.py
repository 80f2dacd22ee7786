"""Agents: register, list, change, remove and try OpenAI-compatible chat endpoints; hand jobs a client.

The API key is sealed with the credentials key (AES-256-GCM, bound to ``agent:<tenant>:<agent>``
so a sealed key moved onto another agent does not open) and never returned, logged or put in a
job. The endpoint follows the deployment's address rules (no metadata or link-local hosts,
private ranges only where allowed) when it is registered and again whenever a job calls it,
since what a name resolves to can change.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from shared.clock import Clock
from shared.config import Settings
from shared.errors import NotFound, ValidationFailed
from shared.jobs.evaluation.chat_client import ChatClient, ChatFailure, ChatTarget
from shared.logs import log_event
from shared.models.agents import Agent, AgentBody, AgentPatch, AgentTestBody, AgentTestResult
from shared.models.common import Page, PageQuery
from shared.security.credentials import CredentialCipher, Sealed
from shared.services.endpoints import EndpointPolicy
from shared.storage.agents import AgentRepository, AgentUsage, StoredAgent
from shared.storage.rate_budget import SlotPool

logger = logging.getLogger("cloudplane.agents")
TEST_SLOT_WAIT_SECONDS = 5.0
"""How long ``POST .../test`` waits for one of the agent's concurrent-call slots (jobs may hold them all)."""
ALL_SLOTS_BUSY = "every one of the agent's concurrent calls is in use; try again shortly"


def _not_found(agent_id: str) -> NotFound:
    return NotFound("Agent not found.", code="AGENT_NOT_FOUND", details={"agent_id": agent_id})


def _associated(tenant_id: str, agent_id: str) -> bytes:
    return f"agent:{tenant_id}:{agent_id}".encode()


@dataclass
class AgentHandle:
    """What a job needs to call one agent: the client (limits applied), the agent, and its usage."""

    agent: Agent
    client: ChatClient
    usage: AgentUsage
    tenant_id: str
    slots: SlotPool

    def spent(self, tokens: int) -> None:
        self.usage.spent(self.tenant_id, self.agent.id, tokens)


class AgentsService:
    def __init__(
        self,
        repository: AgentRepository,
        usage: AgentUsage,
        policy: EndpointPolicy,
        settings: Settings,
        clock: Clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._repository = repository
        self._usage = usage
        self._policy = policy
        self._settings = settings
        self._clock = clock
        self._sleep = sleep

    # ------------------------------------------------------------------ CRUD

    def create(self, tenant_id: str, body: AgentBody) -> Agent:
        self._policy.check(body.endpoint, "endpoint")
        _check_azure(body.kind, body.api_version)
        now = self._clock()
        agent_id = "agt_" + uuid.uuid4().hex[:20]
        agent = Agent(
            **body.model_dump(exclude={"api_key"}),
            id=agent_id,
            has_api_key=body.api_key is not None,
            created_at=now,
            updated_at=now,
        )
        sealed = self._seal(tenant_id, agent_id, body.api_key) if body.api_key is not None else None
        self._repository.create(tenant_id, StoredAgent(agent, sealed))
        if agent.default:
            self._clear_other_defaults(tenant_id, agent_id)
        log_event(logger, "agent_created", tenant_id=tenant_id, agent_id=agent_id)
        return agent

    def get(self, tenant_id: str, agent_id: str) -> Agent:
        return self._stored(tenant_id, agent_id).agent

    def page(self, tenant_id: str, page: PageQuery) -> Page[Agent]:
        return self._repository.page(tenant_id, page)

    def update(self, tenant_id: str, agent_id: str, patch: AgentPatch) -> Agent:
        before = self._stored(tenant_id, agent_id)
        changes = patch.model_dump(exclude_unset=True, exclude={"api_key"})
        for field_name in ("name", "kind", "endpoint", "model", "system_prompt", "temperature", "max_tokens"):
            if field_name in changes and changes[field_name] is None:
                raise ValidationFailed(
                    f"{field_name} cannot be null.",
                    details={"fields": [{"path": f"body.{field_name}", "message": "may not be null", "type": "null"}]},
                )
        if changes.get("limits") is None:
            changes.pop("limits", None)
        if changes.get("default") is None:
            changes.pop("default", None)
        merged = before.agent.model_copy(update=changes)
        merged = Agent.model_validate(merged.model_dump())
        if "endpoint" in changes:
            self._policy.check(merged.endpoint, "endpoint")
        _check_azure(merged.kind, merged.api_version)
        sealed = before.sealed_key
        if "api_key" in patch.model_fields_set:
            sealed = self._seal(tenant_id, agent_id, patch.api_key) if patch.api_key is not None else None
        after = merged.model_copy(update={"has_api_key": sealed is not None, "updated_at": self._clock()})
        self._repository.replace(tenant_id, before, StoredAgent(after, sealed))
        if after.default and not before.agent.default:
            self._clear_other_defaults(tenant_id, agent_id)
        log_event(logger, "agent_updated", tenant_id=tenant_id, agent_id=agent_id)
        return after

    def delete(self, tenant_id: str, agent_id: str) -> None:
        stored = self._stored(tenant_id, agent_id)
        self._repository.delete(tenant_id, stored.agent)
        log_event(logger, "agent_deleted", tenant_id=tenant_id, agent_id=agent_id)

    def test(self, tenant_id: str, agent_id: str, body: AgentTestBody) -> AgentTestResult:
        """One call with ``body.prompt`` (no retries); the outcome, never a raised error for the agent's failure."""
        handle = self.handle(tenant_id, agent_id, attempts=1, block=False)
        started = time.perf_counter()
        if not handle.slots.acquire(timeout=TEST_SLOT_WAIT_SECONDS):
            return AgentTestResult(ok=False, latency_ms=_ms(started), error=ALL_SLOTS_BUSY)
        try:
            answer = handle.client.complete(body.prompt)
        except ChatFailure as failure:
            return AgentTestResult(ok=False, latency_ms=_ms(started), error=failure.reason)
        finally:
            handle.slots.release()
        handle.spent(answer.tokens)
        return AgentTestResult(ok=True, reply=answer.text[:2000], tokens=answer.tokens, latency_ms=_ms(started))

    # ------------------------------------------------------------------ for jobs

    def resolve_id(self, tenant_id: str, agent_id: str | None) -> str | None:
        """The agent a job uses: the one named, or the tenant's default; None when there is no default."""
        if agent_id is not None:
            return self._stored(tenant_id, agent_id).agent.id
        defaults = self._repository.defaults(tenant_id)
        return min(defaults, key=lambda stored: stored.agent.created_at).agent.id if defaults else None

    def handle(self, tenant_id: str, agent_id: str, *, attempts: int = 5, block: bool = True) -> AgentHandle:
        """A client for the agent, its calls paced by the agent's shared per-minute limits.

        ``block=False`` (a request waiting on a person) fails a call over the limit at once.
        """
        stored = self._stored(tenant_id, agent_id)
        agent = stored.agent
        self._policy.check(agent.endpoint, "endpoint")
        key = None
        if stored.sealed_key is not None:
            key = self._cipher().open(stored.sealed_key, _associated(tenant_id, agent_id)).decode()
        target = ChatTarget(
            kind=agent.kind,
            endpoint=agent.endpoint,
            model=agent.model,
            api_version=agent.api_version,
            api_key=key,
            system_prompt=agent.system_prompt,
            temperature=agent.temperature,
            max_tokens=agent.max_tokens,
        )
        limits = agent.limits

        def pace() -> None:
            if not self._usage.wait_for_call(tenant_id, agent_id, limits, block=block):
                raise ChatFailure("the agent's requests or tokens per minute are used up; try again next minute")

        client = ChatClient(target, attempts=attempts, limits=pace, sleep=self._sleep)
        slots = self._usage.slots(tenant_id, agent_id, limits.max_concurrent_calls)
        return AgentHandle(agent, client, self._usage, tenant_id, slots)

    # ------------------------------------------------------------------ helpers

    def _stored(self, tenant_id: str, agent_id: str) -> StoredAgent:
        stored = self._repository.get(tenant_id, agent_id) if len(agent_id) <= 128 else None
        if stored is None:
            raise _not_found(agent_id)
        return stored

    def _cipher(self) -> CredentialCipher:
        return CredentialCipher.from_settings(self._settings)

    def _seal(self, tenant_id: str, agent_id: str, api_key: str) -> Sealed:
        return self._cipher().seal(api_key.encode(), _associated(tenant_id, agent_id))

    def _clear_other_defaults(self, tenant_id: str, agent_id: str) -> None:
        for other in self._repository.defaults(tenant_id):
            if other.agent.id != agent_id:
                after = other.agent.model_copy(update={"default": False, "updated_at": self._clock()})
                self._repository.replace(tenant_id, other, StoredAgent(after, other.sealed_key))


def _check_azure(kind: str, api_version: str | None) -> None:
    if kind == "azure_openai" and api_version is None:
        raise ValidationFailed(
            "An azure_openai agent needs api_version.",
            details={
                "fields": [{"path": "body.api_version", "message": "required for azure_openai", "type": "missing"}]
            },
        )


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
