"""Reading jobs: one job, a page of a tenant's jobs, a job's log, its configuration and results.

Every read is one entity or one RowKey range of the tenant's partition (see ``store``); a
listing page is one query whatever the jobs hold (one per partition when a tenant's jobs are
spread over several, ``shards``), because a configuration claim-checked to
Blob storage is read only when one job is asked for.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any

from azure.core.exceptions import ResourceNotFoundError

from shared.errors import BadRequest, NotFound
from shared.jobs import registry, results
from shared.jobs.record import JobRecord
from shared.jobs.store import (
    JOB_ROWS,
    JOBS,
    PAYLOADS_CONTAINER,
    RESULTS_CONTAINER,
    ROW_RANGE,
    JobStorage,
    event_rows,
    result_blob,
    result_row,
    time_prefix,
)
from shared.models.common import Page, PageQuery
from shared.models.jobs import JobListQuery
from shared.storage.pagination import decode_key_cursor, encode_key_cursor, query_page

BLOB_REFERENCE = "$blob"


class JobQueries:
    def __init__(self, storage: JobStorage) -> None:
        self.storage = storage

    def load(self, tenant_id: str, job_id: str) -> JobRecord:
        if job_id.startswith(JOB_ROWS[0]):  # the partition's other rows (act:, ev:, ...) are not jobs
            table, partition = self.storage.jobs_table(tenant_id, job_id)
            try:
                return JobRecord.from_entity(table.get_entity(partition, job_id))
            except ResourceNotFoundError:
                pass
        raise NotFound(f"Job {job_id} not found.", code="JOB_NOT_FOUND", details={"job_id": job_id})

    def page(self, tenant_id: str, query: JobListQuery) -> Page[JobRecord]:
        # Newer jobs have smaller ids. The RowKey range keeps the bounds' milliseconds (a job id
        # counts whole milliseconds) and created_at decides within them, so the filter is exact and
        # a page still reads one range. JobListQuery refuses bounds before 1970 (no RowKey).
        clauses = ["PartitionKey eq @pk", "RowKey ge @first", "RowKey lt @last"]
        parameters: dict[str, Any] = {"pk": tenant_id, "first": JOB_ROWS[0], "last": JOB_ROWS[1]}
        if query.created_after is not None:
            clauses += ["RowKey lt @after", "created_at gt @after_at"]
            parameters.update(after=f"job_{time_prefix(query.created_after)}~", after_at=query.created_after)
        if query.created_before is not None:
            clauses += ["RowKey ge @before", "created_at lt @before_at"]
            parameters.update(before=f"job_{time_prefix(query.created_before)}", before_at=query.created_before)
        if query.status is not None:
            clauses.append("status eq @status")
            parameters["status"] = query.status.value
        if query.type is not None:
            clauses.append("type eq @type")
            parameters["type"] = query.type
        partitions = self.storage.partitions(tenant_id)
        if len(partitions) == 1:
            table = self.storage.table(JOBS, tenant_id)
            return query_page(table, " and ".join(clauses), parameters, query, JobRecord.from_entity)
        return self._merged_page(partitions, clauses, parameters, query)

    def _merged_page(
        self, partitions: list[str], clauses: list[str], parameters: dict[str, Any], query: JobListQuery
    ) -> Page[JobRecord]:
        """A page over a tenant's P partitions, newest first: the first ``limit`` + 1 matches of
        each partition after the cursor, merged by RowKey (job ids sort newest first and are
        unique across partitions, so "after the last id shown" resumes every partition at once).

        The cursor is that last id, not a Table continuation token: one cursor serves P ranges.
        A page costs P queries of up to ``limit`` + 1 rows, run 16 at a time.
        """
        after = decode_key_cursor(query.cursor)
        if after is not None and not after.startswith(JOB_ROWS[0]):
            raise BadRequest("The cursor is not one this API issued.", code="INVALID_CURSOR")
        if after is not None:
            clauses = [*clauses, "RowKey gt @cursor"]
            parameters = {**parameters, "cursor": after}
        text = " and ".join(clauses)

        def first_rows(partition: str) -> list[Any]:
            rows = self.storage.table(JOBS, partition).query_entities(
                text, parameters={**parameters, "pk": partition}, results_per_page=query.limit + 1
            )
            return list(islice(rows, query.limit + 1))

        found: list[Any] = [row for rows in _readers().map(first_rows, partitions) for row in rows]
        found.sort(key=lambda row: str(row["RowKey"]))
        shown = found[: query.limit]
        more = len(found) > query.limit
        cursor = encode_key_cursor(str(shown[-1]["RowKey"])) if more else None
        return Page[JobRecord](items=[JobRecord.from_entity(row) for row in shown], next_cursor=cursor, has_more=more)

    def events(self, tenant_id: str, job_id: str, query: PageQuery) -> Page[dict[str, Any]]:
        self.load(tenant_id, job_id)
        low, high = event_rows(job_id)
        table, partition = self.storage.jobs_table(tenant_id, job_id)
        return query_page(
            table,
            ROW_RANGE,
            {"pk": partition, "low": low, "high": high},
            query,
            lambda e: {"sequence": int(e["RowKey"].rsplit(":", 1)[1]), "message": json.loads(e["message"])},
        )

    def configuration(self, job: JobRecord) -> dict[str, Any]:
        """The job's configuration, read from Blob storage when it was claim-checked there."""
        value = stored_configuration(job)
        if value is None:
            name = json.loads(job.configuration)[BLOB_REFERENCE]
            value = json.loads(self.storage.container(PAYLOADS_CONTAINER).download_blob(name).readall())
        return value

    def inline_results(self, job: JobRecord, fmt: str) -> bytes | None:
        """A small job's results, as the result blobs would hold them; None when they are in Blob."""
        if job.results != "inline":
            return None
        table, partition = self.storage.jobs_table(job.tenant_id, job.job_id)
        try:
            rows_text = str(table.get_entity(partition, result_row(job.job_id))["rows"])
        except ResourceNotFoundError:
            rows_text = "[]"
        job_type = registry.get(job.type)  # only its columns: no need to read and validate the configuration
        columns = job_type.result_columns if job_type is not None else ()
        return results.small_file(job.job_id, job.summary_value(), columns, rows_text, fmt)

    def result_file(self, job: JobRecord, fmt: str) -> tuple[Any, int] | None:
        """The blob client of a job's result file and its size; None when the job wrote none."""
        blob = self.storage.container(RESULTS_CONTAINER).get_blob_client(result_blob(job.tenant_id, job.job_id, fmt))
        try:
            return blob, int(blob.get_blob_properties().size)
        except ResourceNotFoundError:
            return None


_READERS: ThreadPoolExecutor | None = None
_READERS_LOCK = threading.Lock()


def _readers() -> ThreadPoolExecutor:
    """Threads for reading a tenant's partitions side by side, made on the first sharded listing."""
    global _READERS
    with _READERS_LOCK:
        if _READERS is None:
            _READERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="jobs-partitions")
        return _READERS


def stored_configuration(job: JobRecord) -> dict[str, Any] | None:
    """The configuration as the job entity holds it; None when it is claim-checked to a blob."""
    value: dict[str, Any] = json.loads(job.configuration)
    return None if set(value) == {BLOB_REFERENCE} else value
