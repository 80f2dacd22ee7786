from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TeamRoleChange")


@_attrs_define
class TeamRoleChange:
    """
    Attributes:
        project_id (str):
        user_id (str):
        current_role (str):
        new_role (str):
    """

    project_id: str
    user_id: str
    current_role: str
    new_role: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_id = self.project_id

        user_id = self.user_id

        current_role = self.current_role

        new_role = self.new_role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_id": project_id,
                "user_id": user_id,
                "current_role": current_role,
                "new_role": new_role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_id = d.pop("project_id")

        user_id = d.pop("user_id")

        current_role = d.pop("current_role")

        new_role = d.pop("new_role")

        team_role_change = cls(
            project_id=project_id,
            user_id=user_id,
            current_role=current_role,
            new_role=new_role,
        )

        team_role_change.additional_properties = d
        return team_role_change

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
