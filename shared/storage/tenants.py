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

from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableEntity, UpdateMode

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.tenants import ApiKey, Scope, Tenant
from shared.security.keys import display_prefix
from shared.storage.base import TableRepository

TENANTS = "tenants"
API_KEYS = "apikeys"
_PARTITION = "tenants"


def _tenant(entity: TableEntity) -> Tenant:
    return Tenant(id=entity["id"], name=entity["name"], slug=entity["slug"], created_at=entity["created_at"])


def _slug_taken(slug: str) -> Conflict:
    return Conflict(f"The slug {slug!r} is taken.", code="SLUG_TAKEN", details={"slug": slug})


class TenantRepository(TableRepository):
    TABLE = TENANTS

    def create(self, tenant: Tenant) -> None:
        """Store the tenant and reserve its slug atomically; a taken slug is a 409."""
        self.create_reserved(
            {"PartitionKey": _PARTITION, "RowKey": f"s:{tenant.slug}", "tenant_id": tenant.id},
            {"PartitionKey": _PARTITION, "RowKey": f"t:{tenant.id}", **tenant.model_dump()},
            lambda: _slug_taken(tenant.slug),
        )

    def get(self, tenant_id: str) -> Tenant | None:
        entity = self.get_or_none(_PARTITION, f"t:{tenant_id}")
        return _tenant(entity) if entity is not None else None

    def page(self, page: PageQuery) -> Page[Tenant]:
        return self.range_page(_PARTITION, "t:", page, _tenant)


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


class ApiKeyRepository(TableRepository):
    TABLE = API_KEYS

    def add(self, key: ApiKey, key_hash: str, tenant: Tenant) -> None:
        fields = {
            "key_id": key.id,
            "tenant_id": key.tenant_id,
            "name": key.name,
            "scopes": ",".join(key.scopes),
            "created_at": key.created_at,
        }
        self.table.create_entity({"PartitionKey": f"tenant:{key.tenant_id}", "RowKey": key.id, **fields})
        self.table.create_entity(
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
        entity = self.get_or_none(f"key:{key_id}", "key")
        if entity is None:
            return None
        tenant = Tenant(
            id=entity["tenant_id"],
            name=entity["tenant_name"],
            slug=entity["tenant_slug"],
            created_at=entity["tenant_created_at"],
        )
        return KeyRecord(key=_key(entity), hash=entity["hash"], tenant=tenant)

    def get(self, tenant_id: str, key_id: str) -> ApiKey | None:
        entity = self.get_or_none(f"tenant:{tenant_id}", key_id)
        return _key(entity) if entity is not None else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[ApiKey]:
        return self.partition_page(f"tenant:{tenant_id}", page, _key)

    def revoke(self, tenant_id: str, key_id: str, when: datetime) -> None:
        """Mark the key revoked: the authentication record first, then the listing."""
        patch = {"revoked_at": when}
        for partition, row in ((f"key:{key_id}", "key"), (f"tenant:{tenant_id}", key_id)):
            try:
                # MERGE never creates: a missing entity is a 404, so nothing half-made appears.
                self.table.update_entity({"PartitionKey": partition, "RowKey": row, **patch}, mode=UpdateMode.MERGE)
            except ResourceNotFoundError:
                pass
