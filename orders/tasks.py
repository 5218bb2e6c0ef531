"""E-mails to the customer at each step of an order that concerns them."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from apothecary.core.identity import pharmacy_identity

logger = logging.getLogger(__name__)

MESSAGES = {
    "awaiting_prescription": "We need your prescription before a pharmacist can check your order.",
    "in_review": "A pharmacist is checking your prescription.",
    "on_hold": "A pharmacist needs an answer from you before they can approve your order: please answer their "
    "question on your order page.",
    "awaiting_prescriber": "A pharmacist is checking your prescription with your prescriber.",
    "approved": "Your order has been approved and is being prepared.",
    "dispensed": "A pharmacist has dispensed your order.",
    "shipped": "Your order is on its way.",
    "delivered": "Your order has been delivered.",
    "rejected": "A pharmacist could not approve your order.",
    "cancelled": "Your order has been cancelled.",
    "refunded": "Your order has been refunded.",
}


def signature() -> list[str]:
    """The lines every order e-mail ends with: the pharmacy's legal identity (its settings, through the
    ``pharmacy_identity`` hook)."""
    return ["", "-- ", *pharmacy_identity().text_lines()]


@task()
def send_status_email(order_id: int, status: str, note: str = "") -> None:
    """The e-mail for one step (``status``, with the note given at that step), whatever the order's status now."""
    from orders.models import Order, OrderStatus

    order = Order.objects.filter(pk=order_id).first()
    if order is None or status not in MESSAGES:
        return
    label = OrderStatus(status).label
    lines = [f"Order {order.number}: {label}.", "", MESSAGES[status]]
    if note:
        lines += ["", note]
    if order.tracking_number and status == "shipped":
        carrier = f" ({order.carrier})" if order.carrier_id else ""
        lines += ["", f"Tracking number: {order.tracking_number}{carrier}"]
        if order.carrier_id:
            lines += [f"Follow your parcel: {order.carrier.tracking_link(order.tracking_number)}"]
    lines += ["", f"See your order: {settings.SITE_URL}{order.get_absolute_url()}"]
    lines += signature()
    try:
        send_mail(f"Your order {order.number}: {label}", "\n".join(lines), None, [order.email])
    except Exception:
        logger.exception("Could not send the status e-mail for order %s", order.number)
