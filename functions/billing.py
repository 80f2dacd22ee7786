"""Billing: accounts, invoices (JSON and PDF), usage, credits, orders, rate cards; the closing timer.

Account routes take a tenant key (its own accounts only) or the admin key (any account);
closing now and setting a tenant's rate card are the admin's.
"""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import ApiResponse
from shared.api.pipeline import RequestContext
from shared.api.router import Auth
from shared.models.billing import (
    AccountList,
    BillingAccount,
    ClosedInvoices,
    ClosePeriods,
    CreditBalance,
    CreditTopUp,
    Invoice,
    InvoiceListQuery,
    InvoicePage,
    InvoiceQuery,
    Order,
    OrderCreate,
    OrderList,
    OrderTags,
    RateCard,
    RateCardBody,
    RateCardList,
    UsageList,
    UsageQuery,
)

bp = func.Blueprint()

ACCOUNT = "v1/billing/accounts/{account_id}"

# Hourly, as a literal (see jobs_maintenance.py): the first run after a month ends closes it.
CLOSE_SCHEDULE = "0 7 * * * *"


def _tenant(ctx: RequestContext) -> str | None:
    """The caller's tenant, or ``None`` for the admin key (which may reach any account)."""
    return None if ctx.caller.admin else ctx.caller.tenant_id


@endpoint(bp, "GET", "v1/billing/accounts", summary="List your billing accounts", tag="billing", response=AccountList)
def list_billing_accounts(ctx: RequestContext) -> AccountList:
    """The tenant's own account (opened on first use) and its teams' accounts."""
    tenant = ctx.caller.require_tenant()
    return AccountList(items=deps.billing_service().accounts(tenant.id, tenant.name))


@endpoint(
    bp,
    "GET",
    ACCOUNT,
    summary="Get a billing account",
    tag="billing",
    auth=Auth.ANY,
    response=BillingAccount,
    errors=(404,),
)
def get_billing_account(ctx: RequestContext) -> BillingAccount:
    return deps.billing_service().account(_tenant(ctx), ctx.path["account_id"])


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/invoices/draft",
    summary="The running period's draft invoice",
    tag="billing",
    auth=Auth.ANY,
    query=InvoiceQuery,
    response=Invoice,
    responses=((200, "application/pdf"),),
    errors=(404,),
)
def get_draft_invoice(ctx: RequestContext) -> Invoice | ApiResponse:
    """Recomputed on every call from the usage and orders recorded so far; never stored.

    This route is matched before ``invoices/{invoice_id}``, so it answers ``?format=pdf`` too.
    """
    if ctx.query.format == "pdf":
        return _pdf(_tenant(ctx), ctx.path["account_id"], "draft")
    return deps.billing_service().draft(_tenant(ctx), ctx.path["account_id"])


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/invoices",
    summary="List closed invoices, newest first",
    tag="billing",
    auth=Auth.ANY,
    query=InvoiceListQuery,
    response=InvoicePage,
    errors=(404,),
)
def list_invoices(ctx: RequestContext) -> InvoicePage:
    return deps.billing_service().invoices(_tenant(ctx), ctx.path["account_id"], ctx.query.offset, ctx.query.limit)


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/invoices/{{invoice_id}}",
    summary="Get an invoice (JSON or PDF)",
    tag="billing",
    auth=Auth.ANY,
    query=InvoiceQuery,
    response=Invoice,
    responses=((200, "application/pdf"),),
    errors=(404,),
)
def get_invoice(ctx: RequestContext) -> Invoice | ApiResponse:
    """``?format=pdf`` answers the invoice as a PDF to send to the customer."""
    service, tenant = deps.billing_service(), _tenant(ctx)
    account_id, invoice_id = ctx.path["account_id"], ctx.path["invoice_id"]
    if ctx.query.format == "pdf":
        return _pdf(tenant, account_id, invoice_id)
    return service.invoice(tenant, account_id, invoice_id)


def _pdf(tenant: str | None, account_id: str, invoice_id: str) -> ApiResponse:
    pdf = deps.billing_service().invoice_pdf(tenant, account_id, invoice_id)
    return ApiResponse(
        200,
        pdf,
        "application/pdf",
        {"Content-Disposition": f'attachment; filename="{account_id}-{invoice_id}.pdf"'},
    )


@endpoint(
    bp,
    "POST",
    f"{ACCOUNT}/invoices/close",
    summary="Close ended periods now",
    tag="billing",
    auth=Auth.ADMIN,
    body=ClosePeriods,
    body_required=False,
    response=ClosedInvoices,
    errors=(404,),
)
def close_invoices(ctx: RequestContext) -> ClosedInvoices:
    """What the hourly timer does, for one account, now: each ended period not closed yet gets its invoice."""
    return deps.billing_service().close(None, ctx.path["account_id"], ctx.body.through)


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/usage",
    summary="Usage records in a window",
    tag="billing",
    auth=Auth.ANY,
    query=UsageQuery,
    response=UsageList,
    errors=(404,),
)
def list_usage(ctx: RequestContext) -> UsageList:
    return deps.billing_service().usage(_tenant(ctx), ctx.path["account_id"], ctx.query)


@endpoint(
    bp,
    "POST",
    f"{ACCOUNT}/credits",
    summary="Add prepaid credits",
    tag="billing",
    auth=Auth.ANY,
    body=CreditTopUp,
    response=CreditBalance,
    errors=(404, 409),
)
def add_credits(ctx: RequestContext) -> CreditBalance:
    """Minor units; give ``reference`` so that a retried top-up adds once."""
    return deps.billing_service().add_credits(_tenant(ctx), ctx.path["account_id"], ctx.body)


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/credits",
    summary="The credit balance",
    tag="billing",
    auth=Auth.ANY,
    response=CreditBalance,
    errors=(404,),
)
def get_credits(ctx: RequestContext) -> CreditBalance:
    return deps.billing_service().credits(_tenant(ctx), ctx.path["account_id"])


@endpoint(
    bp,
    "POST",
    f"{ACCOUNT}/orders",
    summary="Subscribe a resource to a plan",
    tag="billing",
    auth=Auth.ANY,
    body=OrderCreate,
    response=Order,
    status=201,
    errors=(404, 409),
)
def create_order(ctx: RequestContext) -> Order:
    return deps.billing_service().create_order(_tenant(ctx), ctx.path["account_id"], ctx.body)


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/orders",
    summary="List orders",
    tag="billing",
    auth=Auth.ANY,
    response=OrderList,
    errors=(404,),
)
def list_orders(ctx: RequestContext) -> OrderList:
    return OrderList(items=deps.billing_service().orders(_tenant(ctx), ctx.path["account_id"]))


@endpoint(
    bp,
    "GET",
    f"{ACCOUNT}/orders/{{order_id}}",
    summary="Get an order",
    tag="billing",
    auth=Auth.ANY,
    response=Order,
    errors=(404,),
)
def get_order(ctx: RequestContext) -> Order:
    return deps.billing_service().order(_tenant(ctx), ctx.path["account_id"], ctx.path["order_id"])


@endpoint(
    bp,
    "POST",
    f"{ACCOUNT}/orders/{{order_id}}/tags",
    summary="Tag an order",
    tag="billing",
    auth=Auth.ANY,
    body=OrderTags,
    response=Order,
    errors=(404,),
)
def tag_order(ctx: RequestContext) -> Order:
    return deps.billing_service().tag_order(_tenant(ctx), ctx.path["account_id"], ctx.path["order_id"], ctx.body.tags)


@endpoint(
    bp,
    "DELETE",
    f"{ACCOUNT}/orders/{{order_id}}",
    summary="End an order now (prorated)",
    tag="billing",
    auth=Auth.ANY,
    response=Order,
    errors=(404,),
)
def delete_order(ctx: RequestContext) -> Order:
    """The order stays listed with ``ended_at``; the period is charged for its share up to now."""
    return deps.billing_service().delete_order(_tenant(ctx), ctx.path["account_id"], ctx.path["order_id"])


@endpoint(bp, "GET", "v1/billing/rate-cards", summary="Your rate card versions", tag="billing", response=RateCardList)
def list_rate_cards(ctx: RequestContext) -> RateCardList:
    return RateCardList(items=deps.billing_service().rate_cards(ctx.caller.tenant_id))


@endpoint(
    bp,
    "POST",
    "v1/tenants/{tenant_id}/rate-cards",
    summary="Add a rate card version for a tenant",
    tag="billing",
    auth=Auth.ADMIN,
    body=RateCardBody,
    response=RateCard,
    status=201,
    errors=(404, 409, 422),
)
def add_rate_card(ctx: RequestContext) -> RateCard:
    """Prices from ``effective_from`` (now or later) on; earlier usage keeps the prices it had."""
    tenant_id = ctx.path["tenant_id"]
    deps.tenants_service().get_tenant(tenant_id)  # 404 for no such tenant
    return deps.billing_service().add_rate_card(tenant_id, ctx.body)


@bp.function_name("close_billing_periods")
@bp.timer_trigger(arg_name="timer", schedule=CLOSE_SCHEDULE, run_on_startup=False, use_monitor=True)
def close_billing_periods(timer: func.TimerRequest) -> None:
    """Close every account's ended periods (a run that finds nothing to close reads one row per account)."""
    deps.billing_service().close_due()
