"""Datasets in storage: the file in blob container ``datasets`` at
``{tenant_id}/{dataset_id}/data.{csv|jsonl}``, its metadata in Table ``datasets``
(PartitionKey tenant id, RowKey dataset id), so another tenant's dataset is simply not found.

Besides what the API shows, an entity keeps what a job needs to read the file in batches:
``chunk_rows``, the byte ``offsets`` of every ``chunk_rows``-th data row (a JSON list) and, for
CSV, the ``header`` text a batch prepends to its ranged download.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.data.tables import TableEntity

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.datasets import Dataset
from shared.storage.base import TableRepository
from shared.storage.clients import StorageClients

DATASETS_TABLE = "datasets"
DATASETS_CONTAINER = "datasets"
MAX_LISTED_MATCHES = 10
"""How many datasets an ambiguous name's 409 lists."""
_BY_NAME = "PartitionKey eq @pk and ( name eq @value or filename eq @value )"


def blob_name(tenant_id: str, dataset_id: str, fmt: str) -> str:
    return f"{tenant_id}/{dataset_id}/data.{fmt}"


@dataclass(frozen=True)
class DatasetRecord:
    """A dataset plus where its file is and how to read it in chunks."""

    dataset: Dataset
    tenant_id: str
    blob: str
    header: str
    offsets: list[int]
    chunk_rows: int


def _dataset(entity: TableEntity) -> Dataset:
    return Dataset(
        id=entity["RowKey"],
        name=entity["name"],
        filename=entity.get("filename"),
        format=entity["format"],
        columns=json.loads(entity["columns"]),
        row_count=entity["row_count"],
        malformed_rows=entity.get("malformed_rows", 0),
        size_bytes=entity["size_bytes"],
        created_at=entity["created_at"],
    )


def _record(entity: TableEntity) -> DatasetRecord:
    return DatasetRecord(
        dataset=_dataset(entity),
        tenant_id=entity["PartitionKey"],
        blob=entity["blob"],
        header=entity.get("header") or "",
        offsets=json.loads(entity["offsets"]),
        chunk_rows=entity["chunk_rows"],
    )


class DatasetRepository(TableRepository):
    TABLE = DATASETS_TABLE

    def __init__(self, clients: StorageClients) -> None:
        super().__init__(clients)
        self._container: Any = None
        self._lock = threading.Lock()

    @property
    def container(self) -> Any:
        """The ``datasets`` container, created on this process's first use."""
        if self._container is None:
            with self._lock:
                if self._container is None:
                    client = self._clients.blobs.get_container_client(DATASETS_CONTAINER)
                    try:
                        client.create_container()
                    except ResourceExistsError:
                        pass
                    self._container = client
        return self._container

    def add(self, record: DatasetRecord, data: bytes, content_type: str) -> None:
        """Upload the file, then the metadata; a failed metadata write removes the file again."""
        from azure.storage.blob import ContentSettings

        blob = self.container.get_blob_client(record.blob)
        blob.upload_blob(data, overwrite=True, content_settings=ContentSettings(content_type=content_type))
        dataset = record.dataset
        entity = {
            "PartitionKey": record.tenant_id,
            "RowKey": dataset.id,
            "name": dataset.name,
            "filename": dataset.filename,
            "format": dataset.format,
            "columns": json.dumps(dataset.columns, separators=(",", ":")),
            "row_count": dataset.row_count,
            "malformed_rows": dataset.malformed_rows,
            "size_bytes": dataset.size_bytes,
            "created_at": dataset.created_at,
            "blob": record.blob,
            "header": record.header,
            "offsets": json.dumps(record.offsets, separators=(",", ":")),
            "chunk_rows": record.chunk_rows,
        }
        try:
            self.table.create_entity(entity)
        except Exception:
            try:
                blob.delete_blob()
            except ResourceNotFoundError:
                pass
            raise

    def get(self, tenant_id: str, dataset_id: str) -> DatasetRecord | None:
        entity = self.get_or_none(tenant_id, dataset_id)
        return _record(entity) if entity is not None else None

    def resolve(self, tenant_id: str, id_or_name: str) -> DatasetRecord | None:
        """The dataset with this id, else the one whose name or file name this is (what a seed client
        sends as ``data_source``); ``None`` when there is none, a 409 listing them when several match.

        An id is one point read; a name is a filtered query of the tenant's partition.
        """
        found = self.get(tenant_id, id_or_name)
        if found is not None:
            return found
        matches = self.table.query_entities(
            _BY_NAME, parameters={"pk": tenant_id, "value": id_or_name}, results_per_page=MAX_LISTED_MATCHES
        )
        records = [_record(entity) for entity in _first(matches, MAX_LISTED_MATCHES)]
        if len(records) > 1:
            raise Conflict(
                "data_source names more than one dataset by name; send one's id instead (see details.datasets).",
                code="DATASET_NAME_AMBIGUOUS",
                details={
                    "field": "body.configuration.data_source",
                    "datasets": [
                        {
                            "id": record.dataset.id,
                            "name": record.dataset.name,
                            "filename": record.dataset.filename,
                            "created_at": record.dataset.created_at.isoformat(),
                        }
                        for record in records
                    ],
                },
            )
        return records[0] if records else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Dataset]:
        return self.partition_page(tenant_id, page, _dataset)

    def delete(self, record: DatasetRecord) -> None:
        """Remove the file first, then the metadata (a crash in between leaves a dataset whose
        deletion can simply be repeated, never an orphaned file nobody lists)."""
        try:
            self.container.get_blob_client(record.blob).delete_blob()
        except ResourceNotFoundError:
            pass
        self.delete_if_present(record.tenant_id, record.dataset.id)

    def read_range(self, blob: str, offset: int, end: int) -> bytes:
        """Bytes ``[offset, end)`` of a dataset file, with one ranged download."""
        if end <= offset:
            return b""
        data: bytes = self.container.get_blob_client(blob).download_blob(offset=offset, length=end - offset).readall()
        return data

    def blob_exists(self, blob: str) -> bool:
        try:
            self.container.get_blob_client(blob).get_blob_properties()
        except ResourceNotFoundError:
            return False
        return True


def _first(entities: Any, count: int) -> list[TableEntity]:
    found: list[TableEntity] = []
    for entity in entities:
        found.append(entity)
        if len(found) >= count:
            break
    return found
