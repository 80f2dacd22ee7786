from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.invoice_page_ref import InvoicePageRef


T = TypeVar("T", bound="InvoicePageRequest")


@_attrs_define
class InvoicePageRequest:
    """
    Attributes:
        invoices (InvoicePageRef | None | Unset):
    """

    invoices: InvoicePageRef | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice_page_ref import InvoicePageRef  # noqa: PLC0415

        invoices: dict[str, Any] | None | Unset
        if isinstance(self.invoices, Unset):
            invoices = UNSET
        elif isinstance(self.invoices, InvoicePageRef):
            invoices = self.invoices.to_dict()
        else:
            invoices = self.invoices

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if invoices is not UNSET:
            field_dict["invoices"] = invoices

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_page_ref import InvoicePageRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_invoices(data: object) -> InvoicePageRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                invoices_type_0 = InvoicePageRef.from_dict(data)

                return invoices_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoicePageRef | None | Unset, data)

        invoices = _parse_invoices(d.pop("invoices", UNSET))

        invoice_page_request = cls(
            invoices=invoices,
        )

        invoice_page_request.additional_properties = d
        return invoice_page_request

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
