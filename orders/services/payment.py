"""Whether an order is paid: the staff record a payment (e.g. a bank transfer that arrived) and refunds; an order
whose payment method asks for the money first (``PaymentProvider.pay_before_dispensing``) is dispensed only once
its payment is recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.money import format_money
from orders.models import Order, OrderEvent, OrderStatus, PaymentStatus
from orders.payments import providers
from orders.services.errors import OrderError
from orders.services.log import record_step
from orders.services.status import locked, set_status

# No payment is recorded for these: nothing is (or is any longer) owed.
NOT_PAYABLE = {OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.REFUNDED}


def can_record_payments(user) -> bool:
    """Staff who may change orders record payments and refunds."""
    return bool(user is not None and user.is_active and user.has_perm("orders.change_order"))


def awaits_payment(order: Order) -> bool:
    """The order's money has not arrived and still can: not paid, and not cancelled, rejected or refunded."""
    return order.payment_status == PaymentStatus.UNPAID and order.status not in NOT_PAYABLE


def must_pay_first(order: Order) -> bool:
    """The order's payment method asks for the money before the order is dispensed."""
    provider = providers().get(order.payment_method)
    return bool(provider is not None and provider.pay_before_dispensing)


def refuse_unpaid(order: Order) -> None:
    """Refuse (``OrderError``) to dispense an unpaid order whose payment method asks for the money first."""
    if must_pay_first(order) and order.payment_status != PaymentStatus.PAID:
        label = providers()[order.payment_method].label
        raise OrderError(
            f"Record the {label.lower()} first: order {order.number} is paid by {label.lower()}, and is dispensed "
            "only once its payment has arrived and is recorded."
        )


@transaction.atomic
def record_payment(order: Order, *, by, reference: str = "") -> OrderEvent:
    """Record that the order's money arrived: paid, when and by whom; in the history and the admin's log."""
    if not can_record_payments(by):
        raise PermissionDenied("You do not have permission to record payments.")
    locked(order)
    if order.status in NOT_PAYABLE:
        raise OrderError(
            f"Order {order.number} is {order.get_status_display().lower()}: no payment is recorded for it."
        )
    if order.payment_status == PaymentStatus.PAID:
        raise OrderError(f"Order {order.number} is already paid (recorded {order.paid_at:%d %b %Y}).")
    reference = reference.strip()
    order.payment_status = PaymentStatus.PAID
    order.paid_at = timezone.now()
    order.payment_recorded_by = by
    order.save(update_fields=["payment_status", "paid_at", "payment_recorded_by"])
    note = f"Payment of {format_money(order.total)} received" + (f" (reference {reference})" if reference else "")
    return record_step(order, by=by, note=note + ".", action="orders.record_payment", data={"reference": reference})


@transaction.atomic
def refund(order: Order, *, by, reference: str = "", note: str = "") -> OrderEvent:
    """Mark the order refunded; a paid order's refund needs the payment provider's reference of it."""
    if not can_record_payments(by):
        raise PermissionDenied("You do not have permission to refund orders.")
    locked(order)
    reference = reference.strip()
    was_paid = order.payment_status == PaymentStatus.PAID
    if was_paid and not reference:
        raise ValidationError("Enter the payment provider's reference of the refund: this order was paid.")
    event = set_status(
        order,
        OrderStatus.REFUNDED,
        by=by,
        note=note,
        action="orders.refund",
        log_data={"note": note, "reference": reference},
    )
    if was_paid or reference:
        order.payment_status = PaymentStatus.REFUNDED if was_paid else order.payment_status
        order.refund_reference = reference
        order.save(update_fields=["payment_status", "refund_reference"])
    return event
