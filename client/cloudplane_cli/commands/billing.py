"""``cloudplane billing``: accounts, invoices (draft, closed, PDF), usage, credits and orders.

A tenant's key sees its own accounts; every tenant has one account it owns (opened on first use).
Amounts are in the account currency's minor units, as the API gives them.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from cloudplane_cli import exits
from cloudplane_cli.resources import operation
from cloudplane_cli.state import RawBody, State, emit, emit_page, output_option, pass_state, plain

ACCOUNT_COLUMNS = ("id", "name", "owner_kind", "owner_id", "currency", "status", "open_period")
INVOICE_COLUMNS = ("id", "number", "status", "period", "currency", "subtotal", "credits_applied", "total_due")
LINE_COLUMNS = ("kind", "description", "label", "period", "quantity", "rate", "amount")
USAGE_COLUMNS = ("id", "kind", "resource_id", "label", "amount", "start", "end")
ORDER_COLUMNS = ("id", "resource_id", "plan", "tags", "started_at", "ended_at")


def _op(name: str) -> Any:
    return operation("billing", name)


@click.group("billing")
def command() -> None:
    """Billing: accounts, invoices and their PDFs, usage, credits, orders."""


@command.group()
def accounts() -> None:
    """Billing accounts (a tenant's own, and its teams')."""


@accounts.command("list")
@output_option
@pass_state
def accounts_list(state: State) -> None:
    """List the billing accounts this key can see."""
    emit_page(state, state.call(_op("list_billing_accounts")), ACCOUNT_COLUMNS)


@accounts.command("get")
@click.argument("account_id")
@output_option
@pass_state
def accounts_get(state: State, account_id: str) -> None:
    """Show one billing account."""
    emit(state, state.call(_op("get_billing_account"), account_id=account_id))


@command.group()
def invoices() -> None:
    """Invoices: the open period's draft, closed invoices, PDFs."""


@invoices.command("draft")
@click.argument("account_id")
@output_option
@pass_state
def invoices_draft(state: State, account_id: str) -> None:
    """The open period's invoice so far (usage, orders, credits that would apply)."""
    _show_invoice(state, state.call(_op("get_draft_invoice"), account_id=account_id))


@invoices.command("list")
@click.argument("account_id")
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@output_option
@pass_state
def invoices_list(state: State, account_id: str, limit: int, offset: int) -> None:
    """List an account's closed invoices, newest first (--offset for the next page)."""
    page = plain(state.call(_op("list_invoices"), account_id=account_id, limit=limit, offset=offset))
    emit_page(state, page, INVOICE_COLUMNS)
    following = offset + len(page.get("items") or [])
    if state.output == "table" and (page.get("total") or 0) > following:
        click.echo(f"More: --offset {following}", err=True)


@invoices.command("get")
@click.argument("account_id")
@click.argument("invoice_id")
@output_option
@pass_state
def invoices_get(state: State, account_id: str, invoice_id: str) -> None:
    """Show one invoice with its lines (``draft`` for the open period's)."""
    _show_invoice(state, state.call(_op("get_invoice"), account_id=account_id, invoice_id=invoice_id))


def _show_invoice(state: State, found: object) -> None:
    """The totals as key/value, then the lines as their own table (JSON and YAML keep them nested)."""
    invoice = plain(found)
    if state.output != "table":
        emit(state, invoice)
        return
    lines = invoice.pop("lines", None) or []
    emit(state, invoice)
    if lines:
        emit(state, lines, LINE_COLUMNS, title="Lines")


@invoices.command("download")
@click.argument("account_id")
@click.argument("invoice_id")
@click.option("--pdf", "as_pdf", is_flag=True, help="The PDF to send to a customer (default: the JSON).")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@pass_state
def invoices_download(state: State, account_id: str, invoice_id: str, as_pdf: bool, out: str | None) -> None:
    """Download an invoice as JSON or, with --pdf, as a PDF."""
    from cloudplane_api.models.get_invoice_format import GetInvoiceFormat

    fmt = GetInvoiceFormat.PDF if as_pdf else GetInvoiceFormat.JSON
    response = state.client.request(_op("get_invoice"), account_id=account_id, invoice_id=invoice_id, format_=fmt)
    if as_pdf and not response.headers.get("Content-Type", "").startswith("application/pdf"):
        click.secho(f"Error: the API answered {response.headers.get('Content-Type')}, not a PDF.", err=True, fg="red")
        raise click.exceptions.Exit(exits.SERVER)
    if out is None:
        if as_pdf and sys.stdout.isatty():
            raise click.UsageError("A PDF is not for the terminal: give -o FILE, or redirect stdout.")
        sys.stdout.buffer.write(response.content)
        sys.stdout.flush()
        return
    partial = f"{out}.part"
    with open(partial, "wb") as handle:  # whole or not at all: a failed write leaves no half a PDF under FILE
        handle.write(response.content)
    os.replace(partial, out)
    click.echo(f"Wrote {len(response.content)} bytes to {out}.", err=True)


@command.command()
@click.argument("account_id")
@click.option("--start", required=True, help="ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z.")
@click.option("--end", required=True, help="ISO 8601 date-time (exclusive).")
@click.option("--limit", type=click.IntRange(1, 10000), default=1000, show_default=True)
@output_option
@pass_state
def usage(state: State, account_id: str, start: str, end: str, limit: int) -> None:
    """The metered usage records of an account in a window."""
    from datetime import datetime

    try:
        window = (datetime.fromisoformat(start), datetime.fromisoformat(end))
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time ({exc})", param_hint="--start/--end") from exc
    page = state.call(_op("list_usage"), account_id=account_id, start=window[0], end=window[1], limit=limit)
    emit_page(state, page, USAGE_COLUMNS)


@command.group()
def credits() -> None:
    """Prepaid credits, drawn down by invoices."""


@credits.command("list")
@click.argument("account_id")
@output_option
@pass_state
def credits_list(state: State, account_id: str) -> None:
    """The account's credit balance and its top-ups."""
    emit(state, state.call(_op("get_credits"), account_id=account_id))


@credits.command("add")
@click.argument("account_id")
@click.argument("amount", type=click.IntRange(1))
@click.option("--reference", help="Your id for this top-up: the same one twice adds once (safe to retry).")
@output_option
@pass_state
def credits_add(state: State, account_id: str, amount: int, reference: str | None) -> None:
    """Add AMOUNT (minor units: cents for USD) of credit to an account."""
    body = {"amount": amount} | ({"reference": reference} if reference else {})
    emit(state, state.call(_op("add_credits"), account_id=account_id, body=RawBody(body)))


@command.group()
def orders() -> None:
    """Orders: subscriptions of a rack or cluster to a plan, prorated on the invoice."""


@orders.command("list")
@click.argument("account_id")
@output_option
@pass_state
def orders_list(state: State, account_id: str) -> None:
    """List an account's orders."""
    emit_page(state, state.call(_op("list_orders"), account_id=account_id), ORDER_COLUMNS)


@orders.command("create")
@click.argument("account_id")
@click.option("--resource-id", required=True, help="The rack or cluster subscribed.")
@click.option("--plan", required=True)
@click.option("--tag", "tags", multiple=True, help="A tag (repeat).")
@output_option
@pass_state
def orders_create(state: State, account_id: str, resource_id: str, plan: str, tags: tuple[str, ...]) -> None:
    """Subscribe a resource to a plan."""
    body = RawBody({"resource_id": resource_id, "plan": plan, "tags": list(tags)})
    emit(state, state.call(_op("create_order"), account_id=account_id, body=body))


@orders.command("tag")
@click.argument("account_id")
@click.argument("order_id")
@click.argument("tags", nargs=-1, required=True)
@output_option
@pass_state
def orders_tag(state: State, account_id: str, order_id: str, tags: tuple[str, ...]) -> None:
    """Add TAGS to an order (tags it already has are kept once)."""
    body = RawBody({"tags": list(tags)})
    emit(state, state.call(_op("tag_order"), account_id=account_id, order_id=order_id, body=body))


@orders.command("delete")
@click.argument("account_id")
@click.argument("order_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@output_option
@pass_state
def orders_delete(state: State, account_id: str, order_id: str, yes: bool) -> None:
    """End an order now (the invoice charges it up to today)."""
    if not yes:
        click.confirm(f"End order {order_id}?", abort=True, err=True)
    emit(state, state.call(_op("delete_order"), account_id=account_id, order_id=order_id))
