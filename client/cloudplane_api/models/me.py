from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope

if TYPE_CHECKING:
    from ..models.tenant import Tenant


T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        tenant (None | Tenant): Null for the admin key.
        key_id (None | str):
        scopes (list[Scope]):
        admin (bool):
    """

    tenant: None | Tenant
    key_id: None | str
    scopes: list[Scope]
    admin: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant import Tenant  # noqa: PLC0415

        tenant: dict[str, Any] | None
        if isinstance(self.tenant, Tenant):
            tenant = self.tenant.to_dict()
        else:
            tenant = self.tenant

        key_id: None | str
        key_id = self.key_id

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        admin = self.admin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tenant": tenant,
                "key_id": key_id,
                "scopes": scopes,
                "admin": admin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant import Tenant  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_tenant(data: object) -> None | Tenant:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tenant_type_0 = Tenant.from_dict(data)

                return tenant_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Tenant, data)

        tenant = _parse_tenant(d.pop("tenant"))

        def _parse_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key_id = _parse_key_id(d.pop("key_id"))

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = Scope(scopes_item_data)

            scopes.append(scopes_item)

        admin = d.pop("admin")

        me = cls(
            tenant=tenant,
            key_id=key_id,
            scopes=scopes,
            admin=admin,
        )

        me.additional_properties = d
        return me

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
