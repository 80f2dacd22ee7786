"""The pod index in Table storage: which server, namespace and Kubernetes name a pod id means.

Table ``pods``, PartitionKey the tenant id, RowKey the pod id. The row is written before
the pod is created in Kubernetes and deleted again if that create fails, so a pod never
exists without its row; a crash in between leaves a row with no pod, which a read finds
missing in the cluster and removes (listing reads the clusters, not this table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from azure.data.tables import UpdateMode

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
            },
            mode=UpdateMode.REPLACE,
        )

    def get(self, tenant_id: str, pod_id: str) -> PodRecord | None:
        entity = self.get_or_none(tenant_id, pod_id)
        if entity is None:
            return None
        return PodRecord(
            tenant_id, pod_id, entity["server_id"], entity["namespace"], entity["name"], entity["created_at"]
        )

    def delete(self, tenant_id: str, pod_id: str) -> None:
        self.delete_if_present(tenant_id, pod_id)
