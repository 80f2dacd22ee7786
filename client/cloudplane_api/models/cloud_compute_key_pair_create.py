from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cloud_compute_key_pair_create_key_type import (
    CloudComputeKeyPairCreateKeyType,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudComputeKeyPairCreate")


@_attrs_define
class CloudComputeKeyPairCreate:
    """Without ``public_key`` the cloud generates the pair and the private key is returned once.

    Attributes:
        name (str):
        key_type (CloudComputeKeyPairCreateKeyType | Unset):  Default: CloudComputeKeyPairCreateKeyType.SSH.
        public_key (None | str | Unset): An OpenSSH public key, or a PEM certificate for x509.
    """

    name: str
    key_type: CloudComputeKeyPairCreateKeyType | Unset = (
        CloudComputeKeyPairCreateKeyType.SSH
    )
    public_key: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key_type: str | Unset = UNSET
        if not isinstance(self.key_type, Unset):
            key_type = self.key_type.value

        public_key: None | str | Unset
        if isinstance(self.public_key, Unset):
            public_key = UNSET
        else:
            public_key = self.public_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if public_key is not UNSET:
            field_dict["public_key"] = public_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _key_type = d.pop("key_type", UNSET)
        key_type: CloudComputeKeyPairCreateKeyType | Unset
        if isinstance(_key_type, Unset):
            key_type = UNSET
        else:
            key_type = CloudComputeKeyPairCreateKeyType(_key_type)

        def _parse_public_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        public_key = _parse_public_key(d.pop("public_key", UNSET))

        cloud_compute_key_pair_create = cls(
            name=name,
            key_type=key_type,
            public_key=public_key,
        )

        return cloud_compute_key_pair_create
