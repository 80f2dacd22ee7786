from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invoice_ref import InvoiceRef


T = TypeVar("T", bound="InvoiceRequest")


@_attrs_define
class InvoiceRequest:
    """``get_draft_invoice`` (``billing_acct_id``) and ``get_account_invoice`` (and ``invoice_id``).

    Attributes:
        invoice (InvoiceRef | None | Unset):
    """

    invoice: InvoiceRef | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice_ref import InvoiceRef  # noqa: PLC0415

        invoice: dict[str, Any] | None | Unset
        if isinstance(self.invoice, Unset):
            invoice = UNSET
        elif isinstance(self.invoice, InvoiceRef):
            invoice = self.invoice.to_dict()
        else:
            invoice = self.invoice

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if invoice is not UNSET:
            field_dict["invoice"] = invoice

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_ref import InvoiceRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_invoice(data: object) -> InvoiceRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                invoice_type_0 = InvoiceRef.from_dict(data)

                return invoice_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoiceRef | None | Unset, data)

        invoice = _parse_invoice(d.pop("invoice", UNSET))

        invoice_request = cls(
            invoice=invoice,
        )

        invoice_request.additional_properties = d
        return invoice_request

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
