from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InvoiceRef")


@_attrs_define
class InvoiceRef:
    """
    Attributes:
        billing_acct_id (None | str | Unset):
        invoice_id (None | str | Unset):
    """

    billing_acct_id: None | str | Unset = UNSET
    invoice_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billing_acct_id: None | str | Unset
        if isinstance(self.billing_acct_id, Unset):
            billing_acct_id = UNSET
        else:
            billing_acct_id = self.billing_acct_id

        invoice_id: None | str | Unset
        if isinstance(self.invoice_id, Unset):
            invoice_id = UNSET
        else:
            invoice_id = self.invoice_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if billing_acct_id is not UNSET:
            field_dict["billing_acct_id"] = billing_acct_id
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id

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

        def _parse_invoice_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id", UNSET))

        invoice_ref = cls(
            billing_acct_id=billing_acct_id,
            invoice_id=invoice_id,
        )

        invoice_ref.additional_properties = d
        return invoice_ref

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
