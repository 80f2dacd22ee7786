from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.billing_account_owner_kind import BillingAccountOwnerKind
from ..models.billing_account_status import BillingAccountStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="BillingAccount")


@_attrs_define
class BillingAccount:
    """Who is billed: a team (OpenStack project) or a Cloudplane tenant, in one currency.

    Attributes:
        id (str):
        tenant_id (str):
        owner_kind (BillingAccountOwnerKind):
        owner_id (str):
        name (str):
        currency (str):
        status (BillingAccountStatus):
        open_period (str): The first period not yet invoiced.
        created_at (datetime.datetime):
        provider (str | Unset): The billing provider that keeps this account. Default: 'builtin'.
        credit_balance (int | Unset): Prepaid credits left, in minor units. Default: 0.
        invoices_closed (int | Unset): Invoices numbered so far (the last one's number). Default: 0.
        closed_at (datetime.datetime | None | Unset):
    """

    id: str
    tenant_id: str
    owner_kind: BillingAccountOwnerKind
    owner_id: str
    name: str
    currency: str
    status: BillingAccountStatus
    open_period: str
    created_at: datetime.datetime
    provider: str | Unset = "builtin"
    credit_balance: int | Unset = 0
    invoices_closed: int | Unset = 0
    closed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        tenant_id = self.tenant_id

        owner_kind = self.owner_kind.value

        owner_id = self.owner_id

        name = self.name

        currency = self.currency

        status = self.status.value

        open_period = self.open_period

        created_at = self.created_at.isoformat()

        provider = self.provider

        credit_balance = self.credit_balance

        invoices_closed = self.invoices_closed

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
                "tenant_id": tenant_id,
                "owner_kind": owner_kind,
                "owner_id": owner_id,
                "name": name,
                "currency": currency,
                "status": status,
                "open_period": open_period,
                "created_at": created_at,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if credit_balance is not UNSET:
            field_dict["credit_balance"] = credit_balance
        if invoices_closed is not UNSET:
            field_dict["invoices_closed"] = invoices_closed
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        tenant_id = d.pop("tenant_id")

        owner_kind = BillingAccountOwnerKind(d.pop("owner_kind"))

        owner_id = d.pop("owner_id")

        name = d.pop("name")

        currency = d.pop("currency")

        status = BillingAccountStatus(d.pop("status"))

        open_period = d.pop("open_period")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        provider = d.pop("provider", UNSET)

        credit_balance = d.pop("credit_balance", UNSET)

        invoices_closed = d.pop("invoices_closed", UNSET)

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

        billing_account = cls(
            id=id,
            tenant_id=tenant_id,
            owner_kind=owner_kind,
            owner_id=owner_id,
            name=name,
            currency=currency,
            status=status,
            open_period=open_period,
            created_at=created_at,
            provider=provider,
            credit_balance=credit_balance,
            invoices_closed=invoices_closed,
            closed_at=closed_at,
        )

        billing_account.additional_properties = d
        return billing_account

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
