"""A migration job's map from source record id to target record id, in Table storage.

What makes writes idempotent across re-runs, duplicate messages and retried batches, and what
keeps relations. Table ``migrationmap``, one partition per job and source object
(``<tenant>:<job>:<object>``):

- ``p:<batch>:<run>:<seq>``: what one run of a batch wrote, a page at a time, as JSON objects
  ``{source id: record id}`` of up to 250 records each in properties ``ids``, ``ids1``.. ``ids3``
  (a string property holds 32K characters), so a page of up to 1,000 records is one write. A
  batch that runs again reads its own rows (one RowKey range) and skips what they hold, so a
  retry re-writes only what failed.
- ``r:<source id>``: a record a batch wrote because another record pointed at it (a person's
  organization that no batch had written yet), found by a point read.

A batch whose writes are not idempotent on their own (notes: Attio creates a note, it has no
assert) holds a lease while it runs, row ``l:<batch>`` in partition ``<tenant>:<job>:<object>|lease``:
a duplicate delivery of that batch running at the same time waits for it, then reads the map and
skips what the first wrote. The lease has an expiry, so a run that died does not hold it for good.

Reading everything a job wrote of an object is one partition query (a row or two per thousand
records), which is how a batch resolves relations. One row per page, not per record: an
entity-group transaction of 100 rows costs Azure's multipart encoding and is slower than the
asserts it records.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from azure.core import MatchConditions
from azure.core.exceptions import (
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)

from shared.storage.base import TableRepository

MIGRATION_MAP = "migrationmap"
_CHUNK = 250
"""Ids per property: 250 pairs of ids stay well under a string property's 32K characters."""
_PROPERTIES = ("ids", "ids1", "ids2", "ids3")
_ATTEMPTS = 4
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_.:@+=-]{1,200}$")
T = TypeVar("T")


def key_of(source_id: str) -> str:
    """A source id as a RowKey: as it is when it is a plain one, else a digest (a dataset's ids are anyone's text)."""
    if _PLAIN_KEY.match(source_id):
        return source_id
    return "~" + hashlib.sha256(source_id.encode()).hexdigest()


def _partition(tenant_id: str, job_id: str, object_name: str) -> str:
    return f"{tenant_id}:{job_id}:{object_name}"


def _retrying(call: Callable[[], T]) -> T:
    """Reads and upserts here are idempotent: one the service dropped (a reset connection) is sent again."""
    for attempt in range(_ATTEMPTS):
        try:
            return call()
        except (ServiceRequestError, ServiceResponseError):
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _merged(rows: Iterable[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in rows:
        if str(row["RowKey"]).startswith("p:"):
            for name in _PROPERTIES:
                if row.get(name):
                    found.update(json.loads(row[name]))
        else:
            found[str(row["id"])] = str(row["r"])
    return found


class BatchRecorder:
    """Records what one run of one batch writes, a page at a time."""

    def __init__(self, repository: MigrationMap, partition: str, batch: int) -> None:
        self._repository = repository
        self._partition = partition
        self._prefix = f"p:{batch:06d}:{uuid.uuid4().hex[:12]}:"
        self._seq = 0

    def add(self, written: list[tuple[str, str]]) -> None:
        per_row = _CHUNK * len(_PROPERTIES)
        for start in range(0, len(written), per_row):
            row = written[start : start + per_row]
            entity: dict[str, Any] = {"PartitionKey": self._partition, "RowKey": f"{self._prefix}{self._seq:05d}"}
            for index, name in enumerate(_PROPERTIES):
                chunk = row[index * _CHUNK : (index + 1) * _CHUNK]
                if chunk:
                    entity[name] = json.dumps(dict(chunk))
            self._seq += 1
            self._repository.upsert(entity)


class BatchLease:
    """One run's hold on one batch (see the module); renewed as the batch goes, released at its end."""

    def __init__(self, repository: MigrationMap, entity: dict[str, Any], etag: str, seconds: float) -> None:
        self._repository = repository
        self._entity = entity
        self._etag = etag
        self._seconds = seconds
        self._renewed = time.monotonic()

    def renew(self) -> bool:
        """Extend the lease when a third of it is gone; False when another run took it (it had expired)."""
        if time.monotonic() - self._renewed < self._seconds / 3:
            return True
        self._entity["until"] = time.time() + self._seconds
        try:
            meta = self._repository.table.update_entity(
                self._entity, etag=self._etag, match_condition=MatchConditions.IfNotModified
            )
        except (ResourceModifiedError, ResourceNotFoundError):
            return False
        self._etag, self._renewed = meta["etag"], time.monotonic()
        return True

    def release(self) -> None:
        try:
            self._repository.table.delete_entity(
                self._entity["PartitionKey"],
                self._entity["RowKey"],
                etag=self._etag,
                match_condition=MatchConditions.IfNotModified,
            )
        except (ResourceModifiedError, ResourceNotFoundError):
            return  # it expired and another run holds it now


class MigrationMap(TableRepository):
    TABLE = MIGRATION_MAP

    def written_in_batch(self, tenant_id: str, job_id: str, object_name: str, batch: int) -> dict[str, str]:
        """Source id -> target record id of what earlier runs of batch ``batch`` wrote (one range query)."""
        partition = _partition(tenant_id, job_id, object_name)
        return _retrying(lambda: _merged(self.in_range(partition, f"p:{batch:06d}:")))

    def all_of(self, tenant_id: str, job_id: str, object_name: str) -> dict[str, str]:
        """Source id -> record id of every record of ``object_name`` the job wrote (one partition query)."""
        partition = _partition(tenant_id, job_id, object_name)

        def read() -> dict[str, str]:
            return _merged(self.table.query_entities("PartitionKey eq @pk", parameters={"pk": partition}))

        return _retrying(read)

    def lookup(self, tenant_id: str, job_id: str, object_name: str, source_id: str) -> str | None:
        row = _retrying(lambda: self.get_or_none(_partition(tenant_id, job_id, object_name), f"r:{key_of(source_id)}"))
        return None if row is None else str(row["r"])

    def record_related(self, tenant_id: str, job_id: str, object_name: str, source_id: str, record_id: str) -> None:
        entity = {
            "PartitionKey": _partition(tenant_id, job_id, object_name),
            "RowKey": f"r:{key_of(source_id)}",
            "id": source_id,
            "r": record_id,
        }
        self.upsert(entity)

    def upsert(self, entity: dict[str, Any]) -> None:
        _retrying(lambda: self.table.upsert_entity(entity))

    def lease(self, tenant_id: str, job_id: str, object_name: str, batch: int, seconds: float) -> BatchLease | None:
        """Hold batch ``batch`` for ``seconds``; None while another run holds it and its lease has not expired."""
        entity: dict[str, Any] = {
            "PartitionKey": _partition(tenant_id, job_id, object_name) + "|lease",
            "RowKey": f"l:{batch:06d}",
            "owner": uuid.uuid4().hex,
            "until": time.time() + seconds,
        }
        try:
            meta = self.table.create_entity(entity)
            return BatchLease(self, entity, meta["etag"], seconds)
        except ResourceExistsError:
            pass
        held = self.get_or_none(entity["PartitionKey"], entity["RowKey"])
        if held is None:
            return None  # released just now: the caller asks again
        if float(held.get("until", 0)) > time.time():
            return None
        try:  # it expired: take it over, unless another run got there first
            meta = self.table.update_entity(
                entity, etag=held.metadata["etag"], match_condition=MatchConditions.IfNotModified
            )
        except (ResourceModifiedError, ResourceNotFoundError):
            return None
        return BatchLease(self, entity, meta["etag"], seconds)

    def recorder(self, tenant_id: str, job_id: str, object_name: str, batch: int) -> BatchRecorder:
        return BatchRecorder(self, _partition(tenant_id, job_id, object_name), batch)
