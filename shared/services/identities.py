"""Identity mappings (admin key): which Cloudplane tenant a Microsoft identity platform token acts for."""

from __future__ import annotations

import secrets
from typing import Protocol

from shared.clock import Clock
from shared.errors import NotFound, ValidationFailed
from shared.models.common import Page, PageQuery
from shared.models.identities import IdentityMapping, IdentityMappingCreate
from shared.storage.identities import IdentityMappingRepository
from shared.storage.tenants import TenantRepository


class MappingCache(Protocol):
    """What a change needs of the authenticator: drop an Entra tenant's mappings from this instance's cache."""

    def forget_mappings(self, entra_tenant_id: str) -> None: ...


def _not_found(mapping_id: str) -> NotFound:
    return NotFound(
        f"Identity mapping {mapping_id} not found.",
        code="IDENTITY_MAPPING_NOT_FOUND",
        details={"mapping_id": mapping_id},
    )


class IdentityMappingsService:
    def __init__(
        self, mappings: IdentityMappingRepository, tenants: TenantRepository, cache: MappingCache, clock: Clock
    ) -> None:
        self._mappings = mappings
        self._tenants = tenants
        self._cache = cache
        self._clock = clock

    def create(self, request: IdentityMappingCreate) -> IdentityMapping:
        """Map an Entra tenant (optionally one group or app role of it) to an existing tenant; 409 if the
        same Entra tenant and condition are mapped already."""
        if self._tenants.get(request.tenant_id) is None:
            raise ValidationFailed(
                "tenant_id names no tenant.",
                code="TENANT_NOT_FOUND",
                details={"fields": [{"path": "body.tenant_id", "message": "no such tenant", "type": "not_found"}]},
            )
        mapping = IdentityMapping(
            id=f"idm_{secrets.token_hex(8)}",
            entra_tenant_id=request.entra_tenant_id.lower(),
            group_id=request.group_id.lower() if request.group_id else None,
            app_role=request.app_role,
            tenant_id=request.tenant_id,
            scopes=list(dict.fromkeys(request.scopes)),
            created_at=self._clock(),
        )
        self._mappings.create(mapping, request.condition)
        self._cache.forget_mappings(mapping.entra_tenant_id)
        return mapping

    def list(self, page: PageQuery) -> Page[IdentityMapping]:
        return self._mappings.page(page)

    def get(self, mapping_id: str) -> IdentityMapping:
        found = self._mappings.get(mapping_id)
        if found is None:
            raise _not_found(mapping_id)
        return found

    def delete(self, mapping_id: str) -> None:
        """Tokens it covered are refused on every instance within the auth cache's lifetime (at most 5 s)."""
        found = self.get(mapping_id)
        if not self._mappings.delete(mapping_id):
            raise _not_found(mapping_id)
        self._cache.forget_mappings(found.entra_tenant_id)
