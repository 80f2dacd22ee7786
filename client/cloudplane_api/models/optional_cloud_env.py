from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_env import CloudEnv


T = TypeVar("T", bound="OptionalCloudEnv")


@_attrs_define
class OptionalCloudEnv:
    """``GET /team/{project_id}/quotas``: Concertim's UI sends no body (its service used its own admin
    credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers.

        Attributes:
            cloud_env (CloudEnv | None | Unset):
    """

    cloud_env: CloudEnv | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415

        cloud_env: dict[str, Any] | None | Unset
        if isinstance(self.cloud_env, Unset):
            cloud_env = UNSET
        elif isinstance(self.cloud_env, CloudEnv):
            cloud_env = self.cloud_env.to_dict()
        else:
            cloud_env = self.cloud_env

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cloud_env is not UNSET:
            field_dict["cloud_env"] = cloud_env

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cloud_env(data: object) -> CloudEnv | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cloud_env_type_0 = CloudEnv.from_dict(data)

                return cloud_env_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudEnv | None | Unset, data)

        cloud_env = _parse_cloud_env(d.pop("cloud_env", UNSET))

        optional_cloud_env = cls(
            cloud_env=cloud_env,
        )

        optional_cloud_env.additional_properties = d
        return optional_cloud_env

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
