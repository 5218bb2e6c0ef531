"""After approval: dispensing (a pharmacist, every prescription line covered, every pharmacy medicine approved by
a pharmacist, paid first when the payment method asks for it; batch, expiry and directions recorded per line),
shipping with a carrier, delivery, and cancelling (by the staff, or by the customer until a pharmacist has approved
the order). Payments and refunds: ``payment``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apothecary.core.roles import is_pharmacist
from orders.models import TRANSITIONS, Carrier, Order, OrderEvent, OrderLine, OrderStatus
from orders.services.coverage import describe_line, prescription_lines, refuse_uncovered
from orders.services.errors import InvalidTransition, OrderError
from orders.services.ownership import check_not_own_order
from orders.services.payment import refuse_unpaid
from orders.services.status import locked, set_status

BATCH_MAX_LENGTH = OrderLine._meta.get_field("batch_number").max_length
DIRECTIONS_MAX_LENGTH = OrderLine._meta.get_field("directions").max_length

# Orders whose labels can be printed: dispensed, and not yet taken back.
LABELLED = {OrderStatus.DISPENSED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
# Orders a packing slip is printed for: approved, to be packed, or on their way.
PACKED = {OrderStatus.APPROVED, *LABELLED}


@dataclass(frozen=True)
class Dispensed:
    """What the pharmacist records for one line: the batch dispensed, its expiry, and the directions for the label."""

    batch_number: str
    expiry_date: date | None
    directions: str = ""


def suggested_directions(line: OrderLine) -> str:
    """The directions to print on the line's label, before the pharmacist edits them: the line's own, or those the
    prescriber wrote on the verified prescription item."""
    item = line.prescription_item
    return line.directions or (item.directions if item is not None else "")


def refuse_unapproved_pharmacy_lines(order: Order) -> None:
    """A pharmacy medicine (P) is dispensed only once a pharmacist has approved its sale."""
    waiting = list(order.lines.filter(removed=False, pharmacy_medicine=True, pharmacist_approved_by__isnull=True))
    if waiting:
        raise OrderError(
            "Cannot dispense: a pharmacist has not yet approved the sale of "
            + "; ".join(describe_line(line) for line in waiting)
            + " (a pharmacy medicine)."
        )


def check_dispensing_details(order: Order, details: dict[int, Dispensed]) -> dict[int, Dispensed]:
    """Every line not removed needs its batch number and expiry (not past); a prescription line its directions.
    Returns the details tidied; raises ``ValidationError`` naming every line that lacks something."""
    rx = {line.pk for line in prescription_lines(order)}
    today = timezone.localdate()
    problems, tidy = [], {}
    for line in order.lines.filter(removed=False).select_related("pack__product"):
        given = details.get(line.pk) or Dispensed("", None)
        batch, directions = given.batch_number.strip(), given.directions.strip()
        name = line.description
        if not batch:
            problems.append(f"{name}: enter the batch number.")
        elif len(batch) > BATCH_MAX_LENGTH:
            problems.append(f"{name}: the batch number has more than {BATCH_MAX_LENGTH} characters.")
        if given.expiry_date is None:
            problems.append(f"{name}: enter the batch's expiry date.")
        elif given.expiry_date < today:
            problems.append(f"{name}: the batch expired on {given.expiry_date:%d %b %Y}; dispense an unexpired one.")
        if line.pk in rx and not directions:
            problems.append(f"{name}: enter the directions for the label (a prescription medicine).")
        elif len(directions) > DIRECTIONS_MAX_LENGTH:
            problems.append(f"{name}: the directions have more than {DIRECTIONS_MAX_LENGTH} characters.")
        tidy[line.pk] = Dispensed(batch, given.expiry_date, directions)
    if problems:
        raise ValidationError(problems)
    return tidy


@transaction.atomic
def dispense(order: Order, pharmacist, details: dict[int, Dispensed] | None = None) -> OrderEvent:
    """Mark an approved order dispensed, with the batch, expiry and directions of each line (``details``, by line
    id): refused unless every prescription line is covered, every pharmacy medicine approved by a pharmacist, and
    the order paid when its payment method asks for the money first."""
    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist can dispense an order.")
    locked(order)
    check_not_own_order(order, pharmacist, "dispense")
    if OrderStatus.DISPENSED not in TRANSITIONS.get(order.status, set()):
        raise InvalidTransition(
            f"Order {order.number} cannot go from “{order.get_status_display()}” to “{OrderStatus.DISPENSED.label}”."
        )
    refuse_uncovered(order, "Cannot dispense")
    refuse_unapproved_pharmacy_lines(order)
    refuse_unpaid(order)
    tidy = check_dispensing_details(order, details or {})
    for line_id, given in tidy.items():
        OrderLine.objects.filter(pk=line_id).update(
            batch_number=given.batch_number, expiry_date=given.expiry_date, directions=given.directions
        )
    return set_status(
        order,
        OrderStatus.DISPENSED,
        by=pharmacist,
        action="orders.dispense",
        log_data={
            "lines": [
                {"line": line_id, "batch_number": given.batch_number, "expiry_date": given.expiry_date.isoformat()}
                for line_id, given in tidy.items()
            ]
        },
    )


@transaction.atomic
def ship(order: Order, *, by, carrier: Carrier | None, tracking_number: str) -> OrderEvent:
    """Mark a dispensed order shipped with a carrier (an active one) and its tracking number."""
    if carrier is None or not Carrier.objects.filter(pk=carrier.pk, active=True).exists():
        raise ValidationError("Choose the carrier (one in use).")
    if not tracking_number.strip():
        raise ValidationError("Enter the tracking number.")
    locked(order)
    if OrderStatus.SHIPPED not in TRANSITIONS.get(order.status, set()):
        raise InvalidTransition(
            f"Order {order.number} cannot go from “{order.get_status_display()}” to “{OrderStatus.SHIPPED.label}”."
        )
    order.tracking_number = tracking_number.strip()
    order.carrier = carrier
    order.save(update_fields=["tracking_number", "carrier"])
    # No note: the patient's page and the shipped e-mail show the carrier and the tracking link once.
    return set_status(
        order,
        OrderStatus.SHIPPED,
        by=by,
        action="orders.ship",
        log_data={"carrier": carrier.name, "tracking_number": order.tracking_number},
    )


def deliver(order: Order, *, by) -> OrderEvent:
    return set_status(order, OrderStatus.DELIVERED, by=by, action="orders.deliver")


@transaction.atomic
def cancel(order: Order, *, by=None, reason: str = "") -> OrderEvent:
    """Cancel an order (staff); its stock goes back on the shelf."""
    return _cancel(order, by=by, reason=reason)


@transaction.atomic
def cancel_by_customer(order: Order, *, by=None) -> OrderEvent:
    """The customer cancels their own order: only until a pharmacist has approved it."""
    locked(order)
    if not order.customer_can_cancel:
        raise OrderError(
            f"Order {order.number} can no longer be cancelled online ({order.get_status_display()}). "
            "Please contact the pharmacy."
        )
    return _cancel(order, by=by, reason="Cancelled by the customer")


def _cancel(order: Order, *, by, reason: str) -> OrderEvent:
    return set_status(
        order, OrderStatus.CANCELLED, by=by, note=reason, action="orders.cancel", log_data={"reason": reason}
    )
