"""An order's status: it moves only along ``models.TRANSITIONS``, and every move is recorded."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from apothecary.core.roles import is_pharmacist
from catalogue.models import Pack
from orders.models import STOCK_HELD, TRANSITIONS, Order, OrderEvent, OrderStatus
from orders.services.coverage import refuse_uncovered
from orders.services.errors import InvalidTransition
from orders.services.log import STATUS_CHANGED, record_move
from orders.services.ownership import check_not_own_order

logger = logging.getLogger(__name__)


def locked(order: Order) -> Order:
    """Lock the order's row (on PostgreSQL) and bring ``order`` up to date with it."""
    list(Order.objects.select_for_update().filter(pk=order.pk).values_list("pk"))
    order.refresh_from_db()
    return order


@transaction.atomic
def set_status(
    order: Order, new_status: str, *, by=None, note: str = "", action: str = STATUS_CHANGED, log_data=None
) -> OrderEvent:
    """Move ``order`` to ``new_status`` if the transition table allows it, and record the move (``log.record_move``:
    the history and the admin's log, as ``action`` by ``by`` with ``log_data``)."""
    locked(order)
    if new_status not in TRANSITIONS.get(order.status, set()):
        raise InvalidTransition(
            f"Order {order.number} cannot go from “{OrderStatus(order.status).label}” to "
            f"“{OrderStatus(new_status).label}”."
        )
    if new_status in (OrderStatus.APPROVED, OrderStatus.DISPENSED):
        refuse_uncovered(order, f"Order {order.number} cannot be {OrderStatus(new_status).label.lower()}")
    if new_status == OrderStatus.DISPENSED:
        if not is_pharmacist(by):
            raise PermissionDenied("Only a pharmacist can dispense an order.")
        check_not_own_order(order, by, "dispense")
    old_status = order.status
    if new_status in (OrderStatus.REJECTED, OrderStatus.CANCELLED) and old_status in STOCK_HELD:
        release_stock(order.lines.filter(removed=False))
    order.status = new_status
    if note:
        order.status_note = note
    order.save(update_fields=["status", "status_note"])
    event = record_move(order, old_status, new_status, by=by, note=note, action=action, data=log_data)
    transaction.on_commit(lambda: _notify(order.pk, new_status, note))
    return event


def _notify(order_id: int, status: str, note: str) -> None:
    from orders.tasks import send_status_email

    try:
        send_status_email.enqueue(order_id, str(status), note)  # plain JSON arguments for any queue
    except Exception:  # a mail or queue failure never undoes an order
        logger.exception("Could not queue the status e-mail for order %s", order_id)


def release_stock(lines) -> None:
    """Put the packs of ``lines`` back on the shelf."""
    for line in lines.select_related("pack"):
        Pack.objects.filter(pk=line.pack_id).update(stock=F("stock") + line.quantity)


def allowed_transitions(order: Order) -> list[str]:
    return sorted(TRANSITIONS.get(order.status, set()))
