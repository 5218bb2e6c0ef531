"""Every status change is recorded by the service that makes it, whoever asked for it: a line of the order's
history (``OrderEvent``, shown to the customer) and an entry of the admin's log (``wagtail.log_actions``), each
with the person who acted (the customer, a member of staff, or None for the system).

The log's actions are registered in ``orders.wagtail_hooks`` from ``ACTIONS``.
"""

from __future__ import annotations

from wagtail.log_actions import log

from orders.models import Order, OrderEvent

# A status change with no more particular action.
STATUS_CHANGED = "orders.status"
# action: (label, message) for the admin's log.
ACTIONS = {
    "orders.place": ("Place order", "Placed the order"),
    STATUS_CHANGED: ("Change order status", "Changed the order's status"),
    "orders.attach_prescription": ("Send prescription", "Sent the prescription for the order"),
    "orders.approve": ("Approve prescription", "Approved the order's prescription"),
    "orders.reject": ("Reject prescription", "Rejected the order's prescription"),
    "orders.dispense": ("Dispense order", "Marked the order dispensed"),
    "orders.ship": ("Ship order", "Marked the order shipped"),
    "orders.deliver": ("Deliver order", "Marked the order delivered"),
    "orders.cancel": ("Cancel order", "Cancelled the order"),
    "orders.refund": ("Refund order", "Marked the order refunded"),
    "orders.record_payment": ("Record payment", "Recorded the order's payment"),
    "orders.label": ("Print dispensing label", "Downloaded the order's dispensing labels"),
    "orders.packing_slip": ("Print packing slip", "Downloaded the order's packing slip"),
    "orders.hold": ("Put order on hold", "Put the order on hold with a question to the patient"),
    "orders.answer": ("Answer pharmacist", "Answered the pharmacist's question"),
    "orders.await_prescriber": ("Contact prescriber", "Contacted the prescriber about the order"),
    "orders.prescriber_replied": ("Prescriber replied", "Recorded the prescriber's reply"),
    "orders.note": ("Add internal note", "Added an internal note to the order"),
}


def record_move(
    order: Order, from_status: str, to_status: str, *, by, note: str = "", action: str = STATUS_CHANGED, data=None
) -> OrderEvent:
    """Write the move in the order's history and in the admin's log; returns the history's line."""
    event = OrderEvent.objects.create(order=order, from_status=from_status, to_status=to_status, by=by, note=note)
    log(
        instance=order,
        action=action,
        user=by,
        data={"from_status": from_status, "to_status": to_status, **(data or {})},
    )
    return event


def record_step(order: Order, *, by, note: str, action: str, data=None) -> OrderEvent:
    """A step that does not change the status (e.g. a payment recorded): a line of the order's history in the
    same status, with ``note``, and an entry of the admin's log."""
    return record_move(order, order.status, order.status, by=by, note=note, action=action, data=data)
