from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_line_kind import InvoiceLineKind
from ..models.invoice_line_usage_kind_type_0 import InvoiceLineUsageKindType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="InvoiceLine")


@_attrs_define
class InvoiceLine:
    """
    Attributes:
        kind (InvoiceLineKind):
        description (str):
        period (str): The period the usage or order time belongs to.
        quantity (str): Unit-hours (or the share of a month), exact decimal string.
        rate (str): Minor units per unit-hour (or per month).
        amount (int): Minor units, rounded once (half up).
        usage_kind (InvoiceLineUsageKindType0 | None | Unset):
        label (str | Unset):  Default: ''.
        resource_id (None | str | Unset):
    """

    kind: InvoiceLineKind
    description: str
    period: str
    quantity: str
    rate: str
    amount: int
    usage_kind: InvoiceLineUsageKindType0 | None | Unset = UNSET
    label: str | Unset = ""
    resource_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        description = self.description

        period = self.period

        quantity = self.quantity

        rate = self.rate

        amount = self.amount

        usage_kind: None | str | Unset
        if isinstance(self.usage_kind, Unset):
            usage_kind = UNSET
        elif isinstance(self.usage_kind, InvoiceLineUsageKindType0):
            usage_kind = self.usage_kind.value
        else:
            usage_kind = self.usage_kind

        label = self.label

        resource_id: None | str | Unset
        if isinstance(self.resource_id, Unset):
            resource_id = UNSET
        else:
            resource_id = self.resource_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "description": description,
                "period": period,
                "quantity": quantity,
                "rate": rate,
                "amount": amount,
            }
        )
        if usage_kind is not UNSET:
            field_dict["usage_kind"] = usage_kind
        if label is not UNSET:
            field_dict["label"] = label
        if resource_id is not UNSET:
            field_dict["resource_id"] = resource_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = InvoiceLineKind(d.pop("kind"))

        description = d.pop("description")

        period = d.pop("period")

        quantity = d.pop("quantity")

        rate = d.pop("rate")

        amount = d.pop("amount")

        def _parse_usage_kind(data: object) -> InvoiceLineUsageKindType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                usage_kind_type_0 = InvoiceLineUsageKindType0(data)

                return usage_kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceLineUsageKindType0 | None | Unset, data)

        usage_kind = _parse_usage_kind(d.pop("usage_kind", UNSET))

        label = d.pop("label", UNSET)

        def _parse_resource_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resource_id = _parse_resource_id(d.pop("resource_id", UNSET))

        invoice_line = cls(
            kind=kind,
            description=description,
            period=period,
            quantity=quantity,
            rate=rate,
            amount=amount,
            usage_kind=usage_kind,
            label=label,
            resource_id=resource_id,
        )

        invoice_line.additional_properties = d
        return invoice_line

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
