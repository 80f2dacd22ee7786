"""The built-in billing provider: accounts, usage, orders, credits and invoices in Table storage.

Rows and their transactions are in ``shared/storage/billing.py``; prices in ``pricing.py``.
An account's id is derived from its owner (``ba_`` and a hash of tenant, owner kind and owner
id), so opening it is a create that a retry finds already done.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from azure.data.tables import TableEntity

from shared.billing.periods import period_of
from shared.clock import Clock
from shared.errors import NotFound
from shared.models.billing import (
    BillingAccount,
    CreditBalance,
    Invoice,
    InvoicePage,
    Order,
    OrderCreate,
    OwnerKind,
    UsageRecord,
)
from shared.storage.billing import BillingRepository, StaleAccount


def account_id_for(tenant_id: str, owner_kind: str, owner_id: str) -> str:
    """The one account id an owner can have (so opening twice finds the first)."""
    digest = hashlib.sha256(f"{tenant_id}\x00{owner_kind}\x00{owner_id}".encode()).hexdigest()
    return f"ba_{digest[:24]}"


def _account(row: TableEntity | dict[str, Any]) -> BillingAccount:
    return BillingAccount(
        id=row["id"],
        tenant_id=row["tenant_id"],
        owner_kind=row["owner_kind"],
        owner_id=row["owner_id"],
        name=row["name"],
        currency=row["currency"],
        status=row["status"],
        credit_balance=int(row.get("credit_balance") or 0),
        open_period=row["open_period"],
        invoices_closed=int(row.get("invoices_closed") or 0),
        created_at=row["created_at"],
        closed_at=row.get("closed_at"),
    )


def _not_found(account_id: str) -> NotFound:
    return NotFound(
        f"No billing account {account_id!r}.", code="BILLING_ACCOUNT_NOT_FOUND", details={"account_id": account_id}
    )


class BuiltinBilling:
    """The default ``BillingProvider``."""

    name = "builtin"

    def __init__(self, repository: BillingRepository, clock: Clock, default_currency: str = "USD") -> None:
        self._repository = repository
        self._clock = clock
        self._currency = default_currency

    # ---------------------------------------------------------------- accounts

    def open_account(
        self,
        tenant_id: str,
        *,
        owner_kind: OwnerKind,
        owner_id: str,
        name: str,
        currency: str | None = None,
    ) -> BillingAccount:
        account_id = account_id_for(tenant_id, owner_kind, owner_id)
        now = self._clock()
        row = {
            "id": account_id,
            "tenant_id": tenant_id,
            "owner_kind": owner_kind,
            "owner_id": owner_id,
            "name": name,
            "currency": (currency or self._currency).upper(),
            "status": "open",
            "credit_balance": 0,
            "open_period": period_of(now),
            "invoices_closed": 0,
            "created_at": now,
        }
        if not self._repository.create_account(row):
            existing = self._repository.account_row(account_id)
            if existing is not None:
                row = dict(existing)
        self._repository.index_account(tenant_id, account_id)
        return _account(row)

    def close_account(self, tenant_id: str, account_id: str) -> BillingAccount | None:
        while True:
            row = self._row_or_none(tenant_id, account_id)
            if row is None:
                return None
            if row["status"] == "closed":
                return _account(row)
            changes = {"status": "closed", "closed_at": self._clock()}
            try:
                self._repository.commit(row, changes)
            except StaleAccount:
                continue
            return _account({**row, **changes})

    def account(self, tenant_id: str, account_id: str) -> BillingAccount:
        return _account(self._row(tenant_id, account_id))

    def accounts(self, tenant_id: str) -> list[BillingAccount]:
        rows = (self._repository.account_row(account_id) for account_id in self._repository.account_ids(tenant_id))
        return [_account(row) for row in rows if row is not None and row["tenant_id"] == tenant_id]

    def _row_or_none(self, tenant_id: str, account_id: str) -> TableEntity | None:
        row = self._repository.account_row(account_id)
        return row if row is not None and row["tenant_id"] == tenant_id else None

    def _row(self, tenant_id: str, account_id: str) -> TableEntity:
        """The tenant's account row; another tenant's account is as absent as a missing one."""
        row = self._row_or_none(tenant_id, account_id)
        if row is None:
            raise _not_found(account_id)
        return row

    # ---------------------------------------------------------------- the rest of the seam (next commits)

    def record_usage(self, tenant_id: str, account_id: str, records: list[UsageRecord]) -> int:
        raise NotImplementedError

    def usage(self, tenant_id: str, account_id: str, start: datetime, end: datetime, limit: int) -> list[UsageRecord]:
        raise NotImplementedError

    def draft_invoice(self, tenant_id: str, account_id: str) -> Invoice:
        raise NotImplementedError

    def close_periods(self, tenant_id: str, account_id: str, through: str | None = None) -> list[Invoice]:
        raise NotImplementedError

    def invoices(self, tenant_id: str, account_id: str, offset: int, limit: int) -> InvoicePage:
        raise NotImplementedError

    def invoice(self, tenant_id: str, account_id: str, invoice_id: str) -> Invoice:
        raise NotImplementedError

    def add_credits(self, tenant_id: str, account_id: str, amount: int, reference: str | None = None) -> CreditBalance:
        raise NotImplementedError

    def credits(self, tenant_id: str, account_id: str) -> CreditBalance:
        raise NotImplementedError

    def create_order(self, tenant_id: str, account_id: str, order: OrderCreate) -> Order:
        raise NotImplementedError

    def orders(self, tenant_id: str, account_id: str) -> list[Order]:
        raise NotImplementedError

    def order(self, tenant_id: str, account_id: str, order_id: str) -> Order:
        raise NotImplementedError

    def delete_order(self, tenant_id: str, account_id: str, order_id: str) -> Order:
        raise NotImplementedError

    def tag_order(self, tenant_id: str, account_id: str, order_id: str, tags: list[str]) -> Order:
        raise NotImplementedError
