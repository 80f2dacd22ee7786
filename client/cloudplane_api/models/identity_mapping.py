from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope

T = TypeVar("T", bound="IdentityMapping")


@_attrs_define
class IdentityMapping:
    """
    Attributes:
        id (str):
        entra_tenant_id (str):
        group_id (None | str):
        app_role (None | str):
        tenant_id (str):
        scopes (list[Scope]):
        created_at (datetime.datetime):
    """

    id: str
    entra_tenant_id: str
    group_id: None | str
    app_role: None | str
    tenant_id: str
    scopes: list[Scope]
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        entra_tenant_id = self.entra_tenant_id

        group_id: None | str
        group_id = self.group_id

        app_role: None | str
        app_role = self.app_role

        tenant_id = self.tenant_id

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "entra_tenant_id": entra_tenant_id,
                "group_id": group_id,
                "app_role": app_role,
                "tenant_id": tenant_id,
                "scopes": scopes,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        entra_tenant_id = d.pop("entra_tenant_id")

        def _parse_group_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group_id = _parse_group_id(d.pop("group_id"))

        def _parse_app_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        app_role = _parse_app_role(d.pop("app_role"))

        tenant_id = d.pop("tenant_id")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = Scope(scopes_item_data)

            scopes.append(scopes_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        identity_mapping = cls(
            id=id,
            entra_tenant_id=entra_tenant_id,
            group_id=group_id,
            app_role=app_role,
            tenant_id=tenant_id,
            scopes=scopes,
            created_at=created_at,
        )

        identity_mapping.additional_properties = d
        return identity_mapping

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
