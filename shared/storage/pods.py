"""The pod index in Table storage: which server, namespace and Kubernetes name a pod id means.

Table ``pods``, PartitionKey the tenant id, RowKey the pod id. The row is written before
the pod is created in Kubernetes and deleted again if that create fails, so a pod never
exists without its row; a crash in between leaves a row with no pod, which a read finds
missing in the cluster and removes (listing reads the clusters, not this table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from azure.data.tables import TableEntity, UpdateMode

from shared.storage.base import TableRepository

PODS = "pods"


@dataclass(frozen=True)
class PodRecord:
    tenant_id: str
    pod_id: str
    server_id: str
    namespace: str
    name: str
    created_at: datetime
    meter: str = ""
    """What the pod holds, for billing (``shared/billing/metering.py``); '' for rows written before."""
    metered_from: datetime | None = None
    """Since when it holds ``meter`` (its creation, or its last resize); ``created_at`` when unset."""


class PodIndex(TableRepository):
    TABLE = PODS

    def put(self, record: PodRecord) -> None:
        self.table.upsert_entity(
            {
                "PartitionKey": record.tenant_id,
                "RowKey": record.pod_id,
                "server_id": record.server_id,
                "namespace": record.namespace,
                "name": record.name,
                "created_at": record.created_at,
                "meter": record.meter,
                "metered_from": record.metered_from or record.created_at,
            },
            mode=UpdateMode.REPLACE,
        )

    def get(self, tenant_id: str, pod_id: str) -> PodRecord | None:
        entity = self.get_or_none(tenant_id, pod_id)
        if entity is None:
            return None
        return _record(tenant_id, entity)

    def records(self, tenant_id: str) -> list[PodRecord]:
        """Every indexed pod of the tenant (one partition query): a listing finds the gone ones."""
        return [
            _record(tenant_id, entity)
            for entity in self.table.query_entities("PartitionKey eq @pk", parameters={"pk": tenant_id})
        ]

    def delete(self, tenant_id: str, pod_id: str) -> None:
        self.delete_if_present(tenant_id, pod_id)


def _record(tenant_id: str, entity: TableEntity) -> PodRecord:
    return PodRecord(
        tenant_id,
        entity["RowKey"],
        entity["server_id"],
        entity["namespace"],
        entity["name"],
        entity["created_at"],
        entity.get("meter") or "",
        entity.get("metered_from"),
    )
