"""The ``migration`` job type: page a source, map each record, assert it into a target.

Submission (``validate``): the systems are checked against the registered connectors (400 listing
them), connections and datasets must exist and be of the right system, and inline credentials are
sealed at once into a connection owned by the job; the configuration the engine stores then names
only that connection.

The plan pages through each object's records (or takes the count a dataset knows) and cuts them
into batches of ``batch_size``: a batch is a source cursor, how many records of that page to skip,
and how many to take, so batches fan out across instances and each is retried on its own. The
engine's job ``total`` is the sum of the batches' ``rows``.

A batch reads its records page by page and, for each: maps it (a record without its matching
attribute fails with step ``map``); resolves its relations to target record ids through the job's
map (``MigrationMap``), writing a related record first when no batch has yet; asserts it into the
target (a ``400`` fails the record with the target's reason, step ``write``); and remembers the
written ids. Records the batch wrote on an earlier run are skipped, so a duplicate message, a
retried batch or ``retry {"failed_only": true}`` re-writes only what failed; a re-run of the whole
job asserts again and updates the same records. ``dry_run`` reads and maps everything, looks the
records up in the target, and writes nothing.

Notes (target ``notes``) are not asserted: each goes on the record written for its first related
record (a person, else an organization), found again on that parent by title and text before it
is created, so a re-run finds it. Within a job the map skips what a batch wrote; because creating
a note is not idempotent by itself, a notes batch also holds a lease (``MigrationMap.lease``), so a
duplicate delivery running at the same time waits and then skips what the first run wrote.

Refusals that retrying cannot mend (``permanent``) are ``PermanentFailure``: a plan that meets
one fails the job at once with the API's reason, a batch is recorded failed on its first run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from shared.errors import (
    BadRequest,
    DomainError,
    InternalError,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    ValidationFailed,
)
from shared.jobs.registry import BatchContext, BatchOutcome, JobType, PermanentFailure
from shared.models.migrations import MigrationConfig, ObjectMapping
from shared.providers.affinity import list_id_of
from shared.providers.connectors import MissingField, RecordRef, Source, SourceRecord, Target
from shared.providers.remote_api import RemoteRejected, RetryPolicy
from shared.services.connections import ConnectionsService, OpenConnection
from shared.services.migration_sources import (
    CONNECTION_SYSTEM,
    DEFAULT_MAPPING,
    DEFAULT_MATCHING,
    DEFAULT_OBJECTS,
    NOTES_TARGET,
    SOURCE_OBJECTS,
    SOURCE_SYSTEMS,
    TARGET_SYSTEMS,
    first_value,
    has_object,
    open_source,
    open_target,
)
from shared.storage.datasets import DatasetRecord, DatasetRepository
from shared.storage.migration_map import BatchLease, MigrationMap

RESULT_COLUMNS = ("object", "source_id", "step", "reason")
LEASE_SECONDS = 300.0
"""How long a notes batch holds its lease without renewing it (it renews every page)."""
LEASE_WAIT_SECONDS = 60.0
LEASE_POLL_SECONDS = 0.25
CANCEL_CHECK_SECONDS = 1.0
OPEN_CONNECTION_SECONDS = 30.0
"""How long a batch may use a connection this process opened before (see ``MigrationJobs._open``)."""
OPEN_CONNECTIONS_KEPT = 256
"""How often a running batch reads its job to see a cancel: it stops within this long (and a page)."""
TRANSIENT_REFUSALS = frozenset({408, 409, 425})
"""``4xx`` answers that may pass (a timeout, a conflict, too early); every other one (``401``,
``403``, ``404``, ``422``...) says the same thing again however often it is asked."""
WHOLE_JOB_REFUSALS = frozenset({401, 403, 404})
"""A target's refusals that are not about one record (the token, its scopes, the object itself):
they stop the batch for good instead of failing every record one by one with the same reason."""
_TRANSIENT_ERRORS = (ServiceUnavailable, RateLimited, InternalError)


def permanent(error: Exception) -> PermanentFailure | None:
    """``error`` as a failure that retrying cannot mend, or None when it may pass (the queue retries).

    Permanent: an API's ``4xx`` refusal other than ``408``/``409``/``425`` (``429`` never gets here,
    the client waits it out), and our own refusals of the configuration (a connection or dataset
    that is gone, a ``base_url`` the address rules no longer allow). Transient: ``5xx``, timeouts
    and ``429`` storms past their bound (``RemoteUnavailable``), storage outages."""
    if isinstance(error, RemoteRejected):
        if error.status in TRANSIENT_REFUSALS:
            return None
        kind = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND"}.get(error.status, "REJECTED")
        return PermanentFailure(
            f"REMOTE_{kind}",
            f"The {error.api} API refused the job's request with {error.status}: {error.reason}",
            status=error.status,
            api=error.api,
        )
    if isinstance(error, DomainError) and not isinstance(error, _TRANSIENT_ERRORS):
        return PermanentFailure(error.code, error.message)
    return None


def _field_error(path: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(
        message,
        code=code,
        details={"fields": [{"path": f"body.configuration.{path}", "message": message, "type": code.lower()}]},
    )


def objects_of(config: MigrationConfig) -> list[str]:
    return list(config.objects or DEFAULT_OBJECTS.get(config.source_system, []))


def mapping_of(config: MigrationConfig, object_name: str) -> ObjectMapping | None:
    return config.mapping.get(object_name) or DEFAULT_MAPPING.get(config.source_system, {}).get(object_name)


def matching_of(config: MigrationConfig, target_object: str) -> str | None:
    return config.matching_attribute.get(target_object) or DEFAULT_MATCHING.get(target_object)


def policy_of(config: MigrationConfig) -> RetryPolicy:
    retry = config.retry_policy
    return RetryPolicy(
        max_retries=retry.max_retries,
        backoff_seconds=retry.backoff_seconds,
        max_backoff_seconds=retry.max_backoff_seconds,
        timeout_seconds=retry.timeout_seconds,
    )


def map_record(record: SourceRecord, mapping: ObjectMapping, matching: str) -> dict[str, Any]:
    """The record's mapped values (relations left out); ``MissingField`` without the matching attribute."""
    if "$error" in record.fields:
        raise MissingField("$row", {"reason": str(record.fields["$error"])})
    values: dict[str, Any] = {}
    for source_field, attribute in mapping.fields.items():
        value = record.fields.get(source_field)
        if value is None or value == "" or value == []:
            continue
        values[attribute] = value
    if first_value(values.get(matching)) in (None, ""):
        raise MissingField(matching)
    return values


@dataclass
class _Tally:
    processed: int = 0
    failed: int = 0
    written: int = 0
    skipped: int = 0
    would_create: int = 0
    would_update: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, object_name: str, source_id: str, step: str, reason: str) -> None:
        self.failed += 1
        self.rows.append({"object": object_name, "source_id": source_id, "step": step, "reason": reason[:500]})


def _summarize(states: list[dict[str, Any]]) -> dict[str, Any]:
    objects: dict[str, dict[str, Any]] = {}
    totals = {"throttled": 0, "retried": 0}
    dry_run = False
    for state in states:
        entry = objects.setdefault(
            state["object"],
            {
                "target": state["target"],
                "processed": 0,
                "failed": 0,
                "written": 0,
                "skipped": 0,
                "would_create": 0,
                "would_update": 0,
            },
        )
        for key in ("processed", "failed", "written", "skipped", "would_create", "would_update"):
            entry[key] += int(state.get(key, 0))
        totals["throttled"] += int(state.get("throttled", 0))
        totals["retried"] += int(state.get("retried", 0))
        dry_run = dry_run or bool(state.get("dry_run"))
    processed = sum(entry["processed"] for entry in objects.values())
    failed = sum(entry["failed"] for entry in objects.values())
    return {
        "dry_run": dry_run,
        "objects": objects,
        **totals,
        # Seed 003's record counters. They live in the summary, not beside ``progress`` at the job's
        # top level: the seed 002 surface (/api/jobs) answers exactly the published job sample's
        # fields (tests/contract/test_seed_jobs_surface.py), so a field added to every job would
        # break that contract. Every record read ends processed (written or already written) or failed.
        "total_records": processed + failed,
        "processed_records": processed,
        "failed_records": failed,
    }


class MigrationJobs:
    """The job type's handlers, on the services its factories give (rebuilt after ``deps.reset``)."""

    def __init__(
        self,
        connections: Callable[[], ConnectionsService],
        migration_map: Callable[[], MigrationMap],
        datasets: Callable[[], DatasetRepository],
    ) -> None:
        self._connections = connections
        self._map = migration_map
        self._datasets = datasets
        self._opened: dict[tuple[str, str], tuple[float, OpenConnection]] = {}
        self._opened_lock = threading.Lock()

    # ---------------------------------------------------------------- submission

    def validate(self, tenant_id: str, config: BaseModel) -> MigrationConfig:
        assert isinstance(config, MigrationConfig)
        for name, value, known in (
            ("source_system", config.source_system, SOURCE_SYSTEMS),
            ("target_system", config.target_system, TARGET_SYSTEMS),
        ):
            if value not in known:  # the caller's value is not echoed; the known systems are ours to list
                raise BadRequest(
                    f"Unknown {name}; see details.known.",
                    code="UNKNOWN_SYSTEM",
                    details={"field": f"body.configuration.{name}", "known": list(known)},
                )
        config = config.model_copy(
            update={
                "source_config": self._check_endpoint(tenant_id, config, "source_config", config.source_system),
                "target_config": self._check_endpoint(tenant_id, config, "target_config", config.target_system),
            }
        )
        for position, object_name in enumerate(objects_of(config)):
            if not has_object(config.source_system, object_name):
                raise ValidationFailed(
                    "The source has no such object; see details.known.",
                    code="UNKNOWN_OBJECT",
                    details={
                        "fields": [
                            {
                                "path": f"body.configuration.objects.{position}",
                                "type": "unknown_object",
                                "message": "not an object of this source",
                            }
                        ],
                        "known": list(SOURCE_OBJECTS[config.source_system]),
                    },
                )
            mapping = mapping_of(config, object_name)
            if mapping is None:
                raise _field_error(
                    f"objects.{position}", "no mapping for this object; add it to mapping.", "NO_MAPPING"
                )
            if matching_of(config, mapping.target) is None:
                raise _field_error(
                    "matching_attribute",
                    "a target object has no matching attribute; name one.",
                    "NO_MATCHING_ATTRIBUTE",
                )
        self._check_lists(tenant_id, config)
        return config

    def _check_lists(self, tenant_id: str, config: MigrationConfig) -> None:
        """A list the source does not have is refused now, not found when the plan pages it: a plan
        that fails is retried by the queue like a passing outage, so the job would only fail late.
        One small read per list object; any answer but 404 leaves the list to the plan."""
        lists = [(position, name) for position, name in enumerate(objects_of(config)) if list_id_of(name)]
        if not lists or config.source_system != "affinity":
            return
        source = self._source(tenant_id, config, fresh=True)
        for position, object_name in lists:
            try:
                source.page(object_name, None, 1)
            except RemoteRejected as refused:
                if refused.status == 404:
                    raise _field_error(
                        f"objects.{position}", "the source has no list with this id.", "LIST_NOT_FOUND"
                    ) from None

    def _check_endpoint(self, tenant_id: str, config: MigrationConfig, name: str, system: str) -> Any:
        """The endpoint's configuration to store: an inline secret comes back sealed as a connection id."""
        given = getattr(config, name)
        if system == "dataset":
            if given.dataset_id is None:
                raise _field_error(name, "a dataset source names dataset_id.", "DATASET_REQUIRED")
            if self._datasets().get(tenant_id, given.dataset_id) is None:
                raise _field_error(
                    f"{name}.dataset_id", "no dataset of yours has this id; upload it first.", "DATASET_NOT_FOUND"
                )
            return given
        if given.dataset_id is not None:
            raise _field_error(
                f"{name}.dataset_id", "dataset_id goes with source_system dataset only.", "DATASET_NOT_ALLOWED"
            )
        wanted = CONNECTION_SYSTEM[system]
        if given.api_key is not None:
            inline = {
                "api_key": given.api_key.get_secret_value(),
                "base_url": given.base_url,
                "workspace_id": given.workspace_id,
            }
            connection_id = self._connections().seal_inline(tenant_id, wanted, inline, f"body.configuration.{name}")
            return type(given)(connection_id=connection_id)
        try:
            record = self._connections().load(tenant_id, given.connection_id)
        except NotFound:
            raise _field_error(
                f"{name}.connection_id", "no connection of yours has this id.", "CONNECTION_NOT_FOUND"
            ) from None
        if record.connection.system != wanted:
            raise _field_error(
                f"{name}.connection_id", f"this connection is not a {wanted} connection.", "CONNECTION_SYSTEM_MISMATCH"
            )
        return given

    # ---------------------------------------------------------------- opening the connectors

    def _open(self, tenant_id: str, connection_id: str, fresh: bool) -> OpenConnection:
        """The connection opened (read, unsealed, its address checked); batches reuse what this process
        opened in the last ``OPEN_CONNECTION_SECONDS`` instead of two reads per batch, while the plan
        (``fresh``) always reads it: a change or a delete is seen by the next job at once, by a running
        one within that time."""
        key, now = (tenant_id, connection_id), time.monotonic()
        if not fresh:
            with self._opened_lock:
                cached = self._opened.get(key)
            if cached is not None and cached[0] > now:
                return cached[1]
        opened = self._connections().open(tenant_id, connection_id)
        with self._opened_lock:
            if len(self._opened) >= OPEN_CONNECTIONS_KEPT:
                self._opened = {k: v for k, v in self._opened.items() if v[0] > now}
            self._opened[key] = (now + OPEN_CONNECTION_SECONDS, opened)
        return opened

    def _source(self, tenant_id: str, config: MigrationConfig, fresh: bool = False) -> Source:
        opened: OpenConnection | None = None
        dataset: DatasetRecord | None = None
        if config.source_system == "dataset":
            dataset = self._datasets().get(tenant_id, config.source_config.dataset_id or "")
            if dataset is None:
                raise NotFound("The job's dataset is gone.", code="DATASET_NOT_FOUND")
        else:
            opened = self._open(tenant_id, config.source_config.connection_id or "", fresh)
        return open_source(config.source_system, opened, dataset, self._datasets(), policy_of(config))

    def _target(self, tenant_id: str, config: MigrationConfig, fresh: bool = False) -> Target:
        opened = self._open(tenant_id, config.target_config.connection_id or "", fresh)
        return open_target(config.target_system, opened, policy_of(config))

    # ---------------------------------------------------------------- plan

    def plan(self, tenant_id: str, config: BaseModel) -> list[dict[str, Any]]:
        """The batches; a refusal that retrying cannot mend (a ``401`` from either side, a connection
        that is gone) is a ``PermanentFailure``, so the job fails at once with the API's reason."""
        assert isinstance(config, MigrationConfig)
        try:
            source = self._source(tenant_id, config, fresh=True)
            plans: list[dict[str, Any]] = []
            for object_name in objects_of(config):
                plans.extend(self._plan_object(source, object_name, config.batch_size))
            self._check_target(tenant_id, config)
        except (RemoteRejected, DomainError) as error:
            refused = permanent(error)
            if refused is None:
                raise
            raise refused from None
        return plans

    def _check_target(self, tenant_id: str, config: MigrationConfig) -> None:
        """One cheap authenticated call on the target, so a wrong token fails the job before any batch runs."""
        probe = self._target(tenant_id, config, fresh=True).probe()
        if not probe.ok:
            raise PermanentFailure(
                f"REMOTE_{probe.reason or 'REJECTED'}",
                f"The {config.target_system} API refused the job's credentials: {probe.message or probe.reason}",
                api=config.target_system,
            )

    @staticmethod
    def _plan_object(source: Source, object_name: str, batch_size: int) -> list[dict[str, Any]]:
        size = source.page_size(object_name)
        counted = source.count(object_name)
        if counted is not None:  # cursors are row offsets: no need to page through
            return [
                {
                    "object": object_name,
                    "cursor": str(start),
                    "skip": 0,
                    "rows": min(batch_size, counted - start),
                    "page": size,
                }
                for start in range(0, counted, batch_size)
            ]
        starts: list[tuple[str | None, int]] = []
        cursor: str | None = None
        position = 0
        while True:
            page = source.page(object_name, cursor, size)
            count = len(page.records)
            while len(starts) * batch_size < position + count:
                starts.append((cursor, len(starts) * batch_size - position))
            position += count
            if page.next_cursor is None or count == 0:
                break
            cursor = page.next_cursor
        return [
            {
                "object": object_name,
                "cursor": start,
                "skip": skip,
                "rows": min(batch_size, position - index * batch_size),
                "page": size,
            }
            for index, (start, skip) in enumerate(starts)
        ]

    # ---------------------------------------------------------------- one batch

    def run_batch(self, context: BatchContext, config: BaseModel, plan: dict[str, Any]) -> BatchOutcome:
        """One batch; a refusal retrying cannot mend stops it as a ``PermanentFailure`` (see ``plan``)."""
        assert isinstance(config, MigrationConfig)
        lease: BatchLease | None = None
        try:
            mapping = mapping_of(config, plan["object"])
            if mapping is not None and mapping.target == NOTES_TARGET and not config.dry_run:
                lease = self._hold(context, plan["object"])
            return self._run_batch(context, config, plan, lease)
        except (RemoteRejected, DomainError) as error:
            refused = permanent(error)
            if refused is None:
                raise
            raise refused from None
        finally:
            if lease is not None:
                lease.release()

    def _hold(self, context: BatchContext, object_name: str) -> BatchLease:
        """The batch's lease, waiting a while for a duplicate delivery that holds it to finish; a batch
        still held after that goes back to the queue (it will find the batch counted, or the lease free)."""
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        while True:
            lease = self._map().lease(
                context.tenant_id, context.job_id, object_name, context.batch_index, LEASE_SECONDS
            )
            if lease is not None:
                return lease
            if time.monotonic() > deadline:
                raise ServiceUnavailable("Another run of this batch holds it.", code="BATCH_BUSY")
            time.sleep(LEASE_POLL_SECONDS)

    def _run_batch(
        self, context: BatchContext, config: MigrationConfig, plan: dict[str, Any], lease: BatchLease | None
    ) -> BatchOutcome:
        object_name = plan["object"]
        mapping = mapping_of(config, object_name)
        assert mapping is not None
        matching = matching_of(config, mapping.target) or ""
        source = self._source(context.tenant_id, config)
        target = self._target(context.tenant_id, config)
        store = self._map()
        done = (
            {}
            if config.dry_run
            else store.written_in_batch(context.tenant_id, context.job_id, object_name, context.batch_index)
        )
        recorder = store.recorder(context.tenant_id, context.job_id, object_name, context.batch_index)
        relations = _Relations(self, context, config, source, target, store)
        notes = mapping.target == NOTES_TARGET  # a note is created on its parent's record, not asserted
        tally = _Tally()
        deferred: list[SourceRecord] = []

        def write(records: list[SourceRecord], may_write_related: bool) -> None:
            written: list[tuple[str, str]] = []
            try:
                for record in records:
                    if record.id in done:
                        tally.processed += 1
                        tally.skipped += 1
                        continue
                    try:
                        values = map_record(record, mapping, matching)
                    except MissingField as missing:
                        tally.fail(object_name, record.id, "map", missing.details.get("reason") or str(missing))
                        continue
                    try:
                        references = relations.references(record, mapping, may_write_related, first_only=notes)
                    except _NotYetWritten:
                        deferred.append(record)
                        continue
                    except _RelationFailed as failure:
                        tally.fail(object_name, record.id, "relation", failure.reason)
                        continue
                    parent = next(iter(references.values()), None)
                    if notes and parent is None:
                        tally.fail(object_name, record.id, "relation", "the note is on no record the job maps")
                        continue
                    try:
                        if parent is not None and notes:
                            result = target.add_note(parent, values)
                        else:
                            result = target.assert_record(mapping.target, matching, {**values, **references})
                    except RemoteRejected as refused:
                        if refused.status in WHOLE_JOB_REFUSALS:
                            raise
                        tally.fail(object_name, record.id, "write", f"{refused.status}: {refused.reason}")
                        continue
                    written.append((record.id, result.record_id))
                    tally.processed += 1
                    tally.written += 1
            finally:  # what was written is remembered even when the page stops half way (a 5xx storm)
                recorder.add(written)

        cancelled = False
        next_check = 0.0
        for records in _read(source, object_name, plan):
            if lease is not None and not lease.renew():
                raise ServiceUnavailable("The batch's lease was taken over by another run.", code="BATCH_LEASE_LOST")
            # The cancel check reads the job record: on the first page, then at most every CANCEL_CHECK_SECONDS,
            # not on every page (a page of asserts can take less time than the read).
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + CANCEL_CHECK_SECONDS
                cancelled = context.cancelled()
            if cancelled:
                context.log(f"batch {context.batch_index}: cancelled after {tally.processed + tally.failed} records")
                break
            if config.dry_run:
                self._dry_run_page(records, object_name, mapping, matching, target, tally)
            else:
                write(records, False)
        if deferred and not cancelled:
            # Records whose related record no batch had written yet: by now the related records' own
            # batches have most likely written them; what is still missing is written here, once.
            relations.refresh()
            write(deferred, True)
        apis = [getattr(source, "api", None), getattr(target, "api", None)]
        state = {
            "object": object_name,
            "target": mapping.target,
            "processed": tally.processed,
            "failed": tally.failed,
            "written": tally.written,
            "skipped": tally.skipped,
            "would_create": tally.would_create,
            "would_update": tally.would_update,
            "throttled": sum(api.throttled for api in apis if api is not None),
            "retried": sum(api.retried for api in apis if api is not None),
            "dry_run": config.dry_run,
        }
        context.log(
            f"batch {context.batch_index} ({object_name}): {tally.processed} processed, {tally.failed} failed, "
            f"{tally.skipped} already written"
        )
        return BatchOutcome(processed=tally.processed, failed=tally.failed, state=state, rows=tally.rows)

    @staticmethod
    def _dry_run_page(
        records: list[SourceRecord],
        object_name: str,
        mapping: ObjectMapping,
        matching: str,
        target: Target,
        tally: _Tally,
    ) -> None:
        mapped: list[tuple[SourceRecord, Any]] = []
        for record in records:
            try:
                values = map_record(record, mapping, matching)
            except MissingField as missing:
                tally.fail(object_name, record.id, "map", missing.details.get("reason") or str(missing))
                continue
            mapped.append((record, str(first_value(values[matching])).lower()))
        if mapping.target == NOTES_TARGET:  # notes cannot be looked up without their parents: all count as new
            tally.processed += len(mapped)
            tally.would_create += len(mapped)
            return
        found = target.find(mapping.target, matching, [value for _, value in mapped])
        for _, value in mapped:
            tally.processed += 1
            if value in found:
                tally.would_update += 1
            else:
                tally.would_create += 1

    def job_type(self) -> JobType:
        return JobType(
            name="migration",
            description="Move records from a source system (Affinity, a dataset) into a target (Attio), idempotently.",
            config_model=MigrationConfig,
            plan=self.plan,
            run_batch=self.run_batch,
            summarize=_summarize,
            result_columns=RESULT_COLUMNS,
            validate=self.validate,
        )


def _read(source: Source, object_name: str, plan: dict[str, Any]) -> Iterator[list[SourceRecord]]:
    """The batch's records, a source page at a time."""
    cursor: str | None = plan["cursor"]
    skip, left, size = int(plan["skip"]), int(plan["rows"]), int(plan["page"])
    while left > 0:
        page = source.page(object_name, cursor, size)
        records = page.records[skip : skip + left]
        skip = 0
        if records:
            yield records
        left -= len(records)
        if page.next_cursor is None or not page.records:
            return
        cursor = page.next_cursor


class _NotYetWritten(Exception):
    """A related record no batch has written yet: the record waits for the end of its batch."""


class _RelationFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Relations:
    """A batch's way to a related record's target id: the job's map, else write the related record now."""

    def __init__(
        self,
        jobs: MigrationJobs,
        context: BatchContext,
        config: MigrationConfig,
        source: Source,
        target: Target,
        store: MigrationMap,
    ) -> None:
        self._config, self._context, self._source, self._target, self._store = config, context, source, target, store
        self._known: dict[tuple[str, str], str] = {}
        self._loaded: set[str] = set()
        self._missing: set[tuple[str, str]] = set()

    def refresh(self) -> None:
        """Forget what was loaded: the next resolution reads what the job wrote again (one query per object)."""
        self._loaded.clear()
        self._missing.clear()

    def references(
        self, record: SourceRecord, mapping: ObjectMapping, may_write: bool, first_only: bool = False
    ) -> dict[str, RecordRef]:
        """The record's references; ``_NotYetWritten`` when one is missing and ``may_write`` is false.
        ``first_only``: only the first relation (in the mapping's order) the record has an id for."""
        found: dict[str, RecordRef] = {}
        for source_field, relation in mapping.relations.items():
            ids = record.fields.get(source_field) or []
            first = first_value(ids)
            if first is None:
                continue
            related = mapping_of(self._config, relation.object)
            if related is None:
                continue
            record_id = self._record_id(relation.object, str(first), related, may_write)
            found[relation.attribute] = RecordRef(related.target, record_id)
            if first_only:
                break
        return found

    def _record_id(self, object_name: str, source_id: str, mapping: ObjectMapping, may_write: bool) -> str:
        tenant_id, job_id = self._context.tenant_id, self._context.job_id
        if object_name not in self._loaded:  # one query for what other batches wrote, not one read per record
            self._loaded.add(object_name)
            for known_id, record_id in self._store.all_of(tenant_id, job_id, object_name).items():
                self._known[(object_name, known_id)] = record_id
        wanted = (object_name, source_id)
        known = self._known.get(wanted)
        if known is not None:
            return known
        if wanted in self._missing and not may_write:
            raise _NotYetWritten()
        known = self._store.lookup(tenant_id, job_id, object_name, source_id)
        if known is None and not may_write:
            self._missing.add(wanted)
            raise _NotYetWritten()
        if known is None:  # no batch has written it yet: write it now (its own batch will update the same record)
            related = self._source.get(object_name, source_id)
            if related is None:
                raise _RelationFailed(f"the related {object_name} record is not in the source")
            matching = matching_of(self._config, mapping.target) or ""
            try:
                values = map_record(related, mapping, matching)
                known = self._target.assert_record(mapping.target, matching, values).record_id
            except MissingField as missing:
                raise _RelationFailed(f"the related {object_name} record lacks {missing.field_name}") from None
            except RemoteRejected as refused:
                if refused.status in WHOLE_JOB_REFUSALS:
                    raise
                raise _RelationFailed(f"the related {object_name} record was refused: {refused.reason}") from None
            self._store.record_related(tenant_id, job_id, object_name, source_id, known)
        self._known[wanted] = known
        return known
