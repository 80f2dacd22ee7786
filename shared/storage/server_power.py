"""Open power intervals of OpenStack servers, for metering their flavor-hours.

Table ``serverpower``, PartitionKey the tenant id, RowKey ``<cloud id>:<server id>``. A row
means "Cloudplane saw this server start running at ``on_since``": written (create, never
overwrite) when a power-on or resume completes, read and removed when a power-off, suspend or
destroy completes. Created only if absent, so a redelivered power-on step keeps the first
instant, and the record id derived from it (``shared/billing/metering.py``) is the same for
every delivery of the power-off that closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from azure.core.exceptions import ResourceExistsError

from shared.storage.base import TableRepository

SERVER_POWER = "serverpower"


@dataclass(frozen=True)
class PowerInterval:
    tenant_id: str
    cloud_id: str
    server_id: str
    on_since: datetime
    flavor: str
    account_id: str
    """The billing account chosen at power-on: every delivery of the power-off bills the same one."""
    opened_by: str
    """The job (and its round) whose completion opened the interval."""


def _row_key(cloud_id: str, server_id: str) -> str:
    return f"{cloud_id}:{server_id}"


class ServerPowerRepository(TableRepository):
    TABLE = SERVER_POWER

    def open(self, interval: PowerInterval) -> PowerInterval:
        """Store the interval unless one is already open; answers the open one (the first wins)."""
        try:
            self.table.create_entity(
                {
                    "PartitionKey": interval.tenant_id,
                    "RowKey": _row_key(interval.cloud_id, interval.server_id),
                    "on_since": interval.on_since,
                    "flavor": interval.flavor,
                    "account_id": interval.account_id,
                    "opened_by": interval.opened_by,
                }
            )
            return interval
        except ResourceExistsError:
            found = self.get(interval.tenant_id, interval.cloud_id, interval.server_id)
            return found or interval

    def get(self, tenant_id: str, cloud_id: str, server_id: str) -> PowerInterval | None:
        entity = self.get_or_none(tenant_id, _row_key(cloud_id, server_id))
        if entity is None:
            return None
        return PowerInterval(
            tenant_id,
            cloud_id,
            server_id,
            entity["on_since"],
            entity.get("flavor") or "",
            entity.get("account_id") or "",
            entity.get("opened_by") or "",
        )

    def close(self, tenant_id: str, cloud_id: str, server_id: str) -> None:
        """Remove the interval (after its usage is recorded); already gone is fine."""
        self.delete_if_present(tenant_id, _row_key(cloud_id, server_id))
