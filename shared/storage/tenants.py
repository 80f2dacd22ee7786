"""Tenants and API keys in Table storage.

Table ``tenants``: partition ``tenants`` holds ``t:<id>`` (the tenant) and ``s:<slug>``
(the slug's reservation), written together in one transaction so a slug is never taken
without its tenant. Table ``apikeys``: ``key:<key id>`` is the record that authentication
reads with one point read; ``tenant:<tenant id>``/``<key id>`` is the tenant's listing.
The listing is written first and revoked second, so a crash between the two writes never
leaves a working key that no listing shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.data.tables import TableEntity, TableTransactionError, UpdateMode

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.tenants import ApiKey, Scope, Tenant
from shared.security.keys import display_prefix
from shared.storage.clients import StorageClients
from shared.storage.pagination import query_page

TENANTS = "tenants"
API_KEYS = "apikeys"
_PARTITION = "tenants"


def _tenant(entity: TableEntity) -> Tenant:
    return Tenant(id=entity["id"], name=entity["name"], slug=entity["slug"], created_at=entity["created_at"])


class TenantRepository:
    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def _table(self) -> Any:
        return self._clients.table(TENANTS)

    def create(self, tenant: Tenant) -> None:
        """Store the tenant and reserve its slug atomically; a taken slug is a 409."""
        fields = tenant.model_dump()
        try:
            self._table.submit_transaction(
                [
                    ("create", {"PartitionKey": _PARTITION, "RowKey": f"s:{tenant.slug}", "tenant_id": tenant.id}),
                    ("create", {"PartitionKey": _PARTITION, "RowKey": f"t:{tenant.id}", **fields}),
                ]
            )
        except (TableTransactionError, ResourceExistsError) as error:
            if "EntityAlreadyExists" in str(getattr(error, "error_code", "")) or "already exists" in str(error).lower():
                raise Conflict(
                    f"The slug {tenant.slug!r} is taken.", code="SLUG_TAKEN", details={"slug": tenant.slug}
                ) from None
            raise

    def get(self, tenant_id: str) -> Tenant | None:
        try:
            return _tenant(self._table.get_entity(_PARTITION, f"t:{tenant_id}"))
        except ResourceNotFoundError:
            return None

    def page(self, page: PageQuery) -> Page[Tenant]:
        return query_page(
            self._table,
            "PartitionKey eq @pk and RowKey ge @lo and RowKey lt @hi",
            {"pk": _PARTITION, "lo": "t:", "hi": "t;"},
            page,
            _tenant,
        )


@dataclass(frozen=True)
class KeyRecord:
    """What authentication needs of a key, read with one point read."""

    key: ApiKey
    hash: str
    tenant: Tenant

    @property
    def revoked(self) -> bool:
        return self.key.revoked_at is not None


def _key(entity: TableEntity) -> ApiKey:
    return ApiKey(
        id=entity["key_id"],
        tenant_id=entity["tenant_id"],
        name=entity["name"],
        prefix=display_prefix(entity["key_id"]),
        scopes=[Scope(s) for s in entity["scopes"].split(",") if s],
        created_at=entity["created_at"],
        revoked_at=entity.get("revoked_at"),
    )


class ApiKeyRepository:
    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def _table(self) -> Any:
        return self._clients.table(API_KEYS)

    def add(self, key: ApiKey, key_hash: str, tenant: Tenant) -> None:
        fields = {
            "key_id": key.id,
            "tenant_id": key.tenant_id,
            "name": key.name,
            "scopes": ",".join(key.scopes),
            "created_at": key.created_at,
        }
        self._table.create_entity({"PartitionKey": f"tenant:{key.tenant_id}", "RowKey": key.id, **fields})
        self._table.create_entity(
            {
                "PartitionKey": f"key:{key.id}",
                "RowKey": "key",
                **fields,
                "hash": key_hash,
                "tenant_name": tenant.name,
                "tenant_slug": tenant.slug,
                "tenant_created_at": tenant.created_at,
            }
        )

    def lookup(self, key_id: str) -> KeyRecord | None:
        try:
            entity = self._table.get_entity(f"key:{key_id}", "key")
        except ResourceNotFoundError:
            return None
        tenant = Tenant(
            id=entity["tenant_id"],
            name=entity["tenant_name"],
            slug=entity["tenant_slug"],
            created_at=entity["tenant_created_at"],
        )
        return KeyRecord(key=_key(entity), hash=entity["hash"], tenant=tenant)

    def get(self, tenant_id: str, key_id: str) -> ApiKey | None:
        try:
            return _key(self._table.get_entity(f"tenant:{tenant_id}", key_id))
        except ResourceNotFoundError:
            return None

    def page(self, tenant_id: str, page: PageQuery) -> Page[ApiKey]:
        return query_page(self._table, "PartitionKey eq @pk", {"pk": f"tenant:{tenant_id}"}, page, _key)

    def revoke(self, tenant_id: str, key_id: str, when: datetime) -> None:
        """Mark the key revoked: the authentication record first, then the listing."""
        patch = {"revoked_at": when}
        for partition, row in ((f"key:{key_id}", "key"), (f"tenant:{tenant_id}", key_id)):
            try:
                # MERGE never creates: a missing entity is a 404, so nothing half-made appears.
                self._table.update_entity({"PartitionKey": partition, "RowKey": row, **patch}, mode=UpdateMode.MERGE)
            except ResourceNotFoundError:
                pass
