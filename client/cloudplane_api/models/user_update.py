from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cloud_env import CloudEnv
    from ..models.user_update_info import UserUpdateInfo


T = TypeVar("T", bound="UserUpdate")


@_attrs_define
class UserUpdate:
    """
    Attributes:
        cloud_env (CloudEnv): Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3
            password auth).
        user_info (UserUpdateInfo):
    """

    cloud_env: CloudEnv
    user_info: UserUpdateInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud_env = self.cloud_env.to_dict()

        user_info = self.user_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud_env": cloud_env,
                "user_info": user_info,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415
        from ..models.user_update_info import UserUpdateInfo  # noqa: PLC0415

        d = dict(src_dict)
        cloud_env = CloudEnv.from_dict(d.pop("cloud_env"))

        user_info = UserUpdateInfo.from_dict(d.pop("user_info"))

        user_update = cls(
            cloud_env=cloud_env,
            user_info=user_info,
        )

        user_update.additional_properties = d
        return user_update

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
