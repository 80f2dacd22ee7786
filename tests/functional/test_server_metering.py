"""Flavor-hours of OpenStack servers from completed power actions, on an invoice draft.

The ``openstack.power_action`` job runs on the engine (in-memory double, each work message
delivered by hand, so duplicates are exact) against the recording OpenStack stub; the open
intervals and the built-in billing provider are on Azurite. One settable clock drives both the
job and billing: an hour passes by moving it, never by waiting.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from shared import deps
from shared.billing.builtin import BuiltinBilling
from shared.billing.metering import ServerMeter
from shared.jobs import registry
from shared.jobs.engine import Engine
from shared.jobs.store import WORK_QUEUE
from shared.models.billing import Invoice
from shared.models.clouds import CloudConfig
from shared.models.jobs import JobCreate, JobStatus
from shared.providers.openstack import CloudConnections, CloudError
from shared.services.billing import BillingService
from shared.services.clouds import cloud_failure
from shared.services.power_jobs import power_action_type
from shared.storage.server_power import ServerPowerRepository
from tests.functional.test_cloud_actions import register, run_jobs
from tests.support.inprocess import InProcessClient
from tests.support.memstore import MemStorage
from tests.support.openstack_stub import PROJECT_ID, OpenStackStub, Script

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLOUD = "cloud-1"
POLL = 7
JOB_TYPE = "functional.metered_power_action"
START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


class Clock:
    """One time for the job (seconds) and billing (datetimes)."""

    def __init__(self) -> None:
        self.now = START.timestamp()

    def __call__(self) -> float:
        return self.now

    def at(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)

    def set(self, when: datetime) -> None:
        self.now = when.timestamp()


class StubClouds:
    """The clouds service's ``call`` on the real connection cache: every tenant's cloud is the stub."""

    def __init__(self, stub: OpenStackStub) -> None:
        self.config = CloudConfig.model_validate(stub.cloud())
        self.connections = CloudConnections(5.0)

    def call(self, tenant_id: str, cloud_id: str, action: Callable[[Any], Any], what: str = "The cloud") -> Any:
        try:
            return self.connections.call(f"{tenant_id}:{cloud_id}", self.config, action)
        except CloudError as error:
            raise cloud_failure(error, cloud_id, what) from None


class FlakyIntervals(ServerPowerRepository):
    """The real repository, whose next ``close`` calls fail (billing storage down for a moment)."""

    failures = 0

    def close(self, tenant_id: str, cloud_id: str, server_id: str) -> None:
        if FlakyIntervals.failures:
            FlakyIntervals.failures -= 1
            raise ConnectionError("table storage did not answer")
        super().close(tenant_id, cloud_id, server_id)


class RecordingQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[dict[str, Any], int]] = []

    def create_queue(self) -> None: ...

    def send_message(self, text: str, visibility_timeout: int = 0, **_: Any) -> None:
        self.sent.append((json.loads(text), visibility_timeout))

    def take(self) -> list[tuple[dict[str, Any], int]]:
        taken, self.sent = self.sent, []
        return taken


CLOCK = Clock()
PARTS: dict[str, Any] = {}


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenStackStub]:
    server = OpenStackStub().start()
    yield server
    server.stop()


@pytest.fixture
def billing(stub: OpenStackStub) -> BuiltinBilling:
    builtin = BuiltinBilling(deps.billing_repository(), CLOCK.at)
    service = BillingService(lambda _: builtin, builtin)
    PARTS["clouds"] = StubClouds(stub)
    PARTS["meter"] = ServerMeter(
        lambda: FlakyIntervals(deps.storage()),
        service.server_account,
        lambda tenant_id, account_id, records: service.meter(tenant_id, records, account_id),
    )
    if registry.get(JOB_TYPE) is None:
        settings = SimpleNamespace(openstack_action_timeout_seconds=900, openstack_action_poll_seconds=POLL)
        registry.register(
            power_action_type(
                lambda: PARTS["clouds"],
                lambda: settings,  # type: ignore[arg-type,return-value]
                CLOCK,
                JOB_TYPE,
                meter=lambda: PARTS["meter"],
            )
        )
    FlakyIntervals.failures = 0
    CLOCK.set(START)
    return builtin


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
def engine(queue: RecordingQueue) -> Engine:
    store = MemStorage()
    store.queue_clients[WORK_QUEUE] = queue  # type: ignore[assignment]
    return Engine(store, max_attempts=3)  # type: ignore[arg-type]


def act(
    engine: Engine,
    queue: RecordingQueue,
    tenant: str,
    server_id: str,
    action: str,
    twice: bool = False,
    tick: float = 0,
) -> None:
    """Submit the action and deliver its work until it ends (each message twice if ``twice``),
    moving the clock by ``tick`` per re-check (none by default: the action ends when it starts)."""
    configuration = {"cloud_id": CLOUD, "target": "device", "target_id": server_id, "action": action}
    job, _ = engine.submit(tenant, JobCreate(type=JOB_TYPE, name=action, configuration=configuration), TRACE)
    for _ in range(50):
        sent = queue.take()
        if not sent:
            break
        for message, _delay in sent:
            if "check" in message:
                CLOCK.now += tick
            engine.process(message)
            if twice:
                engine.process(message)  # the queue delivers it again: its first run's message was not deleted
    assert engine.load(tenant, job.job_id).status is JobStatus.COMPLETED, engine.load(tenant, job.job_id).error


def flavor_lines(invoice: Invoice) -> list[tuple[str, str, Decimal, int]]:
    """The invoice's flavor-hour lines: flavor, period, hours (exact), minor units (5 per hour by default)."""
    return [
        (line.label, line.period, Decimal(line.quantity), line.amount)
        for line in invoice.lines
        if line.usage_kind == "flavor_hours"
    ]


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


def test_on_then_off_bills_the_exact_flavor_hours_to_the_teams_account(
    stub: OpenStackStub, billing: BuiltinBilling, engine: Engine, queue: RecordingQueue
) -> None:
    tenant = new_tenant()
    team = billing.open_account(tenant, owner_kind="team", owner_id=PROJECT_ID, name="Team")
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=2), "os-stop": Script(polls=1)})
    server.flavor = "g1.large"
    act(engine, queue, tenant, server.id, "on")
    powered_on = CLOCK.at()
    CLOCK.set(powered_on + timedelta(hours=3))
    act(engine, queue, tenant, server.id, "off")

    usage = billing.usage(tenant, team.id, START, START + timedelta(days=1), 100)
    assert [(u.id, u.kind, u.label, u.start, u.end) for u in usage] == [
        (
            f"server:{server.id}:{powered_on.isoformat()}:flavor_hours",
            "flavor_hours",
            "g1.large",
            powered_on,
            CLOCK.at(),
        )
    ]
    assert flavor_lines(billing.draft_invoice(tenant, team.id)) == [("g1.large", "2026-12", Decimal(3), 15)]
    tenant_account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name=tenant)
    assert flavor_lines(billing.draft_invoice(tenant, tenant_account.id)) == []  # the team's, not the tenant's


def test_every_step_delivered_twice_counts_once(
    stub: OpenStackStub, billing: BuiltinBilling, engine: Engine, queue: RecordingQueue
) -> None:
    tenant = new_tenant()
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=1), "os-stop": Script(polls=1)})
    act(engine, queue, tenant, server.id, "on", twice=True)
    CLOCK.set(CLOCK.at() + timedelta(hours=2))
    act(engine, queue, tenant, server.id, "off", twice=True)
    account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name=tenant)
    # No team account for the server's project: the tenant's own account is billed.
    assert flavor_lines(billing.draft_invoice(tenant, account.id)) == [("m1.small", "2026-12", Decimal(2), 10)]
    assert len(billing.usage(tenant, account.id, START, START + timedelta(days=1), 100)) == 1


def test_a_completing_step_retried_after_metering_failed_counts_once(
    stub: OpenStackStub, billing: BuiltinBilling, engine: Engine, queue: RecordingQueue
) -> None:
    tenant = new_tenant()
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=1), "os-stop": Script(polls=0)})
    act(engine, queue, tenant, server.id, "on")
    CLOCK.set(CLOCK.at() + timedelta(hours=4) - timedelta(seconds=POLL))  # SHUTOFF at the first re-check
    FlakyIntervals.failures = 2  # recorded, then the interval could not be removed: twice
    act(engine, queue, tenant, server.id, "off", tick=POLL)  # metered again at +7 s and +14 s
    account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name=tenant)
    # Each retry recorded the same id again, later: the first one stands, exact to the second.
    assert flavor_lines(billing.draft_invoice(tenant, account.id)) == [("m1.small", "2026-12", Decimal(4), 20)]
    assert ServerPowerRepository(deps.storage()).get(tenant, CLOUD, server.id) is None


def test_destroy_closes_the_interval_and_suspend_resume_bills_only_the_running_time(
    stub: OpenStackStub, billing: BuiltinBilling, engine: Engine, queue: RecordingQueue
) -> None:
    tenant = new_tenant()
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=1)})
    act(engine, queue, tenant, server.id, "on")
    CLOCK.set(CLOCK.at() + timedelta(hours=1))
    act(engine, queue, tenant, server.id, "suspend")
    CLOCK.set(CLOCK.at() + timedelta(hours=10))  # suspended: not billed
    act(engine, queue, tenant, server.id, "resume")
    CLOCK.set(CLOCK.at() + timedelta(hours=2))
    act(engine, queue, tenant, server.id, "destroy")
    assert ServerPowerRepository(deps.storage()).get(tenant, CLOUD, server.id) is None
    CLOCK.set(CLOCK.at() + timedelta(hours=5))
    account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name=tenant)
    assert flavor_lines(billing.draft_invoice(tenant, account.id)) == [("m1.small", "2026-12", Decimal(3), 15)]
    assert len(billing.usage(tenant, account.id, START, START + timedelta(days=1), 100)) == 2


def test_an_interval_open_at_month_end_is_split_between_the_two_invoices(
    stub: OpenStackStub, billing: BuiltinBilling, engine: Engine, queue: RecordingQueue
) -> None:
    tenant = new_tenant()
    CLOCK.set(datetime(2026, 11, 30, 22, 0, tzinfo=UTC))
    account = billing.open_account(tenant, owner_kind="tenant", owner_id=tenant, name=tenant)
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=0), "os-stop": Script(polls=0)})
    act(engine, queue, tenant, server.id, "on")
    assert CLOCK.at() == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    CLOCK.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    act(engine, queue, tenant, server.id, "off")
    assert flavor_lines(billing.draft_invoice(tenant, account.id)) == [("m1.small", "2026-12", Decimal(3), 15)]
    (november,) = billing.close_periods(tenant, account.id, "2026-11")
    assert flavor_lines(november) == [("m1.small", "2026-11", Decimal(2), 10)]


def test_the_apps_power_actions_are_metered_on_the_tenants_account(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    stub: OpenStackStub,
    configure: Callable[..., None],
    cluster_settings: None,
) -> None:
    """The app's own ``openstack.power_action`` (deps' wiring, the real clock) records the hours."""
    configure(CLOUDPLANE_OPENSTACK_ACTION_POLL_SECONDS=1, CLOUDPLANE_OPENSTACK_ACTION_TIMEOUT_SECONDS=60)
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()
    tenant = make_tenant()
    cloud_id = register(client, tenant, stub)
    server = stub.state.server("SHUTOFF", **{"os-start": Script(polls=0), "os-stop": Script(polls=0)})
    server.flavor = "m1.xlarge"
    for action in ("on", "off"):
        reply = client.post(
            f"/api/v1/clouds/{cloud_id}/devices/{server.id}/actions", json={"action": action}, headers=tenant["headers"]
        )
        assert reply.status == 202, reply.body
        assert run_jobs(client, tenant, reply.json()["id"])["status"] == "completed"
    (account,) = client.get("/api/v1/billing/accounts", headers=tenant["headers"]).json()["items"]
    now = datetime.now(UTC)
    window = {"start": (now - timedelta(hours=1)).isoformat(), "end": (now + timedelta(hours=1)).isoformat()}
    reply = client.get(f"/api/v1/billing/accounts/{account['id']}/usage", params=window, headers=tenant["headers"])
    assert reply.status == 200, reply.body
    (record,) = reply.json()["items"]
    assert (record["kind"], record["resource_id"], record["label"]) == ("flavor_hours", server.id, "m1.xlarge")
    assert record["id"].startswith(f"server:{server.id}:") and record["start"] < record["end"]
