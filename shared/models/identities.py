"""Which Cloudplane tenant a Microsoft identity platform (Entra ID) token acts for: a mapping from
the token's Entra tenant (``tid``), optionally narrowed to a group or an app role, managed with the
admin key. Nothing is guessed: a valid token that no mapping covers is refused (403)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from shared.models.base import ApiModel
from shared.models.common import AddressableId
from shared.models.tenants import Scope

GUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
APP_ROLE_PATTERN = r"^[A-Za-z0-9._:-]{1,120}$"
"""An app role's value as Entra allows it (no spaces), without characters a Table key refuses."""


class IdentityMappingCreate(ApiModel):
    """Tokens of ``entra_tenant_id`` (and, when given, only those in ``group_id`` or carrying
    ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or role
    mapping uses it over the tenant-wide one; one that matches mappings to two tenants is refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    entra_tenant_id: str = Field(pattern=GUID_PATTERN, description="The Entra tenant id (the token's tid).")
    group_id: str | None = Field(None, pattern=GUID_PATTERN, description="Only tokens listing this group (object id).")
    app_role: str | None = Field(None, pattern=APP_ROLE_PATTERN, description="Only tokens carrying this app role.")
    tenant_id: AddressableId = Field(min_length=1, max_length=64, description="The Cloudplane tenant.")
    scopes: list[Scope] = Field(
        default_factory=lambda: [Scope.READ, Scope.WRITE],
        min_length=1,
        description="The scopes of a token that carries the required delegated scope and none of the app roles "
        "(a token with the read or write app role gets exactly those).",
    )

    @model_validator(mode="after")
    def _one_condition(self) -> Self:
        if self.group_id is not None and self.app_role is not None:
            raise ValueError("give group_id or app_role, not both")
        return self

    @property
    def condition(self) -> str:
        """``*``, ``group:<id>`` or ``role:<value>``: what a token must show beyond its tid."""
        if self.group_id is not None:
            return f"group:{self.group_id.lower()}"
        if self.app_role is not None:
            return f"role:{self.app_role}"
        return "*"


class IdentityMapping(ApiModel):
    id: str
    entra_tenant_id: str
    group_id: str | None
    app_role: str | None
    tenant_id: str
    scopes: list[Scope]
    created_at: datetime
