"""A pharmacist never reviews or dispenses their own order."""

from __future__ import annotations

from orders.models import Order
from orders.services.errors import OrderError


def mailbox(email: str) -> str:
    """The mailbox an address reaches: "Sam+shop@Example.com" and "sam@example.com" are one."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else ""


def check_not_own_order(order: Order, pharmacist, action: str) -> None:
    """A pharmacist never reviews or dispenses an order they placed themselves: by their account, or by an address
    that reaches their mailbox (the order's or its account's)."""
    addresses = {mailbox(order.email), mailbox(order.customer.email) if order.customer_id else ""} - {""}
    own = order.customer_id == pharmacist.pk or mailbox(pharmacist.email) in addresses
    if own:
        raise OrderError(
            f"Order {order.number} is your own: a pharmacist cannot {action} an order they placed. "
            "Another pharmacist must do it."
        )
