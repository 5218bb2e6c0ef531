"""A customer's orders in their data download; kept, detached from the login, when the account is deleted."""

from __future__ import annotations

from accounts.personal_data import Export
from orders.models import Order, OrderEvent


def export(user) -> Export:
    orders = Order.objects.for_customer(user).prefetch_related("lines", "events").order_by("created_at")
    return Export(
        [
            {
                "number": order.number,
                "placed": order.created_at,
                "status": order.get_status_display(),
                "total": order.total,
                "payment_method": order.payment_method,
                "deliver_to": order.address_lines,
                "e-mail": order.email,
                "phone": order.phone,
                "lines": [
                    {
                        "item": line.description,
                        "sku": line.sku,
                        "active_ingredients": line.active_ingredients,
                        "strength": line.strength,
                        "packs": line.quantity,
                        "price_per_pack": line.unit_price,
                        "removed": line.removed,
                    }
                    for line in order.lines.all()
                ],
                "history": [
                    {"when": event.created_at, "status": event.get_to_status_display(), "note": event.note}
                    for event in order.events.all()
                ],
            }
            for order in orders
        ]
    )


def erase(user, retained_until) -> str:
    """Orders are pharmacy records: kept as they are (name and address included, as a record of supply), no longer
    linked to a login, and marked retained until ``retained_until``."""
    from wagtail.models import ModelLogEntry

    orders = Order.objects.for_customer(user)
    count = orders.count()
    OrderEvent.objects.filter(order__customer=user, by=user).update(by=None)  # the customer's own steps only
    ModelLogEntry.objects.filter(
        content_type__app_label="orders",
        content_type__model="order",
        object_id__in=[str(pk) for pk in orders.values_list("pk", flat=True)],
        user_id=user.pk,
    ).update(user=None)  # and in the admin's log
    orders.update(customer=None, retained_until=retained_until)
    return f"{count} order(s) kept as pharmacy records until {retained_until:%d %b %Y}" if count else ""
