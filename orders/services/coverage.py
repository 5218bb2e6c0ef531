"""Which of an order's lines need a prescription, and whether an approved, unexpired prescription covers them.

A prescription-only line is dispensed only against an approved, unexpired verified prescription item that
covers it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from catalogue.services import prescription_needs
from medicines.models import LegalStatus
from medicines.services import prescription_only_guides, ruling_guides, ruling_reason
from orders.models import Order, OrderLine, OrderStatus
from orders.services.errors import PrescriptionNotCovering


def prescription_lines(order: Order) -> list[OrderLine]:
    """The order's lines (not removed) that need a prescription, each with ``prescription_reason`` set.

    A line needs one when it was ordered as a prescription medicine, when its product needs one now, or when a
    live guide makes an active ingredient recorded on the line prescription-only, whatever the line says (the
    dispensing check's defence in depth against a product moved to another guide).
    """
    lines = list(
        order.lines.filter(removed=False).select_related("pack__product__medicine", "prescription_item__prescription")
    )
    needs = prescription_needs({line.pack.product for line in lines})
    ruling = prescription_only_guides(frozenset().union(*(line.ingredients for line in lines)))
    found = []
    for line in lines:
        need, guides = needs[line.pack.product_id], ruling_guides(line.ingredients, ruling)
        line.prescription_reason = (
            ("ordered as a prescription medicine" if line.requires_prescription else "")
            or need.reason
            or ruling_reason(line.ingredients, guides)
        )
        # Controlled now, if it was when ordered or has become so since (in memory: the checks use it).
        line.controlled = (
            line.controlled or need.controlled or any(guide.legal_status == LegalStatus.CONTROLLED for guide in guides)
        )
        if line.prescription_reason:
            found.append(line)
    return found


def uncovered_lines(order: Order, on: date | None = None) -> list[OrderLine]:
    """Lines that need a prescription (``prescription_lines``) with no approved, unexpired verified item that
    covers them."""
    return [
        line
        for line in prescription_lines(order)
        if line.prescription_item is None
        or line.prescription_item.prescription.patient_id != order.customer_id
        or not line.prescription_item.covers(line.pack.product, line.units, on=on)
        or issues_used_elsewhere(line) >= line.prescription_item.issues_allowed
    ]


def issues_used_elsewhere(line: OrderLine) -> int:
    """How many earlier lines (of orders not cancelled, rejected or refunded) the line's prescription item covers:
    each is one issue of it, and the earlier ones have it first."""
    return (
        line.prescription_item.order_lines.filter(removed=False, pk__lt=line.pk)
        .exclude(order__status__in=[OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.REFUNDED])
        .count()
    )


def refuse_uncovered(order: Order, refusal: str) -> None:
    """Raise ``PrescriptionNotCovering`` ("<refusal>: …") when a line that needs a prescription is not covered, or
    is a controlled medicine while the pharmacy does not supply them online (it may have become one since)."""
    if not settings.SELL_CONTROLLED_ONLINE:
        controlled = [line for line in prescription_lines(order) if line.controlled]
        if controlled:
            raise PrescriptionNotCovering(
                f"{refusal}: {'; '.join(describe_line(line) for line in controlled)} is a controlled medicine, and "
                "this pharmacy does not supply controlled medicines online (SELL_CONTROLLED_ONLINE is off)."
            )
    missing = uncovered_lines(order)
    if missing:
        raise PrescriptionNotCovering(
            f"{refusal}: no approved, unexpired prescription covers "
            + "; ".join(f"{describe_line(line)} ({line.prescription_reason})" for line in missing)
            + ". A prescription-only medicine is dispensed only against a prescription a pharmacist has approved."
        )


def describe_line(line: OrderLine) -> str:
    """ "Tizanidine 2 mg tablet — 30 tablets (SKU TIZ-2-30; tizanidine hydrochloride 2 mg)"."""
    details = "; ".join(part for part in (f"SKU {line.sku}" if line.sku else "", _ingredient_strength(line)) if part)
    return f"{line.description}, {details}" if details else line.description


def _ingredient_strength(line: OrderLine) -> str:
    return " ".join(part for part in (line.active_ingredients, line.strength) if part)
