"""Ordering rules. Views, the admin and the shell all go through these functions.

- Prices, totals and stock come from the catalogue, on the server, in one
  transaction; the client sends pack ids and quantities only (``pricing``, ``checkout``).
- Stock is taken when an order is placed (rows locked on PostgreSQL, and a
  conditional UPDATE everywhere) and returned when it is rejected or cancelled.
- A prescription-only line is dispensed only against an approved, unexpired
  verified prescription item that covers it (``coverage``, ``review``, ``fulfilment``).
- An order's status moves only along ``models.TRANSITIONS`` (``status``).

The public names are re-exported here: ``from orders import services`` is all a caller needs.
"""

from orders.services.checkout import place_order
from orders.services.coverage import describe_line, prescription_lines, refuse_uncovered, uncovered_lines
from orders.services.errors import InvalidTransition, OrderError, OutOfStock, PrescriptionNotCovering
from orders.services.fulfilment import cancel, cancel_by_customer, deliver, dispense, refund, ship
from orders.services.ownership import check_not_own_order, mailbox
from orders.services.pricing import (
    MAX_PACKS_PER_LINE,
    PricedCart,
    PricedLine,
    check_controlled,
    check_quantities,
    price_lines,
)
from orders.services.review import (
    P_CHECK_NAMES,
    P_CHECKLIST,
    add_internal_note,
    answer_query,
    attach_prescription,
    await_prescriber,
    hold_for_patient,
    may_answer,
    pharmacy_lines,
    prescriber_replied,
    review_order,
)
from orders.services.safety import SafetyWarning, safety_checks
from orders.services.status import allowed_transitions, release_stock, set_status

__all__ = [
    "MAX_PACKS_PER_LINE",
    "P_CHECKLIST",
    "P_CHECK_NAMES",
    "add_internal_note",
    "answer_query",
    "await_prescriber",
    "hold_for_patient",
    "may_answer",
    "pharmacy_lines",
    "prescriber_replied",
    "InvalidTransition",
    "OrderError",
    "OutOfStock",
    "PrescriptionNotCovering",
    "PricedCart",
    "PricedLine",
    "SafetyWarning",
    "allowed_transitions",
    "attach_prescription",
    "cancel",
    "cancel_by_customer",
    "check_controlled",
    "check_not_own_order",
    "check_quantities",
    "deliver",
    "describe_line",
    "dispense",
    "mailbox",
    "place_order",
    "prescription_lines",
    "price_lines",
    "refund",
    "refuse_uncovered",
    "release_stock",
    "review_order",
    "safety_checks",
    "set_status",
    "ship",
    "uncovered_lines",
]
