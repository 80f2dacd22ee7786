from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TagRef")


@_attrs_define
class TagRef:
    """
    Attributes:
        billing_acct_id (None | str | Unset):
        order_id (None | str | Unset):
        tag_name (None | str | Unset):
        tag_value (None | str | Unset):
    """

    billing_acct_id: None | str | Unset = UNSET
    order_id: None | str | Unset = UNSET
    tag_name: None | str | Unset = UNSET
    tag_value: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billing_acct_id: None | str | Unset
        if isinstance(self.billing_acct_id, Unset):
            billing_acct_id = UNSET
        else:
            billing_acct_id = self.billing_acct_id

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        tag_name: None | str | Unset
        if isinstance(self.tag_name, Unset):
            tag_name = UNSET
        else:
            tag_name = self.tag_name

        tag_value: None | str | Unset
        if isinstance(self.tag_value, Unset):
            tag_value = UNSET
        else:
            tag_value = self.tag_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if billing_acct_id is not UNSET:
            field_dict["billing_acct_id"] = billing_acct_id
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if tag_name is not UNSET:
            field_dict["tag_name"] = tag_name
        if tag_value is not UNSET:
            field_dict["tag_value"] = tag_value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_billing_acct_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_acct_id = _parse_billing_acct_id(d.pop("billing_acct_id", UNSET))

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        def _parse_tag_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tag_name = _parse_tag_name(d.pop("tag_name", UNSET))

        def _parse_tag_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tag_value = _parse_tag_value(d.pop("tag_value", UNSET))

        tag_ref = cls(
            billing_acct_id=billing_acct_id,
            order_id=order_id,
            tag_name=tag_name,
            tag_value=tag_value,
        )

        tag_ref.additional_properties = d
        return tag_ref

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
