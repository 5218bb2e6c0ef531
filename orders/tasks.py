"""E-mails to the customer at each step of an order that concerns them."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
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
    return ["", "-- ", *pharmacy_identity().text_lines(site_url=settings.SITE_URL)]


def absolute(path: str) -> str:
    """A link in an e-mail: the site's public address (``settings.SITE_URL``) and the path."""
    return settings.SITE_URL.rstrip("/") + path


def email_context(order, status: str, note: str = "") -> dict:
    """What an order e-mail says: the step, the order summary (lines, shipping, total), the delivery address, the
    payment instructions while payment is due, the order link and, once shipped, the one tracking link."""
    from orders.models import OrderStatus
    from orders.payments import providers

    provider = providers().get(order.payment_method)
    shipped = status == OrderStatus.SHIPPED and bool(order.tracking_number)
    return {
        "order": order,
        "status_label": OrderStatus(status).label,
        "message": MESSAGES[status],
        "note": note,
        "lines": list(order.lines.all()),
        "address_lines": order.address_lines,
        "payment_label": provider.label if provider else order.payment_method,
        "payment_instructions": provider.instructions(order) if provider and order.payment_due else "",
        "order_link": absolute(order.get_absolute_url()),
        "site_link": absolute("/"),
        "tracking_number": order.tracking_number if shipped else "",
        "carrier": order.carrier.name if shipped and order.carrier_id else "",
        "tracking_link": order.carrier.tracking_link(order.tracking_number) if shipped and order.carrier_id else "",
        "identity_lines": pharmacy_identity().text_lines(site_url=settings.SITE_URL),
        "signature": "\n".join(signature()),
    }


def status_email(order, status: str, note: str = "") -> EmailMultiAlternatives:
    """The e-mail for one step of ``order``: a plain-text part and the same in simple, inline-styled HTML."""
    context = email_context(order, status, note)
    message = EmailMultiAlternatives(
        f"Your order {order.number}: {context['status_label']}",
        render_to_string("orders/email/status.txt", context),
        None,
        [order.email],
    )
    message.attach_alternative(render_to_string("orders/email/status.html", context), "text/html")
    return message


@task()
def send_status_email(order_id: int, status: str, note: str = "") -> None:
    """The e-mail for one step (``status``, with the note given at that step), whatever the order's status now."""
    from orders.models import Order

    order = Order.objects.select_related("carrier").filter(pk=order_id).first()
    if order is None or status not in MESSAGES:
        return
    try:
        status_email(order, status, note).send()
    except Exception:
        logger.exception("Could not send the status e-mail for order %s", order.number)
