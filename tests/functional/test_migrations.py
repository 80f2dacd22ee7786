"""The ``migration`` job in-process against Azurite and the Affinity and Attio fakes (real HTTP)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from azure.data.tables import TableClient

from shared import deps
from shared.jobs.store import WORK_QUEUE
from tests.functional.conftest import KEY_A
from tests.functional.test_jobs import drain
from tests.support import crm_data
from tests.support.crm_fakes import FakeAffinity, FakeAttio
from tests.support.inprocess import InProcessClient

AFFINITY_KEY = "aff-secret-key-3c9d51aa"
ATTIO_TOKEN = "attio-secret-token-e07f24b6"
FAST = {"read": {"requests": 5000, "seconds": 1}, "write": {"requests": 5000, "seconds": 1}}
Tenant = dict[str, Any]


@pytest.fixture(autouse=True)
def migration_settings(app_settings: None, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_CREDENTIALS_KEY=KEY_A, CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true")
    deps.jobs().storage.queue(WORK_QUEUE).clear_messages()


@pytest.fixture
def affinity() -> Iterator[FakeAffinity]:
    fake = FakeAffinity(AFFINITY_KEY, limit_per_window=None)
    orgs = crm_data.organizations(30)
    fake.load(crm_data.persons(250, orgs, no_email_every=50), orgs)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def attio() -> Iterator[FakeAttio]:
    fake = FakeAttio(ATTIO_TOKEN, reads_per_second=None, writes_per_second=None)
    fake.start()
    yield fake
    fake.stop()


def connect(client: InProcessClient, tenant: Tenant, system: str, key: str, url: str, **extra: Any) -> str:
    body = {"system": system, "name": f"{system}-conn", "credentials": {"api_key": key}, "base_url": url, **extra}
    reply = client.post("/api/v1/connections", json=body, headers=tenant["headers"])
    assert reply.status == 201, reply.body
    return str(reply.json()["id"])


def submit(client: InProcessClient, tenant: Tenant, **configuration: Any) -> Any:
    body = {"type": "migration", "name": "affinity to attio", "configuration": configuration}
    return client.post("/api/v1/jobs", json=body, headers=tenant["headers"])


def connected(client: InProcessClient, tenant: Tenant, affinity: FakeAffinity, attio: FakeAttio) -> dict[str, Any]:
    return {
        "source_system": "affinity",
        "target_system": "attio",
        "source_config": {
            "connection_id": connect(client, tenant, "affinity", AFFINITY_KEY, affinity.base_url, rate_limits=FAST)
        },
        "target_config": {
            "connection_id": connect(client, tenant, "attio", ATTIO_TOKEN, attio.base_url, rate_limits=FAST)
        },
        "batch_size": 100,
    }


def job_of(client: InProcessClient, tenant: Tenant, job_id: str) -> Any:
    return client.get(f"/api/v1/jobs/{job_id}", headers=tenant["headers"]).json()


def company_domain(attio: FakeAttio, record_id: str) -> str:
    return str(attio.records["companies"][record_id]["values"]["domains"][0])


def test_inline_credentials_migrate_with_relations_and_list_failures(
    client: InProcessClient,
    make_tenant: Callable[..., Tenant],
    affinity: FakeAffinity,
    attio: FakeAttio,
    azurite: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tenant = make_tenant()
    attio.reject(
        lambda obj, values: (
            "Email is on a block list" if values.get("email_addresses") == ["person7@mail.example"] else None
        )
    )
    reply = submit(
        client,
        tenant,
        source_system="affinity",
        target_system="attio",
        source_config={"api_key": AFFINITY_KEY, "base_url": affinity.base_url},
        target_config={"api_key": ATTIO_TOKEN, "base_url": attio.base_url, "workspace_id": "ws_1"},
        batch_size=100,
    )
    assert reply.status == 202, reply.body
    job = reply.json()
    stored_config = job["configuration"]
    for side in ("source_config", "target_config"):  # only the sealed connection's id is kept
        assert {key for key, value in stored_config[side].items() if value is not None} == {"connection_id"}
    drain()
    job = job_of(client, tenant, job["id"])
    # 30 organizations + 250 persons; persons 49, 99, ... have no email (5) and person7 is refused (1).
    assert job["status"] == "completed_with_errors", job
    assert job["progress"]["total"] == 280 and job["progress"]["processed"] == 274 and job["progress"]["failed"] == 6
    counters = {key: job["summary"][key] for key in ("total_records", "processed_records", "failed_records")}
    assert counters == {"total_records": 280, "processed_records": 274, "failed_records": 6}  # seed 003's names
    assert len(attio.records["companies"]) == 30 and len(attio.records["people"]) == 244
    people = attio.people_by_email()
    assert (
        company_domain(attio, people["person31@mail.example"]["values"]["company"][0]["target_record_id"])
        == "org1.example"
    )
    assert (
        company_domain(attio, people["person0@mail.example"]["values"]["company"][0]["target_record_id"])
        == "org0.example"
    )
    assert attio.bad_requests == 1 and affinity.bad_requests == 0

    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    failed = {(row["source_id"], row["step"]) for row in rows}
    assert failed == {("1000007", "write"), *((str(1_000_000 + n), "map") for n in (49, 99, 149, 199, 249))}
    refused = next(row for row in rows if row["step"] == "write")
    assert "block list" in refused["reason"]
    text = client.get(
        f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"], params={"format": "csv"}
    ).body.decode()
    assert len(list(csv.DictReader(io.StringIO(text)))) == 6

    # retry failed_only: the target accepts person7 now; only the failed records are written again.
    attio._rejects.clear()
    writes_before = attio.seen_paths.count("PUT /v2/objects/people/records")
    assert (
        client.post(f"/api/v1/jobs/{job['id']}/retry", json={"failed_only": True}, headers=tenant["headers"]).status
        == 202
    )
    drain()
    job = job_of(client, tenant, job["id"])
    assert job["progress"]["processed"] == 275 and job["progress"]["failed"] == 5
    assert (job["summary"]["total_records"], job["summary"]["processed_records"], job["summary"]["failed_records"]) == (
        280,
        275,
        5,
    )
    assert attio.seen_paths.count("PUT /v2/objects/people/records") - writes_before == 1
    assert len(attio.records["people"]) == 245

    # The keys are nowhere: not in responses, stored configuration, JobMessages, or logs.
    for table_name in ("jobs", "connections"):
        entities = repr(list(TableClient.from_connection_string(azurite.connection_string, table_name).list_entities()))
        assert AFFINITY_KEY not in entities and ATTIO_TOKEN not in entities
    events = client.get(
        f"/api/v1/jobs/{job['id']}/logs", headers=tenant["headers"], params={"limit": "100"}
    ).body.decode()
    assert AFFINITY_KEY not in events and ATTIO_TOKEN not in events
    assert AFFINITY_KEY not in caplog.text and ATTIO_TOKEN not in caplog.text
    listed = client.get("/api/v1/connections", headers=tenant["headers"]).json()["items"]
    assert sorted(item["owner"] for item in listed) == ["job", "job"]


def test_duplicate_batches_and_a_rerun_change_nothing(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    job = submit(client, tenant, **configuration).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    start = next(iter(queue.receive_messages()))
    engine.process(json.loads(start.content))
    queue.delete_message(start)
    batches = [json.loads(m.content) for m in queue.receive_messages(messages_per_page=32, max_messages=32)]
    assert len(batches) == 4  # 30 organizations in one batch, 250 persons in three
    queue.clear_messages()
    with ThreadPoolExecutor(4) as pool:  # every batch delivered twice, at the same time
        list(pool.map(lambda message: engine.process(dict(message)), batches + batches))
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "completed_with_errors" and done["progress"]["processed"] == 275
    assert (attio.created, len(attio.records["people"]), len(attio.records["companies"])) == (275, 245, 30)
    changed = attio.changed

    rerun = submit(client, tenant, **configuration).json()
    drain()
    assert job_of(client, tenant, rerun["id"])["progress"]["processed"] == 275
    assert (attio.created, attio.changed) == (275, changed)  # every assert matched an unchanged record
    assert attio.unchanged >= 275


def test_dry_run_reports_and_writes_nothing(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    for n in range(10):  # ten people already there
        attio._assert(
            "people", "email_addresses", {"data": {"values": {"email_addresses": [f"person{n}@mail.example"]}}}
        )
    created = attio.created
    job = submit(client, tenant, dry_run=True, **configuration).json()
    drain()
    done = job_of(client, tenant, job["id"])
    people = done["summary"]["objects"]["persons"]
    assert (people["would_update"], people["would_create"], people["failed"]) == (10, 235, 5)
    assert done["summary"]["objects"]["organizations"]["would_create"] == 30
    assert attio.created == created and not any(path.startswith("PUT") for path in attio.seen_paths)


def test_bad_configurations_are_refused_clearly(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    unknown = submit(client, tenant, **{**configuration, "target_system": "salesforce"})
    assert unknown.status == 400 and unknown.json()["error"]["details"]["known"] == ["attio"]
    assert b"salesforce" not in unknown.body
    swapped = submit(client, tenant, **{**configuration, "source_config": configuration["target_config"]})
    assert swapped.status == 422 and swapped.json_or_none_code() == "CONNECTION_SYSTEM_MISMATCH"
    stranger = make_tenant()
    other = submit(client, stranger, **configuration)
    assert other.status == 422 and other.json_or_none_code() == "CONNECTION_NOT_FOUND"
    tasks = submit(client, tenant, **{**configuration, "objects": ["persons", "tasks"]})
    assert tasks.status == 422 and tasks.json()["error"]["details"]["known"] == [
        "persons",
        "organizations",
        "opportunities",
        "notes",
        "list_{list_id}",
    ]
    assert tasks.json()["error"]["details"]["fields"][0]["path"] == "body.configuration.objects.1"
    unmapped = submit(client, tenant, **{**configuration, "objects": ["opportunities", "list_42"]})
    assert unmapped.status == 422 and unmapped.json_or_none_code() == "NO_MAPPING"
    assert unmapped.json()["error"]["details"]["fields"][0]["path"] == "body.configuration.objects.1"
    missing_list = submit(
        client,
        tenant,
        **{
            **configuration,
            "objects": ["persons", "list_999"],
            "mapping": {"list_999": {"target": "portfolio", "fields": {"affinity_id": "entry_id"}}},
            "matching_attribute": {"portfolio": "entry_id"},
        },
    )
    assert missing_list.status == 422 and missing_list.json_or_none_code() == "LIST_NOT_FOUND"
    assert missing_list.json()["error"]["details"]["fields"][0]["path"] == "body.configuration.objects.1"
    not_a_list = submit(client, tenant, **{**configuration, "objects": ["list_0"]})
    assert not_a_list.status == 422 and not_a_list.json_or_none_code() == "UNKNOWN_OBJECT"
    small = submit(client, tenant, **{**configuration, "batch_size": 50})
    assert small.status == 422
    both = submit(client, tenant, **{**configuration, "source_config": {"connection_id": "x", "api_key": "k"}})
    assert both.status == 422 and b'"k"' not in both.body


def test_transient_failures_and_a_429_storm_fail_no_record(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    configuration["retry_policy"] = {"max_retries": 4, "backoff_seconds": 0.05, "max_backoff_seconds": 0.2}
    job = submit(client, tenant, **configuration).json()
    engine = deps.jobs()
    assert take_and_run(engine.storage.queue(WORK_QUEUE), engine) == (1, [])  # planned (and the target probed)
    attio.fail_next(3, 503)
    attio.storm(4, retry_after=1)
    affinity.fail_next(2, 502)
    drain()
    done = job_of(client, tenant, job["id"])
    assert done["progress"]["processed"] == 275 and done["progress"]["failed"] == 5
    assert done["summary"]["throttled"] == 4 and done["summary"]["retried"] >= 3
    assert attio.throttled == 4 and len(attio.records["people"]) == 245


def test_a_dataset_is_a_source(client: InProcessClient, make_tenant: Callable[..., Tenant], attio: FakeAttio) -> None:
    tenant = make_tenant()
    target = connect(client, tenant, "attio", ATTIO_TOKEN, attio.base_url, rate_limits=FAST)
    # The datasets API asks every upload for the evaluation columns (response, expected); a migration ignores them.
    lines = ["id,first,last,email,response,expected"]
    lines += [f"c{n},F{n},L{n},row{n}@data.example,r,e" for n in range(150)] + ["c150,No,Mail,,r,e"]
    uploaded = client.post(
        "/api/v1/datasets", body="\n".join(lines).encode(), headers={**tenant["headers"], "Content-Type": "text/csv"}
    )
    assert uploaded.status == 201, uploaded.body
    job = submit(
        client,
        tenant,
        source_system="dataset",
        target_system="attio",
        source_config={"dataset_id": uploaded.json()["id"]},
        target_config={"connection_id": target},
        batch_size=100,
        mapping={
            "rows": {
                "target": "people",
                "fields": {"first": "name.first_name", "last": "name.last_name", "email": "email_addresses"},
            }
        },
    ).json()
    drain()
    done = job_of(client, tenant, job["id"])
    assert (done["progress"]["total"], done["progress"]["processed"], done["progress"]["failed"]) == (151, 150, 1)
    assert attio.people_by_email()["row149@data.example"]["values"]["name"][0]["full_name"] == "F149 L149"
    rows = client.get(f"/api/v1/jobs/{job['id']}/results", headers=tenant["headers"]).json()["rows"]
    assert [(row["source_id"], row["step"]) for row in rows] == [("c150", "map")]


def test_cancel_stops_between_batches(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    job = submit(client, tenant, **connected(client, tenant, affinity, attio)).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    start = next(iter(queue.receive_messages()))
    engine.process(json.loads(start.content))
    queue.delete_message(start)
    batches = [json.loads(m.content) for m in queue.receive_messages(messages_per_page=32, max_messages=32)]
    queue.clear_messages()
    engine.process(batches[0])
    assert client.delete(f"/api/v1/jobs/{job['id']}", headers=tenant["headers"]).status == 202
    for message in batches[1:]:
        engine.process(message)
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "cancelled"
    assert len(attio.records["companies"]) == 30 and len(attio.records["people"]) < 245


def test_opportunities_become_deals_and_a_lists_entries_the_mapped_object(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    affinity.load_opportunities([{"id": 7000 + n, "name": f"Deal {n}", "listId": 77} for n in range(130)])
    company_entries = [
        {
            "id": 900 + n,
            "type": "company",
            "createdAt": f"2025-03-0{n + 1}T10:00:00Z",
            "creatorId": 1,
            "entity": {
                "id": 5_000_000 + n,  # the fixture's organizations: Org n at orgn.example
                "name": f"Org {n}",
                "domain": f"org{n}.example",
                "domains": [f"org{n}.example"],
                "isGlobal": False,
            },
        }
        for n in (3, 4, 5)
    ]
    person_entry = {
        "id": 950,
        "type": "person",
        "createdAt": "2025-03-09T10:00:00Z",
        "creatorId": 1,
        "entity": {
            "id": 1_000_000,
            "firstName": "Ada",
            "lastName": "Lovelace",
            "primaryEmailAddress": "ada@mail.example",
            "emailAddresses": ["ada@mail.example"],
        },
    }
    affinity.load_list(42, [*company_entries, person_entry])
    configuration = connected(client, tenant, affinity, attio)
    configuration.update(
        objects=["opportunities", "list_42"],
        mapping={
            "list_42": {
                "target": "portfolio",
                "fields": {"affinity_id": "entry_id", "entity_name": "name", "created_at": "added_at"},
                "relations": {"company_ids": {"object": "organizations", "attribute": "company"}},
            }
        },
        matching_attribute={"portfolio": "entry_id"},
    )
    reply = submit(client, tenant, **configuration)
    assert reply.status == 202, reply.body
    drain()
    job = job_of(client, tenant, reply.json()["id"])
    assert job["status"] == "completed", job
    assert job["summary"]["objects"]["opportunities"]["written"] == 130
    assert job["summary"]["objects"]["list_42"]["written"] == 4
    assert job["summary"]["total_records"] == 134 and job["summary"]["failed_records"] == 0

    deals = attio.records["deals"].values()
    assert sorted(record["values"]["affinity_id"][0] for record in deals) == [str(7000 + n) for n in range(130)]
    assert {record["values"]["name"][0] for record in deals} >= {"Deal 0", "Deal 129"}
    assert "GET /v2/opportunities" in affinity.seen_paths and "GET /v2/lists/42/list-entries" in affinity.seen_paths

    entries = {record["values"]["entry_id"][0]: record["values"] for record in attio.records["portfolio"].values()}
    assert set(entries) == {"903", "904", "905", "950"}
    assert entries["904"]["name"] == ["Org 4"] and entries["904"]["added_at"] == ["2025-03-05T10:00:00Z"]
    assert company_domain(attio, entries["905"]["company"][0]["target_record_id"]) == "org5.example"
    assert entries["950"]["name"] == ["Ada Lovelace"] and "company" not in entries["950"]
    # the entries' organizations were not among the job's objects: each was read and written once, on demand
    assert sorted(company_domain(attio, record_id) for record_id in attio.records["companies"]) == [
        "org3.example",
        "org4.example",
        "org5.example",
    ]

    rerun = submit(client, tenant, **configuration)
    drain()
    assert job_of(client, tenant, rerun.json()["id"])["summary"]["processed_records"] == 134
    assert (len(attio.records["deals"]), len(attio.records["portfolio"])) == (130, 4)


def take_and_run(queue: Any, engine: Any) -> tuple[int, list[BaseException]]:
    """Deliver what the work queue holds once, as the host does: a raise puts the message back."""
    ran, raised = 0, []
    for message in list(queue.receive_messages(messages_per_page=32, max_messages=32, visibility_timeout=60)):
        ran += 1
        try:
            engine.process(json.loads(message.content), message.dequeue_count)
        except Exception as error:  # the host would retry it; the test looks at it
            raised.append(error)
            queue.update_message(message, visibility_timeout=0)
            continue
        queue.delete_message(message)
    return ran, raised


def test_a_source_that_refuses_the_key_fails_the_job_at_once_with_the_reason(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    configuration["source_config"] = {
        "connection_id": connect(
            client, tenant, "affinity", "not-the-key", affinity.base_url, rate_limits=FAST, name="bad"
        )
    }
    job = submit(client, tenant, **configuration).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    assert take_and_run(queue, engine) == (1, [])  # the plan's first delivery: no raise, nothing left to retry
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "failed", done
    assert done["error"]["code"] == "REMOTE_UNAUTHORIZED" and done["error"]["details"]["status"] == 401
    assert "Affinity" in done["error"]["message"] and "401" in done["error"]["message"]
    assert not list(queue.peek_messages())  # no batch sent, no retry queued
    assert "not-the-key" not in json.dumps(done)
    assert not any(path.startswith("PUT") for path in attio.seen_paths)


def test_a_target_that_refuses_the_token_fails_the_job_before_any_batch(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    configuration["target_config"] = {
        "connection_id": connect(client, tenant, "attio", "wrong-token", attio.base_url, rate_limits=FAST, name="bad")
    }
    job = submit(client, tenant, **configuration).json()
    assert drain() == 1
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "REMOTE_UNAUTHORIZED", done
    assert "attio" in done["error"]["message"] and not attio.records["people"]


def test_a_connection_deleted_after_submission_fails_the_job_at_once(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    job = submit(client, tenant, **configuration).json()
    source = configuration["source_config"]["connection_id"]
    assert client.delete(f"/api/v1/connections/{source}", headers=tenant["headers"]).status == 204
    assert drain() == 1
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "failed" and "NOT_FOUND" in done["error"]["code"], done


def test_a_planning_outage_is_retried_by_the_queue_and_then_plans(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    configuration = connected(client, tenant, affinity, attio)
    configuration["retry_policy"] = {"max_retries": 1, "backoff_seconds": 0.01, "max_backoff_seconds": 0.02}
    job = submit(client, tenant, **configuration).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    affinity.fail_next(2, 503)  # more than the policy's one retry: the plan's first delivery gives up
    ran, raised = take_and_run(queue, engine)
    assert ran == 1 and len(raised) == 1 and getattr(raised[0], "code", "") == "REMOTE_UNAVAILABLE"
    assert job_of(client, tenant, job["id"])["status"] == "queued"  # not failed: the queue tries it again
    drain()
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "completed_with_errors" and done["progress"]["processed"] == 275, done


def test_a_token_revoked_mid_run_fails_each_batch_once_with_the_reason(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    job = submit(client, tenant, **connected(client, tenant, affinity, attio)).json()
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    assert take_and_run(queue, engine) == (1, [])  # planned with the good token
    attio.token = "revoked"
    ran, raised = take_and_run(queue, engine)
    assert (ran, raised) == (4, [])  # every batch recorded on its first delivery, none left to the queue
    assert not list(queue.peek_messages())
    done = job_of(client, tenant, job["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "ALL_BATCHES_FAILED", done
    assert done["error"]["details"]["reason"].startswith("REMOTE_UNAUTHORIZED: The Attio API refused")
    # one refused write per batch (a persons batch tries its first person's company), not one per record
    assert sum(path.startswith("PUT") for path in attio.seen_paths) == 4


def affinity_notes() -> list[dict[str, Any]]:
    """120 plain notes on persons 0..119, an HTML note on an organization, and three that cannot move."""
    notes: list[dict[str, Any]] = [
        {
            "id": 80_000 + n,
            "content": f"Call {n}\nDiscussed the renewal with person {n}.",
            "associated_person_ids": [1_000_000 + n],
            "organization_ids": [5_000_000 + n % 30],  # the person's organization: the person comes first
            "created_at": f"2025-01-01T10:{n % 60:02d}:00Z",
        }
        for n in range(120)
    ]
    notes += [
        {
            "id": 81_000,
            "type": 2,
            "content": "<p>Met the <b>team</b> at Org 4</p><p>Next &amp; steps</p>",
            "organization_ids": [5_000_004],
            "created_at": "2025-02-01T09:00:00Z",
        },
        {"id": 81_001, "content": "On a deal only", "opportunity_ids": [7000]},  # no person, no organization
        {"id": 81_002, "content": "", "associated_person_ids": [1_000_001]},  # nothing to write
        {"id": 81_003, "content": "About someone without email", "associated_person_ids": [1_000_049]},
    ]
    return notes


def test_notes_move_onto_the_records_written_for_their_parents_once(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    affinity.load_notes(affinity_notes())
    configuration = connected(client, tenant, affinity, attio)
    configuration["objects"] = ["notes"]  # no persons or organizations: each parent is written on demand
    reply = submit(client, tenant, **configuration)
    assert reply.status == 202, reply.body
    job_id = reply.json()["id"]
    engine = deps.jobs()
    queue = engine.storage.queue(WORK_QUEUE)
    assert take_and_run(queue, engine) == (1, [])
    batches = [json.loads(m.content) for m in queue.receive_messages(messages_per_page=32, max_messages=32)]
    assert len(batches) == 2  # 124 notes in batches of 100
    queue.clear_messages()
    with ThreadPoolExecutor(2) as pool:  # every batch delivered twice, at the same time
        list(pool.map(lambda message: engine.process(dict(message)), batches + batches))
    done = job_of(client, tenant, job_id)
    assert done["status"] == "completed_with_errors", done
    # persons 49 and 99 have no email: their notes' parents cannot be written (2), and 81001..81003
    assert (done["summary"]["processed_records"], done["summary"]["failed_records"]) == (119, 5)
    assert "GET /notes" in affinity.seen_paths

    notes = list(attio.notes.values())
    assert len(notes) == 119
    people = attio.people_by_email()
    by_title = {note["title"]: note for note in notes}
    call = by_title["Call 7"]
    assert (call["parent_object"], call["parent_record_id"]) == ("people", people["person7@mail.example"]["record_id"])
    assert call["content_plaintext"] == "Call 7\nDiscussed the renewal with person 7."
    assert call["format"] == "plaintext" and call["created_at"] == "2025-01-01T10:07:00Z"
    html_note = by_title["Met the team at Org 4"]
    assert html_note["parent_object"] == "companies"
    assert company_domain(attio, html_note["parent_record_id"]) == "org4.example"
    assert html_note["content_plaintext"] == "Met the team at Org 4\nNext & steps"

    rows = client.get(f"/api/v1/jobs/{job_id}/results", headers=tenant["headers"]).json()["rows"]
    failed = {row["source_id"]: (row["step"], row["reason"]) for row in rows}
    assert failed["81001"] == ("relation", "the note is on no record the job maps")
    assert failed["81002"][0] == "map" and "content" in failed["81002"][1]
    assert failed["81003"][0] == "relation" and "email_addresses" in failed["81003"][1]

    # A re-run of the whole migration (a new job, a new id map) finds every note on its parent.
    posts = attio.seen_paths.count("POST /v2/notes")
    assert posts == 119
    rerun = submit(client, tenant, **configuration).json()
    drain()
    assert job_of(client, tenant, rerun["id"])["summary"]["processed_records"] == 119
    assert len(attio.notes) == 119 and attio.seen_paths.count("POST /v2/notes") == posts


def test_notes_after_their_parents_and_a_dry_run_of_notes(
    client: InProcessClient, make_tenant: Callable[..., Tenant], affinity: FakeAffinity, attio: FakeAttio
) -> None:
    tenant = make_tenant()
    affinity.load_notes(affinity_notes())
    configuration = connected(client, tenant, affinity, attio)
    configuration["objects"] = ["organizations", "persons", "notes"]
    dry = submit(client, tenant, dry_run=True, **configuration).json()
    drain()
    summary = job_of(client, tenant, dry["id"])["summary"]["objects"]["notes"]
    assert (summary["would_create"], summary["failed"]) == (123, 1) and not attio.notes  # only the map step runs
    job = submit(client, tenant, **configuration).json()
    drain()
    done = job_of(client, tenant, job["id"])
    assert done["summary"]["objects"]["notes"]["written"] == 119
    assert len(attio.records["people"]) == 245 and len(attio.notes) == 119
    people = attio.people_by_email()
    assert {note["parent_record_id"] for note in attio.notes.values() if note["title"].startswith("Call ")} == {
        people[f"person{n}@mail.example"]["record_id"] for n in range(120) if n not in (49, 99)
    }
