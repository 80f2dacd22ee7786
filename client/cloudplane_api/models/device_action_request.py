from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.device_action import DeviceAction

T = TypeVar("T", bound="DeviceActionRequest")


@_attrs_define
class DeviceActionRequest:
    """``POST /api/v1/clouds/{cloud_id}/devices/{server_id}/actions``.

    Attributes:
        action (DeviceAction):
    """

    action: DeviceAction

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = DeviceAction(d.pop("action"))

        device_action_request = cls(
            action=action,
        )

        return device_action_request
