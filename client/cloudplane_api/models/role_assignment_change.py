from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RoleAssignmentChange")


@_attrs_define
class RoleAssignmentChange:
    """PATCH: replace the user's ``role`` in the team by ``new_role``.

    Attributes:
        user_id (str):
        role (str):
        new_role (str):
    """

    user_id: str
    role: str
    new_role: str

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        role = self.role

        new_role = self.new_role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user_id": user_id,
                "role": role,
                "new_role": new_role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_id = d.pop("user_id")

        role = d.pop("role")

        new_role = d.pop("new_role")

        role_assignment_change = cls(
            user_id=user_id,
            role=role,
            new_role=new_role,
        )

        return role_assignment_change
