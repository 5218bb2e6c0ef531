"""Which of an order's lines need a prescription, and whether an approved, unexpired prescription covers them.

A prescription-only line is dispensed only against an approved, unexpired verified prescription item that
covers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from catalogue.services import prescription_needs
from medicines.models import LegalStatus
from medicines.services import prescription_only_guides, ruling_guides, ruling_reason
from orders.models import Order, OrderEvent, OrderLine, OrderStatus
from orders.services.errors import PrescriptionNotCovering
from prescriptions.models import PrescriptionItem

# Orders whose lines do not use up an issue of a prescription item.
NOT_ISSUED = [OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.REFUNDED]


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
        or not interval_kept(line, on=on)
    ]


def _issues(item: PrescriptionItem):
    """The lines that are issues of ``item`` (not removed, of orders not cancelled, rejected or refunded)."""
    return item.order_lines.filter(removed=False).exclude(order__status__in=NOT_ISSUED)


def issues_used_elsewhere(line: OrderLine) -> int:
    """How many earlier lines (of orders not cancelled, rejected or refunded) the line's prescription item covers:
    each is one issue of it, and the earlier ones have it first."""
    return _issues(line.prescription_item).filter(pk__lt=line.pk).count()


def _dispensed_on(order_ids) -> dict[int, date]:
    """The day each of these orders was dispensed (those dispensed)."""
    rows = (
        OrderEvent.objects.filter(order_id__in=order_ids, to_status=OrderStatus.DISPENSED)
        .values("order_id")
        .annotate(at=Min("created_at"))
    )
    return {row["order_id"]: timezone.localdate(row["at"]) for row in rows}


def interval_kept(line: OrderLine, on: date | None = None) -> bool:
    """For a repeat (an item with ``interval_days``): the issue before this line was dispensed at least
    ``interval_days`` before ``on`` (today). True for a first issue or an item with no interval."""
    item = line.prescription_item
    if not item.interval_days:
        return True
    previous = _issues(item).filter(pk__lt=line.pk).order_by("-pk").values_list("order_id", flat=True).first()
    if previous is None:
        return True
    dispensed = _dispensed_on([previous]).get(previous)
    return dispensed is not None and dispensed + timedelta(days=item.interval_days) <= (on or timezone.localdate())


@dataclass(frozen=True)
class RepeatStatus:
    """What is left of a prescription item: issues used and left, and the first day the next may be dispensed."""

    issues_allowed: int
    issues_used: int
    valid_until: date
    next_date: date | None = None  # None: no interval to wait for (or nothing left)
    waiting_for_dispensing: bool = False  # the latest issue is not dispensed yet: the next waits for it

    @property
    def issues_left(self) -> int:
        return max(self.issues_allowed - self.issues_used, 0)

    @property
    def expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def available(self) -> bool:
        """Another issue could be dispensed today."""
        today = timezone.localdate()
        return (
            self.issues_left > 0
            and not self.expired
            and not self.waiting_for_dispensing
            and (self.next_date is None or self.next_date <= today)
        )

    @property
    def summary(self) -> str:
        """ "2 of 3 issues left; next from 5 Jan 2028" (or why none is left)."""
        left = f"{self.issues_left} of {self.issues_allowed} issue{'s' if self.issues_allowed != 1 else ''} left"
        if self.issues_left == 0:
            return f"{left}: all issues used"
        if self.expired:
            return f"{left}, but the prescription expired on {_day(self.valid_until)}"
        if self.waiting_for_dispensing:
            return f"{left}; the next once the latest issue is dispensed"
        if self.next_date and self.next_date > timezone.localdate():
            return f"{left}; next from {_day(self.next_date)}"
        return f"{left} (valid until {_day(self.valid_until)})"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def repeat_status(item: PrescriptionItem) -> RepeatStatus:
    """How many issues of ``item`` are used and left, and when the next may be dispensed."""
    order_ids = list(_issues(item).order_by("pk").values_list("order_id", flat=True))
    next_date, waiting = None, False
    if order_ids and item.interval_days:
        dispensed = _dispensed_on([order_ids[-1]]).get(order_ids[-1])
        if dispensed is None:
            waiting = True
        else:
            next_date = dispensed + timedelta(days=item.interval_days)
    return RepeatStatus(
        issues_allowed=item.issues_allowed,
        issues_used=len(order_ids),
        valid_until=item.valid_until,
        next_date=next_date,
        waiting_for_dispensing=waiting,
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
