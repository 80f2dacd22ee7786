"""Uploading, listing and deleting evaluation datasets.

An upload is checked in one streaming pass (``inspect_dataset``: format, columns, row count),
then a second pass over the bytes records where every ``chunk_rows``-th data row starts, so a
``bulk_evaluation`` batch reads only its own byte range of the file.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from shared.clock import Clock
from shared.config import Settings
from shared.errors import NotFound, PayloadTooLarge, ValidationFailed
from shared.jobs.evaluation.datasets import DatasetFormat, detect_format, inspect_dataset
from shared.jobs.store import time_prefix
from shared.models.common import Page, PageQuery
from shared.models.datasets import Dataset, DatasetUploadQuery
from shared.storage.datasets import DatasetRecord, DatasetRepository, blob_name

MAX_OFFSETS_CHARS = 30_000
"""The JSON offsets list must fit a Table property comfortably (64 KiB of UTF-16)."""
MAX_HEADER_CHARS = 30_000
MAX_COLUMNS_CHARS = 30_000

CONTENT_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def new_dataset_id(now: datetime) -> str:
    """Ids sort newest first, like job ids, so a listing shows recent uploads first."""
    return f"ds_{time_prefix(now)}{secrets.token_hex(5)}"


# --------------------------------------------------------------------------- chunk offsets


@dataclass(frozen=True)
class Chunking:
    header: str
    """CSV: the text before the first data row (the header record); JSONL: empty."""
    offsets: list[int]
    """Byte offset of data row ``k * chunk_rows + 1`` (1-based) for every k."""
    chunk_rows: int
    row_count: int


def _read_line(buffer: io.BytesIO) -> bytes:
    """The next line as ``iter_rows`` reads it (a text stream with ``newline=""``): it ends at
    ``\n``, ``\r\n`` or a lone ``\r``. Splitting at ``\n`` only would hand the CSV reader a
    record with a bare ``\r`` inside, which it parses differently, and a batch would start
    mid-record."""
    start = buffer.tell()
    line = buffer.readline()
    cut = line.find(b"\r")
    if cut != -1 and line[cut + 1 : cut + 2] not in (b"\n", b""):
        line = line[: cut + 1]
        buffer.seek(start + cut + 1)
    return line


def _lines(buffer: io.BytesIO, first: list[bool]) -> Iterator[str]:
    while True:
        line = _read_line(buffer)
        if not line:
            return
        if first[0]:
            first[0] = False
            yield line.decode("utf-8-sig", errors="replace")
        else:
            yield line.decode("utf-8", errors="replace")


def _row_starts(data: bytes, fmt: DatasetFormat) -> tuple[int, list[int]]:
    """(end of the CSV header record or 0, the byte offset where each data row starts).

    Follows ``iter_rows``' rules: blank lines and all-empty CSV records take no index, the first
    non-empty CSV record is the header, a record that fails to parse still counts as a row.
    ``csv.reader`` pulls one line at a time from our generator, so the buffer position before
    each ``next`` is exactly where the next record begins (quoted newlines included).
    """
    buffer = io.BytesIO(data)
    starts: list[int] = []
    if fmt == "jsonl":
        while True:
            position = buffer.tell()
            line = _read_line(buffer)
            if not line:
                return 0, starts
            if line.strip():
                starts.append(position)
    reader = csv.reader(_lines(buffer, [True]))
    header_end = 0
    seen_header = False
    while True:
        position = buffer.tell()
        try:
            record = next(reader)
        except StopIteration:
            return header_end, starts
        except csv.Error:
            if seen_header:
                starts.append(position)
            continue
        if not any(field.strip() for field in record):
            continue
        if not seen_header:
            seen_header = True
            header_end = buffer.tell()
            continue
        starts.append(position)


def chunk_dataset(data: bytes, fmt: DatasetFormat, row_count: int, chunk_rows: int) -> Chunking:
    """Where each batch of ``chunk_rows`` rows starts; larger chunks if the list would be too long.

    If this pass ever disagrees with ``inspect_dataset`` about the row count, no offsets are kept
    but the first one: every batch then reads from the first data row and skips to its own rows
    (correct, only slower).
    """
    header_end, starts = _row_starts(data, fmt)
    header = data[:header_end].decode("utf-8", errors="replace") if fmt == "csv" else ""
    if len(starts) != row_count:
        return Chunking(header=header, offsets=[header_end], chunk_rows=chunk_rows, row_count=row_count)
    while True:
        offsets = starts[::chunk_rows]
        if len(json.dumps(offsets, separators=(",", ":"))) <= MAX_OFFSETS_CHARS:
            return Chunking(header=header, offsets=offsets, chunk_rows=chunk_rows, row_count=row_count)
        chunk_rows *= 2


# --------------------------------------------------------------------------- operations


class DatasetsService:
    def __init__(self, repository: DatasetRepository, settings: Settings, clock: Clock) -> None:
        self._repository = repository
        self._max_bytes = settings.max_dataset_bytes
        self._chunk_rows = settings.dataset_chunk_rows
        self._clock = clock

    def upload(self, tenant_id: str, body: bytes, content_type: str | None, query: DatasetUploadQuery) -> Dataset:
        limit = self._max_bytes
        if len(body) > limit:
            raise PayloadTooLarge(
                f"The dataset is larger than the limit of {limit} bytes.",
                details={"max_bytes": limit, "size": len(body)},
            )
        fmt = detect_format(content_type, query.filename)
        info = inspect_dataset(io.BytesIO(body), fmt, max_bytes=limit)
        chunking = chunk_dataset(body, fmt, info.row_count, self._chunk_rows)
        if len(chunking.header) > MAX_HEADER_CHARS:
            raise ValidationFailed("The CSV header row is too long.", details={"max_header_chars": MAX_HEADER_CHARS})
        if len(json.dumps(info.columns, separators=(",", ":"))) > MAX_COLUMNS_CHARS:
            raise ValidationFailed("The dataset has too many columns.", details={"columns": len(info.columns)})
        now = self._clock()
        dataset_id = new_dataset_id(now)
        dataset = Dataset(
            id=dataset_id,
            name=query.name or query.filename or dataset_id,
            filename=query.filename,
            format=fmt,
            columns=info.columns,
            row_count=info.row_count,
            malformed_rows=info.malformed_rows,
            size_bytes=len(body),
            created_at=now,
        )
        record = DatasetRecord(
            dataset=dataset,
            tenant_id=tenant_id,
            blob=blob_name(tenant_id, dataset_id, fmt),
            header=chunking.header,
            offsets=chunking.offsets,
            chunk_rows=chunking.chunk_rows,
        )
        self._repository.add(record, body, CONTENT_TYPES[fmt])
        return dataset

    def record(self, tenant_id: str, dataset_id: str) -> DatasetRecord:
        found = self._repository.get(tenant_id, dataset_id)
        if found is None:
            raise NotFound(
                f"Dataset {dataset_id} not found.", code="DATASET_NOT_FOUND", details={"dataset_id": dataset_id}
            )
        return found

    def get(self, tenant_id: str, dataset_id: str) -> Dataset:
        return self.record(tenant_id, dataset_id).dataset

    def page(self, tenant_id: str, query: PageQuery) -> Page[Dataset]:
        return self._repository.page(tenant_id, query)

    def delete(self, tenant_id: str, dataset_id: str) -> None:
        self._repository.delete(self.record(tenant_id, dataset_id))
