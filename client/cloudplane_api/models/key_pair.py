from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.key_pair_key_type_type_0 import KeyPairKeyTypeType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyPair")


@_attrs_define
class KeyPair:
    """
    Attributes:
        name (str):
        key_type (KeyPairKeyTypeType0 | str | Unset):  Default: KeyPairKeyTypeType0.SSH.
        fingerprint (None | str | Unset):
        public_key (None | str | Unset):
        user_id (None | str | Unset):
    """

    name: str
    key_type: KeyPairKeyTypeType0 | str | Unset = KeyPairKeyTypeType0.SSH
    fingerprint: None | str | Unset = UNSET
    public_key: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key_type: str | Unset
        if isinstance(self.key_type, Unset):
            key_type = UNSET
        elif isinstance(self.key_type, KeyPairKeyTypeType0):
            key_type = self.key_type.value
        else:
            key_type = self.key_type

        fingerprint: None | str | Unset
        if isinstance(self.fingerprint, Unset):
            fingerprint = UNSET
        else:
            fingerprint = self.fingerprint

        public_key: None | str | Unset
        if isinstance(self.public_key, Unset):
            public_key = UNSET
        else:
            public_key = self.public_key

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if fingerprint is not UNSET:
            field_dict["fingerprint"] = fingerprint
        if public_key is not UNSET:
            field_dict["public_key"] = public_key
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_key_type(data: object) -> KeyPairKeyTypeType0 | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                key_type_type_0 = KeyPairKeyTypeType0(data)

                return key_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KeyPairKeyTypeType0 | str | Unset, data)

        key_type = _parse_key_type(d.pop("key_type", UNSET))

        def _parse_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fingerprint = _parse_fingerprint(d.pop("fingerprint", UNSET))

        def _parse_public_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        public_key = _parse_public_key(d.pop("public_key", UNSET))

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        key_pair = cls(
            name=name,
            key_type=key_type,
            fingerprint=fingerprint,
            public_key=public_key,
            user_id=user_id,
        )

        key_pair.additional_properties = d
        return key_pair

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
