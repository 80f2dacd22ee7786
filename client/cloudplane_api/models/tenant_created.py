from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_key_with_secret import ApiKeyWithSecret
    from ..models.tenant import Tenant


T = TypeVar("T", bound="TenantCreated")


@_attrs_define
class TenantCreated:
    """
    Attributes:
        tenant (Tenant):
        api_key (ApiKeyWithSecret):
    """

    tenant: Tenant
    api_key: ApiKeyWithSecret
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tenant = self.tenant.to_dict()

        api_key = self.api_key.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tenant": tenant,
                "api_key": api_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_with_secret import ApiKeyWithSecret  # noqa: PLC0415
        from ..models.tenant import Tenant  # noqa: PLC0415

        d = dict(src_dict)
        tenant = Tenant.from_dict(d.pop("tenant"))

        api_key = ApiKeyWithSecret.from_dict(d.pop("api_key"))

        tenant_created = cls(
            tenant=tenant,
            api_key=api_key,
        )

        tenant_created.additional_properties = d
        return tenant_created

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
