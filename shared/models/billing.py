"""Billing: accounts, usage records, rate cards, orders, credits and invoices.

Money is always an integer count of the currency's minor units (cents for USD) beside its
ISO 4217 code; rates may hold fractions of a minor unit (a vCPU-hour at 0.42 cents), as
decimal strings, and an amount is rounded once per invoice line (``shared/billing/pricing.py``).
A billing period is a calendar month in UTC, written ``YYYY-MM``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from shared.models.base import ApiModel
from shared.models.common import AddressableId

OwnerKind = Literal["team", "tenant"]
AccountStatus = Literal["open", "closed"]
UsageKind = Literal["gpu_hours", "cpu_hours", "memory_gib_hours", "storage_gib_hours", "flavor_hours"]
InvoiceStatus = Literal["draft", "closed"]
LineKind = Literal["usage", "order", "adjustment"]

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
TAG_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._:/-]{0,61}[A-Za-z0-9])?$"

UNIT_OF: dict[str, str] = {
    "gpu_hours": "GPU-second",
    "cpu_hours": "millicore-second",
    "memory_gib_hours": "MiB-second",
    "storage_gib_hours": "MiB-second",
    "flavor_hours": "instance-second",
}
"""What one unit of a usage record's ``amount`` times one second is, per kind (all integers)."""


def _rate(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError("a rate is a decimal number of minor units, e.g. '250' or '0.42'") from None
    if not number.is_finite() or number < 0 or number > Decimal(10) ** 12:
        raise ValueError("a rate is a finite, non-negative number of minor units below 10^12")
    return format(number.normalize(), "f")


Rate = Annotated[
    str,
    Field(max_length=32, examples=["250", "0.42"], description="Minor units per unit-hour (decimal string)."),
    AfterValidator(_rate),
]


class BillingAccount(ApiModel):
    """Who is billed: a team (OpenStack project) or a Cloudplane tenant, in one currency."""

    id: str
    tenant_id: str
    owner_kind: OwnerKind
    owner_id: str
    name: str
    currency: str = Field(pattern=CURRENCY_PATTERN)
    status: AccountStatus
    provider: str = Field("builtin", description="The billing provider that keeps this account.")
    credit_balance: int = Field(0, description="Prepaid credits left, in minor units.")
    open_period: str = Field(pattern=PERIOD_PATTERN, description="The first period not yet invoiced.")
    invoices_closed: int = Field(0, description="Invoices numbered so far (the last one's number).")
    created_at: datetime
    closed_at: datetime | None = None


class UsageRecord(ApiModel):
    """Metered use of one resource over ``[start, end)``, inside one billing period.

    ``id`` is derived from the event that produced it (a pod's deletion, a server's power-off),
    so the same event delivered twice is the same record and is stored once.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    kind: UsageKind
    resource_id: str = Field(min_length=1, max_length=256)
    label: str = Field("", max_length=128, description="GPU model label or flavor name; '' when none.")
    amount: int = Field(ge=0, description="Units in use (millicores, MiB, GPUs, instances).")
    start: datetime
    end: datetime
    period: str = Field("", description="The calendar month of ``start`` (set when stored).")
    billed_period: str = Field("", description="The invoice it goes on: its own, or the next open one if late.")


class RateCardBody(ApiModel):
    """A tenant's prices from ``effective_from`` on (minor units per unit-hour; plans per month)."""

    model_config = ConfigDict(extra="forbid")

    currency: str = Field("USD", pattern=CURRENCY_PATTERN)
    effective_from: datetime
    gpu_hour: dict[str, Rate] = Field(default_factory=dict, description="Per GPU model label; key '*' for any other.")
    vcpu_hour: Rate = "0"
    memory_gib_hour: Rate = "0"
    storage_gib_hour: Rate = "0"
    flavor_hour: dict[str, Rate] = Field(default_factory=dict, description="Per flavor name; key '*' for any other.")
    plans: dict[str, int] = Field(default_factory=dict, description="Flat monthly price per plan, minor units.")


class RateCard(RateCardBody):
    tenant_id: str
    version: int
    created_at: datetime


class OrderCreate(ApiModel):
    model_config = ConfigDict(extra="forbid")

    resource_id: AddressableId = Field(description="The rack or cluster subscribed.")
    plan: str = Field(min_length=1, max_length=64)
    tags: list[Annotated[str, Field(pattern=TAG_PATTERN)]] = Field(default_factory=list, max_length=20)


class OrderTags(ApiModel):
    model_config = ConfigDict(extra="forbid")

    tags: list[Annotated[str, Field(pattern=TAG_PATTERN)]] = Field(min_length=1, max_length=20)


class Order(ApiModel):
    """A resource subscribed to a flat monthly plan from ``started_at`` until ``ended_at``."""

    id: str
    account_id: str
    resource_id: str
    plan: str
    tags: list[str]
    started_at: datetime
    ended_at: datetime | None = None


class CreditTopUp(ApiModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(gt=0, le=10**12, description="Minor units to add.")
    reference: str | None = Field(
        None, min_length=1, max_length=100, description="Your id for this top-up: the same one twice adds once."
    )


class Credit(ApiModel):
    id: str
    account_id: str
    amount: int
    created_at: datetime


class CreditBalance(ApiModel):
    account_id: str
    currency: str
    balance: int = Field(description="Minor units left.")


class InvoiceLine(ApiModel):
    kind: LineKind
    description: str
    usage_kind: UsageKind | None = None
    label: str = ""
    resource_id: str | None = None
    period: str = Field(description="The period the usage or order time belongs to.")
    quantity: str = Field(description="Unit-hours (or the share of a month), exact decimal string.")
    rate: str = Field(description="Minor units per unit-hour (or per month).")
    amount: int = Field(description="Minor units, rounded once (half up).")


class Invoice(ApiModel):
    id: str
    account_id: str
    number: int | None = Field(None, description="Gapless per account; none on a draft.")
    status: InvoiceStatus
    period: str
    period_start: datetime
    period_end: datetime
    currency: str
    lines: list[InvoiceLine]
    subtotal: int
    credits_applied: int
    total_due: int
    closed_at: datetime | None = None


class InvoiceSummary(ApiModel):
    id: str
    number: int | None
    status: InvoiceStatus
    period: str
    currency: str
    subtotal: int
    credits_applied: int
    total_due: int


class InvoicePage(ApiModel):
    """Newest first; ``total`` counts every invoice of the account."""

    items: list[InvoiceSummary]
    total: int
    offset: int
    limit: int


class InvoiceListQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


class InvoiceQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    format: Literal["json", "pdf"] = "json"


class UsageQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    start: datetime = Field(description="Records ending after this instant...")
    end: datetime = Field(description="...and starting before this one.")
    limit: int = Field(1000, ge=1, le=10_000)


class UsageList(ApiModel):
    items: list[UsageRecord]


class ClosePeriods(ApiModel):
    model_config = ConfigDict(extra="forbid")

    through: str | None = Field(None, pattern=PERIOD_PATTERN, description="Close ended periods up to this one.")


class ClosedInvoices(ApiModel):
    items: list[InvoiceSummary]
