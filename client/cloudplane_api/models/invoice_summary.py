from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_summary_status import InvoiceSummaryStatus

T = TypeVar("T", bound="InvoiceSummary")


@_attrs_define
class InvoiceSummary:
    """
    Attributes:
        id (str):
        number (int | None):
        status (InvoiceSummaryStatus):
        period (str):
        currency (str):
        subtotal (int):
        credits_applied (int):
        total_due (int):
    """

    id: str
    number: int | None
    status: InvoiceSummaryStatus
    period: str
    currency: str
    subtotal: int
    credits_applied: int
    total_due: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number: int | None
        number = self.number

        status = self.status.value

        period = self.period

        currency = self.currency

        subtotal = self.subtotal

        credits_applied = self.credits_applied

        total_due = self.total_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "status": status,
                "period": period,
                "currency": currency,
                "subtotal": subtotal,
                "credits_applied": credits_applied,
                "total_due": total_due,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        number = _parse_number(d.pop("number"))

        status = InvoiceSummaryStatus(d.pop("status"))

        period = d.pop("period")

        currency = d.pop("currency")

        subtotal = d.pop("subtotal")

        credits_applied = d.pop("credits_applied")

        total_due = d.pop("total_due")

        invoice_summary = cls(
            id=id,
            number=number,
            status=status,
            period=period,
            currency=currency,
            subtotal=subtotal,
            credits_applied=credits_applied,
            total_due=total_due,
        )

        invoice_summary.additional_properties = d
        return invoice_summary

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
