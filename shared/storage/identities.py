"""Identity mappings in Table ``identitymappings``, one partition: ``c:<tid>:<condition>`` is what
authentication reads (one range query per Entra tenant: ``c:<tid>:``) and ``i:<id>`` what the admin
listing and deletion read. Both rows carry the whole mapping and are written and removed together,
so the condition row doubles as the reservation that keeps (tid, condition) unique."""

from __future__ import annotations

from azure.data.tables import TableEntity

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.identities import IdentityMapping
from shared.models.tenants import Scope
from shared.storage.base import TableRepository

IDENTITY_MAPPINGS = "identitymappings"
MAPPINGS_PARTITION = "mappings"


def condition_row(entra_tenant_id: str, condition: str) -> str:
    return f"c:{entra_tenant_id.lower()}:{condition}"


def _mapping(entity: TableEntity) -> IdentityMapping:
    return IdentityMapping(
        id=entity["id"],
        entra_tenant_id=entity["entra_tenant_id"],
        group_id=entity.get("group_id"),
        app_role=entity.get("app_role"),
        tenant_id=entity["tenant_id"],
        scopes=[Scope(s) for s in entity["scopes"].split(",") if s],
        created_at=entity["created_at"],
    )


class IdentityMappingRepository(TableRepository):
    TABLE = IDENTITY_MAPPINGS

    def create(self, mapping: IdentityMapping, condition: str) -> None:
        """Store the mapping; another mapping of the same tid and condition is a 409."""
        fields = {
            "id": mapping.id,
            "entra_tenant_id": mapping.entra_tenant_id.lower(),
            "group_id": mapping.group_id.lower() if mapping.group_id else None,
            "app_role": mapping.app_role,
            "tenant_id": mapping.tenant_id,
            "scopes": ",".join(mapping.scopes),
            "created_at": mapping.created_at,
            "condition": condition,
        }
        self.create_reserved(
            {"PartitionKey": MAPPINGS_PARTITION, "RowKey": condition_row(mapping.entra_tenant_id, condition), **fields},
            {"PartitionKey": MAPPINGS_PARTITION, "RowKey": f"i:{mapping.id}", **fields},
            lambda: Conflict(
                "A mapping for this Entra tenant and condition exists; delete it first.",
                code="IDENTITY_MAPPING_EXISTS",
            ),
        )

    def get(self, mapping_id: str) -> IdentityMapping | None:
        entity = self.get_or_none(MAPPINGS_PARTITION, f"i:{mapping_id}")
        return _mapping(entity) if entity is not None else None

    def page(self, page: PageQuery) -> Page[IdentityMapping]:
        return self.range_page(MAPPINGS_PARTITION, "i:", page, _mapping)

    def delete(self, mapping_id: str) -> bool:
        """Remove the mapping and its condition row; False when there was none."""
        entity = self.get_or_none(MAPPINGS_PARTITION, f"i:{mapping_id}")
        if entity is None:
            return False
        self.delete_reserved(
            MAPPINGS_PARTITION, f"i:{mapping_id}", condition_row(entity["entra_tenant_id"], entity["condition"])
        )
        return True

    def for_entra_tenant(self, entra_tenant_id: str) -> list[tuple[str, IdentityMapping]]:
        """Every (condition, mapping) of one Entra tenant: one range query."""
        return [
            (entity["condition"], _mapping(entity))
            for entity in self.in_range(MAPPINGS_PARTITION, condition_row(entra_tenant_id, ""))
        ]
