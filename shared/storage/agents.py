"""Agents in Table storage, and the counters that keep their calls within their limits.

Table ``agents``, one partition per tenant (``tenant:<id>``): ``a:<agent id>`` is the agent
(its settings as JSON in ``body``, its sealed API key beside them), ``n:<hash of the lower-case
name>`` reserves its name, written in one transaction with it (the base's reservations).

Table ``agentusage`` holds what every instance shares about an agent's spending:

- ``PartitionKey`` = ``<tenant>:<agent>``, ``RowKey`` = ``minute``: the current one-minute
  window's requests and tokens. An instance leases a few requests at a time with one
  ETag-conditional write (as the API rate limiter does) and reports the tokens it spent at its
  next lease, so the shared counts never pass the limits by more than one lease's tokens.

Calls in flight (``max_concurrent_calls``) and a job's tokens (``token_budget_per_job``) are held
leases in Table ``ratebudgets`` (``shared.storage.rate_budget``), PartitionKey
``agent:<tenant>:<agent>``, RowKey ``slots`` and ``job:<job id>``.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import TableEntity, UpdateMode

from shared.errors import Conflict, ServiceUnavailable
from shared.models.agents import Agent, AgentLimits
from shared.models.common import Page, PageQuery
from shared.security.credentials import Sealed
from shared.storage.base import TableRepository
from shared.storage.clients import StorageClients
from shared.storage.rate_budget import Allowance, HoldingsRepository, SlotPool

AGENTS = "agents"
AGENT_USAGE = "agentusage"
WINDOW_SECONDS = 60
LEASE_MAX = 32
"""Most requests one lease takes (never more than a quarter of what the minute has left)."""
_ATTEMPTS = 8


def _partition(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def _name_key(name: str) -> str:
    return "n:" + hashlib.sha256(name.lower().encode()).hexdigest()


def name_taken(name: str) -> Conflict:
    return Conflict(f"An agent named {name!r} exists.", code="AGENT_NAME_TAKEN", details={"name": name})


@dataclass(frozen=True)
class StoredAgent:
    agent: Agent
    sealed_key: Sealed | None


def _stored(entity: TableEntity) -> StoredAgent:
    agent = Agent.model_validate_json(entity["body"])
    sealed = Sealed(entity["key_id"], base64.b64decode(entity["key_blob"])) if entity.get("key_blob") else None
    return StoredAgent(agent, sealed)


def _entity(tenant_id: str, stored: StoredAgent) -> dict[str, Any]:
    agent = stored.agent
    entity: dict[str, Any] = {
        "PartitionKey": _partition(tenant_id),
        "RowKey": f"a:{agent.id}",
        "id": agent.id,
        "name": agent.name,
        "is_default": agent.default,
        "body": agent.model_dump_json(),
        "key_id": stored.sealed_key.key_id if stored.sealed_key else "",
        "key_blob": base64.b64encode(stored.sealed_key.blob).decode() if stored.sealed_key else "",
    }
    return entity


def _reservation(tenant_id: str, agent: Agent) -> dict[str, Any]:
    return {"PartitionKey": _partition(tenant_id), "RowKey": _name_key(agent.name), "agent_id": agent.id}


class AgentRepository(TableRepository):
    TABLE = AGENTS

    def create(self, tenant_id: str, stored: StoredAgent) -> None:
        self.create_reserved(
            _reservation(tenant_id, stored.agent), _entity(tenant_id, stored), lambda: name_taken(stored.agent.name)
        )

    def get(self, tenant_id: str, agent_id: str) -> StoredAgent | None:
        entity = self.get_or_none(_partition(tenant_id), f"a:{agent_id}")
        return _stored(entity) if entity is not None else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Agent]:
        return self.range_page(_partition(tenant_id), "a:", page, lambda entity: _stored(entity).agent)

    def defaults(self, tenant_id: str) -> list[StoredAgent]:
        """The tenant's agents marked default (one, unless two were marked at the same moment)."""
        rows = self.table.query_entities(
            "PartitionKey eq @pk and is_default eq true", parameters={"pk": _partition(tenant_id)}
        )
        return [_stored(row) for row in rows if str(row["RowKey"]).startswith("a:")]

    def replace(self, tenant_id: str, before: StoredAgent, after: StoredAgent) -> None:
        renamed = _name_key(before.agent.name) != _name_key(after.agent.name)
        self.replace_reserved(
            _name_key(before.agent.name) if renamed else None,
            _reservation(tenant_id, after.agent) if renamed else None,
            _entity(tenant_id, after),
            lambda: name_taken(after.agent.name),
        )

    def delete(self, tenant_id: str, agent: Agent) -> None:
        self.delete_reserved(_partition(tenant_id), f"a:{agent.id}", _name_key(agent.name))


# ------------------------------------------------------------------------------------ usage


@dataclass
class _Lease:
    lock: threading.Lock = field(default_factory=threading.Lock)
    window: int = -1
    grants: int = 0
    exhausted: bool = False
    unreported_tokens: int = 0
    etag: str | None = None
    stored_window: int = -1
    stored_requests: int = 0
    stored_tokens: int = 0


class AgentUsage:
    """Per-minute request and token budgets of agents, shared by every instance; job token totals."""

    def __init__(
        self,
        clients: StorageClients,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clients = clients
        self._clock = clock
        self._sleep = sleep
        self._leases: dict[str, _Lease] = {}
        self._guard = threading.Lock()
        self.round_trips = 0
        self.holder = uuid.uuid4().hex  # this instance, as its leases in the shared rows name it
        self._holdings = HoldingsRepository(clients)
        self._slots: dict[tuple[str, str, int], SlotPool] = {}
        self._allowances: dict[tuple[str, str, str, int | None], Allowance] = {}

    def _lease(self, key: str) -> _Lease:
        with self._guard:
            return self._leases.setdefault(key, _Lease())

    def wait_for_call(self, tenant_id: str, agent_id: str, limits: AgentLimits, *, block: bool = True) -> bool:
        """Block until the agent may make one more call in the current minute (across instances).

        With ``block=False``, answer False at once instead of waiting for the next minute.
        """
        key = f"{tenant_id}:{agent_id}"
        lease = self._lease(key)
        while True:
            now = self._clock()
            window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
            with lease.lock:
                if lease.window != window:
                    lease.window, lease.grants, lease.exhausted = window, 0, False
                if lease.grants == 0 and not lease.exhausted:
                    self._refill(lease, key, limits)
                if lease.grants > 0:
                    lease.grants -= 1
                    return True
            if not block:
                return False
            self._sleep(max(0.05, window + WINDOW_SECONDS - now))

    def spent(self, tenant_id: str, agent_id: str, tokens: int) -> None:
        """Tokens a call used; reported to the shared count with this instance's next lease."""
        lease = self._lease(f"{tenant_id}:{agent_id}")
        with lease.lock:
            lease.unreported_tokens += max(0, tokens)

    def _refill(self, lease: _Lease, key: str, limits: AgentLimits) -> None:
        table = self._clients.table(AGENT_USAGE)
        for _ in range(_ATTEMPTS):
            if lease.etag is None:
                self._read(table, lease, key)
            same = lease.stored_window == lease.window
            requests = lease.stored_requests if same else 0
            tokens = (lease.stored_tokens if same else 0) + lease.unreported_tokens
            available = limits.requests_per_minute - requests
            over_tokens = limits.tokens_per_minute is not None and tokens >= limits.tokens_per_minute
            grant = 0 if available <= 0 or over_tokens else max(1, min(LEASE_MAX, available // 4, available))
            entity = {
                "PartitionKey": key,
                "RowKey": "minute",
                "window": str(lease.window),
                "requests": requests + grant,
                "tokens": tokens,
            }
            try:
                self.round_trips += 1
                if lease.etag == "":
                    meta = table.create_entity(entity)
                else:
                    meta = table.update_entity(
                        entity, mode=UpdateMode.REPLACE, etag=lease.etag, match_condition=MatchConditions.IfNotModified
                    )
            except (ResourceModifiedError, ResourceExistsError, ResourceNotFoundError):
                lease.etag = None
                continue
            lease.etag, lease.stored_window = meta["etag"], lease.window
            lease.stored_requests, lease.stored_tokens = requests + grant, tokens
            lease.unreported_tokens = 0
            lease.grants = grant
            lease.exhausted = grant == 0
            return
        raise ServiceUnavailable("The agent's usage counter is too contended; retry shortly.", code="AGENT_USAGE_BUSY")

    def _read(self, table: Any, lease: _Lease, key: str) -> None:
        self.round_trips += 1
        try:
            entity = table.get_entity(key, "minute")
        except ResourceNotFoundError:
            lease.etag, lease.stored_window, lease.stored_requests, lease.stored_tokens = "", -1, 0, 0
            return
        lease.etag = entity.metadata["etag"]
        lease.stored_window = int(entity["window"])
        lease.stored_requests, lease.stored_tokens = int(entity["requests"]), int(entity["tokens"])

    # -- calls in flight and a job's tokens: held leases shared by every instance (rate_budget)

    def slots(self, tenant_id: str, agent_id: str, limit: int) -> SlotPool:
        """The agent's ``max_concurrent_calls`` as this process holds them (one pool per agent and limit)."""
        key = (tenant_id, agent_id, limit)
        with self._guard:
            pool = self._slots.get(key)
            if pool is None:
                pool = SlotPool(self._holdings, f"agent:{tenant_id}:{agent_id}", "slots", self.holder, limit)
                self._slots[key] = pool
            return pool

    def job_allowance(self, tenant_id: str, agent_id: str, job_id: str, limit: int | None) -> Allowance:
        """The job's ``token_budget_per_job`` with this agent, shared by the job's batches on every instance."""
        key = (tenant_id, agent_id, job_id, limit)
        with self._guard:
            allowance = self._allowances.get(key)
            if allowance is None:
                for old in [k for k, found in self._allowances.items() if found.idle]:
                    del self._allowances[old]  # jobs this process no longer runs
                scope = f"agent:{tenant_id}:{agent_id}"
                allowance = Allowance(self._holdings, scope, f"job:{job_id}", self.holder, limit)
                self._allowances[key] = allowance
            return allowance

    @property
    def holdings_round_trips(self) -> int:
        """Table round trips of the slots and job budgets so far (for benchmarks)."""
        return self._holdings.round_trips

    def job_tokens(self, tenant_id: str, agent_id: str, job_id: str) -> int:
        """Tokens the job has spent with the agent, as written by every instance so far."""
        return self._holdings.read(f"agent:{tenant_id}:{agent_id}", f"job:{job_id}").used
