"""A migration job's map from source record id to target record id, in Table storage.

What makes writes idempotent across re-runs, duplicate messages and retried batches, and what
keeps relations: table ``migrationmap``,

- PartitionKey ``<tenant>:<job>:<object>``, RowKey the source id -> ``record_id``: every record the
  job wrote, found by id (a person's organization, whichever batch wrote it first);
- PartitionKey ``<tenant>:<job>:<object>:<batch>``, RowKey the source id: what one batch wrote, read
  in one query when the batch runs again, so a retry re-writes only the records that failed.

Rows are written in entity-group transactions of up to 100 (one partition each).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from azure.data.tables import TableTransactionError

from shared.storage.base import TableRepository

MIGRATION_MAP = "migrationmap"
_TRANSACTION = 100
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_.:@+=-]{1,200}$")


def key_of(source_id: str) -> str:
    """A source id as a RowKey: as it is when it is a plain one, else a digest (a dataset's ids are anyone's text)."""
    if _PLAIN_KEY.match(source_id):
        return source_id
    return "~" + hashlib.sha256(source_id.encode()).hexdigest()


def _object_partition(tenant_id: str, job_id: str, object_name: str) -> str:
    return f"{tenant_id}:{job_id}:{object_name}"


def _batch_partition(tenant_id: str, job_id: str, object_name: str, batch: int) -> str:
    return f"{tenant_id}:{job_id}:{object_name}:{batch:06d}"


class MigrationMap(TableRepository):
    TABLE = MIGRATION_MAP

    def written_in_batch(self, tenant_id: str, job_id: str, object_name: str, batch: int) -> dict[str, str]:
        """``key_of(source id)`` -> target record id of what batch ``batch`` wrote before (one partition query)."""
        partition = _batch_partition(tenant_id, job_id, object_name, batch)
        rows = self.table.query_entities("PartitionKey eq @pk", parameters={"pk": partition}, select=["RowKey", "r"])
        return {row["RowKey"]: row["r"] for row in rows}

    def all_of(self, tenant_id: str, job_id: str, object_name: str) -> dict[str, str]:
        """``key_of(source id)`` -> record id of every record of ``object_name`` the job wrote (one query)."""
        partition = _object_partition(tenant_id, job_id, object_name)
        rows = self.table.query_entities("PartitionKey eq @pk", parameters={"pk": partition}, select=["RowKey", "r"])
        return {row["RowKey"]: row["r"] for row in rows}

    def lookup(self, tenant_id: str, job_id: str, object_name: str, source_id: str) -> str | None:
        row = self.get_or_none(_object_partition(tenant_id, job_id, object_name), key_of(source_id))
        return None if row is None else str(row["r"])

    def record(
        self, tenant_id: str, job_id: str, object_name: str, batch: int | None, written: Iterable[tuple[str, str]]
    ) -> None:
        """Remember ``(source id, record id)`` pairs for the job, and for ``batch`` when given."""
        pairs = list(written)
        partitions = [_object_partition(tenant_id, job_id, object_name)]
        if batch is not None:
            partitions.append(_batch_partition(tenant_id, job_id, object_name, batch))
        for partition in partitions:
            for start in range(0, len(pairs), _TRANSACTION):
                chunk = pairs[start : start + _TRANSACTION]
                operations = [
                    ("upsert", {"PartitionKey": partition, "RowKey": key_of(source_id), "r": record_id})
                    for source_id, record_id in dict(chunk).items()
                ]
                try:
                    self.table.submit_transaction(operations)
                except TableTransactionError:
                    for _, entity in operations:
                        self.table.upsert_entity(entity)
