"""After approval: dispensing (a pharmacist, every prescription line covered), shipping, delivery, refunds, and
cancelling (by the staff, or by the customer until a pharmacist has approved the order)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apothecary.core.roles import is_pharmacist
from orders.models import Order, OrderEvent, OrderStatus
from orders.services.coverage import refuse_uncovered
from orders.services.errors import OrderError
from orders.services.ownership import check_not_own_order
from orders.services.status import locked, set_status


@transaction.atomic
def dispense(order: Order, pharmacist) -> OrderEvent:
    """Mark an approved order dispensed: refused unless every prescription line is covered."""
    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist can dispense an order.")
    locked(order)
    check_not_own_order(order, pharmacist, "dispense")
    refuse_uncovered(order, "Cannot dispense")
    return set_status(order, OrderStatus.DISPENSED, by=pharmacist, action="orders.dispense")


@transaction.atomic
def ship(order: Order, *, by, tracking_number: str) -> OrderEvent:
    if not tracking_number.strip():
        raise ValidationError("Enter the tracking number.")
    order.tracking_number = tracking_number.strip()
    order.save(update_fields=["tracking_number"])
    return set_status(
        order,
        OrderStatus.SHIPPED,
        by=by,
        note=f"Tracking number {order.tracking_number}",
        action="orders.ship",
        log_data={"tracking_number": order.tracking_number},
    )


def deliver(order: Order, *, by) -> OrderEvent:
    return set_status(order, OrderStatus.DELIVERED, by=by, action="orders.deliver")


def refund(order: Order, *, by, note: str = "") -> OrderEvent:
    return set_status(order, OrderStatus.REFUNDED, by=by, note=note, action="orders.refund", log_data={"note": note})


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
