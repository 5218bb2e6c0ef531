"""The staff side of ordering in the Wagtail admin, a module per screen.

- ``listing``: the order listing (filter by status, search by number, e-mail or name).
- ``detail`` and ``actions``: the order screen and the actions its status allows: dispense (pharmacists, a screen
  with each line's batch, expiry and directions), ship with a carrier, deliver, cancel, record the payment, refund;
  the dispensing labels and the packing slip as PDF.
- ``review``: the pharmacist's queue of orders in review and the review screen: the prescription beside the
  order's lines, the safety checks, and the decision.
- The prescription file is streamed by ``prescriptions.views`` to those ``prescriptions.services.can_view``
  allows (never from a public URL).

Every action is a POST that calls ``orders.services``; the service's refusal is
shown as an error message and nothing changes. The service records the move: the
order's history (``OrderEvent``) and the admin's log (``wagtail.log_actions``).
"""

from orders.admin_views.actions import ACTION_VIEWS, DOCUMENT_VIEWS, DispenseView, OrderActionView
from orders.admin_views.common import ADMIN_NAMESPACE, NEEDS_ACTION, admin_url
from orders.admin_views.detail import OrderDetailView
from orders.admin_views.listing import OrderFilterSet, OrderIndexView
from orders.admin_views.review import ReviewQueueFilterSet, ReviewQueueView, ReviewView

__all__ = [
    "ACTION_VIEWS",
    "DOCUMENT_VIEWS",
    "ADMIN_NAMESPACE",
    "NEEDS_ACTION",
    "DispenseView",
    "OrderActionView",
    "OrderDetailView",
    "OrderFilterSet",
    "OrderIndexView",
    "ReviewQueueFilterSet",
    "ReviewQueueView",
    "ReviewView",
    "admin_url",
]
