from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cloud_env import CloudEnv
    from ..models.team_role_spec import TeamRoleSpec


T = TypeVar("T", bound="CloudTeamRole")


@_attrs_define
class CloudTeamRole:
    """
    Attributes:
        cloud_env (CloudEnv): Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3
            password auth).
        team_role (TeamRoleSpec):
    """

    cloud_env: CloudEnv
    team_role: TeamRoleSpec
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud_env = self.cloud_env.to_dict()

        team_role = self.team_role.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud_env": cloud_env,
                "team_role": team_role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415
        from ..models.team_role_spec import TeamRoleSpec  # noqa: PLC0415

        d = dict(src_dict)
        cloud_env = CloudEnv.from_dict(d.pop("cloud_env"))

        team_role = TeamRoleSpec.from_dict(d.pop("team_role"))

        cloud_team_role = cls(
            cloud_env=cloud_env,
            team_role=team_role,
        )

        cloud_team_role.additional_properties = d
        return cloud_team_role

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
