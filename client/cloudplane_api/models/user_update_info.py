from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user_changes import UserChanges


T = TypeVar("T", bound="UserUpdateInfo")


@_attrs_define
class UserUpdateInfo:
    """
    Attributes:
        cloud_user_id (str):
        new_data (UserChanges):
    """

    cloud_user_id: str
    new_data: UserChanges
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud_user_id = self.cloud_user_id

        new_data = self.new_data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud_user_id": cloud_user_id,
                "new_data": new_data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_changes import UserChanges  # noqa: PLC0415

        d = dict(src_dict)
        cloud_user_id = d.pop("cloud_user_id")

        new_data = UserChanges.from_dict(d.pop("new_data"))

        user_update_info = cls(
            cloud_user_id=cloud_user_id,
            new_data=new_data,
        )

        user_update_info.additional_properties = d
        return user_update_info

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
