"""An invoice as a PDF a customer can be sent (fpdf2, imported on the first PDF).

Core Helvetica only (no font files to ship); text outside Latin-1 is replaced, which invoice
fields (ids, periods, plan and label names) do not need.
"""

from __future__ import annotations

from decimal import Decimal

from shared.billing.pricing import minor_digits
from shared.models.billing import Invoice


def money(amount: int, currency: str) -> str:
    """``1234`` USD -> ``12.34 USD``: minor units shown in the currency's major unit."""
    digits = minor_digits(currency)
    return f"{Decimal(amount).scaleb(-digits):.{digits}f} {currency}"


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def render(invoice: Invoice, account_name: str) -> bytes:
    from fpdf import FPDF  # heavy: on the first PDF only

    pdf = FPDF(format="A4")
    pdf.set_title(f"Invoice {invoice.id}")
    pdf.set_creator("Cloudplane")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    title = f"Invoice {invoice.number:06d}" if invoice.number is not None else "Draft invoice"
    pdf.cell(0, 12, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for label, value in (
        ("Account", f"{account_name} ({invoice.account_id})"),
        ("Invoice id", invoice.id),
        ("Period", f"{invoice.period} ({invoice.period_start:%Y-%m-%d} to {invoice.period_end:%Y-%m-%d}, UTC)"),
        ("Status", invoice.status),
        ("Closed", f"{invoice.closed_at:%Y-%m-%d %H:%M} UTC" if invoice.closed_at else "-"),
    ):
        pdf.cell(30, 6, label)
        pdf.cell(0, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_fill_color(230, 230, 230)
    widths = (95, 30, 30, 35)
    for width, head in zip(widths, ("Description", "Quantity", "Rate", "Amount"), strict=True):
        pdf.cell(width, 7, head, border=1, fill=True, align="L" if head == "Description" else "R")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for line in invoice.lines:
        cells = (line.description[:60], line.quantity, line.rate, money(line.amount, invoice.currency))
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, _latin1(text), border=1, align="L" if width == widths[0] else "R")
        pdf.ln()
    if not invoice.lines:
        pdf.cell(sum(widths), 6, "No charges in this period.", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, amount, bold in (
        ("Subtotal", invoice.subtotal, False),
        ("Credits applied", -invoice.credits_applied, False),
        ("Total due", invoice.total_due, True),
    ):
        pdf.set_font("Helvetica", "B" if bold else "", 11 if bold else 10)
        pdf.cell(sum(widths[:3]), 7, label, align="R")
        pdf.cell(widths[3], 7, money(amount, invoice.currency), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(
        0,
        4,
        "Amounts are in minor units summed exactly per line and rounded once per line, half up. "
        "Rates are in minor units per unit-hour (plans: per month, prorated by the second).",
    )
    return bytes(pdf.output())
