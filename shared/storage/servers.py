"""Servers in Table storage.

Table ``servers``, one partition per tenant (``tenant:<id>``): ``s:<server id>`` is the
server, ``n:<lower-case name>`` reserves its name. Creating, renaming and deleting write
both in one transaction, so a name is never taken without its server. Credentials are
stored only as AES-GCM ciphertext (a cluster's kubeconfig or token, a cloud's whole clouds.yaml
entry) (``cred_blob``, binary) with the id of the key that made
it (``cred_key_id``) and a version that changes with every credentials change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from azure.data.tables import TableEntity

from shared.errors import Conflict
from shared.models.clouds import CloudInfo
from shared.models.common import Page, PageQuery
from shared.models.servers import CredentialsInfo, Server
from shared.security.credentials import Sealed
from shared.storage.base import TableRepository

SERVERS = "servers"


@dataclass(frozen=True)
class ServerRecord:
    """A server as stored: its public view plus sealed credentials."""

    tenant_id: str
    server: Server
    sealed: Sealed | None
    credentials_version: int


def _partition(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def _name_key(name: str) -> str:
    return f"n:{name.lower()}"


def _record(entity: TableEntity) -> ServerRecord:
    blob = entity.get("cred_blob")
    if blob is not None and not isinstance(blob, bytes):
        blob = bytes(getattr(blob, "value", blob))
    sealed = Sealed(entity["cred_key_id"], blob) if blob is not None and entity.get("cred_key_id") else None
    cloud = entity.get("cloud")
    server = Server(
        id=entity["id"],
        name=entity["name"],
        kind=entity.get("kind") or "kubernetes",
        cloud=CloudInfo.model_validate_json(cloud) if cloud else None,
        api_url=entity["api_url"],
        context=entity.get("context"),
        namespace=entity.get("namespace"),
        labels=json.loads(entity.get("labels") or "{}"),
        credentials=CredentialsInfo(
            set=sealed is not None,
            kind=entity.get("cred_kind"),
            updated_at=entity.get("cred_updated_at"),
        ),
        created_at=entity["created_at"],
        updated_at=entity["updated_at"],
    )
    return ServerRecord(entity["tenant_id"], server, sealed, int(entity.get("cred_version") or 0))


def _entity(record: ServerRecord) -> dict[str, Any]:
    server = record.server
    entity: dict[str, Any] = {
        "PartitionKey": _partition(record.tenant_id),
        "RowKey": f"s:{server.id}",
        "tenant_id": record.tenant_id,
        "id": server.id,
        "name": server.name,
        "kind": server.kind,
        "api_url": server.api_url,
        "namespace": server.namespace,
        "labels": json.dumps(server.labels, sort_keys=True),
        "cred_kind": server.credentials.kind,
        "cred_updated_at": server.credentials.updated_at,
        "cred_version": record.credentials_version,
        "created_at": server.created_at,
        "updated_at": server.updated_at,
    }
    if server.context is not None:
        entity["context"] = server.context
    if server.cloud is not None:
        entity["cloud"] = server.cloud.model_dump_json(exclude_none=True)
    if record.sealed is not None:
        entity["cred_key_id"] = record.sealed.key_id
        entity["cred_blob"] = record.sealed.blob
    return {key: value for key, value in entity.items() if value is not None}


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A server named {name!r} exists.", code="SERVER_NAME_TAKEN", details={"name": name})


def _reservation(record: ServerRecord) -> dict[str, Any]:
    return {
        "PartitionKey": _partition(record.tenant_id),
        "RowKey": _name_key(record.server.name),
        "server_id": record.server.id,
    }


class ServerRepository(TableRepository):
    TABLE = SERVERS

    def create(self, record: ServerRecord) -> None:
        """Store the server and reserve its name atomically; a taken name is a 409."""
        self.create_reserved(_reservation(record), _entity(record), lambda: _name_taken(record.server.name))

    def get(self, tenant_id: str, server_id: str) -> ServerRecord | None:
        entity = self.get_or_none(_partition(tenant_id), f"s:{server_id}")
        return _record(entity) if entity is not None else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Server]:
        return self.range_page(_partition(tenant_id), "s:", page, lambda entity: _record(entity).server)

    def records(self, tenant_id: str) -> list[ServerRecord]:
        """Every server of the tenant with its sealed credentials (one partition query)."""
        return [_record(entity) for entity in self.in_range(_partition(tenant_id), "s:")]

    def replace(self, before: ServerRecord, after: ServerRecord) -> None:
        """Write ``after`` over ``before``, moving the name reservation if the name changed."""
        renamed = _name_key(before.server.name) != _name_key(after.server.name)
        self.replace_reserved(
            _name_key(before.server.name) if renamed else None,
            _reservation(after) if renamed else None,
            _entity(after),
            lambda: _name_taken(after.server.name),
        )

    def delete(self, record: ServerRecord) -> None:
        self.delete_reserved(_partition(record.tenant_id), f"s:{record.server.id}", _name_key(record.server.name))
