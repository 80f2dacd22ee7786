"""Servers in Table storage.

Table ``servers``, one partition per tenant (``tenant:<id>``): ``s:<server id>`` is the
server, ``n:<lower-case name>`` reserves its name. Creating, renaming and deleting write
both in one transaction, so a name is never taken without its server. Credentials are
stored only as AES-GCM ciphertext (``cred_blob``, binary) with the id of the key that made
it (``cred_key_id``) and a version that changes with every credentials change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.data.tables import TableEntity, TableTransactionError

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.servers import CredentialsInfo, Server
from shared.security.credentials import Sealed
from shared.storage.clients import StorageClients
from shared.storage.pagination import query_page

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
    server = Server(
        id=entity["id"],
        name=entity["name"],
        api_url=entity["api_url"],
        context=entity.get("context"),
        namespace=entity["namespace"],
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
    if record.sealed is not None:
        entity["cred_key_id"] = record.sealed.key_id
        entity["cred_blob"] = record.sealed.blob
    return {key: value for key, value in entity.items() if value is not None}


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A server named {name!r} exists.", code="SERVER_NAME_TAKEN", details={"name": name})


def _is_conflict(error: Exception) -> bool:
    return "EntityAlreadyExists" in str(getattr(error, "error_code", "")) or "already exists" in str(error).lower()


class ServerRepository:
    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def _table(self) -> Any:
        return self._clients.table(SERVERS)

    def create(self, record: ServerRecord) -> None:
        """Store the server and reserve its name atomically; a taken name is a 409."""
        name_row = {
            "PartitionKey": _partition(record.tenant_id),
            "RowKey": _name_key(record.server.name),
            "server_id": record.server.id,
        }
        try:
            self._table.submit_transaction([("create", name_row), ("create", _entity(record))])
        except (TableTransactionError, ResourceExistsError) as error:
            if _is_conflict(error):
                raise _name_taken(record.server.name) from None
            raise

    def get(self, tenant_id: str, server_id: str) -> ServerRecord | None:
        try:
            return _record(self._table.get_entity(_partition(tenant_id), f"s:{server_id}"))
        except ResourceNotFoundError:
            return None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Server]:
        return query_page(
            self._table,
            "PartitionKey eq @pk and RowKey ge @lo and RowKey lt @hi",
            {"pk": _partition(tenant_id), "lo": "s:", "hi": "s;"},
            page,
            lambda entity: _record(entity).server,
        )

    def records(self, tenant_id: str) -> list[ServerRecord]:
        """Every server of the tenant with its sealed credentials (one partition query)."""
        entities = self._table.query_entities(
            "PartitionKey eq @pk and RowKey ge @lo and RowKey lt @hi",
            parameters={"pk": _partition(tenant_id), "lo": "s:", "hi": "s;"},
        )
        return [_record(entity) for entity in entities]

    def replace(self, before: ServerRecord, after: ServerRecord) -> None:
        """Write ``after`` over ``before``, moving the name reservation if the name changed."""
        partition = _partition(after.tenant_id)
        operations: list[Any] = []
        if _name_key(before.server.name) != _name_key(after.server.name):
            operations.append(("delete", {"PartitionKey": partition, "RowKey": _name_key(before.server.name)}))
            name_row = {"PartitionKey": partition, "RowKey": _name_key(after.server.name), "server_id": after.server.id}
            operations.append(("create", name_row))
        operations.append(("upsert", _entity(after), {"mode": "replace"}))
        try:
            self._table.submit_transaction(operations)
        except (TableTransactionError, ResourceExistsError) as error:
            if _is_conflict(error):
                raise _name_taken(after.server.name) from None
            raise

    def delete(self, record: ServerRecord) -> None:
        partition = _partition(record.tenant_id)
        try:
            self._table.submit_transaction(
                [
                    ("delete", {"PartitionKey": partition, "RowKey": f"s:{record.server.id}"}),
                    ("delete", {"PartitionKey": partition, "RowKey": _name_key(record.server.name)}),
                ]
            )
        except (TableTransactionError, ResourceNotFoundError):
            # One of the two is already gone (a concurrent delete): remove what is left.
            for row in (f"s:{record.server.id}", _name_key(record.server.name)):
                self._table.delete_entity(partition, row)
