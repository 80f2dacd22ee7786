"""The pod index in Table storage: which server, namespace and Kubernetes name a pod id means.

Table ``pods``, PartitionKey the tenant id, RowKey the pod id. The row is written before
the pod is created in Kubernetes and deleted again if that create fails, so a pod never
exists without its row; a crash in between leaves a row with no pod, which a read finds
missing in the cluster and removes (listing reads the clusters, not this table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from azure.core.exceptions import ResourceNotFoundError

from shared.storage.clients import StorageClients

PODS = "pods"


@dataclass(frozen=True)
class PodRecord:
    tenant_id: str
    pod_id: str
    server_id: str
    namespace: str
    name: str
    created_at: datetime


class PodIndex:
    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def _table(self) -> Any:
        return self._clients.table(PODS)

    def put(self, record: PodRecord) -> None:
        self._table.upsert_entity(
            {
                "PartitionKey": record.tenant_id,
                "RowKey": record.pod_id,
                "server_id": record.server_id,
                "namespace": record.namespace,
                "name": record.name,
                "created_at": record.created_at,
            },
            mode="replace",
        )

    def get(self, tenant_id: str, pod_id: str) -> PodRecord | None:
        try:
            entity = self._table.get_entity(tenant_id, pod_id)
        except ResourceNotFoundError:
            return None
        return PodRecord(
            tenant_id, pod_id, entity["server_id"], entity["namespace"], entity["name"], entity["created_at"]
        )

    def delete(self, tenant_id: str, pod_id: str) -> None:
        try:
            self._table.delete_entity(tenant_id, pod_id)
        except ResourceNotFoundError:
            pass
