from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cloud_env import CloudEnv


T = TypeVar("T", bound="StatusUpdate")


@_attrs_define
class StatusUpdate:
    """
    Attributes:
        cloud_env (CloudEnv): Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3
            password auth).
        action (str):
    """

    cloud_env: CloudEnv
    action: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud_env = self.cloud_env.to_dict()

        action = self.action

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud_env": cloud_env,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415

        d = dict(src_dict)
        cloud_env = CloudEnv.from_dict(d.pop("cloud_env"))

        action = d.pop("action")

        status_update = cls(
            cloud_env=cloud_env,
            action=action,
        )

        status_update.additional_properties = d
        return status_update

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
