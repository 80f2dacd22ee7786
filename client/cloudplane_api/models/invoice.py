from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_status import InvoiceStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invoice_line import InvoiceLine


T = TypeVar("T", bound="Invoice")


@_attrs_define
class Invoice:
    """
    Attributes:
        id (str):
        account_id (str):
        status (InvoiceStatus):
        period (str):
        period_start (datetime.datetime):
        period_end (datetime.datetime):
        currency (str):
        lines (list[InvoiceLine]):
        subtotal (int):
        credits_applied (int):
        total_due (int):
        number (int | None | Unset): Gapless per account; none on a draft.
        closed_at (datetime.datetime | None | Unset):
    """

    id: str
    account_id: str
    status: InvoiceStatus
    period: str
    period_start: datetime.datetime
    period_end: datetime.datetime
    currency: str
    lines: list[InvoiceLine]
    subtotal: int
    credits_applied: int
    total_due: int
    number: int | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        account_id = self.account_id

        status = self.status.value

        period = self.period

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        subtotal = self.subtotal

        credits_applied = self.credits_applied

        total_due = self.total_due

        number: int | None | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "account_id": account_id,
                "status": status,
                "period": period,
                "period_start": period_start,
                "period_end": period_end,
                "currency": currency,
                "lines": lines,
                "subtotal": subtotal,
                "credits_applied": credits_applied,
                "total_due": total_due,
            }
        )
        if number is not UNSET:
            field_dict["number"] = number
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_line import InvoiceLine  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        account_id = d.pop("account_id")

        status = InvoiceStatus(d.pop("status"))

        period = d.pop("period")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = InvoiceLine.from_dict(lines_item_data)

            lines.append(lines_item)

        subtotal = d.pop("subtotal")

        credits_applied = d.pop("credits_applied")

        total_due = d.pop("total_due")

        def _parse_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        number = _parse_number(d.pop("number", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        invoice = cls(
            id=id,
            account_id=account_id,
            status=status,
            period=period,
            period_start=period_start,
            period_end=period_end,
            currency=currency,
            lines=lines,
            subtotal=subtotal,
            credits_applied=credits_applied,
            total_due=total_due,
            number=number,
            closed_at=closed_at,
        )

        invoice.additional_properties = d
        return invoice

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
