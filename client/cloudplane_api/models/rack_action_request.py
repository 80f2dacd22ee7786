from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.rack_action import RackAction

T = TypeVar("T", bound="RackActionRequest")


@_attrs_define
class RackActionRequest:
    """``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a rack is a Heat stack).

    Attributes:
        action (RackAction):
    """

    action: RackAction

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
        action = RackAction(d.pop("action"))

        rack_action_request = cls(
            action=action,
        )

        return rack_action_request
