"""The built-in billing provider: accounts, usage, orders, credits and invoices in Table storage.

Rows and their transactions are in ``shared/storage/billing.py``; prices in ``pricing.py``.
An account's id is derived from its owner (``ba_`` and a hash of tenant, owner kind and owner
id), so opening it is a create that a retry finds already done.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from azure.data.tables import TableEntity

from shared.billing.periods import as_utc, bounds, next_period, period_of, previous_period, split
from shared.billing.pricing import InvoiceRating, Version, apply_credits, quantities, versions
from shared.clock import Clock
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.models.billing import (
    BillingAccount,
    CreditBalance,
    Invoice,
    InvoiceLine,
    InvoicePage,
    InvoiceSummary,
    Order,
    OrderCreate,
    OwnerKind,
    RateCard,
    RateCardBody,
    UsageRecord,
)
from shared.storage.billing import BillingRepository, RowExists, StaleAccount


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
            "credit_balance": "0",  # money as decimal text: Table integers are 32-bit unless typed
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

    def locate(self, account_id: str) -> str | None:
        """The tenant of ``account_id`` (for the admin key, which has none), or ``None``."""
        row = self._repository.account_row(account_id)
        return None if row is None else str(row["tenant_id"])

    def _row_or_none(self, tenant_id: str, account_id: str) -> TableEntity | None:
        row = self._repository.account_row(account_id)
        return row if row is not None and row["tenant_id"] == tenant_id else None

    def _row(self, tenant_id: str, account_id: str) -> TableEntity:
        """The tenant's account row; another tenant's account is as absent as a missing one."""
        row = self._row_or_none(tenant_id, account_id)
        if row is None:
            raise _not_found(account_id)
        return row

    # ---------------------------------------------------------------- usage

    def record_usage(self, tenant_id: str, account_id: str, records: list[UsageRecord]) -> int:
        """Each record cut at period boundaries and stored once by its id.

        A record for a period already closed is billed on the first open period's invoice
        (``billed_period``), as an adjustment line; the period it is for stays on it. In the
        same transaction as the records, their quantities are added to the account's
        aggregate rows (one per billed period, kind, label, usage period and rate card
        version), which drafts and closes read instead of the records: a duplicate record
        fails the transaction, so it never adds to an aggregate either.
        """
        unique: dict[str, UsageRecord] = {}
        for record in records:
            for piece in _by_period(record):
                unique.setdefault(piece.id, piece)  # twice in one call: one transaction may not create it twice
        pieces = list(unique.values())
        added = 0
        chunk: list[UsageRecord] = []
        keys: set[tuple[str, str, str]] = set()
        for piece in pieces:
            wanted = {(piece.kind, piece.label, piece.period)}
            # 100 operations per transaction: the account row, the records, their aggregates (x versions).
            if chunk and len(chunk) + 3 * len(keys | wanted) + 1 > 100:
                added += self._store_usage(tenant_id, account_id, chunk)
                chunk, keys = [], set()
            chunk.append(piece)
            keys |= wanted
        if chunk:
            added += self._store_usage(tenant_id, account_id, chunk)
        return added

    def _store_usage(self, tenant_id: str, account_id: str, pieces: list[UsageRecord]) -> int:
        while True:
            row = self._row(tenant_id, account_id)
            open_period = row["open_period"]
            table = self._table(row)
            billed = [(piece, max(piece.period, open_period)) for piece in pieces]
            rows = [_usage_row(piece, period) for piece, period in billed]
            aggregates = self._aggregated(account_id, table, billed)
            if len(rows) + len(aggregates) + 1 > 100 and len(pieces) > 1:  # many versions: halve the batch
                half = len(pieces) // 2
                return self._store_usage(tenant_id, account_id, pieces[:half]) + self._store_usage(
                    tenant_id, account_id, pieces[half:]
                )
            try:
                self._repository.commit(row, {}, creates=rows, upserts=aggregates)
                return len(rows)
            except StaleAccount:
                continue
            except RowExists:
                if len(rows) == 1:
                    return 0
            # Some are there already (a duplicate delivery): store the others one at a time.
            return sum(self._store_usage(tenant_id, account_id, [piece]) for piece in pieces)

    def _aggregated(
        self, account_id: str, table: list[Version], billed: list[tuple[UsageRecord, str]]
    ) -> list[dict[str, Any]]:
        """The aggregate rows with these records added (read under the same account ETag)."""
        sums: dict[str, dict[str, Any]] = {}
        for piece, billed_period in billed:
            for version, quantity in quantities(table, piece.amount, piece.start, piece.end):
                fields = {
                    "billed_period": billed_period,
                    "kind": piece.kind,
                    "label": piece.label,
                    "period": piece.period,
                    "version": version.key,
                }
                key = _aggregate_key(fields)
                entry = sums.setdefault(key, {**fields, "RowKey": key, "quantity": 0})
                entry["quantity"] += quantity
        for key, entry in sums.items():  # point reads: a batch touches a handful of aggregates
            stored = self._repository.row(account_id, key)
            if stored is not None:
                entry["quantity"] += int(stored["quantity"])
        # Quantities pass int64 over a long month of large pods: stored as decimal text.
        return [{**entry, "quantity": str(entry["quantity"])} for entry in sums.values()]

    def usage(self, tenant_id: str, account_id: str, start: datetime, end: datetime, limit: int) -> list[UsageRecord]:
        self._row(tenant_id, account_id)
        start, end = as_utc(start), as_utc(end)
        found = [_usage_record(row) for row in self._repository.usage_window(account_id, start, end)]
        found.sort(key=lambda record: (record.start, record.id))
        return found[:limit]

    # ---------------------------------------------------------------- rate cards (the built-in provider's own)

    def rate_cards(self, tenant_id: str) -> list[RateCard]:
        rows = sorted(self._repository.rate_card_rows(tenant_id), key=lambda row: row["RowKey"])
        return [_rate_card(tenant_id, number, row) for number, row in enumerate(rows, start=1)]

    def add_rate_card(self, tenant_id: str, body: RateCardBody) -> RateCard:
        """A new version from ``effective_from`` on (not in the past: closed invoices stay as priced)."""
        now = self._clock()
        effective = as_utc(body.effective_from)
        if effective < now:  # usage already recorded was aggregated under the versions in force
            raise ValidationFailed(
                "A rate card takes effect now or later.",
                code="RATE_CARD_IN_THE_PAST",
                details={"effective_from": effective.isoformat()},
            )
        row = {
            "RowKey": f"r:{effective.strftime('%Y%m%dT%H%M%S.%f')}",
            "body": body.model_dump_json(),
            "created_at": now,
        }
        if not self._repository.add_rate_card(tenant_id, row):
            raise Conflict(
                "A rate card with this effective_from exists.",
                code="RATE_CARD_EXISTS",
                details={"effective_from": effective.isoformat()},
            )
        return next(card for card in self.rate_cards(tenant_id) if as_utc(card.effective_from) == effective)

    def _table(self, row: TableEntity) -> list[Version]:
        cards = [RateCardBody.model_validate_json(r["body"]) for r in self._repository.rate_card_rows(row["tenant_id"])]
        cards = [card for card in cards if card.currency == row["currency"]]
        return versions(cards, row["currency"])

    # ---------------------------------------------------------------- invoices

    def _rate(self, row: TableEntity, period: str) -> tuple[list[InvoiceLine], int]:
        """The lines of ``period``'s invoice from what is stored now, and their subtotal.

        Reads the period's aggregate rows (a handful), never its usage records.
        """
        rating = InvoiceRating(period, self._table(row))
        for aggregate in self._repository.rows(row["id"], f"g:{period}:"):
            rating.add_quantity(
                aggregate["kind"],
                aggregate["label"] or "",
                aggregate["period"],
                aggregate["version"],
                int(aggregate["quantity"]),
            )
        for order in self._repository.rows(row["id"], "o:"):
            rating.add_order(
                order["id"], order["resource_id"], order["plan"], order["started_at"], order.get("ended_at")
            )
        lines = rating.lines()
        return lines, sum(line.amount for line in lines)

    def draft_invoice(self, tenant_id: str, account_id: str) -> Invoice:
        row = self._row(tenant_id, account_id)
        period = max(period_of(self._clock()), row["open_period"])
        lines, subtotal = self._rate(row, period)
        applied, due = apply_credits(subtotal, int(row.get("credit_balance") or 0))
        start, end = bounds(period)
        return Invoice(
            id="draft",
            account_id=account_id,
            status="draft",
            period=period,
            period_start=start,
            period_end=end,
            currency=row["currency"],
            lines=lines,
            subtotal=subtotal,
            credits_applied=applied,
            total_due=due,
        )

    def close_periods(self, tenant_id: str, account_id: str, through: str | None = None) -> list[Invoice]:
        """Close every ended period up to ``through``, oldest first; safe to run twice or at once.

        Two steps per period, each one transaction under the account row's ETag: first the
        account's open period moves past it (``closing`` names it), so no usage can be billed
        on it any more; then its invoice is written with the next number and the credits it
        draws. A step lost to another instance is re-read, never redone on stale state; a crash
        between the steps leaves ``closing`` set and the next run finishes it.
        """
        closed: list[Invoice] = []
        while True:
            row = self._row(tenant_id, account_id)
            if row.get("closing"):
                invoice = self._finish(row)
                if invoice is not None:
                    closed.append(invoice)
                continue
            limit = self._last_closable(row, through)
            if row["open_period"] > limit:
                return closed
            try:
                self._repository.commit(
                    row, {"open_period": next_period(row["open_period"]), "closing": row["open_period"]}
                )
            except StaleAccount:
                continue

    def _last_closable(self, row: TableEntity, through: str | None) -> str:
        last = previous_period(period_of(self._clock()))
        if row["status"] == "closed" and row.get("closed_at") is not None:
            end = period_of(row["closed_at"])
            if row["open_period"] > end and self._repository.rows(row["id"], f"g:{row['open_period']}:"):
                end = row["open_period"]  # usage reported after the account closed: one more invoice
            last = min(last, end)
        return min(last, through) if through else last

    def _finish(self, row: TableEntity) -> Invoice | None:
        """Write the invoice of the period being closed; ``None`` if another instance did."""
        period = row["closing"]
        lines, subtotal = self._rate(row, period)
        balance = int(row.get("credit_balance") or 0)
        applied, due = apply_credits(subtotal, balance)
        number = int(row.get("invoices_closed") or 0) + 1
        start, end = bounds(period)
        invoice = Invoice(
            id=f"inv_{number:06d}",
            account_id=row["id"],
            number=number,
            status="closed",
            period=period,
            period_start=start,
            period_end=end,
            currency=row["currency"],
            lines=lines,
            subtotal=subtotal,
            credits_applied=applied,
            total_due=due,
            closed_at=self._clock(),
        )
        try:
            self._repository.commit(
                row,
                {"closing": "", "invoices_closed": number, "credit_balance": str(balance - applied)},
                creates=[_invoice_row(invoice)],
            )
        except (StaleAccount, RowExists):
            return None
        return invoice

    def close_due(self) -> int:
        """The timer's work: close the ended periods of every account; answers invoices closed."""
        count = 0
        for tenant_id, account_id in self._repository.all_accounts():
            count += len(self.close_periods(tenant_id, account_id))
        return count

    def invoices(self, tenant_id: str, account_id: str, offset: int, limit: int) -> InvoicePage:
        self._row(tenant_id, account_id)
        invoices = sorted(
            (_invoice(row) for row in self._repository.rows(account_id, "i:")),
            key=lambda invoice: invoice.number or 0,
            reverse=True,
        )
        return InvoicePage(
            items=[summary(invoice) for invoice in invoices[offset : offset + limit]],
            total=len(invoices),
            offset=offset,
            limit=limit,
        )

    def invoice(self, tenant_id: str, account_id: str, invoice_id: str) -> Invoice:
        if invoice_id == "draft":
            return self.draft_invoice(tenant_id, account_id)
        self._row(tenant_id, account_id)
        for row in self._repository.rows(account_id, "i:"):
            if row["id"] == invoice_id:
                return _invoice(row)
        raise NotFound(
            f"No invoice {invoice_id!r} on this account.",
            code="INVOICE_NOT_FOUND",
            details={"account_id": account_id, "invoice_id": invoice_id},
        )

    # ---------------------------------------------------------------- credits

    def add_credits(self, tenant_id: str, account_id: str, amount: int, reference: str | None = None) -> CreditBalance:
        if amount <= 0:
            raise ValidationFailed("Credits are a positive amount.", code="CREDIT_AMOUNT", details={"amount": amount})
        key = hashlib.sha256(reference.encode()).hexdigest()[:32] if reference else uuid.uuid4().hex
        while True:
            row = self._open_row(tenant_id, account_id)
            balance = int(row.get("credit_balance") or 0) + amount
            credit = {"RowKey": f"c:{key}", "id": key, "amount": str(amount), "created_at": self._clock()}
            try:
                self._repository.commit(row, {"credit_balance": str(balance)}, creates=[credit])
            except StaleAccount:
                continue
            except RowExists:  # this reference was added before
                return self.credits(tenant_id, account_id)
            return CreditBalance(account_id=account_id, currency=row["currency"], balance=balance)

    def credits(self, tenant_id: str, account_id: str) -> CreditBalance:
        row = self._row(tenant_id, account_id)
        return CreditBalance(
            account_id=account_id, currency=row["currency"], balance=int(row.get("credit_balance") or 0)
        )

    # ---------------------------------------------------------------- orders

    def create_order(self, tenant_id: str, account_id: str, order: OrderCreate) -> Order:
        while True:
            row = self._open_row(tenant_id, account_id)
            now = self._clock()
            in_force = [version for version in self._table(row) if version.start <= now]
            if order.plan not in in_force[-1].card.plans:
                raise ValidationFailed(
                    f"No plan {order.plan!r} on the rate card in force.",
                    code="PLAN_UNKNOWN",
                    details={"plan": order.plan, "plans": sorted(in_force[-1].card.plans)},
                )
            created = Order(
                id=f"ord_{uuid.uuid4().hex[:20]}",
                account_id=account_id,
                resource_id=order.resource_id,
                plan=order.plan,
                tags=sorted(set(order.tags)),
                started_at=now,
            )
            try:
                self._repository.commit(row, {}, creates=[_order_row(created)])
            except StaleAccount:
                continue
            return created

    def orders(self, tenant_id: str, account_id: str) -> list[Order]:
        self._row(tenant_id, account_id)
        return sorted((_order(row) for row in self._repository.rows(account_id, "o:")), key=lambda o: o.started_at)

    def order(self, tenant_id: str, account_id: str, order_id: str) -> Order:
        self._row(tenant_id, account_id)
        row = self._repository.row(account_id, f"o:{order_id}")
        if row is None:
            raise NotFound(
                f"No order {order_id!r} on this account.", code="ORDER_NOT_FOUND", details={"order_id": order_id}
            )
        return _order(row)

    def delete_order(self, tenant_id: str, account_id: str, order_id: str) -> Order:
        return self._change_order(
            tenant_id,
            account_id,
            order_id,
            lambda order: order.model_copy(update={"ended_at": order.ended_at or self._clock()}),
        )

    def tag_order(self, tenant_id: str, account_id: str, order_id: str, tags: list[str]) -> Order:
        return self._change_order(
            tenant_id,
            account_id,
            order_id,
            lambda order: order.model_copy(update={"tags": sorted({*order.tags, *tags})}),
        )

    def _change_order(self, tenant_id: str, account_id: str, order_id: str, change: Callable[[Order], Order]) -> Order:
        while True:
            row = self._row(tenant_id, account_id)  # first: an order changed after it changes its ETag
            stored = self._repository.row(account_id, f"o:{order_id}")
            if stored is None:
                raise NotFound(
                    f"No order {order_id!r} on this account.", code="ORDER_NOT_FOUND", details={"order_id": order_id}
                )
            current = _order(stored)
            changed = change(current)
            if changed == current:
                return current
            try:
                self._repository.commit(row, {}, upserts=[_order_row(changed)])
            except StaleAccount:
                continue
            return changed

    def _open_row(self, tenant_id: str, account_id: str) -> TableEntity:
        row = self._row(tenant_id, account_id)
        if row["status"] != "open":
            raise Conflict(
                "The billing account is closed.", code="BILLING_ACCOUNT_CLOSED", details={"account_id": account_id}
            )
        return row


# ---------------------------------------------------------------- rows


def _chunks(items: list[UsageRecord], size: int) -> list[list[UsageRecord]]:
    return [items[index : index + size] for index in range(0, len(items), size)]


def _by_period(record: UsageRecord) -> list[UsageRecord]:
    """The record cut at period boundaries; each part's id says its period when there are several."""
    parts = split(record.start, record.end)
    if len(parts) <= 1:
        start = as_utc(record.start)
        return [record.model_copy(update={"period": period_of(start), "start": start, "end": as_utc(record.end)})]
    return [
        record.model_copy(update={"id": f"{record.id}@{period}", "period": period, "start": start, "end": end})
        for period, start, end in parts
    ]


def _aggregate_key(fields: dict[str, Any]) -> str:
    """``g:<billed period>:<hash of kind, label, usage period, version>`` (labels may hold any character)."""
    name = "\x00".join((fields["kind"], fields["label"], fields["period"], fields["version"]))
    return f"g:{fields['billed_period']}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"


def _usage_row(record: UsageRecord, billed_period: str) -> dict[str, Any]:
    return {
        "RowKey": "u:" + hashlib.sha256(record.id.encode()).hexdigest()[:40],
        "id": record.id,
        "kind": record.kind,
        "resource_id": record.resource_id,
        "label": record.label,
        "amount": record.amount,
        "start": record.start,
        "end": record.end,
        "period": record.period,
        "billed_period": billed_period,
    }


def _usage_record(row: TableEntity) -> UsageRecord:
    return UsageRecord(
        id=row["id"],
        kind=row["kind"],
        resource_id=row["resource_id"],
        label=row.get("label") or "",
        amount=int(row["amount"]),
        start=row["start"],
        end=row["end"],
        period=row["period"],
        billed_period=row["billed_period"],
    )


BODY_CHUNK = 30_000
"""Characters per string property: Table storage holds at most 64 KiB (32K UTF-16 characters) in one."""


def _invoice_row(invoice: Invoice) -> dict[str, Any]:
    """The invoice as JSON, cut over ``body0``, ``body1``... (a row holds 1 MiB; a property 64 KiB)."""
    text = invoice.model_dump_json()
    chunks = [text[offset : offset + BODY_CHUNK] for offset in range(0, len(text), BODY_CHUNK)]
    row: dict[str, Any] = {
        "RowKey": f"i:{invoice.period}",
        "id": invoice.id,
        "number": invoice.number,
        "period": invoice.period,
        "chunks": len(chunks),
    }
    row.update({f"body{index}": chunk for index, chunk in enumerate(chunks)})
    return row


def _invoice(row: TableEntity) -> Invoice:
    return Invoice.model_validate_json("".join(row[f"body{index}"] for index in range(int(row["chunks"]))))


def summary(invoice: Invoice) -> InvoiceSummary:
    return InvoiceSummary(
        id=invoice.id,
        number=invoice.number,
        status=invoice.status,
        period=invoice.period,
        currency=invoice.currency,
        subtotal=invoice.subtotal,
        credits_applied=invoice.credits_applied,
        total_due=invoice.total_due,
    )


def _order_row(order: Order) -> dict[str, Any]:
    row: dict[str, Any] = {
        "RowKey": f"o:{order.id}",
        "id": order.id,
        "resource_id": order.resource_id,
        "plan": order.plan,
        "tags": json.dumps(order.tags),
        "started_at": order.started_at,
    }
    if order.ended_at is not None:
        row["ended_at"] = order.ended_at
    return row


def _order(row: TableEntity) -> Order:
    return Order(
        id=row["id"],
        account_id=row["PartitionKey"].removeprefix("acct:"),
        resource_id=row["resource_id"],
        plan=row["plan"],
        tags=json.loads(row.get("tags") or "[]"),
        started_at=row["started_at"],
        ended_at=row.get("ended_at"),
    )


def _rate_card(tenant_id: str, number: int, row: TableEntity) -> RateCard:
    body = RateCardBody.model_validate_json(row["body"])
    return RateCard(**body.model_dump(), tenant_id=tenant_id, version=number, created_at=row["created_at"])
