"""A migration job's map from source record id to target record id, in Table storage.

What makes writes idempotent across re-runs, duplicate messages and retried batches, and what
keeps relations. Table ``migrationmap``, one partition per job and source object
(``<tenant>:<job>:<object>``):

- ``p:<batch>:<run>:<seq>``: what one run of a batch wrote, a page at a time, as one JSON object
  ``{source id: record id}`` of up to 250 records. A batch that runs again reads its own rows
  (one RowKey range) and skips what they hold, so a retry re-writes only what failed.
- ``r:<source id>``: a record a batch wrote because another record pointed at it (a person's
  organization that no batch had written yet), found by a point read.

Reading everything a job wrote of an object is one partition query (a few rows per thousand
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

from azure.core.exceptions import ServiceRequestError, ServiceResponseError

from shared.storage.base import TableRepository

MIGRATION_MAP = "migrationmap"
_CHUNK = 250
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
            found.update(json.loads(row["ids"]))
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
        for start in range(0, len(written), _CHUNK):
            ids = dict(written[start : start + _CHUNK])
            entity = {
                "PartitionKey": self._partition,
                "RowKey": f"{self._prefix}{self._seq:05d}",
                "ids": json.dumps(ids),
            }
            self._seq += 1
            self._repository.upsert(entity)


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

    def recorder(self, tenant_id: str, job_id: str, object_name: str, batch: int) -> BatchRecorder:
        return BatchRecorder(self, _partition(tenant_id, job_id, object_name), batch)
