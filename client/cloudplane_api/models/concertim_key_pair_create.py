from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cloud_env import CloudEnv
    from ..models.key_pair_spec import KeyPairSpec


T = TypeVar("T", bound="ConcertimKeyPairCreate")


@_attrs_define
class ConcertimKeyPairCreate:
    """
    Attributes:
        cloud_env (CloudEnv): Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3
            password auth).
        key_pair (KeyPairSpec):
    """

    cloud_env: CloudEnv
    key_pair: KeyPairSpec
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cloud_env = self.cloud_env.to_dict()

        key_pair = self.key_pair.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cloud_env": cloud_env,
                "key_pair": key_pair,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_env import CloudEnv  # noqa: PLC0415
        from ..models.key_pair_spec import KeyPairSpec  # noqa: PLC0415

        d = dict(src_dict)
        cloud_env = CloudEnv.from_dict(d.pop("cloud_env"))

        key_pair = KeyPairSpec.from_dict(d.pop("key_pair"))

        concertim_key_pair_create = cls(
            cloud_env=cloud_env,
            key_pair=key_pair,
        )

        concertim_key_pair_create.additional_properties = d
        return concertim_key_pair_create

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
