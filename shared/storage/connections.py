"""Connections in Table storage.

Table ``connections``, one partition per tenant (``tenant:<id>``): ``c:<connection id>`` is the
connection, ``n:<lower-case name>`` reserves its name (written together, as servers do).
Credentials are only ever stored as AES-GCM ciphertext (``cred_blob``) with the id of the key
that sealed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azure.data.tables import TableEntity

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.connections import Connection, ConnectionCredentialsInfo, RateLimits
from shared.security.credentials import Sealed
from shared.storage.base import TableRepository

CONNECTIONS = "connections"


@dataclass(frozen=True)
class ConnectionRecord:
    tenant_id: str
    connection: Connection
    sealed: Sealed | None


def _partition(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def _name_key(name: str) -> str:
    return f"n:{name.lower()}"


def _record(entity: TableEntity) -> ConnectionRecord:
    blob = entity.get("cred_blob")
    if blob is not None and not isinstance(blob, bytes):
        blob = bytes(getattr(blob, "value", blob))
    sealed = Sealed(entity["cred_key_id"], blob) if blob is not None and entity.get("cred_key_id") else None
    connection = Connection(
        id=entity["id"],
        system=entity["system"],
        name=entity["name"],
        base_url=entity["base_url"],
        owner=entity.get("owner", "tenant"),
        credentials=ConnectionCredentialsInfo(set=sealed is not None, updated_at=entity.get("cred_updated_at")),
        rate_limits=RateLimits.model_validate_json(entity["rate_limits"]),
        created_at=entity["created_at"],
        updated_at=entity["updated_at"],
    )
    return ConnectionRecord(entity["tenant_id"], connection, sealed)


def _entity(record: ConnectionRecord) -> dict[str, Any]:
    connection = record.connection
    entity: dict[str, Any] = {
        "PartitionKey": _partition(record.tenant_id),
        "RowKey": f"c:{connection.id}",
        "tenant_id": record.tenant_id,
        "id": connection.id,
        "system": connection.system,
        "name": connection.name,
        "base_url": connection.base_url,
        "owner": connection.owner,
        "rate_limits": connection.rate_limits.model_dump_json(),
        "cred_updated_at": connection.credentials.updated_at,
        "created_at": connection.created_at,
        "updated_at": connection.updated_at,
    }
    if record.sealed is not None:
        entity["cred_key_id"] = record.sealed.key_id
        entity["cred_blob"] = record.sealed.blob
    return {key: value for key, value in entity.items() if value is not None}


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A connection named {name!r} exists.", code="CONNECTION_NAME_TAKEN", details={"name": name})


def _reservation(record: ConnectionRecord) -> dict[str, Any]:
    return {
        "PartitionKey": _partition(record.tenant_id),
        "RowKey": _name_key(record.connection.name),
        "connection_id": record.connection.id,
    }


class ConnectionRepository(TableRepository):
    TABLE = CONNECTIONS

    def create(self, record: ConnectionRecord) -> None:
        """Store the connection and reserve its name atomically; a taken name (or id) is a 409."""
        self.create_reserved(_reservation(record), _entity(record), lambda: _name_taken(record.connection.name))

    def get(self, tenant_id: str, connection_id: str) -> ConnectionRecord | None:
        entity = self.get_or_none(_partition(tenant_id), f"c:{connection_id}")
        return _record(entity) if entity is not None else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Connection]:
        return self.range_page(_partition(tenant_id), "c:", page, lambda entity: _record(entity).connection)

    def replace(self, before: ConnectionRecord, after: ConnectionRecord) -> None:
        renamed = _name_key(before.connection.name) != _name_key(after.connection.name)
        self.replace_reserved(
            _name_key(before.connection.name) if renamed else None,
            _reservation(after) if renamed else None,
            _entity(after),
            lambda: _name_taken(after.connection.name),
        )

    def delete(self, record: ConnectionRecord) -> None:
        self.delete_reserved(
            _partition(record.tenant_id), f"c:{record.connection.id}", _name_key(record.connection.name)
        )
