"""Reordering against a repeat prescription: the patient orders again what a dispensed order held, its prescription
lines the next issue of the same verified items.

The new order is placed by checkout's own code (``checkout.place_order``: priced now, stock taken, same address and
payment method); its prescription lines point at the same items and it is approved at once when every one is
covered (issues left, interval kept, unexpired). Lines needing no prescription simply come along; a pharmacy
medicine sends the order to a pharmacist's review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from orders.models import Order, OrderLine, OrderStatus
from orders.services.checkout import place_order, shipping_methods
from orders.services.coverage import RepeatStatus, describe_line, repeat_status, uncovered_lines
from orders.services.errors import OrderError, PrescriptionNotCovering

# An order can be reordered once it has been dispensed.
REORDERABLE = {OrderStatus.DISPENSED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "postcode", "region", "country", "phone")


@dataclass
class ReorderOffer:
    """What a reorder of ``order`` would be: each prescription line with what is left of its repeat."""

    order: Order
    repeats: list[tuple[OrderLine, RepeatStatus]] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return bool(self.repeats) and all(status.available for _line, status in self.repeats)

    @property
    def refusals(self) -> list[str]:
        """Why each line that cannot be reordered now cannot."""
        return [f"{line.description}: {status.summary}" for line, status in self.repeats if not status.available]


def reorder_offer(order: Order) -> ReorderOffer | None:
    """The repeat of a dispensed order's prescription lines, or None when there is none to offer (not dispensed,
    or no prescription line with a verified item that allows more than one issue)."""
    if order.status not in REORDERABLE:
        return None
    lines = [
        line
        for line in order.lines.filter(removed=False, prescription_item__isnull=False).select_related(
            "prescription_item__prescription"
        )
    ]
    if not lines or all(line.prescription_item.issues_allowed < 2 for line in lines):
        return None
    return ReorderOffer(order, [(line, repeat_status(line.prescription_item)) for line in lines])


def reorder(order: Order, customer, *, token: str) -> Order:
    """Place a new order repeating ``order`` for its customer (``token``: the reorder form's, so a repeated submit
    finds the same order). Refused with ``OrderError`` naming each line that cannot be repeated now."""
    if customer is None or not customer.is_authenticated or customer.pk != order.customer_id:
        raise PermissionDenied("Only the patient who placed the order can reorder it.")
    existing = Order.objects.filter(checkout_token=token, customer=customer, reorder_of=order).first()
    if existing is not None:  # the same reorder form, submitted again
        return existing
    offer = reorder_offer(order)
    if offer is None:
        raise OrderError(f"Order {order.number} has no repeat prescription to reorder.")
    if not offer.available:
        raise OrderError(f"Order {order.number} cannot be reordered now: " + "; ".join(offer.refusals) + ".")
    items = {line.pack_id: line.prescription_item for line, _status in offer.repeats}

    def settle(new: Order) -> str:
        new.reorder_of = order
        new.prescription = order.prescription
        new.save(update_fields=["reorder_of", "prescription"])
        for line in new.lines.all():
            if line.pack_id in items:
                line.prescription_item = items[line.pack_id]
                line.save(update_fields=["prescription_item"])
        missing = uncovered_lines(new)
        if missing:
            raise PrescriptionNotCovering(
                "Cannot reorder: no approved, unexpired repeat prescription covers "
                + "; ".join(f"{describe_line(line)} ({line.prescription_reason})" for line in missing)
                + ". Please send a new prescription with a new order."
            )
        if new.lines.filter(pharmacy_medicine=True).exists():
            return OrderStatus.IN_REVIEW
        return OrderStatus.APPROVED

    return place_order(
        quantities={line.pack_id: line.quantity for line in order.lines.filter(removed=False)},
        customer=customer,
        email=order.email,
        address={name: getattr(order, name) for name in ADDRESS_FIELDS},
        payment_method=order.payment_method,
        checkout_token=token,
        health_answers=order.health_answers,
        settle=settle,
        # Sent as the order it repeats was, while that shipping method is still offered.
        shipping=order.shipping_method if order.shipping_method in {m.code for m in shipping_methods()} else None,
    )
