"""Billing use cases: what the billing routes, the closing timer and metering call.

Every account-scoped call goes to the account's tenant's provider (``deps.billing_provider``);
a tenant key reaches its own accounts only (another tenant's is a 404, as if absent), the
admin key any account, found through the built-in provider's account index.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.billing.builtin import BuiltinBilling, summary
from shared.billing.provider import BillingProvider
from shared.errors import NotFound
from shared.models.billing import (
    BillingAccount,
    ClosedInvoices,
    CreditBalance,
    CreditTopUp,
    Invoice,
    InvoicePage,
    Order,
    OrderCreate,
    RateCard,
    RateCardBody,
    UsageList,
    UsageQuery,
    UsageRecord,
)


class BillingService:
    def __init__(self, provider_for: Callable[[str], BillingProvider], builtin: BuiltinBilling) -> None:
        self._provider_for = provider_for
        self._builtin = builtin

    # ---------------------------------------------------------------- whose account

    def owner(self, tenant_id: str | None, account_id: str) -> tuple[BillingProvider, str]:
        """The provider and tenant of ``account_id`` for this caller (``None``: the admin)."""
        if tenant_id is None:
            tenant_id = self._builtin.locate(account_id)
            if tenant_id is None:
                raise NotFound(
                    f"No billing account {account_id!r}.",
                    code="BILLING_ACCOUNT_NOT_FOUND",
                    details={"account_id": account_id},
                )
        return self._provider_for(tenant_id), tenant_id

    def tenant_account(self, tenant_id: str, name: str) -> BillingAccount:
        """The tenant's own account, opened on first use (idempotent)."""
        return self._provider_for(tenant_id).open_account(tenant_id, owner_kind="tenant", owner_id=tenant_id, name=name)

    def accounts(self, tenant_id: str, name: str) -> list[BillingAccount]:
        self.tenant_account(tenant_id, name)
        return sorted(self._provider_for(tenant_id).accounts(tenant_id), key=lambda account: account.created_at)

    def accounts_of(self, tenant_id: str) -> list[BillingAccount]:
        """The tenant's accounts as they are (none opened on the way)."""
        return self._provider_for(tenant_id).accounts(tenant_id)

    def account(self, tenant_id: str | None, account_id: str) -> BillingAccount:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.account(tenant, account_id)

    # ---------------------------------------------------------------- invoices and usage

    def draft(self, tenant_id: str | None, account_id: str) -> Invoice:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.draft_invoice(tenant, account_id)

    def invoices(self, tenant_id: str | None, account_id: str, offset: int, limit: int) -> InvoicePage:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.invoices(tenant, account_id, offset, limit)

    def invoice(self, tenant_id: str | None, account_id: str, invoice_id: str) -> Invoice:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.invoice(tenant, account_id, invoice_id)

    def invoice_pdf(self, tenant_id: str | None, account_id: str, invoice_id: str) -> bytes:
        from shared.billing.pdf import render

        provider, tenant = self.owner(tenant_id, account_id)
        account = provider.account(tenant, account_id)
        return render(provider.invoice(tenant, account_id, invoice_id), account.name)

    def close(self, tenant_id: str | None, account_id: str, through: str | None) -> ClosedInvoices:
        provider, tenant = self.owner(tenant_id, account_id)
        closed = provider.close_periods(tenant, account_id, through)
        return ClosedInvoices(items=[summary(invoice) for invoice in closed])

    def close_due(self) -> int:
        """The timer: close every ended period of every built-in account."""
        return self._builtin.close_due()

    def usage(self, tenant_id: str | None, account_id: str, query: UsageQuery) -> UsageList:
        provider, tenant = self.owner(tenant_id, account_id)
        return UsageList(items=provider.usage(tenant, account_id, query.start, query.end, query.limit))

    def meter(self, tenant_id: str, records: list[UsageRecord], account_id: str | None = None) -> int:
        """Record what Cloudplane ran for the tenant, on ``account_id`` (else the tenant's own account)."""
        if not records:
            return 0
        if account_id is None:
            account_id = self.tenant_account(tenant_id, tenant_id).id
        return self._provider_for(tenant_id).record_usage(tenant_id, account_id, records)

    def server_account(self, tenant_id: str, project_id: str | None) -> str:
        """Where an OpenStack server's hours go: the open account its team's creation opened
        (owner ``team``, the project id), else the tenant's own account (a project Cloudplane
        did not create as a team has no account of its own, and is not given one here)."""
        if project_id:
            for account in self.accounts_of(tenant_id):
                if account.owner_kind == "team" and account.owner_id == project_id and account.status == "open":
                    return account.id
        return self.tenant_account(tenant_id, tenant_id).id

    # ---------------------------------------------------------------- credits

    def add_credits(self, tenant_id: str | None, account_id: str, top_up: CreditTopUp) -> CreditBalance:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.add_credits(tenant, account_id, top_up.amount, top_up.reference)

    def credits(self, tenant_id: str | None, account_id: str) -> CreditBalance:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.credits(tenant, account_id)

    # ---------------------------------------------------------------- orders

    def create_order(self, tenant_id: str | None, account_id: str, order: OrderCreate) -> Order:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.create_order(tenant, account_id, order)

    def orders(self, tenant_id: str | None, account_id: str) -> list[Order]:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.orders(tenant, account_id)

    def order(self, tenant_id: str | None, account_id: str, order_id: str) -> Order:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.order(tenant, account_id, order_id)

    def delete_order(self, tenant_id: str | None, account_id: str, order_id: str) -> Order:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.delete_order(tenant, account_id, order_id)

    def tag_order(self, tenant_id: str | None, account_id: str, order_id: str, tags: list[str]) -> Order:
        provider, tenant = self.owner(tenant_id, account_id)
        return provider.tag_order(tenant, account_id, order_id, tags)

    # ---------------------------------------------------------------- rate cards (built-in provider)

    def rate_cards(self, tenant_id: str) -> list[RateCard]:
        return self._builtin.rate_cards(tenant_id)

    def add_rate_card(self, tenant_id: str, body: RateCardBody) -> RateCard:
        return self._builtin.add_rate_card(tenant_id, body)
