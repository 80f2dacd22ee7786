from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="IdentityMappingCreate")


@_attrs_define
class IdentityMappingCreate:
    """Tokens of ``entra_tenant_id`` (and, when given, only those in ``group_id`` or carrying
    ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or role
    mapping uses it over the tenant-wide one; one that matches mappings to two tenants is refused.

        Attributes:
            entra_tenant_id (str): The Entra tenant id (the token's tid).
            tenant_id (str): The Cloudplane tenant.
            group_id (None | str | Unset): Only tokens listing this group (object id).
            app_role (None | str | Unset): Only tokens carrying this app role.
            scopes (list[Scope] | Unset): The scopes of a token that carries the required delegated scope and none of the
                app roles (a token with the read or write app role gets exactly those).
    """

    entra_tenant_id: str
    tenant_id: str
    group_id: None | str | Unset = UNSET
    app_role: None | str | Unset = UNSET
    scopes: list[Scope] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        entra_tenant_id = self.entra_tenant_id

        tenant_id = self.tenant_id

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        app_role: None | str | Unset
        if isinstance(self.app_role, Unset):
            app_role = UNSET
        else:
            app_role = self.app_role

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = []
            for scopes_item_data in self.scopes:
                scopes_item = scopes_item_data.value
                scopes.append(scopes_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "entra_tenant_id": entra_tenant_id,
                "tenant_id": tenant_id,
            }
        )
        if group_id is not UNSET:
            field_dict["group_id"] = group_id
        if app_role is not UNSET:
            field_dict["app_role"] = app_role
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entra_tenant_id = d.pop("entra_tenant_id")

        tenant_id = d.pop("tenant_id")

        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))

        def _parse_app_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_role = _parse_app_role(d.pop("app_role", UNSET))

        _scopes = d.pop("scopes", UNSET)
        scopes: list[Scope] | Unset = UNSET
        if _scopes is not UNSET:
            scopes = []
            for scopes_item_data in _scopes:
                scopes_item = Scope(scopes_item_data)

                scopes.append(scopes_item)

        identity_mapping_create = cls(
            entra_tenant_id=entra_tenant_id,
            tenant_id=tenant_id,
            group_id=group_id,
            app_role=app_role,
            scopes=scopes,
        )

        return identity_mapping_create
