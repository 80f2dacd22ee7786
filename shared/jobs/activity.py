"""The list of tenants the sweeper visits: table ``activejobs``, PartitionKey ``tenants``.

Submission and retry put a tenant on it; the sweeper reads it and drops a tenant once it has
nothing left to sweep. Kept apart from both so that neither imports the other.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import UpdateMode

from shared.jobs.store import JobStorage, now

ACTIVE = "activejobs"
TENANTS_PARTITION = "tenants"
MARK_EVERY_SECONDS = 300.0  # how often an instance refreshes a tenant it submits jobs for
FORGET_TENANT_SECONDS = 3 * MARK_EVERY_SECONDS  # so a tenant an instance marked lately is never dropped


class TenantActivity:
    """Marks tenants as having jobs, at most every few minutes per instance (one write, then none)."""

    def __init__(self, storage: JobStorage) -> None:
        self.storage = storage
        self._marked: dict[str, float] = {}
        self._lock = threading.Lock()

    def note(self, tenant_id: str) -> None:
        at = time.monotonic()
        with self._lock:
            last = self._marked.get(tenant_id)
            if last is not None and at - last < MARK_EVERY_SECONDS:
                return
            self._marked[tenant_id] = at
        self.storage.table(ACTIVE).upsert_entity(
            {"PartitionKey": TENANTS_PARTITION, "RowKey": tenant_id, "marked_at": now()}, mode=UpdateMode.REPLACE
        )

    def forget_marks(self) -> None:
        """As a new instance would start: the next ``note`` of every tenant writes again."""
        with self._lock:
            self._marked.clear()


def tenants(storage: JobStorage) -> list[dict[str, Any]]:
    rows = storage.table(ACTIVE).query_entities("PartitionKey eq @pk", parameters={"pk": TENANTS_PARTITION})
    return list(rows)


def drop_tenant(storage: JobStorage, row: Any, at: datetime) -> None:
    """Forget an idle tenant, unless it was marked lately (an instance may be about to submit)."""
    marked = row.get("marked_at")
    if isinstance(marked, datetime) and (at - marked).total_seconds() <= FORGET_TENANT_SECONDS:
        return
    try:
        storage.table(ACTIVE).delete_entity(
            TENANTS_PARTITION, row["RowKey"], etag=row.metadata["etag"], match_condition=MatchConditions.IfNotModified
        )
    except (ResourceModifiedError, ResourceNotFoundError):
        pass
