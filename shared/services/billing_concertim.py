"""Seed 004's billing paths (Concertim's OpenStack service) over the billing service: shapes only.

For the Concertim compatibility surface to call: each method takes the tenant the caller's
token acts for and the request body as Concertim sends it, and answers the body Concertim
expects (``{"success": true, ...}``). As Concertim's service did, a required key is found at
any depth of the body (``{"invoice": {"billing_acct_id": ...}}`` or flat). Differences: amounts
in invoices are this API's integer minor units (the invoice's ``currency`` says which); credits
are given and answered in major units (``12.5`` is 12.50), as Concertim shows them; an order's
tag is stored as ``name:value``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from shared.billing.pricing import minor_digits
from shared.errors import NotFound, ValidationFailed, validation_details
from shared.models.billing import CreditTopUp, OrderCreate
from shared.services.billing import BillingService


def _find(body: Any, key: str) -> Any:
    """``key``'s value at any depth of ``body`` (the first found, breadth first), or ``None``."""
    pending = [body]
    while pending:
        current = pending.pop(0)
        if isinstance(current, dict):
            if key in current:
                return current[key]
            pending.extend(value for value in current.values() if isinstance(value, dict))
    return None


_ID = re.compile(r"[A-Za-z0-9_.:-]{1,255}")
IDS = ("billing_acct_id", "invoice_id", "order_id")
"""Keys that name a stored object: letters, digits and ``_.:-`` (a storage key as it is), else a 422."""


def _scalar(key: str, value: Any) -> str:
    """``value`` as text: a string or a number; an id also matches ``_ID``. Anything else is a 422
    naming the key (never a storage error or a 500)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationFailed(f"{key} is a string or a number.", code="BAD_ARGUMENT", details={"argument": key})
    text = str(value)
    if key in IDS and not _ID.fullmatch(text):
        raise ValidationFailed(
            f"{key} is 1 to 255 letters, digits and _.:-.", code="BAD_ARGUMENT", details={"argument": key}
        )
    return text


def _optional(body: Any, key: str) -> str | None:
    value = _find(body, key)
    return None if value is None else _scalar(key, value)


def _required(body: Any, *keys: str) -> list[str]:
    values = [_find(body, key) for key in keys]
    missing = [key for key, value in zip(keys, values, strict=True) if value is None]
    if missing:
        raise ValidationFailed(
            f"Missing required argument(s): {', '.join(missing)}.",
            code="MISSING_REQUIRED_ARGUMENT",
            details={"missing": missing},
        )
    return [_scalar(key, value) for key, value in zip(keys, values, strict=True)]


def _major(amount: int, currency: str) -> float:
    return float(Decimal(amount).scaleb(-minor_digits(currency)))


class ConcertimBilling:
    def __init__(self, billing: BillingService) -> None:
        self._billing = billing

    def get_draft_invoice(self, tenant_id: str, body: Any) -> dict[str, Any]:
        (account_id,) = _required(body, "billing_acct_id")
        return {"success": True, "draft_invoice": self._billing.draft(tenant_id, account_id).model_dump(mode="json")}

    def list_paginated_invoices(self, tenant_id: str, body: Any) -> dict[str, Any]:
        (account_id,) = _required(body, "billing_acct_id")
        offset, limit = _find(body, "offset"), _find(body, "limit")
        try:
            offset, limit = int(offset if offset is not None else 0), int(limit if limit is not None else 100)
        except (TypeError, ValueError):
            raise ValidationFailed("offset and limit are whole numbers.", code="BAD_PAGE") from None
        if offset < 0 or not 1 <= limit <= 100:
            raise ValidationFailed("offset is 0 or more, limit 1 to 100.", code="BAD_PAGE")
        page = self._billing.invoices(tenant_id, account_id, offset, limit)
        invoices = [
            self._billing.invoice(tenant_id, account_id, item.id).model_dump(mode="json") for item in page.items
        ]
        return {"success": True, "total_invoices": page.total, "invoices": invoices}

    def get_account_invoice(self, tenant_id: str, body: Any) -> dict[str, Any]:
        account_id, invoice_id = _required(body, "billing_acct_id", "invoice_id")
        invoice = self._billing.invoice(tenant_id, account_id, invoice_id)
        return {"success": True, "invoice": invoice.model_dump(mode="json")}

    def add_credits(self, tenant_id: str, body: Any) -> dict[str, Any]:
        account_id, amount = _required(body, "billing_acct_id", "amount")
        account = self._billing.account(tenant_id, account_id)
        try:
            minor = Decimal(amount).scaleb(minor_digits(account.currency))
        except InvalidOperation:
            raise ValidationFailed("amount is a number.", code="BAD_AMOUNT") from None
        if not minor.is_finite() or minor != minor.to_integral_value() or minor <= 0 or minor > 10**12:
            raise ValidationFailed(
                "amount is positive, in whole minor units of the account's currency.", code="BAD_AMOUNT"
            )
        try:
            top_up = CreditTopUp(amount=int(minor), reference=_optional(body, "reference"))
        except ValidationError as error:
            raise ValidationFailed(
                "The request body is not valid.", details=validation_details(error.errors(), ("body",))
            ) from None
        balance = self._billing.add_credits(tenant_id, account_id, top_up)
        return {"success": True, "credits": _major(balance.balance, balance.currency)}

    def get_credits(self, tenant_id: str, body: Any) -> dict[str, Any]:
        (account_id,) = _required(body, "billing_acct_id")
        balance = self._billing.credits(tenant_id, account_id)
        return {"success": True, "credits": _major(balance.balance, balance.currency)}

    def create_order(self, tenant_id: str, body: Any) -> dict[str, Any]:
        (account_id,) = _required(body, "billing_acct_id")
        resource = _optional(body, "cluster_id") or _optional(body, "resource_id") or account_id
        plan = _optional(body, "plan") or "standard"
        try:
            request = OrderCreate(resource_id=resource, plan=plan)
        except ValidationError as error:
            raise ValidationFailed(
                "The request body is not valid.", details=validation_details(error.errors(), ("body",))
            ) from None
        order = self._billing.create_order(tenant_id, account_id, request)
        return {"success": True, "order_id": order.id, "order": order.model_dump(mode="json")}

    def delete_order(self, tenant_id: str, body: Any) -> dict[str, Any]:
        (order_id,) = _required(body, "order_id")
        account_id = self._account_of_order(tenant_id, order_id, _optional(body, "billing_acct_id"))
        order = self._billing.delete_order(tenant_id, account_id, order_id)
        return {"success": True, "order": order.model_dump(mode="json")}

    def add_order_tag(self, tenant_id: str, body: Any) -> dict[str, Any]:
        order_id, name, value = _required(body, "order_id", "tag_name", "tag_value")
        account_id = self._account_of_order(tenant_id, order_id, _optional(body, "billing_acct_id"))
        try:
            tag = OrderCreate.model_validate({"resource_id": "x", "plan": "x", "tags": [f"{name}:{value}"]}).tags[0]
        except ValueError:
            raise ValidationFailed("tag_name and tag_value are letters, digits and ._/-.", code="BAD_TAG") from None
        self._billing.tag_order(tenant_id, account_id, order_id, [tag])
        return {"success": True, "tag": {"order_id": order_id, "tag_name": name, "tag_value": value}}

    def _account_of_order(self, tenant_id: str, order_id: str, account_id: str | None) -> str:
        """Concertim names an order without its account: find it among the tenant's accounts."""
        if account_id is not None:
            return account_id
        for account in self._billing.accounts_of(tenant_id):
            if any(order.id == order_id for order in self._billing.orders(tenant_id, account.id)):
                return account.id
        raise NotFound(f"No order {order_id!r}.", code="ORDER_NOT_FOUND", details={"order_id": order_id})
