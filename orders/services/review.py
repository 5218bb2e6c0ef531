"""The pharmacist's review: the patient's prescription joins the order, then a pharmacist approves some or all of
its prescription lines (each gets a verified prescription item that covers it) or rejects it."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus
from orders.services.coverage import prescription_lines
from orders.services.errors import OrderError
from orders.services.health import require_health_details
from orders.services.ownership import check_not_own_order
from orders.services.safety import SafetyWarning, safety_checks
from orders.services.status import locked, release_stock, set_status
from prescriptions import services as prescription_services


@transaction.atomic
def attach_prescription(order: Order, prescription) -> Order:
    """The patient's prescription for ``order``: the order goes to the pharmacist's queue."""
    if prescription.patient_id != order.customer_id:
        raise PermissionDenied("This prescription belongs to another patient.")
    order.prescription = prescription
    order.save(update_fields=["prescription"])
    set_status(order, OrderStatus.IN_REVIEW, by=order.customer, action="orders.attach_prescription")
    return order


@transaction.atomic
def review_order(
    order: Order,
    pharmacist,
    *,
    approve_line_ids: list[int],
    valid_until: date | None = None,
    **fields,
):
    """The pharmacist's decision on an order in review: approve some or all prescription lines, or reject, with
    what the pharmacist wrote (``prescriptions.services.DecisionFields``).

    Approved lines get a verified prescription item that covers them. Lines not
    approved are removed from the order and their stock returned. Approving
    needs every point of the pharmacist's checklist named in ``checks``
    (``prescriptions.services.CHECKLIST``), and despite a severe warning (an
    allergy, a major or contraindicated interaction) a written override
    reason. Returns the logged decision.
    """
    written = prescription_services.DecisionFields(**fields)
    reason, override_reason, issued_on = written.reason, written.override_reason, written.issued_on
    prescription_services.require_pharmacist(pharmacist)
    locked(order)
    check_not_own_order(order, pharmacist, "review")
    if order.status != OrderStatus.IN_REVIEW or order.prescription is None:
        raise OrderError(f"Order {order.number} is not waiting for a pharmacist's review.")
    rx_lines = prescription_lines(order)
    unknown = set(approve_line_ids) - {line.pk for line in rx_lines}
    if unknown:
        raise ValidationError("Only this order's prescription lines can be approved.")
    approved = [line for line in rx_lines if line.pk in set(approve_line_ids)]
    removed = [line for line in rx_lines if line not in approved]
    warnings: list[SafetyWarning] = []
    validity: dict[int, date] = {}
    if approved:
        require_health_details(order)
        issued_on = issued_on or order.prescription.issued_on
        validity = _validity(approved, issued_on, valid_until)
        # Everything the patient will receive: the approved lines and the order's other (non-prescription) lines.
        remaining = order.lines.filter(removed=False).exclude(pk__in=[line.pk for line in removed])
        warnings = safety_checks(order, lines=remaining.select_related("pack__product__medicine"))
        severe = [w for w in warnings if w.severe]
        if severe and not override_reason.strip():
            raise ValidationError(
                "Approving despite a severe warning needs a written override reason: "
                + " ".join(w.message for w in severe)
            )
        _check_controlled_prescription(order, approved, issued_on)
    decision, items = prescription_services.record_decision(
        order.prescription,
        pharmacist,
        approved_items=[(line.pack.product, line.units, validity[line.pk]) for line in approved],
        **asdict(replace(written, issued_on=issued_on)),
        details={
            "order": order.number,
            "approved_lines": [line.description for line in approved],
            "removed_lines": [line.description for line in removed],
            "partial": bool(approved) and bool(removed),
            "warnings": [w.message for w in warnings],
            "checks": prescription_services.confirmed_checks(written.checks),
        },
    )
    for line, item in zip(approved, items, strict=True):
        line.prescription_item = item
        line.save(update_fields=["prescription_item"])
    logged = {"decision": decision.pk, "kind": decision.decision, **decision.details}
    if not approved:
        set_status(
            order, OrderStatus.REJECTED, by=pharmacist, note=reason.strip(), action="orders.reject", log_data=logged
        )
        return decision
    if removed:
        ids = [line.pk for line in removed]
        release_stock(order.lines.filter(pk__in=ids))
        order.lines.filter(pk__in=ids).update(removed=True)
        order.total = sum((line.line_total for line in order.lines.filter(removed=False)), Decimal("0.00"))
        order.save(update_fields=["total"])
    set_status(
        order, OrderStatus.APPROVED, by=pharmacist, note=reason.strip(), action="orders.approve", log_data=logged
    )
    return decision


def _validity(lines: list[OrderLine], issued_on: date | None, valid_until: date | None) -> dict[int, date]:
    """Until when each approved line may be dispensed.

    A prescription is valid from the date written on it for as long as
    ``prescriptions.services.latest_valid_until`` says; the pharmacist may
    shorten that, never extend it, and cannot approve one that has already
    expired or is dated in the future.
    """
    today = timezone.localdate()
    if issued_on is None:
        if any(line.controlled for line in lines):
            limit = prescription_services.valid_days(controlled=True)
            raise ValidationError(
                f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
            )
        raise ValidationError("Record the date written on the prescription before approving it.")
    if issued_on > today:
        raise ValidationError("The prescription's date is in the future: check the date written on it.")
    validity = {}
    for line in lines:
        days = prescription_services.valid_days(controlled=line.controlled)
        latest = prescription_services.latest_valid_until(issued_on, controlled=line.controlled)
        until = min(valid_until, latest) if valid_until else latest
        if until < today and line.controlled:
            raise ValidationError(
                f"{line.description}: a controlled medicine needs a prescription dated within the last {days} days; "
                f"this one is dated {issued_on:%d %b %Y}."
            )
        if until < today:
            raise ValidationError(
                f"The prescription has expired for {line.description}: dated {issued_on:%d %b %Y}, "
                f"valid for {days} days."
            )
        validity[line.pk] = until
    return validity


def _check_controlled_prescription(order: Order, lines: list[OrderLine], issued_on: date | None) -> None:
    if not any(line.controlled for line in lines):
        return
    if not settings.SELL_CONTROLLED_ONLINE:
        raise OrderError("Controlled medicines are not supplied online (SELL_CONTROLLED_ONLINE is off).")
    issued_on = issued_on or order.prescription.issued_on
    limit = prescription_services.valid_days(controlled=True)
    if issued_on is None or (timezone.localdate() - issued_on).days > limit:
        raise ValidationError(
            f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
        )
