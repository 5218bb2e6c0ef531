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
from orders.services.coverage import (
    RepeatStatus,
    describe_line,
    prescription_lines,
    refuse_uncovered,
    repeat_status,
    uncovered_lines,
)
from orders.services.errors import InvalidTransition, OrderError, OutOfStock, PrescriptionNotCovering
from orders.services.fulfilment import (
    Dispensed,
    cancel,
    cancel_by_customer,
    deliver,
    dispense,
    ship,
    suggested_directions,
)
from orders.services.health import health_details, require_health_details
from orders.services.ownership import check_not_own_order, mailbox
from orders.services.payment import can_record_payments, must_pay_first, record_payment, refund
from orders.services.pricing import (
    MAX_PACKS_PER_LINE,
    PricedCart,
    PricedLine,
    check_controlled,
    check_product_limits,
    check_quantities,
    packs_allowed,
    price_lines,
    room_in_cart,
)
from orders.services.questionnaire import check_health_answers, pharmacy_products, questions_for
from orders.services.reorder import reorder, reorder_offer
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
from orders.services.screening import Finding, Screening, screening
from orders.services.status import allowed_transitions, release_stock, set_status

__all__ = [
    "MAX_PACKS_PER_LINE",
    "Dispensed",
    "RepeatStatus",
    "can_record_payments",
    "must_pay_first",
    "record_payment",
    "reorder",
    "reorder_offer",
    "repeat_status",
    "suggested_directions",
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
    "Finding",
    "SafetyWarning",
    "Screening",
    "allowed_transitions",
    "attach_prescription",
    "cancel",
    "cancel_by_customer",
    "check_controlled",
    "check_health_answers",
    "check_not_own_order",
    "check_product_limits",
    "check_quantities",
    "deliver",
    "describe_line",
    "dispense",
    "health_details",
    "mailbox",
    "packs_allowed",
    "pharmacy_products",
    "place_order",
    "prescription_lines",
    "price_lines",
    "questions_for",
    "refund",
    "require_health_details",
    "refuse_uncovered",
    "release_stock",
    "review_order",
    "room_in_cart",
    "safety_checks",
    "screening",
    "set_status",
    "ship",
    "uncovered_lines",
]
