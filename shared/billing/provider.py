"""The seam between Cloudplane and whatever keeps its accounts and invoices.

Everything that bills (team creation in the OpenStack surface, pod metering, the billing
routes) talks to a ``BillingProvider``; ``shared.deps.billing_provider(tenant_id)`` picks one per
tenant from the ``CLOUDPLANE_BILLING_PROVIDERS`` setting, the built-in one (``builtin.py``) by
default. An adapter for an external system (Kill Bill...) implements the same methods.

Contract every implementation keeps, because callers retry:

- ``open_account`` is idempotent on (tenant, owner kind, owner id): a retried team creation gets
  the account the first attempt opened, never a second one.
- ``close_account`` of a closed (or already gone) account is a no-op.
- ``record_usage`` stores each record id once: a duplicate delivery, a retried step or a second
  instance adds nothing.
- ``add_credits`` with the same ``reference`` adds once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.models.billing import (
    BillingAccount,
    Credit,
    CreditBalance,
    Invoice,
    InvoicePage,
    Order,
    OrderCreate,
    OwnerKind,
    UsageRecord,
)

__all__ = [
    "BillingAccount",
    "BillingProvider",
    "Credit",
    "CreditBalance",
    "Invoice",
    "InvoicePage",
    "Order",
    "OrderCreate",
    "OwnerKind",
    "UsageRecord",
]


class BillingProvider(Protocol):
    """What Cloudplane asks of a billing system. Money is integer minor units with a currency."""

    name: str

    def open_account(
        self,
        tenant_id: str,
        *,
        owner_kind: OwnerKind,
        owner_id: str,
        name: str,
        currency: str | None = None,
    ) -> BillingAccount:
        """The owner's account, opened now or by an earlier call (same owner, same account)."""
        ...

    def close_account(self, tenant_id: str, account_id: str) -> BillingAccount | None:
        """Stop billing the account from now on (usage already recorded is still invoiced).

        Answers ``None`` when no such account exists for the tenant; closing twice is a no-op.
        """
        ...

    def account(self, tenant_id: str, account_id: str) -> BillingAccount:
        """The tenant's account (``NotFound`` for another tenant's)."""
        ...

    def accounts(self, tenant_id: str) -> list[BillingAccount]:
        """Every account the tenant has (open and closed)."""
        ...

    def record_usage(self, tenant_id: str, account_id: str, records: list[UsageRecord]) -> int:
        """Store usage records; answers how many were new (duplicates count zero)."""
        ...

    def usage(self, tenant_id: str, account_id: str, start: datetime, end: datetime, limit: int) -> list[UsageRecord]:
        """Records overlapping ``[start, end)``, oldest first."""
        ...

    def draft_invoice(self, tenant_id: str, account_id: str) -> Invoice:
        """The running period's invoice as it stands now (recomputed every time, never stored)."""
        ...

    def close_periods(self, tenant_id: str, account_id: str, through: str | None = None) -> list[Invoice]:
        """Close every ended period (up to ``through``) not closed yet; answers the invoices closed."""
        ...

    def invoices(self, tenant_id: str, account_id: str, offset: int, limit: int) -> InvoicePage:
        """Closed invoices, newest first, with the total count."""
        ...

    def invoice(self, tenant_id: str, account_id: str, invoice_id: str) -> Invoice:
        """One closed invoice, or the draft for ``invoice_id == "draft"``."""
        ...

    def add_credits(self, tenant_id: str, account_id: str, amount: int, reference: str | None = None) -> CreditBalance:
        """Add prepaid credits (minor units); the same ``reference`` twice adds once."""
        ...

    def credits(self, tenant_id: str, account_id: str) -> CreditBalance:
        """The credit balance left."""
        ...

    def create_order(self, tenant_id: str, account_id: str, order: OrderCreate) -> Order:
        """Subscribe a resource to a plan from now on."""
        ...

    def orders(self, tenant_id: str, account_id: str) -> list[Order]:
        """Every order of the account, ended ones included."""
        ...

    def order(self, tenant_id: str, account_id: str, order_id: str) -> Order: ...

    def delete_order(self, tenant_id: str, account_id: str, order_id: str) -> Order:
        """End the order now; the running period is charged for its share of the month (prorated)."""
        ...

    def tag_order(self, tenant_id: str, account_id: str, order_id: str, tags: list[str]) -> Order:
        """Add tags to an order (tags already there stay once)."""
        ...
